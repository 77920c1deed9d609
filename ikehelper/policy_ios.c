// SPDX-License-Identifier: GPL-2.0
/*
 * The Cisco IOS part of the policy model: its objects, the IKEv1 and
 * ESP algorithm tables, the transforms of the ikevti module, and the
 * resolution of names once the whole file is read.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include <openssl/crypto.h>

#include "policy.h"
#include "policy_ios.h"
#include "policy_priv.h"

#define POLICY_X_V1_ROW(n, name, display, value, bits) \
	{ name, display, value, bits },

static const struct policy_v1_alg policy_v1_enc_tab[] = {
	POLICY_V1_ENCS(POLICY_X_V1_ROW)
};
static const struct policy_v1_alg policy_v1_hash_tab[] = {
	POLICY_V1_HASHES(POLICY_X_V1_ROW)
};
static const struct policy_v1_alg policy_v1_group_tab[] = {
	POLICY_V1_GROUPS(POLICY_X_V1_ROW)
};

_Static_assert(POLICY_N(policy_v1_enc_tab) == POLICY_V1_ENC_COUNT, "enc");
_Static_assert(POLICY_N(policy_v1_hash_tab) == POLICY_V1_HASH_COUNT, "hash");
_Static_assert(POLICY_N(policy_v1_group_tab) == POLICY_V1_GROUP_COUNT, "group");

const struct policy_v1_alg *policy_v1_alg(enum policy_v1_alg_kind kind,
					  unsigned int idx)
{
	switch (kind) {
	case POLICY_V1_KIND_ENC:
		return idx < POLICY_V1_ENC_COUNT ? &policy_v1_enc_tab[idx] : NULL;
	case POLICY_V1_KIND_HASH:
		return idx < POLICY_V1_HASH_COUNT ? &policy_v1_hash_tab[idx] : NULL;
	case POLICY_V1_KIND_GROUP:
		return idx < POLICY_V1_GROUP_COUNT ? &policy_v1_group_tab[idx] : NULL;
	}
	return NULL;
}

void policy_isakmp_policy_defaults(struct policy_isakmp_policy *p)
{
	/* "Default protection suite" of seed 000's show output. */
	p->enc = POLICY_V1_ENC_DES;
	p->hash = POLICY_V1_HASH_SHA1;
	p->auth = POLICY_V1_AUTH_RSA_SIG;
	p->group = POLICY_V1_GROUP_1;
	p->lifetime = POLICY_V1_LIFETIME;
}

/* ESP */

static const char *const policy_esp_enc_names[POLICY_ESP_ENC_COUNT] = {
	[POLICY_ESP_ENC_NONE] = "",
	[POLICY_ESP_ENC_DES] = "esp-des",
	[POLICY_ESP_ENC_3DES] = "esp-3des",
	[POLICY_ESP_ENC_AES] = "esp-aes",
	[POLICY_ESP_ENC_GCM] = "esp-gcm",
	[POLICY_ESP_ENC_NULL] = "esp-null",
	[POLICY_ESP_ENC_SEAL] = "esp-seal",
};

static const char *const policy_esp_auth_names[POLICY_ESP_AUTH_COUNT] = {
	[POLICY_ESP_AUTH_NONE] = "",
	[POLICY_ESP_AUTH_MD5] = "esp-md5-hmac",
	[POLICY_ESP_AUTH_SHA1] = "esp-sha-hmac",
	[POLICY_ESP_AUTH_SHA256] = "esp-sha256-hmac",
	[POLICY_ESP_AUTH_SHA384] = "esp-sha384-hmac",
	[POLICY_ESP_AUTH_SHA512] = "esp-sha512-hmac",
};

const char *policy_esp_enc_name(uint8_t enc)
{
	return enc < POLICY_ESP_ENC_COUNT ? policy_esp_enc_names[enc] : "";
}

const char *policy_esp_auth_name(uint8_t auth)
{
	return auth < POLICY_ESP_AUTH_COUNT ? policy_esp_auth_names[auth] : "";
}

