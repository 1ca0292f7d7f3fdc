"""The format fixtures: documents in other teams' styles and other tools' dialects, each with
what planner must read from it (tests/fixtures/formats/*.md, see its README).

One case is::

    Title of the case [file=journal/2026/12/02.md] [today=2026-12-02]
    .
    the Markdown document (or several: a line "::: file PATH" starts each)
    .
    {"tasks": [...], "focus": {...}, "queues": {...}, "options": {...}}
    .

in the style of markdown-it-py's fixture files. The expected JSON is a subset of what
``planner tasks|focus|queues|options PATH --json --today DAY`` prints: every key written
is compared, lists must have the same length (tasks: the same tasks, in order); ``null``
or ``[]`` for a date or the tags also accepts the key being absent (given where known).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from planner.cli.main import main

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "formats"
_OPTION = re.compile(r"\[(file|today|open)=([^\]]*)\]")


def read_cases(path: Path) -> list[tuple[str, int, dict[str, str], str, str]]:
    """``(title, line, options, input, expected)`` of every case in a fixture file."""
    lines = path.read_text(encoding="utf-8").split("\n")
    cases = []
    number = 0
    while number < len(lines):
        if not lines[number].strip() or lines[number].startswith("<!--"):
            number += 1
            continue
        title_line = number
        title = lines[number]
        assert lines[number + 1] == ".", f"{path.name}:{number + 2}: expected '.' after the title"
        chunks: list[list[str]] = [[], []]
        number += 2
        for chunk in chunks:
            while lines[number] != ".":
                chunk.append(lines[number])
                number += 1
            number += 1
        options = dict(_OPTION.findall(title))
        cases.append((_OPTION.sub("", title).strip(), title_line + 1, options, "\n".join(chunks[0]) + "\n", "\n".join(chunks[1])))
    return cases


CASES = [
    pytest.param(path, *case, id=f"{path.stem}:{case[1]}:{case[0][:40]}")
    for path in sorted(FIXTURES.glob("*.md"))
    for case in read_cases(path)
]


def write_files(root: Path, text: str, default: str) -> None:
    parts = re.split(r"^::: file (.+)\n", text, flags=re.M)
    if len(parts) == 1:
        parts = ["", default, text]
    assert not parts[0].strip(), "text before the first '::: file'"
    for name, body in zip(parts[1::2], parts[2::2], strict=True):
        target = root / name.strip()
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body.encode("utf-8"))


# Keys that planner tasks --json gives where known (PRODUCT.md): a task without a due date has no "due".
_WHERE_KNOWN = frozenset({"due", "scheduled", "start", "done_date", "tags"})


def subset(expected: object, actual: object, where: str = "") -> None:
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{where}: {actual!r} is no object"
        for key, value in expected.items():
            if key in _WHERE_KNOWN and value in (None, []):
                assert actual.get(key) in (None, []), f"{where}.{key}: {actual.get(key)!r} is not empty"
                continue  # given only where known: null, [] and absent all say "none"
            assert key in actual, f"{where}.{key} missing in {actual!r}"
            subset(value, actual[key], f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), f"{where}: {actual!r} is not {expected!r}"
        for index, (e, a) in enumerate(zip(expected, actual, strict=True)):
            subset(e, a, f"{where}[{index}]")
    else:
        assert expected == actual, f"{where}: {actual!r} != {expected!r}"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize(("path", "title", "line", "options", "source", "expected"), CASES)
def test_format_fixture(
    path: Path, title: str, line: int, options: dict[str, str], source: str, expected: str,
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    root = tmp_path / "repo"
    write_files(root, source, options.get("file", "doc.md"))
    monkeypatch.chdir(root)
    want = json.loads(expected)
    today = ["--today", options.get("today", "2026-12-02")]
    if "tasks" in want:
        extra = ["--open"] if options.get("open") else []
        tasks = run(capsys, "tasks", ".", *extra, *today)["tasks"]
        subset(want["tasks"], tasks, "tasks")
    if "focus" in want:
        subset(want["focus"], run(capsys, "focus", ".", *today), "focus")
    if "queues" in want:
        subset(want["queues"], run(capsys, "queues", ".", *today)["queues"], "queues")
    if "options" in want:
        subset(want["options"], run(capsys, "options", ".", *today)["decisions"], "options")


def test_every_fixture_file_has_cases() -> None:
    files = sorted(FIXTURES.glob("*.md"))
    assert files and all(read_cases(f) for f in files)
