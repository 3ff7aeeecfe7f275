"""The app tests' fixtures (frozen clock, XDG dirs under tmp_path for every test here, so
no recording of a test lands in the user's state dir)."""

from tests.ui.conftest import clock, isolated_xdg

__all__ = ["clock", "isolated_xdg"]
