"""Serial console text -> the outcome of a boot, and the line that proves it.

Why patterns on the console: it is the one thing every stage of a boot writes to (GRUB on
its serial terminal, the kernel, the initramfs, PID 1, getty), and it is what an admin at
a serial console would read. Each rule is a line pattern whose appearance makes the
outcome CERTAIN, so the runner can stop qemu at once; `final` judges a console when qemu
stopped by itself (power-off, reboot with -no-reboot) or the time ran out.

Outcome classes (multi-user reached or not is what the verdict is checked against):
- booted: a getty's `login:` prompt on ttyS0 (systemd's serial-getty, inittab's T0).
- no-init: the kernel panicked because PID 1 could not run or died at once.
- kernel-panic: any other kernel panic (e.g. no root filesystem without an initramfs).
- initramfs-shell: initramfs-tools gave up (root or /usr not found, no init) and opened
  its `(initramfs)` BusyBox shell.
- init-shell: a plain shell became PID 1 (initramfs-tools falls back to /bin/sh when the
  requested init is not executable; `init=/bin/sh`).
- emergency / rescue: systemd's emergency or rescue mode; sysvinit's sulogin (emergency
  when a boot script gave up first, e.g. a failed fsck; rescue otherwise: the
  single-user runlevel, initdefault S or 1).
- grub-error: GRUB stopped: `grub rescue>`, a bare `grub>` prompt (no grub.cfg), or an
  error followed by "Press any key to continue".
- poweroff / reboot: the system went down by itself (qemu runs with -no-reboot, so a
  reboot ends it: in real life that host loops).
- runlevel-prompt: sysvinit without a usable inittab asks which runlevel to enter.
- hang: none of the above before the timeout, or PID 1 said it stopped for good
  (systemd's "Freezing execution.": certain at once, no need to wait for the timeout).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Za-z0-9]|\x1b[=>c78]")
KTIME = re.compile(r"^\[\s*\d+\.\d+\] ")
BOOTED = {"booted", "sshd-up", "sshd-down"}


@dataclass(frozen=True)
class Outcome:
    kind: str
    proof: str  # the console line (normalised) that proves `kind`


def normalise(raw: bytes) -> str:
    """Console bytes -> plain lines: escapes and CRs dropped, kernel timestamps cut (they
    differ from boot to boot, so a proof line copied from one log matches the next)."""
    text = ANSI.sub("", raw.decode("utf-8", "replace")).replace("\r", "\n")
    lines = (KTIME.sub("", ln).rstrip() for ln in text.split("\n"))
    return "\n".join(ln for ln in lines if ln.strip())


# (kind, pattern) in priority order; the first rule whose pattern is found decides. A
# panic outranks what came before it; GRUB's prompts come before any kernel output.
CERTAIN: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "no-init",
        re.compile(
            r"^.*Kernel panic - not syncing: (No working init found|"
            r"Attempted to kill init|Requested init \S+ failed).*$",
            re.M,
        ),
    ),
    ("kernel-panic", re.compile(r"^.*Kernel panic - not syncing:.*$", re.M)),
    ("grub-error", re.compile(r"^.*grub rescue>.*$", re.M)),
    ("grub-error", re.compile(r"^error: .*(?=(?:\n.*){0,4}\nPress any key to continue)", re.M)),
    ("grub-error", re.compile(r"^grub> ?$", re.M)),
    ("initramfs-shell", re.compile(r"^\(initramfs\) ?$", re.M)),
    ("emergency", re.compile(r"^.*You are in emergency mode.*$", re.M)),
    ("rescue", re.compile(r"^.*You are in rescue mode.*$", re.M)),
    ("runlevel-prompt", re.compile(r"^.*Enter runlevel:.*$", re.M)),
    ("booted", re.compile(r"^.*\blogin: ?$", re.M)),
    ("hang", re.compile(r"^.*systemd\[1\]: Freezing execution\.$", re.M)),
)
GRUB_ERROR = re.compile(r"^error: .*?(?=Loading |$)", re.M)
INITRAMFS_WHY = re.compile(
    r"^(?:ALERT!.*|Gave up waiting for .*|No init found.*|"
    r"Target filesystem doesn't have requested .*)$",
    re.M,
)
SULOGIN = re.compile(
    r"^.*(Give root password for maintenance|root account is locked|Press Enter for maintenance)"
    r".*$",
    re.M,
)
# Before sulogin, what makes it an emergency (sysvinit's checkfs/mountall giving up)
# rather than the single-user runlevel (initdefault S/1, `single`: rcS, then sulogin).
MAINTENANCE_AFTER_FAILURE = re.compile(
    r"maintenance shell will now be started|File system check failed|failed \(code \d+\)"
)
SHELL_AS_INIT = re.compile(r"^.*(can't access tty; job control turned off).*$", re.M)
DOWN = (
    ("poweroff", re.compile(r"^.*reboot: (Power down|System halted).*$", re.M)),
    ("reboot", re.compile(r"^.*reboot: Restarting system.*$", re.M)),
)


def certain(console: str) -> Outcome | None:
    """The outcome, once the console makes it certain; None while the boot goes on."""
    for kind, pattern in DOWN:
        if m := pattern.search(console):
            return Outcome(kind, m.group(0).strip())
    found: list[tuple[int, Outcome]] = []
    for kind, pattern in CERTAIN:
        if m := pattern.search(console):
            if kind in ("no-init", "kernel-panic") and "end Kernel panic" not in console:
                return None  # wait for the whole panic message (the proof line is in it)
            if kind == "grub-error":
                first = GRUB_ERROR.search(console)  # the first error is the cause
                return Outcome(kind, (first or m).group(0).strip())
            if kind in ("no-init", "kernel-panic"):
                return Outcome(kind, m.group(0).strip())
            line = m.group(0)
            if kind == "initramfs-shell" and (why := INITRAMFS_WHY.findall(console)):
                line = why[-1]  # the reason initramfs-tools gave, the line before its shell
            found.append((console.find(line), Outcome(kind, line.strip())))
    if m := SULOGIN.search(console):
        failed = MAINTENANCE_AFTER_FAILURE.search(console[: m.start()])
        kind = "emergency" if failed else "rescue"
        found.append((m.start(), Outcome(kind, m.group(0).strip())))
    if m := SHELL_AS_INIT.search(console):
        found.append((m.start(), Outcome("init-shell", m.group(0).strip())))
    if not found:
        return None
    return min(found, key=lambda f: f[0])[1]  # the first thing that happened decides


def final(console: str) -> Outcome:
    """The outcome of a console whose qemu has stopped, or whose time ran out."""
    got = certain(console)
    if got is not None:
        return got
    last = console.strip().splitlines()[-1:] or ["(empty console)"]
    return Outcome("hang", last[0].strip())
