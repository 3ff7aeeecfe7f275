"""The contract between probes and parsers, held both ways.

- Every section family a parser reads is one some probe emits (a read of a section nobody
  sends is a fact that is always empty: apk's triggers were).
- Every family a probe emits is read by a parser that declares it, or is listed in
  cockpit.probes.RAW_VIEW_ONLY (sent for people: the raw view, recordings).
- The declarations (`READS` next to each parser module's code, parsers/reads.py) tell the
  truth: what each area really read, on the sample trees, on trees built from the corpus's
  real files and on this machine, through the same tracking view the parse memo uses.

What the probes emit is read from their scripts (a section name is a literal in them, or
a literal prefix completed by a shell variable), and checked against what the collector
really emitted on every run, so the scan cannot drift from the scripts.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from cockpit.collector.script import _without_comments
from cockpit.parsers import AREAS
from cockpit.parsers.memo import TrackedSections
from cockpit.parsers.reads import family
from cockpit.probes import ALL_PROBES, RAW_VIEW_ONLY, TRANSPORT_SECTIONS
from cockpit.snapshot import Snapshot
from tests.support import CORPUS, FAMILY_TREES, SAMPLE_TREES, collect_live, collect_root

_AREA_NAMES = "|".join(a.name for a in AREAS)
#: A section name in a probe script: not part of a longer word, a path or a quoted glob
#: (`emit_ls init.run.openrc /run/openrc 'init.ctl'` names a file, not a section).
_NAME = re.compile(rf"(?<![\w.$/'-])((?:{_AREA_NAMES})\.[A-Za-z0-9_.-]*[A-Za-z0-9_])(\.?\$)?")
#: A helper that names its section after its first argument: `"$1.cmdline:..."`.
_FUNCTION = re.compile(r"^(\w+)\(\)\s*\{\n(.*?)^\}", re.M | re.S)
_ARG_SUFFIX = re.compile(r"\"\$1(\.[A-Za-z0-9_-]+)[:\"]")


@dataclass(frozen=True)
class Emitted:
    """Families the probes' scripts emit: literal names, and literal prefixes that a shell
    variable completes (`reboots.cron.$rb_d` -> reboots.cron.daily, ...)."""

    exact: frozenset[str]
    prefixes: frozenset[str]

    def has(self, fam: str) -> bool:
        return fam in self.exact or fam.startswith(tuple(self.prefixes))


@cache
def emitted() -> Emitted:
    exact: set[str] = set()
    prefixes: set[str] = set()
    for probe in ALL_PROBES:
        body = _without_comments(probe.script)
        names = []
        for match in _NAME.finditer(body):
            name, completed = match.group(1), match.group(2)
            if completed:
                prefixes.add(name + ".")
            else:
                names.append(name)
        exact.update(names)
        for func in _FUNCTION.finditer(body):
            for suffix in _ARG_SUFFIX.findall(func.group(2)):
                calls = re.findall(rf"^\s*{func.group(1)}\s+(\S+)", body, re.M)
                exact.update(call + suffix for call in calls if call in names)
    exact.update(TRANSPORT_SECTIONS)
    return Emitted(frozenset(exact), frozenset(prefixes))


def declared(area: str) -> frozenset[str]:
    """The READS of every module of cockpit.parsers.<area>."""
    package = importlib.import_module(f"cockpit.parsers.{area}")
    modules = [package] + [
        importlib.import_module(m.name)
        for m in pkgutil.walk_packages(getattr(package, "__path__", []), package.__name__ + ".")
    ]
    return frozenset().union(*(getattr(m, "READS", frozenset()) for m in modules))


def all_declared() -> frozenset[str]:
    return frozenset().union(*(declared(a.name) for a in AREAS))


# ---------------------------------------------------------------- the runs

#: Real files from tests/fixtures/corpus (SOURCES.tsv says where each came from), put
#: where their host keeps them: one tree per column, so files of the same path do not
#: collide. Command outputs in the corpus (systemctl, ps, who...) have no place in an
#: offline tree and are left to the live run and the parsers' own tests.
_CORPUS_TREES: dict[str, tuple[tuple[str, str], ...]] = {
    "corpus-ubuntu": (
        ("boot/fstab/fstab-ubuntu2204-ovh.txt", "etc/fstab"),
        ("boot/grub/grub-cfg-ubuntu2204-ovh-cloudimg.txt", "boot/grub/grub.cfg"),
        ("boot/grub/grubenv-ubuntu2204-ovh.txt", "boot/grub/grubenv"),
        ("boot/grub/efi-stub-grub-cfg-ubuntu2204-ovh.txt", "boot/efi/EFI/ubuntu/grub.cfg"),
        ("boot/default-grub/default-grub-ubuntu2204-ovh.txt", "etc/default/grub"),
        ("cron/crontab/etc-crontab-ubuntu2204-ovh.txt", "etc/crontab"),
        ("cron/cron.d/e2scrub_all-debian12-local.txt", "etc/cron.d/e2scrub_all"),
        ("cron/cron.d/sysstat-debian12-local.txt", "etc/cron.d/sysstat"),
        (
            "cron/unattended-upgrades/50unattended-upgrades-ubuntu2204-ovh.txt",
            "etc/apt/apt.conf.d/50unattended-upgrades",
        ),
        (
            "cron/unattended-upgrades/20auto-upgrades-ubuntu2204-ovh.txt",
            "etc/apt/apt.conf.d/20auto-upgrades",
        ),
        (
            "cron/unattended-upgrades/10periodic-ubuntu2204-ovh.txt",
            "etc/apt/apt.conf.d/10periodic",
        ),
        (
            "packages/dpkg/status-stanza-purge-ok-half-configured-xubuntu-feisty.txt",
            "var/lib/dpkg/status",
        ),
        (
            "packages/dpkg/dpkg-log-remove-stuck-half-configured-xubuntu-feisty.txt",
            "var/log/dpkg.log",
        ),
        ("packages/apt/history-log-debian12-local.txt", "var/log/apt/history.log"),
        (
            "reboot/systemd-scheduled/scheduled-reboot-raspberrypi-2021.txt",
            "run/systemd/shutdown/scheduled",
        ),
        ("boot/proc-cmdline/firecracker-microvm-local.txt", "proc/cmdline"),
        ("init/pid1/proc-1-comm-firecracker-process_api-local.txt", "proc/1/comm"),
        ("init/pid1/proc-1-cmdline-firecracker-process_api-local.txt", "proc/1/cmdline"),
    ),
    "corpus-rh": (
        ("boot/fstab/fstab-ubuntu-18.04-jc.txt", "etc/fstab"),
        (
            "boot/bls/rhel9.3-8215ac7e-5.14.0-362.18.1.el9_3.conf.txt",
            "boot/loader/entries/8215ac7e-5.14.0-362.18.1.el9_3.x86_64.conf",
        ),
        (
            "boot/bls/rocky9.4-e06bb992-5.14.0-427.13.1.el9_4.conf.txt",
            "boot/loader/entries/e06bb992-5.14.0-427.13.1.el9_4.x86_64.conf",
        ),
        (
            "boot/bls/fedora37-5.19.9-300-options-truncated-by-editor.txt",
            "boot/loader/entries/f37-5.19.9-300.fc37.x86_64.conf",
        ),
        ("cron/crontab/etc-crontab-centos-7.7-jc.txt", "etc/crontab"),
        ("cron/cron.d/e2scrub_all-debian10-jc.txt", "etc/cron.d/e2scrub_all"),
        (
            "reboot/systemd-scheduled/scheduled-poweroff-ubuntu2004-packt.txt",
            "run/systemd/shutdown/scheduled",
        ),
    ),
    "corpus-mixed": (
        ("boot/fstab/unconfigured-base-system-debian12-local.txt", "etc/fstab"),
        ("boot/extlinux/extlinux-emuelec-rk3326-r36.txt", "boot/extlinux/extlinux.conf"),
        ("cron/crontab/etc-crontab-ubuntu-18.04-jc.txt", "etc/crontab"),
        (
            "cron/unattended-upgrades/50unattended-upgrades-automatic-reboot-true-FX-Wood.txt",
            "etc/apt/apt.conf.d/50unattended-upgrades",
        ),
        (
            "reboot/systemd-scheduled/scheduled-poweroff-wall-message-course.txt",
            "run/systemd/shutdown/scheduled",
        ),
        ("packages/pacman/pacman-log-syu-snap-pac-hooks-arch-2023.txt", "var/log/pacman.log"),
        (
            "packages/portage/emerge-log-aborted-runs-portage-utils.txt",
            "var/log/emerge.log",
        ),
        ("packages/dpkg/status-installed-stanzas-debian12-local.txt", "var/lib/dpkg/status"),
    ),
}
#: Directories whose presence makes a family's probes read the files above.
_CORPUS_DIRS = ("var/lib/pacman/local", "var/db/pkg/sys-apps", "usr/bin")


def _corpus_tree(root: Path, files: tuple[tuple[str, str], ...]) -> Path:
    for rel in _CORPUS_DIRS:
        (root / rel).mkdir(parents=True, exist_ok=True)
    for source, target in files:
        (root / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(CORPUS / source, root / target)
    return root


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> list[Snapshot]:
    out = [collect_root(tree) for tree in (*SAMPLE_TREES, *FAMILY_TREES)]
    for name, files in _CORPUS_TREES.items():
        out.append(collect_root(_corpus_tree(tmp_path_factory.mktemp(name), files)))
    out.append(collect_live())
    return out


def tracked_reads(snapshot: Snapshot) -> Iterator[tuple[str, str, str]]:
    """(area, kind, key) of every read each area's parser made, as the memo records them."""
    for area in AREAS:
        view = TrackedSections(snapshot.sections)
        facts = area.parse(view)
        if area.finish is not None:
            area.finish(facts, view)
        for kind, key in view.reads:
            yield area.name, kind, key


