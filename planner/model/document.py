"""The in-memory document model: document → heading tree → blocks, tasks and bold fields.

Positions are exact: lines are 1-based, ``offset``/``length`` are byte positions in
the file as it is on disk (a BOM included), so the writer can patch bytes directly.
Text fields hold the raw text as written (mojibake and all); views repair it for
display with :func:`planner.model.mojibake.repair`.

The records a document holds by the ten thousand are compact: sections, tasks,
fields and blocks are named tuples (~200 bytes a task instead of ~1 KB for a model
with a ``__dict__`` and a fields-set per instance), made from a cache row in one C call.
"""

from __future__ import annotations

from typing import Literal

from typing import NamedTuple

from pydantic import BaseModel, ConfigDict

from planner.model.states import DONE, OPEN  # re-exported: the model's own names for the states
from planner.model.states import box_name, box_type, heading_type, is_open_type
from planner.model.tables import Table

# Validators are built on first use, not at import (~170 ms): a warm start restores
# documents from the cache without validating, so it never pays for them.
_LAZY = ConfigDict(defer_build=True)

TaskKind = Literal["checkbox", "heading"]


class Field(NamedTuple):
    """A bold metadata field: ``**Priority**: High``, ``- **Effort:** 1 hour``, ``*Last Updated: …*``.

    Fields and blocks are immutable value records, the most numerous in a document:
    tuples cost the least memory and come back from the cache at C speed. The
    Document that holds them validates them like any other field.
    """

    name: str  # as written, without the emphasis
    key: str  # normalised: lower case, single spaces ("last updated")
    value: str
    line: int
    section: int | None  # index of the enclosing section, None above the first heading
    in_list: bool = False  # written as a list item ("- **Effort**: …")
    task: int | None = None  # the checkbox task whose sub-bullet (or line) holds the field
    source: str = "bold"  # "bold", "dataview" (``key:: value``), "plain" (``Due: …``), "yaml" (front matter)


class Block(NamedTuple):
    """A top-level block: paragraph, list, code, fence, table, quote, html, hr, front_matter."""

    kind: str
    line: int
    end_line: int  # inclusive
    section: int | None


class Section(NamedTuple):
    """A heading and everything up to the next heading of the same or a higher level.

    A named tuple like the tasks (one C call from a cache row); ``children`` is the one
    mutable part, filled while the parser reads the headings below it."""

    index: int
    level: int
    title: str  # heading text as written (inline markdown kept)
    line: int
    end_line: int  # last line that belongs to the section (inclusive)
    parent: int | None
    task: int | None  # index of the heading task this heading is, if any
    children: list[int]  # no default: a default list would be shared by every section
    label: str = ""  # derived when parsed: the title as a person reads it (mojibake repaired)


def new_section(index: int, level: int, title: str, line: int, end_line: int, parent: int | None) -> Section:
    """A section as the parser opens it: no heading task and no subsections yet."""
    return Section(index, level, title, line, end_line, parent, None, [])


