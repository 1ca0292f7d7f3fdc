"""The flat task list: every task with its file, section path and effective priority."""

from __future__ import annotations

from dataclasses import dataclass

from planner.model.document import Document, Task
from planner.model.mojibake import repair
from planner.model.priority import section_priorities, task_priorities


@dataclass(frozen=True)
class TaskRow:
    document: Document
    task: Task
    title: str  # display text: repaired, heading marker removed
    section: tuple[str, ...]  # display titles of the enclosing headings
    priority: str | None


def display_title(task: Task) -> str:
    """What a person should read for ``task``: mojibake repaired, status marker dropped."""
    text = task.text
    if task.kind == "heading":
        text = text.replace(task.marker, " ", 1).replace("()", "")
    return " ".join(repair(text).split()).strip(" -–—:")


def display_section(document: Document, section: int | None) -> tuple[str, ...]:
    return tuple(" ".join(repair(t).split()) for t in document.section_path(section))


def task_rows(documents: list[Document]) -> list[TaskRow]:
    rows: list[TaskRow] = []
    for document in documents:
        sections = section_priorities(document)
        levels = task_priorities(document, sections)
        for task, level in zip(document.tasks, levels, strict=True):
            rows.append(TaskRow(document, task, display_title(task), display_section(document, task.section), level))
    return rows
