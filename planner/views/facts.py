"""What the filter, sorting and grouping see of each kind of row (pure, shared by the TUI and the CLI).

``file`` is always the path as shown (relative to the folder opened), passed in by the caller.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from planner.views.filter import Facts

if TYPE_CHECKING:
    from planner.model.document import Task
    from planner.views.focus import FocusTask
    from planner.views.options import Decision
    from planner.views.queues import QueueItem

__all__ = ["decision_facts", "focus_facts", "item_facts", "task_facts"]


def task_facts(task: Task, file: str, title: str | None = None) -> Facts:
    return Facts(title if title is not None else task.title, file, task.priority, task.status_type, task.due, task.tags)


def focus_facts(entry: FocusTask, file: str) -> Facts:
    tags = entry.task.tags if entry.task is not None else ()
    hours = entry.estimate.low if entry.estimate is not None else None
    return Facts(entry.title, file, entry.priority, entry.status_type, entry.due, tags, hours)


def item_facts(item: QueueItem, file: str) -> Facts:
    tags = item.task.tags if item.task is not None else ()
    hours = item.effort.low if item.effort is not None else None
    return Facts(item.title, file, item.priority, item.status_type, item.due, tags, hours)


def decision_facts(decision: Decision, file: str) -> Facts:
    """A decision's text is its title and its options' titles, features and values; it is
    open until an option is chosen (then ``state:done``)."""
    texts = [decision.title]
    for option in decision.options:
        texts += [option.title, option.value or "", *option.features]
    state = "done" if decision.chosen is not None else "todo"
    totals = [o.stated_total or o.summed_total for o in decision.options]
    hours = min((t.low for t in totals if t is not None), default=None)
    return Facts("\n".join(texts), file, None, state, None, (), hours)
