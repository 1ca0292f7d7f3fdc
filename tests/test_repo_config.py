"""A repository's .planner.toml: found in the root or a parent, validated in one-line messages,
and never served from a cache entry computed under other words."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planner.cli.main import main
from planner.workspace import cache as cache_module
from planner.workspace.repo_config import RepoConfig, find_config, read_config

ROADMAP = "# Roadmap\n\n## Showstopper\n\n- [ ] Fix data loss on save\n\n## Later\n\n- [ ] Dark mode\n"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[dict, str]:
    assert main([*argv, "--json", "--today", "2026-12-02"]) == 0
    captured = capsys.readouterr()
    return json.loads(captured.out), captured.err


def priorities(capsys: pytest.CaptureFixture[str], root: Path) -> list[str | None]:
    return [t["priority"] for t in run(capsys, "tasks", str(root))[0]["tasks"]]


def test_found_in_a_parent_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / ".planner.toml").write_text('[priorities]\nShowstopper = "P0"\n', encoding="utf-8")
    sub = tmp_path / "docs" / "plans"
    sub.mkdir(parents=True)
    (sub / "roadmap.md").write_text(ROADMAP, encoding="utf-8")
    assert find_config([sub]) == tmp_path / ".planner.toml"
    assert priorities(capsys, sub) == ["P0", None]


def test_cache_never_serves_another_configs_result(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache_module, "RACY_SECONDS", 0.0)  # every load saves its entries
    (tmp_path / "roadmap.md").write_text(ROADMAP, encoding="utf-8")
    config = tmp_path / ".planner.toml"
    assert priorities(capsys, tmp_path) == [None, None]  # cached under no words
    assert priorities(capsys, tmp_path) == [None, None]  # and served from there
    config.write_text('[priorities]\nShowstopper = "P0"\n', encoding="utf-8")
    assert priorities(capsys, tmp_path) == ["P0", None]
    assert priorities(capsys, tmp_path) == ["P0", None]  # warm, from the cache
    config.write_text('[priorities]\nShowstopper = "P1"\nLater = "P3"\n', encoding="utf-8")
    assert priorities(capsys, tmp_path) == ["P1", "P3"]
    queues = run(capsys, "queues", str(tmp_path))[0]["queues"]
    assert [i["title"] for i in queues["P1"]] == ["Fix data loss on save"]
    config.unlink()
    assert priorities(capsys, tmp_path) == [None, None]


def test_mistakes_are_one_line_each_naming_file_and_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "roadmap.md").write_text(ROADMAP, encoding="utf-8")
    (tmp_path / ".planner.toml").write_text(
        'daily = 3\nbogus = 1\nignore = ["x", 2]\n[priorities]\nShowstopper = "P9"\nLater = "p3"\n'
        '[sections]\ntoday = "Agenda"\nwaiting = ["Parked"]\n',
        encoding="utf-8",
    )
    result, err = run(capsys, "tasks", str(tmp_path))
    assert [t["priority"] for t in result["tasks"]] == [None, "P3"]  # the rest of the file still counts
    lines = [line for line in err.splitlines() if line.strip()]
    assert all(".planner.toml: " in line for line in lines)
    for key in ("daily", "bogus", "ignore", "priorities.Showstopper", "sections.waiting"):
        assert sum(f".planner.toml: {key}:" in line for line in lines) == 1, (key, lines)
    assert len(lines) == 5


@pytest.mark.parametrize(
    "content", [b"daily = [\n", b"\xff\xfe not text", b"[priorities]\nA = 1\nA = 2\n", b"priorities = 3\nsections = []\n"]
)
def test_a_broken_file_is_a_warning_never_a_crash(tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes) -> None:
    (tmp_path / "roadmap.md").write_text(ROADMAP, encoding="utf-8")
    (tmp_path / ".planner.toml").write_bytes(content)
    result, err = run(capsys, "tasks", str(tmp_path))
    assert len(result["tasks"]) == 2
    assert err.strip() and all(line.startswith("planner: ") and ".planner.toml" in line for line in err.strip().splitlines())


def test_ignore_leaves_files_and_folders_out_but_not_a_named_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / ".planner.toml").write_text('ignore = ["archive/", "TEMPLATE*.md"]\n', encoding="utf-8")
    for name in ("archive/old.md", "deep/archive/older.md", "TEMPLATE_TASKS.md", "plan.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("# X\n\n- [ ] Work\n", encoding="utf-8")
    files = {t["file"] for t in run(capsys, "tasks", str(tmp_path))[0]["tasks"]}
    assert files == {"plan.md"}
    named = run(capsys, "tasks", str(tmp_path / "TEMPLATE_TASKS.md"))[0]["tasks"]
    assert len(named) == 1


def test_no_file_is_an_empty_config(tmp_path: Path) -> None:
    assert find_config([tmp_path / "missing"]) in (None, *[p / ".planner.toml" for p in tmp_path.parents])
    config = read_config(_write(tmp_path, 'daily = "today.md"\n'))
    assert isinstance(config, RepoConfig) and config.problems == []
    assert config.vocabulary is not None and config.vocabulary.daily == ("today.md",)


def _write(folder: Path, text: str) -> Path:
    path = folder / ".planner.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def _planners_own_words_after() -> object:
    """Each load sets the words in force; other tests that parse directly get planner's own."""
    yield
    from planner.model import vocabulary  # noqa: PLC0415

    vocabulary.activate(None)
