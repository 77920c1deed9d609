// SPDX-License-Identifier: GPL-2.0
/*
 * The NEC IX dialect (seed 003) with Linux device names: "ikev2 ..."
 * global commands, "ikev2 default-profile" and "ikev2 profile NAME"
 * modes, and the "ikev2 ..." lines of an interface.
 *
 * "ikev2 sa-proposal enc aes-cbc-256" in interface mode walks
 * cfg_ix_interface -> cfg_if_ikev2 -> cfg_sa_proposal to cfg_run_algs().
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include <openssl/crypto.h>

#include "cfg_parse.h"

static const struct {
	const char *name;
	uint8_t type;
	const char *expected;
} cfg_id_types[] = {
	{ "email", POLICY_ID_EMAIL, "a mail address such as user@example.com" },
	{ "fqdn", POLICY_ID_FQDN, "a host name such as vpn.example.com" },
	{ "ipv4", POLICY_ID_IPV4, "an IPv4 address" },
	{ "ipv6", POLICY_ID_IPV6, "an IPv6 address" },
	{ "keyid", POLICY_ID_KEYID, "a key ID of 1 to 255 bytes" },
};

#define CFG_ID_TYPES	"one of: email, fqdn, ipv4, ipv6, keyid"

/* "TYPE VALUE" after "id". */
static bool cfg_id(struct cfg_parser *p, struct policy_id *id)
{
	struct cfg_tok *t = cfg_want(p, "id type", CFG_ID_TYPES), *v;
	size_t k;
	bool good;

	if (!t)
		return false;
	for (k = 0; k < CFG_N(cfg_id_types); k++) {
		if (!strcasecmp(t->s, cfg_id_types[k].name))
			break;
	}
	if (k == CFG_N(cfg_id_types)) {
		cfg_err(p, t->col, "unknown id type '%s'; expected " CFG_ID_TYPES,
			t->s);
		return false;
	}
	v = cfg_want(p, "id", cfg_id_types[k].expected);
	if (!v)
		return false;
	memset(id, 0, sizeof(*id));
	id->type = cfg_id_types[k].type;
	switch (id->type) {
	case POLICY_ID_IPV4:
		good = inet_pton(AF_INET, v->s, id->data) == 1;
		id->len = 4;
		break;
	case POLICY_ID_IPV6:
		good = inet_pton(AF_INET6, v->s, id->data) == 1;
		id->len = 16;
		break;
	case POLICY_ID_FQDN:
		good = cfg_is_fqdn(v->s);
		break;
	case POLICY_ID_EMAIL:
		good = cfg_is_email(v->s) && v->len <= POLICY_ID_MAX;
		break;
	default:
		good = v->len >= 1 && v->len <= POLICY_ID_MAX;
	}
	if (!good) {
		cfg_err(p, v->col, "invalid %s id '%s'; expected %s",
			cfg_id_types[k].name, v->s, cfg_id_types[k].expected);
		return false;
	}
	if (id->type != POLICY_ID_IPV4 && id->type != POLICY_ID_IPV6) {
		id->len = (uint8_t)v->len;
		memcpy(id->data, v->s, v->len);
	}
	return true;
}

/* "psk"; the seed's "rsa" is refused until signatures are implemented. */
static bool cfg_auth_method(struct cfg_parser *p, uint8_t *auth)
{
	struct cfg_tok *t = cfg_want(p, "authentication method", "psk");

	if (!t)
		return false;
	if (!strcasecmp(t->s, "psk")) {
		*auth = POLICY_AUTH_PSK;
		return true;
	}
	if (!strcasecmp(t->s, "rsa"))
		cfg_err(p, t->col,
			"'%s' is not supported yet (rsa signature authentication is not implemented)",
			cfg_said(p));
	else
		cfg_err(p, t->col,
			"unknown authentication method '%s'; expected psk", t->s);
	return false;
}

/* Global commands */

