"""Settings: theme, roots and include/exclude globs, kept in a TOML file planner owns.

The file lives in the platform's config folder (``platformdirs.user_config_dir("planner")``),
or in ``$PLANNER_CONFIG_DIR`` when that is set (tests always set it). A choice made in the
app (theme, sort, grouping, hide done) is saved by :func:`save_changes`, which writes only
that key and, with tomlkit, keeps the rest of a person's file as written, comments included.

A broken file never stops planner: :func:`load_settings` returns the defaults and a
one-line message saying what is wrong, and :func:`save_settings` refuses to overwrite a
file it could not read (the user's text is never replaced by a guess).
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CONFIG_ENV = "PLANNER_CONFIG_DIR"
CONFIG_NAME = "config.toml"
DEFAULT_THEME = "planner-dark"

HEADER = "# planner settings (written by planner; comments in this file are not kept)\n"
# A file planner starts when a choice is saved from the app (with tomlkit: the rest is kept).
CHOICES_HEADER = "# planner settings: the app writes only the keys it changes; the rest stays as you wrote it\n"


@dataclass(frozen=True)
class Settings:
    """What a user can set.

    Plain checks rather than a pydantic model (as for theme files): the settings are read
    before the TUI's first frame, which importing pydantic would delay by ~0.1 s (a fifth).
    """

    theme: str = DEFAULT_THEME
    roots: list[str] = field(default_factory=list)  # folders or files opened when `planner` has no paths
    include: list[str] = field(default_factory=list)  # globs (relative to a root); empty = every Markdown file
    exclude: list[str] = field(default_factory=list)  # globs (relative to a root) left out
    keymap: dict[str, str] = field(default_factory=dict)  # binding id → keys ("add" = "n", "redo" = "ctrl+y")
    # How each list screen (focus, queues, documents, options) is ordered: sort key, reversed, grouping.
    sort: dict[str, str] = field(default_factory=dict)  # screen → priority | due | file | state | estimate
    reverse: dict[str, bool] = field(default_factory=dict)  # screen → sort the other way
    group: dict[str, str] = field(default_factory=dict)  # screen → priority | due | file | state | estimate
    hide_done: bool = False  # `h`: done and cancelled tasks hidden on every screen

    @classmethod
    def from_table(cls, data: dict[str, object]) -> Settings:
        """Settings from a config file's table, or ValueError naming every bad key in one line.

        Unknown keys are refused so that typos are reported.
        """
        errors = [f"{key}: unknown setting" for key in data if key not in _SETTING_NAMES]
        values: dict[str, object] = {}
        theme = data.get("theme", DEFAULT_THEME)
        if not isinstance(theme, str):
            errors.append(f"theme: {theme!r} is not a string")
        elif not theme.strip():
            errors.append("theme: must not be empty")
        else:
            values["theme"] = theme.strip()
        for key in ("roots", "include", "exclude"):
            items = data.get(key, [])
            if not isinstance(items, list):
                errors.append(f"{key}: {items!r} is not a list of strings")
            elif bad := [item for item in items if not isinstance(item, str)]:
                errors.append(f"{key}: {bad[0]!r} is not a string")
            else:
                values[key] = list(items)
        keymap = data.get("keymap", {})
        if not isinstance(keymap, dict) or any(not isinstance(k, str) or not isinstance(v, str) for k, v in keymap.items()):
            errors.append("keymap: expected a table of binding id = \"keys\" (strings)")
        else:
            values["keymap"] = dict(keymap)
        for key in ("sort", "group"):
            table = data.get(key, {})
            if not isinstance(table, dict):
                errors.append(f"{key}: expected a table of screen = \"{' | '.join(ORDERINGS)}\"")
                continue
            bad = [f"{screen} = {value!r}" for screen, value in table.items() if value not in ORDERINGS]
            if bad:
                errors.append(f"{key}: {bad[0]} is not one of {', '.join(ORDERINGS)}")
            else:
                values[key] = dict(table)
        reverse = data.get("reverse", {})
        if not isinstance(reverse, dict) or any(not isinstance(v, bool) for v in reverse.values()):
            errors.append("reverse: expected a table of screen = true or false")
        else:
            values["reverse"] = dict(reverse)
        hide = data.get("hide_done", False)
        if not isinstance(hide, bool):
            errors.append(f"hide_done: {hide!r} is not true or false")
        else:
            values["hide_done"] = hide
        if errors:
            raise ValueError("; ".join(errors))
        return cls(**values)  # type: ignore[arg-type]

    def replace(self, **changes: object) -> Settings:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]

    def as_table(self) -> dict[str, object]:
        return dataclasses.asdict(self)


ORDERINGS = ("priority", "due", "file", "state", "estimate")  # as planner.views.ordering.SORTS
_SETTING_NAMES = frozenset(f.name for f in dataclasses.fields(Settings))


@dataclass
class Loaded:
    settings: Settings
    path: Path
    problem: str | None = None  # one line, set when the file was unusable (defaults used)
    exists: bool = False

    @property
    def writable(self) -> bool:
        """A file that failed to load is the user's to fix: planner does not overwrite it."""
        return self.problem is None


