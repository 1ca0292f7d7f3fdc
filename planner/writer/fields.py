"""Edits inside one task line — state, text, priority, due and scheduled dates — as plans.

Each writes the smallest change in the syntax the line already uses, else the one the
document uses most, else Obsidian Tasks' (its emoji are read by planner and by Obsidian):

- state: the box's character (``[/]`` in progress, ``[-]`` cancelled, ``[>]`` deferred),
  or a heading's marker (🔄, ❌); a done or cancelled date (``✅ 2026-12-02``) only where
  the document already writes them;
- text: the words between the box (and a todo.txt ``(A)``) and the trailing metadata
  (dates, ids, fields, tags), so that what the metadata says stays as it was;
- priority: 🔺⏫🔼🔽 (or 🔴🟠🟡🟢), ``[priority:: high]``, todo.txt ``(A)``, a ``P1`` tag,
  or a heading's ``**Priority**:`` field;
- dates: ``📅``/``⏳``, ``[due:: …]``/``[scheduled:: …]``, todo.txt ``due:``/``t:``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable

from planner.model.document import DONE, OPEN, Document, Task
from planner.model.mojibake import spell
from planner.writer.edit import check_task_bytes, find_again, set_done
from planner.writer.patch import Edit, EditError, Plan, apply, line_bounds, minimal_span, short, task_key
from planner.writer.when import today

STATES = {"open": " ", "in-progress": "/", "done": "x", "cancelled": "-", "deferred": ">"}
STATE_NAMES = {"todo": "open", "in_progress": "in-progress", "progress": "in-progress", "cancel": "cancelled", "canceled": "cancelled", "defer": "deferred"}
_HEADING_MARKERS = {"in-progress": "🔄", "cancelled": "❌"}

_DATE = r"\d{4}-\d{2}-\d{2}"
_EMOJI_DATE = {"due": "📅", "scheduled": "⏳", "start": "🛫", "created": "➕", "done": "✅", "cancelled": "❌"}
_DATAVIEW_KEY = {"due": "due", "scheduled": "scheduled", "start": "start", "done": "completion", "cancelled": "cancelled"}
_TODO_TXT_KEY = {"due": "due", "scheduled": "t"}
PRIORITY_EMOJI = {"P0": "🔺", "P1": "⏫", "P2": "🔼", "P3": "🔽"}
_EMOJI_LEVEL = {"🔺": "P0", "⏫": "P1", "🔼": "P2", "🔽": "P3", "⏬": "P3"}
_CIRCLES = {"P0": "🔴", "P1": "🟠", "P2": "🟡", "P3": "🟢"}
_CIRCLE_LEVEL = {v: k for k, v in _CIRCLES.items()}
_DATAVIEW_WORD = {"P0": "highest", "P1": "high", "P2": "medium", "P3": "low"}
_TODO_TXT_LETTER = {"P0": "A", "P1": "B", "P2": "C", "P3": "D"}

# One trailing metadata token of a task line (the text of an edit stops before a run of them).
_TOKEN = (
    rf"(?:[\U0001f4c5\u23f3\U0001f6eb\u2795\u2705\u274c]\ufe0f?[ \t]*{_DATE}"  # 📅 ⏳ 🛫 ➕ ✅ ❌ date
    r"|\U0001f501\ufe0f?[ \t]*[^\U0001f4c5\u23f3\U0001f6eb\u2795\u2705\u274c\U0001f194\u26d4\U0001f53a\u23eb\U0001f53c\U0001f53d\u23ec\[\]#]+?"  # 🔁 every week
    r"|\U0001f194[ \t]*[\w-]+|\u26d4\ufe0f?[ \t]*[\w,-]+"  # 🆔 id, ⛔ ids
    r"|[\U0001f53a\u23eb\U0001f53c\U0001f53d\u23ec\U0001f534\U0001f7e0\U0001f7e1\U0001f7e2]\ufe0f?"  # priorities
    r"|\[[\w][\w -]*::[^\]]*\]|\([\w][\w -]*::[^)]*\)"  # [key:: value], (key:: value)
    r"|(?:due|t|rec|pri):\S+|\+[\w./-]+|@[\w./-]+|#[\w/-]*[A-Za-z_][\w/-]*"  # todo.txt, #tags
    r"|[\[(]?P[0-3][\])]?)"  # a P-tag, as set_priority writes it: "P1", "[P2]", "(P0)"
)
_METADATA_RUN = re.compile(rf"(?:[ \t]+{_TOKEN})+[ \t]*$")
_TODO_TXT_PRIORITY = re.compile(r"^\(([A-Z])\)[ \t]+")
_P_TAG = re.compile(r"(?<![\w])([#\[(]?)P([0-3])([\])]?)(?![\w])")
_DATAVIEW_PRIORITY = re.compile(r"([\[(])priority::[ \t]*(\w+)[ \t]*([\])])", re.I)


def normalise_state(name: str) -> str:
    key = name.strip().lower().replace(" ", "-").replace("_", "-")
    key = STATE_NAMES.get(key.replace("-", "_"), key)
    if key not in STATES:
        raise EditError(f"unknown state '{name}' (open, in-progress, done, cancelled, deferred)")
    return key


def _content(data: bytes, task: Task) -> tuple[int, str]:
    """(offset, text) of the checkbox line after its box, or of the heading line."""
    start, end = line_bounds(data, task.offset)
    base = task.offset + 3 if task.kind == "checkbox" else start
    return base, data[base:end].decode("utf-8", "surrogateescape")


def _line_plan(document: Document, task: Task, description: str, expect: Callable[[Task | None], bool], build: Callable[[bytes, Document, Task], bytes]) -> tuple[Edit, Document]:
    """A plan that rewrites ``task``'s line (found again in the bytes just read) as ``build`` says."""

    def planner(data: bytes, current: Document) -> Plan:
        target = task if current is document else find_again(document, task, current)
        check_task_bytes(current.path, data, target)
        start, end = line_bounds(data, target.offset)
        new_line = build(data, current, target)
        if new_line == data[start:end]:
            raise EditError(f"{current.path}:{target.line}: '{short(target.text)}' is like that already")
        return Plan((minimal_span(start, data[start:end], new_line),), target.line, task_key(current, target), target.state, expect, description)

    return apply(document, planner)


