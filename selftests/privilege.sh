#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What an unprivileged user may do with the module.
#
#   +------------------------------------+
#   | ns N                               |
#   |   uid 65534: genl.py --join events |
#   |   -> EPERM, and no GET_VERSION     |
#   |   root: joins                      |
#   +------------------------------------+
#
#   - the events multicast group (SPIs, ACQUIRE's addresses and ports)
#     needs CAP_NET_ADMIN over the namespace: uid 65534 is refused with
#     EPERM, root may join.

source "$(dirname "$0")/lib.sh"

require_ikevti
require_cmd setpriv python3
GENL=$IKEVTI_SELFTESTS_DIR/genl.py

kmsg_mark
setup_ns N || exit $ksft_fail

# --- the events group --------------------------------------------------------
# The script comes on standard input, opened before the privileges go.
nobody() {
	ip netns exec "$N" setpriv --reuid=65534 --regid=65534 --clear-groups \
		--inh-caps=-all --bounding-set=-all "$@"
}
out=$(nobody python3 /dev/stdin --join events <"$GENL" 2>&1)
check_match "uid 65534 cannot join the events group" '^error EPERM' "$out"
out=$(nobody python3 /dev/stdin 1 <"$GENL" 2>&1)
check_match "nor ask for the version" '^error EPERM' "$out"
out=$(ip netns exec "$N" python3 "$GENL" --join events 2>&1)
check_eq "root may join it" joined "$out"

kmsg_check "kernel log stays clean"
finish
