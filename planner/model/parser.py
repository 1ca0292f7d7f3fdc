"""Markdown bytes → :class:`Document`, with exact line and byte positions.

The block structure (lists, block quotes, code, HTML, front matter) is markdown-it-py's,
so a task is exactly what CommonMark + GFM task lists call a task. It comes from
:mod:`planner.model.blocks`, a port of markdown-it-py's block rules checked against
markdown-it-py itself, which parses what the port leaves to it. Only the block phase
runs: a task is a list item whose first child is a paragraph whose text starts with
``[ ]``, ``[x]`` or ``[X]`` and white space — the rule of the GFM task-list extension —
and that text is all the block phase needs.
"""

from __future__ import annotations

import hashlib
import re
import sys
from functools import lru_cache
from itertools import accumulate
from typing import TYPE_CHECKING, Any

from planner.model.blocks import HEADING, ITEM, ITEM_END, LIST, LIST_END, PARAGRAPH, Event, Unsupported, block_events
from planner.model.dialects import front_matter
from planner.model.languages import FIELD_NAMES, alternation, spelled
from planner.model.tables import Table, read_table
from planner.model.document import DONE, OPEN, Block, Document, Field, Section, Task, new_section
from planner.model.markers import heading_status
from planner.model.lanes import open_box_status

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

BOM = b"\xef\xbb\xbf"
# What markdown-it treats as a line break (it normalises all three to \n).
NEWLINE = re.compile(r"\r\n|\r|\n")
NEWLINE_BYTES = re.compile(rb"\r\n|\r|\n")

# GFM: "[ ]", "[x]" or "[X]" then at least one white-space character; or another state
# some tools write ("[-]" cancelled, "[/]" in progress, "[>]" moved): one punctuation
# character, so citations like "[1]" or "[a]" stay plain text. The state is the box's
# second character.
_TASK_BOX = re.compile(r"\[(?:[ xX]|[^\w\s\[\]])\][ \t\n\v\f\r]")

# Bold fields: "**Priority**: High", "**Status:** Ready", "*Last Updated: 2025-11-12*".
_FIELD_PATTERNS = (
    re.compile(r"^\*\*(?P<name>[^*:\n]{1,40}?)\*\*[ \t]*:[ \t]*(?P<value>.*)$"),
    re.compile(r"^\*\*(?P<name>[^*:\n]{1,40}?):\*\*[ \t]*(?P<value>.*)$"),
    re.compile(r"^__(?P<name>[^_:\n]{1,40}?)__[ \t]*:[ \t]*(?P<value>.*)$"),
    re.compile(r"^\*(?P<name>[A-Z][^*:\n]{1,30}?):[ \t]*(?P<value>[^*\n]+)\*$"),
)


@lru_cache(maxsize=1)
def block_parser() -> MarkdownIt:
    # Imported here: a warm start served from the cache parses nothing.
    from markdown_it import MarkdownIt  # noqa: PLC0415
    from mdit_py_plugins.front_matter import front_matter_plugin  # noqa: PLC0415

    md = MarkdownIt("commonmark").enable("table").use(front_matter_plugin)
    # Block structure is all we need; inline parsing would double the cost.
    md.core.ruler.enableOnly(["normalize", "block"])
    return md


def digest(*chunks: bytes | memoryview) -> str:
    """Fingerprint of a file's bytes (given whole or in consecutive pieces), to notice any change.

    SHA-1 here detects change, it guards no secret; OpenSSL makes it ~1 GB/s.
    """
    fingerprint = hashlib.sha1(usedforsecurity=False)
    for chunk in chunks:
        fingerprint.update(chunk)
    return fingerprint.hexdigest()


def split_lines(text: str) -> list[str]:
    """Lines as markdown-it counts them (``\\r\\n``, ``\\r`` and ``\\n`` all end a line)."""
    return NEWLINE.split(text) if "\r" in text else text.split("\n")  # the common case at C speed


def line_starts(body: bytes) -> list[int]:
    """Byte offset of the start of every line of ``body``."""
    if b"\r" in body:
        return [0, *(m.end() for m in NEWLINE_BYTES.finditer(body))]
    # The common case, at C speed: each line is its length plus one "\n" after the last.
    return [0, *accumulate(len(line) + 1 for line in body.split(b"\n")[:-1])]


def _newline_style(body: bytes) -> str:
    match = NEWLINE_BYTES.search(body)
    return match.group().decode() if match else ""


