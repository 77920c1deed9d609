#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: runs inside the VM (selftests/vm/run).  Two sites, each with
# an ikevti device and its own ikehelper, configured as in the NEC IX
# IKEv2 example of seed 003 (list 2.25.1 and 2.25.2) with Linux device
# names.  IKEv2 brings the tunnel up, a ping crosses it, and both the
# daemon's and the kernel's view of the SAs are shown.
#
# Then the same with IKEv1: two Cisco IOS routers in the style of seeds
# 000, 002 and 004 (ISAKMP policy, a key by address, a transform set, an
# IPsec profile on a VTI), r1 and r2, whose VTIs come up by themselves;
# IOS's show commands describe them.
#
#   +-------- site1 --------+                      +-------- site2 --------+
#   | lan0 192.168.1.1/24   |                      | lan0 192.168.2.1/24   |
#   | ikevti0  ikehelper    |  eth0  underlay eth0 |  ikehelper  ikevti0   |
#   |          10.1.0.1 ----+----------------------+---- 10.2.0.1          |
#   +-----------------------+                      +-----------------------+
#
# The IX examples' "ip unnumbered" and "ikev2 outgoing-interface" lines
# are left out: on Linux, the tunnel's addresses and routes are ip(8)'s.

set -u
source "$(dirname "$0")/../lib.sh"
require_ikevti
require_ikevtictl
require_cmd ping python3

IKEHELPER=$IKEVTI_TOP/ikehelper/ikehelper
[ -x "$IKEHELPER" ] || IKEHELPER=$(command -v ikehelper)
[ -n "$IKEHELPER" ] || skip "ikehelper is not built (make all) nor installed"

step() { printf '\n$ %s\n' "$*"; "$@"; }
tmp=$(mktemp -d) || exit 1
chmod 0700 "$tmp"
on_exit "rm -rf '$tmp'"

setup_ns site1 site2
ip link add eth0 netns "$site1" type veth peer name eth0 netns "$site2"
ip -n "$site1" addr add 10.1.0.1/16 dev eth0
ip -n "$site2" addr add 10.2.0.1/16 dev eth0
ip -n "$site1" link set eth0 up
ip -n "$site2" link set eth0 up
ip -n "$site1" route add 10.2.0.0/16 dev eth0
ip -n "$site2" route add 10.1.0.0/16 dev eth0

# site N: the LAN behind the tunnel, the tunnel, a route to the far LAN.
for n in 1 2; do
	ns=site$n
	peer=$((3 - n))
	ip -n "${!ns}" link add lan0 type dummy
	ip -n "${!ns}" addr add 192.168.$n.1/24 dev lan0
	ip -n "${!ns}" link set lan0 up
	ip -n "${!ns}" link add ikevti0 type ikevti local 10.$n.0.1 remote 10.$peer.0.1
	ip -n "${!ns}" link set ikevti0 up
	ip -n "${!ns}" route add 192.168.$peer.0/24 dev ikevti0 src 192.168.$n.1
done

cat >"$tmp/site1.conf" <<'EOF'
ikev2 authentication psk id keyid site1 key char secret1
ikev2 authentication psk id keyid site2 key char secret2
!
ikev2 default-profile
  child-pfs 2048-bit
  child-proposal enc aes-cbc-256
  child-proposal integrity sha1
  dpd interval 10
  local-authentication psk id keyid site1
  sa-proposal enc aes-cbc-256
  sa-proposal integrity sha1
  sa-proposal prf sha1
!
interface ikevti0
  tunnel mode ipsec-ikev2
  ikev2 peer 10.2.0.1 authentication psk id keyid site2
  no shutdown
EOF
cat >"$tmp/site2.conf" <<'EOF'
ikev2 authentication psk id keyid site1 key char secret1
ikev2 authentication psk id keyid site2 key char secret2
!
ikev2 default-profile
  dpd interval 10
  local-authentication psk id keyid site2
!
interface ikevti0
  tunnel mode ipsec-ikev2
  ikev2 peer 10.1.0.1 authentication psk id keyid site1
  no shutdown
EOF
chmod 0600 "$tmp"/site*.conf

echo "== ikevti demo on $(uname -r): site1 <-> site2, negotiated by IKEv2"
step ip -n "$site1" -d link show ikevti0
echo "(NO-CARRIER: no outbound SA yet, so nothing leaves in clear text)"
printf '\n$ cat site1.conf\n'
cat "$tmp/site1.conf"
step "$IKEHELPER" -t -f "$tmp/site1.conf"
step "$IKEHELPER" -t -f "$tmp/site2.conf"

for n in 1 2; do
	ns=site$n
	ip netns exec "${!ns}" "$IKEHELPER" -f "$tmp/site$n.conf" \
		--control "$tmp/site$n.sock" 2>"$tmp/site$n.log" &
	on_exit "kill $! 2>/dev/null; wait $! 2>/dev/null"
done
for _ in $(seq 50); do
	[ -S "$tmp/site1.sock" ] && [ -S "$tmp/site2.sock" ] && break
	sleep 0.1
done
ctl1() { "$IKEVTICTL" --socket "$tmp/site1.sock" "$@"; }

