"""Documents: every file → section → task as one virtualised tree, with progress per section.

Files are filled lazily (when first expanded), so a thousand files cost a thousand
nodes until someone looks inside. A filter shows only the matching tasks, with their
files and sections opened. After an edit only the changed file's subtree is rebuilt,
keeping what was open and where the cursor was.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from planner.model.display import display_title
from planner.tui.present import WHERE_BOLD, Part, box_part, clean, counts, fast_text, priority_part, progress_parts
from planner.tui.screens.base import PlannerScreen, Target
from planner.tui.widgets.detail import DetailRequest
from planner.tui.widgets.lists import KeyedTree

if TYPE_CHECKING:  # the model (and pydantic) is imported by the load, after the first frame
    from collections.abc import Callable

    from planner.model.document import Document, Task
    from planner.views.filter import Facts
    from planner.views.tasks import TaskRow

# Up to this many files, every file starts open (its sections shown); beyond, files open on demand.
OPEN_FILES_UP_TO = 12
# With a filter, files are added until this many matching tasks are shown (a tree of every
# task of a big workspace would take seconds to build; nobody reads past a few thousand).
FILTER_SHOWN = 3000


@dataclass(frozen=True)
class Ref:
    """What a tree node stands for; holds the document version it was built from."""

    kind: str  # "file" | "section" | "task"
    document: Document
    section: int | None = None
    task: int | None = None

    @property
    def path(self) -> str:
        return self.document.path

    def key(self) -> tuple[object, ...]:
        """Identity across reloads: kind, file, heading path and task text (not line numbers)."""
        doc = self.document
        if self.kind == "file":
            return ("file", doc.path)
        if self.kind == "section" and self.section is not None:
            return ("section", doc.path, tuple(doc.section_path(self.section)))
        if self.task is not None:
            task = doc.tasks[self.task]
            return ("task", doc.path, tuple(doc.section_path(task.section)), task.text.strip())
        return (self.kind, doc.path)

    def line(self) -> int:
        doc = self.document
        if self.kind == "section" and self.section is not None:
            return doc.sections[self.section].line
        if self.kind == "task" and self.task is not None:
            return doc.tasks[self.task].line
        return 1


Node = TreeNode[Ref]


class DocumentsScreen(PlannerScreen):
    MODE: ClassVar[str] = "documents"

    def __init__(self) -> None:
        super().__init__()
        self._matches: dict[str, int] = {}

    def compose_main(self) -> ComposeResult:
        tree = KeyedTree("documents", id="documents-tree")
        tree.show_root = False
        tree.guide_depth = 2
        tree.fill_children = self._fill_lazy
        yield tree

    @property
    def tree(self) -> KeyedTree:
        return self.query_one("#documents-tree", KeyedTree)

    def main_widget(self) -> KeyedTree:
        return self.tree

    # -- building -------------------------------------------------------------------------

    def rebuild(self) -> None:
        tree = self.tree
        keep = tree.cursor_key()
        keep_line = self._cursor_line()
        opened = tree.open_keys()
        first_build = self._built_version < 0
        tree.clear()
        test = self.planner.row_test()
        matcher = bool(self.planner.current_filter())  # a filter opens what it found; hiding done does not
        self._matches = {}
        documents = list(self.planner.workspace.documents.values()) if self.planner.workspace else []
        shown = hidden = 0
        for document in documents:
            rows = self._matching_rows(document, test)
            if rows is not None and not rows and (matcher or document.tasks):  # nothing left to show
                continue
            if matcher and rows is not None:
                if shown >= FILTER_SHOWN:
                    hidden += len(rows)
                    continue
                shown += len(rows)
            node = tree.root.add(self._file_label(document), Ref("file", document), expand=False)
            if matcher:
                self._fill(node, document, rows, open_all=True)
                node.expand()
            elif (first_build and len(documents) <= OPEN_FILES_UP_TO) or ("file", document.path) in opened:
                self._fill(node, document, rows, open_all=False, opened=None if first_build else opened)
                node.expand()
        if hidden:
            note = f"… {hidden} more matching tasks in other files: add words to the filter to narrow it"
            tree.root.add_leaf(fast_text((note, "italic dim")), None)
        self._restore_cursor(keep, keep_line)

    def refresh_paths(self, paths: set[str]) -> None:
        tree = self.tree
        keep = tree.cursor_key()
        keep_line = self._cursor_line()
        test = self.planner.row_test()
        matcher = bool(self.planner.current_filter())
        workspace = self.planner.workspace
        assert workspace is not None
        by_path = {node.data.path: node for node in tree.root.children if node.data is not None}
        for path in paths:
            document = workspace.documents.get(path)
            node = by_path.get(path)
            if document is None:
                self._matches.pop(path, None)
                if node is not None:
                    node.remove()
                continue
            rows = self._matching_rows(document, test)
            if node is None:
                if matcher and not rows:
                    continue
                node = self._insert_file(document)
            was_open = node.is_expanded
            opened = tree.open_keys(node)
            node.remove_children()
            node.data = Ref("file", document)
            node.set_label(self._file_label(document))
            if matcher and not rows:  # (done hidden: the file stays, so the cursor stays in it)
                node.remove()
                continue
            if was_open or matcher:
                self._fill(node, document, rows, open_all=matcher, opened=opened)
        self._restore_cursor(keep, keep_line)

    def _insert_file(self, document: Document) -> Node:
        """A file that appeared: keep the workspace's order."""
        order = list(self.planner.workspace.documents) if self.planner.workspace else []
        position = order.index(document.path) if document.path in order else len(order)
        before = None
        for child in self.tree.root.children:
            if child.data is not None and child.data.path in order and order.index(child.data.path) > position:
                before = child
                break
        return self.tree.root.add(self._file_label(document), Ref("file", document), before=before)

    def _matching_rows(self, document: Document, test: Callable[[Facts], bool] | None) -> list[TaskRow] | None:
        """The rows that pass the filter and hide done (None: every row, nothing asked)."""
        from planner.views.facts import task_facts  # noqa: PLC0415 - see TYPE_CHECKING above

        if test is None:
            self._matches.pop(document.path, None)
            return None
        where = self.planner.relative(document.path)
        rows = [r for r in self.planner.rows(document) if test(task_facts(r.task, where, r.title))]
        self._matches[document.path] = len(rows)
        return rows

    def _fill(
        self,
        node: Node,
        document: Document,
        rows: list[TaskRow] | None,
        *,
        open_all: bool,
        opened: set[tuple[object, ...]] | None = None,
    ) -> None:
        """Sections and tasks of ``document`` under ``node``; only ``rows`` when filtering."""
        all_rows = self.planner.rows(document)
        shown: set[int] | None = None if rows is None else {r.task.index for r in rows}
        # which sections hold a shown task (or are one)
        keep_sections: set[int] = set()
        for task in document.tasks:
            if shown is not None and task.index not in shown:
                continue
            section = task.heads if task.heads is not None else task.section
            while section is not None and section not in keep_sections:
                keep_sections.add(section)
                section = document.sections[section].parent
        has_children = {t.parent for t in document.tasks if t.parent is not None and (shown is None or t.index in shown)}
        section_nodes: dict[int, Node] = {}
        task_nodes: dict[int, Node] = {}
        # Headings and tasks in line order, so a section's tasks come before its subsections.
        items: list[tuple[int, int, int]] = [(s.line, 0, s.index) for s in document.sections if s.index in keep_sections]
        items += [(t.line, 1, t.index) for t in document.tasks if t.heads is None and (shown is None or t.index in shown)]
        items.sort()
        for _, kind, index in items:
            if kind == 0:
                section = document.sections[index]
                parent = section_nodes.get(section.parent, node) if section.parent is not None else node
                ref = Ref("section", document, section=index)
                heading_task = document.tasks[section.task] if section.task is not None else None
                expand = open_all or (opened is not None and ref.key() in opened)
                child = parent.add(self._section_label(document, index, heading_task), ref, expand=expand)
                section_nodes[index] = child
            else:
                task = document.tasks[index]
                if task.parent is not None and task.parent in task_nodes:
                    parent = task_nodes[task.parent]
                elif task.section is not None and task.section in section_nodes:
                    parent = section_nodes[task.section]
                else:
                    parent = node
                ref = Ref("task", document, task=index)
                label = self._task_label(task, all_rows[index])
                if index in has_children:
                    expand = open_all or opened is None or ref.key() in opened
                    task_nodes[index] = parent.add(label, ref, expand=expand)
                else:
                    parent.add_leaf(label, ref)
        if opened is None and not open_all:
            self._open_single_chain(node)

    @staticmethod
    def _open_single_chain(node: Node) -> None:
        """Open the title heading (and single children below it) so a file shows its sections."""
        current = node
        while len(current.children) == 1 and current.children[0].allow_expand:
            current = current.children[0]
            current.expand()

    # -- labels ---------------------------------------------------------------------------

    def _file_label(self, document: Document) -> Text:
        done, total = counts(document.tasks)
        parts: list[Part] = [(self.planner.relative(document.path), WHERE_BOLD)]
        if document.kind not in ("generic", "none"):
            parts.append((f"  {document.kind}", "italic dim"))
        if total:
            parts += [("  ", ""), *progress_parts(done, total)]
        return fast_text(*parts)

    def _section_label(self, document: Document, index: int, heading_task: Task | None) -> Text:
        parts: list[Part] = []
        if heading_task is not None:
            parts += [box_part(heading_task.state), (" ", "")]
            parts.append((clean(display_title(heading_task)) or clean(document.sections[index].title), ""))
            status = heading_task.status
            if status and status not in ("done", "pending"):
                parts.append((f"  {status}", "italic dim"))
        else:
            parts.append((clean(document.sections[index].title), "bold"))
        done, total = counts(document.tasks_under(index))
        if total:
            parts += [("  ", ""), *progress_parts(done, total)]
        return fast_text(*parts)

    @staticmethod
    def _task_label(task: Task, row: TaskRow) -> Text:
        parts: list[Part] = [box_part(task.state), (" ", "")]
        if row.priority:
            parts += [priority_part(row.priority), (" ", "")]
        parts.append((clean(row.title), "dim" if task.done else ""))
        return fast_text(*parts)

    # -- selection ------------------------------------------------------------------------

    def go_to_first_match(self) -> None:
        """Start on the first task the filter matched, not on its file: ``space`` ticks it.
        A heading task is its section's node ("[x] Completed: Phase 1A")."""
        from planner.views.facts import task_facts  # noqa: PLC0415 - see TYPE_CHECKING above

        test = self.planner.row_test()
        if test is None:
            return
        stack = list(reversed(self.tree.root.children))
        while stack:
            node = stack.pop()
            ref = node.data
            if isinstance(ref, Ref):
                index = ref.task
                if ref.kind == "section" and ref.section is not None:
                    index = ref.document.sections[ref.section].task
                if index is not None and test(task_facts(ref.document.tasks[index], self.planner.relative(ref.path))):
                    self.tree.goto(node)
                    return
            stack.extend(reversed(node.children))

    def _cursor_line(self) -> int | None:
        ref = self._cursor_ref()
        return None if ref is None else ref.line()

    def _restore_cursor(self, key: tuple[object, ...] | None, line: int | None) -> None:
        """Back on the same task (by text and headings), else the same line of the same file
        (its text was edited), else the nearest task of the file on screen, else the file."""
        tree = self.tree
        found = None if key is None else tree.find(key)
        if found is None and key is not None and len(key) > 1:
            file_node = tree.find(("file", key[1]))
            found = file_node
            if file_node is not None and line is not None and key[0] != "file":
                # the same line, else the nearest node of its kind (a task ticked away while done
                # is hidden: the task after it), never the file or the top
                best: tuple[int, int] | None = None
                stack = list(file_node.children)
                while stack:
                    node = stack.pop()
                    if node.data is not None and node.data.kind == key[0]:
                        distance = node.data.line() - line
                        shown = node.parent is not None and node.parent.is_expanded
                        rank = (0 if distance == 0 else 1 if distance > 0 and shown else 2 if shown else 3, abs(distance))
                        if best is None or rank < best:
                            best, found = rank, node
                    stack.extend(node.children)
        tree.goto(found)  # None: the first line

    def _cursor_ref(self) -> Ref | None:
        node = self.tree.cursor_node
        return node.data if node is not None else None

    # -- events ---------------------------------------------------------------------------

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[Ref]) -> None:
        self._fill_lazy(event.node)

    def _fill_lazy(self, node: Node) -> None:
        ref = node.data
        if ref is not None and ref.kind == "file" and not node.children:
            self._fill(node, ref.document, self._matching_rows(ref.document, self.planner.row_test()), open_all=False)

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[Ref]) -> None:
        self.update_detail()

    def detail_request(self) -> DetailRequest | None:
        ref = self._cursor_ref()
        if ref is None:
            return None
        document = ref.document
        if ref.kind == "file":
            return self.section_detail(document, None)
        if ref.kind == "section" and ref.section is not None:
            return self.section_detail(document, document.sections[ref.section])
        task = document.tasks[ref.task] if ref.task is not None else None
        section = task.section if task is not None else None
        return self.section_detail(
            document, document.sections[section] if section is not None else None, task.line if task else None
        )

    def current_task(self) -> Target | str:
        ref = self._cursor_ref()
        if ref is None:
            return "nothing selected"
        document = ref.document
        if ref.kind == "task" and ref.task is not None:
            return document, document.tasks[ref.task]
        if ref.kind == "section" and ref.section is not None:
            heading = document.sections[ref.section].task
            if heading is not None:
                return document, document.tasks[heading]
            return "this heading is not a task (no status marker); pick a task under it"
        return "pick a task to tick (a file is not a task)"

    def current_location(self) -> tuple[str, int] | None:
        ref = self._cursor_ref()
        return None if ref is None else (ref.path, ref.line())

    def current_place(self) -> tuple[Document, int | None] | str:
        """A new task goes into the selected section (a file: its last task's section)."""
        ref = self._cursor_ref()
        if ref is None:
            return "nothing selected"
        if ref.kind == "section":
            return ref.document, ref.section
        if ref.kind == "file":
            tasks = [t for t in ref.document.tasks if t.kind == "checkbox"]
            return ref.document, tasks[-1].section if tasks else None
        return super().current_place()

    def status_extra(self) -> Text | None:
        if self.planner.filter_query or self.planner.hide_done:
            return Text(f"{sum(self._matches.values())} {'matching' if self.planner.filter_query else 'open'} tasks")
        return None
