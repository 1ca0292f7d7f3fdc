"""Checks shared by the edit property tests: scratch files, refusals, byte and line comparisons.

Nothing here asks the writer what it meant to do: lines, list items (markdown-it, as the
oracle reads them) and the tasks a re-parse sees are compared by these helpers themselves.
"""

from __future__ import annotations

import os
import re
import tempfile
from contextlib import contextmanager
from pathlib import Path

from helpers.edit_docs import Doc, line_span, split_lines
from hypothesis import event
from hypothesis import strategies as st

from oracle import oracle_tasks
from planner.model.parser import parse_document
from planner.writer import patch
from planner.writer.patch import EditError

TODAY = "2026-12-02"
PICK = st.integers(0, 10_000)

# Refusals that say why and are right to refuse (anything else fails the test).
ALLOWED = (
    "is like that already",
    "a heading task cannot be",
    "has no Priority field",
    "has no due date",
    "has no scheduled date",
    "dates are set on checkbox tasks",
    "only checkbox tasks can be moved",
    "the task is already there",
    "no done tasks to archive",
    "this is the Done section already",
    "at the end of the Done section already",
    "only open and done tasks can be ticked",
    "already",  # "is done already", "is already open"
)


@contextmanager
def written(doc: Doc, name: str = "plan.md"):  # noqa: ANN201
    """The document in a scratch file: (path, bytes, parsed model). ``PLANNER_TODAY`` fixed."""
    old_today = os.environ.get("PLANNER_TODAY")
    os.environ["PLANNER_TODAY"] = TODAY
    try:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / name
            data = doc.render()
            path.write_bytes(data)
            yield path, data, parse_document(str(path), data)
    finally:
        if old_today is None:
            os.environ.pop("PLANNER_TODAY", None)
        else:
            os.environ["PLANNER_TODAY"] = old_today


def refused(err: EditError) -> None:
    message = str(err)
    assert "\n" not in message and "Traceback" not in message
    assert any(reason in message for reason in ALLOWED), f"refused for no stated reason: {message}"
    reason = next(r for r in ALLOWED if r in message)
    event(f"refused: {reason}")


def view(task) -> tuple:  # noqa: ANN001
    return (task.kind, task.line, task.state, task.text, task.marker, task.status)


def others_same(before, after, line: int) -> None:  # noqa: ANN001
    assert [view(t) for t in before.tasks if t.line != line] == [view(t) for t in after.tasks if t.line != line]
    assert [(s.level, s.line) for s in before.sections] == [(s.level, s.line) for s in after.sections]


def only_line_changed(data: bytes, new: bytes, line: int) -> bytes:
    """Assert that ``new`` differs from ``data`` only inside line ``line``; its new bytes."""
    start, end = line_span(data, line)
    tail = len(data) - end
    assert new[:start] == data[:start], "bytes before the edited line changed"
    assert new[len(new) - tail :] == data[end:], "bytes after the edited line changed"
    return new[start : len(new) - tail]


def undo_restores(edit, after, path: Path, original: bytes) -> None:  # noqa: ANN001
    patch.undo(edit, after)
    assert path.read_bytes() == original, "undo did not give back the original bytes"
    event("undone")


def pick(items: list, index: int):  # noqa: ANN001, ANN201
    return items[index % len(items)] if items else None


def content_of(line: bytes, task) -> str:  # noqa: ANN001
    """A checkbox line's text after its box (the line as bytes, the task's offset in the file)."""
    text = line.decode("utf-8", "surrogateescape")
    box = re.search(r"\[[^\]]\]", text)
    assert box is not None
    return text[box.end() :]


def checkbox_tasks(document) -> list:  # noqa: ANN001
    return [t for t in document.tasks if t.kind == "checkbox"]


def oracle_same_but(before: bytes, after: bytes, line: int, checked: bool | None) -> None:
    """The oracle sees the same checkboxes, except line ``line`` (its box ``checked``; None: none)."""
    was = dict(oracle_tasks(before))
    now = dict(oracle_tasks(after))
    was.pop(line, None)
    if checked is not None and line in now:
        assert now.pop(line) == checked
    else:
        now.pop(line, None)
    assert was == now


LEAD = re.compile(rb"^((?:[ \t]*>)*[ \t]*)([-*+]|([0-9]{1,9})([.)]))([ \t]+)")
BREAKS = re.compile(rb"\r\n|\r|\n")


