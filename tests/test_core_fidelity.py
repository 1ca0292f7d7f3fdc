"""Task detection and write-back are exact on real files: the corpus, the specs and sample_docs.

Detection is compared with an independent oracle (tests/oracle.py). Toggling goes
through the real writer on scratch copies and must change exactly the bracket byte
of each toggled line; toggling back must restore the original bytes.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from oracle import oracle_tasks
from planner.model.parser import parse_document
from planner.workspace.loader import load_document
from planner.workspace.workspace import Workspace
from planner.writer.edit import set_done, toggle, toggle_line
from tests.conftest import CORPUS, SAMPLE_DOCS

SAMPLE_PER_FILE = 4


def corpus_files() -> list[Path]:
    files: list[Path] = []
    for folder, patterns in (("real", ("**/*",)), ("spec", ("*.md", "*.txt"))):
        root = CORPUS / folder
        for pattern in patterns:
            files.extend(p for p in sorted(root.glob(pattern)) if p.is_file())
    return files


CORPUS_FILES = corpus_files()


def checkbox_tasks(document):
    return [t for t in document.tasks if t.kind == "checkbox" and t.state in ("open", "done")]


def assert_detection_matches_oracle(path: Path, data: bytes) -> None:
    document = parse_document(str(path), data)
    ours = [(t.line, t.state == "done") for t in checkbox_tasks(document)]
    assert ours == oracle_tasks(data), f"{path}: tasks differ from the oracle"
    for task in checkbox_tasks(document):
        box = data[task.offset : task.offset + 3]
        assert box in (b"[ ]", b"[x]", b"[X]"), f"{path}:{task.line}: offset points at {box!r}"


def toggle_sample_and_back(path: Path, tmp_path: Path) -> int:
    """Toggle a sample of the file's tasks through the writer; returns how many were toggled."""
    copy = tmp_path / path.name
    shutil.copyfile(path, copy)
    original = copy.read_bytes()
    workspace = Workspace([copy])
    workspace.load()
    document = workspace.document(copy)
    if document is None:  # no planning content at all
        assert not oracle_tasks(original)
        return 0
    tasks = checkbox_tasks(document)
    if not tasks:
        return 0
    rng = random.Random(path.name)
    chosen = {tasks[0].line, tasks[-1].line} | {t.line for t in rng.sample(tasks, min(len(tasks), SAMPLE_PER_FILE - 2))}
    expected_positions = set()
    for line in sorted(chosen):
        document = workspace.document(copy)
        task = document.task_at_line(line)
        expected_positions.add(task.offset + 1)
        workspace.toggle(document, task)
    toggled = copy.read_bytes()
    assert len(toggled) == len(original)
    changed = {i for i, (a, b) in enumerate(zip(original, toggled, strict=True)) if a != b}
    assert changed == expected_positions, f"{path}: changed bytes {sorted(changed)} != brackets {sorted(expected_positions)}"
    before = dict(oracle_tasks(original))
    after = dict(oracle_tasks(toggled))
    assert before.keys() == after.keys()
    flipped = {line for line in before if before[line] != after[line]}
    assert flipped == chosen, f"{path}: oracle sees lines {sorted(flipped)} flipped, expected {sorted(chosen)}"
    for line in sorted(chosen):
        document = workspace.document(copy)
        workspace.toggle(document, document.task_at_line(line))
    assert copy.read_bytes() == original, f"{path}: toggling back did not restore the original bytes"
    return len(chosen)


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")
def test_corpus_detection_and_toggles_are_exact(tmp_path: Path) -> None:
    assert len(CORPUS_FILES) > 350
    files = tasks = toggles = 0
    for path in CORPUS_FILES:
        data = path.read_bytes()
        assert_detection_matches_oracle(path, data)
        files += 1
        tasks += len(oracle_tasks(data))
        toggles += toggle_sample_and_back(path, tmp_path)
    print(f"\ncorpus fidelity: {files} files, {tasks} tasks, {toggles} toggles (each toggled back)")
    assert tasks > 10_000 and toggles > 500


def sample_files() -> list[Path]:
    return sorted(SAMPLE_DOCS.rglob("*.md"))


def test_sample_docs_match_oracle() -> None:
    files = sample_files()
    assert len(files) == 5
    for path in files:
        assert_detection_matches_oracle(path, path.read_bytes())


@pytest.mark.parametrize("path", sample_files(), ids=lambda p: p.name)
def test_sample_docs_every_checkbox_toggles_exactly(path: Path, tmp_path: Path) -> None:
    copy = tmp_path / path.name
    shutil.copyfile(path, copy)
    original = copy.read_bytes()
    document, _ = load_document(copy)
    for task in checkbox_tasks(document):
        current = copy.read_bytes()
        edit, document = toggle(document, document.task_at_line(task.line))
        after = copy.read_bytes()
        diff = [i for i, (a, b) in enumerate(zip(current, after, strict=True)) if a != b]
        assert diff == [task.offset + 1]
        assert after[task.offset : task.offset + 3] == (b"[ ]" if task.done else b"[x]")
        _, document = toggle(document, document.task_at_line(task.line))
        assert copy.read_bytes() == current
    assert copy.read_bytes() == original


