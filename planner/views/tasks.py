"""The flat task list: every task with its file, section path and effective priority."""

from __future__ import annotations

from dataclasses import dataclass

from planner.model.display import display_title
from planner.model.document import Document, Task

__all__ = ["TaskRow", "display_section", "display_title", "task_rows"]


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
