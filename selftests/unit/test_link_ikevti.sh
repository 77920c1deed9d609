#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/link_ikevti.so inside Debian 12's ip(8), with no module needed:
#   - the plugin exports one object, of the size of iproute2 6.1's
#     struct link_util;
#   - "ip link help ikevti" lists every option;
#   - every bad argument is refused, before the kernel is asked, with a
#     message that names the option and the value;
#   - good arguments get past the parser (the kernel then refuses the
#     unknown kind, or creates the link when the module is loaded) and,
#     with strace, go out encoded as uapi/linux/ikevti.h says;
#   - print_opt, fed crafted RTM_NEWLINK messages through
#     "ip -d monitor file" (with python3), prints every attribute and
#     skips the ones of the wrong size.
# The JSON output needs a real device: the VM tests cover it.
#
# Commands that could reach the kernel run in a throwaway network namespace;
# without the rights to make one, the tests that need it are skipped.

top=$(cd "$(dirname "$0")/../.." && pwd)
plugin=$top/tools/link_ikevti.so
export IP_LIB_DIR=$top/tools

n=0
failed=0
t() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi
}
skip() {
	n=$((n + 1))
	echo "ok $n - $1 # SKIP $2"
}
diag() {
	[ -n "$1" ] && printf '%s\n' "$1" | sed 's/^/#   /'
}

# Each bad case: the arguments after "type ikevti", then what stderr must
# contain.
bad=(
	"local 10.0.0.1 remote 10.0.0.2 bogus"	"ikevti: unknown option 'bogus'"
	"local"					"ikevti: option 'local' needs a value"
	"local 10.0.0.300"			"ikevti: local '10.0.0.300' is not an IPv4 or IPv6 address"
	"remote nowhere"			"ikevti: remote 'nowhere' is not an IPv4 or IPv6 address"
	"local 10.0.0.1 remote 2001:db8::1"	"ikevti: local 10.0.0.1 is IPv4 but remote 2001:db8::1 is IPv6"
	"remote 10.0.0.2 nexthop 2001:db8::1"	"ikevti: nexthop 2001:db8::1 is IPv6 but remote 10.0.0.2 is IPv4"
	"local 2001:db8::1 nexthop 10.0.0.254"	"ikevti: nexthop 10.0.0.254 is IPv4 but local 2001:db8::1 is IPv6"
	"dev ikevti-nosuch0"			"ikevti: no such device 'ikevti-nosuch0'"
	"nexthop 10.0.0"			"ikevti: nexthop '10.0.0' is not an IPv4 or IPv6 address"
	"fwmark 0x100000000"			"ikevti: invalid fwmark '0x100000000'"
	"fwmark -1"				"ikevti: invalid fwmark '-1'"
	"ttl 256"				"ikevti: invalid ttl '256'"
	"ttl 0x"				"ikevti: invalid ttl '0x'"
	"ttl forever"				"ikevti: invalid ttl 'forever'"
	"tos 0x11"				"ikevti: tos 0x11 has ECN bits set; ECN follows RFC 6040"
	"tos 1"					"ikevti: tos 1 has ECN bits set; ECN follows RFC 6040"
	"tos 256"				"ikevti: invalid tos '256'"
	"tos high"				"ikevti: invalid tos 'high'"
	"replay-window 1048577"			"ikevti: invalid replay-window '1048577'"
	"replay-window 1e3"			"ikevti: invalid replay-window '1e3'"
	"ttl 5 ttl 6"				"ikevti: option 'ttl' given twice"
)
good=(
	""
	"local 10.0.0.1 remote 10.0.0.2"
	"local 2001:db8::1 remote any dev lo nexthop auto fwmark 0xffffffff ttl inherit tos inherit replay-window 0"
	"remote any ttl 255 tos 0xfc replay-window 1048576 fwmark 42"
)
# Arguments, then the hex of the IFLA_INFO_DATA nest they must produce
# (x86-64: u32 in little-endian order).
enc=(
	"local 10.0.0.1 remote any dev lo nexthop 10.0.0.254 fwmark 0x10 ttl inherit tos 0xb8 replay-window 1048576"
	"44000200""080001000a000001""0800020000000000""0800030001000000""080004000a0000fe""0800050010000000""0500060000000000""05000700b8000000""0800080000001000"
	"local 2001:db8::1 remote any nexthop auto"
	"34000200""1400010020010db8000000000000000000000001""1400020000000000000000000000000000000000""0800040000000000"
)
# print_opt cases, in the order of the messages gen_msgs writes.
shown=(
	"ikevti local 10.0.0.1 remote any dev lo nexthop 10.0.0.254 fwmark 0x10 ttl inherit tos 0xb8 replay-window 1024"
	"ikevti local 2001:db8::1 remote 2001:db8::2 nexthop fe80::1 ttl 64 tos inherit replay-window 0"
	"ikevti"
	"ikevti"
)
opts=(local remote dev nexthop fwmark ttl tos replay-window)

