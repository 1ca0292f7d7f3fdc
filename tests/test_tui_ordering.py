"""Sort (o, O), group (b), hide done (h) and the structured / filter in the TUI, driven with the pilot.

Each test works on a scratch copy of sample_docs and a temporary config folder; a tick after a
sort is checked byte for byte in the file (the highlighted task is the one written).
"""

from __future__ import annotations

import asyncio
import tomllib
from pathlib import Path

import pytest
from planner.config import load_settings
from planner.tui.app import PlannerApp
from helpers.tui_config import config_dir  # noqa: F401 - autouse: a config folder of its own

SIZE = (120, 40)
DAILY = "kato/DAILY_BACKLOG.md"


def make_app(docs: Path, mode: str) -> PlannerApp:
    return PlannerApp([str(docs)], config=load_settings(), start_mode=mode, watch=False)


async def settle(pilot, app: PlannerApp) -> None:  # noqa: ANN001
    await asyncio.wait_for(app.wait_loaded(), 60)
    await pilot.pause()
    await pilot.pause()


async def press(pilot, *keys: str) -> None:  # noqa: ANN001
    for key in keys:
        await pilot.press(key)
        await pilot.pause()


def snapshot(docs: Path) -> dict[str, bytes]:
    return {str(p.relative_to(docs)): p.read_bytes() for p in sorted(docs.rglob("*.md"))}


def changed_line(before: dict[str, bytes], after: dict[str, bytes]) -> tuple[str, int]:
    """(file, line number) of the one line that changed in the one file that changed."""
    changed = [name for name in before if before[name] != after[name]]
    assert len(changed) == 1, changed
    old, new = before[changed[0]].splitlines(), after[changed[0]].splitlines()
    assert len(old) == len(new)
    diff = [n for n, (a, b) in enumerate(zip(old, new, strict=True), 1) if a != b]
    assert len(diff) == 1, diff
    return changed[0], diff[0]


def line_of(docs: Path, name: str, text: str) -> int:
    for number, line in enumerate((docs / name).read_text(encoding="utf-8").splitlines(), 1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not in {name}")


def table_titles(app: PlannerApp) -> list[str]:
    table = app.screen.table
    return [table.get_cell_at((row, 2)).plain for row in range(table.row_count)]


def lanes(app: PlannerApp) -> dict[str, list[str]]:
    """Lane heading → the titles of its items, as the Priority Queues tree shows them."""
    shown: dict[str, list[str]] = {}
    for lane in app.screen.tree.root.children:
        titles = [node.data.item.title for node in lane.children if hasattr(node.data, "item")]
        shown[lane.label.plain.split("  ")[0].strip()] = titles
    return shown


def status(app: PlannerApp) -> str:
    return app.status_text(app.screen.status_extra()).plain


async def test_focus_sort_by_estimate_then_space_ticks_the_highlighted_task(docs: Path, config_dir: Path) -> None:
    app = make_app(docs, "focus")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert [t.split(":")[0] for t in table_titles(app)] == ["Task 1.1", "Task 1.2", "Task 1.3", "Task 1.4", "Task 1.5"]
        await press(pilot, *"ooooo")  # priority → due → file → state → estimate
        assert app.ordering("focus") == ("estimate", False, None)
        assert [t.split(":")[0] for t in table_titles(app)] == ["Task 1.4", "Task 1.1", "Task 1.5", "Task 1.2", "Task 1.3"]
        assert "sorted by estimate" in status(app)
        await press(pilot, "O")
        assert [t.split(":")[0] for t in table_titles(app)] == ["Task 1.3", "Task 1.2", "Task 1.1", "Task 1.5", "Task 1.4"]
        await press(pilot, "g", "j")  # the second row: Task 1.2
        before = snapshot(docs)
        await press(pilot, "space")
        name, line = changed_line(before, snapshot(docs))
        assert (name, line) == (DAILY, line_of(docs, DAILY, "Task 1.2: Update KatoProcessor"))
    saved = tomllib.loads((config_dir / "config.toml").read_text(encoding="utf-8"))
    assert saved == {"sort": {"focus": "estimate"}, "reverse": {"focus": True}}  # only what was chosen
    again = make_app(docs, "focus")
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot, again)
        assert again.ordering("focus") == ("estimate", True, None)
        assert table_titles(again)[0].startswith("Task 1.3")


