"""Structure, not keywords: what a section or a document *is*, judged from its shape.

Sections (:func:`group_sections`). A heading is a **group** — a frame that gives its attribute
(priority, lane, time window, area) to the work under it and is never an item — when it holds
work (checkboxes or subsections) and has no fields of its own (Status, Estimate, Owner, Due),
is no heading task, states no estimate, and one of these holds (the last two only for a heading
that states no priority of its own, in its title or a Priority field):

* its words only name a frame: a priority band ("Priority 1 - Critical"), a time window
  ("Week 3 (Future)", "Morning", "Tuesday", "March 2026", "Semana 2"), a state lane
  ("In Progress", "Recently Completed ✅") or an area ("Backend Tasks");
* it is one of a run of sibling headings counted in time ("Week 1", "Week 2"; "Day 1 – Setup",
  "Day 2 – API"; "Phase 1", "Phase 2"; month or weekday names): a sequence of time windows —
  when one heading of the run is only the window ("Week 3 (Future)") or holds subsections or
  work checkboxes (as below); "Phase 1: Viewer", "Phase 2: Overlays" over plain steps are
  milestones, items;
* its checkboxes are themselves units of work: at least two, and most of them carry
  attributes of their own (an estimate, a priority, a date, sub-bullet fields, a ticket id,
  subtasks). A heading over plain steps ("### Implement login" → "- [ ] write the form") stays
  an item, its checkboxes its progress.

A heading with fields of its own (``**Status**: …``, ``Estimate: 3d``) is an item, whatever its
words. A heading whose title states a priority as work ("P1: Add caching", "Phase 4: Testing
(CRITICAL)") is an item too.

Documents (:func:`is_template`, :func:`template_sections`). A template is a document (or a
section, "## Daily Log Template") whose title says so ("Template", "Vorlage", "Modelo",
"Plantilla", "Modèle") or a blank date ("YYYY-MM-DD", "[Date]"), or whose entries are mostly
placeholders ("[Name]", "TBD", "…"), or whose file says so (:func:`template_path`:
"ORCHESTRATION_PLAN_TEMPLATE.md", a ``templates/`` folder). Templates are kept out of the focus,
the queues and the options; a day-log template is never today's document.

Reference documents (:func:`is_reference`): runbooks, backup plans, checklists and workflow
guides. They track no work — no checkbox ticked or started, no Status/Estimate/Owner/Due field,
no dated task, no heading task — and either say what they are in their title ("Runbook",
"Checklist", "Git Workflow Guide", "Disaster Recovery Plan") or, unless titled as a plan
("Roadmap", "Next Steps", "Sprint …"), are mostly code and numbered steps. Their priorities
("#### Critical (Must backup)", "**Priority**: Highest" of a ``hotfix/*`` branch) are no work
to do: the focus never falls back to them, and the queues keep only the checkboxes they list
as planned work ("## Future Enhancements": :mod:`planner.views.queues`).
"""

from __future__ import annotations

import os
import re
from collections import OrderedDict
from collections.abc import Callable
from functools import lru_cache
from typing import TypeVar

from planner.model.document import Document, Field, Section
from planner.model.estimate import parse_estimate
from planner.model.languages import PLACEHOLDERS, SECTION_WORDS, STATUS_WORDS, alternation
from planner.model.mojibake import repair
from planner.model.priority import heading_priority, is_lane_heading, line_priority

# -- words of a frame (kept from planner.views.groups, which re-exports them) ------------------

