// SPDX-License-Identifier: GPL-2.0
/*
 * Tests for the SA, device and event code of the genl client
 * (lib/kernel_*.c), without the module: hand-built replies and events go
 * through the same reply path as the kernel's would, well-formed and
 * broken in every way the parser must catch; requests are built and read
 * back to check what goes on the wire.  kernel_priv.h gives the tests the
 * client's inner helpers.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#include "kernel_priv.h"

#include "tap.h"

#define FAMILY	0x42
#define IFINDEX	7
#define SPI	0x12345678u

enum breakage {
	B_NONE,
	B_NO_IFINDEX,
	B_OTHER_IFINDEX,
	B_NO_DIR,
	B_DIR3,
	B_SPI16,
	B_OTHER_SPI,
	B_ADDR3,		/* truncated address */
	B_ADDR5,
	B_ADDR17,
	B_ADDR_MIX,		/* start IPv4, end IPv6 */
	B_NO_END,
	B_PORT8,		/* a u16 sent as u8 */
	B_STAT32,		/* a u64 counter sent as u32 */
	B_LT_SHORT,
	B_TS_TYPE0,		/* an entry of type 0 in the list */
	B_TS_NOT_NESTED,	/* junk after the entries: not an attribute */
	B_OVERRUN,		/* last SA attribute longer than its nest */
	B_MSG_OVERRUN,		/* last top-level attribute past the message */
	B_KEY,			/* a (buggy) reply with a key in it */
};

static char lastmsg[256];

static void put_ts(struct nl_msg *msg, const char *start, const char *end,
		   int family, int proto, int lo, int hi, enum breakage b)
{
	uint8_t s[20] = { 0 }, e[20] = { 0 };	/* room for B_ADDR17 */
	int len = family == AF_INET ? 4 : 16;
	struct nlattr *entry;

	inet_pton(family, start, s);
	inet_pton(family, end, e);
	entry = nla_nest_start(msg, IKEVTI_TS_A_ENTRY);
	nla_put(msg, IKEVTI_TS_A_ADDR_START,
		b == B_ADDR3 ? 3 : b == B_ADDR5 ? 5 : b == B_ADDR17 ? 17 : len,
		s);
	if (b == B_ADDR_MIX)
		nla_put(msg, IKEVTI_TS_A_ADDR_END, 16, e);
	else if (b != B_NO_END)
		nla_put(msg, IKEVTI_TS_A_ADDR_END, len, e);
	if (proto >= 0)
		nla_put_u8(msg, IKEVTI_TS_A_PROTO, (uint8_t)proto);
	if (lo >= 0) {
		if (b == B_PORT8)
			nla_put_u8(msg, IKEVTI_TS_A_PORT_START, (uint8_t)lo);
		else
			nla_put_u16(msg, IKEVTI_TS_A_PORT_START, (uint16_t)lo);
		nla_put_u16(msg, IKEVTI_TS_A_PORT_END, (uint16_t)hi);
	}
	nla_put_u32(msg, IKEVTI_TS_A_MAX + 1, 0);	/* newer: ignored */
	nla_nest_end(msg, entry);
}

/* An SA_GET reply about SA SPI, outbound, on IFINDEX. */
static struct nl_msg *sa_reply(enum breakage b, unsigned int n_local)
{
	struct nl_msg *msg = nlmsg_alloc_size(16384);
	struct nlattr *sa, *nest, *last;
	uint8_t key[20];

	genlmsg_put(msg, 0, 0, FAMILY, 0, 0, IKEVTI_CMD_SA_GET, 1);
	if (b != B_NO_IFINDEX)
		nla_put_u32(msg, IKEVTI_A_IFINDEX,
			    b == B_OTHER_IFINDEX ? IFINDEX + 1 : IFINDEX);
	nla_put_u64(msg, IKEVTI_A_MAX + 1, 1);		/* newer: ignored */
	sa = nla_nest_start(msg, IKEVTI_A_SA);
	if (b != B_NO_DIR)
		nla_put_u8(msg, IKEVTI_SA_A_DIR,
			   b == B_DIR3 ? 3 : IKEVTI_DIR_OUT);
	if (b == B_SPI16)
		nla_put_u16(msg, IKEVTI_SA_A_SPI, 0x1234);
	else
		nla_put_u32(msg, IKEVTI_SA_A_SPI,
			    htonl(b == B_OTHER_SPI ? SPI + 1 : SPI));
	nla_put_u16(msg, IKEVTI_SA_A_ENC, IKEVTI_ENC_AES_CBC);
	nla_put_u16(msg, IKEVTI_SA_A_AUTH, IKEVTI_AUTH_HMAC_SHA256_128);
	if (b == B_KEY) {
		memset(key, 0xaa, sizeof(key));
		nla_put(msg, IKEVTI_SA_A_ENC_KEY, sizeof(key), key);
		nla_put(msg, IKEVTI_SA_A_AUTH_KEY, sizeof(key), key);
	}
	nla_put_u32(msg, IKEVTI_SA_A_FLAGS, IKEVTI_SA_F_ESN);
	nla_put_u32(msg, IKEVTI_SA_A_REPLAY_WINDOW, 64);

