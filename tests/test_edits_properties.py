"""Every edit kind, over generated documents: only the edited task's bytes change, the re-parse
reads exactly the intended change, and undo gives back the original bytes.

The documents (tests/helpers/edit_docs.py) mix every bullet (``- * + 1. 1)``), sequential and
repeated numbering, nesting with blanks and tabs, block quotes, continuation lines, heading
tasks with markers spelled as UTF-8 or as mojibake, other states (``[/] [-] [>]``), LF, CRLF
and CR, a BOM, no final newline, trailing blanks, and on task lines every metadata dialect the
writer knows: Obsidian Tasks emoji dates and priorities, ``[key:: value]``, todo.txt ``(A)``,
``due:``, ``t:``, ``+proj`` and ``@ctx``, ``#tags`` and P-tags.

What each test asserts, without asking the writer:

* a line edit (tick, text, state, priority, dates): the bytes before and after the task's
  line are the same; the line reads as the generator's parts with exactly the edited part
  changed (checked by these tests' own readers of dates and priorities); every other task
  parses the same, on the same line;
* an edit of whole lines (add, move, archive): the file's other lines are the same, in order,
  no new line ending style appears and a missing final newline stays missing; the tasks are
  the same ones, with the added or moved ones where intended;
* undo gives back the original bytes, and toggling twice gives back the bytes.

A refusal (``EditError``) is allowed only for the reasons listed in ``ALLOWED``; each is
tallied with hypothesis' ``event``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

from helpers.edit_checks import (
    LEAD,
    PICK,
    TODAY,
    checkbox_tasks,
    content_of,
    insertion,
    item_range,
    moved_ok,
    only_line_changed,
    oracle_same_but,
    others_same,
    path_of,
    pick,
    refused,
    refused_move,
    same_ending,
    states_in_order,
    tasks_seen,
    undo_restores,
    view,
    written,
)
from helpers.edit_docs import NEW_TEXT, Doc, dates_of, documents, line_span, priorities_of, split_lines
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from oracle import oracle_tasks
from planner.model.parser import parse_document
from planner.writer import patch
from planner.writer.edit import toggle, toggle_line
from planner.writer.edit import undo as undo_toggle
from planner.writer.fields import set_date, set_priority, set_state, set_text
from planner.writer.lines import add_task, archive, move_task
from planner.writer.patch import EditError
from planner.writer.when import parse_when

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# -- tick and untick ------------------------------------------------------------------------------


@SETTINGS
@given(doc=documents(), which=PICK)
def test_tick_untick_changes_only_the_marker_and_undoes(doc: Doc, which: int) -> None:
    with written(doc) as (path, data, document):
        task = pick([t for t in document.tasks if t.toggleable], which)
        if task is None:
            return
        edit, after = toggle(document, task)
        new = path.read_bytes()
        line = only_line_changed(data, new, task.line)
        old_line = data[slice(*line_span(data, task.line))]
        if task.kind == "checkbox":
            column = task.offset - line_span(data, task.line)[0] + 1
            assert line[:column] == old_line[:column] and line[column + 1 :] == old_line[column + 1 :]
            assert (line[column : column + 1] in b"xX") != task.done
            oracle_same_but(data, new, task.line, not task.done)
        now = after.task_at_line(task.line)
        if now is None:  # an untick that took the done marker off a heading (no open marker in use)
            assert task.kind == "heading" and task.done
            assert line.split() == old_line.replace(task.marker.encode("utf-8", "surrogateescape"), b" ").split()
        else:
            assert now.kind == task.kind and now.done != task.done
        others_same(document, parse_document(str(path), new), task.line)
        assert [view(t) for t in after.tasks] == [view(t) for t in parse_document(str(path), new).tasks]
        # Toggling back gives back the bytes; undoing the second toggle gives the first one's.
        back, again = toggle(after, now) if now is not None else toggle_line(after, task.line)
        assert path.read_bytes() == data, "toggling twice did not give back the bytes"
        undo_toggle(back, again)
        assert path.read_bytes() == new
        event(f"toggled {task.kind}")


@SETTINGS
@given(doc=documents(), which=PICK)
def test_undo_of_a_tick_restores_the_bytes(doc: Doc, which: int) -> None:
    with written(doc) as (path, data, document):
        task = pick([t for t in document.tasks if t.toggleable], which)
        if task is None:
            return
        edit, after = toggle(document, task)
        undo_toggle(edit, after)
        assert path.read_bytes() == data


# -- text -----------------------------------------------------------------------------------------


@SETTINGS
@given(doc=documents(), which=PICK, text=NEW_TEXT)
def test_text_edit_writes_only_the_words(doc: Doc, which: int, text: str) -> None:
    with written(doc) as (path, data, document):
        task = pick(document.tasks, which)
        if task is None:
            return
        part = doc.line(task.line)
        expected = None
        if part.kind == task.kind == "checkbox":
            expected = f"{part.head}[{part.box}]{part.gap}{part.todo}{text}{''.join(' ' + m for m in part.meta)}{part.trailing}"
        elif part.kind == task.kind == "heading":
            if which % 2:
                text = f"Task 1: {text}"  # a work item's words keep a leading marker's heading a task
            expected = f"{part.head}{part.marker} {text}" if part.marker_first else f"{part.head}{text} {part.marker}"
        try:
            edit, after = set_text(document, task, text)
        except EditError as err:
            if "would change how the file reads" in str(err) and expected is not None:
                # Right to refuse only if the intended bytes do read otherwise.
                start, end = line_span(data, task.line)
                intended = parse_document(str(path), data[:start] + expected.encode("utf-8", "surrogateescape") + data[end:])
                now = intended.task_at_line(task.line)
                assert now is None or (now.kind, now.state, now.status) != (task.kind, task.state, task.status), str(err)
                event("refused: the new words make the line read otherwise")
                return
            refused(err)
            return
        new = path.read_bytes()
        line = only_line_changed(data, new, task.line).decode("utf-8", "surrogateescape")
        if expected is not None:
            assert line == expected
        fresh = parse_document(str(path), new)
        now = fresh.task_at_line(task.line)
        assert now is not None and (now.kind, now.state, now.status) == (task.kind, task.state, task.status)
        assert text in now.text
        others_same(document, fresh, task.line)
        undo_restores(edit, after, path, data)


# -- state ----------------------------------------------------------------------------------------

BOX = {"open": " ", "in-progress": "/", "cancelled": "-", "deferred": ">"}
HEADING_STATUS = {"in-progress": "in progress", "cancelled": "cancelled", "done": "done"}
_DONE_DATE = re.compile(r"[ \t]+✅\ufe0f?[ \t]*\d{4}-\d{2}-\d{2}")


@SETTINGS
@given(doc=documents(), which=PICK, state=st.sampled_from(["open", "in-progress", "done", "cancelled", "deferred"]))
def test_state_edit_writes_the_box_or_marker(doc: Doc, which: int, state: str) -> None:
    with written(doc) as (path, data, document):
        task = pick(document.tasks, which)
        if task is None:
            return
        try:
            edit, after = set_state(document, task, state)
        except EditError as err:
            refused(err)
            return
        new = path.read_bytes()
        line = only_line_changed(data, new, task.line).decode("utf-8", "surrogateescape")
        old = data[slice(*line_span(data, task.line))].decode("utf-8", "surrogateescape")
        fresh = parse_document(str(path), new)
        now = fresh.task_at_line(task.line)
        if now is None:  # reopening a done heading where no open marker is in use: the marker goes
            assert task.kind == "heading" and task.done and state == "open"
            event("state heading -> open (marker dropped)")
        else:
            assert now.kind == task.kind
        if task.kind == "checkbox":
            column = len(data[line_span(data, task.line)[0] : task.offset + 1].decode("utf-8", "surrogateescape"))
            letters = Counter(t.marker for t in document.tasks if t.kind == "checkbox" and t.state == "done")
            tick = "X" if letters["[X]"] > letters["[x]"] else "x"
            want = BOX.get(state) or (old[column] if task.state == "done" else tick)
            assert line[column] == want
            assert now.state == {" ": "open", "x": "done", "X": "done"}.get(want, want)
            # Apart from the box, at most a done date comes or goes.
            assert _DONE_DATE.sub("", line[:column] + line[column + 1 :]) == _DONE_DATE.sub("", old[:column] + old[column + 1 :])
            uses_done_dates = re.search(r"✅\ufe0f?[ \t]*\d{4}-\d{2}-\d{2}", data.decode("utf-8", "replace")) is not None
            if state == "done":
                assert bool(_DONE_DATE.search(line)) == (bool(_DONE_DATE.search(old)) or uses_done_dates)
                if not _DONE_DATE.search(old) and uses_done_dates:
                    assert f"✅ {TODAY}" in line
            else:
                assert not _DONE_DATE.search(line[column:])
            oracle_same_but(data, new, task.line, {" ": False, "x": True, "X": True}.get(want))
        elif now is not None:
            if state == "open":
                assert now.state == "open" and now.status in ("paused", "pending", None)
            else:
                assert now.status == HEADING_STATUS[state]
            assert now.mangled == task.mangled or task.status is None
        others_same(document, fresh, task.line)
        undo_restores(edit, after, path, data)
        event(f"state {task.kind} -> {state}")


# -- priority -------------------------------------------------------------------------------------


def _without_priority(content: str) -> str:
    content = re.sub(r"[🔺⏫🔼🔽⏬🔴🟠🟡🟢]\ufe0f?|[\[(]priority::[^\])]*[\])]|(?<![\w])[#\[(]?P[0-3][\])]?(?![\w])", " ", content)
    content = re.sub(r"^[ \t]*\([A-Z]\)[ \t]", " ", content)
    return " ".join(content.split())


@SETTINGS
@given(doc=documents(), which=PICK, level=st.sampled_from(["P0", "P1", "P2", "P3", None]))
def test_priority_edit_in_the_lines_dialect(doc: Doc, which: int, level: str | None) -> None:
    with written(doc) as (path, data, document):
        marked = [t for t in checkbox_tasks(document) if priorities_of(t.text)]
        task = pick(marked if marked and which % 2 else document.tasks, which)
        if task is None:
            return
        old = data[slice(*line_span(data, task.line))].decode("utf-8", "surrogateescape")
        try:
            edit, after = set_priority(document, task, level)
        except EditError as err:
            if task.kind == "checkbox":
                had = priorities_of(content_of(old.encode("utf-8", "surrogateescape"), task))
                assert "is like that already" in str(err), str(err)
                assert [lvl for _, lvl in had] == ([level] if level else [])
            refused(err)
            return
        new = path.read_bytes()
        line = only_line_changed(data, new, task.line)
        if task.kind == "checkbox":
            before = priorities_of(content_of(old.encode("utf-8", "surrogateescape"), task))
            written_now = priorities_of(content_of(line, task))
            if level is None:
                assert written_now == []
                event("priority removed")
            else:
                event("priority changed" if before else "priority set")
                assert [lvl for _, lvl in written_now] == [level]
                dialect = written_now[0][0]
                if before:
                    assert dialect == before[0][0], "the line's own dialect was not kept"
                else:
                    counts = Counter(d for t in checkbox_tasks(document) for d, _ in priorities_of(t.text)[:1])
                    best = max(counts.values(), default=0)
                    assert dialect in ({d for d, n in counts.items() if n == best} or {"emoji"})
                if dialect in ("emoji", "circle", "tag"):  # the dialects planner's model reads
                    now = parse_document(str(path), new).task_at_line(task.line)
                    assert now is not None and now.priority == level
                event(f"priority -> {dialect}")
            assert _without_priority(content_of(line, task)) == _without_priority(content_of(old.encode("utf-8", "surrogateescape"), task))
        fresh = parse_document(str(path), new)
        now = fresh.task_at_line(task.line)
        assert now is not None and (now.kind, now.state) == (task.kind, task.state)
        others_same(document, fresh, task.line)
        undo_restores(edit, after, path, data)


# -- due and scheduled dates ----------------------------------------------------------------------


def _without_date(content: str, kind: str) -> str:
    from helpers.edit_docs import DATE_READERS

    for _, pattern in DATE_READERS[kind]:
        content = re.sub(pattern, " ", content)
    return " ".join(content.split())


@SETTINGS
@given(
    doc=documents(),
    which=PICK,
    kind=st.sampled_from(["due", "scheduled"]),
    when=st.sampled_from(["2026-12-24", "2027-01-01", "+1d", "+1w", "-3d", "+1m", "next monday", "tomorrow", "none"]),
)
def test_date_edit_sets_shifts_and_clears(doc: Doc, which: int, kind: str, when: str) -> None:
    with written(doc) as (path, data, document):
        dated = [t for t in checkbox_tasks(document) if dates_of(t.text, kind)]
        task = pick(dated if dated and which % 3 else document.tasks, which)
        if task is None:
            return
        old = data[slice(*line_span(data, task.line))]
        had = dates_of(content_of(old, task), kind) if task.kind == "checkbox" else []
        base = dt.date.fromisoformat(had[0][1]) if had else None
        day = None if when == "none" else parse_when(when, base)
        try:
            edit, after = set_date(document, task, day, kind)
        except EditError as err:
            if task.kind == "checkbox" and not (day is None and not had):
                assert "is like that already" in str(err) and had and had[0][1] == day.isoformat(), str(err)
            refused(err)
            return
        new = path.read_bytes()
        line = only_line_changed(data, new, task.line)
        now_dates = dates_of(content_of(line, task), kind)
        if day is None:
            assert now_dates == []
            event(f"{kind} cleared")
        else:
            assert [d for _, d in now_dates] == [day.isoformat()]
            if had:
                assert now_dates[0][0] == had[0][0], "the line's own date dialect was not kept"
            event(f"{kind} {'shifted' if when.startswith(('+', '-')) else 'set'} ({now_dates[0][0]})")
        assert _without_date(content_of(line, task), kind) == _without_date(content_of(old, task), kind)
        other = "scheduled" if kind == "due" else "due"
        assert dates_of(content_of(line, task), other) == dates_of(content_of(old, task), other)
        fresh = parse_document(str(path), new)
        now = fresh.task_at_line(task.line)
        assert now is not None and (now.kind, now.state, now.priority) == (task.kind, task.state, task.priority)
        others_same(document, fresh, task.line)
        oracle_same_but(data, new, task.line, task.done if task.toggleable else None)
        undo_restores(edit, after, path, data)


# -- faults these properties found (each failed before its fix) -----------------------------------


def test_text_edit_keeps_a_p_tag_in_the_metadata(tmp_path: Path) -> None:
    """A bare ``P1`` at the end of a line is the priority set_priority writes in the tag dialect:
    the words of a text edit stop before it (it was replaced with the words)."""
    path = tmp_path / "plan.md"
    for line, after in (("- [ ] fix it P1", "- [ ] renamed P1"), ("- [ ] fix it [P2] #tag", "- [ ] renamed [P2] #tag"), ("- [ ] fix P0 crash", "- [ ] renamed")):
        path.write_bytes(f"# T\n\n{line}\n".encode())
        document = parse_document(str(path), path.read_bytes())
        set_text(document, document.tasks[0], "renamed")
        assert path.read_bytes() == f"# T\n\n{after}\n".encode()


def test_text_edit_renames_a_heading_task_with_tasks_under_it(tmp_path: Path) -> None:
    """Renaming a heading task renames the section of the tasks under it; the check that only
    the edited line reads differently refused that (it compared those tasks' section titles)."""
    path = tmp_path / "plan.md"
    original = "# T\n\n## Task 1: Build ⏸️\n\n- [ ] sub\n\n### Inner\n\n- [x] deeper\n".encode()
    path.write_bytes(original)
    document = parse_document(str(path), original)
    edit, after = set_text(document, document.tasks[0], "Task 1: Ship")
    assert path.read_bytes() == original.replace(b"Build", b"Ship")
    assert [t.section for t in after.tasks] == [t.section for t in document.tasks]
    patch.undo(edit, after)
    assert path.read_bytes() == original


# -- whole lines: add, move, archive --------------------------------------------------------------


@SETTINGS
@given(doc=documents(), which=PICK, text=NEW_TEXT, create=st.booleans())
def test_add_inserts_one_task_line_in_the_siblings_style(doc: Doc, which: int, text: str, create: bool) -> None:
    with written(doc) as (path, data, document):
        section = pick([None, *range(len(document.sections))], which)
        try:
            if create:
                edit, after = add_task(document, None, text, create="New work")
            else:
                edit, after = add_task(document, section, text)
        except EditError as err:
            refused(err)
            return
        new = path.read_bytes()
        same_ending(data, new, doc.newline)
        old_lines, new_lines = split_lines(data)[0], split_lines(new)[0]
        where, extra = insertion(old_lines, new_lines)
        block = new_lines[where : where + extra]
        # Which of equal blank lines is the inserted one is a matter of reading: the run holds
        # the heading (a new section) and the task, and blank lines.
        filled = [n for n, line in enumerate(block) if line]
        added_at = where + filled[-1] + 1
        added = block[filled[-1]]
        assert added.endswith(b"[ ] " + text.encode())
        if create:
            assert len(filled) == 2 and re.fullmatch(rb"#{1,6} New work", block[filled[0]])
        else:
            assert len(filled) == 1
            siblings = [t for t in document.tasks if t.kind == "checkbox" and t.section == section and t.parent is None]
            lead = LEAD.match(added)
            assert lead is not None
            if siblings:
                theirs = LEAD.match(old_lines[siblings[-1].line - 1])
                if theirs is not None:
                    assert lead.group(1) == theirs.group(1) and lead.group(5) == theirs.group(5)
                    if theirs.group(3):
                        assert int(lead.group(3)) == int(theirs.group(3)) + 1 and lead.group(4) == theirs.group(4)
                    else:
                        assert lead.group(2) == theirs.group(2)
        fresh = parse_document(str(path), new)
        mine = fresh.task_at_line(added_at)
        assert mine is not None and (mine.kind, mine.state, mine.text) == ("checkbox", "open", text)
        assert tasks_seen(document) == [v for t, v in zip(fresh.tasks, tasks_seen(fresh), strict=True) if t is not mine]
        if create:
            assert fresh.sections[-1].title == "New work" and mine.section == fresh.sections[-1].index
        else:
            assert path_of(fresh, mine.section) == path_of(document, section)
        oracle_now = oracle_tasks(new)
        assert (added_at, False) in oracle_now
        assert [c for line, c in oracle_now if line != added_at] == states_in_order(data)
        undo_restores(edit, after, path, data)
        event("added to a new section" if create else "added")



@SETTINGS
@given(doc=documents(), which=PICK, where=PICK)
def test_move_within_a_file_moves_the_item_and_nothing_else(doc: Doc, which: int, where: int) -> None:
    with written(doc) as (path, data, document):
        task = pick(checkbox_tasks(document), which)
        if task is None:
            return
        section = pick([None, *range(len(document.sections))], where)
        first, last = item_range(data, task.line)
        try:
            [(edit, after)] = move_task(document, task, document, section)
        except EditError as err:
            refused_move(err, path, data, document, [(first, last)])
            assert path.read_bytes() == data
            return
        new = path.read_bytes()
        same_ending(data, new, doc.newline)
        old_lines, new_lines = split_lines(data)[0], split_lines(new)[0]
        rest = old_lines[: first - 1] + old_lines[last:]
        at, extra = insertion(rest, new_lines)
        now_at = moved_ok(old_lines, first, last, new_lines, at, extra)
        fresh = parse_document(str(path), new)
        assert Counter(tasks_seen(fresh)) == Counter(tasks_seen(document))
        moved = fresh.task_at_line(now_at)
        assert moved is not None and moved.text == task.text and path_of(fresh, moved.section) == path_of(document, section)
        assert Counter(states_in_order(new)) == Counter(states_in_order(data))
        undo_restores(edit, after, path, data)
        event("moved within the file")


@SETTINGS
@given(doc=documents(), other=documents(task_headings=False), which=PICK, where=PICK)
def test_move_to_another_file(doc: Doc, other: Doc, which: int, where: int) -> None:
    with written(doc) as (path, data, document), written(other, "other.md") as (target_path, target_data, target):
        task = pick(checkbox_tasks(document), which)
        if task is None:
            return
        section = pick([None, *range(len(target.sections))], where)
        first, last = item_range(data, task.line)
        try:
            (inserted, inserted_doc), (removed, removed_doc) = move_task(document, task, target, section)
        except EditError as err:
            refused_move(err, path, data, document, [(first, last)])
            assert path.read_bytes() == data and target_path.read_bytes() == target_data
            return
        new, new_target = path.read_bytes(), target_path.read_bytes()
        same_ending(data, new, doc.newline)
        same_ending(target_data, new_target, other.newline)
        old_lines = split_lines(data)[0]
        assert split_lines(new)[0] == old_lines[: first - 1] + old_lines[last:] or (
            last == len(old_lines) and split_lines(new)[0] == old_lines[: first - 1] + [b""]
        ), "the source lost more than the item"
        target_lines, new_target_lines = split_lines(target_data)[0], split_lines(new_target)[0]
        at, extra = insertion(target_lines, new_target_lines)
        now_at = moved_ok(old_lines, first, last, new_target_lines, at, extra)
        moved_tasks = [(t.kind, t.state, t.text) for t in document.tasks if first <= t.line <= last]
        assert Counter(tasks_seen(parse_document(str(path), new))) == Counter(tasks_seen(document)) - Counter(moved_tasks)
        fresh_target = parse_document(str(target_path), new_target)
        assert Counter(tasks_seen(fresh_target)) == Counter(tasks_seen(target)) + Counter(moved_tasks)
        moved = fresh_target.task_at_line(now_at)
        assert moved is not None and moved.text == task.text and path_of(fresh_target, moved.section) == path_of(target, section)
        patch.undo(removed, removed_doc)
        patch.undo(inserted, inserted_doc)
        assert path.read_bytes() == data and target_path.read_bytes() == target_data
        event("moved to another file, undone")


@SETTINGS
@given(doc=documents(task_headings=False), which=PICK)
def test_archive_moves_the_done_items_into_the_done_section(doc: Doc, which: int) -> None:
    with written(doc) as (path, data, document):
        with_done = sorted({t.section for t in document.tasks if t.kind == "checkbox" and t.done and t.parent is None}, key=lambda s: -1 if s is None else s)
        assume(with_done)  # a document with no done task at the top of a list archives nothing
        section = pick(with_done if which % 4 else [None, *range(len(document.sections))], which)
        old_lines = split_lines(data)[0]
        blocks = []
        for task in document.tasks:
            if task.kind == "checkbox" and task.section == section and task.parent is None:
                first, last = item_range(data, task.line)
                inside = [t for t in document.tasks if first <= t.line <= last]
                if all(t.kind == "checkbox" and t.state == "done" for t in inside):
                    blocks.append((first, last, inside))
        try:
            edit, after = archive(document, section)
        except EditError as err:
            refused_move(err, path, data, document, [(first, last) for first, last, _ in blocks])
            assert path.read_bytes() == data
            if "no done tasks" in str(err):
                assert not blocks
            return
        assert blocks
        new = path.read_bytes()
        same_ending(data, new, doc.newline)
        gone = {n for first, last, _ in blocks for n in range(first, last + 1)}
        rest = [line for n, line in enumerate(old_lines, 1) if n not in gone]
        new_lines = split_lines(new)[0]
        if len(rest) == len(new_lines) - 0 and rest == new_lines:
            raise AssertionError("nothing was inserted")
        at, extra = insertion(rest, new_lines)
        fresh = parse_document(str(path), new)
        assert Counter(tasks_seen(fresh)) == Counter(tasks_seen(document))
        archived = [(t.kind, t.state, t.text) for _, _, inside in blocks for t in inside]
        landed = [t for t in fresh.tasks if at < t.line <= at + extra]
        assert [(t.kind, t.state, t.text) for t in landed] == archived
        titles = {fresh.sections[t.section].title for t in landed if t.section is not None}
        assert len(titles) == 1 and re.search(r"(?i)done|complete|archive", titles.pop())
        undo_restores(edit, after, path, data)
        event(f"archived {len(blocks)} item(s)")


def test_move_to_another_file_that_the_source_cannot_give_up_writes_neither(tmp_path: Path) -> None:
    """Taking "1." out of a nested list leaves "2." first under a paragraph, where it is no list
    item: the source must refuse. The copy into the other file was written before that refusal
    (the task in both files, and no edit returned to undo the copy); now neither is written."""
    source, other = tmp_path / "plan.md", tmp_path / "other.md"
    data = b"# plan\n\n1. [ ] parent\n   more about it\n   1. [ ] first\n   2. [ ] second\n"
    source.write_bytes(data)
    other.write_bytes(b"# other\n\n- [ ] x\n")
    document = parse_document(str(source), data)
    target = parse_document(str(other), other.read_bytes())
    first = next(t for t in document.tasks if t.text == "first")
    try:
        move_task(document, first, target, 0)
    except EditError as err:
        assert "would change how the file reads" in str(err)
        assert "(" in str(err) and ")" in str(err), "the refusal names what would change"
    else:
        raise AssertionError("the move was not refused")
    assert source.read_bytes() == data
    assert other.read_bytes() == b"# other\n\n- [ ] x\n"


def test_text_edit_of_a_heading_keeps_a_leading_marker_and_the_bracket_it_opens(tmp_path: Path) -> None:
    """The words of "## ✅ Phase 1 …" follow its marker, and those of "Data (TODO for later)"
    stop before the bracket: a text edit replaced the marker (the line was then no task: refused)
    or left the bracket unbalanced, and the edit box was prefilled with the marker."""
    from planner.writer.fields import editable_text

    path = tmp_path / "plan.md"
    cases = (
        ("## ✅ Phase 1 Completion Checklist", "Phase 1 Completion Checklist", "Phase 1: Renamed", "## ✅ Phase 1: Renamed"),
        ("### Still Using Placeholder Data (TODO for future sprints)", "Still Using Placeholder Data", "Renamed", "### Renamed (TODO for future sprints)"),
    )
    for line, words, text, after in cases:
        data = f"# T\n\n{line}\n\n- [ ] sub\n".encode()
        path.write_bytes(data)
        document = parse_document(str(path), data)
        assert editable_text(data, document.tasks[0]) == words
        edit, model = set_text(document, document.tasks[0], text)
        assert path.read_bytes() == f"# T\n\n{after}\n\n- [ ] sub\n".encode()
        patch.undo(edit, model)
        assert path.read_bytes() == data
