// SPDX-License-Identifier: GPL-2.0
/*
 * The Cisco IOS dialect: numbered access lists, static routes, and the
 * lines of an interface.
 *
 * An interface with "tunnel source|destination|mode|protection" lines is
 * an ikevti device (ikehelper creates it); any other interface is an
 * underlay whose "ip address" is the local address of a crypto map
 * applied to it ("crypto map NAME") or of a tunnel whose "tunnel source"
 * it is.  Names are Linux device names (policy_ios.h).
 *
 * An access list line is a pair of IKEv1 traffic selectors: an address
 * with a contiguous wildcard (a subnet), "host A" or "any", a protocol,
 * and one port ("eq P"); what IKEv1 cannot carry (port ranges, holes in
 * a wildcard) is refused.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "cfg_parse.h"

/* Access lists */

bool cfg_ios_acl_number(const char *s, uint32_t *n)
{
	unsigned long v;

	if (!cfg_is_digits(s) || strlen(s) > 4)
		return false;
	v = strtoul(s, NULL, 10);
	*n = (uint32_t)v;
	return (v >= 1 && v <= 199) || (v >= 1300 && v <= 2699);
}

void cfg_ios_refuse_named_acl(struct cfg_parser *p, const struct cfg_cmd *c)
{
	(void)c;
	cfg_ios_one_more(p);
	cfg_err(p, p->line->tok[p->path_start].col, "'%s' is not supported yet (%s)",
		cfg_said(p), cfg_ios_features[CFG_F_NAMED_ACL]);
	p->mode = CFG_SKIP;
}

static const struct {
	const char *name;
	uint8_t proto;
} cfg_acl_protos[] = {
	{ "ip", 0 }, { "icmp", 1 }, { "tcp", 6 }, { "udp", 17 }, { "gre", 47 },
	{ "esp", 50 }, { "ahp", 51 },
};

static const struct {
	const char *name;
	uint16_t port;
} cfg_acl_ports[] = {
	{ "bootpc", 68 }, { "bootps", 67 }, { "domain", 53 }, { "ftp", 21 },
	{ "isakmp", 500 }, { "non500-isakmp", 4500 }, { "ntp", 123 },
	{ "smtp", 25 }, { "snmp", 161 }, { "ssh", 22 }, { "telnet", 23 },
	{ "tftp", 69 }, { "www", 80 },
};

#define CFG_ACL_ADDR_RULE "any, host A, or A WILDCARD such as 10.1.0.0 0.0.255.255"

/* "any | host A | A WILDCARD" into ts (an IPv4 prefix). */
static bool cfg_acl_addr(struct cfg_parser *p, const char *what,
			 struct policy_ts *ts)
{
	struct cfg_tok *t = cfg_want(p, what, CFG_ACL_ADDR_RULE), *w;
	struct policy_addr a, m;
	uint32_t addr, wild;

	if (!t)
		return false;
	memset(ts, 0, sizeof(*ts));
	ts->family = AF_INET;
	ts->port_end = 65535;
	if (!strcasecmp(t->s, "any")) {
		memset(ts->end, 0xff, 4);
		return true;
	}
	if (!strcasecmp(t->s, "host")) {
		t = cfg_want(p, "host", "an IPv4 address");
		if (!t)
			return false;
		if (!cfg_is_addr(t->s, &a) || a.family != AF_INET) {
			cfg_err(p, t->col, "invalid host '%s'; expected an IPv4 address",
				t->s);
			return false;
		}
		memcpy(ts->start, a.a, 4);
		memcpy(ts->end, a.a, 4);
		return true;
	}
	if (!cfg_is_addr(t->s, &a) || a.family != AF_INET) {
		cfg_err(p, t->col, "invalid %s '%s'; expected " CFG_ACL_ADDR_RULE,
			what, t->s);
		return false;
	}
	w = cfg_want(p, "wildcard", "a wildcard mask such as 0.0.0.255");
	if (!w)
		return false;
	if (!cfg_is_addr(w->s, &m) || m.family != AF_INET) {
		cfg_err(p, w->col, "invalid wildcard '%s'; expected a wildcard mask such as 0.0.0.255",
			w->s);
		return false;
	}
	memcpy(&wild, m.a, 4);
	memcpy(&addr, a.a, 4);
	wild = ntohl(wild);
	addr = ntohl(addr);
	if (wild & (wild + 1)) {
		cfg_err(p, w->col, "wildcard '%s' is not a prefix; expected one such as 0.0.0.255 (an IKEv1 selector is a subnet)",
			w->s);
		return false;
	}
	if (addr & wild) {
		cfg_err(p, t->col, "'%s %s' has host bits set; expected the network address",
			t->s, w->s);
		return false;
	}
	addr = htonl(addr);
	memcpy(ts->start, &addr, 4);
	addr = htonl(ntohl(addr) | wild);
	memcpy(ts->end, &addr, 4);
	return true;
}

