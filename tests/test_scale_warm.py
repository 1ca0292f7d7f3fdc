"""A warm ``planner tasks --json`` to a pipe writes the task JSON stored in the cache,
without rebuilding documents, and its bytes are exactly those of a fresh parse.

The reference output is built here from a cache-free load (``Workspace`` documents →
``task_objects`` → one compact ``json.dumps``), so it shares nothing with the stored
fragments, their splicing or the stream writer.
"""

from __future__ import annotations

import io
import json
import marshal
import os
import re
import shutil
import subprocess
import sys
import textwrap
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

import planner
from planner.cli.main import main
from planner.model.parser import parse_document
from planner.views.task_json import FILE_HEAD, encode
from planner.views.tasks import render_task_json, task_objects
from planner.workspace import cache as cache_module
from planner.workspace.workspace import Workspace
from helpers.cache_rows import delete_rows, rows, set_row
from tests.conftest import SAMPLE_DOCS

PACKAGE = Path(planner.__file__).resolve().parent


@pytest.fixture(autouse=True)
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("PLANNER_CACHE_DIR", str(folder))
    monkeypatch.delenv("PLANNER_NO_CACHE", raising=False)
    # Files written by a test are seconds old: let the cache keep them anyway.
    monkeypatch.setattr(cache_module, "RACY_SECONDS", 0.0)
    return folder


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """The sample documents (mojibake included) plus the awkward cases."""
    root = tmp_path / "docs"
    shutil.copytree(SAMPLE_DOCS, root)
    extra = root / "extra"
    extra.mkdir()
    (extra / "bom.md").write_bytes(b"\xef\xbb\xbf# Sprint backlog\n\n- [ ] BOM task\n- [x] done after a BOM\n")
    (extra / "crlf.md").write_bytes(b"# Sprint\r\n\r\n## P1 items\r\n\r\n- [ ] crlf one\r\n- [X] crlf two\r\n")
    (extra / "mojibake.md").write_bytes(
        "# Daily backlog\n\n### Task 1.1: fix it (2 hours) âœ…\n\n- [ ] caf\u00e9 \"quoted\" \\ back\\slash\n".encode()
    )
    (extra / "no-tasks.md").write_bytes(b"# Roadmap\n\n**Priority**: High\n\nNothing to tick yet.\n")
    (extra / "plain.md").write_bytes(b"# Notes\n\nJust some prose.\n")
    (extra / "empty.md").write_bytes(b"")
    (extra / "latin1.md").write_bytes(b"# Backlog\n\n- [ ] caf\xe9 is not UTF-8\n- [x] ok \xe2\x9c\x85\n")
    (extra / "states.md").write_bytes(b"# Sprint\n\n- [ ] a\n  - [-] dropped\n  - [/] half\n- [x] b\n")
    named = extra / "we\"ird \\ n\u00e4me \u2705.md"
    named.write_bytes(b"# Sprint\n\n- [ ] odd file name\n")
    (extra / os.fsdecode(b"bytes-\xff.md")).write_bytes(b"# Sprint\n\n- [ ] a file name that is not UTF-8\n")
    return root


def reference(paths: list[Path], only_open: bool = False) -> bytes:
    """What ``planner tasks --json`` prints, from a fresh parse (no cache involved)."""
    workspace = Workspace(paths)
    workspace.use_cache = False
    workspace.load()
    tasks = [
        task
        for document in workspace.documents.values()
        for task in task_objects(document, workspace.relative(document.path))
        if not (only_open and task["status_type"] not in ("todo", "in_progress"))  # open work: not done, cancelled or deferred
    ]
    payload = {"schema": "planner/1", "root": str(workspace.base), "tasks": tasks}
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":")) + "\n"
    # Bytes that were not UTF-8 (lone surrogates) are written as \udcXX escapes (README, JSON).
    return re.sub("[\ud800-\udfff]", lambda m: f"\\u{ord(m.group()):04x}", text).encode("utf-8")


