#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The "ikevti" generic-netlink family: the version query through ikevtictl,
# its permission model (CAP_NET_ADMIN over the caller's netns), and strict
# validation of malformed requests, each with its own errno and extack.
#
#   init ns ---- ikevtictl / genl.py (root, nobody, userns root)
#   ns A    ---- ikevtictl (root)
#   userns+netns -- unshare -U -r -n (owns its netns: allowed)

source "$(dirname "$0")/lib.sh"

require_ikevti
require_ikevtictl
require_cmd python3 setpriv unshare

GENL="python3 $IKEVTI_SELFTESTS_DIR/helpers/genl.py"
NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all"
CMD_GET_VERSION=1
A_VERSION_MODULE=1
A_VERSION_API=2

setup_ns A || exit $ksft_fail

modver=$(cat /sys/module/ikevti/version)
hdr=$IKEVTI_TOP/uapi/linux/ikevti.h
api=$(sed -n 's/^#define IKEVTI_API_VERSION[[:space:]]*//p' "$hdr" 2>/dev/null)

out=$("$IKEVTICTL" version 2>&1)
check_match "ikevtictl version: module version" "^module $modver\$" "$out"
if [ -n "$api" ]; then
	check_match "ikevtictl version: API version of uapi/linux/ikevti.h" "^api $api\$" "$out"
fi

out=$("$IKEVTICTL" --json version 2>&1)
check_cmd "--json output parses and agrees" python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["module"] == sys.argv[2], d
assert isinstance(d["api"], int) and d["api"] >= 1, d
' "$out" "$modver"

check_cmd "works inside another netns" ip netns exec "$A" "$IKEVTICTL" version

out=$($NOBODY "$IKEVTICTL" version 2>&1)
rc=$?
check_eq "unprivileged caller fails with status 1" 1 "$rc"
check_match "unprivileged caller is told why" 'permission denied' "$out"
check_match "genl: unprivileged request gets EPERM" '^error EPERM' \
	"$($NOBODY $GENL $CMD_GET_VERSION 2>&1)"

# Root of a user namespace has no CAP_NET_ADMIN over the initial netns...
check_match "userns root, initial netns: EPERM" '^error EPERM' \
	"$(unshare -U -r $GENL $CMD_GET_VERSION 2>&1)"
# ...but has it over a netns its own user namespace owns.
check_match "userns root, own netns: allowed" '^ok' \
	"$(unshare -U -r -n $GENL $CMD_GET_VERSION 2>&1)"

out=$($GENL $CMD_GET_VERSION 2>&1)
check_match "genl: version request answered" '^ok' "$out"
want=$(python3 -c 'import struct,sys; print(struct.pack("=I", int(sys.argv[1])).hex())' "${api:-1}")
check_match "genl: IKEVTI_A_VERSION_API attribute" "^attr $A_VERSION_API $want\$" "$out"

# Malformed requests: each is refused with a specific errno and message.
check_match "reply-only attribute in a request" \
	'^error EINVAL: IKEVTI_A_VERSION_API is reply-only' \
	"$($GENL $CMD_GET_VERSION $A_VERSION_API:u32:1 2>&1)"
check_match "unknown attribute type" '^error EINVAL: Unknown attribute type' \
	"$($GENL $CMD_GET_VERSION 200:u32:1 2>&1)"
check_match "attribute with a length past the message" '^error EINVAL: ' \
	"$($GENL $CMD_GET_VERSION $A_VERSION_MODULE:raw:40000100 2>&1)"
check_match "trailing bytes after the attributes" '^error EINVAL: .*leftover' \
	"$($GENL $CMD_GET_VERSION --tail 0102 2>&1)"
check_match "non-zero reserved header field" '^error EINVAL: genlmsghdr.reserved' \
	"$($GENL --reserved 1 $CMD_GET_VERSION 2>&1)"
check_match "unknown command" '^error E(OPNOTSUPP|NOTSUP):' "$($GENL 99 2>&1)"

finish
