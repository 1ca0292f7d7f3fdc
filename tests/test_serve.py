"""``planner serve`` without a browser: who may connect, the busy port, Ctrl-C, the session
command, and that nothing else pays for the server's imports."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp
import pytest

from planner.serve.server import is_loopback, session_command
from tests.helpers.serve import Serve


def status(url: str, headers: dict[str, str] | None = None) -> int:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - our own server on 127.0.0.1
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as err:
        return err.code


def websocket_status(url: str, headers: dict[str, str] | None = None) -> int:
    """101 if the websocket opened, else the HTTP status it was refused with."""

    async def connect() -> int:
        async with aiohttp.ClientSession() as session:
            try:
                async with session.ws_connect(url, headers=headers or {}) as ws:
                    await ws.close()
                    return 101
            except aiohttp.WSServerHandshakeError as err:
                return err.status

    return asyncio.run(connect())


def local(url: str) -> str:
    """The same URL on 127.0.0.1: tests only ever connect to this machine's loopback."""
    parts = urlsplit(url)
    return parts._replace(netloc=f"127.0.0.1:{parts.port}").geturl()


def test_remote_access_needs_the_token_for_page_websocket_and_static_files(docs: Path) -> None:
    server = Serve(str(docs), "--host", "0.0.0.0", "--allow-remote", "--port", "0")  # noqa: S104
    try:
        url = local(server.url)
        token = urlsplit(url).path.strip("/")
        assert len(token) >= 20
        root = f"http://127.0.0.1:{server.port}"
        assert status(url) == 200
        assert status(f"{url}static/js/textual.js") == 200
        for path in ("/", "/ws", "/static/js/textual.js", "/static/css/xterm.css", f"/{token[:-1]}/", "/x/../"):
            assert status(root + path) == 403, path
        assert status(f"{root}/{token}x/static/js/textual.js") == 403
        assert websocket_status(f"ws://127.0.0.1:{server.port}/ws") == 403
        assert websocket_status(f"ws://127.0.0.1:{server.port}/{token}/ws", {"Origin": root}) == 101
        assert websocket_status(f"ws://127.0.0.1:{server.port}/{token}/ws", {"Origin": "http://evil.example"}) == 403
    finally:
        out, err = server.stop()
    assert "warning" in err and "0.0.0.0" in err


def test_loopback_refuses_other_host_names_and_cross_site_websockets(docs: Path) -> None:
    server = Serve(str(docs), "--port", "0")
    try:
        assert server.url == f"http://127.0.0.1:{server.port}/"
        assert status(server.url) == 200
        assert status(server.url, {"Host": f"localhost:{server.port}"}) == 200
        # A DNS name pointed at 127.0.0.1 (rebinding) is not this machine's name for itself.
        assert status(server.url, {"Host": f"evil.example:{server.port}"}) == 403
        ws = f"ws://127.0.0.1:{server.port}/ws"
        assert websocket_status(ws, {"Origin": "http://evil.example"}) == 403
        assert websocket_status(ws, {"Origin": f"http://127.0.0.1:{server.port}"}) == 101
    finally:
        server.stop()


@pytest.mark.parametrize("host", ["localhost", socket.gethostname()])
def test_a_loopback_name_serves_its_own_url(host: str, docs: Path) -> None:
    if not is_loopback(host):
        pytest.skip(f"{host} is not a loopback name here")
    server = Serve(str(docs), "--host", host, "--port", "0")
    try:
        assert urlsplit(server.url).hostname == host
        assert status(local(server.url), {"Host": urlsplit(server.url).netloc}) == 200
    finally:
        server.stop()


def test_a_remote_host_needs_allow_remote(docs: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "planner", "serve", str(docs), "--host", "0.0.0.0"],  # noqa: S104
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "--allow-remote" in result.stderr
    assert result.stdout == ""


def test_a_busy_port_is_one_line_and_non_zero(docs: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "planner", "serve", str(docs), "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1, result.stderr
    assert "in use" in result.stderr and str(port) in result.stderr
    assert result.stdout == ""


def test_second_serve_on_the_same_port(docs: Path) -> None:
    first = Serve(str(docs), "--port", "0")
    try:
        second = subprocess.run(
            [sys.executable, "-m", "planner", "serve", str(docs), "--port", str(first.port)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert second.returncode == 1
        assert second.stderr.strip().count("\n") == 0 and "in use" in second.stderr
        assert status(first.url) == 200  # the first one is unharmed
    finally:
        code, out, err = first.ctrl_c()
    assert code in (0, 130)
    assert "Traceback" not in out + err


def test_missing_path_and_bad_port(tmp_path: Path) -> None:
    run = [sys.executable, "-m", "planner", "serve"]
    missing = subprocess.run([*run, str(tmp_path / "nope")], capture_output=True, text=True, timeout=60, check=False)
    assert missing.returncode == 2 and "no such file or folder" in missing.stderr
    bad = subprocess.run([*run, "--port", "70000"], capture_output=True, text=True, timeout=60, check=False)
    assert bad.returncode == 2 and "--port" in bad.stderr


@pytest.mark.parametrize("name", ["a b", "$(touch x)", "`id`", "x; rm -rf y", "it's", "-h", "--screen=queues", "\n"])
def test_session_command_keeps_each_path_one_absolute_argument(name: str, tmp_path: Path) -> None:
    path = str(tmp_path / name) if name.strip() else name
    command = session_command([path])
    assert command[:4] == [sys.executable, "-m", "planner.serve.session", "--"]
    assert len(command) == 5
    assert Path(command[4]).is_absolute()


def test_loopback_detection() -> None:
    for host in ("127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost", "LOCALHOST"):
        assert is_loopback(host), host
    for host in ("0.0.0.0", "::", "192.168.1.10", "10.0.0.1"):  # noqa: S104
        assert not is_loopback(host), host


def test_the_app_and_other_commands_do_not_import_the_server() -> None:
    script = (
        "import sys\n"
        "import planner.cli.main as m\n"
        "m.build_parser()\n"
        "import planner.tui.launch, planner.tui.app\n"
        "print(','.join(sorted(n for n in ('aiohttp', 'textual_serve', 'jinja2') if n in sys.modules)))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_a_session_ends_when_its_server_goes_away(tmp_path: Path) -> None:
    """The server writes a page's input to its session's stdin: when that ends (the server
    stopped, was killed, crashed), the session quits instead of watching files for no one."""
    import os
    import threading
    import time

    (tmp_path / "TODO.md").write_text("# TODO\n- [ ] a\n")
    env = dict(os.environ, TEXTUAL_DRIVER="textual.drivers.web_driver:WebDriver", COLUMNS="80", ROWS="24",
               PLANNER_CACHE_DIR=str(tmp_path / "cache"))  # fmt: skip
    session = subprocess.Popen(
        [sys.executable, "-m", "planner.serve.session", "--", str(tmp_path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
    )  # fmt: skip
    assert session.stdin is not None and session.stdout is not None
    output = session.stdout
    threading.Thread(target=lambda: output.read(), daemon=True).start()  # a page that keeps reading
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and session.poll() is None and not (tmp_path / "cache").exists():
            time.sleep(0.1)  # started: its load made the cache
        assert session.poll() is None
        session.stdin.close()
        session.wait(timeout=20)
    finally:
        if session.poll() is None:
            session.kill()
            session.wait()
            pytest.fail("the session kept running after its stdin closed")
