"""Rich output of the planning views: compact, readable, one screen where it can be."""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text

from planner.cli.render import PRIORITY_STYLE, SafeConsole, state_box
from planner.model.states import DONE
from planner.wording import plural
from planner.model.estimate import total
from planner.workspace.workspace import Workspace


def _priority(level: str | None) -> Text:
    return Text(level or "", style=PRIORITY_STYLE.get(level or "", "dim"))


def _where(workspace: Workspace, path: str, line: int) -> str:
    return f"{workspace.relative(path)}:{line}"


def _table(*columns: str, flexible: str, truncated: dict[str, int] | None = None) -> Table:
    """A borderless table as wide as the terminal: ``flexible`` takes the room that is left and
    wraps; ``truncated`` columns are cut with an ellipsis at their width; the others fit their content."""
    table = Table(box=None, pad_edge=False, show_edge=False, show_header=False, padding=(0, 1), expand=True)
    truncated = truncated or {}
    for column in columns:
        if column == flexible:
            table.add_column(column, ratio=1, min_width=24)
        elif column in truncated:
            table.add_column(column, no_wrap=True, overflow="ellipsis", max_width=truncated[column])
        else:
            table.add_column(column, no_wrap=True)
    return table


# -- focus ----------------------------------------------------------------------------------------


def print_focus(workspace: Workspace, focus: Any) -> None:
    console = SafeConsole()
    console.print(Text(focus.headline, style="bold"))
    source = []
    if focus.document is not None:
        source.append(workspace.relative(focus.document.path))
    elif focus.source == "dates":
        source.append("no daily plan found: overdue and due work")
    elif focus.source == "documents":
        source.append("no daily plan and no P0–P3 work found")
    elif focus.source == "none":
        source.append("no daily plan, no prioritised work and no open task found")
    else:
        source.append("no daily plan found: open P0/P1 work from the priority queues")
    if focus.last_updated and focus.document is not None:
        source.append(f"updated {focus.last_updated}")
    if source:
        console.print(Text(" · ".join(source), style="dim"))
    if focus.next_action:
        line = Text("▶ Start here: ", style="bold green")
        line.append(focus.next_action)
        path = focus.next_task.document.path if focus.next_task else (focus.document.path if focus.document else None)
        if path and focus.next_line:
            line.append(f"  {_where(workspace, path, focus.next_line)}", style="cyan")
        console.print(line)
    console.print()
    if focus.tasks:
        table = _table("state", "prio", "task", "estimate", "status", "where", flexible="task", truncated={"status": 22})
        current = focus.document.path if focus.document is not None else None
        for entry in focus.tasks:
            if entry.document.path != current:
                # Entries from several documents (no daily plan) are grouped under their file's name.
                current = entry.document.path
                table.add_row("", "", Text(workspace.relative(current), style="cyan", overflow="fold"), "", "", "")
            title = Text(entry.title, style="dim" if entry.state == DONE else "")
            if entry.progress:
                title.append(f" ({entry.progress[0]}/{entry.progress[1]})", style="dim")
            table.add_row(
                state_box(entry.state),
                _priority(entry.priority),
                title,
                Text(entry.estimate.label() if entry.estimate else "", style="magenta"),
                Text(entry.reason or entry.status or "", style="bold red" if entry.reason == "overdue" else "dim"),
                Text(f":{entry.line}", style="cyan"),
            )
        console.print(table)
        open_count = sum(1 for t in focus.tasks if t.is_open)  # cancelled and deferred work is not open
        summary = f"{plural(len(focus.tasks), 'task')}, {open_count} open"
        estimate = total([t.estimate for t in focus.tasks if t.estimate and t.is_open])
        if estimate is not None:
            summary += f", {estimate.label()} estimated"
        console.print(Text(summary, style="dim"))
    else:
        console.print(Text("No tasks for today.", style="dim"))
    if focus.blocked:
        console.print()
        console.print(Text("Blocked / waiting", style="bold yellow"))
        for text in focus.blocked:
            console.print(Text(f"  ⏸ {text}"))
    if focus.source != "daily":
        return
    console.print()
    console.print(Text("Completed today", style="bold green"))
    if focus.completed:
        for text in focus.completed:
            console.print(Text(f"  ✓ {text}", style="green"))
    else:
        console.print(Text("  nothing yet", style="dim"))


# -- queues ---------------------------------------------------------------------------------------


def print_queues(workspace: Workspace, queues: dict[str, list[Any]]) -> None:
    console = SafeConsole()
    for level, items in queues.items():
        open_count = sum(1 for i in items if i.is_open)
        header = Text(level, style=PRIORITY_STYLE[level] + " bold")
        header.append(f"  {len(items)} item{'s' if len(items) != 1 else ''}, {open_count} open", style="dim")
        console.print(header)
        if not items:
            console.print(Text("  (empty)", style="dim"))
            continue
        table = _table("state", "item", "progress", "effort", "where", flexible="item", truncated={"effort": 12})
        current = None
        for item in items:
            if item.document.path != current:
                current = item.document.path
                table.add_row("", Text(workspace.relative(current), style="cyan", overflow="fold"), "", "", "")
            progress = f"{item.progress[0]}/{item.progress[1]}" if item.progress else ""
            body = Text(item.title, style="dim" if item.state == DONE else "")
            details = [d for d in (item.status, f"owner: {item.owner}" if item.owner else None) if d]
            if details:
                body.append("\n  " + " · ".join(details), style="dim")
            table.add_row(
                state_box(item.state),
                body,
                Text(progress, style="green" if item.progress and item.progress[0] == item.progress[1] else ""),
                Text(item.effort.label() if item.effort else item.effort_text or "", style="magenta"),
                Text(f":{item.line}", style="cyan"),
            )
        console.print(table)
        console.print()


# -- options --------------------------------------------------------------------------------------


def print_options(workspace: Workspace, decisions: list[Any]) -> None:
    console = SafeConsole()
    if not decisions:
        console.print(Text("No sprint options or decision points found.", style="dim"))
        return
    for decision in decisions:
        header = Text(decision.title, style="bold")
        header.append(f"  {_where(workspace, decision.document.path, decision.line)}", style="cyan")
        header.append(f"  {decision.kind}", style="dim")
        console.print(header)
        table = _table("mark", "label", "option", "total", "where", flexible="option")
        for option in decision.options:
            mark = Text("●", style="bold green") if option.chosen else Text("○", style="dim")
            body = Text(option.title, style="bold" if option.chosen else "")
            if option.recommended:
                body.append("  ★ recommended", style="yellow")
            if option.chosen:
                body.append("  ✓ chosen", style="green")
            if option.value:
                body.append(f"\n{option.value}", style="italic dim")
            for feature in option.features:
                body.append(f"\n• {feature}", style="dim")
            table.add_row(mark, Text(option.label, style="bold"), body, _total(option), Text(f":{option.line}", style="cyan"))
        console.print(table)
        console.print()


def _total(option: Any) -> Text:
    stated, summed = option.stated_total, option.summed_total
    if stated is None and summed is None:
        return Text("")
    if stated is None:
        return Text(f"Σ {summed.label()}", style="magenta")
    text = Text(stated.label(), style="magenta")
    if summed is not None:
        text.append(f" (Σ {summed.label()})", style="red bold" if option.total_mismatch else "dim")
        if option.total_mismatch:
            text.append(" ≠", style="red bold")
    return text
