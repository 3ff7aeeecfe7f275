"""services parsers: real outputs from the corpus, and section texts shaped as the probes
emit them (the probe tests check that the shells really emit these shapes)."""

from __future__ import annotations

import pytest

from cockpit.parsers.services import _failed_units, _rc_status_names, parse, parse_inittab
from cockpit.snapshot import Section, Sections
from tests.support import corpus, sections_from

# ---------------------------------------------------------------- runtime, from the corpus


def test_failed_units_from_popos_rows() -> None:
    # SOURCES.tsv: services/systemctl/systemctl-grep-failed-popos.txt
    # (https://github.com/pop-os/pop/issues/1120, rows with the ● marker)
    text = corpus("services/systemctl/systemctl-grep-failed-popos.txt")
    assert _failed_units(text) == (
        "plymouth-read-write.service",
        "plymouth-start.service",
        "vboxweb.service",
    )


def test_not_booted_with_systemd_is_not_no_failed_units() -> None:
    # SOURCES.tsv: init/systemctl/is-system-running-offline-local.txt (this machine,
    # PID 1 /process_api: `offline`, exit 1) and
    # services/systemctl/list-units-failed-not-booted-with-systemd-local.txt (exit 1; its
    # text is stderr, which emit_cmd drops: stdout is empty).
    running = corpus("init/systemctl/is-system-running-offline-local.txt")
    not_booted = corpus("services/systemctl/list-units-failed-not-booted-with-systemd-local.txt")
    assert _failed_units(not_booted) == ()
    s = Sections(
        {
            "services.sd.booted": Section("services.sd.booted", "ok", 0, "yes\n"),
            "services.sd.running": Section("services.sd.running", "error", 1, running),
            "services.sd.failed": Section("services.sd.failed", "error", 1, ""),
        }
    )
    rt = parse(s).runtime
    assert rt.source == "systemd"
    assert rt.state == "not-booted"
    assert rt.failed == ()


def test_degraded_with_plain_failed_list() -> None:
    s = Sections(
        {
            "services.sd.booted": Section("services.sd.booted", "ok", 0, "yes\n"),
            "services.sd.running": Section("services.sd.running", "error", 1, "degraded\n"),
            "services.sd.failed": Section(
                "services.sd.failed",
                "ok",
                0,
                "dnf-makecache.service loaded failed failed dnf makecache\n",
            ),
        }
    )
    rt = parse(s).runtime
    assert (rt.state, rt.system_state, rt.failed) == ("ok", "degraded", ("dnf-makecache.service",))


def test_failed_list_unreadable_keeps_the_state_word() -> None:
    s = sections_from(
        {
            "services.sd.booted": "yes\n",
            "services.sd.running": ("error", "degraded\n"),
            "services.sd.failed": ("timeout", ""),
        }
    )
    rt = parse(s).runtime
    assert rt.system_state == "degraded"
    assert "failed-units list: timeout" in rt.evidence


def test_rc_status_crashed_from_parabola_table() -> None:
    # SOURCES.tsv: services/openrc/rc-status-parabola-crashed-manual.txt
    # (https://github.com/OpenRC/openrc/issues/356): httpd crashed, others started.
    text = corpus("services/openrc/rc-status-parabola-crashed-manual.txt")
    assert _rc_status_names(text) == ("httpd",)
    assert _rc_status_names("sshd\nnginx\n") == ("sshd", "nginx")


def test_openrc_run_state_dirs() -> None:
    s = sections_from(
        {
            "services.sd.booted": "no\n",
            "services.orc.started": "l . sshd\nl . crond\n",
            "services.orc.failed": "l . chronyd\n",
            "services.orc.crashed": "crond\n",
        }
    )
    rt = parse(s).runtime
    assert (rt.source, rt.failed, rt.crashed) == ("openrc", ("chronyd",), ("crond",))


# ---------------------------------------------------------------- inittab


