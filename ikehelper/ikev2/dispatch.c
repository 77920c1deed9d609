// SPDX-License-Identifier: GPL-2.0
/*
 * IKEv2 behind the engine's version table (struct ike_ops): a datagram
 * goes through the checks RFC 7296 asks for before an exchange sees it
 * (SPIs, Message ID window of one, ICV, payload rules), a request already
 * answered gets the stored answer again (2.1), and the queued work of
 * each IKE SA runs one exchange at a time (v2_kick).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "ikev2.h"

void v2_kick(struct ike_engine *e, struct ike_sa *sa)
{
	struct child_sa *c;
	int err;

	if (sa->req.task || sa->state == IKE_S_DEAD ||
	    sa->state < IKE_S_ESTABLISHED)
		return;
	if (sa->want_delete) {
		err = v2_delete_ike_start(e, sa);
		if (err) {
			sa_start_failed(e, sa, err, "DELETE");
			sa_ike_kill(e, sa);
		}
		return;
	}
	if (sa->state == IKE_S_DELETING)
		return;
	for (c = sa->children; c; c = c->next) {
		if (c->want_delete) {
			err = v2_delete_child_start(e, sa, c);
			if (err)
				sa_start_failed(e, sa, err, "DELETE");
			return;
		}
	}
	if (sa->state != IKE_S_ESTABLISHED)
		return;
	if (sa->want_rekey) {
		sa->want_rekey = false;
		err = v2_rekey_ike_start(e, sa);
		if (!err)
			return;
		sa_start_failed(e, sa, err, "IKE SA rekey");
	}
	for (c = sa->children; c; c = c->next) {
		if (c->want_rekey && c->state == CHILD_S_INSTALLED) {
			c->want_rekey = false;
			err = v2_rekey_child_start(e, sa, c);
			if (!err)
				return;
			c->state = CHILD_S_INSTALLED;
			sa_start_failed(e, sa, err, "Child SA rekey");
		}
	}
	if (sa->want_child) {
		sa->want_child = false;
		if (!sa->children && !sa_child_nat_refused(e, sa)) {
			err = v2_child_create_start(e, sa);
			if (!err)
				return;
			sa_start_failed(e, sa, err, "CREATE_CHILD_SA");
		}
	}
	if (sa->want_dpd) {
		err = v2_dpd_start(e, sa);
		if (err)
			sa_start_failed(e, sa, err, "liveness check");
	}
}

static uint8_t ike_task_exchange(uint8_t task)
{
	switch (task) {
	case TASK_IKE_INIT:
		return IKEV2_EXCH_IKE_SA_INIT;
	case TASK_IKE_AUTH:
		return IKEV2_EXCH_IKE_AUTH;
	case TASK_CHILD_REKEY:
	case TASK_CHILD_CREATE:
	case TASK_IKE_REKEY:
		return IKEV2_EXCH_CREATE_CHILD_SA;
	default:
		return IKEV2_EXCH_INFORMATIONAL;
	}
}

/* Errors msg_sk_decrypt() returns before the ICV has verified. */
static bool ike_unauthenticated(enum msg_err err)
{
	return err == MSG_E_INTEGRITY || err == MSG_E_SK_LENGTH ||
	       err == MSG_E_NOSPACE || err == MSG_E_CRYPTO ||
	       err == MSG_E_NO_SK || err == MSG_E_FRAGMENT;
}

/* An authenticated request we cannot process: answer it with type. */
static void ike_refuse(struct ike_engine *e, struct ike_sa *sa,
		       const struct msg_hdr *h, uint16_t type, uint8_t bad)
{
	struct pl_notify n = { .type = type };
	struct msg_builder b;

	if (type == IKEV2_N_UNSUPPORTED_CRITICAL_PAYLOAD) {
		n.data = &bad;
		n.len = 1;
	}
	sa->msgid_in++;
	v2_inner_init(e, &b);
	pl_add_notify(&b, &n);
	v2_send_response(e, sa, h->exchange, h->msgid, &b);
}

