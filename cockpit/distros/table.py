"""The entries: one per package manager, one per distribution family.

Order matters where cockpit shows or sends things in it: managers in the order the
packages probe reports them (and lists their locks), families in the order an os-release
ID is matched (exact first, then as a prefix, family by family).
"""

from __future__ import annotations

from cockpit.distros.model import ConfigMerge, Family, PackageManager, PidFile, suffix

DPKG = PackageManager(
    name="dpkg",
    home="/var/lib/dpkg",
    database=("/var/lib/dpkg/status",),
    locks=(
        "/var/lib/dpkg/lock-frontend",
        "/var/lib/dpkg/lock",
        "/var/lib/apt/lists/lock",
        "/var/cache/apt/archives/lock",
        "/var/run/unattended-upgrades.lock",
    ),
    frontend_locks=("/var/lib/apt/lists/lock", "/var/cache/apt/archives/lock"),
    pidfiles=(PidFile("/var/run/unattended-upgrades.pid", ("unattended-upgr", "python3")),),
    reads_database=True,
    boot_names=frozenset(
        {
            "init",
            "init-system-helpers",
            "libc6",
            "libc-bin",
            "udev",
            "systemd",
            "systemd-sysv",
            "libsystemd-shared",
            "sysvinit-core",
            "sysv-rc",
            "initscripts",
            "openrc",
            "runit-init",
            "initramfs-tools",
            "initramfs-tools-core",
            "dracut",
            "dracut-core",
            "base-files",
            "kmod",
            "mount",
            "util-linux",
            "e2fsprogs",
            "busybox",
            "dpkg",
        }
    ),
    boot_prefixes=("linux-image-", "linux-modules-", "grub-", "grub2-", "shim", "linux-signed-"),
    init_packages=frozenset({"sysvinit-core", "systemd-sysv", "runit-init", "openrc", "systemd"}),
    libc_packages=frozenset({"libc6"}),
    config_merges=tuple(
        suffix(s) for s in (".dpkg-new", ".dpkg-dist", ".dpkg-old", ".ucf-dist", ".ucf-new")
    ),
    run_name="apt",
    finish_run=(
        "dpkg --configure -a   then `apt-get -f install`; then, if it is still wanted, "
        "re-run the interrupted apt command (its Commandline is quoted in the evidence: "
        "read it before typing it again)."
    ),
    run_command="the apt command",
    finish_essential=(
        "dpkg --configure -a   (check `dpkg --audit` is empty afterwards), then reboot."
    ),
    finish_other=(
        "dpkg --configure -a   (or `apt-get -f install`); `dpkg --audit` lists what is left."
    ),
    reinstall_essential={
        "init": "Before any reboot: `apt-get install systemd-sysv` (or `sysvinit-core`); "
        "check `ls -l /sbin/init`.",
        "libc": "Before any reboot: `apt-get install --reinstall libc6` "
        "(from a rescue system if apt no longer runs).",
    },
)

RPM = PackageManager(
    name="rpm",
    home="/var/lib/rpm",
    database=("/var/lib/rpm", "/usr/lib/sysimage/rpm"),
    locks=(
        "/var/lib/rpm/.rpm.lock",
        "/usr/lib/sysimage/rpm/.rpm.lock",
        "/run/dnf/rpmtransaction.lock",
    ),
    pidfiles=(
        PidFile(
            "/var/lib/dnf/rpmdb_lock.pid",
            ("dnf", "dnf-automatic", "python3", "packagekitd", "dnfdragora"),
        ),
        PidFile("/var/run/yum.pid", ("yum", "python", "python2", "yum-cron", "packagekitd")),
    ),
    config_merges=(suffix(".rpmnew"), suffix(".rpmsave")),
)

