// SPDX-License-Identifier: GPL-2.0
/*
 * The Cisco IOS dialect, router part: the global commands, the router
 * lines ikehelper skips, the lines of other features it refuses, and
 * what the other cfg_ios*.c files share to do so.
 *
 * Skipped lines (cfg_ios_skipped[] and the CFG_HIDDEN rows): they cannot
 * change what IPsec does on Linux, so they are read and dropped:
 *	version, service timestamps|password-encryption, boot-start-marker,
 *	boot-end-marker, clock ..., end, ip subnet-zero, ip classless,
 *	ip cef, [no] ip domain lookup|domain-lookup, [no] ip http ...,
 *	ip audit ..., ip pim ..., no ftp-server ..., snmp-server ...,
 *	no aaa new-model, call rsvp-sync, fax ..., mta ..., control-plane,
 *	dial-peer ..., mgcp ... (blocks without lines), and "line con|aux|
 *	vty" blocks with exec-timeout, login, password, transport lines;
 *	in an interface: description, [half-|full-]duplex, speed,
 *	no keepalive (cfg_ios_if.c); "description" in the crypto modes.
 * Every other unknown line is an error; lines of features ikehelper
 * does not have are refused, naming the feature ("'crypto pki
 * certificate' is not supported yet (certificates)").
 *
 * "hostname" and "ip domain name" are read: they make the identity of
 * "crypto isakmp identity hostname" and "self-identity fqdn".
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "cfg_parse.h"

const char *const cfg_ios_features[CFG_F_COUNT] = {
	[CFG_F_CERT] = "certificates",
	[CFG_F_XAUTH] = "XAUTH",
	[CFG_F_MODECFG] = "mode-config",
	[CFG_F_DYNMAP] = "dynamic crypto maps",
	[CFG_F_VRF] = "VRFs",
	[CFG_F_TYPE6] = "type-6 encrypted keys",
	[CFG_F_IKEV2] = "IKEv2 in the Cisco IOS dialect; use the NEC IX dialect",
	[CFG_F_RSA_ENCR] = "RSA encryption",
	[CFG_F_IPV6] = "IPv6 in the Cisco IOS dialect",
	[CFG_F_AH] = "AH; the ikevti module does ESP",
	[CFG_F_IPCOMP] = "IP compression",
	[CFG_F_MANUAL] = "manual keying; 'ikevtictl sa add' does that",
	[CFG_F_FAILOVER] = "a list of peers, stateless failover",
	[CFG_F_DMVPN] = "shared tunnel protection, DMVPN",
	[CFG_F_NAMED_ACL] = "named access lists",
	[CFG_F_NATT] = "UDP-encapsulated ESP",
};

/* Messages name one more word than the keywords: "'ca trust-point'". */
void cfg_ios_one_more(struct cfg_parser *p)
{
	struct cfg_tok *t = cfg_peek(p);

	if (t && !cfg_is_digits(t->s))
		p->pos++;
}

/* The line, and the block it may open, are refused. */
void cfg_ios_refuse(struct cfg_parser *p, const struct cfg_cmd *c)
{
	cfg_ios_one_more(p);
	cfg_err(p, p->line->tok[p->path_start].col,
		"'%s' is not supported yet (%s)", cfg_said(p),
		cfg_ios_features[c->arg]);
	p->mode = CFG_SKIP;
}

/* A router line that cannot change IPsec on Linux: read and dropped. */
void cfg_ios_skip(struct cfg_parser *p, const struct cfg_cmd *c)
{
	p->pos = p->line->ntok;
	if (c->arg)
		p->mode = (enum cfg_mode)c->arg;	/* a block to skip */
}

struct policy_ios *cfg_ios_model(struct cfg_parser *p)
{
	if (!p->ios)
		p->ios = policy_ios_get(p->cfg);
	if (!p->ios)
		cfg_err(p, p->line->tok[0].col, "out of memory");
	return p->ios;
}

#define CFG_MASK_RULE "a netmask such as 255.255.255.0"

