#!/usr/bin/env python3
"""Views at scale: warm and cold `tasks --json`, `focus`, `queues --json`, `options --json`.

    python bench/views.py [--sizes 1000,10000] [--repeat 5] [--cold-repeat 1]
                          [--compare LABEL=PYTHON ...] [--today 2026-12-02]

For each size N it generates (or reuses) a tree with bench/generate.py under bench/out/
(as bench/run.py does), then, interleaved (one run of every command and every planner in
turn, repeated), measures each command's wall time and peak memory (planner's own VmHWM,
or the summed PSS of its process tree when it starts workers: bench/run.py's sampler):

  cold : with an empty PLANNER_CACHE_DIR (one fresh folder per run)
  warm : again, with the cache a cold run of the same command left behind

and prints medians beside the targets of issue 18 (warm focus/queues/options ≤ 0.3 s and
≤ 100 MB at 1,000 files, ≤ 2 s and ≤ 300 MB at 10,000). ``--compare base=/path/python``
adds another planner (an interpreter whose ``-m planner`` is another checkout) to the
same interleaved runs: before/after figures from one run on one machine. The floor is
ripgrep counting checkboxes when ``rg`` is installed; the peer is Taskwarrior's
``task list`` over the same tasks (imported once into a scratch data folder) when ``task``
is installed. Each is said to be missing when it is.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))
import run  # noqa: E402  (sibling script: its tree making and memory sampler)
from _bytecode import compile_planner  # noqa: E402

COMMANDS = (("tasks --json", ["tasks", "--json"]), ("focus", ["focus"]), ("queues --json", ["queues", "--json"]),
            ("options --json", ["options", "--json"]))
# files -> (warm seconds, peak MB) for the views (focus, queues, options): issue 18.
TARGETS = {1000: (0.3, 100), 10000: (2.0, 300)}


def measure(cmd: list[str], env: dict[str, str], timeout: float, cwd: Path) -> tuple[float, float, str | None]:
    """(seconds, peak MB, error) of one whole process, memory sampled as bench/run.py does.
    ``cwd`` is a folder without a ``planner`` package: ``python -m planner`` run from a
    checkout would import that checkout's, whatever the interpreter."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, cwd=cwd, env=env)
        stop, peak = threading.Event(), {"pss": 0, "rss": 0}
        sampler = threading.Thread(target=run._tree_memory_sampler, args=(proc.pid, stop, peak), daemon=True)
        sampler.start()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        finally:
            elapsed = time.perf_counter() - start
            stop.set()
        sampler.join()
        rss = max(peak.get("hwm", 0), peak["pss"]) / 2**20
        problem = None
        if proc.returncode != 0:
            err.seek(0)
            lines = err.read().decode("utf-8", "replace").strip().splitlines()
            problem = f"exit {proc.returncode}: {(lines[-1] if lines else '')[:160]}"
        return elapsed, rss, problem


