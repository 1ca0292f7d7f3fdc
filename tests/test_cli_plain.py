"""`planner tasks` to a pipe or a file: every task on one line, whole, tab-separated, streamed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

LONG = "a task whose text goes on well past eighty columns so that a table would have cut it short, " * 2


def run_tasks(folder: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "planner", "tasks", str(folder), *extra],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=dict(os.environ, COLUMNS="80"),
        timeout=60,
    )


def test_tasks_to_a_pipe_are_whole_tab_separated_lines(tmp_path: Path) -> None:
    (tmp_path / "plan.md").write_text(f"# Plan\n\n## Today\n\n- [ ] {LONG.strip()}\n- [x] short one P1\n- [/] half\n")
    result = run_tasks(tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines == [
        f"plan.md:5\t[ ]\t\t{LONG.strip()}\tPlan › Today",
        "plan.md:6\t[x]\tP1\tshort one P1\tPlan › Today",
        "plan.md:7\t[/]\t\thalf\tPlan › Today",
    ]
    assert result.stderr == ""


def test_tasks_to_a_pipe_show_control_characters_never_send_them(tmp_path: Path) -> None:
    (tmp_path / "plan.md").write_text("# Plan\n\n- [ ] set \x1b]52;c;cm0gLXJmIH4=\x07 clipboard\t\u202eevil\n")
    result = run_tasks(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout and "\u202e" not in result.stdout
    assert "␛]52;c;cm0gLXJmIH4=␇ clipboard" in result.stdout
    assert result.stdout.count("\t") == 4  # the tab in the text is no column


def test_open_to_a_pipe_leaves_out_done_work(tmp_path: Path) -> None:
    (tmp_path / "plan.md").write_text("# Plan\n\n- [ ] open\n- [x] done\n- [-] cancelled\n")
    result = run_tasks(tmp_path, "--open")
    assert [line.split("\t")[3] for line in result.stdout.splitlines()] == ["open"]