# ---------------------------------------------------------------- the checks


def test_the_scan_finds_every_family_the_collector_emitted(runs: list[Snapshot]) -> None:
    unseen = {
        f"{snap.host}: {name}"
        for snap in runs
        for name in snap.sections
        if not emitted().has(family(name))
    }
    assert unseen == set()


def test_every_family_an_area_reads_is_declared_by_that_area(runs: list[Snapshot]) -> None:
    undeclared: set[str] = set()
    for snap in runs:
        for area, kind, key in tracked_reads(snap):
            assert kind != "all", f"{area} iterated every section ({snap.host})"
            if family(key) not in declared(area):
                undeclared.add(f"{area} reads {family(key)} ({snap.host})")
    assert undeclared == set()


def test_every_declared_family_is_emitted_by_a_probe() -> None:
    never_sent = {f"{a.name}: {f}" for a in AREAS for f in declared(a.name) if not emitted().has(f)}
    assert never_sent == set()


def test_every_emitted_family_is_read_or_raw_view_only() -> None:
    read = all_declared()
    unread = {f for f in emitted().exact if f not in read and f not in RAW_VIEW_ONLY}
    unread |= {p + "*" for p in emitted().prefixes if not any(f.startswith(p) for f in read)}
    assert unread == set()


def test_raw_view_only_lists_only_sections_sent_and_unread() -> None:
    stale = {f for f in RAW_VIEW_ONLY if f not in emitted().exact}
    read = {f for f in RAW_VIEW_ONLY if f in all_declared()}
    assert stale == set() and read == set()


