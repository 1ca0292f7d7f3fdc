"""A planner process for the concurrency tests: toggles one task of a file N times through a Workspace.

    python toggle_driver.py FILE LINE COUNT START_AT [UNDO_EVERY]

Waits until the wall clock reaches START_AT (so several drivers start together), then
toggles the task on LINE (found again by text after other processes' writes) COUNT
times; every UNDO_EVERY-th toggle is undone and redone. Prints one JSON line:
{"landed": n, "undone": n, "refused": [messages]}.
"""

from __future__ import annotations

import json
import sys
import time


def main() -> int:
    path, line, count, start_at = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
    undo_every = int(sys.argv[5]) if len(sys.argv) > 5 else 0
    from planner.workspace.workspace import Workspace
    from planner.writer.edit import EditError

    workspace = Workspace([path])
    workspace.load()
    document = workspace.document(path)
    assert document is not None, workspace.warnings
    task = document.task_at_line(line)
    assert task is not None and task.toggleable
    index = task.index
    landed = undone = 0
    refused: list[str] = []
    while time.time() < start_at:
        time.sleep(0.001)
    for number in range(1, count + 1):
        document = workspace.document(path)
        assert document is not None
        try:
            workspace.toggle(document, document.tasks[index])
            landed += 1
        except EditError as err:
            refused.append(str(err))
            continue
        if undo_every and number % undo_every == 0:
            try:
                workspace.undo()
                undone += 1
                document = workspace.document(path)
                assert document is not None
                workspace.toggle(document, document.tasks[index])  # redo
                landed += 1
            except EditError as err:
                refused.append(str(err))
    print(json.dumps({"landed": landed, "undone": undone, "refused": refused}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