@pytest.mark.parametrize(
    ("text", "hint", "default"),
    [
        (  # Debian 12 sysvinit-core's /etc/inittab (excerpt)
            "id:2:initdefault:\nsi::sysinit:/etc/init.d/rcS\n"
            "l0:0:wait:/etc/init.d/rc 0\nl2:2:wait:/etc/init.d/rc 2\n",
            "sysv-rc",
            "2",
        ),
        (  # Alpine 3.20 /etc/inittab (excerpt)
            "::sysinit:/sbin/openrc sysinit\n::sysinit:/sbin/openrc boot\n"
            "::wait:/sbin/openrc default\n",
            "openrc",
            None,
        ),
        (  # Gentoo baselayout-1 / sysvinit era (excerpt)
            "id:3:initdefault:\nsi::sysinit:/sbin/rc sysinit\nrc::bootwait:/sbin/rc boot\n"
            "l3:3:wait:/sbin/rc default\n",
            "gentoo-rc",
            "3",
        ),
        ("::sysinit:/etc/init.d/rcS\n::askfirst:-/bin/sh\n", "busybox-rcS", None),
    ],
)
def test_inittab_names_the_rc(text: str, hint: str, default: str | None) -> None:
    tab = parse_inittab(sections_from({"services.inittab": text}))
    assert (tab.rc_hint, tab.default_runlevel) == (hint, default)


def test_inittab_absent_and_denied_stay_apart() -> None:
    assert parse_inittab(sections_from({"services.inittab": ("absent", "")})).state == "absent"
    assert parse_inittab(sections_from({"services.inittab": ("denied", "")})).state == "denied"


# ---------------------------------------------------------------- next-boot views


def _sd(wants: str, etc: str = "d . multi-user.target.wants\n", units: str = "", **more: str):
    named: dict[str, str | tuple[str, str]] = {
        "services.paths": "f x /usr/sbin/sshd\nf - /etc/ssh/sshd_config\n",
        "services.sd.etc": etc,
        "services.sd.wants:/etc/systemd/system/multi-user.target.wants": wants,
        "services.sd.units": units or "f /lib/systemd/system/ssh.service\n",
    }
    named.update(more)
    return parse(sections_from(named)).view("systemd")


def test_systemd_wants_link_enables() -> None:
    v = _sd("l . ssh.service -> /lib/systemd/system/ssh.service\n")
    assert v.sshd.state == "enabled"
    assert v.sshd.evidence[0].startswith("/etc/systemd/system/multi-user.target.wants/ssh.service")


def test_systemd_alias_name_in_wants_counts() -> None:
    # systemd loads a wants link by its name: sshd.service must exist, as an alias link
    alias = "d . multi-user.target.wants\nl . sshd.service -> /lib/systemd/system/ssh.service\n"
    v = _sd("l . sshd.service\n", etc=alias)
    assert v.sshd.state == "enabled"
    v = _sd("l . sshd.service\n")
    assert v.sshd.state == "broken"


def test_systemd_mask_wins_over_wants() -> None:
    v = _sd(
        "l . ssh.service -> /lib/systemd/system/ssh.service\n",
        etc="d . multi-user.target.wants\nl . ssh.service -> /dev/null\n",
    )
    assert v.sshd.state == "masked"
    assert "/etc/systemd/system/ssh.service -> /dev/null" in v.sshd.evidence


def test_systemd_socket_activation_counts() -> None:
    v = _sd(
        "",
        etc="d . sockets.target.wants\n",
        units="f /lib/systemd/system/ssh.service\nf /lib/systemd/system/ssh.socket\n",
        **{
            "services.sd.wants:/etc/systemd/system/sockets.target.wants": (
                "l . ssh.socket -> /lib/systemd/system/ssh.socket\n"
            )
        },
    )
    assert (v.sshd.state, v.sshd.what) == ("enabled", "ssh.socket")


def test_systemd_wants_link_to_removed_unit_is_broken() -> None:
    v = _sd("l . ssh.service -> /lib/systemd/system/ssh.service\n", units="\n")
    assert v.sshd.state == "broken"


