#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What the end-to-end IKE tests in the VM share (ike_strongswan.sh for
# IKEv2, ike_strongswan_v1.sh for IKEv1): ikehelper on a real ikevti
# device in namespace A, charon with its SAs in the kernel's XFRM behind
# an xfrm interface in B, and the checks that compare the two kernels.
# Source it after lib.sh and ike/lib.sh; e2e_setup builds the topology:
#
#   +--------------- ns A: ikehelper ---------------+      +---------------- ns B: charon ----------------+
#   | va 10.9.0.1, fc00:9::1                         +------+ vb 10.9.0.2, fc00:9::2                        |
#   | ikv0: ikevti local 10.9.0.1 remote 10.9.0.2    | veth | xfrm0: xfrm interface, if_id 9, dev vb       |
#   |   192.168.91.1/24, fd00:91::1/64               |      | d0 (dummy): 192.168.92.1/24, fd00:92::1/64  |
#   |   routes 192.168.92.0/24, fd00:92::/64: ikv0   |      | routes 192.168.91.0/24, fd00:91::/64: xfrm0  |
#   +------------------------------------------------+      +----------------------------------------------+
#
# ikehelper runs from $IKEH/ikehelper.conf (the caller writes it), with
# its control socket in $IKEH and its log in $IKEH/ikehelper.log, started
# and stopped by ike/lib.sh's ikeh_start and ikeh_stop.

# e2e_require: skip unless everything the tests need is here.
e2e_require() {
	# This tree's ikehelper when it is built; an installed one otherwise.
	[ -x "$IKEHELPER" ] || IKEHELPER=$(command -v ikehelper)
	require_ikevti
	require_ikevtictl
	require_cmd ping iperf3 swanctl
	[ -n "$IKEHELPER" ] && [ -x "$IKEHELPER" ] ||
		skip "ikehelper is not built (make all) nor installed"
	[ -x "$CHARON" ] || skip "no $CHARON (tools/install-deps installs strongSwan)"
	[ -n "${IP_LIB_DIR:-}" ] || [ -e /usr/lib/x86_64-linux-gnu/ip/link_ikevti.so ] ||
		skip "the ip(8) plugin link_ikevti.so is not built (make tools) nor installed"
}

# e2e_setup: the namespaces, devices and routes above; charon R in B.
e2e_setup() {
	kmsg_mark
	setup_ns A B || exit $ksft_fail
	ip -n "$B" link add xfrmprobe type xfrm if_id 1 2>/dev/null ||
		skip "the kernel has no xfrm interfaces (CONFIG_XFRM_INTERFACE)"
	ip -n "$B" link del xfrmprobe
	IKE_TMP=$(mktemp -d) || exit $ksft_fail
	chmod 0700 "$IKE_TMP"

	ip link add va netns "$A" type veth peer name vb netns "$B"
	ip -n "$A" addr add 10.9.0.1/24 dev va
	ip -n "$A" addr add fc00:9::1/64 dev va nodad
	ip -n "$B" addr add 10.9.0.2/24 dev vb
	ip -n "$B" addr add fc00:9::2/64 dev vb nodad
	ip -n "$A" link set va up
	ip -n "$B" link set vb up

	ip -n "$A" link add ikv0 type ikevti local 10.9.0.1 remote 10.9.0.2
	ip -n "$A" addr add 192.168.91.1/24 dev ikv0
	ip -n "$A" addr add fd00:91::1/64 dev ikv0 nodad
	ip -n "$A" link set ikv0 up
	ip -n "$A" route add 192.168.92.0/24 dev ikv0
	ip -n "$A" route add fd00:92::/64 dev ikv0

	ip -n "$B" link add d0 type dummy
	ip -n "$B" addr add 192.168.92.1/24 dev d0
	ip -n "$B" addr add fd00:92::1/64 dev d0 nodad
	ip -n "$B" link set d0 up
	ip -n "$B" link add xfrm0 type xfrm dev vb if_id 9
	ip -n "$B" link set xfrm0 up
	ip -n "$B" route add 192.168.91.0/24 dev xfrm0 src 192.168.92.1
	ip -n "$B" route add fd00:91::/64 dev xfrm0 src fd00:92::1

	IKE_CHARON_KERNEL=netlink ike_charon_start R "$B" || exit $ksft_fail
	IKEH=$IKE_TMP/ikeh
	mkdir -p "$IKEH"
	IKEH_PID=
	# ike/lib.sh's ikeh_start: in A, on the real ikevti backend.
	IKEH_NS=$A
	IKEH_RECORD=0
	IKEH_START_WAIT=10
}

