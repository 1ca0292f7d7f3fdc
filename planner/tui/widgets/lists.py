"""The virtualised list widgets with the planner's keys: vim ``j``/``k``, ``space``/``x`` tick.

Tree, DataTable and OptionList draw only the visible lines, so tens of thousands of
tasks cost nothing to scroll. ``space`` on a Tree would expand a node; here it ticks,
and ``enter`` (or a click on the arrow) expands. The tick itself is the screen's job.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any, ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.widgets import DataTable, OptionList, Tree
from textual.widgets.data_table import RowKey
from textual.widgets.option_list import Option
from textual.widgets.tree import TreeNode

from planner.tui.present import fit_label, safe_text

VIM: list[BindingType] = [
    Binding("j", "cursor_down", "Down", show=False),
    Binding("k", "cursor_up", "Up", show=False),
    Binding("g", "scroll_home", "Top", show=False),
    Binding("G", "scroll_end", "Bottom", show=False),
]
TICK: list[BindingType] = [
    Binding("space", "screen.tick", "Tick", key_display="space/x"),
    Binding("x", "screen.tick", "Tick", show=False),
]


class TaskTree(Tree[Any]):
    BINDINGS: ClassVar[list[BindingType]] = [
        *VIM,
        *TICK,
        Binding("enter", "select_cursor", "Open/close", show=True),
        Binding("l,right", "expand_node", "Expand", show=False),
        Binding("left", "collapse_node", "Collapse", show=False),  # h hides done work (the screen's)
        # Tree's own shift+arrows (next / previous sibling) would hide the screens' mark keys
        Binding("shift+down", "screen.mark_and_move(1)", "Mark and down", show=False),
        Binding("shift+up", "screen.mark_and_move(-1)", "Mark and up", show=False),
    ]

    def process_label(self, label: Any) -> Any:
        """Labels here are one-line Rich Text already: skip Tree's split (costly for 10k nodes).
        Any label is literal, terminal-safe and bounded (cheap when it already is)."""
        label = safe_text(label)
        if "\n" not in label.plain:
            return label
        return super().process_label(label)

    def render_label(self, node: TreeNode[Any], base_style: Any, style: Any) -> Text:
        """The label cut to the width there is, its file kept (:func:`planner.tui.present.fit_label`)."""
        label = super().render_label(node, base_style, style)
        depth = 0
        parent = node.parent
        while parent is not None and (self.show_root or not parent.is_root):
            depth += 1
            parent = parent.parent
        return fit_label(label, self.scrollable_content_region.width - depth * self.guide_depth - 1)

    def get_label_width(self, node: TreeNode[Any]) -> int:
        """The width without rendering the label first (Tree does that for every node on layout)."""
        return node.label.cell_len + (len(self.ICON_NODE) if node.allow_expand else 0)

    def action_scroll_home(self) -> None:
        if self.last_line >= 0:
            self.move_cursor_to_line(0)

    def action_scroll_end(self) -> None:
        if self.last_line >= 0:
            self.move_cursor_to_line(self.last_line)

    # Fills a node's children before it opens (set by a screen that adds them lazily): a key
    # typed right after Enter then acts on the rows the screen shows, not on the next ones.
    fill_children: Any = None

    def _fill_now(self, node: TreeNode[Any] | None) -> None:
        if node is not None and self.fill_children is not None and not node.children and node.allow_expand:
            self.fill_children(node)

    def on_mount(self) -> None:
        self.auto_expand = False  # Enter opens a node itself, at once (below), not when its message comes

    def action_select_cursor(self) -> None:
        """Open or close the node under the cursor now, children filled, then say it was selected:
        the keys after Enter in one burst (``Enter j j space``) move over the rows Enter showed."""
        node = self.cursor_node
        if node is not None and node.allow_expand:
            if not node.is_expanded:
                self._fill_now(node)
            node.toggle()
        super().action_select_cursor()

    def action_expand_node(self) -> None:
        node = self.cursor_node
        if node is not None and node.allow_expand and not node.is_expanded:
            self._fill_now(node)
            node.expand()

    def action_collapse_node(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if node.is_expanded and node.children:
            node.collapse()
        elif node.parent is not None and not node.parent.is_root:
            self.move_cursor(node.parent)


def _at_row(lines: Any, index: int) -> Any:
    """A row's drawn line (its fixed and scrollable cells, each a list of segments) with the
    row index of its mouse meta set to ``index``."""
    mark = Style.from_meta({"row": index})

    def moved(segments: list[Segment]) -> list[Segment]:
        return [
            Segment(text, style + mark, control) if style is not None and style._meta is not None else Segment(text, style, control)  # noqa: SLF001 - whether it has meta, without decoding it
            for text, style, control in segments
        ]

    fixed, scrollable = lines
    return [moved(cell) for cell in fixed], [moved(cell) for cell in scrollable]


def _cell(value: Any) -> Any:
    return safe_text(value) if isinstance(value, (str, Text)) else value


class TaskTable(DataTable[Any]):
    BINDINGS: ClassVar[list[BindingType]] = [*VIM, *TICK]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # DataTable keys its drawn rows and lines by a counter that every update_cell and
        # resize bumps, so a tick (one cell changed) drew every visible row again — most of a
        # tick's repaint. These are keyed by the row's cell values themselves (held, compared
        # by identity: a new value is a new object) and everything else DataTable keys them by.
        self._cells_drawn: LRUCache[tuple[Any, ...], tuple[Any, Any]] = LRUCache(4000)

    def _row_identity(
        self, row_key: Any, line_no: int, base_style: Any, cursor_location: Any, hover_location: Any
    ) -> tuple[tuple[Any, ...], tuple[Any, ...], int] | None:
        """(key, cells, index) of a row's line: the key holds everything DataTable draws the line
        from except its cells (compared by identity: a new value is a new object) and its index
        (only in the cells' mouse meta, which :func:`_at_row` sets); None where DataTable is
        left to draw it (labelled rows, fixed columns, heights still to be measured)."""
        if self._labelled_row_exists or self.fixed_columns:
            return None
        columns = self.ordered_columns
        if row_key is self._header_row_key:
            cells, height, index = tuple(column.label for column in columns), self.header_height, -1
        else:
            values = self._data.get(row_key)
            row = self.rows.get(row_key)
            if values is None or row is None or row.auto_height:
                return None
            cells, height, index = tuple(values.get(column.key) for column in columns), row.height, self._row_locations.get(row_key)
        key = (
            row_key,
            # what the row's index decides besides the mouse meta: its stripe, whether it is a
            # fixed row, and where the cursor and the hover are on it
            index % 2 if self.zebra_stripes else None,
            index < self.fixed_rows,
            self._cursor_on(cursor_location, index),
            self._cursor_on(hover_location, index),
            line_no,
            height,
            base_style,
            self.cursor_type,
            self.show_cursor,
            self._show_hover_cursor,
            self._pseudo_class_state,
            self.size.width,
            tuple(column.get_render_width(self) for column in columns),
            tuple(map(id, cells)),
        )
        return key, cells, index

    def _kept(self, key: tuple[Any, ...], cells: tuple[Any, ...]) -> tuple[Any, Any, int] | None:
        kept = self._cells_drawn.get(key)
        if kept is not None and all(map(operator.is_, kept[0], cells)):
            return kept
        return None

    def _render_line_in_row(
        self, row_key: Any, line_no: int, base_style: Any, cursor_location: Any, hover_location: Any
    ) -> Any:
        """A row's line, kept while its cells are the same objects (see ``_cells_drawn``): after a
        tick the other rows are not drawn again."""
        made = self._row_identity(row_key, line_no, base_style, cursor_location, hover_location)
        if made is None:
            return super()._render_line_in_row(row_key, line_no, base_style, cursor_location, hover_location)
        key, cells, index = made
        key = ("row", *key)
        kept = self._kept(key, cells)
        if kept is not None and kept[2] == index:
            return kept[1]
        if kept is not None:
            # The same row drawn at another index (a row above it left): the same lines, their
            # mouse meta saying where the row is now, so that a click selects this row.
            lines = _at_row(kept[1], index)
        else:
            lines = super()._render_line_in_row(row_key, line_no, base_style, cursor_location, hover_location)
        self._cells_drawn[key] = (cells, lines, index)
        return lines

    def _render_line(self, y: int, x1: int, x2: int, base_style: Any) -> Any:
        """A line of the table as a strip, kept as its row's line is (see ``_render_line_in_row``)."""
        try:
            row_key, line_no = self._get_offsets(y)
        except LookupError:
            return super()._render_line(y, x1, x2, base_style)
        made = self._row_identity(row_key, line_no, base_style, self.cursor_coordinate, self.hover_coordinate)
        if made is None:
            return super()._render_line(y, x1, x2, base_style)
        key, cells, index = made
        key = ("line", x1, x2, *key)
        kept = self._kept(key, cells)
        if kept is not None and kept[2] == index:
            return kept[1]
        strip = super()._render_line(y, x1, x2, base_style)
        self._cells_drawn[key] = (cells, strip, index)
        return strip

    def _cursor_on(self, location: Any, index: int) -> object:
        """Where the cursor (or the hover) at ``location`` highlights the row at ``index``."""
        kind = self.cursor_type
        if kind == "row":
            return location.row == index
        if kind == "cell":
            return location.column if location.row == index else None
        if kind == "column":
            return location.column
        return None

    _frame_style: Any = None
    _drawn_widths: tuple[int, ...] = ()

    def render_lines(self, crop: Any) -> Any:
        # DataTable asks for its own style once per line drawn (an ancestor walk each time):
        # it is the same for the whole frame.
        self._frame_style = None
        self._frame_style = self.rich_style
        widths = tuple(column.get_render_width(self) for column in self.ordered_columns)
        if widths != self._drawn_widths:
            # Columns measured anew (when idle, after update_width): DataTable's own caches do
            # not key by width, and a miss here would take their lines at the old one.
            self._drawn_widths = widths
            self._cell_render_cache.clear()
            self._row_render_cache.clear()
            self._line_cache.clear()
        try:
            return super().render_lines(crop)
        finally:
            self._frame_style = None

    @property
    def rich_style(self) -> Any:
        style = self._frame_style
        return style if style is not None else super().rich_style

    def _clear_caches(self) -> None:
        super()._clear_caches()
        self._forget_cells()

    def notify_style_update(self) -> None:
        self._forget_cells()  # a new theme or style: every cell drawn again
        super().notify_style_update()

    def _forget_cells(self) -> None:
        cells = self.__dict__.get("_cells_drawn")  # DataTable's __init__ clears caches before ours exists
        if cells is not None:
            cells.clear()

    def add_row(self, *cells: Any, **kwargs: Any) -> Any:
        """Every cell literal, terminal-safe and bounded (a 10 MB title is cut, not measured)."""
        return super().add_row(*map(_cell, cells), **kwargs)

    # While update_cell runs: the row whose cell it changes. DataTable repaints the whole table
    # after one cell changed (every visible line drawn and composited again, most of a tick's
    # frame); its row alone is repainted instead (update_cell_at comes here too).
    _changing_row: int | None = None

    def update_cell(self, row_key: Any, column_key: Any, value: Any, **kwargs: Any) -> None:
        key = RowKey(row_key) if isinstance(row_key, str) else row_key
        row = None if kwargs.get("update_width") else self._row_locations.get(key)
        # a fixed row is drawn at the top whatever the scroll: refresh_row would think it hidden
        self._changing_row = row if row is not None and row >= self.fixed_rows else None
        try:
            super().update_cell(row_key, column_key, _cell(value), **kwargs)
        finally:
            self._changing_row = None

    def refresh(self, *regions: Any, **kwargs: Any) -> Any:
        row = self._changing_row
        if row is not None and not regions and not kwargs.get("layout") and not kwargs.get("recompose"):
            self._changing_row = None
            return self.refresh_row(row)  # its region, where it is on screen (none when scrolled away)
        return super().refresh(*regions, **kwargs)

    def action_scroll_home(self) -> None:
        self.move_cursor(row=0)

    def action_scroll_end(self) -> None:
        self.move_cursor(row=max(self.row_count - 1, 0))


class PickList(OptionList):
    BINDINGS: ClassVar[list[BindingType]] = [
        *VIM,
        Binding("g", "first", "First", show=False),
        Binding("G", "last", "Last", show=False),
    ]

    def add_options(self, new_options: Any) -> Any:
        """Every prompt literal (a ``str`` is not markup here), terminal-safe and bounded."""
        safe: list[Any] = []
        for option in new_options:
            if isinstance(option, Option) and isinstance(option.prompt, (str, Text)):
                option._set_prompt(safe_text(option.prompt, lines=True))  # noqa: SLF001 - before it is shown
            elif isinstance(option, (str, Text)):
                option = Option(safe_text(option, lines=True))
            safe.append(option)
        return super().add_options(safe)

    # Called with the new index as the highlight moves, before the OptionHighlighted message
    # is sent: state that keys act on (Sprint Options' option) changes before the next key.
    follow_highlight: Callable[[int | None], None] | None = None

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        if self.follow_highlight is not None:
            self.follow_highlight(highlighted)

    def relabel(self, index: int, prompt: Text) -> None:
        """Replace the prompt at ``index`` (terminal-safe, as :meth:`add_options` makes it).

        Textual's ``replace_option_prompt_at_index`` drops the line cache and measures every
        option again (tens of milliseconds for a thousand); a prompt of the same height keeps
        it, and only the rendered lines are drawn again."""
        option = self.options[index]
        option._set_prompt(safe_text(prompt, lines=True))  # noqa: SLF001 - as add_options
        heights = self._line_cache.heights
        width = self.scrollable_content_region.width - self._get_left_gutter_width()
        padding = self.get_component_styles("option-list--option").padding
        height = self._get_visual(option).get_height(self.styles, width - padding.width) + option._divider  # noqa: SLF001
        if heights.get(index) != height:
            self._clear_caches()
            return
        self._option_render_cache.clear()
        self.refresh()


def node_key(node: TreeNode[Any]) -> tuple[object, ...] | None:
    data = node.data
    return data.key() if data is not None and hasattr(data, "key") else None


class KeyedTree(TaskTree):
    """A TaskTree whose node data have a ``key()`` that survives rebuilds: keeps cursor and open nodes."""

    def cursor_key(self) -> tuple[object, ...] | None:
        node = self.cursor_node
        return None if node is None else node_key(node)

    def open_keys(self, root: TreeNode[Any] | None = None) -> set[tuple[object, ...]]:
        opened: set[tuple[object, ...]] = set()
        stack = list((root or self.root).children)
        while stack:
            node = stack.pop()
            if node.is_expanded:
                key = node_key(node)
                if key is not None:
                    opened.add(key)
                stack.extend(node.children)
        return opened

    def find(self, key: tuple[object, ...], root: TreeNode[Any] | None = None) -> TreeNode[Any] | None:
        stack = list(reversed((root or self.root).children))
        while stack:
            node = stack.pop()
            if node_key(node) == key:
                return node
            stack.extend(reversed(node.children))
        return None

    def goto(self, node: TreeNode[Any] | None) -> None:
        """Put the cursor on ``node`` (opening its ancestors), or on the first line."""
        if node is None:
            if self.root.children:
                node = self.root.children[0]
            else:
                return
        parent = node.parent
        while parent is not None and not parent.is_root:
            if not parent.is_expanded:
                parent.expand()
            parent = parent.parent
        self.get_node_at_line(0)  # lay out new nodes so that their line is known
        self.move_cursor(node)
        self.call_after_refresh(self._top_in_view)

    def _top_in_view(self) -> None:
        """When the cursor is within the first screenful, show that screenful from its top: the
        first visit to a tree built before its size was known scrolled its first line (the
        ``▼ P0`` header above the cursor) out of view."""
        if 0 <= self.cursor_line < self.scrollable_content_region.height and self.scroll_y:
            self.scroll_to(y=0, animate=False)