def test_systemd_rescue_only_wants_do_not_count() -> None:
    v = _sd(
        "",
        **{
            "services.sd.wants:/etc/systemd/system/rescue.target.wants": (
                "l . ssh.service -> /lib/systemd/system/ssh.service\n"
            )
        },
    )
    assert v.sshd.state == "disabled"


def test_systemd_ignores_rc_links_when_a_native_unit_exists() -> None:
    v = _sd("l . cron.service\n", **{"services.rc:/etc/rc2.d": "l x S01ssh\n"})
    assert v.sshd.state == "disabled"
    assert v.sshd.note is not None and "/etc/rc2.d/S01ssh" in v.sshd.note


def test_systemd_sysv_generator_for_scripts_without_units() -> None:
    v = _sd(
        "l . cron.service\n",
        units="f /lib/systemd/system/cron.service\n",
        **{"services.rc:/etc/rc2.d": "l x S01ssh\n"},
    )
    assert v.sshd.state == "enabled"
    assert v.sshd.note == "through systemd-sysv-generator (no native unit)"


def test_systemd_networkd_needs_network_files() -> None:
    wants = "l . systemd-networkd.service -> /lib/systemd/system/systemd-networkd.service\n"
    units = "f /lib/systemd/system/systemd-networkd.service\n"
    bare = _sd(wants, units=units, **{"services.sd.net:/etc/systemd/network": ("absent", "")})
    assert bare.network.state == "unconfigured"
    wired = _sd(
        wants, units=units, **{"services.sd.net:/etc/systemd/network": "f . 20-wired.network\n"}
    )
    assert wired.network.state == "enabled"
    container_only = _sd(
        wants,
        units=units,
        **{"services.sd.net:/usr/lib/systemd/network": "f . 80-container-host0.network\n"},
    )
    assert container_only.network.state == "unconfigured"


def test_ifupdown_lo_only_is_unconfigured() -> None:
    wants = "l . networking.service -> /lib/systemd/system/networking.service\n"
    units = "f /lib/systemd/system/networking.service\n"
    v = _sd(wants, units=units, **{"services.ifaces": "auto lo\niface lo inet loopback\n"})
    assert v.network.state == "unconfigured"
    v = _sd(wants, units=units, **{"services.ifaces": "auto lo\nallow-hotplug ens3\n"})
    assert v.network.state == "enabled"


def test_sysv_rc_links_and_broken_script() -> None:
    named: dict[str, str | tuple[str, str]] = {
        "services.inittab": "id:3:initdefault:\nsi::sysinit:/etc/init.d/rcS\n",
        "services.rc:/etc/rcS.d": "l x S01networking\n",
        "services.rc:/etc/rc2.d": "l x S01ssh\n",
        "services.rc:/etc/rc3.d": "l ! S01ssh\n",
        "services.ifaces": "auto eth0\n",
    }
    v = parse(sections_from(named)).view("sysv-rc")
    assert v.sshd.state == "broken"  # runlevel 3 is the default: rc2.d is not read
    assert v.network.state == "enabled"


def test_openrc_runlevels() -> None:
    named: dict[str, str | tuple[str, str]] = {
        "services.rl": "d . boot\nd . default\n",
        "services.rl:/etc/runlevels/boot": "l x net.lo\nl x hostname\n",
        "services.rl:/etc/runlevels/default": "l x sshd\nl x net.eth0\n",
    }
    v = parse(sections_from(named)).view("openrc")
    assert (v.sshd.state, v.network.state, v.network.what) == ("enabled", "enabled", "net.eth0")
    assert v.boot_runlevel == ("net.lo", "hostname")
    named["services.rl:/etc/runlevels/default"] = "l x sshd\n"
    v = parse(sections_from(named)).view("openrc")
    assert v.network.state == "disabled"  # net.lo is loopback only


def test_runit_default_runsvdir_and_rc_local() -> None:
    named: dict[str, str | tuple[str, str]] = {
        "services.runit.default": "l x sshd\nl ! dhcpcd\n",
        "services.rclocal": "#!/bin/sh\nip addr add 192.0.2.5/24 dev eth0\n",
    }
    v = parse(sections_from(named)).view("runit")
    assert v.sshd.state == "enabled"
    assert (v.network.state, v.network.what) == ("enabled", "/etc/rc.local")


