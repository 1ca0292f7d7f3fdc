"""What the bold fields of a section say: status, effort, owner, value, dates, and display text.

Fields come from the parser (``Document.fields``: ``**Priority**: High``, ``**Status:** …``,
``- **Effort**: 1 hour``, ``*Last Updated: …*``), each attached to the section it is
written in. Different teams name the same thing differently; the groups below are the
names seen in real planning documents.
"""

from __future__ import annotations

import functools
import re

from planner.model.display import plain_inline, without_marker
from planner.model.document import Document, Field, Task
from planner.model.dialects import strip_metadata
from planner.model.estimate import Estimate, parse_estimate
from planner.model.languages import STATUS_WORDS, alternation, spelled
from planner.model.mojibake import repair
from planner.model.priority import strip_priority_marks

STATUS_KEYS = ("status", "state", "current status", "progress")
EFFORT_KEYS = (
    "effort", "estimated effort", "estimate", "estimated time", "time estimate", "estimated duration",
    "total effort", "total effort estimate", "total estimate", "duration", "size", "time", "timeline",
)  # fmt: skip
OWNER_KEYS = ("owner", "owners", "assignee", "assigned to", "assigned", "responsible", "lead", "dri", "who")
VALUE_KEYS = ("value", "business value", "benefit", "benefits", "impact", "why")
RISK_KEYS = ("risk", "risks", "risk level")
DEPENDENCY_KEYS = ("dependencies", "depends on", "dependency", "blocked by", "requires")
UPDATED_KEYS = ("last updated", "updated", "last update", "date", "last modified")

# Field names that introduce a list of features: "**Features**:", "**Scope**:", "**Includes**:".
FEATURE_LABELS = frozenset(
    """features feature scope includes included includes: items deliverables work tasks stories
    contents content components what deliverable epics""".split()
)

_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")

# A title longer than this is no title (a pasted log, a minified line): only its head is read,
# so that one such line cannot stall a view for seconds.
TEXT_LIMIT = 4000


def clean(text: str) -> str:
    """Display text: mojibake repaired; emphasis, code ticks and link targets removed; blanks collapsed."""
    if len(text) > TEXT_LIMIT:
        text = text[:TEXT_LIMIT]  # never a huge text held by the memo below
    return _clean(text)


@functools.lru_cache(maxsize=4096)
def _clean(text: str) -> str:
    # Kept for the texts seen last: after a tick the screens clean the changed file's texts
    # again, nearly all unchanged (a pure function of the text).
    return " ".join(plain_inline(repair(text)).split())


def fields_by_key(document: Document, section: int | None) -> dict[str, Field]:
    """The first field of each key in ``section`` (not its subsections)."""
    found: dict[str, Field] = {}
    for f in document.fields:
        # A checkbox's own sub-bullets ("  - Time estimate: 8 hours") are the task's fields.
        if f.section == section and f.task is None and f.key not in found:
            found[f.key] = f
    return found


def task_fields(document: Document, task: Task) -> dict[str, Field]:
    """The first field of each key written under checkbox ``task`` (its sub-bullets)."""
    found: dict[str, Field] = {}
    for f in document.fields:
        if f.task == task.index and f.key not in found:
            found[f.key] = f
    return found


def task_effort(document: Document, task: Task) -> Estimate | None:
    """A checkbox's estimate: on its line ("Write tests (2h)"), else in its sub-bullet fields."""
    estimate = parse_estimate(task.title)  # the dialects' fields dropped: "🔁 every 2 weeks" is no estimate
    if estimate is None and task.kind == "checkbox" and document.fields:
        estimate = effort_of(task_fields(document, task))[0]
    return estimate


def task_status(document: Document, task: Task) -> str | None:
    """A checkbox's Status sub-bullet ("  - **Status**: Blocked on API"), if any."""
    if task.kind != "checkbox" or not document.fields:
        return None
    return field_text(task_fields(document, task), STATUS_KEYS)


def first_field(fields: dict[str, Field], keys: tuple[str, ...], nonempty: bool = True) -> Field | None:
    for key in keys:
        f = fields.get(key)
        if f is not None and (f.value.strip() or not nonempty):
            return f
    return None


def status_of(fields: dict[str, Field], task: Task | None) -> str | None:
    """The Status field, else the heading task's own status ("paused", "done"…)."""
    status = field_text(fields, STATUS_KEYS)
    return status if status is not None or task is None else task.status


def field_text(fields: dict[str, Field], keys: tuple[str, ...]) -> str | None:
    f = first_field(fields, keys)
    return clean(f.value) if f else None


