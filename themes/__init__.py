"""cockpit's colour themes (TOML) and the app's stylesheets (.tcss).

This directory installs as the package `cockpit.themes` (pyproject's package-dir), so an
installed cockpit finds these files with importlib.resources; a checkout reads them here.
"""
