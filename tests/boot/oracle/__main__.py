"""`python3 -m tests.boot.oracle list | boot NAME... | show NAME...` for humans.

list: every scenario, its stage, its expectation, and whether a boot is cached.
boot: observe (cached unless --force), print outcome + proof line + cockpit's verdict.
show: the cached observation with the console's tail, no boot.
"""

from __future__ import annotations

import argparse
import sys

from tests.boot.oracle import check, observe, pipeline
from tests.boot.oracle.scenario import Scenario
from tests.boot.oracle.scenarios import ALL, BY_NAME


def _pick(names: list[str]) -> list:  # type: ignore[type-arg]
    if names == ["all"]:
        return ALL
    missing = [n for n in names if n not in BY_NAME]
    if missing:
        sys.exit(f"unknown scenario(s): {', '.join(missing)} (see `list`)")
    return [BY_NAME[n] for n in names]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python3 -m tests.boot.oracle")
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("list")
    b = sub.add_parser("boot")
    b.add_argument("names", nargs="+", help="scenario names, or `all`")
    b.add_argument("--force", action="store_true", help="boot even if a result is cached")
    b.add_argument("--no-check", action="store_true", help="skip cockpit check")
    b.add_argument("-j", "--jobs", type=int, default=None, help="boots at once (default 2)")
    s = sub.add_parser("show")
    s.add_argument("names", nargs="+")
    s.add_argument("--lines", type=int, default=25)
    args = ap.parse_args(argv)
    if args.cmd == "list":
        for scn in ALL:
            rec = observe.cached(scn)
            seen = f"{rec['outcome']} ({rec['seconds']} s)" if rec else "not booted"
            print(f"{scn.name:32} {scn.stage or '-':13} {scn.variant:9} {scn.boot:6} "
                  f"expect {scn.expect:16} observed {seen}")  # fmt: skip
        return 0
    picked = _pick(args.names)
    if args.cmd == "show":
        for scn in picked:
            rec = observe.cached(scn)
            if rec is None:
                print(f"{scn.name}: not booted yet")
                continue
            print(
                f"== {scn.name}: {rec['outcome']}  ({rec['seconds']} s)\n   proof: {rec['proof']}"
            )
            print("\n".join("   | " + ln for ln in rec["console"].splitlines()[-args.lines :]))
        return 0
    pipeline.judge_all(picked, args.jobs, args.force, not args.no_check, done=_report)
    return 0


def _report(scn: Scenario, res: pipeline.Result) -> None:
    if res.error is not None or res.rec is None:
        print(f"{scn.name}: FAILED: {res.error!r}", flush=True)
    else:
        rec, verdict = res.rec, ""
        if res.host is not None:
            bad = check.problems(scn, rec["outcome"], res.host)
            verdict = f"cockpit {res.host['verdict']}/{res.host['status']}" + (
                f"  WRONG: {'; '.join(bad)}" if bad else "  ok"
            )
        hit = "cached" if rec.get("cached") else f"booted in {rec['seconds']} s"
        print(f"{scn.name}: {rec['outcome']} ({hit}); expect {scn.expect}; {verdict}")
        print(f"   proof: {rec['proof']}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
