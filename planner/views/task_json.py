"""``planner tasks --json`` as stored text: each task's JSON object, rendered once.

A document's task objects (as :func:`planner.views.tasks.task_objects` defines them, the
one definition of a task's JSON) are encoded when the document is parsed, with an empty
``"file"`` (by :func:`planner.views.tasks.render_task_json`, which writes that same text
without building the objects), and kept in the document cache beside it. A warm ``planner tasks --json``
then writes that text with the file name spliced in: no documents are rebuilt and no
task is encoded again. This module is what that warm path needs, so it imports no
model (and no pydantic).

Stored objects are UTF-8 bytes, written to a UTF-8 stdout as they are. A document whose
text holds bytes that were not UTF-8 (decoded as lone surrogates) keeps ``str`` objects
instead, which go through stdout's own encoding and error handler, as any text does.
"""

from __future__ import annotations

import json
from itertools import compress
from json.encoder import encode_basestring
from typing import NamedTuple

# The one encoder for `--json` output to a pipe: compact, and UTF-8 kept as it is.
encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
# How that encoder writes a string: with ensure_ascii=False it takes encode_basestring.
encode_string = encode_basestring

# Every task object starts with its file; stored objects have it empty and lose this head.
FILE_HEAD = '{"file":"",'


class TaskJson(NamedTuple):
    """One document in ``planner tasks --json``, without its file name."""

    kind: str  # the document's kind: a file of kind "none" is kept only when named
    tails: tuple[bytes, ...] | tuple[str, ...]  # each task's JSON object after ``{"file":"",``
    open: bytes  # one byte per task, 1 when it is not done (what ``--open`` keeps)


def task_json_chunk(stored: TaskJson, file: str, only_open: bool = False) -> bytes | str:
    """The document's task objects, comma-separated, with ``"file": file``: UTF-8 bytes,
    or ``str`` when the text cannot be UTF-8 (see the module's docstring)."""
    tails = list(compress(stored.tails, stored.open)) if only_open else stored.tails
    if not tails:
        return b""
    head = '{"file":' + encode(file) + ","
    if isinstance(tails[0], bytes):
        try:
            raw = head.encode("utf-8")
        except UnicodeEncodeError:  # a file name that is not UTF-8: text it is
            tails = [tail.decode("utf-8") for tail in tails]
        else:
            return raw + (b"," + raw).join(tails)
    return head + ("," + head).join(tails)
