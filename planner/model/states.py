"""Task states: the two a tick toggles between, and the status types of every other state.

Kept apart from :mod:`planner.model.document` so that code which only compares states
(the TUI's first frame) does not import the model and pydantic.

Status types are Obsidian Tasks' (its "Status Types"): ``todo``, ``in_progress``, ``done``,
``cancelled`` and ``non_task``. Its default statuses are ``[ ]`` todo, ``[x]`` done, ``[/]``
in progress and ``[-]`` cancelled; a symbol it does not know is a todo. ``[>]`` (written by
the Minimal and ITS themes and by bullet journals for a task *moved* or *deferred* to another
day or list) is planner's one addition: the work is not here any more, so it is typed
``non_task`` and never counted as open. A checkbox's ``state`` keeps its raw character.
"""

OPEN = "open"
DONE = "done"

TODO = "todo"
IN_PROGRESS = "in_progress"
DONE_TYPE = "done"
CANCELLED = "cancelled"
NON_TASK = "non_task"
STATUS_TYPES = (TODO, IN_PROGRESS, DONE_TYPE, CANCELLED, NON_TASK)
# The types that are open work: counted in focus, queues, progress totals and option totals.
OPEN_TYPES = frozenset({TODO, IN_PROGRESS})

# A checkbox's character → (status type, name shown for it). Unknown characters are todos.
BOX_STATES: dict[str, tuple[str, str]] = {
    " ": (TODO, "todo"),
    "x": (DONE_TYPE, "done"),
    "X": (DONE_TYPE, "done"),
    "/": (IN_PROGRESS, "in progress"),
    "-": (CANCELLED, "cancelled"),
    ">": (NON_TASK, "deferred"),
    "<": (TODO, "scheduled"),
    "!": (TODO, "important"),
    "?": (TODO, "question"),
    "*": (TODO, "star"),
    '"': (TODO, "quote"),
    # Check marks, crosses and the heading markers' emoji in the box ("- [✅] Shipped"), as
    # people write them by hand (festival-methodology's "[✅] / [🚧] / [ ]").
    "✅": (DONE_TYPE, "done"),
    "✔": (DONE_TYPE, "done"),
    "✓": (DONE_TYPE, "done"),
    "☑": (DONE_TYPE, "done"),
    "🚧": (IN_PROGRESS, "in progress"),  # as the heading markers 🚧 and 🔄 say
    "🔄": (IN_PROGRESS, "in progress"),
    "❌": (CANCELLED, "cancelled"),
    "✗": (CANCELLED, "cancelled"),
    "✘": (CANCELLED, "cancelled"),
}
# A heading marker's status (see planner.model.markers) → status type.
HEADING_TYPES: dict[str, str] = {
    "done": DONE_TYPE,
    "in progress": IN_PROGRESS,
    "cancelled": CANCELLED,
    "deferred": NON_TASK,
}


def box_type(state: str) -> str:
    """The status type of a checkbox in ``state`` ("open", "done" or the raw character)."""
    if state == OPEN:
        return TODO
    if state == DONE:
        return DONE_TYPE
    found = BOX_STATES.get(state)
    return found[0] if found else TODO


def box_name(state: str) -> str:
    """The name a checkbox state is shown by: "todo", "done", "in progress", "cancelled", …"""
    if state == OPEN:
        return "todo"
    if state == DONE:
        return "done"
    found = BOX_STATES.get(state)
    return found[1] if found else f"[{state}]"


def heading_type(state: str, status: str | None) -> str:
    if state == DONE:
        return DONE_TYPE
    return HEADING_TYPES.get(status or "", TODO)


def is_open_type(status_type: str) -> bool:
    return status_type in OPEN_TYPES


def box_shown(state: str) -> str:
    """The box as a terminal draws it, three cells wide: ``[ ]``, ``[x]``, a narrow printable
    mark as written (``[/]``, ``[✔]``), and a wide or unprintable one (``[✅]``, a control
    character) by its type — ``[x]``, ``[/]``, ``[-]`` or ``[?]`` — so rows stay in line and no
    control character reaches the terminal."""
    if state == OPEN:
        return "[ ]"
    if state == DONE:
        return "[x]"
    if len(state) == 1 and state.isprintable() and not _wide(state):
        return f"[{state}]"
    kind = BOX_STATES.get(state, (TODO, ""))[0]
    return {DONE_TYPE: "[x]", IN_PROGRESS: "[/]", CANCELLED: "[-]"}.get(kind, "[?]")


def _wide(char: str) -> bool:
    import unicodedata  # noqa: PLC0415

    return unicodedata.east_asian_width(char) in ("W", "F") or unicodedata.category(char) in ("Mn", "Me", "Cf")
