"""Each document's contribution to focus, queues and options is cached with it: a warm view
combines the stored contributions, equals the view computed fresh from the documents, and
never uses a contribution stored for another version of the file."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from planner.cli.main import main
from planner.model.priority import PRIORITIES
from planner.views import focus_parts
from planner.views.contrib import KINDS, contribution
from planner.workspace import cache as cache_module
from planner.workspace.cache import MISSING, DocumentCache, stat_key
from planner.workspace.workspace import Workspace
from helpers.cache_rows import rows

DAY = "2026-12-02"


@pytest.fixture(autouse=True)
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("PLANNER_CACHE_DIR", str(folder))
    monkeypatch.delenv("PLANNER_NO_CACHE", raising=False)
    monkeypatch.setattr(cache_module, "RACY_SECONDS", 0.0)  # the files here were all written just now
    return folder


def run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main([*args, "--today", DAY]) == 0
    return capsys.readouterr().out


VIEWS = (("focus",), ("focus", "--json"), ("queues", "--json"), ("queues", "--json", "--open"), ("queues",),
         ("options", "--json"), ("options",))  # fmt: skip


def outputs(capsys: pytest.CaptureFixture[str], root: Path) -> dict[tuple[str, ...], str]:
    return {view: run(capsys, *view, str(root)) for view in VIEWS}


def fresh_outputs(capsys: pytest.CaptureFixture[str], root: Path, monkeypatch: pytest.MonkeyPatch) -> dict[tuple[str, ...], str]:
    """The views as planner printed them before contributions were cached: computed from
    every document (no cache at all), through the view functions over documents."""
    from planner.cli import views_commands
    from planner.cli.output import emit_json
    from planner.cli.views_render import print_focus, print_options, print_queues
    from planner.views.focus import daily_focus
    from planner.views.options import sprint_options
    from planner.views.queues import priority_queues

    monkeypatch.setenv("PLANNER_NO_CACHE", "1")
    workspace = Workspace([root])
    workspace.load()
    monkeypatch.delenv("PLANNER_NO_CACHE")
    documents = list(workspace.documents.values())
    found: dict[tuple[str, ...], str] = {}
    focus = daily_focus(documents, DAY)
    queues = priority_queues(documents)
    decisions = sprint_options(documents)
    open_queues = {level: [i for i in items if i.is_open] for level, items in queues.items()}
    monkeypatch.setenv("PLANNER_TODAY", DAY)
    for view, show in (
        (("focus",), lambda: print_focus(workspace, focus)),
        (("focus", "--json"), lambda: emit_json(views_commands.focus_json(workspace, focus))),
        (("queues", "--json"), lambda: emit_json(views_commands.queues_json(workspace, queues))),
        (("queues", "--json", "--open"), lambda: emit_json(views_commands.queues_json(workspace, open_queues))),
        (("queues",), lambda: print_queues(workspace, queues)),
        (("options", "--json"), lambda: emit_json(views_commands.options_json(workspace, decisions))),
        (("options",), lambda: print_options(workspace, decisions)),
    ):
        show()
        found[view] = capsys.readouterr().out
    monkeypatch.delenv("PLANNER_TODAY")
    return found


def dated_tree(root: Path) -> Path:
    """A daily note for DAY, dated tasks (overdue, due and scheduled today, done today), a plan
    with today's focus, and proposals."""
    (root / "notes").mkdir(parents=True)
    (root / "notes" / f"{DAY}.md").write_text(
        f"# Daily {DAY}\n\n- [ ] Write the report 📅 {DAY}\n- [x] Fix the build ✅ {DAY}\n- [ ] Call Ana ⏳ {DAY}\n"
    )
    (root / "backlog.md").write_text(
        "# Backlog\n\n## P0 Critical\n- [ ] Ship the migration 📅 2026-11-20\n- [/] Half done 📅 2026-12-01\n"
        f"- [x] Done thing 📅 2026-11-01 ✅ {DAY}\n\n## High Priority\n### Task 1.1: Make it stateless\n"
        "**Status**: Blocked\n**Effort**: 2 days\n- [ ] sub a\n- [x] sub b\n\n## Options\n"
        "**Option A: Fast** (Recommended)\n- Feature one (2 days)\n- Feature two (1 day)\n\n"
        "**Option B: Slow**\n- Feature three (1 week)\n"
    )
    (root / "plan.md").write_text("# Plan\n\n## Today's Focus: ship it\n- [ ] Task one 🔼\n- [ ] Task two 📅 2026-12-05\n")
    return root


