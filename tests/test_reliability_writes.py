"""How planner writes: in place where the length allows, else a rewrite that keeps what the file had.

- A program appending to the file while planner toggles loses nothing (a small run of
  ``bench/soak.py``), and bytes appended during a rewrite are carried over.
- Inode, owner, group, mode, a ``user.*`` xattr and a POSIX ACL survive a tick (in place)
  and a length-changing edit (``⏸️`` → ``✅``, a rewrite); a rewrite adds no ACL inherited
  from the folder, and one that cannot keep the owner is refused.
- Hard links: a tick writes through every name; a length-changing edit is refused.
- A folder lock held by another process makes a write give up after a bounded wait with
  one line naming the folder and the holder's pid, in the CLI too.
- Files that merely look like planner temp files are never deleted.

Every test here fails on 3a0b3a8 (the writer before write_replacements).
"""

from __future__ import annotations

import errno
import importlib.util
import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.reliability import (
    ROOT,
    assert_one_line,
    is_root,
    nobody_can_run,
    open_tmp,  # noqa: F401 - a fixture
    planner_cmd,
    run_in_child,
    subprocess_env,
    temp_files,
    warm_up,
)

from planner.workspace.loader import load_document
from planner.workspace.workspace import Workspace
from planner.writer.atomic import FileChanged, file_id
from planner.writer.edit import EditError, set_done

DOC = (
    "# Sprint backlog\n"  # 1
    "\n"  # 2
    "## Today\n"  # 3
    "\n"  # 4
    "- [ ] Alpha writes the migration\n"  # 5
    "- [x] Beta reviews the parser\n"  # 6
    "\n"  # 7
    "### Task 1: x \u23f8\ufe0f\n"  # 8: ⏸️ -> ✅ changes the length
    "\n"  # 9
    "- [ ] Gamma under a heading task\n"  # 10
).encode()
TICK, HEADING = 5, 8
TICKED = DOC.replace(b"- [ ] Alpha", b"- [x] Alpha")
HEADED = DOC.replace("\u23f8\ufe0f".encode(), "\u2705".encode())
EDITS = {"tick": (TICK, TICKED), "heading": (HEADING, HEADED)}


