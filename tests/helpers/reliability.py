"""Helpers for the reliability tests: temp-file checks, privilege drops, read-only mounts, drivers.

Privilege drops fork the test process itself (modules already imported) and call
``os.setuid`` in the child, because the interpreter of the test run may live in a
folder that an unprivileged user cannot open (a pyenv under /root).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOBODY = 65534


def temp_files(folder: str | os.PathLike[str]) -> list[str]:
    """Names of planner temp files (``.planner-*.tmp``) in ``folder``."""
    return sorted(p.name for p in Path(folder).iterdir() if p.name.startswith(".planner-") and p.name.endswith(".tmp"))


def assert_one_line(message: str) -> None:
    assert message.strip(), "empty message"
    assert "\n" not in message.strip(), f"message is not one line: {message!r}"
    assert "Traceback" not in message, message


# -- running code as another user -------------------------------------------------------------


def is_root() -> bool:
    return os.geteuid() == 0


def run_in_child(fn: Callable[..., Any], *args: Any, as_nobody: bool = False, timeout: float = 60.0) -> Any:
    """Run ``fn(*args)`` in a forked child (as user ``nobody`` when asked and we are root).

    Returns its result; an exception raised in the child is raised again here.
    """
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read_end)
        code = 0
        try:
            if as_nobody and os.geteuid() == 0:
                os.setgroups([])
                os.setgid(NOBODY)
                os.setuid(NOBODY)
            try:
                outcome: tuple[str, Any] = ("ok", fn(*args))
            except BaseException as err:  # noqa: BLE001 - sent back to the parent
                outcome = ("err", err)
            try:
                payload = pickle.dumps(outcome)
            except Exception as err:  # noqa: BLE001
                payload = pickle.dumps(("err", RuntimeError(f"unpicklable result: {err!r}")))
            with os.fdopen(write_end, "wb") as out:
                out.write(payload)
        except BaseException:  # noqa: BLE001
            code = 70
        finally:
            os._exit(code)
    os.close(write_end)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                os.kill(pid, signal.SIGKILL)
                raise TimeoutError(f"child did not finish within {timeout} s")
            ready, _, _ = select.select([read_end], [], [], left)
            if not ready:
                continue
            chunk = os.read(read_end, 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(read_end)
        os.waitpid(pid, 0)
    if not chunks:
        raise RuntimeError("child died without a result")
    kind, value = pickle.loads(b"".join(chunks))
    if kind == "err":
        raise value
    return value


def wait_child(pid: int, timeout: float = 60.0) -> int:
    """``waitpid`` with a deadline: a child stuck past it is SIGKILLed and the test fails."""
    deadline = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            raise TimeoutError(f"child {pid} did not finish within {timeout} s")
        time.sleep(0.002)


def read_pipe(fd: int, size: int, timeout: float = 60.0) -> bytes:
    """``os.read`` with a deadline, so a stuck child fails the test instead of hanging it."""
    ready, _, _ = select.select([fd], [], [], timeout)
    if not ready:
        raise TimeoutError(f"no answer from the child within {timeout} s")
    return os.read(fd, size)


def nobody_can_run() -> str | None:
    """None when code can run as an unprivileged user here, else the reason it cannot."""
    if not is_root():
        return None  # we already are unprivileged
    try:
        uid = run_in_child(os.getuid, as_nobody=True, timeout=20)
    except Exception as err:  # noqa: BLE001
        return f"cannot drop privileges to nobody: {err!r}"
    return None if uid == NOBODY else "setuid(nobody) did not take effect"


@pytest.fixture
def open_tmp() -> Iterator[Path]:
    """A scratch folder that user ``nobody`` can reach (pytest's tmp_path is 0700 under /tmp)."""
    base = Path(tempfile.mkdtemp(prefix="planner-reliability-"))
    base.chmod(0o755)
    try:
        yield base
    finally:
        for folder, dirs, _files in os.walk(base):
            for name in dirs:
                with contextlib.suppress(OSError):
                    os.chmod(os.path.join(folder, name), 0o755)
        shutil.rmtree(base, ignore_errors=True)


def give_to_nobody(*paths: Path) -> None:
    if is_root():
        for path in paths:
            os.chown(path, NOBODY, NOBODY)


# -- read-only mounts ------------------------------------------------------------------------


def ro_mount_reason() -> str | None:
    """None when a read-only bind mount can be made in a private mount namespace here."""
    if not is_root():
        return "needs root for a bind mount"
    if shutil.which("unshare") is None or shutil.which("mount") is None:
        return "unshare or mount is missing"
    probe = tempfile.mkdtemp(prefix="planner-romount-")
    try:
        script = f"mount --bind {probe} {probe} && mount -o remount,ro,bind {probe} && ! touch {probe}/x 2>/dev/null"
        result = subprocess.run(
            ["unshare", "--mount", "--propagation", "private", "sh", "-c", script],
            capture_output=True,
            timeout=20,
        )
    except (OSError, subprocess.TimeoutExpired) as err:
        return f"unshare failed: {err}"
    finally:
        shutil.rmtree(probe, ignore_errors=True)
    if result.returncode != 0:
        return f"read-only bind mount not permitted here ({result.stderr.decode(errors='replace').strip()})"
    return None


def run_python_on_ro_mount(folder: Path, code: str, timeout: float = 60.0) -> subprocess.CompletedProcess[str]:
    """Run ``python -c code`` with ``folder`` bind-mounted read-only over itself, in a private namespace.

    The mount exists only inside that process's namespace: nothing leaks to the host.
    """
    script = (
        f"mount --bind '{folder}' '{folder}' && mount -o remount,ro,bind '{folder}' && "
        f"exec '{sys.executable}' -c \"$PLANNER_CODE\""
    )
    env = {**os.environ, "PLANNER_CODE": code, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "sh", "-c", script],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=ROOT,
    )


