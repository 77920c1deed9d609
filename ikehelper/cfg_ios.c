// SPDX-License-Identifier: GPL-2.0
/*
 * The Cisco IOS dialect, IKEv1 part (seeds 000, 001, 002, 004): ISAKMP
 * policies, pre-shared keys and keyrings, ISAKMP profiles, the global
 * "crypto isakmp" settings and call admission control, and the "crypto"
 * keyword that leads to them and to IPsec (cfg_ios_ipsec.c).
 *
 * Where a line is absent, IOS's default applies (policy_ios.h): an
 * ISAKMP policy is des, sha, rsa-sig, group 1, 86400 s; the identity is
 * the address; DPD is off; "crypto isakmp keepalive S" retries every
 * 2 s, on demand.  A key is one word, in clear ("0") or refused when
 * type-6 encrypted ("6"); "address A" alone is A/32, but "address
 * 0.0.0.0" is every peer (seed 002's [0.0.0.0]).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include <openssl/crypto.h>

#include "cfg_parse.h"

/* "crypto isakmp policy N" */

static void cfg_run_isakmp_policy(struct cfg_parser *p, const struct cfg_cmd *c)
{
	struct policy_loc loc = { p->line->no, p->line->tok[0].col };
	struct policy_ios *ios;
	uint32_t prio;

	(void)c;
	p->mode = CFG_SKIP;
	if (!cfg_number(p, "priority", POLICY_V1_PRIO_MIN, POLICY_V1_PRIO_MAX,
			&prio) || !cfg_end(p) || !(ios = cfg_ios_model(p)))
		return;
	p->isakmp_policy = policy_isakmp_policy_get(ios, (uint16_t)prio, &loc);
	if (!p->isakmp_policy) {
		cfg_err(p, loc.col, "out of memory");
		return;
	}
	p->mode = CFG_IOS_ISAKMP_POLICY;
}

/* One word from a list of IOS names, as "one of: a, b". */
static int cfg_ios_pick(struct cfg_parser *p, const char *what,
			const char *const *names, size_t n)
{
	char expected[256] = "one of: ";
	size_t o = strlen(expected);
	struct cfg_tok *t;

	for (size_t i = 0; i < n; i++) {
		if (names[i])
			o += (size_t)snprintf(expected + o, sizeof(expected) - o,
					      "%s%s", o > 8 ? ", " : "", names[i]);
	}
	t = cfg_want(p, what, expected);
	if (!t)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (names[i] && !strcasecmp(t->s, names[i]))
			return (int)i;
	}
	p->pos--;
	cfg_err(p, t->col, "unknown %s '%s' for '%s'; expected %s", what, t->s,
		cfg_said(p), expected);
	return -1;
}

/* "encryption des|3des|aes [128|192|256]" */
static void cfg_run_encr(struct cfg_parser *p, const struct cfg_cmd *c)
{
	static const char *const names[] = { "des", "3des", "aes" };
	struct policy_isakmp_policy *pol = p->isakmp_policy;
	struct cfg_tok *bits;
	int k;

	(void)c;
	if (!cfg_once(p, &pol->floc[POLICY_IP_ENC]))
		return;
	k = cfg_ios_pick(p, "encryption algorithm", names, CFG_N(names));
	if (k < 0)
		return;
	if (k == 2 && (bits = cfg_peek(p))) {
		if (!strcmp(bits->s, "128")) {
			k = POLICY_V1_ENC_AES_128;
		} else if (!strcmp(bits->s, "192")) {
			k = POLICY_V1_ENC_AES_192;
		} else if (!strcmp(bits->s, "256")) {
			k = POLICY_V1_ENC_AES_256;
		} else {
			cfg_err(p, bits->col,
				"invalid AES key length '%s'; expected 128, 192 or 256",
				bits->s);
			return;
		}
		p->pos++;
	} else if (k == 2) {
		k = POLICY_V1_ENC_AES_128;
	} else {
		k = k ? POLICY_V1_ENC_3DES : POLICY_V1_ENC_DES;
	}
	if (!cfg_end(p))
		return;
	pol->enc = (uint8_t)k;
	cfg_mark(p, &pol->floc[POLICY_IP_ENC]);
}

