"""``planner agenda [PATH…] [--json] [--days N]``: overdue work, today and the next days, by date.

The view is :func:`planner.views.agenda_days.agenda`; ``--json`` per PRODUCT.md (schema
planner/1, paths relative to the folder given, 1-based lines).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from planner.cli.commands import open_workspace
from planner.cli.output import emit_json
from planner.workspace.workspace import Workspace

COMMAND = "agenda"


def _days(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of days: {text!r}") from None
    if not 0 <= value <= 366:
        raise argparse.ArgumentTypeError(f"--days takes 0 to 366, not {value}")
    return value


def add_parser(sub: Any, common: Any) -> None:
    parser = sub.add_parser(COMMAND, help="overdue work, today and the next days, by due, scheduled and start date")
    common(parser)
    parser.add_argument("--days", type=_days, default=7, metavar="N", help="how many days after today to list (default 7)")


def run(args: argparse.Namespace) -> int:
    from planner.model.days import today  # noqa: PLC0415
    from planner.views.agenda_days import agenda  # noqa: PLC0415

    workspace = open_workspace(args.paths)
    if workspace is None:
        return 2
    view = agenda(list(workspace.documents.values()), today().isoformat(), args.days)
    if args.json:
        emit_json(agenda_json(workspace, view))
        return 0
    if sys.stdout.isatty():
        print_agenda(workspace, view)
    else:
        write_agenda_lines(workspace, view)
    return 0


def _entry_json(workspace: Workspace, entry: Any) -> dict[str, Any]:
    task = entry.task
    return {
        "title": task.title,
        "file": workspace.relative(entry.document.path),
        "line": task.line,
        "state": task.state,
        "status_type": task.status_type,
        "priority": task.priority,
        "kind": task.kind,
        "date": entry.date,
        "reasons": list(entry.reasons),
        "due": task.due,
        "scheduled": task.scheduled,
        "start": task.start,
        "tags": list(task.tags),
    }


def agenda_json(workspace: Workspace, view: Any) -> dict[str, Any]:
    overdue, *days = view.days
    return {
        "root": str(workspace.base),
        "today": view.today,
        "until": view.last,
        "overdue": [_entry_json(workspace, e) for e in overdue.entries],
        "days": [
            {"date": day.key, "label": day.label, "tasks": [_entry_json(workspace, e) for e in day.entries]} for day in days
        ],
    }


def write_agenda_lines(workspace: Workspace, view: Any) -> None:
    """To a pipe or a file: one task a line, whole and tab-separated — the day it is listed on
    ("overdue" or the date), FILE:LINE, box, priority, why, text (control characters as symbols)."""
    from planner.cli.render import state_box  # noqa: PLC0415
    from planner.safe_text import terminal_safe  # noqa: PLC0415
    from planner.views.agenda_days import reason_text  # noqa: PLC0415

    write = sys.stdout.write
    for day in view.days:
        for entry in day.entries:
            task = entry.task
            fields = (
                day.key,
                f"{workspace.relative(entry.document.path)}:{task.line}",
                state_box(task.state).plain,
                task.priority or "-",
                reason_text(entry, view.today),
                task.title,
            )
            write("\t".join(terminal_safe(field).replace("\t", " ") for field in fields) + "\n")


def print_agenda(workspace: Workspace, view: Any) -> None:
    from rich.table import Table  # noqa: PLC0415 - rich only when printing
    from rich.text import Text  # noqa: PLC0415

    from planner.cli.render import PRIORITY_STYLE, SafeConsole, state_box  # noqa: PLC0415
    from planner.views.agenda_days import reason_text  # noqa: PLC0415

    console = SafeConsole()
    for day in view.days:
        if day.key == "overdue" and not day.entries:
            continue
        style = "bold red" if day.key == "overdue" else "bold"
        console.print(Text.assemble((day.label, style), (f"  {len(day.entries)}" if day.entries else "  nothing", "dim")))
        if not day.entries:
            continue
        table = Table(box=None, pad_edge=False, show_edge=False, show_header=False, padding=(0, 1), expand=True)
        table.add_column("box", no_wrap=True)
        table.add_column("priority", no_wrap=True)
        table.add_column("title", ratio=1, min_width=24)
        table.add_column("why", no_wrap=True, style="italic", max_width=16)
        table.add_column("where", no_wrap=True, overflow="ellipsis", style="dim", max_width=max(16, console.width // 3))
        for entry in day.entries:
            task = entry.task
            table.add_row(
                state_box(task.state),
                Text(task.priority or "", style=PRIORITY_STYLE.get(task.priority or "", "dim")),
                Text(entry.title),
                reason_text(entry, view.today),
                f"{workspace.relative(entry.document.path)}:{task.line}",
            )
        console.print(table)
