"""Atomic file replacement and the per-folder lock that serialises planner writers.

A crash, a kill or a full disk leaves either the old file or the new one: the new
bytes go to a temp file in the same folder, are flushed and fsynced, get the old
file's permissions, and are renamed over the target; then the folder is fsynced.
Temp files carry a recognisable name with the writer's pid, so leftovers of a
killed writer can be removed by the next start (:func:`remove_stale_temp_files`).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import stat
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

TEMP_PREFIX = ".planner-"
TEMP_SUFFIX = ".tmp"
_TEMP_NAME = re.compile(r"^\.planner-(?P<pid>\d+)-.*\.tmp$")


def real_path(path: str | os.PathLike[str]) -> Path:
    """The file a path finally names: replacing a symlink itself would cut the link."""
    return Path(os.path.realpath(path))


def atomic_write(path: str | os.PathLike[str], data: bytes | Sequence[bytes | memoryview]) -> None:
    """Replace the file at ``path`` with ``data``, all or nothing, keeping its permissions.

    ``data`` may be given as consecutive pieces (a patch around an unchanged file),
    so a one-byte edit of a large file never copies it in memory.
    """
    pieces = [data] if isinstance(data, bytes | bytearray | memoryview) else list(data)
    target = real_path(path)
    folder = target.parent
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = 0o644
    fd, temp = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-", suffix=TEMP_SUFFIX, dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            for piece in pieces:
                handle.write(piece)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    _fsync_folder(folder)


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot fsync a folder; the rename is still atomic
    finally:
        os.close(fd)


@contextlib.contextmanager
def folder_lock(path: str | os.PathLike[str]) -> Iterator[None]:
    """Hold an exclusive lock on the folder of ``path`` while planner writes there.

    Two planner processes writing the same file take turns instead of racing;
    the lock is on the folder itself, so no lock file is left in the user's tree.
    """
    folder = real_path(path).parent
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def is_temp_name(name: str) -> bool:
    return bool(_TEMP_NAME.match(name))


def remove_stale_temp_files(folder: str | os.PathLike[str]) -> list[Path]:
    """Delete temp files left by planner writers that are no longer running."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        match = _TEMP_NAME.match(entry.name)
        if not match:
            continue
        pid = int(match.group("pid"))
        if pid == os.getpid() or _pid_alive(pid):
            continue  # a write in progress
        with contextlib.suppress(OSError):
            os.unlink(entry.path)
            removed.append(Path(entry.path))
    return removed
