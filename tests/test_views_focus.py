"""Daily focus: pinned on sample_docs, and on daily plans written in other styles (tests/docs/styles)."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.views.focus import Focus, daily_focus, find_daily
from planner.workspace.workspace import Workspace

STYLES = Path(__file__).parent / "docs" / "styles"


def load(*roots: Path) -> list:
    workspace = Workspace([str(r) for r in roots])
    workspace.load()
    return list(workspace.documents.values())


def rows(focus: Focus) -> list[tuple]:
    return [
        (
            Path(t.document.path).name,
            t.line,
            t.title,
            t.state,
            t.priority,
            t.estimate.label() if t.estimate else None,
            t.status,
            t.task.kind if t.task else None,
        )
        for t in focus.tasks
    ]


def test_sample_docs_focus(sample_docs: Path) -> None:
    focus = daily_focus(load(sample_docs))
    assert focus.document is not None and focus.document.path.endswith("kato/DAILY_BACKLOG.md")
    assert focus.source == "daily"
    assert focus.headline == "Stateless Processor Refactor - Phase 1 (CRITICAL)"
    assert focus.last_updated == "2025-11-25"
    assert rows(focus) == [
        ("DAILY_BACKLOG.md", 30, "Task 1.1: Make MemoryManager Stateless", "open", "P0", "4-6h", "paused", "heading"),
        ("DAILY_BACKLOG.md", 52, "Task 1.2: Update KatoProcessor to Accept SessionState", "open", "P0", "8-12h", "paused", "heading"),
        ("DAILY_BACKLOG.md", 74, "Task 1.3: Update Session Endpoints", "open", "P0", "12-16h", "paused", "heading"),
        ("DAILY_BACKLOG.md", 112, "Task 1.4: Remove All Processor Locks", "open", "P0", "2-4h", "paused", "heading"),
        ("DAILY_BACKLOG.md", 135, "Task 1.5: Update Helper Modules", "open", "P0", "4-6h", "paused", "heading"),
    ]
    assert focus.next_action == "Task 1.1 - Make MemoryManager Stateless"
    assert focus.next_line == 176
    assert focus.next_task is not None and focus.next_task.line == 30
    assert focus.blocked == [
        "Test updates (14-19 hours)",
        "Documentation updates (4-6 hours)",
        "Verification testing (7-9 hours)",
        "Cleanup (2-8 hours)",
    ]
    assert focus.blocked_lines == [167, 168, 169, 170]
    assert focus.completed == []  # "*None yet - starting fresh*" is a placeholder
    assert focus.estimate_total is not None and focus.estimate_total.label() == "30-44h"


def test_without_a_daily_document_the_focus_is_open_p0_p1_work(sample_docs: Path) -> None:
    focus = daily_focus(load(sample_docs / "patronus", sample_docs / "dsa110-contimg", sample_docs / "kato" / "SPRINT_BACKLOG.md"))
    assert focus.document is None and focus.source == "queues"
    assert focus.headline == "No daily plan: 1 P0 and 6 P1 items open in 3 documents"
    assert [(Path(t.document.path).name, t.line, t.title, t.priority) for t in focus.tasks] == [
        ("WORK_ROADMAP.md", 23, "Async Migration Decision & Execution", "P0"),
        # P1: with planning detail first, newest documents first (2025-11-30, 2025-11-12, undated).
        ("WORK_ROADMAP.md", 45, "Narrow Remaining Exception Handlers", "P1"),
        ("WORK_ROADMAP.md", 94, "Add Connection Pooling for Sync Code", "P1"),
        ("WORK_ROADMAP.md", 145, "Remove Legacy errors.py Module", "P1"),
        ("SPRINT_BACKLOG.md", 6, "ClickHouse + Redis Hybrid Architecture (Billion-Scale Pattern Storage)", "P1"),
        ("NEXT_STEPS.md", 20, "Path Monitor Integration for Manual Probes", "P1"),
        ("NEXT_STEPS.md", 43, "Routing Engine Failover Integration", "P1"),
    ]
    assert focus.next_action == "Async Migration Decision & Execution"
    assert focus.next_line == 23
    assert focus.completed == [] and focus.blocked == []


def test_nothing_to_focus_on(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("# Notes\n- [ ] water the plants\n")
    focus = daily_focus(load(tmp_path))
    assert (focus.source, focus.headline, focus.tasks, focus.next_action) == ("none", "Nothing planned for today", [], None)


def test_focus_for_today_with_numbered_heading_tasks() -> None:
    focus = daily_focus(load(STYLES / "standup.md"))
    assert focus.headline == "Ship the CSV importer."
    assert focus.last_updated == "2026-03-02"
    assert rows(focus) == [
        ("standup.md", 9, "Write the CSV parser", "open", None, "2h", "in progress", None),
        ("standup.md", 12, "Review Ana's pull request", "open", None, "30m", None, None),
        ("standup.md", 14, "Fix the flaky upload test", "open", "P0", None, "Blocked - waiting on CI runners", None),
    ]
    assert focus.completed == ["Released v0.3 to staging"]  # "*nothing else*" is a placeholder
    assert focus.blocked == ["Design review from Sam", "Fix the flaky upload test"]
    assert (focus.next_action, focus.next_line) == ("Start with the parser's header handling.", 28)


def test_today_checklist_with_obsidian_priorities_and_groups() -> None:
    focus = daily_focus(load(STYLES / "today-checklist.md"))
    assert focus.headline == "Today"
    assert [(t.line, t.title, t.state, t.priority, t.estimate.label() if t.estimate else None, t.progress) for t in focus.tasks] == [
        (4, "Write the migration guide", "open", "P1", "1h", None),
        (5, "Reply to the security report", "done", "P3", None, None),
        (6, "Deploy the hotfix", "open", "P2", "30m", (1, 2)),
        (12, "Pair with Lee on caching", "open", None, None, None),  # from the "### Afternoon" group
        (13, "Cancelled: vendor call", "-", None, None, None),
    ]
    assert focus.completed == ["Reply to the security report"]
    assert focus.blocked == ["Access to the billing dashboard (asked IT)"]
    assert (focus.next_action, focus.next_line) == ("the migration guide, section 2.", 19)


def test_the_newest_daily_document_wins(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# Daily\n*Last Updated: 2025-01-02*\n## Today's Tasks\n- [ ] old task\n")
    (tmp_path / "b.md").write_text("# Daily\n*Last Updated: 2025-03-04*\n## Today's Tasks\n- [ ] new task\n")
    (tmp_path / "c.md").write_text("# Journal\n## Today's Focus\n")  # no tasks: loses to any plan with tasks
    documents = load(tmp_path)
    daily = find_daily(documents)
    assert daily is not None and daily.path.endswith("b.md")
    assert [t.title for t in daily_focus(documents).tasks] == ["new task"]


@pytest.mark.corpus
def test_corpus_kato_daily_backlog(real_corpus: Path) -> None:
    focus = daily_focus(load(real_corpus / "sevakavakians__kato"))
    assert focus.document is not None and focus.document.path.endswith("planning-docs__DAILY_BACKLOG.md")
    assert focus.headline == "Stateless Processor Refactor - Phase 1.11 (Complete Stateless Pattern)"
    assert [t.line for t in focus.tasks] == [42, 62, 81, 102, 121, 142]
    assert all(t.priority == "P0" and t.state == "open" for t in focus.tasks)
    assert focus.next_action == "Task 1.11.1 - Investigate Pattern Processor STM Usage"
    assert focus.next_task is not None and focus.next_task.line == 42
    # The "Phase 2 Tasks (BLOCKED - Do Not Start)" section and the Blocked/Waiting list.
    assert focus.blocked[:2] == ["Task 2.1: Update Test Fixtures (2-3 hours)", "Task 2.2: Run Session Isolation Test (1 hour) BLOCKER DISCOVERED"]
    assert focus.blocked[-1] == "Cleanup (2-8 hours)"
    assert focus.completed == ["Phase 1: Stateless Processor Refactor - 100% COMPLETE (2025-11-26)"]


def test_start_here_in_a_list_item_and_code_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "day.md").write_text(
        "# Day\n## Today's Tasks\n- [ ] Fix login (2h)\n- [ ] Write notes\n"
        "## Next\n```\nSTART HERE: not this, it is code\n```\n- **START HERE**: Fix login first\n"
    )
    focus = daily_focus(load(tmp_path))
    assert (focus.next_action, focus.next_line) == ("Fix login first", 9)
    assert focus.next_task is not None and focus.next_task.line == 3
