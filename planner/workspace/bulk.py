"""Loading many files fast: cached documents first, then the rest parsed in parallel.

Parsing is CPU-bound pure Python, so threads would not help (the GIL); big cold
loads are split over a process pool, and documents cross back as plain tuples
(cheap to pickle) rather than pydantic objects.
"""

from __future__ import annotations

import dataclasses
import gc
import marshal
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from planner.model.document import Document
from planner.workspace.cache import dump_document, load_document
from planner.workspace.loader import LoadProblem, load_snapshot

# Below this much work a pool costs more (start-up, imports) than it saves.
POOL_MIN_FILES = 64
POOL_MIN_BYTES = 2 * 1024 * 1024
CHUNK_FILES = 24


@dataclass(frozen=True)
class Loaded:
    """The outcome for one file: a document, a planning-free file (both None), or a problem."""

    path: str
    document: Document | None
    blob: bytes | None  # the document as a cache blob (None when no document)
    key: tuple[int, int, int, int] | None  # stat key for the cache (None on a problem)
    warning: str | None
    problem: str | None


def load_one(path: str, prefilter: bool) -> Loaded:
    """Read and parse one file; any failure is that file's one-line problem."""
    try:
        document, warning, snapshot = load_snapshot(path, prefilter)
    except LoadProblem as problem:
        return Loaded(path, None, None, None, None, str(problem))
    except Exception as error:  # noqa: BLE001 - one odd file must never stop the others
        problem = f"{path}: could not be read as Markdown ({type(error).__name__}: {error}); skipped"
        return Loaded(path, None, None, None, None, problem)
    # A marshal blob crosses the process boundary far cheaper than pickled objects,
    # and is exactly what the cache stores.
    blob = marshal.dumps(dump_document(document)) if document is not None else None
    return Loaded(path, document, blob, snapshot.key, warning, None)


def _parse_chunk(jobs: list[tuple[str, bool]]) -> list[Loaded]:
    gc.disable()  # a short-lived worker: collecting cycles only costs time
    # The document itself stays here: the blob says the same for less to pickle.
    return [dataclasses.replace(load_one(path, prefilter), document=None) for path, prefilter in jobs]


def _pool_context() -> Any:
    import multiprocessing  # noqa: PLC0415

    # Forking a process that runs other threads (the TUI) can inherit a held lock.
    method = "fork" if threading.active_count() == 1 else "forkserver"
    return multiprocessing.get_context(method)


def parse_files(
    jobs: list[tuple[str, bool]], total_bytes: int, workers: int | None = None
) -> Iterator[Loaded]:
    """Parse ``(path, prefilter)`` jobs, in a process pool when the work is big enough."""
    workers = workers or os.cpu_count() or 1
    finished = 0
    if workers > 1 and len(jobs) >= POOL_MIN_FILES and total_bytes >= POOL_MIN_BYTES:
        chunks = [jobs[i : i + CHUNK_FILES] for i in range(0, len(jobs), CHUNK_FILES)]
        from concurrent.futures import ProcessPoolExecutor  # noqa: PLC0415 - only for big cold loads

        try:
            with ProcessPoolExecutor(max_workers=workers, mp_context=_pool_context()) as pool:
                for results in pool.map(_parse_chunk, chunks):
                    for loaded in results:
                        finished += 1
                        if loaded.blob is not None:
                            loaded = dataclasses.replace(loaded, document=load_document(marshal.loads(loaded.blob)))
                        yield loaded
            return
        except Exception:  # noqa: BLE001 - no (more) processes to be had (a broken pool,
            pass  # a stderr without a file descriptor under a TUI…): finish in this one
    for path, prefilter in jobs[finished:]:
        yield load_one(path, prefilter)
