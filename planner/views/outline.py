"""The block outline of a document: headings, paragraph lines and list items, with lines.

The document model keeps what the writer needs (sections, tasks, fields). The planning
views also read the prose around them — the features listed under an option, what is
listed under "Blocked/Waiting", the "START HERE" line — so this module re-reads a
document's text once and checks it is the text the document was parsed from (same digest).

It does not parse Markdown again: the document's top-level blocks (``Document.blocks``,
decided by markdown-it at parse time, so code, HTML, tables and front matter are already
set apart exactly as for tasks) say which lines are paragraphs, lists and quotes; inside
lists, items are the lines that start with a bullet or a number, nested by indentation,
with fenced and indented code skipped. On the 390 real planning files of the corpus this
gives the same items and paragraphs as a full markdown-it walk for all but a few quote
and callout edge cases — at no import or parse cost, which matters because `planner focus`
on a warm cache otherwise never loads markdown-it at all.

Outlines are cached per file version; a file that changed on disk since it was parsed
gives no outline and the views fall back to what the model holds.
"""

from __future__ import annotations

import bisect
import re
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from threading import Lock
from typing import NamedTuple

from planner.model.document import Document
from planner.model.parser import BOM, digest, split_lines


class Item(NamedTuple):
    """A list item (checkbox or not). Records are tuples: a document has hundreds, built at C speed."""

    line: int  # 1-based line of the item's first line
    end_line: int  # last line of the item, nested content included
    text: str  # first line of the item's first paragraph, as written ("[ ] " kept for tasks)
    depth: int  # list nesting depth, 0 = top level
    ordered: bool
    section: int | None
    parent: int | None  # index of the enclosing list item, if nested
    lead: int | None  # index (in ``paragraphs``) of the paragraph just before this item's list
    list_id: int  # items of the same list share it


class Paragraph(NamedTuple):
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
    list_count: int = 0  # lists seen so far: the next list's id

    def items_between(self, first: int, last: int) -> list[Item]:
        return [i for i in self.items if first <= i.line <= last]

    def paragraphs_between(self, first: int, last: int) -> list[Paragraph]:
        return [p for p in self.paragraphs if first <= p.line <= last]

    def children(self, index: int) -> list[Item]:
        return [i for i in self.items if i.parent == index]


_new_tuple = tuple.__new__  # a named tuple from values at C speed

_CACHE: OrderedDict[tuple[str, str], Outline | None] = OrderedDict()
_CACHE_SIZE = 256
_LOCK = Lock()


def quoted(document: Document) -> Callable[[int], bool]:
    """Whether a line lies in one of the document's top-level block quotes (an aside: "> 1. …")."""
    quotes = [(b.line, b.end_line) for b in document.blocks if b.kind == "quote"]
    return lambda line: any(start <= line <= end for start, end in quotes)


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


_ITEM = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>[-*+]|\d{1,9}[.)])(?P<gap>[ \t]+|$)(?P<text>.*)$")
_FENCE = re.compile(r"^[ \t]*(?P<fence>`{3,}|~{3,})")


def _columns(text: str) -> int:
    """Width of leading blanks, tabs expanded to 4 columns as CommonMark does."""
    if "\t" not in text:
        return len(text)  # blanks without a tab: one column each
    width = 0
    for ch in text:
        width = width + 4 - width % 4 if ch == "\t" else width + 1
    return width


def build_outline(document: Document, text: str) -> Outline:
    """The outline from the document's top-level blocks (which markdown-it decided at parse time)
    and the text: paragraphs are the lines of paragraph blocks; list items are the lines of list
    blocks that start with a bullet or number, nested by their indentation, skipping fenced and
    indented code; block quotes are read the same way once their ``>`` markers are taken off."""
    lines = split_lines(text)
    starts = [s.line for s in document.sections]

    def section_at(line: int) -> int | None:
        position = bisect.bisect_right(starts, line) - 1
        return document.sections[position].index if position >= 0 else None

    result = Outline(lines)
    previous: tuple[str, int | None, int] | None = None  # (kind, section, paragraph index) of the last block
    for block in document.blocks:
        first, last = block.line, min(block.end_line, len(lines))
        numbered = list(zip(range(first, last + 1), lines[first - 1 : last]))
        if block.kind == "paragraph":
            if _add_paragraph(result, numbered, block.section):
                previous = ("paragraph", block.section, len(result.paragraphs) - 1)
            continue
        if block.kind == "list":
            lead = previous[2] if previous and previous[0] == "paragraph" and previous[1] == block.section else None
            _scan_list(result, numbered, lead, section_at)
        elif block.kind == "quote":
            _scan_quote(result, numbered, block.section, section_at)
        previous = (block.kind, block.section, -1)
    return result


