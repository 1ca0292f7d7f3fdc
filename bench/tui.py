#!/usr/bin/env python3
"""How fast the planner TUI feels: first paint, fully loaded, and keypress-to-repaint.

    python bench/tui.py [--files 1000] [--tasks 30000] [--keys 40] [--runs 7] [--keep DIR]

Runs the real ``planner`` in a pseudo-terminal (120×40), the way a person starts it,
and reads what it writes to the terminal:

* first paint: from spawning the process to the first frame that shows the screen tabs
  (on sample_docs the median of ``--runs`` starts, each cold start with an emptied cache);
* loaded: until the status line says how many files are loaded;
* keypress latency: from writing a key to the terminal until the app has finished
  writing the repaint it causes (the output goes quiet), median and p95 over ``--keys``
  presses of ``j``/``k`` and of ``space`` (a tick: a checked byte patch, fsync and all).

Workspaces: ``sample_docs`` (5 files), 1,000 generated files (``bench/generate.py``) and a
generated workspace with about 30,000 tasks (more files when needed). Generated trees
are written to a temporary folder (or ``--keep DIR``) and deleted afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import pty
import re
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import fcntl
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _bytecode import compile_planner  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PLANNER = ROOT / ".venv" / "bin" / "planner"
COLUMNS, LINES = 120, 40
_ANSI = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[PX^_].*?\x1b\\|\x1b[@-Z\\-_]")


def plain(data: bytes) -> str:
    return _ANSI.sub(b"", data).decode("utf-8", "replace")


class Terminal:
    """A planner process on a pseudo-terminal; everything it writes is kept in ``self.out``."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        pid, fd = pty.fork()
        if pid == 0:  # child
            os.execve(str(PLANNER), [str(PLANNER), *args], env)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
        self.out = bytearray()
        self.started = time.perf_counter()

    def read(self, timeout: float) -> int:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return 0
        try:
            chunk = os.read(self.fd, 1 << 16)
        except OSError:
            return 0
        self.out += chunk
        return len(chunk)

    def wait_for(self, pattern: str, timeout: float = 60.0, since: int = 0) -> float:
        """Seconds since start until ``pattern`` (plain text, or regex) shows in the output."""
        rx = re.compile(pattern)
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if rx.search(plain(bytes(self.out[since:]))):
                return time.perf_counter() - self.started
            self.read(0.01)
        raise TimeoutError(f"{pattern!r} did not appear within {timeout}s")

    def quiet(self, gap: float = 0.15, limit: float = 5.0) -> None:
        """Read until nothing has been written for ``gap`` seconds."""
        deadline = time.perf_counter() + limit
        while time.perf_counter() < deadline and self.read(gap):
            pass

    def press(self, key: bytes, settle: float = 0.03) -> float:
        """Seconds from writing ``key`` until the repaint it caused has been written."""
        self.quiet(0.05)
        before = len(self.out)
        sent = time.perf_counter()
        os.write(self.fd, key)
        last = None
        deadline = sent + 5.0
        while time.perf_counter() < deadline:
            if self.read(settle if last else 5.0):
                last = time.perf_counter()
            elif last is not None:
                break
        if last is None or len(self.out) == before:
            raise TimeoutError(f"no repaint after {key!r}")
        return last - sent

    def close(self) -> None:
        try:
            os.write(self.fd, b"q")
            deadline = time.perf_counter() + 5
            while time.perf_counter() < deadline:
                finished, _ = os.waitpid(self.pid, os.WNOHANG)
                if finished:
                    break
                self.read(0.05)
            else:
                os.kill(self.pid, signal.SIGTERM)
                os.waitpid(self.pid, 0)
        finally:
            os.close(self.fd)


def environment(config_dir: Path, cache_dir: Path | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        TERM="xterm-256color",
        PLANNER_CONFIG_DIR=str(config_dir),
        PLANNER_CACHE_DIR=str(cache_dir or config_dir.parent / "cache"),  # cold on the first start, warm after
    )
    for name in ("TEXTUAL", "COLUMNS", "LINES"):
        env.pop(name, None)
    return env


def first_paint(folder: Path, config_dir: Path, screen: str = "focus", cache_dir: Path | None = None) -> tuple[float, float]:
    term = Terminal([str(folder), "--screen", screen, "--no-watch"], environment(config_dir, cache_dir))
    try:
        painted = term.wait_for(r"Daily Focus")
        loaded = term.wait_for(r"\d+ files ·", timeout=300)
        return painted, loaded
    finally:
        term.close()


