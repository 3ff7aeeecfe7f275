"""The domain never imports Textual or Rich: parsers and rules stay pure and fast."""

from __future__ import annotations

import subprocess
import sys


def test_engine_imports_without_textual_or_rich() -> None:
    code = (
        "import sys, cockpit.engine, cockpit.cli.check, cockpit.render.text_out;"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')];"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
