"""Remote access after boot: the host boots, but does sshd answer?

Direct boots with a user-mode NIC (restrict=on: the guest reaches nothing) forwarding a
local port to the guest's 22; `sshd-up` is a real SSH banner read on it, `sshd-down` is
no banner runner.SSH_GRACE seconds after `login:`. The healthy roots of every init
(healthy.py) are the passing cases of this stage too.
"""

from __future__ import annotations

from tests.boot.oracle.scenario import Scenario
from tests.boot.oracle.scenarios.edits import append, rm, run, write

R = "remote-access"
REGEN_UNIT = """[Unit]
Description=Regenerate SSH host keys
Before=ssh.service
ConditionPathExists=!/etc/ssh/ssh_host_ed25519_key

[Service]
Type=oneshot
ExecStart=/usr/bin/ssh-keygen -A

[Install]
WantedBy=multi-user.target
"""
LO_ONLY = """# interfaces(5) file used by ifup(8) and ifdown(8)
# Include files from /etc/network/interfaces.d:
source /etc/network/interfaces.d/*

auto lo
iface lo inet loopback
"""

SCENARIOS = [
    Scenario(
        "ssh-disabled",
        R,
        "systemd",
        (run("systemctl", "disable", "ssh.service"),),
        "sshd-down",
        "no SSH banner 20 s after login:",
        ssh=True,
        doc="systemctl disable ssh",
    ),
    Scenario(
        "ssh-masked",
        R,
        "systemd",
        (run("systemctl", "mask", "ssh.service"),),
        "sshd-down",
        "no SSH banner 20 s after login:",
        ssh=True,
        doc="systemctl mask ssh (still 'enabled' by its wants link).",
    ),
    Scenario(
        "sshd-config-invalid",
        R,
        "systemd",
        (append("etc/ssh/sshd_config", "PermitRootLogn no\n"),),
        "sshd-down",
        "[FAILED] Failed to start ssh.servic…[0m - OpenBSD Secure Shell server.",
        ssh=True,
        doc="A misspelt keyword in sshd_config: `sshd -t` fails.",
    ),
    Scenario(
        "ssh-hostkeys-missing",
        R,
        "systemd",
        (rm("etc/ssh/ssh_host_*"),),
        "sshd-down",
        "[FAILED] Failed to start ssh.servic…[0m - OpenBSD Secure Shell server.",
        ssh=True,
        doc="Host keys deleted, nothing regenerates them.",
    ),
    Scenario(
        "ssh-hostkeys-regenerated",
        R,
        "systemd",
        (
            rm("etc/ssh/ssh_host_*"),
            write("etc/systemd/system/regenerate-ssh-host-keys.service", REGEN_UNIT),
            run("systemctl", "enable", "regenerate-ssh-host-keys.service"),
        ),
        "sshd-up",
        "SSH-2.0-OpenSSH_9.2p1",
        ssh=True,
        doc="Host keys deleted, a boot unit runs ssh-keygen -A: must come up.",
    ),
    Scenario(
        "ssh-socket-activated",
        R,
        "systemd",
        (run("systemctl", "disable", "ssh.service"), run("systemctl", "enable", "ssh.socket")),
        "sshd-up",
        "SSH-2.0-OpenSSH_9.2p1",
        ssh=True,
        doc="ssh.service disabled, ssh.socket enabled: sshd per connection.",
    ),
    Scenario(
        "network-unconfigured",
        R,
        "systemd",
        (write("etc/network/interfaces", LO_ONLY),),
        "sshd-down",
        "no SSH banner 20 s after login:",
        ssh=True,
        doc="Only lo configured (the stock ifupdown file): sshd runs, unreachable.",
    ),
    Scenario(
        "sysv-ssh-disabled",
        R,
        "sysvinit",
        (run("update-rc.d", "ssh", "disable"),),
        "sshd-down",
        "no SSH banner 20 s after login:",
        ssh=True,
        doc="update-rc.d ssh disable",
    ),
]
