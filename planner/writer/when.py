"""Dates a person types for an edit: ``2026-12-05``, ``today``, ``tomorrow``, ``+3d``, ``-1w``,
``friday``, ``next monday``, ``Dec 5`` — relative to "today" or to the date being shifted.

"Today" is the system date unless ``PLANNER_TODAY`` (set by ``--today``) says otherwise.
"""

from __future__ import annotations

import datetime as dt
import re

from planner.writer.patch import EditError

_SHIFT = re.compile(r"(?i)^([+-])\s*(\d{1,4})\s*([dwmy]|days?|weeks?|months?|years?)$")
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def today() -> dt.date:
    """``--today``, else ``$PLANNER_TODAY``, else the system date (one rule: the model's)."""
    from planner.model.days import today as model_today  # noqa: PLC0415

    return model_today()


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def parse_when(text: str, base: dt.date | None = None) -> dt.date:
    """The date ``text`` names; shifts (``+1w``) count from ``base`` (else today)."""
    spoken = " ".join(text.strip().lower().split())
    now = today()
    if not spoken:
        raise EditError("no date given")
    try:
        return dt.date.fromisoformat(spoken)
    except ValueError:
        pass
    if spoken in ("today", "tod"):
        return now
    if spoken in ("tomorrow", "tom"):
        return now + dt.timedelta(days=1)
    if spoken == "yesterday":
        return now - dt.timedelta(days=1)
    shift = _SHIFT.match(spoken)
    if shift:
        sign = 1 if shift.group(1) == "+" else -1
        amount = sign * int(shift.group(2))
        unit = shift.group(3)[0]
        start = base or now
        if unit == "d":
            return start + dt.timedelta(days=amount)
        if unit == "w":
            return start + dt.timedelta(weeks=amount)
        return _add_months(start, amount * (12 if unit == "y" else 1))
    words = spoken.split()
    if len(words) == 2 and words[0] in ("next", "this", "on"):
        words = words[1:]
    for number, name in enumerate(_WEEKDAYS):
        if len(words) == 1 and (words[0] == name or (len(words[0]) >= 3 and name.startswith(words[0]))):
            return now + dt.timedelta(days=(number - now.weekday()) % 7 or 7)  # the coming one, never today
    try:
        from dateutil import parser as date_parser  # noqa: PLC0415

        default = dt.datetime(now.year, now.month, now.day)
        return date_parser.parse(text, default=default, dayfirst=False).date()
    except (ImportError, ValueError, OverflowError):
        raise EditError(f"'{text}' is not a date (try 2026-12-05, today, +1w, next monday)") from None
