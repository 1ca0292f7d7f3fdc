"""The Agenda screen, Daily Focus on other days (``[`` ``]`` ``t``), and the command palette's
keys, driven with Textual's pilot on a scratch copy of tests/fixtures/agenda ("today" fixed
at 2026-12-02): keys in, file bytes out.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.binding import Binding

from planner.config import load_settings
from planner.model.dates import parse_day, set_today
from planner.tui.app import PlannerApp
from helpers.tui_config import config_dir  # noqa: F401 - autouse: a config folder of its own

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "agenda"
SIZE = (120, 40)
LAUNCH = "projects/launch.md"


@pytest.fixture
def today() -> Iterator[None]:
    set_today(parse_day("2026-12-02"))
    yield
    set_today(None)


@pytest.fixture
def tree(tmp_path: Path, today: None) -> Path:
    target = tmp_path / "tree"
    shutil.copytree(FIXTURE, target)
    return target


def make_app(folder: Path, mode: str | None = None) -> PlannerApp:
    return PlannerApp([str(folder)], config=load_settings(), start_mode=mode, watch=False)


async def settle(pilot, app: PlannerApp) -> None:  # noqa: ANN001
    await asyncio.wait_for(app.wait_loaded(), 60)
    await pilot.pause()
    await pilot.pause()


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.md"))}


def shown_rows(screen) -> list[str]:  # noqa: ANN001
    """Each row as shown: a day's label, or "  title · when" for a task under it."""
    table = screen.table
    rows = []
    title, when = table.get_column_index("title"), table.get_column_index("when")
    for index in range(table.row_count):
        cells = [c.plain for c in table.get_row_at(index)]
        rows.append(cells[title] if cells[0] == "▾" else f"  {cells[title]} · {cells[when]}")
    return rows


async def test_agenda_rows_by_date_and_space_ticks_the_right_line(tree: Path) -> None:
    before = snapshot(tree)
    app = make_app(tree)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("5")
        await pilot.pause()
        assert app.current_mode == "agenda"
        screen = app.screen
        assert shown_rows(screen) == [
            "Overdue",
            "  Renew the TLS certificate · due 4 days ago",
            "  File the quarterly report · due yesterday",
            "Today · Wed 2 Dec",
            "  P0 Freeze the release branch · due",
            "  Book the venue · due",
            "  Draft the keynote · scheduled",
            "Tomorrow · Thu 3 Dec",
            "  Send the invitations · due",
            "Fri 4 Dec",
            "  Confirm the caterer · due",
            "Sat 5 Dec",
            "  Dry run of the demo · starts",
            "Sun 6 Dec",
            "Mon 7 Dec",
            "Tue 8 Dec",
            "  Dry run of the demo · due",
            "Wed 9 Dec",
            "  Sunset the old site · due, scheduled",
        ]
        assert screen.table.cursor_row == 1  # the first task, not the "Overdue" heading
        # down to "Book the venue" (Dataview [due:: …]) and tick it
        for key in ("j", "j", "j", "j"):
            await pilot.press(key)
        await pilot.press("space")
        await pilot.pause()
        after = snapshot(tree)
        assert [name for name in before if before[name] != after[name]] == [LAUNCH]
        old, new = before[LAUNCH].splitlines(keepends=True), after[LAUNCH].splitlines(keepends=True)
        assert [i + 1 for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b] == [7]
        assert new[6] == old[6].replace(b"- [ ]", b"- [x]", 1) == b"- [x] Book the venue [due:: 2026-12-02]\n"
        # the row stays where it was, ticked, and the cursor on it
        assert screen.table.cursor_row == 5
        assert screen.table.get_row_at(5)[0].plain.strip() == "[x]"
        await pilot.press("u")
        await pilot.pause()
        assert snapshot(tree) == before
        # a day's heading has nothing to tick: the files stay as they are
        await pilot.press("g", "space")
        await pilot.pause()
        assert snapshot(tree) == before
        # an overdue task ticked is late no more: its row goes, the cursor is on the next one
        await pilot.press("j", "space")
        await pilot.pause()
        assert snapshot(tree)[LAUNCH] == before[LAUNCH].replace(b"- [ ] Renew", b"- [x] Renew")
        assert shown_rows(screen)[:3] == ["Overdue", "  File the quarterly report · due yesterday", "Today · Wed 2 Dec"]
        assert screen.table.cursor_row == 1
        assert str(screen.table.get_row_at(0)[screen.table.get_column_index("when")]) == "1 task"
        await pilot.press("u")
        await pilot.pause()
        assert snapshot(tree) == before
        assert shown_rows(screen)[1] == "  Renew the TLS certificate · due 4 days ago"


