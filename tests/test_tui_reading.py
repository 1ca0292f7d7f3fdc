"""Reading the screens at any size (issue 16, "Reading"): the detail pane shows every character
of what it wraps, wide characters keep the layout, and rows that look alike can be told apart.

Driven with Textual's pilot on a scratch copy of sample_docs (fixture ``docs``); what is
checked is what the terminal would show: the widgets' rendered lines at their real size.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest
from textual.geometry import Region

from planner.config import load_settings
from planner.tui.app import PlannerApp
from planner.tui.widgets.detail import DetailPane


@pytest.fixture(autouse=True)
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "config"
    monkeypatch.setenv("PLANNER_CONFIG_DIR", str(folder))
    return folder


def make_app(docs: Path, mode: str) -> PlannerApp:
    return PlannerApp([str(docs)], config=load_settings(), start_mode=mode, watch=False)


async def settle(pilot, app: PlannerApp) -> None:  # noqa: ANN001
    await asyncio.wait_for(app.wait_loaded(), 60)
    await pilot.pause()
    await pilot.pause(0.2)  # the detail pane renders where the cursor rests
    await pilot.pause()


def shown_lines(widget) -> list[str]:  # noqa: ANN001
    """The lines ``widget`` draws at its real size (what reaches the terminal)."""
    width, height = widget.size
    strips = widget.render_lines(Region(0, 0, width, height))
    return [strip.text for strip in strips]


def words(text: str) -> list[str]:
    return re.findall(r"\S+", text)


def detail_words(app: PlannerApp) -> str:
    body = app.screen.query_one(DetailPane).query_one("#detail-body")
    return " ".join(" ".join(words(line)) for line in shown_lines(body))


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (120, 40), (200, 50)])
async def test_detail_pane_shows_every_word_when_its_scrollbar_appears(docs: Path, size: tuple[int, int]) -> None:
    # The first P0 item's section is longer than the pane at these sizes: the scrollbar
    # appears, and every word of its lines must still be drawn, none cut at a wrap.
    app = make_app(docs, "queues")
    async with app.run_test(size=size) as pilot:
        await settle(pilot, app)
        pane = app.screen.query_one(DetailPane)
        shown = detail_words(app)
        for line in (
            "Async Migration Decision & Execution",
            "Timeline: 3-4 days (Option A) or 1 day (Option B)",
            "Blocker: Yes - blocks other async-related work",
        ):
            assert " ".join(words(line)) in shown, (line, shown)
        if size[1] <= 30:
            assert pane.show_vertical_scrollbar  # the case of the issue: the scrollbar is there


async def test_detail_pane_breaks_a_long_path_after_a_slash(docs: Path) -> None:
    # At 80×24 `kato/workers/memory_manager.py` is wider than the pane: it breaks after a
    # `/`, and the file name stays whole (it was cut as `memory_manage` | `r.py`).
    app = make_app(docs, "focus")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        body = app.screen.query_one(DetailPane).query_one("#detail-body")
        lines = [line.rstrip() for line in shown_lines(body)]
        assert any(line.endswith("kato/workers/") for line in lines), lines
        assert any(line.lstrip().startswith("memory_manager.py") for line in lines), lines


def test_fold_word_breaks_after_slashes_and_cuts_only_what_must_be_cut() -> None:
    from planner.tui.widgets.detail import fold_word

    assert fold_word("kato/workers/memory_manager.py", 28) == ["kato/workers/", "memory_manager.py"]
    assert fold_word("a/" + "x" * 30, 10) == ["a/", "x" * 10, "x" * 10, "x" * 10]
    assert "".join(fold_word("docs//very/long/name-of-a-file.md", 12)) == "docs//very/long/name-of-a-file.md"
    assert all(len(line) <= 12 for line in fold_word("docs//very/long/name-of-a-file.md", 12))


def codepoint_cells(text: str) -> int:
    """Cells as a terminal that knows no emoji sequences draws ``text`` (tmux 3.3, xterm): one
    per character, two for East Asian wide ones, none for combining marks and selectors."""
    import unicodedata  # noqa: PLC0415

    cells = 0
    for char in text:
        if unicodedata.category(char) in ("Mn", "Me", "Cf") or "\ufe00" <= char <= "\ufe0f":
            continue
        cells += 2 if unicodedata.east_asian_width(char) in "WF" else 1
    return cells


EMOJI_TASKS = """# Sprint board

## Today ⭐

