"""Priorities normalised to P0–P3, from headings, fields, task lines and emoji.

``P0``/``Priority 0``/``Critical``/🔴 → P0; ``P1``/``High``/🟠 → P1; ``P2``/``Medium``/🟡 → P2;
``P3``/``Low``/``Nice to Have``/``Future``/🟢 → P3; Obsidian Tasks 🔺 ⏫ 🔼 🔽 ⏬ likewise.
Emoji are recognised in their mangled spellings too (``ðŸ”´`` is 🔴).

What is written wins over what is drawn: ``🔴 HIGH PRIORITY`` is P1 (some teams colour
their three lanes 🔴🟡🟢), and a colour alone (``### 2.1 Health checks 🟠``) is P1.
Priorities are inherited down the heading tree and from a task to its subtasks; a
priority written on a section (heading or ``**Priority**:`` field) or on a task line
beats the inherited one.
"""

from __future__ import annotations

import re
from functools import lru_cache

from planner.model.dialects import line_metadata
from planner.model import vocabulary
from planner.model.document import Document, Task
from planner.model.languages import PRIORITY_NAMES, PRIORITY_WORDS, alternation, spelled
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
    (re.compile(r"\b(?:critical|urgent|blocker|highest|must[ -]have)\b", re.I), "P0"),
    (re.compile(r"\b(?:high|important|should[ -]have)\b", re.I), "P1"),
    (re.compile(r"\b(?:medium|normal|moderate|could[ -]have)\b", re.I), "P2"),
    (re.compile(r"\b(?:low|lowest|nice[ -]to[ -]have|future|someday|backlog|optional|won'?t[ -]have)\b", re.I), "P3"),
)

# Priority words in the other languages (planner.model.languages), as one pattern per level.
_LOCAL_LEVELS = spelled(PRIORITY_WORDS)
_LOCAL_WORDS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(rf"(?i)(?<!\w)(?:{alternation([w for w, lv in _LOCAL_LEVELS.items() if lv == level])})(?!\w)"), level)
    for level in PRIORITIES
    if any(lv == level for lv in _LOCAL_LEVELS.values())
)
_LOCAL_NAME = alternation(list(PRIORITY_NAMES))
_LOCAL_WORD = alternation(list(_LOCAL_LEVELS))
# "Prioridade: Alta", "Priorité : haute", "Alta prioridade", "Hohe Priorität", "Prioridad 1".
_LOCAL_PRIORITY = re.compile(
    rf"(?i)(?<!\w)(?:(?:{_LOCAL_NAME})[ \t]*[:=–—-]?[ \t]*(?:{_LOCAL_WORD}|[0-3])|(?:{_LOCAL_WORD})[ \t]+(?:{_LOCAL_NAME}))(?!\w)"
)

# Words a priority lane heading may carry besides the priority itself:
# "High Priority Items", "P0: Critical (Do First)", "LOW Priority Issues - REMAINING".
_LANE_FILLER = frozenset(
    """p0 p1 p2 p3 priority priorities prio critical urgent important high highest medium normal low lowest
    nice to have future optional someday items item tasks task issues issue work bugs bug features
    feature enhancements enhancement improvements improvement ideas stories todo todos backlog
    remaining open fixes must should could requirements immediate immediately now next soon later asap
    short long term do first quick wins 0 1 2 3""".split()
) | frozenset(w for phrase in [*_LOCAL_LEVELS, *PRIORITY_NAMES] for w in re.findall(r"(?:[^\W_]|')+", phrase))
_LANE_FILLER |= frozenset(
    "tarefas tareas tâches taches aufgaben itens elementos éléments elemente de da do di del des la le die der".split()
)
_LEVEL_WORD = r"(?:critical|urgent|important|high|medium|low)"
# The heading starts with a priority: "P1: …", "Priority 2", "High Priority Items",
# "Critical Issues", "Nice to Have", "Future Enhancements (Optional)".
_LEADING_LEVEL = re.compile(
    rf"""(?ix)^(?:
        P[0-3]\b
      | priority[ \t]*[0-3]\b
      | priority[ \t]*[:=–—-][ \t]*\w+
      | {_LEVEL_WORD}(?:[ \t]*-?[ \t]*priority)?(?=$|[ \t]*[:(\[–—]|[ \t]+-[ \t]|[ \t]+(?:priority|items?|tasks?|issues?|work|bugs?|fixes|features?|stories)\b)
      | nice[ -]to[ -]have\b
      | future(?=$|[ \t]*[:(\[–—]|[ \t]+(?:work|enhancements?|improvements?|ideas?|features?|roadmap|plans?)\b)
    )"""
)
# A priority anywhere in the heading: "Sprint 5: Enhanced Operations (HIGH PRIORITY)".
_LEVEL_PRIORITY = re.compile(rf"(?i)\b{_LEVEL_WORD}[ \t-]+priority\b")
# A parenthesised priority: "Week 1: Async Migration (P0)", "Unit Tests (Future)".
_PAREN_PRIORITY = re.compile(
    r"(?i)\((?:P[0-3]|priority[ \t]*[0-3]|critical|urgent|high|medium|low|nice[ -]to[ -]have"
    r"|future(?:[ \t]+(?:work|enhancements?))?)\)"
)


