"""sshd_config snippets with what OpenSSH 9.2p1 (Debian 12's sshd) does with them.

Each case is a list of lines appended after a HostKey line; `fatal` is what `sshd -t`
said when the case was written (tests/sshd/test_oracle.py asks the local sshd again
whenever one is installed: the expectation is sshd's, never a guess).
"""

from __future__ import annotations

#: (name, lines of a drop-in, sshd -t refuses it)
CASES: list[tuple[str, list[str], bool]] = [
    (
        "stock-debian-lines",
        [
            "KbdInteractiveAuthentication no",
            "UsePAM yes",
            "X11Forwarding yes",
            "PrintMotd no",
            "AcceptEnv LANG LC_*",
            "Subsystem sftp /usr/lib/openssh/sftp-server",
        ],
        False,
    ),
    ("unknown-keyword", ["Prt 22"], True),
    ("keyword-case-insensitive", ["passwordauthentication no", "PORT 22"], False),
    ("equals-syntax", ["Port=2222", "PasswordAuthentication = no"], False),
    ("flag-bad-value", ["PasswordAuthentication maybe"], True),
    ("flag-extra-arg", ["PasswordAuthentication yes no"], True),
    ("no-argument", ["PasswordAuthentication"], True),
    ("permitrootlogin-typo", ["PermitRootLogin without_password"], True),
    ("permitrootlogin-ok", ["PermitRootLogin prohibit-password"], False),
    ("port-zero", ["Port 0"], True),
    ("port-too-big", ["Port 65536"], True),
    ("port-two-args", ["Port 22 23"], True),
    ("listen-v6-port", ["ListenAddress [::1]:2222"], False),
    ("listen-bad-port", ["ListenAddress 127.0.0.1:0"], True),
    ("listen-rdomain-syntax", ["ListenAddress 127.0.0.1 foo"], True),
    ("time-ok", ["LoginGraceTime 1m30s"], False),
    ("time-bad", ["LoginGraceTime 2min"], True),
    ("int-negative", ["X11DisplayOffset -1"], True),
    ("loglevel-bad", ["LogLevel LOUD"], True),
    ("facility-ok", ["SyslogFacility AUTHPRIV"], False),
    ("tunnel-case", ["PermitTunnel Yes"], True),
    ("unbalanced-quote", ['Banner "/etc/issue.net'], True),
    (
        "deprecated-and-ignored",
        ["UseLogin no", "Protocol 2", "UsePrivilegeSeparation sandbox"],
        False,
    ),
    ("unsupported-option", ["KerberosTgtPassing no"], False),
    ("match-user-then-global", ["Match User bob", "  X11Forwarding no", "  Port 2222"], True),
    ("match-user-allowed", ["Match User bob", "  X11Forwarding no", "  PermitTTY no"], False),
    (
        "match-all-reactivates",
        ["Match User bob", "  X11Forwarding no", "Match all", "Port 2222"],
        False,
    ),
    ("match-no-criteria", ["Match User"], True),
    ("match-unknown-criterion", ["Match Foo bar"], True),
    ("match-bad-cidr", ["Match Address 10.0.0.0/33", "  X11Forwarding no"], True),
    ("match-bad-localport", ["Match LocalPort 70000", "  X11Forwarding no"], True),
    ("match-all-combined", ["Match all User bob"], True),
    (
        "subsystem-twice",
        ["Subsystem sftp /usr/lib/openssh/sftp-server", "Subsystem sftp internal-sftp"],
        True,
    ),
    ("subsystem-no-command", ["Subsystem sftp"], True),
    ("acceptenv-with-equals", ["AcceptEnv LANG=C"], True),
    ("setenv-without-equals", ["SetEnv FOO"], True),
    ("maxstartups-ok", ["MaxStartups 10:30:100"], False),
    ("maxstartups-bad", ["MaxStartups 100:30:10"], True),
    ("newer-keyword", ["PerSourcePenalties authfail:5"], True),
    ("debian-patch-keyword", ["DebianBanner no"], False),
    ("include-nothing", ["Include /nonexistent-cockpit/*.conf"], False),
    ("command-relative", ["AuthorizedKeysCommand bin/keys"], True),
    ("pubkey-algos-plus", ["PubkeyAcceptedAlgorithms +ssh-rsa"], False),
    ("ciphers-ok", ["Ciphers aes128-ctr,chacha20-poly1305@openssh.com"], False),
    ("channeltimeout-9.2", ["ChannelTimeout session=5m"], False),
    ("requiredrsasize", ["RequiredRSASize 2048"], False),
    ("authmethods-bad", ["AuthenticationMethods publickey,passwd"], True),
    (
        "authmethods-ok",
        ["AuthenticationMethods publickey,password publickey,keyboard-interactive"],
        False,
    ),
    ("comment-after-value", ["PasswordAuthentication no # no passwords"], False),
    # strtol stops at the first non-octal digit: "0999" is mask 0, accepted
    ("streamlocal-mask-prefix", ["StreamLocalBindMask 0999"], False),
    ("streamlocal-mask-too-big", ["StreamLocalBindMask 01000"], True),
]