_MONTHS = (
    r"january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
    r"|janeiro|fevereiro|março|abril|maio|junho|julho|agosto|setembro|outubro|novembro|dezembro"
    r"|enero|febrero|marzo|mayo|junio|julio|septiembre|octubre|noviembre|diciembre"
    r"|janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
    r"|januar|februar|märz|juni|juli|oktober|dezember"
)
_WEEKDAYS = (
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun"
    r"|segunda(?:-feira)?|terça(?:-feira)?|quarta(?:-feira)?|quinta(?:-feira)?|sexta(?:-feira)?|sábado|domingo"
    r"|lunes|martes|miércoles|jueves|viernes"
    r"|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
    r"|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag"
)
# A unit of time that counts ("Week 3", "Semana 2", "Tag 4", "Phase 1").
_COUNTED = (
    r"week|day|month|quarter|sprint|iteration|phase|stage|milestone|cycle"
    r"|semana|dia|día|mês|mes|fase|etapa|semaine|jour|mois|étape|woche|tag|monat|stufe"
)
_WINDOW = (
    rf"(?:week|day|month|quarter|sprint|semana|dia|día|semaine|jour|woche|tag)\s*\d+|q[1-4](?:\s+\d{{4}})?"
    r"|morning|afternoon|evening|tonight|night|manhã|tarde|noite|mañana|noche|matin|après-midi|soir"
    r"|morgens|vormittag|nachmittag|abends"
    r"|this\s+(?:week|month|quarter|sprint)|next\s+(?:week|month|quarter|sprint)|last\s+week|later|tomorrow"
    r"|weekend|future|someday|now|next"
    rf"|(?:{_WEEKDAYS})|(?:{_MONTHS})(?:\s+\d{{4}})?"
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


def _bare(title: str) -> str:
    return " ".join(_NOISE.sub(" ", repair(title)).split()).strip(" -–—:,")


@lru_cache(maxsize=8192)
def is_group_heading(title: str) -> bool:
    """Whether heading ``title``'s words only name a frame for the work under it."""
    text = _bare(title)
    if not text or len(text) > 60:
        return False
    if _WORK_VERB.match(text) and not re.match(r"(?i)^review$", text):
        return False
    return bool(_GROUP.match(text))


_MAY_COUNT = re.compile(rf"(?i)^[^\w]*(?:\d+[.)]?\s*)?(?:{_COUNTED}|{_MONTHS}|{_WEEKDAYS})")
_COUNT = re.compile(rf"(?i)^(?P<unit>{_COUNTED})\s*(?P<n>\d{{1,3}})\b(?P<rest>.*)$")
_CALENDAR = re.compile(rf"(?i)^(?P<unit>{_MONTHS}|{_WEEKDAYS})\b(?P<rest>.*)$")


@lru_cache(maxsize=8192)
def window_unit(title: str) -> str | None:
    """The unit of time a heading counts in ("Week 2: API" → "week", "Tuesday" → "weekday"), or None."""
    text = _bare(title)
    match = _COUNT.match(text)
    if match:
        rest = match.group("rest").strip(" -–—:,.")
        return match.group("unit").lower() if len(rest.split()) <= 5 else None
    match = _CALENDAR.match(text)
    if match and len(match.group("rest").split()) <= 3:
        return "weekday" if re.match(rf"(?i)^(?:{_WEEKDAYS})$", match.group("unit")) else "month"
    return None


def _only_window(title: str) -> bool:
    """"Week 3", "Phase 2", "Day 1 - Monday": the title names the window and nothing else."""
    text = re.sub(r"\([^)]*\)", " ", _bare(title))
    match = _COUNT.match(" ".join(text.split()))
    if match is None:
        return _CALENDAR.match(text.strip()) is not None
    rest = match.group("rest").strip(" -–—:,.")
    return not rest or bool(re.fullmatch(rf"(?i)(?:{_WEEKDAYS}|{_MONTHS})(?:\s+\d{{1,2}})?", rest))


# -- placeholders -----------------------------------------------------------------------------------

_PLACEHOLDER = re.compile(
    rf"(?i)^\W*(?:none(?:\s+(?:currently|yet|so\s+far|for\s+now))?|nothing(?:\s+yet)?|n/?a|tbd|tba|tbc|todo"
    rf"|\.\.\.|…|-+|x+|yyyy-mm-dd|dd/mm/yyyy|mm/dd/yyyy|hh:mm|{alternation(PLACEHOLDERS)})\W*$"
    r"|^\s*\[[^\]]{1,40}\]\s*$"  # "[Name]", "[Task name]", "[Date]"
    r"|^\s*<[^<>]{1,40}>\s*$|^\s*\{\{[^{}]{1,40}\}\}\s*$"  # "<task>", "{{date}}"
)


@lru_cache(maxsize=16384)
def is_placeholder(text: str) -> bool:
    """Whether an entry's text is only a template's blank ("[Name]", "TBD", "None currently")."""
    if len(text) > 80:
        return False  # a blank is short; a long line is someone's words
    return bool(_PLACEHOLDER.match(repair(text).replace("*", "").replace("_", " ").strip()))


# -- sections: item or group ---------------------------------------------------------------------------

_ITEM_KEYS = frozenset({
    "status", "state", "current status", "progress", "effort", "estimate", "estimated effort", "time estimate",
    "estimated time", "time", "duration", "owner", "owners", "assignee", "assigned to", "due", "deadline",
    "due date", "target date", "story points", "points",
})  # fmt: skip
_DIGIT = re.compile(r"\d")  # an estimate on a checkbox's line has a number ("(2h)", "~3d")
_TICKET = re.compile(r"\b[A-Z][A-Z0-9]{1,9}-\d+\b|(?<!\w)#\d+\b")
_CACHE: OrderedDict[tuple[str, str, str, int, int], object] = OrderedDict()
T = TypeVar("T")


def own_fields(document: Document, index: int) -> bool:
    """Whether the section writes planning fields of its own (not a checkbox's sub-bullets)."""
    return any(f.section == index and f.task is None and _is_item_key(f.key) for f in document.fields)


def _is_item_key(key: str) -> bool:
    return key in _ITEM_KEYS or any(word in key for word in ("estimate", "effort"))


def _work_checkbox(document: Document, task_index: int, with_fields: set[int], parents: set[int]) -> bool:
    task = document.tasks[task_index]
    return bool(
        task_index in with_fields
        or task_index in parents
        or task.due
        or task.scheduled
        or _TICKET.search(task.title)
        or (_DIGIT.search(task.title) is not None and parse_estimate(task.title) is not None)
        or line_priority(task.text)
    )


def _cached(kind: str, document: Document, compute: Callable[[Document], T]) -> T:
    """``compute(document)``, remembered per file version (the views ask once per section)."""
    key = (kind, document.path, document.digest, len(document.sections), len(document.tasks))
    try:
        return _CACHE[key]  # type: ignore[no-any-return]
    except KeyError:
        pass
    found = _CACHE[key] = compute(document)
    if len(_CACHE) > 4096:
        _CACHE.popitem(last=False)
    return found


def group_sections(document: Document) -> frozenset[int]:
    """The sections of ``document`` that are groups (see the module documentation), cached per version."""
    return _cached("groups", document, _groups)


def _groups(document: Document) -> frozenset[int]:
    sections = document.sections
    if not sections:
        return frozenset()
    boxes: dict[int, list[int]] = {}
    with_fields = {f.task for f in document.fields if f.task is not None}
    parents = {t.parent for t in document.tasks if t.parent is not None}
    for task in document.tasks:
        if task.kind == "checkbox" and task.parent is None and task.section is not None and not is_placeholder(task.title):
            boxes.setdefault(task.section, []).append(task.index)
    own = {f.section for f in document.fields if f.section is not None and f.task is None and _is_item_key(f.key)}
    prioritised = {f.section for f in document.fields if f.section is not None and f.task is None and f.key == "priority"}

    def _holds_work(index: int) -> bool:
        mine = boxes.get(index, [])
        if len(mine) < 2:
            return False
        work = 0
        for position, task in enumerate(mine):
            work += _work_checkbox(document, task, with_fields, parents)
            if work >= 2 and work * 2 > len(mine):
                return True
            if (work + len(mine) - position - 1) * 2 <= len(mine):
                return False  # a majority is out of reach
        return False

    # A run of windows frames its work when one of them is only a window ("Week 3 (Future)") or
    # holds subsections or work; "Phase 1: Viewer", "Phase 2: Overlays" over plain steps are milestones.
    window_runs = {
        i
        for run in _window_runs(sections)
        if any(sections[i].children or _holds_work(i) or _only_window(sections[i].title) for i in run)
        for i in run
    }
    found: set[int] = set()
    for s in sections:
        if s.task is not None or not (s.children or s.index in boxes):
            continue
        title = s.title
        if is_lane_heading(title):
            found.add(s.index)  # a priority band, whatever it notes of its own
            continue
        if s.index in own or parse_estimate(repair(title)) is not None:
            continue
        if is_group_heading(title):
            found.add(s.index)
            continue
        if heading_priority(title) is not None or s.index in prioritised:
            continue  # "P1: Add caching", "Phase 4: Testing (CRITICAL)": work that has a priority
        if s.index in window_runs:
            found.add(s.index)  # "Week 3"; "Phase 1: Viewer" in a run over work
            continue
        if _holds_work(s.index) and not s.children:
            found.add(s.index)
    return frozenset(found)


def _window_runs(sections: list[Section]) -> list[list[int]]:
    """Runs of at least two sibling sections counted in the same unit of time."""
    by_parent: dict[tuple[int | None, int], dict[str, list[int]]] = {}
    for s in sections:
        if not _MAY_COUNT.match(s.title):
            continue  # (cheap: most titles open with no unit of time)
        unit = window_unit(s.title)
        if unit is not None:
            by_parent.setdefault((s.parent, s.level), {}).setdefault(unit, []).append(s.index)
    return [members for units in by_parent.values() for members in units.values() if len(members) >= 2]


# -- documents and sections that are templates ------------------------------------------------------------

# A heading that is a template's own ("Daily Log Template", "Template: Sprint", "Vorlage"), not one
# about templates ("4.3.6 Workflow Templates", "Template support"): the word, singular, ends the
# title or opens it before a colon.
_TEMPLATE_WORD = re.compile(
    r"(?i)(?<!\w)(?:template|vorlage|modelo|plantilla|modèle|gabarit|boilerplate)\W*$"
    r"|^\W*(?:template|vorlage|modelo|plantilla|modèle|gabarit)\s*[:–—-]"
)
_BLANK_DATE = re.compile(r"(?i)\byyyy[-/.]mm[-/.]dd\b|\bdd[-/.]mm[-/.]yyyy\b|\bmm[-/.]dd[-/.]yyyy\b|\[(?:date|today|day)\]|\{\{\s*date")


@lru_cache(maxsize=16384)
def is_template_title(title: str) -> bool:
    """"Daily Log Template", "## YYYY-MM-DD", "## [Date]": a heading that is a template's own."""
    text = re.sub(r"\([^)]*\)", " ", repair(title)).strip()
    return bool(_TEMPLATE_WORD.search(text) or _BLANK_DATE.search(text))


def template_sections(document: Document) -> frozenset[int]:
    """Sections that are a template (titled so, or under one), for documents that are not all template."""
    return _cached("template sections", document, _template_sections)


def _template_sections(document: Document) -> frozenset[int]:
    found: set[int] = set()
    for s in document.sections:
        if (s.parent is not None and s.parent in found) or is_template_title(s.title):
            found.add(s.index)
    return frozenset(found)


def is_template(document: Document) -> bool:
    """Whether the whole document is a template: titled so, or mostly placeholders."""
    return _cached("template", document, _is_template)


def _is_template(document: Document) -> bool:
    if document.title and is_template_title(document.title):
        return True
    if template_path(document.path):
        return True
    entries = [t.title for t in document.tasks if t.kind == "checkbox"]
    entries += [f.value for f in document.fields if f.source != "yaml"]
    entries += [s.title for s in document.sections[1:]]
    if len(entries) > _TEMPLATE_ENTRIES:
        return False  # a template is short: a long document of blanks is not one to copy
    blanks = 0
    for position, text in enumerate(entries):
        if (blanks + len(entries) - position) * 2 < len(entries):
            return False  # half of them can no longer be blanks
        blanks += bool(is_placeholder(text) or _BLANK_DATE.search(text) or _LEGEND.search(text))
    return blanks >= 3 and blanks * 2 >= len(entries)


_TEMPLATE_ENTRIES = 300


@lru_cache(maxsize=8192)
def _repository_root(folder: str) -> str | None:
    """The nearest folder at or above ``folder`` that holds ``.git`` (a repository's root), or None."""
    if os.path.exists(os.path.join(folder, ".git")):
        return folder
    parent = os.path.dirname(folder)
    return None if parent == folder else _repository_root(parent)


def repository_parts(path: str) -> list[str]:
    """:func:`path_parts` of ``path`` below its repository's root (the nearest folder holding
    ``.git``), so that the folders a checkout sits in ("~/old/project") never count as the
    project's own; all of them when it is in no repository."""
    folder = os.path.dirname(os.path.abspath(path))
    root = _repository_root(folder)
    if root is not None:
        path = os.path.relpath(os.path.abspath(path), root)
    return path_parts(path)


def path_parts(path: str) -> list[str]:
    """The folders and file stem of ``path``, lower-case; a flattened copy's ``__`` (``docs__TODO.md``
    for ``docs/TODO.md``) separates them too."""
    text = path.replace("\\", "/").lower()
    if text.endswith((".md", ".markdown")):
        text = text.rsplit(".", 1)[0]
    return [part for chunk in text.split("/") for part in chunk.split("__") if part]


# Folders (or a file) that keep finished or superseded work: "archive/", "docs/_archived",
# "old/", "attic/", "ARCHIVE.md". Their documents are history — no queue item, no focus work.
# The whole name, or with a year or number ("archive-2024"); not "old-site", "archive-tool".
_ARCHIVE_PART = re.compile(r"(?i)^[_.]?(?:archives?|archived|old|obsolete|deprecated|attic|trash)(?:[\W_]+\d[\d\W_]*)?$")


# A file named as one: "ARCHIVE.md", "todo-archive.md", "archive-phases-42-45.md", "archive-2024.md" (not
# "archive-feature-roadmap.md" or "log-archive-design.md": those are about archiving).
_ARCHIVE_STEM = re.compile(r"(?i)^[_.]?archived?$|[\W_]archived?$|^archived?[\W_]+(?:\d|phases?[\W_]|sprints?[\W_]|done|old)")


def archived_path(path: str) -> bool:
    """Whether ``path`` is kept as history: a folder (of the last four, inside its repository)
    is named as an archive, or the file itself is."""
    parts = repository_parts(path)
    return bool(parts) and (any(_ARCHIVE_PART.match(p) for p in parts[:-1][-4:]) or bool(_ARCHIVE_STEM.search(parts[-1])))


# A file named as a template ("ORCHESTRATION_PLAN_TEMPLATE.md", "task-template.md") or kept in a
# folder of templates ("templates/festival/TODO.md", "_templates/Weekly Review.md").
_TEMPLATE_STEM = re.compile(r"(?i)(?:^|[\W_])(?:template|vorlage|plantilla)$")
_TEMPLATE_FOLDER = re.compile(r"(?i)^[_.]?(?:templates?|vorlagen|plantillas)$")


def template_path(path: str) -> bool:
    """Whether ``path`` names a template: its file name ends in "template", or a folder (inside
    its repository) is "templates"."""
    parts = repository_parts(path)
    return bool(parts) and (bool(_TEMPLATE_STEM.search(parts[-1])) or any(_TEMPLATE_FOLDER.match(p) for p in parts[-3:-1]))
_LEGEND = re.compile(r"(?i)\b(?:p[0-3]|high|low)\s*\|\s*(?:p[0-3]|medium|low)\b")

# -- reference documents: runbooks, backup plans, checklists, workflow guides ------------------------------

_REFERENCE_TITLE = re.compile(
    r"(?i)\b(?:runbook|playbook|checklist|check-list|guide|guidelines|handbook|manual|workflow|procedures?"
    r"|policy|conventions?|disaster\s+recovery|backup|incident\s+response|how[\s-]to|cheat\s*sheet|reference"
    r"|tutorial|faq|glossary|style\s+guide|contributing)\b"
)
_PLAN_TITLE = re.compile(
    r"(?i)\b(?:roadmap|plan|planning|next\s+steps?|to-?dos?|backlog|sprint|milestones?|tasks|priorities|action\s+items)\b"
)
_TRACKING_KEYS = frozenset({
    "status", "state", "current status", "progress", "effort", "estimate", "estimated effort", "time estimate",
    "due", "deadline", "due date", "target date", "eta",
})  # fmt: skip (an Owner alone is no tracking: a runbook's "**Owner**: Operations team")


def tracks_work(document: Document) -> bool:
    """Whether the document follows work: a checkbox ticked or started, a heading task, a dated
    task, or a Status/Estimate/Owner/Due field."""
    for task in document.tasks:
        if task.kind == "heading" or task.state != "open" or task.due or task.scheduled or task.done_date:
            return True
    return any(f.key in _TRACKING_KEYS or "estimate" in f.key or "effort" in f.key for f in document.fields)


def is_reference(document: Document) -> bool:
    """Whether the document is reference or procedure (see the module documentation), not a plan."""
    return _cached("reference", document, _is_reference)


def _is_reference(document: Document) -> bool:
    if tracks_work(document):
        return False
    if document.title and _REFERENCE_TITLE.search(repair(document.title)):
        return True
    if document.title and _PLAN_TITLE.search(repair(document.title)):
        return False  # "Production Readiness Roadmap", "Next Steps: …" with much code: still a plan
    code = sum(b.end_line - b.line + 1 for b in document.blocks if b.kind in ("fence", "code"))
    steps = sum(1 for s in document.sections if re.match(r"(?i)^\W*step\s+\d+\b", repair(s.title)))
    return code * 4 >= max(document.line_count, 1) or steps >= 3


# -- an item's fields: its own, then those of its detail subsections ----------------------------------------

_WORK_TITLE = re.compile(r"(?i)^\W*(?:task|subtask|step|story|ticket|issue|bug|phase|milestone|\d+(?:\.\d+)*[.):]?\s)")


def item_fields(document: Document, index: int) -> dict[str, Field]:
    """The first field of each key of item section ``index``: its own, then those of its detail
    subsections ("#### Details" holding ``- **Estimate**: 2d``): a subsection with fields and no
    work of its own (no checkbox, no heading task, no subsections, not titled as a task or step)."""
    found: dict[str, Field] = {}
    details = {index} | _detail_sections(document, index)
    for f in document.fields:
        if f.section == index and f.task is None and f.key not in found:
            found[f.key] = f
    if len(details) > 1:
        for f in document.fields:
            if f.section in details and f.section != index and f.task is None and f.key not in found:
                found[f.key] = f
    return found


def _detail_sections(document: Document, index: int) -> set[int]:
    children = document.sections[index].children
    if not children:
        return set()
    boxed = {t.section for t in document.tasks if t.kind == "checkbox"}
    with_fields = {f.section for f in document.fields if f.task is None}
    return {
        c
        for c in children
        if c in with_fields
        and c not in boxed
        and document.sections[c].task is None
        and not document.sections[c].children
        and not _WORK_TITLE.match(repair(document.sections[c].title))
    }


def holds_work_subsections(document: Document, index: int) -> bool:
    """Whether a section's subsections are work ("P1: Backend" → "### Routing", "### Probes"), not
    the parts of one item ("P1: Export to CSV" → "### Details", "### Acceptance"): a subsection
    that is a heading task, holds checkboxes or subsections, or writes fields counts; it takes
    two, or one that is a heading task or holds checkboxes."""
    children = document.sections[index].children
    if not children:
        return False
    boxed = {t.section for t in document.tasks if t.kind == "checkbox"}
    fielded = {f.section for f in document.fields if f.task is None}
    strong = weak = 0
    for c in children:
        child = document.sections[c]
        if child.task is not None or c in boxed:
            strong += 1
        elif child.children or c in fielded:
            weak += 1
    return strong >= 1 or weak >= 2


def list_groups(document: Document) -> frozenset[int]:
    """Groups over plain list items ("### Week 3 (Future)" → "- Load testing", "### In Progress" →
    "- The importer"): no checkboxes, no subsections, no fields of their own, and titled as a
    frame (a time window, a state lane, an area) or only a window in a run. Their list items
    are the items (a priority band over list items is read by the queues as a lane already)."""
    return _cached("list groups", document, _list_groups)


def _list_groups(document: Document) -> frozenset[int]:
    listed = {b.section for b in document.blocks if b.kind == "list" and b.section is not None}
    if not listed:
        return frozenset()
    boxed = {t.section for t in document.tasks if t.kind == "checkbox"}
    own = {f.section for f in document.fields if f.task is None}
    in_run = {i for run in _window_runs(document.sections) for i in run}
    found = set()
    for index in listed - boxed - own:
        s = document.sections[index]
        if s.children or s.task is not None or parse_estimate(repair(s.title)) is not None:
            continue
        if is_group_heading(s.title) or (index in in_run and _only_window(s.title)):
            found.add(index)
    return frozenset(found)
