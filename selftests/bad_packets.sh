#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Malformed ESP: each kind is dropped and counted under its own reason and
# nothing else moves; a barrage of 100,000 random packets is counted to
# the packet, leaves the kernel log clean, and the tunnel keeps working.
# The peer is the kernel's own XFRM, which makes the genuine packets.
#
#   +-------------------------------------+       +-----------------------------------+
#   | ns A                                |       | ns B                              |
#   |  va 10.0.0.1 -----------------------+ veth  +-- vb 10.0.0.2                     |
#   |  ikevti0 local 10.0.0.1             |       |  lo 192.168.2.1, 192.168.3.1      |
#   |          remote 10.0.0.2            |       |  ip xfrm state / policy:          |
#   |   192.168.1.1/24, sink UDP :7777    |       |   0x1000 in  <- A, aes-gcm        |
#   |   route 192.168.2.0/23 dev ikevti0  |  ESP  |   0x2000 out -> A, aes-gcm        |
#   |   out 0x1000 aes-gcm                |<------+     from 192.168.2.0/24           |
#   |   in  0x2000 aes-gcm                |       |   0x2100 out -> A, aes-cbc +      |
#   |       ts-remote 192.168.2.0/24      |       |     hmac-sha256, 192.168.3.0/24   |
#   |   in  0x2100 aes-cbc+hmac-sha256    |       |  esp_inject.py: captures genuine  |
#   |       ts-remote 192.168.3.0/24      |       |   ESP on vb, sends raw ESP        |
#   +-------------------------------------+       +-----------------------------------+
#
# esp_inject.py starts in A (genl socket for the counters, UDP sink), then
# moves to B.  Each case names every receive counter it must move, and the
# injector reports every one that did (SA counters, the SA's highest
# sequence number, the device's receive counters, datagrams at the sink).
# Packets that need a valid ICV over a bad trailer are made with known keys
# through python3-cryptography; without it those cases are skipped.
#
# The barrage: the injector works out what ikevti must make of each packet
# it sent (device invalid sa, an SA's truncated, or an SA's replay or
# integrity failure), and the counters ikevtictl shows must agree to the
# packet, each receive error with its reason; packets the veth dropped are
# taken off, and then only the totals are compared.

source "$(dirname "$0")/lib.sh"

require_ikevti
require_ikevtictl
require_cmd ping python3 jq
[ -n "${IP_LIB_DIR:-}" ] || [ -e /usr/lib/x86_64-linux-gnu/ip/link_ikevti.so ] ||
	skip "the ip(8) plugin link_ikevti.so is not built (make tools) nor installed"

