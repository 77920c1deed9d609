#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: throughput of ikevti against the kernel's XFRM interface and
# WireGuard, measured side by side in one run inside the VM.
#
#   +-------------------+  veth 10.9.0.0/24  +-------------------+
#   | ns A   10.9.0.1   |--------------------|   10.9.0.2   ns B |
#   |  tun 172.31.0.1   |   tunnel under     |  172.31.0.2 tun   |
#   |  iperf3 client    |       test         |  iperf3 server    |
#   +-------------------+                    +-------------------+
#
# For each case the same pair of namespaces is rebuilt with one kind of
# tunnel: ikevti on both ends, an XFRM interface (if_id) on both ends, or
# WireGuard.  Measured: single-stream TCP throughput (iperf3) and the
# packet rate of 64-byte UDP datagrams (iperf3 -u -l 64, unlimited rate,
# as received).  Prints a table of the absolute figures and ratios.
#
# Under TCG (the default on machines where KVM does not work) every figure
# is far below real hardware; the ratios are what to compare.
#
#   BENCH_SECS=N   seconds per measurement (default 5)

source "$(dirname "$0")/../lib.sh"

require_ikevti
require_cmd iperf3 python3
SECS=${BENCH_SECS:-5}

KEY_GCM=$(od -An -tx1 -N20 /dev/urandom | tr -d ' \n')
KEY_GCM2=$(od -An -tx1 -N20 /dev/urandom | tr -d ' \n')
KEY_AES=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
KEY_AES2=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
KEY_SHA=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')
KEY_SHA2=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')
KEY_CHA=$(od -An -tx1 -N36 /dev/urandom | tr -d ' \n')
KEY_CHA2=$(od -An -tx1 -N36 /dev/urandom | tr -d ' \n')

underlay() {
	setup_ns A B || return 1
	ip link add va netns "$A" type veth peer name vb netns "$B" || return 1
	ip -n "$A" addr add 10.9.0.1/24 dev va
	ip -n "$B" addr add 10.9.0.2/24 dev vb
	ip -n "$A" link set va up
	ip -n "$B" link set vb up
}

teardown() {
	ip netns del "$A" 2>/dev/null
	ip netns del "$B" 2>/dev/null
	sleep 0.5
}

tun_addrs() {
	ip -n "$A" addr add 172.31.0.1/32 peer 172.31.0.2/32 dev "$1"
	ip -n "$B" addr add 172.31.0.2/32 peer 172.31.0.1/32 dev "$1"
	ip -n "$A" link set "$1" up
	ip -n "$B" link set "$1" up
}

# ikevti_pair ENC KEY_AB KEY_BA [AUTH AKEY_AB AKEY_BA]
ikevti_pair() {
	local enc=$1 kab=$2 kba=$3 auth=${4:-} aab=${5:-} aba=${6:-}
	local aa=() ab=()

	if [ -n "$auth" ]; then
		aa=(auth "$auth" key "$aab")
		ab=(auth "$auth" key "$aba")
	fi
	ip -n "$A" link add tun type ikevti local 10.9.0.1 remote 10.9.0.2 || return 1
	ip -n "$B" link add tun type ikevti local 10.9.0.2 remote 10.9.0.1 || return 1
	ip netns exec "$A" "$IKEVTICTL" sa add tun dir out spi 0x1001 enc "$enc" key "$kab" "${aa[@]}" &&
	ip netns exec "$A" "$IKEVTICTL" sa add tun dir in spi 0x1002 enc "$enc" key "$kba" "${ab[@]}" &&
	ip netns exec "$B" "$IKEVTICTL" sa add tun dir out spi 0x1002 enc "$enc" key "$kba" "${ab[@]}" &&
	ip netns exec "$B" "$IKEVTICTL" sa add tun dir in spi 0x1001 enc "$enc" key "$kab" "${aa[@]}" || return 1
	tun_addrs tun
}

# xfrm_pair ALGSPEC_AB ALGSPEC_BA  (each a string of ip-xfrm algorithm args)
xfrm_pair() {
	local ns me peer dir

	for ns in A B; do
		if [ $ns = A ]; then me=10.9.0.1; peer=10.9.0.2; else me=10.9.0.2; peer=10.9.0.1; fi
		ip -n "${!ns}" link add tun type xfrm dev "v${ns,,}" if_id 7 || return 1
		for dir in out in; do
			ip -n "${!ns}" xfrm policy add dir $dir if_id 7 \
				src 0.0.0.0/0 dst 0.0.0.0/0 \
				tmpl src $([ $dir = out ] && echo $me || echo $peer) \
				dst $([ $dir = out ] && echo $peer || echo $me) \
				proto esp mode tunnel || return 1
		done
	done
	# shellcheck disable=SC2086
	ip -n "$A" xfrm state add src 10.9.0.1 dst 10.9.0.2 proto esp spi 0x1001 \
		mode tunnel if_id 7 $1 &&
	ip -n "$B" xfrm state add src 10.9.0.1 dst 10.9.0.2 proto esp spi 0x1001 \
		mode tunnel if_id 7 $1 &&
	ip -n "$A" xfrm state add src 10.9.0.2 dst 10.9.0.1 proto esp spi 0x1002 \
		mode tunnel if_id 7 $2 &&
	ip -n "$B" xfrm state add src 10.9.0.2 dst 10.9.0.1 proto esp spi 0x1002 \
		mode tunnel if_id 7 $2 || return 1
	tun_addrs tun
}