/* "eq PORT" after an address of tcp or udp. */
static bool cfg_acl_port(struct cfg_parser *p, uint8_t proto,
			 struct policy_ts *ts)
{
	struct cfg_tok *t = cfg_peek(p);
	unsigned long v = 65536;

	if (!t || (proto != 6 && proto != 17))
		return true;
	if (!strcasecmp(t->s, "gt") || !strcasecmp(t->s, "lt") ||
	    !strcasecmp(t->s, "neq") || !strcasecmp(t->s, "range")) {
		cfg_err(p, t->col, "'%s' ports are not supported; expected 'eq PORT' (an IKEv1 selector holds one port)",
			t->s);
		return false;
	}
	if (strcasecmp(t->s, "eq"))
		return true;
	p->pos++;
	t = cfg_want(p, "port", "a port from 1 to 65535 or a name such as www");
	if (!t)
		return false;
	if (cfg_is_digits(t->s) && t->len <= 5)
		v = strtoul(t->s, NULL, 10);
	for (size_t i = 0; i < CFG_N(cfg_acl_ports); i++) {
		if (!strcasecmp(t->s, cfg_acl_ports[i].name))
			v = cfg_acl_ports[i].port;
	}
	if (!v || v > 65535) {
		cfg_err(p, t->col, "invalid port '%s'; expected a port from 1 to 65535 or a name such as www",
			t->s);
		return false;
	}
	ts->port_start = ts->port_end = (uint16_t)v;
	return true;
}

/* "access-list N permit|deny ...", standard or extended by N. */
void cfg_ios_run_acl(struct cfg_parser *p, const struct cfg_cmd *c)
{
	struct policy_acl_entry e = { 0 };
	struct policy_ios *ios;
	struct policy_acl *acl;
	struct cfg_tok *t;
	uint32_t n;
	bool ext;

	(void)c;
	t = cfg_want(p, "access list", CFG_ACL_RULE);
	if (!t)
		return;
	if (!cfg_ios_acl_number(t->s, &n)) {
		cfg_err(p, t->col, "invalid access list '%s'; expected " CFG_ACL_RULE,
			t->s);
		return;
	}
	ext = (n >= 100 && n <= 199) || n >= 2000;
	t = cfg_want(p, "action", "permit, deny or remark");
	if (!t)
		return;
	if (!strcasecmp(t->s, "remark")) {
		p->pos = p->line->ntok;
		return;
	}
	if (strcasecmp(t->s, "permit") && strcasecmp(t->s, "deny")) {
		cfg_err(p, t->col, "unknown action '%s'; expected permit, deny or remark",
			t->s);
		return;
	}
	e.permit = !strcasecmp(t->s, "permit");
	if (ext) {
		size_t k;

		t = cfg_want(p, "protocol", "ip, tcp, udp, icmp, gre, esp, ahp or 0 to 255");
		if (!t)
			return;
		for (k = 0; k < CFG_N(cfg_acl_protos); k++) {
			if (!strcasecmp(t->s, cfg_acl_protos[k].name))
				break;
		}
		if (k < CFG_N(cfg_acl_protos)) {
			e.proto = cfg_acl_protos[k].proto;
		} else if (cfg_is_digits(t->s) && t->len <= 3 &&
			   strtoul(t->s, NULL, 10) <= 255) {
			e.proto = (uint8_t)strtoul(t->s, NULL, 10);
		} else {
			cfg_err(p, t->col, "invalid protocol '%s'; expected ip, tcp, udp, icmp, gre, esp, ahp or 0 to 255",
				t->s);
			return;
		}
		if (!cfg_acl_addr(p, "source", &e.src) ||
		    !cfg_acl_port(p, e.proto, &e.src) ||
		    !cfg_acl_addr(p, "destination", &e.dst) ||
		    !cfg_acl_port(p, e.proto, &e.dst))
			return;
	} else {
		if (!cfg_acl_addr(p, "source", &e.src))
			return;
		memset(&e.dst, 0, sizeof(e.dst));
		e.dst.family = AF_INET;
		memset(e.dst.end, 0xff, 4);
		e.dst.port_end = 65535;
	}
	e.src.proto = e.dst.proto = e.proto;
	t = cfg_peek(p);
	if (t && !strncasecmp(t->s, "log", 3)) {
		cfg_err(p, t->col, "'%s' is not supported (ikehelper does not log access list matches); expected end of line",
			t->s);
		return;
	}
	if (!cfg_end(p) || !(ios = cfg_ios_model(p)))
		return;
	cfg_mark(p, &e.loc);
	acl = policy_acl_get(ios, n, &e.loc);
	if (!acl || policy_acl_add(acl, &e))
		cfg_err(p, p->line->tok[0].col, "out of memory");
}

