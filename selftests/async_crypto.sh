#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The asynchronous crypto path.  pcrypt() is made the kernel's preferred
# implementation of each transform (async_probe.py wrap: an instance over
# the current best driver, which then ranks 100 above it), so every new SA
# gets an AEAD whose requests complete in a callback on a padata worker,
# never inline.  Two ikevti ends with mirrored SAs, for aes-gcm, aes-cbc +
# hmac-sha256-128 and chacha20-poly1305 in turn.  (The module's own
# force_async knob is gone: cryptd() AEADs fail the kernel's self-tests on
# 6.1, with a WARNING; this needs nothing from the module.)
#
#   +-------------------------------+  veth  +-------------------------------+
#   | ns A  va 10.77.0.1            |--------| ns B  vb 10.77.0.2            |
#   |  ikevti0 192.168.77.1         |        |  ikevti0 192.168.77.2         |
#   |   out 0x1NNN ---------------- | ESP -> | -> in 0x1NNN                  |
#   |   in  0x2NNN <--------------- | <- ESP | -- out 0x2NNN                 |
#   |   out 0x3NNN (takes over) --- | ESP -> | -> in 0x3NNN (added late)     |
#   |  sender: ping, UDP burst,     |        |  iperf3 server, UDP receiver, |
#   |   iperf3, raw re-injection    |        |   packet socket on vb         |
#   +-------------------------------+        +-------------------------------+
#
# Per transform:
#   - /proc/crypto ranks the pcrypt instance first for the transform's
#     name, and its refcnt is 6 higher with the 6 SAs than after they are
#     flushed: every SA holds the asynchronous AEAD;
#   - 5 pings all answered; 500 UDP datagrams (512 bytes) A -> B all
#     received; an iperf3 TCP transfer (256 KB) completes;
#   - replay protection across async completion: A adds outbound SA
#     0x3NNN, which takes over before B has it, so B drops the next packet
#     (unknown SPI) while a packet socket on vb captures it; B adds the SA,
#     and the captured packet is sent 16 times back to back, so that
#     copies are in flight together: exactly one is delivered, and B's SA
#     counts 1 packet and 15 replays;
#   - nothing lost inside the tunnel: each outbound SA counted exactly the
#     packets its inbound peer did, with the same (no) error counters;
#     no device error on A, and on B only the probes and the replays.
# The pcrypt instances the test made are unregistered on exit
# (NETLINK_CRYPTO), so later users get the synchronous drivers again.

source "$(dirname "$0")/lib.sh"

require_ikevti
require_ikevtictl
require_cmd ping iperf3 python3 awk
[ -n "${IP_LIB_DIR:-}" ] || [ -e /usr/lib/x86_64-linux-gnu/ip/link_ikevti.so ] ||
	skip "the ip(8) plugin link_ikevti.so is not built (make tools) nor installed"
[ -r /proc/crypto ] || skip "no /proc/crypto"
PROBE="$IKEVTI_SELFTESTS_DIR/helpers/async_probe.py"

kmsg_mark
setup_ns A B || exit $ksft_fail
ip link add va netns "$A" type veth peer name vb netns "$B"
ip -n "$A" addr add 10.77.0.1/24 dev va
ip -n "$B" addr add 10.77.0.2/24 dev vb
ip -n "$A" link set va up
ip -n "$B" link set vb up
for ns in "$A" "$B"; do
	if [ "$ns" = "$A" ]; then me=1; peer=2; else me=2; peer=1; fi
	ip -n "$ns" link add ikevti0 type ikevti local 10.77.0.$me remote 10.77.0.$peer
	ip -n "$ns" addr add 192.168.77.$me/32 peer 192.168.77.$peer/32 dev ikevti0
	ip netns exec "$ns" sysctl -q -w net.ipv6.conf.ikevti0.disable_ipv6=1
	ip -n "$ns" link set ikevti0 up
done
ip netns exec "$B" iperf3 -s -D >/dev/null 2>&1

