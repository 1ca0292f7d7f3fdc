"""The editing keys in the TUI, driven with the pilot: keys in, file bytes out; every edit is one
undo step and redo makes it again; a busy lock never freezes the screen; after an outside change
of the selected task's text, the cursor stays beside it instead of jumping to the top."""

from __future__ import annotations

import asyncio
import fcntl
import os
from pathlib import Path

import pytest

from planner.config import load_settings
from planner.tui.app import PlannerApp

SIZE = (120, 40)
DAILY = "kato/DAILY_BACKLOG.md"


@pytest.fixture(autouse=True)
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "config"
    monkeypatch.setenv("PLANNER_CONFIG_DIR", str(folder))
    monkeypatch.setenv("PLANNER_TODAY", "2026-12-03")
    return folder


PLAN = (
    "# Plan\n"
    "\n"
    "## Today's Tasks\n"
    "\n"
    "- [ ] write the parser 📅 2026-12-05\n"
    "- [ ] review the views\n"
    "\n"
    "## Later\n"
    "\n"
    "1. [ ] refactor the cache\n"
)


def make_app(folder: Path) -> PlannerApp:
    return PlannerApp([str(folder)], config=load_settings(), start_mode="documents", watch=False)


async def settle(pilot, app: PlannerApp) -> None:  # noqa: ANN001
    await asyncio.wait_for(app.wait_loaded(), 60)
    await pilot.pause()
    await pilot.pause()


async def type_text(pilot, text: str) -> None:  # noqa: ANN001
    for character in text:
        await pilot.press("space" if character == " " else character)


async def go_to(pilot, app: PlannerApp, text: str) -> None:  # noqa: ANN001
    """Put the Documents cursor on the row whose task text starts with ``text`` (from the top,
    opening every section on the way)."""
    await pilot.press("g")
    for _ in range(60):
        target = app.screen.current_task()
        if not isinstance(target, str) and target[1].text.startswith(text):
            return
        await pilot.press("l", "down")
        await pilot.pause()
    raise AssertionError(f"no row for {text!r}")


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "plan.md").write_text(PLAN)
    return folder


async def test_every_edit_key_writes_its_change_and_u_then_ctrl_r_undo_and_redo(plan: Path) -> None:
    path = plan / "plan.md"
    app = make_app(plan)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await go_to(pilot, app, "review the views")
        # a: add beside the selected task, in its siblings' style
        await pilot.press("a")
        await type_text(pilot, "new task")
        await pilot.press("enter")
        await pilot.pause()
        assert "- [ ] review the views\n- [ ] new task\n" in path.read_text()
        await pilot.press("u")
        await pilot.pause()
        assert path.read_text() == PLAN
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert "- [ ] new task\n" in path.read_text()
        await pilot.press("u")
        await pilot.pause()
        assert path.read_text() == PLAN
        # s: open -> in progress; -: cancelled; >: deferred (the box's character)
        await go_to(pilot, app, "review the views")
        for key, mark in (("s", "/"), ("minus", "-"), ("greater_than_sign", ">")):
            await pilot.press(key)
            await pilot.pause()
            assert f"- [{mark}] review the views\n" in path.read_text(), key
        for _ in range(3):
            await pilot.press("u")
            await pilot.pause()
        assert path.read_text() == PLAN
        # i: the text, its metadata kept
        await go_to(pilot, app, "write the parser")
        await pilot.press("i")
        await pilot.pause()
        for _ in range(len("write the parser")):
            await pilot.press("backspace")
        await type_text(pilot, "write the fast parser")
        await pilot.press("enter")
        await pilot.pause()
        assert "- [ ] write the fast parser 📅 2026-12-05\n" in path.read_text()
        # p then 1: the priority, in the document's dialect (here Obsidian's, by default)
        await go_to(pilot, app, "write the fast parser")
        await pilot.press("p", "1")
        await pilot.pause()
        assert "- [ ] write the fast parser ⏫ 📅 2026-12-05\n" in path.read_text()
        # d: the due date, shifted from the one it has
        await go_to(pilot, app, "write the fast parser")
        await pilot.press("d")
        await pilot.pause()
        for _ in range(len("2026-12-05")):
            await pilot.press("backspace")
        await type_text(pilot, "+1w")
        await pilot.press("enter")
        await pilot.pause()
        assert "- [ ] write the fast parser ⏫ 📅 2026-12-12\n" in path.read_text()
        for _ in range(3):
            await pilot.press("u")
            await pilot.pause()
        assert path.read_text() == PLAN


