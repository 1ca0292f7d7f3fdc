"""Planning tables: a Markdown table whose header names planning columns is a list of items.

``| Feature | Priority | Est. Days | Status | Owner |`` — each body row is one piece of work,
with the file line it is on. A table counts when its header has a column for the work's
name and at least one planning column (priority, status, estimate, owner, due date), in any
language :mod:`planner.model.languages` knows; other tables (a glossary, a comparison, a
changelog) are no work and are not kept.

The header's words are data (the sets below and ``FIELD_NAMES``); which column holds the
work's name is decided by shape when no header names it: the first column that is neither
an id nor a planning column.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from planner.model.languages import FIELD_NAMES, TITLE_COLUMN_WORDS, spelled, spellings

_FIELD_KEYS = spelled(FIELD_NAMES)  # "Prioridade" → "priority", "Estimativa" → "estimate"

_PRIORITY = frozenset({"priority", "prio", "pri", "p", "importance", "urgency"})
# A severity ranks a risk, an alert or a bug: work only beside a status, estimate, owner or due column.
_SEVERITY = frozenset({"severity", "criticality"})
_STATUS = frozenset({"status", "state", "progress", "current status", "done?", "done"})
_OWNER = frozenset(
    {"owner", "owners", "assignee", "assignees", "assigned to", "assigned", "responsible", "lead", "dri", "who", "dev", "developer"}
)
_DUE = frozenset({"due", "due date", "deadline", "target", "target date", "eta", "due by", "by", "when", "ship date"})
_TITLE = frozenset(
    """task tasks feature features item items title name story stories epic epics deliverable deliverables
    work description what objective goal milestone initiative project component ticket issue bug action
    todo to-do requirement capability area""".split()
) | {"work item", "action item", "user story"} | frozenset(spellings(TITLE_COLUMN_WORDS))
# A first column named so lists things that are no work: risks, alerts, metrics, settings, levels.
_NOT_WORK = frozenset(
    """risk risks alert alerts metric metrics level levels impact condition term terms option options setting
    settings parameter parameters field fields column command commands endpoint endpoints variable
    variables symptom symptoms error errors scenario scenarios policy rule rules role roles tier
    threshold signal event events""".split()
)
_ID = frozenset({"#", "id", "no", "no.", "nr", "key", "ref", "#id", "n°", "nº"})
# An estimate column: "Estimate", "Est. Days", "Effort (h)", "Time", "Story Points", "Size".
_ESTIMATE = re.compile(r"(?i)^(?:est\b\.?|estimat|effort|duration|time\b|size\b|story\s+points|points\b|sp\b|hours\b|days\b)")
_UNIT = re.compile(r"(?i)\b(hours?|hrs?|h|days?|d|weeks?|wks?|w|minutes?|mins?|m)\b\)?\s*$")
_UNIT_WORD = {"h": "hours", "hr": "hours", "hrs": "hours", "hour": "hours", "hours": "hours", "d": "days", "day": "days",
              "days": "days", "w": "weeks", "wk": "weeks", "wks": "weeks", "week": "weeks", "weeks": "weeks",
              "m": "minutes", "min": "minutes", "mins": "minutes", "minute": "minutes", "minutes": "minutes"}  # fmt: skip
_EMPHASIS = re.compile(r"[*_`]+")


class Table(NamedTuple):
    """A planning table: its header line, section, what each column holds, and its body rows."""

    line: int  # 1-based line of the header row
    end_line: int  # last line of the table (inclusive)
    section: int | None
    header: tuple[str, ...]  # the header cells as written (emphasis dropped)
    columns: tuple[str, ...]  # per column: "title", "priority", "status", "estimate", "owner", "due", "id" or ""
    unit: str  # the estimate column's unit from its header ("days" for "Est. Days"), else ""
    rows: tuple[tuple[int, tuple[str, ...]], ...]  # (1-based line, cells)


def split_cells(line: str) -> list[str]:
    """A row's cells as markdown-it splits them (``\\|`` is a literal bar), stripped."""
    text = line.strip()
    cells: list[str] = []
    current: list[str] = []
    escaped = False
    for ch in text:
        if ch == "|" and not escaped:
            cells.append("".join(current))
            current = []
        elif ch == "|":
            current[-1:] = ["|"]  # "\|" is a bar in the cell
        else:
            current.append(ch)
        escaped = ch == "\\"  # as markdown-it: a backslash before a bar escapes it, doubled or not
    cells.append("".join(current))
    if cells and not cells[0].strip() and text.startswith("|"):
        cells.pop(0)
    if cells and not cells[-1].strip() and text.endswith("|"):
        cells.pop()
    return [c.strip() for c in cells]


def column_kind(name: str) -> str:
    """What a header cell names: a planning column, the work's name, an id, or nothing known."""
    bare = " ".join(_EMPHASIS.sub("", name).lower().rstrip(":").split())
    key = _FIELD_KEYS.get(bare, bare)
    if key in _PRIORITY:
        return "priority"
    if key in _SEVERITY:
        return "severity"
    if key in _STATUS:
        return "status"
    if key in _OWNER:
        return "owner"
    if key in _DUE:
        return "due"
    if key in _ID:
        return "id"
    if key in _TITLE:
        return "title"
    if key in ("estimate", "effort", "time estimate", "estimated time", "estimated effort") or _ESTIMATE.match(key):
        return "estimate"
    return ""


def _unit(name: str) -> str:
    match = _UNIT.search(_EMPHASIS.sub("", name).replace("(", " ").replace(")", " ").rstrip())
    return _UNIT_WORD.get(match.group(1).lower(), "") if match else ""


def read_table(lines: list[str], start: int, end: int, section: int | None) -> Table | None:
    """The planning table in ``lines[start:end]`` (0-based; header, delimiter row, body), or None."""
    if end - start < 3:
        return None
    header = [_EMPHASIS.sub("", cell).strip() for cell in split_cells(lines[start])]
    columns = [column_kind(name) for name in header]
    described = {"status", "estimate", "owner", "due"}.intersection(columns)
    if "severity" in columns:
        at = columns.index("severity")
        columns[at] = "priority" if described and "priority" not in columns else ""
    if not described and "priority" not in columns:
        return None
    if "title" not in columns:
        # The work's name is the first column that is neither an id nor a planning column; a
        # table keyed by its priority ("| Priority | Meaning |") or listing no work is a legend.
        free = next((i for i, kind in enumerate(columns) if kind == ""), None)
        if free is None or columns[0] == "priority" or header[free].lower() in _NOT_WORK:
            return None
        columns[free] = "title"
    else:
        first = columns.index("title")
        columns = [kind if kind != "title" or i == first else "" for i, kind in enumerate(columns)]
    unit = next((_unit(name) for name, kind in zip(header, columns, strict=True) if kind == "estimate"), "")
    width = len(header)
    rows = []
    for index in range(start + 2, end):
        cells = split_cells(lines[index])[:width]
        cells += [""] * (width - len(cells))
        rows.append((index + 1, tuple(cells)))
    if not rows:
        return None
    if not described:
        # Priority is the only planning column: bare numbers there rank things ("| 1 | VoIP |"),
        # they are no priority levels of work.
        at = columns.index("priority")
        if all(re.fullmatch(r"\s*\**\d+\**\s*", cells[at]) or not cells[at].strip() for _, cells in rows):
            return None
    return Table(start + 1, end, section, tuple(header), tuple(columns), unit, tuple(rows))