def latency(folder: Path, config_dir: Path, keys: int, screen: str) -> dict[str, float]:
    cache = config_dir.parent / f"cache-{folder.name}"  # warm: report() loaded this folder before
    term = Terminal([str(folder), "--screen", screen, "--no-watch"], environment(config_dir, cache))
    try:
        term.wait_for(r"\d+ files ·", timeout=300)
        term.quiet(0.5, 10)
        moves: list[float] = []
        for number in range(keys):
            moves.append(term.press(b"j" if (number // 10) % 2 == 0 else b"k"))
        # move to a task and tick/untick it (writes the file each time)
        ticks: list[float] = []
        for _ in range(keys // 2):
            ticks.append(term.press(b" "))
        return {
            "move_median_ms": statistics.median(moves) * 1000,
            "move_p95_ms": sorted(moves)[int(len(moves) * 0.95) - 1] * 1000,
            "tick_median_ms": statistics.median(ticks) * 1000,
            "tick_p95_ms": sorted(ticks)[max(int(len(ticks) * 0.95) - 1, 0)] * 1000,
        }
    finally:
        term.close()


KEEP_MARKER = ".planner-bench-tui"


def generate(out: Path, files: int) -> dict[str, object]:
    subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), str(out), "--files", str(files)], check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    manifest = out / ".planner-bench.json"
    return json.loads(manifest.read_text()) if manifest.exists() else {}


def count_tasks(folder: Path) -> int:
    result = subprocess.run([str(ROOT / ".venv" / "bin" / "planner"), "tasks", str(folder), "--json"],
                            check=True, capture_output=True, text=True)  # fmt: skip
    return len(json.loads(result.stdout)["tasks"])


def main() -> int:
    compile_planner()  # measure planner as installed, bytecode compiled
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--tasks", type=int, default=30000)
    parser.add_argument("--keys", type=int, default=40)
    parser.add_argument("--runs", type=int, default=7, help="starts on sample_docs, cold and warm each (median shown)")
    parser.add_argument("--keep", type=Path, default=None, help="generate into (and keep) this folder")
    args = parser.parse_args()
    if not PLANNER.exists():
        sys.stderr.write(f"{PLANNER} is missing: install planner into .venv first\n")
        return 2
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="planner-bench-tui-"))
    marker = work / KEEP_MARKER
    if work.exists() and any(work.iterdir()) and not marker.exists():
        # --keep DIR replaces folders inside DIR (sample_docs, cache-*): only in a folder it made.
        sys.stderr.write(f"{work} is not empty and was not made by bench/tui.py; give a new folder\n")
        return 2
    work.mkdir(parents=True, exist_ok=True)
    marker.write_text("made by planner's bench/tui.py --keep; its folders are replaced on each run\n")
    config = work / "config"
    try:
        samples = work / "sample_docs"
        shutil.rmtree(samples, ignore_errors=True)
        shutil.copytree(ROOT / "sample_docs", samples)
        print(f"{'workspace (cache)':<42} {'first paint':>12} {'loaded':>10}  (median of runs; best paint)")

        def report(label: str, folder: Path, runs: int = 1) -> None:
            cache = work / f"cache-{folder.name}"
            for state in ("cold", "warm"):
                results = []
                for _ in range(runs):
                    if state == "cold":
                        shutil.rmtree(cache, ignore_errors=True)
                    results.append(first_paint(folder, config, cache_dir=cache))
                paint = statistics.median(r[0] for r in results)
                loaded = statistics.median(r[1] for r in results)
                best = min(r[0] for r in results)
                print(f"{f'{label} ({state})':<42} {paint * 1000:>10.0f}ms {loaded * 1000:>8.0f}ms"
                      f"  ({runs} run{'s' if runs > 1 else ''}; best {best * 1000:.0f}ms)")  # fmt: skip

        report("sample_docs (5 files)", samples, args.runs)
        thousand = work / f"gen-{args.files}"
        if not (thousand / ".planner-bench.json").exists():
            generate(thousand, args.files)
        tasks = count_tasks(thousand)
        report(f"{args.files} generated files ({tasks} tasks)", thousand)

        big = thousand
        if tasks < args.tasks:
            files = int(args.files * args.tasks / max(tasks, 1)) + 1
            big = work / f"gen-{files}"
            if not (big / ".planner-bench.json").exists():
                generate(big, files)
            tasks = count_tasks(big)
            report(f"{files} generated files ({tasks} tasks)", big)

        print(f"\nkeypress → repaint with {tasks} tasks loaded ({args.keys} presses each)")
        print(f"{'screen':<12} {'j/k median':>11} {'p95':>8} {'tick median':>12} {'p95':>8}")
        for screen in ("focus", "options", "queues", "documents"):
            try:
                result = latency(big, config, args.keys, screen)
            except TimeoutError as err:
                print(f"{screen:<12} {err}")
                continue
            print(
                f"{screen:<12} {result['move_median_ms']:>9.1f}ms {result['move_p95_ms']:>6.1f}ms"
                f" {result['tick_median_ms']:>10.1f}ms {result['tick_p95_ms']:>6.1f}ms"
            )
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
