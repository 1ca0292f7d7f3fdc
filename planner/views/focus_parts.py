"""The daily focus combined from each document's part of it (see :mod:`planner.views.focus`).

Everything the focus needs of one document is a :class:`FocusPart`, a pure function of that
document whatever the day: whether it can be the day's plan and how it ranks, its focus as
the day's plan, its dated open tasks and its tasks done on a given date. The day (``--today``)
only chooses among the parts, here: so a part is computed once per file version (and cached
with it in the document cache) and a warm ``planner focus`` rebuilds no document.
This module imports no model and no view.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any, NamedTuple

from planner.views.agenda import dated_entries, with_dates
from planner.views.records import BLOCKED_STATUS, Focus, FocusTask, QueueItem, decode_entry, decode_focus, encode_entry, encode_focus

PRIORITIES = ("P0", "P1", "P2", "P3")  # planner.model.priority.PRIORITIES (a test pins them equal)
FALLBACK_LIMIT = 12


class FocusPart(NamedTuple):
    document: Any  # the Document, or the Ref a cached part stands in for it
    note_day: str | None  # the day a daily note is for (by its name or title)
    has_tasks: bool
    candidate: bool  # its headings (or .planner.toml) say it is a day's plan
    score: tuple[int, int, str, int]  # (named in .planner.toml, has today's entries, date, open tasks)
    daily: Callable[[], Focus] | None  # its focus as the day's plan (None: it can never be one)
    dated: Sequence[tuple[str | None, str | None, int, FocusTask]]  # open tasks with a due or scheduled date
    done: Sequence[tuple[str, str, int]]  # (done date, title, line) of its done tasks with a done date
    date: str  # the newest date it states ("" when none)
    first_rank: tuple[int, int] | None = None  # as a plan document (planner.views.focus_next.plan_rank); None: none
    first_work: Sequence[FocusTask] = ()  # its first open work, shown when nothing is planned or prioritised
    # a day's plan by its headings (or .planner.toml), or the dated daily note of a day with tasks:
    # one of the documents the TUI's day choice looks at (planner.tui.screens.focus)
    day_plan: bool = False


def choose_daily(parts: Sequence[FocusPart], day: str) -> int | None:
    """The day's plan: a daily note for ``day`` with tasks, else the best-ranked document whose
    headings say it is a day's plan (the first of equals); its position in ``parts``."""
    for position, part in enumerate(parts):
        if part.has_tasks and part.note_day == day:
            return position
    best: tuple[tuple[int, int, str, int], int] | None = None
    for position, part in enumerate(parts):
        if part.candidate and (best is None or part.score > best[0]):
            best = (part.score, position)
    return best[1] if best else None


def combine_focus(
    parts: Sequence[FocusPart],
    day: str,
    queues: Callable[[], dict[str, list[QueueItem]]],
    every_part: Callable[[], Sequence[FocusPart]] | None = None,
) -> Focus:
    """Today's focus from every document's part; ``queues()`` gives the priority queues when
    there is no daily plan (only then are they needed). ``parts`` may leave out documents that
    are neither daily notes nor dated (the TUI's, for speed): ``every_part()`` then gives every
    document's, for the work that comes from any document when the day has no plan or nothing
    open in it (the queues' open work, the plan documents' first open work)."""
    chosen = choose_daily(parts, day)
    daily = parts[chosen].daily if chosen is not None else None
    planned = daily() if daily is not None else None
    if planned is not None and any(t.is_open for t in planned.tasks):
        return with_dates(planned, parts, day, first_open)
    everyone = every_part() if every_part is not None else parts
    if planned is None:
        focus = focus_from_queues(queues(), everyone)
        if not focus.tasks and not dated_entries(parts, day):
            focus = focus_from_documents(everyone)  # no P0–P3 work, nothing dated: the plan documents' first open work
    else:  # today's plan and its pending section have nothing open
        focus = _then_queues(planned, queues(), everyone)
    return with_dates(focus, parts, day, first_open)


def _then_queues(focus: Focus, queues: dict[str, list[QueueItem]], parts: Sequence[FocusPart]) -> Focus:
    """A day's plan with nothing open: it says so, and the queues' open work comes after its tasks."""
    queued = focus_from_queues(queues, parts)
    what = "the open work of the queues"
    if not queued.tasks:
        queued = focus_from_documents(parts)
        what = queued.headline.split(": ", 1)[-1]
    if not queued.tasks:
        return replace(focus, headline=f"Nothing open for today ({focus.headline})")
    first = queued.tasks[0]
    return replace(
        focus,
        headline=f"Nothing open for today; next: {what}",
        tasks=focus.tasks + queued.tasks,
        next_action=first.title,
        next_line=first.line,
        next_task=first,
    )


def first_open(tasks: list[FocusTask]) -> FocusTask | None:
    open_tasks = [t for t in tasks if t.is_open]
    if not open_tasks:
        return None
    rank = {level: i for i, level in enumerate(PRIORITIES)}
    return min(open_tasks, key=lambda t: (t.reason is None, rank.get(t.priority or "", len(PRIORITIES)), t.line))


