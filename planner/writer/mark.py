"""Appending a marker to a line, and taking it away again, as checked byte patches.

Used to record a choice where there is no checkbox to tick: choosing "### Option A: …"
appends `` ✅`` to that heading (before trailing blanks and an ATX closing sequence),
un-choosing removes exactly that again. Like every planner edit it changes only those
bytes, refuses when the file changed on disk since it was parsed, writes atomically
under the folder lock, and returns an :class:`~planner.writer.edit.Edit` that
:func:`planner.writer.edit.undo` can reverse.
"""

from __future__ import annotations

import re

from planner.model.document import Document
from planner.model.parser import BOM, NEWLINE_BYTES, digest, parse_document
from planner.writer.atomic import FileChanged, FileId
from planner.writer.edit import Edit, EditError, TaskKey, _locked, _mtime, _read, _short, _write

# Where appended text goes: before trailing blanks and an ATX heading's closing "###".
_LINE_END = re.compile(r"(?:[ \t]+#+)?[ \t]*$")


def _line_bounds(data: bytes, line: int) -> tuple[int, int]:
    """Byte offsets (start, end without the line break) of 1-based ``line``."""
    base = len(BOM) if data.startswith(BOM) else 0
    start = base
    for _ in range(line - 1):
        match = NEWLINE_BYTES.search(data, start)
        if match is None:
            raise EditError(f"line {line} is past the end of the file")
        start = match.end()
    match = NEWLINE_BYTES.search(data, start)
    return start, match.start() if match else len(data)


def _checked_bytes(document: Document) -> tuple[bytes, FileId]:
    data, identity = _read(document.path)
    if digest(data) != document.digest:
        raise EditError(f"{document.path}: the file changed on disk since it was read; reload and try again")
    return data, identity


def _apply(
    document: Document, read: tuple[bytes, FileId], offset: int, old: bytes, new: bytes, line: int, description: str
) -> tuple[Edit, Document]:
    data, identity = read
    patched = data[:offset] + new + data[offset + len(old) :]
    try:
        _write(document.path, data, identity, [(offset, old, new)])
    except FileChanged as changed:
        what = "was deleted or renamed" if changed.gone else "changed on disk"
        raise EditError(f"{document.path}: the file {what} while planner wrote it; nothing written, reload and try again") from None
    after = parse_document(document.path, patched, _mtime(document.path))
    key = TaskKey("line", " ".join(description.split()), ())
    edit = Edit(document.path, offset, old, new, key, line, after.digest, bool(new), description)
    return edit, after


def append_to_line(document: Document, line: int, text: str) -> tuple[Edit, Document]:
    """Append ``text`` (e.g. ``" ✅"``) at the end of ``line``'s content."""
    with _locked(document.path):
        read = _checked_bytes(document)
        data = read[0]
        start, end = _line_bounds(data, line)
        raw = data[start:end].decode("utf-8", "surrogateescape")
        content_end = _LINE_END.search(raw).start()  # type: ignore[union-attr]
        if content_end == 0:
            raise EditError(f"{document.path}:{line}: the line is empty; nothing written")
        offset = start + len(raw[:content_end].encode("utf-8", "surrogateescape"))
        new = text.encode("utf-8", "surrogateescape")
        return _apply(document, read, offset, b"", new, line, f"mark {_short(raw.strip())}")


def remove_from_line_end(document: Document, line: int, spellings: list[str]) -> tuple[Edit, Document] | None:
    """Remove the first of ``spellings`` found at the end of ``line``'s content; None if none is there."""
    with _locked(document.path):
        read = _checked_bytes(document)
        data = read[0]
        start, end = _line_bounds(data, line)
        raw = data[start:end].decode("utf-8", "surrogateescape")
        content = raw[: _LINE_END.search(raw).start()]  # type: ignore[union-attr]
        for spelling in sorted(spellings, key=len, reverse=True):
            if content.endswith(spelling) and content[: -len(spelling)].strip():
                offset = start + len(content[: -len(spelling)].encode("utf-8", "surrogateescape"))
                old = spelling.encode("utf-8", "surrogateescape")
                return _apply(document, read, offset, old, b"", line, f"unmark {_short(raw.strip())}")
    return None
