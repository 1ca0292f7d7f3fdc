"""Conflicts: the file changes on disk between load and toggle (or between toggle and undo).

Every case either applies the edit to the right task — the other writer's change kept, one
bracket changed — or refuses with a clear one-line message, the file left exactly as the
other writer saved it. Sibling files never change, and no temp file is left behind.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers.reliability import assert_one_line, temp_files

from planner.model.parser import parse_document
from planner.workspace.workspace import Workspace
from planner.writer.edit import EditError

BASE = (
    "# Sprint 12 backlog\n"  # 1
    "\n"  # 2
    "## Today\n"  # 3
    "\n"  # 4
    "- [ ] Write the migration\n"  # 5
    "- [x] Review the parser\n"  # 6
    "- [ ] Ship the release notes\n"  # 7
    "\n"  # 8
    "## Later\n"  # 9
    "\n"  # 10
    "- [ ] Write the migration\n"  # 11: same text, other section
    "\n"  # 12
    "### Task 1.1: Make MemoryManager stateless (4-6 hours) \u23f8\ufe0f\n"  # 13
    "\n"  # 14
    "- [ ] Subtask under a heading task\n"  # 15
).encode()
SIBLING = b"# Other\n\n- [ ] untouched\n"

PAUSED = "\u23f8\ufe0f".encode()
DONE = "\u2705".encode()


def lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True)


def replace_line(data: bytes, number: int, new: bytes) -> bytes:
    out = lines(data)
    out[number - 1] = new
    return b"".join(out)


def insert_lines(data: bytes, before: int, new: bytes) -> bytes:
    out = lines(data)
    out.insert(before - 1, new)
    return b"".join(out)


def delete_line(data: bytes, number: int) -> bytes:
    out = lines(data)
    del out[number - 1]
    return b"".join(out)


def tick_text(data: bytes, text: bytes, occurrence: int = 0, mark: bytes = b"x") -> bytes:
    """``data`` with the box of the ``occurrence``-th line containing ``- [ ] text`` ticked."""
    needle = b"- [ ] " + text
    start = -1
    for _ in range(occurrence + 1):
        start = data.index(needle, start + 1)
    return data[: start + 3] + mark + data[start + 4 :]


def untick_text(data: bytes, text: bytes) -> bytes:
    needle = b"- [x] " + text
    start = data.index(needle)
    return data[: start + 3] + b" " + data[start + 4 :]


# -- how the other writer saves -------------------------------------------------------------


def save_in_place(path: Path, data: bytes) -> None:
    with open(path, "r+b") as handle:
        handle.truncate(0)
        handle.write(data)


def save_like_vim(path: Path, data: bytes) -> None:
    """Write a new file beside it and rename it over the original (a new inode)."""
    temp = path.with_name(f".{path.name}.swx")
    temp.write_bytes(data)
    os.replace(temp, path)


SAVES = {"in-place": save_in_place, "rename": save_like_vim}


@dataclass(frozen=True)
class Case:
    """The other writer's change, the task we toggle (line in BASE), and what must happen."""

    change: Callable[[bytes], bytes]
    line: int
    # expected file after our edit, from the other writer's version; None = refused
    expect: Callable[[bytes], bytes] | None
    words: str = ""  # refusals: words the message must contain


