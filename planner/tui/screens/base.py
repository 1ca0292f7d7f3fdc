"""What every planner screen shares: tabs, main view + detail pane, filter bar, status line, key bar.

A screen builds its main widget from ``app.workspace`` (never by itself reading files),
rebuilds when the workspace's version or the filter changed since it last built, and
keeps its selection across rebuilds. Ticking, the editor and the detail pane go through
the app, so every screen behaves the same.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widget import Widget

from planner.tui.present import DETAIL_MAX_LINES, clean, excerpt
from planner.tui.screens.edit_actions import EDIT_BINDINGS, MARK, EditActions
from planner.tui.widgets.chrome import FilterBar, ScreenTabs, StatusLine
from planner.tui.widgets.detail import DetailPane, DetailRequest
from planner.tui.widgets.keybar import KeyBar
from planner.tui.widgets.safe import SafeStatic

if TYPE_CHECKING:  # the model (and pydantic) is imported by the load, after the first frame
    from planner.model.document import Document, Section, Task
    from planner.tui.app import PlannerApp

Target = tuple["Document", "Task"]


class PlannerScreen(EditActions, Screen[None]):
    MODE: ClassVar[str] = ""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "edit", "Edit"),
        Binding("escape", "clear_filter", "Clear filter", show=False),
        Binding("o", "sort", "Sort", show=False, id="sort"),
        Binding("O", "reverse_sort", "Reverse sort", show=False, id="reverse_sort"),
        Binding("b", "group", "Group", show=False, id="group"),
        Binding("h", "hide_done", "Hide done", show=False, id="hide_done"),
        *EDIT_BINDINGS,
    ]

    def __init__(self) -> None:
        super().__init__()
        self._built_version = -1
        self._built_filter: tuple[object, ...] | None = None  # the filter, hide done and order it was built with

    @property
    def planner(self) -> PlannerApp:
        return self.app  # type: ignore[return-value]

    # -- layout -----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield ScreenTabs(self.MODE)
        with Horizontal(id="body"):
            with Vertical(id="main"):
                yield from self.compose_main()
            yield DetailPane(id="detail")
        yield FilterBar()
        yield StatusLine()
        yield KeyBar()

    def compose_main(self) -> ComposeResult:
        yield SafeStatic("")

    def main_widget(self) -> Widget | None:
        return None

    # -- life cycle -------------------------------------------------------------------

    def on_mount(self) -> None:
        self.sync()

    def on_screen_resume(self) -> None:
        self.sync()
        self.sync_filter_bar()
        widget = self.main_widget()
        if widget is not None and self.focused is None:
            widget.focus()

    def sync(self, force: bool = False) -> None:
        """Rebuild if the workspace or the filter changed since the last build."""
        app = self.planner
        if app.workspace is None:
            self.update_status()
            return
        view = app.view_key(self.MODE)
        if force or self._built_version != app.version or self._built_filter != view:
            if self._safe_rebuild() is False:
                return  # its data is being prepared in slices; sync(force=True) follows
            self._built_version = app.version
            self._built_filter = view
            self.update_detail(now=True)
        self.update_status()

    def workspace_changed(self, paths: set[str]) -> None:
        """Documents in ``paths`` changed (this screen is showing): update in place."""
        if self._built_version < 0 or self._built_filter != self.planner.view_key(self.MODE):
            self.sync()
            return
        try:
            self.refresh_paths(paths)
        except Exception as err:  # noqa: BLE001 - a bug meeting odd user data: say so, keep running
            self._report(err)
        self._built_version = self.planner.version
        self.query_one(DetailPane).forget()
        # The list shows the change at once; the pane's Markdown follows when keys rest (as on j/k).
        self.update_detail()
        self.update_status()

    def _safe_rebuild(self) -> bool | None:
        try:
            return self.rebuild()
        except Exception as err:  # noqa: BLE001 - a bug meeting odd user data: say so, keep running
            self._report(err)
            return None

    def _report(self, err: Exception) -> None:
        self.log.error(f"{type(self).__name__} failed", err)
        self.planner.notify(
            f"this screen could not be fully built ({type(err).__name__}: {err}); the files are unchanged",
            severity="error",
            timeout=10,
        )

    # -- what screens implement ---------------------------------------------------------

    def rebuild(self) -> bool | None:
        """Build the main widget from the workspace and the filter, keeping the selection.

        Returns False when the data is not ready yet (computed in a thread; the app calls
        ``sync(force=True)`` when it is)."""

    def refresh_paths(self, paths: set[str]) -> None:
        self.rebuild()

    def current_task(self) -> Target | str:
        """The task under the cursor, or why there is none."""
        return "nothing to tick here"

    def current_location(self) -> tuple[str, int] | None:
        """(path, line) of the selection, for the editor."""
        return None

    def detail_request(self) -> DetailRequest | None:
        return None

    def status_extra(self) -> Text | None:
        return None

    # -- shared helpers ---------------------------------------------------------------

    def update_detail(self, now: bool = False) -> None:
        if not self.is_mounted:
            return
        self.query_one(DetailPane).request(self.detail_request(), now=now)

    def section_detail(self, document: Document, section: Section | None, line: int | None = None) -> DetailRequest:
        """The Markdown of ``section`` (the whole file when None) with a heading saying where it is."""
        lines = self.planner.source_lines(document)
        where = self.planner.relative(document.path)
        limit = DETAIL_MAX_LINES
        if section is None:  # a whole file: its head is enough to recognise it
            first, last, limit = 1, len(lines), 60
            title = document.title or where
        else:
            first, last = section.line, section.end_line
            title = section.title
        heading = Text.assemble((where, "bold"), (f":{line or first}", "dim"), "  ", clean(title))
        return DetailRequest((document.path, document.digest, first, last, line), heading, excerpt(lines, first, last, limit))

    def update_status(self) -> None:
        if not self.is_mounted:
            return
        self.query_one(StatusLine).show(self.planner.status_text(self.status_extra()))

    def sync_filter_bar(self) -> None:
        bar = self.query_one(FilterBar)
        query = self.planner.filter_query
        if query:
            bar.set_class(True, "-open")
            if bar.value != query:
                bar.value = query
        else:
            bar.close()

    # -- marks (multi-select) ------------------------------------------------------------

    def show_mark(self, marked: bool) -> None:
        """Draw or take away the mark on the row under the cursor of the main list."""
        from textual.widgets import DataTable, Tree  # noqa: PLC0415

        widget = self.main_widget()
        if isinstance(widget, Tree) and widget.cursor_node is not None:
            node = widget.cursor_node
            label = node.label.copy() if isinstance(node.label, Text) else Text(str(node.label))
            if marked and not label.plain.startswith(MARK):
                label = Text.assemble((MARK, "bold magenta"), label)
            elif not marked and label.plain.startswith(MARK):
                label = label[len(MARK) :]
            node.set_label(label)
        elif isinstance(widget, DataTable) and widget.row_count:
            row = widget.cursor_row
            cell = widget.get_cell_at((row, 0))
            plain = cell.plain if isinstance(cell, Text) else str(cell)
            if marked:
                widget.update_cell_at((row, 0), Text.assemble((MARK.strip(), "bold magenta"), plain[1:]))
            else:
                self.planner.version += 1
                self.sync(force=True)

    def main_cursor_move(self, step: int) -> None:
        widget = self.main_widget()
        action = getattr(widget, "action_cursor_down" if step > 0 else "action_cursor_up", None)
        if action is not None:
            action()

    # -- actions ----------------------------------------------------------------------

    def action_tick(self) -> None:
        from planner.writer.edit import toggle  # noqa: PLC0415

        if self._each("ticked", lambda document, task: toggle(document, task)):
            return
        target = self.current_task()
        if isinstance(target, str):
            self.planner.notify(target, severity="warning", timeout=3)
            return
        self.planner.tick(*target)

    def action_sort(self) -> None:
        self._choose("sort", lambda: self.planner.cycle_sort(self.MODE))

    def action_reverse_sort(self) -> None:
        self._choose("sort", lambda: self.planner.flip_sort(self.MODE))

    def action_group(self) -> None:
        self._choose("group", lambda: self.planner.cycle_group(self.MODE))

    def action_hide_done(self) -> None:
        self._choose("hide", self.planner.toggle_hide_done)

    def _choose(self, what: str, change: Callable[[], str]) -> None:
        from planner.tui.app_choices import GROUPABLE, SORTABLE  # noqa: PLC0415

        if what == "sort" and self.MODE not in SORTABLE or what == "group" and self.MODE not in GROUPABLE:
            self.planner.notify(
                f"this screen keeps the documents' own order: {what} on "
                + ("Daily Focus, Sprint Options and Priority Queues" if what == "sort" else "Daily Focus and Priority Queues"),
                severity="warning",
                timeout=4,
            )
            return
        self.planner.last_action = Text(change())
        self.sync()

    def action_edit(self) -> None:
        location = self.current_location()
        if location is None:
            self.planner.notify("Nothing selected to open", severity="warning", timeout=3)
            return
        self.planner.open_in_editor(*location)

    def action_clear_filter(self) -> None:
        if self.clear_marks():
            return
        if self.planner.filter_query:
            self.query_one(FilterBar).value = ""
            self.query_one(FilterBar).close()
            self.planner.set_filter("")

    def open_filter(self) -> None:
        self.query_one(FilterBar).open(self.planner.filter_query)

    def on_input_changed(self, event: FilterBar.Changed) -> None:
        if isinstance(event.input, FilterBar):
            self.planner.set_filter(event.value)

    def on_filter_bar_done(self, event: FilterBar.Done) -> None:
        if event.cleared:
            self.planner.set_filter("")
            self.query_one(FilterBar).close()
        else:
            self.planner.apply_pending_filter()  # the first match is looked for in the filtered view
        widget = self.main_widget()
        if widget is not None:
            widget.focus()
        if not event.cleared:
            self.call_after_refresh(self.go_to_first_match)

    def go_to_first_match(self) -> None:
        """After a filter is kept, a screen may put its cursor on the first match."""


class UnavailableScreen(PlannerScreen):
    """Stands in for a screen whose view module is missing (never crashes the app)."""

    def __init__(self, mode: str, reason: str) -> None:
        self.MODE = mode
        self.reason = reason
        super().__init__()

    def compose_main(self) -> ComposeResult:
        yield SafeStatic(Text(self.reason), classes="loading-note")