static void cfg_run_hash(struct cfg_parser *p, const struct cfg_cmd *c)
{
	const char *names[POLICY_V1_HASH_COUNT];
	struct policy_isakmp_policy *pol = p->isakmp_policy;
	int k;

	(void)c;
	for (unsigned int i = 0; i < POLICY_V1_HASH_COUNT; i++)
		names[i] = policy_v1_alg(POLICY_V1_KIND_HASH, i)->name;
	if (!cfg_once(p, &pol->floc[POLICY_IP_HASH]))
		return;
	k = cfg_ios_pick(p, "hash algorithm", names, CFG_N(names));
	if (k < 0 || !cfg_end(p))
		return;
	pol->hash = (uint8_t)k;
	cfg_mark(p, &pol->floc[POLICY_IP_HASH]);
}

static void cfg_run_auth(struct cfg_parser *p, const struct cfg_cmd *c)
{
	static const char *const names[] = { "pre-share", "rsa-sig", "rsa-encr" };
	struct policy_isakmp_policy *pol = p->isakmp_policy;
	int k;

	(void)c;
	if (!cfg_once(p, &pol->floc[POLICY_IP_AUTH]))
		return;
	k = cfg_ios_pick(p, "authentication method", names, CFG_N(names));
	if (k < 0 || !cfg_end(p))
		return;
	if (k) {
		cfg_err(p, p->line->tok[p->path_start].col,
			"'authentication %s' is not supported yet (%s); expected 'authentication pre-share'",
			names[k], cfg_ios_features[k == 1 ? CFG_F_CERT :
						  CFG_F_RSA_ENCR]);
		return;
	}
	pol->auth = POLICY_V1_AUTH_PSK;
	cfg_mark(p, &pol->floc[POLICY_IP_AUTH]);
}

static void cfg_run_group(struct cfg_parser *p, const struct cfg_cmd *c)
{
	const char *names[POLICY_V1_GROUP_COUNT];
	struct policy_isakmp_policy *pol = p->isakmp_policy;
	int k;

	(void)c;
	for (unsigned int i = 0; i < POLICY_V1_GROUP_COUNT; i++)
		names[i] = policy_v1_alg(POLICY_V1_KIND_GROUP, i)->name;
	if (!cfg_once(p, &pol->floc[POLICY_IP_GROUP]))
		return;
	k = cfg_ios_pick(p, "DH group", names, CFG_N(names));
	if (k < 0 || !cfg_end(p))
		return;
	pol->group = (uint8_t)k;
	cfg_mark(p, &pol->floc[POLICY_IP_GROUP]);
}

static void cfg_run_lifetime(struct cfg_parser *p, const struct cfg_cmd *c)
{
	struct policy_isakmp_policy *pol = p->isakmp_policy;
	uint32_t v;

	(void)c;
	if (!cfg_once(p, &pol->floc[POLICY_IP_LIFETIME]) ||
	    !cfg_number(p, "seconds", POLICY_V1_LIFETIME_MIN,
			POLICY_V1_LIFETIME_MAX, &v) || !cfg_end(p))
		return;
	pol->lifetime = v;
	cfg_mark(p, &pol->floc[POLICY_IP_LIFETIME]);
}

/* Keys */

bool cfg_ios_key(struct cfg_parser *p, struct cfg_tok *k, uint8_t **key,
		 size_t *len)
{
	if (!k->len) {
		cfg_err(p, k->col, "empty key; expected the key as text");
		return false;
	}
	if (!strcmp(k->s, "<hidden>")) {
		cfg_err(p, k->col,
			"'<hidden>' stands for a key in a dump; expected the key itself");
		return false;
	}
	for (size_t i = 0; i < k->len; i++) {
		if (k->s[i] < ' ' || k->s[i] >= 0x7f) {
			cfg_err(p, k->col,
				"key with a byte that is not printable ASCII; expected text");
			return false;
		}
	}
	if (k->len > POLICY_PSK_MAX) {
		cfg_err(p, k->col, "key too long; expected at most %u bytes",
			POLICY_PSK_MAX);
		return false;
	}
	*key = malloc(k->len);
	if (!*key) {
		cfg_err(p, k->col, "out of memory");
		return false;
	}
	memcpy(*key, k->s, k->len);
	*len = k->len;
	return true;
}

