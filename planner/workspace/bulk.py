"""Loading many files fast: cached documents first, then the rest parsed in parallel.

Parsing is CPU-bound pure Python, so threads would not help (the GIL); big cold
loads are split over a process pool, and documents cross back as plain tuples
(cheap to pickle) rather than pydantic objects.
"""

from __future__ import annotations

import gc
import marshal
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from planner.model.document import Document
from planner.workspace.cache import dump_document, load_document
from planner.workspace.loader import LoadProblem, Snapshot, load_snapshot

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


def _outcome(path: str, prefilter: bool) -> tuple[str, bytes | None, Any, str | None, str | None]:
    try:
        document, warning, snapshot = load_snapshot(path, prefilter)
    except LoadProblem as problem:
        return path, None, None, None, str(problem)
    except Exception as error:  # noqa: BLE001 - one odd file must never stop the others
        return path, None, None, None, _unexpected(path, error)
    # A marshal blob crosses the process boundary far cheaper than pickled objects,
    # and is exactly what the cache stores.
    blob = marshal.dumps(dump_document(document)) if document is not None else None
    return path, blob, _key(snapshot), warning, None


def _unexpected(path: str, error: Exception) -> str:
    return f"{path}: could not be read as Markdown ({type(error).__name__}: {error}); skipped"


def _key(snapshot: Snapshot) -> tuple[int, int, int, int]:
    return snapshot.key


def _parse_chunk(jobs: list[tuple[str, bool]]) -> list[tuple[Any, ...]]:
    gc.disable()  # a short-lived worker: collecting cycles only costs time
    return [_outcome(path, prefilter) for path, prefilter in jobs]


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
                    for outcome in results:
                        finished += 1
                        yield _loaded(*outcome, rebuilt=True)
            return
        except Exception:  # noqa: BLE001 - no (more) processes to be had (a broken pool,
            pass  # a stderr without a file descriptor under a TUI…): finish in this one
    for path, prefilter in jobs[finished:]:
        try:
            document, warning, snapshot = load_snapshot(path, prefilter)
        except LoadProblem as problem:
            yield Loaded(path, None, None, None, None, str(problem))
            continue
        except Exception as error:  # noqa: BLE001 - one odd file must never stop the others
            yield Loaded(path, None, None, None, None, _unexpected(path, error))
            continue
        blob = marshal.dumps(dump_document(document)) if document is not None else None
        yield Loaded(path, document, blob, _key(snapshot), warning, None)


def _loaded(path: str, blob: bytes | None, key: Any, warning: str | None, problem: str | None, rebuilt: bool) -> Loaded:
    document = load_document(marshal.loads(blob)) if (rebuilt and blob is not None) else None
    return Loaded(path, document, blob, key, warning, problem)


ProgressCallback = Callable[[int, int], None]
