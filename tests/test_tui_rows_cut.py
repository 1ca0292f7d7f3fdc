"""Rows too long for their list are cut with "…", never clipped mid-word without a sign
(found under tmux at 80×24: the checklist rows under an opened Priority Queues item and the
Documents tree read ``If Option A: Assign 1 developer for 3-4`` with the rest silently gone).

Driven with Textual's pilot on a scratch copy of sample_docs (fixture ``docs``); what is
checked is what the terminal would show: the tree's rendered lines at their real size.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual.geometry import Region

from planner.config import load_settings
from planner.tui.app import PlannerApp
from planner.tui.present import fast_text, fit_label
from helpers.tui_config import config_dir  # noqa: F401 - autouse: a config folder of its own


def make_app(docs: Path, mode: str) -> PlannerApp:
    return PlannerApp([str(docs)], config=load_settings(), start_mode=mode, watch=False)


async def settle(pilot, app: PlannerApp) -> None:  # noqa: ANN001
    await asyncio.wait_for(app.wait_loaded(), 60)
    await pilot.pause()
    await pilot.pause(0.2)
    await pilot.pause()


def shown_lines(widget) -> list[str]:  # noqa: ANN001
    width, height = widget.size
    return [strip.text for strip in widget.render_lines(Region(0, 0, width, height))]


def test_fit_label_cuts_a_row_without_a_file_with_an_ellipsis() -> None:
    row = fast_text(("[ ] ", "bold"), "If Option A: Assign 1 developer for 3-4 days")
    cut = fit_label(row, 30)
    assert cut.cell_len == 30
    assert cut.plain.endswith("…"), cut.plain
    assert fit_label(row, 200).plain == row.plain


async def test_checklist_rows_under_an_opened_item_end_with_an_ellipsis_when_cut(docs: Path) -> None:
    app = make_app(docs, "queues")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        tree = app.screen.main_widget()
        assert "Async Migration" in tree.cursor_node.label.plain
        await pilot.press("enter")
        await pilot.pause(0.2)
        lines = [line.rstrip() for line in shown_lines(tree)]
        row = next(line for line in lines if "If Option A" in line)
        assert row.endswith("…"), row
        assert "Update project status after completion" in "\n".join(lines)  # it fits: whole


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 50)])
async def test_agenda_when_column_shows_how_long_ago_whole(tmp_path: Path, size: tuple[int, int]) -> None:
    # under tmux the When column read "due 13 days a…" at every size
    from planner.model.dates import parse_day, set_today  # noqa: PLC0415

    folder = tmp_path / "tree"
    folder.mkdir()
    (folder / "roadmap.md").write_text(
        "# Roadmap\n\n- [ ] overdue thing due:2026-11-20\n- [ ] long ago due:2026-09-01\n", encoding="utf-8"
    )
    set_today(parse_day("2026-12-03"))
    try:
        app = make_app(folder, "agenda")
        async with app.run_test(size=size) as pilot:
            await settle(pilot, app)
            text = "\n".join(shown_lines(app.screen.main_widget()))
            # whole, said shorter when it would not fit: "due 13d ago"
            assert "due 13d ago" in text or "due 13 days ago" in text, text
            assert "due 93d ago" in text or "due 93 days ago" in text, text
            assert "…" not in text, text
    finally:
        set_today(None)


def overdue_and_daily(folder: Path) -> Path:
    """Twenty-five overdue tasks (listed first on Daily Focus) and today's plan, whose first task is
    where the cursor starts (as in the 1,000-file bench tree)."""
    folder.mkdir()
    late = "".join(f"- [ ] Overdue chore number {n} 📅 2026-11-{1 + n:02d}\n" for n in range(25))
    (folder / "BACKLOG.md").write_text(f"# Backlog\n\n## Chores\n\n{late}", encoding="utf-8")
    (folder / "DAILY_BACKLOG.md").write_text(
        "# DAILY_BACKLOG.md - Today's Priorities\n*Last Updated: 2026-12-03*\n\n"
        "## Today's Focus: Access Control\n\n## Today's Tasks\n\n"
        + "".join(f"### Task 1.{n}: Step number {n} (1 hour)\n\nSome words.\n\n" for n in range(1, 6)),
        encoding="utf-8",
    )
    return folder


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_daily_focus_first_cursor_row_is_on_screen(tmp_path: Path, size: tuple[int, int]) -> None:
    # the cursor starts on "Task 1.1" (the plan's first step), below the overdue chores: its row
    # is on screen, so `j space` acts on a row the person sees (a guard; this held under tmux)
    from planner.model.dates import parse_day, set_today  # noqa: PLC0415

    folder = overdue_and_daily(tmp_path / "tree")
    set_today(parse_day("2026-12-03"))
    try:
        app = make_app(folder, "focus")
        async with app.run_test(size=size) as pilot:
            await settle(pilot, app)
            table = app.screen.main_widget()
            assert "Task 1.1" in str(table.get_row_at(table.cursor_row)[2])
            shown = "\n".join(shown_lines(table))
            assert "Task 1.1: Step number 1" in shown, shown
    finally:
        set_today(None)
