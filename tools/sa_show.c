// SPDX-License-Identifier: GPL-2.0
/*
 * Text and JSON views of SAs, device counters and events.  Each group of
 * counters is one table of field, text name and JSON name, so the two
 * views cannot drift apart.
 */
#include <inttypes.h>
#include <stddef.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "sa_args.h"
#include "sa_show.h"

struct show_field {
	size_t off;		/* of a uint64_t in the struct */
	const char *text;
	const char *json;
	bool eol;		/* text: end the line after this one */
};

#define SF(type, f, text, eol)	{ offsetof(type, f), text, #f, eol }

static const struct show_field show_sa_stats[] = {
	SF(struct kernel_sa_stats, packets, "packets", false),
	SF(struct kernel_sa_stats, octets, "octets", true),
	SF(struct kernel_sa_stats, invalid_sa, "invalid sa", false),
	SF(struct kernel_sa_stats, replay, "replay detected", false),
	SF(struct kernel_sa_stats, integrity_failed, "integrity failure",
	   false),
	SF(struct kernel_sa_stats, cipher_failed, "cipher failure", true),
	SF(struct kernel_sa_stats, truncated, "packet truncated", false),
	SF(struct kernel_sa_stats, invalid_padding, "invalid padding", false),
	SF(struct kernel_sa_stats, unknown_proto, "unknown protocol", false),
	SF(struct kernel_sa_stats, nomem, "out of memory", true),
	SF(struct kernel_sa_stats, ts_unacceptable, "ts unacceptable", false),
	SF(struct kernel_sa_stats, misc, "misc error", false),
	SF(struct kernel_sa_stats, crypto_busy, "cipher busy", true),
};

static const struct show_field show_cur[] = {
	SF(struct kernel_sa_cur, add_time, "created", false),
	SF(struct kernel_sa_cur, use_time, "last used", false),
	SF(struct kernel_sa_cur, bytes, "bytes", false),
	SF(struct kernel_sa_cur, packets, "packets", false),
	SF(struct kernel_sa_cur, seq, "seq", false),
	SF(struct kernel_sa_cur, expired, "expired", true),
};

static const struct show_field show_lifetime[] = {
	SF(struct kernel_lifetime, soft_secs, "soft secs", false),
	SF(struct kernel_lifetime, hard_secs, "hard secs", false),
	SF(struct kernel_lifetime, soft_bytes, "soft bytes", false),
	SF(struct kernel_lifetime, hard_bytes, "hard bytes", false),
	SF(struct kernel_lifetime, soft_packets, "soft packets", false),
	SF(struct kernel_lifetime, hard_packets, "hard packets", true),
};

/* Cisco's own words for the first eight, with its punctuation. */
static const struct show_field show_dev[] = {
	SF(struct kernel_dev_stats, encaps, "#pkts encaps:", false),
	SF(struct kernel_dev_stats, encrypt, "#pkts encrypt:", false),
	SF(struct kernel_dev_stats, digest, "#pkts digest:", true),
	SF(struct kernel_dev_stats, decaps, "#pkts decaps:", false),
	SF(struct kernel_dev_stats, decrypt, "#pkts decrypt:", false),
	SF(struct kernel_dev_stats, verify, "#pkts verify:", true),
	SF(struct kernel_dev_stats, send_errors, "#send errors", false),
	SF(struct kernel_dev_stats, recv_errors, "#recv errors", true),
	SF(struct kernel_dev_stats, no_sa_out, "drops: no outbound sa", false),
	SF(struct kernel_dev_stats, ts_out, "outside selectors", false),
	SF(struct kernel_dev_stats, no_route, "no route", true),
	SF(struct kernel_dev_stats, seq_exhausted, "drops: sequence exhausted",
	   false),
	SF(struct kernel_dev_stats, invalid_sa, "invalid sa", true),
};

#define SHOW_N(a)	(sizeof(a) / sizeof((a)[0]))

static uint64_t show_get(const void *base, const struct show_field *f)
{
	uint64_t v;

	memcpy(&v, (const char *)base + f->off, sizeof(v));
	return v;
}