/* "[0|6] KEY": the type, then the key; the key's column is secret. */
static struct cfg_tok *cfg_ios_key_word(struct cfg_parser *p,
					const char *const *after)
{
	struct cfg_tok *t = cfg_peek(p), *n;

	if (t && (!strcmp(t->s, "0") || !strcmp(t->s, "6")) &&
	    (n = p->pos + 1 < p->line->ntok ? &p->line->tok[p->pos + 1] : NULL) &&
	    !(after && (!strcasecmp(n->s, after[0]) || !strcasecmp(n->s, after[1])))) {
		p->pos++;
		if (t->s[0] == '6') {
			cfg_err(p, t->col, "'%s' is not supported yet (%s)",
				cfg_said(p), cfg_ios_features[CFG_F_TYPE6]);
			return NULL;
		}
	}
	t = cfg_peek(p);
	p->secret_col = t ? t->col : p->line->end_col;
	return cfg_want(p, "key", "the key as text");
}

/* The hostname of a key: a DNS name. */
static bool cfg_ios_host(struct cfg_parser *p, struct policy_v1_psk *e)
{
	struct cfg_tok *t = cfg_want(p, "host name", "a host name such as vpn.example.com");

	if (!t)
		return false;
	if (!cfg_is_fqdn(t->s)) {
		cfg_err(p, t->col,
			"invalid host name '%s'; expected a host name such as vpn.example.com",
			t->s);
		return false;
	}
	e->host = true;
	strcpy(e->hostname, t->s);
	return true;
}

/* Add a key to a keyring, unless the same address or host has one. */
static void cfg_ios_add_key(struct cfg_parser *p, struct policy_keyring *r,
			    struct policy_v1_psk *e, uint8_t *key,
			    size_t len)
{
	const struct policy_v1_psk *old = policy_keyring_same(r, e);

	if (old) {
		cfg_err(p, p->line->tok[0].col,
			"keyring %s already has a key for this %s at line %u; expected one key each",
			r->name, e->host ? "host" : "address", old->loc.line);
		OPENSSL_cleanse(key, len);
		free(key);
		return;
	}
	cfg_mark(p, &e->loc);
	if (policy_keyring_add(r, e, key, len))
		cfg_err(p, p->line->tok[0].col, "out of memory");
}

/* "crypto isakmp key [0|6] KEY address A [MASK] | hostname H [no-xauth]" */
static void cfg_run_isakmp_key(struct cfg_parser *p, const struct cfg_cmd *c)
{
	static const char *const after[] = { "address", "hostname" };
	struct policy_v1_psk e = { 0 };
	struct policy_ios *ios;
	struct cfg_tok *k, *t;
	uint8_t *key = NULL;
	size_t len = 0;

	(void)c;
	k = cfg_ios_key_word(p, after);
	if (!k)
		return;
	t = cfg_peek(p);
	p->secret_end = t ? t->col : p->line->end_col;
	t = cfg_want(p, "address or hostname", "'address A [MASK]' or 'hostname H'");
	if (!t)
		return;
	if (!strcasecmp(t->s, "address")) {
		if (!cfg_ios_prefix(p, "address", &e.addr, &e.plen, true))
			return;
	} else if (!strcasecmp(t->s, "hostname")) {
		if (!cfg_ios_host(p, &e))
			return;
	} else {
		p->pos--;
		cfg_err(p, t->col, "unexpected '%s' after '%s'; expected 'address A [MASK]' or 'hostname H'",
			t->s, cfg_said(p));
		return;
	}
	t = cfg_peek(p);
	if (t && !strcasecmp(t->s, "no-xauth")) {
		e.no_xauth = true;
		p->pos++;
	} else if (t) {
		cfg_err(p, t->col, "unexpected '%s' after '%s'; expected no-xauth or end of line",
			t->s, cfg_said(p));
		return;
	}
	if (!(ios = cfg_ios_model(p)) || !cfg_ios_key(p, k, &key, &len))
		return;
	cfg_ios_add_key(p, &ios->default_ring, &e, key, len);
}

