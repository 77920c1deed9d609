#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Link parameters of an ikevti tunnel, end to end between two ikevti peers:
# `ip -d link show` / `ip link set`, the underlay staying in the creating
# namespace after the device moves, RFC 6040 DSCP/ECN on the outer header,
# TTL, a pinned outgoing interface with or without a fixed next hop, and
# the carrier rules.
#
#   +------------------------+   veth 10.7.0.0/24   +--------------------+
#   | ns U  (underlay)       |----------------------| ns P  (peer)       |
#   |  u0 10.7.0.1           |                      |  p0 10.7.0.2       |
#   |  ikv0 created here ----+--> moved to ns C     |  ikv0 172.30.0.2   |
#   +------------------------+                      +--------------------+
#   | ns C: ikv0 172.30.0.1, SAs added here, traffic from here          |
#   +--------------------------------------------------------------------+

source "$(dirname "$0")/lib.sh"

require_ikevti
require_ikevtictl
require_cmd ping tcpdump python3
[ -n "${IP_LIB_DIR:-}" ] || [ -e /usr/lib/x86_64-linux-gnu/ip/link_ikevti.so ] ||
	skip "the ip(8) plugin link_ikevti.so is not built (make tools) nor installed"

setup_ns U P C || exit $ksft_fail
ip link add u0 netns "$U" type veth peer name p0 netns "$P"
ip -n "$U" addr add 10.7.0.1/24 dev u0
ip -n "$P" addr add 10.7.0.2/24 dev p0
ip -n "$U" link set u0 up
ip -n "$P" link set p0 up

K1=$(od -An -tx1 -N20 /dev/urandom | tr -d ' \n')
K2=$(od -An -tx1 -N20 /dev/urandom | tr -d ' \n')

# --- ip -d link show prints every option; ip link set changes them -------
check_cmd "create with every option" \
	ip -n "$U" link add ikv0 type ikevti local 10.7.0.1 remote 10.7.0.2 \
	dev u0 fwmark 0x42 ttl 33 tos inherit replay-window 4096
out=$(ip -n "$U" -d link show ikv0)
check_match "shows local and remote" 'local 10\.7\.0\.1 remote 10\.7\.0\.2' "$out"
check_match "shows the outgoing device" ' dev u0' "$out"
check_match "shows fwmark" 'fwmark 0x42' "$out"
check_match "shows ttl" 'ttl 33' "$out"
check_match "shows tos inherit" 'tos inherit' "$out"
check_match "shows replay-window" 'replay-window 4096' "$out"
check_cmd "ip link set changes options" \
	ip -n "$U" link set ikv0 type ikevti ttl 0 replay-window 0 fwmark 0
out=$(ip -n "$U" -d link show ikv0)
check_match "ttl 0 reads as inherit" 'ttl inherit' "$out"
check_match "replay-window 0 (off)" 'replay-window 0' "$out"
check_match "JSON output" '"replay_window":0' "$(ip -n "$U" -j -d link show ikv0)"
check_fail "tos with ECN bits is refused" ip -n "$U" link set ikv0 type ikevti tos 0x3
check_fail "mixed address families are refused" \
	ip -n "$U" link set ikv0 type ikevti remote fc00::2
check_match "a refused change leaves the link as it was" 'remote 10\.7\.0\.2' \
	"$(ip -n "$U" -d link show ikv0)"

# --- the device moves to ns C; its underlay stays in ns U -----------------
check_cmd "move the device to another namespace" ip -n "$U" link set ikv0 netns "$C"
ip -n "$C" addr add 172.30.0.1/32 peer 172.30.0.2/32 dev ikv0
ip -n "$C" link set ikv0 up
ip -n "$P" link add ikv0 type ikevti local 10.7.0.2 remote 10.7.0.1
ip -n "$P" addr add 172.30.0.2/32 peer 172.30.0.1/32 dev ikv0
ip -n "$P" link set ikv0 up

check_match "no carrier without an outbound SA" 'NO-CARRIER' "$(ip -n "$C" link show ikv0)"
check_cmd "SAs are added in the device's namespace" \
	ip netns exec "$C" "$IKEVTICTL" sa add ikv0 dir out spi 0x3001 enc aes-gcm key "$K1"
ip netns exec "$C" "$IKEVTICTL" sa add ikv0 dir in spi 0x3002 enc aes-gcm key "$K2"
ip netns exec "$P" "$IKEVTICTL" sa add ikv0 dir out spi 0x3002 enc aes-gcm key "$K2"
ip netns exec "$P" "$IKEVTICTL" sa add ikv0 dir in spi 0x3001 enc aes-gcm key "$K1"
check_eq "carrier up with an outbound SA" 1 "$(ip netns exec "$C" cat /sys/class/net/ikv0/carrier)"
check_cmd "ping from ns C through the underlay in ns U" \
	ip netns exec "$C" ping -c 3 -i 0.2 -W 2 172.30.0.2
