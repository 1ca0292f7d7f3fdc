"""The command palette (ctrl+p) lists every planner action that works here, with its key.

Built from the bindings active on the screen under the palette (the focused list's, the
screen's, the app's), so it never drifts from what the keys do, follows a ``[keymap]`` from
the config, and leaves out what a screen has disabled. Bindings of one action (``space``
and ``x`` tick) are one command naming both keys. Screen switches come first, as
"Screen: …"; Textual's own commands (themes, keys, screenshot, quit) follow.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from textual.app import SystemCommand

if TYPE_CHECKING:
    from textual.app import App
    from textual.binding import Binding
    from textual.dom import DOMNode
    from textual.screen import Screen

# What each action does, said in full under its name (the bindings' descriptions are terse).
HELP: dict[str, str] = {
    "tick": "tick or untick the task under the cursor, written to the file at once",
    "screen.tick": "tick or untick the task under the cursor, written to the file at once",
    "undo": "undo the last edit of this session",
    "redo": "redo what undo took back",
    "filter": "narrow every screen to tasks matching words",
    "reload": "read every file again",
    "help": "keys and screens",
    "quit": "leave planner",
    "edit": "open the file at this line in $EDITOR",
    "day(-1)": "Daily Focus: the daily note before the one shown",
    "day(1)": "Daily Focus: the daily note after the one shown",
    "today": "Daily Focus: back to today",
    "add": "add a task beside the selected one (or in the selected section)",
    "add_to": "add a task, picking the file and section",
    "capture": "add a task to today's daily document",
    "edit_text": "edit the task's text (its box, marker and metadata stay)",
    "cycle_state": "state: open → in progress → done",
    "set_state('cancelled')": "mark the task cancelled, in the file's own dialect",
    "set_state('deferred')": "mark the task deferred, in the file's own dialect",
    "priority": "set the priority: then 0-3, + / - or n (none)",
    "date('due')": "set the due date: 2026-12-05, today, +1w, next monday, none",
    "date('scheduled')": "set the scheduled date: 2026-12-05, today, +1w, next monday, none",
    "move": "move the task (with its subtasks) to another section or file",
    "archive": "archive the done tasks",
    "mark": "mark the task: state, priority, date, move and tick keys then act on every marked task",
    "clear_filter": "clear the marks, else the filter",
    "cursor_down": "move down",
    "cursor_up": "move up",
    "scroll_home": "first row",
    "scroll_end": "last row",
}


def _planner_bindings(node: DOMNode) -> set[tuple[str, str]]:
    """(action, description) of the bindings written in planner's own classes for ``node``."""
    found: set[tuple[str, str]] = set()
    for klass in type(node).__mro__:
        if klass.__module__.startswith("planner."):
            for binding in klass.__dict__.get("BINDINGS", ()):
                if not isinstance(binding, tuple):
                    found.add((binding.action, binding.description))
    return found


def binding_commands(app: App[object], screen: Screen[object]) -> Iterator[SystemCommand]:
    """One command per planner action bound on ``screen`` now: "Tick (space, x)"."""
    actions: dict[tuple[int, str], tuple[DOMNode, Binding, list[str]]] = {}
    claimed: set[str] = set()  # a key bound nearer the focus (the list before the screen) wins
    for namespace, bindings in screen._modal_binding_chain:  # noqa: SLF001 - what active_bindings reads
        ours = _planner_bindings(namespace)
        for key, binding in bindings:
            if key in claimed:
                continue
            if binding.action.startswith("scroll_") and (binding.action, binding.description) not in ours:
                continue  # a widget's scroll key passes the key on when it cannot scroll that way (SkipAction)
            claimed.add(key)
            if (binding.action, binding.description) not in ours or binding.action.startswith("show("):
                continue  # Textual's own keys, and the screen switches (listed as "Screen: …")
            if app._check_action_state(binding.action, namespace) is False:  # noqa: SLF001
                continue  # hidden here by the screen (check_action)
            slot = (id(namespace), binding.action)
            display = app.get_key_display(replace(binding, key=key, key_display=None))
            if slot in actions:
                if display not in actions[slot][2]:
                    actions[slot][2].append(display)
            elif not any(action == binding.action for _, action in actions):  # the nearest node's binding wins
                actions[slot] = (namespace, binding, [display])
    for namespace, binding, keys in actions.values():
        title = f"{binding.description} ({', '.join(keys)})"
        explained = HELP.get(binding.action) or binding.tooltip or binding.description
        yield SystemCommand(title, f"{explained} — key {' or '.join(keys)}", _runner(app, binding.action, namespace))


def _runner(app: App[object], action: str, namespace: DOMNode):  # noqa: ANN202
    async def run() -> None:
        await app.run_action(action, namespace)

    return run


def screen_commands(app: App[object], screens: Iterable[tuple[str, str, str]]) -> Iterator[SystemCommand]:
    for mode, key, title in screens:
        yield SystemCommand(f"Screen: {title} ({key})", f"Show {title} (key {key})", lambda m=mode: app.switch_mode(m))