	nest = nla_nest_start(msg, IKEVTI_SA_A_LIFETIME);
	nla_put(msg, IKEVTI_LT_A_PAD, 0, NULL);
	nla_put_u64(msg, IKEVTI_LT_A_SOFT_SECS, 3000);
	nla_put_u64(msg, IKEVTI_LT_A_HARD_SECS, 3600);
	nla_put_u64(msg, IKEVTI_LT_A_HARD_BYTES, 1ULL << 40);
	if (b == B_LT_SHORT)
		nla_put_u32(msg, IKEVTI_LT_A_HARD_PACKETS, 5);
	nla_nest_end(msg, nest);

	nest = nla_nest_start(msg, IKEVTI_SA_A_TS_LOCAL);
	if (b == B_TS_TYPE0)
		nla_put_u32(msg, 0, 0);
	put_ts(msg, "10.0.0.0", "10.0.0.255", AF_INET, 6, 80, 80, b);
	put_ts(msg, "2001:db8::", "2001:db8::ffff", AF_INET6, 0, 1000, 2000,
	       B_NONE);
	for (unsigned int i = 2; i < n_local; i++)
		put_ts(msg, "192.0.2.1", "192.0.2.1", AF_INET, -1, -1, -1,
		       B_NONE);
	nla_put_u32(msg, IKEVTI_TS_LIST_A_MAX + 1, 0);	/* newer: ignored */
	if (b == B_TS_NOT_NESTED) {
		/* Three bytes of junk inside the list. */
		void *junk = nlmsg_reserve(msg, 3, 1);

		memset(junk, 0x5a, 3);
	}
	nla_nest_end(msg, nest);
	if (b == B_TS_NOT_NESTED)
		nest->nla_len = (uint16_t)(nest->nla_len - 1);

	nest = nla_nest_start(msg, IKEVTI_SA_A_TS_REMOTE);
	put_ts(msg, "::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", AF_INET6,
	       -1, -1, -1, B_NONE);
	nla_nest_end(msg, nest);

	nla_put_u8(msg, IKEVTI_SA_A_ORIGIN, IKEVTI_ORIGIN_NEGOTIATED);

	nest = nla_nest_start(msg, IKEVTI_SA_A_STATS);
	nla_put_u64(msg, IKEVTI_STATS_A_PACKETS, 10);
	nla_put_u64(msg, IKEVTI_STATS_A_OCTETS, 1000);
	nla_put(msg, IKEVTI_STATS_A_PAD, 0, NULL);
	if (b == B_STAT32)
		nla_put_u32(msg, IKEVTI_STATS_A_REPLAY, 3);
	else
		nla_put_u64(msg, IKEVTI_STATS_A_REPLAY, 3);
	nla_put_u64(msg, IKEVTI_STATS_A_MISC, 12);
	nla_put_u64(msg, IKEVTI_STATS_A_MAX + 1, 99);	/* newer: ignored */
	nla_nest_end(msg, nest);

	nest = nla_nest_start(msg, IKEVTI_SA_A_CUR);
	nla_put_u64(msg, IKEVTI_CUR_A_ADD_TIME, 1700000000);
	nla_put_u64(msg, IKEVTI_CUR_A_BYTES, 1000);
	nla_put_u64(msg, IKEVTI_CUR_A_SEQ, 10);
	nla_put_u64(msg, IKEVTI_CUR_A_EXPIRED, 1);
	nla_nest_end(msg, nest);

	nla_put_u64(msg, IKEVTI_SA_A_MAX + 1, 5);	/* newer: ignored */
	last = (struct nlattr *)nlmsg_tail(nlmsg_hdr(msg));
	nla_put_u32(msg, IKEVTI_SA_A_COOKIE, 99);
	nla_nest_end(msg, sa);
	if (b == B_OVERRUN)
		last->nla_len += 8;
	if (b == B_MSG_OVERRUN) {
		last = (struct nlattr *)nlmsg_tail(nlmsg_hdr(msg));
		nla_put_u32(msg, IKEVTI_A_MAX + 2, 0);
		last->nla_len += 8;
	}
	return msg;
}

/* Run one reply through kernel_valid_cb() as an SA_GET doit answer. */
static int get_reply(struct nl_msg *msg, struct kernel_sa *out)
{
	struct kernel_conn kc = { .family = FAMILY };
	struct kernel_sa_req r = {
		.ifindex = IFINDEX, .out = out, .dir = IKEVTI_DIR_OUT,
		.spi = SPI,
	};
	struct kernel_req req = {
		.kc = &kc, .policy = kernel_policy, .reply = kernel_sa_reply,
		.arg = &r,
	};

	memset(out, 0xee, sizeof(*out));
	kernel_valid_cb(msg, &req);
	snprintf(lastmsg, sizeof(lastmsg), "%s", kc.msg);
	return req.err;
}

