"""Will sshd start: findings and the remote-access stage from the same judgement."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from cockpit.parsers.services import parse
from cockpit.rules.chain.build import judge_stage
from cockpit.rules.chain.init_stages import prove_remote_access
from cockpit.rules.chain.model import Gap, Proof, Stage, StageState
from cockpit.rules.finding import Severity
from cockpit.rules.services import judge
from cockpit.snapshot import Section, Sections
from tests.services._run import facts
from tests.support import corpus, sections_from

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=timezone.utc)
WANTS = "services.sd.wants:/etc/systemd/system/multi-user.target.wants"


def _host(*, socket: bool = False, test: Section | None = None, **over: str | tuple[str, str]):  # type: ignore[no-untyped-def]
    """A Debian 12 systemd host as the probes see it: ssh enabled (or only ssh.socket),
    networking with a DHCP interface, stock sshd_config, three host keys."""
    named: dict[str, str | tuple[str, str]] = {
        "host.files": "",
        "services.paths": "f x /usr/sbin/sshd\nf - /etc/ssh/sshd_config\n",
        "services.sd.booted": "no\n",
        "services.sd.etc": "d . multi-user.target.wants\nd . sockets.target.wants\n",
        WANTS: "l . networking.service\n" + ("" if socket else "l . ssh.service\n"),
        "services.sd.wants:/etc/systemd/system/sockets.target.wants": (
            "l . ssh.socket\n" if socket else ""
        ),
        "services.sd.units": "f /lib/systemd/system/ssh.service\nf /lib/systemd/system/ssh.socket\n"
        "f /lib/systemd/system/networking.service\n",
        "services.ifaces": "auto lo\niface lo inet loopback\nallow-hotplug ens3\n"
        "iface ens3 inet dhcp\n",
        "services.sshd.cfg:/etc/ssh/sshd_config": corpus("sshd/debian12/sshd_config"),
        "services.sshd.glob:/etc/ssh/sshd_config.d/*.conf": "",
        "services.sshd.keys": "ok /etc/ssh/ssh_host_rsa_key\nok /etc/ssh/ssh_host_ecdsa_key\n"
        "ok /etc/ssh/ssh_host_ed25519_key\nabsent /etc/ssh/ssh_host_dsa_key\n",
        "services.sshd.unit:/lib/systemd/system/ssh.service": corpus("sshd/debian12/ssh.service"),
        "services.sshd.unit:/lib/systemd/system/ssh.socket": corpus("sshd/debian12/ssh.socket"),
        "services.sshd.version": "/usr/sbin/sshd OpenSSH_9.2p1\n",
        "services.sshd.test": ("offline", ""),
    }
    named.update(over)
    sections = sections_from(named)
    if test is not None:
        sections = Sections({**sections.by_name, test.name: test})
    return facts(parse(sections), boot="systemd", running="systemd")


def _ids(f) -> dict[str, Severity]:  # type: ignore[no-untyped-def]
    return {x.id: x.severity for x in judge(f, NOW)}


def _stage(f):  # type: ignore[no-untyped-def]
    return judge_stage(Stage.REMOTE_ACCESS, f, judge(f, NOW))


def test_healthy_host_is_proven() -> None:
    f = _host()
    assert _ids(f) == {}
    proof = prove_remote_access(f)
    assert isinstance(proof, Proof), proof
    assert any("host keys (defaults)" in e for e in proof.evidence)
    assert _stage(f).state is StageState.PROVEN


def test_socket_activated_sshd_stays_reachable() -> None:
    """ssh.socket enabled and ssh.service not: sshd starts on the first connection."""
    f = _host(socket=True)
    assert f.services.view("systemd").sshd.what == "ssh.socket"
    assert _ids(f) == {}
    assert _stage(f).state is StageState.PROVEN


def test_bad_keyword_breaks_remote_access_not_the_verdict() -> None:
    f = _host(
        **{
            "services.sshd.glob:/etc/ssh/sshd_config.d/*.conf": "f /etc/ssh/sshd_config.d/a.conf\n",
            "services.sshd.cfg:/etc/ssh/sshd_config.d/a.conf": "PermitRootLogin yes\nPrt 2222\n",
        }
    )
    found = [x for x in judge(f, NOW) if x.id == "services.sshd-config-invalid"]
    assert len(found) == 1
    finding = found[0]
    assert finding.severity is Severity.CRITICAL and finding.stage is Stage.REMOTE_ACCESS
    assert finding.evidence == (
        "/etc/ssh/sshd_config.d/a.conf line 2: Prt 2222  -> Bad configuration option: Prt",
    )
    stage = _stage(f)
    assert stage.state is StageState.BROKEN
    assert not Stage.REMOTE_ACCESS.decides_verdict


def test_keys_deleted_on_debian_is_critical() -> None:
    keys = "absent /etc/ssh/ssh_host_rsa_key\nabsent /etc/ssh/ssh_host_ecdsa_key\n"
    f = _host(**{"services.sshd.keys": keys + "empty /etc/ssh/ssh_host_ed25519_key\n"})
    assert _ids(f) == {"services.sshd-host-keys-missing": Severity.CRITICAL}
    assert _stage(f).state is StageState.BROKEN


def test_keys_deleted_where_the_boot_regenerates_them() -> None:
    keys = (
        "absent /etc/ssh/ssh_host_rsa_key\nabsent /etc/ssh/ssh_host_ecdsa_key\n"
        "absent /etc/ssh/ssh_host_ed25519_key\n"
    )
    arch = {
        "services.sshd.keys": keys,
        "services.sshd.unit:/lib/systemd/system/ssh.service": corpus("sshd/arch/sshd.service"),
        "services.sshd.unit:/usr/lib/systemd/system/sshdgenkeys.service": corpus(
            "sshd/arch/sshdgenkeys.service"
        ),
    }
    f = _host(**arch)
    assert _ids(f) == {}
    proof = prove_remote_access(f)
    assert isinstance(proof, Proof)
    assert any("generated at boot" in e for e in proof.evidence)


def test_unreadable_config_is_unknown_never_proven() -> None:
    f = _host(**{"services.sshd.cfg:/etc/ssh/sshd_config": ("denied", "")})
    assert _ids(f) == {"services.sshd-start-unknown": Severity.UNKNOWN}
    assert isinstance(prove_remote_access(f), Gap)
    assert _stage(f).state is StageState.UNKNOWN


def test_unknown_release_and_a_newer_keyword_is_unknown() -> None:
    f = _host(
        **{
            "services.sshd.version": ("absent", ""),
            "services.sshd.glob:/etc/ssh/sshd_config.d/*.conf": "f /etc/ssh/sshd_config.d/a.conf\n",
            "services.sshd.cfg:/etc/ssh/sshd_config.d/a.conf": "PerSourcePenalties no\n",
        }
    )
    assert _ids(f) == {"services.sshd-start-unknown": Severity.UNKNOWN}


@pytest.mark.parametrize(
    ("test", "want"),
    [
        ((0, ""), {}),
        ((255, "/etc/ssh/sshd_config line 9: Bad configuration option: Foo\n"), "critical"),
        ((255, "Missing privilege separation directory: /run/sshd\n"), {}),
    ],
)
def test_live_sshd_t_as_root(test: tuple[int, str], want: object) -> None:
    """sshd -t (live, as root) decides what the files leave open, and its failure is
    critical, except the privsep directory the unit creates at start."""
    rc, out = test
    section = Section("services.sshd.test", "ok" if rc == 0 else "error", rc, out)
    f = _host(
        test=section,
        **{
            "services.sshd.version": ("absent", ""),  # unknown release: the files cannot tell
            "services.sshd.glob:/etc/ssh/sshd_config.d/*.conf": "f /etc/ssh/sshd_config.d/a.conf\n",
            "services.sshd.cfg:/etc/ssh/sshd_config.d/a.conf": "PerSourcePenalties no\n",
        },
    )
    ids = _ids(f)
    if want == "critical":
        assert ids == {"services.sshd-config-invalid": Severity.CRITICAL}
        assert "sshd -t (live, as root, exit 255)" in judge(f, NOW)[0].evidence[0]
    elif rc == 0:
        assert ids == {}
        assert _stage(f).state is StageState.PROVEN
    else:
        assert ids == {"services.sshd-start-unknown": Severity.UNKNOWN}


def test_stop_file_and_missing_binary() -> None:
    f = _host(
        **{
            "services.sshd.keys": "ok /etc/ssh/ssh_host_rsa_key\n"
            "stop present /etc/ssh/sshd_not_to_be_run\n",
            "services.paths": "f - /etc/ssh/sshd_config\n",
        }
    )
    assert _ids(f) == {
        "services.sshd-not-to-be-run": Severity.CRITICAL,
        "services.sshd-binary-missing": Severity.CRITICAL,
    }


def test_deprecated_options_are_info_only() -> None:
    f = _host(
        **{
            "services.sshd.glob:/etc/ssh/sshd_config.d/*.conf": "f /etc/ssh/sshd_config.d/a.conf\n",
            "services.sshd.cfg:/etc/ssh/sshd_config.d/a.conf": "UseLogin no\nProtocol 2\n",
        }
    )
    assert _ids(f) == {"services.sshd-config-deprecated": Severity.INFO}
    assert _stage(f).state is StageState.PROVEN


@pytest.mark.parametrize(
    ("running", "want"),
    [
        ("pid 612 sshd\n", {}),  # it loaded these very files: proven, whatever the table says
        ("pid 612 sshd\nnewer /etc/ssh/sshd_config.d/a.conf\n", "unknown"),
        ("pid 612 gone\n", "unknown"),
    ],
)
def test_running_sshd_unchanged_since_start(running: str, want: object) -> None:
    f = _host(
        **{
            "services.sshd.version": ("absent", ""),
            "services.sshd.glob:/etc/ssh/sshd_config.d/*.conf": "f /etc/ssh/sshd_config.d/a.conf\n",
            "services.sshd.cfg:/etc/ssh/sshd_config.d/a.conf": "PerSourcePenalties no\n",
            "services.sshd.running": running,
        }
    )
    if want == {}:
        assert _ids(f) == {}
        proof = prove_remote_access(f)
        assert isinstance(proof, Proof)
        assert any("pid 612" in e and "loaded this very configuration" in e for e in proof.evidence)
    else:
        assert _ids(f) == {"services.sshd-start-unknown": Severity.UNKNOWN}


def test_unreadable_config_proven_by_the_running_sshd() -> None:
    """Fedora keeps sshd_config 0600: without root only its mtime (and sshd_config.d's)
    can be compared with the running sshd's start."""
    f = _host(
        **{
            "services.sshd.cfg:/etc/ssh/sshd_config": ("denied", ""),
            "services.sshd.running": "pid 700 sshd\n",
        }
    )
    assert _ids(f) == {}
    proof = prove_remote_access(f)
    assert isinstance(proof, Proof)
    assert any("not readable here" in e for e in proof.evidence)
