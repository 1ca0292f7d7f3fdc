"""The task table keeps each row's drawn lines while its cells are the same objects: after one
cell changes (a tick) only that row is drawn again, and nothing drawn is ever stale — the new
text shows, a row that moved carries its new index for the mouse, a new theme redraws all."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from planner.tui.widgets.lists import TaskTable

ROWS = 12


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield TaskTable(id="table", cursor_type="row")

    def on_mount(self) -> None:
        table = self.query_one(TaskTable)
        table.add_column("", width=3, key="box")
        table.add_column("Task", width=30, key="title")
        for number in range(ROWS):
            table.add_row(Text("[ ]"), Text(f"task {number}"), key=f"r{number}")


@contextlib.asynccontextmanager
async def shown(size: tuple[int, int] = (60, 20)) -> AsyncIterator[tuple[TableApp, object, TaskTable]]:
    app = TableApp()
    async with app.run_test(size=size) as pilot:
        table = app.query_one(TaskTable)
        await pilot.pause()
        yield app, pilot, table


def drawn(table: TaskTable) -> list[str]:
    lines = table.render_lines(table.region.reset_offset)
    return [line.text for line in lines]


def row_meta(table: TaskTable, y: int) -> set[int]:
    """The row index in the mouse meta of every cell on line ``y`` of the table."""
    line = table.render_lines(table.region.reset_offset)[y]
    return {segment.style.meta["row"] for segment in line if segment.style and "row" in segment.style.meta}


async def test_a_changed_cell_draws_only_its_row_again(monkeypatch) -> None:  # noqa: ANN001
    async with shown() as (app, pilot, table):
        before = drawn(table)
        assert any("task 3" in line for line in before)
        rendered: list[object] = []
        original = DataTable._render_line_in_row

        def counting(self, row_key, *args):  # noqa: ANN001, ANN002, ANN202
            rendered.append(row_key.value)
            return original(self, row_key, *args)

        monkeypatch.setattr(DataTable, "_render_line_in_row", counting)
        table.update_cell_at((3, 0), Text("[x]"))
        table.update_cell_at((3, 1), Text("task 3 done"))
        after = drawn(table)
        assert rendered == ["r3"]  # the header and the other rows: kept
        assert any("[x]" in line and "task 3 done" in line for line in after)
        assert [line for line in after if "task 3" not in line] == [line for line in before if "task 3" not in line]


async def test_a_changed_cell_repaints_only_its_rows_place_on_screen(monkeypatch) -> None:  # noqa: ANN001
    """A tick's frame composes the one row again, not the whole table: the region asked for is
    that row's place on screen, scrolled or not (none for a row scrolled out of view)."""
    from textual.widget import Widget

    async with shown((60, 8)) as (app, pilot, table):
        asked: list[tuple[object, ...]] = []
        original = Widget.refresh

        def recording(self, *regions, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
            if self is table:
                asked.append(regions)
            return original(self, *regions, **kwargs)

        monkeypatch.setattr(Widget, "refresh", recording)
        table.update_cell_at((3, 1), Text("task 3 done"))
        assert [(r.y, r.height) for regions in asked for r in regions] == [(table.header_height + 3, 1)]
        assert all(regions for regions in asked)  # never the whole table
        await pilot.pause()
        assert "task 3 done" in drawn(table)[table.header_height + 3]
        table.move_cursor(row=ROWS - 1)  # scrolls down: the first rows are out of view
        await pilot.pause()
        scrolled = table.scroll_offset.y
        assert scrolled > 0
        asked.clear()
        table.update_cell_at((ROWS - 1, 1), Text("last task changed"))
        assert [(r.y, r.height) for regions in asked for r in regions] == [(table.header_height + ROWS - 1 - scrolled, 1)]
        asked.clear()
        table.update_cell_at((0, 1), Text("first task changed"))  # out of view: nothing to repaint
        assert asked == []
        await pilot.pause()
        table.move_cursor(row=0)
        await pilot.pause()
        assert "first task changed" in drawn(table)[table.header_height]
        asked.clear()
        table.update_cell_at((1, 1), Text("a much longer title for task one"), update_width=True)
        assert () in asked  # a column that may widen: the whole table, as DataTable does


async def test_a_changed_fixed_row_shows_while_the_table_is_scrolled() -> None:
    """A fixed row is drawn at the top whatever the scroll: its change repaints the table."""

    class FixedApp(TableApp):
        def compose(self) -> ComposeResult:
            yield TaskTable(id="table", cursor_type="row", fixed_rows=1)

    app = FixedApp()
    async with app.run_test(size=(60, 8)) as pilot:
        table = app.query_one(TaskTable)
        await pilot.pause()
        table.move_cursor(row=ROWS - 1)
        await pilot.pause()
        assert table.scroll_offset.y > 0
        table.update_cell_at((0, 1), Text("fixed row changed"))
        await pilot.pause()
        assert "fixed row changed" in "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def test_a_row_that_moved_up_carries_its_new_index_for_the_mouse() -> None:
    async with shown() as (app, pilot, table):
        header = table.header_height
        assert row_meta(table, header + 5) == {5}
        table.remove_row("r2")
        await pilot.pause()
        assert "task 6" in drawn(table)[header + 5]
        assert row_meta(table, header + 5) == {5}  # a click there selects task 6, at row 5 now
        await pilot.click(TaskTable, offset=(5, header + 5))
        await pilot.pause()
        assert table.cursor_row == 5
        assert table.get_row_at(5)[1].plain == "task 6"


async def test_the_same_text_in_a_new_object_and_a_new_theme_are_drawn_again() -> None:
    async with shown() as (app, pilot, table):
        table.update_cell_at((4, 1), Text("task 4", style="bold"))  # same text, now bold
        line = table.render_lines(table.region.reset_offset)[table.header_height + 4]
        assert any(segment.text.strip() == "task 4" and segment.style.bold for segment in line)
        first = table.render_lines(table.region.reset_offset)[table.header_height + 7]
        app.theme = "textual-light" if app.theme != "textual-light" else "nord"
        await pilot.pause()
        second = table.render_lines(table.region.reset_offset)[table.header_height + 7]
        assert [s.style for s in first] != [s.style for s in second]


async def test_the_cursor_highlight_follows_the_cursor_over_kept_rows() -> None:
    async with shown() as (app, pilot, table):
        y = table.header_height

        def styles(row: int) -> list[object]:
            return [s.style.bgcolor for s in table.render_lines(table.region.reset_offset)[y + row] if s.text.strip()]

        on, off = styles(0), styles(1)
        assert on != off
        table.move_cursor(row=1)
        await pilot.pause()
        assert styles(1) == on and styles(0) == off
        table.remove_row("r0")  # row 1 is row 0 now, the cursor stays at row 1 (task 2)
        await pilot.pause()
        assert table.get_row_at(table.cursor_row)[1].plain == "task 2"
        assert styles(table.cursor_row) == on and styles(0) == off


async def test_a_column_measured_anew_never_leaves_a_cell_cut_at_its_old_width() -> None:
    async with shown((90, 20)) as (_, pilot, table):
        table.clear(columns=True)
        table.add_column("", width=3, key="box")
        table.add_column("Task", key="title")  # as wide as its widest cell, measured when idle
        for number in range(8):
            table.add_row(Text("[ ]"), Text(f"task {number}"), key=f"r{number}")
        await pilot.pause()
        table.update_cell("r5", "title", Text("a much longer title here"), update_width=True)
        drawn(table)  # a frame drawn before the column is measured again
        await pilot.pause()
        table.update_cell("r7", "box", Text("[x]"))  # a tick elsewhere
        await pilot.pause()
        assert any("a much longer title here" in line for line in drawn(table))
