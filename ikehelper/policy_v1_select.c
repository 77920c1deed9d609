// SPDX-License-Identifier: GPL-2.0
/*
 * Which pre-shared key, and which ISAKMP profile, serve an IKEv1 peer:
 * pure functions over the policy model, so that every case of seed 002
 * is a unit test (test_cfg_select.c).  See policy_ios.h for the rules;
 * each answer carries one log line that says why.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include <openssl/crypto.h>

#include "policy.h"
#include "policy_ios.h"
#include "policy_priv.h"

/* Is a inside prefix/plen? */
static bool policy_v1_in(const struct policy_addr *a,
			 const struct policy_addr *prefix, unsigned int plen)
{
	if (a->family != prefix->family)
		return false;
	for (unsigned int bit = 0; bit < plen; bit++) {
		unsigned int m = 0x80u >> (bit % 8);

		if ((a->a[bit / 8] & m) != (prefix->a[bit / 8] & m))
			return false;
	}
	return true;
}

/* Does a keyring's or profile's local-address allow this exchange? */
static bool policy_v1_local_ok(const struct policy_ios *ios,
			       const struct policy_v1_local *l,
			       const struct policy_v1_where *w)
{
	if (l->addr.family)
		return w && policy_addr_equal(&l->addr, &w->addr);
	if (l->ifname[0]) {
		const struct policy_ios_if *f = policy_ios_if_find(ios, l->ifname);

		if (w && w->ifname && !strcmp(w->ifname, l->ifname))
			return true;
		/* IOS: the interface's primary address (seed 000). */
		return w && f && f->floc[POLICY_IFF_ADDR].line &&
		       policy_addr_equal(&f->addr, &w->addr);
	}
	return true;
}

static void policy_v1_addr_str(const struct policy_addr *a, char *buf,
			       size_t len)
{
	if (!a->family || !inet_ntop(a->family, a->a, buf, (socklen_t)len))
		snprintf(buf, len, "(none)");
}

/* "keyring2 192.168.0.2/32 (line 4)" */
void policy_v1_psk_str(const struct policy_v1_psk *k, char *buf,
			      size_t len)
{
	char a[INET6_ADDRSTRLEN];

	if (k->host) {
		snprintf(buf, len, "%s host %s (line %u)", k->ring->name,
			 k->hostname, k->loc.line);
		return;
	}
	policy_v1_addr_str(&k->addr, a, sizeof(a));
	snprintf(buf, len, "%s %s/%u (line %u)", k->ring->name, a, k->plen,
		 k->loc.line);
}

struct policy_v1_cand {
	const struct policy_v1_psk *psk;
	int rank;			/* higher first */
	unsigned int order;		/* file order within a rank */
};

static void policy_v1_add(struct policy_v1_cand *c, size_t *n,
			  const struct policy_v1_psk *psk, int rank)
{
	if (*n >= POLICY_V1_KEYS_MAX)
		return;
	c[*n].psk = psk;
	c[*n].rank = rank;
	c[*n].order = (unsigned int)*n;
	(*n)++;
}

/* Stable: by rank, then in the order added. */
static void policy_v1_sort(struct policy_v1_cand *c, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct policy_v1_cand x = c[i];
		size_t k = i;

		for (; k > 0 && c[k - 1].rank < x.rank; k--)
			c[k] = c[k - 1];
		c[k] = x;
	}
}

static size_t policy_v1_finish(struct policy_v1_cand *c, size_t n,
			       const char *whom, const char *where,
			       struct policy_v1_keys *out)
{
	size_t o;

	policy_v1_sort(c, n);
	out->n = n;
	for (size_t i = 0; i < n; i++)
		out->psk[i] = c[i].psk;
	if (!n) {
		snprintf(out->reason, sizeof(out->reason),
			 "no pre-shared key for %s in %s", whom, where);
		return 0;
	}
	if (n == 1) {
		o = (size_t)snprintf(out->reason, sizeof(out->reason),
				     "the key for %s: ", whom);
	} else {
		o = (size_t)snprintf(out->reason, sizeof(out->reason),
				     "%zu keys fit %s: ", n, whom);
	}
	for (size_t i = 0; i < n && o < sizeof(out->reason); i++) {
		char k[POLICY_FQDN_MAX + 96];

		policy_v1_psk_str(out->psk[i], k, sizeof(k));
		o += (size_t)snprintf(out->reason + o, sizeof(out->reason) - o,
				      "%s%s%s", i ? ", " : "", k,
				      !i && n > 1 ? " (IOS's choice)" : "");
	}
	if (n > 1 && o < sizeof(out->reason))
		snprintf(out->reason + o, sizeof(out->reason) - o,
			 "; tried in this order until one authenticates");
	return n;
}