def rg_floor(root: Path) -> float | None:
    rg = shutil.which("rg")
    if rg is None:
        return None
    times = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run([rg, "-c", r"\[[ xX]\]", "-g", "*.md", str(root)], stdout=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return min(times)


def taskwarrior_list(root: Path, python: str, env: dict[str, str], repeat: int) -> float | None:
    """Median seconds of `task list` over the tree's tasks (imported once), or None without Taskwarrior."""
    task = shutil.which("task")
    if task is None:
        return None
    data = Path(tempfile.mkdtemp(prefix="planner-bench-task-"))
    try:
        command = [python, "-m", "planner", "tasks", str(root), "--json"]
        out = subprocess.run(command, capture_output=True, env=env, check=True, cwd=data)
        tasks = json.loads(out.stdout)["tasks"]
        rows = [{"description": t.get("text") or t.get("title") or "task", "status": "completed" if t.get("state") == "done" else "pending"}
                for t in tasks]
        (data / "import.json").write_text(json.dumps(rows), encoding="utf-8")
        tw_env = dict(os.environ, TASKDATA=str(data), TASKRC=str(data / "taskrc"))
        (data / "taskrc").write_text(f"data.location={data}\nconfirmation=off\nverbose=nothing\n", encoding="utf-8")
        subprocess.run([task, "import", str(data / "import.json")], env=tw_env, capture_output=True, check=False)
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            subprocess.run([task, "list"], env=tw_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            times.append(time.perf_counter() - start)
        return statistics.median(times)
    finally:
        shutil.rmtree(data, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--size-kb", type=float, default=12)
    ap.add_argument("--out", type=Path, default=BENCH_DIR / "out")
    ap.add_argument("--repeat", type=int, default=5, help="warm runs per command and planner (median shown)")
    ap.add_argument("--cold-repeat", type=int, default=1, help="cold runs per command and planner")
    ap.add_argument("--compare", action="append", default=[], metavar="LABEL=PYTHON",
                    help="another planner to run interleaved (its interpreter)")
    ap.add_argument("--today", default="2026-12-02", help="the --today every view runs with")
    ap.add_argument("--timeout", type=float, default=900)
    args = ap.parse_args(argv)
    compile_planner()
    planners = [("this", sys.executable)] + [tuple(c.split("=", 1)) for c in args.compare]  # type: ignore[misc]
    scratch = Path(tempfile.mkdtemp(prefix="planner-bench-views-"))
    try:
        for n in [int(s) for s in args.sizes.split(",") if s]:
            root, _, made = run.ensure_tree(args.out, n, args.seed, args.size_kb)
            if made is not None:
                print(f"# generated {root} in {made:.1f}s", flush=True)
            report(n, root, planners, args, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


def report(n: int, root: Path, planners: list[tuple[str, str]], args: argparse.Namespace, scratch: Path) -> None:
    base_env = {k: v for k, v in os.environ.items() if k not in ("PLANNER_TODAY", "PLANNER_NO_CACHE")}
    cold: dict[tuple[str, str], list[tuple[float, float]]] = {}
    warm: dict[tuple[str, str], list[tuple[float, float]]] = {}
    errors: list[str] = []
    caches: dict[tuple[str, str], Path] = {}

    def one(label: str, python: str, name: str, argv: list[str], cache: Path) -> tuple[float, float]:
        env = dict(base_env, PLANNER_CACHE_DIR=str(cache), XDG_CACHE_HOME=str(cache / "xdg"))
        command = [python, "-m", "planner", *argv, str(root), "--today", args.today]
        seconds, mb, problem = measure(command, env, args.timeout, scratch)
        if problem:
            errors.append(f"{label} {name}: {problem}")
        return seconds, mb

    for repetition in range(args.cold_repeat):
        for name, argv in COMMANDS:
            for label, python in planners:
                cache = scratch / f"{label}-{n}-{name.split()[0]}-{repetition}"
                shutil.rmtree(cache, ignore_errors=True)
                cold.setdefault((label, name), []).append(one(label, python, name, argv, cache))
                caches[(label, name)] = cache
    for _ in range(args.repeat):
        for name, argv in COMMANDS:
            for label, python in planners:
                warm.setdefault((label, name), []).append(one(label, python, name, argv, caches[(label, name)]))
    floor = rg_floor(root)
    peer = taskwarrior_list(root, sys.executable, base_env, args.repeat)
    warm_limit, mb_limit = TARGETS.get(n, (None, None))
    print(f"\n## {n:,} files ({root}), --today {args.today}; medians of {args.repeat} warm, {args.cold_repeat} cold")
    print(f"{'command':<16} {'planner':<8} {'warm s':>8} {'warm MB':>8} {'cold s':>8} {'cold MB':>8}  target (warm views)")
    for name, _ in COMMANDS:
        for label, _ in planners:
            w, c = warm[(label, name)], cold[(label, name)]
            ws, wm = statistics.median(s for s, _ in w), statistics.median(m for _, m in w)
            cs, cm = statistics.median(s for s, _ in c), statistics.median(m for _, m in c)
            target = ""
            if name != "tasks --json" and warm_limit is not None:
                ok = ws <= warm_limit and wm <= mb_limit
                target = f"≤ {warm_limit:g} s, ≤ {mb_limit} MB: {'met' if ok else 'NOT met'}"
            print(f"{name:<16} {label:<8} {ws:8.3f} {wm:8.0f} {cs:8.2f} {cm:8.0f}  {target}")
    print(f"floor: ripgrep {floor:.3f} s" if floor is not None else "floor: ripgrep (rg) is not installed: no floor")
    print(f"peer: Taskwarrior `task list` {peer:.3f} s" if peer is not None
          else "peer: Taskwarrior (task) is not installed: no peer ratio")
    for problem in errors:
        print(f"error: {problem}")
    sys.stdout.flush()


if __name__ == "__main__":
    sys.exit(main())
