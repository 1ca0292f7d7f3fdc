"""Sprint options: every proposal with lettered or numbered alternatives, and every decision
point whose alternatives are checkboxes, across all documents.

Three shapes are recognised (rules about Markdown structure and wording, not about files):

* **proposal headings** — two or more sibling headings labelled "Option A: …", "Plan B — …",
  "Alternative 1", "Approach 2", "Proposal C"; the decision is their parent heading;
* **proposal lines** — two or more bold lead lines in one section: "**Option 1: API Gateway**
  (Recommended)", "**Option A:** Ship it!"; each option runs to the next one;
* **checkbox decisions** — a list of two or more checkboxes labelled "Option A: …", or any
  list of checkboxes directly under a heading that names a decision ("Decision 2: …",
  "Choose …", "Options", "Which …?").

Per option: its features (the list under a "Features"/"Scope" label or the list right after
the option line, for checkboxes the items nested under it), the stated total ("**Total**:",
"**Effort**:", "**Timeline**:", an estimate in the option line), the total summed from the
features' estimates (a feature without one borrows the effort of a same-named section of the
document), a mismatch flag when both exist and disagree, the value ("**Value**:",
"**Benefits**:"), whether it is recommended ("(recommended)" on it, or a "Recommendation:
Option A" heading, field or line near it) and whether it is chosen (ticked; ✅ on its line;
"(chosen)"; or a "Decision: Option B" statement).

Proposal headings and lines are kept only when they look like planning (an estimate, value,
features, a recommendation or choice, or a planning word in the decision or document title):
"Option 1: Docker Compose" in an install guide is documentation, not a decision.

Choosing (:func:`choose`) writes into the Markdown: for a checkbox decision it ticks the
option and unticks the others (radio semantics); for a proposal it appends `` ✅`` to the
chosen option's heading or bold line (in the spelling the file already uses for ✅, mangled
or not; a heading that already carries a status marker, "### Option B ⏸️", is ticked instead)
and removes a trailing ✅ from the option chosen before (or unticks its marker). Nothing
else is rewritten.
"""

from __future__ import annotations

import re

from planner.model.document import Document, Task
from planner.model.dialects import strip_metadata
from planner.model.estimate import Estimate, parse_estimate, total
from planner.model.kinds import OPTION_LABEL
from planner.model.mojibake import repair, spellings
from planner.model.parser import parse_fields
from planner.model.structure import archived_path, is_template
from planner.views import meta
from planner.views.outline import Outline, outline
from planner.views.records import Decision, Option