static void show_fields_text(FILE *f, const char *indent, const void *base,
			     const struct show_field *t, size_t n)
{
	bool bol = true;

	for (size_t i = 0; i < n; i++) {
		fprintf(f, "%s%s %" PRIu64, bol ? indent : ", ", t[i].text,
			show_get(base, &t[i]));
		bol = t[i].eol || i + 1 == n;
		if (bol)
			fputc('\n', f);
	}
}

static int show_fields_json(struct json *j, const char *key, const void *base,
			    const struct show_field *t, size_t n)
{
	if (key)
		json_key(j, key);
	json_object_begin(j);
	for (size_t i = 0; i < n; i++)
		json_kv_uint(j, t[i].json, show_get(base, &t[i]));
	return json_object_end(j);
}

/* Is [start, end] exactly one prefix?  Its length, or -1. */
static int show_prefix(const struct kernel_ts *ts, unsigned int alen)
{
	unsigned int bits = alen * 8, plen;

	for (plen = 0; plen <= bits; plen++) {
		bool match = true;

		for (unsigned int i = 0; i < alen && match; i++) {
			unsigned int keep = plen >= 8 * (i + 1) ? 8 :
					    plen > 8 * i ? plen - 8 * i : 0;
			uint8_t mask = (uint8_t)(0xff00 >> keep);

			match = (ts->start[i] & (uint8_t)~mask) == 0 &&
				ts->end[i] == (ts->start[i] | (uint8_t)~mask);
		}
		if (match)
			return (int)plen;
	}
	return -1;
}

static void show_addr(char *buf, size_t len, uint8_t family,
		      const uint8_t *addr)
{
	if (!inet_ntop(family == AF_INET ? AF_INET : AF_INET6, addr, buf,
		       (socklen_t)len))
		snprintf(buf, len, "?");
}

/* The address part of a selector: "10.0.0.0/24" or "A-B". */
static void show_ts_addr(char *buf, size_t len, const struct kernel_ts *ts)
{
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	int plen = show_prefix(ts, ts->family == AF_INET ? 4 : 16);

	show_addr(a, sizeof(a), ts->family, ts->start);
	if (plen >= 0) {
		snprintf(buf, len, "%s/%d", a, plen);
		return;
	}
	show_addr(b, sizeof(b), ts->family, ts->end);
	snprintf(buf, len, "%s-%s", a, b);
}

void show_ts(char *buf, size_t len, const struct kernel_ts *ts)
{
	char addr[2 * INET6_ADDRSTRLEN + 8];
	const char *pname = sa_proto_name(ts->proto);
	size_t off;

	show_ts_addr(addr, sizeof(addr), ts);
	off = (size_t)snprintf(buf, len, "%s", addr);
	if (ts->proto && off < len) {
		if (pname)
			off += (size_t)snprintf(buf + off, len - off,
						" proto %s", pname);
		else
			off += (size_t)snprintf(buf + off, len - off,
						" proto %u", ts->proto);
	}
	if ((ts->port_start || ts->port_end != 65535) && off < len) {
		if (ts->port_start == ts->port_end)
			snprintf(buf + off, len - off, " port %u",
				 ts->port_start);
		else
			snprintf(buf + off, len - off, " port %u-%u",
				 ts->port_start, ts->port_end);
	}
}

static void show_ts_text(FILE *f, const char *label,
			 const struct kernel_ts *ts, unsigned int n)
{
	char buf[160];
	int width = (int)strlen(label) + 8;

	fprintf(f, "      %s: ", label);
	if (!n)
		fprintf(f, "any\n");
	for (unsigned int i = 0; i < n; i++) {
		show_ts(buf, sizeof(buf), &ts[i]);
		fprintf(f, "%*s%s\n", i ? width : 0, "", buf);
	}
}

static void show_time(char *buf, size_t len, uint64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!t || !localtime_r(&tt, &tm) ||
	    !strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm))
		snprintf(buf, len, "never");
}

