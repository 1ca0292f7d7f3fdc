"""Settings: theme, roots and include/exclude globs, kept in a TOML file planner owns.

The file lives in the platform's config folder (``platformdirs.user_config_dir("planner")``),
or in ``$PLANNER_CONFIG_DIR`` when that is set (tests always set it). It is written with
tomli-w, so only planner writes it; a person may edit it, but comments are not kept.

A broken file never stops planner: :func:`load_settings` returns the defaults and a
one-line message saying what is wrong, and :func:`save_settings` refuses to overwrite a
file it could not read (the user's text is never replaced by a guess).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

CONFIG_ENV = "PLANNER_CONFIG_DIR"
CONFIG_NAME = "config.toml"
DEFAULT_THEME = "planner-dark"

HEADER = "# planner settings (written by planner; comments in this file are not kept)\n"


class Settings(BaseModel):
    """What a user can set. Unknown keys are refused so that typos are reported."""

    # Built on first use: with no config file, starting planner never pays for a validator.
    model_config = ConfigDict(extra="forbid", validate_assignment=True, defer_build=True)

    theme: str = DEFAULT_THEME
    roots: list[str] = []  # folders or files opened when `planner` is run without paths
    include: list[str] = []  # globs (relative to a root); empty = every Markdown file
    exclude: list[str] = []  # globs (relative to a root) left out

    @field_validator("theme")
    @classmethod
    def _theme_name(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("must not be empty")
        return value


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


def _describe(error: ValidationError) -> str:
    parts = []
    for item in error.errors():
        where = ".".join(str(p) for p in item["loc"]) or "file"
        message = item["msg"]
        if item["type"] == "extra_forbidden":
            message = "unknown setting"
        parts.append(f"{where}: {message}")
    return "; ".join(parts)


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
        settings = Settings.model_validate(data)
    except ValidationError as err:
        return Loaded(Settings(), path, f"{path}: {_describe(err)}; using the default settings", exists=True)
    return Loaded(settings, path, exists=True)


def dumps(settings: Settings) -> str:
    import tomli_w  # noqa: PLC0415 - only needed when saving

    return HEADER + tomli_w.dumps(settings.model_dump())


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write ``settings`` atomically; raises OSError when the folder or file cannot be written."""
    from planner.writer.atomic import atomic_write  # noqa: PLC0415

    path = path or config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, dumps(settings).encode("utf-8"))
    return path
