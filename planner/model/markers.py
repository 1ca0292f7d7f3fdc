"""Status markers in headings: which headings are tasks, their state, and their done/open forms.

A heading is a task when it carries a status marker (``### Task 1.1: … (4-6 hours) ⏸️``,
``#### Phase 1: Foundation ✅ VERIFIED (2025-11-12)``, ``(✅ COMPLETE)``), unless it
is a status *section* ("Completed Today ✅", "Blocked/Waiting ⏸️") or the marker is
only a leading icon ("## ✅ Success Criteria"). Markers are found in their clean and
mangled spellings (see :mod:`planner.model.mojibake`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from planner.model.languages import SECTION_WORDS, STATUS_WORDS, spelled
from planner.model.languages import spellings as word_spellings
from planner.model.mojibake import spell, spellings

# Emoji markers and the status they stand for.
EMOJI_STATUS: dict[str, str] = {
    "✅": "done",
    "✔️": "done",
    "✔": "done",
    "☑️": "done",
    "☑": "done",
    "⏸️": "paused",
    "⏸": "paused",
    "🔄": "in progress",
    "🚧": "in progress",
    "⏳": "pending",
    "⌛": "pending",
    "❌": "cancelled",  # as Obsidian Tasks types it (a failed check reads the same)
    "⚠️": "warning",
    "⚠": "warning",
}

# Upper-case status words, as written in headings such as "✅ COMPLETE".
WORD_STATUS: dict[str, str] = {
    "COMPLETE": "done",
    "COMPLETED": "done",
    "DONE": "done",
    "VERIFIED": "done",
    "FINISHED": "done",
    "IN PROGRESS": "in progress",
    "WIP": "in progress",
    "PENDING": "pending",
    "NOT STARTED": "pending",
    "TODO": "pending",
    "BLOCKED": "blocked",
    "CANCELLED": "cancelled",
    "CANCELED": "cancelled",
    "DEFERRED": "deferred",
    "POSTPONED": "deferred",
}

# The same status words in other languages, upper case as in "✅ CONCLUÍDO" (planner.model.languages).
_LOCAL_MEANING = {"done": "done", "in_progress": "in progress", "cancelled": "cancelled", "deferred": "deferred",
                  "blocked": "blocked", "pending": "pending"}  # fmt: skip
for _word, _meaning in spelled(STATUS_WORDS).items():
    if len(_word) >= 4:
        WORD_STATUS.setdefault(_word.upper(), _LOCAL_MEANING[_meaning])

DONE_EMOJI = "✅"
OPEN_EMOJI = "⏸️"
OPEN_WORD = "TODO"

# Words that make a heading a status section rather than a task ("Completed Today").
_SECTION_WORDS = frozenset(
    """completed complete done finished blocked waiting paused on hold in progress pending
    today todays today's recently recent this week current active open closed status
    tasks task items item work features stories issues list and or the of for
    verified summary cancelled canceled deferred postponed dropped""".split()
) | frozenset(
    w.lower()
    for words in (*SECTION_WORDS.values(), tuple(STATUS_WORDS))
    for phrase in word_spellings(list(words))
    for w in re.findall(r"[\w'’]+", phrase)
) | frozenset("tarefas tareas tâches taches aufgaben de do da del des du la le für".split())
# Words that make a heading with a leading marker a task ("✅ Phase 1: Setup").
_TASK_LEAD = re.compile(
    r"(?i)^(task|phase|step|stage|milestone|story|epic|item|fix|bug|issue|ticket|part|\d+[.):]|#\d)"
)
_WORD = re.compile(r"[\w'’]+")


def _marker_pattern() -> re.Pattern[str]:
    spelled: list[str] = []
    for emoji in EMOJI_STATUS:
        spelled.extend(spellings(emoji))
    alternatives = sorted(set(spelled), key=len, reverse=True)
    emoji_alt = "|".join(re.escape(a) for a in alternatives)
    word_alt = "|".join(
        re.escape(w).replace(r"\ ", r"\s+") for w in sorted(WORD_STATUS, key=len, reverse=True)
    )
    # A word is no marker as part of a file name: "TODO.md", "DONE.txt".
    one = rf"(?:{emoji_alt}|\b(?:{word_alt})\b(?!\.\w))"
    # A group: markers separated by blanks or a dash ("✅ COMPLETE", "✅ - DONE").
    return re.compile(rf"{one}(?:[ \t\u00a0]*(?:[-–—:][ \t]*)?{one})*")


MARKER_GROUP = _marker_pattern()
# What any marker needs in a title: a status word's last word, or an emoji spelling's
# first character. Searching the big pattern costs ~50 µs a heading; this rules most
# headings out at C speed first.
_WORD_LITERALS = re.compile("|".join(sorted({re.escape(word.split()[-1]) for word in WORD_STATUS})))
_EMOJI_FIRST_CHARACTERS = frozenset(spelling[0] for emoji in EMOJI_STATUS for spelling in spellings(emoji))


def _may_hold_marker(title: str) -> bool:
    if _WORD_LITERALS.search(title):
        return True
    return not title.isascii() and not _EMOJI_FIRST_CHARACTERS.isdisjoint(title)
_EMOJI_LOOKUP: dict[str, tuple[str, str, str]] = {}
for _emoji, _status in EMOJI_STATUS.items():
    for _spelling, _encoding in spellings(_emoji).items():
        _EMOJI_LOOKUP.setdefault(_spelling, (_emoji, _status, _encoding))
_ONE_MARKER = re.compile(
    "|".join(re.escape(s) for s in sorted(_EMOJI_LOOKUP, key=len, reverse=True))
    + "|"
    + r"\b(?:"
    + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(WORD_STATUS, key=len, reverse=True))
    + r")\b(?!\.\w)"
)


@dataclass(frozen=True)
class HeadingStatus:
    start: int  # column of the marker group in the heading text
    end: int
    marker: str  # the marker group as written
    status: str  # done | paused | in progress | pending | cancelled | deferred | warning | blocked
    encoding: str  # spelling of the group's emoji: utf-8, cp1252, mac_roman

    @property
    def done(self) -> bool:
        return self.status == "done"


def _group_status(group: str) -> tuple[str, str]:
    statuses: list[str] = []
    encoding = "utf-8"
    for match in _ONE_MARKER.finditer(group):
        token = match.group()
        if token in _EMOJI_LOOKUP:
            _, status, enc = _EMOJI_LOOKUP[token]
            if encoding == "utf-8":
                encoding = enc
        else:
            status = WORD_STATUS[" ".join(token.split())]
        statuses.append(status)
    if "done" in statuses:
        return "done", encoding
    return (statuses[0] if statuses else "pending"), encoding


_ASCII_LOWER = re.compile("[a-z]")


def _shouting(title: str) -> bool:
    """The title has letters and no lower-case ASCII one: its status words are words, not markers."""
    return not _ASCII_LOWER.search(title) and any(map(str.isalpha, title))


@lru_cache(maxsize=8192)
def heading_status(title: str) -> HeadingStatus | None:
    """The status marker that makes heading ``title`` a task, or None if it is no task."""
    if not _may_hold_marker(title):
        return None
    found = list(MARKER_GROUP.finditer(title))
    if not found:
        return None  # most headings: no marker at all
    groups = found
    if any(m.group().isascii() for m in found) and _shouting(title):
        groups = [m for m in found if not m.group().isascii()]
    if not groups:
        return None
    remaining = title
    for m in reversed(groups):
        remaining = remaining[: m.start()] + " " + remaining[m.end() :]
    words = [w.lower() for w in _WORD.findall(remaining) if not w.isdigit()]
    if not words or all(w in _SECTION_WORDS for w in words):
        return None  # a status section such as "Completed Today ✅"
    last = groups[-1]
    if not title[: last.start()].strip(" \t([{*_`#") and not _TASK_LEAD.match(remaining.strip(" \t:-–—()*_")):
        return None  # a leading icon: "## ✅ Success Criteria"
    status, encoding = _group_status(last.group())
    return HeadingStatus(last.start(), last.end(), last.group(), status, encoding)


def toggled_marker(current: HeadingStatus) -> str:
    """The marker text that replaces ``current`` when its task is ticked or unticked.

    Written in the same spelling the file uses (a mangled file stays consistently mangled).
    """
    if current.done:
        has_emoji = any(_EMOJI_LOOKUP.get(m.group()) for m in _ONE_MARKER.finditer(current.marker))
        return spell(OPEN_EMOJI, current.encoding) if has_emoji else OPEN_WORD
    return spell(DONE_EMOJI, current.encoding)
