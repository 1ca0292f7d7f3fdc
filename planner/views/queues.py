"""Priority queues: one lane per priority (P0–P3), gathered from every document.

An item is a piece of work that has a priority:

* a section under a priority lane heading ("### High Priority Items" → "#### 1. Path Monitor…",
  "### 🔴 P0: Critical" → "#### 1. Async Migration…");
* a section whose own heading or ``**Priority**:`` field states a priority ("### Task 1.1: … " with
  ``**Priority**: P0``, a backlog project with ``**Priority**: High``, "### Fix X 🟠");
* a checkbox task that states a priority on its line (``- [ ] Ship ⏫``, ``[P1]``), or that sits
  directly under a lane heading; under a lane with neither subsections nor checkboxes, its
  top-level list items.

A section that holds prioritised subsections is a grouping, not an item ("Today's Focus (CRITICAL)"
holding "Priority 0: …"); everything below an item belongs to it (its tasks give its
progress). Sections without a priority (Notes, Success Metrics, Communication Plan) stay out.
Templates and reference documents (runbooks, checklists, guides that track no work:
:func:`planner.model.structure.is_reference`) give no items.
"""

from __future__ import annotations

import re

from planner.model.document import DONE, Document, Field, Task
from planner.model.states import OPEN_TYPES
from planner.model.estimate import Estimate, parse_estimate
from planner.model.parser import parse_fields
from planner.model.priority import (
    PRIORITIES,
    document_priority,
    field_priorities,
    heading_priorities,
    is_lane_heading,
    line_priority,
    starts_with_priority,
    section_priorities,
    task_priorities,
)
from planner.views import meta
from planner.model.structure import (
    archived_path,
    group_sections,
    holds_work_subsections,
    is_reference,
    is_template,
    item_fields,
    list_groups,
    template_sections,
)
from planner.views.groups import is_placeholder
from planner.views.outline import outline, quoted
from planner.views.records import QueueItem
from planner.views.table_items import table_items


# Headings that describe work rather than being work, even under a lane.
_NOT_WORK = re.compile(
    r"(?i)^\W*(?:notes?|summary|overview|context|background|rationale|success\s+(?:criteria|metrics)|metrics"
    r"|references?|links|resources|appendix|questions?|communication(?:\s+plan)?|glossary|changelog"
    r"|timeline|dependencies|risks?|acceptance\s+criteria|definition\s+of\s+done|table\s+of\s+contents)\b"
    r"|^\W*(?:none|nothing|n/?a|tbd)\W*$"
)
_MENTION = meta.MENTION
_DONE_ITEM = re.compile(r"^\s*(?:~~.*~~\s*$|(?:✅|✔️?|☑️?))")


def priority_queues(documents: list[Document]) -> dict[str, list[QueueItem]]:
    """``{"P0": [...], "P1": [...], "P2": [...], "P3": [...]}`` in document order."""
    queues: dict[str, list[QueueItem]] = {level: [] for level in PRIORITIES}
    for document in documents:
        for item in document_items(document):
            queues[item.priority].append(item)
    return queues


