"""The text widgets planner shows file text in: never markup, never raw control characters.

:class:`SafeStatic` stands in for Textual's ``Static`` everywhere in planner: a ``str`` is
literal text (Textual would parse ``[@click=app.quit]`` or ``[/]`` as markup and crash or
run it), and any text is made terminal-safe and bounded (:func:`planner.tui.present.safe_text`).
The list widgets (:mod:`planner.tui.widgets.lists`) and the app's ``notify`` do the same, so a
string from a file is safe whichever of them it reaches.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import Static

from planner.safe_text import screen_text
from planner.tui.present import MAX_DETAIL, safe_text


def safe_content(content: Any, *, lines: bool = True, limit: int = MAX_DETAIL) -> Any:
    """``content`` for a widget: strings and Rich Text made literal, terminal-safe and bounded;
    anything else (Segments already made from safe text, a widget's own renderables) as it is."""
    if isinstance(content, str):  # literal: SafeStatic never parses markup
        if len(content) > limit:
            content = content[: limit - 1] + "…"
        return screen_text(content, lines=lines)
    if isinstance(content, Text):
        return safe_text(content, lines=lines, limit=limit)
    return content


def _same(a: Any, b: Any) -> bool:
    """Whether two contents draw the same: equal strings, or Rich Texts alike in every attribute."""
    if type(a) is not type(b):
        return False
    if isinstance(a, str):
        return a == b  # type: ignore[no-any-return]
    if isinstance(a, Text):
        attributes = ("style", "justify", "overflow", "no_wrap", "end", "tab_size")
        return a == b and all(getattr(a, name) == getattr(b, name) for name in attributes)
    return False


class SafeStatic(Static):
    def __init__(self, content: Any = "", **kwargs: Any) -> None:
        kwargs["markup"] = False
        self._shown: Any = safe_content(content)
        super().__init__(self._shown, **kwargs)

    def update(self, content: Any = "", *, layout: bool = True) -> None:
        safe = safe_content(content)
        if _same(safe, self._shown):
            return  # the same text again (a tick elsewhere): no repaint, no new layout
        self._shown = safe
        if layout and self._height_holds(safe):
            layout = False  # new counts in a header: the same lines, no new layout of the screen
        super().update(safe, layout=layout)

    def lines_for(self, content: Any) -> int | None:
        """How many lines ``content`` takes at this widget's width; None before it has one."""
        width = self.content_region.width if self.is_mounted else 0
        if not width or not isinstance(content, (str, Text)):
            return None
        from textual.visual import visualize  # noqa: PLC0415

        return visualize(self, safe_content(content), markup=False).get_height(self.styles, width)

    def _height_holds(self, content: Any) -> bool:
        """Whether a layout would give this widget the same size and scrollbars with ``content``:
        it takes exactly the lines the widget has now at its width (which its content does not
        set), or the widget's height is not its content's and ``content`` fits in it."""
        if not self.is_mounted or not isinstance(content, (str, Text)):
            return False
        width = self.styles.width  # None: the width of its container, as a fraction
        if width is not None and width.is_auto:
            return False
        size = self.content_region.size
        if not size.width or not size.height or self.show_vertical_scrollbar:
            return False  # a scrollbar that may have to go
        from textual.visual import visualize  # noqa: PLC0415

        lines = visualize(self, content, markup=False).get_height(self.styles, size.width)
        if lines == size.height:
            return True
        height = self.styles.height
        # A height that is the container's share, not the content's (an option card), holds
        # while the content fits: no scrollbar comes.
        return height is not None and not height.is_auto and lines < size.height
