#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ikehelper against strongSwan in IKEv1 mode, configured as a Cisco IOS
# router: a crypto map (seed 001's site-to-site part) whose access list
# gives the selectors 10.1.0.0/24 <-> 10.2.0.0/24, pre-shared keys by
# address.  ikehelper runs in $NS_L with the recording backend (the host
# kernel has no ESP), charon in $NS_R with kernel-libipsec.  Every cell of
#
#   ikehelper initiator | responder
#   x Main Mode | Aggressive Mode
#   x aes-cbc-256/sha256/group 14 (PFS group 14)
#     | 3des/sha1/group 2 (no PFS)
#     | IOS's defaults: des/sha1/group 1, esp-des esp-sha-hmac
#
# brings the tunnel up, checks that the keys ikehelper recorded are the
# mirror of the keys charon logged, then rekeys phase 2 from each side
# (charon's swanctl --rekey, ikehelper's ikevtictl rekey child-sa), and
# ends with a DELETE from one side (ikevtictl clear sa when ikehelper
# initiated, swanctl --terminate when charon did), after which every SA
# ikehelper installed is removed.  One more cell: charon re-authenticates
# (a new phase 1), and the IPsec SAs carry on.
# IKE_ONLY=REGEX runs only the cells whose name matches.
#
#   +-- $NS_L: ikehelper -------------+     +-- $NS_R: charon --------------+
#   | lo 10.1.0.1      veth 192.0.2.1 |<--->| veth 192.0.2.2      lo 10.2.0.1 |
#   +---------------------------------+     +--------------------------------+

. "$(dirname "$0")/lib.sh"

ike_require
[ -x "$IKEHELPER" ] || ike_skip "ikehelper not built: make all"
[ -x "$IKEVTICTL" ] || ike_skip "ikevtictl not built: make all"
ike_topology || { echo "# topology failed"; exit $ksft_fail; }
# An Aggressive Mode responder with a pre-shared key must be allowed.
IKE_CHARON_EXTRA="i_dont_care_about_security_and_use_aggressive_mode_psk = yes" \
	ike_charon_start R "$NS_R" || exit $ksft_fail

PSK=ios-interop-key-1
IKEH=$IKE_TMP/ikeh
mkdir -p "$IKEH"
IKEH_PID=
DEV=cmap-10

# ikeh_conf MODE POLICY-LINES TSET PFS: ikehelper's IOS configuration.
# MODE main|aggressive; POLICY-LINES the body of "crypto isakmp policy
# 10" (\n-separated); PFS "" for none or "group14".
ikeh_conf() {
	local mode=$1 policy=$2 tset=$3 pfs=$4

	{
		echo "hostname ikevti-l"
		echo "crypto isakmp policy 10"
		printf '%b\n' "$policy"
		echo "crypto isakmp key $PSK address $IKE_ADDR_R"
		if [ "$mode" = aggressive ]; then
			echo "crypto isakmp profile AGGR"
			echo " match identity address $IKE_ADDR_R 255.255.255.255"
			echo " initiate mode aggressive"
		fi
		echo "crypto ipsec transform-set TS $tset"
		echo " mode tunnel"
		echo "access-list 101 permit ip 10.1.0.0 0.0.0.255 10.2.0.0 0.0.0.255"
		echo "crypto map cmap 10 ipsec-isakmp"
		echo " set peer $IKE_ADDR_R"
		echo " set transform-set TS"
		[ -z "$pfs" ] || echo " set pfs $pfs"
		[ "$mode" != aggressive ] || echo " set isakmp-profile AGGR"
		echo " match address 101"
		echo "interface veth0"
		echo " ip address $IKE_ADDR_L 255.255.255.0"
		echo " crypto map cmap"
	} > "$IKEH/ikehelper.conf"
	chmod 0600 "$IKEH/ikehelper.conf"
}

# How charon names the three proposals.
declare -A SW_IKE=([aes]=aes256-sha256-modp2048 [3des]=3des-sha1-modp1024
		   [ios]=des-sha1-modp768)
declare -A SW_ESP=([aes]=aes256-sha256-modp2048 [3des]=3des-sha1
		   [ios]=des-sha1)
declare -A IH_POLICY=(
	[aes]=" encryption aes 256\n hash sha256\n authentication pre-share\n group 14"
	[3des]=" encryption 3des\n hash sha\n authentication pre-share\n group 2"
	[ios]=" authentication pre-share")
declare -A IH_TSET=([aes]="esp-aes 256 esp-sha256-hmac"
		    [3des]="esp-3des esp-sha-hmac" [ios]="esp-des esp-sha-hmac")
declare -A IH_PFS=([aes]=group14 [3des]= [ios]=)

# deleted_at_least N: ikehelper removed at least N SAs.
deleted_at_least() {
	[ "$(grep -c "^del $DEV" "$IKEH/record")" -ge "$1" ]
}

