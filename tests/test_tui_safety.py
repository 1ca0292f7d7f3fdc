"""Hostile files in the TUI (issue 13, items 9, 10, 11, 13): nothing from a file, a file name
or the config is markup, nothing reaches the terminal raw, nothing crashes, nothing stalls.

Every screen, the detail pane, the help, the palette and every notification are walked with
Textual's pilot; what would be drawn (the screen's strips, toasts included) is checked for
control characters a terminal obeys and for links, and the hostile text must show literally.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from planner.config import load_settings
from planner.tui.app import PlannerApp

SIZE = (120, 40)
OSC52 = "\x1b]52;c;cm0gLXJmIH4=\x07"
OSC0 = "\x1b]0;pwned\x07"
CLEAR = "\x1b[2J"
DCS = "\x1bP1$qm\x1b\\"
OSC8 = "\x1b]8;;file:///etc/passwd\x1b\\link\x1b]8;;\x1b\\"
C1_CSI = "\x9b31m"
RLO = "\u202e"
MARKUP = ["[/]", "[/b]", "[@click=app.quit]x", "[link=file:///etc/passwd]x", "[bold red]x"]
FORBIDDEN = {chr(c) for c in range(0x20) if c != 0x09} | {chr(c) for c in range(0x7F, 0xA0)}
FORBIDDEN |= set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
CLICKME = "[@click=app.quit]CLICKME.md"


@pytest.fixture(autouse=True)
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "config"
    monkeypatch.setenv("PLANNER_CONFIG_DIR", str(folder))
    monkeypatch.setenv("PLANNER_CACHE_DIR", str(tmp_path / "cache"))
    return folder


def hostile_docs(root: Path) -> Path:
    root.mkdir()
    markup = " ".join(MARKUP)
    (root / CLICKME).write_text(
        f"# Daily plan [/b]\n\n**Last updated:** 2026-01-05\n\n## Today's Tasks [/]\n\n"
        f"- [/] obsidian task [/]\n- [ ] P0 markup {markup}\n- [ ] P1 escapes {OSC52} {OSC0} {CLEAR} {DCS} {OSC8} {C1_CSI} {RLO} end\n"
        f"\n### Heading task {OSC0} ending [/b]\n\n## Completed\n\n- [x] done {markup}\n",
        encoding="utf-8",
    )
    (root / "notes [wip].md").write_text(
        f"# Roadmap {RLO} [bold red]x\n\n## P0: Critical [/]\n\n### Item {markup}\n\n- [ ] step {OSC52}\n- [/] partial [/b]\n"
        f"\n## Sprint options\n\n### Option A: fast [@click=app.quit]x {CLEAR}\n\n- feature [link=file:///etc/passwd]x\n"
        "\n### Option B: slow [/]\n\n- feature two [/b]\n",
        encoding="utf-8",
    )
    folder = root / f"dir{CLEAR}{RLO}[b]"  # no "/" in a name: [b] opens a style that never closes
    folder.mkdir()
    (folder / f"PLAN{C1_CSI}[bold red]x.md").write_text(f"# Plan {DCS}\n\n- [ ] in a folder {OSC8}\n", encoding="utf-8")
    (root / f"bad [i] {OSC0}.md").write_bytes(b"# bad\n\n- [ ] caf\xe9 [/]\n")  # a load warning names it
    return root


def drawn(app: PlannerApp) -> tuple[str, list[str]]:
    """The text of every line the screen would draw now, and any problem in it."""
    problems: list[str] = []
    lines: list[str] = []
    for strip in app.screen._compositor.render_strips():  # noqa: SLF001 - what the terminal gets
        for segment in strip:
            if segment.style is not None and segment.style.link:
                problems.append(f"a link: {segment.style.link!r}")
        text = strip.text
        bad = sorted({repr(c) for c in text if c in FORBIDDEN})
        if bad:
            problems.append(f"raw {', '.join(bad)} in {text!r}")
        lines.append(text)
    return "\n".join(lines), problems


async def walk(pilot, app: PlannerApp, seen: list[str], keys: list[str]) -> None:  # noqa: ANN001
    for key in keys:
        await pilot.press(key)
        await pilot.pause()
        assert app.is_running and not app._exit, f"the app quit after {key!r}"  # noqa: SLF001
        text, problems = drawn(app)
        assert not problems, problems
        seen.append(text)
        seen.extend(f"notification: {n.title}: {n.message}" for n in app._notifications)  # noqa: SLF001


async def test_every_screen_shows_hostile_text_literally_and_safely(tmp_path: Path) -> None:
    docs = hostile_docs(tmp_path / "docs")
    app = PlannerApp([str(docs)], config=load_settings(), watch=False)
    seen: list[str] = []
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await asyncio.wait_for(app.wait_loaded(), 60)
        await pilot.pause()
        for screen in ("1", "2", "3", "4"):
            await walk(pilot, app, seen, [screen])
            if screen == "3":  # open every queue item: its tasks are nodes too
                await walk(pilot, app, seen, ["g"] + ["enter", "j"] * 6)
            # Each line: the detail pane shows it; space ticks it or says why not (a toast).
            await walk(pilot, app, seen, ["g"] + ["space", "j"] * 10 + ["tab", "tab", "u", "u"])
            if screen == "2":
                await walk(pilot, app, seen, ["l", "c", "left", "c", "u"])
        await walk(pilot, app, seen, ["question_mark"])
        await walk(pilot, app, seen, ["escape", "ctrl+p"])
        await pilot.press(*"theme")
        await walk(pilot, app, seen, ["escape"])
        # The toast naming [@click=app.quit]CLICKME.md: clicking it only dismisses it.
        app.notify(f"{CLICKME}: a test message {OSC52}", title=f"title {CLICKME}")
        await pilot.pause()
        toasts = list(app.screen.query("Toast"))
        assert toasts
        for toast in toasts:
            await pilot.click(toast)
            await pilot.pause()
            assert app.is_running and not app._exit  # noqa: SLF001
        assert app.return_code in (None, 0)
    everything = "\n".join(seen)
    for literal in (CLICKME, "[bold red]x", "[link=file:///etc/passwd]x", "[/b]", "notes [wip].md", "obsidian task [/]"):
        assert literal in everything, literal
    assert "␛]52;c;" in everything and "␛]0;pwned␇" in everything  # shown, not obeyed
    messages = [line for line in seen if line.startswith("notification: ")]
    assert any("task has state '[/]'" in m for m in messages), messages  # the refusal, literally
    assert any("not valid UTF-8" in m and "bad [i] ␛]0;pwned␇.md" in m for m in messages), messages


async def test_a_theme_that_looks_like_markup_is_a_warning_not_a_crash(config_dir: Path, tmp_path: Path) -> None:
    config_dir.mkdir()
    (config_dir / "config.toml").write_text('theme = "[/]"\n', encoding="utf-8")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "plan.md").write_text("# Plan\n\n- [ ] one\n", encoding="utf-8")
    app = PlannerApp([str(docs)], config=load_settings(), watch=False)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await asyncio.wait_for(app.wait_loaded(), 60)
        await pilot.pause()
        assert app.is_running
        text, problems = drawn(app)
        assert not problems
        messages = [n.message for n in app._notifications]  # noqa: SLF001
    assert app.return_code in (None, 0)
    assert any("theme '[/]'" in m for m in messages), messages


async def test_a_2_mb_line_is_cut_everywhere_and_the_screens_stay_usable(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    long = "word " * 400_000  # 2 MB on one line
    (docs / "DAILY_PLAN.md").write_text(
        f"# Daily plan\n\n## Today's Tasks\n\n- [ ] P0 huge {long}tail\n- [ ] small\n\n## P1: queue {long}\n\n- [ ] item\n",
        encoding="utf-8",
    )
    app = PlannerApp([str(docs)], config=load_settings(), watch=False)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await asyncio.wait_for(app.wait_loaded(), 120)
        seen: list[str] = []
        for screen in ("1", "3", "4", "2"):
            await walk(pilot, app, seen, [screen, "g", "enter", "j", "j", "j", "k"])
            await pilot.pause(0.2)  # the detail pane renders where the cursor rests
            text, _ = drawn(app)
            seen.append(text)
        await walk(pilot, app, seen, ["4", "g", "j", "j"])
        await pilot.pause(0.2)
        text, _ = drawn(app)
        from planner.tui.widgets.detail import DetailPane  # noqa: PLC0415

        pane = app.screen.query_one(DetailPane)
        body = pane._request.markdown if pane._request else ""  # noqa: SLF001
        assert "more characters" in body and len(body) < 100_000
        pane.scroll_end(animate=False)
        await pilot.pause()
        text, _ = drawn(app)
        assert "more characters" in text  # shown at the end of the pane
        assert "P0 huge word word" in "\n".join(seen)
        assert app.is_running


async def test_quit_during_a_cold_load_stops_the_loader_at_once(tmp_path: Path) -> None:
    """``q`` while thousands of files load: the pool's workers are terminated and the loader
    stops at its next file (it used to finish the whole load first, ~8 s for 5,000 files)."""
    import multiprocessing  # noqa: PLC0415
    import subprocess  # noqa: PLC0415
    import sys  # noqa: PLC0415

    from textual.worker import WorkerState  # noqa: PLC0415

    docs = tmp_path / "big"
    generate = Path(__file__).resolve().parent.parent / "bench" / "generate.py"
    subprocess.run([sys.executable, str(generate), "--files", "2000", str(docs)], check=True, capture_output=True)
    from planner.tui.launch import _start_resource_tracker  # noqa: PLC0415

    _start_resource_tracker()  # as the real start does: the pool needs it before Textual runs
    app = PlannerApp([str(docs)], config=load_settings(), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        status = app.screen.query_one("StatusLine")
        for _ in range(600):  # until the load is under way (files counted, pool started)
            await pilot.pause(0.02)
            if status.has_class("-loading") and multiprocessing.active_children():
                break
        loader = app._loader  # noqa: SLF001
        assert loader is not None and not loader.is_finished, "the load finished before q"
        await pilot.press("q")
    assert loader.state != WorkerState.SUCCESS  # stopped, not waited for
    assert app.workspace is None or len(app.workspace.documents) < 2000
    for _ in range(600):  # the thread ends at its next file; the pool's running chunks finish
        if not app._load_threads:  # noqa: SLF001
            break
        await asyncio.sleep(0.05)
    assert not app._load_threads  # noqa: SLF001
    assert not multiprocessing.active_children()


STRAY_THREAD_PROBE = """
import sys, threading, time
from planner.tui.launch import end_stray_threads

stop = threading.Event()
forever = sys.argv[1] == "forever"
def spin():  # as Textual's input thread did on a closed terminal: never ending
    while forever or not stop.wait(0.05):
        time.sleep(0.01)
        if not forever:
            return
threading.Thread(target=spin, name="stray").start()
end_stray_threads(3, grace=0.3)
print("returned")
"""


@pytest.mark.parametrize("kind", ["forever", "ends"])
def test_a_thread_left_running_never_keeps_the_process_alive(kind: str) -> None:
    import subprocess  # noqa: PLC0415
    import sys  # noqa: PLC0415
    import time  # noqa: PLC0415

    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", STRAY_THREAD_PROBE, kind], capture_output=True, text=True, timeout=30, check=False)
    if kind == "forever":  # ended after its grace, with the app's exit status, the thread left behind
        assert done.returncode == 3 and "returned" not in done.stdout, done
        assert time.monotonic() - started < 15
    else:  # a thread that ends in time is waited for, and the caller goes on as usual
        assert done.returncode == 0 and "returned" in done.stdout, done
