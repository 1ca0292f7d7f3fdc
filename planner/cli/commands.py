"""What each subcommand does; all output goes through rich (tables) or JSON."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from planner.cli.output import emit_json, emit_json_stream
from planner.model.document import DONE, OPEN
from planner.views.tasks import task_rows
from planner.workspace.loader import LoadProblem, load_document
from planner.workspace.workspace import Workspace
from planner.writer.edit import EditError, set_done


def error(message: str) -> None:
    sys.stderr.write(f"planner: {message}\n")


def open_workspace(paths: list[str]) -> Workspace | None:
    roots = paths or ["."]
    missing = [p for p in roots if not Path(p).exists()]
    if missing:
        for path in missing:
            error(f"{path}: no such file or folder")
        return None
    workspace = Workspace(roots)
    workspace.load(LoadProgress() if sys.stderr.isatty() else None)
    for warning in workspace.warnings:
        error(warning)
    return workspace


class LoadProgress:
    """"loading 1,234/10,000 files" on the terminal while a long load runs; nothing for short ones."""

    DELAY = 0.5  # seconds before a load is worth reporting

    def __init__(self) -> None:
        self.start = time.monotonic()
        self.shown = False
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        if done >= total:
            if self.shown:
                sys.stderr.write("\r\033[K")  # clear the line before the output starts
                sys.stderr.flush()
            return
        now = time.monotonic()
        if now - self.start < self.DELAY or now - self.last < 0.1:
            return
        self.last = now
        self.shown = True
        sys.stderr.write(f"\rplanner: loading {done:,}/{total:,} files")
        sys.stderr.flush()


def dispatch(args: argparse.Namespace) -> int:
    if args.command == "tasks":
        return cmd_tasks(args)
    if args.command == "toggle":
        return cmd_toggle(args.targets)
    error(f"unknown command {args.command}")
    return 2


def run_app(argv: list[str]) -> int:
    from planner.tui.launch import launch  # noqa: PLC0415 - keep Textual out of the CLI commands

    return launch(argv)


# -- tasks -----------------------------------------------------------------------------------


def _json_tasks(workspace: Workspace, only_open: bool) -> Iterator[list[dict[str, object]]]:
    """Task objects file by file, so a huge workspace streams instead of piling up."""
    for document in workspace.documents.values():
        name = workspace.relative(document.path)
        yield [
            {
                "file": name,
                "line": row.task.line,
                "text": row.title,
                "state": row.task.state,
                "kind": row.task.kind,
                "section": row.section,  # a tuple: encoded as a JSON array
                "priority": row.priority,
                "raw": row.task.text,
                "depth": row.task.depth,
                "status": row.task.status,
            }
            for row in task_rows([document])
            if not (only_open and row.task.state == DONE)
        ]


def cmd_tasks(args: argparse.Namespace) -> int:
    workspace = open_workspace(args.paths)
    if workspace is None:
        return 2
    if args.json:
        batches = _json_tasks(workspace, args.open)
        if sys.stdout.isatty():  # a person reading: indented, all at once
            emit_json({"root": str(workspace.base), "tasks": [task for batch in batches for task in batch]})
        else:
            emit_json_stream({"root": str(workspace.base)}, "tasks", batches)
        return 0
    rows = task_rows(list(workspace.documents.values()))
    if args.open:
        rows = [r for r in rows if r.task.state != DONE]
    from planner.cli.render import print_tasks  # noqa: PLC0415 - rich only when printing

    print_tasks(workspace, rows)
    return 0


# -- toggle ----------------------------------------------------------------------------------


def parse_target(target: str) -> tuple[str, int]:
    path, sep, line = target.rpartition(":")
    if not sep or not path or not line.isdigit() or int(line) < 1:
        raise ValueError(f"{target}: expected FILE:LINE (line numbers start at 1)")
    return path, int(line)


def cmd_toggle(targets: list[str]) -> int:
    failed = 0
    documents = {}
    for target in targets:
        try:
            path, line = parse_target(target)
        except ValueError as err:
            error(str(err))
            failed += 1
            continue
        key = str(Path(path).absolute())
        try:
            document = documents.get(key)
            if document is None:
                document, _ = load_document(path)
            task = document.task_at_line(line)
            if task is None:
                raise EditError(f"{path}:{line}: no task on this line")
            edit, documents[key] = set_done(document, task, task.state != DONE)
        except (LoadProblem, EditError) as err:
            error(str(err))
            failed += 1
            continue
        verb = "ticked" if edit.done_after else "unticked"
        print(f"{verb} {path}:{edit.line}  {edit.description.split(' ', 1)[1]}")
    return 1 if failed else 0


__all__ = ["OPEN", "cmd_tasks", "cmd_toggle", "dispatch", "run_app"]
