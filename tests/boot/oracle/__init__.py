"""The boot oracle (issue 11): real Debian roots, broken one way each, booted under qemu.

Pipeline, one module per step:
  scenarios/  recipes by boot stage (entry, kernel, mounts, init_exec, init_config,
              remote, incident, healthy), each with the outcome its boot showed
  trees       base tarball (tests/real/build.py) + the recipe -> a cached overlay tree
  image       tree -> raw disk (mke2fs -d) with the base's GRUB boot sectors
  runner      qemu-system-x86_64 under TCG, serial console to a file, stop when certain
  classify    console -> outcome class + the line that proves it
  observe     the cache of observed boots (<cache>/boots/<key>.json)
  check       `cockpit check --root TREE --format json` and what it must say
Run by test_oracle.py (marker `boot`), or by hand: python3 -m tests.boot.oracle --help.
"""
