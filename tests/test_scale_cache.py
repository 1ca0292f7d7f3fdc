"""The document cache makes warm loads fast and is never trusted when stale."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from planner.model.parser import parse_document
from planner.workspace import cache as cache_module
from planner.workspace.bulk import parse_files
from planner.workspace.loader import may_hold_planning
from planner.workspace.workspace import Workspace
from helpers.cache_rows import databases, rows, set_row
from tests.conftest import CORPUS


@pytest.fixture(autouse=True)
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("PLANNER_CACHE_DIR", str(folder))
    monkeypatch.delenv("PLANNER_NO_CACHE", raising=False)
    return folder


def age(path: Path, seconds: float = 60) -> None:
    """Make a file's mtime old. (Its ctime stays fresh: tests that need caching close
    the racy window with ``trust_fresh_files``.)"""
    stamp = time.time() - seconds
    os.utime(path, (stamp, stamp))


@pytest.fixture
def trust_fresh_files(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_module, "RACY_SECONDS", 0.0)


def load(root: Path) -> Workspace:
    workspace = Workspace([root])
    workspace.load()
    return workspace


def dumps(workspace: Workspace) -> dict[str, dict]:
    return {p: d.model_dump() for p, d in workspace.documents.items()}


def test_warm_load_comes_from_the_cache_and_equals_a_fresh_parse(docs: Path, cache_dir: Path, monkeypatch, trust_fresh_files) -> None:
    for path in docs.rglob("*.md"):
        age(path)
    cold = load(docs)
    assert len(rows(cache_dir)) == 5
    calls = []
    monkeypatch.setattr("planner.workspace.bulk.load_snapshot", lambda *a: calls.append(a))
    warm = load(docs)
    assert calls == []  # nothing parsed
    assert dumps(warm) == dumps(cold)
    assert list(warm.documents) == list(cold.documents)


def test_a_changed_file_is_never_served_from_the_cache(docs: Path, trust_fresh_files) -> None:
    path = docs / "kato" / "DAILY_BACKLOG.md"
    for p in docs.rglob("*.md"):
        age(p)
    load(docs)
    info = path.stat()
    # Same size, same mtime: only the ctime (and content) tells the change.
    data = path.read_bytes().replace(b"### Task 1.1:", b"### Task 9.9:")
    path.write_bytes(data)
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert path.stat().st_size == info.st_size and path.stat().st_mtime_ns == info.st_mtime_ns
    warm = load(docs)
    titles = [t.text for t in warm.document(path).tasks]
    assert titles[0].startswith("Task 9.9:")


def test_fresh_files_are_not_cached(docs: Path, cache_dir: Path) -> None:
    load(docs)  # files written just now by the fixture: inside the racy window
    assert not rows(cache_dir)


def test_only_changed_files_are_written_again(docs: Path, cache_dir: Path, monkeypatch, trust_fresh_files) -> None:
    load(docs)
    before = rows(cache_dir)
    assert len(before) == 5
    daily = docs / "kato" / "DAILY_BACKLOG.md"
    daily.write_bytes(daily.read_bytes() + b"\n- [ ] one more\n")
    written = []
    real_put = cache_module.DocumentCache.put
    monkeypatch.setattr(cache_module.DocumentCache, "put", lambda self, path, *a: (written.append(path), real_put(self, path, *a)))
    warm = load(docs)
    assert warm.document(daily).tasks[-1].text == "one more"
    assert written == [str(daily)]
    after = rows(cache_dir)
    assert [p for p in after if after[p] != before[p]] == [str(daily)]


def test_a_corrupt_or_foreign_cache_file_is_ignored(docs: Path, cache_dir: Path, monkeypatch, trust_fresh_files) -> None:
    for p in docs.rglob("*.md"):
        age(p)
    reference = dumps(load(docs))
    for junk in (b"", b"not marshal", b"\x00" * 100, "text", 7):
        for path in rows(cache_dir):
            set_row(cache_dir, path, junk, junk, junk)
        assert dumps(load(docs)) == reference
    # The database itself damaged (a crash, a stray file): misses, then started afresh.
    (database,) = databases(cache_dir)
    for suffix in ("-wal", "-shm"):
        Path(str(database) + suffix).unlink(missing_ok=True)
    database.write_bytes(b"not a database at all" * 100)
    assert dumps(load(docs)) == reference
    assert len(rows(cache_dir)) == 5
    calls = []
    monkeypatch.setattr("planner.workspace.bulk.load_snapshot", lambda *a: calls.append(a))
    assert dumps(load(docs)) == reference and calls == []


def test_cache_can_be_turned_off(docs: Path, cache_dir: Path, monkeypatch) -> None:
    monkeypatch.setenv("PLANNER_NO_CACHE", "1")
    for p in docs.rglob("*.md"):
        age(p)
    load(docs)
    assert not cache_dir.exists()


def test_parallel_parse_equals_serial_parse(docs: Path, monkeypatch) -> None:
    monkeypatch.setattr("planner.workspace.bulk.POOL_MIN_FILES", 1)
    monkeypatch.setattr("planner.workspace.bulk.POOL_MIN_BYTES", 1)
    jobs = [(str(p), True) for p in sorted(docs.rglob("*.md"))]
    pooled = {r.path: r.document.model_dump() for r in parse_files(jobs, 10**9, workers=2)}
    serial = {r.path: r.document.model_dump() for r in parse_files(jobs, 10**9, workers=1)}
    assert pooled == serial and len(pooled) == 5


@pytest.mark.parametrize("files", [1, 5, 64, 70, 1000, 10_000])
def test_pool_chunks_cover_every_job_in_order_and_shrink_towards_the_end(files: int) -> None:
    from planner.workspace.bulk import CHUNK_FILES, LAST_CHUNK_FILES, _chunks

    jobs = [(f"f{number}.md", True) for number in range(files)]
    chunks = _chunks(jobs, workers=2)
    assert [job for chunk in chunks for job in chunk] == jobs
    sizes = [len(chunk) for chunk in chunks]
    assert all(1 <= size <= CHUNK_FILES for size in sizes)
    assert sizes == sorted(sizes, reverse=True)  # big chunks first, small ones last
    assert all(size <= LAST_CHUNK_FILES for size in sizes[-4:])  # the tail is a few files a chunk
    if files >= 1000:
        assert sizes[0] == CHUNK_FILES and len(chunks) < files / (CHUNK_FILES / 2)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")
def test_prefilter_never_skips_a_planning_document() -> None:
    files = [p for p in (CORPUS / "real").rglob("*") if p.is_file()]
    skipped = 0
    for path in files:
        data = path.read_bytes()
        if not may_hold_planning(data):
            skipped += 1
            assert parse_document(str(path), data).kind == "none", path
    assert len(files) > 350


KILLED_WRITER = """
import os, signal, sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
db.execute("UPDATE entries SET head = x'00', tasks = NULL, body = NULL")
os.kill(os.getpid(), signal.SIGKILL)  # killed before its COMMIT
"""


def test_a_killed_cache_write_changes_nothing(docs: Path, cache_dir: Path, monkeypatch, trust_fresh_files) -> None:
    import subprocess
    import sys

    for p in docs.rglob("*.md"):
        age(p)
    reference = dumps(load(docs))
    before = rows(cache_dir)
    (database,) = databases(cache_dir)
    killed = subprocess.run([sys.executable, "-c", KILLED_WRITER, str(database)], check=False)
    assert killed.returncode == -9
    assert rows(cache_dir) == before
    calls = []
    monkeypatch.setattr("planner.workspace.bulk.load_snapshot", lambda *a: calls.append(a))
    assert dumps(load(docs)) == reference and calls == []  # every entry still served


def test_a_pool_that_cannot_start_falls_back_to_one_process(docs: Path, monkeypatch) -> None:
    import concurrent.futures

    class Broken:
        def __init__(self, *args, **kwargs) -> None:
            raise ValueError("bad value(s) in fds_to_keep")  # what a TUI's stderr caused

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Broken)
    monkeypatch.setattr("planner.workspace.bulk.POOL_MIN_FILES", 1)
    monkeypatch.setattr("planner.workspace.bulk.POOL_MIN_BYTES", 1)
    jobs = [(str(p), True) for p in sorted(docs.rglob("*.md"))]
    loaded = list(parse_files(jobs, 10**9, workers=2))
    assert [r.path for r in loaded] == [p for p, _ in jobs]
    assert all(r.document is not None and r.problem is None for r in loaded)


def test_a_parser_crash_on_one_file_is_that_files_problem(docs: Path, monkeypatch) -> None:
    from planner.workspace import bulk

    real = bulk.load_snapshot

    def fragile(path, prefilter):
        if path.endswith("NEXT_STEPS.md"):
            raise RecursionError("maximum recursion depth exceeded")
        return real(path, prefilter)

    monkeypatch.setattr(bulk, "load_snapshot", fragile)
    workspace = load(docs)
    assert len(workspace.documents) == 4
    assert any("NEXT_STEPS.md: could not be read as Markdown (RecursionError" in w for w in workspace.warnings)


@pytest.fixture
def pooled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workspace loads parse in a process pool, however small the folder."""
    monkeypatch.setattr("planner.workspace.bulk.POOL_MIN_FILES", 1)
    monkeypatch.setattr("planner.workspace.bulk.POOL_MIN_BYTES", 1)


