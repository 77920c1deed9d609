// SPDX-License-Identifier: GPL-2.0
/*
 * The SA database: allocation, lookup and teardown of IKE and Child SAs,
 * the kernel side of a Child SA's removal, and the per-tunnel event log.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <netinet/in.h>

#include <arpa/inet.h>

#include "crypto.h"
#include "sa.h"
#include "ts.h"

const char *sa_addr_str(const struct sockaddr_storage *ss, char *buf,
			size_t len)
{
	const void *a = &((const struct sockaddr_in *)ss)->sin_addr;

	if (ss->ss_family == AF_INET6)
		a = &((const struct sockaddr_in6 *)ss)->sin6_addr;
	if (!inet_ntop(ss->ss_family, a, buf, (socklen_t)len))
		snprintf(buf, len, "?");
	return buf;
}

void sa_log(struct ike_engine *e, int level, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	if (!e->env.log)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	e->env.log(e->env.ctx, level, buf);
}

void sa_event(struct ike_engine *e, const char *tunnel, const char *fmt, ...)
{
	struct ike_evlog *l = NULL;
	struct ike_event_info *ev;
	char what[512];
	va_list ap;
	size_t wlen;

	for (size_t i = 0; i < e->n_evlog; i++) {
		if (!strcmp(e->evlog[i].tunnel, tunnel))
			l = &e->evlog[i];
	}
	if (!l) {
		struct ike_evlog *n = realloc(e->evlog,
					      (e->n_evlog + 1) * sizeof(*n));

		if (!n)
			return;
		e->evlog = n;
		l = &n[e->n_evlog++];
		memset(l, 0, sizeof(*l));
		snprintf(l->tunnel, sizeof(l->tunnel), "%s", tunnel);
	}
	ev = &l->ev[(l->head + l->n) % IKE_EVENTS_PER_TUNNEL];
	if (l->n < IKE_EVENTS_PER_TUNNEL)
		l->n++;
	else
		l->head = (l->head + 1) % IKE_EVENTS_PER_TUNNEL;
	memset(ev, 0, sizeof(*ev));
	ev->when_ms = e->env.wallclock_ms ? e->env.wallclock_ms(e->env.ctx)
					  : e->now_ms;
	snprintf(ev->tunnel, sizeof(ev->tunnel), "%s", tunnel);
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	/* The history keeps the start; the log, the whole line. */
	wlen = strnlen(what, sizeof(ev->what) - 1);
	memcpy(ev->what, what, wlen);
	ev->what[wlen] = 0;
	sa_log(e, LOG_INFO, "%s: %s", tunnel, what);
}

static unsigned int sa_hash(const struct ike_engine *e, const uint8_t spi_i[8])
{
	uint32_t h = (msg_get32(spi_i) ^ e->hash_key) * 0x9e3779b1u;

	h ^= msg_get32(spi_i + 4);
	h *= 0x85ebca6bu;
	return (h >> 16) % IKE_HASH_SIZE;
}

static void sa_ike_unhash(struct ike_engine *e, struct ike_sa *sa)
{
	struct ike_sa **pp;

	if (!sa->hashed)
		return;
	for (pp = &e->hash[sa->hbucket]; *pp; pp = &(*pp)->hnext) {
		if (*pp == sa) {
			*pp = sa->hnext;
			break;
		}
	}
	sa->hashed = false;
}

void sa_ike_rehash(struct ike_engine *e, struct ike_sa *sa)
{
	sa_ike_unhash(e, sa);
	sa->hbucket = sa_hash(e, sa->spi_i);
	sa->hnext = e->hash[sa->hbucket];
	e->hash[sa->hbucket] = sa;
	sa->hashed = true;
}

