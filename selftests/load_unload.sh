#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Load the module, create devices in several namespaces, unload it with the
# devices still there; 100 times.  The kernel log must stay clean and
# nothing of the module may be left behind.
#
#   init ns: ikv0 (up)   ns A: ikv0, ikv1 (up)   ns B: ikv0 (moved from A)
#
# In the VM runner the module comes from IKEVTI_VM_KO; elsewhere it is the
# installed one (modprobe).

source "$(dirname "$0")/lib.sh"

require_root
CYCLES=${CYCLES:-100}

# Test builds run their self-tests at every load; once is enough here.
if [ -n "${IKEVTI_VM_KO:-}" ]; then
	quick=
	modinfo -F parm "$IKEVTI_VM_KO" | grep -q '^selftest:' && quick=selftest=0
	mod_load() { insmod "$IKEVTI_VM_KO" $quick; }
else
	modinfo ikevti >/dev/null 2>&1 || skip "ikevti is not installed"
	mod_load() { modprobe ikevti; }
fi
mod_unload() { rmmod ikevti; }

# A module that cannot be unloaded after the other tests is a leak (a
# device, an SA or a crypto request still holding it): a failure.
if [ -d /sys/module/ikevti ] && ! out=$(mod_unload 2>&1); then
	log_test 1 "unload the module the earlier tests used: $out" \
		"(refcnt $(cat /sys/module/ikevti/refcnt 2>/dev/null))"
	finish
fi
# Leave the module loaded for the tests that follow, whatever happens.
on_exit '[ -d /sys/module/ikevti ] || mod_load'

kmsg_mark
setup_ns A B || exit $ksft_fail

fail=0
for i in $(seq "$CYCLES"); do
	if ! mod_load; then
		echo "cycle $i: load failed"; fail=1; break
	fi
	if ! { ip link add ikv0 type ikevti &&
	       ip link set ikv0 up &&
	       ip -n "$A" link add ikv0 type ikevti &&
	       ip -n "$A" link add ikv1 type ikevti &&
	       ip -n "$A" link set ikv1 up &&
	       ip -n "$A" link add ikvm type ikevti &&
	       ip -n "$A" link set ikvm netns "$B" name ikv0; }; then
		echo "cycle $i: creating devices failed"; fail=1; break
	fi
	if ! mod_unload; then
		echo "cycle $i: unload failed"; fail=1; break
	fi
	if [ -d /sys/module/ikevti ]; then
		echo "cycle $i: module still present after unload"; fail=1; break
	fi
	left=$(ip -o link show type ikevti; ip -n "$A" -o link show type ikevti;
	       ip -n "$B" -o link show type ikevti)
	if [ -n "$left" ]; then
		echo "cycle $i: devices left after unload: $left"; fail=1; break
	fi
done
log_test $fail "$CYCLES load/create/unload cycles"
kmsg_check "kernel log stays clean"

if [ -n "${IKEVTI_VM_KO:-}" ]; then
	insmod "$IKEVTI_VM_KO"
else
	modprobe ikevti
fi
check_cmd "module loads again afterwards, self-tests included" test -d /sys/module/ikevti
finish
