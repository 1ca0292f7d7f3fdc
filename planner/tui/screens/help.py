"""``?``: the keys and the screens, on top of whatever is showing."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

HELP = """\
# planner — keys

| key | what it does |
| --- | --- |
| `1` `2` `3` `4` | Daily Focus · Sprint Options · Priority Queues · Documents |
| `j` `k`, `↑` `↓` | move |
| `space` or `x` | tick / untick the task under the cursor (written to the file at once) |
| `u` | undo the last tick of this session |
| `/` | filter tasks on every screen (`enter` keeps the filter, `escape` clears it) |
| `e` | open the file at this line in `$EDITOR`; planner reloads it after |
| `r` | read every file again |
| `enter` | open or close a section / queue item |
| `h` `l`, `←` `→` | Sprint Options: previous / next option; trees: close / open |
| `c` | Sprint Options: choose the highlighted option (written into the Markdown) |
| `tab` | move between the list and the detail pane |
| `ctrl+p` | command palette: screens, themes, reload, undo |
| `?` | this help (`escape` closes it) |
| `q` | quit |

Files changed by an editor or `git pull` are reloaded by themselves. An edit is refused,
never forced, when the file changed under it in a way that makes the task ambiguous.

Settings (theme, roots, include/exclude globs) live in the config file; themes are the
`themes/*.toml` files, picked with `ctrl+p` → *Theme*.
"""


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Close"),
        Binding("question_mark", "dismiss", "Close", show=False),
        Binding("q", "dismiss", "Close", show=False),
    ]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 96; max-width: 95%; height: auto; max-height: 90%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    """

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Markdown(HELP)

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)
