"""Does this command reboot the host? The matcher every reboot source shares.

A command is read as sh reads it: lines end at `\\n` only (CR, NEL, form feed and the other
characters Python's `splitlines` breaks at are ordinary characters to cron and sh), a
line ends at a NUL (cron hands the shell a C string), and words are split at blanks
(and at the control characters a DOS line end leaves glued to a word: `_BLANKS`).
It is cut into simple commands at `;`, `&&`, `||`, `|`, `&`, `(`, `)`,
`{`, `}`, backquotes and `$(`; each is stripped of what runs another command for it:
assignments, `if/then/...`, and wrappers with their own options and arguments (`sudo -u
root`, `timeout -s KILL 60`, `flock -n L`, `setsid`, `nice -n 5`, `ionice -c 3`, `su -
root -c '...'`, `systemd-run -p X=Y`, `env -u V`, `doas`, `chrt`, `taskset`, `stdbuf`,
`sh -c '...'`). The command left is then matched: reboot/halt/poweroff with their
options (`halt --reboot` reboots), shutdown/openrc-shutdown, init/telinit 6 and 0,
systemctl's verbs and targets (never on another host: `-H`, `-M`), kexec -e, logind over
D-Bus, and writes of `b`/`o` to /proc/sysrq-trigger (echo, printf, tee).

`run_paths` gives the scripts a command runs (`/usr/local/sbin/nightly.sh`, `sh -x
/opt/x.sh`, `. /opt/env.sh`): a reboot can hide one step away, in a wrapper script.

Never swallows its own errors: None means "not a reboot", so a matcher bug must raise and
reach the reboots parser's guard (the source becomes unknown), never erase an armed reboot.
"""

from __future__ import annotations

import re

_SEGMENT_SPLIT = re.compile(r"&&|\|\||\$\(|[;&|()`{}]")
#: Blanks, and the other control characters a line may carry glued to a word (`reboot\r`
#: of a crontab saved with DOS line ends): sh would look for `reboot<CR>` and fail, but
#: whether the host has such a command is not known here, so the word counts as said. A
#: reboot reported that might not run is a false alarm; one dropped is a false all-clear.
_BLANKS = re.compile(r"[ \t\r\v\f\x1c-\x1f\x85]+")
_ASSIGN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=.*")
_KEYWORDS = {"then", "do", "else", "elif", "if", "while", "until", "!"}
_SHELLS = {"sh", "bash", "dash", "ash", "ksh", "zsh", "mksh"}

#: Wrappers: the options that take an argument (short and long without `=`); a wrapper
#: in `_FIRST_ARG` also takes one positional argument before the command (timeout's
#: duration, flock's lock file, chrt's priority, taskset's mask).
_WRAPPER_ARGS: dict[str, set[str]] = {
    "sudo": set(
        [
            "-u",
            "-g",
            "-C",
            "-D",
            "-p",
            "-r",
            "-t",
            "-U",
            "-T",
            "-h",
            "--user",
            "--group",
            "--close-from",
            "--chdir",
            "--prompt",
            "--role",
            "--type",
            "--other-user",
            "--command-timeout",
            "--host",
        ]
    ),
    "doas": {"-u", "-C"},
    "timeout": {"-s", "--signal", "-k", "--kill-after"},
    "flock": {"-w", "--timeout", "--wait", "-E", "--conflict-exit-code"},
    "setsid": set(),
    "nice": {"-n", "--adjustment"},
    "ionice": {"-c", "--class", "-n", "--classdata"},
    "nohup": set(),
    "exec": {"-a"},
    "command": set(),
    "builtin": set(),
    "busybox": set(),
    "time": set(),
    "env": {"-u", "--unset", "-C", "--chdir", "-S", "--split-string"},
    "chrt": set(),
    "taskset": set(),
    "stdbuf": {"-i", "-o", "-e", "--input", "--output", "--error"},
    "systemd-run": set(
        [
            "-u",
            "--unit",
            "-p",
            "--property",
            "--description",
            "--slice",
            "-E",
            "--setenv",
            "--on-active",
            "--on-boot",
            "--on-startup",
            "--on-unit-active",
            "--on-unit-inactive",
            "--on-calendar",
            "--timer-property",
            "--path-property",
            "--socket-property",
            "--uid",
            "--gid",
            "--nice",
            "--working-directory",
            "--service-type",
            "-d",
        ]
    ),
}
_FIRST_ARG = {"timeout", "flock", "chrt", "taskset"}
#: su/runuser: the command is what -c (--command) names; without it no command runs.
_SU_ARGS = {"-s", "--shell", "-g", "--group", "-G", "--supp-group", "-w", "--whitelist-environment"}
#: Wrappers that run the command somewhere else: a reboot there is not this host's.
_ELSEWHERE = {"ssh", "chroot", "nsenter", "lxc-attach", "docker", "podman", "machinectl"}