# Dataview's ``key:: value`` on a line of its own (or as a list item's text).
_DATAVIEW_LINE = re.compile(r"^[ \t]*([A-Za-z][\w \t/-]{0,40}?)::(?=[ \t]|$)[ \t]*(.*)$")  # not "std::vector"
# A plain date field: "Due: Friday 5 Dec", "Deadline: 2025-12-05", "Scheduled for: …", "Completed on: …".
_PLAIN_DATE_FIELD = re.compile(
    r"(?im)^[ \t]*(due(?:[ \t]+(?:date|by|on))?|deadline|scheduled(?:[ \t]+(?:date|for))?|start(?:[ \t]+date)?"
    r"|starts(?:[ \t]+on)?|completed(?:[ \t]+on)?|completion(?:[ \t]+date)?|done(?:[ \t]+(?:date|on))?"
    r"|finished(?:[ \t]+on)?)[ \t]*:[ \t]+(\S.*)$"
)
# What a plain date field's value must start with: a digit, a month or a weekday.
_DATE_START = re.compile(r"(?i)^[*_`~ ]*(?:\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)")


# A plain "Key: value" sub-bullet of a list item ("- Time estimate: 8 hours", "- Prioridade: Alta",
# "- Priorité : haute"): only for these names, as planning fields are named.
_PLAIN_NAMES = (
    "priority", "status", "state", "estimate", "time estimate", "estimated time", "estimated effort", "effort",
    "owner", "assignee", "assigned to", "depends on", "blocked by", *FIELD_NAMES,
)  # fmt: skip
_PLAIN_FIELD = re.compile(rf"(?i)^[ \t]*({alternation(list(_PLAIN_NAMES))})[ \t]*:[ \t]+(\S.*)$")
_PLAIN_FIELD_ANYWHERE = re.compile(_PLAIN_FIELD.pattern.replace("(?i)^", "(?im)^", 1))
# Field names in other languages → planner's (English) keys: "Prioridade" is "priority".
_FIELD_KEYS = spelled(FIELD_NAMES)


def field_key(name: str) -> str:
    key = " ".join(name.strip().rstrip(":").lower().split())
    return _FIELD_KEYS.get(key, key)


# The four field spellings as one pattern: alternatives are tried in order, as the
# patterns were, in a single regex call.
_FIELD = re.compile("|".join(f"(?:{p.pattern[1:]})".replace("?P<name>", f"?P<name{i}>").replace("?P<value>", f"?P<value{i}>")
                              for i, p in enumerate(_FIELD_PATTERNS)))


def parse_fields(line: str) -> tuple[str, str] | None:
    """``(name, value)`` of a bold field line, or None."""
    stripped = line.strip()
    if not stripped.startswith(("*", "_")):
        return None
    match = _FIELD.match(stripped)
    if match is None:
        return None
    last = match.lastindex  # groups come in (name, value) pairs: the value closes last
    value = match.group(last).strip().rstrip("\\").strip()
    return match.group(last - 1).strip(), value  # type: ignore[operator]


@lru_cache(maxsize=4096)
def _field_names(name: str) -> tuple[str, str]:
    """The name and its key, each one shared string: the same few names recur in every file."""
    return sys.intern(name), sys.intern(field_key(name))


_new_tuple = tuple.__new__  # a named tuple from values at C speed


def _block(kind: str, start: int, end: int, section: int | None) -> Block:
    """A top-level block from its 0-based ``[start, end)`` lines (a block has one at least)."""
    return _new_tuple(Block, (kind, start + 1, end if end > start else start + 1, section))


