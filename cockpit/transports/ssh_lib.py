"""asyncssh, imported without cryptography's DSA deprecation warnings.

cryptography 51 deprecated DSA and warns on every access to a name of its `dsa` module;
asyncssh (2.24) names them in type aliases and signatures at import time, so every ssh
run of `cockpit check` printed about ten `CryptographyDeprecationWarning: DSA is
deprecated` lines on stderr, which a monitoring system keeps as plugin output and cron
mails to someone. Nothing of cockpit uses DSA.

Exactly that warning is silenced, and only around the import: any other warning, and a
DSA key really loaded at run time, still warns. Every module that needs asyncssh imports
it from here (`from cockpit.transports.ssh_lib import asyncssh`), so whichever of them is
imported first, the import is the quiet one. Pinning cryptography below 51 instead would
hold back a security library for a cosmetic reason.
"""

from __future__ import annotations

import warnings

try:
    from cryptography.utils import CryptographyDeprecationWarning
except ImportError:  # pragma: no cover - asyncssh requires cryptography
    CryptographyDeprecationWarning = DeprecationWarning  # type: ignore[misc,assignment]

#: The warning's text, as cryptography 51 words it (a regex matched at its start).
DSA_DEPRECATED = r"DSA is deprecated"

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", DSA_DEPRECATED, CryptographyDeprecationWarning)
    import asyncssh

__all__ = ["asyncssh"]