async def test_agenda_filter_keeps_the_days_and_narrows_their_tasks(tree: Path) -> None:
    app = make_app(tree, "agenda")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("slash", *"demo", "enter")
        await pilot.pause(0.3)
        rows = shown_rows(app.screen)
        assert [r for r in rows if r.startswith("  ")] == ["  Dry run of the demo · starts", "  Dry run of the demo · due"]
        assert "Overdue" not in rows and rows[0] == "Today · Wed 2 Dec"


def header(app: PlannerApp) -> str:
    return str(app.screen.query_one("#focus-headline").render())


async def test_focus_previous_next_day_and_back_to_today(tree: Path) -> None:
    app = make_app(tree)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        screen = app.screen
        assert screen.focus_view.document.path.endswith("journal/2026/12/02.md")
        assert header(app).startswith("Today") and "note 2 of 3" in header(app)
        # the keys' hint: "[ ] other days" read as an empty checkbox (seen under tmux)
        assert "[ or ] other days" in header(app) and "[ ] " not in header(app)
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert screen.focus_view.document.path.endswith("journal/2026/12/01.md")
        assert header(app).startswith("Yesterday") and "2026-12-01" in header(app) and "note 1 of 3" in header(app)
        assert [t.title for t in screen.focus_view.tasks if t.document is screen.focus_view.document] == [
            "Sort the inbox",
            "Call the landlord about the boiler",
        ]
        await pilot.press("left_square_bracket")  # nothing before the first note: it stays
        await pilot.pause()
        assert screen.focus_view.document.path.endswith("journal/2026/12/01.md")
        await pilot.press("right_square_bracket", "right_square_bracket")
        await pilot.pause()
        assert screen.focus_view.document.path.endswith("journal/2026/12/03.md")
        assert header(app).startswith("Tomorrow") and "note 3 of 3" in header(app)
        # a tick on another day's note writes that note
        before = snapshot(tree)
        row = next(i for i, t in enumerate(screen._rows) if t.title == "Write the release notes")
        screen.table.move_cursor(row=row)
        await pilot.press("space")
        await pilot.pause()
        after = snapshot(tree)
        assert [n for n in before if before[n] != after[n]] == ["journal/2026/12/03.md"]
        assert after["journal/2026/12/03.md"] == before["journal/2026/12/03.md"].replace(b"- [ ] Write", b"- [x] Write")
        await pilot.press("u")
        await pilot.pause()
        assert snapshot(tree) == before
        await pilot.press("t")
        await pilot.pause()
        assert screen.focus_view.document.path.endswith("journal/2026/12/02.md")
        assert header(app).startswith("Today")


async def test_palette_lists_every_binding_with_its_key(tree: Path) -> None:
    app = make_app(tree)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        missing = []
        for mode in ("focus", "options", "queues", "documents", "agenda"):
            app.switch_mode(mode)
            await pilot.pause()
            titles = [c.title for c in app.get_system_commands(app.screen)]
            checked = set()
            for namespace, bindings in app.screen._modal_binding_chain:
                for key, binding in bindings:
                    owner = [k for k in type(namespace).__mro__ if binding in k.__dict__.get("BINDINGS", ())]
                    if not owner or not owner[0].__module__.startswith("planner.tui") or key in checked:
                        continue
                    checked.add(key)
                    shown = app.get_key_display(Binding(key, binding.action))
                    if binding.action.startswith("show("):
                        wanted = [t for t in titles if t.startswith("Screen: ") and t.endswith(f"({shown})")]
                    else:
                        wanted = [t for t in titles if t.startswith(binding.description + " (") and shown in t]
                    if not wanted and app._check_action_state(binding.action, namespace) is not False:
                        missing.append((mode, key, binding.description))
        assert not missing, missing
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Screen: Agenda (5)" in titles and "Tick (space, x)" in titles and "Undo (u)" in titles
        # the palette runs a command the way the key does: "Previous day" on Daily Focus
        app.switch_mode("focus")
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Previous day")
        await pilot.pause(0.4)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert app.screen.focus_view.document.path.endswith("journal/2026/12/01.md")


