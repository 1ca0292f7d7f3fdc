"""The words a repository adds in its ``.planner.toml``, active for the current load.

Planner's own words (English, and the languages of :mod:`planner.model.languages`) are
fixed; a repository may add section words (today / blocked / done), priority words
(``"Showstopper" = "P0"``) and name its daily documents. :mod:`planner.workspace.repo_config`
reads the file and calls :func:`activate`; the views and the priority rules read the words
here. Priority words change what a parse computes, so the workspace keys its cache entries
by :func:`digest` as well as by each file's stat (see ``Workspace.load``).
"""

from __future__ import annotations

import fnmatch
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from planner.model.languages import alternation


@dataclass(frozen=True)
class Vocabulary:
    today: tuple[str, ...] = ()  # section words for today's tasks
    blocked: tuple[str, ...] = ()
    done: tuple[str, ...] = ()
    priorities: tuple[tuple[str, str], ...] = ()  # (word, "P0".."P3")
    daily: tuple[str, ...] = ()  # file names or globs, relative to ``folder``
    folder: str = ""  # the folder holding the .planner.toml
    sections: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def empty(self) -> bool:
        return not (self.today or self.blocked or self.done or self.priorities or self.daily)


_active = Vocabulary()
_generation = 0
_listeners: list[Any] = []  # functions to call when the words change (lru caches to clear)


def active() -> Vocabulary:
    return _active


def generation() -> int:
    return _generation


def activate(vocabulary: Vocabulary | None) -> None:
    """Make ``vocabulary`` the words in force (None: planner's own words only)."""
    global _active, _generation  # noqa: PLW0603 - one process-wide set of words, as "today" is
    vocabulary = vocabulary or Vocabulary()
    if vocabulary == _active:
        return
    _active = vocabulary
    _generation += 1
    for clear in _listeners:
        clear()


def on_change(clear: Any) -> None:
    _listeners.append(clear)


def priority_digest() -> str:
    """What of the words a parse depends on (its priority words), as a short digest; "" for none."""
    if not _active.priorities:
        return ""
    text = "\n".join(f"{w}={level}" for w, level in _active.priorities)
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:16]


def words_digest() -> str:
    """All the words in force (what the views of a document depend on), as a short digest; "" for none."""
    if _active.empty:
        return ""
    text = repr((_active.today, _active.blocked, _active.done, _active.priorities, _active.daily, _active.folder))
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:16]


def extra_priority(text: str, whole: bool = False) -> str | None:
    """The level of the first extra priority word in ``text`` (the whole of it with ``whole``)."""
    if not _active.priorities:
        return None
    pattern = _priority_pattern(_generation)
    match = pattern.fullmatch(text.strip()) if whole else pattern.search(text)
    if match is None:
        return None
    found = match.group(1).lower()
    for word, level in _active.priorities:
        if word.lower() == found or " ".join(word.lower().split()) == " ".join(found.split()):
            return level
    return None


_compiled: dict[tuple[str, int], re.Pattern[str]] = {}


def _priority_pattern(gen: int) -> re.Pattern[str]:
    key = ("priority", gen)
    if key not in _compiled:
        words = [w for w, _ in _active.priorities]
        _compiled[key] = re.compile(rf"(?i)(?<!\w)({alternation(words)})(?!\w)")
    return _compiled[key]


def extra_section(kind: str) -> re.Pattern[str] | None:
    words = getattr(_active, kind)
    if not words:
        return None
    key = (kind, _generation)
    if key not in _compiled:
        _compiled[key] = re.compile(rf"(?i)(?<!\w)(?:{alternation(words)})(?!\w)")
    return _compiled[key]


class SectionPattern:
    """A heading pattern (planner's own) plus the repository's words for the same kind of
    section: ``.search`` and ``.match`` as a compiled pattern's."""

    def __init__(self, base: re.Pattern[str], kind: str) -> None:
        self.base = base
        self.kind = kind

    def search(self, text: str) -> re.Match[str] | None:
        found = self.base.search(text)
        if found is None:
            extra = extra_section(self.kind)
            if extra is not None:
                found = extra.search(text)
        return found

    def match(self, text: str) -> re.Match[str] | None:
        found = self.base.match(text)
        if found is None:
            extra = extra_section(self.kind)
            if extra is not None:
                found = extra.match(text)
        return found


def is_named_daily(path: str) -> bool:
    """Whether the repository's ``daily`` names the file at ``path`` (absolute)."""
    if not _active.daily or not _active.folder:
        return False
    try:
        relative = PurePath(path).relative_to(_active.folder).as_posix()
    except ValueError:
        return False
    return any(
        relative == pattern.strip("/") or fnmatch.fnmatchcase(relative, pattern.strip("/")) or PurePath(relative).match(pattern)
        for pattern in _active.daily
    )
