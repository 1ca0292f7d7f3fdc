"""Shared fixtures: the sample documents, a scratch copy of them, and the shared corpus."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DOCS = ROOT / "sample_docs"
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"


@pytest.fixture(autouse=True, scope="session")
def private_cache_and_config(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests never read or write the user's real planner cache, state or config."""
    import os

    os.environ["PLANNER_CACHE_DIR"] = str(tmp_path_factory.mktemp("planner-cache"))
    os.environ["PLANNER_STATE_DIR"] = str(tmp_path_factory.mktemp("planner-state"))
    os.environ.setdefault("PLANNER_CONFIG_DIR", str(tmp_path_factory.mktemp("planner-config")))


@pytest.fixture(autouse=True)
def today_not_leaked(monkeypatch: pytest.MonkeyPatch) -> None:
    """main() sets $PLANNER_TODAY from --today (for the TUI and subprocesses), even to a bad
    value: each test starts without it and leaves none behind (a test that ran main() with
    --today changed what a later test's subprocess or argument-less main() saw)."""
    monkeypatch.setenv("PLANNER_TODAY", "")
    monkeypatch.delenv("PLANNER_TODAY")


@pytest.fixture
def sample_docs() -> Path:
    """The checked-in sample documents (read only: copy before writing)."""
    return SAMPLE_DOCS


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    """A scratch copy of sample_docs that tests may edit."""
    target = tmp_path / "docs"
    shutil.copytree(SAMPLE_DOCS, target)
    return target


def corpus_dir(name: str) -> Path:
    """``../shared/corpus/<name>``, or skip the test where CI has no shared folder."""
    path = CORPUS / name
    if not path.is_dir():
        pytest.skip(f"{path} is absent (../shared is only beside the checkout in CI)")
    return path


@pytest.fixture
def real_corpus() -> Path:
    return corpus_dir("real")


@pytest.fixture
def spec_corpus() -> Path:
    return corpus_dir("spec")