struct ike_sa *sa_ike_new(struct ike_engine *e, const struct ike_ops *ops,
			  const struct policy_effective *pol, bool initiator)
{
	struct ike_sa *sa = calloc(1, sizeof(*sa));
	uint8_t *spi;

	if (!sa)
		return NULL;
	sa->ops = ops;
	sa->conn_id = sa_conn_id(e);
	sa->pol = *pol;
	snprintf(sa->tunnel, sizeof(sa->tunnel), "%s",
		 pol->tunnel ? pol->tunnel->ifname : "");
	sa->initiator = initiator;
	spi = initiator ? sa->spi_i : sa->spi_r;
	do {
		if (crypto_random(spi, 8)) {
			free(sa);
			return NULL;
		}
	} while (!memcmp(spi, "\0\0\0\0\0\0\0\0", 8));
	sa->created_ms = e->now_ms;
	sa->started_ms = e->now_ms;
	sa->last_rx_ms = e->now_ms;
	sa->rekey_ms = IKE_NO_TIMER;
	sa->expire_ms = IKE_NO_TIMER;
	sa->req.next_ms = IKE_NO_TIMER;
	sa->local_id = pol->v.local_id;
	sa->remote_id = pol->peer_id;
	sa->next = e->sas;
	e->sas = sa;
	sa_ike_rehash(e, sa);
	return sa;
}

void sa_ike_reset_req(struct ike_sa *sa)
{
	struct ike_req *r = &sa->req;

	free(r->buf);
	crypto_dh_free(r->dh);
	secbuf_free(r->nonce);
	free(r->offer);
	free(r->tsi);
	free(r->tsr);
	memset(r, 0, sizeof(*r));
	r->next_ms = IKE_NO_TIMER;
}

static void sa_child_unlink(struct ike_sa *sa, struct child_sa *c)
{
	for (struct child_sa **pp = &sa->children; *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			return;
		}
	}
}

static void sa_child_release(struct child_sa *c)
{
	if (c->pending_out) {
		secbuf_wipe(c->pending_out, sizeof(*c->pending_out));
		free(c->pending_out);
	}
	free(c->ts_l);
	free(c->ts_r);
	free(c->min_nonce);
	free(c);
}

void sa_child_free(struct ike_engine *e, struct ike_sa *sa,
		   struct child_sa *c)
{
	struct backend *be = e->env.be;

	/* Outbound first: nothing may leave on an SA about to lose its peer. */
	if (c->out_installed && be)
		be->ops->sa_del(be, sa->tunnel, IKEVTI_DIR_OUT, c->spi_out);
	if (c->in_installed && be)
		be->ops->sa_del(be, sa->tunnel, IKEVTI_DIR_IN, c->spi_in);
	if (c->in_installed || c->out_installed) {
		e->stats.child_sa_deleted++;
		sa_event(e, sa->tunnel, "Child SA deleted, in 0x%08x out 0x%08x",
			 c->spi_in, c->spi_out);
	}
	if (sa->req.child == c)
		sa->req.child = NULL;
	sa_child_unlink(sa, c);
	sa_child_release(c);
}

int sa_child_complete(struct ike_engine *e, struct ike_sa *sa,
		      struct child_sa *c)
{
	struct backend *be = e->env.be;
	int err = 0;

	if (c->state != CHILD_S_HALF)
		return 0;
	if (c->pending_out) {
		err = be ? be->ops->sa_add(be, sa->tunnel, c->pending_out) : 0;
		secbuf_wipe(c->pending_out, sizeof(*c->pending_out));
		free(c->pending_out);
		c->pending_out = NULL;
		if (!err)
			c->out_installed = true;
		else
			sa_log(e, LOG_ERR, "%s: outbound SA 0x%08x not installed: %s",
			       sa->tunnel, c->spi_out, strerror(-err));
	}
	c->state = CHILD_S_INSTALLED;
	c->half_deadline_ms = IKE_NO_TIMER;
	return err;
}

void sa_half_done(struct ike_engine *e, struct ike_sa *sa)
{
	if (sa->half_open) {
		sa->half_open = false;
		e->n_half--;
	}
}

