"""Every edit kind on real files, each undone, checked against the independent oracle.

For a sample of tasks in every file of ../shared/corpus/real (copied to a scratch folder
first: the corpus is never written), each edit kind is applied through the writer — tick or
untick, text, state, priority, due date set / shifted / cleared, scheduled date, add to the
task's section, add to a new section, move within the file, move to another file, archive —
and then undone. After each edit the oracle (markdown-it-py + the task-list plugin, sharing
no code with planner's parser) must see the same checkboxes except the intended change;
after each undo the bytes must be the file's original bytes.

A refusal is fine when the writer says why (one line, nothing written); a wrong write or a
traceback fails. The counts (files, tasks, edits per kind, refusals by reason, undos) are
printed and kept in the assertion messages.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from oracle import oracle_tasks
from planner.model.parser import parse_document
from planner.writer import patch
from planner.writer.edit import toggle, toggle_line
from planner.writer.edit import undo as undo_toggle
from planner.writer.fields import current_date, editable_text, set_date, set_priority, set_state, set_text
from planner.writer.lines import add_task, archive, move_task
from planner.writer.patch import EditError

EDITS_PER_TASK = 3  # besides its tick: the kinds are taken in turn across files
INBOX = b"# Inbox\n\n## Next\n\n- [ ] something already here\n"


class Tally:
    def __init__(self) -> None:
        self.applied: Counter[str] = Counter()
        self.refused: Counter[str] = Counter()
        self.undone = 0
        self.files = 0
        self.tasks = 0
        self.sampled = 0
        self.reads_otherwise: list[str] = []  # file: kind: line, of "would change how the file reads"

    def summary(self) -> str:
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(self.applied.items()))
        reasons = "; ".join(f"{r}: {n}" for r, n in self.refused.most_common())
        return (
            f"{self.files} files, {self.tasks} oracle tasks, {self.sampled} sampled tasks, "
            f"{sum(self.applied.values())} edits applied ({kinds}), {sum(self.refused.values())} refused ({reasons}), "
            f"{self.undone} undone to the original bytes"
        )


_ORACLE: dict[bytes, list[tuple[int, bool]]] = {}


def seen(data: bytes) -> list[tuple[int, bool]]:
    if data not in _ORACLE:
        if len(_ORACLE) > 64:
            _ORACLE.clear()
        _ORACLE[data] = oracle_tasks(data)
    return _ORACLE[data]


def reason_of(message: str) -> str:
    """A refusal's reason without the file, line and task words, for the tally."""
    text = re.sub(r"^.*?:\d+: |^[^:]*\.md: ", "", message)
    text = re.sub(r"'[^']*'", "'…'", text)
    return re.sub(r"\(lines? [^)]*\)|\d+", "N", text)


def line_states(data: bytes) -> dict[int, bool]:
    return dict(seen(data))


def same_but_line(before: bytes, after: bytes, line: int, checked: bool | None, where: str) -> None:
    """The oracle's checkboxes after a line edit: the same, but line ``line`` (its box
    ``checked``, or no checkbox when None)."""
    was, now = line_states(before), line_states(after)
    was.pop(line, None)
    got = now.pop(line, None)
    assert got == checked, f"{where}: the oracle reads the edited line as {got}, not {checked}"
    assert was == now, f"{where}: the oracle sees other checkboxes change"


def same_but_inserted(before: bytes, after: bytes, count: int, where: str) -> None:
    """After an add: the oracle's checkboxes in order, with ``count`` new open ones among them."""
    was = [c for _, c in seen(before)]
    now = [c for _, c in seen(after)]
    assert len(now) == len(was) + count, f"{where}: the oracle sees {len(now) - len(was)} new checkboxes, not {count}"
    assert Counter(now) - Counter(was) == Counter({False: count}) if count else now == was, where


class Corpus:
    """One scratch copy being edited, with the checks every edit gets."""

    def __init__(self, tally: Tally, path: Path, inbox: Path, source: Path) -> None:
        self.tally, self.path, self.inbox, self.source = tally, path, inbox, source
        self.original = path.read_bytes()

    def document(self):  # noqa: ANN201
        return parse_document(str(self.path), self.path.read_bytes())

    def attempt(self, kind: str, edit_fn, check, undo=None) -> None:  # noqa: ANN001
        """Apply ``edit_fn`` (returns what undo needs); check; undo; the bytes must come back."""
        before = self.path.read_bytes()
        inbox_before = self.inbox.read_bytes()
        assert before == self.original
        try:
            result = edit_fn()
        except EditError as err:
            message = str(err)
            assert "\n" not in message and "Traceback" not in message, message
            assert self.path.read_bytes() == before and self.inbox.read_bytes() == inbox_before, f"{self.path.name}: refused ({message}) yet written"
            self.tally.refused[f"{kind}: {reason_of(message)}"] += 1
            if "would change how the file reads" in message:
                self.tally.reads_otherwise.append(f"{self.source}: {kind}: {message.split(': ', 1)[0].rsplit(':', 1)[-1]}")
            return
        self.tally.applied[kind] += 1
        after = self.path.read_bytes()
        where = f"{self.path.name} {kind}"
        check(before, after, result, where)
        (undo or self.undo_one)(result)
        assert self.path.read_bytes() == self.original, f"{where}: undo did not give back the original bytes"
        assert self.inbox.read_bytes() == inbox_before, f"{where}: undo did not give back the other file's bytes"
        self.tally.undone += 1

    @staticmethod
    def undo_one(result) -> None:  # noqa: ANN001
        edit, after = result
        patch.undo(edit, after)


