"""``planner focus|options|queues``: the planning views from the command line.

Rich output by default (rich is imported only when printing), ``--json`` per PRODUCT.md
(schema planner/1; paths relative to the one folder given, else the current folder;
1-based lines). ``planner options --choose FILE:LINE`` writes a choice into the Markdown.
"""

from __future__ import annotations

import argparse
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner.cli.commands import cli_filter, error, missing_file, open_workspace, parse_target
from planner.cli.output import emit_json
from planner.views.view_json import estimate_json, hours_json, queue_item_object
from planner.workspace.workspace import Workspace

VIEW_COMMANDS = ("focus", "options", "queues")


def add_parsers(sub: Any, common: Any) -> None:
    """Add the view subcommands to ``sub`` (an argparse subparsers action)."""
    focus = sub.add_parser("focus", help="today's focus: headline, tasks, what is blocked, where to start")
    common(focus)
    options = sub.add_parser("options", help="sprint options and decision points, side by side")
    common(options)
    options.add_argument(
        "--choose",
        metavar="FILE:LINE",
        help="choose the option on FILE:LINE (ticks it and unticks the others, or marks it ✅)",
    )
    queues = sub.add_parser("queues", help="P0–P3 priority queues across all documents")
    common(queues)
    queues.add_argument("--open", action="store_true", help="only items not done yet")


def dispatch(args: argparse.Namespace) -> int:
    problem = cli_filter(args)
    if isinstance(problem, str):
        error(problem)
        return 2
    if args.command == "focus":
        return cmd_focus(args)
    if args.command == "options":
        return cmd_options(args)
    return cmd_queues(args)


# -- focus ----------------------------------------------------------------------------------------


def _contributions(workspace: Workspace, kind: str) -> list[Any]:
    """Each document's contribution to the ``kind`` view, as records (cached with the documents:
    planner.views.contrib), in document order."""
    from planner.views.contrib import decode  # noqa: PLC0415

    rebuild = workspace.full_contribution if kind == "focus" else None  # the chosen day's plan, if not stored
    return [
        decode(kind, row, path, None if rebuild is None else partial(rebuild, view=kind))
        for path, row in workspace.views.items()
    ]


def cmd_focus(args: argparse.Namespace) -> int:
    from planner.views.contrib import combine_queues  # noqa: PLC0415
    from planner.views.focus_parts import combine_focus  # noqa: PLC0415

    filt = cli_filter(args)  # a filter reads tasks and text: then the documents are loaded
    workspace = open_workspace(args.paths, views=None if filt else "focus")
    if workspace is None:
        return 2
    if filt:
        from planner.views.focus import daily_focus  # noqa: PLC0415

        focus = filter_focus(workspace, daily_focus(list(workspace.documents.values())), filt)
    else:

        def queues() -> dict[str, list[Any]]:  # no daily plan: the open P0/P1 work, from the same files
            workspace.load(views="queues")
            return combine_queues(_contributions(workspace, "queues"))

        focus = combine_focus(_contributions(workspace, "focus"), _today(), queues)
    if args.json:
        emit_json(focus_json(workspace, focus))
        return 0
    from planner.cli.views_render import print_focus  # noqa: PLC0415 - rich only when printing

    print_focus(workspace, focus)
    return 0


def filter_focus(workspace: Workspace, focus: Any, filt: Any) -> Any:
    """Today's tasks that match; the blocked and completed lines (only text) by their text."""
    import dataclasses  # noqa: PLC0415

    from planner.views.facts import focus_facts  # noqa: PLC0415

    def keep(entries: list[str], lines: list[int]) -> tuple[list[str], list[int]]:
        pairs = [(e, n) for e, n in zip(entries, lines or [0] * len(entries), strict=False) if filt.text(e)]
        return [e for e, _ in pairs], ([n for _, n in pairs] if lines else [])

    blocked, blocked_lines = keep(focus.blocked, focus.blocked_lines)
    completed, completed_lines = keep(focus.completed, focus.completed_lines)
    return dataclasses.replace(
        focus,
        tasks=[t for t in focus.tasks if filt(focus_facts(t, workspace.relative(t.document.path)))],
        blocked=blocked,
        blocked_lines=blocked_lines,
        completed=completed,
        completed_lines=completed_lines,
    )


def _today() -> str:
    from planner.model.days import today  # noqa: PLC0415

    return today().isoformat()


