"""One browser session: the planner app under Textual's web driver.

``planner serve`` starts ``python -m planner.serve.session [--] PATH…`` for each page that
connects (textual-serve sets ``TEXTUAL_DRIVER`` to its web driver, and the app's screen
travels over the pipes). It is the same ``PlannerApp`` the terminal runs, with the same
arguments, so every screen, key and edit — and the writer behind them — is the terminal's.
It is its own entry point only because ``planner [PATH…]`` refuses to start without a
terminal on stdin and stdout, which is right there and wrong here.
"""

from __future__ import annotations

import sys

from planner.tui.launch import _start_resource_tracker, build_parser


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    from planner.config import load_settings  # noqa: PLC0415
    from planner.tui.app import PlannerApp  # noqa: PLC0415

    _start_resource_tracker()
    app = PlannerApp(args.paths, config=load_settings(), watch=not args.no_watch, start_mode=args.screen)
    from textual.drivers.web_driver import WebDriver  # noqa: PLC0415

    if app.driver_class is WebDriver:
        app.driver_class = _session_driver()
    result = app.run()
    from planner.tui.launch import end_stray_threads  # noqa: PLC0415

    code = result if isinstance(result, int) else 0
    end_stray_threads(code)  # a session never outlives its app either
    return code


def _session_driver() -> type:
    """Textual's web driver, quitting the app when its server goes away: the server writes the
    page's input to this process's stdin, so an end of stdin (the server stopped, was killed,
    crashed) ends the session, as a closed terminal ends the terminal's app. Without it a
    session would outlive its server, watching files for no one."""
    from textual.drivers.web_driver import WebDriver  # noqa: PLC0415

    class SessionDriver(WebDriver):
        def run_input_thread(self) -> None:
            try:
                super().run_input_thread()
            finally:
                if not self.exit_event.is_set():  # not the app's own exit: the input ended
                    try:
                        self._app.call_from_thread(self._app.exit)
                    except RuntimeError:
                        pass  # the app's loop is gone already

    return SessionDriver


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