bool policy_esp_kernel(const struct policy_transform_set *ts,
		       struct policy_esp_kernel *k)
{
	static const uint16_t auth[POLICY_ESP_AUTH_COUNT] = {
		[POLICY_ESP_AUTH_NONE] = IKEVTI_AUTH_NONE,
		[POLICY_ESP_AUTH_MD5] = IKEVTI_AUTH_HMAC_MD5_96,
		[POLICY_ESP_AUTH_SHA1] = IKEVTI_AUTH_HMAC_SHA1_96,
		[POLICY_ESP_AUTH_SHA256] = IKEVTI_AUTH_HMAC_SHA256_128,
		[POLICY_ESP_AUTH_SHA384] = IKEVTI_AUTH_HMAC_SHA384_192,
		[POLICY_ESP_AUTH_SHA512] = IKEVTI_AUTH_HMAC_SHA512_256,
	};

	memset(k, 0, sizeof(*k));
	switch (ts->enc) {
	case POLICY_ESP_ENC_NONE:	/* ESP with authentication only */
	case POLICY_ESP_ENC_NULL:
		k->enc = IKEVTI_ENC_NULL;
		break;
	case POLICY_ESP_ENC_DES:
		k->enc = IKEVTI_ENC_DES_CBC;
		k->enc_key_len = 8;
		k->flags = IKEVTI_SA_F_LEGACY;
		break;
	case POLICY_ESP_ENC_3DES:
		k->enc = IKEVTI_ENC_3DES_CBC;
		k->enc_key_len = 24;
		break;
	case POLICY_ESP_ENC_AES:
		k->enc = IKEVTI_ENC_AES_CBC;
		k->enc_key_len = ts->enc_bits / 8;
		break;
	case POLICY_ESP_ENC_GCM:
		k->enc = IKEVTI_ENC_AES_GCM_16;
		k->enc_key_len = ts->enc_bits / 8;
		k->salt_len = 4;
		break;
	default:			/* esp-seal: not in the module */
		return false;
	}
	k->auth = ts->auth < POLICY_ESP_AUTH_COUNT ? auth[ts->auth] : 0;
	return true;
}

/* Objects */

struct policy_ios *policy_ios_get(struct policy_config *cfg)
{
	struct policy_ios *ios = cfg->ios;

	if (ios)
		return ios;
	ios = calloc(1, sizeof(*ios));
	if (!ios)
		return NULL;
	strcpy(ios->default_ring.name, "default");
	ios->default_ring.is_default = true;
	ios->identity = POLICY_V1_ID_ADDRESS;
	ios->dpd.retry = POLICY_V1_DPD_RETRY;
	ios->sa_seconds = POLICY_V1_SA_SECONDS;
	ios->sa_kb = POLICY_V1_SA_KB;
	cfg->ios = ios;
	return ios;
}

/* Append a zeroed element of size bytes to *arrayp (n of them). */
static void *policy_ios_new(void *arrayp, size_t *n, size_t size)
{
	void ***array = arrayp;
	void *e;

	if (!policy_grow(array, *n, sizeof(void *)))
		return NULL;
	e = calloc(1, size);
	if (!e)
		return NULL;
	(*array)[(*n)++] = e;
	return e;
}

struct policy_isakmp_policy *policy_isakmp_policy_get(struct policy_ios *ios,
						      uint16_t prio,
						      const struct policy_loc *loc)
{
	struct policy_isakmp_policy *p;

	for (size_t i = 0; i < ios->n_policy; i++) {
		if (ios->policy[i]->prio == prio)
			return ios->policy[i];
	}
	p = policy_ios_new(&ios->policy, &ios->n_policy, sizeof(*p));
	if (!p)
		return NULL;
	p->prio = prio;
	p->loc = *loc;
	policy_isakmp_policy_defaults(p);
	return p;
}

