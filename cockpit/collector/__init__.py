"""The collector: all probes as ONE sh script per refresh, and the splitting of its output."""

from cockpit.collector.framing import split_output
from cockpit.collector.script import CollectorRun, build_script

__all__ = ["CollectorRun", "build_script", "split_output"]
