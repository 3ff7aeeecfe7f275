"""Golden end-to-end for sample_hosts/families/<tree>, exactly as tests/test_samples.py
does it for the fleet's trees (same view, same `--update-goldens`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support import FAMILY_TREES
from tests.test_samples import golden_view


def test_every_family_added_since_the_fleet_has_a_tree() -> None:
    assert {p.name.split("-")[0] for p in FAMILY_TREES} >= {"void"}


@pytest.mark.parametrize("root", FAMILY_TREES, ids=[t.name for t in FAMILY_TREES])
def test_family_tree_matches_golden(root: Path, request: pytest.FixtureRequest) -> None:
    got = golden_view(root)
    golden = root / "expected.json"
    if request.config.getoption("--update-goldens"):
        golden.write_text(json.dumps(got, indent=2, ensure_ascii=True) + "\n")
    assert golden.exists(), f"no golden for {root.name}: run with --update-goldens and review"
    assert got == json.loads(golden.read_text())
