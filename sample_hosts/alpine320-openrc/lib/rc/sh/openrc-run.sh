#!/bin/sh
# Shell wrapper for openrc-run (stub of OpenRC's lib/rc/sh/openrc-run.sh: only its
# presence matters to cockpit, which reads no content from it).
