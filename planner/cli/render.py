"""Human-readable output with rich."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from planner.model.document import DONE, OPEN
from planner.views.tasks import TaskRow
from planner.workspace.workspace import Workspace

PRIORITY_STYLE = {"P0": "bold red", "P1": "dark_orange", "P2": "yellow", "P3": "green"}


def state_box(state: str) -> Text:
    if state == DONE:
        return Text("[x]", style="green")
    if state == OPEN:
        return Text("[ ]", style="bold")
    return Text(f"[{state}]", style="magenta")


def print_tasks(workspace: Workspace, rows: list[TaskRow]) -> None:
    console = Console()
    table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold dim")
    table.add_column("", no_wrap=True)
    table.add_column("prio", no_wrap=True)
    table.add_column("task", ratio=3)
    table.add_column("section", ratio=2, style="dim")
    table.add_column("where", no_wrap=True, style="cyan")
    for row in rows:
        priority = Text(row.priority or "", style=PRIORITY_STYLE.get(row.priority or "", ""))
        title = Text(row.title, style="dim" if row.task.state == DONE else "")
        section = Text(" › ".join(row.section[-2:]))
        where = f"{workspace.relative(row.document.path)}:{row.task.line}"
        table.add_row(state_box(row.task.state), priority, title, section, where)
    console.print(table)
    done = sum(1 for r in rows if r.task.state == DONE)
    console.print(
        f"[dim]{len(rows)} tasks, {done} done, in {len(workspace.documents)} files"
        + (f" ({len(workspace.skipped)} without planning content skipped)" if workspace.skipped else "")
        + "[/dim]"
    )
