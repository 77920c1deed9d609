// SPDX-License-Identifier: GPL-2.0
/*
 * The Cisco IOS dialect, IPsec part: transform sets, IPsec profiles and
 * crypto map entries, and the "set" lines they share.  Access lists,
 * routes and interfaces are in cfg_ios_if.c.
 *
 * IOS defaults where a line is absent: "mode tunnel"; no PFS ("set pfs"
 * alone is group 1); lifetimes from "crypto ipsec security-association
 * lifetime", else 3600 s and 4608000 KB.  A crypto map entry "crypto
 * map NAME SEQ" becomes the ikevti device "NAME-SEQ" (policy_ios.h).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "cfg_parse.h"

/* "crypto ipsec transform-set NAME T..." */

static const struct {
	const char *name;
	bool auth;
	uint8_t alg;
	bool bits;			/* takes 128|192|256 */
} cfg_esp_words[] = {
	{ "esp-3des", false, POLICY_ESP_ENC_3DES, false },
	{ "esp-aes", false, POLICY_ESP_ENC_AES, true },
	{ "esp-des", false, POLICY_ESP_ENC_DES, false },
	{ "esp-gcm", false, POLICY_ESP_ENC_GCM, true },
	{ "esp-md5-hmac", true, POLICY_ESP_AUTH_MD5, false },
	{ "esp-null", false, POLICY_ESP_ENC_NULL, false },
	{ "esp-seal", false, POLICY_ESP_ENC_SEAL, false },
	{ "esp-sha-hmac", true, POLICY_ESP_AUTH_SHA1, false },
	{ "esp-sha256-hmac", true, POLICY_ESP_AUTH_SHA256, false },
	{ "esp-sha384-hmac", true, POLICY_ESP_AUTH_SHA384, false },
	{ "esp-sha512-hmac", true, POLICY_ESP_AUTH_SHA512, false },
};

#define CFG_ESP_RULE \
	"esp-aes [128|192|256], esp-gcm [128|192|256], esp-3des, esp-des, " \
	"esp-null, esp-seal, esp-md5-hmac, esp-sha-hmac, esp-sha256-hmac, " \
	"esp-sha384-hmac, esp-sha512-hmac"

/* One transform word (and its key length) into ts. */
static bool cfg_esp_word(struct cfg_parser *p, struct policy_transform_set *ts)
{
	struct cfg_tok *t = cfg_next(p), *b;
	size_t k;

	for (k = 0; k < CFG_N(cfg_esp_words); k++) {
		if (!strcasecmp(t->s, cfg_esp_words[k].name))
			break;
	}
	if (k == CFG_N(cfg_esp_words)) {
		p->pos--;
		if (!strncasecmp(t->s, "ah-", 3))
			cfg_err(p, t->col, "'%s' is not supported yet (%s)", t->s,
				cfg_ios_features[CFG_F_AH]);
		else if (!strncasecmp(t->s, "comp-", 5))
			cfg_err(p, t->col, "'%s' is not supported yet (%s)", t->s,
				cfg_ios_features[CFG_F_IPCOMP]);
		else
			cfg_err(p, t->col, "unknown transform '%s'; expected " CFG_ESP_RULE,
				t->s);
		return false;
	}
	if (cfg_esp_words[k].auth ? ts->auth : ts->enc) {
		cfg_err(p, t->col, "a second %s transform '%s'; expected one encryption and one authentication transform",
			cfg_esp_words[k].auth ? "authentication" : "encryption",
			t->s);
		return false;
	}
	if (cfg_esp_words[k].auth) {
		ts->auth = cfg_esp_words[k].alg;
		ts->auth_col = t->col;
		return true;
	}
	ts->enc = cfg_esp_words[k].alg;
	ts->enc_col = t->col;
	ts->enc_bits = cfg_esp_words[k].bits ? 128 : 0;
	b = cfg_peek(p);
	if (cfg_esp_words[k].bits && b && cfg_is_digits(b->s)) {
		if (strcmp(b->s, "128") && strcmp(b->s, "192") && strcmp(b->s, "256")) {
			cfg_err(p, b->col, "invalid key length '%s' for '%s'; expected 128, 192 or 256",
				b->s, t->s);
			return false;
		}
		ts->enc_bits = (uint16_t)atoi(b->s);
		p->pos++;
	}
	return true;
}

static bool cfg_tset_same(const struct policy_transform_set *a,
			  const struct policy_transform_set *b)
{
	return a->enc == b->enc && a->enc_bits == b->enc_bits &&
	       a->auth == b->auth;
}