def document_items(document: Document) -> list[QueueItem]:
    sections = document.sections
    if not sections and not document.tasks:
        return []
    if is_template(document):
        return []  # a template ("Task Template", mostly "[Name]"/"TBD"): no work of its own
    if archived_path(document.path):
        return []  # "docs/archive/roadmap-v1.md": history, not the queues' open work
    whole = _task_file_item(document)
    if whole is not None:
        return [whole]
    levels = section_priorities(document)
    own_fields = field_priorities(document)
    heading_levels = heading_priorities(document)
    explicit = [heading_levels[s.index] or own_fields.get(s.index) for s in sections]
    # Whether any subsection (at any depth) states a priority: then this one only groups them.
    explicit_below = [False] * len(sections)
    for s in reversed(sections):
        if s.parent is not None and (explicit[s.index] or explicit_below[s.index]):
            explicit_below[s.parent] = True
    # A lane heading is about the priority itself ("High Priority Items", "🔴 P0: Critical (Do First)"),
    # or opens with it and holds subsections that are work ("High Priority - Core Visualization" →
    # "Phase 1: …"; not "P1: Export to CSV" → "### Details", "### Acceptance": one item's parts);
    # "Phase 4: Testing (CRITICAL)" is work that has a priority, with its subsections inside it.
    lanes = {
        s.index
        for s in sections
        if heading_levels[s.index]
        and (is_lane_heading(s.title) or (starts_with_priority(s.title) and holds_work_subsections(document, s.index)))
    }

    # Groups ("Week 3 (Future)", "Backend Tasks", "Recently Completed ✅", a run of "Day 1"/"Day 2",
    # a heading over checkboxes that are work themselves) frame the checkboxes or subsections
    # under them: never an item, they give their priority and lane to those (planner.model.structure).
    frames = lanes | group_sections(document)
    frames |= {g for g in list_groups(document) if sections[g].parent in frames}
    # A section whose work is the rows of a planning table frames them (planner.views.table_items).
    frames |= {t.section for t in document.tables if t.section is not None and sections[t.section].task is None}

    items: list[QueueItem] = []
    item_sections: dict[int, QueueItem] = {}
    covered: set[int] = set()  # sections inside an item
    for s in sections:
        if s.parent is not None and (s.parent in covered or s.parent in item_sections):
            covered.add(s.index)
            continue
        level = levels[s.index]
        if level is None or explicit_below[s.index]:
            continue
        under_lane = s.parent in frames
        if s.index in frames:
            continue
        if _NOT_WORK.match(meta.clean(s.title)) and not (explicit[s.index] and not under_lane):
            continue
        if explicit[s.index] or under_lane:
            item = _section_item(document, s.index, level, lanes)
            item_sections[s.index] = item
            items.append(item)

    task_levels = task_priorities(document, levels)
    item_tasks: set[int] = set()
    inside_item = {t.index for item in items for t in item.tasks}
    for task in document.tasks:
        if task.kind != "checkbox" or task.index in inside_item:
            continue
        if task.parent is not None and (task.parent in item_tasks or _has_item_ancestor(document, task, item_tasks)):
            continue
        level = task_levels[task.index]
        in_lane = task.section in frames
        if level is None or not (line_priority(task.text) or (in_lane and task.parent is None)):
            continue
        if task.section is not None and _inside(document, task.section, item_sections, covered):
            continue
        if is_placeholder(task.title):
            continue  # "[ ] None currently", "[ ] [Task name]": a template's blank
        item_tasks.add(task.index)
        items.append(_task_item(document, task, level, frames))

    # A lane with neither subsections nor checkboxes lists its items as plain list items.
    for lane in sorted(lanes):
        section = sections[lane]
        if section.children or any(t.section == lane for t in document.tasks):
            continue
        items.extend(_list_items(document, lane, levels[lane] or "P3"))
    # So does a group over plain list items under a lane ("### Week 3 (Future)" → "- Load testing").
    for group in sorted(list_groups(document)):
        if levels[group] is not None and group not in lanes and sections[group].parent in frames:
            items.extend(_list_items(document, group, levels[group]))
    # A plain list item whose bold title states its priority ("1. **Search API (P1)**:") is work.
    items.extend(_bold_priority_items(document, {i.line for i in items}, set(item_sections) | covered | frames))
    if document.tables:
        items.extend(table_items(document, levels, frames, lanes))
    blanks = template_sections(document)
    if blanks:  # "## Daily Log Template": a template's entries are no work
        items = [i for i in items if i.section not in blanks]
    if is_reference(document):
        # A runbook, checklist or workflow guide tracks no work (every box open and undated, no
        # Status/Estimate/Due field: else it is a plan), so its priorities say how to act — a
        # hotfix/* branch's "Priority: Highest", a backup list's "Critical", a review checklist's
        # "Critical Checks" — not what to do. Only the checkboxes it lists as planned work
        # ("## Future Enhancements", "## Roadmap", "## Next Steps") are work.
        items = [i for i in items if i.kind == "task" and _planned(document, i.section)]
    items.sort(key=lambda i: i.line)
    return items


# A section that lists work still to come, in a document that is otherwise reference.
_PLANNED_HEADING = re.compile(
    r"(?i)\b(?:future|roadmap|planned|upcoming|next\s+steps?|to-?dos?|backlog|wish-?list|not\s+yet\s+implemented)\b"
)


