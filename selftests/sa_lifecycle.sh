#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The life of SAs under traffic, between two ikevti peers:
#   - make-before-break rekeys under a ping every 50 ms, none lost;
#   - soft and hard lifetimes in packets and seconds: events, and a hard
#     expiry removes the SA (and the carrier with the last outbound SA);
#   - outbound selectors: traffic outside them is dropped and counted;
#   - deleting the device and unloading the module with traffic running.
#
#   +--------------------------+   veth 10.6.0.0/24   +--------------------------+
#   | ns L  ikv0 172.16.6.1    |----------------------| ns R  ikv0 172.16.6.2    |
#   |  iperf3 -u client        |  ESP, aes-gcm-128    |  iperf3 server           |
#   |  ikevtictl rekeys both   |                      |                          |
#   +--------------------------+                      +--------------------------+

source "$(dirname "$0")/lib.sh"

require_ikevti
require_ikevtictl
require_cmd ping iperf3 python3
[ -n "${IP_LIB_DIR:-}" ] || [ -e /usr/lib/x86_64-linux-gnu/ip/link_ikevti.so ] ||
	skip "the ip(8) plugin link_ikevti.so is not built (make tools) nor installed"

kmsg_mark
setup_ns L R || exit $ksft_fail
ip link add l0 netns "$L" type veth peer name r0 netns "$R"
ip -n "$L" addr add 10.6.0.1/24 dev l0
ip -n "$R" addr add 10.6.0.2/24 dev r0
ip -n "$L" link set l0 up
ip -n "$R" link set r0 up
for ns in "$L" "$R"; do
	if [ "$ns" = "$L" ]; then me=1; peer=2; else me=2; peer=1; fi
	ip -n "$ns" link add ikv0 type ikevti local 10.6.0.$me remote 10.6.0.$peer
	ip -n "$ns" addr add 172.16.6.$me/32 peer 172.16.6.$peer/32 dev ikv0
	ip netns exec "$ns" sysctl -q -w net.ipv6.conf.ikv0.disable_ipv6=1
	ip -n "$ns" link set ikv0 up
done

key() { od -An -tx1 -N20 /dev/urandom | tr -d ' \n'; }
ctl() { ip netns exec "$1" "$IKEVTICTL" "${@:2}"; }
nsas() {
	ctl "$1" --json sa show ikv0 | python3 -c '
import json, sys
print(sum(1 for sa in json.load(sys.stdin) if sa["dir"] == sys.argv[1]))' "$2"
}

# pair N: SPIs of generation N; L->R is 0x10000+N, R->L 0x20000+N.
add_in() {
	local n=$1 k1=$2 k2=$3
	ctl "$R" sa add ikv0 dir in spi $((0x10000 + n)) enc aes-gcm key "$k1" &&
	ctl "$L" sa add ikv0 dir in spi $((0x20000 + n)) enc aes-gcm key "$k2"
}
add_out() {
	local n=$1 k1=$2 k2=$3
	ctl "$L" sa add ikv0 dir out spi $((0x10000 + n)) enc aes-gcm key "$k1" &&
	ctl "$R" sa add ikv0 dir out spi $((0x20000 + n)) enc aes-gcm key "$k2"
}
del_dir() {
	local n=$1 dir=$2
	if [ "$dir" = out ]; then
		ctl "$L" sa del ikv0 dir out spi $((0x10000 + n)) &&
		ctl "$R" sa del ikv0 dir out spi $((0x20000 + n))
	else
		ctl "$R" sa del ikv0 dir in spi $((0x10000 + n)) &&
		ctl "$L" sa del ikv0 dir in spi $((0x20000 + n))
	fi
}

declare -a K1 K2
K1[0]=$(key); K2[0]=$(key)
add_in 0 "${K1[0]}" "${K2[0]}" && add_out 0 "${K1[0]}" "${K2[0]}"
check_cmd "the first SA pair carries traffic" ip netns exec "$L" ping -c 2 -i 0.2 -W 2 172.16.6.2

# --- rekeys under ping -----------------------------------------------------
# (The 100 rekeys under a 5,000 packets/s flood are rekey_flood.sh.)
REKEYS=${REKEYS:-20}
ip netns exec "$L" ping -i 0.05 -W 1 172.16.6.2 >"$IKEVTI_TOP/build/lc-ping-$L" 2>&1 &
pinger=$!
sleep 0.5
rekey_fail=0
for n in $(seq 1 "$REKEYS"); do
	K1[n]=$(key); K2[n]=$(key)
	add_in "$n" "${K1[n]}" "${K2[n]}" &&
	add_out "$n" "${K1[n]}" "${K2[n]}" &&
	del_dir $((n - 1)) out || { rekey_fail=1; break; }
	if [ "$n" -ge 2 ]; then
		del_dir $((n - 2)) in || { rekey_fail=1; break; }
	fi
