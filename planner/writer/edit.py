"""Ticking, unticking and undoing tasks as checked byte patches.

An edit changes only the bytes it is about: the character inside ``[ ]`` for a
checkbox, the status marker for a heading task. Before writing, the file on disk
is compared with what was parsed; if it changed, it is parsed again and the task
is found again by its text and section — or the edit is refused. Nothing is ever
written over somebody else's change: the rename that replaces the file is
conditional on the file still being the one read (compare-and-swap on its
identity), and a save that lands during the write makes planner read again.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import os
from collections.abc import Iterator
from dataclasses import dataclass, field

from planner.model.document import DONE, OPEN, Document, Task
from planner.model.markers import HeadingStatus, heading_status, toggled_marker
from planner.model.parser import digest, parse_document
from planner.writer.atomic import (
    FileChanged,
    FileId,
    MAX_FILE_BYTES,
    FileNotWritable,
    FolderLocked,
    FolderNotWritable,
    HardLinked,
    MetadataNotKept,
    Replacement,
    UnreadableFile,
    file_id,
    folder_lock,
    read_regular_file,
    real_path,
    remove_stale_temp_files,
    write_replacements,
)

# How often a write is retried when the file keeps changing under it.
ATTEMPTS = 3


class EditError(Exception):
    """An edit that was refused; the message is one line a user can act on."""


@dataclass(frozen=True)
class TaskKey:
    """What identifies a task across edits of its file: kind, text and section path."""

    kind: str
    text: str
    section: tuple[str, ...]


def _without_marker(title: str) -> str:
    """A heading title without its status marker: ticking a heading must not lose its subtasks."""
    status = heading_status(title)
    if status is not None:
        title = title[: status.start] + title[status.end :]
    return " ".join(title.split())


def task_key(document: Document, task: Task) -> TaskKey:
    text = task.text
    if task.kind == "heading":
        text = text.replace(task.marker, "", 1)
    section = tuple(_without_marker(title) for title in document.section_path(task.section))
    return TaskKey(task.kind, " ".join(text.split()), section)


@dataclass(frozen=True)
class Edit:
    """One applied patch, with what is needed to check and undo it."""

    path: str
    offset: int
    old: bytes
    new: bytes
    key: TaskKey
    line: int
    digest_after: str
    done_after: bool
    description: str = field(default="", compare=False)


def _read(path: str) -> tuple[bytes, FileId]:
    """The bytes of ``path`` and the identity they were read with, or an :class:`EditError`."""
    try:
        data, info = read_regular_file(path, MAX_FILE_BYTES)
    except UnreadableFile as reason:
        raise EditError(f"{path}: {reason}; nothing written") from None
    return data, file_id(info)


def read_file(path: str) -> bytes:
    """The bytes of ``path``, or an :class:`EditError` that says why not."""
    return _read(path)[0]


def _write(path: str, data: bytes, identity: FileId, replacements: list[Replacement]) -> None:
    """Write through :func:`write_replacements`; every failure becomes a one-line :class:`EditError`.

    :class:`FileChanged` passes through: the caller reads again and retries.
    """
    try:
        write_replacements(path, data, identity, replacements)
    except FileChanged:
        raise
    except HardLinked as err:
        raise EditError(f"{path}: it {err.strerror} (this edit changes the line's length); the file was not changed") from None
    except MetadataNotKept as err:
        raise EditError(f"{path}: permission denied: {err.strerror}; the file was not changed") from None
    except FolderNotWritable:
        folder = os.path.dirname(real_path(path))
        raise EditError(f"{path}: permission denied: cannot create a file in its folder {folder}; the file was not changed") from None
    except FileNotWritable:
        raise EditError(f"{path}: permission denied: the file is read-only; the file was not changed") from None
    except PermissionError:
        raise EditError(f"{path}: permission denied; the file was not changed") from None
    except OSError as err:
        if err.errno == errno.EROFS:
            raise EditError(f"{path}: read-only file system; the file was not changed") from None
        if err.errno in (errno.ENOSPC, errno.EDQUOT):
            raise EditError(f"{path}: disk full; the file was not changed") from None
        raise EditError(f"{path}: cannot write ({err.strerror or err}); the file was not changed") from None


def find_again(before: Document, task: Task, now: Document) -> Task:
    """The task of ``before`` in the re-parsed ``now``, or an :class:`EditError`."""
    key = task_key(before, task)
    matches = [t for t in now.tasks if t.kind == task.kind and task_key(now, t) == key]
    if len(matches) == 1:
        return matches[0]
    label = _short(task.text)
    if not matches:
        raise EditError(f"{before.path}:{task.line}: the file changed on disk and the task '{label}' is no longer there")
    lines = ", ".join(str(t.line) for t in matches)
    raise EditError(
        f"{before.path}:{task.line}: the file changed on disk and '{label}' is now ambiguous (lines {lines})"
    )


def _short(text: str, width: int = 50) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def tick_mark(data: bytes) -> bytes:
    """The letter a fresh tick uses: the file's own convention, ``X`` where most ticked boxes have it."""
    return b"X" if data.count(b"[X] ") > data.count(b"[x] ") else b"x"


