"""The fast block parser (planner.model.blocks) against markdown-it-py itself.

The port must make every decision markdown-it-py makes: the same paragraphs, headings,
lists, items and top-level blocks with the same line ranges and texts. Where it does
not apply (link reference definitions) it says so and markdown-it-py parses.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import planner.model.parser as parser_module
from conftest import SAMPLE_DOCS
from planner.model.blocks import Unsupported, block_events
from planner.model.document import Document, Section, Task
from planner.model.parser import markdown_it_events, parse_document

SPEC_EXAMPLE = re.compile(r"^`{32} example[^\n]*\n(.*?)^\.\n", re.S | re.M)


def both(text: str) -> tuple[list | None, list]:
    """(fast events or None when unsupported, markdown-it-py events)."""
    try:
        fast = block_events(text)
    except Unsupported:
        fast = None
    return fast, markdown_it_events(text)


def corpus_texts(folder: Path) -> list[tuple[Path, str]]:
    texts = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix in (".md", ".txt", ".markdown"):
            data = path.read_bytes()
            data = data.removeprefix(b"\xef\xbb\xbf")
            texts.append((path, data.decode("utf-8", "surrogateescape")))
    return texts


def test_every_spec_example_gives_markdown_it_events(spec_corpus: Path) -> None:
    compared = unsupported = 0
    for spec in sorted(spec_corpus.glob("*")):
        if spec.suffix not in (".txt", ".md"):
            continue
        for match in SPEC_EXAMPLE.finditer(spec.read_text(encoding="utf-8")):
            text = match.group(1).replace("→", "\t")
            fast, reference = both(text)
            if fast is None:
                unsupported += 1
                continue
            assert fast == reference, text
            compared += 1
    # CommonMark + GFM + cmark-gfm's extension and regression examples.
    assert compared > 1500
    assert unsupported < compared / 4


def test_every_corpus_file_gives_markdown_it_events(real_corpus: Path, spec_corpus: Path) -> None:
    compared = 0
    for path, text in corpus_texts(real_corpus) + corpus_texts(spec_corpus):
        fast, reference = both(text)
        if fast is not None:
            assert fast == reference, path
            compared += 1
    assert compared > 350


def test_sample_docs_give_markdown_it_events() -> None:
    for path, text in corpus_texts(SAMPLE_DOCS):
        fast, reference = both(text)
        assert fast == reference, path


# Pieces of lines that start, end, continue or interrupt every kind of block.
PIECES = [
    "", " ", "  ", "   ", "    ", "     ", "> ", ">", "- ", "* ", "+ ", "1. ", "2) ", "10. ", "-", "#", "## ",
    "###### ", "####### ", "```", "~~~", "````", "``` x`", "<!--", "-->", "<div>", "</div>", "<pre>", "</pre>",
    "<a href='x'>", "<?", "?>", "<!X", "]]>", "<![CDATA[", "| a | b |", "|---|---|", "| - | :-: |", "a | b",
    "--- | ---", "---", "***", "___", "- - -", "===", "= =", "[ ] task", "[x] done", "[X] d", "[-] odd",
    "[a]: /u", "[foo]", "text", "**Bold**: v", "*Last: x*", "\\", "`code`", "...", "1.", "0. z",
    "123456789. y", "\r\n", "\r", "\0", "\t", "é✅",
]
LINE = st.lists(st.sampled_from(PIECES), min_size=1, max_size=4).map("".join)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(LINE, min_size=1, max_size=14), end=st.sampled_from(["", "\n", "  ", " \n"]))
def test_generated_text_gives_markdown_it_events(lines: list[str], end: str) -> None:
    assert_markdown_it_events("\n".join(lines) + end)


def assert_markdown_it_events(text: str) -> None:
    """The port's events for ``text`` are markdown-it-py's (or both fail the same way)."""
    try:
        fast = block_events(text)
    except Unsupported:
        return
    except Exception as error:  # noqa: BLE001 - markdown-it-py must fail on it the same way
        with pytest.raises(type(error)):
            markdown_it_events(text)
        return
    try:
        reference = markdown_it_events(text)
    except IndexError as error:
        # markdown-it-py's getLines can read one past the end of the text when the
        # last line sits in a quote; it does so while copying a block's contents,
        # which the port never reads. Any other failure is a difference.
        assert _failed_in(error, "getLines"), text
        return
    assert fast == reference, text


# Whole list lines, mostly, so that runs of sibling items come up: the parser takes runs of
# one-line items at C speed and one-line first paragraphs without the rule loop, and
# every way such a run or item can end (another marker, an indent, a table, a setext
# underline, a continuation, a reference, a thematic break) must still give markdown-it's events.
LIST_LINES = [
    "- [ ] a", "- [x] b", "* [ ] c", "+ [ ] d", "1. [ ] e", "2. f", "3) g", "- **Effort**: 2h", "* **E**: v",
    "- __b__ x", "- 2 days", "- text", "-  two spaces", "-     code", "-", "- ", "  - [ ] nested", "   - three",
    "    - four", "  text", "text", "", "---", "***", "- ***", "- **", "===", "|-|-|", "| a | b |", "- | a |",
    "- [x]: /u", "- [a]", "> - [ ] q", "# h", "- # h", "- > q", "- ```", "```", "- <div>", "1. x", "10. y",
    "", "", "  ", ">", "> - [x] r", "- `code` x", "- ``x``", "- ```", "- ```py", "* `a`",
]


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(st.sampled_from(LIST_LINES), min_size=1, max_size=16), end=st.sampled_from(["", "\n"]))
def test_generated_lists_give_markdown_it_events(lines: list[str], end: str) -> None:
    assert_markdown_it_events("\n".join(lines) + end)


@pytest.mark.parametrize(
    "text",
    [
        "x\n- [ ] a\n- [ ] b\n- [ ] c\n",  # a run of plain items
        "x\n- [ ] a\n\n- [ ] b\n\n\n- [ ] c\n\nd\n",  # a loose one
        "> - [ ] a\n>\n> - [ ] b\n- [ ] c\n",  # in a quote, then out of it
        "x\n- [ ] a\n* [ ] b\n- [ ] c\n",  # another marker starts another list
        "x\n1. a\n2. b\n3) c\n",
        "x\n- a\n- b | c\n|---|---|\n",  # the last item's line heads a table
        "x\n- **Effort**: 2h\n- **Owner**: me\n- ***\n",  # bold items, then a thematic break
        "x\n- `a.py` x\n- ``b``\n- ```\n- c\n",  # code spans, then a fence in an item
        "x\n- [ ] a\n  - [ ] b\n- [ ] c\n  more\n",  # a nested item, a continuation
        "x\n- [ ] a\n- [x]: /u\n- [ ] c\n",  # a reference definition in a run
        "x\n- a\n---\n",  # a setext underline? no: the item's paragraph ends, an hr follows
        "x\n- a\n  ---\n",  # the underline inside the item makes it a heading
    ],
)
def test_item_fast_paths_give_markdown_it_events(text: str) -> None:
    try:
        fast = block_events(text)
    except Unsupported:
        assert "]:" in text
        return
    assert fast == markdown_it_events(text)


@pytest.mark.parametrize("quote", ["", "> "])
@pytest.mark.parametrize("depth", range(7, 12))
def test_item_fast_paths_keep_markdown_it_nesting_limit(depth: int, quote: str) -> None:
    """Lists nested to markdown-it's limit: content deeper than it is dropped, run or not."""
    lines = [quote + "  " * level + "- x" for level in range(depth)]
    lines += [quote + "  " * depth + item for item in ("- [ ] a", "- [ ] b", "", "- [ ] c", "- [ ] d")]
    assert_markdown_it_events("para\n\n" + "\n".join(lines) + "\n")