async def test_focus_groups_have_headings_that_are_not_ticked(docs: Path) -> None:
    app = make_app(docs, "focus")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await press(pilot, *"bbbbb")  # … → estimate
        titles = table_titles(app)
        assert titles == [
            "1h–4h (1)", "Task 1.4: Remove All Processor Locks",
            "4h–1d (2)", "Task 1.1: Make MemoryManager Stateless", "Task 1.5: Update Helper Modules",
            "1d–1w (2)", "Task 1.2: Update KatoProcessor to Accept SessionState", "Task 1.3: Update Session Endpoints",
        ]
        before = snapshot(docs)
        await press(pilot, "g", "space")  # on the first group's heading: nothing to tick
        assert snapshot(docs) == before
        assert any("group heading" in n.message for n in app._notifications)
        await press(pilot, "j", "space")
        assert changed_line(before, snapshot(docs)) == (DAILY, line_of(docs, DAILY, "Task 1.4: Remove All"))


async def test_queues_hide_done_group_and_sort(docs: Path, config_dir: Path) -> None:
    app = make_app(docs, "queues")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        shown = lanes(app)
        assert len(shown["P2"]) == 8 and shown["P2"].count("API Endpoint Deprecation - Session-Based Migration") == 2
        await press(pilot, "h")
        shown = lanes(app)
        assert len(shown["P2"]) == 6 and "API Endpoint Deprecation - Session-Based Migration" not in shown["P2"]
        assert "done hidden" in status(app)
        await press(pilot, "b", "b", "b")  # priority → due → file
        shown = lanes(app)
        assert list(shown) == [
            "dsa110-contimg/WORK_ROADMAP.md", "kato/DAILY_BACKLOG.md", "kato/SPRINT_BACKLOG-2025-10-06.md",
            "kato/SPRINT_BACKLOG.md", "patronus/NEXT_STEPS.md",
        ]
        assert sum(map(len, shown.values())) == 35
        await press(pilot, *"ooooo")  # estimate, smallest first; no estimate last
        daily = lanes(app)["kato/DAILY_BACKLOG.md"]
        assert daily[0].startswith("Task 1.4") and daily[-1] == "Session Isolation Bug Fix"
        # the highlighted item is the one ticked: the first of the daily file's group
        tree = app.screen.tree
        group = next(lane for lane in tree.root.children if lane.label.plain.strip().startswith("kato/DAILY_BACKLOG.md"))
        tree.move_cursor(group.children[0])
        await pilot.pause()
        before = snapshot(docs)
        await press(pilot, "space")
        assert changed_line(before, snapshot(docs)) == (DAILY, line_of(docs, DAILY, "Task 1.4: Remove All"))
    saved = tomllib.loads((config_dir / "config.toml").read_text(encoding="utf-8"))
    assert saved == {"hide_done": True, "group": {"queues": "file"}, "sort": {"queues": "estimate"}}


async def test_structured_filter_on_queues_documents_and_a_bad_term(docs: Path) -> None:
    app = make_app(docs, "queues")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await press(pilot, "slash", *"p:P2 state:done", "enter")
        await pilot.pause(0.3)
        assert {k: len(v) for k, v in lanes(app).items()} == {"P0": 0, "P1": 0, "P2": 2, "P3": 0}
        bar = app.screen.query_one("#filter")
        bar.value = "p:P9 state:done"  # changed at once (as a paste): no valid filter on the way
        await pilot.pause(0.5)
        assert "'P9' is not a priority" in status(app)
        assert {k: len(v) for k, v in lanes(app).items()}["P2"] == 2  # the last good filter stays
        await press(pilot, "4")
        await press(pilot, "slash", "ctrl+u", *"sprint", "enter")
        await pilot.pause(0.3)
        tasks = []
        stack = list(app.screen.tree.root.children)
        while stack:
            node = stack.pop()
            stack.extend(node.children)
            if node.data is not None and node.data.kind == "task":
                tasks.append(node.data.document.tasks[node.data.task].title)
        # free text is the task's text: the SPRINT_BACKLOG files' other tasks are not matched by their path
        assert tasks and all("sprint" in t.casefold() for t in tasks)