/* "ip route PREFIX MASK NEXTHOP | IF [NEXTHOP]" */
void cfg_ios_run_route(struct cfg_parser *p, const struct cfg_cmd *c)
{
	struct policy_route r = { 0 };
	struct policy_ios *ios;
	struct cfg_tok *t;

	(void)c;
	if (!cfg_ios_prefix(p, "prefix", &r.prefix, &r.plen, false))
		return;
	t = cfg_want(p, "next hop", "an IPv4 address or an interface name");
	if (!t)
		return;
	if (!cfg_is_addr(t->s, &r.via)) {
		if (!cfg_is_ifname(t->s)) {
			cfg_err(p, t->col, "invalid next hop '%s'; expected an IPv4 address or an interface name",
				t->s);
			return;
		}
		strcpy(r.ifname, t->s);
		t = cfg_peek(p);
		if (t && cfg_is_addr(t->s, &r.via))
			p->pos++;
	}
	if (r.via.family && r.via.family != AF_INET) {
		cfg_err(p, t->col, "invalid next hop '%s'; expected an IPv4 address",
			t->s);
		return;
	}
	if (!cfg_end(p) || !(ios = cfg_ios_model(p)))
		return;
	cfg_mark(p, &r.loc);
	if (policy_route_add(ios, &r))
		cfg_err(p, p->line->tok[0].col, "out of memory");
}

/* Interfaces */

void cfg_ios_shutdown(struct cfg_parser *p)
{
	struct policy_ios_if *f = p->ios_if;

	if (!cfg_once(p, &f->floc[POLICY_IFF_SHUTDOWN]) || !cfg_end(p))
		return;
	f->shutdown = !p->negate;
	cfg_mark(p, &f->floc[POLICY_IFF_SHUTDOWN]);
}

/* "ip address A MASK", "no ip address" */
static void cfg_run_if_addr(struct cfg_parser *p, const struct cfg_cmd *c)
{
	struct policy_ios_if *f = p->ios_if;
	struct policy_addr a = { 0 };
	struct cfg_tok *t;
	uint8_t plen = 0;

	(void)c;
	if (!cfg_once(p, &f->floc[POLICY_IFF_ADDR]))
		return;
	if (!p->negate) {
		t = cfg_want(p, "address", "an IPv4 address");
		if (!t)
			return;
		if (!cfg_is_addr(t->s, &a) || a.family != AF_INET) {
			cfg_err(p, t->col, "invalid address '%s'; expected an IPv4 address",
				t->s);
			return;
		}
		t = cfg_want(p, "netmask", "a netmask such as 255.255.255.0");
		if (!t)
			return;
		{
			struct policy_addr m;
			uint32_t mask;

			if (!cfg_is_addr(t->s, &m) || m.family != AF_INET) {
				cfg_err(p, t->col, "invalid netmask '%s'; expected a netmask such as 255.255.255.0",
					t->s);
				return;
			}
			memcpy(&mask, m.a, 4);
			mask = ntohl(mask);
			if (mask & (~mask >> 1)) {
				cfg_err(p, t->col, "invalid netmask '%s'; expected a netmask such as 255.255.255.0",
					t->s);
				return;
			}
			plen = (uint8_t)__builtin_popcount(mask);
		}
	}
	if (!cfg_end(p))
		return;
	f->addr = a;
	f->plen = plen;
	cfg_mark(p, &f->floc[POLICY_IFF_ADDR]);
}

