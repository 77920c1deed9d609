#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# SA lifetimes and the events they raise, the carrier, and ACQUIRE, with
# the kernel's own XFRM as the peer, and "ikevtictl --json monitor"
# recording every event of ns A (each line time-stamped as it arrives).
#
#   +------------------------------------+                  +---------------------------+
#   | ns A  (ikevti)                     |  veth            | ns B  (kernel XFRM)       |
#   |                      va 10.7.0.1 --+------------------+-- vb 10.7.0.2             |
#   | ikv0 192.168.1.1  remote 10.7.0.2  |  ESP aes-gcm     | d0 192.168.2.1            |
#   |      route 192.168.2.0/24          |                  | xfrm state per SPI,       |
#   | ikv1 192.168.3.1  remote 10.7.0.3  |  (nobody there)  |   tunnel-mode policies    |
#   |      mode on-demand, no SA         |                  |   192.168.1.0/24 <->      |
#   | ikv2 192.168.5.1  remote 10.7.0.4  |  (nobody there)  |   192.168.2.0/24          |
#   | udpflood.py recv :9000             |                  | udpflood.py recv :9000    |
#   +------------------------------------+                  +---------------------------+
#
#   - carrier: ikv0 and ikv2 (always-on) have none without an outbound SA,
#     not even with an inbound one, and get it with "sa add dir out";
#     on-demand ikv1 has it with no SA at all;
#   - seconds (ikv2, out 0x3003, cookie 44): soft 2 s / hard 4 s, one
#     event each, on time; after the hard one the SA is gone and, with it
#     the only outbound SA, the carrier;
#   - packets (ikv0, out 0x1001, cookie 42): soft 5 / hard 8: the soft
#     event after the 5th datagram (cur packets 5), the hard one after the
#     8th; the SA and the carrier go, and B received datagrams 1-8 only;
#   - bytes (ikv0, in 0x2002, cookie 43): soft 500 / hard 1000, with
#     100-byte packets from B: soft after the 5th, hard after the 10th,
#     A's socket got those 10 only, later ones count as unknown SPI;
#   - ACQUIRE: 40 datagrams within 0.2 s into on-demand ikv1 raise exactly
#     one event (src, dst, proto, ports of the first), one more a second
#     later raises a second; always-on ikv0 without SA raises none;
#   - SA_SET: new packet limits on a live SA (0x1005, cookie 45) take
#     effect from its current count; a set naming only a hard limit drops
#     the soft one (0x1006, cookie 46, no soft event), and a hard time
#     limit set on an SA already older than it expires it at once.

source "$(dirname "$0")/lib.sh"

require_ikevti
require_ikevtictl
require_cmd python3 nsenter od
[ -n "${IP_LIB_DIR:-}" ] || [ -e /usr/lib/x86_64-linux-gnu/ip/link_ikevti.so ] ||
	skip "the ip(8) plugin link_ikevti.so is not built (make tools) nor installed"

# nsenter, not "ip netns exec": that remounts /sys and costs a second and
# more per call in a TCG guest.
nsx() { nsenter --net="/run/netns/$1" "${@:2}"; }
ctl() { nsx "$A" "$IKEVTICTL" "$@"; }

kmsg_mark
setup_ns A B || exit $ksft_fail
ip -n "$B" xfrm state list >/dev/null 2>&1 || skip "the kernel has no XFRM (CONFIG_XFRM_USER)"
tmp=$(mktemp -d) || exit $ksft_fail
on_exit "rm -rf $tmp"

ip link add va netns "$A" type veth peer name vb netns "$B"
ip -n "$A" addr add 10.7.0.1/24 dev va
ip -n "$A" link set va up
ip -n "$B" addr add 10.7.0.2/24 dev vb
ip -n "$B" link set vb up
ip -n "$B" link add d0 type dummy
ip -n "$B" addr add 192.168.2.1/24 dev d0
ip -n "$B" link set d0 up
ip -n "$B" route add 192.168.1.0/24 dev vb src 192.168.2.1