async def test_move_and_archive_keys(plan: Path) -> None:
    path = plan / "plan.md"
    app = make_app(plan)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await go_to(pilot, app, "review the views")
        await pilot.press("m")
        await pilot.pause()
        await type_text(pilot, "later")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert path.read_text() == PLAN.replace("- [ ] review the views\n", "") + "2. [ ] review the views\n"
        await pilot.press("u")
        await pilot.pause()
        assert path.read_text() == PLAN
        await go_to(pilot, app, "write the parser")
        await pilot.press("space")
        await pilot.pause()
        await go_to(pilot, app, "write the parser")
        await pilot.press("X")
        await pilot.pause()
        text = path.read_text()
        assert text.endswith("## Done\n\n- [x] write the parser 📅 2026-12-05\n") and "- [x] write" not in text.split("## Done")[0]
        await pilot.press("u")
        await pilot.pause()
        await pilot.press("u")
        await pilot.pause()
        assert path.read_text() == PLAN


async def test_markup_in_an_added_task_is_written_and_shown_as_text(plan: Path) -> None:
    path = plan / "plan.md"
    app = make_app(plan)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await go_to(pilot, app, "review the views")
        await pilot.press("a")
        await type_text(pilot, "[bold red]x[/] [@click=app.quit]y")
        await pilot.press("enter")
        await pilot.pause()
        assert "- [ ] [bold red]x[/] [@click=app.quit]y\n" in path.read_text()
        assert app.is_running


async def test_a_tick_while_another_process_holds_the_lock_waits_off_the_event_loop(plan: Path) -> None:
    """The key is handled at once (the screen keeps answering); the tick lands when the lock is
    free, from a thread, and is one undo step as usual."""
    path = plan / "plan.md"
    app = make_app(plan)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await go_to(pilot, app, "review the views")
        folder = os.open(plan, os.O_RDONLY | os.O_DIRECTORY)
        fcntl.flock(folder, fcntl.LOCK_EX)
        try:
            await pilot.press("space")
            await pilot.pause()
            assert path.read_text() == PLAN  # not yet: the lock is held
            await pilot.press("down")  # the event loop answers meanwhile
            await pilot.pause()
        finally:
            fcntl.flock(folder, fcntl.LOCK_UN)
            os.close(folder)
        for _ in range(100):
            await pilot.pause(0.05)
            if "[x] review the views" in path.read_text():
                break
        assert path.read_text() == PLAN.replace("- [ ] review the views", "- [x] review the views")


