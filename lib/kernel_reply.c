// SPDX-License-Identifier: GPL-2.0
/*
 * Replies of the ikevti module, read into the structs of kernel.h.  The
 * message was checked against its top-level policy (kernel_parse_msg());
 * each nest is checked here against its own before a field is read, and
 * a reply about another device or SA than the one asked for is refused.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#include "kernel_priv.h"

int kernel_version_reply(struct kernel_conn *kc, struct nlattr **tb,
			 void *arg)
{
	struct kernel_version *v = arg;
	struct nlattr *mod = tb[IKEVTI_A_VERSION_MODULE];
	const char *s;
	size_t n;

	if (!mod || !tb[IKEVTI_A_VERSION_API]) {
		kernel_setmsg(kc, "version reply lacks a required attribute");
		return -EPROTO;
	}
	s = nla_get_string(mod);
	n = strlen(s);
	if (n + 1 != (size_t)nla_len(mod)) {
		kernel_setmsg(kc, "version reply has an embedded NUL");
		return -EPROTO;
	}
	for (size_t i = 0; i < n; i++) {
		if (s[i] < 0x21 || s[i] > 0x7e) {
			kernel_setmsg(kc, "version reply is not printable");
			return -EPROTO;
		}
	}
	if (n >= v->len) {
		kernel_setmsg(kc, "module version '%s' is too long", s);
		return -ENOSPC;
	}
	memcpy(v->modver, s, n + 1);
	v->api = nla_get_u32(tb[IKEVTI_A_VERSION_API]);
	v->seen = true;
	return 0;
}

/* Index a nest's attributes, checked against policy (max + 1 entries). */
static int kernel_nest(struct kernel_conn *kc, struct nlattr **tb, int max,
		       struct nlattr *nest, const struct nla_policy *policy,
		       const char *what)
{
	int err;

	if (!kernel_attrs_whole(nla_data(nest), nla_len(nest))) {
		kernel_setmsg(kc, "malformed %s from the ikevti module: bad length",
			      what);
		return -EPROTO;
	}
	err = nla_parse_nested(tb, max, nest, policy);
	if (err < 0) {
		kernel_setmsg(kc, "malformed %s from the ikevti module: %s",
			      what, nl_geterror(err));
		return -EPROTO;
	}
	return 0;
}

/* Room for the largest of the nests that kernel_u64s() reads. */
#define KERNEL_U64_NEST_MAX	31
_Static_assert(KERNEL_U64_NEST_MAX >= IKEVTI_STATS_A_MAX,
	       "kernel_u64s() has room for the SA counters");
_Static_assert(KERNEL_U64_NEST_MAX >= IKEVTI_DEV_STATS_A_MAX &&
	       KERNEL_U64_NEST_MAX >= IKEVTI_CUR_A_MAX &&
	       KERNEL_U64_NEST_MAX >= IKEVTI_LT_A_MAX,
	       "kernel_u64s() has room for every u64 nest");

/* A nest of u64 values (max is its IKEVTI_*_A_MAX) into the struct at base. */
static int kernel_u64s(struct kernel_conn *kc, struct nlattr *nest, int max,
		       const struct nla_policy *policy,
		       const struct kernel_u64_field *f, size_t n, void *base,
		       const char *what)
{
	struct nlattr *tb[KERNEL_U64_NEST_MAX + 1];
	size_t i;
	int err;

	err = kernel_nest(kc, tb, max, nest, policy, what);
	if (err)
		return err;
	for (i = 0; i < n; i++) {
		uint64_t v;

		if (!tb[f[i].attr])
			continue;
		v = nla_get_u64(tb[f[i].attr]);
		memcpy((char *)base + f[i].off, &v, sizeof(v));
	}
	return 0;
}

/* An address attribute: 4 or 16 bytes; returns its family or 0. */
uint8_t kernel_addr(const struct nlattr *nla, uint8_t *out)
{
	int len = nla_len(nla);

	if (len != 4 && len != 16)
		return 0;
	memset(out, 0, 16);
	memcpy(out, nla_data(nla), (size_t)len);
	return len == 4 ? AF_INET : AF_INET6;
}

static int kernel_ts_entry(struct kernel_conn *kc, struct nlattr *nest,
			   struct kernel_ts *ts, const char *side)
{
	struct nlattr *tb[IKEVTI_TS_A_MAX + 1];
	uint8_t fam;
	int err;

