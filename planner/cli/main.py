"""The ``planner`` command: the TUI by default, and subcommands for scripts.

    planner [PATH…]                      open the planner (TUI)
    planner tasks [PATH…] [--json]       every task
    planner toggle FILE:LINE [FILE:LINE…] tick or untick tasks
    planner focus|options|queues [PATH…] [--json]   the planning views (options --choose FILE:LINE)
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from planner.cli import commands, output, views_commands

SUBCOMMANDS = ("tasks", "toggle", "focus", "queues", "options")


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: the current folder)")
    parser.add_argument("--json", action="store_true", help="print machine-readable JSON (schema planner/1)")
    _today_option(parser)


def _today_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--today", metavar="YYYY-MM-DD", help="the day to plan for (default: $PLANNER_TODAY, else the system date)"
    )


def _set_today(args: argparse.Namespace) -> str | None:
    """Fix "today" from ``--today`` or ``$PLANNER_TODAY``; a one-line reason when neither is a date."""
    import os  # noqa: PLC0415

    given = getattr(args, "today", None)
    if not given and not os.environ.get("PLANNER_TODAY"):
        dates = sys.modules.get("planner.model.dates")  # a warm `tasks --json` imports no model
        if dates is not None:
            dates.set_today(None)  # one "today" per command, even when commands run in one process (tests)
        return None
    from planner.model.dates import TODAY_VARIABLE, parse_day, set_today  # noqa: PLC0415

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
    parser = argparse.ArgumentParser(
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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or (args_list[0] not in SUBCOMMANDS and args_list[0] not in ("-h", "--help")):
        return commands.run_app(args_list)
    args = build_parser().parse_args(args_list)
    problem = _set_today(args)
    if problem is not None:
        commands.error(problem)
        return 2
    output.prepare_stdout()
    try:
        if args.command in views_commands.VIEW_COMMANDS:
            return views_commands.dispatch(args)
        return commands.dispatch(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
