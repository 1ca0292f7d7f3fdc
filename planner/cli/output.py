"""Machine-readable output (schema planner/1) and the shared JSON envelope."""

from __future__ import annotations

import codecs
import json
import re
import sys
from collections.abc import Callable, Iterable
from typing import Any

from planner.safe_text import is_terminal_safe, terminal_safe

SCHEMA = "planner/1"
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
# Lone surrogates: how Python holds bytes that were not UTF-8 (surrogateescape: byte 0xXY
# is U+DCXY), in file names and in a task's raw text. JSON gets them as \udcXY escapes.
_SURROGATE = re.compile("[\ud800-\udfff]")
# What JSON leaves raw but a terminal obeys or reorders: C1 and bidi controls, line
# separators, lone surrogates. Written as \u escapes on a terminal: the same JSON value.
_JSON_TERMINAL = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\udc80-\udcff]")
CLEAR_LINE = "\r\033[K"  # the one control sequence planner itself writes to stderr


class SafeStream:
    """A text stream (stdout or stderr) that shows every control character it is given
    (:func:`planner.safe_text.terminal_safe`, newlines kept): the choke point for plain
    ``print`` and ``sys.stderr.write`` output, so a file's name or text in a message can
    never drive the terminal. Planner's own progress line is let through: a carriage return
    opening a write, and :data:`CLEAR_LINE` written on its own."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        if text == CLEAR_LINE:
            return self.stream.write(text)
        head = "\r" if text.startswith("\r") else ""
        return self.stream.write(head + terminal_safe(text[len(head) :], lines=True))

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:  # flush, isatty, fileno, encoding, buffer…
        return getattr(self.stream, name)


def raw_stream(stream: Any) -> Any:
    """The stream under a :class:`SafeStream` (rich writes its own styles; it makes text safe itself)."""
    return stream.stream if isinstance(stream, SafeStream) else stream


def prepare_stderr() -> None:
    """Route ``sys.stderr`` through :class:`SafeStream` (warnings name files)."""
    if not isinstance(sys.stderr, SafeStream) and sys.stderr is not None:
        sys.stderr = SafeStream(sys.stderr)


def prepare_stdout() -> None:
    """Make stdout write any text planner prints, so that no file's content can crash it.

    A file's bytes that are not UTF-8 are held as lone surrogates (``surrogateescape``).
    Under a UTF-8 locale stdout refuses them (its error handler is "strict", except in the
    C locale): they are written back as the bytes they were, as the C locale does. Another
    encoding (latin-1, ASCII) writes "?" for what it cannot show; JSON is escaped to ASCII
    there (see :func:`ascii_json`), so it stays exact.

    Plain text for a terminal (stdout at a terminal, stderr always) goes through
    :class:`SafeStream`.
    """
    prepare_stderr()
    stream = raw_stream(sys.stdout)
    if getattr(stream, "errors", None) == "strict" and hasattr(stream, "reconfigure"):
        stream.reconfigure(errors="replace" if stdout_needs_ascii() else "surrogateescape")
    if stream.isatty() and not isinstance(sys.stdout, SafeStream):
        sys.stdout = SafeStream(stream)


def stdout_needs_ascii() -> bool:
    """Whether stdout encodes text in something other than UTF-8 (a text stream
    without an encoding, such as StringIO, holds any text)."""
    encoding = getattr(sys.stdout, "encoding", None)
    return bool(encoding) and codecs.lookup(encoding).name != "utf-8"


def ascii_json(text: str) -> str:
    """``text`` (JSON) with every non-ASCII character as its ``\\u`` escape, as
    ``ensure_ascii`` writes it: valid JSON with the same value, for any stdout encoding."""
    return _NON_ASCII.sub(lambda match: json.dumps(match.group())[1:-1], text)


def escape_surrogates(text: str) -> str:
    """``text`` (JSON) with each lone surrogate as its ``\\u`` escape (``\\udce9`` for the
    byte 0xE9), as ``ensure_ascii`` writes it: the output is valid UTF-8 whatever the
    names and bytes, and reversible (a JSON reader gives U+DCE9, which Python's
    ``surrogateescape`` turns back into the byte). Surrogates only occur inside JSON
    strings, so escaping them keeps the JSON valid."""
    if _SURROGATE.search(text) is None:
        return text
    return _SURROGATE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def emit_json(payload: dict[str, Any]) -> None:
    """One JSON object: indented for a person at a terminal, compact (C encoder, fast) for a pipe."""
    document = {"schema": SCHEMA, **payload}
    escape = stdout_needs_ascii()  # every stdout encoding can write ASCII
    if sys.stdout.isatty():
        text = json.dumps(document, ensure_ascii=escape, indent=2)
        if not is_terminal_safe(text, lines=True):
            text = _JSON_TERMINAL.sub(lambda match: f"\\u{ord(match.group()):04x}", text)
    else:
        text = json.dumps(document, ensure_ascii=escape, separators=(",", ":"))
    sys.stdout.write(escape_surrogates(text))
    sys.stdout.write("\n")


def emit_json_stream(payload: dict[str, Any], key: str, chunks: Iterable[bytes | str]) -> None:
    """Like :func:`emit_json` for a pipe, with ``key`` holding a long list written chunk by
    chunk. Each chunk is compact JSON items separated by commas (or empty): ``bytes`` in
    UTF-8, or ``str``. The bytes on stdout are those the text would give written as
    text; UTF-8 chunks skip the decode and re-encode when stdout encodes UTF-8."""
    head = escape_surrogates(json.dumps({"schema": SCHEMA, **payload}, ensure_ascii=False, separators=(",", ":")))
    write = json_writer()
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


def json_writer() -> Callable[[bytes | str], None]:
    """A function writing compact JSON text to stdout piece by piece, each piece whole JSON
    (items, or the punctuation between them): ``bytes`` in UTF-8, or ``str``. It writes
    what :func:`emit_json` would for the same text: lone surrogates as ``\\u`` escapes,
    every non-ASCII character escaped where stdout cannot encode UTF-8."""
    stream = sys.stdout
    buffer = getattr(stream, "buffer", None)
    encoding = getattr(stream, "encoding", None)
    needs_ascii = stdout_needs_ascii()
    if buffer is None or not encoding or needs_ascii:
        write_text = stream.write
        escape = ascii_json if needs_ascii else escape_surrogates

        def write(piece: bytes | str) -> None:
            # Pieces hold whole JSON items: escaping their non-ASCII characters keeps them valid.
            write_text(escape(piece.decode("utf-8") if isinstance(piece, bytes) else piece))

        return write
    stream.flush()  # what was written as text goes first
    write_bytes = buffer.write

    def write_encoded(piece: bytes | str) -> None:
        # Text is encoded as the text layer would (POSIX: no newline translation). UTF-8 can
        # encode every character but a lone surrogate, which "backslashreplace" writes as the
        # same \udcXX escape as escape_surrogates, in C. Bytes pieces are UTF-8 already.
        write_bytes(piece if isinstance(piece, bytes) else piece.encode("utf-8", "backslashreplace"))

    return write_encoded
