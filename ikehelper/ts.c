// SPDX-License-Identifier: GPL-2.0
/* Traffic selectors: policy to payload, narrowing, kernel form. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "ts.h"

static size_t ts_alen(uint8_t type)
{
	return type == IKEV2_TS_IPV4_ADDR_RANGE ? 4 : 16;
}

static void ts_any(uint8_t type, struct pl_ts *t)
{
	memset(t, 0, sizeof(*t));
	t->type = type;
	t->end_port = 0xffff;
	memset(t->end, 0xff, ts_alen(type));
}

void ts_from_policy(const struct policy_ts_list *pol, struct pl_ts_list *out)
{
	memset(out, 0, sizeof(*out));
	if (!pol->n) {
		ts_any(IKEV2_TS_IPV4_ADDR_RANGE, &out->ts[0]);
		ts_any(IKEV2_TS_IPV6_ADDR_RANGE, &out->ts[1]);
		out->n = 2;
		return;
	}
	for (unsigned int i = 0; i < pol->n && i < PL_MAX_TS; i++) {
		const struct policy_ts *p = &pol->ts[i];
		struct pl_ts *t = &out->ts[out->n++];

		memset(t, 0, sizeof(*t));
		t->type = p->family == AF_INET ? IKEV2_TS_IPV4_ADDR_RANGE
					       : IKEV2_TS_IPV6_ADDR_RANGE;
		t->proto = p->proto;
		t->start_port = p->port_start;
		t->end_port = p->port_end;
		memcpy(t->start, p->start, ts_alen(t->type));
		memcpy(t->end, p->end, ts_alen(t->type));
	}
}

static const uint8_t *ts_max(const uint8_t *a, const uint8_t *b, size_t n)
{
	return memcmp(a, b, n) >= 0 ? a : b;
}

static const uint8_t *ts_min(const uint8_t *a, const uint8_t *b, size_t n)
{
	return memcmp(a, b, n) <= 0 ? a : b;
}

/* a intersected with b into out; false when they do not meet. */
static bool ts_meet(const struct pl_ts *a, const struct pl_ts *b,
		    struct pl_ts *out)
{
	size_t n = ts_alen(a->type);

	if (a->type != b->type || a->start_port > a->end_port ||
	    b->start_port > b->end_port)
		return false;
	if (a->proto && b->proto && a->proto != b->proto)
		return false;
	memset(out, 0, sizeof(*out));
	out->type = a->type;
	out->proto = a->proto ? a->proto : b->proto;
	out->start_port = a->start_port > b->start_port ? a->start_port
							: b->start_port;
	out->end_port = a->end_port < b->end_port ? a->end_port : b->end_port;
	if (out->start_port > out->end_port)
		return false;
	memcpy(out->start, ts_max(a->start, b->start, n), n);
	memcpy(out->end, ts_min(a->end, b->end, n), n);
	return memcmp(out->start, out->end, n) <= 0;
}

static bool ts_dup(const struct pl_ts_list *l, const struct pl_ts *t)
{
	for (unsigned int i = 0; i < l->n; i++) {
		if (!memcmp(&l->ts[i], t, sizeof(*t)))
			return true;
	}
	return false;
}

int ts_narrow(const struct pl_ts_list *offered,
	      const struct policy_ts_list *pol, struct pl_ts_list *out)
{
	struct pl_ts_list ours;

	ts_from_policy(pol, &ours);
	memset(out, 0, sizeof(*out));
	for (unsigned int i = 0; i < offered->n; i++) {
		for (unsigned int j = 0; j < ours.n; j++) {
			struct pl_ts t;

			if (out->n >= IKEVTI_TS_MAX)
				break;
			if (ts_meet(&offered->ts[i], &ours.ts[j], &t) &&
			    !ts_dup(out, &t))
				out->ts[out->n++] = t;
		}
	}
	return out->n ? 0 : -ENOENT;
}

static bool ts_within(const struct pl_ts *a, const struct pl_ts *b)
{
	size_t n = ts_alen(a->type);

	return a->type == b->type && (!b->proto || a->proto == b->proto) &&
	       a->start_port >= b->start_port && a->end_port <= b->end_port &&
	       memcmp(a->start, b->start, n) >= 0 &&
	       memcmp(a->end, b->end, n) <= 0 &&
	       memcmp(a->start, a->end, n) <= 0;
}

bool ts_subset(const struct pl_ts_list *sub, const struct pl_ts_list *sup)
{
	if (!sub->n)
		return false;
	for (unsigned int i = 0; i < sub->n; i++) {
		bool in = false;

		for (unsigned int j = 0; j < sup->n && !in; j++)
			in = ts_within(&sub->ts[i], &sup->ts[j]);
		if (!in)
			return false;
	}
	return true;
}

static bool ts_is_any(const struct pl_ts *t)
{
	struct pl_ts any;

	ts_any(t->type, &any);
	return !memcmp(t, &any, sizeof(any));
}

void ts_to_kernel(const struct pl_ts_list *l, struct kernel_ts *out,
		  unsigned int *n)
{
	bool any4 = false, any6 = false;

	for (unsigned int i = 0; i < l->n; i++) {
		if (ts_is_any(&l->ts[i])) {
			any4 |= l->ts[i].type == IKEV2_TS_IPV4_ADDR_RANGE;
			any6 |= l->ts[i].type == IKEV2_TS_IPV6_ADDR_RANGE;
		}
	}
	*n = 0;
	if (any4 && any6)
		return;
	for (unsigned int i = 0; i < l->n && *n < IKEVTI_TS_MAX; i++) {
		const struct pl_ts *t = &l->ts[i];
		struct kernel_ts *k = &out[(*n)++];

		memset(k, 0, sizeof(*k));
		k->family = t->type == IKEV2_TS_IPV4_ADDR_RANGE ? AF_INET
								: AF_INET6;
		k->proto = t->proto;
		k->port_start = t->start_port;
		k->port_end = t->end_port;
		memcpy(k->start, t->start, ts_alen(t->type));
		memcpy(k->end, t->end, ts_alen(t->type));
	}
}

void ts_to_policy(const struct pl_ts_list *l, struct policy_ts_list *out)
{
	memset(out, 0, sizeof(*out));
	for (unsigned int i = 0; i < l->n && i < POLICY_TS_MAX; i++) {
		const struct pl_ts *t = &l->ts[i];
		struct policy_ts *p = &out->ts[out->n++];

		p->family = t->type == IKEV2_TS_IPV4_ADDR_RANGE ? AF_INET
								: AF_INET6;
		p->proto = t->proto;
		p->port_start = t->start_port;
		p->port_end = t->end_port;
		memcpy(p->start, t->start, ts_alen(t->type));
		memcpy(p->end, t->end, ts_alen(t->type));
	}
}
