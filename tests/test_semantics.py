"""Unit tests for the semantic modules: priorities, estimates, document kinds."""

from __future__ import annotations

import pytest

from planner.model.estimate import Estimate, parse_estimate, total
from planner.model.kinds import classify
from planner.model.mojibake import spell
from planner.model.parser import parse_document
from planner.model.priority import (
    heading_priority,
    is_lane_heading,
    normalize,
    section_priorities,
    strip_priority_marks,
    task_priorities,
    task_priority,
)


def doc(text: str, path: str = "/tmp/x.md"):
    return parse_document(path, text.encode("utf-8"))


# -- priorities -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("P0 - Blocking all other work", "P0"),
        ("High - Major Performance Initiative", "P1"),
        ("Medium", "P2"),
        ("Future Enhancement (Implement when traffic exceeds 100 req/sec)", "P3"),
        ("Nice to have", "P3"),
        ("Priority 2", "P2"),
        ("Medium (was High)", "P2"),
        ("CRITICAL BLOCKER", "P0"),
        ("🟠", "P1"),
        (spell("🔴", "cp1252"), "P0"),
        ("Which option (A, B, or C) aligns with your goals?", None),
        ("TBD", None),
    ],
)
def test_normalize(value: str, expected: str | None) -> None:
    assert normalize(value) == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("ðŸ”´ P0: Critical (Do First)", "P0"),  # 🔴 mangled as in sample_docs
        ("ðŸŸ  P1: High Priority (Next 2 Weeks)", "P1"),
        ("ðŸŸ¡ P2: Medium Priority (Next Month)", "P2"),
        ("ðŸŸ¢ P3: Nice to Have (Future)", "P3"),
        ("High Priority Items", "P1"),
        ("Medium Priority Items", "P2"),
        ("Low Priority Items", "P3"),
        ("Priority 0: Session Isolation Bug Fix", "P0"),
        ("Critical", "P0"),
        ("Critical Issues", "P0"),
        ("Nice to Have", "P3"),
        ("Future Enhancements", "P3"),
        ("Priority: High", "P1"),
        ("🔴 HIGH PRIORITY (Must Have)", "P1"),  # words beat the colour
        ("2.1 Container Health Notification System 🟠", "P1"),  # a colour alone counts
        ("Week 1: Async Migration (P0)", "P0"),
        ("Sprint 5: Enhanced Operations (HIGH PRIORITY)", "P1"),
        ("Fix login ⏫", "P1"),
        ("High Availability", None),
        ("High CPU Usage", None),
        ("Medium-Term Goals", None),
        ("Notes", None),
        ("Success Metrics (Overall)", None),
        ("Rule 1: Allow SSH (Critical!)", None),
    ],
)
def test_heading_priority(title: str, expected: str | None) -> None:
    assert heading_priority(title) == expected


@pytest.mark.parametrize(
    ("title", "lane"),
    [
        ("🔴 P0: Critical (Do First)", True),
        ("High Priority Items", True),
        ("LOW Priority Issues - REMAINING", True),
        ("Future Enhancements (Optional)", True),
        ("Priority 0: Session Isolation Bug Fix", False),
        ("P1: Add caching", False),
        ("Phase 4: Verification & Testing (CRITICAL)", False),
    ],
)
def test_lane_headings(title: str, lane: bool) -> None:
    assert is_lane_heading(title) is lane


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ship it 🔺", "P0"),
        ("Ship it ⏫", "P1"),
        ("Ship it 🔼", "P2"),
        ("Ship it 🔽", "P3"),
        ("Ship it ⏬", "P3"),
        ("[P1] Ship it", "P1"),
        ("Ship it #P2", "P2"),
        ("Ship it (priority: high)", "P1"),
        ("Ship it (High)", "P1"),
        ("Ship the high-availability setup", None),
        ("Add P2P sync", None),
        ("Ship it (PRIORITY: HIGH) ✅", "P1"),  # not ASCII: the quick word check still sees it
        ("Ship it (cr\u0131tical)", "P0"),  # a dotless i reads as "i" to the tag pattern, not to lower()
        ("Ship it (PR\u0130OR\u0130TY 1)", "P1"),  # a dotted capital I, likewise
    ],
)
def test_task_priority(text: str, expected: str | None) -> None:
    assert task_priority(text) == expected


def test_strip_priority_marks() -> None:
    assert strip_priority_marks("Ship it ⏫ #P1 [P2] now") == "Ship it now"


def test_inheritance_explicit_beats_inherited() -> None:
    document = doc(
        "# Plan\n## P1: Backend\n### Cache layer\n- [ ] warm cache\n- [ ] evict 🔺\n"
        "  - [ ] subtask of evict\n### Search\n**Priority**: Low\n- [ ] index\n## Notes\n- [ ] tidy\n"
    )
    sections = section_priorities(document)
    titles = [s.title for s in document.sections]
    assert dict(zip(titles, sections, strict=True)) == {
        "Plan": None,
        "P1: Backend": "P1",
        "Cache layer": "P1",  # inherited from the lane
        "Search": "P3",  # its own field beats the lane
        "Notes": None,
    }
    tasks = dict(zip([t.text for t in document.tasks], task_priorities(document), strict=True))
    assert tasks == {
        "warm cache": "P1",
        "evict 🔺": "P0",  # on the line beats the section
        "subtask of evict": "P0",  # from its parent task
        "index": "P3",
        "tidy": None,
    }


