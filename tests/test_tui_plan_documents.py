"""The TUI's focus over a repository whose TODO.md is a plain task list (no daily plan, no
priorities): it shows the plan documents' first open tasks, and space ticks the first one in
the file — from a cold load and from the cache's stored parts alike."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from planner.config import load_settings
from planner.tui.app import PlannerApp
from helpers.tui_config import config_dir  # noqa: F401 - autouse: a config folder of its own

TODO = "# TODO\n\n- [x] Set up CI\n- [ ] Write the parser\n- [ ] Ship 1.0\n"


@pytest.mark.parametrize("warm", [False, True], ids=["cold", "from the cache"])
async def test_the_focus_ticks_the_first_open_task_of_todo_md(warm: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANNER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("PLANNER_TODAY", "2026-12-03")
    root = tmp_path / "repo"
    root.mkdir()
    todo = root / "TODO.md"
    todo.write_text(TODO, encoding="utf-8")
    for _ in range(2 if warm else 1):
        app = PlannerApp([str(root)], config=load_settings(), start_mode="focus", watch=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await asyncio.wait_for(app.wait_loaded(), 60)
            await pilot.pause()
            await pilot.pause()
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
