"""The layers stay apart: nothing below the UI imports Textual (or rich), checked in a
fresh interpreter so no other test's imports can hide a leak."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

PLANNER = Path(__file__).resolve().parent.parent / "planner"
BELOW_THE_UI = ["model", "views", "writer", "workspace"]


def modules_below_the_ui() -> list[str]:
    names = []
    for layer in BELOW_THE_UI:
        for path in sorted((PLANNER / layer).glob("*.py")):
            stem = path.stem
            names.append(f"planner.{layer}" if stem == "__init__" else f"planner.{layer}.{stem}")
    return names


def test_core_layers_import_without_textual_or_rich() -> None:
    modules = modules_below_the_ui()
    assert len(modules) > 15
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "leaks = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print(','.join(leaks))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"imported below the UI: {result.stdout.strip()}"


def test_no_module_below_the_ui_mentions_textual() -> None:
    for layer in BELOW_THE_UI:
        for path in (PLANNER / layer).glob("*.py"):
            text = path.read_text(encoding="utf-8")
            assert "import textual" not in text and "from textual" not in text, path


def test_views_never_write() -> None:
    """Views are pure functions of the model: no view module reaches the writer or the workspace."""
    for path in (PLANNER / "views").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        # imports, wherever they are (a function may import lazily); a docstring may name them
        assert not re.search(r"(?m)^\s*(?:from|import)\s+planner\.(?:writer|workspace)\b", text), path
        assert "importlib" not in text and "__import__" not in text, path
