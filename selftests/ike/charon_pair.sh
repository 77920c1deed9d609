#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The strongSwan harness proves itself: two charons (both on
# kernel-libipsec), one per namespace, bring a tunnel up, pass a ping, and
# rekey the Child SA from either side and the IKE SA; after each step the
# keys ike_charon_keys reads from one log are the mirror image (in <->
# out, same SPI) of the other's.  With that, the same parser can judge
# ikehelper's recorded keys against charon's.
#
#   +-- $NS_L: charon L (initiator) --+     +-- $NS_R: charon R ------------+
#   | lo 10.1.0.1      veth 192.0.2.1 |<--->| veth 192.0.2.2      lo 10.2.0.1 |
#   +---------------------------------+     +--------------------------------+

. "$(dirname "$0")/lib.sh"

ike_require
ike_topology || { echo "# topology failed"; exit $ksft_fail; }
ike_charon_start L "$NS_L" || exit $ksft_fail
ike_charon_start R "$NS_R" || exit $ksft_fail

# keys_agree WHAT N: both logs hold N SAs and mirror each other.
keys_agree() {
	local kl kr

	kl=$(ike_charon_keys "$IKE_TMP/L/charon.log" | sort)
	kr=$(ike_charon_keys "$IKE_TMP/R/charon.log" | ike_mirror)
	if [ "$(echo "$kl" | grep -c "ekey=[0-9a-f]\{$3\} ")" != "$2" ]; then
		echo "# L's keys:"; echo "$kl" | sed 's/^/#   /'
		ike_ok 1 "$1: $2 SAs with $(($3 / 2))-byte enc keys in L's log"
		return
	fi
	ike_ok 0 "$1: $2 SAs with $(($3 / 2))-byte enc keys in L's log"
	if [ "$kl" != "$kr" ]; then
		diff <(echo "$kl") <(echo "$kr") | sed 's/^/#   /'
		ike_ok 1 "$1: R's keys mirror L's"
	else
		ike_ok 0 "$1: R's keys mirror L's"
	fi
}

# case NAME IKE-PROPOSAL ESP-PROPOSAL EKEY-HEX-LEN AKEY?
run_case() {
	local name=$1 ike=$2 esp=$3 ehex=$4

	: > "$IKE_TMP/L/charon.log"
	: > "$IKE_TMP/R/charon.log"
	ike_swanctl_conf L local="$IKE_ADDR_L" remote="$IKE_ADDR_R" \
		local_id=keyid:site1 remote_id=keyid:site2 psk=pair-secret \
		ike_prop="$ike" esp_prop="$esp" \
		local_ts="$IKE_NET_L" remote_ts="$IKE_NET_R"
	ike_swanctl_conf R local="$IKE_ADDR_R" remote="$IKE_ADDR_L" \
		local_id=keyid:site2 remote_id=keyid:site1 psk=pair-secret \
		ike_prop="$ike" esp_prop="$esp" \
		local_ts="$IKE_NET_R" remote_ts="$IKE_NET_L"
	ike_swanctl_load L && ike_swanctl_load R
	ike_ok $? "$name: configurations load"

	ike_swanctl L --initiate --child c --timeout 10 >/dev/null
	ike_ok $? "$name: L initiates, the tunnel comes up"
	ike_wait 5 ike_charon_established R
	ike_ok $? "$name: R has the Child SA installed"
	ip netns exec "$NS_L" ping -c 2 -i 0.3 -W 2 -I 10.1.0.1 10.2.0.1 \
		>/dev/null
	ike_ok $? "$name: 10.1.0.1 pings 10.2.0.1 through the tunnel"
	keys_agree "$name: established" 2 "$ehex"

	ike_swanctl R --rekey --child c >/dev/null
	ike_ok $? "$name: R rekeys the Child SA"
	ike_wait 5 ike_charon_established L
	keys_agree "$name: after R's rekey" 4 "$ehex"
	ike_swanctl L --rekey --child c >/dev/null
	ike_ok $? "$name: L rekeys the Child SA"
	ike_wait 5 ike_charon_established R
	keys_agree "$name: after L's rekey" 6 "$ehex"

	old_spi=$(ike_spi R)
	ike_swanctl L --rekey --ike t >/dev/null
	ike_ok $? "$name: L rekeys the IKE SA"
	ike_wait 5 ike_spi_changed R "$old_spi"
	ike_ok $? "$name: R's IKE SA has new SPIs (was $old_spi)"
	ip netns exec "$NS_L" ping -c 2 -i 0.3 -W 2 -I 10.1.0.1 10.2.0.1 \
		>/dev/null
	ike_ok $? "$name: traffic still flows after the rekeys"

	ike_swanctl L --terminate --ike t --timeout 5 >/dev/null
	ike_ok $? "$name: L deletes the IKE SA"
	ike_wait 5 bash -c "! swanctl --list-sas --uri unix://$IKE_TMP/R/charon.vici | grep -q ESTABLISHED"
	ike_ok $? "$name: R has no IKE SA left"
}

run_case "CBC" aes256-sha256-modp2048 aes256-sha256 64
run_case "GCM" aes256gcm16-prfsha256-ecp256 aes256gcm16 72
run_case "x25519" aes128-sha256-curve25519 aes128gcm16-curve25519 40
ike_done
