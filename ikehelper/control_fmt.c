// SPDX-License-Identifier: GPL-2.0
/*
 * What "show ike-sa", "show child-sa" and "show stats" print, as text in
 * the layout of NEC IX "show ikev2 sa" / "show ikev2 child-sa" (seed
 * 003, 2.25.9) or as JSON.  The engine's snapshot structs carry no keys,
 * so nothing here can print one.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "control.h"
#include "control_snap.h"
#include "json.h"
#include "net.h"

/* An algorithm name; AEADs have no integrity algorithm, PFS may be off. */
static const char *alg(const char *name)
{
	return *name ? name : "none";
}

static const char *ts_type(const struct policy_ts *t)
{
	return t->family == AF_INET6 ? "IPV6-ADDR-RANGE" : "IPV4-ADDR-RANGE";
}

static void ts_addrs(const struct policy_ts *t, char *a, char *b)
{
	inet_ntop(t->family, t->start, a, INET6_ADDRSTRLEN);
	inet_ntop(t->family, t->end, b, INET6_ADDRSTRLEN);
}

static void text_ts(FILE *f, const char *title,
		    const struct policy_ts_list *l)
{
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	unsigned int i;

	fprintf(f, "      %s:\n", title);
	if (!l->n)
		fprintf(f, "      TS type : any\n");
	for (i = 0; i < l->n && i < POLICY_TS_MAX; i++) {
		ts_addrs(&l->ts[i], a, b);
		fprintf(f,
			"      TS type : %s\n"
			"        Protocol %u\n"
			"        Address Range %s to %s\n"
			"        Port Range %u to %u\n",
			ts_type(&l->ts[i]), l->ts[i].proto, a, b,
			l->ts[i].port_start, l->ts[i].port_end);
	}
}

static void text_ike_sa(FILE *f, const struct snap *s)
{
	char la[NET_ADDRSTRLEN], ra[NET_ADDRSTRLEN];
	size_t i, k;

	if (!s->n_ike)
		fprintf(f, "No IKE SA\n");
	for (i = 0; i < s->n_ike; i++) {
		const struct ike_sa_info *p = &s->ike[i];

		fprintf(f, "Interface %s\n", p->tunnel);
		fprintf(f, "  SPI (I)0x%016" PRIx64 "  (R)0x%016" PRIx64 "\n",
			p->spi_i, p->spi_r);
		fprintf(f,
			"    Remain lifetime[sec] : %" PRIu64 "\n"
			"    Rekey in[sec] : %" PRIu64 "\n"
			"    Established[sec] : %" PRIu64 "\n"
			"    Version : IKEv%u\n"
			"    Direction : %s\n"
			"    Local Addr  : %s\n"
			"    Remote Addr : %s\n"
			"    NAT-T : %s\n"
			"    Local ID : %s\n"
			"    Peer ID  : %s\n"
			"    Status : %s\n"
			"    Encryption alg : %s\n"
			"    Integrity alg : %s\n"
			"    PRF alg  : %s\n"
			"    DH group : %s\n",
			snap_remain(p->lifetime_s, p->established_s), p->rekey_in_s,
			p->established_s, p->version,
			p->initiator ? "initiator" : "responder",
			net_addr_str(&p->local, la, sizeof(la)),
			net_addr_str(&p->remote, ra, sizeof(ra)),
			p->natt ? "on" : "off", p->local_id, p->remote_id,
			p->state, alg(p->enc), alg(p->integ), alg(p->prf),
			alg(p->dh));
		if (p->dpd_interval_s)
			fprintf(f, "    DPD : interval %" PRIu32 " sec\n",
				p->dpd_interval_s);
		else
			fprintf(f, "    DPD : disable\n");
		fprintf(f, "    Last received[sec] : %" PRIu64 "\n",
			p->last_seen_s);
		fprintf(f, "    Child\n"
			   "      Prot SPI(IN)    SPI(OUT)   Lifetime[sec]\n");
		for (k = 0; k < s->n_child; k++) {
			const struct ike_child_info *c = &s->child[k];

			if (snap_child_of(c, p))
				fprintf(f,
					"      ESP  0x%08" PRIx32 " 0x%08" PRIx32
					" %" PRIu64 "\n",
					c->spi_in, c->spi_out,
					snap_remain(c->lifetime_s,
					       c->established_s));
		}
	}
}