void sa_ike_kill(struct ike_engine *e, struct ike_sa *sa)
{
	if (sa->state != IKE_S_DEAD)
		e->n_dead++;
	sa->state = IKE_S_DEAD;
}

void sa_ike_free(struct ike_engine *e, struct ike_sa *sa)
{
	bool was_up = sa->was_up;

	if (sa->state == IKE_S_DEAD && e->n_dead)
		e->n_dead--;

	while (sa->children)
		sa_child_free(e, sa, sa->children);
	sa_half_done(e, sa);
	sa_ike_unhash(e, sa);
	for (struct ike_sa **pp = &e->sas; *pp; pp = &(*pp)->next) {
		if (*pp == sa) {
			*pp = sa->next;
			break;
		}
	}
	if (was_up) {
		e->stats.ike_sa_deleted++;
		sa_event(e, sa->tunnel, "IKE SA deleted, SPI %016llx %016llx",
			 (unsigned long long)msg_get32(sa->spi_i) << 32 |
			 msg_get32(sa->spi_i + 4),
			 (unsigned long long)msg_get32(sa->spi_r) << 32 |
			 msg_get32(sa->spi_r + 4));
	}
	if (sa->clear) {
		sa->clear->pending--;
		if (was_up)
			sa->clear->deleted++;
	}
	sa_ike_reset_req(sa);
	sa->ops->free(sa);
	crypto_dh_free(sa->dh);
	free(sa->resp);
	secbuf_wipe(sa, sizeof(*sa));
	free(sa);
}

struct ike_sa *sa_ike_find(struct ike_engine *e, const uint8_t spi_i[8],
			   const uint8_t spi_r[8])
{
	for (struct ike_sa *sa = e->hash[sa_hash(e, spi_i)]; sa; sa = sa->hnext) {
		if (sa->state != IKE_S_DEAD && !memcmp(sa->spi_i, spi_i, 8) &&
		    !memcmp(sa->spi_r, spi_r, 8))
			return sa;
	}
	return NULL;
}

struct ike_sa *sa_ike_find_half(struct ike_engine *e, const uint8_t spi_i[8],
				const struct sockaddr_storage *remote,
				bool initiator)
{
	for (struct ike_sa *sa = e->hash[sa_hash(e, spi_i)]; sa; sa = sa->hnext) {
		if (sa->state == IKE_S_DEAD || sa->initiator != initiator ||
		    memcmp(sa->spi_i, spi_i, 8))
			continue;
		if (initiator && sa->state == IKE_S_CONNECTING &&
		    !memcmp(sa->spi_r, "\0\0\0\0\0\0\0\0", 8))
			return sa;
		if (!initiator && sa_addr_equal(&sa->remote, remote))
			return sa;
	}
	return NULL;
}

void sa_move_children(struct ike_sa *from, struct ike_sa *to)
{
	struct child_sa **pp = &to->children;

	while (*pp)
		pp = &(*pp)->next;
	*pp = from->children;
	from->children = NULL;
	if (from->req.child) {
		/* An exchange of from cannot finish on to's SA. */
		from->req.child = NULL;
	}
}

uint32_t sa_conn_id(struct ike_engine *e)
{
	/* As IOS numbers them; never 0, which means "any" to a clear. */
	if (e->next_conn_id < 1001 || e->next_conn_id > 0x7fffffff)
		e->next_conn_id = 1001;
	return e->next_conn_id++;
}

struct child_sa *sa_child_new(struct ike_engine *e, struct ike_sa *sa)
{
	struct child_sa *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->conn_id = sa_conn_id(e);
	/* Its outbound SA is conn_id + 1. */
	sa_conn_id(e);
	c->rekey_ms = IKE_NO_TIMER;
	c->expire_ms = IKE_NO_TIMER;
	c->half_deadline_ms = IKE_NO_TIMER;
	c->next = sa->children;
	sa->children = c;
	return c;
}

