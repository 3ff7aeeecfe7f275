"""`cockpit completion bash|zsh|fish`: a completion script generated from the parsers.

The model is read from the same argparse parsers the commands parse with (cli/main.py's
`command_parsers()`): a new option or subcommand is completed without touching this
file, and one whose value has no known completion fails the tests until it is given one
here (`VALUE_KINDS`), rather than being completed wrongly.

Hand-written rather than a library: shtab has no fish output, and argcomplete starts
Python on every TAB; the parsers are small, so walking them is short work. Dynamic
values (hosts from ~/.ssh/config and the last inventory, the user's themes) are read by
the script itself at TAB time, as plain text, never through shell expansion.

    cockpit completion bash > ~/.local/share/bash-completion/completions/cockpit
    cockpit completion zsh  > ~/.zfunc/_cockpit   # a directory on $fpath
    cockpit completion fish > ~/.config/fish/completions/cockpit.fish
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass

from cockpit.cli.args import ArgumentParser
from cockpit.cli.last_inventory import FILE_NAME

SHELLS = ("bash", "zsh", "fish")

#: What an argument's value completes to, by argparse `dest`, when it has no `choices`:
#: file, dir (a directory), host (ssh config + last inventory), theme, or free (nothing
#: to offer: a time, a number).
VALUE_KINDS = {
    "inventory": "file",
    "record": "file",
    "file": "file",
    "root": "dir",
    "hosts": "host",
    "theme": "theme",
    "at": "free",
    "timeout": "free",
    "speed": "free",
    "start": "free",
}


@dataclass(frozen=True)
class Option:
    flags: tuple[str, ...]
    kind: str  # flag (takes no value) | choices | file | dir | host | theme | free
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Command:
    """One command line: "" is bare `cockpit`. `positional` is what a bare word completes
    to (same kinds as an option's value; `none` when the command takes no word)."""

    name: str
    options: tuple[Option, ...]
    positional: Option


@dataclass(frozen=True)
class Model:
    commands: tuple[Command, ...]
    themes: tuple[str, ...]  # cockpit's own and Textual's; the user's are read at TAB time
    state_file: str = FILE_NAME

    @property
    def subcommands(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.commands if c.name)

    def options_taking(self, *kinds: str) -> list[tuple[Command, Option]]:
        return [(c, o) for c in self.commands for o in c.options if o.kind in kinds]


class UnknownValueKind(Exception):
    """An argument whose value the completion cannot describe yet."""


def _kind(command: str, action: argparse.Action) -> Option:
    flags = tuple(action.option_strings)
    if action.choices is not None:
        return Option(flags, "choices", tuple(str(c) for c in action.choices))
    kind = VALUE_KINDS.get(action.dest)
    if kind is None:
        raise UnknownValueKind(
            f"cockpit {command} {'/'.join(flags) or action.dest}: add its dest "
            f"{action.dest!r} to VALUE_KINDS in cockpit/cli/completion.py"
        )
    return Option(flags, kind)


def command_model(name: str, parser: argparse.ArgumentParser) -> Command:
    options: list[Option] = []
    positional = Option((), "none")
    for action in parser._actions:  # argparse has no public walk of its arguments
        if action.option_strings:
            if action.nargs == 0:  # store_true, help, version
                options.append(Option(tuple(action.option_strings), "flag"))
            else:
                options.append(_kind(name, action))
        else:
            positional = _kind(name, action)
    return Command(name, tuple(options), positional)


def theme_names() -> tuple[str, ...]:
    """The names `--theme` accepts without user files: ours and Textual's built-ins."""
    try:
        from textual.theme import BUILTIN_THEMES

        from cockpit.ui.themes import themes_dir
    except ImportError:  # a build without the UI: no theme to offer
        return ()
    ours = {p.stem for p in themes_dir().glob("*.toml")}
    return tuple(sorted(ours | set(BUILTIN_THEMES)))


def build_model() -> Model:
    from cockpit.cli.main import command_parsers

    commands = tuple(command_model(name, build()) for name, build in command_parsers().items())
    return Model(commands, theme_names())


def script(shell: str, model: Model | None = None) -> str:
    from cockpit.cli import completion_scripts

    return completion_scripts.RENDER[shell](model or build_model())


def build_parser() -> argparse.ArgumentParser:
    parser = ArgumentParser(
        prog="cockpit completion",
        description="Print a shell completion script for cockpit.",
        epilog=(
            "bash: cockpit completion bash > ~/.local/share/bash-completion/completions/cockpit"
            "  zsh: cockpit completion zsh > DIR_ON_FPATH/_cockpit"
            "  fish: cockpit completion fish > ~/.config/fish/completions/cockpit.fish"
        ),
    )
    parser.add_argument("shell", choices=SHELLS)
    return parser


def main(argv: Sequence[str]) -> int:
    args = build_parser().parse_args(list(argv))
    sys.stdout.write(script(args.shell))
    return 0
