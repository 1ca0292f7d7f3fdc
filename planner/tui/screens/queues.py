"""Priority Queues: one lane per priority (P0–P3) gathered from every document.

One virtualised tree: the four lanes at the top level, their items below (status,
effort, owner, a progress bar over the item's checkboxes), and each item expandable to
its action items, which tick in place. Items are computed per document and cached per
file version, so a tick re-reads only the file it changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from planner.model.display import display_title
from planner.model.states import CANCELLED, DONE, DONE_TYPE
from planner.tui.present import PRIORITY_STYLES, WHERE, Part, box_part, clean, fast_text, progress_parts
from planner.tui.screens.base import PlannerScreen, Target
from planner.tui.widgets.detail import DetailRequest
from planner.tui.widgets.lists import KeyedTree

if TYPE_CHECKING:  # the views (and the model, pydantic) are imported after the first frame
    from collections.abc import Callable

    from planner.model.document import Document, Task
    from planner.views.filter import Facts
    from planner.views.queues import QueueItem

    Test = Callable[[Facts], bool] | None

LANES = {"P0": "Critical", "P1": "High", "P2": "Medium", "P3": "Low"}


@dataclass(frozen=True)
class LaneRef:
    priority: str

    def key(self) -> tuple[object, ...]:
        return ("lane", self.priority)


@dataclass(frozen=True)
class ItemRef:
    item: QueueItem

    def key(self) -> tuple[object, ...]:
        item = self.item
        return ("item", item.document.path, item.priority, item.title)


@dataclass(frozen=True)
class TaskRef:
    document: Document
    task: Task
    item_title: str

    def key(self) -> tuple[object, ...]:
        return ("task", self.document.path, self.item_title, self.task.text.strip())


@dataclass(frozen=True)
class MoreRef:
    """The line after the first items of a long lane: enter shows the next ones."""

    priority: str
    start: int

    def key(self) -> tuple[object, ...]:
        return ("more", self.priority, self.start)


Ref = LaneRef | ItemRef | TaskRef | MoreRef
# (item, label, its action items shown (None: all of them), whether the filter matched those
# action items rather than the item, so that the item opens on them)
Row = tuple["QueueItem", Text, "list[Task] | None", bool]
LANE_CHUNK = 250  # items shown per lane before a "more" line: a rebuild stays cheap at any size
HIDDEN_TYPES = frozenset({DONE_TYPE, CANCELLED})  # what h hides (planner.views.ordering.hidden)
OPEN_GROUPS_UP_TO = 12  # grouped by file, due…: up to this many groups start open, beyond they open on demand


class QueuesScreen(PlannerScreen):
    MODE: ClassVar[str] = "queues"

    def __init__(self) -> None:
        super().__init__()
        self._counts: dict[str, int] = {}
        self._shown: dict[str, list[Row]] = {}
        self._labels: dict[str, str] = {}  # group key → its heading, when not grouped by priority
        self._visible: dict[tuple[object, ...], list[Task] | None] = {}  # item key → action items shown

    def compose_main(self) -> ComposeResult:
        tree = KeyedTree("queues", id="queues-tree")
        tree.show_root = False
        tree.guide_depth = 2
        tree.fill_children = self._fill_lazy
        yield tree

    @property
    def tree(self) -> KeyedTree:
        return self.query_one("#queues-tree", KeyedTree)

    def main_widget(self) -> KeyedTree:
        return self.tree

    # -- building -------------------------------------------------------------------------

    def queues(self) -> dict[str, list[tuple[QueueItem, Text]]]:
        """Items per lane with their labels; both cached per file version."""
        lanes: dict[str, list[tuple[QueueItem, Text]]] = {level: [] for level in LANES}
        workspace = self.planner.workspace
        if workspace is None:
            return lanes
        for document in workspace.documents.values():
            for item, label in self.planner.per_document("queue-rows", document, self._labelled):
                lanes.setdefault(item.priority, []).append((item, label))
        return lanes

    def _labelled(self, document: Document) -> list[tuple[QueueItem, Text]]:
        """Runs in a thread for big workspaces: pure functions of the document only."""
        from planner.views.queues import document_items  # noqa: PLC0415 - see TYPE_CHECKING above

        return [(item, self._item_label(item)) for item in document_items(document)]

    def rebuild(self) -> bool | None:
        if not self.planner.views_ready("queue-rows", self._labelled):
            return False
        tree = self.tree
        first = self._built_version < 0
        keep = tree.cursor_key()
        opened = tree.open_keys()
        before = {lane.data.key() for lane in tree.root.children if lane.data is not None}
        place = self._cursor_place()
        tree.clear()
        test = self.planner.row_test()
        filtering = bool(self.planner.current_filter())
        self._counts = {}
        self._shown = {}
        self._visible = {}
        for level, items in self._groups(test).items():
            shown = self._shown[level]
            self._counts[level] = len(shown)
            lane_ref = LaneRef(level)
            wanted = LANE_CHUNK
            position = -1
            if keep is not None and len(keep) > 2 and keep[0] in ("item", "task"):
                # keep the cursor's item on screen even when it lies beyond the first chunk
                position = next((n for n, row in enumerate(shown) if self._row_matches_key(row, keep)), -1)
                wanted = max(wanted, position + 1)
            # A lane opens the first time it is shown (a new grouping's too, when there are few
            # groups), then stays as left; the lane holding the cursor is open.
            new = lane_ref.key() not in before and (level in LANES or len(self._shown) <= OPEN_GROUPS_UP_TO)
            lane_open = first or filtering or lane_ref.key() in opened or new or position >= 0
            lane = tree.root.add(self._lane_label(level, [i for i, *_ in shown]), lane_ref, expand=bool(lane_open))
            if lane_open:
                self._add_rows(lane, level, 0, wanted, opened)
            # a closed lane gets its rows when it is opened (a thousand file groups cost nothing until then)
        found = tree.find(keep) if keep is not None else None
        if found is None and keep is not None and keep[0] == "task":
            found = next((n for n in self._item_nodes() if n.data.key()[1] == keep[1] and n.data.key()[3] == keep[2]), None)
        if found is None and place is not None:
            # its item is gone (ticked while done work is hidden, filtered out): the item that
            # took its place in the same lane, never the top of the tree
            lane_node = tree.find(place[0])
            if lane_node is not None and lane_node.children:
                found = lane_node.children[min(place[1], len(lane_node.children) - 1)]
        if found is None:
            found = self._first_item()
        tree.goto(found)

    def _cursor_place(self) -> tuple[tuple[object, ...], int] | None:
        """(lane key, position in the lane) of the item under the cursor (or holding it)."""
        node = self.tree.cursor_node
        while node is not None and not isinstance(node.data, ItemRef):
            node = node.parent
        if node is None or node.parent is None or not isinstance(node.parent.data, LaneRef):
            return None
        return node.parent.data.key(), node.parent.children.index(node)

    @staticmethod
    def _row_matches_key(row: Row, key: tuple[object, ...]) -> bool:
        item = row[0]
        if key[0] == "item":
            return ItemRef(item).key() == key
        return item.document.path == key[1] and item.title == key[2]

    def _groups(self, test: Test) -> dict[str, list[QueueItem]]:
        """The lanes (or groups) and their rows, filtered and sorted; fills ``_shown``."""
        from planner.views.facts import item_facts  # noqa: PLC0415 - see TYPE_CHECKING above
        from planner.views.ordering import group_rows, sort_rows  # noqa: PLC0415

        sort, reverse, group = self.planner.ordering(self.MODE)
        rows: list[tuple[Row, Facts | None]] = []
        plain = test is None and sort is None and group in (None, "priority")  # the common case: no facts needed
        for items in self.queues().values():
            for item, label in items:
                if plain:
                    rows.append(((item, label, None, False), None))
                    continue
                where = self.planner.relative(item.document.path)
                facts = item_facts(item, where)
                found = self._matching(item, facts, where, test)
                if found is not None:
                    rows.append(((item, label, *found), facts))
        rows = sort_rows(rows, sort, lambda pair: pair[1], reverse)  # type: ignore[arg-type, return-value]
        self._labels = {}
        if group in (None, "priority"):
            lanes: dict[str, list[Row]] = {level: [] for level in LANES}
            for row, _ in rows:
                lanes.setdefault(row[0].priority, []).append(row)
        else:
            lanes = {}
            for label, pairs in group_rows(rows, group, lambda pair: pair[1]):  # type: ignore[arg-type, return-value]
                key = f"group:{label}"
                self._labels[key] = label
                lanes[key] = [row for row, _ in pairs]
        self._shown = lanes
        return {level: [row[0] for row in shown] for level, shown in lanes.items()}

    def _add_rows(self, lane: TreeNode[Ref], level: str, start: int, count: int, opened: set[tuple[object, ...]]) -> TreeNode[Ref] | None:
        """Items ``start``… of a lane (at most ``count``), then a "more" line; the first node added."""
        shown = self._shown[level]
        end = min(len(shown), start + count)
        first: TreeNode[Ref] | None = None
        hide = self.planner.hide_done
        for item, label, tasks, opens in shown[start:end]:
            ref = ItemRef(item)
            self._visible[ref.key()] = tasks
            visible = tasks if tasks is not None else item.tasks
            if tasks is None and hide:
                has_children = item.kind != "item" and any(t.status_type not in HIDDEN_TYPES for t in visible)
            else:
                has_children = bool(visible) and item.kind != "item"
            node = lane.add(label, ref, expand=False, allow_expand=has_children)
            first = first or node
            if has_children and (ref.key() in opened or opens):
                self._fill(node, item, tasks)
                node.expand()
        if end < len(shown):
            more = fast_text((f"… {len(shown) - end} more in {self._labels.get(level, level)}: enter shows {min(LANE_CHUNK, len(shown) - end)} more (or / to filter)", "italic dim"))
            lane.add_leaf(more, MoreRef(level, end))
        return first

    def refresh_paths(self, paths: set[str]) -> None:
        self.rebuild()

    def on_tree_node_selected(self, event: Tree.NodeSelected[Ref]) -> None:
        node = event.node
        if isinstance(node.data, MoreRef) and node.parent is not None:
            lane, ref = node.parent, node.data
            node.remove()
            first = self._add_rows(lane, ref.priority, ref.start, LANE_CHUNK, set())
            self.tree.goto(first)

    def _item_nodes(self) -> list[TreeNode[Ref]]:
        return [node for lane in self.tree.root.children for node in lane.children]

    def _first_item(self) -> TreeNode[Ref] | None:
        for lane in self.tree.root.children:
            if lane.children:
                return lane.children[0]
        return self.tree.root.children[0] if self.tree.root.children else None

    def _matching(self, item: QueueItem, facts: Facts, where: str, test: Test) -> tuple[list[Task] | None, bool] | None:
        """None when ``item`` is not shown; else (its action items shown, None for all; whether
        the filter found those rather than the item). With done work hidden, a done item is not
        shown and neither are done action items."""
        from planner.views.facts import task_facts  # noqa: PLC0415 - see TYPE_CHECKING above
        from planner.views.ordering import hidden  # noqa: PLC0415

        if test is None:
            return None, False
        if self.planner.hide_done and hidden(facts):
            return None
        if test(facts):
            return None, False  # all its action items (done ones left out when filled, if hidden)
        tasks = [t for t in item.tasks if test(task_facts(t, where, display_title(t)))]
        return (tasks, True) if tasks else None

    def _fill(self, node: TreeNode[Ref], item: QueueItem, only: list[Task] | None) -> None:
        tasks = only if only is not None else item.tasks
        if only is None and self.planner.hide_done:
            tasks = [t for t in tasks if t.status_type not in HIDDEN_TYPES]
        wanted = {t.index for t in tasks}
        nodes: dict[int, TreeNode[Ref]] = {}
        has_children = {t.parent for t in tasks if t.parent is not None and t.parent in wanted}
        for task in tasks:
            parent = nodes.get(task.parent, node) if task.parent is not None else node
            ref = TaskRef(item.document, task, item.title)
            label = self._task_label(task)
            if task.index in has_children:
                nodes[task.index] = parent.add(label, ref, expand=True)
            else:
                parent.add_leaf(label, ref)

    # -- labels ---------------------------------------------------------------------------

    def _lane_label(self, level: str, items: list[QueueItem]) -> Text:
        done = sum(1 for i in items if i.state == DONE)
        if level not in LANES:  # a group of another kind: its heading and count
            return fast_text(
                (f" {self._labels.get(level, level)} ", "bold reverse"),
                (f"  {len(items)} item{'' if len(items) == 1 else 's'}", "bold"),
                (f", {done} done" if done else "", "dim"),
            )
        style = PRIORITY_STYLES[level]
        return fast_text(
            (f"{level} ", f"{style} reverse"),
            (f" {LANES[level]}", style),
            (f"  {len(items)} item{'' if len(items) == 1 else 's'}", "bold"),
            (f", {done} done" if done else "", "dim"),
        )

    def _item_label(self, item: QueueItem) -> Text:
        if item.task is not None:
            parts: list[Part] = [box_part(item.task.state)]
        elif item.state == DONE:
            parts = [("[x]", "bold green") if item.kind != "item" else (" ✓ ", "green")]
        else:
            parts = [(" • ", "dim")]
        parts.append((" ", ""))
        if item.progress is not None:
            done, total = item.progress
            parts += progress_parts(done, total, width=6)
            parts.append((" " * max(1, 14 - 7 - len(f"{done}/{total}")), ""))
        else:
            parts.append((" " * 14, ""))
        parts.append((item.title, "dim" if item.state == DONE else "bold"))
        details = [d for d in (item.effort.label() if item.effort else item.effort_text, item.owner and ("" if item.owner.startswith("@") else "@") + item.owner) if d]
        if item.status:
            details.append(clean(item.status))
        if details:
            parts.append(("  " + " · ".join(details), "italic dim"))
        parts.append((f"  {self.planner.relative(item.document.path)}:{item.line}", WHERE))
        return fast_text(*parts)

    @staticmethod
    def _task_label(task: Task) -> Text:
        return fast_text(box_part(task.state), " ", (clean(display_title(task)), "dim" if task.done else ""))

    # -- events ---------------------------------------------------------------------------

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[Ref]) -> None:
        self._fill_lazy(event.node)

    def _fill_lazy(self, node: TreeNode[Ref]) -> None:
        if isinstance(node.data, LaneRef) and not node.children and self._shown.get(node.data.priority):
            self._add_rows(node, node.data.priority, 0, LANE_CHUNK, set())
        elif isinstance(node.data, ItemRef) and not node.children:
            self._fill(node, node.data.item, self._visible.get(node.data.key()))

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[Ref]) -> None:
        self.update_detail()

    def _ref(self) -> Ref | None:
        node = self.tree.cursor_node
        return None if node is None else node.data

    def detail_request(self) -> DetailRequest | None:
        ref = self._ref()
        if isinstance(ref, ItemRef):
            item = ref.item
            section = item.document.sections[item.section] if item.section is not None else None
            return self.section_detail(item.document, section, item.line)
        if isinstance(ref, TaskRef):
            section = ref.task.heads if ref.task.heads is not None else ref.task.section
            return self.section_detail(
                ref.document, ref.document.sections[section] if section is not None else None, ref.task.line
            )
        return None

    def current_task(self) -> Target | str:
        ref = self._ref()
        if isinstance(ref, TaskRef):
            return ref.document, ref.task
        if isinstance(ref, ItemRef):
            if ref.item.task is not None:
                return ref.item.document, ref.item.task
            if ref.item.tasks:
                return "this item has no checkbox of its own: open it (enter) and tick its action items"
            return "this item has no checkbox to tick"
        return "pick an item or an action item to tick"

    def current_location(self) -> tuple[str, int] | None:
        ref = self._ref()
        if isinstance(ref, ItemRef):
            return ref.item.document.path, ref.item.line
        if isinstance(ref, TaskRef):
            return ref.document.path, ref.task.line
        return None

    def status_extra(self) -> Text | None:
        text = Text()
        if any(level not in LANES for level in self._counts):
            text.append(f"{sum(self._counts.values())} items in {len(self._counts)} groups  ")
            return text
        for level in LANES:
            text.append(f"{level} {self._counts.get(level, 0)}  ", style=PRIORITY_STYLES[level])
        return text
