"""A fast CommonMark block parser that finds what the planner reads, exactly as markdown-it-py does.

markdown-it-py (commonmark preset + tables + front matter) is the definition of
where lists, paragraphs, headings and code are. It is also most of the cold-load
time: it tries up to a dozen rules per line and makes a token object for every
block, cell and inline run. This module is a line-for-line port of its block rules
(markdown-it-py 4.3 ``rules_block`` and mdit-py-plugins' front matter), with the
same state arrays and recursion, so every decision and every line range comes out
the same. It is faster because each line only tries the rules its first character
can start, and it emits only the few events the document builder uses.

One input is left to markdown-it-py itself (:class:`Unsupported`): a possible link
reference definition (``[label]: …``, which needs the full link-destination grammar);
they are rare in planning documents. ``tests/test_core_blocks.py`` checks
the events against markdown-it-py's tokens on the corpus, the specs and generated
input.

Events are tuples, in document order:

- ``(PARAGRAPH, level, start, end, content, first_in_item)``
- ``(HEADING, level, start, end, content, heading_level)``
- ``(LIST, level, span)`` where ``span`` is ``[start, end]``, and ``(LIST_END,)``
- ``(ITEM,)`` and ``(ITEM_END,)``
- ``(kind, level, start, end)`` for the other blocks (``code``, ``fence``, ``table``,
  ``quote``, ``html``, ``hr``, ``front_matter``)

``level`` is the container depth (0 = top level); lines are 0-based, ``end`` exclusive.
"""

from __future__ import annotations

import re
from itertools import accumulate, repeat
from operator import add, sub

PARAGRAPH = "paragraph"
HEADING = "heading"
LIST = "list"
LIST_END = "/list"
ITEM = "item"
ITEM_END = "/item"

Event = tuple

MAX_NESTING = 20  # markdown-it's commonmark preset: deeper content is dropped
MAX_AUTOCOMPLETED_CELLS = 0x10000

# The CommonMark white-space set markdown-it trims with (mdTrim).
_TRIM = "".join(
    chr(code)
    for code in sorted(
        {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0xA0, 0x1680, 0x202F, 0x205F, 0x3000}
        | set(range(0x2000, 0x200B))
        | {0x2028, 0x2029}
    )
)

_NEWLINES = re.compile(r"\r\n?|\n")

# HTML block start and end conditions (CommonMark 0.31.2 §4.6), as markdown-it-py has them.
_BLOCK_NAMES = (
    "address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|"
    "dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h1|h2|h3|h4|h5|h6|"
    "head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option|"
    "p|param|search|section|summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul"
)
_ATTR_NAME = "[a-zA-Z_:][a-zA-Z0-9:._-]*"
_ATTR_VALUE = "(?:[^\"'=<>`\\x00-\\x20]+|'[^']*'|\"[^\"]*\")"
_ATTRIBUTE = "(?:\\s+" + _ATTR_NAME + "(?:\\s*=\\s*" + _ATTR_VALUE + ")?)"
_OPEN_TAG = "<[A-Za-z][A-Za-z0-9\\-]*" + _ATTRIBUTE + "*\\s*\\/?>"
_CLOSE_TAG = "<\\/[A-Za-z][A-Za-z0-9\\-]*\\s*>"
_HTML_SEQUENCES: tuple[tuple[re.Pattern[str], re.Pattern[str], bool], ...] = (
    (
        re.compile(r"^<(?a:(script|pre|style|textarea))(?=(\s|>|$))", re.IGNORECASE),
        re.compile(r"<\/(?a:(script|pre|style|textarea))>", re.IGNORECASE),
        True,
    ),
    (re.compile(r"^<!--"), re.compile(r"-->"), True),
    (re.compile(r"^<\?"), re.compile(r"\?>"), True),
    (re.compile(r"^<![A-Za-z]"), re.compile(r">"), True),
    (re.compile(r"^<!\[CDATA\["), re.compile(r"\]\]>"), True),
    (re.compile("^</?(?a:(" + _BLOCK_NAMES + "))(?=(\\s|/?>|$))", re.IGNORECASE), re.compile(r"^$"), True),
    (re.compile("^(?:" + _OPEN_TAG + "|" + _CLOSE_TAG + ")\\s*$"), re.compile(r"^$"), False),
)
_TABLE_DELIMITER = re.compile(r"^:?-+:?$")
_DIGITS = frozenset("0123456789")
# First characters that can start a block that ends a paragraph (other than a table).
_STARTERS = frozenset("`~>*-_+<#0123456789")
# A list item whose line is one plain paragraph: its marker, 1-4 spaces, and a start that
# begins no other block: a plain character, "[ ]" (but not "[label]:", a link reference),
# bold ("**Effort**": a "*" list marker needs a space after it, a thematic break only
# markers and spaces), or code ("`x`": a fence needs three backticks).
_PLAIN_ITEM = re.compile(r"(?:[-*+]|[0-9]{1,9}[.)]) {1,4}([^\s`~>*\-_+<#0-9\[]|\[[^\]\[\\\n]\](?!:)|\*\*[^\s*]|__[^\s_]|`(?!``))")


class Unsupported(Exception):
    """Input this port leaves to markdown-it-py (link reference definitions)."""


def normalize(text: str) -> str:
    """markdown-it's first step: one kind of line break, no NUL characters."""
    if "\r" in text:
        text = _NEWLINES.sub("\n", text)
    if "\0" in text:
        text = text.replace("\0", "\ufffd")
    return text


