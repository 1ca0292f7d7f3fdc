"""The planner app: screens as modes, global keys, loading in a worker, the file watcher, themes.

The app owns the :class:`~planner.workspace.workspace.Workspace` and is the only place
that changes it: ticks and undo (through the writer), reloads from the watcher and
``r``. After any change it bumps :attr:`PlannerApp.version` and tells the screen on
show to update; the other screens catch up when they are shown again.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.worker import Worker

from planner.config import DEFAULT_THEME, Loaded, load_settings, save_changes
from planner.tui.app_choices import ViewChoices
from planner.tui.app_edits import Editing
from planner.tui.app_files import FileWatching
from planner.tui.app_loading import PartialLoading
from planner.tui.app_safety import CleanExit, LoadCancelled, SafeNotifications
from planner.tui.app_views import ViewData
from planner.tui.present import SourceText, counts
from planner.workspace.workspace import Workspace
from planner.wording import plural

if TYPE_CHECKING:
    # The model (with pydantic), the views and the writer are imported by the load, after
    # the first frame: the start screen paints without them (functions import them on use).
    from planner.views.tasks import TaskRow

FILTER_DEBOUNCE = 0.12
PROGRESS_EVERY = 0.05  # seconds between progress messages from the loader


def _screen(mode: str):  # noqa: ANN202 - a factory per mode, imported when first shown
    def make() -> Screen[None]:
        import importlib  # noqa: PLC0415

        module_name, class_name = {
            "focus": ("focus", "FocusScreen"),
            "options": ("options", "OptionsScreen"),
            "queues": ("queues", "QueuesScreen"),
            "documents": ("documents", "DocumentsScreen"),
            "agenda": ("agenda", "AgendaScreen"),
        }[mode]
        try:
            module = importlib.import_module(f"planner.tui.screens.{module_name}")
        except ModuleNotFoundError as err:
            from planner.tui.screens.base import UnavailableScreen  # noqa: PLC0415

            return UnavailableScreen(mode, f"this screen needs {err.name}, which is not installed")
        return getattr(module, class_name)()

    return make


class WorkspaceLoaded(Message):
    def __init__(self, workspace: Workspace, seconds: float) -> None:
        super().__init__()
        self.workspace = workspace
        self.seconds = seconds


class LoadProgress(Message):
    def __init__(self, done: int, total: int) -> None:
        super().__init__()
        self.done = done
        self.total = total


class PlannerApp(SafeNotifications, CleanExit, ViewData, ViewChoices, FileWatching, Editing, PartialLoading, App[int]):
    TITLE = "planner"
    CSS_PATH = str(Path(__file__).parent / "app.tcss")
    ENABLE_COMMAND_PALETTE = True
    MODES: ClassVar[dict[str, object]] = {  # type: ignore[assignment]
        "focus": _screen("focus"),
        "options": _screen("options"),
        "queues": _screen("queues"),
        "documents": _screen("documents"),
        "agenda": _screen("agenda"),
    }
    DEFAULT_MODE: ClassVar[str] = "focus"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("u", "undo", "Undo", id="undo"),
        Binding("ctrl+r", "redo", "Redo", show=False, id="redo"),
        # priority: handled in the order typed, before the keys after it are sent to the list
        # (see check_action), so "/state:open" typed in one burst goes into the filter bar
        Binding("slash", "filter", "Filter", key_display="/", priority=True),
        Binding("r", "reload", "Reload"),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("q", "quit", "Quit"),
        Binding("1", "show('focus')", "Focus", show=False),
        Binding("2", "show('options')", "Options", show=False),
        Binding("3", "show('queues')", "Queues", show=False),
        Binding("4", "show('documents')", "Documents", show=False),
        Binding("5", "show('agenda')", "Agenda", show=False),
    ]

    def __init__(
        self,
        roots: Iterable[str | os.PathLike[str]] = (".",),
        *,
        config: Loaded | None = None,
        theme_folders: Iterable[Path] | None = None,
        watch: bool = True,
        start_mode: str | None = None,
    ) -> None:
        self.config = config if config is not None else load_settings()
        settings = self.config.settings
        self.roots = [str(r) for r in roots] or [os.path.expanduser(r) for r in settings.roots] or ["."]
        self.workspace: Workspace | None = None
        self.version = 0
        self.filter_query = ""
        from planner.views.filter import Filter  # noqa: PLC0415

        self._filter_cache = ("", Filter())
        self.filter_problem: str | None = None
        self.last_action: Text | None = None
        self.load_seconds: float | None = None
        self.watching = watch
        self._start_mode = start_mode
        self._sources: dict[str, SourceText] = {}
        self._rows: dict[str, tuple[str, list[TaskRow]]] = {}
        self._views: dict[tuple[str, str], tuple[str, object]] = {}
        self._each: dict[str, tuple[list[object], list[object]]] = {}
        self._relative: dict[str, str] = {}
        self._computing: dict[str, Worker[None]] = {}
        self._filter_timer: Timer | None = None
        self._loader: Worker[None] | None = None
        self.watcher: Worker[None] | None = None
        self._problems: list[str] = []
        self._loaded = asyncio.Event()
        self._quitting = False
        self._load_threads: set[int] = set()  # loader threads still running (a cancelled Worker's may be)
        if self.config.problem:
            self._problems.append(self.config.problem)
        super().__init__()
        self._register_themes(theme_folders)
        from planner.tui.editing import EditController  # noqa: PLC0415

        self.editor = EditController(self)
        if settings.keymap:
            self.set_keymap(settings.keymap)

    # -- themes and settings ------------------------------------------------------------

    def _register_themes(self, folders: Iterable[Path] | None) -> None:
        from planner.config import config_dir  # noqa: PLC0415
        from planner.tui.themes import BUNDLED_THEMES, load_themes  # noqa: PLC0415

        found = load_themes(*(folders if folders is not None else (BUNDLED_THEMES, config_dir() / "themes")))
        for theme in found.themes:
            self.register_theme(theme)
        self._problems.extend(found.problems)
        wanted = self.config.settings.theme
        if wanted in self.available_themes:
            self.theme = wanted
        else:
            fallback = DEFAULT_THEME if DEFAULT_THEME in self.available_themes else "textual-dark"
            self._problems.append(f"theme {wanted!r} (from {self.config.path}) is not available; using {fallback!r}")
            self.theme = fallback
        self._applied_theme = self.theme  # what start-up chose is not a choice to save

    def _theme_changed(self, theme: object) -> None:
        """The user picked a theme (palette): remember it in the config file."""
        name = self.theme
        settings = self.config.settings
        if name == self._applied_theme:
            return
        self._applied_theme = name
        if name == settings.theme:
            return
        if not self.config.writable:
            self.notify(
                f"theme {name!r} not saved: fix {self.config.path} first", severity="warning", timeout=6
            )
            return
        self.save_choice(theme=name)

    def save_choice(self, **changes: object) -> bool:
        """Keep a choice (theme, sort, grouping, hide done) in the config file: only those keys
        are written, the user's other settings stay as they wrote them."""
        what = ", ".join(changes)
        if not self.config.writable:
            self.config.settings = self.config.settings.replace(**changes)  # for this session
            self.notify(f"{what} not saved: fix {self.config.path} first", severity="warning", timeout=6)
            return False
        try:
            save_changes(self.config, **changes)
        except (OSError, ValueError) as err:
            self.config.settings = self.config.settings.replace(**changes)
            reason = getattr(err, "strerror", None) or str(err)
            self.notify(f"{what} not saved: {self.config.path}: {reason}", severity="error", timeout=8)
            return False
        return True

    # -- start --------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.handle_signals()
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        for problem in self._problems:
            self.notify(problem, title="settings", severity="warning", timeout=10)
        if self._start_mode and self._start_mode != self.current_mode:
            self.switch_mode(self._start_mode)
        # Load once the first frame is out: the screen paints without the model, and the load
        # (which imports it) does not compete with that paint for the GIL.
        self.call_after_refresh(self.load)

    def load(self) -> Worker[None]:
        self._loaded.clear()
        self._loader = self._load_worker()
        return self._loader

    async def wait_loaded(self) -> None:
        """For tests and benchmarks: wait until the current load has finished and is shown."""
        await self._loaded.wait()

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def _load_worker(self) -> None:
        thread = threading.get_ident()
        self._load_threads.add(thread)
        try:
            self._load()
        finally:
            self._load_threads.discard(thread)

    def _load(self) -> None:
        started = time.perf_counter()
        settings = self.config.settings
        workspace = Workspace(self.roots, include=settings.include, exclude=settings.exclude)
        last = 0.0
        self.partial_start(started)  # a first load shows what has loaded while it runs

        def progress(done: int, total: int) -> None:
            nonlocal last
            if self._quitting:
                raise LoadCancelled
            now = time.perf_counter()
            if now - last >= PROGRESS_EVERY or done == total:
                last = now
                self.post_message(LoadProgress(done, total))
            self.partial_offer(workspace, done, total, now)

        workspace.load(progress, stored="focus")  # each file's focus part beside it: no screen computes them
        self.post_message(WorkspaceLoaded(workspace, time.perf_counter() - started))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker that failed says so (never a silent 'loading…' forever)."""
        from textual.worker import WorkerState  # noqa: PLC0415

        if event.state != WorkerState.ERROR or self._quitting:
            return
        error = event.worker.error
        reason = f"{type(error).__name__}: {error}" if error is not None else "unknown error"
        if event.worker is self._loader:
            self.notify(f"loading failed ({reason}); press r to try again", severity="error", timeout=15)
            if self.workspace is None:
                self.post_message(WorkspaceLoaded(Workspace(self.roots), 0.0))  # an empty workspace
            else:
                self._loaded.set()  # keep showing what was loaded before
            self._each_screen_status(progress=None)
        elif event.worker is self.watcher:
            self.notify(f"stopped watching for changes on disk ({reason})", severity="warning", timeout=8)
        else:
            self.notify(f"{event.worker.name} failed ({reason})", severity="error", timeout=8)

    def on_load_progress(self, message: LoadProgress) -> None:
        self._each_screen_status(progress=(message.done, message.total))

    def on_workspace_loaded(self, message: WorkspaceLoaded) -> None:
        first = self.workspace is None
        workspace = message.workspace
        from_partial = self.adopt_partial(workspace)  # its history, and the files edited meanwhile
        if self.workspace is not None and not from_partial:
            workspace.history = self.workspace.history  # undo survives a reload
        self.workspace = workspace
        self.load_seconds = message.seconds
        self._sources.clear()
        if not from_partial:  # the views of the files loaded so far stay (cached per file version)
            self._rows.clear()
            self._views.clear()
            self._each.clear()
            self._relative.clear()
        self._computing.clear()
        self.version += 1
        self._each_screen_status(progress=None)
        screen = self.screen
        from planner.tui.screens.base import PlannerScreen  # noqa: PLC0415

        if isinstance(screen, PlannerScreen):
            screen.sync()
        if workspace.warnings:
            shown = workspace.warnings[:5]
            more = len(workspace.warnings) - len(shown)
            text = "\n".join(shown) + (f"\n… and {more} more" if more else "")
            self.notify(text, title="some files could not be read", severity="warning", timeout=10)
        if not workspace.documents:
            self.notify(
                f"no planning documents found in {', '.join(self.roots)}",
                severity="warning",
                timeout=10,
            )
        if not first and not from_partial:
            self.last_action = Text(f"reloaded {plural(len(workspace.documents), 'file')}")
            self._update_status()
        if self.watching and (self.watcher is None or self.watcher.is_finished):
            self.watcher = self._watch()
        self._loaded.set()

    def _each_screen_status(self, progress: tuple[int, int] | None, what: str = "loading") -> None:
        from planner.tui.widgets.chrome import StatusLine  # noqa: PLC0415

        for line in self.screen.query(StatusLine):
            if progress is None:
                line.done_loading()
            else:
                line.progress(*progress)
                done, total = progress
                if self.partial is not None and what == "loading":  # the screens show those files now
                    line.show(Text(f"{done}/{total} files loaded, more coming…"))
                else:
                    line.show(Text(f"{what} {done}/{total} files…"))

    # -- data for the screens ------------------------------------------------------------

    def relative(self, path: str) -> str:
        """``path`` as shown: relative to the folder given on the command line."""
        shown = self._relative.get(path)
        if shown is None:
            shown = self.workspace.relative(path) if self.workspace else path
            if self.workspace is not None:
                self._relative[path] = shown
        return shown

    def status_text(self, extra: Text | None = None) -> Text:
        text = Text()
        workspace = self.workspace
        if workspace is None:
            text.append("loading…", style="dim")
            return text
        done = total = 0
        for pair, in self.each_document("counts", list(workspace.documents.values()), lambda d: [counts(d.tasks)]):
            done += pair[0]
            total += pair[1]
        text.append(f"{plural(len(workspace.documents), 'file')} · {done}/{plural(total, 'task')} done")
        if self.filter_query:
            text.append("  filter ", style="dim")
            text.append(f"“{self.filter_query}”", style="bold")
            self.current_filter()
            if self.filter_problem:
                text.append(f" {self.filter_problem}", style="bold red")
        choices = self.ordering_text(getattr(self.screen, "MODE", ""))
        if choices is not None:
            text.append("  ")
            text.append_text(choices)
        if extra is not None:
            text.append(" · ")
            text.append_text(extra)
        if self.last_action is not None:
            text.append("  │  ", style="dim")
            text.append_text(self.last_action)
        return text

    def _update_status(self) -> None:
        from planner.tui.screens.base import PlannerScreen  # noqa: PLC0415

        if isinstance(self.screen, PlannerScreen):
            self.screen.update_status()

    # -- changes ------------------------------------------------------------------------

    def changed(self, paths: set[str]) -> None:
        """Documents in ``paths`` changed in the workspace: update what is on screen."""
        self.version += 1
        for path in paths:
            self._sources.pop(path, None)
        from planner.tui.screens.base import PlannerScreen  # noqa: PLC0415

        if isinstance(self.screen, PlannerScreen):
            self.screen.workspace_changed(paths)

    def action_reload(self) -> None:
        self.last_action = Text("reloading…", style="dim")
        self.load()

    def reload_paths(self, paths: set[str], reason: str) -> None:
        workspace = self.workspace
        if workspace is None or not paths:
            return
        for path in paths:
            try:
                workspace.reload(path)
            except Exception as err:  # noqa: BLE001 - one odd file never stops the others
                self.notify(f"{self.relative(path)}: cannot be read ({type(err).__name__}: {err})", severity="error")
        names = sorted(self.relative(p) for p in paths)
        shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        self.last_action = Text(f"{reason}: {shown}", style="italic")
        self.changed(paths)

    # -- global actions -----------------------------------------------------------------

    def action_show(self, mode: str) -> None:
        self.switch_mode(mode)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """``/`` opens the filter only from a planner screen's list: in a text field (the filter
        bar, an edit prompt) or on help and dialogs it is just a character or nothing."""
        if action == "filter":
            from textual.widgets import Input  # noqa: PLC0415
            from planner.tui.screens.base import PlannerScreen  # noqa: PLC0415

            if not isinstance(self.screen, PlannerScreen):
                return False
            if isinstance(self.focused, Input):
                return None  # shown, dimmed: "/" is a character here
        return True

    def action_filter(self) -> None:
        from planner.tui.screens.base import PlannerScreen  # noqa: PLC0415

        if isinstance(self.screen, PlannerScreen):
            self.screen.open_filter()

    def set_filter(self, query: str) -> None:
        if query == self.filter_query:
            return
        self.filter_query = query
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self._filter_timer = self.set_timer(FILTER_DEBOUNCE, self._apply_filter)

    def apply_pending_filter(self) -> None:
        """Run a filter still waiting for the typing pause now (enter keeps what was typed)."""
        if self._filter_timer is not None:
            self._filter_timer.stop()
            self._apply_filter()

    def _apply_filter(self) -> None:
        self._filter_timer = None
        from textual.app import ScreenStackError  # noqa: PLC0415

        from planner.tui.screens.base import PlannerScreen  # noqa: PLC0415

        try:
            screen = self.screen
        except ScreenStackError:  # the app is closing: the timer outlived the screens
            return
        if isinstance(screen, PlannerScreen):
            screen.sync()

    def action_help(self) -> None:
        from planner.tui.screens.help import HelpScreen  # noqa: PLC0415

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
        else:
            self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        from planner.tui.palette import binding_commands, screen_commands  # noqa: PLC0415
        from planner.tui.widgets.chrome import SCREENS  # noqa: PLC0415

        yield from screen_commands(self, SCREENS)
        yield from binding_commands(self, screen)  # every planner key that works here, with its key
        yield from super().get_system_commands(screen)


__all__ = ["PlannerApp"]