def _add_paragraph(result: Outline, numbered: list[tuple[int, str]], section: int | None) -> bool:
    para_lines = tuple(filter(None, [text.strip() for _, text in numbered]))
    if not para_lines:
        return False
    result.paragraphs.append(_new_tuple(Paragraph, (numbered[0][0], numbered[-1][0], para_lines, section, False)))
    return True


_QUOTE_MARKS = re.compile(r"^[ \t]{0,3}(?:>[ \t]?)+")


def _scan_quote(
    result: Outline, numbered: list[tuple[int, str]], section: int | None, section_at: Callable[[int], int | None]
) -> None:
    """Paragraphs and lists inside a block quote: runs of lines between blank lines."""
    stripped = [(n, _QUOTE_MARKS.sub("", text, count=1)) for n, text in numbered]
    # Runs of lines: a paragraph ends at a blank line or where a list starts (a bullet, or "1."
    # may interrupt it); a list runs on over blank lines while what follows is indented or an item.
    runs: list[tuple[str, list[tuple[int, str]]]] = []
    after_blank = False
    for n, text in stripped:
        if not text.strip():
            after_blank = True
            continue
        item = _ITEM.match(text)
        starts_list = item is not None and item.group("text").strip() and (
            item.group("marker") in "-*+" or item.group("marker")[:-1] == "1"
        )
        kind = runs[-1][0] if runs else None
        if kind == "list" and (item or not after_blank or _columns(text) - _columns(text.lstrip()) >= 2):
            runs[-1][1].append((n, text))
        elif kind == "paragraph" and not after_blank and not starts_list:
            runs[-1][1].append((n, text))
        else:
            runs.append(("list" if item else "paragraph", [(n, text)]))
        after_blank = False
    lead: int | None = None
    for kind, run in runs:
        if kind == "list":
            _scan_list(result, run, lead, section_at)
            lead = None
        elif _add_paragraph(result, run, section):
            lead = len(result.paragraphs) - 1


def _scan_list(
    result: Outline,
    numbered: list[tuple[int, str]],
    lead: int | None,
    section_at: Callable[[int], int | None],
) -> None:
    """Add the items of a list written on ``numbered`` lines ((line number, text) pairs)."""
    # Open items: (marker column, content column, item index or None for an item with no
    # paragraph, the nearest item index at or below this entry: the parent of what opens next).
    stack: list[tuple[int, int, int | None, int | None]] = []
    list_ids: dict[int | None, tuple[int, bool]] = {}  # parent item → (list id, ordered) of its current list
    fence: str | None = None
    base = len(result.items)  # items are built at the end, once their last lines are known
    # (line, text, depth, ordered, section, parent, lead, list id) of each item, in order.
    pending: list[tuple[int, str, int, bool, int | None, int | None, int | None, int]] = []
    for number, raw in numbered:
        if fence is not None:
            if raw.strip().startswith(fence):
                fence = None
            continue
        match = _ITEM.match(raw)
        if match is None:
            opening = _FENCE.match(raw)
            if opening:
                fence = opening.group("fence")[0] * 3
            continue
        indent, marker, gap, text = match.group("indent", "marker", "gap", "text")
        column = _columns(indent)
        while stack and column < stack[-1][1]:
            stack.pop()
        if (stack and column >= stack[-1][1] + 4) or (not stack and pending and column >= 4):
            continue  # indented code inside an item
        content_column = column + len(marker) + min(max(_columns(gap), 1), 4)
        parent = stack[-1][3] if stack else None
        item_text = text.strip()
        if item_text.startswith(("```", "~~~")):
            fence = item_text[0] * 3
            stack.append((column, content_column, None, parent))
            continue
        if not item_text or _HEADING_TEXT.match(item_text):
            stack.append((column, content_column, None, parent))  # no paragraph: not an item of the outline
            continue
        ordered = marker not in "-*+"
        current = list_ids.get(parent)
        if current is None or current[1] != ordered:
            current = (result.list_count, ordered)
            result.list_count += 1
            list_ids[parent] = current
        depth = len(stack)
        index = base + len(pending)
        pending.append((number, item_text, depth, ordered, section_at(number), parent, lead if depth == 0 else None, current[0]))
        stack.append((column, content_column, index, index))
    # An item runs to the line before the next item at its depth or above, or to the list's
    # end: one pass, closing the open items a new item ends.
    last = numbered[-1][0] if numbered else 0
    blank = {n for n, text in numbered if not text.strip()}
    ends = [last] * len(pending)
    open_items: list[int] = []
    for position, item in enumerate(pending):
        depth = item[2]
        while open_items and pending[open_items[-1]][2] >= depth:
            ends[open_items.pop()] = item[0] - 1
        open_items.append(position)
    items = result.items
    for item, end in zip(pending, ends):
        line = item[0]
        while end > line and end in blank:
            end -= 1
        items.append(_new_tuple(Item, (line, end, *item[1:])))


_HEADING_TEXT = re.compile(r"^#{1,6}(?:[ \t]|$)")

