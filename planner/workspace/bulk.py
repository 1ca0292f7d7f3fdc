"""Loading many files fast: cached documents first, the rest parsed in parallel.

Parsing is CPU-bound pure Python, so threads would not help (the GIL); big cold
loads are split over a process pool. Each worker does all the per-file work a cold
load needs (parse, render the task JSON, the cache blob) and sends back only what the
caller keeps or caches: the document as a marshal blob (cheap to pickle, and what the
cache stores) and, where wanted, the task JSON. The caller writes the cache: its rows
cost little, and one writer never waits for another's lock.
"""

from __future__ import annotations

import dataclasses
import gc
import marshal
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from planner.workspace.cache import dump_document, load_document

if TYPE_CHECKING:
    from planner.model.document import Document
    from planner.views.task_json import TaskJson

# Below this much work a pool costs more (start-up, imports) than it saves.
POOL_MIN_FILES = 64
POOL_MIN_BYTES = 2 * 1024 * 1024
CHUNK_FILES = 24  # files a worker takes at a time: fewer round trips…
LAST_CHUNK_FILES = 4  # …and smaller towards the end, so no worker is left with a long tail


@dataclass(frozen=True)
class Wanted:
    """What the caller keeps of each parsed file, and whether it caches them."""

    documents: bool = True  # the Document (else only its task JSON)
    task_json: bool = False
    cache: bool = False  # the caller caches each file: its blob and task JSON come back too
    views: str | None = None  # a view (planner.views.contrib.KINDS): each document's contribution comes back


@dataclass(frozen=True)
class Loaded:
    """The outcome for one file: a document, a planning-free file (both None), or a problem."""

    path: str
    document: Document | None
    blob: bytes | None  # the document as a cache blob (None: no document, or not asked for)
    key: tuple[int, int, int, int] | None  # stat key for the cache (None on a problem)
    warning: str | None
    problem: str | None
    rendered: TaskJson | None = None  # the document's task JSON (when wanted, or cached)
    kind: str | None = None  # the document's kind (None: no document)
    views: tuple[Any, ...] | None = None  # its contribution to the wanted view


def load_snapshot(path: str, prefilter: bool) -> Any:
    """The loader's :func:`~planner.workspace.loader.load_snapshot`, imported when first
    used: a pool's workers import the parser (and pydantic) side by side, and the parent
    that only collects task JSON never needs them."""
    from planner.workspace.loader import load_snapshot as load  # noqa: PLC0415

    return load(path, prefilter)


def load_one(
    path: str, prefilter: bool, render: bool = False, dump: bool = True, views: str | None = None, lenient: bool = False
) -> Loaded:
    """Read and parse one file; any failure is that file's one-line problem. With
    ``render``, the result has the task JSON; with ``dump``, the document's blob; with
    ``views``, its contribution to that view (with ``lenient``, None where computing it fails:
    the document is kept, and whoever shows the view computes it again and says why)."""
    from planner.workspace.loader import LoadProblem  # noqa: PLC0415 - see load_snapshot

    try:
        document, warning, snapshot = load_snapshot(path, prefilter)
    except LoadProblem as problem:
        return Loaded(path, None, None, None, None, str(problem))
    except Exception as error:  # noqa: BLE001 - one odd file must never stop the others
        problem = f"{path}: could not be read as Markdown ({type(error).__name__}: {error}); skipped"
        return Loaded(path, None, None, None, None, problem)
    blob = rendered = contribution = None
    if document is not None:
        if views is not None:
            from planner.views.contrib import contribution as contribute  # noqa: PLC0415 - the views, only to parse

            try:
                contribution = contribute(views, document)
            except Exception:  # noqa: BLE001 - a view's bug on one file must not lose the document
                if not lenient:
                    raise
        if dump:
            blob = marshal.dumps(dump_document(document))
        if render:
            from planner.views.tasks import render_task_json  # noqa: PLC0415 - the views, only to parse

            rendered = render_task_json(document)
    kind = document.kind if document is not None else None
    return Loaded(path, document, blob, snapshot.key, warning, None, rendered, kind, contribution)


def _parse_chunk(jobs: list[tuple[str, bool]], wanted: Wanted) -> list[Loaded]:
    gc.disable()  # a short-lived worker: collecting cycles only costs time
    results = []
    for path, prefilter in jobs:
        render, dump = wanted.task_json or wanted.cache, wanted.documents or wanted.cache
        loaded = load_one(path, prefilter, render=render, dump=dump, views=wanted.views, lenient=wanted.documents)
        # The document itself stays here: the blob says the same for less to pickle.
        results.append(dataclasses.replace(loaded, document=None))
    return results


def _chunks(jobs: list[tuple[str, bool]], workers: int) -> list[list[tuple[str, bool]]]:
    """Jobs in chunks of CHUNK_FILES, shrinking to LAST_CHUNK_FILES as the work runs out
    (guided scheduling): the workers then finish within a few files of each other."""
    chunks = []
    start = 0
    while start < len(jobs):
        size = min(CHUNK_FILES, max(LAST_CHUNK_FILES, (len(jobs) - start) // (4 * workers)))
        chunks.append(jobs[start : start + size])
        start += size
    return chunks


def _worker_start() -> None:
    """A worker leaves Ctrl-C to its parent, which stops the load: a terminal's SIGINT
    reaches the whole process group, and each worker would print its own traceback."""
    import signal  # noqa: PLC0415

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _pool_context() -> Any:
    import multiprocessing  # noqa: PLC0415

    # Forking a process that runs other threads (the TUI) can inherit a held lock.
    method = "fork" if threading.active_count() == 1 else "forkserver"
    return multiprocessing.get_context(method)


def parse_files(
    jobs: list[tuple[str, bool]], total_bytes: int, wanted: Wanted = Wanted(), workers: int | None = None
) -> Iterator[Loaded]:
    """Parse ``(path, prefilter)`` jobs, in a process pool when the work is big enough.

    Each result carries what ``wanted`` asks for: the document, and its task JSON and
    blob where they are kept or cached."""
    workers = workers or os.cpu_count() or 1
    finished = 0
    if workers > 1 and len(jobs) >= POOL_MIN_FILES and total_bytes >= POOL_MIN_BYTES:
        chunks = _chunks(jobs, workers)
        from concurrent.futures import ProcessPoolExecutor  # noqa: PLC0415 - only for big cold loads

        try:
            pool = ProcessPoolExecutor(max_workers=workers, mp_context=_pool_context(), initializer=_worker_start)
            try:
                for results in pool.map(_parse_chunk, chunks, [wanted] * len(chunks)):
                    for loaded in results:
                        finished += 1
                        if wanted.documents and loaded.blob is not None:
                            loaded = dataclasses.replace(loaded, document=load_document(marshal.loads(loaded.blob)))
                        yield loaded
            except BaseException:
                # Ctrl-C, or the caller stopped early: the chunks not started are dropped,
                # not parsed before the pool lets go (as leaving a `with` block would); the
                # running ones (a few files each) end, so no worker outlives the load.
                pool.shutdown(wait=True, cancel_futures=True)
                raise
            pool.shutdown()
            return
        except Exception:  # noqa: BLE001 - no (more) processes to be had (a broken pool,
            pass  # a stderr without a file descriptor under a TUI…): finish in this one
    for path, prefilter in jobs[finished:]:  # the document itself comes back: a blob only to cache
        yield load_one(path, prefilter, render=wanted.task_json or wanted.cache, dump=wanted.cache, views=wanted.views, lenient=wanted.documents)