_SYSTEMCTL_VERBS = {
    "reboot": "reboot",
    "poweroff": "poweroff",
    "halt": "halt",
    "kexec": "kexec",
    "soft-reboot": "soft-reboot",
}
_TARGETS = {f"{k}.target": v for k, v in _SYSTEMCTL_VERBS.items()}
_SYSTEMCTL_ARGS = set(
    [
        "-t",
        "--type",
        "-p",
        "--property",
        "-s",
        "--signal",
        "-n",
        "--lines",
        "-o",
        "--output",
        "--root",
        "--image",
        "--state",
        "--kill-whom",
        "--kill-value",
        "--job-mode",
        "--what",
        "--message",
        "--when",
        "--boot-loader-entry",
        "--boot-loader-menu",
        "--reboot-argument",
        "--timestamp",
        "--check-inhibitors",
        "--preset-mode",
        "--drop-in",
        "--image-policy",
    ]
)
_REMOTE = {"-H", "--host", "-M", "--machine"}
_SYSRQ = re.compile(r"/proc/sysrq-trigger")
_SYSRQ_WRITE = re.compile(
    r"""(?:^|[;&|({\s])(?:echo|printf)(?:[ \t]+-[neE]+)*[ \t]+["']?([bo])(?:\\n)?["']?"""
    r"(?=[\s;&|>)]|$)"
)
_LOGIND = re.compile(
    r"org\.freedesktop\.login1\.Manager[. \t]+(Reboot|PowerOff|Halt|RebootWithFlags"
    r"|PowerOffWithFlags|HaltWithFlags)\b"
)


def command_lines(text: str) -> list[str]:
    """The lines of a crontab or script as cron and sh see them: split at `\\n` only, each
    ending at its first NUL."""
    return [line.split("\x00", 1)[0] for line in text.split("\n")]


def _words(segment: str) -> list[str]:
    return [w for w in _BLANKS.split(segment.replace('"', " ").replace("'", " ")) if w]


def _skip_options(words: list[str], i: int, with_arg: set[str]) -> int:
    """Past the options at words[i:]: `-x ARG` for the ones in `with_arg`, `--opt=V`,
    bundled `-abc`, `--` ends them."""
    while i < len(words) and words[i].startswith("-") and words[i] != "-":
        opt = words[i]
        i += 1
        if opt == "--":
            break
        if opt in with_arg:
            i += 1
    return i


def _strip_prefix(words: list[str]) -> list[str] | None:
    """The command a segment runs, past assignments, keywords and wrappers; None when it
    runs on another host or in another root (ssh, chroot...)."""
    i = 0
    while i < len(words):
        word = words[i]
        base = word.rsplit("/", 1)[-1]
        if word in _KEYWORDS or _ASSIGN.fullmatch(word):
            i += 1
        elif base in _ELSEWHERE:
            return None
        elif base in _WRAPPER_ARGS:
            i = _skip_options(words, i + 1, _WRAPPER_ARGS[base])
            if base in ("nice", "ionice") and i < len(words) and words[i].lstrip("-").isdigit():
                i += 1
            if base == "env":
                while i < len(words) and _ASSIGN.fullmatch(words[i]):
                    i += 1
            if base in _FIRST_ARG:
                if base == "flock" and i + 1 < len(words) and words[i + 1] in ("-c", "--command"):
                    i += 2  # flock LOCK -c 'command'
                else:
                    i += 1
        elif base in ("su", "runuser"):
            j = i + 1
            command: int | None = None
            while j < len(words):
                if words[j] in ("-c", "--command"):
                    command = j + 1
                    break
                if words[j].startswith("--command="):
                    words = [*words[:j], words[j].partition("=")[2], *words[j + 1 :]]
                    command = j
                    break
                j += 2 if words[j] in _SU_ARGS else 1
            if command is None:
                return []  # a login shell, no command
            i = command
        elif base in _SHELLS and i + 1 < len(words) and words[i + 1].startswith("-"):
            # `sh -c 'reboot'`, `bash -lc 'reboot'`: the command follows the options
            j = i + 1
            while j < len(words) and words[j].startswith("-"):
                j += 1
            i = j
        else:
            break
    return words[i:]


def _halt_family(name: str, args: list[str]) -> tuple[str, int] | None:
    """reboot/halt/poweroff and their options: the last of --halt, -p/--poweroff,
    --reboot wins (systemd's and sysvinit's); -w (wtmp only) and --help do nothing."""
    if any(a in ("--help", "-w", "--wtmp-only") for a in args):
        return None
    kind = name
    for arg in args:
        if arg == "--halt":
            kind = "halt"
        elif arg in ("-p", "--poweroff") and name != "poweroff":
            kind = "poweroff"
        elif arg == "--reboot":
            kind = "reboot"
    return kind, 0


