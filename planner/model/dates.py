"""Dates: each task's due, scheduled, start and done dates; the day a daily note is for; today.

A task's dates come from its own line first (Obsidian Tasks emoji, Dataview fields, todo.txt,
see :mod:`planner.model.dialects`), then from the fields written under it: a checkbox's
sub-bullets (``- **Due**: 2025-12-05``, ``- due:: 2025-12-05``, ``- Deadline: Friday 5 Dec``), a
heading task's section fields. Dates are pure functions of the file (a date without a year
takes the document's own year), so they are cached with the document.

"Today" (:func:`today`, :func:`set_today`) lives in :mod:`planner.model.days`, re-exported here.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from pathlib import PurePath
from typing import TYPE_CHECKING

from planner.model.days import TODAY_VARIABLE, parse_day, set_today, today  # noqa: F401 - re-exported
from planner.model.dialects import (
    DATE_KINDS,
    EMPTY,
    FIELD_KINDS,
    ISO,
    field_kind,
    line_metadata,
    may_hold_metadata,
    strip_metadata,
    valid_iso,
    written_date,
)
from planner.model.mojibake import repair

if TYPE_CHECKING:
    from planner.model.document import Document, Field

# -- task dates ---------------------------------------------------------------------------------


def task_dates(document: Document) -> None:
    """Set ``due``, ``scheduled``, ``start``, ``done_date`` and ``tags`` of every task, and drop
    the metadata a line carries from its display title."""
    by_task: dict[int, list[Field]] = defaultdict(list)
    by_section: dict[int, list[Field]] = defaultdict(list)
    for f in document.fields:
        if f.key in _DATE_KEYS:  # only date fields matter here
            if f.task is not None:
                by_task[f.task].append(f)
            elif f.section is not None:
                by_section[f.section].append(f)
    year: list[int | None] = []  # the document's year, found once when a date needs it

    def document_year() -> int | None:
        if not year:
            year.append(reference_year(document))
        return year[0]

    for task in document.tasks:
        fields = by_task.get(task.index) if task.kind == "checkbox" else by_section.get(task.heads)  # type: ignore[arg-type]
        text = task.text
        if not fields and text.isascii() and "::" not in text and "#" not in text and "+" not in text and ":2" not in text and text[:1] != "(" and "!" not in text and "(2" not in text and "@" not in text:  # noqa: E501
            continue  # most tasks: nothing to read, told at C speed (may_hold_metadata, inlined)
        if not fields and not may_hold_metadata(text):
            continue
        meta = line_metadata(task.text)
        found = {"due": meta.due, "scheduled": meta.scheduled, "start": meta.start, "done": meta.done}
        if fields:
            for f in fields:
                kind = field_kind(f.key)
                if kind in DATE_KINDS and found[kind] is None:
                    found[kind] = written_date(repair(f.value), document_year())
        if meta is EMPTY and not fields:
            continue
        title = task.title
        if meta is not EMPTY and meta._replace(tags=()) != EMPTY:  # more than tags: strip it
            stripped = strip_metadata(title)
            if stripped != title:
                title = stripped
        document.tasks[task.index] = task._replace(  # tasks are immutable: a copy in its place
            due=found["due"], scheduled=found["scheduled"], start=found["start"], done_date=found["done"], tags=meta.tags, title=title
        )


# The field names that can hold a date (and their snake_case spellings): only they are read here.
_DATE_KEYS = frozenset(
    spelling for key, kind in FIELD_KINDS.items() if kind in DATE_KINDS for spelling in (key, key.replace(" ", "_"))
)


def reference_year(document: Document) -> int | None:
    """The year a date written without one belongs to: the document's own date (file name,
    title, "Last Updated"), else the year it was last modified."""
    day = note_day(document.path, document.title)
    if day:
        return int(day[:4])
    for f in document.fields:
        if f.key in ("last updated", "updated", "date", "last update", "created"):
            match = ISO.search(f.value)
            if match and valid_iso(*match.groups()):
                return int(match.group(1))
    if document.mtime_ns:
        return datetime.datetime.fromtimestamp(document.mtime_ns / 1e9).year
    return None


# -- daily notes --------------------------------------------------------------------------------

# What a daily note's name or title may hold besides its date.
_DAY_WORDS = frozenset(
    """daily day journal diary log logs note notes standup stand up plan plans today todo todos tasks
    agenda worklog work entry monday tuesday wednesday thursday friday saturday sunday
    mon tue wed thu fri sat sun""".split()
)
_DATE_IN_NAME = re.compile(r"(?<!\d)(\d{4})[-_.]?(\d{2})[-_.]?(\d{2})(?!\d)")
_WORD = re.compile(r"[^\W\d_]+")
_NESTED_DATE = re.compile(r"(?:^|/)(\d{4})(?:/(\d{2})[/-]|-(\d{2})/)(\d{2})$")


def _only_day_words(text: str) -> bool:
    return all(w.lower() in _DAY_WORDS for w in _WORD.findall(text))


def note_day(path: str, title: str | None = None) -> str | None:
    """The day a daily note is for, ISO, from its file name (``2026-12-02.md``,
    ``journal/2026/12/02.md``, ``daily-2026-12-02.md``) or its title (``Daily 2026-12-02``);
    None for other files ("SPRINT_BACKLOG-2025-10-06.md" is a dated snapshot, not a day's note)."""
    pure = PurePath(path)
    stem = pure.stem
    match = _DATE_IN_NAME.search(stem)
    if match and _only_day_words(stem[: match.start()] + " " + stem[match.end() :]):
        day = valid_iso(*match.groups())
        if day:
            return day
    parts = [*pure.parent.parts[-2:], stem]
    joined = "/".join(parts)
    nested = _NESTED_DATE.search(joined)  # journal/2026/12/02.md, 2026/12-02.md, 2026-12/02.md
    if nested:
        day = valid_iso(nested.group(1), nested.group(2) or nested.group(3), nested.group(4))
        if day:
            return day
    if title:
        text = repair(title)
        match = ISO.search(text)
        if match and _only_day_words(text[: match.start()] + " " + text[match.end() :]):
            return valid_iso(*match.groups())
    return None
