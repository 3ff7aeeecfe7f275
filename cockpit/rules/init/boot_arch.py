"""Is the next boot's init built for the CPU the kernel runs? ("Exec format error")

An init binary for another architecture (a copied aarch64 /sbin/init, a foreign chroot's
files) resolves, is executable and finds its libraries inside the root, and still cannot
be exec'd: the kernel panics. The kernel's architecture is read from the default entry's
kernel release as distributions name it; when it cannot be told, nothing is claimed.
"""

from __future__ import annotations

import re

from cockpit.facts import HostFacts
from cockpit.facts.init import ExecCheck
from cockpit.rules.chain.model import Stage
from cockpit.rules.finding import Finding, Severity
from cockpit.rules.init.finding import finding

#: e_machine values by kernel architecture (what that kernel can exec; compat modes on).
EXECUTABLE_BY: dict[str, frozenset[int]] = {
    "x86_64": frozenset({62, 3}),
    "i386": frozenset({3}),
    "aarch64": frozenset({183, 40}),
    "arm": frozenset({40}),
    "riscv64": frozenset({243}),
    "ppc64le": frozenset({21}),
    "s390x": frozenset({22}),
}
MACHINE_NAMES = {
    62: "x86-64",
    3: "i386",
    183: "aarch64",
    40: "ARM",
    243: "RISC-V",
    21: "PowerPC64",
    22: "s390",
    8: "MIPS",
}

_RELEASE_ARCH = (
    (re.compile(r"(-amd64|\.x86_64|-x86_64)(\b|$)"), "x86_64"),
    (re.compile(r"(-686|-686-pae|\.i686|\.i386)(\b|$)"), "i386"),
    (re.compile(r"(-arm64|\.aarch64|-aarch64)(\b|$)"), "aarch64"),
    (re.compile(r"(-armmp|\.armv7hl)(\b|$)"), "arm"),
    (re.compile(r"(-riscv64|\.riscv64)(\b|$)"), "riscv64"),
    (re.compile(r"(-powerpc64le|\.ppc64le)(\b|$)"), "ppc64le"),
    (re.compile(r"(-s390x|\.s390x)(\b|$)"), "s390x"),
)


def kernel_arch(release: str | None) -> str | None:
    if not release:
        return None
    for pattern, arch in _RELEASE_ARCH:
        if pattern.search(release):
            return arch
    return None


def arch_findings(facts: HostFacts, check: ExecCheck | None) -> list[Finding]:
    if check is None or check.state != "ok" or check.elf is None or check.elf.machine is None:
        return []
    arch = kernel_arch(facts.boot.default_kernel_release)
    if arch is None or check.elf.machine in EXECUTABLE_BY[arch]:
        return []
    built = MACHINE_NAMES.get(check.elf.machine, f"e_machine {check.elf.machine}")
    target = check.resolution.resolved or check.path
    return [
        finding(
            "boot-init-wrong-arch",
            Severity.BLOCKER,
            f"next boot's init is built for {built}, the default kernel is {arch}: "
            "the kernel cannot exec it (Exec format error) and panics",
            [
                check.resolution.chain(),
                f"{target}: ELF e_machine {check.elf.machine} ({built})",
                f"default kernel release {facts.boot.default_kernel_release}: {arch}",
            ],
            f"Reinstall the init package for {arch} (the file at {target} comes from another "
            "system), then `file " + target + "` must say the kernel's architecture.",
            stage=Stage.INIT_EXEC,
        )
    ]
