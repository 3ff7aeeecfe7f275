"""Parse + judge time for one host's output (target: under 5 ms).

Collects each sample host once (and this machine, live), then times `judge_snapshot` on the
same snapshot many times: the pure part of every refresh. Two columns: a fresh parse (a
one-shot `cockpit check`), and a refresh loop's (the host's ParseMemo, with the host's clock
moved one second each time, as it does between real refreshes). Under each host, the
fresh parse's median time per area (the guard in parsers/__init__.py times each one).

    python bench/engine.py [--runs 200]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from dataclasses import replace
from pathlib import Path

from cockpit.engine import judge_snapshot
from cockpit.hostspec import HostSpec
from cockpit.parsers import ParseMemo
from cockpit.snapshot import Sections, Snapshot
from cockpit.transports import LocalTransport, OfflineRootTransport, collect

SAMPLES = Path(__file__).resolve().parent.parent / "sample_hosts"


def clock_moved(snap: Snapshot, seconds: int) -> Snapshot:
    """The same snapshot a refresh later: only `host.clock` differs (when there is one)."""
    clock = snap.sections.by_name.get("host.clock")
    if clock is None or not clock.ok or not clock.text.split()[0].isdigit():
        return snap
    epoch, *rest = clock.text.split(" ", 1)
    text = " ".join([str(int(epoch) + seconds), *rest])
    sections = {**snap.sections.by_name, "host.clock": replace(clock, text=text)}
    return replace(snap, sections=Sections(sections))


def timed(runs: int, step: object) -> tuple[float, float]:
    times = []
    for i in range(runs):
        t0 = time.perf_counter()
        step(i)  # type: ignore[operator]
        times.append(time.perf_counter() - t0)
    return statistics.median(times), sorted(times)[int(len(times) * 0.95)]


def area_medians(snap: Snapshot, runs: int) -> str:
    """Median fresh-parse milliseconds per area, in the order parse_snapshot runs them."""
    per_area: dict[str, list[float]] = {}
    for _ in range(runs):
        facts = judge_snapshot(snap).facts
        for t in facts.timings if facts is not None else ():
            per_area.setdefault(t.area, []).append(t.seconds * 1000)
    return ", ".join(f"{a} {statistics.median(ms):.2f}" for a, ms in per_area.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    snapshots = [asyncio.run(collect(LocalTransport(HostSpec("this-machine", "local"))))]
    for tree in sorted(p for p in SAMPLES.iterdir() if (p / "AT").is_file()):
        spec = HostSpec(tree.name, "offline", root=str(tree))
        snapshots.append(asyncio.run(collect(OfflineRootTransport(spec))))
    head = f"{'host':32s} {'fresh parse+judge':>22s} {'refresh loop (memo)':>22s}"
    print(f"{head}   (median / p95, ms)")
    for snap in snapshots:
        fresh = timed(args.runs, lambda _, snap=snap: judge_snapshot(snap))
        later = [clock_moved(snap, s) for s in range(args.runs + 1)]
        memo = ParseMemo()
        judge_snapshot(later[0], memo=memo)
        loop = timed(
            args.runs, lambda i, later=later, memo=memo: judge_snapshot(later[i + 1], memo=memo)
        )
        print(
            f"{snap.host:32s} {fresh[0] * 1000:10.2f} / {fresh[1] * 1000:5.2f}"
            f"       {loop[0] * 1000:10.2f} / {loop[1] * 1000:5.2f}"
        )
        print(f"    per area (fresh, median ms): {area_medians(snap, args.runs)}")


if __name__ == "__main__":
    main()