- [ ] ⚠️ Fix the login crash before release
- [ ] ⭐️ Star the important review of the parser
- [ ] ❤️ ✔️ 1️⃣ and a plain ⚠ sign
- [x] ✅ Done task with a check mark emoji
"""


@pytest.mark.parametrize("mode", ["documents", "focus"])
async def test_rows_with_emoji_selectors_are_as_wide_on_every_terminal(tmp_path: Path, mode: str) -> None:
    # ⚠️ is ⚠ (1 cell) + U+FE0F: Rich counts 2 cells, tmux 3.3 draws 1, kitty draws 2. Each
    # drawn line must take the widget's width whichever way the terminal counts, so that
    # the `▏` separator and the detail pane stay in their column.
    folder = tmp_path / "emoji"
    folder.mkdir()
    (folder / "TODO.md").write_text(EMOJI_TASKS, encoding="utf-8")
    app = make_app(folder, mode)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        main = app.screen.main_widget()
        lines = shown_lines(main)
        assert any("Fix the login" in line for line in lines), lines
        for line in lines:
            assert codepoint_cells(line) == main.size.width, (line, codepoint_cells(line), main.size.width)


def test_steady_width_keeps_length_and_makes_selector_widths_agree() -> None:
    from rich.cells import cell_len  # noqa: PLC0415

    from planner.safe_text import screen_text, steady_width  # noqa: PLC0415

    for text in ("⚠️ warn", "❤️", "✔️ ok", "1️⃣", "⭐️ star", "✅ done", "plain", "a\ufe0f", "\ufe0f"):
        steady = steady_width(text)
        assert len(steady) == len(text)
        assert cell_len(steady) == codepoint_cells(steady), (text, steady)
    assert steady_width("⚠️ warn") == "⚠  warn"
    assert steady_width("⭐️ star") == "⭐️ star"  # wide already: 2 cells everywhere
    assert screen_text("\x1b[2J⚠️") == "␛[2J⚠ "


# -- titles as a person reads them --------------------------------------------------------------

TITLES = """# Daily Plan — 2026-12-03

## Today

- [ ] #task Review the **TASK-001: parser** change
- [ ] **TASK-002: Set up CI** for `planner .` runs

### Phase 3 - ALL COMPLETE ✅

- [x] Ship it

## Next step

