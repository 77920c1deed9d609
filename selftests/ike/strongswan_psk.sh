#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ikehelper against strongSwan, IKEv2 with pre-shared keys.  ikehelper
# runs in $NS_L with the recording backend (the host kernel has no ESP),
# charon in $NS_R with kernel-libipsec.  Every cell of the matrix
#
#   ikehelper initiator | responder
#   x AES-CBC-256 + HMAC-SHA2-256 | AES-GCM-256
#   x DH group 14 | 19 | 31 (IKE SA and Child SA PFS alike)
#
# and once each over an IPv6 underlay (AES-GCM, group 19)
# brings the tunnel up, then checks that the keys ikehelper recorded are
# exactly the mirror of the keys charon logged (same SPI, in <-> out),
# then: charon rekeys the Child SA, charon rekeys the IKE SA, and one side
# deletes (ikevtictl clear sa when ikehelper initiated, swanctl
# --terminate when charon did), after which every SA ikehelper added is
# removed again.  Two more cells let ikehelper rekey both SAs itself: as
# initiator from short lifetimes (IKEHELPER_REKEY=0 skips it: it takes
# 100 s), as responder on ikevtictl rekey; both check SIGHUP and SIGTERM.
# IKE_ONLY=REGEX runs only the matrix cells whose name matches, e.g.
# IKE_ONLY='initiator cbc group 14'.
#
#   +-- $NS_L: ikehelper -------------+     +-- $NS_R: charon --------------+
#   | lo 10.1.0.1      veth 192.0.2.1 |<--->| veth 192.0.2.2      lo 10.2.0.1 |
#   +---------------------------------+     +--------------------------------+

. "$(dirname "$0")/lib.sh"

ike_require
[ -x "$IKEHELPER" ] || ike_skip "ikehelper not built: make all"
[ -x "$IKEVTICTL" ] || ike_skip "ikevtictl not built: make all"
ike_topology || { echo "# topology failed"; exit $ksft_fail; }
ike_charon_start R "$NS_R" || exit $ksft_fail

PSK=interop-secret-1
IKEH=$IKE_TMP/ikeh
mkdir -p "$IKEH"
IKEH_PID=

# ikeh_conf ENC INTEG PRF DH CENC CINTEG PFS [LINE...]: ikehelper's config.
ikeh_conf() {
	local enc=$1 integ=$2 prf=$3 dh=$4 cenc=$5 cinteg=$6 pfs=$7 l

	shift 7
	{
		echo "ikev2 authentication psk id keyid site1 key char $PSK"
		echo "ikev2 authentication psk id keyid site2 key char $PSK"
		echo "ikev2 default-profile"
		echo "  sa-proposal enc $enc"
		[ "$integ" = - ] || echo "  sa-proposal integrity $integ"
		echo "  sa-proposal prf $prf"
		echo "  sa-proposal dh $dh"
		echo "  child-proposal enc $cenc"
		[ "$cinteg" = - ] || echo "  child-proposal integrity $cinteg"
		echo "  child-pfs $pfs"
		echo "  local-authentication psk id keyid site1"
		echo "  local-ts 10.1.0.0/24"
		echo "  remote-ts 10.2.0.0/24"
		for l in "$@"; do
			echo "  $l"
		done
		echo "!"
		echo "interface ikevti0"
		echo "  tunnel mode ipsec-ikev2"
		echo "  ikev2 peer ${PEER:-$IKE_ADDR_R} authentication psk id keyid site2"
		echo "  no shutdown"
	} > "$IKEH/ikehelper.conf"
	chmod 0600 "$IKEH/ikehelper.conf"
}

# How charon names what ikehelper's config names.
declare -A SW_GROUP=([14]=modp2048 [19]=ecp256 [31]=curve25519)
declare -A IH_GROUP=([14]=2048-bit [19]=ecp256 [31]=curve25519)

