// SPDX-License-Identifier: GPL-2.0
/*
 * link_ikevti.so: the "ikevti" link kind for iproute2's ip(8).
 *
 *   ip link add NAME type ikevti local A remote B [dev UNDERLAY] ...
 *   ip link set NAME type ikevti ...
 *   ip -d link show NAME
 *
 * ip dlopen()s $IP_LIB_DIR/link_ikevti.so and takes ikevti_link_util from
 * it; the helpers we call are exported by the ip binary itself, see
 * iproute2.h.  Every option is checked before anything is added to the
 * request, so a bad command line never reaches the kernel.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/ikevti.h>

#include "iproute2.h"

#define PLUGIN_EXPORT	__attribute__((visibility("default")))

/* The options, in the order of lk_opt_table. */
enum { LK_LOCAL, LK_REMOTE, LK_DEV, LK_NEXTHOP, LK_FWMARK, LK_TTL, LK_TOS,
       LK_REPLAY, LK_MODE, LK_NOPTS };

struct lk_addr {
	int family;			/* 0: not given */
	unsigned char bytes[16];
};

/* What the command line asked for, before it goes into the request. */
struct lk_opts {
	unsigned int seen;		/* bit per lk_opt_table entry */
	const char *arg[LK_NOPTS];	/* as given, for messages */
	struct lk_addr local;
	struct lk_addr remote;		/* family 0 with remote_any: "any" */
	bool remote_any;
	struct lk_addr nexthop;		/* family 0 with nexthop_auto: "auto" */
	bool nexthop_auto;
	__u32 link;
	__u32 fwmark;
	__u8 ttl;
	__u8 tos;
	__u32 replay_window;
	__u8 mode;
};

static int lk_need_value(const char *opt)
{
	fprintf(stderr, "ikevti: option '%s' needs a value\n", opt);
	return -1;
}

static int lk_addr_parse(const char *opt, const char *arg, struct lk_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, arg, a->bytes) == 1)
		a->family = AF_INET;
	else if (inet_pton(AF_INET6, arg, a->bytes) == 1)
		a->family = AF_INET6;
	else {
		fprintf(stderr,
			"ikevti: %s '%s' is not an IPv4 or IPv6 address\n",
			opt, arg);
		return -1;
	}
	return 0;
}

static int lk_addr_len(int family)
{
	return family == AF_INET ? 4 : 16;
}

/*
 * Decimal, or hexadecimal after "0x".  strtoul() alone would also take a
 * sign, blanks and octal, none of which an admin means here.
 */
static int lk_uint_parse(const char *opt, const char *arg, unsigned long max,
			 __u32 *out)
{
	int (*is_digit)(int c) = isdigit;
	const char *digits = arg;
	unsigned long long v;
	const char *p;
	int base = 10;

	if (!strncmp(arg, "0x", 2) || !strncmp(arg, "0X", 2)) {
		digits = arg + 2;
		base = 16;
		is_digit = isxdigit;
	}
	if (!*digits)
		goto bad;
	for (p = digits; *p; p++)
		if (!is_digit((unsigned char)*p))
			goto bad;
	errno = 0;
	v = strtoull(digits, NULL, base);
	if (errno || v > max)
		goto bad;
	*out = (__u32)v;
	return 0;
bad:
	if (max == 0xffffffffUL)
		fprintf(stderr,
			"ikevti: invalid %s '%s' (expected 0..0xffffffff)\n",
			opt, arg);
	else
		fprintf(stderr, "ikevti: invalid %s '%s' (expected 0..%lu)\n",
			opt, arg, max);
	return -1;
}

static int lk_parse_local(struct lk_opts *o, const char *opt, const char *arg)
{
	return lk_addr_parse(opt, arg, &o->local);
}

static int lk_parse_remote(struct lk_opts *o, const char *opt, const char *arg)
{
	if (!strcmp(arg, "any")) {
		o->remote_any = true;
		return 0;
	}
	return lk_addr_parse(opt, arg, &o->remote);
}

static int lk_parse_dev(struct lk_opts *o, const char *opt, const char *arg)
{
	(void)opt;
	o->link = if_nametoindex(arg);
	if (!o->link) {
		fprintf(stderr, "ikevti: no such device '%s'\n", arg);
		return -1;
	}
	return 0;
}

static int lk_parse_nexthop(struct lk_opts *o, const char *opt,
			    const char *arg)
{
	if (!strcmp(arg, "auto")) {
		o->nexthop_auto = true;
		return 0;
	}
	return lk_addr_parse(opt, arg, &o->nexthop);
}

