"""One live VM: a cached disk booted under qemu TCG, reached over SSH on 127.0.0.1 only.

Network: `-nic user,restrict=on,hostfwd=tcp:127.0.0.1:PORT-:22`: the guest can reach
nothing (not even this machine), and the only way in is the forwarded port on loopback.
The qemu command is the oracle runner's (tests/boot/oracle/runner.command, boot through
the disk's own MBR and GRUB) with two changes: no `-no-reboot` (a reboot inside the guest
must boot the disk again, as on a real host, so "did it come back?" can be watched), and
`snapshot=on` on the drive (the cached disk is never written).

The console goes to a file, read with the oracle's classifier (tests/boot/oracle/classify),
so "did it come back" is read from the same lines the oracle judges boots by: `login:` on
ttyS0 and an SSH banner, or the panic/shell/emergency line that says why not.

Admin commands run with the real OpenSSH client, verifying the guest's host key against
the known_hosts file the test wrote (StrictHostKeyChecking=yes), never ignoring it.
"""

from __future__ import annotations

import ctypes
import os
import shlex
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.boot.oracle import classify, runner
from tests.live.images import Disk, client_key

BOOT_TIMEOUT = 420.0  # s: TCG on a loaded 2-core machine (GRUB + kernel + init + sshd)
POLL = 0.5


