"""Recording costs: bytes per host-hour, and opening + seeking a day-long fleet recording.

Targets (issue 6): under 1 MB per host-hour at a 5 s refresh; a 24 h, 50-host recording
opens and seeks to any time in under 1 s; replay memory under 300 MB.

(a) Size: each sample tree, and this machine live, refreshed as the app does (Cadence,
    the real writer), 60 refreshes = one keyframe period; scaled to an hour (720).
    The live refreshes are spaced by --live-interval seconds (5 = the real thing).
(b) Seek: a 24 h x 50 hosts recording written by the real writer from real snapshots
    (sample trees and live ones) with the changes a live host shows (its clock every
    refresh, now and then another section), then, in a fresh process (so peak RSS is
    the reader's alone), open + 20 seeks to random times (state_at, and the first event
    of events(t)).

    python bench/recording.py [--live-interval 5] [--hosts 50] [--hours 24] [--keep FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from cockpit.collector.cadence import Cadence  # noqa: E402
from cockpit.recording import JsonlRecorder, open_recording  # noqa: E402
from cockpit.snapshot import Section, Sections, Snapshot  # noqa: E402
from cockpit.transports import (  # noqa: E402
    HostSpec,
    LocalTransport,
    OfflineRootTransport,
    Transport,
    collect,
)

SAMPLES = REPO / "sample_hosts"
REFRESH_S = 5
PER_HOUR = 3600 // REFRESH_S
T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)


def _trees() -> list[Path]:
    """The sample host trees (each has its AT file), not other folders there."""
    return sorted(p for p in SAMPLES.iterdir() if (p / "AT").is_file())


async def _refreshes(transport: Transport, n: int, interval: float) -> list[Snapshot]:
    cadence = Cadence()
    out = []
    for i in range(n):
        snap = await collect(transport, cadence=cadence)
        out.append(replace(snap, started=T0 + timedelta(seconds=REFRESH_S * i)))
        if interval and i < n - 1:
            await asyncio.sleep(interval)
    return out


def _line_sizes(snapshots: list[Snapshot], spec: HostSpec, folder: Path) -> list[int]:
    """Bytes of each snapshot's line, as the real writer writes them."""
    path = folder / f"{spec.name}.jsonl"
    rec = JsonlRecorder.create(path, argv=[], hosts=[spec], now=T0)
    for snap in snapshots:
        rec.snapshot(snap)
    rec.close()
    return [len(line) for line in path.read_bytes().splitlines(keepends=True)[1:]]


def size_table(live_interval: float, n: int = 60) -> list[Snapshot]:
    """Print MB per host-hour; return the live snapshots (the seek bench reuses them)."""
    print(f"(a) bytes per host-hour at a {REFRESH_S} s refresh ({n} refreshes x {PER_HOUR // n})")
    print(f"    {'host':34s} {'keyframe KB':>11s} {'delta B avg':>11s} {'MB/host-hour':>12s}")
    live: list[Snapshot] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        specs = [HostSpec("this-machine-live", "local")]
        specs += [HostSpec(p.name, "offline", root=str(p)) for p in _trees()]
        for spec in specs:
            transport: Transport = (
                LocalTransport(spec) if spec.kind == "local" else OfflineRootTransport(spec)
            )
            interval = live_interval if spec.kind == "local" else 0.0
            snaps = asyncio.run(_refreshes(transport, n, interval))
            if spec.kind == "local":
                live = snaps
            sizes = _line_sizes(snaps, spec, folder)
            key, total = sizes[0], sum(sizes)
            per_hour = total * (PER_HOUR / n) / 1e6
            delta_avg = (total - key) / (n - 1)
            print(f"    {spec.name:34s} {key / 1e3:11.1f} {delta_avg:11.0f} {per_hour:12.3f}")
    return live