static void cfg_run_tset(struct cfg_parser *p, const struct cfg_cmd *c)
{
	struct policy_loc loc = { p->line->no, p->line->tok[0].col };
	const struct policy_transform_set *old;
	struct policy_transform_set ts = { 0 };
	struct policy_ios *ios;
	struct cfg_tok *name;

	(void)c;
	p->mode = CFG_SKIP;
	name = cfg_want_name(p, "transform set name");
	if (!name)
		return;
	if (!cfg_peek(p)) {
		cfg_want(p, "transform", CFG_ESP_RULE);
		return;
	}
	while (cfg_peek(p)) {
		if (!cfg_esp_word(p, &ts))
			return;
	}
	if (ts.enc == POLICY_ESP_ENC_GCM && ts.auth) {
		cfg_err(p, ts.auth_col, "esp-gcm authenticates by itself; expected no authentication transform with it");
		return;
	}
	if (ts.enc == POLICY_ESP_ENC_NULL && !ts.auth) {
		cfg_err(p, ts.enc_col, "esp-null needs an authentication transform; expected one such as esp-sha256-hmac");
		return;
	}
	/* Seed 004: SEAL only with an authentication transform. */
	if (ts.enc == POLICY_ESP_ENC_SEAL && ts.auth != POLICY_ESP_AUTH_MD5 &&
	    ts.auth != POLICY_ESP_AUTH_SHA1) {
		cfg_err(p, ts.enc_col, "esp-seal needs esp-md5-hmac or esp-sha-hmac; expected one of them with it");
		return;
	}
	if (!(ios = cfg_ios_model(p)))
		return;
	old = policy_tset_find(ios, name->s);
	if (old && !cfg_tset_same(old, &ts)) {
		cfg_err(p, name->col, "transform set %s is already defined at line %u with other transforms; expected each set once",
			name->s, old->loc.line);
		return;
	}
	p->tset = policy_tset_get(ios, name->s, &loc);
	if (!p->tset) {
		cfg_err(p, name->col, "out of memory");
		return;
	}
	if (!old) {
		ts.loc = p->tset->loc;
		strcpy(ts.name, p->tset->name);
		*p->tset = ts;
	}
	p->mode = CFG_IOS_TSET;
}

static void cfg_run_tset_mode(struct cfg_parser *p, const struct cfg_cmd *c)
{
	struct cfg_tok *t;

	(void)c;
	if (!cfg_once(p, &p->tset->mode_loc))
		return;
	t = cfg_want(p, "mode", "tunnel");
	if (!t)
		return;
	if (!strcasecmp(t->s, "transport")) {
		cfg_err(p, t->col, "'mode transport' is not supported (an ikevti device carries whole packets); expected 'mode tunnel'");
		return;
	}
	if (strcasecmp(t->s, "tunnel")) {
		cfg_err(p, t->col, "unknown mode '%s'; expected tunnel", t->s);
		return;
	}
	if (cfg_end(p))
		cfg_mark(p, &p->tset->mode_loc);
}

/* "crypto ipsec profile NAME" */
static void cfg_run_ipsec_profile(struct cfg_parser *p, const struct cfg_cmd *c)
{
	struct policy_loc loc = { p->line->no, p->line->tok[0].col };
	struct policy_ipsec_profile *pr;
	struct policy_ios *ios;
	struct cfg_tok *t;

	(void)c;
	p->mode = CFG_SKIP;
	t = cfg_want_name(p, "profile name");
	if (!t || !cfg_end(p) || !(ios = cfg_ios_model(p)))
		return;
	pr = policy_ipsec_profile_get(ios, t->s, &loc);
	if (!pr) {
		cfg_err(p, t->col, "out of memory");
		return;
	}
	p->sa = &pr->sa;
	p->map = NULL;
	p->mode = CFG_IOS_IPSEC_PROFILE;
}

/* "lifetime seconds N | kilobytes N", in "set security-association" and
 * "crypto ipsec security-association" (arg 1: the global one). */
