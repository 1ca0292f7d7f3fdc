"""Generated planning documents for the edit property tests, and readers of what their lines say.

The generator knows every task line's parts (lead, box, todo.txt priority, words, metadata
tokens, trailing blanks), so a test can say what a line must read after an edit without
asking the writer. The readers of dates and priorities are small regexes of their own:
they share no code with :mod:`planner.writer.fields`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from hypothesis import strategies as st

from planner.model.mojibake import spell

# Words that are no metadata, no priority word and no P-tag (those come as tokens below).
WORDS = ["plan", "ship", "fix", "parser", "notes", "café", "naïve", "日本", "🚀", "x", "[x]", "`code`", "**bold**", "a_b", "#7", "100%", "<b>", "\\", "ðŸš€"]
TEXT = st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(" ".join)
NEW_TEXT = st.lists(st.sampled_from(["renamed", "new words", "über", "日本語", "✨", "a [b]", "`x`", "end\\"]), min_size=1, max_size=3).map(" ".join)
SPELLINGS = ("utf-8", "cp1252", "mac_roman")
DATES = ["2026-01-05", "2026-02-28", "2025-12-31", "2026-11-30"]

DUE_TOKENS = ["📅 {d}", "📅{d}", "[due:: {d}]", "(due:: {d})", "due:{d}"]
SCHEDULED_TOKENS = ["⏳ {d}", "[scheduled:: {d}]", "t:{d}"]
PRIORITY_TOKENS = ["⏫", "🔽", "🔺", "🔼", "🟠", "🟢", "[priority:: high]", "[priority:: low]", "#P2", "P0"]
OTHER_TOKENS = ["#tag", "#work/home", "+proj", "@ctx", "🆔 abc1", "➕ 2025-12-01", "[estimate:: 2h]", "🔁 every week"]


@dataclass
class Line:
    """One line of a generated document; task lines know their parts."""

    text: str
    kind: str | None = None  # "checkbox" or "heading" when the generator meant a task here
    head: str = ""  # a checkbox: lead and bullet up to "["; a heading: "### " (quote prefix too)
    box: str = " "  # a checkbox's state character
    gap: str = " "  # between "]" and the words
    todo: str = ""  # todo.txt "(A) " before the words
    words: str = ""
    meta: list[str] = field(default_factory=list)  # tokens after the words, each after one blank
    trailing: str = ""
    marker: str = ""  # a heading's marker as written (spelled)
    marker_first: bool = False  # a heading's marker before its words ("## ✅ Task 3: …")
    spelling: str = "utf-8"

    def render(self) -> str:
        if self.kind == "checkbox":
            return f"{self.head}[{self.box}]{self.gap}{self.todo}{self.words}{''.join(' ' + m for m in self.meta)}{self.trailing}"
        if self.kind == "heading":
            return f"{self.head}{self.marker} {self.words}" if self.marker_first else f"{self.head}{self.words} {self.marker}"
        return self.text


@dataclass
class Doc:
    lines: list[Line]
    newline: str
    bom: bool
    final: bool

    def render(self) -> bytes:
        text = self.newline.join(line.render() for line in self.lines) + (self.newline if self.final else "")
        return (b"\xef\xbb\xbf" if self.bom else b"") + text.encode("utf-8", "surrogateescape")

    def __repr__(self) -> str:  # what a failing example shows: the bytes
        return f"<Doc {self.render()!r}>"

    def _repr_pretty_(self, printer, cycle) -> None:  # noqa: ANN001 - hypothesis' printer
        printer.text(repr(self))

    def line(self, number: int) -> Line:
        return self.lines[number - 1]


@st.composite
def _metadata(draw) -> tuple[str, list[str]]:  # noqa: ANN001
    """(todo.txt priority prefix, tokens): at most one priority dialect and one date per kind."""
    tokens: list[str] = []
    day = lambda: draw(st.sampled_from(DATES))  # noqa: E731
    if draw(st.integers(0, 2)) == 0:
        tokens.append(draw(st.sampled_from(DUE_TOKENS)).format(d=day()))
    if draw(st.integers(0, 3)) == 0:
        tokens.append(draw(st.sampled_from(SCHEDULED_TOKENS)).format(d=day()))
    todo = ""
    choice = draw(st.integers(0, 4))
    if choice == 0:
        tokens.append(draw(st.sampled_from(PRIORITY_TOKENS)))
    elif choice == 1:
        todo = f"({draw(st.sampled_from('ABCD'))}) "
    tokens += draw(st.lists(st.sampled_from(OTHER_TOKENS), max_size=2, unique=True))
    if draw(st.integers(0, 5)) == 0:
        tokens.append(f"✅ {day()}")
    return todo, draw(st.permutations(tokens))


def _checkbox_list(draw, quoted: bool) -> list[Line]:  # noqa: ANN001
    lines: list[Line] = []
    indents = [0]  # content columns of the open items, outermost first
    numbers: dict[int, int] = {}
    prefix = "> " if quoted else ""
    style = draw(st.sampled_from(["-", "*", "+", "1.", "1)", "mixed"]))
    sequential = draw(st.booleans())
    for _ in range(draw(st.integers(1, 6))):
        depth = draw(st.integers(0, len(indents) - 1 if lines else 0))
        del indents[depth + 1 :]
        for deeper in [d for d in numbers if d > depth]:
            del numbers[deeper]
        bullet = draw(st.sampled_from(["-", "*", "+", "1.", "1)"])) if style == "mixed" else style
        if bullet[0].isdigit():
            numbers[depth] = numbers.get(depth, 0) + 1
            bullet = f"{numbers[depth] if sequential else 1}{bullet[-1]}"
        pad = indents[depth]
        lead = " " * pad
        if pad == 2 and not quoted and draw(st.booleans()):
            lead = "\t"  # a tab reaches column 4: still a child of a "- " item
        box = draw(st.sampled_from([" ", " ", "x", "X", "-", "/", ">"]))
        todo, meta = draw(_metadata())
        lines.append(
            Line(
                "",
                kind="checkbox",
                head=f"{prefix}{lead}{bullet} ",
                box=box,
                gap=draw(st.sampled_from([" ", " ", " ", "\t", "  "])),
                todo=todo,
                words=draw(TEXT),
                meta=list(meta),
                trailing=draw(st.sampled_from(["", "", "", "  ", "\t"])),
            )
        )
        if draw(st.integers(0, 6)) == 0:  # a continuation line inside the item
            lines.append(Line(f"{prefix}{' ' * (pad + len(bullet) + 1)}more about it"))
        indents.append(pad + len(bullet) + 1)
    return lines


HEADING_MARKERS = ["⏸️", "✅", "🔄", "❌", "⏳"]


@st.composite
def documents(draw, task_headings: bool = True) -> Doc:  # noqa: ANN001
    lines: list[Line] = []
    if draw(st.integers(0, 4)) == 0:
        lines += [Line("---"), Line("title: plan"), Line("- [ ] front matter is no task"), Line("---"), Line("")]
    lines.append(Line(f"# {draw(TEXT)}"))
    blocks = ["list", "list", "list", "quote", "heading", "heading", "fence", "html", "para", "done"]
    if task_headings:
        blocks.append("task heading")
    for _ in range(draw(st.integers(1, 7))):
        lines.append(Line(""))
        block = draw(st.sampled_from(blocks))
        if block in ("list", "quote"):
            lines += _checkbox_list(draw, quoted=block == "quote")
        elif block == "heading":
            lines.append(Line(f"{'#' * draw(st.integers(2, 4))} {draw(TEXT)}"))
        elif block == "done":
            lines.append(Line(f"## {draw(st.sampled_from(['Done', 'Completed', 'Archive']))}"))
        elif block == "task heading":
            spelling = draw(st.sampled_from(SPELLINGS))
            marker = spell(draw(st.sampled_from(HEADING_MARKERS)), spelling)
            lines.append(Line("", kind="heading", head="#" * draw(st.integers(2, 4)) + " ", words=f"Task {len(lines)}: Build {draw(TEXT)}", marker=marker, spelling=spelling, marker_first=draw(st.booleans())))
        elif block == "fence":
            lines += [Line("```md"), Line("- [ ] fenced, no task"), Line("### Task 9: fenced \u23f8\ufe0f"), Line("```")]
        elif block == "html":
            lines += [Line("<!--"), Line("- [ ] commented out"), Line("-->")]
        else:
            lines.append(Line(f"{draw(TEXT)} [ ] not a task"))
    return Doc(lines, draw(st.sampled_from(["\n", "\n", "\r\n", "\r"])), draw(st.booleans()), draw(st.booleans()))


# -- what a line says, read by these tests' own patterns ----------------------------------------

_D = r"(\d{4}-\d{2}-\d{2})"
DATE_READERS = {
    "due": [("emoji", rf"📅\ufe0f?[ \t]*{_D}"), ("dataview", rf"[\[(]due::[ \t]*{_D}[ \t]*[\])]"), ("todo.txt", rf"(?<!\S)due:{_D}")],
    "scheduled": [("emoji", rf"⏳\ufe0f?[ \t]*{_D}"), ("dataview", rf"[\[(]scheduled::[ \t]*{_D}[ \t]*[\])]"), ("todo.txt", rf"(?<!\S)t:{_D}")],
}


def dates_of(text: str, kind: str) -> list[tuple[str, str]]:
    """(dialect, date) of every ``kind`` date written in ``text``."""
    return [(dialect, m.group(1)) for dialect, pattern in DATE_READERS[kind] for m in re.finditer(pattern, text)]


_LEVEL = {"🔺": "P0", "⏫": "P1", "🔼": "P2", "🔽": "P3", "⏬": "P3"}
_CIRCLE = {"🔴": "P0", "🟠": "P1", "🟡": "P2", "🟢": "P3"}
_WORD = {"highest": "P0", "high": "P1", "medium": "P2", "low": "P3", "lowest": "P3"}
_LETTER = {"A": "P0", "B": "P1", "C": "P2", "D": "P3"}


def priorities_of(content: str) -> list[tuple[str, str]]:
    """(dialect, P0-P3) of every priority written in a checkbox line's content (after the box)."""
    found = [("emoji", _LEVEL[c]) for c in content if c in _LEVEL]
    found += [("circle", _CIRCLE[c]) for c in content if c in _CIRCLE]
    found += [("dataview", _WORD.get(m.group(1).lower(), "?")) for m in re.finditer(r"[\[(]priority::[ \t]*(\w+)[ \t]*[\])]", content, re.I)]
    todo = re.match(r"[ \t]*\(([A-Z])\)[ \t]", content)
    if todo:
        found.append(("todo.txt", _LETTER.get(todo.group(1), "?")))
    found += [("tag", f"P{m.group(1)}") for m in re.finditer(r"(?<![\w])[#\[(]?P([0-3])[\])]?(?![\w])", content)]
    return found


def split_lines(data: bytes) -> tuple[list[bytes], list[bytes]]:
    """(lines without breaks, the breaks) of ``data`` after its BOM, as the parser counts lines."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    parts = re.split(rb"(\r\n|\r|\n)", data)
    return parts[0::2], parts[1::2]


def line_span(data: bytes, number: int) -> tuple[int, int]:
    """(start, end) byte offsets of line ``number`` (1-based) without its break."""
    start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    for _ in range(number - 1):
        match = re.compile(rb"\r\n|\r|\n").search(data, start)
        assert match is not None
        start = match.end()
    match = re.compile(rb"\r\n|\r|\n").search(data, start)
    return start, match.start() if match else len(data)