async def test_documents_hide_done_and_sort_is_refused_with_a_reason(docs: Path) -> None:
    app = make_app(docs, "documents")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await press(pilot, "o")
        assert any("keeps the documents' own order" in n.message for n in app._notifications)
        assert app.ordering("documents") == (None, False, None)
        await press(pilot, "h")
        tree = app.screen.tree
        for node in list(tree.root.children):
            tree.select_node(node)
            node.expand()  # fills each file
        await pilot.pause()
        states = []
        stack = list(tree.root.children)
        while stack:
            node = stack.pop()
            stack.extend(node.children)
            if node.data is not None and node.data.kind == "task":
                states.append(node.data.document.tasks[node.data.task].status_type)
        assert states and set(states) <= {"todo", "in_progress", "non_task"}
        assert "open tasks" in status(app)


async def test_tree_left_arrow_collapses_and_h_no_longer_does(docs: Path) -> None:
    app = make_app(docs, "documents")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        tree = app.screen.tree
        tree.move_cursor(tree.root.children[0])
        await pilot.pause()
        assert tree.root.children[0].is_expanded
        await press(pilot, "left")
        assert not tree.root.children[0].is_expanded
        await press(pilot, "right")
        assert tree.root.children[0].is_expanded
        assert not app.hide_done
        await press(pilot, "h")
        assert app.hide_done and tree.cursor_node is not None


async def test_a_choice_keeps_the_users_other_settings(docs: Path, config_dir: Path) -> None:
    config_dir.mkdir(parents=True)
    path = config_dir / "config.toml"
    path.write_text('theme = "paper"\nexclude = ["archive/*"]\n\n[keymap]\nadd = "n"\n', encoding="utf-8")
    app = make_app(docs, "focus")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await press(pilot, "b")
    assert tomllib.loads(path.read_text(encoding="utf-8")) == {
        "theme": "paper", "exclude": ["archive/*"], "keymap": {"add": "n"}, "group": {"focus": "priority"}
    }


async def test_a_bad_choice_in_the_config_is_one_line_and_defaults(docs: Path, config_dir: Path) -> None:
    config_dir.mkdir(parents=True)
    (config_dir / "config.toml").write_text('group = {focus = "colour"}\n', encoding="utf-8")
    app = make_app(docs, "focus")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        messages = [n.message for n in app._notifications]
        assert any("group: focus = 'colour' is not one of" in m and "\n" not in m for m in messages), messages
        assert app.ordering("focus") == (None, False, None)
        await press(pilot, "o")  # works for the session, and the user's file is left alone
        assert app.ordering("focus")[0] == "priority"
    assert (config_dir / "config.toml").read_text(encoding="utf-8") == 'group = {focus = "colour"}\n'


async def test_keys_typed_in_one_burst_after_slash_go_into_the_filter(docs: Path) -> None:
    """``/state:open`` typed at once: no letter reaches the list (``s`` would change a task's state)."""
    from textual import events

    before = snapshot(docs)
    app = make_app(docs, "queues")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        for key, char in [("slash", "/"), *((c if c.isalnum() else {":": "colon"}[c], c) for c in "state:open")]:
            app.post_message(events.Key(key, char))  # all queued before any is handled
        await pilot.pause(0.3)
        assert app.screen.query_one("#filter").value == "state:open"
        await press(pilot, "space", "slash", "x")  # in the bar, "/" is a character
        assert app.screen.query_one("#filter").value == "state:open /x"
        await pilot.pause(0.3)  # the filter applied (the typing pause is over)
        assert "'/x'" not in status(app) and "state:open /x" in status(app)
    assert snapshot(docs) == before