def priority_of_emoji(text: str) -> str | None:
    match = _EMOJI.search(text)
    return _EMOJI_SPELLINGS[match.group()] if match else None


def _words_priority(value: str) -> str | None:
    explicit = _EXPLICIT.search(value)
    if explicit:
        return f"P{explicit.group(1)}"
    # The earliest priority word wins: "Medium (was High)" is P2.
    best: tuple[int, str] | None = None
    for pattern, level in _WORDS if value.isascii() and not _LOCAL_LEVELS_ASCII.search(value) else (*_WORDS, *_LOCAL_WORDS):
        match = pattern.search(value)
        if match and (best is None or match.start() < best[0]):
            best = (match.start(), level)
    if best is None:
        return vocabulary.extra_priority(value)
    return best[1]


# Told at C speed which values may hold a priority word of another language.
_LOCAL_LEVELS_ASCII = re.compile(
    rf"(?i)(?<!\w)(?:{alternation([w for w in _LOCAL_LEVELS if w.isascii()])})(?!\w)"
)


@lru_cache(maxsize=8192)
def normalize(value: str) -> str | None:
    """The priority a field value or free text states: ``"High - Major"`` → P1, ``"🟠"`` → P1.

    A list of levels is a legend or a template's placeholder, no priority: ``P0 | P1 | P2``,
    ``🔴 Critical, 🟠 High, 🟡 Medium``."""
    if ("|" in value or "," in value or "/" in value) and _is_legend(value):
        return None
    return _words_priority(value) or priority_of_emoji(value)


def _is_legend(value: str) -> bool:
    levels = {_words_priority(part) or priority_of_emoji(part) for part in re.split(r"[|,/]", value)}
    levels.discard(None)
    return len(levels) >= 2


_LEADING_DECORATION = re.compile(r"^[\W_]+", re.UNICODE)


def _bare(title: str) -> str:
    return _LEADING_DECORATION.sub("", _EMOJI.sub("", title)).strip()


@lru_cache(maxsize=8192)
def heading_priority(title: str) -> str | None:
    """The priority a heading states (a lane such as "P1: High" or an item such as "Fix X 🟠"), or None."""
    found = _heading_level(title)
    return found[0] if found else None


_BARE_WORD = re.compile(r"(?i)^(?:critical|urgent|important|high|medium|low)\b")


@lru_cache(maxsize=8192)
def _heading_level(title: str) -> tuple[str, bool] | None:
    """``(level, strong)``: strong when the heading says "priority", a P-number, a colour, or
    "Nice to have"/"Future"; weak for a bare level word ("Critical (Must backup)", "(CRITICAL)")."""
    bare = _bare(title)
    extra = vocabulary.extra_priority(bare, whole=True) if vocabulary.active().priorities else None
    if extra:
        return extra, True  # a repository's own lane word, the whole heading: "## Showstopper"
    local = _LOCAL_PRIORITY.search(bare)
    if local:
        digit = re.search(r"[0-3]", local.group())
        level = f"P{digit.group()}" if digit else _words_priority(local.group())
        if level:
            return level, True
    if _LEADING_LEVEL.match(bare) or _LEVEL_PRIORITY.search(bare):
        level = _words_priority(bare)
        if level:
            weak = (
                bool(_BARE_WORD.match(bare))
                and not _LEVEL_PRIORITY.search(bare)
                and not priority_of_emoji(title)
                and not _only_lane_words(bare)  # "Critical", "Critical Issues", "Low (later)" are lanes
            )
            return level, not weak
    paren = _PAREN_PRIORITY.search(bare)
    if paren:
        level = _words_priority(paren.group())
        if level:
            strong = bool(_EXPLICIT.search(paren.group()) or re.search(r"(?i)future|nice", paren.group()))
            return level, strong or bool(priority_of_emoji(title))
    emoji = priority_of_emoji(title)
    return (emoji, True) if emoji else None


