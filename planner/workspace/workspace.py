"""The workspace: every planning document under the user's roots, kept in memory.

Loads all files (one bad file gives a warning, never stops the others), reloads a
single file when it changes, and applies edits through the writer with an undo
history for the session. Nothing here knows about the UI.

The parser, the model (pydantic) and the writer are imported when first needed: a
warm ``planner tasks --json`` (:meth:`Workspace.load` with ``task_json``) needs none.
"""

from __future__ import annotations

import gc
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner.views.task_json import TaskJson
from planner.workspace.cache import MISSING, DocumentCache, stat_key, view_blob
from planner.workspace.discovery import discover
from planner.workspace.repo_config import RepoConfig, load_config
from planner.workspace.repo_config import apply as apply_config
from planner.workspace.repo_config import words_digest
from planner.writer.atomic import remove_stale_temp_files

if TYPE_CHECKING:
    from planner.model.document import Document, Task
    from planner.writer.edit import Edit

Progress = Callable[[int, int], None]
CACHE_FLUSH_EVERY = 500


class Workspace:
    def __init__(
        self,
        roots: Iterable[str | os.PathLike[str]] = (".",),
        base: str | os.PathLike[str] | None = None,
        include: Iterable[str] = (),
        exclude: Iterable[str] = (),
    ) -> None:
        self.roots = [Path(r) for r in roots] or [Path(".")]
        self.base = Path(base).absolute() if base is not None else default_base(self.roots)
        self.include = tuple(include)
        self.exclude = tuple(exclude)
        self.documents: dict[str, Document] = {}  # absolute path → document, in discovery order
        # Loaded with ``task_json``: absolute path → its tasks' JSON text, instead of documents.
        self.task_json: dict[str, TaskJson] = {}
        # Loaded with ``views``: absolute path → its contribution to that view (planner.views.contrib).
        self.views: dict[str, Any] = {}
        # Loaded with ``stored``: absolute path → (the digest of the document it is for, its
        # contribution to that view), read from the cache, else computed and stored there.
        self.stored: dict[str, Any] = {}
        self._salt = self._words = ""  # the last load's cache salt and words digest
        self._base_text: object = None  # the base that _base_prefix is for (see relative)
        self._base_prefix = ""
        self.skipped: set[str] = set()  # files with no planning content
        self.warnings: list[str] = []
        self.history: list[Edit] = []
        self.redo_stack: list[list[Edit]] = []  # undone steps, as the edits that undid them
        # The persistent cache; off with PLANNER_NO_CACHE=1 (it is always safe to use).
        self.use_cache = os.environ.get("PLANNER_NO_CACHE", "") in ("", "0")
        self.config = RepoConfig()  # the repository's .planner.toml, read by load()

    # -- loading -------------------------------------------------------------------------

    def load(
        self, progress: Progress | None = None, task_json: bool = False, views: str | None = None, stored: str | None = None
    ) -> None:
        """Load every file under the roots: cached documents first, the rest parsed (in
        parallel when there are many). Calls ``progress(done, total)`` after each file.

        With ``task_json`` (``planner tasks --json``), each file is kept as its tasks'
        JSON text in :attr:`task_json` instead of as a document in :attr:`documents`:
        cached files then come back as text alone, and no document is rebuilt. With ``views``
        (a view of :mod:`planner.views.contrib`), each file is kept in :attr:`views` as its
        contribution to that view: cached ones are read alone, and a document is rebuilt only
        where its contribution is not cached yet (then computed and stored). With ``stored``
        (the TUI), documents are kept as usual and each one's contribution to that view too, in
        :attr:`stored`: read from the cache, computed here (and cached) where it is not there yet."""
        found = discover(self.roots, self.include, self.exclude)
        self.warnings = list(found.warnings)
        named = self._explicit_paths()
        # The repository's .planner.toml: its words are in force for this load, its ignore list
        # leaves files out (a file named on the command line stays), and its priority words
        # key the cache (an entry parsed under other words is never served).
        self.config = load_config(self.roots)
        self.warnings.extend(self.config.problems)
        salt = apply_config(self.config)
        words = words_digest(self.config) if views or stored else ""
        self._salt, self._words = salt, words_digest(self.config)  # for full_contribution, after the load
        files = [f for f in found.files if str(f) in named or not self.config.ignored(str(f))]
        self.documents = {}
        self.task_json = {}
        self.views = {}
        self.stored = {}
        self.skipped = set()
        for folder in found.temp_folders:
            remove_stale_temp_files(folder)
        cache = DocumentCache() if self.use_cache else None
        if cache is not None:
            cache.load()
            columns = (views,) if views else ("tasks",) if task_json else ("body", stored) if stored else ("body",)
            cache.expect([str(f) for f in files], *columns)
        total = len(files)
        done = 0
        jobs: list[tuple[str, bool]] = []
        job_bytes = 0
        uncombined: list[tuple[str, tuple, bool, int]] = []  # type: ignore[type-arg] - cached, but not their views
        collecting = gc.isenabled()
        gc.disable()  # bulk loading makes many objects and no cycles worth collecting
        try:
            for path in map(str, files):
                explicit = path in named
                try:
                    info = os.stat(path)
                except OSError:
                    jobs.append((path, not explicit))  # the loader reports what is wrong
                    continue
                if cache is not None:
                    key = salted(stat_key(info), salt)
                    if views:
                        hit, kind, warning, value = cache.get_view(path, key, views, words)
                        if hit and (kind is not None or not explicit):
                            if kind is not None and value is MISSING:
                                uncombined.append((path, key, explicit, info.st_size))
                                continue
                            self._accept_view(path, kind, value, warning)
                            done += 1
                            if progress is not None:
                                progress(done, total)
                            continue
                        jobs.append((path, not explicit))
                        job_bytes += info.st_size
                        continue
                    if task_json:
                        hit, document, warning = cache.get_task_json(path, key)
                    else:
                        hit, document, warning = cache.get(path, key)
                    if hit and (document is not None or not explicit):
                        if self._accept(path, document, warning) is not None and stored:
                            self._keep_stored(cache, path, key, stored, words)
                        done += 1
                        if progress is not None:
                            progress(done, total)
                        continue
                jobs.append((path, not explicit))
                job_bytes += info.st_size
            for path, key, explicit, size in uncombined:
                assert cache is not None and views is not None
                if self._contribute(cache, path, key, views, words):
                    done += 1
                    if progress is not None:
                        progress(done, total)
                else:
                    jobs.append((path, not explicit))
                    job_bytes += size
            if cache is not None:
                cache.close()  # before a pool forks: a child must never use (or close) its parent's connection
            if jobs:
                self._parse(jobs, job_bytes, cache, task_json, progress, done, total, salt, views, words, stored)
        finally:
            if cache is not None:
                cache.close()
            if collecting:
                gc.enable()
            gc.freeze()  # long-lived documents: later collections need not walk them
        order = {str(path): number for number, path in enumerate(files)}
        self.documents = dict(sorted(self.documents.items(), key=lambda item: order[item[0]]))
        self.task_json = dict(sorted(self.task_json.items(), key=lambda item: order[item[0]]))
        self.views = dict(sorted(self.views.items(), key=lambda item: order[item[0]]))
        self.stored = {path: self.stored[path] for path in self.documents if path in self.stored}
        if cache is not None:
            cache.save()
            cache.close()

    def _parse(
        self,
        jobs: list[tuple[str, bool]],
        job_bytes: int,
        cache: DocumentCache | None,
        task_json: bool,
        progress: Progress | None,
        done: int,
        total: int,
        salt: str = "",
        views: str | None = None,
        words: str = "",
        stored: str | None = None,
    ) -> None:
        """Parse the files the cache could not give; store each in the cache with its task JSON
        (and, with ``views`` or ``stored``, its contribution to that view)."""
        from planner.workspace.bulk import Wanted, parse_files  # noqa: PLC0415

        wanted = Wanted(documents=not task_json and not views, task_json=task_json, cache=cache is not None, views=views or stored)
        # A repository's words live in this process: its workers (forkserver ones under the
        # TUI) would not have them, so such a load parses here.
        for loaded in parse_files(jobs, job_bytes, wanted, workers=1 if salt or words else None):
            if loaded.problem is not None:
                self.warnings.append(loaded.problem)
            else:
                # parse_files renders the task JSON wherever it is kept: here, in the cache, or both.
                if views:
                    self._accept_view(loaded.path, loaded.kind, loaded.views, loaded.warning)
                else:
                    kept = self._accept(loaded.path, loaded.rendered if task_json else loaded.document, loaded.warning)
                    if stored and kept is not None and loaded.views is not None:
                        self.stored[loaded.path] = (kept.digest, loaded.views)
                if cache is not None and loaded.key is not None:
                    key = salted(loaded.key, salt)
                    view = views or stored
                    blobs = {view: view_blob(key, words, loaded.views)} if view and loaded.views is not None else None
                    cache.put(loaded.path, key, loaded.blob, loaded.warning, loaded.rendered, blobs)
                    if len(cache.pending) >= CACHE_FLUSH_EVERY:
                        cache.save()  # new entries are not all held until the end
            done += 1
            if progress is not None:
                progress(done, total)

    def _accept(self, path: str, document: Document | TaskJson | None, warning: str | None) -> Document | None:
        """Keep a loaded document (or its task JSON, see :meth:`load`), or note it as
        skipped (no planning content, not named)."""
        if warning:
            self.warnings.append(warning)
        if document is None or (document.kind == "none" and not self._named_explicitly(path)):
            self.skipped.add(path)
            self.documents.pop(path, None)
            self.task_json.pop(path, None)
            return None
        self.skipped.discard(path)
        if isinstance(document, TaskJson):
            self.task_json[path] = document
            return None
        self.documents[path] = document
        return document

    def _accept_view(self, path: str, kind: str | None, value: Any, warning: str | None) -> None:
        """Keep a file's contribution to the view being loaded (see :meth:`load`), or note it as
        skipped, as :meth:`_accept` does a document of that ``kind`` (None: no document)."""
        if warning:
            self.warnings.append(warning)
        if kind is None or (kind == "none" and not self._named_explicitly(path)):
            self.skipped.add(path)
            self.views.pop(path, None)
            return
        self.skipped.discard(path)
        self.views[path] = value

    def _keep_stored(self, cache: DocumentCache, path: str, key: tuple, view: str, words: str) -> None:  # type: ignore[type-arg]
        """A cached document's contribution to ``view`` beside it: from its entry, else computed
        (and stored for the next load)."""
        _, _, _, value = cache.get_view(path, key, view, words)
        if value is MISSING:
            from planner.views.contrib import contribution  # noqa: PLC0415 - only for documents not combined yet

            try:
                value = contribution(view, self.documents[path])
            except Exception:  # noqa: BLE001 - the screen computes it again, and says what is wrong
                return
            cache.put_view(path, key, view, words, value)
        self.stored[path] = (self.documents[path].digest, value)

    def _contribute(self, cache: DocumentCache, path: str, key: tuple, view: str, words: str) -> bool:  # type: ignore[type-arg]
        """A cached document whose contribution to ``view`` is not cached yet: rebuilt, its
        contribution computed, kept and stored; False when its entry no longer reads."""
        from planner.views.contrib import contribution  # noqa: PLC0415 - only for documents not combined yet

        hit, document, warning = cache.get(path, key)
        if not hit or document is None:
            return False
        value = contribution(view, document)
        cache.put_view(path, key, view, words, value)
        self._accept_view(path, document.kind, value, warning)
        return True

    def full_contribution(self, path: str, view: str) -> tuple[Any, ...]:
        """``path``'s contribution to ``view`` computed in full from its body — a focus part with
        its focus as the day's plan, which a load leaves out (see
        :data:`planner.views.focus_parts.NOT_COMPUTED`) — and stored for the next load. The body
        comes from the cache, else from the file (a file that no longer reads raises LoadProblem)."""
        from planner.views.contrib import contribution  # noqa: PLC0415
        from planner.workspace.loader import load_document  # noqa: PLC0415

        cache = DocumentCache() if self.use_cache else None
        try:
            key = salted(stat_key(os.stat(path)), self._salt)
            document = cache.get(path, key)[1] if cache is not None else None
            if document is None:
                document, _ = load_document(path)
            value = contribution(view, document, full=True)
            if cache is not None:
                cache.put_view(path, key, view, self._words, value)
                cache.save()
        except OSError as err:
            from planner.workspace.loader import LoadProblem  # noqa: PLC0415

            raise LoadProblem(f"{self.relative(path)}: {err.strerror or err}") from err
        finally:
            if cache is not None:
                cache.close()
        return value

    def keep_contribution(self, document: Document, view: str, value: tuple[Any, ...]) -> bool:
        """Store ``value``, ``document``'s contribution to ``view`` computed in full (as
        :meth:`full_contribution` does), for the next load — only while the file is still that
        version (its cache entry has the document's digest). A TUI that had to compute the day's
        plan keeps it, so the next start finds it. True when stored; a cache that cannot be read
        or written is just slower (False)."""
        if not self.use_cache:
            return False
        cache = DocumentCache()
        try:
            key = salted(stat_key(os.stat(document.path)), self._salt)
            hit, cached, _ = cache.get(document.path, key)
            if not hit or cached is None or cached.digest != document.digest:
                return False
            cache.put_view(document.path, key, view, self._words, value)
            kept = bool(cache.pending_views)  # a file changed within the racy window is never stored
            cache.save()
            return kept
        except (OSError, sqlite3.Error):
            return False
        finally:
            cache.close()

    def _load_one(self, path: str) -> Document | None:
        from planner.workspace.loader import LoadProblem, load_document  # noqa: PLC0415

        try:
            document, warning = load_document(path)
        except LoadProblem as problem:
            self.warnings.append(str(problem))
            self.documents.pop(path, None)
            return None
        return self._accept(path, document, warning)

    def _explicit_paths(self) -> set[str]:
        return {str(Path(root).absolute()) for root in self.roots}

    def _named_explicitly(self, path: str) -> bool:
        return path in self._explicit_paths()

    def reload(self, path: str | os.PathLike[str]) -> Document | None:
        """Re-read one file (it changed, appeared or vanished); the others are untouched."""
        key = str(Path(path).absolute())
        if not os.path.exists(key):
            self.documents.pop(key, None)
            return None
        return self._load_one(key)

    # -- queries --------------------------------------------------------------------------

    def relative(self, path: str | os.PathLike[str]) -> str:
        text = os.fspath(path)
        # A normalised path under the base is its tail: what relpath gives, without its two
        # abspath calls per path (a view names thousands of files).
        if self._base_text != self.base:
            self._base_text = self.base
            self._base_prefix = os.path.join(os.path.abspath(self.base), "")
        if type(text) is str and text.startswith(self._base_prefix) and len(text) > len(self._base_prefix):
            if os.path.normpath(text) == text:
                return text[len(self._base_prefix) :]
        try:
            return os.path.relpath(path, self.base)
        except ValueError:
            return str(path)

    def resolve(self, name: str) -> str:
        """Absolute path of a file named on the command line (relative to the current folder)."""
        return str(Path(name).absolute())

    def tasks(self) -> Iterator[tuple[Document, Task]]:
        for document in self.documents.values():
            for task in document.tasks:
                yield document, task

    def document(self, path: str | os.PathLike[str]) -> Document | None:
        return self.documents.get(str(Path(path).absolute()))

    # -- edits ----------------------------------------------------------------------------
    # Every edit goes through the writer; the history keeps them in steps (the edits of one
    # step, a multi-task change or a move across files, share a group number) for undo and redo.

    def apply(self, make: Callable[[], object], paths: Iterable[str]) -> list[Edit]:
        """Run ``make`` (a writer call returning ``(edit, document)`` or a list of them) as one
        step; on a refusal, reload ``paths`` so that what is shown is what is on disk."""
        from planner.writer.edit import EditError  # noqa: PLC0415
        from planner.writer.lines import new_group  # noqa: PLC0415

        try:
            made = make()
        except EditError:
            for path in paths:
                self.reload(path)
            raise
        results = made if isinstance(made, list) else [made]
        return self._record(results, new_group())

    def apply_each(self, targets: list[tuple[Document, Task]], change: Callable[[Document, Task], object]) -> list[Edit]:
        """Apply ``change`` to every target task as one step (the writer finds each task again in
        its file as the step's earlier edits left it). A refusal stops the step there."""
        from planner.writer.edit import EditError  # noqa: PLC0415
        from planner.writer.lines import new_group  # noqa: PLC0415

        group = new_group()
        recorded: list[Edit] = []
        for document, task in targets:
            try:
                made = change(document, task)
            except EditError:
                self.reload(document.path)
                raise
            recorded += self._record(made if isinstance(made, list) else [made], group)  # type: ignore[arg-type]
        return recorded

    def _record(self, results: list[tuple[Edit, Document]], group: int) -> list[Edit]:
        import dataclasses  # noqa: PLC0415

        edits = []
        for edit, after in results:
            edit = dataclasses.replace(edit, group=group)
            self.documents[after.path] = after
            self.history.append(edit)
            edits.append(edit)
        self.redo_stack.clear()
        return edits

    def set_done(self, document: Document, task: Task, done: bool) -> Edit:
        from planner.writer.edit import set_done  # noqa: PLC0415

        return self.apply(lambda: set_done(document, task, done), [document.path])[0]

    def toggle(self, document: Document, task: Task) -> Edit:
        return self.set_done(document, task, not task.done)

    def toggle_line(self, document: Document, line: int) -> Edit:
        """Toggle the task on ``line``, or put back the marker an untick took off that heading."""
        from planner.writer.edit import toggle_line  # noqa: PLC0415

        return self.apply(lambda: toggle_line(document, line), [document.path])[0]

    def undo(self) -> Edit | None:
        """Undo the last step of this session (newest edit first); None when there is none.
        The step can then be redone (:meth:`redo`)."""
        if not self.history:
            return None
        step = self._last_step(self.history)
        reverses: list[Edit] = []
        try:
            for edit in step:
                reverses.append(self._reverse(edit))
                self.history.pop()
        finally:
            if reverses:
                self.redo_stack.append(reverses)
        return step[0]

    def redo(self) -> Edit | None:
        """Make the last undone step again (as checked edits); None when there is none."""
        if not self.redo_stack:
            return None
        reverses = self.redo_stack.pop()
        redone: list[Edit] = []
        try:
            for reverse in reversed(reverses):  # the last one applied first
                redone.append(self._reverse(reverse))
        except Exception:
            left = reverses[: len(reverses) - len(redone)]
            if left:
                self.redo_stack.append(left)
            raise
        finally:
            self.history.extend(redone)
        return redone[-1] if redone else None

    @staticmethod
    def _last_step(history: list[Edit]) -> list[Edit]:
        """The edits of the newest step, newest first."""
        group = history[-1].group
        step = [history[-1]]
        for edit in reversed(history[:-1]):
            if not group or edit.group != group:
                break
            step.append(edit)
        return step

    def _reverse(self, edit: Edit) -> Edit:
        """Undo one edit through the writer; the edit that did it, in the same step."""
        import dataclasses  # noqa: PLC0415

        from planner.writer.edit import EditError, undo_edit  # noqa: PLC0415

        document = self.documents.get(edit.path) or _placeholder(edit.path)
        try:
            reverse, after = undo_edit(edit, document)
        except EditError:
            self.reload(edit.path)
            raise
        self.documents[edit.path] = after
        return dataclasses.replace(reverse, group=edit.group)


def salted(key: tuple, salt: str) -> tuple:  # type: ignore[type-arg]
    """A cache entry's key: the file's stat, and the digest of the priority words it was parsed under."""
    return (*key, salt) if salt else key


def _placeholder(path: str) -> Document:
    from planner.model.document import Document  # noqa: PLC0415

    return Document(path=path, size=0, mtime_ns=0, digest="", bom=False, newline="", line_count=0, title=None)


def default_base(roots: list[Path]) -> Path:
    """Paths in output are relative to the one folder given, else to the current folder."""
    if len(roots) == 1 and roots[0].is_dir():
        return roots[0].absolute()
    return Path.cwd()