class Task(NamedTuple):
    """A checkbox list item or a heading with a status marker.

    A named tuple, like fields and blocks: the records a document holds by the ten
    thousand. One comes back from a cache row with one C call (a slotted class took
    ~3.4 µs a task, setting its slots one by one: 0.13 s of every 1,000-file warm load).
    Immutable: a changed task is a copy (``task._replace(state=…)``).
    """

    index: int
    kind: TaskKind
    line: int
    state: str  # "open", "done", or the raw character of another state ("-", "/", ">")
    text: str  # checkbox: text after the box; heading: heading text (marker included)
    marker: str  # the text that toggling replaces: "[ ]", "[x]", "✅ COMPLETE", "‚è∏Ô∏è"
    offset: int  # byte offset of ``marker`` in the file
    length: int  # byte length of ``marker``
    section: int | None  # innermost enclosing section (for a heading task: its parent's)
    heads: int | None = None  # heading tasks: the section this heading opens
    depth: int = 0  # list nesting depth (0 = top level list)
    parent: int | None = None  # enclosing checkbox task, for nested tasks
    status: str | None = None  # heading tasks: "done", "paused", "in progress", "pending", …
    mangled: str = "utf-8"  # how the marker is spelled: "utf-8", "cp1252", "mac_roman"
    # Derived when parsed (pure functions of the document, so cached with it):
    title: str = ""  # display text: mojibake repaired, heading marker dropped
    priority: str | None = None  # effective P0–P3: on the task's line, else its section's
    # Dates (ISO, validated) and tags from the dialects of the task's line and its fields
    # (planner.model.dialects): Obsidian Tasks emoji, Dataview fields, todo.txt, ``**Due**:``.
    due: str | None = None
    scheduled: str | None = None
    start: str | None = None
    done_date: str | None = None
    tags: tuple[str, ...] = ()  # "#tag", "+project", "@context" as written
    # an open checkbox's state beyond todo, by its place or text (planner.model.lanes): "in progress"
    # under an "In Progress" lane, "cancelled" when its whole text is struck through
    box_status: str | None = None

    @property
    def done(self) -> bool:
        """Done work: ``[x]``, a done heading, or a box done by another mark (``[✅]``)."""
        return self.state == DONE or self.status_type == "done"

    @property
    def status_type(self) -> str:
        """Obsidian Tasks' status type: todo, in_progress, done, cancelled or non_task.

        Derived from ``state`` and ``status`` on every read, so a task the writer copied
        with a new state (``_replace``) never carries a stale type.
        """
        if self.kind == "checkbox":
            if self.box_status is not None and self.state == OPEN:
                return heading_type(self.state, self.box_status)
            return box_type(self.state)
        return heading_type(self.state, self.status)

    @property
    def state_name(self) -> str:
        """The state as a person reads it: "todo", "done", "in progress", "cancelled", "deferred"…"""
        if self.kind == "checkbox":
            if self.box_status is not None and self.state == OPEN:
                return self.box_status
            return box_name(self.state)
        return "done" if self.state == DONE else (self.status or "todo")

    @property
    def is_open(self) -> bool:
        """Open work: todo or in progress (cancelled, deferred and done work is not)."""
        return is_open_type(self.status_type)

    @property
    def toggleable(self) -> bool:
        return self.state in (OPEN, DONE)


class Document(BaseModel):
    model_config = _LAZY

    path: str  # absolute path
    size: int
    mtime_ns: int
    digest: str  # blake2b of the bytes on disk: what the writer compares before writing
    bom: bool
    newline: str  # "\n", "\r\n", "\r" or "" (single line)
    line_count: int
    title: str | None  # first heading's text, if any
    kind: str = "generic"  # daily | sprint | options | roadmap | generic | none
    sections: list[Section] = []
    tasks: list[Task] = []
    fields: list[Field] = []
    blocks: list[Block] = []
    tables: list[Table] = []  # planning tables (planner.model.tables): each body row is an item
    # list items whose bold title names a P-level ("1. **Search API (P1)**"): the queues read the
    # outline of a document only when it has some (planner.views.queues)
    priority_items: int = 0

    def section_path(self, section: int | None) -> list[str]:
        """Titles of the enclosing headings as written, outermost first."""
        return [s.title for s in self._chain(section)]

    def section_labels(self, section: int | None) -> tuple[str, ...]:
        """Titles of the enclosing headings as a person reads them, outermost first."""
        return tuple(s.label for s in self._chain(section))

    def _chain(self, section: int | None) -> list[Section]:
        chain: list[Section] = []
        while section is not None:
            chain.append(self.sections[section])
            section = self.sections[section].parent
        chain.reverse()
        return chain

    def task_at_line(self, line: int) -> Task | None:
        for task in self.tasks:
            if task.line == line:
                return task
        return None

    def fields_of(self, section: int | None) -> list[Field]:
        return [f for f in self.fields if f.section == section]

    def tasks_under(self, section: int) -> list[Task]:
        """Tasks in ``section`` and all its subsections (not the heading task itself)."""
        first = self.sections[section].line
        last = self.sections[section].end_line
        return [t for t in self.tasks if first < t.line <= last]