def _planned(document: Document, section: int | None) -> bool:
    while section is not None:
        if _PLANNED_HEADING.search(meta.clean(document.sections[section].title)):
            return True
        section = document.sections[section].parent
    return False


def _inside(document: Document, section: int, item_sections: dict[int, QueueItem], covered: set[int]) -> bool:
    return section in item_sections or section in covered


def _has_item_ancestor(document: Document, task: Task, item_tasks: set[int]) -> bool:
    parent = task.parent
    while parent is not None:
        if parent in item_tasks:
            return True
        parent = document.tasks[parent].parent
    return False


def _lane_title(document: Document, section: int | None, lanes: set[int]) -> str | None:
    while section is not None:
        if section in lanes:
            return meta.clean(document.sections[section].title)
        section = document.sections[section].parent
    return None


def _path(document: Document, section: int | None) -> tuple[str, ...]:
    return tuple(meta.clean(t) for t in document.section_path(section))


def progress_of(tasks: list[Task]) -> tuple[int, int] | None:
    """(done, total) of the checkbox tasks in ``tasks``, else of its heading tasks, else None.

    Cancelled and deferred tasks count on neither side: they are no work left, nor work done."""
    boxes = [t for t in tasks if t.kind == "checkbox"]
    counted = boxes or [t for t in tasks if t.kind == "heading"]
    if not counted:
        return None
    counted = [t for t in counted if t.status_type in _COUNTED]
    return sum(1 for t in counted if t.status_type == "done"), len(counted)


_COUNTED = frozenset({"todo", "in_progress", "done"})


def _section_item(document: Document, index: int, level: str, lanes: set[int]) -> QueueItem:
    section = document.sections[index]
    heading_task = document.tasks[section.task] if section.task is not None else None
    fields = item_fields(document, index)  # its own, then its detail subsections
    tasks = document.tasks_under(index)
    progress = progress_of(tasks)
    effort, effort_text = meta.effort_of(fields)
    if effort is None and effort_text is None:
        effort = parse_estimate(meta.repair(section.title))
        effort_text = effort.text if effort else None
    if effort is None and effort_text is None:
        effort, effort_text = _subtree_total(document, index)
    status = meta.status_of(fields, heading_task)
    status_type = meta.status_type_of(heading_task, fields, progress)
    return QueueItem(
        title=meta.display_heading(section.title, heading_task.marker if heading_task else None, enumeration=True),
        document=document,
        line=section.line,
        priority=level,
        state=meta.state_of(heading_task, fields, progress),
        status=status,
        effort=effort,
        effort_text=effort_text,
        owner=meta.field_text(fields, meta.OWNER_KEYS),
        progress=progress,
        tasks=tasks,
        section=index,
        task=heading_task,
        kind="section",
        lane=_lane_title(document, section.parent, lanes),
        value=meta.field_text(fields, meta.VALUE_KEYS),
        risk=meta.field_text(fields, meta.RISK_KEYS),
        dependencies=meta.field_text(fields, meta.DEPENDENCY_KEYS),
        path=_path(document, section.parent),
        status_type=status_type,
        due=heading_task.due if heading_task else _section_due(document, index),
    )


def _section_due(document: Document, index: int) -> str | None:
    from planner.model.dates import reference_year  # noqa: PLC0415
    from planner.model.dialects import field_kind, line_metadata, written_date  # noqa: PLC0415

    in_title = line_metadata(document.sections[index].title).due
    if in_title:
        return in_title
    for f in document.fields:
        if f.section == index and f.task is None and field_kind(f.key) == "due":
            return written_date(meta.repair(f.value), reference_year(document))
    return None


def _subtree_total(document: Document, index: int) -> tuple[Estimate | None, str | None]:
    """A "Total Effort…" field anywhere under the section (written after its last subsection)."""
    first, last = document.sections[index].line, document.sections[index].end_line
    for f in document.fields:
        if first < f.line <= last and f.key.startswith("total") and ("effort" in f.key or "estimate" in f.key):
            estimate = parse_estimate(meta.repair(f.value))
            if estimate is not None:
                return estimate, meta.clean(f.value)
    return None, None


