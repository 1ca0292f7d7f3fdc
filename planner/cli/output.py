"""Machine-readable output (schema planner/1) and the shared JSON envelope."""

from __future__ import annotations

import codecs
import json
import sys
from collections.abc import Iterable
from typing import Any

SCHEMA = "planner/1"


def emit_json(payload: dict[str, Any]) -> None:
    """One JSON object: indented for a person at a terminal, compact (C encoder, fast) for a pipe."""
    document = {"schema": SCHEMA, **payload}
    if sys.stdout.isatty():
        text = json.dumps(document, ensure_ascii=False, indent=2)
    else:
        text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    sys.stdout.write(text)
    sys.stdout.write("\n")


def emit_json_stream(payload: dict[str, Any], key: str, chunks: Iterable[bytes | str]) -> None:
    """Like :func:`emit_json` for a pipe, with ``key`` holding a long list written chunk by
    chunk. Each chunk is compact JSON items separated by commas (or empty): ``bytes`` in
    UTF-8, or ``str``. The bytes on stdout are those the text would give written as
    text; UTF-8 chunks skip the decode and re-encode when stdout encodes UTF-8."""
    head = json.dumps({"schema": SCHEMA, **payload}, ensure_ascii=False, separators=(",", ":"))
    stream = sys.stdout
    buffer = getattr(stream, "buffer", None)
    encoding = getattr(stream, "encoding", None)
    if buffer is None or not encoding or codecs.lookup(encoding).name != "utf-8":
        write_text = stream.write

        def write(piece: bytes | str) -> None:
            write_text(piece.decode("utf-8") if isinstance(piece, bytes) else piece)

    else:
        stream.flush()  # what was written as text goes first
        write_bytes = buffer.write
        errors = stream.errors or "strict"

        def write(piece: bytes | str) -> None:
            # Text is encoded as the text layer would (POSIX: no newline translation).
            write_bytes(piece if isinstance(piece, bytes) else piece.encode("utf-8", errors))

    write(head[:-1] + f',"{key}":[')
    first = True
    for chunk in chunks:
        if not chunk:
            continue
        if not first:
            write(b",")
        write(chunk)
        first = False
    write("]}\n")
