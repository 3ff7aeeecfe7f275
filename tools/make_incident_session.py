"""Build sample_hosts/sessions/weblogs-2011.jsonl: a RECONSTRUCTION of the incident evening.

Nobody recorded 29 Sep 2011 (shared/incident-2011.md). This script replays what a
cockpit watching the Gentoo VM would have recorded that evening, from the sample tree
sample_hosts/weblogs-2011 (the state at 23:00) and earlier states of it built in a
temporary copy, each taken by the real collector in offline mode and written by the real
recorder (JsonlRecorder):

  15:55 CDT  session starts: sysvinit installed, old proftpd; root's crontab reboots the
             VM daily at 03:15 (armed, but the host is bootable)
  16:12      proftpd 1.3.3e merged; its new init script is OpenRC's: FTP cannot start
  20:10      sysvinit unmerged: /sbin/init is gone -> UNBOOTABLE while the reboot is armed
  20:31      emerge world stopped with kernel, udev, openrc, sysvinit pending
  22:58      the admin tries to quit: refused; 22:59 overrides by typing the host name
  03:15      the cron job reboots the VM; from then on the host does not answer

Times follow the sample tree's emerge.log. The host is recorded in offline mode (its
sections come from trees, not from a live sshd); its clock is a synthesized `host.clock`
section matching each snapshot's time, as a live host's `date` would give. Output is
deterministic: fixed times, user, durations and paths, so re-running it gives the same
file (tests/recording/test_incident_session.py checks the committed one).

    python3 tools/make_incident_session.py [OUT]
"""

from __future__ import annotations

import asyncio
import os
import pickle
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tools"))

import stub_elf  # noqa: E402

from cockpit.engine import judge_snapshot  # noqa: E402
from cockpit.hostspec import HostSpec  # noqa: E402
from cockpit.parsers import ParseMemo  # noqa: E402
from cockpit.recording.writer import JsonlRecorder  # noqa: E402
from cockpit.snapshot import Section, Sections, Snapshot  # noqa: E402
from cockpit.transports import OfflineRootTransport, collect  # noqa: E402

HOST = "weblogs-2011"
TREE = REPO / "sample_hosts" / HOST
OUT = REPO / "sample_hosts" / "sessions" / f"{HOST}.jsonl"
SHOWN_ROOT = f"sample_hosts/{HOST}"  # recorded instead of the temporary copy's path
ZONE = ZoneInfo("America/Chicago")
USER = "admin"
REFRESH = timedelta(minutes=2)  # the app refreshes every 10 s: this keeps the file small
DURATION_S = 0.05


def cdt(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ZONE)


START = cdt("2011-09-29T15:55:00")
REFUSED = cdt("2011-09-29T22:58:10")
OVERRIDE = cdt("2011-09-29T22:59:30")
REBOOT = cdt("2011-09-30T03:15:00")
END = cdt("2011-09-30T04:00:00")

OLD_PROFTPD_SCRIPT = """#!/sbin/runscript
# Copyright 1999-2011 Gentoo Foundation
# Distributed under the terms of the GNU General Public License v2

depend() {
\tneed net
\tuse logger dns mysql postgresql
}

start() {
\tebegin "Starting proftpd"
\tstart-stop-daemon --start --quiet --exec /usr/sbin/proftpd
\teend $?
}

stop() {
\tebegin "Stopping proftpd"
\tstart-stop-daemon --stop --quiet --pidfile /var/run/proftpd.pid
\teend $?
}
"""

RECONSTRUCTION_NOTE = (
    "RECONSTRUCTION, not a real recording: the evening of 29 Sep 2011 "
    "(shared/incident-2011.md) rebuilt by tools/make_incident_session.py from sample trees"
)
AFTER_OVERRIDE_NOTE = (
    "RECONSTRUCTION: the admin's cockpit closed here; the refreshes below show what a "
    "cockpit still watching (a wall screen, a second session) would have recorded"
)


def _pkg(tree: Path, cpv: str, counter: int, build_time: int) -> None:
    """A /var/db/pkg entry as portage writes it (the files the collector reads)."""
    category, pf = cpv.split("/")
    d = tree / "var/db/pkg" / category / pf
    d.mkdir(parents=True, exist_ok=True)
    for name, value in (
        ("CATEGORY", category),
        ("PF", pf),
        ("SLOT", "0"),
        ("COUNTER", str(counter)),
        ("BUILD_TIME", str(build_time)),
        ("repository", "gentoo"),
    ):
        (d / name).write_text(value + "\n")


def _emerge_log(tree: Path, until: int) -> None:
    lines = (TREE / "var/log/emerge.log").read_text().splitlines(keepends=True)
    kept = [line for line in lines if int(line.split(":", 1)[0]) <= until]
    (tree / "var/log/emerge.log").write_text("".join(kept))


def _without_resume(tree: Path) -> None:
    with open(TREE / "var/cache/edb/mtimedb", "rb") as f:
        db = pickle.load(f, encoding="latin1")
    db.pop("resume", None)
    (tree / "var/cache/edb/mtimedb").write_bytes(pickle.dumps(db, protocol=2))


def _sysvinit_installed(tree: Path) -> None:
    init = tree / "sbin/init"
    init.write_bytes(stub_elf.build(None, []))  # static: no loader needed in the tree
    init.chmod(0o755)
    _pkg(tree, "sys-apps/sysvinit-2.88", 1003, 1290000000)