class _Builder:
    """Walks the block tokens once and builds sections, tasks and fields."""

    def __init__(self, text: str, body: bytes, bom: bool) -> None:
        self.lines = split_lines(text)
        self.base = len(BOM) if bom else 0
        # Byte offsets are only needed where a task is (~1 line in 10). Without "\r" they are
        # counted on demand, onwards from the last line asked for (tasks come in line
        # order): a line is its characters and one "\n", the text between encoded at C
        # speed (or none of it, in an ASCII text). "\r" (two newline lengths) takes the table.
        self.text = text
        self.ascii = text.isascii()
        self.starts: list[int] | None = line_starts(body) if "\r" in text else None
        self.counted_line = 0  # the last line whose start was counted: its index, character and byte
        self.counted_char = 0
        self.counted_byte = 0
        self.sections: list[Section] = []
        self.tasks: list[Task] = []
        self.fields: list[Field] = []
        self.blocks: list[Block] = []
        self.tables: list[Table] = []
        self.open_sections: list[int] = []  # stack of enclosing section indices
        # The innermost open section: every heading opens one, so it is the last heading's.
        self.section: int | None = None

    def line_start(self, line_index: int) -> int:
        """Byte offset in the body of the start of line ``line_index``."""
        if self.starts is not None:
            return self.starts[line_index]
        if line_index < self.counted_line:  # never in document order; counted afresh
            self.counted_line = self.counted_char = self.counted_byte = 0
        counted = self.counted_line
        char = self.counted_char + sum(map(len, self.lines[counted:line_index])) + line_index - counted
        if self.ascii:
            self.counted_byte = char
        else:
            between = self.text[self.counted_char : char]
            self.counted_byte += len(between) if between.isascii() else len(between.encode("utf-8", "surrogateescape"))
        self.counted_line = line_index
        self.counted_char = char
        return self.counted_byte

    def byte_offset(self, line_index: int, column: int) -> int:
        prefix = self.lines[line_index][:column]
        width = len(prefix) if prefix.isascii() else len(prefix.encode("utf-8", "surrogateescape"))
        return self.base + self.line_start(line_index) + width

    def add_heading(self, level: int, title: str, line_index: int, end_index: int) -> None:
        sections = self.sections
        open_sections = self.open_sections
        while open_sections and sections[open_sections[-1]].level >= level:
            closed = open_sections.pop()
            sections[closed] = sections[closed]._replace(end_line=line_index)  # 1-based line before the heading
        parent = open_sections[-1] if open_sections else None
        index = len(sections)
        section = new_section(
            index=index, level=level, title=title, line=line_index + 1, end_line=len(self.lines), parent=parent
        )
        sections.append(section)
        if parent is not None:
            sections[parent].children.append(index)
        open_sections.append(index)
        self.section = index
        status = heading_status(title)
        if status is None:
            return
        # The heading text is on the heading's first line (ATX) or spread over its
        # lines (setext): find the line that holds the marker group.
        for candidate in range(line_index, max(end_index, line_index + 1)):
            raw = self.lines[candidate]
            column = raw.rfind(status.marker)
            if column >= 0:
                break
        else:
            return
        marker_bytes = len(status.marker.encode("utf-8", "surrogateescape"))
        task = Task(
            index=len(self.tasks),
            kind="heading",
            line=candidate + 1,
            state=DONE if status.done else OPEN,
            text=title,
            marker=status.marker,
            offset=self.byte_offset(candidate, column),
            length=marker_bytes,
            section=parent,
            heads=index,
            status=status.status,
            mangled=status.encoding,
        )
        sections[index] = section._replace(task=task.index)
        self.tasks.append(task)

    def add_checkbox(self, content: str, line_index: int, depth: int, parent: int | None) -> int | None:
        if _TASK_BOX.match(content) is None:
            return None
        mark = content[1]
        state = OPEN if mark == " " else DONE if mark in "xX" else mark
        raw = self.lines[line_index]
        first = content.partition("\n")[0]  # the box has no "\n": the text after it is first[3:]
        trimmed_first = first.rstrip()
        trimmed = raw.rstrip()
        if trimmed.endswith(trimmed_first):
            column = len(trimmed) - len(trimmed_first)
        else:  # markdown-it rewrote the line (NUL → U+FFFD): find the box itself
            found = re.search(r"\[[^\]]\]", raw)
            if found is None:
                return None
            column = found.start()
        index = len(self.tasks)
        self.tasks.append(
            Task(
                index=index,
                kind="checkbox",
                line=line_index + 1,
                state=state,
                text=first[3:].strip(),
                marker=raw[column : column + 3],
                offset=self.byte_offset(line_index, column),
                length=3,
                section=self.section,
                depth=depth,
                parent=parent,
            )
        )
        return index

    def add_fields(
        self, content: str, first_line_index: int, in_list: bool, task: int | None, date_lines: bool, listed: bool = False
    ) -> None:
        section = self.section
        append = self.fields.append
        line_number = first_line_index  # 0-based index of the paragraph's first line: its number less one
        # Told once per paragraph (date_lines by the caller): most have neither a Dataview nor a plain date field.
        dataview_lines = "::" in content
        for line in content.split("\n"):
            line_number += 1
            source = "bold"
            parsed = parse_fields(line) if ("*" in line or "_" in line) else None
            if parsed is None and dataview_lines and "::" in line:
                dataview = _DATAVIEW_LINE.match(line)
                if dataview is not None:
                    parsed, source = (dataview.group(1).strip(), dataview.group(2).strip()), "dataview"
            if parsed is None and date_lines and ":" in line:
                plain = _PLAIN_DATE_FIELD.match(line)
                if plain is not None and _DATE_START.match(plain.group(2)):
                    parsed, source = (plain.group(1).strip(), plain.group(2).strip()), "plain"
            if parsed is None and listed and ":" in line:
                plain = _PLAIN_FIELD.match(line)
                if plain is not None:
                    parsed, source = (plain.group(1).strip(), plain.group(2).strip()), "plain"
            if parsed is None:
                continue
            name, key = _field_names(parsed[0])
            first = in_list and line_number == first_line_index + 1
            append(_new_tuple(Field, (name, key, parsed[1], line_number, section, first, task, source)))

    def add_front_matter(self, start: int, end: int) -> None:
        """The keys of a YAML front matter block as fields above the first heading (source "yaml")."""
        body = self.lines[start + 1 : end - 1]  # between the "---" fences
        for key, value, index in front_matter(body):
            name, normalised = _field_names(key)
            self.fields.append(_new_tuple(Field, (name, normalised, value, start + 2 + index, None, False, None, "yaml")))