/* Address keys of one keyring that cover peer. */
static void policy_v1_ring_addr(const struct policy_ios *ios,
				const struct policy_keyring *r,
				const struct policy_addr *peer,
				const struct policy_v1_where *local,
				int bias, struct policy_v1_cand *c, size_t *n)
{
	if (!r || !policy_v1_local_ok(ios, &r->local, local))
		return;
	for (size_t i = 0; i < r->n_psk; i++) {
		const struct policy_v1_psk *k = &r->psk[i];

		if (!k->host && policy_v1_in(peer, &k->addr, k->plen))
			policy_v1_add(c, n, k, bias + k->plen);
	}
}

size_t policy_v1_keys_by_addr(const struct policy_config *cfg,
			      const struct policy_addr *peer,
			      const struct policy_v1_where *local,
			      const struct policy_isakmp_profile *profile,
			      struct policy_v1_keys *out)
{
	const struct policy_ios *ios = cfg->ios;
	struct policy_v1_cand c[POLICY_V1_KEYS_MAX];
	char whom[INET6_ADDRSTRLEN], where[POLICY_NAME_MAX + 64];
	size_t n = 0;

	memset(out, 0, sizeof(*out));
	policy_v1_addr_str(peer, whom, sizeof(whom));
	if (!ios)
		return policy_v1_finish(c, 0, whom, "a file without keyrings", out);
	if (profile) {
		/* The initiator knows its profile: its keyrings alone. */
		snprintf(where, sizeof(where), "the keyrings of profile %s",
			 profile->name);
		if (!profile->n_keyring)
			policy_v1_ring_addr(ios, &ios->default_ring, peer, local,
					    0, c, &n);
		for (int i = 0; i < profile->n_keyring; i++)
			policy_v1_ring_addr(ios, profile->keyring[i], peer, local,
					    0, c, &n);
		return policy_v1_finish(c, n, whom, where, out);
	}
	/* The default keyring first, then all the others together. */
	policy_v1_ring_addr(ios, &ios->default_ring, peer, local, 1000, c, &n);
	for (size_t i = 0; i < ios->n_keyring; i++)
		policy_v1_ring_addr(ios, ios->keyring[i], peer, local, 0, c, &n);
	return policy_v1_finish(c, n, whom,
				"the default keyring or any keyring", out);
}

size_t policy_v1_keys_by_id(const struct policy_config *cfg,
			    const struct policy_id *peer_id,
			    const struct policy_addr *peer,
			    const struct policy_v1_where *local,
			    struct policy_v1_keys *out)
{
	const struct policy_ios *ios = cfg->ios;
	struct policy_v1_cand c[POLICY_V1_KEYS_MAX];
	char whom[POLICY_FQDN_MAX + 8];
	size_t n = 0;

	if (!ios || peer_id->type != POLICY_ID_FQDN) {
		struct policy_addr a = *peer;

		if (peer_id->type == POLICY_ID_IPV4) {
			memset(&a, 0, sizeof(a));
			a.family = AF_INET;
			memcpy(a.a, peer_id->data, 4);
		}
		return policy_v1_keys_by_addr(cfg, &a, local, NULL, out);
	}
	memset(out, 0, sizeof(*out));
	snprintf(whom, sizeof(whom), "%.*s", peer_id->len,
		 (const char *)peer_id->data);
	for (size_t r = 0; r <= ios->n_keyring; r++) {
		const struct policy_keyring *ring = r ? ios->keyring[r - 1] :
			&ios->default_ring;

		if (!policy_v1_local_ok(ios, &ring->local, local))
			continue;
		for (size_t i = 0; i < ring->n_psk; i++) {
			const struct policy_v1_psk *k = &ring->psk[i];

			if (k->host && strlen(k->hostname) == peer_id->len &&
			    !strncasecmp(k->hostname, (const char *)peer_id->data,
					 peer_id->len))
				policy_v1_add(c, &n, k, r ? 0 : 1);
		}
	}
	return policy_v1_finish(c, n, whom,
				"the hostname keys of any keyring", out);
}

/* Profiles */

/* How specifically m matches the ID: -1 not at all, higher is closer. */
static int policy_v1_match_rank(const struct policy_v1_match *m,
				const struct policy_id *id)
{
	size_t dl;

	switch (m->kind) {
	case POLICY_V1_MATCH_ADDR: {
		struct policy_addr a = { 0 };

		if (id->type != POLICY_ID_IPV4 && id->type != POLICY_ID_IPV6)
			return -1;
		a.family = id->type == POLICY_ID_IPV4 ? AF_INET : AF_INET6;
		memcpy(a.a, id->data, id->type == POLICY_ID_IPV4 ? 4 : 16);
		return policy_v1_in(&a, &m->addr, m->plen) ? m->plen : -1;
	}
	case POLICY_V1_MATCH_HOST:
		if (id->type != POLICY_ID_FQDN || strlen(m->name) != id->len ||
		    strncasecmp(m->name, (const char *)id->data, id->len))
			return -1;
		return 1000;
	case POLICY_V1_MATCH_DOMAIN:
		dl = strlen(m->name);
		if (id->type != POLICY_ID_FQDN || id->len <= dl ||
		    id->data[id->len - dl - 1] != '.' ||
		    strncasecmp(m->name, (const char *)id->data + id->len - dl, dl))
			return -1;
		return 500 + (int)dl;
	}
	return -1;
}

