"""Toggle latency: from the call to the fsync'd rename, for a 15 KB and a 1 MB backlog.

    python bench/toggle.py [--repeat 200]

Prints the median and 95th percentile per size next to the targets (15 KB ≤ 5 ms,
1 MB ≤ 10 ms median). Each toggle is a full checked edit: read the file, compare
its digest with the parsed one, patch, write a temp file, fsync, rename, fsync the
folder. Runs in a temporary folder on the same file system as the system temp dir.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from planner.workspace.loader import load_document
from planner.writer.edit import toggle

TARGETS_MS = {"15 KB": 5.0, "1 MB": 10.0}


def backlog(size: int) -> bytes:
    """A realistic backlog of about ``size`` bytes: phases with fields and checkbox tasks."""
    parts = ["# SPRINT_BACKLOG.md - Upcoming Work\n*Last Updated: 2025-11-12*\n\n"]
    phase = 0
    while sum(map(len, parts)) < size:
        phase += 1
        parts.append(f"## Phase {phase}: Work package {phase}\n**Priority**: High\n**Effort**: 2-3 days\n\n")
        parts.extend(f"- [{' x'[i % 2]}] Task {phase}.{i}: implement part {i} of the package\n" for i in range(12))
        parts.append("\n```python\n# - [ ] not a task\n```\n\n")
    return "".join(parts).encode()


def measure(size: int, repeat: int, folder: Path) -> list[float]:
    path = folder / f"backlog-{size}.md"
    path.write_bytes(backlog(size))
    document, _ = load_document(path)
    middle = [t for t in document.tasks if t.kind == "checkbox"][len(document.tasks) // 2]
    timings = []
    for _ in range(repeat):
        task = document.task_at_line(middle.line)
        start = time.perf_counter()
        _, document = toggle(document, task)
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def floor(size: int, repeat: int, folder: Path) -> list[float]:
    """The disk's own cost of a durable replace of the same size: write, fsync, rename, fsync folder."""
    data = backlog(size)
    target = folder / f"floor-{size}.md"
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        temp = folder / "floor.tmp"
        with open(temp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        os.fsync(fd)
        os.close(fd)
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    print(f"{'file':>6}  {'median':>8}  {'p95':>8}  {'disk floor':>10}  {'ratio':>5}  target (median)")
    with tempfile.TemporaryDirectory() as tmp:
        for label, size in (("15 KB", 15_000), ("1 MB", 1_000_000)):
            timings = sorted(measure(size, args.repeat, Path(tmp)))
            base = statistics.median(floor(size, args.repeat, Path(tmp)))
            median = statistics.median(timings)
            p95 = timings[int(len(timings) * 0.95) - 1]
            verdict = "ok" if median <= TARGETS_MS[label] else "OVER"
            print(
                f"{label:>6}  {median:6.2f}ms  {p95:6.2f}ms  {base:8.2f}ms  {median / base:5.2f}"
                f"  ≤ {TARGETS_MS[label]:.0f} ms  {verdict}"
            )


if __name__ == "__main__":
    main()
