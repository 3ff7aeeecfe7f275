"""Issue 6's done-when: a recorded LIVE session replays with identical findings.

Hosts: this machine (LocalTransport), the real sshd fixture (SshTransport) and a port
nothing listens on (a real refused connection, recorded as an error). Each refresh goes
as the app's refresh loop does it: a Cadence per host (slow probes skipped and carried),
a ParseMemo per host, the merged snapshot recorded, then judged. Replay reads the file,
re-frames every snapshot through the collector's own splitting (replayed_snapshot) and
judges it with a fresh ParseMemo per host; every step must agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from cockpit.collector.cadence import Cadence
from cockpit.engine import judge_snapshot
from cockpit.hostspec import HostSpec
from cockpit.parsers import ParseMemo
from cockpit.recording import ErrorEvent, JsonlRecorder, SnapshotEvent, open_recording
from cockpit.recording.replayed import replayed_snapshot
from cockpit.state import HostState
from cockpit.transports import CollectError, LocalTransport, Transport, collect
from cockpit.transports.ssh import SshTransport
from tests.ssh.conftest import Sshd, free_port

REFRESHES = 7  # > ELF_EVERY - 1: carried sections and a re-run of the ELF checks


@dataclass(frozen=True)
class Judged:
    """What a screen shows for one refresh, compared field by field."""

    host: str
    verdict: str
    status: str
    findings: tuple
    next_reboot: object
    init: tuple[str, str]
    host_time: datetime | None

    @classmethod
    def of(cls, state: HostState) -> Judged:
        return cls(
            state.name,
            state.verdict,
            state.status,
            state.findings,
            state.next_reboot,
            (state.init_running, state.init_boot),
            state.host_time,
        )


async def _record_live_session(path: Path, sshd: Sshd) -> list[object]:
    """Refresh every host REFRESHES times; return what was judged live, in order."""
    here = HostSpec(name="here", kind="local")
    remote = sshd.spec("over-ssh")
    refused = HostSpec(name="refused", kind="ssh", address="127.0.0.1", port=free_port())
    pool = sshd.pool()
    transports: list[Transport] = [
        LocalTransport(here),
        SshTransport(remote, pool),
        SshTransport(refused, pool),
    ]
    cadences = {t.spec.name: Cadence() for t in transports}
    memos = {t.spec.name: ParseMemo() for t in transports}
    log = JsonlRecorder.create(
        path,
        argv=["cockpit", "test"],
        hosts=[here, remote, refused],
        now=datetime.now(timezone.utc),
    )
    live: list[object] = []
    try:
        for _ in range(REFRESHES):
            for transport in transports:
                name = transport.spec.name
                try:
                    snapshot = await collect(transport, timeout=30, cadence=cadences[name])
                except CollectError as exc:
                    log.error(name, exc.category, exc.message, datetime.now(timezone.utc))
                    live.append(("error", name, exc.category, exc.message))
                    continue
                log.snapshot(snapshot)
                live.append(Judged.of(judge_snapshot(snapshot, None, memos[name])))
    finally:
        log.close()
        await pool.close()
    assert log.failed is None
    return live


async def test_a_recorded_live_session_replays_with_identical_findings(
    tmp_path: Path, sshd: Sshd
) -> None:
    path = tmp_path / "session.jsonl"
    live = await _record_live_session(path, sshd)

    recording = open_recording(path)
    memos: dict[str, ParseMemo] = {}
    replayed: list[object] = []
    keyframes = deltas = carried = 0
    for event in recording.events():
        if isinstance(event, ErrorEvent):
            replayed.append(("error", event.host, event.category, event.message))
        elif isinstance(event, SnapshotEvent):
            snapshot = replayed_snapshot(event)
            memo = memos.setdefault(event.host, ParseMemo())
            replayed.append(Judged.of(judge_snapshot(snapshot, None, memo)))
            keyframes += event.keyframe
            deltas += not event.keyframe
            carried += bool(snapshot.carried)

    assert recording.issues == ()
    assert len(replayed) == len(live) == 3 * REFRESHES
    for step, (was, again) in enumerate(zip(live, replayed, strict=True)):
        assert again == was, f"step {step} differs"
    # The session really exercised what replay must get right.
    assert keyframes == 2 and deltas == 2 * (REFRESHES - 1)
    assert carried > 0
    assert sum(isinstance(j, tuple) for j in live) == REFRESHES  # the refused host
    hosts = {j.host for j in live if isinstance(j, Judged)}
    assert hosts == {"here", "over-ssh"}