async def test_after_an_outside_change_of_its_text_the_cursor_stays_beside_the_task(docs: Path) -> None:
    """Daily Focus: the cursor is on Task 1.3 when an editor changes that heading's text. After
    the reload the cursor is on the changed task's row, not on Task 1.1; space ticks it."""
    path = docs / DAILY
    app = PlannerApp([str(docs)], config=load_settings(), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("down", "down")
        await pilot.pause()
        screen = app.screen
        assert screen.current_task()[1].text.startswith("Task 1.3")  # type: ignore[index]
        before = path.read_bytes()
        changed = before.replace(b"Task 1.3: Update Session Endpoints", b"Task 1.3: Update every Session Endpoint")
        path.write_bytes(changed)
        app.disk_changed({str(path)})
        await pilot.pause()
        await pilot.pause()
        assert screen.current_task()[1].text.startswith("Task 1.3: Update every")  # type: ignore[index]
        await pilot.press("space")
        await pilot.pause()
        lines_before = changed.split(b"\n")
        lines_after = path.read_bytes().split(b"\n")
        changed_lines = [i for i, (a, b) in enumerate(zip(lines_before, lines_after, strict=True)) if a != b]
        assert len(changed_lines) == 1 and lines_after[changed_lines[0]].startswith(b"### Task 1.3")


async def test_marked_tasks_change_together_and_one_u_undoes_them_all(plan: Path) -> None:
    """v marks the task under the cursor (shift+down marks and moves); s then sets every marked
    task in progress as one step, and one u puts every byte back."""
    path = plan / "plan.md"
    app = make_app(plan)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await go_to(pilot, app, "write the parser")
        await pilot.press("v")
        await go_to(pilot, app, "refactor the cache")
        await pilot.press("v")
        await pilot.pause()
        assert app.screen.tree.cursor_node.label.plain.startswith("● ")  # type: ignore[attr-defined]
        await pilot.press("s")
        await pilot.pause()
        text = path.read_text()
        assert "- [/] write the parser" in text and "1. [/] refactor the cache" in text and "- [ ] review the views" in text
        await pilot.press("u")
        await pilot.pause()
        assert path.read_text() == PLAN
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert path.read_text().count("[/]") == 2
        # shift+down marks and moves; escape clears the marks, and a key acts on one task again
        await pilot.press("u")
        await pilot.pause()
        await go_to(pilot, app, "write the parser")
        await pilot.press("shift+down", "escape", "minus")
        await pilot.pause()
        assert path.read_text().count("[-]") == 1


async def test_sprint_options_space_acts_on_the_highlighted_option_and_keeps_it(docs: Path) -> None:
    """Space on option B ticks B (as a radio), and B stays highlighted after the rebuild, so a
    second space unticks B, never A; space on C then leaves C alone chosen."""
    path = docs / "dsa110-contimg" / "WORK_ROADMAP.md"
    app = PlannerApp([str(docs)], config=load_settings(), watch=False, start_mode="options")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        screen = app.screen
        for _ in range(len(screen.decisions)):
            if "Async Migration" in screen.selected_decision().title:
                break
            await pilot.press("down")
            await pilot.pause()
        decision = screen.selected_decision()
        assert "Async Migration" in decision.title and decision.kind == "checkbox"
        labels = [o.label for o in decision.options]
        screen.highlight_option(labels.index("B"))
        await pilot.pause()
        await pilot.press("space")
        await pilot.pause()
        await pilot.pause()
        text = path.read_text()
        assert "- [x] Option B" in text and "- [ ] Option A" in text
        assert screen.selected_option().label == "B"  # the highlight did not jump back to A
        await pilot.press("space")
        await pilot.pause()
        await pilot.pause()
        text = path.read_text()
        assert "- [ ] Option B" in text and "- [ ] Option A" in text
        await pilot.press("space")  # B again
        await pilot.pause()
        await pilot.press("right")
        await pilot.press("space")  # C: a radio, B unticked
        await pilot.pause()
        await pilot.pause()
        text = path.read_text()
        assert "- [x] Option C" in text and "- [ ] Option B" in text and "- [ ] Option A" in text
        assert sum(1 for o in screen.selected_decision().options if o.chosen) == 1


async def test_keys_typed_right_after_enter_on_queues_act_on_the_opened_item(docs: Path) -> None:
    """Priority Queues: Enter on an item opens it, and j j space typed in the same burst tick its
    second action item (the rows Enter showed), not a task somewhere below."""
    app = PlannerApp([str(docs)], config=load_settings(), watch=False, start_mode="queues")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        screen = app.screen
        tree = screen.tree
        item = next(
            node
            for node in _walk(tree.root)
            if node.allow_expand and not node.is_expanded and not node.children and getattr(node.data, "item", None) is not None
            and len(node.data.item.tasks if hasattr(node.data.item, "tasks") else []) >= 2
        )
        tree.move_cursor(item)
        await pilot.pause()
        before = {p: p.read_bytes() for p in docs.rglob("*.md")}
        from textual import events  # noqa: PLC0415

        for key, character in (("enter", "\r"), ("j", "j"), ("j", "j"), ("space", " ")):  # one burst, nothing awaited
            app.post_message(events.Key(key, character))
        await pilot.pause()
        await pilot.pause()
        changed = [p for p in before if p.read_bytes() != before[p]]
        assert changed == [item.data.item.document.path and Path(item.data.item.document.path)]
        second = item.data.item.tasks[1]
        line = Path(item.data.item.document.path).read_bytes().split(b"\n")[second.line - 1]
        assert line.lstrip().startswith((b"- [x]", b"* [x]", b"+ [x]")) or b"[x]" in line[:12]


def _walk(root):  # noqa: ANN001, ANN202
    stack = list(root.children)
    while stack:
        node = stack.pop(0)
        yield node
        stack.extend(node.children)


DAILY_PLAN = (
    "# Daily plan\n"
    "\n"
    "## Today's Tasks\n"
    "\n"
    "- [ ] P0 ship the parser\n"
    "- [ ] P1 review the views\n"
    "\n"
    "## Notes\n"
    "\n"
    "Words.\n"
)

# key presses, and what the task's line must read afterwards (the first row: "ship the parser")
KEY_CASES = {
    "s": (["s"], "- [/] P0 ship the parser"),
    "minus": (["minus"], "- [-] P0 ship the parser"),
    "defer": (["greater_than_sign"], "- [>] P0 ship the parser"),
    "priority": (["p", "2"], "- [ ] P2 ship the parser"),
    "due": (["d", "t", "o", "d", "a", "y", "enter"], "- [ ] P0 ship the parser 📅 2026-12-03"),
    "text": (["i", "ctrl+e", "space", "n", "o", "w", "enter"], "- [ ] P0 ship the parser now"),
    "mark": (["v", "s"], "- [/] P0 ship the parser"),
    "space": (["space"], "- [x] P0 ship the parser"),
}


async def _first_row_is(pilot, app: PlannerApp, text: str) -> None:  # noqa: ANN001
    await pilot.press("g")
    await pilot.pause()
    for _ in range(30):
        target = app.screen.current_task()
        if not isinstance(target, str) and text in target[1].text:
            return
        await pilot.press("l", "down")
        await pilot.pause()
    raise AssertionError(f"no row for {text!r} on {app.current_mode}")


@pytest.mark.parametrize("mode", ["focus", "queues", "documents"])
@pytest.mark.parametrize("case", list(KEY_CASES))
async def test_each_editing_key_on_each_screen(tmp_path: Path, mode: str, case: str) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    path = folder / "today.md"
    path.write_text(DAILY_PLAN)
    keys, expected = KEY_CASES[case]
    app = PlannerApp([str(folder)], config=load_settings(), watch=False, start_mode=mode)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await _first_row_is(pilot, app, "ship the parser")
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        await pilot.pause()
        lines = path.read_text().split("\n")
        assert lines[4] == expected, (mode, case, lines[4])
        assert lines[:4] == DAILY_PLAN.split("\n")[:4] and lines[5:] == DAILY_PLAN.split("\n")[5:]
        await pilot.press("u")
        await pilot.pause()
        assert path.read_text() == DAILY_PLAN


@pytest.mark.parametrize("mode", ["focus", "queues", "documents"])
async def test_add_and_capture_keys_on_each_screen(tmp_path: Path, mode: str) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    path = folder / "today.md"
    path.write_text(DAILY_PLAN)
    app = PlannerApp([str(folder)], config=load_settings(), watch=False, start_mode=mode)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await _first_row_is(pilot, app, "ship the parser")
        for key in ("a", "n"):
            await pilot.press(key)
            await pilot.pause()
            await type_text(pilot, f"new by {key}")
            await pilot.press("enter")
            await pilot.pause()
        text = path.read_text()
        assert "- [ ] P1 review the views\n- [ ] new by a\n- [ ] new by n\n" in text
        await pilot.press("u")
        await pilot.pause()
        await pilot.press("u")
        await pilot.pause()
        assert path.read_text() == DAILY_PLAN


@pytest.mark.parametrize("mode", ["focus", "queues", "documents"])
async def test_move_and_archive_keys_on_each_screen(tmp_path: Path, mode: str) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    path = folder / "today.md"
    path.write_text(DAILY_PLAN.replace("- [ ] P1 review", "- [x] P1 review"))
    original = path.read_text()
    app = PlannerApp([str(folder)], config=load_settings(), watch=False, start_mode=mode)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await _first_row_is(pilot, app, "ship the parser")
        await pilot.press("m")
        await pilot.pause()
        await type_text(pilot, "notes")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert path.read_text() == original.replace("- [ ] P0 ship the parser\n", "").replace("Words.\n", "Words.\n\n- [ ] P0 ship the parser\n")
        await pilot.press("u")
        await pilot.pause()
        assert path.read_text() == original
        await _first_row_is(pilot, app, "ship the parser")
        await pilot.press("X")  # the done task of this section goes to a new Done section
        await pilot.pause()
        assert path.read_text().endswith("## Done\n\n- [x] P1 review the views\n")
        await pilot.press("u")
        await pilot.pause()
        assert path.read_text() == original


async def test_the_section_picker_shows_hostile_headings_as_text(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "[b]odd[i].md").write_text("# Plan\n\n## [@click=app.quit]evil \x1b]0;pwned\x07 [/]\n\n- [ ] a task\n")
    app = PlannerApp([str(folder)], config=load_settings(), watch=False, start_mode="documents")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await go_to(pilot, app, "a task")
        await pilot.press("A")
        await pilot.pause()
        from textual.widgets import OptionList  # noqa: PLC0415

        options = app.screen.query_one(OptionList)
        texts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        joined = "\n".join(texts)
        assert "[@click=app.quit]evil ␛]0;pwned␇ [/]" in joined and "\x1b" not in joined and "[b]odd[i].md" in joined
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running


DECISION = (
    "# Sprint scope\n"
    "\n"
    "## Decision: what next\n"
    "\n"
    "- [ ] Option A: ship the parser (2 days)\n"
    "- [ ] Option B: polish the views (3 days)\n"
)


@pytest.mark.parametrize("case", ["s", "priority", "due", "text", "minus"])
async def test_editing_keys_on_sprint_options_act_on_the_highlighted_option(tmp_path: Path, case: str) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    path = folder / "NEXT_STEPS.md"
    path.write_text(DECISION)
    keys, expected = {
        "s": (["s"], "- [/] Option A: ship the parser (2 days)"),
        "minus": (["minus"], "- [-] Option A: ship the parser (2 days)"),
        "priority": (["p", "1"], "- [ ] Option A: ship the parser (2 days) ⏫"),
        "due": (["d", "t", "o", "d", "a", "y", "enter"], "- [ ] Option A: ship the parser (2 days) 📅 2026-12-03"),
        "text": (["i", "ctrl+e", "space", "n", "o", "w", "enter"], "- [ ] Option A: ship the parser (2 days) now"),
    }[case]
    app = PlannerApp([str(folder)], config=load_settings(), watch=False, start_mode="options")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert app.screen.selected_option().label == "A"  # type: ignore[attr-defined]
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        await pilot.pause()
        assert path.read_text().split("\n")[4] == expected
        await pilot.press("u")
        await pilot.pause()
        assert path.read_text() == DECISION
