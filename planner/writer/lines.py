"""Edits of whole lines — add a task, move a task with its subtasks, archive done tasks — as plans.

Each is planned against the bytes just read and goes through :func:`planner.writer.patch.apply`:
the new lines copy what is already there (the siblings' list marker, indentation, quote prefix
and numbering; the file's line ending; no final newline where the file has none), nothing
else moves, and the re-parse must read as the document before with exactly the intended
tasks added, moved or removed (:func:`~planner.writer.patch.shape_of`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import count

from planner.model.document import Document, Task
from planner.model.parser import BOM, NEWLINE_BYTES, block_parser, digest
from planner.writer.patch import (
    Edit,
    EditError,
    Plan,
    Shape,
    Span,
    TaskKey,
    apply,
    line_start_of,
    difference,
    shape_of,
    short,
    task_key,
    without_marker,
)

# A list item's lead up to its box: quote markers and blanks, the bullet or number, blanks.
_LEAD = re.compile(rb"^(?P<prefix>(?:[ \t]*>)*[ \t]*)(?P<bullet>[-*+]|(?P<number>[0-9]{1,9})(?P<delim>[.)]))(?P<gap>[ \t]+)")
_DONE_WORDS = re.compile(r"(?i)\b(done|completed?|finished|archived?|archive)\b")
_GROUPS = count(1)


def new_group() -> int:
    """A number shared by the edits of one step (a move to another file is two edits)."""
    return next(_GROUPS)


@dataclass(frozen=True)
class Lines:
    """The bytes of a file split into lines: (start offset, end without break, end with break)."""

    data: bytes
    bounds: list[tuple[int, int, int]]
    newline: bytes

    @classmethod
    def of(cls, data: bytes) -> Lines:
        start = len(BOM) if data.startswith(BOM) else 0
        bounds = []
        for match in NEWLINE_BYTES.finditer(data, start):
            bounds.append((start, match.start(), match.end()))
            start = match.end()
        if start < len(data) or not bounds:
            bounds.append((start, len(data), len(data)))
        first = NEWLINE_BYTES.search(data)
        return cls(data, bounds, first.group() if first else b"\n")

    def text(self, line: int) -> bytes:
        start, end, _ = self.bounds[line - 1]
        return self.data[start:end]

    def blank(self, line: int) -> bool:
        return not self.text(line).strip(b" \t")

    @property
    def count(self) -> int:
        return len(self.bounds)


def item_end(data: bytes, task: Task) -> int:
    """The last line (1-based) of ``task``'s list item: its subtasks and continuation lines,
    without the blank lines after it — as markdown-it reads the item."""
    text = (data[len(BOM) :] if data.startswith(BOM) else data).decode("utf-8", "surrogateescape")
    lines = Lines.of(data)
    for token in block_parser().parse(text):
        if token.type == "list_item_open" and token.map is not None and token.map[0] == task.line - 1:
            end = token.map[1]
            while end > task.line and lines.blank(end):
                end -= 1
            return end
    return task.line


def _line_of(lines: Lines, line: int) -> int:
    return lines.bounds[line - 1][0] if line <= lines.count else len(lines.data)


def _insertion(lines: Lines, after_line: int, new_lines: list[bytes]) -> Span:
    """Insert ``new_lines`` after line ``after_line`` (0: at the top), in the file's line ending."""
    nl = lines.newline
    if after_line >= lines.count and lines.bounds[-1][1] == lines.bounds[-1][2]:
        # The last line has no line break: the new lines go after one, and end without one too.
        body = nl + nl.join(new_lines) if lines.data[lines.bounds[-1][0] :] else nl.join(new_lines)
        return Span(len(lines.data), b"", body)
    return Span(_line_of(lines, after_line + 1), b"", b"".join(line + nl for line in new_lines))


def _siblings(document: Document, section: int | None) -> list[Task]:
    """Checkbox tasks of ``section`` itself at the outer level of their list."""
    return [t for t in document.tasks if t.kind == "checkbox" and t.section == section and t.parent is None]


