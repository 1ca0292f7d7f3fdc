"""Daily focus: what to work on today, from the day's plan — or from the open P0/P1 work.

The daily document is found by its content, not its name: a heading such as "Today's
Focus", "Today's Tasks", "Focus for today", "Plan for today" or "Daily plan". When several
documents qualify, the one with a section of today's tasks wins, then the newest stated
date ("Last Updated", a date in the title), then the first.

From it:

* the headline: the text of the focus heading after its colon ("Today's Focus: <headline>"),
  else the first line under the focus heading, else the document title;
* today's tasks: the entries of the "Today's Tasks" section (else of the focus section) —
  subsection headings (heading tasks "### Task 1.1: … ⏸️" and plain "### 1. …" headings),
  checkboxes written directly in it, or, when it has neither, its list items; a subsection
  that only groups checkboxes ("### Morning") gives its checkboxes instead;
* completed today and blocked/waiting: the entries of sections with those names (list items,
  checkboxes, subsections; placeholders such as "None yet" skipped), plus today's tasks that
  are done or whose status says blocked;
* the next action: a "START HERE" line, else a "Next Action"/"Next Step" field, else the first
  entry under a "Next (Immediate) Action" heading, else the first open task of today.

Without a daily document the focus is the open P0 and P1 work of the priority queues, else
their first open work, else (nothing prioritised at all) the first open tasks of the plan
documents; when today's document has nothing open, its own pending section and then the
queues come next (all in :mod:`planner.views.focus_next`). A heading that frames
checkboxes is told from its shape (:func:`planner.model.structure.group_sections`).

Before either come the dated tasks of every document (their dates from any dialect, see
:mod:`planner.model.dates`): overdue, due today and scheduled today. A daily note named by
its date (``2026-12-02.md``, ``journal/2026/12/02.md``, titled ``Daily 2026-12-02``) is
today's document when its date is today. "Completed today" also lists every task whose
done date is today. "Today" is :func:`planner.model.dates.today` (``--today``, ``$PLANNER_TODAY``).
Cancelled and deferred work is never open: it is not counted, not the next action.
"""

from __future__ import annotations

import re
from functools import cache, partial

from planner.model.dates import note_day, today
from planner.model.document import OPEN, Document, Task
from planner.model.estimate import parse_estimate
from planner.model.languages import PLACEHOLDERS, SECTION_WORDS, alternation
from planner.model.vocabulary import SectionPattern, is_named_daily
from planner.model.mojibake import repair
from planner.model.parser import parse_fields
from planner.model.priority import heading_priority, is_lane_heading, section_priorities, task_priorities
from planner.views import meta
from planner.views.focus_parts import FocusPart, choose_daily, combine_focus, first_open
from planner.model.structure import (
    group_sections,
    is_template,
    is_template_title,
    item_fields,
    list_groups,
    template_sections,
)
from planner.views.focus_parts import DeferredEntries
from planner.views.focus_next import first_work_cards, first_work_items, first_work_tasks, pending_sections, plan_rank
from planner.views.groups import is_placeholder
from planner.views.outline import Outline, outline
from planner.views.queues import priority_queues, progress_of
from planner.views.records import Focus, FocusTask


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


def daily_focus(documents: list[Document], day: str | None = None) -> Focus:
    """Today's focus across ``documents`` (see the module documentation for the rules).

    ``day``: today as ISO (default :func:`planner.model.dates.today`). Each document's part is
    a pure function of it (:func:`focus_part`); the day only chooses among them
    (:func:`planner.views.focus_parts.combine_focus`)."""
    day = day or today().isoformat()
    return combine_focus([focus_part(d) for d in documents], day, lambda: priority_queues(documents))


