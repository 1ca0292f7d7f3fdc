"""The writer never writes over somebody else's change: it re-finds the task or refuses."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from planner.workspace.loader import load_document
from planner.workspace.workspace import Workspace
from planner.writer.atomic import atomic_write
from planner.writer.edit import EditError, set_done, toggle

PLAN = b"""# Plan

## Backend
- [ ] Write the migration
- [x] Review the schema

## Frontend
- [ ] Write the migration
- [ ] Ship the form
"""


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_edit_on_disk_between_load_and_toggle_refinds_the_task(tmp_path: Path) -> None:
    path = write(tmp_path / "plan.md", PLAN)
    document, _ = load_document(path)
    task = document.task_at_line(9)  # "Ship the form"
    # Someone inserts lines above and edits another task while planner holds the old parse.
    edited = PLAN.replace(b"# Plan\n", b"# Plan\n\nIntro line.\nAnother.\n").replace(
        b"- [x] Review the schema", b"- [x] Review the schema (done by Ann)"
    )
    path.write_bytes(edited)
    edit, after = toggle(document, task)
    assert edit.line == 12
    assert path.read_bytes() == edited.replace(b"- [ ] Ship the form", b"- [x] Ship the form")
    assert after.task_at_line(12).state == "done"


def test_ambiguous_task_after_a_change_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "plan.md", PLAN)
    document, _ = load_document(path)
    task = document.task_at_line(9)
    edited = PLAN.replace(b"- [ ] Ship the form\n", b"- [ ] Ship the form\n- [ ] Ship the form\n")
    path.write_bytes(edited)
    with pytest.raises(EditError, match="ambiguous"):
        toggle(document, task)
    assert path.read_bytes() == edited


def test_task_gone_after_a_change_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "plan.md", PLAN)
    document, _ = load_document(path)
    task = document.task_at_line(9)
    edited = PLAN.replace(b"- [ ] Ship the form\n", b"- [ ] Ship the new form\n")
    path.write_bytes(edited)
    with pytest.raises(EditError, match="no longer there"):
        toggle(document, task)
    assert path.read_bytes() == edited


def test_same_text_in_other_sections_is_told_apart_by_section(tmp_path: Path) -> None:
    path = write(tmp_path / "plan.md", PLAN)
    document, _ = load_document(path)
    frontend = document.task_at_line(8)
    path.write_bytes(PLAN.replace(b"# Plan\n", b"# Plan\nNote.\n"))
    edit, _ = toggle(document, frontend)
    assert edit.line == 9
    assert path.read_bytes().split(b"\n")[8] == b"- [x] Write the migration"
    assert path.read_bytes().split(b"\n")[4] == b"- [ ] Write the migration"


def test_task_already_in_the_wanted_state_is_reported_not_flipped(tmp_path: Path) -> None:
    path = write(tmp_path / "plan.md", PLAN)
    document, _ = load_document(path)
    task = document.task_at_line(4)
    path.write_bytes(PLAN.replace(b"- [ ] Write the migration\n- [x]", b"- [x] Write the migration\n- [x]"))
    before = path.read_bytes()
    with pytest.raises(EditError, match="already done"):
        set_done(document, task, True)
    assert path.read_bytes() == before


def test_line_endings_bom_and_tabs_survive(tmp_path: Path) -> None:
    data = b"\xef\xbb\xbf- [ ] one\r\n\t- [X] two\r\n  * [ ] three  \r\n1) [ ]\tfour"
    path = write(tmp_path / "plan.md", data)
    document, _ = load_document(path)
    assert [(t.line, t.state, t.text) for t in document.tasks] == [
        (1, "open", "one"),
        (2, "done", "two"),
        (3, "open", "three"),
        (4, "open", "four"),
    ]
    for task in document.tasks:
        before = path.read_bytes()
        edit, document = toggle(document, document.task_at_line(task.line))
        after = path.read_bytes()
        assert [i for i in range(len(before)) if before[i] != after[i]] == [edit.offset]
    # Ticks follow the file's convention: its done boxes use a capital X.
    assert path.read_bytes() == b"\xef\xbb\xbf- [X] one\r\n\t- [ ] two\r\n  * [X] three  \r\n1) [X]\tfour"


def test_other_states_are_kept_and_not_toggled(tmp_path: Path) -> None:
    path = write(tmp_path / "plan.md", b"- [-] dropped\n- [/] half\n- [1] citation, not a task\n")
    document, _ = load_document(path)
    assert [(t.line, t.state) for t in document.tasks] == [(1, "-"), (2, "/")]
    with pytest.raises(EditError, match="only open and done"):
        toggle(document, document.tasks[0])


def test_atomic_write_keeps_permissions_and_follows_symlinks(tmp_path: Path) -> None:
    target = write(tmp_path / "real.md", b"- [ ] a\n")
    os.chmod(target, 0o640)
    link = tmp_path / "link.md"
    link.symlink_to(target)
    atomic_write(link, b"- [x] a\n")
    assert link.is_symlink()
    assert target.read_bytes() == b"- [x] a\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".planner-")]


def test_workspace_undo_is_a_checked_patch(tmp_path: Path) -> None:
    path = write(tmp_path / "plan.md", PLAN)
    workspace = Workspace([tmp_path])
    workspace.load()
    document = workspace.document(path)
    workspace.toggle(document, document.task_at_line(4))
    workspace.toggle(workspace.document(path), workspace.document(path).task_at_line(5))
    assert workspace.undo() is not None
    assert workspace.undo() is not None
    assert workspace.undo() is None
    assert path.read_bytes() == PLAN


def test_undo_after_someone_else_changed_the_task_refuses(tmp_path: Path) -> None:
    path = write(tmp_path / "plan.md", PLAN)
    workspace = Workspace([tmp_path])
    workspace.load()
    workspace.toggle(workspace.document(path), workspace.document(path).task_at_line(4))
    changed = path.read_bytes().replace(b"- [x] Write the migration", b"- [ ] Write the migration", 1)
    path.write_bytes(changed)
    with pytest.raises(EditError, match="cannot undo"):
        workspace.undo()
    assert path.read_bytes() == changed


def test_an_unticked_box_takes_its_lane_state_again_as_a_parse_would(tmp_path: Path) -> None:
    """The model after an untick is the one a parse of the new bytes gives: a box under an "In
    Progress" lane is in progress again, a wholly struck one cancelled (not a plain todo)."""
    from planner.model.parser import parse_document

    path = tmp_path / "TODO.md"
    path.write_bytes(b"# TODO\n\n## In Progress\n- [x] Port the parser\n\n## Later\n- [x] ~~Old idea~~\n")
    document, _ = load_document(path)
    for line in (4, 7):
        task = next(t for t in document.tasks if t.line == line)
        _, document = set_done(document, task, False)
    fresh = parse_document(str(path), path.read_bytes())
    assert [t.status_type for t in document.tasks] == [t.status_type for t in fresh.tasks] == ["in_progress", "cancelled"]
    assert [t.state_name for t in document.tasks] == ["in progress", "cancelled"]


def test_folders_above_the_repository_never_make_its_files_archived_or_templates(tmp_path: Path) -> None:
    """A checkout in ~/old/ or ~/templates/ is not archived work: the folder rules look at
    folders inside the repository (below the folder holding .git)."""
    from planner.model.structure import archived_path, template_path

    repo = tmp_path / "old" / "templates" / "project"
    (repo / ".git").mkdir(parents=True)
    (repo / "docs" / "archive").mkdir(parents=True)
    assert not archived_path(str(repo / "ROADMAP.md")) and not template_path(str(repo / "ROADMAP.md"))
    assert archived_path(str(repo / "docs" / "archive" / "ROADMAP.md"))
    outside = tmp_path / "old" / "notes"
    outside.mkdir(parents=True)
    assert archived_path(str(outside / "ROADMAP.md"))  # in no repository: its folders are all it has
