// SPDX-License-Identifier: GPL-2.0
/*
 * The effective IKEv1 policy of one ikevti device of an IOS file: a
 * "tunnel protection" interface (a VTI) or a crypto map entry, with
 * every setting looked up the way IOS does:
 *
 *	ISAKMP profile	the IPsec profile's or map's "set isakmp-profile",
 *			else the most specific "match identity address"
 *			of the peer (seed 002), else none;
 *	local identity	the profile's self-identity, else "crypto isakmp
 *			identity", else the address;
 *	DPD		the profile's keepalive, else "crypto isakmp
 *			keepalive", else off;
 *	IPsec SA	the IPsec profile's or map's "set" lines, else
 *			"crypto ipsec security-association lifetime",
 *			else 3600 s and 4608000 KB; no PFS.
 *
 * ISAKMP policies are global in IOS: every tunnel offers all of them,
 * in priority order.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "policy.h"
#include "policy_ios.h"
#include "policy_priv.h"

size_t policy_v1_count(const struct policy_config *cfg)
{
	const struct policy_ios *ios = cfg->ios;
	size_t n = 0;

	if (!ios)
		return 0;
	for (size_t i = 0; i < ios->n_iface; i++)
		n += ios->iface[i]->tunnel;
	return n + ios->n_map;
}

static void policy_v1_any(struct policy_ts *ts)
{
	memset(ts, 0, sizeof(*ts));
	ts->family = AF_INET;
	memset(ts->end, 0xff, 4);
	ts->port_end = 65535;
}

/* The prefix length of a range, or -1 when it is not a prefix. */
static int policy_v1_plen(const struct policy_ts *ts)
{
	int plen = 0, alen = ts->family == AF_INET ? 4 : 16;

	for (int bit = 0; bit < alen * 8; bit++) {
		int m = 0x80 >> (bit % 8);
		bool sb = ts->start[bit / 8] & m, eb = ts->end[bit / 8] & m;

		if (sb == eb && plen == bit)
			plen++;
		else if (sb || !eb)
			return -1;
	}
	return plen;
}

static void policy_v1_route(struct policy_v1_effective *e,
			    const struct policy_ts *dst,
			    const struct policy_loc *loc)
{
	int plen = policy_v1_plen(dst);
	struct policy_v1_route r = { .loc = *loc };

	if (plen < 0 || e->n_routes >= POLICY_V1_ACL_MAX)
		return;		/* the parser takes only prefixes */
	r.prefix.family = dst->family;
	memcpy(r.prefix.a, dst->start, sizeof(r.prefix.a));
	r.plen = (uint8_t)plen;
	for (int i = 0; i < e->n_routes; i++) {
		if (e->routes[i].plen == r.plen &&
		    policy_addr_equal(&e->routes[i].prefix, &r.prefix))
			return;
	}
	e->routes[e->n_routes++] = r;
}

static void policy_v1_set(struct policy_v1_effective *e, enum policy_v1_ef f,
			  uint8_t origin, const struct policy_loc *loc)
{
	e->origin[f] = origin;
	e->loc[f] = *loc;
}

/* The "set" lines of an IPsec profile or a crypto map entry. */
static void policy_v1_phase2(const struct policy_ios *ios,
			     const struct policy_v1_sa *sa, uint8_t origin,
			     struct policy_v1_effective *e)
{
	e->n_tset = sa->n_tset;
	for (int i = 0; i < sa->n_tset; i++)
		e->tset[i] = sa->tset[i];
	policy_v1_set(e, POLICY_V1_EF_TSET, origin, &sa->loc[POLICY_V1_SF_TSET]);
	e->pfs = sa->pfs;
	if (sa->loc[POLICY_V1_SF_PFS].line)
		policy_v1_set(e, POLICY_V1_EF_PFS, origin,
			      &sa->loc[POLICY_V1_SF_PFS]);
	e->seconds = POLICY_V1_SA_SECONDS;
	e->kb = POLICY_V1_SA_KB;
	if (sa->loc[POLICY_V1_SF_SECONDS].line) {
		e->seconds = sa->seconds;
		policy_v1_set(e, POLICY_V1_EF_SECONDS, origin,
			      &sa->loc[POLICY_V1_SF_SECONDS]);
	} else if (ios->floc[POLICY_IOSF_SA_SECONDS].line) {
		e->seconds = ios->sa_seconds;
		policy_v1_set(e, POLICY_V1_EF_SECONDS, POLICY_V1_FROM_GLOBAL,
			      &ios->floc[POLICY_IOSF_SA_SECONDS]);
	}
	if (sa->loc[POLICY_V1_SF_KB].line) {
		e->kb = sa->kb;
		policy_v1_set(e, POLICY_V1_EF_KB, origin,
			      &sa->loc[POLICY_V1_SF_KB]);
	} else if (ios->floc[POLICY_IOSF_SA_KB].line) {
		e->kb = ios->sa_kb;
		policy_v1_set(e, POLICY_V1_EF_KB, POLICY_V1_FROM_GLOBAL,
			      &ios->floc[POLICY_IOSF_SA_KB]);
	}
}