static void cfg_run_psk(struct cfg_parser *p, const struct cfg_cmd *c)
{
	struct policy_loc loc = { p->line->no, p->line->tok[0].col };
	const struct policy_psk *old;
	struct cfg_tok *fmt, *k;
	struct policy_id id;
	unsigned int id_col;
	uint8_t *key = NULL;
	size_t len = 0;
	bool hex;

	(void)c;
	if (!cfg_want_kw(p, "id", "'id TYPE VALUE'"))
		return;
	id_col = cfg_peek(p) ? cfg_peek(p)->col : p->line->end_col;
	if (!cfg_id(p, &id))
		return;
	old = policy_psk_find(p->cfg, &id);
	if (old) {
		char ids[2 * POLICY_ID_MAX + 16];

		policy_id_format(&id, ids, sizeof(ids));
		cfg_err(p, id_col,
			"psk id %s is already defined at line %u; expected each id once",
			ids, old->loc.line);
		return;
	}
	if (!cfg_want_kw(p, "key", "'key char|hex KEY'"))
		return;
	fmt = cfg_want(p, "key format", "one of: char, hex");
	if (!fmt)
		return;
	if (strcasecmp(fmt->s, "char") && strcasecmp(fmt->s, "hex")) {
		cfg_err(p, fmt->col, "unknown key format '%s'; expected one of: char, hex",
			fmt->s);
		return;
	}
	hex = !strcasecmp(fmt->s, "hex");
	p->secret_col = p->line->end_col;
	if (cfg_peek(p))
		p->secret_col = cfg_peek(p)->col;
	k = cfg_want(p, "key", hex ? "hex digits" : "the key as text");
	if (!k || !cfg_end(p))
		return;

	if (hex) {
		const char *s = k->s;

		if (!strncasecmp(s, "0x", 2))
			s += 2;
		len = strlen(s);
		if (len % 2 || !len) {
			cfg_err(p, k->col,
				"hex key with an odd number of digits; expected pairs of hex digits");
			return;
		}
		len /= 2;
		for (size_t i = 0; i < 2 * len; i++) {
			if (!isxdigit((unsigned char)s[i])) {
				cfg_err(p, k->col,
					"hex key with a character that is not a hex digit; expected 0-9, a-f");
				return;
			}
		}
		if (len > POLICY_PSK_MAX)
			goto too_long;
		key = malloc(len);
		if (!key)
			goto nomem;
		for (size_t i = 0; i < len; i++) {
			char b[3] = { s[2 * i], s[2 * i + 1], '\0' };

			key[i] = (uint8_t)strtoul(b, NULL, 16);
			OPENSSL_cleanse(b, sizeof(b));
		}
	} else {
		len = k->len;
		if (!len) {
			cfg_err(p, k->col, "empty key; expected the key as text");
			return;
		}
		for (size_t i = 0; i < len; i++) {
			if (k->s[i] < ' ' || k->s[i] >= 0x7f) {
				cfg_err(p, k->col,
					"key with a byte that is not printable ASCII; expected text, or 'key hex'");
				return;
			}
		}
		if (len > POLICY_PSK_MAX)
			goto too_long;
		key = malloc(len);
		if (!key)
			goto nomem;
		memcpy(key, k->s, len);
	}
	if (policy_psk_add(p->cfg, &id, key, len, hex, &loc))
		goto nomem;
	return;

too_long:
	cfg_err(p, k->col, "key too long; expected at most %u bytes",
		POLICY_PSK_MAX);
	return;
nomem:
	cfg_err(p, k->col, "out of memory");
}
static void cfg_run_default_profile(struct cfg_parser *p,
				    const struct cfg_cmd *c)
{
	struct policy_profile *dp = &p->cfg->default_profile;

	(void)c;
	p->mode = CFG_SKIP;
	if (!cfg_end(p))
		return;
	if (!p->cfg->has_default_profile) {
		p->cfg->has_default_profile = true;
		strcpy(dp->name, "default-profile");
		cfg_mark(p, &dp->loc);
	}
	p->mode = CFG_DEFAULT_PROFILE;
	p->opts = &dp->opts;
}

static void cfg_run_profile(struct cfg_parser *p, const struct cfg_cmd *c)
{
	struct policy_loc loc = { p->line->no, p->line->tok[0].col };
	struct policy_profile *pr;
	struct cfg_tok *t;

	(void)c;
	p->mode = CFG_SKIP;
	t = cfg_want_name(p, "profile name");
	if (!t || !cfg_end(p))
		return;
	pr = policy_profile_get(p->cfg, t->s, &loc);
	if (!pr) {
		cfg_err(p, t->col, "out of memory");
		return;
	}
	p->mode = CFG_PROFILE;
	p->opts = &pr->opts;
}

/* Profile commands, also in interface mode after "ikev2" */

static const enum policy_alg_kind cfg_field_kind[] = {
	[POLICY_F_SA_ENC] = POLICY_KIND_ENC,
	[POLICY_F_SA_INTEG] = POLICY_KIND_INTEG,
	[POLICY_F_SA_PRF] = POLICY_KIND_PRF,
	[POLICY_F_SA_DH] = POLICY_KIND_DH,
	[POLICY_F_CHILD_ENC] = POLICY_KIND_ENC,
	[POLICY_F_CHILD_INTEG] = POLICY_KIND_INTEG,
	[POLICY_F_CHILD_PFS] = POLICY_KIND_DH,
};