static void cfg_run_sa_lifetime(struct cfg_parser *p, const struct cfg_cmd *c)
{
	static const char *const names[] = { "seconds", "kilobytes" };
	struct policy_loc *loc;
	struct policy_ios *ios;
	struct cfg_tok *t;
	bool kb;
	uint32_t v;

	t = cfg_want(p, "unit", "seconds or kilobytes");
	if (!t)
		return;
	if (strcasecmp(t->s, names[0]) && strcasecmp(t->s, names[1])) {
		cfg_err(p, t->col, "unknown unit '%s'; expected seconds or kilobytes",
			t->s);
		return;
	}
	kb = !strcasecmp(t->s, names[1]);
	if (c->arg) {
		if (!(ios = cfg_ios_model(p)))
			return;
		loc = &ios->floc[kb ? POLICY_IOSF_SA_KB : POLICY_IOSF_SA_SECONDS];
	} else {
		loc = &p->sa->loc[kb ? POLICY_V1_SF_KB : POLICY_V1_SF_SECONDS];
	}
	if (!cfg_once(p, loc) ||
	    !cfg_number(p, kb ? "kilobytes" : "seconds",
			kb ? POLICY_V1_SA_KB_MIN : POLICY_V1_SA_SECONDS_MIN,
			kb ? POLICY_V1_SA_KB_MAX : POLICY_V1_SA_SECONDS_MAX, &v) ||
	    !cfg_end(p))
		return;
	if (c->arg && kb)
		p->ios->sa_kb = v;
	else if (c->arg)
		p->ios->sa_seconds = v;
	else if (kb)
		p->sa->kb = v;
	else
		p->sa->seconds = v;
	cfg_mark(p, loc);
}

/* "set transform-set A [B ...]" */
static void cfg_run_set_tset(struct cfg_parser *p, const struct cfg_cmd *c)
{
	struct policy_v1_sa *sa = p->sa, n = { 0 };
	struct cfg_tok *t;

	(void)c;
	if (!cfg_once(p, &sa->loc[POLICY_V1_SF_TSET]))
		return;
	if (!cfg_peek(p)) {
		cfg_want_name(p, "transform set name");
		return;
	}
	while ((t = cfg_peek(p))) {
		if (!cfg_want_name(p, "transform set name"))
			return;
		for (int i = 0; i < n.n_tset; i++) {
			if (!strcmp(n.tset_name[i], t->s)) {
				cfg_err(p, t->col, "'%s' is listed twice; expected each transform set once",
					t->s);
				return;
			}
		}
		if (n.n_tset >= POLICY_V1_TSETS_MAX) {
			cfg_err(p, t->col, "too many transform sets; expected at most %d",
				POLICY_V1_TSETS_MAX);
			return;
		}
		strcpy(n.tset_name[n.n_tset++], t->s);
	}
	memcpy(sa->tset_name, n.tset_name, sizeof(n.tset_name));
	sa->n_tset = n.n_tset;
	cfg_mark(p, &sa->loc[POLICY_V1_SF_TSET]);
}

/* "set pfs [group1|group2|...]" */
static void cfg_run_set_pfs(struct cfg_parser *p, const struct cfg_cmd *c)
{
	char expected[160] = "one of: ";
	size_t o = strlen(expected);
	struct cfg_tok *t;
	unsigned int k = 0;

	(void)c;
	for (unsigned int i = 0; i < POLICY_V1_GROUP_COUNT; i++)
		o += (size_t)snprintf(expected + o, sizeof(expected) - o, "%sgroup%s",
				      i ? ", " : "",
				      policy_v1_alg(POLICY_V1_KIND_GROUP, i)->name);
	if (!cfg_once(p, &p->sa->loc[POLICY_V1_SF_PFS]))
		return;
	t = cfg_peek(p);
	if (t) {
		for (k = 0; k < POLICY_V1_GROUP_COUNT; k++) {
			if (!strncasecmp(t->s, "group", 5) &&
			    !strcmp(t->s + 5, policy_v1_alg(POLICY_V1_KIND_GROUP, k)->name))
				break;
		}
		if (k == POLICY_V1_GROUP_COUNT) {
			cfg_err(p, t->col, "unknown DH group '%s' for '%s'; expected %s",
				t->s, cfg_said(p), expected);
			return;
		}
		p->pos++;
	}
	if (!cfg_end(p))
		return;
	p->sa->pfs = (uint8_t)(k + 1);	/* alone: group 1, as IOS */
	cfg_mark(p, &p->sa->loc[POLICY_V1_SF_PFS]);
}

static void cfg_run_set_profile(struct cfg_parser *p, const struct cfg_cmd *c)
{
	struct cfg_tok *t;

	(void)c;
	if (!cfg_once(p, &p->sa->loc[POLICY_V1_SF_PROFILE]))
		return;
	t = cfg_want_name(p, "ISAKMP profile name");
	if (!t || !cfg_end(p))
		return;
	strcpy(p->sa->profile_name, t->s);
	cfg_mark(p, &p->sa->loc[POLICY_V1_SF_PROFILE]);
}

