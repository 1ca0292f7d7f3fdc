"""Loading files into documents: safe reads, clear one-line problems, one file never stops the rest."""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from planner.model.document import Document
from planner.model.parser import parse_document

# A planning document larger than this is almost surely not one (a log, a dump);
# parsing it would stall everything else, so it is reported and skipped.
MAX_FILE_BYTES = 16 * 1024 * 1024
_BINARY_SNIFF = 8192


class LoadProblem(Exception):
    """A file that could not be loaded; ``str()`` is the one-line reason."""


@dataclass(frozen=True)
class Snapshot:
    """The bytes of a file and the stat they were read with."""

    data: bytes
    size: int
    mtime_ns: int


def read_snapshot(path: str | os.PathLike[str], max_bytes: int = MAX_FILE_BYTES) -> Snapshot:
    """Read a regular file without blocking on FIFOs or devices; raise :class:`LoadProblem`."""
    name = str(path)
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise LoadProblem(f"{name}: the file is gone (deleted or renamed)") from None
    except PermissionError:
        raise LoadProblem(f"{name}: permission denied") from None
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise LoadProblem(f"{name}: symlink loop") from None
        raise LoadProblem(f"{name}: cannot open ({err.strerror or err})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise LoadProblem(f"{name}: not a regular file (a FIFO, device or socket); skipped")
        if info.st_size > max_bytes:
            raise LoadProblem(
                f"{name}: too large to be a planning document "
                f"({info.st_size / 1e6:.1f} MB > {max_bytes / 1e6:.0f} MB); skipped"
            )
        chunks: list[bytes] = []
        while True:
            chunk = os.read(fd, max(info.st_size + 1, 65536))
            if not chunk:
                break
            chunks.append(chunk)
            if sum(map(len, chunks)) > max_bytes:
                raise LoadProblem(f"{name}: grew past {max_bytes / 1e6:.0f} MB while reading; skipped")
        data = b"".join(chunks)
    except OSError as err:
        raise LoadProblem(f"{name}: cannot read ({err.strerror or err})") from None
    finally:
        os.close(fd)
    return Snapshot(data, info.st_size, info.st_mtime_ns)


def looks_binary(data: bytes) -> bool:
    return b"\x00" in data[:_BINARY_SNIFF]


def load_document(path: str | os.PathLike[str]) -> tuple[Document, str | None]:
    """Read and parse one file: the document and an optional one-line warning.

    Raises :class:`LoadProblem` with a one-line reason when the file cannot be used.
    """
    snapshot = read_snapshot(path)
    if looks_binary(snapshot.data):
        raise LoadProblem(f"{path}: binary file (contains NUL bytes); skipped")
    document = parse_document(str(Path(path).absolute()), snapshot.data, snapshot.mtime_ns)
    return document, encoding_warning(path, snapshot.data)


def encoding_warning(path: str | os.PathLike[str], data: bytes) -> str | None:
    """A note for files that are not valid UTF-8 (shown as is; edits keep every byte)."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        return f"{path}: not valid UTF-8 (byte {err.start}); shown as best it can be, bytes kept as they are"
    return None
