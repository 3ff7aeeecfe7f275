"""The domain never imports Textual or Rich: parsers and rules stay pure and fast."""

from __future__ import annotations

import subprocess
import sys

import pytest


def test_engine_imports_without_textual_or_rich() -> None:
    code = (
        "import sys, cockpit.engine, cockpit.cli.check, cockpit.render.text_out;"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')];"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


#: Every package and module left of ui/, imported with all its submodules in a fresh
#: interpreter: a module-level import anywhere inside is caught, not only in the three
#: modules above. (Imports inside functions are lint-imports' job: pyproject.toml.)
DOMAIN = (
    "cockpit.facts",
    "cockpit.parsers",
    "cockpit.rules",
    "cockpit.state",
    "cockpit.engine",
    "cockpit.snapshot",
    "cockpit.hostspec",
    "cockpit.hostclock",
    "cockpit.words",
    "cockpit.distros",
    "cockpit.recording",
    "cockpit.render",
    "cockpit.actions",
    "cockpit.inventory",
    "cockpit.collector",
    "cockpit.probes",
    "cockpit.transports",
)
#: The ssh transport is the one place asyncssh may load; nothing in DOMAIN imports it.
_SSH_MODULES = ("cockpit.transports.ssh",)
_FORBIDDEN = ("textual", "rich", "asyncssh", "cockpit.ui", "cockpit.cli")

_HYGIENE = """
import importlib, pkgutil, sys
name, skip, forbidden = sys.argv[1], tuple(sys.argv[2].split(",")), sys.argv[3].split(",")
top = importlib.import_module(name)
names = [name]
if hasattr(top, "__path__"):
    names += [m.name for m in pkgutil.walk_packages(top.__path__, name + ".")]
for mod in names:
    if not mod.startswith(skip):
        importlib.import_module(mod)
loaded = sorted(
    m for m in sys.modules if any(m == f or m.startswith(f + ".") for f in forbidden)
)
print(len(names), ",".join(loaded))
"""


@pytest.mark.parametrize("package", DOMAIN)
def test_domain_package_loads_no_ui_or_ssh_module(package: str) -> None:
    args = [package, ",".join(_SSH_MODULES), ",".join(_FORBIDDEN)]
    out = subprocess.run(
        [sys.executable, "-c", _HYGIENE, *args], capture_output=True, text=True, check=True
    )
    count, _, loaded = out.stdout.strip().partition(" ")
    assert int(count) >= 1
    assert loaded == "", f"importing {package} loaded {loaded}"
