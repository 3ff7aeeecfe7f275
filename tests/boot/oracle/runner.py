"""Boot a disk under qemu (TCG, no network or a restricted user NIC) and watch it.

Why TCG: CI machines have no nested KVM. Why `-smp 1`: under TCG each virtual CPU is a
host thread; measured on this 2-core machine (README.md of this package, "Cost"), one
guest boots as fast with one vCPU as with two, and two single-vCPU guests side by side
boot two roots in little more than the time of one (pipeline.judge_all runs two).
qemu is stopped as soon as the console makes the outcome certain (classify.certain).
`-nographic` (with the serial port sent to a file) also makes SeaBIOS redirect the BIOS
console to the serial port, as a server's BIOS console redirection does: GRUB's messages
before it reads grub.cfg (`grub rescue>`, a bare `grub>`) go through the BIOS and show on
ttyS0 only then.
Network: `-nic none`, or for scenarios about sshd a user-mode NIC with `restrict=on`
(the guest reaches nothing, not even the host) and one forward from a free local port to
the guest's 22: a real SSH banner read on it is the proof sshd came up.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from tests.boot.oracle import classify, layout

# Fixed part of every qemu command line (part of each boot's cache key).
QEMU = [
    "qemu-system-x86_64", "-machine", "pc,accel=tcg", "-smp", "1", "-m", "1024",
    "-nographic", "-monitor", "none", "-parallel", "none", "-no-reboot",
]  # fmt: skip
SSH_GRACE = 20.0  # seconds after `login:` for sshd's banner (records: banner_after_login)
POLL = 0.5


_RUNNING: set[subprocess.Popen[bytes]] = set()
_LOCK = threading.Lock()
STOP = threading.Event()  # set by kill_all: a boot cut short is no observation


class Interrupted(RuntimeError):
    """The run was stopped while this boot went on: nothing may be recorded of it."""


def kill_all() -> None:
    """Kill every qemu this process started and has not reaped yet (an interrupted run:
    the workers' own `finally` may not get to run before the interpreter exits)."""
    STOP.set()
    with _LOCK:
        procs = list(_RUNNING)
    for proc in procs:
        if proc.poll() is None:
            proc.kill()


@dataclass(frozen=True)
class Observation:
    outcome: str
    proof: str
    seconds: float
    console: str
    command: list[str]
    banner_after_login: float | None = None  # ssh boots: how long sshd took after login:
    cpu_seconds: float | None = None  # qemu's CPU time (user + system): the boot's cost on an
    # idle machine, whatever else the machine was running (wall `seconds` is not)


def default_entry(tree: Path) -> tuple[str, str | None, str]:
    """(kernel, initrd or None, command line) of grub.cfg's first menuentry: what GRUB
    boots with GRUB_DEFAULT=0, handed to qemu in direct boots."""
    cfg = (tree / "boot/grub/grub.cfg").read_text()
    entry = cfg[cfg.index("\nmenuentry ") :]
    entry = entry[: entry.find("\n}") + 1 or None]  # that entry alone
    linux = re.search(r"^\s*linux\s+(\S+)\s*(.*)$", entry, re.M)
    initrd = re.search(r"^\s*initrd\s+(\S+)", entry, re.M)
    if not linux:
        raise ValueError("grub.cfg's first entry has no linux line")
    return linux.group(1), initrd.group(1) if initrd else None, linux.group(2).strip()


def banner(port: int) -> str:
    """The SSH banner on 127.0.0.1:port, '' when none (slirp accepts, then drops)."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=3) as s:
            s.settimeout(3)
            data = s.recv(128)
    except OSError:
        return ""
    line = data.split(b"\r\n")[0].decode("ascii", "replace")
    return line if line.startswith("SSH-") else ""


def _cpu(pid: int) -> float | None:
    """CPU seconds (user + system, all threads) process `pid` has used so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


CLK_TCK = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def command(
    image: Path,
    log: Path,
    tree: Path,
    boot: str,
    extra: tuple[str, ...],
    port: int,
    lay: str,
    bus: str = "virtio",
) -> list[str]:
    cmd = [*QEMU, "-serial", f"file:{log}"]
    if bus == "nvme":
        cmd += ["-drive", f"file={image},if=none,id=disk0,format=raw"]
        cmd += ["-device", "nvme,drive=disk0,serial=cockpit0"]
    else:
        cmd += ["-drive", f"file={image},if=virtio,format=raw"]
    if port:
        cmd += ["-nic", f"user,model=virtio-net-pci,restrict=on,hostfwd=tcp:127.0.0.1:{port}-:22"]
    else:
        cmd += ["-nic", "none"]
    if boot == "direct":
        kernel, initrd, cmdline = default_entry(tree)
        cmdline = " ".join([cmdline, *extra])
        # GRUB reads the entry's paths on the filesystem grub.cfg is on: /boot's own
        # partition when the layout has one (its grub.cfg says /vmlinuz-...)
        where = tree / "boot" if "/boot" in layout.separate(lay) else tree
        cmd += ["-kernel", str(where / kernel.lstrip("/"))]
        if initrd is not None:  # an entry without one boots the kernel alone
            cmd += ["-initrd", str(where / initrd.lstrip("/"))]
        cmd += ["-append", cmdline]
    return cmd


def boot(
    image: Path,
    log: Path,
    tree: Path,
    boot: str,
    extra: tuple[str, ...],
    ssh: bool,
    timeout: int,
    lay: str = "root",
    bus: str = "virtio",
) -> Observation:
    """Boot once; return the outcome, its proof line, the time it took, the console."""
    port = free_port() if ssh else 0
    cmd = command(image, log, tree, boot, extra, port, lay, bus)
    log.unlink(missing_ok=True)
    start = time.monotonic()
    with _LOCK:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE)  # fmt: skip
        _RUNNING.add(proc)
    outcome: classify.Outcome | None = None
    login_at = 0.0
    after: float | None = None
    cpu: float | None = None
    try:
        while time.monotonic() - start < timeout:
            if STOP.is_set():
                raise Interrupted("the oracle run was stopped during this boot")
            cpu = _cpu(proc.pid) or cpu  # the last reading before qemu exits or is stopped
            exited = proc.poll() is not None
            console = classify.normalise(log.read_bytes()) if log.exists() else ""
            got = classify.final(console) if exited else classify.certain(console)
            if got is not None and not (ssh and got.kind == "booted"):
                outcome = got
                break
            if got is not None:  # booted, and the scenario is about sshd
                login_at = login_at or time.monotonic()
                if line := banner(port):
                    outcome = classify.Outcome("sshd-up", line)
                    after = round(time.monotonic() - login_at, 1)
                    break
                if time.monotonic() - login_at > SSH_GRACE:
                    failed = re.findall(r"^.*(?:Failed to start|failed!).*$", console, re.M)
                    proof = (
                        failed[-1].strip()
                        if failed
                        else f"no SSH banner {SSH_GRACE:.0f} s after login:"
                    )
                    outcome = classify.Outcome("sshd-down", proof)
                    break
            time.sleep(POLL)
    finally:
        cpu = _cpu(proc.pid) or cpu
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        with _LOCK:
            _RUNNING.discard(proc)
    seconds = time.monotonic() - start
    console = classify.normalise(log.read_bytes()) if log.exists() else ""
    if outcome is None:
        outcome = classify.final(console)
    if proc.returncode not in (0, -15) and not console:
        err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        raise RuntimeError(f"qemu failed ({proc.returncode}): {err}")
    return Observation(
        outcome.kind, outcome.proof, round(seconds, 1), console, cmd, after,
        round(cpu, 1) if cpu is not None else None,
    )  # fmt: skip
