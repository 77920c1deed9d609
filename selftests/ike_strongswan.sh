#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# End to end: ikehelper negotiates IKEv2 with strongSwan and installs the
# keys into a real ikevti device; charon puts its own into the kernel's
# XFRM, behind an xfrm interface.  Both ends are route-based, selectors
# 0.0.0.0/0 and ::/0.
#
#   +--------------- ns A: ikehelper ---------------+      +---------------- ns B: charon ----------------+
#   | va 10.9.0.1, fc00:9::1                         +------+ vb 10.9.0.2, fc00:9::2                        |
#   | ikv0: ikevti local 10.9.0.1 remote 10.9.0.2    | veth | xfrm0: xfrm interface, if_id 9, dev vb       |
#   |   192.168.91.1/24, fd00:91::1/64               |      | d0 (dummy): 192.168.92.1/24, fd00:92::1/64  |
#   |   routes 192.168.92.0/24, fd00:92::/64: ikv0   |      | routes 192.168.91.0/24, fd00:91::/64: xfrm0  |
#   +------------------------------------------------+      +----------------------------------------------+
#
# Each cell (ikehelper initiator with AES-CBC-256 + HMAC-SHA-256 and group
# 19; charon initiator with AES-GCM-256 and group 31):
#   - the tunnel comes up; ikevti holds one inbound and one outbound SA,
#     XFRM the mirror image (same SPIs);
#   - ping (IPv4 and IPv6) and iperf3 (1 MB) both ways, with the counters of the
#     two kernels agreeing;
#   - under a ping flood of 20 packets/s: a Child SA rekey from each side,
#     then an IKE SA rekey from each side, with no ping lost, and one SA
#     pair left on each side after every rekey;
#   - DELETE from the initiator (ikevtictl clear sa, swanctl --terminate):
#     both kernels hold no SA afterwards.
# Then: connect-type auto (up with no request, and again after charon's
# DELETE); trigger mode (an on-demand link: ACQUIRE from the module starts
# the negotiation); SIGTERM (ikehelper deletes its SAs and tells charon).

source "$(dirname "$0")/lib.sh"
source "$IKEVTI_SELFTESTS_DIR/ike/lib.sh"
# ike/lib.sh reports with its own TAP helpers; here lib.sh's are used.
trap 'ike_cleanup; cleanup' EXIT

source "$IKEVTI_SELFTESTS_DIR/ike/e2e_lib.sh"

e2e_require
e2e_setup

PSK=e2e-secret-of-21-chars

# ikeh_conf ENC INTEG DH CENC CINTEG: ikehelper's configuration.
ikeh_conf() {
	{
		echo "ikev2 authentication psk id keyid site1 key char $PSK"
		echo "ikev2 authentication psk id keyid site2 key char $PSK"
		echo "ikev2 default-profile"
		echo "  sa-proposal enc $1"
		[ "$2" = - ] || echo "  sa-proposal integrity $2"
		echo "  sa-proposal prf sha2-256"
		echo "  sa-proposal dh $3"
		echo "  child-proposal enc $4"
		[ "$5" = - ] || echo "  child-proposal integrity $5"
		echo "  child-pfs $3"
		echo "  local-authentication psk id keyid site1"
		echo "!"
		echo "interface ikv0"
		echo "  tunnel mode ipsec-ikev2"
		echo "  ikev2 peer 10.9.0.2 authentication psk id keyid site2"
		[ -z "${IKEH_IF_EXTRA:-}" ] || echo "  $IKEH_IF_EXTRA"
		echo "  no shutdown"
	} > "$IKEH/ikehelper.conf"
	chmod 0600 "$IKEH/ikehelper.conf"
}

# Packets out of XFRM's outbound state (to A), and whether that equals
# what ikevti's inbound SAs received, read twice around it (in $out).
xfrm_out_packets() {
	ip -n "$B" -s xfrm state list dst 10.9.0.1 |
		sed -n 's/.* \([0-9]*\)(packets).*/\1/p' | head -n1
}

counters_agree() {
	out=$(xfrm_out_packets)
	[ "$out" = "$(ikevti_in_packets)" ] && [ "$out" = "$(xfrm_out_packets)" ]
}

