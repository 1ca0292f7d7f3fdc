"""The editing subcommands: ``add``, ``edit``, ``move``, ``archive``.

    planner add "TEXT" [--to FILE[#SECTION]] [--priority P1] [--due DATE]
    planner edit FILE:LINE [--text T] [--state S] [--priority P] [--due DATE|none] [--scheduled DATE|none]
    planner move FILE:LINE --to FILE[#SECTION]
    planner archive FILE[#SECTION]

Each prints what changed (``--json``: file, line, before, after) and exits 1 with a
one-line reason when the edit is refused. Every edit is a checked patch from
:mod:`planner.writer`; without ``--to``, ``add`` captures into today's daily document.
"""

from __future__ import annotations

import argparse
import os
from typing import Any

from planner.cli.commands import error, missing_file, parse_target
from planner.safe_text import terminal_safe

EDIT_COMMANDS = ("add", "edit", "move", "archive")


def add_parsers(sub: Any) -> None:
    add = sub.add_parser("add", help="add a task (to FILE#SECTION, else to today's daily document)")
    add.add_argument("text", metavar="TEXT")
    add.add_argument("--to", metavar="FILE[#SECTION]", help="where the task goes (a missing section is created)")
    add.add_argument("--priority", metavar="P", help="P0-P3")
    add.add_argument("--due", metavar="DATE", help="2026-12-05, today, +1w, next monday")
    add.add_argument("--json", action="store_true", help="print what changed as JSON")
    edit = sub.add_parser("edit", help="change the task on FILE:LINE")
    edit.add_argument("target", metavar="FILE:LINE")
    edit.add_argument("--text", help="the task's new words (its metadata stays)")
    edit.add_argument("--state", help="open, in-progress, done, cancelled or deferred")
    edit.add_argument("--priority", metavar="P", help="P0-P3, or none")
    edit.add_argument("--due", metavar="DATE", help="a date, a shift (+1d, +1w), next monday, or none")
    edit.add_argument("--scheduled", metavar="DATE", help="as --due, for the scheduled date")
    edit.add_argument("--json", action="store_true", help="print what changed as JSON")
    move = sub.add_parser("move", help="move the task on FILE:LINE, with its subtasks")
    move.add_argument("target", metavar="FILE:LINE")
    move.add_argument("--to", required=True, metavar="FILE[#SECTION]")
    move.add_argument("--json", action="store_true", help="print what changed as JSON")
    archive = sub.add_parser("archive", help="move a section's done tasks into the document's Done section")
    archive.add_argument("target", metavar="FILE[#SECTION]")
    archive.add_argument("--json", action="store_true", help="print what changed as JSON")


def dispatch(args: argparse.Namespace) -> int:
    from planner.workspace.loader import LoadProblem  # noqa: PLC0415
    from planner.writer.patch import EditError  # noqa: PLC0415

    try:
        changes = {"add": _add, "edit": _edit, "move": _move, "archive": _archive}[args.command](args)
    except (EditError, LoadProblem, ValueError) as err:
        error(str(err))
        return 1
    _report(changes, args.json)
    return 0


# -- where ---------------------------------------------------------------------------------------


def _load(path: str):  # noqa: ANN202
    from planner.workspace.loader import LoadProblem, load_document  # noqa: PLC0415

    reason = missing_file(path)
    if reason is not None:
        raise LoadProblem(reason)
    return load_document(path)[0]


def split_destination(text: str) -> tuple[str, str | None]:
    path, sep, section = text.partition("#")
    if not path:
        raise ValueError(f"{text}: expected FILE[#SECTION]")
    return path, (section.strip() or None) if sep else None


def find_section(document: Any, name: str) -> int | None:
    """The section called ``name`` (its title as read, case and blanks aside; or a unique
    beginning of one); None when there is none; a one-line error when several fit."""
    from planner.writer.patch import EditError, without_marker  # noqa: PLC0415

    wanted = " ".join(name.lower().split())
    titles = [(s.index, " ".join(without_marker(s.label or s.title).lower().split())) for s in document.sections]
    for test in (lambda t: t == wanted, lambda t: t.startswith(wanted), lambda t: wanted in t):
        found = [index for index, title in titles if test(title)]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            names = ", ".join(f"'{document.sections[i].label or document.sections[i].title}'" for i in found[:4])
            raise EditError(f"{document.path}: '{name}' could be {names}; say which")
    return None


def _default_section(document: Any) -> int | None:
    from planner.views.capture import default_section  # noqa: PLC0415

    return default_section(document)


def _capture_target() -> tuple[Any, int | None]:
    from planner.views.capture import capture_place  # noqa: PLC0415
    from planner.workspace.workspace import Workspace  # noqa: PLC0415
    from planner.writer.patch import EditError  # noqa: PLC0415

    workspace = Workspace(["."])
    workspace.load()
    place = capture_place(list(workspace.documents.values()))
    if place is None:
        raise EditError("no daily document here to capture into; say where with --to FILE[#SECTION]")
    return _load(place[0].path), place[1]


# -- the commands --------------------------------------------------------------------------------


