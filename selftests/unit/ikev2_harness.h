/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The world of the IKEv2 engine tests: two IKE engines, A and B, joined
 * by an in-memory datagram queue, driven by a fake clock, each installing
 * its Child SAs into a fake backend that records every sa_add and sa_del.
 * Included by one translation unit per test program (test_ikev2*.c),
 * which uses what it needs: the helpers are static inline.  The program
 * links with -Wl,--wrap=sa_new_spi (see spi_next).
 */
#ifndef SELFTESTS_UNIT_IKEV2_HARNESS_H
#define SELFTESTS_UNIT_IKEV2_HARNESS_H

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "ike.h"
#include "msg.h"
#include "tap.h"

#define MAX_SA	160
#define MAX_REC	1024
#define MAX_LOG	4096
#define MAX_LINES 64			/* the last log lines of each side */

/* ---- the recording backend --------------------------------------------- */

struct rec {
	char op;			/* 'a' add, 'd' del */
	uint8_t dir;
	uint32_t spi;
	char tunnel[16];
};

struct fake_be {
	struct backend be;
	char tunnel[16];		/* the last one an SA went to */
	struct kernel_sa sa[MAX_SA];	/* installed now */
	char sa_tunnel[MAX_SA][16];	/* ... on this device */
	unsigned int n;
	struct rec log[MAX_REC];
	unsigned int n_log;
	uint32_t last_out;		/* the newest outbound SA: in use */
	unsigned int errors;
};

/* As in the kernel, each device has SAs of its own: SPIs may repeat. */
static inline bool fb_is(const struct fake_be *f, unsigned int i,
			 const char *tunnel, uint8_t dir, uint32_t spi)
{
	return f->sa[i].dir == dir && f->sa[i].spi == spi &&
	       !strcmp(f->sa_tunnel[i], tunnel);
}

static inline void fb_record(struct fake_be *f, char op, const char *tunnel,
			     uint8_t dir, uint32_t spi)
{
	struct rec *r = &f->log[f->n_log];

	if (f->n_log >= MAX_REC)
		return;
	f->n_log++;
	*r = (struct rec){ op, dir, spi, "" };
	snprintf(r->tunnel, sizeof(r->tunnel), "%s", tunnel);
}

static inline int fb_add(struct backend *be, const char *tunnel,
			 const struct kernel_sa *sa)
{
	struct fake_be *f = (struct fake_be *)be;

	snprintf(f->tunnel, sizeof(f->tunnel), "%s", tunnel);
	for (unsigned int i = 0; i < f->n; i++) {
		if (fb_is(f, i, tunnel, sa->dir, sa->spi)) {
			f->errors++;
			return -EEXIST;
		}
	}
	if (f->n >= MAX_SA) {
		f->errors++;
		return -ENOSPC;
	}
	snprintf(f->sa_tunnel[f->n], sizeof(f->sa_tunnel[0]), "%s", tunnel);
	f->sa[f->n++] = *sa;
	fb_record(f, 'a', tunnel, sa->dir, sa->spi);
	if (sa->dir == IKEVTI_DIR_OUT)
		f->last_out = sa->spi;
	return 0;
}

static inline int fb_del(struct backend *be, const char *tunnel, uint8_t dir,
			 uint32_t spi)
{
	struct fake_be *f = (struct fake_be *)be;

	fb_record(f, 'd', tunnel, dir, spi);
	for (unsigned int i = 0; i < f->n; i++) {
		if (fb_is(f, i, tunnel, dir, spi)) {
			f->sa[i] = f->sa[--f->n];
			memmove(f->sa_tunnel[i], f->sa_tunnel[f->n],
				sizeof(f->sa_tunnel[i]));
			if (dir == IKEVTI_DIR_OUT && f->last_out == spi) {
				/* The kernel falls back to another outbound SA. */
				f->last_out = 0;
				for (unsigned int j = 0; j < f->n; j++)
					if (f->sa[j].dir == IKEVTI_DIR_OUT)
						f->last_out = f->sa[j].spi;
			}
			return 0;
		}
	}
	f->errors++;
	return -ENOENT;
}

