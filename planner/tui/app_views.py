"""What the screens draw from, cached per file version: task rows, per-document views (computed
in slices on the event loop when many are missing), and the source lines of the detail pane."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from itertools import compress
from operator import is_, not_
from typing import TYPE_CHECKING, Any, TypeVar

from textual import work
from textual.message import Message

from planner.tui.present import SourceText, decode_lines

if TYPE_CHECKING:
    from planner.model.document import Document
    from planner.views.tasks import TaskRow

    Keep = Callable[[Document, tuple[Any, ...]], object]  # stores a focus part computed in full

T = TypeVar("T")
INLINE_VIEWS = 40  # more documents than this without a cached view: compute them in slices
VIEW_SLICE = 0.008  # seconds of view computing between two looks at the keyboard
PROGRESS_EVERY = 0.05  # seconds between progress messages


class ViewsProgress(Message):
    def __init__(self, kind: str, done: int, total: int) -> None:
        super().__init__()
        self.kind = kind
        self.done = done
        self.total = total


class ViewsReady(Message):
    def __init__(self, kind: str, results: list[tuple[str, str, list[object]]], problems: list[str]) -> None:
        super().__init__()
        self.kind = kind
        self.results = results
        self.problems = problems


def _safely(compute: Callable[[Document], list[T]], document: Document) -> tuple[list[T], str | None]:
    try:
        return compute(document), None
    except Exception as err:  # noqa: BLE001 - user data must never crash the app
        return [], f"{document.path}: could not be read as a plan ({type(err).__name__}: {err})"


class ViewData:
    """Mixed into the app: it has ``workspace``, ``_rows``, ``_views``, ``_computing``, ``_sources``."""

    workspace: Any
    _rows: dict[str, Any]
    _views: dict[tuple[str, str], tuple[str, object]]
    _computing: dict[str, Any]
    _sources: dict[str, SourceText]
    _each: dict[str, tuple[list[Any], list[Any]]]  # kind → (documents, values) of the last each_document

    def rows(self, document: Document) -> list[TaskRow]:
        """The task rows of ``document`` (display titles, priorities), cached per version."""
        cached = self._rows.get(document.path)
        if cached is not None and cached[0] == document.digest:
            return cached[1]
        from planner.views.tasks import task_rows  # noqa: PLC0415 - see TYPE_CHECKING above

        rows = task_rows([document])
        self._rows[document.path] = (document.digest, rows)
        return rows

    def per_document(self, kind: str, document: Document, compute: Callable[[Document], list[T]]) -> list[T]:
        """``compute(document)`` cached per file version (views are pure functions of a document).

        A view that fails on a file (a bug meeting unusual input) gives an empty list and a
        notification naming the file; it never takes the app down.
        """
        key = (kind, document.path)
        cached = self._views.get(key)
        if cached is not None and cached[0] == document.digest:
            return cached[1]  # type: ignore[return-value]
        value, problem = _safely(compute, document)
        if problem:
            self.notify(problem, severity="error", timeout=8)
        self._views[key] = (document.digest, value)
        return value

    def each_document(self, kind: str, documents: list[Document], compute: Callable[[Document], list[T]]) -> list[list[T]]:
        """``per_document(kind, d, compute)`` for each of ``documents``: a document that is the same
        object as at this position in the last call for ``kind`` gives the same value without
        looking it up (after a tick one file changed: the others cost a comparison each)."""
        last = self._each.get(kind)
        before, values = last if last is not None else ((), ())
        same = min(len(before), len(documents))
        result: list[list[T]] = [*values[:same], *([None] * (len(documents) - same))]  # type: ignore[list-item]
        # the positions whose document is another object, found at C speed (a thousand files, one changed)
        for position in [*compress(range(same), map(not_, map(is_, before, documents))), *range(same, len(documents))]:
            result[position] = self.per_document(kind, documents[position], compute)
        self._each[kind] = (documents, result)
        return result

    def views_ready(self, kind: str, compute: Callable[[Document], list[T]]) -> bool:
        """Whether every document's ``kind`` view is cached; if many are missing, they are
        computed in a thread and the screen on show rebuilds when they are ready."""
        workspace = self.workspace
        if workspace is None:
            return False
        missing = [d for d in workspace.documents.values() if self._views.get((kind, d.path), ("",))[0] != d.digest]
        if len(missing) <= INLINE_VIEWS:
            for document in missing:
                self.per_document(kind, document, compute)
            return True
        if kind not in self._computing:
            self._computing[kind] = self._compute_views(kind, compute, missing)
        return False

    @work(group="views", exit_on_error=False)
    async def _compute_views(self, kind: str, compute: Callable[[Document], list[T]], documents: list[Document]) -> None:
        """Cooperative, on the event loop: a thread would fight the UI for the GIL (seconds of lag);
        yielding between documents keeps every keypress waiting at most one document's work."""
        results: list[tuple[str, str, list[T]]] = []
        problems: list[str] = []
        last = slice_start = time.perf_counter()
        for number, document in enumerate(documents, 1):
            value, problem = _safely(compute, document)
            if problem:
                problems.append(problem)
            results.append((document.path, document.digest, value))
            now = time.perf_counter()
            if now - slice_start >= VIEW_SLICE:
                if now - last >= PROGRESS_EVERY:
                    last = now
                    self.on_views_progress(ViewsProgress(kind, number, len(documents)))
                await asyncio.sleep(0)
                slice_start = time.perf_counter()
        self.post_message(ViewsReady(kind, results, problems))

    def on_views_progress(self, message: ViewsProgress) -> None:
        self._each_screen_status(progress=(message.done, message.total), what=f"preparing {message.kind}")

    def on_views_ready(self, message: ViewsReady) -> None:
        self._computing.pop(message.kind, None)
        for path, digest, value in message.results:
            self._views[(message.kind, path)] = (digest, value)
        if message.problems:
            self.notify("\n".join(message.problems[:5]), severity="error", timeout=10)
        self._each_screen_status(progress=None)
        from planner.tui.screens.base import PlannerScreen  # noqa: PLC0415

        if isinstance(self.screen, PlannerScreen):
            self.screen.sync(force=True)

    def source_lines(self, document: Document) -> list[str]:
        """The lines of ``document`` as text, for the detail pane (read once per version)."""
        cached = self._sources.get(document.path)
        if cached is not None and cached.digest == document.digest:
            return cached.lines
        try:
            with open(document.path, "rb") as handle:
                data = handle.read()
        except OSError as err:
            return [f"*cannot read {self.relative(document.path)}: {err.strerror or err}*"]
        self._sources[document.path] = SourceText(document.digest, decode_lines(data))
        return self._sources[document.path].lines


