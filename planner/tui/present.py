"""Small presentation helpers shared by the screens: labels, progress bars, section text.

Everything shown in a widget is built as :class:`rich.text.Text` (never a markup string),
so brackets in user text (``- [x] done``, ``[P0]``) are shown exactly as written; its text
is terminal-safe (:func:`planner.safe_text.terminal_safe`: escape sequences, C1 and
bidi controls shown, never obeyed) and bounded (a 10 MB line is cut to :data:`MAX_LABEL`
characters in a list, :data:`MAX_DETAIL` in the detail pane), so no file can stall layout.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.style import Style
from rich.text import Span, Text

from planner.model.display import display_text, plain_inline
from planner.safe_text import screen_text
from planner.model.mojibake import repair
from planner.model.states import DONE, DONE_TYPE, IN_PROGRESS, OPEN, TODO, box_shown

if TYPE_CHECKING:  # the first frame is drawn before the model (and pydantic) is imported
    from planner.model.document import Document, Task

BAR_WIDTH = 8
_NEWLINE = re.compile(r"\r\n|\r|\n")
DETAIL_MAX_LINES = 150
MAX_LABEL = 400  # characters of one title, label or cell laid out (wider than any terminal)
MAX_DETAIL = 20_000  # characters of Markdown the detail pane renders
MAX_MESSAGE = 2_000  # characters of one notification
ELLIPSIS = "…"

# The style of a row's "where" (``  kato/SPRINT_BACKLOG.md:163``): a list that cuts the row to
# fit (:func:`fit_label`) shortens the text before it and the path's folders first, and keeps
# the file name, so rows that read the same are told apart by their file.
WHERE = Style(dim=True, meta={"planner": "where"})
WHERE_BOLD = Style(bold=True, meta={"planner": "where"})  # a file's own row in the Documents tree
_WHERE_STYLES = frozenset((WHERE, WHERE_BOLD))

PRIORITY_STYLES = {"P0": "bold red", "P1": "bold dark_orange", "P2": "yellow", "P3": "green"}


def fast_text(*parts: tuple[str, str | Style] | str) -> Text:
    """``Text.assemble`` without sanitising every part again (labels for thousands of rows)."""
    plain: list[str] = []
    spans: list[Span] = []
    position = 0
    for part in parts:
        text, style = (part, "") if isinstance(part, str) else part
        if not text:
            continue
        plain.append(text)
        end = position + len(text)
        if style:
            spans.append(Span(position, end, style))
        position = end
    joined = "".join(plain)
    if len(joined) > MAX_LABEL:
        joined = joined[: MAX_LABEL - 1] + ELLIPSIS
        spans = [Span(span.start, min(span.end, MAX_LABEL), span.style) for span in spans if span.start < MAX_LABEL]
    # Same length after (one character for one), so the spans stay right; Rich then has
    # nothing to strip, and a label never breaks into lines.
    return Text(screen_text(joined), spans=spans, no_wrap=True, overflow="ellipsis")


def shown(text: str, limit: int = MAX_LABEL) -> str:
    """One line of a file's text as a widget may show it: terminal-safe, at most ``limit``
    characters (cut with "…")."""
    if len(text) > limit:
        text = text[: limit - 1] + ELLIPSIS
    return screen_text(text)


def safe_text(value: Text | str, *, lines: bool = False, limit: int = MAX_LABEL) -> Text:
    """``value`` as a widget may show it: a ``str`` is literal text (never markup); the text is
    terminal-safe (newlines kept when ``lines``) and at most ``limit`` characters."""
    text = Text(value) if isinstance(value, str) else value
    plain = text.plain
    if len(plain) > limit:
        text = text[: limit - 1]
        text.append(ELLIPSIS)
        plain = text.plain
    safe = screen_text(plain, lines=lines)
    if safe is not plain:
        text = text.copy()
        text.plain = safe
    return text


def bar(done: int, total: int, width: int = BAR_WIDTH) -> str:
    """``█████░░░`` for ``done`` of ``total``; blank when there is nothing to count."""
    if total <= 0:
        return " " * width
    filled = round(width * done / total)
    if done and not filled:
        filled = 1
    if done < total and filled == width:
        filled = width - 1
    return "█" * filled + "░" * (width - filled)


Part = tuple[str, "str | Style"]


def _where_span(text: Text) -> tuple[int, int] | None:
    spans = [(span.start, span.end) for span in text.spans if isinstance(span.style, Style) and span.style in _WHERE_STYLES]
    return max(spans) if spans else None


def _cut(text: Text, start: int, end: int | None) -> Text:
    """``text[start:end]`` (Rich's slicing divides the whole text: 10× slower, per row drawn)."""
    size = len(text.plain)
    end = size if end is None else max(0, min(end, size) if end >= 0 else size + end)
    start = max(0, start if start >= 0 else size + start)
    spans = [
        Span(max(span.start, start) - start, min(span.end, end) - start, span.style)
        for span in text.spans
        if span.end > start and span.start < end
    ]
    return Text(text.plain[start:end], style=text.style, spans=spans, no_wrap=text.no_wrap, overflow=text.overflow, end="")


def _like(text: Text, index: int, plain: str) -> Text:
    """``plain`` (one character) styled as ``text``'s character at ``index`` (the cursor's colours)."""
    piece = _cut(text, index, index + 1)
    piece.plain = plain
    return piece


def _short_where(where: Text, room: int) -> Text:
    """``  folder/sub/NAME.md:12`` in at most ``room`` cells: folders go first (``…/NAME.md:12``),
    then the middle of the name (``SPRI…10-06.md:12``); the line number and the name's end stay."""
    plain = where.plain
    lead = len(plain) - len(plain.lstrip())
    colon = plain.rfind(":")
    if colon <= lead or not plain[colon + 1 :].isdigit():
        colon = len(plain)
    slash = plain.rfind("/", lead, colon)
    first = plain.find("/", lead, colon)
    candidates = []
    if first != slash:  # keep the first folder: kato/…/NAME.md
        candidates.append(_cut(where, 0,  first + 1) + _like(where, first + 1, ELLIPSIS) + _cut(where, slash, None))
    name_at = slash + 1 if slash >= 0 else lead
    if slash >= 0:
        candidates.append(_cut(where, 0, lead) + _like(where, lead, ELLIPSIS) + _cut(where, slash, None))
        candidates.append(_cut(where, 0, lead) + _cut(where, name_at, None))
    for candidate in candidates:
        if candidate.cell_len <= room:
            return candidate
    name = plain[name_at:colon]
    fixed = lead + cell_len(plain[colon:])
    keep = room - fixed - 1
    if keep < 4:
        return _cut(where, 0, room)
    front = max(1, keep // 3)
    back = keep - front
    cut = _cut(where, 0, lead) + _cut(where, name_at, name_at + front) + _like(where, name_at + front, ELLIPSIS)
    return cut + _cut(where, colon - back, colon) + _cut(where, colon, None)


WHERE_FROM = 64  # cells of a row from which its file keeps room (a third) however long the rest


def fit_label(text: Text, width: int) -> Text:
    """A one-line row label in ``width`` cells. A row with a :data:`WHERE` part (its file) keeps
    that part, shortened only as far as it must (it gets at least a third of a row of
    :data:`WHERE_FROM` cells or more when the rest is long; in a narrower row, what the rest
    leaves); the text before it is cut at its end with "…"."""
    if text.cell_len <= width or width <= 0:
        return text
    found = _where_span(text)
    if found is None:  # no file in the row: its end is cut with "…" (a list would clip it unseen)
        cut = _cut(text, 0, None)
        cut.truncate(width, overflow="ellipsis")
        return cut
    start, end = found
    if end < len(text.plain):  # the file leads the row (a file's row: path, kind, progress)
        head, where, rest = _cut(text, 0, start), _cut(text, start, end), _cut(text, end, None)
        room = width - head.cell_len
        if room < 10:
            return text
        if where.cell_len > room:
            where = _short_where(where, room)
        left = room - where.cell_len
        if rest.cell_len > left:
            rest.truncate(left, overflow="ellipsis")
        return head + where + rest
    head, where = _cut(text, 0, start), _cut(text, start, None)
    room = max(width - head.cell_len, min(where.cell_len, width // 3) if width >= WHERE_FROM else 0)
    if room < 10:  # a narrow list: the title first (the detail pane's heading names the file)
        head.truncate(width, overflow="ellipsis")
        return head
    if where.cell_len > room:
        where = _short_where(where, room)
    head_room = width - where.cell_len
    if head_room <= 0:
        return _cut(where, 0, width)
    if head.cell_len > head_room:
        head.truncate(head_room, overflow="ellipsis")
        plain = head.plain
        if plain.endswith(" " + ELLIPSIS):
            end = len(plain[:-1].rstrip())
            head = _cut(head, 0, end)
            if not plain.endswith("  " + ELLIPSIS):  # cut after a word: "for…"; after a part (the title): that part, whole
                head += _like(head, end - 1, ELLIPSIS)
    return head + where


def progress_parts(done: int, total: int, width: int = BAR_WIDTH) -> list[Part]:
    if total <= 0:
        return []
    style = "green" if done == total else ("yellow" if done else "dim")
    return [(bar(done, total, width), style), (f" {done}/{total}", "dim" if done < total else "green")]


def progress_text(done: int, total: int, width: int = BAR_WIDTH) -> Text:
    return fast_text(*progress_parts(done, total, width))


def box_part(state: str) -> Part:
    """The checkbox as a person reads it: ``[ ]``, ``[x]``, or the raw other state."""
    if state == DONE:
        return ("[x]", "bold green")
    if state == OPEN:
        return ("[ ]", "bold")
    return (box_shown(state), "bold magenta")  # "[✅]", "[🚧]": by its type (planner.model.states)


def box(state: str) -> Text:
    return fast_text(box_part(state))


def priority_part(priority: str | None) -> Part:
    if not priority:
        return ("  ", "")
    return (priority, PRIORITY_STYLES.get(priority, ""))


def clean(text: str) -> str:
    """One line of display text: mojibake repaired, inline Markdown shown as it reads (``**x**`` is
    ``x``), whitespace collapsed, terminal-safe, bounded."""
    return shown(display_text(plain_inline(text[: MAX_LABEL * 4])))


def counts(tasks: Iterable[Task]) -> tuple[int, int]:
    """(done, total) of the work among ``tasks``, as the queues' progress counts it: cancelled
    and deferred on neither side; in progress open; ``[✅]`` done."""
    done = total = 0
    for task in tasks:
        kind = task.status_type
        if kind in _COUNTED:
            total += 1
            done += kind == DONE_TYPE
    return done, total


_COUNTED = frozenset({TODO, IN_PROGRESS, DONE_TYPE})


def task_counts(document: Document) -> tuple[int, int]:
    return counts(document.tasks)


def section_counts(document: Document, section: int) -> tuple[int, int]:
    return counts(document.tasks_under(section))


@dataclass(frozen=True)
class SourceText:
    """The decoded lines of a file at one digest, for the detail pane."""

    digest: str
    lines: list[str]


def decode_lines(data: bytes) -> list[str]:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return _NEWLINE.split(data.decode("utf-8", errors="replace"))


def excerpt(lines: list[str], first: int, last: int, limit: int = DETAIL_MAX_LINES, chars: int = MAX_DETAIL) -> str:
    """Lines ``first``..``last`` (1-based, inclusive), repaired for display and terminal-safe,
    at most ``limit`` lines and ``chars`` characters: a long line is cut, saying how much
    is left out (a 10 MB line renders as fast as a short one)."""
    first = max(first, 1)
    last = min(last, len(lines))
    chosen = lines[first - 1 : min(last, first - 1 + limit)]
    parts: list[str] = []
    room = chars
    note = ""
    for line in chosen:
        if len(line) > room:
            parts.append(repair(line[:room]))
            note = f"\n\n*… ({len(line) - room:,} more characters; press `e` to open the file)*"
            break
        parts.append(repair(line))
        room -= len(line) + 1
    text = "\n".join(parts) + note
    if not note and last - first + 1 > limit:
        text += f"\n\n*… {last - first + 1 - limit} more lines (press `e` to open the file)*"
    return screen_text(text, lines=True)
