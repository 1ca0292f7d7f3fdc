#!/usr/bin/env python3
"""Views at scale: warm and cold `tasks --json`, `focus`, `queues --json`, `options --json`.

    python bench/views.py [--sizes 1000,10000] [--repeat 5] [--cold-repeat 1]
                          [--label after] [--compare LABEL=PYTHON ...] [--today 2026-12-02]

For each size N it generates (or reuses) a tree with bench/generate.py under bench/out/
(as bench/run.py does), then, interleaved (one run of every command and every planner in
turn, then the floor and the peer, repeated), measures each command's wall time and peak
memory:

  cold : with an empty PLANNER_CACHE_DIR (one fresh folder per run)
  warm : again, with the cache a cold run of the same command left behind

Peak memory is the process's maximum RSS from ``/usr/bin/time`` (its child's
``ru_maxrss``: exact, and ``time`` itself is too small to raise it), or without it the
VmHWM sampled by bench/run.py's sampler; when planner starts workers, the larger of that and
the peak summed PSS of its process tree (bench/run.py explains why PSS).

It prints medians beside the targets of issue 18 — warm focus/queues/options ≤ 0.3 s and
≤ 100 MB at 1,000 files, ≤ 2 s and ≤ 300 MB at 10,000 — each marked met or NOT met.

``--compare before=/path/python`` adds another planner (an interpreter whose ``-m planner``
is another checkout: every planner runs from a scratch folder, so each imports its own code)
to the same interleaved runs, for before/after figures from one run on one machine; then each
command's after/before ratios are printed, and the cold target of issue 18 ("unchanged or
better") is checked against it, within COLD_SLACK for the noise of a shared machine.

Floor: ripgrep (``rg -c``) counting checkboxes over the same tree, in the same loop.
Peer: Taskwarrior's ``task list`` over the same tasks (``planner tasks --json`` imported once
with ``task import`` into a scratch TASKDATA/TASKRC), in the same loop. Each is said to be
missing, and skipped, when it is not installed (``apt-get install ripgrep taskwarrior``).
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
VIEWS = ("focus", "queues --json", "options --json")
# files -> (warm seconds, peak MB) for the views (focus, queues, options): issue 18.
TARGETS = {1000: (0.3, 100), 10000: (2.0, 300)}
COLD_SLACK = 1.10  # "cold unchanged or better": within 10 % of the planner compared with
TIME = "/usr/bin/time"

Sample = tuple[float, float]  # (seconds, peak MB)


def measure(cmd: list[str], env: dict[str, str], timeout: float, cwd: Path) -> tuple[float, float, str | None]:
    """(seconds, peak MB, error) of one whole process. ``cwd`` is a folder without a
    ``planner`` package: ``python -m planner`` run from a checkout would import that
    checkout's, whatever the interpreter."""
    timed = os.access(TIME, os.X_OK)
    with tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile("r") as usage:
        argv = [TIME, "-f", "%M", "-o", usage.name, *cmd] if timed else cmd
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err, cwd=cwd, env=env)
        stop, peak = threading.Event(), {"pss": 0, "rss": 0}
        sampler = threading.Thread(target=run._tree_memory_sampler, args=(proc.pid, stop, peak), daemon=True)
        sampler.start()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            for pid in run._descendants(proc.pid)[::-1]:  # only processes this run started
                try:
                    os.kill(pid, 9)
                except OSError:
                    pass
            proc.wait()
        finally:
            elapsed = time.perf_counter() - start
            stop.set()
        sampler.join()
        max_rss = 0.0
        if timed:
            lines = usage.read().split()
            max_rss = int(lines[-1]) * 1024 if lines and lines[-1].isdigit() else 0
        # Under /usr/bin/time the sampled tree includes `time` (~2 MB): PSS only counts with workers.
        mb = max(max_rss or peak.get("hwm", 0), peak["pss"]) / 2**20
        problem = None
        if proc.returncode != 0:
            err.seek(0)
            text = err.read().decode("utf-8", "replace").strip().splitlines()
            text = [t for t in text if not t.startswith("Command exited with non-zero status")]
            problem = f"exit {proc.returncode}: {(text[-1] if text else '')[:160]}"
        return elapsed, mb, problem


def rg_command(root: Path) -> list[str] | None:
    rg = shutil.which("rg")
    return None if rg is None else [rg, "-c", r"\[[ xX]\]", "-g", "*.md", str(root)]


