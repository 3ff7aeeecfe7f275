"""Command line: `cockpit`, `cockpit check`, `cockpit replay`, `cockpit report`."""