static int lk_parse_fwmark(struct lk_opts *o, const char *opt,
			   const char *arg)
{
	return lk_uint_parse(opt, arg, 0xffffffffUL, &o->fwmark);
}

static int lk_parse_ttl(struct lk_opts *o, const char *opt, const char *arg)
{
	__u32 v;

	if (!strcmp(arg, "inherit")) {
		o->ttl = 0;
		return 0;
	}
	if (lk_uint_parse(opt, arg, 255, &v))
		return -1;
	o->ttl = (__u8)v;
	return 0;
}

static int lk_parse_tos(struct lk_opts *o, const char *opt, const char *arg)
{
	__u32 v;

	if (!strcmp(arg, "inherit")) {
		o->tos = IKEVTI_TOS_INHERIT;
		return 0;
	}
	if (lk_uint_parse(opt, arg, 255, &v))
		return -1;
	/*
	 * The low two bits are ECN, which the tunnel copies per RFC 6040;
	 * a value there would also collide with IKEVTI_TOS_INHERIT.
	 */
	if (v & 0x3) {
		fprintf(stderr,
			"ikevti: tos %s has ECN bits set; ECN follows RFC 6040\n",
			arg);
		return -1;
	}
	o->tos = (__u8)v;
	return 0;
}

static int lk_parse_replay(struct lk_opts *o, const char *opt,
			   const char *arg)
{
	return lk_uint_parse(opt, arg, IKEVTI_REPLAY_WINDOW_MAX,
			     &o->replay_window);
}

static int lk_parse_mode(struct lk_opts *o, const char *opt, const char *arg)
{
	if (!strcmp(arg, "always-on")) {
		o->mode = IKEVTI_MODE_ALWAYS_ON;
	} else if (!strcmp(arg, "on-demand")) {
		o->mode = IKEVTI_MODE_ON_DEMAND;
	} else {
		fprintf(stderr,
			"ikevti: %s '%s' is neither always-on nor on-demand\n",
			opt, arg);
		return -1;
	}
	return 0;
}

static const struct lk_opt {
	const char *name;
	int (*parse)(struct lk_opts *o, const char *opt, const char *arg);
} lk_opt_table[LK_NOPTS] = {
	[LK_LOCAL] = { "local", lk_parse_local },
	[LK_REMOTE] = { "remote", lk_parse_remote },
	[LK_DEV] = { "dev", lk_parse_dev },
	[LK_NEXTHOP] = { "nexthop", lk_parse_nexthop },
	[LK_FWMARK] = { "fwmark", lk_parse_fwmark },
	[LK_TTL] = { "ttl", lk_parse_ttl },
	[LK_TOS] = { "tos", lk_parse_tos },
	[LK_REPLAY] = { "replay-window", lk_parse_replay },
	[LK_MODE] = { "mode", lk_parse_mode },
};

#define LK_SEEN(o, i)	((o)->seen & (1U << (i)))

static const char *lk_family_name(int family)
{
	return family == AF_INET ? "IPv4" : "IPv6";
}

/* Both endpoints and the next hop are addresses of the one outer family. */
static int lk_check_families(const struct lk_opts *o)
{
	int outer = o->local.family;
	int outer_opt = LK_LOCAL;

	if (o->remote.family) {
		if (outer && outer != o->remote.family) {
			fprintf(stderr,
				"ikevti: local %s is %s but remote %s is %s; they must be of one family\n",
				o->arg[LK_LOCAL], lk_family_name(outer),
				o->arg[LK_REMOTE],
				lk_family_name(o->remote.family));
			return -1;
		}
		outer = o->remote.family;
		outer_opt = LK_REMOTE;
	}
	if (outer && o->nexthop.family && outer != o->nexthop.family) {
		fprintf(stderr,
			"ikevti: nexthop %s is %s but %s %s is %s; they must be of one family\n",
			o->arg[LK_NEXTHOP], lk_family_name(o->nexthop.family),
			lk_opt_table[outer_opt].name, o->arg[outer_opt],
			lk_family_name(outer));
		return -1;
	}
	return 0;
}

static int lk_put(struct nlmsghdr *n, int type, const void *data, int len)
{
	return addattr_l(n, IPROUTE2_REQ_MAXLEN, type, data, len);
}

static int lk_put_addr(struct nlmsghdr *n, int type, const struct lk_addr *a)
{
	return lk_put(n, type, a->bytes, lk_addr_len(a->family));
}

