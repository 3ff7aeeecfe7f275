"""Algorithm names sshd_config may list (Ciphers, MACs, KexAlgorithms, key types).

Names OpenSSH 7.4 to 10.0 know (cipher.c, mac.c, kex.c, sshkey.c); the GSSAPI
key-exchange patch adds gss-* kex names (accepted by the caller). A name outside these is
unknown, not fatal: which ones a given sshd accepts depends on its release and on its
crypto library.
"""

from __future__ import annotations

CIPHERS = frozenset(
    [
        "3des-cbc",
        "aes128-cbc",
        "aes192-cbc",
        "aes256-cbc",
        "aes128-ctr",
        "aes192-ctr",
        "aes256-ctr",
        "aes128-gcm@openssh.com",
        "aes256-gcm@openssh.com",
        "chacha20-poly1305@openssh.com",
        "rijndael-cbc@lysator.liu.se",
    ]
)
_MACS = ["hmac-sha1", "hmac-sha1-96", "hmac-sha2-256", "hmac-sha2-512", "hmac-md5", "hmac-md5-96"]
MACS = frozenset(
    [
        *_MACS,
        "umac-64@openssh.com",
        "umac-128@openssh.com",
        *(f"{m}-etm@openssh.com" for m in (*_MACS, "umac-64", "umac-128")),
    ]
)
KEX = frozenset(
    [
        "diffie-hellman-group1-sha1",
        "diffie-hellman-group14-sha1",
        "diffie-hellman-group14-sha256",
        "diffie-hellman-group16-sha512",
        "diffie-hellman-group18-sha512",
        "diffie-hellman-group-exchange-sha1",
        "diffie-hellman-group-exchange-sha256",
        "ecdh-sha2-nistp256",
        "ecdh-sha2-nistp384",
        "ecdh-sha2-nistp521",
        "curve25519-sha256",
        "curve25519-sha256@libssh.org",
        "sntrup761x25519-sha512@openssh.com",
        "sntrup761x25519-sha512",
        "mlkem768x25519-sha256",
    ]
)
_KEYS = [
    "ssh-ed25519",
    "sk-ssh-ed25519@openssh.com",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "sk-ecdsa-sha2-nistp256@openssh.com",
    "rsa-sha2-256",
    "rsa-sha2-512",
    "ssh-rsa",
    "ssh-dss",
]
KEY_ALGOS = frozenset(
    [
        *_KEYS,
        "webauthn-sk-ecdsa-sha2-nistp256@openssh.com",
        *(
            f"{k.split('@')[0]}-cert-v01@openssh.com"
            for k in _KEYS
            if not k.startswith(("rsa-sha2", "ssh-ed25519"))
        ),
        "ssh-ed25519-cert-v01@openssh.com",
        "rsa-sha2-256-cert-v01@openssh.com",
        "rsa-sha2-512-cert-v01@openssh.com",
    ]
)
