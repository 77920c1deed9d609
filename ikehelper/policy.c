// SPDX-License-Identifier: GPL-2.0
/*
 * The IKE policy model: algorithm tables, the configuration's scopes,
 * the built-in defaults, the effective policy of a tunnel, the checks
 * that need the whole file, and a dump that never shows a key.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include <openssl/crypto.h>

#include "policy.h"

#define POLICY_N(a)	(sizeof(a) / sizeof((a)[0]))

#define POLICY_X_ROW(n, name, display, id, bits, flags) \
	{ name, display, id, bits, flags },

static const struct policy_alg policy_enc_tab[] = {
	POLICY_ENC_ALGS(POLICY_X_ROW)
};
static const struct policy_alg policy_integ_tab[] = {
	POLICY_INTEG_ALGS(POLICY_X_ROW)
};
static const struct policy_alg policy_prf_tab[] = {
	POLICY_PRF_ALGS(POLICY_X_ROW)
};
static const struct policy_alg policy_dh_tab[] = {
	POLICY_DH_GROUPS(POLICY_X_ROW)
};

_Static_assert(POLICY_N(policy_enc_tab) == POLICY_ENC_COUNT, "enc table");
_Static_assert(POLICY_N(policy_dh_tab) == POLICY_DH_COUNT, "dh table");
_Static_assert(POLICY_DH_COUNT <= POLICY_ALGS_MAX, "lists hold every group");

static const struct {
	const struct policy_alg *tab;
	size_t n;
	const char *name;
} policy_kinds[POLICY_KIND_COUNT] = {
	[POLICY_KIND_ENC] = { policy_enc_tab, POLICY_ENC_COUNT,
			      "encryption algorithm" },
	[POLICY_KIND_INTEG] = { policy_integ_tab, POLICY_INTEG_COUNT,
				"integrity algorithm" },
	[POLICY_KIND_PRF] = { policy_prf_tab, POLICY_PRF_COUNT,
			      "PRF algorithm" },
	[POLICY_KIND_DH] = { policy_dh_tab, POLICY_DH_COUNT, "DH group" },
};

/* Other spellings admins use; never printed. */
static const struct {
	enum policy_alg_kind kind;
	const char *alias;
	int idx;
} policy_aliases[] = {
	{ POLICY_KIND_INTEG, "sha256", POLICY_INTEG_SHA2_256 },
	{ POLICY_KIND_INTEG, "sha384", POLICY_INTEG_SHA2_384 },
	{ POLICY_KIND_INTEG, "sha512", POLICY_INTEG_SHA2_512 },
	{ POLICY_KIND_PRF, "sha256", POLICY_PRF_SHA2_256 },
	{ POLICY_KIND_PRF, "sha384", POLICY_PRF_SHA2_384 },
	{ POLICY_KIND_PRF, "sha512", POLICY_PRF_SHA2_512 },
};

const struct policy_alg *policy_algs(enum policy_alg_kind kind, size_t *n)
{
	*n = policy_kinds[kind].n;
	return policy_kinds[kind].tab;
}

const char *policy_kind_name(enum policy_alg_kind kind)
{
	return policy_kinds[kind].name;
}

int policy_alg_lookup(enum policy_alg_kind kind, const char *name)
{
	size_t n;
	const struct policy_alg *t = policy_algs(kind, &n);

	for (size_t i = 0; i < n; i++) {
		if (!strcasecmp(t[i].name, name))
			return (int)i;
	}
	for (size_t i = 0; i < POLICY_N(policy_aliases); i++) {
		if (policy_aliases[i].kind == kind &&
		    !strcasecmp(policy_aliases[i].alias, name))
			return policy_aliases[i].idx;
	}
	return -1;
}