# dev N REMOTE [mode on-demand]: ikvN, inner 192.168.(2N+1).1/24, routes
# to 192.168.(2N+2).0/24.
dev() {
	local n=$1 remote=$2

	ip -n "$A" link add "ikv$n" type ikevti local 10.7.0.1 remote "$remote" "${@:3}"
	nsx "$A" sysctl -q -w "net.ipv6.conf.ikv$n.disable_ipv6=1"
	ip -n "$A" addr add "192.168.$((2 * n + 1)).1/24" dev "ikv$n"
	ip -n "$A" link set "ikv$n" up
	ip -n "$A" route add "192.168.$((2 * n + 2)).0/24" dev "ikv$n"
}
dev 0 10.7.0.2
dev 1 10.7.0.3 mode on-demand
dev 2 10.7.0.4

K=$(od -An -tx1 -N20 /dev/urandom | tr -d ' \n')
XAEAD="aead rfc4106(gcm(aes)) 0x$K 128"
ip -n "$B" -batch - <<EOF
xfrm policy add src 192.168.2.0/24 dst 192.168.1.0/24 dir out tmpl src 10.7.0.2 dst 10.7.0.1 proto esp mode tunnel
xfrm policy add src 192.168.1.0/24 dst 192.168.2.0/24 dir in tmpl src 10.7.0.1 dst 10.7.0.2 proto esp mode tunnel
xfrm state add src 10.7.0.1 dst 10.7.0.2 proto esp spi 0x1001 mode tunnel replay-window 32 $XAEAD
xfrm state add src 10.7.0.1 dst 10.7.0.2 proto esp spi 0x1005 mode tunnel replay-window 32 $XAEAD
xfrm state add src 10.7.0.1 dst 10.7.0.2 proto esp spi 0x1006 mode tunnel replay-window 32 $XAEAD
xfrm state add src 10.7.0.2 dst 10.7.0.1 proto esp spi 0x2002 mode tunnel replay-window 32 $XAEAD
xfrm state add src 10.7.0.1 dst 10.7.0.2 proto esp spi 0x1007 mode tunnel replay-window 32 $XAEAD
EOF

# Every event of ns A, each line prefixed with the time it arrived.
nsx "$A" "$IKEVTICTL" --json monitor 2>"$tmp/monitor.err" |
	while IFS= read -r line; do printf '%s %s\n' "$EPOCHREALTIME" "$line"; done \
	>"$tmp/ev" &
# nsenter execs python: $! is the process to signal at the end.
nsenter --net="/run/netns/$A" python3 "$IKEVTI_SELFTESTS_DIR/helpers/udpflood.py" recv \
	--bind 192.168.1.1 --port 9000 --seqs --ready "$tmp/ready.A" >"$tmp/recv.A" &
recv_a=$!
nsenter --net="/run/netns/$B" python3 "$IKEVTI_SELFTESTS_DIR/helpers/udpflood.py" recv \
	--bind 192.168.2.1 --port 9000 --seqs --ready "$tmp/ready.B" >"$tmp/recv.B" &
recv_b=$!
for _ in $(seq 100); do
	[ -e "$tmp/ready.A" ] && [ -e "$tmp/ready.B" ] && break
	sleep 0.1
done
# The monitor started before the receivers, which take longer to start.
sleep 0.3

# nev REGEX: how many events so far match.
nev() { grep -c -- "$1" "$tmp/ev"; }
# wait_ev REGEX COUNT SECS: until COUNT events match, or SECS passed.
wait_ev() {
	local end=$((${EPOCHREALTIME/./} + ${3%.*} * 1000000))

	while [ "$(nev "$1")" -lt "$2" ] && [ "${EPOCHREALTIME/./}" -lt "$end" ]; do
		sleep 0.1
	done
}
# ev_expire SPI COOKIE soft|hard
ev_expire() {
	local hard=false
	[ "$3" = hard ] && hard=true
	echo "\"event\":\"expire\",.*\"dir\":\"[a-z]*\",\"spi\":$(($1)),\"cookie\":$2,\"hard\":$hard"
}
carrier() {
	if ip -n "$A" link show "$1" | grep -q LOWER_UP; then echo 1; else echo 0; fi
}
wait_carrier() {
	for _ in $(seq 30); do
		[ "$(carrier "$1")" = "$2" ] && break
		sleep 0.1
	done
	carrier "$1"
}
# has_sa DEV in|out SPI: 1 when sa show lists it.
has_sa() {
	if ctl --json sa show "$1" | grep -q "\"dir\":\"$2\",\"spi\":$(($3)),"; then
		echo 1
	else
		echo 0
	fi
}
# One udpflood.py per namespace sends every burst: starting an interpreter
# costs up to seconds in a loaded TCG guest.
declare -A SIN SOUT
sender() {
	local fd

	mkfifo "$tmp/$1.in" "$tmp/$1.out" || return 1
	nsenter --net="/run/netns/${!1}" python3 "$IKEVTI_SELFTESTS_DIR/helpers/udpflood.py" \
		batch <"$tmp/$1.in" >"$tmp/$1.out" &
	exec {fd}>"$tmp/$1.in"
	SIN[$1]=$fd
	exec {fd}<"$tmp/$1.out"
	SOUT[$1]=$fd
}
# burst A|B SEND-OPTIONS...: one "udpflood.py send" there; its answer
# goes to $reply.
burst() {
	echo "${*:2}" >&"${SIN[$1]}"
	read -r reply <&"${SOUT[$1]}"
	[[ $reply == *'"error"'* ]] && echo "# udpflood.py send ${*:2}: $reply"
}
# send A|B DST FIRST COUNT [OPTIONS]: COUNT numbered datagrams to DST:9000.
send() {
	burst "$1" --dst "$2" --port 9000 --first "$3" --count "$4" --rate 1000 "${@:5}"
}
sender A
sender B

