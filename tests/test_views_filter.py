"""The structured filter, sorting and grouping (planner.views.filter / ordering), and ``--filter`` in the CLI."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.cli.main import main
from planner.views.filter import Facts, FilterError, parse_filter
from planner.views.ordering import group_rows, hidden, next_choice, sort_rows

TODAY = date(2026, 12, 3)


def match(query: str, **facts: object) -> bool:
    return parse_filter(query, TODAY)(Facts(**{"text": "", **facts}))  # type: ignore[arg-type]


def test_empty_filter_matches_everything() -> None:
    filt = parse_filter("   ", TODAY)
    assert not filt
    assert filt(Facts("anything"))


def test_free_text_matches_the_text_only_never_the_file() -> None:
    assert match("sprint", text="Plan the Sprint review", file="notes.md")
    assert not match("sprint", text="Write the parser", file="kato/SPRINT_BACKLOG.md")
    assert match("file:sprint", text="Write the parser", file="kato/SPRINT_BACKLOG.md")


def test_words_and_phrases() -> None:
    assert match('"exact phrase"', text="an Exact Phrase here")
    assert not match('"exact phrase"', text="exact and phrase")
    assert match("exact phrase", text="exact and phrase")
    assert not match("-word", text="a word")
    assert match("-word", text="a sentence")
    assert not match('-"a b"', text="x a b y")


def test_priority_terms() -> None:
    assert match("p:P0", priority="P0") and not match("p:P0", priority="P1")
    assert match("p:p1", priority="P1")
    assert match("p:P0,P1", priority="P1") and not match("p:P0,P1", priority="P2")
    assert match("p:<=P1", priority="P0") and match("p:<=P1", priority="P1")
    assert not match("p:<=P1", priority="P2") and not match("p:<=P1")
    assert match("p:<P2", priority="P1") and not match("p:<P2", priority="P2")
    assert match("p:>=P2", priority="P3") and not match("p:>=P2", priority="P1")
    assert match("p:none") and not match("p:none", priority="P0")
    assert match("-p:P0", priority="P2")


def test_state_terms() -> None:
    for state, yes, no in (
        ("open", ("todo", "in_progress"), ("done", "cancelled", "non_task")),
        ("done", ("done",), ("todo", "cancelled")),
        ("cancelled", ("cancelled",), ("done",)),
        ("in_progress", ("in_progress",), ("todo",)),
        ("todo", ("todo",), ("in_progress",)),
        ("closed", ("done", "cancelled"), ("todo",)),
        ("done,cancelled", ("done", "cancelled"), ("todo", "in_progress")),
    ):
        for status in yes:
            assert match(f"state:{state}", status_type=status), (state, status)
        for status in no:
            assert not match(f"state:{state}", status_type=status), (state, status)


def test_due_terms() -> None:
    assert match("due:today", due="2026-12-03") and not match("due:today", due="2026-12-04")
    assert match("due:overdue", due="2026-12-02") and not match("due:overdue", due="2026-12-03")
    assert not match("due:overdue", due="2026-12-01", status_type="done")  # done work is not overdue
    assert match("due:<7d", due="2026-12-09") and not match("due:<7d", due="2026-12-10")
    assert match("due:<7d", due="2025-01-01")  # overdue is before 7 days from now too
    assert not match("due:<7d")  # no date: not due soon
    assert match("due:<2w", due="2026-12-16") and not match("due:<2w", due="2026-12-17")
    assert match("due:<2026-12-10", due="2026-12-09") and not match("due:<2026-12-10", due="2026-12-10")
    assert match("due:<=2026-12-10", due="2026-12-10")
    assert match("due:2026-12-10", due="2026-12-10") and not match("due:2026-12-10", due="2026-12-11")
    assert match("due:>tomorrow", due="2026-12-05") and not match("due:>tomorrow", due="2026-12-04")
    assert match("due:none") and not match("due:none", due="2026-12-10")
    assert match("due:any", due="2026-12-10") and not match("due:any")


def test_tags_and_files() -> None:
    assert match("#ops", tags=("#ops",)) and match("#OPS", tags=("#ops",))
    assert match("#ops", tags=("#ops/oncall",)) and not match("#ops", tags=("#opsec",))
    assert not match("#ops", text="about #ops")  # a tag is a tag of the task, not its text
    assert match("-#ops", tags=("#dev",))
    assert match("file:Roadmap", file="docs/WORK_ROADMAP.md")


def test_terms_and_together() -> None:
    facts = {"text": "Ship the login page", "file": "roadmap.md", "priority": "P1", "status_type": "todo", "due": "2026-12-05", "tags": ("#web",)}
    query = 'p:<=P1 state:open due:<7d file:roadmap #web -draft "login page"'
    assert match(query, **facts)
    for spoil in ({"priority": "P2"}, {"status_type": "done"}, {"due": "2027-01-01"}, {"file": "x.md"}, {"tags": ()}, {"text": "Ship the login page draft"}):
        assert not match(query, **{**facts, **spoil}), spoil


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("zz:1", "unknown field 'zz:'"),
        ("p:P9", "'P9' is not a priority"),
        ("p:", "has no value"),
        ("state:finished", "'finished' is not a state"),
        ("due:<soon", "'soon' is not a date"),
        ("due:2026-13-40", "is not a date"),
        ('"open quote', "unclosed quote"),
        ("fix -", "'-' on its own"),
        ('""', "empty phrase"),
    ],
)
def test_a_bad_term_says_what_is_wrong_in_one_line(query: str, says: str) -> None:
    with pytest.raises(FilterError) as err:
        parse_filter(query, TODAY)
    assert says in str(err.value)
    assert "\n" not in str(err.value)


@given(st.text(max_size=40))
def test_any_query_parses_or_gives_one_line(query: str) -> None:
    try:
        filt = parse_filter(query, TODAY)
    except FilterError as err:
        assert "\n" not in str(err)
        return
    filt(Facts("x", "f.md", "P1", "todo", "2026-12-03", ("#a",), 2.0))  # never raises


@given(st.lists(st.text(alphabet="abcxyz ", min_size=1, max_size=6), min_size=1, max_size=4), st.text(alphabet="abcxyz ", max_size=30))
def test_plain_words_match_exactly_when_each_occurs(words: list[str], text: str) -> None:
    terms = [w.strip() for w in words if w.strip()]
    query = " ".join(f'"{t}"' for t in terms)
    assert parse_filter(query, TODAY)(Facts(text)) == all(t in text for t in terms)


# -- sorting and grouping ---------------------------------------------------------------


ROWS = [
    Facts("a", "b.md", "P2", "todo", "2026-12-09", (), 4.0),
    Facts("b", "a.md", None, "done", None, (), None),
    Facts("c", "c.md", "P0", "in_progress", "2026-12-01", (), 1.0),
    Facts("d", "a.md", "P1", "cancelled", "2026-12-03", (), 16.0),
]


def texts(rows: list[Facts]) -> list[str]:
    return [r.text for r in rows]


def test_sort_each_key_with_missing_values_last() -> None:
    same = lambda f: f  # noqa: E731
    assert texts(sort_rows(ROWS, "priority", same)) == ["c", "d", "a", "b"]
    assert texts(sort_rows(ROWS, "priority", same, reverse=True)) == ["a", "d", "c", "b"]
    assert texts(sort_rows(ROWS, "due", same)) == ["c", "d", "a", "b"]
    assert texts(sort_rows(ROWS, "file", same)) == ["b", "d", "a", "c"]  # stable among a.md
    assert texts(sort_rows(ROWS, "state", same)) == ["c", "a", "b", "d"]
    assert texts(sort_rows(ROWS, "estimate", same)) == ["c", "a", "d", "b"]
    assert texts(sort_rows(ROWS, None, same)) == ["a", "b", "c", "d"]
    assert texts(sort_rows(ROWS, None, same, reverse=True)) == ["d", "c", "b", "a"]


def test_groups_in_their_order() -> None:
    same = lambda f: f  # noqa: E731
    assert [(label, texts(rows)) for label, rows in group_rows(ROWS, "priority", same, TODAY)] == [
        ("P0", ["c"]), ("P1", ["d"]), ("P2", ["a"]), ("no priority", ["b"])
    ]
    assert [label for label, _ in group_rows(ROWS, "due", same, TODAY)] == ["overdue", "today", "next 7 days", "no due date"]
    assert [label for label, _ in group_rows(ROWS, "state", same, TODAY)] == ["in progress", "todo", "done", "cancelled"]
    assert [label for label, _ in group_rows(ROWS, "file", same, TODAY)] == ["a.md", "b.md", "c.md"]
    assert [label for label, _ in group_rows(ROWS, "estimate", same, TODAY)] == ["1h–4h", "4h–1d", "1d–1w", "no estimate"]
    assert group_rows(ROWS, None, same, TODAY) == [("", ROWS)]


@given(st.lists(st.tuples(st.sampled_from(["P0", "P1", "P2", "P3", None]), st.sampled_from(["todo", "done", "cancelled"])), max_size=20))
def test_grouping_and_sorting_keep_every_row(pairs: list[tuple[str | None, str]]) -> None:
    rows = [Facts(str(n), "f.md", p, s) for n, (p, s) in enumerate(pairs)]
    for by in ("priority", "due", "file", "state", "estimate"):
        assert sorted(texts(sort_rows(rows, by, lambda f: f))) == sorted(texts(rows))
        grouped = [r for _, g in group_rows(rows, by, lambda f: f, TODAY) for r in g]
        assert sorted(texts(grouped)) == sorted(texts(rows))


def test_hide_done_and_cancelled_and_the_cycle() -> None:
    assert [r.text for r in ROWS if not hidden(r)] == ["a", "c"]
    assert next_choice(None, ["x", "y"]) == "x"
    assert next_choice("x", ["x", "y"]) == "y"
    assert next_choice("y", ["x", "y"]) is None


# -- the CLI ------------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_tasks_filter_json_and_plain(capsys: pytest.CaptureFixture[str], sample_docs: Path) -> None:
    code, out, _ = run(capsys, "tasks", str(sample_docs), "--json", "--filter", "p:P0 state:open")
    assert code == 0
    tasks = json.loads(out)["tasks"]
    assert tasks and all(t["priority"] == "P0" and t["status_type"] in ("todo", "in_progress") for t in tasks)
    code, all_out, _ = run(capsys, "tasks", str(sample_docs), "--json")
    everything = json.loads(all_out)["tasks"]
    expected = [t for t in everything if t["priority"] == "P0" and t["status_type"] in ("todo", "in_progress")]
    assert tasks == expected
    code, plain, _ = run(capsys, "tasks", str(sample_docs), "--filter", "p:P0 state:open")
    lines = plain.splitlines()
    assert len(lines) == len(expected)
    assert [line.split("\t")[0] for line in lines] == [f"{t['file']}:{t['line']}" for t in expected]


def test_tasks_free_text_does_not_match_the_file_name(capsys: pytest.CaptureFixture[str], sample_docs: Path) -> None:
    _, out, _ = run(capsys, "tasks", str(sample_docs), "--json", "--filter", "sprint")
    tasks = json.loads(out)["tasks"]
    assert tasks and all("sprint" in t["text"].casefold() for t in tasks)
    _, out, _ = run(capsys, "tasks", str(sample_docs), "--json", "--filter", "file:SPRINT_BACKLOG")
    assert {t["file"] for t in json.loads(out)["tasks"]} == {"kato/SPRINT_BACKLOG.md", "kato/SPRINT_BACKLOG-2025-10-06.md"}


def test_bad_filter_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str], sample_docs: Path) -> None:
    for command in ("tasks", "focus", "queues", "options"):
        code, out, err = run(capsys, command, str(sample_docs), "--filter", "state:finished")
        assert code == 2 and out == ""
        assert err.strip().count("\n") == 0
        assert "--filter: 'state:finished': 'finished' is not a state" in err


def test_focus_queues_options_filter(capsys: pytest.CaptureFixture[str], sample_docs: Path) -> None:
    _, out, _ = run(capsys, "focus", str(sample_docs), "--json", "--filter", "1.2")
    data = json.loads(out)
    assert [t["title"] for t in data["tasks"]] == ["Task 1.2: Update KatoProcessor to Accept SessionState"]
    _, out, _ = run(capsys, "queues", str(sample_docs), "--json", "--filter", "file:patronus")
    queues = json.loads(out)["queues"]
    assert sum(map(len, queues.values())) > 0
    assert all(i["file"] == "patronus/NEXT_STEPS.md" for items in queues.values() for i in items)
    _, out, _ = run(capsys, "queues", str(sample_docs), "--json", "--filter", "p:P0")
    assert [len(v) for v in json.loads(out)["queues"].values()][1:] == [0, 0, 0]
    _, out, _ = run(capsys, "options", str(sample_docs), "--json")
    decisions = json.loads(out)["decisions"]
    assert decisions
    first = decisions[0]["title"]
    _, out, _ = run(capsys, "options", str(sample_docs), "--json", "--filter", f'"{first}"')
    assert [d["title"] for d in json.loads(out)["decisions"]] == [first]
    _, out, _ = run(capsys, "options", str(sample_docs), "--filter", "zzzz-nothing")
    assert "No sprint options" in out


def test_tasks_filter_at_a_terminal_gives_the_same_tasks(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, sample_docs: Path) -> None:
    import sys

    query = 'state:open -"Task 1" p:<=P2'
    _, piped, _ = run(capsys, "tasks", str(sample_docs), "--json", "--filter", query)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)  # the model path, indented JSON
    _, shown, _ = run(capsys, "tasks", str(sample_docs), "--json", "--filter", query)
    assert json.loads(shown)["tasks"] == json.loads(piped)["tasks"] != []
    code, table, _ = run(capsys, "tasks", str(sample_docs), "--filter", query)
    assert code == 0 and len(table.splitlines()) >= len(json.loads(piped)["tasks"])  # a row each (and a header)
    assert json.loads(piped)["tasks"][0]["text"][:12] in table and "Task 1.1" not in table
