"""``?``: the keys and the screens, on top of whatever is showing."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen

from planner.tui.widgets.safe import SafeStatic

KEYS: tuple[tuple[str, str], ...] = (
    ("1 2 3 4 5", "Daily Focus · Sprint Options · Priority Queues · Documents · Agenda (or a click)"),
    ("j k  ↑ ↓", "move; g / G first / last"),
    ("space  x", "tick or untick the task under the cursor: written to the file at once"),
    ("u  ctrl+r", "undo the last edit of this session (a choice or a move: all of it); redo it"),
    ("a  A  n", "add a task beside the selected one (or in the selected section); A: pick where; n: into today's daily document"),
    ("i", "edit the task's text (its box, marker and metadata stay)"),
    ("s  -  >", "state: open → in progress → done; cancel; defer (in the file's own dialect)"),
    ("p", "priority: then 0-3, + / - (higher / lower) or n (none)"),
    ("d  D", "due date / scheduled date: 2026-12-05, today, +1w, next monday, none"),
    ("m  X", "move the task (with its subtasks) to another section or file; archive done tasks"),
    ("/", "filter every screen: words in the task's text, \"a phrase\", -word, #tag, file:name,"),
    ("", "p:P0,P1  p:<=P1  state:open|done|cancelled|in_progress|todo  due:today|overdue|<7d"),
    ("", "due:<2026-12-31; enter keeps it, escape clears it; a bad term is named below"),
    ("h", "hide / show done and cancelled tasks on every screen"),
    ("o  O", "sort: priority → due → file → state → estimate → none; O reverses it"),
    ("b", "group: priority → due → file → state → estimate → none (Focus, Queues)"),
    ("e", "open the file at this line in $EDITOR; planner reloads it after"),
    ("r", "read every file again"),
    ("enter  l ← →", "open / close a section or queue item"),
    ("← →  l", "Sprint Options: previous / next option"),
    ("c", "Sprint Options: choose the highlighted option (written into the Markdown)"),
    ("[  ]  t", "Daily Focus: the previous / next day's daily note (by its date); t: today"),
    ("5", "Agenda: overdue work, today and the next 7 days, by due, scheduled and start date"),
    ("tab", "move between the list and the detail pane"),
    ("ctrl+p", "palette: every action here with its key, the screens, the themes"),
    ("?  escape", "close this help"),
    ("q", "quit"),
)

NOTES = (
    "Files changed by an editor or git pull are reloaded by themselves. An edit is refused, never "
    "forced, when the file changed under it and the task cannot be found again exactly once.\n"
    "Settings (theme, roots, include/exclude globs, a [keymap] of binding id = key, and the sort, group "
    "and hide done chosen with o O b h) live in the config file; themes are themes/*.toml."
)


def help_text() -> Text:
    text = Text()
    text.append("planner — keys\n\n", style="bold")
    for keys, what in KEYS:
        text.append(f"{keys:>12}", style="bold")
        text.append("  ")
        text.append(what)
        text.append("\n")
    text.append("\n")
    text.append(NOTES, style="dim")
    return text


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Close"),
        Binding("question_mark", "dismiss", "Close", show=False),
        Binding("q", "dismiss", "Close", show=False),
    ]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 104; max-width: 98%; height: auto; max-height: 90%;
        border: round $primary; background: $surface; padding: 1 2;
    }
    """

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield SafeStatic(help_text())

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)