def _relative(workspace: Workspace) -> Any:
    """``workspace.relative``, once per file: a view lists many items of each."""
    from functools import lru_cache  # noqa: PLC0415

    return lru_cache(maxsize=None)(workspace.relative)


def focus_json(workspace: Workspace, focus: Any) -> dict[str, Any]:
    next_file = focus.next_task.document.path if focus.next_task else (focus.document.path if focus.document else None)
    return {
        "root": str(workspace.base),
        "today": _today(),
        "file": workspace.relative(focus.document.path) if focus.document else None,
        "source": focus.source,
        "headline": focus.headline,
        "last_updated": focus.last_updated,
        "tasks": [
            {
                "title": t.title,
                "file": workspace.relative(t.document.path),
                "line": t.line,
                "state": t.state,
                "priority": t.priority,
                "estimate": estimate_json(t.estimate),
                "estimate_hours": hours_json(t.estimate),
                "status": t.status,
                "kind": t.kind,
                "progress": list(t.progress) if t.progress else None,
                "status_type": t.status_type,
                "due": t.due,
                "scheduled": t.scheduled,
                "reason": t.reason,
            }
            for t in focus.tasks
        ],
        "next_action": focus.next_action,
        "next_line": focus.next_line,
        "next_file": workspace.relative(next_file) if next_file and focus.next_action else None,
        "blocked": focus.blocked,
        "completed": focus.completed,
    }


# -- queues ---------------------------------------------------------------------------------------


def cmd_queues(args: argparse.Namespace) -> int:
    from planner.views.contrib import combine_queues  # noqa: PLC0415

    filt = cli_filter(args)  # a filter reads tasks and text: then the documents are loaded
    workspace = open_workspace(args.paths, views=None if filt else "queues")
    if workspace is None:
        return 2
    if filt:
        from planner.views.queues import priority_queues  # noqa: PLC0415

        queues = priority_queues(list(workspace.documents.values()))
        queues = {level: filter_items(workspace, items, filt) for level, items in queues.items()}
    elif args.json and _streams_json():
        _stream_queues(workspace, args.open)
        return 0
    else:
        queues = combine_queues(_contributions(workspace, "queues"))
    if args.open:
        queues = {level: [i for i in items if i.is_open] for level, items in queues.items()}  # not done/cancelled/deferred
    if args.json:
        emit_json(queues_json(workspace, queues))
        return 0
    from planner.cli.views_render import print_queues  # noqa: PLC0415

    print_queues(workspace, queues)
    return 0


def _streams_json() -> bool:
    """Whether ``--json`` goes out compact and UTF-8 (a pipe or a file): then stored text is
    written as it is (a terminal gets it indented, another encoding escaped: built whole)."""
    import sys  # noqa: PLC0415

    from planner.cli.output import stdout_needs_ascii  # noqa: PLC0415

    return not sys.stdout.isatty() and not stdout_needs_ascii()


def _stream_queues(workspace: Workspace, only_open: bool) -> None:
    """``queues --json`` lane by lane from each document's stored item text, its file spliced
    in: the same bytes :func:`queues_json` gives through :func:`emit_json`, no record built.
    Each document's texts are read once, into the lanes' lists of chunks."""
    from planner.cli.output import SCHEMA, json_writer  # noqa: PLC0415
    from planner.views.contrib import queue_texts  # noqa: PLC0415
    from planner.views.focus_parts import PRIORITIES  # noqa: PLC0415
    from planner.views.task_json import encode  # noqa: PLC0415

    relative = _relative(workspace)
    # Each document's items of a lane, joined and encoded as the byte writer would: the lanes
    # then hold about the bytes they print (text with one emoji in it takes 4 bytes a character).
    lanes: dict[str, list[bytes]] = {level: [] for level in PRIORITIES}
    for path, row in workspace.views.items():
        texts = queue_texts(row)
        if not texts:
            continue
        file = encode(relative(path))
        found: dict[str, list[str]] = {}
        for priority, is_open, before, after in texts:
            if priority in lanes and (is_open or not only_open):
                found.setdefault(priority, []).append(before + file + after)
        for priority, items in found.items():
            lanes[priority].append(",".join(items).encode("utf-8", "backslashreplace"))
    write = json_writer()
    head = encode({"schema": SCHEMA, "root": str(workspace.base)})
    write(head[:-1] + ',"queues":{')
    for number, level in enumerate(PRIORITIES):
        write(("," if number else "") + encode(level) + ":[")
        write(b",".join(lanes[level]))
        write("]")
    write("}}\n")


