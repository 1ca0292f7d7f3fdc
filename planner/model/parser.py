"""Markdown bytes → :class:`Document`, with exact line and byte positions.

markdown-it-py decides the block structure (lists, block quotes, code, HTML, front
matter), so a task is exactly what CommonMark + GFM task lists call a task. Only
the block phase runs: a task is a list item whose first child is a paragraph whose
text starts with ``[ ]``, ``[x]`` or ``[X]`` and white space — the rule of the GFM
task-list extension — and that text is all the block phase needs.
"""

from __future__ import annotations

import hashlib
import re
import sys
from functools import lru_cache
from typing import TYPE_CHECKING

from planner.model.document import DONE, OPEN, Block, Document, Field, Section, Task
from planner.model.markers import heading_status

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

BOM = b"\xef\xbb\xbf"
# What markdown-it treats as a line break (it normalises all three to \n).
NEWLINE = re.compile(r"\r\n|\r|\n")
NEWLINE_BYTES = re.compile(rb"\r\n|\r|\n")

# GFM: "[ ]", "[x]" or "[X]" then at least one white-space character.
_CHECKBOX = re.compile(r"\[([ xX])\][ \t\n\v\f\r]")
# Other states some tools write ("[-]" cancelled, "[/]" in progress, "[>]" moved):
# one punctuation character, so citations like "[1]" or "[a]" stay plain text.
_OTHER_STATE = re.compile(r"\[([^\w\s\[\]])\][ \t\n\v\f\r]")

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
    return NEWLINE.split(text)


def line_starts(body: bytes) -> list[int]:
    """Byte offset of the start of every line of ``body``."""
    return [0, *(m.end() for m in NEWLINE_BYTES.finditer(body))]


def _newline_style(body: bytes) -> str:
    match = NEWLINE_BYTES.search(body)
    return match.group().decode() if match else ""


def field_key(name: str) -> str:
    return " ".join(name.strip().rstrip(":").lower().split())


def parse_fields(line: str) -> tuple[str, str] | None:
    """``(name, value)`` of a bold field line, or None."""
    stripped = line.strip()
    if not stripped.startswith(("*", "_")):
        return None
    for pattern in _FIELD_PATTERNS:
        match = pattern.match(stripped)
        if match:
            value = match.group("value").strip().rstrip("\\").strip()
            return match.group("name").strip(), value
    return None


class _Builder:
    """Walks the block tokens once and builds sections, tasks and fields."""

    def __init__(self, text: str, body: bytes, bom: bool) -> None:
        self.lines = split_lines(text)
        self.starts = line_starts(body)
        self.base = len(BOM) if bom else 0
        self.sections: list[Section] = []
        self.tasks: list[Task] = []
        self.fields: list[Field] = []
        self.blocks: list[Block] = []
        self.open_sections: list[int] = []  # stack of enclosing section indices

    def byte_offset(self, line_index: int, column: int) -> int:
        prefix = self.lines[line_index][:column]
        width = len(prefix) if prefix.isascii() else len(prefix.encode("utf-8", "surrogateescape"))
        return self.base + self.starts[line_index] + width

    def current_section(self) -> int | None:
        return self.open_sections[-1] if self.open_sections else None

    def add_heading(self, level: int, title: str, line_index: int, end_index: int) -> None:
        while self.open_sections and self.sections[self.open_sections[-1]].level >= level:
            self._close(self.open_sections.pop(), line_index)
        parent = self.current_section()
        index = len(self.sections)
        section = Section(
            index=index, level=level, title=title, line=line_index + 1, end_line=len(self.lines), parent=parent
        )
        self.sections.append(section)
        if parent is not None:
            self.sections[parent].children.append(index)
        self.open_sections.append(index)
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
        section.task = task.index
        self.tasks.append(task)

    def _close(self, section: int, next_heading_index: int) -> None:
        self.sections[section].end_line = next_heading_index  # 1-based line before the heading

    def add_checkbox(self, content: str, line_index: int, depth: int, parent: int | None) -> int | None:
        match = _CHECKBOX.match(content)
        other = None if match else _OTHER_STATE.match(content)
        if not (match or other):
            return None
        mark = (match or other).group(1)
        state = OPEN if mark == " " else DONE if mark in "xX" else mark
        raw = self.lines[line_index]
        first = content.split("\n", 1)[0].rstrip()
        trimmed = raw.rstrip()
        if trimmed.endswith(first):
            column = len(trimmed) - len(first)
        else:  # markdown-it rewrote the line (NUL → U+FFFD): find the box itself
            found = re.search(r"\[[^\]]\]", raw)
            if found is None:
                return None
            column = found.start()
        text = content[3:].split("\n", 1)[0].strip()
        task = Task(
            index=len(self.tasks),
            kind="checkbox",
            line=line_index + 1,
            state=state,
            text=text,
            marker=raw[column : column + 3],
            offset=self.byte_offset(line_index, column),
            length=3,
            section=self.current_section(),
            depth=depth,
            parent=parent,
        )
        self.tasks.append(task)
        return task.index

    def add_block(self, kind: str, token_map: list[int]) -> None:
        start, end = token_map
        self.blocks.append(Block(kind=kind, line=start + 1, end_line=max(end, start + 1), section=self.current_section()))

    def add_fields(self, content: str, first_line_index: int, in_list: bool) -> None:
        for i, line in enumerate(content.split("\n")):
            if "*" not in line and "_" not in line:
                continue
            parsed = parse_fields(line)
            if parsed is None:
                continue
            name, value = parsed
            self.fields.append(
                Field(
                    # The same few names recur in every file: one shared string each.
                    name=sys.intern(name),
                    key=sys.intern(field_key(name)),
                    value=value,
                    line=first_line_index + i + 1,
                    section=self.current_section(),
                    in_list=in_list and i == 0,
                )
            )