# --- carrier -----------------------------------------------------------------
check_eq "always-on, no SA: no carrier" 0 "$(carrier ikv0)"
check_match "ip shows NO-CARRIER" NO-CARRIER "$(ip -n "$A" link show ikv0)"
check_eq "on-demand, no SA: carrier" 1 "$(carrier ikv1)"
ctl sa add ikv2 dir in spi 0x3004 enc aes-gcm key "$K"
check_eq "an inbound SA alone brings no carrier" 0 "$(carrier ikv2)"

# --- seconds: runs while the rest goes on ------------------------------------
t_add=$EPOCHREALTIME
ctl sa add ikv2 dir out spi 0x3003 enc aes-gcm key "$K" \
	lifetime soft secs 2 lifetime hard secs 4 cookie 44
check_eq "sa add dir out brings the carrier" 1 "$(carrier ikv2)"

# --- ACQUIRE -----------------------------------------------------------------
send A 192.168.2.1 0 5
check_eq "always-on ikv0 without SA sends nothing" "0 0" \
	"$(ip -n "$A" -j -s link show ikv0 | python3 -c '
import json, sys; s = json.load(sys.stdin)[0]["stats64"]["tx"]
print(s["packets"], s["bytes"])')"
send A 192.168.4.1 0 40 --rate 200 --sport 4444
acq_secs=$(grep -o '"secs": [0-9.]*' <<<"$reply" | cut -d' ' -f2)
ACQ='"event":"acquire",.*"ifname":"ikv1","src":"192.168.3.1","dst":"192.168.4.1","proto":17,"sport":4444,"dport":9000'
wait_ev "$ACQ" 1 2
sleep 0.3
check_eq "40 datagrams in ${acq_secs:-?} s (< 1 s), one ACQUIRE with their flow" "1 1" \
	"$(nev "$ACQ") $(awk "BEGIN { print (${acq_secs:-9} < 1) }")"
sleep 1
send A 192.168.4.1 40 1 --sport 4444
wait_ev "$ACQ" 2 2
check_eq "a second later, the next datagram raises the next ACQUIRE" 2 "$(nev "$ACQ")"
check_eq "no ACQUIRE from always-on ikv0" 0 "$(nev '"event":"acquire",.*"ifname":"ikv0"')"
check_match "every such datagram counted as no outbound SA" '"no_sa_out":41,' \
	"$(ctl --json link show ikv1)"

# --- packets -----------------------------------------------------------------
ctl sa add ikv0 dir out spi 0x1001 enc aes-gcm key "$K" \
	lifetime soft packets 5 lifetime hard packets 8 cookie 42
check_eq "ikv0 gets its carrier with its outbound SA" 1 "$(carrier ikv0)"
send A 192.168.2.1 100 5
wait_ev "$(ev_expire 0x1001 42 soft)" 1 2
check_eq "5 packets: one soft expire event, with the SPI and the cookie" 1 \
	"$(nev "$(ev_expire 0x1001 42 soft)")"
check_eq "it carries the SA's count" 1 \
	"$(nev "$(ev_expire 0x1001 42 soft),\"cur\":{[^}]*\"packets\":5[,}]")"
