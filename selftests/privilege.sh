#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What an unprivileged user and the root of a user namespace can do with
# the module.  The SA commands are GENL_UNS_ADMIN_PERM, so root of a user
# namespace configures the devices of its own network namespace: nothing
# it sends may hurt the rest of the machine.
#
#   +------------------------------------+   +----------------------------+
#   | init user namespace, ns N          |   | user ns U (root mapped to  |
#   |   uid 65534: genl.py --join events |   |   the caller), its net ns  |
#   |   -> EPERM, and no GET_VERSION     |   |   d0 10.99.0.1 (dummy)     |
#   +------------------------------------+   |   ik0 remote 10.99.0.2     |
#                                            |   monitor (events group)   |
#                                            +----------------------------+
#
#   - the events multicast group (SPIs, ACQUIRE's addresses and ports)
#     needs CAP_NET_ADMIN over the namespace: uid 65534 is refused with
#     EPERM, root of U (which owns its net ns) may join;
#   - lifetimes of 2^62, 2^63 and 2^64 - 1 seconds, soft and hard, added
#     from U: they mean "never".  The kernel's workers stay idle (their
#     CPU time over 3 s, against one worker spinning on an expire work
#     that re-arms itself with no delay), the SAs stay unexpired, no event
#     comes, and the outbound SA protects the datagrams sent through ik0.

source "$(dirname "$0")/lib.sh"

require_ikevti
require_ikevtictl
require_cmd unshare setpriv python3 awk
[ -n "${IP_LIB_DIR:-}" ] || [ -e /usr/lib/x86_64-linux-gnu/ip/link_ikevti.so ] ||
	skip "the ip(8) plugin link_ikevti.so is not built (make tools) nor installed"
GENL=$IKEVTI_SELFTESTS_DIR/helpers/genl.py

kmsg_mark
setup_ns N || exit $ksft_fail
tmp=$(mktemp -d) || exit $ksft_fail
on_exit "rm -rf $tmp"
chmod 755 "$tmp"

# --- the events group --------------------------------------------------------
# The script comes on standard input, opened before the privileges go.
nobody() {
	ip netns exec "$N" setpriv --reuid=65534 --regid=65534 --clear-groups \
		--inh-caps=-all --bounding-set=-all "$@"
}
out=$(nobody python3 /dev/stdin --join events <"$GENL" 2>&1)
check_match "uid 65534 cannot join the events group" '^error EPERM' "$out"
out=$(nobody python3 /dev/stdin 1 <"$GENL" 2>&1)
check_match "nor ask for the version" '^error EPERM' "$out"
out=$(ip netns exec "$N" python3 "$GENL" --join events 2>&1)
check_eq "root may join it" joined "$out"

# --- root of a user namespace ------------------------------------------------
modprobe dummy 2>/dev/null
K=$(od -An -tx1 -N20 /dev/urandom | tr -d ' \n')
cat >"$tmp/inner.sh" <<EOF
set -u
exec 2>&1
ctl() { "$IKEVTICTL" "\$@"; }
# The CPU time of every kernel worker so far, in clock ticks.
kworker_ticks() {
	cat /proc/[0-9]*/task/[0-9]*/stat 2>/dev/null |
		awk '\$2 ~ /^\\(kworker/ { t += \$14 + \$15 } END { print t + 0 }'
}
ip link set lo up
ip link add d0 type dummy || exit 1
ip addr add 10.99.0.1/24 dev d0
ip link set d0 up
ip link add ik0 type ikevti local 10.99.0.1 remote 10.99.0.2 || exit 1
ip addr add 192.168.99.1/32 peer 192.168.99.2/32 dev ik0
sysctl -q -w net.ipv6.conf.ik0.disable_ipv6=1
ip link set ik0 up
echo "join \$(python3 "$GENL" --join events)"
"$IKEVTICTL" --json monitor >"$tmp/ev" 2>&1 &
mon=\$!
sleep 0.3
P62=4611686018427387904 P63=9223372036854775808 P64=18446744073709551615
ok=0
ctl sa add ik0 dir in spi 0x2001 enc aes-gcm key $K \\
	lifetime soft secs \$P62 lifetime hard secs \$P62 cookie 1 && ok=\$((ok + 1))
ctl sa add ik0 dir in spi 0x2002 enc aes-gcm key $K \\
	lifetime soft secs \$P63 lifetime hard secs \$P63 cookie 2 && ok=\$((ok + 1))
ctl sa add ik0 dir in spi 0x2003 enc aes-gcm key $K \\
	lifetime soft secs \$P64 lifetime hard secs \$P64 cookie 3 && ok=\$((ok + 1))
ctl sa add ik0 dir out spi 0x1001 enc aes-gcm key $K \\
	lifetime soft secs \$P62 lifetime hard secs \$P64 cookie 4 && ok=\$((ok + 1))
echo "added \$ok"
t0=\$(kworker_ticks)
sleep 3
t1=\$(kworker_ticks)
echo "kworker_ticks \$((t1 - t0))"
for i in 1 2 3 4 5; do echo "\$i" >/dev/udp/192.168.99.2/9; done
sleep 0.3
echo "show \$(ctl --json sa show ik0 | tr -d '\n')"
kill \$mon
ctl sa flush ik0
ip link del ik0
EOF
out=$(ip netns exec "$N" unshare --user --map-root-user --net bash "$tmp/inner.sh")
echo "$out" | grep -v '^show ' | sed 's/^/# /'
check_eq "root of a user namespace may join its events group" "join joined" \
	"$(grep '^join ' <<<"$out")"
check_eq "it adds SAs with lifetimes of 2^62, 2^63 and 2^64 - 1 s" "added 4" \
	"$(grep '^added ' <<<"$out")"
ticks=$(sed -n 's/^kworker_ticks //p' <<<"$out")
# Clock ticks are 1/100 s: a worker spinning for the 3 s would take ~300.
check_eq "the kernel's workers stay idle over 3 s (${ticks:-?} ticks)" 1 \
	"$(awk -v t="${ticks:-999}" 'BEGIN { print (t < 50) }')"
show=$(sed -n 's/^show //p' <<<"$out")
check_eq "all four SAs are there, none expired" "4 0" \
	"$(grep -o '"expired":[0-9]*' <<<"$show" | wc -l) $(grep -o '"expired":[1-9]' <<<"$show" | wc -l)"
check_match "the outbound SA protected the 5 datagrams" \
	'"dir":"out","spi":4097,.*"cur":\{[^}]*"packets":5,' "$show"
check_match "and shows the limits as given" \
	'"soft_secs":4611686018427387904,"hard_secs":18446744073709551615' "$show"
check_eq "no expire event" 0 "$(grep -c '"expire"' "$tmp/ev")"

kmsg_check "kernel log stays clean"
finish
