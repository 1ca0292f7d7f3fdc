"""What every command prints to a pipe or a file shows control characters as symbols, as
at a terminal: a pipe often ends at one (``| tee``, ``| less -R``, a log later ``cat``-ed).
JSON keeps the exact text (escaped)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.test_reliability_display import FORBIDDEN, OSC0, OSC52

NAME = f"plan{OSC0}.md"


def planner(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "planner", *args], cwd=cwd, capture_output=True, text=True, timeout=120, errors="surrogateescape"
    )


def test_toggle_to_a_pipe_shows_the_file_name_and_the_task_safely(tmp_path: Path) -> None:
    (tmp_path / NAME).write_text(f"# Plan\n\n- [ ] pay {OSC52} now\n### Heading {OSC0} ⏸️\n", encoding="utf-8")
    for target in (f"{NAME}:3", f"{NAME}:3", f"{NAME}:4", f"{NAME}:4"):
        shown = planner("toggle", target, cwd=tmp_path)
        assert shown.returncode == 0, shown.stderr
        assert not {c for c in shown.stdout + shown.stderr if c in FORBIDDEN}, shown.stdout
        assert "plan␛]0;pwned␇.md" in shown.stdout
    assert (tmp_path / NAME).read_text(encoding="utf-8") == f"# Plan\n\n- [ ] pay {OSC52} now\n### Heading {OSC0} ⏸️\n"
    exact = planner("tasks", ".", "--json", cwd=tmp_path)
    assert f"pay {OSC52} now" in {task["text"] for task in json.loads(exact.stdout)["tasks"]}


def test_options_choose_to_a_pipe_shows_the_titles_safely(tmp_path: Path) -> None:
    text = f"# Next steps\n\n## Decision: which {OSC0} way\n\n- [ ] Option A: fast {OSC52}\n- [ ] Option B: slow\n"
    (tmp_path / NAME).write_text(text, encoding="utf-8")
    for _ in range(2):  # chosen, then already chosen
        shown = planner("options", "--choose", f"{NAME}:5", cwd=tmp_path)
        assert shown.returncode == 0, shown.stderr
        assert not {c for c in shown.stdout + shown.stderr if c in FORBIDDEN}, shown.stdout
        assert "plan␛]0;pwned␇.md" in shown.stdout and "␛]52;c;" in shown.stdout
    assert (tmp_path / NAME).read_text(encoding="utf-8") == text.replace("- [ ] Option A", "- [x] Option A")
