"""After a tick, Sprint Options and the Agenda update in place: the same list (its other rows
untouched), the changed file's rows drawn again; and what they show is what a fresh build shows."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from helpers.tui_config import config_dir  # noqa: F401 - autouse: a config folder of its own
from planner.config import load_settings
from planner.tui.app import PlannerApp
from planner.tui.screens.options import OptionCard

SIZE = (120, 40)
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


async def settle(pilot, app: PlannerApp) -> None:  # noqa: ANN001
    await asyncio.wait_for(app.wait_loaded(), 60)
    await pilot.pause()
    await pilot.pause()


def labels(app: PlannerApp) -> list[str]:
    picker = app.screen.picker
    return [str(picker.get_option_at_index(i).prompt) for i in range(picker.option_count)]


async def test_an_options_tick_relabels_its_decision_in_place_as_a_rebuild_would(docs: Path) -> None:
    app = PlannerApp([str(docs)], config=load_settings(), start_mode="options", watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        screen = app.screen
        picker = screen.picker
        before = [picker.get_option_at_index(i) for i in range(picker.option_count)]
        decision = screen.selected_decision()
        assert decision is not None and decision.chosen is None
        index = picker.highlighted
        await pilot.press("space")  # ticking an option chooses it
        await pilot.pause()
        after = [picker.get_option_at_index(i) for i in range(picker.option_count)]
        assert all(a is b for a, b in zip(before, after, strict=True)) and len(before) == len(after)  # not rebuilt
        assert picker.highlighted == index
        assert "✓" in labels(app)[index]
        shown = labels(app)
        screen.rebuild()  # what a full build shows
        assert labels(app) == shown
        assert screen.selected_decision().chosen is not None


async def test_option_cards_follow_decisions_with_fewer_and_more_options(docs: Path) -> None:
    app = PlannerApp([str(docs)], config=load_settings(), start_mode="options", watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        screen = app.screen
        counts = set()
        for _ in range(screen.picker.option_count):
            decision = screen.selected_decision()
            shown = [c for c in screen.query(OptionCard) if c.display]
            assert len(shown) == len(decision.options)
            assert [c.index for c in shown] == list(range(len(decision.options)))
            assert all(str(c.render()).count(f"Option {o.label}") for c, o in zip(shown, decision.options, strict=True))
            counts.add(len(decision.options))
            await pilot.press("j")
            await pilot.pause()
        assert len(counts) > 1  # the sample documents have decisions of different sizes


async def test_the_option_keys_act_on_follows_the_highlight_at_once_and_cards_never_lay_the_screen_out(
    docs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The option that c / space / ←→ act on changes in the same call that moves the highlight
    (the new decision's chosen, recommended or first option — never the old one's index), and
    the cards follow in the next frame. Their height is the row's, not their text's: a decision
    whose options hold more lines repaints them without a layout of the whole screen."""
    layouts: list[int] = []
    refresh = OptionCard.refresh

    def counted(self: OptionCard, *args: object, layout: bool = False, **kwargs: object) -> object:
        if layout:
            layouts.append(self.index)
        return refresh(self, *args, layout=layout, **kwargs)

    app = PlannerApp([str(docs)], config=load_settings(), start_mode="options", watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        screen = app.screen
        monkeypatch.setattr(OptionCard, "refresh", counted)
        heights = set()
        same_count_moves = 0
        for index in [*range(1, screen.picker.option_count), 0]:
            await pilot.press("right", "right")  # the old decision's third option
            await pilot.pause()
            before = len(screen.selected_decision().options)
            layouts.clear()
            screen.picker.highlighted = index  # no await: what the keys act on has moved already
            decision = screen.selected_decision()
            default = decision.chosen or decision.recommended or decision.options[0]
            assert screen.selected_option() is default
            await pilot.pause()
            shown = [c for c in screen.query(OptionCard) if c.display]
            assert [str(c.render()).count(f"Option {o.label}") for c, o in zip(shown, decision.options, strict=True)] == [1] * len(
                decision.options
            )
            assert shown[decision.options.index(default)].has_class("-highlighted")
            heights.add(max(str(c.render()).count("\n") for c in shown))
            if len(decision.options) == before:  # another number of cards is another layout, rightly
                same_count_moves += 1
                assert layouts == [], (index, layouts)
        assert len(heights) > 1 and same_count_moves >= 2  # the sample decisions' cards hold different numbers of lines


async def test_an_agenda_tick_gives_the_rows_a_fresh_build_gives(agenda_tree: Path) -> None:
    app = PlannerApp([str(agenda_tree)], config=load_settings(), start_mode="agenda", watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        screen = app.screen
        for _ in range(4):
            await pilot.press("space")
            await pilot.pause()
            table = screen.table
            shown = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
            keys = [screen._key(r) for r in screen._rows]  # noqa: SLF001
            view = screen.agenda_view
            screen.agenda_view = None
            screen.rebuild()  # from scratch
            assert [screen._key(r) for r in screen._rows] == keys  # noqa: SLF001
            assert [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)] == shown
            assert screen.agenda_view == view
            await pilot.press("j")
            await pilot.pause()


DAY = "# Daily Backlog\n\n**Last Updated:** 2026-12-03\n\n## Today\n\n- [ ] Task 1.1: Write the migration\n- [ ] Task 1.2: Review it\n"


LONG = "Write the migration that moves every tenant's settings out of the legacy table into the new schema, with a dry run first, a rollback script, and a report"


@pytest.mark.parametrize("title", ["Write the migration", LONG], ids=["short", "wrapped in the lists"])
async def test_a_tick_and_its_untick_leave_the_focus_table_where_it_is(
    title: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ticking a task shows "Completed (1)" under the table; unticking it leaves blank lines there
    (as many as the lists took on screen, wrapped entries too) until the next build: the lists
    never move the table under the cursor, and neither change lays the screen out again (after
    the first, which makes the room)."""
    from planner.tui.widgets.safe import SafeStatic

    monkeypatch.setenv("PLANNER_TODAY", "2026-12-03")
    root = tmp_path / "plans"
    root.mkdir()
    path = root / "DAILY_BACKLOG.md"
    path.write_text(DAY.replace("Write the migration", title))
    app = PlannerApp([str(root)], config=load_settings(), start_mode="focus", watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        screen = app.screen
        lists = screen.query_one("#focus-lists", SafeStatic)
        assert not lists.display  # nothing blocked, nothing done
        await pilot.press("space")
        await pilot.pause()
        assert "Completed (1)" in str(lists.render()) and "- [x] Task 1.1" in path.read_text()
        table_at = (screen.table.region, screen.table.cursor_row)
        lists_height = lists.region.height
        layouts: list[str] = []
        refresh = SafeStatic.refresh

        def counted(self: SafeStatic, *args: object, layout: bool = False, **kwargs: object) -> object:
            if layout and self is lists:
                layouts.append("lists")
            return refresh(self, *args, layout=layout, **kwargs)

        monkeypatch.setattr(SafeStatic, "refresh", counted)
        for state in ("[ ]", "[x]", "[ ]"):
            await pilot.press("space")
            await pilot.pause()
            assert f"- {state} Task 1.1" in path.read_text()
            assert lists.region.height == lists_height and screen.table.cursor_row == table_at[1]
            if title != LONG:  # (a long title also changes the lines of "Start with …" above the table)
                assert screen.table.region == table_at[0]
            assert ("Completed (1)" in str(lists.render())) == (state == "[x]")
        assert layouts == []
        screen.rebuild()  # a new build gives the room back
        await pilot.pause()
        assert not lists.display
