"""Finding the Markdown files under the paths a user gives.

Folders are walked recursively, skipping hidden folders, version-control and
dependency folders, virtualenvs and build output; symlinked folders are followed
once (a loop is reported, never walked forever). Files named explicitly are always
taken. Include/exclude globs match paths relative to the root they were found under.
"""

from __future__ import annotations

import errno
import fnmatch
import os
import stat
from collections.abc import Iterable
from operator import attrgetter
from pathlib import Path

from planner.writer.atomic import TEMP_PREFIX

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd", ".mkdn"})
SKIPPED_FOLDERS = frozenset(
    {
        "node_modules", "bower_components", "vendor", "venv", "env", "virtualenv",
        "__pycache__", "site-packages", "build", "dist", "target", "out",
        "_build", "htmlcov", "coverage",
    }
)  # fmt: skip


class Discovery:
    """What a walk found. (A plain class: ``dataclasses`` costs a warm start its import.)"""

    def __init__(self) -> None:
        self.files: list[str] = []  # absolute paths, in walk order
        self.warnings: list[str] = []  # one line each
        # Folders holding files named like planner's temp files (".planner-…"), which
        # may be left over from a killed write: the walk notices them for free.
        self.temp_folders: set[Path] = set()


def _is_markdown(name: str) -> bool:
    return os.path.splitext(name)[1].lower() in MARKDOWN_SUFFIXES


def _matches(relative: str, globs: Iterable[str]) -> bool:
    return any(fnmatch.fnmatch(relative, g) or fnmatch.fnmatch(os.path.basename(relative), g) for g in globs)


def _skip_folder(entry: os.DirEntry[str]) -> bool:
    name = entry.name
    return name.startswith(".") or name in SKIPPED_FOLDERS or name.endswith(".egg-info")


VIRTUALENV_MARK = "pyvenv.cfg"  # a folder holding it is a virtualenv by another name: not walked (roots are)


def discover(
    roots: Iterable[str | os.PathLike[str]],
    include: Iterable[str] = (),
    exclude: Iterable[str] = (),
) -> Discovery:
    include = tuple(include)
    exclude = tuple(exclude)
    found = Discovery()
    seen_files: set[tuple[int, int]] = set()
    for root in roots:
        root_path = Path(root).absolute()
        try:
            info = os.stat(root_path)
        except FileNotFoundError:
            found.warnings.append(f"{root}: no such file or folder")
            continue
        except OSError as err:
            found.warnings.append(f"{root}: cannot open ({err.strerror or err})")
            continue
        if stat.S_ISDIR(info.st_mode):
            _walk(str(root_path), str(root_path), include, exclude, found, seen_files, set())
        elif stat.S_ISREG(info.st_mode):
            _add(str(root_path), found, seen_files, (info.st_dev, info.st_ino))
            found.temp_folders.add(root_path.parent)  # a file named alone: check its folder
        else:
            found.warnings.append(f"{root}: not a regular file or folder; skipped")
    return found


def _add(path: str, found: Discovery, seen: set[tuple[int, int]], key: tuple[int, int]) -> None:
    """Add a file once, however many links lead to it (``key`` is its device and inode)."""
    if key not in seen:
        seen.add(key)
        found.files.append(path)


_by_name = attrgetter("name")


# Deeper than this below a root, folders are not searched (one warning says where):
# no planning tree is nested so deep, and a generated or hostile one must not make a
# walk (or the paths it hands on) unbounded.
MAX_DEPTH = 100


def _walk(
    top: str,
    root: str,
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    found: Discovery,
    seen_files: set[tuple[int, int]],
    active: set[tuple[int, int]],
) -> None:
    """Walk ``top`` depth first, files of a folder before its subfolders, in name order.

    With a stack, not recursion: no depth of folders can exhaust Python's stack. An
    ``(None, key)`` item marks leaving a folder (its key leaves ``active``)."""
    stack: list[tuple[str | None, object]] = [(top, 0)]
    too_deep: list[str] = []
    while stack:
        folder, depth = stack.pop()
        if folder is None:
            active.discard(depth)  # type: ignore[arg-type]
            continue
        assert isinstance(depth, int)
        subfolders = _walk_one(folder, root, include, exclude, found, seen_files, active, depth == 0)
        if subfolders is None:
            continue
        real, names = subfolders
        stack.append((None, real))
        if names and depth >= MAX_DEPTH:
            too_deep.append(folder)
            continue
        stack.extend((path, depth + 1) for path in reversed(names))
    if too_deep:
        more = f" (and {len(too_deep) - 1:,} more folders)" if len(too_deep) > 1 else ""
        found.warnings.append(f"{too_deep[0]}: folders more than {MAX_DEPTH} levels deep not searched{more}")


def _walk_one(
    folder: str,
    root: str,
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    found: Discovery,
    seen_files: set[tuple[int, int]],
    active: set[tuple[int, int]],
    is_root: bool = False,
) -> tuple[tuple[int, int], list[str]] | None:
    """Take the files of one folder; its key (now in ``active``) and the subfolders to
    walk, or None when it is not walked (gone, unreadable, a loop)."""
    try:
        folder_info = os.stat(folder)
    except FileNotFoundError:
        return None  # vanished while walking
    except OSError as err:  # a path past PATH_MAX, a folder we may not enter…: said, not skipped silently
        found.warnings.append(f"{folder}: cannot open ({err.strerror or err}); not searched")
        return None
    # Folders on the current walk, by device and inode: meeting one again is a loop.
    real = (folder_info.st_dev, folder_info.st_ino)
    if real in active:
        found.warnings.append(f"{folder}: symlink loop; not followed")
        return None
    try:
        with os.scandir(folder) as iterator:
            entries = sorted(iterator, key=_by_name)
    except FileNotFoundError:
        return None  # vanished while walking
    except OSError as err:
        found.warnings.append(f"{folder}: cannot list ({err.strerror or err})")
        return None
    if not is_root and any(entry.name == VIRTUALENV_MARK for entry in entries):
        return None  # seen in its own listing: no stat per folder to ask
    active.add(real)
    subfolders: list[str] = []
    for entry in entries:
        try:
            is_dir = entry.is_dir()  # follows symlinks
        except OSError as err:  # a symlink loop, or a link into a folder we may not enter
            if _is_markdown(entry.name) and not (exclude and _matches(os.path.relpath(entry.path, root), exclude)):
                reason = "symlink loop" if err.errno == errno.ELOOP else f"cannot open ({err.strerror or err})"
                found.warnings.append(f"{entry.path}: {reason}; skipped")
            continue
        if is_dir:
            if not _skip_folder(entry) and not (exclude and _matches(os.path.relpath(entry.path, root), exclude)):
                subfolders.append(entry.path)
            continue
        if entry.name.startswith(TEMP_PREFIX):
            found.temp_folders.add(Path(folder))
            continue
        if not _is_markdown(entry.name):
            continue
        if include or exclude:
            relative = os.path.relpath(entry.path, root)
            if include and not _matches(relative, include):
                continue
            if exclude and _matches(relative, exclude):
                continue
        try:
            if entry.is_symlink():
                target = os.stat(entry.path)
                key = (target.st_dev, target.st_ino)
            else:
                key = (folder_info.st_dev, entry.inode())
        except FileNotFoundError:
            found.warnings.append(f"{entry.path}: broken symlink; skipped")
            continue
        except OSError:
            continue
        _add(entry.path, found, seen_files, key)
    return real, subfolders
