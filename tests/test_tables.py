"""Planning tables (planner.model.tables): cells split as markdown-it splits them, tables found
where markdown-it finds them, and only tables that list work are kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from planner.model.parser import parse_document
from planner.model.tables import column_kind, split_cells

MD = MarkdownIt("commonmark").enable("table")

_CELL = st.text(alphabet=st.sampled_from("ab |\\*`é漢"), min_size=1, max_size=8).filter(lambda c: c.strip() and "|" not in c.strip()[:1])


def _markdown_it_cells(text: str) -> list[list[str]]:
    rows: list[list[str]] = []
    for token in MD.parse(text):
        if token.type == "tr_open":
            rows.append([])
        elif token.type == "inline" and rows:
            rows[-1].append(token.content)
    return rows


@settings(max_examples=200, deadline=None)
@given(st.lists(_CELL, min_size=2, max_size=4))
def test_cells_split_as_markdown_it_splits_them(cells: list[str]) -> None:
    header = "| " + " | ".join(f"h{i}" for i in range(len(cells))) + " |"
    delimiter = "|" + "---|" * len(cells)
    row = "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"
    parsed = _markdown_it_cells(f"{header}\n{delimiter}\n{row}\n")
    if len(parsed) < 2 or len(parsed[1]) != len(cells):
        return  # markdown-it reads no such row (an odd cell ended it): nothing to compare
    assert split_cells(row) == [c.strip() for c in parsed[1]]


def test_column_names_in_five_languages() -> None:
    kinds = {name: column_kind(name) for name in ("Prioridade", "**Estimativa**", "Tarefa", "Effort (h)", "Est. Days",
                                                    "Responsável", "Prioridad", "Priorité", "Aufgabe", "Deadline", "#")}
    assert kinds == {"Prioridade": "priority", "**Estimativa**": "estimate", "Tarefa": "title", "Effort (h)": "estimate",
                     "Est. Days": "estimate", "Responsável": "owner", "Prioridad": "priority", "Priorité": "priority",
                     "Aufgabe": "title", "Deadline": "due", "#": "id"}


@pytest.mark.corpus
def test_tables_are_where_markdown_it_finds_them(real_corpus: Path) -> None:
    """Every planning table planner keeps starts on a line where markdown-it opens a table,
    and its rows are that table's body rows."""
    checked = 0
    for path in sorted(p for p in real_corpus.rglob("*.md") if p.is_file()):
        data = path.read_bytes()
        document = parse_document(str(path), data)
        if not document.tables:
            continue
        text = data.decode("utf-8", "replace").lstrip("\ufeff")
        tokens = MD.parse(text)
        opened = {t.map[0] + 1: t.map[1] for t in tokens if t.type == "table_open" and t.level == 0 and t.map}
        body_rows = {t.map[0] + 1 for t in tokens if t.type == "tr_open" and t.map}
        for table in document.tables:
            assert table.line in opened, f"{path}:{table.line}"
            assert opened[table.line] == table.end_line, f"{path}:{table.line}"
            assert all(line in body_rows for line, _ in table.rows), f"{path}:{table.line}"
            checked += 1
    assert checked > 20
