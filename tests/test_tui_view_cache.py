"""After a tick, the TUI computes the views of the changed file alone: every other file's focus
part, decisions and option labels come from the screens' per-version cache."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from helpers.tui_config import config_dir  # noqa: F401 - autouse: a config folder of its own
from planner.config import load_settings
from planner.tui.app import PlannerApp

SIZE = (120, 40)
DAILY = "kato/DAILY_BACKLOG.md"


async def settle(pilot, app: PlannerApp) -> None:  # noqa: ANN001
    await asyncio.wait_for(app.wait_loaded(), 60)
    await pilot.pause()
    await pilot.pause()


def watch(monkeypatch: pytest.MonkeyPatch, target: str) -> list[str]:
    """The paths of the documents ``target`` (module:function) is called for from now on."""
    import importlib

    module_name, name = target.split(":")
    module = importlib.import_module(module_name)
    real = getattr(module, name)
    seen: list[str] = []

    def spy(document, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        seen.append(document.path)
        return real(document, *args, **kwargs)

    monkeypatch.setattr(module, name, spy)
    return seen


async def test_a_focus_tick_computes_the_changed_files_part_alone(docs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = PlannerApp([str(docs)], config=load_settings(), start_mode="focus", watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        first = app.screen.focus_view
        assert first is not None and first.document is not None
        assert first.document.path == str(docs / DAILY)
        seen = watch(monkeypatch, "planner.views.focus:focus_part")
        await pilot.press("space")
        await pilot.pause()
        await pilot.pause()
        assert app.screen.focus_view.tasks[0].state == "done"  # the screen shows the tick…
        assert seen and set(seen) == {str(docs / DAILY)}  # …computed from the changed file's part alone


async def test_an_options_tick_labels_the_changed_files_decisions_alone(docs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = PlannerApp([str(docs)], config=load_settings(), start_mode="options", watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        decision = app.screen.selected_decision()
        assert decision is not None and decision.kind == "checkbox"
        seen = watch(monkeypatch, "planner.views.options:document_decisions")
        await pilot.press("space")
        await pilot.pause()
        await pilot.pause()
        assert app.screen.selected_decision().chosen is not None
        assert set(seen) == {decision.document.path}
