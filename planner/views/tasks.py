"""The flat task list: every task with its file, section path and effective priority."""

from __future__ import annotations

from dataclasses import dataclass

from planner.model.display import display_title
from planner.model.document import DONE, Document, Task
from planner.views.task_json import FILE_HEAD, TaskJson, encode

__all__ = ["TaskRow", "display_section", "display_title", "render_task_json", "task_objects", "task_rows"]


@dataclass(frozen=True)
class TaskRow:
    document: Document
    task: Task
    title: str  # display text: repaired, heading marker removed
    section: tuple[str, ...]  # display titles of the enclosing headings
    priority: str | None


def display_section(document: Document, section: int | None) -> tuple[str, ...]:
    return document.section_labels(section)


def task_rows(documents: list[Document]) -> list[TaskRow]:
    rows: list[TaskRow] = []
    for document in documents:
        paths: dict[int | None, tuple[str, ...]] = {}  # many tasks share a section
        for task in document.tasks:
            path = paths.get(task.section)
            if path is None:
                path = paths[task.section] = display_section(document, task.section)
            rows.append(TaskRow(document, task, task.title, path, task.priority))
    return rows


def task_objects(document: Document, file: str) -> list[dict[str, object]]:
    """The document's tasks as ``planner tasks --json`` objects (schema planner/1), "file" first."""
    # Built from the tasks directly (no TaskRow): the rows' fields are the task's own.
    paths: dict[int | None, tuple[str, ...]] = {}  # many tasks share a section
    objects: list[dict[str, object]] = []
    for task in document.tasks:
        path = paths.get(task.section)
        if path is None:
            path = paths[task.section] = display_section(document, task.section)
        objects.append(
            {
                "file": file,
                "line": task.line,
                "text": task.title,
                "state": task.state,
                "kind": task.kind,
                "section": path,  # a tuple: encoded as a JSON array
                "priority": task.priority,
                "raw": task.text,
                "depth": task.depth,
                "status": task.status,
            }
        )
    return objects


# Where one task object ends and the next begins in the encoded list: it cannot occur
# inside a JSON string, where every '"' is escaped.
_NEXT_OBJECT = "," + FILE_HEAD


def render_task_json(document: Document) -> TaskJson:
    """The document's task objects encoded once, file left out (see :mod:`planner.views.task_json`)."""
    objects = task_objects(document, "")
    stored: tuple[bytes, ...] | tuple[str, ...] = ()
    if objects:
        # One encoder call for the whole list: "[" + head + a + "," + head + b + "]", cut
        # into a and b (each with its closing "}") before each next head.
        listed = encode(objects)
        if not listed.startswith("[" + FILE_HEAD):  # task_objects puts "file" first: a bug, never data
            raise AssertionError(f"task JSON does not start with {FILE_HEAD!r}: {listed[:40]!r}")
        tails = listed[1 + len(FILE_HEAD) : -1]
        try:  # encoded once, then cut (UTF-8 of the whole is the UTF-8 of its pieces)
            stored = tuple(tails.encode("utf-8").split(_NEXT_OBJECT.encode("utf-8")))
        except UnicodeEncodeError:  # bytes that were not UTF-8 (lone surrogates): kept as text
            stored = tuple(tails.split(_NEXT_OBJECT))
        if len(stored) != len(objects):
            raise AssertionError(f"{len(objects)} task objects encoded as {len(stored)}")
    return TaskJson(document.kind, stored, bytes(task.state != DONE for task in document.tasks))