PACMAN = PackageManager(
    name="pacman",
    home="/var/lib/pacman",
    database=("/var/lib/pacman/local",),
    exists_lock="/var/lib/pacman/db.lck",
    init_packages=frozenset(
        {"systemd", "systemd-sysvcompat", "sysvinit", "openrc", "runit", "s6-linux-init"}
    ),
    libc_packages=frozenset({"glibc", "musl"}),
    config_merges=(suffix(".pacnew"), suffix(".pacsave")),
    run_name="pacman",
    finish_run=(
        "Re-run the upgrade: `pacman -Syu` (remove /var/lib/pacman/db.lck first if no pacman runs)."
    ),
    reinstall_essential={
        "init": "Before any reboot: `pacman -S systemd-sysvcompat` (or your init); "
        "check `ls -l /sbin/init`.",
        "libc": "Before any reboot: reinstall glibc from a rescue system "
        "(`pacman --sysroot /mnt -S glibc`).",
    },
)

PORTAGE = PackageManager(
    name="portage",
    home="/var/db/pkg",
    database=("/var/db/pkg",),
    reads_database=True,
    # What a resume list must not leave behind: the kernel, udev, the init, libc.
    boot_prefixes=(
        "sys-kernel/",
        "sys-fs/udev",
        "sys-apps/systemd",
        "sys-apps/openrc",
        "sys-apps/sysvinit",
        "sys-libs/glibc",
        "sys-libs/musl",
        "sys-apps/baselayout",
        "sys-boot/",
    ),
    init_packages=frozenset(
        {
            "sys-apps/sysvinit",
            "sys-apps/openrc",
            "sys-apps/systemd",
            "sys-process/runit",
            "sys-apps/s6-linux-init",
        }
    ),
    libc_packages=frozenset({"sys-libs/glibc", "sys-libs/musl", "sys-libs/uclibc-ng"}),
    # etc-update's ._cfg0000_NAME, beside NAME
    config_merges=(ConfigMerge("._cfg[0-9][0-9][0-9][0-9]_*", r"\._cfg\d{4}_(.+)"),),
    run_name="emerge",  # its resume list tells an unfinished run better than its log
    reinstall_essential={
        "init": "Before any reboot: `emerge -1 sys-apps/sysvinit` (or finish the migration: "
        "kernel, udev, then openrc, sysvinit last); check `ls -l /sbin/init`.",
        "libc": "Before any reboot: reinstall glibc from a binary package "
        "(`emerge -1K sys-libs/glibc`) or from a rescue system.",
    },
)

APK = PackageManager(
    name="apk",
    home="/lib/apk/db",
    database=("/lib/apk/db/installed",),
    locks=("/lib/apk/db/lock", "/run/apk/db.lock"),
    libc_packages=frozenset({"musl"}),
    config_merges=(suffix(".apk-new"),),
)

ZYPP = PackageManager(
    name="zypp",
    home="/var/lib/zypp",
    database=("/var/lib/zypp",),
    pidfiles=(PidFile("/run/zypp.pid"),),
    understood=False,
)

XBPS = PackageManager(
    name="xbps",
    home="/var/db/xbps",
    database=("/var/db/xbps",),
    # xbps_pkgdb_lock(): flock(2) on <metadir>/lock (void-linux/xbps lib/pkgdb.c)
    locks=("/var/db/xbps/lock",),
    reads_database=True,
    boot_names=frozenset(
        {
            "base-system",
            "linux",
            "linux-lts",
            "linux-mainline",
            "linux-base",
            "runit",
            "runit-void",
            "glibc",
            "musl",
            "eudev",
            "libudev",
            "dracut",
            "kmod",
            "util-linux",
            "e2fsprogs",
            "xbps",
        }
    ),
    # kernels (linux, linux6.6, linux-lts...), bootloader, initramfs, init, libc, udev
    boot_prefixes=("linux4", "linux5", "linux6", "grub"),
    init_packages=frozenset({"runit-void"}),
    libc_packages=frozenset({"glibc", "musl"}),
    # xbps keeps an edited conf_file and installs the new one as FILE.new-VERSION
    # (void-linux/xbps lib/package_config_files.c)
    config_merges=(ConfigMerge("*.new-[0-9]*", r"(.+)\.new-[0-9][^/]*"),),
    finish_essential=(
        "xbps-reconfigure -a   (configures every unpacked package: runs its INSTALL "
        "script and the kernel's dracut and grub hooks), then `xbps-pkgdb -a` must be quiet."
    ),
    finish_other="xbps-reconfigure -a   (`xbps-pkgdb -a` lists what is left).",
    reinstall_essential={
        "init": "Before any reboot: `xbps-install -f runit runit-void`; check `ls -l /sbin/init`.",
        "libc": "Before any reboot: `xbps-install -f glibc` (from a rescue system if xbps no "
        "longer runs: `xbps-install -r /mnt -f glibc`).",
    },
)