def _shutdown_kind(args: list[str]) -> tuple[str, int] | None:
    """shutdown / openrc-shutdown options: -r reboots, -P/-p powers off, -h/-H halts;
    -c (cancel), -k (warn only) do nothing. Without any, systemd's shutdown powers off."""
    reboot = poweroff = halt = False
    minutes = 0
    for arg in args:
        if arg in ("--cancel", "--help", "--show"):
            return None
        if arg == "--reboot":
            reboot = True
        elif arg in ("--poweroff", "--power-off"):
            poweroff = True
        elif arg == "--halt":
            halt = True
        elif arg.startswith("-") and not arg.startswith("--"):
            letters = set(arg[1:])
            if letters & {"c", "k"}:
                return None
            reboot |= "r" in letters
            poweroff |= bool(letters & {"P", "p"})
            halt |= bool(letters & {"h", "H"})
        elif re.fullmatch(r"\+\d{1,5}", arg):
            minutes = int(arg[1:])
    kind = "reboot" if reboot else "poweroff" if poweroff else "halt" if halt else "poweroff"
    return kind, minutes


def _systemctl(args: list[str]) -> tuple[str, int] | None:
    verbs: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in _REMOTE or arg.startswith(("--host=", "--machine=")):
            return None  # another host or a container: not this one
        if arg in _SYSTEMCTL_ARGS:
            i += 2
            continue
        if not arg.startswith("-"):
            verbs.append(arg)
        i += 1
    if verbs and verbs[0] in _SYSTEMCTL_VERBS:
        return _SYSTEMCTL_VERBS[verbs[0]], 0
    if len(verbs) >= 2 and verbs[0] in ("start", "isolate") and verbs[1] in _TARGETS:
        return _TARGETS[verbs[1]], 0
    return None


def _segment_kind(words: list[str]) -> tuple[str, int] | None:
    stripped = _strip_prefix(words)
    if not stripped:
        return None
    name = stripped[0].rsplit("/", 1)[-1]
    args = stripped[1:]
    if name in ("reboot", "poweroff", "halt"):
        return _halt_family(name, args)
    if name in ("shutdown", "openrc-shutdown"):
        return _shutdown_kind(args)
    if name in ("init", "telinit") and args:
        return {"6": ("reboot", 0), "0": ("poweroff", 0)}.get(args[0])
    if name == "systemctl":
        return _systemctl(args)
    if name == "kexec" and ("-e" in args or "--exec" in args):
        return "kexec", 0
    return None


def target_kind(unit: str) -> str | None:
    """The kind of shutdown a systemd unit name means (`reboot.target` -> reboot), or None."""
    return _TARGETS.get(unit)


def reboot_kind(command: str) -> tuple[str, int] | None:
    """(kind, delay minutes) if running `command` (one line) reboots or powers off this
    host, else None. `echo reboot`, `check-reboot-required`, `ssh db1 reboot` are not."""
    command = command.split("\x00", 1)[0]
    if _SYSRQ.search(command):
        write = _SYSRQ_WRITE.search(command)
        if write:
            return ("reboot" if write.group(1) == "b" else "poweroff"), 0
    logind = _LOGIND.search(command)
    if logind:
        verb = logind.group(1).removesuffix("WithFlags")
        return {"Reboot": "reboot", "PowerOff": "poweroff", "Halt": "halt"}[verb], 0
    for segment in _SEGMENT_SPLIT.split(command):
        found = _segment_kind(_words(segment))
        if found:
            return found
    return None


_SOURCE = {".", "source"}


def run_paths(command: str) -> list[str]:
    """The absolute paths `command` (one line) runs as a program or hands to a shell as
    its script, in order, each once: `/usr/local/sbin/nightly.sh`, `sudo -u backup
    /opt/b.sh`, `sh -e /opt/x.sh`, `. /opt/env.sh`. Not what runs on another host or root
    (`ssh h /x`, `chroot /srv /x`), nor a path given as data (`tar -f /backup/x`)."""
    out: list[str] = []
    for segment in _SEGMENT_SPLIT.split(command.split("\x00", 1)[0]):
        words = _strip_prefix(_words(segment))
        if not words:
            continue
        name = words[0]
        if name in _SOURCE or name.rsplit("/", 1)[-1] in _SHELLS:
            args = [a for a in words[1:] if not a.startswith("-")]
            name = args[0] if args else ""
        if name.startswith("/") and name not in out:
            out.append(name)
    return out
