"""Incremental refresh: what the client reconstructs is what a full read gives, always.

The property test runs the real collector (sh, stat, awk) on a real tree and changes files
between refreshes the ways that fool a fingerprint: a same-size rewrite with the old mtime
put back (only the ctime moves), a chmod, a file replaced by a link, a link pointed
elsewhere, files created, deleted and renamed; sometimes within the same second as the
refresh before, sometimes after the racy window. After every change the incremental
refresh must give the same sections, in the same order, as a full read of the same tree.

The script is built for live mode (the only mode that fingerprints), then pointed at the
tree: ROOT set and MODE=offline, so the probes read the tree through the in-root resolver
(live mode reads `/` itself). What `stat -L` sees under ROOT is what that resolver sees,
once the tree's absolute links are made relative.
"""

from __future__ import annotations

import os
import random
import re
import shlex
import shutil
import subprocess
import time
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest

from cockpit.collector import build_script, split_output
from cockpit.collector.cadence import (
    FP_SECTION,
    KEYFRAME_EVERY,
    Cadence,
    _reinsert,
    fp_ctime,
    named_paths,
    parse_fp,
)
from cockpit.collector.script import EARLY_END, _prelude
from cockpit.probes import ALL_PROBES
from cockpit.probes.base import declared_paths, watch_paths
from cockpit.snapshot import Section, Sections, Snapshot
from cockpit.words import Mode
from tests.support import SAMPLES

NOW = datetime(2024, 1, 1, tzinfo=timezone.utc)
#: Every watched probe, on every refresh (their own `every` is the cadence's business).
WATCHED = tuple(replace(p, every=1) for p in ALL_PROBES if p.watch)


def _tree(tmp: Path) -> Path:
    """A sample host with a dpkg database, its absolute links made relative."""
    root = tmp / "host"
    shutil.copytree(SAMPLES / "debian12-systemd", root, symlinks=True)
    dpkg = SAMPLES / "ubuntu2204-dpkg-interrupted" / "var" / "lib" / "dpkg"
    shutil.copytree(dpkg, root / "var/lib/dpkg", symlinks=True, dirs_exist_ok=True)
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            link = Path(dirpath) / name
            if link.is_symlink() and os.readlink(link).startswith("/"):
                target = root / os.readlink(link).lstrip("/")
                link.unlink()
                link.symlink_to(os.path.relpath(target, link.parent))
    return root


def _run(
    root: Path,
    cached: tuple[str, ...] = (),
    incremental: bool = True,
    shell: str = "sh",
    extra: dict[str, list[str]] | None = None,
) -> Sections:
    built = build_script(
        WATCHED, mode=Mode.LIVE, cached=cached, incremental=incremental, extra_watch=extra
    )
    script = _retarget(built.script, root)
    out = subprocess.run(
        [*shell.split(), "-s"], input=script.encode(), capture_output=True, timeout=60
    )
    result = split_output(out.stdout, built.boundary)
    assert result.complete, result.issues
    return result.sections


def _retarget(script: str, root: Path) -> str:
    """The live script pointed at the tree (ROOT set, MODE=offline), with the size of the
    early part that bash reads at once made right again (script._bash_reads_at_once)."""
    script = script.replace("\nROOT=''\n", f"\nROOT={shlex.quote(str(root))}\n", 1)
    script = script.replace("\nMODE=live\n", "\nMODE=offline\n", 1)
    assert str(root) in script and "MODE=offline" in script
    gulp = re.search(r'eval "\$\(dd bs=(\d+) count=1 iflag=fullblock 2>/dev/null\)"; fi\n', script)
    if gulp is None:
        return script
    end = script.index(EARLY_END + "\n") + len(EARLY_END) + 1
    size = len(script[gulp.end() : end].encode())
    return script[: gulp.start(1)] + str(size) + script[gulp.end(1) :]


