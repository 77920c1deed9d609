#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Teardown under load: with UDP floods running through two tunnels in both
# directions, delete one device, then unload the module with the other
# still carrying traffic, load it again while the peer keeps sending ESP,
# and bring the tunnel back.  The kernel log must stay clean throughout.
#
#   +------------------------------------+            +------------------------------+
#   | ns A  (ikevti)                     |  veth      | ns B  (kernel XFRM)          |
#   |              va 10.9.0.1, 10.9.1.1-+------------+-vb 10.9.0.2, 10.9.1.2        |
#   | ikv0 192.168.1.1  10.9.0.1->.0.2   |  ESP x 2   | d0 192.168.2.1, 192.168.4.1  |
#   | ikv1 192.168.3.1  10.9.1.1->.1.2   |            | states and tunnel policies   |
#   | floods -> 192.168.2.1, 192.168.4.1 |  <======>  | floods -> 192.168.1.1, .3.1  |
#   +------------------------------------+            +------------------------------+
#
# In the VM runner the module comes back from IKEVTI_VM_KO (insmod, as in
# load_unload.sh); elsewhere through modprobe, and without an installed
# module the unload part is skipped.

source "$(dirname "$0")/lib.sh"

require_ikevti
require_ikevtictl
require_cmd python3 nsenter od
[ -n "${IP_LIB_DIR:-}" ] || [ -e /usr/lib/x86_64-linux-gnu/ip/link_ikevti.so ] ||
	skip "the ip(8) plugin link_ikevti.so is not built (make tools) nor installed"

if [ -n "${IKEVTI_VM_KO:-}" ]; then
	quick=
	# Test builds run their self-tests at every load; once is enough.
	modinfo -F parm "$IKEVTI_VM_KO" | grep -q '^selftest:' && quick=selftest=0
	mod_load() { insmod "$IKEVTI_VM_KO" $quick; }
elif modinfo ikevti >/dev/null 2>&1; then
	mod_load() { modprobe ikevti; }
else
	mod_load() { false; }
fi
# Leave the module loaded for the tests that follow, whatever happens.
on_exit '[ -d /sys/module/ikevti ] || mod_load'

# nsenter, not "ip netns exec": that remounts /sys and costs a second and
# more per call in a TCG guest.
nsx() { nsenter --net="/run/netns/$1" "${@:2}"; }
ctl() { nsx "$A" "$IKEVTICTL" "$@"; }

kmsg_mark
setup_ns A B || exit $ksft_fail
ip -n "$B" xfrm state list >/dev/null 2>&1 || skip "the kernel has no XFRM (CONFIG_XFRM_USER)"

ip link add va netns "$A" type veth peer name vb netns "$B"
ip -n "$A" addr add 10.9.0.1/24 dev va
ip -n "$A" addr add 10.9.1.1/24 dev va
ip -n "$A" link set va up
ip -n "$B" addr add 10.9.0.2/24 dev vb
ip -n "$B" addr add 10.9.1.2/24 dev vb
ip -n "$B" link set vb up
ip -n "$B" link add d0 type dummy
ip -n "$B" addr add 192.168.2.1/24 dev d0
ip -n "$B" addr add 192.168.4.1/24 dev d0
ip -n "$B" link set d0 up
ip -n "$B" route add 192.168.1.0/24 dev vb src 192.168.2.1
ip -n "$B" route add 192.168.3.0/24 dev vb src 192.168.4.1