def test_views_from_the_cache_equal_views_computed_fresh(tmp_path: Path, capsys, monkeypatch, cache_dir: Path) -> None:
    root = dated_tree(tmp_path / "tree")
    fresh = fresh_outputs(capsys, root, monkeypatch)
    cold = outputs(capsys, root)
    assert rows(cache_dir)  # the contributions were stored…
    calls: list[object] = []
    monkeypatch.setattr("planner.workspace.bulk.load_snapshot", lambda *a: calls.append(a))
    monkeypatch.setattr("planner.views.contrib.contribution", lambda *a: calls.append(a))
    warm = outputs(capsys, root)
    assert calls == []  # …and a warm view parses nothing and computes no contribution
    assert cold == fresh
    assert warm == fresh
    assert "overdue" in fresh[("focus",)] and "Fix the build" in fresh[("focus",)]  # the tree exercises dates


def test_entries_are_read_a_batch_at_a_time_and_each_is_still_checked(tmp_path: Path, capsys, monkeypatch) -> None:
    """A warm view reads its rows many to a query: the views still equal fresh ones, a file
    changed in the middle of a batch is the only one parsed again, and names and text that
    are not UTF-8 come out as a fresh view writes them."""
    import sqlite3

    root = dated_tree(tmp_path / "tree")
    for number in range(7):
        (root / f"plan-{number}.md").write_bytes(b"# Backlog\n\n## P1 High\n- [ ] Item %d caf\xe9\n- [x] Done %d\n" % (number, number))
    (root / os.fsdecode(b"odd-\xff.md")).write_bytes(b"# Backlog\n\n## P0 Critical\n- [ ] Named \xe9 oddly\n")
    monkeypatch.setattr(cache_module, "BATCH_ROWS", 3)
    outputs(capsys, root)
    write_keeping_size_and_mtime(root / "plan-3.md", b"Item 3", b"Item X")
    fresh = fresh_outputs(capsys, root, monkeypatch)
    queries: list[str] = []
    real_connect = sqlite3.connect

    def traced(*args: object, **kwargs: object) -> sqlite3.Connection:
        connection = real_connect(*args, **kwargs)  # type: ignore[arg-type]
        connection.set_trace_callback(queries.append)
        return connection

    monkeypatch.setattr(cache_module.sqlite3, "connect", traced)
    parsed: list[str] = []
    import planner.workspace.bulk as bulk

    real = bulk.load_one
    monkeypatch.setattr(bulk, "load_one", lambda path, *a, **k: (parsed.append(path), real(path, *a, **k))[1])
    first = run(capsys, "queues", "--json", str(root))
    assert parsed == [str(root / "plan-3.md")]
    reads = [q for q in queries if q.startswith("SELECT")]
    assert len(reads) <= 5, reads  # 11 files, 3 to a query (and the changed one read again)
    assert first == fresh[("queues", "--json")]
    assert "Item X" in first and "Item 0 caf\ufffd" in first and '"odd-\\udcff.md"' in first
    assert outputs(capsys, root) == fresh


def test_a_tree_without_a_daily_plan_combines_the_queues(tmp_path: Path, capsys, monkeypatch) -> None:
    root = dated_tree(tmp_path / "tree")
    shutil.rmtree(root / "notes")
    (root / "plan.md").unlink()
    fresh = fresh_outputs(capsys, root, monkeypatch)
    outputs(capsys, root)
    assert outputs(capsys, root) == fresh
    assert json.loads(fresh[("focus", "--json")])["source"] == "queues"