static void show_transform(char *buf, size_t len, const struct kernel_sa *sa)
{
	const struct sa_alg *enc = sa_enc_by_id(sa->enc);
	const struct sa_alg *auth = sa_auth_by_id(sa->auth);
	size_t off;

	if (enc)
		off = (size_t)snprintf(buf, len, "%s", enc->transform);
	else
		off = (size_t)snprintf(buf, len, "esp-enc-%u", sa->enc);
	if (sa->auth && off < len) {
		if (auth)
			snprintf(buf + off, len - off, " %s", auth->transform);
		else
			snprintf(buf + off, len - off, " esp-auth-%u",
				 sa->auth);
	}
}

static const char *show_expired(uint64_t e)
{
	return e == 0 ? "active" : e == 1 ? "soft expired" :
	       e == 2 ? "hard expired" : "expired";
}

/* soft/hard limit pair of one unit, with what is left of each. */
static void show_limits(FILE *f, bool *first, const char *unit,
			uint64_t soft, uint64_t hard, bool known,
			uint64_t used)
{
	const uint64_t lim[2] = { soft, hard };
	const char *const kind[2] = { "soft", "hard" };
	bool sep = false;

	if (!soft && !hard)
		return;
	fprintf(f, "      %s", *first ? "lifetime: " : "          ");
	*first = false;
	for (int i = 0; i < 2; i++) {
		if (!lim[i])
			continue;
		fprintf(f, "%s%s %" PRIu64 " %s", sep ? ", " : "", kind[i],
			lim[i], unit);
		if (known)
			fprintf(f, " (%" PRIu64 " remaining)",
				lim[i] > used ? lim[i] - used : 0);
		sep = true;
	}
	fputc('\n', f);
}

void show_sa_text(FILE *f, const struct kernel_sa *sa, time_t now)
{
	const struct kernel_lifetime *lt = &sa->lifetime;
	const char *origin = sa_origin_name(sa->origin);
	uint64_t age = 0;
	char buf[160], used[32];
	bool first = true;

	fprintf(f, "   %s esp sa: spi 0x%08" PRIx32 " (%" PRIu32 ")\n",
		sa->dir == IKEVTI_DIR_IN ? "inbound" : "outbound", sa->spi,
		sa->spi);
	show_transform(buf, sizeof(buf), sa);
	fprintf(f, "      transform: %s%s%s", buf,
		sa->flags & IKEVTI_SA_F_ESN ? ", esn" : "",
		sa->flags & IKEVTI_SA_F_LEGACY ? ", legacy" : "");
	if (sa->flags & ~(IKEVTI_SA_F_ESN | IKEVTI_SA_F_LEGACY))
		fprintf(f, ", flags 0x%" PRIx32, sa->flags);
	fputc('\n', f);
	if (origin)
		fprintf(f, "      origin: %s, cookie %" PRIu32 "\n", origin,
			sa->cookie);
	else
		fprintf(f, "      origin: %u, cookie %" PRIu32 "\n", sa->origin,
			sa->cookie);
	/* Only inbound SAs have a window. */
	if (sa->has_replay_window && !sa->replay_window)
		fprintf(f, "      replay window: 0 (replay detection off)\n");
	else if (sa->has_replay_window)
		fprintf(f, "      replay window: %" PRIu32 "\n",
			sa->replay_window);
	show_ts_text(f, "local selectors", sa->ts_local, sa->n_ts_local);
	show_ts_text(f, "remote selectors", sa->ts_remote, sa->n_ts_remote);

	if (sa->has_cur) {
		show_time(buf, sizeof(buf), sa->cur.add_time);
		show_time(used, sizeof(used), sa->cur.use_time);
		fprintf(f, "      created: %s, last used: %s\n", buf, used);
		if (sa->cur.add_time && (uint64_t)now > sa->cur.add_time)
			age = (uint64_t)now - sa->cur.add_time;
	}
	show_limits(f, &first, "secs", lt->soft_secs, lt->hard_secs,
		    sa->has_cur && sa->cur.add_time, age);
	show_limits(f, &first, "bytes", lt->soft_bytes, lt->hard_bytes,
		    sa->has_cur, sa->cur.bytes);
	show_limits(f, &first, "packets", lt->soft_packets, lt->hard_packets,
		    sa->has_cur, sa->cur.packets);
	if (first)
		fprintf(f, "      lifetime: none\n");
	if (sa->has_cur)
		fprintf(f, "      current: %" PRIu64 " bytes, %" PRIu64
			" packets, seq %" PRIu64 "\n      state: %s\n",
			sa->cur.bytes, sa->cur.packets, sa->cur.seq,
			show_expired(sa->cur.expired));
	if (sa->has_stats)
		show_fields_text(f, "      ", &sa->stats, show_sa_stats,
				 SHOW_N(show_sa_stats));
}

