"""What each subcommand does; all output goes through rich (tables) or JSON."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from planner.cli.output import emit_json, emit_json_stream
from planner.views.task_json import task_json_chunk
from planner.workspace.workspace import Workspace

# The model (pydantic), the parser and the writer are imported where they are used:
# a warm `planner tasks --json` to a pipe needs none of them.


def error(message: str) -> None:
    sys.stderr.write(f"planner: {message}\n")


def open_workspace(paths: list[str], task_json: bool = False) -> Workspace | None:
    roots = paths or ["."]
    missing = [p for p in roots if not Path(p).exists()]
    if missing:
        for path in missing:
            error(f"{path}: no such file or folder")
        return None
    workspace = Workspace(roots)
    workspace.load(LoadProgress() if sys.stderr.isatty() else None, task_json=task_json)
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


def cmd_tasks(args: argparse.Namespace) -> int:
    if args.json and not sys.stdout.isatty():
        return _stream_json_tasks(args)
    workspace = open_workspace(args.paths)
    if workspace is None:
        return 2
    from planner.model.states import OPEN_TYPES  # noqa: PLC0415
    from planner.views.tasks import task_objects, task_rows  # noqa: PLC0415

    if args.json:  # a person reading: indented, all at once
        tasks = [
            task
            for document in workspace.documents.values()
            for task in task_objects(document, workspace.relative(document.path))
            if not (args.open and task["status_type"] not in OPEN_TYPES)
        ]
        emit_json({"root": str(workspace.base), "tasks": tasks})
        return 0
    rows = task_rows(list(workspace.documents.values()))
    if args.open:
        rows = [r for r in rows if r.task.is_open]
    from planner.cli.render import print_tasks  # noqa: PLC0415 - rich only when printing

    print_tasks(workspace, rows)
    return 0


def _stream_json_tasks(args: argparse.Namespace) -> int:
    """Compact JSON to a pipe, file by file: each document's tasks as the text the cache
    keeps beside it (rendered once, when the file was parsed), with its name spliced in."""
    workspace = open_workspace(args.paths, task_json=True)
    if workspace is None:
        return 2
    relative = workspace.relative
    chunks = (task_json_chunk(stored, relative(path), args.open) for path, stored in workspace.task_json.items())
    emit_json_stream({"root": str(workspace.base)}, "tasks", chunks)
    return 0


# -- toggle ----------------------------------------------------------------------------------


def parse_target(target: str) -> tuple[str, int]:
    path, sep, line = target.rpartition(":")
    if not sep or not path or not line.isdigit() or int(line) < 1:
        raise ValueError(f"{target}: expected FILE:LINE (line numbers start at 1)")
    return path, int(line)


def cmd_toggle(targets: list[str]) -> int:
    from planner.model.document import DONE  # noqa: PLC0415
    from planner.workspace.loader import LoadProblem, load_document  # noqa: PLC0415
    from planner.writer.edit import EditError, set_done  # noqa: PLC0415

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


__all__ = ["cmd_tasks", "cmd_toggle", "dispatch", "run_app"]