# -- state ---------------------------------------------------------------------------------------


def set_state(document: Document, task: Task, state: str) -> tuple[Edit, Document]:
    """Set ``task`` to open, in-progress, done, cancelled or deferred, in the file's own dialect."""
    state = normalise_state(state)
    if task.kind == "heading":
        if state in ("open", "done"):
            if task.state == (DONE if state == "done" else OPEN) and task.status not in ("in progress", "failed"):
                raise EditError(f"{document.path}:{task.line}: '{short(task.text)}' is {state} already")
            if task.state != DONE and state == "open":
                return _heading_marker(document, task, "⏸️", state)
            return set_done(document, task, state == "done")
        if state not in _HEADING_MARKERS:
            raise EditError(f"{document.path}:{task.line}: a heading task cannot be {state}; only open, in-progress, done or cancelled")
        return _heading_marker(document, task, _HEADING_MARKERS[state], state)
    if state in ("open", "done") and task.toggleable:
        if (task.state == DONE) == (state == "done"):
            raise EditError(f"{document.path}:{task.line}: '{short(task.text)}' is {state} already")
        return _checkbox_state(document, task, state)
    return _checkbox_state(document, task, state)


def _checkbox_state(document: Document, task: Task, state: str) -> tuple[Edit, Document]:
    from planner.writer.edit import tick_mark  # noqa: PLC0415

    def build(data: bytes, current: Document, target: Task) -> bytes:
        start, end = line_bounds(data, target.offset)
        line = data[start:end]
        column = target.offset + 1 - start
        letter = (tick_mark(current) if state == "done" else STATES[state].encode())
        if target.state == DONE and state == "done":
            letter = line[column : column + 1]
        line = line[:column] + letter + line[column + 1 :]
        return _stamp_dates(data, line, column, state, target.state)

    wanted = {"open": OPEN, "done": DONE}.get(state, STATES[state])
    return _line_plan(document, task, f"{state} {short(task.text)}", lambda t: t is not None and t.state == wanted, build)


def _uses(data: bytes, emoji: str) -> bool:
    return re.search(rf"{emoji}\ufe0f?[ \t]*{_DATE}", data.decode("utf-8", "replace")) is not None


