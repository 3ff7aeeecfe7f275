"""Shell completion: generated from the parsers, run in real bash (and zsh, fish).

bash: the script is sourced in `bash --norc`, `complete -p cockpit` shows it registered,
and `_cockpit` runs with COMP_WORDS split as bash splits them (':' and '=' are word
breaks), then once for real in tmux with a TAB key. zsh: `_cockpit` runs with `compadd`
and `_files` replaced by functions that print what they were given. fish: its own
`complete -C` answers. Hosts come from a throw-away HOME's ~/.ssh/config and the state
file that `--inventory` writes; host text that tries `$(...)` must never run.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from cockpit import __version__
from cockpit.cli import completion, completion_scripts
from cockpit.cli.app_cmd import build_parser as app_parser
from cockpit.cli.hosts import select_hosts
from cockpit.cli.last_inventory import state_file
from cockpit.cli.main import command_parsers
from tests.e2e.test_tmux import Tmux
from tests.support import REPO, run_cockpit

SSH_CONFIG = """\
Host web1 web2 *.wild !neg
  HostName 10.0.0.1
Host db-prod
  Port 2222
host lower-case-keyword
Host $(touch PWNED-ssh) `touch PWNED-tick`
"""
REMEMBERED = "root@inv-a\nroot@inv-b:2222\n$(touch PWNED-state)\n"


@pytest.fixture(scope="module")
def scripts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("completion")
    paths = {}
    for shell in completion.SHELLS:
        paths[shell] = out / f"cockpit.{shell}"
        paths[shell].write_text(completion.script(shell))
    return paths


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """HOME with an ssh config, XDG dirs with a remembered inventory and a user theme, and
    a working directory with one directory and one file in it."""
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh/config").write_text(SSH_CONFIG)
    state = tmp_path / "state" / "cockpit"
    state.mkdir(parents=True)
    (state / "last-inventory-hosts").write_text(REMEMBERED)
    themes = tmp_path / "config" / "cockpit" / "themes"
    themes.mkdir(parents=True)
    (themes / "mine.toml").write_text('name = "mine"\nprimary = "#000000"\n')
    work = tmp_path / "work"
    (work / "disk1").mkdir(parents=True)
    (work / "notes.txt").write_text("x")
    return home


def shell_env(home: Path) -> dict[str, str]:
    base = home.parent
    return {
        "PATH": os.environ["PATH"],
        "HOME": str(home),
        "XDG_STATE_HOME": str(base / "state"),
        "XDG_CONFIG_HOME": str(base / "config"),
        "LANG": "C.UTF-8",
    }


def no_command_ran(home: Path) -> None:
    for where in (home, home.parent / "work", REPO):
        assert not list(where.glob("PWNED*")), "host text was run as a command"


def bash_words(line: str) -> list[str]:
    """COMP_WORDS as bash builds them: blanks split, and ':' '=' are words of their own."""
    words = [w for part in line.split() for w in re.split(r"([:=])", part) if w]
    return [*words, ""] if line.endswith(" ") else words


def bash_complete(script: Path, home: Path, line: str) -> list[str]:
    words = bash_words(line)
    program = (
        'source "$1" && complete -p cockpit >/dev/null || exit 9\n'
        'COMP_LINE=$2; COMP_POINT=${#COMP_LINE}; shift 2; COMP_WORDS=("$@")\n'
        "COMP_CWORD=$((${#COMP_WORDS[@]} - 1))\n"
        '_cockpit cockpit "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"\n'
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    proc = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", program, "bash", str(script), line, *words],
        capture_output=True, text=True, env=shell_env(home), cwd=home.parent / "work", timeout=30,
    )  # fmt: skip
    assert proc.returncode == 0 and proc.stderr == "", proc
    no_command_ran(home)
    return [w for w in proc.stdout.split("\n") if w]


def test_bash_registers_the_function(scripts: dict[str, Path]) -> None:
    proc = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", f"source {scripts['bash']}; complete -p cockpit"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert proc.stdout.strip() == "complete -F _cockpit cockpit"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("cockpit ch", ["check"]),
        ("cockpit co", ["completion"]),
        ("cockpit check --fo", ["--format"]),
        ("cockpit check --format ", ["text", "nagios", "json", "openmetrics"]),
        ("cockpit check --format o", ["openmetrics"]),
        ("cockpit report --format ", ["markdown", "json"]),
        ("cockpit completion ", ["bash", "zsh", "fish"]),
        ("cockpit --theme cockpit-", ["cockpit-dark", "cockpit-high-contrast", "cockpit-light"]),
        ("cockpit --theme mi", ["mine"]),  # the user's theme file
        ("cockpit --theme textual-d", ["textual-dark"]),  # Textual's own
        ("cockpit check --root ", ["disk1"]),  # directories only
        ("cockpit check --inventory no", ["notes.txt"]),
        ("cockpit report ", ["disk1", "notes.txt"]),
        ("cockpit replay --speed ", []),
        ("cockpit check --at ", []),
        ("cockpit we", ["web1", "web2"]),
        ("cockpit check db", ["db-prod"]),
        ("cockpit check lower", ["lower-case-keyword"]),
        ("cockpit root@inv-", ["root@inv-a", "root@inv-b:2222"]),
        ("cockpit root@inv-b:", ["2222"]),  # bash puts back only what follows the ':'
        ("cockpit check web1 -", None),  # options: checked against the parser below
    ],
)
def test_bash_completes(
    scripts: dict[str, Path], home: Path, line: str, expected: list[str] | None
) -> None:
    got = bash_complete(scripts["bash"], home, line)
    if expected is None:
        assert set(got) == {
            f for a in command_parsers()["check"]()._actions for f in a.option_strings
        }
    else:
        assert sorted(got) == sorted(expected)


def test_bash_offers_subcommands_and_hosts_first_never_patterns(
    scripts: dict[str, Path], home: Path
) -> None:
    got = bash_complete(scripts["bash"], home, "cockpit ")
    assert {"check", "replay", "report", "completion"} <= set(got)
    assert {"web1", "web2", "db-prod", "root@inv-a", "root@inv-b:2222"} <= set(got)
    assert not {"*.wild", "!neg"} & set(got)
    # Hostile lines are offered as the literal text they are, or not at all; never run.
    assert "$(touch PWNED-state)" in got


@pytest.mark.parametrize("command", ["", "check", "replay", "report", "completion"])
def test_every_option_of_every_parser_is_completed(
    scripts: dict[str, Path], home: Path, command: str
) -> None:
    parser = command_parsers()[command]()
    flags = {f for a in parser._actions for f in a.option_strings}
    line = f"cockpit {command} -" if command else "cockpit -"
    assert set(bash_complete(scripts["bash"], home, line)) == flags


def test_a_new_option_without_a_completion_kind_fails_loudly() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--frobnicate")
    with pytest.raises(completion.UnknownValueKind, match="VALUE_KINDS"):
        completion.command_model("check", parser)


def test_static_words_are_checked_plain() -> None:
    with pytest.raises(ValueError):
        completion_scripts.plain(["ok", "$(boom)"])


def test_bash_real_tab_in_tmux(scripts: dict[str, Path], home: Path, tmp_path: Path) -> None:
    """bash's own COMP_WORDS and COMP_LINE, from a key press: the colon case completes."""
    if shutil.which("tmux") is None:
        pytest.fail("tmux is not installed")
    (tmp_path / "tmux").mkdir()
    tmux = Tmux(tmp_path / "tmux")
    tmux.env.update(shell_env(home))
    try:
        tmux.start("bash --norc --noprofile")
        tmux.keys(f"cd {home.parent / 'work'} && source {scripts['bash']}", "Enter")
        tmux.keys("cockpit root@inv-b:22", literal=True)
        tmux.keys("Tab")
        tmux.wait_for("cockpit root@inv-b:2222")
        tmux.keys("C-u")
        tmux.keys("cockpit check --format openm", literal=True)
        tmux.keys("Tab")
        tmux.wait_for("--format openmetrics")
    finally:
        tmux.tmux("kill-server")
    no_command_ran(home)


