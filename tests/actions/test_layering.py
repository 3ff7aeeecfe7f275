"""The actions are domain code: they import without textual or rich (only ui/ may)."""

from __future__ import annotations

import subprocess
import sys


def test_actions_import_without_textual_or_rich() -> None:
    code = (
        "import sys, cockpit.actions, cockpit.actions.apply, cockpit.actions.scripts;"
        "print(','.join(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