def _section_content_end(document: Document, lines: Lines, section: int | None) -> int:
    """The last non-blank line of ``section``'s own content (before its first subsection)."""
    if section is None:
        first_heading = document.sections[0].line if document.sections else lines.count + 1
        end = first_heading - 1
        start = 0
    else:
        record = document.sections[section]
        children = [document.sections[c].line for c in record.children]
        end = (min(children) - 1) if children else min(record.end_line, lines.count)
        start = record.line
    while end > start and lines.blank(end):
        end -= 1
    return end


def _bullet(document: Document, lines: Lines) -> bytes:
    """The document's usual bullet for tasks, "-" where it has none."""
    bullets: dict[bytes, int] = {}
    for task in document.tasks:
        if task.kind == "checkbox":
            match = _LEAD.match(lines.text(task.line))
            if match and not match.group("number"):
                bullets[match.group("bullet")] = bullets.get(match.group("bullet"), 0) + 1
    return max(bullets, key=bullets.__getitem__) if bullets else b"-"


def _next_lead(lead: re.Match[bytes]) -> bytes:
    """The lead of the item after ``lead``'s: the same, with the number one higher."""
    number = lead.group("number")
    if number is None:
        return lead.group(0)
    following = str(int(number) + 1).zfill(len(number)).encode()
    return lead.group("prefix") + following + lead.group("delim") + lead.group("gap")


def _where_to_add(document: Document, lines: Lines, data: bytes, section: int | None) -> tuple[int, bytes, bool]:
    """(after which line, the new item's lead, whether a blank line must come first)."""
    siblings = _siblings(document, section)
    if siblings:
        last = siblings[-1]
        lead = _LEAD.match(lines.text(last.line))
        if lead is not None:
            return item_end(data, last), _next_lead(lead), False
    end = _section_content_end(document, lines, section)
    previous = lines.text(end) if end >= 1 else b""
    needs_blank = bool(previous.strip(b" \t")) and _LEAD.match(previous) is None
    return end, _bullet(document, lines) + b" ", needs_blank


def check_task_text(text: str) -> str:
    """A task's text as given by a person: one line, something in it, no control characters."""
    if "\n" in text or "\r" in text:
        raise EditError("the task text must be one line")
    if any(ord(c) < 32 and c != "\t" or 0x7F <= ord(c) < 0xA0 for c in text):
        raise EditError("the task text holds control characters")
    if not text.strip():
        raise EditError("the task text is empty")
    return text.strip()


def _section_by_path(document: Document, path: tuple[str, ...]) -> int | None:
    found = [s.index for s in document.sections if tuple(without_marker(t) for t in document.section_path(s.index)) == path]
    if len(found) != 1:
        raise EditError(f"{document.path}: the section '{' > '.join(path)}' is {'gone' if not found else 'ambiguous'}; nothing written")
    return found[0]


def _path_of(document: Document, section: int | None) -> tuple[str, ...]:
    return tuple(without_marker(t) for t in document.section_path(section))


def _insert_shape(before: Document, after_line: int, keys: list[tuple[str, str, TaskKey]], new_section: tuple[int, str] | None = None) -> Shape:
    tasks, sections = shape_of(before)
    at = sum(1 for t in before.tasks if t.line <= after_line)
    tasks = tasks[:at] + tuple(keys) + tasks[at:]
    if new_section is not None:
        sections = (*sections, new_section)
    return tasks, sections