/* "crypto keyring NAME" */
static void cfg_run_keyring(struct cfg_parser *p, const struct cfg_cmd *c)
{
	struct policy_loc loc = { p->line->no, p->line->tok[0].col };
	struct policy_ios *ios;
	struct cfg_tok *t;

	(void)c;
	p->mode = CFG_SKIP;
	t = cfg_want_name(p, "keyring name");
	if (!t)
		return;
	if (cfg_peek(p) && !strcasecmp(cfg_peek(p)->s, "vrf")) {
		cfg_err(p, cfg_peek(p)->col, "'%s vrf' is not supported yet (%s)",
			cfg_said(p), cfg_ios_features[CFG_F_VRF]);
		return;
	}
	if (!cfg_end(p) || !(ios = cfg_ios_model(p)))
		return;
	if (!strcmp(t->s, "default")) {
		cfg_err(p, t->col,
			"'default' is the keyring of the 'crypto isakmp key' lines; expected another name");
		return;
	}
	p->keyring = policy_keyring_get(ios, t->s, &loc);
	if (!p->keyring) {
		cfg_err(p, t->col, "out of memory");
		return;
	}
	p->mode = CFG_IOS_KEYRING;
}

/* "pre-shared-key address A [MASK] | hostname H key [0|6] KEY" */
static void cfg_run_keyring_psk(struct cfg_parser *p, const struct cfg_cmd *c)
{
	struct policy_v1_psk e = { 0 };
	struct cfg_tok *t, *k;
	uint8_t *key = NULL;
	size_t len = 0;

	(void)c;
	t = cfg_want(p, "address or hostname", "'address A [MASK]' or 'hostname H'");
	if (!t)
		return;
	if (!strcasecmp(t->s, "address")) {
		if (!cfg_ios_prefix(p, "address", &e.addr, &e.plen, false))
			return;
	} else if (!strcasecmp(t->s, "hostname")) {
		if (!cfg_ios_host(p, &e))
			return;
	} else {
		p->pos--;
		cfg_err(p, t->col, "unexpected '%s' after '%s'; expected 'address A [MASK]' or 'hostname H'",
			t->s, cfg_said(p));
		return;
	}
	if (!cfg_want_kw(p, "key", "'key KEY'"))
		return;
	k = cfg_ios_key_word(p, NULL);
	if (!k || !cfg_end(p) || !cfg_ios_key(p, k, &key, &len))
		return;
	cfg_ios_add_key(p, p->keyring, &e, key, len);
}

/* A word after an address there is a VRF: refused, the line in full. */
static bool cfg_ios_no_vrf(struct cfg_parser *p)
{
	struct cfg_tok *t = cfg_peek(p);

	if (!t)
		return true;
	p->pos = p->line->ntok;
	cfg_err(p, t->col, "'%s' is not supported yet (%s)", cfg_said(p),
		cfg_ios_features[CFG_F_VRF]);
	return false;
}

/* "local-address IF|ADDR" of a keyring or an ISAKMP profile. */
static bool cfg_ios_local(struct cfg_parser *p, struct policy_v1_local *l)
{
	struct cfg_tok *t = cfg_want(p, "local address",
				     "an interface name or an IPv4 address");

	if (!t)
		return false;
	memset(l, 0, sizeof(*l));
	if (!cfg_is_addr(t->s, &l->addr)) {
		if (!cfg_is_ifname(t->s)) {
			cfg_err(p, t->col,
				"invalid local address '%s'; expected an interface name or an IPv4 address",
				t->s);
			return false;
		}
		strcpy(l->ifname, t->s);
	} else if (l->addr.family != AF_INET) {
		cfg_err(p, t->col, "'%s' is not supported yet (%s)",
			cfg_said(p), cfg_ios_features[CFG_F_IPV6]);
		return false;
	}
	return cfg_ios_no_vrf(p);
}

static void cfg_run_keyring_local(struct cfg_parser *p, const struct cfg_cmd *c)
{
	struct policy_v1_local l;

	(void)c;
	if (!cfg_once(p, &p->keyring->local_loc) || !cfg_ios_local(p, &l))
		return;
	p->keyring->local = l;
	cfg_mark(p, &p->keyring->local_loc);
}

/* "crypto isakmp profile NAME" */

static void cfg_run_isakmp_profile(struct cfg_parser *p, const struct cfg_cmd *c)
{
	struct policy_loc loc = { p->line->no, p->line->tok[0].col };
	struct policy_ios *ios;
	struct cfg_tok *t;

	(void)c;
	p->mode = CFG_SKIP;
	t = cfg_want_name(p, "profile name");
	if (!t || !cfg_end(p) || !(ios = cfg_ios_model(p)))
		return;
	p->isakmp_profile = policy_isakmp_profile_get(ios, t->s, &loc);
	if (!p->isakmp_profile) {
		cfg_err(p, t->col, "out of memory");
		return;
	}
	p->mode = CFG_IOS_ISAKMP_PROFILE;
}

