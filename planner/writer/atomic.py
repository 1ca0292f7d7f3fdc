"""Writing planning files: in place where the length allows, else by an atomic rename.

:func:`write_replacements` is the one write of an edit. Given the bytes the caller
read, their identity (:func:`file_id`) and byte replacements, it writes:

- **In place** when every replacement keeps its length (a checkbox tick, a marker of
  the same byte length): the file itself is opened (never a symlink swapped in), must
  still be the inode read and still start with the bytes read (a file that only grew
  by appends is fine), and only the changed bytes are ``pwrite``-n, then fsynced. The
  inode, hard links, owner, group, mode, ACLs and xattrs stay, and a program appending
  to the file meanwhile loses nothing.
- **By rewrite** otherwise: a temp file beside the target gets the new bytes, the old
  file's owner, group, mode, ACLs and xattrs (:mod:`planner.writer.metadata`), bytes
  appended to the old file meanwhile, and is renamed over the target. A file with more
  than one hard link is refused (:class:`HardLinked`): a rename would split the links,
  and a length-changing write in place is not crash safe.

A crash, a kill or a full disk leaves the old file or the new one. Any change other
than an append since the caller's read raises :class:`FileChanged` and nothing is
written, so nobody's save is overwritten and a deleted file is never brought back.
Temp files are journaled (:mod:`planner.writer.temps`); the folder lock is in
:mod:`planner.writer.lock` (both re-exported here).
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Sequence
from pathlib import Path

from planner.writer.lock import LOCK_TIMEOUT_SECONDS, FolderLocked, folder_lock
from planner.writer.metadata import MetadataNotKept, copy_metadata
from planner.writer.temps import (
    STALE_AFTER_SECONDS,
    TEMP_PREFIX,
    TEMP_SUFFIX,
    TempFile,
    create_temp,
    is_temp_name,
    pid_alive,
    remove_stale_temp_files,
)

__all__ = [
    "LOCK_TIMEOUT_SECONDS",
    "STALE_AFTER_SECONDS",
    "TEMP_PREFIX",
    "TEMP_SUFFIX",
    "FolderLocked",
    "MetadataNotKept",
    "folder_lock",
    "is_temp_name",
    "pid_alive",
    "remove_stale_temp_files",
]

FileId = tuple[int, int, int, int, int]  # (device, inode, size, mtime_ns, ctime_ns)
Replacement = tuple[int, bytes, bytes]  # (offset into the bytes read, old bytes, new bytes)

_OPEN = getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
# Changed spans closer than this are written by one pwrite (with the checked bytes between).
_JOIN_GAP = 256


class FileChanged(Exception):
    """The target changed on disk (saved, replaced or deleted) while planner was writing it."""

    def __init__(self, gone: bool) -> None:
        super().__init__("deleted or renamed" if gone else "changed")
        self.gone = gone


class FolderNotWritable(PermissionError):
    """No temp file can be created beside the target (the folder is not writable for us)."""


class FileNotWritable(PermissionError):
    """The target itself is read-only for us; planner does not replace it through the folder."""


class HardLinked(OSError):
    """A length-changing rewrite of a file with several hard links (it would split them)."""

    def __init__(self, path: str | os.PathLike[str], links: int) -> None:
        super().__init__(errno.EMLINK, f"has {links} hard links; rewriting it would split them", str(path))
        self.links = links

    def __str__(self) -> str:
        return f"{self.filename} {self.strerror}"


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


def write_replacements(
    path: str | os.PathLike[str], data: bytes, identity: FileId, replacements: Sequence[Replacement]
) -> None:
    """Apply ``replacements`` to the file ``data`` was read from (as ``identity``), checked.

    ``replacements`` are sorted, non-overlapping ``(offset, old, new)`` with
    ``data[offset:offset + len(old)] == old`` (else :class:`ValueError`). The caller
    holds the folder lock. Raises :class:`FileChanged` if the file is not the one read
    any more (another inode, or its first ``len(data)`` bytes differ: only appends are
    allowed meanwhile); :class:`HardLinked`, :class:`FileNotWritable`,
    :class:`FolderNotWritable`, :class:`MetadataNotKept` or an :class:`OSError` when it
    cannot be written; in every such case the file is as it was.

    In place (all lengths kept): a patch of several spans far apart is several pwrites,
    so a crash between them can leave some applied (each span whole). After the fsync
    the path must still name the inode (else the old bytes are put back) and the new
    bytes must still be there (else someone saved the whole file after us); either way
    :class:`FileChanged` is raised and the caller reads again. The window that remains:
    a program writing those same bytes between the check and the pwrite (microseconds)
    is overwritten there; appends and writes elsewhere in the file are kept.

    By rewrite, the windows that remain (microseconds; other programs do not take
    planner's lock):
    a program that renames its own save onto the path between planner's last check and
    its rename loses that save; one that writes into the middle of the old file in that
    window loses that write. Bytes appended to the old file up to just after the rename
    (two checks: right after it and after the folder fsync) are carried over into the
    new file; a program that keeps the old file open and writes later writes into the
    old, unlinked inode, and planner cannot see that.
    """
    _check_replacements(data, replacements)
    target = real_path(path)
    if all(len(old) == len(new) for _, old, new in replacements):
        _write_in_place(target, data, identity, replacements)
    else:
        _rewrite(target, data, identity, replacements)


def _check_replacements(data: bytes, replacements: Sequence[Replacement]) -> None:
    end = 0
    for offset, old, new in replacements:
        if offset < end or offset + len(old) > len(data) or data[offset : offset + len(old)] != old:
            raise ValueError(f"replacement at {offset} does not match the bytes read, or overlaps another")
        if not isinstance(new, bytes | bytearray | memoryview):
            raise ValueError("replacement bytes must be bytes")
        end = offset + len(old)


def _open_file(target: Path, flags: int, identity: FileId | None) -> tuple[int, os.stat_result]:
    """Open the regular file at ``target`` (no symlink followed) and check it is ``identity``'s inode."""
    try:
        fd = os.open(target, flags | _OPEN)
    except FileNotFoundError:
        raise FileChanged(gone=True) from None
    except PermissionError as err:
        if err.errno == errno.EACCES:
            raise FileNotWritable(errno.EACCES, "the file is read-only for you", str(target)) from None
        raise
    except OSError as err:
        if err.errno == errno.ELOOP:  # a symlink put where the file was
            raise FileChanged(gone=False) from None
        raise
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or (identity is not None and (info.st_dev, info.st_ino) != identity[:2]):
        os.close(fd)
        raise FileChanged(gone=False)
    return fd, info


def _holds(fd: int, expected: bytes | memoryview, at: int = 0) -> bool:
    """Whether the file's bytes from ``at`` start with ``expected``."""
    view = memoryview(expected)
    chunk = 1 << 20
    for start in range(0, len(view), chunk):
        want = view[start : start + chunk]
        got = _pread_all(fd, len(want), at + start)
        if got != want:
            return False
    return True


def _pread_all(fd: int, size: int, offset: int) -> bytes:
    parts: list[bytes] = []
    while size > 0:
        part = os.pread(fd, size, offset)
        if not part:
            break
        parts.append(part)
        size -= len(part)
        offset += len(part)
    return b"".join(parts)


def _pwrite_all(fd: int, data: bytes, offset: int) -> None:
    view = memoryview(data)
    while view:
        written = os.pwrite(fd, view, offset)
        view = view[written:]
        offset += written


def _spans(data: bytes, replacements: Sequence[Replacement]) -> list[Replacement]:
    """The bytes that really change, as few pwrites as reasonable: common ends trimmed, near spans joined."""
    spans: list[Replacement] = []
    for offset, old, new in replacements:
        start, end = 0, len(old)
        while start < end and old[start] == new[start]:
            start += 1
        while end > start and old[end - 1] == new[end - 1]:
            end -= 1
        if start == end:
            continue
        at = offset + start
        if spans and at - (spans[-1][0] + len(spans[-1][1])) <= _JOIN_GAP:
            prev_at, prev_old, prev_new = spans[-1]
            gap = data[prev_at + len(prev_old) : at]
            spans[-1] = (prev_at, prev_old + gap + old[start:end], prev_new + gap + bytes(new[start:end]))
        else:
            spans.append((at, old[start:end], bytes(new[start:end])))
    return spans


def _write_in_place(target: Path, data: bytes, identity: FileId, replacements: Sequence[Replacement]) -> None:
    fd, info = _open_file(target, os.O_RDWR, identity)
    try:
        if not _holds(fd, data):
            raise FileChanged(gone=False)
        spans = _spans(data, replacements)
        done: list[Replacement] = []
        try:
            for span in spans:
                done.append(span)  # before the pwrite: a partial write is put back too
                _pwrite_all(fd, span[2], span[0])
            os.fsync(fd)
            _check_names(target, info)
        except BaseException:
            _put_back(fd, done)
            raise
        # Someone who wrote the whole file meanwhile (a save in place) wrote after us: the
        # edit is not there; the caller reads their bytes again and retries.
        if any(_pread_all(fd, len(new), at) != new for at, _, new in spans):
            raise FileChanged(gone=False)
    finally:
        os.close(fd)


def _put_back(fd: int, done: list[Replacement]) -> None:
    """Best effort: the old bytes of a failed in-place write (a failed fsync, a path renamed over)."""
    for offset, old, _ in reversed(done):
        try:
            _pwrite_all(fd, old, offset)
        except OSError:
            return
    try:
        os.fdatasync(fd)  # the size is unchanged: the data is all there is to flush
    except OSError:
        pass


def _check_names(target: Path, info: os.stat_result) -> None:
    """The path still names the inode written (nobody deleted, renamed or replaced it)."""
    try:
        now = os.lstat(target)
    except FileNotFoundError:
        raise FileChanged(gone=True) from None
    if (now.st_dev, now.st_ino) != (info.st_dev, info.st_ino):
        raise FileChanged(gone=False)


class _Tail:
    """What the old file holds beyond the bytes read: appended meanwhile, carried into the new file."""

    def __init__(self, source: int, data: bytes) -> None:
        self.source = source
        self.data = data
        self.tail = b""

    def carry(self, temp: TempFile, verify: bool) -> bool:
        """Append to ``temp`` what was appended to the old file since; True if anything was.

        With ``verify``, the old file must still hold what was copied from it, else
        :class:`FileChanged`; without, a shrunk old file just has nothing to carry."""
        copied = len(self.data) + len(self.tail)
        size = os.fstat(self.source).st_size
        if size < copied:
            if not verify:
                return False
            raise FileChanged(gone=False)
        if verify and not (_holds(self.source, self.data) and _holds(self.source, self.tail, len(self.data))):
            raise FileChanged(gone=False)
        more = _pread_all(self.source, size - copied, copied) if size > copied else b""
        if not more:
            return False
        _write_all(temp.fd, more)  # the temp file is O_APPEND: after any append by others too
        self.tail += more
        return True


def _write_all(fd: int, piece: bytes | memoryview) -> None:
    view = memoryview(piece).cast("B")
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _rewrite(target: Path, data: bytes, identity: FileId, replacements: Sequence[Replacement]) -> None:
    source, info = _open_file(target, os.O_RDONLY, identity)
    try:
        if info.st_nlink > 1:
            raise HardLinked(target, info.st_nlink)
        _check_writable(target)
        if not _holds(source, data):
            raise FileChanged(gone=False)
        pieces: list[bytes | memoryview] = []
        view, at = memoryview(data), 0
        for offset, old, new in replacements:
            pieces += [view[at:offset], new]
            at = offset + len(old)
        pieces.append(view[at:])
        tail = _Tail(source, data)
        unsynced = [False]

        def before_rename(temp: TempFile) -> None:
            # Appended since the read: carried; anything else: refused. Then the path must
            # still name the old file, and what was appended up to now is carried too. No
            # fsync between that check and the rename: a slow disk must not widen the window.
            if tail.carry(temp, verify=True):
                os.fsync(temp.fd)
            _check_names(target, info)
            unsynced[0] = tail.carry(temp, verify=False)

        def after_rename(temp: TempFile) -> bool:
            return tail.carry(temp, verify=False) or unsynced[0]

        _replace(target, pieces, source, info, before_rename, after_rename)
    finally:
        os.close(source)


def _replace(target, pieces, source, info, before_rename, after_rename) -> None:  # noqa: ANN001
    """Write ``pieces`` to a journaled temp file, give it ``source``'s metadata, rename it over ``target``."""
    folder = target.parent
    try:
        temp = create_temp(folder)
    except PermissionError as err:
        raise FolderNotWritable(err.errno, f"cannot create a file in {folder}") from None
    try:
        try:
            for piece in pieces:
                _write_all(temp.fd, piece)
            if source is not None:
                copy_metadata(source, info, temp.fd, str(target))
            else:
                os.fchmod(temp.fd, 0o644)
            os.fsync(temp.fd)
            before_rename(temp)
            os.replace(temp.path, target)
        except BaseException:
            temp.discard()
            raise
        temp.forget()
        # Written: from here on nothing may report failure. What a writer that opened the old
        # file before the rename appended to it just after is carried over (best effort).
        try:
            late = after_rename(temp)
            _fsync_folder(folder)
            if after_rename(temp) or late:
                os.fsync(temp.fd)
        except OSError:
            pass
    finally:
        os.close(temp.fd)


def atomic_write(
    path: str | os.PathLike[str],
    data: bytes | Sequence[bytes | memoryview],
    expect: FileId | None = None,
) -> None:
    """Replace (or create) the file at ``path`` with ``data``, all or nothing, by a rename.

    Keeps owner, group, mode, ACLs and xattrs like a rewrite by
    :func:`write_replacements`, and refuses a file with several hard links. With
    ``expect``, the file must still be exactly the one read (same :func:`file_id`)
    right before the rename, else :class:`FileChanged` is raised and nothing is written.
    """
    pieces = [data] if isinstance(data, bytes | bytearray | memoryview) else list(data)
    target = real_path(path)
    try:
        source, info = _open_file(target, os.O_RDONLY, None)
    except FileChanged as changed:
        if expect is not None:
            raise
        if not changed.gone:  # a folder, FIFO or symlink loop where the file should be
            raise OSError(errno.EINVAL, "not a regular file", str(target)) from None
        source, info = None, None
    try:
        if info is not None:
            if expect is not None and file_id(info) != expect:
                raise FileChanged(gone=False)
            if info.st_nlink > 1:
                raise HardLinked(target, info.st_nlink)
            _check_writable(target)

        def before_rename(temp: TempFile) -> None:
            if expect is None:
                return
            try:
                now = file_id(os.lstat(target))
            except FileNotFoundError:
                raise FileChanged(gone=True) from None
            if now != expect:
                raise FileChanged(gone=False)

        _replace(target, pieces, source, info, before_rename, lambda temp: False)
    finally:
        if source is not None:
            os.close(source)


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
