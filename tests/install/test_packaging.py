"""What the wheel is made of, checked without building it (tests/install/test_clean_install
builds and installs it): every package under cockpit/ is listed, themes/ installs as the
package cockpit.themes with all its files, and nothing is found through RECORD or share/."""

from __future__ import annotations

import fnmatch
import sys

from setuptools import find_packages

from tests.support import REPO

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - 3.10
    import tomli as tomllib

CONFIG = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]


def test_every_package_under_cockpit_is_listed() -> None:
    found = set(find_packages(str(REPO), include=["cockpit", "cockpit.*"]))
    data_only = {"cockpit.themes", "cockpit.collector.sh"}
    listed = set(CONFIG["packages"])
    assert found | data_only == listed, (
        "pyproject.toml [tool.setuptools] packages must list every package: "
        f"missing {sorted(found - listed)}, extra {sorted(listed - found - data_only)}"
    )
    assert CONFIG["package-dir"] == {"cockpit.themes": "themes"}


def test_every_file_in_themes_is_package_data() -> None:
    patterns = CONFIG["package-data"]["cockpit.themes"]
    present = {
        p.name
        for p in (REPO / "themes").iterdir()
        if p.is_file() and p.name != "__init__.py" and p.suffix != ".pyc"
    }
    unshipped = {n for n in present if not any(fnmatch.fnmatch(n, pat) for pat in patterns)}
    assert unshipped == set()
    sh = {p.name for p in (REPO / "cockpit/collector/sh").iterdir() if p.is_file()}
    assert all(n.endswith(".sh") for n in sh) and CONFIG["package-data"]["cockpit.collector.sh"]


def test_no_data_files_and_no_record_lookup() -> None:
    assert "data-files" not in CONFIG  # share/ is not where a wheel's data belongs
    sources = "\n".join(p.read_text() for p in (REPO / "cockpit").rglob("*.py"))
    # the distribution's file list, by API or by name (a constant like EXIT_LEFT_ON_RECORD
    # is not a lookup)
    assert "metadata.files(" not in sources
    assert not any(s in sources for s in ('"RECORD"', "'RECORD'", "/RECORD"))