check_eq "no hard one yet" 0 "$(nev "$(ev_expire 0x1001 42 hard)")"
check_match "the SA is still there, marked soft-expired" \
	'"cur":\{[^}]*"packets":5,[^}]*"expired":1' "$(ctl --json sa show ikv0 dir out spi 0x1001)"
send A 192.168.2.1 105 3
wait_ev "$(ev_expire 0x1001 42 hard)" 1 2
check_eq "8 packets: one hard expire event, with the count" 1 \
	"$(nev "$(ev_expire 0x1001 42 hard),\"cur\":{[^}]*\"packets\":8[,}]")"
check_eq "and the SA is gone" 0 "$(has_sa ikv0 out 0x1001)"
check_eq "and with the only outbound SA, the carrier" 0 "$(wait_carrier ikv0 0)"
send A 192.168.2.1 108 2
check_eq "still one soft and one hard event for it" "1 1" \
	"$(nev "$(ev_expire 0x1001 42 soft)") $(nev "$(ev_expire 0x1001 42 hard)")"
check_match "B's XFRM state decrypted exactly 8" 'lifetime current:.*[^0-9]8\(packets\)' \
	"$(ip -n "$B" -s xfrm state get src 10.7.0.1 dst 10.7.0.2 proto esp spi 0x1001 | tr '\n' ' ')"

# --- bytes -------------------------------------------------------------------
# 72 bytes of UDP payload: 100-byte inner IPv4 packets.
ctl sa add ikv0 dir in spi 0x2002 enc aes-gcm key "$K" \
	lifetime soft bytes 500 lifetime hard bytes 1000 cookie 43
send B 192.168.1.1 300 5 --size 72
wait_ev "$(ev_expire 0x2002 43 soft)" 1 2
check_eq "500 bytes: one soft expire event" 1 \
	"$(nev "$(ev_expire 0x2002 43 soft),\"cur\":{[^}]*\"bytes\":500,")"
check_eq "no hard one yet" 0 "$(nev "$(ev_expire 0x2002 43 hard)")"
send B 192.168.1.1 305 5 --size 72
wait_ev "$(ev_expire 0x2002 43 hard)" 1 2
check_eq "1000 bytes: one hard expire event" 1 \
	"$(nev "$(ev_expire 0x2002 43 hard),\"cur\":{[^}]*\"bytes\":1000,")"
check_eq "and the inbound SA is gone" 0 "$(has_sa ikv0 in 0x2002)"
send B 192.168.1.1 310 2 --size 72
check_match "later packets count as an unknown SPI" '"invalid_sa":2[,}]' \
	"$(ctl --json link show ikv0)"

# --- SA_SET ------------------------------------------------------------------
ctl sa add ikv0 dir out spi 0x1005 enc aes-gcm key "$K" cookie 45
send A 192.168.2.1 200 3
check_cmd "sa set: soft 4 and hard 6 packets on an SA that sent 3" \
	ctl sa set ikv0 dir out spi 0x1005 lifetime soft packets 4 lifetime hard packets 6
check_match "sa show has the new limits" '"soft_packets":4,"hard_packets":6\}' \
	"$(ctl --json sa show ikv0 dir out spi 0x1005)"
check_eq "no event from the set itself" 0 "$(nev '"spi":4101,')"
send A 192.168.2.1 203 1
wait_ev "$(ev_expire 0x1005 45 soft)" 1 2
check_eq "the 4th packet: soft expire" 1 "$(nev "$(ev_expire 0x1005 45 soft)")"
send A 192.168.2.1 204 3
wait_ev "$(ev_expire 0x1005 45 hard)" 1 2
check_eq "the 6th packet: hard expire, the SA gone" "1 0" \
	"$(nev "$(ev_expire 0x1005 45 hard)") $(has_sa ikv0 out 0x1005)"

ctl sa add ikv0 dir out spi 0x1006 enc aes-gcm key "$K" cookie 46 \
	lifetime soft packets 2
check_cmd "sa set naming only a hard limit" \
	ctl sa set ikv0 dir out spi 0x1006 lifetime hard packets 100
send A 192.168.2.1 400 3
sleep 0.3
check_eq "drops the soft one: no event after 3 packets" 0 "$(nev '"spi":4102,')"
sleep 1
t_set=$EPOCHREALTIME
check_cmd "sa set: hard 1 s on an SA older than that" \
	ctl sa set ikv0 dir out spi 0x1006 lifetime hard secs 1