static void cfg_run_profile_keyring(struct cfg_parser *p, const struct cfg_cmd *c)
{
	struct policy_isakmp_profile *pr = p->isakmp_profile;
	struct cfg_tok *t;

	(void)c;
	t = cfg_want_name(p, "keyring name");
	if (!t || !cfg_end(p))
		return;
	for (int i = 0; i < pr->n_keyring; i++) {
		if (!strcmp(pr->keyring_name[i], t->s)) {
			cfg_err(p, t->col, "keyring %s is already in this profile at line %u; expected it once",
				t->s, pr->keyring_loc[i].line);
			return;
		}
	}
	if (pr->n_keyring >= POLICY_V1_KEYRINGS_MAX) {
		cfg_err(p, t->col, "too many keyrings; expected at most %d",
			POLICY_V1_KEYRINGS_MAX);
		return;
	}
	strcpy(pr->keyring_name[pr->n_keyring], t->s);
	cfg_mark(p, &pr->keyring_loc[pr->n_keyring++]);
}

/* "match identity address A [MASK] | host FQDN | host domain D" */
static void cfg_run_match_identity(struct cfg_parser *p, const struct cfg_cmd *c)
{
	struct policy_isakmp_profile *pr = p->isakmp_profile;
	struct policy_v1_match m = { 0 };
	struct cfg_tok *t;

	(void)c;
	t = cfg_want(p, "identity", "address, host or host domain");
	if (!t)
		return;
	if (!strcasecmp(t->s, "address")) {
		m.kind = POLICY_V1_MATCH_ADDR;
		if (!cfg_ios_prefix(p, "address", &m.addr, &m.plen, false) ||
		    !cfg_ios_no_vrf(p))
			return;
	} else if (!strcasecmp(t->s, "host")) {
		m.kind = POLICY_V1_MATCH_HOST;
		t = cfg_want(p, "host name", "a host name, or 'domain D'");
		if (!t)
			return;
		if (!strcasecmp(t->s, "domain")) {
			m.kind = POLICY_V1_MATCH_DOMAIN;
			t = cfg_want(p, "domain", "a domain such as example.com");
			if (!t)
				return;
		}
		if (!cfg_is_fqdn(t->s)) {
			cfg_err(p, t->col, "invalid %s '%s'; expected a name such as example.com",
				m.kind == POLICY_V1_MATCH_HOST ? "host name" : "domain",
				t->s);
			return;
		}
		strcpy(m.name, t->s);
		if (!cfg_end(p))
			return;
	} else {
		p->pos--;
		cfg_err(p, t->col, "unknown identity '%s' for '%s'; expected address, host or host domain",
			t->s, cfg_said(p));
		return;
	}
	if (pr->n_match >= POLICY_V1_MATCH_MAX) {
		cfg_err(p, p->line->tok[0].col, "too many 'match identity' lines; expected at most %d",
			POLICY_V1_MATCH_MAX);
		return;
	}
	cfg_mark(p, &m.loc);
	pr->match[pr->n_match++] = m;
}

/* "self-identity address | fqdn | user-fqdn USER@DOMAIN" */
static void cfg_run_self_identity(struct cfg_parser *p, const struct cfg_cmd *c)
{
	static const char *const names[] = { "address", "fqdn", "user-fqdn" };
	struct policy_isakmp_profile *pr = p->isakmp_profile;
	struct cfg_tok *t;
	int k;

	(void)c;
	if (!cfg_once(p, &pr->floc[POLICY_IPF_SELF_ID]))
		return;
	k = cfg_ios_pick(p, "identity", names, CFG_N(names));
	if (k < 0)
		return;
	if (k == POLICY_V1_ID_USER_FQDN) {
		t = cfg_want(p, "user-fqdn", "a mail address such as user@example.com");
		if (!t)
			return;
		if (!cfg_is_email(t->s) || t->len > POLICY_ID_MAX) {
			cfg_err(p, t->col, "invalid user-fqdn '%s'; expected a mail address such as user@example.com",
				t->s);
			return;
		}
		strcpy(pr->self_user, t->s);
	}
	if (!cfg_end(p))
		return;
	pr->self_id = (uint8_t)k;
	cfg_mark(p, &pr->floc[POLICY_IPF_SELF_ID]);
}