def _patch_for(data: bytes, task: Task, done: bool, mark: bytes | None) -> tuple[int, bytes, bytes]:
    """(offset, old bytes, new bytes) that set ``task`` to done or open."""
    if task.kind == "checkbox":
        old = task.marker[1].encode()
        new = (mark or tick_mark(data)) if done else b" "
        return task.offset + 1, old, new
    current = HeadingStatus(0, len(task.marker), task.marker, task.status or "pending", task.mangled)
    old_bytes = task.marker.encode("utf-8", "surrogateescape")
    return task.offset, old_bytes, toggled_marker(current).encode("utf-8")


def _marker_in_place(data: bytes, task: Task) -> bool:
    """The task's whole marker (``[ ]`` with both brackets, or the heading marker) is where the model says."""
    expected = task.marker.encode("utf-8", "surrogateescape")
    return data[task.offset : task.offset + len(expected)] == expected


def set_done(document: Document, task: Task, done: bool, mark: bytes | None = None) -> tuple[Edit, Document]:
    """Tick (``done=True``) or untick ``task``; returns the edit and the document after it.

    ``mark`` is the letter to tick a checkbox with (``x`` or ``X``); by default the file's convention.
    """
    if not task.toggleable:
        raise EditError(f"{document.path}:{task.line}: task has state '[{task.state}]'; only open and done tasks can be ticked")
    path = document.path
    with _locked(path):
        for attempt in range(ATTEMPTS):
            data, identity = _read(path)
            current, target = document, task
            if digest(data) != document.digest:
                current = parse_document(path, data)
                target = find_again(document, task, current)
            if target.done == done:
                state = "done" if done else "open"
                raise EditError(f"{path}:{target.line}: '{_short(target.text)}' is already {state}")
            offset, old, new = _patch_for(data, target, done, mark)
            if not _marker_in_place(data, target) or data[offset : offset + len(old)] != old:
                raise EditError(f"{path}:{target.line}: unexpected bytes at the task's marker; nothing written")
            view = memoryview(data)
            pieces = (view[:offset], new, view[offset + len(old) :])
            after = _after_patch(current, target, pieces, new, done)
            try:
                _write(path, data, identity, [(offset, old, new)])
            except FileChanged as changed:
                _give_up_if_last(path, target, attempt, changed)
                continue
            break
    after = after.model_copy(update={"mtime_ns": _mtime(path)})
    key = task_key(current, target)
    edit = Edit(path, offset, old, new, key, target.line, after.digest, done, f"{'tick' if done else 'untick'} {_short(target.text)}")
    return edit, after


def _give_up_if_last(path: str, task: Task, attempt: int, changed: FileChanged) -> None:
    if changed.gone:
        raise EditError(f"{path}: the file was deleted or renamed while planner wrote it; nothing written") from None
    if attempt == ATTEMPTS - 1:
        raise EditError(f"{path}:{task.line}: the file keeps changing on disk; nothing written, try again") from None


def _after_patch(
    document: Document, task: Task, pieces: tuple[memoryview, bytes, memoryview], new: bytes, done: bool
) -> Document:
    """The model of the patched file, checked before anything is written.

    A checkbox flip cannot change the block structure (``[x] `` can never start a
    link definition), so only that task changes and the file need not be parsed
    again. A heading marker changes lengths and titles, so the patched bytes are
    parsed, and the patch is refused unless the result is the same document with
    exactly that task flipped.
    """
    if task.kind != "checkbox":
        after = parse_document(document.path, b"".join(pieces), document.mtime_ns)
        _check_heading_patch(document, task, after, done)
        return after
    letter = new.decode()
    tasks = list(document.tasks)
    tasks[task.index] = dataclasses.replace(task, state=OPEN if letter == " " else DONE, marker=f"[{letter}]")
    return document.model_copy(
        update={"tasks": tasks, "digest": digest(*pieces), "size": sum(len(p) for p in pieces)}
    )


