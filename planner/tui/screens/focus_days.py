"""Daily Focus on another day: ``[`` / ``]`` the previous / next day with a daily note, ``t`` today.

Mixed into :class:`~planner.tui.screens.focus.FocusScreen`. The days are those of the daily
notes found by their date (:mod:`planner.views.daily_days`, each file's day cached per file
version) and today; the header says which day and which document is shown.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from textual.binding import Binding, BindingType

if TYPE_CHECKING:
    from planner.model.document import Document

DAY_BINDINGS: list[BindingType] = [
    Binding("left_square_bracket", "day(-1)", "Previous day", key_display="[", show=False, id="previous_day"),
    Binding("right_square_bracket", "day(1)", "Next day", key_display="]", show=False, id="next_day"),
    Binding("t", "today", "Today", show=False, id="today"),
]


def _day_of(document: Document) -> list[str | None]:
    from planner.views.daily_days import document_day  # noqa: PLC0415 - the model loads after the first frame

    return [document_day(document)]


def today_iso() -> str:
    from planner.model.days import today  # noqa: PLC0415

    return today().isoformat()


def day_name(day: str, today: str) -> str:
    """"Today", "Yesterday", "Tomorrow", else "Tue 1 Dec" (with the year when it is not this year's)."""
    date, now = datetime.date.fromisoformat(day), datetime.date.fromisoformat(today)
    offset = (date - now).days
    if offset in (-1, 0, 1):
        return ("Yesterday", "Today", "Tomorrow")[offset + 1]
    text = f"{date:%a} {date.day} {date:%b}"
    return text if date.year == now.year else f"{text} {date.year}"


class DayChoice:
    """The chosen day of the focus (None: today, which follows the clock and ``--today``)."""

    planner: Any
    chosen_day: str | None = None

    def shown_day(self) -> str:
        return self.chosen_day or today_iso()

    def note_days(self) -> dict[str, Document]:
        """Day → daily note, over the workspace, in date order (once per workspace version: the
        header and the day keys ask for it after every tick)."""
        from planner.views.daily_days import note_days  # noqa: PLC0415

        workspace = self.planner.workspace
        if workspace is None:
            return {}
        key = (id(workspace), self.planner.version)
        memo = self.__dict__.get("_note_days")
        if memo is not None and memo[0] == key:
            return memo[1]
        documents = list(workspace.documents.values())
        days = [day for day, in self.planner.each_document("note-day", documents, _day_of)]
        if memo is not None and memo[2] == days:
            # a tick: every file names the same day as before; the notes are where they were
            found = {day: documents[position] for day, position in memo[3]}
        else:
            position_of = {id(d): position for position, d in enumerate(documents)}
            by_id = dict(zip(map(id, documents), days, strict=True))
            found = note_days(documents, lambda d: by_id[id(d)])
            memo = (key, found, days, [(day, position_of[id(d)]) for day, d in found.items()])
        self.__dict__["_note_days"] = (key, found, days, memo[3])
        return found

    def action_day(self, step: int) -> None:
        from planner.views.daily_days import step_day  # noqa: PLC0415

        if self.planner.workspace is None:
            return
        today = today_iso()
        days = self.note_days()
        target = step_day(list(days), self.shown_day(), step, today)
        if target is None:
            where = "before" if step < 0 else "after"
            name = day_name(self.shown_day(), today)
            self.planner.notify(f"no daily note {where} {name.lower() if ' ' not in name else name}", timeout=3)
            return
        self._show_day(None if target == today else target)

    def action_today(self) -> None:
        if self.chosen_day is not None:
            self._show_day(None)

    def _show_day(self, day: str | None) -> None:
        self.chosen_day = day
        self.day_changed()

    def day_changed(self) -> None:
        """The screen shows the chosen day (FocusScreen rebuilds)."""

    def day_position(self) -> str:
        """"note 2 of 3" for the header, when the day shown has one."""
        days = list(self.note_days())
        day = self.shown_day()
        return f"note {days.index(day) + 1} of {len(days)}" if day in days else ""