def _stamp_dates(data: bytes, line: bytes, column: int, state: str, was: str) -> bytes:
    """Add ✅/❌ with today's date where the document writes them; take them off when left."""
    text = line.decode("utf-8", "surrogateescape")
    for kind, emoji in (("done", "✅"), ("cancelled", "❌")):
        pattern = re.compile(rf"[ \t]+{emoji}\ufe0f?[ \t]*{_DATE}")
        if state == kind:
            if not pattern.search(text) and _uses(data, emoji):
                text = _append(text, f"{emoji} {today().isoformat()}")
        elif pattern.search(text[column:]):
            text = text[:column] + pattern.sub("", text[column:], count=1)
    return text.encode("utf-8", "surrogateescape")


def _append(text: str, token: str) -> str:
    """``text`` with `` token`` after its content, before its trailing blanks."""
    stripped = text.rstrip(" \t")
    return f"{stripped} {token}{text[len(stripped):]}"


def _heading_marker(document: Document, task: Task, emoji: str, state: str) -> tuple[Edit, Document]:
    def build(data: bytes, current: Document, target: Task) -> bytes:
        start, end = line_bounds(data, target.offset)
        line = data[start:end]
        column = target.offset - start
        marker = spell(emoji, target.mangled).encode("utf-8", "surrogateescape")
        return line[:column] + marker + line[column + target.length :]

    statuses = {"in-progress": ("in progress",), "cancelled": ("cancelled", "failed"), "open": ("paused",)}[state]
    return _line_plan(document, task, f"{state} {short(task.title or task.text)}", lambda t: t is not None and t.status in statuses, build)


# -- text ----------------------------------------------------------------------------------------


def text_span(content: str) -> tuple[int, int]:
    """(start, end) of the words in a task line's content: without a todo.txt ``(A)`` before
    them, trailing metadata after them, or the blanks around."""
    start = len(content) - len(content.lstrip(" \t"))
    todo = _TODO_TXT_PRIORITY.match(content[start:])
    if todo:
        start += todo.end()
    run = _METADATA_RUN.search(content, start)
    end = run.start() if run else len(content.rstrip(" \t"))
    return start, max(start, end)


def editable_text(data: bytes, task: Task) -> str:
    """The words of a task as an edit box shows them: no box, no marker, no metadata."""
    _, content = _content(data, task)
    if task.kind == "heading":
        return _heading_words(content, task)[1]
    start, end = text_span(content)
    return content[start:end]


def _heading_words(content: str, task: Task) -> tuple[int, str]:
    """(start, words) of a heading task's title without its marker: the words after a leading
    marker ("## ✅ Phase 1"), else before it, without a bracket it opens ("Data (TODO …)")."""
    lead = len(content) - len(content.lstrip(" \t>#"))
    if task.marker and content.startswith(task.marker, lead):
        after = lead + len(task.marker)
        begin = after + len(content[after:]) - len(content[after:].lstrip(" \t"))
        return begin, content[begin:].rstrip(" \t#")
    marker_at = content.rfind(task.marker)
    words = content[lead:marker_at].rstrip(" \t") if marker_at > lead else content[lead:].rstrip(" \t#")
    if marker_at > lead and words.endswith(("(", "[")):
        words = words[:-1].rstrip(" \t")
    return lead, words


def set_text(document: Document, task: Task, text: str) -> tuple[Edit, Document]:
    """Replace the words of ``task`` with ``text``, keeping its box or marker, metadata and blanks."""
    from planner.writer.lines import check_task_text  # noqa: PLC0415

    text = check_task_text(text)

    def build(data: bytes, current: Document, target: Task) -> bytes:
        base, content = _content(data, target)
        start_line, end_line = line_bounds(data, target.offset)
        if target.kind == "heading":
            lead, words = _heading_words(content, target)
            begin, finish = lead, lead + len(words)
        else:
            begin, finish = text_span(content)
        new_content = content[:begin] + text + content[finish:]
        head = data[start_line:base]
        return head + new_content.encode("utf-8", "surrogateescape")

    def expect(after: Task | None) -> bool:
        return after is not None and after.kind == task.kind and after.state == task.state and text in after.text

    return _line_plan(document, task, f"edit {short(text)}", expect, build)


# -- priority ------------------------------------------------------------------------------------


def normalise_priority(value: str) -> str | None:
    key = value.strip().upper()
    if key in ("NONE", "-", ""):
        return None
    words = {"CRITICAL": "P0", "HIGHEST": "P0", "HIGH": "P1", "MEDIUM": "P2", "LOW": "P3", "LOWEST": "P3"}
    key = words.get(key, key)
    if key in ("0", "1", "2", "3"):
        key = "P" + key
    if key not in PRIORITY_EMOJI:
        raise EditError(f"unknown priority '{value}' (P0, P1, P2, P3 or none)")
    return key


