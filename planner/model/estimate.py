"""Efforts and estimates as ranges with a unit, so they can be summed and compared.

``4-6 hours``, ``2-3 days``, ``~7-10 days``, ``1 week``, ``30m``, ``(3h)``, ``0.5 day``,
``4h-6h``, ``1h 30m``, ``2 days - 1 week``, ``two weeks``, ``half a day``.
Everything is kept in hours (a day is 8 working hours, a week 5 days, a month 4 weeks)
and also remembers the unit it was written in, for display.

Single-letter units are lower case only: ``5M users`` and ``3D`` are not estimates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from planner.model.languages import APPROX_WORDS, RANGE_WORDS, UNIT_WORDS, alternation, spelled

HOURS_PER_UNIT = {"minute": 1 / 60, "hour": 1.0, "day": 8.0, "week": 40.0, "month": 160.0}
SHORT_UNIT = {"minute": "m", "hour": "h", "day": "d", "week": "w", "month": "mo"}

_UNIT_WORDS = {
    "m": "minute", "min": "minute", "mins": "minute", "minute": "minute", "minutes": "minute",
    "h": "hour", "hr": "hour", "hrs": "hour", "hour": "hour", "hours": "hour",
    "d": "day", "day": "day", "days": "day",
    "w": "week", "wk": "week", "wks": "week", "week": "week", "weeks": "week",
    "mo": "month", "month": "month", "months": "month",
}  # fmt: skip
_LOCAL_UNITS = spelled(UNIT_WORDS)  # "3 dias", "2 Stunden", "5 jours" (planner.model.languages)
_UNIT_WORDS.update({w: u for w, u in _LOCAL_UNITS.items() if w not in _UNIT_WORDS})
_NUMBER_WORDS = {
    "one": 1.0, "two": 2.0, "three": 3.0, "four": 4.0, "five": 5.0, "six": 6.0,
    "seven": 7.0, "eight": 8.0, "nine": 9.0, "ten": 10.0, "eleven": 11.0, "twelve": 12.0,
    "half a": 0.5, "half an": 0.5, "a half": 0.5,
}  # fmt: skip

_NUMBER = r"\d+(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|half an?|a half"
_UNIT = rf"{alternation(list(_LOCAL_UNITS))}|minutes?|mins?|hours?|hrs?|days?|weeks?|wks?|months?|mo|[mhdw]"
_APPROX = alternation(list(APPROX_WORDS))
_RANGE = alternation(list(RANGE_WORDS))
_ESTIMATE = re.compile(
    rf"(?<![\w.])(?P<approx>~|≈|about |approx\.? |approximately |around |roughly |(?:{_APPROX}) )?"
    rf"(?P<low>{_NUMBER})(?:[ \t]*(?P<lowunit>{_UNIT})(?![\w]))?"
    rf"(?:(?:[ \t]*(?:-|–|—|to)|[ \t]+(?:{_RANGE})(?=[ \t]))[ \t]*(?P<high>{_NUMBER}))?\+?[ \t-]*"
    rf"(?P<unit>{_UNIT})(?![\w])",
    re.IGNORECASE,
)
# "1h 30m", "2 hours 15 minutes": minutes that complete an hour count.
_TRAILING_MINUTES = re.compile(r"[ \t]*(?:and[ \t]+)?(\d+)[ \t]*(?:m|mins?|minutes?)(?![\w])")


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
        """Compact display form: ``4-6h``, ``7-10d``, ``1w``.

        A sum (no text of its own) is shown in the largest unit that keeps it whole:
        3 days + 1 week is ``8d``, not ``1.6w``.
        """
        if unit is None and not self.text:
            unit = self._whole_unit()
        unit = unit or self.unit
        low, high = self.in_unit(unit)
        prefix = "~" if self.approximate else ""
        if abs(low - high) < 1e-9:
            return f"{prefix}{_number(low)}{SHORT_UNIT[unit]}"
        return f"{prefix}{_number(low)}-{_number(high)}{SHORT_UNIT[unit]}"

    def _whole_unit(self) -> str:
        units = [u for u in ("month", "week", "day", "hour", "minute") if HOURS_PER_UNIT[u] <= HOURS_PER_UNIT[self.unit]]
        for unit in units:
            low, high = self.in_unit(unit)
            if all(abs(v * 2 - round(v * 2)) < 1e-6 for v in (low, high)) and (low >= 1 or unit == "minute"):
                return unit
        return self.unit

    def overlaps(self, other: Estimate, slack: float = 0.0) -> bool:
        return self.low <= other.high * (1 + slack) and other.low <= self.high * (1 + slack)

    def agrees_with(self, other: Estimate, tolerance: float = 0.1) -> bool:
        """Whether two estimates say the same thing, within ``tolerance`` (and at least an hour).

        A single value agrees with a range that holds it; two ranges agree when both ends do.
        """

        def close(a: float, b: float) -> bool:
            return abs(a - b) <= max(tolerance * max(a, b), 1.0)

        if abs(self.low - self.high) < 1e-9 or abs(other.low - other.high) < 1e-9:
            point, span = (self, other) if abs(self.low - self.high) < 1e-9 else (other, self)
            return close(point.low, span.low) or close(point.low, span.high) or span.low <= point.low <= span.high
        return close(self.low, other.low) and close(self.high, other.high)


def _number(value: float) -> str:
    return str(int(round(value))) if abs(value - round(value)) < 0.05 else f"{value:.1f}"


def _value(word: str) -> float:
    word = " ".join(word.lower().split())
    return _NUMBER_WORDS[word] if word in _NUMBER_WORDS else float(word)


def _unit(word: str | None) -> str | None:
    if word is None:
        return None
    if len(word) == 1 and word.isupper():
        return None  # "5M users", "3D": not a duration
    return _UNIT_WORDS.get(word.lower())


def parse_estimate(text: str) -> Estimate | None:
    """The first estimate in ``text`` (in its first few thousand characters), or None."""
    for match in _ESTIMATE.finditer(text, 0, 4000):
        unit = _unit(match.group("unit"))
        if unit is None:
            continue
        low_word, high_word = match.group("low"), match.group("high")
        words = not low_word[0].isdigit() or (high_word is not None and not high_word[0].isdigit())
        if words and len(match.group("unit")) <= 2:
            continue  # "one d" is not how anybody writes an estimate
        low_unit = unit
        if match.group("lowunit"):
            low_unit = _unit(match.group("lowunit")) or ""
            if not low_unit or high_word is None:
                continue
        low = _value(low_word) * HOURS_PER_UNIT[low_unit]
        high = _value(high_word) * HOURS_PER_UNIT[unit] if high_word else _value(low_word) * HOURS_PER_UNIT[unit]
        end = match.end()
        written = match.group().strip()
        if unit == "hour" and high_word is None:
            extra = _TRAILING_MINUTES.match(text, end)
            if extra:
                low += int(extra.group(1)) / 60
                high = low
                written = text[match.start() : extra.end()].strip()
        if high < low:
            low, high = high, low
        shown = low_unit if HOURS_PER_UNIT[low_unit] < HOURS_PER_UNIT[unit] else unit  # "2 days - 1 week": days
        return Estimate(low, high, shown, written, bool(match.group("approx")))
    return None


def total(estimates: list[Estimate]) -> Estimate | None:
    result: Estimate | None = None
    for estimate in estimates:
        result = estimate if result is None else result + estimate
    return result
