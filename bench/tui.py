#!/usr/bin/env python3
"""How fast the planner TUI feels: first paint, fully loaded, and keypress-to-repaint.

    python bench/tui.py [--sizes 1000,10000] [--tasks 30000] [--keys 40] [--runs 7] [--keep DIR]
                        [--trees DIR] [--planner PATH] [--screens focus,options,…]

Runs the real ``planner`` in a pseudo-terminal (120×40), the way a person starts it,
and reads what it writes to the terminal:

* first paint: from spawning the process to the first frame that shows the screen tabs
  (the median of ``--runs`` starts; a cold start with an emptied cache, a warm one with
  the cache the cold start left);
* loaded: until the status line says how many files are loaded;
* keypress latency: from writing a key to the terminal until the app has finished
  writing the repaint it causes (the first burst of output, ended by 30 ms of quiet: the
  list with its new highlight, or the ticked box), median and p95 over ``--keys`` presses
  of ``j``/``k`` and of ``space`` (a tick: a checked byte patch, fsync and all), on every
  screen, with the first generated workspace of 30,000 tasks or more. The detail pane
  follows once keys rest (a 60 ms debounce): "+pane" is the median time until all output
  has come, the pane included. Each key is sent once the previous one's output has all
  come (0.3 s of quiet), so one key's deferred pane is never counted in the next key's figure.

Workspaces: ``sample_docs`` (5 files) and generated trees of ``--sizes`` files
(``bench/generate.py``; more files are added when none reaches ``--tasks``). Generated
trees are written to a temporary folder (or ``--trees DIR``, kept and reused) and deleted
afterwards. ``--planner`` measures another checkout's installed ``planner`` (its ``.venv``),
so that two versions can be run in turns on the same machine and trees.

Each figure is printed beside the target of the Scale issues (#16, #18) where there is one,
with ``ok`` or ``OVER``.
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
PLANNER = ROOT / ".venv" / "bin" / "planner"  # --planner replaces it
SCREENS = ("focus", "options", "queues", "documents", "agenda")
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

    def press(self, key: bytes, settle: float = 0.03, rest: float = 0.3) -> tuple[float, float]:
        """Seconds from writing ``key`` until (1) the repaint it caused has been written (the
        first burst of output, ended by ``settle`` seconds of quiet: the list, its highlight, a
        ticked box) and (2) everything it caused has (ended by ``rest`` seconds of quiet: also the
        detail pane, which the app renders once keys have rested for its debounce, 60 ms).

        The key is written once the previous one's output has all come (``rest`` seconds of
        quiet), so that one key's deferred work is never counted in the next key's figures."""
        self.quiet(rest)
        before = len(self.out)
        sent = time.perf_counter()
        os.write(self.fd, key)
        last = first = None
        deadline = sent + 5.0
        while time.perf_counter() < deadline:
            if self.read(settle if last else 5.0):
                last = time.perf_counter()
            elif last is not None:
                break
        if last is None or len(self.out) == before:
            raise TimeoutError(f"no repaint after {key!r}")
        first = last
        while time.perf_counter() < deadline and self.read(rest):
            last = time.perf_counter()
        return first - sent, last - sent

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
        loaded = term.wait_for(r"\d+ files ·", timeout=600)
        return painted, loaded
    finally:
        term.close()


def p95(values: list[float]) -> float:
    return sorted(values)[max(int(len(values) * 0.95) - 1, 0)]


def latency(folder: Path, config_dir: Path, keys: int, screen: str) -> dict[str, float]:
    cache = config_dir.parent / f"cache-{folder.name}"  # warm: report() loaded this folder before
    term = Terminal([str(folder), "--screen", screen, "--no-watch"], environment(config_dir, cache))
    try:
        term.wait_for(r"\d+ files ·", timeout=600)
        term.quiet(0.5, 10)
        moves: list[tuple[float, float]] = []
        for number in range(keys):
            moves.append(term.press(b"j" if (number // 10) % 2 == 0 else b"k"))
        # move to a task and tick/untick it (writes the file each time)
        ticks: list[tuple[float, float]] = []
        for _ in range(keys // 2):
            ticks.append(term.press(b" "))
        return {
            "move_median_ms": statistics.median(m[0] for m in moves) * 1000,
            "move_p95_ms": p95([m[0] for m in moves]) * 1000,
            "move_pane_median_ms": statistics.median(m[1] for m in moves) * 1000,
            "tick_median_ms": statistics.median(t[0] for t in ticks) * 1000,
            "tick_p95_ms": p95([t[0] for t in ticks]) * 1000,
            "tick_pane_median_ms": statistics.median(t[1] for t in ticks) * 1000,
        }
    finally:
        term.close()


KEEP_MARKER = ".planner-bench-tui"
# The targets of the Scale issues: (figure, workspace size or None for any) → seconds or ms.
LOADED_WARM = {1000: 0.6, 10000: 3.0}  # s, fully loaded from a warm cache
LOADED_COLD = {1000: 3.0}  # s, fully loaded from an empty cache (the first screen usable throughout)
TICK_MEDIAN_MS = 30.0  # tick → repaint, median, on every screen with 30,000+ tasks
MOVE_P95_MS = 16.0  # j/k → repaint, p95


def verdict(value: float, target: float | None) -> str:
    if target is None:
        return ""
    return f"≤ {target:g} {'ok' if value <= target else 'OVER'}"


def generate(out: Path, files: int) -> dict[str, object]:
    subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), str(out), "--files", str(files)], check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    manifest = out / ".planner-bench.json"
    return json.loads(manifest.read_text()) if manifest.exists() else {}


def count_tasks(folder: Path) -> int:
    cache = folder.parent / f"cache-count-{folder.name}"  # kept with the tree, never the user's cache
    result = subprocess.run([str(PLANNER), "tasks", str(folder), "--json"], check=True, capture_output=True,
                            text=True, env={**os.environ, "PLANNER_CACHE_DIR": str(cache)})  # fmt: skip
    return len(json.loads(result.stdout)["tasks"])


def tree(trees: Path, files: int) -> Path:
    folder = trees / f"gen-{files}"
    if not (folder / ".planner-bench.json").exists():
        generate(folder, files)
    return folder


def main() -> int:
    global PLANNER
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="generated trees, in files (comma-separated)")
    parser.add_argument("--files", type=int, default=None, help="one generated tree of this many files (as --sizes N)")
    parser.add_argument("--tasks", type=int, default=30000)
    parser.add_argument("--keys", type=int, default=40)
    parser.add_argument("--runs", type=int, default=7, help="starts on sample_docs, cold and warm each (median shown)")
    parser.add_argument("--tree-runs", type=int, default=3, help="starts on each generated tree, cold and warm each")
    parser.add_argument("--screens", default=",".join(SCREENS), help="the screens whose keypresses are timed")
    parser.add_argument("--keep", type=Path, default=None, help="work in (and keep) this folder")
    parser.add_argument("--trees", type=Path, default=None, help="generated trees in (and kept in) this folder")
    parser.add_argument("--planner", type=Path, default=None, help="the planner to measure (default: this checkout's .venv)")
    args = parser.parse_args()
    if args.planner is not None:
        PLANNER = args.planner.absolute()
    if not PLANNER.exists():
        sys.stderr.write(f"{PLANNER} is missing: install planner into .venv first\n")
        return 2
    checkout = PLANNER.parent.parent.parent
    if (checkout / "planner").is_dir():
        import compileall  # noqa: PLC0415

        compileall.compile_dir(str(checkout / "planner"), quiet=1)  # measure planner as installed, bytecode compiled
    else:
        compile_planner()
    sizes = [args.files] if args.files else [int(n) for n in args.sizes.split(",") if n.strip()]
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="planner-bench-tui-"))
    marker = work / KEEP_MARKER
    if work.exists() and any(work.iterdir()) and not marker.exists():
        # --keep DIR replaces folders inside DIR (sample_docs, cache-*): only in a folder it made.
        sys.stderr.write(f"{work} is not empty and was not made by bench/tui.py; give a new folder\n")
        return 2
    work.mkdir(parents=True, exist_ok=True)
    marker.write_text("made by planner's bench/tui.py --keep; its folders are replaced on each run\n")
    trees = args.trees.absolute() if args.trees else work
    trees.mkdir(parents=True, exist_ok=True)
    config = work / "config"
    print(f"planner: {PLANNER}")
    try:
        samples = work / "sample_docs"
        shutil.rmtree(samples, ignore_errors=True)
        shutil.copytree(ROOT / "sample_docs", samples)
        print(f"{'workspace (cache)':<42} {'first paint':>12} {'loaded':>10}  {'target':<12} (median of runs; best paint)")

        def report(label: str, folder: Path, runs: int, size: int | None = None) -> None:
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
                target = (LOADED_COLD if state == "cold" else LOADED_WARM).get(size) if size else None  # type: ignore[arg-type]
                print(f"{f'{label} ({state})':<42} {paint * 1000:>10.0f}ms {loaded * 1000:>8.0f}ms  "
                      f"{verdict(loaded, target):<12} ({runs} run{'s' if runs > 1 else ''}; best {best * 1000:.0f}ms)",
                      flush=True)  # fmt: skip

        report("sample_docs (5 files)", samples, args.runs)
        big: tuple[Path, int] | None = None
        for size in sizes:
            folder = tree(trees, size)
            tasks = count_tasks(folder)
            report(f"{size} generated files ({tasks} tasks)", folder, args.tree_runs, size)
            if big is None and tasks >= args.tasks:
                big = (folder, tasks)
        if big is None:  # no tree of --sizes is big enough: one that is
            files = int(sizes[0] * args.tasks / max(count_tasks(tree(trees, sizes[0])), 1)) + 1
            folder = tree(trees, files)
            big = (folder, count_tasks(folder))
            report(f"{files} generated files ({big[1]} tasks)", folder, 1)
        folder, tasks = big
        print(f"\nkeypress → repaint with {tasks} tasks loaded ({folder.name}, {args.keys} presses each)")
        print("(repaint: the list, its highlight or ticked box, written; +pane: until all output is done, the\n"
              " detail pane included, which renders after a 60 ms rest; each key sent once the last one's is)")
        print(f"{'screen':<12} {'j/k median':>11} {'p95':>8} {'target':<12} {'+pane':>7} "
              f"{'tick median':>12} {'p95':>8} {'target':<12} {'+pane':>7}")  # fmt: skip
        for screen in [s for s in args.screens.split(",") if s]:
            try:
                result = latency(folder, config, args.keys, screen)
            except TimeoutError as err:
                print(f"{screen:<12} {err}")
                continue
            print(
                f"{screen:<12} {result['move_median_ms']:>9.1f}ms {result['move_p95_ms']:>6.1f}ms"
                f" {verdict(result['move_p95_ms'], MOVE_P95_MS):<12} {result['move_pane_median_ms']:>5.0f}ms"
                f" {result['tick_median_ms']:>10.1f}ms {result['tick_p95_ms']:>6.1f}ms"
                f" {verdict(result['tick_median_ms'], TICK_MEDIAN_MS):<12} {result['tick_pane_median_ms']:>5.0f}ms",
                flush=True,
            )
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
