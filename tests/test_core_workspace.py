"""Discovery and loading: what is found, what is skipped, and one bad file never stops the rest."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from planner.workspace.discovery import discover
from planner.workspace.workspace import Workspace

TASKS = b"# Plan\n- [ ] do it\n"


def make_tree(root: Path) -> None:
    files = {
        "BACKLOG.md": TASKS,
        "docs/roadmap.markdown": TASKS,
        "docs/deep/er/notes.md": TASKS,
        ".git/COMMIT.md": TASKS,
        ".hidden/x.md": TASKS,
        "node_modules/pkg/README.md": TASKS,
        "build/out.md": TASKS,
        "dist/x.md": TASKS,
        "env2/pyvenv.cfg": b"home = /usr\n",
        "env2/lib/README.md": TASKS,
        "src/code.py": b"# - [ ] not markdown\n",
        "CHANGELOG.md": b"# Changelog\n\n## 1.0\nFirst release.\n",
    }
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def test_discovery_walks_folders_and_skips_tooling(tmp_path: Path) -> None:
    make_tree(tmp_path)
    found = discover([tmp_path])
    names = sorted(os.path.relpath(p, tmp_path) for p in found.files)
    assert names == ["BACKLOG.md", "CHANGELOG.md", "docs/deep/er/notes.md", "docs/roadmap.markdown"]
    assert found.warnings == []


def test_include_and_exclude_globs(tmp_path: Path) -> None:
    make_tree(tmp_path)
    found = discover([tmp_path], include=["docs/*"], exclude=["docs/deep/*"])
    assert [os.path.relpath(p, tmp_path) for p in found.files] == ["docs/roadmap.markdown"]


def test_symlink_loop_is_reported_not_followed(tmp_path: Path) -> None:
    make_tree(tmp_path)
    (tmp_path / "docs" / "loop").symlink_to(tmp_path / "docs")
    found = discover([tmp_path])
    assert any("symlink loop" in w for w in found.warnings)
    assert len(found.files) == 4


def test_files_without_planning_content_are_skipped_quietly(tmp_path: Path) -> None:
    make_tree(tmp_path)
    workspace = Workspace([tmp_path])
    workspace.load()
    loaded = sorted(workspace.relative(p) for p in workspace.documents)
    assert loaded == ["BACKLOG.md", "docs/deep/er/notes.md", "docs/roadmap.markdown"]
    assert [workspace.relative(p) for p in workspace.skipped] == ["CHANGELOG.md"]
    assert workspace.warnings == []


def test_a_file_named_explicitly_is_always_loaded(tmp_path: Path) -> None:
    make_tree(tmp_path)
    workspace = Workspace([tmp_path / "CHANGELOG.md"])
    workspace.load()
    assert list(workspace.documents) == [str(tmp_path / "CHANGELOG.md")]


def test_one_bad_file_never_stops_the_others(tmp_path: Path) -> None:
    make_tree(tmp_path)
    (tmp_path / "binary.md").write_bytes(b"\x00\x01\x02\x03")
    (tmp_path / "latin1.md").write_bytes("- [ ] caf\xe9 cr\xe8me\n".encode("latin-1"))
    os.mkfifo(tmp_path / "pipe.md")
    workspace = Workspace([tmp_path])
    workspace.load()
    assert len(workspace.documents) == 4  # the three planning files and the Latin-1 one
    latin = workspace.document(tmp_path / "latin1.md")
    assert [t.text for t in latin.tasks] == ["caf\udce9 cr\udce8me"]
    messages = "\n".join(workspace.warnings)
    assert "binary.md: binary file" in messages
    assert "latin1.md: not valid UTF-8" in messages
    assert "pipe.md: not a regular file" in messages
    assert all("\n" not in w for w in workspace.warnings)


def test_reload_reparses_only_the_changed_file(tmp_path: Path) -> None:
    make_tree(tmp_path)
    workspace = Workspace([tmp_path])
    workspace.load()
    others = {p: d for p, d in workspace.documents.items() if not p.endswith("BACKLOG.md")}
    (tmp_path / "BACKLOG.md").write_bytes(TASKS + b"- [x] more\n")
    document = workspace.reload(tmp_path / "BACKLOG.md")
    assert [t.state for t in document.tasks] == ["open", "done"]
    for path, before in others.items():
        assert workspace.documents[path] is before
    (tmp_path / "BACKLOG.md").unlink()
    assert workspace.reload(tmp_path / "BACKLOG.md") is None
    assert workspace.document(tmp_path / "BACKLOG.md") is None


@pytest.mark.parametrize("base", ["/tmp/a", "/tmp/a/", "/tmp/./a", "/tmp/b/../a", "/"])
def test_relative_names_equal_relpath_for_any_path(base: str) -> None:
    """A path under the base is named by its tail, without relpath's cost; anything else
    (not normalised, outside, the base itself) as relpath names it."""
    workspace = Workspace([Path("/tmp")], base=base)
    for path in ("/tmp/a/b.md", "/tmp/a/../a/b.md", "/tmp/ab.md", "/tmp/a", "/tmp/a/", "/tmp/a//b.md",
                 "/tmp/a/./c/d.md", "/etc/x.md", "relative/x.md", "/tmp/a/b/c.md", "/tmp/a/\udce9.md"):  # fmt: skip
        expected = os.path.relpath(path, workspace.base)
        assert workspace.relative(path) == expected, path
        assert workspace.relative(Path(path)) == expected, path
    workspace.base = Path("/tmp")  # a base set later is followed
    assert workspace.relative("/tmp/a/b.md") == "a/b.md"
