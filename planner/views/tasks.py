"""The flat task list: every task with its file, section path and effective priority."""

from __future__ import annotations

from dataclasses import dataclass

from planner.model.display import display_title
from planner.model.document import Document, Task
from planner.model.states import OPEN_TYPES
from planner.views.task_json import TaskJson, encode_string

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
                "status_type": task.status_type,
            }
        )
        # Dates and tags where known (PRODUCT.md): most tasks have none, and 32,000 tasks
        # with five empty keys each would be a third more output for nothing.
        for key, value in (("due", task.due), ("scheduled", task.scheduled), ("start", task.start), ("done_date", task.done_date)):
            if value is not None:
                objects[-1][key] = value
        if task.tags:
            objects[-1]["tags"] = list(task.tags)
    return objects


_BOX_TYPES = {"open": "todo", "done": "done", "/": "in_progress", "-": "cancelled", ">": "non_task"}


def render_task_json(document: Document) -> TaskJson:
    """The document's task objects encoded, file left out (see :mod:`planner.views.task_json`).

    Written straight from the tasks, as ``encode(task_objects(document, ""))`` writes each
    object after its ``{"file":"",`` (keys in the same order, strings by the encoder's own
    function, ints as ``repr``, None as null): a cold load renders every task, and this
    costs half of building the dicts and encoding them. tests/test_scale_warm.py holds it
    to that encoding.
    """
    string = encode_string
    sections: dict[int | None, str] = {}  # many tasks share a section: its labels encoded once
    tails: list[str] = []
    open_flags = bytearray()
    for task in document.tasks:
        section = sections.get(task.section)
        if section is None:
            section = sections[task.section] = "[" + ",".join(map(string, display_section(document, task.section))) + "]"
        priority = task.priority
        status = task.status
        # Task.status_type, without its two calls for the common checkbox states (this runs per task).
        status_type = _BOX_TYPES.get(task.state) if task.kind == "checkbox" and task.box_status is None else None
        if status_type is None:
            status_type = task.status_type
        open_flags.append(status_type in OPEN_TYPES)
        due, scheduled, start, done_date, tags = task.due, task.scheduled, task.start, task.done_date, task.tags
        if due is None and scheduled is None and start is None and done_date is None and not tags:
            dates = "}"  # most tasks: no dates, no tags
        else:
            known = [(k, v) for k, v in (("due", due), ("scheduled", scheduled), ("start", start), ("done_date", done_date)) if v is not None]
            dates = "".join(f',"{k}":{string(v)}' for k, v in known)
            if tags:
                dates += f',"tags":[{",".join(map(string, tags))}]'
            dates += "}"
        tails.append(
            f'"line":{task.line:d},"text":{string(task.title)},"state":{string(task.state)},'
            f'"kind":{string(task.kind)},"section":{section},'
            f'"priority":{"null" if priority is None else string(priority)},"raw":{string(task.text)},'
            f'"depth":{task.depth:d},"status":{"null" if status is None else string(status)},'
            f'"status_type":"{status_type}"{dates}'  # a status type is a plain ASCII word
        )
    stored: tuple[bytes, ...] | tuple[str, ...]
    try:
        stored = tuple(tail.encode("utf-8") for tail in tails)
    except UnicodeEncodeError:  # bytes that were not UTF-8 (lone surrogates): kept as text
        stored = tuple(tails)
    # What `--open` keeps: open work, neither done nor cancelled nor deferred.
    return TaskJson(document.kind, stored, bytes(open_flags))
