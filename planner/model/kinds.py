"""What kind of planning document a file is, judged by its content (not its name).

daily — a day's plan ("Today's Focus", "Today's Tasks", "Focus for today");
options — scope proposals or decisions ("Option A: …", "Plan B — …");
roadmap — priority queues (P0–P3 headings, "High Priority Items", 🔴🟠🟡🟢);
sprint — backlogs with phases, projects and Priority/Status fields;
generic — other Markdown with tasks; none — nothing to plan (skipped quietly).
"""

from __future__ import annotations

import re

from planner.model.document import Document
from planner.model.languages import SECTION_WORDS, alternation
from planner.model.mojibake import repair
from planner.model.priority import heading_priority

DAILY_HEADING = re.compile(
    r"(?i)\b(?:today'?s?|todays)[’']?s?\s+(?:focus|tasks?|priorities|plan|goals?|agenda)\b"
    r"|\bfocus\s+(?:for\s+)?today\b|\bdaily\s+(?:backlog|plan|focus|standup|log)\b|\btoday\b\s*$"
    rf"|(?<!\w)(?:{alternation([*SECTION_WORDS['tasks'], *SECTION_WORDS['focus'], *SECTION_WORDS['daily']])})(?!\w)"
    rf"|^\W*(?:{alternation(SECTION_WORDS['today'])})\W*$"
)
# "Option A: …", "Plan B — …", "Alternative 2", "Approach 1", "Proposal C". ("Scenario 1" is left
# out: in real documents it names test, failure or usage scenarios, not alternatives to choose.)
OPTION_LABEL = re.compile(
    r"(?i)^\W*(?P<word>option|plan|alternative|approach|proposal)\s+(?P<label>[A-Z]|\d{1,2})\b(?![.\d])"
)
_SPRINT = re.compile(r"(?i)\b(?:sprint|backlog|milestone|iteration|phase \d)\b")
_PLANNING_FIELDS = frozenset({"priority", "status", "effort", "estimate", "estimated effort", "owner", "timeline"})


def classify(document: Document) -> str:
    titles = [repair(s.title) for s in document.sections]
    if any(DAILY_HEADING.search(t) for t in titles):
        return "daily"
    # Proposals written as sections ("### Option A: …") make a next-steps/options document;
    # priority lanes make a roadmap even when it also lists a decision as checkboxes.
    if sum(1 for t in titles if OPTION_LABEL.match(t)) >= 2:
        return "options"
    if sum(1 for f in document.fields if OPTION_LABEL.match(f.name)) >= 2:  # "**Option A:** Ship it"
        return "options"
    if sum(1 for t in titles if heading_priority(t)) >= 2:
        return "roadmap"
    if sum(1 for t in document.tasks if t.kind == "checkbox" and OPTION_LABEL.match(t.text)) >= 2:
        return "options"
    if _task_file(document):
        return "sprint"  # a Backlog.md task file: its front matter is the task
    has_fields = any(f.key in _PLANNING_FIELDS for f in document.fields)
    if (document.title and _SPRINT.search(document.title)) or (has_fields and document.tasks):
        return "sprint"
    if document.tasks:
        return "generic"
    if has_fields and any(heading_priority(t) for t in titles):
        return "roadmap"
    if document.priority_items >= 2:
        return "roadmap"  # items titled with their priority: "1. **Search API (P1)**:" over sub-bullets
    if document.tables:  # planning tables (planner.model.tables): rows of work
        return "roadmap" if any("priority" in t.columns for t in document.tables) else "sprint"
    return "none"


def _task_file(document: Document) -> bool:
    """Front matter that describes a task: a priority, or a status with an id, assignee or dependencies."""
    keys = {f.key for f in document.fields if f.source == "yaml"}
    return "priority" in keys or ("status" in keys and bool(keys & {"id", "assignee", "assignees", "dependencies"}))
