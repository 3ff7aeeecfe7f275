"""The command palette (ctrl+p): every action of the screen underneath, and the app's.

Generated from the same bindings as the keys and `?` (so Disarm, Note, Filter, Raw and
whatever comes next are there without a list to keep up), each with its key in the help
line; bindings an action check refuses here (read-only, replay) are left out. Textual's
own "Keys" panel (which Esc did not close) gives way to cockpit's `?`, and its
"Screenshot" (which failed when ~/Downloads was missing) saves to the XDG state dir, or
the current directory, and says where.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import Any

from platformdirs import user_state_path
from textual.app import App, SystemCommand
from textual.screen import Screen

#: Actions with a command of their own below, or that only move a cursor.
_SKIP = (
    "request_quit",
    "help",
    "app.help",
    "quit",
    "back",
    "go_back",
    "close",
    "cancel",
    "command_palette",
)


def binding_commands(app: App[Any], screen: Screen[Any]) -> Iterable[SystemCommand]:
    """One command per described binding of `screen` and of the app, if allowed now."""
    seen: set[str] = set()
    for key, active in screen.active_bindings.items():
        binding, node = active.binding, active.node
        if node is not screen and node is not app:
            continue  # a focused widget's navigation keys: not commands
        text = binding.description
        action = binding.action
        if not text or binding.system or text in seen or action.split("(")[0] in _SKIP:
            continue
        if not active.enabled or (binding.key, action) in _builtin():
            continue
        seen.add(text)
        shown = binding.key_display or app.get_key_display(binding) or key
        yield SystemCommand(
            text, f"key {shown}", partial(app.call_later, app.run_action, action, node)
        )


def _builtin() -> set[tuple[str, str]]:
    """Textual's own keys (focus, copy, the palette itself): not cockpit's actions."""
    from cockpit.ui.help_screen import _BUILTIN

    return _BUILTIN


def screenshot_dir() -> Path:
    """Where palette screenshots go: the XDG state dir, else the current directory."""
    target = user_state_path("cockpit") / "screenshots"
    try:
        target.mkdir(parents=True, exist_ok=True)
        return target
    except OSError:
        return Path.cwd()


def save_screenshot(app: App[Any]) -> Path | None:
    directory = screenshot_dir()
    try:
        saved = app.save_screenshot(path=str(directory))
    except OSError as exc:
        app.notify(f"screenshot not saved: {exc}", severity="error", markup=False)
        return None
    app.notify(f"screenshot saved: {saved}", markup=False, timeout=8)
    return Path(saved)


def system_commands(
    app: App[Any], screen: Screen[Any], textual: Iterable[SystemCommand]
) -> Iterable[SystemCommand]:
    """Textual's commands with Quit through the guard, Keys as `?` and Screenshot saved
    where it can be; then every binding's command."""
    for command in textual:
        if command.title == "Quit":
            yield SystemCommand(
                "Quit",
                "Leave cockpit (the quit guard asks first if a host is unbootable)",
                partial(app.call_later, app.run_action, "request_quit('palette')"),
            )
        elif command.title == "Keys":
            yield SystemCommand(
                "Keys",
                "Every key of this screen (?)",
                partial(app.call_later, app.run_action, "help"),
            )
        elif command.title == "Screenshot":
            yield SystemCommand(
                "Screenshot",
                f"Save an SVG of the screen in {screenshot_dir()}",
                lambda: app.set_timer(0.1, partial(save_screenshot, app)),
            )
        else:
            yield command
    yield from binding_commands(app, screen)
