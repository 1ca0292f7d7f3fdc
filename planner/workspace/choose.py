"""Choosing an option of a decision: the choice written into the Markdown, where teammates see it.

Checkbox decisions are radios (tick the chosen box, untick the others); proposals get a
done marker appended to the chosen option's line and taken off the others. Every write is
a checked edit from :mod:`planner.writer` recorded in the workspace history (undoable).
"""

from __future__ import annotations

from planner.model.document import Document, Task
from planner.model.mojibake import spellings
from planner.views.options import DONE_AT_END, DONE_SPELLINGS, Decision, Option
from planner.views.outline import outline
from planner.workspace.workspace import Workspace
from planner.writer.edit import Edit, EditError, task_key


def choose(workspace: Workspace, decision: Decision, option: Option) -> list[Edit]:
    """Record ``option`` as the choice of ``decision``; its edits are one undo step."""
    count = len(workspace.history)
    try:
        _choose(workspace, decision, option)
    finally:
        _one_step(workspace, count)
    return workspace.history[count:]


def _one_step(workspace: Workspace, count: int) -> None:
    import dataclasses  # noqa: PLC0415

    from planner.writer.lines import new_group  # noqa: PLC0415

    group = new_group()
    workspace.history[count:] = [dataclasses.replace(e, group=group) for e in workspace.history[count:]]


def _choose(workspace: Workspace, decision: Decision, option: Option) -> list[Edit]:
    """Record ``option`` as the choice of ``decision`` in its Markdown file; the edits made, in order.

    Checkbox decisions: tick the option, then untick every other ticked option (radio).
    Proposals: append `` ✅`` to the option's line, then remove a trailing ✅ from the others.
    Choosing the option already chosen (and alone) changes nothing and returns ``[]``.
    Each edit goes into the workspace history (one step: undone at once). Raises
    :class:`~planner.writer.edit.EditError` when a write is refused (edits made before stay).
    """
    if all(o.line != option.line for o in decision.options):
        raise EditError(f"{decision.document.path}:{option.line}: not an option of '{decision.title}'")
    edits: list[Edit] = []
    path = decision.document.path
    if decision.kind == "checkbox":
        others = [o for o in decision.options if o.line != option.line and o.task is not None and o.task.done]
        for other in others:  # refuse before any write: a radio choice is written whole or not at all
            if not other.task.toggleable:  # type: ignore[union-attr]
                raise EditError(
                    f"{path}:{other.line}: '{other.title}' is marked [{other.task.state}] (done), which planner "  # type: ignore[union-attr]
                    "cannot untick; nothing written — edit the file (e) to choose another option"
                )
        if option.task is not None and not option.task.done and not option.task.toggleable:
            raise EditError(f"{path}:{option.line}: '{option.title}' is marked [{option.task.state}]; nothing written")
        if option.task is not None and not option.task.done:
            edits.append(_set_task(workspace, decision.document, option.task, True))
        for other in others:
            edits.append(_set_task(workspace, decision.document, other.task, False))  # type: ignore[arg-type]
        return edits
    from planner.writer import mark  # noqa: PLC0415

    document = workspace.document(path) or decision.document
    if option.task is not None and option.task.kind == "heading" and option.task.state == "open":
        # "### Option B: … ⏸️" is a heading task already: tick it (⏸️ → ✅) rather than add a mark.
        edits.append(_set_task(workspace, decision.document, option.task, True))
    elif not _line_marked(document, option.line):
        edit, after = mark.append_to_line(document, option.line, " " + _done_spelling(document))
        _record(workspace, edit, after)
        edits.append(edit)
    for other in decision.options:
        if other.line == option.line or not other.chosen:
            continue
        document = workspace.document(path) or document
        removed = mark.remove_from_line_end(document, other.line, [" " + s for s in DONE_SPELLINGS] + DONE_SPELLINGS)
        if removed is not None:
            _record(workspace, *removed)
            edits.append(removed[0])
        elif other.task is not None and other.task.done:
            edits.append(_set_task(workspace, document, other.task, False))
    return edits


def _set_task(workspace: Workspace, stale: Document, task: Task, done: bool) -> Edit:
    """Tick or untick through the workspace, on its current copy of the document when it has one."""
    current = workspace.document(stale.path)
    if current is not None and current.digest != stale.digest:
        key = task_key(stale, task)
        same = [t for t in current.tasks if t.line == task.line and task_key(current, t) == key]
        if same:
            return workspace.set_done(current, same[0], done)
    return workspace.set_done(current or stale, task, done)


def _record(workspace: Workspace, edit: Edit, after: Document) -> None:
    workspace.documents[after.path] = after
    workspace.history.append(edit)
    workspace.redo_stack.clear()


def _line_marked(document: Document, line: int) -> bool:
    shape = outline(document)
    if shape is None or line > len(shape.lines):
        return False
    return bool(DONE_AT_END.search(shape.lines[line - 1].rstrip(" \t#")))


def _done_spelling(document: Document) -> str:
    """✅ as this file writes it: mangled files stay consistently mangled."""
    for task in document.tasks:
        if task.mangled != "utf-8":
            from planner.model.mojibake import spell  # noqa: PLC0415

            return spell("✅", task.mangled)
    shape = outline(document)
    if shape is not None:
        text = "\n".join(shape.lines)
        if "✅" not in text:
            for spelling, encoding in spellings("✅").items():
                if encoding != "utf-8" and spelling in text:
                    from planner.model.mojibake import spell  # noqa: PLC0415

                    return spell("✅", encoding)
    return "✅"
