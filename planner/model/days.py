"""Calendar days: ISO dates, and what "today" is.

"Today" is the system date, unless ``PLANNER_TODAY=YYYY-MM-DD`` or ``--today`` (which sets
:func:`set_today`) says otherwise: scripts and tests get the same answer every day. This
module imports nothing of planner's: a warm ``planner focus`` asks it for today without
loading the date dialects (:mod:`planner.model.dates` re-exports it).
"""

from __future__ import annotations

import datetime
import os
import re

ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
TODAY_VARIABLE = "PLANNER_TODAY"
_override: datetime.date | None = None


def valid_iso(year: str | int, month: str | int, day: str | int) -> str | None:
    """``YYYY-MM-DD`` when it is a real calendar day, else None."""
    try:
        return datetime.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def parse_day(text: str) -> datetime.date:
    """``YYYY-MM-DD`` as a date; ValueError (with a one-line reason) when it is none."""
    match = ISO.fullmatch(text.strip())
    iso = valid_iso(*match.groups()) if match else None
    if iso is None:
        raise ValueError(f"not a date (YYYY-MM-DD): {text!r}")
    return datetime.date.fromisoformat(iso)


def set_today(day: datetime.date | None) -> None:
    global _override  # noqa: PLW0603 - one process-wide "today", set once from the command line
    _override = day


def today() -> datetime.date:
    """``--today``, else ``$PLANNER_TODAY``, else the system date."""
    if _override is not None:
        return _override
    value = os.environ.get(TODAY_VARIABLE, "").strip()
    if value:
        try:
            return parse_day(value)
        except ValueError:
            pass  # the CLI reports a bad value once, before anything runs
    return datetime.date.today()