static int sa_case(enum breakage b, unsigned int n_local,
		   struct kernel_sa *out)
{
	struct nl_msg *msg = sa_reply(b, n_local);
	int ret = get_reply(msg, out);

	nlmsg_free(msg);
	return ret;
}

static bool addr_is(const uint8_t *p, int family, const char *s)
{
	uint8_t want[16] = { 0 };

	inet_pton(family, s, want);
	return !memcmp(p, want, 16);
}

static bool all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++) {
		if (b[i])
			return false;
	}
	return true;
}

static void test_sa_reply(void)
{
	struct kernel_sa sa;
	const struct kernel_ts *t;

	is_int(sa_case(B_NONE, 2, &sa), 0,
	       "valid SA reply, newer attributes ignored at every level");
	ok(sa.ifindex == IFINDEX && sa.dir == IKEVTI_DIR_OUT && sa.spi == SPI,
	   "ifindex, dir, SPI in host order");
	ok(sa.enc == IKEVTI_ENC_AES_CBC &&
	   sa.auth == IKEVTI_AUTH_HMAC_SHA256_128 &&
	   sa.flags == IKEVTI_SA_F_ESN, "algorithms and flags");
	ok(sa.has_replay_window && sa.replay_window == 64, "replay window");
	ok(sa.has_lifetime && sa.lifetime.soft_secs == 3000 &&
	   sa.lifetime.hard_secs == 3600 && !sa.lifetime.soft_bytes &&
	   sa.lifetime.hard_bytes == 1ULL << 40 && !sa.lifetime.hard_packets,
	   "lifetimes, a PAD attribute skipped");
	t = sa.ts_local;
	ok(sa.n_ts_local == 2 && t[0].family == AF_INET &&
	   addr_is(t[0].start, AF_INET, "10.0.0.0") &&
	   addr_is(t[0].end, AF_INET, "10.0.0.255") && t[0].proto == 6 &&
	   t[0].port_start == 80 && t[0].port_end == 80,
	   "IPv4 local selector");
	ok(t[1].family == AF_INET6 &&
	   addr_is(t[1].start, AF_INET6, "2001:db8::") &&
	   addr_is(t[1].end, AF_INET6, "2001:db8::ffff") &&
	   t[1].port_start == 1000 && t[1].port_end == 2000,
	   "IPv6 local selector");
	t = sa.ts_remote;
	ok(sa.n_ts_remote == 1 && t[0].family == AF_INET6 && !t[0].proto &&
	   t[0].port_start == 0 && t[0].port_end == 65535,
	   "remote selector without protocol or ports means any");
	ok(sa.origin == IKEVTI_ORIGIN_NEGOTIATED && sa.cookie == 99,
	   "origin, cookie");
	ok(sa.has_stats && sa.stats.packets == 10 && sa.stats.octets == 1000 &&
	   sa.stats.replay == 3 && sa.stats.misc == 12 && !sa.stats.nomem,
	   "counters");
	ok(sa.has_cur && sa.cur.add_time == 1700000000 && !sa.cur.use_time &&
	   sa.cur.bytes == 1000 && sa.cur.seq == 10 && sa.cur.expired == 1,
	   "current state");
	ok(all_zero(sa.enc_key, sizeof(sa.enc_key)) && !sa.enc_key_len &&
	   all_zero(sa.auth_key, sizeof(sa.auth_key)) && !sa.auth_key_len,
	   "no key in the struct");

	is_int(sa_case(B_KEY, 2, &sa), 0, "a reply carrying keys still parses");
	ok(all_zero(sa.enc_key, sizeof(sa.enc_key)) && !sa.enc_key_len &&
	   all_zero(sa.auth_key, sizeof(sa.auth_key)) && !sa.auth_key_len,
	   "but its keys are not copied");

	is_int(sa_case(B_NONE, IKEVTI_TS_MAX, &sa), 0,
	       "IKEVTI_TS_MAX selectors are fine");
	is_int(sa.n_ts_local, IKEVTI_TS_MAX, "all of them kept");
	is_int(sa_case(B_NONE, IKEVTI_TS_MAX + 1, &sa), -EPROTO,
	       "one selector more is refused");
	is_str(lastmsg, "more than 16 local traffic selectors", "  message");
}