async def test_shift_down_marks_on_the_tree_screens_too(tree: Path) -> None:
    """Tree's own shift+down (next sibling) used to hide "Mark and down" on Documents and Queues."""
    app = make_app(tree, "documents")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        widget = app.screen.main_widget()
        while widget.cursor_node is not None and widget.cursor_node.data is not None and not widget.cursor_node.label.plain.lstrip().startswith("[ ]"):
            await pilot.press("j")
        await pilot.press("shift+down")
        await pilot.pause()
        assert len(app.screen.marked) == 1


async def test_a_long_first_load_shows_the_files_loaded_so_far_and_a_tick_then_survives_it(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The loader is held after 3 of the 4 files: the focus already shows today's note, a tick
    there is written, and once the load completes the new workspace shows it ticked and u undoes it."""
    import threading

    from planner.tui import app_loading

    monkeypatch.setattr(app_loading, "FIRST_PARTIAL", 0.0)
    monkeypatch.setattr(app_loading, "SOON", 0.0)  # shown however soon the load would end
    release = threading.Event()
    offer = app_loading.PartialLoading.partial_offer

    def held(self, loading, done, total, now):  # noqa: ANN001, ANN202
        if done == total - 1:
            offer(self, loading, done, total, now)
            release.wait(30)  # the rest of the load waits for the test

    monkeypatch.setattr(app_loading.PartialLoading, "partial_offer", held)
    before = snapshot(tree)
    app = make_app(tree)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(200):
            if app.partial is not None:
                break
            await pilot.pause(0.05)
        assert app.partial is not None and app.workspace is app.partial
        assert len(app.workspace.documents) == 3
        await pilot.pause()
        status = str(app.screen.query_one("#status-text").render())
        assert "3/4 files loaded, more coming" in status
        screen = app.screen
        assert screen.focus_view.document.path.endswith("journal/2026/12/02.md")
        assert screen._rows[screen.table.cursor_row].title == "Review the deploy checklist"
        await pilot.press("space")
        await pilot.pause()
        note = "journal/2026/12/02.md"
        after = snapshot(tree)
        assert [n for n in before if before[n] != after[n]] == [note]
        assert after[note] == before[note].replace(b"- [ ] Review", b"- [x] Review")
        release.set()
        await asyncio.wait_for(app.wait_loaded(), 60)
        await pilot.pause()
        assert app.partial is None and len(app.workspace.documents) == 4
        ticked = next(t for t in app.workspace.document(str(tree / note)).tasks if "Review" in t.title)
        assert ticked.state == "done"  # read again after the edit, not the loader's earlier copy
        assert [t.state for t in screen.focus_view.tasks if "Review" in t.title] == ["done"]
        await pilot.press("u")
        await pilot.pause()
        assert snapshot(tree) == before


async def test_agenda_at_80_columns_gives_the_title_the_room(tree: Path) -> None:
    """Narrow, the P column and the file column go (the priority leads the title), so a title
    column is 24 cells wide at 80x24 (it was 20)."""
    app = make_app(tree, "agenda")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        table = app.screen.table
        assert [c.key.value for c in table.ordered_columns] == ["box", "title", "when"]
        assert table.columns[table.ordered_columns[1].key].width >= 24
        rows = shown_rows(app.screen)
        assert "  Renew the TLS certificate · due 4 days ago" in rows
        assert any(row.startswith("  P0 Freeze the release") for row in rows)
