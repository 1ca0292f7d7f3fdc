"""A persistent cache of parsed documents, so a warm start parses nothing.

Entries (one small file each) are keyed by path and validated by (size, mtime_ns,
ctime_ns, inode): any
write to a file changes its ctime, so a stale entry is never used. Files changed
(ctime) in the last seconds before they were cached are not stored (the same "racy"
window git guards against: a second write within one timestamp tick would look
unchanged). The cache is versioned by planner's parser source, lives in the
platform's cache folder (``PLANNER_CACHE_DIR`` overrides it), and is safe to delete.

Documents are stored as plain tuples with :mod:`marshal`, which loads ~10× faster
than pickling pydantic models, and are rebuilt without re-validation (they were
validated when first parsed).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import marshal
import os
import shutil
import sys
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

from planner.model.document import Block, Document, Field, Section, Task
from planner.writer.atomic import pid_alive

FORMAT = 2
RACY_SECONDS = 2.0

_DOCUMENT_SCALARS = ("path", "size", "mtime_ns", "digest", "bom", "newline", "line_count", "title", "kind")

StatKey = tuple[int, int, int, int]


def cache_folder() -> Path:
    configured = os.environ.get("PLANNER_CACHE_DIR")
    if configured:
        return Path(configured)
    from platformdirs import user_cache_dir  # noqa: PLC0415 - only when caching

    return Path(user_cache_dir("planner", appauthor=False))


@lru_cache(maxsize=1)
def version() -> str:
    """Changes whenever the code that decides what a document contains changes."""
    digest = hashlib.blake2b(digest_size=8)
    digest.update(f"{FORMAT}:{sys.version}".encode())
    model = Path(__file__).resolve().parent.parent / "model"
    for source in sorted(model.glob("*.py")):
        digest.update(source.name.encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()


def stat_key(info: os.stat_result) -> StatKey:
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


def _fields(model: type) -> tuple[str, ...]:
    if model is Document:
        return tuple(Document.model_fields)
    if issubclass(model, tuple):
        return model._fields  # type: ignore[attr-defined,no-any-return]
    return tuple(f.name for f in dataclasses.fields(model))


def _rows(items: list[Any], model: type) -> list[tuple[Any, ...]]:
    if issubclass(model, tuple):
        return [tuple(item) for item in items]
    names = _fields(model)
    return [tuple(getattr(item, name) for name in names) for item in items]


def _restore_model(names: tuple[str, ...], row: tuple[Any, ...]) -> Document:
    """A Document (a pydantic model) from already-validated values, without validating again."""
    instance = Document.__new__(Document)
    object.__setattr__(instance, "__dict__", dict(zip(names, row, strict=True)))
    object.__setattr__(instance, "__pydantic_fields_set__", set(names))
    object.__setattr__(instance, "__pydantic_extra__", None)
    object.__setattr__(instance, "__pydantic_private__", None)
    return instance


@lru_cache(maxsize=None)
def _restorer(model: type) -> Any:
    """A function ``row → instance`` for a slotted record type, skipping validation.

    Generated once per type (as dataclasses generates ``__init__``): it fills the
    slots through their C-level descriptors, ~4× faster than ``object.__setattr__``
    per field — this is most of a warm start's work.
    """
    names = _fields(model)
    setters = {f"set_{i}": model.__dict__[name].__set__ for i, name in enumerate(names)}
    lines = [f"def restore(row, new=model.__new__, model=model):", "    obj = new(model)"]
    for i, name in enumerate(names):
        value = f"list(row[{i}])" if name == "children" else f"row[{i}]"
        lines.append(f"    set_{i}(obj, {value})")
    lines.append("    return obj")
    namespace: dict[str, Any] = {"model": model, **setters}
    exec("\n".join(lines), namespace)  # noqa: S102 - code built from our own field names
    return namespace["restore"]


_new_tuple = tuple.__new__  # a named tuple from a row, at C speed


def dump_document(document: Document) -> tuple[Any, ...]:
    """A document as plain, marshal-able tuples."""
    return (
        tuple(getattr(document, name) for name in _DOCUMENT_SCALARS),
        _rows(document.sections, Section),
        _rows(document.tasks, Task),
        _rows(document.fields, Field),
        _rows(document.blocks, Block),
    )


def load_document(row: tuple[Any, ...]) -> Document:
    scalars, sections, tasks, fields, blocks = row
    values = dict(zip(_DOCUMENT_SCALARS, scalars, strict=True))
    values["sections"] = list(map(_restorer(Section), sections))
    values["tasks"] = list(map(_restorer(Task), tasks))
    values["fields"] = [_new_tuple(Field, r) for r in fields]
    values["blocks"] = [_new_tuple(Block, r) for r in blocks]
    names = _fields(Document)
    return _restore_model(names, tuple(values[name] for name in names))


class DocumentCache:
    """One small cache file per source file, under a folder named by the cache version.

    A warm start reads each entry when it needs it, so blobs are never all in
    memory at once; a changed file rewrites only its own entry. Entries are written
    atomically (temp + rename) but not fsynced: a torn entry fails to decode and
    counts as a miss, which is all a cache owes.
    """

    def __init__(self, folder: Path | None = None) -> None:
        self.base = folder or cache_folder()
        self.folder = self.base / f"v{version()}"
        self.pending: dict[str, tuple[StatKey, bytes | None, str | None]] = {}

    def entry_path(self, path: str) -> Path:
        name = hashlib.sha1(path.encode("utf-8", "surrogateescape"), usedforsecurity=False).hexdigest()
        return self.folder / name[:2] / f"{name}.marshal"

    def load(self) -> None:
        """Nothing to read up front: entries are read one by one in :meth:`get`."""

    def get(self, path: str, key: StatKey) -> tuple[bool, Document | None, str | None]:
        """(hit, document, warning): a hit with no document means "no planning content"."""
        try:
            with open(self.entry_path(path), "rb") as handle:
                stored_path, stored_key, blob, warning = marshal.loads(handle.read())
        except (OSError, ValueError, EOFError, TypeError):
            return False, None, None  # absent, torn, or from another Python
        if stored_path != path or tuple(stored_key) != key:
            return False, None, None
        return True, (None if blob is None else load_document(marshal.loads(blob))), warning

    def put(self, path: str, key: StatKey, blob: bytes | None, warning: str | None = None) -> None:
        """Remember a file's document as its marshal blob (None: no planning content)."""
        if time.time() - max(key[1], key[2]) / 1e9 < RACY_SECONDS:
            return  # too fresh to trust its timestamps; its old entry no longer matches anyway
        self.pending[path] = (key, blob, warning)

    def save(self) -> None:
        if not self.pending:
            return
        with contextlib.suppress(OSError):  # a cache that cannot be written is just slower
            self._remove_other_versions()
            self.folder.mkdir(parents=True, exist_ok=True)
            self._remove_dead_writers_temp_files()
            # Temp files sit at the top of the version folder, named by the writer's
            # pid, so leftovers of a killed run are found with one small listing.
            temp = self.folder / f"{os.getpid()}.tmp"
            for path, (key, blob, warning) in self.pending.items():
                target = self.entry_path(path)
                target.parent.mkdir(exist_ok=True)
                temp.write_bytes(marshal.dumps((path, key, blob, warning)))
                os.replace(temp, target)
        self.pending = {}

    def _remove_dead_writers_temp_files(self) -> None:
        for temp in self.folder.glob("*.tmp"):
            pid = temp.stem
            if pid.isdigit() and int(pid) != os.getpid() and not pid_alive(int(pid)):
                temp.unlink(missing_ok=True)

    def _remove_other_versions(self) -> None:
        """Entries of older planner versions can never match again."""
        if not self.base.is_dir():
            return
        for old in self.base.iterdir():
            if old.is_dir() and old.name.startswith("v") and old != self.folder:
                shutil.rmtree(old, ignore_errors=True)
