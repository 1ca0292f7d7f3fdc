"""The app's side of editing: ticks through the edit controller, one undo step at a time, redo."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text

if TYPE_CHECKING:
    from planner.model.document import Document, Task
    from planner.writer.edit import Edit


class Editing:
    """Mixed into the app: it has ``workspace``, ``editor`` and ``last_action``."""

    workspace: Any
    editor: Any
    last_action: Text | None

    def tick(self, document: Document, task: Task) -> bool:
        """Tick or untick, through the edit controller (a busy lock is waited for off the event loop)."""
        if self.workspace is None:
            return False
        verb = "unticked" if task.done else "ticked"
        where = f"{self.relative(document.path)}:{task.line}"
        # A row may hold an earlier model of these same bytes (a view cached per file version, a
        # tick undone by the next): the workspace's own model of them is the one parsed here,
        # which the writer need not parse again.
        current = self.workspace.documents.get(document.path)
        if current is not None and current is not document and current.digest == document.digest:
            same = current.tasks[task.index] if 0 <= task.index < len(current.tasks) else None
            if same is not None and same.line == task.line and same.text == task.text:
                document, task = current, same
        from planner.writer.edit import toggle  # noqa: PLC0415 - see TYPE_CHECKING above

        return self.editor.perform(f"{verb} {where}", lambda: toggle(document, task), {document.path})

    def edits_made(self, edits: list[Edit], description: str) -> None:
        """Show one user action (its edits are one step of the workspace history: one ``u``)."""
        self.last_action = Text.assemble((description, "bold green"), ("  (u undoes)", "dim"))

    def action_undo(self) -> None:
        from planner.writer.edit import EditError  # noqa: PLC0415 - see TYPE_CHECKING above

        workspace = self.workspace
        if workspace is None:
            return
        if not workspace.history:
            self.notify("nothing to undo", timeout=2)
            return
        undone: Edit | None = None
        try:
            undone = workspace.undo()  # the whole last step: a choice's edits go together
        except (EditError, OSError, ValueError) as err:
            self.notify(str(err), title="undo refused", severity="error", timeout=8)
            if workspace.history:
                self.changed({workspace.history[-1].path})
            return
        if undone is not None:
            self.last_action = Text.assemble(("undone", "bold"), f" {self.relative(undone.path)}:{undone.line}")
            self.changed({undone.path})

    def action_redo(self) -> None:
        from planner.writer.edit import EditError  # noqa: PLC0415 - see TYPE_CHECKING above

        workspace = self.workspace
        if workspace is None or not workspace.redo_stack:
            self.notify("nothing to redo", timeout=2)
            return
        try:
            redone = workspace.redo()
        except (EditError, OSError, ValueError) as err:
            self.notify(str(err), title="redo refused", severity="error", timeout=8, markup=False)
            return
        if redone is not None:
            self.last_action = Text.assemble(("redone", "bold"), f" {self.relative(redone.path)}:{redone.line}")
            self.changed({redone.path})