static const char *const policy_field_names[POLICY_F_COUNT] = {
	[POLICY_F_SA_ENC] = "sa-proposal enc",
	[POLICY_F_SA_INTEG] = "sa-proposal integrity",
	[POLICY_F_SA_PRF] = "sa-proposal prf",
	[POLICY_F_SA_DH] = "sa-proposal dh",
	[POLICY_F_CHILD_ENC] = "child-proposal enc",
	[POLICY_F_CHILD_INTEG] = "child-proposal integrity",
	[POLICY_F_CHILD_PFS] = "child-pfs",
	[POLICY_F_SA_LIFETIME] = "sa-lifetime",
	[POLICY_F_CHILD_LIFETIME] = "child-lifetime",
	[POLICY_F_DPD] = "dpd",
	[POLICY_F_LOCAL_AUTH] = "local-authentication",
	[POLICY_F_ANTI_REPLAY] = "anti-replay",
	[POLICY_F_OUTGOING] = "outgoing-interface",
	[POLICY_F_SOURCE] = "source-address",
	[POLICY_F_LOCAL_TS] = "local-ts",
	[POLICY_F_REMOTE_TS] = "remote-ts",
	[POLICY_F_NATT] = "nat-traversal",
	[POLICY_F_SUPPRESS_DELETE] = "suppress send-delete",
	[POLICY_F_SUPPRESS_REKEY] = "suppress send-rekey",
};

const char *policy_field_name(enum policy_field f)
{
	return policy_field_names[f];
}

const char *policy_id_type_name(uint8_t type)
{
	switch (type) {
	case POLICY_ID_IPV4:
		return "ipv4";
	case POLICY_ID_IPV6:
		return "ipv6";
	case POLICY_ID_FQDN:
		return "fqdn";
	case POLICY_ID_EMAIL:
		return "email";
	case POLICY_ID_KEYID:
		return "keyid";
	}
	return "none";
}

bool policy_id_equal(const struct policy_id *a, const struct policy_id *b)
{
	if (a->type != b->type || a->len != b->len)
		return false;
	/* DNS names and mail domains are not case-sensitive; a key ID is. */
	if (a->type == POLICY_ID_FQDN || a->type == POLICY_ID_EMAIL)
		return !strncasecmp((const char *)a->data,
				    (const char *)b->data, a->len);
	return !memcmp(a->data, b->data, a->len);
}

bool policy_addr_equal(const struct policy_addr *a,
		       const struct policy_addr *b)
{
	return a->family == b->family &&
	       !memcmp(a->a, b->a, a->family == AF_INET ? 4 : 16);
}

/*
 * Write s as one configuration word: quoted, with \" and \\, when it
 * would not read back as itself.
 */
static void policy_word(const char *s, size_t len, char *buf, size_t size)
{
	bool quote = !len || s[0] == '!' || s[0] == '"';
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == ' ' || s[i] == '\t')
			quote = true;
	}
	if (size < 3) {
		if (size)
			buf[0] = '\0';
		return;
	}
	if (quote)
		buf[o++] = '"';
	for (size_t i = 0; i < len && o + 3 < size; i++) {
		if (quote && (s[i] == '"' || s[i] == '\\'))
			buf[o++] = '\\';
		buf[o++] = s[i];
	}
	if (quote)
		buf[o++] = '"';
	buf[o] = '\0';
}

void policy_id_format(const struct policy_id *id, char *buf, size_t len)
{
	char val[2 * POLICY_ID_MAX + 3];

	switch (id->type) {
	case POLICY_ID_IPV4:
		inet_ntop(AF_INET, id->data, val, sizeof(val));
		break;
	case POLICY_ID_IPV6:
		inet_ntop(AF_INET6, id->data, val, sizeof(val));
		break;
	case POLICY_ID_NONE:
		val[0] = '\0';
		break;
	default:
		policy_word((const char *)id->data, id->len, val, sizeof(val));
	}
	snprintf(buf, len, "%s %s", policy_id_type_name(id->type), val);
}

struct policy_config *policy_config_new(const char *file)
{
	struct policy_config *cfg = calloc(1, sizeof(*cfg));

	if (!cfg)
		return NULL;
	cfg->file = strdup(file);
	if (!cfg->file) {
		free(cfg);
		return NULL;
	}
	return cfg;
}

