#!/usr/bin/env python3
"""Scale benchmark: planner vs. the cost of just reading the files.

    python bench/run.py [--sizes 100,1000,10000] [--seed 1] [--size-kb 12] [--repeat 1]

For each size N it generates (or reuses) a tree with bench/generate.py under bench/out/,
then measures
  read   floor: read every Markdown file's bytes (same discovery rules, in this process)
  scan   floor: read + decode + a plain-Python regex over every line for checkboxes
  cold        : `python -m planner tasks DIR --json > /dev/null` with an empty PLANNER_CACHE_DIR
  warm        : the same again, with the cache the cold run left behind
  peak mem    : planner's own peak RSS (its VmHWM, sampled); if it starts worker processes,
                the larger of that and the peak sum of PSS over the process tree
                (sampled), so pages the forked workers share are counted once
  RSS sum     : the sampled peak sum of RSS over the process tree (workers only), which
                counts every shared page once per process
and prints them next to the targets. A check run compares planner's task count with
the generator's exact count. "cold" means an empty planner cache, not an empty OS page
cache (dropping that needs root); the floors run with the same warm page cache.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path


BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))
import generate  # noqa: E402  (sibling script, not a package)
from _bytecode import compile_planner  # noqa: E402

# Targets from the Scale issue: files -> (warm s, cold s, RSS MB).
TARGETS = {1000: (0.5, 2.5, 150), 10000: (3.0, 30.0, 600)}
SKIP_DIR_NAMES = {"node_modules", "__pycache__"}


# ------------------------------------------------------------------------------ floors
def discover(root: Path) -> list[Path]:
    """Markdown files under root, skipping hidden folders and node_modules (as planner should)."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d not in SKIP_DIR_NAMES)
        found.extend(Path(dirpath, f) for f in sorted(filenames) if f.endswith(".md"))
    return found


def read_floor(files: list[Path]) -> tuple[int, float]:
    """(total bytes, seconds) to read every file."""
    start = time.perf_counter()
    total = 0
    for path in files:
        with open(path, "rb") as fh:
            total += len(fh.read())
    return total, time.perf_counter() - start


def scan_floor(files: list[Path]) -> tuple[int, float]:
    """(checkbox-looking lines, seconds) for a naive read + decode + per-line regex."""
    match = generate.SCAN_RX.match
    start = time.perf_counter()
    hits = 0
    for path in files:
        with open(path, "rb") as fh:
            text = fh.read().decode("utf-8", errors="replace")
        for line in text.splitlines():
            if match(line):
                hits += 1
    return hits, time.perf_counter() - start


def best_of(fn, files: list[Path], times: int = 3) -> tuple[int, float]:
    results = [fn(files) for _ in range(times)]
    return results[0][0], min(r[1] for r in results)


# ------------------------------------------------------------------------------ planner
@dataclass
class Run:
    seconds: float | None = None
    rss_mb: float | None = None  # peak memory: own RSS, or the tree's PSS sum if larger
    tree_pss: bool = False  # rss_mb is the sampled PSS sum over planner and its workers
    tree_rss_mb: float | None = None  # sampled peak RSS sum over the tree (workers only)
    error: str | None = None