# cell ROLE ALG GROUP [6]: with 6, the IKE peers talk over IPv6.
cell() {
	local role=$1 alg=$2 g=$3 name ike esp spi start=none
	local ih_enc ih_integ ih_cenc ih_cinteg ehex
	local PEER=$IKE_ADDR_R self=$IKE_ADDR_L

	name="$role $alg group $g"
	if [ "${4:-}" = 6 ]; then
		name="$name over IPv6"
		PEER=$IKE_ADDR6_R
		self=$IKE_ADDR6_L
	fi
	# IKE_ONLY=REGEX runs only the cells whose name matches.
	[[ "$name" =~ ${IKE_ONLY:-.} ]] || return 0
	case $alg in
	cbc)
		ike=aes256-sha256-${SW_GROUP[$g]}
		esp=aes256-sha256-${SW_GROUP[$g]}
		ih_enc=aes-cbc-256; ih_integ=sha2-256
		ih_cenc=aes-cbc-256; ih_cinteg=sha2-256
		;;
	gcm)
		ike=aes256gcm16-prfsha256-${SW_GROUP[$g]}
		esp=aes256gcm16-${SW_GROUP[$g]}
		ih_enc=aes-gcm-256; ih_integ=-
		ih_cenc=aes-gcm-256; ih_cinteg=-
		;;
	esac
	: > "$IKE_TMP/R/charon.log"
	ike_swanctl_conf R local="$PEER" remote="$self" \
		local_id=keyid:site2 remote_id=keyid:site1 psk="$PSK" \
		ike_prop="$ike" esp_prop="$esp" \
		local_ts="$IKE_NET_R" remote_ts="$IKE_NET_L"
	ike_swanctl_load R
	ikeh_conf "$ih_enc" "$ih_integ" sha2-256 "${IH_GROUP[$g]}" \
		"$ih_cenc" "$ih_cinteg" "${IH_GROUP[$g]}"
	ikeh_start
	ike_ok $? "$name: ikehelper starts"

	if [ "$role" = initiator ]; then
		ikectl initiate ikevti0 >/dev/null
		ike_ok $? "$name: ikevtictl initiate"
	else
		ike_swanctl R --initiate --child c --timeout 10 >/dev/null
		ike_ok $? "$name: charon initiates, ikehelper answers"
	fi
	ike_wait 10 ike_charon_established R
	ike_ok $? "$name: charon has the Child SA installed"
	keys_match "$name: established" 2

	ike_swanctl R --rekey --child c >/dev/null
	ike_wait 5 ike_charon_established R
	sleep 0.5
	keys_match "$name: after charon's Child SA rekey" 4

	spi=$(ike_spi R)
	ike_swanctl R --rekey --ike t >/dev/null
	ike_wait 5 ike_spi_changed R "$spi"
	ike_ok $? "$name: charon rekeys the IKE SA"
	ike_wait 5 ike_charon_established R
	ike_ok $? "$name: the Child SA survives the IKE SA rekey"
	ikectl show ike-sa 2>/dev/null | grep -qi "$(ike_spi R)"
	ike_ok $? "$name: ikevtictl show ike-sa lists the new IKE SA"

	if [ "$role" = initiator ]; then
		ikectl clear sa "$PEER" >/dev/null
		ike_ok $? "$name: ikevtictl clear sa (DELETE from ikehelper)"
	else
		ike_swanctl R --terminate --ike t --timeout 5 >/dev/null
		ike_ok $? "$name: swanctl --terminate (DELETE from charon)"
	fi
	ike_wait 5 charon_no_sa
	ike_ok $? "$name: charon has no IKE SA left"
	ike_wait 3 sa_balance
	ike_ok $? "$name: every SA ikehelper installed was removed"
	ikeh_stop
}

for role in initiator responder; do
	for alg in cbc gcm; do
		for g in 14 19 31; do
			cell "$role" "$alg" "$g"
		done
	done
	cell "$role" gcm 19 6
done

