"""Headings that group work rather than being work, and placeholders that are no work.

The rules live in :mod:`planner.model.structure` (judged from a section's shape, not only its
words); this module keeps the names the views have imported from it."""

from __future__ import annotations

from planner.model.structure import group_sections, is_group_heading, is_placeholder

__all__ = ["group_sections", "is_group_heading", "is_placeholder"]
