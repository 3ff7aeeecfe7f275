"""cockpit: will this Linux host come back from its next reboot, and when is that reboot?

The package reads top to bottom as the data flows:
probes -> collector -> transports -> parsers -> facts -> rules -> engine -> render -> cli.
Everything left of the UI is pure or plain IO and never imports textual or rich.
"""

__version__ = "0.1.0"