def test_pooled_results_are_cached_and_a_warm_load_equals_them(
    docs: Path, cache_dir: Path, monkeypatch, trust_fresh_files, pooled
) -> None:
    for path in docs.rglob("*.md"):
        age(path)
    written = []
    real_put = cache_module.DocumentCache.put
    monkeypatch.setattr(cache_module.DocumentCache, "put", lambda self, *a: (written.append(os.getpid()), real_put(self, *a)))
    cold = load(docs)
    assert written == [os.getpid()] * 5  # the workers send each file back; this process caches it
    assert len(rows(cache_dir)) == 5
    calls = []
    monkeypatch.setattr("planner.workspace.bulk.load_snapshot", lambda *a: calls.append(a))
    warm = load(docs)
    assert calls == []
    assert dumps(warm) == dumps(cold) and len(cold.documents) == 5
    task_json = Workspace([docs])
    task_json.load(task_json=True)
    assert calls == [] and sorted(task_json.task_json) == sorted(cold.documents)


def test_a_pooled_load_removes_other_cache_versions(
    docs: Path, cache_dir: Path, trust_fresh_files, pooled
) -> None:
    load(docs)
    old_version = cache_dir / "v0000000000000000"
    old_version.mkdir()
    (old_version / "entries.sqlite3").write_bytes(b"an older planner's entries")
    # What planner made it with (an untagged folder is not planner's, and stays: see
    # tests/test_reliability_cache_depth.py).
    (old_version / cache_module.TAG_NAME).write_bytes(cache_module.tag_text(old_version.name))
    (docs / "kato" / "DAILY_BACKLOG.md").write_bytes(b"- [ ] changed\n")
    load(docs)
    assert not old_version.exists()
    assert [p.name for p in cache_dir.iterdir()] == [f"v{cache_module.version()}"]


