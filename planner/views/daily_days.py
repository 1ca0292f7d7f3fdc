"""Which day the daily focus shows: the days that have a daily note, and stepping between them.

A daily note is a document with tasks whose file name or title names its day
(:func:`planner.model.dates.note_day`: ``journal/2026/12/01.md``, ``2026-12-01.md``,
``Daily 2026-12-01``). The days to step through are those notes' days and today (today is
always there, with or without a note of its own), in date order. Pure: no I/O, no clock.
"""

from __future__ import annotations

from collections.abc import Callable

from planner.model.dates import note_day
from planner.model.document import Document


def document_day(document: Document) -> str | None:
    """The day ``document`` is the daily note of (ISO), None when it is none or has no tasks."""
    return note_day(document.path, document.title) if document.tasks else None


def note_days(documents: list[Document], day_of: Callable[[Document], str | None] = document_day) -> dict[str, Document]:
    """Day → its daily note (the first one found, as :func:`planner.views.focus.find_daily` picks), in date order."""
    found: dict[str, Document] = {}
    for document in documents:
        day = day_of(document)
        if day is not None and day not in found:
            found[day] = document
    return dict(sorted(found.items()))


def step_day(days: list[str], current: str, step: int, today: str) -> str | None:
    """The day ``step`` (-1 or +1) from ``current`` among ``days`` and ``today``; None past either end."""
    ordered = sorted({*days, today, current})
    index = ordered.index(current) + step
    return ordered[index] if 0 <= index < len(ordered) else None
