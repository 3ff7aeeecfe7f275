"""A clean install, as a user gets it: `python -m build` makes the sdist and, from it, the
wheel; the wheel goes into a fresh venv (and through Debian's pipx), and cockpit runs
from there with the repository out of reach: another working directory, no PYTHONPATH,
a throw-away HOME. Then `pip install -e` of the same source, which must keep working.

The build runs on a copy of the repository's files (git's list), so it neither writes
build/ or *.egg-info into the checkout nor ships a file git does not know. Installing
fetches the dependencies from the package index, as a user's pip does.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

import pytest

from cockpit import __version__
from tests.e2e.test_tmux import Tmux
from tests.support import REPO, SAMPLES

pytestmark = pytest.mark.install

AT = "2011-09-29T23:00:00-05:00"
INSTALL_TIMEOUT = 900


def repo_files() -> list[str]:
    proc = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO, capture_output=True, check=True,
    )  # fmt: skip
    return [name for name in proc.stdout.decode().split("\0") if name]


def out_of_reach(base: Path) -> dict[str, str]:
    """An environment that cannot see the checkout: no PYTHONPATH, its own HOME/XDG."""
    home = base / "home"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_STATE_HOME=str(home / ".local/state"),
        XDG_CACHE_HOME=str(home / ".cache"),
        PIP_CACHE_DIR=os.environ.get("PIP_CACHE_DIR", str(Path.home() / ".cache/pip")),
    )
    return env


@pytest.fixture(scope="module")
def place(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The user's machine: a working directory far from the checkout, with a copy of two
    sample trees in it."""
    base = tmp_path_factory.mktemp("user")
    (base / "home").mkdir()
    for tree in ("weblogs-2011", "debian12-systemd"):
        shutil.copytree(SAMPLES / tree, base / "trees" / tree, symlinks=True)
    return base


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("build")
    src = base / "src"
    for name in repo_files():
        target = src / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if (REPO / name).is_symlink():
            target.symlink_to(os.readlink(REPO / name))
        elif (REPO / name).is_file():
            shutil.copy2(REPO / name, target)
    out = base / "dist"
    proc = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(src)],
        capture_output=True, text=True, timeout=INSTALL_TIMEOUT,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "Package would be ignored" not in proc.stdout + proc.stderr
    return out


def wheel_of(dist: Path) -> Path:
    (wheel,) = dist.glob("cockpit-*.whl")
    return wheel


@pytest.fixture(scope="module")
def venv(dist: Path, place: Path) -> Path:
    where = place / "venv"
    env = out_of_reach(place)
    subprocess.run([sys.executable, "-m", "venv", str(where)], check=True, env=env, timeout=120)
    proc = subprocess.run(
        [str(where / "bin/pip"), "install", "-q", str(wheel_of(dist))],
        capture_output=True, text=True, env=env, cwd=place, timeout=INSTALL_TIMEOUT,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    return where


def run(exe: Path, place: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(exe), *args],
        capture_output=True, text=True, env=out_of_reach(place), cwd=place, timeout=120,
    )  # fmt: skip


def test_wheel_and_sdist_carry_the_code_themes_and_collector(dist: Path) -> None:
    with zipfile.ZipFile(wheel_of(dist)) as wheel:
        names = set(wheel.namelist())
    sources = {
        p.relative_to(REPO).as_posix() for p in (REPO / "cockpit").rglob("*.py")
    }  # every module, so a package missing from pyproject's list shows here too
    assert sources <= names, sorted(sources - names)
    themes = {p.name for p in (REPO / "themes").iterdir() if p.is_file()}
    assert {f"cockpit/themes/{n}" for n in themes} <= names
    sh = {f"cockpit/collector/sh/{p.name}" for p in (REPO / "cockpit/collector/sh").glob("*.sh")}
    assert sh <= names
    assert not any(".data/" in n for n in names)  # no data-files (share/...)
    (sdist,) = dist.glob("cockpit-*.tar.gz")
    with tarfile.open(sdist) as tar:
        members = {m.split("/", 1)[1] for m in tar.getnames() if "/" in m}
    assert {"pyproject.toml", "README.md", "themes/cockpit-dark.toml"} <= members
    assert "cockpit/collector/sh/10-frame.sh" in members


def test_version(venv: Path, place: Path) -> None:
    proc = run(venv / "bin/cockpit", place, "--version")
    assert proc.returncode == 0 and proc.stdout == f"cockpit {__version__}\n" and not proc.stderr


