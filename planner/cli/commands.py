"""What each subcommand does; all output goes through rich (tables) or JSON."""

from __future__ import annotations

import argparse
import os
import stat
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner.cli.output import emit_json, emit_json_stream
from planner.views.task_json import task_json_chunk
from planner.workspace.workspace import Workspace

if TYPE_CHECKING:
    from collections.abc import Iterator

    from planner.views.filter import Filter

# The model (pydantic), the parser and the writer are imported where they are used:
# a warm `planner tasks --json` to a pipe needs none of them.


def error(message: str) -> None:
    sys.stderr.write(f"planner: {message}\n")


def open_workspace(paths: list[str], task_json: bool = False, views: str | None = None) -> Workspace | None:
    roots = paths or ["."]
    missing = [p for p in roots if not Path(p).exists()]
    if missing:
        for path in missing:
            error(f"{path}: no such file or folder")
        return None
    workspace = Workspace(roots)
    progress = LoadProgress() if sys.stderr.isatty() else None
    try:
        workspace.load(progress, task_json=task_json, views=views)
    except KeyboardInterrupt:
        if progress is not None:
            progress.clear()  # Ctrl-C: the shell's prompt must not land after "loading 1,234/…"
        raise
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

    def clear(self) -> None:
        """Remove the progress line, if one is shown."""
        if self.shown:
            self.shown = False
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()

    def __call__(self, done: int, total: int) -> None:
        if done >= total:
            self.clear()  # before the output starts
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


def cli_filter(args: argparse.Namespace) -> Filter | None | str:
    """The ``--filter`` given (None without one), or a one-line reason it is not understood."""
    expression = getattr(args, "filter", None)
    if expression is None:
        return None
    from planner.views.filter import FilterError, parse_filter  # noqa: PLC0415

    try:
        return parse_filter(expression)
    except FilterError as err:
        return f"--filter: {err}"


def cmd_tasks(args: argparse.Namespace) -> int:
    filt = cli_filter(args)
    if isinstance(filt, str):
        error(filt)
        return 2
    if filt is not None:
        return _filtered_tasks(args, filt)
    if args.json and not sys.stdout.isatty():
        return _stream_json_tasks(args)
    if not sys.stdout.isatty():
        return _stream_plain_tasks(args)
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


_BOXES = {"open": "[ ]", "done": "[x]"}


def _filtered_tasks(args: argparse.Namespace, filt: Filter) -> int:
    """``planner tasks --filter EXPR``: the tasks that match, as JSON or a table at a terminal,
    else (to a pipe) JSON or the same tab-separated lines as without a filter."""
    from planner.model.states import OPEN_TYPES  # noqa: PLC0415
    from planner.views.facts import task_facts  # noqa: PLC0415
    from planner.views.tasks import task_objects, task_rows  # noqa: PLC0415

    if not sys.stdout.isatty():
        return _filtered_task_json(args, filt)
    workspace = open_workspace(args.paths)
    if workspace is None:
        return 2
    if args.json:
        tasks = []
        for document in workspace.documents.values():
            where = workspace.relative(document.path)
            wanted = {t.index for t in document.tasks if filt(task_facts(t, where))}
            tasks += [
                obj
                for task, obj in zip(document.tasks, task_objects(document, where), strict=True)
                if task.index in wanted and not (args.open and obj["status_type"] not in OPEN_TYPES)
            ]
        emit_json({"root": str(workspace.base), "tasks": tasks})
        return 0
    rows = [
        r
        for r in task_rows(list(workspace.documents.values()))
        if filt(task_facts(r.task, workspace.relative(r.document.path), r.title)) and not (args.open and not r.task.is_open)
    ]
    from planner.cli.render import print_tasks  # noqa: PLC0415 - rich only when printing

    print_tasks(workspace, rows)
    return 0


def _filtered_task_json(args: argparse.Namespace, filt: Filter) -> int:
    """To a pipe: the filter applied to the task JSON the cache keeps (no model is loaded: a
    task object holds every field a filter reads), printed as JSON or tab-separated lines."""
    from planner.views.filter import Facts  # noqa: PLC0415

    workspace = open_workspace(args.paths, task_json=True)
    if workspace is None:
        return 2
    kept = [
        task for task in _stored_tasks(workspace, args.open)
        if filt(Facts(task["text"], task["file"], task["priority"], task["status_type"], task.get("due"), tuple(task.get("tags", ()))))
    ]  # fmt: skip
    if args.json:
        emit_json({"root": str(workspace.base), "tasks": kept})
        return 0
    for task in kept:
        sys.stdout.write(_plain_line(task))
    return 0


