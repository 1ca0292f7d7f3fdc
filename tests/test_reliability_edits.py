"""Every edit takes the one checked write path: choices are checked like ticks, a model from the
cache can never move a write, and toggling twice gives back the bytes — markers and letters too."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from planner.model.parser import parse_document
from planner.views.options import sprint_options
from planner.workspace.cache import dump_document, load_document as restore
from planner.workspace.choose import choose
from planner.workspace.loader import load_document
from planner.workspace.workspace import Workspace
from planner.writer.edit import EditError, set_done, toggle, toggle_line

ROOT = Path(__file__).resolve().parent.parent


def planner_toggle(target: Path, line: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "planner", "toggle", f"{target}:{line}"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=os.environ.copy(),
        timeout=60,
    )


# -- 2. a choice is written through the same checks as a tick --------------------------------

PROPOSALS = (
    "# Sprint 9 scope\n"
    "\n"
    "## Option A: Ship the parser (3 days)\n"
    "\n"
    "- Feature one (1 day)\n"
    "\n"
    "## Option B: Polish the views (5 days)\n"
    "\n"
    "- Feature two (2 days)\n"
)


def append_once_before_the_write(monkeypatch: pytest.MonkeyPatch, path: Path, line: bytes) -> None:
    """Another program appends a line after planner read the file and before its write lands:
    the first fsync planner makes (of its temp file, or of an in-place patch) lets it in."""
    real_fsync = os.fsync
    done: list[bool] = []

    def fsync(fd: int) -> None:
        if not done:
            done.append(True)
            with open(path, "ab") as other:
                other.write(line)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)


def test_choosing_a_proposal_keeps_a_line_appended_meanwhile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "NEXT_STEPS.md"
    path.write_text(PROPOSALS)
    workspace = Workspace([tmp_path])
    workspace.load()
    decision = sprint_options(list(workspace.documents.values()))[0]
    option = decision.options[0]
    append_once_before_the_write(monkeypatch, path, b"- appended by another program\n")
    choose(workspace, decision, option)
    monkeypatch.undo()
    after = path.read_bytes()
    assert after.endswith(b"- appended by another program\n"), after
    assert after.split(b"\n")[option.line - 1] == "## Option A: Ship the parser (3 days) ✅".encode()


def test_ticking_keeps_a_line_appended_meanwhile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "b.md"
    path.write_bytes(b"# B\n\n- [ ] one\n- [ ] two\n")
    document, _ = load_document(path)
    append_once_before_the_write(monkeypatch, path, b"- [ ] three\n")
    set_done(document, document.task_at_line(3), True)
    monkeypatch.undo()
    assert path.read_bytes() == b"# B\n\n- [x] one\n- [ ] two\n- [ ] three\n"


# -- 6. a model from the cache can only make an edit faster ----------------------------------

FENCED = b"# Plan\n\n```md\n- [ ] in code fence\n```\n\n- [ ] real task\n- [ ] other task\n"


def doctored(data: bytes, path: Path, **changes: object):  # noqa: ANN201
    """The document as a damaged cache row would give it back: the real task moved elsewhere."""
    document = parse_document(str(path), data)
    restored = restore(dump_document(document))  # what the cache returns: not parsed here
    task = restored.task_at_line(7)
    tasks = list(restored.tasks)
    tasks[task.index] = task._replace(**changes)
    return restored.model_copy(update={"tasks": tasks}), tasks[task.index]


@pytest.mark.parametrize(
    "changes",
    [
        {"offset": FENCED.index(b"[ ] in code")},  # the offset of the fenced box
        {"offset": FENCED.index(b"[ ] in code"), "line": 4, "text": "in code fence"},  # the whole row
        {"offset": FENCED.index(b"[ ] other")},  # another real task's box
    ],
)
def test_a_doctored_cache_row_never_moves_a_tick(tmp_path: Path, changes: dict[str, object]) -> None:
    path = tmp_path / "plan.md"
    path.write_bytes(FENCED)
    document, task = doctored(FENCED, path, **changes)
    try:
        set_done(document, task, True)
    except EditError:
        assert path.read_bytes() == FENCED
        return
    # Written: then only to the task the row claimed by text and section, the real one.
    assert path.read_bytes() == FENCED.replace(b"- [ ] real task", b"- [x] real task")


def test_the_cache_row_is_checked_in_the_tui_path_too(tmp_path: Path) -> None:
    path = tmp_path / "plan.md"
    path.write_bytes(FENCED)
    workspace = Workspace([path])
    workspace.load()
    real = workspace.document(path)
    document, task = doctored(FENCED, path, offset=FENCED.index(b"[ ] in code"))
    workspace.documents[real.path] = document.model_copy(update={"path": real.path})
    workspace.toggle(workspace.documents[real.path], task)
    assert path.read_bytes() == FENCED.replace(b"- [ ] real task", b"- [x] real task")


# -- 7. heading round trips ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "line, unticked",
    [
        ("### Login ✅ COMPLETE", "### Login"),
        ("### Login (✅ COMPLETE)", "### Login"),
        ("#### Phase 1: Foundation ✅ VERIFIED (2025-11-12)", "#### Phase 1: Foundation (2025-11-12)"),
        ("### Deploy DONE", "### Deploy"),
        ("### Task 3: Deploy - ✅ DONE", "### Task 3: Deploy -"),
    ],
)
def test_unticking_a_heading_drops_its_marker_and_ticking_gives_it_back(tmp_path: Path, line: str, unticked: str) -> None:
    """No open marker in the document: untick drops the done marker (never an invented ⏸️ or
    TODO); the next tick, from a new process, puts back exactly what was there."""
    path = tmp_path / "plan.md"
    original = f"# Plan\r\n\r\n{line}\r\n\r\n- [ ] sub task\r\n".encode()
    path.write_bytes(original)
    first = planner_toggle(path, 3)
    assert first.returncode == 0, first.stderr
    assert path.read_bytes() == original.replace(line.encode(), unticked.encode())
    second = planner_toggle(path, 3)
    assert second.returncode == 0, second.stderr
    assert path.read_bytes() == original


def test_unticking_uses_the_open_marker_the_documents_headings_carry(tmp_path: Path) -> None:
    path = tmp_path / "plan.md"
    original = "# Plan\n\n### Task 1: Login ✅ COMPLETE\n\n### Task 2: Logout ⏳\n".encode()
    path.write_bytes(original)
    document, _ = load_document(path)
    _, document = toggle(document, document.task_at_line(3))
    assert path.read_bytes() == original.replace("✅ COMPLETE".encode(), "⏳".encode())
    assert document.task_at_line(3).state == "open" and document.task_at_line(3).status == "pending"
    _, document = toggle(document, document.task_at_line(3))
    assert path.read_bytes() == original


def test_choosing_and_unchoosing_a_proposal_gives_back_the_bytes(tmp_path: Path) -> None:
    path = tmp_path / "NEXT_STEPS.md"
    path.write_text(PROPOSALS)
    workspace = Workspace([tmp_path])
    workspace.load()
    decision = sprint_options(list(workspace.documents.values()))[0]
    choose(workspace, decision, decision.options[0])
    decision = sprint_options(list(workspace.documents.values()))[0]
    choose(workspace, decision, decision.options[1])  # moves the mark from A to B
    decision = sprint_options(list(workspace.documents.values()))[0]
    choose(workspace, decision, decision.options[0])  # and back
    text = path.read_text()
    assert text.count("✅") == 1 and "## Option A: Ship the parser (3 days) ✅\n" in text
    while workspace.undo() is not None:
        pass
    assert path.read_text() == PROPOSALS


# -- 8. the x/X letter ------------------------------------------------------------------------


def test_the_tick_letter_comes_from_ticked_checkboxes_only(tmp_path: Path) -> None:
    """A template's "Q[X] [Year]" placeholders are no ticked boxes: a tick writes the usual x."""
    path = tmp_path / "roadmap.md"
    original = b"# Roadmap Q[X] [Year]\n\n## Q[X] [Year] goals [X]\n\n- [ ] first goal\n- [ ] second goal\n"
    path.write_bytes(original)
    assert planner_toggle(path, 5).returncode == 0
    assert path.read_bytes() == original.replace(b"- [ ] first", b"- [x] first")


@pytest.mark.parametrize("letter", [b"x", b"X"])
def test_untick_then_tick_restores_the_exact_letter_across_processes(tmp_path: Path, letter: bytes) -> None:
    path = tmp_path / "mixed.md"
    other = b"X" if letter == b"x" else b"x"
    original = b"- [" + letter + b"] ours\n- [" + other + b"] theirs\n- [" + other + b"] more of theirs\n"
    path.write_bytes(original)
    assert planner_toggle(path, 1).returncode == 0
    assert path.read_bytes() == original.replace(b"[" + letter + b"] ours", b"[ ] ours")
    assert planner_toggle(path, 1).returncode == 0
    assert path.read_bytes() == original


def test_toggle_line_on_a_plain_line_still_says_no_task(tmp_path: Path) -> None:
    path = tmp_path / "plan.md"
    path.write_bytes(b"# Plan\n\nJust words.\n")
    document, _ = load_document(path)
    with pytest.raises(EditError, match="no task on this line"):
        toggle_line(document, 3)
    assert path.read_bytes() == b"# Plan\n\nJust words.\n"