def test_init_script_problems() -> None:
    grep = (
        "proftpd:1:#!/sbin/runscript\nproftpd:7:command=/usr/sbin/proftpd\n"
        "proftpd:11:depend() {\nsshd:1:#!/sbin/runscript\nsshd:4:depend() {\n"
        "sshd:9:start() {\nvsftpd:1:#!/sbin/openrc-run\n"
    )
    base1 = "f x /sbin/runscript\nf x /sbin/runscript.sh\n"
    f = parse(sections_from({"services.initd": grep, "services.paths": base1}))
    got = {p.script: p.reason for p in f.initscript_problems}
    assert set(got) == {"/etc/init.d/proftpd", "/etc/init.d/vsftpd"}
    assert "baselayout-1" in got["/etc/init.d/proftpd"]
    assert "/sbin/openrc-run does not exist" in got["/etc/init.d/vsftpd"]
    openrc = "f x /sbin/runscript\nf x /sbin/openrc-run\nd - /lib/rc/sh/openrc-run.sh\n"
    f = parse(sections_from({"services.initd": grep, "services.paths": openrc}))
    assert f.initscript_problems == ()


# ---------------------------------------------------------------- totality

_HOSTILE = (
    "\x1b[2J\x1b]0;pwned\x07[bold]x[/bold]\n\udcff\udcfe ::: -> -> \n" * 50
    + "l x S01ssh -> ../init.d/ssh\x1b[31m\n"
)


@pytest.mark.parametrize("state", ["ok", "denied", "error", "timeout"])
def test_parse_is_total_on_garbage(state: str) -> None:
    names = [
        "services.paths",
        "services.inittab",
        "services.ifaces",
        "services.ifaces.d:/etc/network/interfaces.d/x",
        "services.sd.etc",
        "services.sd.units",
        "services.sd.wants:/etc/systemd/system/multi-user.target.wants",
        "services.sd.net:/etc/systemd/network",
        "services.rc:/etc/rc2.d",
        "services.rl",
        "services.rl:/etc/runlevels/boot",
        "services.initd",
        "services.runit.default",
        "services.rclocal",
        "services.sd.booted",
        "services.sd.running",
        "services.sd.failed",
        "services.orc.started",
        "services.orc.crashed",
    ]
    f = parse(sections_from({n: (state, _HOSTILE) for n in names}))
    assert f.issues == ()
    for view in f.views:
        for line in (*view.sshd.evidence, *view.network.evidence, *view.listings):
            assert "\x1b" not in line


def test_parse_of_nothing_is_unknown_not_fine() -> None:
    f = parse(Sections({}))
    assert f.sshd_installed is None
    assert all(not v.present for v in f.views)
    assert f.runtime.state == "missing"


# Found by the real-roots tier (tests/real): Debian bookworm with `apt-get install openrc`
# on sysvinit-core keeps sysvinit's /etc/inittab (si::sysinit:/etc/init.d/rcS, l2 ...
# /etc/init.d/rc 2) but openrc replaces sysv-rc's /etc/init.d/rc with this wrapper (copied
# from that root, openrc 0.45.2-2, excerpt): the rc that runs is OpenRC, not sysv-rc.
DEBIAN_OPENRC_INITD_RC = """#!/bin/sh
# Wrapper of OpenRC called from inittab

set -e

# map numbered to named runlevel
case $1 in
\t0 )
\t\t/sbin/openrc off && /sbin/openrc shutdown && \\
\t\t\t/etc/init.d/halt stop
\t\t;;
\t* )
\t\texec /sbin/openrc default
\t\t;;
esac
"""


def test_inittab_sysv_shape_with_debian_openrc_wrapper_is_openrc() -> None:
    tab = parse_inittab(
        sections_from(
            {
                "services.inittab": "id:2:initdefault:\nsi::sysinit:/etc/init.d/rcS\n"
                "l2:2:wait:/etc/init.d/rc 2\n",
                "services.initd-rc": DEBIAN_OPENRC_INITD_RC,
            }
        )
    )
    assert tab.rc_hint == "openrc"
    assert "/etc/init.d/rc: exec /sbin/openrc default" in tab.evidence


