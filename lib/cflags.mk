# SPDX-License-Identifier: GPL-2.0
#
# Compiler and linker flags shared by the user-space programs.  Included by
# lib/Makefile, ikehelper/Makefile, tools/Makefile, selftests/Makefile,
# selftests/unit/Makefile and selftests/ike/Makefile; user CFLAGS,
# CPPFLAGS and LDFLAGS are appended, so they can add but not drop.
#
#   make SANITIZE=1     build with AddressSanitizer and UBSan

IKEVTI_TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))..)

PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
INSTALL ?= install
PKG_CONFIG ?= pkg-config
IKEVTI_PKGS := libnl-3.0 libnl-genl-3.0 openssl

# Keep only the flags this compiler accepts (they vary by target).
cc-option = $(shell $(CC) -Werror $(1) -c -x c /dev/null -o /dev/null \
	      2>/dev/null && echo $(1))

IKEVTI_WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wformat=2 -Wformat-security -Wundef \
	-Wpointer-arith -Wwrite-strings -Wcast-qual -Wvla \
	-Wimplicit-fallthrough

IKEVTI_HARDEN := -U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=2 \
	-fstack-protector-strong -fPIE \
	$(call cc-option,-fstack-clash-protection) \
	$(call cc-option,-fcf-protection)

IKEVTI_CFLAGS := -std=c11 -D_DEFAULT_SOURCE -O2 -g $(IKEVTI_WARN) \
	$(IKEVTI_HARDEN) -MMD -MP -I$(IKEVTI_TOP)/uapi -I$(IKEVTI_TOP)/lib
IKEVTI_LDFLAGS := -pie -Wl,-z,relro,-z,now -Wl,-z,noexecstack \
	-Wl,--as-needed

ifeq ($(SANITIZE),1)
IKEVTI_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
IKEVTI_CFLAGS += -O1 $(IKEVTI_SAN)
IKEVTI_LDFLAGS += $(IKEVTI_SAN)
endif

IKEVTI_CFLAGS += $(CPPFLAGS) $(CFLAGS)
IKEVTI_LDFLAGS += $(LDFLAGS)

# lib/: the code ikehelper and the tools share (genl client, JSON writer,
# version).  Its headers are on the include path above; a program links
# $(IKEVTI_LIB), which `$(MAKE) -C $(IKEVTI_TOP)/lib` builds.
IKEVTI_LIB := $(IKEVTI_TOP)/lib/libikevti.a

# Only the programs that need the libraries ask pkg-config for them.
IKEVTI_PKG_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(IKEVTI_PKGS))
IKEVTI_PKG_LIBS = $(shell $(PKG_CONFIG) --libs $(IKEVTI_PKGS))
