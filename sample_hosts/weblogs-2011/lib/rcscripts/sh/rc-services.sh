# Copyright 1999-2007 Gentoo Foundation
# Distributed under the terms of the GNU General Public License v2
# (stub of baselayout-1's service-state library: its presence marks a baselayout-1 rc)