wg_pair() {
	local ka kb

	require_cmd wg
	ka=$(wg genkey)
	kb=$(wg genkey)
	ip -n "$A" link add tun type wireguard || return 1
	ip -n "$B" link add tun type wireguard || return 1
	ip netns exec "$A" wg set tun private-key <(echo "$ka") listen-port 51820 \
		peer "$(echo "$kb" | wg pubkey)" endpoint 10.9.0.2:51820 allowed-ips 0.0.0.0/0 &&
	ip netns exec "$B" wg set tun private-key <(echo "$kb") listen-port 51820 \
		peer "$(echo "$ka" | wg pubkey)" endpoint 10.9.0.1:51820 allowed-ips 0.0.0.0/0 ||
		return 1
	tun_addrs tun
}

# measure: prints "TCP_MBPS UDP_KPPS" for the tunnel now up between A and B.
measure() {
	local tcp udp

	ip netns exec "$B" iperf3 -s -D -I "/tmp/iperf3-$B.pid" >/dev/null 2>&1
	sleep 0.5
	ip netns exec "$A" ping -c 1 -W 3 172.31.0.2 >/dev/null || { echo "0 0"; return 1; }
	tcp=$(ip netns exec "$A" iperf3 -J -c 172.31.0.2 -t "$SECS" 2>/dev/null |
		python3 -c 'import json,sys; d=json.load(sys.stdin); print("%.1f" % (d["end"]["sum_received"]["bits_per_second"] / 1e6))')
	udp=$(ip netns exec "$A" iperf3 -J -u -l 64 -b 0 -c 172.31.0.2 -t "$SECS" 2>/dev/null |
		python3 -c 'import json,sys
d = json.load(sys.stdin)["end"]["sum"]
print("%.1f" % ((d["packets"] - d["lost_packets"]) / d["seconds"] / 1e3))')
	kill "$(cat "/tmp/iperf3-$B.pid" 2>/dev/null)" 2>/dev/null
	echo "${tcp:-0} ${udp:-0}"
}

declare -A TCP UDP
run_case() {
	local name=$1
	shift

	underlay || return 1
	if "$@"; then
		read -r TCP[$name] UDP[$name] < <(measure)
	else
		TCP[$name]=0
		UDP[$name]=0
	fi
	echo "# $name: ${TCP[$name]} Mbit/s TCP, ${UDP[$name]} kpps UDP-64" >&2
	teardown
}

ratio() { python3 -c "import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); print('%.2f' % (a/b) if b else 'n/a')" "$1" "$2"; }

run_case ikevti-gcm ikevti_pair aes-gcm "$KEY_GCM" "$KEY_GCM2"
run_case xfrm-gcm xfrm_pair "aead rfc4106(gcm(aes)) 0x$KEY_GCM 128" "aead rfc4106(gcm(aes)) 0x$KEY_GCM2 128"
run_case ikevti-cbc ikevti_pair aes-cbc "$KEY_AES" "$KEY_AES2" hmac-sha256-128 "$KEY_SHA" "$KEY_SHA2"
run_case xfrm-cbc xfrm_pair "enc cbc(aes) 0x$KEY_AES auth-trunc hmac(sha256) 0x$KEY_SHA 128" \
	"enc cbc(aes) 0x$KEY_AES2 auth-trunc hmac(sha256) 0x$KEY_SHA2 128"
run_case ikevti-chacha ikevti_pair chacha20-poly1305 "$KEY_CHA" "$KEY_CHA2"
if command -v wg >/dev/null; then
	run_case wireguard wg_pair
else
	echo "# wireguard-tools not installed (make deps): no WireGuard figures" >&2
	TCP[wireguard]=0
	UDP[wireguard]=0
fi

printf '\n%-26s %12s %12s %10s %10s\n' "case ($(uname -r))" "TCP Mbit/s" "UDP64 kpps" "TCP ratio" "UDP ratio"
row() {
	printf '%-26s %12s %12s %10s %10s\n' "$1" "${TCP[$2]}" "${UDP[$2]}" \
		"${3:+$(ratio "${TCP[$2]}" "${TCP[$3]}")}" "${3:+$(ratio "${UDP[$2]}" "${UDP[$3]}")}"
}
row "ikevti aes-gcm-128" ikevti-gcm xfrm-gcm
row "xfrm if aes-gcm-128" xfrm-gcm
row "ikevti aes-cbc+sha256" ikevti-cbc xfrm-cbc
row "xfrm if aes-cbc+sha256" xfrm-cbc
row "ikevti chacha20-poly1305" ikevti-chacha wireguard
row "wireguard" wireguard
echo "(ratios: ikevti / the kernel's XFRM interface, ikevti / WireGuard; targets 1.2 and 1.0)"