# -- zsh and fish ----------------------------------------------------------------------


def zsh_complete(script: Path, home: Path, *words: str) -> list[str]:
    """`_cockpit` with words/CURRENT set; compadd/_files print their candidates."""
    if shutil.which("zsh") is None:
        pytest.fail("zsh is not installed (apt-get install zsh)")
    program = (
        "compdef() { :; }\n"
        'source "$1"; shift\n'
        "compadd() { while [[ $1 == -* && $1 != -- ]]; do shift; done; shift; print -rl -- $@; }\n"
        '_files() { print -r -- "<files $*>"; }\n'
        'words=("$@"); CURRENT=$#; _cockpit\n'
    )
    proc = subprocess.run(
        ["zsh", "-f", "-c", program, "zsh", str(script), *words],
        capture_output=True, text=True, env=shell_env(home), cwd=home.parent / "work", timeout=30,
    )  # fmt: skip
    assert proc.returncode == 0 and proc.stderr == "", proc
    no_command_ran(home)
    return [w for w in proc.stdout.split("\n") if w]


def test_zsh_completes(scripts: dict[str, Path], home: Path) -> None:
    z = scripts["zsh"]
    assert zsh_complete(z, home, "cockpit", "check", "--format", "") == [
        "text", "nagios", "json", "openmetrics",
    ]  # fmt: skip
    assert zsh_complete(z, home, "cockpit", "check", "--root", "") == ["<files -/>"]
    assert zsh_complete(z, home, "cockpit", "report", "") == ["<files >"]
    assert "mine" in zsh_complete(z, home, "cockpit", "--theme", "")
    first = zsh_complete(z, home, "cockpit", "")
    assert {"check", "completion", "web1", "db-prod", "root@inv-b:2222"} <= set(first)
    assert "*.wild" not in first
    flags = {f for a in command_parsers()["check"]()._actions for f in a.option_strings}
    assert set(zsh_complete(z, home, "cockpit", "check", "-")) == flags