ctl() { ip netns exec "$1" "$IKEVTICTL" "${@:2}"; }
# All the key material at once: one process instead of one per key.
POOL=$(od -An -tx1 -N1024 /dev/urandom | tr -d ' \n')
pool_off=0
# key VAR BYTES: the next BYTES random bytes of the pool, in hex, into VAR.
key() {
	printf -v "$1" '%s' "${POOL:pool_off:$(($2 * 2))}"
	pool_off=$((pool_off + $2 * 2))
}

# Cleanup hooks run in order: the SAs go before the pcrypt instances they
# hold can be unregistered.
on_exit "ctl $A sa flush ikevti0; ctl $B sa flush ikevti0"

# PCRYPT[NAME]: the pcrypt driver now preferred for AEAD NAME.
declare -A PCRYPT
ALGS=("rfc4106(gcm(aes))" "authenc(hmac(sha256),cbc(aes))"
      "rfc7539esp(chacha20,poly1305)")
i=0
while read -r state drv; do
	case $state in
	new) on_exit "python3 '$PROBE' unwrap '$drv' >/dev/null" ;;
	old) ;;
	*) skip "cannot instantiate pcrypt (CONFIG_CRYPTO_PCRYPT, algif_aead): $drv" ;;
	esac
	PCRYPT[${ALGS[i]}]=$drv
	i=$((i + 1))
