"""The frame around every screen: the screen tabs on top, the status line and filter bar below."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Label, ProgressBar

from planner.tui.widgets.safe import SafeStatic

SCREENS: tuple[tuple[str, str, str], ...] = (
    ("focus", "1", "Daily Focus"),
    ("options", "2", "Sprint Options"),
    ("queues", "3", "Priority Queues"),
    ("documents", "4", "Documents"),
    ("agenda", "5", "Agenda"),
)


class ScreenTab(Label):
    """One clickable tab; the key that switches to it is shown in front."""

    def __init__(self, mode: str, key: str, title: str, active: bool) -> None:
        label = Text.assemble((f" {key} ", "bold"), f"{title} ")
        super().__init__(label, classes="screen-tab -active" if active else "screen-tab")
        self.mode = mode

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.app.switch_mode(self.mode)


class ScreenTabs(Horizontal):
    DEFAULT_CSS = """
    ScreenTabs { height: 1; background: $panel; }
    ScreenTabs > .screen-tab { padding: 0; margin-right: 1; color: $text-muted; }
    ScreenTabs > .screen-tab:hover { color: $text; background: $boost; }
    ScreenTabs > .screen-tab.-active { color: $text; background: $primary 40%; text-style: bold; }
    ScreenTabs > #app-title { width: 1fr; content-align: right middle; color: $text-muted; padding-right: 1; }
    """

    def __init__(self, current: str) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        for mode, key, title in SCREENS:
            yield ScreenTab(mode, key, title, mode == self.current)
        yield SafeStatic("planner", id="app-title")


class StatusLine(Horizontal):
    """Counts, the filter, the last action; a progress bar while files are loading."""

    DEFAULT_CSS = """
    StatusLine { height: 1; background: $panel; padding: 0 1; }
    StatusLine > #status-text { width: 1fr; height: 1; }
    StatusLine > ProgressBar { width: 40; display: none; }
    StatusLine.-loading > ProgressBar { display: block; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._bar: ProgressBar | None = None

    def compose(self) -> ComposeResult:
        yield SafeStatic("", id="status-text")

    def show(self, text: Text) -> None:
        # One line, whatever it says: new counts need no new layout of the screen (a tick).
        self.query_one("#status-text", SafeStatic).update(text, layout=False)

    def progress(self, done: int, total: int | None) -> None:
        if self._bar is None:
            # Mounted when first needed: four widgets (and their CSS) the first frame can do without.
            self._bar = ProgressBar(total=None, show_eta=False, id="load-progress")
            self.mount(self._bar)
        self.set_class(True, "-loading")
        self._bar.update(total=total, progress=done)

    def done_loading(self) -> None:
        self.set_class(False, "-loading")


class FilterBar(Input):
    """``/`` opens it; typing narrows every screen; ``enter`` keeps the filter, ``escape`` clears it."""

    DEFAULT_CSS = """
    FilterBar { display: none; border: none; height: 1; padding: 0 1; background: $boost; }
    FilterBar.-open { display: block; }
    FilterBar:focus { border: none; }
    """

    class Done(Message):
        def __init__(self, cleared: bool) -> None:
            super().__init__()
            self.cleared = cleared

    def __init__(self) -> None:
        super().__init__(placeholder="filter: words, \"a phrase\", -word, #tag, p:P0, state:open, due:<7d, file:name (enter keeps, escape clears)", id="filter")

    def open(self, value: str) -> None:
        self.set_class(True, "-open")
        if self.value != value:
            self.value = value
        # Focused now, not by a callback queued behind the keys already typed: "/state:open" in
        # one burst goes into the bar, and its "s" never reaches the list (where it sets a state).
        self.screen.set_focus(self)
        self.cursor_position = len(self.value)

    def close(self) -> None:
        self.set_class(False, "-open")

    def _on_key(self, event: events.Key) -> None:
        if event.key == "escape":
            event.stop()
            event.prevent_default()
            self.value = ""
            self.post_message(self.Done(cleared=True))

    async def action_submit(self) -> None:  # enter
        self.post_message(self.Done(cleared=False))
