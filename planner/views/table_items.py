"""Queue items from planning tables: each body row of ``| Feature | Priority | Status | … |``.

A row is an item with its own line. Its priority is its Priority cell (``P0``, ``High``,
``Alta``, a bare ``0``–``3``), else — for a table under a priority lane or group heading —
the lane's. Its status, estimate, owner and due date come from the columns that name them
(:mod:`planner.model.tables`), read as the same fields written as ``**Status**: …`` are, so
a row reads exactly like a section with those fields. Rows that only hold a template's blanks
(``[Feature]``, ``TBD``, ``P0 | P1 | P2``) are no work.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from planner.model.document import DONE, Document, Field
from planner.model.priority import normalize
from planner.model.tables import Table
from planner.views import meta
from planner.views.groups import is_placeholder

if TYPE_CHECKING:
    from planner.views.queues import QueueItem

_BARE_LEVEL = re.compile(r"^\s*\**[Pp]?([0-9])\**\s*$")  # "1", "**P4**": P4 and below are P3
_RULE = re.compile(r"^[\s:|\-=_*.…]*$")  # a row of dashes or dots is a divider, no work
_TOTAL = re.compile(r"(?i)^\W*(?:totals?|sum|subtotal|overall)\W*$")  # a table's summary row
_KEYS = {"status": "status", "estimate": "estimate", "owner": "owner", "due": "due"}


def row_priority(cell: str) -> str | None:
    """The priority a Priority cell states; a bare number is a level (``1`` → P1, ``7`` → P3)."""
    bare = _BARE_LEVEL.match(cell)
    if bare:
        return f"P{min(int(bare.group(1)), 3)}"
    return normalize(meta.repair(cell)) if cell.strip() else None


def table_items(document: Document, section_levels: list[str | None], frames: set[int], lanes: set[int]) -> list[QueueItem]:
    """The items of ``document``'s planning tables that have a priority (their own, or their lane's)."""
    from planner.views.queues import _NOT_WORK, QueueItem, _lane_title, _path  # noqa: PLC0415 - queues imports this module

    items: list[QueueItem] = []
    for table in document.tables:
        framed = table.section is not None and table.section in frames
        inherited = section_levels[table.section] if framed and table.section is not None else None
        title_at = table.columns.index("title")
        priority_at = table.columns.index("priority") if "priority" in table.columns else None
        if priority_at is not None and _is_legend(table, priority_at):
            continue
        for line, cells in table.rows:
            title = meta.clean(cells[title_at])
            if not title or _RULE.match(title) or is_placeholder(title) or _NOT_WORK.match(title) or _TOTAL.match(title):
                continue
            level = row_priority(cells[priority_at]) if priority_at is not None else None
            if level is None and priority_at is not None and cells[priority_at].strip() and not framed:
                continue  # "P0 | P1 | P2", "TBD": a template's blank
            level = level or inherited
            if level is None:
                continue
            fields = _row_fields(table, line, cells)
            effort, effort_text = meta.effort_of(fields)
            status_type = meta.status_type_of(None, fields, None)
            items.append(
                QueueItem(
                    title=title,
                    document=document,
                    line=line,
                    priority=level,
                    state=DONE if status_type == "done" else "open",
                    status=meta.field_text(fields, ("status",)),
                    effort=effort,
                    effort_text=effort_text,
                    owner=meta.field_text(fields, ("owner",)),
                    progress=None,
                    tasks=[],
                    section=table.section,
                    task=None,
                    kind="item",
                    lane=_lane_title(document, table.section, lanes),
                    path=_path(document, table.section),
                    status_type=status_type,
                    due=_due(document, fields),
                )
            )
    return items


def _is_legend(table: Table, priority_at: int) -> bool:
    """A table led by its priority column, one row per level in order (P0, P1, P2, P3), defines
    the levels — a triage policy, a severity scale — and lists no work. (A backlog sorted by
    priority has its work first and several rows per level.)"""
    if priority_at != 0:
        return False
    levels = [row_priority(cells[priority_at]) or "P3" for _, cells in table.rows]
    distinct = len(set(levels))
    return distinct >= 3 and len(levels) <= distinct + 1 and levels == sorted(levels)


def _row_fields(table: Table, line: int, cells: tuple[str, ...]) -> dict[str, Field]:
    """A row's cells as the fields they stand for ("Est. Days" ``5`` is an estimate of 5 days)."""
    fields: dict[str, Field] = {}
    for name, kind, cell in zip(table.header, table.columns, cells, strict=True):
        key = _KEYS.get(kind)
        if key is None or key in fields or not cell.strip():
            continue
        value = cell
        if key == "estimate" and table.unit and re.fullmatch(r"~?\d+(?:\.\d+)?(?:\s*[-–]\s*\d+(?:\.\d+)?)?", cell.strip()):
            value = f"{cell.strip()} {table.unit}"
        fields[key] = Field(name, key, value, line, table.section, False, None, "table")
    return fields


def _due(document: Document, fields: dict[str, Field]) -> str | None:
    from planner.model.dates import reference_year  # noqa: PLC0415
    from planner.model.dialects import written_date  # noqa: PLC0415

    due = fields.get("due")
    return written_date(meta.repair(due.value), reference_year(document)) if due is not None else None