static void ike_request(struct ike_engine *e, struct ike_sa *sa,
			const struct msg *inner)
{
	const struct msg_hdr *h = &inner->hdr;
	uint16_t bad;

	if (v2_at(sa, V2_INIT_DONE) ? h->exchange != IKEV2_EXCH_IKE_AUTH :
	    h->exchange == IKEV2_EXCH_IKE_AUTH) {
		e->stats.malformed++;
		ike_refuse(e, sa, h, IKEV2_N_INVALID_SYNTAX, 0);
		return;
	}
	bad = v2_rules_check(h->exchange, false, inner);
	if (bad) {
		e->stats.malformed++;
		ike_refuse(e, sa, h, bad, 0);
		if (v2_at(sa, V2_INIT_DONE))
			sa_ike_kill(e, sa);
		return;
	}
	sa->msgid_in++;
	switch (h->exchange) {
	case IKEV2_EXCH_IKE_AUTH:
		v2_auth_request(e, sa, inner);
		break;
	case IKEV2_EXCH_CREATE_CHILD_SA:
		v2_ccsa_request(e, sa, inner);
		break;
	case IKEV2_EXCH_INFORMATIONAL:
		v2_info_request(e, sa, inner);
		break;
	}
}

static void ike_response(struct ike_engine *e, struct ike_sa *sa,
			 const struct msg *inner)
{
	if (v2_rules_check(inner->hdr.exchange, true, inner)) {
		e->stats.malformed++;
		if (sa->req.task == TASK_IKE_AUTH) {
			ike_sa_dead(e, sa, "malformed IKE_AUTH response");
			return;
		}
		sa_ike_reset_req(sa);
		v2_kick(e, sa);
		return;
	}
	switch (sa->req.task) {
	case TASK_IKE_AUTH:
		v2_auth_response(e, sa, inner);
		break;
	case TASK_CHILD_REKEY:
	case TASK_CHILD_CREATE:
	case TASK_IKE_REKEY:
		v2_ccsa_response(e, sa, inner);
		break;
	default:
		v2_info_response(e, sa, inner);
		break;
	}
}

/* SHA-256 of a datagram, to recognise a retransmitted request. */
static bool ike_hash(const uint8_t *buf, size_t len, uint8_t out[32])
{
	unsigned int n = 0;

	return EVP_Digest(buf, len, out, &n, EVP_sha256(), NULL) == 1 &&
	       n == 32;
}