void policy_config_free(struct policy_config *cfg)
{
	if (!cfg)
		return;
	for (size_t i = 0; i < cfg->n_psk; i++) {
		OPENSSL_cleanse(cfg->psk[i].key, cfg->psk[i].key_len);
		free(cfg->psk[i].key);
	}
	free(cfg->psk);
	for (size_t i = 0; i < cfg->n_profile; i++)
		free(cfg->profile[i]);
	free(cfg->profile);
	for (size_t i = 0; i < cfg->n_tunnel; i++)
		free(cfg->tunnel[i]);
	free(cfg->tunnel);
	free(cfg->file);
	free(cfg);
}

/* Grow an array of n elements by one; false when out of memory. */
static bool policy_grow(void *arrayp, size_t n, size_t size)
{
	void **array = arrayp;
	void *p;

	if (n >= SIZE_MAX / size - 1)
		return false;
	p = realloc(*array, (n + 1) * size);
	if (!p)
		return false;
	*array = p;
	return true;
}

int policy_psk_add(struct policy_config *cfg, const struct policy_id *id,
		   uint8_t *key, size_t key_len, bool hex,
		   const struct policy_loc *loc)
{
	struct policy_psk *e;

	if (!policy_grow(&cfg->psk, cfg->n_psk, sizeof(*cfg->psk))) {
		OPENSSL_cleanse(key, key_len);
		free(key);
		return -ENOMEM;
	}
	e = &cfg->psk[cfg->n_psk++];
	memset(e, 0, sizeof(*e));
	e->id = *id;
	e->key = key;
	e->key_len = key_len;
	e->hex = hex;
	e->loc = *loc;
	return 0;
}

const struct policy_psk *policy_psk_find(const struct policy_config *cfg,
					 const struct policy_id *id)
{
	for (size_t i = 0; i < cfg->n_psk; i++) {
		if (policy_id_equal(&cfg->psk[i].id, id))
			return &cfg->psk[i];
	}
	return NULL;
}

struct policy_profile *policy_profile_find(const struct policy_config *cfg,
					   const char *name)
{
	for (size_t i = 0; i < cfg->n_profile; i++) {
		if (!strcmp(cfg->profile[i]->name, name))
			return cfg->profile[i];
	}
	return NULL;
}

struct policy_tunnel *policy_tunnel_find(const struct policy_config *cfg,
					 const char *ifname)
{
	for (size_t i = 0; i < cfg->n_tunnel; i++) {
		if (!strcmp(cfg->tunnel[i]->ifname, ifname))
			return cfg->tunnel[i];
	}
	return NULL;
}

struct policy_profile *policy_profile_get(struct policy_config *cfg,
					  const char *name,
					  const struct policy_loc *loc)
{
	struct policy_profile *p = policy_profile_find(cfg, name);

	if (p)
		return p;
	if (strlen(name) > POLICY_NAME_MAX ||
	    !policy_grow(&cfg->profile, cfg->n_profile, sizeof(p)))
		return NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	strcpy(p->name, name);
	p->loc = *loc;
	cfg->profile[cfg->n_profile++] = p;
	return p;
}

struct policy_tunnel *policy_tunnel_get(struct policy_config *cfg,
					const char *ifname,
					const struct policy_loc *loc)
{
	struct policy_tunnel *t = policy_tunnel_find(cfg, ifname);

	if (t)
		return t;
	if (strlen(ifname) >= POLICY_IFNAMSIZ ||
	    !policy_grow(&cfg->tunnel, cfg->n_tunnel, sizeof(t)))
		return NULL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	strcpy(t->ifname, ifname);
	t->loc = *loc;
	cfg->tunnel[cfg->n_tunnel++] = t;
	return t;
}

/* Every algorithm of a kind a default proposes, in table order. */
static void policy_all(enum policy_alg_kind kind, bool pfs,
		       struct policy_alg_list *l)
{
	size_t n;
	const struct policy_alg *t = policy_algs(kind, &n);