def test_a_tree_of_plain_task_lists_shows_its_first_open_work_from_the_cache(tmp_path: Path, capsys, monkeypatch) -> None:
    """No daily plan, no priority anywhere: the plan documents' first open work, decoded from
    each document's stored part (a warm focus parses nothing) and equal to the fresh focus."""
    root = tmp_path / "tree"
    (root / "docs").mkdir(parents=True)
    (root / "TODO.md").write_text("# TODO\n\n- [x] Set up CI\n- [ ] Write the parser\n  - [ ] its tests\n- [ ] Ship 1.0\n")
    (root / "docs" / "roadmap.md").write_text("# Roadmap\n\n- [ ] Plugins\n")
    (root / "docs" / "guide.md").write_text("# Guide\n\nRun it:\n\n1. Install\n2. Run\n")
    fresh = fresh_outputs(capsys, root, monkeypatch)
    outputs(capsys, root)
    calls: list[object] = []
    monkeypatch.setattr("planner.workspace.bulk.load_snapshot", lambda *a: calls.append(a))
    monkeypatch.setattr("planner.views.contrib.contribution", lambda *a: calls.append(a))
    assert outputs(capsys, root) == fresh
    assert calls == []
    focus = json.loads(fresh[("focus", "--json")])
    assert focus["source"] == "documents"
    assert [t["title"] for t in focus["tasks"]] == ["Write the parser", "Ship 1.0", "Plugins"]


def test_views_from_the_cache_equal_views_computed_fresh_on_the_corpus(real_corpus: Path, capsys, monkeypatch) -> None:
    fresh = fresh_outputs(capsys, real_corpus, monkeypatch)
    run(capsys, "tasks", "--json", str(real_corpus))  # documents cached, no contribution yet
    first = outputs(capsys, real_corpus)  # contributions computed from the cached documents
    warm = outputs(capsys, real_corpus)
    for view in VIEWS:
        assert first[view] == fresh[view], view
        assert warm[view] == fresh[view], view


def write_keeping_size_and_mtime(path: Path, old: bytes, new: bytes) -> None:
    info = path.stat()
    data = path.read_bytes().replace(old, new)
    assert len(data) == info.st_size and data != path.read_bytes()
    path.write_bytes(data)
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert path.stat().st_mtime_ns == info.st_mtime_ns and path.stat().st_size == info.st_size


def test_a_contribution_is_never_used_for_a_changed_file(tmp_path: Path, capsys) -> None:
    root = dated_tree(tmp_path / "tree")
    backlog = root / "backlog.md"
    outputs(capsys, root)
    # Same size, same mtime: only the ctime (and the text) tells the change.
    write_keeping_size_and_mtime(backlog, b"Ship the migration", b"Ship the migratioN")
    assert "Ship the migratioN" in run(capsys, "queues", "--json", str(root))
    write_keeping_size_and_mtime(backlog, b"Option A: Fast", b"Option A: Quik")
    assert "Quik" in run(capsys, "options", "--json", str(root))
    write_keeping_size_and_mtime(backlog, b"Half done", b"Half gone")
    assert "Half gone" in run(capsys, "focus", "--json", str(root))
    # A new file in its place (another inode), same size and mtime.
    info = backlog.stat()
    replacement = root / "replacement.tmp"
    replacement.write_bytes(backlog.read_bytes().replace(b"Ship the migratioN", b"Ship the Migration"))
    os.utime(replacement, ns=(info.st_atime_ns, info.st_mtime_ns))
    os.replace(replacement, backlog)
    assert backlog.stat().st_ino != info.st_ino
    assert "Ship the Migration" in run(capsys, "queues", "--json", str(root))


