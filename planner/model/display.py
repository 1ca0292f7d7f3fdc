"""Text as a person should read it: mojibake repaired, status markers dropped, spaces folded.

Text made safe for a terminal is :mod:`planner.safe_text` (re-exported here).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from planner.model.mojibake import repair
from planner.safe_text import is_terminal_safe, terminal_safe

if TYPE_CHECKING:  # only compares strings: the TUI's first frame uses it without the model
    from planner.model.document import Task

__all__ = ["display_text", "display_title", "is_terminal_safe", "plain_inline", "terminal_safe", "without_marker"]

_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
_EMPHASIS = re.compile(r"(?<![\w*_])(\*\*|__|\*|_)(?=\S)|(?<=\S)(\*\*|__|\*|_)(?![\w*_])")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


def plain_inline(text: str) -> str:
    """``text`` as Markdown shows it, without its inline markup: emphasis (``**TASK-001**``,
    ``_x_``), code ticks and link targets removed (``[docs](a.md)`` → ``docs``); the
    inside of a code span is kept as written. Only paired markup goes: ``2*3``, ``snake_case``
    and a lone ``*`` stay."""
    if not any(c in text for c in "*_`[~"):
        return text
    parts: list[str] = []
    position = 0
    for span in _CODE_SPAN.finditer(text):
        parts.append(_EMPHASIS.sub("", _LINK.sub(r"\1", text[position : span.start()])))
        parts.append(span.group(2).strip())
        position = span.end()
    parts.append(_EMPHASIS.sub("", _LINK.sub(r"\1", text[position:])))
    return "".join(parts)


# Upper-case words that make a status word part of the title's phrase: "Phase 3 - ALL COMPLETE ✅".
_QUALIFIER = re.compile(r"\b(?:ALL|FULLY|NOW|MOSTLY|PARTIALLY|PARTLY|NEARLY|ALMOST|NOT|BOTH|EVERYTHING|100%)[ \t]+$")
_SYMBOLS = re.compile(r"[^\w\s%'’./-]+")


def without_marker(text: str, marker: str) -> str:
    """``text`` without its status ``marker`` ("Fix login ✅ DONE" → "Fix login "), except the
    marker's words when they end a phrase of the title: "Phase 3 - ALL COMPLETE ✅" keeps
    "ALL COMPLETE" (dropping only the emoji), never "Phase 3 - ALL"."""
    at = text.find(marker) if marker else -1
    if at < 0:
        return text
    before, after = text[:at], text[at + len(marker) :]
    if marker[:1].isalpha() and _QUALIFIER.search(before):
        return before + _SYMBOLS.sub(" ", marker) + after
    return before + " " + after


def display_text(text: str) -> str:
    return " ".join(repair(text).split())


def display_title(task: Task) -> str:
    """What a person should read for ``task``: mojibake repaired, the heading's status marker dropped."""
    text = task.text
    if task.kind == "heading":
        text = without_marker(text, task.marker).replace("()", "")
    return display_text(text).strip(" -–—:")