def has_priority(text: str) -> bool:
    """A priority written on the line, in a dialect the writer edits (emoji, [priority::], (A), P-tag)."""
    return bool(re.search(r"[🔺⏫🔼🔽⏬🔴🟠🟡🟢]|priority::|^\s*\([A-Z]\)\s|(?<![\w])[#\[(]?P[0-3](?![\w])", text))


def edits_for(corpus: Corpus, document, task) -> list[tuple[str, object, object, object]]:  # noqa: ANN001
    """(kind, edit, check, undo) for every edit kind that applies to ``task``."""
    line, checkbox, inbox = task.line, task.kind == "checkbox", corpus.inbox
    doc = corpus.document
    box_now = task.done if checkbox else None
    data = corpus.original

    def line_check(checked_after):  # noqa: ANN001, ANN202
        def check(before, after, result, where) -> None:  # noqa: ANN001
            if checkbox:
                same_but_line(before, after, line, checked_after, where)
            else:
                assert seen(after) == seen(before), f"{where}: a heading edit changed a checkbox"

        return check

    def tick_undo(result) -> None:  # noqa: ANN001
        undo_toggle(*result)

    def twice() -> tuple:
        current = doc()
        edit, after = toggle(current, current.task_at_line(line))
        now = after.task_at_line(line)
        return toggle(after, now) if now is not None else toggle_line(after, line)

    def unchanged(before, after, result, where) -> None:  # noqa: ANN001
        assert after == before, f"{where}: toggling twice changed the bytes"

    def same_boxes(before, after, result, where) -> None:  # noqa: ANN001
        assert Counter(c for _, c in seen(after)) == Counter(c for _, c in seen(before)), f"{where}: the oracle's checkboxes changed"

    def on(fn, *args):  # noqa: ANN001, ANN202 - the edit on the task as the file reads now
        def run():  # noqa: ANN202
            current = doc()
            return fn(current, current.task_at_line(line), *args)

        return run

    other_state = "open" if task.done else "done"
    edits = [
        ("untick" if task.done else "tick", on(toggle), line_check(not task.done if checkbox else None), tick_undo),
        ("toggle twice", twice, unchanged, lambda result: None),
        ("text", on(set_text, "Renamed by the corpus test" if checkbox else f"{editable_text(data, task)} (renamed)"), line_check(box_now), None),
        ("state in-progress", on(set_state, "in-progress"), line_check(None), None),
        ("state cancelled", on(set_state, "cancelled"), line_check(None), None),
        (f"state {other_state}", on(set_state, other_state), line_check((other_state == "done") if checkbox else None), None),
        ("add", lambda: add_task(doc(), task.section, "Added by the corpus test"), lambda b, a, r, w: same_but_inserted(b, a, 1, w), None),
        ("add new section", lambda: add_task(doc(), None, "Added by the corpus test", create="Corpus test"), lambda b, a, r, w: same_but_inserted(b, a, 1, w), None),
    ]
    if not checkbox:
        return edits
    priority = has_priority(task.text)
    edits.append(("priority set" if not priority else "priority change", on(set_priority, "P1" if not priority else "P3"), line_check(box_now), None))
    if priority:
        edits.append(("priority remove", on(set_priority, None), line_check(box_now), None))
    due = current_date(data, task, "due")
    edits.append(("due set", on(set_date, dt.date(2026, 12, 24)), line_check(box_now), None))
    if due is not None:
        edits.append(("due shift", on(set_date, due + dt.timedelta(weeks=1)), line_check(box_now), None))
        edits.append(("due clear", on(set_date, None), line_check(box_now), None))
    edits.append(("scheduled set", on(set_date, dt.date(2026, 12, 20), "scheduled"), line_check(box_now), None))
    other = 0 if task.section != 0 and document.sections else (len(document.sections) - 1 if document.sections else None)
    edits.append(("move in file", lambda: move_task((d := doc()), d.task_at_line(line), d, other)[0], same_boxes, None))

    def move_out():  # noqa: ANN202
        current = doc()
        return move_task(current, current.task_at_line(line), parse_document(str(inbox), inbox.read_bytes()), 1)

    def move_out_check(before, after, result, where) -> None:  # noqa: ANN001
        moved = Counter(c for _, c in seen(before)) - Counter(c for _, c in seen(after))
        arrived = Counter(c for _, c in seen(inbox.read_bytes())) - Counter(c for _, c in seen(INBOX))
        assert moved == arrived and sum(moved.values()) >= 1, f"{where}: the oracle's checkboxes did not move as one"

    def move_out_undo(result) -> None:  # noqa: ANN001
        (inserted, inserted_doc), (removed, removed_doc) = result
        patch.undo(removed, removed_doc)
        patch.undo(inserted, inserted_doc)

    edits.append(("move to other file", move_out, move_out_check, move_out_undo))
    if task.done and task.parent is None:
        edits.append(("archive", lambda: archive(doc(), task.section), same_boxes, None))
    return edits