def effort_of(fields: dict[str, Field]) -> tuple[Estimate | None, str | None]:
    """The effort a section states: the first effort-like field that reads as an estimate.

    ``(estimate, text as written)``; a field that names an effort but gives no duration
    ("**Effort**: small") is kept as text; a "Timeline" that is no duration is ignored.
    """
    fallback: str | None = None
    for key in EFFORT_KEYS:
        f = fields.get(key)
        if f is None or not f.value.strip():
            continue
        estimate = parse_estimate(repair(f.value))
        if estimate is not None:
            return estimate, clean(f.value)
        if fallback is None and key not in ("timeline", "time", "duration"):
            fallback = clean(f.value)
    return None, fallback


_DONE_WORDS = frozenset(
    """complete completed done finished verified shipped merged closed resolved delivered all phases tasks
    items everything fully is are now work and implemented""".split()
)
_DONE_EMOJI = ("✅", "✔", "☑")
_LOCAL_STATUS = spelled(STATUS_WORDS)  # "Concluído", "Erledigt", "En cours" (planner.model.languages)


def _local(status: str) -> str:
    return alternation([w for w, meaning in _LOCAL_STATUS.items() if meaning == status])


_DONE_WORDS |= frozenset(w for phrase, meaning in _LOCAL_STATUS.items() if meaning == "done" for w in phrase.split())
_DONE_HEAD = re.compile(
    r"(?i)\b(?:complete|completed|done|finished|verified|shipped|merged|closed|resolved|delivered)\b"
    rf"|(?<!\w)(?:{_local('done')})(?!\w)"
)


def status_is_done(status: str) -> bool:
    """Whether a status text says the work is done: "✅ Complete", "All Phases Complete (2025-10-06)".

    A leading ✅ says so; otherwise only the first clause counts, and only when it is
    about completion as a whole: "Phase 1 VERIFIED ✅ - Tests running" is not done.
    """
    text = repair(status).strip().lstrip("*_ ")
    if text.startswith(_DONE_EMOJI):
        return True
    first = re.split(r"\s[-–—]\s|[(,;:.]", text, maxsplit=1)[0]
    if not _DONE_HEAD.search(first):
        return False
    words = [w.lower() for w in re.findall(r"[\w']+", first)]
    return all(w in _DONE_WORDS for w in words)


def state_of(task: Task | None, fields: dict[str, Field], progress: tuple[int, int] | None = None) -> str:
    """"open", "done" or another task state, for a section or task."""
    if task is not None:
        return task.state
    status = first_field(fields, STATUS_KEYS)
    if status is not None and status_is_done(status.value):
        return "done"
    if progress is not None and progress[1] > 0 and progress[0] == progress[1]:
        return "done"
    return "open"


# What a Status field says besides done: "Cancelled", "❌ Won't do", "Deferred", "🔄 In progress".
_CANCELLED_STATUS = re.compile(
    r"(?i)^\W*(?:cancell?ed|dropped|won'?t\s+(?:do|fix)|abandoned|rejected|obsolete|descoped|not\s+doing)\b"
    rf"|^\W*(?:{_local('cancelled')})(?!\w)"
)
_DEFERRED_STATUS = re.compile(
    rf"(?i)^\W*(?:deferred|postponed|moved|rescheduled|parked)\b|^\W*(?:{_local('deferred')})(?!\w)"
)
_IN_PROGRESS_STATUS = re.compile(
    r"(?i)^\W*(?:in[\s-]+progress|wip|started|ongoing|doing|in\s+review|under\s+way|underway)\b"
    rf"|^\W*(?:{_local('in_progress')})(?!\w)"
)
# What a Status field says when the work waits on something: "Blocked", "Bloqueado", "En attente".
from planner.views.records import BLOCKED_STATUS  # noqa: E402 - one definition, the model-free records' own


def status_type_of(task: Task | None, fields: dict[str, Field], progress: tuple[int, int] | None = None) -> str:
    """Obsidian Tasks' status type of a section or task: a task's own (``[/]``, ``[-]``, 🔄, ❌),
    else what its Status field says ("Cancelled", "Deferred", "In progress", "Done")."""
    if task is not None and task.status_type != "todo":
        return task.status_type
    if state_of(task, fields, progress) == "done":
        return "done"
    status = first_field(fields, STATUS_KEYS)
    if status is not None:
        text = repair(status.value).lstrip("*_ ")
        if _CANCELLED_STATUS.match(text):
            return "cancelled"
        if _DEFERRED_STATUS.match(text):
            return "non_task"
        if _IN_PROGRESS_STATUS.match(text):
            return "in_progress"
    return "todo"


