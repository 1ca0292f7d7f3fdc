"""How long ``q`` takes during a cold load (issue 13, item 16), in a real terminal (tmux).

    python bench/quit_during_load.py [--files 5000] [--planner PATH]

Generates the files (bench/generate.py) once, starts planner in tmux with an empty cache,
presses ``q`` once the loading line shows, and prints the seconds until the process has
exited and the terminal is back (alternate screen off). Target: well under a second.
"""

from __future__ import annotations

import argparse
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=False).stdout


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--planner", default=str(Path(sys.executable).with_name("planner")))
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        print("tmux is not installed")
        return 2
    work = Path(tempfile.mkdtemp(prefix="planner-quit-"))
    try:
        docs = work / "docs"
        subprocess.run([sys.executable, str(HERE / "generate.py"), "--files", str(args.files), str(docs)], check=True, capture_output=True)
        status = work / "status"
        env = f"PLANNER_CONFIG_DIR={shlex.quote(str(work / 'config'))} PLANNER_CACHE_DIR={shlex.quote(str(work / 'cache'))}"
        command = f"env -u COLUMNS -u LINES {env} {shlex.quote(args.planner)} {shlex.quote(str(docs))}; echo $? > {shlex.quote(str(status))}; sleep 30"
        name = f"planner-quit-{uuid.uuid4().hex[:8]}"
        tmux("new-session", "-d", "-s", name, "-x", "120", "-y", "40", command)
        try:
            deadline = time.monotonic() + 60
            while "loading" not in tmux("capture-pane", "-p", "-t", name) and time.monotonic() < deadline:
                time.sleep(0.05)
            time.sleep(0.5)  # well into the load
            pressed = time.monotonic()
            tmux("send-keys", "-t", name, "q")
            while not (status.exists() and status.read_text().strip()) and time.monotonic() < pressed + 120:
                time.sleep(0.02)
            exited = time.monotonic() - pressed
            alternate = tmux("display", "-p", "-t", name, "#{alternate_on}").strip()
            print(f"files={args.files} q-to-exit={exited:.2f}s status={status.read_text().strip()} alternate_on={alternate}")
        finally:
            tmux("kill-session", "-t", name)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