# markdown-it token types and the block kind they start.
_BLOCK_KINDS = {
    "code_block": "code",
    "fence": "fence",
    "table_open": "table",
    "blockquote_open": "quote",
    "html_block": "html",
    "hr": "hr",
    "front_matter": "front_matter",
}


def markdown_it_events(text: str) -> list[Event]:
    """The block events of ``text`` from markdown-it-py itself: the reference the fast
    parser in :mod:`planner.model.blocks` is checked against, and its fallback."""
    tokens = block_parser().parse(text)
    events: list[Event] = []
    lists: list[list[int]] = []
    for i, token in enumerate(tokens):
        kind = token.type
        if kind == "paragraph_open":
            start, end = token.map  # type: ignore[misc]
            first_in_item = i > 0 and tokens[i - 1].type == "list_item_open"
            events.append((PARAGRAPH, token.level, start, end, tokens[i + 1].content, first_in_item))
        elif kind == "heading_open":
            start, end = token.map  # type: ignore[misc]
            events.append((HEADING, token.level, start, end, tokens[i + 1].content, int(token.tag[1])))
        elif kind in ("bullet_list_open", "ordered_list_open"):
            span = list(token.map)  # type: ignore[arg-type]
            lists.append(span)
            events.append((LIST, token.level, span))
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
            events.append((LIST_END,))
        elif kind == "list_item_open":
            events.append((ITEM,))
        elif kind == "list_item_close":
            events.append((ITEM_END,))
        elif kind in _BLOCK_KINDS and token.map is not None:
            start, end = token.map
            events.append((_BLOCK_KINDS[kind], token.level, start, end))
    return events


def block_structure(text: str) -> list[Event]:
    """Block events: the fast port where it applies, markdown-it-py for the rest."""
    try:
        return block_events(text)
    except Unsupported:
        return markdown_it_events(text)


def parse_text(text: str, body: bytes, bom: bool) -> _Builder:
    builder = _Builder(text, body, bom)
    add_checkbox = builder.add_checkbox
    add_fields = builder.add_fields
    add_heading = builder.add_heading
    # A top-level block of every fourth event: appended here, in the section the last heading opened.
    add_block = builder.blocks.append
    section = None
    # Per open list item: the nearest checkbox task at or above it, so nested tasks
    # know their parent (an item without a task passes its parent's on).
    nearest_task: list[int | None] = [None]
    list_depth = -1
    for event in block_structure(text):
        kind = event[0]
        if kind is PARAGRAPH:
            _, level, start, end, content, first_in_item = event
            if first_in_item and content.startswith("["):
                task_index = add_checkbox(content, start, list_depth, nearest_task[-2])
                if task_index is not None:
                    nearest_task[-1] = task_index
            elif level == 0:
                add_block(_block("paragraph", start, end, section))
            # No emphasis, "::" or date field: no field (most paragraphs).
            # A plain date field has ": " or ":\t" (told at C speed before the pattern runs).
            date_lines = (": " in content or ":\t" in content) and _PLAIN_DATE_FIELD.search(content) is not None
            # Plain "Key: value" fields only in list items (sub-bullets), for planning names.
            listed = list_depth >= 0 and ":" in content and _PLAIN_FIELD_ANYWHERE.search(content) is not None
            if "*" in content or "_" in content or "::" in content or date_lines or listed:
                add_fields(content, start, first_in_item, nearest_task[-1] if list_depth >= 0 else None, date_lines, listed)
        elif kind is ITEM:
            nearest_task.append(nearest_task[-1])
        elif kind is ITEM_END:
            nearest_task.pop()
        elif kind is HEADING:
            _, _, start, end, content, heading_level = event
            add_heading(heading_level, content, start, end)
            section = builder.section
        elif kind is LIST:
            _, level, span = event
            if level == 0:
                add_block(_block("list", span[0], span[1], section))
            list_depth += 1
        elif kind is LIST_END:
            list_depth -= 1
        elif event[1] == 0:
            add_block(_block(kind, event[2], event[3], section))
            if kind == "front_matter":
                builder.add_front_matter(event[2], event[3])
            elif kind == "table":
                table = read_table(builder.lines, event[2], event[3], section)
                if table is not None:
                    builder.tables.append(table)
    return builder