def _soak():  # noqa: ANN202
    spec = importlib.util.spec_from_file_location("bench_soak", ROOT / "bench" / "soak.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_soak"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def edit(path: Path, line: int) -> None:
    document, _ = load_document(path)
    task = document.task_at_line(line)
    assert task is not None
    set_done(document, task, not task.done)


# -- concurrent appenders ---------------------------------------------------------------------


def test_an_appender_loses_nothing_against_toggles(tmp_path: Path) -> None:
    """Two processes append a numbered line every 2 ms (1,000 in all) while 100 ticks land:
    nothing is lost or doubled, every toggle lands, and the file keeps its inode."""
    soak = _soak()
    result = soak.run_appenders(tmp_path, "appenders", appenders=2, appends=1000, toggles=100, via="api")
    print(result.line())
    assert (result.appended, result.lost, result.duplicated) == (1000, 0, 0), result.line()
    assert (result.landed, result.refused) == (100, 0), result.line()
    assert result.consistent, result.line()
    assert result.inode_kept, "a tick replaced the file (a new inode): an appender can lose lines"


def test_bytes_appended_during_a_rewrite_are_carried_over(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A length-changing edit is a rewrite: a line appended just before the rename, and one
    written just after it by a program that opened the file before, both end up in the file."""
    path = tmp_path / "plan.md"
    path.write_bytes(DOC)
    real = os.replace

    def replace(src: str, dst: str) -> None:
        if Path(dst) == path:
            with open(path, "ab") as handle:
                handle.write(b"appended before the rename\n")
            late = open(path, "ab")  # noqa: SIM115 - opened before the rename, written after
            real(src, dst)
            late.write(b"appended just after the rename\n")
            late.close()
        else:
            real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    edit(path, HEADING)
    monkeypatch.undo()
    assert path.read_bytes() == HEADED + b"appended before the rename\nappended just after the rename\n"


def test_write_replacements_allows_appends_and_refuses_any_other_change(tmp_path: Path) -> None:
    from planner.writer.atomic import write_replacements  # noqa: PLC0415 - (new in this change)

    path = tmp_path / "plan.md"
    path.write_bytes(DOC)
    data, identity = DOC, file_id(os.stat(path))
    offset = DOC.index(b"[ ] Alpha") + 1
    with pytest.raises(ValueError):
        write_replacements(path, data, identity, [(offset, b"x", b" ")])  # not the bytes read
    with open(path, "ab") as handle:
        handle.write(b"log line\n")
    write_replacements(path, data, identity, [(offset, b" ", b"x")])
    assert path.read_bytes() == TICKED + b"log line\n"
    assert os.stat(path).st_ino == identity[1]
    # Someone changed a byte the caller read (not an append): refused, nothing written.
    changed = TICKED.replace(b"Beta", b"Bet4") + b"log line\n"
    path.write_bytes(changed)
    for marker in ((offset, b" ", b"x"), (DOC.index("\u23f8".encode()), "\u23f8\ufe0f".encode(), "\u2705".encode())):
        with pytest.raises(FileChanged):
            write_replacements(path, data, identity, [marker])
    assert path.read_bytes() == changed
    # The file swapped for a symlink to another file with the same bytes: not followed.
    other = tmp_path / "other.md"
    other.write_bytes(DOC)
    path.unlink()
    path.symlink_to(other)
    with pytest.raises(FileChanged):
        write_replacements(tmp_path / "plan.md", data, identity, [(offset, b" ", b"x")])
    assert other.read_bytes() == DOC and path.is_symlink()


# -- inode, owner, group, mode, xattrs, ACLs --------------------------------------------------

ACL_USER_OBJ, ACL_USER, ACL_GROUP_OBJ, ACL_MASK, ACL_OTHER = 0x01, 0x02, 0x04, 0x10, 0x20
NO_ID = 0xFFFFFFFF


def acl_bytes(mode: int, user: int) -> bytes:
    """A ``system.posix_acl_access`` value: ``mode`` plus rw for uid ``user`` (what setfacl writes)."""
    entries = [
        (ACL_USER_OBJ, (mode >> 6) & 7, NO_ID),
        (ACL_USER, 6, user),
        (ACL_GROUP_OBJ, (mode >> 3) & 7, NO_ID),
        (ACL_MASK, (mode >> 3) & 7, NO_ID),
        (ACL_OTHER, mode & 7, NO_ID),
    ]
    return struct.pack("<I", 2) + b"".join(struct.pack("<HHI", *entry) for entry in entries)


def try_xattr(path: Path, name: str, value: bytes) -> None:
    try:
        os.setxattr(path, name, value)
    except OSError as err:
        if err.errno in (errno.ENOTSUP, errno.EOPNOTSUPP, errno.EPERM):
            pytest.skip(f"{name} cannot be set here ({err.strerror})")
        raise


def metadata(path: Path) -> dict[str, object]:
    info = os.stat(path)
    return {
        "owner": (info.st_uid, info.st_gid),
        "mode": info.st_mode & 0o7777,
        "xattrs": {name: os.getxattr(path, name) for name in sorted(os.listxattr(path))},
    }


@pytest.mark.parametrize("kind", list(EDITS))
def test_inode_owner_group_mode_xattr_and_acl_survive_an_edit(tmp_path: Path, kind: str) -> None:
    line, expected = EDITS[kind]
    path = tmp_path / "plan.md"
    path.write_bytes(DOC)
    if is_root():
        os.chown(path, 1234, 5678)  # another user's file, in another user's group
    os.chmod(path, 0o640)
    try_xattr(path, "user.x", b"kept")
    try_xattr(path, "system.posix_acl_access", acl_bytes(0o640, 4242))
    before, inode = metadata(path), os.stat(path).st_ino
    assert "system.posix_acl_access" in before["xattrs"]  # type: ignore[operator]
    edit(path, line)
    assert path.read_bytes() == expected
    assert metadata(path) == before
    if kind == "tick":
        assert os.stat(path).st_ino == inode, "a same-length tick must be written in place"
    assert temp_files(tmp_path) == []


def test_a_rewrite_adds_no_acl_inherited_from_the_folder(tmp_path: Path) -> None:
    """New files in a folder with a default ACL get an ACL; the rewritten file must not."""
    path = tmp_path / "plan.md"
    path.write_bytes(DOC)
    os.chmod(path, 0o600)
    try_xattr(tmp_path, "system.posix_acl_default", acl_bytes(0o775, 4242))
    before = metadata(path)
    assert before["xattrs"] == {}
    edit(path, HEADING)
    assert path.read_bytes() == HEADED
    assert metadata(path) == before


def _edit_report(path: str, line: int) -> str:
    try:
        edit(Path(path), line)
    except EditError as err:
        return f"refused: {err}"
    return "written"


def test_a_rewrite_that_cannot_keep_the_owner_is_refused(open_tmp: Path) -> None:  # noqa: F811
    """A group member may tick a shared file (in place, it stays the owner's), but a rewrite by
    them would hand the file over: that is refused with one line, the file unchanged."""
    if not is_root():
        pytest.skip("needs files of two users: only root can make them")
    reason = nobody_can_run()
    if reason:
        pytest.skip(reason)
    warm_up(open_tmp / "warm")
    folder = open_tmp / "shared"
    folder.mkdir()
    folder.chmod(0o777)
    path = folder / "plan.md"
    path.write_bytes(DOC)
    os.chown(path, 1234, 65534)
    path.chmod(0o666)
    outcome = run_in_child(_edit_report, str(path), HEADING, as_nobody=True)
    assert outcome.startswith("refused:") and "belongs to" in outcome and "not changed" in outcome, outcome
    assert_one_line(outcome)
    assert path.read_bytes() == DOC
    assert run_in_child(_edit_report, str(path), TICK, as_nobody=True) == "written"
    assert path.read_bytes() == TICKED
    assert (os.stat(path).st_uid, os.stat(path).st_gid, os.stat(path).st_mode & 0o777) == (1234, 65534, 0o666)
    assert sorted(p.name for p in folder.iterdir()) == ["plan.md"]


# -- hard links -------------------------------------------------------------------------------


def test_a_tick_writes_through_every_hard_link(tmp_path: Path) -> None:
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    a.write_bytes(DOC)
    os.link(a, b)
    edit(a, TICK)
    assert a.read_bytes() == b.read_bytes() == TICKED
    assert os.stat(a).st_ino == os.stat(b).st_ino and os.stat(a).st_nlink == 2


def test_a_length_changing_edit_of_a_hard_linked_file_is_refused(tmp_path: Path) -> None:
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    a.write_bytes(DOC)
    os.link(a, b)
    with pytest.raises(EditError) as refused:
        edit(a, HEADING)
    message = str(refused.value)
    assert_one_line(message)
    assert "has 2 hard links" in message and "split" in message and "not changed" in message, message
    assert a.read_bytes() == b.read_bytes() == DOC
    assert os.stat(a).st_ino == os.stat(b).st_ino and temp_files(tmp_path) == []
    code = subprocess.run(
        planner_cmd("toggle", f"{a}:{HEADING}"), capture_output=True, env=subprocess_env(), cwd=ROOT, timeout=60, check=False
    )
    assert code.returncode == 1 and "has 2 hard links" in code.stderr.decode()
    assert_one_line(code.stderr.decode())
    assert a.read_bytes() == DOC


# -- the folder lock --------------------------------------------------------------------------

HOLDER = r"""
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDONLY | os.O_DIRECTORY)
fcntl.flock(fd, fcntl.LOCK_EX)
print("held", flush=True)
sys.stdin.read()  # until the test closes our stdin
"""


def _hold_lock(folder: Path) -> subprocess.Popen[bytes]:
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(folder)], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert holder.stdout is not None and holder.stdout.readline() == b"held\n"
    return holder


def _release(holder: subprocess.Popen[bytes]) -> None:
    assert holder.stdin is not None
    holder.stdin.close()
    holder.wait(timeout=10)


def _toggle_refusal(path: str, line: int) -> str:
    from planner.writer import atomic  # noqa: PLC0415

    lock = sys.modules.get("planner.writer.lock", atomic)  # (atomic held the lock before)
    lock.LOCK_TIMEOUT_SECONDS = 0.3  # in the child only
    return _edit_report(path, line)


def test_a_held_folder_lock_makes_a_write_give_up_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "plan.md"
    path.write_bytes(DOC)
    holder = _hold_lock(tmp_path)
    try:
        # In a child: on the old writer this waited forever (run_in_child gives up after 20 s).
        outcome = run_in_child(_toggle_refusal, str(path), TICK, timeout=20)
    finally:
        _release(holder)
    assert outcome.startswith("refused:"), outcome
    assert_one_line(outcome)
    assert str(tmp_path) in outcome and f"pid {holder.pid}" in outcome and "nothing written" in outcome, outcome
    assert path.read_bytes() == DOC
    edit(path, TICK)  # released: the same edit lands
    assert path.read_bytes() == TICKED


def test_planner_toggle_exits_non_zero_when_the_lock_stays_held(tmp_path: Path) -> None:
    path = tmp_path / "plan.md"
    path.write_bytes(DOC)
    holder = _hold_lock(tmp_path)
    try:
        run = subprocess.run(
            planner_cmd("toggle", f"{path}:{TICK}"), capture_output=True, env=subprocess_env(), cwd=ROOT, timeout=60, check=False
        )
    finally:
        _release(holder)
    err = run.stderr.decode()
    assert run.returncode == 1, (run.returncode, err)
    assert_one_line(err)
    assert str(tmp_path) in err and f"pid {holder.pid}" in err, err
    assert path.read_bytes() == DOC


# -- files that look like planner's temp files ------------------------------------------------

LOOKALIKES = [".planner-99999-my-notes.tmp", "sub/.planner-99999-my-notes.tmp", "sub/deeper/.planner-1-x.tmp"]


def _lookalikes(root: Path) -> list[Path]:
    paths = []
    for name in LOOKALIKES:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"notes\n")
        paths.append(path)
    (root / "plan.md").write_bytes(DOC)
    (root / "sub" / "deeper" / "more.md").write_bytes(DOC)
    return paths


def _assert_kept(paths: list[Path], after: str) -> None:
    for path in paths:
        assert path.exists() and path.read_bytes() == b"notes\n", f"{path} was deleted by {after}"


def test_files_that_look_like_temp_files_survive_commands_loads_and_writes(tmp_path: Path) -> None:
    paths = _lookalikes(tmp_path)
    for args in (["tasks", ".", "--json"], ["focus"], ["queues", "."]):
        run = subprocess.run(planner_cmd(*args), capture_output=True, env=subprocess_env(), cwd=tmp_path, timeout=60, check=False)
        assert run.returncode == 0, run.stderr.decode()
        _assert_kept(paths, f"planner {' '.join(args)}")
    workspace = Workspace([tmp_path])
    workspace.load()
    _assert_kept(paths, "a workspace load")
    for target in (tmp_path / "plan.md", tmp_path / "sub" / "deeper" / "more.md"):
        document = workspace.document(target)
        assert document is not None
        workspace.toggle(document, document.task_at_line(HEADING))  # type: ignore[arg-type] # a rewrite, in that folder
        run = subprocess.run(planner_cmd("toggle", f"{target}:{TICK}"), capture_output=True, env=subprocess_env(), timeout=60, check=False)
        assert run.returncode == 0, run.stderr.decode()
    _assert_kept(paths, "writes in their folders")


async def test_files_that_look_like_temp_files_survive_the_tui(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import asyncio  # noqa: PLC0415

    from planner.config import load_settings  # noqa: PLC0415
    from planner.tui.app import PlannerApp  # noqa: PLC0415

    monkeypatch.setenv("PLANNER_CONFIG_DIR", str(tmp_path / "config"))
    docs = tmp_path / "docs"
    paths = _lookalikes(docs)
    app = PlannerApp([str(docs)], config=load_settings(), start_mode=None, watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await asyncio.wait_for(app.wait_loaded(), 60)
        await pilot.pause()
    _assert_kept(paths, "the TUI's load")
