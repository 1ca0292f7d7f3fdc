"""Loading files into documents: safe reads, clear one-line problems, one file never stops the rest."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from planner.model.document import Document
from planner.model.parser import parse_document
from planner.writer.atomic import MAX_FILE_BYTES, UnreadableFile, read_regular_file

_BINARY_SNIFF = 8192


class LoadProblem(Exception):
    """A file that could not be loaded; ``str()`` is the one-line reason."""


@dataclass(frozen=True)
class Snapshot:
    """The bytes of a file and the stat they were read with."""

    data: bytes
    size: int
    mtime_ns: int
    ctime_ns: int = 0
    inode: int = 0

    @property
    def key(self) -> tuple[int, int, int, int]:
        """What the document cache compares: (size, mtime_ns, ctime_ns, inode)."""
        return (self.size, self.mtime_ns, self.ctime_ns, self.inode)


def read_snapshot(path: str | os.PathLike[str], max_bytes: int = MAX_FILE_BYTES) -> Snapshot:
    """Read a regular file without blocking on FIFOs or devices; raise :class:`LoadProblem`."""
    try:
        data, info = read_regular_file(path, max_bytes)
    except UnreadableFile as reason:
        raise LoadProblem(f"{path}: {reason}; skipped") from None
    return Snapshot(data, info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


def looks_binary(data: bytes) -> bool:
    return b"\x00" in data[:_BINARY_SNIFF]


def load_document(path: str | os.PathLike[str]) -> tuple[Document, str | None]:
    """Read and parse one file: the document and an optional one-line warning.

    Raises :class:`LoadProblem` with a one-line reason when the file cannot be used.
    """
    document, warning, _ = load_snapshot(path, prefilter=False)
    assert document is not None
    return document, warning


def load_snapshot(path: str | os.PathLike[str], prefilter: bool) -> tuple[Document | None, str | None, Snapshot]:
    """Read and parse one file; with ``prefilter``, a file that cannot hold planning
    content is not parsed at all and gives no document."""
    snapshot = read_snapshot(path)
    if looks_binary(snapshot.data):
        raise LoadProblem(f"{path}: binary file (contains NUL bytes); skipped")
    warning = encoding_warning(path, snapshot.data)
    if prefilter and not may_hold_planning(snapshot.data):
        return None, warning, snapshot
    try:
        document = parse_document(str(Path(path).absolute()), snapshot.data, snapshot.mtime_ns)
    except RecursionError:  # nesting past what any parse can follow: this file alone is skipped
        raise LoadProblem(f"{path}: nested too deeply to be read as Markdown; skipped") from None
    except Exception as error:  # noqa: BLE001 - one odd file never stops a load, a reload or an edit
        raise LoadProblem(f"{path}: could not be read as Markdown ({type(error).__name__}: {error}); skipped") from None
    return document, warning, snapshot


def _planning_signals() -> re.Pattern[bytes]:
    """Bytes without any of these cannot be a planning document, so need no parse:
    a checkbox, a status marker (any spelling), or a priority word or emoji."""
    from planner.model.markers import EMOJI_STATUS, WORD_STATUS  # noqa: PLC0415
    from planner.model.mojibake import spellings  # noqa: PLC0415
    from planner.model.priority import EMOJI_PRIORITY  # noqa: PLC0415

    emoji = {s.encode("utf-8") for e in (*EMOJI_STATUS, *EMOJI_PRIORITY) for s in spellings(e)}
    words = [w.split()[0].encode() for w in WORD_STATUS]
    alternatives = [re.escape(e) for e in sorted(emoji, key=len, reverse=True)]
    alternatives += [re.escape(w) for w in words]
    alternatives += [rb"\[[^\]\n]\]", rb"\bP[0-3]\b"]
    # Every wording planner.model.kinds.classify keeps a file for (tests pin the agreement).
    alternatives += [
        rb"(?i:priority|prio\b|critical|urgent|blocker|\bhigh|\bmedium|\blow\b|\blowest|nice.to.have|future)",
        rb"(?i:option|plan\b|alternative|scenario|approach|proposal|decision|recommend)",
        rb"(?i:today|focus|daily|sprint|backlog|roadmap|milestone|iteration|phase|status|effort|estimate)",
    ]
    return re.compile(b"|".join(alternatives))


_SIGNALS: re.Pattern[bytes] | None = None


def may_hold_planning(data: bytes) -> bool:
    global _SIGNALS  # noqa: PLW0603 - compiled once, on first use
    if _SIGNALS is None:
        _SIGNALS = _planning_signals()
    return _SIGNALS.search(data) is not None


def encoding_warning(path: str | os.PathLike[str], data: bytes) -> str | None:
    """A note for files that are not valid UTF-8 (shown as is; edits keep every byte)."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        return f"{path}: not valid UTF-8 (byte {err.start}); shown as best it can be, bytes kept as they are"
    return None
