"""Temp files planner can prove it made, and the removal of those its dead writers left.

A rewrite puts the new bytes in a temp file beside the target (``.planner-PID-TOKEN.tmp``,
TOKEN 128 random bits). Before the temp file is created, a journal entry naming it, with
the writer's pid and that process's start time, goes into planner's own state folder
(:func:`journal_folder`); right after, the entry gets the temp file's device and inode.
The entry is removed when the write ends, whichever way.

Cleanup (:func:`remove_stale_temp_files`) reads only that journal, never the user's
folders: a temp file is deleted only when its entry names it, its writer is gone (pid
not running, or running with another start time: a reused pid), and the file is still
the one recorded (same device and inode; or, if the writer died between creating it and
recording its inode, an empty regular file of ours). A user's file that merely looks
like a temp file (``.planner-99999-my-notes.tmp``) is never touched.

Where the journal cannot be written (no writable state folder, or one that is not ours
alone), temp files are still made and removed as usual; one left by a killed writer is
then never removed automatically (a leak, never a wrong deletion).
"""

from __future__ import annotations

import contextlib
import os
import stat
import time
from pathlib import Path

TEMP_PREFIX = ".planner-"
TEMP_SUFFIX = ".tmp"
# Without /proc (no start times) a live pid's entry this old is taken as a reused pid:
# a write takes milliseconds.
STALE_AFTER_SECONDS = 600.0
_FORMAT = "planner-temp-1"


def journal_folder() -> Path:
    """``$PLANNER_STATE_DIR``, else ``$XDG_STATE_HOME/planner``, else ``~/.local/state/planner``; + ``temp-files``."""
    configured = os.environ.get("PLANNER_STATE_DIR")
    if configured:
        base = Path(configured)
    else:
        xdg = os.environ.get("XDG_STATE_HOME")
        base = Path(xdg) / "planner" if xdg else Path.home() / ".local" / "state" / "planner"
    return base / "temp-files"


def _private_folder(create: bool) -> Path | None:
    """The journal folder if it is a real folder of ours that nobody else may write."""
    folder = journal_folder()
    if create:
        with contextlib.suppress(OSError):
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        info = os.lstat(folder)
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid() or info.st_mode & 0o022:
        return None  # someone else could plant entries: trust none
    return folder


def process_start(pid: int) -> int:
    """When ``pid`` started (clock ticks since boot, from /proc), or 0 when unknown."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            raw = handle.read()
    except OSError:
        return 0
    fields = raw[raw.rfind(b")") + 2 :].split()  # after "(comm)", which may hold spaces
    try:
        return int(fields[19])  # field 22 of the line; fields[0] is field 3
    except (IndexError, ValueError):
        return 0


def pid_alive(pid: int) -> bool:
    """Whether a process with this pid runs (a reused pid counts as running)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OverflowError:
        return False
    return True


class TempFile:
    """A new, empty temp file beside ``target`` (opened read-write, appending), journaled first."""

    def __init__(self, folder: Path, fd: int, path: Path, entry: Path | None) -> None:
        self.folder = folder
        self.fd = fd
        self.path = path
        self.entry = entry

    def forget(self) -> None:
        """The temp file is renamed into place or deleted: drop its journal entry."""
        if self.entry is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.entry)
            self.entry = None

    def discard(self) -> None:
        """Delete the temp file (a write that failed), then its entry."""
        with contextlib.suppress(OSError):
            os.unlink(self.path)
        self.forget()


def create_temp(folder: Path) -> TempFile:
    """Journal, then create ``folder/.planner-PID-TOKEN.tmp`` (mode 0600, O_EXCL).

    Raises :class:`PermissionError` (and other OSErrors) from the creation itself.
    """
    pid = os.getpid()
    journal = _private_folder(create=True)
    start = process_start(pid)
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_APPEND | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)
    for _ in range(8):
        token = os.urandom(16).hex()
        path = folder / f"{TEMP_PREFIX}{pid}-{token}{TEMP_SUFFIX}"
        entry = _record(journal, token, f"{_FORMAT} {pid} {start} {os.fsencode(path).hex()}\n") if journal else None
        try:
            fd = os.open(path, flags, 0o600)
        except FileExistsError:  # 128 random bits taken: never ours to open or remove
            _drop(entry)
            continue
        except BaseException:
            _drop(entry)
            raise
        if entry is not None:
            info = os.fstat(fd)
            try:
                with open(entry, "a", encoding="ascii") as handle:
                    handle.write(f"{info.st_dev} {info.st_ino}\n")
            except OSError:
                pass  # the entry still names the file; cleanup then wants it empty and ours
        return TempFile(folder, fd, path, entry)
    raise FileExistsError(f"cannot find a free temp file name in {folder}")