def _descendants(document: Document, task: Task) -> list[Task]:
    found: list[Task] = []
    wanted = {task.index}
    for other in document.tasks[task.index + 1 :]:
        if other.parent in wanted:
            wanted.add(other.index)
            found.append(other)
        elif other.line > task.line and other.parent is None:
            break
    return found


def _task_item(document: Document, task: Task, level: str, lanes: set[int]) -> QueueItem:
    text = task.title  # repaired, the dialects' dates and fields dropped ("🔁 every 2 weeks" is no estimate)
    effort = meta.task_effort(document, task)
    mention = _MENTION.search(text)
    if mention is not None and "@" + mention.group(1) in task.tags:
        mention = None  # a todo.txt @context, not an owner
    children = _descendants(document, task)
    return QueueItem(
        title=meta.display_heading(task.title),
        document=document,
        line=task.line,
        priority=level,
        state=task.state,
        status=task.status or (task.state_name if task.status_type not in ("todo", "done") else None),
        effort=effort,
        effort_text=effort.text if effort else None,
        owner=mention.group(1) if mention else None,
        progress=progress_of(children),
        tasks=children,
        section=task.section,
        task=task,
        kind="task",
        lane=_lane_title(document, task.section, lanes),
        path=_path(document, task.section),
        status_type=task.status_type,
        due=task.due,
    )


def _list_items(document: Document, lane: int, level: str) -> list[QueueItem]:
    shape = outline(document)
    if shape is None:
        return []
    section = document.sections[lane]
    found: list[QueueItem] = []
    for entry in shape.items_between(section.line, section.end_line):
        if entry.depth != 0 or entry.section != lane:
            continue
        text = meta.repair(entry.text)
        if parse_fields(entry.text) is not None and not parse_fields(entry.text)[1].strip() == "":
            continue  # "- **Owner**: …" is metadata of the lane, not an item
        title = meta.display_heading(text)
        if not title or is_placeholder(title):
            continue  # "- None currently", "- [Task name]": a template's blank
        effort = parse_estimate(text)
        mention = _MENTION.search(text)
        found.append(
            QueueItem(
                title=title,
                document=document,
                line=entry.line,
                priority=level,
                state=DONE if _DONE_ITEM.match(text) else "open",
                status_type="done" if _DONE_ITEM.match(text) else "todo",
                status=None,
                effort=effort,
                effort_text=effort.text if effort else None,
                owner=mention.group(1) if mention else None,
                progress=None,
                tasks=[],
                section=lane,
                task=None,
                kind="item",
                lane=meta.clean(section.title),
                path=_path(document, lane),
            )
        )
    return found


# A P-level in an item's bold title: "**Search API (P1)**", "**P0: Fix login**", "（P2）".
_BOLD_LEAD = re.compile(r"^(?:\*\*|__)(?P<title>.+?)(?:\*\*|__)")
_P_LEVEL = re.compile(r"(?<![^\W_]|-)P([0-3])(?![^\W_]|-)")  # "__P0: x__" too: "_" may touch it
_PARENTHESES = re.compile(r"[(（][^()（）]*[)）]")
_P_GROUP = re.compile(r"[(（\[][^()（）\[\]]*(?<![^\W_]|-)P[0-3](?![^\W_]|-)[^()（）\[\]]*[)）\]]")


