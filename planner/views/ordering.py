"""Sorting and grouping rows of any list (pure, no Textual): by priority, due date, file, state, estimate.

Rows are described by :class:`planner.views.filter.Facts`. Sorting is stable (rows equal on
the key keep their order) and rows without a value (no priority, no due date, no estimate)
come last whichever the direction. Groups come in a fixed order (P0…P3 then none; overdue,
today, the next 7 days, later, no date; todo, in progress, done, cancelled, deferred; files
by name; estimates small to large), each group keeping the rows' order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from typing import TypeVar

from planner.model.states import CANCELLED, DONE_TYPE, IN_PROGRESS, NON_TASK, TODO
from planner.views.filter import Facts

__all__ = ["GROUPS", "SORTS", "group_rows", "hidden", "next_choice", "sort_rows"]

T = TypeVar("T")
SORTS = ("priority", "due", "file", "state", "estimate")
GROUPS = SORTS
_STATE_ORDER = {IN_PROGRESS: 0, TODO: 1, DONE_TYPE: 2, CANCELLED: 3, NON_TASK: 4}
_STATE_NAMES = {TODO: "todo", IN_PROGRESS: "in progress", DONE_TYPE: "done", CANCELLED: "cancelled", NON_TASK: "deferred"}
_HIDDEN = frozenset({DONE_TYPE, CANCELLED})


def hidden(facts: Facts) -> bool:
    """Whether ``h`` (hide done and cancelled) hides this row."""
    return facts.status_type in _HIDDEN


def next_choice(current: str | None, choices: Sequence[str]) -> str | None:
    """The choice after ``current``: none → the first → … → the last → none."""
    if current not in choices:
        return choices[0]
    position = choices.index(current) + 1
    return choices[position] if position < len(choices) else None


def _value(by: str, facts: Facts) -> object | None:
    if by == "priority":
        p = facts.priority
        return int(p[1]) if p and len(p) == 2 and p[1].isdigit() else None
    if by == "due":
        return facts.due
    if by == "file":
        return facts.file.casefold()
    if by == "state":
        return _STATE_ORDER.get(facts.status_type, 1)
    if by == "estimate":
        return facts.hours
    raise ValueError(f"cannot sort by {by!r} (by {', '.join(SORTS)})")


def sort_rows(rows: Iterable[T], by: str | None, facts: Callable[[T], Facts], reverse: bool = False) -> list[T]:
    """``rows`` ordered by ``by`` (None: as given, reversed when ``reverse``); rows without a value last."""
    items = list(rows)
    if by is None:
        return items[::-1] if reverse else items
    known: list[tuple[object, T]] = []
    unknown: list[T] = []
    for row in items:
        value = _value(by, facts(row))
        if value is None or value == "":
            unknown.append(row)
        else:
            known.append((value, row))
    known.sort(key=lambda pair: pair[0], reverse=reverse)  # type: ignore[arg-type, return-value]
    return [row for _, row in known] + unknown


def _due_group(due: str | None, today: date) -> tuple[int, str]:
    if due is None:
        return 4, "no due date"
    day = today.isoformat()
    if due < day:
        return 0, "overdue"
    if due == day:
        return 1, "today"
    if due <= (today + timedelta(days=7)).isoformat():
        return 2, "next 7 days"
    return 3, "later"


def _estimate_group(hours: float | None) -> tuple[int, str]:
    if hours is None:
        return 9, "no estimate"
    for rank, (limit, label) in enumerate(((1, "under 1h"), (4, "1h–4h"), (8, "4h–1d"), (40, "1d–1w"))):
        if hours < limit:
            return rank, label
    return 5, "1w or more"


def group_of(by: str, facts: Facts, today: date) -> tuple[object, str]:
    """(order, label) of the group a row falls in."""
    if by == "priority":
        p = facts.priority
        return (int(p[1]), p) if p and len(p) == 2 and p[1].isdigit() else (9, "no priority")
    if by == "due":
        return _due_group(facts.due, today)
    if by == "file":
        return (0, facts.file.casefold()), facts.file or "(no file)"
    if by == "state":
        return _STATE_ORDER.get(facts.status_type, 1), _STATE_NAMES.get(facts.status_type, "todo")
    if by == "estimate":
        return _estimate_group(facts.hours)
    raise ValueError(f"cannot group by {by!r} (by {', '.join(GROUPS)})")


def group_rows(
    rows: Iterable[T], by: str | None, facts: Callable[[T], Facts], today: date | None = None
) -> list[tuple[str, list[T]]]:
    """``rows`` in groups (label, rows) in the group order; None: one group labelled ""."""
    items = list(rows)
    if by is None:
        return [("", items)] if items else []
    if today is None:
        from planner.model.days import today as current_day  # noqa: PLC0415

        today = current_day()
    groups: dict[object, tuple[str, list[T]]] = {}
    for row in items:
        order, label = group_of(by, facts(row), today)
        groups.setdefault(order, (label, []))[1].append(row)
    return [groups[key] for key in sorted(groups, key=_order_key)]


def _order_key(order: object) -> tuple[int, object]:
    # orders are ints, or (0, name) for files: never compared across kinds within one grouping
    return (0, order) if isinstance(order, int) else (1, order)  # type: ignore[return-value]