def _priority_dialect(text: str) -> str | None:
    if any(e in text for e in _EMOJI_LEVEL):
        return "emoji"
    if any(c in text for c in _CIRCLE_LEVEL):
        return "circle"
    if _DATAVIEW_PRIORITY.search(text):
        return "dataview"
    if _TODO_TXT_PRIORITY.match(text.lstrip(" \t")):
        return "todo.txt"
    if _P_TAG.search(text):
        return "tag"
    return None


def _prevailing_priority_dialect(data: bytes, document: Document) -> str:
    counts = Counter()
    for other in document.tasks:
        if other.kind == "checkbox":
            dialect = _priority_dialect(other.text)
            if dialect:
                counts[dialect] += 1
    return counts.most_common(1)[0][0] if counts else "emoji"


def _with_priority(content: str, level: str | None, dialect: str) -> str:
    """``content`` (after the box) with its priority in ``dialect`` set to ``level`` (None: removed)."""
    if dialect == "emoji":
        found = re.search("[" + "".join(_EMOJI_LEVEL) + "]\ufe0f?", content)
        token = PRIORITY_EMOJI[level] if level else ""
    elif dialect == "circle":
        found = re.search("[" + "".join(_CIRCLE_LEVEL) + "]\ufe0f?", content)
        token = _CIRCLES[level] if level else ""
    elif dialect == "dataview":
        found = _DATAVIEW_PRIORITY.search(content)
        token = f"{found.group(1) if found else '['}priority:: {_DATAVIEW_WORD[level]}{found.group(3) if found else ']'}" if level else ""
    elif dialect == "todo.txt":
        lead = len(content) - len(content.lstrip(" \t"))
        match = _TODO_TXT_PRIORITY.match(content[lead:])
        if match:
            rest = content[lead + match.end() :]
            return content[:lead] + (f"({_TODO_TXT_LETTER[level]}) " if level else "") + rest
        return content[:lead] + f"({_TODO_TXT_LETTER[level]}) " + content[lead:] if level else content
    else:
        found = _P_TAG.search(content)
        token = f"{found.group(1) if found else ''}P{level[1]}{found.group(3) if found else ''}" if level else ""
    if found:
        before, after = content[: found.start()], content[found.end() :]
        if not token:
            before = before.rstrip(" \t") if after[:1] in ("", " ", "\t") else before
            return before + after
        return before + token + after
    if not level:
        return content
    start, end = text_span(content)
    return content[:end] + " " + token + content[end:]


def set_priority(document: Document, task: Task, priority: str | None) -> tuple[Edit, Document]:
    """Set (or with None remove) ``task``'s priority in its line's dialect or the document's."""
    level = normalise_priority(priority) if isinstance(priority, str) else None
    if task.kind == "heading":
        return _heading_priority(document, task, level)

    def build(data: bytes, current: Document, target: Task) -> bytes:
        base, content = _content(data, target)
        start_line, _ = line_bounds(data, target.offset)
        dialect = _priority_dialect(content) or _prevailing_priority_dialect(data, current)
        return data[start_line:base] + _with_priority(content, level, dialect).encode("utf-8", "surrogateescape")

    def expect(after: Task | None) -> bool:
        return after is not None and after.kind == task.kind and after.state == task.state

    return _line_plan(document, task, f"priority {level or 'none'} {short(task.text)}", expect, build)


