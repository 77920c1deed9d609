# SPDX-License-Identifier: GPL-2.0
#
# ikevti top-level build.  `make help` lists the targets.

PREFIX ?= /usr/local
DESTDIR ?=

# The kernel to build against: the running kernel's build directory, or,
# when it has none (as on CI and build hosts), the newest installed Debian
# linux-headers-* for amd64.
KDIR ?= $(shell d=/lib/modules/$$(uname -r)/build; \
	if [ -e $$d/Makefile ]; then echo $$d; else \
	for h in /usr/src/linux-headers-*; do \
		[ -e $$h/include/generated/utsrelease.h ] && echo $$h; \
	done | sort -V | tail -n 1; fi)
KREL := $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' \
	$(KDIR)/include/generated/utsrelease.h 2>/dev/null)
KBUILD_OUT := build/$(KREL)

# Kernels the VM selftests of `make check` run on.
KVERS ?= 6.1 6.12

KMOD_SRC := Kbuild $(wildcard kmod/*.c kmod/*.h kmod/*/*.h uapi/linux/*.h)

.PHONY: all module user lib ikehelper tools ikeload selftest-progs deps check check-debug unit demo bench \
	bench-ike install install-module install-user clean help lint print-kdir

all: module user

module: $(KBUILD_OUT)/ikevti.ko

# Each kernel gets its own object tree of symlinks to the sources, so 6.1
# and 6.12 builds never share objects.
$(KBUILD_OUT)/ikevti.ko: $(KMOD_SRC)
	@if [ -z "$(KREL)" ]; then \
		echo "ikevti: no kernel headers found (KDIR='$(KDIR)'); run: make deps" >&2; exit 1; fi
	@echo "ikevti: building ikevti.ko against KDIR=$(KDIR) ($(KREL))"
	@mkdir -p $(KBUILD_OUT)
	@find $(KBUILD_OUT) -type l ! -exec test -e {} \; -delete
	@cp -rsf $(CURDIR)/Kbuild $(CURDIR)/kmod $(CURDIR)/uapi $(KBUILD_OUT)/
	$(MAKE) -C $(KDIR) M=$(CURDIR)/$(KBUILD_OUT) W=1 IKEVTI_WERROR=1 IKEVTI_SELFTEST=1 modules

user: ikehelper tools ikeload selftest-progs

# What ikehelper and the tools share (genl client, JSON writer), built
# once before either links it.
lib:
	$(MAKE) -C lib

ikehelper: lib
	$(MAKE) -C ikehelper

# The IKEv2 and IKEv1 load generator of bench-ike (selftests/ike/bench.sh).
ikeload:
	$(MAKE) -C selftests/ike

tools: lib
	$(MAKE) -C tools

# What the selftests run besides scripts (rekey.sh's C flood sender).
selftest-progs:
	$(MAKE) -C selftests all

deps:
	@tools/install-deps $(if $(filter 6.12,$(KVERS)),--with-6.12) --with-debug

unit: user
	$(MAKE) -C selftests/unit run

# check and demo install what they need first; the sub-make then sees the
# kernel headers that deps may just have installed.
check:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory all
	@selftests/drivers/check $(KVERS)

# The kselftests on the debug kernel (KASAN, UBSAN, lockdep, kmemleak,
# KFENCE, debug objects), built once per machine from Debian's
# linux-source (selftests/vm/kernel/build): a clean kernel log and no
# leak, or it fails.  DEBUG_KVERS=6.1 adds (or picks) the 6.1 source.
DEBUG_KVERS ?= 6.12
check-debug:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory user
	@rc=0; for k in $(DEBUG_KVERS); do \
		echo "=== kselftests on the $$k debug kernel"; \
		selftests/vm/run --kernel debug --kver $$k --timeout 7200 || rc=1; \
	done; exit $$rc

# The IKE handshake bench runs on the host (namespaces), then the
# datapath bench in a VM; a skipped IKE bench (exit 4) does not fail it.
bench:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory all
	@ike=0; selftests/ike/bench.sh || ike=$$?; [ $$ike != 4 ] || ike=0; \
	selftests/vm/run --timeout 1800 -- $(CURDIR)/selftests/drivers/bench.sh && \
	exit $$ike

# Exit 4 is the script's skip (no root, no charon): not a failure.
bench-ike:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory user
	@rc=0; selftests/ike/bench.sh || rc=$$?; [ $$rc != 4 ] || rc=0; \
	exit $$rc

demo:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory all
	@selftests/vm/run -- $(CURDIR)/selftests/drivers/demo.sh

install: install-module install-user

install-module: module
	$(MAKE) -C $(KDIR) M=$(CURDIR)/$(KBUILD_OUT) INSTALL_MOD_PATH=$(DESTDIR) modules_install
	@if [ -z "$(DESTDIR)" ]; then depmod -a $(KREL); fi

install-user: user
	$(MAKE) -C ikehelper install PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)
	$(MAKE) -C tools install PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)
	install -D -m 0644 uapi/linux/ikevti.h $(DESTDIR)$(PREFIX)/include/linux/ikevti.h

clean:
	rm -rf build
	$(MAKE) -C lib clean
	$(MAKE) -C ikehelper clean
	$(MAKE) -C tools clean
	$(MAKE) -C selftests/unit clean
	$(MAKE) -C selftests/ike clean
	$(MAKE) -C selftests clean

lint: module
	@tools/lint $(KDIR)

print-kdir:
	@echo $(KDIR)

help:
	@echo "make            build ikevti.ko (KDIR=...) and the user-space tools"
	@echo "make deps       install the Debian packages the build and tests need"
	@echo "make check      host unit tests, then the selftests in a VM per kernel ($(KVERS))"
	@echo "make check-debug  the selftests on a KASAN/lockdep/kmemleak kernel ($(DEBUG_KVERS)), built once"
	@echo "make demo       boot a VM and show an ikevti device"
	@echo "make bench      make bench-ike, then ikevti against XFRM and WireGuard in a VM"
	@echo "make bench-ike  IKEv2 and IKEv1 handshakes/s, bytes per IKE SA, ikehelper vs charon (host)"
	@echo "make lint       checkpatch --strict and sparse on the module"
	@echo "make install    install the module and the tools (DESTDIR, PREFIX)"
	@echo "KDIR now: $(KDIR)"
