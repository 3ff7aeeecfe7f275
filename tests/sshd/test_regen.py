"""Who generates missing host keys at boot, read from real start files (corpus/sshd)."""

from __future__ import annotations

import pytest

from cockpit.parsers.services.sshd import parse
from tests.support import corpus, sections_from


def _regen(files: dict[str, str], **more: str | tuple[str, str]):  # type: ignore[no-untyped-def]
    named: dict[str, str | tuple[str, str]] = {
        f"services.sshd.unit:{path}": corpus(rel) for path, rel in files.items()
    }
    named.update(more)
    return parse(sections_from(named))


def test_debian_never_generates_keys() -> None:
    facts = _regen(
        {
            "/lib/systemd/system/ssh.service": "sshd/debian12/ssh.service",
            "/lib/systemd/system/ssh.socket": "sshd/debian12/ssh.socket",
            "/etc/init.d/ssh": "sshd/debian12/init.d-ssh",
            "/etc/sv/ssh/run": "sshd/debian12/sv-ssh-run",
        }
    )
    assert {r.rc: r.state for r in facts.regen} == {
        "systemd": "no",
        "sysv-rc": "no",
        "openrc": "no",
        "baselayout1": "no",
        "runit": "no",
    }


def test_fedora_sshd_keygen_target() -> None:
    facts = _regen(
        {
            "/usr/lib/systemd/system/sshd.service": "sshd/fedora/sshd.service",
            "/usr/lib/systemd/system/sshd-keygen.target": "sshd/fedora/sshd-keygen.target",
            "/usr/lib/systemd/system/sshd-keygen@.service": "sshd/fedora/sshd-keygen@.service",
        }
    )
    got = facts.regen_for("systemd")
    assert got.state == "yes"
    assert got.how == "sshd.service wants sshd-keygen.target"
    assert any("sshd-keygen %i" in e for e in got.evidence)


def test_fedora_without_the_template_generates_nothing() -> None:
    facts = _regen(
        {
            "/usr/lib/systemd/system/sshd.service": "sshd/fedora/sshd.service",
            "/usr/lib/systemd/system/sshd-keygen.target": "sshd/fedora/sshd-keygen.target",
        }
    )
    assert facts.regen_for("systemd").state == "no"


def test_masked_keygen_target_generates_nothing() -> None:
    facts = _regen(
        {
            "/usr/lib/systemd/system/sshd.service": "sshd/fedora/sshd.service",
            "/usr/lib/systemd/system/sshd-keygen.target": "sshd/fedora/sshd-keygen.target",
            "/usr/lib/systemd/system/sshd-keygen@.service": "sshd/fedora/sshd-keygen@.service",
        },
        **{"services.sd.etc": "l . sshd-keygen.target -> /dev/null\n"},
    )
    assert facts.regen_for("systemd").state == "no"


def test_older_fedora_execstartpre() -> None:
    facts = _regen({"/usr/lib/systemd/system/sshd.service": "sshd/fedora/sshd.service-old"})
    assert facts.regen_for("systemd").state == "yes"


def test_arch_sshdgenkeys() -> None:
    facts = _regen(
        {
            "/usr/lib/systemd/system/sshd.service": "sshd/arch/sshd.service",
            "/usr/lib/systemd/system/sshdgenkeys.service": "sshd/arch/sshdgenkeys.service",
        }
    )
    got = facts.regen_for("systemd")
    assert got.state == "yes" and "ssh-keygen -A" in got.evidence[-1]


@pytest.mark.parametrize(
    ("conf", "state"),
    [(None, "yes"), ('sshd_disable_keygen="yes"\n', "no"), ('sshd_disable_keygen="no"\n', "yes")],
)
def test_alpine_openrc_script(conf: str | None, state: str) -> None:
    more = {"services.sshd.unit:/etc/conf.d/sshd": conf} if conf else {}
    facts = _regen({"/etc/init.d/sshd": "sshd/alpine/sshd.initd"}, **more)  # type: ignore[arg-type]
    assert facts.regen_for("openrc").state == state


def test_nothing_read_is_unknown() -> None:
    facts = parse(sections_from({}))
    assert {r.state for r in facts.regen} == {"unknown"}
