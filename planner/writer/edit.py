"""Ticking, unticking and undoing tasks as checked byte patches.

An edit changes only the bytes it is about: the character inside ``[ ]`` for a
checkbox, the status marker for a heading task. Before writing, the file on disk
is compared with what was parsed; if it changed, it is parsed again and the task
is found again by its text and section — or the edit is refused. Nothing is ever
written over somebody else's change.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import os
from collections.abc import Iterator
from dataclasses import dataclass, field

from planner.model.document import DONE, OPEN, Document, Task
from planner.model.markers import HeadingStatus, toggled_marker
from planner.model.parser import digest, parse_document
from planner.writer.atomic import atomic_write, folder_lock


class EditError(Exception):
    """An edit that was refused; the message is one line a user can act on."""


@dataclass(frozen=True)
class TaskKey:
    """What identifies a task across edits of its file: kind, text and section path."""

    kind: str
    text: str
    section: tuple[str, ...]


def task_key(document: Document, task: Task) -> TaskKey:
    text = task.text
    if task.kind == "heading":
        text = text.replace(task.marker, "", 1)
    return TaskKey(task.kind, " ".join(text.split()), tuple(document.section_path(task.section)))


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


def read_file(path: str) -> bytes:
    """The bytes of ``path``, or an :class:`EditError` that says why not."""
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        raise EditError(f"{path}: the file is gone (deleted or renamed)") from None
    except PermissionError:
        raise EditError(f"{path}: permission denied") from None
    except IsADirectoryError:
        raise EditError(f"{path}: is a folder, not a file") from None
    except OSError as err:
        raise EditError(f"{path}: cannot read ({err.strerror or err})") from None


def _write(path: str, data: bytes | tuple[memoryview | bytes, ...]) -> None:
    try:
        atomic_write(path, data)
    except PermissionError:
        raise EditError(f"{path}: permission denied; the file was not changed") from None
    except OSError as err:
        if err.errno == errno.EROFS:
            raise EditError(f"{path}: read-only file system; the file was not changed") from None
        if err.errno == errno.ENOSPC:
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


def set_done(document: Document, task: Task, done: bool, mark: bytes | None = None) -> tuple[Edit, Document]:
    """Tick (``done=True``) or untick ``task``; returns the edit and the re-parsed document.

    ``mark`` is the letter to tick a checkbox with (``x`` or ``X``); by default the file's convention.
    """
    if not task.toggleable:
        raise EditError(f"{document.path}:{task.line}: task has state '[{task.state}]'; only open and done tasks can be ticked")
    path = document.path
    with _locked(path):
        data = read_file(path)
        if digest(data) != document.digest:
            now = parse_document(path, data)
            task = find_again(document, task, now)
            document = now
        if task.done == done:
            state = "done" if done else "open"
            raise EditError(f"{path}:{task.line}: '{_short(task.text)}' is already {state}")
        offset, old, new = _patch_for(data, task, done, mark)
        if data[offset : offset + len(old)] != old:
            raise EditError(f"{path}:{task.line}: unexpected bytes at the task's marker; nothing written")
        view = memoryview(data)
        pieces = (view[:offset], new, view[offset + len(old) :])
        _write(path, pieces)
    after = _after_patch(document, task, pieces, new)
    key = task_key(document, task)
    edit = Edit(path, offset, old, new, key, task.line, after.digest, done, f"{'tick' if done else 'untick'} {_short(task.text)}")
    return edit, after


def _after_patch(document: Document, task: Task, pieces: tuple[memoryview, bytes, memoryview], new: bytes) -> Document:
    """The model of the patched file.

    A checkbox flip cannot change the block structure (``[x] `` can never start a
    link definition), so only that task changes and the file need not be parsed
    again; a heading marker changes lengths and titles, so that file is re-parsed.
    """
    if task.kind != "checkbox":
        return parse_document(document.path, b"".join(pieces), _mtime(document.path))
    letter = new.decode()
    tasks = list(document.tasks)
    tasks[task.index] = dataclasses.replace(task, state=OPEN if letter == " " else DONE, marker=f"[{letter}]")
    return document.model_copy(
        update={
            "tasks": tasks,
            "digest": digest(*pieces),
            "size": sum(len(p) for p in pieces),
            "mtime_ns": _mtime(document.path),
        }
    )


def toggle(document: Document, task: Task, mark: bytes | None = None) -> tuple[Edit, Document]:
    """Tick an open task, untick a done one."""
    return set_done(document, task, not task.done, mark)


def undo(edit: Edit, document: Document) -> Document:
    """Reverse ``edit`` as a checked patch; refuses when the task changed since."""
    path = edit.path
    with _locked(path):
        data = read_file(path)
        offset = edit.offset
        if digest(data) != edit.digest_after:
            current = parse_document(path, data)
            matches = [t for t in current.tasks if task_key(current, t) == edit.key]
            if len(matches) != 1:
                raise EditError(f"{path}:{edit.line}: cannot undo: the file changed on disk and the task is no longer found exactly once")
            task = matches[0]
            offset = task.offset + 1 if task.kind == "checkbox" else task.offset
        if data[offset : offset + len(edit.new)] != edit.new:
            raise EditError(f"{path}:{edit.line}: cannot undo: the task was changed by someone else since")
        restored = data[:offset] + edit.old + data[offset + len(edit.new) :]
        _write(path, restored)
    return parse_document(path, restored, _mtime(path))


@contextlib.contextmanager
def _locked(path: str) -> Iterator[None]:
    with contextlib.ExitStack() as stack:
        try:
            stack.enter_context(folder_lock(path))
        except OSError as err:
            raise EditError(f"{path}: cannot lock its folder ({err.strerror or err})") from None
        yield


def _mtime(path: str) -> int:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return 0