/* Crypto maps */

/* "crypto map NAME SEQ [ipsec-isakmp]", and the map-wide lines refused. */
void cfg_ios_run_crypto_map(struct cfg_parser *p, const struct cfg_cmd *c)
{
	struct policy_loc loc = { p->line->no, p->line->tok[0].col };
	struct cfg_tok *name, *t;
	struct policy_ios *ios;
	char dev[POLICY_IFNAMSIZ + 80];
	uint32_t seq;

	(void)c;
	p->mode = CFG_SKIP;
	name = cfg_want_name(p, "crypto map name");
	if (!name)
		return;
	t = cfg_want(p, "sequence number", "a sequence number from 1 to 65535");
	if (!t)
		return;
	if (!strcasecmp(t->s, "client") || !strcasecmp(t->s, "isakmp")) {
		struct cfg_tok *n = cfg_peek(p);
		enum cfg_ios_feature f = n && !strcasecmp(n->s, "authentication") ?
					 CFG_F_XAUTH : CFG_F_MODECFG;

		if (n)
			p->pos++;
		cfg_err(p, t->col, "'%s' is not supported yet (%s)", cfg_said(p),
			cfg_ios_features[f]);
		return;
	}
	p->pos--;
	if (!cfg_number(p, "sequence number", 1, 65535, &seq))
		return;
	t = cfg_peek(p);
	if (t && !strcasecmp(t->s, "ipsec-manual")) {
		p->pos++;
		cfg_err(p, t->col, "'%s' is not supported yet (%s)", cfg_said(p),
			cfg_ios_features[CFG_F_MANUAL]);
		return;
	}
	if (t && !strcasecmp(t->s, "ipsec-isakmp")) {
		p->pos++;
		t = cfg_peek(p);
		if (t && !strcasecmp(t->s, "dynamic")) {
			p->pos++;
			cfg_err(p, t->col, "'%s' is not supported yet (%s)",
				cfg_said(p), cfg_ios_features[CFG_F_DYNMAP]);
			return;
		}
	}
	if (!cfg_end(p) || !(ios = cfg_ios_model(p)))
		return;
	if (!policy_crypto_map_ifname(name->s, seq, dev, sizeof(dev))) {
		cfg_err(p, name->col,
			"crypto map %s %u would be the ikevti device '%s-%u', longer than 15 bytes; expected a shorter map name",
			name->s, seq, name->s, seq);
		return;
	}
	p->map = policy_crypto_map_get(ios, name->s, seq, &loc);
	if (!p->map) {
		cfg_err(p, name->col, "out of memory");
		return;
	}
	p->sa = &p->map->sa;
	p->mode = CFG_IOS_MAP;
}

static void cfg_run_set_peer(struct cfg_parser *p, const struct cfg_cmd *c)
{
	struct policy_loc *loc = &p->sa->loc[POLICY_V1_SF_PEER];
	struct policy_addr a;
	struct cfg_tok *t;

	(void)c;
	if (loc->line) {
		cfg_err(p, p->line->tok[0].col,
			"'set peer' is already set at line %u of this crypto map entry; %s is not supported yet",
			loc->line, cfg_ios_features[CFG_F_FAILOVER]);
		return;
	}
	t = cfg_want(p, "peer", "an IPv4 address");
	if (!t)
		return;
	if (!cfg_is_addr(t->s, &a) || a.family != AF_INET) {
		cfg_err(p, t->col, "invalid peer address '%s'; expected an IPv4 address",
			t->s);
		return;
	}
	if (!cfg_end(p))
		return;
	p->map->peer = a;
	cfg_mark(p, loc);
}

static void cfg_run_match_address(struct cfg_parser *p, const struct cfg_cmd *c)
{
	struct policy_loc *loc = &p->sa->loc[POLICY_V1_SF_ACL];
	struct cfg_tok *t;
	uint32_t n;

	(void)c;
	if (!cfg_once(p, loc))
		return;
	t = cfg_want(p, "access list", CFG_ACL_RULE);
	if (!t)
		return;
	if (!cfg_ios_acl_number(t->s, &n)) {
		if (cfg_is_digits(t->s))
			cfg_err(p, t->col, "invalid access list '%s'; expected " CFG_ACL_RULE,
				t->s);
		else
			cfg_err(p, t->col, "'%s' is not supported yet (%s); expected " CFG_ACL_RULE,
				cfg_said(p), cfg_ios_features[CFG_F_NAMED_ACL]);
		return;
	}
	if (!cfg_end(p))
		return;
	p->map->acl_number = n;
	cfg_mark(p, loc);
}