#: Declared reads no run here reaches: each needs a state that neither this machine nor
#: a tree shows. Listed, so that every other declaration is proven read, and a stale one
#: (the code stopped reading it) fails.
_UNREACHED = {
    "reboots.sysv.pid.cmdline": "live, a sysvinit shutdown waiting",
    "reboots.openrc.pid.cmdline": "live, an openrc-shutdown waiting",
    "reboots.dnf.timers": "a dnf-automatic host set to reboot",
    "init.script": "a #! script as the boot init",
    "init.interp": "a #! script as the boot init",
    "services.orc.failed": "a running OpenRC host",
    "services.orc.crashed": "a running OpenRC host",
    "services.runit.service": "Debian's runit (/etc/service, no default runsvdir)",
    "reboots.sdtime": "live, a sysvinit or openrc shutdown waiting",
    "services.pidfiles": "a running sysvinit or OpenRC host",
    "init.targetwants": "a site's own default target (tests/init/test_site_target.py)",
    "init.targetrequires": "a site's own default target (tests/init/test_site_target.py)",
    "reboots.job": "a cron job running a script with a reboot word (tests/reboots/test_jobs.py)",
}


def test_every_declared_family_is_read_on_some_run(runs: list[Snapshot]) -> None:
    """A declaration nothing reads any more is stale; the few only a live state reaches
    are listed with the tests that reach them."""
    seen = {family(key) for snap in runs for _area, _kind, key in tracked_reads(snap)}
    assert all_declared() - seen - set(_UNREACHED) == set()
    assert set(_UNREACHED) <= all_declared() - seen
