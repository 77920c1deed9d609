#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: runs inside the VM (selftests/vm/run).  Two sites, each an
# ikevti device over a shared underlay, keyed by hand with ikevtictl until
# ikehelper negotiates the keys; then a ping crosses the tunnel and the
# SAs and counters are shown.
#
#   site1: ikevti0 10.255.0.1 ---- underlay 192.0.2.1 <-> 192.0.2.2 ---- site2

set -u
source "$(dirname "$0")/lib.sh"
require_ikevti
require_ikevtictl

step() { printf '\n$ %s\n' "$*"; "$@"; }
key() { od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'; }

setup_ns site1 site2
ip link add eth0 netns "$site1" type veth peer name eth0 netns "$site2"
ip -n "$site1" addr add 192.0.2.1/24 dev eth0
ip -n "$site2" addr add 192.0.2.2/24 dev eth0
ip -n "$site1" link set eth0 up
ip -n "$site2" link set eth0 up

echo "== ikevti demo on $(uname -r): site1 <-> site2, aes-gcm-128"
step ip -n "$site1" link add ikevti0 type ikevti local 192.0.2.1 remote 192.0.2.2
ip -n "$site2" link add ikevti0 type ikevti local 192.0.2.2 remote 192.0.2.1
ip -n "$site1" addr add 10.255.0.1/30 dev ikevti0
ip -n "$site2" addr add 10.255.0.2/30 dev ikevti0
ip -n "$site1" link set ikevti0 up
ip -n "$site2" link set ikevti0 up
step ip -n "$site1" -d link show ikevti0
echo "(NO-CARRIER: no outbound SA yet, so nothing leaves in clear text)"

k12=$(key 20)
k21=$(key 20)
echo "$k12" >"$IKEVTI_TOP/build/demo-k12"
echo "$k21" >"$IKEVTI_TOP/build/demo-k21"
on_exit "rm -f '$IKEVTI_TOP/build/demo-k12' '$IKEVTI_TOP/build/demo-k21'"
step ip netns exec "$site1" "$IKEVTICTL" sa add ikevti0 dir out spi 0x1001 enc aes-gcm key "@$IKEVTI_TOP/build/demo-k12"
step ip netns exec "$site1" "$IKEVTICTL" sa add ikevti0 dir in spi 0x2001 enc aes-gcm key "@$IKEVTI_TOP/build/demo-k21"
ip netns exec "$site2" "$IKEVTICTL" sa add ikevti0 dir out spi 0x2001 enc aes-gcm key "@$IKEVTI_TOP/build/demo-k21"
ip netns exec "$site2" "$IKEVTICTL" sa add ikevti0 dir in spi 0x1001 enc aes-gcm key "@$IKEVTI_TOP/build/demo-k12"

step ip netns exec "$site1" ping -c 3 -i 0.2 10.255.0.2
step ip netns exec "$site1" "$IKEVTICTL" sa show ikevti0
step ip netns exec "$site1" "$IKEVTICTL" link show ikevti0
step ip netns exec "$site1" "$IKEVTICTL" --json version
