#!/bin/bash
# Copyright 1999-2007 Gentoo Foundation
# Distributed under the terms of the GNU General Public License v2
# (abridged reconstruction of baselayout-1.12's runscript.sh: the part that matters here)

source /etc/init.d/functions.sh
source "${svclib}"/sh/rc-services.sh
source "${svclib}"/sh/rc-daemon.sh

# Functions that need to be defined in scripts: there is no default start() that
# runs ${command} (that came with OpenRC).
start() {
	eerror "ERROR:  ${SVCNAME} does not have a start function."
	# Return failure so the symlink doesn't get created
	return 1
}

stop() {
	# Do not fail if no stop function
	return 0
}
