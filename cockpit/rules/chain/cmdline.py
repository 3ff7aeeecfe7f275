"""The kernel command line as the next boot's kernel and init will read it.

Pure helpers over the default entry's command line: the kernel takes `key=value` words it
knows, hands words after `--` (and words it does not know without a `=` or `.`) to init,
and init (systemd, sysvinit) reads runlevel words such as `single`, `1` or `emergency`
from its own argv. One reading for every stage that depends on it.
"""

from __future__ import annotations

#: What systemd does with runlevel-style words on the kernel command line
#: (systemd: src/core/main.c rlmap).
SYSTEMD_RUNLEVEL_WORDS: dict[str, str] = {
    "emergency": "emergency.target",
    "-b": "emergency.target",
    "rescue": "rescue.target",
    "single": "rescue.target",
    "-s": "rescue.target",
    "s": "rescue.target",
    "S": "rescue.target",
    "1": "rescue.target",
    "2": "multi-user.target",
    "3": "multi-user.target",
    "4": "multi-user.target",
    "5": "graphical.target",
}

#: sysvinit's reading of its argv (init.c main: "single"/"s"/"S"/"1" -> single user,
#: "emergency"/"-b" -> sulogin before inittab, a digit -> that runlevel).
SYSVINIT_RUNLEVEL_WORDS: dict[str, str] = {
    "single": "S",
    "s": "S",
    "S": "S",
    "1": "S",
    "emergency": "emergency",
    "-b": "emergency",
    **{str(n): str(n) for n in (0, 2, 3, 4, 5, 6)},
}


def words(cmdline: str) -> list[str]:
    """Every word of the command line, `--` and what follows included."""
    return cmdline.split()


def kernel_words(cmdline: str) -> list[str]:
    """The words before `--` (the kernel's own)."""
    out: list[str] = []
    for word in cmdline.split():
        if word == "--":
            break
        out.append(word)
    return out


def value(cmdline: str, key: str) -> str | None:
    """The last `key=value` (the kernel's and systemd's rule: the last one wins)."""
    found = None
    for word in kernel_words(cmdline):
        if word.startswith(key + "="):
            found = word[len(key) + 1 :].strip("\"'")
    return found


def init_argv_words(cmdline: str) -> list[str]:
    """What reaches init's argv: kernel words without `=` and `.`, then all after `--`."""
    out: list[str] = []
    after = False
    for word in cmdline.split():
        if word == "--" and not after:
            after = True
            continue
        if after or ("=" not in word and "." not in word):
            out.append(word)
    return out


def systemd_override(cmdline: str) -> tuple[str, str] | None:
    """(target, the word that asked for it) when the command line overrides
    default.target. systemd reads /proc/cmdline itself, word by word, and the last of
    `systemd.unit=` and the runlevel words wins (main.c parse_proc_cmdline_item)."""
    found = None
    for word in kernel_words(cmdline):
        if word.startswith("systemd.unit="):
            unit = word[len("systemd.unit=") :].strip("\"'")
            if unit:
                found = (unit, word)
        elif word in SYSTEMD_RUNLEVEL_WORDS:
            found = (SYSTEMD_RUNLEVEL_WORDS[word], word)
    return found


def sysvinit_override(cmdline: str) -> tuple[str, str] | None:
    """(runlevel or 'emergency', the word) when the command line picks sysvinit's level."""
    found = None
    for word in init_argv_words(cmdline):
        if word in SYSVINIT_RUNLEVEL_WORDS:
            found = (SYSVINIT_RUNLEVEL_WORDS[word], word)
    return found