/* ESP last seen (wall clock seconds) on every inbound SA; 0: never. */
static uint64_t fb_use_time;

static inline int fb_get(struct backend *be, const char *tunnel, uint8_t dir,
			 uint32_t spi, struct kernel_sa *out)
{
	struct fake_be *f = (struct fake_be *)be;
	const struct kernel_sa *sa = NULL;

	for (unsigned int i = 0; i < f->n && !sa; i++)
		if (fb_is(f, i, tunnel, dir, spi))
			sa = &f->sa[i];
	if (!sa)
		return -ENOENT;
	memset(out, 0, sizeof(*out));
	out->dir = dir;
	out->spi = spi;
	out->has_cur = true;
	out->cur.use_time = dir == IKEVTI_DIR_IN ? fb_use_time : 0;
	return 0;
}

/* The fake devices: ikevtiN has ifindex FB_IFINDEX + N. */
#define FB_IFINDEX	100

static inline uint32_t fb_ifindex(const char *tunnel)
{
	unsigned int n;

	if (sscanf(tunnel, "ikevti%u", &n) != 1)
		return 0;
	return FB_IFINDEX + n;
}

static inline int fb_tunnel_name(struct backend *be, uint32_t ifindex,
				 char *name, size_t len)
{
	(void)be;
	if (ifindex < FB_IFINDEX ||
	    (size_t)snprintf(name, len, "ikevti%u", ifindex - FB_IFINDEX) >= len)
		return -ENODEV;
	return 0;
}

static const struct backend_ops fb_ops = {
	.sa_add = fb_add,
	.sa_del = fb_del,
	.sa_get = fb_get,
	.tunnel_name = fb_tunnel_name,
};

static inline const struct kernel_sa *fb_find(const struct fake_be *f,
					      uint8_t dir, uint32_t spi)
{
	for (unsigned int i = 0; i < f->n; i++)
		if (f->sa[i].dir == dir && f->sa[i].spi == spi)
			return &f->sa[i];
	return NULL;
}

static inline const struct kernel_sa *fb_find_on(const struct fake_be *f,
						 const char *tunnel, uint8_t dir,
						 uint32_t spi)
{
	for (unsigned int i = 0; i < f->n; i++)
		if (fb_is(f, i, tunnel, dir, spi))
			return &f->sa[i];
	return NULL;
}

/* The SPI of tunnel's one SA in dir; 0 if it has none or several. */
static inline uint32_t fb_spi_on(const struct fake_be *f, const char *tunnel,
				 uint8_t dir)
{
	uint32_t spi = 0;

	for (unsigned int i = 0; i < f->n; i++) {
		if (f->sa[i].dir != dir || strcmp(f->sa_tunnel[i], tunnel))
			continue;
		if (spi)
			return 0;
		spi = f->sa[i].spi;
	}
	return spi;
}

static inline unsigned int fb_count(const struct fake_be *f, uint8_t dir)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < f->n; i++)
		n += f->sa[i].dir == dir;
	return n;
}

static inline int fb_index(const struct fake_be *f, char op, uint8_t dir,
			   uint32_t spi)
{
	for (unsigned int i = 0; i < f->n_log; i++)
		if (f->log[i].op == op && f->log[i].dir == dir &&
		    f->log[i].spi == spi)
			return (int)i;
	return -1;
}

/*
 * The inbound SPI the engine spi_engine picks next, when a test says so
 * (spi_next 0: its own random choice).  Linked with
 * -Wl,--wrap=sa_new_spi: peers pick the SPIs we send with, and a test
 * can make two of them pick the same one.
 */
static struct ike_engine *spi_engine;
static uint32_t spi_next;

uint32_t __real_sa_new_spi(struct ike_engine *e);
uint32_t __wrap_sa_new_spi(struct ike_engine *e);

uint32_t __wrap_sa_new_spi(struct ike_engine *e)
{
	if (spi_next && e == spi_engine)
		return spi_next;
	return __real_sa_new_spi(e);
}

/* ---- two engines and the wire between them ----------------------------- */

struct dgram {
	int to;
	bool natt;
	struct sockaddr_storage src, dst;
	size_t len;
	uint8_t buf[MSG_MAX_LEN];
};