/* "crypto ipsec nat-transparency udp-encapsulation": only its "no". */
static void cfg_run_natt(struct cfg_parser *p, const struct cfg_cmd *c)
{
	struct policy_ios *ios;

	(void)c;
	if (!cfg_end(p) || !(ios = cfg_ios_model(p)) ||
	    !cfg_once(p, &ios->floc[POLICY_IOSF_NAT_TRANSPARENCY]))
		return;
	if (!p->negate) {
		cfg_err(p, p->line->tok[p->path_start].col,
			"'%s' is not supported yet (%s); expected 'no %s', which ikehelper does today",
			cfg_said(p), cfg_ios_features[CFG_F_NATT], cfg_said(p));
		return;
	}
	ios->natt_off = true;
	cfg_mark(p, &ios->floc[POLICY_IOSF_NAT_TRANSPARENCY]);
}

/* The grammar */

static const struct cfg_cmd cfg_ios_sa_lifetime[] = {
	{ "lifetime", NULL, cfg_run_sa_lifetime, 0, 0, 0 },
	{ NULL, NULL, NULL, 0, 0, 0 },
};

static const struct cfg_cmd cfg_ios_global_sa[] = {
	{ "lifetime", NULL, cfg_run_sa_lifetime, 0, 1, 0 },
	{ NULL, NULL, NULL, 0, 0, 0 },
};

static const struct cfg_cmd cfg_ios_natt[] = {
	{ "udp-encapsulation", NULL, cfg_run_natt, CFG_NO, 0, 0 },
	{ NULL, NULL, NULL, 0, 0, 0 },
};

const struct cfg_cmd cfg_ios_crypto_ipsec[] = {
	{ "nat-transparency", cfg_ios_natt, NULL, 0, 0, 0 },
	{ "profile", NULL, cfg_run_ipsec_profile, 0, 0, 0 },
	{ "security-association", cfg_ios_global_sa, NULL, 0, 0, 0 },
	{ "transform-set", NULL, cfg_run_tset, 0, 0, 0 },
	{ NULL, NULL, NULL, 0, 0, 0 },
};

const struct cfg_cmd cfg_ios_tset[] = {
	{ "exit", NULL, cfg_run_exit, 0, 0, 0 },
	{ "mode", NULL, cfg_run_tset_mode, 0, 0, 0 },
	{ NULL, NULL, NULL, 0, 0, 0 },
};

#define CFG_SET_CMDS \
	{ "isakmp-profile", NULL, cfg_run_set_profile, 0, 0, 0 }, \
	{ "pfs", NULL, cfg_run_set_pfs, 0, 0, 0 }, \
	{ "security-association", cfg_ios_sa_lifetime, NULL, 0, 0, 0 }, \
	{ "transform-set", NULL, cfg_run_set_tset, 0, 0, 0 }

static const struct cfg_cmd cfg_ios_set_profile[] = {
	CFG_SET_CMDS,
	{ NULL, NULL, NULL, 0, 0, 0 },
};

static const struct cfg_cmd cfg_ios_set_map[] = {
	CFG_SET_CMDS,
	{ "peer", NULL, cfg_run_set_peer, 0, 0, 0 },
	{ NULL, NULL, NULL, 0, 0, 0 },
};

const struct cfg_cmd cfg_ios_ipsec_profile[] = {
	{ "description", NULL, cfg_ios_skip, CFG_HIDDEN, 0, 0 },
	{ "exit", NULL, cfg_run_exit, 0, 0, 0 },
	{ "set", cfg_ios_set_profile, NULL, 0, 0, 0 },
	{ NULL, NULL, NULL, 0, 0, 0 },
};

static const struct cfg_cmd cfg_ios_map_match[] = {
	{ "address", NULL, cfg_run_match_address, 0, 0, 0 },
	{ NULL, NULL, NULL, 0, 0, 0 },
};

const struct cfg_cmd cfg_ios_map[] = {
	{ "description", NULL, cfg_ios_skip, CFG_HIDDEN, 0, 0 },
	{ "exit", NULL, cfg_run_exit, 0, 0, 0 },
	{ "match", cfg_ios_map_match, NULL, 0, 0, 0 },
	{ "set", cfg_ios_set_map, NULL, 0, 0, 0 },
	{ NULL, NULL, NULL, 0, 0, 0 },
};