def _heading_priority(document: Document, task: Task, level: str | None) -> tuple[Edit, Document]:
    """A section item's priority: its ``**Priority**:`` field's value, in the words it uses."""
    fields = [f for f in document.fields if f.section == task.heads and f.key == "priority"]
    if not fields:
        raise EditError(f"{document.path}:{task.line}: this section has no Priority field to change; add one with your editor")
    field = fields[0]
    words = {"P0": "Critical", "P1": "High", "P2": "Medium", "P3": "Low"}

    def planner(data: bytes, current: Document) -> Plan:
        if current is not document:
            raise EditError(f"{document.path}:{field.line}: the file changed on disk since it was read; reload and try again")
        from planner.writer.patch import line_start_of  # noqa: PLC0415

        start = line_start_of(data, field.line)
        end = line_bounds(data, start)[1]
        line = data[start:end].decode("utf-8", "surrogateescape")
        at = line.rfind(field.value)
        if at < 0 or not level:
            raise EditError(f"{document.path}:{field.line}: cannot find the Priority value to change; nothing written")
        # Only the priority word of the value changes: "P0 - Blocking all other work" keeps its note.
        lead = re.match(r"\s*(?:P[0-3]\b|(?i:critical|urgent|highest|high|medium|lowest|low)\b)", field.value)
        if lead is None:
            start_at, end_at, value = at, at + len(field.value), words[level]
        else:
            token = lead.group().strip()
            start_at = at + lead.end() - len(token)
            end_at = at + lead.end()
            value = level if token.startswith("P") else _same_case(words[level], token)
        new = (line[:start_at] + value + line[end_at:]).encode("utf-8", "surrogateescape")
        return Plan((minimal_span(start, data[start:end], new),), field.line, task_key(current, task), None, None, f"priority {level} {short(task.title)}")

    return apply(document, planner)


def _same_case(word: str, like: str) -> str:
    return word.upper() if like.isupper() else word.lower() if like.islower() else word


# -- dates ---------------------------------------------------------------------------------------


def _date_token(content: str, kind: str) -> re.Match[str] | None:
    emoji = _EMOJI_DATE[kind]
    key = _DATAVIEW_KEY[kind]
    alternatives = [rf"{emoji}\ufe0f?[ \t]*(?P<a>{_DATE})", rf"[\[(]{key}::[ \t]*(?P<b>{_DATE})[ \t]*[\])]"]
    if kind in _TODO_TXT_KEY:
        alternatives.append(rf"(?<!\S){_TODO_TXT_KEY[kind]}:(?P<c>{_DATE})")
    return re.search("|".join(alternatives), content)


def _date_dialect(data: bytes, kind: str) -> str:
    text = data.decode("utf-8", "replace")
    counts = Counter(
        {
            "emoji": len(re.findall(rf"[\U0001f4c5\u23f3]\ufe0f?[ \t]*{_DATE}", text)),
            "dataview": len(re.findall(rf"[\[(](?:due|scheduled|start)::", text)),
            "todo.txt": len(re.findall(rf"(?<!\S)(?:due|t):{_DATE}", text)),
        }
    )
    dialect, number = counts.most_common(1)[0]
    if dialect == "todo.txt" and kind not in _TODO_TXT_KEY:
        return "emoji"
    return dialect if number else "emoji"


def current_date(data: bytes, task: Task, kind: str = "due") -> dt.date | None:
    _, content = _content(data, task)
    found = _date_token(content, kind)
    if found is None:
        return None
    return dt.date.fromisoformat(found.group("a") or found.group("b") or found.group("c"))


def set_date(document: Document, task: Task, day: dt.date | None, kind: str = "due") -> tuple[Edit, Document]:
    """Set (or with None remove) ``task``'s due or scheduled date, in the line's dialect or the document's."""
    if kind not in ("due", "scheduled"):
        raise EditError(f"unknown date kind '{kind}' (due, scheduled)")
    if task.kind != "checkbox":
        raise EditError(f"{document.path}:{task.line}: dates are set on checkbox tasks")

    def build(data: bytes, current: Document, target: Task) -> bytes:
        base, content = _content(data, target)
        start_line, _ = line_bounds(data, target.offset)
        found = _date_token(content, kind)
        if found is not None:
            group = "a" if found.group("a") else "b" if found.group("b") else "c"
            if day is None:
                before = content[: found.start()].rstrip(" \t")
                new = before + content[found.end() :]
            else:
                new = content[: found.start(group)] + day.isoformat() + content[found.end(group) :]
        elif day is None:
            raise EditError(f"{current.path}:{target.line}: '{short(target.text)}' has no {kind} date")
        else:
            dialect = _date_dialect(data, kind)
            token = {
                "emoji": f"{_EMOJI_DATE[kind]} {day.isoformat()}",
                "dataview": f"[{_DATAVIEW_KEY[kind]}:: {day.isoformat()}]",
                "todo.txt": f"{_TODO_TXT_KEY.get(kind, 'due')}:{day.isoformat()}",
            }[dialect]
            new = _append(content, token)
        return data[start_line:base] + new.encode("utf-8", "surrogateescape")

    what = day.isoformat() if day else "none"
    return _line_plan(document, task, f"{kind} {what} {short(task.text)}", lambda t: t is not None and t.kind == "checkbox", build)

