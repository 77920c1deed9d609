#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Traffic selectors, in both directions, against the kernel's own XFRM:
# B's policies cover the two /24s whole, ikevti's SAs only one host pair,
# UDP, remote ports 5000-5009.
#
#   +--------------------------------------+         +--------------------------------+
#   | ns A  (ikevti)                       |  veth   | ns B  (kernel XFRM)            |
#   |                        va 10.8.0.1 --+---------+-- vb 10.8.0.2                  |
#   | ikv0 192.168.1.1/24, 192.168.1.2/24  |   ESP   | d0 192.168.2.1/24, .2.2/24     |
#   |  out 0x1001, in 0x2002:              |         | policies 192.168.2.0/24 <->    |
#   |   ts-local  192.168.1.1/32           |         |   192.168.1.0/24, any proto    |
#   |   ts-remote 192.168.2.1/32 udp       |         | states 0x1001 (in), 0x1003     |
#   |             port 5000-5009           |         |   (in), 0x2002 (out)           |
#   | udpflood.py recv :7000               |         | udpflood.py recv :5000, :5009  |
#   +--------------------------------------+         +--------------------------------+
#
# Outbound: UDP 192.168.1.1 -> 192.168.2.1 ports 5000 and 5009 leave
# under 0x1001; ports 4999 and 5010, ICMP, destination 192.168.2.2 and
# source 192.168.1.2 are dropped, each counted in the device's ts_out and
# tx_dropped, and none reaches B.  "sa set" widening ts-remote lets
# 192.168.2.2 through, and a newer SA for one flow takes that flow only.
#
# Inbound: B's XFRM encrypts whatever its wide policy covers; ikevti
# delivers UDP 192.168.2.1:5005 -> 192.168.1.1 and drops source port
# 5010, source 192.168.2.2, destination 192.168.1.2 and ICMP, each
# counted in the SA's ts_unacceptable and the device's recv_errors.

source "$(dirname "$0")/lib.sh"

require_ikevti
require_ikevtictl
require_cmd python3 nsenter od ping
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
ip -n "$A" addr add 10.8.0.1/24 dev va
ip -n "$A" link set va up
ip -n "$B" addr add 10.8.0.2/24 dev vb
ip -n "$B" link set vb up
ip -n "$B" link add d0 type dummy
ip -n "$B" addr add 192.168.2.1/24 dev d0
ip -n "$B" addr add 192.168.2.2/24 dev d0
ip -n "$B" link set d0 up
ip -n "$B" route add 192.168.1.0/24 dev vb src 192.168.2.1
ip -n "$A" link add ikv0 type ikevti local 10.8.0.1 remote 10.8.0.2
nsx "$A" sysctl -q -w net.ipv6.conf.ikv0.disable_ipv6=1
ip -n "$A" addr add 192.168.1.1/24 dev ikv0
ip -n "$A" addr add 192.168.1.2/24 dev ikv0
ip -n "$A" link set ikv0 up
ip -n "$A" route add 192.168.2.0/24 dev ikv0 src 192.168.1.1

K=$(od -An -tx1 -N20 /dev/urandom | tr -d ' \n')
XAEAD="aead rfc4106(gcm(aes)) 0x$K 128"
ip -n "$B" -batch - <<EOF
xfrm policy add src 192.168.2.0/24 dst 192.168.1.0/24 dir out tmpl src 10.8.0.2 dst 10.8.0.1 proto esp mode tunnel
xfrm policy add src 192.168.1.0/24 dst 192.168.2.0/24 dir in tmpl src 10.8.0.1 dst 10.8.0.2 proto esp mode tunnel
xfrm state add src 10.8.0.1 dst 10.8.0.2 proto esp spi 0x1001 mode tunnel replay-window 32 $XAEAD
xfrm state add src 10.8.0.1 dst 10.8.0.2 proto esp spi 0x1003 mode tunnel replay-window 32 $XAEAD
xfrm state add src 10.8.0.2 dst 10.8.0.1 proto esp spi 0x2002 mode tunnel replay-window 32 $XAEAD
EOF
TS=(ts-local 192.168.1.1/32 ts-remote 192.168.2.1/32 proto udp port 5000-5009)
check_cmd "outbound SA with narrow selectors" \
	ctl sa add ikv0 dir out spi 0x1001 enc aes-gcm key "$K" "${TS[@]}"