static void test_sa_reply_broken(void)
{
	static const struct {
		enum breakage b;
		const char *what;
		const char *msg;	/* NULL: any */
	} cases[] = {
		{ B_NO_IFINDEX, "no ifindex", "SA reply lacks a required attribute" },
		{ B_OTHER_IFINDEX, "another device",
		  "SA reply is about ifindex 8, not 7" },
		{ B_NO_DIR, "no direction",
		  "SA from the ikevti module lacks its direction or SPI" },
		{ B_DIR3, "direction 3", "SA from the ikevti module has direction 3" },
		{ B_SPI16, "a 16-bit SPI", NULL },
		{ B_OTHER_SPI, "another SA",
		  "SA reply is about SPI 0x12345679, not 0x12345678" },
		{ B_ADDR3, "a 3-byte address", NULL },
		{ B_ADDR5, "a 5-byte address",
		  "local traffic selector has bad address lengths" },
		{ B_ADDR17, "a 17-byte address", NULL },
		{ B_ADDR_MIX, "IPv4 start, IPv6 end",
		  "local traffic selector has bad address lengths" },
		{ B_NO_END, "no end address",
		  "local traffic selector lacks an address" },
		{ B_PORT8, "an 8-bit port", NULL },
		{ B_STAT32, "a 32-bit counter", NULL },
		{ B_LT_SHORT, "a 32-bit lifetime", NULL },
		{ B_TS_TYPE0, "an entry of type 0",
		  "unexpected attribute 0 in the local selector list" },
		{ B_TS_NOT_NESTED, "junk in the selector list",
		  "malformed local selector list from the ikevti module" },
		{ B_OVERRUN, "an attribute past the end of its nest",
		  "malformed SA from the ikevti module: bad length" },
		{ B_MSG_OVERRUN, "an attribute past the end of the message",
		  "malformed reply from the ikevti module: bad length" },
	};
	struct kernel_sa sa;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int ret = sa_case(cases[i].b, 2, &sa);

		is_int(ret, -EPROTO, "SA reply with %s is refused (%s)",
		       cases[i].what, lastmsg);
		if (cases[i].msg)
			is_str(lastmsg, cases[i].msg, "  message");
	}
}

struct dump_count {
	unsigned int n;
	int fail;
	uint32_t spi;
};

static int count_sa(const struct kernel_sa *sa, void *arg)
{
	struct dump_count *c = arg;

	c->n++;
	c->spi = sa->spi;
	return c->fail;
}

static void test_sa_dump_reply(void)
{
	struct kernel_conn kc = { .family = FAMILY };
	struct dump_count c = { 0 };
	struct kernel_sa_req r = { .ifindex = IFINDEX, .fn = count_sa, .arg = &c };
	struct kernel_req req = {
		.kc = &kc, .policy = kernel_policy, .reply = kernel_sa_reply,
		.arg = &r,
	};
	struct kernel_sa one;
	struct nl_msg *msg = sa_reply(B_NONE, 2);

	kernel_valid_cb(msg, &req);
	kernel_valid_cb(msg, &req);
	ok(!req.err && c.n == 2 && c.spi == SPI, "dump: callback per SA");
	c.fail = -ECANCELED;
	kernel_valid_cb(msg, &req);
	is_int(req.err, -ECANCELED, "dump: a callback's error stops it");
	kernel_valid_cb(msg, &req);
	is_int(c.n, 3, "dump: nothing handed out after the error");

	/* A doit must get exactly one SA. */
	r = (struct kernel_sa_req){ .ifindex = IFINDEX, .out = &one,
				    .dir = IKEVTI_DIR_OUT, .spi = SPI };
	req.err = 0;
	kernel_valid_cb(msg, &req);
	kernel_valid_cb(msg, &req);
	ok(req.err == -EPROTO && !strcmp(kc.msg, "more than one SA in the reply"),
	   "get: a second SA in the answer is refused");
	nlmsg_free(msg);
}

/* ------------------------------------------------------------------ */

static void fill_sa(struct kernel_sa *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->dir = IKEVTI_DIR_IN;
	sa->spi = SPI;
	sa->enc = IKEVTI_ENC_AES_CBC;
	sa->enc_key_len = 32;
	memset(sa->enc_key, 0xa5, 32);
	sa->auth = IKEVTI_AUTH_HMAC_SHA256_128;
	sa->auth_key_len = 32;
	memset(sa->auth_key, 0x5a, 32);
	sa->flags = IKEVTI_SA_F_ESN;
	sa->has_replay_window = true;
	sa->replay_window = 0;
	sa->lifetime.hard_secs = 3600;
	sa->n_ts_local = 1;
	sa->ts_local[0].family = AF_INET;
	inet_pton(AF_INET, "10.0.0.0", sa->ts_local[0].start);
	inet_pton(AF_INET, "10.0.0.255", sa->ts_local[0].end);
	sa->ts_local[0].proto = 17;
	sa->ts_local[0].port_start = 500;
	sa->ts_local[0].port_end = 4500;
	sa->n_ts_remote = 1;
	sa->ts_remote[0].family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8::1", sa->ts_remote[0].start);
	inet_pton(AF_INET6, "2001:db8::1", sa->ts_remote[0].end);
	sa->ts_remote[0].port_end = 65535;
	sa->origin = IKEVTI_ORIGIN_MANUAL;
	sa->cookie = 42;
}