done < <(python3 "$PROBE" wrap "${ALGS[@]}" 2>&1)
[ "$i" = ${#ALGS[@]} ] || skip "async_probe.py wrap failed"

# best NAME: the driver /proc/crypto ranks first for NAME, and its refcnt.
best() {
	awk -v n="$1" '
		$1 == "name" { name = $3 }
		$1 == "driver" { drv = $3 }
		$1 == "priority" { prio = $3 }
		$1 == "refcnt" { ref = $3 }
		/^$/ { if (name == n && prio + 0 > top) { top = prio + 0; out = drv " " ref }
		       name = drv = prio = ref = "" }
		END { print out }' /proc/crypto
}

# counters: both ends' SA and device counters, one line each:
#   "A out SPI packets errors", "A in ...", "B out ...", "B in ...",
#   "A dev send_errors recv_errors invalid_sa", "B dev ..."
COUNTERS='
import json, sys
for side, sas, dev in (("A", sys.argv[1], sys.argv[2]), ("B", sys.argv[3], sys.argv[4])):
    for sa in json.loads(sas):
        st = sa["stats"]
        err = " ".join("%s=%d" % (k, n) for k, n in sorted(st.items())
                       if n and k not in ("packets", "octets"))
        print(side, sa["dir"], "0x%x" % sa["spi"], st["packets"], err or "no-errors")
    d = json.loads(dev)[0]
    print(side, "dev", d["send_errors"], d["recv_errors"], d["invalid_sa"])
'
counters() {
	python3 -c "$COUNTERS" "$(ctl "$A" --json sa show ikevti0)" \
		"$(ctl "$A" --json link show ikevti0)" \
		"$(ctl "$B" --json sa show ikevti0)" \
		"$(ctl "$B" --json link show ikevti0)"
}

# xform VAR ENC KEYBYTES [AUTH AUTHKEYBYTES]: VAR=(ikevtictl's transform
# arguments) with fresh random keys.
xform() {
	local -n x=$1
	local k

	key k "$3"
	x=(enc "$2" key "$k")
	if [ -n "${4:-}" ]; then
		key k "$5"
		x+=(auth "$4" key "$k")
	fi
}

# sa_line COUNTERS SIDE DIR SPI: "packets errors" of one SA.
sa_line() { awk -v s="$2" -v d="$3" -v spi="$4" '$1 == s && $2 == d && $3 == spi { print $4, $5 }' <<<"$1"; }

n_case=0
# run_case NAME AEAD-NAME ENC KEYBYTES [AUTH AUTHKEYBYTES]
run_case() {
	local name=$1 alg=$2 enc=$3 klen=$4 auth=${5:-} alen=${6:-}
	local ab ba ab2 c drv ref out pkt
	local -a x_ab x_ba x_ab2

	n_case=$((n_case + 1))
	ab=$(printf '0x%x' $((0x1000 + n_case)))
	ba=$(printf '0x%x' $((0x2000 + n_case)))
	ab2=$(printf '0x%x' $((0x3000 + n_case)))
	xform x_ab "$enc" "$klen" "$auth" "$alen"
	xform x_ba "$enc" "$klen" "$auth" "$alen"
	xform x_ab2 "$enc" "$klen" "$auth" "$alen"
	if ! ctl "$A" sa add ikevti0 dir out spi "$ab" "${x_ab[@]}" ||
	   ! ctl "$A" sa add ikevti0 dir in spi "$ba" "${x_ba[@]}" ||
	   ! ctl "$B" sa add ikevti0 dir out spi "$ba" "${x_ba[@]}" ||
	   ! ctl "$B" sa add ikevti0 dir in spi "$ab" "${x_ab[@]}"; then
		log_test 1 "$name: ikevtictl sa add failed"
		return
	fi

	read -r drv ref < <(best "$alg")
	check_eq "$name: /proc/crypto ranks pcrypt first for $alg" \
		"${PCRYPT[$alg]}" "$drv"

	out=$(ip netns exec "$A" ping -c 5 -i 0.2 -W 2 192.168.77.2 2>&1)
	check_match "$name: 5 pings A -> B, all answered" \
		' 5 received, 0% packet loss' "$out"
	check_eq "$name: UDP burst A -> B, every datagram received" \
		"sent 500 received 500" \
		"$(python3 "$PROBE" burst --from "$A" --to "$B" --dst 192.168.77.2 \
			--count 500 --size 512)"
	check_cmd "$name: iperf3 TCP A -> B, 256 KB" \
		ip netns exec "$A" iperf3 -c 192.168.77.2 -n 256K --connect-timeout 3000

	# Replays in flight together: A's new outbound SA takes over before
	# B knows it, so B drops (unknown SPI) the packet captured on vb.
	ctl "$A" sa add ikevti0 dir out spi "$ab2" "${x_ab2[@]}"
	pkt=$(python3 "$PROBE" probe --from "$A" --to "$B" --dst 192.168.77.2 --uplink vb)
	ctl "$B" sa add ikevti0 dir in spi "$ab2" "${x_ab2[@]}"
	check_eq "$name: 16 copies of one captured packet sent at once: one delivered" \
		"received 1" \
		"$(python3 "$PROBE" inject --from "$A" --to "$B" --dst 192.168.77.2 \
			--copies 16 "$pkt")"

	c=$(counters)
	check_eq "$name: outbound SAs without error" "no-errors no-errors" \
		"$(sa_line "$c" A out "$ab" | cut -d' ' -f2) $(sa_line "$c" B out "$ba" | cut -d' ' -f2)"
	check_eq "$name: what A sent, B received, and the other way round" \
		"$(sa_line "$c" A out "$ab") $(sa_line "$c" B out "$ba")" \
		"$(sa_line "$c" B in "$ab") $(sa_line "$c" A in "$ba")"
	check_eq "$name: ... and the copies: 1 packet, 15 replays" \
		"1 no-errors 1 replay=15" \
		"$(sa_line "$c" A out "$ab2") $(sa_line "$c" B in "$ab2")"
	# B's receive errors: each case's probe (unknown SPI) and 15 replays.
	check_eq "$name: no device error on A; on B only the probes and replays" \
		"A dev 0 0 0 B dev 0 $((16 * n_case)) $n_case" \
		"$(grep ' dev ' <<<"$c" | tr '\n' ' ' | sed 's/ $//')"

	# Every SA held the pcrypt AEAD: its refcnt drops by 6 without them.
	ctl "$A" sa flush ikevti0
	ctl "$B" sa flush ikevti0
	for _ in $(seq 20); do
		[ "$(best "$alg")" = "$drv $((ref - 4))" ] && break
		sleep 0.1
	done
	check_eq "$name: the 6 SAs held $drv (refcnt $((ref + 2)), without them $((ref - 4)))" \
		"$drv $((ref - 4))" "$(best "$alg")"
}

run_case aes-gcm "rfc4106(gcm(aes))" aes-gcm 20
run_case "aes-cbc hmac-sha256-128" "authenc(hmac(sha256),cbc(aes))" aes-cbc 32 \
	hmac-sha256-128 32
run_case chacha20-poly1305 "rfc7539esp(chacha20,poly1305)" chacha20-poly1305 36

# --- a full cipher queue ------------------------------------------------------
# cryptd() queues at most 1000 requests per CPU, and its worker runs on the
# CPU that queued them.  Packets injected into B by a sender at real-time
# priority on CPU 0 keep that worker off the CPU, so B's queue fills.  The
# module asks for no backlog: a full queue refuses the request, and the
# packet is dropped and counted ("cipher busy"), not queued without end.
# Then B's device is deleted while CPU 0's queue is full: the completions
# come after ndo_uninit (the GRO cells outlive it).  cryptd() AEADs pass
# the kernel's self-tests from 6.12 on; 6.1's fail them with a WARNING
# ("corrupted request struct"), so this part runs in the 6.12 guest only.
INJECT="$IKEVTI_SELFTESTS_DIR/helpers/esp_inject.py"
inject_b() {
	ip netns exec "$B" chrt -f 10 taskset -c 0 python3 "$INJECT" --dev ikevti0 \
		--peer-ns "/run/netns/$A" --iface va --src 10.77.0.1 \
		--dst 10.77.0.2 --sink 192.168.77.2:5003
}
full_queue() {
	local alg="authenc(hmac(sha256),cbc(aes))" st drv n=5000 out pk busy
	local -a xq

	read -r st drv < <(python3 "$PROBE" cryptd "$alg" 2>&1)
	case $st in
	new) on_exit "python3 '$PROBE' unwrap '$drv' >/dev/null" ;;
	old) ;;
	*) log_test 1 "full queue: cannot instantiate cryptd: $drv"; return ;;
	esac
	# pcrypt ranks above cryptd: take it out for this transform.
	python3 "$PROBE" unwrap "${PCRYPT[$alg]}" >/dev/null
	check_eq "full queue: /proc/crypto ranks cryptd first for $alg" "$drv" \
		"$(best "$alg" | cut -d' ' -f1)"
	xform xq aes-cbc 32 hmac-sha256-128 32
	ctl "$B" sa add ikevti0 dir in spi 0x1100 "${xq[@]}"

	out=$(printf 'key 0x1100 cbc-sha256 %s %s\nflood 0x1100 1 %d\n' \
		"${xq[3]}" "${xq[7]}" $n | inject_b 2>&1 | tail -n 1)
	echo "# $out"
	pk=$(grep -o '0x1100.packets+[0-9]*' <<<"$out" | cut -d+ -f2)
	busy=$(grep -o '0x1100.crypto_busy+[0-9]*' <<<"$out" | cut -d+ -f2)
	check_eq "full queue: $n packets into a starved cryptd: some dropped as cipher busy" \
		1 "$((${busy:-0} > 0))"
	check_eq "full queue: each one decrypted or counted (${pk:-0} + ${busy:-0})" \
		"$n" "$((${pk:-0} + ${busy:-0}))"
	check_eq "full queue: no other error" "" \
		"$(tr ' ' '\n' <<<"$out" | grep '^0x1100\.' | grep -vE '\.(packets|crypto_busy|seq)')"

	# CPU 0's queue is full again when B's device goes.
	printf 'flood 0x1100 %d %d\n' $((n + 1)) 6000 | inject_b >/dev/null 2>&1 &
	sleep 2
	check_cmd "full queue: B's device deleted with packets in the cipher" \
		taskset -c 1 ip -n "$B" link del ikevti0
	wait
}

if [ "$(printf '%s\n' 6.12 "$(uname -r)" | sort -V | head -n1)" = 6.12 ]; then
	full_queue
else
	echo "# full queue: not on $(uname -r): cryptd() AEADs fail its self-tests"
fi

kmsg_check "kernel log stays clean"
finish