def focus_part(document: Document, eager: bool = False) -> FocusPart:
    """What ``document`` gives the daily focus, whatever the day. Its focus as the day's plan is
    computed when asked for (now, with ``eager``: a part that is stored), and only for a
    document that can be one: a day's plan by its headings, or a dated note with tasks."""
    template = is_template(document)  # a day-log template ("## YYYY-MM-DD") is no day's plan
    # a note named by its date is that day's plan even with the blanks of the template it was
    # made from; only a note titled as a template ("Daily Log Template") is none
    day = note_day(document.path, document.title)
    note = None if _titled_template(document) else day
    heads_daily = is_daily(document)
    candidate = not template and heads_daily
    daily = None
    if candidate or (document.tasks and note is not None):
        daily = cache(partial(_focus_from_daily, document))  # once, even for a part kept per file version
        if eager:
            daily()
    dated = [
        (task.due, task.scheduled, task.line, _task_entry(document, task))
        for task in document.tasks
        if (task.due or task.scheduled) and task.is_open and not template  # a template's sample dates are no work
    ]
    done = [
        (task.done_date, meta.display_heading(task.title), task.line)
        for task in document.tasks
        if task.done_date and task.done
    ]
    rank = plan_rank(document)  # a plan document's first open work: shown when nothing else is
    # computed when read: only when nothing is planned or prioritised, and then for the first
    # few plan documents (planner.views.focus_parts.focus_from_documents)
    first = DeferredEntries(partial(_first_work, document)) if rank is not None else []
    if eager and rank is not None:
        len(first)
    return FocusPart(
        document, note, bool(document.tasks), candidate, _score(document) if candidate else (0, 0, "", 0), daily,
        dated, done, meta.document_date(document), rank, first,
        heads_daily or bool(document.tasks and day is not None),
    )  # fmt: skip


def _first_work(document: Document) -> list[FocusTask]:
    """A plan document's first open work as focus entries: its open tasks, or (a plan written
    as plain bullets) its top-level list items, or (a board of plain cards with checklists) its
    open cards (planner.views.focus_next)."""
    cards = first_work_cards(document, lambda title: bool(COMPLETED_HEADING.search(repair(title))))
    if cards:
        return [
            FocusTask(title, document, None, item.line, OPEN, None, parse_estimate(repair(item.text)), None, item.section,
                      progress, kind="item", status_type="in_progress" if doing else "todo")  # fmt: skip
            for item, progress, doing in cards
            if (title := meta.display_heading(item.text, enumeration=True))
        ]
    entries = [_task_entry(document, task) for task in first_work_tasks(document)]
    for item in first_work_items(document):
        title = meta.display_heading(item.text, enumeration=True)
        if title:
            estimate = parse_estimate(repair(item.text))
            entries.append(FocusTask(title, document, None, item.line, OPEN, None, estimate, None, item.section, kind="item"))
    return entries


def _score(document: Document) -> tuple[int, int, str, int]:
    """How a day's plan ranks among others: named in .planner.toml, then with entries in its
    sections of today's tasks, then by its newest stated date, then by its open tasks."""
    has_tasks = any(_entries_exist(document, s) for s in _task_sections(document))
    named = 1 if is_named_daily(document.path) else 0
    return (named, 1 if has_tasks else 0, meta.document_date(document), sum(1 for t in document.tasks if t.is_open))


def _task_entry(document: Document, task: Task) -> FocusTask:
    """A dated task as a focus entry: a heading task with its section's detail, or a checkbox."""
    if task.kind == "heading" and task.heads is not None:
        return _heading_entry(document, task.heads, task.priority)
    return _checkbox_entry(document, task, task.priority)


# -- finding the daily document -----------------------------------------------------------------


def _titles(document: Document) -> list[str]:
    return [repair(s.title) for s in document.sections]


def _daily_title(document: Document) -> bool:
    return bool(document.sections) and bool(DAILY_TITLE.search(repair(document.sections[0].title)))


def is_daily(document: Document) -> bool:
    if is_named_daily(document.path):
        return True  # the repository's .planner.toml names it
    return _daily_title(document) or any(FOCUS_HEADING.search(t) or TASKS_HEADING.search(t) for t in _titles(document))