struct child_sa *sa_child_by_in(struct ike_sa *sa, uint32_t spi_in)
{
	for (struct child_sa *c = sa->children; c; c = c->next) {
		if (c->spi_in == spi_in)
			return c;
	}
	return NULL;
}

struct child_sa *sa_child_by_out(struct ike_sa *sa, uint32_t spi_out)
{
	for (struct child_sa *c = sa->children; c; c = c->next) {
		if (c->spi_out == spi_out)
			return c;
	}
	return NULL;
}

static bool sa_spi_used(struct ike_engine *e, uint32_t spi)
{
	for (struct ike_sa *sa = e->sas; sa; sa = sa->next) {
		if (sa_child_by_in(sa, spi))
			return true;
		if (sa->req.spi == spi)
			return true;
	}
	return false;
}

uint32_t sa_new_spi(struct ike_engine *e)
{
	uint32_t spi;

	do {
		if (crypto_random(&spi, sizeof(spi)))
			return 0;
	} while (spi < 256 || sa_spi_used(e, spi));
	return spi;
}

bool sa_addr_equal(const struct sockaddr_storage *a,
		   const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET)
		return ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
		       ((const struct sockaddr_in *)b)->sin_addr.s_addr;
	if (a->ss_family == AF_INET6)
		return !memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
			       &((const struct sockaddr_in6 *)b)->sin6_addr, 16);
	return false;
}

bool sa_addr_is(const struct sockaddr_storage *ss, const struct policy_addr *a)
{
	if (a->family != ss->ss_family)
		return false;
	if (a->family == AF_INET)
		return !memcmp(&((const struct sockaddr_in *)ss)->sin_addr, a->a, 4);
	if (a->family == AF_INET6)
		return !memcmp(&((const struct sockaddr_in6 *)ss)->sin6_addr,
			       a->a, 16);
	return false;
}

/* A Child SA's kernel SA: transforms, keys, selectors, lifetime. */
static uint16_t sa_kernel_enc(uint16_t encr)
{
	switch (encr) {
	case IKEV2_ENCR_DES:
		return IKEVTI_ENC_DES_CBC;
	case IKEV2_ENCR_3DES:
		return IKEVTI_ENC_3DES_CBC;
	case IKEV2_ENCR_AES_CBC:
		return IKEVTI_ENC_AES_CBC;
	case IKEV2_ENCR_AES_GCM_16:
		return IKEVTI_ENC_AES_GCM_16;
	case IKEV2_ENCR_CHACHA20_POLY1305:
		return IKEVTI_ENC_CHACHA20_POLY1305;
	case IKEV2_ENCR_NULL:
		return IKEVTI_ENC_NULL;
	}
	return IKEVTI_ENC_UNSPEC;
}

static uint16_t sa_kernel_auth(uint16_t integ)
{
	switch (integ) {
	case IKEV2_INTEG_HMAC_MD5_96:
		return IKEVTI_AUTH_HMAC_MD5_96;
	case IKEV2_INTEG_HMAC_SHA1_96:
		return IKEVTI_AUTH_HMAC_SHA1_96;
	case IKEV2_INTEG_HMAC_SHA2_256_128:
		return IKEVTI_AUTH_HMAC_SHA256_128;
	case IKEV2_INTEG_HMAC_SHA2_384_192:
		return IKEVTI_AUTH_HMAC_SHA384_192;
	case IKEV2_INTEG_HMAC_SHA2_512_256:
		return IKEVTI_AUTH_HMAC_SHA512_256;
	}
	return IKEVTI_AUTH_NONE;
}

static void sa_ts_kernel(const struct pl_ts *ts, unsigned int n,
			 struct kernel_ts *out, unsigned int *kn)
{
	struct pl_ts_list l;