_RECOMMENDED = re.compile(r"(?i)(?<!not )(?<!not\s)\b(?:recommended|preferred|recommendation)\b|⭐|🌟")
_CHOSEN_WORD = re.compile(r"(?i)[(\[]\s*(?:chosen|selected|decided|approved|accepted|picked)\s*[)\]]|\b(?:CHOSEN|SELECTED|DECIDED|APPROVED)\b")
_OPTION_REF = r"(?:option|plan|alternative|approach|proposal)\s+(?P<label>[A-Z]|\d{1,2})\b"
_RECOMMEND_STATEMENT = re.compile(rf"(?i)\brecommend\w*\b\W+(?:(?:\w+\W+){{0,4}}?){_OPTION_REF}")
_RECOMMEND_SECTION = re.compile(r"(?i)\brecommend\w*\b")
_CHOICE_STATEMENT = re.compile(
    rf"(?i)^\W*(?:final\s+)?(?:decision|decided|chosen|selected|choice|outcome|going\s+with|we\s+chose)\b\W*(?:made\W*)?(?:\w+\W+){{0,2}}?{_OPTION_REF}"
)
# A heading that names one decision whose alternatives are the checkboxes under it:
# "Decision 2: Service Refactoring Scope", "Decision:", "Choose one", "Options", "Which database?".
# ("Decision Criteria", "Decisions Made" and "Option D - AI/ML" are not.)
DECISION_HEADING = re.compile(
    r"(?i)^\W*(?:decision(?:\s+(?:\d{1,2}|[A-Z]|point|needed|required|to\s+make))?\s*(?:[:(–—-]|$)"
    r"|decide\b|choose\b|choice\b|pick\s+one\b|select\s+one\b|(?:options?|alternatives?)\s*(?:[:(–—-]|$)"
    r"|(?:which|should\s+we|shall\s+we|what\s+should\s+we|do\s+we|go\s+with)\b.*\?\s*$)"
)
# Words that make a group of labelled options a planning decision rather than documentation
# ("Option 1: Docker Compose" in an install guide).
_PLANNING_WORDS = re.compile(
    r"(?i)\b(?:decision|decide|choose|choice|scope|next\s+steps?|next\s+session|what'?s\s+next|proposals?|proposed"
    r"|recommend\w*|alternatives|strateg\w*|direction|path\s+forward|roadmap|priorit\w*"
    r"|(?:sprint|release|milestone|phase|iteration)\s*[\d.-]*\s+(?:options|scope|plan))\b"
)
DONE_SPELLINGS = [s for emoji in ("✅", "✔️", "✔", "☑️") for s in spellings(emoji)]
DONE_AT_END = re.compile("(?:" + "|".join(re.escape(s) for s in sorted(set(DONE_SPELLINGS), key=len, reverse=True)) + r")\s*$")
_TOTAL_KEYS = ("total", "total effort", "total estimate", "total effort estimate", "estimated total", "total time")


def sprint_options(documents: list[Document]) -> list[Decision]:
    """Every decision in ``documents``, in document order."""
    decisions: list[Decision] = []
    for document in documents:
        decisions.extend(document_decisions(document))
    return decisions


def document_decisions(document: Document) -> list[Decision]:
    if is_template(document) or archived_path(document.path):
        return []  # a template's "Option A: [Name]" is no decision; an archived one is history
    shape = outline(document)
    found = _heading_proposals(document, shape) + _line_proposals(document, shape) + _checkbox_decisions(document, shape)
    if not found:
        return []
    found = _apply_statements(document, shape, found)
    found = [d for d in found if d.kind == "checkbox" or _looks_like_planning(d)]
    found.sort(key=lambda d: d.line)
    return found


# -- option labels ------------------------------------------------------------------------------


def _label(text: str) -> tuple[str, str] | None:
    """``(label, rest)`` of "Option A: High Availability Focus" → ("A", "High Availability Focus")."""
    match = OPTION_LABEL.match(text)
    if match is None:
        return None
    return match.group("label").upper(), text[match.end() :]


def _option_title(rest: str, fallback: str) -> str:
    text = meta.clean(rest)
    text = re.sub(r"(?i)\s*[(\[]\s*(?:not\s+)?(?:recommended|preferred|chosen|selected|decided)\s*[)\]]", "", text)
    text = DONE_AT_END.sub("", text)
    text = meta.without_estimate(text).strip(" \t:–—-\"'*_").strip()
    text = meta.headline_text(text) if text else ""
    return text or fallback


def _chosen_mark(text: str) -> bool:
    return bool(DONE_AT_END.search(repair(text).rstrip(" #")) or _CHOSEN_WORD.search(text))


# -- proposal headings ----------------------------------------------------------------------------


def _heading_proposals(document: Document, shape: Outline | None) -> list[Decision]:
    groups: dict[int | None, list[int]] = {}
    for section in document.sections:
        if _label(repair(section.title)) is not None:
            groups.setdefault(section.parent, []).append(section.index)
    decisions = []
    for parent, members in groups.items():
        if len(members) < 2:
            continue
        options = [_heading_option(document, shape, index) for index in members]
        title = document.sections[parent].title if parent is not None else (document.title or "Options")
        line = document.sections[parent].line if parent is not None else options[0].line
        decisions.append(Decision(meta.display_heading(title), document, line, "proposal", options))
    return decisions