def _descendants(pid: int) -> list[int]:
    """pid and every process below it (Linux /proc; [pid] elsewhere)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            with open(f"/proc/{p}/task/{p}/children") as fh:
                todo.extend(int(c) for c in fh.read().split())
        except OSError:
            pass
    return out


def _rollup(pid: int) -> tuple[int, int]:
    """(Pss, Rss) of one process in bytes, from /proc/PID/smaps_rollup (Linux ≥ 4.14)."""
    pss = rss = 0
    with open(f"/proc/{pid}/smaps_rollup") as fh:
        for line in fh:
            if line.startswith("Pss:"):
                pss = int(line.split()[1]) * 1024
            elif line.startswith("Rss:"):
                rss = int(line.split()[1]) * 1024
    return pss, rss


def _high_water_mark(pid: int) -> int:
    """Peak RSS of one process in bytes (VmHWM): unlike ru_maxrss it starts afresh at exec,
    so it does not count the benchmark process the child was forked from."""
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _tree_memory_sampler(pid: int, stop: threading.Event, peak: dict[str, int]) -> None:
    """Sample the process tree's summed PSS and summed RSS while planner runs workers.

    PSS (proportional set size) splits each shared page between the processes that
    map it, so the sum over the tree counts a page the forked workers share with the
    parent once; the RSS sum counts it once per process. A single process is measured
    exactly by os.wait4 instead. Reading smaps_rollup walks page tables (~7 ms for a
    300 MB process here), so the sampler waits ten times as long as a sample took, at
    least 50 ms: it never takes more than a tenth of a core from the run it measures.
    """
    interval = 0.05
    while not stop.wait(interval):
        peak["hwm"] = max(peak.get("hwm", 0), _high_water_mark(pid))
        pids = _descendants(pid)
        if len(pids) < 2:
            continue
        started = time.perf_counter()
        pss = rss = 0
        for p in pids:
            try:
                p_pss, p_rss = _rollup(p)
            except (OSError, ValueError, IndexError):
                continue  # exited between the listing and the read
            pss += p_pss
            rss += p_rss
        peak["pss"] = max(peak["pss"], pss)
        peak["rss"] = max(peak["rss"], rss)
        interval = max(0.05, 10 * (time.perf_counter() - started))


def run_planner(root: Path, cache_dir: Path, timeout: float, stdout_path: Path | None = None) -> Run:
    """Time one whole `python -m planner tasks ROOT --json` process."""
    env = dict(os.environ, PLANNER_CACHE_DIR=str(cache_dir),
               # Belt and braces: a platformdirs cache would otherwise survive "cold" runs.
               XDG_CACHE_HOME=str(cache_dir / "xdg"))
    cmd = [sys.executable, "-m", "planner", "tasks", str(root), "--json"]
    with tempfile.TemporaryFile() as err, \
            open(stdout_path or os.devnull, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=REPO_DIR, env=env)
        timed_out = threading.Event()

        def kill() -> None:
            timed_out.set()
            # Workers too, children first seen from the top: only processes we started.
            for pid in _descendants(proc.pid)[::-1]:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass

        timer = threading.Timer(timeout, kill)
        stop, peak = threading.Event(), {"pss": 0, "rss": 0}
        sampler = threading.Thread(target=_tree_memory_sampler, args=(proc.pid, stop, peak), daemon=True)
        timer.start()
        sampler.start()
        try:
            # wait4 (not Popen.wait) so we get this child's own rusage.
            _, status, usage = os.wait4(proc.pid, 0)
        except BaseException:  # Ctrl-C: do not leave the child running
            proc.kill()
            proc.wait()
            raise
        finally:
            elapsed = time.perf_counter() - start
            timer.cancel()
            stop.set()
        proc.returncode = os.waitstatus_to_exitcode(status)
        sampler.join()
        # ru_maxrss is KiB on Linux, bytes on macOS. On Linux it keeps the high-water mark
        # of the image the child had before exec (a copy of this ~1 GB benchmark process
        # at 10,000 files), so the child's own sampled VmHWM is used where there is one.
        rss = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
        if peak.get("hwm"):
            rss = peak["hwm"] / 2**20
        result = Run(seconds=elapsed, rss_mb=rss)
        if peak["rss"]:  # planner ran workers
            result.tree_rss_mb = peak["rss"] / 2**20
            if peak["pss"] / 2**20 > rss:
                result.rss_mb, result.tree_pss = peak["pss"] / 2**20, True
        if timed_out.is_set():
            result.error = f"timeout after {timeout:g}s"
        elif proc.returncode != 0:
            err.seek(0)
            lines = [ln.strip() for ln in err.read().decode("utf-8", "replace").splitlines() if ln.strip()]
            # The last line of a traceback says what went wrong; otherwise the first line.
            first = lines[-1] if lines and lines[0].startswith("Traceback") else (lines[0] if lines else "")
            result.error = f"failed (exit {proc.returncode}): {first[:200] or 'no stderr'}"
        return result


def check_output(path: Path, manifest: dict) -> str:
    """Compare planner's JSON with the generator's exact counts."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        tasks = data["tasks"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return f"check: could not read planner output ({type(exc).__name__}: {exc})"[:200]
    totals = manifest["totals"]
    checkbox = sum(1 for t in tasks if t.get("kind") == "checkbox" and t.get("state") in ("open", "done"))
    other = sum(1 for t in tasks if t.get("kind") == "checkbox" and t.get("state") not in ("open", "done"))
    heading = sum(1 for t in tasks if t.get("kind") == "heading")
    leaked = sum(1 for t in tasks
                 if set(Path(str(t.get("file", ""))).parts) & set(generate.SKIPPED_DIRS))
    ok = checkbox == totals["tasks"] and other == totals["other_state"] and leaked == 0
    return (f"check {'ok' if ok else 'MISMATCH'}: checkbox {checkbox:,}/{totals['tasks']:,}, "
            f"other-state {other:,}/{totals['other_state']:,}, "
            f"heading {heading:,}/{totals['heading_tasks']:,} (informational: markers vary), "
            f"from skipped folders {leaked}")