@pytest.mark.parametrize("changed", range(4))
def test_a_stored_contribution_is_read_only_for_its_own_stat_key_and_words(tmp_path: Path, changed: int) -> None:
    """Size, mtime, ctime, inode: a key that differs in any of them reads no contribution, as for
    the task JSON; nor does a contribution stored under other words (.planner.toml)."""
    path = tmp_path / "plan.md"
    path.write_text("# Plan\n\n## Today's Focus\n- [ ] One [P0]\n")
    from planner.workspace.loader import load_document

    document, _ = load_document(path)
    key = stat_key(path.stat())
    old = (key[0], key[1] - 10**9, key[2] - 10**9, key[3])  # timestamps before the racy window
    cache = DocumentCache(tmp_path / "cache")
    import marshal

    from planner.workspace.bulk import load_one

    loaded = load_one(str(path), prefilter=False, render=True)
    values = {kind: contribution(kind, document) for kind in KINDS}
    stored = {kind: cache_module.view_blob(old, "", value) for kind, value in values.items()}
    cache.put(str(path), old, loaded.blob, None, loaded.rendered, stored)
    cache.save()
    for kind in KINDS:
        hit, document_kind, _, value = cache.get_view(str(path), old, kind, "")
        assert hit and document_kind == document.kind and value == marshal.loads(marshal.dumps(values[kind]))
        other = list(old)
        other[changed] += 1
        assert cache.get_view(str(path), tuple(other), kind, "")[0] is False
        assert cache.get_view(str(path), old, kind, "other words")[3] is MISSING
    # A contribution whose own key is another version's is never read, even beside a valid head.
    cache.put_view(str(path), (old[0], old[1] - 1, *old[2:]), "queues", "", values["queues"])
    cache.save()
    assert cache.get_view(str(path), old, "queues", "")[3] is MISSING
    cache.close()


def test_only_the_changed_documents_contribution_is_computed_again(tmp_path: Path, capsys, monkeypatch) -> None:
    root = dated_tree(tmp_path / "tree")
    outputs(capsys, root)
    write_keeping_size_and_mtime(root / "backlog.md", b"Ship the migration", b"Ship the migratioN")
    computed: list[str] = []
    import planner.workspace.bulk as bulk

    real = bulk.load_one
    monkeypatch.setattr(bulk, "load_one", lambda path, *a, **k: (computed.append(path), real(path, *a, **k))[1])
    assert "Ship the migratioN" in run(capsys, "focus", "--json", str(root))  # overdue: in today's focus
    assert computed == [str(root / "backlog.md")]


def test_the_combined_focus_knows_planners_priorities() -> None:
    assert focus_parts.PRIORITIES == PRIORITIES


def test_a_part_does_not_depend_on_the_day(tmp_path: Path) -> None:
    """A stored part is the same whatever today is: the day only chooses among parts."""
    from planner.views.focus import focus_part
    from planner.workspace.loader import load_document

    root = dated_tree(tmp_path / "tree")
    for path in sorted(root.rglob("*.md")):
        document, _ = load_document(path)
        parts = []
        for day in ("2020-01-01", DAY, "2031-06-30"):
            os.environ["PLANNER_TODAY"] = day
            try:
                parts.append(focus_parts.encode_part(focus_part(document), eager=True))
            finally:
                del os.environ["PLANNER_TODAY"]
        assert parts[0] == parts[1] == parts[2]


def test_old_files_are_not_rewritten_when_their_contribution_is_stored(tmp_path: Path, capsys) -> None:
    root = dated_tree(tmp_path / "tree")
    before = {p: p.read_bytes() for p in root.rglob("*.md")}
    stamp = time.time() - 60
    for p in before:
        os.utime(p, (stamp, stamp))
    outputs(capsys, root)
    assert {p: p.read_bytes() for p in root.rglob("*.md")} == before


def test_a_contribution_computed_under_other_words_is_not_used(tmp_path: Path, capsys, monkeypatch) -> None:
    """.planner.toml's words change what a document gives the views: a stored contribution is
    read only under the words it was computed with (here, which document is the day's plan)."""
    root = tmp_path / "tree"
    root.mkdir()
    (root / "a.md").write_text("# A\n\n- [ ] Alpha work\n")
    (root / "b.md").write_text("# B\n\n- [ ] Beta work\n")
    (root / ".planner.toml").write_text('daily = ["a.md"]\n')
    assert json.loads(run(capsys, "focus", "--json", str(root)))["file"] == "a.md"
    (root / ".planner.toml").write_text('daily = ["b.md"]\n')
    assert json.loads(run(capsys, "focus", "--json", str(root)))["file"] == "b.md"
    assert run(capsys, "focus", "--json", str(root)) == run(capsys, "focus", "--json", str(root))
    (root / ".planner.toml").unlink()
    fresh = fresh_outputs(capsys, root, monkeypatch)
    assert outputs(capsys, root) == fresh