def test_a_cache_folder_deleted_during_a_session_is_made_again(docs: Path, cache_dir: Path, trust_fresh_files) -> None:
    import shutil

    cache = cache_module.DocumentCache()
    path = str(docs / "kato" / "DAILY_BACKLOG.md")
    key = cache_module.stat_key(os.stat(path))
    cache.put(path, key, None, None)
    cache.save()
    shutil.rmtree(cache_dir)
    cache.put(path, key, None, None)
    cache.save()
    assert cache.get(path, key) == (True, None, None)


def test_loads_leave_no_file_open(docs: Path, trust_fresh_files, pooled) -> None:
    """Each load closes its cache database: a TUI reloading for hours must not run out
    of file descriptors (the test suite once did)."""
    open_files = lambda: len(os.listdir("/proc/self/fd"))  # noqa: E731
    load(docs)
    before = open_files()
    for _ in range(20):
        load(docs)
        workspace = Workspace([docs])
        workspace.load(task_json=True)
    assert open_files() == before


def test_a_locked_database_is_waited_for_never_started_afresh(docs: Path, cache_dir: Path, monkeypatch, trust_fresh_files) -> None:
    """A save that times out on another process's lock gives up (the cache is just
    slower); only a damaged database is started afresh."""
    import sqlite3

    load(docs)
    before = rows(cache_dir)
    monkeypatch.setattr(cache_module, "LOCK_TIMEOUT", 0.05)
    (database,) = databases(cache_dir)
    holder = sqlite3.connect(database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer, mid-transaction
    try:
        daily = docs / "kato" / "DAILY_BACKLOG.md"
        daily.write_bytes(daily.read_bytes() + b"\n- [ ] one more\n")
        assert load(docs).document(daily).tasks[-1].text == "one more"  # loads as ever
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert rows(cache_dir) == before  # nothing written, nothing deleted
