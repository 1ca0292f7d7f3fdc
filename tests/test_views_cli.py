"""`planner focus|options|queues`: JSON per PRODUCT.md, rich output, and `options --choose`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from planner.cli.main import main

ROOT = Path(__file__).resolve().parent.parent


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_focus_json(capsys: pytest.CaptureFixture[str], sample_docs: Path) -> None:
    data = run_json(capsys, "focus", str(sample_docs))
    assert data["schema"] == "planner/1"
    assert set(data) >= {"file", "headline", "tasks", "next_action", "blocked", "completed"}
    assert data["file"] == "kato/DAILY_BACKLOG.md"
    assert data["headline"] == "Stateless Processor Refactor - Phase 1 (CRITICAL)"
    assert data["tasks"][0] == {
        "title": "Task 1.1: Make MemoryManager Stateless",
        "file": "kato/DAILY_BACKLOG.md",
        "line": 30,
        "state": "open",
        "priority": "P0",
        "estimate": "4-6h",
        "estimate_hours": [4.0, 6.0],
        "status": "paused",
        "kind": "heading",
        "progress": None,
        "status_type": "todo",
        "due": None,
        "scheduled": None,
        "reason": None,
    }
    assert [t["line"] for t in data["tasks"]] == [30, 52, 74, 112, 135]
    assert data["next_action"] == "Task 1.1 - Make MemoryManager Stateless"
    assert (data["next_file"], data["next_line"]) == ("kato/DAILY_BACKLOG.md", 176)
    assert data["blocked"] == ["Test updates (14-19 hours)", "Documentation updates (4-6 hours)", "Verification testing (7-9 hours)", "Cleanup (2-8 hours)"]
    assert data["completed"] == []
    assert data["last_updated"] == "2025-11-25"


def test_queues_json(capsys: pytest.CaptureFixture[str], sample_docs: Path) -> None:
    data = run_json(capsys, "queues", str(sample_docs))
    assert data["schema"] == "planner/1"
    assert list(data["queues"]) == ["P0", "P1", "P2", "P3"]
    assert [len(v) for v in data["queues"].values()] == [7, 6, 8, 16]
    first = data["queues"]["P0"][0]
    assert {k: first[k] for k in ("title", "file", "line", "state", "progress")} == {
        "title": "Async Migration Decision & Execution",
        "file": "dsa110-contimg/WORK_ROADMAP.md",
        "line": 23,
        "state": "open",
        "progress": [0, 4],
    }
    assert (first["effort"], first["owner"], first["status"]) == ("3-4d", "TBD", "Decision document prepared")
    assert data["queues"]["P2"][3]["state"] == "done" and data["queues"]["P3"][0]["progress"] is None
    assert main(["queues", str(sample_docs), "--json", "--open"]) == 0
    assert [len(v) for v in json.loads(capsys.readouterr().out)["queues"].values()] == [7, 6, 6, 16]


def test_options_json(capsys: pytest.CaptureFixture[str], sample_docs: Path) -> None:
    data = run_json(capsys, "options", str(sample_docs))
    assert [(d["file"], d["line"], d["title"]) for d in data["decisions"]] == [
        ("dsa110-contimg/WORK_ROADMAP.md", 473, "Decision 1: Async Migration (NOW)"),
        ("dsa110-contimg/WORK_ROADMAP.md", 482, "Decision 2: Service Refactoring Scope (Week 2)"),
        ("dsa110-contimg/WORK_ROADMAP.md", 491, "Decision 3: PostgreSQL Migration (Month 2)"),
        ("patronus/NEXT_STEPS.md", 180, "Recommended Sprint 31 Scope"),
    ]
    option = data["decisions"][3]["options"][0]
    assert {k: option[k] for k in ("label", "title", "line", "recommended", "chosen", "total", "features")} == {
        "label": "A",
        "title": "High Availability Focus",
        "line": 182,
        "recommended": True,
        "chosen": False,
        "total": "~7-10d",
        "features": ["Path Monitor Integration (2-3 days)", "Routing Engine Failover (3-4 days)", "Traffic Statistics Export (2-3 days)"],
    }
    assert (option["summed_total"], option["total_mismatch"]) == ("7-10d", False)


def test_rich_output_is_readable(capsys: pytest.CaptureFixture[str], sample_docs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    assert main(["focus", str(sample_docs)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "Stateless Processor Refactor - Phase 1 (CRITICAL)"
    assert "▶ Start here: Task 1.1 - Make MemoryManager Stateless  kato/DAILY_BACKLOG.md:176" in out
    assert "Task 1.1: Make MemoryManager Stateless" in out and "4-6h" in out and ":30" in out
    assert "Test updates (14-19 hours)" in out and "30-44h estimated" in out
    assert main(["queues", str(sample_docs)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("P0  7 items, 7 open")
    assert "Async Migration Decision & Execution" in out and "0/4" in out and "39/50" in out
    assert main(["options", str(sample_docs)]) == 0
    out = capsys.readouterr().out
    assert "Recommended Sprint 31 Scope  patronus/NEXT_STEPS.md:180  proposal" in out
    assert "★ recommended" in out and "~7-10d (Σ 7-10d)" in out and "• Routing Engine Failover (3-4 days)" in out


def test_choose_from_the_cli(docs: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(docs)
    before = (docs / "dsa110-contimg" / "WORK_ROADMAP.md").read_bytes()
    assert main(["options", "--choose", "dsa110-contimg/WORK_ROADMAP.md:476"]) == 0
    assert "chose B: Remove async code in 'Decision 1: Async Migration (NOW)'" in capsys.readouterr().out
    assert (docs / "dsa110-contimg" / "WORK_ROADMAP.md").read_bytes() == before.replace(b"- [ ] Option B", b"- [x] Option B")
    assert main(["options", "--choose", "dsa110-contimg/WORK_ROADMAP.md:476"]) == 0
    assert capsys.readouterr().out.startswith("already chosen: B: Remove async code")
    assert main(["options", "--choose", "dsa110-contimg/WORK_ROADMAP.md:10"]) == 1
    assert "no option of a decision on this line" in capsys.readouterr().err
    assert main(["options", "--choose", "missing.md:3"]) == 1
    assert main(["options", "--choose", "nonsense"]) == 1


def test_focus_as_a_process(sample_docs: Path) -> None:
    """The installed entry point works end to end without starting the UI (and without Textual)."""
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    code = (
        "import sys, runpy; sys.argv = ['planner', 'focus', sys.argv[1], '--json'];"
        "from planner.cli.main import main; rc = main(sys.argv[1:]);"
        "assert 'textual' not in sys.modules, 'focus must not import Textual'; raise SystemExit(rc)"
    )
    result = subprocess.run([sys.executable, "-c", code, str(sample_docs)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["file"] == "kato/DAILY_BACKLOG.md"
