"""The one path every planner edit takes: plan a byte patch, check it, write it, make it undoable.

An edit is planned against the bytes just read, under the folder lock: a *planner*
function gets those bytes and their model (parsed again when the file changed since
the caller's model was made, so the task is found again by its text and section) and
returns a :class:`Plan` — the byte spans to replace and what the edited line must
read as afterwards. Then:

1. every span's old bytes must be in the file where the plan says;
2. the patched bytes are parsed again (or, for a checkbox flip, whose one byte cannot
   change the block structure, the model is patched) and the edit is refused unless
   only the intended line reads differently — the mdformat principle;
3. the spans are written through :func:`planner.writer.atomic.write_replacements`
   (in place when lengths are kept, else an atomic rewrite), which refuses when the
   file changed since it was read; then planning starts again from a fresh read.

The returned :class:`Edit` holds the touched line before and after, so undoing it is a
plan like any other, found again by those bytes when the file changed meanwhile.
"""

from __future__ import annotations

import contextlib
import contextvars
import errno
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from planner.model.document import Document, Task
from planner.model.markers import heading_status
from planner.model.parser import NEWLINE_BYTES, digest, parse_document, parsed_here
from planner.writer.atomic import (
    MAX_FILE_BYTES,
    FileChanged,
    FileId,
    FileNotWritable,
    FolderLocked,
    FolderNotWritable,
    HardLinked,
    MetadataNotKept,
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


class LockBusy(EditError):
    """Another process held the folder lock for longer than this edit was let wait."""


# How long an edit waits for the folder lock (None: the writer's own bound, a few seconds).
# The TUI first tries with a wait too short to notice, then waits in a thread.
_LOCK_WAIT: contextvars.ContextVar[float | None] = contextvars.ContextVar("lock_wait", default=None)


@contextlib.contextmanager
def lock_wait(seconds: float | None) -> Iterator[None]:
    token = _LOCK_WAIT.set(seconds)
    try:
        yield
    finally:
        _LOCK_WAIT.reset(token)


@dataclass(frozen=True)
class TaskKey:
    """What identifies a task across edits of its file: kind, text and section path."""

    kind: str
    text: str
    section: tuple[str, ...]


def without_marker(title: str) -> str:
    """A heading title without its status marker (and the brackets left empty around it)."""
    status = heading_status(title)
    if status is not None:
        title = title[: status.start] + title[status.end :]
        title = title.replace("()", " ").replace("[]", " ")
    return " ".join(title.split())


def task_key(document: Document, task: Task) -> TaskKey:
    text = task.text
    if task.kind == "heading":
        text = without_marker(text)
    section = tuple(without_marker(title) for title in document.section_path(task.section))
    return TaskKey(task.kind, " ".join(text.split()), section)


@dataclass(frozen=True)
class Span:
    """Replace ``old`` at byte ``offset`` of the file as read with ``new``."""

    offset: int
    old: bytes
    new: bytes


# What the edited line must read as afterwards: its task (None: no task) is as intended.
Expectation = Callable[[Task | None], bool]


# What a document reads as, for an edit that adds, moves or removes lines: its tasks (kind,
# state, key) and its headings (level, title without marker), in order.
Shape = tuple[tuple[tuple[str, str, TaskKey], ...], tuple[tuple[int, str], ...]]


def shape_of(document: Document) -> Shape:
    tasks = tuple((t.kind, t.state, task_key(document, t)) for t in document.tasks)
    sections = tuple((s.level, without_marker(s.title)) for s in document.sections)
    return tasks, sections


@dataclass(frozen=True)
class Plan:
    spans: tuple[Span, ...]  # sorted, apart from each other
    line: int  # 1-based line the (first) edit is on
    key: TaskKey
    state_before: str | None  # the line's task state before (None: the line is no task)
    expect: Expectation | None  # None: the line may read any way (a mark on a plain line)
    description: str
    after: Document | None = None  # the model after, when it follows without a re-parse
    # For edits of whole lines: what the document must read as afterwards (instead of
    # "only this line changed"); for an undo of one, the very bytes it must give back.
    shape: Shape | None = None
    result_digest: str | None = None


@dataclass(frozen=True)
class Edit:
    """One applied patch, with what is needed to check and undo it."""

    path: str
    offset: int  # the (first) changed span, in the file as it was before
    old: bytes
    new: bytes
    key: TaskKey
    line: int
    line_start: int  # offset of the edited line's first byte (the same before and after)
    line_before: bytes  # the edited line without its line break, before and after
    line_after: bytes
    digest_after: str
    state_before: str | None
    state_after: str | None
    description: str = field(default="", compare=False)
    digest_before: str = ""
    spans: tuple[Span, ...] = ()  # every span, for edits of more than one line
    group: int = 0  # edits made as one step (a move across files) share a number
    # Per span, the line it is on: in the file before (what it replaces) or after (what it adds).
    span_lines: tuple[int, ...] = ()

    @property
    def done_after(self) -> bool:
        return self.state_after == "done"

    @property
    def one_line(self) -> bool:
        return len(self.spans) <= 1 and b"\n" not in self.old + self.new and b"\r" not in self.old + self.new


Planner = Callable[[bytes, Document], Plan]


def splice(data: bytes, spans: tuple[Span, ...], path: str, line: int) -> bytes:
    """``data`` with ``spans`` applied; refused unless each span's old bytes are where it says."""
    pieces: list[bytes] = []
    cursor = 0
    for span in spans:
        if span.offset < cursor or data[span.offset : span.offset + len(span.old)] != span.old:
            raise EditError(f"{path}:{line}: unexpected bytes where the edit goes; nothing written")
        pieces += (data[cursor : span.offset], span.new)
        cursor = span.offset + len(span.old)
    pieces.append(data[cursor:])
    return b"".join(pieces)


# Called with (path, line, line before, line after, model after) once an edit of one line is
# checked, just before it is written: a record made then is never missing for a write that landed.
BeforeWrite = Callable[[str, int, bytes, bytes, Document], None]


def apply(document: Document, planner: Planner, group: int = 0, before_write: BeforeWrite | None = None) -> tuple[Edit, Document]:
    """Plan, check and write one edit of ``document``'s file; the edit and the model after it."""
    path = document.path
    with locked(path):
        for attempt in range(ATTEMPTS):
            data, identity = _read(path)
            read_digest = digest(data)
            current = document if read_digest == document.digest else parse_document(path, data)
            plan = planner(data, current)
            patched = splice(data, plan.spans, path, plan.line)
            after = plan.after
            if after is None:
                after = parse_document(path, patched)
                if plan.result_digest is not None:
                    if after.digest != plan.result_digest:
                        raise EditError(f"{path}:{plan.line}: this edit would not give back the file as it was; nothing written")
                elif plan.shape is not None:
                    if shape_of(after) != plan.shape:
                        raise EditError(reads_otherwise(path, plan.line, difference(plan.shape, shape_of(after))))
                else:
                    # The model may come from the cache: hold the patch to a parse of these bytes
                    # (one parsed from them already, here and at this digest, is that parse).
                    fresh = current if current is not document or parsed_here(document) else parse_document(path, data)
                    check_only_line_changed(fresh, after, plan)
            if before_write is not None:
                start, end = line_bounds(data, plan.spans[0].offset)
                delta = sum(len(s.new) - len(s.old) for s in plan.spans)
                before_write(path, plan.line, data[start:end], patched[start : end + delta], after)
            try:
                write_spans(path, data, identity, plan.spans)
            except FileChanged as changed:
                if changed.gone:
                    raise EditError(f"{path}: the file was deleted or renamed while planner wrote it; nothing written") from None
                if attempt == ATTEMPTS - 1:
                    raise EditError(f"{path}:{plan.line}: the file keeps changing on disk; nothing written, try again") from None
                continue
            break
    first = plan.spans[0]
    start, end = line_bounds(data, first.offset)
    delta = len(first.new) - len(first.old)
    after_task = after.task_at_line(plan.line)
    edit = Edit(
        path=path,
        offset=first.offset,
        old=first.old,
        new=first.new,
        key=plan.key,
        line=plan.line,
        line_start=start,
        line_before=data[start:end],
        line_after=patched[start : end + delta],
        digest_after=after.digest,
        state_before=plan.state_before,
        state_after=after_task.state if after_task is not None else None,
        description=plan.description,
        digest_before=read_digest,
        spans=plan.spans,
        group=group,
        span_lines=_span_lines(data, patched, plan.spans),
    )
    return edit, after.model_copy(update={"mtime_ns": _mtime(path)})


def _span_lines(data: bytes, patched: bytes, spans: tuple[Span, ...]) -> tuple[int, ...]:
    """Each span's line: where its old bytes were, or, for an insertion, where its new ones are."""
    lines = []
    shift = 0
    for span in spans:
        if span.old:
            lines.append(line_number(data, span.offset))
        else:
            at = span.offset + shift
            lead = len(span.new) - len(span.new.lstrip(b"\r\n")) if at == len(data) + shift else 0
            lines.append(line_number(patched, at + lead))
        shift += len(span.new) - len(span.old)
    return tuple(lines)


def check_only_line_changed(before: Document, after: Document, plan: Plan) -> None:
    """Refuse a patch whose result reads differently anywhere but on the plan's line, or
    reads there otherwise than the plan intends."""

    # Tasks by their section's index, and every heading's title but the edited line's: renaming
    # a heading task renames the section of the tasks under it, and nothing else.
    def shape(document: Document) -> list[tuple[object, ...]]:
        return [(t.kind, t.line, t.state, t.section, task_key(document, t).text) for t in document.tasks if t.line != plan.line]

    def headings(document: Document) -> list[tuple[int, int, str | None]]:
        return [(s.line, s.level, without_marker(s.title) if s.line != plan.line else None) for s in document.sections]

    was = before.task_at_line(plan.line)
    as_planned = (was.state if was is not None else None) == plan.state_before
    intended = plan.expect is None or plan.expect(after.task_at_line(plan.line))
    if not as_planned:
        raise EditError(reads_otherwise(before.path, plan.line, f"line {plan.line} no longer reads as it did when the edit was planned"))
    if not intended:
        what = "would no longer be a task" if after.task_at_line(plan.line) is None else "would not read as this edit intends"
        raise EditError(reads_otherwise(before.path, plan.line, f"line {plan.line} {what}"))
    if shape(before) != shape(after):
        raise EditError(reads_otherwise(before.path, plan.line, _first_task_change(shape(before), shape(after))))
    if headings(before) != headings(after):
        changed = next((b[0] for b, a in zip(headings(before), headings(after)) if b != a), plan.line)
        raise EditError(reads_otherwise(before.path, plan.line, f"the heading on line {changed} would change"))


def reads_otherwise(path: str, line: int, why: str) -> str:
    """The one-line refusal of a patch whose re-parse reads otherwise than planned."""
    return f"{path}:{line}: this edit would change how the file reads ({why}); nothing written — make it in an editor"


def _first_task_change(before: list[tuple[object, ...]], after: list[tuple[object, ...]]) -> str:
    """The first task that reads otherwise after the patch, matched by content (lines shift)."""
    strip = lambda rows: [row[:1] + row[2:] for row in rows]  # noqa: E731 -- all but the line
    for op, i1, i2, j1, j2 in SequenceMatcher(None, strip(before), strip(after), autojunk=False).get_opcodes():
        if op == "insert":
            return f"line {after[j1][1]} would become a task"
        if op == "delete":
            return f"the task on line {before[i1][1]} would stop being a task"
        if op == "replace":
            return f"the task on line {before[i1][1]} would change too"
    return "the tasks would move"


def difference(wanted: Shape, got: Shape) -> str:
    """What differs between the shape a whole-line edit should leave and the one it would."""
    (wanted_tasks, wanted_sections), (got_tasks, got_sections) = wanted, got
    if len(wanted_tasks) != len(got_tasks):
        more = len(got_tasks) - len(wanted_tasks)
        return f"{abs(more)} task{'s' if abs(more) != 1 else ''} {'more' if more > 0 else 'fewer'} than planned"
    for was, now in zip(wanted_tasks, got_tasks):
        if was != now:
            return f"the task \u201c{short(was[2].text, 40)}\u201d would read otherwise"
    if len(wanted_sections) != len(got_sections):
        return "the headings would change"
    for was, now in zip(wanted_sections, got_sections):
        if was != now:
            return f"the heading \u201c{short(str(was[1]), 40)}\u201d would change"
    return "the document would read otherwise"



def undo_planner(edit: Edit) -> Planner:
    """The plan that reverses ``edit``: its line put back, where it still reads as the edit left
    it; an edit of several lines only while the file is still exactly as it left it."""

    def planner(data: bytes, current: Document) -> Plan:
        expect = lambda task: (task.state if task is not None else None) == edit.state_before  # noqa: E731
        description = f"undo {edit.description}"
        if not edit.one_line:
            if digest(data) != edit.digest_after:
                raise EditError(f"{edit.path}:{edit.line}: cannot undo: the file changed on disk since this edit")
            spans = inverse(edit.spans)
            return Plan(spans, edit.line, edit.key, edit.state_after, None, description, result_digest=edit.digest_before)
        start = edit.line_start
        if digest(data) != edit.digest_after:
            start = _find_line(data, current, edit)
        line = line_number(data, start)
        span = minimal_span(start, edit.line_after, edit.line_before)
        return Plan((span,), line, edit.key, edit.state_after, expect, description)

    return planner


def inverse(spans: tuple[Span, ...]) -> tuple[Span, ...]:
    """The spans that turn the patched bytes back, in the patched file's offsets."""
    shift = 0
    reverse = []
    for span in spans:
        reverse.append(Span(span.offset + shift, span.new, span.old))
        shift += len(span.new) - len(span.old)
    return tuple(reverse)


def undo(edit: Edit, document: Document, before_write: BeforeWrite | None = None) -> tuple[Edit, Document]:
    """Reverse ``edit`` as a checked patch; refuses when its line changed since."""
    try:
        return apply(document, undo_planner(edit), before_write=before_write if edit.one_line else None)
    except EditError as err:
        message = str(err)
        if "cannot undo" in message:
            raise
        raise EditError(_undo_message(edit.path, message)) from None


def _undo_message(path: str, message: str) -> str:
    """``path:line: reason`` as ``path:line: cannot undo: reason``."""
    cut = message.find(": ", len(path) if message.startswith(path) else 0)
    if cut < 0:
        return f"cannot undo: {message}"
    return f"{message[:cut]}: cannot undo: {message[cut + 2 :]}"


def _find_line(data: bytes, current: Document, edit: Edit) -> int:
    """Where the edited line is now, in a file that changed since the edit: the one line that
    reads as the edit left it (of several, the one whose task is the edited task); or refuse."""
    starts = [
        start
        for start in _line_starts_of(data, edit.line_after)
        if data[start + len(edit.line_after) : start + len(edit.line_after) + 1] in (b"", b"\n", b"\r")
    ]
    if len(starts) > 1:
        same_task = []
        for start in starts:
            task = current.task_at_line(line_number(data, start))
            if task is not None and task_key(current, task) == edit.key:
                same_task.append(start)
        starts = same_task if len(same_task) == 1 else starts
    if len(starts) != 1:
        where = f" (it is on {len(starts)} lines)" if starts else ""
        raise EditError(
            f"{edit.path}:{edit.line}: cannot undo: the file changed on disk and the edited line is no longer found exactly once{where}"
        )
    return starts[0]


def _line_starts_of(data: bytes, line: bytes) -> Iterator[int]:
    position = data.find(line)
    while position >= 0:
        if position == 0 or data[position - 1 : position] in (b"\n", b"\r") or data[:position] == b"\xef\xbb\xbf":
            yield position
        position = data.find(line, position + 1)


def minimal_span(start: int, old: bytes, new: bytes) -> Span:
    """The smallest replacement turning ``old`` (at ``start``) into ``new``: common ends kept."""
    prefix = 0
    limit = min(len(old), len(new))
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[len(old) - 1 - suffix] == new[len(new) - 1 - suffix]:
        suffix += 1
    return Span(start + prefix, old[prefix : len(old) - suffix], new[prefix : len(new) - suffix])


def line_bounds(data: bytes, offset: int) -> tuple[int, int]:
    """(start, end) of the line holding byte ``offset``, without its line break."""
    start = max(data.rfind(b"\n", 0, offset), data.rfind(b"\r", 0, offset)) + 1
    if start == 0 and data.startswith(b"\xef\xbb\xbf"):
        start = 3
    match = NEWLINE_BYTES.search(data, offset)
    return start, match.start() if match else len(data)


def line_number(data: bytes, offset: int) -> int:
    """The 1-based line of byte ``offset`` (``\\r\\n``, ``\\r`` and ``\\n`` each end a line)."""
    head = data[:offset]
    return head.count(b"\n") + head.count(b"\r") - head.count(b"\r\n") + 1


def line_start_of(data: bytes, line: int) -> int:
    """The offset of 1-based ``line``'s first byte, or an :class:`EditError` past the end."""
    start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    for _ in range(line - 1):
        match = NEWLINE_BYTES.search(data, start)
        if match is None:
            raise EditError(f"line {line} is past the end of the file")
        start = match.end()
    return start


def short(text: str, width: int = 50) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


# -- reading, locking, writing -------------------------------------------------------------


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


def write_spans(path: str, data: bytes, identity: FileId, spans: tuple[Span, ...]) -> None:
    """Write the spans (in place when lengths are kept, else an atomic rewrite keeping owner,
    mode, ACLs and xattrs); every failure but :class:`FileChanged` becomes a one-line :class:`EditError`."""
    try:
        write_replacements(path, data, identity, [(span.offset, span.old, span.new) for span in spans])
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


@contextlib.contextmanager
def locked(path: str) -> Iterator[None]:
    with contextlib.ExitStack() as stack:
        try:
            stack.enter_context(folder_lock(path, _LOCK_WAIT.get()))
        except FolderLocked as err:
            who = f" (pid {err.holder})" if err.holder else ""
            raise LockBusy(
                f"{path}: another process{who} holds the lock on its folder {err.folder}; "
                f"gave up after {err.waited:.2g} s, nothing written"
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
