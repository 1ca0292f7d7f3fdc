"""What focus shows when the day gives nothing open: the rules, apart from the focus screen's code.

* No daily document: the open P0 and P1 work of the queues; with none, the first open work of
  the queues (P2, then P3), with a headline saying so. Reference documents — runbooks, backup
  plans, checklists, workflow guides (:func:`planner.model.structure.is_reference`) — and
  templates never fill it: a ``hotfix/*`` branch's "Priority: Highest" is no P0 work. That
  choice is made from each document's cached part (:func:`planner.views.focus_parts.fallback_items`).
* A daily document with nothing open today: its own pending section ("## Pending Tasks",
  "## Backlog", "## Tarefas pendentes", through its High/Medium/Low groups) comes next; with
  none, the queues as above.
* Neither a day's plan nor any open P0–P3 work (a repository whose TODO.md is a plain task
  list): the first open work of its plan documents (:func:`plan_rank`, :func:`first_work_tasks`),
  in their order, with a headline naming them; JSON ``source`` is ``"documents"``. Each
  document's entries and rank are in its cached part, like the rest.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from planner.model.document import Document, Task
from planner.model.languages import SECTION_WORDS, alternation
from planner.model.lanes import is_in_progress_lane
from planner.model.mojibake import repair
from planner.model.structure import archived_path, is_placeholder, is_reference, is_template, repository_parts, template_sections
from planner.model.parser import parse_fields
from planner.views.outline import Item, outline, quoted

# Open work still to do, in a day's plan: what focus shows next when today has nothing open.
PENDING_HEADING = re.compile(
    r"(?i)^\W*(?:pending|open|remaining|outstanding|upcoming|backlog|to[\s-]?do|next\s+up|up\s+next|not\s+started"
    r"|still\s+to\s+do|carry[\s-]?over|carried\s+over|tomorrow)(?:\s+(?:tasks?|items?|work|to-?dos?))?\W*$"
    rf"|(?<!\w)(?:{alternation(SECTION_WORDS['pending'])})(?!\w)"
)


def pending_sections(document: Document, chosen: list[int]) -> list[int]:
    """Sections named as pending work, outside the sections already chosen for today (and their
    subsections) and outside templates, outermost first."""
    skip = set(chosen) | template_sections(document)
    found: list[int] = []
    for section in document.sections:
        parent = section.parent
        inside = section.index in skip
        while parent is not None and not inside:
            inside = parent in skip or parent in found
            parent = document.sections[parent].parent
        if not inside and PENDING_HEADING.search(repair(section.title)):
            found.append(section.index)
    return found


# -- no daily plan and no prioritised work: the first open work of the plan documents -------------

# A document named as a plan, by its file name or its title: "TODO.md", "todolist.md", "Backlog",
# "roadmap.md", "tasks.md", "# Sprint 4 Plan", "Milestones".
_PLAN_NAME = re.compile(
    r"(?i)(?:^|[\W_])(?:to-?dos?|todo-?lists?|backlog|roadmap|tasks?|task-?list|plan|planning|milestones?"
    r"|next[\W_]+steps?|sprint|wish-?list)(?:$|[\W_\d])"
)
# Folders whose documents are not the repository's open work: archived or finished work, and
# test or sample data (kept, after every other plan, when nothing else has open work).
_FINISHED_FOLDER = re.compile(r"(?i)^[_.]?(?:completed|done)$")  # beside archived_path's folders
_SAMPLE_FOLDER = re.compile(
    r"(?i)^[_.]?(?:tests?|testdata|test[\W_]data|fixtures?|__tests__|examples?|samples?|sample[\W_]\w+|demo|mocks?)$"
)  # (not "specs/": spec-kit's specs/001-feature/tasks.md is the plan)
FIRST_WORK_LIMIT = 12  # as many entries as the queues' fallback (planner.views.focus_parts.FALLBACK_LIMIT)


def plan_rank(document: Document) -> tuple[int, int] | None:
    """Where ``document`` comes among the plan documents whose first open work focus shows when
    nothing is planned or prioritised, or None when it is none: ``(tier, depth)``.

    A plan document has open work (an open checkbox or heading task), is no template and no
    reference document (runbook, checklist, guide), and is not archived (a folder "archive",
    "completed"). Documents named as a plan (TODO.md, backlog, roadmap, tasks, "# Sprint Plan")
    come first (tier 0): that is where a team writes what is still to do; then documents shaped
    as a task list — at least two checkboxes, and one line in eight (outside code) a checkbox
    (a study plan's README; not a README that shows a few example checkboxes among its docs) —
    (tier 1); test and sample data last (tier 2). Within a tier, shallower files first (a root
    TODO.md before a deep doc's list): the rest is the documents' own order. The count of open
    work does not rank them: seven translations of a README would come before the README.
    A document named as a plan with no task at all ("# TODO" over plain bullets) has its
    top-level list items as its open work (:func:`first_work_items`)."""
    if is_template(document) or is_reference(document):
        return None
    parts = repository_parts(document.path)
    folders = parts[:-1][-4:]
    if archived_path(document.path) or any(_FINISHED_FOLDER.match(p) for p in folders):
        return None
    named = bool(_PLAN_NAME.search(parts[-1] if parts else "")) or bool(
        document.title and _PLAN_NAME.search(repair(document.title))
    )
    if not any(t.is_open for t in document.tasks) and not (named and first_work_items(document)):
        return None
    boxes = sum(1 for t in document.tasks if t.kind == "checkbox")
    if not named:
        # Shaped as a task list: at least one line in eight outside code is a checkbox (from the
        # parsed blocks: reading the file again for its list items would cost a warm focus).
        code = sum(b.end_line - b.line + 1 for b in document.blocks if b.kind in ("fence", "code"))
        if boxes < 2 or boxes * 8 < document.line_count - code:
            return None
    sample = any(_SAMPLE_FOLDER.match(p) for p in folders)
    return (2 if sample else 0 if named else 1, len(parts))


def first_work_tasks(document: Document) -> list[Task]:
    """The document's first open work: open checkboxes (an open checkbox's open subtasks stay
    inside it) and open heading tasks, outside templates and placeholders — work in progress
    first, then in document order — at most :data:`FIRST_WORK_LIMIT`."""
    blanks = template_sections(document)
    shown: set[int] = set()
    found: list[Task] = []
    for task in document.tasks:
        if not task.is_open or (task.section is not None and task.section in blanks):
            continue
        if task.kind == "checkbox" and _inside_shown(document, task, shown):
            continue
        if is_placeholder(task.title):
            continue
        shown.add(task.index)
        found.append(task)
    # Work already in progress first ("## In Progress", "[/]"): it is where the team is now.
    found.sort(key=lambda task: task.status_type != "in_progress")
    return found[:FIRST_WORK_LIMIT]


# A list item marked done without a checkbox: struck through, or opening with a check mark.
_DONE_ITEM = re.compile(r"^\s*(?:~~.*~~\s*$|(?:✅|✔️?|☑️?))")


def first_work_items(document: Document) -> list[Item]:
    """A plan document without tasks ("# TODO" over "- Fix the login"): its top-level plain list
    items, in order — not fields ("- **Owner**: Ana"), placeholders, done-marked items ("~~…~~",
    "✅ …"), items quoted aside ("> 1. …") or items of a template section — at most :data:`FIRST_WORK_LIMIT`. None when the
    document has tasks: then its tasks are its work."""
    if document.tasks:
        return []
    shape = outline(document)
    if shape is None:
        return []
    blanks = template_sections(document)
    aside = quoted(document)
    found: list[Item] = []
    for item in shape.items:
        if item.depth != 0 or (item.section is not None and item.section in blanks):
            continue
        if not _plain_work(item, aside):
            continue
        found.append(item)
        if len(found) >= FIRST_WORK_LIMIT:
            break
    return found


def first_work_cards(document: Document, done_lane: Callable[[str], bool]) -> list[tuple[Item, tuple[int, int] | None, bool]]:
    """A board whose cards are plain list items and whose checkboxes are only the cards' steps
    (``## In Progress`` / ``- Theming sub-tasks`` / ``    * [ ] Selected``, as taskell writes its
    lists): its open cards with their steps' progress and whether they are in progress (in an
    in-progress lane, which comes first), none from a done lane (``done_lane`` judges a heading)
    — at most :data:`FIRST_WORK_LIMIT`. Empty
    when the document is not so shaped: a top-level checkbox or a heading task makes its tasks
    its work, and so do fewer than two cards with steps."""
    if not document.tasks or any(t.kind != "checkbox" or t.depth == 0 for t in document.tasks):
        return []
    shape = outline(document)
    if shape is None:
        return []
    items = shape.items
    index_at = {item.line: position for position, item in enumerate(items)}
    task_at = {task.line: task for task in document.tasks}
    steps: dict[int, list[Task]] = {}
    for task in document.tasks:
        position = index_at.get(task.line)
        while position is not None and items[position].parent is not None:
            position = items[position].parent
        if position is None or items[position].line in task_at:
            return []  # a checkbox outside the outline or under another checkbox: not this shape
        steps.setdefault(position, []).append(task)
    if len(steps) < 2:
        return []  # one list item with steps among notes ("- Release 1.2" / "- Ana is away") is no board
    blanks = template_sections(document)
    aside = quoted(document)
    sections = document.sections
    cards: list[tuple[bool, Item, tuple[int, int] | None]] = []
    for position, item in enumerate(items):
        if item.depth != 0 or (item.section is not None and (item.section in blanks or done_lane(sections[item.section].title))):
            continue
        if not _plain_work(item, aside):
            continue
        own = [t for t in steps.get(position, ()) if t.status_type not in ("cancelled", "non_task")]
        done = sum(1 for t in own if t.done)
        if own and done == len(own):
            continue  # every step ticked: the card is finished
        lane = sections[item.section].title if item.section is not None else ""
        cards.append((not is_in_progress_lane(lane), item, (done, len(own)) if own else None))
    cards.sort(key=lambda card: card[0])
    return [(item, progress, not later) for later, item, progress in cards[:FIRST_WORK_LIMIT]]


def _plain_work(item: Item, aside: Callable[[int], bool]) -> bool:
    """Whether a plain list item reads as work: not a field ("- **Owner**: Ana"), not done-marked
    ("~~…~~", "✅ …"), not a placeholder, not quoted aside ("> 1. Write requests here")."""
    text = repair(item.text)
    return not (parse_fields(text) is not None or _DONE_ITEM.match(text) or is_placeholder(text) or aside(item.line))


def _inside_shown(document: Document, task: Task, shown: set[int]) -> bool:
    parent = task.parent
    while parent is not None:
        if parent in shown:
            return True
        parent = document.tasks[parent].parent
    return False
