"""Atomic file replacement and the per-folder lock that serialises planner writers.

A crash, a kill or a full disk leaves either the old file or the new one: the new
bytes go to a temp file in the same folder, are written and fsynced, get the old
file's permissions (and owner, where we may set it), and are renamed over the
target; then the folder is fsynced. Temp files carry a recognisable name with the
writer's pid, so leftovers of a killed writer are removed by the next start or the
next write in that folder (:func:`remove_stale_temp_files`).

The rename is made conditional: given the identity of the file as it was read
(:func:`file_id`), the target is checked just before the rename and the write is
abandoned with :class:`FileChanged` if anyone saved, replaced or deleted it since —
so a save landing while planner writes is never overwritten, and a deleted file is
never brought back.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import stat
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

TEMP_PREFIX = ".planner-"
TEMP_SUFFIX = ".tmp"
_TEMP_NAME = re.compile(r"^\.planner-(?P<pid>\d+)-.*\.tmp$")
# A write takes milliseconds: a temp file this old is debris even if its pid is alive
# again (pids are reused). Removing a live writer's temp file only makes that write fail.
STALE_AFTER_SECONDS = 600.0

FileId = tuple[int, int, int, int, int]  # (device, inode, size, mtime_ns, ctime_ns)


class FileChanged(Exception):
    """The target changed on disk (saved, replaced or deleted) while planner was writing it."""

    def __init__(self, gone: bool) -> None:
        super().__init__("deleted or renamed" if gone else "changed")
        self.gone = gone


class FolderNotWritable(PermissionError):
    """No temp file can be created beside the target (the folder is not writable for us)."""


class FileNotWritable(PermissionError):
    """The target itself is read-only for us; planner does not replace it through the folder."""


def file_id(info: os.stat_result) -> FileId:
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


# A planning document larger than this is almost surely not one (a log, a dump):
# it is neither parsed (it would stall everything else) nor edited.
MAX_FILE_BYTES = 16 * 1024 * 1024


def _mib(size: int) -> str:
    """A size in MiB, as the limit is set (16 MiB, not "17 MB"); one decimal unless whole."""
    mib = size / (1024 * 1024)
    return f"{mib:.0f} MiB" if mib == int(mib) else f"{mib:.1f} MiB"


class UnreadableFile(Exception):
    """Why a file cannot be read, as a phrase without the path ("permission denied")."""


def read_regular_file(path: str | os.PathLike[str], max_bytes: int) -> tuple[bytes, os.stat_result]:
    """The bytes of a regular file and the stat they were read with.

    Never blocks: a FIFO, device or socket put where a file was is refused, not opened
    for a read that would wait forever; a file past ``max_bytes`` (or growing past it
    while read) is refused. Raises :class:`UnreadableFile` with the reason.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise UnreadableFile("the file is gone (deleted or renamed)") from None
    except PermissionError:
        raise UnreadableFile("permission denied") from None
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise UnreadableFile("symlink loop") from None
        raise UnreadableFile(f"cannot open ({err.strerror or err})") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise UnreadableFile("is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFile("not a regular file (a FIFO, device or socket)")
        if info.st_size > max_bytes:
            raise UnreadableFile(f"too large ({_mib(info.st_size)} > {_mib(max_bytes)})")
        chunks: list[bytes] = []
        total = 0
        while chunk := os.read(fd, max(info.st_size + 1, 65536)):
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:
                raise UnreadableFile(f"too large (grew past {_mib(max_bytes)} while read)")
    except OSError as err:
        raise UnreadableFile(f"cannot read ({err.strerror or err})") from None
    finally:
        os.close(fd)
    return b"".join(chunks), info


def real_path(path: str | os.PathLike[str]) -> Path:
    """The file a path finally names: replacing a symlink itself would cut the link."""
    return Path(os.path.realpath(path))


def atomic_write(
    path: str | os.PathLike[str],
    data: bytes | Sequence[bytes | memoryview],
    expect: FileId | None = None,
) -> None:
    """Replace the file at ``path`` with ``data``, all or nothing, keeping its permissions.

    ``data`` may be given as consecutive pieces (a patch around an unchanged file),
    so a one-byte edit of a large file never copies it in memory. With ``expect``,
    the file must still be the one read (same :func:`file_id`) right before the
    rename, else :class:`FileChanged` is raised and nothing is written.
    """
    pieces = [data] if isinstance(data, bytes | bytearray | memoryview) else list(data)
    target = real_path(path)
    folder = target.parent
    try:
        info: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        if expect is not None:
            raise FileChanged(gone=True) from None
        info = None
    if info is not None:
        _check_writable(target)
    mode = stat.S_IMODE(info.st_mode) if info is not None else 0o644
    import tempfile  # noqa: PLC0415 - only when writing (discovery imports this module too)

    try:
        fd, temp = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-", suffix=TEMP_SUFFIX, dir=folder)
    except PermissionError as err:
        raise FolderNotWritable(err.errno, f"cannot create a file in {folder}") from None
    try:
        try:
            for piece in pieces:
                view = memoryview(piece).cast("B")
                while view:
                    written = os.write(fd, view)
                    view = view[written:]
            os.fchmod(fd, mode)
            if info is not None and (info.st_uid, info.st_gid) != (os.geteuid(), os.getegid()):
                with contextlib.suppress(PermissionError):
                    os.fchown(fd, info.st_uid, info.st_gid)  # root editing a user's file keeps it theirs
            os.fsync(fd)
        finally:
            os.close(fd)
        if expect is not None:
            try:
                now = file_id(os.stat(target))
            except FileNotFoundError:
                raise FileChanged(gone=True) from None
            if now != expect:
                raise FileChanged(gone=False)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    _fsync_folder(folder)


def _check_writable(target: Path) -> None:
    """Refuse a file we may not write: replacing it through its folder would defeat its mode."""
    effective = os.access in os.supports_effective_ids
    if os.access(target, os.W_OK, effective_ids=effective):
        return
    try:
        read_only_fs = bool(os.statvfs(target.parent).f_flag & os.ST_RDONLY)
    except OSError:
        read_only_fs = False
    if read_only_fs:
        raise OSError(errno.EROFS, "Read-only file system", str(target))
    raise FileNotWritable(errno.EACCES, "the file is read-only for you", str(target))


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
    The kernel drops it when the holder dies, even by SIGKILL.
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


def is_temp_name(name: str) -> bool:
    return bool(_TEMP_NAME.match(name))


def remove_stale_temp_files(folder: str | os.PathLike[str]) -> list[Path]:
    """Delete temp files left by planner writers that are no longer running.

    A temp file is debris when its writer's pid is gone, or when it is older than
    :data:`STALE_AFTER_SECONDS` (its pid was reused by another process).
    """
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        match = _TEMP_NAME.match(entry.name)
        if not match:
            continue
        try:
            age = now - entry.stat(follow_symlinks=False).st_mtime
        except OSError:
            continue
        pid = int(match.group("pid"))
        alive = pid == os.getpid() or pid_alive(pid)
        if alive and age < STALE_AFTER_SECONDS:
            continue  # a write in progress
        with contextlib.suppress(OSError):
            os.unlink(entry.path)
            removed.append(Path(entry.path))
    return removed
