#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: runs inside the VM (selftests/vm/run) and shows what ikevti
# does today: an ikevti device in a namespace, waiting for its first SA.

set -eu
source "$(dirname "$0")/lib.sh"
require_ikevti

setup_ns site1

step() { printf '\n$ %s\n' "$*"; "$@"; }

echo "== ikevti demo on $(uname -r)"
step ip -n "$site1" link add ikevti0 type ikevti
step ip -n "$site1" addr add 10.1.0.1/24 dev ikevti0
step ip -n "$site1" link set ikevti0 up
step ip -n "$site1" -d link show ikevti0
echo "(NO-CARRIER: no outbound SA yet, so nothing leaves in clear text)"
if [ -n "$IKEVTICTL" ]; then
	step "$IKEVTICTL" version
	step "$IKEVTICTL" --json version
fi
