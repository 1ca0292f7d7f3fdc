"""The toggle journal (planner.writer.journal): the main thread keeps its connection open, so a
record costs no open and no fsync — and still survives a kill, follows its file when the file is
removed or replaced, is read by other processes, and the oldest records still go."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from planner.writer import journal


@pytest.fixture
def state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "state"
    monkeypatch.setenv("PLANNER_STATE_DIR", str(folder))
    return folder


def in_child(state: Path, code: str) -> int:
    """Run ``code`` in another Python process with this state folder; its exit status."""
    env = {**os.environ, "PLANNER_STATE_DIR": str(state)}
    return subprocess.run([sys.executable, "-c", code], env=env, check=False).returncode


def test_a_record_is_read_back_and_the_connection_is_kept(state: Path) -> None:
    journal.remember("/a.md", 3, b"- [x] a", b"- [*] a")
    first = journal._connect(create=False)  # noqa: SLF001
    assert journal.recall("/a.md", 3, b"- [x] a") == b"- [*] a"
    assert journal._connect(create=False) is first  # noqa: SLF001 - the same connection, not a new one


def test_a_record_made_before_a_kill_is_there_for_the_next_process(state: Path) -> None:
    code = (
        "import os\nfrom planner.writer import journal\n"
        "journal.remember('/k.md', 7, b'- [x] k', b'- [X] k')\n"
        "os._exit(9)  # killed: no close, no checkpoint\n"
    )
    assert in_child(state, code) == 9
    assert journal.recall("/k.md", 7, b"- [x] k") == b"- [X] k"


def test_a_removed_or_replaced_journal_is_never_written_through_the_old_connection(state: Path) -> None:
    journal.remember("/r.md", 1, b"- [x] r", b"- [*] r")
    for name in os.listdir(state):
        os.remove(state / name)  # the user (or a cleaner) removed the journal
    assert journal.recall("/r.md", 1, b"- [x] r") is None
    journal.remember("/r.md", 2, b"- [x] s", b"- [*] s")
    assert (state / journal.FILE_NAME).is_file()
    with sqlite3.connect(state / journal.FILE_NAME) as other:  # another process sees it
        rows = other.execute("SELECT line, before FROM toggles").fetchall()
    other.close()
    assert rows == [(2, b"- [*] s")]


def test_another_thread_uses_a_connection_of_its_own(state: Path) -> None:
    journal.remember("/t.md", 1, b"- [x] t", b"- [*] t")
    found: list[object] = []
    thread = threading.Thread(target=lambda: found.append(journal.recall("/t.md", 1, b"- [x] t")))
    thread.start()
    thread.join()
    assert found == [b"- [*] t"]  # no "SQLite objects created in a thread" error swallowed into None


def test_the_oldest_records_still_go(state: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(journal, "KEEP_ROWS", 20)
    for number in range(200):
        journal.remember("/p.md", number, b"- [x] %d" % number, b"- [ ] %d" % number)
    with sqlite3.connect(state / journal.FILE_NAME) as other:
        count, newest = other.execute("SELECT count(*), max(line) FROM toggles").fetchone()
    other.close()
    assert 20 <= count <= 20 + journal.PRUNE_EVERY
    assert newest == 199
    assert journal.recall("/p.md", 199, b"- [x] 199") == b"- [ ] 199"


def test_one_connection_is_kept_at_most(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A process that works in many state folders (a test run) never piles up open files."""
    for number in range(30):
        monkeypatch.setenv("PLANNER_STATE_DIR", str(tmp_path / f"state-{number}"))
        journal.remember("/m.md", 1, b"- [x] m", b"- [*] m")
    assert len(journal._held) == 1  # noqa: SLF001
    assert journal.recall("/m.md", 1, b"- [x] m") == b"- [*] m"


def test_another_process_records_after_the_database_alone_was_removed(state: Path) -> None:
    """Removing toggles.sqlite3 while a TUI holds it open never stops other processes recording."""
    journal.remember("/w.md", 1, b"- [x] w", b"- [*] w")
    (state / journal.FILE_NAME).unlink()
    code = (
        "from planner.writer import journal\n"
        "journal.remember('/w.md', 2, b'- [x] v', b'- [*] v')\n"
        "assert journal.recall('/w.md', 2, b'- [x] v') == b'- [*] v'\n"
    )
    assert in_child(state, code) == 0
    assert journal.recall("/w.md", 2, b"- [x] v") == b"- [*] v"  # this process follows the new file
    assert sorted(os.listdir(state)) == [journal.FILE_NAME]  # no write-ahead files left beside it


def test_a_damaged_journal_is_made_afresh(state: Path) -> None:
    state.mkdir(parents=True)
    (state / journal.FILE_NAME).write_bytes(b"not a database, a power cut's leftovers " * 200)
    assert journal.recall("/d.md", 1, b"- [x] d") is None  # reading never removes anything
    journal.remember("/d.md", 1, b"- [x] d", b"- [*] d")
    assert journal.recall("/d.md", 1, b"- [x] d") == b"- [*] d"
    (kept,) = state.glob(f"{journal.FILE_NAME}.damaged-*")  # put aside, never deleted
    assert kept.read_bytes() == b"not a database, a power cut's leftovers " * 200


def test_a_record_from_an_older_version_of_the_line_never_picks_the_letter(state: Path, tmp_path: Path) -> None:
    """Found by the toggle property test: an untick the file's convention could reverse was not
    recorded, so a tick back read an older record of the same line text (from when the file used
    another letter) and wrote its letter, not the one the user had."""
    from planner.workspace.workspace import Workspace  # noqa: PLC0415

    path = tmp_path / "plan.md"

    def toggle_twice(data: bytes, line: int) -> bytes:
        path.write_bytes(data)
        workspace = Workspace([path])
        workspace.load()
        for _ in range(2):
            document = workspace.document(path)
            assert document is not None
            workspace.toggle(document, document.task_at_line(line))
        return path.read_bytes()

    older = b"- [ ] a\n- [x] b\n"  # untick b: recorded (no other box says which letter)
    assert toggle_twice(older, 2) == older
    newer = b"- [X] a\n- [X] b\n"  # the user's file now ticks with X, b's line text unticked is the same
    assert toggle_twice(newer, 2) == newer
