"""The terminal after planner (issue 13, items 11 and 16), in a real terminal (tmux).

SIGTERM and SIGHUP end the app as ``q`` does: the alternate screen is left, mouse
tracking is off, the cursor is shown, and the shell's next line appears. A crash exits
non-zero (with the terminal restored too). Skipped where tmux is not installed.
"""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.test_tui_tmux import Tmux

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

DONE_MARK = "PLANNER-EXITED"


def run_in_tmux(tmp_path: Path, program: list[str], size: tuple[int, int] = (120, 40)) -> tuple[Tmux, Path, Path]:
    """Start ``program`` in a tmux pane that stays after it ends; its pid and status go to files."""
    pid_file, status = tmp_path / "pid", tmp_path / "status"
    env = {
        "PLANNER_CONFIG_DIR": str(tmp_path / "config"),
        "PLANNER_CACHE_DIR": str(tmp_path / "cache"),
        "TERM": "xterm-256color",
    }
    assignments = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    inner = f"echo $$ > {shlex.quote(str(pid_file))}; exec env -u COLUMNS -u LINES {assignments} {shlex.join(program)}"
    command = f"sh -c {shlex.quote(inner)}; echo $? > {shlex.quote(str(status))}; echo {DONE_MARK}; sleep 60"
    tmux = Tmux(f"planner-term-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    started = tmux.run("new-session", "-d", "-s", tmux.name, "-x", str(size[0]), "-y", str(size[1]), command)
    assert started.returncode == 0, started.stderr
    return tmux, pid_file, status


def wait_file(path: Path, timeout: float = 30.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.read_text().strip():
            return path.read_text().strip()
        time.sleep(0.05)
    raise AssertionError(f"{path} was not written")


def terminal_state(tmux: Tmux) -> dict[str, str]:
    names = ("alternate_on", "mouse_any_flag", "mouse_button_flag", "mouse_standard_flag", "cursor_flag")
    values = tmux.run("display", "-p", "-t", tmux.name, " ".join(f"#{{{n}}}" for n in names)).stdout.split()
    return dict(zip(names, values, strict=True))


def planner_program(docs: Path) -> list[str]:
    script = Path(sys.executable).with_name("planner")
    return [str(script), str(docs)] if script.exists() else [sys.executable, "-m", "planner", str(docs)]


def assert_restored(tmux: Tmux) -> None:
    screen = tmux.wait_for(DONE_MARK, timeout=15)
    state = terminal_state(tmux)
    assert state == {**state, "alternate_on": "0", "mouse_any_flag": "0", "mouse_button_flag": "0", "cursor_flag": "1"}, (
        state,
        screen,
    )
    assert "Daily Focus" not in screen  # the shell's screen, not the app's


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_quits_and_restores_the_terminal(docs: Path, tmp_path: Path, signum: signal.Signals) -> None:
    tmux, pid_file, status = run_in_tmux(tmp_path, planner_program(docs))
    try:
        tmux.wait_for("5 files ·")
        state = terminal_state(tmux)
        assert state["alternate_on"] == "1" and state["mouse_any_flag"] == "1"  # the app had them on
        os.kill(int(wait_file(pid_file)), signum)
        assert wait_file(status, timeout=15) == str(128 + signum)
        assert_restored(tmux)
    finally:
        tmux.run("kill-session", "-t", tmux.name)


def test_a_crash_exits_non_zero_with_the_terminal_restored(docs: Path, tmp_path: Path) -> None:
    crash = (
        "import sys; import planner.tui.app as a\n"
        "def boom(self): raise RuntimeError('boom [/] in a message')\n"
        "a.PlannerApp.on_workspace_loaded = boom\n"
        "from planner.cli.main import main; sys.exit(main(sys.argv[1:]))\n"
    )
    tmux, _, status = run_in_tmux(tmp_path, [sys.executable, "-c", crash, str(docs)])
    try:
        assert wait_file(status, timeout=60) == "1"
        assert_restored(tmux)
        tmux.wait_for("RuntimeError")  # the traceback is shown, after the app's screen is gone
    finally:
        tmux.run("kill-session", "-t", tmux.name)


def test_q_during_a_cold_load_exits_cleanly(tmp_path: Path) -> None:
    """``q`` while files are still loading: status 0 and the terminal restored (the app ends
    without waiting for the load, through os._exit; bench/quit_during_load.py times it)."""
    import subprocess  # noqa: PLC0415

    docs = tmp_path / "big"
    generate = Path(__file__).resolve().parent.parent / "bench" / "generate.py"
    subprocess.run([sys.executable, str(generate), "--files", "3000", str(docs)], check=True, capture_output=True)
    tmux, _, status = run_in_tmux(tmp_path, planner_program(docs))
    try:
        tmux.wait_for("loading", timeout=60)
        tmux.keys("q")
        assert wait_file(status, timeout=60) == "0"
        assert_restored(tmux)
    finally:
        tmux.run("kill-session", "-t", tmux.name)
