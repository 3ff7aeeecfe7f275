"""The bash, zsh and fish scripts of `cockpit completion`, written from cli/completion.py's
model of the parsers.

Each script has the same parts: a function per command (what an option's value
completes to, the options, what a bare word completes to), hosts read at TAB time from
~/.ssh/config (`Host` patterns without wildcards) and from the last inventory's file in
the XDG state dir, and themes (ours and Textual's, plus the user's theme files).

Host text is only ever data here: lines are read with `read -r` (bash), `${(f)...}` (zsh)
or command output (fish) and handed to the shell as literal candidates, never through
`compgen -W`, `eval` or an unquoted expansion (compgen -W would run a `$(...)` found in
an ssh config). Static words (option names, choices, theme names) are cockpit's own and
are checked to be plain words when the script is written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from cockpit import __version__
from cockpit.cli.completion import Command, Model, Option

_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]*|--?[A-Za-z0-9][A-Za-z0-9-]*")

#: awk over ~/.ssh/config: every `Host` word that is a name, not a pattern or a negation.
_SSH_AWK = "awk 'tolower($1) == \"host\" { for (i = 2; i <= NF; i++) if ($i !~ /[*?!]/) print $i }'"


def plain(words: Iterable[str]) -> str:
    """Space-separated words that every shell reads as themselves."""
    out = []
    for word in words:
        if not _PLAIN.fullmatch(word):
            raise ValueError(f"not a plain word for a completion script: {word!r}")
        out.append(word)
    return " ".join(out)


def _header(shell: str) -> str:
    return (
        f"# {shell} completion for cockpit {__version__}, written by "
        f"`cockpit completion {shell}`.\n"
        "# Regenerate it after upgrading cockpit: it is generated from the command's parsers.\n"
    )


def _value_options(command: Command, *kinds: str) -> list[str]:
    return [flag for o in command.options if o.kind in kinds for flag in o.flags]


def _option_words(command: Command) -> str:
    return plain(flag for o in command.options for flag in o.flags)


# -- bash ------------------------------------------------------------------------------


def _bash_values(option: Option) -> str:
    """The statement that completes one value kind, in a bash function."""
    return {
        "file": "_cockpit_files",
        "dir": "_cockpit_dirs",
        "host": "_cockpit_add < <(_cockpit_hosts)",
        "theme": "_cockpit_add < <(_cockpit_themes)",
        "choices": f"_cockpit_add < <(printf '%s\\n' {plain(option.choices)})",
        "free": ":",
        "none": ":",
    }[option.kind]


def _bash_command(command: Command) -> str:
    lines = [f"_cockpit_cmd_{command.name or 'app'}() {{"]
    valued = [o for o in command.options if o.kind != "flag"]
    if valued:
        lines.append("    case $prev in")
        for option in valued:
            lines.append(f"        {'|'.join(option.flags)}) {_bash_values(option)}; return ;;")
        lines.append("    esac")
    lines += [
        "    if [[ $cur == -* ]]; then",
        f"        _cockpit_add < <(printf '%s\\n' {_option_words(command)})",
        "        return",
        "    fi",
        f"    {_bash_values(command.positional)}",
        "}",
    ]
    return "\n".join(lines)


def bash(model: Model) -> str:
    subcommands = plain(model.subcommands)
    cases = "\n".join(
        f"        {c.name}) _cockpit_cmd_{c.name} ;;" for c in model.commands if c.name
    )
    return f"""{_header("bash")}
_cockpit_hosts() {{
    if [ -r "$HOME/.ssh/config" ]; then
        {_SSH_AWK} "$HOME/.ssh/config" 2>/dev/null
    fi
    local state="${{XDG_STATE_HOME:-$HOME/.local/state}}/cockpit/{model.state_file}"
    if [ -r "$state" ]; then cat -- "$state"; fi
}}

_cockpit_themes() {{
    printf '%s\\n' {plain(model.themes)}
    local f
    for f in "${{XDG_CONFIG_HOME:-$HOME/.config}}"/cockpit/themes/*.toml; do
        [ -e "$f" ] || continue
        f=${{f##*/}}
        printf '%s\\n' "${{f%.toml}}"
    done
}}