def find_daily(documents: list[Document], day: str | None = None) -> Document | None:
    """The day's plan: a daily note for ``day`` (named by its date) with tasks, else the best
    document whose headings say it is a day's plan."""
    day = day or today().isoformat()
    chosen = choose_daily([focus_part(document) for document in documents], day)
    return documents[chosen] if chosen is not None else None


def _titled_template(document: Document) -> bool:
    return bool(document.title) and is_template_title(document.title)


def _task_sections(document: Document) -> list[int]:
    """The sections that hold today's tasks: "Today's Tasks", else the focus section(s), else a
    daily plan's title section (the whole document)."""
    titles = _titles(document)
    blanks = template_sections(document)  # "## Daily Log Template" → "### Today's Tasks": a blank
    found = [i for i, t in enumerate(titles) if TASKS_HEADING.search(t) and not _is_special(t) and i not in blanks]
    if found:
        return _outermost(document, found)
    found = [i for i, t in enumerate(titles) if FOCUS_HEADING.search(t) and i not in blanks]
    if found:
        return _outermost(document, found)
    named = bool(document.sections) and is_named_daily(document.path)
    return [0] if _daily_title(document) or named else []


def _outermost(document: Document, indices: list[int]) -> list[int]:
    chosen = set(indices)
    result = []
    for index in indices:
        parent = document.sections[index].parent
        while parent is not None and parent not in chosen:
            parent = document.sections[parent].parent
        if parent is None:
            result.append(index)
    return result


def _is_special(title: str) -> bool:
    return bool(COMPLETED_HEADING.search(title) or BLOCKED_HEADING.search(title) or NEXT_HEADING.search(title))


def _entries_exist(document: Document, section: int) -> bool:
    s = document.sections[section]
    return bool(s.children) or any(s.line < t.line <= s.end_line for t in document.tasks)


# -- the focus of a daily document -----------------------------------------------------------


def _focus_from_daily(document: Document, day: str | None = None) -> Focus:
    shape = outline(document)
    levels = section_priorities(document)
    task_levels = task_priorities(document, levels)
    tasks: list[FocusTask] = []
    sections = _task_sections(document)
    for section in sections:
        tasks.extend(_section_entries(document, section, levels, task_levels, shape))
    if not sections and note_day(document.path, document.title) is not None:
        tasks = _note_entries(document, levels, task_levels)  # a dated note: all of it is the day's
    headline = _headline(document, shape)
    if not any(t.is_open for t in tasks):  # nothing open today: the next open work (planner.views.focus_next)
        headline, tasks = _next_open_work(document, sections, tasks, levels, task_levels, shape, headline)
    completed, completed_lines = _special_entries(document, COMPLETED_HEADING, shape)
    blocked, blocked_lines = _special_entries(document, BLOCKED_HEADING, shape)
    for entry in tasks:
        if entry.status_type == "done" and entry.title not in completed:
            completed.append(entry.title)
            completed_lines.append(entry.line)
        if entry.is_open and entry.status and _BLOCKED_STATUS.search(entry.status) and entry.title not in blocked:
            blocked.append(entry.title)
            blocked_lines.append(entry.line)
    next_action, next_line = _next_action(document, shape)
    next_task = _named_task(next_action, tasks) if next_action else None
    if next_action is None:
        first = first_open(tasks)
        if first is not None:
            next_action, next_line, next_task = first.title, first.line, first
    return Focus(
        document=document,
        headline=headline,
        tasks=tasks,
        next_action=next_action,
        next_line=next_line,
        blocked=blocked,
        completed=completed,
        last_updated=meta.last_updated(document),
        next_task=next_task,
        source="daily",
        blocked_lines=blocked_lines,
        completed_lines=completed_lines,
    )


