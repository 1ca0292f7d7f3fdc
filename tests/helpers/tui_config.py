"""A pilot test's own config folder (never the user's), and no $VISUAL: import ``config_dir``
into a test module to use it there (an autouse fixture)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "config"
    monkeypatch.setenv("PLANNER_CONFIG_DIR", str(folder))
    monkeypatch.delenv("VISUAL", raising=False)
    return folder