K=$(od -An -tx1 -N20 /dev/urandom | tr -d ' \n')
XAEAD="aead rfc4106(gcm(aes)) 0x$K 128"
# tunnel N: ikvN over 10.9.N.1 -> 10.9.N.2, inner 192.168.(2N+1).0/24 <->
# 192.168.(2N+2).0/24, SPIs 0x100N out of A, 0x200N into A.
tunnel() {
	local n=$1 a=10.9.$1.1 b=10.9.$1.2 la=192.168.$((2 * $1 + 1)) lb=192.168.$((2 * $1 + 2))

	ip -n "$A" link add "ikv$n" type ikevti local "$a" remote "$b" &&
	nsx "$A" sysctl -q -w "net.ipv6.conf.ikv$n.disable_ipv6=1" &&
	ip -n "$A" addr add "$la.1/24" dev "ikv$n" &&
	ip -n "$A" link set "ikv$n" up &&
	ip -n "$A" route add "$lb.0/24" dev "ikv$n" &&
	ctl sa add "ikv$n" dir in spi "0x200$n" enc aes-gcm key "$K" &&
	ctl sa add "ikv$n" dir out spi "0x100$n" enc aes-gcm key "$K"
}
ip -n "$B" -batch - <<EOF
xfrm policy add src 192.168.2.0/24 dst 192.168.1.0/24 dir out tmpl src 10.9.0.2 dst 10.9.0.1 proto esp mode tunnel
xfrm policy add src 192.168.1.0/24 dst 192.168.2.0/24 dir in tmpl src 10.9.0.1 dst 10.9.0.2 proto esp mode tunnel
xfrm policy add src 192.168.4.0/24 dst 192.168.3.0/24 dir out tmpl src 10.9.1.2 dst 10.9.1.1 proto esp mode tunnel
xfrm policy add src 192.168.3.0/24 dst 192.168.4.0/24 dir in tmpl src 10.9.1.1 dst 10.9.1.2 proto esp mode tunnel
xfrm state add src 10.9.0.1 dst 10.9.0.2 proto esp spi 0x1000 mode tunnel replay-window 1024 $XAEAD
xfrm state add src 10.9.0.2 dst 10.9.0.1 proto esp spi 0x2000 mode tunnel replay-window 1024 $XAEAD
xfrm state add src 10.9.1.1 dst 10.9.1.2 proto esp spi 0x1001 mode tunnel replay-window 1024 $XAEAD
xfrm state add src 10.9.1.2 dst 10.9.1.1 proto esp spi 0x2001 mode tunnel replay-window 1024 $XAEAD
EOF
check_cmd "tunnel ikv0 up" tunnel 0
check_cmd "tunnel ikv1 up" tunnel 1

# Floods to the discard port: the receivers' ICMP errors are rate-limited
# and the senders go on through them.
flood() {
	nsenter --net="/run/netns/$1" python3 "$IKEVTI_SELFTESTS_DIR/helpers/udpflood.py" send \
		--dst "$2" --port 9 --rate 1500 --secs 120 >/dev/null 2>&1 &
	floods+=($!)
}
floods=()
flood "$A" 192.168.2.1
flood "$A" 192.168.4.1
flood "$B" 192.168.1.1
flood "$B" 192.168.3.1

# moving DEV: encaps and decaps both grow within half a second.
moving() {
	local a b

	a=$(ctl --json link show "$1" | grep -o '"encaps":[0-9]*\|"decaps":[0-9]*' | cut -d: -f2)
	sleep 0.5
	b=$(ctl --json link show "$1" | grep -o '"encaps":[0-9]*\|"decaps":[0-9]*' | cut -d: -f2)
	# shellcheck disable=SC2086
	set -- $a $b
	[ $# -eq 4 ] && [ "$3" -gt "$1" ] && [ "$4" -gt "$2" ]
}
sleep 1.5
check_cmd "ikv0 carries traffic both ways" moving ikv0
check_cmd "ikv1 carries traffic both ways" moving ikv1

check_cmd "delete ikv0 under load" ip -n "$A" link del ikv0
check_fail "it is gone" ip -n "$A" link show ikv0
check_cmd "ikv1 still carries traffic both ways" moving ikv1

if [ -z "${IKEVTI_VM_KO:-}" ] && ! modinfo ikevti >/dev/null 2>&1; then
	echo "# SKIP the unload: ikevti is not installed, it could not come back"
else
	check_cmd "unload the module with ikv1 under load" rmmod ikevti
	check_fail "the module is gone" test -d /sys/module/ikevti
	check_fail "and ikv1 with it" ip -n "$A" link show ikv1
	# B's floods still arrive, now for the kernel's own ESP to drop.
	sleep 1
	check_cmd "load it again while the peer keeps sending" mod_load
	check_cmd "the tunnel comes back" tunnel 0
	sleep 1
	check_cmd "and carries the floods still running, both ways" moving ikv0
fi

kill "${floods[@]}"
wait "${floods[@]}" 2>/dev/null
kmsg_check "kernel log stays clean"
finish
