// SPDX-License-Identifier: GPL-2.0
/*
 * The checks of an IOS file that need all of it, and its notices.
 *
 * Errors: what cannot work at all (an ISAKMP policy left at IOS's
 * default rsa-sig, a tunnel without a destination, a crypto map access
 * list that would route the peer itself into the device, ...).
 * Warnings: what IOS itself leaves down or reads differently (a crypto
 * map entry without a peer, access list or interface stays down, as on
 * IOS; a protected tunnel without "tunnel mode ipsec ipv4" is GRE on IOS).
 * Notices: what is read but cannot act until a feature lands (esp-seal,
 * "crypto isakmp nat keepalive").
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "policy.h"
#include "policy_ios.h"
#include "policy_priv.h"

struct policy_ios_checker {
	const struct policy_config *cfg;
	const struct policy_ios *ios;
	policy_report_fn *report;
	void *ctx;
	unsigned int errors;
};

__attribute__((format(printf, 4, 5)))
static void policy_ios_say(struct policy_ios_checker *c,
			   const struct policy_loc *loc,
			   enum policy_severity sev, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (sev == POLICY_ERROR)
		c->errors++;
	c->report(c->ctx, loc, sev, msg);
}

static void policy_ios_check_policies(struct policy_ios_checker *c)
{
	for (size_t i = 0; i < c->ios->n_policy; i++) {
		const struct policy_isakmp_policy *p = c->ios->policy[i];

		if (p->auth == POLICY_V1_AUTH_PSK)
			continue;
		policy_ios_say(c, &p->loc, POLICY_ERROR,
			       "crypto isakmp policy %u has no 'authentication' line, so IOS's default rsa-sig applies, which is not supported yet (certificates); expected 'authentication pre-share'",
			       p->prio);
	}
}

/* IOS takes a keyring's name before the keyring; so do we, with a word. */
static void policy_ios_check_profiles(struct policy_ios_checker *c)
{
	for (size_t i = 0; i < c->ios->n_profile; i++) {
		const struct policy_isakmp_profile *p = c->ios->profile[i];

		for (int k = 0; k < p->n_keyring; k++) {
			if (!p->keyring[k])
				policy_ios_say(c, &p->keyring_loc[k], POLICY_WARNING,
					       "keyring %s is not configured; profile %s finds no key in it until it is",
					       p->keyring_name[k], p->name);
		}
	}
}

static void policy_ios_check_identity(struct policy_ios_checker *c)
{
	const struct policy_ios *ios = c->ios;

	if (ios->identity == POLICY_V1_ID_HOSTNAME && !ios->hostname[0])
		policy_ios_say(c, &ios->floc[POLICY_IOSF_IDENTITY], POLICY_ERROR,
			       "'crypto isakmp identity hostname' needs the host name; expected 'hostname NAME' (and 'ip domain name DOMAIN')");
	for (size_t i = 0; i < ios->n_profile; i++) {
		const struct policy_isakmp_profile *p = ios->profile[i];

		if (p->floc[POLICY_IPF_SELF_ID].line &&
		    p->self_id == POLICY_V1_ID_HOSTNAME && !ios->hostname[0])
			policy_ios_say(c, &p->floc[POLICY_IPF_SELF_ID], POLICY_ERROR,
				       "'self-identity fqdn' needs the host name; expected 'hostname NAME' (and 'ip domain name DOMAIN')");
	}
}

/*
 * What SEAL-only costs each user of transform set ts: "crypto map cisco
 * 10 cannot come up; interface ikevti1 proposes only its other transform
 * sets".  Returns the number of users.
 */
static size_t policy_tset_users(const struct policy_ios *ios,
				const struct policy_transform_set *ts,
				char *buf, size_t len)
{
	struct policy_esp_kernel k;
	size_t n = 0, o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < ios->n_map + ios->n_iface; i++) {
		const struct policy_v1_sa *sa;
		char who[POLICY_NAME_MAX + 32];
		bool uses = false, other = false;

		if (i < ios->n_map) {
			sa = &ios->map[i]->sa;
			snprintf(who, sizeof(who), "crypto map %s %u",
				 ios->map[i]->map, ios->map[i]->seq);
		} else {
			const struct policy_ios_if *f = ios->iface[i - ios->n_map];

			if (!f->tunnel || !f->profile)
				continue;
			sa = &f->profile->sa;
			snprintf(who, sizeof(who), "interface %s", f->name);
		}
		for (int t = 0; t < sa->n_tset; t++) {
			uses |= sa->tset[t] == ts;
			other |= sa->tset[t] && policy_esp_kernel(sa->tset[t], &k);
		}
		if (!uses)
			continue;
		if (o < len)
			o += (size_t)snprintf(buf + o, len - o, "%s%s %s",
					      n ? "; " : "", who, other ?
					      "proposes only its other transform sets" :
					      "cannot come up");
		n++;
	}
	return n;
}