def add_task(document: Document, section: int | None, text: str, create: str | None = None) -> tuple[Edit, Document]:
    """Add an open task ``text`` after the last task of ``section`` (its siblings' style); with
    ``create``, in a new section of that title at the end of the file instead."""
    text = check_task_text(text)
    section_path = _path_of(document, section) if create is None else ()

    def planner(data: bytes, current: Document) -> Plan:
        lines = Lines.of(data)
        if create is not None:
            level = _new_section_level(current)
            title = check_task_text(create)
            heading = b"#" * level + b" " + title.encode()
            new = [b"", heading, b"", _bullet(current, lines) + b" [ ] " + text.encode()]
            if not data.strip():
                new = new[1:]
            span = _insertion(lines, lines.count, new)
            key = TaskKey("checkbox", " ".join(text.split()), _new_section_path(current, level, title))
            shape = _insert_shape(current, lines.count, [("checkbox", "open", key)], (level, without_marker(title)))
            return Plan((span,), lines.count + len(new), key, None, None, f"add {short(text)}", shape=shape)
        target = section if current is document else _section_by_path(current, section_path)
        after_line, lead, blank_first = _where_to_add(current, lines, data, target)
        new_line = lead + b"[ ] " + text.encode()
        new = [b"", new_line] if blank_first else [new_line]
        span = _insertion(lines, after_line, new)
        key = TaskKey("checkbox", " ".join(text.split()), _path_of(current, target))
        shape = _insert_shape(current, after_line, [("checkbox", "open", key)])
        return Plan((span,), after_line + len(new), key, None, None, f"add {short(text)}", shape=shape)

    return apply(document, planner)


def _new_section_level(document: Document) -> int:
    """A new section sits under the document's title: one level below a lone top heading."""
    if not document.sections:
        return 2
    top = min(s.level for s in document.sections)
    tops = [s for s in document.sections if s.level == top]
    return min(top + 1, 6) if len(tops) == 1 and tops[0].index == 0 else top


def _new_section_path(document: Document, level: int, title: str) -> tuple[str, ...]:
    """The section path a heading of ``level`` appended at the end gets: its open ancestors."""
    chain: list[str] = []
    for record in document.sections:
        while len(chain) and chain[-1][0] >= record.level:  # type: ignore[index]
            chain.pop()
        chain.append((record.level, without_marker(record.title)))  # type: ignore[arg-type]
    while chain and chain[-1][0] >= level:  # type: ignore[index]
        chain.pop()
    return (*(t for _, t in chain), without_marker(title))  # type: ignore[misc]


# -- moving --------------------------------------------------------------------------------------


def item_lines(data: bytes, task: Task) -> tuple[int, int]:
    """(first, last) 1-based lines of ``task``'s item with its subtasks."""
    return task.line, item_end(data, task)


def _reindent(lines: Lines, first: int, last: int, lead_to: bytes) -> list[bytes]:
    """The item's lines led as a sibling of the destination's tasks: its first line gets their
    lead (quote markers, indentation, bullet or next number), its other lines the same prefix
    and the indentation that keeps them inside the item."""
    own = _LEAD.match(lines.text(first))
    assert own is not None
    old_prefix, old_width = own.group("prefix"), len(own.group(0))
    target = _LEAD.match(lead_to)
    new_prefix = target.group("prefix") if target else b""
    old_inner = b" " * (old_width - len(old_prefix))
    new_inner = b" " * (len(lead_to) - len(new_prefix))
    moved = [lead_to + lines.text(first)[old_width:]]
    for number in range(first + 1, last + 1):
        text = lines.text(number)
        if not text.strip(b" \t>"):
            text = new_prefix.rstrip(b" \t") if b">" in new_prefix else b""
        elif text.startswith(old_prefix + old_inner):
            text = new_prefix + new_inner + text[len(old_prefix) + len(old_inner) :]
        elif text.startswith(old_prefix):
            text = new_prefix + text[len(old_prefix) :]
        moved.append(text)
    return moved


def _removal(lines: Lines, first: int, last: int) -> Span:
    start = lines.bounds[first - 1][0]
    end = lines.bounds[last - 1][2]
    if end == len(lines.data) and lines.bounds[last - 1][1] == end and first > 1:
        start = lines.bounds[first - 2][1]  # the last line goes: so does the break before it
    return Span(start, lines.data[start:end], b"")