static void v2_input(struct ike_engine *e, const struct sockaddr_storage *local,
		     const struct sockaddr_storage *remote, bool natt,
		     const uint8_t *buf, size_t len, const struct msg_hdr *hdr)
{
	static const uint8_t zero[8];
	struct msg *m = malloc(2 * sizeof(*m));
	struct msg *inner = m + 1;
	struct msg_hdr h = *hdr;
	struct msg_sk_keys k;
	enum msg_err err, ierr;
	struct ike_sa *sa;
	uint8_t hash[32];
	bool response;

	if (!m)
		return;
	if (h.major > 2) {
		/* RFC 7296 2.5: drop it, and tell an initiator what we speak. */
		e->stats.malformed++;
		if (h.exchange == IKEV2_EXCH_IKE_SA_INIT &&
		    !(h.flags & IKEV2_FLAG_RESPONSE))
			v2_send_init_notify(e, local, remote, natt, &h,
					    IKEV2_N_INVALID_MAJOR_VERSION,
					    NULL, 0);
		goto out;
	}
	err = msg_validate(buf, len, m);
	response = h.flags & IKEV2_FLAG_RESPONSE;
	if (h.exchange == IKEV2_EXCH_IKE_SA_INIT && !response) {
		if (h.msgid || memcmp(h.spi_r, zero, 8)) {
			e->stats.invalid_spi++;
			goto out;
		}
		if (err == MSG_E_CRITICAL) {
			uint8_t bad = m->bad_type;

			e->stats.malformed++;
			v2_send_init_notify(e, local, remote, natt, &h,
					    IKEV2_N_UNSUPPORTED_CRITICAL_PAYLOAD,
					    &bad, 1);
			goto out;
		}
		if (err) {
			e->stats.malformed++;
			goto out;
		}
		v2_init_request(e, local, remote, natt, m);
		goto out;
	}
	if (h.exchange == IKEV2_EXCH_IKE_SA_INIT)
		sa = sa_ike_find_half(e, h.spi_i, remote, true);
	else
		sa = sa_ike_find(e, h.spi_i, h.spi_r);
	/* The I flag names the original initiator: it must not be us. */
	if (!sa || !!(h.flags & IKEV2_FLAG_INITIATOR) == sa->initiator) {
		e->stats.invalid_spi++;
		goto out;
	}
	if (err) {
		/* Nothing here is authenticated yet: drop it (RFC 7296 2.21). */
		e->stats.malformed++;
		goto out;
	}
	if (!response && sa->has_resp && h.msgid + 1 == sa->msgid_in &&
	    ike_hash(buf, len, hash) &&
	    !memcmp(hash, sa->req_hash, sizeof(hash))) {
		/* A retransmitted request: the same answer again (2.1). */
		e->stats.retransmits++;
		v2_send_raw(e, sa, sa->resp, sa->resp_len);
		goto out;
	}
	if (h.exchange == IKEV2_EXCH_IKE_SA_INIT &&
	    (!response || !v2_at(sa, V2_INIT_SENT) || h.msgid)) {
		e->stats.invalid_msgid++;
		goto out;
	}
	if (h.exchange == IKEV2_EXCH_IKE_SA_INIT) {
		if (v2_rules_check(h.exchange, true, m)) {
			e->stats.malformed++;
			goto out;
		}
		if (sa->local.ss_family == AF_UNSPEC) {
			sa->local = *local;
			sa->natt = natt;
		}
		v2_init_response(e, sa, m);
		goto out;
	}
	v2_sk_keys(sa, false, &k);
	ierr = m->sk < 0 ? MSG_E_NO_SK :
	       msg_sk_decrypt(m, &k, e->plain, sizeof(e->plain), inner);
	if (ike_unauthenticated(ierr)) {
		e->stats.decrypt_failed++;
		goto out;
	}
	/* Authentic, but is it the one request or response we expect? */
	if (response ? !sa->req.task || h.msgid != sa->req.msgid :
	    h.msgid != sa->msgid_in || v2_at(sa, V2_INIT_SENT) ||
	    v2_at(sa, V2_AUTH_SENT)) {
		e->stats.invalid_msgid++;
		goto out;
	}
	if (response && h.exchange != ike_task_exchange(sa->req.task)) {
		e->stats.malformed++;
		goto out;
	}
	sa->last_rx_ms = e->now_ms;
	if (sa->nat_detected) {
		/* Authenticated: follow the peer behind its NAT. */
		sa->remote = *remote;
		sa->local = *local;
		sa->natt = natt;
	}
	if (!response && !ike_hash(buf, len, sa->req_hash))
		memset(sa->req_hash, 0, sizeof(sa->req_hash));
	if (ierr) {
		e->stats.malformed++;
		if (!response)
			ike_refuse(e, sa, &h, ierr == MSG_E_CRITICAL ?
				   IKEV2_N_UNSUPPORTED_CRITICAL_PAYLOAD :
				   IKEV2_N_INVALID_SYNTAX, inner->bad_type);
		goto out;
	}
	if (response)
		ike_response(e, sa, inner);
	else
		ike_request(e, sa, inner);
out:
	free(m);
}


static bool v2_list_same(const struct policy_alg_list *a,
			  const struct policy_alg_list *b)
{
	return a->n == b->n && !memcmp(a->idx, b->idx, a->n);
}

static bool v2_ts_same(const struct policy_ts_list *a,
			const struct policy_ts_list *b)
{
	return a->n == b->n && !memcmp(a->ts, b->ts, a->n * sizeof(a->ts[0]));
}

static bool v2_psk_same(const struct policy_psk *a, const struct policy_psk *b)
{
	if (!a || !b)
		return a == b;
	return a->key_len == b->key_len &&
	       !CRYPTO_memcmp(a->key, b->key, a->key_len);
}

