"""The detail pane: the selected section's Markdown, rendered, with where it comes from.

The Markdown is rendered by Rich into one Static (Textual's Markdown widget mounts one
widget per block, which costs hundreds of milliseconds on a long section). Requests are
debounced: moving the cursor quickly renders only where it comes to rest.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment, Segments
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.timer import Timer

from planner.safe_text import terminal_safe
from planner.tui.present import MAX_DETAIL
from planner.tui.widgets.safe import SafeStatic

DEBOUNCE = 0.06


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
        self._shown = request.key
        self._request = request
        self.query_one("#detail-heading", SafeStatic).update(request.heading)
        self._render_body()
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

        width = max(self.scrollable_content_region.width, 20)
        self._rendered_width = width
        console = self.app.console
        markdown = request.markdown
        if len(markdown) > MAX_DETAIL + 1_000:  # excerpt() bounds it already; whatever else comes is bounded here
            markdown = markdown[:MAX_DETAIL] + f"\n\n*… ({len(markdown) - MAX_DETAIL:,} more characters)*"
        # Made safe before Markdown sees it: no escape sequence reaches the rendered segments.
        markdown = terminal_safe(markdown, lines=True)
        lines = console.render_lines(Markdown(markdown, hyperlinks=False), console.options.update_width(width), pad=False)
        segments: list[Segment] = []
        for line in lines:
            segments.extend(line)
            segments.append(Segment.line())
        body.update(Segments(segments[:-1]))
        # Exactly these lines: Textual measured the Segments short when a line had wrapped
        # (the last lines of the section were not shown).
        body.styles.height = len(lines)

    def on_resize(self) -> None:
        if self._request is not None and max(self.scrollable_content_region.width, 20) != self._rendered_width:
            self._render_body()