bool cfg_ios_prefix(struct cfg_parser *p, const char *what,
			   struct policy_addr *a, uint8_t *plen,
			   bool zero_is_any)
{
	struct cfg_tok *t = cfg_want(p, what, "an IPv4 address"), *a_tok = t;
	struct policy_addr m;
	uint32_t mask, addr;

	if (!t)
		return false;
	if (!cfg_is_addr(t->s, a) || a->family != AF_INET) {
		if (!strcasecmp(t->s, "ipv6"))
			cfg_err(p, t->col, "'%s' is not supported yet (%s)",
				cfg_said(p), cfg_ios_features[CFG_F_IPV6]);
		else
			cfg_err(p, t->col, "invalid %s '%s'; expected an IPv4 address",
				what, t->s);
		return false;
	}
	*plen = 32;
	t = cfg_peek(p);
	if (!t || !cfg_is_addr(t->s, &m)) {
		/* Seed 002: "address 0.0.0.0" is every peer, [0.0.0.0]. */
		if (zero_is_any && !memcmp(a->a, "\0\0\0\0", 4))
			*plen = 0;
		return true;
	}
	p->pos++;
	memcpy(&mask, m.a, 4);
	memcpy(&addr, a->a, 4);
	mask = ntohl(mask);
	if (m.family != AF_INET || (mask & (~mask >> 1))) {
		cfg_err(p, t->col, "invalid netmask '%s'; expected " CFG_MASK_RULE,
			t->s);
		return false;
	}
	*plen = (uint8_t)__builtin_popcount(mask);
	if (ntohl(addr) & ~mask) {
		cfg_err(p, a_tok->col,
			"'%s %s' has host bits set; expected the network address",
			a_tok->s, t->s);
		return false;
	}
	return true;
}

/* "call admission limit CHARGE": IOS's resource monitor, not ours. */
static void cfg_run_call_admission(struct cfg_parser *p, const struct cfg_cmd *c)
{
	(void)c;
	cfg_err(p, p->line->tok[p->path_start].col,
		"'call admission limit' is not supported (ikehelper has no system resource charge); expected 'crypto call admission limit ike sa N'");
}

/* "aaa ...": only "no aaa new-model", the default, is fine. */
static void cfg_run_aaa(struct cfg_parser *p, const struct cfg_cmd *c)
{
	struct cfg_tok *t = cfg_peek(p);

	(void)c;
	if (p->negate && t && !strcasecmp(t->s, "new-model") && p->pos + 1 == p->line->ntok) {
		p->pos++;
		return;
	}
	cfg_ios_one_more(p);
	cfg_err(p, p->line->tok[p->path_start].col,
		"'%s' is not supported yet (%s and %s, which use AAA)",
		cfg_said(p), cfg_ios_features[CFG_F_XAUTH],
		cfg_ios_features[CFG_F_MODECFG]);
}

/* "hostname NAME", "ip domain name D": "crypto isakmp identity hostname". */
static void cfg_run_hostname(struct cfg_parser *p, const struct cfg_cmd *c)
{
	enum policy_iosf f = c->arg ? POLICY_IOSF_DOMAIN : POLICY_IOSF_HOSTNAME;
	struct policy_ios *ios;
	struct cfg_tok *t;

	if (!(ios = cfg_ios_model(p)) || !cfg_once(p, &ios->floc[f]))
		return;
	t = cfg_want(p, c->arg ? "domain" : "host name",
		     c->arg ? "a domain such as example.com" :
		     "a name of letters, digits and '-', at most 63");
	if (!t)
		return;
	if (!cfg_is_fqdn(t->s) || (!c->arg && (strchr(t->s, '.') || t->len > 63))) {
		cfg_err(p, t->col, "invalid %s '%s'; expected %s",
			c->arg ? "domain" : "host name", t->s,
			c->arg ? "a domain such as example.com" :
			"a name of letters, digits and '-', at most 63");
		return;
	}
	if (!cfg_end(p))
		return;
	strcpy(c->arg ? ios->domain : ios->hostname, t->s);
	cfg_mark(p, &ios->floc[f]);
}