	l->n = 0;
	for (size_t i = 0; i < n; i++) {
		if (t[i].flags & POLICY_ALG_EXPLICIT)
			continue;
		if ((t[i].flags & POLICY_ALG_PFS_ONLY) && !pfs)
			continue;
		l->idx[l->n++] = (uint8_t)i;
	}
}

void policy_builtin(struct policy_opts *o)
{
	memset(o, 0, sizeof(*o));
	/* Propose everything supported; the responder takes the first. */
	policy_all(POLICY_KIND_ENC, false, &o->sa_enc);
	policy_all(POLICY_KIND_INTEG, false, &o->sa_integ);
	policy_all(POLICY_KIND_PRF, false, &o->sa_prf);
	policy_all(POLICY_KIND_DH, false, &o->sa_dh);
	policy_all(POLICY_KIND_ENC, false, &o->child_enc);
	policy_all(POLICY_KIND_INTEG, false, &o->child_integ);
	/* Every group, then none, so that a peer without PFS still agrees. */
	policy_all(POLICY_KIND_DH, true, &o->child_pfs);
	o->sa_lifetime = POLICY_IKE_LIFETIME;
	o->child_lifetime = POLICY_CHILD_LIFETIME;
	o->dpd_interval = 0;
	o->local_auth = POLICY_AUTH_NONE;
	o->anti_replay = true;
	/* No local-ts / remote-ts: all of IPv4 and IPv6. */
}

static void policy_copy_field(struct policy_opts *d,
			      const struct policy_opts *s,
			      enum policy_field f)
{
	d->loc[f] = s->loc[f];
	switch (f) {
	case POLICY_F_SA_ENC:
		d->sa_enc = s->sa_enc;
		break;
	case POLICY_F_SA_INTEG:
		d->sa_integ = s->sa_integ;
		break;
	case POLICY_F_SA_PRF:
		d->sa_prf = s->sa_prf;
		break;
	case POLICY_F_SA_DH:
		d->sa_dh = s->sa_dh;
		break;
	case POLICY_F_CHILD_ENC:
		d->child_enc = s->child_enc;
		break;
	case POLICY_F_CHILD_INTEG:
		d->child_integ = s->child_integ;
		break;
	case POLICY_F_CHILD_PFS:
		d->child_pfs = s->child_pfs;
		break;
	case POLICY_F_SA_LIFETIME:
		d->sa_lifetime = s->sa_lifetime;
		break;
	case POLICY_F_CHILD_LIFETIME:
		d->child_lifetime = s->child_lifetime;
		break;
	case POLICY_F_DPD:
		d->dpd_interval = s->dpd_interval;
		break;
	case POLICY_F_LOCAL_AUTH:
		d->local_auth = s->local_auth;
		d->local_id = s->local_id;
		break;
	case POLICY_F_ANTI_REPLAY:
		d->anti_replay = s->anti_replay;
		break;
	case POLICY_F_OUTGOING:
		memcpy(&d->outgoing, &s->outgoing, sizeof(d->outgoing));
		break;
	case POLICY_F_SOURCE:
		d->source = s->source;
		break;
	case POLICY_F_LOCAL_TS:
		d->local_ts = s->local_ts;
		break;
	case POLICY_F_REMOTE_TS:
		d->remote_ts = s->remote_ts;
		break;
	case POLICY_F_NATT:		/* only "no nat-traversal" */
		break;
	case POLICY_F_SUPPRESS_DELETE:
		d->suppress_delete = s->suppress_delete;
		break;
	case POLICY_F_SUPPRESS_REKEY:
		d->suppress_rekey = s->suppress_rekey;
		break;
	case POLICY_F_COUNT:
		break;
	}
}

/* The ID a peer authenticates with when none is configured. */
static void policy_peer_id(const struct policy_peer *peer,
			   struct policy_id *id)
{
	memset(id, 0, sizeof(*id));
	if (peer->id.type) {
		*id = peer->id;
	} else if (peer->kind == POLICY_PEER_ADDR) {
		bool v4 = peer->addr.family == AF_INET;

		id->type = v4 ? POLICY_ID_IPV4 : POLICY_ID_IPV6;
		id->len = v4 ? 4 : 16;
		memcpy(id->data, peer->addr.a, id->len);
	} else if (peer->kind == POLICY_PEER_FQDN) {
		id->type = POLICY_ID_FQDN;
		id->len = (uint8_t)strlen(peer->fqdn);
		memcpy(id->data, peer->fqdn, id->len);
	}
}