static int policy_v1_profile_rank(const struct policy_ios *ios,
				  const struct policy_isakmp_profile *p,
				  const struct policy_id *id,
				  const struct policy_v1_where *local)
{
	int best = -1;

	if (!policy_v1_local_ok(ios, &p->local, local))
		return -1;
	for (int i = 0; i < p->n_match; i++) {
		int r = policy_v1_match_rank(&p->match[i], id);

		if (r > best)
			best = r;
	}
	return best;
}

/* The matching profiles, most specific first, ties in file order. */
static size_t policy_v1_matching(const struct policy_ios *ios,
				 const struct policy_id *id,
				 const struct policy_v1_where *local,
				 const struct policy_isakmp_profile **out,
				 int *rank, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < ios->n_profile && n < max; i++) {
		int r = policy_v1_profile_rank(ios, ios->profile[i], id, local);
		size_t k = n;

		if (r < 0)
			continue;
		for (; k > 0 && rank[k - 1] < r; k--) {
			out[k] = out[k - 1];
			rank[k] = rank[k - 1];
		}
		out[k] = ios->profile[i];
		rank[k] = r;
		n++;
	}
	return n;
}

/* Is key's keyring one of the profile's (IOS's check)? */
static bool policy_v1_same_ring(const struct policy_ios *ios,
				const struct policy_isakmp_profile *p,
				const struct policy_v1_psk *key)
{
	if (!p->n_keyring)
		return key->ring == &ios->default_ring;
	for (int i = 0; i < p->n_keyring; i++) {
		if (p->keyring[i] == key->ring)
			return true;
	}
	return false;
}

/* Does one of the profile's keyrings hold key's secret for this peer? */
static const struct policy_keyring *
policy_v1_holds(const struct policy_ios *ios,
		const struct policy_isakmp_profile *p,
		const struct policy_v1_psk *key, const struct policy_id *id,
		const struct policy_addr *peer,
		const struct policy_v1_where *local)
{
	int nr = p->n_keyring ? p->n_keyring : 1;

	for (int r = 0; r < nr; r++) {
		const struct policy_keyring *ring = p->n_keyring ?
			p->keyring[r] : &ios->default_ring;

		if (!ring || !policy_v1_local_ok(ios, &ring->local, local))
			continue;
		for (size_t i = 0; i < ring->n_psk; i++) {
			const struct policy_v1_psk *k = &ring->psk[i];
			bool fits = k->host ?
				id->type == POLICY_ID_FQDN &&
				strlen(k->hostname) == id->len &&
				!strncasecmp(k->hostname, (const char *)id->data,
					     id->len) :
				policy_v1_in(peer, &k->addr, k->plen);

			if (fits && k->key_len == key->key_len &&
			    !CRYPTO_memcmp(k->key, key->key, k->key_len))
				return ring;
		}
	}
	return NULL;
}

static void policy_v1_match_str(const struct policy_isakmp_profile *p,
				const struct policy_id *id, char *buf,
				size_t len)
{
	for (int i = 0; i < p->n_match; i++) {
		const struct policy_v1_match *m = &p->match[i];
		char a[INET6_ADDRSTRLEN];

		if (policy_v1_match_rank(m, id) < 0)
			continue;
		if (m->kind == POLICY_V1_MATCH_ADDR) {
			policy_v1_addr_str(&m->addr, a, sizeof(a));
			snprintf(buf, len, "match identity address %s/%u, line %u",
				 a, m->plen, m->loc.line);
		} else {
			snprintf(buf, len, "match identity host %s%s, line %u",
				 m->kind == POLICY_V1_MATCH_DOMAIN ? "domain " : "",
				 m->name, m->loc.line);
		}
		return;
	}
	snprintf(buf, len, "no match");
}

/*
 * The profile a tunnel to this peer names itself ("set isakmp-profile"):
 * the one its Quick Mode will ask for.
 */
static const struct policy_isakmp_profile *
policy_v1_tunnel_profile(const struct policy_config *cfg,
			 const struct policy_addr *peer)
{
	size_t n = policy_v1_count(cfg);

	for (size_t i = 0; i < n; i++) {
		struct policy_v1_effective e;

		policy_v1_effective(cfg, i, &e);
		if (e.profile && !e.profile_by_addr &&
		    policy_addr_equal(&e.peer, peer))
			return e.profile;
	}
	return NULL;
}