async def test_the_palette_lists_sort_group_and_hide_done(docs: Path) -> None:
    app = make_app(docs, "queues")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        for words, check in (("hide done", lambda: app.hide_done), ("group", lambda: app.ordering("queues")[2] == "priority")):
            await pilot.press("ctrl+p")
            await pilot.pause(0.3)
            await pilot.press(*words)
            await pilot.pause(0.5)
            await pilot.press("enter")
            await pilot.pause(0.5)
            assert check(), words


async def test_many_groups_start_closed_and_fill_when_opened(docs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from planner.tui.screens import queues

    monkeypatch.setattr(queues, "OPEN_GROUPS_UP_TO", 2)  # sample_docs has five files
    app = make_app(docs, "queues")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await press(pilot, "b", "b", "b")  # by file
        tree = app.screen.tree
        groups = list(tree.root.children)
        assert len(groups) == 5
        cursor_group = tree.cursor_node.parent
        closed = [g for g in groups if g is not cursor_group]
        assert all(not g.is_expanded and not g.children for g in closed)  # no rows built for them
        tree.move_cursor(closed[-1])
        await press(pilot, "enter")
        assert closed[-1].is_expanded and closed[-1].children
        assert all(n.data.item.document.path.endswith("NEXT_STEPS.md") for n in closed[-1].children)


async def test_ticking_with_done_hidden_keeps_the_cursor_in_place(docs: Path) -> None:
    """The ticked item disappears; the cursor goes to the one that took its place, so a second
    space ticks the next task of the lane (Task 1.2), never the first item of the screen."""
    app = make_app(docs, "queues")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await press(pilot, "h")
        tree = app.screen.tree
        p0 = tree.root.children[0]
        task_1_1 = next(n for n in p0.children if n.data.item.title.startswith("Task 1.1"))
        tree.move_cursor(task_1_1)
        await pilot.pause()
        before = snapshot(docs)
        await press(pilot, "space")
        assert changed_line(before, snapshot(docs)) == (DAILY, line_of(docs, DAILY, "Task 1.1: Make MemoryManager"))
        assert tree.cursor_node.data.item.title.startswith("Task 1.2")
        middle = snapshot(docs)
        await press(pilot, "space")
        assert changed_line(middle, snapshot(docs)) == (DAILY, line_of(docs, DAILY, "Task 1.2: Update KatoProcessor"))


async def test_documents_tick_with_done_hidden_moves_to_the_next_task(docs: Path) -> None:
    app = make_app(docs, "documents")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await press(pilot, "h", "slash", *"Schedule team", "enter")  # the first action item of Async Migration
        await pilot.pause(0.3)
        await press(pilot, "escape")  # the filter goes; the cursor stays on the task
        tree = app.screen.tree
        ref = tree.cursor_node.data
        assert ref.kind == "task" and ref.document.tasks[ref.task].title.startswith("Schedule team decision meeting")
        before = snapshot(docs)
        await press(pilot, "space")
        name, line = changed_line(before, snapshot(docs))
        assert line == line_of(docs, name, "Schedule team decision meeting")
        ref = tree.cursor_node.data
        assert ref.kind == "task" and ref.document.tasks[ref.task].title.startswith("If Option A")  # the next one


async def test_the_keys_are_remappable(docs: Path, config_dir: Path) -> None:
    config_dir.mkdir(parents=True)
    (config_dir / "config.toml").write_text('[keymap]\nhide_done = "H"\nsort = "S"\n', encoding="utf-8")
    app = make_app(docs, "focus")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await press(pilot, "H", "S")
        assert app.hide_done and app.ordering("focus")[0] == "priority"


async def test_options_a_decision_chosen_while_done_is_hidden_gives_way_to_the_next(docs: Path) -> None:
    app = make_app(docs, "options")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await press(pilot, "h")
        screen = app.screen
        titles = [d.title for d in screen.decisions]
        assert titles[0].startswith("Decision 1")
        await press(pilot, "right")  # option B of Decision 1
        before = snapshot(docs)
        await press(pilot, "space")  # chosen: the decision is done, so hidden
        name, line = changed_line(before, snapshot(docs))
        assert line == line_of(docs, name, "Option B: Remove async code")
        assert [d.title for d in screen.decisions] == titles[1:]
        assert screen.selected_decision().title == titles[1] and screen.option_index == 0
