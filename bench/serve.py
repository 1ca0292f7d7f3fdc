#!/usr/bin/env python3
"""Time from ``planner serve`` to a painted page, in a real headless Chromium.

    python bench/serve.py [--runs 5] [--screenshot FILE.png] [PATH]

Chromium is started first (a person's browser is already open). Each run then starts
``planner serve PATH --port 0`` (default: a copy of sample_docs) and measures, from spawning
it, until (a) it prints its URL and (b) the page shows the Daily Focus screen with its
"Start with" line: the whole screen painted, read from xterm.js's DOM rows. The first run
has an empty planner cache; the others are warm. ``--screenshot`` saves one PNG of the
page as a person sees it (xterm.js's usual canvas renderer).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.helpers.serve import Serve, browser_paths, chromium, close, wait_for_text  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", nargs="?", help="what to serve (default: a copy of sample_docs)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--screenshot", help="save a PNG of the page here")
    args = parser.parse_args()
    if browser_paths() is None:
        sys.exit("bench/serve.py: needs chromium and chromedriver (apt-get install chromium chromium-driver)")
    scratch = Path(tempfile.mkdtemp(prefix="planner-serve-bench-"))
    os.environ["PLANNER_CACHE_DIR"] = str(scratch / "cache")
    os.environ.setdefault("PLANNER_CONFIG_DIR", str(scratch / "config"))
    path = args.path
    if path is None:
        path = str(scratch / "sample_docs")
        shutil.copytree(ROOT / "sample_docs", path)
    url_times, paint_times = [], []
    browser = chromium(dom_renderer=True)
    try:
        for run in range(args.runs):
            start = time.monotonic()
            server = Serve(path, "--port", "0")
            url_at = time.monotonic() - start
            try:
                browser.get(server.url)
                wait_for_text(browser, "Daily Focus", "Start with", "tasks done", timeout=60)
                painted = time.monotonic() - start
            finally:
                server.stop()
            url_times.append(url_at)
            paint_times.append(painted)
            print(f"run {run + 1} ({'cold' if run == 0 else 'warm'} cache): URL printed {url_at:.2f} s, page painted {painted:.2f} s")
            browser.get("about:blank")
    finally:
        close(browser)
    warm = paint_times[1:] or paint_times
    print(f"URL printed: median {statistics.median(url_times):.2f} s")
    print(f"page painted: cold {paint_times[0]:.2f} s, warm median {statistics.median(warm):.2f} s (of {len(warm)})")
    if args.screenshot:
        screenshot(path, args.screenshot)
    shutil.rmtree(scratch, ignore_errors=True)
    return 0


def screenshot(path: str, target: str) -> None:
    server = Serve(path, "--port", "0")
    browser = chromium(dom_renderer=False)
    try:
        text_reader = chromium(dom_renderer=True)  # to know when the screen is complete
        try:
            text_reader.get(server.url)
            wait_for_text(text_reader, "Daily Focus", "Start with", "tasks done", timeout=60)
        finally:
            close(text_reader)
        browser.get(server.url)
        deadline = time.monotonic() + 30
        while "-first-byte" not in (browser.execute_script("return document.body.className") or ""):
            if time.monotonic() > deadline:
                raise SystemExit("the page never received the app's screen")
            time.sleep(0.05)
        time.sleep(2.0)  # this session's load and first frames: the other one showed how long they take
        browser.save_screenshot(target)
        print(f"screenshot: {target}")
    finally:
        close(browser)
        server.stop()


if __name__ == "__main__":
    raise SystemExit(main())
