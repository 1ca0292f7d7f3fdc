"""``planner serve``: the planner app in a web page, through textual-serve.

textual-serve (an aiohttp server) starts one app process per page that connects and relays
its screen and keys over a websocket. What planner changes about it, and why:

- The session command is an argument list run without a shell (``create_subprocess_exec``):
  textual-serve runs a command string through ``/bin/sh``, and a path name is data, not shell
  syntax. Paths are made absolute first, so none can pass for an option.
- Sessions start in their own process group, so a Ctrl-C in the server's terminal reaches the
  server alone; it then tells each session to quit, as closing the page does.
- Access: on a loopback address only requests naming a loopback host are served (a web page
  elsewhere cannot reach the server through a DNS name it points at 127.0.0.1). With
  ``--allow-remote``, every URL — page, websocket and static files — starts with a random
  token, and anything else gets 403. Everywhere, a websocket opened by a page of another
  origin gets 403: browsers let any site open a websocket to localhost.
- Offline: the page is textual-serve's own, with its fonts served from its static folder
  rather than from a font CDN (templates/index.html); xterm.js is in its ``textual.js``.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import hmac
import ipaddress
import logging
import os
import signal
import socket
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp_jinja2
from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server

TEMPLATES = Path(__file__).parent / "templates"
STOP_TIMEOUT = 5.0  # seconds a session gets to quit before it is killed

log = logging.getLogger("planner.serve")


def is_loopback(host: str) -> bool:
    """True when every address HOST names is a loopback address (127.0.0.0/8, ::1)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError:
        return False
    return bool(infos) and all(ipaddress.ip_address(info[4][0].split("%")[0]).is_loopback for info in infos)


def session_command(paths: list[str]) -> list[str]:
    """The argument list of one browser session: this interpreter, planner's app, the paths."""
    return [sys.executable, "-m", "planner.serve.session", "--", *(os.path.abspath(p) for p in paths)]


class PlannerAppService(AppService):
    """textual-serve's app process, started from an argument list instead of a shell line."""

    def __init__(self, argv: list[str], **kwargs: Any) -> None:
        super().__init__(" ".join(argv), **kwargs)
        self.argv = argv

    async def _open_app_process(self, width: int = 80, height: int = 24) -> asyncio.subprocess.Process:
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=self._build_environment(width=width, height=height),
            start_new_session=True,  # Ctrl-C in the server's terminal is the server's to handle
        )
        self._stdin = process.stdin
        return process

    async def stop(self) -> None:
        try:
            await asyncio.wait_for(super().stop(), STOP_TIMEOUT)
        except (TimeoutError, asyncio.TimeoutError):
            if self._process is not None and self._process.returncode is None:
                self._process.kill()
                await self._process.wait()


