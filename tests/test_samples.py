"""Golden end-to-end: each sample_hosts/<tree> through the whole engine vs expected.json.

`pytest tests/test_samples.py --update-goldens` rewrites the goldens; review the diff.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cockpit.render.json_out import host_json
from tests.support import SAMPLE_TREES, SAMPLES, judge_root

TREES = SAMPLE_TREES


def golden_view(root: Path) -> dict[str, Any]:
    at = (root / "AT").read_text().strip()
    state = judge_root(root, at)
    doc = host_json(state)
    # Stable across machines: drop nothing host-specific except the absolute root path.
    doc["at"] = at
    return doc


def test_there_are_at_least_eight_sample_hosts() -> None:
    assert len(TREES) >= 8
    assert (SAMPLES / "weblogs-2011").is_dir()


@pytest.mark.parametrize("root", TREES, ids=[t.name for t in TREES])
def test_sample_host_matches_golden(root: Path, request: pytest.FixtureRequest) -> None:
    got = golden_view(root)
    golden = root / "expected.json"
    if request.config.getoption("--update-goldens"):
        golden.write_text(json.dumps(got, indent=2, ensure_ascii=True) + "\n")
    assert golden.exists(), f"no golden for {root.name}: run with --update-goldens and review"
    assert got == json.loads(golden.read_text())
