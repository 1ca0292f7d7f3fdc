"""Open checkboxes that say they are not plain todo work, by their place or their own text.

* A **state lane**: a heading that only names the state of the work under it — "In Progress",
  "Doing", "WIP", "Em andamento", "En cours", "In Arbeit" (a kanban board's lane, a TODO.md's
  section). Its top-level open boxes are in progress; their subtasks are steps of that work and
  stay todo. "Ongoing" and "Started" are left out: checklists use them for recurring work
  ("### Week 1 / ### Month 1 / ### Ongoing").
* A **struck-through** box: ``- [ ] ~~Add hook for debug drawers~~`` — its whole text struck,
  the way people cancel an item without a dialect: cancelled, never open work.

Only the status type and the name shown change; the box's raw state and its bytes stay as
written, and a tick still writes ``[x]``.
"""

from __future__ import annotations

import re

from planner.model.languages import STATUS_WORDS, alternation
from planner.model.mojibake import repair

IN_PROGRESS = "in progress"
CANCELLED = "cancelled"

_LOCAL_IN_PROGRESS = alternation([word for word, meaning in STATUS_WORDS.items() if meaning == "in_progress"])
_IN_PROGRESS_LANE = re.compile(
    r"(?i)^(?:(?:currently\s+)?in[\s-]?progress|doing|wip|work\s+in\s+progress|now\s+doing"
    rf"|currently\s+working(?:\s+on)?|working\s+on|{_LOCAL_IN_PROGRESS})(?:\s+(?:tasks?|items?|work|cards?))?$"
)
# What a heading loses before it is judged: emoji and marks, a count or a note in parentheses.
_NOISE = re.compile(r"\([^)]*\)|\[[^\]]*\]|[^\w\s'’-]")
_STRUCK = re.compile(r"^~~(?!~)(?:[^~]|~(?!~))+~~\s*$")


def is_in_progress_lane(title: str) -> bool:
    """Whether a heading only names work in progress ("🚧 In Progress (3)", "Doing", "Em andamento")."""
    bare = " ".join(_NOISE.sub(" ", repair(title)).split()).strip(" -–—:,")
    return bool(bare) and bool(_IN_PROGRESS_LANE.match(bare))


def is_struck(text: str) -> bool:
    """Whether a checkbox's whole text is struck through (``~~…~~``)."""
    return bool(_STRUCK.match(text.strip()))


def open_box_status(text: str, depth: int, section_title: str | None) -> str | None:
    """The state an open checkbox has beyond todo (:data:`IN_PROGRESS`, :data:`CANCELLED`), or None."""
    if is_struck(text):
        return CANCELLED
    if depth == 0 and section_title is not None and is_in_progress_lane(section_title):
        return IN_PROGRESS
    return None