/* policy_X_index(array, n, name): the index of name, or n. */
#define POLICY_INDEX_FN(fn, type) \
static size_t fn(type *const *a, size_t n, const char *name) \
{ \
	size_t i = 0; \
 \
	while (i < n && strcmp(a[i]->name, name)) \
		i++; \
	return i; \
}

POLICY_INDEX_FN(policy_keyring_index, struct policy_keyring)
POLICY_INDEX_FN(policy_profile_index, struct policy_isakmp_profile)
POLICY_INDEX_FN(policy_tset_index, struct policy_transform_set)
POLICY_INDEX_FN(policy_ipsec_profile_index, struct policy_ipsec_profile)
POLICY_INDEX_FN(policy_iface_index, struct policy_ios_if)

const struct policy_keyring *policy_keyring_find(const struct policy_ios *ios,
						 const char *name)
{
	size_t i = policy_keyring_index(ios->keyring, ios->n_keyring, name);

	if (!strcmp(name, "default"))
		return &ios->default_ring;
	return i < ios->n_keyring ? ios->keyring[i] : NULL;
}

struct policy_keyring *policy_keyring_get(struct policy_ios *ios,
					  const char *name,
					  const struct policy_loc *loc)
{
	size_t i = policy_keyring_index(ios->keyring, ios->n_keyring, name);
	struct policy_keyring *r;

	if (!strcmp(name, "default"))
		return &ios->default_ring;
	if (i < ios->n_keyring)
		return ios->keyring[i];
	r = policy_ios_new(&ios->keyring, &ios->n_keyring, sizeof(*r));
	if (!r)
		return NULL;
	snprintf(r->name, sizeof(r->name), "%s", name);
	r->loc = *loc;
	return r;
}

static bool policy_psk_same_place(const struct policy_v1_psk *a,
				  const struct policy_v1_psk *b)
{
	if (a->host != b->host)
		return false;
	if (a->host)
		return !strcasecmp(a->hostname, b->hostname);
	return a->plen == b->plen && policy_addr_equal(&a->addr, &b->addr);
}

const struct policy_v1_psk *policy_keyring_same(const struct policy_keyring *r,
						const struct policy_v1_psk *e)
{
	for (size_t i = 0; i < r->n_psk; i++) {
		if (policy_psk_same_place(&r->psk[i], e))
			return &r->psk[i];
	}
	return NULL;
}

int policy_keyring_add(struct policy_keyring *r,
		       const struct policy_v1_psk *entry, uint8_t *key,
		       size_t key_len)
{
	struct policy_v1_psk *e;

	if (!policy_grow(&r->psk, r->n_psk, sizeof(*r->psk))) {
		OPENSSL_cleanse(key, key_len);
		free(key);
		return -ENOMEM;
	}
	e = &r->psk[r->n_psk++];
	*e = *entry;
	e->ring = r;
	e->key = key;
	e->key_len = key_len;
	return 0;
}

const struct policy_isakmp_profile *
policy_isakmp_profile_find(const struct policy_ios *ios, const char *name)
{
	size_t i = policy_profile_index(ios->profile, ios->n_profile, name);

	return i < ios->n_profile ? ios->profile[i] : NULL;
}

struct policy_isakmp_profile *policy_isakmp_profile_get(struct policy_ios *ios,
							const char *name,
							const struct policy_loc *loc)
{
	size_t i = policy_profile_index(ios->profile, ios->n_profile, name);
	struct policy_isakmp_profile *p;

	if (i < ios->n_profile)
		return ios->profile[i];
	p = policy_ios_new(&ios->profile, &ios->n_profile, sizeof(*p));
	if (!p)
		return NULL;
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->loc = *loc;
	p->dpd.retry = POLICY_V1_DPD_RETRY;
	return p;
}

const struct policy_transform_set *policy_tset_find(const struct policy_ios *ios,
						    const char *name)
{
	size_t i = policy_tset_index(ios->tset, ios->n_tset, name);

	return i < ios->n_tset ? ios->tset[i] : NULL;
}

