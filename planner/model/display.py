"""Text as a person should read it: mojibake repaired, status markers dropped, spaces folded.

Text made safe for a terminal is :mod:`planner.safe_text` (re-exported here).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from planner.model.mojibake import repair
from planner.safe_text import is_terminal_safe, terminal_safe

if TYPE_CHECKING:  # only compares strings: the TUI's first frame uses it without the model
    from planner.model.document import Task

__all__ = ["display_text", "display_title", "is_terminal_safe", "terminal_safe"]


def display_text(text: str) -> str:
    return " ".join(repair(text).split())


def display_title(task: Task) -> str:
    """What a person should read for ``task``: mojibake repaired, the heading's status marker dropped."""
    text = task.text
    if task.kind == "heading":
        text = text.replace(task.marker, " ", 1).replace("()", "")
    return display_text(text).strip(" -–—:")
