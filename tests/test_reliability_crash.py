"""Crash safety: a write interrupted at any point leaves the old file or the new one, byte for byte,
and no planner temp file survives the next start.

Three ways of interrupting: an exception raised by each system call of the write (disk full,
I/O error, a refused chmod or rename, Ctrl-C), a SIGKILL at each step, and a loop of SIGKILLs
at random moments of a child process that toggles as fast as it can.
"""

from __future__ import annotations

import errno
import os
import random
import signal
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers.reliability import assert_one_line, read_pipe, temp_files, wait_child

from planner.model.parser import parse_document
from planner.workspace.loader import load_document
from planner.workspace.workspace import Workspace
from planner.writer import atomic
from planner.writer.edit import EditError, set_done, toggle

DOC = (
    "# Sprint 12 backlog\n"
    "\n"
    "## Today\n"
    "\n"
    "- [ ] Write the migration\n"
    "- [x] Review the parser\n"
    "\t- [ ] nested with a tab\r\n"
    "\n"
    "### Task 1.1: Make MemoryManager stateless (4-6 hours) \u23f8\ufe0f\n"
    "\n"
    "Trailing spaces stay.   \n"
).encode()


def write_doc(folder: Path, data: bytes = DOC, name: str = "backlog.md") -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def ticked(data: bytes, task_line: int) -> bytes:
    """``data`` with the task on ``task_line`` toggled (the expected new file)."""
    document = parse_document("/x.md", data)
    task = document.task_at_line(task_line)
    assert task is not None
    if task.kind == "heading":  # ⏸️ <-> ✅: the length changes, so the file is rewritten
        old, new = ("\u2705", "\u23f8\ufe0f") if task.done else ("\u23f8\ufe0f", "\u2705")
        return data[: task.offset] + data[task.offset :].replace(old.encode(), new.encode(), 1)
    new = b" " if task.done else b"x"
    return data[: task.offset + 1] + new + data[task.offset + 2 :]


# A checkbox tick keeps its length and is written in place; the heading's ⏸️ -> ✅ does not
# and is written by temp file + rename. Each way of failing is tried on the path that has it.
IN_PLACE, REWRITE = 5, 9


# -- exceptions raised by each step of the write ---------------------------------------------


