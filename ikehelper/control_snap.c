// SPDX-License-Identifier: GPL-2.0
/*
 * A copy of the engine's tables for the show commands, and what their
 * formatters (control_fmt.c, NEC IX terms; control_ios.c, Cisco IOS
 * terms) both need to read it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "control_snap.h"

static int snap_grow(void **p, size_t *cap, size_t n, size_t size)
{
	size_t ncap;
	void *q;

	if (n < *cap)
		return 0;
	ncap = *cap ? 2 * *cap : 8;
	q = reallocarray(*p, ncap, size);
	if (!q)
		return -ENOMEM;
	*p = q;
	*cap = ncap;
	return 0;
}

int snap_ike(const struct ike_sa_info *i, void *arg)
{
	struct snap *s = arg;

	if (snap_grow((void **)&s->ike, &s->cap_ike, s->n_ike, sizeof(*i)))
		return -ENOMEM;
	s->ike[s->n_ike++] = *i;
	return 0;
}

int snap_child(const struct ike_child_info *c, void *arg)
{
	struct snap *s = arg;

	if (snap_grow((void **)&s->child, &s->cap_child, s->n_child,
		      sizeof(*c)))
		return -ENOMEM;
	s->child[s->n_child++] = *c;
	return 0;
}

int snap_event(const struct ike_event_info *ev, void *arg)
{
	struct snap *s = arg;

	if (snap_grow((void **)&s->ev, &s->cap_ev, s->n_ev, sizeof(*ev)))
		return -ENOMEM;
	s->ev[s->n_ev++] = *ev;
	return 0;
}

void snap_free(struct snap *s)
{
	free(s->ike);
	free(s->child);
	free(s->ev);
}

/* The address without its port, as "show ikev2 child-sa" shows it. */
const char *snap_addr(const struct sockaddr_storage *ss, char *buf,
			     size_t len)
{
	const void *a = ss->ss_family == AF_INET ?
		(const void *)&((const struct sockaddr_in *)ss)->sin_addr :
		(const void *)&((const struct sockaddr_in6 *)ss)->sin6_addr;

	if ((ss->ss_family != AF_INET && ss->ss_family != AF_INET6) ||
	    !inet_ntop(ss->ss_family, a, buf, (socklen_t)len))
		snprintf(buf, len, "-");
	return buf;
}

uint64_t snap_remain(uint64_t lifetime, uint64_t age)
{
	return lifetime > age ? lifetime - age : 0;
}

bool snap_child_of(const struct ike_child_info *c,
		     const struct ike_sa_info *i)
{
	return c->ike_spi_i == i->spi_i && c->ike_spi_r == i->spi_r &&
	       !strcmp(c->tunnel, i->tunnel);
}

const struct ike_sa_info *snap_ike_of(const struct snap *s,
					const struct ike_child_info *c)
{
	size_t i;

	for (i = 0; i < s->n_ike; i++)
		if (snap_child_of(c, &s->ike[i]))
			return &s->ike[i];
	return NULL;
}


int snap_take(const struct ike_engine *e, struct snap *s, uint64_t now_ms)
{
	int ret = ike_engine_foreach_ike_sa(e, snap_ike, s, now_ms);

	return ret ? ret : ike_engine_foreach_child_sa(e, snap_child, s, now_ms);
}