static struct policy_alg_list *cfg_field_list(struct policy_opts *o,
					      enum policy_field f)
{
	switch (f) {
	case POLICY_F_SA_ENC:
		return &o->sa_enc;
	case POLICY_F_SA_INTEG:
		return &o->sa_integ;
	case POLICY_F_SA_PRF:
		return &o->sa_prf;
	case POLICY_F_SA_DH:
		return &o->sa_dh;
	case POLICY_F_CHILD_ENC:
		return &o->child_enc;
	case POLICY_F_CHILD_INTEG:
		return &o->child_integ;
	default:
		return &o->child_pfs;
	}
}

/* "sa-proposal enc ALG...", "child-pfs GROUP...": one or more names. */
static void cfg_run_algs(struct cfg_parser *p, const struct cfg_cmd *c)
{
	enum policy_field f = (enum policy_field)c->arg;
	enum policy_alg_kind kind = cfg_field_kind[f];
	bool pfs = f == POLICY_F_CHILD_PFS;
	struct policy_alg_list l = { 0 };
	const struct policy_alg *tab;
	char names[256] = "one of: ";
	struct cfg_tok *t;
	size_t n, o = strlen(names);

	tab = policy_algs(kind, &n);
	for (size_t i = 0; i < n; i++) {
		if ((tab[i].flags & POLICY_ALG_PFS_ONLY) && !pfs)
			continue;
		o += (size_t)snprintf(names + o, sizeof(names) - o, "%s%s",
				      o > 8 ? ", " : "", tab[i].name);
	}
	if (!cfg_once(p, &p->opts->loc[f]))
		return;
	if (p->negate) {	/* "no child-pfs": no PFS */
		if (!cfg_end(p))
			return;
		l.idx[l.n++] = POLICY_DH_NONE;
		goto store;
	}
	if (!cfg_peek(p)) {
		cfg_want(p, policy_kind_name(kind), names);
		return;
	}
	while ((t = cfg_peek(p))) {
		int idx = policy_alg_lookup(kind, t->s);

		if (idx < 0 || ((tab[idx].flags & POLICY_ALG_PFS_ONLY) && !pfs)) {
			cfg_err(p, t->col, "unknown %s '%s' for '%s'; expected %s",
				policy_kind_name(kind), t->s, cfg_said(p), names);
			return;
		}
		for (int i = 0; i < l.n; i++) {
			if (l.idx[i] == idx) {
				cfg_err(p, t->col,
					"'%s' is listed twice; expected each %s once",
					t->s, policy_kind_name(kind));
				return;
			}
		}
		l.idx[l.n++] = (uint8_t)idx;
		p->pos++;
	}
store:
	*cfg_field_list(p->opts, f) = l;
	cfg_mark(p, &p->opts->loc[f]);
}

static void cfg_run_lifetime(struct cfg_parser *p, const struct cfg_cmd *c)
{
	enum policy_field f = (enum policy_field)c->arg;
	uint32_t v;

	if (!cfg_once(p, &p->opts->loc[f]) ||
	    !cfg_number(p, "seconds", POLICY_LIFETIME_MIN, POLICY_LIFETIME_MAX,
			&v) ||
	    !cfg_end(p))
		return;
	if (f == POLICY_F_SA_LIFETIME)
		p->opts->sa_lifetime = v;
	else
		p->opts->child_lifetime = v;
	cfg_mark(p, &p->opts->loc[f]);
}

static void cfg_run_dpd(struct cfg_parser *p, const struct cfg_cmd *c)
{
	uint32_t v = 0;

	(void)c;
	if (!cfg_once(p, &p->opts->loc[POLICY_F_DPD]))
		return;
	if (!p->negate &&
	    (!cfg_want_kw(p, "interval", "'interval SECONDS'") ||
	     !cfg_number(p, "seconds", POLICY_DPD_MIN, POLICY_DPD_MAX, &v)))
		return;
	if (!cfg_end(p))
		return;
	p->opts->dpd_interval = v;
	cfg_mark(p, &p->opts->loc[POLICY_F_DPD]);
}

