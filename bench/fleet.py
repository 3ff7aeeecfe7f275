"""A fleet at full speed: cockpit against a bare asyncssh loop, OpenSSH and Ansible.

N simulated hosts are N aliases (host0..hostN-1) in a generated ssh_config, all pointing
at ONE real sshd on 127.0.0.1 started here with a throw-away key and limits raised for the
load. Every tool runs the same collector script (cockpit's, ~100 KB) on every host. Each
measurement runs in its own Python process so CPU and peak RSS are its own.

    python bench/fleet.py [--n 1 10 100 500] [--skip-ansible] [--canned]

With real collectors (the default) this machine also plays all N hosts, so at large N the
client's wall time says little: it waits for N collectors sharing two cores. `--canned`
gives the sshd a ForceCommand that replays this machine's collector output, recorded at
start through cockpit's own path: a first refresh's answer, or a steady one ("nothing
changed", for a client that sends fingerprints), with the client's boundary put in. A host
then costs one awk, and what is measured is the client.

Prints, per N: tool, hosts (real or canned), first refresh wall, steady refresh wall (open
connections), client CPU of the steady refresh and of the whole run, peak RSS, stdout bytes
per host per steady refresh (cockpit: counted at its exec channels; the bare loop: its
stdout), and the ratios the issue's targets are stated in. Cockpit's steady refresh is
checked to have been taken as "nothing changed" (a WARNING otherwise). Not a test.
COCKPIT_BENCH_WARMUP=1 (real hosts): one more cockpit refresh before the measured steady
one, since a real host's second refresh also reads the probes whose named paths the first
one learned.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from cockpit.collector import build_script, split_output  # noqa: E402
from cockpit.collector.cadence import Cadence  # noqa: E402
from cockpit.probes import ALL_PROBES  # noqa: E402
from cockpit.snapshot import Snapshot  # noqa: E402
from cockpit.words import Mode  # noqa: E402

SSHD = "/usr/sbin/sshd"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LoopbackSshd:
    """One real sshd on 127.0.0.1 for the whole benchmark, limits raised for N hosts."""

    def __init__(self, workdir: Path, force_command: str | None = None) -> None:
        self.dir = workdir
        self.force_command = force_command  # canned hosts: every exec replays a recording
        self.port = free_port()
        self.key = workdir / "client_key"
        self.known_hosts = workdir / "known_hosts"
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> LoopbackSshd:
        d = self.dir
        subprocess.run(
            ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", d / "host_key"], check=True
        )
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", self.key], check=True)
        (d / "authorized_keys").write_text((d / "client_key.pub").read_text())
        config = (
            f"Port {self.port}\nListenAddress 127.0.0.1\nHostKey {d / 'host_key'}\n"
            f"AuthorizedKeysFile {d / 'authorized_keys'}\nPidFile {d / 'sshd.pid'}\n"
            "PermitRootLogin prohibit-password\nPasswordAuthentication no\nUsePAM no\n"
            "StrictModes no\nMaxStartups 2000:30:4000\nMaxSessions 100\nLogLevel ERROR\n"
            "UseDNS no\nPrintMotd no\n"
        )
        if self.force_command:
            config += self.canned_config()
        (d / "sshd_config").write_text(config)
        os.makedirs("/run/sshd", exist_ok=True)
        self.proc = subprocess.Popen([SSHD, "-D", "-e", "-f", str(d / "sshd_config")])
        host_pub = (d / "host_key.pub").read_text().split()
        self.known_hosts.write_text(f"[127.0.0.1]:{self.port} {host_pub[0]} {host_pub[1]}\n")
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        return self

    def canned_config(self) -> str:
        """The sshd_config lines of canned hosts. SHLVL=1: root's shell (bash here) runs
        the ForceCommand with `-c`, and a top-level bash started by sshd sources ~/.bashrc
        first (this machine's runs `pyenv init`: ~80 ms and ~170 processes an exec); a
        shell one level down skips it, so the host side of an exec is the replay's awk."""
        return f"ForceCommand {self.force_command}\nSetEnv SHLVL=1\n"

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=10)

    def ssh_config(self, n: int) -> Path:
        path = self.dir / f"ssh_config.{n}"
        blocks = [
            f"Host host{i}\n  HostName 127.0.0.1\n  Port {self.port}\n  User root\n"
            f"  IdentityFile {self.key}\n  IdentitiesOnly yes\n"
            f"  UserKnownHostsFile {self.known_hosts}\n  StrictHostKeyChecking yes\n"
            for i in range(n)
        ]
        path.write_text("\n".join(blocks))
        return path

    def ansible_inventory(self, n: int) -> Path:
        path = self.dir / f"inventory.{n}.ini"
        lines = ["[all]"] + [
            f"host{i} ansible_host=127.0.0.1 ansible_port={self.port} ansible_user=root "
            f"ansible_ssh_private_key_file={self.key}"
            for i in range(n)
        ]
        path.write_text("\n".join(lines) + "\n")
        return path


