"""Bad input: every bad file gets one clear line, and the good files beside it still load.

Each case puts one bad thing next to a good planning document, loads the folder as the
app does (``Workspace.load``), and checks: no exception, the good document loaded with
its tasks, the bad one reported in one line (or, where it is readable, loaded and
editable byte for byte). ``planner toggle`` on the bad file exits 1 with one line.
Permission cases run in a child that dropped its privileges to ``nobody`` (we run as
root here); the read-only file system is a real read-only bind mount in a private
mount namespace when the kernel allows it.
"""

from __future__ import annotations

import io
import json
import os
import socket
import threading
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from helpers.reliability import (
    assert_one_line,
    give_to_nobody,
    is_root,
    make_fifo,
    nobody_can_run,
    open_tmp,  # noqa: F401 - fixture
    oracle_tasks,
    ro_mount_reason,
    run_in_child,
    run_python_on_ro_mount,
    temp_files,
    warm_up,
)

from planner.cli.main import main
from planner.model.parser import parse_document
from planner.workspace import discovery, loader
from planner.workspace import workspace as workspace_module
from planner.workspace.loader import MAX_FILE_BYTES, load_document
from planner.workspace.workspace import Workspace
from planner.writer import edit as edit_module
from planner.writer.edit import EditError, set_done

GOOD = b"# Sprint 12 backlog\n\n## Today\n\n- [ ] Write the migration\n- [x] Review the parser\n"