#: In the order the packages probe reports them.
MANAGERS: tuple[PackageManager, ...] = (DPKG, RPM, PACMAN, PORTAGE, APK, ZYPP, XBPS)

FAMILIES: tuple[Family, ...] = (
    Family(
        name="deb",
        os_ids=("debian", "ubuntu", "devuan", "raspbian", "linuxmint"),
        managers=("dpkg",),
        usual_init="systemd",
        reinstall_init={
            "systemd": "apt-get install --reinstall systemd-sysv",
            "sysvinit": "apt-get install --reinstall sysvinit-core",
            "runit": "apt-get install --reinstall runit-init",
            "openrc": "apt-get install --reinstall openrc sysvinit-core",
        },
        find_owner="dpkg -S {lib}",
        restore_kernel="`update-initramfs -u -k <release>` / reinstall `linux-image-<release>`, "
        "then `update-grub`",
        debian_run_parts=True,
        sshd_unit="ssh.service",
    ),
    Family(
        name="rh",
        os_ids=("fedora", "rhel", "centos", "rocky", "almalinux"),
        managers=("rpm",),
        usual_init="systemd",
        reinstall_init={"systemd": "dnf reinstall systemd"},
        find_owner="dnf provides '*/{lib}'",
        restore_kernel="`dnf reinstall kernel-core-<release>` (or `dracut -f --kver <release>`), "
        "then `grub2-mkconfig -o /boot/grub2/grub.cfg`",
        systemd_initrd=True,
        sysv_enable="chkconfig {script} on",
    ),
    Family(
        name="arch",
        os_ids=("arch", "artix", "manjaro"),
        managers=("pacman",),
        usual_init="systemd",
        reinstall_init={"systemd": "pacman -S systemd-sysvcompat"},
        find_owner="pacman -F {lib}",
        restore_kernel="`pacman -S linux` (reinstalls vmlinuz and runs mkinitcpio -P)",
    ),
    Family(
        name="gentoo",
        os_ids=("gentoo",),
        managers=("portage",),
        usual_init="sysvinit",
        reinstall_init={
            "sysvinit": "emerge --oneshot sys-apps/sysvinit",
            "openrc": "emerge --oneshot sys-apps/openrc",
            "systemd": "emerge --oneshot sys-apps/systemd  # with USE=sysv-utils",
        },
        find_owner="qfile {lib}",
        restore_kernel="copy the kernel back (`make install` in /usr/src/linux) "
        "or fix the `kernel` line in grub.conf",
        openrc_net_lo=True,
    ),
    Family(
        name="alpine",
        os_ids=("alpine",),
        managers=("apk",),
        usual_init="busybox",
        reinstall_init={"busybox": "apk fix busybox", "openrc": "apk fix openrc"},
        find_owner="apk info --who-owns /lib/{lib}",
        restore_kernel="`apk fix linux-lts` (or `mkinitfs <release>`), then `update-extlinux`",
        busybox_init=True,
    ),
    Family(
        name="suse",
        os_ids=("opensuse", "suse", "sles"),
        managers=("rpm", "zypp"),
        usual_init="systemd",
        reinstall_init={"systemd": "zypper install -f systemd-sysvinit"},
        find_owner="zypper search --provides {lib}",
    ),
    Family(
        name="void",
        os_ids=("void",),
        managers=("xbps",),
        usual_init="runit",
        # /usr/bin/init -> runit-init is runit-void's; runit-init itself is runit's
        reinstall_init={"runit": "xbps-install -f runit runit-void"},
        find_owner="xbps-query -o '*/{lib}'",
        restore_kernel="`xbps-reconfigure -f linux<series>` (its kernel hooks run dracut and "
        "update-grub; `xbps-install -f linux<series>` if its files are gone)",
        merge_remedy="Merge them by hand: diff each FILE.new-VERSION with FILE (xbps kept your "
        "FILE), carry over what the new one adds, then remove the .new- file.",
    ),
)
