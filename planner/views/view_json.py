"""The JSON objects of the planning views (``planner queues|focus|options --json``, PRODUCT.md).

One definition each, used both to print a view and, for the queues, to render each
document's items once when it is parsed: the cache keeps that text beside the document
(:mod:`planner.views.contrib`), and a warm ``planner queues --json`` to a pipe writes it
with the file name spliced in, building no record (as ``planner tasks --json`` does).
Model-free: estimates are read through their ``label()``, ``low`` and ``high``.
"""

from __future__ import annotations

from typing import Any

from planner.views.task_json import encode

# Every queue item object has its file second; stored text is split around it.
_FILE = ',"file":""'


def estimate_json(estimate: Any) -> str | None:
    return estimate.label() if estimate is not None else None


def hours_json(estimate: Any) -> list[float] | None:
    return [round(estimate.low, 2), round(estimate.high, 2)] if estimate is not None else None


def queue_item_object(item: Any, file: str) -> dict[str, Any]:
    return {
        "title": item.title,
        "file": file,
        "line": item.line,
        "state": item.state,
        "progress": list(item.progress) if item.progress else None,
        "priority": item.priority,
        "kind": item.kind,
        "status": item.status,
        "effort": estimate_json(item.effort),
        "effort_hours": hours_json(item.effort),
        "effort_text": item.effort_text,
        "owner": item.owner,
        "lane": item.lane,
        "section": list(item.path),
        "status_type": item.status_type,
        "due": item.due,
        "dependencies": item.dependencies,
    }


def queue_item_text(item: Any) -> tuple[str, str]:
    """The item's compact JSON object as the text before and after its file's JSON string:
    ``before + encode(file) + after``. (The title before it is a JSON string, in which no
    unescaped quote can stand: the first ``,"file":""`` is the key's.)"""
    text = encode(queue_item_object(item, ""))
    at = text.index(_FILE)
    return text[: at + len(_FILE) - 2], text[at + len(_FILE) :]
