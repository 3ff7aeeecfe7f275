"""The Textual app: screens and widgets over the HostBook (the only package importing textual)."""
