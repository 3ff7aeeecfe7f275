"""Inventories: TOML, Ansible INI and YAML, HOST arguments, host selection."""