/* Build a request like kernel_sa_request() does, without sending it. */
static struct nl_msg *sa_request(struct kernel_conn *kc, uint8_t cmd,
				 const struct kernel_sa *sa, unsigned int what)
{
	struct nl_msg *msg = kernel_dev_msg(kc, cmd, 0, IFINDEX);

	if (kernel_put_sa(msg, sa, what)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static bool nested_flags(struct nlattr *nest)
{
	struct nlattr *pos;
	int rem;

	if (!(nest->nla_type & NLA_F_NESTED))
		return false;
	nla_for_each_nested(pos, nest, rem) {
		int t = nla_type(pos);

		if ((t == IKEVTI_SA_A_LIFETIME || t == IKEVTI_SA_A_TS_LOCAL ||
		     t == IKEVTI_SA_A_TS_REMOTE) && !nested_flags(pos))
			return false;
	}
	return true;
}

static void test_requests(void)
{
	struct kernel_conn kc = { .family = FAMILY };
	struct nlattr *tb[IKEVTI_A_MAX + 1], *sb[IKEVTI_SA_A_MAX + 1];
	struct nlattr *lt[IKEVTI_LT_A_MAX + 1], *ts[IKEVTI_TS_A_MAX + 1];
	struct kernel_sa in, back;
	uint8_t key[32];
	struct nl_msg *msg;
	struct nlmsghdr *nlh;
	size_t len;
	int n;

	fill_sa(&in);
	msg = sa_request(&kc, IKEVTI_CMD_SA_NEW, &in,
			 KERNEL_SA_ID | KERNEL_SA_NEW | KERNEL_SA_CHANGE);
	if (!ok(msg != NULL, "SA_NEW request built"))
		return;
	nlh = nlmsg_hdr(msg);
	ok(kernel_parse_msg(&kc, nlh, tb, kernel_policy) == 0 &&
	   tb[IKEVTI_A_IFINDEX] && nla_get_u32(tb[IKEVTI_A_IFINDEX]) == IFINDEX &&
	   tb[IKEVTI_A_SA], "request: ifindex and SA");
	is_int(((struct genlmsghdr *)nlmsg_data(nlh))->cmd, IKEVTI_CMD_SA_NEW,
	       "request: command");
	ok(nested_flags(tb[IKEVTI_A_SA]),
	   "every nest carries NLA_F_NESTED (strict kernel validation)");
	nla_parse_nested(sb, IKEVTI_SA_A_MAX, tb[IKEVTI_A_SA], NULL);
	ok(sb[IKEVTI_SA_A_SPI] && nla_len(sb[IKEVTI_SA_A_SPI]) == 4 &&
	   !memcmp(nla_data(sb[IKEVTI_SA_A_SPI]), "\x12\x34\x56\x78", 4),
	   "SPI in network byte order on the wire");
	memset(key, 0xa5, sizeof(key));
	ok(sb[IKEVTI_SA_A_ENC_KEY] && nla_len(sb[IKEVTI_SA_A_ENC_KEY]) == 32 &&
	   !memcmp(nla_data(sb[IKEVTI_SA_A_ENC_KEY]), key, 32),
	   "encryption key sent");
	ok(sb[IKEVTI_SA_A_AUTH_KEY] && nla_len(sb[IKEVTI_SA_A_AUTH_KEY]) == 32,
	   "authentication key sent");
	ok(sb[IKEVTI_SA_A_REPLAY_WINDOW] &&
	   nla_get_u32(sb[IKEVTI_SA_A_REPLAY_WINDOW]) == 0,
	   "replay window 0 is sent, not left out");
	ok(sb[IKEVTI_SA_A_ORIGIN] && sb[IKEVTI_SA_A_COOKIE] &&
	   sb[IKEVTI_SA_A_FLAGS] && !sb[IKEVTI_SA_A_STATS] &&
	   !sb[IKEVTI_SA_A_CUR], "origin, cookie, flags; no reply-only attributes");
	/* The module has no UDP encapsulation and refuses these. */
	ok(!sb[IKEVTI_SA_A_ENCAP_SPORT] && !sb[IKEVTI_SA_A_ENCAP_DPORT],
	   "no UDP encapsulation ports, ever");
	nla_parse_nested(lt, IKEVTI_LT_A_MAX, sb[IKEVTI_SA_A_LIFETIME], NULL);
	n = 0;
	for (int i = 1; i <= IKEVTI_LT_A_HARD_PACKETS; i++)
		n += lt[i] && nla_len(lt[i]) == 8;
	ok(n == 6 && nla_get_u64(lt[IKEVTI_LT_A_HARD_SECS]) == 3600,
	   "all six lifetime limits, u64");
	nla_parse_nested(ts, IKEVTI_TS_A_MAX,
			 nla_data(sb[IKEVTI_SA_A_TS_LOCAL]), NULL);
	ok(nla_type(nla_data(sb[IKEVTI_SA_A_TS_LOCAL])) == IKEVTI_TS_A_ENTRY &&
	   ts[IKEVTI_TS_A_ADDR_START] && nla_len(ts[IKEVTI_TS_A_ADDR_START]) == 4 &&
	   nla_len(ts[IKEVTI_TS_A_ADDR_END]) == 4 &&
	   nla_get_u8(ts[IKEVTI_TS_A_PROTO]) == 17 &&
	   nla_get_u16(ts[IKEVTI_TS_A_PORT_START]) == 500 &&
	   nla_get_u16(ts[IKEVTI_TS_A_PORT_END]) == 4500,
	   "selector entry: 4-byte addresses, protocol, ports in host order");

	/* Reading it back as a reply gives the SA again, minus the keys. */
	ok(kernel_sa_parse(&kc, tb[IKEVTI_A_SA], &back) == 0 &&
	   back.dir == in.dir && back.spi == in.spi && back.enc == in.enc &&
	   back.auth == in.auth && back.flags == in.flags &&
	   back.has_replay_window && !back.replay_window &&
	   !memcmp(&back.lifetime, &in.lifetime, sizeof(in.lifetime)) &&
	   back.n_ts_local == 1 &&
	   !memcmp(&back.ts_local[0], &in.ts_local[0], sizeof(in.ts_local[0])) &&
	   back.n_ts_remote == 1 &&
	   !memcmp(&back.ts_remote[0], &in.ts_remote[0],
		   sizeof(in.ts_remote[0])) &&
	   back.origin == in.origin &&
	   back.cookie == 42 && !back.enc_key_len,
	   "request read back as a reply: same SA, no keys");

	len = nlh->nlmsg_len;
	kernel_msg_wipe(msg);
	ok(all_zero(nlh, len), "kernel_msg_wipe() zeroes the request, keys and all");
	nlmsg_free(msg);

	msg = sa_request(&kc, IKEVTI_CMD_SA_SET, &in,
			 KERNEL_SA_ID | KERNEL_SA_CHANGE);
	kernel_parse_msg(&kc, nlmsg_hdr(msg), tb, kernel_policy);
	nla_parse_nested(sb, IKEVTI_SA_A_MAX, tb[IKEVTI_A_SA], NULL);
	ok(sb[IKEVTI_SA_A_DIR] && sb[IKEVTI_SA_A_SPI] &&
	   sb[IKEVTI_SA_A_REPLAY_WINDOW] && !sb[IKEVTI_SA_A_LIFETIME] &&
	   sb[IKEVTI_SA_A_TS_LOCAL] && sb[IKEVTI_SA_A_TS_REMOTE] &&
	   !sb[IKEVTI_SA_A_ENC] && !sb[IKEVTI_SA_A_ENC_KEY] &&
	   !sb[IKEVTI_SA_A_AUTH] && !sb[IKEVTI_SA_A_AUTH_KEY] &&
	   !sb[IKEVTI_SA_A_FLAGS] && !sb[IKEVTI_SA_A_COOKIE] &&
	   !sb[IKEVTI_SA_A_ORIGIN] && !sb[IKEVTI_SA_A_ENCAP_SPORT],
	   "SA_SET: no keys or algorithms; lifetime only with has_lifetime");
	kernel_msg_free(msg);
	in.has_lifetime = true;
	msg = sa_request(&kc, IKEVTI_CMD_SA_SET, &in,
			 KERNEL_SA_ID | KERNEL_SA_CHANGE);
	kernel_parse_msg(&kc, nlmsg_hdr(msg), tb, kernel_policy);
	nla_parse_nested(sb, IKEVTI_SA_A_MAX, tb[IKEVTI_A_SA], NULL);
	ok(sb[IKEVTI_SA_A_LIFETIME] != NULL, "SA_SET: lifetime with has_lifetime");
	kernel_msg_free(msg);

	msg = sa_request(&kc, IKEVTI_CMD_SA_DEL, &in, KERNEL_SA_ID);
	kernel_parse_msg(&kc, nlmsg_hdr(msg), tb, kernel_policy);
	nla_parse_nested(sb, IKEVTI_SA_A_MAX, tb[IKEVTI_A_SA], NULL);
	n = 0;
	for (int i = 0; i <= IKEVTI_SA_A_MAX; i++)
		n += sb[i] != NULL;
	ok(n == 2 && sb[IKEVTI_SA_A_DIR] && sb[IKEVTI_SA_A_SPI],
	   "SA_DEL: only dir and SPI");
	kernel_msg_free(msg);

	in.n_ts_local = IKEVTI_TS_MAX + 1;
	msg = kernel_dev_msg(&kc, IKEVTI_CMD_SA_NEW, 0, IFINDEX);
	is_int(kernel_put_sa(msg, &in, KERNEL_SA_ID | KERNEL_SA_CHANGE),
	       -EINVAL, "more than IKEVTI_TS_MAX selectors are not sent");
	kernel_msg_free(msg);
	kernel_sa_wipe(&in);
	ok(all_zero(&in, sizeof(in)), "kernel_sa_wipe() zeroes the SA");
}

/* ------------------------------------------------------------------ */

static struct nl_msg *dev_reply(const char *name, int namelen, bool stat32)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct nlattr *nest;

	genlmsg_put(msg, 0, 0, FAMILY, 0, 0, IKEVTI_CMD_DEV_GET, 1);
	nla_put_u32(msg, IKEVTI_A_IFINDEX, IFINDEX);
	nla_put(msg, IKEVTI_A_IFNAME, namelen, name);
	nest = nla_nest_start(msg, IKEVTI_A_DEV_STATS);
	nla_put_u64(msg, IKEVTI_DEV_STATS_A_ENCAPS, 1);
	nla_put_u64(msg, IKEVTI_DEV_STATS_A_VERIFY, 6);
	nla_put_u64(msg, IKEVTI_DEV_STATS_A_SEQ_EXHAUSTED, 12);
	nla_put_u64(msg, IKEVTI_DEV_STATS_A_INVALID_SA, 13);
	if (stat32)
		nla_put_u32(msg, IKEVTI_DEV_STATS_A_NO_ROUTE, 11);
	nla_put_u64(msg, IKEVTI_DEV_STATS_A_MAX + 1, 1);
	nla_nest_end(msg, nest);
	return msg;
}

static int dev_case(const char *name, int namelen, bool stat32,
		    struct kernel_dev_stats *d)
{
	struct kernel_conn kc = { .family = FAMILY };
	struct kernel_dev_req r = { .ifindex = IFINDEX, .out = d };
	struct kernel_req req = {
		.kc = &kc, .policy = kernel_policy, .reply = kernel_dev_reply,
		.arg = &r,
	};
	struct nl_msg *msg = dev_reply(name, namelen, stat32);

	kernel_valid_cb(msg, &req);
	nlmsg_free(msg);
	snprintf(lastmsg, sizeof(lastmsg), "%s", kc.msg);
	return req.err;
}

static void test_dev_reply(void)
{
	struct kernel_dev_stats d;

	is_int(dev_case("ikevti0", 8, false, &d), 0, "device reply parsed");
	ok(d.ifindex == IFINDEX && !strcmp(d.ifname, "ikevti0") &&
	   d.encaps == 1 && d.verify == 6 && d.seq_exhausted == 12 &&
	   d.invalid_sa == 13 && !d.no_route, "device name and counters");
	is_int(dev_case("ikevti0", 7, false, &d), -EPROTO,
	       "device name without its NUL");
	is_int(dev_case("ikev\0ti", 8, false, &d), -EPROTO,
	       "device name with an embedded NUL");
	is_int(dev_case("ikev\033[0m", 9, false, &d), -EPROTO,
	       "device name with an escape sequence");
	is_int(dev_case("0123456789abcdef", 17, false, &d), -EPROTO,
	       "device name longer than IFNAMSIZ");
	is_int(dev_case("ikevti0", 8, true, &d), -EPROTO,
	       "a 32-bit device counter");
}

/* ------------------------------------------------------------------ */

static struct kernel_event got;
static int n_events;

static int take_event(const struct kernel_event *ev, void *arg)
{
	(void)arg;
	got = *ev;
	n_events++;
	return 0;
}

static int event_case(struct nl_msg *msg, uint32_t from)
{
	struct kernel_conn kc = { .family = FAMILY };
	struct kernel_event_req r = { .kc = &kc, .fn = take_event };
	struct sockaddr_nl src = { .nl_family = AF_NETLINK, .nl_pid = from };

	nlmsg_set_src(msg, &src);
	n_events = 0;
	memset(&got, 0, sizeof(got));
	kernel_event_cb(msg, &r);
	nlmsg_free(msg);
	snprintf(lastmsg, sizeof(lastmsg), "%s", kc.msg);
	return r.err;
}

static struct nl_msg *expire_event(uint8_t cmd, int hard)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct nlattr *sa, *cur;

	genlmsg_put(msg, 0, 0, FAMILY, 0, 0, cmd, 1);
	nla_put_u32(msg, IKEVTI_A_IFINDEX, IFINDEX);
	sa = nla_nest_start(msg, IKEVTI_A_SA);
	nla_put_u8(msg, IKEVTI_SA_A_DIR, IKEVTI_DIR_IN);
	nla_put_u32(msg, IKEVTI_SA_A_SPI, htonl(SPI));
	nla_put_u32(msg, IKEVTI_SA_A_COOKIE, 77);
	cur = nla_nest_start(msg, IKEVTI_SA_A_CUR);
	nla_put_u64(msg, IKEVTI_CUR_A_BYTES, 5000);
	nla_put_u64(msg, IKEVTI_CUR_A_SEQ, 3758096384ULL);
	nla_nest_end(msg, cur);
	nla_nest_end(msg, sa);
	if (hard == 1)
		nla_put_flag(msg, IKEVTI_A_EXPIRE_HARD);
	if (hard == 2)
		nla_put_u8(msg, IKEVTI_A_EXPIRE_HARD, 1);
	return msg;
}

