"""``planner serve`` in a real headless Chromium: the page paints the Daily Focus screen, a
space on a task ticks it in the file (the bracket byte and nothing else), every request the
page made went to planner itself, and Ctrl-C then stops the server and its session cleanly.

Skipped where Chromium and chromedriver are not installed (.ci/run installs Debian's).
"""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.helpers.serve import Serve, browser_paths, chromium, close, requested_urls, wait_for_text

pytestmark = pytest.mark.skipif(browser_paths() is None, reason="chromium and chromedriver are not installed")

DAILY = """\
# Daily Backlog

## Today's Focus: ship the browser view

## Today's Tasks

- [ ] Write the serve command
- [ ] Test it in a browser
"""

# A folder name that is shell syntax: the session command must pass it as one argument.
EVIL_DIR = "it's $(touch PWNED) `touch PWNED2`; touch PWNED3"


@pytest.fixture
def daily(tmp_path: Path) -> Path:
    folder = tmp_path / EVIL_DIR
    folder.mkdir()
    path = folder / "DAILY.md"
    path.write_bytes(DAILY.encode())
    return path


def changed_bytes(before: bytes, after: bytes) -> list[tuple[int, int, int]]:
    assert len(before) == len(after), "the file changed length"
    return [(i, a, b) for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]


def test_page_shows_focus_and_a_space_ticks_the_file(daily: Path, tmp_path: Path) -> None:
    before = daily.read_bytes()
    server = Serve(str(daily.parent), "--port", "0", cwd=tmp_path)
    browser = None
    try:
        assert urlsplit(server.url).hostname == "127.0.0.1"
        browser = chromium()
        browser.get(server.url)
        wait_for_text(browser, "Daily Focus", "Write the serve command", "[ ]")
        # Keys reach xterm.js through its input textarea, which a click on the page focuses.
        browser.find_element("css selector", ".xterm-helper-textarea").send_keys(" ")
        deadline = time.monotonic() + 20
        while daily.read_bytes() == before and time.monotonic() < deadline:
            time.sleep(0.05)
        after = daily.read_bytes()
        offset = before.index(b"- [ ] Write the serve command") + 3
        assert changed_bytes(before, after) == [(offset, ord(" "), ord("x"))]
        wait_for_text(browser, "[x]")

        # Offline: the page, its script, styles and fonts and its websocket all came from planner.
        origin = urlsplit(server.url).netloc
        urls = requested_urls(browser)
        assert server.url in urls, "the browser logged no request for the page"
        urls = [u for u in urls[urls.index(server.url) :] if not u.startswith(("data:", "blob:"))]
        assert [u for u in urls if urlsplit(u).netloc != origin] == []
        assert any(u.endswith(".ttf") for u in urls), "the page's font was not loaded from planner"
        assert any(urlsplit(u).scheme == "ws" for u in urls)
    finally:
        if browser is not None:
            close(browser)
        # Ctrl-C while a session may still be live: a clean stop, no traceback.
        code, out, err = server.ctrl_c()
    assert code in (0, 130), (out, err)
    assert "Traceback" not in out + err, out + err
    assert not any(p.name.startswith("PWNED") for p in tmp_path.rglob("*")), "a path name ran as shell code"


def test_ctrl_c_with_a_page_open_stops_the_session_too(daily: Path, tmp_path: Path) -> None:
    server = Serve(str(daily.parent), "--port", "0", cwd=tmp_path)
    browser = chromium()
    try:
        browser.get(server.url)
        wait_for_text(browser, "Daily Focus", "Write the serve command")
        pid = server.process.pid
        sessions = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        assert sessions, "no session process is running"
        code, out, err = server.ctrl_c()
        assert code in (0, 130)
        assert "Traceback" not in out + err, out + err
        deadline = time.monotonic() + 10
        alive = sessions
        while alive and time.monotonic() < deadline:
            alive = [pid for pid in sessions if Path(f"/proc/{pid}").exists() and _not_zombie(pid)]
            time.sleep(0.1)
        assert alive == [], "a browser session outlived the server"
    finally:
        close(browser)
        server.stop()


def _not_zombie(pid: str) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"
    except (OSError, IndexError):
        return False


def test_every_screen_and_the_editor_key_in_the_page(docs: Path) -> None:
    server = Serve(str(docs), "--port", "0")
    browser = chromium()
    try:
        browser.get(server.url)
        wait_for_text(browser, "Daily Focus", "Start with")
        keys = browser.find_element("css selector", ".xterm-helper-textarea")
        for key, needle in (
            ("2", "Decision 1: Async Migration (NOW)  3 options"),
            ("3", "░░░░░░ 0/4    Async Migration Decision"),
            ("4", "WORK_ROADMAP.md  roadmap  █"),
        ):
            keys.send_keys(key)
            wait_for_text(browser, needle)
        # No terminal to hand to an editor here: the app says so and carries on.
        keys.send_keys("1")
        wait_for_text(browser, "Start with")
        keys.send_keys("e")
        wait_for_text(browser, "cannot hand the terminal to an editor here")
        keys.send_keys("q")
        deadline = time.monotonic() + 20
        while "-closed" not in browser.execute_script("return document.body.className"):
            assert time.monotonic() < deadline, "q did not end the session"
            time.sleep(0.05)
    finally:
        close(browser)
        code, out, err = server.ctrl_c()
    assert code in (0, 130) and "Traceback" not in out + err, out + err