def block_events(text: str) -> list[Event]:
    """The block events of ``text`` (raw file text; it is normalised here)."""
    src = normalize(text)
    if not src:
        return []
    return _Parser(src).run()


def _cell_count(line_text: str) -> int:
    """Cells in a table row, split as markdown-it's ``escapedSplit`` does (``\\|`` is no split)."""
    cells = []
    current = ""
    last_pos = 0
    escaped = False
    for pos, ch in enumerate(line_text):
        if ch == "|":
            if not escaped:
                cells.append(current + line_text[last_pos:pos])
                current = ""
                last_pos = pos + 1
            else:
                current += line_text[last_pos : pos - 1]
                last_pos = pos
        escaped = ch == "\\"
    cells.append(current + line_text[last_pos:])
    if cells and cells[0] == "":
        cells.pop(0)
    if cells and cells[-1] == "":
        cells.pop()
    return len(cells)


class _Parser:
    """markdown-it's StateBlock and block rules."""

    def __init__(self, src: str) -> None:
        self.src = src
        self.srclen = length = len(src)
        lines = src.split("\n")
        if src.endswith("\n"):
            lines.pop()  # the "\n" ends the last line; it starts no new one
        elif not lines[-1].strip(" \t"):
            lines.pop()  # a last line of only spaces and no "\n" is no line (as in markdown-it)
        # The per-line arrays are built with map() over C functions: a file has thousands of lines.
        lengths = list(map(len, lines))
        b_marks = list(accumulate(map(add, lengths, repeat(1)), initial=0))  # a line and its "\n"
        b_marks[-1] = length  # the fake line after the last, as markdown-it has it
        e_marks = list(map(add, b_marks, lengths))
        e_marks.append(length)
        self.tabs = "\t" in src
        if self.tabs:
            # Indents in columns: a tab advances to the next multiple of 4.
            t_shift = list(map(sub, lengths, map(len, map(str.lstrip, lines, repeat(" \t")))))
            s_count = [len(line[:shift].expandtabs(4)) for line, shift in zip(lines, t_shift)]
        else:
            t_shift = list(map(sub, lengths, map(len, map(str.lstrip, lines, repeat(" ")))))
            s_count = t_shift.copy()
        t_shift.append(0)
        s_count.append(0)
        self.b_marks = b_marks
        self.e_marks = e_marks
        self.t_shift = t_shift
        self.s_count = s_count
        # Columns a quote marker took before a line's new start (markdown-it's bsCount):
        # where a partly consumed tab stops.
        self.bs_count = [0] * len(b_marks)
        self.line_max = len(b_marks) - 1
        self.blk_indent = 0
        self.line = 0
        self.list_indent = -1
        self.parent_type = "root"
        self.level = 0
        self.events: list[Event] = []

    def run(self) -> list[Event]:
        self.tokenize(0, self.line_max)
        return self.events

    # -- state helpers (StateBlock) ----------------------------------------------------

    def is_empty(self, line: int) -> bool:
        return self.b_marks[line] + self.t_shift[line] >= self.e_marks[line]

    def skip_spaces(self, pos: int) -> int:
        src = self.src
        length = self.srclen
        while pos < length and src[pos] in " \t":
            pos += 1
        return pos

    def skip_chars(self, pos: int, ch: str) -> int:
        src = self.src
        length = self.srclen
        while pos < length and src[pos] == ch:
            pos += 1
        return pos

    def get_lines(self, begin: int, end: int, indent: int, keep_last_lf: bool) -> str:
        if begin >= end:
            return ""
        src = self.src
        b_marks, e_marks, t_shift, bs_count = self.b_marks, self.e_marks, self.t_shift, self.bs_count
        parts = []
        for line in range(begin, end):
            line_indent = 0
            line_start = first = b_marks[line]
            last = e_marks[line] + 1 if line + 1 < end or keep_last_lf else e_marks[line]
            shift = t_shift[line]
            while first < last and line_indent < indent:
                ch = src[first]
                if ch == "\t":
                    line_indent += 4 - (line_indent + bs_count[line]) % 4
                elif ch == " " or first - line_start < shift:
                    line_indent += 1
                else:
                    break
                first += 1
            if line_indent > indent:  # a tab only partly consumed: its rest as spaces
                parts.append(" " * (line_indent - indent) + src[first:last])
            else:
                parts.append(src[first:last])
        return "".join(parts)

    # -- the block tokenizer (ParserBlock.tokenize) --------------------------------------

    def tokenize(self, start_line: int, end_line: int) -> None:
        line = start_line
        b_marks, e_marks, t_shift, s_count = self.b_marks, self.e_marks, self.t_shift, self.s_count
        src = self.src
        while line < end_line:
            line_max = self.line_max
            while line < line_max and b_marks[line] + t_shift[line] >= e_marks[line]:
                line += 1
            self.line = line
            if line >= end_line:
                break
            if s_count[line] < self.blk_indent:
                break  # the end of a nested block (list item, quote)
            if self.level >= MAX_NESTING:
                self.line = end_line
                break
            ch = src[b_marks[line] + t_shift[line]]
            self.block(line, end_line, ch)
            line = self.line
            if line < end_line and b_marks[line] + t_shift[line] >= e_marks[line]:  # an empty line
                line += 1
                self.line = line

    def block(self, line: int, end_line: int, ch: str) -> None:
        """Try the rules in markdown-it's order, but only those ``ch`` can start."""
        src = self.src
        if line == 0 and src[0] == "-" and self.front_matter(line, end_line, False):
            return
        if line + 2 <= end_line and self.may_be_delimiter_row(line + 1) and self.table(line, end_line, False):
            return
        if self.s_count[line] - self.blk_indent >= 4:
            self.code(line, end_line)
            return
        if ch in "`~":
            if self.fence(line, end_line, False):
                return
        elif ch == ">":
            self.blockquote(line, end_line, False)
            return
        elif ch in "*-_+":
            # A thematic break ends in its marker or a space ("- item" does not): hr's own
            # first test, made here for the many list items.
            if ch != "+" and src[self.e_marks[line] - 1] in (ch, " ", "\t") and self.hr(line, False):
                return
            if ch != "_" and self.list_block(line, end_line, False):
                return
        elif ch in _DIGITS:
            if self.list_block(line, end_line, False):
                return
        elif ch == "[":
            self.reference(line)
        elif ch == "<":
            if self.html_block(line, end_line, False):
                return
        elif ch == "#" and self.heading(line, False):
            return
        # Setext heading, else paragraph. markdown-it scans the lines twice (its lheading
        # rule, then paragraph); both stop at the same line unless the paragraph may run
        # on past ``end_line`` (inside a quote), so one scan serves both.
        stop = self.lheading(line, end_line)
        if stop < 0:
            return
        if end_line == self.line_max:
            self.paragraph_until(line, stop)
        else:
            self.paragraph(line)

    # -- termination checks (the rules' "silent" mode) ---------------------------------

    def may_be_delimiter_row(self, line: int) -> bool:
        """The table rule's first test of the line under a table's header: it starts with
        "|", ":" or "-", and a "-" is not followed by a space (that is a list item)."""
        pos = self.b_marks[line] + self.t_shift[line]
        end = self.e_marks[line]
        if pos + 1 >= end:
            return pos < end and self.src[pos] in "|:"
        ch = self.src[pos]
        if ch == "-":
            return self.src[pos + 1] not in (" ", "\t")
        return ch == "|" or ch == ":"

    def ends_paragraph(self, line: int, end_line: int) -> bool:
        """Paragraph terminators: a table, then the blockquote terminators."""
        if line + 2 <= end_line and self.may_be_delimiter_row(line + 1) and self.table(line, end_line, True):
            return True
        return self.ends_blockquote(line, end_line)

    def ends_blockquote(self, line: int, end_line: int) -> bool:
        """Blockquote (and table body) terminators: fence, blockquote, hr, list, html_block, heading."""
        pos = self.b_marks[line] + self.t_shift[line]
        if pos >= self.e_marks[line]:
            return False
        ch = self.src[pos]
        if ch not in _STARTERS:
            return False
        if ch == "`" or ch == "~":
            return self.fence(line, end_line, True)
        if ch == ">":
            return self.blockquote(line, end_line, True)
        if ch in ("*", "-", "_", "+"):
            # A thematic break ends in its marker or a space; "- item" goes straight to lists.
            if ch != "+" and self.src[self.e_marks[line] - 1] in (ch, " ", "\t") and self.hr(line, True):
                return True
            return ch != "_" and self.list_block(line, end_line, True)
        if ch in _DIGITS:
            return self.list_block(line, end_line, True)
        if ch == "<":
            return self.html_block(line, end_line, True)
        if ch == "#":
            return self.heading(line, True)
        return False

    def ends_list(self, line: int, end_line: int) -> bool:
        """List terminators: fence, blockquote, hr."""
        pos = self.b_marks[line] + self.t_shift[line]
        if pos >= self.e_marks[line]:
            return False
        ch = self.src[pos]
        if ch == "`" or ch == "~":
            return self.fence(line, end_line, True)
        if ch == ">":
            return self.blockquote(line, end_line, True)
        if ch == "*" or ch == "-" or ch == "_":
            return self.src[self.e_marks[line] - 1] in (ch, " ", "\t") and self.hr(line, True)
        return False

    # -- rules --------------------------------------------------------------------------

    def emit(self, kind: str, start: int, end: int) -> None:
        self.events.append((kind, self.level, start, end))

    def code(self, start_line: int, end_line: int) -> None:
        last = next_line = start_line + 1
        while next_line < end_line:
            if self.is_empty(next_line):
                next_line += 1
                continue
            if self.s_count[next_line] - self.blk_indent >= 4:
                next_line += 1
                last = next_line
                continue
            break
        self.line = last
        self.emit("code", start_line, last)

    def fence(self, start_line: int, end_line: int, silent: bool) -> bool:
        src, b_marks, e_marks, t_shift, s_count = self.src, self.b_marks, self.e_marks, self.t_shift, self.s_count
        pos = b_marks[start_line] + t_shift[start_line]
        maximum = e_marks[start_line]
        if s_count[start_line] - self.blk_indent >= 4:
            return False
        if pos + 3 > maximum:
            return False
        marker = src[pos]
        if marker not in ("~", "`"):
            return False
        mem = pos
        pos = self.skip_chars(pos, marker)
        length = pos - mem
        if length < 3:
            return False
        if marker == "`" and "`" in src[pos:maximum]:
            return False
        if silent:
            return True
        have_end_marker = False
        next_line = start_line
        while True:
            next_line += 1
            if next_line >= end_line:
                break
            pos = mem = b_marks[next_line] + t_shift[next_line]
            maximum = e_marks[next_line]
            if pos < maximum and s_count[next_line] < self.blk_indent:
                break
            if pos >= self.srclen:
                break
            if src[pos] != marker:
                continue
            if s_count[next_line] - self.blk_indent >= 4:
                continue
            pos = self.skip_chars(pos, marker)
            if pos - mem < length:
                continue
            pos = self.skip_spaces(pos)
            if pos < maximum:
                continue
            have_end_marker = True
            break
        self.line = next_line + (1 if have_end_marker else 0)
        self.emit("fence", start_line, self.line)
        return True

    def blockquote(self, start_line: int, end_line: int, silent: bool) -> bool:
        src, b_marks, e_marks, t_shift, s_count = self.src, self.b_marks, self.e_marks, self.t_shift, self.s_count
        old_line_max = self.line_max
        pos = b_marks[start_line] + t_shift[start_line]
        maximum = e_marks[start_line]
        if s_count[start_line] - self.blk_indent >= 4:
            return False
        if pos >= self.srclen or src[pos] != ">":
            return False
        if silent:
            return True
        bs_count = self.bs_count
        pos += 1
        initial = offset = s_count[start_line] + 1
        pos, initial, offset, adjust_tab, space_after_marker = self._after_quote_marker(start_line, pos, initial, offset)
        old_b_marks = [b_marks[start_line]]
        b_marks[start_line] = pos
        pos, offset = self._quote_indent(start_line, pos, maximum, offset, adjust_tab)
        old_bs_count = [bs_count[start_line]]
        bs_count[start_line] = s_count[start_line] + 1 + (1 if space_after_marker else 0)
        last_line_empty = pos >= maximum
        old_s_count = [s_count[start_line]]
        s_count[start_line] = offset - initial
        old_t_shift = [t_shift[start_line]]
        t_shift[start_line] = pos - b_marks[start_line]
        old_parent_type = self.parent_type
        self.parent_type = "blockquote"
        next_line = start_line + 1
        while next_line < end_line:
            is_outdented = s_count[next_line] < self.blk_indent
            pos = b_marks[next_line] + t_shift[next_line]
            maximum = e_marks[next_line]
            if pos >= maximum:
                break  # an empty line ends the quote
            if src[pos] == ">" and not is_outdented:
                pos += 1
                initial = offset = s_count[next_line] + 1
                pos, initial, offset, adjust_tab, space_after_marker = self._after_quote_marker(
                    next_line, pos, initial, offset
                )
                old_b_marks.append(b_marks[next_line])
                b_marks[next_line] = pos
                pos, offset = self._quote_indent(next_line, pos, maximum, offset, adjust_tab)
                last_line_empty = pos >= maximum
                old_bs_count.append(bs_count[next_line])
                bs_count[next_line] = s_count[next_line] + 1 + (1 if space_after_marker else 0)
                old_s_count.append(s_count[next_line])
                s_count[next_line] = offset - initial
                old_t_shift.append(t_shift[next_line])
                t_shift[next_line] = pos - b_marks[next_line]
                next_line += 1
                continue
            if last_line_empty:
                break
            if self.ends_blockquote(next_line, end_line):
                self.line_max = next_line
                if self.blk_indent != 0:
                    old_b_marks.append(b_marks[next_line])
                    old_bs_count.append(bs_count[next_line])
                    old_t_shift.append(t_shift[next_line])
                    old_s_count.append(s_count[next_line])
                    s_count[next_line] -= self.blk_indent
                break
            # a lazy continuation line
            old_b_marks.append(b_marks[next_line])
            old_bs_count.append(bs_count[next_line])
            old_t_shift.append(t_shift[next_line])
            old_s_count.append(s_count[next_line])
            s_count[next_line] = -1
            next_line += 1
        old_indent = self.blk_indent
        self.blk_indent = 0
        span_event_index = len(self.events)
        self.events.append(("quote", self.level, start_line, start_line))
        self.level += 1
        self.tokenize(start_line, next_line)
        self.level -= 1
        self.line_max = old_line_max
        self.parent_type = old_parent_type
        self.events[span_event_index] = ("quote", self.level, start_line, self.line)
        for i, shift in enumerate(old_t_shift):
            b_marks[i + start_line] = old_b_marks[i]
            bs_count[i + start_line] = old_bs_count[i]
            t_shift[i + start_line] = shift
            s_count[i + start_line] = old_s_count[i]
        self.blk_indent = old_indent
        return True

    def _after_quote_marker(self, line: int, pos: int, initial: int, offset: int) -> tuple[int, int, int, bool, bool]:
        """One space after ">" belongs to the marker; a tab only where it stops there."""
        ch = self.src[pos] if pos < self.srclen else ""
        if ch == " ":
            return pos + 1, initial + 1, offset + 1, False, True
        if ch == "\t":
            if (self.bs_count[line] + offset) % 4 == 3:
                return pos + 1, initial + 1, offset + 1, False, True
            return pos, initial, offset, True, True
        return pos, initial, offset, False, False

    def _quote_indent(self, line: int, pos: int, maximum: int, offset: int, adjust_tab: bool) -> tuple[int, int]:
        src = self.src
        while pos < maximum:
            ch = src[pos]
            if ch == " ":
                offset += 1
            elif ch == "\t":
                offset += 4 - (offset + self.bs_count[line] + (1 if adjust_tab else 0)) % 4
            else:
                break
            pos += 1
        return pos, offset

    def hr(self, start_line: int, silent: bool) -> bool:
        src = self.src
        pos = self.b_marks[start_line] + self.t_shift[start_line]
        maximum = self.e_marks[start_line]
        if self.s_count[start_line] - self.blk_indent >= 4:
            return False
        if pos >= self.srclen:
            return False
        marker = src[pos]
        if marker not in ("*", "-", "_"):
            return False
        if src[maximum - 1] not in (marker, " ", "\t"):
            return False  # quick: a thematic break ends in its marker or a space ("- item" does not)
        rest = src[pos + 1 : maximum]
        if rest.strip(" \t" + marker):
            return False  # anything but markers and spaces
        if rest.count(marker) + 1 < 3:
            return False
        if silent:
            return True
        self.line = start_line + 1
        self.emit("hr", start_line, self.line)
        return True

    def _skip_bullet_marker(self, line: int) -> int:
        src = self.src
        pos = self.b_marks[line] + self.t_shift[line]
        maximum = self.e_marks[line]
        if pos >= self.srclen:
            return -1
        if src[pos] not in ("*", "-", "+"):
            return -1
        pos += 1
        if pos < maximum and src[pos] not in (" ", "\t"):
            return -1
        return pos

    def _skip_ordered_marker(self, line: int) -> int:
        src = self.src
        start = pos = self.b_marks[line] + self.t_shift[line]
        maximum = self.e_marks[line]
        if pos + 1 >= maximum:
            return -1
        if src[pos] not in _DIGITS:
            return -1
        pos += 1
        while True:
            if pos >= maximum:
                return -1
            ch = src[pos]
            pos += 1
            if ch in _DIGITS:
                if pos - start >= 10:
                    return -1
                continue
            if ch in (")", "."):
                break
            return -1
        if pos < maximum and src[pos] not in (" ", "\t"):
            return -1
        return pos

    def list_block(self, start_line: int, end_line: int, silent: bool) -> bool:
        src, b_marks, e_marks, t_shift, s_count = self.src, self.b_marks, self.e_marks, self.t_shift, self.s_count
        if s_count[start_line] - self.blk_indent >= 4:
            return False
        if (
            self.list_indent >= 0
            and s_count[start_line] - self.list_indent >= 4
            and s_count[start_line] < self.blk_indent
        ):
            return False
        terminating_paragraph = silent and self.parent_type == "paragraph" and s_count[start_line] >= self.blk_indent
        first = src[b_marks[start_line] + t_shift[start_line]]
        pos_after_marker = self._skip_ordered_marker(start_line) if first in _DIGITS else -1
        if pos_after_marker >= 0:
            ordered = True
            marker_start = b_marks[start_line] + t_shift[start_line]
            if terminating_paragraph and int(src[marker_start : pos_after_marker - 1]) != 1:
                return False
        else:
            pos_after_marker = self._skip_bullet_marker(start_line)
            if pos_after_marker < 0:
                return False
            ordered = False
        if terminating_paragraph and self.skip_spaces(pos_after_marker) >= e_marks[start_line]:
            return False
        marker_char = src[pos_after_marker - 1]
        if silent:
            return True

        span = [start_line, 0]
        self.events.append((LIST, self.level, span))
        self.level += 1
        next_line = start_line
        old_parent_type = self.parent_type
        self.parent_type = "list"
        # Runs of plain items (below): not where tabs count columns, where an item's content
        # would be too deep to keep (tokenize drops it), or where a paragraph may run on
        # past end_line (in a quote); and only where the next line is at the item's indent.
        runs = not self.tabs and self.level + 1 < MAX_NESTING and end_line == self.line_max
        while next_line < end_line:
            if runs and next_line > 0 and s_count[next_line + 1] == s_count[next_line]:
                run_end, after_marker = self.plain_item_run(next_line, end_line, marker_char)
                if run_end > next_line:
                    next_line = start_line = run_end
                    pos_after_marker = after_marker
            pos = pos_after_marker
            maximum = e_marks[next_line]
            initial = offset = s_count[next_line] + pos_after_marker - (b_marks[start_line] + t_shift[start_line])
            while pos < maximum:
                ch = src[pos]
                if ch == " ":
                    offset += 1
                elif ch == "\t":
                    offset += 4 - (offset + self.bs_count[next_line]) % 4
                else:
                    break
                pos += 1
            content_start = pos
            indent_after_marker = 1 if content_start >= maximum else offset - initial
            if indent_after_marker > 4:
                indent_after_marker = 1  # the rest is an indented code block
            indent = initial + indent_after_marker

            self.events.append((ITEM,))
            self.level += 1
            old_t_shift = t_shift[start_line]
            old_s_count = s_count[start_line]
            old_list_indent = self.list_indent
            self.list_indent = self.blk_indent
            self.blk_indent = indent
            t_shift[start_line] = content_start - b_marks[start_line]
            s_count[start_line] = offset
            if content_start >= maximum and self.is_empty(start_line + 1):
                self.line = min(self.line + 2, end_line)  # an empty item ends the list
            elif not self.item_line_paragraph(start_line, end_line, content_start, maximum, indent):
                self.tokenize(start_line, end_line)
            self.blk_indent = self.list_indent
            self.list_indent = old_list_indent
            t_shift[start_line] = old_t_shift
            s_count[start_line] = old_s_count
            self.level -= 1
            self.events.append((ITEM_END,))

            next_line = start_line = self.line
            if next_line >= end_line:
                break
            if s_count[next_line] < self.blk_indent:
                break
            if s_count[start_line] - self.blk_indent >= 4:
                break
            if self.ends_list(next_line, end_line):
                break
            if ordered:
                pos_after_marker = self._skip_ordered_marker(next_line)
            else:
                pos_after_marker = self._skip_bullet_marker(next_line)
            if pos_after_marker < 0:
                break
            if marker_char != src[pos_after_marker - 1]:
                break
        self.level -= 1
        self.events.append((LIST_END,))
        span[1] = next_line
        self.line = next_line
        self.parent_type = old_parent_type
        return True

    def plain_item_run(self, line: int, end_line: int, marker_char: str) -> tuple[int, int]:
        """Items of a list that are each one plain line ("- [ ] a", "- [ ] b", …), at C speed.

        An item is taken here when its line and the next item's (after any empty lines)
        match ``_PLAIN_ITEM`` at the same indent with the list's marker: then, as the
        rules decide it, its paragraph is its one line (the next line ends it: empty, a
        list item, or a table's header), nothing else is in it, and the list goes on to
        the next. Returns the first line not taken and where its marker ends.
        """
        src, b_marks, e_marks, t_shift, s_count = self.src, self.b_marks, self.e_marks, self.t_shift, self.s_count
        match = _PLAIN_ITEM.match
        indent = s_count[line]
        item = match(src, b_marks[line] + t_shift[line], e_marks[line])
        if item is None:
            return line, -1
        marker_end = src.index(" ", item.start())
        if src[marker_end - 1] != marker_char:
            return line, -1
        events = self.events
        level = self.level + 1
        while True:
            # The next item, past empty lines (a loose list: they end the paragraph).
            paragraph_end = next_line = line + 1
            while next_line < end_line and b_marks[next_line] + t_shift[next_line] >= e_marks[next_line]:
                next_line += 1
            if next_line >= end_line or s_count[next_line] != indent:
                break
            following = match(src, b_marks[next_line] + t_shift[next_line], e_marks[next_line])
            if following is None:
                break
            following_end = src.index(" ", following.start())
            if src[following_end - 1] != marker_char:
                break  # another list starts there
            content = src[item.start(1) : e_marks[line]].strip(_TRIM)
            events += ((ITEM,), (PARAGRAPH, level, line, paragraph_end, content, True), (ITEM_END,))
            line = next_line
            item = following
            marker_end = following_end
        return line, marker_end

    def item_line_paragraph(self, line: int, end_line: int, start: int, maximum: int, indent: int) -> bool:
        """The common item: its first line is a one-line paragraph ("- [ ] Write the spec").

        Decides, with the same checks in the same order, what ``tokenize`` → ``block`` →
        ``lheading`` would: no rule but the paragraph's can start at ``start``, and the
        next line ends the paragraph. Then emits it and carries on as ``tokenize`` does
        after a block. Returns False, having done nothing, where that is not sure.
        """
        if start >= maximum or self.tabs or line == 0 or self.level >= MAX_NESTING or end_line != self.line_max:
            return False
        src, b_marks, e_marks, t_shift, s_count = self.src, self.b_marks, self.e_marks, self.t_shift, self.s_count
        next_line = line + 1
        if line + 2 <= end_line and self.may_be_delimiter_row(next_line):
            return False  # this line may head a table
        if s_count[line] - indent >= 4:
            return False  # code
        ch = src[start]
        if ch in _STARTERS:
            # Bold ("**Effort**: 1 hour"), code ("`x`") and numbers ("2 days") start no
            # other block: a list marker needs a space after it, a thematic break only
            # markers and spaces, a fence three backticks.
            if ch == "*" or ch == "_":
                if ch == "*" and (start + 1 >= maximum or src[start + 1] in (" ", "\t")):
                    return False
                if not src[start:maximum].strip(ch + " \t"):
                    return False
            elif ch == "`":
                if src.startswith("```", start):
                    return False  # a fence
            elif ch not in _DIGITS or self._skip_ordered_marker(line) >= 0:
                return False
        elif ch == "[":
            self.reference(line)  # a link reference definition goes to markdown-it, as in block()
        if next_line < end_line and b_marks[next_line] + t_shift[next_line] < e_marks[next_line]:
            # The next line must end the paragraph, as lheading decides (the item's
            # content indent is the block indent): not a continuation, not an underline.
            next_indent = s_count[next_line]
            if next_indent - indent > 3 or next_indent < 0:
                return False
            pos = b_marks[next_line] + t_shift[next_line]
            marker = src[pos]
            if next_indent >= indent and (marker == "-" or marker == "="):
                if self.skip_spaces(self.skip_chars(pos, marker)) >= e_marks[next_line]:
                    return False  # a setext underline
            if marker not in _STARTERS and (next_line + 2 > end_line or not self.may_be_delimiter_row(next_line + 1)):
                return False  # plain text that carries on the paragraph
            old_parent_type = self.parent_type
            self.parent_type = "paragraph"
            ends = self.ends_paragraph(next_line, end_line)
            self.parent_type = old_parent_type
            if not ends:
                return False
        events = self.events
        events.append((PARAGRAPH, self.level, line, next_line, src[start:maximum].strip(_TRIM), True))  # first in its item
        # Then as tokenize goes on after a block: past empty lines, and on into the item
        # where a line is indented into it.
        line = next_line
        line_max = self.line_max
        while line < line_max and b_marks[line] + t_shift[line] >= e_marks[line]:
            line += 1
        self.line = line
        if line < end_line and s_count[line] >= indent:
            self.tokenize(line, end_line)
        return True

    def reference(self, start_line: int) -> None:
        """Raise :class:`Unsupported` where markdown-it could read a link reference definition.

        Its reference rule needs ``[label]:`` (a label may run over several lines);
        anything else starting with ``[`` (such as ``[ ] task``) is left to later rules.
        """
        src = self.src
        pos = self.b_marks[start_line] + self.t_shift[start_line] + 1
        maximum = self.e_marks[start_line]
        if self.s_count[start_line] - self.blk_indent >= 4:
            return
        while pos < maximum:
            ch = src[pos]
            if ch == "[":
                return
            if ch == "]":
                if pos + 1 < self.srclen and src[pos + 1] == ":":
                    raise Unsupported("link reference definition")
                return
            if ch == "\\":
                pos += 1
            pos += 1
        raise Unsupported("link reference label over several lines")

    def html_block(self, start_line: int, end_line: int, silent: bool) -> bool:
        src = self.src
        pos = self.b_marks[start_line] + self.t_shift[start_line]
        maximum = self.e_marks[start_line]
        if self.s_count[start_line] - self.blk_indent >= 4:
            return False
        if pos >= self.srclen or src[pos] != "<":
            return False
        line_text = src[pos:maximum]
        for opening, closing, can_interrupt in _HTML_SEQUENCES:
            if opening.search(line_text):
                break
        else:
            return False
        if silent:
            return can_interrupt
        next_line = start_line + 1
        ends_on_blank_line = closing.pattern == "^$"
        if not closing.search(line_text):
            while next_line < end_line:
                if self.s_count[next_line] < self.blk_indent and (ends_on_blank_line or not self.is_empty(next_line)):
                    break
                pos = self.b_marks[next_line] + self.t_shift[next_line]
                line_text = src[pos : self.e_marks[next_line]]
                if closing.search(line_text):
                    if len(line_text) != 0:
                        next_line += 1
                    break
                next_line += 1
        self.line = next_line
        self.emit("html", start_line, next_line)
        return True

    def heading(self, start_line: int, silent: bool) -> bool:
        src = self.src
        pos = self.b_marks[start_line] + self.t_shift[start_line]
        maximum = self.e_marks[start_line]
        if self.s_count[start_line] - self.blk_indent >= 4:
            return False
        if pos >= self.srclen or src[pos] != "#" or pos >= maximum:
            return False
        level = 1
        pos += 1
        while pos < maximum and src[pos] == "#" and level <= 6:
            level += 1
            pos += 1
        if level > 6 or (pos < maximum and src[pos] not in (" ", "\t")):
            return False
        if silent:
            return True
        # Cut a closing sequence like "  ###  " off the end.
        while maximum > pos and src[maximum - 1] in (" ", "\t"):
            maximum -= 1
        tail = maximum
        while tail > pos and src[tail - 1] == "#":
            tail -= 1
        if tail > pos and src[tail - 1] in (" ", "\t"):
            maximum = tail
        self.line = start_line + 1
        self.events.append((HEADING, self.level, start_line, start_line + 1, src[pos:maximum].strip(_TRIM), level))
        return True

    def lheading(self, start_line: int, end_line: int) -> int:
        """A setext heading (paragraph lines underlined with ``===`` or ``---``): emit it
        and return -1; or, if there is none, return where the paragraph would stop."""
        src, b_marks, e_marks, t_shift, s_count = self.src, self.b_marks, self.e_marks, self.t_shift, self.s_count
        level = 0
        next_line = start_line + 1
        old_parent_type = self.parent_type
        self.parent_type = "paragraph"
        blk_indent = self.blk_indent
        while next_line < end_line and b_marks[next_line] + t_shift[next_line] < e_marks[next_line]:
            indent = s_count[next_line]
            if indent - blk_indent > 3:
                next_line += 1
                continue
            pos = b_marks[next_line] + t_shift[next_line]
            marker = src[pos]
            if indent >= blk_indent and (marker == "-" or marker == "="):
                end = self.skip_spaces(self.skip_chars(pos, marker))
                if end >= e_marks[next_line]:
                    level = 1 if marker == "=" else 2
                    break
            if indent < 0:
                next_line += 1
                continue
            if marker not in _STARTERS:
                # Plain text: only a table starting here could end the paragraph (the
                # check ends_paragraph would make first, inlined for the common case:
                # the line under it starts with none of "|", ":" and "-").
                if next_line + 2 > end_line:
                    next_line += 1
                    continue
                under = b_marks[next_line + 1] + t_shift[next_line + 1]
                if under >= e_marks[next_line + 1] or src[under] not in "|:-" or not self.may_be_delimiter_row(next_line + 1):
                    next_line += 1
                    continue
            if self.ends_paragraph(next_line, end_line):
                break
            next_line += 1
        self.parent_type = old_parent_type
        if not level:
            return next_line
        content = self.get_lines(start_line, next_line, self.blk_indent, False).strip(_TRIM)
        self.line = next_line + 1
        self.events.append((HEADING, self.level, start_line, self.line, content, level))
        return -1

    def paragraph(self, start_line: int) -> None:
        s_count, b_marks, e_marks, t_shift = self.s_count, self.b_marks, self.e_marks, self.t_shift
        next_line = start_line + 1
        end_line = self.line_max
        old_parent_type = self.parent_type
        self.parent_type = "paragraph"
        blk_indent = self.blk_indent
        while next_line < end_line:
            if b_marks[next_line] + t_shift[next_line] >= e_marks[next_line]:
                break  # an empty line
            if s_count[next_line] - blk_indent > 3:
                next_line += 1  # lazy continuation, whatever it looks like
                continue
            if s_count[next_line] < 0:
                next_line += 1  # a quote's lazy line, already checked by the quote
                continue
            if self.ends_paragraph(next_line, end_line):
                break
            next_line += 1
        self.parent_type = old_parent_type
        self.paragraph_until(start_line, next_line)

    def paragraph_until(self, start_line: int, next_line: int) -> None:
        if next_line == start_line + 1 and not self.tabs:  # one line: no indentation to strip but its own
            content = self.src[self.b_marks[start_line] + self.t_shift[start_line] : self.e_marks[start_line]]
        else:
            content = self.get_lines(start_line, next_line, self.blk_indent, False)
        self.line = next_line
        events = self.events
        first_in_item = bool(events) and events[-1][0] is ITEM
        events.append((PARAGRAPH, self.level, start_line, next_line, content.strip(_TRIM), first_in_item))

    def table(self, start_line: int, end_line: int, silent: bool) -> bool:
        src, b_marks, e_marks, t_shift, s_count = self.src, self.b_marks, self.e_marks, self.t_shift, self.s_count
        if start_line + 2 > end_line:
            return False
        next_line = start_line + 1
        if s_count[next_line] < self.blk_indent:
            return False
        if s_count[next_line] - self.blk_indent >= 4:
            return False
        pos = b_marks[next_line] + t_shift[next_line]
        maximum = e_marks[next_line]
        if pos >= maximum:
            return False
        first_ch = src[pos]
        pos += 1
        if first_ch not in ("|", "-", ":"):
            return False
        if pos >= maximum:
            return False
        second_ch = src[pos]
        pos += 1
        if second_ch not in ("|", "-", ":", " ", "\t"):
            return False
        if first_ch == "-" and second_ch in (" ", "\t"):
            return False
        while pos < maximum:
            if src[pos] not in ("|", "-", ":", " ", "\t"):
                return False
            pos += 1
        columns = src[b_marks[next_line] + t_shift[next_line] : maximum].split("|")
        aligns = 0
        for i, column in enumerate(columns):
            cell = column.strip(_TRIM)
            if not cell:
                if i == 0 or i == len(columns) - 1:
                    continue
                return False
            if not _TABLE_DELIMITER.search(cell):
                return False
            aligns += 1
        line_text = src[b_marks[start_line] + t_shift[start_line] : e_marks[start_line]].strip(_TRIM)
        if "|" not in line_text:
            return False
        if s_count[start_line] - self.blk_indent >= 4:
            return False
        column_count = _cell_count(line_text)
        if column_count == 0 or column_count != aligns:
            return False
        if silent:
            return True
        old_parent_type = self.parent_type
        self.parent_type = "table"
        autocompleted = 0
        next_line = start_line + 2
        while next_line < end_line:
            if s_count[next_line] < self.blk_indent:
                break
            if self.ends_blockquote(next_line, end_line):
                break
            line_text = src[b_marks[next_line] + t_shift[next_line] : e_marks[next_line]].strip(_TRIM)
            if not line_text:
                break
            if s_count[next_line] - self.blk_indent >= 4:
                break
            autocompleted += column_count - _cell_count(line_text)
            if autocompleted > MAX_AUTOCOMPLETED_CELLS:
                break
            next_line += 1
        self.emit("table", start_line, next_line)
        self.parent_type = old_parent_type
        self.line = next_line
        return True

    def front_matter(self, start_line: int, end_line: int, silent: bool) -> bool:
        """mdit-py-plugins' front matter: ``---`` on the first line, closed by ``---`` or ``...``."""
        src, b_marks, e_marks, t_shift, s_count = self.src, self.b_marks, self.e_marks, self.t_shift, self.s_count
        start = b_marks[start_line] + t_shift[start_line]
        maximum = e_marks[start_line]
        pos = start + 1
        while pos <= maximum and pos < self.srclen:
            if src[pos] != "-":
                break
            pos += 1
        marker_count = pos - start
        if marker_count < 3:
            return False
        if silent:
            return True
        auto_closed = False
        next_line = start_line
        while True:
            next_line += 1
            if next_line >= end_line:
                return False  # never closed: not front matter
            start = b_marks[next_line] + t_shift[next_line]
            maximum = e_marks[next_line]
            if s_count[next_line] == 0 and src.startswith("...", start) and self.skip_spaces(start + 3) >= maximum:
                auto_closed = True
                break
            if start < maximum and s_count[next_line] < self.blk_indent:
                break
            if start >= self.srclen:
                raise Unsupported("front matter at the end of the text")  # markdown-it raises here
            if src[start] != "-":
                continue
            if s_count[next_line] - self.blk_indent >= 4:
                continue
            pos = start + 1
            while pos < maximum and src[pos] == "-":
                pos += 1
            if pos - start < marker_count:
                continue
            if self.skip_spaces(pos) < maximum:
                continue
            auto_closed = True
            break
        self.line = next_line + (1 if auto_closed else 0)
        self.emit("front_matter", start_line, self.line)
        return True
