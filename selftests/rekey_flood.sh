#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 100 make-before-break rekeys during a UDP flood of more than 5,000
# packets/s (64-byte iperf3 datagrams, which it numbers and counts), with
# 0 lost.  Not yet in TEST_PROGS: in a TCG guest on a loaded 2-core
# machine the flood itself cannot be sustained without loss, so the test
# would measure the emulator, not the rekey.  Run it by hand on KVM:
#   selftests/vm/run -- selftests/run_tests rekey_flood.sh
#
#   ns L ikv0 172.16.6.1 --- veth 10.6.0.0/24 --- ns R ikv0 172.16.6.2

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

# --- 100 rekeys under a flood ---------------------------------------------
REKEYS=${REKEYS:-100}
report=$IKEVTI_TOP/build/lc-$L.json
ip netns exec "$R" iperf3 -s -1 -J -B 172.16.6.2 >"$report" 2>/dev/null &
srv=$!
sleep 0.5
# 64-byte datagrams at 3 Mbit/s: 5,859 packets/s, for longer than the rekeys.
ip netns exec "$L" iperf3 -u -c 172.16.6.2 -B 172.16.6.1 -l 64 -b 3M -t 600 \
	>/dev/null 2>&1 &
cli=$!
sleep 1
rekey_fail=0
for n in $(seq 1 "$REKEYS"); do
	K1[n]=$(key); K2[n]=$(key)
	# New inbound first, then the new outbound takes over, then the old
	# outbound goes; the old inbound goes one generation later.
	add_in "$n" "${K1[n]}" "${K2[n]}" &&
	add_out "$n" "${K1[n]}" "${K2[n]}" &&
	del_dir $((n - 1)) out || { rekey_fail=1; break; }
	if [ "$n" -ge 2 ]; then
		del_dir $((n - 2)) in || { rekey_fail=1; break; }
	fi
done
sleep 1
kill -INT "$cli" 2>/dev/null
wait "$cli" 2>/dev/null
wait "$srv" 2>/dev/null
log_test $rekey_fail "$REKEYS rekeys (new in, new out, old out, old in later)"
read -r sent lost pps < <(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))["end"]["sum"]
print(d["packets"], d["lost_packets"], int(d["packets"] / d["seconds"]))' "$report" 2>/dev/null)
rm -f "$report"
echo "# flood: ${sent:-?} datagrams at ${pps:-?}/s, ${lost:-?} lost"
check_eq "the flood ran at more than 5,000 packets/s" 1 "$(( ${pps:-0} > 5000 ))"
check_eq "0 datagrams lost across the rekeys" 0 "${lost:-missing}"
check_eq "one outbound SA left on each side" "1 1" "$(nsas "$L" out) $(nsas "$R" out)"
check_eq "the last two inbound generations on each side" "2 2" "$(nsas "$L" in) $(nsas "$R" in)"
check_eq "no replay or integrity failure on any SA" 0 \
	"$( (ctl "$L" --json sa show ikv0; ctl "$R" --json sa show ikv0) | python3 -c '
import json, sys
t = 0
for line in sys.stdin.read().replace("][", "]\n[").splitlines():
    for sa in json.loads(line):
        t += sa["stats"]["replay"] + sa["stats"]["integrity_failed"]
print(t)')"

kmsg_check "kernel log stays clean"
finish