check_eq "ns C itself has no route to the peer's underlay" "" \
	"$(ip -n "$C" route show 10.7.0.0/24)"

# --- RFC 6040: DSCP inherited or set, ECN copied; TTL -----------------
outer_hdr() {
	# "TOS TTL" of the (two) ESP packets on u0 while pinging with TOS $1.
	local pcap=$IKEVTI_TOP/build/tp-$U.pcap pid

	timeout 10 ip netns exec "$U" tcpdump -U -c 2 -i u0 -w "$pcap" "esp and src 10.7.0.1" 2>/dev/null &
	pid=$!
	sleep 1
	ip netns exec "$C" ping -c 2 -i 0.2 -W 1 -Q "$1" 172.30.0.2 >/dev/null
	wait $pid
	tcpdump -nv -r "$pcap" 2>/dev/null |
		sed -n 's/.*(tos \(0x[0-9a-f]*\).* ttl \([0-9]*\),.*/\1 \2/p' |
		while read -r tos ttl; do echo "$((tos)) $ttl"; done | sort -u | tr '\n' ' '
	echo
	rm -f "$pcap"
}
# Only the pings may cross during a capture: no IPv6 router solicitations.
ip netns exec "$C" sysctl -q -w net.ipv6.conf.ikv0.disable_ipv6=1
ip -n "$C" link set ikv0 type ikevti tos inherit ttl 0
check_eq "tos inherit: DSCP copied, not-ECT; ttl inherit" "184 64 " "$(outer_hdr 0xb8)"
check_eq "tos inherit: ECT(1) copied" "185 64 " "$(outer_hdr 0xb9)"
ip -n "$C" link set ikv0 type ikevti tos 0x20 ttl 33
check_eq "tos 0x20: DSCP set, ECT(0) still copied; ttl 33" "34 33 " "$(outer_hdr 0xba)"

# --- outgoing interface pinned (NEC IX outgoing-interface ... auto) -------
ip -n "$P" link add dum0 type dummy
ip -n "$P" link set dum0 up
check_cmd "pin the peer's tunnel to an interface without the route" \
	ip -n "$P" link set ikv0 type ikevti dev dum0
before=$(ip netns exec "$P" cat /sys/class/net/ikv0/statistics/tx_carrier_errors)
check_fail "no traffic leaves through the routed interface instead" \
	ip netns exec "$P" ping -c 2 -i 0.2 -W 1 172.30.0.1
after=$(ip netns exec "$P" cat /sys/class/net/ikv0/statistics/tx_carrier_errors)
check_eq "those packets are counted" 1 "$((after > before))"
ip -n "$P" link set dum0 down
check_eq "pinned interface down: carrier down" 0 \
	"$(ip netns exec "$P" cat /sys/class/net/ikv0/carrier)"
check_cmd "pin it to the interface the route uses" ip -n "$P" link set ikv0 type ikevti dev p0
check_eq "carrier back" 1 "$(ip netns exec "$P" cat /sys/class/net/ikv0/carrier)"
check_cmd "traffic flows again" ip netns exec "$P" ping -c 2 -i 0.2 -W 2 172.30.0.1
ip -n "$P" link set p0 down
check_eq "outgoing interface down: carrier down" 0 \
	"$(ip netns exec "$P" cat /sys/class/net/ikv0/carrier)"
ip -n "$P" link set p0 up

# --- a fixed next hop (NEC IX outgoing-interface IF ADDR): no route lookup
# The peer loses every route to ns U; with a next hop on p0 its tunnel
# does not need one.  10.7.0.254 on u0 stands for the router.
ip -n "$U" addr add 10.7.0.254/24 dev u0
ip netns exec "$P" sysctl -q -w net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.p0.rp_filter=0
ip -n "$P" route del 10.7.0.0/24 dev p0
check_fail "without a route, a tunnel pinned to p0 alone is stuck" \
	ip netns exec "$P" ping -c 1 -W 1 172.30.0.1
check_fail "a next hop needs dev" \
	ip -n "$P" link add ikv8 type ikevti local 10.7.0.2 remote 10.7.0.1 nexthop 10.7.0.254
check_match "and says so" "nexthop needs dev" \
	"$(ip -n "$P" link add ikv8 type ikevti local 10.7.0.2 remote 10.7.0.1 nexthop 10.7.0.254 2>&1)"
check_cmd "pin the tunnel to p0 with a next hop" \
	ip -n "$P" link set ikv0 type ikevti dev p0 nexthop 10.7.0.254
check_match "shows the next hop" 'dev p0 nexthop 10\.7\.0\.254' "$(ip -n "$P" -d link show ikv0)"
enc0=$(ip netns exec "$P" "$IKEVTICTL" --json link show ikv0 |
       python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["encaps"])')
check_cmd "traffic flows through the next hop, past the routing table" \
	ip netns exec "$P" ping -c 3 -i 0.2 -W 2 172.30.0.1
