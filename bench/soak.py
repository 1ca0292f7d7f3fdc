"""Soak: programs appending to and rewriting a file while planner toggles its tasks. Prints counts.

    python bench/soak.py [--case appenders|heading|editor-rename|editor-inplace|all]
                         [--appenders 2] [--appends 10000] [--toggles 1000] [--via cli|api]

Cases, each on a fresh file in a temporary folder (bounded: they end when the counts are done):

- ``appenders``: N processes each append numbered lines (``open(path, "ab")``, one line
  every 2 ms, like a logger or an autosave) while planner ticks and unticks a checkbox
  ``--toggles`` times (``planner toggle`` in a subprocess, or the writer API in this
  process). Ticks keep their length, so they are written in place. Target: 0 lines lost.
- ``heading``: the same appenders against a heading task ``⏸️`` ↔ ``✅``, whose length
  changes: every toggle is a rewrite (temp file + rename) that carries appended bytes over.
  Lines can only be lost in the window documented in ``write_replacements``.
- ``editor-rename`` / ``editor-inplace``: an editor-like program saves the file over and
  over (read, add a numbered line, write a temp file and rename it over / rewrite it in
  place) while planner toggles. An editor's save can drop a toggle planner made after the
  editor read (that is the editor's own race); planner must never drop an editor's line.
  These cases toggle through the writer API, flipping what is on disk each time:
  ``planner toggle`` given many targets flips from its own last view, so against an editor
  that drops its ticks most of its toggles would only be refused as "already done".

Prints, per case: lines appended (by an editor case: lines its saves added), lines lost,
lines duplicated, toggles landed, toggles refused (with the first refusal), whether the
file ends as its own toggles say, and whether it kept its inode. Exits 1 if the
``appenders`` case lost or doubled a line.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

DOC = (
    "# Sprint backlog\n"  # 1
    "\n"  # 2
    "## Today\n"  # 3
    "\n"  # 4
    "- [ ] Alpha writes the migration\n"  # 5
    "- [x] Beta reviews the parser\n"  # 6
    "\n"  # 7
    "### Task 1.1: Make the cache stateless (4-6 hours) \u23f8\ufe0f\n"  # 8
    "\n"  # 9
    "- [ ] Gamma under a heading task\n"  # 10
    "\n"  # 11
    "## Log\n"  # 12
    "\n"  # 13: appended lines form one paragraph from here, touching no task
).encode()
CHECKBOX_LINE, HEADING_LINE = 5, 8

APPENDER = r"""
import sys, time
path, who, count, interval, start = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
while time.time() < start:
    time.sleep(0.001)
for n in range(count):
    with open(path, "ab") as handle:
        handle.write(b"log %s %d\n" % (who.encode(), n))
    time.sleep(interval)
"""

EDITOR = r"""
import os, sys, time
path, count, interval, start, how = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
while time.time() < start:
    time.sleep(0.001)
for n in range(count):
    with open(path, "rb") as handle:
        data = handle.read()
    time.sleep(interval / 2)  # the user types
    data += b"edit %d\n" % n
    if how == "rename":
        temp = path + ".swp"
        with open(temp, "wb") as handle:
            handle.write(data)
        os.replace(temp, path)
    else:
        with open(path, "r+b") as handle:
            handle.truncate(0)
            handle.write(data)
    time.sleep(interval / 2)
