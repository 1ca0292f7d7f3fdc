"""Properties over generated Markdown lists: detection agrees with the oracle, a toggle
changes exactly one byte, and toggling twice gives back the original bytes."""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oracle import oracle_tasks
from planner.workspace.workspace import Workspace

BULLETS = ["-", "*", "+", "1.", "2)", "10."]
BOXES = ["[ ]", "[x]", "[X]", "[-]", "[ ]", "[x]", "", "[]", "[xx]", "[ x]"]
INDENTS = ["", " ", "  ", "   ", "    ", "\t", " \t", "      ", "\t\t"]
WORDS = st.text(alphabet=st.sampled_from(list("abc xyz[]*_`#>-1.é✅⏸️")), min_size=0, max_size=12)


@st.composite
def list_line(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["item", "item", "item", "quote", "heading", "text", "blank"]))
    text = draw(WORDS)
    if kind == "blank":
        return ""
    if kind == "heading":
        return f"{draw(st.sampled_from(['#', '##', '###']))} {text}"
    if kind == "text":
        return text
    item = f"{draw(st.sampled_from(INDENTS))}{draw(st.sampled_from(BULLETS))}{draw(st.sampled_from([' ', '  ', chr(9)]))}{draw(st.sampled_from(BOXES))}{draw(st.sampled_from([' ', chr(9), '']))}{text}"
    return f"> {item}" if kind == "quote" else item


@st.composite
def markdown_file(draw: st.DrawFn) -> bytes:
    lines = draw(st.lists(list_line(), min_size=1, max_size=25))
    if draw(st.booleans()):  # a fenced code block full of decoy tasks
        fence = draw(st.sampled_from(["```", "~~~", "````"]))
        at = draw(st.integers(0, len(lines)))
        decoys = draw(st.lists(list_line(), max_size=4))
        lines[at:at] = [fence, *decoys, fence]
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    text = newline.join(lines) + draw(st.sampled_from([newline, ""]))
    data = text.encode()
    return (b"\xef\xbb\xbf" + data) if draw(st.booleans()) else data


def toggleable(workspace: Workspace, path: Path):
    document = workspace.document(path)
    if document is None:
        return []
    return [t.line for t in document.tasks if t.kind == "checkbox" and t.state in ("open", "done")]


@settings(max_examples=int(os.environ.get("PLANNER_PROPERTY_EXAMPLES", "300")), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=markdown_file(), pick=st.integers(0, 10_000))
def test_toggle_once_changes_one_byte_and_twice_is_identity(tmp_path: Path, data: bytes, pick: int) -> None:
    path = tmp_path / "generated.md"
    path.write_bytes(data)
    workspace = Workspace([path])
    workspace.load()
    lines = toggleable(workspace, path)
    oracle = oracle_tasks(data)
    document = workspace.document(path)
    ours = [] if document is None else [(t.line, t.done) for t in document.tasks if t.line in lines]
    assert ours == oracle
    if not lines:
        return
    line = lines[pick % len(lines)]
    document = workspace.document(path)
    edit = workspace.toggle(document, document.task_at_line(line))
    once = path.read_bytes()
    assert len(once) == len(data)
    assert [i for i in range(len(data)) if data[i] != once[i]] == [edit.offset]
    assert {ln: c for ln, c in oracle_tasks(once)} == {ln: (c if ln != line else not c) for ln, c in oracle}
    document = workspace.document(path)
    workspace.toggle(document, document.task_at_line(line))
    assert path.read_bytes() == data
