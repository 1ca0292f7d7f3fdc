#!/usr/bin/env python3
"""How fast `planner focus` is on sample_docs: the whole process, and the view alone.

    python bench/focus.py [--runs 15] [--json] [PATH]

Whole process: `python -m planner focus PATH` (rich output to a pipe), wall-clock time
from spawn to exit, median and best of ``--runs`` runs (target: ≤ 0.4 s). In process:
load the workspace, then `daily_focus` over its documents (target: well under the
whole-process figure). Prints the figures; this is a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _bytecode import compile_planner  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
TARGET_PROCESS = 0.4


def child_env(bytecode: bool) -> dict[str, str]:
    """The environment of a timed run. With ``bytecode`` Python may write and reuse .pyc files,
    as an installed planner does; without it every module is compiled from source each time."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if not bytecode:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="planner-bench-nopyc-")  # no cached .pyc to find
    return env


def whole_process(path: str, runs: int, json_output: bool, bytecode: bool = True) -> list[float]:
    command = [sys.executable, "-m", "planner", "focus", path] + (["--json"] if json_output else [])
    env = child_env(bytecode)
    subprocess.run(command, cwd=REPO, env=env, capture_output=True, check=True)  # warm-up (writes .pyc)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    return times


def in_process(path: str, runs: int) -> tuple[float, float, float]:
    sys.path.insert(0, str(REPO))
    start = time.perf_counter()
    from planner.views.focus import daily_focus  # noqa: PLC0415
    from planner.workspace.workspace import Workspace  # noqa: PLC0415

    imports = time.perf_counter() - start
    loads, views = [], []
    for _ in range(runs):
        start = time.perf_counter()
        workspace = Workspace([str(REPO / path)])
        workspace.load()
        loads.append(time.perf_counter() - start)
        start = time.perf_counter()
        daily_focus(list(workspace.documents.values()))
        views.append(time.perf_counter() - start)
    # The first view call reads and outlines the daily document; later ones hit the cache.
    return imports, statistics.median(loads), views[0]


def main() -> int:
    compile_planner()  # measure planner as installed, bytecode compiled
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default="sample_docs")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--json", action="store_true", help="time `planner focus --json` instead of rich output")
    args = parser.parse_args()
    times = whole_process(args.path, args.runs, args.json)
    median, best = statistics.median(times), min(times)
    cold = whole_process(args.path, max(3, args.runs // 3), args.json, bytecode=False)
    imports, load, view = in_process(args.path, 5)
    mode = "--json" if args.json else "rich"
    load_average = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"planner focus {args.path} ({mode}), whole process, {args.runs} runs (load average {load_average:.1f}):")
    print(f"  median {median:.3f} s   best {best:.3f} s   target ≤ {TARGET_PROCESS:.1f} s"
          f"   {'OK' if median <= TARGET_PROCESS else 'OVER'}")
    print(f"  without .pyc files (PYTHONDONTWRITEBYTECODE, every module compiled): median {statistics.median(cold):.3f} s")
    print("in process:")
    print(f"  imports {imports * 1000:.0f} ms   load {load * 1000:.0f} ms   daily_focus {view * 1000:.1f} ms (first call)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