void policy_effective(const struct policy_config *cfg,
		      const struct policy_tunnel *t,
		      struct policy_effective *e)
{
	const struct policy_opts *scope[3];
	const uint8_t from[3] = {
		POLICY_FROM_TUNNEL, POLICY_FROM_PROFILE,
		POLICY_FROM_DEFAULT_PROFILE,
	};

	memset(e, 0, sizeof(*e));
	e->tunnel = t;
	e->profile = t->binding[0] ? policy_profile_find(cfg, t->binding) : NULL;
	scope[0] = &t->opts;
	scope[1] = e->profile ? &e->profile->opts : NULL;
	scope[2] = cfg->has_default_profile ? &cfg->default_profile.opts : NULL;

	policy_builtin(&e->v);
	for (int f = 0; f < POLICY_F_COUNT; f++) {
		e->origin[f] = POLICY_FROM_BUILTIN;
		for (int s = 0; s < 3; s++) {
			if (scope[s] && scope[s]->loc[f].line) {
				policy_copy_field(&e->v, scope[s], f);
				e->origin[f] = from[s];
				break;
			}
		}
	}

	policy_peer_id(&t->peer, &e->peer_id);
	if (e->v.local_auth == POLICY_AUTH_PSK)
		e->local_psk = policy_psk_find(cfg, &e->v.local_id);
	if (t->peer.auth == POLICY_AUTH_PSK && e->peer_id.type)
		e->peer_psk = policy_psk_find(cfg, &e->peer_id);
	e->initiate_rekey = t->peer.kind != POLICY_PEER_ANY;
	e->initial_contact = true;
	e->ike_rekey_margin = POLICY_IKE_REKEY_MARGIN;
	e->child_rekey_margin = POLICY_CHILD_REKEY_MARGIN;
	for (int i = 0; i < POLICY_RETRANSMITS; i++)
		e->retransmit[i] = 2u << i;
	e->retransmit_timeout = POLICY_RETRANSMIT_TIMEOUT;
	e->auto_check_interval = POLICY_AUTO_CHECK_INTERVAL;
}

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
	c->report(c->ctx, loc, warning, msg);
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
	return c.errors;
}

/* Dump */

static void policy_dump_algs(FILE *f, enum policy_alg_kind kind,
			     const struct policy_alg_list *l)
{
	size_t n;
	const struct policy_alg *t = policy_algs(kind, &n);

	for (int i = 0; i < l->n; i++)
		fprintf(f, " %s", t[l->idx[i]].name);
}

static void policy_dump_addr(FILE *f, const struct policy_addr *a)
{
	char buf[INET6_ADDRSTRLEN];

	inet_ntop(a->family, a->a, buf, sizeof(buf));
	fprintf(f, "%s", buf);
}

static const char *policy_proto_name(uint8_t proto)
{
	switch (proto) {
	case 1:
		return "icmp";
	case 6:
		return "tcp";
	case 17:
		return "udp";
	case 47:
		return "gre";
	case 50:
		return "esp";
	case 51:
		return "ah";
	case 58:
		return "ipv6-icmp";
	case 132:
		return "sctp";
	}
	return NULL;
}

/* A range as a prefix when it is one, else "first-last". */
static void policy_dump_range(FILE *f, const struct policy_ts *ts)
{
	int alen = ts->family == AF_INET ? 4 : 16, plen = 0;
	struct policy_addr s = { ts->family, { 0 } }, e = s;
	bool prefix = true;

	for (int bit = 0; bit < alen * 8; bit++) {
		int m = 0x80 >> (bit % 8);
		bool sb = ts->start[bit / 8] & m, eb = ts->end[bit / 8] & m;

		if (sb == eb && plen == bit)
			plen++;
		else if (sb || !eb)
			prefix = false;
	}
	memcpy(s.a, ts->start, alen);
	memcpy(e.a, ts->end, alen);
	policy_dump_addr(f, &s);
	if (prefix && plen < alen * 8) {
		fprintf(f, "/%d", plen);
	} else if (!prefix) {
		fputc('-', f);
		policy_dump_addr(f, &e);
	}
}

