"""Metadata other tools write on task lines, in fields and in front matter, read as they are.

* Obsidian Tasks' emoji format: ``📅`` due, ``⏳`` scheduled, ``🛫`` start, ``➕`` created,
  ``✅`` done date, ``❌`` cancelled date (each followed by ``YYYY-MM-DD``), ``🔁`` recurrence
  (text up to the next signifier: never an estimate), ``🆔`` id, ``⛔`` ids it depends on,
  ``🔺⏫🔼🔽⏬`` priorities (those are read by :mod:`planner.model.priority`).
* Dataview inline fields ``[key:: value]`` and ``(key:: value)`` anywhere on a line (Obsidian
  Tasks' "Dataview Format": due, scheduled, start, created, completion, cancelled, priority,
  repeat, id, dependsOn), and ``key:: value`` lines (read by the parser as fields).
* todo.txt: ``(A)`` … ``(Z)`` at the start of the text, ``due:YYYY-MM-DD``, ``t:YYYY-MM-DD``
  (threshold: the day it may start), ``+project``, ``@context``.
* ``#tags`` as Obsidian writes them (a tag has a character that is not a digit: ``#1`` is a number).
* Dates in fields: ``**Due**: 2025-12-05``, ``Deadline: Friday 5 Dec``, ``Due: Dec 5, 2025``.

Every date is validated (``2026-02-30`` is no date and is ignored). A date written without
a year takes the year of the document it is in (its own date, else its modification time),
the one that makes a written weekday right when there is one.
"""

from __future__ import annotations

import datetime
import re
from functools import lru_cache
from typing import NamedTuple

from planner.model.days import ISO, valid_iso
from planner.model.mojibake import spellings


def iso_date(text: str) -> str | None:
    """The ISO date ``text`` starts with, validated."""
    match = ISO.match(text)
    return valid_iso(*match.groups()) if match else None


# -- Obsidian Tasks emoji ----------------------------------------------------------------------

# Signifier → what it stands for. Tasks accepts 📅 📆 🗓 for due and ⏳ ⌛ for scheduled.
_DATE_EMOJI = {
    "📅": "due", "📆": "due", "🗓️": "due", "🗓": "due",
    "⏳": "scheduled", "⌛": "scheduled",
    "🛫": "start",
    "➕": "created",
    "✅": "done",
    "❌": "cancelled",
}  # fmt: skip
_OTHER_EMOJI = {"🔁": "recurrence", "🆔": "id", "⛔": "depends", "🏁": "on_completion"}
_PRIORITY_EMOJI = ("🔺", "⏫", "🔼", "🔽", "⏬")