check_cmd "inbound SA with the same selectors" \
	ctl sa add ikv0 dir in spi 0x2002 enc aes-gcm key "$K" "${TS[@]}"
check_match "sa show lists them" \
	'"ts_local":\[\{"selector":"192.168.1.1/32",[^]]*"proto":0,"port_start":0,"port_end":65535\}\],"ts_remote":\[\{"selector":"192.168.2.1/32",[^]]*"proto":17,"port_start":5000,"port_end":5009\}\]' \
	"$(ctl --json sa show ikv0 dir out spi 0x1001)"

# Listeners for what may pass, so that no ICMP error crosses the tunnel.
recv() {
	nsenter --net="/run/netns/$1" python3 "$IKEVTI_SELFTESTS_DIR/helpers/udpflood.py" \
		recv --bind 0.0.0.0 --port "$2" --seqs --ready "$tmp/ready.$2" >"$tmp/recv.$2" &
	pids+=($!)
}
pids=()
recv "$A" 7000
recv "$B" 5000
recv "$B" 5009
for _ in $(seq 100); do
	[ -e "$tmp/ready.7000" ] && [ -e "$tmp/ready.5000" ] && [ -e "$tmp/ready.5009" ] && break
	sleep 0.1
done

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
# send A|B SRC[:SPORT] DST:DPORT FIRST COUNT: numbered datagrams.
send() {
	local src=${2%:*} sport=0 dst=${3%:*} dport=${3#*:}

	[[ $2 == *:* ]] && sport=${2#*:}
	burst "$1" --bind "$src" --sport "$sport" --dst "$dst" --port "$dport" \
		--first "$4" --count "$5" --rate 1000
}
sender A
sender B
# num JSON KEY: the first number under KEY.
num() { grep -o "\"$2\":[0-9]*" <<<"$1" | head -n1 | cut -d: -f2; }
dev() { num "$(ctl --json link show ikv0)" "$1"; }
sa() { num "$(ctl --json sa show ikv0 dir "$1" spi "$2")" "$3"; }
tx_dropped() {
	ip -n "$A" -s -s link show ikv0 | awk '/TX:/ { getline; print $4; exit }'
}
xfrm_pkts() {
	ip -n "$B" -s xfrm state get src "$1" dst "$2" proto esp spi "$3" |
		sed -n 's/.* \([0-9]*\)(packets).*/\1/p'
}

# --- outbound ----------------------------------------------------------------
drop0=$(tx_dropped)
send A 192.168.1.1 192.168.2.1:5000 0 3
send A 192.168.1.1 192.168.2.1:5009 10 1
check_eq "inside: 4 datagrams under the SA" 4 "$(sa out 0x1001 packets)"
check_eq "inside: B decrypted 4" 4 "$(xfrm_pkts 10.8.0.1 10.8.0.2 0x1001)"
check_eq "inside: nothing counted outside the selectors" 0 "$(dev ts_out)"

send A 192.168.1.1 192.168.2.1:5010 20 2
check_eq "destination port 5010, past the range: ts_out" 2 "$(dev ts_out)"
send A 192.168.1.1 192.168.2.1:4999 30 1
check_eq "destination port 4999, before the range: ts_out" 3 "$(dev ts_out)"
check_fail "ICMP is not UDP: the ping fails" nsx "$A" ping -c 2 -i 0.2 -W 1 192.168.2.1
check_eq "protocol: ts_out" 5 "$(dev ts_out)"
send A 192.168.1.1 192.168.2.2:5000 40 2
check_eq "destination 192.168.2.2, outside ts-remote: ts_out" 7 "$(dev ts_out)"
send A 192.168.1.2 192.168.2.1:5000 50 2
check_eq "source 192.168.1.2, outside ts-local: ts_out" 9 "$(dev ts_out)"
check_eq "every one also in tx_dropped" 9 "$(($(tx_dropped) - drop0))"
check_eq "the SA sent none of them" 4 "$(sa out 0x1001 packets)"
check_eq "and B decrypted none" 4 "$(xfrm_pkts 10.8.0.1 10.8.0.2 0x1001)"
check_eq "no ACQUIRE-style accounting: no_sa_out stays 0" 0 "$(dev no_sa_out)"

check_cmd "sa set widens ts-remote to 192.168.2.0/24" \
	ctl sa set ikv0 dir out spi 0x1001 ts-remote 192.168.2.0/24 proto udp port 5000-5009
send A 192.168.1.1 192.168.2.2:5000 60 2
check_eq "now 192.168.2.2 goes under the SA" "6 9" "$(sa out 0x1001 packets) $(dev ts_out)"

check_cmd "a newer outbound SA for 192.168.2.2:5000 alone" \
	ctl sa add ikv0 dir out spi 0x1003 enc aes-gcm key "$K" \
	ts-local 192.168.1.1/32 ts-remote 192.168.2.2/32 proto udp port 5000
send A 192.168.1.1 192.168.2.2:5000 70 2
send A 192.168.1.1 192.168.2.1:5000 80 1
check_eq "its flow takes it, the others stay on the older one" "2 7" \
	"$(sa out 0x1003 packets) $(sa out 0x1001 packets)"
check_eq "B decrypted them under the same SPIs" "2 7" \
	"$(xfrm_pkts 10.8.0.1 10.8.0.2 0x1003) $(xfrm_pkts 10.8.0.1 10.8.0.2 0x1001)"

# --- inbound -----------------------------------------------------------------
send B 192.168.2.1:5005 192.168.1.1:7000 100 3
check_eq "inside: 3 datagrams through the inbound SA" "3 0" \
	"$(sa in 0x2002 packets) $(sa in 0x2002 ts_unacceptable)"
send B 192.168.2.1:5010 192.168.1.1:7000 110 2
check_eq "source port 5010, outside ts-remote: ts unacceptable" 2 "$(sa in 0x2002 ts_unacceptable)"
send B 192.168.2.2:5005 192.168.1.1:7000 120 2
check_eq "source 192.168.2.2, outside ts-remote: ts unacceptable" 4 "$(sa in 0x2002 ts_unacceptable)"
send B 192.168.2.1:5005 192.168.1.2:7000 130 2
check_eq "destination 192.168.1.2, outside ts-local: ts unacceptable" 6 "$(sa in 0x2002 ts_unacceptable)"
check_fail "ICMP from B is dropped: its ping fails" \
	nsx "$B" ping -c 2 -i 0.2 -W 1 -I 192.168.2.1 192.168.1.1
check_eq "protocol: ts unacceptable" 8 "$(sa in 0x2002 ts_unacceptable)"
check_eq "B's XFRM sent all 11, ikevti delivered 3" "11 3" \
	"$(xfrm_pkts 10.8.0.2 10.8.0.1 0x2002) $(sa in 0x2002 packets)"
check_eq "each drop also a device receive error" 8 "$(dev recv_errors)"
check_eq "no other SA error" "0 0 0" \
	"$(sa in 0x2002 integrity_failed) $(sa in 0x2002 replay) $(sa in 0x2002 misc)"

# --- what arrived --------------------------------------------------------------
kill -TERM "${pids[@]}"
wait "${pids[@]}"
seqs() { python3 -c 'import json, sys; print(*json.load(sys.stdin)["seqs"])' <"$tmp/recv.$1"; }
check_eq "B's port 5000 got 0-2, 60-61, 70-71, 80" "0 1 2 60 61 70 71 80" "$(seqs 5000)"
check_eq "B's port 5009 got 10" 10 "$(seqs 5009)"
check_eq "A's port 7000 got 100-102" "100 101 102" "$(seqs 7000)"

kmsg_check "kernel log stays clean"
finish