static void cfg_run_if_crypto_map(struct cfg_parser *p, const struct cfg_cmd *c)
{
	struct policy_ios_if *f = p->ios_if;
	struct cfg_tok *t;

	/* "crypto map NAME SEQ" is the global command, after an unindented block. */
	if (p->pos + 1 < p->line->ntok && !p->negate) {
		p->mode = CFG_GLOBAL;
		p->ios_if = NULL;
		cfg_ios_run_crypto_map(p, c);
		return;
	}
	if (!cfg_once(p, &f->floc[POLICY_IFF_CRYPTO_MAP]))
		return;
	t = cfg_want_name(p, "crypto map name");
	if (!t || !cfg_end(p))
		return;
	strcpy(f->crypto_map, t->s);
	cfg_mark(p, &f->floc[POLICY_IFF_CRYPTO_MAP]);
}

/* "no keepalive" is what an ikevti device does; keepalives are refused. */
static void cfg_run_if_keepalive(struct cfg_parser *p, const struct cfg_cmd *c)
{
	(void)c;
	if (p->negate) {
		cfg_end(p);
		return;
	}
	cfg_err(p, p->line->tok[p->path_start].col,
		"'keepalive' on an interface is not supported (GRE and line keepalives; dead peers are found by 'crypto isakmp keepalive'); expected 'no keepalive' or nothing");
}

static void cfg_run_if_unnumbered(struct cfg_parser *p, const struct cfg_cmd *c)
{
	(void)c;
	cfg_err(p, p->line->tok[p->path_start].col,
		"'ip unnumbered' is not supported; expected 'ip address A MASK', or no line (addresses are then ip(8)'s)");
}

void cfg_ios_run_tunnel_source(struct cfg_parser *p, const struct cfg_cmd *c)
{
	struct policy_ios_if *f = p->ios_if;
	struct policy_v1_local l = { 0 };
	struct cfg_tok *t;

	(void)c;
	if (!cfg_once(p, &f->floc[POLICY_IFF_SOURCE]))
		return;
	t = cfg_want(p, "tunnel source", "an interface name or an IPv4 address");
	if (!t)
		return;
	if (cfg_is_addr(t->s, &l.addr)) {
		if (l.addr.family != AF_INET) {
			cfg_err(p, t->col, "'%s' is not supported yet (%s)",
				cfg_said(p), cfg_ios_features[CFG_F_IPV6]);
			return;
		}
	} else if (cfg_is_ifname(t->s)) {
		strcpy(l.ifname, t->s);
	} else {
		cfg_err(p, t->col, "invalid tunnel source '%s'; expected an interface name or an IPv4 address",
			t->s);
		return;
	}
	if (!cfg_end(p))
		return;
	f->source = l;
	f->tunnel = true;
	cfg_mark(p, &f->floc[POLICY_IFF_SOURCE]);
}

void cfg_ios_run_tunnel_dest(struct cfg_parser *p, const struct cfg_cmd *c)
{
	struct policy_ios_if *f = p->ios_if;
	struct policy_addr a;
	struct cfg_tok *t;

	(void)c;
	if (!cfg_once(p, &f->floc[POLICY_IFF_DEST]))
		return;
	t = cfg_want(p, "tunnel destination", "an IPv4 address");
	if (!t)
		return;
	if (!cfg_is_addr(t->s, &a) || a.family != AF_INET) {
		cfg_err(p, t->col, "invalid tunnel destination '%s'; expected an IPv4 address",
			t->s);
		return;
	}
	if (!cfg_end(p))
		return;
	f->dest = a;
	f->tunnel = true;
	cfg_mark(p, &f->floc[POLICY_IFF_DEST]);
}