# -- misc ------------------------------------------------------------------------------------


def make_fifo(path: Path) -> None:
    os.mkfifo(path)
    assert stat.S_ISFIFO(os.stat(path).st_mode)


def planner_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "planner", *args]


def subprocess_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


# -- an independent task oracle ---------------------------------------------------------------


def oracle_tasks(data: bytes) -> list[tuple[int, bool]]:
    """(1-based line, checked) of every checkbox the mdit-py-plugins task-list plugin renders.

    A full parse (inline included) with the plugin deciding what a task is: it shares no
    detection code with planner's block-only parser.
    """
    from markdown_it import MarkdownIt  # noqa: PLC0415
    from mdit_py_plugins.front_matter import front_matter_plugin  # noqa: PLC0415
    from mdit_py_plugins.tasklists import tasklists_plugin  # noqa: PLC0415

    parser = MarkdownIt("commonmark").enable("table").use(front_matter_plugin).use(tasklists_plugin)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    tokens = parser.parse(data.decode("utf-8", "surrogateescape"))
    found: list[tuple[int, bool]] = []
    for i, token in enumerate(tokens):
        if token.type != "inline" or not token.children:
            continue
        first = token.children[0]
        if first.type == "html_inline" and "task-list-item-checkbox" in first.content:
            paragraph = tokens[i - 1]
            assert paragraph.map is not None
            found.append((paragraph.map[0] + 1, 'checked="checked"' in first.content))
    return found


def warm_up(folder: Path) -> None:
    """Exercise load, toggle, undo and the CLI once, so a forked child needs no lazy imports.

    (A child that dropped privileges may not be able to read the interpreter's library.)
    """
    import io  # noqa: PLC0415
    from contextlib import redirect_stderr, redirect_stdout  # noqa: PLC0415

    from planner.cli.main import main  # noqa: PLC0415
    from planner.workspace.workspace import Workspace  # noqa: PLC0415

    folder.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "sample_docs", folder / "warm", dirs_exist_ok=True)
    (folder / "warm" / "latin.md").write_bytes("# Caf\u00e9\n\n- [ ] r\u00e9union\n".encode("latin-1"))
    workspace = Workspace([folder / "warm"])
    workspace.load()
    for document in list(workspace.documents.values()):
        for task in document.tasks:
            if task.toggleable:
                workspace.toggle(document, task)
                workspace.undo()
                break
    with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
        main(["tasks", str(folder / "warm"), "--json"])
        main(["toggle", f"{folder / 'warm' / 'latin.md'}:3", f"{folder / 'warm' / 'latin.md'}:3"])
        main(["toggle", f"{folder / 'warm' / 'nothing.md'}:1"])
    shutil.rmtree(folder / "warm")
