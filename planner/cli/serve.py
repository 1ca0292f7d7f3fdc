"""``planner serve [PATH…] [--port N] [--host H] [--allow-remote]``: the app in a web page.

Argument checks only; the server (aiohttp, textual-serve) is imported when it starts, so
neither the TUI nor the other commands pay for it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

DEFAULT_PORT = 8765


def add_parser(sub: argparse._SubParsersAction) -> None:
    serve = sub.add_parser(
        "serve",
        help="open the planner in a web page (this machine only, unless --allow-remote)",
        description="Serve the planner app to a web browser. Each page that connects runs its own "
        "planner on PATHs, exactly as in the terminal. Binds 127.0.0.1 unless --host says otherwise.",
    )
    serve.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: as 'planner' alone)")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port to listen on (default: {DEFAULT_PORT}; 0: any free one)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow a --host other machines can reach; the URL then carries a secret token",
    )


def error(message: str) -> None:
    sys.stderr.write(f"planner: {message}\n")


def run(args: argparse.Namespace) -> int:
    if not 0 <= args.port <= 65535:
        error(f"--port {args.port}: expected 0 to 65535")
        return 2
    missing = [p for p in args.paths if not Path(p).exists()]
    for path in missing:
        error(f"{path}: no such file or folder")
    if missing:
        return 2
    try:
        from planner.serve.server import PlannerServer, is_loopback  # noqa: PLC0415 - aiohttp only here
    except ImportError as err:
        error(f"'planner serve' needs textual-serve ({err.name or err} is missing): pip install textual-serve")
        return 1
    token = None
    if not is_loopback(args.host):
        if not args.allow_remote:
            error(f"--host {args.host} can be reached from other machines; add --allow-remote to serve them")
            return 2
        import secrets  # noqa: PLC0415

        token = secrets.token_urlsafe(18)
    server = PlannerServer(args.paths, args.host, args.port, token)

    def ready(url: str) -> None:
        if token is not None:
            error(
                f"warning: serving on {args.host}: anyone who can reach this machine and has the URL "
                "can read and edit these files (plain HTTP, not encrypted)"
            )
        print(f"planner: serving at {url}  (Ctrl-C stops)", flush=True)

    return server.run(ready)
