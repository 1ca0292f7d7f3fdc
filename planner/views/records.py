"""The planning views' records, and their compact form for the document cache.

:mod:`planner.views.focus`, :mod:`planner.views.queues` and :mod:`planner.views.options`
build these records from documents. Each document's share of a view (its queue items, its
decisions, its part of the daily focus: :mod:`planner.views.contrib`) is also stored in the
document cache as plain tuples (``encode_*``), and a warm ``planner focus|queues|options``
turns those back into the same records (``decode_*``) without rebuilding any document: so
this module imports no model (no pydantic), only the estimate and state words.

Records decoded from the cache stand in for the document by :class:`Ref` (its path) and
for a task by :class:`TaskRef` (its line): what the command line prints from them. They
hold no task lists (``QueueItem.tasks`` is empty): screens that act on tasks compute their
records from the documents they hold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from planner.model.estimate import Estimate
from planner.model.languages import STATUS_WORDS, alternation, spelled
from planner.model.states import OPEN_TYPES

if TYPE_CHECKING:
    from planner.model.document import Document, Task

# What a Status field says when the work waits on something: "Blocked", "Bloqueado", "En attente".
_LOCAL_BLOCKED = [w for w, meaning in spelled(STATUS_WORDS).items() if meaning == "blocked"]
BLOCKED_STATUS = re.compile(rf"(?i)\b(?:blocked|waiting|on\s+hold|stuck)\b|(?<!\w)(?:{alternation(_LOCAL_BLOCKED)})(?!\w)")


class Ref(NamedTuple):
    """A document as a cached record names it."""

    path: str


class TaskRef(NamedTuple):
    """A task as a cached record names it: its line."""

    line: int


@dataclass(frozen=True)
class QueueItem:
    title: str
    document: Document
    line: int
    priority: str
    state: str  # "open", "done", or a task's other state
    status: str | None  # the Status field (or a heading task's marker status), repaired
    effort: Estimate | None
    effort_text: str | None
    owner: str | None
    progress: tuple[int, int] | None  # (done, total) of the tasks under it
    tasks: list[Task]
    section: int | None
    task: Task | None
    kind: str = "section"  # "section", "task" or "item" (a plain list item under a lane)
    lane: str | None = None  # display title of the lane heading it was gathered from
    value: str | None = None
    risk: str | None = None
    dependencies: str | None = None
    path: tuple[str, ...] = field(default=())  # display titles of the enclosing headings
    status_type: str = "todo"  # todo, in_progress, done, cancelled, non_task (see planner.model.states)
    due: str | None = None

    @property
    def is_open(self) -> bool:
        """Open work: not done, cancelled or deferred."""
        return self.status_type in OPEN_TYPES


@dataclass(frozen=True)
class FocusTask:
    title: str
    document: Document
    task: Task | None  # None for a plain heading or list item
    line: int
    state: str
    priority: str | None
    estimate: Estimate | None
    status: str | None
    section: int | None = None  # the section the entry opens (headings) or sits in (tasks, items)
    progress: tuple[int, int] | None = None  # (done, total) of the checkboxes under a heading entry
    kind: str = "heading"  # "heading", "checkbox", "item" (a plain list item) or "section"/"task" (queue work)
    status_type: str = "todo"  # todo, in_progress, done, cancelled, non_task
    reason: str | None = None  # why a dated task is here: "overdue", "due today", "scheduled today"
    due: str | None = None
    scheduled: str | None = None

    @property
    def is_open(self) -> bool:
        return self.status_type in OPEN_TYPES


@dataclass(frozen=True)
class Focus:
    document: Document | None
    headline: str
    tasks: list[FocusTask]
    next_action: str | None
    next_line: int | None
    blocked: list[str]
    completed: list[str]
    last_updated: str | None
    next_task: FocusTask | None = None  # the task the next action names, when it names one
    source: str = "daily"  # "daily" (a daily document), "queues" (open P0–P3 work), "documents" (the plan
    # documents' first open work, nothing being planned or prioritised), "dates" (only dated work) or "none"
    blocked_lines: list[int] = field(default_factory=list)
    completed_lines: list[int] = field(default_factory=list)

    @property
    def estimate_total(self) -> Estimate | None:
        """Sum of the estimates of today's open tasks."""
        from planner.model.estimate import total  # noqa: PLC0415

        return total([t.estimate for t in self.tasks if t.estimate is not None and t.is_open])


@dataclass(frozen=True)
class Option:
    label: str  # "A", "2", or the position ("1", "2", …) of an unlabelled checkbox alternative
    title: str
    line: int
    recommended: bool
    chosen: bool
    stated_total: Estimate | None
    summed_total: Estimate | None
    total_mismatch: bool
    features: list[str]
    value: str | None
    task: Task | None  # the checkbox (or heading task) that records the choice, if any
    section: int | None  # the option's own section (headings) or the section it is written in
    feature_efforts: list[Estimate | None] = field(default_factory=list)  # per feature, where known
    stated_text: str | None = None  # the stated total as written
    end_line: int = 0  # last line of the option's text


