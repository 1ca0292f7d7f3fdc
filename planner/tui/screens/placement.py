"""Where a list's cursor goes after a load that replaced a partial one (see
:mod:`planner.tui.app_loading`).

A list keeps its selection across rebuilds. But a selection the user never made — where a
build over the files loaded so far put the cursor — is no reason to stay: when the full
load arrives and the cursor has not moved since, the list starts afresh (the first task,
"Start with"), as if the partial build had never been.
"""

from __future__ import annotations

from typing import Any


class Placement:
    planner: Any
    _placed: tuple[int, bool] | None = None  # (row a build put the cursor on, built from a partial load)

    def placed(self, row: int) -> None:
        self._placed = (row, self.planner.partial is not None)

    def placed_over_partial(self, row: int) -> bool:
        """True when the last build was over a partial load and the cursor is still where it put it."""
        return self._placed is not None and self._placed[1] and self._placed[0] == row
