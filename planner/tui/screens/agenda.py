"""Agenda: overdue work, today and each of the next seven days, by date.

One virtualised DataTable: a row per day (overdue first), its tasks under it — due,
scheduled or starting that day, in any dialect (:func:`planner.views.agenda_days.agenda`).
``space`` ticks the task under the cursor, the editing keys work as on every screen, and
``u`` undoes. A task's dated-ness is cached per file version, so after a tick only the
changed file is looked at again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar, TypeVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.widgets import DataTable

from planner.model.states import DONE
from planner.tui.present import PRIORITY_STYLES, box, clean
from planner.tui.screens.base import PlannerScreen, Target
from planner.tui.screens.placement import Placement
from planner.tui.widgets.detail import DetailRequest
from planner.tui.widgets.lists import TaskTable
from planner.tui.widgets.safe import SafeStatic

if TYPE_CHECKING:  # the views (and the model, pydantic) are imported after the first frame
    from planner.model.document import Document, Task
    from planner.views.agenda_days import Agenda, AgendaDay, AgendaEntry

T = TypeVar("T")
WHEN_WIDTH = 14  # "due 4 days ago", "due, scheduled"
FILE_WIDTH = 24  # the file column (at least), shown when the list is wide enough
WIDE = 96


def _columns(cells: tuple[Text, ...], wide: bool) -> tuple[Text, ...]:
    """The cells of the columns shown: narrow, the priority leads the title, no file column."""
    if wide:
        return cells
    mark, priority, title, when, _ = cells
    if priority.plain:
        title = Text.assemble(priority, " ", title, no_wrap=True, overflow="ellipsis")
    return mark, title, when


def _dated(document: Document) -> list[Task]:
    from planner.views.agenda_days import dated  # noqa: PLC0415 - see TYPE_CHECKING above

    return dated(document)


def _removed(old: list[T], new: list[T], key: Callable[[T], object]) -> list[int] | None:
    """The indices of ``old`` that ``new`` lacks, when ``new`` is ``old`` with rows taken out
    (and nothing added or reordered), rows compared by ``key`` (or being the same row); else None."""
    removed: list[int] = []
    j = 0
    for i, row in enumerate(old):
        if j < len(new) and (new[j] is row or key(new[j]) == key(row)):
            j += 1
        else:
            removed.append(i)
    return removed if j == len(new) else None


def _is_day(row: object) -> bool:
    return hasattr(row, "entries")  # an AgendaDay (a heading row), not an AgendaEntry


class AgendaScreen(Placement, PlannerScreen):
    MODE: ClassVar[str] = "agenda"

    def __init__(self) -> None:
        super().__init__()
        self.agenda_view: Agenda | None = None
        self._agenda_version = -1  # the app's version agenda_view was made for
        self._rows: list[AgendaDay | AgendaEntry] = []
        self._table_keys: list[str] = []  # the DataTable's key of each row (rows may be taken out)
        self._width = 0

    def compose_main(self) -> ComposeResult:
        yield SafeStatic(Text("Loading your documents…", style="dim"), id="agenda-head")
        yield TaskTable(id="agenda-table", cursor_type="row", zebra_stripes=False)

    @property
    def table(self) -> TaskTable:
        return self.query_one("#agenda-table", TaskTable)

    def main_widget(self) -> TaskTable:
        return self.table

    # -- building -------------------------------------------------------------------------

    def _main_width(self) -> int:
        return self.query_one("#main").size.width or (self.app.size.width * 3) // 5

    def _title_width(self) -> int:
        width = self._main_width()
        # box 3, P 2, when, (file), one cell of padding each side of every column, the scrollbar
        # narrow: no P column (the priority leads the title) and no file column
        if width < WIDE:
            return max(12, width - (3 + WHEN_WIDTH) - 6 - 1)
        return max(12, width - (3 + 2 + WHEN_WIDTH) - 8 - (self._file_width() + 2) - 1)

    def _file_width(self) -> int:
        return max(FILE_WIDTH, self._main_width() // 4)

    def compute_agenda(self, changed: set[str] | None = None) -> Agenda:
        """The agenda of the workspace; with ``changed`` (the files changed since the agenda on
        screen was made, on the same day), only their entries are made again."""
        from planner.model.days import today  # noqa: PLC0415
        from planner.views.agenda_days import agenda, agenda_update  # noqa: PLC0415

        workspace = self.planner.workspace
        documents = list(workspace.documents.values()) if workspace is not None else []
        day = today().isoformat()

        def tasks_of(document: Document) -> list[Task]:
            return self.planner.per_document("dated", document, _dated)

        previous = self.agenda_view
        # incremental only from the agenda of the version just before this change (none missed)
        follows = self._agenda_version == self.planner.version - 1
        self._agenda_version = self.planner.version
        if changed is not None and previous is not None and previous.today == day and follows:
            return agenda_update(previous, documents, changed, tasks_of)
        return agenda(documents, day, tasks_of=tasks_of)

    def rebuild(self) -> None:
        if self.planner.workspace is None:
            return
        view = self.compute_agenda()
        self.agenda_view = view
        table = self.table
        keep = self._cursor_key()
        keep_row = table.cursor_row
        if self.placed_over_partial(keep_row) or (keep is not None and keep[0] == "day" and self._first_task() is None):
            keep = None  # not the user's choice (a partial load, or no task to be on): the first task
        rows, counts = self._gather(view)
        self._rows = rows
        self._table_keys = [str(number) for number in range(len(rows))]
        self._width = self._title_width()
        wide = self._main_width() >= WIDE
        table.clear(columns=True)
        table.add_column("", width=3, key="box")
        if wide:
            table.add_column("P", width=2, key="priority")
        table.add_column("Task", width=self._width, key="title")
        table.add_column("When", width=WHEN_WIDTH, key="when")
        if wide:
            table.add_column("File", width=self._file_width(), key="file")
        for number, row in enumerate(rows):
            cells = self._day_cells(row, counts[row.key]) if _is_day(row) else self._cells(row)
            table.add_row(*_columns(cells, wide), key=str(number))
        self._show_head(view)
        self._place_cursor(keep, keep_row)

    def _gather(self, view: Agenda) -> tuple[list[AgendaDay | AgendaEntry], dict[str, int]]:
        """The rows (each day, then its tasks that match the filter) and each day's count."""
        from planner.views.facts import task_facts  # noqa: PLC0415 - see TYPE_CHECKING above

        test = self.planner.row_test()  # the / filter and h (hide done), as on every screen
        rows: list[AgendaDay | AgendaEntry] = []
        counts: dict[str, int] = {}
        for day in view.days:
            entries = [
                e for e in day.entries
                if test is None or test(task_facts(e.task, self.planner.relative(e.document.path), e.title))
            ]  # fmt: skip
            if day.key == "overdue" and not entries:
                continue  # nothing late: no empty "Overdue" row
            rows.append(day)
            rows.extend(entries)
            counts[day.key] = len(entries)
        return rows, counts

    def _place_cursor(self, keep: tuple[object, ...] | None, keep_row: int) -> None:
        rows = self._rows
        target = None
        if keep:
            if 0 <= keep_row < len(rows) and self._key(rows[keep_row]) == keep:
                target = keep_row  # still under the cursor (a tick): no search
            else:
                target = next((i for i, r in enumerate(rows) if self._key(r) == keep), None)
        if target is None:
            target = self._first_task() if keep is None else min(keep_row, len(rows) - 1)
        if rows:
            self.table.move_cursor(row=max(0, target or 0), animate=False)
            self.placed(max(0, target or 0))

    def refresh_paths(self, paths: set[str]) -> None:
        """After a tick or an outside edit: the rows of the changed files updated in place, and
        rows that left (an overdue task done) taken out — a full rebuild only when rows came in."""
        if self.planner.workspace is None or not self._rows or self._title_width() != self._width:
            self.rebuild()
            return
        view = self.compute_agenda(paths)
        rows, counts = self._gather(view)
        removed = _removed(self._rows, rows, self._key)
        if removed is None:
            self.rebuild()
            return
        table = self.table
        keep, keep_row = self._cursor_key(), table.cursor_row
        self.agenda_view = view
        for index in reversed(removed):
            table.remove_row(self._table_keys.pop(index))
        self._rows = rows
        wide = self._main_width() >= WIDE
        for index, row in enumerate(rows):
            if _is_day(row):
                cells = self._day_cells(row, counts[row.key])
            elif row.document.path in paths:
                cells = self._cells(row)
            else:
                continue
            for column, cell in enumerate(_columns(cells, wide)):
                table.update_cell_at((index, column), cell)
        self._show_head(view)
        self._place_cursor(keep, keep_row)

    def _first_task(self) -> int | None:
        return next((i for i, r in enumerate(self._rows) if not _is_day(r)), None)

    def on_resize(self, event: events.Resize) -> None:
        if self.planner.workspace is not None and self.is_mounted and self._title_width() != self._width:
            self.rebuild()

    @staticmethod
    def _key(row: AgendaDay | AgendaEntry) -> tuple[object, ...]:
        if _is_day(row):
            return ("day", row.key)
        return ("task", row.document.path, row.task.text.strip(), row.date)

    def _cursor_key(self) -> tuple[object, ...] | None:
        row = self.table.cursor_row
        return self._key(self._rows[row]) if 0 <= row < len(self._rows) else None

    def _day_cells(self, day: AgendaDay, shown: int) -> tuple[Text, ...]:
        style = "bold red" if day.key == "overdue" else ("bold reverse" if day.label.startswith("Today") else "bold")
        label = Text(day.label, style=style, no_wrap=True, overflow="ellipsis")
        count = Text(f"{shown} task{'s' if shown != 1 else ''}" if shown else "nothing", style="dim")
        return Text("▾", style="dim"), Text(""), label, count, Text("")

    def _cells(self, entry: AgendaEntry) -> tuple[Text, ...]:
        from planner.views.agenda_days import reason_text  # noqa: PLC0415

        task = entry.task
        today = self.agenda_view.today if self.agenda_view is not None else entry.date
        priority = Text(task.priority or "", style=PRIORITY_STYLES.get(task.priority or "", ""))
        title = Text(clean(entry.title), style="dim" if task.state == DONE else "", no_wrap=True, overflow="ellipsis")
        late = entry.date < today
        said = reason_text(entry, today)
        if len(said) > WHEN_WIDTH and said.endswith(" days ago"):  # "due 13 days a…" was cut: "due 13d ago"
            said = said[: -len(" days ago")] + "d ago"
        when = Text(said, style="red" if late else "italic", no_wrap=True, overflow="ellipsis")
        where = self.planner.relative(entry.document.path)
        room = self._file_width()
        if len(where) > room:
            where = "…" + where[-(room - 1) :]  # the file's own name is the end of its path
        where = Text(where, style="dim", no_wrap=True, overflow="ellipsis")
        return box(task.state), priority, title, when, where

    def _show_head(self, view: Agenda) -> None:
        import datetime  # noqa: PLC0415

        from planner.views.agenda_days import day_label  # noqa: PLC0415

        first, last = datetime.date.fromisoformat(view.today), datetime.date.fromisoformat(view.last)
        head = Text()
        head.append("Agenda  ", style="bold reverse")
        head.append(f" {first:%a} {first.day} {first:%b} {first.year} → {day_label(last, first)}", style="bold")
        overdue = len(view.days[0].entries)
        today = len(view.days[1].entries) if len(view.days) > 1 else 0
        later = sum(len(d.entries) for d in view.days[2:])
        if overdue or today or later:
            head.append(f"\n{overdue} overdue · {today} today · {later} in the next {len(view.days) - 2} days", style="dim")
        else:
            head.append("\nnothing dated here: no open task due before today, none due, scheduled or starting", style="dim")
        self.query_one("#agenda-head", SafeStatic).update(head)

    # -- selection ------------------------------------------------------------------------

    def _entry(self) -> AgendaEntry | None:
        row = self.table.cursor_row
        if 0 <= row < len(self._rows) and not _is_day(self._rows[row]):
            return self._rows[row]  # type: ignore[return-value]
        return None

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.update_detail()

    def detail_request(self) -> DetailRequest | None:
        entry = self._entry()
        if entry is None:
            return None
        document, task = entry.document, entry.task
        section = task.heads if task.heads is not None else task.section
        return self.section_detail(document, document.sections[section] if section is not None else None, task.line)

    def current_task(self) -> Target | str:
        entry = self._entry()
        if entry is None:
            return "a day's heading: move to one of its tasks to tick it"
        return entry.document, entry.task

    def current_location(self) -> tuple[str, int] | None:
        entry = self._entry()
        return None if entry is None else (entry.document.path, entry.line)

    def status_extra(self) -> Text | None:
        if self.planner.filter_query and self.agenda_view is not None:
            shown = sum(1 for r in self._rows if not _is_day(r))
            return Text(f"{shown} of {len(self.agenda_view.entries)} agenda tasks")
        return None