static void cfg_run_local_auth(struct cfg_parser *p, const struct cfg_cmd *c)
{
	struct policy_id id;
	uint8_t auth;

	(void)c;
	if (!cfg_once(p, &p->opts->loc[POLICY_F_LOCAL_AUTH]) ||
	    !cfg_auth_method(p, &auth) ||
	    !cfg_want_kw(p, "id", "'id TYPE VALUE'") || !cfg_id(p, &id) ||
	    !cfg_end(p))
		return;
	p->opts->local_auth = auth;
	p->opts->local_id = id;
	cfg_mark(p, &p->opts->loc[POLICY_F_LOCAL_AUTH]);
}

/* anti-replay, suppress send-delete, suppress send-rekey, and "no". */
static void cfg_run_flag(struct cfg_parser *p, const struct cfg_cmd *c)
{
	enum policy_field f = (enum policy_field)c->arg;

	if (!cfg_once(p, &p->opts->loc[f]) || !cfg_end(p))
		return;
	if (f == POLICY_F_ANTI_REPLAY)
		p->opts->anti_replay = !p->negate;
	else if (f == POLICY_F_SUPPRESS_DELETE)
		p->opts->suppress_delete = !p->negate;
	else
		p->opts->suppress_rekey = !p->negate;
	cfg_mark(p, &p->opts->loc[f]);
}

static void cfg_run_outgoing(struct cfg_parser *p, const struct cfg_cmd *c)
{
	struct policy_addr nh = { 0 };
	struct cfg_tok *ifn, *t;
	bool is_auto = false;

	(void)c;
	if (!cfg_once(p, &p->opts->loc[POLICY_F_OUTGOING]))
		return;
	ifn = cfg_want_ifname(p);
	if (!ifn)
		return;
	t = cfg_want(p, "next hop", "an IPv4 or IPv6 address, or auto");
	if (!t)
		return;
	if (!strcasecmp(t->s, "auto")) {
		is_auto = true;
	} else if (!cfg_is_addr(t->s, &nh)) {
		cfg_err(p, t->col,
			"invalid next hop '%s'; expected an IPv4 or IPv6 address, or auto",
			t->s);
		return;
	}
	if (!cfg_end(p))
		return;
	strcpy(p->opts->outgoing.ifname, ifn->s);
	p->opts->outgoing.nexthop_auto = is_auto;
	p->opts->outgoing.nexthop = nh;
	cfg_mark(p, &p->opts->loc[POLICY_F_OUTGOING]);
}

static void cfg_run_source(struct cfg_parser *p, const struct cfg_cmd *c)
{
	struct policy_addr a;

	(void)c;
	if (!cfg_once(p, &p->opts->loc[POLICY_F_SOURCE]) ||
	    !cfg_want_addr(p, "source address", &a) || !cfg_end(p))
		return;
	p->opts->source = a;
	cfg_mark(p, &p->opts->loc[POLICY_F_SOURCE]);
}

static const struct {
	const char *name;
	uint8_t proto;
} cfg_protos[] = {
	{ "any", 0 }, { "icmp", 1 }, { "tcp", 6 }, { "udp", 17 },
	{ "gre", 47 }, { "esp", 50 }, { "ah", 51 }, { "ipv6-icmp", 58 },
	{ "sctp", 132 },
};

#define CFG_PROTO_RULE \
	"any, icmp, tcp, udp, gre, esp, ah, ipv6-icmp, sctp or 0 to 255"
#define CFG_TS_RULE "any, an address, a prefix such as 10.1.0.0/16, or a range A-B"

/* "ADDR", "ADDR/LEN", "ADDR-ADDR", or "any" (two selectors). */
static bool cfg_ts_range(struct cfg_parser *p, struct cfg_tok *t,
			 struct policy_ts *ts, unsigned int *n)
{
	char buf[2 * INET6_ADDRSTRLEN + 8], *sep;
	struct policy_addr a, b;
	int alen;