TOGGLE_CASES: dict[str, Case] = {
    "same task ticked by the other": Case(lambda d: tick_text(d, b"Write the migration"), 5, None, "already done"),
    "same task text edited": Case(
        lambda d: replace_line(d, 5, b"- [ ] Write the migration script\n"), 5, None, "no longer there"
    ),
    "same done task unticked by the other": Case(lambda d: untick_text(d, b"Review the parser"), 6, None, "already open"),
    "other task ticked": Case(
        lambda d: tick_text(d, b"Ship the release notes"), 5, lambda f: tick_text(f, b"Write the migration")
    ),
    "other line text edited": Case(
        lambda d: replace_line(d, 2, b"Revised on Monday.\n"), 7, lambda f: tick_text(f, b"Ship the release")
    ),
    "lines inserted above": Case(
        lambda d: insert_lines(d, 3, b"Intro paragraph.\n\n- [ ] A new task\n- [ ] Write the migrations\n\n"),
        5,
        lambda f: tick_text(f, b"Write the migration\n"),
    ),
    "lines removed above": Case(lambda d: delete_line(delete_line(d, 4), 2), 7, lambda f: tick_text(f, b"Ship the")),
    "task deleted": Case(lambda d: delete_line(d, 5), 5, None, "no longer there"),
    "task duplicated in its section": Case(
        lambda d: insert_lines(d, 8, b"- [ ] Write the migration\n"), 5, None, "ambiguous"
    ),
    "task moved to another section": Case(
        lambda d: insert_lines(delete_line(d, 7), 11, b"- [ ] Ship the release notes\n"), 7, None, "no longer there"
    ),
    "task reordered in its section": Case(
        lambda d: insert_lines(delete_line(d, 7), 5, b"- [ ] Ship the release notes\n"),
        7,
        lambda f: tick_text(f, b"Ship the release notes"),
    ),
    "same text in another section is not confused": Case(
        lambda d: delete_line(d, 5), 11, lambda f: tick_text(f, b"Write the migration")
    ),
    "line endings changed to CRLF": Case(
        lambda d: d.replace(b"\n", b"\r\n"), 7, lambda f: tick_text(f, b"Ship the release notes")
    ),
    "BOM added": Case(lambda d: b"\xef\xbb\xbf" + d, 7, lambda f: tick_text(f, b"Ship the release notes")),
    "heading task after lines inserted": Case(
        lambda d: insert_lines(d, 1, b"<!-- moved -->\n\n"), 13, lambda f: f.replace(PAUSED, DONE)
    ),
    "heading task ticked by the other": Case(lambda d: d.replace(PAUSED, DONE), 13, None, "already done"),
    "subtask after its heading was ticked by the other": Case(
        lambda d: d.replace(PAUSED, DONE), 15, lambda f: tick_text(f, b"Subtask under")
    ),
    "whole file rewritten with other content": Case(lambda d: b"# Notes\n\nNothing here.\n", 5, None, "no longer there"),
    "file emptied": Case(lambda d: b"", 5, None, "no longer there"),
}


def assert_shows_the_disk(workspace: Workspace, path: Path) -> None:
    """The workspace holds what is on disk now (or skips it when nothing there is a plan)."""
    shown = workspace.document(path)
    on_disk = parse_document(str(path), path.read_bytes())
    if shown is None:
        assert on_disk.kind == "none" and str(path) in workspace.skipped
    else:
        assert shown.digest == on_disk.digest


def load(folder: Path) -> tuple[Workspace, Path]:
    path = folder / "backlog.md"
    path.write_bytes(BASE)
    (folder / "other.md").write_bytes(SIBLING)
    workspace = Workspace([folder])
    workspace.load()
    return workspace, path


@pytest.mark.parametrize("save", list(SAVES))
@pytest.mark.parametrize("name", list(TOGGLE_CASES))
def test_toggle_after_a_change_on_disk(tmp_path: Path, name: str, save: str) -> None:
    case = TOGGLE_CASES[name]
    workspace, path = load(tmp_path)
    document = workspace.document(path)
    assert document is not None
    task = document.task_at_line(case.line)
    assert task is not None and task.toggleable
    foreign = case.change(BASE)
    assert foreign != BASE
    SAVES[save](path, foreign)
    if case.expect is None:
        with pytest.raises(EditError) as refused:
            workspace.toggle(document, task)
        assert_one_line(str(refused.value))
        assert case.words in str(refused.value)
        assert path.read_bytes() == foreign, "a refused edit changed the file"
        assert workspace.history == []
    else:
        workspace.toggle(document, task)
        expected = case.expect(foreign)
        assert expected != foreign
        assert path.read_bytes() == expected
        assert len(workspace.history) == 1
    assert_shows_the_disk(workspace, path)
    assert (tmp_path / "other.md").read_bytes() == SIBLING
    assert temp_files(tmp_path) == []