enc1=$(ip netns exec "$P" "$IKEVTICTL" --json link show ikv0 |
       python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["encaps"])')
check_eq "the peer encapsulated the 3 echo requests" 3 "$((enc1 - enc0))"
check_match "sent to the next hop's link address" '10\.7\.0\.254 .*(REACHABLE|STALE|DELAY)' \
	"$(ip -n "$P" neigh show dev p0)"
ip -n "$P" link set p0 down
check_eq "the next hop's interface down: carrier down" 0 \
	"$(ip netns exec "$P" cat /sys/class/net/ikv0/carrier)"
ip -n "$P" link set p0 up
# Up again, p0 has its prefix route back: remove it once more.
ip -n "$P" route del 10.7.0.0/24 dev p0
check_cmd "nexthop auto removes it" ip -n "$P" link set ikv0 type ikevti nexthop auto
check_fail "and the routing table rules again" \
	ip netns exec "$P" ping -c 1 -W 1 172.30.0.1
ip -n "$P" route add 10.7.0.0/24 dev p0 src 10.7.0.2
check_cmd "with the route back, traffic flows" \
	ip netns exec "$P" ping -c 2 -i 0.2 -W 2 172.30.0.1
check_eq "no next hop shown" "" \
	"$(ip -n "$P" -d link show ikv0 | grep -o 'nexthop [^ ]*')"

# The same over an IPv6 underlay: the next hop is found by neighbour
# discovery, the source is p0's own address.
ip -n "$U" addr add fd00:7::1/64 dev u0 nodad
ip -n "$U" addr add fd00:7::fe/64 dev u0 nodad
ip -n "$P" addr add fd00:7::2/64 dev p0 nodad
ip -n "$U" link add ikv6 type ikevti local fd00:7::1 remote fd00:7::2
ip -n "$P" link add ikv6 type ikevti remote fd00:7::1 dev p0 nexthop fd00:7::fe
for ns in "$U" "$P"; do
	if [ "$ns" = "$U" ]; then me=1; peer=2; o=0x6001; i=0x6002; else me=2; peer=1; o=0x6002; i=0x6001; fi
	ip netns exec "$ns" sysctl -q -w net.ipv6.conf.ikv6.disable_ipv6=1
	ip -n "$ns" addr add 172.28.0.$me/32 peer 172.28.0.$peer/32 dev ikv6
	ip -n "$ns" link set ikv6 up
	ip netns exec "$ns" "$IKEVTICTL" sa add ikv6 dir out spi $o enc aes-gcm key "$K1"
	ip netns exec "$ns" "$IKEVTICTL" sa add ikv6 dir in spi $i enc aes-gcm key "$K1"
done
ip -n "$P" -6 route del fd00:7::/64 dev p0
check_cmd "IPv6 underlay: traffic flows through the next hop, past the routing table" \
	ip netns exec "$P" ping -c 2 -i 0.2 -W 2 172.28.0.1
check_match "found by neighbour discovery" 'fd00:7::fe .*(REACHABLE|STALE|DELAY)' \
	"$(ip -n "$P" -6 neigh show dev p0)"

# --- on demand (trigger mode): carrier up, traffic asks for an SA -------
check_cmd "an on-demand tunnel" \
	ip -n "$P" link add ikv9 type ikevti local 10.7.0.2 remote 10.7.0.9 mode on-demand
check_match "shows mode on-demand" 'mode on-demand' "$(ip -n "$P" -d link show ikv9)"
ip -n "$P" addr add 172.29.0.1/32 peer 172.29.0.2/32 dev ikv9
# Only the pings: no IPv6 router solicitation may ask first.
ip netns exec "$P" sysctl -q -w net.ipv6.conf.ikv9.disable_ipv6=1
ip -n "$P" link set ikv9 up
check_eq "carrier up without any SA" 1 "$(ip netns exec "$P" cat /sys/class/net/ikv9/carrier)"
events=$IKEVTI_TOP/build/tp-ev-$P.json
timeout 4 ip netns exec "$P" "$IKEVTICTL" --json monitor >"$events" 2>/dev/null &
mon=$!
sleep 1
check_fail "no SA: the packets are dropped" \
	ip netns exec "$P" ping -c 3 -i 0.2 -W 1 172.29.0.2
wait $mon
check_eq "one ACQUIRE for the burst (rate-limited), naming the packet" 1 \
	"$(grep -c '"event":"acquire".*"dst":"172.29.0.2"' "$events")"
rm -f "$events"
check_eq "counted as no outbound SA" 3 \
	"$(ip netns exec "$P" "$IKEVTICTL" --json link show ikv9 |
	   python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["no_sa_out"])')"
check_eq "and nothing left in clear" 0 "$(ip netns exec "$P" cat /sys/class/net/ikv9/statistics/tx_packets)"

kmsg_check "kernel log stays clean"
finish
