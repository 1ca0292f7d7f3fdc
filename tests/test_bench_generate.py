"""The benchmark generator (bench/generate.py): deterministic, and its counts are exact.

The counts are checked against markdown-it-py (CommonMark + GFM task lists), so the
benchmark's "expected tasks" can be trusted when comparing against planner's output.
"""
from __future__ import annotations

import hashlib
import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from mdit_py_plugins.front_matter import front_matter_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

BENCH = Path(__file__).resolve().parent.parent / "bench"
TASK_RX = re.compile(r"^\[[ xX]\][ \t\n\v\f\r]+")
OTHER_RX = re.compile(r"^\[[^ xX\]]\][ \t\n\v\f\r]+")
N = 20


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


gen = _load("generate")


def _md(tasklists: bool = True) -> MarkdownIt:
    md = MarkdownIt("commonmark").enable("table").use(front_matter_plugin)
    return md.use(tasklists_plugin) if tasklists else md


MD_PLAIN, MD_TASKS = _md(tasklists=False), _md()


def _tree_hash(root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        h.update(path.relative_to(root).as_posix().encode() + b"\0")
        h.update(path.read_bytes() + b"\0")
    return h.hexdigest()


def _tokens(md: MarkdownIt, data: bytes):
    text = data.decode("utf-8")
    return md.parse(text[1:] if text.startswith("\ufeff") else text)


def _item_inlines(tokens):
    """Inline tokens that open a list item: list_item_open, paragraph_open, inline."""
    for i, tok in enumerate(tokens[:-2]):
        if (tok.type == "list_item_open" and tokens[i + 1].type == "paragraph_open"
                and tokens[i + 2].type == "inline"):
            yield tok, tokens[i + 2]


def _parse_counts(data: bytes, heading_rx: re.Pattern) -> tuple[int, int, int, int]:
    """(checkbox tasks, of which done, other-state checkboxes, heading tasks) per markdown-it-py.

    tasklists_plugin strips the `[ ] ` from the inline content it turns into a checkbox,
    so the regex runs on a parse without it; the plugin's own verdict (the
    task-list-item class) must agree.
    """
    plain = _tokens(MD_PLAIN, data)
    tasks = sum(1 for _, inline in _item_inlines(plain) if TASK_RX.match(inline.content))
    other = sum(1 for _, inline in _item_inlines(plain) if OTHER_RX.match(inline.content))
    headings = sum(1 for i, tok in enumerate(plain)
                   if tok.type == "heading_open" and heading_rx.search(plain[i + 1].content))
    with_plugin = _tokens(MD_TASKS, data)
    marked = [(item, inline) for item, inline in _item_inlines(with_plugin)
              if "task-list-item" in str(item.attrGet("class") or "")]
    assert len(marked) == tasks
    done = sum(1 for _, inline in marked if 'checked="checked"' in inline.children[0].content)
    return tasks, done, other, headings


def _heading_marker_rx() -> re.Pattern:
    # The markers the generator puts on heading tasks, clean and as mojibake.
    markers = {"COMPLETE", "DONE", "VERIFIED"}
    for m in ["✅", "⏸️", "🔄", "⏳", "❌", "⚠️"]:
        markers |= {m, gen.mangle(m, "cp1252"), gen.mangle(m, "mac_roman")}
    return re.compile("|".join(re.escape(m) for m in sorted(markers, key=len, reverse=True)))


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("bench") / "tree"
    manifest = gen.write(out, N, seed=7)
    return out, manifest


def test_same_seed_gives_identical_bytes(tree, tmp_path):
    out, _ = tree
    again = tmp_path / "again"
    gen.write(again, N, seed=7)
    assert _tree_hash(again) == _tree_hash(out)
    other = tmp_path / "other"
    gen.write(other, N, seed=8)
    assert _tree_hash(other) != _tree_hash(out)


def test_cli_prints_summary_and_is_deterministic(tmp_path):
    runs = []
    for name in ("a", "b"):
        proc = subprocess.run([sys.executable, str(BENCH / "generate.py"), str(tmp_path / name),
                               "--files", "5", "--seed", "3", "--size-kb", "4"],
                              capture_output=True, text=True, check=True)
        runs.append(proc.stdout)
    manifest = json.loads((tmp_path / "a" / gen.MANIFEST_NAME).read_text(encoding="utf-8"))
    line = runs[0].strip()
    assert "\n" not in line
    assert line.startswith("generated 5 files, ")
    assert f"{manifest['totals']['tasks']:,} checkbox tasks" in line
    assert f"{manifest['totals']['bytes']:,} bytes" in line
    assert _tree_hash(tmp_path / "a") == _tree_hash(tmp_path / "b")


def test_counts_match_markdown_it(tree):
    out, manifest = tree
    heading_rx = _heading_marker_rx()
    total_tasks = total_done = 0
    for rel, (n_open, n_done, n_other, n_heading, _decoys) in manifest["files"].items():
        tasks, done, other, headings = _parse_counts((out / rel).read_bytes(), heading_rx)
        assert (tasks, done, other, headings) == (n_open + n_done, n_done, n_other, n_heading), rel
        total_tasks += tasks
        total_done += done
    assert total_tasks == manifest["totals"]["tasks"]
    assert total_done == manifest["totals"]["done"]
    assert manifest["totals"]["heading_tasks"] > 0 and manifest["totals"]["other_state"] > 0
    # Realistic density: a few dozen tasks per ~12 KB file.
    assert 10 * N <= total_tasks <= 80 * N


def test_skipped_folders_hold_real_tasks(tree):
    """Files discovery must skip are valid task files, so leaking them would show."""
    out, manifest = tree
    for rel, expected in manifest["skipped"].items():
        tasks, _, _, _ = _parse_counts((out / rel).read_bytes(), _heading_marker_rx())
        assert tasks == expected > 0, rel


def test_realistic_variants_are_present(tree):
    out, manifest = tree
    variants = manifest["variants"]
    for name in ("crlf", "bom", "no_final_newline", "tabs", "mojibake", "front_matter"):
        assert variants[name], name
    for rel in variants["crlf"]:
        data = (out / rel).read_bytes()
        assert b"\r\n" in data and data.count(b"\n") == data.count(b"\r\n")
    for rel in variants["bom"]:
        assert (out / rel).read_bytes().startswith(b"\xef\xbb\xbf")
    for rel in variants["no_final_newline"]:
        data = (out / rel).read_bytes()
        assert not data.endswith(b"\n")
        # Ends on a task (unless it is a non-planning file).
        if sum(manifest["files"][rel][:2]):
            assert data.rsplit(b"\n", 1)[-1].startswith(b"- [ ] ")
    assert any(re.search(rb"^\t+[-*+1][.)]? ?\[", (out / rel).read_bytes(), re.M)
               for rel in variants["tabs"])
    mojibake_markers = ("âœ…", "‚úÖ", "‚è∏Ô∏è", "ðŸ”´", "ðŸŸ")
    for rel in variants["mojibake"]:
        text = (out / rel).read_bytes().decode("utf-8")
        assert any(m in text for m in mojibake_markers), rel
    for rel in variants["front_matter"]:
        assert (out / rel).read_bytes().lstrip(b"\xef\xbb\xbf").startswith(b"---")


def test_all_bullet_kinds_nesting_and_blockquotes(tree):
    out, manifest = tree
    text = "\n".join((out / rel).read_bytes().decode("utf-8") for rel in manifest["files"])
    for pattern in (r"^- \[[ xX]\] ", r"^\* \[[ xX]\] ", r"^\+ \[[ xX]\] ", r"^\d+\. \[[ xX]\] ",
                    r"^\d+\) \[[ xX]\] ", r"^- \[X\] ", r"^ {2,}[-*+] \[[ xX]\] ", r"^ {4,}[-*+] \[",
                    r"^> (?:\s*)[-*+\d].*\[[ xX]\] ", r"^### Task \d+\.\d+: .*\(\d",
                    r"^#### Phase \d+: ", r"^### Option [ABC]: ", r"^\*\*Priority\*\*: High",
                    r"^\*\*Status:\*\* ", r"^- \*\*Effort\*\*: ", r"^\*Last Updated: 2025-",
                    r"^### 🔴 P0: Critical", r"^##+ High Priority Items", r"^```\w*$", r"^~~~",
                    r"^<!--", r"^- \[[-/>~]\] "):
        assert re.search(pattern, text, re.M), pattern


def test_decoys_and_skipped_folders(tree):
    out, manifest = tree
    totals = manifest["totals"]
    assert totals["decoys"] > 0
    # Checkbox-looking lines that are not tasks exist (code, comments, HTML, front matter).
    scan = sum(1 for rel in manifest["files"]
               for line in (out / rel).read_bytes().decode("utf-8").splitlines()
               if gen.SCAN_RX.match(line))
    assert scan == totals["tasks"] + totals["decoys"]
    # Files in .git / node_modules / .venv hold tasks but are not among the N files.
    assert len(manifest["files"]) == N
    skipped = manifest["skipped"]
    assert totals["skipped_files"] == len(skipped) >= 3
    assert {part for rel in skipped for part in Path(rel).parts} >= set(gen.SKIPPED_DIRS)
    assert all((out / rel).is_file() and manifest["skipped"][rel] > 0 for rel in skipped)
    # Non-planning files (CHANGELOG, README…) with no tasks at all are among them.
    assert any(sum(v[:4]) == 0 for v in manifest["files"].values())
    assert all(rel.endswith(".md") for rel in manifest["files"])


def test_sizes_follow_size_kb(tmp_path):
    manifest = gen.write(tmp_path / "t", 40, seed=1, size_kb=6)
    mean = manifest["totals"]["bytes"] / 40
    assert 0.6 * 6 * 1024 <= mean <= 1.4 * 6 * 1024


def test_refuses_to_overwrite_foreign_folder(tmp_path):
    (tmp_path / "mine.txt").write_text("keep me")
    with pytest.raises(SystemExit):
        gen.write(tmp_path, 2, seed=1)
    assert (tmp_path / "mine.txt").read_text() == "keep me"


def test_regenerating_keeps_files_a_person_added(tmp_path):
    out = tmp_path / "tree"
    gen.write(out, 6, seed=1)
    first = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    (out / "notes").mkdir()
    (out / "notes" / "mine.md").write_text("- [ ] my own task\n")
    team = next(p for p in out.iterdir() if p.is_dir() and p.name.startswith("team-"))
    (team / "also-mine.md").write_text("keep me")
    gen.write(out, 3, seed=2)
    assert (out / "notes" / "mine.md").read_text() == "- [ ] my own task\n"
    assert (team / "also-mine.md").read_text() == "keep me"
    now = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    manifest = json.loads((out / gen.MANIFEST_NAME).read_text(encoding="utf-8"))
    assert now == set(manifest["written"]) | {gen.MANIFEST_NAME, "notes/mine.md",
                                              team.relative_to(out).as_posix() + "/also-mine.md"}
    assert set(first) - now - {gen.MANIFEST_NAME}, "the earlier run's files are gone"


def test_regenerating_refuses_to_overwrite_a_persons_file_in_its_way(tmp_path):
    out = tmp_path / "tree"
    gen.write(out, 4, seed=1)
    wanted = sorted(gen.build(4, 5, 12)[0])
    earlier = set(json.loads((out / gen.MANIFEST_NAME).read_text(encoding="utf-8"))["written"])
    clash = next(rel for rel in wanted if rel not in earlier)
    (out / clash).parent.mkdir(parents=True, exist_ok=True)
    (out / clash).write_text("mine")
    with pytest.raises(SystemExit):
        gen.write(out, 4, seed=5)
    assert (out / clash).read_text() == "mine"


def test_run_floors_scan_what_the_generator_wrote(tree):
    """bench/run.py's floors read exactly the N files and find tasks + decoys."""
    out, manifest = tree
    run = _load("run")
    files = run.discover(out)
    assert sorted(p.relative_to(out).as_posix() for p in files) == sorted(manifest["files"])
    nbytes, _ = run.read_floor(files)
    assert nbytes == manifest["totals"]["bytes"]
    hits, _ = run.scan_floor(files)
    assert hits == manifest["totals"]["tasks"] + manifest["totals"]["decoys"]