def test_bare_word_heading_needs_a_sibling_lane() -> None:
    alone = doc("# Backups\n## Critical Data To Keep\n- [ ] database\n## How to restore\n")
    assert section_priorities(alone) == [None, None, None]
    emphasis = doc("# Day\n## Today's Focus: Release (CRITICAL)\n- [ ] ship\n")
    assert section_priorities(emphasis) == [None, None]
    lone_lane = doc("# Bugs\n## Critical\n- [ ] crash on start\n## Notes\n")
    assert section_priorities(lone_lane) == [None, "P0", None]
    lanes = doc("# Issues\n## Critical\n- [ ] a\n## Low\n- [ ] b\n")
    assert section_priorities(lanes) == [None, "P0", "P3"]


# -- estimates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "hours", "unit", "label"),
    [
        ("4-6 hours", (4, 6), "hour", "4-6h"),
        ("2-3 days", (16, 24), "day", "2-3d"),
        ("~7-10 days", (56, 80), "day", "~7-10d"),
        ("30m", (0.5, 0.5), "minute", "30m"),
        ("(3h)", (3, 3), "hour", "3h"),
        ("1 week", (40, 40), "week", "1w"),
        ("4h-6h", (4, 6), "hour", "4-6h"),
        ("1h 30m", (1.5, 1.5), "hour", "1.5h"),
        ("2 days - 1 week", (16, 40), "day", "2-5d"),
        ("two weeks", (80, 80), "week", "2w"),
        ("half a day", (4, 4), "day", "0.5d"),
        ("0.5 day", (4, 4), "day", "0.5d"),
        ("30 mins", (0.5, 0.5), "minute", "30m"),
        ("3-4 days (Option A) or 1 day (Option B)", (24, 32), "day", "3-4d"),
        ("64-84 hours (6-7 weeks) - MAJORITY COMPLETE", (64, 84), "hour", "64-84h"),
    ],
)
def test_parse_estimate(text: str, hours: tuple[float, float], unit: str, label: str) -> None:
    estimate = parse_estimate(text)
    assert estimate is not None
    assert (estimate.low, estimate.high) == pytest.approx(hours)
    assert estimate.unit == unit
    assert estimate.label() == label


@pytest.mark.parametrize(
    "text", ["5M users", "3D rendering", "Days 1-4: execute", "Phase 1.1 - 1.5", "37.5ms", "5-10x faster", "Sprint 31"]
)
def test_not_an_estimate(text: str) -> None:
    assert parse_estimate(text) is None


def test_estimates_sum_and_compare() -> None:
    parts = [parse_estimate(t) for t in ("2-3 days", "3-4 days", "2-3 days")]
    summed = total([p for p in parts if p])
    assert summed is not None and summed.label() == "7-10d"
    stated = parse_estimate("~7-10 days")
    assert stated is not None and stated.agrees_with(summed)
    assert not parse_estimate("2 weeks").agrees_with(parse_estimate("3 days") + parse_estimate("1 week"))  # type: ignore[union-attr,operator]
    assert (parse_estimate("3 days") + parse_estimate("1 week")).label() == "8d"  # type: ignore[operator]
    assert parse_estimate("5 days").agrees_with(parse_estimate("4-6 days"))  # type: ignore[union-attr,arg-type]
    assert total([]) is None
    assert Estimate(1, 2, "hour", "1-2h").in_unit("minute") == (60, 120)


# -- kinds ----------------------------------------------------------------------------------------


def test_kinds_of_sample_docs(sample_docs) -> None:
    kinds = {}
    for path in sorted(sample_docs.rglob("*.md")):
        kinds[str(path.relative_to(sample_docs))] = classify(parse_document(str(path), path.read_bytes()))
    assert kinds == {
        "dsa110-contimg/WORK_ROADMAP.md": "roadmap",  # P0–P3 lanes win over its decision checkboxes
        "kato/DAILY_BACKLOG.md": "daily",
        "kato/SPRINT_BACKLOG-2025-10-06.md": "sprint",
        "kato/SPRINT_BACKLOG.md": "sprint",
        "patronus/NEXT_STEPS.md": "options",
    }


def test_kinds_by_content() -> None:
    assert classify(doc("# Monday\n## Focus for today\n- [ ] ship\n")) == "daily"
    assert classify(doc("# Q3\n## Plan A — Rewrite\n## Plan B — Patch\n")) == "options"
    assert classify(doc("# Bugs\n## P1\n- [ ] a\n## P2\n- [ ] b\n")) == "roadmap"
    assert classify(doc("# Readme\nJust prose.\n")) == "none"
    assert classify(doc("# Scenarios\n## Scenario 1: Node failure\n## Scenario 2: Disk full\n")) == "none"