# --- canned hosts: a recorded collector output, replayed by the sshd ---------------------

#: Stands for the per-run boundary in a recorded output; the replay puts the client's back.
#: As long as a boundary, so a recording is as many bytes as the answers replayed from it.
_BOUNDARY_LEN = len(build_script([], mode=Mode.LIVE).boundary)
PLACEHOLDER = f"==CANNED-{'@' * (_BOUNDARY_LEN - 11)}=="
#: The forced command's replay. Reads the script on stdin only up to its `B=` and
#: `CACHED=` lines (the header's first lines), answers with the steady recording when
#: CACHED holds `fp:` words (the client sent fingerprints: a refresh on open state) and
#: the full one otherwise, each framing line given the client's boundary. The `:fp`
#: section's `kept K` (the fp: words the host found unchanged) moves by as many words as
#: the client sent more than the recording's client did (SENT): the same K when the two
#: sent the same fingerprints, as they do here. (K is not simply the words sent: a probe
#: not due this refresh, its `every`, is not fingerprinted, yet its word is sent.)
#: Then it reads stdin to its end: the client's write of the script never meets a closed
#: channel. One awk process, no shell pipeline: the host side costs ~nothing.
REPLAY_AWK = r"""
BEGIN { P = "@@P@@"; LP = length(P); SENT = @@SENT@@ }
done { next }
B == "" && /^B='/ { B = substr($0, 4, length($0) - 4); next }
B != "" && /^CACHED=/ {
	c = substr($0, 8); gsub(/'/, "", c)
	n = split(c, w, " "); k = 0
	for (i = 1; i <= n; i++) if (substr(w[i], 1, 3) == "fp:") k++
	emit(k ? "@@STEADY@@" : "@@FULL@@", k); done = 1; next
}
NR > 20 { exit 1 }
function emit(file, k,   line, infp, end) {
	end = B " END "
	while ((getline line < file) > 0) {
		if (substr(line, 1, LP) == P) {
			line = B substr(line, LP + 1)
			if (line == B " BEGIN :fp") infp = 1
			else if (substr(line, 1, length(end)) == end) infp = 0
		} else if (k && infp && line ~ /^kept [0-9]+$/) line = "kept " (substr(line, 6) + k - SENT)
		printf "%s\n", line
	}
	close(file); fflush()
}
"""
#: The sshd's ForceCommand (run by root's shell with `-c`): `sh -s` (cockpit, the bare
#: loop, OpenSSH) gets the replay, through gzip when cockpit wraps its collector so
#: (COCKPIT_BENCH_COMPRESS=1, transports/ssh.py); any other command (Ansible's mkdir,
#: upload, rm) runs as it would, and Ansible's uploaded script is itself a replay.
FORCE_SH = """case $SSH_ORIGINAL_COMMAND in
'sh -s') exec awk -f @@AWK@@ ;;
*gzip*'sh -s'*) awk -f @@AWK@@ | gzip -1 ;;
*) exec /bin/sh -c "$SSH_ORIGINAL_COMMAND" ;;
esac
"""