done
sleep 0.5
kill -INT "$pinger"
wait "$pinger" 2>/dev/null
log_test $rekey_fail "$REKEYS rekeys (new in, new out, old out, old in later)"
read -r tx rx < <(sed -n 's/^\([0-9]*\) packets transmitted, \([0-9]*\) received.*/\1 \2/p' \
	"$IKEVTI_TOP/build/lc-ping-$L")
rm -f "$IKEVTI_TOP/build/lc-ping-$L"
echo "# pings across the rekeys: ${tx:-?} sent, ${rx:-?} answered"
check_eq "no ping lost across the rekeys" "${tx:-x}" "${rx:-y}"
check_eq "one outbound SA left on each side" "1 1" "$(nsas "$L" out) $(nsas "$R" out)"
check_eq "the last two inbound generations on each side" "2 2" "$(nsas "$L" in) $(nsas "$R" in)"

# --- lifetimes ---------------------------------------------------------------
events=$IKEVTI_TOP/build/lc-ev-$L.json
timeout 12 ip netns exec "$L" "$IKEVTICTL" --json monitor >"$events" 2>/dev/null &
mon=$!
sleep 1
ctl "$L" sa flush ikv0
ctl "$R" sa flush ikv0
KA=$(key); KB=$(key)
ctl "$R" sa add ikv0 dir in spi 0x31000 enc aes-gcm key "$KA"
ctl "$R" sa add ikv0 dir out spi 0x32000 enc aes-gcm key "$KB"
ctl "$L" sa add ikv0 dir in spi 0x32000 enc aes-gcm key "$KB" \
	lifetime soft secs 2 lifetime hard secs 4 cookie 77
ctl "$L" sa add ikv0 dir out spi 0x31000 enc aes-gcm key "$KA" \
	lifetime soft packets 5 lifetime hard packets 8 cookie 42
ip netns exec "$L" ping -c 12 -i 0.1 -W 1 172.16.6.2 >/dev/null
check_eq "after a hard packet limit the outbound SA is gone" 0 "$(nsas "$L" out)"
check_eq "and with the last outbound SA, the carrier" 0 \
	"$(ip netns exec "$L" cat /sys/class/net/ikv0/carrier)"
sleep 4.5
check_eq "after a hard time limit the inbound SA is gone" 0 "$(nsas "$L" in)"
wait $mon
ev() {
	python3 - "$events" "$@" <<'EOF'
import json, sys
n = 0
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e.get("event") != "expire" or e.get("spi") != int(sys.argv[2], 0):
        continue
    if bool(e.get("hard")) == (sys.argv[3] == "hard") and e.get("cookie") == int(sys.argv[4]):
        n += 1
print(n)
EOF
}
check_eq "one soft expire event for the packet limit" 1 "$(ev 0x31000 soft 42)"
check_eq "one hard expire event for the packet limit" 1 "$(ev 0x31000 hard 42)"
check_eq "one soft expire event for the time limit" 1 "$(ev 0x32000 soft 77)"
check_eq "one hard expire event for the time limit" 1 "$(ev 0x32000 hard 77)"
rm -f "$events"

# --- outbound selectors ------------------------------------------------------
ctl "$L" sa add ikv0 dir in spi 0x42000 enc aes-gcm key "$KB"
ctl "$R" sa add ikv0 dir in spi 0x41000 enc aes-gcm key "$KA"
ctl "$L" sa add ikv0 dir out spi 0x41000 enc aes-gcm key "$KA" \
	ts-remote 172.16.6.2/32 proto udp
before=$(ctl "$L" --json link show ikv0 | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["ts_out"])')
check_fail "ICMP is outside the UDP-only selectors" ip netns exec "$L" ping -c 2 -i 0.2 -W 1 172.16.6.2
after=$(ctl "$L" --json link show ikv0 | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["ts_out"])')
check_eq "and counted as outside the selectors" $((before + 2)) "$after"

# --- teardown under load -----------------------------------------------------
ctl "$L" sa flush ikv0
ctl "$R" sa flush ikv0
add_in 900 "${K1[0]}" "${K2[0]}" && add_out 900 "${K1[0]}" "${K2[0]}"
ip netns exec "$R" iperf3 -s -D -B 172.16.6.2 >/dev/null 2>&1
sleep 0.3
ip netns exec "$L" iperf3 -c 172.16.6.2 -B 172.16.6.1 -t 30 -P 2 >/dev/null 2>&1 &
sleep 2
check_cmd "delete a device with traffic running" ip -n "$L" link del ikv0
if [ -n "${IKEVTI_VM_KO:-}" ]; then
	check_cmd "unload the module with traffic running" rmmod ikevti
	check_cmd "and load it again" insmod "$IKEVTI_VM_KO" selftest=0
fi

kmsg_check "kernel log stays clean"
finish
