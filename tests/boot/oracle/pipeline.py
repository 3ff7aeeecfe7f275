"""Every scenario of a run, judged two at a time: tree, boot (unless cached), cockpit.

Why two workers: a TCG guest with one vCPU keeps one host core busy; on the 2-core CI
machine two boots side by side take little longer than one (runner.py, README.md "Cost"),
and a scenario's other work (its recipe, its disk, `cockpit check`) fills the gaps.
COCKPIT_ORACLE_JOBS overrides the count (1 = one after the other).

A scenario's failure (a recipe that breaks, qemu that cannot start) is kept with its
result and raised by its own test; an interruption kills every qemu at once.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any

from tests.boot.oracle import check, observe, runner, trees, view
from tests.boot.oracle.scenario import Scenario


@dataclass
class Result:
    rec: dict[str, Any] | None = None  # the observed boot (observe.observe)
    host: dict[str, Any] | None = None  # cockpit's JSON for the admin's view of the disk
    error: BaseException | None = None


def jobs() -> int:
    return max(1, int(os.environ.get("COCKPIT_ORACLE_JOBS", "2")))


def judge(scn: Scenario, force: bool = False, with_cockpit: bool = True) -> Result:
    """One scenario: its tree mounted, its boot observed, cockpit run on its disk."""
    with trees.scenario_tree(scn) as tree:
        rec = observe.observe(scn, tree, force=force)
        host = None
        if with_cockpit:
            with view.admin_view(scn.layout, tree) as disk_view:
                host = check.cockpit_check(disk_view)
    return Result(rec, host)


def judge_all(
    scns: list[Scenario],
    workers: int | None = None,
    force: bool = False,
    with_cockpit: bool = True,
    done: Callable[[Scenario, Result], None] | None = None,
) -> dict[str, Result]:
    out: dict[str, Result] = {}
    with ThreadPoolExecutor(workers or jobs(), thread_name_prefix="oracle") as pool:
        futures: dict[Future[Result], Scenario] = {
            pool.submit(judge, scn, force, with_cockpit): scn for scn in scns
        }
        try:
            for fut in as_completed(futures):
                scn = futures[fut]
                try:
                    out[scn.name] = fut.result()
                except runner.Interrupted:
                    raise
                except Exception as exc:  # the scenario's own test raises it
                    out[scn.name] = Result(error=exc)
                if done is not None:
                    done(scn, out[scn.name])
        except BaseException:
            runner.kill_all()
            for fut in futures:
                fut.cancel()
            raise
    return out
