"""``planner [PATH…]``: start the Textual app (the default when no subcommand is given)."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import threading
import time
from pathlib import Path

SCREENS = ("focus", "options", "queues", "documents", "agenda")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="planner",
        description="Open the planner on PATHs (default: the roots in the config file, else the current folder). "
        "Subcommands for scripts: tasks, toggle, focus, queues, options (see 'planner tasks --help').",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or folders to open")
    parser.add_argument("--screen", choices=SCREENS, default=None, help="the screen to start on (default: focus)")
    parser.add_argument("--no-watch", action="store_true", help="do not watch the files for changes")
    return parser


def _start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker while stderr is still the terminal.

    Big cold loads parse in a process pool. Starting one needs the resource tracker,
    which passes ``sys.stderr.fileno()`` to its process; once Textual runs, stderr is its
    print capture (fileno -1) and the pool would fail with "bad value(s) in fds_to_keep".
    Started here it costs a fork and exec, and the pool finds it running.
    """
    if sys.platform == "win32":
        return
    try:
        from multiprocessing import resource_tracker  # noqa: PLC0415

        resource_tracker.ensure_running()
    except Exception:  # noqa: BLE001, S110 - without it, big cold loads parse in one process
        pass


def launch(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        from planner.safe_text import terminal_safe  # noqa: PLC0415

        for path in missing:  # a name from a shell glob may hold escape sequences
            sys.stderr.write(f"planner: {terminal_safe(path)}: no such file or folder\n")
        return 2
    if not sys.stdout.isatty() or not sys.stdin.isatty():
        sys.stderr.write("planner: the interactive planner needs a terminal; try 'planner tasks' or 'planner focus'\n")
        return 2
    from planner.config import load_settings  # noqa: PLC0415
    from planner.tui.app import PlannerApp  # noqa: PLC0415 - Textual only when the UI starts

    config = load_settings()
    _start_resource_tracker()
    app = PlannerApp(args.paths, config=config, watch=not args.no_watch, start_mode=args.screen)
    result = app.run()
    # a crash (Textual printed the traceback) or a signal: never status 0
    code = app.return_code or (result if isinstance(result, int) else 0)
    end_stray_threads(code)
    return code


STRAY_GRACE = 1.0  # seconds a thread still running after the app has shut down gets to end


def end_stray_threads(code: int, grace: float = STRAY_GRACE) -> None:
    """The app has shut down and the terminal is restored. A thread still running then would
    keep the process alive for ever: Textual's input thread was seen doing so, spinning at
    100 % CPU on a terminal that had gone away, and the process no longer answered SIGTERM or
    SIGHUP (asyncio's handlers for them outlive the event loop). Such a thread gets ``grace``
    seconds to end; then the process ends without it. Nothing of the user's is in flight by
    then: edits are written, synced and renamed on the event loop or in a worker thread (one
    waiting for another writer's lock), and ``asyncio.run`` has stopped the one and joined the
    others before ``app.run()`` returns; the caches are SQLite, which a process that ends
    mid-write leaves as it was."""
    deadline = time.monotonic() + grace
    for thread in threading.enumerate():
        if thread is not threading.current_thread() and not thread.daemon:
            thread.join(max(0.0, deadline - time.monotonic()))
    if any(t.is_alive() and not t.daemon and t is not threading.current_thread() for t in threading.enumerate()):
        for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
            with contextlib.suppress(Exception):
                stream.flush()  # type: ignore[union-attr]
        os._exit(code)