def _next_open_work(
    document: Document,
    chosen: list[int],
    tasks: list[FocusTask],
    levels: list[str | None],
    task_levels: list[str | None],
    shape: Outline | None,
    headline: str,
) -> tuple[str, list[FocusTask]]:
    """Today's plan has nothing open: its own pending section's open work ("## Pending Tasks"
    through its High/Low groups), else nothing more (the queues' work is shown by the caller)."""
    for index in pending_sections(document, chosen):
        entries = [e for e in _section_entries(document, index, levels, task_levels, shape) if e.is_open]
        if entries:
            return f"Nothing open for today; next: {meta.clean(document.sections[index].title)}", tasks + entries
    return headline, tasks


def _headline(document: Document, shape: Outline | None) -> str:
    for section in document.sections:
        title = repair(section.title)
        match = FOCUS_HEADING.search(title)
        if not match:
            continue
        rest = title[match.end() :].lstrip(" \t:–—-")
        if rest.strip(" \t:–—-"):
            return meta.headline_text(rest)
        first = _first_line(document, section.index, shape)
        if first:
            return first[0]
    return meta.headline_text(document.title or "") or "Today"


def _first_line(document: Document, section: int, shape: Outline | None) -> tuple[str, int] | None:
    """The first prose line or list item written directly under a heading (fields skipped), and its line."""
    if shape is None:
        return None
    candidates = [(p.line, p.lines[0]) for p in shape.paragraphs if p.section == section and not p.in_list]
    candidates += [(i.line, i.text) for i in shape.items if i.section == section and i.depth == 0]
    for line, text in sorted(candidates):
        parsed = parse_fields(text)
        if parsed is not None and parsed[0].lower() not in ("focus", "goal", "headline", "theme"):
            continue
        value = parsed[1] if parsed else text
        cleaned = meta.headline_text(value)
        if cleaned:
            return cleaned, line
    return None


def _section_entries(
    document: Document,
    index: int,
    levels: list[str | None],
    task_levels: list[str | None],
    shape: Outline | None,
) -> list[FocusTask]:
    section = document.sections[index]
    entries: list[tuple[int, FocusTask]] = []
    for task in document.tasks:
        if task.kind == "checkbox" and task.section == index and task.parent is None and not is_placeholder(task.title):
            entries.append((task.line, _checkbox_entry(document, task, task_levels[task.index])))
    groups = list(section.children)
    while groups:
        child = groups.pop(0)
        child_section = document.sections[child]
        title = repair(child_section.title)
        if _is_special(title) or _NOT_WORK.match(title):
            continue
        if _is_entry_heading(document, child):
            entries.append((child_section.line, _heading_entry(document, child, levels[child])))
            continue
        # "### Morning", "### Priority 1 - Critical": a heading that groups checkboxes gives its
        # checkboxes, and its subsections are judged in turn; "## Progress" (neither) gives nothing.
        for task in document.tasks:
            if task.kind == "checkbox" and task.section == child and task.parent is None and not is_placeholder(task.title):
                entries.append((task.line, _checkbox_entry(document, task, task_levels[task.index])))
        if child in list_groups(document):  # "### Morning" over plain list items: they are the entries
            entries.extend(_item_entries(document, child, levels, shape))
        groups.extend(child_section.children)
    if not entries:
        entries = _item_entries(document, index, levels, shape)
    entries.sort(key=lambda pair: pair[0])
    return [entry for _, entry in entries]


def _item_entries(
    document: Document, index: int, levels: list[str | None], shape: Outline | None
) -> list[tuple[int, FocusTask]]:
    """The top-level plain list items written directly in section ``index`` (fields and placeholders skipped)."""
    entries: list[tuple[int, FocusTask]] = []
    for item in shape.items if shape is not None else []:
        if item.section == index and item.depth == 0 and parse_fields(item.text) is None:
            title = meta.display_heading(item.text, enumeration=True)
            if title and not _PLACEHOLDER.match(title) and not is_placeholder(title):
                estimate = parse_estimate(repair(item.text))
                entries.append(
                    (item.line, FocusTask(title, document, None, item.line, OPEN, levels[index], estimate, None, index, kind="item"))
                )
    return entries


