"""Turn HostStates into text and JSON for `cockpit check` (no terminal library needed)."""
