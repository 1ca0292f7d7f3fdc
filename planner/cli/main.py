"""The ``planner`` command: the TUI by default, and subcommands for scripts.

    planner [PATH…]                      open the planner (TUI)
    planner tasks [PATH…] [--json]       every task
    planner toggle FILE:LINE [FILE:LINE…] tick or untick tasks
    planner focus|options|queues [PATH…] [--json]   the planning views (options --choose FILE:LINE)
    planner add|edit|move|archive …      change tasks (see planner/cli/edit_commands.py)
    planner serve [PATH…] [--port N] [--host H]     the app in a web page
    planner --version

Any command takes ``--today YYYY-MM-DD`` to fix "today" (as ``PLANNER_TODAY`` does).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from typing import NoReturn

from planner.cli import agenda_command, commands, edit_commands, output, serve, views_commands

SUBCOMMANDS = ("tasks", "toggle", "focus", "queues", "options", agenda_command.COMMAND, "serve", *edit_commands.EDIT_COMMANDS)
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


class _Parser(argparse.ArgumentParser):
    """Argument errors as one line on stderr, like every other planner error (argparse
    would print the usage first); ``--help`` shows the usage."""

    def error(self, message: str) -> NoReturn:
        # An argument may hold control characters: shown escaped, never sent to the terminal.
        message = _CONTROLS.sub(lambda m: repr(m.group())[1:-1], message)
        self.exit(2, f"{self.prog}: {message} (see '{self.prog} --help')\n")


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: the current folder)")
    parser.add_argument("--json", action="store_true", help="print machine-readable JSON (schema planner/1)")
    parser.add_argument(
        "--filter",
        metavar="EXPR",
        help='only what matches, e.g. \'p:<=P1 state:open due:<7d file:roadmap #tag -word "a phrase"\' (see README)',
    )
    _today_option(parser)


def _today_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--today", metavar="YYYY-MM-DD", help="the day to plan for (default: $PLANNER_TODAY, else the system date)"
    )


def _set_today(given: str | None) -> str | None:
    """Fix "today" from ``--today`` or ``$PLANNER_TODAY``; a one-line reason when neither is a date."""
    if not given and not os.environ.get("PLANNER_TODAY"):
        days = sys.modules.get("planner.model.days")  # a warm `tasks --json` imports no model
        if days is not None:
            days.set_today(None)  # one "today" per command, even when commands run in one process (tests)
        return None
    from planner.model.days import TODAY_VARIABLE, parse_day, set_today  # noqa: PLC0415

    set_today(None)
    for value, origin in ((given, "--today"), (os.environ.get(TODAY_VARIABLE), TODAY_VARIABLE)):
        if value:
            try:
                set_today(parse_day(value))
            except ValueError as err:
                return f"{origin}: {err}"
            return None
    return None


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="planner",
        description="A keyboard-first planner over the Markdown planning documents in your repository.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    tasks = sub.add_parser("tasks", help="list every task")
    _common(tasks)
    tasks.add_argument("--open", action="store_true", help="only tasks not done yet")
    toggle = sub.add_parser("toggle", help="tick or untick the task on FILE:LINE")
    toggle.add_argument("targets", nargs="+", metavar="FILE:LINE")
    _today_option(toggle)
    views_commands.add_parsers(sub, _common)
    agenda_command.add_parser(sub, _common)
    edit_commands.add_parsers(sub)
    serve.add_parser(sub)
    return parser


def take_today(args: list[str]) -> tuple[list[str], str | None]:
    """``args`` without ``--today DATE`` (which any command takes, anywhere), and that date."""
    rest: list[str] = []
    value = None
    iterator = iter(args)
    for arg in iterator:
        if arg == "--today":
            value = next(iterator, "")
        elif arg.startswith("--today="):
            value = arg.partition("=")[2]
        else:
            rest.append(arg)
    return rest, value


def version() -> str:
    from importlib.metadata import PackageNotFoundError  # noqa: PLC0415
    from importlib.metadata import version as installed  # noqa: PLC0415

    try:
        return installed("planner")
    except PackageNotFoundError:
        return "unknown"


def main(argv: Sequence[str] | None = None) -> int:
    args_list, today = take_today(list(sys.argv[1:] if argv is None else argv))
    problem = _set_today(today)  # for every command, the TUI too
    if problem is not None:
        commands.error(problem)
        return 2
    if args_list[:1] in (["--version"], ["-V"]):
        print(f"planner {version()}")
        return 0
    if not args_list or (args_list[0] not in SUBCOMMANDS and args_list[0] not in ("-h", "--help")):
        return commands.run_app(args_list)
    try:
        args = build_parser().parse_args(args_list)
        output.prepare_stdout()
        if args.command == "serve":
            return serve.run(args)
        if args.command == agenda_command.COMMAND:
            return agenda_command.run(args)
        if args.command in views_commands.VIEW_COMMANDS:
            return views_commands.dispatch(args)
        if args.command in edit_commands.EDIT_COMMANDS:
            return edit_commands.dispatch(args)
        return commands.dispatch(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as err:
        # A fault of planner's own: one line (and the exit status) for a script; the
        # traceback only when asked for.
        if os.environ.get("PLANNER_DEBUG"):
            raise
        message = _CONTROLS.sub(lambda m: repr(m.group())[1:-1], f"{type(err).__name__}: {err}")
        sys.stderr.write(f"planner: unexpected error ({message}); PLANNER_DEBUG=1 shows the traceback\n")
        return 1