static int lk_emit(const struct lk_opts *o, struct nlmsghdr *n)
{
	if (LK_SEEN(o, LK_LOCAL) &&
	    lk_put_addr(n, IFLA_IKEVTI_LOCAL, &o->local))
		return -1;
	if (LK_SEEN(o, LK_REMOTE)) {
		struct lk_addr any = { .family = AF_INET };

		/*
		 * "any" is the all-zero address of the tunnel's family: the
		 * local's or the next hop's when given, IPv4 otherwise.
		 */
		if (o->remote_any) {
			if (o->local.family)
				any.family = o->local.family;
			else if (o->nexthop.family)
				any.family = o->nexthop.family;
		}
		if (lk_put_addr(n, IFLA_IKEVTI_REMOTE,
				o->remote_any ? &any : &o->remote))
			return -1;
	}
	if (LK_SEEN(o, LK_DEV) &&
	    lk_put(n, IFLA_IKEVTI_LINK, &o->link, sizeof(o->link)))
		return -1;
	/*
	 * "nexthop auto" is the all-zero address, which removes a fixed
	 * next hop; any family will do.
	 */
	if (LK_SEEN(o, LK_NEXTHOP)) {
		struct lk_addr none = { .family = AF_INET };

		if (lk_put_addr(n, IFLA_IKEVTI_NEXTHOP,
				o->nexthop_auto ? &none : &o->nexthop))
			return -1;
	}
	if (LK_SEEN(o, LK_FWMARK) &&
	    lk_put(n, IFLA_IKEVTI_FWMARK, &o->fwmark, sizeof(o->fwmark)))
		return -1;
	if (LK_SEEN(o, LK_TTL) &&
	    lk_put(n, IFLA_IKEVTI_TTL, &o->ttl, sizeof(o->ttl)))
		return -1;
	if (LK_SEEN(o, LK_TOS) &&
	    lk_put(n, IFLA_IKEVTI_TOS, &o->tos, sizeof(o->tos)))
		return -1;
	if (LK_SEEN(o, LK_REPLAY) &&
	    lk_put(n, IFLA_IKEVTI_REPLAY_WINDOW, &o->replay_window,
		   sizeof(o->replay_window)))
		return -1;
	if (LK_SEEN(o, LK_MODE) &&
	    lk_put(n, IFLA_IKEVTI_MODE, &o->mode, sizeof(o->mode)))
		return -1;
	return 0;
}

static void lk_print_help(struct link_util *lu, int argc, char **argv,
			  FILE *f)
{
	(void)lu;
	(void)argc;
	(void)argv;
	fprintf(f,
		"Usage: ip link add NAME type ikevti local ADDR remote { ADDR | any }\n"
		"               [ dev UNDERLAY ] [ nexthop { ADDR | auto } ]\n"
		"               [ fwmark MARK ] [ ttl { TTL | inherit } ]\n"
		"               [ tos { TOS | inherit } ] [ replay-window PACKETS ]\n"
		"               [ mode { always-on | on-demand } ]\n"
		"       ip link set NAME type ikevti [ OPTION ]...   (the options above)\n"
		"\n"
		"Where: ADDR    := an IPv4 or IPv6 address; local, remote and nexthop\n"
		"                  are of one family\n"
		"       UNDERLAY := the interface the outer packets leave by\n"
		"       MARK    := 0..0xffffffff, the mark of the outer packets\n"
		"       TTL     := 1..255 (0 is inherit)\n"
		"       TOS     := 0..0xfc, the outer DSCP shifted left by 2; the\n"
		"                  ECN bits must be 0 (ECN follows RFC 6040)\n"
		"       PACKETS := 0..%u, the default anti-replay window of the SAs\n"
		"                  (0 turns it off)\n"
		"       always-on: no carrier without an outbound SA (the default);\n"
		"       on-demand: carrier up, traffic without an SA raises ACQUIRE\n",
		IKEVTI_REPLAY_WINDOW_MAX);
}

static int lk_parse_opt(struct link_util *lu, int argc, char **argv,
			struct nlmsghdr *n)
{
	struct lk_opts o;

	memset(&o, 0, sizeof(o));
	for (; argc > 0; argc--, argv++) {
		const char *opt = *argv;
		unsigned int i;

		if (!strcmp(opt, "help")) {
			lk_print_help(lu, argc, argv, stderr);
			return -1;
		}
		for (i = 0; i < LK_NOPTS; i++)
			if (!strcmp(opt, lk_opt_table[i].name))
				break;
		if (i == LK_NOPTS) {
			fprintf(stderr,
				"ikevti: unknown option '%s' (try: ip link help ikevti)\n",
				opt);
			return -1;
		}
		if (LK_SEEN(&o, i)) {
			fprintf(stderr, "ikevti: option '%s' given twice\n",
				opt);
			return -1;
		}
		if (argc < 2)
			return lk_need_value(opt);
		argc--;
		argv++;
		if (lk_opt_table[i].parse(&o, opt, *argv))
			return -1;
		o.seen |= 1U << i;
		o.arg[i] = *argv;
	}
	if (lk_check_families(&o))
		return -1;
	return lk_emit(&o, n);
}

