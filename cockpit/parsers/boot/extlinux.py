"""extlinux / syslinux: LABEL blocks, DEFAULT and MENU DEFAULT.

Alpine and many ARM boards boot this way. Relative kernel paths are relative to the
config's directory, so each entry carries `base_dir`. Pure and total: text in, `Menu` out.
"""

from __future__ import annotations

from cockpit.parsers.boot.menu import Menu, RawEntry, evidence_line


def parse_extlinux(text: str, path: str) -> Menu:
    """extlinux.conf: DEFAULT, LABEL, KERNEL/LINUX, INITRD, APPEND, MENU DEFAULT."""
    base = path.rsplit("/", 1)[0] or "/"
    labels: list[dict[str, object]] = []
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
            labels.append({"label": value, "evidence": [evidence_line(path, line)], "initrds": ()})
            continue
        if key == "DEFAULT" and not labels:
            default_label, default_line = value.split()[0] if value else "", line
            continue
        if not labels:
            continue
        cur = labels[-1]
        ev: list[str] = cur["evidence"]  # type: ignore[assignment]
        if key in ("KERNEL", "LINUX") and "kernel" not in cur:
            cur["kernel"] = value.split()[0] if value else ""
            ev.append(evidence_line(path, line))
        elif key == "INITRD":
            cur["initrds"] = tuple(p for p in value.split(",") if p)
            ev.append(evidence_line(path, line))
        elif key == "APPEND":
            cur["cmdline"] = value
            ev.append(evidence_line(path, line))
            extra = [w[len("initrd=") :] for w in value.split() if w.startswith("initrd=")]
            if extra and not cur["initrds"]:
                cur["initrds"] = tuple(p for p in extra[0].split(",") if p)
        elif key == "MENU" and value.upper() == "DEFAULT":
            menu_default = len(labels) - 1
            ev.append(evidence_line(path, line))
        elif key == "MENU" and value.upper().startswith("LABEL "):
            cur["title"] = value[6:].strip()
    entries = tuple(
        RawEntry(
            title=str(lab.get("title") or lab["label"]),
            entry_id=str(lab["label"]),
            kernel=lab.get("kernel"),  # type: ignore[arg-type]
            initrds=lab["initrds"],  # type: ignore[arg-type]
            cmdline=lab.get("cmdline"),  # type: ignore[arg-type]
            version=None,
            evidence=tuple(lab["evidence"]),  # type: ignore[arg-type]
            base_dir=base,
        )
        for lab in labels
    )
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
