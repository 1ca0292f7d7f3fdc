"""Running planner in tests: in this process (``run``) or as a command (``cli``), and a
folder's contents as data (``tree_state``)."""

from __future__ import annotations

import io
import os
import subprocess
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from planner.cli.main import main
from tests.helpers.reliability import planner_cmd, subprocess_env


def run(*args: str) -> tuple[int, str, str]:
    """``planner ARGS`` in this process, stdout and stderr not terminals."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def cli(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(planner_cmd(*args), cwd=cwd, capture_output=True, env={**subprocess_env(), **env}, timeout=120)


def tree_state(folder: Path) -> dict[str, object]:
    """Every path under ``folder`` with what it is: a file's bytes, a link's target."""
    state: dict[str, object] = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            path = Path(dirpath, name)
            key = str(path.relative_to(folder))
            if path.is_symlink():
                state[key] = ("link", os.readlink(path))
            elif path.is_dir():
                state[key] = "folder"
            else:
                state[key] = path.read_bytes()
    return state
