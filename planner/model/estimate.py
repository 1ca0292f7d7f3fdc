"""Efforts and estimates as ranges with a unit, so they can be summed and compared.

``4-6 hours``, ``2-3 days``, ``~7-10 days``, ``1 week``, ``30m``, ``(3h)``, ``0.5 day``.
Everything is kept in hours (a day is 8 working hours, a week 5 days, a month 4 weeks)
and also remembers the unit it was written in, for display.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

HOURS_PER_UNIT = {"minute": 1 / 60, "hour": 1.0, "day": 8.0, "week": 40.0, "month": 160.0}

_UNIT_WORDS = {
    "m": "minute", "min": "minute", "mins": "minute", "minute": "minute", "minutes": "minute",
    "h": "hour", "hr": "hour", "hrs": "hour", "hour": "hour", "hours": "hour",
    "d": "day", "day": "day", "days": "day",
    "w": "week", "wk": "week", "wks": "week", "week": "week", "weeks": "week",
    "mo": "month", "month": "month", "months": "month",
}  # fmt: skip

_NUMBER = r"\d+(?:\.\d+)?"
_ESTIMATE = re.compile(
    rf"(?<![\w.])(?P<approx>~|≈|about |approx\.? |approximately )?(?P<low>{_NUMBER})"
    rf"(?:[ \t]*(?:-|–|—|to)[ \t]*(?P<high>{_NUMBER}))?\+?[ \t]*"
    rf"(?P<unit>minutes?|mins?|hours?|hrs?|days?|weeks?|wks?|months?|mo|[mhdw])(?![\w])",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Estimate:
    low: float  # hours
    high: float  # hours
    unit: str  # the unit it was written in: minute, hour, day, week, month
    text: str  # as written
    approximate: bool = False

    def __add__(self, other: Estimate) -> Estimate:
        unit = self.unit if HOURS_PER_UNIT[self.unit] >= HOURS_PER_UNIT[other.unit] else other.unit
        return Estimate(
            self.low + other.low, self.high + other.high, unit, "", self.approximate or other.approximate
        )

    def in_unit(self, unit: str | None = None) -> tuple[float, float]:
        factor = HOURS_PER_UNIT[unit or self.unit]
        return self.low / factor, self.high / factor

    def label(self, unit: str | None = None) -> str:
        """Compact display form: ``4-6h``, ``7-10d``, ``1w``."""
        unit = unit or self.unit
        low, high = self.in_unit(unit)
        short = {"minute": "m", "hour": "h", "day": "d", "week": "w", "month": "mo"}[unit]
        prefix = "~" if self.approximate else ""
        if abs(low - high) < 1e-9:
            return f"{prefix}{_number(low)}{short}"
        return f"{prefix}{_number(low)}-{_number(high)}{short}"

    def overlaps(self, other: Estimate, slack: float = 0.0) -> bool:
        return self.low <= other.high * (1 + slack) and other.low <= self.high * (1 + slack)


def _number(value: float) -> str:
    return str(int(round(value))) if abs(value - round(value)) < 0.05 else f"{value:.1f}"


def parse_estimate(text: str) -> Estimate | None:
    """The first estimate in ``text``, or None."""
    for match in _ESTIMATE.finditer(text):
        unit_word = match.group("unit").lower()
        unit = _UNIT_WORDS.get(unit_word)
        if unit is None:
            continue
        if len(unit_word) == 1 and match.group("high") is None and unit_word == "m" and "." in match.group("low"):
            continue
        low = float(match.group("low"))
        high = float(match.group("high")) if match.group("high") else low
        if high < low:
            low, high = high, low
        factor = HOURS_PER_UNIT[unit]
        return Estimate(
            low * factor, high * factor, unit, match.group().strip(), bool(match.group("approx"))
        )
    return None


def total(estimates: list[Estimate]) -> Estimate | None:
    result: Estimate | None = None
    for estimate in estimates:
        result = estimate if result is None else result + estimate
    return result
