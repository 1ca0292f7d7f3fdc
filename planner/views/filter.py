"""The structured filter: ``p:P0 state:open due:<7d file:roadmap #tag -word "exact phrase"``.

A pure function of a query string (no Textual): :func:`parse_filter` turns it into a
:class:`Filter`, or raises :class:`FilterError` with a one-line message naming the bad
term. The same syntax is the TUI's ``/`` and the CLI's ``--filter``.

Terms, all ANDed together:

* ``word`` / ``"exact phrase"`` — occurs in the task's text (case-insensitive). Free text
  matches the text only: never the file name or the section (``file:`` is for that).
* ``p:P0``, ``p:P0,P1``, ``p:<=P1`` (also ``<``, ``>``, ``>=``), ``p:none`` — the priority.
* ``state:open`` (todo or in progress), ``state:done``, ``cancelled``, ``in_progress``,
  ``todo``, ``deferred``, ``closed`` (done or cancelled); a comma gives either.
* ``due:today``, ``due:overdue`` (before today and still open), ``due:<7d`` (before seven
  days from today, overdue included; ``d`` days, ``w`` weeks), ``due:<2026-12-10``,
  ``due:2026-12-10``, ``due:>=…``, ``due:none``, ``due:any``.
* ``file:roadmap`` — in the file's path as shown (relative), case-insensitive.
* ``#tag`` — a tag of the task (``#tag`` also matches nested ``#tag/sub``).
* ``-term`` — not the term (``-word``, ``-state:done``, ``-#tag``, ``-"a phrase"``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple

from planner.model.states import CANCELLED, DONE_TYPE, IN_PROGRESS, NON_TASK, OPEN_TYPES, TODO

__all__ = ["Facts", "Filter", "FilterError", "parse_filter", "FIELDS"]

PRIORITY_LEVELS = ("P0", "P1", "P2", "P3")
FIELDS = ("p", "priority", "state", "due", "file")
_STATES: dict[str, frozenset[str]] = {
    "open": OPEN_TYPES,
    "todo": frozenset({TODO}),
    "in_progress": frozenset({IN_PROGRESS}),
    "in-progress": frozenset({IN_PROGRESS}),
    "doing": frozenset({IN_PROGRESS}),
    "done": frozenset({DONE_TYPE}),
    "cancelled": frozenset({CANCELLED}),
    "canceled": frozenset({CANCELLED}),
    "deferred": frozenset({NON_TASK}),
    "closed": frozenset({DONE_TYPE, CANCELLED}),
}
_COMPARE = re.compile(r"^(<=|>=|<|>|=)?(.*)$")
_RELATIVE = re.compile(r"^(\d{1,4})([dw])$")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class FilterError(ValueError):
    """A term that cannot be understood; ``str()`` is one line saying which and why."""


class Facts(NamedTuple):
    """What a filter (and sorting, grouping) looks at in one row of a screen or the CLI."""

    text: str
    file: str = ""  # the path as shown (relative)
    priority: str | None = None
    status_type: str = TODO
    due: str | None = None  # ISO date
    tags: tuple[str, ...] = ()
    hours: float | None = None  # the estimate's low end, in hours


Test = Callable[[Facts], bool]


@dataclass(frozen=True)
class Filter:
    """A parsed query; ``bool(filter)`` is False for an empty one (it matches everything)."""

    query: str = ""
    tests: tuple[Test, ...] = field(default=(), repr=False)

    def __bool__(self) -> bool:
        return bool(self.tests)

    def __call__(self, facts: Facts) -> bool:
        for test in self.tests:  # a loop, not all(genexpr): this runs per task, 37,000 times a keypress
            if not test(facts):
                return False
        return True

    def text(self, text: str) -> bool:
        """Whether an entry that is only text (no state, priority or file) matches."""
        return self(Facts(text))


def _tokens(query: str) -> list[tuple[bool, str, bool]]:
    """(negated, term, quoted) for each term; a quote runs to the next quote."""
    tokens: list[tuple[bool, str, bool]] = []
    i, n = 0, len(query)
    while i < n:
        if query[i].isspace():
            i += 1
            continue
        negated = False
        if query[i] == "-" and i + 1 < n and not query[i + 1].isspace():
            negated = True
            i += 1
        if query[i] == '"':
            end = query.find('"', i + 1)
            if end < 0:
                raise FilterError(f"unclosed quote in {query[i - negated:]!r}: add the closing \"")
            phrase = query[i + 1 : end]
            if not phrase.strip():
                raise FilterError('empty phrase "": put words between the quotes')
            tokens.append((negated, phrase, True))
            i = end + 1
            continue
        end = i
        while end < n and not query[end].isspace():
            end += 1
        word = query[i:end]
        if word == "-":
            raise FilterError("'-' on its own: write -word to leave out tasks with that word")
        tokens.append((negated, word, False))
        i = end
    return tokens


def parse_filter(query: str, today: date | None = None) -> Filter:
    """The filter ``query`` describes; raises :class:`FilterError` (one line) on a bad term."""
    if today is None:
        from planner.model.days import today as current_day  # noqa: PLC0415

        today = current_day()
    tests: list[Test] = []
    for negated, term, quoted in _tokens(query):
        if quoted:
            test = _text_test(term)
        elif term.startswith("#") and len(term) > 1:
            test = _tag_test(term)
        elif ":" in term and re.match(r"^[A-Za-z_]+:", term):
            key, _, value = term.partition(":")
            test = _field_test(key.lower(), value, today, term)
        else:
            test = _text_test(term)
        if negated:
            test = _negate(test)
        tests.append(test)
    return Filter(query.strip(), tuple(tests))


def _negate(test: Test) -> Test:
    def negated(facts: Facts) -> bool:
        return not test(facts)

    return negated


def _text_test(word: str) -> Test:
    folded = word.casefold()

    def text(facts: Facts) -> bool:
        return folded in facts.text.casefold()

    return text


def _tag_test(tag: str) -> Test:
    wanted = tag.casefold()
    nested = wanted + "/"

    def tagged(facts: Facts) -> bool:
        return any(t.casefold() == wanted or t.casefold().startswith(nested) for t in facts.tags)

    return tagged


def _field_test(key: str, value: str, today: date, term: str) -> Test:
    if not value:
        raise FilterError(f"{term!r} has no value: e.g. p:P0, state:open, due:<7d, file:roadmap")
    if key in ("p", "priority", "prio"):
        return _priority_test(value, term)
    if key in ("state", "status", "is"):
        return _state_test(value, term)
    if key == "due":
        return _due_test(value, today, term)
    if key in ("file", "path", "in"):
        folded = value.casefold()
        return lambda facts: folded in facts.file.casefold()
    if key == "tag":
        return _tag_test(value if value.startswith("#") else "#" + value)
    raise FilterError(
        f"unknown field {key + ':'!r} in {term!r}: use p:, state:, due:, file: or #tag "
        f'(put it in quotes, "{term}", to find the text)'
    )


def _level(value: str, term: str) -> int:
    text = value.strip().upper()
    if not text.startswith("P"):
        text = "P" + text
    if text not in PRIORITY_LEVELS:
        raise FilterError(f"{term!r}: {value!r} is not a priority (P0, P1, P2 or P3, or none)")
    return int(text[1])


def _priority_test(value: str, term: str) -> Test:
    match = _COMPARE.match(value)
    assert match is not None
    op, rest = match.group(1) or "=", match.group(2)
    if op == "=":
        allowed: set[str | None] = set()
        for part in rest.split(","):
            if part.strip().lower() in ("none", "-"):
                allowed.add(None)
            else:
                allowed.add(f"P{_level(part, term)}")
        return lambda facts: facts.priority in allowed
    level = _level(rest, term)
    # P0 is the highest: p:<=P1 means P0 or P1 ("at least as urgent as P1").
    compare = {"<": level.__gt__, "<=": level.__ge__, ">": level.__lt__, ">=": level.__le__}[op]

    def ranked(facts: Facts) -> bool:
        p = facts.priority
        return p is not None and len(p) == 2 and p[1].isdigit() and compare(int(p[1]))

    return ranked


def _state_test(value: str, term: str) -> Test:
    allowed: set[str] = set()
    for part in value.lower().split(","):
        types = _STATES.get(part.strip())
        if types is None:
            known = "open, todo, in_progress, done, cancelled, deferred, closed"
            raise FilterError(f"{term!r}: {part!r} is not a state ({known})")
        allowed |= types
    return lambda facts: facts.status_type in allowed


def _day(value: str, today: date, term: str) -> date:
    text = value.strip().lower()
    if text == "today":
        return today
    if text == "tomorrow":
        return today + timedelta(days=1)
    if text == "yesterday":
        return today - timedelta(days=1)
    relative = _RELATIVE.match(text)
    if relative:
        count = int(relative.group(1)) * (7 if relative.group(2) == "w" else 1)
        return today + timedelta(days=count)
    if _ISO.match(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    raise FilterError(f"{term!r}: {value!r} is not a date (today, tomorrow, 7d, 2w or YYYY-MM-DD)")


def _due_test(value: str, today: date, term: str) -> Test:
    word = value.lower()
    if word in ("none", "no"):
        return lambda facts: facts.due is None
    if word in ("any", "yes", "set"):
        return lambda facts: facts.due is not None
    if word == "overdue":
        limit = today.isoformat()
        return lambda facts: facts.due is not None and facts.due < limit and facts.status_type in OPEN_TYPES
    match = _COMPARE.match(value)
    assert match is not None
    op, rest = match.group(1) or "=", match.group(2)
    if not rest:
        raise FilterError(f"{term!r}: a date is missing after {op!r}")
    day = _day(rest, today, term).isoformat()  # ISO dates compare as strings
    if op == "=":
        return lambda facts: facts.due == day
    compare = {"<": str.__lt__, "<=": str.__le__, ">": str.__gt__, ">=": str.__ge__}[op]
    return lambda facts: facts.due is not None and compare(facts.due, day)