def move_task(document: Document, task: Task, target: Document, section: int | None) -> list[tuple[Edit, Document]]:
    """Move ``task`` with its subtasks after the last task of ``section`` in ``target`` (the same
    document or another). Another file: the task is added there first, then taken out here, so a
    refusal in between leaves it in both files, never in none."""
    if task.kind != "checkbox":
        raise EditError(f"{document.path}:{task.line}: only checkbox tasks can be moved")
    same_file = target.path == document.path
    key = task_key(document, task)
    section_path = _path_of(target, section)

    def moved_block(data: bytes, current: Document) -> tuple[Task, int, int, list[Task]]:
        found = task if current is document else _find(current, key, document.path, task.line)
        first, last = item_lines(data, found)
        inside = [t for t in current.tasks if first <= t.line <= last]
        return found, first, last, inside

    if same_file:

        def planner(data: bytes, current: Document) -> Plan:
            lines = Lines.of(data)
            found, first, last, inside = moved_block(data, current)
            destination = section if current is document else _section_by_path(current, section_path)
            after_line, lead, blank_first = _where_to_add(current, lines, data, destination)
            if first <= after_line <= last or (after_line == first - 1 and destination == found.section):
                raise EditError(f"{current.path}:{found.line}: the task is already there")
            moved = _reindent(lines, first, last, lead)
            new = ([b""] if blank_first else []) + moved
            insert = _insertion(lines, after_line, new)
            remove = _removal(lines, first, last)
            spans = tuple(sorted((insert, remove), key=lambda s: s.offset))
            shape = _move_shape(current, inside, after_line, _path_of(current, destination))
            return Plan(spans, found.line, key, found.state, None, f"move {short(found.text)}", shape=shape)

        return [apply(document, planner)]

    group = new_group()
    read: dict[str, object] = {}

    def insert_planner(data: bytes, current: Document) -> Plan:
        from planner.writer.patch import read_file  # noqa: PLC0415

        source = read_file(document.path)
        from planner.model.parser import parse_document  # noqa: PLC0415

        source_doc = parse_document(document.path, source)
        found, first, last, inside = moved_block(source, source_doc if source_doc.digest != document.digest else document)
        read["source"] = source
        lines = Lines.of(data)
        source_lines = Lines.of(source)
        destination = section if current is target else _section_by_path(current, section_path)
        after_line, lead, blank_first = _where_to_add(current, lines, data, destination)
        moved = _reindent(source_lines, first, last, lead)
        new = ([b""] if blank_first else []) + moved
        span = _insertion(lines, after_line, new)
        path = _path_of(current, destination)
        keys = [(t.kind, t.state, TaskKey(t.kind, task_key(source_doc, t).text, path)) for t in inside]
        shape = _insert_shape(current, after_line, keys)
        return Plan((span,), after_line + 1, key, None, None, f"move in {short(found.text)}", shape=shape)

    def remove_planner(data: bytes, current: Document) -> Plan:
        if data != read["source"]:
            raise EditError(
                f"{document.path}:{task.line}: the file changed while the task was moved; it is now in both files (undo with u)"
            )
        lines = Lines.of(data)
        found, first, last, inside = moved_block(data, current)
        tasks, sections = shape_of(current)
        gone = {t.index for t in inside}
        shape = (tuple(s for t, s in zip(current.tasks, tasks, strict=True) if t.index not in gone), sections)
        return Plan((_removal(lines, first, last),), found.line, key, found.state, None, f"move out {short(found.text)}", shape=shape)

    # The removal is checked before the insertion is written: taking the item out can change
    # how the rest reads ("2." left first under a paragraph is no list), and then nothing is
    # written anywhere (the task in both files, with no edit to undo the copy, is no refusal).
    _check_removal(document, remove_planner, read)
    inserted = apply(target, insert_planner, group)
    removed = apply(document, remove_planner, group)
    return [inserted, removed]


def _check_removal(document: Document, planner: Callable[[bytes, Document], Plan], read: dict[str, object]) -> None:
    from planner.model.parser import parse_document  # noqa: PLC0415
    from planner.writer.patch import read_file, splice  # noqa: PLC0415

    data = read_file(document.path)
    read["source"] = data
    current = document if digest(data) == document.digest else parse_document(document.path, data)
    plan = planner(data, current)
    got = shape_of(parse_document(document.path, splice(data, plan.spans, document.path, plan.line)))
    if got != plan.shape:
        why = difference(plan.shape, got)
        raise EditError(f"{document.path}:{plan.line}: taking this task out would change how the file reads ({why}); nothing written")


