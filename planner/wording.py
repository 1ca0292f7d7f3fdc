"""Small wording helpers shared by the CLI and the TUI (imports nothing, so the first frame stays cheap)."""

from __future__ import annotations


def plural(count: int, noun: str) -> str:
    """``1 task``, ``2 tasks``: a count with its noun."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