def _heading_option(document: Document, shape: Outline | None, index: int) -> Option:
    section = document.sections[index]
    task = document.tasks[section.task] if section.task is not None else None
    title_text = repair(section.title)
    label, rest = _label(title_text) or ("?", title_text)
    fields = meta.fields_by_key(document, index)
    first, last = section.line, section.end_line
    features = _features(document, shape, first, last, option_paragraph=None, sections=_feature_sections(document, index))
    return _build_option(
        document,
        label=label,
        title=_option_title(strip_marker(rest, task), f"Option {label}"),
        line=section.line,
        end_line=last,
        line_text=section.title,
        chosen=(task is not None and task.done) or _chosen_mark(section.title),
        fields=fields,
        features=features,
        task=task,
        section=index,
    )


def strip_marker(text: str, task: Task | None) -> str:
    return meta.strip_marker(text, repair(task.marker) if task else None)


# -- proposal lines ("**Option 1: …**") -----------------------------------------------------------


_BOLD_LEAD = re.compile(r"^\s*(?:\*\*|__)(?P<inner>.+?)(?:\*\*|__)(?P<after>.*)$")


def _line_proposals(document: Document, shape: Outline | None) -> list[Decision]:
    if shape is None:
        return []
    # (line, section, label, bold text, text after the bold, paragraph index)
    found: list[tuple[int, int | None, str, str, str, int]] = []
    for number, paragraph in enumerate(shape.paragraphs):
        if paragraph.in_list:
            continue
        for offset, raw in enumerate(paragraph.lines):
            bold = _BOLD_LEAD.match(raw)
            if bold is None:
                continue
            inner = repair(bold.group("inner"))
            labelled = _label(inner)
            if labelled is None:
                continue
            found.append((paragraph.line + offset, paragraph.section, labelled[0], labelled[1], bold.group("after"), number))
    decisions = []
    by_section: dict[int | None, list[tuple[int, int | None, str, str, str, int]]] = {}
    for entry in found:
        by_section.setdefault(entry[1], []).append(entry)
    for section_index, entries in by_section.items():
        if len(entries) < 2:
            continue
        section_end = document.sections[section_index].end_line if section_index is not None else document.line_count
        options = []
        for position, (line, _, label, inside, after, paragraph_index) in enumerate(entries):
            end = entries[position + 1][0] - 1 if position + 1 < len(entries) else section_end
            rest = inside if inside.strip(" :–—-") else after
            if inside.strip(" :–—-") and after.strip():
                rest = f"{inside} {after}"
            fields = {f.key: f for f in document.fields if line <= f.line <= end}
            # The option line itself may read as a field ("**Option A:** Ship it!"): not its metadata.
            fields = {k: f for k, f in fields.items() if f.line != line}
            features = _features(document, shape, line, end, option_paragraph=paragraph_index)
            raw_line = shape.lines[line - 1]
            options.append(
                _build_option(
                    document,
                    label=label,
                    title=_option_title(re.sub(r"^\s*[:–—-]\s*", "", rest), f"Option {label}"),
                    line=line,
                    end_line=end,
                    line_text=raw_line,
                    chosen=_chosen_mark(raw_line),
                    fields=fields,
                    features=features,
                    task=None,
                    section=section_index,
                )
            )
        title = document.sections[section_index].title if section_index is not None else (document.title or "Options")
        line = document.sections[section_index].line if section_index is not None else options[0].line
        decisions.append(Decision(meta.display_heading(title), document, line, "proposal", options))
    return decisions


# -- checkbox decisions ---------------------------------------------------------------------------


