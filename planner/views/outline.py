"""The block outline of a document: headings, paragraph lines and list items, with lines.

The document model keeps what the writer needs (sections, tasks, fields). The planning
views also read the prose around them — the features listed under an option, what is
listed under "Blocked/Waiting", the "START HERE" line — so this module re-reads a
document's text once, checks it is the text the document was parsed from (same
digest), and walks markdown-it's block tokens for it (the parser's own block parser,
so code, HTML and front matter are skipped exactly as for tasks). Outlines are cached
per file version; a file that changed on disk since it was parsed gives no outline and
the views fall back to what the model holds.
"""

from __future__ import annotations

import bisect
from collections import OrderedDict
from dataclasses import dataclass, field
from threading import Lock

from planner.model.document import Document
from planner.model.parser import BOM, block_parser, digest, split_lines


@dataclass(frozen=True)
class Item:
    """A list item (checkbox or not)."""

    line: int  # 1-based line of the item's first line
    end_line: int  # last line of the item, nested content included
    text: str  # first line of the item's first paragraph, as written ("[ ] " kept for tasks)
    depth: int  # list nesting depth, 0 = top level
    ordered: bool
    section: int | None
    parent: int | None  # index of the enclosing list item, if nested
    lead: int | None  # index (in ``paragraphs``) of the paragraph just before this item's list
    list_id: int  # items of the same list share it


@dataclass(frozen=True)
class Paragraph:
    line: int
    end_line: int
    lines: tuple[str, ...]  # the paragraph's lines, as written
    section: int | None
    in_list: bool  # the paragraph belongs to a list item


@dataclass
class Outline:
    lines: list[str]
    items: list[Item] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)

    def items_between(self, first: int, last: int) -> list[Item]:
        return [i for i in self.items if first <= i.line <= last]

    def paragraphs_between(self, first: int, last: int) -> list[Paragraph]:
        return [p for p in self.paragraphs if first <= p.line <= last]

    def children(self, index: int) -> list[Item]:
        return [i for i in self.items if i.parent == index]


_CACHE: OrderedDict[tuple[str, str], Outline | None] = OrderedDict()
_CACHE_SIZE = 256
_LOCK = Lock()


def text_of(document: Document) -> str | None:
    """The text ``document`` was parsed from (BOM removed), or None if the file changed or is gone."""
    try:
        with open(document.path, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    if digest(data) != document.digest:
        return None
    body = data[len(BOM) :] if data.startswith(BOM) else data
    return body.decode("utf-8", "surrogateescape")


def outline(document: Document) -> Outline | None:
    """The outline of ``document`` (cached per file version), or None when its text is unavailable."""
    key = (document.path, document.digest)
    with _LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    text = text_of(document)
    result = build_outline(document, text) if text is not None else None
    with _LOCK:
        _CACHE[key] = result
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return result


def build_outline(document: Document, text: str) -> Outline:
    lines = split_lines(text)
    starts = [s.line for s in document.sections]

    def section_at(line: int) -> int | None:
        position = bisect.bisect_right(starts, line) - 1
        return document.sections[position].index if position >= 0 else None

    result = Outline(lines)
    tokens = block_parser().parse(text)
    item_stack: list[int | None] = []  # open list items: their index in result.items (None until known)
    item_open: list[tuple[int, int, bool, int, int | None]] = []  # (line, end, ordered, list_id, lead)
    list_stack: list[tuple[bool, int, int | None]] = []  # (ordered, list_id, lead paragraph)
    last_block: tuple[str, int] | None = None  # ("paragraph", index) of the block just closed
    list_count = 0
    for i, token in enumerate(tokens):
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            lead = last_block[1] if last_block and last_block[0] == "paragraph" else None
            list_stack.append((kind == "ordered_list_open", list_count, lead))
            list_count += 1
        elif kind in ("bullet_list_close", "ordered_list_close"):
            list_stack.pop()
            last_block = ("list", 0)
        elif kind == "list_item_open":
            start, end = token.map or (0, 1)
            ordered, list_id, lead = list_stack[-1]
            item_open.append((start + 1, end, ordered, list_id, lead))
            item_stack.append(None)
        elif kind == "list_item_close":
            item_open.pop()
            index = item_stack.pop()
            if index is None:  # an item without a paragraph ("- " alone, or a code block)
                continue
        elif kind == "paragraph_open":
            start, end = token.map or (0, 1)
            content = tokens[i + 1].content if i + 1 < len(tokens) else ""
            para_lines = tuple(content.split("\n"))
            in_list = bool(item_open)
            if in_list and item_stack[-1] is None and tokens[i - 1].type == "list_item_open":
                line, item_end, ordered, list_id, lead = item_open[-1]
                parent = next((p for p in reversed(item_stack[:-1]) if p is not None), None)
                result.items.append(
                    Item(
                        line=line,
                        end_line=item_end,
                        text=para_lines[0].strip(),
                        depth=len(item_open) - 1,
                        ordered=ordered,
                        section=section_at(line),
                        parent=parent,
                        lead=lead,
                        list_id=list_id,
                    )
                )
                item_stack[-1] = len(result.items) - 1
            result.paragraphs.append(Paragraph(start + 1, end, para_lines, section_at(start + 1), in_list))
            last_block = ("paragraph", len(result.paragraphs) - 1)
        elif kind in ("heading_open", "fence", "code_block", "html_block", "table_open", "hr", "blockquote_open"):
            last_block = (kind, 0)
    return result