static void show_name_json(struct json *j, const char *key, const char *name,
			   const char *prefix, unsigned int value)
{
	char buf[32];

	if (!name) {
		snprintf(buf, sizeof(buf), "%s-%u", prefix, value);
		name = buf;
	}
	json_kv_str(j, key, name);
}

static void show_ts_json(struct json *j, const char *key,
			 const struct kernel_ts *ts, unsigned int n)
{
	char buf[160];

	json_key(j, key);
	json_array_begin(j);
	for (unsigned int i = 0; i < n; i++) {
		json_object_begin(j);
		show_ts_addr(buf, sizeof(buf), &ts[i]);
		json_kv_str(j, "selector", buf);
		show_addr(buf, sizeof(buf), ts[i].family, ts[i].start);
		json_kv_str(j, "start", buf);
		show_addr(buf, sizeof(buf), ts[i].family, ts[i].end);
		json_kv_str(j, "end", buf);
		json_kv_uint(j, "proto", ts[i].proto);
		json_kv_uint(j, "port_start", ts[i].port_start);
		json_kv_uint(j, "port_end", ts[i].port_end);
		json_object_end(j);
	}
	json_array_end(j);
}

int show_sa_json(struct json *j, const struct kernel_sa *sa,
		 const char *ifname)
{
	const struct sa_alg *enc = sa_enc_by_id(sa->enc);
	const struct sa_alg *auth = sa_auth_by_id(sa->auth);

	json_object_begin(j);
	json_kv_uint(j, "ifindex", sa->ifindex);
	if (ifname)
		json_kv_str(j, "ifname", ifname);
	show_name_json(j, "dir", sa_dir_name(sa->dir), "dir", sa->dir);
	json_kv_uint(j, "spi", sa->spi);
	show_name_json(j, "enc", enc ? enc->name : NULL, "enc", sa->enc);
	if (sa->auth)
		show_name_json(j, "auth", auth ? auth->name : NULL, "auth",
			       sa->auth);
	else
		json_kv_str(j, "auth", "none");
	json_kv_bool(j, "esn", sa->flags & IKEVTI_SA_F_ESN);
	json_kv_bool(j, "legacy", sa->flags & IKEVTI_SA_F_LEGACY);
	json_kv_uint(j, "flags", sa->flags);
	if (sa->has_replay_window)
		json_kv_uint(j, "replay_window", sa->replay_window);
	show_fields_json(j, "lifetime", &sa->lifetime, show_lifetime,
			 SHOW_N(show_lifetime));
	show_ts_json(j, "ts_local", sa->ts_local, sa->n_ts_local);
	show_ts_json(j, "ts_remote", sa->ts_remote, sa->n_ts_remote);
	show_name_json(j, "origin", sa_origin_name(sa->origin), "origin",
		       sa->origin);
	json_kv_uint(j, "cookie", sa->cookie);
	if (sa->has_cur)
		show_fields_json(j, "cur", &sa->cur, show_cur,
				 SHOW_N(show_cur));
	if (sa->has_stats)
		show_fields_json(j, "stats", &sa->stats, show_sa_stats,
				 SHOW_N(show_sa_stats));
	return json_object_end(j);
}

