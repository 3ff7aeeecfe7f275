"""The boot chain (see model.py): stages in boot order, each proven, broken or unknown."""
