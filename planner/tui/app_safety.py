"""What the app does for safety rather than for planning: notifications that are never
markup, and quitting — by ``q``, a signal or a crash — that leaves the terminal as it was,
at once, even in the middle of a cold load.

Mixed into :class:`planner.tui.app.PlannerApp` (before ``App``), which provides
``_load_threads`` (the loader threads still running) and checks ``_quitting`` in its
loader's progress callback (raising :class:`LoadCancelled`).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from typing import TYPE_CHECKING, Any

from planner.safe_text import screen_text
from planner.tui.present import MAX_LABEL, MAX_MESSAGE, shown

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel


class LoadCancelled(Exception):
    """Raised in the loader thread (from its progress callback) when the app quits mid-load."""


def terminate_pool() -> None:
    """Terminate the loader's pool workers (the only processes the app starts with multiprocessing)."""
    import multiprocessing  # noqa: PLC0415

    for child in multiprocessing.active_children():
        child.terminate()


class SafeNotifications:
    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,  # noqa: ARG002 - never markup, whatever the caller asks
    ) -> None:
        """Every notification (planner's, a screen's, a widget's) shows its text literally:
        messages name files and quote tasks, so ``[/]`` or ``[@click=app.quit]`` in them is
        text, never markup (which could crash the app or run an action); the text is
        terminal-safe and bounded."""
        if len(message) > MAX_MESSAGE:
            message = message[: MAX_MESSAGE - 1] + "…"
        super().notify(  # type: ignore[misc]
            screen_text(message, lines=True), title=shown(title, MAX_LABEL), severity=severity, timeout=timeout, markup=False
        )


class CleanExit:
    _quitting: bool
    _load_threads: set[int]

    def handle_signals(self) -> None:
        """SIGTERM and SIGHUP quit the app as ``q`` does, from the event loop: Textual then
        leaves the alternate screen, turns mouse tracking off and shows the cursor again
        (Python's default for them kills the process with the terminal left in raw mode)."""
        if self.is_headless:  # type: ignore[attr-defined]
            return
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGHUP):
            try:
                loop.add_signal_handler(signum, self._exit_on_signal, signum)
            except (NotImplementedError, RuntimeError, ValueError):  # no signals here (Windows, not the main thread)
                return

    def _exit_on_signal(self, signum: int) -> None:
        self.exit(return_code=128 + signum)

    def exit(self, result: Any = None, return_code: int = 0, message: Any = None) -> None:
        if self._load_threads:  # the loader stops at its next file (cancelling the pool's queued chunks)
            self._quitting = True
        super().exit(result, return_code, message)  # type: ignore[misc]

    async def run_async(self, **kwargs: Any) -> Any:
        """After the app has shut down (the terminal restored), a load still running is not
        waited for: ``q`` during a cold load of 5,000 files took seconds (asyncio waits for
        the loader thread, and the pool for its running chunks). Nothing of the user's is in
        flight then — edits are made on the event loop, which has stopped; the cache is
        SQLite, which a killed writer leaves as it was — so the pool's workers are terminated
        and the process ends at once. (Terminating them while the loader still iterates
        can hang it: CPython 3.11's pool manager raises on a future the loader cancelled.)"""
        result = await super().run_async(**kwargs)  # type: ignore[misc]
        if self._quitting and self._load_threads:
            terminate_pool()
            for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
                with contextlib.suppress(Exception):
                    stream.flush()
            os._exit(self.return_code or 0)  # type: ignore[attr-defined]
        return result
