"""The agenda: overdue work, today, and each of the next days, by date.

Every task's due, scheduled and start dates (from every dialect, see
:mod:`planner.model.dates`) place it on the days they name. A task shows once per day: on a
day that is both its due and its scheduled day it is one entry whose ``reasons`` are both.

* Overdue: open work (neither done, cancelled nor deferred) due before today, oldest first.
  A past scheduled or start date alone is no reason to be late.
* Today and each of the next ``days`` days: the tasks due, scheduled or starting that day,
  done ones too (so a tick in the agenda stays where it was, ticked); cancelled and deferred
  work is left out. Every day of the window is listed, empty or not.

Within a day: P0 first, then P1…P3, then no priority; then in file order.
Pure: no I/O, no clock (``day`` is given), no Textual.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from planner.model.document import Document, Task
from planner.model.priority import PRIORITIES
from planner.model.states import OPEN_TYPES

DEFAULT_DAYS = 7
MAX_DAYS = 366
REASON_WORDS = {"due": "due", "scheduled": "scheduled", "start": "starts"}


@dataclass(frozen=True)
class AgendaEntry:
    document: Document
    task: Task
    date: str  # the day it is listed on (for overdue work: the day it was due)
    reasons: tuple[str, ...]  # "due", "scheduled", "start": which of its dates fall on ``date``

    @property
    def title(self) -> str:
        """As a person reads it: its priority tag and dates are in their own columns ("[P0] Ship 📅 …" → "Ship")."""
        from planner.views.meta import display_heading  # noqa: PLC0415 - only when shown

        return display_heading(self.task.title, keep_estimate=True)

    @property
    def line(self) -> int:
        return self.task.line


@dataclass(frozen=True)
class AgendaDay:
    key: str  # "overdue", else the ISO date
    label: str  # "Overdue", "Today · Thu 3 Dec", "Fri 4 Dec"
    entries: tuple[AgendaEntry, ...]


@dataclass(frozen=True)
class Agenda:
    today: str
    last: str  # the last day of the window, ISO
    days: tuple[AgendaDay, ...]  # overdue, today, then each following day

    @property
    def entries(self) -> list[AgendaEntry]:
        return [entry for day in self.days for entry in day.entries]


def day_label(date: datetime.date, today: datetime.date) -> str:
    """``Thu 3 Dec``; ``Today · Thu 3 Dec``, ``Tomorrow · Fri 4 Dec``; the year when it is not today's."""
    text = f"{date:%a} {date.day} {date:%b}"
    if date.year != today.year:
        text += f" {date.year}"
    if date == today:
        return f"Today · {text}"
    if date == today + datetime.timedelta(days=1):
        return f"Tomorrow · {text}"
    return text


def _rank(priority: str | None) -> int:
    return PRIORITIES.index(priority) if priority in PRIORITIES else len(PRIORITIES)


def dated(document: Document) -> list[Task]:
    """The tasks of ``document`` with a due, scheduled or start date (a pure function of the
    document: callers may cache it per file version)."""
    return [t for t in document.tasks if t.due is not None or t.scheduled is not None or t.start is not None]


def agenda(
    documents: list[Document],
    day: str,
    days: int = DEFAULT_DAYS,
    tasks_of: Callable[[Document], Iterable[Task]] = dated,
) -> Agenda:
    """The agenda of ``documents`` for today = ``day`` (ISO) and the ``days`` days after it.
    ``tasks_of(document)``: its dated tasks (:func:`dated`, or a cache of it)."""
    start = datetime.date.fromisoformat(day)
    days = max(0, min(days, MAX_DAYS))
    window = [(start + datetime.timedelta(days=n)).isoformat() for n in range(days + 1)]
    last = window[-1]
    by_day: dict[str, list[tuple[int, int, int, AgendaEntry]]] = {d: [] for d in window}
    overdue: list[tuple[str, int, int, int, AgendaEntry]] = []
    for position, document in enumerate(documents):
        for task in tasks_of(document):
            due, scheduled, begins = task.due, task.scheduled, task.start
            if due is None and scheduled is None and begins is None:
                continue
            kind = task.status_type
            if kind in ("cancelled", "non_task"):
                continue  # cancelled and deferred work is nobody's agenda
            rank = _rank(task.priority)
            if due is not None and due < day and kind in OPEN_TYPES:
                overdue.append((due, rank, position, task.line, AgendaEntry(document, task, due, ("due",))))
            placed: dict[str, list[str]] = {}
            for reason, date in (("due", due), ("scheduled", scheduled), ("start", begins)):
                if date is not None and day <= date <= last:
                    placed.setdefault(date, []).append(reason)
            for date, reasons in placed.items():
                by_day[date].append((rank, position, task.line, AgendaEntry(document, task, date, tuple(reasons))))
    result = [AgendaDay("overdue", "Overdue", tuple(row[-1] for row in sorted(overdue, key=lambda r: r[:4])))]
    for date in window:
        label = day_label(datetime.date.fromisoformat(date), start)
        result.append(AgendaDay(date, label, tuple(row[-1] for row in sorted(by_day[date], key=lambda r: r[:3]))))
    return Agenda(day, last, tuple(result))


def agenda_update(
    previous: Agenda,
    documents: list[Document],
    changed: set[str],
    tasks_of: Callable[[Document], Iterable[Task]] = dated,
) -> Agenda:
    """``agenda(documents, previous.today, …)`` when only the documents whose paths are in
    ``changed`` differ from those ``previous`` was made of (changed, added or gone; the others in
    the same order): their entries are made again, every other entry is kept as it was."""
    fresh = agenda([d for d in documents if d.path in changed], previous.today, len(previous.days) - 2, tasks_of)
    position = {document.path: number for number, document in enumerate(documents)}

    def in_day(entry: AgendaEntry) -> tuple[int, int, int]:
        return (_rank(entry.task.priority), position[entry.document.path], entry.task.line)

    def overdue(entry: AgendaEntry) -> tuple[str, int, int, int]:
        return (entry.date, *in_day(entry))

    days = []
    for old, new in zip(previous.days, fresh.days, strict=True):
        kept = [entry for entry in old.entries if entry.document.path not in changed]
        if not new.entries and len(kept) == len(old.entries):
            days.append(old)
            continue
        key = overdue if old.key == "overdue" else in_day
        days.append(AgendaDay(old.key, old.label, tuple(sorted(kept + list(new.entries), key=key))))
    return Agenda(previous.today, previous.last, tuple(days))


def reason_text(entry: AgendaEntry, today: str) -> str:
    """What puts the entry here, as a person says it: "due", "scheduled, due", "due 3 days ago"."""
    if entry.date < today:
        late = (datetime.date.fromisoformat(today) - datetime.date.fromisoformat(entry.date)).days
        if late == 1:
            return "due yesterday"
        return f"due {late} days ago" if late < 100 else f"due {entry.date}"  # "due 1714 days ago" says less
    return ", ".join(REASON_WORDS[r] for r in entry.reasons)