def _only_lane_words(bare: str) -> bool:
    words = _FILLER_TOKEN.findall(re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", bare).lower())
    return bool(words) and all(w in _LANE_FILLER for w in words)


def heading_priorities(document: Document) -> list[str | None]:
    """The priority each heading states, in context: a bare level word ("Critical", "(High)") counts
    only when a sibling heading states a priority too ("Critical" / "High" / "Low" lanes); alone,
    "Critical (Must backup)" or "Today's Focus: … (CRITICAL)" is emphasis, not a priority."""
    found = [_heading_level(s.title) for s in document.sections]
    result: list[str | None] = []
    for section, level in zip(document.sections, found, strict=True):
        if level is None:
            result.append(None)
            continue
        if not level[1]:
            siblings = (
                document.sections[section.parent].children
                if section.parent is not None
                else [s.index for s in document.sections if s.parent is None]
            )
            if not any(found[i] is not None and i != section.index for i in siblings):
                result.append(None)
                continue
        result.append(level[0])
    return result


_FILLER_TOKEN = re.compile(r"(?:[^\W_]|')+")


@lru_cache(maxsize=8192)
def starts_with_priority(title: str) -> bool:
    """The heading opens with its priority: "High Priority - Core Visualization", "P1: Backend"."""
    bare = _bare(title)
    leading = _LEADING_LEVEL.match(bare) or (_LOCAL_PRIORITY.match(bare) is not None)
    return bool(leading) and heading_priority(title) is not None


@lru_cache(maxsize=8192)
def is_lane_heading(title: str) -> bool:
    """True when a heading *is* a priority lane ("High Priority Items", "🔴 P0: Critical (Do First)")
    rather than a piece of work that has a priority ("P1: Add caching", "Fix login 🟠")."""
    if heading_priority(title) is None:
        return False
    if vocabulary.active().priorities and vocabulary.extra_priority(_bare(title), whole=True):
        return True  # "## Showstopper": the repository's own lane word
    bare = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", _bare(title)).lower()
    # "Priority 1: Complete Phase 1" names work after the lane label: not a lane.
    words = _FILLER_TOKEN.findall(bare)
    if not words:
        return bool(priority_of_emoji(title))
    return all(w in _LANE_FILLER for w in words)


_TASK_TAG = re.compile(
    r"(?:^|[\s(\[#])(?:P([0-3]))(?=$|[\s:)\].,-])"
    r"|\(priority:?\s*([0-3])\)"
    r"|\b(?:priority|prioridade|prioridad|priorit[ée]|priorit[äa]t)\s*[:=]\s*(\w+)"
    r"|[(\[]\s*((?:critical|urgent|high|medium|low)(?:[ -]priority)?)\s*[)\]]"
    r"|\b((?:critical|high|medium|low)[ -]priority)\b",
    re.I,
)


# What every _TASK_TAG alternative needs (lower-cased): a priority word or a P-number.
_LEVEL_TAG = re.compile(r"[pP][0-3]")


def task_priority(text: str) -> str | None:
    """A priority written on a task line: Obsidian emoji, 🔴…, a ``P1`` tag, ``priority: high``."""
    if not text.isascii():  # every emoji spelling is non-ASCII
        emoji = priority_of_emoji(text)
        if emoji:
            return emoji
        if "\u0130" in text or "\u0131" in text:  # "İ", "ı": "i" to the tag pattern (re.I), not to lower()
            return _tagged_priority(text)
    # Most task lines have no priority word and no P-number: told at C speed before the
    # tag pattern runs (a chain of `in`, not a generator: this runs for every task).
    lowered = text.lower()
    if not (
        "priority" in lowered
        or "critical" in lowered
        or "urgent" in lowered
        or "high" in lowered
        or "medium" in lowered
        or "low" in lowered
        or "prio" in lowered  # prioridade, prioridad, priorité, priorität
        or _LEVEL_TAG.search(text)
    ):
        return None
    return _tagged_priority(text)


@lru_cache(maxsize=8192)
def _tagged_priority(text: str) -> str | None:
    for tag in _TASK_TAG.finditer(text):
        if tag.group(1) or tag.group(2):
            return f"P{tag.group(1) or tag.group(2)}"
        level = _words_priority(tag.group(3) or tag.group(4) or tag.group(5))
        if level:
            return level
    return None


def line_priority(text: str) -> str | None:
    """The priority a task line states in any dialect: Dataview's ``[priority:: highest]`` or a
    todo.txt ``(A)`` first, else emoji, P-tags and priority words (:func:`task_priority`)."""
    if "::" in text or text.startswith("(") or "!" in text:  # where a Dataview, todo.txt or !high priority can be
        level = line_metadata(text).priority
        if level:
            return level
    return task_priority(text)


def document_priority(document: Document) -> str | None:
    """The priority a whole document states: its front matter's ``priority:`` (a Backlog.md task
    file) or a ``priority:: …`` line above its first heading."""
    for field in document.fields:
        if field.section is None and field.key == "priority" and field.source in ("yaml", "dataview"):
            level = normalize(field.value)
            if level:
                return level
    return None


_TAG_MARKS = re.compile(r"(?i)(?:^|\s)(?:#P[0-3]|\[P[0-3]\])(?=$|\s)")


def strip_priority_marks(text: str) -> str:
    """``text`` without the priority marks a task or heading carries: 🔴 ⏫ (any spelling), #P1, [P2]."""
    return " ".join(_TAG_MARKS.sub(" ", _EMOJI.sub(" ", text[:4000])).split())


def field_priorities(document: Document) -> dict[int, str]:
    """Section → the priority its first ``**Priority**:`` field states (fields that state none are skipped)."""
    own: dict[int, str] = {}
    for field in document.fields:
        # A checkbox's own sub-bullet ("- [ ] Fix X" / "  - Priority: High") is the task's, not the section's.
        if field.section is not None and field.key == "priority" and field.task is None and field.section not in own:
            level = normalize(field.value)
            if level:
                own[field.section] = level
    return own


def section_priorities(document: Document) -> list[str | None]:
    """Effective priority of every section: its own (heading or Priority field), else its parent's."""
    own = field_priorities(document)
    headings = heading_priorities(document)
    whole = document_priority(document) if document.fields else None
    result: list[str | None] = []
    for section in document.sections:
        level = headings[section.index] or own.get(section.index)
        if level is None:
            level = result[section.parent] if section.parent is not None else whole
        result.append(level)
    return result


def explicit_section_priority(document: Document, section: int) -> str | None:
    """A section's own priority (heading or Priority field), not inherited."""
    title_level = heading_priorities(document)[section]
    if title_level:
        return title_level
    for field in document.fields:
        if field.section == section and field.key == "priority" and field.task is None:
            level = normalize(field.value)
            if level:
                return level
    return None


def task_priorities(document: Document, sections: list[str | None] | None = None) -> list[str | None]:
    """Effective priority of every task: on its line, else its parent task's, else its section's."""
    if sections is None:
        sections = section_priorities(document)
    whole = document_priority(document) if document.fields else None
    own = _task_field_priorities(document) if document.fields else {}
    levels: list[str | None] = []
    for task in document.tasks:
        # Parents come before their subtasks, so a parent's level is already known.
        inherited = levels[task.parent] if task.parent is not None else None
        if task.index in own and task.kind == "checkbox":
            # Its line's priority first, then its sub-bullet's "Priority: High", then the inherited one.
            level = effective_task_priority(document, task, sections, own[task.index])
        else:
            level = effective_task_priority(document, task, sections, inherited)
        levels.append(level or (whole if task.section is None else None))
    return levels


def _task_field_priorities(document: Document) -> dict[int, str]:
    """Checkbox → the priority its first sub-bullet Priority field states."""
    own: dict[int, str] = {}
    for field in document.fields:
        if field.task is not None and field.key == "priority" and field.task not in own:
            level = normalize(field.value)
            if level:
                own[field.task] = level
    return own


def effective_task_priority(
    document: Document, task: Task, sections: list[str | None], inherited: str | None = None
) -> str | None:
    if task.heads is not None:
        return sections[task.heads]
    explicit = None
    if task.kind == "checkbox":  # line_priority(), inlined: it runs for every checkbox
        text = task.text
        if "::" in text or text.startswith("(") or "!" in text:  # Dataview, todo.txt, !high, taskwiki
            explicit = line_metadata(text).priority
        explicit = explicit or task_priority(text)
    if explicit:
        return explicit
    if inherited:
        return inherited
    return sections[task.section] if task.section is not None else None


# A repository's priority words change what these say: their caches start afresh.
for _cached in (normalize, heading_priority, _heading_level, starts_with_priority, is_lane_heading, _tagged_priority):
    vocabulary.on_change(_cached.cache_clear)
