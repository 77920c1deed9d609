#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# End to end, IKEv1: ikehelper, configured as a Cisco IOS router with a
# VTI (seeds 000 and 002: "tunnel mode ipsec ipv4", "tunnel protection
# ipsec profile"), negotiates Main Mode and Quick Mode with strongSwan and
# installs the keys into a real ikevti device; charon puts its own into
# the kernel's XFRM behind an xfrm interface.  Both ends are route-based,
# selectors 0.0.0.0/0 (IOS's VTI proxy IDs).  The topology is
# ike/e2e_lib.sh's.
#
# Each cell (ikehelper initiator with aes 256/sha256/group 14 and PFS
# group 14; charon initiator with 3des/sha/group 2, no PFS):
#   - the tunnel comes up; ikevti holds one inbound and one outbound SA,
#     XFRM the mirror image (same SPIs); ping both ways;
#   - under a ping of 20 packets/s: a phase 2 rekey from each side, then
#     a phase 1 rekey from each side (charon re-authenticates, ikehelper
#     runs a new Main Mode), with no ping lost and one SA pair left on
#     each side after every step;
#   - DELETE (ikevtictl clear crypto sa / swanctl --terminate): both
#     kernels hold no SA afterwards.
# Then DPD ("crypto isakmp keepalive 10 3 periodic"): charon stops
# answering (its end of the link goes down), ikehelper declares it dead and its SAs leave the module
# within keepalive x retries; once charon answers again, the VTI comes
# back on its own.

source "$(dirname "$0")/lib.sh"
source "$IKEVTI_SELFTESTS_DIR/ike/lib.sh"
# ike/lib.sh reports with its own TAP helpers; here lib.sh's are used.
trap 'ike_cleanup; cleanup' EXIT
source "$IKEVTI_SELFTESTS_DIR/ike/e2e_lib.sh"

e2e_require
e2e_setup

PSK=ios-e2e-key-1

# ikeh_conf POLICY-LINES TSET PFS [GLOBAL-LINE...]: the IOS file.
ikeh_conf() {
	local policy=$1 tset=$2 pfs=$3 l

	shift 3
	{
		echo "hostname ikevti-a"
		for l in "$@"; do
			echo "$l"
		done
		echo "crypto isakmp policy 10"
		printf '%b\n' "$policy"
		echo "crypto isakmp key $PSK address 10.9.0.2"
		echo "crypto ipsec transform-set TS $tset"
		echo " mode tunnel"
		echo "crypto ipsec profile VTI"
		echo " set transform-set TS"
		[ -z "$pfs" ] || echo " set pfs $pfs"
		echo "interface ikv0"
		echo " ip address 192.168.91.1 255.255.255.0"
		echo " tunnel source 10.9.0.1"
		echo " tunnel destination 10.9.0.2"
		echo " tunnel mode ipsec ipv4"
		echo " tunnel protection ipsec profile VTI"
	} > "$IKEH/ikehelper.conf"
	chmod 0600 "$IKEH/ikehelper.conf"
}

no_ikevti_sa() {
	[ -z "$(ikevti_spis)" ]
}

sw_conf() {
	ike_swanctl_conf R version=1 local=10.9.0.2 remote=10.9.0.1 \
		psk="$PSK" ike_prop="$1" esp_prop="$2" \
		local_ts=0.0.0.0/0 remote_ts=0.0.0.0/0 if_id=9 "${@:3}"
	ike_swanctl_load R
}

# ike_rekey_step for IKEv1: a new ISAKMP SA at charon, the IPsec SA pair
# carried over or replaced, one pair left, the tunnel carrying traffic.
v1_p1_rekey_step() {
	local desc=$1 spi
	shift

	spi=$(ike_spi R)
	"$@" >/dev/null 2>&1
	ike_wait 20 ike_spi_changed R "$spi"
	log_test $? "$desc: a new ISAKMP SA at charon"
	ike_wait 15 one_pair
	log_test $? "$desc: one SA pair on each side"
}