static void policy_ios_check_tsets(struct policy_ios_checker *c)
{
	for (size_t i = 0; i < c->ios->n_tset; i++) {
		const struct policy_transform_set *ts = c->ios->tset[i];
		struct policy_loc loc = { ts->loc.line, ts->enc_col };
		char users[400];

		if (ts->enc != POLICY_ESP_ENC_SEAL)
			continue;
		if (!policy_tset_users(c->ios, ts, users, sizeof(users)))
			policy_ios_say(c, &loc, POLICY_NOTICE,
				       "esp-seal is not implemented by the ikevti module yet; transform set %s is not used",
				       ts->name);
		else
			policy_ios_say(c, &loc, POLICY_NOTICE,
				       "esp-seal is not implemented by the ikevti module yet; %s",
				       users);
	}
	if (c->ios->floc[POLICY_IOSF_NAT_KEEPALIVE].line)
		policy_ios_say(c, &c->ios->floc[POLICY_IOSF_NAT_KEEPALIVE],
			       POLICY_NOTICE,
			       "crypto isakmp nat keepalive %u cannot act until NAT traversal (UDP-encapsulated ESP) is implemented; no NAT keepalives are sent",
			       c->ios->nat_keepalive);
}

static void policy_ios_check_vti(struct policy_ios_checker *c,
				 const struct policy_ios_if *f)
{
	const struct policy_ios *ios = c->ios;

	if (f->floc[POLICY_IFF_CRYPTO_MAP].line)
		policy_ios_say(c, &f->floc[POLICY_IFF_CRYPTO_MAP], POLICY_ERROR,
			       "interface %s is a tunnel; expected 'crypto map' on the interface it runs over",
			       f->name);
	if (!f->floc[POLICY_IFF_DEST].line)
		policy_ios_say(c, &f->loc, POLICY_ERROR,
			       "interface %s has tunnel lines but no 'tunnel destination'; expected 'tunnel destination ADDRESS'",
			       f->name);
	if (!f->floc[POLICY_IFF_PROTECTION].line)
		policy_ios_say(c, &f->loc, POLICY_ERROR,
			       "interface %s has no 'tunnel protection'; expected 'tunnel protection ipsec profile NAME' (an ikevti tunnel is IPsec)",
			       f->name);
	else if (!f->floc[POLICY_IFF_MODE].line)
		policy_ios_say(c, &f->floc[POLICY_IFF_PROTECTION], POLICY_WARNING,
			       "interface %s has no 'tunnel mode ipsec ipv4': IOS runs GRE over IPsec here, ikevti an IPsec VTI; an IOS peer needs 'tunnel mode ipsec ipv4' too",
			       f->name);
	if (f->source.ifname[0]) {
		const struct policy_ios_if *s = policy_ios_if_find(ios, f->source.ifname);

		if (s && s->tunnel)
			policy_ios_say(c, &f->floc[POLICY_IFF_SOURCE], POLICY_ERROR,
				       "the tunnel source of interface %s is the tunnel %s; expected an underlay interface or address",
				       f->name, s->name);
	}
	for (size_t i = 0; i < ios->n_iface && ios->iface[i] != f; i++) {
		const struct policy_ios_if *o = ios->iface[i];

		if (!o->tunnel || !f->floc[POLICY_IFF_DEST].line ||
		    !policy_addr_equal(&o->dest, &f->dest) ||
		    strcmp(o->source.ifname, f->source.ifname) ||
		    !policy_addr_equal(&o->source.addr, &f->source.addr))
			continue;
		policy_ios_say(c, &f->floc[POLICY_IFF_DEST], POLICY_ERROR,
			       "interface %s has the same tunnel source and destination as interface %s (line %u); expected a different source or destination for each tunnel",
			       f->name, o->name, o->floc[POLICY_IFF_DEST].line);
		break;
	}
}

static void policy_ios_check_ifaces(struct policy_ios_checker *c)
{
	const struct policy_ios *ios = c->ios;

	for (size_t i = 0; i < ios->n_iface; i++) {
		const struct policy_ios_if *f = ios->iface[i];

		if (f->tunnel) {
			policy_ios_check_vti(c, f);
			continue;
		}
		for (size_t k = 0; k < i && f->crypto_map[0]; k++) {
			if (!strcmp(ios->iface[k]->crypto_map, f->crypto_map)) {
				policy_ios_say(c, &f->floc[POLICY_IFF_CRYPTO_MAP], POLICY_ERROR,
					       "crypto map %s is already applied to interface %s (line %u); expected it on one interface",
					       f->crypto_map, ios->iface[k]->name,
					       ios->iface[k]->floc[POLICY_IFF_CRYPTO_MAP].line);
				break;
			}
		}
	}
}

