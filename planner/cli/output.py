"""Machine-readable output (schema planner/1) and the shared JSON envelope."""

from __future__ import annotations

import json
import sys
from typing import Any

SCHEMA = "planner/1"


def emit_json(payload: dict[str, Any]) -> None:
    document = {"schema": SCHEMA, **payload}
    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
    sys.stdout.write("\n")
