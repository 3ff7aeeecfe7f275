"""What to type to enable sshd or the network, per rc system and host family.

Kept apart from the checks: the commands differ with every rc system and distribution
(what differs per distribution is in cockpit/distros), the question (is it enabled for
the next boot?) does not.
"""

from __future__ import annotations

from cockpit.distros import family
from cockpit.facts.services import RcView


def sshd_remedy(rc: str, view: RcView, host_family: str) -> str:
    name = view.sshd_service
    fam = family(host_family)
    if rc == "systemd":
        unit = name or fam.sshd_unit
        return f"systemctl unmask {unit}; systemctl enable {unit}"
    if rc == "sysv-rc":
        return fam.sysv_enable.format(script=name or "ssh")
    if rc in ("openrc", "baselayout1"):
        return f"rc-update add {name or 'sshd'} default"
    if rc == "runit":
        svc = name or "sshd"
        return f"ln -s /etc/sv/{svc} /var/service/   (Debian: /etc/service/)"
    return "enable the SSH server in the init that will boot"


def network_remedy(rc: str, view: RcView, host_family: str) -> str:
    name = view.network_service
    if rc == "systemd":
        if name == "systemd-networkd.service":
            return (
                "write /etc/systemd/network/20-wired.network "
                "([Match] Name=en* / [Network] DHCP=yes), "
                "then systemctl enable systemd-networkd"
            )
        if name == "networking.service":
            return (
                "add `auto eth0` + `iface eth0 inet dhcp` to /etc/network/interfaces; "
                "systemctl enable networking"
            )
        return f"systemctl enable {name or 'NetworkManager.service'}"
    if rc == "sysv-rc":
        return (
            f"update-rc.d {name or 'networking'} defaults   "
            "(and an `auto` interface in /etc/network/interfaces)"
        )
    if rc == "openrc":
        if name == "net.lo" or family(host_family).openrc_net_lo:
            return "ln -s net.lo /etc/init.d/net.eth0; rc-update add net.eth0 default"
        return (
            "rc-update add networking boot   (and an `auto eth0` stanza in /etc/network/interfaces)"
        )
    if rc == "baselayout1":
        return "ln -s net.lo /etc/init.d/net.eth0; rc-update add net.eth0 default"
    if rc == "runit":
        return f"ln -s /etc/sv/{name or 'dhcpcd'} /var/service/"
    return "enable a network service in the init that will boot"
