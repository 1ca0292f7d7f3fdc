"""Mojibake: UTF-8 text that was once read as cp1252 or Mac Roman and saved again.

Real planning files carry it (``âœ…`` is ``✅``, ``‚è∏Ô∏è`` is ``⏸️``, ``ðŸ”´`` is
``🔴``). Two kinds of byte loss happen on the way and are undone here:

* cp1252 has five undefined bytes (0x81 0x8D 0x8F 0x90 0x9D); editors either keep
  them as C1 control characters or drop them (``â³`` is ``⏳`` minus 0x8F).
* Mac Roman maps 0xF0 to the Apple logo (U+F8FF), which is usually dropped, so
  4-byte emoji lose their lead byte (``üö®`` is ``🚨`` minus 0xF0).

The bytes on disk are never changed by this module: it only repairs text for
display and generates the mangled spellings of known markers so they can be
found (and replaced in the same spelling) in the raw text.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Bytes cp1252 leaves undefined; a "sloppy" decoder keeps them as C1 controls.
_CP1252_UNDEFINED = (0x81, 0x8D, 0x8F, 0x90, 0x9D)
_MAC_ROMAN_LOST_LEAD = 0xF0

ENCODINGS = ("cp1252", "mac_roman")

# A run of characters that could be mojibake: anything outside ASCII.
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")


def _encode_cp1252_sloppy(text: str) -> bytes | None:
    out = bytearray()
    for ch in text:
        code = ord(ch)
        if code in _CP1252_UNDEFINED:
            out.append(code)
            continue
        try:
            out += ch.encode("cp1252")
        except UnicodeEncodeError:
            return None
    return bytes(out)


def _encode(text: str, encoding: str) -> bytes | None:
    if encoding == "cp1252":
        return _encode_cp1252_sloppy(text)
    try:
        return text.encode(encoding)
    except UnicodeEncodeError:
        return None


def _decode_utf8_restoring_lost_bytes(data: bytes, encoding: str) -> str | None:
    """Decode ``data`` as UTF-8, re-inserting a byte the mangling is known to lose.

    Returns None when the bytes cannot be (made) valid UTF-8 with a few insertions.
    """
    candidates = _CP1252_UNDEFINED if encoding == "cp1252" else (_MAC_ROMAN_LOST_LEAD,)
    for _ in range(4):
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as err:
            repaired = _insert_one_lost_byte(data, err.start, candidates)
            if repaired is None:
                return None
            data = repaired
    return None


def _insert_one_lost_byte(data: bytes, start: int, candidates: tuple[int, ...]) -> bytes | None:
    """The best insertion of one lost byte at or just after ``start``.

    Several insertions can make valid UTF-8 (``â³`` could be U+2073 or ⏳); lost
    bytes come from symbols and emoji, so assigned symbol characters win.
    """
    best: tuple[int, bytes] | None = None
    for position in range(start, min(start + 3, len(data)) + 1):
        for byte in candidates:
            trial = data[:position] + bytes((byte,)) + data[position:]
            try:
                decoded = trial[start : start + 5].decode("utf-8", errors="ignore")
                trial.decode("utf-8")
            except UnicodeDecodeError as again:
                if again.start <= start:
                    continue
            score = sum(_symbol_score(ch) for ch in decoded[:1])
            if best is None or score > best[0]:
                best = (score, trial)
    return None if best is None or best[0] < 1 else best[1]


# Where the emoji that planning files use live: ⏩–⏺, misc symbols and dingbats
# (✅ ❌ ⚠), arrows and squares (⬜ ⭐), the emoji planes, and the emoji selector.
_EMOJI_RANGES = ((0x23E9, 0x23FA), (0x2600, 0x27BF), (0x2B00, 0x2BFF), (0x1F000, 0x1FAFF), (0xFE0F, 0xFE0F))


def _symbol_score(ch: str) -> int:
    code = ord(ch)
    if any(low <= code <= high for low, high in _EMOJI_RANGES):
        return 3
    category = unicodedata.category(ch)
    if category in ("Cn", "Co", "Cc", "Cs"):
        return -1
    return 1 if category == "So" else 0


@lru_cache(maxsize=16384)  # the same emoji and symbols recur in every file: each run is tried once
def _repair_run(run: str) -> str:
    for encoding in ENCODINGS:
        data = _encode(run, encoding)
        if data is None or data.isascii():
            continue
        fixed = _decode_utf8_restoring_lost_bytes(data, encoding)
        if fixed is not None and fixed != run and len(fixed) < len(run):
            return fixed
    return run


# Bytes of a file that were not UTF-8, held in its text as lone surrogates ("surrogateescape").
_UNDECODED = re.compile("[\udc80-\udcff]")


@lru_cache(maxsize=65536)
def repair(text: str) -> str:
    """Text as its author wrote it, for display: mangled runs decoded back, bytes that were
    not UTF-8 shown as U+FFFD (as a UTF-8 terminal shows them: a lone surrogate is no
    character, a strict stdout refuses it and a screen draws it as ``\\udce9``), everything
    else kept."""
    if text.isascii():
        return text
    if _UNDECODED.search(text):
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return _NON_ASCII_RUN.sub(lambda m: _repair_run(m.group()), text)


@lru_cache(maxsize=512)
def spellings(text: str) -> dict[str, str]:
    """Every spelling of ``text`` a file may hold, keyed by the spelling, valued by its encoding name.

    ``"utf-8"`` is the clean spelling. Mangled spellings include the lossy forms
    (cp1252 with undefined bytes kept or dropped, Mac Roman with 0xF0 dropped).
    """
    found: dict[str, str] = {text: "utf-8"}
    raw = text.encode("utf-8")
    # cp1252: undefined bytes either survive as C1 controls or vanish.
    kept = "".join(
        chr(b) if b in _CP1252_UNDEFINED else bytes((b,)).decode("cp1252") for b in raw
    )
    dropped = "".join(
        "" if b in _CP1252_UNDEFINED else bytes((b,)).decode("cp1252") for b in raw
    )
    found.setdefault(kept, "cp1252")
    found.setdefault(dropped, "cp1252")
    mac = raw.decode("mac_roman")
    found.setdefault(mac, "mac_roman")
    found.setdefault(mac.replace("\uf8ff", ""), "mac_roman")
    return found


def spell(text: str, encoding: str) -> str:
    """``text`` written the way a file mangled with ``encoding`` writes it (lossy form)."""
    if encoding == "utf-8":
        return text
    raw = text.encode("utf-8")
    if encoding == "cp1252":
        return "".join(
            "" if b in _CP1252_UNDEFINED else bytes((b,)).decode("cp1252") for b in raw
        )
    return raw.decode("mac_roman").replace("\uf8ff", "")
