"""A persistent cache of parsed documents, so a warm start parses nothing.

Entries (rows of one SQLite database per cache version) are keyed by path and
validated by (size, mtime_ns, ctime_ns, inode): any write to a file changes its ctime,
so a stale entry is never used. Files changed (ctime) in the last seconds before they were cached are not stored
(the same "racy" window git guards against: a second write within one timestamp tick
would look unchanged). The cache is versioned by the source of the code that decides
what an entry holds (:func:`versioned_sources`), lives in the platform's cache folder
(``PLANNER_CACHE_DIR`` overrides it), and is safe to delete.

Planner deletes only what it can prove it made: each version folder holds a tag file
(:data:`TAG_NAME`, a standard cache directory tag naming planner and the folder) that
planner wrote when it made the folder. A folder without its tag is never used, cleaned
or removed, so pointing ``PLANNER_CACHE_DIR`` at a folder of other things (``~/.cache``)
leaves every one of them alone; old versions are removed file by file (only the files
planner puts there), then the folder only if that left it empty.

Documents are stored as plain tuples with :mod:`marshal`, which loads ~10× faster
than pickling pydantic models, and are rebuilt without re-validation (they were
validated when first parsed). Beside each document, its tasks are stored as the JSON
text ``planner tasks --json`` prints (:mod:`planner.views.task_json`), so that command
rebuilds no document at all on a warm start; the cache version covers the code that
renders that text as well. So is each document's contribution to the planning views
(:mod:`planner.views.contrib`), stored beside them per view and computed when first
needed: a warm ``planner focus|queues|options`` reads those alone.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import sqlite3
import sys
import time
from functools import lru_cache
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner.views.task_json import TaskJson

if TYPE_CHECKING:
    from planner.model.document import Document

FORMAT = 6  # 4: entries are rows of one SQLite database; 5: with the views' contributions; 6: task JSON in its own column
RACY_SECONDS = 2.0

_DOCUMENT_SCALARS = ("path", "size", "mtime_ns", "digest", "bom", "newline", "line_count", "title", "kind", "priority_items")

StatKey = tuple[int, int, int, int]


def cache_folder() -> Path:
    configured = os.environ.get("PLANNER_CACHE_DIR")
    if configured:
        return Path(configured)
    from platformdirs import user_cache_dir  # noqa: PLC0415 - only when caching

    return Path(user_cache_dir("planner", appauthor=False))


def versioned_sources() -> list[Path]:
    """The code that decides what an entry holds: the parser and model, the task JSON
    rendered beside each document, the views whose contributions are stored with it, and
    this file (the entry layout)."""
    package = Path(__file__).resolve().parent.parent
    views = ("tasks", "task_json", "view_json", "contrib", "records", "focus", "focus_parts", "focus_next", "agenda", "queues",
             "table_items", "options", "meta", "groups", "outline")  # fmt: skip
    return [
        *sorted((package / "model").glob("*.py")),
        *(package / "views" / f"{name}.py" for name in views),
        package / "workspace" / "cache.py",
    ]


@lru_cache(maxsize=1)
def version() -> str:
    """Changes whenever the code that decides what an entry holds changes."""
    digest = hashlib.blake2b(digest_size=8)
    digest.update(f"{FORMAT}:{sys.version}".encode())
    package = Path(__file__).resolve().parent.parent
    for source in versioned_sources():
        digest.update(source.relative_to(package).as_posix().encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()


def stat_key(info: os.stat_result) -> StatKey:
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


def _fields(model: type) -> tuple[str, ...]:
    from planner.model.document import Document  # noqa: PLC0415 - no pydantic for a warm `tasks --json`

    if model is Document:
        return tuple(Document.model_fields)
    if issubclass(model, tuple):
        return model._fields  # type: ignore[attr-defined,no-any-return]
    import dataclasses  # noqa: PLC0415 - not needed by a warm `tasks --json`

    return tuple(f.name for f in dataclasses.fields(model))


def _rows(items: list[Any], model: type) -> list[tuple[Any, ...]]:
    if issubclass(model, tuple):
        return [tuple(item) for item in items]
    row = attrgetter(*_fields(model))  # the fields as a tuple, in one C call
    return list(map(row, items))


def _restore_model(names: tuple[str, ...], row: tuple[Any, ...]) -> Document:
    """A Document (a pydantic model) from already-validated values, without validating again."""
    from planner.model.document import Document  # noqa: PLC0415

    instance = Document.__new__(Document)
    object.__setattr__(instance, "__dict__", dict(zip(names, row, strict=True)))
    object.__setattr__(instance, "__pydantic_fields_set__", set(names))
    object.__setattr__(instance, "__pydantic_extra__", None)
    object.__setattr__(instance, "__pydantic_private__", None)
    return instance


_new_tuple = tuple.__new__  # a named tuple from a row, at C speed


def dump_document(document: Document) -> tuple[Any, ...]:
    """A document as plain, marshal-able tuples."""
    from planner.model.document import Block, Field, Section, Task  # noqa: PLC0415
    from planner.model.tables import Table  # noqa: PLC0415

    return (
        tuple(getattr(document, name) for name in _DOCUMENT_SCALARS),
        _rows(document.sections, Section),
        _rows(document.tasks, Task),
        _rows(document.fields, Field),
        _rows(document.blocks, Block),
        _rows(document.tables, Table),
    )


def load_document(row: tuple[Any, ...]) -> Document:
    from planner.model.document import Block, Document, Field, Section, Task  # noqa: PLC0415

    from planner.model.tables import Table  # noqa: PLC0415

    scalars, sections, tasks, fields, blocks, tables = row
    values = dict(zip(_DOCUMENT_SCALARS, scalars, strict=True))
    # A row is the fields in order (dump_document): each record its named tuple, made in one C call.
    values["sections"] = [_new_tuple(Section, r) for r in sections]
    values["tasks"] = [_new_tuple(Task, r) for r in tasks]
    values["fields"] = [_new_tuple(Field, r) for r in fields]
    values["blocks"] = [_new_tuple(Block, r) for r in blocks]
    values["tables"] = [_new_tuple(Table, r) for r in tables]
    names = _fields(Document)
    return _restore_model(names, tuple(values[name] for name in names))


# Seconds a read or a save waits for another process's lock on the database before
# going on without the cache (a save of a few hundred rows takes milliseconds, so two
# planners writing in turns never wait this long).
LOCK_TIMEOUT = 1.0
# What SQLite says of a file that is not (or no longer) a database: start it afresh.
# Anything else (locked, disk full, read-only) leaves it as it is.
_DAMAGED = frozenset({"SQLITE_NOTADB", "SQLITE_CORRUPT"})
_LOCKED = frozenset({"SQLITE_BUSY", "SQLITE_LOCKED"})
# Small columns first: SQLite finds a column by walking the row's record, through the
# overflow pages of every large value before it, so the views' columns come before the
# task JSON and the body (which then costs only the reads that want it).
_ENTRY_ROWS = (
    "CREATE TABLE IF NOT EXISTS entries (path BLOB PRIMARY KEY, head BLOB NOT NULL, options BLOB, focus BLOB,"
    " queues BLOB, tasks BLOB, body BLOB)"
)
VIEW_KINDS = ("focus", "queues", "options")  # a column each (planner.views.contrib.KINDS)
MISSING = object()  # a valid entry whose contribution to a view is not stored (yet)
BATCH_ROWS = 256  # rows read in one query (SQLite allows 32,766 parameters; a batch's blobs stay few)


# The Cache Directory Tagging Specification (https://bford.info/cachedir/): backup tools
# skip a tagged folder. The text names planner and the folder, so a tag another tool
# wrote never passes for planner's.
TAG_NAME = "CACHEDIR.TAG"
_TAG_SIGNATURE = "Signature: 8a477f597d28d172789f06886806bc55\n"
# The files planner puts in a version folder: the only ones it ever deletes there.
_DATABASE_NAME = "entries.sqlite3"
_OWN_FILES = (_DATABASE_NAME, f"{_DATABASE_NAME}-wal", f"{_DATABASE_NAME}-shm", f"{_DATABASE_NAME}-journal", TAG_NAME)


def tag_text(folder_name: str) -> bytes:
    """The tag planner writes in the version folder named ``folder_name``."""
    return (
        f"{_TAG_SIGNATURE}# This folder ({folder_name}) is a document cache made by planner, "
        "which may delete it.\n# See https://bford.info/cachedir/ about cache directory tags.\n"
    ).encode()


def is_planners(folder: str | os.PathLike[str]) -> bool:
    """Whether ``folder`` holds the tag planner wrote when it made it (a real folder, not a link)."""
    folder = os.fspath(folder)
    expected = tag_text(os.path.basename(folder))
    try:
        if os.path.islink(folder):
            return False
        fd = os.open(os.path.join(folder, TAG_NAME), os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return False
    try:
        return os.read(fd, len(expected) + 1) == expected
    except OSError:
        return False
    finally:
        os.close(fd)


class CacheUnavailable(Exception):
    """Another process holds the database locked: this load goes on without the cache."""


def view_blob(key: StatKey, salt: str, value: tuple[Any, ...]) -> bytes:
    """A contribution to a view as its column stores it: with the key and words it is for."""
    return marshal.dumps((tuple(key), salt, value))


def _key(path: str) -> bytes:
    return path.encode("utf-8", "surrogateescape")  # any path, even one that is not UTF-8


class DocumentCache:
    """The cache entries of one cache version, in one SQLite database in its folder.

    One database rather than a file per entry: creating a file costs ~0.7 ms of kernel
    time on some disks (this project's CI machine), as much as parsing a small file,
    and a cold load creates one entry per file; rows cost ~0.1 ms. A warm start reads
    each entry when it needs it, so blobs are never all in memory at once; a changed
    file rewrites only its own row. SQLite makes each save one transaction: a writer
    killed halfway leaves the entries as they were, and two processes (a TUI beside a
    script) write in turns. Not synced to disk: a database damaged by a crash reads
    as misses, and the next save starts it afresh.

    An entry is a head, the task JSON and a body: the head is ``marshal((path, stat key,
    warning, document kind))`` (kind None: no planning content), the task JSON
    ``marshal((tails, open flags))`` (:class:`TaskJson` without its kind), the body the
    document's marshal blob. ``planner tasks --json`` reads the head and the task JSON; a view
    reads the head and its own column, so that neither reads what it does not show (the task
    JSON is most of an entry's bytes). Beside them, one column per view holds
    the document's contribution to it as ``marshal((stat key, words digest, contribution))``
    (NULL until a view first needs it): the key it was computed for is checked on every read,
    as the head's is, and the digest of the repository's words it was computed under.
    """

    def __init__(self, folder: Path | None = None) -> None:
        self.base = folder or cache_folder()
        self.folder = self.base / f"v{version()}"
        self._folder = str(self.folder)
        self._database = os.path.join(self._folder, _DATABASE_NAME)
        self._db: sqlite3.Connection | None = None
        # Set when the database was locked past LOCK_TIMEOUT: every later read and save
        # of this cache object (one load) goes without it instead of waiting again.
        self.unavailable = False
        self._db_pid = 0  # the process that opened it: a forked child opens its own
        self._tidied = False  # other versions are removed by the first save
        self.pending: dict[str, tuple[StatKey, bytes | None, str | None, tuple[Any, ...] | None, dict[str, bytes]]] = {}
        self.pending_views: list[tuple[str, bytes, bytes]] = []  # (column, contribution blob, path key)
        # The paths a load will read, in order (:meth:`expect`): their rows are read a batch at
        # a time, one query for many, and each is handed out once.
        self._upcoming: dict[bytes, int] = {}
        self._upcoming_columns: tuple[str, ...] = ()
        self._upcoming_order: list[bytes] = []
        self._batch: dict[tuple[str, bytes], tuple[Any, Any]] = {}

    def load(self) -> None:
        """Nothing to read up front: entries are read as :meth:`get` and the others ask."""

    def expect(self, paths: list[str], *columns: str) -> None:
        """The paths about to be read, in the order they will be, and the columns (``body``,
        ``tasks``, views): each such read then takes its row from a batch read ahead with the
        next ones (a query per row costs more than its row). Other reads go one by one."""
        if not set(columns) <= {"body", "tasks", *VIEW_KINDS}:
            raise ValueError(columns)  # names go into the query's text
        self._upcoming_columns = columns
        self._upcoming_order = [_key(path) for path in paths]
        self._upcoming = {key: number for number, key in enumerate(self._upcoming_order)}
        self._batch = {}

    def get(self, path: str, key: StatKey) -> tuple[bool, Document | None, str | None]:
        """(hit, document, warning): a hit with no document means "no planning content"."""
        entry = self._read(path, key, "body")
        if entry is None:
            return False, None, None
        warning, kind, blob = entry
        if kind is None:
            return True, None, warning
        if type(blob) is not bytes:
            return False, None, None
        try:
            return True, load_document(marshal.loads(blob)), warning
        except Exception:  # noqa: BLE001 - a blob that does not decode is a miss, whatever it holds
            return False, None, None

    def get_task_json(self, path: str, key: StatKey) -> tuple[bool, TaskJson | None, str | None]:
        """Like :meth:`get`, with the document's stored task JSON instead of the document
        (which is not even read)."""
        entry = self._read(path, key, "tasks")
        if entry is None:
            return False, None, None
        warning, kind, rendered = entry
        if kind is None:
            return True, None, warning
        try:
            tails, open_flags = marshal.loads(rendered)
            if not (type(tails) is tuple and type(open_flags) is bytes):
                raise TypeError
            if len(tails) != len(open_flags) or (tails and {*map(type, tails)} not in ({bytes}, {str})):
                raise TypeError
        except (TypeError, ValueError, EOFError):
            return False, None, None  # not as this version writes it: parse again
        return True, TaskJson(kind, tails, open_flags), warning

    def get_view(self, path: str, key: StatKey, kind: str, salt: str) -> tuple[bool, str | None, str | None, Any]:
        """(hit, the document's kind (None: no planning content), warning, its ``kind`` contribution
        or :data:`MISSING`): like :meth:`get_task_json`, reading neither the document nor its task JSON."""
        if kind not in VIEW_KINDS:
            raise ValueError(kind)
        entry = self._read(path, key, kind)
        if entry is None:
            return False, None, None, MISSING
        warning, document_kind, stored = entry
        if document_kind is None:
            return True, None, warning, MISSING
        if type(stored) is not bytes:
            return True, document_kind, warning, MISSING
        try:
            view_key, view_salt, value = marshal.loads(stored)
            fresh = tuple(view_key) == key and view_salt == salt  # not for another version or other words
        except (ValueError, EOFError, TypeError):
            return True, document_kind, warning, MISSING
        return True, document_kind, warning, value if fresh else MISSING

    def put_view(self, path: str, key: StatKey, kind: str, salt: str, value: tuple[Any, ...]) -> None:
        """Store a document's contribution to the ``kind`` view in its (valid) entry."""
        if time.time() - max(key[1], key[2]) / 1e9 < RACY_SECONDS:
            return
        self.pending_views.append((kind, view_blob(key, salt, value), _key(path)))

    def _connection(self, create: bool) -> sqlite3.Connection | None:
        """This process's connection to the database; None when there is none to read."""
        if self.unavailable:
            raise CacheUnavailable
        if self._db is not None and self._db_pid == os.getpid():
            if not create or os.path.exists(self._database):
                return self._db
            self._db.close()  # the folder was deleted since: make it again
            self._db = None
        if not create and not os.path.exists(self._database):
            return None  # nothing cached yet (and reading must not create it)
        if not is_planners(self._folder):
            return None  # not a folder planner made: never opened, let alone changed
        db = sqlite3.connect(self._database, timeout=LOCK_TIMEOUT, isolation_level=None, check_same_thread=False)
        try:
            db.execute("PRAGMA journal_mode=WAL")  # readers never wait for a writer
            db.execute("PRAGMA synchronous=OFF")  # a cache needs no durability
            db.execute(_ENTRY_ROWS)
        except sqlite3.Error as error:
            db.close()
            self._note_locked(error)
            raise
        self._db, self._db_pid = db, os.getpid()
        return db

    def _row(self, db: sqlite3.Connection, path: bytes, column: str) -> tuple[Any, Any] | None:
        """(head, ``column``) of ``path``'s row, from the batch read ahead when it is expected."""
        found = self._batch.pop((column, path), MISSING)
        if found is not MISSING:
            return found  # type: ignore[return-value]
        start = self._upcoming.get(path) if column in self._upcoming_columns else None
        if start is None:
            return db.execute(f"SELECT head, {column} FROM entries WHERE path = ?", (path,)).fetchone()  # type: ignore[no-any-return]
        wanted = self._upcoming_order[start : start + BATCH_ROWS]
        columns = self._upcoming_columns
        query = f"SELECT path, head, {', '.join(columns)} FROM entries WHERE path IN ({','.join('?' * len(wanted))})"
        batch: dict[tuple[str, bytes], tuple[Any, Any] | None] = {(name, key): None for key in wanted for name in columns}
        for found_path, head, *values in db.execute(query, wanted):
            batch.update({(name, bytes(found_path)): (head, value) for name, value in zip(columns, values, strict=True)})
        self._batch = batch  # type: ignore[assignment]
        return self._batch.pop((column, path))

    def _read(self, path: str, key: StatKey, column: str) -> tuple[Any, Any, Any] | None:
        """For a valid entry of ``path`` at ``key``: (warning, document kind, ``column``'s value);
        None for no valid entry. The kind is a str, or None for a file of no planning content."""
        try:
            db = self._connection(create=False)
            row = self._row(db, _key(path), column) if db is not None else None
        except CacheUnavailable:
            return None
        except sqlite3.Error as error:
            self._note_locked(error)
            return None  # damaged, locked for too long, or not a database: a miss
        if row is None:
            return None
        head, value = row
        try:
            stored_path, stored_key, warning, kind = marshal.loads(head)
            if stored_path != path or tuple(stored_key) != key:
                return None
        except (ValueError, EOFError, TypeError):
            return None  # damaged, or from another Python
        if kind is not None and type(kind) is not str:
            return None
        if kind is not None and column == "tasks" and type(value) is not bytes:
            return None  # a document without its task JSON: not as this version writes it
        return warning, kind, value

    def put(
        self,
        path: str,
        key: StatKey,
        blob: bytes | None,
        warning: str | None = None,
        rendered: TaskJson | None = None,
        views: dict[str, bytes] | None = None,
    ) -> None:
        """Remember a file's document as its marshal blob (None: no planning content),
        with its tasks' JSON text (see :mod:`planner.views.task_json`) and the contributions
        to views computed with it (``views``: column → :func:`view_blob`)."""
        if time.time() - max(key[1], key[2]) / 1e9 < RACY_SECONDS:
            return  # too fresh to trust its timestamps; its old entry no longer matches anyway
        if blob is not None and rendered is None:
            return  # an entry is whole or not there: a head names the kind its task JSON is of
        self.pending[path] = (key, blob, warning, None if rendered is None else tuple(rendered), views or {})

    def save(self) -> None:
        if (not self.pending and not self.pending_views) or self.unavailable:
            self.pending = {}
            self.pending_views = []
            return
        rows = [
            (
                _key(path),
                marshal.dumps((path, key, warning, None if blob is None or rendered is None else rendered[0])),
                None if rendered is None else marshal.dumps(tuple(rendered[1:])),
                blob,
                *(views.get(kind) for kind in VIEW_KINDS),
            )
            for path, (key, blob, warning, rendered, views) in self.pending.items()
        ]
        updates = self.pending_views
        self.pending = {}
        self.pending_views = []
        # A cache that cannot be written is just slower. A database that is not one (a
        # crash, a stray file) is started afresh, once; a locked one is never touched.
        try:
            self._write(rows, updates)
        except sqlite3.Error as error:
            self._note_locked(error)
            if getattr(error, "sqlite_errorname", None) in _DAMAGED and self._start_afresh():
                with contextlib.suppress(OSError, sqlite3.Error, CacheUnavailable):
                    self._write(rows, [])
        except (OSError, CacheUnavailable):
            pass

    def _note_locked(self, error: sqlite3.Error) -> None:
        """A database still locked after LOCK_TIMEOUT: go on without it (never wait twice)."""
        if getattr(error, "sqlite_errorname", None) in _LOCKED or "locked" in str(error):
            self.unavailable = True
            self.close()

    def close(self) -> None:
        """Close this process's connection (the next read or save opens it again).

        Call it when done: a connection's file descriptors are not closed until it is,
        and one left open across a fork must never be closed by the child."""
        if self._db is not None and self._db_pid == os.getpid():
            self._db.close()
        self._db = None

    def _write(self, rows: list[tuple[Any, ...]], updates: list[tuple[str, bytes, bytes]]) -> None:
        self.make_ready()
        db = self._connection(create=True)
        if db is None:
            return  # the folder is not planner's: nothing is written there
        db.execute("BEGIN IMMEDIATE")
        try:
            columns = ", ".join(VIEW_KINDS)
            if rows:
                db.executemany(f"INSERT OR REPLACE INTO entries (path, head, tasks, body, {columns}) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
            for kind in VIEW_KINDS:  # a contribution carries the key it is for: a stale one is never read
                values = [(blob, path) for column, blob, path in updates if column == kind]
                if values:
                    db.executemany(f"UPDATE entries SET {kind} = ? WHERE path = ?", values)
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def _start_afresh(self) -> bool:
        """Delete a damaged database, only in a folder planner made; whether it did."""
        self.close()
        if not is_planners(self._folder):
            return False
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                os.unlink(self._database + suffix)
        return True

    def make_ready(self) -> None:
        """Make the version folder (again, if it was deleted) with its tag; on the first
        call, also remove other versions (once per cache object, a load: it lists the
        whole folder)."""
        if not self._tidied:
            self._tidied = True
            self._remove_other_versions()
        self.base.mkdir(parents=True, exist_ok=True)
        try:
            self.folder.mkdir()
        except FileExistsError:
            return  # made before (by this process or another), or not planner's: see is_planners
        # Only the process that made the folder tags it: an existing folder without a
        # tag is never adopted. (Exclusive create: two makers cannot both write it.)
        with contextlib.suppress(FileExistsError):
            fd = os.open(os.path.join(self._folder, TAG_NAME), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            try:
                os.write(fd, tag_text(self.folder.name))
            finally:
                os.close(fd)

    def _remove_other_versions(self) -> None:
        """Entries of older planner versions can never match again. Only tagged folders
        are removed, and only the files planner puts in them: anything else there (a
        user's file) keeps the folder, and nothing is ever followed through a link."""
        try:
            with os.scandir(self.base) as entries:
                candidates = [e.path for e in entries if e.name.startswith("v") and e.path != self._folder]
        except OSError:
            return
        for old in candidates:
            if not is_planners(old):
                continue
            for name in _OWN_FILES:  # the tag last: a folder half cleaned stays recognisable
                with contextlib.suppress(OSError):
                    os.unlink(os.path.join(old, name))
            with contextlib.suppress(OSError):
                os.rmdir(old)  # only when empty
