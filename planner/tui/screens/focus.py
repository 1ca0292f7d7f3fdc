"""Daily Focus, the start screen: today's headline, today's tasks, what is blocked, what to start with.

Today's tasks are one virtualised DataTable (tick with ``space``); the headline, the
next action and the blocked/completed lists are plain text around it. The focus is
computed from every document by :func:`planner.views.focus.daily_focus`, once per
workspace version.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.widgets import DataTable

from planner.model.states import DONE, OPEN
from planner.tui.present import PRIORITY_STYLES, Matcher, box, clean, progress_text
from planner.tui.screens.base import PlannerScreen, Target
from planner.tui.widgets.detail import DetailRequest
from planner.tui.widgets.lists import TaskTable
from planner.tui.widgets.safe import SafeStatic

if TYPE_CHECKING:  # the views (and the model, pydantic) are imported after the first frame
    from planner.model.document import Document
    from planner.views.focus import Focus, FocusTask

LIST_LIMIT = 6


def _is_daily(document: Document) -> list[bool]:
    from planner.views.focus import is_daily  # noqa: PLC0415 - see TYPE_CHECKING above

    return [is_daily(document)]  # blocked / completed entries shown under the table


class FocusScreen(PlannerScreen):
    MODE: ClassVar[str] = "focus"

    def __init__(self) -> None:
        super().__init__()
        self.focus_view: Focus | None = None
        self._rows: list[FocusTask] = []
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
        matcher = Matcher(self.planner.filter_query)
        self._rows = [t for t in focus.tasks if not matcher or matcher(t.title, t.status or "", self._where(t))]
        self._width = self._title_width()
        table.clear(columns=True)
        table.add_column("", width=3, key="box")
        table.add_column("P", width=2, key="priority")
        table.add_column("Task", width=self._width, key="title")
        table.add_column("Est.", width=7, key="estimate")
        with_status = self._with_status()
        if with_status:
            table.add_column("Status", width=11, key="status")
        for number, entry in enumerate(self._rows):
            cells = self._cells(entry)
            table.add_row(*(cells if with_status else cells[:-1]), key=str(number))
        self._show_header(focus)
        self._show_lists(focus, matcher)
        row = next((i for i, t in enumerate(self._rows) if self._key(t) == keep), None)
        if row is None and keep_at is not None:
            row = self._nearest(keep_at)  # its text changed or it is gone: the task beside it, never the top
        if row is None and focus.next_task is not None:
            row = next((i for i, t in enumerate(self._rows) if self._key(t) == self._key(focus.next_task)), None)
        if self._rows:
            table.move_cursor(row=row or 0, animate=False)

    def compute_focus(self) -> Focus:
        """The daily focus. Only documents that are daily plans can be the daily document, and
        whether one is depends on that file alone: cached per file version, so after a tick
        the focus is recomputed from the handful of daily plans, not from every file."""
        from planner.views.focus import daily_focus  # noqa: PLC0415 - see TYPE_CHECKING above

        documents = list(self.planner.workspace.documents.values()) if self.planner.workspace else []
        daily = [d for d in documents if self.planner.per_document("is-daily", d, _is_daily)[0]]
        return daily_focus(daily if daily else documents)

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
        row = self.table.cursor_row
        if 0 <= row < len(self._rows):
            entry = self._rows[row]
            return entry.document.path, entry.line, row
        return None

    def _nearest(self, place: tuple[str, int, int]) -> int | None:
        path, line, row = place
        same_file = [(abs(t.line - line), i) for i, t in enumerate(self._rows) if t.document.path == path]
        if same_file:
            return min(same_file)[1]
        return min(row, len(self._rows) - 1) if self._rows else None

    def _cursor_key(self) -> tuple[object, ...] | None:
        row = self.table.cursor_row
        if 0 <= row < len(self._rows):
            return self._key(self._rows[row])
        return None

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
        headline.append("Today  ", style="bold reverse")
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

    def _show_lists(self, focus: Focus, matcher: Matcher) -> None:
        text = Text()
        for title, entries, style in (("Blocked / waiting", focus.blocked, "bold yellow"), ("Completed", focus.completed, "bold green")):
            shown = [e for e in entries if matcher(e)]
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
        widget = self.query_one("#focus-lists", SafeStatic)
        widget.update(text)
        widget.display = bool(text)

    # -- selection ------------------------------------------------------------------------

    def _entry(self) -> FocusTask | None:
        row = self.table.cursor_row
        return self._rows[row] if 0 <= row < len(self._rows) else None

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
            return "no task selected"
        if entry.task is None:
            return f"'{entry.title}' has no checkbox or status marker to tick (press e to edit it)"
        return entry.document, entry.task

    def current_location(self) -> tuple[str, int] | None:
        entry = self._entry()
        return None if entry is None else (entry.document.path, entry.line)

    def status_extra(self) -> Text | None:
        if self.planner.filter_query and self.focus_view is not None:
            return Text(f"{len(self._rows)} of {len(self.focus_view.tasks)} of today's tasks")
        return None