/* Profile: "keepalive S retry R" */
static void cfg_run_profile_keepalive(struct cfg_parser *p, const struct cfg_cmd *c)
{
	struct policy_isakmp_profile *pr = p->isakmp_profile;
	struct policy_v1_dpd dpd = { 0, POLICY_V1_DPD_RETRY, false };

	(void)c;
	if (!cfg_once(p, &pr->floc[POLICY_IPF_KEEPALIVE]) ||
	    !cfg_number(p, "seconds", POLICY_V1_DPD_MIN, POLICY_V1_DPD_MAX,
			&dpd.interval) ||
	    !cfg_want_kw(p, "retry", "'retry SECONDS'") ||
	    !cfg_number(p, "seconds", POLICY_V1_DPD_RETRY_MIN,
			POLICY_V1_DPD_RETRY_MAX, &dpd.retry) || !cfg_end(p))
		return;
	pr->dpd = dpd;
	cfg_mark(p, &pr->floc[POLICY_IPF_KEEPALIVE]);
}

static void cfg_run_initiate(struct cfg_parser *p, const struct cfg_cmd *c)
{
	struct policy_isakmp_profile *pr = p->isakmp_profile;

	(void)c;
	if (!cfg_once(p, &pr->floc[POLICY_IPF_AGGRESSIVE]) ||
	    !cfg_want_kw(p, "mode", "'mode aggressive'") ||
	    !cfg_want_kw(p, "aggressive", "'mode aggressive'") || !cfg_end(p))
		return;
	pr->aggressive = true;
	cfg_mark(p, &pr->floc[POLICY_IPF_AGGRESSIVE]);
}

static void cfg_run_profile_local(struct cfg_parser *p, const struct cfg_cmd *c)
{
	struct policy_isakmp_profile *pr = p->isakmp_profile;
	struct policy_v1_local l;

	(void)c;
	if (!cfg_once(p, &pr->floc[POLICY_IPF_LOCAL]) || !cfg_ios_local(p, &l))
		return;
	pr->local = l;
	cfg_mark(p, &pr->floc[POLICY_IPF_LOCAL]);
}

/* Global "crypto isakmp" settings */

/* "crypto isakmp identity address|hostname" */
static void cfg_run_identity(struct cfg_parser *p, const struct cfg_cmd *c)
{
	static const char *const names[] = { "address", "hostname", "dn" };
	struct policy_ios *ios;
	int k;

	(void)c;
	if (!(ios = cfg_ios_model(p)) || !cfg_once(p, &ios->floc[POLICY_IOSF_IDENTITY]))
		return;
	k = cfg_ios_pick(p, "identity", names, CFG_N(names));
	if (k < 0 || !cfg_end(p))
		return;
	if (k == 2) {
		cfg_err(p, p->line->tok[p->path_start].col,
			"'crypto isakmp identity dn' is not supported yet (%s)",
			cfg_ios_features[CFG_F_CERT]);
		return;
	}
	ios->identity = (uint8_t)k;
	cfg_mark(p, &ios->floc[POLICY_IOSF_IDENTITY]);
}

/* "crypto isakmp keepalive S [R] [periodic|on-demand]" */
static void cfg_run_keepalive(struct cfg_parser *p, const struct cfg_cmd *c)
{
	struct policy_v1_dpd dpd = { 0, POLICY_V1_DPD_RETRY, false };
	struct policy_ios *ios;
	struct cfg_tok *t;

	(void)c;
	if (!(ios = cfg_ios_model(p)) || !cfg_once(p, &ios->floc[POLICY_IOSF_KEEPALIVE]) ||
	    !cfg_number(p, "seconds", POLICY_V1_DPD_MIN, POLICY_V1_DPD_MAX,
			&dpd.interval))
		return;
	t = cfg_peek(p);
	if (t && cfg_is_digits(t->s) &&
	    !cfg_number(p, "retry seconds", POLICY_V1_DPD_RETRY_MIN,
			POLICY_V1_DPD_RETRY_MAX, &dpd.retry))
		return;
	t = cfg_peek(p);
	if (t && (!strcasecmp(t->s, "periodic") || !strcasecmp(t->s, "on-demand"))) {
		dpd.periodic = !strcasecmp(t->s, "periodic");
		p->pos++;
	} else if (t) {
		cfg_err(p, t->col, "unexpected '%s' after '%s'; expected periodic, on-demand or end of line",
			t->s, cfg_said(p));
		return;
	}
	if (!cfg_end(p))
		return;
	ios->dpd = dpd;
	cfg_mark(p, &ios->floc[POLICY_IOSF_KEEPALIVE]);
}

