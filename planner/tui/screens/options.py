"""Sprint Options: every decision across the documents, its options side by side.

Decisions are one virtualised OptionList; the options of the highlighted decision are
cards side by side (a decision has a handful of options, never one widget per task),
with their features, stated and summed effort totals, value, and which one is
recommended or chosen. ``c`` chooses the highlighted option — written into the
Markdown by :func:`planner.views.options.choose` — and ``u`` undoes the whole choice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import OptionList
from textual.widgets.option_list import Option as ListOption

from planner.model.estimate import parse_estimate
from planner.tui.present import box, clean
from planner.tui.screens.base import PlannerScreen, Target
from planner.tui.widgets.detail import DetailRequest
from planner.tui.widgets.lists import PickList
from planner.tui.widgets.safe import SafeStatic

if TYPE_CHECKING:  # the views (and the model, pydantic) are imported after the first frame
    from planner.model.document import Document
    from planner.views.options import Decision, Option

FEATURES_SHOWN = 6


class OptionCard(SafeStatic):
    """One option of the highlighted decision; a click highlights it."""

    def __init__(self, index: int) -> None:
        super().__init__("", classes="option-card")
        self.index = index

    def on_click(self, event: events.Click) -> None:
        event.stop()
        screen = self.screen
        if isinstance(screen, OptionsScreen):
            screen.highlight_option(self.index)


class OptionsScreen(PlannerScreen):
    MODE: ClassVar[str] = "options"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "choose", "Choose"),
        Binding("space", "tick", "Tick", key_display="space/x"),
        Binding("x", "tick", "Tick", show=False),
        Binding("l,right", "next_option", "Next option", key_display="←→"),
        Binding("left", "previous_option", "Previous option", show=False),  # h hides done work
    ]

    def __init__(self) -> None:
        super().__init__()
        self._shown_decision: tuple[object, ...] | None = None  # the decision the cards show
        self.decisions: list[Decision] = []
        self.option_index = 0

    def compose_main(self) -> ComposeResult:
        yield SafeStatic(Text("Decisions", style="bold"), classes="pane-title")
        picker = PickList(id="decisions")
        picker.follow_highlight = self._highlight_moved  # the option the keys act on changes with the highlight
        yield picker
        yield SafeStatic("", classes="pane-title", id="options-title")
        yield Horizontal(id="option-cards")

    @property
    def picker(self) -> PickList:
        return self.query_one("#decisions", PickList)

    def main_widget(self) -> PickList:
        return self.picker

    # -- building -------------------------------------------------------------------------

    def _labelled(self, document: Document) -> list[tuple[Decision, Text]]:
        """A document's decisions with their picker labels: pure functions of the document,
        cached per file version (after a tick only the changed file's are made again)."""
        from planner.views.options import document_decisions  # noqa: PLC0415 - see TYPE_CHECKING above

        return [(decision, self._decision_label(decision)) for decision in document_decisions(document)]

    def rebuild(self) -> bool | None:
        workspace = self.planner.workspace
        if workspace is None or not self.planner.views_ready("option-rows", self._labelled):
            return False
        keep = self._decision_key(self.selected_decision())
        keep_option = self.selected_option()
        old_index = self.picker.highlighted
        decisions, labels = self._collect()
        self.decisions = decisions
        picker = self.picker
        picker.clear_options()
        picker.add_options([ListOption(labels[id(d)]) for d in decisions])
        index = next((i for i, d in enumerate(decisions) if self._decision_key(d) == keep), None)
        if index is None:
            # gone (chosen while done is hidden, filtered out): the decision that took its place,
            # on its first option, not the old option's label in another decision
            index = min(old_index, len(decisions) - 1) if old_index is not None and decisions else 0
            keep_option = None
            self.option_index = 0
        if decisions:
            self._rebuilding = True  # the cards are shown once, below
            try:
                picker.highlighted = index
            finally:
                self._rebuilding = False
            decision = decisions[index]
            if keep_option is not None:
                self.option_index = next((i for i, o in enumerate(decision.options) if o.label == keep_option.label), 0)
            elif self._decision_key(decision) != self._shown_decision:
                self.option_index = self._first_option(decision)
            self._shown_decision = self._decision_key(decision)
        self.show_cards()

    def _collect(self) -> tuple[list[Decision], dict[int, Text]]:
        """The decisions shown, in order, and each one's picker label (by ``id``)."""
        labels: dict[int, Text] = {}
        found: list[Decision] = []
        for labelled in self.planner.each_document("option-rows", list(self.planner.workspace.documents.values()), self._labelled):
            for decision, label in labelled:
                found.append(decision)
                labels[id(decision)] = label
        return self._ordered(found), labels

    def refresh_paths(self, paths: set[str]) -> None:
        """After a tick or an outside edit: when the same decisions are listed in the same order,
        the changed files' labels are replaced in place (the list is not rebuilt, the cursor stays
        where it was); anything else rebuilds."""
        workspace = self.planner.workspace
        if workspace is None or not self.decisions or not self.planner.views_ready("option-rows", self._labelled):
            self.rebuild()
            return
        keep_option = self.selected_option()
        decisions, labels = self._collect()
        key = self._decision_key
        if len(decisions) != len(self.decisions) or any(
            key(new) != key(old) for new, old in zip(decisions, self.decisions, strict=True)
        ):
            self.rebuild()
            return
        self.decisions = decisions
        picker = self.picker
        for index, decision in enumerate(decisions):
            if decision.document.path in paths:
                picker.relabel(index, labels[id(decision)])
        decision = self.selected_decision()
        if decision is not None and keep_option is not None:
            self.option_index = next((i for i, o in enumerate(decision.options) if o.label == keep_option.label), 0)
        self.show_cards()

    def _ordered(self, decisions: list[Decision]) -> list[Decision]:
        """The decisions that pass the filter (and hide done: a decision is done once chosen), sorted."""
        from planner.views.facts import decision_facts  # noqa: PLC0415 - see TYPE_CHECKING above
        from planner.views.ordering import sort_rows  # noqa: PLC0415

        test = self.planner.row_test()
        sort, reverse, _ = self.planner.ordering(self.MODE)
        if test is None and sort is None:
            return decisions[::-1] if reverse else decisions
        facts = {id(d): decision_facts(d, self.planner.relative(d.document.path)) for d in decisions}
        shown = [d for d in decisions if test is None or test(facts[id(d)])]
        return sort_rows(shown, sort, lambda d: facts[id(d)], reverse)

    @staticmethod
    def _decision_key(decision: Decision | None) -> tuple[object, ...] | None:
        return None if decision is None else (decision.document.path, decision.title)

    def _decision_label(self, decision: Decision) -> Text:
        text = Text(clean(decision.title), style="bold", no_wrap=True, overflow="ellipsis")
        chosen = decision.chosen
        recommended = decision.recommended
        text.append(f"  {len(decision.options)} options", style="dim")
        if chosen is not None:
            text.append(f"  ✓ {chosen.label}", style="bold green")
        elif recommended is not None:
            text.append(f"  ★ {recommended.label}", style="yellow")
        text.append(f"  {self.planner.relative(decision.document.path)}:{decision.line}", style="dim")
        return text

    def show_cards(self) -> None:
        decision = self.selected_decision()
        cards = self.query_one("#option-cards", Horizontal)
        title = self.query_one("#options-title", SafeStatic)
        options = decision.options if decision else []
        self.option_index = min(self.option_index, max(len(options) - 1, 0))
        # Cards are kept and hidden when a decision has fewer options: mounting widgets on every
        # j/k to a decision with another number of options took ~100 ms.
        existing = list(cards.query(OptionCard))
        if len(existing) < len(options):
            more = [OptionCard(i) for i in range(len(existing), len(options))]
            cards.mount_all(more)
            existing += more
        for card in existing[len(options) :]:
            if card.display:
                card.display = False
        existing = existing[: len(options)]
        for card in existing:
            if not card.display:
                card.display = True
        for card, option in zip(existing, options, strict=True):
            card.update(self._card(decision, option))  # type: ignore[arg-type]
            card.set_class(card.index == self.option_index, "-highlighted")
            if card.index == self.option_index:
                card.scroll_visible(animate=False)  # a narrow screen shows the card the keys act on
            card.set_class(option.recommended, "-recommended")
            card.set_class(option.chosen, "-chosen")
        if decision is None:
            title.update(Text("No decisions or Option A/B/C proposals found", style="dim"))
        else:
            kind = "checkbox decision" if decision.kind == "checkbox" else "proposal"
            title.update(
                Text.assemble(
                    ("Options", "bold"),
                    (f"  {kind} · ←/→ pick · c choose (written to the file)", "dim"),
                )
            )

    def _card(self, decision: Decision, option: Option) -> Text:
        text = Text()
        if option.task is not None:
            text.append_text(box(option.task.state))
            text.append(" ")
        text.append(f"Option {option.label}", style="bold")
        if option.chosen:
            text.append("\n✓ chosen", style="bold green")
        if option.recommended:
            text.append("\n★ recommended", style="bold yellow")
        text.append("\n")
        text.append(clean(option.title), style="bold")
        text.append("\n")
        stated = option.stated_total.label() if option.stated_total else None
        summed = option.summed_total.label() if option.summed_total else None
        if stated or summed:
            text.append("Total ", style="dim")
            text.append(stated or "—", style="cyan")
            if summed and summed != stated:
                text.append(" · summed ", style="dim")
                text.append(summed, style="cyan")
            if option.total_mismatch:
                text.append("  ⚠ totals differ", style="bold red")
            text.append("\n")
        if option.value:
            text.append("Value ", style="dim")
            text.append(clean(option.value))
            text.append("\n")
        for number, feature in enumerate(option.features):
            if number == FEATURES_SHOWN:
                text.append(f"… {len(option.features) - FEATURES_SHOWN} more\n", style="dim")
                break
            text.append("• ")
            text.append(clean(feature))
            effort = option.feature_efforts[number] if number < len(option.feature_efforts) else None
            if effort is not None and parse_estimate(clean(feature)) is None:  # not already in its text
                text.append(f" ({effort.label()})", style="cyan")
            text.append("\n")
        text.rstrip()
        return text

    # -- selection ------------------------------------------------------------------------

    def selected_decision(self) -> Decision | None:
        index = self.picker.highlighted if self.is_mounted else None
        if index is None or not 0 <= index < len(self.decisions):
            return None
        return self.decisions[index]

    def selected_option(self) -> Option | None:
        decision = self.selected_decision()
        if decision is None or not decision.options:
            return None
        return decision.options[min(self.option_index, len(decision.options) - 1)]

    def highlight_option(self, index: int) -> None:
        decision = self.selected_decision()
        if decision is None or not decision.options:
            return
        self.option_index = index % len(decision.options)
        self.show_cards()
        self.update_detail()

    def action_next_option(self) -> None:
        self.highlight_option(self.option_index + 1)

    def action_previous_option(self) -> None:
        self.highlight_option(self.option_index - 1)

    _rebuilding = False

    def _highlight_moved(self, index: int | None) -> None:
        """The picker's highlight moved (j/k, a click): called as it moves, so that a key handled
        next (c, space, ←/→) acts on the new decision's option, never on the old one's index. The
        cards follow in the next frame (on the message): the highlight's own frame stays small."""
        if self._rebuilding or index is None:
            return
        decision = self.selected_decision()
        key = self._decision_key(decision)
        if key != self._shown_decision:
            self._shown_decision = key
            self.option_index = self._first_option(decision) if decision is not None else 0

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list is self.picker and not self._rebuilding:
            self.show_cards()
            self.update_detail()

    @staticmethod
    def _first_option(decision: Decision) -> int:
        """The option a decision opens on: the chosen one, else the recommended one, else the first."""
        chosen = decision.chosen or decision.recommended
        return decision.options.index(chosen) if chosen is not None else 0

    def detail_request(self) -> DetailRequest | None:
        decision = self.selected_decision()
        if decision is None:
            return None
        option = self.selected_option()
        document = decision.document
        if option is not None and decision.kind == "proposal" and option.section is not None:
            section = document.sections[option.section]
            if section.line == option.line:  # the option is a heading of its own
                return self.section_detail(document, section, option.line)
        owner = next((s for s in document.sections if s.line == decision.line), None)
        if owner is None and option is not None and option.section is not None:
            owner = document.sections[option.section]
        return self.section_detail(document, owner, option.line if option else decision.line)

    # -- edits ----------------------------------------------------------------------------

    def current_task(self) -> Target | str:
        decision = self.selected_decision()
        option = self.selected_option()
        if decision is None or option is None:
            return "no decision selected"
        if option.task is None:
            return "this option has no checkbox: press c to choose it"
        return decision.document, option.task

    def action_tick(self) -> None:
        option = self.selected_option()
        if option is not None and (option.task is None or not option.task.done):
            # Ticking an option is choosing it: a proposal gets its mark, a checkbox decision
            # is a radio (the others are unticked), so two cards are never both chosen.
            self.action_choose()
            return
        super().action_tick()  # unticking the chosen box

    def action_choose(self) -> None:
        from planner.workspace.choose import choose  # noqa: PLC0415 - see TYPE_CHECKING above
        from planner.writer.edit import EditError  # noqa: PLC0415

        decision = self.selected_decision()
        option = self.selected_option()
        workspace = self.planner.workspace
        if decision is None or option is None or workspace is None:
            self.planner.notify("no option selected", severity="warning", timeout=3)
            return
        before = len(workspace.history)
        try:
            edits = choose(workspace, decision, option)
        except Exception as err:  # noqa: BLE001 - EditError, or a bug meeting odd user data: never a crash
            message = str(err) if isinstance(err, EditError) else f"not written ({type(err).__name__}: {err})"
            self.planner.notify(message, title="not written", severity="error", timeout=8)
            edits = workspace.history[before:]
            self.planner.edits_made(edits, f"chose Option {option.label} partly")
            self.planner.changed({decision.document.path})
            return
        if not edits:
            self.planner.notify(f"Option {option.label} is already the choice", timeout=3)
            return
        self.planner.edits_made(edits, f"chose Option {option.label}: {clean(option.title)}")
        self.planner.changed({decision.document.path})

    def current_location(self) -> tuple[str, int] | None:
        decision = self.selected_decision()
        if decision is None:
            return None
        option = self.selected_option()
        return decision.document.path, option.line if option else decision.line

    def status_extra(self) -> Text | None:
        return Text(f"{len(self.decisions)} decisions")