def _checkbox_decisions(document: Document, shape: Outline | None) -> list[Decision]:
    list_of: dict[int, int] = {}
    if shape is not None:
        list_of = {item.line: item.list_id for item in shape.items}
    groups: dict[tuple[int | None, int | None, int, int], list[Task]] = {}
    for task in document.tasks:
        if task.kind != "checkbox":
            continue
        key = (task.section, task.parent, task.depth, list_of.get(task.line, -1))
        groups.setdefault(key, []).append(task)
    decisions = []
    for (section_index, parent, _, _), tasks in groups.items():
        if len(tasks) < 2:
            continue
        labelled = [t for t in tasks if _label(repair(t.text)) is not None]
        heading = repair(document.sections[section_index].title) if section_index is not None else ""
        if len(labelled) >= 2:
            members = labelled
        elif parent is None and section_index is not None and DECISION_HEADING.search(heading):
            members = tasks
        else:
            continue
        options = [_checkbox_option(document, shape, task, position) for position, task in enumerate(members, 1)]
        if section_index is not None:
            title, line = meta.display_heading(document.sections[section_index].title), document.sections[section_index].line
        else:
            title, line = document.title or "Decision", members[0].line
        if parent is not None:
            title, line = meta.display_heading(document.tasks[parent].text), document.tasks[parent].line
        decisions.append(Decision(title, document, line, "checkbox", options))
    return decisions


def _checkbox_option(document: Document, shape: Outline | None, task: Task, position: int) -> Option:
    text = repair(task.text)
    label, rest = _label(text) or (str(position), text)
    features: list[str] = []
    end_line = task.line
    if shape is not None:
        item_index = next((i for i, item in enumerate(shape.items) if item.line == task.line), None)
        if item_index is not None:
            end_line = shape.items[item_index].end_line
            features = [_feature_text(i.text) for i in shape.items if i.parent == item_index and not _CLOSED_BOX.match(i.text)]
            features = [f for f in features if f]
    return _build_option(
        document,
        label=label,
        title=_option_title(rest, text),
        line=task.line,
        end_line=end_line,
        line_text=task.text,
        chosen=task.done,
        fields={},
        features=features,
        task=task,
        section=task.section,
    )


# -- shared pieces --------------------------------------------------------------------------------


# A checkbox whose state is not open work (cancelled "[-]", deferred "[>]"): see planner.model.states.
_CLOSED_BOX = re.compile(r"^\[[->]\][ \t]")


def _feature_text(text: str) -> str:
    # Without the dialects' dates and fields: "Backups 🔁 every week" is no 1-week feature.
    return meta.clean(strip_metadata(re.sub(r"^\[[ xX]\]\s+", "", text)))


def _feature_sections(document: Document, index: int) -> set[int]:
    """The option's own section and its subsections titled as feature lists ("#### Features")."""
    found = {index}
    for child in document.sections[index].children:
        words = meta.clean(document.sections[child].title).lower().strip(" :")
        if words in meta.FEATURE_LABELS:
            found.add(child)
    return found


def _features(
    document: Document,
    shape: Outline | None,
    first: int,
    last: int,
    option_paragraph: int | None,
    sections: set[int] | None = None,
) -> list[str]:
    """Top-level list items of an option that list what it includes (see the module doc)."""
    if shape is None:
        return []
    features = []
    for item in shape.items:
        if not (first < item.line <= last) or item.depth != 0:
            continue
        if sections is not None and item.section not in sections:
            continue  # lists in the option's design subsections are not its features
        if item.lead is not None and item.lead != option_paragraph:
            lead = shape.paragraphs[item.lead]
            if lead.line < first:
                pass  # the list's introduction lies before the option: treat as unlabelled
            else:
                parsed = parse_fields(lead.lines[-1]) or parse_fields(lead.lines[0])
                label = parsed[0].lower().strip() if parsed else None
                if parsed is not None and not parsed[1].strip() and label not in meta.FEATURE_LABELS:
                    continue  # a list under "**Benefits**:", "**Rationale**:", "**Steps**:" …
                if parsed is None and _BOLD_LEAD.match(lead.lines[0]) and _label(repair(_BOLD_LEAD.match(lead.lines[0]).group("inner"))):
                    continue  # the list of another option line
        if parse_fields(item.text) is not None:
            continue  # "- **Effort**: 2 days" is metadata, not a feature
        if _CLOSED_BOX.match(item.text):
            continue  # "[-] Dropped feature", "[>] Moved to next sprint": not in the option's scope or total
        text = _feature_text(item.text)
        if text:
            features.append(text)
    return features


