"""Priorities normalised to P0–P3, from headings, fields, task lines and emoji.

``P0``/``Priority 0``/``Critical``/🔴 → P0; ``P1``/``High``/🟠 → P1; ``P2``/``Medium``/🟡 → P2;
``P3``/``Low``/``Nice to Have``/``Future``/🟢 → P3; Obsidian Tasks 🔺 ⏫ 🔼 🔽 ⏬ likewise.
Emoji are recognised in their mangled spellings too (``ðŸ”´`` is 🔴).
"""

from __future__ import annotations

import re
from functools import lru_cache

from planner.model.document import Document, Task
from planner.model.mojibake import spellings

PRIORITIES = ("P0", "P1", "P2", "P3")

EMOJI_PRIORITY: dict[str, str] = {
    "🔴": "P0",
    "🔺": "P0",
    "🟠": "P1",
    "⏫": "P1",
    "🟡": "P2",
    "🔼": "P2",
    "🟢": "P3",
    "🔽": "P3",
    "⏬": "P3",
}

_EMOJI_SPELLINGS: dict[str, str] = {}
for _emoji, _level in EMOJI_PRIORITY.items():
    for _spelling in spellings(_emoji):
        _EMOJI_SPELLINGS[_spelling] = _level
_EMOJI = re.compile("|".join(re.escape(s) for s in sorted(_EMOJI_SPELLINGS, key=len, reverse=True)))

_EXPLICIT = re.compile(r"\b(?:P|Priority[ \t]*:?[ \t]*|Prio[ \t]*)([0-3])\b", re.IGNORECASE)
_WORDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(?:critical|urgent|blocker|highest)\b", re.I), "P0"),
    (re.compile(r"\bhigh\b", re.I), "P1"),
    (re.compile(r"\b(?:medium|normal|moderate)\b", re.I), "P2"),
    (re.compile(r"\b(?:low|lowest|nice[ -]to[ -]have|future|someday|backlog|optional)\b", re.I), "P3"),
)
# A heading names a priority lane when the priority is what it is about:
# "P0: Critical", "High Priority Items", "Priority 2", "🔴 Critical", "Nice to Have".
_HEADING_LANE = re.compile(
    r"""(?ix)^(?:
        P[0-3]\b
      | priority[ \t]*[0-3]\b
      | (?:critical|high|medium|low)(?:[ \t-]+priority)?\b(?![ \t]+(?!priority|items?|tasks?|issues?|work)\w)
      | nice[ -]to[ -]have
      | future(?:[ \t]+(?:work|enhancements?|ideas?))?\s*$
    )"""
)


def priority_of_emoji(text: str) -> str | None:
    match = _EMOJI.search(text)
    return _EMOJI_SPELLINGS[match.group()] if match else None


@lru_cache(maxsize=8192)
def normalize(value: str) -> str | None:
    """The priority a field value or free text states: ``"High - Major"`` → P1."""
    emoji = priority_of_emoji(value)
    if emoji:
        return emoji
    explicit = _EXPLICIT.search(value)
    if explicit:
        return f"P{explicit.group(1)}"
    # The earliest priority word wins: "Medium (was High)" is P2.
    best: tuple[int, str] | None = None
    for pattern, level in _WORDS:
        match = pattern.search(value)
        if match and (best is None or match.start() < best[0]):
            best = (match.start(), level)
    return best[1] if best else None


_LEADING_DECORATION = re.compile(r"^[\W_]+", re.UNICODE)


@lru_cache(maxsize=8192)
def heading_priority(title: str) -> str | None:
    """The priority lane a heading opens, or None for an ordinary heading."""
    emoji = priority_of_emoji(title)
    if emoji:
        return emoji
    bare = _LEADING_DECORATION.sub("", _EMOJI.sub("", title)).strip()
    if _HEADING_LANE.match(bare):
        return normalize(bare)
    if re.search(r"(?i)\b(?:high|medium|low|critical)[ \t-]+priority\b", bare):
        return normalize(bare)
    return None


_TASK_TAG = re.compile(r"(?:^|[\s(\[])(?:P([0-3]))(?=$|[\s:)\].,-])|\(priority:?\s*([0-3])\)", re.I)


@lru_cache(maxsize=8192)
def task_priority(text: str) -> str | None:
    """A priority written on a task line: Obsidian emoji, 🔴…, or a ``P1`` tag."""
    emoji = priority_of_emoji(text)
    if emoji:
        return emoji
    tag = _TASK_TAG.search(text)
    if tag:
        return f"P{tag.group(1) or tag.group(2)}"
    return None


def section_priorities(document: Document) -> list[str | None]:
    """Effective priority of every section: its own (heading or Priority field), else its parent's."""
    own: dict[int, str] = {}
    for field in document.fields:
        if field.section is not None and field.key == "priority" and field.section not in own:
            level = normalize(field.value)
            if level:
                own[field.section] = level
    result: list[str | None] = []
    for section in document.sections:
        level = heading_priority(section.title) or own.get(section.index)
        if level is None and section.parent is not None:
            level = result[section.parent]
        result.append(level)
    return result


def explicit_section_priority(document: Document, section: int) -> str | None:
    """A section's own priority (heading or Priority field), not inherited."""
    title_level = heading_priority(document.sections[section].title)
    if title_level:
        return title_level
    for field in document.fields:
        if field.section == section and field.key == "priority":
            return normalize(field.value)
    return None


def task_priorities(document: Document, sections: list[str | None] | None = None) -> list[str | None]:
    """Effective priority of every task: explicit on its line beats the section's."""
    if sections is None:
        sections = section_priorities(document)
    levels: list[str | None] = []
    for task in document.tasks:
        levels.append(effective_task_priority(document, task, sections))
    return levels


def effective_task_priority(document: Document, task: Task, sections: list[str | None]) -> str | None:
    if task.heads is not None:
        return sections[task.heads]
    explicit = task_priority(task.text) if task.kind == "checkbox" else None
    if explicit:
        return explicit
    return sections[task.section] if task.section is not None else None