# -- no daily document: the open P0/P1 work -----------------------------------------------------


def fallback_items(queues: dict[str, list[QueueItem]], parts: Sequence[FocusPart]) -> tuple[list[QueueItem], str]:
    """The open work focus shows without a day's plan, and which it is: ``"urgent"`` (P0 and P1)
    or ``"first"`` (P2, then P3, when no P0/P1 work is open). Reference documents — runbooks,
    backup plans, checklists, workflow guides — and templates never fill it: a ``hotfix/*``
    branch's "Priority: Highest" is no P0 work. The queues keep them out themselves
    (:func:`planner.views.queues.document_items`), so that the focus and the queues agree: a
    guide's "## Future Enhancements" checkboxes are in both."""
    urgent = [i for level in ("P0", "P1") for i in queues[level] if i.is_open]
    if urgent:
        return urgent, "urgent"
    return [i for level in ("P2", "P3") for i in queues[level] if i.is_open], "first"


def first_work_headline(items: list[QueueItem]) -> str:
    counts = {level: sum(1 for i in items if i.priority == level) for level in ("P2", "P3")}
    files = len({i.document.path for i in items})
    return (
        f"No daily plan and no P0/P1 work open: the first open work of the queues"
        f" ({counts['P2']} P2 and {counts['P3']} P3 items in {files} document{'s' if files != 1 else ''})"
    )


def focus_from_queues(queues: dict[str, list[QueueItem]], parts: Sequence[FocusPart]) -> Focus:
    open_items, which = fallback_items(queues, parts)
    # P0 before P1; then work that carries planning detail (an effort, a status, an owner, tasks)
    # before bare list entries; then the most recently updated documents; then document order.
    order = {part.document.path: position for position, part in enumerate(parts)}
    dates = {part.document.path: part.date for part in parts}
    open_items.sort(
        key=lambda i: (
            i.priority,
            not (i.effort or i.effort_text or i.status or i.owner or i.progress or i.task),
            _descending(dates[i.document.path]),
            order[i.document.path],
            i.line,
        )
    )
    if not open_items:
        return Focus(None, "Nothing planned for today", [], None, None, [], [], None, source="none")
    counts = {level: sum(1 for i in open_items if i.priority == level) for level in ("P0", "P1")}
    files = len({i.document.path for i in open_items})
    headline = (
        f"No daily plan: {counts['P0']} P0 and {counts['P1']} P1 items open"
        f" in {files} document{'s' if files != 1 else ''}"
    ) if which == "urgent" else first_work_headline(open_items)
    entries = [_queue_entry(i) for i in open_items[:FALLBACK_LIMIT]]
    blocked = [i for i in open_items if i.status and BLOCKED_STATUS.search(i.status)]
    first = entries[0]
    return Focus(
        document=None,
        headline=headline,
        tasks=entries,
        next_action=first.title,
        next_line=first.line,
        blocked=[i.title for i in blocked],
        completed=[],
        last_updated=max(dates[i.document.path] for i in open_items) or None,
        next_task=first,
        source="queues",
        blocked_lines=[i.line for i in blocked],
    )


# -- nothing planned, nothing prioritised: the plan documents' first open work ---------------------


def focus_from_documents(parts: Sequence[FocusPart]) -> Focus:
    """The first open work of the plan documents (TODO.md, a backlog, a roadmap, a task list), in
    their rank (:func:`planner.views.focus_next.plan_rank`: named plans first, shallower files
    first, test data last, then the documents' order), at most :data:`FALLBACK_LIMIT` entries,
    with a headline naming the documents."""
    ranked = sorted(
        (part.first_rank, position, part) for position, part in enumerate(parts) if part.first_rank is not None
    )  # fmt: skip
    entries: list[FocusTask] = []
    used: list[FocusPart] = []
    for _, _, part in ranked:  # a part's first work is computed here, for these few alone
        if len(entries) >= FALLBACK_LIMIT:
            break
        taken = part.first_work[: FALLBACK_LIMIT - len(entries)]
        if taken:
            entries.extend(taken)
            used.append(part)
    if not entries:
        return Focus(None, "Nothing planned for today", [], None, None, [], [], None, source="none")
    names = [_file_name(part.document.path) for part in used]
    shown = ", ".join(names[:2]) + (f" and {len(names) - 2} more" if len(names) > 2 else "")
    first = entries[0]
    blocked = [e for e in entries if e.status and BLOCKED_STATUS.search(e.status)]
    return Focus(
        document=None,
        headline=f"No daily plan and no prioritised work: the first open tasks of {shown}",
        tasks=entries,
        next_action=first.title,
        next_line=first.line,
        blocked=[e.title for e in blocked],
        completed=[],
        last_updated=max(part.date for part in used) or None,
        next_task=first,
        source="documents",
        blocked_lines=[e.line for e in blocked],
    )


def _file_name(path: str) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[-1]


def _descending(date: str) -> tuple[int, ...]:
    """Sort key that puts newer ISO dates first (and undated documents last)."""
    return tuple(-int(part) for part in date.split("-")) if date else (1,)


