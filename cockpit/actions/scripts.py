"""The sh scripts actions run ON THE HOST (through its own Transport.run), and their answer.

Each script is POSIX sh (dash, busybox ash, bash), pure ASCII, and self-contained: file
content travels inside it as `printf` octal escapes (byte-exact, NUL and non-UTF-8
included, no base64 needed on the host). Every write is compare-and-swap: the script holds
the exact bytes the admin's plan was made from and refuses, sending back what it found,
if the file differs right before the write.

The answer is framed like the collector's: lines carrying a random token the client chose,
so no file content can forge a section or a status:

    TOKEN SECTION name\\n <bytes> \\nTOKEN ENDSECTION\\n   (any number)
    TOKEN STATUS ok|refused|error message\\n           (last)

`root` is "" in live mode (paths are absolute) and the root directory in offline mode,
where no script runs a command that touches the machine it runs on (no crontab, atrm,
shutdown): files under ROOT are edited directly, owner and mode kept.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field

_PREAMBLE = r"""
T=%(token)s
ROOT=%(root)s
_sec() { printf '%%s SECTION %%s\n' "$T" "$1"; }
_endsec() { printf '\n%%s ENDSECTION\n' "$T"; }
_status() { printf '%%s STATUS %%s %%s\n' "$T" "$1" "$2"; exit 0; }
_dump() { if [ -f "$2" ]; then _sec "$1"; cat "$2"; _endsec; fi; }
_meta() {
	if [ -L "$2" ]; then _sec "$1"; printf 'symlink'; _endsec; return 0; fi
	[ -e "$2" ] || return 0
	_m=$(stat -c '%%a %%u %%g' "$2" 2>/dev/null) || _m=unknown
	_sec "$1"; printf '%%s' "$_m"; _endsec
}
_tmp() {
	_T=$(mktemp "${TMPDIR:-/tmp}/cockpit-act.XXXXXX" 2>/dev/null) || _status error "mktemp failed"
}
command -v cmp >/dev/null 2>&1 || _status error "no cmp on this host (diffutils/busybox)"
"""


def shq(text: str) -> str:
    """Single-quote for sh (the text must not hold NUL)."""
    return "'" + text.replace("'", "'\\''") + "'"


def _printf_arg(chunk: bytes) -> str:
    """A printf format that prints `chunk` exactly. A leading "-" is written as an octal
    escape: dash's printf reads a format starting with "-" as an option and prints nothing
    (a chunk of a crontab may well start with one)."""
    out = []
    for i, b in enumerate(chunk):
        c = chr(b)
        if c == "-" and i == 0:
            out.append("\\055")
        elif c == "%":
            out.append("%%")
        elif c == "\\":
            out.append("\\\\")
        elif 0x20 <= b < 0x7F and c != "'":
            out.append(c)
        else:
            out.append(f"\\{b:03o}")
    return "'" + "".join(out) + "'"


def write_bytes(data: bytes, target: str) -> str:
    """sh lines that write `data` exactly to the file `target` (a quoted sh word)."""
    if not data:
        return f": >{target}\n"
    lines = []
    for i in range(0, len(data), 2048):
        op = ">" if i == 0 else ">>"
        lines.append(f"printf {_printf_arg(data[i : i + 2048])} {op}{target}")
    return "\n".join(lines) + "\n"


def _head(token: str, root: str) -> str:
    return _PREAMBLE % {"token": token, "root": shq(root.rstrip("/"))}


def new_token() -> str:
    return "COCKPIT-ACT-" + secrets.token_hex(16)


def read_script(token: str, root: str, path: str, crontab_user: str | None = None) -> str:
    """Send the file (`content`), its mode/owner (`meta`), and in live mode for a user's
    spool, what `crontab -u USER -l` prints (`body`: the file without cron's header)."""
    s = _head(token, root) + f'P="$ROOT"{shq(path)}\n_meta meta "$P"\n_dump content "$P"\n'
    if crontab_user is not None:
        s += (
            "command -v crontab >/dev/null 2>&1 || _status error 'no crontab command'\n"
            f"_sec body; crontab -u {shq(crontab_user)} -l 2>/dev/null; _r=$?; _endsec\n"
            '[ "$_r" = 0 ] || _status error "crontab -l exited $_r"\n'
        )
    return s + "_status ok read\n"


def _expect(expected: bytes) -> str:
    """Refuse (sending what is there now) unless $P holds exactly `expected`."""
    return (
        "_tmp; E=$_T\n"
        + write_bytes(expected, '"$E"')
        + 'if [ -L "$P" ]; then rm -f "$E"; _status refused "is a symlink now"; fi\n'
        + 'if [ ! -f "$P" ]; then rm -f "$E"; _status refused "the file is gone"; fi\n'
        + 'if ! cmp -s "$E" "$P"; then rm -f "$E"; _dump current "$P";'
        + ' _status refused "the file changed since it was read"; fi\n'
    )


def atomic_write_script(token: str, root: str, path: str, expected: bytes, new: bytes) -> str:
    """Replace the file by a temp file in the same directory (same owner and mode), renamed
    over it: cron never reads a half-written crontab, and a crash leaves the old one."""
    return (
        _head(token, root)
        + f'P="$ROOT"{shq(path)}\n'
        + _expect(expected)
        + 'D=${P%/*}\nN=$(mktemp "$D/.cockpit.XXXXXX" 2>/dev/null) || '
        + '{ rm -f "$E"; _status error "cannot create a temp file in $D"; }\n'
        + write_bytes(new, '"$N"')
        + "M=$(stat -c '%a' \"$P\") && O=$(stat -c '%u:%g' \"$P\") &&"
        + ' chown "$O" "$N" && chmod "$M" "$N" ||'
        + ' { rm -f "$N" "$E"; _status error "cannot give the temp file the same owner/mode"; }\n'
        + 'if ! cmp -s "$E" "$P"; then rm -f "$N" "$E"; _dump current "$P";'
        + ' _status refused "the file changed while writing"; fi\n'
        + 'mv -f "$N" "$P" || { rm -f "$N" "$E"; _status error "rename failed"; }\n'
        + 'rm -f "$E"\n_meta meta "$P"\n_dump after "$P"\n_status ok written\n'
    )


def crontab_install_script(
    token: str, path: str, user: str, expected_raw: bytes, new_body: bytes
) -> str:
    """Live user spool: install the new table with `crontab -u USER -` (so cron notices
    and writes its own header), if the spool file still holds `expected_raw`."""
    u = shq(user)
    return (
        _head(token, "")
        + f"P={shq(path)}\n"
        + _expect(expected_raw)
        + "_tmp; N=$_T\n"
        + write_bytes(new_body, '"$N"')
        + f'_out=$(crontab -u {u} - <"$N" 2>&1); _r=$?\n'
        + 'rm -f "$N" "$E"\n'
        + '[ "$_r" = 0 ] || _status error "crontab -u exited $_r: $_out"\n'
        + f'_dump after "$P"\n_sec body; crontab -u {u} -l 2>/dev/null; _endsec\n'
        + "_status ok installed\n"
    )


def chmod_script(token: str, root: str, path: str, expected: bytes, mode: int, new: int) -> str:
    """Set the script's mode to `new` if its content and mode are what the plan saw."""
    return (
        _head(token, root)
        + f'P="$ROOT"{shq(path)}\n'
        + _expect(expected)
        + 'rm -f "$E"\n'
        + f'[ "$(stat -c \'%a\' "$P")" = {mode:o} ] || '
        + '{ _meta current_meta "$P"; _status refused "its mode changed since it was read"; }\n'
        + f'chmod {new:o} "$P" || _status error "chmod failed"\n'
        + '_meta meta "$P"\n_status ok chmod\n'
    )


def remove_script(
    token: str, root: str, path: str, expected: bytes, command: str | None = None
) -> str:
    """Live: run `command` (atrm N, shutdown -c) and check the file is gone after;
    offline (command None): remove the file under ROOT. Both refuse if it changed."""
    s = _head(token, root) + f'P="$ROOT"{shq(path)}\n' + _expect(expected) + 'rm -f "$E"\n'
    if command is None:
        s += 'rm -f "$P" || _status error "cannot remove the file"\n'
    else:
        s += (
            f"_out=$({command} 2>&1); _r=$?\n"
            '[ "$_r" = 0 ] || _status error "exited $_r: $_out"\n'
            # a cancelled shutdown's pid/schedule file goes away shortly after
            '_i=0; while [ -e "$P" ] && [ "$_i" -lt 10 ]; do sleep 0.2 2>/dev/null || sleep 1;'
            " _i=$((_i + 1)); done\n"
        )
    return s + '_dump after "$P"\n[ -e "$P" ] && _status error "still there"\n_status ok removed\n'


@dataclass(frozen=True)
class Answer:
    """A script's framed answer: sections (raw bytes) and the final status."""

    status: str  # ok | refused | error | broken (no status line: the script died)
    message: str
    sections: dict[str, bytes] = field(default_factory=dict)


def parse_answer(raw: bytes, token: str) -> Answer:
    """Total: any bytes give an Answer; a missing status line is `broken`, never ok."""
    tok = token.encode()
    sections: dict[str, bytes] = {}
    begin = re.compile(re.escape(tok) + rb" SECTION (\S+)\n")
    end = b"\n" + tok + b" ENDSECTION\n"
    status = re.compile(re.escape(tok) + rb" STATUS (\S+) ?(.*)\n?", re.DOTALL)
    pos = 0
    while True:
        m = begin.search(raw, pos)
        if m is None:
            break
        stop = raw.find(end, m.end())
        if stop < 0:
            break
        sections[m.group(1).decode()] = raw[m.end() : stop]
        pos = stop + len(end)
    found = status.search(raw, pos)
    if found is None:
        tail = raw[-300:].decode("utf-8", "replace").strip()
        return Answer("broken", f"the script did not finish ({tail or 'no output'})", sections)
    return Answer(
        found.group(1).decode(),
        found.group(2).decode("utf-8", "replace").strip(),
        sections,
    )