	err = kernel_nest(kc, tb, IKEVTI_TS_A_MAX, nest, kernel_ts_policy,
			  "traffic selector");
	if (err)
		return err;
	if (!tb[IKEVTI_TS_A_ADDR_START] || !tb[IKEVTI_TS_A_ADDR_END]) {
		kernel_setmsg(kc, "%s traffic selector lacks an address", side);
		return -EPROTO;
	}
	memset(ts, 0, sizeof(*ts));
	fam = kernel_addr(tb[IKEVTI_TS_A_ADDR_START], ts->start);
	if (!fam || fam != kernel_addr(tb[IKEVTI_TS_A_ADDR_END], ts->end)) {
		kernel_setmsg(kc, "%s traffic selector has bad address lengths",
			      side);
		return -EPROTO;
	}
	ts->family = fam;
	ts->port_end = 65535;
	if (tb[IKEVTI_TS_A_PROTO])
		ts->proto = nla_get_u8(tb[IKEVTI_TS_A_PROTO]);
	if (tb[IKEVTI_TS_A_PORT_START])
		ts->port_start = nla_get_u16(tb[IKEVTI_TS_A_PORT_START]);
	if (tb[IKEVTI_TS_A_PORT_END])
		ts->port_end = nla_get_u16(tb[IKEVTI_TS_A_PORT_END]);
	return 0;
}

static int kernel_ts_list(struct kernel_conn *kc, struct nlattr *list,
			  struct kernel_ts *ts, unsigned int *n,
			  const char *side)
{
	struct nlattr *pos;
	int rem, err;

	*n = 0;
	if (!kernel_attrs_whole(nla_data(list), nla_len(list))) {
		kernel_setmsg(kc, "malformed %s selector list from the ikevti module",
			      side);
		return -EPROTO;
	}
	nla_for_each_nested(pos, list, rem) {
		int type = nla_type(pos);

		if (type > IKEVTI_TS_LIST_A_MAX)
			continue;
		if (type != IKEVTI_TS_A_ENTRY) {
			kernel_setmsg(kc, "unexpected attribute %d in the %s selector list",
				      type, side);
			return -EPROTO;
		}
		if (*n == IKEVTI_TS_MAX) {
			kernel_setmsg(kc, "more than %d %s traffic selectors",
				      IKEVTI_TS_MAX, side);
			return -EPROTO;
		}
		err = kernel_ts_entry(kc, pos, &ts[*n], side);
		if (err)
			return err;
		(*n)++;
	}
	return 0;
}

/* IKEVTI_A_SA of a reply or an event; sa is zeroed first. */
int kernel_sa_parse(struct kernel_conn *kc, struct nlattr *nest,
		    struct kernel_sa *sa)
{
	struct nlattr *tb[IKEVTI_SA_A_MAX + 1];
	int err;

	memset(sa, 0, sizeof(*sa));
	err = kernel_nest(kc, tb, IKEVTI_SA_A_MAX, nest, kernel_sa_policy,
			  "SA");
	if (err)
		return err;
	if (!tb[IKEVTI_SA_A_DIR] || !tb[IKEVTI_SA_A_SPI]) {
		kernel_setmsg(kc, "SA from the ikevti module lacks its direction or SPI");
		return -EPROTO;
	}
	sa->dir = nla_get_u8(tb[IKEVTI_SA_A_DIR]);
	if (sa->dir != IKEVTI_DIR_IN && sa->dir != IKEVTI_DIR_OUT) {
		kernel_setmsg(kc, "SA from the ikevti module has direction %u",
			      sa->dir);
		return -EPROTO;
	}
	sa->spi = ntohl(nla_get_u32(tb[IKEVTI_SA_A_SPI]));
	if (tb[IKEVTI_SA_A_ENC])
		sa->enc = nla_get_u16(tb[IKEVTI_SA_A_ENC]);
	if (tb[IKEVTI_SA_A_AUTH])
		sa->auth = nla_get_u16(tb[IKEVTI_SA_A_AUTH]);
	if (tb[IKEVTI_SA_A_FLAGS])
		sa->flags = nla_get_u32(tb[IKEVTI_SA_A_FLAGS]);
	if (tb[IKEVTI_SA_A_REPLAY_WINDOW]) {
		sa->has_replay_window = true;
		sa->replay_window = nla_get_u32(tb[IKEVTI_SA_A_REPLAY_WINDOW]);
	}
	if (tb[IKEVTI_SA_A_LIFETIME]) {
		sa->has_lifetime = true;
		err = kernel_u64s(kc, tb[IKEVTI_SA_A_LIFETIME], IKEVTI_LT_A_MAX,
				  kernel_lt_policy, kernel_lt_fields,
				  kernel_lt_nfields,
				  &sa->lifetime, "SA lifetime");
		if (err)
			return err;
	}
	if (tb[IKEVTI_SA_A_TS_LOCAL]) {
		err = kernel_ts_list(kc, tb[IKEVTI_SA_A_TS_LOCAL], sa->ts_local,
				     &sa->n_ts_local, "local");
		if (err)
			return err;
	}
	if (tb[IKEVTI_SA_A_TS_REMOTE]) {
		err = kernel_ts_list(kc, tb[IKEVTI_SA_A_TS_REMOTE],
				     sa->ts_remote, &sa->n_ts_remote, "remote");
		if (err)
			return err;
	}
	if (tb[IKEVTI_SA_A_ORIGIN])
		sa->origin = nla_get_u8(tb[IKEVTI_SA_A_ORIGIN]);
	if (tb[IKEVTI_SA_A_COOKIE])
		sa->cookie = nla_get_u32(tb[IKEVTI_SA_A_COOKIE]);
	if (tb[IKEVTI_SA_A_STATS]) {
		sa->has_stats = true;
		err = kernel_u64s(kc, tb[IKEVTI_SA_A_STATS], IKEVTI_STATS_A_MAX,
				  kernel_stats_policy, kernel_stats_fields,
				  kernel_stats_nfields,
				  &sa->stats, "SA counters");
		if (err)
			return err;
	}
	if (tb[IKEVTI_SA_A_CUR]) {
		sa->has_cur = true;
		err = kernel_u64s(kc, tb[IKEVTI_SA_A_CUR], IKEVTI_CUR_A_MAX,
				  kernel_cur_policy, kernel_cur_fields,
				  kernel_cur_nfields,
				  &sa->cur, "SA state");
		if (err)
			return err;
	}
	return 0;
}