def config_dir() -> Path:
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override).expanduser()
    import platformdirs  # noqa: PLC0415 - only needed when no override is given

    return Path(platformdirs.user_config_dir("planner", appauthor=False))


def config_path() -> Path:
    return config_dir() / CONFIG_NAME


def load_settings(path: Path | None = None) -> Loaded:
    """The settings in ``path`` (default: :func:`config_path`), or the defaults and why."""
    path = path or config_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Loaded(Settings(), path)
    except (OSError, UnicodeDecodeError) as err:
        reason = getattr(err, "strerror", None) or str(err)
        return Loaded(Settings(), path, f"{path}: cannot read ({reason}); using the default settings", exists=True)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        return Loaded(Settings(), path, f"{path}: not valid TOML ({err}); using the default settings", exists=True)
    try:
        settings = Settings.from_table(data)
    except ValueError as err:
        return Loaded(Settings(), path, f"{path}: {err}; using the default settings", exists=True)
    return Loaded(settings, path, exists=True)


def dumps(settings: Settings) -> str:
    import tomli_w  # noqa: PLC0415 - only needed when saving

    return HEADER + tomli_w.dumps(settings.as_table())


def save_changes(loaded: Loaded, **changes: object) -> Settings:
    """Write only ``changes`` into the config file (its other keys stay as the user wrote them).

    Returns the new settings (``loaded.settings`` is updated too). Raises OSError when the
    file cannot be written, ValueError when it could not be read (it is the user's to fix).
    """
    if not loaded.writable:
        raise ValueError(f"{loaded.path} could not be read: fix it first ({loaded.problem})")
    text: str | None = None
    try:
        text = loaded.path.read_bytes().decode("utf-8")  # no newline translation: CRLF stays
        tomllib.loads(text)
    except FileNotFoundError:
        text = None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise ValueError(f"{loaded.path} changed and cannot be read ({err}); not saved") from err
    updated = loaded.settings.replace(**changes)
    values = {key: getattr(updated, key) for key in changes}
    before = {key: getattr(loaded.settings, key) for key in changes}
    from planner.writer.atomic import atomic_write  # noqa: PLC0415

    loaded.path.parent.mkdir(parents=True, exist_ok=True)
    written = _with_keys(text, values, before)
    if text is not None and "\r\n" in text and "\n" not in text.replace("\r\n", ""):
        written = written.replace("\r\n", "\n").replace("\n", "\r\n")  # the lines it adds end as the file's do
    atomic_write(loaded.path, written.encode("utf-8"))
    loaded.settings = updated
    loaded.exists = True
    return updated


def _with_keys(text: str | None, values: dict[str, object], before: dict[str, object]) -> str:
    """``text`` (a TOML file, None when there is none) with ``values`` set: with tomlkit the rest
    of the file stays byte for byte (comments, order, spacing); without it, the keys are kept
    and the comments are not.

    A table value (``sort``, ``group``…) changes only the entries that differ from ``before``
    (what planner read): the table's comments and entries written by hand since then stay."""
    try:
        import tomlkit  # noqa: PLC0415 - only needed when saving
    except ImportError:
        import tomli_w  # noqa: PLC0415

        table = tomllib.loads(text) if text is not None else {}
        for key, value in values.items():
            _set_key(table, key, value, before.get(key))
        return HEADER + tomli_w.dumps(table)
    document = tomlkit.parse(text) if text is not None else tomlkit.parse(CHOICES_HEADER)
    for key, value in values.items():
        _set_key(document, key, value, before.get(key))
    return tomlkit.dumps(document)


def _set_key(document: Any, key: str, value: object, before: object) -> None:
    """Set ``key`` in a parsed TOML ``document``; a table only where its entries changed."""
    current = document.get(key)
    if not (isinstance(value, dict) and isinstance(before, dict) and isinstance(current, dict)):
        document[key] = value
        return
    for entry in before.keys() - value.keys():
        if entry in current:
            del current[entry]
    for entry, item in value.items():
        if entry not in before or before[entry] != item:  # the others are as read, or as edited since
            current[entry] = item


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write ``settings`` atomically; raises OSError when the folder or file cannot be written."""
    from planner.writer.atomic import atomic_write  # noqa: PLC0415

    path = path or config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, dumps(settings).encode("utf-8"))
    return path