/* "line con 0", "line vty 0 4": terminal lines, skipped with their block. */
static void cfg_run_line(struct cfg_parser *p, const struct cfg_cmd *c)
{
	static const char *const kinds[] = { "con", "aux", "vty", "console" };
	struct cfg_tok *t;
	uint32_t v;
	size_t k;

	(void)c;
	p->mode = CFG_SKIP;
	t = cfg_want(p, "line", "con, aux or vty");
	if (!t)
		return;
	for (k = 0; k < CFG_N(kinds); k++) {
		if (!strcasecmp(t->s, kinds[k]))
			break;
	}
	if (k == CFG_N(kinds)) {
		cfg_err(p, t->col, "unknown line '%s'; expected con, aux or vty", t->s);
		return;
	}
	if (!cfg_number(p, "line number", 0, 999, &v) ||
	    (cfg_peek(p) && !cfg_number(p, "line number", 0, 999, &v)) ||
	    !cfg_end(p))
		return;
	p->mode = CFG_IOS_LINE;
}

/* The grammar */

static const struct cfg_cmd cfg_ios_ip_domain[] = {
	{ "lookup", NULL, cfg_ios_skip, CFG_NO | CFG_HIDDEN, 0, 0 },
	{ "name", NULL, cfg_run_hostname, 0, 1, 0 },
	{ NULL, NULL, NULL, 0, 0, 0 },
};

static const struct cfg_cmd cfg_ios_ip_local[] = {
	{ "pool", NULL, cfg_ios_refuse, 0, CFG_F_MODECFG, 0 },
	{ NULL, NULL, NULL, 0, 0, 0 },
};

static const struct cfg_cmd cfg_ios_ip[] = {
	{ "access-list", NULL, cfg_ios_refuse_named_acl, 0, 0, 0 },
	{ "domain", cfg_ios_ip_domain, NULL, 0, 0, 0 },
	{ "domain-lookup", NULL, cfg_ios_skip, CFG_NO | CFG_HIDDEN, 0, 0 },
	{ "domain-name", NULL, cfg_run_hostname, 0, 1, 0 },
	{ "local", cfg_ios_ip_local, NULL, 0, 0, 0 },
	{ "route", NULL, cfg_ios_run_route, 0, 0, 0 },
	{ "vrf", NULL, cfg_ios_refuse, 0, CFG_F_VRF, 0 },
	{ NULL, NULL, NULL, 0, 0, 0 },
};

static const struct cfg_cmd cfg_ios_password[] = {
	{ "encryption", NULL, cfg_ios_refuse, 0, CFG_F_TYPE6, 0 },
	{ NULL, NULL, NULL, 0, 0, 0 },
};

static const struct cfg_cmd cfg_ios_key_cmd[] = {
	{ "config-key", NULL, cfg_ios_refuse, 0, CFG_F_TYPE6, 0 },
	{ NULL, NULL, NULL, 0, 0, 0 },
};

static const struct cfg_cmd cfg_ios_call_admission[] = {
	{ "limit", NULL, cfg_run_call_admission, 0, 0, 0 },
	{ NULL, NULL, NULL, 0, 0, 0 },
};

static const struct cfg_cmd cfg_ios_call[] = {
	{ "admission", cfg_ios_call_admission, NULL, 0, 0, 0 },
	{ "rsvp-sync", NULL, cfg_ios_skip, CFG_HIDDEN, 0, 0 },
	{ NULL, NULL, NULL, 0, 0, 0 },
};

const struct cfg_cmd cfg_ios_global[] = {
	{ "aaa", NULL, cfg_run_aaa, CFG_NO, 0, 0 },
	{ "access-list", NULL, cfg_ios_run_acl, 0, 0, 0 },
	{ "call", cfg_ios_call, NULL, 0, 0, 0 },
	{ "crypto", cfg_ios_crypto, NULL, 0, 0, 0 },
	{ "hostname", NULL, cfg_run_hostname, 0, 0, 0 },
	{ "ip", cfg_ios_ip, NULL, 0, 0, 0 },
	{ "key", cfg_ios_key_cmd, NULL, 0, 0, 0 },
	{ "line", NULL, cfg_run_line, 0, 0, 0 },
	{ "password", cfg_ios_password, NULL, 0, 0, 0 },
	{ "username", NULL, cfg_ios_refuse, 0, CFG_F_XAUTH, 0 },
	{ NULL, NULL, NULL, 0, 0, 0 },
};