	memset(ts, 0, 2 * sizeof(*ts));
	ts[0].port_end = ts[1].port_end = 65535;
	if (!strcasecmp(t->s, "any")) {
		ts[0].family = AF_INET;
		ts[1].family = AF_INET6;
		memset(ts[0].end, 0xff, 4);
		memset(ts[1].end, 0xff, 16);
		*n = 2;
		return true;
	}
	*n = 1;
	if (t->len >= sizeof(buf))
		goto bad;
	strcpy(buf, t->s);
	sep = strpbrk(buf, "/-");
	if (sep)
		*sep = '\0';
	if (!cfg_is_addr(buf, &a))
		goto bad;
	alen = a.family == AF_INET ? 4 : 16;
	ts->family = a.family;
	memcpy(ts->start, a.a, alen);
	memcpy(ts->end, a.a, alen);
	if (sep && t->s[sep - buf] == '-') {
		if (!cfg_is_addr(sep + 1, &b) || b.family != a.family)
			goto bad;
		if (memcmp(a.a, b.a, alen) > 0) {
			cfg_err(p, t->col,
				"range '%s' ends before it starts; expected FIRST-LAST",
				t->s);
			return false;
		}
		memcpy(ts->end, b.a, alen);
	} else if (sep) {
		unsigned long plen;

		if (!cfg_is_digits(sep + 1) || strlen(sep + 1) > 3)
			goto bad;
		plen = strtoul(sep + 1, NULL, 10);
		if (plen > (unsigned long)alen * 8)
			goto bad;
		for (int bit = (int)plen; bit < alen * 8; bit++) {
			uint8_t m = (uint8_t)(0x80 >> (bit % 8));

			if (ts->start[bit / 8] & m) {
				cfg_err(p, t->col,
					"prefix '%s' has host bits set; expected the network address",
					t->s);
				return false;
			}
			ts->end[bit / 8] |= m;
		}
	}
	return true;
bad:
	cfg_err(p, t->col, "invalid selector '%s'; expected " CFG_TS_RULE, t->s);
	return false;
}

/* "local-ts|remote-ts RANGE [protocol P] [port N[-M]]"; lines add up. */
static void cfg_run_ts(struct cfg_parser *p, const struct cfg_cmd *c)
{
	enum policy_field f = (enum policy_field)c->arg;
	struct policy_ts_list *l = f == POLICY_F_LOCAL_TS ?
		&p->opts->local_ts : &p->opts->remote_ts;
	struct cfg_tok *t, *proto = NULL, *port = NULL;
	uint16_t ps = 0, pe = 65535;
	size_t k;
	struct policy_ts ts[2];
	unsigned int n;
	uint8_t pr = 0;

	t = cfg_want(p, "selector", CFG_TS_RULE);
	if (!t || !cfg_ts_range(p, t, ts, &n))
		return;
	while ((t = cfg_next(p))) {
		struct cfg_tok *v;

		if (!strcasecmp(t->s, "protocol") && !proto) {
			proto = v = cfg_want(p, "protocol", CFG_PROTO_RULE);
			if (!v)
				return;
			for (k = 0; k < CFG_N(cfg_protos); k++) {
				if (!strcasecmp(v->s, cfg_protos[k].name))
					break;
			}
			if (k < CFG_N(cfg_protos)) {
				pr = cfg_protos[k].proto;
			} else if (cfg_is_digits(v->s) && v->len <= 3 &&
				   strtoul(v->s, NULL, 10) <= 255) {
				pr = (uint8_t)strtoul(v->s, NULL, 10);
			} else {
				cfg_err(p, v->col, "invalid protocol '%s'; expected " CFG_PROTO_RULE,
					v->s);
				return;
			}
		} else if (!strcasecmp(t->s, "port") && !port) {
			char *dash;
			unsigned long a, b;

			port = v = cfg_want(p, "port", "a port or a range such as 1024-65535");
			if (!v)
				return;
			dash = strchr(v->s, '-');
			if (dash)
				*dash = '\0';
			a = cfg_is_digits(v->s) && strlen(v->s) <= 5 ?
				strtoul(v->s, NULL, 10) : 65536;
			b = !dash ? a : cfg_is_digits(dash + 1) && strlen(dash + 1) <= 5 ?
				strtoul(dash + 1, NULL, 10) : 65536;
			if (dash)
				*dash = '-';
			if (a > 65535 || b > 65535 || a > b) {
				cfg_err(p, v->col,
					"invalid port '%s'; expected a port from 0 to 65535 or a range such as 1024-65535",
					v->s);
				return;
			}
			ps = (uint16_t)a;
			pe = (uint16_t)b;
		} else {
			p->pos--;
			cfg_err(p, t->col, "unexpected '%s' after '%s'; expected %s",
				t->s, cfg_said(p),
				proto && port ? "end of line" :
				proto ? "port or end of line" :
				port ? "protocol or end of line" :
				"protocol, port or end of line");
			return;
		}
	}
	if (port && pr != 6 && pr != 17 && pr != 132) {
		cfg_err(p, port->col,
			"a port needs protocol tcp, udp or sctp; expected 'protocol tcp|udp|sctp'");
		return;
	}
	if (!p->opts->loc[f].line)
		l->n = 0;
	if (l->n + n > POLICY_TS_MAX) {
		cfg_err(p, p->line->tok[0].col,
			"too many selectors for '%s'; expected at most %d",
			policy_field_name(f), POLICY_TS_MAX);
		return;
	}
	for (unsigned int i = 0; i < n; i++) {
		ts[i].proto = pr;
		ts[i].port_start = ps;
		ts[i].port_end = pe;
		l->ts[l->n++] = ts[i];
	}
	if (!p->opts->loc[f].line)
		cfg_mark(p, &p->opts->loc[f]);
}