/* The payload of a fixed-size attribute, or NULL when its size is wrong. */
static const void *lk_get(const struct rtattr *rta, size_t len)
{
	if (!rta || RTA_PAYLOAD(rta) != len)
		return NULL;
	return RTA_DATA(rta);
}

static void lk_print_addr(const struct rtattr *rta, const char *key,
			  const char *zero_name)
{
	static const unsigned char zero[16];
	char buf[INET6_ADDRSTRLEN];
	int family;

	if (!rta)
		return;
	if (RTA_PAYLOAD(rta) == 4)
		family = AF_INET;
	else if (RTA_PAYLOAD(rta) == 16)
		family = AF_INET6;
	else
		return;
	if (zero_name && !memcmp(RTA_DATA(rta), zero, RTA_PAYLOAD(rta))) {
		print_color_string(PRINT_FP, COLOR_NONE, NULL, "%s ", key);
		print_color_string(PRINT_ANY, COLOR_NONE, key, "%s ",
				   zero_name);
		return;
	}
	if (!inet_ntop(family, RTA_DATA(rta), buf, sizeof(buf)))
		return;
	/* Like ip's own output: the word plain, the address colored. */
	print_color_string(PRINT_FP, COLOR_NONE, NULL, "%s ", key);
	print_color_string(PRINT_ANY, ifa_family_color((__u8)family), key,
			   "%s ", buf);
}

static void lk_print_opt(struct link_util *lu, FILE *f, struct rtattr *tb[])
{
	const __u32 *u32;
	const __u8 *u8;

	(void)lu;
	(void)f;	/* the print_* helpers write to ip's own stream */
	if (!tb)
		return;

	lk_print_addr(tb[IFLA_IKEVTI_LOCAL], "local", NULL);
	lk_print_addr(tb[IFLA_IKEVTI_REMOTE], "remote", "any");

	u32 = lk_get(tb[IFLA_IKEVTI_LINK], sizeof(*u32));
	if (u32 && *u32) {
		print_color_string(PRINT_FP, COLOR_NONE, NULL, "%s ", "dev");
		print_color_string(PRINT_ANY, COLOR_IFNAME, "link", "%s ",
				   ll_index_to_name(*u32));
	}

	lk_print_addr(tb[IFLA_IKEVTI_NEXTHOP], "nexthop", NULL);

	u32 = lk_get(tb[IFLA_IKEVTI_FWMARK], sizeof(*u32));
	if (u32 && *u32)
		print_color_0xhex(PRINT_ANY, COLOR_NONE, "fwmark",
				  "fwmark 0x%llx ", *u32);

	u8 = lk_get(tb[IFLA_IKEVTI_TTL], sizeof(*u8));
	if (u8 && *u8)
		print_color_uint(PRINT_ANY, COLOR_NONE, "ttl", "ttl %u ", *u8);
	else if (u8)
		print_color_string(PRINT_ANY, COLOR_NONE, "ttl", "ttl %s ",
				   "inherit");

	u8 = lk_get(tb[IFLA_IKEVTI_TOS], sizeof(*u8));
	if (u8 && *u8 == IKEVTI_TOS_INHERIT)
		print_color_string(PRINT_ANY, COLOR_NONE, "tos", "tos %s ",
				   "inherit");
	else if (u8 && *u8)
		print_color_0xhex(PRINT_ANY, COLOR_NONE, "tos", "tos 0x%llx ",
				  *u8);

	u32 = lk_get(tb[IFLA_IKEVTI_REPLAY_WINDOW], sizeof(*u32));
	if (u32)
		print_color_uint(PRINT_ANY, COLOR_NONE, "replay_window",
				 "replay-window %u ", *u32);

	u8 = lk_get(tb[IFLA_IKEVTI_MODE], sizeof(*u8));
	if (u8)
		print_color_string(PRINT_ANY, COLOR_NONE, "mode", "mode %s ",
				   *u8 == IKEVTI_MODE_ON_DEMAND ? "on-demand" :
				   "always-on");
}

extern struct link_util ikevti_link_util;

/* Not const: ip links it into its list of kinds through ->next. */
PLUGIN_EXPORT struct link_util ikevti_link_util = {
	.id = IKEVTI_LINK_KIND,
	.maxattr = IFLA_IKEVTI_MAX,
	.parse_opt = lk_parse_opt,
	.print_opt = lk_print_opt,
	.print_help = lk_print_help,
};