class Fault:
    """Makes one os function fail on its n-th call while a write is in progress."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, name: str, error: BaseException, nth: int = 1) -> None:
        self.real = getattr(os, name)
        self.calls = 0
        self.nth = nth
        self.error = error
        self.name = name
        monkeypatch.setattr(os, name, self)

    def __call__(self, *args, **kwargs):
        self.calls += 1
        if self.calls == self.nth:
            if self.name == "write":  # a disk that fills up half way: some bytes land first
                fd, data = args
                self.real(fd, bytes(data[: max(1, len(data) // 2)]))
            raise self.error
        return self.real(*args, **kwargs)


FAULTS = [
    (REWRITE, "write", OSError(errno.ENOSPC, "No space left on device"), "disk full"),
    (REWRITE, "write", OSError(errno.EIO, "Input/output error"), "cannot write"),
    (REWRITE, "fsync", OSError(errno.EIO, "Input/output error"), "cannot write"),
    (REWRITE, "fchmod", PermissionError(errno.EPERM, "Operation not permitted"), "permission denied"),
    (REWRITE, "replace", OSError(errno.EIO, "Input/output error"), "cannot write"),
    (REWRITE, "replace", OSError(errno.EROFS, "Read-only file system"), "read-only file system"),
    (REWRITE, "replace", OSError(errno.EXDEV, "Invalid cross-device link"), "cannot write"),
    (IN_PLACE, "pwrite", OSError(errno.ENOSPC, "No space left on device"), "disk full"),
    (IN_PLACE, "pwrite", OSError(errno.EIO, "Input/output error"), "cannot write"),
    (IN_PLACE, "fsync", OSError(errno.EIO, "Input/output error"), "cannot write"),
]


@pytest.mark.parametrize(
    ("line", "name", "error", "words"), FAULTS, ids=[f"{'in-place' if l == IN_PLACE else 'rewrite'}-{n}-{e.errno}" for l, n, e, _ in FAULTS]
)
def test_a_failing_step_keeps_the_original_and_leaves_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, line: int, name: str, error: OSError, words: str
) -> None:
    path = write_doc(tmp_path)
    document, _ = load_document(path)
    task = document.task_at_line(line)
    assert task is not None
    fault = Fault(monkeypatch, name, error)
    with pytest.raises(EditError) as refused:
        set_done(document, task, True)
    monkeypatch.undo()
    assert fault.calls >= 1, f"os.{name} was never called: the fault was not injected"
    message = str(refused.value)
    assert_one_line(message)
    assert words in message and "not changed" in message, message
    assert path.read_bytes() == DOC
    assert temp_files(tmp_path) == []  # cleaned at once, not only at the next start
    # Nothing is stuck (the folder lock was released): the same edit now lands.
    set_done(document, task, True)
    assert path.read_bytes() == ticked(DOC, line)


@pytest.mark.parametrize("line", [IN_PLACE, REWRITE])
def test_ctrl_c_during_the_write_keeps_the_original(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, line: int) -> None:
    path = write_doc(tmp_path)
    document, _ = load_document(path)
    task = document.task_at_line(line)
    assert task is not None
    fault = Fault(monkeypatch, "fsync", KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):
        set_done(document, task, True)
    monkeypatch.undo()
    assert fault.calls == 1
    assert path.read_bytes() == DOC
    assert temp_files(tmp_path) == []


def test_a_failing_folder_fsync_after_the_rename_keeps_the_new_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After the rename the new file is in place; a folder fsync that fails changes nothing."""
    path = write_doc(tmp_path)
    document, _ = load_document(path)
    task = document.task_at_line(REWRITE)
    assert task is not None
    Fault(monkeypatch, "fsync", OSError(errno.EINVAL, "Invalid argument"), nth=2)
    set_done(document, task, True)
    monkeypatch.undo()
    assert path.read_bytes() == ticked(DOC, REWRITE)
    assert temp_files(tmp_path) == []


@pytest.mark.parametrize(("line", "step"), [(IN_PLACE, "pwrite"), (REWRITE, "replace")])
def test_the_workspace_shows_the_disk_after_a_failed_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, line: int, step: str
) -> None:
    path = write_doc(tmp_path)
    workspace = Workspace([tmp_path])
    workspace.load()
    document = workspace.document(path)
    assert document is not None
    task = document.task_at_line(line)
    assert task is not None
    Fault(monkeypatch, step, OSError(errno.EIO, "Input/output error"))
    with pytest.raises(EditError):
        workspace.set_done(document, task, True)
    monkeypatch.undo()
    assert workspace.history == []
    shown = workspace.document(path)
    assert shown is not None and shown.digest == parse_document(str(path), DOC).digest
    assert path.read_bytes() == DOC


# -- SIGKILL at each step --------------------------------------------------------------------


