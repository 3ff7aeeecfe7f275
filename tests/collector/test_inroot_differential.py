"""One resolver, two implementations: the collector's `_walk` (sh) and cockpit.inroot
(Python, what the offline actions use) must agree on every tree, or an action could
touch another file than the one the collector read. Random trees of links (absolute,
relative, `..` escapes, loops, chains through directories), queried under every shell."""

from __future__ import annotations

import os
import shlex
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cockpit import inroot
from cockpit.probes.base import Probe
from tests.collector.trees import place
from tests.support import run_probes

_NAMES = ("a", "b", "etc", "lib", "x y", "..", ".")
_PATHS = st.lists(st.sampled_from(_NAMES), min_size=1, max_size=4).map(lambda p: "/".join(p))
_NODE = st.tuples(
    st.lists(st.sampled_from(_NAMES[:5]), min_size=1, max_size=3),
    st.sampled_from(("dir", "file", "abs", "rel", "escape")),
    _PATHS,
    st.integers(min_value=1, max_value=6),
)


def _build(root: Path, nodes: list[tuple[list[str], str, str, int]]) -> None:
    for parts, kind, target, ups in nodes:
        host = place(root, "/".join(parts))  # never through a link this tree holds
        if host is None:
            continue
        try:
            if kind == "dir":
                host.mkdir()
            elif kind == "file":
                host.write_text("x")
            elif kind == "abs":
                host.symlink_to("/" + target)
            elif kind == "rel":
                host.symlink_to(target)
            else:
                host.symlink_to("../" * ups + target)
        except OSError:
            continue


def sh_resolve(shell: str, root: Path, queries: list[str]) -> list[tuple[str, str]]:
    """`_resolve` on each query, in one run of the real prelude."""
    body = "".join(
        f'_resolve {shlex.quote(q)}; printf \'%s|%s\\n\' "$_RS" "$_R"\n' for q in queries
    )
    script = f"_begin out\n{body}_end 0 ok out"
    sections = run_probes([Probe("t", "test", script, "test")], shell, root)
    lines = sections["out"].text.splitlines()
    return [(state, path) for state, _, path in (ln.partition("|") for ln in lines)]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    nodes=st.lists(_NODE, min_size=1, max_size=12),
    queries=st.lists(_PATHS.map(lambda p: "/" + p), min_size=1, max_size=8),
)
def test_sh_and_python_resolve_alike(
    shell: str,
    tmp_path_factory: pytest.TempPathFactory,
    nodes: list[tuple[list[str], str, str, int]],
    queries: list[str],
) -> None:
    base = tmp_path_factory.mktemp("diff")
    try:
        root = base / "deep" / "root"
        root.mkdir(parents=True)
        (base / "deep" / "a").mkdir()  # what a `..` escape finds in the kernel's view
        _build(root, nodes)
        queries += ["/" + "/".join(parts) for parts, *_ in nodes]
        got = sh_resolve(shell, root, queries)
        want = [(r.state, r.path) for r in (inroot.resolve(str(root), q) for q in queries)]
        assert got == want, list(zip(queries, got, want, strict=True))
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_pinned_cases(shell: str, tmp_path: Path) -> None:
    """The cases the issue names, written out: an absolute link, a relative escape, a
    loop, a link to a link inside a linked directory, a file used as a directory."""
    root = tmp_path / "root"
    (root / "real/etc").mkdir(parents=True)
    (root / "real/etc/crontab").write_text("x")
    (root / "etc").symlink_to("/real/etc")
    (root / "up").symlink_to("../../../../real")
    (root / "l1").symlink_to("l2")
    (root / "l2").symlink_to("/l1")
    (root / "real/etc/tab").symlink_to("crontab")
    queries = [
        "/etc/crontab",
        "/up/etc/tab",
        "/l1",
        "/l1/x",
        "/etc/crontab/x",
        "/etc/crontab/..",
        "/etc/../../../real",
        "/nope/x",
        "/real/etc/tab",
    ]
    got = sh_resolve(shell, root, queries)
    want = [(r.state, r.path) for r in (inroot.resolve(str(root), q) for q in queries)]
    assert got == want
    assert got[:3] == [("ok", "/real/etc/crontab"), ("ok", "/real/etc/crontab"), ("loop", "/l1")]
    assert got[4][0] == "absent" and got[6] == ("ok", "/real")
    assert os.path.exists(root / "real")
