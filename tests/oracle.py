"""An independent oracle for task detection: markdown-it-py with the mdit-py-plugins task-list plugin.

It parses fully (inline included) and lets the plugin decide what a task is, so it
shares no detection code with planner's block-only parser. Block-level settings are
the same (CommonMark + tables + front matter), since those decide what is a list.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from mdit_py_plugins.front_matter import front_matter_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

BOM = b"\xef\xbb\xbf"


@lru_cache(maxsize=1)
def oracle() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table").use(front_matter_plugin).use(tasklists_plugin)


_BOX = re.compile(r"\[([ xX])\]")


def oracle_tasks(data: bytes) -> list[tuple[int, bool]]:
    """(1-based line, checked) of every list item the plugin marks as a task-list item.

    The plugin's decision is the ``task-list-item`` class it puts on the list item.
    (For a box followed by a tab, as GFM allows, it marks the item but renders no
    checkbox input, so the checked state is read from the box in the source line.)
    """
    if data.startswith(BOM):
        data = data[len(BOM) :]
    text = data.decode("utf-8", "surrogateescape")
    lines = re.split(r"\r\n|\r|\n", text)
    tokens = oracle().parse(text)
    found: list[tuple[int, bool]] = []
    for i, token in enumerate(tokens):
        if token.type != "list_item_open" or "task-list-item" not in str(token.attrGet("class") or ""):
            continue
        paragraph, inline = tokens[i + 1], tokens[i + 2]
        assert paragraph.map is not None and inline.children
        first = inline.children[0]
        if first.type == "html_inline" and "task-list-item-checkbox" in first.content:
            checked = 'checked="checked"' in first.content
        else:
            box = _BOX.search(lines[paragraph.map[0]])
            assert box is not None
            checked = box.group(1) in "xX"
        found.append((paragraph.map[0] + 1, checked))
    return found