# cell NAME ROLE IKE-PROPOSAL ESP-PROPOSAL POLICY-LINES TSET PFS
# (IKE_ONLY=REGEX: only the cells, and "DPD", whose name matches.)
cell() {
	local name=$1 role=$2

	[[ "$name" =~ ${IKE_ONLY:-.} ]] || return 0

	sw_conf "$3" "$4"
	ikeh_conf "$5" "$6" "$7"
	ikeh_start
	log_test $? "$name: ikehelper starts with the real ikevti backend"
	if [ "$role" = charon ]; then
		# The VTI comes up on its own; stop it, and let charon start.
		ike_wait 15 one_pair
		ikectl clear crypto sa >/dev/null 2>&1
		ikectl clear crypto isakmp >/dev/null 2>&1
		ike_wait 10 no_sa
		check_cmd "$name: charon initiates" \
			ike_swanctl R --initiate --child c --timeout 15
	fi
	if ! e2e_up "$name" 20; then
		ikeh_stop
		return
	fi
	check_match "$name: show crypto isakmp sa: QM_IDLE" "QM_IDLE" \
		"$(ikectl show crypto isakmp sa)"
	check_cmd "$name: ping A -> B" \
		ip netns exec "$A" ping -c 3 -i 0.2 -W 3 192.168.92.1
	check_cmd "$name: ping B -> A" \
		ip netns exec "$B" ping -c 3 -i 0.2 -W 3 192.168.91.1

	flood_start
	rekey_step "$name: phase 2 rekey by charon" \
		ike_swanctl R --rekey --child c
	rekey_step "$name: phase 2 rekey by ikehelper" \
		ikectl rekey child-sa ikv0
	v1_p1_rekey_step "$name: phase 1 rekey by charon (re-authentication)" \
		ike_swanctl R --rekey --ike t --reauth
	v1_p1_rekey_step "$name: phase 1 rekey by ikehelper (a new Main Mode)" \
		ikectl rekey ike-sa ikv0
	rekey_step "$name: phase 2 rekey by charon, over the new ISAKMP SA" \
		ike_swanctl R --rekey --child c
	flood_check "$name"

	if [ "$role" = ikehelper ]; then
		check_cmd "$name: ikevtictl clear crypto sa (DELETE from ikehelper)" \
			ikectl clear crypto sa
	else
		check_cmd "$name: swanctl --terminate (DELETE from charon)" \
			ike_swanctl R --terminate --ike t --timeout 10
	fi
	ike_wait 5 no_sa
	log_test $? "$name: no SA left in ikevti nor in XFRM"
	ikeh_stop
	ike_wait 5 no_sa
}

cell "ikehelper initiates, aes 256/sha256/group 14, PFS" ikehelper \
	aes256-sha256-modp2048 aes256-sha256-modp2048 \
	" encryption aes 256\n hash sha256\n authentication pre-share\n group 14" \
	"esp-aes 256 esp-sha256-hmac" group14
cell "charon initiates, 3des/sha/group 2" charon \
	3des-sha1-modp1024 3des-sha1 \
	" encryption 3des\n hash sha\n authentication pre-share\n group 2" \
	"esp-3des esp-sha-hmac" ""

# DPD: charon goes silent (its end of the link down).  As IOS, ikehelper
# sends an R-U-THERE once 10 s pass without a word from the peer, then 5
# more 3 s apart, and gives up: at most 10 + 6 x 3 = 28 s (35 allowed).
dpd() {
	local start rc secs

	sw_conf aes256-sha256-modp2048 aes256-sha256
	ikeh_conf " encryption aes 256\n hash sha256\n authentication pre-share\n group 14" \
		"esp-aes 256 esp-sha256-hmac" "" "crypto isakmp keepalive 10 3 periodic"
	ikeh_start
	ike_wait 20 one_pair
	log_test $? "DPD: the VTI comes up on its own"
	check_match "DPD: show crypto isakmp sa detail names D (DPD)" " D" \
		"$(ikectl show crypto isakmp sa detail)"
	ip -n "$B" link set vb down
	log_test $? "DPD: charon's side of the link goes down"
	start=$(date +%s)
	ike_wait 40 no_ikevti_sa
	rc=$?
	secs=$(($(date +%s) - start))
	echo "# ikevti's SAs were gone after ${secs}s"
	[ "$rc" = 0 ] && [ "$secs" -le 35 ] ||
		grep -E "R-U-THERE|dead|retransmit|DPD" "$IKEH/ikehelper.log" |
		tail -n 20 | sed 's/^/#   /'
	[ "$rc" = 0 ] && [ "$secs" -le 35 ]
	log_test $? "DPD: the dead peer's SAs leave the module within keepalive + retries (${secs}s)"
	grep -q "no R-U-THERE-ACK to 6 R-U-THEREs: the peer is dead" "$IKEH/ikehelper.log"
	log_test $? "DPD: ikehelper logs why"
	ip -n "$B" link set vb up
	ike_wait 40 one_pair
	log_test $? "DPD: charon answers again, and the VTI comes back on its own"
	check_cmd "DPD: ping A -> B through the new SAs" \
		ip netns exec "$A" ping -c 2 -i 0.2 -W 3 192.168.92.1
	ikeh_stop
	ike_wait 5 no_sa
}
[[ "DPD" =~ ${IKE_ONLY:-.} ]] && dpd

kmsg_check "kernel log stays clean"
finish
