"""Theme files: ``themes/*.toml`` turned into Textual themes, every colour checked first.

A theme file holds the keys of :class:`textual.theme.Theme`::

    name = "planner-dark"
    dark = true
    primary = "#61afef"
    background = "#1e2127"
    [variables]
    "block-cursor-text-style" = "bold"

An invalid colour would crash the app when the CSS is refreshed, so each file is
validated (pydantic + ``Color.parse``) before it is registered; a bad file gives one
line saying which key is wrong and is skipped, and the other themes still load.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator
from textual.color import Color, ColorParseError
from textual.css.constants import VALID_STYLE_FLAGS
from textual.theme import Theme

BUNDLED_THEMES = Path(__file__).resolve().parents[2] / "themes"
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_COLOUR_KEYS = ("primary", "secondary", "accent", "background", "surface", "panel", "boost",
                "foreground", "success", "warning", "error")  # fmt: skip


def _colour(value: str) -> str:
    try:
        Color.parse(value)
    except ColorParseError:
        raise ValueError(f"{value!r} is not a colour (use #rrggbb, rgb(…), hsl(…) or a colour name)") from None
    return value


class ThemeFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    primary: str
    secondary: str | None = None
    accent: str | None = None
    background: str | None = None
    surface: str | None = None
    panel: str | None = None
    boost: str | None = None
    foreground: str | None = None
    success: str | None = None
    warning: str | None = None
    error: str | None = None
    dark: bool = True
    luminosity_spread: float = 0.15
    text_alpha: float = 0.95
    variables: dict[str, str] = {}

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not _NAME.match(value):
            raise ValueError(f"{value!r} is not a theme name (lower case letters, digits, '-' and '_')")
        return value

    @field_validator(*_COLOUR_KEYS)
    @classmethod
    def _colours(cls, value: str | None) -> str | None:
        return None if value is None else _colour(value)

    @field_validator("variables")
    @classmethod
    def _variables(cls, value: dict[str, str]) -> dict[str, str]:
        for key, item in value.items():
            if key.endswith("text-style"):
                bad = [word for word in item.split() if word not in VALID_STYLE_FLAGS]
                if bad:
                    raise ValueError(f"{key}: {item!r} is not a text style")
            else:
                try:
                    _colour(item)
                except ValueError as err:
                    raise ValueError(f"{key}: {err}") from None
        return value

    def theme(self) -> Theme:
        return Theme(**self.model_dump())


@dataclass
class ThemeSet:
    themes: list[Theme] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # one line each


def _describe(error: ValidationError) -> str:
    parts = []
    for item in error.errors():
        where = ".".join(str(p) for p in item["loc"]) or "file"
        message = "unknown key" if item["type"] == "extra_forbidden" else item["msg"].removeprefix("Value error, ")
        parts.append(f"{where}: {message}")
    return "; ".join(parts)


def load_theme_file(path: Path) -> Theme:
    """One theme, or ValueError with a one-line reason."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        raise ValueError(f"{path}: cannot read ({getattr(err, 'strerror', None) or err})") from None
    except tomllib.TOMLDecodeError as err:
        raise ValueError(f"{path}: not valid TOML ({err})") from None
    try:
        spec = ThemeFile.model_validate(data)
    except ValidationError as err:
        raise ValueError(f"{path}: {_describe(err)}; theme skipped") from None
    theme = spec.theme()
    try:
        theme.to_color_system().generate()  # the same work the app does on a theme switch
    except Exception as err:  # noqa: BLE001 - any failure here means: do not register it
        raise ValueError(f"{path}: unusable theme ({err}); theme skipped") from None
    return theme


def load_themes(*folders: Path) -> ThemeSet:
    """Every ``*.toml`` theme in ``folders`` (later folders override earlier names)."""
    found = ThemeSet()
    by_name: dict[str, Theme] = {}
    for folder in folders:
        try:
            files = sorted(folder.glob("*.toml"))
        except OSError:
            continue
        for path in files:
            try:
                theme = load_theme_file(path)
            except ValueError as err:
                found.problems.append(str(err))
                continue
            by_name[theme.name] = theme
    found.themes = list(by_name.values())
    return found