def _check_heading_patch(before: Document, task: Task, after: Document, done: bool) -> None:
    """Refuse a heading patch whose result would read differently than just that task flipped."""

    def shape(document: Document, flipped: int | None) -> list[tuple[object, ...]]:
        return [
            (t.kind, t.line, t.state if t.index != flipped else None, task_key(document, t))
            for t in document.tasks
        ]

    flipped = after.task_at_line(task.line)
    ok = (
        flipped is not None
        and flipped.kind == "heading"
        and flipped.index == task.index
        and flipped.done == done
        and shape(before, task.index) == shape(after, task.index)
        and len(before.sections) == len(after.sections)
    )
    if not ok:
        raise EditError(
            f"{before.path}:{task.line}: changing the marker of '{_short(task.text)}' would change how the file reads; nothing written"
        )


def toggle(document: Document, task: Task, mark: bytes | None = None) -> tuple[Edit, Document]:
    """Tick an open task, untick a done one."""
    return set_done(document, task, not task.done, mark)


def undo(edit: Edit, document: Document) -> Document:
    """Reverse ``edit`` as a checked patch; refuses when the task changed since."""
    path = edit.path
    with _locked(path):
        for attempt in range(ATTEMPTS):
            data, identity = _read(path)
            offset = edit.offset
            if digest(data) != edit.digest_after:
                offset = _undo_offset(edit, data)
            if data[offset : offset + len(edit.new)] != edit.new:
                raise EditError(f"{path}:{edit.line}: cannot undo: the task was changed by someone else since")
            view = memoryview(data)
            pieces = (view[:offset], edit.old, view[offset + len(edit.new) :])
            try:
                _write(path, data, identity, [(offset, edit.new, edit.old)])
            except FileChanged as changed:
                if changed.gone:
                    raise EditError(f"{path}: cannot undo: the file was deleted or renamed meanwhile; nothing written") from None
                if attempt == ATTEMPTS - 1:
                    raise EditError(f"{path}:{edit.line}: cannot undo: the file keeps changing on disk; try again") from None
                continue
            break
    flipped = _checkbox_at(document, offset - 1) if edit.key.kind == "checkbox" and document.digest == digest(data) else None
    if flipped is not None:  # the caller's model is the file undone: patch it, as set_done does
        after = _after_patch(document, flipped, pieces, edit.old, not edit.done_after)
        return after.model_copy(update={"mtime_ns": _mtime(path)})
    return parse_document(path, b"".join(pieces), _mtime(path))


def _checkbox_at(document: Document, offset: int) -> Task | None:
    for task in document.tasks:
        if task.offset == offset and task.kind == "checkbox":
            return task
    return None


def _undo_offset(edit: Edit, data: bytes) -> int:
    """Where the edited marker is now, in a file that changed since the edit; or refuse."""
    path = edit.path
    current = parse_document(path, data)
    matches = [t for t in current.tasks if task_key(current, t) == edit.key]
    if len(matches) != 1:
        raise EditError(f"{path}:{edit.line}: cannot undo: the file changed on disk and the task is no longer found exactly once")
    task = matches[0]
    if task.kind == "checkbox":
        if task.marker[1:2].encode() != edit.new:
            raise EditError(f"{path}:{edit.line}: cannot undo: the task was changed by someone else since")
        return task.offset + 1
    # A heading: the whole marker must be exactly the one the edit wrote ("✅", not "✅ DONE").
    if task.marker.encode("utf-8", "surrogateescape") != edit.new:
        raise EditError(f"{path}:{edit.line}: cannot undo: the task was changed by someone else since")
    return task.offset


@contextlib.contextmanager
def _locked(path: str) -> Iterator[None]:
    with contextlib.ExitStack() as stack:
        try:
            stack.enter_context(folder_lock(path))
        except FolderLocked as err:
            who = f" (pid {err.holder})" if err.holder else ""
            raise EditError(
                f"{path}: another process{who} holds the lock on its folder {err.folder}; "
                f"gave up after {err.waited:.0f} s, nothing written"
            ) from None
        except OSError as err:
            raise EditError(f"{path}: cannot lock its folder ({err.strerror or err})") from None
        # Holding the lock: remove temp files the journal proves dead planner writers left here.
        remove_stale_temp_files(real_path(path).parent)
        yield


def _mtime(path: str) -> int:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return 0