static struct nl_msg *acquire_event(int srclen, int dstlen)
{
	struct nl_msg *msg = nlmsg_alloc();
	uint8_t src[16], dst[16];

	inet_pton(AF_INET6, "2001:db8::1", src);
	inet_pton(AF_INET6, "2001:db8::2", dst);
	genlmsg_put(msg, 0, 0, FAMILY, 0, 0, IKEVTI_CMD_EV_ACQUIRE, 1);
	nla_put_u32(msg, IKEVTI_A_IFINDEX, IFINDEX);
	nla_put(msg, IKEVTI_A_PKT_SRC, srclen, src);
	nla_put(msg, IKEVTI_A_PKT_DST, dstlen, dst);
	nla_put_u8(msg, IKEVTI_A_PKT_PROTO, 6);
	nla_put_u16(msg, IKEVTI_A_PKT_SPORT, 40000);
	nla_put_u16(msg, IKEVTI_A_PKT_DPORT, 443);
	return msg;
}

static void test_events(void)
{
	struct nl_msg *msg;

	is_int(event_case(expire_event(IKEVTI_CMD_EV_EXPIRE, 1), 0), 0,
	       "hard expire event parsed");
	ok(n_events == 1 && got.cmd == IKEVTI_CMD_EV_EXPIRE && got.hard &&
	   got.ifindex == IFINDEX && got.dir == IKEVTI_DIR_IN &&
	   got.spi == SPI && got.cookie == 77 && got.has_cur &&
	   got.cur.bytes == 5000, "its fields");
	event_case(expire_event(IKEVTI_CMD_EV_EXPIRE, 0), 0);
	ok(n_events == 1 && !got.hard, "soft expire event");
	event_case(expire_event(IKEVTI_CMD_EV_SEQ_WRAP, 0), 0);
	ok(n_events == 1 && got.cmd == IKEVTI_CMD_EV_SEQ_WRAP &&
	   got.cur.seq == 3758096384ULL, "sequence wrap warning");
	is_int(event_case(expire_event(IKEVTI_CMD_EV_EXPIRE, 2), 0), -EPROTO,
	       "a hard flag with a payload is refused");
	is_int(event_case(expire_event(IKEVTI_CMD_EV_EXPIRE, 1), 4242), 0,
	       "an event from a user-space sender...");
	is_int(n_events, 0, "...is ignored");
	is_int(event_case(expire_event(IKEVTI_CMD_MAX + 1, 1), 0), 0,
	       "an unknown event...");
	is_int(n_events, 0, "...is skipped");

	is_int(event_case(acquire_event(16, 16), 0), 0, "acquire event parsed");
	ok(n_events == 1 && got.cmd == IKEVTI_CMD_EV_ACQUIRE &&
	   got.family == AF_INET6 && addr_is(got.src, AF_INET6, "2001:db8::1") &&
	   addr_is(got.dst, AF_INET6, "2001:db8::2") && got.proto == 6 &&
	   got.sport == 40000 && got.dport == 443, "its packet fields");
	is_int(event_case(acquire_event(4, 16), 0), -EPROTO,
	       "acquire with IPv4 source and IPv6 destination");
	is_str(lastmsg, "acquire event has bad address lengths", "  message");
	is_int(event_case(acquire_event(8, 8), 0), -EPROTO,
	       "acquire with 8-byte addresses");
	is_int(event_case(acquire_event(2, 2), 0), -EPROTO,
	       "acquire with truncated addresses");

	msg = nlmsg_alloc();
	genlmsg_put(msg, 0, 0, FAMILY, 0, 0, IKEVTI_CMD_EV_EXPIRE, 1);
	nla_put_u32(msg, IKEVTI_A_IFINDEX, IFINDEX);
	is_int(event_case(msg, 0), -EPROTO, "expire event without its SA");
}

int main(void)
{
	test_sa_reply();
	test_sa_reply_broken();
	test_sa_dump_reply();
	test_requests();
	test_dev_reply();
	test_events();
	return done_testing();
}