class PlannerServer(Server):
    """textual-serve's server with planner's session command, access checks and page."""

    def __init__(self, paths: list[str], host: str, port: int, token: str | None) -> None:
        super().__init__(command="planner", host=host, port=port, title="planner", templates_path=TEMPLATES)
        self.argv = session_command(paths)
        self.token = token
        self.prefix = f"/{token}" if token else ""
        self.sockets: set[web.WebSocketResponse] = set()
        self.url = ""  # set once the socket is bound (the port may be 0: any free one)

    # -- the aiohttp application --------------------------------------------------------

    async def _make_app(self) -> web.Application:
        app = web.Application(middlewares=[self.guard])
        aiohttp_jinja2.setup(app, loader=aiohttp_jinja2.jinja2.FileSystemLoader(str(self.templates_path)))
        prefix = self.prefix
        routes = [
            web.get(f"{prefix}/", self.handle_index, name="index"),
            web.get(f"{prefix}/ws", self.handle_websocket, name="websocket"),
            web.static(f"{prefix}/static", self.statics_path, name="static"),
        ]
        if prefix:
            routes.append(web.get(prefix, self.handle_bare_token))
        app.add_routes(routes)
        app.on_shutdown.append(self.on_shutdown)
        return app

    @web.middleware
    async def guard(self, request: web.Request, handler: Any) -> web.StreamResponse:
        if not self.allowed(request):
            return web.Response(status=403, text="403: Forbidden\n")
        return await handler(request)

    def allowed(self, request: web.Request) -> bool:
        origin = request.headers.get("Origin")
        if origin is not None and urlsplit(origin).netloc.lower() != request.host.lower():
            return False  # another site's page (a websocket, a fetch) reaching for this server
        if self.token is None:
            host = urlsplit(f"//{request.host}").hostname or ""
            # The name it was started with may be one that resolves to loopback (/etc/hosts).
            return is_loopback_name(host) or host.lower() == self.host.strip("[]").lower()
        segment = request.path.split("/", 2)[1] if request.path.startswith("/") else ""
        return hmac.compare_digest(segment.encode(), self.token.encode())

    async def handle_bare_token(self, request: web.Request) -> web.StreamResponse:
        raise web.HTTPFound(f"{self.prefix}/")

    @aiohttp_jinja2.template("index.html")
    async def handle_index(self, request: web.Request) -> dict[str, Any]:
        # URLs from the Host the browser used, so the page works under any name for this machine.
        host = request.host
        try:
            font_size = max(6, min(int(request.query.get("fontsize", "16")), 64))
        except ValueError:
            font_size = 16
        return {
            "font_size": font_size,
            "app_websocket_url": f"ws://{host}{self.prefix}/ws",
            "config": {"static": {"url": f"{request.scheme}://{host}{self.prefix}/static/"}},
            "application": {"name": self.title},
        }

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        # textual-serve's handler, with planner's app service.
        websocket = web.WebSocketResponse(heartbeat=15)

        def size(name: str, default: int) -> int:
            try:
                return max(10, min(int(request.query.get(name, default)), 1000))
            except ValueError:
                return default

        service: PlannerAppService | None = None
        self.sockets.add(websocket)
        try:
            await websocket.prepare(request)
            service = PlannerAppService(
                self.argv,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=websocket.close,
                download_manager=self.download_manager,
                debug=False,
            )
            await service.start(size("width", 80), size("height", 24))
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception:  # noqa: BLE001 - one broken session must not stop the server
            log.exception("session failed")
        finally:
            self.sockets.discard(websocket)
            if service is not None:
                await service.stop()
        return websocket

    async def on_shutdown(self, app: web.Application) -> None:
        # Closing a page's socket ends its message loop, and the handler then tells its app to quit.
        for websocket in list(self.sockets):
            await websocket.close(code=1001, message=b"planner serve stopped")

    # -- running ------------------------------------------------------------------------

    def initialize_logging(self) -> None:
        logging.basicConfig(level=logging.WARNING, format="planner: %(message)s")

    def serve(self, debug: bool = False) -> None:  # noqa: ARG002 - the base class's signature
        raise SystemExit(self.run())

    def run(self, ready: Any = None) -> int:
        """Serve until Ctrl-C or SIGTERM. 0 after a clean stop, 1 if the port cannot be had."""
        self.initialize_logging()
        return asyncio.run(self._run(ready))

    async def _run(self, ready: Any) -> int:
        runner = web.AppRunner(await self._make_app(), access_log=None, handle_signals=False, shutdown_timeout=10)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        try:
            await site.start()
        except OSError as err:
            await runner.cleanup()
            if err.errno == errno.EADDRINUSE:
                reason = "the port is in use (another 'planner serve'? try --port N)"
            else:
                reason = err.strerror or str(err)
            sys.stderr.write(f"planner: cannot serve on {self.host} port {self.port}: {reason}\n")
            return 1
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(signum, stop.set)
        self.url = self.page_url(runner)
        if ready is not None:
            ready(self.url)
        try:
            await stop.wait()
        finally:
            await runner.cleanup()
        return 0

    def page_url(self, runner: web.AppRunner) -> str:
        address = runner.addresses[0]
        port = address[1]
        host = self.host
        with contextlib.suppress(ValueError):
            if ipaddress.ip_address(host.strip("[]")).is_unspecified:
                host = socket.gethostname()  # 0.0.0.0 or ::: every interface; the name is what others type
            elif ipaddress.ip_address(host.strip("[]")).version == 6:
                host = f"[{host.strip('[]')}]"
        return f"http://{host}:{port}{self.prefix}/"


def is_loopback_name(host: str) -> bool:
    """A Host header naming this machine's loopback: localhost, 127.x.y.z or ::1 (no DNS)."""
    host = host.lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