def _refresh(cadence: Cadence, root: Path, shell: str = "sh") -> tuple[Snapshot, frozenset[str]]:
    to_run, cached = cadence.plan(WATCHED)
    sections = _run(root, tuple(cached), shell=shell, extra=cadence.extra_watch())
    report = parse_fp(sections[FP_SECTION].text)
    same = frozenset(p.name for p in to_run if p.name in cadence.sent) - report.fps.keys()
    assert report.now is not None and report.kept == len(same)
    snap = Snapshot("h", "live", sections, NOW, 0.0)
    return cadence.merge(snap, [], [p.name for p in to_run]), same


#: Files the watched probes read, changed more often than the rest of the tree.
_HOT = (
    "boot/grub/grub.cfg",
    "boot/grub/grubenv",
    "boot/grub/i386-pc/normal.mod",
    "boot/vmlinuz-6.1.0-18-amd64",
    "etc/inittab",
    "etc/systemd/system/default.target",
    "var/lib/dpkg/status",
    "var/lib/dpkg/updates",
    "etc/default/grub",
    "etc/runit",
    "etc/systemd/system/multi-user.target.wants/ssh.service",
    "etc/systemd/system/sshd.service",
    "etc/init.d/ssh",
    "etc/rc2.d/S01ssh",
    "etc/localtime",
    "etc/network/interfaces",
)


def _pick(rng: random.Random, root: Path) -> Path:
    if rng.random() < 0.6:
        return root / rng.choice(_HOT)
    areas = [root / a for a in ("boot", "etc", "var/lib/dpkg")]
    found = [Path(d) / n for a in areas for d, ds, fs in os.walk(a) for n in ds + fs]
    return rng.choice(found)


def _mutate(rng: random.Random, root: Path) -> str:
    """One change, the kind a fingerprint could miss; returns what it did (for failures)."""
    path = _pick(rng, root)
    op = rng.choice(
        ["same-size", "rewrite", "chmod", "link", "retarget", "delete", "create", "rename"]
    )
    parent = path.parent
    parent.mkdir(parents=True, exist_ok=True)
    if op == "same-size" and path.is_file() and not path.is_symlink():
        st = path.stat()
        data = path.read_bytes()
        flipped = bytes(rng.choice(b"abcdefgh") for _ in data) if data else b""
        path.write_bytes(flipped)
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # only the ctime moves
    elif op == "rewrite" and not path.is_dir():
        if path.is_symlink():
            path.unlink()
        path.write_text(f"x = {rng.randrange(10**6)}\n" * rng.randrange(1, 4))
    elif op == "chmod" and path.exists():
        path.chmod(path.stat().st_mode ^ 0o111)
    elif op == "link" and not path.is_dir():
        other = _pick(rng, root)
        if other != path and other.exists():
            if path.is_symlink() or path.exists():
                path.unlink()
            path.symlink_to(os.path.relpath(other, parent))
    elif op == "retarget" and path.is_symlink():
        other = _pick(rng, root)
        path.unlink()
        path.symlink_to(os.path.relpath(other, parent))
    elif op == "delete" and (path.is_symlink() or path.is_file()):
        path.unlink()
    elif op == "create":
        base = parent if parent.is_dir() else root / "boot"
        name = rng.choice(["vmlinuz-9.9.9", "x.conf", "grub.cfg.dpkg-new", "0002", "inittab"])
        (base / name).write_text(f"new {rng.randrange(10**6)}\n")
        path = base / name
    elif op == "rename" and (path.is_file() or path.is_symlink()):
        os.replace(path, parent / (path.name + ".dpkg-new"))
    else:
        return f"nothing ({op} {path.relative_to(root)})"
    return f"{op} {path.relative_to(root)}"


@pytest.mark.parametrize("seed", [1, 2])
def test_incremental_equals_full_over_random_changes(tmp_path: Path, seed: int) -> None:
    root = _tree(tmp_path)
    rng = random.Random(seed)
    cadence = Cadence()
    skipped = changed = 0
    history: list[str] = []
    last: list[tuple[str, Section]] = []
    for _step in range(16):
        merged, same = _refresh(cadence, root)
        full = _run(root, incremental=False)
        assert FP_SECTION not in merged.sections
        assert list(merged.sections.items()) == list(full.items()), history
        # checked this refresh, not stand-ins: the only sections carried are the ones the
        # host itself answered `cached` (an ELF check, an initramfs listing: cadence.py)
        assert all(n.startswith(("init.elf:", "boot.kernel.")) for n in merged.carried)
        skipped += len(same)
        changed += bool(last) and list(full.items()) != last
        last = list(full.items())
        for _ in range(rng.randrange(0, 3)):
            history.append(_mutate(rng, root))
        if rng.random() < 0.5:  # past the racy window: the held copies get used
            time.sleep(2.1)
    assert skipped, "no refresh skipped a probe: the incremental path was never taken"
    assert changed >= 2, "the changes never reached what the probes read"