/* "10.3.0.0/24": access list addresses are prefixes (cfg_ios_ipsec.c). */
static void policy_ts_str(const struct policy_ts *ts, char *buf, size_t len)
{
	char a[INET_ADDRSTRLEN];
	int plen = 0;

	while (plen < 32 && !((ts->start[plen / 8] ^ ts->end[plen / 8]) &
			      (0x80 >> (plen % 8))))
		plen++;
	inet_ntop(AF_INET, ts->start, a, sizeof(a));
	snprintf(buf, len, "%s/%d", a, plen);
}

static bool policy_ts_holds(const struct policy_ts *ts,
			    const struct policy_addr *a)
{
	return a->family == AF_INET && memcmp(a->a, ts->start, 4) >= 0 &&
	       memcmp(a->a, ts->end, 4) <= 0;
}

/* The access list of a crypto map entry as selectors and routes. */
static void policy_ios_check_acl(struct policy_ios_checker *c,
				 const struct policy_crypto_map *m)
{
	const struct policy_acl *acl = m->acl;
	size_t permits = 0;

	for (size_t i = 0; i < acl->n; i++) {
		const struct policy_acl_entry *e = &acl->e[i];
		char range[40];

		if (!e->permit) {
			policy_ios_say(c, &e->loc, POLICY_ERROR,
				       "access-list %u is the traffic of crypto map %s %u, and 'deny' is not supported there (ikevti routes each permitted network into its device); expected permit lines only",
				       acl->number, m->map, m->seq);
			continue;
		}
		if (++permits > POLICY_V1_ACL_MAX) {
			policy_ios_say(c, &e->loc, POLICY_ERROR,
				       "access-list %u has more than %d permit lines; expected at most %d for crypto map %s %u",
				       acl->number, POLICY_V1_ACL_MAX,
				       POLICY_V1_ACL_MAX, m->map, m->seq);
			return;
		}
		policy_ts_str(&e->dst, range, sizeof(range));
		if (policy_ts_holds(&e->dst, &m->peer))
			policy_ios_say(c, &e->loc, POLICY_ERROR,
				       "access-list %u would route %s, which holds the peer of crypto map %s %u, into its device %s: IKE and ESP would loop; expected remote networks without the peer",
				       acl->number, range, m->map, m->seq, m->ifname);
		else if (e->proto || e->dst.port_start || e->src.port_start)
			policy_ios_say(c, &e->loc, POLICY_WARNING,
				       "access-list %u protects only some traffic to %s, but ikevti routes all of it into %s: the rest is dropped there, where IOS sends it in clear",
				       acl->number, range, m->ifname);
	}
}

static void policy_ios_check_maps(struct policy_ios_checker *c)
{
	const struct policy_ios *ios = c->ios;

	for (size_t i = 0; i < ios->n_map; i++) {
		const struct policy_crypto_map *m = ios->map[i];
		const struct policy_v1_sa *sa = &m->sa;

		if (policy_ios_if_find(ios, m->ifname))
			policy_ios_say(c, &m->loc, POLICY_ERROR,
				       "crypto map %s %u becomes the device %s, which is also an interface of this file; expected another map name",
				       m->map, m->seq, m->ifname);
		if (!sa->loc[POLICY_V1_SF_PEER].line)
			policy_ios_say(c, &m->loc, POLICY_WARNING,
				       "crypto map %s %u has no 'set peer'; it stays down until it has, as on IOS",
				       m->map, m->seq);
		if (!sa->loc[POLICY_V1_SF_TSET].line)
			policy_ios_say(c, &m->loc, POLICY_WARNING,
				       "crypto map %s %u has no 'set transform-set'; it stays down until it has, as on IOS",
				       m->map, m->seq);
		if (!sa->loc[POLICY_V1_SF_ACL].line)
			policy_ios_say(c, &m->loc, POLICY_WARNING,
				       "crypto map %s %u has no 'match address'; it stays down until it has, as on IOS",
				       m->map, m->seq);
		else if (!m->acl)
			policy_ios_say(c, &sa->loc[POLICY_V1_SF_ACL], POLICY_WARNING,
				       "access-list %u is not configured; crypto map %s %u stays down until it is, as on IOS",
				       m->acl_number, m->map, m->seq);
		else
			policy_ios_check_acl(c, m);
		if (!m->applied && (!i || strcmp(ios->map[i - 1]->map, m->map)))
			policy_ios_say(c, &m->loc, POLICY_WARNING,
				       "crypto map %s is not applied to an interface ('crypto map %s' there); its entries stay down, as on IOS",
				       m->map, m->map);
	}
}

unsigned int policy_ios_check(const struct policy_config *cfg,
			      policy_report_fn *report, void *ctx)
{
	struct policy_ios_checker c = { cfg, cfg->ios, report, ctx, 0 };

	if (!cfg->ios)
		return 0;
	policy_ios_check_policies(&c);
	policy_ios_check_profiles(&c);
	policy_ios_check_identity(&c);
	policy_ios_check_tsets(&c);
	policy_ios_check_ifaces(&c);
	policy_ios_check_maps(&c);
	return c.errors;
}