def _add(args: argparse.Namespace) -> list[tuple[Any, Any]]:
    from planner.writer import fields, lines  # noqa: PLC0415
    from planner.writer.when import parse_when  # noqa: PLC0415

    create = None
    if args.to:
        path, name = split_destination(args.to)
        document = _load(path)
        section = find_section(document, name) if name else _default_section(document)
        if name and section is None:
            create = name
    else:
        document, section = _capture_target()
    edit, document = lines.add_task(document, section, args.text, create=create)
    changes = [(edit, document)]
    task = document.task_at_line(edit.line)
    if args.priority and task is not None:
        changes.append(fields.set_priority(document, task, args.priority))
        document = changes[-1][1]
        task = document.task_at_line(edit.line)
    if args.due and task is not None:
        changes.append(fields.set_date(document, task, parse_when(args.due)))
    return changes


def _task_of(target: str) -> tuple[Any, Any, int]:
    from planner.writer.patch import EditError  # noqa: PLC0415

    path, line = parse_target(target)
    document = _load(path)
    task = document.task_at_line(line)
    if task is None:
        raise EditError(f"{path}:{line}: no task on this line")
    return document, task, line


def _edit(args: argparse.Namespace) -> list[tuple[Any, Any]]:
    from planner.writer import fields  # noqa: PLC0415
    from planner.writer.patch import EditError  # noqa: PLC0415
    from planner.writer.when import parse_when  # noqa: PLC0415

    document, task, line = _task_of(args.target)
    steps = []
    if args.text is not None:
        steps.append(lambda d, t: fields.set_text(d, t, args.text))
    if args.state is not None:
        steps.append(lambda d, t: fields.set_state(d, t, args.state))
    if args.priority is not None:
        steps.append(lambda d, t: fields.set_priority(d, t, args.priority))
    for kind in ("due", "scheduled"):
        value = getattr(args, kind)
        if value is not None:
            steps.append(lambda d, t, kind=kind, value=value: _date_step(d, t, kind, value, fields, parse_when))
    if not steps:
        raise EditError("nothing to change: give --text, --state, --priority, --due or --scheduled")
    changes = []
    for step in steps:
        edit, document = step(document, task)
        changes.append((edit, document))
        task = document.task_at_line(edit.line) or task
    return changes


def _date_step(document: Any, task: Any, kind: str, value: str, fields: Any, parse_when: Any) -> tuple[Any, Any]:
    from planner.writer.patch import read_file  # noqa: PLC0415

    if value.strip().lower() in ("none", "-", ""):
        return fields.set_date(document, task, None, kind)
    base = fields.current_date(read_file(document.path), task, kind)
    return fields.set_date(document, task, parse_when(value, base), kind)


def _move(args: argparse.Namespace) -> list[tuple[Any, Any]]:
    from planner.writer import lines  # noqa: PLC0415

    document, task, _ = _task_of(args.target)
    path, name = split_destination(args.to)
    same = os.path.realpath(path) == os.path.realpath(document.path)
    target = document if same else _load(path)
    section = find_section(target, name) if name else _default_section(target)
    if name and section is None:
        from planner.writer.patch import EditError  # noqa: PLC0415

        raise EditError(f"{path}: no section '{name}'")
    return lines.move_task(document, task, target, section)


def _archive(args: argparse.Namespace) -> list[tuple[Any, Any]]:
    from planner.writer import lines  # noqa: PLC0415
    from planner.writer.patch import EditError  # noqa: PLC0415

    path, name = split_destination(args.target)
    document = _load(path)
    if name:
        section = find_section(document, name)
        if section is None:
            raise EditError(f"{path}: no section '{name}'")
        return [lines.archive(document, section)]
    changes = []
    for section in [None, *(s.index for s in document.sections)]:  # every section of the file
        try:
            edit, document = lines.archive(document, section)
        except EditError as err:
            if "no done tasks" in str(err) or "Done section already" in str(err):
                continue
            raise
        changes.append((edit, document))
    if not changes:
        raise EditError(f"{path}: no done tasks to archive")
    return changes


# -- output --------------------------------------------------------------------------------------


def change_json(edit: Any) -> list[dict[str, Any]]:
    """What an edit changed, a row per place: its line, the text there before and after
    (null where lines were only added or only taken away)."""

    def text(value: bytes) -> str | None:
        value = value.strip(b"\r\n")
        return value.decode("utf-8", "surrogateescape") if value else None

    if edit.one_line:
        return [{"file": edit.path, "line": edit.line, "before": text(edit.line_before), "after": text(edit.line_after), "description": edit.description}]
    return [
        {"file": edit.path, "line": line, "before": text(span.old), "after": text(span.new), "description": edit.description}
        for span, line in zip(edit.spans, edit.span_lines, strict=True)
    ]


def _report(changes: list[tuple[Any, Any]], as_json: bool) -> None:
    from planner.cli.output import emit_json  # noqa: PLC0415

    rows = [row for edit, _ in changes for row in change_json(edit)]
    for row in rows:
        row["file"] = _relative(row["file"])
    if as_json:
        first = rows[0]
        emit_json({"file": first["file"], "line": first["line"], "before": first["before"], "after": first["after"], "changes": rows})
        return
    for row in rows:
        print(f"{terminal_safe(row['file'])}:{row['line']}: {terminal_safe(row['description'])}")
        for sign, key in (("-", "before"), ("+", "after")):
            for line in (row[key] or "").splitlines() if row[key] is not None else []:
                print(f"  {sign} {terminal_safe(line)}")


def _relative(path: str) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return path
