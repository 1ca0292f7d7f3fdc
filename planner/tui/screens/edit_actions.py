"""The editing keys every screen shares: add, text, state, priority, dates, move, archive.

Each acts on what the screen shows under the cursor when the key is handled, asks what it
needs (a prompt, a key, a section) and hands the writer call to the app's
:class:`~planner.tui.editing.EditController`. Bindings carry ids, so a ``[keymap]`` table in
the config can move them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual.binding import Binding, BindingType

from planner.tui.editing import KeyPrompt, Place, SectionPicker, TextPrompt

if TYPE_CHECKING:
    from planner.model.document import Document, Task

EDIT_BINDINGS: list[BindingType] = [
    Binding("a", "add", "Add", id="add"),
    Binding("A", "add_to", "Add to…", show=False, id="add_to"),
    Binding("n", "capture", "Capture", show=False, id="capture"),
    Binding("i", "edit_text", "Text", id="edit_text"),
    Binding("s", "cycle_state", "State", id="cycle_state"),
    Binding("minus", "set_state('cancelled')", "Cancel", show=False, id="cancel"),
    Binding("greater_than_sign", "set_state('deferred')", "Defer", show=False, id="defer"),
    Binding("p", "priority", "Priority", show=False, id="priority"),
    Binding("d", "date('due')", "Due", show=False, id="due"),
    Binding("D", "date('scheduled')", "Scheduled", show=False, id="scheduled"),
    Binding("m", "move", "Move", show=False, id="move"),
    Binding("X", "archive", "Archive", show=False, id="archive"),
    Binding("v", "mark", "Mark", show=False, id="mark"),
    Binding("shift+down", "mark_and_move(1)", "Mark and down", show=False, id="mark_down"),
    Binding("shift+up", "mark_and_move(-1)", "Mark and up", show=False, id="mark_up"),
]
MARK = "● "
# open → in progress → done → open, as `s` cycles (other states start the cycle again)
NEXT_STATE = {"open": "in-progress", "/": "done", "done": "open"}
STATE_WORDS = {"open": "open", "/": "in progress", "done": "done", "-": "cancelled", ">": "deferred"}


class EditActions:
    """Mixed into :class:`~planner.tui.screens.base.PlannerScreen`."""

    BINDINGS: ClassVar[list[BindingType]] = EDIT_BINDINGS
    planner: Any
    app: Any
    # Marked tasks (v, shift+arrows): (file, line) → the task as it was marked. State, priority,
    # date, move and tick keys act on all of them as one step; the marks go after that.
    marked: dict[tuple[str, int], tuple[Document, Task]]

    # -- marks ---------------------------------------------------------------------------

    def action_mark(self) -> None:
        target = self._target()
        if target is None:
            return
        marks = self.__dict__.setdefault("marked", {})
        document, task = target
        key = (document.path, task.line)
        if key in marks:
            del marks[key]
            self.show_mark(False)
        else:
            marks[key] = target
            self.show_mark(True)
        self.planner.notify(f"{len(marks)} marked: s - > p d m and space act on all of them (escape clears)", timeout=3)

    def action_mark_and_move(self, step: int) -> None:
        target = self.current_task()
        marks = self.__dict__.setdefault("marked", {})
        if not isinstance(target, str) and (target[0].path, target[1].line) not in marks:
            marks[(target[0].path, target[1].line)] = target
            self.show_mark(True)
        self.main_cursor_move(step)

    def clear_marks(self) -> bool:
        marks = self.__dict__.get("marked")
        if not marks:
            return False
        marks.clear()
        self.planner.version += 1  # rows are drawn again, without marks
        getattr(self, "sync", lambda **_: None)(force=True)
        return True

    def _marked_targets(self) -> list[tuple[Document, Task]]:
        return list(self.__dict__.get("marked", {}).values())

    def _each(self, description: str, change: Any) -> bool:
        """Apply ``change`` to the marked tasks as one step, when there are marks."""
        targets = self._marked_targets()
        if not targets:
            return False
        self.clear_marks()
        self.planner.editor.perform_each(description, targets, change)
        return True

    # -- where ---------------------------------------------------------------------------

    def current_task(self) -> tuple[Document, Task] | str:  # provided by the screen
        raise NotImplementedError

    def current_place(self) -> tuple[Document, int | None] | str:
        """The document and section a new task goes to: the selected task's section."""
        target = self.current_task()
        if isinstance(target, str):
            return "select a task (or, on Documents, a section) to add beside it"
        document, task = target
        return document, task.heads if task.kind == "heading" and task.heads is not None else task.section

    def _target(self) -> tuple[Document, Task] | None:
        target = self.current_task()
        if isinstance(target, str):
            self.planner.notify(target, severity="warning", timeout=3)
            return None
        return target

    def _place_name(self, document: Document, section: int | None) -> str:
        name = self.planner.relative(document.path)
        if section is None:
            return name
        return f"{name} › {' › '.join(document.section_labels(section))}"

    # -- add -----------------------------------------------------------------------------

    def action_add(self) -> None:
        place = self.current_place()
        if isinstance(place, str):
            self.planner.notify(place, severity="warning", timeout=3)
            return
        document, section = place
        self._ask_and_add(document, section, None)

    def action_add_to(self) -> None:
        workspace = self.planner.workspace
        if workspace is None:
            return
        documents = list(workspace.documents.values())
        place = self.current_place()
        here = place[0].path if not isinstance(place, str) else (documents[0].path if documents else "")

        def picked(choice: Place | None) -> None:
            if choice is None:
                return
            document = workspace.document(choice.path)
            if document is not None:
                self._ask_and_add(document, choice.section, choice.create)

        self.app.push_screen(SectionPicker("Add a task to which section?", documents, self.planner.relative, here), picked)

    def action_capture(self) -> None:
        """A task into today's daily document, wherever the cursor is."""
        from planner.views.capture import capture_place  # noqa: PLC0415

        workspace = self.planner.workspace
        place = capture_place(list(workspace.documents.values())) if workspace is not None else None
        if place is None:
            self.planner.notify("no daily document to capture into: use a (here) or A (pick a section)", severity="warning")
            return
        self._ask_and_add(place[0], place[1], None)

    def _ask_and_add(self, document: Document, section: int | None, create: str | None) -> None:
        from planner.writer.lines import add_task  # noqa: PLC0415

        where = self._place_name(document, section) if create is None else f"{self.planner.relative(document.path)} › {create} (new)"

        def entered(text: str | None) -> None:
            if text and text.strip():
                self.planner.editor.perform(
                    f"added to {where}", lambda: add_task(document, section, text, create=create), {document.path}
                )

        self.app.push_screen(TextPrompt(f"New task in {where}"), entered)

    # -- text ----------------------------------------------------------------------------

    def action_edit_text(self) -> None:
        from planner.writer.fields import editable_text, set_text  # noqa: PLC0415
        from planner.writer.patch import EditError, read_file  # noqa: PLC0415

        target = self._target()
        if target is None:
            return
        document, task = target
        try:
            current = editable_text(read_file(document.path), task)
        except EditError as err:
            self.planner.notify(str(err), severity="error", timeout=6)
            return

        def entered(text: str | None) -> None:
            if text is not None and text.strip() and text != current:
                self.planner.editor.perform("text changed", lambda: set_text(document, task, text), {document.path})

        self.app.push_screen(TextPrompt("Task text (its metadata stays as it is)", current), entered)

    # -- state ---------------------------------------------------------------------------

    def action_cycle_state(self) -> None:
        from planner.writer.fields import set_state  # noqa: PLC0415

        def cycle(document: Document, task: Task) -> object:
            state = task.state if task.kind == "checkbox" else ("/" if task.status == "in progress" else task.state)
            return set_state(document, task, NEXT_STATE.get(state, "open"))

        if self._each("state changed", cycle):
            return
        target = self._target()
        if target is None:
            return
        _, task = target
        state = task.state if task.kind == "checkbox" else ("/" if task.status == "in progress" else task.state)
        self._set_state(target, NEXT_STATE.get(state, "open"))

    def action_set_state(self, state: str) -> None:
        from planner.writer.fields import set_state  # noqa: PLC0415

        if self._each(f"now {state}", lambda d, t: set_state(d, t, state)):
            return
        target = self._target()
        if target is not None:
            self._set_state(target, state)

    def _set_state(self, target: tuple[Document, Task], state: str) -> None:
        from planner.writer.fields import set_state  # noqa: PLC0415

        if self._each(f"now {state}", lambda d, t: set_state(d, t, state)):
            return
        document, task = target
        self.planner.editor.perform(f"now {state}", lambda: set_state(document, task, state), {document.path})

    # -- priority ------------------------------------------------------------------------

    def action_priority(self) -> None:
        from planner.writer.fields import set_priority  # noqa: PLC0415

        keys = {"0": "P0", "1": "P1", "2": "P2", "3": "P3", "+": "higher", "-": "lower", "n": "none"}
        if self._marked_targets():

            def answered_all(key: str | None) -> None:
                if key is not None:
                    self._each("priority", lambda d, t: set_priority(d, t, _priority_after(t.priority, key)))

            self.app.push_screen(KeyPrompt(f"Priority of {len(self._marked_targets())} marked tasks:", keys), answered_all)
            return
        target = self._target()
        if target is None:
            return
        document, task = target

        def answered(key: str | None) -> None:
            if key is None:
                return
            level = _priority_after(task.priority, key)
            if level == task.priority and key not in "0123n":
                return
            self.planner.editor.perform(
                f"priority {level or 'none'}", lambda: set_priority(document, task, level), {document.path}
            )

        self.app.push_screen(KeyPrompt("Priority:", keys), answered)

    # -- dates ---------------------------------------------------------------------------

    def action_date(self, kind: str) -> None:
        from planner.writer.fields import current_date, set_date  # noqa: PLC0415
        from planner.writer.patch import EditError, read_file  # noqa: PLC0415
        from planner.writer.when import parse_when  # noqa: PLC0415

        hint = "2026-12-05, today, +1d, +1w, next monday, none"
        if self._marked_targets():

            def entered_all(text: str | None) -> None:
                if text is None or not text.strip():
                    return

                def change(document: Document, task: Task) -> object:
                    spoken = text.strip().lower()
                    base = current_date(read_file(document.path), task, kind)
                    return set_date(document, task, None if spoken in ("none", "-", "clear") else parse_when(text, base), kind)

                self._each(f"{kind} date", change)

            self.app.push_screen(TextPrompt(f"{kind.capitalize()} date of {len(self._marked_targets())} marked tasks ({hint})", "", hint), entered_all)
            return
        target = self._target()
        if target is None:
            return
        document, task = target
        try:
            now = current_date(read_file(document.path), task, kind)
        except EditError as err:
            self.planner.notify(str(err), severity="error", timeout=6)
            return

        def entered(text: str | None) -> None:
            if text is None or not text.strip():
                return
            spoken = text.strip().lower()
            try:
                day = None if spoken in ("none", "-", "clear") else parse_when(text, now)
            except EditError as err:
                self.planner.notify(str(err), severity="error", timeout=6)
                return
            self.planner.editor.perform(
                f"{kind} {day.isoformat() if day else 'cleared'}", lambda: set_date(document, task, day, kind), {document.path}
            )

        self.app.push_screen(TextPrompt(f"{kind.capitalize()} date ({hint})", now.isoformat() if now else "", hint), entered)

    # -- move and archive ----------------------------------------------------------------

    def action_move(self) -> None:
        from planner.writer.lines import move_task  # noqa: PLC0415

        workspace = self.planner.workspace
        marked = self._marked_targets()
        target = marked[0] if marked else self._target()
        if target is None or workspace is None:
            return
        document, task = target

        def picked(choice: Place | None) -> None:
            if choice is None:
                return
            if marked and choice.create is None:
                destination_path = choice.path

                def move_one(source: Document, one: Task) -> object:
                    destination = workspace.document(destination_path)
                    return move_task(source, one, destination, choice.section)

                self._each("moved", move_one)
                return
            if choice.create is not None:
                self.planner.notify("move into an existing section (add the heading first)", severity="warning")
                return
            destination = workspace.document(choice.path)
            if destination is None:
                return
            self.planner.editor.perform(
                f"moved to {self._place_name(destination, choice.section)}",
                lambda: move_task(document, task, destination, choice.section),
                {document.path, destination.path},
            )

        documents = list(workspace.documents.values())
        self.app.push_screen(SectionPicker("Move the task (with its subtasks) to which section?", documents, self.planner.relative, document.path), picked)

    def action_archive(self) -> None:
        from planner.writer.lines import archive  # noqa: PLC0415

        place = self.current_place()
        if isinstance(place, str):
            self.planner.notify(place, severity="warning", timeout=3)
            return
        document, section = place
        self.planner.editor.perform(f"archived the done tasks of {self._place_name(document, section)}", lambda: archive(document, section), {document.path})


def _priority_after(level: str | None, key: str) -> str | None:
    if key in "0123":
        return f"P{key}"
    if key == "n":
        return None
    number = int(level[1]) if level else 4
    number = max(0, number - 1) if key == "+" else min(3, number + 1)
    return f"P{number}"
