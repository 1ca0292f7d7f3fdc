"""Machine-readable output (schema planner/1) and the shared JSON envelope."""

from __future__ import annotations

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


def emit_json_stream(payload: dict[str, Any], key: str, batches: Iterable[list[Any]]) -> None:
    """Like :func:`emit_json`, with ``key`` holding a long list written batch by batch
    (100,000 tasks never sit in memory as dicts at once)."""
    head = json.dumps({"schema": SCHEMA, **payload}, ensure_ascii=False, separators=(",", ":"))
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    write = sys.stdout.write
    write(head[:-1] + f',"{key}":[')
    first = True
    for batch in batches:
        if not batch:
            continue
        if not first:
            write(",")
        write(encode(batch)[1:-1])  # one C-encoder call per batch, brackets dropped
        first = False
    write("]}\n")