struct side {
	int idx;
	struct ike_engine *e;
	struct policy_config *cfg;
	struct fake_be fb;
	struct sockaddr_storage addr;
};

struct world {
	struct side s[2];
	uint64_t now;
	struct dgram *q[256];
	unsigned int nq;
	/* Everything sent, for replays and inspection. */
	struct dgram *log[MAX_LOG];
	unsigned int n_log;
	/* Drop datagrams to side i while down[i]; drop the next n matching. */
	bool down[2];
	int drop_from, drop_exchange, drop_count;
	bool drop_response;
	bool nat_a;			/* A sits behind a NAT: 192.0.2.99 */
	unsigned int loss;		/* make-before-break violations */
	char line[2][MAX_LINES][256];	/* what each engine logged */
	unsigned int n_line[2];
};

static struct world W;

static inline void set_addr(struct sockaddr_storage *ss, const char *a,
			    uint16_t port)
{
	struct sockaddr_in *in = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (strchr(a, ':')) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(port);
		inet_pton(AF_INET6, a, &in6->sin6_addr);
		return;
	}
	in->sin_family = AF_INET;
	in->sin_port = htons(port);
	inet_pton(AF_INET, a, &in->sin_addr);
}

static inline void set_port(struct sockaddr_storage *ss, uint16_t port)
{
	if (ss->ss_family == AF_INET6)
		((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
	else
		((struct sockaddr_in *)ss)->sin_port = htons(port);
}

/* The underlay: IPv4 unless a test switches to IPv6. */
static const char *addr_a = "10.0.0.1", *addr_b = "10.0.0.2";

static inline int w_send(void *ctx, const struct sockaddr_storage *local,
			 const struct sockaddr_storage *remote, bool natt,
			 const uint8_t *buf, size_t len)
{
	struct side *s = ctx;
	struct dgram *d;
	struct msg_hdr h;

	(void)local;
	d = calloc(1, sizeof(*d));
	if (!d || W.n_log >= MAX_LOG) {
		free(d);
		return -ENOMEM;
	}
	d->to = 1 - s->idx;
	d->natt = natt;
	d->src = s->addr;
	set_port(&d->src, natt ? 4500 : 500);
	d->dst = *remote;
	/* The NAT rewrites A's source, and back again the destination. */
	if (W.nat_a && !s->idx)
		set_addr(&d->src, "192.0.2.99", natt ? 4501 : 501);
	if (W.nat_a && s->idx)
		set_addr(&d->dst, addr_a, natt ? 4500 : 500);
	d->len = len;
	memcpy(d->buf, buf, len);
	W.log[W.n_log++] = d;
	if (W.down[d->to])
		return 0;
	if (W.drop_count && W.drop_from == s->idx &&
	    !msg_hdr_parse(buf, len, &h) && h.exchange == W.drop_exchange &&
	    !!(h.flags & IKEV2_FLAG_RESPONSE) == W.drop_response) {
		W.drop_count--;
		return 0;
	}
	if (W.nq < 256)
		W.q[W.nq++] = d;
	else
		W.loss++;		/* the test's queue is too short */
	return 0;
}

/*
 * Make-before-break: what each side sends on, the other can receive.
 * (Before the first Child SA is complete at both ends nothing flows.)
 */
static inline void check_no_loss(void)
{
	for (int i = 0; i < 2; i++) {
		uint32_t out = W.s[i].fb.last_out;

		if (out && fb_count(&W.s[1 - i].fb, IKEVTI_DIR_IN) &&
		    !fb_find(&W.s[1 - i].fb, IKEVTI_DIR_IN, out))
			W.loss++;
	}
}

static inline void inject(int to, const uint8_t *buf, size_t len)
{
	struct side *r = &W.s[to];
	struct sockaddr_storage local = r->addr, remote = W.s[1 - to].addr;

	ike_engine_input(r->e, &local, &remote, false, buf, len, W.now);
}

static inline void deliver_one(void)
{
	struct dgram *d = W.q[0];

	W.nq--;
	for (unsigned int i = 0; i < W.nq; i++)
		W.q[i] = W.q[i + 1];
	ike_engine_input(W.s[d->to].e, &d->dst, &d->src, d->natt, d->buf,
			 d->len, W.now);
	check_no_loss();
}

static inline void deliver(void)
{
	while (W.nq)
		deliver_one();
}

/* Advance the clock to t, firing timers on the way. */
static inline void run_until(uint64_t t)
{
	for (;;) {
		uint64_t next = IKE_NO_TIMER;

		for (int i = 0; i < 2; i++) {
			uint64_t n = W.s[i].e ? ike_engine_next_timer(W.s[i].e)
					      : IKE_NO_TIMER;

			if (n < next)
				next = n;
		}
		if (next > t)
			break;
		if (next > W.now)
			W.now = next;
		for (int i = 0; i < 2; i++)
			if (W.s[i].e)
				ike_engine_run_timers(W.s[i].e, W.now);
		deliver();
	}
	W.now = t;
}

#define CONF_FMT \
	"ikev2 authentication psk id keyid site%c key char %s\n" \
	"ikev2 authentication psk id keyid site%c key char %s\n" \
	"ikev2 default-profile\n" \
	"  local-authentication psk id keyid site%c\n" \
	"%s" \
	"interface ikevti0\n" \
	"  tunnel mode ipsec-ikev2\n" \
	"  ikev2 source-address %s\n" \
	"  ikev2 peer %s authentication psk id keyid site%c\n" \
	"%s" \
	"  no shutdown\n"

static const char *psk_a = "secretA", *psk_b = "secretB";
static const char *b_peer;	/* A as B sees it; NULL: addr_a */

static inline struct policy_config *make_cfg(int idx, const char *profile,
					     const char *tunnel)
{
	char text[4096];
	struct cfg_diags d;
	struct policy_config *cfg;
	char me = idx ? 'B' : 'A', peer = idx ? 'A' : 'B';

	snprintf(text, sizeof(text), CONF_FMT, 'A', psk_a, 'B', psk_b, me,
		 profile ? profile : "", idx ? addr_b : addr_a,
		 idx ? (b_peer ? b_peer : addr_a) : addr_b, peer,
		 tunnel ? tunnel : "");
	memset(&d, 0, sizeof(d));
	cfg = cfg_load_text("test.conf", text, strlen(text), &d);
	if (!cfg)
		cfg_diags_print(&d, stdout);
	cfg_diags_free(&d);
	return cfg;
}

/* IKEV2_LOG=1 shows the engines' log lines as TAP comments. */
static inline uint64_t w_wallclock(void *ctx)
{
	(void)ctx;
	return W.now + 1700000000000ull;	/* wall clock: fake clock + 2023 */
}

static inline void w_log(void *ctx, int level, const char *msg)
{
	const struct side *s = ctx;

	(void)level;
	snprintf(W.line[s->idx][W.n_line[s->idx]++ % MAX_LINES],
		 sizeof(W.line[0][0]), "%s", msg);
	if (getenv("IKEV2_LOG"))
		printf("# %c %s\n", s->idx ? 'B' : 'A', msg);
}

/* How often side logged msg, among its last MAX_LINES lines. */
static inline unsigned int logged(int side, const char *msg)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < W.n_line[side] && i < MAX_LINES; i++)
		n += !strcmp(W.line[side][i], msg);
	return n;
}