def test_vim_backup_rename_patches_the_new_file_and_not_the_backup(tmp_path: Path) -> None:
    """vim with 'backup': the original is renamed to backlog.md~ and a new file written."""
    workspace, path = load(tmp_path)
    document = workspace.document(path)
    assert document is not None
    task = document.task_at_line(7)
    assert task is not None
    backup = tmp_path / "backlog.md~"
    os.rename(path, backup)
    foreign = insert_lines(BASE, 1, b"<!-- edited in vim -->\n")
    path.write_bytes(foreign)
    workspace.toggle(document, task)
    assert path.read_bytes() == tick_text(foreign, b"Ship the release notes")
    assert backup.read_bytes() == BASE


@pytest.mark.parametrize("how", ["deleted", "renamed away", "replaced by a folder"])
def test_toggle_on_a_file_that_is_gone_refuses_and_creates_nothing(tmp_path: Path, how: str) -> None:
    workspace, path = load(tmp_path)
    document = workspace.document(path)
    assert document is not None
    task = document.task_at_line(5)
    assert task is not None
    if how == "deleted":
        path.unlink()
    elif how == "renamed away":
        path.rename(tmp_path / "done.md")
    else:
        path.unlink()
        path.mkdir()
    with pytest.raises(EditError) as refused:
        workspace.toggle(document, task)
    assert_one_line(str(refused.value))
    if how == "replaced by a folder":
        assert path.is_dir() and list(path.iterdir()) == []
    else:
        assert not path.exists(), "the toggle brought a deleted file back"
        assert "gone" in str(refused.value)
    if how == "renamed away":
        assert (tmp_path / "done.md").read_bytes() == BASE
    assert workspace.document(path) is None
    assert (tmp_path / "other.md").read_bytes() == SIBLING
    assert temp_files(tmp_path) == []


# -- the other writer saves while planner is writing ------------------------------------------


def _during_the_write(monkeypatch: pytest.MonkeyPatch, action: Callable[[], None]) -> list[int]:
    """Run ``action`` once, when planner first fsyncs its temp file (read done, rename not yet)."""
    real = os.fsync
    calls = [0]

    def fsync(fd: int) -> None:
        calls[0] += 1
        if calls[0] == 1:
            action()
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    return calls