wait_ev "$(ev_expire 0x1006 46 hard)" 1 2
t_ev=$(grep -m1 -- "$(ev_expire 0x1006 46 hard)" "$tmp/ev" | cut -d' ' -f1)
check_eq "expires it at once (within 1 s)" 1 \
	"$(awk "BEGIN { print (\"$t_ev\" != \"\" && $t_ev - $t_set < 1) }")"
check_eq "and it is gone" 0 "$(has_sa ikv0 out 0x1006)"

# --- sequence numbers run out ------------------------------------------------
out=$(ctl sa add ikv0 dir in spi 0x2007 enc aes-gcm key "$K" seq 5 2>&1)
check_match "a starting sequence number is for outbound SAs" 'for outbound SAs' "$out"
out=$(ctl sa add ikv0 dir out spi 0x1007 enc aes-gcm key "$K" seq 0x100000000 2>&1)
check_match "and has 32 bits without esn" 'exceeds 32 bits' "$out"
# devstat NAME: a counter of ikv0.
devstat() { ctl --json link show ikv0 | grep -o "\"$1\":[0-9]*" | cut -d: -f2; }
nosa0=$(devstat no_sa_out)
ctl sa add ikv0 dir out spi 0x1007 enc aes-gcm key "$K" cookie 47 seq 0xfffffff0
send A 192.168.2.1 500 20
wait_ev "$(ev_expire 0x1007 47 hard)" 1 2
check_eq "starting at 2^32 - 16, the first packet says the numbers run out" 1 \
	"$(nev '"event":"seq-wrap",.*"spi":4103,"cookie":47')"
check_eq "the 16th has none left: one hard expire, at seq 2^32 - 1" 1 \
	"$(nev "$(ev_expire 0x1007 47 hard),\"cur\":{[^}]*\"seq\":4294967295[,}]")"
check_eq "and the SA is gone" 0 "$(has_sa ikv0 out 0x1007)"
check_eq "one packet counted as out of sequence numbers, the 4 after it as no SA" \
	"1 4" "$(devstat seq_exhausted) $(($(devstat no_sa_out) - nosa0))"

# --- seconds, the result -----------------------------------------------------
wait_ev "$(ev_expire 0x3003 44 hard)" 1 $((${t_add%.*} + 8 - ${EPOCHREALTIME%.*}))
t_soft=$(grep -m1 -- "$(ev_expire 0x3003 44 soft)" "$tmp/ev" | cut -d' ' -f1)
t_hard=$(grep -m1 -- "$(ev_expire 0x3003 44 hard)" "$tmp/ev" | cut -d' ' -f1)
echo "# seconds: soft after $(awk "BEGIN { print ${t_soft:-0} - $t_add }") s, hard after $(awk "BEGIN { print ${t_hard:-0} - $t_add }") s"
# Lifetimes count whole seconds from the add: up to 1 s early, and the
# emulator may be late.
check_eq "soft 2 s: one event, 1-3.5 s after the add" "1 1" \
	"$(nev "$(ev_expire 0x3003 44 soft)") $(awk "BEGIN { d = ${t_soft:-0} - $t_add; print (d >= 1 && d <= 3.5) }")"
check_eq "hard 4 s: one event, 3-6 s after the add" "1 1" \
	"$(nev "$(ev_expire 0x3003 44 hard)") $(awk "BEGIN { d = ${t_hard:-0} - $t_add; print (d >= 3 && d <= 6) }")"
check_eq "the SA is gone, the inbound one stays" "0 1" \
	"$(has_sa ikv2 out 0x3003) $(has_sa ikv2 in 0x3004)"
check_eq "and so is the carrier" 0 "$(wait_carrier ikv2 0)"

# --- what got through --------------------------------------------------------
kill -TERM "$recv_a" "$recv_b"
wait "$recv_a" "$recv_b"
seqs() { python3 -c 'import json, sys; print(*json.load(sys.stdin)["seqs"])' <"$1"; }
check_eq "B received datagrams 100-107 (packet limit), 200-205 (set), 400-402, 500-514 (sequence numbers)" \
	"$(echo {100..107} {200..205} 400 401 402 {500..514})" "$(seqs "$tmp/recv.B")"
check_eq "A received datagrams 300-309 (byte limit)" "$(echo {300..309})" "$(seqs "$tmp/recv.A")"
check_eq "the monitor saw no error" "" "$(cat "$tmp/monitor.err")"

kmsg_check "kernel log stays clean"
finish
