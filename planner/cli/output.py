"""Machine-readable output (schema planner/1) and the shared JSON envelope."""

from __future__ import annotations

import json
import sys
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
