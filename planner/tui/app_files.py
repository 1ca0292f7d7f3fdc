"""Files changing under the app: the watcher (outside edits reload by themselves, planner's own
writes and temp files ignored) and ``e``, the file opened in ``$EDITOR`` at the task's line."""

from __future__ import annotations

import fnmatch
import os
import shlex
import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from textual import work

from planner.writer.atomic import TEMP_PREFIX, TEMP_SUFFIX


def _matches(relative: str, globs: Iterable[str]) -> bool:
    name = os.path.basename(relative)
    return any(fnmatch.fnmatch(relative, g) or fnmatch.fnmatch(name, g) for g in globs)


class FileWatching:
    """Mixed into the app."""

    workspace: Any

    # -- watcher ------------------------------------------------------------------------

    def watch_targets(self) -> tuple[list[str], set[str]]:
        """Folders to watch, and files named explicitly (watched through their folder)."""
        folders: list[str] = []
        files: set[str] = set()
        for root in self.roots:
            path = Path(root).absolute()
            if path.is_dir():
                folders.append(str(path))
            elif path.is_file():
                files.add(str(path))
                folders.append(str(path.parent))
        return sorted(set(folders)), files

    def relevant(self, path: str, files: set[str]) -> bool:
        """Is a changed ``path`` one planner reads? (Markdown, not our temp files, not skipped folders.)"""
        from planner.workspace.discovery import MARKDOWN_SUFFIXES, SKIPPED_FOLDERS  # noqa: PLC0415

        name = os.path.basename(path)
        if name.startswith(TEMP_PREFIX) and name.endswith(TEMP_SUFFIX):
            return False  # our own atomic-write temp files
        if os.path.splitext(name)[1].lower() not in MARKDOWN_SUFFIXES:
            return False
        if path in files or (self.workspace is not None and path in self.workspace.documents):
            return True
        settings = self.config.settings
        for root in self.roots:
            folder = str(Path(root).absolute())
            if not path.startswith(folder + os.sep):
                continue
            relative = os.path.relpath(path, folder)
            if any(part.startswith(".") or part in SKIPPED_FOLDERS for part in relative.split(os.sep)[:-1]):
                return False
            if settings.include and not _matches(relative, settings.include):
                return False
            return not (settings.exclude and _matches(relative, settings.exclude))
        return False

    @work(exclusive=True, group="watch", exit_on_error=False)
    async def _watch(self) -> None:
        try:
            from watchfiles import awatch  # noqa: PLC0415
        except ImportError:  # pragma: no cover - watchfiles is a dependency
            return
        folders, files = self.watch_targets()
        if not folders:
            return
        try:
            async for changes in awatch(*folders, debounce=150, step=50, recursive=True):
                paths = {path for _, path in changes if self.relevant(path, files)}
                self.disk_changed(paths)
        except Exception as err:  # noqa: BLE001 - a dead watcher must not take the app down
            self.notify(f"stopped watching for changes on disk: {err}", severity="warning", timeout=8)

    def disk_changed(self, paths: set[str]) -> None:
        """Files changed on disk: reload those that really differ from what we hold."""
        from planner.model.parser import digest  # noqa: PLC0415 - see TYPE_CHECKING above

        workspace = self.workspace
        if workspace is None:
            return
        changed: set[str] = set()
        for path in paths:
            document = workspace.documents.get(path)
            try:
                with open(path, "rb") as handle:
                    data = handle.read()
            except FileNotFoundError:
                if document is not None:
                    changed.add(path)
                continue
            except OSError as err:
                self.notify(f"{self.relative(path)}: cannot read ({err.strerror or err})", severity="error")
                continue
            if document is not None and digest(data) == document.digest:
                continue  # an echo of our own write, or a save without changes
            changed.add(path)
        if not changed:
            return
        edited = {edit.path for edit in workspace.history}
        conflicts = sorted(self.relative(p) for p in changed & edited)
        if conflicts:
            self.notify(
                f"{', '.join(conflicts)} changed on disk after your edits here; reloaded. "
                "Undo will only apply where the task is unchanged.",
                title="changed elsewhere",
                severity="warning",
                timeout=8,
            )
        self.reload_paths(changed, "changed on disk")

    # -- editor -------------------------------------------------------------------------

    def editor_command(self, path: str, line: int) -> list[str]:
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        command = shlex.split(editor)
        name = os.path.basename(command[0]) if command else "vi"
        if name in ("code", "code-insiders", "codium", "cursor", "windsurf"):
            return [*command, "--wait", "--goto", f"{path}:{line}"]
        if name in ("subl", "sublime_text", "zed", "hx", "helix"):
            return [*command, f"{path}:{line}"]
        return [*command, f"+{line}", path]

    def open_in_editor(self, path: str, line: int) -> None:
        from textual.app import SuspendNotSupported  # noqa: PLC0415

        command = self.editor_command(path, line)
        try:
            with self.suspend():
                result = subprocess.run(command, check=False)  # noqa: S603 - the user's own editor
        except SuspendNotSupported:
            self.notify("cannot hand the terminal to an editor here", severity="error")
            return
        except FileNotFoundError:
            self.notify(f"editor not found: {command[0]} (set $EDITOR)", severity="error", timeout=8)
            return
        except OSError as err:
            self.notify(f"cannot start {command[0]}: {err.strerror or err}", severity="error", timeout=8)
            return
        if result.returncode != 0:
            self.notify(f"{command[0]} exited with status {result.returncode}", severity="warning")
        self.refresh()
        self.disk_changed({path})