# ------------------------------------------------------------------------------ driver
def ensure_tree(out_root: Path, n: int, seed: int, size_kb: float) -> tuple[Path, dict, float | None]:
    """Reuse bench/out/n{N}-s{seed}-kb{size} if made with the same args, else generate it."""
    root = out_root / f"n{n}-s{seed}-kb{size_kb:g}"
    manifest_path = root / generate.MANIFEST_NAME
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if (manifest.get("generator_version") == generate.GENERATOR_VERSION
                and manifest.get("args") == {"files": n, "seed": seed, "size_kb": size_kb}):
            return root, manifest, None
    except (OSError, ValueError):
        pass
    start = time.perf_counter()
    manifest = generate.write(root, n, seed, size_kb)
    return root, manifest, time.perf_counter() - start


def _fmt_s(x: float | None) -> str:
    return "-" if x is None else (f"{x * 1000:.0f}ms" if x < 1 else f"{x:.2f}s")


def _verdict(value: float | None, limit: float | None) -> str:
    if value is None or limit is None:
        return ""
    return "ok" if value <= limit else "OVER"


def main(argv: list[str] | None = None) -> int:
    compile_planner()  # measure planner as installed, bytecode compiled
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="100,1000,10000", help="comma-separated file counts")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--size-kb", type=float, default=12)
    ap.add_argument("--out", type=Path, default=BENCH_DIR / "out", help="where trees are kept")
    ap.add_argument("--repeat", type=int, default=1, help="planner runs per size; the best is shown")
    ap.add_argument("--timeout", type=float, default=600, help="seconds per planner run")
    ap.add_argument("--no-check", action="store_true", help="skip the output check run")
    ap.add_argument("--no-planner", action="store_true", help="floors only")
    args = ap.parse_args(argv)
    try:
        sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        ap.error("--sizes takes comma-separated integers, e.g. 100,1000")

    startup = min(_time_cmd([sys.executable, "-c", "pass"]) for _ in range(3))
    print(f"planner scale bench: python {platform.python_version()}, {os.cpu_count()} CPUs, "
          f"seed {args.seed}, ~{args.size_kb:g} KB/file, interpreter startup {_fmt_s(startup)}")
    rows, notes = [], []
    for n in sizes:
        root, manifest, gen_time = ensure_tree(args.out, n, args.seed, args.size_kb)
        if gen_time is not None:
            notes.append(f"[{n:,}] generated {root} in {gen_time:.1f}s")
        files = discover(root)
        nbytes, t_read = best_of(read_floor, files)
        _hits, t_scan = best_of(scan_floor, files)
        print(f"[{n:,}] {len(files):,} files, read {_fmt_s(t_read)}, scan {_fmt_s(t_scan)}",
              file=sys.stderr, flush=True)
        cold = warm = None
        if not args.no_planner:
            colds, warms = [], []
            for _ in range(max(1, args.repeat)):
                cache = Path(tempfile.mkdtemp(prefix="planner-bench-cache-"))
                try:
                    colds.append(run_planner(root, cache, args.timeout))
                    if colds[-1].error is None:
                        warms.append(run_planner(root, cache, args.timeout))
                        if not args.no_check and warms[-1].error is None and len(warms) == 1:
                            out_file = cache / "tasks.json"
                            run_planner(root, cache, args.timeout, stdout_path=out_file)
                            notes.append(f"[{n:,}] " + check_output(out_file, manifest))
                finally:
                    shutil.rmtree(cache, ignore_errors=True)
                    # Let the file system finish freeing the old cache before the next
                    # timed run, so that run does not pay for this one's deletion.
                    os.sync()
            cold = _best(colds)
            warm = _best(warms) if warms else None
            _progress(n, "cold", cold)
            _progress(n, "warm", warm)
            for label, r in (("cold", cold), ("warm", warm)):
                if r is not None and r.error:
                    notes.append(f"[{n:,}] {label}: {r.error}")
        rows.append((n, nbytes, manifest["totals"]["tasks"], t_read, t_scan, cold, warm))

    _print_table(rows)
    for note in notes:
        print(note)
    return 0


