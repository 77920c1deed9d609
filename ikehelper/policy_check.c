// SPDX-License-Identifier: GPL-2.0
/*
 * The checks of the policy model that need the whole file: bindings,
 * keys for every ID used, peers, address families, tunnels that cannot
 * be told apart.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "policy.h"
#include "policy_ios.h"

struct policy_checker {
	const struct policy_config *cfg;
	policy_report_fn *report;
	void *ctx;
	unsigned int errors;
};

__attribute__((format(printf, 4, 5)))
static void policy_say(struct policy_checker *c, const struct policy_loc *loc,
		       bool warning, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!warning)
		c->errors++;
	c->report(c->ctx, loc, warning ? POLICY_WARNING : POLICY_ERROR, msg);
}

static bool policy_ts_has(const struct policy_ts_list *l, int family)
{
	if (!l->n)
		return true;
	for (int i = 0; i < l->n; i++) {
		if (l->ts[i].family == family)
			return true;
	}
	return false;
}

static const char *policy_family_name(int family)
{
	return family == AF_INET ? "IPv4" : "IPv6";
}

static void policy_check_psk(struct policy_checker *c,
			     const struct policy_loc *loc, const char *whose,
			     const struct policy_id *id)
{
	char ids[2 * POLICY_ID_MAX + 16];

	policy_id_format(id, ids, sizeof(ids));
	policy_say(c, loc, false,
		   "no pre-shared key for %s id %s; expected 'ikev2 authentication psk id %s key char|hex KEY'",
		   whose, ids, ids);
}

/* Two tunnels that an incoming IKE_AUTH could not tell apart. */
static bool policy_same_peer(const struct policy_effective *a,
			     const struct policy_effective *b)
{
	const struct policy_peer *pa = &a->tunnel->peer, *pb = &b->tunnel->peer;

	if (pa->kind != pb->kind || !policy_id_equal(&a->peer_id, &b->peer_id))
		return false;
	if (pa->kind == POLICY_PEER_ADDR && !policy_addr_equal(&pa->addr, &pb->addr))
		return false;
	if (pa->kind == POLICY_PEER_FQDN && strcasecmp(pa->fqdn, pb->fqdn))
		return false;
	/* A fixed source or interface tells them apart (seed 003, 2.25.2.3.3). */
	if (!policy_addr_equal(&a->v.source, &b->v.source) ||
	    strcmp(a->v.outgoing.ifname, b->v.outgoing.ifname))
		return false;
	return true;
}

static void policy_check_tunnel(struct policy_checker *c, size_t ti,
				const struct policy_effective *e)
{
	const struct policy_config *cfg = c->cfg;
	const struct policy_tunnel *t = e->tunnel;
	const char *ifn = t->ifname;
	int pfam = t->peer.kind == POLICY_PEER_ADDR ? t->peer.addr.family : 0;

	if (t->binding[0] && !e->profile)
		policy_say(c, &t->tloc[POLICY_T_BINDING], false,
			   "no ikev2 profile named '%s'; expected the name of an 'ikev2 profile'",
			   t->binding);
	if (!t->peer.kind)
		policy_say(c, &t->loc, false,
			   "interface %s has no 'ikev2 peer'; expected 'ikev2 peer ADDRESS|any authentication psk id TYPE VALUE'",
			   ifn);
	if (e->v.local_auth == POLICY_AUTH_NONE)
		policy_say(c, &t->loc, false,
			   "interface %s has no local-authentication; expected 'local-authentication psk id TYPE VALUE' in ikev2 default-profile or its profile, or 'ikev2 local-authentication' here",
			   ifn);
	if (e->v.local_auth == POLICY_AUTH_PSK && !e->local_psk)
		policy_check_psk(c, &e->v.loc[POLICY_F_LOCAL_AUTH], "local",
				 &e->v.local_id);
	if (t->peer.auth == POLICY_AUTH_PSK && !e->peer_psk)
		policy_check_psk(c, &t->tloc[POLICY_T_PEER], "peer", &e->peer_id);
	if (t->connect_auto && t->peer.kind == POLICY_PEER_ANY)
		policy_say(c, &t->tloc[POLICY_T_CONNECT], false,
			   "connect-type auto needs a peer address; expected 'ikev2 peer ADDRESS', as 'ikev2 peer any' can only answer");

	if (pfam && e->v.source.family && e->v.source.family != pfam)
		policy_say(c, &e->v.loc[POLICY_F_SOURCE], false,
			   "source-address is %s but the peer of interface %s is %s; expected an %s address",
			   policy_family_name(e->v.source.family), ifn,
			   policy_family_name(pfam), policy_family_name(pfam));
	if (pfam && e->v.outgoing.ifname[0] && !e->v.outgoing.nexthop_auto &&
	    e->v.outgoing.nexthop.family != pfam)
		policy_say(c, &e->v.loc[POLICY_F_OUTGOING], false,
			   "the next hop of outgoing-interface is %s but the peer of interface %s is %s; expected an %s address or auto",
			   policy_family_name(e->v.outgoing.nexthop.family), ifn,
			   policy_family_name(pfam), policy_family_name(pfam));
	if (!(policy_ts_has(&e->v.local_ts, AF_INET) &&
	      policy_ts_has(&e->v.remote_ts, AF_INET)) &&
	    !(policy_ts_has(&e->v.local_ts, AF_INET6) &&
	      policy_ts_has(&e->v.remote_ts, AF_INET6)))
		policy_say(c, e->v.loc[POLICY_F_REMOTE_TS].line ?
			   &e->v.loc[POLICY_F_REMOTE_TS] :
			   &e->v.loc[POLICY_F_LOCAL_TS], false,
			   "local-ts and remote-ts of interface %s share no address family; expected both to cover IPv4 or IPv6",
			   ifn);

	/* The responder picks the IKE SA proposal before it sees an ID. */
	if (t->peer.kind == POLICY_PEER_ANY) {
		for (int f = POLICY_F_SA_ENC; f <= POLICY_F_SA_DH; f++) {
			if (e->origin[f] != POLICY_FROM_TUNNEL &&
			    e->origin[f] != POLICY_FROM_PROFILE)
				continue;
			policy_say(c, &e->v.loc[f], true,
				   "%s is not used when interface %s answers as 'ikev2 peer any': IKE_SA_INIT carries no ID; set it in ikev2 default-profile",
				   policy_field_name(f), ifn);
		}
	}
	for (size_t i = 0; i < ti && t->peer.kind; i++) {
		struct policy_effective o;

		policy_effective(cfg, cfg->tunnel[i], &o);
		if (policy_same_peer(e, &o)) {
			policy_say(c, &t->tloc[POLICY_T_PEER], false,
				   "interface %s has the same peer and peer id as interface %s (line %u); expected a different id for each tunnel",
				   ifn, o.tunnel->ifname,
				   o.tunnel->tloc[POLICY_T_PEER].line);
			break;
		}
	}
}

unsigned int policy_check(const struct policy_config *cfg,
			  policy_report_fn *report, void *ctx)
{
	struct policy_checker c = { cfg, report, ctx, 0 };

	for (size_t i = 0; i < cfg->n_tunnel; i++) {
		struct policy_effective e;

		policy_effective(cfg, cfg->tunnel[i], &e);
		policy_check_tunnel(&c, i, &e);
	}
	if (cfg->ios)
		c.errors += policy_ios_check(cfg, report, ctx);
	return c.errors;
}
