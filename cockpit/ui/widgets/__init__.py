"""Widgets of the host view: each renders one area from a HostEntry."""
