"""The detail pane: the selected section's Markdown, rendered, with where it comes from.

The Markdown is rendered by Rich into one Static (Textual's Markdown widget mounts one
widget per block, which costs hundreds of milliseconds on a long section). Requests are
debounced: moving the cursor quickly renders only where it comes to rest.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import rich.text
from rich import _wrap as _rich_wrap
from rich._loop import loop_last
from rich.cells import cell_len, chop_cells
from rich.segment import Segment, Segments
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.timer import Timer

from planner.safe_text import screen_text
from planner.tui.present import MAX_DETAIL
from planner.tui.widgets.safe import SafeStatic

DEBOUNCE = 0.06
_PATH_PIECE = re.compile(r"[^/]*/+|[^/]+")


def fold_word(word: str, width: int) -> list[str]:
    """``word`` (longer than ``width`` cells) in lines of at most ``width`` cells, broken after
    a ``/`` where it has one (``kato/workers/`` | ``memory_manager.py``), else where it must."""
    lines: list[str] = []
    line = ""
    for piece in _PATH_PIECE.findall(word):
        if line and cell_len(line + piece.rstrip()) > width:
            lines.append(line)
            line = ""
        line += piece
        while cell_len(line.rstrip()) > width:  # one piece wider than a line: cut it
            head, *_ = chop_cells(line, width)
            lines.append(head)
            line = line[len(head) :]
    if line or not lines:
        lines.append(line)
    return lines


def divide_line(text: str, width: int, fold: bool = True) -> list[int]:
    """Rich's ``divide_line`` (where a paragraph's lines break), except that a word too long
    for a line folds after a ``/`` rather than mid-name."""
    breaks: list[int] = []
    offset = 0
    for start, _end, word in _rich_wrap.words(text):
        length = cell_len(word.rstrip())
        if width - offset >= length:
            offset += cell_len(word)
        elif length > width and fold:
            for last, line in loop_last(fold_word(word, width)):
                if start:
                    breaks.append(start)
                if last:
                    offset = cell_len(line)
                else:
                    start += len(line)
        elif offset and start:
            breaks.append(start)
            offset = cell_len(word)
        elif length > width:  # not folding: Rich crops it
            if start:
                breaks.append(start)
            offset = cell_len(word)
    return breaks


@contextmanager
def paths_fold_at_slashes() -> Iterator[None]:
    """Rich wraps with :func:`divide_line` above while the detail pane renders (on the event
    loop's thread, which is the only one that renders); Rich's own everywhere else."""
    original = getattr(rich.text, "divide_line", None)
    if original is None:  # another Rich: its own wrapping
        yield
        return
    rich.text.divide_line = divide_line
    try:
        yield
    finally:
        rich.text.divide_line = original


@dataclass(frozen=True)
class DetailRequest:
    key: tuple[object, ...]  # what is shown: same key → nothing to do
    heading: Text
    markdown: str


class DetailPane(VerticalScroll):
    """Shows one :class:`DetailRequest` at a time; rapid requests collapse into the last one."""

    DEFAULT_CSS = """
    DetailPane { padding: 0 1; }
    DetailPane > #detail-heading { color: $text-muted; margin-bottom: 1; }
    DetailPane > #detail-body { width: 1fr; }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._shown: tuple[object, ...] | None = None
        self._pending: DetailRequest | None = None
        self._timer: Timer | None = None
        self._request: DetailRequest | None = None
        self._rendered_width = 0
        self._rendered_heading = 0  # the heading's height the body was rendered beside
        self._rendered_theme = ""

    def compose(self) -> ComposeResult:
        yield SafeStatic(Text("Nothing selected", style="dim"), id="detail-heading")
        yield SafeStatic("", id="detail-body")

    def request(self, request: DetailRequest | None, *, now: bool = False) -> None:
        if request is None:
            request = DetailRequest(("empty",), Text("Nothing selected", style="dim"), "")
        if request.key == self._shown and self._pending is None:
            return
        self._pending = request
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if now:
            self._apply()
        else:
            self._timer = self.set_timer(DEBOUNCE, self._apply)

    def forget(self) -> None:
        """The underlying text may have changed: show the next request even if its key is the same."""
        self._shown = None

    def _apply(self) -> None:
        request, self._pending, self._timer = self._pending, None, None
        if request is None:
            return
        previous = self._request
        self._shown = request.key
        self._request = request
        self.query_one("#detail-heading", SafeStatic).update(request.heading)
        if (
            previous is None
            or previous.markdown != request.markdown
            or self._heading_height(self._rendered_width) != self._rendered_heading
            or self._rendered_theme != self.app.theme
        ):
            self._render_body()  # else the same section, already rendered (another line of it)
        self.scroll_home(animate=False)

    def _render_body(self) -> None:
        """Render the Markdown once, at the pane's width, into plain segments: Textual lays
        out and paints the pane several times, and re-parsing Markdown each time is slow."""
        request = self._request
        body = self.query_one("#detail-body", SafeStatic)
        if request is None or not request.markdown.strip():
            body.styles.height = "auto"
            body.update("")
            return
        # Imported on first use: rich.markdown brings in the whole markdown-it parser, which
        # the first frame does not need.
        from rich.markdown import Markdown  # noqa: PLC0415

        console = self.app.console
        markdown = request.markdown
        if len(markdown) > MAX_DETAIL + 1_000:  # excerpt() bounds it already; whatever else comes is bounded here
            markdown = markdown[:MAX_DETAIL] + f"\n\n*… ({len(markdown) - MAX_DETAIL:,} more characters)*"
        # Made safe before Markdown sees it: no escape sequence reaches the rendered segments.
        renderable = Markdown(screen_text(markdown, lines=True), hyperlinks=False)
        # Wrapped for the width really there: the whole width, or less the scrollbar when the
        # text is taller than the pane (the scrollbar then takes its columns, and lines wrapped
        # for the whole width lost their last characters under it).
        width = self._body_width(scrollbar=False)
        with paths_fold_at_slashes():
            lines = console.render_lines(renderable, console.options.update_width(width), pad=False)
            if self._heading_height(width) + len(lines) > self.scrollable_content_region.height:
                width = self._body_width(scrollbar=True)
                lines = console.render_lines(renderable, console.options.update_width(width), pad=False)
        self._rendered_width = width
        self._rendered_heading = self._heading_height(width)
        self._rendered_theme = self.app.theme
        segments: list[Segment] = []
        for line in lines:
            segments.extend(line)
            segments.append(Segment.line())
        # Exactly these lines: Textual measured the Segments short when a line had wrapped
        # (the last lines of the section were not shown). As many as before: no new layout.
        same_height = body.styles.height is not None and body.styles.height.is_cells and body.styles.height.value == len(lines)
        body.update(Segments(segments[:-1]), layout=not same_height)
        body.styles.height = len(lines)

    def _body_width(self, *, scrollbar: bool) -> int:
        width = self.content_region.width - (self.styles.scrollbar_size_vertical if scrollbar else 0)
        return max(width, 20)

    def _heading_height(self, width: int) -> int:
        heading = self._request.heading if self._request is not None else Text()
        return len(heading.wrap(self.app.console, width)) + 1  # its margin below

    def on_resize(self) -> None:
        self._check_width()

    def watch_show_vertical_scrollbar(self) -> None:
        """The scrollbar came or went (the heading changed height, say): wrap for the new width."""
        self.call_after_refresh(self._check_width)

    def _check_width(self) -> None:
        if self._request is not None and max(self.scrollable_content_region.width, 20) != self._rendered_width:
            self._render_body()
