"""Concurrency: several planner processes toggling tasks of the same file at the same time.

Every toggle lands or is refused, and none is lost to another process's write. A lost
write cannot hide: each process only touches its own task, so if another process ever
wrote over one of its toggles, its next toggle would find the task already in the
state it asks for and be refused ("already done/open"), or the final file would be off.
The folder lock must really serialise writers: a held lock makes another writer wait.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers.reliability import ROOT, planner_cmd, read_pipe, subprocess_env, temp_files, wait_child

from planner.workspace.loader import load_document
from planner.writer.atomic import folder_lock
from planner.writer.edit import set_done

DOC = (
    "# Sprint 12 backlog\n"  # 1
    "\n"  # 2
    "## Today\n"  # 3
    "\n"  # 4
    "- [ ] Alpha writes the migration\n"  # 5
    "- [ ] Beta reviews the parser\n"  # 6
    "- [x] Gamma ships the notes\n"  # 7
    "\n"  # 8
    "### Task 1.1: Make MemoryManager stateless (4-6 hours) \u23f8\ufe0f\n"  # 9
    "\n"  # 10
    "- [ ] Delta under a heading task\n"  # 11
    "- [ ] Epsilon under a heading task\r\n"  # 12
).encode()

TOGGLES = 500  # per process, in the two-process CLI test
DRIVER_TOGGLES = 200  # per process, in the three-process workspace test


def flip(data: bytes, line: int) -> bytes:
    document = load_document_bytes(data)
    task = document.task_at_line(line)
    assert task is not None
    if task.kind == "heading":
        return data.replace("\u23f8\ufe0f".encode(), "\u2705".encode()) if not task.done else data.replace(
            "\u2705".encode(), "\u23f8\ufe0f".encode()
        )
    return data[: task.offset + 1] + (b" " if task.done else b"x") + data[task.offset + 2 :]


def load_document_bytes(data: bytes):  # noqa: ANN201
    from planner.model.parser import parse_document  # noqa: PLC0415

    return parse_document("/x.md", data)


def test_two_cli_processes_toggling_500_times_each_lose_nothing(tmp_path: Path) -> None:
    """`planner toggle FILE:LINE` ×500 in two processes at once (one through a symlink)."""
    folder = tmp_path / "repo"
    folder.mkdir()
    path = folder / "backlog.md"
    path.write_bytes(DOC)
    link = tmp_path / "link.md"
    link.symlink_to(path)
    env = subprocess_env()
    alpha = subprocess.Popen(
        planner_cmd("toggle", *[f"{path}:5"] * TOGGLES), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT
    )
    beta = subprocess.Popen(
        planner_cmd("toggle", *[f"{link}:6"] * TOGGLES), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT
    )
    results = []
    for process in (alpha, beta):
        out, err = process.communicate(timeout=120)
        results.append((process.returncode, out.decode(), err.decode()))
    for code, out, err in results:
        assert err == "", f"refused or lost toggles:\n{err[:2000]}"
        assert code == 0
        verbs = [line.split()[0] for line in out.splitlines()]
        assert verbs == ["ticked", "unticked"] * (TOGGLES // 2)
    # 500 toggles each: both tasks are back where they started, and so is every other byte.
    assert path.read_bytes() == DOC
    assert link.is_symlink()
    assert temp_files(folder) == []


def test_three_workspace_processes_with_undo_lose_nothing(tmp_path: Path) -> None:
    """Three processes, each with its own Workspace: two checkboxes under a heading task and the
    heading task itself; 200 toggles each, every 10th undone and redone."""
    path = tmp_path / "backlog.md"
    path.write_bytes(DOC)
    driver = Path(__file__).parent / "helpers" / "toggle_driver.py"
    start_at = time.time() + 1.5
    lines = (11, 12, 9)
    processes = [
        subprocess.Popen(
            [sys.executable, str(driver), str(path), str(line), str(DRIVER_TOGGLES), str(start_at), "10"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=subprocess_env(),
            cwd=ROOT,
        )
        for line in lines
    ]
    reports = []
    for process in processes:
        out, err = process.communicate(timeout=180)
        assert process.returncode == 0, err.decode()[-2000:]
        reports.append(json.loads(out))
    expected = DOC
    for line, report in zip(lines, reports, strict=True):
        assert report["refused"] == [], report["refused"][:5]
        assert report["undone"] == DRIVER_TOGGLES // 10
        net = report["landed"] - report["undone"]
        assert report["landed"] == DRIVER_TOGGLES + DRIVER_TOGGLES // 10
        if net % 2:
            expected = flip(expected, line)
    assert path.read_bytes() == expected
    assert temp_files(tmp_path) == []


def test_the_folder_lock_makes_a_second_writer_wait(tmp_path: Path) -> None:
    """While one process holds the folder lock, another process's toggle cannot land."""
    path = tmp_path / "backlog.md"
    path.write_bytes(DOC)
    document, _ = load_document(path)
    task = document.task_at_line(5)
    assert task is not None
    held_r, held_w = os.pipe()
    release_r, release_w = os.pipe()
    holder = os.fork()
    if holder == 0:
        try:
            with folder_lock(path):
                os.write(held_w, b"1")
                select.select([release_r], [], [], 30)  # released by the parent (or gives up)
                time.sleep(0.05)
                # Still holding the lock: the other writer must not have written.
                os._exit(0 if path.read_bytes() == DOC else 3)
        finally:
            os._exit(4)
    writer = None
    try:
        assert read_pipe(held_r, 1) == b"1"
        writer = os.fork()
        if writer == 0:
            try:
                set_done(document, task, True)
                os._exit(0)
            finally:
                os._exit(5)
        time.sleep(0.3)
        assert path.read_bytes() == DOC, "a writer wrote while another process held the folder lock"
        assert os.waitpid(writer, os.WNOHANG) == (0, 0), "the writer finished while the lock was held"
    finally:
        os.write(release_w, b"1")
        holder_status = wait_child(holder)
        writer_status = wait_child(writer) if writer else 0
    assert os.WEXITSTATUS(holder_status) == 0, "the file changed while the lock was held"
    assert os.WEXITSTATUS(writer_status) == 0
    assert path.read_bytes() == flip(DOC, 5)


@pytest.mark.parametrize("via", ["same path", "symlink", "hard-coded relative path"])
def test_every_path_to_a_file_takes_the_same_lock(tmp_path: Path, via: str, monkeypatch) -> None:  # noqa: ANN001
    folder = tmp_path / "repo"
    folder.mkdir()
    path = folder / "backlog.md"
    path.write_bytes(DOC)
    if via == "symlink":
        other = tmp_path / "elsewhere" / "link.md"
        other.parent.mkdir()
        other.symlink_to(path)
    elif via == "hard-coded relative path":
        monkeypatch.chdir(tmp_path)
        other = Path("repo/../repo/backlog.md")
    else:
        other = path
    held_r, held_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            with folder_lock(path):
                os.write(held_w, b"1")
                time.sleep(0.4)
        finally:
            os._exit(0)
    assert read_pipe(held_r, 1) == b"1"
    started = time.monotonic()
    with folder_lock(other):
        waited = time.monotonic() - started
    wait_child(pid)
    assert waited > 0.2, f"the lock taken through {via!r} did not wait for the holder"
