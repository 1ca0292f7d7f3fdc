"""Ticking and unticking tasks — checkboxes and heading markers — as planned byte patches.

Every change goes through :func:`planner.writer.patch.apply` (checked against the
bytes just read, re-parsed, written under the lock, undoable). What is written:

- a checkbox: the one byte inside ``[ ]``; a tick uses the letter the file's ticked
  boxes use (``x`` unless most of them say ``X``);
- a heading: ticking puts the done marker (``✅``, spelled as the file spells its
  markers) in place of the open one, or after the title; unticking puts in the open
  marker the document's open headings carry, or drops the done marker — never a
  state nobody asked for;
- toggling twice gives back the bytes: the :mod:`~planner.writer.journal` remembers
  what a toggle replaced, and the next toggle of that line, as long as it still
  reads exactly so, puts it back.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter

from planner.model.document import DONE, OPEN, Document, Task
from planner.model.markers import DONE_EMOJI, EMOJI_STATUS
from planner.model.mojibake import repair, spell
from planner.model.lanes import open_box_status
from planner.model.parser import digest, parse_document, parsed_here
from planner.writer import journal
from planner.writer.patch import (
    Edit,
    EditError,
    Plan,
    Span,
    TaskKey,
    apply,
    line_bounds,
    line_number,
    line_start_of,
    minimal_span,
    read_file,
    short,
    task_key,
)
from planner.writer import patch
from planner.writer.atomic import MAX_FILE_BYTES  # noqa: F401 - re-exported

__all__ = ["Edit", "EditError", "TaskKey", "find_again", "read_file", "set_done", "task_key", "toggle", "toggle_line", "undo"]

# The start of a list item line up to its box: blanks, quote markers and list markers.
_ITEM_LEAD = re.compile(rb"(?:[ \t]|>|[-*+](?=[ \t])|[0-9]{1,9}[.)](?=[ \t]))*\Z")
_BLANKS = b" \t"
_BLANKS_TUPLE = (b" ", b"\t")


def find_again(before: Document, task: Task, now: Document) -> Task:
    """The task of ``before`` in the re-parsed ``now``, or an :class:`EditError`."""
    key = task_key(before, task)
    matches = [t for t in now.tasks if t.kind == task.kind and task_key(now, t) == key]
    if len(matches) == 1:
        return matches[0]
    label = short(task.text)
    if not matches:
        raise EditError(f"{before.path}:{task.line}: the file changed on disk and the task '{label}' is no longer there")
    lines = ", ".join(str(t.line) for t in matches)
    raise EditError(f"{before.path}:{task.line}: the file changed on disk and '{label}' is now ambiguous (lines {lines})")


def tick_mark(document: Document) -> bytes:
    """The letter a fresh tick uses: ``X`` where most of the file's ticked checkboxes have it."""
    letters = Counter(t.marker for t in document.tasks if t.kind == "checkbox" and t.state == DONE)
    return b"X" if letters["[X]"] > letters["[x]"] else b"x"


def set_done(document: Document, task: Task, done: bool, mark: bytes | None = None) -> tuple[Edit, Document]:
    """Tick (``done=True``) or untick ``task``; returns the edit and the document after it.

    ``mark`` is the letter to tick a checkbox with (``x`` or ``X``); by default the file's own.
    """
    if not task.toggleable:
        raise EditError(f"{document.path}:{task.line}: task has state '[{task.state}]'; only open and done tasks can be ticked")

    def planner(data: bytes, current: Document) -> Plan:
        if current is document and not parsed_here(document):
            current = parse_document(document.path, data)  # a model from the cache: hold it to the bytes
        target = task if current is document else find_again(document, task, current)
        if target.done == done:
            raise EditError(f"{current.path}:{target.line}: '{short(target.text)}' is already {'done' if done else 'open'}")
        check_task_bytes(current.path, data, target)
        if target.kind == "checkbox":
            return _checkbox_plan(data, current, target, done, mark)
        return _heading_plan(data, current, target, done)

    return apply(document, planner, before_write=_remember)


def toggle(document: Document, task: Task, mark: bytes | None = None) -> tuple[Edit, Document]:
    """Tick an open task, untick a done one."""
    return set_done(document, task, not task.done, mark)