def test_every_shell_skips_what_did_not_change_and_rereads_what_did(
    shell: str, tmp_path: Path
) -> None:
    """Skipped bodies travel as strings (`eval` when due): dash, bash and busybox ash."""
    root = _tree(tmp_path)
    time.sleep(2.1)
    cadence = Cadence()
    _refresh(cadence, root, shell)
    # The second refresh covers the paths the first one's sections named (extra_watch):
    # their fingerprints are new once; from the third on, nothing changed.
    _refresh(cadence, root, shell)
    merged, same = _refresh(cadence, root, shell)
    assert same == {p.name for p in WATCHED}
    full = _run(root, incremental=False, shell=shell)  # the same shell: busybox has its own cpio
    assert list(merged.sections.items()) == list(full.items())
    (root / "etc/inittab").write_text("id:2:initdefault:\n")
    merged, same = _refresh(cadence, root, shell)
    assert "init.config" not in same and "id:2:" in merged.sections["init.inittab"].text


def test_same_second_same_size_rewrite_is_read_again(tmp_path: Path) -> None:
    """The racy case by itself: without the clock check the host would say `same`."""
    root = _tree(tmp_path)
    time.sleep(2.1)  # the copied tree is now older than the racy window
    cadence = Cadence()
    _refresh(cadence, root)
    assert "init.config" in cadence.fingerprints
    inittab = root / "etc/inittab"
    inittab.write_text("id:3:initdefault:\n")
    merged, _ = _refresh(cadence, root)  # the new file's ctime is now: not trusted
    st = inittab.stat()
    inittab.write_text("id:5:initdefault:\n")  # same size, same second
    os.utime(inittab, ns=(st.st_atime_ns, st.st_mtime_ns))
    merged, same = _refresh(cadence, root)
    assert "init.config" not in same
    assert "id:5:" in merged.sections["init.inittab"].text


