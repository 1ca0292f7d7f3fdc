"""The key bar at 80 columns: a key that does not fit is left out whole, never cut mid-word."""

from __future__ import annotations

import asyncio
from pathlib import Path

from planner.config import load_settings
from planner.tui.app import PlannerApp
from planner.tui.widgets.keybar import KeyBar
from helpers.tui_config import config_dir  # noqa: F401 - autouse: a config folder of its own


async def test_key_bar_at_80_columns_shows_whole_keys_only(docs: Path) -> None:
    app = PlannerApp([str(docs)], config=load_settings(), watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await asyncio.wait_for(app.wait_loaded(), 60)
        await pilot.pause()
        for key in ("1", "2", "3", "4", "5"):
            await pilot.press(key)
            await pilot.pause()
            bar = app.screen.query_one(KeyBar)
            text = bar.render().plain
            assert len(text) == 80 and text.endswith("▏^p palette ")
            left = text[: text.index("▏")]
            shown = [left[start:end] for start, end, hint in bar._spans if hint.display != "^p"]
            assert "".join(shown) == left.rstrip() + " " * (len("".join(shown)) - len(left.rstrip()))
            for start, end, hint in bar._spans:
                assert text[start:end].strip().endswith(hint.description), (key, text[start:end])
            assert left.rstrip().endswith(tuple(f" {h.description}" for _, _, h in bar._spans)), (key, text)