WORDS = (
    "",
    '[sections]\ntoday = ["Hoy toca"]\n',
    '[sections]\ntoday = ["Hoy toca"]\nblocked = ["Parked"]\ndone = ["Shipped this week"]\n',
    '[priorities]\nShowstopper = "P0"\nStretch = "P3"\n',
    '[priorities]\nShowstopper = "P1"\nStretch = "P3"\n',
    'daily = ["roadmap.md"]\n[priorities]\nShowstopper = "P1"\nStretch = "P3"\n',
)


def test_every_word_of_planner_toml_reaches_the_cached_views(tmp_path: Path, capsys, monkeypatch) -> None:
    """[sections] (today, blocked, done), [priorities] and daily each change what a document gives
    focus, queues and options: after each change of .planner.toml, the views from the cache (first
    run and warm) equal the views computed fresh under the new words, and differ from the last."""
    root = tmp_path / "tree"
    root.mkdir()
    (root / "plan.md").write_text(
        "# Plan\n\n## Hoy toca\n- [ ] Alpha work\n- [x] Beta work\n\n## Parked\n- [ ] Waiting on Bob\n\n"
        "## Shipped this week\n- [x] Old thing\n"
    )
    (root / "roadmap.md").write_text(
        "# Roadmap\n\n## Showstopper\n- [ ] Fix the outage\n\n## Stretch\n- [ ] Nice to have\n\n"
        "## Work\n### Task 1: Thing\n**Priority**: Showstopper\n- [ ] sub one\n\n## Options\n"
        "**Option A: Fast** (Recommended)\n- Feature one (2 days)\n\n**Option B: Slow**\n- Feature two (1 week)\n"
    )
    seen: list[dict[tuple[str, ...], str]] = []
    for words in WORDS:
        (root / ".planner.toml").write_text(words)
        fresh = fresh_outputs(capsys, root, monkeypatch)
        assert outputs(capsys, root) == fresh, words
        assert outputs(capsys, root) == fresh, words
        assert fresh != (seen[-1] if seen else None), words  # the words changed the views
        seen.append(fresh)
    focus = json.loads(seen[1][("focus", "--json")])
    assert [t["title"] for t in focus["tasks"]] == ["Alpha work", "Beta work"] and focus["file"] == "plan.md"
    assert focus["blocked"] == [] and json.loads(seen[2][("focus", "--json")])["blocked"] == ["Waiting on Bob"]
    lanes = json.loads(seen[3][("queues", "--json")])["queues"]
    assert "Fix the outage" in [i["title"] for i in lanes["P0"]] and "Nice to have" in [i["title"] for i in lanes["P3"]]
    lanes = json.loads(seen[4][("queues", "--json")])["queues"]
    assert "Fix the outage" in [i["title"] for i in lanes["P1"]] and not lanes["P0"]
    assert json.loads(seen[5][("focus", "--json")])["file"] == "roadmap.md"


def test_a_cold_focus_computes_only_the_chosen_days_plan(tmp_path: Path, capsys, monkeypatch) -> None:
    """A tree of many dated notes: a cold `focus` computes the focus of the day's plan it shows,
    not every candidate's; the next run reads that one from the cache and computes none; both
    print what a focus computed fresh from every document prints."""
    from planner.views import focus as focus_module

    root = tmp_path / "tree"
    (root / "daily").mkdir(parents=True)
    for day in ("2026-11-28", "2026-11-30", "2026-12-01", DAY):
        (root / "daily" / f"{day}.md").write_text(f"# Daily {day}\n\n## Today's Tasks\n- [ ] Work of {day} [P1]\n")
    (root / "backlog.md").write_text("# Backlog\n\n## P0\n- [ ] Fix the login [P0]\n")
    computed: list[str] = []
    real = focus_module._focus_from_daily
    monkeypatch.setattr(focus_module, "_focus_from_daily", lambda d, *a: (computed.append(d.path), real(d, *a))[1])
    cold = run(capsys, "focus", "--json", str(root))
    assert computed == [str(root / "daily" / f"{DAY}.md")]
    computed.clear()
    warm = run(capsys, "focus", "--json", str(root))
    assert computed == []
    assert cold == warm and json.loads(warm)["file"] == f"daily/{DAY}.md"
    assert f"Work of {DAY}" in warm
    assert fresh_outputs(capsys, root, monkeypatch)[("focus", "--json")] == warm


