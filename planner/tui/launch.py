"""Entry point of the TUI (replaced by the full app)."""

from __future__ import annotations


def launch(argv: list[str]) -> int:
    import sys

    sys.stderr.write("planner: the interactive planner is not built yet; try 'planner tasks'\n")
    return 2
