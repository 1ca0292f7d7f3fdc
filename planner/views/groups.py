"""Headings that group work rather than being work, and placeholders that are no work.

A group is a heading whose words only name a frame for the items under it: a time window
("Week 3 (Future)", "Morning", "This Week"), a state lane ("In Progress", "Recently
Completed ✅", "Backlog"), or an area ("Backend Tasks", "Documentation Items"). Priority bands
("Priority 1 - Critical", "Nice to Have") are told by :func:`planner.model.priority.is_lane_heading`.
A group with checkboxes gives its attribute (priority, lane) to them; it is never an item.

A placeholder is an entry that only holds a template's blank: ``[Name]``, ``[Task name]``,
``TBD``, ``None``, ``None currently``, ``N/A``, ``…``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from planner.model.languages import PLACEHOLDERS, SECTION_WORDS, STATUS_WORDS, alternation
from planner.model.mojibake import repair

_WINDOW = (
    r"(?:week|day|month|quarter|sprint)\s*\d+|q[1-4](?:\s+\d{4})?|morning|afternoon|evening|tonight|night"
    r"|this\s+(?:week|month|quarter|sprint)|next\s+(?:week|month|quarter|sprint)|last\s+week|later|tomorrow"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekend|future|someday|now|next"
)
_STATE = (
    r"in\s+progress|to[\s-]?do|todos?|doing|done|complete|completed|recently\s+completed|finished|backlog"
    r"|icebox|blocked|waiting|on\s+hold|up\s+next|in\s+review|review|open|closed|pending|not\s+started|ready"
    r"|active|current|ongoing|archived?"
)
_AREA_NOUN = r"tasks|items|work|issues|bugs|todos|to-dos|stories|chores|tickets"
_LOCAL_STATE = alternation([*STATUS_WORDS, *SECTION_WORDS["pending"], *SECTION_WORDS["done"]])
_GROUP = re.compile(
    rf"(?i)^(?:(?:{_WINDOW}|{_STATE}|{_LOCAL_STATE})(?:\s+(?:{_AREA_NOUN}))?"
    rf"|[a-z][\w&/+.-]*(?:\s+[a-z][\w&/+.-]*){{0,3}}\s+(?:{_AREA_NOUN}))$"
)
# What a title loses before it is judged: parentheses ("(Future)"), emoji and marks, a date.
_NOISE = re.compile(r"\([^)]*\)|\[[^\]]*\]|\d{4}-\d{2}-\d{2}|[^\w\s&/+.'’-]")
# An area's first word must not make the heading a piece of work: "Fix Login Issues", "Task 1.1 work".
_WORK_VERB = re.compile(
    r"(?i)^(?:fix|add|implement|write|create|build|update|remove|refactor|migrate|set|review|test|deploy|"
    r"investigate|design|document|improve|support|handle|make|move|rename|task|step)\b"
)


@lru_cache(maxsize=8192)
def is_group_heading(title: str) -> bool:
    """Whether heading ``title`` only frames the work under it (see the module's documentation)."""
    text = " ".join(_NOISE.sub(" ", repair(title)).split()).strip(" -–—:")
    if not text or len(text) > 60:
        return False
    if _WORK_VERB.match(text) and not re.match(r"(?i)^review$", text):
        return False
    return bool(_GROUP.match(text))


_PLACEHOLDER = re.compile(
    rf"(?i)^\W*(?:none(?:\s+(?:currently|yet|so\s+far|for\s+now))?|nothing(?:\s+yet)?|n/?a|tbd|tba|tbc|todo"
    rf"|\.\.\.|…|-+|{alternation(PLACEHOLDERS)})\W*$"
    r"|^\s*\[[^\]]{1,40}\]\s*$"  # "[Name]", "[Task name]", "[Date]"
)


def is_placeholder(text: str) -> bool:
    """Whether an entry's text is only a template's blank ("[Name]", "TBD", "None currently")."""
    return bool(_PLACEHOLDER.match(repair(text).replace("*", "").replace("_", " ").strip()))