def _build_option(
    document: Document,
    *,
    label: str,
    title: str,
    line: int,
    end_line: int,
    line_text: str,
    chosen: bool,
    fields: dict,
    features: list[str],
    task: Task | None,
    section: int | None,
) -> Option:
    stated: Estimate | None = None
    stated_text: str | None = None
    for key in _TOTAL_KEYS:
        f = fields.get(key)
        if f is not None and parse_estimate(repair(f.value)) is not None:
            stated, stated_text = parse_estimate(repair(f.value)), meta.clean(f.value)
            break
    if stated is None:
        in_title = parse_estimate(repair(line_text))
        if in_title is not None:
            stated, stated_text = in_title, in_title.text
    if stated is None:
        stated, stated_text = meta.effort_of(fields)
        if stated is None:
            stated_text = None
    efforts = [_feature_effort(document, feature) for feature in features]
    known = [e for e in efforts if e is not None]
    summed = total(known) if known else None
    mismatch = bool(
        stated is not None and summed is not None and len(known) == len(features) and not stated.agrees_with(summed)
    )
    return Option(
        label=label,
        title=title,
        line=line,
        recommended=bool(_RECOMMENDED.search(repair(line_text))),
        chosen=chosen,
        stated_total=stated,
        summed_total=summed,
        total_mismatch=mismatch,
        features=features,
        value=meta.field_text(fields, meta.VALUE_KEYS),
        task=task,
        section=section,
        feature_efforts=efforts,
        stated_text=stated_text,
        end_line=end_line,
    )


_WORD = re.compile(r"[\w']+")


def _feature_effort(document: Document, feature: str) -> Estimate | None:
    """A feature's estimate: written on it, else the effort of a section of the document with its name."""
    estimate = parse_estimate(feature)
    if estimate is not None:
        return estimate
    words = [w.lower() for w in _WORD.findall(feature)]
    if len(words) < 2:
        return None
    wanted = set(words)
    for section in document.sections:
        title_words = {w.lower() for w in _WORD.findall(meta.display_heading(section.title, enumeration=True))}
        if len(title_words) >= 2 and (wanted <= title_words or title_words <= wanted):
            effort = meta.effort_of(meta.fields_by_key(document, section.index))[0]
            if effort is not None:
                return effort
    return None


def _looks_like_planning(decision: Decision) -> bool:
    """Options with efforts, values or a choice made, a recommendation written apart from them,
    or a decision title with a planning word ("Recommended Sprint 31 Scope", "Three Options Proposed")."""
    if decision.recommendation_line is not None:
        return True
    if any(o.stated_total or o.summed_total or o.value or o.chosen for o in decision.options):
        return True
    return bool(_PLANNING_WORDS.search(decision.title))


# -- recommendation and choice statements -----------------------------------------------------------


