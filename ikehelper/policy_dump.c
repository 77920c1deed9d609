// SPDX-License-Identifier: GPL-2.0
/*
 * The policy model as text: the configuration in canonical form (it
 * reads back as the same configuration), and one tunnel's effective
 * policy with where each setting came from.  Keys show as "<hidden>".
 */
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "policy.h"
#include "policy_ios.h"
#include "policy_priv.h"

static void policy_dump_algs(FILE *f, enum policy_alg_kind kind,
			     const struct policy_alg_list *l)
{
	size_t n;
	const struct policy_alg *t = policy_algs(kind, &n);

	for (int i = 0; i < l->n; i++)
		fprintf(f, " %s", t[l->idx[i]].name);
}

void policy_dump_addr(FILE *f, const struct policy_addr *a)
{
	char buf[INET6_ADDRSTRLEN];

	inet_ntop(a->family, a->a, buf, sizeof(buf));
	fprintf(f, "%s", buf);
}

const char *policy_proto_name(uint8_t proto)
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

void policy_dump_range(FILE *f, const struct policy_ts *ts)
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

void policy_dump_ts1(FILE *f, const struct policy_ts *ts)
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

	if (cfg->ios) {
		policy_ios_dump(cfg, f);
		return;
	}
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
