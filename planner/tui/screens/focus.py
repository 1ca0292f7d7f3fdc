"""Daily Focus, the start screen: today's headline, today's tasks, what is blocked, what to start with.

Today's tasks are one virtualised DataTable (tick with ``space``); the headline, the
next action and the blocked/completed lists are plain text around it. The focus is
computed from every document by :func:`planner.views.focus.daily_focus`, once per
workspace version.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import DataTable

from planner.model.states import DONE, OPEN
from planner.tui.present import PRIORITY_STYLES, box, clean, progress_text
from planner.tui.screens.base import PlannerScreen, Target
from planner.tui.screens.focus_days import DAY_BINDINGS, DayChoice, day_name, today_iso
from planner.tui.screens.placement import Placement
from planner.tui.widgets.detail import DetailRequest
from planner.tui.widgets.lists import TaskTable
from planner.tui.widgets.safe import SafeStatic

if TYPE_CHECKING:  # the views (and the model, pydantic) are imported after the first frame
    from planner.model.document import Document
    from planner.views.focus import Focus, FocusTask
    from planner.views.focus_parts import FocusPart

LIST_LIMIT = 6


def _dated(document: Document) -> list[object]:
    from planner.views.agenda_days import dated  # noqa: PLC0415 - see TYPE_CHECKING above

    return dated(document)  # the same cache entry as the Agenda's


def _done_dated(document: Document) -> list[bool]:
    return [any(t.done_date for t in document.tasks)]  # "completed today" by a ✅ date, from any file


def _contributes(per_document: Any, document: Document, is_daily: Callable[[Document], list[bool]]) -> bool:
    """Whether a document can add to the focus when there are daily plans: one of them, or a file
    with dated open work or tasks done on a date."""
    return (
        per_document("is-daily", document, is_daily)[0]
        or bool(per_document("dated", document, _dated))
        or per_document("done-dated", document, _done_dated)[0]
    )


def _is_daily(document: Document, stored: dict[str, Any] | None = None) -> list[bool]:
    # a day's plan by its headings, or a daily note by its date (journal/2026/12/01.md): as its
    # focus part in the cache says (FocusPart.day_plan), for this version of the file
    entry = stored.get(document.path) if stored else None
    if entry is not None and entry[0] == document.digest:
        return [bool(entry[1][10])]  # day_plan, the last slot of focus_parts.encode_part's row
    from planner.views.daily_days import document_day  # noqa: PLC0415 - see TYPE_CHECKING above
    from planner.views.focus import is_daily  # noqa: PLC0415

    return [is_daily(document) or document_day(document) is not None]


def _focus_part(document: Document, stored: dict[str, Any] | None = None, keep: Any = None) -> list[FocusPart]:
    from planner.tui.app_views import stored_part  # noqa: PLC0415

    # from the cache when the load found it there (computed in the loader thread otherwise), for this version
    part = stored_part(document, stored, keep) if stored else None
    if part is None:
        from planner.views.focus import focus_part  # noqa: PLC0415 - see TYPE_CHECKING above

        part = focus_part(document)
    return [part]  # its focus as the day's plan: when chosen, once


class FocusScreen(DayChoice, Placement, PlannerScreen):
    MODE: ClassVar[str] = "focus"
    BINDINGS: ClassVar[list[BindingType]] = DAY_BINDINGS  # [ ] t: the day shown

    def __init__(self) -> None:
        super().__init__()
        self.focus_view: Focus | None = None
        self._rows: list[FocusTask] = []  # today's tasks shown (filtered, sorted)
        self._lines: list[FocusTask | None] = []  # the table's rows: a task, or None for a group heading
        self._drawn: list[tuple[Text, ...]] = []  # each row's cells as drawn (a group heading's: empty)
        self._labels: list[str] = []  # the group headings as drawn
        self._width = 0

    def compose_main(self) -> ComposeResult:
        yield SafeStatic(Text("Loading your documents…", style="dim"), id="focus-headline")
        yield SafeStatic("", id="focus-next")
        table = TaskTable(id="focus-table", cursor_type="row", zebra_stripes=False)
        yield table
        yield SafeStatic("", id="focus-lists")

    @property
    def table(self) -> TaskTable:
        return self.query_one("#focus-table", TaskTable)

    def main_widget(self) -> TaskTable:
        return self.table

    # -- building -------------------------------------------------------------------------

    def _main_width(self) -> int:
        return self.query_one("#main").size.width or (self.app.size.width * 3) // 5

    def _with_status(self) -> bool:
        """Whether the Status column is shown: not where it would leave a title under 30 cells
        (80×24 cut titles to 15 characters; the detail pane shows the status line anyway)."""
        return self._main_width() - (3 + 2 + 7 + 11) - 10 - 1 >= 30

    def _title_width(self) -> int:
        # box 3, P 2, estimate 7, status 11 (when shown), and one cell of padding each side of each column
        if self._with_status():
            return self._main_width() - (3 + 2 + 7 + 11) - 10 - 1
        return max(16, self._main_width() - (3 + 2 + 7) - 8 - 1)

    def rebuild(self) -> None:
        workspace = self.planner.workspace
        if workspace is None:
            return
        focus = self.compute_focus()
        self.focus_view = focus
        table = self.table
        keep = self._cursor_key()
        keep_at = self._cursor_place()
        if self.placed_over_partial(table.cursor_row):
            keep = keep_at = None  # not the user's choice: start where the focus says
        self._rows, groups = self._ordered(focus.tasks)
        closed = self._closed_under_cursor() if keep is not None and not self.planner.hide_done else None
        if closed is not None and len(groups) == 1 and not groups[0][0]:
            # the task just ticked under the cursor stays there, done (a second space unticks it)
            entries = [e for e in groups[0][1] if self._key(e) != self._key(closed)]
            entries.insert(min(table.cursor_row, len(entries)), closed)
            groups = [("", entries)]
        self._width = self._title_width()
        table.clear(columns=True)
        table.add_column("", width=3, key="box")
        table.add_column("P", width=2, key="priority")
        table.add_column("Task", width=self._width, key="title")
        table.add_column("Est.", width=7, key="estimate")
        with_status = self._with_status()
        if with_status:
            table.add_column("Status", width=11, key="status")
        self._lines = []
        self._drawn = []
        self._labels = self._group_labels(groups)
        for label, entries in groups:
            if label:
                cells = self._group_cells(label, entries)
                table.add_row(*(cells if with_status else cells[:-1]), key=f"group-{len(self._lines)}")
                self._lines.append(None)
                self._drawn.append(())
            for entry in entries:
                cells = self._cells(entry)[: 5 if with_status else 4]
                table.add_row(*cells, key=str(len(self._lines)))
                self._lines.append(entry)
                self._drawn.append(cells)
        self._show_header(focus)
        self._show_lists(focus, keep_room=False)  # a new build: the lists take the lines they need
        row = next((i for i, t in enumerate(self._lines) if t is not None and self._key(t) == keep), None)
        if row is None and keep_at is not None:
            row = self._nearest(keep_at)  # its text changed or it is gone: the task beside it, never the top
        if row is None and focus.next_task is not None:
            row = next((i for i, t in enumerate(self._lines) if t is not None and self._key(t) == self._key(focus.next_task)), None)
        if row is None:
            row = next((i for i, t in enumerate(self._lines) if t is not None), None)
        if self._lines:
            table.move_cursor(row=row or 0, animate=False)
            self.placed(row or 0)

    def refresh_paths(self, paths: set[str]) -> None:
        """After a tick or an outside edit: when the same rows are still there in the same order
        (a task ticked, not gone), the changed files' rows are drawn again in place — no table
        rebuilt, the cursor where it was; anything else rebuilds."""
        if self.planner.workspace is None or not self._lines or self._title_width() != self._width:
            self.rebuild()
            return
        focus = self.compute_focus()
        rows, groups = self._ordered(focus.tasks)
        lines: list[FocusTask | None] = []
        for label, entries in groups:
            if label:
                lines.append(None)
            lines.extend(entries)
        old = self._lines
        if len(lines) < len(old):
            lines = self._with_closed_kept(old, lines) or lines
        same = len(lines) == len(old) and all(map(self._same_row, lines, old))
        if not same or self._group_labels(groups) != self._labels:
            self.rebuild()
            return
        self.focus_view = focus
        self._rows, self._lines = rows, lines
        table = self.table
        columns = len(table.columns)
        for row, entry in enumerate(lines):
            if entry is not None and entry.document.path in paths:
                cells = self._cells(entry)[:columns]
                if cells != self._drawn[row]:
                    for column, cell in enumerate(cells):
                        table.update_cell_at((row, column), cell)
                    self._drawn[row] = cells
        self._show_header(focus)
        self._show_lists(focus)

    def _same_row(self, a: FocusTask | None, b: FocusTask | None) -> bool:
        return (a is None and b is None) or (a is not None and b is not None and self._key(a) == self._key(b))

    def _with_closed_kept(self, old: list[FocusTask | None], new: list[FocusTask | None]) -> list[FocusTask | None] | None:
        """``new``, with the rows of ``old`` that left it because an edit made here just closed
        their task (an overdue task or a queue item ticked done, cancelled) kept where they were
        and drawn as they are now, until the next build: the cursor stays on the task, and a
        second space unticks it — never the task that took its place. None when ``new`` is not
        ``old`` less such rows."""
        kept: list[FocusTask | None] = []
        upcoming = iter(new)
        following = next(upcoming, self)  # self: none left
        for entry in old:
            if following is not self and self._same_row(entry, following):
                kept.append(following)
                following = next(upcoming, self)
                continue
            closed = self._closed_by_an_edit(entry)
            if closed is None:
                return None
            kept.append(closed)
        return kept if following is self else None

    def _closed_under_cursor(self) -> FocusTask | None:
        row = self.table.cursor_row
        return self._closed_by_an_edit(self._lines[row]) if 0 <= row < len(self._lines) else None

    def _closed_by_an_edit(self, entry: FocusTask | None) -> FocusTask | None:
        """``entry`` as its task is now, when an edit made here (a tick, ``s``) has just closed
        it — done or cancelled, the file's line as that edit left it; else None."""
        import dataclasses  # noqa: PLC0415

        from planner.model.states import OPEN_TYPES  # noqa: PLC0415

        workspace = self.planner.workspace
        if workspace is None or entry is None or entry.task is None:
            return None
        document = workspace.documents.get(entry.document.path)
        task = document.task_at_line(entry.line) if document is not None else None
        if task is None or task.index != entry.task.index or task.status_type in OPEN_TYPES:
            return None
        if not any(e.path == document.path and e.line == task.line and e.state_after == task.state for e in workspace.history[-50:]):
            return None
        return dataclasses.replace(entry, document=document, task=task, state=task.state, status_type=task.status_type)

    @staticmethod
    def _group_labels(groups: list[tuple[str, list[FocusTask]]]) -> list[str]:
        return [f"{label} ({len(entries)})" for label, entries in groups if label]

    def _ordered(self, tasks: list[FocusTask]) -> tuple[list[FocusTask], list[tuple[str, list[FocusTask]]]]:
        """Today's tasks that pass the filter (and hide done), sorted, and in their groups."""
        from planner.views.facts import focus_facts  # noqa: PLC0415 - see TYPE_CHECKING above
        from planner.views.ordering import group_rows, sort_rows  # noqa: PLC0415

        test = self.planner.row_test()
        facts = {id(t): focus_facts(t, self._where(t)) for t in tasks}
        shown = [t for t in tasks if test is None or test(facts[id(t)])]
        sort, reverse, group = self.planner.ordering(self.MODE)
        shown = sort_rows(shown, sort, lambda t: facts[id(t)], reverse)
        return shown, group_rows(shown, group, lambda t: facts[id(t)])

    @staticmethod
    def _group_cells(label: str, entries: list[FocusTask]) -> tuple[Text, ...]:
        heading = Text(f"{label} ({len(entries)})", style="bold underline", no_wrap=True, overflow="ellipsis")
        return Text(""), Text(""), heading, Text(""), Text("")

    def compute_focus(self) -> Focus:
        """The daily focus. Only documents that are daily plans can be the daily document, and
        whether one is depends on that file alone: cached per file version, as is each one's
        part of the focus (planner.views.focus_parts), so after a tick only the changed file's
        part is computed again and the parts are combined."""
        from planner.model.days import today  # noqa: PLC0415 - see TYPE_CHECKING above
        from planner.views.contrib import combine_queues  # noqa: PLC0415
        from planner.views.focus_parts import combine_focus  # noqa: PLC0415

        planner = self.planner
        per_document = planner.per_document
        documents = list(planner.workspace.documents.values()) if planner.workspace else []
        each = planner.each_document
        stored = planner.workspace.stored if planner.workspace else {}
        is_daily = partial(_is_daily, stored=stored)
        daily = [d for d, (yes,) in zip(documents, each("is-daily", documents, is_daily), strict=True) if yes]
        # the day's plan among the daily ones; the dated work (overdue, due) from every file that has any
        if daily:
            contributes = each("contributes", documents, lambda d: [_contributes(per_document, d, is_daily)])
            chosen = [d for d, (yes,) in zip(documents, contributes, strict=True) if yes]
        else:
            chosen = documents
        workspace = planner.workspace

        def keep(document: Document, value: tuple[Any, ...]) -> bool:  # a part computed in full, for the next start
            return workspace is not None and workspace.keep_contribution(document, "focus", value)

        parts = [part for part, in each("focus-part", chosen, lambda d: _focus_part(d, stored, keep))]

        def queues() -> dict[str, list[Any]]:  # no day's plan, or nothing open in it: the queues' open work
            from planner.views.queues import document_items  # noqa: PLC0415 - only then

            return combine_queues([per_document("queue-items", d, document_items) for d in documents])

        def every_part() -> list[Any]:  # no plan for the day, or nothing open in it: work from any document
            return [part for part, in each("focus-part", documents, lambda d: _focus_part(d, stored, keep))]

        return combine_focus(parts, self.shown_day(), queues, every_part if chosen is not documents else None)

    def day_changed(self) -> None:
        self._rows = []  # another day's tasks: the cursor starts where that day's focus says
        self.sync(force=True)

    def on_resize(self, event: events.Resize) -> None:
        if self.planner.workspace is not None and self.is_mounted and self._title_width() != self._width:
            self.rebuild()

    def _where(self, entry: FocusTask) -> str:
        return self.planner.relative(entry.document.path)

    @staticmethod
    def _key(entry: FocusTask) -> tuple[object, ...]:
        return (entry.document.path, entry.title)

    def _cursor_place(self) -> tuple[str, int, int] | None:
        """(file, line, row) under the cursor, to land beside it when its task is gone."""
        entry = self._entry()
        if entry is not None:
            return entry.document.path, entry.line, self.table.cursor_row
        return None

    def _nearest(self, place: tuple[str, int, int]) -> int | None:
        path, line, row = place
        same_file = [(abs(t.line - line), i) for i, t in enumerate(self._lines) if t is not None and t.document.path == path]
        if same_file:
            return min(same_file)[1]
        return min(row, len(self._lines) - 1) if self._lines else None

    def _cursor_key(self) -> tuple[object, ...] | None:
        entry = self._entry()
        return None if entry is None else self._key(entry)

    def _cells(self, entry: FocusTask) -> tuple[Text, ...]:
        mark = box(entry.state)
        if entry.task is None and entry.state == OPEN:
            mark = Text(" • ", style="dim")  # a heading or list item: nothing to tick
        priority = Text(entry.priority or "", style=PRIORITY_STYLES.get(entry.priority or "", ""))
        title = Text(entry.title, style="dim" if entry.state == DONE else "", no_wrap=True, overflow="ellipsis")
        estimate = Text(entry.estimate.label() if entry.estimate else "", style="cyan")
        if entry.progress is not None and entry.progress[1]:
            status = progress_text(*entry.progress, width=5)
        else:
            status = Text(clean(entry.status or ""), style="italic", no_wrap=True, overflow="ellipsis")
        return mark, priority, title, estimate, status

    def _show_header(self, focus: Focus) -> None:
        headline = Text()
        today = today_iso()
        day = self.shown_day()
        headline.append(f"{day_name(day, today)}  ", style="bold reverse" if day == today else "bold reverse yellow")
        headline.append(" " + focus.headline, style="bold")
        where = []
        if focus.document is not None:
            where.append(self.planner.relative(focus.document.path))
        if focus.last_updated:
            where.append(f"updated {focus.last_updated}")
        open_count = sum(1 for t in focus.tasks if t.state != DONE)
        where.append(f"{open_count}/{len(focus.tasks)} open")
        total = focus.estimate_total
        if total is not None:
            where.append(total.label())
        position = self.day_position()
        if day != today:
            where.append(" · ".join(p for p in (day, position, "t today") if p))
        elif position:
            where.append(f"{position} · [ or ] other days")
        elif self.note_days():
            where.append("[ or ] daily notes")  # none for today, but other days have one
        headline.append("\n" + " · ".join(where), style="dim")
        self.query_one("#focus-headline", SafeStatic).update(headline)
        nxt = Text()
        if focus.next_action:
            action = clean(focus.next_action)
            # "Start with the parser's header handling." says it already: not "Start with Start with …"
            nxt.append("Next: " if action.casefold().startswith(("start ", "start:")) else "Start with ", style="bold green")
            nxt.append(action)
            if focus.next_line and focus.document is not None:
                nxt.append(f"  (line {focus.next_line})", style="dim")
        self.query_one("#focus-next", SafeStatic).update(nxt)

    def _show_lists(self, focus: Focus, keep_room: bool = True) -> None:
        text = Text()
        filt = self.planner.current_filter()
        lists = [("Blocked / waiting", focus.blocked, "bold yellow")]
        if not self.planner.hide_done:
            lists.append(("Completed", focus.completed, "bold green"))
        for title, entries, style in lists:
            shown = [e for e in entries if filt.text(e)]
            if not shown:
                continue
            if text:
                text.append("\n")
            text.append(f"{title} ({len(shown)})", style=style)
            for entry in shown[:LIST_LIMIT]:
                text.append("\n  • ")
                text.append(clean(entry))
            if len(shown) > LIST_LIMIT:
                text.append(f"\n  … {len(shown) - LIST_LIMIT} more", style="dim")
        # Between builds the lists keep the lines they take on screen: a tick that adds "Completed
        # (1)" and the untick that takes it away leave the table where it is (no jump under the
        # cursor, and no layout of the screen for each one).
        widget = self.query_one("#focus-lists", SafeStatic)
        room = widget.content_region.height if keep_room and widget.display else 0  # wrapped entries too
        lines = (widget.lines_for(text) or text.plain.count("\n") + 1) if text else 0
        if lines < room:
            if not text:
                text, lines = Text(" "), 1  # blank lines where the lists were, not a hidden widget
            text.append("\n" * (room - lines))
        widget.update(text)
        if widget.display != bool(text):  # setting it at all lays the screen out again
            widget.display = bool(text)

    # -- selection ------------------------------------------------------------------------

    def _entry(self) -> FocusTask | None:
        row = self.table.cursor_row
        return self._lines[row] if 0 <= row < len(self._lines) else None

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.update_detail()

    def detail_request(self) -> DetailRequest | None:
        entry = self._entry()
        if entry is None:
            return None
        document = entry.document
        section = entry.section
        if entry.task is not None and entry.task.heads is not None:
            section = entry.task.heads
        return self.section_detail(document, document.sections[section] if section is not None else None, entry.line)

    def current_task(self) -> Target | str:
        entry = self._entry()
        if entry is None:
            return "a group heading: move to a task (j / k) to tick it" if self._lines else "no task selected"
        if entry.task is None:
            return f"'{entry.title}' has no checkbox or status marker to tick (press e to edit it)"
        return entry.document, entry.task

    def current_location(self) -> tuple[str, int] | None:
        entry = self._entry()
        return None if entry is None else (entry.document.path, entry.line)

    def status_extra(self) -> Text | None:
        if (self.planner.filter_query or self.planner.hide_done) and self.focus_view is not None:
            return Text(f"{len(self._rows)} of {len(self.focus_view.tasks)} of today's tasks")
        return None
