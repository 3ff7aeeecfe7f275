"""extlinux / syslinux: LABEL blocks, DEFAULT and MENU DEFAULT.

Alpine and many ARM boards boot this way. Relative kernel paths are relative to the
config's directory, so each entry carries `base_dir`. Pure and total: text in, `Menu` out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cockpit.parsers.boot.menu import Menu, RawEntry, evidence_line


@dataclass
class _Label:
    """One LABEL block while it is read; it becomes a RawEntry at the end."""

    label: str
    evidence: list[str] = field(default_factory=list)
    kernel: str | None = None
    initrds: tuple[str, ...] = ()
    cmdline: str | None = None
    title: str | None = None

    def entry(self, base: str) -> RawEntry:
        return RawEntry(
            title=self.title or self.label,
            entry_id=self.label,
            kernel=self.kernel,
            initrds=self.initrds,
            cmdline=self.cmdline,
            version=None,
            evidence=tuple(self.evidence),
            base_dir=base,
        )


def parse_extlinux(text: str, path: str) -> Menu:
    """extlinux.conf: DEFAULT, LABEL, KERNEL/LINUX, INITRD, APPEND, MENU DEFAULT."""
    base = path.rsplit("/", 1)[0] or "/"
    labels: list[_Label] = []
    default_label: str | None = None
    default_line = ""
    menu_default: int | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, _, value = line.partition(" ")
        key, value = key.upper(), value.strip()
        if "\t" in key:
            key, _, rest = key.partition("\t")
            value = (rest + " " + value).strip()
        if key == "LABEL":
            labels.append(_Label(value, [evidence_line(path, line)]))
            continue
        if key == "DEFAULT" and not labels:
            default_label, default_line = value.split()[0] if value else "", line
            continue
        if not labels:
            continue
        cur = labels[-1]
        if key in ("KERNEL", "LINUX") and cur.kernel is None:
            cur.kernel = value.split()[0] if value else ""
            cur.evidence.append(evidence_line(path, line))
        elif key == "INITRD":
            cur.initrds = tuple(p for p in value.split(",") if p)
            cur.evidence.append(evidence_line(path, line))
        elif key == "APPEND":
            cur.cmdline = value
            cur.evidence.append(evidence_line(path, line))
            extra = [w[len("initrd=") :] for w in value.split() if w.startswith("initrd=")]
            if extra and not cur.initrds:
                cur.initrds = tuple(p for p in extra[0].split(",") if p)
        elif key == "MENU" and value.upper() == "DEFAULT":
            menu_default = len(labels) - 1
            cur.evidence.append(evidence_line(path, line))
        elif key == "MENU" and value.upper().startswith("LABEL "):
            cur.title = value[6:].strip()
    entries = tuple(lab.entry(base) for lab in labels)
    evidence = (evidence_line(path, default_line),) if default_line else ()
    if not entries:
        return Menu((), None, "no LABEL", evidence)
    if default_label and not default_label.lower().endswith(".c32"):
        for i, entry in enumerate(entries):
            if entry.entry_id == default_label:
                return Menu(entries, i, f"DEFAULT {default_label}", evidence)
        return Menu(
            entries,
            0,
            f"DEFAULT {default_label} names no LABEL: the first LABEL",
            evidence,
            default_label,
        )
    if menu_default is not None:
        return Menu(entries, menu_default, "the LABEL marked MENU DEFAULT", evidence)
    return Menu(entries, 0, "no DEFAULT label: the first LABEL boots", evidence)
