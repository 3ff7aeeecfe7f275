"""Themes: the built-ins load, a user's broken theme is skipped (never fatal), `--theme`
names are checked, the palette lists ours, and no .tcss holds a colour literal. That the
wheel carries themes/ is tests/install/'s."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.color import COLOR_NAME_TO_RGB
from textual.theme import ThemeProvider
from textual.widgets import Static

from cockpit.ui import themes

OURS = {"cockpit-dark", "cockpit-light", "cockpit-high-contrast", "terminal"}


def test_builtins_load_cleanly_and_the_default_is_ours() -> None:
    loaded = themes.load_all([themes.themes_dir()])
    assert loaded.problems == ()
    assert set(loaded.themes) >= OURS
    assert themes.resolve(None, loaded) == "cockpit-dark"
    assert loaded.themes["cockpit-light"].dark is False
    assert loaded.themes["cockpit-high-contrast"].background == "#000000"


def test_terminal_theme_uses_only_the_terminals_palette() -> None:
    theme = themes.load_all([themes.themes_dir()]).themes["terminal"]
    assert theme.ansi is True  # Textual's ANSI->truecolor filter is off for it
    colours = [getattr(theme, k) for k in themes.COLOUR_KEYS if getattr(theme, k)]
    colours += list(theme.variables.values())
    assert colours and all(c.startswith("ansi_") or c == "none" for c in colours), colours


def _write(directory: Path, name: str, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(text)
    return path


BROKEN = {
    "bad-toml.toml": 'name = "x"\nprimary = \n',
    "bad-colour.toml": 'name = "bad-colour"\nprimary = "#12345z"\n',
    "typo.toml": 'name = "typo"\nprimary = "#123456"\nbackgroud = "#000000"\n',
    "no-name.toml": 'primary = "#123456"\n',
    "bad-dark.toml": 'name = "bad-dark"\nprimary = "#123456"\ndark = "yes"\n',
}


def test_user_themes_load_and_broken_ones_are_skipped_with_the_file_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    user = themes.user_themes_dir()
    assert user == tmp_path / "config" / "cockpit" / "themes"
    _write(
        user, "mine.toml", 'name = "mine"\nprimary = "darkorange"\n[variables]\nborder = "red"\n'
    )
    for name, text in BROKEN.items():
        _write(user, name, text)
    loaded = themes.load_all()
    assert "mine" in loaded.themes and loaded.origin["mine"] == user / "mine.toml"
    assert set(loaded.themes) >= OURS
    by_file = {p.path.name: p.message for p in loaded.problems}
    assert set(by_file) == set(BROKEN)
    assert "not valid TOML" in by_file["bad-toml.toml"]
    assert "primary = '#12345z' is not a colour" in by_file["bad-colour.toml"]
    assert "unknown key(s) backgroud" in by_file["typo.toml"]
    assert "`name`" in by_file["no-name.toml"]
    assert "dark must be true or false" in by_file["bad-dark.toml"]
    assert str(user / "typo.toml") in str(loaded.problems[-1]) or any(
        str(user) in str(p) for p in loaded.problems
    )


def test_unknown_theme_name_lists_what_exists() -> None:
    loaded = themes.load_all([themes.themes_dir()])
    with pytest.raises(themes.ThemeError) as err:
        themes.resolve("cockpit-drak", loaded)
    message = str(err.value)
    assert "unknown theme 'cockpit-drak'" in message
    for name in (*OURS, "textual-dark"):
        assert name in message
    assert themes.resolve("nord", loaded) == "nord"  # Textual's own stay usable


class _ThemeApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("x")


async def test_registered_themes_apply_and_the_palette_offers_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    _write(themes.user_themes_dir(), "broken.toml", "name = [")
    app = _ThemeApp()
    async with app.run_test(size=(80, 24)) as pilot:
        loaded = themes.register_all(app)
        await pilot.pause()
        for name in sorted(OURS, key=lambda n: n == "terminal"):  # terminal last
            app.theme = name  # raises InvalidThemeError if not registered
            await pilot.pause()
            assert app.current_theme.name == name
        assert app.native_ansi_color is True  # terminal theme: native ANSI colours
        provider = ThemeProvider(app.screen)
        offered = {title for title, _ in provider.commands}
        assert offered >= OURS
        notes = [n.message for n in app._notifications]
        assert len(loaded.problems) == 1
        assert any("theme skipped" in m and "broken.toml" in m for m in notes), notes


# -- no colour literals in .tcss ----------------------------------------------------------

_HEX = re.compile(r"#[0-9a-fA-F]{3,8}\b")
_FUNC = re.compile(r"\b(rgba?|hsla?)\s*\(", re.I)
_NAMES = set(COLOR_NAME_TO_RGB) - {"transparent"}


def colour_literals(css: str) -> list[str]:
    """Colour literals in declaration values (selectors like #banner are not colours)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    found: list[str] = []
    for decl in re.finditer(r"([a-z-]+)\s*:\s*([^;{}]+);", css):
        prop, value = decl.group(1), decl.group(2)
        found += [f"{prop}: {m}" for m in _HEX.findall(value)]
        found += [f"{prop}: {m}(" for m in _FUNC.findall(value)]
        found += [f"{prop}: {w}" for w in re.findall(r"[a-z_]+", value) if w in _NAMES]
    return found


def test_the_literal_check_catches_literals() -> None:
    css = "#banner { color: #ff0000; background: rgb(1,2,3); border: tall red; }"
    assert colour_literals(css) == ["color: #ff0000", "background: rgb(", "border: red"]
    assert colour_literals("#abc { color: $error; background: $panel 50%; }") == []


def test_no_tcss_holds_a_colour_literal() -> None:
    sheets = sorted(themes.themes_dir().glob("*.tcss"))
    assert sheets, "themes/ has no .tcss"
    bad = {p.name: colour_literals(p.read_text()) for p in sheets}
    assert {k: v for k, v in bad.items() if v} == {}


# Packaging (themes/ installed as cockpit.themes, found in a wheel): tests/install/.