def test_zsh_script_loads_as_an_autoload_function(scripts: dict[str, Path], home: Path) -> None:
    """Installed as `_cockpit` on $fpath and found by compinit."""
    fpath = home / "zfunc"
    fpath.mkdir()
    shutil.copy(scripts["zsh"], fpath / "_cockpit")
    program = (
        f"fpath=({fpath} $fpath); autoload -Uz compinit; compinit -u -D\n"
        "print -r -- ${_comps[cockpit]}\n"
    )
    proc = subprocess.run(
        ["zsh", "-f", "-c", program], capture_output=True, text=True, env=shell_env(home)
    )
    assert proc.stdout.strip() == "_cockpit", proc


def fish_complete(script: Path, home: Path, line: str) -> list[str]:
    if shutil.which("fish") is None:
        pytest.fail("fish is not installed (apt-get install fish)")
    proc = subprocess.run(
        ["fish", "--no-config", "-c", f"source {script}; complete -C{line!r}"],
        capture_output=True, text=True, env=shell_env(home), cwd=home.parent / "work", timeout=30,
    )  # fmt: skip
    assert proc.returncode == 0 and proc.stderr == "", proc
    no_command_ran(home)
    return [w.split("\t")[0] for w in proc.stdout.split("\n") if w]


def test_fish_completes(scripts: dict[str, Path], home: Path) -> None:
    f = scripts["fish"]
    assert sorted(fish_complete(f, home, "cockpit check --format ")) == sorted(
        ["text", "nagios", "json", "openmetrics"]
    )
    assert fish_complete(f, home, "cockpit ch") == ["check"]
    assert "mine" in fish_complete(f, home, "cockpit --theme ")
    assert fish_complete(f, home, "cockpit check --root ") == ["disk1/"]
    first = set(fish_complete(f, home, "cockpit "))
    assert {"check", "web1", "db-prod", "root@inv-b:2222"} <= first
    assert "*.wild" not in first
    assert "--format" in fish_complete(f, home, "cockpit check --")


# -- the command, and the remembered inventory -----------------------------------------


def test_cli_prints_the_same_script(scripts: dict[str, Path]) -> None:
    proc = run_cockpit("completion", "bash")
    assert proc.returncode == 0 and proc.stderr == ""
    assert proc.stdout == scripts["bash"].read_text()
    bad = run_cockpit("completion", "tcsh")
    assert bad.returncode == 3 and "invalid choice" in bad.stderr


def test_version() -> None:
    proc = run_cockpit("--version")
    assert proc.returncode == 0 and proc.stdout == f"cockpit {__version__}\n"


def test_inventory_hosts_are_remembered_as_host_arguments(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    inventory = tmp_path / "fleet.toml"
    inventory.write_text(
        '[defaults]\nuser = "root"\n\n'
        '[[host]]\nname = "web"\naddress = "web1.example"\n\n'
        '[[host]]\nname = "db"\naddress = "db-alias"\nport = 2222\n\n'
        '[[host]]\nname = "v6"\naddress = "fe80::1"\nport = 22\n\n'
        f'[[host]]\nname = "disk"\nroot = "{tmp_path}"\n\n'
        '[[host]]\nname = "here"\nlocal = true\n'
    )
    select_hosts(app_parser().parse_args(["--inventory", str(inventory)]))
    assert state_file().read_text() == (
        "root@web1.example\nroot@db-alias:2222\nroot@[fe80::1]:22\n"
    )


def test_remembering_never_breaks_a_selection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    monkeypatch.setenv("XDG_STATE_HOME", str(blocker))
    inventory = tmp_path / "fleet.toml"
    inventory.write_text('[[host]]\nname = "web"\naddress = "web1"\n')
    specs = select_hosts(app_parser().parse_args(["--inventory", str(inventory)]))
    assert [s.name for s in specs] == ["web"]