Start with the parser's header handling.
"""


def test_titles_keep_tags_and_phrases_and_lose_inline_markup() -> None:
    from planner.model.display import plain_inline, without_marker  # noqa: PLC0415
    from planner.views.meta import display_heading, headline_text  # noqa: PLC0415

    assert plain_inline("**TASK-001: Set up CI**") == "TASK-001: Set up CI"
    assert plain_inline("`planner .` reads [the guide](docs/guide.md) _first_") == "planner . reads the guide first"
    assert plain_inline("2*3*4 is snake_case a * b") == "2*3*4 is snake_case a * b"
    assert headline_text("#task Review the change") == "#task Review the change"
    assert headline_text("🚀 Ship it 🚀") == "Ship it"
    assert display_heading("Phase 3 - ALL COMPLETE ✅", "COMPLETE ✅") == "Phase 3 - ALL COMPLETE"
    assert display_heading("Phase 1: Setup ✅ COMPLETE", "✅ COMPLETE") == "Phase 1: Setup"
    assert without_marker("Sprint 2 DONE ✅", "DONE ✅").strip() == "Sprint 2"


async def test_documents_and_focus_show_titles_as_they_read(tmp_path: Path) -> None:
    folder = tmp_path / "titles"
    folder.mkdir()
    (folder / "DAILY_PLAN.md").write_text(TITLES, encoding="utf-8")
    app = make_app(folder, "documents")
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        tree = "\n".join(shown_lines(app.screen.main_widget()))
        assert "#task Review the TASK-001: parser change" in tree
        assert "TASK-002: Set up CI for planner . runs" in tree
        assert "**" not in tree and "`" not in tree
        assert "Phase 3 - ALL COMPLETE" in tree
        await pilot.press("1")
        await pilot.pause(0.2)
        headline = app.screen.query_one("#focus-next")
        text = " ".join(shown_lines(headline))
        assert "Start with the parser's header handling." in text
        assert "Start with Start with" not in text
        table = "\n".join(shown_lines(app.screen.main_widget()))
        assert "#task Review" in table


# -- rows that look alike, and room for titles ----------------------------------------------------


async def test_priority_queues_first_visit_shows_the_p0_header(docs: Path) -> None:
    # As a person gets there: Daily Focus first, then `3`.
    app = make_app(docs, "focus")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("3")
        await pilot.pause(0.2)
        await pilot.pause()
        lines = shown_lines(app.screen.main_widget())
        assert lines[0].startswith("▼ P0"), lines[:3]
        assert "Async Migration" in lines[1]  # the cursor's row, right below it


async def test_queue_rows_of_a_file_and_its_dated_copy_are_told_apart(docs: Path) -> None:
    # The same item is in kato/SPRINT_BACKLOG.md and kato/SPRINT_BACKLOG-2025-10-06.md: its
    # long row was cut before the file name (`kato/SP`) even at 200 columns.
    app = make_app(docs, "queues")
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot, app)
        tree = app.screen.main_widget()
        lines = [line.rstrip() for line in shown_lines(tree) if "API Endpoint Deprecation" in line]
        assert len(lines) == 2, lines
        assert any(line.endswith("kato/SPRINT_BACKLOG.md:119") for line in lines), lines
        assert any(line.endswith("kato/SPRINT_BACKLOG-2025-10-06.md:12") for line in lines), lines
        for line in shown_lines(tree):
            assert codepoint_cells(line) == tree.size.width


def test_fit_label_keeps_the_file_name_and_cuts_the_rest() -> None:
    from planner.tui.present import WHERE, fast_text, fit_label  # noqa: PLC0415

    def row(where: str):  # noqa: ANN202
        return fast_text(("[x] ", "bold"), ("API Endpoint Deprecation - Session-Based Migration", "bold"), ("  7h · All Phases Complete", "dim"), (f"  {where}", WHERE))

    assert fit_label(row("kato/SPRINT_BACKLOG.md:119"), 200).plain.endswith("Complete  kato/SPRINT_BACKLOG.md:119")
    for width in (100, 80, 64):
        dated, plain = fit_label(row("kato/SPRINT_BACKLOG-2025-10-06.md:12"), width), fit_label(row("kato/SPRINT_BACKLOG.md:119"), width)
        assert dated.cell_len == plain.cell_len == width
        assert dated.plain.endswith(".md:12") and plain.plain.endswith("BACKLOG.md:119")
        assert dated.plain[-20:] != plain.plain[-20:]
    assert fit_label(row("docs/archive/plans/WORK_ROADMAP.md:7"), 80).plain.endswith("  docs/…/WORK_ROADMAP.md:7")
    narrow = fit_label(row("kato/SPRINT_BACKLOG.md:119"), 40)  # a narrow list: the title first
    assert narrow.plain.startswith("[x] API Endpoint Deprecation") and narrow.cell_len == 40


async def test_daily_focus_titles_have_room_at_80_columns(docs: Path) -> None:
    app = make_app(docs, "focus")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        table = app.screen.main_widget()
        assert table.columns["title"].width >= 26  # was 16, titles cut to 15 characters and "…"
        assert any("Task 1.1: Make MemoryManag" in line for line in shown_lines(table))


async def test_a_real_repository_at_80_columns_shows_tasks_and_whole_file_names(tmp_path: Path) -> None:
    import shutil  # noqa: PLC0415

    from conftest import corpus_dir  # noqa: PLC0415

    folder = tmp_path / "kato"
    shutil.copytree(corpus_dir("real") / "sevakavakians__kato", folder)
    app = make_app(folder, "focus")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        # a two-line headline, a two-line next step and nine blocked items above and below it:
        # the table kept only its header row; it keeps five rows
        rows = [line for line in shown_lines(app.screen.main_widget()) if "Task 1.11." in line]
        assert len(rows) >= 5, rows
        await pilot.press("4")
        await pilot.pause(0.2)
        files = [line.rstrip() for line in shown_lines(app.screen.main_widget()) if line.startswith("▶ ")]
        long = [line for line in files if "IMPLEMENTATION_GUIDE" in line]
        assert long and long[0].endswith("_IMPLEMENTATION_GUIDE.md") and "…" in long[0], files  # its end kept


def test_a_box_with_a_wide_or_control_mark_is_drawn_three_cells_wide_by_its_type() -> None:
    """``[✅]`` and ``[🚧]`` are two cells wide inside the box, and a control character must never
    reach the terminal: such a box is drawn as the type it stands for, so rows stay in line."""
    from rich.cells import cell_len

    from planner.tui.present import box_part

    drawn = {state: box_part(state)[0] for state in ("✅", "🚧", "❌", "\x1b", "✔", "/")}
    assert drawn == {"✅": "[x]", "🚧": "[/]", "❌": "[-]", "\x1b": "[?]", "✔": "[✔]", "/": "[/]"}
    assert all(cell_len(text) == 3 for text in drawn.values())
