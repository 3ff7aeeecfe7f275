"""sshd_config read as sshd reads it: each case against OpenSSH 9.2p1's verdict.

`CASES` records what `sshd -t` (Debian 12's 9.2p1) said of each snippet; `test_oracle`
asks the local sshd again when there is one, so the expectations are sshd's own.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from cockpit.parsers.services.sshd_config import (
    argv_split,
    known_here,
    parse_version,
    split_keyword,
    walk,
)
from cockpit.parsers.services.sshd_keywords import KEYWORDS, lookup
from tests.sshd.cases import CASES
from tests.support import corpus, sections_from

MAIN = "services.sshd.cfg:/etc/ssh/sshd_config"


def _walk(text: str, version: tuple[int, int] | None = (9, 2), family: str = "deb", **more):  # type: ignore[no-untyped-def]
    named = {MAIN: text, **more}
    w, state = walk(sections_from(named), version, family)
    return w, state


def _levels(w) -> set[str]:  # type: ignore[no-untyped-def]
    return {i.level for i in w.issues}


@pytest.mark.parametrize(("name", "lines", "fatal"), CASES, ids=[c[0] for c in CASES])
def test_static_check_agrees_with_sshd(name: str, lines: list[str], fatal: bool) -> None:
    more = {"services.sshd.glob:/nonexistent-cockpit/*.conf": ("absent", "")}
    w, _ = _walk("HostKey /etc/ssh/k\n" + "\n".join(lines) + "\n", **more)
    assert ("fatal" in _levels(w)) is fatal, w.issues


SSHD = shutil.which("sshd") or next(
    (p for p in ("/usr/sbin/sshd", "/sbin/sshd") if Path(p).exists()), None
)


@pytest.mark.skipif(SSHD is None, reason="no sshd on this machine to ask")
@pytest.mark.skipif(os.geteuid() != 0, reason="sshd -t loads host keys as root")
def test_oracle_local_sshd_still_says_so(tmp_path: Path) -> None:
    """The expectations are what this machine's sshd -t says (its release must be 9.2:
    newer ones know more keywords). Runs sshd in test mode only: it parses and exits."""
    version = subprocess.run([SSHD, "-V"], capture_output=True, text=True).stderr  # type: ignore[list-item]
    if parse_version(version) != (9, 2):
        pytest.skip(f"the cases record OpenSSH 9.2's answers; this sshd is {version.strip()}")
    key = tmp_path / "key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    wrong = []
    for name, lines, fatal in CASES:
        conf = tmp_path / f"{name}.conf"
        conf.write_text(f"HostKey {key}\n" + "\n".join(lines) + "\n")
        done = subprocess.run([SSHD, "-t", "-f", str(conf)], capture_output=True, text=True)  # type: ignore[list-item]
        if (done.returncode != 0) != fatal:
            wrong.append((name, done.returncode, done.stderr[-200:]))
    assert not wrong


def test_real_debian_config_is_clean() -> None:
    w, state = _walk(
        corpus("sshd/debian12/sshd_config"),
        **{
            "services.sshd.glob:/etc/ssh/sshd_config.d/*.conf": "",
        },
    )
    assert state == "ok"
    assert w.issues == [] and w.directives == 7
    assert w.files == ["/etc/ssh/sshd_config"]
    assert w.host_keys == []  # the HostKey lines are commented out: sshd's defaults apply


def test_includes_in_sshd_order_nested_and_relative() -> None:
    text = "Include sshd_config.d/*.conf\nPasswordAuthentication yes\n"
    w, _ = _walk(
        text,
        **{
            "services.sshd.glob:/etc/ssh/sshd_config.d/*.conf": (
                "f /etc/ssh/sshd_config.d/50-b.conf\nf /etc/ssh/sshd_config.d/10-a.conf\n"
                "d /etc/ssh/sshd_config.d/20-dir.conf\n"
            ),
            "services.sshd.cfg:/etc/ssh/sshd_config.d/10-a.conf": "Include /etc/ssh/more\n",
            "services.sshd.glob:/etc/ssh/more": "f /etc/ssh/more\n",
            "services.sshd.cfg:/etc/ssh/more": "HostKey /srv/key\n",
            "services.sshd.cfg:/etc/ssh/sshd_config.d/50-b.conf": "Prt 1\n",
        },
    )
    assert w.files == [
        "/etc/ssh/sshd_config",
        "/etc/ssh/sshd_config.d/10-a.conf",
        "/etc/ssh/more",
        "/etc/ssh/sshd_config.d/50-b.conf",
    ]
    assert w.host_keys == ["/srv/key"]
    assert [i.where for i in w.issues] == ["/etc/ssh/sshd_config.d/50-b.conf line 1: Prt 1"]


def test_include_dangling_link_is_fatal_unread_is_unknown() -> None:
    glob = "services.sshd.glob:/etc/ssh/sshd_config.d/*.conf"
    w, _ = _walk(
        "Include /etc/ssh/sshd_config.d/*.conf\n", **{glob: "l /etc/ssh/sshd_config.d/x.conf\n"}
    )
    assert _levels(w) == {"fatal"}
    w, _ = _walk(
        "Include /etc/ssh/sshd_config.d/*.conf\n",
        **{
            glob: "f /etc/ssh/sshd_config.d/x.conf\n",
            "services.sshd.cfg:/etc/ssh/sshd_config.d/x.conf": ("denied", ""),
        },
    )
    assert _levels(w) == {"unknown"}
    w, _ = _walk("Include /etc/ssh/sshd_config.d/*.conf\n", **{glob: ("error", "")})
    assert _levels(w) == {"unknown"}
    w, _ = _walk("Include /etc/ssh/sshd_config.d/*.conf\n", **{glob: ("absent", "")})
    assert w.issues == []


def test_match_state_comes_back_after_an_include() -> None:
    """An included file's Match does not leak into its includer (servconf.c restores
    *activep), and a file included from inside a Match block starts inside it."""
    glob = "services.sshd.glob:/etc/ssh/d.conf"
    inc = {glob: "f /etc/ssh/d.conf\n", "services.sshd.cfg:/etc/ssh/d.conf": "Match User x\n"}
    w, _ = _walk("Include /etc/ssh/d.conf\nPort 22\n", **inc)
    assert w.issues == []
    inc["services.sshd.cfg:/etc/ssh/d.conf"] = "Port 22\n"
    w, _ = _walk("Match User bob\nInclude /etc/ssh/d.conf\n", **inc)
    assert [i.text for i in w.issues] == ["Directive 'Port' is not allowed within a Match block"]


def test_include_recursion_stops_at_sixteen() -> None:
    glob = "services.sshd.glob:/etc/ssh/self"
    w, _ = _walk(
        "Include /etc/ssh/self\n",
        **{glob: "f /etc/ssh/self\n", "services.sshd.cfg:/etc/ssh/self": "Include /etc/ssh/self\n"},
    )
    assert "Too many recursive configuration includes" in {i.text for i in w.issues}


@pytest.mark.parametrize(
    ("line", "version", "family", "want"),
    [
        ("PerSourcePenalties authfail:5", (9, 8), "deb", set()),
        ("PerSourcePenalties authfail:5", (9, 2), "deb", {"fatal"}),
        ("PerSourcePenalties authfail:5", None, "deb", {"unknown"}),
        ("Include /nowhere", (7, 4), "rh", {"fatal"}),  # CentOS 7's sshd predates Include
        ("Include /nowhere", None, "deb", set()),  # older than the assumed floor
        ("DebianBanner no", (9, 2), "rh", {"unknown"}),  # a Debian patch, not upstream
        ("GSSAPIKeyExchange yes", (8, 7), "rh", set()),
        ("PAMServiceName sshd", (9, 9), "deb", {"unknown"}),  # added 9.8..10.0
        ("PAMAuthenticationViaKbdInt no", (9, 2), "deb", {"warning"}),
    ],
)
def test_keywords_by_release_and_distribution(
    line: str, version: tuple[int, int] | None, family: str, want: set[str]
) -> None:
    more = {"services.sshd.glob:/nowhere": ("absent", "")}
    w, _ = _walk(line + "\n", version, family, **more)
    assert _levels(w) == want, w.issues


def test_keyword_table_shape() -> None:
    """Every keyword names a value syntax the checker knows (or a structural one)."""
    from cockpit.parsers.services.sshd_values import CHECKS

    structural = {"include", "match", "subsystem"}
    assert all(k.kind in CHECKS or k.kind in structural for k in KEYWORDS.values())
    assert lookup("passwordauthentication") is lookup("PasswordAuthentication")
    assert known_here(KEYWORDS["port"], (9, 2), "deb") == ("ok", None)


def test_line_syntax_helpers() -> None:
    assert split_keyword("Port=22") == ("Port", "22")
    assert split_keyword("  Port   =  22  ") == ("Port", "22")
    assert split_keyword('"Port" 22') == ("Port", "22")
    assert split_keyword("# Port 22") == (None, "")
    assert argv_split('a "b c" d\\ e # f') == ["a", "b c", "d e"]
    assert argv_split("'x") is None
    assert argv_split("a#b") == ["a#b"]  # `#` ends the line only at an argument's start


@pytest.mark.parametrize(
    "text",
    ["\x00\x01\x02", "Match\n" * 3, '"""', "=\n=\n", "Include\n", "HostKey\n", "\\\n" * 5],
)
def test_total_on_garbage(text: str) -> None:
    w, state = _walk(text)
    assert state == "ok"
    assert all(i.level in ("fatal", "unknown", "warning") for i in w.issues)


def test_truncated_main_config_is_unknown() -> None:
    from cockpit.snapshot import Section, Sections

    sec = Section(MAIN, "ok", 0, "Port 22\n", truncated=True)
    w, state = walk(Sections({MAIN: sec}), (9, 2), "deb")
    assert state == "truncated"
    assert _levels(w) == {"unknown"}
