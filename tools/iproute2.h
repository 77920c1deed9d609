/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The part of iproute2's plugin ABI that link_ikevti.so uses, declared
 * here so the plugin builds without the iproute2 sources.
 *
 * Matches iproute2 6.1.0 (Debian 12's /usr/sbin/ip), checked against
 * ip/ip_common.h, include/json_print.h, include/color.h,
 * include/libnetlink.h and include/ll_map.h of that release, and against
 * the binary itself:
 *   - ip calls lu->parse_opt at offset 0x18, lu->print_opt at 0x20 and
 *     lu->print_help at 0x30 (objdump -d /usr/sbin/ip);
 *   - ifa_family_color() returns 2 (COLOR_INET), 3 (COLOR_INET6), else 6
 *     (COLOR_NONE);
 *   - print_color_uint() takes its value in a 32-bit register;
 *   - print_color_0xhex() writes "%#llx" into a JSON string.
 * Only 6.1.0 has been checked.  Older releases are known to differ in
 * json_print.h (print_color_uint once took a uint64_t) and color.h
 * (COLOR_NONE was once first), so check a release before loading the
 * plugin into it.
 *
 * A wrong layout here does not fail to build: it crashes ip.  Change a
 * field only after reading the iproute2 release it is meant for.
 */
#ifndef IKEVTI_IPROUTE2_H
#define IKEVTI_IPROUTE2_H

#include <stdio.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

/*
 * ip looks up "<kind>_link_util" in link_<kind>.so and links it into its
 * own list through ->next, so the object must be writable.  Only the
 * fields up to print_help are ours to fill; the rest stay NULL but are
 * declared so the object has the size ip expects.
 */
struct link_util {
	struct link_util *next;
	const char *id;
	int maxattr;
	int (*parse_opt)(struct link_util *lu, int argc, char **argv,
			 struct nlmsghdr *n);
	void (*print_opt)(struct link_util *lu, FILE *f, struct rtattr *tb[]);
	void (*print_xstats)(struct link_util *lu, FILE *f,
			     struct rtattr *xstats);
	void (*print_help)(struct link_util *lu, int argc, char **argv,
			   FILE *f);
	int (*parse_ifla_xstats)(struct link_util *lu, int argc, char **argv);
	int (*print_ifla_xstats)(struct nlmsghdr *n, void *arg);
};

/*
 * The request buffer ip hands to parse_opt holds at least this many bytes
 * past the nlmsghdr; the in-tree link kinds pass the same bound.
 */
#define IPROUTE2_REQ_MAXLEN	1024

/* include/libnetlink.h */
int addattr_l(struct nlmsghdr *n, int maxlen, int type, const void *data,
	      int alen);

/* include/ll_map.h: the name of an ifindex from ip's cache, or "if%u". */
const char *ll_index_to_name(unsigned int idx);

/* include/color.h */
enum color_attr {
	COLOR_IFNAME,
	COLOR_MAC,
	COLOR_INET,
	COLOR_INET6,
	COLOR_OPERSTATE_UP,
	COLOR_OPERSTATE_DOWN,
	COLOR_NONE
};

enum color_attr ifa_family_color(__u8 ifa_family);

/*
 * include/json_print.h.  PRINT_ANY writes "key": value under -j and fmt
 * otherwise; PRINT_FP only the latter.  Each returns the number of
 * characters printed (0 under -j).
 */
enum output_type {
	PRINT_FP = 1,
	PRINT_JSON = 2,
	PRINT_ANY = 4,
};

int print_color_string(enum output_type t, enum color_attr color,
		       const char *key, const char *fmt, const char *value);
int print_color_uint(enum output_type t, enum color_attr color,
		     const char *key, const char *fmt, unsigned int value);
/* Under -j the value is a string, "0x..." as with %#llx. */
int print_color_0xhex(enum output_type t, enum color_attr color,
		      const char *key, const char *fmt,
		      unsigned long long value);

#endif /* IKEVTI_IPROUTE2_H */