def _progress(n: int, label: str, r: Run | None) -> None:
    """Long runs: say what happened so far on stderr (the table comes at the end)."""
    if r is not None:
        what = r.error or f"{_fmt_s(r.seconds)}, {r.rss_mb:.0f} MB"
        print(f"[{n:,}] {label}: {what}", file=sys.stderr, flush=True)


def _time_cmd(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def _best(runs: list[Run]) -> Run | None:
    good = [r for r in runs if r.error is None]
    if not good:
        return runs[-1] if runs else None
    best = min(good, key=lambda r: r.seconds)
    # Peak memory is the worst seen, not the one from the fastest run.
    worst = max(good, key=lambda r: r.rss_mb or 0)
    best.rss_mb, best.tree_pss = worst.rss_mb, worst.tree_pss
    best.tree_rss_mb = max((r.tree_rss_mb for r in good if r.tree_rss_mb is not None), default=None)
    return best


def _print_table(rows: list[tuple]) -> None:
    header = ["files", "MB", "tasks", "read", "scan", "cold", "target", "warm", "target",
              "peak mem", "target", "RSS sum", "cold/scan", "warm/scan"]
    table = [header]
    for n, nbytes, tasks, t_read, t_scan, cold, warm in rows:
        t_warm, t_cold, t_rss = TARGETS.get(n, (None, None, None))

        def cell(r: Run | None) -> str:
            if r is None:
                return "-"
            return "FAILED" if r.error else _fmt_s(r.seconds)

        def target(limit, value, unit="s") -> str:
            if limit is None:
                return ""
            return f"≤{limit:g}{unit} {_verdict(value, limit)}".rstrip()

        cold_s = cold.seconds if cold and not cold.error else None
        warm_s = warm.seconds if warm and not warm.error else None
        ok = [r for r in (cold, warm) if r and not r.error and r.rss_mb]
        top = max(ok, key=lambda r: r.rss_mb, default=None)
        rss = top.rss_mb if top else None
        tree = bool(top and top.tree_pss)
        rss_sum = max((r.tree_rss_mb for r in ok if r.tree_rss_mb is not None), default=None)
        table.append([
            f"{n:,}", f"{nbytes / 1e6:.1f}", f"{tasks:,}", _fmt_s(t_read), _fmt_s(t_scan),
            cell(cold), target(t_cold, cold_s), cell(warm), target(t_warm, warm_s),
            "-" if rss is None else f"{rss:.0f} MB{'*' if tree else ''}",
            target(t_rss, rss, " MB"),
            "-" if rss_sum is None else f"{rss_sum:.0f} MB",
            "-" if cold_s is None else f"{cold_s / t_scan:.1f}x",
            "-" if warm_s is None else f"{warm_s / t_scan:.1f}x",
        ])
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for row in table:
        print("  ".join(c.rjust(w) if i < 5 or i in (11, 12, 13) else c.ljust(w)
                        for i, (c, w) in enumerate(zip(row, widths))).rstrip())
    print("peak mem: planner's own peak RSS (VmHWM, read while it runs)"
          + (", or * the peak PSS sum over planner and its worker processes (sampled), which"
             " counts pages shared after fork once" if any("*" in row[9] for row in table[1:]) else ""))
    if any(row[11] != "-" for row in table[1:]):
        print("RSS sum: peak sum of RSS over planner and its workers (sampled), shared pages counted"
              " once per process: an upper bound, not what the machine spends")


if __name__ == "__main__":
    sys.exit(main())