def with_good(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    good = folder / "good.md"
    good.write_bytes(GOOD)
    return good


def load_folder(folder: Path) -> Workspace:
    workspace = Workspace([folder])
    workspace.load()
    for warning in workspace.warnings:
        assert_one_line(warning)
    return workspace


def assert_good_loaded(workspace: Workspace, folder: Path) -> None:
    good = workspace.document(folder / "good.md")
    assert good is not None, f"the good file did not load next to the bad one: {workspace.warnings}"
    assert [(t.line, t.state) for t in good.tasks] == [(5, "open"), (6, "done")]


def warnings_about(workspace: Workspace, name: str) -> list[str]:
    return [w for w in workspace.warnings if name in w]


def cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def assert_toggle_refused(target: str, *words: str) -> None:
    code, out, err = cli("toggle", target)
    assert code == 1, (code, out, err)
    assert_one_line(err)
    for word in words:
        assert word in err, err


def toggled(data: bytes, offset: int) -> bytes:
    """``data`` with the checkbox whose ``[`` is at ``offset`` flipped."""
    inner = data[offset + 1 : offset + 2]
    assert data[offset : offset + 1] == b"[" and data[offset + 2 : offset + 3] == b"]"
    return data[: offset + 1] + (b" " if inner in b"xX" else b"x") + data[offset + 2 :]


# -- unreadable or odd content ----------------------------------------------------------------


def test_binary_file_named_md(tmp_path: Path) -> None:
    with_good(tmp_path)
    (tmp_path / "logo.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 40)
    workspace = load_folder(tmp_path)
    assert_good_loaded(workspace, tmp_path)
    assert len(warnings_about(workspace, "logo.md")) == 1
    assert "binary" in warnings_about(workspace, "logo.md")[0]
    assert_toggle_refused(f"{tmp_path / 'logo.md'}:1", "binary")
    assert (tmp_path / "logo.md").read_bytes().startswith(b"\x89PNG")


INVALID_UTF8 = b"# Plan \xff\xfe\n\n## Today\n\n- [ ] caf\xe9 \xc3\x28 broken\n- [x] second \x80\x81\n- [ ] third\r\n"
LATIN1 = "# Café plan\n\n## Lundi\n\n- [ ] Réunion à 9h — ½ journée\n- [x] Reçu\n".encode("latin-1", "replace")


@pytest.mark.parametrize(("name", "data"), [("invalid.md", INVALID_UTF8), ("latin1.md", LATIN1)])
def test_not_utf8_loads_with_a_note_and_edits_keep_every_byte(tmp_path: Path, name: str, data: bytes) -> None:
    with_good(tmp_path)
    path = tmp_path / name
    path.write_bytes(data)
    workspace = load_folder(tmp_path)
    assert_good_loaded(workspace, tmp_path)
    notes = warnings_about(workspace, name)
    assert len(notes) == 1 and "UTF-8" in notes[0]
    document = workspace.document(path)
    assert document is not None
    assert [(t.line, t.done) for t in document.tasks if t.kind == "checkbox"] == oracle_tasks(data)
    expected = data
    for task in [t for t in document.tasks if t.kind == "checkbox"]:
        current = workspace.document(path)
        assert current is not None
        workspace.toggle(current, current.task_at_line(task.line))  # type: ignore[arg-type]
        expected = toggled(expected, task.offset)
        assert path.read_bytes() == expected
    while workspace.undo():
        pass
    assert path.read_bytes() == data
    # and from the command line
    code, _, err = cli("toggle", f"{path}:5")
    assert code == 0, err
    assert path.read_bytes() == toggled(data, data.index(b"[ ]"))


def test_empty_file(tmp_path: Path) -> None:
    """An empty file has nothing to plan: skipped quietly in a folder (as PRODUCT says), never an error."""
    with_good(tmp_path)
    (tmp_path / "empty.md").write_bytes(b"")
    workspace = load_folder(tmp_path)
    assert_good_loaded(workspace, tmp_path)
    assert str(tmp_path / "empty.md") in workspace.skipped
    assert warnings_about(workspace, "empty.md") == []
    named = Workspace([tmp_path / "empty.md"])
    named.load()
    assert named.warnings == []
    document = named.document(tmp_path / "empty.md")
    assert document is not None and document.tasks == []
    assert_toggle_refused(f"{tmp_path / 'empty.md'}:1", "no task on this line")
    code, out, _ = cli("tasks", str(tmp_path / "empty.md"), "--json")
    assert code == 0 and json.loads(out)["tasks"] == []
    assert (tmp_path / "empty.md").read_bytes() == b""


def test_50_mb_file_is_skipped_fast_with_one_line(tmp_path: Path) -> None:
    with_good(tmp_path)
    huge = tmp_path / "dump.md"
    block = b"- [ ] a task in a huge dump\n" * 4096
    with open(huge, "wb") as handle:
        while handle.tell() < 50 * 1024 * 1024:
            handle.write(block)
    started = time.monotonic()
    workspace = load_folder(tmp_path)
    assert time.monotonic() - started < 5, "a 50 MB file stalled the load"
    assert_good_loaded(workspace, tmp_path)
    [note] = warnings_about(workspace, "dump.md")
    assert "too large" in note
    started = time.monotonic()
    assert_toggle_refused(f"{huge}:1", "too large")
    assert time.monotonic() - started < 5


def test_a_file_that_grew_huge_after_loading_is_refused_not_parsed(tmp_path: Path) -> None:
    """The writer re-reads the file: 50 MB appended since the load must not stall it for minutes."""
    path = with_good(tmp_path)
    document, _ = load_document(path)
    task = document.task_at_line(5)
    assert task is not None
    with open(path, "ab") as handle:
        handle.write(b"- [ ] appended by a runaway script\n" * (50 * 1024 * 1024 // 35))
    size = path.stat().st_size
    started = time.monotonic()
    with pytest.raises(EditError) as refused:
        set_done(document, task, True)
    assert time.monotonic() - started < 5
    assert_one_line(str(refused.value))
    assert "too large" in str(refused.value)
    assert path.stat().st_size == size and path.read_bytes().startswith(GOOD)


def test_writer_and_loader_agree_on_the_size_limit() -> None:
    assert edit_module.MAX_FILE_BYTES == MAX_FILE_BYTES


@pytest.mark.slow
def test_a_file_with_100_000_tasks(tmp_path: Path) -> None:
    """Loads (no crash, every task found) and the last task toggles byte-exact."""
    with_good(tmp_path)
    path = tmp_path / "big.md"
    parts = [b"# Big backlog\n"]
    for section in range(100):
        parts.append(b"\n## Area %d\n\n" % section)
        parts.extend(b"- [ ] Task %d.%d with some words\n" % (section, i) for i in range(1000))
    data = b"".join(parts)
    path.write_bytes(data)
    workspace = load_folder(tmp_path)
    assert_good_loaded(workspace, tmp_path)
    document = workspace.document(path)
    assert document is not None
    assert len(document.tasks) == 100_000
    last = document.tasks[-1]
    assert last.text == "Task 99.999 with some words"
    workspace.toggle(document, last)
    assert path.read_bytes() == toggled(data, last.offset)
    workspace.undo()
    assert path.read_bytes() == data


def _nested(depth: int, item: str, indent: int) -> bytes:
    return "".join(" " * (indent * level) + item.format(level=level) + "\n" for level in range(depth)).encode()


DEEP = {
    "bullets": _nested(1000, "- [ ] level {level}", 2),
    "ordered": _nested(1000, "1. [x] level {level}", 3),
    "blockquotes": b"".join(b">" * level + b" - [ ] quoted %d\n" % level for level in range(1, 1001)),
    "one line of quotes": b">" * 1000 + b" - [ ] deepest\n",
    "quotes in lists": b"".join(b"  " * level + b"- > [ ] mixed %d\n" % level for level in range(1000)),
    "headings in lists": _nested(1000, "- # [ ] heading {level} \u23f8\ufe0f", 2),
}


@pytest.mark.parametrize("name", list(DEEP))
def test_deeply_nested_1000_levels(tmp_path: Path, name: str) -> None:
    """No crash (no RecursionError), the tasks found are what the oracle finds, and each toggles exactly."""
    with_good(tmp_path)
    data = b"# Deep\n\n" + DEEP[name]
    path = tmp_path / "deep.md"
    path.write_bytes(data)
    workspace = load_folder(tmp_path)
    assert_good_loaded(workspace, tmp_path)
    expected = oracle_tasks(data)
    document = workspace.document(path)
    if not expected and not parse_document(str(path), data).tasks:
        # markdown-it caps nesting: past the cap nothing is a task, for the oracle too
        assert document is None and str(path) in workspace.skipped
        assert warnings_about(workspace, "deep.md") == []
        return
    assert document is not None
    checkboxes = [t for t in document.tasks if t.kind == "checkbox"]
    assert [(t.line, t.done) for t in checkboxes] == expected
    for task in checkboxes[-3:]:
        current = workspace.document(path)
        assert current is not None
        before = path.read_bytes()
        workspace.toggle(current, current.task_at_line(task.line))  # type: ignore[arg-type]
        assert path.read_bytes() == toggled(before, task.offset)
    while workspace.undo():
        pass
    assert path.read_bytes() == data


# (content, the checkbox tasks it has as (line, done)): the oracle's inline parse is quadratic
# on such lines (minutes), so the expected tasks are given here.
LONG = {
    "5 MB task line": (b"# Long\n\n- [ ] " + b"word " * 1_000_000 + b"\n- [ ] short\n", [(3, False), (4, False)]),
    "1 MB heading task": (
        b"# Long\n\n### Task 1: " + b"w " * 500_000 + "\u23f8\ufe0f".encode() + b"\n\n- [ ] short\n",
        [(5, False)],
    ),
    "4 MB of brackets": (b"# Long\n\n- [ ] " + b"[" * 4_000_000 + b"\n- [ ] short\n", [(3, False), (4, False)]),
    "2 MB of emphasis": (b"# Long\n\n- [ ] **" + b"*_" * 1_000_000 + b"\n- [ ] short\n", [(3, False), (4, False)]),
    "2 MB line, no newline at end": (b"# Long\n\n- [ ] short\n- [x] " + "é".encode() * 1_000_000, [(3, False), (4, True)]),
    "1 MB line of spaces then a box": (b"# Long\n\n" + b" " * 1_000_000 + b"- [ ] far\n- [ ] short\n", [(4, False)]),
}


@pytest.mark.parametrize("name", list(LONG))
def test_very_long_lines(tmp_path: Path, name: str) -> None:
    with_good(tmp_path)
    data, tasks = LONG[name]
    path = tmp_path / "long.md"
    path.write_bytes(data)
    started = time.monotonic()
    workspace = load_folder(tmp_path)
    assert time.monotonic() - started < 10
    assert_good_loaded(workspace, tmp_path)
    document = workspace.document(path)
    assert document is not None
    assert [(t.line, t.done) for t in document.tasks if t.kind == "checkbox"] == tasks
    for task in document.tasks:
        current = workspace.document(path)
        assert current is not None
        workspace.toggle(current, current.task_at_line(task.line))  # type: ignore[arg-type]
    after = path.read_bytes()
    assert len(after) == len(data) or any(t.kind == "heading" for t in document.tasks)
    while workspace.undo():
        pass
    assert path.read_bytes() == data


# -- permissions ------------------------------------------------------------------------------


@pytest.fixture
def as_nobody(open_tmp: Path) -> Path:  # noqa: F811
    """A folder reachable by ``nobody``, after warming up every lazy import in this process."""
    reason = nobody_can_run()
    if reason:
        pytest.skip(reason)
    warm_up(open_tmp / "warm")
    return open_tmp


def _load_report(folder: str) -> tuple[list[str], list[str]]:
    workspace = Workspace([folder])
    workspace.load()
    return sorted(os.path.basename(p) for p in workspace.documents), workspace.warnings


def _toggle_report(path: str, line: int) -> str:
    document, _ = load_document(path)
    task = document.task_at_line(line)
    assert task is not None
    try:
        set_done(document, task, not task.done)
    except EditError as err:
        return f"refused: {err}"
    return "written"


def _cli_report(*args: str) -> tuple[int, str]:
    code, _, err = cli(*args)
    return code, err


def test_unreadable_file_and_folder(as_nobody: Path) -> None:
    folder = as_nobody / "docs"
    with_good(folder)
    secret = folder / "secret.md"
    secret.write_bytes(GOOD)
    secret.chmod(0o000)
    locked = folder / "locked"
    locked.mkdir()
    (locked / "inside.md").write_bytes(GOOD)
    locked.chmod(0o000)
    names, warnings = run_in_child(_load_report, str(folder), as_nobody=True)
    assert names == ["good.md"]
    [about_secret] = [w for w in warnings if "secret.md" in w]
    assert "permission denied" in about_secret.lower()
    [about_locked] = [w for w in warnings if "locked" in w]
    assert "permission denied" in about_locked.lower()
    for warning in warnings:
        assert_one_line(warning)
    code, err = run_in_child(_cli_report, "toggle", f"{secret}:5", as_nobody=True)
    assert code == 1 and "permission denied" in err
    assert_one_line(err)


def test_file_without_write_permission_is_refused(as_nobody: Path) -> None:
    """Readable but not writable by us: refused, never replaced through the folder."""
    folder = as_nobody / "docs"
    path = with_good(folder)
    give_to_nobody(folder)  # the folder is ours: only the file's own permission says no
    path.chmod(0o444)
    give_to_nobody(path)
    outcome = run_in_child(_toggle_report, str(path), 5, as_nobody=True)
    assert outcome.startswith("refused:") and "permission denied" in outcome, outcome
    assert_one_line(outcome)
    assert path.read_bytes() == GOOD
    assert (path.stat().st_mode & 0o777) == 0o444
    assert temp_files(folder) == []


def test_file_owned_by_someone_else_is_refused(as_nobody: Path) -> None:
    if not is_root():
        pytest.skip("needs a file owned by another user: only root can make one")
    folder = as_nobody / "docs"
    path = with_good(folder)  # root's file, 0644, in root's folder
    outcome = run_in_child(_toggle_report, str(path), 5, as_nobody=True)
    assert outcome.startswith("refused:") and "permission denied" in outcome, outcome
    assert path.read_bytes() == GOOD


# A heading task whose tick changes the marker's length (⏸️ -> ✅): only a rewrite can write it.
HEADING = "\n### Task 2: Ship it \u23f8\ufe0f\n".encode()
HEADING_LINE = 8


def test_read_only_folder_is_refused_with_a_clear_reason(as_nobody: Path) -> None:
    """A writable file in a folder we cannot write: a tick is written in place (no temp file is
    needed); an edit that changes the length needs a temp file there and is refused."""
    folder = as_nobody / "docs"
    path = with_good(folder)
    path.write_bytes(GOOD + HEADING)
    path.chmod(0o666)
    give_to_nobody(path)
    folder.chmod(0o555)
    outcome = run_in_child(_toggle_report, str(path), HEADING_LINE, as_nobody=True)
    assert outcome.startswith("refused:") and "permission denied" in outcome, outcome
    assert "folder" in outcome, outcome
    assert_one_line(outcome)
    assert path.read_bytes() == GOOD + HEADING
    assert run_in_child(_toggle_report, str(path), 5, as_nobody=True) == "written"
    assert path.read_bytes() == GOOD.replace(b"- [ ] Write", b"- [x] Write") + HEADING
    assert sorted(p.name for p in folder.iterdir()) == ["good.md"]
    names, _ = run_in_child(_load_report, str(folder), as_nobody=True)
    assert names == ["good.md"]


def test_sticky_folder_of_someone_else(as_nobody: Path) -> None:
    """/tmp-like folder (sticky, world-writable): we may create files but not replace root's.
    A tick of root's world-writable file is written in place and the file stays root's."""
    if not is_root():
        pytest.skip("needs a file owned by another user: only root can make one")
    folder = as_nobody / "sticky"
    path = with_good(folder)
    path.write_bytes(GOOD + HEADING)
    path.chmod(0o666)
    folder.chmod(0o1777)
    outcome = run_in_child(_toggle_report, str(path), HEADING_LINE, as_nobody=True)
    assert outcome.startswith("refused:") and "permission denied" in outcome, outcome
    assert path.read_bytes() == GOOD + HEADING
    assert temp_files(folder) == []
    assert run_in_child(_toggle_report, str(path), 5, as_nobody=True) == "written"
    assert path.read_bytes() == GOOD.replace(b"- [ ] Write", b"- [x] Write") + HEADING
    assert (path.stat().st_uid, path.stat().st_mode & 0o7777) == (0, 0o666)
    assert temp_files(folder) == []


def test_root_keeps_the_owner_of_a_file_it_edits(open_tmp: Path) -> None:  # noqa: F811
    """sudo planner toggle on a user's file must not hand the file to root."""
    if not is_root():
        pytest.skip("only root can edit a file owned by someone else")
    path = with_good(open_tmp / "docs")
    give_to_nobody(path)
    document, _ = load_document(path)
    set_done(document, document.task_at_line(5), True)  # type: ignore[arg-type]
    info = path.stat()
    assert (info.st_uid, info.st_gid) == (65534, 65534)


# -- read-only file system --------------------------------------------------------------------

RO_SCRIPT = """
import json
from planner.workspace.workspace import Workspace
from planner.writer.edit import EditError
folder = {folder!r}
ws = Workspace([folder]); ws.load()
doc = ws.document(folder + "/good.md")
out = {{"loaded": sorted(ws.documents), "warnings": ws.warnings}}
try:
    ws.toggle(doc, doc.task_at_line(5)); out["toggle"] = "written"
except EditError as err:
    out["toggle"] = str(err)
print(json.dumps(out))
"""


def test_read_only_file_system(tmp_path: Path) -> None:
    reason = ro_mount_reason()
    if reason:
        pytest.skip(f"real read-only mount unavailable ({reason}); the EROFS path is covered in test_reliability_crash")
    folder = tmp_path / "ro"
    with_good(folder)
    (folder / ".planner-99999999-left.tmp").write_bytes(b"debris on a read-only disk")
    result = run_python_on_ro_mount(folder, RO_SCRIPT.format(folder=str(folder)))
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["loaded"] == [str(folder / "good.md")]
    assert out["warnings"] == []
    assert "read-only file system" in out["toggle"] and "not changed" in out["toggle"], out["toggle"]
    assert_one_line(out["toggle"])
    assert (folder / "good.md").read_bytes() == GOOD
    assert result.stderr == ""


# -- symlink loops, FIFOs, devices ------------------------------------------------------------


def test_symlink_loops(tmp_path: Path) -> None:
    with_good(tmp_path)
    (tmp_path / "a.md").symlink_to("b.md")
    (tmp_path / "b.md").symlink_to("a.md")
    (tmp_path / "self.md").symlink_to("self.md")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "up").symlink_to("..")
    (sub / "note.md").write_bytes(b"# Sub\n\n- [ ] inside sub\n")
    workspace = load_folder(tmp_path)
    assert_good_loaded(workspace, tmp_path)
    assert workspace.document(sub / "note.md") is not None
    for name in ("a.md", "b.md", "self.md"):
        [note] = warnings_about(workspace, name)
        assert "symlink loop" in note, note
    assert any("symlink loop" in w for w in warnings_about(workspace, "up"))
    assert_toggle_refused(f"{tmp_path / 'a.md'}:1", "symlink loop")
    named = Workspace([tmp_path / "a.md", tmp_path / "good.md"])
    named.load()
    assert named.document(tmp_path / "good.md") is not None
    assert len(named.warnings) == 1 and "a.md" in named.warnings[0]
    assert_one_line(named.warnings[0])


def _guarded(fn, timeout: float, unblock) -> object:  # noqa: ANN001
    """Run ``fn`` in a thread; if it blocks past ``timeout``, unblock it and fail."""
    result: dict[str, object] = {}

    def run() -> None:
        try:
            result["value"] = fn()
        except BaseException as err:  # noqa: BLE001
            result["error"] = err

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        unblock()
        thread.join(5)
        pytest.fail(f"blocked for more than {timeout} s")
    if "error" in result:
        raise result["error"]  # type: ignore[misc]
    return result.get("value")


def _open_fifo_for_writing(path: Path) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
    except OSError:
        return
    os.close(fd)


def test_fifo_and_devices_named_md(tmp_path: Path) -> None:
    with_good(tmp_path)
    make_fifo(tmp_path / "pipe.md")
    (tmp_path / "zero.md").symlink_to("/dev/zero")
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(tmp_path / "sock.md"))
        workspace = _guarded(lambda: load_folder(tmp_path), 10, lambda: _open_fifo_for_writing(tmp_path / "pipe.md"))
    assert isinstance(workspace, Workspace)
    assert_good_loaded(workspace, tmp_path)
    for name in ("pipe.md", "zero.md"):
        [note] = warnings_about(workspace, name)
        assert "not a regular file" in note
    assert len(workspace.documents) == 1
    _guarded(
        lambda: assert_toggle_refused(f"{tmp_path / 'pipe.md'}:1", "not a regular file"),
        10,
        lambda: _open_fifo_for_writing(tmp_path / "pipe.md"),
    )


def test_file_replaced_by_a_fifo_after_loading_does_not_hang_the_writer(tmp_path: Path) -> None:
    path = with_good(tmp_path)
    workspace = load_folder(tmp_path)
    document = workspace.document(path)
    assert document is not None
    path.unlink()
    make_fifo(path)

    def attempt() -> str:
        try:
            workspace.toggle(document, document.task_at_line(5))  # type: ignore[arg-type]
        except EditError as err:
            return str(err)
        return "written"

    message = _guarded(attempt, 10, lambda: _open_fifo_for_writing(path))
    assert isinstance(message, str) and "not a regular file" in message, message
    assert_one_line(message)
    assert path.is_fifo()


# -- files that disappear while planner looks at them -----------------------------------------


def test_files_and_folders_vanishing_between_listing_and_reading(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    with_good(tmp_path)
    (tmp_path / "gone.md").write_bytes(GOOD)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "deep.md").write_bytes(GOOD)
    (tmp_path / "later").mkdir()
    (tmp_path / "later" / "x.md").write_bytes(GOOD)
    real_scandir = os.scandir
    pulled = []

    def scandir(path):  # noqa: ANN001, ANN202 - list first, then pull the rug
        entries = list(real_scandir(path))
        if Path(path) == tmp_path and not pulled:
            pulled.append(True)
            (tmp_path / "sub" / "deep.md").unlink()
            (tmp_path / "sub").rmdir()

        class Listing:
            def __iter__(self):  # noqa: ANN204
                return iter(entries)

            def __enter__(self):  # noqa: ANN204
                return iter(entries)

            def __exit__(self, *exc):  # noqa: ANN002, ANN204
                return False

        return Listing()

    monkeypatch.setattr(discovery.os, "scandir", scandir)
    real_discover = workspace_module.discover

    def discover(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        found = real_discover(*args, **kwargs)
        (tmp_path / "gone.md").unlink()  # after discovery, before loading
        (tmp_path / "later" / "x.md").unlink()
        (tmp_path / "later").rmdir()
        return found

    monkeypatch.setattr(workspace_module, "discover", discover)
    workspace = load_folder(tmp_path)
    monkeypatch.undo()
    assert pulled
    assert_good_loaded(workspace, tmp_path)
    assert sorted(os.path.basename(p) for p in workspace.documents) == ["good.md"]
    for name in ("gone.md", "x.md"):
        [note] = warnings_about(workspace, name)
        assert "gone" in note


def test_churning_folder_never_breaks_a_load(tmp_path: Path) -> None:
    """A thread creates, renames and deletes files and folders while the folder is loaded 25 times."""
    with_good(tmp_path)
    stop = threading.Event()
    errors: list[BaseException] = []

    def churn() -> None:
        n = 0
        while not stop.is_set():
            n += 1
            folder = tmp_path / f"tmp{n % 3}"
            try:
                folder.mkdir(exist_ok=True)
                (folder / "a.md").write_bytes(GOOD)
                (folder / "a.md").rename(folder / "b.md")
                (tmp_path / f"f{n % 5}.md").write_bytes(GOOD * (n % 4))
                (folder / "b.md").unlink()
                folder.rmdir()
                (tmp_path / f"f{(n + 2) % 5}.md").unlink(missing_ok=True)
            except FileNotFoundError:
                pass
            except BaseException as err:  # noqa: BLE001
                errors.append(err)
                return

    thread = threading.Thread(target=churn, daemon=True)
    thread.start()
    try:
        for _ in range(25):
            workspace = load_folder(tmp_path)
            assert_good_loaded(workspace, tmp_path)
    finally:
        stop.set()
        thread.join(5)
    assert errors == []


def test_reload_of_a_vanished_file_forgets_it(tmp_path: Path) -> None:
    path = with_good(tmp_path)
    workspace = load_folder(tmp_path)
    path.unlink()
    assert workspace.reload(path) is None
    assert workspace.document(path) is None


def test_loader_reports_a_file_that_grows_while_read(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    path = with_good(tmp_path)
    real_read = os.read

    def read(fd: int, n: int) -> bytes:
        chunk = real_read(fd, n)
        return chunk + b"x" * (MAX_FILE_BYTES + 1) if chunk else chunk

    monkeypatch.setattr(loader.os, "read", read)
    with pytest.raises(loader.LoadProblem) as problem:
        load_document(path)
    monkeypatch.undo()
    assert_one_line(str(problem.value))
    assert "grew" in str(problem.value)
