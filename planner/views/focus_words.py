"""The heading words of a day's plan: today's focus and tasks, done, blocked, next action.

English is written here; the other languages come from :mod:`planner.model.languages`, a
repository's own words from its ``.planner.toml`` (:class:`planner.model.vocabulary.SectionPattern`).
"""

from __future__ import annotations

import re

from planner.model.languages import PLACEHOLDERS, SECTION_WORDS, alternation
from planner.model.vocabulary import SectionPattern
from planner.views import meta

_TODAY = r"(?:today'?s?|todays|today’s)"
# Headings that say "today": any of them makes a document the day's plan.
FOCUS_HEADING = re.compile(
    rf"(?i)\b{_TODAY}\s+(?:main\s+)?(?:focus|priorities|priority|goals?|objectives?|agenda|theme)\b"
    r"|\bfocus\s+(?:for|of)\s+(?:today|the\s+day)\b|\b(?:main\s+)?focus\s*:\s*today\b"
    rf"|(?<!\w)(?:{alternation(SECTION_WORDS['focus'])})(?!\w)"
)
TASKS_HEADING = SectionPattern(re.compile(
    rf"(?i)\b{_TODAY}\s+(?:tasks?|to-?dos?|work|plan|checklist|items)\b"
    r"|\b(?:tasks?|to-?dos?|plan|work)\s+(?:for\s+)?today\b|^\W*today\W*$"
    r"|\b(?:plan(?:ning)?|going|want|need|will)\s+to\s+do\s+today\b|\bto-?do\s+today\b"
    rf"|(?<!\w)(?:{alternation(SECTION_WORDS['tasks'])})(?!\w)|^\W*(?:{alternation(SECTION_WORDS['today'])})\W*$"
), "today")
# "Daily Tasks - March 20, 2024", "Daily Plan": only as the document's title (a study guide's
# "## The Daily Plan" section is no day's plan).
DAILY_TITLE = re.compile(
    r"(?i)\bdaily\s+(?:tasks?|plan|backlog|to-?dos?|focus|goals?|agenda)\b"
    rf"|(?<!\w)(?:{alternation(SECTION_WORDS['daily'])})(?!\w)"
)
_DONE_WORDS = alternation(SECTION_WORDS["done"])
_TODAY_WORDS = alternation(SECTION_WORDS["today"])
COMPLETED_HEADING = SectionPattern(re.compile(
    r"(?i)^\W*(?:completed|done|finished|accomplished|shipped)(?:\s+(?:today|so\s+far|this\s+morning))?\b"
    rf"|\b(?:completed|done|finished|accomplished)\s+today\b|\b{_TODAY}\s+(?:wins|progress|accomplishments)\b"
    rf"|^\W*(?:{_DONE_WORDS})(?:\s+(?:{_TODAY_WORDS}))?(?!\w)|(?<!\w)(?:{_TODAY_WORDS})\s+(?:{_DONE_WORDS})(?!\w)"
    rf"|(?<!\w)(?:{_DONE_WORDS})\s+(?:{_TODAY_WORDS})(?!\w)"
), "done")
BLOCKED_HEADING = SectionPattern(re.compile(
    r"(?i)\b(?:blocked|blockers?|waiting|on\s+hold|impediments?|stuck)\b"
    rf"|(?<!\w)(?:{alternation(SECTION_WORDS['blocked'])})(?!\w)"
), "blocked")
NEXT_HEADING = re.compile(r"(?i)\b(?:next\s+(?:immediate\s+)?(?:action|step)s?|start\s+here|up\s+next|first\s+thing)\b")
_START_HERE = re.compile(r"(?i)\bstart\s+here\b")
NEXT_KEYS = ("next action", "next immediate action", "next step", "next", "start with", "up next", "first task")
_PLACEHOLDER = re.compile(
    r"(?i)^\W*(?:none|nothing|n/?a|tbd|no\s+(?:tasks?|items?|blockers?))\b"
    rf"|^\W*(?:{alternation(PLACEHOLDERS)})(?!\w)"
)
_BLOCKED_STATUS = meta.BLOCKED_STATUS
_TASK_LIKE = re.compile(r"(?i)^\W*(?:task|step|todo|item|story|ticket|bug|fix|issue|#?\d+(?:\.\d+)*[.):]?\s)")
_NOT_WORK = re.compile(
    r"(?i)^\W*(?:notes?|summary|context|background|rationale|success\s+criteria|timeline|resources|references?)\b"
)
