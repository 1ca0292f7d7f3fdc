"""Issue 13, item 17: every CLI error is one clear line with a non-zero exit; JSON is
valid UTF-8 whatever the file names."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from planner.cli.main import main
from planner.workspace import cache as cache_module
from planner.workspace.workspace import Workspace
from tests.helpers.cli_run import cli, run
from tests.helpers.reliability import assert_one_line, planner_cmd, subprocess_env

GOOD = b"# Today's Focus\n\n- [ ] the good task P0\n"


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("PLANNER_CACHE_DIR", str(folder))
    monkeypatch.delenv("PLANNER_NO_CACHE", raising=False)
    monkeypatch.setattr(cache_module, "RACY_SECONDS", 0.0)  # every load saves entries
    return folder


# -- 17: messages --------------------------------------------------------------------------------


@pytest.fixture
def plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "a.md"
    path.write_bytes(b"- [ ] one\n- [ ] two\n- [ ] three\n- [ ] four\n- [ ] five\n")
    return path


@pytest.mark.parametrize("line", ["\u00b2", "\u0665", "\uff15", "5\u0301", "x", ""])
def test_a_line_that_is_not_ascii_digits_is_refused_in_one_line(plan: Path, line: str) -> None:
    """"²" (isdigit, but int() refuses it) and "٥" or "５" (int() reads 5) are not line numbers."""
    before = plan.read_bytes()
    for command in (["toggle", f"a.md:{line}"], ["options", "--choose", f"a.md:{line}"]):
        code, out, err = run(*command)
        assert code != 0 and out == ""
        assert_one_line(err)
        assert "not a line number" in err and "invalid literal" not in err, err
    assert plan.read_bytes() == before


def test_a_file_that_never_existed_is_no_such_file(plan: Path, tmp_path: Path) -> None:
    (tmp_path / "dangling.md").symlink_to(tmp_path / "nowhere.md")
    (tmp_path / "folder").mkdir()
    cases = {
        "never.md:1": "never.md: no such file",
        "dangling.md:1": "dangling.md: broken symlink",
        "folder:5": "folder: is a folder",
    }
    for target, expected in cases.items():
        for command in (["toggle", target], ["options", "--choose", target]):
            code, _, err = run(*command)
            assert code == 1
            assert_one_line(err)
            assert expected in err and "gone" not in err and "deleted or renamed" not in err, (command, err)


def test_the_size_limit_reads_in_mib(tmp_path: Path) -> None:
    from planner.writer.atomic import MAX_FILE_BYTES

    big = tmp_path / "big.md"
    with open(big, "wb") as f:
        f.truncate(MAX_FILE_BYTES + 1)
    code, _, err = run("tasks", str(big))
    assert "too large" in err and "> 16 MiB" in err and "MB" not in err.replace("MiB", ""), err
    code, _, err = run("toggle", f"{big}:1")
    assert "16 MiB" in err, err


def test_ctrl_c_while_loading_clears_the_progress_line(tmp_path: Path, monkeypatch) -> None:
    from planner.cli import commands

    (tmp_path / "TODAY.md").write_bytes(GOOD)

    def interrupted_load(self, progress=None, task_json=False, views=None):  # noqa: ANN001, ANN202
        progress(1, 10)
        progress(2, 10)
        raise KeyboardInterrupt

    monkeypatch.setattr(commands.LoadProgress, "DELAY", 0.0)
    monkeypatch.setattr(Workspace, "load", interrupted_load)
    for command in (["tasks"], ["focus"], ["tasks", "--json"]):
        err = io.StringIO()
        err.isatty = lambda: True  # type: ignore[method-assign]
        out = io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            code = main([*command, str(tmp_path)])
        assert code == 130 and out.getvalue() == ""
        text = err.getvalue()
        assert "loading" in text and text.endswith("\r\033[K"), repr(text)  # the line is cleared
        assert "Traceback" not in text


def test_a_pooled_load_stops_at_ctrl_c_without_worker_tracebacks(tmp_path: Path) -> None:
    """A terminal's Ctrl-C reaches the workers too: they leave it to the parent, which
    exits 130 at once, the progress line cleared."""
    import pty
    import select

    for number in range(600):
        folder = tmp_path / "docs" / f"f{number % 20}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"doc{number}.md").write_bytes(b"# Sprint\n" + b"".join(b"- [ ] task %d P1 ~2h\n" % i for i in range(2000)))
    pid, fd = pty.fork()
    if pid == 0:  # child
        os.environ.update(subprocess_env(), PLANNER_NO_CACHE="1")
        os.execv(sys.executable, planner_cmd("tasks", str(tmp_path / "docs")))
    output, sent_at, deadline = b"", None, time.monotonic() + 60
    while time.monotonic() < deadline:
        if select.select([fd], [], [], 0.05)[0]:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
        if sent_at is None and b"loading" in output:
            os.write(fd, b"\x03")
            sent_at = time.monotonic()
    # Never wait forever: a child still running here is blocked on a full terminal or ignored
    # Ctrl-C; it is killed, and the test says which.
    grace = time.monotonic() + 5
    done, status = os.waitpid(pid, os.WNOHANG)
    while done == 0 and time.monotonic() < grace:
        time.sleep(0.05)
        done, status = os.waitpid(pid, os.WNOHANG)
    if done == 0:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)
        stage = "after Ctrl-C" if sent_at is not None else "and never showed its progress line"
        pytest.fail(f"planner tasks still ran 60 s in, {stage}: {output[-300:]!r}")
    os.close(fd)
    if sent_at is None:
        pytest.skip("the load finished before its progress line showed")
    assert os.waitstatus_to_exitcode(status) == 130
    assert b"Traceback" not in output, output[-3000:].decode(errors="replace")
    assert output.rstrip(b"^C").endswith(b"\r\x1b[K"), output[-200:]


def test_a_file_name_that_is_not_utf8_is_escaped_in_json(tmp_path: Path, cache_dir: Path) -> None:
    """Valid UTF-8 JSON always: bytes that are not UTF-8 (in a file name, in raw text)
    are \\udcXX escapes, which give the bytes back (README, JSON paragraph)."""
    name = b"caf\xe9 \xff.md"
    (tmp_path / os.fsdecode(name)).write_bytes(
        b"# Today's Focus\n\n- [ ] t\xe9sk P0\n\n## Sprint Options\n\n### Option A: quick\n\n- [ ] one ~2h\n\n"
        b"### Option B: slow\n\n- [ ] two ~4h\n"
    )
    for command in (["tasks"], ["tasks", "--open"], ["focus"], ["queues"], ["options"]):
        for _ in ("cold", "warm"):
            result = cli(*command, "--json", ".", cwd=tmp_path, PLANNER_CACHE_DIR=str(cache_dir))
            assert result.returncode == 0, result.stderr
            text = result.stdout.decode("utf-8")  # strict: no raw invalid bytes
            assert "\\udce9" in text and "\\udcff" in text, (command, text)
            payload = json.loads(text)
            if command[0] == "tasks":
                assert {os.fsencode(t["file"]) for t in payload["tasks"]} == {name}
                assert payload["tasks"][0]["raw"].encode("utf-8", "surrogateescape") == b"t\xe9sk P0"
            if command[0] == "focus":
                assert os.fsencode(payload["file"]) == name
            if command[0] == "options":
                assert os.fsencode(payload["decisions"][0]["file"]) == name
    # At a terminal (indented, all at once) too.
    code = subprocess.run(
        [sys.executable, "-c", "import sys; from planner.cli.output import emit_json; sys.stdout.reconfigure(errors='surrogateescape'); "
         "sys.stdout.isatty = lambda: True; emit_json({'file': 'caf\\udce9.md'})"],
        capture_output=True, env=subprocess_env(), timeout=60,
    )
    assert code.stdout.decode("utf-8") == '{\n  "schema": "planner/1",\n  "file": "caf\\udce9.md"\n}\n'


BAD_ARGUMENTS = [
    ["tasks", "--bogus"],
    ["tasks", "--json", "--open", "--nope"],
    ["toggle"],
    ["toggle", "--json", "a.md:1"],
    ["toggle", "a.md"],
    ["toggle", "a.md:0"],
    ["toggle", "a.md:-1"],
    ["toggle", ":3"],
    ["toggle", "a.md:99999999999999999999999"],
    ["focus", "missing-folder"],
    ["focus", "--open"],
    ["queues", "--json", "missing"],
    ["options", "--choose"],
    ["options", "--choose", "a.md"],
    ["options", "--choose", "a.md:99999999999999999999999"],
    ["options", "--choose", "missing.md:1"],
    ["tasks", "--\x1b[2Jx"],
]


def test_every_bad_argument_is_one_line_and_a_failure(plan: Path) -> None:
    before = plan.read_bytes()
    for args in BAD_ARGUMENTS:
        result = cli(*args, cwd=plan.parent)
        err = result.stderr.decode()
        assert result.returncode != 0, args
        assert_one_line(err)
        assert err.startswith("planner"), (args, err)
        assert "\x1b" not in err, args  # an argument's control characters are shown escaped
    assert plan.read_bytes() == before


def test_help_still_shows_the_usage() -> None:
    result = subprocess.run(planner_cmd("tasks", "--help"), capture_output=True, env=subprocess_env(), timeout=60)
    assert result.returncode == 0 and result.stdout.startswith(b"usage: planner tasks")



def test_an_unexpected_fault_is_one_line_and_a_failure(tmp_path: Path, monkeypatch) -> None:
    """A fault of planner's own (here a command that raises) is one line and exit 1,
    never a traceback; PLANNER_DEBUG=1 shows the traceback."""
    from planner.cli import commands

    def broken(args):  # noqa: ANN001, ANN202
        raise ValueError("a bug\x1b[2J")

    monkeypatch.setattr(commands, "cmd_tasks", broken)
    code, out, err = run("tasks", str(tmp_path))
    assert code == 1 and out == ""
    assert_one_line(err)
    assert "unexpected error (ValueError: a bug\\x1b[2J)" in err
    monkeypatch.setenv("PLANNER_DEBUG", "1")
    with pytest.raises(ValueError):
        run("tasks", str(tmp_path))


def test_an_os_error_in_a_toggle_is_one_line_and_the_next_target_still_runs(plan: Path, monkeypatch) -> None:
    import planner.writer.edit as edit

    real = edit.set_done
    calls = []

    def flaky(document, task, done, mark=None):  # noqa: ANN001, ANN202
        calls.append(task.line)
        if len(calls) == 1:
            raise OSError(5, "Input/output error")
        return real(document, task, done, mark)

    monkeypatch.setattr(edit, "set_done", flaky)
    code, out, err = run("toggle", "a.md:1", "a.md:2")
    assert code == 1
    assert_one_line(err)
    assert "a.md: Input/output error; nothing written" in err
    assert out.startswith("ticked a.md:2")
    assert plan.read_bytes().startswith(b"- [ ] one\n- [x] two\n")
