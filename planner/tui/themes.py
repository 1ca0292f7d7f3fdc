"""Theme files: ``themes/*.toml`` turned into Textual themes, every colour checked first.

A theme file holds the keys of :class:`textual.theme.Theme`::

    name = "planner-dark"
    dark = true
    primary = "#61afef"
    background = "#1e2127"
    [variables]
    "block-cursor-text-style" = "bold"

An invalid colour would crash the app when the CSS is refreshed, so each file is
validated (every key, every colour with ``Color.parse``) before it is registered; a bad file gives one
line saying which key is wrong and is skipped, and the other themes still load.
"""

from __future__ import annotations

import re
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from textual.color import Color, ColorParseError
from textual.css.constants import VALID_STYLE_FLAGS
from textual.theme import Theme

def _bundled_theme_folder() -> Path:
    """``themes/`` of a checkout (editable install), else the copy a wheel installs
    under ``<prefix>/share/planner/themes`` (pyproject's data-files)."""
    checkout = Path(__file__).resolve().parents[2] / "themes"
    installed = Path(sys.prefix) / "share" / "planner" / "themes"
    return checkout if checkout.is_dir() or not installed.is_dir() else installed


BUNDLED_THEMES = _bundled_theme_folder()
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_COLOUR_KEYS = ("primary", "secondary", "accent", "background", "surface", "panel", "boost",
                "foreground", "success", "warning", "error")  # fmt: skip


def _colour(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a colour (use a string: #rrggbb, rgb(…), hsl(…) or a colour name)")
    try:
        Color.parse(value)
    except ColorParseError:
        raise ValueError(f"{value!r} is not a colour (use #rrggbb, rgb(…), hsl(…) or a colour name)") from None
    return value


_OPTIONAL_COLOURS = tuple(key for key in _COLOUR_KEYS if key != "primary")
_NUMBERS = ("luminosity_spread", "text_alpha")
_KNOWN = {"name", "primary", "dark", "variables", *_OPTIONAL_COLOURS, *_NUMBERS}


def validate_theme(data: dict[str, object]) -> Theme:
    """A :class:`Theme` from a theme file's table, or ValueError naming every bad key.

    Plain checks rather than a pydantic model: the default theme is validated before the
    first frame, and building a validator would cost more than the whole check.
    """
    errors: list[str] = []

    def check(key: str, test: object) -> None:
        try:
            test()  # type: ignore[operator]
        except ValueError as err:
            errors.append(f"{key}: {err}")

    for key in sorted(set(data) - _KNOWN):
        errors.append(f"{key}: unknown key")
    name = data.get("name")
    if name is None:
        errors.append("name: Field required")
    elif not isinstance(name, str) or not _NAME.match(name):
        errors.append(f"name: {name!r} is not a theme name (lower case letters, digits, '-' and '_')")
    if "primary" not in data:
        errors.append("primary: Field required")
    for key in _COLOUR_KEYS:
        if key in data:
            check(key, lambda key=key: _colour(data[key]))
    if "dark" in data and not isinstance(data["dark"], bool):
        errors.append(f"dark: {data['dark']!r} is not true or false")
    for key in _NUMBERS:
        if key in data and (isinstance(data[key], bool) or not isinstance(data[key], int | float)):
            errors.append(f"{key}: {data[key]!r} is not a number")
    variables = data.get("variables", {})
    if not isinstance(variables, dict):
        errors.append("variables: must be a table")
        variables = {}
    for key, item in variables.items():
        if not isinstance(item, str):
            errors.append(f"variables.{key}: {item!r} is not a string")
        elif key.endswith("text-style"):
            bad = [word for word in item.split() if word not in VALID_STYLE_FLAGS]
            if bad:
                errors.append(f"variables.{key}: {item!r} is not a text style")
        else:
            check(f"variables.{key}", lambda item=item: _colour(item))
    if errors:
        raise ValueError("; ".join(errors))
    return Theme(**data)  # type: ignore[arg-type]


@dataclass
class ThemeSet:
    themes: list[Theme] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # one line each


def load_theme_file(path: Path) -> Theme:
    """One theme, or ValueError with a one-line reason."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        raise ValueError(f"{path}: cannot read ({getattr(err, 'strerror', None) or err})") from None
    except tomllib.TOMLDecodeError as err:
        raise ValueError(f"{path}: not valid TOML ({err})") from None
    try:
        theme = validate_theme(data)
    except ValueError as err:
        raise ValueError(f"{path}: {err}; theme skipped") from None
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