def _statements(document: Document, shape: Outline | None) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """``(recommendations, choices)`` written apart from the options: (line, label) each."""
    recommendations: list[tuple[int, str]] = []
    choices: list[tuple[int, str]] = []
    for section in document.sections:
        title = repair(section.title)
        if _label(title) is not None:
            continue
        choice = _CHOICE_STATEMENT.search(title)
        if choice:
            choices.append((section.line, choice.group("label").upper()))
            continue
        statement = _RECOMMEND_STATEMENT.search(title)
        if statement:
            recommendations.append((section.line, statement.group("label").upper()))
        elif _RECOMMEND_SECTION.search(title) and shape is not None:
            # "### My Recommendation" … "**Proceed with Option A (Sprint 5)** first."
            for paragraph in shape.paragraphs:
                if paragraph.section == section.index:
                    mention = re.search(rf"(?i)\b{_OPTION_REF}", repair(paragraph.lines[0]))
                    if mention:
                        recommendations.append((paragraph.line, mention.group("label").upper()))
                    break
    for f in document.fields:
        value = repair(f.value)
        mention = re.search(rf"(?i)\b{_OPTION_REF}", value)
        if mention is None or _label(repair(f.name)) is not None:
            continue
        if "recommend" in f.key:
            recommendations.append((f.line, mention.group("label").upper()))
        elif f.key in ("decision", "decided", "chosen", "selected", "choice", "outcome", "final decision"):
            choices.append((f.line, mention.group("label").upper()))
    if shape is not None:
        prose = [(p.line + offset, raw) for p in shape.paragraphs for offset, raw in enumerate(p.lines)]
        prose += [(item.line, item.text) for item in shape.items]
        for line, raw in prose:
            text = meta.clean(raw)
            bold = _BOLD_LEAD.match(raw)
            if parse_fields(raw) is not None or (bold and _label(repair(bold.group("inner")))):
                continue
            statement = _RECOMMEND_STATEMENT.search(text)
            if statement and not text.lower().startswith("if "):
                recommendations.append((line, statement.group("label").upper()))
    return recommendations, choices


def _nearest(decisions: list[Decision], line: int, label: str) -> int | None:
    """The decision a statement about ``label`` on ``line`` refers to: the nearest one before it
    that has such an option, else the nearest after it."""
    before = [(line - d.line, i) for i, d in enumerate(decisions) if d.line <= line and any(o.label == label for o in d.options)]
    if before:
        return min(before)[1]
    after = [(d.line - line, i) for i, d in enumerate(decisions) if any(o.label == label for o in d.options)]
    return min(after)[1] if after else None


def _apply_statements(document: Document, shape: Outline | None, decisions: list[Decision]) -> list[Decision]:
    recommendations, choices = _statements(document, shape)
    recommended: dict[int, tuple[str, int]] = {}
    chosen: dict[int, str] = {}
    for line, label in recommendations:
        index = _nearest(decisions, line, label)
        if index is None or any(o.line == line for o in decisions[index].options):
            continue
        if _in_scope(document, decisions[index], line):
            recommended.setdefault(index, (label, line))
    for line, label in choices:
        index = _nearest(decisions, line, label)
        if index is not None:
            chosen.setdefault(index, label)
    result = []
    for index, decision in enumerate(decisions):
        if index not in recommended and index not in chosen:
            result.append(decision)
            continue
        rec = recommended.get(index)
        options = [
            _replace(
                o,
                recommended=o.recommended or (rec is not None and o.label == rec[0]),
                chosen=o.chosen or chosen.get(index) == o.label,
            )
            for o in decision.options
        ]
        result.append(
            Decision(decision.title, decision.document, decision.line, decision.kind, options, rec[1] if rec else None)
        )
    return result


def _section_at(document: Document, line: int) -> int | None:
    found = None
    for section in document.sections:
        if section.line > line:
            break
        found = section.index
    return found


def _in_scope(document: Document, decision: Decision, line: int) -> bool:
    """A statement speaks for a decision when it is written inside the decision's section, or
    in a section about recommending ("## Recommendation: Option A", "### My Recommendation")."""
    section = _section_at(document, line)
    decision_section = _section_at(document, decision.line)
    probe = section
    while probe is not None:
        if probe == decision_section:
            return True
        probe = document.sections[probe].parent
    if section is None:
        return decision_section is None
    return bool(_RECOMMEND_SECTION.search(repair(document.sections[section].title)))


def _replace(option: Option, **changes: object) -> Option:
    from dataclasses import replace  # noqa: PLC0415

    return replace(option, **changes)