def _bold_priority_items(document: Document, listed: set[int], taken: set[int]) -> list[QueueItem]:
    """Top-level plain list items whose bold title names one P-level (``1. **Search API (P1)**:``
    over sub-bullets), outside sections that are items or frames already: each is an item of
    that priority, with the effort, status and owner of its ``**Key**: value`` sub-bullets and
    the progress of its checkboxes."""
    if not document.priority_items:
        return []  # (counted at parse time: most documents need no outline here)
    shape = outline(document)
    if shape is None:
        return []
    boxes = {t.line: t for t in document.tasks if t.kind == "checkbox"}
    aside = quoted(document)
    found: list[QueueItem] = []
    for entry in shape.items:
        if entry.depth != 0 or entry.line in listed or entry.line in boxes or entry.section in taken:
            continue
        if aside(entry.line):
            continue  # "> 1. **Example (P2)**": quoted aside, not work
        text = meta.repair(entry.text).strip()
        lead = _BOLD_LEAD.match(text)
        if lead is None:
            continue
        levels = set(_P_LEVEL.findall(lead.group("title")))
        if len(levels) != 1:
            continue  # none, or a legend ("**P0 | P1 | P2**")
        bare = _P_GROUP.sub(" ", lead.group("title"))  # "(P1, partly done)" goes whole
        title = meta.display_heading(_P_LEVEL.sub(" ", bare).strip(" :：-–—|,"))
        if not title or is_placeholder(title) or not _PARENTHESES.sub("", title).strip(" :：-–—|,"):
            continue  # "**P0 (Async):** 3-4 days": a summary of the lane, not an item
        fields: dict[str, Field] = {}
        for f in document.fields:
            if entry.line < f.line <= entry.end_line and f.task is None:
                fields.setdefault(f.key, f)
        # its checkboxes, but not one that is an item of its own ("- [ ] Index (P0)")
        steps = [t for line, t in boxes.items() if entry.line < line <= entry.end_line and line not in listed]
        progress = progress_of(steps)
        effort, effort_text = meta.effort_of(fields)
        status_type = "done" if _DONE_ITEM.match(text) else meta.status_type_of(None, fields, progress)
        closed = _closed_heading(document, entry.section)  # "### Phase 3 ✅": its items are done with it
        if closed and status_type in OPEN_TYPES:
            status_type = closed
        found.append(
            QueueItem(
                title=title, document=document, line=entry.line, priority=f"P{levels.pop()}",
                state=DONE if status_type == "done" else "open", status=meta.status_of(fields, None),
                effort=effort, effort_text=effort_text, owner=meta.field_text(fields, meta.OWNER_KEYS),
                progress=progress, tasks=steps, section=entry.section, task=None, kind="item",
                path=_path(document, entry.section), status_type=status_type,
            )  # fmt: skip
        )
    return found


def _closed_heading(document: Document, section: int | None) -> str | None:
    """The status type of the nearest enclosing heading task that is done or cancelled, if any."""
    while section is not None:
        heading = document.sections[section]
        if heading.task is not None:
            kind = document.tasks[heading.task].status_type
            if kind not in OPEN_TYPES:
                return kind
        section = heading.parent
    return None


# -- a file that is one task (Backlog.md) -------------------------------------------------------------

_TASK_FILE_KEYS = ("status", "assignee", "assignees", "labels", "dependencies")


def _task_file_item(document: Document) -> QueueItem | None:
    """A file whose front matter describes one task (Backlog.md's ``id``/``title``/``status``/
    ``priority``/``assignee``): the whole file is one item, its checkboxes its progress."""
    fields = {f.key: f for f in document.fields if f.source == "yaml"}
    if "priority" not in fields or not any(k in fields for k in _TASK_FILE_KEYS):
        return None
    level = document_priority(document)
    if level is None:
        return None
    title_field = fields.get("title")
    title = meta.clean(title_field.value) if title_field and title_field.value.strip() else meta.clean(document.title or "")
    if not title:
        from pathlib import PurePath  # noqa: PLC0415

        title = PurePath(document.path).stem
    if "id" in fields and fields["id"].value.strip() and not title.startswith(fields["id"].value.strip()):
        title = f"{fields['id'].value.strip()}: {title}"
    tasks = list(document.tasks)
    progress = progress_of(tasks)
    status = meta.field_text(fields, ("status",))
    status_type = meta.status_type_of(None, fields, None)
    first = min(f.line for f in fields.values())
    return QueueItem(
        title=title,
        document=document,
        line=max(first - 1, 1),
        priority=level,
        state=DONE if status_type == "done" else "open",
        status=status,
        effort=None,
        effort_text=None,
        owner=meta.field_text(fields, ("assignee", "assignees", "owner")) or None,
        progress=progress,
        tasks=tasks,
        section=None,
        task=None,
        kind="file",
        dependencies=meta.field_text(fields, ("dependencies",)) or None,
        status_type=status_type,
        due=None,
    )
