"""Appending a marker to a line, and taking it away again, as planned byte patches.

Used to record a choice where there is no checkbox to tick: choosing "### Option A: …"
appends `` ✅`` to that heading (before trailing blanks and an ATX closing sequence),
un-choosing removes exactly that again. It goes through :func:`planner.writer.patch.apply`
like every planner edit: planned against the bytes just read (the line found again
by its text when the file changed since it was parsed), checked by re-parsing, written
under the folder lock, undoable with :func:`planner.writer.patch.undo`.
"""

from __future__ import annotations

import re

from planner.model.document import Document
from planner.writer.patch import Edit, EditError, Plan, Span, TaskKey, apply, line_bounds, line_start_of, short

# Where appended text goes: before trailing blanks and an ATX heading's closing "###".
_LINE_END = re.compile(rb"(?:[ \t]+#+)?[ \t]*$")


def _line_now(data: bytes, document: Document, current: Document, line: int) -> tuple[int, int, int]:
    """(number, start, end) of ``document``'s ``line`` in the bytes just read: the same line
    while the file is unchanged, else the heading with the same title (found once), else refused."""
    if current is not document:
        was = [s.title for s in document.sections if s.line == line]
        now = [s.line for s in current.sections if was and s.title == was[0]]
        if len(now) != 1:
            raise EditError(f"{document.path}:{line}: the file changed on disk since it was read; reload and try again")
        line = now[0]
    start = line_start_of(data, line)
    return line, start, line_bounds(data, start)[1]


def _state(document: Document, line: int) -> str | None:
    task = document.task_at_line(line)
    return task.state if task is not None else None


def append_to_line(document: Document, line: int, text: str) -> tuple[Edit, Document]:
    """Append ``text`` (e.g. ``" ✅"``) at the end of ``line``'s content."""

    def planner(data: bytes, current: Document) -> Plan:
        number, start, end = _line_now(data, document, current, line)
        raw = data[start:end]
        content_end = _LINE_END.search(raw).start()  # type: ignore[union-attr]
        if content_end == 0:
            raise EditError(f"{document.path}:{line}: the line is empty; nothing written")
        span = Span(start + content_end, b"", text.encode("utf-8", "surrogateescape"))
        description = f"mark {short(raw.decode('utf-8', 'replace').strip())}"
        return Plan((span,), number, _key(raw), _state(current, number), None, description)

    return apply(document, planner)


def remove_from_line_end(document: Document, line: int, spellings: list[str]) -> tuple[Edit, Document] | None:
    """Remove the first of ``spellings`` found at the end of ``line``'s content; None if none is there."""

    def planner(data: bytes, current: Document) -> Plan:
        number, start, end = _line_now(data, document, current, line)
        raw = data[start:end]
        content = raw[: _LINE_END.search(raw).start()]  # type: ignore[union-attr]
        for spelling in sorted((s.encode("utf-8", "surrogateescape") for s in spellings), key=len, reverse=True):
            if content.endswith(spelling) and content[: -len(spelling)].strip():
                span = Span(start + len(content) - len(spelling), spelling, b"")
                description = f"unmark {short(raw.decode('utf-8', 'replace').strip())}"
                return Plan((span,), number, _key(raw), _state(current, number), None, description)
        raise _NothingToRemove

    try:
        return apply(document, planner)
    except _NothingToRemove:
        return None


class _NothingToRemove(Exception):
    pass


def _key(raw: bytes) -> TaskKey:
    return TaskKey("line", " ".join(raw.decode("utf-8", "replace").split()), ())