/* "crypto isakmp nat keepalive S": read; the notice says it cannot act. */
static void cfg_run_nat_keepalive(struct cfg_parser *p, const struct cfg_cmd *c)
{
	struct policy_ios *ios;
	uint32_t v;

	(void)c;
	if (!(ios = cfg_ios_model(p)) ||
	    !cfg_once(p, &ios->floc[POLICY_IOSF_NAT_KEEPALIVE]) ||
	    !cfg_number(p, "seconds", POLICY_V1_NATKA_MIN, POLICY_V1_NATKA_MAX, &v) ||
	    !cfg_end(p))
		return;
	ios->nat_keepalive = v;
	cfg_mark(p, &ios->floc[POLICY_IOSF_NAT_KEEPALIVE]);
}

/* "crypto call admission limit ike sa N | in-negotiation-sa N" */
static void cfg_run_cac(struct cfg_parser *p, const struct cfg_cmd *c)
{
	struct policy_cac *cac = &p->cfg->cac;
	struct policy_loc *loc = c->arg ? &cac->neg_loc : &cac->sa_loc;
	uint32_t v;

	if (!cfg_once(p, loc) ||
	    !cfg_number(p, "SAs", c->arg ? POLICY_CAC_NEG_MIN : 0,
			c->arg ? POLICY_CAC_NEG_MAX : POLICY_CAC_SA_MAX, &v) ||
	    !cfg_end(p) || !cfg_ios_model(p))
		return;
	if (c->arg)
		cac->neg_max = v;
	else
		cac->sa_max = v;
	cfg_mark(p, loc);
}

/* The grammar */

const struct cfg_cmd cfg_ios_isakmp_policy[] = {
	{ "authentication", NULL, cfg_run_auth, 0, 0, 0 },
	{ "encr", NULL, cfg_run_encr, CFG_HIDDEN, 0, 0 },
	{ "encryption", NULL, cfg_run_encr, 0, 0, 0 },
	{ "exit", NULL, cfg_run_exit, 0, 0, 0 },
	{ "group", NULL, cfg_run_group, 0, 0, 0 },
	{ "hash", NULL, cfg_run_hash, 0, 0, 0 },
	{ "lifetime", NULL, cfg_run_lifetime, 0, 0, 0 },
	{ NULL, NULL, NULL, 0, 0, 0 },
};

const struct cfg_cmd cfg_ios_keyring[] = {
	{ "description", NULL, cfg_ios_skip, CFG_HIDDEN, 0, 0 },
	{ "exit", NULL, cfg_run_exit, 0, 0, 0 },
	{ "local-address", NULL, cfg_run_keyring_local, 0, 0, 0 },
	{ "pre-shared-key", NULL, cfg_run_keyring_psk, 0, 0, 0 },
	{ "rsa-pubkey", NULL, cfg_ios_refuse, 0, CFG_F_CERT, 0 },
	{ NULL, NULL, NULL, 0, 0, 0 },
};

static const struct cfg_cmd cfg_ios_match[] = {
	{ "certificate", NULL, cfg_ios_refuse, 0, CFG_F_CERT, 0 },
	{ "identity", NULL, cfg_run_match_identity, 0, 0, 0 },
	{ NULL, NULL, NULL, 0, 0, 0 },
};

static const struct cfg_cmd cfg_ios_profile_client[] = {
	{ "authentication", NULL, cfg_ios_refuse, 0, CFG_F_XAUTH, 0 },
	{ "configuration", NULL, cfg_ios_refuse, 0, CFG_F_MODECFG, 0 },
	{ NULL, NULL, NULL, 0, 0, 0 },
};

static const struct cfg_cmd cfg_ios_profile_isakmp[] = {
	{ "authorization", NULL, cfg_ios_refuse, 0, CFG_F_MODECFG, 0 },
	{ NULL, NULL, NULL, 0, 0, 0 },
};