def type_of_state(state: str) -> str:
    """The status type of a bare state ("open", "done" or a checkbox character)."""
    from planner.model.states import box_type  # noqa: PLC0415

    return box_type(state)


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_WRITTEN_DATE = re.compile(r"(?i)\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})\b")


def date_in(text: str) -> str | None:
    """The first date in ``text`` as ISO: "2025-11-25", or written out: "March 20, 2024"."""
    match = _DATE.search(text)
    if match:
        return match.group()
    written = _WRITTEN_DATE.search(text)
    if written:
        month = _MONTHS.index(written.group(1).lower()) + 1
        return f"{written.group(3)}-{month:02d}-{int(written.group(2)):02d}"
    return None


def last_updated(document: Document) -> str | None:
    """The "Last Updated"/"Date" a document states near its top, as written."""
    for f in document.fields:
        if f.key in UPDATED_KEYS and f.value.strip():
            return clean(f.value)
    return None


def document_date(document: Document) -> str:
    """The newest ISO date the document states in its update fields or title ("" when none)."""
    dates = [d for f in document.fields if f.key in UPDATED_KEYS for d in [date_in(f.value)] if d]
    if document.title:
        title_date = date_in(document.title)
        if title_date:
            dates.append(title_date)
    return max(dates, default="")


# -- display titles ---------------------------------------------------------------------------

_ENUMERATION = re.compile(r"^\s*(?:\d{1,3}[.)]|#\d{1,3}[.:)]?)\s+(?=\S)")
_PRIORITY_LABEL = re.compile(r"(?i)^\s*(?:P[0-3]|priority\s*[0-3])\s*[:\-–—]\s*")
_PRIORITY_PAREN = re.compile(
    r"(?i)\s*\((?:P[0-3]|priority\s*[0-3]|critical|urgent|high|medium|low|nice[ -]to[ -]have"
    r"|future(?:\s+(?:work|enhancements?))?)(?:\s+priority)?\)"
)
_PAREN = re.compile(r"\s*[(\[]([^()\[\]]*)[)\]]")


def without_estimate(text: str) -> str:
    """``text`` without a parenthesised estimate: "Fix login (4-6 hours)" → "Fix login"."""

    def drop(match: re.Match[str]) -> str:
        inner = match.group(1).strip()
        estimate = parse_estimate(inner)
        return "" if estimate is not None and estimate.text.strip("~ ") == inner.strip("~ ") else match.group()

    return _PAREN.sub(drop, text).strip()


def strip_marker(text: str, marker: str | None) -> str:
    if marker:
        text = without_marker(text, marker)
    return re.sub(r"[(\[]\s*[)\]]", " ", text)  # "Phase 1 (COMPLETE ✅)" leaves "( )"


def display_heading(
    title: str, marker: str | None = None, *, enumeration: bool = False, keep_estimate: bool = False
) -> str:
    """A heading as a person should read it in a list: repaired, marker, priority label and
    estimate removed ("🔴 P0: Fix X (4-6 hours) ⏸️" → "Fix X")."""
    title = title[:TEXT_LIMIT]
    text = clean(strip_metadata(strip_marker(title, marker)))  # "📅 2025-12-05", "[due:: …]": not the title
    text = strip_priority_marks(_MENTION.sub(" ", text))
    text = _PRIORITY_PAREN.sub("", text)
    text = _LEADING_SYMBOLS.sub("", text)
    text = _PRIORITY_LABEL.sub("", text)
    if enumeration:
        text = _ENUMERATION.sub("", text)
    if not keep_estimate:
        text = without_estimate(text)
    return text.strip(" -–—:") or clean(title)


_LEADING_SYMBOLS = re.compile(r"^(?:(?![#@]\w)[^\w(\[\"'`])+")  # decoration, not a #tag or @name
MENTION = re.compile(r"(?<![\w@])@([A-Za-z][\w.-]*[\w])")
_MENTION = MENTION
_TRAILING_SYMBOLS = re.compile(r"[^\w)\]\"'`.!?%]+$")


def headline_text(text: str) -> str:
    """Text without decoration at its ends: "Ship it 🚀" → "Ship it"."""
    text = clean(text)
    return _TRAILING_SYMBOLS.sub("", _LEADING_SYMBOLS.sub("", text)).strip()