actl() { ip netns exec "$A" "$IKEVTICTL" "$@"; }

# The SPIs of ikevti's SAs, as "in 0x..." and "out 0x..." lines, sorted.
# (awk on the human output: a Python start costs a second under TCG, and
# the rekey checks poll this.)
ikevti_spis() {
	actl sa show ikv0 | awk '
		/^ *outbound esp sa: spi / { print "out", $5 }
		/^ *inbound esp sa: spi / { print "in", $5 }' | sort
}

# The SPIs of XFRM's states in B, mirrored into ikevti's terms: B's
# outbound state (to 10.9.0.1) is ikevti's inbound SA.
xfrm_spis() {
	ip -n "$B" xfrm state | awk '
		/^src/ { dir = ($4 == "10.9.0.1") ? "in" : "out" }
		/proto esp spi/ { print dir, $4 }' | sort
}

# One SA pair on each side, the same SPIs.
one_pair() {
	local mine theirs

	mine=$(ikevti_spis)
	theirs=$(xfrm_spis)
	[ "$(echo "$mine" | grep -c '^in ')" = 1 ] &&
	[ "$(echo "$mine" | grep -c '^out ')" = 1 ] && [ "$mine" = "$theirs" ]
}

no_sa() {
	[ -z "$(ikevti_spis)" ] && [ -z "$(xfrm_spis)" ]
}

show_sas() {
	echo "# ikevti:"; ikevti_spis | sed 's/^/#   /'
	echo "# XFRM (mirrored):"; xfrm_spis | sed 's/^/#   /'
}

ikevti_spis_changed() {
	local now

	now=$(ikevti_spis)
	[ "$now" != "$1" ] && one_pair
}

# Packets in through ikevti's inbound SAs, over all of them.
ikevti_in_packets() {
	actl sa show ikv0 | awk '
		/^ *(in|out)bound esp sa:/ { inb = ($1 == "inbound") }
		inb && /^ *packets [0-9]+, octets/ { sub(",", "", $2); n += $2 }
		END { print n + 0 }'
}

# rekey_step DESC CMD...: run CMD (a rekey), then wait until the SPIs of
# both kernels changed and settled on one pair.
rekey_step() {
	local desc=$1 before
	shift

	before=$(ikevti_spis)
	"$@" >/dev/null 2>&1
	if ike_wait 15 ikevti_spis_changed "$before"; then
		log_test 0 "$desc: a new SA pair on both sides, the old one gone"
	else
		show_sas
		log_test 1 "$desc: a new SA pair on both sides, the old one gone"
	fi
}

# ike_rekey_step DESC CMD...: an IKE SA rekey: charon sees a new IKE SA,
# and the Child SA stays as it was.
ike_rekey_step() {
	local desc=$1 spi before
	shift

	spi=$(ike_spi R)
	before=$(ikevti_spis)
	"$@" >/dev/null 2>&1
	ike_wait 15 ike_spi_changed R "$spi"
	log_test $? "$desc: a new IKE SA"
	sleep 0.5
	check_eq "$desc: the Child SA is untouched" "$before" "$(ikevti_spis)"
}

# e2e_up NAME SECONDS: one SA pair in ikevti and in XFRM within SECONDS;
# when not, the SAs and ikehelper's last words go to the log.
e2e_up() {
	if ike_wait "$2" one_pair; then
		log_test 0 "$1: one SA pair in ikevti and in XFRM, the same SPIs"
		return 0
	fi
	show_sas
	sed 's/^/#   /' "$IKEH/ikehelper.log" | tail -n 20
	log_test 1 "$1: one SA pair in ikevti and in XFRM, the same SPIs"
	return 1
}

# flood_start: ping B's LAN from A at 20 packets/s, in the background;
# flood_check NAME: stop it and check that not one was lost.
flood_start() {
	ip netns exec "$A" ping -i 0.05 -W 2 192.168.92.1 >"$IKE_TMP/flood" 2>&1 &
	E2E_FLOOD=$!
	sleep 1
}

flood_check() {
	local sent recv

	sleep 1
	kill -INT "$E2E_FLOOD"
	wait "$E2E_FLOOD"
	sent=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' "$IKE_TMP/flood")
	recv=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$IKE_TMP/flood")
	echo "# ping flood during the rekeys: $sent sent, $recv received"
	[ -n "$sent" ] && [ "$sent" -ge 50 ] && [ "$sent" = "$recv" ]
	log_test $? "$1: no ping lost during the rekeys ($sent sent, $recv received)"
}
