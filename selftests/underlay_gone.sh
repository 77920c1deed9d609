#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The namespace an ikevti device was created in holds its underlay, also
# after the device moved to another namespace.  When that namespace goes
# away first, the device must lose its underlay cleanly: no pointer to
# the freed namespace may be used again (the VM runner poisons freed
# namespaces, slub_debug=FZPU,net_namespace, so a use shows as a fault).
#
#   +--------------------------+  veth   +-------------------+
#   | ns U (created ik0 here)  |---------| ns P              |
#   |  va 10.8.0.1             |         |  vb 10.8.0.2      |
#   +--------------------------+         +-------------------+
#   +--------------------------+
#   | ns D                     |  ik0 moved here, its underlay still in U
#   |  ik0 192.168.8.1         |
#   +--------------------------+
#
#   - before: ik0 in D has its carrier and a link-netns; a datagram
#     through it is protected by the outbound SA and leaves through U;
#   - "ip netns del U": the kernel says the device lost its underlay; in
#     D, "ip -d link show" works and shows no link-netns, the carrier is
#     gone, every SA is flushed, and a new SA is refused with a message;
#   - a datagram sent through it is not transmitted;
#   - "ip link set ... type ikevti ttl 9" still works, "dev lo" is refused
#     (no underlay to look it up in), and the device can be deleted.

source "$(dirname "$0")/lib.sh"

require_ikevti
require_ikevtictl
require_cmd awk
[ -n "${IP_LIB_DIR:-}" ] || [ -e /usr/lib/x86_64-linux-gnu/ip/link_ikevti.so ] ||
	skip "the ip(8) plugin link_ikevti.so is not built (make tools) nor installed"

kmsg_mark
setup_ns U D P || exit $ksft_fail
ctl() { ip netns exec "$1" "$IKEVTICTL" "${@:2}"; }
K=$(od -An -tx1 -N20 /dev/urandom | tr -d ' \n')

ip link add va netns "$U" type veth peer name vb netns "$P"
ip -n "$U" addr add 10.8.0.1/24 dev va
ip -n "$U" link set va up
ip -n "$P" addr add 10.8.0.2/24 dev vb
ip -n "$P" link set vb up
ip -n "$U" link add ik0 type ikevti local 10.8.0.1 remote 10.8.0.2
ctl "$U" sa add ik0 dir out spi 0x1001 enc aes-gcm key "$K"
ctl "$U" sa add ik0 dir in spi 0x2001 enc aes-gcm key "$K"
ip -n "$U" link set ik0 netns "$D"
ip -n "$D" addr add 192.168.8.1/32 peer 192.168.8.2/32 dev ik0
ip netns exec "$D" sysctl -q -w net.ipv6.conf.ik0.disable_ipv6=1
ip -n "$D" link set ik0 up

check_match "moved to D, ik0 has its carrier" LOWER_UP "$(ip -n "$D" link show ik0)"
check_match "and a link-netns" 'link-netns(id)? ' "$(ip -n "$D" -d link show ik0)"
ip netns exec "$D" bash -c 'echo x >/dev/udp/192.168.8.2/9'
check_match "a datagram through it is protected by the outbound SA" \
	'"dir":"out","spi":4097,.*"cur":\{[^}]*"packets":1,' "$(ctl "$D" --json sa show ik0)"

mark=$(dmesg | wc -l)
ip netns del "$U"
# The namespace is torn down by a kernel worker, a little later.
gone=0
for _ in $(seq 50); do
	if dmesg | tail -n +"$((mark + 1))" | grep -q 'ik0: the underlay namespace is gone'; then
		gone=1
		break
	fi
	sleep 0.1
done
check_eq "the kernel says ik0 lost its underlay" 1 "$gone"

out=$(ip -n "$D" -d link show ik0 2>&1)
check_match "ip -d link show still works" 'ikevti ' "$out"
check_eq "and shows no link-netns" 0 "$(grep -cE 'link-netns' <<<"$out")"
check_match "the carrier is gone" NO-CARRIER "$(ip -n "$D" link show ik0)"
check_eq "every SA is flushed" "[]" "$(ctl "$D" --json sa show ik0)"
out=$(ctl "$D" sa add ik0 dir out spi 0x1002 enc aes-gcm key "$K" 2>&1)
check_match "a new SA is refused, with the reason" 'underlay namespace of the device is gone' "$out"

tx() { ip -n "$D" -s -j link show ik0 | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["stats64"]["tx"]["packets"])'; }
before=$(tx)
ip netns exec "$D" bash -c 'echo x >/dev/udp/192.168.8.2/9' 2>/dev/null
sleep 0.2
check_eq "a datagram sent through it is not transmitted" "$before" "$(tx)"

check_cmd "ip link set ... type ikevti ttl 9 still works" \
	ip -n "$D" link set ik0 type ikevti ttl 9
check_match "and shows" 'ttl 9' "$(ip -n "$D" -d link show ik0)"
out=$(ip -n "$D" link set ik0 type ikevti dev lo 2>&1)
check_match "an outgoing interface is refused: no underlay to find it in" \
	'underlay namespace of the device is gone' "$out"
check_cmd "the device can be deleted" ip -n "$D" link del ik0

kmsg_check "kernel log stays clean"
finish
