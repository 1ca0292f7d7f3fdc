""""Today": the system date, ``--today`` on every command, ``$PLANNER_TODAY``; dates validated."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from planner.cli.main import main
from planner.model.dates import note_day, today
from planner.model.dialects import written_date

DAILY = "- [ ] Call the bank 📅 2026-12-02\n"


def focus(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    assert main(["focus", *argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_today_comes_from_the_option_then_the_environment_then_the_clock(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "todo.md").write_text(DAILY, encoding="utf-8")
    monkeypatch.delenv("PLANNER_TODAY", raising=False)
    assert focus(capsys, str(tmp_path))["today"] == datetime.date.today().isoformat()
    monkeypatch.setenv("PLANNER_TODAY", "2026-12-02")
    data = focus(capsys, str(tmp_path))
    assert data["today"] == "2026-12-02" and data["tasks"][0]["reason"] == "due today"
    data = focus(capsys, str(tmp_path), "--today", "2026-12-05")
    assert data["today"] == "2026-12-05" and data["tasks"][0]["reason"] == "overdue"
    monkeypatch.delenv("PLANNER_TODAY")
    assert focus(capsys, str(tmp_path))["today"] == datetime.date.today().isoformat()  # no leftover override
    assert today() == datetime.date.today()


@pytest.mark.parametrize("command", ["tasks", "focus", "queues", "options"])
def test_every_command_takes_today_and_refuses_a_bad_one(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "todo.md").write_text(DAILY, encoding="utf-8")
    monkeypatch.delenv("PLANNER_TODAY", raising=False)
    assert main([command, str(tmp_path), "--today", "2026-12-02", "--json"]) == 0
    capsys.readouterr()
    assert main([command, str(tmp_path), "--today", "2026-02-30"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--today" in err and "2026-02-30" in err
    monkeypatch.setenv("PLANNER_TODAY", "tomorrow")
    assert main([command, str(tmp_path)]) == 2
    assert "PLANNER_TODAY" in capsys.readouterr().err


def test_toggle_takes_today(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PLANNER_TODAY", raising=False)
    target = tmp_path / "todo.md"
    target.write_text(DAILY, encoding="utf-8")
    assert main(["toggle", f"{target}:1", "--today", "2026-12-02"]) == 0
    assert target.read_text(encoding="utf-8") == DAILY.replace("[ ]", "[x]")


@pytest.mark.parametrize(
    ("path", "title", "day"),
    [
        ("notes/2026-12-02.md", None, "2026-12-02"),
        ("journal/2026/12/02.md", None, "2026-12-02"),
        ("journal/2026/12-02.md", None, "2026-12-02"),
        ("daily/2026-12-02 Wednesday.md", None, "2026-12-02"),
        ("daily-20261202.md", None, "2026-12-02"),
        ("notes/standup.md", "Daily 2026-12-02", "2026-12-02"),
        ("SPRINT_BACKLOG-2025-10-06.md", "Sprint Backlog", None),
        ("release-2026-12-02-notes-for-customers.md", None, None),
        ("journal/2026/02/30.md", None, None),
        ("notes/plan.md", "Roadmap 2026-12-02 review", None),
    ],
)
def test_daily_notes_are_named_by_their_date(path: str, title: str | None, day: str | None) -> None:
    assert note_day(path, title) == day


@pytest.mark.parametrize(
    ("value", "year", "expected"),
    [
        ("2025-12-05", None, "2025-12-05"),
        ("Friday 5 Dec", 2026, "2025-12-05"),  # the year that makes the weekday right
        ("Fri, Dec 4", 2026, "2026-12-04"),
        ("5 December 2026", None, "2026-12-05"),
        ("December 5th, 2026 (firm)", None, "2026-12-05"),
        ("Dec 9", 2026, "2026-12-09"),
        ("12/05/2025", None, "2025-12-05"),
        ("2026-02-30", None, None),
        ("31 Feb 2026", None, None),
        ("next sprint", 2026, None),
        ("TBD", 2026, None),
    ],
)
def test_written_dates(value: str, year: int | None, expected: str | None) -> None:
    assert written_date(value, year) == expected
