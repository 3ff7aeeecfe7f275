"""Host text is data (issue 12, section 2): a host name is never a command, and wherever
it is shown it is shown as text, escaped, on its own line, quoted in a suggested command.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import asyncssh
import pytest

from cockpit.hostnames import hostname_problem, username_problem
from cockpit.hostspec import HostSpec
from cockpit.render import text_out
from cockpit.state import HostState
from cockpit.transports.base import CollectError
from cockpit.transports.ssh_hostkeys import HostKeyError
from cockpit.transports.ssh_pool import SshOptions, SshPool
from cockpit.ui.quit_decision import SessionLost
from tests.bounds.measure import run_measured

INJECTION = "127.0.0.1$(touch$IFS'pwned')"


# -- names as OpenSSH 9.6+ accepts them --------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["web1", "web1.example.com", "10.0.0.5", "2001:db8::7", "fe80::1%eth0", "prod_db", "h~1"],
)
def test_names_openssh_accepts_are_accepted(name: str) -> None:
    assert hostname_problem(name) is None


@pytest.mark.parametrize(
    "name", [INJECTION, "a;b", "a|b", "a`id`", "a&", "a>b", "{a,b}", "a\\b", "a'b", 'a"b', "a\x1b"]
)
def test_names_with_shell_metacharacters_are_refused(name: str) -> None:
    assert hostname_problem(name) is not None


@pytest.mark.parametrize("user", ["root", "admin", "host$", "first.last", "dom\\user"])
def test_users_openssh_accepts_are_accepted(user: str) -> None:
    assert username_problem(user) is None


@pytest.mark.parametrize("user", ["-oProxyCommand=x", "a;b", "a`id`", "a b -x", "a(b)", "u\\"])
def test_users_openssh_refuses_are_refused(user: str) -> None:
    assert username_problem(user) is not None


# -- refused before asyncssh sees the name: its ProxyCommand would run it ------------------


async def test_the_pool_refuses_a_metacharacter_name_before_any_proxycommand_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    config = tmp_path / "ssh_config"
    # A common shape: the user's own ProxyCommand hands %h to a shell.
    config.write_text(f'Host *\n  ProxyCommand /bin/sh -c "echo %h >{tmp_path}/proxied"\n')
    pool = SshPool(SshOptions(config=(str(config),), known_hosts=(), client_keys=()))
    spec = HostSpec(name="evil", kind="ssh", address=INJECTION, user="u")
    try:
        with pytest.raises(CollectError) as caught:
            await asyncio.wait_for(pool.acquire(spec), 20)
    finally:
        await pool.close()
    assert not (tmp_path / "pwned").exists()  # the name's $(...) never ran
    assert not (tmp_path / "proxied").exists()  # asyncssh never got as far as the proxy
    assert caught.value.category == "config"
    assert "shell metacharacters" in caught.value.message


def test_a_metacharacter_host_argument_is_a_usage_error(tmp_path: Path) -> None:
    run = run_measured("check", INJECTION)
    run.assert_bounded()
    assert run.returncode == 3
    assert "shell metacharacters" in run.stdout
    assert not Path("pwned").exists()


@pytest.mark.parametrize(
    ("name", "content", "line"),
    [
        ("inv.toml", f'[[host]]\nname = "x"\naddress = "{INJECTION}"\n', 3),
        ("inv.toml", '[[host]]\naddress = "web1"\nuser = "a;b"\n', 3),
        ("inv.toml", '[defaults]\nuser = "a`id`"\n[[host]]\naddress = "web1"\n', 2),
        ("inv.ini", "[web]\nweb1 ansible_host=a;b\n", 2),
        ("inv.ini", "[web]\nweb1 ansible_user=a|b\n", 2),
        ("inv.ini", "[web]\nweb1\n[web:vars]\nansible_user=a(b)\n", 4),
        ("inv.ini", "[web]\nweb$(id)\n", 2),
        ("inv.yml", "all:\n  hosts:\n    'web$(id)':\n", 3),
    ],
)
def test_an_inventory_name_openssh_would_refuse_is_refused_with_its_line(
    name: str, content: str, line: int, tmp_path: Path
) -> None:
    path = tmp_path / name
    path.write_text(content)
    run = run_measured("check", "--inventory", str(path))
    run.assert_bounded()
    assert run.returncode == 3
    assert f"{path}:{line}: " in run.stdout, run.stdout
    assert "shell metacharacters" in run.stdout


# -- shown as text, never as a line or a command of its own --------------------------------

HOSTILE_NAME = "web\n== fake (live): BOOTABLE|perf=1 \u202egnp.exe\x1b]0;t\x07"


def _unknown(name: str) -> HostState:
    return HostState.failed(name, "live", "unreachable", f"{name}: no route\nCOCKPIT OK - all")


def test_text_output_escapes_newlines_pipes_controls_and_bidi() -> None:
    out = text_out.render([_unknown(HOSTILE_NAME), _unknown("db1")], verbose=True)
    first, *rest = out.split("\n")
    perfdata = "| 'bootable'=0;;;0;2 'unbootable'=0;;0;0;2 'unknown'=2;;;0;2"
    assert first.count("|") == 1 and first.endswith(perfdata)
    assert "web\\x0a== fake (live): BOOTABLE\\x7cperf=1 \\u202egnp.exe\\x1b]0;t\\x07" in first
    assert not any(line.startswith(("== fake", "COCKPIT")) for line in rest)
    assert "\u202e" not in out and "\x1b" not in out and "\x07" not in out
    assert "no route\\x0aCOCKPIT OK - all" in out


def test_multi_line_evidence_stays_under_its_finding() -> None:
    from cockpit.rules.finding import Finding, Severity

    finding = Finding(
        id="x.y", area="host", severity=Severity.WARNING, title="t\nCOCKPIT OK",
        evidence=("line one\n== web2 (live): BOOTABLE\ttab",), remedy="do a\nthen b",
    )  # fmt: skip
    state = HostState("h", "live", True, "unknown", "warning", None, findings=(finding,))
    lines = text_out.host_block(state, verbose=True)
    assert "   [WARN] t\\x0aCOCKPIT OK  (x.y)" in lines
    assert "       | == web2 (live): BOOTABLE\ttab" in lines  # quoted, under its finding
    assert lines[-2:] == ["       fix: do a", "            then b"]


def test_json_output_escapes_them_too(tmp_path: Path) -> None:
    weird = tmp_path / "a\nb|c\u202ed\x1b"
    (weird / "etc").mkdir(parents=True)
    (weird / "etc/os-release").write_text("ID=debian\n")
    run = run_measured("check", "--root", str(weird), "--format", "json")
    run.assert_bounded()
    assert run.stdout.isascii() and "\x1b" not in run.stdout
    doc = json.loads(run.stdout)
    assert doc["hosts"][0]["name"] == "a\nb|c\u202ed\x1b"  # the data itself, unharmed
    text = run_measured("check", "--root", str(weird))
    first = text.stdout.split("\n")[0]
    assert first.count("|") == 1 and "a\\x0ab\\x7cc\\u202ed\\x1b" in first


def test_a_suggested_command_quotes_the_host() -> None:
    key = asyncssh.generate_private_key("ssh-ed25519")
    changed = HostKeyError("hostkey-changed", "odd host", 2222, key, "/k")
    assert "ssh-keygen -R '[odd host]:2222'" in changed.message
    unknown = HostKeyError("hostkey-unknown", "it's", 22, key, "/k")
    assert unknown.message.endswith("ssh 'it'\"'\"'s'")


def test_the_guards_exit_line_escapes_host_names() -> None:
    from datetime import datetime, timezone

    lost = SessionLost("SIGHUP", ("a\nb\u202e",), datetime(2011, 9, 30, tzinfo=timezone.utc), None)
    assert "\n" not in lost.message() and "a\\x0ab\\u202e" in lost.message()


def test_the_report_json_is_ascii_too(tmp_path: Path) -> None:
    from cockpit.recording import JsonlRecorder
    from tests.recording.helpers import T0, small

    name = "web\u202e\x9b[2J"
    path = tmp_path / "r.jsonl"
    rec = JsonlRecorder.create(path, argv=["cockpit"], hosts=[HostSpec(name, "local")], now=T0)
    rec.snapshot(small(name, 0, clock="0"))
    rec.close()
    run = run_measured("report", str(path), "--format", "json")
    assert run.returncode == 0, run.stderr
    assert run.stdout.isascii()
    assert name in json.dumps(json.loads(run.stdout), ensure_ascii=False)


def test_an_inventory_problem_is_one_line_whatever_the_name_holds(tmp_path: Path) -> None:
    path = tmp_path / "inv.yml"
    path.write_text('all:\n  hosts:\n    "web1\\n== fake: BOOTABLE|x\\u202e;":\n')
    run = run_measured("check", "--inventory", str(path))
    assert run.returncode == 3
    lines = run.stdout.splitlines()
    assert lines[0] == f"COCKPIT UNKNOWN - inventory {path}: 2 problems"
    for line in lines[1:]:  # whitespace, and a port: each on its own line, escaped
        assert line.startswith(f"{path}:3: host web1\\x0a== fake: "), line
    assert "\\u202e" in run.stdout and "\u202e" not in run.stdout