static const struct cfg_cmd cfg_ios_skip_ip_http[] = {
	{ "secure-server", NULL, cfg_ios_skip, CFG_NO, 0, 0 },
	{ "server", NULL, cfg_ios_skip, CFG_NO, 0, 0 },
	{ NULL, NULL, NULL, 0, 0, 0 },
};

static const struct cfg_cmd cfg_ios_skip_ip[] = {
	{ "audit", NULL, cfg_ios_skip, 0, 0, 0 },
	{ "cef", NULL, cfg_ios_skip, CFG_NO, 0, 0 },
	{ "classless", NULL, cfg_ios_skip, CFG_NO, 0, 0 },
	{ "http", cfg_ios_skip_ip_http, NULL, 0, 0, 0 },
	{ "pim", NULL, cfg_ios_skip, 0, 0, 0 },
	{ "subnet-zero", NULL, cfg_ios_skip, CFG_NO, 0, 0 },
	{ NULL, NULL, NULL, 0, 0, 0 },
};

static const struct cfg_cmd cfg_ios_skip_service[] = {
	{ "password-encryption", NULL, cfg_ios_skip, CFG_NO, 0, 0 },
	{ "timestamps", NULL, cfg_ios_skip, CFG_NO, 0, 0 },
	{ NULL, NULL, NULL, 0, 0, 0 },
};

/* Accepted, never suggested: the list at the top of this file. */
const struct cfg_cmd cfg_ios_skipped[] = {
	{ "boot-end-marker", NULL, cfg_ios_skip, CFG_HIDDEN, 0, 0 },
	{ "boot-start-marker", NULL, cfg_ios_skip, CFG_HIDDEN, 0, 0 },
	{ "clock", NULL, cfg_ios_skip, CFG_HIDDEN, 0, 0 },
	{ "control-plane", NULL, cfg_ios_skip, CFG_HIDDEN, CFG_IOS_BLOCK, 0 },
	{ "dial-peer", NULL, cfg_ios_skip, CFG_HIDDEN, CFG_IOS_BLOCK, 0 },
	{ "end", NULL, cfg_ios_skip, CFG_HIDDEN, 0, 0 },
	{ "fax", NULL, cfg_ios_skip, CFG_HIDDEN, 0, 0 },
	{ "ftp-server", NULL, cfg_ios_skip, CFG_NO | CFG_HIDDEN, 0, 0 },
	{ "ip", cfg_ios_skip_ip, NULL, CFG_HIDDEN, 0, 0 },
	{ "mgcp", NULL, cfg_ios_skip, CFG_HIDDEN, CFG_IOS_BLOCK, 0 },
	{ "mta", NULL, cfg_ios_skip, CFG_HIDDEN, 0, 0 },
	{ "service", cfg_ios_skip_service, NULL, CFG_HIDDEN, 0, 0 },
	{ "snmp-server", NULL, cfg_ios_skip, CFG_HIDDEN, 0, 0 },
	{ "version", NULL, cfg_ios_skip, CFG_HIDDEN, 0, 0 },
	{ NULL, NULL, NULL, 0, 0, 0 },
};

const struct cfg_cmd cfg_ios_line[] = {
	{ "exec-timeout", NULL, cfg_ios_skip, 0, 0, 0 },
	{ "exit", NULL, cfg_run_exit, 0, 0, 0 },
	{ "login", NULL, cfg_ios_skip, 0, 0, 0 },
	{ "password", NULL, cfg_ios_skip, 0, 0, 0 },
	{ "transport", NULL, cfg_ios_skip, 0, 0, 0 },
	{ NULL, NULL, NULL, 0, 0, 0 },
};

/* control-plane and the like: blocks with no lines of their own. */
const struct cfg_cmd cfg_ios_block[] = {
	{ NULL, NULL, NULL, 0, 0, 0 },
};