/* Profile, identity, DPD and mode: what phase 1 needs. */
static void policy_v1_phase1(const struct policy_config *cfg,
			     const struct policy_v1_sa *sa, uint8_t origin,
			     struct policy_v1_effective *e)
{
	const struct policy_ios *ios = cfg->ios;
	const struct policy_isakmp_profile *p = sa ? sa->profile : NULL;
	struct policy_v1_where where = { e->local.addr, NULL };

	e->policy = (const struct policy_isakmp_policy *const *)ios->policy;
	e->n_policy = ios->n_policy;
	if (p) {
		policy_v1_set(e, POLICY_V1_EF_PROFILE, origin,
			      &sa->loc[POLICY_V1_SF_PROFILE]);
	} else if (e->peer.family) {
		where.ifname = e->local.ifname[0] ? e->local.ifname : NULL;
		p = policy_v1_profile_by_addr(cfg, &e->peer, &where);
		e->profile_by_addr = p != NULL;
		if (p)
			policy_v1_set(e, POLICY_V1_EF_PROFILE,
				      POLICY_V1_FROM_ISAKMP_PROFILE, &p->loc);
	}
	e->profile = p;

	e->local_id = ios->identity;
	if (p && p->floc[POLICY_IPF_SELF_ID].line) {
		e->local_id = p->self_id;
		policy_v1_set(e, POLICY_V1_EF_LOCAL_ID,
			      POLICY_V1_FROM_ISAKMP_PROFILE,
			      &p->floc[POLICY_IPF_SELF_ID]);
	} else if (ios->floc[POLICY_IOSF_IDENTITY].line) {
		policy_v1_set(e, POLICY_V1_EF_LOCAL_ID, POLICY_V1_FROM_GLOBAL,
			      &ios->floc[POLICY_IOSF_IDENTITY]);
	}
	memset(&e->local_fqdn, 0, sizeof(e->local_fqdn));
	if (e->local_id == POLICY_V1_ID_HOSTNAME) {
		char fqdn[POLICY_FQDN_MAX + 80];
		size_t n;

		n = (size_t)snprintf(fqdn, sizeof(fqdn), "%s%s%s", ios->hostname,
				     ios->domain[0] ? "." : "", ios->domain);
		e->local_fqdn.type = POLICY_ID_FQDN;
		e->local_fqdn.len = (uint8_t)(n < POLICY_ID_MAX ? n : POLICY_ID_MAX);
		memcpy(e->local_fqdn.data, fqdn, e->local_fqdn.len);
	} else if (e->local_id == POLICY_V1_ID_USER_FQDN && p) {
		size_t n = strlen(p->self_user);

		e->local_fqdn.type = POLICY_ID_EMAIL;
		e->local_fqdn.len = (uint8_t)n;
		memcpy(e->local_fqdn.data, p->self_user, n);
	}

	if (p && p->floc[POLICY_IPF_KEEPALIVE].line) {
		e->dpd = p->dpd;
		policy_v1_set(e, POLICY_V1_EF_DPD, POLICY_V1_FROM_ISAKMP_PROFILE,
			      &p->floc[POLICY_IPF_KEEPALIVE]);
	} else if (ios->floc[POLICY_IOSF_KEEPALIVE].line) {
		e->dpd = ios->dpd;
		policy_v1_set(e, POLICY_V1_EF_DPD, POLICY_V1_FROM_GLOBAL,
			      &ios->floc[POLICY_IOSF_KEEPALIVE]);
	}
	if (p && p->aggressive) {
		e->aggressive = true;
		policy_v1_set(e, POLICY_V1_EF_MODE, POLICY_V1_FROM_ISAKMP_PROFILE,
			      &p->floc[POLICY_IPF_AGGRESSIVE]);
	}
	e->natt_keepalive = ios->nat_keepalive;
}

static void policy_v1_why_not(struct policy_v1_effective *e, const char *why)
{
	if (!e->can_come_up)
		return;
	e->can_come_up = false;
	snprintf(e->why_not, sizeof(e->why_not), "%s", why);
}

/* Can any transform set work?  SEAL-only cannot, until the module has it. */
static void policy_v1_check_tsets(struct policy_v1_effective *e)
{
	struct policy_esp_kernel k;
	int usable = 0;

	for (int i = 0; i < e->n_tset; i++)
		usable += e->tset[i] && policy_esp_kernel(e->tset[i], &k);
	if (!e->n_tset)
		policy_v1_why_not(e, "no transform set");
	else if (!usable)
		policy_v1_why_not(e, "esp-seal is not implemented by the ikevti module yet");
}

static void policy_v1_vti(const struct policy_config *cfg,
			  const struct policy_ios_if *f,
			  struct policy_v1_effective *e)
{
	const struct policy_ios *ios = cfg->ios;
	const struct policy_ipsec_profile *ip = f->profile;