# Top-level token types and the block kind they start.
_BLOCK_KINDS = {
    "paragraph_open": "paragraph",
    "bullet_list_open": "list",
    "ordered_list_open": "list",
    "code_block": "code",
    "fence": "fence",
    "table_open": "table",
    "blockquote_open": "quote",
    "html_block": "html",
    "hr": "hr",
    "front_matter": "front_matter",
}


def parse_text(text: str, body: bytes, bom: bool) -> _Builder:
    builder = _Builder(text, body, bom)
    tokens = block_parser().parse(text)
    list_depth = -1
    # For each open list item: the task it holds, so nested tasks know their parent.
    item_tasks: list[int | None] = []
    count = len(tokens)
    i = 0
    while i < count:
        token = tokens[i]
        kind = token.type
        if token.level == 0 and token.map is not None and kind in _BLOCK_KINDS:
            builder.add_block(_BLOCK_KINDS[kind], token.map)
        if kind == "heading_open":
            inline = tokens[i + 1]
            start, end = token.map or (0, 1)
            builder.add_heading(int(token.tag[1]), inline.content, start, end)
            i += 3
            continue
        if kind in ("bullet_list_open", "ordered_list_open"):
            list_depth += 1
        elif kind in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
        elif kind == "list_item_open":
            task_index = None
            if i + 2 < count and tokens[i + 1].type == "paragraph_open":
                inline = tokens[i + 2]
                start = tokens[i + 1].map[0]  # type: ignore[index]
                parent = next((t for t in reversed(item_tasks) if t is not None), None)
                task_index = builder.add_checkbox(inline.content, start, list_depth, parent)
            item_tasks.append(task_index)
        elif kind == "list_item_close":
            item_tasks.pop()
        elif kind == "paragraph_open":
            inline = tokens[i + 1]
            in_list = tokens[i - 1].type == "list_item_open" if i else False
            builder.add_fields(inline.content, token.map[0], in_list)  # type: ignore[index]
            i += 3
            continue
        i += 1
    return builder


def parse_document(path: str, data: bytes, mtime_ns: int = 0) -> Document:
    """Parse the bytes of one file. Never raises on content: any bytes give a document."""
    bom = data.startswith(BOM)
    body = data[len(BOM) :] if bom else data
    text = body.decode("utf-8", "surrogateescape")
    builder = parse_text(text, body, bom)
    title = builder.sections[0].title if builder.sections else None
    document = Document(
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
    )
    # Semantics build on the parsed structure (and import this module's model).
    from planner.model.display import display_text, display_title  # noqa: PLC0415
    from planner.model.kinds import classify  # noqa: PLC0415
    from planner.model.priority import task_priorities  # noqa: PLC0415

    document.kind = classify(document)
    # A derived text equal to the raw one is the same object: no second copy in
    # memory, and marshal stores it as a back-reference in the cache.
    for section in document.sections:
        label = display_text(section.title)
        section.label = section.title if label == section.title else label
    for task, level in zip(document.tasks, task_priorities(document), strict=True):
        title = display_title(task)
        task.title = task.text if title == task.text else title
        task.priority = level
    return document
