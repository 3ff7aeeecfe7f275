"""What one refresh costs the watched host: CPU and wall time of the collector.

Runs the real collector with `sh -s` on this machine (live mode) N times and prints the
median CPU (user+sys of sh and every process it started) and wall time, per shell, then
the cost of each probe alone, so the expensive ones stand out. Not a test: numbers go in
the closing note.

    python bench/collector.py [--runs 15] [--shell dash] [--per-probe]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import time
from collections.abc import Sequence

from cockpit.collector import build_script, split_output
from cockpit.collector.cadence import Cadence
from cockpit.probes import ALL_PROBES, Probe
from cockpit.snapshot import Snapshot

#: The watched probe the "one changed" case reads again every refresh (the costliest).
CHANGED = "packages.dpkg"


def children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def measure(probes: Sequence[Probe], shell: str, runs: int, mode: str = "live", root: str = "/"):
    cpu, wall, size = [], [], 0
    for _ in range(runs):
        built = build_script(probes, mode=mode, root=root)  # type: ignore[arg-type]
        c0, t0 = children_cpu(), time.perf_counter()
        out = subprocess.run(
            [*shell.split(), "-s"], input=built.script.encode(), capture_output=True
        )
        wall.append(time.perf_counter() - t0)
        cpu.append(children_cpu() - c0)
        result = split_output(out.stdout, built.boundary)
        if not result.complete:
            raise SystemExit(f"collector incomplete: {result.issues}")
        size = len(out.stdout)
    return statistics.median(cpu) * 1000, statistics.median(wall) * 1000, size


def measure_steady(
    shell: str,
    runs: int,
    mode: str = "live",
    root: str = "/",
    incremental: bool = True,
    changed: str | None = None,
):
    """A refresh loop on open state: slow checks on their cadence, watched probes skipped
    while their files keep their fingerprint (what a watched host pays on most refreshes),
    as `collect(..., cadence=...)` does in the app. `changed`: a watched probe whose
    fingerprint the client forgets before every refresh, so the host reads it again (what
    one changed slow section costs). Returns median and worst CPU ms, median output bytes
    and median script bytes."""
    from datetime import datetime, timezone

    cadence = Cadence(incremental=incremental)
    cpu, size, sent = [], [], []
    for i in range(runs + 1):
        if changed is not None:
            cadence.fingerprints.pop(changed, None)
        to_run, cached = cadence.plan(ALL_PROBES)
        built = build_script(
            to_run,
            mode=mode,
            root=root,
            cached=cached,
            incremental=incremental,
            extra_watch=cadence.extra_watch(),
        )  # type: ignore[arg-type]
        c0 = children_cpu()
        out = subprocess.run(
            [*shell.split(), "-s"], input=built.script.encode(), capture_output=True
        )
        if i:
            cpu.append(children_cpu() - c0)
            size.append(len(out.stdout))
            sent.append(len(built.script.encode()))
        result = split_output(out.stdout, built.boundary)
        snap = Snapshot("bench", mode, result.sections, datetime.now(timezone.utc), 0.0)  # type: ignore[arg-type]
        cadence.merge(snap, [p for p in ALL_PROBES if p not in to_run], [p.name for p in to_run])
    return (
        statistics.median(cpu) * 1000,
        max(cpu) * 1000,
        int(statistics.median(size)),
        int(statistics.median(sent)),
    )


def count_processes(
    shell: str,
    mode: str = "live",
    root: str = "/",
    cadence_tick: bool = False,
    incremental: bool = True,
):
    """Processes (forks) the collector starts per refresh: a count that does not drift with the
    machine's load, unlike CPU time (needs strace; None without it)."""
    import shutil
    import tempfile
    from datetime import datetime, timezone

    if shutil.which("strace") is None:
        return None
    cadence = Cadence(incremental=incremental)
    to_run, cached = cadence.plan(ALL_PROBES)
    if cadence_tick:  # one full refresh first, then count a steady one
        built = build_script(to_run, mode=mode, root=root, incremental=incremental)  # type: ignore[arg-type]
        out = subprocess.run(
            [*shell.split(), "-s"], input=built.script.encode(), capture_output=True
        )
        result = split_output(out.stdout, built.boundary)
        snap = Snapshot("bench", mode, result.sections, datetime.now(timezone.utc), 0.0)  # type: ignore[arg-type]
        cadence.merge(snap, [p for p in ALL_PROBES if p not in to_run], [p.name for p in to_run])
        to_run, cached = cadence.plan(ALL_PROBES)
    built = build_script(to_run, mode=mode, root=root, cached=cached, incremental=incremental)  # type: ignore[arg-type]
    with tempfile.NamedTemporaryFile("r") as trace:
        subprocess.run(
            [
                "strace",
                "-f",
                "-e",
                "trace=clone,clone3,fork,vfork",
                "-o",
                trace.name,
                *shell.split(),
                "-s",
            ],
            input=built.script.encode(),
            capture_output=True,
        )
        lines = trace.read().splitlines()
    # busybox runs its applets without exec: count forks, which every shell pays for.
    return sum(1 for ln in lines if "fork(" in ln or ("clone" in ln and "resumed" not in ln))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--shell", action="append")
    parser.add_argument("--per-probe", action="store_true")
    parser.add_argument("--root", help="offline root instead of this machine")
    args = parser.parse_args()
    mode, root = ("offline", args.root) if args.root else ("live", "/")
    script = build_script(ALL_PROBES, mode=mode, root=root).script  # type: ignore[arg-type]
    print(f"collector script: {len(script.encode())} bytes, {len(ALL_PROBES)} probes, mode {mode}")
    for shell in args.shell or ["dash", "bash", "busybox sh"]:
        cpu, wall, size = measure(ALL_PROBES, shell, args.runs, mode, root)
        print(
            f"{shell:11s} first refresh, median of {args.runs}: "
            f"cpu {cpu:6.1f} ms  wall {wall:6.1f} ms  output {size} B"
        )
        runs = max(args.runs, 12)
        for label, incr, changed in (
            ("steady, full (cadence only)", False, None),
            ("steady, incremental", True, None),
            (f"one changed ({CHANGED})", True, CHANGED),
        ):
            steady, worst, size, sent = measure_steady(shell, runs, mode, root, incr, changed)
            print(
                f"{shell:11s} {label:28s} median cpu {steady:6.1f} ms, worst {worst:6.1f} ms, "
                f"output {size} B, script {sent} B"
            )
        first_n = count_processes(shell, mode, root)
        full_n = count_processes(shell, mode, root, cadence_tick=True, incremental=False)
        steady_n = count_processes(shell, mode, root, cadence_tick=True)
        if first_n is not None:
            print(
                f"{shell:11s} processes started: first refresh {first_n}, "
                f"steady full {full_n}, steady incremental {steady_n}"
            )
    if args.per_probe:
        shell = (args.shell or ["dash"])[0]
        base_cpu, _, _ = measure([], shell, args.runs, mode, root)
        print(f"\nper probe under {shell} (minus an empty script's {base_cpu:.1f} ms):")
        rows = []
        for probe in ALL_PROBES:
            cpu, wall, size = measure([probe], shell, max(3, args.runs // 3), mode, root)
            rows.append((cpu - base_cpu, wall, size, probe.name))
        for cpu, wall, size, name in sorted(rows, reverse=True):
            print(f"  {name:28s} cpu {cpu:6.1f} ms  wall {wall:6.1f} ms  {size:7d} B")


if __name__ == "__main__":
    main()
