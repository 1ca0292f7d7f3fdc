"""The real ``planner`` in a real terminal (tmux): start it, tick a box, quit, look at the file.

Skipped where tmux is not installed (.ci/run installs it, so CI runs this).
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

DAILY = "kato/DAILY_BACKLOG.md"


class Tmux:
    def __init__(self, name: str) -> None:
        self.name = name

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["tmux", *args], capture_output=True, text=True, check=False)

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.name).stdout

    def keys(self, *keys: str) -> None:
        self.run("send-keys", "-t", self.name, *keys)

    def wait_for(self, *texts: str, timeout: float = 30.0) -> str:
        """The screen once it shows every one of ``texts``. Textual paints a widget that needs
        no new layout (the status line) a frame before the widgets that do (a rebuilt table),
        so one text alone can be on screen ~50 ms before the rest of the same update."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if all(text in screen for text in texts):
                return screen
            time.sleep(0.1)
        missing = [text for text in texts if text not in screen]
        raise AssertionError(f"{missing!r} did not appear; the screen was:\n{screen}")


def planner_command(docs: Path, tmp_path: Path) -> str:
    script = Path(sys.executable).with_name("planner")
    program = [str(script)] if script.exists() else [sys.executable, "-m", "planner"]
    env = {
        "PLANNER_CONFIG_DIR": str(tmp_path / "config"),
        "PLANNER_CACHE_DIR": str(tmp_path / "cache"),
        "TERM": "xterm-256color",
        "EDITOR": "true",
    }
    assignments = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    status = tmp_path / "exit-status"
    # COLUMNS/LINES (set by some test runners) would override the real terminal size.
    command = shlex.join([*program, str(docs)])
    return f"env -u COLUMNS -u LINES {assignments} {command}; echo $? > {shlex.quote(str(status))}"


def test_start_tick_quit_changes_the_file(docs: Path, tmp_path: Path) -> None:
    before = (docs / DAILY).read_bytes()
    others = {p: p.read_bytes() for p in docs.rglob("*.md") if p != docs / DAILY}
    tmux = Tmux(f"planner-test-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    started = tmux.run("new-session", "-d", "-s", tmux.name, "-x", "120", "-y", "40", planner_command(docs, tmp_path))
    assert started.returncode == 0, started.stderr
    try:
        screen = tmux.wait_for("5 files ·", "Stateless Processor Refactor", "Task 1.1: Make MemoryManager Stateless")
        size = tmux.run("display", "-p", "-t", tmux.name, "#{window_width}x#{window_height}").stdout.strip()
        assert size == "120x40", size
        assert "Daily Focus" in screen and "Stateless Processor Refactor" in screen
        assert "[ ]  P0  Task 1.1: Make MemoryManager Stateless" in screen
        tmux.keys("space")
        screen = tmux.wait_for("ticked kato/DAILY_BACKLOG.md:30", "[x]  P0  Task 1.1", "87/177 tasks done")
        assert "[x]  P0  Task 1.1" in screen
        assert "87/177 tasks done" in screen  # the whole UI follows
        tmux.keys("4")  # the Documents screen shows it too
        screen = tmux.wait_for("Today's Tasks", "[x] Task 1.1: Make MemoryManager Stateless")
        assert "[x] Task 1.1: Make MemoryManager Stateless" in screen
        tmux.keys("q")
        status = tmp_path / "exit-status"
        deadline = time.monotonic() + 15
        while not status.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert status.exists(), tmux.screen()
        assert status.read_text().strip() == "0"
    finally:
        tmux.run("kill-session", "-t", tmux.name)
    after = (docs / DAILY).read_bytes()
    expected = before.replace(
        "### Task 1.1: Make MemoryManager Stateless (4-6 hours) ‚è∏Ô∏è".encode(),
        "### Task 1.1: Make MemoryManager Stateless (4-6 hours) ‚úÖ".encode(),
        1,
    )
    assert expected != before
    assert after == expected  # that marker and nothing else
    assert all(path.read_bytes() == data for path, data in others.items())
