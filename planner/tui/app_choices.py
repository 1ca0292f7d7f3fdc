"""What the screens show of the workspace: the ``/`` filter (parsed), ``h`` hide done, ``o``/``O``/``b`` order.

Mixed into the app. The filter is parsed by :func:`planner.views.filter.parse_filter`; while
what is typed does not parse (``p:`` half typed, a quote not closed) the last filter that
did stays applied and the status line says what is wrong, in one line. Sort, direction and
grouping are per screen; hiding done and cancelled work is for every screen. All are kept
in the config file (only the key that changed is written).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.text import Text

from planner.views.filter import Facts, Filter, FilterError, parse_filter
from planner.views.ordering import GROUPS, SORTS, hidden, next_choice

if TYPE_CHECKING:
    from planner.config import Loaded

# Screens whose rows can be sorted / grouped (Documents keeps each file's own order).
SORTABLE = frozenset({"focus", "queues", "options"})
GROUPABLE = frozenset({"focus", "queues"})


class ViewChoices:
    """Mixed into the app: it has ``config``, ``filter_query``, ``notify`` and ``save_choice``."""

    config: Loaded
    filter_query: str
    _filter_cache: tuple[str, Filter]
    filter_problem: str | None
    save_choice: Callable[..., bool]  # the app's: writes the changed keys into the config file

    def current_filter(self) -> Filter:
        """The filter typed, parsed; the last good one while what is typed is not understood."""
        cache = self._filter_cache
        if self.filter_query != cache[0]:
            try:
                parsed = parse_filter(self.filter_query)
            except FilterError as err:
                self.filter_problem = str(err)
                return cache[1]
            self._filter_cache = (self.filter_query, parsed)
            cache = self._filter_cache
        self.filter_problem = None
        return cache[1]

    @property
    def hide_done(self) -> bool:
        return self.config.settings.hide_done

    def row_test(self) -> Callable[[Facts], bool] | None:
        """What a row must pass to be shown (filter and hide done), or None when every row is."""
        filt = self.current_filter()
        if self.hide_done:
            if filt:
                return lambda facts: not hidden(facts) and filt(facts)
            return lambda facts: not hidden(facts)
        return filt if filt else None

    def view_key(self, mode: str) -> tuple[object, ...]:
        """Changes when what ``mode`` shows would: a screen rebuilds when it differs from its build's."""
        self.current_filter()
        return (self._filter_cache[0], self.hide_done, *self.ordering(mode))

    def ordering(self, mode: str) -> tuple[str | None, bool, str | None]:
        """(sort key or None, reversed, group key or None) of a screen."""
        settings = self.config.settings
        sort = settings.sort.get(mode) if mode in SORTABLE else None
        group = settings.group.get(mode) if mode in GROUPABLE else None
        return sort, bool(settings.reverse.get(mode, False)) if mode in SORTABLE else False, group

    def ordering_text(self, mode: str) -> Text | None:
        """"sorted by due ↓ · grouped by file · done hidden", or None when nothing is chosen."""
        sort, reverse, group = self.ordering(mode)
        parts = []
        if sort or reverse:
            parts.append(f"sorted by {sort or 'position'} {'↓' if reverse else '↑'}")
        if group:
            parts.append(f"grouped by {group}")
        if self.hide_done:
            parts.append("done hidden")
        return Text(" · ".join(parts), style="cyan") if parts else None

    # -- changing them ----------------------------------------------------------------------

    def cycle_sort(self, mode: str) -> str:
        sort = next_choice(self.ordering(mode)[0], SORTS)
        self._set_table("sort", mode, sort)
        return f"sorted by {sort}" if sort else "in the documents' order"

    def flip_sort(self, mode: str) -> str:
        reverse = not self.ordering(mode)[1]
        self._set_table("reverse", mode, reverse or None)
        return "reversed" if reverse else "in order"

    def cycle_group(self, mode: str) -> str:
        group = next_choice(self.ordering(mode)[2], GROUPS)
        self._set_table("group", mode, group)
        return f"grouped by {group}" if group else "not grouped"

    def toggle_hide_done(self) -> str:
        hide = not self.hide_done
        self.save_choice(hide_done=hide)
        return "done and cancelled hidden" if hide else "done and cancelled shown"

    def _set_table(self, key: str, mode: str, value: Any) -> None:
        table = dict(getattr(self.config.settings, key))
        if value is None:
            table.pop(mode, None)
        else:
            table[mode] = value
        self.save_choice(**{key: table})