def _die_with_parent() -> None:
    """In the child before exec: the kernel sends qemu SIGTERM if the test process dies
    (killed by a CI timeout, say), when no finalizer can run."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@dataclass(frozen=True)
class Watch:
    """What a boot (or a reboot) showed: the console outcome, its line, the banner."""

    outcome: str  # classify's kinds ("booted", "init-shell", ...) or "hang"
    proof: str
    banner: str
    seconds: float


@dataclass
class Vm:
    disk: Disk
    workdir: Path
    name: str = ""
    port: int = 0
    proc: subprocess.Popen[bytes] | None = None
    boots: list[Watch] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.name = self.name or f"live-{self.disk.variant}"
        self.port = self.port or runner.free_port()
        self.console = self.workdir / "console.log"
        self.home = self.workdir / "home"
        ssh = self.home / ".ssh"
        ssh.mkdir(parents=True, exist_ok=True)
        self.key = client_key()
        self.known_hosts = ssh / "known_hosts"
        self.known_hosts.write_text(f"[127.0.0.1]:{self.port} {self.disk.host_key}\n")
        (ssh / "config").write_text(
            f"Host {self.name}\n  HostName 127.0.0.1\n  Port {self.port}\n  User root\n"
            f"  IdentityFile {self.key}\n  IdentitiesOnly yes\n"
        )

    # -- qemu ---------------------------------------------------------------------------
    def command(self) -> list[str]:
        cmd = runner.command(self.disk.image, self.console, Path("/"), "grub", (), self.port)
        drive = f"file={self.disk.image},if=virtio,format=raw"
        return [f"{a},snapshot=on" if a == drive else a for a in cmd if a != "-no-reboot"]

    def start(self) -> Watch:
        """Boot and wait for `login:` and sshd's banner; fail with the console if not."""
        self.console.unlink(missing_ok=True)
        self.proc = subprocess.Popen(
            self.command(), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE, preexec_fn=_die_with_parent,
        )  # fmt: skip
        seen = self.watch(0, BOOT_TIMEOUT, want_back=True)
        self.boots.append(seen)
        if seen.outcome != "booted" or not seen.banner:
            raise RuntimeError(
                f"{self.name} did not boot ({seen.outcome}: {seen.proof}) {self.died()}:\n"
                + self.tail()
            )
        return seen

    def stop(self) -> None:
        """qemu stopped whatever state the guest is in (SIGTERM, then SIGKILL)."""
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def died(self) -> str:
        """Why qemu is gone, if it is: its exit status and last stderr line (a SIGTERM
        from another process says `terminating on signal 15 from pid N`)."""
        proc = self.proc
        if proc is None or proc.poll() is None:
            return ""
        err = proc.stderr.read().decode(errors="replace").strip() if proc.stderr else ""
        return f"qemu exited {proc.returncode}: {err.splitlines()[-1] if err else 'no message'}"

    # -- console ------------------------------------------------------------------------
    def raw_console(self) -> bytes:
        return self.console.read_bytes() if self.console.exists() else b""

    def tail(self, n: int = 40) -> str:
        text = classify.normalise(self.raw_console())
        return "\n".join(text.splitlines()[-n:])

    def watch(self, offset: int, within: float, want_back: bool, settle: float = 0.0) -> Watch:
        """Read the console from byte `offset` until its outcome is certain.

        `want_back`: return as soon as `login:` and a banner are seen. Otherwise (a boot
        expected to fail) return once the console shows a certain outcome that is not a
        login, and then keep knocking on the SSH port for `settle` seconds: a banner in that
        time means the host came back after all.
        """
        start = time.monotonic()
        outcome: classify.Outcome | None = None
        while time.monotonic() - start < within:
            if not self.alive:
                break
            console = classify.normalise(self.raw_console()[offset:])
            got = classify.certain(console)
            if got is not None and got.kind == "booted":
                if seen := runner.banner(self.port):
                    return Watch("booted", got.proof, seen, time.monotonic() - start)
            elif got is not None and not want_back:
                outcome = got
                break
            time.sleep(POLL)
        console = classify.normalise(self.raw_console()[offset:])
        outcome = outcome or classify.final(console)
        end = time.monotonic() + settle
        seen = runner.banner(self.port)
        while not seen and time.monotonic() < end:
            time.sleep(2)
            seen = runner.banner(self.port)
        return Watch(outcome.kind, outcome.proof, seen, time.monotonic() - start)

    # -- ssh ----------------------------------------------------------------------------
    def ssh_argv(self, command: str) -> list[str]:
        return [
            "ssh", "-F", "none", "-i", str(self.key), "-p", str(self.port),
            "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes",
            "-o", "StrictHostKeyChecking=yes", "-o", f"UserKnownHostsFile={self.known_hosts}",
            "-o", "ConnectTimeout=20", "-o", "ServerAliveInterval=10",
            "root@127.0.0.1", command,
        ]  # fmt: skip

    def ssh(self, command: str, timeout: float = 120, check: bool = True) -> str:
        """Run a shell command on the guest as root; its stdout (stderr joins a failure)."""
        proc = subprocess.run(
            self.ssh_argv(command), capture_output=True, text=True, timeout=timeout,
            stdin=subprocess.DEVNULL, check=False,
        )  # fmt: skip
        if check and proc.returncode != 0:
            raise AssertionError(
                f"{self.name}: `{command}` exited {proc.returncode}: {proc.stdout}{proc.stderr}"
            )
        return proc.stdout

    def ssh_detached(self, command: str) -> None:
        """Start `command` on the guest and return at once (it outlives the session)."""
        quoted = shlex.quote(command)
        self.ssh(f"nohup setsid sh -c {quoted} >/dev/null 2>&1 </dev/null &", timeout=60)

    def reboot(self) -> int:
        """Reboot the guest for real, without asking its init: `sync` (which waits for the
        disk, unlike sysrq `s`), then sysrq `b`: the kernel resets the machine at once, and
        an init that is gone cannot refuse. Returns the console offset the next boot
        starts at."""
        offset = len(self.raw_console())
        self.ssh_detached("sleep 1; sync; echo b > /proc/sysrq-trigger")
        deadline = time.monotonic() + 60
        while runner.banner(self.port) and time.monotonic() < deadline:
            time.sleep(0.5)
        return offset

    def env(self) -> dict[str, str]:
        """The environment `cockpit` runs in: this VM's ssh config and known_hosts only."""
        env = {k: v for k, v in os.environ.items() if k != "SSH_AUTH_SOCK"}
        env["HOME"] = str(self.home)
        return env
