"""Text as a person should read it: mojibake repaired, status markers dropped, spaces folded."""

from __future__ import annotations

from planner.model.document import Task
from planner.model.mojibake import repair


def display_text(text: str) -> str:
    return " ".join(repair(text).split())


def display_title(task: Task) -> str:
    """What a person should read for ``task``: mojibake repaired, the heading's status marker dropped."""
    text = task.text
    if task.kind == "heading":
        text = text.replace(task.marker, " ", 1).replace("()", "")
    return display_text(text).strip(" -–—:")
