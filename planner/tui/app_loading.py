"""A long first load shows what has loaded so far: the screens are usable while it runs.

While the loader thread reads the files, it hands the app a snapshot of the documents
loaded so far — after :data:`FIRST_PARTIAL` seconds, then every :data:`PARTIAL_EVERY`
seconds, and never while the app is still showing the previous one — as a workspace of its
own. The screens draw it like any workspace (the status line says "loading 340/1000 files…");
ticks and edits go through it, written to the files as always, with their undo history.

When the full load arrives, it takes the history over, and every file edited meanwhile is
read again from disk (the loader may have read it before the edit): what the screens show
after the load is what the files hold. Only a first load shows partial results; a reload
(``r``) keeps the complete workspace on screen until the new one is ready.
"""

from __future__ import annotations

from typing import Any

from textual.message import Message

from planner.workspace.workspace import Workspace

FIRST_PARTIAL = 0.4  # seconds of loading before the first partial workspace is shown
PARTIAL_EVERY = 4.0  # seconds between two partial workspaces after that
# Seconds: a load expected to end sooner than this shows no partial workspace. Drawing the
# first one holds the GIL for a few tenths of a second (the views' imports, the screen), and
# the loader thread waits meanwhile: only a load with clearly longer to go gains from one.
SOON = 1.0


class WorkspacePartial(Message):
    def __init__(self, workspace: Workspace, done: int, total: int) -> None:
        super().__init__()
        self.workspace = workspace
        self.done = done
        self.total = total


class PartialLoading:
    """Mixed into the app: it has ``workspace``, ``version`` and the screens' status lines."""

    workspace: Workspace | None
    version: int
    partial: Workspace | None = None  # the partial workspace on screen, while the first load runs
    _partial_pending = False  # a snapshot is on its way to the event loop
    _partial_next = 0.0
    _partial_started = 0.0
    _pace_from: tuple[float, int] | None = None  # (when, files done) at the first file loaded
    _partial_allowed = False  # only the first load (nothing complete on screen yet) shows partials

    def partial_start(self, started: float) -> None:
        """Called by the loader thread before it starts."""
        self._partial_allowed = self.workspace is None or self.partial is not None
        self._partial_started = started
        self._partial_next = started + FIRST_PARTIAL
        self._partial_pending = False
        self._pace_from = None

    def partial_offer(self, loading: Workspace, done: int, total: int, now: float) -> None:
        """Called by the loader thread (as its progress callback runs): post a snapshot when due,
        unless the load at its pace so far is about to finish (a warm one): the screen would
        draw the same files twice, and the full load would wait for the first drawing."""
        if self._pace_from is None:
            # The pace is measured from the first file on: the time before it (importing the
            # model, opening the cache) is paid once, and counted per file it made a warm load
            # look several times slower than it is.
            self._pace_from = (now, done)
        if not self._partial_allowed or self._partial_pending or now < self._partial_next or done >= total:
            return
        since, done_then = self._pace_from
        if done > done_then and (now - since) * (total - done) / (done - done_then) < SOON:
            return  # asked again at the next file: a load that slows down still shows one
        if len(loading.documents) == (len(self.partial.documents) if self.partial is not None else 0):
            return  # nothing new to show
        snapshot = Workspace(loading.roots, base=loading.base, include=loading.include, exclude=loading.exclude)
        snapshot.config = loading.config
        snapshot.documents = dict(loading.documents)  # this thread is the only one adding to it
        snapshot.stored = dict(loading.stored)
        self._partial_pending = True
        self._partial_next = now + PARTIAL_EVERY
        self.post_message(WorkspacePartial(snapshot, done, total))  # type: ignore[attr-defined]

    def on_workspace_partial(self, message: WorkspacePartial) -> None:
        self._partial_pending = False
        if not self._partial_allowed or (self.workspace is not None and self.partial is None):
            return  # the full load got here first
        workspace = message.workspace
        if self.partial is not None:
            carry_over(self.partial, workspace)
        self.partial = self.workspace = workspace
        self.version += 1
        from planner.tui.screens.base import PlannerScreen  # noqa: PLC0415

        screen = self.screen  # type: ignore[attr-defined]
        if isinstance(screen, PlannerScreen):
            screen.sync()
        self._each_screen_status(progress=(message.done, message.total))  # type: ignore[attr-defined]

    def adopt_partial(self, loaded: Workspace) -> bool:
        """The full load is here: carry over what happened in the partial one. True when one was shown."""
        partial, self.partial = self.partial, None
        self._partial_allowed = False
        if partial is None:
            return False
        carry_over(partial, loaded)
        return True


def carry_over(old: Workspace, new: Workspace) -> None:
    """``new`` takes ``old``'s undo history, and reads again each file ``old`` changed."""
    new.history = old.history
    new.redo_stack = old.redo_stack
    edited = {edit.path for edit in old.history} | {
        path for path, document in old.documents.items() if new.documents.get(path, document) is not document
    }
    for path in edited:
        if path in new.documents or path in old.documents:
            _reload(new, path)


def _reload(workspace: Workspace, path: str) -> Any:
    try:
        return workspace.reload(path)
    except Exception:  # noqa: BLE001 - the watcher or the next reload reports an odd file
        return None


__all__ = ["PartialLoading", "WorkspacePartial", "carry_over"]
