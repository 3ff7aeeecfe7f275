"""Will sshd start at the next boot: its configuration as sshd reads it, its host keys,
and what regenerates missing keys, per rc system.

sshd refuses to start on a configuration `sshd -t` rejects and when it can load no host
key ("sshd: no hostkeys available -- exiting."). Both are visible in files, so the
parser checks them the way sshd would (servconf.c), offline as well as live; `sshd -t`
itself runs only live, as root, and only adds to what the files show.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SshdIssue:
    """One thing in the configuration, in sshd's own words where it has them.

    `level`: `fatal` (sshd refuses to start), `unknown` (whether it starts cannot be told
    from the files: a keyword only some builds know, an unread Include), `warning`
    (logged, sshd starts: deprecated or unsupported keywords).
    """

    level: str
    text: str
    where: str  # "/etc/ssh/sshd_config line 12: Prot 22" or a file's path


@dataclass(frozen=True)
class SshdKey:
    """A host key sshd will try to load. `state`: ok (non-empty file), empty, absent,
    dangling, notfile, or a section state when the listing could not be read."""

    path: str
    state: str
    configured: bool  # named by a HostKey line (else one of sshd's defaults)


@dataclass(frozen=True)
class KeyRegen:
    """Whether the rc system `rc` generates missing host keys before it starts sshd.

    `state`: `yes` (evidence names the unit or script line), `no` (the start files were
    read and nothing generates keys), `unknown` (the start files were not read).
    """

    rc: str
    state: str
    how: str | None = None
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class SshdTest:
    """Live `sshd -t` as root (optional): `state` ok | failed | unchanged (not run: the
    running sshd started after every file last changed) | a section state (offline,
    denied: not root, missing: not asked this refresh...)."""

    state: str
    rc: int | None = None
    output: tuple[str, ...] = ()


@dataclass(frozen=True)
class SshdFacts:
    """The configuration as sshd would read it, and its host keys.

    `state` is the main configuration file's: `ok` when it was read whole, else why not
    (absent, denied, truncated, missing...). `files` lists every file read, in sshd's
    order (Include globs sorted, as glob(3) returns them).
    """

    state: str = "missing"
    files: tuple[str, ...] = ()
    directives: int = 0
    issues: tuple[SshdIssue, ...] = ()
    keys: tuple[SshdKey, ...] = ()
    keys_from: str = "defaults"  # "HostKey lines" | "defaults"
    key_agent: str | None = None  # HostKeyAgent: keys may live in an agent
    regen: tuple[KeyRegen, ...] = ()
    version: str | None = None  # "9.2p1", from the sshd binary
    version_evidence: str | None = None
    test: SshdTest = SshdTest("missing")
    #: Live: the sshd running now (pid from /run/sshd.pid) and whether anything it reads
    #: changed since it started. `running`: unchanged | changed | not-running | unknown.
    running: str = "unknown"
    running_pid: int | None = None
    changed: tuple[str, ...] = ()

    def level(self, level: str) -> tuple[SshdIssue, ...]:
        return tuple(i for i in self.issues if i.level == level)

    def regen_for(self, rc: str) -> KeyRegen:
        for r in self.regen:
            if r.rc == rc:
                return r
        return KeyRegen(rc, "unknown", None, (f"no start files read for {rc}",))

    @property
    def usable_keys(self) -> tuple[SshdKey, ...]:
        return tuple(k for k in self.keys if k.state == "ok")
