"""The per-folder lock that serialises planner writers, with a bounded wait.

The lock is an ``flock`` on the folder itself, so no lock file is left in the user's
tree, and the kernel drops it when the holder dies, even by SIGKILL. A writer waits
at most :data:`LOCK_TIMEOUT_SECONDS` for it, then gives up with :class:`FolderLocked`
naming the folder and, when ``/proc/locks`` tells it, the holder's pid: a stuck or
hostile process holding the lock makes planner refuse, never hang.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

# How long a writer waits for another one to finish. A planner write holds the lock
# for milliseconds; seconds of waiting mean the holder is stuck (or not planner).
LOCK_TIMEOUT_SECONDS = 5.0
# Polling intervals while waiting: short, so a waiter gets its turn between another
# process's writes (flock has no timed wait; LOCK_NB polling is the portable way).
_FIRST_POLL = 0.0005
_LONGEST_POLL = 0.005


class FolderLocked(TimeoutError):
    """Another process held the folder lock for longer than planner waits."""

    def __init__(self, folder: Path, waited: float, holder: int | None) -> None:
        who = f" (pid {holder})" if holder else ""
        super().__init__(
            errno.ETIMEDOUT,
            f"another process{who} holds the lock on the folder {folder}; gave up after {waited:.0f} s",
        )
        self.folder = folder
        self.waited = waited
        self.holder = holder

    def __str__(self) -> str:
        return str(self.strerror)


def lock_holder(folder_fd: int) -> int | None:
    """The pid holding an flock on the open folder ``folder_fd``, from ``/proc/locks`` (Linux)."""
    info = os.fstat(folder_fd)
    device = f"{os.major(info.st_dev):02x}:{os.minor(info.st_dev):02x}:{info.st_ino}"
    by_inode: list[int] = []
    try:
        with open("/proc/locks", encoding="ascii", errors="replace") as locks:
            lines = locks.read().splitlines()
    except OSError:
        return None
    for line in lines:
        # "1: FLOCK  ADVISORY  WRITE 1234 fd:01:5678 0 EOF"; waiters are "1: -> FLOCK ...".
        fields = line.split()
        if len(fields) < 6 or fields[1] == "->" or fields[1] != "FLOCK":
            continue
        pid, where = fields[4], fields[5]
        if not pid.isdigit() or int(pid) <= 0:
            continue
        if where == device:
            return int(pid)
        if where.rsplit(":", 1)[-1] == str(info.st_ino):
            by_inode.append(int(pid))
    # Overlay and some FUSE file systems report another device number: trust a unique inode.
    return by_inode[0] if len(set(by_inode)) == 1 else None


@contextlib.contextmanager
def folder_lock(path: str | os.PathLike[str], timeout: float | None = None) -> Iterator[None]:
    """Hold an exclusive lock on the folder of ``path`` while planner writes there.

    Two planner processes writing the same file take turns instead of racing. Waits
    at most ``timeout`` seconds (default :data:`LOCK_TIMEOUT_SECONDS`), then raises
    :class:`FolderLocked`.
    """
    folder = Path(os.path.realpath(path)).parent
    limit = LOCK_TIMEOUT_SECONDS if timeout is None else timeout
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_CLOEXEC", 0))
    try:
        started = time.monotonic()
        pause = _FIRST_POLL
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                waited = time.monotonic() - started
                if waited >= limit:
                    raise FolderLocked(folder, waited, lock_holder(fd)) from None
                time.sleep(min(pause, max(limit - waited, 0.0)))
                pause = min(pause * 2, _LONGEST_POLL)
        try:
            yield
        finally:
            with contextlib.suppress(OSError):
                fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
