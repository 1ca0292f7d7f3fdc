"""Sprint options: every decision and option pinned on sample_docs, other styles, the corpus, and choosing."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.model.mojibake import repair
from planner.views.options import Decision, sprint_options
from planner.workspace.choose import choose
from planner.workspace.workspace import Workspace
from planner.writer.edit import EditError

STYLES = Path(__file__).parent / "docs" / "styles"


def options_of(*roots: Path) -> tuple[Workspace, list[Decision]]:
    workspace = Workspace([str(r) for r in roots], base=roots[0] if roots[0].is_dir() else roots[0].parent)
    workspace.load()
    return workspace, sprint_options(list(workspace.documents.values()))


def label(estimate) -> str | None:
    return estimate.label() if estimate is not None else None


def rows(workspace: Workspace, decisions: list[Decision]) -> list[tuple]:
    return [
        (
            workspace.relative(d.document.path),
            d.line,
            d.title,
            d.kind,
            [
                (o.label, o.line, o.title, o.recommended, o.chosen, label(o.stated_total), label(o.summed_total), o.total_mismatch, o.features, o.value)
                for o in d.options
            ],
        )
        for d in decisions
    ]


SAMPLE_DECISIONS = [
    ("dsa110-contimg/WORK_ROADMAP.md", 473, "Decision 1: Async Migration (NOW)", "checkbox", [
        ("A", 475, "Complete migration", True, False, None, None, False, [], None),
        ("B", 476, "Remove async code", False, False, None, None, False, [], None),
        ("C", 477, "Status quo", False, False, None, None, False, [], None),
    ]),
    ("dsa110-contimg/WORK_ROADMAP.md", 482, "Decision 2: Service Refactoring Scope (Week 2)", "checkbox", [
        ("1", 484, "Full refactor (move all business logic)", False, False, None, None, False, [], None),
        ("2", 485, "Partial refactor (just QA/provenance)", False, False, None, None, False, [], None),
        ("3", 486, "Defer to later", False, False, None, None, False, [], None),
    ]),
    ("dsa110-contimg/WORK_ROADMAP.md", 491, "Decision 3: PostgreSQL Migration (Month 2)", "checkbox", [
        ("1", 493, "Plan for PostgreSQL (affects pooling strategy)", False, False, None, None, False, [], None),
        ("2", 494, "Stay with SQLite (simpler pooling)", False, False, None, None, False, [], None),
    ]),
    ("patronus/NEXT_STEPS.md", 180, "Recommended Sprint 31 Scope", "proposal", [
        ("A", 182, "High Availability Focus", True, False, "~7-10d", "7-10d", False,
         ["Path Monitor Integration (2-3 days)", "Routing Engine Failover (3-4 days)", "Traffic Statistics Export (2-3 days)"],
         "Critical features for enterprise deployments"),
        ("B", 195, "Scalability Focus", False, False, "~8-11d", "8-11d", False,
         ["Distributed Caching with Redis (4-5 days)", "Site Soft Delete with Recovery (2-3 days)", "Per-Endpoint Traffic Statistics (2-3 days)"],
         "Enables horizontal scaling"),
        ("C", 208, "Minimum Viable (Quick Win)", False, False, "~5-7d", "5-7d", False,
         ["Path Monitor Integration (2-3 days)", "Routing Engine Failover (3-4 days)"],
         "Completes Sprint 30 TODOs, unblocks operators"),
    ]),
]  # fmt: skip


def test_sample_docs_options(sample_docs: Path) -> None:
    workspace, decisions = options_of(sample_docs)
    assert rows(workspace, decisions) == SAMPLE_DECISIONS
    proposal = decisions[-1]
    assert proposal.recommendation_line == 220  # "## Recommendation: Option A (High Availability Focus)"
    assert proposal.recommended is proposal.options[0] and proposal.chosen is None
    assert [o.task.line for o in decisions[0].options] == [475, 476, 477]  # type: ignore[union-attr]


def test_other_styles_proposals() -> None:
    workspace, decisions = options_of(STYLES / "proposals.md")
    assert rows(workspace, decisions) == [
        ("proposals.md", 1, "Q3 proposals for the search service", "proposal", [
            ("A", 3, "Rewrite", False, False, "3w", "3w", False, ["New query parser (1 week)", "New ranking (2 weeks)"],
             "Clean architecture, faster queries"),
            # "Risks:" is not a feature list; 3 days + 1 week is not the stated 2 weeks; "Decision: Plan B".
            ("B", 12, "Incremental", False, True, "2w", "8d", True, ["Parser fixes (3 days)", "Ranking tweaks (1 week)"],
             "Ships in the quarter"),
        ]),
        ("proposals.md", 29, "Which index store?", "checkbox", [
            ("1", 31, "Elasticsearch", True, False, None, None, False, ["managed by the platform team"], None),
            ("2", 33, "OpenSearch", False, True, None, None, False, [], None),
            ("3", 34, "Postgres full-text", False, False, None, None, False, [], None),
        ]),
        ("proposals.md", 36, "Vendors", "proposal", [
            ("1", 38, "Buy a licence", True, False, "2d", None, False, [], None),  # "We recommend Alternative 1."
            ("2", 39, "Build it ourselves", False, False, "4w", None, False, [], None),
        ]),
    ]  # fmt: skip


def test_documentation_alternatives_are_not_decisions(tmp_path: Path) -> None:
    (tmp_path / "install.md").write_text(
        "# Installing\n## Deployment Options\n### Option 1: Docker Compose (Recommended)\nRun it.\n"
        "### Option 2: Kubernetes\nApply it.\n"
        "## Scenarios\n### Scenario 1: Node failure\n### Scenario 2: Disk full\n"
        "## Decision Criteria\n- [ ] Team bandwidth available?\n- [ ] Budget approved?\n"
        "## Option D - Extras\n- [ ] SDK\n- [ ] CLI\n"
    )
    assert options_of(tmp_path)[1] == []


# -- choosing ---------------------------------------------------------------------------------------


def test_choose_checkbox_decision_is_a_radio(docs: Path) -> None:
    path = docs / "dsa110-contimg" / "WORK_ROADMAP.md"
    before = path.read_bytes()
    workspace, decisions = options_of(docs)
    decision = decisions[0]
    edits = choose(workspace, decision, decision.options[1])  # B: Remove async code
    assert [e.line for e in edits] == [476]
    after = path.read_bytes()
    assert after == before.replace(b"- [ ] Option B: Remove", b"- [x] Option B: Remove")
    # Choose A: tick it, untick B; only those two bytes differ from the original.
    decisions = sprint_options(list(workspace.documents.values()))
    decision = decisions[0]
    assert [o.chosen for o in decision.options] == [False, True, False]
    edits = choose(workspace, decision, decision.options[0])
    assert [e.line for e in edits] == [475, 476]
    assert path.read_bytes() == before.replace(b"- [ ] Option A: Complete", b"- [x] Option A: Complete")
    assert [o.chosen for o in sprint_options(list(workspace.documents.values()))[0].options] == [True, False, False]
    # Choosing again changes nothing.
    assert choose(workspace, sprint_options(list(workspace.documents.values()))[0], sprint_options(list(workspace.documents.values()))[0].options[0]) == []
    # Every edit is undoable through the workspace.
    while workspace.undo() is not None:
        pass
    assert path.read_bytes() == before


def test_choose_proposal_marks_the_heading(docs: Path) -> None:
    path = docs / "patronus" / "NEXT_STEPS.md"
    before = path.read_bytes()
    workspace, decisions = options_of(docs)
    decision = decisions[-1]
    edits = choose(workspace, decision, decision.options[1])  # Option B
    assert [e.line for e in edits] == [195]
    # The file writes ✅ mangled (as cp1252 "âœ…"): the mark is written the same way.
    assert path.read_bytes() == before.replace(b"### Option B: Scalability Focus\n", "### Option B: Scalability Focus âœ…\n".encode())
    decision = sprint_options(list(workspace.documents.values()))[-1]
    assert [o.chosen for o in decision.options] == [False, True, False]
    assert decision.options[1].title == "Scalability Focus"
    # Choose A instead: A gets the mark, B loses it; nothing else changes.
    edits = choose(workspace, decision, decision.options[0])
    assert [e.line for e in edits] == [182, 195]
    assert path.read_bytes() == before.replace(b"### Option A: High Availability Focus\n", "### Option A: High Availability Focus âœ…\n".encode())
    decision = sprint_options(list(workspace.documents.values()))[-1]
    assert [o.chosen for o in decision.options] == [True, False, False]
    assert repair(workspace.document(str(path)).sections[decision.options[0].section].title).endswith("✅")  # type: ignore[union-attr]
    while workspace.undo() is not None:
        pass
    assert path.read_bytes() == before


def test_choose_proposal_line_in_a_clean_file(tmp_path: Path) -> None:
    path = tmp_path / "next.md"
    path.write_text("# Next\n\n**Option A:** Ship it  \n**Option B:** Polish first\n\n**Recommendation:** Option B\n")
    workspace, decisions = options_of(tmp_path)
    decision = decisions[0]
    assert [(o.label, o.title, o.recommended) for o in decision.options] == [("A", "Ship it", False), ("B", "Polish first", True)]
    choose(workspace, decision, decision.options[0])
    # Appended before the hard line break's trailing blanks, which stay.
    assert path.read_text() == "# Next\n\n**Option A:** Ship it ✅  \n**Option B:** Polish first\n\n**Recommendation:** Option B\n"
    assert [o.chosen for o in sprint_options(list(workspace.documents.values()))[0].options] == [True, False]


def test_choose_finds_the_option_again_when_the_file_changed(docs: Path) -> None:
    """A line appended elsewhere since the file was read: the option heading is found again by its
    title (as a tick finds its task) and marked, and the appended line is kept."""
    path = docs / "patronus" / "NEXT_STEPS.md"
    workspace, decisions = options_of(docs)
    before = path.read_bytes() + b"\nedited elsewhere\n"
    path.write_bytes(before)
    option = decisions[-1].options[0]
    edits = choose(workspace, decisions[-1], option)
    after = path.read_bytes()
    assert after.endswith(b"edited elsewhere\n")
    assert [i for i, (a, b) in enumerate(zip(before.split(b"\n"), after.split(b"\n"), strict=True)) if a != b] == [option.line - 1]
    assert len(after) - len(before) == sum(len(e.new) - len(e.old) for e in edits)


def test_choose_refuses_when_the_option_line_is_gone(docs: Path) -> None:
    path = docs / "patronus" / "NEXT_STEPS.md"
    workspace, decisions = options_of(docs)
    option = decisions[-1].options[0]
    lines = path.read_bytes().split(b"\n")
    lines[option.line - 1] = b"### Something else entirely"
    changed = b"\n".join(lines)
    path.write_bytes(changed)
    with pytest.raises(EditError, match="changed on disk"):
        choose(workspace, decisions[-1], option)
    assert path.read_bytes() == changed


@pytest.mark.corpus
@pytest.mark.parametrize("folder", ["sevakavakians__kato", "CanuteTheGreat__patronus", "dsa110__dsa110-contimg"])
def test_corpus_options_are_sensible(real_corpus: Path, folder: str) -> None:
    workspace, decisions = options_of(real_corpus / folder)
    assert decisions
    for decision in decisions:
        assert len(decision.options) >= 2 and decision.title
        assert len({o.line for o in decision.options}) == len(decision.options)
        assert sum(1 for o in decision.options if o.chosen) <= 1 or decision.kind == "checkbox"
        for option in decision.options:
            assert option.title and "**" not in option.title
            if option.total_mismatch:
                assert option.stated_total is not None and option.summed_total is not None


@pytest.mark.corpus
def test_corpus_known_decisions(real_corpus: Path) -> None:
    workspace, decisions = options_of(real_corpus / "CanuteTheGreat__patronus")
    by_title = {d.title: d for d in decisions}
    sprint31 = by_title["Recommended Sprint 31 Scope"]
    assert [(o.label, o.recommended, label(o.stated_total), label(o.summed_total)) for o in sprint31.options] == [
        ("A", True, "~7-10d", "7-10d"), ("B", False, "~8-11d", "8-11d"), ("C", False, "~5-7d", "5-7d"),
    ]  # fmt: skip
    whats_next = by_title["What's Next?"]  # bold lines, "**Recommendation:** Option A - …"
    assert [(o.label, o.title, o.recommended) for o in whats_next.options][:2] == [
        ("A", "Ship it! (Production ready)", True), ("B", "Implement MEDIUM priority features (Sprint 6)", False),
    ]  # fmt: skip
    assert "Deployment Options" not in by_title  # an install guide's alternatives
    _, kato = options_of(real_corpus / "sevakavakians__kato" / "planning-docs__DECISIONS.md")
    assert [o.chosen for o in kato[0].options] == [False, False, True]  # "Option 3: … ✅ CHOSEN"


def test_choose_proposal_whose_heading_is_a_task(tmp_path: Path) -> None:
    path = tmp_path / "scope.md"
    path.write_text("# Sprint 9 scope\n## Option A: Ship (3 days) ✅\n## Option B: Polish (5 days) ⏸️\n")
    workspace, decisions = options_of(tmp_path)
    decision = decisions[0]
    assert [(o.label, o.title, o.chosen, o.task is not None) for o in decision.options] == [
        ("A", "Ship", True, True), ("B", "Polish", False, True),
    ]  # fmt: skip
    choose(workspace, decision, decision.options[1])
    # B's marker is ticked in place; A's trailing ✅ is taken away again.
    assert path.read_text() == "# Sprint 9 scope\n## Option A: Ship (3 days)\n## Option B: Polish (5 days) ✅\n"
    assert [o.chosen for o in sprint_options(list(workspace.documents.values()))[0].options] == [False, True]


def test_choose_next_to_a_box_planner_cannot_untick_writes_nothing(tmp_path: Path) -> None:
    """A radio choice is written whole or not at all: with another option marked ``[✅]`` (done,
    but no box planner can untick), choosing B is refused before any byte is written."""
    path = tmp_path / "decisions.md"
    path.write_text("# Decision\n\n## Which database?\n\n- [✅] Option A: Postgres\n- [ ] Option B: SQLite\n")
    before = path.read_bytes()
    workspace, decisions = options_of(tmp_path)
    decision = decisions[0]
    assert [o.chosen for o in decision.options] == [True, False]
    with pytest.raises(EditError, match="cannot untick; nothing written"):
        choose(workspace, decision, decision.options[1])
    assert path.read_bytes() == before and workspace.history == []