/* "10.1.0.0/16 protocol tcp port 443", as the command takes it. */
static void policy_dump_ts1(FILE *f, const struct policy_ts *ts)
{
	const char *pn = policy_proto_name(ts->proto);

	policy_dump_range(f, ts);
	if (pn)
		fprintf(f, " protocol %s", pn);
	else if (ts->proto)
		fprintf(f, " protocol %u", ts->proto);
	if (ts->port_start == ts->port_end)
		fprintf(f, " port %u", ts->port_start);
	else if (ts->port_start || ts->port_end != 65535)
		fprintf(f, " port %u-%u", ts->port_start, ts->port_end);
}

static void policy_dump_ts(FILE *f, const char *indent, const char *pfx,
			   const char *cmd, const struct policy_ts_list *l)
{
	for (int i = 0; i < l->n; i++) {
		fprintf(f, "%s%s%s ", indent, pfx, cmd);
		policy_dump_ts1(f, &l->ts[i]);
		fputc('\n', f);
	}
}

/* psk is the only method config.c accepts. */
static void policy_dump_auth(FILE *f, const struct policy_id *id)
{
	char ids[2 * POLICY_ID_MAX + 16];

	fprintf(f, "psk");
	if (id->type) {
		policy_id_format(id, ids, sizeof(ids));
		fprintf(f, " id %s", ids);
	}
}

/* Is the field's line the "no" form of its command? */
static bool policy_field_negated(const struct policy_opts *o,
				 enum policy_field fl)
{
	switch (fl) {
	case POLICY_F_DPD:
		return !o->dpd_interval;
	case POLICY_F_ANTI_REPLAY:
		return !o->anti_replay;
	case POLICY_F_NATT:		/* only "no nat-traversal" */
		return true;
	case POLICY_F_SUPPRESS_DELETE:
		return !o->suppress_delete;
	case POLICY_F_SUPPRESS_REKEY:
		return !o->suppress_rekey;
	default:
		return false;
	}
}

/*
 * One field as the line that sets it, without indent; pfx ("ikev2 " in
 * interface mode) goes after a leading "no", as the parser reads it.
 */
static void policy_dump_field(FILE *f, const struct policy_opts *o,
			      enum policy_field fl, const char *pfx)
{
	static const enum policy_alg_kind kinds[] = {
		[POLICY_F_SA_ENC] = POLICY_KIND_ENC,
		[POLICY_F_SA_INTEG] = POLICY_KIND_INTEG,
		[POLICY_F_SA_PRF] = POLICY_KIND_PRF,
		[POLICY_F_SA_DH] = POLICY_KIND_DH,
		[POLICY_F_CHILD_ENC] = POLICY_KIND_ENC,
		[POLICY_F_CHILD_INTEG] = POLICY_KIND_INTEG,
		[POLICY_F_CHILD_PFS] = POLICY_KIND_DH,
	};
	const struct policy_alg_list *lists[] = {
		&o->sa_enc, &o->sa_integ, &o->sa_prf, &o->sa_dh,
		&o->child_enc, &o->child_integ, &o->child_pfs,
	};