int kernel_sa_reply(struct kernel_conn *kc, struct nlattr **tb,
		    void *arg)
{
	struct kernel_sa_req *r = arg;
	struct kernel_sa tmp, *sa = r->out ? r->out : &tmp;
	uint32_t ifindex;
	int err;

	if (!tb[IKEVTI_A_IFINDEX] || !tb[IKEVTI_A_SA]) {
		kernel_setmsg(kc, "SA reply lacks a required attribute");
		return -EPROTO;
	}
	ifindex = nla_get_u32(tb[IKEVTI_A_IFINDEX]);
	if (ifindex != r->ifindex) {
		kernel_setmsg(kc, "SA reply is about ifindex %u, not %u",
			      ifindex, r->ifindex);
		return -EPROTO;
	}
	if (r->out && r->n) {
		kernel_setmsg(kc, "more than one SA in the reply");
		return -EPROTO;
	}
	r->n++;
	err = kernel_sa_parse(kc, tb[IKEVTI_A_SA], sa);
	if (err)
		return err;
	sa->ifindex = ifindex;
	if (r->out) {
		if (sa->dir != r->dir || sa->spi != r->spi) {
			kernel_setmsg(kc, "SA reply is about SPI 0x%08x, not 0x%08x",
				      sa->spi, r->spi);
			return -EPROTO;
		}
		return 0;
	}
	return r->fn(sa, r->arg);
}

static bool kernel_printable(const char *s)
{
	for (; *s; s++) {
		if (*s < 0x21 || *s > 0x7e)
			return false;
	}
	return true;
}

int kernel_dev_reply(struct kernel_conn *kc, struct nlattr **tb,
		     void *arg)
{
	struct kernel_dev_req *r = arg;
	struct kernel_dev_stats tmp, *d = r->out ? r->out : &tmp;
	struct nlattr *name = tb[IKEVTI_A_IFNAME];
	int err;

	if (!tb[IKEVTI_A_IFINDEX] || !name) {
		kernel_setmsg(kc, "device reply lacks a required attribute");
		return -EPROTO;
	}
	if (r->out && r->n) {
		kernel_setmsg(kc, "more than one device in the reply");
		return -EPROTO;
	}
	r->n++;
	memset(d, 0, sizeof(*d));
	d->ifindex = nla_get_u32(tb[IKEVTI_A_IFINDEX]);
	if (r->out && d->ifindex != r->ifindex) {
		kernel_setmsg(kc, "device reply is about ifindex %u, not %u",
			      d->ifindex, r->ifindex);
		return -EPROTO;
	}
	/* The policy checked the NUL and the length; no control bytes. */
	if (strlen(nla_get_string(name)) + 1 != (size_t)nla_len(name) ||
	    !kernel_printable(nla_get_string(name))) {
		kernel_setmsg(kc, "device reply has a malformed name");
		return -EPROTO;
	}
	memcpy(d->ifname, nla_data(name), (size_t)nla_len(name));
	if (tb[IKEVTI_A_DEV_STATS]) {
		err = kernel_u64s(kc, tb[IKEVTI_A_DEV_STATS],
				  IKEVTI_DEV_STATS_A_MAX,
				  kernel_dev_stats_policy, kernel_dev_fields,
				  kernel_dev_nfields, d,
				  "device counters");
		if (err)
			return err;
	}
	return r->out ? 0 : r->fn(d, r->arg);
}
