#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Malformed ESP: each kind is dropped and counted under its own reason,
# a barrage of 100,000 random packets leaves the kernel log clean, and the
# established tunnel keeps carrying traffic throughout.
#
#   +------------------------------+  veth  +------------------------------+
#   | ns L  10.8.0.1               |--------| ns R  10.8.0.2               |
#   |  ikv0 172.16.0.1             |        |  ikv0 172.16.0.2             |
#   |   in 0x2000 / out 0x1000 ----+--------+-- the working tunnel         |
#   |   in 0x2100 (window 64,      |<-------+-- esp_craft.py: raw ESP,     |
#   |     from 172.16.0.2/32 only) |        |   authentic or not           |
#   +------------------------------+        +------------------------------+

source "$(dirname "$0")/lib.sh"

require_ikevti
require_ikevtictl
require_cmd ping python3
python3 -c 'import cryptography.hazmat.primitives.ciphers.aead' 2>/dev/null ||
	skip "python3-cryptography is not installed (make deps)"
[ -n "${IP_LIB_DIR:-}" ] || [ -e /usr/lib/x86_64-linux-gnu/ip/link_ikevti.so ] ||
	skip "the ip(8) plugin link_ikevti.so is not built (make tools) nor installed"

CRAFT="python3 $IKEVTI_SELFTESTS_DIR/esp_craft.py 10.8.0.1"
key() { od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'; }

kmsg_mark
setup_ns L R || exit $ksft_fail
ip link add l0 netns "$L" type veth peer name r0 netns "$R"
ip -n "$L" addr add 10.8.0.1/24 dev l0
ip -n "$R" addr add 10.8.0.2/24 dev r0
ip -n "$L" link set l0 up
ip -n "$R" link set r0 up
for ns in "$L" "$R"; do
	if [ "$ns" = "$L" ]; then me=1; peer=2; else me=2; peer=1; fi
	ip -n "$ns" link add ikv0 type ikevti local 10.8.0.$me remote 10.8.0.$peer
	ip -n "$ns" addr add 172.16.0.$me/32 peer 172.16.0.$peer/32 dev ikv0
	ip netns exec "$ns" sysctl -q -w net.ipv6.conf.ikv0.disable_ipv6=1
	ip -n "$ns" link set ikv0 up
done
K1=$(key 20)
K2=$(key 20)
KC=$(key 20)
ctl() { ip netns exec "$1" "$IKEVTICTL" "${@:2}"; }
ctl "$L" sa add ikv0 dir out spi 0x1000 enc aes-gcm key "$K1"
ctl "$L" sa add ikv0 dir in spi 0x2000 enc aes-gcm key "$K2"
ctl "$R" sa add ikv0 dir out spi 0x2000 enc aes-gcm key "$K2"
ctl "$R" sa add ikv0 dir in spi 0x1000 enc aes-gcm key "$K1"
ctl "$L" sa add ikv0 dir in spi 0x2100 enc aes-gcm key "$KC" replay-window 64 \
	ts-remote 172.16.0.2/32

check_cmd "the tunnel works" ip netns exec "$L" ping -c 2 -i 0.2 -W 2 172.16.0.2

stat() {
	ctl "$L" --json sa show ikv0 | python3 -c '
import json, sys
for sa in json.load(sys.stdin):
    if sa["dir"] == "in" and sa["spi"] == 0x2100:
        print(sa["stats"][sys.argv[1]])
' "$1"
}
dev() {
	ctl "$L" --json link show ikv0 | python3 -c '
import json, sys; print(json.load(sys.stdin)[0][sys.argv[1]])' "$1"
}

# craft KIND COUNTER DESC [craft options]: one packet, COUNTER +1.
craft() {
	local kind=$1 counter=$2 desc=$3 before after
	shift 3

	before=$(stat "$counter")
	ip netns exec "$R" $CRAFT "$kind" --spi 0x2100 --key "$KC" "$@"
	sleep 0.3
	after=$(stat "$counter")
	check_eq "$desc: counted as $counter" $((before + 1)) "$after"
}

craft valid packets "an authentic packet is accepted" --seq 1
craft valid replay "the same packet again" --seq 1
craft badicv integrity_failed "a flipped ciphertext bit" --seq 2
craft badpad invalid_padding "pad bytes other than 1, 2, 3" --seq 3
craft hugepad invalid_padding "a pad length past the payload" --seq 4
craft nexthdr unknown_proto "next header 99" --seq 5 --nh 99
craft valid ts_unacceptable "an inner source outside the selectors" --seq 7 --src 10.99.0.9
craft valid packets "a jump ahead" --seq 200
craft valid replay "a number that fell out of the 64-packet window" --seq 100
craft short truncated "4 bytes after the SPI"
craft misaligned truncated "a payload not a multiple of 4" --seq 300

before=$(( $(stat packets) + $(stat replay) + $(stat integrity_failed) +
	   $(stat invalid_padding) + $(stat unknown_proto) ))
ip netns exec "$R" $CRAFT dummy --spi 0x2100 --key "$KC" --seq 301
sleep 0.3
after=$(( $(stat packets) + $(stat replay) + $(stat integrity_failed) +
	  $(stat invalid_padding) + $(stat unknown_proto) ))
check_eq "a TFC dummy packet (next header 59) is consumed quietly" "$before" "$after"

before=$(dev invalid_sa)
ip netns exec "$R" $CRAFT valid --spi 0xdeadbeef --key "$KC"
sleep 0.3
check_eq "an unknown SPI at the tunnel's addresses: device invalid sa" \
	$((before + 1)) "$(dev invalid_sa)"

# The barrage: random SPIs (a quarter of them live), lengths and bytes.
errs=$(dev recv_errors)
decaps=$(dev decaps)
read -r sent live < <(ip netns exec "$R" $CRAFT barrage --spi 0x2100 --count 100000)
sleep 1
check_eq "the barrage went out (100,000 packets)" 100000 "$sent"
check_eq "no random packet was accepted" "$decaps" "$(dev decaps)"
got=$(( $(dev recv_errors) - errs ))
check_eq "the barrage is counted as receive errors (allowing 1% lost on the way)" 1 \
	"$(( got <= sent && got * 100 >= sent * 99 ))"
echo "# barrage: $sent sent, $live with the live SPI, $got counted"

check_cmd "the tunnel still works" ip netns exec "$L" ping -c 3 -i 0.2 -W 2 172.16.0.2
check_eq "and lost none of its inbound SA's integrity" 0 \
	"$(ctl "$L" --json sa show ikv0 | python3 -c '
import json, sys
print(sum(sa["stats"]["integrity_failed"] + sa["stats"]["replay"]
          for sa in json.load(sys.stdin) if sa["spi"] == 0x2000))')"

kmsg_check "kernel log stays clean"
finish
