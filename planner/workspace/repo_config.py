"""A repository's ``.planner.toml``: what planner's heuristics cannot know about it.

Found in a root given to planner, else in the nearest parent folder that holds one (the
first root's, when several are given). Everything in it is optional, and planner is fully
useful without it::

    daily = ["PLAN.md", "journal/*.md"]   # the daily document(s): names or globs
    ignore = ["archive/", "templates/*.md"]  # folders or files planner leaves out

    [sections]                            # extra heading words, beside planner's own
    today = ["Agenda", "Hoy toca"]
    blocked = ["Parked"]
    done = ["Shipped this week"]

    [priorities]                          # extra priority words: word = "P0".."P3"
    Showstopper = "P0"
    Stretch = "P3"

Paths are relative to the folder holding the file. A mistake is one line naming the file
and the key (``.planner.toml: sections.today: expected a list of strings``), and the rest
of the file still counts; an unreadable file is a warning, never a crash.
"""

from __future__ import annotations

import fnmatch
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported with a file to apply: a warm start without one loads no model
    from planner.model.vocabulary import Vocabulary

FILE_NAME = ".planner.toml"
_SECTION_KINDS = ("today", "blocked", "done")
_LEVELS = ("P0", "P1", "P2", "P3")
_KNOWN = frozenset({"daily", "ignore", "sections", "priorities"})


@dataclass
class RepoConfig:
    path: Path | None = None  # the file, when one was found
    vocabulary: Vocabulary | None = None  # None without a file
    ignore: tuple[str, ...] = ()
    problems: list[str] = field(default_factory=list)

    @property
    def folder(self) -> Path | None:
        return self.path.parent if self.path is not None else None

    def ignored(self, path: str) -> bool:
        """Whether ``ignore`` leaves the file at ``path`` (absolute) out."""
        if not self.ignore or self.folder is None:
            return False
        try:
            relative = PurePath(path).relative_to(self.folder).as_posix()
        except ValueError:
            return False
        parts = relative.split("/")
        folders = parts[:-1]
        for pattern in self.ignore:
            clean = pattern.strip()
            clean = clean[2:] if clean.startswith("./") else clean
            only_folder = clean.endswith("/")
            clean = clean.strip("/")
            if not clean:
                continue
            if not only_folder and (fnmatch.fnmatchcase(relative, clean) or ("/" not in clean and fnmatch.fnmatchcase(parts[-1], clean))):
                return True
            # A folder ("archive/", "docs/old") leaves out everything under it; a bare name
            # ("archive") any folder of that name.
            if any(fnmatch.fnmatchcase("/".join(folders[:k]), clean) for k in range(1, len(folders) + 1)):
                return True
            if "/" not in clean and any(fnmatch.fnmatchcase(f, clean) for f in folders):
                return True
        return False


def find_config(roots: list[Path]) -> Path | None:
    """The ``.planner.toml`` in the first root (its folder, for a file) or its nearest parent."""
    if not roots:
        return None
    start = roots[0].absolute()
    folder = start if start.is_dir() else start.parent
    for candidate in (folder, *folder.parents):
        path = candidate / FILE_NAME
        if path.is_file():
            return path
    return None


def load_config(roots: list[Path]) -> RepoConfig:
    """The configuration for ``roots``: empty when there is no ``.planner.toml``."""
    path = find_config(roots)
    if path is None:
        return RepoConfig()
    return read_config(path)


def read_config(path: Path) -> RepoConfig:
    from planner.model.vocabulary import Vocabulary  # noqa: PLC0415

    config = RepoConfig(path=path, vocabulary=Vocabulary(folder=str(path.parent)))
    name = _shown(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        config.problems.append(f"{name}: cannot read it ({err.__class__.__name__}); ignored")
        return config
    except tomllib.TOMLDecodeError as err:
        config.problems.append(f"{name}: not valid TOML ({' '.join(str(err).split())}); ignored")
        return config

    def problem(key: str, text: str) -> None:
        config.problems.append(f"{name}: {key}: {text}")

    for key in data:
        if key not in _KNOWN:
            problem(key, f"unknown key (known: {', '.join(sorted(_KNOWN))})")
    daily = _strings(data.get("daily"), "daily", problem)
    config.ignore = _strings(data.get("ignore"), "ignore", problem)
    sections: dict[str, tuple[str, ...]] = {kind: () for kind in _SECTION_KINDS}
    raw_sections = data.get("sections", {})
    if not isinstance(raw_sections, dict):
        problem("sections", "expected a table ([sections] with today / blocked / done)")
    else:
        for key, value in raw_sections.items():
            if key not in _SECTION_KINDS:
                problem(f"sections.{key}", f"unknown section kind (known: {', '.join(_SECTION_KINDS)})")
                continue
            sections[key] = _strings(value, f"sections.{key}", problem)
    priorities: list[tuple[str, str]] = []
    raw_priorities = data.get("priorities", {})
    if not isinstance(raw_priorities, dict):
        problem("priorities", 'expected a table ([priorities] with word = "P0".."P3")')
    else:
        for word, level in raw_priorities.items():
            text = level.strip().upper() if isinstance(level, str) else level
            if text not in _LEVELS:
                problem(f"priorities.{word}", f'expected one of "P0", "P1", "P2", "P3", not {level!r}')
            elif not word.strip():
                problem("priorities", "an empty word")
            else:
                priorities.append((" ".join(word.split()), text))
    config.vocabulary = Vocabulary(
        today=sections["today"],
        blocked=sections["blocked"],
        done=sections["done"],
        priorities=tuple(priorities),
        daily=daily,
        folder=str(path.parent),
    )
    return config


def _strings(value: object, key: str, problem) -> tuple[str, ...]:  # noqa: ANN001
    """A string or a list of strings as a tuple (blank ones dropped); a problem otherwise."""
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problem(key, "expected a string or a list of strings")
        return ()
    return tuple(v.strip() for v in value if v.strip())


def _shown(path: Path) -> str:
    """The file as a message names it: relative to the current folder when under it."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def apply(config: RepoConfig) -> str:
    """Make ``config``'s words the ones in force; the digest of what a parse depends on ("" for none)."""
    import sys  # noqa: PLC0415

    if config.vocabulary is None and "planner.model.vocabulary" not in sys.modules:
        return ""  # no words were ever added in this process: nothing to import or reset
    from planner.model import vocabulary  # noqa: PLC0415

    vocabulary.activate(config.vocabulary)
    return vocabulary.priority_digest()


def words_digest(config: RepoConfig) -> str:
    """The digest of every word of ``config`` in force (after :func:`apply`): what a document's
    contribution to the views depends on besides the document ("" for none)."""
    import sys  # noqa: PLC0415

    if config.vocabulary is None and "planner.model.vocabulary" not in sys.modules:
        return ""
    from planner.model import vocabulary  # noqa: PLC0415

    return vocabulary.words_digest()