/*
 * "nat-traversal [keepalive SECONDS]": ESP in UDP through a NAT.  The
 * module cannot encapsulate yet, so only "no nat-traversal" (the
 * default) is accepted; the line is read in full first, so that a typo
 * gets its own message.
 */
static void cfg_run_natt(struct cfg_parser *p, const struct cfg_cmd *c)
{
	uint32_t ka;

	(void)c;
	if (!cfg_once(p, &p->opts->loc[POLICY_F_NATT]))
		return;
	if (!p->negate && cfg_peek(p) &&
	    (!cfg_want_kw(p, "keepalive", "'keepalive SECONDS' or end of line") ||
	     !cfg_number(p, "seconds", POLICY_NATT_KEEPALIVE_MIN,
			 POLICY_NATT_KEEPALIVE_MAX, &ka)))
		return;
	if (!cfg_end(p))
		return;
	if (!p->negate) {
		cfg_err(p, p->line->tok[p->path_start].col,
			"'%s' is not supported yet (UDP-encapsulated ESP is not implemented)",
			cfg_said(p));
		return;
	}
	cfg_mark(p, &p->opts->loc[POLICY_F_NATT]);
}

/* Interface commands */

static bool cfg_tonce(struct cfg_parser *p, enum policy_tfield f)
{
	if (!cfg_once(p, &p->tunnel->tloc[f]))
		return false;
	return true;
}

#define CFG_PEER_RULE "an IPv4 or IPv6 address, a host name, or any"

/* "ikev2 peer ADDR|FQDN|any [authentication psk [id TYPE VALUE]]" */
static void cfg_run_peer(struct cfg_parser *p, const struct cfg_cmd *c)
{
	struct policy_peer peer = { .auth = POLICY_AUTH_PSK };
	struct cfg_tok *t;
	const char *s;

	(void)c;
	if (!cfg_tonce(p, POLICY_T_PEER))
		return;
	t = cfg_want(p, "peer", CFG_PEER_RULE);
	if (!t)
		return;
	s = t->s;
	if (!strcasecmp(s, "any")) {
		peer.kind = POLICY_PEER_ANY;
	} else if (cfg_is_addr(s, &peer.addr)) {
		peer.kind = POLICY_PEER_ADDR;
	} else if (strchr(s, ':') || strspn(s, "0123456789.") == strlen(s)) {
		cfg_err(p, t->col, "invalid peer address '%s'; expected " CFG_PEER_RULE,
			s);
		return;
	} else if (cfg_is_fqdn(s)) {
		peer.kind = POLICY_PEER_FQDN;
		strcpy(peer.fqdn, s);
	} else {
		cfg_err(p, t->col, "invalid peer '%s'; expected " CFG_PEER_RULE, s);
		return;
	}
	t = cfg_peek(p);
	if (t) {
		if (!cfg_want_kw(p, "authentication",
				 "'authentication psk id TYPE VALUE' or end of line") ||
		    !cfg_auth_method(p, &peer.auth))
			return;
		if (cfg_peek(p) &&
		    (!cfg_want_kw(p, "id", "'id TYPE VALUE' or end of line") ||
		     !cfg_id(p, &peer.id)))
			return;
		if (!cfg_end(p))
			return;
	}
	if (peer.kind == POLICY_PEER_ANY && !peer.id.type) {
		cfg_err(p, p->line->end_col,
			"'ikev2 peer any' needs the peer's id; expected 'authentication psk id TYPE VALUE'");
		return;
	}
	p->tunnel->peer = peer;
	cfg_mark(p, &p->tunnel->tloc[POLICY_T_PEER]);
}

static void cfg_run_binding(struct cfg_parser *p, const struct cfg_cmd *c)
{
	struct cfg_tok *t;

	(void)c;
	if (!cfg_tonce(p, POLICY_T_BINDING))
		return;
	t = cfg_want_name(p, "profile name");
	if (!t || !cfg_end(p))
		return;
	strcpy(p->tunnel->binding, t->s);
	cfg_mark(p, &p->tunnel->tloc[POLICY_T_BINDING]);
}