class Recording:
    """This machine's real collector output for a first refresh and for a steady one,
    recorded through cockpit's own path (build_script, Cadence, split_output) so the bytes
    are exactly what a host sends; boundaries replaced by PLACEHOLDER."""

    def __init__(self, full: bytes, steady: bytes, sent: int, sections: int) -> None:
        self.full = full
        self.steady = steady
        self.sent = sent  # fingerprints (fp: words) the steady refresh sent
        self.sections = sections  # a full read's section count

    @classmethod
    def record(cls, attempts: int = 3) -> Recording:
        """Two refreshes of this machine in a row; again if a watched file changed between
        them (the steady recording must be a "nothing changed" answer)."""
        for _ in range(attempts):
            got = cls._record_once()
            if got is not None:
                return got
        raise SystemExit(f"canned: no quiet steady refresh in {attempts} tries")

    @classmethod
    def _record_once(cls) -> Recording | None:
        cadence = Cadence()
        outputs: list[bytes] = []
        names: list[frozenset[str]] = []
        held: set[str] = set()
        for _ in range(2):
            to_run, cached = cadence.plan(ALL_PROBES)
            built = build_script(
                to_run, mode=Mode.LIVE, cached=cached, incremental=cadence.incremental
            )
            ran = subprocess.run(["sh", "-s"], input=built.script.encode(), capture_output=True)
            result = split_output(ran.stdout, built.boundary)
            if not result.complete or result.issues:
                raise SystemExit(f"canned: the collector failed here: {result.issues}")
            held = {w[3:].rpartition("#")[0] for w in cached if w.startswith("fp:")}
            if held & {s.probe for s in result.sections.by_name.values()}:
                return None  # a watched probe was read again: something changed
            started = datetime.now(timezone.utc)
            snap = Snapshot("canned", Mode.LIVE, result.sections, started, 0.0)
            merged = cadence.merge(
                snap, [p for p in ALL_PROBES if p not in to_run], [p.name for p in to_run]
            )
            outputs.append(cls._placeheld(ran.stdout, built.boundary))
            # (as a set: sections of a probe not due this refresh are carried at the end)
            names.append(frozenset(merged.sections.by_name))
        if not held or names[0] != names[1] or len(cadence.fingerprints) < len(held):
            return None
        return cls(outputs[0], outputs[1], len(held), len(names[0]))

    @staticmethod
    def _placeheld(raw: bytes, boundary: str) -> bytes:
        """`raw` with PLACEHOLDER for the boundary, which may only open lines (framing)."""
        mark = boundary.encode()
        if raw.count(mark) != raw.count(b"\n" + mark) + raw.startswith(mark):
            raise SystemExit("canned: the boundary appears inside a line of the output")
        return raw.replace(mark, PLACEHOLDER.encode())

    def install(self, workdir: Path) -> tuple[str, Path]:
        """Write the recordings and the replay into `workdir`: the sshd's ForceCommand, and
        the script Ansible uploads instead of the collector. The replay is checked here
        first: a full and a steady answer, byte for byte."""
        paths = {name: workdir / f"canned.{name}" for name in ("full", "steady", "awk", "sh")}
        if any(c in str(workdir) for c in "'\" \\\n$`"):
            raise SystemExit(f"canned: {workdir} cannot be quoted simply")
        paths["full"].write_bytes(self.full)
        paths["steady"].write_bytes(self.steady)
        awk = REPLAY_AWK.replace("@@P@@", PLACEHOLDER).replace("@@SENT@@", str(self.sent))
        awk = awk.replace("@@FULL@@", str(paths["full"]))
        paths["awk"].write_text(awk.replace("@@STEADY@@", str(paths["steady"])))
        paths["sh"].write_text(FORCE_SH.replace("@@AWK@@", str(paths["awk"])))
        self._check(paths["awk"])
        # Ansible's `script` module runs an uploaded file, not `sh -s`: this one replays
        # the full recording, its own header being what the replay reads (no fp: words).
        ansible = workdir / "canned-collector.sh"
        boundary = build_script([], mode=Mode.LIVE).boundary
        ansible.write_text(
            "# cockpit collector, canned (bench/fleet.py --canned)\n"
            f"B='{boundary}'\nCACHED=''\nexec awk -f {paths['awk']} \"$0\"\n"
        )
        return f". {paths['sh']}", ansible

    def _check(self, awk: Path) -> None:
        """The replay's answers to a first and a steady script are the recordings, with the
        script's boundary, byte for byte."""
        steady_cached = [f"fp:probe{i}#1:2:3:4:5" for i in range(self.sent)]
        for cached, want in (([], self.full), (steady_cached, self.steady)):
            built = build_script([], mode=Mode.LIVE, cached=cached)
            got = subprocess.run(
                ["awk", "-f", str(awk)], input=built.script.encode(), capture_output=True
            ).stdout
            if got != want.replace(PLACEHOLDER.encode(), built.boundary.encode()):
                raise SystemExit(f"canned: the replay is not byte-exact ({awk})")


# --- workers: each runs in its own process and prints one JSON line ----------------------


