"""Text from files and file names never drives the terminal (issue 13, item 9).

A task, a heading, a file name or a folder name may hold escape sequences (OSC 52 sets the
clipboard, OSC 0 the window title, ``ESC [2J`` clears the screen, DCS, OSC 8 links), the
8-bit C1 CSI (U+009B) and bidi overrides (U+202E). Everything planner shows a person is
made safe (:func:`planner.safe_text.terminal_safe`); ``--json`` keeps the exact text.
"""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

OSC52 = "\x1b]52;c;cm0gLXJmIH4=\x07"  # base64 of "rm -rf ~"
OSC0 = "\x1b]0;pwned\x07"
CLEAR = "\x1b[2J"
DCS = "\x1bP1$qm\x1b\\"
OSC8 = "\x1b]8;;file:///etc/passwd\x1b\\link\x1b]8;;\x1b\\"
C1_CSI = "\x9b31m"
RLO = "\u202e"
HOSTILE = [OSC52, OSC0, CLEAR, DCS, OSC8, C1_CSI, RLO, "\u2066", "\u200f", "\u061c"]
# What a terminal would obey: ESC, BEL, C1 controls, bidi controls (CR/LF aside).
FORBIDDEN = {chr(c) for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)} | {chr(c) for c in range(0x7F, 0xA0)}
FORBIDDEN |= {"\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f", "\u061c"}


def leaks(text: str) -> list[str]:
    return sorted({repr(c) for c in text if c in FORBIDDEN})


def hostile_tree(root: Path) -> Path:
    """Every hostile string in task text, headings, a file name and a folder name."""
    root.mkdir()
    body = "".join(f"- [ ] P0 task {index} {seq} end\n" for index, seq in enumerate(HOSTILE))
    daily = f"# Daily plan {OSC0}\n\n**Last updated:** 2026-01-05\n\n## Today {RLO} tasks\n\n{body}\n## Completed\n\n- [x] done {OSC52}\n"
    (root / f"DAILY{OSC0}.md").write_text(daily, encoding="utf-8")
    folder = root / f"dir{CLEAR}{RLO}"
    folder.mkdir()
    (folder / f"ROADMAP{C1_CSI}.md").write_text(
        f"# Roadmap {DCS}\n\n## P0: Critical {OSC8}\n\n### Item {C1_CSI} one\n\n- [ ] step {OSC52}\n- [x] step two {CLEAR}\n"
        "\n## Sprint options\n\n### Option A: fast {RLO}\n\n- feature {OSC0}\n\n### Option B: slow\n\n- feature two\n",
        encoding="utf-8",
    )
    (root / f"bad{OSC52}.md").write_bytes(b"- [ ] caf\xe9 \x9b\n")  # not UTF-8: a warning names it
    return root


def planner(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "planner", *args], cwd=cwd, capture_output=True, text=True, timeout=120, errors="surrogateescape"
    )


def test_terminal_safe_is_one_documented_scheme() -> None:
    from planner.safe_text import terminal_safe  # noqa: PLC0415 - the other tests run on any version

    text = f"a{OSC52}b\tc{C1_CSI}{RLO}\n\udce9\x7f"
    safe = terminal_safe(text)
    assert len(safe) == len(text)  # one for one: styled spans keep their place
    assert safe == "a␛]52;c;cm0gLXJmIH4=␇b\tc�31m�␊�␡"
    assert terminal_safe("line\nnext", lines=True) == "line\nnext"
    assert terminal_safe("plain ✅ text") == "plain ✅ text"
    assert not leaks(safe)


@pytest.mark.parametrize("command", ["tasks", "focus", "queues", "options"])
def test_tables_and_warnings_show_escapes_and_json_keeps_them(tmp_path: Path, command: str) -> None:
    root = hostile_tree(tmp_path / "plans")
    shown = planner(command, ".", cwd=root)
    assert shown.returncode == 0, shown.stderr
    assert not leaks(shown.stdout), shown.stdout
    assert not leaks(shown.stderr), shown.stderr
    assert "not valid UTF-8" in shown.stderr and "bad␛]52;c;" in shown.stderr  # the file is still named
    assert "␛]52;c;cm0gLXJmIH4=" in shown.stdout or "␛]0;pwned" in shown.stdout or command == "options"
    exact = planner(command, ".", "--json", cwd=root)
    assert exact.returncode == 0, exact.stderr
    assert "\x1b" not in exact.stdout  # JSON escapes its control characters …
    payload = json.loads(exact.stdout)
    flat = json.dumps(payload, ensure_ascii=False)
    if command == "tasks":  # … and keeps the exact text
        texts = {task["text"] for task in payload["tasks"]}
        assert f"P0 task 0 {OSC52} end" in texts and f"P0 task 5 {C1_CSI} end" in texts
        assert any(task["file"] == f"dir{CLEAR}{RLO}/ROADMAP{C1_CSI}.md" for task in payload["tasks"])
    else:
        assert "\\u001b" in flat or "\x1b" in flat or RLO in flat


def run_in_pty(args: list[str], cwd: Path) -> str:
    """Run planner with stdout and stderr on a terminal; what the terminal received."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "planner", *args], cwd=cwd, stdin=subprocess.DEVNULL, stdout=follower, stderr=follower
    )
    os.close(follower)
    chunks: list[bytes] = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


def strip_planner_styles(text: str) -> str:
    """Remove rich's own SGR sequences (ESC [ digits;… m) and carriage returns, keep the rest."""
    import re  # noqa: PLC0415

    return re.sub(r"\x1b\[[0-9;]*m", "", text).replace("\r", "")


def test_plain_output_at_a_terminal_is_safe(tmp_path: Path) -> None:
    """``toggle`` prints the task's text and file name; ``--json`` at a terminal escapes C1
    and bidi controls too (the same JSON value)."""
    root = hostile_tree(tmp_path / "plans")
    name = f"dir{CLEAR}{RLO}/ROADMAP{C1_CSI}.md"
    line = next(n for n, text in enumerate((root / name).read_text().splitlines(), 1) if text.startswith("- [ ] step"))
    received = strip_planner_styles(run_in_pty(["toggle", f"{name}:{line}"], root))
    assert "ticked" in received and not leaks(received), repr(received)
    assert (root / name).read_text().count("- [x] step") == 2
    received = strip_planner_styles(run_in_pty(["tasks", ".", "--json"], root))
    assert not leaks(received), repr(received)
    assert "\\u009b31m" in received and "\\u202e" in received
    received = strip_planner_styles(run_in_pty(["tasks", "."], root))
    assert not leaks(received), repr(received)


def test_a_missing_path_is_named_safely(tmp_path: Path) -> None:
    """``planner NAME`` (the TUI) and ``planner tasks NAME`` with a name that does not exist:
    the message names it, with its escape sequences shown."""
    for args in ([f"gone{OSC52}{RLO}.md"], ["tasks", f"gone{OSC52}{RLO}.md"]):
        result = planner(*args, cwd=tmp_path)
        assert result.returncode == 2, result
        assert "gone␛]52;c;cm0gLXJmIH4=␇�.md: no such file or folder" in result.stderr
        assert not leaks(result.stderr)
