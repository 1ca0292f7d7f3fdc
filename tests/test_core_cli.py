"""The command line: `planner tasks` and `planner toggle` as a script would use them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def planner(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "planner", *args], cwd=cwd or ROOT, capture_output=True, text=True, timeout=120
    )


def test_tasks_json_follows_the_v1_contract(sample_docs: Path) -> None:
    result = planner("tasks", str(sample_docs), "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["schema"] == "planner/1"
    tasks = payload["tasks"]
    assert len(tasks) == 177
    for task in tasks:
        assert {"file", "line", "text", "state", "kind", "section", "priority"} <= task.keys()
        assert task["state"] in ("open", "done") and task["kind"] in ("checkbox", "heading")
        assert task["priority"] in (None, "P0", "P1", "P2", "P3")
        assert not task["file"].startswith("/")
    first_daily = next(t for t in tasks if t["file"] == "kato/DAILY_BACKLOG.md")
    assert first_daily == {
        **first_daily,
        "line": 30,
        "text": "Task 1.1: Make MemoryManager Stateless (4-6 hours)",
        "state": "open",
        "kind": "heading",
        "priority": "P0",
        "section": ["DAILY_BACKLOG.md - Today's Priorities", "Today's Tasks (Phase 1.1 - 1.5)"],
    }
    p1 = next(t for t in tasks if t["file"] == "dsa110-contimg/WORK_ROADMAP.md" and t["line"] == 85)
    assert p1["priority"] == "P1" and p1["section"][-2:] == ["🟠 P1: High Priority (Next 2 Weeks)", "2. Narrow Remaining Exception Handlers"]


def test_toggle_ticks_and_unticks_several_targets(docs: Path) -> None:
    roadmap = docs / "dsa110-contimg" / "WORK_ROADMAP.md"
    daily = docs / "kato" / "DAILY_BACKLOG.md"
    before_roadmap, before_daily = roadmap.read_bytes(), daily.read_bytes()
    result = planner("toggle", "dsa110-contimg/WORK_ROADMAP.md:32", "kato/DAILY_BACKLOG.md:30", cwd=docs)
    assert result.returncode == 0, result.stderr
    assert roadmap.read_bytes() == before_roadmap.replace(b"- [ ] Schedule team decision", b"- [x] Schedule team decision")
    assert daily.read_bytes() != before_daily
    result = planner("toggle", "dsa110-contimg/WORK_ROADMAP.md:32", "kato/DAILY_BACKLOG.md:30", cwd=docs)
    assert result.returncode == 0, result.stderr
    assert (roadmap.read_bytes(), daily.read_bytes()) == (before_roadmap, before_daily)


def test_toggle_errors_are_one_line_and_change_nothing(docs: Path, tmp_path: Path) -> None:
    binary = tmp_path / "blob.md"
    binary.write_bytes(b"\x00\x01\x02- [ ] x")
    snapshot = {p: p.read_bytes() for p in docs.rglob("*.md")}
    cases = {
        "kato/DAILY_BACKLOG.md:3": "no task on this line",
        "missing.md:1": "missing.md: no such file",  # never read in this run: not "gone" (issue 13)
        "kato/DAILY_BACKLOG.md": "expected FILE:LINE",
        f"{binary}:1": "binary file",
    }
    for target, reason in cases.items():
        result = planner("toggle", target, cwd=docs)
        assert result.returncode != 0
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and reason in lines[0], result.stderr
    assert snapshot == {p: p.read_bytes() for p in docs.rglob("*.md")}


def test_missing_path_is_a_clear_error() -> None:
    result = planner("tasks", "no/such/folder", "--json")
    assert result.returncode == 2
    assert result.stderr.strip() == "planner: no/such/folder: no such file or folder"


def test_long_loads_report_progress_and_clear_it(monkeypatch, capsys) -> None:
    from planner.cli.commands import LoadProgress

    clock = iter([0.0, 0.2, 0.7, 0.75, 0.9, 1.0])
    monkeypatch.setattr("planner.cli.commands.time.monotonic", lambda: next(clock))
    progress = LoadProgress()  # started at 0.0
    progress(10, 100)  # 0.2 s: too early to bother anyone
    progress(50, 100)  # 0.7 s: shown
    progress(55, 100)  # 0.75 s: too soon after the last update
    progress(90, 100)  # 0.9 s: shown
    progress(100, 100)  # done: the line is cleared
    assert capsys.readouterr().err == (
        "\rplanner: loading 50/100 files\rplanner: loading 90/100 files\r\033[K"
    )


def _run_with_stdout_encoding(encoding: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    import os

    env = dict(os.environ, PYTHONIOENCODING=encoding, PLANNER_NO_CACHE="1")
    return subprocess.run([sys.executable, "-m", "planner", *args], cwd=ROOT, capture_output=True, env=env, timeout=120)


def test_a_file_that_is_not_utf8_never_crashes_the_output(tmp_path: Path) -> None:
    """A UTF-8 locale's stdout refuses lone surrogates ("strict", unlike the C locale's).
    Display text shows bytes that were not UTF-8 as U+FFFD (as a UTF-8 terminal would);
    the raw text in JSON keeps them, written back as the bytes they were."""
    (tmp_path / "plan.md").write_bytes(b"# Today's Focus\n\n## caf\xe9 work\n\n- [ ] caf\xe9 task\n- [x] done \xe2\x9c\x85\n")
    for command in (["tasks"], ["tasks", "--json"], ["focus"], ["focus", "--json"], ["queues", "--json"]):
        result = _run_with_stdout_encoding("utf-8:strict", *command, str(tmp_path))
        assert result.returncode == 0, (command, result.stderr.decode(errors="replace"))
        assert b"Traceback" not in result.stderr
        assert b"not valid UTF-8" in result.stderr
        if command[0] in ("tasks", "focus"):
            assert "caf\ufffd task".encode() in result.stdout, command
    output = _run_with_stdout_encoding("utf-8:strict", "tasks", "--json", str(tmp_path)).stdout
    tasks = json.loads(output.decode("utf-8", "surrogateescape"))["tasks"]
    assert [t["text"] for t in tasks] == ["caf\ufffd task", "done \u2705"]
    assert [t["raw"] for t in tasks] == ["caf\udce9 task", "done \u2705"]  # the file's own byte
    assert [t["section"] for t in tasks] == [["Today's Focus", "caf\ufffd work"]] * 2


def test_json_on_a_stdout_that_is_not_utf8_is_escaped_and_exact(sample_docs: Path, tmp_path: Path) -> None:
    """Under an ASCII or latin-1 locale, JSON is written with \\u escapes: the same value,
    emoji (surrogate pairs) and bytes that were not UTF-8 included."""
    (tmp_path / "plan.md").write_bytes(b"# Plan\n\n- [ ] caf\xe9 \xf0\x9f\x94\xb4 task\n")
    for folder in (sample_docs, tmp_path):
        for command in ("tasks", "focus", "queues", "options"):
            reference = _run_with_stdout_encoding("utf-8", command, str(folder), "--json")
            expected = json.loads(reference.stdout.decode("utf-8", "surrogateescape"))
            for encoding in ("ascii", "latin-1"):
                result = _run_with_stdout_encoding(encoding, command, str(folder), "--json")
                assert result.returncode == 0, (command, encoding, result.stderr.decode(errors="replace"))
                assert result.stdout.isascii(), (command, encoding)
                assert json.loads(result.stdout) == expected, (command, encoding)
    text = _run_with_stdout_encoding("ascii", "focus", str(sample_docs))
    assert text.returncode == 0 and b"Traceback" not in text.stderr
