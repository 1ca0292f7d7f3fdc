"""Settings and theme files: defaults, round trips, and a clear message for every bad file."""

from __future__ import annotations

import os
import stat
import tomllib
from pathlib import Path

import pytest

from planner.config import DEFAULT_THEME, Settings, config_dir, config_path, load_settings, save_settings


@pytest.fixture(autouse=True)
def config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "config"
    monkeypatch.setenv("PLANNER_CONFIG_DIR", str(folder))
    return folder


def test_env_overrides_the_platform_folder(config_home: Path) -> None:
    assert config_dir() == config_home
    assert config_path() == config_home / "config.toml"


def test_platform_folder_when_not_overridden(monkeypatch: pytest.MonkeyPatch) -> None:
    import platformdirs

    monkeypatch.delenv("PLANNER_CONFIG_DIR")
    assert config_dir() == Path(platformdirs.user_config_dir("planner", appauthor=False))


def test_missing_file_gives_defaults_without_a_message() -> None:
    loaded = load_settings()
    assert loaded.settings == Settings()
    assert loaded.settings.theme == DEFAULT_THEME
    assert loaded.problem is None and loaded.writable and not loaded.exists


def test_round_trip_with_tomli_w(config_home: Path) -> None:
    settings = Settings(theme="paper", roots=["~/work/plans", "/srv/docs"], include=["*.md"], exclude=["archive/*"])
    path = save_settings(settings)
    assert path == config_home / "config.toml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# planner settings")
    assert tomllib.loads(text) == settings.as_table()
    assert load_settings().settings == settings
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o644
    # nothing but the file is left in the folder (the write is atomic: temp file + rename)
    assert sorted(p.name for p in config_home.iterdir()) == ["config.toml"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('theme = "paper"\ncolour = "blue"\n', "colour: unknown setting"),
        ("theme = 3\n", "theme: 3 is not a string"),
        ("theme = true\n", "theme: True is not a string"),
        ('theme = ""\n', "theme: must not be empty"),
        ('theme = "   "\n', "theme: must not be empty"),
        ('roots = "not a list"\n', "roots: 'not a list' is not a list of strings"),
        ('include = ["*.md", 3]\n', "include: 3 is not a string"),
        ('exclude = [["a"]]\n', "exclude: ['a'] is not a string"),
        ('colour = "blue"\ntheme = 3\n', "colour: unknown setting; theme: 3 is not a string"),
        ("theme = [unclosed\n", "not valid TOML"),
        ("\xff\xfe", "not valid TOML"),
    ],
)
def test_bad_file_gives_one_line_and_the_defaults(config_home: Path, text: str, expected: str) -> None:
    config_home.mkdir(parents=True)
    (config_home / "config.toml").write_text(text, encoding="utf-8")
    loaded = load_settings()
    assert loaded.settings == Settings()
    assert loaded.problem is not None and expected in loaded.problem
    assert "using the default settings" in loaded.problem
    assert "\n" not in loaded.problem.strip()
    assert not loaded.writable  # the user's file is theirs to fix: never overwritten


def test_theme_name_is_trimmed_and_other_settings_kept(config_home: Path) -> None:
    config_home.mkdir(parents=True)
    (config_home / "config.toml").write_text('theme = " paper "\nroots = ["~/plans"]\n', encoding="utf-8")
    loaded = load_settings()
    assert loaded.problem is None
    assert loaded.settings == Settings(theme="paper", roots=["~/plans"])


def test_unreadable_file(config_home: Path) -> None:
    config_home.mkdir(parents=True)
    (config_home / "config.toml").mkdir()  # a folder where the file should be
    loaded = load_settings()
    assert loaded.settings == Settings()
    assert loaded.problem is not None and "cannot read" in loaded.problem


def test_invalid_utf8(config_home: Path) -> None:
    config_home.mkdir(parents=True)
    (config_home / "config.toml").write_bytes(b'theme = "caf\xe9"\n')
    loaded = load_settings()
    assert loaded.problem is not None and loaded.settings == Settings()


# -- theme files --------------------------------------------------------------------------------


def test_bundled_themes_are_valid_light_and_dark() -> None:
    from planner.tui.themes import BUNDLED_THEMES, load_themes

    found = load_themes(BUNDLED_THEMES)
    assert found.problems == []
    names = {t.name: t for t in found.themes}
    assert DEFAULT_THEME in names
    assert any(t.dark for t in found.themes) and any(not t.dark for t in found.themes)
    assert len(found.themes) >= 4


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('name = "x"\nprimary = "bluish"\n', "primary: 'bluish' is not a colour"),
        ('name = "x"\nprimary = "#123456"\nbackground = "#12"\n', "background"),
        ('name = "x"\nprimary = "#123456"\nshade = "#000"\n', "shade: unknown key"),
        ('primary = "#123456"\n', "name: Field required"),
        ('name = "Bad Name"\nprimary = "#123456"\n', "not a theme name"),
        ('name = "x"\nprimary = "#123456"\n[variables]\n"footer-key-foreground" = "nope"\n', "footer-key-foreground"),
        ('name = "x"\nprimary = "#123456"\n[variables]\n"block-cursor-text-style" = "shiny"\n', "not a text style"),
        ('name = "x"\nprimary = "#123', "not valid TOML"),
    ],
)
def test_bad_theme_file_is_skipped_with_a_reason(tmp_path: Path, text: str, expected: str) -> None:
    from planner.tui.themes import load_themes

    (tmp_path / "bad.toml").write_text(text, encoding="utf-8")
    (tmp_path / "good.toml").write_text('name = "good"\nprimary = "rgb(10, 20, 30)"\ndark = false\n', encoding="utf-8")
    found = load_themes(tmp_path)
    assert [t.name for t in found.themes] == ["good"]
    assert len(found.problems) == 1
    assert "bad.toml" in found.problems[0] and expected in found.problems[0], found.problems