def _find(document: Document, key: TaskKey, path: str, line: int) -> Task:
    matches = [t for t in document.tasks if task_key(document, t) == key]
    if len(matches) != 1:
        raise EditError(f"{path}:{line}: the file changed on disk and the task is {'gone' if not matches else 'ambiguous'}; nothing written")
    return matches[0]


def _move_shape(before: Document, inside: list[Task], after_line: int, destination: tuple[str, ...]) -> Shape:
    tasks, sections = shape_of(before)
    gone = {t.index for t in inside}
    moved = tuple((t.kind, t.state, TaskKey(t.kind, task_key(before, t).text, destination)) for t in inside)
    kept: list[tuple[str, str, TaskKey]] = []
    placed = False
    for record, entry in zip(before.tasks, tasks, strict=True):
        if not placed and record.line > after_line:
            kept.extend(moved)
            placed = True
        if record.index not in gone:
            kept.append(entry)
    if not placed:
        kept.extend(moved)
    return tuple(kept), sections


# -- archiving -----------------------------------------------------------------------------------


def done_section(document: Document) -> int | None:
    """The document's Done / Completed / Archive section, if it has one."""
    for record in document.sections:
        if _DONE_WORDS.search(without_marker(record.label or record.title)) and len(record.title) < 60:
            return record.index
    return None


def archive(document: Document, section: int | None) -> tuple[Edit, Document]:
    """Move the done tasks of ``section`` (done with all their subtasks) into the document's
    Done section, created at the end ("## Done") when it has none. One edit: undone at once."""
    section_path = _path_of(document, section)

    def planner(data: bytes, current: Document) -> Plan:
        lines = Lines.of(data)
        source = section if current is document else _section_by_path(current, section_path)
        done_at = done_section(current)
        if done_at is not None and source == done_at:
            raise EditError(f"{current.path}: this is the Done section already")
        blocks = []
        for candidate in _siblings(current, source):
            first, last = item_lines(data, candidate)
            inside = [t for t in current.tasks if first <= t.line <= last]
            if all(t.kind == "checkbox" and t.state == "done" for t in inside):
                blocks.append((first, last, inside))
        if not blocks:
            raise EditError(f"{current.path}: no done tasks to archive in this section")
        spans = [_removal(lines, first, last) for first, last, _ in blocks]
        moved_lines: list[bytes] = []
        if done_at is not None:
            after_line, lead, blank_first = _where_to_add(current, lines, data, done_at)
            for first, last, _ in blocks:
                moved_lines += _reindent(lines, first, last, lead)
            destination_path = _path_of(current, done_at)
            new_section = None
            new = ([b""] if blank_first else []) + moved_lines
        else:
            level = _new_section_level(current)
            after_line = lines.count
            lead = _bullet(current, lines) + b" "
            for first, last, _ in blocks:
                moved_lines += _reindent(lines, first, last, lead)
            new = [b"", b"#" * level + b" Done", b"", *moved_lines]
            destination_path = _new_section_path(current, level, "Done")
            new_section = (level, "Done")
        if any(first <= after_line <= last for first, last, _ in blocks):
            raise EditError(f"{current.path}: the done tasks are at the end of the Done section already")
        spans.append(_insertion(lines, after_line, new))
        inside_all = [t for _, _, inside in blocks for t in inside]
        tasks, sections = _move_shape(current, inside_all, after_line, destination_path)
        if new_section is not None:
            sections = (*sections, new_section)
        description = f"archive {len(blocks)} done task{'s' if len(blocks) != 1 else ''}"
        first_task = blocks[0][2][0]
        return Plan(tuple(sorted(spans, key=lambda s: s.offset)), first_task.line, task_key(current, first_task), "done", None, description, shape=(tasks, sections))

    return apply(document, planner)


__all__ = ["add_task", "archive", "done_section", "item_end", "move_task", "new_group"]