struct policy_transform_set *policy_tset_get(struct policy_ios *ios,
					     const char *name,
					     const struct policy_loc *loc)
{
	size_t i = policy_tset_index(ios->tset, ios->n_tset, name);
	struct policy_transform_set *t;

	if (i < ios->n_tset)
		return ios->tset[i];
	t = policy_ios_new(&ios->tset, &ios->n_tset, sizeof(*t));
	if (!t)
		return NULL;
	snprintf(t->name, sizeof(t->name), "%s", name);
	t->loc = *loc;
	return t;
}

const struct policy_ipsec_profile *
policy_ipsec_profile_find(const struct policy_ios *ios, const char *name)
{
	size_t i = policy_ipsec_profile_index(ios->ipsec_profile,
						      ios->n_ipsec_profile, name);

	return i < ios->n_ipsec_profile ? ios->ipsec_profile[i] : NULL;
}

struct policy_ipsec_profile *policy_ipsec_profile_get(struct policy_ios *ios,
						      const char *name,
						      const struct policy_loc *loc)
{
	size_t i = policy_ipsec_profile_index(ios->ipsec_profile,
						      ios->n_ipsec_profile, name);
	struct policy_ipsec_profile *p;

	if (i < ios->n_ipsec_profile)
		return ios->ipsec_profile[i];
	p = policy_ios_new(&ios->ipsec_profile, &ios->n_ipsec_profile,
			   sizeof(*p));
	if (!p)
		return NULL;
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->loc = *loc;
	return p;
}

bool policy_crypto_map_ifname(const char *map, uint32_t seq, char *buf,
			      size_t len)
{
	char name[POLICY_NAME_MAX + 16];

	snprintf(name, sizeof(name), "%s-%u", map, seq);
	snprintf(buf, len, "%s", name);
	return strlen(name) < POLICY_IFNAMSIZ && strlen(name) < len;
}

bool policy_crypto_map_exists(const struct policy_ios *ios, const char *map)
{
	for (size_t i = 0; i < ios->n_map; i++) {
		if (!strcmp(ios->map[i]->map, map))
			return true;
	}
	return false;
}

struct policy_crypto_map *policy_crypto_map_get(struct policy_ios *ios,
						const char *map, uint32_t seq,
						const struct policy_loc *loc)
{
	struct policy_crypto_map *m;

	for (size_t i = 0; i < ios->n_map; i++) {
		if (!strcmp(ios->map[i]->map, map) && ios->map[i]->seq == seq)
			return ios->map[i];
	}
	m = policy_ios_new(&ios->map, &ios->n_map, sizeof(*m));
	if (!m)
		return NULL;
	snprintf(m->map, sizeof(m->map), "%s", map);
	m->seq = seq;
	m->loc = *loc;
	policy_crypto_map_ifname(map, seq, m->ifname, sizeof(m->ifname));
	return m;
}

const struct policy_acl *policy_acl_find(const struct policy_ios *ios,
					 uint32_t number)
{
	for (size_t i = 0; i < ios->n_acl; i++) {
		if (ios->acl[i]->number == number)
			return ios->acl[i];
	}
	return NULL;
}

struct policy_acl *policy_acl_get(struct policy_ios *ios, uint32_t number,
				  const struct policy_loc *loc)
{
	struct policy_acl *a;

	for (size_t i = 0; i < ios->n_acl; i++) {
		if (ios->acl[i]->number == number)
			return ios->acl[i];
	}
	a = policy_ios_new(&ios->acl, &ios->n_acl, sizeof(*a));
	if (!a)
		return NULL;
	a->number = number;
	a->extended = (number >= 100 && number <= 199) ||
		      (number >= 2000 && number <= 2699);
	a->loc = *loc;
	return a;
}

int policy_acl_add(struct policy_acl *acl, const struct policy_acl_entry *e)
{
	if (!policy_grow(&acl->e, acl->n, sizeof(*acl->e)))
		return -ENOMEM;
	acl->e[acl->n++] = *e;
	return 0;
}