def test_later_folder_overrides_a_theme_of_the_same_name(tmp_path: Path) -> None:
    from planner.tui.themes import BUNDLED_THEMES, load_themes

    (tmp_path / "mine.toml").write_text('name = "paper"\nprimary = "#ff0000"\ndark = false\n', encoding="utf-8")
    found = load_themes(BUNDLED_THEMES, tmp_path)
    paper = [t for t in found.themes if t.name == "paper"]
    assert len(paper) == 1 and paper[0].primary == "#ff0000"


def test_view_choices_round_trip_and_bad_values_are_named(config_home: Path) -> None:
    from planner.config import save_changes

    loaded = load_settings()
    save_changes(loaded, sort={"focus": "due"}, reverse={"focus": True}, group={"queues": "file"}, hide_done=True)
    again = load_settings()
    assert again.problem is None
    assert (again.settings.sort, again.settings.reverse, again.settings.group, again.settings.hide_done) == (
        {"focus": "due"}, {"focus": True}, {"queues": "file"}, True
    )
    (config_home / "config.toml").write_text('sort = {focus = "colour"}\nhide_done = "yes"\n', encoding="utf-8")
    bad = load_settings()
    assert bad.problem is not None and "\n" not in bad.problem
    assert "sort: focus = 'colour' is not one of priority, due, file, state, estimate" in bad.problem
    assert "hide_done: 'yes' is not true or false" in bad.problem


def test_save_changes_writes_only_the_changed_keys(config_home: Path) -> None:
    from planner.config import save_changes

    config_home.mkdir(parents=True)
    path = config_home / "config.toml"
    path.write_text('roots = ["~/plans"]\ntheme = "paper"\n\n[keymap]\nadd = "n"\n', encoding="utf-8")
    loaded = load_settings()
    save_changes(loaded, sort={"focus": "priority"})
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    # the user's keys as written, the new one, and no defaults added (no include = [], no theme rewritten)
    assert data == {"roots": ["~/plans"], "theme": "paper", "keymap": {"add": "n"}, "sort": {"focus": "priority"}}
    save_changes(loaded, hide_done=True)
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert data == {"roots": ["~/plans"], "theme": "paper", "keymap": {"add": "n"}, "sort": {"focus": "priority"}, "hide_done": True}


def test_save_changes_refuses_a_file_it_could_not_read(config_home: Path) -> None:
    from planner.config import save_changes

    config_home.mkdir(parents=True)
    path = config_home / "config.toml"
    path.write_text("theme = [broken\n", encoding="utf-8")
    loaded = load_settings()
    with pytest.raises(ValueError, match="could not be read"):
        save_changes(loaded, hide_done=True)
    assert path.read_text(encoding="utf-8") == "theme = [broken\n"


def test_save_changes_keeps_the_users_comments_and_layout(config_home: Path) -> None:
    from planner.config import save_changes

    config_home.mkdir(parents=True)
    path = config_home / "config.toml"
    mine = '# my planner\ntheme = "paper"   # the light one\nroots = [\n  "~/plans",  # work\n]\n\n[sort]\nqueues = "due"\n'
    path.write_text(mine, encoding="utf-8")
    loaded = load_settings()
    save_changes(loaded, hide_done=True)
    text = path.read_text(encoding="utf-8")
    assert text.startswith(mine.split("\n[sort]")[0])  # every byte before, comments included
    assert "# the light one" in text and "# work" in text
    assert tomllib.loads(text) == {"theme": "paper", "roots": ["~/plans"], "sort": {"queues": "due"}, "hide_done": True}
    save_changes(loaded, sort={"queues": "due", "focus": "file"})
    text = path.read_text(encoding="utf-8")
    assert text.startswith(mine.split("\n[sort]")[0])
    assert tomllib.loads(text)["sort"] == {"queues": "due", "focus": "file"}
    assert load_settings().settings.sort == {"queues": "due", "focus": "file"}


def test_save_changes_without_tomlkit_keeps_the_keys(config_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from planner.config import save_changes

    monkeypatch.setitem(sys.modules, "tomlkit", None)  # not installed
    config_home.mkdir(parents=True)
    path = config_home / "config.toml"
    path.write_text('theme = "paper"  # mine\n', encoding="utf-8")
    save_changes(load_settings(), group={"focus": "due"})
    assert tomllib.loads(path.read_text(encoding="utf-8")) == {"theme": "paper", "group": {"focus": "due"}}