static inline void world_free(void)
{
	for (int i = 0; i < 2; i++) {
		ike_engine_free(W.s[i].e);
		policy_config_free(W.s[i].cfg);
		for (unsigned int j = 0; j < W.s[i].fb.n; j++)
			secbuf_wipe(&W.s[i].fb.sa[j], sizeof(W.s[i].fb.sa[j]));
	}
	for (unsigned int i = 0; i < W.n_log; i++)
		free(W.log[i]);
	memset(&W, 0, sizeof(W));
}

/* Per-side profile and tunnel lines (NULL: none). */
static inline bool world_new(const char *prof_a, const char *prof_b,
			     const char *tun_a, const char *tun_b)
{
	world_free();
	W.now = 1000000;
	for (int i = 0; i < 2; i++) {
		struct side *s = &W.s[i];
		struct ike_env env = {
			.send = w_send, .log = w_log, .wallclock_ms = w_wallclock,
		};

		s->idx = i;
		set_addr(&s->addr, i ? addr_b : addr_a, 500);
		s->fb.be.ops = &fb_ops;
		s->cfg = make_cfg(i, i ? prof_b : prof_a, i ? tun_b : tun_a);
		if (!s->cfg)
			return false;
		env.ctx = s;
		env.be = &s->fb.be;
		s->e = ike_engine_new(&env, s->cfg, W.now);
		if (!s->e)
			return false;
	}
	return true;
}

