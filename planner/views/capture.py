"""Where a captured task goes: today's daily document, in the section that holds today's tasks
(its last list of checkboxes there, else the section itself)."""

from __future__ import annotations

from planner.model.document import Document
from planner.views.focus import _task_sections, find_daily


def default_section(document: Document) -> int | None:
    """Where a task goes in a file when no section is named: the section of its last checkbox."""
    tasks = [t for t in document.tasks if t.kind == "checkbox"]
    if tasks:
        return tasks[-1].section
    return document.sections[-1].index if document.sections else None


def capture_place(documents: list[Document]) -> tuple[Document, int | None] | None:
    """(today's daily document, the section a captured task goes to), or None without one."""
    daily = find_daily(documents)
    if daily is None:
        return None
    sections = _task_sections(daily)
    if not sections:
        return daily, default_section(daily)
    top = daily.sections[sections[0]]
    inside = [t for t in daily.tasks if t.kind == "checkbox" and top.line <= t.line <= top.end_line]
    return daily, (inside[-1].section if inside else top.index)