# Each line of stdin that starts with the word being completed, as it is (no expansion).
_cockpit_add() {{
    local line
    while IFS= read -r line; do
        [[ -n $line && $line == "$cur"* ]] && COMPREPLY+=("$line")
    done
}}

_cockpit_files() {{
    mapfile -t COMPREPLY < <(compgen -f -- "$cur")
    compopt -o filenames 2>/dev/null
}}

_cockpit_dirs() {{
    mapfile -t COMPREPLY < <(compgen -d -- "$cur")
    compopt -o filenames 2>/dev/null
}}

{chr(10).join(_bash_command(c) for c in model.commands)}

_cockpit() {{
    # The word under the cursor and the one before, split on blanks only: bash's own
    # COMP_WORDS also splits at ':' (user@host:port) and '='.
    local line=${{COMP_LINE:0:COMP_POINT}}
    local cur=${{line##*[[:space:]]}}
    local before=${{line%"$cur"}}
    before=${{before%"${{before##*[![:space:]]}}"}}
    local prev=${{before##*[[:space:]]}}
    local cmd=
    COMPREPLY=()
    if ((COMP_CWORD > 1)); then
        case ${{COMP_WORDS[1]}} in
            {"|".join(model.subcommands)}) cmd=${{COMP_WORDS[1]}} ;;
        esac
    elif [[ $cur != -* ]]; then
        _cockpit_add < <(printf '%s\\n' {subcommands})
    fi
    case $cmd in
{cases}
        *) _cockpit_cmd_app ;;
    esac
    # bash replaces only the part of the word after its last ':' or '='.
    if [[ $cur == *[:=]* ]]; then
        local keep=${{cur%"${{cur##*[:=]}}"}}
        COMPREPLY=("${{COMPREPLY[@]#"$keep"}}")
    fi
}}

complete -F _cockpit cockpit
"""


# -- zsh -------------------------------------------------------------------------------


def _zsh_values(option: Option) -> str:
    return {
        "file": "_files",
        "dir": "_files -/",
        "host": "_cockpit_add < <(_cockpit_hosts)",
        "theme": "_cockpit_add < <(_cockpit_themes)",
        "choices": f"compadd -- {plain(option.choices)}",
        "free": ":",
        "none": ":",
    }[option.kind]


def _zsh_command(command: Command) -> str:
    lines = [f"_cockpit_cmd_{command.name or 'app'}() {{"]
    valued = [o for o in command.options if o.kind != "flag"]
    if valued:
        lines.append("    case $prev in")
        for option in valued:
            lines.append(f"        ({'|'.join(option.flags)}) {_zsh_values(option)}; return ;;")
        lines.append("    esac")
    lines += [
        "    if [[ $cur == -* ]]; then",
        f"        compadd -- {_option_words(command)}",
        "        return",
        "    fi",
        f"    {_zsh_values(command.positional)}",
        "}",
    ]
    return "\n".join(lines)


def zsh(model: Model) -> str:
    cases = "\n".join(
        f"        ({c.name}) _cockpit_cmd_{c.name} ;;" for c in model.commands if c.name
    )
    return f"""#compdef cockpit
{_header("zsh")}
_cockpit_hosts() {{
    if [[ -r $HOME/.ssh/config ]]; then
        {_SSH_AWK} "$HOME/.ssh/config" 2>/dev/null
    fi
    local state="${{XDG_STATE_HOME:-$HOME/.local/state}}/cockpit/{model.state_file}"
    if [[ -r $state ]]; then cat -- "$state"; fi
}}

_cockpit_themes() {{
    print -rl -- {plain(model.themes)}
    local f
    for f in "${{XDG_CONFIG_HOME:-$HOME/.config}}"/cockpit/themes/*.toml(N); do
        print -r -- "${{${{f:t}}%.toml}}"
    done
}}

# Lines of stdin as literal candidates (compadd matches them against the word).
_cockpit_add() {{
    local -a found
    found=(${{(f)"$(cat)"}})
    (( ${{#found}} )) && compadd -- "${{found[@]}}"
}}

{chr(10).join(_zsh_command(c) for c in model.commands)}

_cockpit() {{
    local cur=${{words[CURRENT]}} prev=${{words[CURRENT-1]}} cmd=
    if (( CURRENT > 2 )); then
        case ${{words[2]}} in
            ({"|".join(model.subcommands)}) cmd=${{words[2]}} ;;
        esac
    elif [[ $cur != -* ]]; then
        compadd -- {plain(model.subcommands)}
    fi
    case $cmd in
{cases}
        (*) _cockpit_cmd_app ;;
    esac
}}

if [[ ${{zsh_eval_context[-1]}} == loadautofunc ]]; then
    _cockpit "$@"
else
    compdef _cockpit cockpit
fi
"""


# -- fish ------------------------------------------------------------------------------


def _fish_values(option: Option) -> str:
    return {
        "file": "-r -F",
        "dir": "-x -a '(__fish_complete_directories (commandline -ct))'",
        "host": "-x -a '(__cockpit_hosts)'",
        "theme": "-x -a '(__cockpit_themes)'",
        "choices": f"-x -a '{plain(option.choices)}'",
        "free": "-x",
        "none": "",
    }[option.kind]


def _fish_option(command: Command, option: Option) -> str:
    flags = []
    for flag in option.flags:
        flags.append(f"-l {flag[2:]}" if flag.startswith("--") else f"-s {flag[1:]}")
    when = f"-n '__cockpit_is {command.name or 'app'}'"
    values = _fish_values(option) if option.kind != "flag" else ""
    return " ".join(p for p in ("complete -c cockpit", when, *flags, values) if p)


def _fish_positional(command: Command) -> str | None:
    kind = command.positional.kind
    when = f"-n '__cockpit_is {command.name or 'app'}; and not __cockpit_value'"
    if kind in ("none", "free"):
        return None
    if kind == "file":
        return f"complete -c cockpit {when} -F"
    return f"complete -c cockpit {when} {_fish_values(command.positional).replace('-x ', '')}"


def fish(model: Model) -> str:
    lines = []
    for command in model.commands:
        lines += [_fish_option(command, o) for o in command.options]
        positional = _fish_positional(command)
        if positional:
            lines.append(positional)
    value_flags = plain(
        dict.fromkeys(
            flag
            for _, option in model.options_taking("file", "dir", "host", "theme", "choices", "free")
            for flag in option.flags
        )
    )
    return f"""{_header("fish")}
function __cockpit_hosts
    if test -r ~/.ssh/config
        {_SSH_AWK} ~/.ssh/config 2>/dev/null
    end
    set -l state ~/.local/state
    if set -q XDG_STATE_HOME; and test -n "$XDG_STATE_HOME"
        set state $XDG_STATE_HOME
    end
    if test -r $state/cockpit/{model.state_file}
        cat $state/cockpit/{model.state_file}
    end
end

function __cockpit_themes
    printf '%s\\n' {plain(model.themes)}
    set -l config ~/.config
    if set -q XDG_CONFIG_HOME; and test -n "$XDG_CONFIG_HOME"
        set config $XDG_CONFIG_HOME
    end
    for f in $config/cockpit/themes/*.toml
        basename $f .toml
    end
end

# The subcommand being completed ("app" for bare cockpit).
function __cockpit_command
    set -l tokens (commandline -opc)
    if test (count $tokens) -ge 2; and contains -- $tokens[2] {plain(model.subcommands)}
        echo $tokens[2]
    else
        echo app
    end
end

function __cockpit_is
    test (__cockpit_command) = $argv[1]
end

# True when the previous word is an option that takes a value (the word is that value).
function __cockpit_value
    set -l tokens (commandline -opc)
    contains -- $tokens[-1] {value_flags}
end

complete -c cockpit -f
complete -c cockpit -n 'test (count (commandline -opc)) -eq 1' -a '{plain(model.subcommands)}'
{chr(10).join(lines)}
"""


RENDER: dict[str, Callable[[Model], str]] = {"bash": bash, "zsh": zsh, "fish": fish}
