"""The TUI's focus over a repository whose TODO.md is a plain task list (no daily plan, no
priorities): it shows the plan documents' first open tasks, and space ticks the first one in
the file — from a cold load and from the cache's stored parts alike."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from planner.config import load_settings
from planner.tui.app import PlannerApp
from helpers.tui_config import config_dir  # noqa: F401 - autouse: a config folder of its own

TODO = "# TODO\n\n- [x] Set up CI\n- [ ] Write the parser\n- [ ] Ship 1.0\n"


@contextlib.asynccontextmanager
async def focus_screen(root: Path) -> AsyncIterator[tuple[PlannerApp, Any]]:
    """The app on Daily Focus over ``root``, loaded and drawn."""
    app = PlannerApp([str(root)], config=load_settings(), start_mode="focus", watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await asyncio.wait_for(app.wait_loaded(), 60)
        await pilot.pause()
        await pilot.pause()
        yield app, pilot


@pytest.mark.parametrize("warm", [False, True], ids=["cold", "from the cache"])
async def test_the_focus_ticks_the_first_open_task_of_todo_md(warm: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANNER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("PLANNER_TODAY", "2026-12-03")
    root = tmp_path / "repo"
    root.mkdir()
    todo = root / "TODO.md"
    todo.write_text(TODO, encoding="utf-8")
    for _ in range(2 if warm else 1):
        async with focus_screen(root) as (app, pilot):
            view = app.screen.focus_view
            assert view.source == "documents"
            assert [t.title for t in view.tasks] == ["Write the parser", "Ship 1.0"]
            if warm and _ == 0:
                continue  # the first run stores the parts; the second reads them
            await pilot.press("space")
            await pilot.pause()
            assert todo.read_text(encoding="utf-8") == TODO.replace("- [ ] Write the parser", "- [x] Write the parser")
            await pilot.press("u")
            await pilot.pause()
            assert todo.read_text(encoding="utf-8") == TODO


DONE_DAY = "# Daily Backlog\n\n**Last Updated:** 2026-12-02\n\n## Today\n\n- [x] Task 1.1: Write the migration\n- [x] Task 1.2: Review it\n"
ROADMAP = "# Roadmap\n\n## P0 - Critical\n\n- [ ] Fix the login outage\n- [ ] Restore the nightly backup\n\n## P1 - High\n\n- [ ] Ship search\n"


OTHER_DAYS_NOTE = "# Notes\n\n- [ ] Call the bank\n"  # journal/2026-12-01.md: a daily note, not today's


@pytest.mark.parametrize("warm", [False, True], ids=["cold", "from the cache"])
@pytest.mark.parametrize(
    ("files", "headline", "title"),
    [
        ({"DAILY_BACKLOG.md": DONE_DAY, "ROADMAP.md": ROADMAP}, "Nothing open for today; next:", "Fix the login outage"),
        ({"journal/2026-12-01.md": OTHER_DAYS_NOTE, "ROADMAP.md": ROADMAP}, "No daily plan: 2 P0 and 1 P1", "Fix the login outage"),
        ({"journal/2026-12-01.md": OTHER_DAYS_NOTE, "TODO.md": TODO}, "", "Write the parser"),
    ],
    ids=["plan all done", "no note for today, a roadmap", "no note for today, a TODO.md"],
)
async def test_a_day_without_open_planned_work_shows_the_work_of_any_document(
    warm: bool, files: dict[str, str], headline: str, title: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The day's plan is all done, or the daily notes are for other days: the queues' open work
    (or the plan documents' first open task) comes next. It comes from files that are neither
    daily notes nor dated, which the screen's focus leaves out of its parts for speed: the screen
    shows it as ``planner focus`` does, never an error."""
    from planner.views.focus import daily_focus
    from planner.workspace.workspace import Workspace

    monkeypatch.setenv("PLANNER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("PLANNER_TODAY", "2026-12-03")
    root = tmp_path / "repo"
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    fresh = Workspace([root])
    fresh.load()
    expected = daily_focus(list(fresh.documents.values()), "2026-12-03")
    assert expected.headline.startswith(headline)
    for _ in range(2 if warm else 1):
        async with focus_screen(root) as (app, pilot):
            assert not [n for n in app._notifications if "could not be fully built" in n.message]
            view = app.screen.focus_view
            assert view is not None and view.headline == expected.headline
            assert [t.title for t in view.tasks] == [t.title for t in expected.tasks]
            assert title in [t.title for t in view.tasks]


OVERDUE = "# Backlog\n\n" + "".join(f"- [ ] Overdue chore {n:02d} 📅 2026-11-{n:02d}\n" for n in range(1, 13))


@pytest.mark.parametrize(
    ("files", "moves"),
    [
        ({"ROADMAP.md": ROADMAP}, 1),  # the queues' open P0/P1 work: the ticked item leaves, nothing comes in
        ({"BACKLOG.md": OVERDUE}, 2),  # twelve overdue, ten shown: a ticked one leaves and the eleventh comes in
    ],
    ids=["queue work", "overdue work"],
)
async def test_a_tick_that_closes_the_rows_task_keeps_it_under_the_cursor(
    files: dict[str, str], moves: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Daily Focus lists open work: a ticked overdue task or queue item is no longer in it. The row
    stays where it was, ticked, until the next build — so a second space unticks that task,
    never the one that would have taken its place under the cursor."""
    monkeypatch.setenv("PLANNER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("PLANNER_TODAY", "2026-12-03")
    root = tmp_path / "repo"
    root.mkdir()
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    (path, original), = ((root / name, text) for name, text in files.items())
    async with focus_screen(root) as (app, pilot):
        screen = app.screen
        screen.table.move_cursor(row=moves)
        await pilot.pause()
        title = screen._entry().title
        await pilot.press("space")
        await pilot.pause()
        ticked = path.read_text(encoding="utf-8")
        assert ticked != original and sum(a != b for a, b in zip(ticked.splitlines(), original.splitlines())) == 1
        assert screen._entry().title == title and screen._entry().state == "done"  # still under the cursor
        await pilot.press("space")  # unticks that task, not its neighbour
        await pilot.pause()
        assert path.read_text(encoding="utf-8") == original
        assert screen._entry().title == title and screen._entry().state != "done"
        await pilot.press("space")
        await pilot.pause()
        await pilot.press("u")
        await pilot.pause()
        assert path.read_text(encoding="utf-8") == original
        await pilot.press("space", "h")  # ticked again, then done work hidden: the row goes
        await pilot.pause()
        assert title not in [e.title for e in screen._lines if e is not None]
