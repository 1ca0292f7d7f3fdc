"""Human-readable output with rich, through :class:`SafeConsole` (never raw control characters)."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from rich.console import Console, ConsoleOptions, RenderableType
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from planner.cli.output import raw_stream
from planner.safe_text import terminal_safe
from planner.model.states import DONE, OPEN, box_shown
from planner.wording import plural
from planner.workspace.workspace import Workspace

if TYPE_CHECKING:  # the model (pydantic) is not needed to print a warm view
    from planner.views.tasks import TaskRow

PRIORITY_STYLE = {"P0": "bold red", "P1": "dark_orange", "P2": "yellow", "P3": "green"}


class SafeConsole(Console):
    """The one way human output reaches the terminal: whatever is printed — a file's text, a
    file name, in a table or not — is shown with :func:`planner.safe_text.terminal_safe`
    (escape sequences, C1 and bidi controls visible, never obeyed). Text is made safe before
    it is laid out (same length, so styles and cropping stay right); every other segment is
    checked again on its way out. No markup, emoji codes or highlighting: the text is data."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("file", raw_stream(sys.stdout))  # rich writes styles; the text it makes safe here
        kwargs.setdefault("markup", False)
        kwargs.setdefault("emoji", False)
        kwargs.setdefault("highlight", False)
        super().__init__(**kwargs)

    def render(self, renderable: RenderableType, options: ConsoleOptions | None = None) -> Iterable[Segment]:
        if isinstance(renderable, Text):
            plain = renderable.plain
            safe = terminal_safe(plain, lines=True)
            if safe is not plain:
                renderable = renderable.copy()
                renderable.plain = safe
        for segment in super().render(renderable, options):
            if segment.control is None and segment.text:
                safe = terminal_safe(segment.text, lines=True)
                if safe is not segment.text:
                    segment = Segment(safe, segment.style)
            yield segment


def state_box(state: str) -> Text:
    if state == DONE:
        return Text("[x]", style="green")
    if state == OPEN:
        return Text("[ ]", style="bold")
    return Text(box_shown(state), style="magenta")


def print_tasks(workspace: Workspace, rows: list[TaskRow]) -> None:
    """One block per file; each task on one line: line number, box, priority, title, section."""
    console = SafeConsole()
    current = None
    table: Table | None = None
    for row in rows:
        if row.document is not current:
            if table is not None:
                console.print(table)
            current = row.document
            console.print(Text(workspace.relative(row.document.path), style="bold cyan"))
            table = Table(box=None, show_header=False, pad_edge=False, padding=(0, 1))
            table.add_column(justify="right", style="dim", no_wrap=True, min_width=4)
            table.add_column(no_wrap=True, min_width=3)
            table.add_column(no_wrap=True, min_width=2)
            # Wrapable columns are what rich shrinks first; the cells themselves never wrap.
            table.add_column(ratio=3)
            table.add_column(ratio=2, style="dim", max_width=36)
        priority = Text(row.priority or "  ", style=PRIORITY_STYLE.get(row.priority or "", ""))
        title = Text(
            "  " * row.task.depth + row.title,
            style="dim" if row.task.done else "",
            no_wrap=True,
            overflow="ellipsis",
        )
        section = Text(row.section[-1] if row.section else "", no_wrap=True, overflow="ellipsis")
        assert table is not None
        table.add_row(str(row.task.line), state_box(row.task.state), priority, title, section)
    if table is not None:
        console.print(table)
    done = sum(1 for r in rows if r.task.done)
    console.print(
        Text(
            f"{plural(len(rows), 'task')}, {done} done, in {plural(len(workspace.documents), 'file')}"
            + (f" ({len(workspace.skipped)} without planning content skipped)" if workspace.skipped else ""),
            style="dim",
        )
    )