"""


@dataclass
class Result:
    case: str
    appended: int = 0
    lost: int = 0
    duplicated: int = 0
    landed: int = 0
    refused: int = 0
    refusals: list[str] = field(default_factory=list)
    consistent: bool | None = None  # the task ends as its landed toggles say (None: not checkable)
    inode_kept: bool | None = None
    seconds: float = 0.0

    def line(self) -> str:
        first = f"  first refusal: {self.refusals[0]}" if self.refusals else ""
        return (
            f"{self.case:15} appended {self.appended:6}  lost {self.lost:3}  duplicated {self.duplicated:3}  "
            f"toggles landed {self.landed:5}  refused {self.refused:4}  "
            f"final state {self._state()}  inode {'kept' if self.inode_kept else 'replaced'}  ({self.seconds:.1f} s){first}"
        )

    def _state(self) -> str:
        return {None: "n/a (an editor may drop toggles)", True: "as toggled", False: "NOT as toggled"}[self.consistent]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def _spawn(code: str, *args: object) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", code, *map(str, args)], env=_env())


def toggle_api(path: Path, line: int, count: int, pace: float) -> tuple[int, list[str]]:
    """Toggle the task on ``line`` ``count`` times through the writer API; (landed, refusals).

    Each toggle flips the task as planner last saw it (as ``planner toggle`` does); after a
    refusal the file is read again."""
    from planner.workspace.loader import load_document  # noqa: PLC0415
    from planner.writer.edit import EditError, toggle  # noqa: PLC0415

    document, _ = load_document(path)
    landed, refusals = 0, []
    for _ in range(count):
        task = document.task_at_line(line)
        try:
            if task is None:  # an editor caught half way through its save in place
                raise EditError(f"{path}:{line}: no task on this line")
            _, document = toggle(document, task)
            landed += 1
        except EditError as err:
            refusals.append(str(err))
            document, _ = load_document(path)
        if pace:
            time.sleep(pace)
    return landed, refusals


def toggle_cli(path: Path, line: int, count: int) -> tuple[int, list[str]]:
    """``planner toggle PATH:LINE`` ×count in one process; (landed, refusals)."""
    run = subprocess.run(
        [sys.executable, "-m", "planner", "toggle", *[f"{path}:{line}"] * count],
        capture_output=True,
        env=_env(),
        cwd=ROOT,
        timeout=max(120, count),
        check=False,
    )
    out, err = run.stdout.decode(), run.stderr.decode()
    landed = sum(1 for text in out.splitlines() if text.split(" ", 1)[0] in ("ticked", "unticked"))
    return landed, [text for text in err.splitlines() if text.strip()]


def _count(data: bytes, pattern: bytes, expected: set[bytes]) -> tuple[int, int]:
    seen = Counter(re.findall(pattern, data, re.MULTILINE))
    lost = len(expected - set(seen))
    duplicated = sum(n - 1 for n in seen.values() if n > 1)
    return lost, duplicated


def _task_done(path: Path, line: int) -> bool:
    from planner.model.parser import parse_document  # noqa: PLC0415

    task = parse_document(str(path), path.read_bytes()).task_at_line(line)
    return bool(task is not None and task.done)


def run_appenders(
    folder: Path, case: str, appenders: int, appends: int, toggles: int, via: str, interval: float = 0.002
) -> Result:
    """N appenders against ``toggles`` toggles of a checkbox (``appenders``) or a heading (``heading``)."""
    path = folder / f"{case}.md"
    path.write_bytes(DOC)
    line = HEADING_LINE if case == "heading" else CHECKBOX_LINE
    was_done = _task_done(path, line)
    inode = path.stat().st_ino
    per = appends // appenders
    start_at = time.time() + 0.5
    began = time.monotonic()
    procs = [_spawn(APPENDER, path, chr(ord("A") + i), per, interval, start_at) for i in range(appenders)]
    while time.time() < start_at:
        time.sleep(0.001)
    if via == "cli":
        landed, refusals = toggle_cli(path, line, toggles)
    else:
        landed, refusals = toggle_api(path, line, toggles, pace=per * interval / max(toggles, 1))
    for proc in procs:
        proc.wait(timeout=600)
    data = path.read_bytes()
    expected = {b"log %s %d" % (chr(ord("A") + i).encode(), n) for i in range(appenders) for n in range(per)}
    lost, duplicated = _count(data, rb"^log [A-Z] \d+$", expected)
    result = Result(case, per * appenders, lost, duplicated, landed, len(refusals), refusals)
    result.consistent = _task_done(path, line) == (was_done ^ bool(landed % 2))
    result.inode_kept = path.stat().st_ino == inode
    result.seconds = time.monotonic() - began
    return result


def run_editor(folder: Path, how: str, saves: int, toggles: int, interval: float = 0.004) -> Result:
    """An editor-like program saving ``saves`` times (rename or in place) against ``toggles`` toggles."""
    path = folder / f"editor-{how}.md"
    path.write_bytes(DOC)
    inode = path.stat().st_ino
    start_at = time.time() + 0.5
    began = time.monotonic()
    editor = _spawn(EDITOR, path, saves, interval, start_at, how)
    while time.time() < start_at:
        time.sleep(0.001)
    landed, refusals = toggle_api(path, CHECKBOX_LINE, toggles, pace=saves * interval / max(toggles, 1))
    editor.wait(timeout=600)
    data = path.read_bytes()
    lost, duplicated = _count(data, rb"^edit \d+$", {b"edit %d" % n for n in range(saves)})
    result = Result(f"editor-{how}", saves, lost, duplicated, landed, len(refusals), refusals)
    result.inode_kept = path.stat().st_ino == inode
    result.seconds = time.monotonic() - began
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--case", default="all", choices=["appenders", "heading", "editor-rename", "editor-inplace", "all"])
    parser.add_argument("--appenders", type=int, default=2)
    parser.add_argument("--appends", type=int, default=10_000, help="lines appended in all, per case")
    parser.add_argument("--toggles", type=int, default=1_000)
    parser.add_argument("--saves", type=int, default=1_000, help="editor saves, per editor case")
    parser.add_argument("--via", default="cli", choices=["cli", "api"], help="how the appender cases toggle")
    args = parser.parse_args()
    cases = ["appenders", "heading", "editor-rename", "editor-inplace"] if args.case == "all" else [args.case]
    failed = False
    with tempfile.TemporaryDirectory(prefix="planner-soak-") as scratch:
        for case in cases:
            if case.startswith("editor-"):
                result = run_editor(Path(scratch), case.split("-", 1)[1], args.saves, args.toggles)
            else:
                result = run_appenders(Path(scratch), case, args.appenders, args.appends, args.toggles, args.via)
            print(result.line(), flush=True)
            failed |= case == "appenders" and (result.lost > 0 or result.duplicated > 0)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