# The daily backlog's tasks are headings: "### Task 1.1: … (4-6 hours) ⏸️", with the
# marker mangled by a Mac Roman round trip on disk.
DAILY_TASK_LINES = [30, 52, 74, 112, 135]
MAC_ROMAN_PAUSED = "‚è∏Ô∏è".encode()
MAC_ROMAN_DONE = "‚úÖ".encode()


def test_daily_backlog_heading_tasks_tick_in_the_files_own_spelling(docs: Path) -> None:
    path = docs / "kato" / "DAILY_BACKLOG.md"
    original = path.read_bytes()
    document, _ = load_document(path)
    headings = [t for t in document.tasks if t.kind == "heading"]
    assert [t.line for t in headings] == DAILY_TASK_LINES
    assert all(t.state == "open" and t.status == "paused" for t in headings)
    lines = original.split(b"\n")
    for task in headings:
        before = path.read_bytes()
        current = document.task_at_line(task.line)  # offsets shift as earlier markers change length
        _, document = set_done(document, current, True)
        after = path.read_bytes()
        expected = before[: current.offset] + MAC_ROMAN_DONE + before[current.offset + len(MAC_ROMAN_PAUSED) :]
        assert after == expected
        assert lines[task.line - 1].endswith(MAC_ROMAN_PAUSED)
        assert document.task_at_line(task.line).state == "done"
    for task in headings:
        _, document = set_done(document, document.task_at_line(task.line), False)
    assert path.read_bytes() == original


def test_heading_with_word_marker_changes_only_the_marker(docs: Path) -> None:
    path = docs / "kato" / "SPRINT_BACKLOG.md"
    original = path.read_bytes()
    document, _ = load_document(path)
    task = document.task_at_line(12)
    assert task.kind == "heading" and task.state == "done" and task.marker == "✅ VERIFIED"
    _, document = toggle(document, task)
    line = path.read_bytes().split(b"\n")[11]
    # Unticking drops the done marker (this document's open headings carry none): never an
    # invented "paused" state, and the word goes with its emoji.
    assert line == "#### Phase 1: Infrastructure Foundation (2025-11-12)".encode()
    assert document.task_at_line(12) is None
    rest_before = original.split(b"\n")
    rest_after = path.read_bytes().split(b"\n")
    assert [a for i, a in enumerate(rest_after) if i != 11] == [b for i, b in enumerate(rest_before) if i != 11]
    # Toggling the line again, in a new process's way (a fresh load), gives back the bytes.
    document, _ = load_document(path)
    toggle_line(document, 12)
    assert path.read_bytes() == original


def test_status_sections_and_icons_are_not_tasks(sample_docs: Path) -> None:
    document, _ = load_document(sample_docs / "kato" / "DAILY_BACKLOG.md")
    titles = {s.title for s in document.sections}
    assert "Completed Today ‚úÖ" in titles and "Blocked/Waiting ‚è∏Ô∏è" in titles
    heading_task_lines = {t.line for t in document.tasks if t.kind == "heading"}
    for section in document.sections:
        if section.title.startswith(("Completed Today", "Blocked/Waiting")):
            assert section.line not in heading_task_lines


@pytest.mark.parametrize("path", sample_files(), ids=lambda p: p.name)
def test_model_after_each_edit_equals_a_fresh_parse(path: Path, tmp_path: Path) -> None:
    """The writer updates the model in place for checkboxes; it must equal parsing the file anew."""
    copy = tmp_path / path.name
    shutil.copyfile(path, copy)
    document, _ = load_document(copy)
    for line in [t.line for t in document.tasks][:12]:
        _, document = toggle(document, document.task_at_line(line))
        fresh, _ = load_document(copy)
        assert document.model_dump(exclude={"mtime_ns"}) == fresh.model_dump(exclude={"mtime_ns"})


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")
def test_corpus_detection_is_exact_when_served_from_the_cache(tmp_path: Path, monkeypatch) -> None:
    """A warm load (every document from the cache) still equals the oracle, file by file."""
    from planner.workspace import cache as cache_module

    monkeypatch.setenv("PLANNER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(cache_module, "RACY_SECONDS", 0.0)  # the corpus files are old anyway
    roots = [CORPUS / "real", CORPUS / "spec"]
    cold = Workspace(roots)
    cold.load()
    parsed = []
    monkeypatch.setattr("planner.workspace.bulk.load_snapshot", lambda *a: parsed.append(a))
    warm = Workspace(roots)
    warm.load()
    assert parsed == [] and len(warm.documents) == len(cold.documents) > 300
    for path, document in warm.documents.items():
        assert document.model_dump() == cold.documents[path].model_dump()
        ours = [(t.line, t.state == "done") for t in checkbox_tasks(document)]
        assert ours == oracle_tasks(Path(path).read_bytes()), path