def _note_entries(document: Document, levels: list[str | None], task_levels: list[str | None]) -> list[FocusTask]:
    """A daily note without a "Today's tasks" heading: its top-level checkboxes and heading tasks."""
    entries: list[FocusTask] = []
    for task in document.tasks:
        if task.kind == "checkbox" and task.parent is None and not is_placeholder(task.title):
            section = document.sections[task.section].title if task.section is not None else ""
            if not _is_special(repair(section)):
                entries.append(_checkbox_entry(document, task, task_levels[task.index]))
        elif task.kind == "heading" and task.heads is not None:
            entries.append(_heading_entry(document, task.heads, levels[task.heads]))
    return entries


def _is_entry_heading(document: Document, section: int) -> bool:
    """A subsection that is one of today's tasks: a heading task ("### Task 1.1: … ⏸️"), a numbered
    or task-like heading ("### 1. Write the parser", "### Fix login"), or one with an estimate,
    a priority or a status/effort field. "### Morning" (only checkboxes) and "## Progress" are not."""
    s = document.sections[section]
    if s.task is not None:
        return True
    title = repair(s.title)
    if _frames_checkboxes(document, section, title):
        return False  # a priority band or a group over checkboxes: its checkboxes are the entries
    if _TASK_LIKE.match(title) or parse_estimate(title) is not None or heading_priority(title) is not None:
        return True
    keys = ("priority", *meta.STATUS_KEYS, *meta.EFFORT_KEYS, *meta.OWNER_KEYS)
    # (A checkbox's own sub-bullets are its fields, not the heading's.)
    return any(f.section == section and f.task is None and f.key in keys for f in document.fields)


def _frames_checkboxes(document: Document, section: int, title: str) -> bool:
    """"### Priority 1 - Critical", "### Critical", "### Backend Tasks" over checkboxes (or over
    subsections): a frame for the work, not a piece of it."""
    return section in group_sections(document)  # judged from its shape: planner.model.structure


def _heading_entry(document: Document, index: int, level: str | None) -> FocusTask:
    section = document.sections[index]
    task = document.tasks[section.task] if section.task is not None else None
    fields = item_fields(document, index)  # its own, then its detail subsections
    progress = progress_of([t for t in document.tasks_under(index) if t.kind == "checkbox"])
    estimate = parse_estimate(repair(section.title))
    if estimate is None:
        estimate = meta.effort_of(fields)[0]
    status = meta.status_of(fields, task)
    status_type = meta.status_type_of(task, fields, progress)
    return FocusTask(
        title=meta.display_heading(section.title, task.marker if task else None, enumeration=True),
        document=document,
        task=task,
        line=section.line,
        state=meta.state_of(task, fields, progress),
        priority=level,
        estimate=estimate,
        status=status,
        section=index,
        progress=progress,
        status_type=status_type,
        due=task.due if task else None,
        scheduled=task.scheduled if task else None,
    )


def _checkbox_entry(document: Document, task: Task, level: str | None) -> FocusTask:
    children = [t for t in document.tasks if t.parent == task.index]
    return FocusTask(
        title=meta.display_heading(task.title),
        document=document,
        task=task,
        line=task.line,
        state=task.state,
        priority=level,
        estimate=meta.task_effort(document, task),
        status=task.state_name if task.status_type not in ("todo", "done") else meta.task_status(document, task),
        section=task.section,
        progress=progress_of(children),
        kind="checkbox",
        status_type=task.status_type,
        due=task.due,
        scheduled=task.scheduled,
    )