	fprintf(f, "%s%s", policy_field_negated(o, fl) ? "no " : "", pfx);
	if (fl <= POLICY_F_CHILD_PFS) {
		fprintf(f, "%s", policy_field_name(fl));
		policy_dump_algs(f, kinds[fl], lists[fl]);
		return;
	}
	switch (fl) {
	case POLICY_F_SA_LIFETIME:
		fprintf(f, "sa-lifetime %u", o->sa_lifetime);
		break;
	case POLICY_F_CHILD_LIFETIME:
		fprintf(f, "child-lifetime %u", o->child_lifetime);
		break;
	case POLICY_F_DPD:
		if (o->dpd_interval)
			fprintf(f, "dpd interval %u", o->dpd_interval);
		else
			fprintf(f, "dpd");
		break;
	case POLICY_F_LOCAL_AUTH:
		fprintf(f, "local-authentication ");
		policy_dump_auth(f, &o->local_id);
		break;
	case POLICY_F_ANTI_REPLAY:
		fprintf(f, "anti-replay");
		break;
	case POLICY_F_OUTGOING:
		fprintf(f, "outgoing-interface %s ", o->outgoing.ifname);
		if (o->outgoing.nexthop_auto)
			fprintf(f, "auto");
		else
			policy_dump_addr(f, &o->outgoing.nexthop);
		break;
	case POLICY_F_SOURCE:
		fprintf(f, "source-address ");
		policy_dump_addr(f, &o->source);
		break;
	case POLICY_F_NATT:
		fprintf(f, "nat-traversal");
		break;
	case POLICY_F_SUPPRESS_DELETE:
		fprintf(f, "suppress send-delete");
		break;
	case POLICY_F_SUPPRESS_REKEY:
		fprintf(f, "suppress send-rekey");
		break;
	default:
		break;
	}
}

static void policy_dump_opts(FILE *f, const struct policy_opts *o,
			     const char *pfx)
{
	for (int fl = 0; fl < POLICY_F_COUNT; fl++) {
		if (!o->loc[fl].line)
			continue;
		if (fl == POLICY_F_LOCAL_TS || fl == POLICY_F_REMOTE_TS) {
			policy_dump_ts(f, "  ", pfx, policy_field_name(fl),
				       fl == POLICY_F_LOCAL_TS ? &o->local_ts :
				       &o->remote_ts);
			continue;
		}
		fprintf(f, "  ");
		policy_dump_field(f, o, fl, pfx);
		fputc('\n', f);
	}
}

static void policy_dump_peer(FILE *f, const struct policy_peer *p)
{
	switch (p->kind) {
	case POLICY_PEER_ADDR:
		policy_dump_addr(f, &p->addr);
		break;
	case POLICY_PEER_FQDN:
		fprintf(f, "%s", p->fqdn);
		break;
	default:
		fprintf(f, "any");
	}
	if (p->auth) {
		fprintf(f, " authentication ");
		policy_dump_auth(f, &p->id);
	}
}

void policy_dump(const struct policy_config *cfg, FILE *f)
{
	char ids[2 * POLICY_ID_MAX + 16];

	for (size_t i = 0; i < cfg->n_psk; i++) {
		policy_id_format(&cfg->psk[i].id, ids, sizeof(ids));
		fprintf(f, "ikev2 authentication psk id %s key <hidden>\n", ids);
	}
	if (cfg->n_psk)
		fprintf(f, "!\n");
	if (cfg->has_default_profile) {
		fprintf(f, "ikev2 default-profile\n");
		policy_dump_opts(f, &cfg->default_profile.opts, "");
		fprintf(f, "!\n");
	}
	for (size_t i = 0; i < cfg->n_profile; i++) {
		fprintf(f, "ikev2 profile %s\n", cfg->profile[i]->name);
		policy_dump_opts(f, &cfg->profile[i]->opts, "");
		fprintf(f, "!\n");
	}
	for (size_t i = 0; i < cfg->n_tunnel; i++) {
		const struct policy_tunnel *t = cfg->tunnel[i];

		fprintf(f, "interface %s\n", t->ifname);
		if (t->tloc[POLICY_T_MODE].line)
			fprintf(f, "  tunnel mode ipsec-ikev2\n");
		if (t->binding[0])
			fprintf(f, "  ikev2 binding %s\n", t->binding);
		if (t->tloc[POLICY_T_CONNECT].line)
			fprintf(f, "  %sikev2 connect-type%s\n",
				t->connect_auto ? "" : "no ",
				t->connect_auto ? " auto" : "");
		/* Only the "no" forms are accepted (config.c). */
		if (t->tloc[POLICY_T_MTU_IGNORE].line)
			fprintf(f, "  no ikev2 ipsec mtu ignore\n");
		if (t->tloc[POLICY_T_PRE_FRAGMENT].line)
			fprintf(f, "  no ikev2 ipsec pre-fragment\n");
		policy_dump_opts(f, &t->opts, "ikev2 ");
		if (t->peer.kind) {
			fprintf(f, "  ikev2 peer ");
			policy_dump_peer(f, &t->peer);
			fputc('\n', f);
		}
		if (t->tloc[POLICY_T_SHUTDOWN].line)
			fprintf(f, "  %sshutdown\n", t->shutdown ? "" : "no ");
		fprintf(f, "!\n");
	}
}

