"""sshd_config keywords as sshd itself knows them, with the syntax of their values.

Source: the `keywords[]` table of OpenSSH's servconf.c, revision 1.392 (2023/03/05, the
OpenSSH 9.3 release), read in FreeBSD's vendored copy of portable OpenSSH (which adds
only `UseBlacklist`/`UseBlocklist`, left out here: Linux sshd rejects them). What sshd
does with each kind of entry (servconf.c `process_server_config_line_depth`):
- an unknown keyword: "Bad configuration option" and, after the file, "terminating, N bad
  configuration options": sshd does not start;
- `sDeprecated` / `sUnsupported` (a compile-time option this build lacks): "Deprecated
  option X" / "Unsupported option X" logged at INFO, the line skipped: sshd starts;
- `sIgnore` (`Protocol`): skipped silently.
Keywords added after 9.3 come from the upstream release notes (9.8: PerSourcePenalties,
PerSourcePenaltyExemptList, SshdSessionPath; 10.0: RefuseConnection, SshdAuthPath) and
were checked against the newer macro-generated servconf.h (rev 1.179); older additions
carry the release that introduced them, so a keyword newer than the host's sshd is the
same "Bad configuration option" as a typo. `since` is a (low, high) range where the
notes were not checked: below `low` sshd rejects it, between the two it is unknown.

Distribution patches add keywords upstream never had (Debian's `DebianBanner`, the
GSSAPI key-exchange patch Debian, Fedora/RHEL and SUSE carry, RHEL's kuserok and
`RSAMinSize`, Gentoo's optional HPN patch): accepted on that family, unknown elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass

Version = tuple[int, int]


@dataclass(frozen=True)
class Keyword:
    """How sshd treats one keyword.

    `kind` names the value syntax (see `cockpit.parsers.services.sshd_values`). `match`:
    allowed inside a Match block (SSHCFG_MATCH). `status`: `ok`, `deprecated`, `ignore`
    (both logged and skipped), or `unsupported` (needs a compile-time option; still
    skipped, never fatal). `since`: the first release that knows it, or a (low, high)
    range; None = older than 7.4, the oldest release judged here. `until`: the first
    release that no longer knows it (None = still known), or a range as for `since`
    (PAMAuthenticationViaKbdInt: in 9.3's table, gone from servconf.h 1.179).
    """

    name: str
    kind: str
    match: bool
    status: str = "ok"
    since: Version | tuple[Version, Version] | None = None
    until: Version | tuple[Version, Version] | None = None
    families: tuple[str, ...] = ()  # a distribution patch: only these families have it


def _k(name: str, kind: str, match: bool, **kw: object) -> tuple[str, Keyword]:
    return name.lower(), Keyword(name, kind, match, **kw)  # type: ignore[arg-type]


G, A = False, True  # SSHCFG_GLOBAL only / SSHCFG_ALL

#: servconf.c 1.392 keywords[] (OpenSSH 9.3), in its order, plus later additions.
KEYWORDS: dict[str, Keyword] = dict(
    (
        _k("UsePAM", "flag", G),
        _k("PAMAuthenticationViaKbdInt", "any", G, status="deprecated", until=((9, 4), (99, 0))),
        _k("Port", "port", G),
        _k("HostKey", "path", G),
        _k("HostDSAKey", "path", G),  # alias of HostKey
        _k("HostKeyAgent", "path", G),
        _k("PidFile", "path", G),
        _k("ModuliFile", "path", G, since=((8, 2), (8, 7))),
        _k("ServerKeyBits", "any", G, status="deprecated"),
        _k("LoginGraceTime", "time", G),
        _k("KeyRegenerationInterval", "any", G, status="deprecated"),
        _k("PermitRootLogin", "permitrootlogin", A),
        _k("SyslogFacility", "facility", G),
        _k("LogLevel", "loglevel", A),
        _k("LogVerbose", "words", A, since=(8, 5)),
        _k("RhostsAuthentication", "any", G, status="deprecated"),
        _k("RhostsRSAAuthentication", "any", A, status="deprecated"),
        _k("HostbasedAuthentication", "flag", A),
        _k("HostbasedUsesNameFromPacketOnly", "flag", A),
        _k("HostbasedAcceptedAlgorithms", "keyalgos", A, since=(8, 5)),
        _k("HostbasedAcceptedKeyTypes", "keyalgos", A),
        _k("HostKeyAlgorithms", "keyalgos", G),
        _k("RSAAuthentication", "any", A, status="deprecated"),
        _k("PubkeyAuthentication", "flag", A),
        _k("PubkeyAcceptedAlgorithms", "keyalgos", A, since=(8, 5)),
        _k("PubkeyAcceptedKeyTypes", "keyalgos", A),
        _k("PubkeyAuthOptions", "pubkeyauthoptions", A, since=(8, 2)),
        _k("DSAAuthentication", "flag", G),  # alias of PubkeyAuthentication
        _k("KerberosAuthentication", "flag", A),
        _k("KerberosOrLocalPasswd", "flag", G),
        _k("KerberosTicketCleanup", "flag", G),
        _k("KerberosGetAFSToken", "flag", G),
        _k("KerberosTgtPassing", "any", G, status="unsupported"),
        _k("AFSTokenPassing", "any", G, status="unsupported"),
        _k("GSSAPIAuthentication", "flag", A),
        _k("GSSAPICleanupCredentials", "flag", G),
        _k("GSSAPIStrictAcceptorCheck", "flag", G),
        _k("PasswordAuthentication", "flag", A),
        _k("KbdInteractiveAuthentication", "flag", A),
        _k("ChallengeResponseAuthentication", "flag", A),  # alias
        _k("SkeyAuthentication", "flag", A),  # alias
        _k("CheckMail", "any", G, status="deprecated"),
        _k("ListenAddress", "listenaddress", G),
        _k("AddressFamily", "addressfamily", G),
        _k("PrintMotd", "flag", G),
        _k("PrintLastLog", "flag", G),
        _k("IgnoreRhosts", "ignorerhosts", A),
        _k("IgnoreUserKnownHosts", "flag", G),
        _k("X11Forwarding", "flag", A),
        _k("X11DisplayOffset", "int", A),
        _k("X11UseLocalhost", "flag", A),
        _k("XAuthLocation", "path", G),
        _k("StrictModes", "flag", G),
        _k("PermitEmptyPasswords", "flag", A),
        _k("PermitUserEnvironment", "any1", G),
        _k("UseLogin", "any", G, status="deprecated"),
        _k("Compression", "compression", G),
        _k("RekeyLimit", "rekeylimit", A),
        _k("TCPKeepAlive", "flag", G),
        _k("KeepAlive", "flag", G),  # obsolete alias
        _k("AllowTcpForwarding", "tcpfwd", A),
        _k("AllowAgentForwarding", "flag", A),
        _k("AllowUsers", "patterns", A),
        _k("DenyUsers", "patterns", A),
        _k("AllowGroups", "patterns", A),
        _k("DenyGroups", "patterns", A),
        _k("Ciphers", "ciphers", G),
        _k("MACs", "macs", G),
        _k("Protocol", "any", G, status="ignore"),
        _k("GatewayPorts", "gatewayports", A),
        _k("Subsystem", "subsystem", G),
        _k("MaxStartups", "maxstartups", G),
        _k("PerSourceMaxStartups", "persourcemaxstartups", G, since=(8, 5)),
        _k("PerSourceNetBlockSize", "netblocksize", G, since=(8, 5)),
        _k("MaxAuthTries", "int", A),
        _k("MaxSessions", "int", A),
        _k("Banner", "path", A),
        _k("UseDNS", "flag", G),
        _k("VerifyReverseMapping", "any", G, status="deprecated"),
        _k("ReverseMappingCheck", "any", G, status="deprecated"),
        _k("ClientAliveInterval", "time", A),
        _k("ClientAliveCountMax", "int", A),
        _k("AuthorizedKeysFile", "words", A),
        _k("AuthorizedKeysFile2", "any", A, status="deprecated"),
        _k("UsePrivilegeSeparation", "any", G, status="deprecated"),
        _k("AcceptEnv", "acceptenv", A),
        _k("SetEnv", "setenv", A, since=(7, 8)),
        _k("PermitTunnel", "permittunnel", A),
        _k("PermitTTY", "flag", A),
        _k("PermitUserRC", "flag", A),
        _k("Match", "match", A),
        _k("PermitOpen", "permitopen", A),
        _k("PermitListen", "permitopen", A, since=(7, 8)),
        _k("ForceCommand", "rest", A),
        _k("ChrootDirectory", "any1", A),
        _k("HostCertificate", "path", G),
        _k("RevokedKeys", "path", A),
        _k("TrustedUserCAKeys", "path", A),
        _k("AuthorizedPrincipalsFile", "any1", A),
        _k("KexAlgorithms", "kex", G),
        _k("Include", "include", A, since=(8, 2)),
        _k("IPQoS", "ipqos", A),
        _k("AuthorizedKeysCommand", "command", A),
        _k("AuthorizedKeysCommandUser", "any1", A),
        _k("AuthorizedPrincipalsCommand", "command", A),
        _k("AuthorizedPrincipalsCommandUser", "any1", A),
        _k("VersionAddendum", "rest", G),
        _k("AuthenticationMethods", "authmethods", A),
        _k("StreamLocalBindMask", "octalmask", A),
        _k("StreamLocalBindUnlink", "flag", A),
        _k("AllowStreamLocalForwarding", "tcpfwd", A),
        _k("FingerprintHash", "fingerprinthash", G),
        _k("DisableForwarding", "flag", A),
        _k("ExposeAuthInfo", "flag", A, since=(7, 6)),
        _k("RDomain", "any1", A, since=(7, 6)),
        _k("CASignatureAlgorithms", "keyalgos", A, since=(7, 9)),
        _k("SecurityKeyProvider", "any1", G, since=(8, 2)),
        _k("RequiredRSASize", "int", A, since=(9, 1)),
        _k("ChannelTimeout", "channeltimeout", A, since=(9, 2)),
        _k("UnusedConnectionTimeout", "timeornone", A, since=(9, 2)),
        # after 9.3 (release notes; present in servconf.h 1.179)
        _k("PerSourcePenalties", "words", G, since=(9, 8)),
        _k("PerSourcePenaltyExemptList", "any1", G, since=(9, 8)),
        _k("SshdSessionPath", "path", G, since=(9, 8)),
        _k("RefuseConnection", "flag", A, since=(10, 0)),
        _k("SshdAuthPath", "path", G, since=(10, 0)),
        _k("PAMServiceName", "any1", G, since=((9, 8), (10, 0))),
        # distribution patches
        _k("DebianBanner", "flag", G, families=("deb",)),
        _k("GSSAPIKeyExchange", "flag", G, families=("deb", "rh", "suse")),
        _k("GSSAPIStoreCredentialsOnRekey", "flag", G, families=("deb", "rh", "suse")),
        _k("GSSAPIKexAlgorithms", "any1", G, families=("deb", "rh", "suse")),
        _k("GSSAPIEnablek5users", "flag", A, families=("rh",)),
        _k("GSSAPIIndicators", "any1", A, families=("rh",)),
        _k("KerberosUseKuserok", "flag", A, families=("rh",)),
        _k("RSAMinSize", "int", A, families=("rh",)),
        _k("HPNDisabled", "flag", G, families=("gentoo",)),
        _k("HPNBufferSize", "int", G, families=("gentoo",)),
        _k("TcpRcvBufPoll", "flag", G, families=("gentoo",)),
        _k("NoneEnabled", "flag", G, families=("gentoo",)),
        _k("NoneMacEnabled", "flag", G, families=("gentoo",)),
        _k("DisableMultithreaded", "flag", G, families=("gentoo",)),
    )
)

#: Match criteria of servconf.c 1.392 `match_cfg_line` (9.3). Newer releases add more.
MATCH_CRITERIA = frozenset(
    {"all", "user", "group", "host", "address", "localaddress", "localport", "rdomain"}
)
#: Added after 9.3 (release notes): sshd 10.0 knows `invalid-user`, `version`,
#: `sessiontype` and `command`; older ones reject them ("Unsupported Match attribute").
MATCH_CRITERIA_LATER = {
    "invalid-user": (10, 0),
    "version": (10, 0),
    "sessiontype": (10, 0),
    "command": (10, 0),
}

#: Keywords judged when the host's sshd version cannot be read: those older than this
#: are taken as known (every supported distribution ships a newer sshd; Include, used by
#: every stock config, is 8.2), later ones leave the check unknown.
ASSUMED_FLOOR: Version = (8, 2)
#: The release whose servconf.c this table was read from.
SOURCE_RELEASE: Version = (9, 3)


def lookup(keyword: str) -> Keyword | None:
    return KEYWORDS.get(keyword.lower())
