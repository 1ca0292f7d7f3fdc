"""The TUI takes each file's focus part from the cache (stored beside its document by the load):
such a part holds the workspace's own document and tasks, and equals the part computed fresh."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.tui.app_views import stored_part
from planner.tui.screens.focus import _is_daily
from planner.views.focus import focus_part
from planner.workspace.workspace import Workspace

FIELDS = ("document", "note_day", "has_tasks", "candidate", "score", "dated", "done", "date", "first_rank", "first_work", "day_plan")


def _same_as_fresh(workspace: Workspace) -> int:
    compared = 0
    for document in workspace.documents.values():
        part = stored_part(document, workspace.stored)
        assert part is not None, document.path
        fresh = focus_part(document)
        for name in FIELDS:
            assert getattr(part, name) == getattr(fresh, name), (document.path, name)
        # the Daily Focus screen's day choice reads it from the stored part, as it would compute it
        assert _is_daily(document, workspace.stored) == _is_daily(document), document.path
        for entry in [*(entry for _, _, _, entry in part.dated), *part.first_work]:
            assert entry.document is document
            assert entry.task is None or any(entry.task is t for t in document.tasks)
        assert (part.daily is None) == (fresh.daily is None), document.path
        if part.daily is not None:
            mine, theirs = part.daily(), fresh.daily()
            assert mine == theirs, document.path
            assert mine.next_task is None or any(mine.next_task is t for t in mine.tasks) or theirs.next_task not in theirs.tasks
            assert all(t.task is None or any(t.task is task for task in document.tasks) for t in mine.tasks)
            assert part.daily() is mine  # decoded once
        compared += 1
    return compared


@pytest.mark.parametrize("warm", [False, True], ids=["parsed", "from the cache"])
def test_stored_focus_parts_equal_fresh_ones(warm: bool, docs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANNER_CACHE_DIR", str(tmp_path / "cache"))
    if warm:
        Workspace([docs]).load(stored="focus")  # a cold load stores the parts…
        Workspace([docs]).load()  # …a load that wants none leaves them
    workspace = Workspace([docs])
    workspace.load(stored="focus")
    assert set(workspace.stored) == set(workspace.documents)
    assert _same_as_fresh(workspace) == len(workspace.documents) > 0


def test_stored_focus_parts_equal_fresh_ones_on_the_corpus(real_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANNER_CACHE_DIR", str(tmp_path / "cache"))
    compared = 0
    for folder in sorted(p for p in real_corpus.iterdir() if p.is_dir()):
        Workspace([folder]).load()  # documents cached without their parts: the next load computes and stores them
        for _ in range(2):
            workspace = Workspace([folder])
            workspace.load(stored="focus")
        compared += _same_as_fresh(workspace)
    assert compared > 50


def test_a_stored_part_is_never_used_for_another_version(docs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANNER_CACHE_DIR", str(tmp_path / "cache"))
    workspace = Workspace([docs])
    workspace.load(stored="focus")
    document, task = next((d, t) for d, t in workspace.tasks() if not t.done and t.kind == "checkbox")
    workspace.toggle(document, task)
    changed = workspace.documents[document.path]
    assert changed.digest != document.digest
    assert stored_part(changed, workspace.stored) is None  # the screen computes the changed file's part
    assert stored_part(document, workspace.stored) is not None