def stored_part(document: Document, stored: dict[str, Any], keep: Keep | None = None) -> Any:
    """``document``'s focus part from the workspace's cache (:attr:`Workspace.stored`), holding
    ``document`` and its tasks as :func:`planner.views.focus.focus_part` would; None when the
    stored one is not for this version of the file (a tick or an outside edit since the load).

    A stored part leaves out what only one document needs (the day's plan of the daily document
    chosen, a plan's first work): computed here when read, and given to ``keep``
    (:meth:`Workspace.keep_contribution`) so that the next start reads it from the cache too —
    without it, every start imported the parser and the focus view for it."""
    entry = stored.get(document.path)
    if entry is None or entry[0] != document.digest:
        return None
    from functools import cache  # noqa: PLC0415

    from planner.views.focus_parts import LazyEntries, decode_part  # noqa: PLC0415

    @cache
    def fresh() -> Any:  # the document's part computed anew, only when the stored one lacks a piece
        from planner.views.focus import focus_part  # noqa: PLC0415 - the parser and all: not for a warm start

        part = focus_part(document)
        if keep is not None:
            # Encoded and stored by a thread, once the frame that needs the part is drawn (a tick
            # no longer pays for it), and a cache locked by another planner waits there.
            threading.Thread(target=_keep_later, args=(keep, document, part), name="keep-focus-part", daemon=True).start()
        return part

    part = decode_part(entry[1], document, lambda: fresh().daily(), lambda: fresh().first_work)  # type: ignore[misc]
    tasks = {task.line: task for task in document.tasks}
    dated = [(due, scheduled, line, _with_task(entry, tasks)) for due, scheduled, line, entry in part.dated]
    daily = part.daily
    later = None if daily is None else cache(lambda: _focus_with_tasks(daily(), tasks))
    # A plan document's first open work: shown only when nothing is planned or prioritised, so
    # each entry gets its task when it is read (a thousand plans hold ten thousand entries).
    first = LazyEntries(part.first_work, lambda entry: _with_task(entry, tasks))  # its length, too, when read
    return part._replace(dated=dated, done=[tuple(d) for d in part.done], daily=later, first_work=first)


KEEP_AFTER = 0.3  # seconds: a day's plan computed for a frame is encoded and kept after it


def _keep_later(keep: Keep, document: Document, part: Any) -> None:
    from planner.views.focus_parts import encode_part  # noqa: PLC0415

    time.sleep(KEEP_AFTER)
    try:
        full = encode_part(part, eager=True)  # its day's plan and first work, once
        keep(document, full)
    except Exception:  # noqa: BLE001 - an odd file, a busy cache: not kept; the next start computes it again
        pass


def _with_task(entry: Any, tasks: dict[int, Any]) -> Any:
    """A decoded focus entry with the document's task on its line (it names the task by line)."""
    from planner.views.records import TaskRef  # noqa: PLC0415

    if not isinstance(entry.task, TaskRef):
        return entry
    # dataclasses.replace, without its field-by-field checks (a frozen record copied with one
    # value changed; this runs for every dated entry of the tree)
    copy = object.__new__(type(entry))
    copy.__dict__.update(entry.__dict__, task=tasks.get(entry.task.line))
    return copy


def _focus_with_tasks(focus: Any, tasks: dict[int, Any]) -> Any:
    import dataclasses  # noqa: PLC0415

    entries = {id(entry): _with_task(entry, tasks) for entry in focus.tasks}
    chosen = focus.next_task
    if chosen is not None:
        chosen = entries.get(id(chosen)) or _with_task(chosen, tasks)  # the same record as its entry
    return dataclasses.replace(focus, tasks=[entries[id(entry)] for entry in focus.tasks], next_task=chosen)
