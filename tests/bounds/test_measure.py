"""The measurement itself: a child's own peak, not the parent's size carried into it."""

from __future__ import annotations

from tests.bounds.measure import run_python


def test_peak_is_the_childs_own_and_is_measured() -> None:
    ballast = bytearray(400 << 20)  # this process is now over the 300 MB bound
    small = run_python("-c", "pass")
    big = run_python("-c", "import time; b = bytearray(200 << 20); time.sleep(0.3)")
    del ballast
    assert 0 < small.rss_mb < 100, small
    assert 200 <= big.rss_mb < 300, big