/* Each side's whole configuration as text (the IOS dialect, say). */
static inline bool world_new_text(const char *text_a, const char *text_b)
{
	world_free();
	W.now = 1000000;
	for (int i = 0; i < 2; i++) {
		struct side *s = &W.s[i];
		const char *text = i ? text_b : text_a;
		struct ike_env env = {
			.send = w_send, .log = w_log, .wallclock_ms = w_wallclock,
		};
		struct cfg_diags d;

		s->idx = i;
		set_addr(&s->addr, i ? addr_b : addr_a, 500);
		s->fb.be.ops = &fb_ops;
		memset(&d, 0, sizeof(d));
		s->cfg = cfg_load_text(i ? "b.conf" : "a.conf", text,
				       strlen(text), &d);
		if (!s->cfg)
			cfg_diags_print(&d, stdout);
		cfg_diags_free(&d);
		if (!s->cfg)
			return false;
		env.ctx = s;
		env.be = &s->fb.be;
		s->e = ike_engine_new(&env, s->cfg, W.now);
		if (!s->e)
			return false;
	}
	return true;
}

/* ---- what the engines say ---------------------------------------------- */

struct ike_view {
	unsigned int n, established;
	struct ike_sa_info last;
};

static inline int view_ike_fn(const struct ike_sa_info *i, void *arg)
{
	struct ike_view *v = arg;

	v->n++;
	/* IKEv1 SAs are named as IOS does: "QM_IDLE" is up. */
	if (!strcmp(i->state, "ESTABLISHED") || !strcmp(i->state, "QM_IDLE"))
		v->established++;
	v->last = *i;
	return 0;
}

static inline struct ike_view view_ike(int i)
{
	struct ike_view v;

	memset(&v, 0, sizeof(v));
	ike_engine_foreach_ike_sa(W.s[i].e, view_ike_fn, &v, W.now);
	return v;
}

static inline struct ike_stats stats(int i)
{
	struct ike_stats st;

	ike_engine_stats(W.s[i].e, &st);
	return st;
}

static inline bool up(void)
{
	return view_ike(0).established == 1 && view_ike(1).established == 1;
}

/* Every SA of one side has its mirror on the same tunnel at the other. */
static inline bool mirrored(void)
{
	for (int i = 0; i < 2; i++) {
		const struct fake_be *f = &W.s[i].fb, *g = &W.s[1 - i].fb;

		if (!f->n || fb_count(f, IKEVTI_DIR_IN) != fb_count(g, IKEVTI_DIR_OUT))
			return false;
		for (unsigned int j = 0; j < f->n; j++) {
			const struct kernel_sa *a = &f->sa[j];
			const struct kernel_sa *b = fb_find_on(g, f->sa_tunnel[j],
							       a->dir == IKEVTI_DIR_IN ?
							       IKEVTI_DIR_OUT : IKEVTI_DIR_IN,
							       a->spi);

			if (!b || a->enc != b->enc || a->auth != b->auth ||
			    a->enc_key_len != b->enc_key_len ||
			    memcmp(a->enc_key, b->enc_key, a->enc_key_len) ||
			    a->auth_key_len != b->auth_key_len ||
			    memcmp(a->auth_key, b->auth_key, a->auth_key_len) ||
			    a->origin != IKEVTI_ORIGIN_NEGOTIATED)
				return false;
		}
	}
	return true;
}

/* One pair per side, mirrored, nothing lost, no backend error. */
static inline bool one_pair(void)
{
	return W.s[0].fb.n == 2 && W.s[1].fb.n == 2 && mirrored() && !W.loss &&
	       !W.s[0].fb.errors && !W.s[1].fb.errors;
}

