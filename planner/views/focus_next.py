"""What focus shows when the day gives nothing open: the rules, apart from the focus screen's code.

* No daily document: the open P0 and P1 work of the queues; with none, the first open work of
  the queues (P2, then P3), with a headline saying so. Reference documents — runbooks, backup
  plans, checklists, workflow guides (:func:`planner.model.structure.is_reference`) — and
  templates never fill it: a ``hotfix/*`` branch's "Priority: Highest" is no P0 work. That
  choice is made from each document's cached part (:func:`planner.views.focus_parts.fallback_items`).
* A daily document with nothing open today: its own pending section ("## Pending Tasks",
  "## Backlog", "## Tarefas pendentes", through its High/Medium/Low groups) comes next; with
  none, the queues as above.
"""

from __future__ import annotations

import re

from planner.model.document import Document
from planner.model.languages import SECTION_WORDS, alternation
from planner.model.mojibake import repair
from planner.model.structure import template_sections

# Open work still to do, in a day's plan: what focus shows next when today has nothing open.
PENDING_HEADING = re.compile(
    r"(?i)^\W*(?:pending|open|remaining|outstanding|upcoming|backlog|to[\s-]?do|next\s+up|up\s+next|not\s+started"
    r"|still\s+to\s+do|carry[\s-]?over|carried\s+over|tomorrow)(?:\s+(?:tasks?|items?|work|to-?dos?))?\W*$"
    rf"|(?<!\w)(?:{alternation(SECTION_WORDS['pending'])})(?!\w)"
)


def pending_sections(document: Document, chosen: list[int]) -> list[int]:
    """Sections named as pending work, outside the sections already chosen for today (and their
    subsections) and outside templates, outermost first."""
    skip = set(chosen) | template_sections(document)
    found: list[int] = []
    for section in document.sections:
        parent = section.parent
        inside = section.index in skip
        while parent is not None and not inside:
            inside = parent in skip or parent in found
            parent = document.sections[parent].parent
        if not inside and PENDING_HEADING.search(repair(section.title)):
            found.append(section.index)
    return found