echo "TAP version 13"
if ! command -v ip >/dev/null; then
	echo "1..0 # SKIP ip(8) not found"
	exit 4
fi
ipver=$(ip -V 2>&1)
case $ipver in
*iproute2-6.1.*|*iproute2-6.1,*) ;;
*)
	# tools/iproute2.h is checked against 6.1 only; another ip may crash.
	echo "1..0 # SKIP plugin ABI checked for iproute2 6.1 only ($ipver)"
	exit 4
	;;
esac
if [ ! -e "$plugin" ] && ! make -s -C "$top/tools" link_ikevti.so >&2; then
	echo "1..0 # SKIP tools/link_ikevti.so does not build"
	exit 4
fi

echo "1..$((3 + ${#bad[@]} / 2 + 1 + ${#good[@]} + ${#enc[@]} / 2 + ${#shown[@]}))"

tmp=$(mktemp -d)
ns=ikevti-lk-$RANDOM$RANDOM
nsopt=()
# shellcheck disable=SC2317  # run from the trap
cleanup() {
	[ ${#nsopt[@]} -gt 0 ] && ip netns del "$ns" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
ip netns add "$ns" 2>/dev/null && nsopt=(-n "$ns")

# ip link ..., in the netns when there is one; prints only ip's stderr.
iplink() {
	{ ip "${nsopt[@]}" link "$@" >/dev/null; } 2>&1
}

if command -v nm >/dev/null; then
	syms=$(nm -D --defined-only -S "$plugin" | awk '{ print $2, $4 }')
	[ "$syms" = "0000000000000048 ikevti_link_util" ]
	t $? "link_ikevti.so exports only ikevti_link_util, 72 bytes like iproute2 6.1's struct link_util"
	diag "$syms"
else
	skip "link_ikevti.so exports only ikevti_link_util" "nm not found"
fi

help=$(ip link help ikevti 2>&1)
rc=$?
missing=
for o in "${opts[@]}"; do
	grep -q -- "\[ $o \|type ikevti.* $o \| $o {" <<<"$help" || missing="$missing $o"
done
[ $rc = 0 ] && [ -z "$missing" ]
t $? "ip link help ikevti lists every option${missing:+ (missing:$missing)}"
[ $rc = 0 ] || diag "$help"

err=$(iplink add ikevti-t0 type ikevti help)
rc=$?
[ $rc != 0 ] && grep -q "^Usage: ip link add NAME type ikevti" <<<"$err"
t $? "ip link add ... type ikevti help prints the usage"

# The arguments are split on blanks on purpose: none of them holds one.
for ((i = 0; i < ${#bad[@]}; i += 2)); do
	args=${bad[i]}
	want=${bad[i + 1]}
	# shellcheck disable=SC2086
	err=$(iplink add ikevti-t0 type ikevti $args)
	rc=$?
	[ $rc != 0 ] && grep -qF -- "$want" <<<"$err" && ! grep -q RTNETLINK <<<"$err"
	ok=$?
	t $ok "refused: $args"
	[ $ok = 0 ] || diag "exit $rc: $err"
done

if [ ${#nsopt[@]} -gt 0 ]; then
	err=$(iplink set dev lo type ikevti ttl 300)
	rc=$?
	[ $rc != 0 ] && grep -qF "ikevti: invalid ttl '300'" <<<"$err"
	t $? "ip link set ... type ikevti checks its options too"
	diag "$err"
	for args in "${good[@]}"; do
		# shellcheck disable=SC2086
		err=$(iplink add ikevti-t0 type ikevti $args)
		! grep -q "ikevti:" <<<"$err"
		t $? "accepted: ${args:-(no options)}"
		diag "$err"
		ip "${nsopt[@]}" link del ikevti-t0 2>/dev/null
	done
else
	skip "ip link set ... type ikevti checks its options too" "cannot create a netns"
	for args in "${good[@]}"; do
		skip "accepted: ${args:-(no options)}" "cannot create a netns"
	done
fi

for ((i = 0; i < ${#enc[@]}; i += 2)); do
	args=${enc[i]}
	if [ ${#nsopt[@]} = 0 ] || ! command -v strace >/dev/null || [ "$(uname -m)" != x86_64 ]; then
		skip "encoded: $args" "needs a netns, strace and x86-64"
		continue
	fi
	# shellcheck disable=SC2086
	strace -f -xx -s 4096 -e trace=sendmsg -o "$tmp/trace" \
		ip "${nsopt[@]}" link add ikevti-t0 type ikevti $args >/dev/null 2>&1
	ip "${nsopt[@]}" link del ikevti-t0 2>/dev/null
	sent=$(grep -F 'x69\x6b\x65\x76\x74\x69' "$tmp/trace" | sed 's/\\x//g')
	grep -q "${enc[i + 1]}" <<<"$sent"
	t $? "encoded: $args"
	[ -n "$sent" ] || diag "$(cat "$tmp/trace")"
done

# RTM_NEWLINK messages as "ip monitor file" reads them: a full IPv4 link,
# a full IPv6 one, one whose every attribute has the wrong size, and one
# with no IFLA_INFO_DATA at all.
gen_msgs() {
	python3 - <<'EOF'
import socket
import struct
import sys

def attr(kind, payload):
    n = 4 + len(payload)
    return struct.pack('=HH', n, kind) + payload + bytes(-n % 4)

def newlink(name, data):
    info = attr(1, b'ikevti\0')
    if data is not None:
        info += attr(2, data)
    body = struct.pack('=BxHiII', 0, 0xfffe, 7, 0x91, 0)
    body += attr(3, name.encode() + b'\0') + attr(18, info)
    return struct.pack('=IHHII', 16 + len(body), 16, 0, 0, 0) + body

def a(text):
    fam = socket.AF_INET6 if ':' in text else socket.AF_INET
    return socket.inet_pton(fam, text)

u32 = lambda v: struct.pack('=I', v)
out = newlink('t4', attr(1, a('10.0.0.1')) + attr(2, bytes(4)) +
              attr(3, u32(1)) + attr(4, a('10.0.0.254')) +
              attr(5, u32(0x10)) + attr(6, b'\0') + attr(7, b'\xb8') +
              attr(8, u32(1024)))
out += newlink('t6', attr(1, a('2001:db8::1')) + attr(2, a('2001:db8::2')) +
               attr(3, u32(0)) + attr(4, a('fe80::1')) + attr(5, u32(0)) +
               attr(6, b'\x40') + attr(7, b'\x01') + attr(8, u32(0)))
out += newlink('tbad', attr(1, bytes(3)) + attr(2, bytes(5)) +
               attr(3, b'\1') + attr(4, bytes(17)) + attr(5, b'\1\2') +
               attr(6, b'\1\2') + attr(7, b'') + attr(8, b'\1') +
               attr(99, b'xx'))
out += newlink('tnone', None)
sys.stdout.buffer.write(out)
EOF
}

if command -v python3 >/dev/null && gen_msgs >"$tmp/msgs"; then
	ip "${nsopt[@]}" -d monitor file "$tmp/msgs" >"$tmp/shown" 2>&1
	rc=$?
	mapfile -t lines < <(sed -n 's/^ *\(ikevti\b.*\)/\1/p' "$tmp/shown" | sed 's/ *$//')
	for i in "${!shown[@]}"; do
		[ $rc = 0 ] && [ "${lines[i]}" = "${shown[i]}" ]
		t $? "shown: ${shown[i]}"
		[ "${lines[i]}" = "${shown[i]}" ] || diag "exit $rc, got: ${lines[i]}"
	done
	[ $rc = 0 ] || diag "$(cat "$tmp/shown")"
else
	for s in "${shown[@]}"; do
		skip "shown: $s" "python3 not found"
	done
fi

exit $failed