const struct policy_ios_if *policy_ios_if_find(const struct policy_ios *ios,
					       const char *name)
{
	size_t i = policy_iface_index(ios->iface, ios->n_iface, name);

	return i < ios->n_iface ? ios->iface[i] : NULL;
}

struct policy_ios_if *policy_ios_if_get(struct policy_ios *ios,
					const char *name,
					const struct policy_loc *loc)
{
	size_t i = policy_iface_index(ios->iface, ios->n_iface, name);
	struct policy_ios_if *f;

	if (i < ios->n_iface)
		return ios->iface[i];
	f = policy_ios_new(&ios->iface, &ios->n_iface, sizeof(*f));
	if (!f)
		return NULL;
	snprintf(f->name, sizeof(f->name), "%s", name);
	f->loc = *loc;
	return f;
}

int policy_route_add(struct policy_ios *ios, const struct policy_route *r)
{
	if (!policy_grow(&ios->route, ios->n_route, sizeof(*ios->route)))
		return -ENOMEM;
	ios->route[ios->n_route++] = *r;
	return 0;
}

static void policy_keyring_wipe(struct policy_keyring *r)
{
	for (size_t i = 0; i < r->n_psk; i++) {
		OPENSSL_cleanse(r->psk[i].key, r->psk[i].key_len);
		free(r->psk[i].key);
	}
	free(r->psk);
}

static void policy_free_all(void *arrayp, size_t n)
{
	void **array = *(void ***)arrayp;

	for (size_t i = 0; i < n; i++)
		free(array[i]);
	free(array);
}

void policy_ios_free(struct policy_ios *ios)
{
	if (!ios)
		return;
	policy_keyring_wipe(&ios->default_ring);
	for (size_t i = 0; i < ios->n_keyring; i++)
		policy_keyring_wipe(ios->keyring[i]);
	for (size_t i = 0; i < ios->n_acl; i++)
		free(ios->acl[i]->e);
	policy_free_all(&ios->policy, ios->n_policy);
	policy_free_all(&ios->keyring, ios->n_keyring);
	policy_free_all(&ios->profile, ios->n_profile);
	policy_free_all(&ios->tset, ios->n_tset);
	policy_free_all(&ios->ipsec_profile, ios->n_ipsec_profile);
	policy_free_all(&ios->map, ios->n_map);
	policy_free_all(&ios->acl, ios->n_acl);
	policy_free_all(&ios->iface, ios->n_iface);
	free(ios->route);
	free(ios);
}

/* Resolution */

struct policy_resolver {
	policy_report_fn *report;
	void *ctx;
	unsigned int errors;
};

__attribute__((format(printf, 3, 4)))
static void policy_unresolved(struct policy_resolver *r,
			      const struct policy_loc *loc, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	r->errors++;
	r->report(r->ctx, loc, POLICY_ERROR, msg);
}

static int policy_prio_cmp(const void *a, const void *b)
{
	const struct policy_isakmp_policy *x = *(const struct policy_isakmp_policy *const *)a;
	const struct policy_isakmp_policy *y = *(const struct policy_isakmp_policy *const *)b;

	return (int)x->prio - (int)y->prio;
}

