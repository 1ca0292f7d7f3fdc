"""Fuzz: random Markdown and random toggle/undo sequences never change a byte they should not.

Two generators:

* a structured one that builds documents from blocks (headings, heading tasks in every
  marker spelling, nested checkbox lists with every bullet, block quotes, fenced and
  indented code, HTML comments, front matter, other states like ``[-]``; LF/CRLF/CR,
  BOM, no final newline, tabs, trailing blanks, non-ASCII text). It knows where every
  task is, so after each step the whole file must equal the document rendered with the
  expected states — the original with exactly the expected bracket (or marker) bytes
  changed;
* a free one that glues random Markdown-ish lines together; there the tasks are what
  planner's parser finds, checked against an independent oracle (markdown-it's task-list
  plugin, full parse), and every patch must land on a ``[`` ``]`` pair of an oracle line.

After every step the workspace's in-memory document must also equal a fresh parse of
the file (the writer updates its model without re-parsing checkbox flips).
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from helpers.reliability import oracle_tasks, temp_files
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from planner.model.mojibake import spell
from planner.model.parser import parse_document
from planner.workspace.workspace import Workspace

FUZZ_SETTINGS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

WORDS = ["plan", "ship", "fix", "parser", "notes", "café", "naïve", "日本", "🚀", "x", "[x]", "[ ]", "`code`", "**bold**", "a_b", "#7", "100%", "<b>", "\\"]
TEXT = st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(" ".join)
SPELLINGS = ("utf-8", "cp1252", "mac_roman")


# -- a structured document that knows its tasks -----------------------------------------------


@dataclass
class Item:
    """One rendered line; toggleable lines know their task number."""

    parts: tuple[str, ...]  # text before the state, (state slot), text after — see render
    task: int | None = None  # index into the task list when the line is a task
    kind: str = "checkbox"
    spelling: str = "utf-8"


def _checkbox_list(draw, first_task: int, quoted: bool) -> tuple[list[Item], list[tuple[str, bool]]]:  # noqa: ANN001
    items: list[Item] = []
    tasks: list[tuple[str, bool]] = []
    count = draw(st.integers(1, 6))
    indents = [0]  # content columns of the open items, outermost first
    prefix = "> " if quoted else ""
    for _ in range(count):
        depth = draw(st.integers(0, len(indents) - 1 if items else 0))
        del indents[depth + 1 :]
        bullet = draw(st.sampled_from(["-", "*", "+", "1.", "1)"]))
        pad = indents[depth]
        lead = " " * pad
        if pad == 2 and not quoted and draw(st.booleans()):
            lead = "\t"  # a tab reaches column 4: still a child of a "- " item
        state = draw(st.sampled_from([" ", "x", "X", "-", "/", ">"]))
        after = draw(st.sampled_from([" ", " ", "\t", "  "]))
        text = draw(TEXT)
        trailing = draw(st.sampled_from(["", "", "  ", "\t"]))
        head = f"{prefix}{lead}{bullet} ["
        if state in " xX":
            items.append(Item((head, "]" + after + text + trailing), task=first_task + len(tasks)))
            tasks.append(("checkbox", state != " "))
        else:
            items.append(Item((head + state + "]" + after + text + trailing,)))
        indents.append(indents[depth] + len(bullet) + 1)
    return items, tasks


@st.composite
def documents(draw):  # noqa: ANN001, ANN201
    """(lines as Items, tasks as (kind, done), newline, bom, final newline)."""
    lines: list[Item] = []
    tasks: list[tuple[str, bool]] = []
    if draw(st.booleans()):
        lines += [Item(("---",)), Item(("title: plan",)), Item(("- [ ] front matter is no task",)), Item(("---",)), Item(("",))]
    lines.append(Item((f"# {draw(TEXT)}",)))
    for _ in range(draw(st.integers(1, 7))):
        lines.append(Item(("",)))
        block = draw(st.sampled_from(["list", "list", "quote", "heading", "task heading", "fence", "indented", "html", "para"]))
        if block in ("list", "quote"):
            items, found = _checkbox_list(draw, len(tasks), quoted=block == "quote")
            lines += items
            tasks += found
        elif block == "heading":
            lines.append(Item((f"{'#' * draw(st.integers(2, 4))} {draw(TEXT)}",)))
        elif block == "task heading":
            spelling = draw(st.sampled_from(SPELLINGS))
            level = "#" * draw(st.integers(2, 4))
            lines.append(Item((f"{level} Task {len(tasks)}: Build {draw(TEXT)} ",), task=len(tasks), kind="heading", spelling=spelling))
            tasks.append(("heading", draw(st.booleans())))
        elif block == "fence":
            lines += [Item(("```md",)), Item(("- [ ] fenced, no task",)), Item(("### Task 9: fenced \u23f8\ufe0f",)), Item(("```",))]
        elif block == "indented":
            lines += [Item(("## Code",)), Item(("",)), Item(("    - [ ] indented code, no task",))]
        elif block == "html":
            lines += [Item(("<!--",)), Item(("- [ ] commented out",)), Item(("-->",))]
        else:
            lines.append(Item((f"{draw(TEXT)} [ ] not a task",)))
    newline = draw(st.sampled_from(["\n", "\n", "\r\n", "\r"]))
    bom = draw(st.booleans())
    final = draw(st.booleans())
    return lines, tasks, newline, bom, final


def render(doc, states: list[bool]) -> bytes:  # noqa: ANN001
    lines, tasks, newline, bom, final = doc
    out: list[str] = []
    for item in lines:
        if item.task is None:
            out.append("".join(item.parts))
        elif item.kind == "checkbox":
            out.append(item.parts[0] + ("x" if states[item.task] else " ") + item.parts[1])
        else:
            marker = spell("\u2705" if states[item.task] else "\u23f8\ufe0f", item.spelling)
            out.append(item.parts[0] + marker)
    text = newline.join(out) + (newline if final else "")
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8", "surrogateescape")


def task_lines(doc) -> list[int]:  # noqa: ANN001
    lines = doc[0]
    found: dict[int, int] = {}
    for number, item in enumerate(lines, 1):
        if item.task is not None:
            found[item.task] = number
    return [found[i] for i in range(len(found))]


def space_after(data: bytes, task) -> bool:  # noqa: ANN001
    """The oracle plugin wants a space after ``]``; GFM (and planner) take any white space (a tab).

    Boxes followed by another white-space character are left out of the comparison.
    """
    return data[task.offset + 3 : task.offset + 4] == b" "


def same_model(shown, path: Path) -> None:  # noqa: ANN001
    fresh = parse_document(str(path), path.read_bytes())
    assert shown.digest == fresh.digest
    assert [(t.line, t.kind, t.state, t.offset, t.length, t.marker, t.text) for t in shown.tasks] == [
        (t.line, t.kind, t.state, t.offset, t.length, t.marker, t.text) for t in fresh.tasks
    ]


OPS = st.lists(st.one_of(st.tuples(st.just("toggle"), st.integers(0, 100)), st.just(("undo", 0))), min_size=1, max_size=12)


def heading_forms(item: Item, done: bool) -> set[bytes]:
    """What a heading task's line may read after a toggle: ticked, its ✅; unticked, the open
    marker (this generator's documents carry ⏸️) or no marker at all — never another state."""
    if done:
        return {(item.parts[0] + spell("\u2705", item.spelling)).encode("utf-8", "surrogateescape")}
    return {
        (item.parts[0] + spell("\u23f8\ufe0f", item.spelling)).encode("utf-8", "surrogateescape"),
        item.parts[0].rstrip(" \t").encode("utf-8", "surrogateescape"),
    }


def split_lines(data: bytes) -> list[bytes]:
    """Lines and the breaks between them, as the parser counts lines: line n is item 2(n-1)."""
    return re.split(rb"(\r\n|\r|\n)", data)


def split_file(data: bytes, newline: str, bom: bool) -> list[bytes]:
    return (data[3:] if bom else data).split(newline.encode())


@FUZZ_SETTINGS
@given(doc=documents(), ops=OPS)
def test_structured_documents_change_only_the_expected_bytes(doc, ops) -> None:  # noqa: ANN001
    """Each toggle changes exactly its task's line, as intended (a checkbox: the one byte; a
    heading: its marker, in the allowed forms); toggling the same task twice in a row and undoing
    everything give back the bytes."""
    lines_model, tasks, newline, bom, _final = doc
    states = [done for _, done in tasks]
    original = render(doc, states)
    lines_of = task_lines(doc)
    items = {item.task: item for item in lines_model if item.task is not None}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.md"
        path.write_bytes(original)
        parsed = parse_document(str(path), original)
        # The parser finds exactly the generator's tasks; the oracle agrees on the checkboxes.
        assert [(t.line, t.kind, t.done) for t in parsed.tasks if t.toggleable] == [
            (line, kind, done) for line, (kind, done) in zip(lines_of, tasks, strict=True)
        ]
        assert oracle_tasks(original) == [
            (t.line, t.done) for t in parsed.tasks if t.kind == "checkbox" and t.toggleable and space_after(original, t)
        ]
        if not tasks:
            return
        workspace = Workspace([path])
        workspace.load()
        current = split_file(original, newline, bom)
        history: list[tuple[int, bytes]] = []
        previous: tuple[int, bytes] | None = None  # the last op, when it was a toggle: (task, line before)
        for op, number in ops:
            document = workspace.document(path)
            assert document is not None
            if op == "toggle":
                index = number % len(tasks)
                row = lines_of[index] - 1
                item = items[index]
                workspace.toggle_line(document, lines_of[index])
                after = split_file(path.read_bytes(), newline, bom)
                assert [n for n, (a, b) in enumerate(zip(current, after, strict=True)) if a != b] == [row]
                states[index] = not states[index]
                if item.kind == "checkbox":
                    expected = (item.parts[0] + ("x" if states[index] else " ") + item.parts[1]).encode()
                    assert after[row] == expected
                else:
                    assert after[row] in heading_forms(item, states[index])
                if previous is not None and previous[0] == index:
                    assert after[row] == previous[1], "toggling twice did not give the line back"
                history.append((index, current[row]))
                previous = (index, current[row])
                current = after
            elif history:
                workspace.undo()
                index, line = history.pop()
                states[index] = not states[index]
                current[lines_of[index] - 1] = line
                previous = None
            else:
                assert workspace.undo() is None
            data = path.read_bytes()
            assert data == (b"\xef\xbb\xbf" if bom else b"") + newline.encode().join(current)
            same_model(workspace.document(path), path)
        event(f"tasks: {min(len(tasks), 5)}{'+' if len(tasks) > 5 else ''}, steps: {len(ops)}")
        while history:
            workspace.undo()
            history.pop()
        assert path.read_bytes() == original
        assert temp_files(folder) == []


# -- free-form Markdown, checked against the oracle -------------------------------------------

FRAGMENTS = [
    "- [ ] task", "- [x] done", "* [X] shout", "+ [ ] plus", "1. [ ] one", "2) [x] two", "  - [ ] nested",
    "    - [ ] deep", "\t- [ ] tab", "> - [ ] quoted", ">> * [x] twice quoted", "- [ ]", "- [ ]\ttab after",
    "- [x]  two spaces", "-  [ ] wide bullet", "- [-] cancelled", "- [/] half", "- [ ]x no space", "[ ] bare",
    "- [  ] two blanks", "- [x ] odd", "- [[ ] nested bracket", "- **[ ]** bold box", "-[ ] no space",
    "# Heading", "## Task 1: Build it \u23f8\ufe0f", "### Phase 2: Ship \u2705", "#### Step 3: Test \u00e2\u0153\u2026",
    "Setext", "===", "---", "***", "```", "~~~", "<div>", "</div>", "<!-- - [ ] hidden -->", "    indented",
    "| a | b |", "|---|---|", "| - [ ] cell | x |", "", "", "", "text with [x] inside", "**Priority**: High",
    "- [ ] caf\u00e9 \U0001f680", "- [ ] \u00a0nbsp", "1. [ ] one\r", "- [ ] trailing   ", "\u200b- [ ] zero width",
]


@FUZZ_SETTINGS
@given(
    picked=st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=30),
    newline=st.sampled_from(["\n", "\r\n"]),
    bom=st.booleans(),
    ops=OPS,
)
def test_free_markdown_patches_only_oracle_boxes(picked, newline, bom, ops) -> None:  # noqa: ANN001
    original = (b"\xef\xbb\xbf" if bom else b"") + newline.join(picked).encode()
    parsed = parse_document("/fuzz.md", original)
    checkboxes = [t for t in parsed.tasks if t.kind == "checkbox" and t.toggleable]  # "[-]" etc. are planner's own
    oracle = oracle_tasks(original)
    assert [(t.line, t.done) for t in checkboxes if space_after(original, t)] == oracle
    # Every checkbox offset points at "[", the state, "]"; every heading marker is where it says.
    for task in parsed.tasks:
        assert original[task.offset : task.offset + task.length] == task.marker.encode("utf-8", "surrogateescape")
        if task.kind == "checkbox":
            assert task.length == 3 and original[task.offset : task.offset + 1] == b"["
    toggleable = [t for t in parsed.tasks if t.toggleable]
    if not toggleable:
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.md"
        path.write_bytes(original)
        workspace = Workspace([path])
        workspace.load()
        checkbox_lines = [t.line for t in parsed.tasks if t.kind == "checkbox"]
        heading_lines = {t.line for t in parsed.tasks if t.kind == "heading"}
        history: list[tuple[int, bytes]] = []
        current = split_lines(original)
        for op, number in ops:
            document = workspace.document(path)
            assert document is not None
            if op == "toggle":
                target = toggleable[number % len(toggleable)]
                task = document.task_at_line(target.line)
                edit = workspace.toggle_line(document, target.line)
                after = split_lines(path.read_bytes())
                assert [n // 2 for n, (a, b) in enumerate(zip(current, after, strict=True)) if a != b] == [target.line - 1]
                if target.kind == "checkbox":
                    assert task is not None and len(edit.old) == len(edit.new) == 1 and edit.offset == task.offset + 1
                else:
                    now = workspace.document(path).task_at_line(target.line)  # type: ignore[union-attr]
                    was_done = task is not None and task.done
                    assert (now is not None and now.done) != was_done
                history.append((2 * (target.line - 1), current[2 * (target.line - 1)]))
                current = after
            elif history:
                workspace.undo()
                row, line = history.pop()
                current[row] = line
            assert path.read_bytes() == b"".join(current)
            same_model(workspace.document(path), path)
            # the structure never changes: the same checkboxes on the same lines; headings only
            # gain or lose their marker
            now_tasks = parse_document(str(path), path.read_bytes()).tasks
            assert [t.line for t in now_tasks if t.kind == "checkbox"] == checkbox_lines
            assert {t.line for t in now_tasks if t.kind == "heading"} <= heading_lines
        event(f"free: tasks {min(len(toggleable), 5)}{'+' if len(toggleable) > 5 else ''}, steps {len(ops)}")
        while history:
            workspace.undo()
            history.pop()
        assert path.read_bytes() == original