def undo_edit(edit: Edit, document: Document) -> tuple[Edit, Document]:
    """Reverse ``edit`` as a checked patch (refused when its line changed since): the reversing
    edit (itself undoable: that is a redo) and the model after."""
    return patch.undo(edit, document, before_write=_remember)


def undo(edit: Edit, document: Document) -> Document:
    """Reverse ``edit`` as a checked patch (refused when its line changed since); the model after."""
    return undo_edit(edit, document)[1]


def toggle_line(document: Document, line: int) -> tuple[Edit, Document]:
    """Toggle the task on ``line``; or, where an untick took the marker off a heading (so the
    line is no task now), put back what that untick removed."""
    task = document.task_at_line(line)
    if task is not None:
        return toggle(document, task)

    def planner(data: bytes, current: Document) -> Plan:
        if current.task_at_line(line) is not None:
            raise EditError(f"{current.path}:{line}: the file changed on disk; reload and try again")
        start = line_start_of(data, line)
        text = data[start : line_bounds(data, start)[1]]
        before = journal.recall(journal_path(current.path), line, text)
        if before is None:
            raise EditError(f"{current.path}:{line}: no task on this line")
        description = f"tick {short(before.decode('utf-8', 'replace').lstrip(' #>'))}"
        return Plan((minimal_span(start, text, before),), line, TaskKey("heading", "", ()), None, _is_done, description)

    return apply(document, planner, before_write=_remember)


def _is_done(task: Task | None) -> bool:
    return task is not None and task.state == DONE


def _is_open(task: Task | None) -> bool:
    return task is None or task.state == OPEN


def check_task_bytes(path: str, data: bytes, task: Task) -> None:
    """Refuse unless the bytes just read hold ``task`` where its model says: its marker at its
    offset, on its line, after a list item's lead (a checkbox) or on a heading line, with its text.
    The model may come from the cache: this makes sure it can only speed a write up, never move it."""
    marker = task.marker.encode("utf-8", "surrogateescape")
    start, end = line_bounds(data, task.offset)
    lead = data[start : task.offset]
    rest = data[task.offset + len(marker) : end].decode("utf-8", "surrogateescape")
    if task.kind == "checkbox":
        shaped = _ITEM_LEAD.match(lead) is not None and lead.strip(b" \t>") != b"" and rest[:1] in ("", " ", "\t")
        text_ok = " ".join(rest.replace("\x00", "\ufffd").split()) == " ".join(task.text.split())
    else:
        shaped = True
        text_ok = task.marker in task.text and lead.decode("utf-8", "surrogateescape").lstrip(" \t>#") in task.text
    if not (data[task.offset : task.offset + len(marker)] == marker and shaped and text_ok and line_number(data, start) == task.line):
        raise EditError(f"{path}:{task.line}: the task is not where planner's model of the file says; nothing written (reload)")


# -- checkboxes ----------------------------------------------------------------------------


def _checkbox_plan(data: bytes, document: Document, task: Task, done: bool, mark: bytes | None) -> Plan:
    """One byte inside the box. It cannot change the block structure (``[x] `` can never start
    a link definition), so the model after it is this model with that task flipped."""
    old = task.marker[1].encode("utf-8", "surrogateescape")
    new = (mark or _recalled_letter(data, document, task) or tick_mark(document)) if done else b" "
    span = Span(task.offset + 1, old, new)
    letter = new.decode()
    tasks = list(document.tasks)
    section = document.sections[task.section].title if task.section is not None else None
    # an unticked box is in progress again under an "In Progress" lane, cancelled when struck
    status = task.box_status if done else open_box_status(task.title or task.text, task.depth, section)
    tasks[task.index] = task._replace(state=DONE if done else OPEN, marker=f"[{letter}]", box_status=status)
    patched = (data[: span.offset], new, data[span.offset + 1 :])
    after = document.model_copy(update={"tasks": tasks, "digest": digest(*patched), "size": len(data)})
    verb = "tick" if done else "untick"
    return Plan((span,), task.line, task_key(document, task), task.state, _is_done if done else _is_open, f"{verb} {short(task.text)}", after)