# self_rekey ROLE HOW: ikehelper rekeys both SAs itself.  HOW lifetime:
# on its own, the Child SA after 60 s (120 s lifetime, 60 s margin), the
# IKE SA after 90 s (120 s, 30 s margin), a responder somewhat later.
# HOW command: at once, on "ikevtictl rekey child-sa|ike-sa" (the same
# exchanges, without two minutes of waiting).  On the way: SIGHUP with the
# same file keeps the SAs, SIGHUP with a broken file keeps the running
# configuration.
self_rekey() {
	local role=$1 how=$2 name="ikehelper rekeys ($2), as $1" spi lines
	local wait_child=100 wait_ike=40

	: > "$IKE_TMP/R/charon.log"
	ike_swanctl_conf R local="$IKE_ADDR_R" remote="$IKE_ADDR_L" \
		local_id=keyid:site2 remote_id=keyid:site1 psk="$PSK" \
		ike_prop=aes256-sha256-modp2048 esp_prop=aes256-sha256-modp2048 \
		local_ts="$IKE_NET_R" remote_ts="$IKE_NET_L"
	ike_swanctl_load R
	ikeh_conf aes-cbc-256 sha2-256 sha2-256 2048-bit aes-cbc-256 \
		sha2-256 2048-bit "sa-lifetime 120" "child-lifetime 120"
	ikeh_start
	if [ "$role" = initiator ]; then
		ikectl initiate ikevti0 >/dev/null
	else
		ike_swanctl R --initiate --child c --timeout 10 >/dev/null
	fi
	ike_wait 10 ike_charon_established R
	ike_ok $? "$name: up"
	grep -q '^CapEff:[[:space:]]*0000000000001000$' "/proc/$IKEH_PID/status"
	ike_ok $? "$name: the daemon holds CAP_NET_ADMIN only"

	spi=$(ike_spi R)
	lines=$(wc -l < "$IKEH/record")
	kill -HUP "$IKEH_PID"
	sleep 1
	[ "$(ike_spi R)" = "$spi" ] && [ "$(wc -l < "$IKEH/record")" = "$lines" ]
	ike_ok $? "$name: SIGHUP, same file: the SAs stay as they are"
	cp "$IKEH/ikehelper.conf" "$IKEH/good.conf"
	echo "  no-such-command" >> "$IKEH/ikehelper.conf"
	kill -HUP "$IKEH_PID"
	sleep 1
	kill -0 "$IKEH_PID" && [ "$(ike_spi R)" = "$spi" ] &&
		grep -q "keeping the running configuration" "$IKEH/ikehelper.log"
	ike_ok $? "$name: SIGHUP, broken file: running configuration kept"
	cp "$IKEH/good.conf" "$IKEH/ikehelper.conf"

	# A responder rekeys later than an initiator would (ikehelper: 90 s
	# instead of 60), so that the two do not collide: allow for both.
	if [ "$how" = command ]; then
		wait_child=10
		wait_ike=10
		ikectl rekey child-sa ikevti0 >/dev/null
		ike_ok $? "$name: ikevtictl rekey child-sa"
	fi
	ike_wait "$wait_child" grep -q "parsed CREATE_CHILD_SA request.*N(REKEY_SA)" \
		"$IKE_TMP/R/charon.log"
	ike_ok $? "$name: ikehelper rekeys the Child SA"
	sleep 1
	keys_match "$name: after ikehelper's Child SA rekey" 4
	if [ "$how" = command ]; then
		ikectl rekey ike-sa ikevti0 >/dev/null
		ike_ok $? "$name: ikevtictl rekey ike-sa"
	fi
	ike_wait "$wait_ike" ike_spi_changed R "$spi"
	ike_ok $? "$name: ikehelper rekeys the IKE SA"
	ike_wait 5 ike_charon_established R
	ike_ok $? "$name: the Child SA survives"
	ikeh_stop
	ike_wait 5 charon_no_sa
	ike_ok $? "$name: SIGTERM: ikehelper deleted its SAs at charon"
	sa_balance
	ike_ok $? "$name: SIGTERM: every SA ikehelper installed was removed"
}

# Lifetimes as initiator (two minutes), the command as responder.
# IKEHELPER_REKEY=0 skips the lifetime cell.
[ "${IKEHELPER_REKEY:-1}" = 1 ] &&
	[[ "ikehelper rekeys (lifetime), as initiator" =~ ${IKE_ONLY:-.} ]] &&
	self_rekey initiator lifetime
[[ "ikehelper rekeys (command), as responder" =~ ${IKE_ONLY:-.} ]] &&
	self_rekey responder command
ike_done