def test_a_save_landing_while_planner_writes_is_not_overwritten(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    workspace, path = load(tmp_path)
    document = workspace.document(path)
    assert document is not None
    task = document.task_at_line(7)
    assert task is not None
    foreign = insert_lines(BASE, 1, b"<!-- saved by a teammate mid-write -->\n")
    calls = _during_the_write(monkeypatch, lambda: save_in_place(path, foreign))
    try:
        workspace.toggle(document, task)
        applied = True
    except EditError as err:
        assert_one_line(str(err))
        applied = False
    monkeypatch.undo()
    assert calls[0] >= 1
    data = path.read_bytes()
    assert b"saved by a teammate" in data, "planner's write clobbered a save that landed during it"
    assert data == (tick_text(foreign, b"Ship the release notes") if applied else foreign)
    assert temp_files(tmp_path) == []


def test_a_delete_landing_while_planner_writes_is_not_undone(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    workspace, path = load(tmp_path)
    document = workspace.document(path)
    assert document is not None
    task = document.task_at_line(7)
    assert task is not None
    _during_the_write(monkeypatch, path.unlink)
    with pytest.raises(EditError) as refused:
        workspace.toggle(document, task)
    monkeypatch.undo()
    assert_one_line(str(refused.value))
    assert not path.exists(), "planner brought back a file deleted during its write"
    assert temp_files(tmp_path) == []


# -- undo across a conflict -------------------------------------------------------------------

UNDO_CASES: dict[str, Case] = {
    # line = task we tick first; change = what the other writer does after our tick
    "other unticked our task": Case(lambda d: d.replace(b"- [x] Write the migration", b"- [ ] Write the migration", 1), 5, None, "changed"),
    "other changed x to X": Case(lambda d: d.replace(b"- [x] Write the migration", b"- [X] Write the migration", 1), 5, None, "changed"),
    "other edited our task's text": Case(lambda d: replace_line(d, 5, b"- [x] Write the migration now\n"), 5, None, "no longer"),
    "other deleted our task": Case(lambda d: delete_line(d, 5), 5, None, "no longer"),
    "other duplicated our task": Case(lambda d: insert_lines(d, 8, b"- [x] Write the migration\n"), 5, None, "no longer"),
    "other edited another line": Case(
        lambda d: replace_line(d, 2, b"Revised on Monday.\n"), 5, lambda f: f.replace(b"- [x] Write", b"- [ ] Write", 1)
    ),
    "other inserted lines above": Case(
        lambda d: insert_lines(d, 1, b"<!-- x -->\n- [x] Write the migration\n\n"),
        5,
        lambda f: f.replace(b"## Today\n\n- [x] Write", b"## Today\n\n- [ ] Write"),
    ),
    "other emptied the file": Case(lambda d: b"", 5, None, "no longer"),
    "heading: other extended our marker": Case(
        lambda d: d.replace(DONE, DONE + b" DONE"), 13, None, "changed"
    ),
    "heading: other put the old marker back": Case(lambda d: d.replace(DONE, PAUSED), 13, None, "changed"),
    "heading: other edited another line": Case(
        lambda d: replace_line(d, 2, b"Revised on Monday.\n"), 13, lambda f: f.replace(DONE, PAUSED)
    ),
}


@pytest.mark.parametrize("save", list(SAVES))
@pytest.mark.parametrize("name", list(UNDO_CASES))
def test_undo_after_a_change_on_disk(tmp_path: Path, name: str, save: str) -> None:
    case = UNDO_CASES[name]
    workspace, path = load(tmp_path)
    document = workspace.document(path)
    assert document is not None
    task = document.task_at_line(case.line)
    assert task is not None and not task.done
    workspace.toggle(document, task)
    ours = path.read_bytes()
    foreign = case.change(ours)
    assert foreign != ours
    SAVES[save](path, foreign)
    if case.expect is None:
        with pytest.raises(EditError) as refused:
            workspace.undo()
        message = str(refused.value)
        assert_one_line(message)
        assert "cannot undo" in message and case.words in message, message
        assert path.read_bytes() == foreign, "a refused undo changed the file"
    else:
        assert workspace.undo() is not None
        assert path.read_bytes() == case.expect(foreign)
        assert workspace.history == []
    assert_shows_the_disk(workspace, path)
    assert (tmp_path / "other.md").read_bytes() == SIBLING
    assert temp_files(tmp_path) == []


def test_undo_of_a_deleted_file_refuses_and_does_not_recreate_it(tmp_path: Path) -> None:
    workspace, path = load(tmp_path)
    document = workspace.document(path)
    assert document is not None
    task = document.task_at_line(5)
    assert task is not None
    workspace.toggle(document, task)
    path.unlink()
    with pytest.raises(EditError) as refused:
        workspace.undo()
    assert_one_line(str(refused.value))
    assert "gone" in str(refused.value)
    assert not path.exists()


def test_undo_without_a_conflict_restores_the_original_exactly(tmp_path: Path) -> None:
    workspace, path = load(tmp_path)
    for line in (5, 6, 13, 15, 7):
        document = workspace.document(path)
        assert document is not None
        task = document.task_at_line(line)
        assert task is not None
        workspace.toggle(document, task)
    assert path.read_bytes() != BASE
    while workspace.undo() is not None:
        pass
    assert path.read_bytes() == BASE


def test_a_heading_patch_that_would_change_the_document_is_refused(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    """The heading patch is re-parsed before writing: if it would read as more than that task
    flipped (here a marker that smuggles in a new line and a task), nothing is written."""
    from planner.writer import edit as edit_module  # noqa: PLC0415

    workspace, path = load(tmp_path)
    document = workspace.document(path)
    assert document is not None
    task = document.task_at_line(13)
    assert task is not None and task.kind == "heading"
    monkeypatch.setattr(edit_module, "done_marker", lambda task: "\u2705\n\n- [ ] smuggled in")
    with pytest.raises(EditError) as refused:
        workspace.toggle(document, task)
    assert_one_line(str(refused.value))
    assert "would change how the file reads" in str(refused.value)
    # The refusal says what would have changed, so the user knows what to do instead.
    assert "would become a task" in str(refused.value) and "make it in an editor" in str(refused.value)
    assert path.read_bytes() == BASE
    assert temp_files(tmp_path) == []
