"""Structure from shape on real files (planner/model/structure.py): which of the corpus's files
are templates and which are reference documents, and that no seed is either.

Labels written from the files: the dsa110 PR template and the lsx-demo-theme day-log template
are templates, and so are the files named or filed as templates (the three repositories'
``.github/pull_request_template.md``, wiki's ``templates/Weekly Review.md``, festival's
``ORCHESTRATION_PLAN_TEMPLATE.md`` and ``templates/festival/TODO.md``); the patronus backup plan and runbook, the dsa110 review checklist and the KATO
git-workflow guide are reference; the dsa110 "Production Readiness Roadmap" and "Next Steps:
Mosaic Creation Fixes" are plans though heavy with code."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.model.document import Document
from planner.model.structure import group_sections, is_reference, is_template, list_groups, template_sections
from planner.workspace.loader import load_document

pytestmark = pytest.mark.corpus


def _load(path: Path) -> Document:
    loaded = load_document(str(path))
    return loaded[0] if isinstance(loaded, tuple) else loaded


TEMPLATES = {
    "dsa110__dsa110-contimg/.github__PULL_REQUEST_TEMPLATE__docs.md",
    "serenvdmerwe__lsx-demo-theme/logs__week1__logs-week1-day1.md",
    # by their file name or folder (planner.model.structure.template_path)
    "CaoMeiYouRen__momei/.github__PULL_REQUEST_TEMPLATE.md",
    "dsa110__dsa110-contimg/.github__pull_request_template.md",
    "obsidian-tasks-group__obsidian-tasks/.github__pull_request_template.md",
    "Tymotex__wiki/content__templates__Weekly Review.md",
    "lancekrogers__festival-methodology/festivals__.festival__extensions__orchestration__templates__ORCHESTRATION_PLAN_TEMPLATE.md",
    "lancekrogers__festival-methodology/festivals__.festival__templates__festival__TODO.md",
}
REFERENCE = {
    "CanuteTheGreat__patronus/docs__DISASTER_RECOVERY.md",
    "CanuteTheGreat__patronus/docs__OPERATIONS_RUNBOOK.md",
    "dsa110__dsa110-contimg/docs__guides__code-review-checklist.md",
    "sevakavakians__kato/docs__developers__git-workflow.md",
}
PLANS = {
    "dsa110__dsa110-contimg/docs__design__PRODUCTION_READINESS_ROADMAP.md",
    "dsa110__dsa110-contimg/docs__archive__analysis__NEXT_STEPS_MOSAIC_FIXES.md",
    "dsa110__dsa110-contimg/docs__archive__analysis__CARTA_INTEGRATION_TODO.md",
}


def test_templates_and_reference_documents(real_corpus: Path) -> None:
    templates = set()
    for path in sorted(real_corpus.glob("*/*.md")):
        name = f"{path.parent.name}/{path.name}"
        document = _load(path)
        # Every rule runs on every real file without an error.
        group_sections(document), list_groups(document), template_sections(document)
        if is_template(document):
            templates.add(name)
        if name in REFERENCE:
            assert is_reference(document), name
        if name in PLANS:
            assert not is_reference(document) and not is_template(document), name
    assert templates == TEMPLATES


def test_no_seed_is_template_or_reference(sample_docs: Path) -> None:
    for path in sorted(sample_docs.rglob("*.md")):
        document = _load(path)
        assert not is_template(document) and not is_reference(document), path.name
        assert not template_sections(document), path.name


def test_carta_phases_frame_their_work(real_corpus: Path) -> None:
    """"### Phase 1: Complete JS9 Integration (Week 1)" … "### Phase 7": time windows over
    checkboxes that each carry a time estimate and subtasks — groups, not items."""
    document = _load(real_corpus / "dsa110__dsa110-contimg" / "docs__archive__analysis__CARTA_INTEGRATION_TODO.md")
    framed = {document.sections[i].title for i in group_sections(document)}
    assert {t for t in framed if t.startswith("Phase ")} == {
        s.title for s in document.sections if s.title.startswith("Phase ")
    }
    assert len([t for t in framed if t.startswith("Phase ")]) == 7