def write_fleet(path: Path, hosts: int, hours: int, live: list[Snapshot]) -> float:
    """The day-long fleet recording; returns seconds spent writing."""
    bases = [live[0]]
    for tree in _trees():
        spec = HostSpec(tree.name, "offline", root=str(tree))
        bases.append(asyncio.run(collect(OfflineRootTransport(spec))))
    specs = [HostSpec(f"host{i:02d}", "ssh", address=f"10.0.0.{i}") for i in range(hosts)]
    rng = random.Random(1)
    current: list[dict[str, Section]] = []
    for i in range(hosts):
        current.append(dict(bases[i % len(bases)].sections.by_name))
    rec = JsonlRecorder.create(path, argv=["cockpit", "bench"], hosts=specs, now=T0)
    refreshes = hours * PER_HOUR
    t_start = time.perf_counter()
    for r in range(refreshes):
        when = T0 + timedelta(seconds=REFRESH_S * r)
        for i, spec in enumerate(specs):
            sections = current[i]
            clock = sections.get("host.clock")
            epoch = int(when.timestamp())
            sections["host.clock"] = Section(
                "host.clock", "ok", 0, f"{epoch}\n+0000 UTC\n", False, clock.probe if clock else ""
            )
            if rng.random() < 0.02:  # now and then something else changes (a log, a unit)
                name = rng.choice(list(sections))
                old = sections[name]
                sections[name] = replace(old, text=old.text + f"\nchanged at {epoch}")
            base = bases[i % len(bases)]
            snap = Snapshot(
                host=spec.name,
                mode=base.mode,
                sections=Sections(dict(sections)),
                started=when + timedelta(milliseconds=i * 7),
                duration_s=0.08 + rng.random() / 10,
                root=base.root,
                carried=base.carried,
            )
            rec.snapshot(snap)
        if r % PER_HOUR == PER_HOUR - 1:
            elapsed = time.perf_counter() - t_start
            print(f"    ... hour {r // PER_HOUR + 1}/{hours} written ({elapsed:.0f} s)", flush=True)
    rec.close()
    if rec.failed:
        raise SystemExit(f"writing failed: {rec.failed}")
    return time.perf_counter() - t_start


def measure(path: str, seeks: int) -> None:
    """Run in a fresh process: open + seeks, and this process's peak RSS."""
    t0 = time.perf_counter()
    recording = open_recording(path)
    opened = time.perf_counter() - t0
    rng = random.Random(2)
    span = (recording.end - recording.start).total_seconds()
    worst_state = worst_events = 0.0
    total = opened
    for _ in range(seeks):
        t = recording.start + timedelta(seconds=rng.uniform(0, span))
        s0 = time.perf_counter()
        state = recording.state_at(t)
        s1 = time.perf_counter()
        first = next(iter(recording.events(t)), None)
        s2 = time.perf_counter()
        assert len(state) == len(recording.hosts) and first is not None
        worst_state = max(worst_state, s1 - s0)
        worst_events = max(worst_events, s2 - s1)
        total += s2 - s0
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "open_s": opened,
                "worst_state_at_s": worst_state,
                "worst_events_from_s": worst_events,
                "open_plus_seeks_s": total,
                "seeks": seeks,
                "peak_rss_mb": rss_mb,
                "issues": len(recording.issues),
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--live-interval", type=float, default=5.0)
    parser.add_argument("--hosts", type=int, default=50)
    parser.add_argument("--hours", type=int, default=24)
    parser.add_argument("--seeks", type=int, default=20)
    parser.add_argument("--keep", metavar="FILE", help="write the fleet recording here, keep it")
    parser.add_argument("--measure", metavar="FILE", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.measure, args.seeks)
        return
    live = size_table(args.live_interval)
    print(f"\n(b) {args.hours} h x {args.hosts} hosts at {REFRESH_S} s, written by JsonlRecorder")
    folder = tempfile.mkdtemp()
    path = Path(args.keep) if args.keep else Path(folder) / "fleet.jsonl"
    try:
        written = write_fleet(path, args.hosts, args.hours, live)
        size = path.stat().st_size
        lines = args.hosts * args.hours * PER_HOUR
        host_hours = args.hosts * args.hours
        out = subprocess.run(
            [sys.executable, __file__, "--measure", str(path), "--seeks", str(args.seeks)],
            capture_output=True,
            text=True,
            check=True,
        )
        m = json.loads(out.stdout)
    finally:
        if not args.keep:
            path.unlink(missing_ok=True)
            os.rmdir(folder)
    print(f"    {'lines':34s} {lines:>12,d}")
    print(
        f"    {'file size':34s} {size / 1e6:>10.0f} MB ({size / 1e6 / host_hours:.3f} MB/host-hour)"
    )
    print(f"    {'writing time':34s} {written:>10.1f} s ({written / lines * 1e6:.0f} us/snapshot)")
    print(f"    {'open':34s} {m['open_s'] * 1000:>10.1f} ms")
    print(f"    {'worst state_at(t)':34s} {m['worst_state_at_s'] * 1000:>10.1f} ms")
    print(f"    {'worst first event of events(t)':34s} {m['worst_events_from_s'] * 1000:>10.1f} ms")
    label = f"open + {m['seeks']} seeks (both kinds)"
    print(f"    {label:34s} {m['open_plus_seeks_s']:>10.2f} s")
    print(f"    {'peak RSS of the reading process':34s} {m['peak_rss_mb']:>10.0f} MB")


if __name__ == "__main__":
    main()