BARRAGE=100000
key() { od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'; }
KO=$(key 20)			# A -> B, aes-gcm-128 and salt
KG=$(key 20)			# B -> A, aes-gcm-128 and salt
KC=$(key 16)			# B -> A, aes-cbc-128
KA=$(key 32)			# B -> A, hmac-sha256-128

kmsg_mark
setup_ns A B || exit $ksft_fail
ip link add va netns "$A" type veth peer name vb netns "$B"
ip -n "$A" addr add 10.0.0.1/24 dev va
ip -n "$B" addr add 10.0.0.2/24 dev vb
ip -n "$A" link set va up
ip -n "$B" link set vb up
# No ARP in the way: a neighbour being resolved loses packets silently.
ip -n "$B" neigh replace 10.0.0.1 dev vb nud permanent \
	lladdr "$(ip netns exec "$A" cat /sys/class/net/va/address)"

ip -n "$A" link add ikevti0 type ikevti local 10.0.0.1 remote 10.0.0.2 || exit $ksft_fail
ip netns exec "$A" sysctl -q -w net.ipv6.conf.ikevti0.disable_ipv6=1
ip -n "$A" addr add 192.168.1.1/24 dev ikevti0
ip -n "$A" link set ikevti0 up
ip -n "$A" route add 192.168.2.0/23 dev ikevti0
ctl() { ip netns exec "$A" "$IKEVTICTL" "$@"; }
ctl sa add ikevti0 dir out spi 0x1000 enc aes-gcm key "$KO" || exit $ksft_fail

ip -n "$B" addr add 192.168.2.1/32 dev lo
ip -n "$B" addr add 192.168.3.1/32 dev lo
ip -n "$B" route add 192.168.1.0/24 via 10.0.0.1
ip -n "$B" xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x1000 mode tunnel \
	aead 'rfc4106(gcm(aes))' "0x$KO" 128
ip -n "$B" xfrm state add src 10.0.0.2 dst 10.0.0.1 proto esp spi 0x2000 mode tunnel \
	aead 'rfc4106(gcm(aes))' "0x$KG" 128
ip -n "$B" xfrm state add src 10.0.0.2 dst 10.0.0.1 proto esp spi 0x2100 mode tunnel \
	enc 'cbc(aes)' "0x$KC" auth-trunc 'hmac(sha256)' "0x$KA" 128
ip -n "$B" xfrm policy add dir out src 192.168.2.0/24 dst 192.168.1.0/24 \
	tmpl src 10.0.0.2 dst 10.0.0.1 proto esp spi 0x2000 mode tunnel
ip -n "$B" xfrm policy add dir out src 192.168.3.0/24 dst 192.168.1.0/24 \
	tmpl src 10.0.0.2 dst 10.0.0.1 proto esp spi 0x2100 mode tunnel
ip -n "$B" xfrm policy add dir in src 192.168.1.0/24 dst 192.168.2.0/23 \
	tmpl src 10.0.0.1 dst 10.0.0.2 proto esp mode tunnel

coproc INJ {
	ip netns exec "$A" python3 "$IKEVTI_SELFTESTS_DIR/helpers/esp_inject.py" \
		--dev ikevti0 --peer-ns "/run/netns/$B" --iface vb \
		--src 10.0.0.2 --dst 10.0.0.1 --sink 192.168.1.1:7777
}
on_exit "kill $INJ_PID"

# inj COMMAND...: one command to the injector; its answer is in REPLY.
inj() {
	REPLY=
	echo "$*" >&"${INJ[1]}" && read -r -t 400 <&"${INJ[0]}"
}

# norm WORDS: the words sorted (in bash: a sort(1) costs a second in TCG).
norm() {
	local out=() w i

	for w in $1; do
		i=${#out[@]}
		while [ "$i" -gt 0 ] && [[ ${out[i - 1]} > $w ]]; do
			out[i]=${out[i - 1]}
			i=$((i - 1))
		done
		out[i]=$w
	done
	echo "${out[*]}"
}

# expect DESC TOKENS COMMAND...: COMMAND moves exactly the counters TOKENS.
expect() {
	local desc=$1 want=$2
	shift 2

	inj "$@"
	case $REPLY in
	skip:*) echo "# SKIP $desc: ${REPLY#skip: }"; return 0 ;;
	esac
	check_eq "$desc" "$(norm "$want")" "$(norm "$REPLY")"
}

inj key 0x2000 gcm "$KG"
check_eq "the injector runs, in A and B" ok "$REPLY" || exit $ksft_fail
inj key 0x2100 cbc-sha256 "$KC" "$KA"

# Genuine packets, taken while A has no inbound SA yet: none is used up.
expect "gcm: 3 genuine packets before A has the SA: device invalid sa" \
	"dev.invalid_sa+3 dev.recv_errors+3" capture gcm 0x2000 192.168.2.1 3
expect "cbc: 3 genuine packets before A has the SA: device invalid sa" \
	"dev.invalid_sa+3 dev.recv_errors+3" capture cbc 0x2100 192.168.3.1 3
ctl sa add ikevti0 dir in spi 0x2000 enc aes-gcm key "$KG" \
	ts-remote 192.168.2.0/24 || exit $ksft_fail
ctl sa add ikevti0 dir in spi 0x2100 enc aes-cbc key "$KC" \
	auth hmac-sha256-128 key "$KA" ts-remote 192.168.3.0/24 || exit $ksft_fail

# cases NAME SPI HDR+IV+ICV TRIM SRC: the same cases for each transform,
# on the packets captured as NAME; TRIM bytes less leave a length that is
# no multiple of the transform's block; SRC is B's inner address.
cases() {
	local p=$1 s=$2 hlen=$3 trim=$4 src=$5 ok err

	ok="dev.decaps+1 dev.decrypt+1 dev.verify+1 udp+1 $s.packets+1"
	expect "$p: a genuine packet is accepted and delivered" \
		"$ok $s.seq=1" send "$p" 0
	expect "$p: the same packet twice more: replay" \
		"$s.replay+2 dev.recv_errors+2" send "$p" 0 times=2
	expect "$p: a genuine packet with a corrupted ICV: integrity failure" \
		"$s.integrity_failed+1 dev.recv_errors+1" send "$p" 1 icv
	expect "$p: the intact packet then: accepted (the bad one did not use its number)" \
		"$ok $s.seq=2" send "$p" 1
	expect "$p: shorter than header + IV + ICV: truncated" \
		"$s.truncated+1 dev.recv_errors+1" send "$p" 2 cut=$((hlen - 1))
	expect "$p: payload not a multiple of the block size: truncated" \
		"$s.truncated+1 dev.recv_errors+1" send "$p" 2 trim="$trim"
	expect "$p: the intact packet then: accepted" \
		"$ok $s.seq=3" send "$p" 2

	# With a valid ICV over a bad payload: made here with the known key.
	err="dev.recv_errors+1"
	expect "$p: crafted, authentic: accepted (proves the crafting)" \
		"$ok $s.seq=100" craft "$s" 100 valid src=$src
	expect "$p: crafted, ICV bit flipped: integrity failure" \
		"$s.integrity_failed+1 $err" craft "$s" 101 badicv src=$src
	expect "$p: pad bytes not 1, 2, 3...: invalid padding" \
		"$s.invalid_padding+1 $s.seq=102 $err" craft "$s" 102 badpad src=$src
	expect "$p: a pad length past the payload: invalid padding" \
		"$s.invalid_padding+1 $s.seq=103 $err" craft "$s" 103 hugepad src=$src
	expect "$p: next header 99: unknown protocol" \
		"$s.unknown_proto+1 $s.seq=104 $err" craft "$s" 104 nexthdr nh=99 src=$src
	expect "$p: a TFC dummy packet (next header 59): consumed, no error" \
		"$s.seq=105" craft "$s" 105 dummy src=$src
	expect "$p: an inner source outside the SA's selectors: ts unacceptable" \
		"$s.ts_unacceptable+1 $s.seq=106 $err" craft "$s" 106 valid src=192.168.9.9
}
cases gcm 0x2000 32 1 192.168.2.1
cases cbc 0x2100 40 4 192.168.3.1

expect "an unknown SPI at the tunnel's addresses: device invalid sa" \
	"dev.invalid_sa+1 dev.recv_errors+1" raw 0xdeadbeef 100
expect "A's own outbound SPI coming in: device invalid sa" \
	"dev.invalid_sa+1 dev.recv_errors+1" raw 0x1000 100
expect "a live SPI in 6 bytes (no sequence number): that SA's truncated" \
	"0x2000.truncated+1 dev.recv_errors+1" raw 0x2000 6
expect "a live SPI and nothing else: that SA's truncated" \
	"0x2100.truncated+1 dev.recv_errors+1" raw 0x2100 4
expect "3 bytes of a live SPI: device invalid sa" \
	"dev.invalid_sa+1 dev.recv_errors+1" raw 0x2000 3
expect "an empty ESP payload: device invalid sa" \
	"dev.invalid_sa+1 dev.recv_errors+1" raw 0x2000 0

# counters VAR: every counter of ikevti0 into the associative array VAR,
# as SPI.NAME (SPI in decimal) for the inbound SAs and dev.NAME.
counters() {
	local -n c=$1
	local k v

	c=()
	while IFS='=' read -r k v; do
		c[$k]=$v
	done < <({ ctl --json sa show ikevti0; ctl --json link show ikevti0; } |
		jq -rs '(.[0][] | select(.dir == "in") | .spi as $s | .stats |
			 to_entries[] | "\($s).\(.key)=\(.value)"),
			(.[1][0] | to_entries[] | "dev.\(.key)=\(.value)")')
}
declare -A c0 c1 bar
delta() { echo $((${c1[$1]:-0} - ${c0[$1]:-0})); }

# The barrage: half of it at the live SPIs, which exercises decryption.
seed=$((RANDOM * 32768 + RANDOM))
counters c0
drop0=$(dev_stat "$A" va rx_dropped)
inj barrage "$BARRAGE" 240 "$seed"
counters c1
for kv in $REPLY; do
	bar[${kv%%=*}]=${kv#*=}
done
lost=$((${bar[lost]:-0} + $(dev_stat "$A" va rx_dropped) - drop0))
echo "# barrage (seed $seed): $REPLY, dropped by va: $((lost - ${bar[lost]:-0}))"
check_eq "the barrage went out whole" "$BARRAGE" "${bar[sent]}"
check_eq "every packet that reached A is a receive error" \
	"$((${bar[sent]:-0} - lost))" "$(delta dev.recv_errors)"
check_eq "none was decapsulated" 0 "$(delta dev.decaps)"
reasons=$(delta dev.invalid_sa)
for s in 0x2000 0x2100; do
	n=$((s))
	for r in invalid_sa replay integrity_failed cipher_failed truncated \
		 invalid_padding unknown_proto nomem ts_unacceptable misc; do
		reasons=$((reasons + $(delta "$n.$r")))
	done
	check_eq "$s took no packet from it" 0 "$(delta "$n.packets")"
done
check_eq "each receive error has its reason counted" \
	"$(delta dev.recv_errors)" "$reasons"
if [ "$lost" = 0 ]; then
	check_eq "no whole SPI, or an unknown one: device invalid sa" \
		"$((${bar[short]} + ${bar[unknown]}))" "$(delta dev.invalid_sa)"
	for s in 0x2000 0x2100; do
		n=$((s))
		check_eq "$s: too short or misaligned: truncated" \
			"${bar[$s.truncated]}" "$(delta "$n.truncated")"
		check_eq "$s: the rest: replay or integrity failure" \
			"${bar[$s.decrypt]}" \
			"$(($(delta "$n.replay") + $(delta "$n.integrity_failed")))"
	done
else
	echo "# $lost packets lost on the way: no exact split by reason"
fi

# The tunnel still works, through both inbound SAs.
counters c0
check_cmd "ping through the tunnel from B's gcm SA" \
	ip netns exec "$B" ping -c 2 -i 0.3 -W 3 -I 192.168.2.1 192.168.1.1
check_cmd "ping through the tunnel from B's cbc SA" \
	ip netns exec "$B" ping -c 2 -i 0.3 -W 3 -I 192.168.3.1 192.168.1.1
counters c1
check_eq "the echo requests came in through 0x2000 and 0x2100" "2 2" \
	"$(delta $((0x2000)).packets) $(delta $((0x2100)).packets)"
check_eq "B's XFRM took the 4 replies, no replay, no failure" "4 0 0" \
	"$(ip -n "$B" -s xfrm state get src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x1000 |
		sed -n 's/.*(bytes), \([0-9]*\)(packets).*/\1/p
			s/.*replay \([0-9]*\) failed \([0-9]*\).*/\1 \2/p' | paste -sd' ')"

kmsg_check "kernel log stays clean"
finish