	e->kind = POLICY_V1_VTI;
	e->iface = f;
	snprintf(e->ifname, sizeof(e->ifname), "%s", f->name);
	e->shutdown = f->shutdown;
	e->peer = f->dest;
	e->local = f->source;
	if (f->source.ifname[0]) {
		const struct policy_ios_if *src = policy_ios_if_find(ios, f->source.ifname);

		snprintf(e->underlay, sizeof(e->underlay), "%s", f->source.ifname);
		if (src && src->floc[POLICY_IFF_ADDR].line)
			e->local.addr = src->addr;
	}
	policy_v1_phase1(cfg, ip ? &ip->sa : NULL, POLICY_V1_FROM_IPSEC_PROFILE, e);
	if (ip)
		policy_v1_phase2(ios, &ip->sa, POLICY_V1_FROM_IPSEC_PROFILE, e);
	e->n_ts = 1;
	policy_v1_any(&e->ts[0].local);
	policy_v1_any(&e->ts[0].remote);
	e->ts[0].loc = f->floc[POLICY_IFF_PROTECTION];
	for (size_t i = 0; i < ios->n_route; i++) {
		const struct policy_route *r = &ios->route[i];
		struct policy_v1_route vr = { r->prefix, r->plen, r->via, r->loc };

		if (r->tunnel == f && e->n_routes < POLICY_V1_ACL_MAX)
			e->routes[e->n_routes++] = vr;
	}
	if (!f->floc[POLICY_IFF_DEST].line)
		policy_v1_why_not(e, "no tunnel destination");
	else if (!ip)
		policy_v1_why_not(e, "no tunnel protection");
}

static void policy_v1_map(const struct policy_config *cfg,
			  const struct policy_crypto_map *m,
			  struct policy_v1_effective *e)
{
	const struct policy_ios *ios = cfg->ios;
	const struct policy_ios_if *at = m->applied;

	e->kind = POLICY_V1_CRYPTO_MAP;
	e->map = m;
	snprintf(e->ifname, sizeof(e->ifname), "%s", m->ifname);
	e->peer = m->peer;
	if (at) {
		e->shutdown = at->shutdown;
		snprintf(e->underlay, sizeof(e->underlay), "%s", at->name);
		snprintf(e->local.ifname, sizeof(e->local.ifname), "%s", at->name);
		if (at->floc[POLICY_IFF_ADDR].line)
			e->local.addr = at->addr;
	}
	policy_v1_phase1(cfg, &m->sa, POLICY_V1_FROM_CRYPTO_MAP, e);
	policy_v1_phase2(ios, &m->sa, POLICY_V1_FROM_CRYPTO_MAP, e);
	for (size_t i = 0; m->acl && i < m->acl->n; i++) {
		const struct policy_acl_entry *a = &m->acl->e[i];

		if (!a->permit || e->n_ts >= POLICY_V1_ACL_MAX)
			continue;
		e->ts[e->n_ts].local = a->src;
		e->ts[e->n_ts].remote = a->dst;
		e->ts[e->n_ts].loc = a->loc;
		e->n_ts++;
		policy_v1_route(e, &a->dst, &a->loc);
	}
	if (!m->sa.loc[POLICY_V1_SF_PEER].line)
		policy_v1_why_not(e, "no 'set peer'");
	else if (!m->sa.loc[POLICY_V1_SF_ACL].line)
		policy_v1_why_not(e, "no 'match address'");
	else if (!m->acl)
		policy_v1_why_not(e, "its access list is not configured");
	else if (!at)
		policy_v1_why_not(e, "the map is not applied to an interface");
}

void policy_v1_effective(const struct policy_config *cfg, size_t i,
			 struct policy_v1_effective *e)
{
	const struct policy_ios *ios = cfg->ios;

	memset(e, 0, sizeof(*e));
	e->create = true;
	e->can_come_up = true;
	e->seconds = POLICY_V1_SA_SECONDS;
	e->kb = POLICY_V1_SA_KB;
	for (size_t k = 0; ios && k < ios->n_iface; k++) {
		if (!ios->iface[k]->tunnel)
			continue;
		if (!i--) {
			policy_v1_vti(cfg, ios->iface[k], e);
			goto done;
		}
	}
	if (!ios || i >= ios->n_map) {
		policy_v1_why_not(e, "no such tunnel");
		return;
	}
	policy_v1_map(cfg, ios->map[i], e);
done:
	policy_v1_check_tsets(e);
}

bool policy_v1_find(const struct policy_config *cfg, const char *ifname,
		    struct policy_v1_effective *e)
{
	size_t n = policy_v1_count(cfg);
	struct policy_v1_effective *tmp = e;
	bool found = false;

	if (!n)
		return false;
	if (!tmp) {
		tmp = malloc(sizeof(*tmp));
		if (!tmp)
			return false;
	}
	for (size_t i = 0; i < n && !found; i++) {
		policy_v1_effective(cfg, i, tmp);
		found = !strcmp(tmp->ifname, ifname);
	}
	if (!e)
		free(tmp);
	return found;
}