static int policy_map_cmp(const void *a, const void *b)
{
	const struct policy_crypto_map *x = *(const struct policy_crypto_map *const *)a;
	const struct policy_crypto_map *y = *(const struct policy_crypto_map *const *)b;
	int c = strcmp(x->map, y->map);

	if (c)
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Transform sets and the ISAKMP profile of an IPsec profile or map. */
static void policy_resolve_sa(struct policy_resolver *r,
			      const struct policy_ios *ios,
			      struct policy_v1_sa *sa)
{
	for (int i = 0; i < sa->n_tset; i++) {
		sa->tset[i] = policy_tset_find(ios, sa->tset_name[i]);
		if (!sa->tset[i])
			policy_unresolved(r, &sa->loc[POLICY_V1_SF_TSET],
					  "no transform set named '%s'; expected the name of a 'crypto ipsec transform-set'",
					  sa->tset_name[i]);
	}
	if (sa->profile_name[0]) {
		sa->profile = policy_isakmp_profile_find(ios, sa->profile_name);
		if (!sa->profile)
			policy_unresolved(r, &sa->loc[POLICY_V1_SF_PROFILE],
					  "no ISAKMP profile named '%s'; expected the name of a 'crypto isakmp profile'",
					  sa->profile_name);
	}
}

/* Is a inside the subnet of f's address? */
static bool policy_in_subnet(const struct policy_addr *a,
			     const struct policy_ios_if *f)
{
	if (!f->floc[POLICY_IFF_ADDR].line || a->family != f->addr.family)
		return false;
	for (unsigned int bit = 0; bit < f->plen; bit++) {
		unsigned int m = 0x80u >> (bit % 8);

		if ((a->a[bit / 8] & m) != (f->addr.a[bit / 8] & m))
			return false;
	}
	return true;
}

/* A route leads into a tunnel by its name or by a next hop on it. */
static void policy_resolve_route(const struct policy_ios *ios,
				 struct policy_route *r)
{
	for (size_t i = 0; i < ios->n_iface; i++) {
		const struct policy_ios_if *f = ios->iface[i];

		if (!f->tunnel)
			continue;
		if (r->ifname[0] ? !strcmp(r->ifname, f->name) :
		    policy_in_subnet(&r->via, f))
			r->tunnel = f;
	}
}

unsigned int policy_ios_resolve(struct policy_config *cfg,
				policy_report_fn *report, void *ctx)
{
	struct policy_resolver r = { report, ctx, 0 };
	struct policy_ios *ios = cfg->ios;

	if (!ios)
		return 0;
	if (ios->n_policy > 1)
		qsort(ios->policy, ios->n_policy, sizeof(*ios->policy),
		      policy_prio_cmp);
	if (ios->n_map > 1)
		qsort(ios->map, ios->n_map, sizeof(*ios->map), policy_map_cmp);
	for (size_t i = 0; i < ios->n_profile; i++) {
		struct policy_isakmp_profile *p = ios->profile[i];

		/* A keyring not configured is a warning (policy_ios_check.c). */
		for (int k = 0; k < p->n_keyring; k++)
			p->keyring[k] = policy_keyring_find(ios, p->keyring_name[k]);
	}
	for (size_t i = 0; i < ios->n_ipsec_profile; i++)
		policy_resolve_sa(&r, ios, &ios->ipsec_profile[i]->sa);
	for (size_t i = 0; i < ios->n_map; i++) {
		struct policy_crypto_map *m = ios->map[i];

		policy_resolve_sa(&r, ios, &m->sa);
		if (m->sa.loc[POLICY_V1_SF_ACL].line)
			m->acl = policy_acl_find(ios, m->acl_number);
		for (size_t k = 0; k < ios->n_iface; k++) {
			if (!strcmp(ios->iface[k]->crypto_map, m->map))
				m->applied = ios->iface[k];
		}
	}
	for (size_t i = 0; i < ios->n_iface; i++) {
		struct policy_ios_if *f = ios->iface[i];

		if (!f->protection[0])
			continue;
		f->profile = policy_ipsec_profile_find(ios, f->protection);
		if (!f->profile)
			policy_unresolved(&r, &f->floc[POLICY_IFF_PROTECTION],
					  "no IPsec profile named '%s'; expected the name of a 'crypto ipsec profile'",
					  f->protection);
	}
	for (size_t i = 0; i < ios->n_route; i++)
		policy_resolve_route(ios, &ios->route[i]);
	for (size_t i = 0; i < ios->n_iface; i++) {
		const struct policy_ios_if *f = ios->iface[i];

		if (f->crypto_map[0] && !policy_crypto_map_exists(ios, f->crypto_map))
			policy_unresolved(&r, &f->floc[POLICY_IFF_CRYPTO_MAP],
					  "no crypto map named '%s'; expected the name of a 'crypto map NAME SEQ'",
					  f->crypto_map);
	}
	return r.errors;
}
