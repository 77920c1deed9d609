#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The ikevti link kind: create, show, move and delete devices.
#
#   +----------------------+        +----------------------+
#   | ns A                 |  move  | ns B                 |
#   |  ikv0  (no SA yet)   | -----> |  ikv0                |
#   |  ikv1                |        |  ikv0 (A's, renamed) |
#   +----------------------+        +----------------------+
#
# Without an outbound SA the carrier is down and nothing leaves in clear.

source "$(dirname "$0")/lib.sh"

require_ikevti
require_cmd ping
kmsg_mark
setup_ns A B || exit $ksft_fail

check_cmd "create a device" ip -n "$A" link add ikv0 type ikevti
check_cmd "create a second device" ip -n "$A" link add ikv1 type ikevti
check_cmd "same name in another namespace" ip -n "$B" link add ikv0 type ikevti
check_fail "duplicate name is refused" ip -n "$A" link add ikv0 type ikevti

out=$(ip -n "$A" -d link show ikv0)
check_match "ip -d shows the kind" '^ +ikevti ' "$out"
check_match "point-to-point, no ARP" '<POINTOPOINT,NOARP' "$out"
check_match "default MTU 1400" ' mtu 1400 ' "$out"
check_match "no link-layer address" 'link/none' "$out"

check_cmd "MTU can be changed" ip -n "$A" link set ikv0 mtu 1300
check_eq "MTU took" 1300 "$(ip netns exec "$A" cat /sys/class/net/ikv0/mtu)"
check_fail "MTU below 68 is refused" ip -n "$A" link set ikv0 mtu 60

check_cmd "bring it up" ip -n "$A" link set ikv0 up
check_cmd "address" ip -n "$A" addr add 192.0.2.1/24 dev ikv0
check_eq "carrier down without an outbound SA" 0 \
	"$(ip netns exec "$A" cat /sys/class/net/ikv0/carrier)"
check_match "ip shows NO-CARRIER" 'NO-CARRIER' "$(ip -n "$A" link show ikv0)"

# Nothing may be sent in clear text while there is no SA.
check_fail "ping through a device without SA fails" \
	ip netns exec "$A" ping -c 2 -i 0.2 -W 1 192.0.2.2
check_eq "no packet left the device" 0 "$(dev_stat "$A" ikv0 tx_packets)"
check_eq "no byte left the device" 0 "$(dev_stat "$A" ikv0 tx_bytes)"

# Devices can move between namespaces, like WireGuard's.
check_cmd "move to another namespace" \
	ip -n "$A" link set ikv1 netns "$B" name ikv1b
check_match "it arrives" 'ikv1b' "$(ip -n "$B" link show ikv1b 2>&1)"
check_fail "and is gone from the first" ip -n "$A" link show ikv1

check_cmd "delete a device" ip -n "$A" link del ikv0
check_fail "deleted device is gone" ip -n "$A" link show ikv0

# Deleting a namespace deletes the devices in it; none come back here.
ip netns del "$B"
check_eq "no ikevti device left in ns A" "" "$(ip -n "$A" -o link show type ikevti)"
check_eq "none moved to the initial namespace" "" "$(ip -o link show type ikevti)"

kmsg_check "kernel log stays clean"
finish
