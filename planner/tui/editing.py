"""Editing from the keyboard: every key that changes a file hands its writer call to the controller.

The controller runs the call through the workspace (one step of its history: one ``u``,
``ctrl+r`` redoes it), first with a lock wait too short to notice; when another process
holds the folder's lock it waits in a thread, so the screen never freezes. The prompts —
a line of text, a priority key, a section picker — are modal screens; what they show from
files is data (``Content``), never markup.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from planner.safe_text import screen_text
from planner.tui.widgets.safe import SafeStatic

if TYPE_CHECKING:
    from planner.model.document import Document
    from planner.tui.app import PlannerApp
    from planner.writer.patch import Edit

# How long an edit from a key may wait for the folder lock on the event loop (seconds).
QUICK_LOCK_WAIT = 0.05


class EditController:
    def __init__(self, app: PlannerApp) -> None:
        self.app = app

    def perform(self, description: str, make: Callable[[], object], paths: set[str]) -> bool:
        """Run ``make`` (a writer call) as one step; True when it was written now."""
        from planner.writer.patch import EditError, LockBusy, lock_wait  # noqa: PLC0415

        workspace = self.app.workspace
        if workspace is None:
            return False
        try:
            with lock_wait(QUICK_LOCK_WAIT):
                edits = workspace.apply(make, paths)
        except LockBusy:
            self.app.notify("another process holds the folder's lock: waiting for it…", timeout=3, markup=False)
            self.app.run_worker(lambda: self._in_thread(description, make, paths), thread=True, group="edits")
            return False
        except EditError as err:
            self.refused(str(err), paths)
            return False
        except Exception as err:  # noqa: BLE001 - never crash on user data; the writer wrote nothing or all
            self.refused(f"not written ({type(err).__name__}: {err})", paths)
            return False
        self.done(edits, description)
        return True

    def perform_each(self, description: str, targets: list[tuple[Document, object]], change: Callable[[Document, object], object]) -> bool:
        """Apply ``change`` to every target task as one step (one ``u``); a refusal stops there,
        and what was written before it stays in the step."""
        from planner.writer.patch import EditError, lock_wait  # noqa: PLC0415

        workspace = self.app.workspace
        if workspace is None:
            return False
        paths = {document.path for document, _ in targets}
        count = len(workspace.history)
        try:
            with lock_wait(QUICK_LOCK_WAIT * 20):
                workspace.apply_each(targets, change)  # type: ignore[arg-type]
        except EditError as err:
            made = workspace.history[count:]
            if made:
                self.app.edits_made(made, f"{description}: {len(made)} of {len(targets)}")
            self.refused(str(err), paths)
            return False
        self.done(workspace.history[count:], f"{description} ({len(targets)} tasks)")
        return True

    def _in_thread(self, description: str, make: Callable[[], object], paths: set[str]) -> None:
        from planner.writer.patch import EditError  # noqa: PLC0415

        workspace = self.app.workspace
        assert workspace is not None
        try:
            edits = workspace.apply(make, paths)
        except EditError as err:
            self.app.call_from_thread(self.refused, str(err), paths)
        except Exception as err:  # noqa: BLE001
            self.app.call_from_thread(self.refused, f"not written ({type(err).__name__}: {err})", paths)
        else:
            self.app.call_from_thread(self.done, edits, description)

    def refused(self, message: str, paths: set[str]) -> None:
        self.app.notify(message, title="not written", severity="error", timeout=8, markup=False)
        self.app.changed(paths)

    def done(self, edits: list[Edit], description: str) -> None:
        self.app.edits_made(edits, description)
        self.app.changed({e.path for e in edits})


# -- prompts ------------------------------------------------------------------------------------


class TextPrompt(ModalScreen[str | None]):
    """One line of text: Enter gives it, Escape gives None."""

    DEFAULT_CSS = """
    TextPrompt { align: center middle; }
    TextPrompt > Vertical { width: 80%; max-width: 100; height: auto; border: round $accent; background: $surface; padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, value: str = "", placeholder: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.value = value
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical():
            yield SafeStatic(self.title_text)
            yield Input(value=self.value, placeholder=self.placeholder, select_on_focus=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class KeyPrompt(ModalScreen[str | None]):
    """A question answered by one key of ``keys``; any other key (Escape) gives None."""

    DEFAULT_CSS = """
    KeyPrompt { align: center middle; }
    KeyPrompt > SafeStatic { width: auto; max-width: 90%; border: round $accent; background: $surface; padding: 0 1; }
    """

    def __init__(self, question: str, keys: dict[str, str]) -> None:
        super().__init__()
        self.question = question
        self.keys = keys

    def compose(self) -> ComposeResult:
        choices = "  ".join(f"{key} {what}" for key, what in self.keys.items())
        yield SafeStatic(f"{self.question}   {choices}   (esc: cancel)")

    def on_key(self, event: object) -> None:
        key = getattr(event, "character", None) or getattr(event, "key", "")
        getattr(event, "stop", lambda: None)()
        self.dismiss(key if key in self.keys else None)


@dataclass(frozen=True)
class Place:
    """Where a task can go: a document and one of its sections (None: the top), or a new section."""

    path: str
    section: int | None
    create: str | None = None


class SectionPicker(ModalScreen[Place | None]):
    """Type to narrow (fuzzy) the headings of every document; Enter picks one. The last row
    offers to create the typed section in the current document."""

    DEFAULT_CSS = """
    SectionPicker { align: center middle; }
    SectionPicker > Vertical { width: 90%; max-width: 120; height: 70%; border: round $accent; background: $surface; }
    SectionPicker OptionList { height: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("down", "move(1)", "Down", show=False),
        Binding("up", "move(-1)", "Up", show=False),
    ]
    LIMIT = 200

    def __init__(self, title: str, documents: list[Document], relative: Callable[[str], str], here: str) -> None:
        super().__init__()
        self.title_text = title
        self.here = here
        self.entries: list[tuple[str, Place]] = []
        for document in documents:
            name = relative(document.path)
            self.entries.append((name, Place(document.path, None)))
            for section in document.sections:
                labels = " › ".join(document.section_labels(section.index))
                self.entries.append((f"{name} › {labels}", Place(document.path, section.index)))
        self.shown: list[Place] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield SafeStatic(self.title_text)
            yield Input(placeholder="type to find a section (fuzzy)")
            yield OptionList()

    def on_mount(self) -> None:
        self._fill("")

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def _fill(self, query: str) -> None:
        from textual.fuzzy import Matcher  # noqa: PLC0415

        options = self.query_one(OptionList)
        options.clear_options()
        wanted = " ".join(query.lower().split())
        matcher = Matcher(query) if wanted else None

        def score(text: str) -> float:
            """A heading that holds the words first, then a path that does, then fuzzy matches."""
            if matcher is None:
                return 1.0
            lowered = text.lower()
            if wanted in lowered.rsplit(" › ", 1)[-1]:
                return 3.0 - len(text) / 10_000
            if wanted in lowered:
                return 2.0 - len(text) / 10_000
            return matcher.match(text)

        scored = [(score(text), text, place) for text, place in self.entries]
        scored = [item for item in scored if item[0] > 0]
        scored.sort(key=lambda item: -item[0])
        self.shown = []
        rows = []
        for _, text, place in scored[: self.LIMIT]:
            rows.append(Option(Content(screen_text(text[:400]))))
            self.shown.append(place)
        if query.strip():
            rows.append(Option(Content(screen_text(f"+ create the section '{query.strip()[:200]}' at the end of this document"))))
            self.shown.append(Place(self.here, None, create=query.strip()))
        options.add_options(rows)
        if rows:
            options.highlighted = 0

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            options.highlighted = max(0, min(options.option_count - 1, (options.highlighted or 0) + step))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        index = self.query_one(OptionList).highlighted
        self.dismiss(self.shown[index] if index is not None and index < len(self.shown) else None)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.shown[event.option_index])

    def action_cancel(self) -> None:
        self.dismiss(None)
