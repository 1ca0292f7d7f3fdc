"""What the last tick or untick of a line replaced, so that toggling twice gives back the bytes.

Unticking ``### Login ✅ COMPLETE`` writes the document's open form (or drops the
marker), and ticking ``[X]`` back has only the file's convention to go by: neither
can know the exact marker or letter the line had. The journal remembers, per file,
the line as a toggle left it and the line as it was before; the next toggle of a line
that still reads exactly so puts the earlier bytes back — in this process or the next.

It is a memory of planner's own edits, never a source of truth: an entry applies only
to identical line bytes, the result is checked like any edit, and a missing, locked or
damaged journal just means the document's convention is used. It lives in planner's
state folder (``$PLANNER_STATE_DIR``, else the platform's user state folder), in a file
planner creates and is the only one to delete from.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
from functools import lru_cache
from pathlib import Path

FILE_NAME = "toggles.sqlite3"
KEEP_SECONDS = 90 * 24 * 3600
KEEP_ROWS = 5000
PRUNE_EVERY = 64  # inserts (each makes a new rowid, one more than the last)
_TIMEOUT = 0.25  # seconds: a busy journal is skipped, never waited for


def state_folder() -> Path:
    return _state_folder(os.environ.get("PLANNER_STATE_DIR") or None)


@lru_cache(maxsize=4)
def _state_folder(override: str | None) -> Path:
    if override:
        return Path(override)
    from platformdirs import user_state_dir  # noqa: PLC0415

    return Path(user_state_dir("planner", appauthor=False))


# The main thread's connection, kept for the process (a TUI session ticks on it): opening the
# database, and closing it, cost more than the record. Other threads open their own per call
# and never touch this.
_held: dict[tuple[int, str], tuple[sqlite3.Connection, int, int]] = {}  # (pid, file) → (db, dev, inode)
_inherited: list[sqlite3.Connection] = []  # never used nor closed in this process


def _connect(create: bool, afresh: bool = False) -> sqlite3.Connection | None:
    try:
        folder = state_folder()
        file = folder / FILE_NAME
        try:
            info: os.stat_result | None = os.stat(file)
        except FileNotFoundError:
            info = None
        if info is None and not create:
            return None  # nothing remembered yet: no database to open
        kept = threading.current_thread() is threading.main_thread()
        key = (os.getpid(), str(file))
        if kept:
            held = _held.pop(key, None)
            if held is not None and info is not None and (held[1], held[2]) == (info.st_dev, info.st_ino):
                _held[key] = held
                return held[0]
            if held is not None:
                held[0].close()  # the file was replaced or removed: never write to the old one
            for (pid, _), other in _held.items():  # another state folder's: one is kept at most
                if pid == os.getpid():
                    other[0].close()
                else:  # a parent process's, forked: closing it here could undo the parent's state
                    _inherited.append(other[0])
            _held.clear()
        folder.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(file, timeout=_TIMEOUT, isolation_level=None)
        try:
            if kept:
                # A rollback journal (no -wal/-shm files held open: those would break another
                # process that recreates a removed database, and fail on network file systems),
                # left to the OS to sync: a record survives a kill, and a power cut may lose the
                # last ones or damage the database — a damaged one is made afresh (below). A
                # toggle back then uses the document's convention, as with no journal.
                with contextlib.suppress(sqlite3.OperationalError):  # another process's in use
                    db.execute("PRAGMA journal_mode=DELETE")
                db.execute("PRAGMA synchronous=OFF")
            db.execute(
                "CREATE TABLE IF NOT EXISTS toggles (path TEXT, line INTEGER, after BLOB, before BLOB, at REAL,"
                " PRIMARY KEY (path, line, after))"
            )
        except sqlite3.OperationalError:  # busy, read-only, disk full: no journal this time
            db.close()
            raise
        except sqlite3.DatabaseError:  # not a database (any more): put aside, never deleted, and made afresh
            db.close()
            if not create or afresh:
                return None
            file.rename(file.with_name(f"{FILE_NAME}.damaged-{time.time_ns()}-{os.getpid()}"))
            return _connect(create, afresh=True)
        if kept:
            info = os.stat(file)
            _held[key] = (db, info.st_dev, info.st_ino)
        return db
    except (OSError, sqlite3.Error):
        return None


@contextlib.contextmanager
def _using(db: sqlite3.Connection):  # noqa: ANN202
    """Errors pass quietly (the journal is only a memory); a connection not kept is closed."""
    try:
        with contextlib.suppress(sqlite3.Error):
            yield db
    finally:
        if threading.current_thread() is not threading.main_thread():
            db.close()  # only the main thread's is kept (_held is that thread's alone)


def remember(path: str, line: int, after: bytes, before: bytes) -> None:
    """Record that a toggle turns ``before`` into ``after`` on ``line`` of ``path``. Made before the
    write lands (so a kill in between leaves a record, never a write without one); the record of
    the toggle this one reverses stays: it is still the way back from that line."""
    db = _connect(create=True)
    if db is None:
        return
    with _using(db):
        now = time.time()
        row = db.execute("INSERT OR REPLACE INTO toggles VALUES (?, ?, ?, ?, ?)", (path, line, after, before, now)).lastrowid
        if (row or 0) % PRUNE_EVERY == 0:  # the oldest records go now and then, not on every tick
            db.execute(
                "DELETE FROM toggles WHERE at < ? OR rowid NOT IN (SELECT rowid FROM toggles ORDER BY at DESC LIMIT ?)",
                (now - KEEP_SECONDS, KEEP_ROWS),
            )


def recall(path: str, line: int, current: bytes) -> bytes | None:
    """The bytes ``line`` of ``path`` had before the toggle that left it reading ``current``."""
    db = _connect(create=False)
    if db is None:
        return None
    with _using(db):
        rows = db.execute("SELECT line, before FROM toggles WHERE path = ? AND after = ?", (path, current)).fetchall()
        same_line = [before for number, before in rows if number == line]
        if same_line:
            return same_line[0]
        if len(rows) == 1:  # the line moved (lines added above it) but is still one of a kind
            return rows[0][1]
    return None