	memset(&l, 0, sizeof(l));
	l.n = (uint8_t)(n > PL_MAX_TS ? PL_MAX_TS : n);
	memcpy(l.ts, ts, l.n * sizeof(*ts));
	ts_to_kernel(&l, out, kn);
}

int sa_child_kernel(const struct ike_sa *sa, const struct child_sa *c,
		    uint32_t life, uint8_t dir, const struct secbuf *ek,
		    const struct secbuf *ak, struct kernel_sa *ks)
{

	memset(ks, 0, sizeof(*ks));
	ks->dir = dir;
	ks->spi = dir == IKEVTI_DIR_IN ? c->spi_in : c->spi_out;
	ks->enc = sa_kernel_enc(c->sel.encr);
	ks->auth = sa_kernel_auth(c->sel.integ);
	if (ks->enc == IKEVTI_ENC_UNSPEC || ek->len > sizeof(ks->enc_key) ||
	    (ak && ak->len > sizeof(ks->auth_key)))
		return -ENOTSUP;
	memcpy(ks->enc_key, ek->data, ek->len);
	ks->enc_key_len = ek->len;
	if (ak && ak->len) {
		memcpy(ks->auth_key, ak->data, ak->len);
		ks->auth_key_len = ak->len;
	}
	if (c->sel.esn)
		ks->flags |= IKEVTI_SA_F_ESN;
	/* Single DES only as an admin asks for it (IOS esp-des). */
	if (c->sel.encr == IKEV2_ENCR_DES)
		ks->flags |= IKEVTI_SA_F_LEGACY;
	/* anti-replay on: the link's window; off: none. */
	if (!sa->pol.v.anti_replay) {
		ks->has_replay_window = true;
		ks->replay_window = 0;
	}
	ks->has_lifetime = true;
	ks->lifetime.hard_secs = life;
	sa_ts_kernel(c->ts_l, c->n_ts_l, ks->ts_local, &ks->n_ts_local);
	sa_ts_kernel(c->ts_r, c->n_ts_r, ks->ts_remote, &ks->n_ts_remote);
	ks->origin = IKEVTI_ORIGIN_NEGOTIATED;
	return 0;
}

bool sa_child_nat_refused(struct ike_engine *e, const struct ike_sa *sa)
{
	char l[INET6_ADDRSTRLEN], r[INET6_ADDRSTRLEN];

	if (!sa->nat_detected ||
	    (e->env.be && e->env.be->ops->udp_encap))
		return false;
	sa_log(e, LOG_ERR,
	       "%s: NAT detected between %s and %s: UDP-encapsulated ESP (NAT-T) is not implemented yet; the Child SA is not installed",
	       sa->tunnel, sa_addr_str(&sa->local, l, sizeof(l)),
	       sa_addr_str(&sa->remote, r, sizeof(r)));
	return true;
}

int sa_send(struct ike_engine *e, const struct ike_sa *sa, const uint8_t *buf,
	    size_t len)
{
	int err = e->env.send(e->env.ctx, &sa->local, &sa->remote, sa->natt,
			      buf, len);

	if (!err)
		e->stats.tx++;
	return err;
}

int sa_req_keep(struct ike_sa *sa, const uint8_t *buf, size_t len,
		uint8_t task, uint64_t next_ms)
{
	struct ike_req *r = &sa->req;
	uint8_t *copy = malloc(len);

	if (!copy)
		return -ENOMEM;
	memcpy(copy, buf, len);
	free(r->buf);
	r->buf = copy;
	r->len = len;
	r->task = task;
	r->msgid = msg_get32(buf + 20);
	r->tries = 0;
	r->next_ms = next_ms;
	return 0;
}

void sa_start_failed(struct ike_engine *e, const struct ike_sa *sa, int err,
		     const char *what)
{
	sa_log(e, LOG_ERR, "%s: cannot send %s: %s", sa->tunnel, what,
	       strerror(-err));
}