def _recalled_letter(data: bytes, document: Document, task: Task) -> bytes | None:
    """The letter this box had before an untick the journal remembers, if that is all it changed."""
    start, end = line_bounds(data, task.offset)
    line = data[start:end]
    before = journal.recall(journal_path(document.path), task.line, line)
    column = task.offset + 1 - start
    if before is None or len(before) != len(line) or before[column : column + 1] not in (b"x", b"X"):
        return None
    same_elsewhere = before[:column] == line[:column] and before[column + 1 :] == line[column + 1 :]
    return before[column : column + 1] if same_elsewhere else None


# -- headings ------------------------------------------------------------------------------


def _heading_plan(data: bytes, document: Document, task: Task, done: bool) -> Plan:
    start, end = line_bounds(data, task.offset)
    text = data[start:end]
    before = journal.recall(journal_path(document.path), task.line, text)
    if before is not None:
        new_line = before
    elif done:
        new_line = _replace_marker(data, start, end, task, done_marker(task).encode("utf-8", "surrogateescape"))
    else:
        open_marker = open_convention(document, task)
        if open_marker is not None:
            new_line = _replace_marker(data, start, end, task, open_marker.encode("utf-8", "surrogateescape"))
        else:
            new_line = _drop_marker(data, start, end, task)
    verb = "tick" if done else "untick"
    expect = _is_done if done else _is_open
    return Plan((minimal_span(start, text, new_line),), task.line, task_key(document, task), task.state, expect, f"{verb} {short(task.title or task.text)}")


def done_marker(task: Task) -> str:
    """The done marker that replaces an open heading's marker: ✅, as the file spells its markers."""
    return spell(DONE_EMOJI, task.mangled)


def open_convention(document: Document, task: Task) -> str | None:
    """The marker the document's not-yet-started headings carry ("⏸️", "⏳", "TODO"), if any;
    an emoji spelled as ``task``'s own marker is (a mangled line stays consistently mangled)."""
    markers = Counter(t.marker for t in document.tasks if t.kind == "heading" and t.status in ("paused", "pending"))
    if not markers:
        return None
    marker = markers.most_common(1)[0][0]
    clean = repair(marker)
    return spell(clean, task.mangled) if clean in EMOJI_STATUS else marker


def _replace_marker(data: bytes, start: int, end: int, task: Task, marker: bytes) -> bytes:
    offset = task.offset - start
    line = data[start:end]
    return line[:offset] + marker + line[offset + task.length :]


def _drop_marker(data: bytes, start: int, end: int, task: Task) -> bytes:
    """The heading line without its marker and the blanks before it; brackets the marker leaves
    empty go too ("Login (✅ COMPLETE)" → "Login"). Nothing else of the title changes."""
    line = data[start:end]
    head, tail = line[: task.offset - start].rstrip(_BLANKS), line[task.offset - start + task.length :]
    stripped_tail = tail.lstrip(_BLANKS)
    for opening, closing in ((b"(", b")"), (b"[", b"]")):
        if head.endswith(opening) and stripped_tail.startswith(closing):
            head, tail = head[:-1].rstrip(_BLANKS), stripped_tail[1:]
            break
    if head and tail[:1].isalnum() and not head.endswith(_BLANKS_TUPLE):
        tail = b" " + tail  # "Setup✅Login" → "Setup Login", not "SetupLogin"
    return head + tail


# -- remembering ---------------------------------------------------------------------------


def journal_path(path: str) -> str:
    from planner.writer.atomic import real_path  # noqa: PLC0415

    return str(real_path(path))


def _remember(path: str, line: int, before: bytes, after_line: bytes, after: Document) -> None:
    """Record a toggle (before it is written), unless it is a checkbox tick: an untick always
    writes a blank, so nothing needs the letter it replaced.

    Every untick is recorded, even where the file's convention would give its letter back: a
    tick back reads the record of this line text first, and an older one (from when the file
    ticked with another letter) must never be the one it finds. Heading markers are always
    recorded: the open and done forms the document uses can change as its other headings are
    ticked.
    """
    task = after.task_at_line(line)
    if task is not None and task.kind == "checkbox" and task.done and len(before) == len(after_line):
        return
    journal.remember(journal_path(path), line, after_line, before)