def test_keyframe_and_force_send_no_fingerprint(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    time.sleep(2.1)
    cadence = Cadence()
    _refresh(cadence, root)
    _refresh(cadence, root)
    _, same = _refresh(cadence, root)
    assert same  # nothing changed: the host skipped
    cadence.force_keyframe()
    _, same = _refresh(cadence, root)
    assert not same
    cadence.tick = KEYFRAME_EVERY
    _, cached = cadence.plan(WATCHED)
    assert not [c for c in cached if c.startswith("fp:")]


def test_offline_and_one_shot_scripts_take_no_fingerprint() -> None:
    offline = build_script(WATCHED, mode=Mode.OFFLINE, root="/x", incremental=True).script
    one_shot = build_script(WATCHED, mode=Mode.LIVE).script
    assert "\n_fp_take " not in offline and "\n_fp_take " not in one_shot
    live = build_script(WATCHED, mode=Mode.LIVE, incremental=True).script
    assert "\n_fp_take " in live


def test_failed_or_racy_reads_are_not_held() -> None:
    cadence = Cadence()
    fp = "\n".join(
        ["fp a 1:100:1:1:1", "fp b 1:100:1:1:1", "fp c 1:199:1:1:1", "kept 0", "now 200"]
    )
    fresh = Snapshot(
        "h",
        "live",
        Sections(
            {
                FP_SECTION: Section(FP_SECTION, "ok", text=fp),
                "a": Section("a", "ok", probe="a"),
                "b": Section("b", "timeout", probe="b"),
                "c": Section("c", "ok", probe="c"),
            }
        ),
        NOW,
        0.0,
    )
    cadence.merge(fresh, [], ["a", "b", "c"])
    assert cadence.fingerprints == {"a": "1:100:1:1:1"}
    cadence.merge(replace(fresh, sections=Sections({"a": Section("a", "ok")})), [], ["a"])
    assert cadence.fingerprints == {}  # no `:fp` at all: start over


def _answer(fp: str, *names: str) -> Snapshot:
    sections = {FP_SECTION: Section(FP_SECTION, "ok", text=fp)}
    sections.update({n: Section(n, "ok", text=f"{n} body", probe=n) for n in names})
    return Snapshot("h", "live", Sections(sections), NOW, 0.0)


def test_held_probes_come_back_only_when_the_host_counted_them() -> None:
    """`kept` must match the held fingerprints the host did not answer: a count that does
    not add up (an answer cut or forged) makes nothing unchanged, and the next refresh
    reads everything."""
    cadence = Cadence()
    cadence.plan([])
    cadence.merge(
        _answer("fp a 1:100:1:1:1\nfp b 1:100:1:1:1\nkept 0\nnow 200", "a", "b"), [], "ab"
    )
    cadence.plan([])
    assert cadence.sent == {"a": "1:100:1:1:1", "b": "1:100:1:1:1"}
    merged = cadence.merge(_answer("kept 2\nclock 200 +0000 UTC\nnow 201"), [], "ab")
    assert [s.text for s in merged.sections.values()] == ["a body", "b body"]
    assert cadence.fingerprints == cadence.sent
    cadence.plan([])
    merged = cadence.merge(_answer("kept 1\nnow 202"), [], "ab")
    assert not merged.sections.by_name and cadence.fingerprints == {}
    _, cached = cadence.plan([])
    assert not [c for c in cached if c.startswith("fp:")]


def test_probes_are_fingerprinted_with_the_paths_their_sections_named() -> None:
    cadence = Cadence()
    cadence.plan([])
    fresh = _answer("fp p 1:1:1:1:1\nkept 0\nnow 9", "p:/etc/ssh/extra.conf", "q")
    fresh.sections.by_name["p:/etc/ssh/extra.conf"] = replace(
        fresh.sections.by_name["p:/etc/ssh/extra.conf"], probe="p"
    )
    cadence.merge(fresh, [], ["p:/etc/ssh/extra.conf", "p"])
    assert cadence.extra_watch() == {"p": ["/etc/ssh/extra.conf", "/etc/ssh"]}
    assert (
        named_paths(
            {
                "a:/proc/1/maps": Section("a:/proc/1/maps", "ok", probe="a"),
                "a:/x\nrm": Section("a:/x\nrm", "ok", probe="a"),
                "a:rel": Section("a:rel", "ok", probe="a"),
                "b:/etc/b": Section("b:/etc/b", "ok", probe="b"),
            },
            frozenset("a"),
        )
        == {}
    )


def test_held_sections_go_back_where_their_probe_ran() -> None:
    held = {
        "p1": Section("p1", "ok", probe="P"),
        "q1": Section("q1", "ok", probe="Q"),
        "q2": Section("q2", "ok", probe="Q"),
    }
    fresh = {"r1": Section("r1", "ok", probe="R"), "s1": Section("s1", "ok", probe="S")}
    out = _reinsert(fresh, held, {"Q"}, ["P", "R", "Q", "S"])
    assert list(out) == ["r1", "q1", "q2", "s1"]


def test_fingerprint_helpers() -> None:
    report = parse_fp("fp a 3:17:1:2:3\nkept 4\nfp b bad fp\nclock 20 +0000 UTC\nnow 20")
    assert report.fps == {"a": "3:17:1:2:3"} and report.kept == 4 and report.now == 20
    assert parse_fp("fp a 1:1:1:1:1").kept is None
    assert fp_ctime("3:17:1:2:3") == 17 and fp_ctime("junk") > 10**15


#: Watched probes that run a command, and why its answer follows their fingerprint.
_COMMANDS_FOLLOW = {
    "init.run": "runlevel reads /run/utmp, one of /run's entries",
    "packages.pacman": "pidof, only while db.lck (watched) is there",
    "packages.portage": "pidof, only while mtimedb (watched) names a merge",
}


@pytest.mark.parametrize("probe", WATCHED, ids=lambda p: p.name)
def test_watched_probes_read_what_their_fingerprint_covers(probe) -> None:
    """A command's output has no ctime that moves with it, nor has a kernel file's content:
    every path a watched probe reads is stat'd (a file), a content token (/proc, /sys),
    or fixed until the next boot (`steady`)."""
    watched = set(watch_paths(probe))
    for path in declared_paths(probe):
        kernel = path.startswith(("/proc/", "/sys/"))
        covered = path in probe.steady or ("@" + path if kernel else path) in watched
        assert covered or path in probe.watch, path
    commands = "emit_cmd" in probe.script or "emit_quick" in probe.script
    assert not commands or probe.name in _COMMANDS_FOLLOW


def test_probes_run_every_refresh_use_only_the_early_helpers() -> None:
    """They run before the late helpers are read (the early stop)."""
    late = _prelude(part="late")
    late_functions = set(re.findall(r"^([a-z_]+)\(\) \{", late, re.M))
    assert "emit_elf" in late_functions
    for probe in ALL_PROBES:
        if probe.watch:
            continue
        used = {f for f in late_functions if re.search(rf"\b{f}\b", probe.script)}
        assert not used, (probe.name, used)


def test_a_refresh_that_finds_nothing_changed_stops_before_the_bodies(
    shell: str, tmp_path: Path
) -> None:
    """The early stop: only the probes that run every refresh answer, DONE comes, and the
    shell never reads the rest (a marker after the stop is never run)."""
    root = _tree(tmp_path)
    time.sleep(2.1)
    cadence = Cadence()
    for _ in range(3):
        _, same = _refresh(cadence, root, shell)
    assert same == {p.name for p in WATCHED}
    _, cached = cadence.plan(WATCHED)
    built = build_script(
        WATCHED, mode=Mode.LIVE, cached=cached, incremental=True,
        extra_watch=cadence.extra_watch(),
    )  # fmt: skip
    script = _retarget(built.script, root)
    head, stop, tail = script.partition("\nif _fp_none; then")
    assert stop and "emit_elf()" in tail and "emit_elf()" not in head
    marker = tmp_path / "read-past-the-stop"
    script += f": > {shlex.quote(str(marker))}\n"
    out = subprocess.run(
        [*shell.split(), "-s"], input=script.encode(), capture_output=True, timeout=60
    )
    result = split_output(out.stdout, built.boundary)
    assert result.complete and list(result.sections) == [FP_SECTION]
    assert not marker.exists()


def test_bash_without_a_whole_block_dd_reads_the_script_as_it_comes(tmp_path: Path) -> None:
    """bash reads the early part with one `dd iflag=fullblock`; a dd that refuses the flag
    (it reads nothing) leaves bash to read the same text byte by byte: same answer. A fake
    dd: an old dd cannot be had here for real."""
    if shutil.which("bash") is None:
        pytest.skip("no bash")
    root = _tree(tmp_path / "t")
    fake = tmp_path / "bin"
    fake.mkdir()
    real = shutil.which("dd")
    (fake / "dd").write_text(
        '#!/bin/sh\ncase $* in *fullblock*) echo "dd: invalid input flag" >&2; exit 1 ;; esac\n'
        f'exec {real} "$@"\n'
    )
    (fake / "dd").chmod(0o755)
    built = build_script(WATCHED, mode=Mode.LIVE, cached=(), incremental=True)
    script = _retarget(built.script, root)
    assert "iflag=fullblock" in script
    answers = []
    for path in (os.environ["PATH"], f"{fake}:{os.environ['PATH']}"):
        out = subprocess.run(
            ["bash", "-s"], input=script.encode(), capture_output=True, timeout=60,
            env={**os.environ, "PATH": path},
        )  # fmt: skip
        result = split_output(out.stdout, built.boundary)
        assert result.complete, result.issues
        answers.append([(n, s.state) for n, s in result.sections.items() if n != FP_SECTION])
    assert answers[0] == answers[1] and len(answers[0]) > 50