def run_tasks(*args: str, stdout: str = "utf-8") -> tuple[int, bytes, str]:
    """``planner tasks ARGS --json`` in this process, stdout not a terminal.

    ``stdout``: "utf-8" (a byte stream, like a pipe), "text" (a StringIO, no byte
    buffer) or "latin-1" (a byte stream in another encoding)."""
    raw = io.BytesIO()
    if stdout == "text":
        out: io.TextIOBase = io.StringIO()
    else:
        out = io.TextIOWrapper(raw, encoding=stdout, errors="surrogateescape" if stdout == "utf-8" else "replace")
    err = io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["tasks", *args, "--json"])
    out.flush()
    data = out.getvalue().encode("utf-8", "surrogateescape") if isinstance(out, io.StringIO) else raw.getvalue()
    return code, data, err.getvalue()


def entries(cache_dir: Path) -> list[str]:
    return sorted(rows(cache_dir))


def forbid_documents(monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on, fail if a document is rebuilt from the cache or a file is parsed."""

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("the warm path rebuilt or parsed a document")

    monkeypatch.setattr(cache_module, "load_document", forbidden)
    monkeypatch.setattr("planner.workspace.bulk.load_snapshot", forbidden)


def parsed_paths(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """From now on, record the files that are parsed."""
    from planner.workspace import bulk

    seen: list[str] = []
    real = bulk.load_snapshot

    def spy(path, prefilter):  # noqa: ANN001, ANN202
        seen.append(os.path.basename(path))
        return real(path, prefilter)

    monkeypatch.setattr(bulk, "load_snapshot", spy)
    return seen


# -- the stored task JSON ----------------------------------------------------------------------


def test_rendered_task_json_is_the_task_objects_encoded(tree: Path) -> None:
    """render_task_json writes each object itself: it must be task_objects' object as the
    encoder writes it, after its "file", on every awkward document (quotes, back slashes,
    control characters, U+2028, emoji, bytes that are not UTF-8, a task above the first
    heading, no priority or status, other states)."""
    (tree / "extra" / "strings.md").write_bytes(
        "- [ ] above any heading \"q\"\n\n"
        "# Sprint \"one\" \\ two\n\n## P1: tabs\tand \u2028 separators \u00e9\n\n"
        "- [ ] ctrl \x01\x1f \"q\" \\ \u2028 \U0001f600 \U0001f534\n  - [x] nested\n  - [-] dropped\n\n"
        "### Task 2: ship it \u2705 DONE\n".encode()
    )
    seen = 0
    for path in sorted(tree.rglob("*.md")):
        document = parse_document(str(path), path.read_bytes())
        stored = render_task_json(document)
        expected = [encode(item)[len(FILE_HEAD) :] for item in task_objects(document, "")]
        assert all(encode(item).startswith(FILE_HEAD) for item in task_objects(document, ""))
        try:
            assert list(stored.tails) == [tail.encode("utf-8") for tail in expected], path
        except UnicodeEncodeError:  # not UTF-8: kept as text
            assert list(stored.tails) == expected, path
        seen += len(expected)
    assert seen > 50


# -- the warm path, byte for byte ---------------------------------------------------------------


@pytest.mark.parametrize("only_open", [False, True], ids=["all", "open"])
def test_warm_output_is_the_fresh_parse_byte_for_byte(
    tree: Path, cache_dir: Path, only_open: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = [str(tree), *(["--open"] if only_open else [])]
    expected = reference([tree], only_open)
    for case in (b"odd file name", b"BOM task", b"crlf one", rb"caf\udce9 is not", b"not UTF-8", "\u2705".encode()):
        assert case in expected or only_open, case
    cold = run_tasks(*args)
    assert cold[0] == 0 and cold[1] == expected
    assert len(entries(cache_dir)) == len(list(tree.rglob("*.md")))
    forbid_documents(monkeypatch)
    warm = run_tasks(*args)
    assert warm == cold  # stdout and stderr (the invalid UTF-8 warning) alike
    assert "latin1.md: not valid UTF-8" in warm[2]


@pytest.mark.parametrize("stdout", ["text", "latin-1"])
def test_warm_output_through_other_stdouts(tree: Path, stdout: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a UTF-8 byte buffer under stdout, the text goes through stdout's own
    encoding; one that is not UTF-8 gets JSON escaped to ASCII (the same JSON value)."""
    from planner.cli.output import ascii_json

    expected = reference([tree])
    if stdout == "latin-1":
        expected = ascii_json(expected.decode("utf-8", "surrogateescape")).encode("ascii")
        assert json.loads(expected) == json.loads(reference([tree]).decode("utf-8", "surrogateescape"))
    cold = run_tasks(str(tree), stdout=stdout)
    forbid_documents(monkeypatch)
    warm = run_tasks(str(tree), stdout=stdout)
    assert warm == cold
    assert warm[1] == expected


def test_named_files_and_folders(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Paths given one by one (relative to the current folder) and a folder beside them."""
    monkeypatch.chdir(tree.parent)
    paths = ["docs/extra/bom.md", "docs/kato", "docs/extra/../extra/crlf.md", "docs/extra/mojibake.md"]
    expected = reference([Path(p) for p in paths])
    assert b'"file":"docs/extra/bom.md"' in expected and b'"file":"docs/extra/crlf.md"' in expected
    assert run_tasks(*paths)[1] == expected
    forbid_documents(monkeypatch)
    assert run_tasks(*paths)[1] == expected


def test_a_planning_free_file_named_later_is_parsed_then(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Met in a folder, a file without planning content is cached as "nothing here",
    unparsed; named on its own it is a document (of kind "none"), which that entry
    cannot give: it is parsed then, and cached as a document from then on."""
    plain = tree / "extra" / "plain.md"
    folder = reference([tree / "extra"])
    assert run_tasks(str(tree / "extra"))[1] == folder
    expected = reference([plain])
    parsed = parsed_paths(monkeypatch)
    assert run_tasks(str(plain))[1] == expected
    assert parsed == ["plain.md"]
    forbid_documents(monkeypatch)
    assert run_tasks(str(plain))[1] == expected
    assert run_tasks(str(tree / "extra"))[1] == folder  # a kind-"none" document, unnamed: skipped


def _cold_then_warm(tree: Path, cache_dir: Path, command: list[str], heavy: str, **env: str) -> tuple[bytes, bytes, str]:
    """Run ``planner COMMAND TREE`` in a fresh process twice (cold, then warm): the two outputs, and
    the warm run's "exit-code count first-five" of the modules loaded that ``heavy`` selects."""
    script = textwrap.dedent(
        f"""
        import sys
        from planner.workspace import cache
        cache.RACY_SECONDS = 0.0  # the test's files are seconds old
        from planner.cli.main import main
        code = main([*{command!r}, sys.argv[1]])
        sys.stdout.flush()
        loaded = sorted(m for m in sys.modules if {heavy})
        print(code, len(loaded), ",".join(loaded[:5]), file=sys.stderr)
        """
    )
    environment = dict(os.environ, PLANNER_CACHE_DIR=str(cache_dir), PYTHONIOENCODING="utf-8:surrogateescape", **env)

    def run() -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [sys.executable, "-c", script, str(tree)], capture_output=True, env=environment, cwd=PACKAGE.parent, timeout=120
        )

    cold = run()
    assert cold.returncode == 0, cold.stderr
    assert cold.stderr.decode().splitlines()[-1].split()[1] != "0"  # the cold run parsed
    warm = run()
    assert warm.returncode == 0, warm.stderr
    return cold.stdout, warm.stdout, warm.stderr.decode().splitlines()[-1]


def test_a_fresh_process_imports_no_model_and_no_pydantic(tree: Path, cache_dir: Path) -> None:
    """The whole point: a warm run never builds a document, so it never imports the model."""
    heavy = 'm.split(".")[0] == "pydantic" or m.startswith("planner.model")'
    cold, warm, loaded = _cold_then_warm(tree, cache_dir, ["tasks", "--json"], heavy)
    assert loaded == "0 0 "  # exit 0, no model module loaded
    assert warm == cold == reference([tree])


def test_a_warm_focus_reads_no_date_dialect_parser_or_pydantic(tree: Path, cache_dir: Path) -> None:
    """A warm ``planner focus`` (a shell prompt's, a status bar's) combines the stored parts: it
    asks for today without loading the date dialects, and builds no document."""
    heavy = 'm.startswith(("pydantic", "planner.model.dialects", "planner.model.dates", "planner.model.parser", "planner.model.document"))'
    cold, warm, loaded = _cold_then_warm(tree, cache_dir, ["focus", "--json"], heavy, PLANNER_TODAY="2026-12-03")
    assert loaded == "0 0 "
    assert warm == cold and json.loads(warm)["tasks"]


# -- never stale, never broken ------------------------------------------------------------------


def test_a_changed_file_is_parsed_again_and_only_that_one(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run_tasks(str(tree))
    target = tree / "extra" / "crlf.md"
    info = target.stat()
    # Same size, same mtime: only the ctime (and the content) tells the change.
    target.write_bytes(target.read_bytes().replace(b"crlf one", b"CRLF 1!!"))
    os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert target.stat().st_size == info.st_size and target.stat().st_mtime_ns == info.st_mtime_ns
    parsed = parsed_paths(monkeypatch)
    code, out, _ = run_tasks(str(tree))
    assert parsed == ["crlf.md"]
    assert out == reference([tree])
    assert b"CRLF 1!!" in out and b"crlf one" not in out
    # A file whose tasks all go away, a new file, a deleted file.
    (tree / "extra" / "bom.md").write_bytes(b"# Sprint backlog\n\nno tasks left\n")
    (tree / "extra" / "new.md").write_bytes(b"# Sprint\n\n- [ ] brand new\n")
    (tree / "extra" / "states.md").unlink()
    parsed.clear()
    out = run_tasks(str(tree))[1]
    assert sorted(parsed) == ["bom.md", "new.md"]
    assert out == reference([tree])
    assert b"brand new" in out and b"BOM task" not in out and b"dropped" not in out
    forbid_documents(monkeypatch)
    assert run_tasks(str(tree))[1] == out


def test_a_deleted_cache_folder_is_rebuilt(tree: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = run_tasks(str(tree))
    shutil.rmtree(cache_dir)
    assert run_tasks(str(tree)) == first
    assert entries(cache_dir)
    delete_rows(cache_dir)  # only the entries this time: the database stays
    assert run_tasks(str(tree)) == first
    forbid_documents(monkeypatch)
    assert run_tasks(str(tree)) == first


def _damage(cache_dir: Path, entry: str, how: str) -> None:
    head_bytes, tasks_bytes, body = rows(cache_dir)[entry]
    head = marshal.loads(head_bytes)
    path, key, warning, kind = head
    tails, open_flags = marshal.loads(tasks_bytes) if tasks_bytes else ((), b"")

    def rewrite(new_head: object, new_tasks: object = tasks_bytes, new_body: object = body) -> None:
        set_row(cache_dir, entry, marshal.dumps(new_head), new_tasks, new_body)

    def rewrite_tasks(new_tasks: object) -> None:
        rewrite(head, marshal.dumps(new_tasks))

    if how == "empty":
        set_row(cache_dir, entry, b"", b"", b"")
    elif how == "junk":
        set_row(cache_dir, entry, b"not an entry at all" * 10, b"junk", b"junk")
    elif how == "truncated head":
        set_row(cache_dir, entry, head_bytes[: len(head_bytes) // 2], tasks_bytes, body)
    elif how == "truncated task json":
        set_row(cache_dir, entry, head_bytes, tasks_bytes[: len(tasks_bytes) // 2] if tasks_bytes else tasks_bytes, body)
    elif how == "truncated body":
        set_row(cache_dir, entry, head_bytes, tasks_bytes, body[:-7] if body else body)
    elif how == "values of another type":
        set_row(cache_dir, entry, "text", 3.5, 12)
    elif how == "not a tuple":
        rewrite(["a", "list"])
    elif how == "bad key":
        rewrite((path, "not a key", warning, kind))
    elif how == "bad kind":
        rewrite((path, key, warning, 7))
    elif how == "no task json":  # a head naming a document, with nothing beside it
        rewrite((path, key, warning, kind or "generic"), None, body if kind else None)
    elif how == "bad task json":
        rewrite_tasks(([1, 2], b"\x01\x01") if kind else 7)
    elif how == "tails of the wrong type":
        rewrite_tasks((tuple(range(len(tails))), b"\x01" * len(tails)))
    elif how == "tails and flags disagree":
        rewrite_tasks((tails, b"\x01" * (len(tails) + 1)))
    elif how == "bad blob":
        rewrite(head, tasks_bytes, b"\x00" * len(body) if body else body)
    elif how == "other file's entry":
        rewrite((path + ".other", key, warning, kind))
    else:
        raise AssertionError(how)


DAMAGE = [
    "empty", "junk", "truncated head", "truncated task json", "truncated body", "values of another type", "not a tuple",
    "bad key", "bad kind", "no task json", "bad task json", "tails of the wrong type", "tails and flags disagree", "bad blob",
    "other file's entry",
]  # fmt: skip


@pytest.mark.parametrize("how", DAMAGE)
def test_a_damaged_entry_is_a_miss_never_a_crash_or_stale_text(tree: Path, cache_dir: Path, how: str) -> None:
    run_tasks(str(tree))
    daily = tree / "kato" / "DAILY_BACKLOG.md"
    data = daily.read_bytes()
    daily.write_bytes(data.replace(b"Task 1.1:", b"Task 9.9:", 1))  # so a stale entry would show
    run_tasks(str(tree))  # the entry now holds the new text
    for entry in entries(cache_dir):
        _damage(cache_dir, entry, how)
    expected = reference([tree])
    assert b"Task 9.9:" in expected
    assert run_tasks(str(tree))[1] == expected
    # The documents a warm TUI start restores come through damage as well.
    workspace = Workspace([tree])
    workspace.load()
    assert {os.path.basename(p) for p in workspace.documents} >= {"DAILY_BACKLOG.md", "bom.md"}
    assert run_tasks(str(tree))[1] == expected  # entries rewritten whole again


def test_an_entry_for_the_same_stat_key_but_other_text_is_not_possible_to_confuse(
    tree: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Entries are keyed by path and checked against (size, mtime, ctime, inode) and path:
    swapping two entries makes both misses, never the other file's tasks."""
    run_tasks(str(tree))
    a, b = str(tree / "extra" / "bom.md"), str(tree / "extra" / "crlf.md")
    stored = rows(cache_dir)
    set_row(cache_dir, a, *stored[b])
    set_row(cache_dir, b, *stored[a])
    expected = reference([tree])
    parsed = parsed_paths(monkeypatch)
    assert run_tasks(str(tree))[1] == expected
    assert sorted(parsed) == ["bom.md", "crlf.md"]


def test_the_cache_version_covers_the_code_that_renders_task_json() -> None:
    """Stored JSON is only as fresh as the code that rendered it: that code is versioned."""
    import planner.views.task_json
    import planner.views.tasks

    sources = {p.resolve() for p in cache_module.versioned_sources()}
    for module in (planner.views.tasks, planner.views.task_json, cache_module):
        assert Path(module.__file__).resolve() in sources, module.__name__
    assert set((PACKAGE / "model").glob("*.py")) <= sources
    # Everything views.tasks imports from planner to render is in there too.
    text = Path(planner.views.tasks.__file__).read_text(encoding="utf-8")
    imported = {line.split()[1] for line in text.splitlines() if line.startswith("from planner.")}
    for name in imported:
        assert (PACKAGE.parent / (name.replace(".", "/") + ".py")).resolve() in sources, name


def test_the_tty_output_is_the_same_tasks_indented(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A person at a terminal gets the same objects, indented (the path kept as it was)."""
    out = io.StringIO()
    monkeypatch.setattr(out, "isatty", lambda: True, raising=False)
    with redirect_stdout(out), redirect_stderr(io.StringIO()):
        assert main(["tasks", str(tree), "--json", "--open"]) == 0
    assert json.loads(out.getvalue()) == json.loads(reference([tree], only_open=True).decode("utf-8", "surrogateescape"))
    assert out.getvalue().startswith('{\n  "schema": "planner/1"')