@dataclass(frozen=True)
class Decision:
    title: str
    document: Document
    line: int
    kind: str  # "proposal" or "checkbox"
    options: list[Option]
    recommendation_line: int | None = None  # where a separate "Recommendation: Option X" is written

    @property
    def chosen(self) -> Option | None:
        return next((o for o in self.options if o.chosen), None)

    @property
    def recommended(self) -> Option | None:
        return next((o for o in self.options if o.recommended), None)



# -- the compact form (plain tuples: the document cache stores them with marshal) ---------------

Row = tuple[Any, ...]


def _estimate(estimate: Estimate | None) -> Row | None:
    if estimate is None:
        return None
    return (estimate.low, estimate.high, estimate.unit, estimate.text, estimate.approximate)


def _unestimate(row: Row | None) -> Estimate | None:
    return None if row is None else Estimate(*row)


def _task_line(task: Any) -> int | None:
    return None if task is None else task.line


def _task(line: int | None) -> TaskRef | None:
    return None if line is None else TaskRef(line)


def encode_item(i: QueueItem) -> Row:
    return (
        i.title, i.line, i.priority, i.state, i.status, _estimate(i.effort), i.effort_text, i.owner, i.progress,
        i.section, _task_line(i.task), i.kind, i.lane, i.value, i.risk, i.dependencies, i.path, i.status_type, i.due,
    )  # fmt: skip


def decode_item(row: Row, document: Any) -> QueueItem:
    (title, line, priority, state, status, effort, effort_text, owner, progress, section, task, kind, lane, value, risk,
     dependencies, path, status_type, due) = row  # fmt: skip
    return QueueItem(
        title, document, line, priority, state, status, _unestimate(effort), effort_text, owner,
        None if progress is None else tuple(progress), [], section, _task(task), kind, lane, value, risk,
        dependencies, tuple(path), status_type, due,
    )  # fmt: skip


def encode_decision(d: Decision) -> Row:
    options = tuple(
        (
            o.label, o.title, o.line, o.recommended, o.chosen, _estimate(o.stated_total), _estimate(o.summed_total),
            o.total_mismatch, tuple(o.features), o.value, _task_line(o.task), o.section,
            tuple(map(_estimate, o.feature_efforts)), o.stated_text, o.end_line,
        )  # fmt: skip
        for o in d.options
    )
    return (d.title, d.line, d.kind, options, d.recommendation_line)


def decode_decision(row: Row, document: Any) -> Decision:
    title, line, kind, options, recommendation_line = row
    decoded = [
        Option(
            label, text, at, recommended, chosen, _unestimate(stated), _unestimate(summed), mismatch, list(features),
            value, _task(task), section, [_unestimate(e) for e in efforts], stated_text, end_line,
        )  # fmt: skip
        for (label, text, at, recommended, chosen, stated, summed, mismatch, features, value, task, section, efforts,
             stated_text, end_line) in options  # fmt: skip
    ]
    return Decision(title, document, line, kind, decoded, recommendation_line)


def encode_entry(t: FocusTask) -> Row:
    return (
        t.title, _task_line(t.task), t.line, t.state, t.priority, _estimate(t.estimate), t.status, t.section,
        t.progress, t.kind, t.status_type, t.reason, t.due, t.scheduled,
    )  # fmt: skip


def decode_entry(row: Row, document: Any) -> FocusTask:
    title, task, line, state, priority, estimate, status, section, progress, kind, status_type, reason, due, scheduled = row
    return FocusTask(
        title, document, _task(task), line, state, priority, _unestimate(estimate), status, section,
        None if progress is None else tuple(progress), kind, status_type, reason, due, scheduled,
    )  # fmt: skip


def encode_focus(f: Focus) -> Row:
    """A daily document's own focus (its document is the one the row is stored with)."""
    return (
        f.headline, tuple(map(encode_entry, f.tasks)), f.next_action, f.next_line, tuple(f.blocked), tuple(f.completed),
        f.last_updated, None if f.next_task is None else encode_entry(f.next_task), f.source, tuple(f.blocked_lines),
        tuple(f.completed_lines),
    )  # fmt: skip


def decode_focus(row: Row, document: Any) -> Focus:
    headline, tasks, next_action, next_line, blocked, completed, last_updated, next_task, source, blocked_lines, completed_lines = row
    entries = [decode_entry(t, document) for t in tasks]
    chosen = None
    if next_task is not None:  # the same record as its entry in the tasks, as the view makes it
        chosen = next((e for e, t in zip(entries, tasks, strict=True) if t == next_task), None) or decode_entry(next_task, document)
    return Focus(
        document, headline, entries, next_action, next_line, list(blocked), list(completed), last_updated, chosen,
        source, list(blocked_lines), list(completed_lines),
    )  # fmt: skip
