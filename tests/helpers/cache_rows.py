"""Reading and editing the document cache's database directly, as damage would."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def databases(cache_dir: Path) -> list[Path]:
    return sorted(cache_dir.glob("v*/entries.sqlite3"))


@contextmanager
def connected(database: Path) -> Iterator[sqlite3.Connection]:
    """A connection, committed and closed after: ``with sqlite3.connect(...)`` only commits,
    and one connection per damaged row left open runs a test session out of file descriptors."""
    db = sqlite3.connect(database)
    try:
        with db:
            yield db
    finally:
        db.close()


def rows(cache_dir: Path) -> dict[str, tuple[object, object, object]]:
    """Every entry of every cache version: path → (head, task JSON, body)."""
    found: dict[str, tuple[object, object, object]] = {}
    for database in databases(cache_dir):
        with connected(database) as db:
            for path, head, tasks, body in db.execute("SELECT path, head, tasks, body FROM entries"):
                found[path.decode("utf-8", "surrogateescape")] = (head, tasks, body)
    return found


def set_row(cache_dir: Path, path: str, head: object, tasks: object, body: object) -> None:
    """Overwrite one entry's head, task JSON and body (any SQLite value: damage need not be bytes)."""
    (database,) = databases(cache_dir)
    with connected(database) as db:
        db.execute(
            "UPDATE entries SET head = ?, tasks = ?, body = ? WHERE path = ?",
            (head, tasks, body, path.encode("utf-8", "surrogateescape")),
        )


def delete_rows(cache_dir: Path) -> None:
    for database in databases(cache_dir):
        with connected(database) as db:
            db.execute("DELETE FROM entries")
