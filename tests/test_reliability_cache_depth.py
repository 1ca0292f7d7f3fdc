"""Issue 13, items 1, 15 and 12: the cache deletes only what planner made, a locked
cache never stalls a command, and no depth of folders or nesting fails a load."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import time
from pathlib import Path

import pytest

from planner.workspace import cache as cache_module
from planner.workspace.workspace import Workspace
from tests.helpers.cli_run import cli, run, tree_state
from tests.helpers.reliability import assert_one_line

GOOD = b"# Today's Focus\n\n- [ ] the good task P0\n"


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("PLANNER_CACHE_DIR", str(folder))
    monkeypatch.delenv("PLANNER_NO_CACHE", raising=False)
    monkeypatch.setattr(cache_module, "RACY_SECONDS", 0.0)  # every load saves entries
    return folder


# -- 1: the cache deletes only what planner made ---------------------------------------------------


def fill_like_a_home_cache(folder: Path, outside: Path) -> None:
    """What ``~/.cache`` may hold: other programs' folders, some named like planner's."""
    for name in ("vim", "venv", "v1", "virtualenvs", "vscode-cpptools"):
        (folder / name).mkdir(parents=True)
        (folder / name / "keep.txt").write_bytes(f"{name}'s own file\n".encode())
    # Named just like an old planner version, with a database in it, but no tag of planner's.
    lookalike = folder / "v0000000000000000"
    lookalike.mkdir()
    (lookalike / "entries.sqlite3").write_bytes(b"someone's database")
    # Another tool's cache tag (right signature, not planner's words).
    other = folder / "vother"
    other.mkdir()
    (other / "CACHEDIR.TAG").write_bytes(b"Signature: 8a477f597d28d172789f06886806bc55\n# other tool\n")
    (other / "data.bin").write_bytes(b"\x00data")
    (folder / "vfile").write_bytes(b"a file named v-something")
    outside.mkdir()
    (outside / "precious.txt").write_bytes(b"not in the cache folder at all")
    (folder / "vlink").symlink_to(outside, target_is_directory=True)


def test_a_cache_folder_of_other_things_keeps_every_one(tmp_path: Path, cache_dir: Path, monkeypatch) -> None:
    """``PLANNER_CACHE_DIR=~/.cache``: focus, tasks --json, tasks and a TUI load each save
    cache entries, and every file, folder and link that was there stays as it was."""
    from planner.config import load_settings
    from planner.tui.app import PlannerApp

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "TODAY.md").write_bytes(GOOD)
    fill_like_a_home_cache(cache_dir, tmp_path / "outside")
    before = tree_state(cache_dir)
    outside_before = tree_state(tmp_path / "outside")
    own = f"v{cache_module.version()}"

    def check() -> None:
        after = {k: v for k, v in tree_state(cache_dir).items() if k != own and not k.startswith(own + os.sep)}
        assert after == before
        assert tree_state(tmp_path / "outside") == outside_before

    for args in (["focus", str(docs)], ["tasks", str(docs), "--json"], ["tasks", str(docs)], ["queues", str(docs)]):
        (docs / "TODAY.md").write_bytes(GOOD + f"- [ ] {args[0]} {len(args)}\n".encode())  # a new entry to save
        code, out, _ = run(*args)
        assert code == 0 and "the good task" in out
        check()
    assert cache_module.is_planners(cache_dir / own)  # planner's own folder, tagged
    assert (cache_dir / own / "entries.sqlite3").exists()

    monkeypatch.setenv("PLANNER_CONFIG_DIR", str(tmp_path / "config"))
    (docs / "TODAY.md").write_bytes(GOOD + b"- [ ] for the TUI\n")

    async def tui() -> None:
        app = PlannerApp([str(docs)], config=load_settings(), watch=False)
        async with app.run_test(size=(100, 30)) as pilot:
            await asyncio.wait_for(app.wait_loaded(), 60)
            await pilot.pause()
            assert app.workspace is not None and app.workspace.documents

    asyncio.run(tui())
    check()


def test_old_versions_are_removed_only_file_by_file_when_tagged(tmp_path: Path, cache_dir: Path) -> None:
    """A tagged old version goes; a user's file put inside one stays (and so its folder)."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "TODAY.md").write_bytes(GOOD)
    cache_dir.mkdir()
    old, shared = cache_dir / "v1111111111111111", cache_dir / "v2222222222222222"
    for folder in (old, shared):
        folder.mkdir()
        (folder / cache_module.TAG_NAME).write_bytes(cache_module.tag_text(folder.name))
        (folder / "entries.sqlite3").write_bytes(b"old entries")
    (shared / "notes.md").write_bytes(b"the user keeps a note here\n")
    assert run("tasks", str(docs))[0] == 0
    assert not old.exists()
    assert (shared / "notes.md").read_bytes() == b"the user keeps a note here\n"
    assert not (shared / "entries.sqlite3").exists()