static inline uint32_t out_spi(int i)
{
	return W.s[i].fb.last_out;
}

static inline bool bring_up(void)
{
	if (ike_engine_initiate(W.s[0].e, "ikevti0", W.now))
		return false;
	deliver();
	return up() && one_pair();
}

/* What side's kernel tells its engine about an SA of tunnel. */
static inline void expire(int side, const char *tunnel, uint8_t dir,
			  uint32_t spi, bool hard)
{
	struct kernel_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.cmd = IKEVTI_CMD_EV_EXPIRE;
	ev.ifindex = fb_ifindex(tunnel);
	ev.dir = dir;
	ev.spi = spi;
	ev.hard = hard;
	/* A hard expiry: the kernel has removed the SA already. */
	if (hard)
		fb_del(&W.s[side].fb.be, tunnel, dir, spi);
	ike_engine_kernel_event(W.s[side].e, &ev, W.now);
}

static inline void acquire(int side, const char *tunnel)
{
	struct kernel_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.cmd = IKEVTI_CMD_EV_ACQUIRE;
	ev.ifindex = fb_ifindex(tunnel);
	ike_engine_kernel_event(W.s[side].e, &ev, W.now);
}

static inline struct dgram *last_sent(int from, uint8_t exchange, bool response)
{
	for (unsigned int i = W.n_log; i-- > 0;) {
		struct dgram *d = W.log[i];
		struct msg_hdr h;

		if (d->to == 1 - from && !msg_hdr_parse(d->buf, d->len, &h) &&
		    h.exchange == exchange &&
		    !!(h.flags & IKEV2_FLAG_RESPONSE) == response)
			return d;
	}
	return NULL;
}

/*
 * Many tunnels to one peer, told apart by their IDs: every IKE SA is
 * found again by its SPIs among the others (the engine's SPI hash) and
 * IKE_AUTH picks each one's tunnel by IDi.
 */
static inline struct policy_config *many_cfg(int idx, int tunnels)
{
	size_t cap = 64 * 1024, n = 0;
	char *text = malloc(cap);
	struct policy_config *cfg;
	struct cfg_diags d;

	if (!text)
		return NULL;
	for (int i = 0; i < tunnels; i++)
		n += (size_t)snprintf(text + n, cap - n,
			"ikev2 authentication psk id keyid a%d key char ka%d\n"
			"ikev2 authentication psk id keyid b%d key char kb%d\n",
			i, i, i, i);
	n += (size_t)snprintf(text + n, cap - n,
			      "ikev2 default-profile\n  sa-proposal dh ecp256\n");
	for (int i = 0; i < tunnels; i++)
		n += (size_t)snprintf(text + n, cap - n,
			"interface ikevti%d\n"
			"  ikev2 source-address %s\n"
			"  ikev2 peer %s authentication psk id keyid %c%d\n"
			"  ikev2 local-authentication psk id keyid %c%d\n"
			"  ikev2 local-ts 10.%d.%d.0/24\n"
			"  ikev2 remote-ts 10.%d.%d.0/24\n",
			i, idx ? addr_b : addr_a, idx ? addr_a : addr_b,
			idx ? 'a' : 'b', i, idx ? 'b' : 'a', i,
			100 + idx, i, 101 - idx, i);
	memset(&d, 0, sizeof(d));
	cfg = cfg_load_text("many.conf", text, n, &d);
	if (!cfg)
		cfg_diags_print(&d, stdout);
	cfg_diags_free(&d);
	free(text);
	return cfg;
}

/* Two engines with n tunnels between them, ikevti0 to ikevti<n-1>. */
static inline bool many_world(int tunnels)
{
	if (!world_new(NULL, NULL, NULL, NULL))
		return false;
	for (int i = 0; i < 2; i++) {
		policy_config_free(W.s[i].cfg);
		W.s[i].cfg = many_cfg(i, tunnels);
		if (!W.s[i].cfg)
			return false;
		ike_engine_reload(W.s[i].e, W.s[i].cfg, W.now);
	}
	return true;
}

#endif /* SELFTESTS_UNIT_IKEV2_HARNESS_H */