bool policy_v1_profile_by_id(const struct policy_config *cfg,
			     const struct policy_id *peer_id,
			     const struct policy_addr *peer,
			     const struct policy_v1_where *local,
			     const struct policy_v1_psk *key,
			     enum policy_v1_rules rules,
			     struct policy_v1_pick *out)
{
	const struct policy_isakmp_profile *m[16], *tp;
	const struct policy_ios *ios = cfg->ios;
	char ids[2 * POLICY_ID_MAX + 16], ks[POLICY_FQDN_MAX + 96];
	char why[POLICY_FQDN_MAX + 64];
	bool preferred = false;
	int rank[16];
	size_t n;

	memset(out, 0, sizeof(*out));
	policy_id_format(peer_id, ids, sizeof(ids));
	policy_v1_psk_str(key, ks, sizeof(ks));
	n = ios ? policy_v1_matching(ios, peer_id, local, m, rank, 16) : 0;
	if (!n) {
		out->ok = true;
		snprintf(out->reason, sizeof(out->reason),
			 "peer %.100s matches none of the profiles: the global settings apply (authenticated with the key of %.100s)",
			 ids, ks);
		return true;
	}
	if (rules == POLICY_V1_RULES_IOS) {
		out->profile = m[0];
		policy_v1_match_str(m[0], peer_id, why, sizeof(why));
		out->ok = policy_v1_same_ring(ios, m[0], key);
		snprintf(out->reason, sizeof(out->reason), out->ok ?
			 "peer %.100s matches profile %s (%.100s); the key of %.100s is in its keyrings" :
			 "peer %.100s matches profile %s (%.100s); the key of %.100s is not in its keyrings: aborting",
			 ids, m[0]->name, why, ks);
		return out->ok;
	}
	/* A tunnel's own profile first, if it matches: its Quick Mode
	 * would fail with any other (seed 002, PROPOSAL_NOT_CHOSEN). */
	tp = policy_v1_tunnel_profile(cfg, peer);
	for (size_t i = 1; tp && i < n; i++) {
		if (m[i] == tp) {
			memmove(&m[1], &m[0], i * sizeof(m[0]));
			m[0] = tp;
			preferred = true;
		}
	}
	for (size_t i = 0; i < n; i++) {
		const struct policy_keyring *ring =
			policy_v1_holds(ios, m[i], key, peer_id, peer, local);
		size_t o;

		if (!ring)
			continue;
		out->ok = true;
		out->profile = m[i];
		policy_v1_match_str(m[i], peer_id, why, sizeof(why));
		o = (size_t)snprintf(out->reason, sizeof(out->reason),
				     "peer %.100s authenticated with the key of %.100s; profile %s (%.100s) ",
				     ids, ks, m[i]->name, why);
		if (o >= sizeof(out->reason))
			return true;
		if (ring == key->ring)
			snprintf(out->reason + o, sizeof(out->reason) - o,
				 "holds that key");
		else
			snprintf(out->reason + o, sizeof(out->reason) - o,
				 "holds the same key in keyring %s (IOS would abort: the key's keyring is not the profile's)",
				 ring->name);
		o = strlen(out->reason);
		if (!i && preferred)
			snprintf(out->reason + o, sizeof(out->reason) - o,
				 "; the tunnel to this peer names it (IOS would take the closer match and fail Quick Mode with PROPOSAL_NOT_CHOSEN)");
		else if (i)
			snprintf(out->reason + o, sizeof(out->reason) - o,
				 "; the closer match %s does not hold it (IOS would abort)",
				 m[0]->name);
		return true;
	}
	policy_v1_match_str(m[0], peer_id, why, sizeof(why));
	snprintf(out->reason, sizeof(out->reason),
		 "peer %.100s authenticated with the key of %.100s, but none of the %zu matching profiles (closest: %s, %.100s) holds that key for it: aborting",
		 ids, ks, n, m[0]->name, why);
	return false;
}

const struct policy_isakmp_profile *
policy_v1_profile_by_addr(const struct policy_config *cfg,
			  const struct policy_addr *peer,
			  const struct policy_v1_where *local)
{
	const struct policy_isakmp_profile *m[16];
	struct policy_id id = { 0 };
	int rank[16];

	if (!cfg->ios || (peer->family != AF_INET && peer->family != AF_INET6))
		return NULL;
	id.type = peer->family == AF_INET ? POLICY_ID_IPV4 : POLICY_ID_IPV6;
	id.len = peer->family == AF_INET ? 4 : 16;
	memcpy(id.data, peer->a, id.len);
	return policy_v1_matching(cfg->ios, &id, local, m, rank, 16) ? m[0] : NULL;
}