def test_a_damaged_database_is_started_afresh_only_in_planners_own_folder(tmp_path: Path, cache_dir: Path) -> None:
    """A file where planner's database would be, in a folder planner did not make (no
    tag), is not planner's: never opened as a cache, never deleted as "damaged"."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "TODAY.md").write_bytes(GOOD)
    folder = cache_dir / f"v{cache_module.version()}"
    folder.mkdir(parents=True)
    (folder / "entries.sqlite3").write_bytes(b"not a database: the user's file")
    for _ in range(2):
        code, out, _ = run("tasks", str(docs))
        assert code == 0 and "the good task" in out
    assert tree_state(cache_dir) == {folder.name: "folder", f"{folder.name}/entries.sqlite3": b"not a database: the user's file"}


def test_a_damaged_database_in_planners_folder_is_still_started_afresh(tmp_path: Path, cache_dir: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "TODAY.md").write_bytes(GOOD)
    assert run("tasks", str(docs))[0] == 0
    database = cache_dir / f"v{cache_module.version()}" / "entries.sqlite3"
    database.write_bytes(b"damaged by a crash" * 100)
    (docs / "TODAY.md").write_bytes(GOOD + b"- [ ] more\n")
    assert run("tasks", str(docs))[0] == 0
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT COUNT(*) FROM entries").fetchone() == (1,)


# -- 15: a locked cache never stalls a command -----------------------------------------------------


@pytest.mark.parametrize("journal", ["wal", "delete"])
def test_a_locked_cache_database_is_gone_around_within_seconds(tmp_path: Path, cache_dir: Path, journal: str) -> None:
    """Another process holding ``BEGIN EXCLUSIVE`` (in WAL it blocks saves, in a rollback
    journal reads as well): reads and saves give up within about a second, and the
    output is as without a cache. (Was 30 s per command.)"""
    docs = tmp_path / "docs"
    docs.mkdir()
    for number in range(5):
        (docs / f"plan{number}.md").write_bytes(GOOD + f"- [ ] task {number}\n".encode())
    assert run("tasks", str(docs))[0] == 0
    (database,) = cache_dir.glob("v*/entries.sqlite3")
    holder = sqlite3.connect(database, isolation_level=None, check_same_thread=False)
    holder.execute(f"PRAGMA journal_mode={journal}")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        for number in range(5):  # every file changed: five entries to save
            (docs / f"plan{number}.md").write_bytes(GOOD + f"- [x] task {number} done\n".encode())
        for args in (["tasks", str(docs), "--json"], ["focus", str(docs)], ["tasks", str(docs)]):
            started = time.monotonic()
            code, out, err = run(*args)
            elapsed = time.monotonic() - started
            assert code == 0 and err == ""
            assert ("task 4 done" if args[0] == "tasks" else "the good task") in out
            assert elapsed < 8, f"{args}: {elapsed:.1f} s behind a locked cache"  # a hang bound, not a speed target
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    workspace = Workspace([docs])
    workspace.load()  # the lock is gone: the cache is used (and written) again
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT COUNT(*) FROM entries").fetchone() == (5,)


# -- 12: no depth of folders or nesting fails a load -----------------------------------------------


def remove_deep(root: Path) -> None:
    """Remove a chain of ``d`` folders bottom up, iteratively (shutil.rmtree, and with it
    pytest's clean-up of old temp folders, recurses and fails on one this deep)."""
    here = os.getcwd()
    os.chdir(root)
    try:
        depth = 0
        while os.path.isdir("d"):
            os.chdir("d")
            depth += 1
        for _ in range(depth):
            for name in os.listdir("."):
                if name != "d":
                    os.unlink(name)
            os.chdir("..")
            os.rmdir("d")
    finally:
        os.chdir(here)


@pytest.fixture
def deep_root(tmp_path: Path):  # noqa: ANN201
    root = deep_tree(tmp_path / "root")
    yield root
    remove_deep(root)


def deep_tree(root: Path, levels: int = 1000) -> Path:
    """``root/TODAY.md`` and a chain of ``levels`` folders (built by chdir: its path is long)."""
    root.mkdir()
    (root / "TODAY.md").write_bytes(GOOD)
    here = os.getcwd()
    os.chdir(root)
    try:
        for _ in range(levels):
            os.mkdir("d")
            os.chdir("d")
        with open("deep.md", "wb") as f:
            f.write(b"- [ ] at the bottom\n")
        os.symlink("..", "loop")  # a symlink loop at the bottom too
    finally:
        os.chdir(here)
    return root


def test_a_folder_a_thousand_levels_deep_loads_everything_else(tmp_path: Path, deep_root: Path) -> None:
    root = deep_root
    for command in (["tasks"], ["focus"], ["tasks", "--json"], ["queues", "--json"]):
        result = cli(*command, str(root), cwd=tmp_path, PLANNER_NO_CACHE="1")
        assert result.returncode == 0, result.stderr.decode(errors="replace")[-2000:]
        assert b"the good task" in result.stdout, command
        warnings = result.stderr.decode().splitlines()
        assert len(warnings) == 1 and "levels deep not searched" in warnings[0], warnings
        assert b"Traceback" not in result.stderr


def test_the_tui_shows_the_good_file_beside_a_thousand_levels(tmp_path: Path, deep_root: Path, monkeypatch) -> None:
    from planner.config import load_settings
    from planner.tui.app import PlannerApp

    monkeypatch.setenv("PLANNER_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("PLANNER_NO_CACHE", "1")
    root = deep_root

    async def tui() -> None:
        app = PlannerApp([str(root)], config=load_settings(), watch=False)
        async with app.run_test(size=(100, 30)) as pilot:
            await asyncio.wait_for(app.wait_loaded(), 60)
            await pilot.pause()
            assert app.workspace is not None
            assert [Path(p).name for p in app.workspace.documents] == ["TODAY.md"]

    asyncio.run(tui())


def test_depth_is_bounded_and_the_order_is_the_walks(tmp_path: Path) -> None:
    """Files down to MAX_DEPTH folders below a root are found, in depth-first name order
    (a folder's files before its subfolders'), as the recursive walk found them."""
    from planner.workspace.discovery import MAX_DEPTH, discover

    root = tmp_path / "root"
    (root / "a" / "b").mkdir(parents=True)
    (root / "c").mkdir()
    for name in ("z.md", "a/y.md", "a/b/x.md", "c/w.md"):
        (root / name).write_bytes(b"- [ ] t\n")
    assert [os.path.relpath(p, root) for p in discover([root]).files] == ["z.md", "a/y.md", "a/b/x.md", "c/w.md"]
    chain = root / "c" / os.path.join(*["d"] * (MAX_DEPTH - 1))
    chain.mkdir(parents=True)
    (chain / "last.md").write_bytes(b"- [ ] still found\n")
    (chain / "deeper").mkdir()
    (chain / "deeper" / "lost.md").write_bytes(b"- [ ] too deep\n")
    found = discover([root])
    assert str(chain / "last.md") in found.files and str(chain / "deeper" / "lost.md") not in found.files
    assert found.warnings == [f"{chain}: folders more than {MAX_DEPTH} levels deep not searched"]


def test_a_folder_past_path_max_is_said_not_skipped_silently(tmp_path: Path) -> None:
    """Folders whose path is longer than the system allows (PATH_MAX) cannot be opened:
    one warning says so; everything above them loads."""
    from planner.workspace.discovery import discover

    root = tmp_path / "root"
    root.mkdir()
    (root / "top.md").write_bytes(b"- [ ] top\n")
    here = os.getcwd()
    os.chdir(root)
    try:
        for _ in range(25):  # 25 names of 200 characters: past Linux's 4,096
            os.mkdir("n" * 200)
            os.chdir("n" * 200)
            with open("f.md", "wb") as f:
                f.write(b"- [ ] here\n")
    finally:
        os.chdir(here)
    found = discover([root])
    assert str(root / "top.md") in found.files and len(found.files) > 10
    assert len(found.warnings) == 1 and "cannot open" in found.warnings[0], found.warnings


def test_a_file_the_parser_cannot_follow_is_one_warning_everywhere(tmp_path: Path, monkeypatch) -> None:
    """Nesting past what a parse can follow (RecursionError) or any parser failure is that
    file's one-line problem: in a load, a reload (the TUI's) and a toggle alike."""
    import planner.workspace.loader as loader

    (tmp_path / "TODAY.md").write_bytes(GOOD)
    bad = tmp_path / "nested.md"
    bad.write_bytes(b"- [ ] " + b"> " * 50 + b"x\n")
    real = loader.parse_document

    def parse(path: str, data: bytes, mtime_ns: int):  # noqa: ANN202
        if path.endswith("nested.md"):
            raise RecursionError("maximum recursion depth exceeded")
        return real(path, data, mtime_ns)

    monkeypatch.setattr(loader, "parse_document", parse)
    monkeypatch.setenv("PLANNER_NO_CACHE", "1")
    workspace = Workspace([tmp_path])
    workspace.load()
    assert [Path(p).name for p in workspace.documents] == ["TODAY.md"]
    assert workspace.reload(bad) is None
    assert any("nested.md: nested too deeply" in w for w in workspace.warnings)
    code, _, err = run("toggle", f"{bad}:1")
    assert code == 1
    assert_one_line(err)
    assert "nested too deeply" in err