def taskwarrior_setup(root: Path, python: str, env: dict[str, str], data: Path) -> tuple[list[str], dict[str, str]] | str:
    """``task list`` and its environment over the tree's tasks, imported into ``data``; or why not."""
    task = shutil.which("task")
    if task is None:
        return "Taskwarrior (task) is not installed: no peer ratio"
    data.mkdir(parents=True, exist_ok=True)
    out = subprocess.run([python, "-m", "planner", "tasks", str(root), "--json"], capture_output=True, env=env,
                         check=True, cwd=data)
    rows = []
    for t in json.loads(out.stdout)["tasks"]:
        row = {"description": (t.get("text") or "task").replace("\n", " "), "entry": "20261201T000000Z",
               "status": "completed" if t.get("state") == "done" else "pending"}
        if row["status"] == "completed":
            row["end"] = "20261201T000000Z"
        if t.get("priority") in ("P0", "P1"):
            row["priority"] = "H"
        rows.append(row)
    (data / "import.json").write_text(json.dumps(rows), encoding="utf-8")
    (data / "taskrc").write_text(f"data.location={data}\nconfirmation=off\nverbose=nothing\n", encoding="utf-8")
    tw_env = dict(os.environ, TASKDATA=str(data), TASKRC=str(data / "taskrc"))
    done = subprocess.run([task, "rc.hooks=off", "import", str(data / "import.json")], env=tw_env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    if done.returncode != 0:
        return f"Taskwarrior import failed: {done.stderr.decode('utf-8', 'replace').strip()[:160]}"
    subprocess.run([task, "list"], env=tw_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return [task, "list"], tw_env


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--size-kb", type=float, default=12)
    ap.add_argument("--out", type=Path, default=BENCH_DIR / "out")
    ap.add_argument("--repeat", type=int, default=5, help="warm runs per command and planner (median shown)")
    ap.add_argument("--cold-repeat", type=int, default=1, help="cold runs per command and planner")
    ap.add_argument("--label", default="this", help="this planner's name in the table")
    ap.add_argument("--compare", action="append", default=[], metavar="LABEL=PYTHON",
                    help="another planner to run interleaved (its interpreter)")
    ap.add_argument("--today", default="2026-12-02", help="the --today every view runs with")
    ap.add_argument("--timeout", type=float, default=900)
    args = ap.parse_args(argv)
    compile_planner()
    planners = [(args.label, sys.executable)] + [tuple(c.split("=", 1)) for c in args.compare]  # type: ignore[misc]
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


def _median(samples: list[Sample]) -> Sample:
    return statistics.median(s for s, _ in samples), statistics.median(m for _, m in samples)


def report(n: int, root: Path, planners: list[tuple[str, str]], args: argparse.Namespace, scratch: Path) -> None:
    base_env = {k: v for k, v in os.environ.items() if k not in ("PLANNER_TODAY", "PLANNER_NO_CACHE")}
    cold: dict[tuple[str, str], list[Sample]] = {}
    warm: dict[tuple[str, str], list[Sample]] = {}
    errors: list[str] = []
    caches: dict[tuple[str, str], Path] = {}

    def one(label: str, python: str, name: str, argv: list[str], cache: Path) -> Sample:
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
    floor_cmd = rg_command(root)
    peer = taskwarrior_setup(root, sys.executable, base_env, scratch / f"taskwarrior-{n}")
    floor: list[Sample] = []
    peer_runs: list[Sample] = []
    for _ in range(args.repeat):
        for name, argv in COMMANDS:
            for label, python in planners:
                warm.setdefault((label, name), []).append(one(label, python, name, argv, caches[(label, name)]))
        if floor_cmd is not None:
            floor.append(measure(floor_cmd, base_env, args.timeout, scratch)[:2])
        if not isinstance(peer, str):
            seconds, mb, problem = measure(peer[0], peer[1], args.timeout, scratch)
            peer_runs.append((seconds, mb))
            if problem:
                errors.append(f"task list: {problem}")
    print_report(n, root, planners, args, cold, warm, floor, peer if isinstance(peer, str) else peer_runs)
    for problem in errors:
        print(f"error: {problem}")
    sys.stdout.flush()


def print_report(n: int, root: Path, planners: list[tuple[str, str]], args: argparse.Namespace,
                 cold: dict[tuple[str, str], list[Sample]], warm: dict[tuple[str, str], list[Sample]],
                 floor: list[Sample], peer: list[Sample] | str) -> None:
    warm_limit, mb_limit = TARGETS.get(n, (None, None))
    rg_s = min(s for s, _ in floor) if floor else None
    tw = _median(peer) if isinstance(peer, list) and peer else None
    print(f"\n## {n:,} files ({root}), --today {args.today}; medians of {args.repeat} warm, {args.cold_repeat} cold")
    print(f"{'command':<15} {'planner':<8} {'warm s':>7} {'warm MB':>7} {'cold s':>7} {'cold MB':>7} "
          f"{'warm/rg':>7} {'warm/task':>9}  target (warm views: s, MB)")
    for name, _ in COMMANDS:
        for label, _ in planners:
            (ws, wm), (cs, cm) = _median(warm[(label, name)]), _median(cold[(label, name)])
            target = ""
            if name in VIEWS and warm_limit is not None:
                ok = ws <= warm_limit and wm <= mb_limit
                target = f"≤ {warm_limit:g} s, ≤ {mb_limit} MB: {'met' if ok else 'NOT met'}"
            to_rg = f"{ws / rg_s:7.1f}" if rg_s else f"{'-':>7}"
            to_tw = f"{ws / tw[0]:9.2f}" if tw else f"{'-':>9}"
            print(f"{name:<15} {label:<8} {ws:7.3f} {wm:7.0f} {cs:7.2f} {cm:7.0f} {to_rg} {to_tw}  {target}")
    print(f"floor: ripgrep -c over the tree {rg_s:.3f} s (best of {len(floor)})" if rg_s is not None
          else "floor: ripgrep (rg) is not installed: no floor")
    print(f"peer: Taskwarrior `task list`, same tasks: {tw[0]:.3f} s, {tw[1]:.0f} MB (median of {len(peer)})" if tw
          else f"peer: {peer if isinstance(peer, str) else 'no run'}")
    if len(planners) > 1:
        this = planners[0][0]
        for other, _ in planners[1:]:
            print(f"{this} / {other} (time, memory; cold target: within {COLD_SLACK - 1:.0%} of {other}, or better):")
            for name, _ in COMMANDS:
                (ws, wm), (cs, cm) = _median(warm[(this, name)]), _median(cold[(this, name)])
                (bws, bwm), (bcs, bcm) = _median(warm[(other, name)]), _median(cold[(other, name)])
                verdict = "met" if cs <= bcs * COLD_SLACK else "NOT met"
                print(f"  {name:<15} warm {ws / bws:5.2f}× {wm / bwm:5.2f}×   cold {cs / bcs:5.2f}× {cm / bcm:5.2f}×"
                      f"  cold: {verdict}")


if __name__ == "__main__":
    sys.exit(main())
