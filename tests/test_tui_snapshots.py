"""Snapshots of every screen on (a scratch copy of) sample_docs at 120×40, and of each screen
and the help at 80×24 and 200×50 (the sizes of issue 16), "today" fixed at 2026-12-03.

Regenerate after an intended change with ``pytest tests/test_tui_snapshots.py --snapshot-update``
and look at the SVGs in tests/__snapshots__/ before committing them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.config import load_settings
from planner.tui.app import PlannerApp

SIZE = (120, 40)
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((200, 50), id="200x50")]
TODAY = "2026-12-03"


@pytest.fixture(autouse=True)
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "config"
    monkeypatch.setenv("PLANNER_CONFIG_DIR", str(folder))
    monkeypatch.setenv("PLANNER_TODAY", TODAY)  # as --today does: dates on screen never drift
    return folder


def app_for(docs: Path, mode: str, theme: str | None = None) -> PlannerApp:
    config = load_settings()
    if theme is not None:
        config.settings = config.settings.replace(theme=theme)
    return PlannerApp([str(docs)], config=config, start_mode=mode, watch=False)


def settled(*keys: str):  # noqa: ANN201
    async def run_before(pilot) -> None:  # noqa: ANN001
        await pilot.app.wait_loaded()
        await pilot.pause()
        if keys:
            await pilot.press(*keys)
        await pilot.pause(0.3)  # the detail pane renders when the cursor rests
        await pilot.pause()

    return run_before


def test_focus_screen(snap_compare, docs: Path) -> None:  # noqa: ANN001
    assert snap_compare(app_for(docs, "focus"), terminal_size=SIZE, run_before=settled())


def test_options_screen(snap_compare, docs: Path) -> None:  # noqa: ANN001
    # the Sprint 31 proposal: options with features and totals, side by side
    assert snap_compare(app_for(docs, "options"), terminal_size=SIZE, run_before=settled("j", "j", "j"))


def test_queues_screen(snap_compare, docs: Path) -> None:  # noqa: ANN001
    assert snap_compare(app_for(docs, "queues"), terminal_size=SIZE, run_before=settled("enter"))


def test_documents_screen(snap_compare, docs: Path) -> None:  # noqa: ANN001
    assert snap_compare(app_for(docs, "documents"), terminal_size=SIZE, run_before=settled())


def test_documents_filtered_light_theme(snap_compare, docs: Path) -> None:  # noqa: ANN001
    app = app_for(docs, "documents", theme="planner-light")
    assert snap_compare(app, terminal_size=SIZE, run_before=settled("slash", *"redis", "enter"))


def test_help_screen(snap_compare, docs: Path) -> None:  # noqa: ANN001
    assert snap_compare(app_for(docs, "focus"), terminal_size=SIZE, run_before=settled("question_mark"))


AGENDA_TREE = Path(__file__).resolve().parent / "fixtures" / "agenda"


@pytest.fixture
def agenda_tree(tmp_path: Path) -> Path:
    """A scratch copy of tests/fixtures/agenda, with "today" fixed at 2026-12-02."""
    import shutil

    from planner.model.dates import parse_day, set_today

    target = tmp_path / "agenda"
    shutil.copytree(AGENDA_TREE, target)
    set_today(parse_day("2026-12-02"))
    yield target
    set_today(None)


@pytest.mark.parametrize("size", [(80, 24), (200, 50)], ids=["80x24", "200x50"])
def test_agenda_screen(snap_compare, agenda_tree: Path, size: tuple[int, int]) -> None:  # noqa: ANN001
    assert snap_compare(app_for(agenda_tree, "agenda"), terminal_size=size, run_before=settled())


@pytest.mark.parametrize("size", [(80, 24), (200, 50)], ids=["80x24", "200x50"])
def test_focus_on_the_previous_daily_note(snap_compare, agenda_tree: Path, size: tuple[int, int]) -> None:  # noqa: ANN001
    assert snap_compare(app_for(agenda_tree, "focus"), terminal_size=size, run_before=settled("left_square_bracket"))


# -- each screen at the smallest and a large terminal --------------------------------------------


@pytest.mark.parametrize("size", SIZES)
def test_focus_at(snap_compare, docs: Path, size: tuple[int, int]) -> None:  # noqa: ANN001
    assert snap_compare(app_for(docs, "focus"), terminal_size=size, run_before=settled())


@pytest.mark.parametrize("size", SIZES)
def test_options_at(snap_compare, docs: Path, size: tuple[int, int]) -> None:  # noqa: ANN001
    assert snap_compare(app_for(docs, "options"), terminal_size=size, run_before=settled("j", "j", "j"))


@pytest.mark.parametrize("size", SIZES)
def test_queues_at(snap_compare, docs: Path, size: tuple[int, int]) -> None:  # noqa: ANN001
    assert snap_compare(app_for(docs, "queues"), terminal_size=size, run_before=settled())


@pytest.mark.parametrize("size", SIZES)
def test_documents_at(snap_compare, docs: Path, size: tuple[int, int]) -> None:  # noqa: ANN001
    assert snap_compare(app_for(docs, "documents"), terminal_size=size, run_before=settled())


@pytest.mark.parametrize("size", SIZES)
def test_help_at(snap_compare, docs: Path, size: tuple[int, int]) -> None:  # noqa: ANN001
    assert snap_compare(app_for(docs, "focus"), terminal_size=size, run_before=settled("question_mark"))
