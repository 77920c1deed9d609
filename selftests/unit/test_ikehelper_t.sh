#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# "ikehelper -t" on Cisco IOS files: it checks the file, and since
# ikehelper makes no device and no route itself, it prints the ip(8)
# commands each ikevti device of the file needs (seed 002's R1, seed
# 001's crypto map); a broken line is refused with file:line:col.

top=$(cd "$(dirname "$0")/../.." && pwd)
ikeh=$top/ikehelper/ikehelper
n=0
failed=0
t() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi
}

echo "TAP version 13"
echo "1..5"
if [ ! -x "$ikeh" ]; then
	for i in 1 2 3 4 5; do echo "ok $i # SKIP ikehelper is not built (make all)"; done
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
install -m 0600 "$top/selftests/unit/config/seed002-r1.conf" "$tmp/r1.conf"
install -m 0600 "$top/selftests/unit/config/seed001-2611-site-to-site.conf" "$tmp/2611.conf"

out=$("$ikeh" -t -f "$tmp/r1.conf" 2>/dev/null)
t $? "seed 002 R1: ikehelper -t passes"
want='configuration OK

# ikevti1: IKEv1 to 192.168.0.2
ip link add ikevti1 type ikevti local 192.168.0.1 remote 192.168.0.2 dev eth0
ip addr add 10.0.0.1/24 dev ikevti1
ip link set ikevti1 up
ip route add 192.168.200.0/24 via 10.0.0.2 dev ikevti1'
[ "$out" = "$want" ]
t $? "seed 002 R1: the VTI's ip link, address and route commands"
[ "$out" = "$want" ] || echo "$out" | sed 's/^/# /'

out=$("$ikeh" -t -f "$tmp/2611.conf" 2>/dev/null)
want='configuration OK

# clientmap-1: IKEv1 to 172.18.124.199
ip link add clientmap-1 type ikevti local 172.18.124.159 remote 172.18.124.199 dev eth0
ip link set clientmap-1 up
ip route add 10.10.20.0/24 dev clientmap-1'
[ "$out" = "$want" ]
t $? "seed 001 crypto map: device clientmap-1 and a route per remote network"
[ "$out" = "$want" ] || echo "$out" | sed 's/^/# /'

printf 'crypto isakmp policy 10\n encryption blowfish\n' > "$tmp/bad.conf"
chmod 0600 "$tmp/bad.conf"
err=$("$ikeh" -t -f "$tmp/bad.conf" 2>&1 >/dev/null)
rc=$?
[ "$rc" = 1 ]
t $? "a broken line: exit status 1 (got $rc)"
[[ "$err" == "$tmp/bad.conf:2:13: "*"'blowfish'"* ]]
t $? "a broken line: file:line:col and the word that is wrong"
[[ "$err" == "$tmp/bad.conf:2:13: "*"'blowfish'"* ]] || echo "# $err"
exit $failed
