"""The agenda (planner.views.agenda_days) and `planner agenda`: tasks by date, from every dialect.

The fixture tree tests/fixtures/agenda holds dated tasks in Obsidian Tasks emoji, todo.txt
``due:``, Dataview ``[due:: …]`` and ``- **Due**:`` sub-bullets, and three daily notes
(journal/2026/12/01.md … 03.md). "Today" is fixed at 2026-12-02.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planner.cli.main import main
from planner.views.agenda_days import agenda, reason_text
from planner.workspace.workspace import Workspace

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "agenda"
TODAY = "2026-12-02"


def load(folder: Path = FIXTURE) -> list:
    workspace = Workspace([folder])
    workspace.load()
    return list(workspace.documents.values())


def titles(day) -> list[str]:  # noqa: ANN001
    return [entry.title for entry in day.entries]


def test_overdue_today_and_each_following_day_by_date() -> None:
    view = agenda(load(), TODAY)
    assert [d.key for d in view.days] == ["overdue"] + [f"2026-12-{n:02d}" for n in range(2, 10)]
    assert view.days[1].label == "Today · Wed 2 Dec" and view.days[2].label == "Tomorrow · Thu 3 Dec"
    by_key = {d.key: titles(d) for d in view.days}
    # open work due before today, oldest first; the cancelled "Print flyers" nowhere
    assert by_key["overdue"] == ["Renew the TLS certificate", "File the quarterly report"]
    # today: P0 first, then file order; due (emoji, Dataview) and scheduled (⏳); the [P0] tag is its priority, not its title
    assert by_key[TODAY] == ["Freeze the release branch", "Book the venue", "Draft the keynote"]
    assert by_key["2026-12-03"] == ["Send the invitations"]  # done, still on its day
    assert by_key["2026-12-04"] == ["Confirm the caterer"]  # "- **Due**: 2026-12-04" under it
    assert by_key["2026-12-05"] == ["Dry run of the demo"]  # its start date…
    assert by_key["2026-12-08"] == ["Dry run of the demo"]  # …and its due date
    assert by_key["2026-12-06"] == by_key["2026-12-07"] == []
    # due and scheduled the same day: one entry, both reasons
    (sunset,) = view.days[-1].entries
    assert sunset.title == "Sunset the old site" and sunset.reasons == ("due", "scheduled")
    assert reason_text(sunset, TODAY) == "due, scheduled"
    assert [reason_text(e, TODAY) for e in view.days[0].entries] == ["due 4 days ago", "due yesterday"]
    assert "Plan the retrospective" not in [e.title for e in view.entries]  # 2027: outside the window


def test_days_sets_the_window_and_a_done_task_is_never_overdue(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("- [x] Done late 📅 2026-11-01\n- [ ] Open late 📅 2026-11-01\n- [ ] Soon 📅 2026-12-05\n", encoding="utf-8")
    assert [d.key for d in agenda(load(tmp_path), TODAY, days=0).days] == ["overdue", TODAY]
    view = agenda(load(tmp_path), TODAY, days=2)
    assert titles(view.days[0]) == ["Open late"]
    assert [e.title for e in view.entries] == ["Open late"]  # 5 December is after the window
    assert agenda(load(tmp_path), TODAY, days=3).days[-1].entries[0].title == "Soon"


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_cli_agenda_json(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, "agenda", str(FIXTURE), "--today", TODAY, "--days", "3")
    assert data["schema"] == "planner/1"
    assert (data["today"], data["until"]) == (TODAY, "2026-12-05")
    assert [t["title"] for t in data["overdue"]] == ["Renew the TLS certificate", "File the quarterly report"]
    assert data["overdue"][1] == {
        "title": "File the quarterly report",
        "file": "projects/launch.md",
        "line": 6,
        "state": "open",
        "status_type": "todo",
        "priority": None,
        "kind": "checkbox",
        "date": "2026-12-01",
        "reasons": ["due"],
        "due": "2026-12-01",
        "scheduled": None,
        "start": None,
        "tags": [],
    }
    assert [d["date"] for d in data["days"]] == [TODAY, "2026-12-03", "2026-12-04", "2026-12-05"]
    assert [(t["title"], t["line"], t["reasons"]) for t in data["days"][0]["tasks"]] == [
        ("[P0] Freeze the release branch", 9, ["due"]),
        ("Book the venue", 7, ["due"]),
        ("Draft the keynote", 8, ["scheduled"]),
    ]
    assert data["days"][3]["tasks"][0]["reasons"] == ["start"]


def test_cli_agenda_text_and_bad_days(capsys: pytest.CaptureFixture[str]) -> None:
    # to a pipe: one task a line, whole and tab-separated, in agenda order
    assert main(["agenda", str(FIXTURE), "--today", TODAY]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[:3] == [
        "overdue\tprojects/launch.md:5\t[ ]\t-\tdue 4 days ago\tRenew the TLS certificate",
        "overdue\tprojects/launch.md:6\t[ ]\t-\tdue yesterday\tFile the quarterly report",
        "2026-12-02\tprojects/launch.md:9\t[ ]\tP0\tdue\t[P0] Freeze the release branch",
    ]
    assert lines[-1] == "2026-12-09\tprojects/launch.md:19\t[ ]\t-\tdue, scheduled\tSunset the old site"
    assert len(lines) == 10  # 2 overdue, 3 today, one on each of five later days
    with pytest.raises(SystemExit) as exited:
        main(["agenda", str(FIXTURE), "--days", "many"])
    assert exited.value.code == 2
    assert "not a number of days" in capsys.readouterr().err


def test_an_agenda_updated_for_changed_files_equals_one_made_afresh(tmp_path: Path) -> None:
    """After a tick, an outside edit, a new or a deleted file, only those files' entries are made
    again (agenda_update), and the agenda is the one agenda() makes from all the documents."""
    import shutil

    from planner.views.agenda_days import agenda_update

    shutil.copytree(FIXTURE, tmp_path / "tree")
    workspace = Workspace([tmp_path / "tree"])
    workspace.load()
    previous = agenda(list(workspace.documents.values()), TODAY)
    changes = []
    for document in list(workspace.documents.values()):
        task = next((t for t in document.tasks if t.due or t.scheduled or t.start), None)
        if task is not None:
            changes.append(("tick", document.path, task))
    changes.append(("new", str(tmp_path / "tree" / "new.md"), None))
    changes.append(("gone", changes[0][1], None))
    for what, path, task in changes:
        if what == "tick":
            workspace.toggle(workspace.documents[path], task)
        elif what == "new":
            Path(path).write_text("- [ ] [P0] Late 📅 2026-11-30\n- [ ] Soon ⏳ 2026-12-02\n", encoding="utf-8")
            workspace.reload(path)
        else:
            Path(path).unlink()
            workspace.reload(path)
        documents = list(workspace.documents.values())
        updated = agenda_update(previous, documents, {path})
        assert updated == agenda(documents, TODAY), (what, path)
        untouched = [e for e in previous.entries if e.document.path != path]
        assert all(any(e is u for u in updated.entries) for e in untouched)  # kept, not made again
        previous = updated