static void text_child_sa(FILE *f, const struct snap *s)
{
	size_t k;

	if (!s->n_child)
		fprintf(f, "No Child SA\n");
	for (k = 0; k < s->n_child; k++) {
		const struct ike_child_info *c = &s->child[k];
		const struct ike_sa_info *p = snap_ike_of(s, c);
		char la[INET6_ADDRSTRLEN], ra[INET6_ADDRSTRLEN];

		fprintf(f, "Interface %s\n", c->tunnel);
		fprintf(f, "  IKE Peer ID : %s\n", p ? p->remote_id : "-");
		fprintf(f, "    IKE SPI (I)0x%016" PRIx64 "  (R)0x%016" PRIx64
			"\n", c->ike_spi_i, c->ike_spi_r);
		fprintf(f,
			"    Child SA\n"
			"      Protocol : ESP\n"
			"      Local Addr : %s\n"
			"      Peer Addr  : %s\n"
			"      Status : %s\n"
			"      Enc alg  : %s\n"
			"      Hash alg : %s\n"
			"      PFS : %s\n"
			"      Remain lifetime[sec] : %" PRIu64 "\n"
			"      Rekey in[sec] : %" PRIu64 "\n"
			"      Direction is outbound\n"
			"        SPI : 0x%08" PRIx32 "\n"
			"        %" PRIu64 " packets, %" PRIu64 " octets\n"
			"      Direction is inbound\n"
			"        SPI : 0x%08" PRIx32 "\n"
			"        %" PRIu64 " packets, %" PRIu64 " octets\n",
			p ? snap_addr(&p->local, la, sizeof(la)) : "-",
			p ? snap_addr(&p->remote, ra, sizeof(ra)) : "-",
			c->state, alg(c->enc), alg(c->integ), alg(c->pfs),
			snap_remain(c->lifetime_s, c->established_s), c->rekey_in_s,
			c->spi_out, c->packets_out, c->bytes_out, c->spi_in,
			c->packets_in, c->bytes_in);
		text_ts(f, "Local TS", &c->ts_local);
		text_ts(f, "Peer TS", &c->ts_remote);
	}
}

static void format_time(uint64_t ms, char *buf, size_t len)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	if (!localtime_r(&t, &tm) ||
	    !strftime(buf, len, "%Y/%m/%d %H:%M:%S", &tm))
		snprintf(buf, len, "-");
}

static const struct {
	const char *name;
	size_t off;
} stat_fields[] = {
#define STAT(f, n) { n, offsetof(struct ike_stats, f) }
	STAT(rx, "received"),
	STAT(tx, "sent"),
	STAT(retransmits, "retransmits"),
	STAT(dropped, "dropped"),
	STAT(ike_sa_created, "IKE SA created"),
	STAT(ike_sa_deleted, "IKE SA deleted"),
	STAT(child_sa_created, "Child SA created"),
	STAT(child_sa_deleted, "Child SA deleted"),
	STAT(auth_failed, "authentication failed"),
	STAT(no_proposal, "no proposal chosen"),
	STAT(invalid_spi, "invalid SPI"),
	STAT(invalid_msgid, "invalid message ID"),
	STAT(decrypt_failed, "decryption failed"),
	STAT(malformed, "malformed"),
	STAT(cac_in_accepted, "incoming IKE requests accepted"),
	STAT(cac_in_rejected, "incoming IKE requests rejected (CAC)"),
	STAT(cac_out_accepted, "outgoing IKE requests accepted"),
	STAT(cac_out_rejected, "outgoing IKE requests rejected (CAC)"),
#undef STAT
};

#define N_STATS	(sizeof(stat_fields) / sizeof(stat_fields[0]))

static uint64_t stat_get(const struct ike_stats *st, size_t i)
{
	uint64_t v;

	memcpy(&v, (const char *)st + stat_fields[i].off, sizeof(v));
	return v;
}