static void cfg_run_connect(struct cfg_parser *p, const struct cfg_cmd *c)
{
	struct cfg_tok *t;

	(void)c;
	if (!cfg_tonce(p, POLICY_T_CONNECT))
		return;
	if (!p->negate) {
		t = cfg_want(p, "connect type", "auto");
		if (!t)
			return;
		if (strcasecmp(t->s, "auto")) {
			cfg_err(p, t->col, "unknown connect type '%s'; expected auto",
				t->s);
			return;
		}
	}
	if (!cfg_end(p))
		return;
	p->tunnel->connect_auto = !p->negate;
	cfg_mark(p, &p->tunnel->tloc[POLICY_T_CONNECT]);
}

/* "cert cacert|mycert name NAME": refused while rsa authentication is. */
static void cfg_run_cert(struct cfg_parser *p, const struct cfg_cmd *c)
{
	struct cfg_tok *t;

	if (!cfg_want_kw(p, "name", "'name NAME'"))
		return;
	t = cfg_want_name(p, "certificate name");
	if (!t || !cfg_end(p))
		return;
	cfg_err(p, p->line->tok[p->path_start].col,
		"'ikev2 cert %s' is not supported yet (certificates serve rsa authentication, which is not implemented)",
		c->name);
}

/*
 * shutdown, ikev2 ipsec mtu ignore, ikev2 ipsec pre-fragment; and "no".
 * The last two need the module's fragmentation modes: until it has them,
 * only their "no" form (the default) is accepted.
 */
static void cfg_run_tflag(struct cfg_parser *p, const struct cfg_cmd *c)
{
	enum policy_tfield f = (enum policy_tfield)c->arg;
	struct policy_tunnel *t = p->tunnel;

	if (!cfg_tonce(p, f) || !cfg_end(p))
		return;
	if (f != POLICY_T_SHUTDOWN && !p->negate) {
		cfg_err(p, p->line->tok[p->path_start].col,
			"'%s' is not supported yet (the fragmentation modes are not implemented)",
			cfg_said(p));
		return;
	}
	if (f == POLICY_T_SHUTDOWN)
		t->shutdown = !p->negate;
	cfg_mark(p, &t->tloc[f]);
}

void cfg_ix_tunnel_mode(struct cfg_parser *p)
{
	struct cfg_tok *t;

	if (!cfg_tonce(p, POLICY_T_MODE))
		return;
	t = cfg_want(p, "tunnel mode", "ipsec-ikev2");
	if (!t)
		return;
	if (strcasecmp(t->s, "ipsec-ikev2")) {
		cfg_err(p, t->col, "unsupported tunnel mode '%s'; expected ipsec-ikev2",
			t->s);
		return;
	}
	if (cfg_end(p))
		cfg_mark(p, &p->tunnel->tloc[POLICY_T_MODE]);
}

void cfg_ix_shutdown(struct cfg_parser *p)
{
	static const struct cfg_cmd shut = {
		"shutdown", NULL, cfg_run_tflag, CFG_NO, POLICY_T_SHUTDOWN, 0
	};

	cfg_run_tflag(p, &shut);
}

/* The grammar */

static const struct cfg_cmd cfg_sa_proposal[] = {
	{ "dh", NULL, cfg_run_algs, 0, POLICY_F_SA_DH, 0 },
	{ "enc", NULL, cfg_run_algs, 0, POLICY_F_SA_ENC, 0 },
	{ "integrity", NULL, cfg_run_algs, 0, POLICY_F_SA_INTEG, 0 },
	{ "prf", NULL, cfg_run_algs, 0, POLICY_F_SA_PRF, 0 },
	{ NULL, NULL, NULL, 0, 0, 0 },
};

static const struct cfg_cmd cfg_child_proposal[] = {
	{ "enc", NULL, cfg_run_algs, 0, POLICY_F_CHILD_ENC, 0 },
	{ "integrity", NULL, cfg_run_algs, 0, POLICY_F_CHILD_INTEG, 0 },
	{ NULL, NULL, NULL, 0, 0, 0 },
};

static const struct cfg_cmd cfg_suppress[] = {
	{ "send-delete", NULL, cfg_run_flag, CFG_NO, POLICY_F_SUPPRESS_DELETE, 0 },
	{ "send-rekey", NULL, cfg_run_flag, CFG_NO, POLICY_F_SUPPRESS_REKEY, 0 },
	{ NULL, NULL, NULL, 0, 0, 0 },
};

