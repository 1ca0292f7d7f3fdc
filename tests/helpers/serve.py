"""Start a real ``planner serve`` and a real headless Chromium (Debian's, never a download)."""

from __future__ import annotations

import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Any request not to this machine goes to a proxy that is not there: the page must not need one.
    # (Chromium never sends loopback requests through a proxy.)
    "--proxy-server=http://127.0.0.1:9",
    "--window-size=1280,800",
)

# xterm.js paints on a canvas (WebGL, else 2D); with no canvas context it falls back to its DOM
# renderer, whose rows a test can read. The app and its bytes are the same either way.
DOM_RENDERER = "HTMLCanvasElement.prototype.getContext = function () { return null; };"


def browser_paths() -> tuple[str, str] | None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if chromium is None or driver is None:
        return None
    return chromium, driver


class Serve:
    """``planner serve ARGS --port 0`` in its own process group, as a terminal would run it."""

    def __init__(self, *args: str, cwd: Path | None = None) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "planner", "serve", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            cwd=cwd,
            start_new_session=True,
        )
        self.started = time.monotonic()
        assert self.process.stdout is not None
        ready, _, _ = select.select([self.process.stdout], [], [], 60)
        line = self.process.stdout.readline() if ready else ""
        match = re.search(r"http://\S+", line)
        if match is None:
            out, err = self.stop()
            raise AssertionError(f"planner serve printed no URL: {line!r} {out!r} {err!r}")
        self.url = match.group(0)
        self.first_line = line

    @property
    def port(self) -> int:
        return int(re.search(r":(\d+)/", self.url).group(1))  # type: ignore[union-attr]

    def ctrl_c(self, timeout: float = 20) -> tuple[int, str, str]:
        """SIGINT to the whole process group, as Ctrl-C in a terminal sends it."""
        os.killpg(self.process.pid, signal.SIGINT)
        out, err = self.process.communicate(timeout=timeout)
        return self.process.returncode, out, err

    def stop(self) -> tuple[str, str]:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.communicate()


def chromium(dom_renderer: bool = True):  # noqa: ANN201 - selenium's WebDriver, imported lazily
    from selenium import webdriver  # noqa: PLC0415
    from selenium.webdriver.chrome.service import Service  # noqa: PLC0415

    paths = browser_paths()
    assert paths is not None
    binary, driver = paths
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    profile = tempfile.mkdtemp(prefix="planner-chromium-")
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    # An explicit driver path: selenium then never looks for (or downloads) one of its own.
    browser = webdriver.Chrome(service=Service(executable_path=driver), options=options)
    browser.profile_dir = profile  # type: ignore[attr-defined]
    if dom_renderer:
        browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": DOM_RENDERER})
    return browser


def close(browser) -> None:  # noqa: ANN001
    try:
        browser.quit()
    finally:
        shutil.rmtree(browser.profile_dir, ignore_errors=True)


def screen_text(browser) -> str:  # noqa: ANN001
    return browser.execute_script("const r = document.querySelector('.xterm-rows'); return r ? r.innerText : '';") or ""


def wait_for_text(browser, *needles: str, timeout: float = 30) -> str:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    text = ""
    while time.monotonic() < deadline:
        text = screen_text(browser)
        if all(n in text for n in needles):
            return text
        time.sleep(0.05)
    raise AssertionError(f"no {needles!r} on the page after {timeout}s; it shows:\n{text}")


def requested_urls(browser) -> list[str]:  # noqa: ANN001
    """Every URL the page asked for (documents, scripts, styles, fonts, images, websockets)."""
    import json  # noqa: PLC0415

    urls = []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
        elif message["method"] == "Network.webSocketCreated":
            urls.append(message["params"]["url"])
    return urls