def test_inittab_with_sysv_rcs_own_rc_stays_sysv_rc() -> None:
    # sysv-rc's /etc/init.d/rc mentions no openrc call
    tab = parse_inittab(
        sections_from(
            {
                "services.inittab": "id:2:initdefault:\nsi::sysinit:/etc/init.d/rcS\n"
                "l2:2:wait:/etc/init.d/rc 2\n",
                "services.initd-rc": "#! /bin/sh\n# /etc/init.d/rc\n. /lib/lsb/init-functions\n",
            }
        )
    )
    assert tab.rc_hint == "sysv-rc"


# Found by the real-roots tier: Debian's runit-init runs /etc/rcS.d/S* in stage 1 and
# /lib/runit/run_sysv_scripts /etc/rc2.d in stage 2 (/etc/runit/1 and /2 of runit
# 2.1.2-54), so ifupdown's networking in rcS.d starts under runit.
@pytest.mark.parametrize("opted_out", [False, True])
def test_debian_runit_runs_sysv_rcs_scripts(opted_out: bool) -> None:
    paths = "f x /lib/runit/run_sysv_scripts\nf x /etc/init.d/networking\n"
    if opted_out:
        paths += "f - /etc/runit/no.emulate.sysv\n"
    named: dict[str, str | tuple[str, str]] = {
        "services.paths": paths,
        "services.runit.default": "l x ssh\nl x getty-tty1\n",
        "services.rc:/etc/rcS.d": "l x S01hostname.sh\nl x S10networking\n",
        "services.rc:/etc/rc2.d": "l x S01cron\n",
        "services.ifaces": "auto lo\niface lo inet loopback\nallow-hotplug ens3\n"
        "iface ens3 inet dhcp\n",
    }
    v = parse(sections_from(named)).view("runit")
    assert v.sshd.state == "enabled"
    if opted_out:
        assert v.network.state == "disabled"
    else:
        assert (v.network.state, v.network.what) == ("enabled", "networking")


# ---------------------------------------------------------------- cut listings


def test_a_cut_rc_listing_keeps_what_it_lists_and_never_says_disabled() -> None:
    """rc2.d with more entries than the collector lists: a start link it lists is still
    there (enabled); one it does not list may be beyond the cut (unknown, never disabled)."""
    from cockpit.parsers.services import sysv

    listed = "l x S01ssh -> ../init.d/ssh\n" + "".join(f"l x S02s{i:03}\n" for i in range(398))
    cut = listed + "cut 450 400\n"
    with_ssh = sections_from({"services.rc:/etc/rc2.d": ("cut", cut), "services.rc:/etc/rcS.d": ""})
    dirs = sysv.rc_listings(with_ssh)
    assert sysv.judge([dirs["S"], dirs["2"]], ("ssh",), None).state == "enabled"
    no_ssh = cut.replace("S01ssh -> ../init.d/ssh", "S01cron -> ../init.d/cron")
    dirs = sysv.rc_listings(
        sections_from({"services.rc:/etc/rc2.d": ("cut", no_ssh), "services.rc:/etc/rcS.d": ""})
    )
    got = sysv.judge([dirs["S"], dirs["2"]], ("ssh",), None)
    assert got.state == "unknown"
    assert any("450 entries, 400 read" in e for e in got.evidence), got.evidence


def test_keygen_units_cut_make_key_regeneration_unknown_not_no() -> None:
    from cockpit.parsers.services.sshd import _admin_keygen

    cut = "".join(f"u{i}.service:ExecStart=/bin/true\n" for i in range(3)) + "cut 250 200\n"
    got = _admin_keygen(sections_from({"services.sshd.keygen": ("cut", cut)}))
    assert got is not None and got.state == "unknown"
    assert "250 units, 200 read" in got.evidence[0]
    assert _admin_keygen(sections_from({"services.sshd.keygen": "u.service:x\n"})) is None
