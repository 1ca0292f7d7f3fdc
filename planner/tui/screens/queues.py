"""Priority Queues: one lane per priority (P0–P3) gathered from every document.

One virtualised tree: the four lanes at the top level, their items below (status,
effort, owner, a progress bar over the item's checkboxes), and each item expandable to
its action items, which tick in place. Items are computed per document and cached per
file version, so a tick re-reads only the file it changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from planner.model.document import DONE, Document, Task
from planner.tui.present import PRIORITY_STYLES, Matcher, box, clean, progress_text
from planner.tui.screens.base import PlannerScreen, Target
from planner.tui.widgets.detail import DetailRequest
from planner.tui.widgets.lists import KeyedTree
from planner.views.queues import QueueItem, document_items
from planner.views.tasks import display_title

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


Ref = LaneRef | ItemRef | TaskRef


class QueuesScreen(PlannerScreen):
    MODE: ClassVar[str] = "queues"

    def __init__(self) -> None:
        super().__init__()
        self._counts: dict[str, int] = {}

    def compose_main(self) -> ComposeResult:
        tree = KeyedTree("queues", id="queues-tree")
        tree.show_root = False
        tree.guide_depth = 2
        yield tree

    @property
    def tree(self) -> KeyedTree:
        return self.query_one("#queues-tree", KeyedTree)

    def main_widget(self) -> KeyedTree:
        return self.tree

    # -- building -------------------------------------------------------------------------

    def queues(self) -> dict[str, list[QueueItem]]:
        lanes: dict[str, list[QueueItem]] = {level: [] for level in LANES}
        workspace = self.planner.workspace
        if workspace is None:
            return lanes
        for document in workspace.documents.values():
            for item in self.planner.per_document("queues", document, document_items):
                lanes.setdefault(item.priority, []).append(item)
        return lanes

    def rebuild(self) -> None:
        tree = self.tree
        first = self._built_version < 0
        keep = tree.cursor_key()
        opened = tree.open_keys()
        tree.clear()
        matcher = Matcher(self.planner.filter_query)
        self._counts = {}
        for level, items in self.queues().items():
            shown: list[tuple[QueueItem, list[Task] | None]] = []
            for item in items:
                tasks = self._matching(item, matcher)
                if tasks is not None or not matcher:
                    shown.append((item, tasks))
            self._counts[level] = len(shown)
            lane_ref = LaneRef(level)
            lane_open = first or matcher or lane_ref.key() in opened
            lane = tree.root.add(self._lane_label(level, [i for i, _ in shown]), lane_ref, expand=bool(lane_open))
            for item, tasks in shown:
                ref = ItemRef(item)
                visible = tasks if matcher and tasks else item.tasks
                has_children = bool(visible) and item.kind != "item"
                node = lane.add(self._item_label(item), ref, expand=False, allow_expand=has_children)
                if has_children and (ref.key() in opened or (matcher and tasks)):
                    self._fill(node, item, tasks if matcher else None)
                    node.expand()
        found = tree.find(keep) if keep is not None else None
        if found is None and keep is not None and keep[0] == "task":
            found = next((n for n in self._item_nodes() if n.data.key()[1] == keep[1] and n.data.key()[3] == keep[2]), None)
        if found is None:
            found = self._first_item()
        tree.goto(found)

    def refresh_paths(self, paths: set[str]) -> None:
        self.rebuild()

    def _item_nodes(self) -> list[TreeNode[Ref]]:
        return [node for lane in self.tree.root.children for node in lane.children]

    def _first_item(self) -> TreeNode[Ref] | None:
        for lane in self.tree.root.children:
            if lane.children:
                return lane.children[0]
        return self.tree.root.children[0] if self.tree.root.children else None

    def _matching(self, item: QueueItem, matcher: Matcher) -> list[Task] | None:
        """None when ``item`` does not match; else the tasks to show ([] = the item itself matched)."""
        if not matcher:
            return []
        where = self.planner.relative(item.document.path)
        if matcher(item.title, item.lane or "", " ".join(item.path), where, item.status or "", item.owner or ""):
            return []
        tasks = [t for t in item.tasks if matcher(display_title(t), item.title, where)]
        return tasks or None

    def _fill(self, node: TreeNode[Ref], item: QueueItem, only: list[Task] | None) -> None:
        tasks = only if only else item.tasks
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

    @staticmethod
    def _lane_label(level: str, items: list[QueueItem]) -> Text:
        done = sum(1 for i in items if i.state == DONE)
        text = Text(f"{level} ", style=f"{PRIORITY_STYLES[level]} reverse")
        text.append(f" {LANES[level]}", style=PRIORITY_STYLES[level])
        text.append(f"  {len(items)} items", style="bold")
        if done:
            text.append(f", {done} done", style="dim")
        return text

    def _item_label(self, item: QueueItem) -> Text:
        if item.task is not None:
            text = box(item.task.state)
        elif item.state == DONE:
            text = Text("[x]", style="bold green") if item.kind != "item" else Text(" ✓ ", style="green")
        else:
            text = Text(" • ", style="dim")
        text.append(" ")
        if item.progress is not None:
            done, total = item.progress
            text.append_text(progress_text(done, total, width=6))
            text.append(" " * max(1, 14 - 7 - len(f"{done}/{total}")))
        else:
            text.append(" " * 14)
        text.append(item.title, style="dim" if item.state == DONE else "bold")
        details = [d for d in (item.effort.label() if item.effort else item.effort_text, item.owner and f"@{item.owner}") if d]
        if item.status:
            details.append(clean(item.status))
        if details:
            text.append("  " + " · ".join(details), style="italic dim")
        text.append(f"  {self.planner.relative(item.document.path)}:{item.line}", style="dim")
        return text

    @staticmethod
    def _task_label(task: Task) -> Text:
        text = box(task.state)
        text.append(" ")
        text.append(display_title(task), style="dim" if task.done else "")
        return text

    # -- events ---------------------------------------------------------------------------

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[Ref]) -> None:
        node = event.node
        if isinstance(node.data, ItemRef) and not node.children:
            self._fill(node, node.data.item, None)

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
        for level in LANES:
            text.append(f"{level} {self._counts.get(level, 0)}  ", style=PRIORITY_STYLES[level])
        return text