def same_ending(data: bytes, new: bytes, newline: str) -> None:
    """No new line ending style, the BOM as it was, and no final newline where there was none
    (unless the last lines were taken away: then the last line left is a blank one)."""
    old_breaks = set(BREAKS.findall(data)) or {newline.encode()}
    assert set(BREAKS.findall(new)) <= old_breaks
    assert new.startswith(b"\xef\xbb\xbf") == data.startswith(b"\xef\xbb\xbf")
    if data.endswith((b"\n", b"\r")):
        assert new.endswith((b"\n", b"\r"))
    elif new.endswith((b"\n", b"\r")):
        assert split_lines(new)[0][-1] == b""


def insertion(old: list[bytes], new: list[bytes]) -> tuple[int, int]:
    """(where, how many): ``new`` is ``old`` with one run of lines inserted; else the test fails."""
    extra = len(new) - len(old)
    assert extra > 0, "no lines were added"
    common = 0
    while common < len(old) and old[common] == new[common]:
        common += 1
    for where in range(common, -1, -1):
        if new[:where] == old[:where] and new[where + extra :] == old[where:]:
            return where, extra
    raise AssertionError("the other lines are not the same, in order")


def item_range(data: bytes, line: int) -> tuple[int, int]:
    """(first, last) lines of the list item on ``line`` with its subtasks, as the oracle's
    markdown-it reads it, without the blank lines after it."""
    from oracle import oracle as oracle_parser

    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    lines, _ = split_lines(data)
    for token in oracle_parser().parse(body.decode("utf-8", "surrogateescape")):
        if token.type == "list_item_open" and token.map and token.map[0] == line - 1:
            end = token.map[1]
            while end > line and not lines[end - 1].strip(b" \t"):
                end -= 1
            return line, end
    raise AssertionError(f"no list item on line {line}")


def removal_reads_otherwise(path: Path, data: bytes, document, ranges: list[tuple[int, int]]) -> bool:  # noqa: ANN001
    """Whether taking the lines of ``ranges`` out changes how the rest of the file reads (then a
    move or archive is right to refuse): the tasks left are not the others, as they were."""
    lines, breaks = split_lines(data)
    gone = {n for first, last in ranges for n in range(first, last + 1)}
    kept = [(line, brk) for n, (line, brk) in enumerate(zip(lines, [*breaks, b""], strict=True), 1) if n not in gone]
    left = (b"\xef\xbb\xbf" if data.startswith(b"\xef\xbb\xbf") else b"") + b"".join(line + brk for line, brk in kept)
    others = [v for t, v in zip(document.tasks, tasks_seen(document), strict=True) if t.line not in gone]
    return tasks_seen(parse_document(str(path), left)) != others


def refused_move(err: EditError, path: Path, data: bytes, document, ranges: list[tuple[int, int]]) -> None:  # noqa: ANN001
    if "would change how the file reads" in str(err):
        assert removal_reads_otherwise(path, data, document, ranges), f"refused, yet the rest reads the same without the item: {err}"
        event("refused: taking the item out changes how the rest reads")
        return
    refused(err)


def tasks_seen(document) -> list[tuple[str, str, str]]:  # noqa: ANN001
    return [(t.kind, t.state, t.text) for t in document.tasks]


def path_of(document, section) -> tuple[str, ...]:  # noqa: ANN001
    return tuple(document.section_path(section))


def states_in_order(data: bytes) -> list[bool]:
    return [checked for _, checked in oracle_tasks(data)]


def moved_ok(old_lines: list[bytes], first: int, last: int, new_lines: list[bytes], at: int, extra: int) -> int:
    """The inserted run is the moved item: its first line from the box on, its other lines
    without their quote markers and blanks, the same (a blank line may come first)."""
    moved = old_lines[first - 1 : last]
    block = new_lines[at : at + extra]
    if len(block) == len(moved) + 1:  # with a blank line (which of equal ones is a matter of reading)
        blank = 0 if not block[0].strip(b" \t>") else len(block) - 1
        assert not block[blank].strip(b" \t>")
        block = block[:blank] + block[blank + 1 :]
        at += blank == 0
    assert len(block) == len(moved)
    assert block[0][block[0].index(b"[") :] == moved[0][moved[0].index(b"[") :]
    for was, now in zip(moved[1:], block[1:], strict=True):
        assert was.lstrip(b" \t>") == now.lstrip(b" \t>")
    return at + 1  # the moved task's line now
