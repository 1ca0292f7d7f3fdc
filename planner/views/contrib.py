"""Each document's contribution to the planning views, as plain tuples for the document cache.

A view over many documents is a combination of what each gives it: its queue items
(:func:`planner.views.queues.document_items`), its decisions
(:func:`planner.views.options.document_decisions`), its part of the daily focus
(:func:`planner.views.focus.focus_part`). Those are pure functions of the document (and of
the repository's words, :mod:`planner.model.vocabulary`), never of the day, so they are
computed when a file is parsed and cached with it (by the workspace's document cache, keyed by
its stat like its task JSON). A warm ``planner focus|queues|options`` decodes them
(:func:`decode`, model-free: :mod:`planner.views.records`) and combines them across documents
(:func:`combine`) without rebuilding a document.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from planner.model.document import Document

KINDS = ("focus", "queues", "options")


def contribution(kind: str, document: Document, full: bool = False) -> tuple[Any, ...]:
    """What ``document`` gives the ``kind`` view, as marshal-able tuples. A focus part holds its
    focus as the day's plan only with ``full`` (:data:`planner.views.focus_parts.NOT_COMPUTED`)."""
    if kind == "queues":
        from planner.views.queues import document_items  # noqa: PLC0415 - the views only where computed
        from planner.views.records import encode_item  # noqa: PLC0415

        import marshal  # noqa: PLC0415

        from planner.views.view_json import queue_item_text  # noqa: PLC0415

        items = document_items(document)
        # The records, and apart from them each item's JSON text (priority, open, text around its
        # file): each is decoded only by what needs it (:func:`decode`, :func:`queue_texts`).
        texts = tuple((i.priority, i.is_open, *queue_item_text(i)) for i in items)
        return (marshal.dumps(tuple(map(encode_item, items))), marshal.dumps(texts))
    if kind == "options":
        from planner.views.options import document_decisions  # noqa: PLC0415
        from planner.views.records import encode_decision  # noqa: PLC0415

        return tuple(map(encode_decision, document_decisions(document)))
    if kind == "focus":
        from planner.views.focus import focus_part  # noqa: PLC0415
        from planner.views.focus_parts import encode_part  # noqa: PLC0415

        return encode_part(focus_part(document), eager=full)
    raise ValueError(f"no view {kind!r}")


def decode(kind: str, row: tuple[Any, ...], path: str, rebuild: Callable[[str], tuple[Any, ...]] | None = None) -> Any:
    """A stored contribution as the view's records, the document stood in for by its path:
    a list of queue items, a list of decisions, or a focus part. ``rebuild(path)`` gives a
    focus part computed in full from the document, for a part stored without its focus as the
    day's plan, should it be chosen."""
    from planner.views.records import Ref  # noqa: PLC0415

    ref = Ref(path)
    if kind == "queues":
        from planner.views.records import decode_item  # noqa: PLC0415

        import marshal  # noqa: PLC0415

        return [decode_item(item, ref) for item in marshal.loads(row[0])]
    if kind == "options":
        from planner.views.records import decode_decision  # noqa: PLC0415

        return [decode_decision(decision, ref) for decision in row]
    from planner.views.focus_parts import decode_part  # noqa: PLC0415
    from planner.views.records import decode_entry, decode_focus  # noqa: PLC0415

    if rebuild is None:
        return decode_part(row, ref)
    made: list[tuple[Any, ...]] = []  # (functools.cache costs more than a thousand parts' decoding)

    def rebuilt() -> tuple[Any, ...]:  # once, for its daily focus and its first work alike
        assert rebuild is not None
        if not made:
            made.append(rebuild(path))
        return made[0]

    def first_work() -> list[Any]:
        try:
            entries = rebuilt()[9]
        except Exception:  # noqa: BLE001 - gone or changed since the load: it gives nothing now
            return []
        return [decode_entry(entry, ref) for entry in entries] if entries else []

    def daily() -> Any:
        try:
            full = rebuilt()[4]
        except Exception as err:  # noqa: BLE001 - the file went away or stopped reading since the load
            full, why = None, str(err)
        else:
            why = "it can no longer be a day's plan"
        if not full:  # changed since the load: say so rather than show another version of it
            from planner.views.records import Focus  # noqa: PLC0415

            return Focus(None, f"{path} changed while focus was loading ({why}): run it again",
                         [], None, None, [], [], None, source="none")  # fmt: skip
        return decode_focus(full, ref)

    return decode_part(row, ref, daily, first_work)


def combine_queues(per_document: list[list[Any]]) -> dict[str, list[Any]]:
    """``{"P0": [...], …}`` from each document's items, in document order (as
    :func:`planner.views.queues.priority_queues`)."""
    from planner.views.focus_parts import PRIORITIES  # noqa: PLC0415

    queues: dict[str, list[Any]] = {level: [] for level in PRIORITIES}
    for items in per_document:
        for item in items:
            queues[item.priority].append(item)
    return queues


def queue_texts(row: tuple[Any, ...]) -> tuple[tuple[str, bool, str, str], ...]:
    """A stored queues contribution's items as JSON text: ``(priority, open, before, after)``,
    the object being ``before + encode(file) + after`` (:func:`planner.views.view_json.queue_item_text`)."""
    import marshal  # noqa: PLC0415

    return marshal.loads(row[1])  # type: ignore[no-any-return]