def _special_entries(document: Document, heading: re.Pattern[str], shape: Outline | None) -> tuple[list[str], list[int]]:
    """Entries of the sections whose heading matches (Completed Today, Blocked/Waiting): their
    checkboxes, subsections, list items and lone prose lines, placeholders ("None yet") skipped."""
    texts: list[str] = []
    lines: list[int] = []
    matched: set[int] = set()
    for section in document.sections:
        title = repair(section.title)
        if not heading.search(title) or TASKS_HEADING.search(title) or FOCUS_HEADING.search(title):
            continue
        if _has_ancestor(document, section.index, matched):
            continue  # "### Task 2.2: … BLOCKER" inside "## Blocked": an entry, not a section of entries
        matched.add(section.index)
        first, last = section.line, section.end_line
        entries: list[tuple[int, str]] = []
        task_lines = set()
        for task in document.tasks:
            if task.kind == "checkbox" and first < task.line <= last and task.parent is None:
                entries.append((task.line, task.title))
                task_lines.add(task.line)
        for child in section.children:
            child_section = document.sections[child]
            task = document.tasks[child_section.task] if child_section.task is not None else None
            entries.append((child_section.line, task.title if task else child_section.title))
        if shape is not None:
            for item in shape.items:
                if item.section == section.index and item.depth == 0 and item.line not in task_lines:
                    if parse_fields(item.text) is None:
                        entries.append((item.line, item.text))
            leads = {i.lead for i in shape.items if i.lead is not None}
            for number, paragraph in enumerate(shape.paragraphs):
                if paragraph.section == section.index and not paragraph.in_list and number not in leads:
                    if parse_fields(paragraph.lines[0]) is None and not _START_HERE.search(paragraph.lines[0]):
                        entries.append((paragraph.line, paragraph.lines[0]))
        for line, text in sorted(entries):
            cleaned = meta.display_heading(text, enumeration=True, keep_estimate=True)
            if cleaned and not _PLACEHOLDER.match(cleaned) and cleaned not in texts:
                texts.append(cleaned)
                lines.append(line)
    return texts, lines


def _has_ancestor(document: Document, section: int, among: set[int]) -> bool:
    parent = document.sections[section].parent
    while parent is not None:
        if parent in among:
            return True
        parent = document.sections[parent].parent
    return False


def _next_action(document: Document, shape: Outline | None) -> tuple[str | None, int | None]:
    if shape is not None:
        for number, raw in enumerate(shape.lines, 1):
            match = _START_HERE.search(raw)
            if match is None or not _in_prose(shape, number):
                continue
            rest = meta.headline_text(raw[match.end() :].lstrip("*_ ").lstrip(":").strip())
            rest = rest.lstrip(":–—- ").strip()
            if rest:
                return rest, number
            for later in range(number, min(number + 3, len(shape.lines))):
                text = meta.headline_text(shape.lines[later])
                if text:
                    return text, later + 1
    for f in document.fields:
        if f.key in NEXT_KEYS and f.value.strip():
            return meta.headline_text(f.value), f.line
    for section in document.sections:
        if NEXT_HEADING.search(repair(section.title)):
            first = _first_line(document, section.index, shape)
            if first:
                return first
    return None, None


def _in_prose(shape: Outline, line: int) -> bool:
    """Whether ``line`` is prose: part of a paragraph or a list item's first line (not code, not a heading)."""
    return any(p.line <= line <= p.end_line for p in shape.paragraphs) or any(i.line == line for i in shape.items)


_WORDS = re.compile(r"[\w']+")


def _named_task(text: str, tasks: list[FocusTask]) -> FocusTask | None:
    """The task of today that ``text`` names ("Task 1.1 - Make MemoryManager Stateless")."""
    words = {w.lower() for w in _WORDS.findall(text)}
    best: tuple[int, FocusTask] | None = None
    for entry in tasks:
        own = {w.lower() for w in _WORDS.findall(entry.title)}
        if own and own <= words and (best is None or len(own) > best[0]):
            best = (len(own), entry)
    return best[1] if best else None