def _stream_plain_tasks(args: argparse.Namespace) -> int:
    """To a pipe or a file: one task a line, whole, tab-separated, file by file as it is read
    (from the task JSON the cache keeps): ``FILE:LINE  [ ]  P1  text  section › path``. No
    column is cut to a width; control characters are shown, never sent (``--json`` is exact)."""
    workspace = open_workspace(args.paths, task_json=True)
    if workspace is None:
        return 2
    write = sys.stdout.write
    for task in _stored_tasks(workspace, args.open):
        write(_plain_line(task))
    return 0


def _stored_tasks(workspace: Workspace, only_open: bool) -> Iterator[dict[str, Any]]:
    """Each task object of the task JSON the workspace holds, file by file (paths as shown)."""
    import json  # noqa: PLC0415

    relative = workspace.relative
    for path, stored in workspace.task_json.items():
        chunk = task_json_chunk(stored, relative(path), only_open)
        if chunk:
            text = chunk.decode("utf-8", "surrogateescape") if isinstance(chunk, bytes) else chunk
            yield from json.loads("[" + text + "]")


def _plain_line(task: dict[str, Any]) -> str:
    """``FILE:LINE  [ ]  P1  text  section › path``: whole, tab-separated, terminal-safe."""
    from planner.safe_text import terminal_safe  # noqa: PLC0415

    box = _BOXES.get(task["state"], f"[{task['state']}]")
    fields = (f"{task['file']}:{task['line']}", box, task["priority"] or "", task["text"], " › ".join(task["section"]))
    return "\t".join(terminal_safe(field).replace("\t", " ") for field in fields) + "\n"


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
    """``FILE:LINE`` as (file, line); raise ValueError with a one-line message.

    Only ASCII digits make a line number: ``str.isdigit`` also takes "²" (which ``int``
    then refuses) and ``int`` takes "٥" as 5, neither of which anyone types for a line."""
    path, sep, line = target.rpartition(":")
    if not sep or not path:
        raise ValueError(f"{target}: expected FILE:LINE (line numbers start at 1)")
    if not (line.isascii() and line.isdigit()):
        raise ValueError(f"{target}: {line!r} is not a line number (expected FILE:LINE, line numbers start at 1)")
    if int(line) < 1:
        raise ValueError(f"{target}: expected FILE:LINE (line numbers start at 1)")
    return path, int(line)


def missing_file(path: str) -> str | None:
    """Why ``path``, named on the command line, is no file to edit (None: it may be one).

    Said before reading, so a file that never existed is "no such file"; "deleted or
    renamed" is kept for a file this run had read."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if os.path.lexists(path):
            return f"{path}: broken symlink (its target does not exist)"
        return f"{path}: no such file"
    except OSError:
        return None  # a symlink loop, permission denied…: the loader words it
    if stat.S_ISDIR(info.st_mode):
        return f"{path}: is a folder, not a file"
    return None


def cmd_toggle(targets: list[str]) -> int:
    from planner.workspace.loader import LoadProblem, load_document  # noqa: PLC0415
    from planner.writer.edit import EditError, toggle_line  # noqa: PLC0415

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
                reason = missing_file(path)
                if reason is not None:
                    raise EditError(reason)
                document, _ = load_document(path)
            edit, documents[key] = toggle_line(document, line)
        except (LoadProblem, EditError) as err:
            error(str(err))
            failed += 1
            continue
        except OSError as err:  # anything the writer did not word itself: still one line, and the next target
            error(f"{path}: {err.strerror or err}; nothing written")
            failed += 1
            continue
        verb = "ticked" if edit.done_after else "unticked"
        from planner.safe_text import terminal_safe  # noqa: PLC0415 - a pipe often ends at a terminal

        print(terminal_safe(f"{verb} {path}:{edit.line}  {edit.description.split(' ', 1)[1]}"))
    return 1 if failed else 0


__all__ = ["cmd_tasks", "cmd_toggle", "dispatch", "run_app"]
