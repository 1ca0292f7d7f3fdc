"""The key bar at the bottom of every screen: the keys that work here, and what they do.

It shows what Textual's ``Footer`` shows (the screen's active bindings with ``show``,
one per action, disabled ones dimmed, the command palette key on the right) and reacts
to a click the same way (it presses the key). ``Footer`` mounts a widget per key and
recomposes them all whenever the bindings change — three times before the first frame,
about a tenth of a second of a start that should take well under a second. This is one
widget that draws one line of text.
"""

from __future__ import annotations

from typing import ClassVar, NamedTuple

from rich.style import Style
from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget


class KeyHint(NamedTuple):
    key: str  # the key to press (what a click simulates)
    display: str  # how the key is written: "space/x", "^p"
    description: str
    enabled: bool
    tooltip: str


class KeyBar(Widget):
    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "key-bar--key",
        "key-bar--description",
        "key-bar--hover",
        "key-bar--separator",
    }
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        text-wrap: nowrap;
        .key-bar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .key-bar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        .key-bar--hover {
            color: $footer-key-foreground;
            background: $block-hover-background;
        }
        .key-bar--separator {
            color: $foreground 20%;
        }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._hints: list[KeyHint] | None = None  # None: read the bindings at the next render
        self._palette: KeyHint | None = None
        self._spans: list[tuple[int, int, KeyHint]] = []  # cells each hint covers, as last drawn
        self._hover: KeyHint | None = None

    # -- what to show -------------------------------------------------------------------

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if screen is self.screen and self.app.app_focus:
            self._hints = None
            self.refresh()

    def _read_bindings(self) -> None:
        app = self.app
        active = self.screen.active_bindings
        by_action: dict[str, KeyHint] = {}  # the first key bound to an action speaks for it
        for _, binding, enabled, tooltip in active.values():
            if binding.show and binding.action not in by_action:
                by_action[binding.action] = KeyHint(
                    binding.key, app.get_key_display(binding), binding.description, enabled, tooltip
                )
        self._hints = list(by_action.values())
        self._palette = None
        if app.ENABLE_COMMAND_PALETTE and app.COMMAND_PALETTE_BINDING in active:
            _, binding, enabled, tooltip = active[app.COMMAND_PALETTE_BINDING]
            self._palette = KeyHint(binding.key, app.get_key_display(binding), binding.description, enabled, tooltip)

    # -- drawing ------------------------------------------------------------------------

    def render(self) -> Text:
        if self._hints is None:
            self._read_bindings()
        key_style = self.get_component_rich_style("key-bar--key", partial=True)
        description_style = self.get_component_rich_style("key-bar--description", partial=True)
        hover_style = self.get_component_rich_style("key-bar--hover", partial=True)
        width = self.size.width
        line = Text(no_wrap=True, end="")
        spans: list[tuple[int, int, KeyHint]] = []

        def add(hint: KeyHint, key: str, description: str) -> None:
            start = line.cell_len
            line.append(key, key_style)
            line.append(description, description_style)
            if not hint.enabled:
                line.stylize(Style(dim=True), start)
            if hint == self._hover:
                line.stylize(hover_style, start)
            spans.append((start, line.cell_len, hint))

        palette = self._palette
        right = 0 if palette is None else len(palette.display) + len(palette.description) + 3
        room = max(0, width - right)  # "▏" key " " description " " of the palette on the right
        for hint in self._hints or ():
            # a hint that does not fit whole is left out, never cut mid-word (^p lists every key)
            if line.cell_len + len(hint.display) + len(hint.description) + 3 <= room:
                add(hint, f" {hint.display} ", f"{hint.description} ")
        if palette is not None:
            line.truncate(room, pad=True)
            line.append("▏", self.get_component_rich_style("key-bar--separator"))
            add(palette, palette.display, f" {palette.description} ")
        self._spans = spans
        return line

    # -- the mouse ----------------------------------------------------------------------

    def _hint_at(self, x: int) -> KeyHint | None:
        for start, end, hint in self._spans:
            if start <= x < end:
                return hint
        return None

    def on_mouse_move(self, event: events.MouseMove) -> None:
        hint = self._hint_at(event.x)
        if hint != self._hover:
            self._hover = hint
            self.tooltip = (hint.tooltip or None) if hint is not None else None
            self.refresh()

    def on_leave(self, event: events.Leave) -> None:
        if self._hover is not None:
            self._hover = None
            self.tooltip = None
            self.refresh()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        hint = self._hint_at(event.x)
        if hint is None:
            return
        if hint.enabled:
            self.app.simulate_key(hint.key)
        else:
            self.app.bell()
