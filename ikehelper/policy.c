// SPDX-License-Identifier: GPL-2.0
/*
 * The IKE policy model: algorithm tables, the configuration's scopes,
 * the built-in defaults and the effective policy of a tunnel.  The
 * checks that need the whole file are in policy_check.c, the dump in
 * policy_dump.c.
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
#include "policy_ios.h"
#include "policy_priv.h"

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

void policy_word(const char *s, size_t len, char *buf, size_t size)
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
	policy_ios_free(cfg->ios);
	free(cfg->file);
	free(cfg);
}

bool policy_grow(void *arrayp, size_t n, size_t size)
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

bool policy_has_keys(const struct policy_config *cfg)
{
	const struct policy_ios *ios = cfg->ios;

	if (cfg->n_psk)
		return true;
	for (size_t i = 0; ios && i <= ios->n_keyring; i++) {
		if ((i ? ios->keyring[i - 1] : &ios->default_ring)->n_psk)
			return true;
	}
	return false;
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

bool policy_cac_admit(const struct policy_config *cfg, unsigned int ike_sas,
		      unsigned int negotiating, char *reason, size_t len)
{
	const struct policy_cac *c = &cfg->cac;

	if (c->sa_loc.line && ike_sas >= c->sa_max) {
		snprintf(reason, len,
			 "call admission: %u IKE SAs (active and negotiating) reach the limit of %u (crypto call admission limit ike sa, line %u)",
			 ike_sas, c->sa_max, c->sa_loc.line);
		return false;
	}
	if (c->neg_loc.line && negotiating >= c->neg_max) {
		snprintf(reason, len,
			 "call admission: %u IKE SAs in negotiation reach the limit of %u (crypto call admission limit ike in-negotiation-sa, line %u)",
			 negotiating, c->neg_max, c->neg_loc.line);
		return false;
	}
	snprintf(reason, len, "call admission: admitted");
	return true;
}
