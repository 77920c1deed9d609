#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Shared helpers for the ikevti selftests.  Source it; it sets a trap that
# removes every namespace and device a test made, whatever way it ends.
#
# Exit codes follow kselftest: 0 pass, 1 fail, 4 skip.

ksft_pass=0
ksft_fail=1
ksft_skip=4

IKEVTI_SELFTESTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
IKEVTI_TOP=$(cd "$IKEVTI_SELFTESTS_DIR/.." && pwd)

# Tools from this tree when it is built; installed ones otherwise.
if [ -x "$IKEVTI_TOP/tools/ikevtictl" ]; then
	IKEVTICTL=$IKEVTI_TOP/tools/ikevtictl
else
	IKEVTICTL=$(command -v ikevtictl)
fi

# The ip(8) plugin for "type ikevti" options, when this tree built it;
# otherwise the installed one in iproute2's own directory.
if [ -e "$IKEVTI_TOP/tools/link_ikevti.so" ]; then
	export IP_LIB_DIR=$IKEVTI_TOP/tools
fi

# Names of what a test created, removed by cleanup.
__ns_list=()
__cleanup_hooks=()
__nfail=0
__npass=0
__nskip=0

cleanup() {
	local ns hook

	for hook in "${__cleanup_hooks[@]}"; do
		eval "$hook" 2>/dev/null
	done
	for ns in "${__ns_list[@]}"; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done
}
trap cleanup EXIT

# on_exit CMD: run CMD (a string) during cleanup.
on_exit() {
	__cleanup_hooks+=("$1")
}

# setup_ns VAR...: create one namespace per VAR, named VAR-<random>, with
# lo up, and store its name in VAR.
setup_ns() {
	local var name

	for var in "$@"; do
		name="$var-$(mktemp -u XXXXXX)"
		ip netns add "$name" || return 1
		__ns_list+=("$name")
		ip -n "$name" link set lo up || return 1
		eval "$var=\$name"
	done
}

skip() {
	echo "SKIP: $*"
	exit $ksft_skip
}

require_root() {
	[ "$(id -u)" = 0 ] || skip "must run as root"
}

require_cmd() {
	local c

	for c in "$@"; do
		command -v "$c" >/dev/null || skip "'$c' is not installed"
	done
}

# The ikevti link kind exists once the module is loaded; load it if it is
# installed, and skip otherwise.
require_ikevti() {
	require_root
	if [ ! -d /sys/module/ikevti ]; then
		modprobe ikevti 2>/dev/null ||
			skip "the ikevti module is not loaded and cannot be loaded"
	fi
}

require_ikevtictl() {
	[ -n "$IKEVTICTL" ] && [ -x "$IKEVTICTL" ] ||
		skip "ikevtictl is not built (make tools) nor installed"
}

# log_test RC DESC: one TAP-style result line for a check within a test.
log_test() {
	local rc=$1
	shift

	if [ "$rc" -eq 0 ]; then
		__npass=$((__npass + 1))
		printf '    ok %d %s\n' "$((__npass + __nfail))" "$*"
	else
		__nfail=$((__nfail + 1))
		printf '    not ok %d %s\n' "$((__npass + __nfail))" "$*"
	fi
	return "$rc"
}

# check_eq DESC EXPECTED ACTUAL
check_eq() {
	if [ "$2" = "$3" ]; then
		log_test 0 "$1"
	else
		log_test 1 "$1 (expected '$2', got '$3')"
	fi
}

# check_match DESC REGEX TEXT
check_match() {
	if printf '%s\n' "$3" | grep -qE -- "$2"; then
		log_test 0 "$1"
	else
		log_test 1 "$1 ('$2' not in: $3)"
	fi
}

# check_cmd DESC CMD...: the command must succeed.
check_cmd() {
	local desc=$1 out
	shift

	if out=$("$@" 2>&1); then
		log_test 0 "$desc"
	else
		log_test 1 "$desc: '$*' failed: $out"
	fi
}

# check_fail DESC CMD...: the command must fail.
check_fail() {
	local desc=$1 out
	shift

	if out=$("$@" 2>&1); then
		log_test 1 "$desc: '$*' succeeded: $out"
	else
		log_test 0 "$desc"
	fi
}

# dev_stat NS DEV FIELD: a netdev statistic (tx_dropped, rx_packets...).
dev_stat() {
	ip netns exec "$1" cat "/sys/class/net/$2/statistics/$3"
}

# finish: exit with the kselftest code for the checks made so far.
finish() {
	echo "# $__npass passed, $__nfail failed"
	[ "$__nfail" -eq 0 ] && exit $ksft_pass
	exit $ksft_fail
}

# The kernel log patterns that mean a kernel bug; the VM runner uses the
# same list for the whole run.
IKEVTI_KMSG_BAD='BUG:|WARNING:|Oops|general protection|KASAN|UBSAN|refcount_t|unreferenced object|list_add corruption|list_add double add|list_del corruption|RCU stall|rcu: INFO: .* detected stalls|Kernel panic'

# kmsg_mark / kmsg_check DESC: the kernel log lines added in between must
# show none of the patterns above.
kmsg_mark() {
	__kmsg_mark=$(dmesg 2>/dev/null | wc -l)
}

kmsg_check() {
	local bad

	bad=$(dmesg 2>/dev/null | tail -n +"$((__kmsg_mark + 1))" | grep -E "$IKEVTI_KMSG_BAD")
	if [ -z "$bad" ]; then
		log_test 0 "$1"
	else
		log_test 1 "$1: kernel log shows: $bad"
	fi
}