/* What ikev2 default-profile, ikev2 profile and interface "ikev2" share. */
#define CFG_POLICY_CMDS \
	{ "anti-replay", NULL, cfg_run_flag, CFG_NO, POLICY_F_ANTI_REPLAY, 0 }, \
	{ "child-lifetime", NULL, cfg_run_lifetime, 0, \
	  POLICY_F_CHILD_LIFETIME, 0 }, \
	{ "child-pfs", NULL, cfg_run_algs, CFG_NO, POLICY_F_CHILD_PFS, 0 }, \
	{ "child-proposal", cfg_child_proposal, NULL, 0, 0, 0 }, \
	{ "dpd", NULL, cfg_run_dpd, CFG_NO, 0, 0 }, \
	{ "local-authentication", NULL, cfg_run_local_auth, 0, 0, 0 }, \
	{ "local-ts", NULL, cfg_run_ts, 0, POLICY_F_LOCAL_TS, 0 }, \
	{ "nat-traversal", NULL, cfg_run_natt, CFG_NO, 0, 0 }, \
	{ "outgoing-interface", NULL, cfg_run_outgoing, 0, 0, 0 }, \
	{ "remote-ts", NULL, cfg_run_ts, 0, POLICY_F_REMOTE_TS, 0 }, \
	{ "sa-lifetime", NULL, cfg_run_lifetime, 0, POLICY_F_SA_LIFETIME, 0 }, \
	{ "sa-proposal", cfg_sa_proposal, NULL, 0, 0, 0 }, \
	{ "source-address", NULL, cfg_run_source, 0, 0, 0 }, \
	{ "suppress", cfg_suppress, NULL, 0, 0, 0 }

const struct cfg_cmd cfg_ix_profile[] = {
	CFG_POLICY_CMDS,
	{ "exit", NULL, cfg_run_exit, 0, 0, 0 },
	{ NULL, NULL, NULL, 0, 0, 0 },
};

static const struct cfg_cmd cfg_if_cert[] = {
	{ "cacert", NULL, cfg_run_cert, 0, 0, 0 },
	{ "mycert", NULL, cfg_run_cert, 0, 0, 0 },
	{ NULL, NULL, NULL, 0, 0, 0 },
};

static const struct cfg_cmd cfg_if_mtu[] = {
	{ "ignore", NULL, cfg_run_tflag, CFG_NO, POLICY_T_MTU_IGNORE, 0 },
	{ NULL, NULL, NULL, 0, 0, 0 },
};

static const struct cfg_cmd cfg_if_ipsec[] = {
	{ "mtu", cfg_if_mtu, NULL, 0, 0, 0 },
	{ "pre-fragment", NULL, cfg_run_tflag, CFG_NO, POLICY_T_PRE_FRAGMENT, 0 },
	{ NULL, NULL, NULL, 0, 0, 0 },
};

static const struct cfg_cmd cfg_if_ikev2[] = {
	CFG_POLICY_CMDS,
	{ "binding", NULL, cfg_run_binding, 0, 0, 0 },
	{ "cert", cfg_if_cert, NULL, 0, 0, 0 },
	{ "connect-type", NULL, cfg_run_connect, CFG_NO, 0, 0 },
	{ "ipsec", cfg_if_ipsec, NULL, 0, 0, 0 },
	{ "peer", NULL, cfg_run_peer, 0, 0, 0 },
	{ NULL, NULL, NULL, 0, 0, 0 },
};

/* Besides "exit", "shutdown" and "tunnel mode" (config.c). */
const struct cfg_cmd cfg_ix_interface[] = {
	{ "ikev2", cfg_if_ikev2, NULL, 0, 0, 0 },
	{ NULL, NULL, NULL, 0, 0, 0 },
};

static const struct cfg_cmd cfg_ikev2_auth[] = {
	{ "psk", NULL, cfg_run_psk, 0, 0, 0 },
	{ NULL, NULL, NULL, 0, 0, 0 },
};

static const struct cfg_cmd cfg_ikev2[] = {
	{ "authentication", cfg_ikev2_auth, NULL, 0, 0, 0 },
	{ "default-profile", NULL, cfg_run_default_profile, 0, 0, 0 },
	{ "profile", NULL, cfg_run_profile, 0, 0, 0 },
	{ NULL, NULL, NULL, 0, 0, 0 },
};

/* Besides "interface" (config.c). */
const struct cfg_cmd cfg_ix_global[] = {
	{ "ikev2", cfg_ikev2, NULL, 0, 0, 0 },
	{ NULL, NULL, NULL, 0, 0, 0 },
};
