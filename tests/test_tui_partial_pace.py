"""When a first load shows a partial workspace: judged by its pace from the first file on.

The time before the first file (importing the model, opening the cache) is paid once; counted
per file, it made a warm load of 1,000 files look slow enough for a partial workspace, whose
drawing then held the loader thread up for longer than the rest of the load took.
"""

from __future__ import annotations

from pathlib import Path

from planner.tui import app_loading
from planner.tui.app_loading import PartialLoading
from planner.workspace.workspace import Workspace


class Loading(PartialLoading):
    workspace = None
    version = 0

    def __init__(self) -> None:
        self.posted: list[object] = []

    def post_message(self, message: object) -> None:
        self.posted.append(message)


def _offer(app: Loading, loading: Workspace, done: int, total: int, now: float) -> None:
    for n in range(len(loading.documents), done):
        loading.documents[f"/f{n}.md"] = object()  # type: ignore[assignment] - only counted here
    app.partial_offer(loading, done, total, now)


def test_a_fast_load_after_a_slow_start_shows_no_partial_workspace(tmp_path: Path) -> None:
    app, loading = Loading(), Workspace([str(tmp_path)])
    app.partial_start(0.0)
    _offer(app, loading, 1, 1000, 0.30)  # 0.3 s of imports before the first file
    for done in range(2, 1000):
        _offer(app, loading, done, 1000, 0.30 + done * 0.0005)  # then 2,000 files a second
    assert app.posted == []


def test_a_slow_load_shows_one_after_first_partial(tmp_path: Path) -> None:
    app, loading = Loading(), Workspace([str(tmp_path)])
    app.partial_start(0.0)
    _offer(app, loading, 1, 1000, 0.05)
    _offer(app, loading, 50, 1000, app_loading.FIRST_PARTIAL - 0.01)  # not yet due
    assert app.posted == []
    _offer(app, loading, 60, 1000, app_loading.FIRST_PARTIAL + 0.01)  # 160 files a second: 6 s to go
    assert len(app.posted) == 1
    assert len(app.posted[0].workspace.documents) == 60  # type: ignore[attr-defined]
