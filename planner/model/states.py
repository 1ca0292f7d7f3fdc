"""The two task states a tick toggles between; any other state keeps its raw character.

Kept apart from :mod:`planner.model.document` so that code which only compares states
(the TUI's first frame) does not import the model and pydantic.
"""

OPEN = "open"
DONE = "done"