/* The JSON key of a counter: its name with '_' for ' '. */
static void stat_key(size_t i, char *buf, size_t len)
{
	size_t k;

	snprintf(buf, len, "%s", stat_fields[i].name);
	for (k = 0; buf[k]; k++)
		buf[k] = buf[k] == ' ' ? '_' :
			 (buf[k] >= 'A' && buf[k] <= 'Z') ? buf[k] + 32 :
							     buf[k];
}

static void text_stats(FILE *f, const struct ike_stats *st,
		       const struct snap *s)
{
	char when[32];
	size_t i, k;

	fprintf(f, "IKE statistics\n");
	for (i = 0; i < N_STATS; i++)
		fprintf(f, "  %-22s %" PRIu64 "\n", stat_fields[i].name,
			stat_get(st, i));
	/* Events come grouped per tunnel: a header when the tunnel changes. */
	for (k = 0; k < s->n_ev; k++) {
		const struct ike_event_info *ev = &s->ev[k];

		if (!k || strcmp(ev->tunnel, s->ev[k - 1].tunnel))
			fprintf(f, "Interface %s\n  History\n"
				   "    Time                Event\n",
				ev->tunnel);
		format_time(ev->when_ms, when, sizeof(when));
		fprintf(f, "    %s %s\n", when, ev->what);
	}
}

static void json_addr(struct json *j, const char *key,
		      const struct sockaddr_storage *ss)
{
	char a[NET_ADDRSTRLEN];

	json_kv_str(j, key, net_addr_str(ss, a, sizeof(a)));
}

static void json_spi64(struct json *j, const char *key, uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%016" PRIx64, v);
	json_kv_str(j, key, buf);
}

static void json_spi32(struct json *j, const char *key, uint32_t v)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "0x%08" PRIx32, v);
	json_kv_str(j, key, buf);
}

static void json_ts(struct json *j, const char *key,
		    const struct policy_ts_list *l)
{
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	unsigned int i;

	json_key(j, key);
	json_array_begin(j);
	for (i = 0; i < l->n && i < POLICY_TS_MAX; i++) {
		ts_addrs(&l->ts[i], a, b);
		json_object_begin(j);
		json_kv_str(j, "type", ts_type(&l->ts[i]));
		json_kv_uint(j, "protocol", l->ts[i].proto);
		json_kv_str(j, "start", a);
		json_kv_str(j, "end", b);
		json_kv_uint(j, "port_start", l->ts[i].port_start);
		json_kv_uint(j, "port_end", l->ts[i].port_end);
		json_object_end(j);
	}
	json_array_end(j);
}

static void json_ike_sa(struct json *j, const struct snap *s)
{
	size_t i, k;

	json_array_begin(j);
	for (i = 0; i < s->n_ike; i++) {
		const struct ike_sa_info *p = &s->ike[i];

		json_object_begin(j);
		json_kv_str(j, "interface", p->tunnel);
		json_kv_uint(j, "version", p->version);
		json_spi64(j, "spi_i", p->spi_i);
		json_spi64(j, "spi_r", p->spi_r);
		json_kv_str(j, "direction",
			    p->initiator ? "initiator" : "responder");
		json_addr(j, "local", &p->local);
		json_addr(j, "remote", &p->remote);
		json_kv_bool(j, "natt", p->natt);
		json_kv_str(j, "local_id", p->local_id);
		json_kv_str(j, "peer_id", p->remote_id);
		json_kv_str(j, "status", p->state);
		json_kv_str(j, "enc", alg(p->enc));
		json_kv_str(j, "integ", alg(p->integ));
		json_kv_str(j, "prf", alg(p->prf));
		json_kv_str(j, "dh", alg(p->dh));
		json_kv_uint(j, "established_s", p->established_s);
		json_kv_uint(j, "lifetime_s", p->lifetime_s);
		json_kv_uint(j, "remain_s",
			     snap_remain(p->lifetime_s, p->established_s));
		json_kv_uint(j, "rekey_in_s", p->rekey_in_s);
		json_kv_uint(j, "dpd_interval_s", p->dpd_interval_s);
		json_kv_uint(j, "last_received_s", p->last_seen_s);
		json_key(j, "child");
		json_array_begin(j);
		for (k = 0; k < s->n_child; k++) {
			if (!snap_child_of(&s->child[k], p))
				continue;
			json_object_begin(j);
			json_spi32(j, "spi_in", s->child[k].spi_in);
			json_spi32(j, "spi_out", s->child[k].spi_out);
			json_kv_uint(j, "remain_s",
				     snap_remain(s->child[k].lifetime_s,
					    s->child[k].established_s));
			json_object_end(j);
		}
		json_array_end(j);
		json_object_end(j);
	}
	json_array_end(j);
}

