"""Colour themes from TOML files: cockpit's own (packaged) and the user's (XDG config).

A theme file is one TOML table with the fields of Textual's `Theme` (name, primary,
secondary, accent, background, surface, panel, foreground, success, warning, error, boost,
dark, ansi, luminosity_spread, text_alpha, [variables]). Every mistake names the file and
the key. A broken user theme never stops the app: it is skipped and the app says so
(`register_all` notifies); `--theme NAME` with an unknown name is a clear error listing
the names that exist.

Where the files are: the repository's top-level `themes/` installs as the package
`cockpit.themes` (pyproject's package-dir), found with importlib.resources. A checkout
run from its own directory (PYTHONPATH=checkout, as the tests run) has no such package
on its path and reads the `themes/` beside the `cockpit/` it imported, which is also the
right tree when another checkout is installed in editable mode.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from platformdirs import user_config_path
from textual.color import Color, ColorParseError
from textual.theme import BUILTIN_THEMES, Theme

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - 3.10
    import tomli as tomllib

DEFAULT_THEME = "cockpit-dark"
#: cockpit's own theme variables, for themes that do not set them (Textual's built-ins, a
#: user's): the banners' colours, white on dark red and black on amber (WCAG 7:1 and up).
VARIABLE_DEFAULTS = {
    "banner-blocker-background": "#9b0000",
    "banner-blocker-foreground": "#ffffff",
    "banner-unknown-background": "#ffc247",
    "banner-unknown-foreground": "#000000",
}
COLOUR_KEYS = (
    "primary",
    "secondary",
    "accent",
    "foreground",
    "background",
    "surface",
    "panel",
    "boost",
    "success",
    "warning",
    "error",
)
_BOOL_KEYS = ("dark", "ansi")
_FLOAT_KEYS = ("luminosity_spread", "text_alpha")
_ALLOWED = {"name", "variables", *COLOUR_KEYS, *_BOOL_KEYS, *_FLOAT_KEYS}
_REPO_THEMES = Path(__file__).resolve().parents[2] / "themes"


class ThemeError(ValueError):
    """A theme file that cannot be used, or an unknown `--theme` name (message says which)."""


@dataclass(frozen=True)
class Problem:
    path: Path
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass(frozen=True)
class Loaded:
    """Themes by name (later sources override earlier ones), where each came from, and
    the files that were skipped."""

    themes: dict[str, Theme] = field(default_factory=dict)
    origin: dict[str, Path] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()

    def names(self) -> list[str]:
        return sorted(self.themes)


def _packaged_dir() -> Path | None:
    """The installed `cockpit.themes` package's directory (a wheel, or an editable
    install's mapping onto the repository's themes/)."""
    try:
        folder = resources.files("cockpit.themes")
    except ModuleNotFoundError:
        return None
    path = Path(str(folder))
    return path if (path / f"{DEFAULT_THEME}.toml").is_file() else None


def themes_dir() -> Path:
    """cockpit's own themes/ (TOML themes and the app's .tcss files)."""
    if (_REPO_THEMES / f"{DEFAULT_THEME}.toml").is_file():
        return _REPO_THEMES
    packaged = _packaged_dir()
    return packaged if packaged is not None else _REPO_THEMES


def user_themes_dir() -> Path:
    """Where users add their own: `$XDG_CONFIG_HOME/cockpit/themes/*.toml`."""
    return user_config_path("cockpit") / "themes"


def _colour(path: Path, key: str, value: object) -> str:
    if not isinstance(value, str):
        raise ThemeError(f"{path}: {key} must be a colour string, not {type(value).__name__}")
    try:
        Color.parse(value)
    except ColorParseError as exc:
        raise ThemeError(f"{path}: {key} = {value!r} is not a colour ({exc})") from None
    return value


def theme_from_table(path: Path, table: Mapping[str, Any]) -> Theme:
    """Validate one parsed TOML table into a Theme; every error names `path` and the key."""
    unknown = sorted(set(table) - _ALLOWED)
    if unknown:
        raise ThemeError(
            f"{path}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(_ALLOWED))}"
        )
    name = table.get("name")
    if not isinstance(name, str) or not name.strip() or "," in name:
        raise ThemeError(f"{path}: `name` must be a non-empty string without commas")
    if "primary" not in table:
        raise ThemeError(f"{path}: `primary` is required (the theme's main colour)")
    kwargs: dict[str, Any] = {"name": name.strip()}
    for key in COLOUR_KEYS:
        if key in table:
            kwargs[key] = _colour(path, key, table[key])
    for key in _BOOL_KEYS:
        if key in table:
            if not isinstance(table[key], bool):
                raise ThemeError(f"{path}: {key} must be true or false")
            kwargs[key] = table[key]
    for key in _FLOAT_KEYS:
        if key in table:
            value = table[key]
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ThemeError(f"{path}: {key} must be a number")
            kwargs[key] = float(value)
    variables = table.get("variables", {})
    if not isinstance(variables, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in variables.items()
    ):
        raise ThemeError(f"{path}: [variables] must map names to strings")
    kwargs["variables"] = dict(variables)
    theme = Theme(**kwargs)
    try:
        theme.to_color_system().generate()
    except Exception as exc:  # Textual's own check: what the app would hit on switching
        raise ThemeError(f"{path}: Textual cannot build this theme: {exc}") from None
    return theme


def load_theme(path: Path) -> Theme:
    """One TOML file -> Theme, or ThemeError naming the file."""
    try:
        table = tomllib.loads(path.read_text("utf-8"))
    except OSError as exc:
        raise ThemeError(f"{path}: cannot read ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise ThemeError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ThemeError(f"{path}: not valid TOML ({exc})") from None
    return theme_from_table(path, table)


def load_all(dirs: Iterable[Path] | None = None) -> Loaded:
    """Every *.toml in `dirs` (default: built-ins, then the user's), in name order.

    A later file with the same theme name replaces an earlier one (a user may restyle
    `cockpit-dark`); a file that fails is skipped and listed in `problems`.
    """
    if dirs is None:
        dirs = (themes_dir(), user_themes_dir())
    themes: dict[str, Theme] = {}
    origin: dict[str, Path] = {}
    problems: list[Problem] = []
    for directory in dirs:
        if not directory.is_dir():
            continue
        for path in sorted(directory.glob("*.toml")):
            try:
                theme = load_theme(path)
            except ThemeError as exc:
                problems.append(Problem(path, str(exc).removeprefix(f"{path}: ")))
                continue
            themes[theme.name] = theme
            origin[theme.name] = path
    return Loaded(themes, origin, tuple(problems))


def register_all(app: Any, loaded: Loaded | None = None) -> Loaded:
    """Register every theme with a Textual app (then the palette's "Change theme" lists
    them) and tell the user about each skipped file, without markup (paths are theirs)."""
    loaded = loaded if loaded is not None else load_all()
    for theme in loaded.themes.values():
        app.register_theme(theme)
    for problem in loaded.problems:
        app.notify(
            f"theme skipped: {problem}", title="theme", severity="warning", timeout=15, markup=False
        )
    return loaded


def available(loaded: Loaded) -> list[str]:
    """Names `--theme` accepts: ours and the user's, then Textual's built-ins."""
    return sorted(set(loaded.themes) | set(BUILTIN_THEMES))


def resolve(name: str | None, loaded: Loaded | None = None) -> str:
    """`--theme NAME` -> a registered name (None -> the default), or a ThemeError that
    lists every name that would work."""
    loaded = loaded if loaded is not None else load_all()
    if name is None:
        return DEFAULT_THEME if DEFAULT_THEME in loaded.themes else "textual-dark"
    names = available(loaded)
    if name in names:
        return name
    hint = "; ".join(str(p) for p in loaded.problems if p.path.stem == name)
    extra = f" ({hint})" if hint else ""
    raise ThemeError(f"unknown theme {name!r}{extra}; available: {', '.join(names)}")
