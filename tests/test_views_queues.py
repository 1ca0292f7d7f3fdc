"""Priority queues: every item and lane pinned on sample_docs, other styles, and the corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.views.queues import priority_queues
from planner.workspace.workspace import Workspace

STYLES = Path(__file__).parent / "docs" / "styles"


def queues_of(*roots: Path) -> tuple[Workspace, dict]:
    workspace = Workspace([str(r) for r in roots])
    workspace.load()
    return workspace, priority_queues(list(workspace.documents.values()))


def rows(workspace: Workspace, items: list) -> list[tuple]:
    return [
        (
            workspace.relative(i.document.path),
            i.line,
            i.title,
            i.state,
            i.effort.label() if i.effort else None,
            i.owner,
            i.progress,
        )
        for i in items
    ]


SAMPLE_QUEUES = {
    "P0": [
        ("dsa110-contimg/WORK_ROADMAP.md", 23, "Async Migration Decision & Execution", "open", "3-4d", "TBD", (0, 4)),
        ("kato/DAILY_BACKLOG.md", 6, "Session Isolation Bug Fix", "open", None, None, None),
        ("kato/DAILY_BACKLOG.md", 30, "Task 1.1: Make MemoryManager Stateless", "open", "4-6h", None, None),
        ("kato/DAILY_BACKLOG.md", 52, "Task 1.2: Update KatoProcessor to Accept SessionState", "open", "8-12h", None, None),
        ("kato/DAILY_BACKLOG.md", 74, "Task 1.3: Update Session Endpoints", "open", "12-16h", None, None),
        ("kato/DAILY_BACKLOG.md", 112, "Task 1.4: Remove All Processor Locks", "open", "2-4h", None, None),
        ("kato/DAILY_BACKLOG.md", 135, "Task 1.5: Update Helper Modules", "open", "4-6h", None, None),
    ],
    "P1": [
        ("dsa110-contimg/WORK_ROADMAP.md", 45, "Narrow Remaining Exception Handlers", "open", "2-3d", "TBD", (0, 4)),
        ("dsa110-contimg/WORK_ROADMAP.md", 94, "Add Connection Pooling for Sync Code", "open", "1-2d", "TBD", (0, 5)),
        ("dsa110-contimg/WORK_ROADMAP.md", 145, "Remove Legacy errors.py Module", "open", "2h", "Anyone", (0, 5)),
        ("kato/SPRINT_BACKLOG.md", 6, "ClickHouse + Redis Hybrid Architecture (Billion-Scale Pattern Storage)", "open", "64-84h", None, (39, 50)),
        ("patronus/NEXT_STEPS.md", 20, "Path Monitor Integration for Manual Probes", "open", "2-3d", None, None),
        ("patronus/NEXT_STEPS.md", 43, "Routing Engine Failover Integration", "open", "3-4d", None, None),
    ],
    "P2": [
        ("dsa110-contimg/WORK_ROADMAP.md", 168, "Service Layer Refactoring", "open", "1w", "TBD", (0, 5)),
        ("dsa110-contimg/WORK_ROADMAP.md", 217, "Implement Transaction Management", "open", "2-3d", "TBD", (0, 5)),
        ("dsa110-contimg/WORK_ROADMAP.md", 264, "N+1 Query Optimization", "open", "2-3d", "TBD", (0, 4)),
        ("kato/SPRINT_BACKLOG-2025-10-06.md", 12, "API Endpoint Deprecation - Session-Based Migration", "done", "7h", None, (15, 15)),
        ("kato/SPRINT_BACKLOG.md", 119, "API Endpoint Deprecation - Session-Based Migration", "done", "7h", None, (15, 15)),
        ("patronus/NEXT_STEPS.md", 68, "Traffic Statistics Export", "open", "2-3d", None, None),
        ("patronus/NEXT_STEPS.md", 91, "Distributed Caching with Redis", "open", "4-5d", None, None),
        ("patronus/NEXT_STEPS.md", 115, "Site Soft Delete with Recovery", "open", "2-3d", None, None),
    ],
    "P3": [
        ("dsa110-contimg/WORK_ROADMAP.md", 307, "Comprehensive Integration Tests", "open", "1w", None, None),
        ("dsa110-contimg/WORK_ROADMAP.md", 313, "Circuit Breakers for External Services", "open", "2-3d", None, None),
        ("dsa110-contimg/WORK_ROADMAP.md", 319, "Database Migration Strategy", "open", "1w", None, None),
        ("dsa110-contimg/WORK_ROADMAP.md", 325, "API Versioning Strategy", "open", "3-4d", None, None),
        ("dsa110-contimg/WORK_ROADMAP.md", 331, "Observability Improvements", "open", "2w", None, None),
        ("kato/SPRINT_BACKLOG-2025-10-06.md", 56, "Production Scale Migration Plan (PSMP)", "open", None, None, None),
        ("kato/SPRINT_BACKLOG-2025-10-06.md", 77, "Additional API Features", "open", None, None, None),
        ("kato/SPRINT_BACKLOG-2025-10-06.md", 83, "Performance Optimizations", "open", None, None, None),
        ("kato/SPRINT_BACKLOG-2025-10-06.md", 89, "Code Quality", "open", None, None, None),
        ("kato/SPRINT_BACKLOG.md", 163, "Production Scale Migration Plan (PSMP)", "open", None, None, None),
        ("kato/SPRINT_BACKLOG.md", 184, "Additional API Features", "open", None, None, None),
        ("kato/SPRINT_BACKLOG.md", 190, "Performance Optimizations", "open", None, None, None),
        ("kato/SPRINT_BACKLOG.md", 196, "Code Quality", "open", None, None, None),
        ("patronus/NEXT_STEPS.md", 141, "Per-Endpoint Traffic Statistics", "open", "2-3d", None, None),
        ("patronus/NEXT_STEPS.md", 154, "Cache Warming Strategies", "open", "2-3d", None, None),
        ("patronus/NEXT_STEPS.md", 167, "Advanced Rate Limiting", "open", "2-3d", None, None),
    ],
}


def test_sample_docs_queues(sample_docs: Path) -> None:
    workspace, queues = queues_of(sample_docs)
    assert list(queues) == ["P0", "P1", "P2", "P3"]
    assert {level: rows(workspace, items) for level, items in queues.items()} == SAMPLE_QUEUES


def test_sample_docs_item_details(sample_docs: Path) -> None:
    workspace, queues = queues_of(sample_docs)
    by_place = {(workspace.relative(i.document.path), i.line): i for items in queues.values() for i in items}
    async_item = by_place[("dsa110-contimg/WORK_ROADMAP.md", 23)]
    assert async_item.status == "Decision document prepared"
    assert async_item.effort_text == "3-4 days (Option A) or 1 day (Option B)"
    assert async_item.lane == "🔴 P0: Critical (Do First)"  # repaired from the mangled heading
    assert async_item.value == "High (eliminates confusion, improves performance)"
    assert async_item.risk == "Low (well-documented, easy rollback)"
    assert async_item.dependencies == "None"
    assert [t.line for t in async_item.tasks] == [32, 33, 34, 35]
    task = by_place[("kato/DAILY_BACKLOG.md", 30)]
    assert task.task is not None and task.task.kind == "heading" and task.status == "paused"
    project = by_place[("kato/SPRINT_BACKLOG.md", 6)]
    assert project.status == "Phase 1 VERIFIED ✅ - Tests Running in Hybrid Mode by Default (2025-11-12)"
    assert project.effort_text == "64-84 hours (6-7 weeks) - MAJORITY COMPLETE"  # its "Total Effort Estimate"
    psmp = by_place[("kato/SPRINT_BACKLOG.md", 163)]
    assert psmp.status == "Documented, Not Yet Implemented" and psmp.priority == "P3"  # "Future Enhancement"
    # Sections without priority stay out.
    titles = {i.title for items in queues.values() for i in items}
    assert not titles & {"Notes", "Success Metrics (Overall)", "Communication Plan", "Technical Debt to Address"}


def test_other_styles_backlog() -> None:
    workspace, queues = queues_of(STYLES / "backlog.md")
    assert {level: [(i.line, i.title, i.kind, i.state, i.effort.label() if i.effort else None, i.owner, i.progress) for i in items] for level, items in queues.items()} == {
        "P0": [(7, "Rate limiting", "task", "open", None, None, None)],  # "#P0" beats the P1 lane
        "P1": [
            (5, "Add SSO login", "task", "open", "3d", "maria", None),
            (6, "Audit log export", "task", "done", None, None, None),
            (25, "Crash when the upload is empty", "item", "open", None, None, None),
            (26, "Wrong timezone in reports", "item", "done", None, None, None),
        ],
        "P2": [],
        "P3": [
            (11, "Dark mode", "section", "open", "2d", "Kim", (1, 2)),
            (19, "Offline sync", "section", "open", None, None, (0, 1)),
        ],
    }


def test_grouping_section_and_lane_with_subsections(tmp_path: Path) -> None:
    (tmp_path / "plan.md").write_text(
        "# Plan\n"
        "## Today's Focus: Release (CRITICAL)\n"  # a lone "(CRITICAL)" is emphasis, not a priority
        "### Priority 1: Fix the installer\n**Status**: Done\n"
        "## High Priority - Core Visualization\n"  # opens with its priority and holds work: a lane
        "### Phase 1: Viewer\n- [x] a\n- [ ] b\n"
        "### Phase 2: Overlays\n"
        "## Phase 4: Testing (P2)\n"  # work that has a priority: an item with its subsections inside
        "### Steps\n- [ ] run\n"
    )
    workspace, queues = queues_of(tmp_path)
    assert {level: [(i.title, i.state, i.progress) for i in items] for level, items in queues.items()} == {
        "P0": [],
        "P1": [("Fix the installer", "done", None), ("Phase 1: Viewer", "open", (1, 2)), ("Phase 2: Overlays", "open", None)],
        "P2": [("Phase 4: Testing", "open", (0, 1))],
        "P3": [],
    }


@pytest.mark.corpus
@pytest.mark.parametrize("folder", ["sevakavakians__kato", "CanuteTheGreat__patronus", "dsa110__dsa110-contimg"])
def test_corpus_queues_are_sensible(real_corpus: Path, folder: str) -> None:
    workspace, queues = queues_of(real_corpus / folder)
    assert list(queues) == ["P0", "P1", "P2", "P3"]
    items = [i for level in queues.values() for i in level]
    assert items, "a planning folder has prioritised work"
    for level, lane in queues.items():
        for item in lane:
            assert item.priority == level
            assert item.title and item.title.strip() == item.title
            assert item.state in ("open", "done") or len(item.state) == 1
            assert 1 <= item.line <= item.document.line_count
            if item.progress is not None:
                done, total = item.progress
                assert 0 <= done <= total and total > 0
            # Titles are display text: no mojibake, no priority label left.
            assert "â" not in item.title and "ðŸ" not in item.title
            assert not item.title.startswith(("P0:", "P1:", "P2:", "P3:"))
            assert item.title.lower() not in ("notes", "summary", "none", "success metrics")


@pytest.mark.corpus
def test_corpus_roadmap_lanes(real_corpus: Path) -> None:
    workspace, queues = queues_of(real_corpus / "dsa110__dsa110-contimg" / "backend__WORK_ROADMAP.md")
    assert [(level, [i.line for i in items]) for level, items in queues.items()] == [
        ("P0", [23]),
        ("P1", [45, 94, 145]),
        ("P2", [168, 217, 264]),
        ("P3", [307, 313, 319, 325, 331]),
    ]
