"""Parse + judge time for one host's output (target: under 5 ms).

Collects each sample host once (and this machine, live), then times `judge_snapshot` on the
same snapshot many times: the pure part of every refresh.

    python bench/engine.py [--runs 200]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from pathlib import Path

from cockpit.engine import judge_snapshot
from cockpit.transports import HostSpec, LocalTransport, OfflineRootTransport, collect

SAMPLES = Path(__file__).resolve().parent.parent / "sample_hosts"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    snapshots = [asyncio.run(collect(LocalTransport(HostSpec("this-machine", "local"))))]
    for tree in sorted(p for p in SAMPLES.iterdir() if p.is_dir()):
        spec = HostSpec(tree.name, "offline", root=str(tree))
        snapshots.append(asyncio.run(collect(OfflineRootTransport(spec))))
    for snap in snapshots:
        times = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            judge_snapshot(snap)
            times.append(time.perf_counter() - t0)
        med, p95 = statistics.median(times), sorted(times)[int(len(times) * 0.95)]
        print(f"{snap.host:32s} parse+judge median {med * 1000:5.2f} ms  p95 {p95 * 1000:5.2f} ms")


if __name__ == "__main__":
    main()