def _failed_in(error: BaseException, function: str) -> bool:
    trace = error.__traceback__
    while trace is not None and trace.tb_next is not None:
        trace = trace.tb_next
    return trace is not None and trace.tb_frame.f_code.co_name == function


def test_markdown_it_index_error_in_block_contents_does_not_stop_the_port() -> None:
    text = ">* <![CDATA[\n> "  # an HTML block in a quoted list item, running to the last line
    with pytest.raises(IndexError):
        markdown_it_events(text)
    assert block_events(text) == [("quote", 0, 0, 2), ("list", 1, [0, 2]), ("item",), ("html", 3, 0, 2), ("/item",), ("/list",)]


def test_reference_definitions_are_left_to_markdown_it() -> None:
    for text in ("- [ ] one\n\n[x]: /url\n", "[label\nover lines]: /u\n", "- [x]: /url\n"):
        with pytest.raises(Unsupported):
            block_events(text)
    document = parse_document("/t.md", b"- [ ] one\n- [x] done\n\n[ref]: /url\n")
    assert [(t.line, t.state) for t in document.tasks] == [(1, "open"), (2, "done")]


def test_tabs_are_read_with_markdown_it_tab_stops() -> None:
    text = "-\t[ ] tab after the marker\n\t- [x] nested by a tab\n>\t- [ ] quoted\n\n\t\tcode\n"
    assert block_events(text) == markdown_it_events(text)
    # markdown-it counts a tab as the columns it spans, so here part of the marker
    # stays in the item's text (". y"): the port keeps that quirk.
    quirk = ">\t>\t123456789. y\n"
    assert block_events(quirk) == markdown_it_events(quirk)
    assert block_events(quirk)[-3][4] == ". y"
    document = parse_document("/t.md", text.encode())
    assert [(t.line, t.state, t.depth) for t in document.tasks] == [(1, "open", 0), (2, "done", 1), (3, "open", 0)]


def _parse_with_markdown_it_only(monkeypatch: pytest.MonkeyPatch, path: str, data: bytes) -> Document:
    with monkeypatch.context() as patch:
        patch.setattr(parser_module, "block_events", _always_unsupported)
        return parse_document(path, data)


def _always_unsupported(text: str) -> list:
    raise Unsupported("test")


def test_documents_are_identical_to_markdown_it_parsed_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    paths = sorted(SAMPLE_DOCS.glob("*.md")) + sorted((Path(__file__).parent / "docs").rglob("*.md"))
    real = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "real"
    if real.is_dir():
        paths += sorted(p for p in real.rglob("*.md") if p.is_file())
    assert len(paths) >= 5
    for path in paths:
        data = path.read_bytes()
        fast = parse_document(str(path), data)
        reference = _parse_with_markdown_it_only(monkeypatch, str(path), data)
        assert fast.model_dump() == reference.model_dump(), path


def test_parsed_records_pass_validation(real_corpus: Path) -> None:
    """The parser builds records without validating them; they must be valid all the same."""
    checked = 0
    for path in sorted(p for p in real_corpus.rglob("*.md") if p.is_file()) + sorted(SAMPLE_DOCS.glob("*.md")):
        document = parse_document(str(path), path.read_bytes())
        dumped = document.model_dump()
        validated = Document.model_validate(dumped)  # every task checked against its field types
        assert validated.model_dump() == dumped
        assert validated.tasks == document.tasks and all(type(task) is Task for task in validated.tasks)
        assert validated.sections == document.sections and all(type(section) is Section for section in validated.sections)
        checked += len(document.tasks)
    assert checked > 5000