step ctl1 initiate ikevti0
up=
for _ in $(seq 100); do
	if ip netns exec "$site1" "$IKEVTICTL" --json sa show ikevti0 2>/dev/null |
	   python3 -c 'import json, sys
sys.exit(not any(sa["dir"] == "out" for sa in json.load(sys.stdin)))'; then
		up=1
		break
	fi
	sleep 0.1
done
if [ -z "$up" ]; then
	echo "the tunnel did not come up; ikehelper said:"
	cat "$tmp/site1.log" "$tmp/site2.log"
	exit 1
fi

step ip netns exec "$site1" ping -c 3 -i 0.2 -W 2 -I 192.168.1.1 192.168.2.1 || exit 1
step ctl1 show ike-sa
step ctl1 show child-sa
step ip netns exec "$site1" "$IKEVTICTL" sa show ikevti0
step ip netns exec "$site1" "$IKEVTICTL" link show ikevti0
step ctl1 clear sa 10.2.0.1
echo
echo "ikehelper's log on site1:"
sed 's/^/  /' "$tmp/site1.log"

# ---- IKEv1, Cisco IOS ------------------------------------------------------
#
#   +--------- r1 ---------+                      +--------- r2 ---------+
#   | lan0 192.168.3.1/24  |                      | lan0 192.168.4.1/24  |
#   | ikevti1 172.16.0.1   |  eth0  underlay eth0 |   172.16.0.2 ikevti1 |
#   |          10.3.0.1 ---+----------------------+--- 10.4.0.1          |
#   +----------------------+                      +----------------------+

setup_ns r1 r2
ip link add eth0 netns "$r1" type veth peer name eth0 netns "$r2"
ip -n "$r1" addr add 10.3.0.1/16 dev eth0
ip -n "$r2" addr add 10.4.0.1/16 dev eth0
ip -n "$r1" link set eth0 up
ip -n "$r2" link set eth0 up
ip -n "$r1" route add 10.4.0.0/16 dev eth0
ip -n "$r2" route add 10.3.0.0/16 dev eth0
for n in 3 4; do
	ns=r$((n - 2))
	peer=$((7 - n))
	ip -n "${!ns}" link add lan0 type dummy
	ip -n "${!ns}" addr add 192.168.$n.1/24 dev lan0
	ip -n "${!ns}" link set lan0 up
	ip -n "${!ns}" link add ikevti1 type ikevti local 10.$n.0.1 remote 10.$peer.0.1
	ip -n "${!ns}" addr add 172.16.0.$((n - 2))/30 dev ikevti1
	ip -n "${!ns}" link set ikevti1 up
	ip -n "${!ns}" route add 192.168.$peer.0/24 dev ikevti1 src 192.168.$n.1
	cat >"$tmp/r$((n - 2)).conf" <<EOF
hostname R$((n - 2))
!
crypto isakmp policy 10
 encr aes 256
 hash sha256
 authentication pre-share
 group 14
crypto isakmp key cisco123 address 10.$peer.0.1
crypto isakmp keepalive 10 3 periodic
!
crypto ipsec transform-set TS esp-aes 256 esp-sha256-hmac
 mode tunnel
!
crypto ipsec profile VTI
 set transform-set TS
 set pfs group14
!
interface ikevti1
 ip address 172.16.0.$((n - 2)) 255.255.255.252
 tunnel source 10.$n.0.1
 tunnel destination 10.$peer.0.1
 tunnel mode ipsec ipv4
 tunnel protection ipsec profile VTI
EOF
done
chmod 0600 "$tmp"/r*.conf

echo
echo "== IKEv1: r1 <-> r2, two Cisco IOS-style VTIs, Main Mode and Quick Mode"
printf '\n$ cat r1.conf\n'
cat "$tmp/r1.conf"
step "$IKEHELPER" -t -f "$tmp/r1.conf"
for n in 1 2; do
	ns=r$n
	ip netns exec "${!ns}" "$IKEHELPER" -f "$tmp/r$n.conf" \
		--control "$tmp/r$n.sock" 2>"$tmp/r$n.log" &
	on_exit "kill $! 2>/dev/null; wait $! 2>/dev/null"
done
up=
for _ in $(seq 150); do
	if ip netns exec "$r1" "$IKEVTICTL" --json sa show ikevti1 2>/dev/null |
	   python3 -c 'import json, sys
sys.exit(not any(sa["dir"] == "out" for sa in json.load(sys.stdin)))'; then
		up=1
		break
	fi
	sleep 0.1
done
if [ -z "$up" ]; then
	echo "the IKEv1 tunnel did not come up; ikehelper said:"
	cat "$tmp/r1.log" "$tmp/r2.log"
	exit 1
fi
ctl3() { "$IKEVTICTL" --socket "$tmp/r1.sock" "$@"; }
echo "(the VTIs came up by themselves, as IOS brings up 'tunnel protection')"
step ip netns exec "$r1" ping -c 3 -i 0.2 -W 2 -I 192.168.3.1 192.168.4.1 || exit 1
step ctl3 show crypto isakmp sa
step ctl3 show crypto isakmp sa detail
step ctl3 show crypto ipsec sa
step ctl3 show crypto session
step ctl3 clear crypto isakmp
echo
echo "ikehelper's log on r1:"
sed 's/^/  /' "$tmp/r1.log"