def _spelled(emoji: dict[str, str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for sign, meaning in emoji.items():
        for spelling in spellings(sign):
            found.setdefault(spelling, meaning)
        found.setdefault(sign, meaning)
    return found


_DATE_SIGNS = _spelled(_DATE_EMOJI)
_OTHER_SIGNS = _spelled(_OTHER_EMOJI)
_ALL_SIGNS = sorted({*_DATE_SIGNS, *_OTHER_SIGNS, *_PRIORITY_EMOJI}, key=len, reverse=True)
_SIGN_ALT = "|".join(re.escape(s) for s in _ALL_SIGNS)
# The first character of every signifier: most lines hold none, told by a set operation.
_SIGN_FIRST = frozenset(sign[0] for sign in _ALL_SIGNS)
_DATE_SIGN = re.compile("|".join(re.escape(s) for s in sorted(_DATE_SIGNS, key=len, reverse=True)))
_OTHER_SIGN = re.compile("|".join(re.escape(s) for s in sorted(_OTHER_SIGNS, key=len, reverse=True)))
_EMOJI_DATE = re.compile(
    "(" + "|".join(re.escape(s) for s in sorted(_DATE_SIGNS, key=len, reverse=True)) + r")\ufe0f?[ \t]*(\d{4}-\d{2}-\d{2})(?!\d)"
)
# 🔁 every week on Monday — up to the next signifier or the end of the line.
_EMOJI_TEXT = re.compile(
    "(" + "|".join(re.escape(s) for s in sorted(_OTHER_SIGNS, key=len, reverse=True)) + r")\ufe0f?[ \t]*"
    rf"((?:(?!{_SIGN_ALT})[^\n\[\]#])*)"
)

# -- Dataview -----------------------------------------------------------------------------------

# [key:: value] or (key:: value); the key is a word (letters, digits, spaces, "-", "_").
INLINE_FIELD = re.compile(r"[\[(]([\w][\w \t-]{0,40}?)::[ \t]*([^\]\)\n]*)[\])]")
FIELD_KINDS = {
    "due": "due", "due date": "due", "deadline": "due", "due by": "due", "due on": "due",
    "scheduled": "scheduled", "scheduled date": "scheduled", "scheduled for": "scheduled",
    "start": "start", "start date": "start", "starts": "start", "starts on": "start",
    "created": "created", "created date": "created", "created on": "created",
    "completion": "done", "completed": "done", "completed on": "done", "completion date": "done",
    "done": "done", "done date": "done", "done on": "done", "finished": "done", "finished on": "done",
    "cancelled": "cancelled", "canceled": "cancelled",
    "repeat": "recurrence", "recurrence": "recurrence",
    "id": "id", "dependson": "depends", "depends on": "depends", "oncompletion": "on_completion",
    "priority": "priority",
}  # fmt: skip
DATE_KINDS = ("due", "scheduled", "start", "done")

# Dataview / Obsidian Tasks priority words, and todo.txt letters: (A) P0, (B) P1, (C) P2, (D)–(Z) P3.
PRIORITY_WORDS = {"highest": "P0", "high": "P1", "medium": "P2", "normal": None, "none": None, "low": "P3", "lowest": "P3"}

# -- todo.txt -----------------------------------------------------------------------------------

_TODOTXT_PRIORITY = re.compile(r"^\(([A-Z])\)[ \t]")
_TODOTXT_DATE = re.compile(r"(?<!\S)(due|t|scheduled|start|threshold):(\d{4}-\d{2}-\d{2})(?!\S)")
_TODOTXT_KIND = {"due": "due", "t": "start", "threshold": "start", "scheduled": "scheduled", "start": "start"}
_PROJECT = re.compile(r"(?<!\S)\+([^\W\d][\w.\-/]*)")
_CONTEXT = re.compile(r"(?<!\S)@([^\W\d][\w.\-/]*)")

# -- obsidian-kanban ------------------------------------------------------------------------------

# A card's date ``@{2025-01-31}`` (or ``@[[2025-01-31]]`` when dates link to daily notes) and its
# time ``@@{14:00}``, as the board writes them (its "date trigger" and "time trigger").
_KANBAN_DATE = re.compile(r"(?<!@)@(?:\{(\d{4}-\d{2}-\d{2})\}|\[\[(\d{4}-\d{2}-\d{2})\]\])")

# -- priority tags and taskwiki -----------------------------------------------------------------

# "!high", "!urgent" (a tag-style priority), and taskwiki's "!!!" (high), "!!", "!" before the end
# of the line or its "(2015-08-23 19:00)" due date; taskwiki writes that date last.
_BANG_PRIORITY = re.compile(r"(?i)(?<!\S)!(highest|high|medium|low|lowest|urgent|critical)\b")
_BANG_LEVEL = {"highest": "P0", "urgent": "P0", "critical": "P0", "high": "P1", "medium": "P2", "low": "P3", "lowest": "P3"}
_TASKWIKI_TAIL = re.compile(
    r"(?:(?<=\s)(?P<bangs>!{1,3}))?[ \t]*(?:\((?P<due>\d{4}-\d{2}-\d{2})(?P<time>[ T]\d{1,2}:\d{2})?\))?[ \t]*(?P<uuid>#[0-9a-f]{8})?[ \t]*$"
)


def _taskwiki(tail: re.Match[str] | None) -> bool:
    """A tail taskwiki wrote: its priority bangs, a due time or its task uuid. A bare "(2025-11-12)"
    at the end of a line is, in other teams' files, the day the work was logged or finished."""
    return tail is not None and bool(tail.group("bangs") or tail.group("time") or tail.group("uuid"))
_TASKWIKI_LEVEL = {"!!!": "P1", "!!": "P2", "!": "P3"}

# -- tags ---------------------------------------------------------------------------------------

# "#tag", "#area/sub-area", "#2025-goals": after a blank or "(", not "#1" (an issue number).
_TAG = re.compile(r"(?<![^\s(])#([\w/\-]*[^\W\d][\w/\-]*)")


class LineMeta(NamedTuple):
    due: str | None = None
    scheduled: str | None = None
    start: str | None = None
    done: str | None = None
    created: str | None = None
    cancelled: str | None = None
    priority: str | None = None  # from Dataview's priority:: or a todo.txt letter (emoji: see priority.py)
    recurrence: str | None = None
    id: str | None = None
    depends: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    on_completion: str | None = None  # 🏁 keep / delete


EMPTY = LineMeta()


def _has_signs(text: str) -> tuple[bool, bool]:
    """(a date signifier, another signifier) are in ``text``: a set test, then substrings, in C."""
    if text.isascii() or _SIGN_FIRST.isdisjoint(text):
        return False, False
    dates = "-" in text and _DATE_SIGN.search(text) is not None  # a date has a "-"
    return dates, _OTHER_SIGN.search(text) is not None


def may_hold_metadata(text: str) -> bool:
    """Cheap test, at C speed: could ``text`` hold any dialect's metadata? ("✅" alone, an issue
    "#119" and an estimate "(2h)" are common and hold none.)"""
    if "::" in text or ":2" in text or text.startswith("(") or "!" in text or "@{" in text or "@[[" in text:  # Dataview, todo.txt, !high, kanban
        return True
    if ("(20" in text or "(19" in text) or ("+" in text and _PROJECT.search(text)) or ("#" in text and _TAG.search(text)):
        return True
    return any(_has_signs(text))


@lru_cache(maxsize=8192)
def line_metadata(text: str) -> LineMeta:
    """The metadata of one task line (text after the checkbox, or a heading's text)."""
    if not may_hold_metadata(text):
        return EMPTY
    values: dict[str, object] = {}
    date_signs, other_signs = _has_signs(text)
    if date_signs:
        for match in _EMOJI_DATE.finditer(text):
            kind = _DATE_SIGNS[match.group(1)]
            date = iso_date(match.group(2))
            if date and kind not in values:
                values[kind] = date
    if other_signs:
        for match in _EMOJI_TEXT.finditer(text):
            kind = _OTHER_SIGNS[match.group(1)]
            value = match.group(2).strip()
            if value and kind not in values:
                values[kind] = value
    if "::" in text:
        for match in INLINE_FIELD.finditer(text):
            _inline_field(values, match.group(1), match.group(2))
    if "@{" in text or "@[[" in text:
        for match in _KANBAN_DATE.finditer(text):
            date = iso_date(match.group(1) or match.group(2))
            if date:
                values.setdefault("due", date)
    if text.startswith("("):
        letter = _TODOTXT_PRIORITY.match(text)
        if letter:
            values.setdefault("priority", todotxt_priority(letter.group(1)))
    todotxt = False
    if ":2" in text:
        for match in _TODOTXT_DATE.finditer(text):
            date = iso_date(match.group(2))
            if date:
                values.setdefault(_TODOTXT_KIND[match.group(1)], date)
                todotxt = True
    if "!" in text:
        bang = _BANG_PRIORITY.search(text)
        if bang:
            values.setdefault("priority", _BANG_LEVEL[bang.group(1).lower()])
    if "!" in text or "(2" in text:
        tail = _TASKWIKI_TAIL.search(text)
        if not _taskwiki(tail):
            tail = None
        if tail and tail.group("bangs"):
            values.setdefault("priority", _TASKWIKI_LEVEL[tail.group("bangs")])
        if tail and tail.group("due"):
            date = iso_date(tail.group("due"))
            if date:
                values.setdefault("due", date)
    tags: list[str] = []
    if "#" in text:
        tags.extend("#" + t for t in _TAG.findall(_without_links(text)))
    if "+" in text:
        projects = _PROJECT.findall(text)
        tags.extend("+" + p for p in projects)
        todotxt = todotxt or bool(projects)
    if todotxt or (text.startswith("(") and _TODOTXT_PRIORITY.match(text)):
        tags.extend("@" + c for c in _CONTEXT.findall(text))  # "@alice" elsewhere is an owner
    if tags:
        values["tags"] = tuple(dict.fromkeys(tags))
    if "depends" in values:
        values["depends"] = tuple(d.strip() for d in str(values["depends"]).split(",") if d.strip())
    if not values:
        return EMPTY
    return LineMeta(**values)  # type: ignore[arg-type]


def _inline_field(values: dict[str, object], key: str, value: str) -> None:
    kind = field_kind(key)
    value = value.strip()
    if kind is None or not value or kind in values:
        return
    if kind == "priority":
        level = PRIORITY_WORDS.get(value.lower(), "")
        if level:
            values[kind] = level
    elif kind in ("due", "scheduled", "start", "done", "created", "cancelled"):
        date = iso_date(value)
        if date:
            values[kind] = date
    else:
        values[kind] = value


def field_kind(key: str) -> str | None:
    """What a field name stands for (due, scheduled, start, done, created, priority, …), or None."""
    return FIELD_KINDS.get(" ".join(key.lower().replace("_", " ").split()))


def todotxt_priority(letter: str) -> str:
    return {"A": "P0", "B": "P1", "C": "P2"}.get(letter, "P3")


_LINK_TARGET = re.compile(r"\]\([^)]*\)|<https?://[^>]*>|https?://\S+")


def _without_links(text: str) -> str:
    """``text`` without link targets: "[x](page#anchor)" holds no tag."""
    return _LINK_TARGET.sub(" ", text) if ("](" in text or "://" in text) else text


_STRIP = re.compile(
    rf"(?:{'|'.join(re.escape(s) for s in sorted(_DATE_SIGNS, key=len, reverse=True))})\ufe0f?[ \t]*\d{{4}}-\d{{2}}-\d{{2}}"
    rf"|(?:{'|'.join(re.escape(s) for s in sorted(_OTHER_SIGNS, key=len, reverse=True))})\ufe0f?[ \t]*(?:(?!{_SIGN_ALT})[^\n\[\]#])*"
    r"|[\[(][\w][\w \t-]{0,40}?::[^\]\)\n]*[\])]"
    r"|(?<!\S)(?:due|t|threshold):\d{4}-\d{2}-\d{2}(?!\S)"
    r"|(?<!\S)@@?(?:\{[^}\n]{1,40}\}|\[\[\d{4}-\d{2}-\d{2}\]\])"
)


def strip_metadata(text: str) -> str:
    """``text`` without the dates, recurrence, ids and inline fields it carries (tags stay, as
    Obsidian Tasks shows them): "Ship it 🔁 every week 📅 2025-12-05" → "Ship it"."""
    if not may_hold_metadata(text):
        return text
    stripped = _STRIP.sub(" ", text)
    if "!" in stripped or "(2" in stripped:
        tail = _TASKWIKI_TAIL.search(stripped)
        if _taskwiki(tail):
            stripped = stripped[: tail.start()]  # type: ignore[union-attr]
        stripped = _BANG_PRIORITY.sub(" ", stripped)
    if text.startswith("(") and _TODOTXT_PRIORITY.match(stripped):
        stripped = stripped[4:]
    return " ".join(stripped.split()) if stripped != text else text


# -- dates written out --------------------------------------------------------------------------

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_WEEKDAYS = {"mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4, "sat": 5, "sun": 6}
_MONTH = r"(?P<month>jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?"
_WEEKDAY = r"(?:(?P<weekday>mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)[a-z]*\.?,?[ \t]+)?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?:,?[ \t]+(?P<year>\d{4}))?"
_WRITTEN = (
    re.compile(rf"(?i)^{_WEEKDAY}{_DAY}[ \t]+(?:of[ \t]+)?{_MONTH}{_YEAR}\b"),  # Friday 5 Dec, 5 December 2025
    re.compile(rf"(?i)^{_WEEKDAY}{_MONTH}[ \t]+{_DAY}{_YEAR}\b"),  # Friday, Dec 5; December 5th, 2025
)


def written_date(value: str, year: int | None) -> str | None:
    """The date a field value starts with: ISO, "Friday 5 Dec", "Dec 5, 2025", or what
    python-dateutil reads ("12/05/2025": month first); None when it holds none."""
    text = value.strip().lstrip("*_`~ ").strip()
    iso = ISO.search(text[:12])
    if iso:
        return valid_iso(*iso.groups())
    for pattern in _WRITTEN:
        match = pattern.match(text)
        if match:
            return _resolve(match, year)
    if re.match(r"^\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b", text):
        return _dateutil(text.split()[0])
    return None


def _resolve(match: re.Match[str], year: int | None) -> str | None:
    month = _MONTHS[match.group("month").lower()[:3]]
    day = int(match.group("day"))
    if match.group("year"):
        return valid_iso(match.group("year"), month, day)
    base = year or datetime.date.today().year
    weekday = match.group("weekday")
    if weekday:
        wanted = _WEEKDAYS[weekday.lower()[:3]]
        for candidate in (base, base + 1, base - 1):
            date = valid_iso(candidate, month, day)
            if date and datetime.date.fromisoformat(date).weekday() == wanted:
                return date
    return valid_iso(base, month, day)


def _dateutil(text: str) -> str | None:
    from dateutil import parser  # noqa: PLC0415 - rarely needed: imported on first use

    try:
        return parser.parse(text, dayfirst=False).date().isoformat()
    except (ValueError, OverflowError):
        return None


# -- front matter -------------------------------------------------------------------------------

_YAML_KEY = re.compile(r"^([A-Za-z_][\w -]*?)[ \t]*:(?:[ \t]+(.*)|[ \t]*)$")
_YAML_ITEM = re.compile(r"^[ \t]+-[ \t]*(.*)$|^-[ \t]+(.*)$")


def front_matter(lines: list[str]) -> list[tuple[str, str, int]]:
    """``(key, value, line index)`` of the top-level keys of a YAML front matter block (the
    lines between its ``---`` fences). Lists (``[a, b]`` or ``- a`` lines) are joined by ", ";
    quotes are dropped; nested maps are skipped. Enough for Backlog.md and Obsidian properties."""
    found: list[tuple[str, str, int]] = []
    current: tuple[str, list[str], int] | None = None

    def close() -> None:
        if current is not None:
            found.append((current[0], ", ".join(v for v in current[1] if v), current[2]))

    for index, line in enumerate(lines):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        item = _YAML_ITEM.match(line)
        if item and current is not None:
            current[1].append(_scalar(item.group(1) if item.group(1) is not None else item.group(2)))
            continue
        if line[:1] in " \t":
            continue  # a nested map or a continued scalar
        key = _YAML_KEY.match(line)
        close()
        current = None
        if key is None:
            continue
        raw = (key.group(2) or "").strip()
        if raw.startswith("[") and raw.endswith("]"):
            values = [_scalar(v) for v in raw[1:-1].split(",")]
        else:
            values = [_scalar(raw)] if raw else []
        current = (key.group(1).strip(), values, index)
    close()
    return found


def _scalar(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    if " #" in value:
        value = value.split(" #", 1)[0].rstrip()
    return value