def test_code_and_data_come_from_the_venv(venv: Path, place: Path) -> None:
    code = (
        "import json, sys, importlib.resources as r\n"
        "import cockpit, cockpit.ui.themes as t, cockpit.collector.script as s\n"
        "print(json.dumps({'code': cockpit.__file__, 'themes': str(t.themes_dir()),\n"
        "  'resource': str(r.files('cockpit.themes')), 'prelude': len(s._prelude()),\n"
        "  'path': sys.path}))\n"
    )
    proc = run(venv / "bin/python", place, "-c", code)
    assert proc.returncode == 0, proc.stderr
    seen = json.loads(proc.stdout)
    site = str(venv)
    assert seen["code"].startswith(site) and seen["themes"].startswith(site)
    assert seen["themes"] == seen["resource"]  # found with importlib.resources
    assert seen["prelude"] > 1000  # the collector's sh helpers were read
    assert not any(p.startswith(str(REPO)) for p in seen["path"])


def test_check_on_a_copied_sample_tree(venv: Path, place: Path) -> None:
    tree = place / "trees" / "weblogs-2011"
    proc = run(venv / "bin/cockpit", place, "check", "--root", str(tree), "--at", AT)
    assert proc.returncode == 2 and proc.stderr == ""
    assert proc.stdout.startswith("COCKPIT CRITICAL - 1 of 1 host(s) UNBOOTABLE: weblogs-2011")
    metrics = run(venv / "bin/cockpit", place, "check", "--root", str(tree), "--at", AT,
                  "--format", "openmetrics")  # fmt: skip
    assert 'cockpit_verdict{host="weblogs-2011",verdict="unbootable"} 1' in metrics.stdout


def test_themes_are_found_by_name(venv: Path, place: Path) -> None:
    tree = place / "trees" / "debian12-systemd"
    proc = run(venv / "bin/cockpit", place, "--theme", "no-such-theme", "--root", str(tree))
    assert proc.returncode == 3
    assert "cockpit-dark" in proc.stderr and "cockpit-high-contrast" in proc.stderr


def test_completion_from_the_venv(venv: Path, place: Path) -> None:
    proc = run(venv / "bin/cockpit", place, "completion", "bash")
    assert proc.returncode == 0 and "complete -F _cockpit cockpit" in proc.stdout
    assert "cockpit-high-contrast" in proc.stdout  # theme names from the packaged themes


def test_first_frame_in_tmux(venv: Path, place: Path, tmp_path: Path) -> None:
    if shutil.which("tmux") is None:
        pytest.fail("tmux is not installed")
    tmux = Tmux(tmp_path)
    tmux.env = out_of_reach(place) | {"TERM": "screen-256color", "LANG": "C.UTF-8"}
    tree = place / "trees" / "debian12-systemd"
    command = f"{venv / 'bin/cockpit'} --root {tree} --no-record"
    try:
        done = tmux.tmux(
            "new-session", "-d", "-s", "cockpit", "-x", "100", "-y", "30", "-c", str(place),
            command,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        screen = tmux.wait_for("debian12-systemd")
        deadline = time.monotonic() + 30
        while "BOOTABLE" not in screen and time.monotonic() < deadline:
            time.sleep(0.2)
            screen = tmux.screen()
        assert "BOOTABLE" in screen, screen
        assert "Traceback" not in screen
    finally:
        tmux.tmux("kill-server")


def test_pipx_install(dist: Path, place: Path) -> None:
    pipx = shutil.which("pipx")
    if pipx is None:
        pytest.fail("pipx is not installed (apt-get install pipx)")
    env = out_of_reach(place) | {
        "PIPX_HOME": str(place / "pipx"),
        "PIPX_BIN_DIR": str(place / "pipx-bin"),
    }
    proc = subprocess.run(
        [pipx, "install", str(wheel_of(dist))],
        capture_output=True, text=True, env=env, cwd=place, timeout=INSTALL_TIMEOUT,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    cockpit = place / "pipx-bin" / "cockpit"
    assert run(cockpit, place, "--version").stdout == f"cockpit {__version__}\n"
    tree = place / "trees" / "weblogs-2011"
    check = run(cockpit, place, "check", "--root", str(tree), "--at", AT, "--format", "nagios")
    assert check.returncode == 2 and check.stderr == "", check


def test_editable_install_maps_the_themes_package(dist: Path, place: Path) -> None:
    """`pip install -e .` keeps working: cockpit.themes resolves to the source's themes/."""
    src = dist.parent / "src"
    where = place / "venv-editable"
    env = out_of_reach(place)
    subprocess.run([sys.executable, "-m", "venv", str(where)], check=True, env=env, timeout=120)
    proc = subprocess.run(
        [str(where / "bin/pip"), "install", "-q", "-e", str(src)],
        capture_output=True, text=True, env=env, cwd=place, timeout=INSTALL_TIMEOUT,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    code = "import importlib.resources as r; print(r.files('cockpit.themes'))"
    shown = run(where / "bin/python", place, "-c", code)
    assert shown.stdout.strip() == str(src / "themes"), shown
    assert run(where / "bin/cockpit", place, "--version").returncode == 0