/* "tunnel mode ipsec ipv4"; config.c has seen "ipsec". */
void cfg_ios_tunnel_mode(struct cfg_parser *p)
{
	struct policy_ios_if *f = p->ios_if;
	struct cfg_tok *t;

	if (!cfg_once(p, &f->floc[POLICY_IFF_MODE]))
		return;
	p->pos++;
	t = cfg_want(p, "address family", "ipv4");
	if (!t)
		return;
	if (!strcasecmp(t->s, "ipv6")) {
		cfg_err(p, t->col, "'tunnel mode ipsec ipv6' is not supported yet (%s); expected 'tunnel mode ipsec ipv4'",
			cfg_ios_features[CFG_F_IPV6]);
		return;
	}
	if (strcasecmp(t->s, "ipv4")) {
		cfg_err(p, t->col, "unknown address family '%s'; expected ipv4", t->s);
		return;
	}
	if (!cfg_end(p))
		return;
	f->tunnel = true;
	cfg_mark(p, &f->floc[POLICY_IFF_MODE]);
}

/* "tunnel protection ipsec profile NAME" */
static void cfg_run_tunnel_protection(struct cfg_parser *p, const struct cfg_cmd *c)
{
	struct policy_ios_if *f = p->ios_if;
	struct cfg_tok *t;

	(void)c;
	if (!cfg_once(p, &f->floc[POLICY_IFF_PROTECTION]) ||
	    !cfg_want_kw(p, "profile", "'profile NAME'"))
		return;
	t = cfg_want_name(p, "IPsec profile name");
	if (!t)
		return;
	if (cfg_peek(p) && !strcasecmp(cfg_peek(p)->s, "shared")) {
		unsigned int col = cfg_next(p)->col;

		cfg_err(p, col, "'%s' is not supported yet (%s)", cfg_said(p),
			cfg_ios_features[CFG_F_DMVPN]);
		return;
	}
	if (!cfg_end(p))
		return;
	strcpy(f->protection, t->s);
	f->tunnel = true;
	cfg_mark(p, &f->floc[POLICY_IFF_PROTECTION]);
}

/* The grammar */

const struct cfg_cmd cfg_ios_tunnel_protection[] = {
	{ "ipsec", NULL, cfg_run_tunnel_protection, 0, 0, 0 },
	{ NULL, NULL, NULL, 0, 0, 0 },
};

static const struct cfg_cmd cfg_ios_if_ip[] = {
	{ "address", NULL, cfg_run_if_addr, CFG_NO, 0, 0 },
	{ "unnumbered", NULL, cfg_run_if_unnumbered, 0, 0, 0 },
	{ NULL, NULL, NULL, 0, 0, 0 },
};

static const struct cfg_cmd cfg_ios_if_crypto[] = {
	{ "map", NULL, cfg_run_if_crypto_map, 0, 0, 0 },
	{ NULL, NULL, NULL, 0, 0, 0 },
};

/* Besides "exit", "shutdown" and "tunnel ..." (config.c). */
const struct cfg_cmd cfg_ios_interface[] = {
	{ "crypto", cfg_ios_if_crypto, NULL, 0, 0, 0 },
	{ "description", NULL, cfg_ios_skip, CFG_HIDDEN, 0, 0 },
	{ "duplex", NULL, cfg_ios_skip, CFG_HIDDEN, 0, 0 },
	{ "full-duplex", NULL, cfg_ios_skip, CFG_HIDDEN, 0, 0 },
	{ "half-duplex", NULL, cfg_ios_skip, CFG_HIDDEN, 0, 0 },
	{ "ip", cfg_ios_if_ip, NULL, 0, 0, 0 },
	{ "keepalive", NULL, cfg_run_if_keepalive, CFG_NO | CFG_HIDDEN, 0, 0 },
	{ "speed", NULL, cfg_ios_skip, CFG_HIDDEN, 0, 0 },
	{ NULL, NULL, NULL, 0, 0, 0 },
};
