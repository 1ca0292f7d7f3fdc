"""The outline the planning views read: list items nested by indentation, paragraphs, lines."""

from __future__ import annotations

from pathlib import Path

from planner.model.parser import parse_document
from planner.views.outline import Item, Paragraph, build_outline

CASE = (
    "# Plan\n"
    "\n"
    "Intro paragraph\n"
    "over two lines.\n"
    "\n"
    "- [ ] first task\n"
    "  - nested one\n"
    "    1. deep ordered\n"
    "- second\n"
    "  ```\n"
    "  - not an item (fenced)\n"
    "  ```\n"
    "- ## heading text item\n"
    "\n"
    "1. ordered starts a new list\n"
    "2. two\n"
    "\n"
    "\t- tabbed item\n"
    "\n"
    "> - quoted item\n"
    "> quoted paragraph\n"
)


def test_items_nest_by_indentation_and_skip_code_and_headings(tmp_path: Path) -> None:
    path = tmp_path / "plan.md"
    path.write_text(CASE, encoding="utf-8")
    document = parse_document(str(path), path.read_bytes())
    shape = build_outline(document, CASE)
    # line, end line, text, depth, ordered, section, parent, lead paragraph, list id
    assert shape.items == [
        Item(6, 8, "[ ] first task", 0, False, 0, None, 0, 0),
        Item(7, 8, "nested one", 1, False, 0, 0, None, 1),
        Item(8, 8, "deep ordered", 2, True, 0, 1, None, 2),
        Item(9, 13, "second", 0, False, 0, None, 0, 0),  # its fence holds no item
        # "- ## heading text item" is a heading (section 1), not an item of the outline
        Item(15, 15, "ordered starts a new list", 0, True, 1, None, None, 3),
        Item(16, 18, "two", 0, True, 1, None, None, 3),
        Item(18, 18, "tabbed item", 1, False, 1, 5, None, 4),  # a tab is 4 columns: inside "two"
        Item(20, 21, "quoted item", 0, False, 1, None, None, 5),  # its lazy line ends it
    ]
    assert shape.paragraphs == [Paragraph(3, 4, ("Intro paragraph", "over two lines."), 0, False)]
    assert shape.list_count == 6
    assert shape.lines == CASE.split("\n")
    assert shape.children(0) == [shape.items[1]]
