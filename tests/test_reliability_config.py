"""The user's config file is theirs: a choice saved from the app changes that choice alone.

Sort, reverse and group are tables of screen = value. Saving one screen's choice must not
rewrite the table: the comments in it and the entries written by hand since planner read the
file stay.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from planner.config import load_settings, save_changes


@pytest.fixture(autouse=True)
def config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "config"
    folder.mkdir()
    monkeypatch.setenv("PLANNER_CONFIG_DIR", str(folder))
    return folder


MINE = (
    "# my planner\n"
    'theme = "paper"  # the light one\n'
    "\n"
    "[sort]\n"
    "# focus by due date: keep it\n"
    'focus = "due"   # mine\n'
    'queues = "file"\n'
)


def test_saving_one_screens_sort_keeps_the_tables_comments(config_home: Path) -> None:
    path = config_home / "config.toml"
    path.write_text(MINE, encoding="utf-8")
    loaded = load_settings()
    save_changes(loaded, sort={**loaded.settings.sort, "queues": "state"})
    text = path.read_text(encoding="utf-8")
    assert "# focus by due date: keep it\n" in text
    assert 'focus = "due"   # mine\n' in text
    assert tomllib.loads(text)["sort"] == {"focus": "due", "queues": "state"}


def test_saving_a_sort_keeps_entries_written_by_hand_since_the_load(config_home: Path) -> None:
    path = config_home / "config.toml"
    path.write_text(MINE, encoding="utf-8")
    loaded = load_settings()
    path.write_text(MINE + 'options = "state"  # added while planner ran\n', encoding="utf-8")
    save_changes(loaded, sort={**loaded.settings.sort, "focus": "priority"})
    text = path.read_text(encoding="utf-8")
    assert 'options = "state"  # added while planner ran\n' in text
    assert tomllib.loads(text)["sort"] == {"focus": "priority", "queues": "file", "options": "state"}


def test_a_choice_taken_back_removes_that_entry_alone(config_home: Path) -> None:
    path = config_home / "config.toml"
    path.write_text(MINE, encoding="utf-8")
    loaded = load_settings()
    table = dict(loaded.settings.sort)
    del table["queues"]
    save_changes(loaded, sort=table)
    text = path.read_text(encoding="utf-8")
    assert 'focus = "due"   # mine\n' in text
    assert tomllib.loads(text)["sort"] == {"focus": "due"}


def test_an_inline_table_keeps_its_comment(config_home: Path) -> None:
    path = config_home / "config.toml"
    path.write_text('sort = { focus = "due" }  # inline, mine\n', encoding="utf-8")
    loaded = load_settings()
    save_changes(loaded, sort={"focus": "due", "queues": "state"})
    text = path.read_text(encoding="utf-8")
    assert "# inline, mine" in text
    assert tomllib.loads(text)["sort"] == {"focus": "due", "queues": "state"}


def test_without_tomlkit_entries_written_since_the_load_stay(config_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "tomlkit", None)
    path = config_home / "config.toml"
    path.write_text(MINE, encoding="utf-8")
    loaded = load_settings()
    path.write_text(MINE + 'options = "state"\n', encoding="utf-8")
    save_changes(loaded, sort={**loaded.settings.sort, "focus": "priority"})
    assert tomllib.loads(path.read_text(encoding="utf-8"))["sort"] == {"focus": "priority", "queues": "file", "options": "state"}


def test_an_entry_edited_by_hand_since_the_load_is_not_put_back(config_home: Path) -> None:
    path = config_home / "config.toml"
    path.write_text(MINE, encoding="utf-8")
    loaded = load_settings()
    path.write_text(MINE.replace('queues = "file"', 'queues = "estimate"'), encoding="utf-8")
    save_changes(loaded, sort={**loaded.settings.sort, "focus": "priority"})
    assert tomllib.loads(path.read_text(encoding="utf-8"))["sort"] == {"focus": "priority", "queues": "estimate"}


def test_dotted_keys_are_changed_where_they_are(config_home: Path) -> None:
    path = config_home / "config.toml"
    path.write_text('sort.focus = "due"\n# between\nsort.queues = "file"\n', encoding="utf-8")
    loaded = load_settings()
    save_changes(loaded, sort={"focus": "due", "queues": "state"})
    text = path.read_text(encoding="utf-8")
    assert "# between\n" in text
    assert tomllib.loads(text)["sort"] == {"focus": "due", "queues": "state"}


def test_a_crlf_file_keeps_its_line_endings(config_home: Path) -> None:
    path = config_home / "config.toml"
    path.write_bytes(b'# mine\r\ntheme = "paper"\r\n\r\n[sort]\r\nfocus = "due"\r\n')
    loaded = load_settings()
    save_changes(loaded, hide_done=True)
    save_changes(loaded, sort={"focus": "due", "queues": "file"})
    data = path.read_bytes()
    assert data.startswith(b'# mine\r\ntheme = "paper"\r\n')
    assert b"\n" not in data.replace(b"\r\n", b"")  # every line ends as the user's do
    assert tomllib.loads(data.decode()) == {"theme": "paper", "hide_done": True, "sort": {"focus": "due", "queues": "file"}}
