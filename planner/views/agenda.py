"""Dated work for the daily focus: overdue, due today and scheduled today, and what was done today.

Dates come from every dialect (:mod:`planner.model.dates`). Only open work is dated work:
done, cancelled and deferred tasks are never overdue. Each document gives its dated open
tasks (as focus entries) and its done tasks with a done date once, whatever the day
(:class:`planner.views.focus_parts.FocusPart`); the day picks among them here. This module
imports no model and no view: a warm ``planner focus`` combines cached parts with it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from operator import itemgetter
from typing import Any

REASONS = ("overdue", "due today", "scheduled today")
DATED_LIMIT = 15  # the day's plan must stay on the first screen
OVERDUE_LIMIT = 10  # and years-old overdue work (sample vaults, abandoned notes) must not fill it


def dated_entries(parts: Sequence[Any], day: str) -> list[tuple[str, Any]]:
    """``(reason, entry)`` of open tasks overdue (due before ``day``), due on it or scheduled
    for it, in that order. Today's work is never crowded out: it is kept first, then the most
    recently overdue (the latest slips, not the oldest leftovers). ``parts`` give each
    document's dated open tasks as ``(due, scheduled, line, entry)``."""
    found: dict[str, list[tuple[str, int, int, Any]]] = {reason: [] for reason in REASONS}
    for position, part in enumerate(parts):
        for due, scheduled, line, entry in part.dated:
            if due and due < day:
                reason = "overdue"
            elif due == day:
                reason = "due today"
            elif scheduled == day:
                reason = "scheduled today"
            else:
                continue
            found[reason].append((due or "", position, line, entry))
    today_work = [("due today", *row) for row in found["due today"]] + [("scheduled today", *row) for row in found["scheduled today"]]
    room = max(0, min(OVERDUE_LIMIT, DATED_LIMIT - len(today_work)))
    # Newest first, then in the documents' order: the rows are in (document, line) order already,
    # and a reversed sort keeps equal dates in it (ISO dates sort as text).
    overdue = sorted(found["overdue"], key=itemgetter(0), reverse=True)[:room]
    chosen = [("overdue", *row) for row in overdue] + today_work[:DATED_LIMIT]
    return [(reason, entry) for reason, _, _, _, entry in chosen]


def done_on(parts: Sequence[Any], day: str) -> list[tuple[str, int]]:
    """``(title, line)`` of the tasks whose done date is ``day`` (``✅ 2026-12-02``, ``[completion:: …]``);
    ``parts`` give each document's done tasks as ``(done date, title, line)``."""
    return [(title, line) for part in parts for done_date, title, line in part.done if done_date == day]


def with_dates(focus: Any, parts: Sequence[Any], day: str, first_open: Callable[[list[Any]], Any]) -> Any:
    """``focus`` (a :class:`planner.views.records.Focus`) with the day's dated work before its own
    tasks and the tasks done today in its "completed"."""
    dated = [replace(entry, reason=reason) for reason, entry in dated_entries(parts, day)]
    done_today = done_on(parts, day)
    if not dated and not done_today:
        return focus
    seen = {(t.document.path, t.line) for t in dated}
    tasks = dated + [t for t in focus.tasks if (t.document.path, t.line) not in seen]
    completed, completed_lines = list(focus.completed), list(focus.completed_lines)
    for title, line in done_today:
        if title and title not in completed:
            completed.append(title)
            completed_lines.append(line)
    headline, source = focus.headline, focus.source
    if dated and focus.source != "daily":
        counts = ", ".join(f"{n} {r}" for r in REASONS if (n := sum(1 for t in dated if t.reason == r)))
        headline, source = (counts, "dates") if focus.source == "none" else (f"{counts}; {focus.headline}", focus.source)
    next_action, next_line, next_task = focus.next_action, focus.next_line, focus.next_task
    if dated and (next_action is None or focus.source != "daily"):
        first = first_open(dated)
        if first is not None:
            next_action, next_line, next_task = first.title, first.line, first
    return replace(
        focus,
        headline=headline,
        source=source,
        tasks=tasks,
        completed=completed,
        completed_lines=completed_lines,
        next_action=next_action,
        next_line=next_line,
        next_task=next_task,
    )
