#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Checks on the tree itself that no compiler makes: one version
# everywhere, a UAPI header user space can include on its own, and kernel
# version tests confined to kmod/compat/.

top=$(cd "$(dirname "$0")/../.." && pwd)
n=0
failed=0
t() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi
}

echo "TAP version 13"
echo "1..4"

modver=$(sed -n 's/^#define IKEVTI_VERSION "\(.*\)"/\1/p' "$top/kmod/version.h")
dkmsver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$top/dkms.conf")
[ -n "$modver" ] && [ "$modver" = "$dkmsver" ]
t $? "dkms.conf PACKAGE_VERSION ($dkmsver) matches kmod/version.h ($modver)"

printf '#include <linux/ikevti.h>\nint main(void) { return IKEVTI_CMD_MAX + IKEVTI_A_MAX + IFLA_IKEVTI_MAX; }\n' |
	${CC:-cc} -std=c89 -Wall -Werror -pedantic -I"$top/uapi" -x c -o /dev/null - 2>&1 | sed 's/^/# /'
t "${PIPESTATUS[1]}" "uapi/linux/ikevti.h compiles alone in strict C89 user space"

hits=$(grep -ln 'LINUX_VERSION_CODE\|KERNEL_VERSION(' "$top"/kmod/*.c "$top"/kmod/*.h 2>/dev/null)
[ -z "$hits" ]
t $? "no kernel version tests outside kmod/compat/ ${hits:+($hits)}"

hits=$(find "$top/kmod" "$top/uapi" "$top/lib" "$top/ikehelper" "$top/tools" "$top/selftests" \
	"$top/Kbuild" "$top/Makefile" -path "$top/selftests/unit/build" -prune -o \
	-type f \( -name '*.[ch]' -o -name '*.sh' -o -name '*.py' -o -name Makefile -o -name Kbuild \) \
	-print0 | xargs -0 grep -L 'SPDX-License-Identifier')
[ -z "$hits" ]
t $? "every source file has an SPDX line ${hits:+(missing: $hits)}"

exit $failed