def usage() -> dict[str, float]:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "cpu": me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime,
        "rss_mb": max(me.ru_maxrss, kids.ru_maxrss) / 1024,
    }


async def bare_asyncssh(cfg: Path, n: int, script: str) -> dict[str, float]:
    """Connect and run the collector once per host, no parsing: the reference loop."""
    import asyncssh

    gate = asyncio.Semaphore(8)  # the same handshake bound cockpit uses

    async def connect(i: int) -> asyncssh.SSHClientConnection:
        async with gate:
            return await asyncssh.connect(f"host{i}", config=[str(cfg)])

    async def run(conn: asyncssh.SSHClientConnection) -> int:
        result = await conn.run("sh -s", input=script.encode(), encoding=None)
        return len(result.stdout or b"")

    t0 = time.perf_counter()
    conns = await asyncio.gather(*(connect(i) for i in range(n)))
    await asyncio.gather(*(run(c) for c in conns))
    first = time.perf_counter() - t0
    t1 = time.perf_counter()
    c1 = resource.getrusage(resource.RUSAGE_SELF)
    sizes = await asyncio.gather(*(run(c) for c in conns))
    steady = time.perf_counter() - t1
    c2 = resource.getrusage(resource.RUSAGE_SELF)
    steady_cpu = (c2.ru_utime + c2.ru_stime) - (c1.ru_utime + c1.ru_stime)
    for c in conns:
        c.close()
    return {
        "first": first,
        "steady": steady,
        "steady_cpu": steady_cpu,
        "steady_bytes": sum(sizes) / n,
    }


def count_received(tally: list[int]) -> None:
    """Add to tally[0] every stdout byte a collector exec's channel delivers to cockpit, as
    it came over the wire (gzip'd, with COCKPIT_BENCH_COMPRESS=1): the transport's session
    class is wrapped, in this worker process only. Costs one addition per packet."""
    from cockpit.transports import ssh

    class Counting(ssh._CollectSession):
        def data_received(self, data: bytes, datatype: object) -> None:
            if datatype is None:  # stdout (stderr is EXTENDED_DATA_STDERR)
                tally[0] += len(data)
            super().data_received(data, datatype)  # type: ignore[arg-type]

    ssh._CollectSession = Counting  # type: ignore[misc]


async def cockpit_fleet(cfg: Path, known_hosts: Path, n: int) -> dict[str, Any]:
    """cockpit's own path: pool + collect (cadence) + parse (memo) + judge, all hosts."""
    from cockpit.collector.cadence import Cadence
    from cockpit.engine import judge_snapshot
    from cockpit.hostspec import HostSpec
    from cockpit.parsers import ParseMemo
    from cockpit.transports import CollectError, collect
    from cockpit.transports.ssh import SshPool, SshTransport

    # cockpit reads known_hosts itself (to tell an unknown key from a changed one).
    # One 2-core machine plays all N hosts: at N=500 a host's shell may wait far longer for
    # CPU than a real host ever would, so the stall and run bounds are raised to match the
    # bare loop, which has none; hosts that still fail are counted, not fatal.
    # COCKPIT_BENCH_COMPRESS=1 measures the gzip'd stream (SshOptions.compress, off by default).
    compress = os.environ.get("COCKPIT_BENCH_COMPRESS") == "1"
    pool = SshPool(
        config=[str(cfg)], known_hosts=str(known_hosts), stall_timeout=600.0, compress=compress
    )
    received = [0]
    count_received(received)
    specs = [HostSpec(name=f"host{i}", kind="ssh", address=f"host{i}") for i in range(n)]
    cadences = {s.name: Cadence() for s in specs}
    memos = {s.name: ParseMemo() for s in specs}
    transports = [SshTransport(s, pool) for s in specs]

    async def refresh(t: SshTransport) -> str:
        try:
            snap = await collect(t, ALL_PROBES, timeout=900, cadence=cadences[t.spec.name])
        except CollectError as exc:
            return f"error:{exc.category}"
        return judge_snapshot(snap, memo=memos[t.spec.name]).verdict

    t0 = time.perf_counter()
    first_verdicts = await asyncio.gather(*(refresh(t) for t in transports))
    first = time.perf_counter() - t0
    if os.environ.get("COCKPIT_BENCH_WARMUP") == "1":
        # Real hosts: the second refresh also fingerprints the paths the first one's
        # sections named (cadence.named_paths), so those probes are read once more; the
        # steady state is the refresh after it. (Canned hosts answer "unchanged" at once.)
        await asyncio.gather(*(refresh(t) for t in transports))
    after_first = {name: held(c) for name, c in cadences.items()}
    received[0] = 0
    # COCKPIT_BENCH_PROFILE=FILE: cProfile stats of the steady refresh alone (pstats file).
    profile_to = os.environ.get("COCKPIT_BENCH_PROFILE")
    profiler = cProfile.Profile(time.process_time) if profile_to else None
    t1 = time.perf_counter()
    c1 = resource.getrusage(resource.RUSAGE_SELF)
    if profiler is not None:
        profiler.enable()
    steady_verdicts = await asyncio.gather(*(refresh(t) for t in transports))
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(profile_to)
    steady = time.perf_counter() - t1
    c2 = resource.getrusage(resource.RUSAGE_SELF)
    steady_cpu = (c2.ru_utime + c2.ru_stime) - (c1.ru_utime + c1.ru_stime)
    steady_bytes = received[0] / n
    await pool.close()
    errors = sum(v.startswith("error") for v in (*first_verdicts, *steady_verdicts))
    check = steady_check(after_first, {name: held(c) for name, c in cadences.items()})
    return {
        "first": first,
        "steady": steady,
        "steady_cpu": steady_cpu,
        "steady_bytes": steady_bytes,
        "errors": errors,
        "check": check,
    }