def stage_before(tree: Path) -> None:
    """15:55: before the proftpd update; sysvinit installed; no emerge pending."""
    _emerge_log(tree, 1317330170)
    _without_resume(tree)
    _sysvinit_installed(tree)
    shutil.rmtree(tree / "var/db/pkg/net-ftp/proftpd-1.3.3e-r1")
    _pkg(tree, "net-ftp/proftpd-1.3.3d-r1", 1012, 1302000000)
    (tree / "etc/init.d/proftpd").write_text(OLD_PROFTPD_SCRIPT)


def stage_proftpd_updated(tree: Path) -> None:
    """16:12:56: proftpd 1.3.3e merged, its OpenRC init script merged over the old one."""
    _emerge_log(tree, 1317330776)
    _without_resume(tree)
    _sysvinit_installed(tree)


def stage_sysvinit_unmerged(tree: Path) -> None:
    """20:10:09: `emerge --unmerge sys-apps/sysvinit`: /sbin/init is gone."""
    _emerge_log(tree, 1317345009)
    _without_resume(tree)


def stage_final(tree: Path) -> None:
    """20:31:02 on: the sample tree as it is (emerge world stopped, 4 merges pending)."""


STAGES: tuple[tuple[datetime, Callable[[Path], None]], ...] = (
    (START, stage_before),
    (cdt("2011-09-29T16:12:56"), stage_proftpd_updated),
    (cdt("2011-09-29T20:10:09"), stage_sysvinit_unmerged),
    (cdt("2011-09-29T20:31:02"), stage_final),
)


def collect_stage(mutate: Callable[[Path], None], workdir: Path) -> Snapshot:
    """The sample tree changed by `mutate`, in a fresh copy, through the real collector."""
    tree = workdir / HOST
    if tree.exists():
        shutil.rmtree(tree)
    shutil.copytree(TREE, tree, symlinks=True)
    (tree / "expected.json").unlink()
    (tree / "AT").unlink()
    mutate(tree)
    spec = HostSpec(name=HOST, kind="offline", root=str(tree))
    snapshot = asyncio.run(collect(OfflineRootTransport(spec)))
    if snapshot.framing_issues:
        raise SystemExit(f"collector framing issues: {snapshot.framing_issues}")
    sections = {}
    for name, section in snapshot.sections.items():
        if str(tree) in section.text:
            section = replace(section, text=section.text.replace(str(tree), SHOWN_ROOT))
        if name.startswith("boot.kernel.") and section.text.startswith("fp "):
            # A file's fingerprint (size:mtime:inode) is of this build's temporary copy:
            # keep the size, pin the rest, so the committed session is reproducible.
            head, _, rest = section.text.partition("\n")
            size = head[3:].split(":", 1)[0]
            section = replace(section, text=f"fp {size}:0:0\n{rest}")
        sections[name] = section
    return replace(snapshot, sections=Sections(sections), root=SHOWN_ROOT)


def at_time(snapshot: Snapshot, when: datetime) -> Snapshot:
    """The stage's snapshot as taken at `when`: the host's clock says so too."""
    clock = snapshot.sections.get_section("host.clock")
    text = f"{int(when.timestamp())} {when.strftime('%z %Z')}\n"
    sections = dict(snapshot.sections.by_name)
    sections["host.clock"] = Section("host.clock", "ok", 0, text, False, clock.probe)
    return replace(snapshot, sections=Sections(sections), started=when, duration_s=DURATION_S)


def refresh_times() -> Iterator[datetime]:
    when = START
    while when < END:
        yield when
        when += REFRESH


def build(out: Path) -> None:
    """Write the reconstruction to `out` (replacing it), deterministically."""
    saved = {name: os.environ.get(name) for name in ("USER", "SUDO_USER")}
    os.environ["USER"] = USER  # the recorder names the session's user from the env
    os.environ.pop("SUDO_USER", None)
    try:
        _write(out)
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _write(out: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="cockpit-incident-") as tmp:
        snapshots = [(since, collect_stage(mutate, Path(tmp))) for since, mutate in STAGES]
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    partial.unlink(missing_ok=True)
    argv = ["tools/make_incident_session.py", "--reconstruction", "shared/incident-2011.md"]
    spec = HostSpec(name=HOST, kind="offline", root=SHOWN_ROOT)
    log = JsonlRecorder.create(partial, argv=argv, hosts=[spec], now=START)
    log.note(RECONSTRUCTION_NOTE, START)
    pending = [(REFUSED, "refused"), (OVERRIDE, "override")]
    last_state = None
    memo = ParseMemo()
    for when in refresh_times():
        while pending and pending[0][0] <= when:
            at, what = pending.pop(0)
            assert last_state is not None
            if what == "refused":
                log.quit_refused(at, "q", [last_state])
            else:
                log.quit_override(at, "q", HOST, [last_state])
                log.note(AFTER_OVERRIDE_NOTE, at + timedelta(seconds=1))
        if when >= REBOOT:
            if when == REBOOT:
                message = f"{HOST}: the connection was closed by the host during the refresh"
                log.error(HOST, "disconnected", message, when + timedelta(seconds=1))
            else:
                message = f"{HOST}: no SSH session within 10s (connect timeout)"
                log.error(HOST, "timeout", message, when + timedelta(seconds=10))
            continue
        stage = [snap for since, snap in snapshots if since <= when][-1]
        snapshot = at_time(stage, when)
        log.snapshot(snapshot)
        last_state = judge_snapshot(snapshot, memo=memo)
    log.close()
    if log.failed:
        raise SystemExit(f"recording failed: {log.failed}")
    partial.chmod(0o644)
    os.replace(partial, out)


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else OUT
    build(out)
    print(f"wrote {out} ({out.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