const struct cfg_cmd cfg_ios_isakmp_profile[] = {
	{ "ca", NULL, cfg_ios_refuse, 0, CFG_F_CERT, 0 },
	{ "client", cfg_ios_profile_client, NULL, 0, 0, 0 },
	{ "description", NULL, cfg_ios_skip, CFG_HIDDEN, 0, 0 },
	{ "exit", NULL, cfg_run_exit, 0, 0, 0 },
	{ "initiate", NULL, cfg_run_initiate, 0, 0, 0 },
	{ "isakmp", cfg_ios_profile_isakmp, NULL, 0, 0, 0 },
	{ "keepalive", NULL, cfg_run_profile_keepalive, 0, 0, 0 },
	{ "keyring", NULL, cfg_run_profile_keyring, 0, 0, 0 },
	{ "local-address", NULL, cfg_run_profile_local, 0, 0, 0 },
	{ "match", cfg_ios_match, NULL, 0, 0, 0 },
	{ "self-identity", NULL, cfg_run_self_identity, 0, 0, 0 },
	{ "vrf", NULL, cfg_ios_refuse, 0, CFG_F_VRF, 0 },
	{ NULL, NULL, NULL, 0, 0, 0 },
};

static const struct cfg_cmd cfg_ios_isakmp_nat[] = {
	{ "keepalive", NULL, cfg_run_nat_keepalive, 0, 0, 0 },
	{ NULL, NULL, NULL, 0, 0, 0 },
};

static const struct cfg_cmd cfg_ios_isakmp_client[] = {
	{ "configuration", NULL, cfg_ios_refuse, 0, CFG_F_MODECFG, 0 },
	{ NULL, NULL, NULL, 0, 0, 0 },
};

static const struct cfg_cmd cfg_ios_isakmp[] = {
	{ "client", cfg_ios_isakmp_client, NULL, 0, 0, 0 },
	{ "identity", NULL, cfg_run_identity, 0, 0, 0 },
	{ "keepalive", NULL, cfg_run_keepalive, 0, 0, 0 },
	{ "key", NULL, cfg_run_isakmp_key, 0, 0, 0 },
	{ "nat", cfg_ios_isakmp_nat, NULL, 0, 0, 0 },
	{ "policy", NULL, cfg_run_isakmp_policy, 0, 0, 0 },
	{ "profile", NULL, cfg_run_isakmp_profile, 0, 0, 0 },
	{ NULL, NULL, NULL, 0, 0, 0 },
};

static const struct cfg_cmd cfg_ios_cac_ike[] = {
	{ "in-negotiation-sa", NULL, cfg_run_cac, 0, 1, 0 },
	{ "sa", NULL, cfg_run_cac, 0, 0, 0 },
	{ NULL, NULL, NULL, 0, 0, 0 },
};

static const struct cfg_cmd cfg_ios_cac_limit[] = {
	{ "ike", cfg_ios_cac_ike, NULL, 0, 0, 0 },
	{ NULL, NULL, NULL, 0, 0, 0 },
};

static const struct cfg_cmd cfg_ios_cac[] = {
	{ "limit", cfg_ios_cac_limit, NULL, 0, 0, 0 },
	{ NULL, NULL, NULL, 0, 0, 0 },
};

static const struct cfg_cmd cfg_ios_crypto_call[] = {
	{ "admission", cfg_ios_cac, NULL, 0, 0, 0 },
	{ NULL, NULL, NULL, 0, 0, 0 },
};

const struct cfg_cmd cfg_ios_crypto[] = {
	{ "ca", NULL, cfg_ios_refuse, 0, CFG_F_CERT, 0 },
	{ "call", cfg_ios_crypto_call, NULL, 0, 0, 0 },
	{ "dynamic-map", NULL, cfg_ios_refuse, 0, CFG_F_DYNMAP, 0 },
	{ "ikev2", NULL, cfg_ios_refuse, 0, CFG_F_IKEV2, 0 },
	{ "ipsec", cfg_ios_crypto_ipsec, NULL, 0, 0, 0 },
	{ "isakmp", cfg_ios_isakmp, NULL, 0, 0, 0 },
	{ "key", NULL, cfg_ios_refuse, 0, CFG_F_CERT, 0 },
	{ "keyring", NULL, cfg_run_keyring, 0, 0, 0 },
	{ "map", NULL, cfg_ios_run_crypto_map, 0, 0, 0 },
	{ "pki", NULL, cfg_ios_refuse, 0, CFG_F_CERT, 0 },
	{ NULL, NULL, NULL, 0, 0, 0 },
};