# cell NAME ROLE IKE-PROPOSAL ESP-PROPOSAL ENC INTEG DH CENC CINTEG
cell() {
	local name=$1 role=$2 spi out

	ike_swanctl_conf R local=10.9.0.2 remote=10.9.0.1 \
		local_id=keyid:site2 remote_id=keyid:site1 psk="$PSK" \
		ike_prop="$3" esp_prop="$4" \
		local_ts=0.0.0.0/0,::/0 remote_ts=0.0.0.0/0,::/0 if_id=9
	ike_swanctl_load R
	ikeh_conf "$5" "$6" "$7" "$8" "$9"
	ikeh_start
	log_test $? "$name: ikehelper starts with the real ikevti backend"

	if [ "$role" = ikehelper ]; then
		check_cmd "$name: ikevtictl initiate" ikectl initiate ikv0
	else
		check_cmd "$name: charon initiates" \
			ike_swanctl R --initiate --child c --timeout 15
	fi
	if ! e2e_up "$name" 15; then
		ikeh_stop
		return
	fi
	check_match "$name: ikevtictl show ike-sa: established" \
		"ESTABLISHED|Established|established" "$(ikectl show ike-sa)"

	check_cmd "$name: ping A -> B" \
		ip netns exec "$A" ping -c 3 -i 0.2 -W 3 192.168.92.1
	check_cmd "$name: ping B -> A" \
		ip netns exec "$B" ping -c 3 -i 0.2 -W 3 192.168.91.1
	check_cmd "$name: ping6 A -> B" \
		ip netns exec "$A" ping -6 -c 3 -i 0.2 -W 3 fd00:92::1
	check_cmd "$name: ping6 B -> A" \
		ip netns exec "$B" ping -6 -c 3 -i 0.2 -W 3 fd00:91::1
	ip netns exec "$B" iperf3 -s -D -1 -B 192.168.92.1 >/dev/null 2>&1
	sleep 0.5
	check_cmd "$name: iperf3 A -> B (1 MB)" \
		ip netns exec "$A" iperf3 -c 192.168.92.1 -n 1M -4
	ip netns exec "$A" iperf3 -s -D -1 -B 192.168.91.1 >/dev/null 2>&1
	sleep 0.5
	check_cmd "$name: iperf3 B -> A (1 MB)" \
		ip netns exec "$B" iperf3 -c 192.168.91.1 -n 1M -4

	# XFRM's outbound state carried what ikevti's inbound SA received.
	# The last TCP segments of iperf3 may still be on their way when
	# the two counters are read: compare once both are still.
	ike_wait 3 counters_agree
	check_eq "$name: XFRM sent what ikevti received (packets)" \
		"$out" "$(ikevti_in_packets)"

	# Rekeys under a ping flood: not one lost.
	flood_start
	rekey_step "$name: Child SA rekey by charon" \
		ike_swanctl R --rekey --child c
	rekey_step "$name: Child SA rekey by ikehelper" \
		ikectl rekey child-sa ikv0
	ike_rekey_step "$name: IKE SA rekey by charon" \
		ike_swanctl R --rekey --ike t
	ike_rekey_step "$name: IKE SA rekey by ikehelper" \
		ikectl rekey ike-sa ikv0
	rekey_step "$name: Child SA rekey by charon, over the new IKE SA" \
		ike_swanctl R --rekey --child c
	flood_check "$name"
	check_cmd "$name: the tunnel still carries traffic" \
		ip netns exec "$B" ping -c 2 -i 0.2 -W 3 192.168.91.1

	if [ "$role" = ikehelper ]; then
		check_cmd "$name: ikevtictl clear sa (DELETE from ikehelper)" \
			ikectl clear sa 10.9.0.2
	else
		check_cmd "$name: swanctl --terminate (DELETE from charon)" \
			ike_swanctl R --terminate --ike t --timeout 10
	fi
	ike_wait 10 no_sa
	log_test $? "$name: no SA left in ikevti nor in XFRM"
	ikeh_stop
}

cell "ikehelper initiates, aes-cbc-256/sha2-256, group 19" ikehelper \
	aes256-sha256-ecp256 aes256-sha256-ecp256 \
	aes-cbc-256 sha2-256 ecp256 aes-cbc-256 sha2-256
cell "charon initiates, aes-gcm-256, group 31" charon \
	aes256gcm16-prfsha256-curve25519 aes256gcm16-curve25519 \
	aes-gcm-256 - curve25519 aes-gcm-256 -

ike_swanctl_conf R local=10.9.0.2 remote=10.9.0.1 \
	local_id=keyid:site2 remote_id=keyid:site1 psk="$PSK" \
	ike_prop=aes256gcm16-prfsha256-ecp256 esp_prop=aes256gcm16 \
	local_ts=0.0.0.0/0,::/0 remote_ts=0.0.0.0/0,::/0 if_id=9
ike_swanctl_load R

# connect-type auto: up by itself, and up again after the peer's DELETE.
IKEH_IF_EXTRA="ikev2 connect-type auto" ikeh_conf aes-gcm-256 - ecp256 aes-gcm-256 -
ikeh_start
ike_wait 15 one_pair
log_test $? "connect-type auto: the tunnel comes up with no request"
check_cmd "connect-type auto: ping A -> B" \
	ip netns exec "$A" ping -c 2 -i 0.2 -W 3 192.168.92.1
ike_swanctl R --terminate --ike t --timeout 10 >/dev/null 2>&1
ike_wait 5 no_sa
log_test $? "connect-type auto: charon's DELETE takes the SAs away"
ike_wait 15 one_pair
log_test $? "connect-type auto: ikehelper brings the tunnel back within 10 s"
ikeh_stop
ike_wait 5 no_sa

# Trigger mode: on an on-demand link, the first packet with no SA makes
# the module raise ACQUIRE, and ikehelper negotiates.
ip -n "$A" link set ikv0 type ikevti mode on-demand
ikeh_conf aes-gcm-256 - ecp256 aes-gcm-256 -
ikeh_start
sleep 1
no_sa
log_test $? "trigger: no SA before traffic"
ping_once() { ip netns exec "$A" ping -c 1 -W 1 192.168.92.1 >/dev/null 2>&1; }
ike_wait 15 ping_once
log_test $? "trigger: a ping raises ACQUIRE, IKEv2 runs, and pings pass"
one_pair
log_test $? "trigger: one SA pair in both kernels"
grep -q "ikv0: ACQUIRE" "$IKEH/ikehelper.log"
log_test $? "trigger: ikehelper logged the module's ACQUIRE"
ikeh_stop
ike_wait 5 no_sa
ip -n "$A" link set ikv0 type ikevti mode always-on

# SIGTERM: DELETE to charon, the SAs out of the kernel.
ikeh_conf aes-gcm-256 - ecp256 aes-gcm-256 -
ikeh_start
ikectl initiate ikv0 >/dev/null
ike_wait 15 one_pair
log_test $? "SIGTERM: the tunnel is up first"
ikeh_stop
ike_wait 5 no_sa
log_test $? "SIGTERM: ikehelper removed its SAs, and charon its own on the DELETE"

kmsg_check "kernel log stays clean"
finish