# The exchange charon's log says it ran.
charon_mode_is() {
	grep -q "$1" "$IKE_TMP/R/charon.log"
}

# cell ROLE MODE ALG
cell() {
	local role=$1 mode=$2 alg=$3 name aggr=no

	name="$role $mode $alg"
	[[ "$name" =~ ${IKE_ONLY:-.} ]] || return 0
	[ "$mode" = aggressive ] && aggr=yes
	: > "$IKE_TMP/R/charon.log"
	ike_swanctl_conf R version=1 aggressive="$aggr" \
		local="$IKE_ADDR_R" remote="$IKE_ADDR_L" psk="$PSK" \
		ike_prop="${SW_IKE[$alg]}" esp_prop="${SW_ESP[$alg]}" \
		local_ts="$IKE_NET_R" remote_ts="$IKE_NET_L"
	ike_swanctl_load R
	ikeh_conf "$mode" "${IH_POLICY[$alg]}" "${IH_TSET[$alg]}" "${IH_PFS[$alg]}"
	ikeh_start
	ike_ok $? "$name: ikehelper starts"

	if [ "$role" = initiator ]; then
		ikectl initiate "$DEV" >/dev/null
		ike_ok $? "$name: ikevtictl initiate $DEV"
	else
		ike_swanctl R --initiate --child c --timeout 10 >/dev/null
		ike_ok $? "$name: charon initiates, ikehelper answers"
	fi
	ike_wait 10 ike_charon_established R
	ike_ok $? "$name: charon has the IPsec SA installed"
	if [ "$mode" = aggressive ]; then
		charon_mode_is "AGGRESSIVE"
	else
		charon_mode_is "ID_PROT"
	fi
	ike_ok $? "$name: charon ran $mode mode"
	sleep 0.5
	keys_match "$name: established" 2

	ike_swanctl R --rekey --child c >/dev/null
	ike_wait 10 deleted_at_least 2
	sleep 0.5
	keys_match "$name: after charon's phase 2 rekey" 4

	ikectl rekey child-sa "$DEV" >/dev/null
	ike_ok $? "$name: ikevtictl rekey child-sa"
	ike_wait 10 deleted_at_least 4
	sleep 0.5
	keys_match "$name: after ikehelper's phase 2 rekey" 6
	ike_wait 5 ike_charon_established R
	ike_ok $? "$name: charon still has an IPsec SA installed"

	if [ "$role" = initiator ]; then
		ikectl clear sa "$IKE_ADDR_R" >/dev/null
		ike_ok $? "$name: ikevtictl clear sa (DELETE from ikehelper)"
	else
		ike_swanctl R --terminate --ike t --timeout 5 >/dev/null
		ike_ok $? "$name: swanctl --terminate (DELETE from charon)"
	fi
	ike_wait 5 charon_no_sa
	ike_ok $? "$name: charon has no ISAKMP SA left"
	ike_wait 3 sa_balance
	ike_ok $? "$name: every SA ikehelper installed was removed"
	ikeh_stop
}

for role in initiator responder; do
	for mode in main aggressive; do
		for alg in aes 3des ios; do
			cell "$role" "$mode" "$alg"
		done
	done
done

# charon re-authenticates: a new Main Mode, the IPsec SA moves over.
reauth() {
	local name="phase 1 rekey by charon" spi

	[[ "$name" =~ ${IKE_ONLY:-.} ]] || return 0
	: > "$IKE_TMP/R/charon.log"
	ike_swanctl_conf R version=1 local="$IKE_ADDR_R" remote="$IKE_ADDR_L" \
		psk="$PSK" ike_prop="${SW_IKE[aes]}" esp_prop="${SW_ESP[aes]}" \
		local_ts="$IKE_NET_R" remote_ts="$IKE_NET_L"
	ike_swanctl_load R
	ikeh_conf main "${IH_POLICY[aes]}" "${IH_TSET[aes]}" group14
	ikeh_start
	ikectl initiate "$DEV" >/dev/null
	ike_wait 10 ike_charon_established R
	ike_ok $? "$name: up"
	spi=$(ike_spi R)
	ike_swanctl R --rekey --ike t --reauth >/dev/null
	ike_wait 10 ike_spi_changed R "$spi"
	ike_ok $? "$name: charon has a new ISAKMP SA"
	ike_wait 10 ike_charon_established R
	ike_ok $? "$name: and an IPsec SA"
	ikectl show crypto isakmp sa 2>/dev/null | grep -q QM_IDLE
	ike_ok $? "$name: show crypto isakmp sa: QM_IDLE"
	ikeh_stop
	ike_wait 5 charon_no_sa
	ike_ok $? "$name: SIGTERM: ikehelper deleted its SAs at charon"
	sa_balance
	ike_ok $? "$name: SIGTERM: every SA ikehelper installed was removed"
}
reauth
ike_done