def filter_items(workspace: Workspace, items: list[Any], filt: Any) -> list[Any]:
    """The items that match, or whose action items match (then with only those), as on screen."""
    import dataclasses  # noqa: PLC0415

    from planner.views.facts import item_facts, task_facts  # noqa: PLC0415

    kept = []
    for item in items:
        where = workspace.relative(item.document.path)
        if filt(item_facts(item, where)):
            kept.append(item)
            continue
        tasks = [t for t in item.tasks if filt(task_facts(t, where))]
        if tasks:
            kept.append(dataclasses.replace(item, tasks=tasks))
    return kept


def queues_json(workspace: Workspace, queues: dict[str, list[Any]]) -> dict[str, Any]:
    relative = _relative(workspace)
    return {
        "root": str(workspace.base),
        "queues": {
            level: [
                queue_item_object(item, relative(item.document.path))
                for item in items
            ]
            for level, items in queues.items()
        },
    }


# -- options --------------------------------------------------------------------------------------


def cmd_options(args: argparse.Namespace) -> int:
    if args.choose:
        return cmd_choose(args.choose)
    filt = cli_filter(args)  # a filter reads tasks and text: then the documents are loaded
    workspace = open_workspace(args.paths, views=None if filt else "options")
    if workspace is None:
        return 2
    if filt:
        from planner.views.facts import decision_facts  # noqa: PLC0415
        from planner.views.options import sprint_options  # noqa: PLC0415

        decisions = sprint_options(list(workspace.documents.values()))
        decisions = [d for d in decisions if filt(decision_facts(d, workspace.relative(d.document.path)))]
    else:
        decisions = [decision for decisions in _contributions(workspace, "options") for decision in decisions]
    if args.json:
        emit_json(options_json(workspace, decisions))
        return 0
    from planner.cli.views_render import print_options  # noqa: PLC0415

    print_options(workspace, decisions)
    return 0


def options_json(workspace: Workspace, decisions: list[Any]) -> dict[str, Any]:
    relative = _relative(workspace)
    return {
        "root": str(workspace.base),
        "decisions": [
            {
                "title": d.title,
                "file": relative(d.document.path),
                "line": d.line,
                "kind": d.kind,
                "options": [
                    {
                        "label": o.label,
                        "title": o.title,
                        "line": o.line,
                        "recommended": o.recommended,
                        "chosen": o.chosen,
                        "total": estimate_json(o.stated_total or o.summed_total),
                        "stated_total": estimate_json(o.stated_total),
                        "summed_total": estimate_json(o.summed_total),
                        "total_mismatch": o.total_mismatch,
                        "features": o.features,
                        "value": o.value,
                    }
                    for o in d.options
                ],
            }
            for d in decisions
        ],
    }


def cmd_choose(target: str) -> int:
    from planner.views.options import sprint_options  # noqa: PLC0415
    from planner.workspace.choose import choose  # noqa: PLC0415
    from planner.writer.edit import EditError  # noqa: PLC0415

    try:
        path, line = parse_target(target)
    except ValueError as err:
        error(str(err))
        return 1
    reason = missing_file(path)
    if reason is not None:
        error(reason)
        return 1
    workspace = Workspace([path], base=Path.cwd())
    workspace.load()
    document = workspace.document(path)
    if document is None:
        error(f"{path}: cannot read it" + (f" ({workspace.warnings[0]})" if workspace.warnings else ""))
        return 1
    for decision in sprint_options([document]):
        for option in decision.options:
            if option.line == line:
                try:
                    edits = choose(workspace, decision, option)
                except EditError as err:
                    error(str(err))
                    return 1
                from planner.safe_text import terminal_safe  # noqa: PLC0415 - a pipe often ends at a terminal

                name = f"{option.label}: {option.title}"
                if not edits:
                    print(terminal_safe(f"already chosen: {name} ({path}:{line})"))
                else:
                    lines = ", ".join(str(e.line) for e in edits)
                    print(terminal_safe(f"chose {name} in '{decision.title}' ({path}: changed line{'s' if len(edits) > 1 else ''} {lines})"))
                return 0
    error(f"{path}:{line}: no option of a decision on this line (see 'planner options {path}')")
    return 1