# A list item whose bold title names a P-level: "1. **Search API (P1)**:", "- __P0: Fix login__".
_PRIORITY_ITEM = re.compile(r"(?m)^[ \t]*(?:>[ \t]?)*(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\*\*|__)(?:(?!\*\*|__)[^\n])*?(?<![^\W_]|-)P[0-3](?![^\W_]|-)")


def _priority_items(builder: Any) -> int:
    """How many list items (in top-level lists: not in code, not quoted) are titled with a P-level."""
    lines = builder.lines
    return sum(
        len(_PRIORITY_ITEM.findall("\n".join(lines[block.line - 1 : block.end_line])))
        for block in builder.blocks
        if block.kind == "list"
    )


def parse_document(path: str, data: bytes, mtime_ns: int = 0) -> Document:
    """Parse the bytes of one file. Never raises on content: any bytes give a document."""
    bom = data.startswith(BOM)
    body = data[len(BOM) :] if bom else data
    text = body.decode("utf-8", "surrogateescape")
    builder = parse_text(text, body, bom)
    title = builder.sections[0].title if builder.sections else None
    # Every value comes from the builder above, with fixed types: no validation pass.
    document = Document.model_construct(
        path=path,
        size=len(data),
        mtime_ns=mtime_ns,
        digest=digest(data),
        bom=bom,
        newline=_newline_style(body),
        line_count=len(builder.lines),
        title=title,
        sections=builder.sections,
        tasks=builder.tasks,
        fields=builder.fields,
        blocks=builder.blocks,
        tables=builder.tables,
        priority_items=_priority_items(builder) if "P" in text else 0,
    )
    # Semantics build on the parsed structure (and import this module's model).
    from planner.model.dates import task_dates  # noqa: PLC0415
    from planner.model.display import display_text, display_title  # noqa: PLC0415
    from planner.model.kinds import classify  # noqa: PLC0415
    from planner.model.priority import task_priorities  # noqa: PLC0415

    document.kind = classify(document)
    document.__dict__[_PARSED_HERE] = True  # see parsed_here(); copies of the model keep it
    # A derived text equal to the raw one is the same object: no second copy in
    # memory, and marshal stores it as a back-reference in the cache.
    # Sections and tasks are immutable: each gets a copy with its derived values, in place, built
    # from its slices (``_replace`` goes through Python for every field: +7 % on a cold parse).
    sections = document.sections
    for section in sections:
        label = display_text(section.title)
        sections[section.index] = _new_tuple(Section, (*section[:_LABEL], section.title if label == section.title else label))
    tasks = document.tasks
    for task, level in zip(tasks, task_priorities(document), strict=True):
        title = display_title(task)
        tasks[task.index] = _new_tuple(Task, (*task[:_TITLE], task.text if title == task.text else title, level, *task[_TITLE + 2 :]))
    task_dates(document)  # due, scheduled, start, done date, tags; metadata dropped from the title
    for task in tasks:
        if task.kind == "checkbox" and task.state == OPEN:
            title = document.sections[task.section].title if task.section is not None else None
            status = open_box_status(task.title or task.text, task.depth, title)  # "~~Old~~ 📅 …" too
            if status is not None:
                tasks[task.index] = task._replace(box_status=status)
    return document


_PARSED_HERE = "_parsed_here"
_LABEL = Section._fields.index("label")
_TITLE = Task._fields.index("title")
if _LABEL != len(Section._fields) - 1 or Task._fields[_TITLE + 1] != "priority":  # the slices above
    raise ImportError("planner.model.parser: the fields of Section or Task moved; update parse_document")


def parsed_here(document: Document) -> bool:
    """Whether this model was made by this process's parser (or copied from one that was), as
    opposed to restored from the cache: the writer holds a restored model to the bytes before
    trusting its offsets, so that a damaged cache entry can never move an edit."""
    return bool(document.__dict__.get(_PARSED_HERE))