def _die_on(name: str, nth: int = 1) -> Callable[..., object]:
    real = getattr(os, name)
    calls = [0]

    def dying(*args, **kwargs):
        calls[0] += 1
        if calls[0] == nth:
            if name == "write":
                fd, data = args
                real(fd, bytes(data[: max(1, len(data) // 2)]))
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)

    return dying


def _fork_and_toggle(path: Path, patch: tuple[str, int] | None, line: int = REWRITE) -> int:
    """Fork a child that toggles ``line`` of ``path`` (dying inside ``os.<name>`` when asked)."""
    document, _ = load_document(path)  # parsed here, so the child needs no lazy imports
    task = document.task_at_line(line)
    assert task is not None
    pid = os.fork()
    if pid == 0:
        try:
            if patch is not None:
                setattr(os, patch[0], _die_on(*patch))
            toggle(document, task)
        finally:
            os._exit(0)
    return wait_child(pid)


KILL_POINTS = [
    (REWRITE, ("write", 1), "old"),  # half of the temp file written
    (REWRITE, ("fsync", 1), "old"),  # temp written, not yet flushed to disk
    (REWRITE, ("fchmod", 1), "old"),  # temp complete, permissions not yet restored
    (REWRITE, ("replace", 1), "old"),  # temp complete, just before the rename
    (REWRITE, ("fsync", 2), "new"),  # renamed, folder not yet fsynced
    (IN_PLACE, ("pwrite", 1), "old"),  # checked, nothing written yet
    (IN_PLACE, ("fsync", 1), "new"),  # the byte written, not yet flushed
]


@pytest.mark.parametrize(
    ("line", "patch", "expect"), KILL_POINTS, ids=[f"{'in-place' if l == IN_PLACE else 'rewrite'}-{p[0]}#{p[1]}" for l, p, _ in KILL_POINTS]
)
def test_sigkill_at_each_step_leaves_old_or_new_and_the_next_start_cleans_up(
    tmp_path: Path, line: int, patch: tuple[str, int], expect: str
) -> None:
    path = write_doc(tmp_path)
    mode = 0o640
    path.chmod(mode)
    status = _fork_and_toggle(path, patch, line)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, "the child was not killed mid-write"
    assert path.read_bytes() == (DOC if expect == "old" else ticked(DOC, line))
    workspace = Workspace([tmp_path])
    workspace.load()
    assert temp_files(tmp_path) == [], "the next start left a stale temp file"
    assert path.read_bytes() == (DOC if expect == "old" else ticked(DOC, line))
    assert (path.stat().st_mode & 0o777) == mode
    assert [p for p in tmp_path.iterdir()] == [path]  # nothing else left in the folder
    # and the next write works (the dead writer's lock is gone)
    document = workspace.document(path)
    assert document is not None
    task = document.task_at_line(5)
    assert task is not None
    workspace.toggle(document, task)


def test_the_next_planner_write_also_removes_a_dead_writers_temp_file(tmp_path: Path) -> None:
    """A `planner toggle` run (no workspace load) must not leave earlier debris behind either."""
    path = write_doc(tmp_path)
    status = _fork_and_toggle(path, ("replace", 1))
    assert os.WIFSIGNALED(status)
    assert len(temp_files(tmp_path)) == 1  # the dead writer's complete temp file
    document, _ = load_document(path)
    task = document.task_at_line(6)
    assert task is not None
    set_done(document, task, False)
    assert temp_files(tmp_path) == []


# -- SIGKILL at random moments, in a loop ----------------------------------------------------

KILL_ROUNDS = 40


def test_sigkill_at_random_moments_never_leaves_half_a_file(tmp_path: Path) -> None:
    """A child toggles a heading task (a rewrite) as fast as it can; it is SIGKILLed at a random
    moment, 40 times.

    After every kill the file is exactly the old or the new version; the next start removes
    any temp file. The file is ~1 MB so most kills land inside a write.
    """
    filler = b"".join(b"Line %d of a long note: " % i + b"words " * 170 + b"\n" for i in range(1000))
    original = DOC + b"\n" + filler
    path = write_doc(tmp_path, original)
    versions = {original, ticked(original, REWRITE)}
    rng = random.Random(20240611)
    left_behind = 0
    writes_seen = 0
    rounds = 0
    # At least KILL_ROUNDS kills, more (up to 4x) until one lands mid-write: on a loaded
    # machine the parse before each write is slower and kills land there more often.
    while rounds < KILL_ROUNDS or (left_behind == 0 and rounds < 4 * KILL_ROUNDS):
        rounds += 1
        start = path.read_bytes()
        document, _ = load_document(path)
        task = document.task_at_line(REWRITE)
        assert task is not None
        ready_r, ready_w = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                os.close(ready_r)
                os.write(ready_w, b"go")
                current = document
                while True:
                    _, current = toggle(current, current.task_at_line(REWRITE))  # type: ignore[arg-type]
            finally:
                os._exit(0)
        os.close(ready_w)
        assert read_pipe(ready_r, 2) == b"go"
        os.close(ready_r)
        time.sleep(rng.uniform(0.0, 0.3))  # a heading toggle of 1 MB: ~70 ms parse, then ~20 ms write
        os.kill(pid, signal.SIGKILL)
        status = wait_child(pid)
        assert os.WIFSIGNALED(status), "the toggling child stopped by itself (it raised?)"
        data = path.read_bytes()
        assert data in versions, "a kill left a file that is neither the old nor the new version"
        writes_seen += data != start
        left_behind += bool(temp_files(tmp_path))
        Workspace([tmp_path]).load()  # the next start
        assert temp_files(tmp_path) == []
        assert path.read_bytes() == data
    assert [p.name for p in tmp_path.iterdir()] == [path.name]
    # The loop must really have killed writers in the middle of a write at least once.
    assert left_behind >= 1, f"no kill landed mid-write in {rounds} rounds ({writes_seen} ended after a write)"


def _journaled_temp_in_child(folder: Path, stay: bool) -> tuple[int, Path, int | None]:
    """A child makes a journaled temp file in ``folder``; it then exits, or waits on a pipe (stay)."""
    from planner.writer.temps import create_temp  # noqa: PLC0415

    name_r, name_w = os.pipe()
    hold_r, hold_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            temp = create_temp(folder)
            os.write(temp.fd, b"partial")
            os.write(name_w, os.fsencode(temp.path) + b"\n")
            if stay:
                read_pipe(hold_r, 1, timeout=30)
        finally:
            os._exit(0)
    name = Path(os.fsdecode(read_pipe(name_r, 4096).strip()))
    if not stay:
        wait_child(pid)
        return pid, name, None
    return pid, name, hold_w


def test_stale_temp_files_are_removed_only_when_the_journal_proves_them_ours(tmp_path: Path) -> None:
    """Only a temp file journaled by a planner writer that is gone is removed; a live writer's
    is kept; one whose recorded process is not the one running under that pid now (a reused
    pid) is removed; files that merely look like temp files are never touched, however old."""
    from planner.writer import temps  # noqa: PLC0415

    write_doc(tmp_path)
    live = os.getppid()  # alive, and not us
    lookalikes = [
        tmp_path / f".planner-{live}-fresh.tmp",
        tmp_path / f".planner-{live}-old.tmp",
        tmp_path / ".planner-99999999-dead.tmp",
        tmp_path / ".planner-notes.tmp",
    ]
    for p in lookalikes:
        p.write_bytes(b"the user's")
    an_hour_ago = time.time() - 3600
    os.utime(lookalikes[1], (an_hour_ago, an_hour_ago))
    _, dead_temp, _ = _journaled_temp_in_child(tmp_path, stay=False)
    live_pid, live_temp, release = _journaled_temp_in_child(tmp_path, stay=True)
    reused_pid, reused_temp, release_reused = _journaled_temp_in_child(tmp_path, stay=True)
    try:
        # The entry of the third says its writer started at another time: its pid was reused.
        for entry in temps.journal_folder().iterdir():
            text = entry.read_text()
            if os.fsencode(reused_temp).hex() in text:
                tag, pid, start, rest = text.split(" ", 3)
                entry.write_text(f"{tag} {pid} {int(start) + 1} {rest}")
        removed = atomic.remove_stale_temp_files(tmp_path)
        names = {p.name for p in tmp_path.iterdir()}
        assert sorted(removed) == sorted([dead_temp, reused_temp])
        assert live_temp.name in names, "a live writer's temp file was removed"
        for p in lookalikes:
            assert p.name in names, f"{p.name}: a file planner did not make was removed"
            assert p.read_bytes() == b"the user's"
    finally:
        for pipe, pid in ((release, live_pid), (release_reused, reused_pid)):
            if pipe is not None:
                os.write(pipe, b"1")
                wait_child(pid)
    atomic.remove_stale_temp_files(tmp_path)  # the live writer is gone now
    assert temp_files(tmp_path) == sorted(p.name for p in lookalikes)