def held(cadence: Cadence) -> tuple[frozenset[str], int]:
    """What a host's refresh state holds: its snapshot's section names (a set: a probe not
    due this refresh is carried at the end) and how many fingerprints."""
    names = frozenset(cadence.previous.sections.by_name) if cadence.previous else frozenset()
    return names, len(cadence.fingerprints)


def steady_check(
    first: dict[str, tuple[frozenset[str], int]], steady: dict[str, tuple[frozenset[str], int]]
) -> str:
    """Empty if every host's steady refresh was taken as "nothing changed": fingerprints
    held before and still held after, and the same sections as the first (full) refresh.
    Otherwise what went wrong, and on how many hosts (the table prints it as a warning)."""
    wrong = {
        "no fingerprints after the first refresh": sum(not f[1] for f in first.values()),
        "fingerprints dropped by the steady refresh": sum(
            steady[h][1] < f[1] for h, f in first.items()
        ),
        "steady sections differ from the first refresh's": sum(
            steady[h][0] != f[0] for h, f in first.items()
        ),
    }
    return "; ".join(f"{what} on {count} hosts" for what, count in wrong.items() if count)


def openssh_xargs(cfg: Path, n: int, script_path: Path) -> dict[str, float]:
    hosts = "\n".join(f"host{i}" for i in range(n))
    cmd = f"ssh -F {cfg} -o BatchMode=yes {{}} sh -s < {script_path} > /dev/null"
    t0 = time.perf_counter()
    subprocess.run(["xargs", "-P", "50", "-I{}", "sh", "-c", cmd], input=hosts.encode(), check=True)
    return {"first": time.perf_counter() - t0}


