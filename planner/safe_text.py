"""Text made safe to put on a terminal (:func:`terminal_safe`), imported by every output
channel (the warm ``planner tasks --json`` path imports no model, hence not in planner.model).

Text from a file or a file name may hold what a terminal obeys — ESC starting OSC 52 (clipboard), OSC 0 (title), CSI (``ESC [2J``), DCS or
OSC 8 (links), the 8-bit C1 CSI U+009B, and bidi controls that reorder what is read. One
scheme, everywhere planner prints to a terminal, one character for one character (so a
styled span keeps its place):

- C0 controls (U+0000–U+001F) except tab become their Unicode Control Picture: ESC is
  ``␛`` (U+241B), BEL ``␇``, CR ``␍``, LF ``␊`` (kept as a line break where the text is
  multi-line: the detail pane, a multi-line message); DEL becomes ``␡`` (U+2421);
- C1 controls (U+0080–U+009F), the bidi controls (U+061C, U+200E, U+200F, U+202A–U+202E,
  U+2066–U+2069), the line and paragraph separators (U+2028, U+2029) and lone surrogates
  (bytes that were not UTF-8) become ``�`` (U+FFFD).

``--json`` never goes through this: it carries the exact text, JSON-escaped.

On screen (the TUI), :func:`screen_text` also makes every character's width one that all
terminals agree on, still one character for one: a narrow character followed by the emoji
variation selector U+FE0F (``⚠️``, ``❤️``, ``✔️``) is drawn 2 cells wide by terminals that
honour the selector (kitty, WezTerm, iTerm2, VTE) and 1 cell by those that do not (tmux 3.3,
xterm), while Rich counts 2; the selector becomes a space, so the character is drawn as text
and takes 2 cells everywhere, and the columns after it stay where Rich put them. A wide
character (``⭐️``, ``✅``) keeps its selector: 2 cells everywhere already.
"""

from __future__ import annotations

import re
import unicodedata

REPLACEMENT = 0xFFFD
_BIDI = (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x2028, 0x2029)
_SAFE: dict[int, int] = {code: 0x2400 + code for code in range(0x20) if code != 0x09}
_SAFE[0x7F] = 0x2421
_SAFE.update(dict.fromkeys(range(0x80, 0xA0), REPLACEMENT))
_SAFE.update(dict.fromkeys(_BIDI, REPLACEMENT))
_SAFE.update(dict.fromkeys(range(0xDC80, 0xDD00), REPLACEMENT))  # surrogateescape'd bytes
_SAFE_LINES = {code: value for code, value in _SAFE.items() if code != 0x0A}
_UNSAFE = frozenset(map(chr, _SAFE))


def terminal_safe(text: str, *, lines: bool = False) -> str:
    """``text`` with nothing a terminal would obey (see the module's docstring); newlines are
    kept when ``lines`` is true. Same length as ``text``."""
    if text.isprintable() or (text.isascii() and not _UNSAFE.intersection(text)):
        return text  # the common case, checked in C
    return text.translate(_SAFE_LINES if lines else _SAFE)


_SELECTED = re.compile("(.)\ufe0f", re.DOTALL)
_WIDE = frozenset("WF")


def _steady(match: re.Match[str]) -> str:
    base = match.group(1)
    if unicodedata.east_asian_width(base) in _WIDE or unicodedata.category(base) in ("Mn", "Me", "Cf"):
        return match.group(0)
    return base + " "


def steady_width(text: str) -> str:
    """``text`` with every narrow character + U+FE0F made a character + space (see the
    module's docstring): as wide on every terminal as Rich measures it. Same length."""
    if "\ufe0f" not in text:
        return text
    return _SELECTED.sub(_steady, text)


def screen_text(text: str, *, lines: bool = False) -> str:
    """``text`` as a screen shows it: :func:`terminal_safe` and :func:`steady_width`. Same length."""
    return steady_width(terminal_safe(text, lines=lines))


def is_terminal_safe(text: str, *, lines: bool = False) -> bool:
    unsafe = _UNSAFE - {"\n"} if lines else _UNSAFE
    return not unsafe.intersection(text)