static void policy_dump_origin(FILE *f, const struct policy_effective *e,
			       enum policy_field fl)
{
	uint32_t line = e->v.loc[fl].line;

	switch (e->origin[fl]) {
	case POLICY_FROM_TUNNEL:
		fprintf(f, "  [interface, line %u]\n", line);
		break;
	case POLICY_FROM_PROFILE:
		fprintf(f, "  [profile %s, line %u]\n", e->profile->name, line);
		break;
	case POLICY_FROM_DEFAULT_PROFILE:
		fprintf(f, "  [default-profile, line %u]\n", line);
		break;
	default:
		fprintf(f, "  [built-in]\n");
	}
}

void policy_effective_dump(const struct policy_effective *e, FILE *f)
{
	const struct policy_tunnel *t = e->tunnel;
	char ids[2 * POLICY_ID_MAX + 16];

	fprintf(f, "interface %s%s\n", t->ifname, t->shutdown ? " (shutdown)" : "");
	fprintf(f, "  peer ");
	policy_dump_peer(f, &t->peer);
	fputc('\n', f);
	if (e->peer_id.type) {
		policy_id_format(&e->peer_id, ids, sizeof(ids));
		fprintf(f, "  peer id %s, %s\n", ids,
			e->peer_psk ? "psk <hidden>" : "psk none");
	}
	if (e->v.local_auth) {
		policy_id_format(&e->v.local_id, ids, sizeof(ids));
		fprintf(f, "  local id %s, %s\n", ids,
			e->local_psk ? "psk <hidden>" : "psk none");
	}
	if (e->profile)
		fprintf(f, "  profile %s\n", e->profile->name);
	fprintf(f, "  connect-type %s\n", t->connect_auto ? "auto" : "trigger");
	for (int fl = 0; fl < POLICY_F_COUNT; fl++) {
		const struct policy_ts_list *ts = fl == POLICY_F_LOCAL_TS ?
			&e->v.local_ts : &e->v.remote_ts;

		if (fl == POLICY_F_LOCAL_TS || fl == POLICY_F_REMOTE_TS) {
			if (!ts->n)
				fprintf(f, "  %s any", policy_field_name(fl));
			for (int i = 0; i < ts->n; i++) {
				fprintf(f, "%s", i ? ", " : "  ");
				if (!i)
					fprintf(f, "%s ", policy_field_name(fl));
				policy_dump_ts1(f, &ts->ts[i]);
			}
			policy_dump_origin(f, e, fl);
			continue;
		}
		if ((fl == POLICY_F_OUTGOING || fl == POLICY_F_SOURCE) &&
		    !e->v.loc[fl].line) {
			fprintf(f, "  %s not fixed", policy_field_name(fl));
		} else {
			fprintf(f, "  ");
			policy_dump_field(f, &e->v, fl, "");
		}
		policy_dump_origin(f, e, fl);
	}
	fprintf(f, "  rekey IKE SA %us, Child SA %us before expiry%s\n",
		e->ike_rekey_margin, e->child_rekey_margin,
		e->initiate_rekey ? "" : " (only the peer rekeys: peer any)");
	fprintf(f, "  retransmit at %u, %u, %u s, timeout %u s\n",
		e->retransmit[0], e->retransmit[1], e->retransmit[2],
		e->retransmit_timeout);
}