def _record(journal: Path, token: str, line: str) -> Path | None:
    entry = journal / token
    try:
        # Buffered I/O, not os.write: the journal is bookkeeping, not the write being made.
        handle = open(entry, "x", encoding="ascii", opener=_private_opener)  # noqa: SIM115
    except OSError:
        return None
    try:
        with handle:
            handle.write(line)
    except OSError:
        _drop(entry)  # ours: created just now
        return None
    return entry


def _private_opener(path: str, flags: int) -> int:
    return os.open(path, flags | getattr(os, "O_CLOEXEC", 0), 0o600)


def _drop(entry: Path | None) -> None:
    if entry is not None:
        with contextlib.suppress(OSError):
            os.unlink(entry)


def is_temp_name(name: str) -> bool:
    """A name shaped like planner's temp files (for filtering watch events; never a reason to delete)."""
    return name.startswith(TEMP_PREFIX) and name.endswith(TEMP_SUFFIX)


def remove_stale_temp_files(folder: str | os.PathLike[str] | None = None) -> list[Path]:
    """Delete the temp files the journal proves were left by planner writers that are gone.

    With ``folder``, only those in that folder. Returns the paths removed.
    """
    removed: list[Path] = []
    journal = _private_folder(create=False)
    if journal is None:
        return removed
    try:
        entries = list(os.scandir(journal))
    except OSError:
        return removed
    only = os.path.realpath(folder) if folder is not None else None
    for entry in entries:
        parsed = _parse(entry)
        if parsed is None:
            continue
        pid, start, temp, inode = parsed
        if _running(pid, start, entry):
            continue
        if only is not None and os.path.dirname(temp) != only:
            if not os.path.lexists(temp):
                _drop(Path(entry.path))  # its writer is gone and so is the file: just the record
            continue
        if _provably_ours(temp, inode):
            with contextlib.suppress(OSError):
                os.unlink(temp)
                removed.append(Path(temp))
        _drop(Path(entry.path))
    return removed


def _parse(entry: os.DirEntry[str]) -> tuple[int, int, str, tuple[int, int] | None] | None:
    try:
        with open(entry.path, encoding="ascii") as handle:
            lines = handle.read().splitlines()
        tag, pid, start, hexpath = lines[0].split(" ")
        if tag != _FORMAT:
            return None
        temp = os.fsdecode(bytes.fromhex(hexpath))
        inode = None
        if len(lines) > 1:
            device, number = lines[1].split(" ")
            inode = (int(device), int(number))
        return int(pid), int(start), temp, inode
    except (OSError, ValueError, IndexError):
        return None  # half written or not ours: never a reason to delete anything


def _running(pid: int, start: int, entry: os.DirEntry[str]) -> bool:
    if pid == os.getpid():
        return True  # another thread of ours may be writing it now
    if not pid_alive(pid):
        return False
    now = process_start(pid)
    if now and start:
        return now == start
    try:
        age = time.time() - entry.stat().st_mtime
    except OSError:
        return True
    return age < STALE_AFTER_SECONDS


def _provably_ours(temp: str, inode: tuple[int, int] | None) -> bool:
    name = os.path.basename(temp)
    if not is_temp_name(name):
        return False
    try:
        info = os.lstat(temp)
    except OSError:
        return False
    if not stat.S_ISREG(info.st_mode):
        return False
    if inode is not None:
        return (info.st_dev, info.st_ino) == inode
    # Killed between creating the file and recording its inode: nothing was written yet.
    return info.st_size == 0 and info.st_uid == os.geteuid()