def run_file(tally: Tally, number: int, source: Path, scratch: Path) -> None:
    """The sampled tasks of one file: each gets a tick and EDITS_PER_TASK other kinds, the kinds
    taken in turn across files (every kind on every task would cost ~10 minutes here)."""
    copy = scratch / "plan.md"
    inbox = scratch / "inbox.md"
    shutil.copyfile(source, copy)
    inbox.write_bytes(INBOX)
    data = copy.read_bytes()
    document = parse_document(str(copy), data)
    tally.files += 1
    tally.tasks += len(seen(data))
    corpus = Corpus(tally, copy, inbox, source)
    rng = random.Random(source.name)
    boxes = [t for t in document.tasks if t.kind == "checkbox" and t.toggleable]
    headings = [t for t in document.tasks if t.kind == "heading"]
    done_tops = [t for t in boxes if t.done and t.parent is None]
    sample = rng.sample(boxes, min(len(boxes), 1))
    if done_tops and number % 2:
        sample.append(rng.choice(done_tops))  # an archive, now and then
    if headings and (not boxes or number % 3 == 0):
        sample.append(rng.choice(headings))
    marked = [t for t in boxes if has_priority(t.text) or current_date(data, t, "due") is not None]
    if marked:
        sample.append(rng.choice(marked))  # real priorities and due dates to change, shift and clear
    tally.sampled += len(sample)
    for turn, task in enumerate(sample):
        edits = edits_for(corpus, document, task)
        chosen = [edits[0]]
        if task in done_tops and edits[-1][0] == "archive":
            chosen.append(edits[-1])
        if task in marked:
            chosen += [e for e in edits if e[0] in ("priority change", "priority remove", "due shift", "due clear")]
        rest = edits[1:]
        first = (number * EDITS_PER_TASK + turn) % len(rest)
        chosen += [rest[(first + k) % len(rest)] for k in range(min(EDITS_PER_TASK, len(rest)))]
        for kind, edit_fn, check, undo in dict.fromkeys(chosen):
            corpus.attempt(kind, edit_fn, check, undo)


@pytest.mark.corpus
def test_every_edit_kind_on_the_real_corpus_is_exact_and_undoes(real_corpus: Path, tmp_path: Path) -> None:
    files = sorted(p for p in real_corpus.rglob("*") if p.is_file())
    assert len(files) > 300
    tally = Tally()
    old_today = os.environ.get("PLANNER_TODAY")
    os.environ["PLANNER_TODAY"] = "2026-12-02"
    try:
        for number, source in enumerate(files):
            scratch = tmp_path / str(number)
            scratch.mkdir()
            run_file(tally, number, source, scratch)
            shutil.rmtree(scratch)
    finally:
        if old_today is None:
            os.environ.pop("PLANNER_TODAY", None)
        else:
            os.environ["PLANNER_TODAY"] = old_today
    print(f"\nedit corpus fidelity: {tally.summary()}")
    print("refused as reading otherwise:", *tally.reads_otherwise, sep="\n  ")
    assert tally.files == len(files), tally.summary()
    assert sum(tally.applied.values()) > 1_500 and tally.undone == sum(tally.applied.values()), tally.summary()
    kinds = ("tick", "untick", "text", "state in-progress", "state cancelled", "state done", "state open", "priority set", "priority change", "priority remove")
    kinds += ("due set", "due shift", "due clear", "scheduled set", "add", "add new section", "move in file", "move to other file", "archive")
    for kind in kinds:
        assert tally.applied[kind] >= (3 if kind in ("due shift", "due clear", "priority change", "priority remove") else 20), f"too few '{kind}' edits: {tally.summary()}"