def ansible_script(
    inventory: Path, known_hosts: Path, n: int, script_path: Path
) -> dict[str, float]:
    env = {
        **os.environ,
        "ANSIBLE_HOST_KEY_CHECKING": "True",
        "ANSIBLE_SSH_ARGS": f"-o UserKnownHostsFile={known_hosts} -o ControlMaster=no",
        "ANSIBLE_PYTHON_INTERPRETER": "auto_silent",
        "ANSIBLE_STDOUT_CALLBACK": "minimal",
    }
    t0 = time.perf_counter()
    subprocess.run(
        [
            "ansible",
            "all",
            "-i",
            str(inventory),
            "-m",
            "script",
            "-a",
            str(script_path),
            "-f",
            "50",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        check=False,
    )
    return {"first": time.perf_counter() - t0}


def worker(args: argparse.Namespace) -> None:
    cfg, n = Path(args.cfg), args.n[0]
    script_path = Path(args.script)
    if args.worker == "cockpit":
        out = asyncio.run(cockpit_fleet(cfg, Path(args.known_hosts), n))
    elif args.worker == "asyncssh":
        out = asyncio.run(bare_asyncssh(cfg, n, script_path.read_text()))
    elif args.worker == "openssh":
        out = openssh_xargs(cfg, n, script_path)
    else:
        out = ansible_script(Path(args.inventory), Path(args.known_hosts), n, script_path)
    print(json.dumps({**out, **usage()}))


# --- driver ------------------------------------------------------------------------------


def run_worker(tool: str, n: int, sshd: LoopbackSshd, script: Path) -> dict[str, Any]:
    cmd = [
        sys.executable, __file__, "--worker", tool, "--n", str(n),
        "--cfg", str(sshd.ssh_config(n)), "--script", str(script),
        "--inventory", str(sshd.ansible_inventory(n)), "--known-hosts", str(sshd.known_hosts),
    ]  # fmt: skip
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
    try:
        return dict(json.loads(proc.stdout.strip().splitlines()[-1]))
    except (IndexError, ValueError):
        raise SystemExit(f"{tool} N={n} failed:\n{proc.stderr[-2000:]}") from None


def cell(r: dict[str, Any], key: str, width: int, form: str) -> str:
    """One table cell: the value formatted, or `-` where the tool has no such number."""
    return f"{r[key]:{width}{form}}" if key in r else f"{'-':>{width}s}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, nargs="*", default=[1, 10, 100, 500])
    parser.add_argument("--skip-ansible", action="store_true")
    parser.add_argument(
        "--canned",
        action="store_true",
        help="hosts replay a recorded collector output instead of running it",
    )
    parser.add_argument("--tools", nargs="*", help="subset of: cockpit asyncssh openssh ansible")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--cfg", help=argparse.SUPPRESS)
    parser.add_argument("--script", help=argparse.SUPPRESS)
    parser.add_argument("--inventory", help=argparse.SUPPRESS)
    parser.add_argument("--known-hosts", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return
    tools = args.tools or ["cockpit", "asyncssh", "openssh"]
    if not args.skip_ansible and not args.tools:
        if shutil.which("ansible") is None:
            raise SystemExit("ansible not found: pip install ansible-core (or --skip-ansible)")
        tools.append("ansible")
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "collector.sh"
        script.write_text(build_script(ALL_PROBES, mode=Mode.LIVE).script)
        ansible_script, force, mode = script, None, "real"
        print(f"collector: {script.stat().st_size} bytes; sshd on loopback; {os.cpu_count()} cores")
        if args.canned:
            recording = Recording.record()
            force, ansible_script = recording.install(Path(tmp))
            mode = "canned"
            print(
                f"hosts: CANNED: the sshd replays this machine's collector output, recorded "
                f"at start (first refresh {len(recording.full)} B, steady {len(recording.steady)}"
                f" B, {recording.sent} fingerprints unchanged); host cost ~one awk"
            )
        else:
            print("hosts: REAL collector: this machine runs every host's collector too")
        print(
            f"{'tool':10s} {'hosts':6s} {'N':>4s} {'first s':>8s} {'steady s':>9s} "
            f"{'st.CPU s':>9s} {'CPU s':>7s} {'RSS MB':>7s} {'B/steady':>9s}"
        )
        with LoopbackSshd(Path(tmp), force_command=force) as sshd:
            for n in args.n:
                results = {
                    t: run_worker(t, n, sshd, ansible_script if t == "ansible" else script)
                    for t in tools
                }
                for tool, r in results.items():
                    notes = f"  ({r['errors']:.0f} host errors)" if r.get("errors") else ""
                    if r.get("check"):
                        notes += f"  WARNING steady refresh not taken as unchanged: {r['check']}"
                    print(
                        f"{tool:10s} {mode:6s} {n:4d} {r['first']:8.2f} "
                        f"{cell(r, 'steady', 9, '.2f')} {cell(r, 'steady_cpu', 9, '.2f')} "
                        f"{r['cpu']:7.2f} {r['rss_mb']:7.0f} {cell(r, 'steady_bytes', 9, '.0f')}"
                        f"{notes}"
                    )
                if "cockpit" not in results or "asyncssh" not in results:
                    continue
                base, mine = results["asyncssh"], results["cockpit"]
                ratios = [
                    f"cockpit/asyncssh first {mine['first'] / base['first']:.2f}x",
                    f"steady CPU {mine['steady_cpu'] / max(base['steady_cpu'], 1e-9):.2f}x",
                ]
                for other in ("openssh", "ansible"):
                    if other in results:
                        ratio = results[other]["first"] / mine["first"]
                        ratios.append(f"{other}/cockpit first {ratio:.1f}x")
                print("   ratios: " + ", ".join(ratios))


if __name__ == "__main__":
    main()