/* Did anything an established IKE SA depends on change? */
static bool v2_pol_same(const struct policy_effective *a,
			 const struct policy_effective *b)
{
	const struct policy_opts *x = &a->v, *y = &b->v;
	const struct policy_peer *p = &a->tunnel->peer, *q = &b->tunnel->peer;

	return v2_list_same(&x->sa_enc, &y->sa_enc) &&
	       v2_list_same(&x->sa_integ, &y->sa_integ) &&
	       v2_list_same(&x->sa_prf, &y->sa_prf) &&
	       v2_list_same(&x->sa_dh, &y->sa_dh) &&
	       v2_list_same(&x->child_enc, &y->child_enc) &&
	       v2_list_same(&x->child_integ, &y->child_integ) &&
	       v2_list_same(&x->child_pfs, &y->child_pfs) &&
	       x->sa_lifetime == y->sa_lifetime &&
	       x->child_lifetime == y->child_lifetime &&
	       x->anti_replay == y->anti_replay &&
	       x->local_auth == y->local_auth &&
	       policy_id_equal(&x->local_id, &y->local_id) &&
	       policy_addr_equal(&x->source, &y->source) &&
	       v2_ts_same(&x->local_ts, &y->local_ts) &&
	       v2_ts_same(&x->remote_ts, &y->remote_ts) &&
	       p->kind == q->kind &&
	       policy_addr_equal(&p->addr, &q->addr) &&
	       policy_id_equal(&a->peer_id, &b->peer_id) &&
	       a->tunnel->shutdown == b->tunnel->shutdown &&
	       v2_psk_same(a->local_psk, b->local_psk) &&
	       v2_psk_same(a->peer_psk, b->peer_psk);
}

/* On reload: an IKE SA stays when nothing it depends on changed. */
static bool v2_keep(struct ike_engine *e, struct ike_sa *sa,
		    const struct policy_config *cfg)
{
	struct policy_effective pol;

	(void)e;
	if (!sa->pol.tunnel || !ike_policy_from(cfg, sa->tunnel, &pol) ||
	    !v2_pol_same(&sa->pol, &pol))
		return false;
	sa->pol = pol;
	return true;
}

/* ike_ops.initiate: the tunnel's settings, then IKE_SA_INIT. */
static int v2_initiate(struct ike_engine *e, const char *tunnel)
{
	struct policy_effective pol;

	if (!ike_policy(e, tunnel, &pol) || pol.tunnel->shutdown)
		return -ENOENT;
	return v2_init_start(e, &pol);
}

static const char *v2_state_name(const struct ike_sa *sa)
{
	static const char *const steps[] = {
		[V2_INIT_SENT] = "IKE_SA_INIT sent",
		[V2_INIT_DONE] = "IKE_SA_INIT done",
		[V2_AUTH_SENT] = "IKE_AUTH sent",
	};
	static const char *const names[] = {
		[IKE_S_ESTABLISHED] = "ESTABLISHED",
		[IKE_S_REKEYED] = "REKEYED",
		[IKE_S_DELETING] = "DELETING",
		[IKE_S_DEAD] = "DEAD",
	};

	if (sa->state == IKE_S_CONNECTING)
		return sa->v2.step < sizeof(steps) / sizeof(steps[0]) ?
		       steps[sa->v2.step] : "?";
	return sa->state < sizeof(names) / sizeof(names[0]) &&
	       names[sa->state] ? names[sa->state] : "?";
}

static bool v2_dpd_on(const struct ike_sa *sa)
{
	return sa->pol.v.dpd_interval != 0;
}

static void v2_free(struct ike_sa *sa)
{
	keymat_v2_ike_free(&sa->v2.km);
	secbuf_free(sa->v2.ni);
	secbuf_free(sa->v2.nr);
	free(sa->v2.init_i);
	free(sa->v2.init_r);
	free(sa->v2.cookie);
	free(sa->v2.min_nonce);
}

const struct ike_ops ikev2_ops = {
	.version = 2,
	.name = "IKEv2",
	.input = v2_input,
	.initiate = v2_initiate,
	.kick = v2_kick,
	.retransmit = v2_retransmit,
	.state_name = v2_state_name,
	.dpd_on = v2_dpd_on,
	.free = v2_free,
	.keep = v2_keep,
	.children_die_with_ike = true,
};
