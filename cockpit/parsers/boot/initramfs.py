"""`boot.kernel.*` sections -> initramfs listings, modules.builtin, config symbols.

The sections come from probes/kernel.py (collector/sh/50-initramfs.sh): each starts with
the file's fingerprint line (`fp size:mtime:inode`), then what was read. A section the
host answered `cached` was replaced by the client's previous copy before parsing, so the
parser never sees that state unless the client had nothing to put there (`missing`).
"""

from __future__ import annotations

from cockpit.facts.kernel import InitramfsListing, KernelBuiltins, KernelConfig
from cockpit.facts.kmods import module_name
from cockpit.parsers.reads import reads
from cockpit.parsers.text import clean
from cockpit.snapshot import Section, Sections

#: The section families this module reads (see parsers/reads.py).
READS = reads(
    "boot.kernel.initramfs", "boot.kernel.builtin", "boot.kernel.config", "boot.kernel.files"
)

INITRAMFS = "boot.kernel.initramfs:"
BUILTIN = "boot.kernel.builtin:"
CONFIG = "boot.kernel.config:"
INDEX = "boot.kernel.files"

_STATE_WHY = {
    "timeout": "listing it hit the time bound",
    "nocmd": "no tool here can read it",
    "error": "it could not be read as an initramfs",
    "absent": "the file is not there",
    "denied": "it cannot be read by this user",
    "missing": "it was not collected",
    "cached": "the host said it was unchanged, but no earlier copy was at hand",
}


def initrd_index(sections: Sections) -> tuple[str, tuple[tuple[str, str], ...]]:
    """(state, ((path as a loader names it, listed path), ...))."""
    sec = sections.get_section(INDEX)
    out: list[tuple[str, str]] = []
    for line in sec.lines():
        words = line.split()
        if len(words) == 3 and words[0] == "initrd":
            out.append((words[1], words[2]))
    return sec.state, tuple(out)


def _generator(via: list[str], files: set[str]) -> tuple[str | None, str]:
    """Which generator built the image, as far as its files show."""
    has = files.__contains__
    if any(f.startswith(("usr/lib/dracut/", "lib/dracut/")) for f in files) or "lsinitrd" in via:
        mark = next((f for f in sorted(files) if "dracut" in f), "lsinitrd")
        return "dracut", mark
    if has("conf/initramfs.conf") or has("scripts/local"):
        return "initramfs-tools", "conf/initramfs.conf" if has(
            "conf/initramfs.conf"
        ) else "scripts/local"
    if has("init_functions") or has("buildconfig") or "lsinitcpio" in via:
        return "mkinitcpio", "init_functions" if has("init_functions") else "buildconfig"
    if has("sbin/nlplug-findfs") or has("usr/sbin/nlplug-findfs"):
        return "mkinitfs", "nlplug-findfs (Alpine)"
    if has("etc/booster.init.yaml"):
        return "booster", "etc/booster.init.yaml"
    return None, ""


def parse_listing(sec: Section) -> InitramfsListing:
    path = sec.name[len(INITRAMFS) :]
    fp: str | None = None
    via: list[str] = []
    segs: list[str] = []
    entries: int | None = None
    releases: list[str] = []
    mods: dict[str, set[str]] = {}
    files: set[str] = set()
    needs: list[str] = []
    deferred = False
    damaged: str | None = None
    for line in sec.text.splitlines():
        key, _, rest = line.partition(" ")
        if key == "fp":
            fp = rest.strip() or None
        elif key == "via":
            via.append(clean(rest.strip()))
        elif key == "seg":
            segs.append(clean(rest.strip()))
        elif key == "entries" and rest.strip().isdigit():
            entries = (entries or 0) + int(rest.strip())  # one line per archive segment
        elif key == "release":
            rel = clean(rest.strip())
            if rel and rel not in releases:
                releases.append(rel)
        elif key == "modules":
            words = rest.split()
            if words:
                mods.setdefault(clean(words[0]), set()).update(module_name(w) for w in words[1:])
        elif key == "file":
            files.add(clean(rest.strip()))
        elif key == "need":
            needs.append(clean(rest.strip()))
        elif key == "deferred":
            deferred = True
        elif key == "damaged":
            damaged = clean(rest.strip())
    for rel in mods:
        if rel not in releases:
            releases.append(rel)
    complete = sec.state == "ok" and not sec.truncated and entries is not None
    why = ""
    if deferred:
        why = "not listed yet: other initramfs files took this refresh's budget"
    elif needs:
        why = f"no {', '.join(needs)} to decompress it with"
    elif sec.state != "ok":
        why = _STATE_WHY.get(sec.state, sec.state)
    elif sec.truncated:
        why = "the listing was cut at its cap"
    elif entries is None:
        why = "the listing ended early (no entry count)"
    elif entries == 0:
        why = "it holds no files"
        complete = False
    generator, gen_ev = _generator(via, files)
    return InitramfsListing(
        path=clean(path),
        state=sec.state,
        why=why,
        fingerprint=fp,
        via=tuple(via),
        segments=tuple(segs),
        entries=entries,
        releases=tuple(releases),
        modules=tuple((rel, frozenset(names)) for rel, names in sorted(mods.items())),
        files=tuple(sorted(files)),
        generator=generator,
        generator_evidence=gen_ev,
        damaged=damaged,
        complete=complete,
    )


def listings(sections: Sections) -> tuple[InitramfsListing, ...]:
    return tuple(parse_listing(s) for s in sections.starting(INITRAMFS)[:16])


def builtins(sections: Sections) -> tuple[KernelBuiltins, ...]:
    out: list[KernelBuiltins] = []
    for sec in sections.starting(BUILTIN)[:16]:
        rel = clean(sec.name[len(BUILTIN) :])
        if sec.state != "ok" or sec.truncated:
            out.append(KernelBuiltins(rel, sec.state if sec.state != "ok" else "truncated"))
            continue
        names = frozenset(
            module_name(line.strip())
            for line in sec.text.splitlines()
            if line.strip() and not line.startswith("fp ")
        )
        out.append(KernelBuiltins(rel, "ok", names))
    return tuple(out)


def configs(sections: Sections) -> tuple[KernelConfig, ...]:
    out: list[KernelConfig] = []
    for sec in sections.starting(CONFIG)[:16]:
        suffix = clean(sec.name[len(CONFIG) :])
        if sec.state != "ok" or sec.truncated:
            out.append(KernelConfig(suffix, sec.state if sec.state != "ok" else "truncated"))
            continue
        symbols: list[tuple[str, str]] = []
        for line in sec.text.splitlines():
            line = line.strip()
            if line.startswith("CONFIG_") and "=" in line:
                name, _, val = line.partition("=")
                symbols.append((name[len("CONFIG_") :], val.strip('"')))
            elif line.startswith("# CONFIG_") and line.endswith(" is not set"):
                symbols.append((line[len("# CONFIG_") : -len(" is not set")], "n"))
        out.append(KernelConfig(suffix, "ok", tuple(symbols)))
    return tuple(out)