def _queue_entry(item: QueueItem) -> FocusTask:
    return FocusTask(
        title=item.title,
        document=item.document,
        task=item.task,
        line=item.line,
        state=item.state,
        priority=item.priority,
        estimate=item.effort,
        status=item.status,
        section=item.section,
        progress=item.progress,
        kind=item.kind,
        status_type=item.status_type,
        due=item.due,
    )


# -- the compact form, for the document cache -----------------------------------------------------


# In a stored part's daily slot: a document that can be the day's plan, whose focus as the day's
# plan is not stored yet. A cold load parses every file but shows one day's plan: computing each
# candidate's (a tree of dated notes has hundreds) would cost a quarter of the load, so a stored
# part holds it only once it was chosen (:func:`decode_part`'s ``rebuild`` computes and stores it).
NOT_COMPUTED = False


def encode_part(part: FocusPart, eager: bool = False) -> tuple[Any, ...]:
    """A part as plain tuples; its focus as the day's plan computed now with ``eager``, else
    left :data:`NOT_COMPUTED`."""
    if part.daily is None:
        daily: Any = None
    else:
        daily = encode_focus(part.daily()) if eager else NOT_COMPUTED
    # a plan document's first open work, as its daily focus: computed for a stored part in full
    first: Any = NOT_COMPUTED if part.first_rank is not None and not eager else tuple(map(encode_entry, part.first_work))
    return (
        part.note_day, part.has_tasks, part.candidate, part.score, daily,
        tuple((due, scheduled, line, encode_entry(entry)) for due, scheduled, line, entry in part.dated),
        tuple(part.done), part.date, part.first_rank, first, part.day_plan,
    )  # fmt: skip


def _first_work(first: Any, document: Any, rebuild: Callable[[], Sequence[FocusTask]] | None) -> Sequence[FocusTask]:
    if first is NOT_COMPUTED:
        if rebuild is None:
            raise ValueError("a stored focus part without its first work needs a way to rebuild it")
        return DeferredEntries(rebuild)
    return LazyEntries(first, lambda entry: decode_entry(entry, document)) if first else []


class DeferredEntries(Sequence[Any]):
    """Entries computed, once, when first read (a plan document's first open work: see
    :func:`focus_from_documents`)."""

    __slots__ = ("_compute", "_entries")

    def __init__(self, compute: Callable[[], Sequence[Any]]) -> None:
        self._compute: Callable[[], Sequence[Any]] | None = compute
        self._entries: list[Any] | None = None

    def _get(self) -> list[Any]:
        compute = self._compute
        if self._entries is None and compute is not None:
            try:
                entries = list(compute())
            except Exception:  # noqa: BLE001 - one odd file's first work must not take the focus down with it
                entries = []
            self._entries, self._compute = entries, None
        return self._entries or []

    def __len__(self) -> int:
        return len(self._get())

    def __getitem__(self, index: Any) -> Any:
        return self._get()[index]

    def __eq__(self, other: object) -> bool:
        return self._get() == list(other) if isinstance(other, Sequence) else NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"DeferredEntries({self._get()!r})"


class LazyEntries(Sequence[Any]):
    """Entries converted (decoded, given their task) only when read. A plan document's first
    open work is shown only when nothing is planned or prioritised, and a thousand plan
    documents hold ten thousand such entries: none is decoded before it is needed."""

    __slots__ = ("_convert", "_rows")

    def __init__(self, rows: Sequence[Any], convert: Callable[[Any], Any]) -> None:
        self._rows = rows
        self._convert = convert

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self._convert(row) for row in self._rows[index]]
        return self._convert(self._rows[index])

    def __eq__(self, other: object) -> bool:
        return list(self) == list(other) if isinstance(other, Sequence) else NotImplemented

    __hash__ = None  # type: ignore[assignment]  # (compared as the list it stands for)

    def __repr__(self) -> str:
        return f"LazyEntries({list(self)!r})"


def decode_part(
    row: tuple[Any, ...], document: Any, rebuild: Callable[[], Focus] | None = None,
    rebuild_first: Callable[[], Sequence[FocusTask]] | None = None,
) -> FocusPart:  # fmt: skip
    """The part :func:`encode_part` stored, standing in ``document`` (a Ref) for its document;
    its focus as the day's plan is decoded only if it is chosen — or, when it was not stored
    (:data:`NOT_COMPUTED`), given by ``rebuild`` (from the document's body); so is its first
    open work, by ``rebuild_first``."""
    note, has_tasks, candidate, score, daily, dated, done, date, rank, first, day_plan = row
    if daily is None:
        later = None
    elif daily is NOT_COMPUTED:
        if rebuild is None:
            raise ValueError("a stored focus part without its daily focus needs a way to rebuild it")
        later = rebuild
    else:
        later = lambda: decode_focus(daily, document)  # noqa: E731
    return FocusPart(
        document, note, has_tasks, candidate, tuple(score),  # type: ignore[arg-type]
        later,
        [(due, scheduled, line, decode_entry(entry, document)) for due, scheduled, line, entry in dated],
        done, date, None if rank is None else tuple(rank),  # type: ignore[arg-type]
        _first_work(first, document, rebuild_first), day_plan,
    )  # fmt: skip