void show_dev_text(FILE *f, const struct kernel_dev_stats *d)
{
	fprintf(f, "interface: %s (ifindex %" PRIu32 ")\n", d->ifname,
		d->ifindex);
	show_fields_text(f, "    ", d, show_dev, SHOW_N(show_dev));
}

int show_dev_json(struct json *j, const struct kernel_dev_stats *d)
{
	json_object_begin(j);
	json_kv_uint(j, "ifindex", d->ifindex);
	json_kv_str(j, "ifname", d->ifname);
	for (size_t i = 0; i < SHOW_N(show_dev); i++)
		json_kv_uint(j, show_dev[i].json, show_get(d, &show_dev[i]));
	return json_object_end(j);
}

static const char *show_event_name(const struct kernel_event *ev)
{
	switch (ev->cmd) {
	case IKEVTI_CMD_EV_EXPIRE:
		return "expire";
	case IKEVTI_CMD_EV_ACQUIRE:
		return "acquire";
	case IKEVTI_CMD_EV_SEQ_WRAP:
		return "seq-wrap";
	default:
		return "unknown";
	}
}

void show_event_text(FILE *f, const struct kernel_event *ev,
		     const char *ifname)
{
	char dev[32], src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
	const char *proto;

	if (ifname)
		snprintf(dev, sizeof(dev), "%s", ifname);
	else
		snprintf(dev, sizeof(dev), "if%" PRIu32, ev->ifindex);
	if (ev->cmd == IKEVTI_CMD_EV_ACQUIRE) {
		show_addr(src, sizeof(src), ev->family, ev->src);
		show_addr(dst, sizeof(dst), ev->family, ev->dst);
		fprintf(f, "acquire %s %s -> %s", dev, src, dst);
		proto = sa_proto_name(ev->proto);
		if (proto)
			fprintf(f, " proto %s", proto);
		else if (ev->proto)
			fprintf(f, " proto %u", ev->proto);
		if (ev->sport || ev->dport)
			fprintf(f, " sport %u dport %u", ev->sport, ev->dport);
		fputc('\n', f);
		return;
	}
	fprintf(f, "%s%s %s %s spi 0x%08" PRIx32 " cookie %" PRIu32,
		show_event_name(ev),
		ev->cmd != IKEVTI_CMD_EV_EXPIRE ? "" :
		ev->hard ? " hard" : " soft", dev,
		ev->dir == IKEVTI_DIR_IN ? "in" : "out", ev->spi, ev->cookie);
	if (ev->has_cur)
		fprintf(f, " bytes %" PRIu64 " packets %" PRIu64 " seq %"
			PRIu64, ev->cur.bytes, ev->cur.packets, ev->cur.seq);
	fputc('\n', f);
}

int show_event_json(struct json *j, const struct kernel_event *ev,
		    const char *ifname)
{
	char buf[INET6_ADDRSTRLEN];

	json_object_begin(j);
	json_kv_str(j, "event", show_event_name(ev));
	json_kv_uint(j, "ifindex", ev->ifindex);
	if (ifname)
		json_kv_str(j, "ifname", ifname);
	if (ev->cmd == IKEVTI_CMD_EV_ACQUIRE) {
		show_addr(buf, sizeof(buf), ev->family, ev->src);
		json_kv_str(j, "src", buf);
		show_addr(buf, sizeof(buf), ev->family, ev->dst);
		json_kv_str(j, "dst", buf);
		json_kv_uint(j, "proto", ev->proto);
		json_kv_uint(j, "sport", ev->sport);
		json_kv_uint(j, "dport", ev->dport);
		return json_object_end(j);
	}
	show_name_json(j, "dir", sa_dir_name(ev->dir), "dir", ev->dir);
	json_kv_uint(j, "spi", ev->spi);
	json_kv_uint(j, "cookie", ev->cookie);
	if (ev->cmd == IKEVTI_CMD_EV_EXPIRE)
		json_kv_bool(j, "hard", ev->hard);
	if (ev->has_cur)
		show_fields_json(j, "cur", &ev->cur, show_cur,
				 SHOW_N(show_cur));
	return json_object_end(j);
}