def test_a_cold_focus_computes_the_first_work_of_the_plan_documents_it_shows_only(tmp_path: Path, capsys, monkeypatch) -> None:
    """No day's plan and no priorities: the focus shows the plan documents' first open work, at
    most twelve entries. A cold run computes that first work for the documents it takes the
    entries from (the two shallowest here), not for the other plan documents; a warm run reads
    them from the cache; both print what a focus computed fresh prints."""
    from planner.views import focus as focus_module

    root = tmp_path / "tree"
    root.mkdir()
    (root / "TODO.md").write_text("# TODO\n\n" + "".join(f"- [ ] Root task {n}\n" for n in range(8)))
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "backlog.md").write_text("# Backlog\n\n" + "".join(f"- [ ] Backlog task {n}\n" for n in range(8)))
    for n in range(5):
        (root / "docs" / "deep" / f"area{n}").mkdir(parents=True)
        (root / "docs" / "deep" / f"area{n}" / "tasks.md").write_text(f"# Tasks\n\n- [ ] Area {n} task\n- [ ] Area {n} more\n")
    computed: list[str] = []
    real = focus_module._first_work
    monkeypatch.setattr(focus_module, "_first_work", lambda d: (computed.append(d.path), real(d))[1])
    cold = run(capsys, "focus", "--json", str(root))
    assert sorted(computed) == sorted([str(root / "TODO.md"), str(root / "docs" / "backlog.md")])
    assert [t["title"] for t in json.loads(cold)["tasks"]][7:9] == ["Root task 7", "Backlog task 0"]
    computed.clear()
    warm = run(capsys, "focus", "--json", str(root))
    assert computed == [] and cold == warm
    assert fresh_outputs(capsys, root, monkeypatch)[("focus", "--json")] == warm


def test_a_day_plan_that_changes_before_it_is_computed_is_read_again(tmp_path: Path, capsys, monkeypatch) -> None:
    """The chosen day's plan is computed from its body after the load; a file changed in between
    is read as it is then, never as a mix of two versions."""
    root = tmp_path / "tree"
    root.mkdir()
    note = root / f"{DAY}.md"
    note.write_text(f"# Daily {DAY}\n\n## Today's Tasks\n- [ ] First version [P1]\n")
    workspace = Workspace([root])
    workspace.load(views="focus")
    note.write_text(f"# Daily {DAY}\n\n## Today's Tasks\n- [ ] Second version, longer [P1]\n")
    from planner.cli.views_commands import _contributions
    from planner.views.focus_parts import combine_focus

    focus = combine_focus(_contributions(workspace, "focus"), DAY, lambda: {p: [] for p in PRIORITIES})
    assert [t.title for t in focus.tasks] == ["Second version, longer"]
    note.unlink()
    focus = combine_focus(_contributions(workspace, "focus"), DAY, lambda: {p: [] for p in PRIORITIES})
    assert focus.tasks == [] and "changed while focus was loading" in focus.headline


def test_the_cache_version_covers_every_view_module_a_contribution_is_computed_with() -> None:
    """A stored contribution is only as fresh as the code that computed it: every planner.views
    module that planner.views.contrib reaches (focus_next's plan documents too) is versioned."""
    import re

    package = Path(cache_module.__file__).resolve().parent.parent
    sources = {p.resolve() for p in cache_module.versioned_sources()}
    pattern = re.compile(r"^\s*from planner\.views(?:\.(\w+))? import ([\w, ]+)", re.M)
    todo, seen = ["contrib"], set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for module, names in pattern.findall((package / "views" / f"{name}.py").read_text(encoding="utf-8")):
            todo.extend([module] if module else [n.strip() for n in names.split(",")])
    missing = [name for name in sorted(seen) if (package / "views" / f"{name}.py").resolve() not in sources]
    assert missing == []