static void json_child_sa(struct json *j, const struct snap *s)
{
	size_t k;

	json_array_begin(j);
	for (k = 0; k < s->n_child; k++) {
		const struct ike_child_info *c = &s->child[k];
		const struct ike_sa_info *p = snap_ike_of(s, c);

		json_object_begin(j);
		json_kv_str(j, "interface", c->tunnel);
		json_kv_str(j, "peer_id", p ? p->remote_id : "");
		json_spi64(j, "ike_spi_i", c->ike_spi_i);
		json_spi64(j, "ike_spi_r", c->ike_spi_r);
		json_kv_str(j, "protocol", "ESP");
		json_kv_str(j, "status", c->state);
		json_kv_str(j, "enc", alg(c->enc));
		json_kv_str(j, "integ", alg(c->integ));
		json_kv_str(j, "pfs", alg(c->pfs));
		json_spi32(j, "spi_in", c->spi_in);
		json_spi32(j, "spi_out", c->spi_out);
		json_kv_uint(j, "established_s", c->established_s);
		json_kv_uint(j, "lifetime_s", c->lifetime_s);
		json_kv_uint(j, "remain_s",
			     snap_remain(c->lifetime_s, c->established_s));
		json_kv_uint(j, "rekey_in_s", c->rekey_in_s);
		json_kv_uint(j, "packets_in", c->packets_in);
		json_kv_uint(j, "bytes_in", c->bytes_in);
		json_kv_uint(j, "packets_out", c->packets_out);
		json_kv_uint(j, "bytes_out", c->bytes_out);
		json_ts(j, "local_ts", &c->ts_local);
		json_ts(j, "peer_ts", &c->ts_remote);
		json_object_end(j);
	}
	json_array_end(j);
}

static void json_stats(struct json *j, const struct ike_stats *st,
		       const struct snap *s)
{
	char key[32];
	size_t i;

	json_object_begin(j);
	json_key(j, "counters");
	json_object_begin(j);
	for (i = 0; i < N_STATS; i++) {
		stat_key(i, key, sizeof(key));
		json_kv_uint(j, key, stat_get(st, i));
	}
	json_object_end(j);
	json_key(j, "history");
	json_array_begin(j);
	for (i = 0; i < s->n_ev; i++) {
		json_object_begin(j);
		json_kv_str(j, "interface", s->ev[i].tunnel);
		json_kv_uint(j, "time_ms", s->ev[i].when_ms);
		json_kv_str(j, "event", s->ev[i].what);
		json_object_end(j);
	}
	json_array_end(j);
	json_object_end(j);
}

int control_show(const struct ike_engine *e, enum control_show what,
		 bool json, FILE *out, uint64_t now_ms)
{
	struct snap s = { 0 };
	struct ike_stats st;
	struct json j;
	int ret = 0;

	if (what == CONTROL_SHOW_STATS) {
		ike_engine_stats(e, &st);
		ret = ike_engine_foreach_event(e, snap_event, &s);
	} else {
		ret = snap_take(e, &s, now_ms);
	}
	if (ret)
		goto out;
	if (!json) {
		if (what == CONTROL_SHOW_IKE_SA)
			text_ike_sa(out, &s);
		else if (what == CONTROL_SHOW_CHILD_SA)
			text_child_sa(out, &s);
		else
			text_stats(out, &st, &s);
		ret = ferror(out) ? -EIO : 0;
		goto out;
	}
	json_init(&j, out, JSON_PRETTY);
	if (what == CONTROL_SHOW_IKE_SA)
		json_ike_sa(&j, &s);
	else if (what == CONTROL_SHOW_CHILD_SA)
		json_child_sa(&j, &s);
	else
		json_stats(&j, &st, &s);
	ret = json_end(&j);
out:
	snap_free(&s);
	return ret;
}
