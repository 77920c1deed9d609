// SPDX-License-Identifier: GPL-2.0
/*
 * Informational exchanges of an ISAKMP SA (RFC 2408 4.8, RFC 2409 5.7):
 * one message each, protected by its HASH(1) = prf(SKEYID_a, M-ID | N/D)
 * and encrypted with the IV of its own Message ID.  They carry DELETE of
 * IPsec SAs and of the ISAKMP SA, the notifies a peer needs to understand
 * a failure, INITIAL-CONTACT, CONNECTED (the commit bit), and DPD's
 * R-U-THERE and R-U-THERE-ACK (RFC 3706).  Nothing is answered but
 * R-U-THERE; a DELETE takes effect when it is sent.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "ikev1.h"

static void v1_add_dpd(struct msg_builder *b, void *arg);

int v1_info_send(struct ike_engine *e, struct ike_sa *sa,
		 void (*add)(struct msg_builder *b, void *arg), void *arg,
		 bool request, uint8_t task)
{
	static const uint8_t zero[CRYPTO_PRF_MAX];
	size_t hlen = crypto_prf_len(sa->v1.prf), len, off;
	struct v1pl_data room = { .data = zero, .len = hlen };
	struct v1crypt_iv iv;
	struct msg_builder b;
	struct msg_hdr h;
	uint32_t msgid;

	if (!sa->v1.keys)
		return -EINVAL;
	/* DPD's R-U-THERE and ACK carry sequence numbers of their own. */
	msgid = v1_new_msgid(e, sa, add != v1_add_dpd);
	if (v1crypt_iv_phase2(&iv, &sa->v1.key, &sa->v1.iv, msgid))
		return -EINVAL;
	v1_hdr(sa, IKEV1_EXCH_INFORMATIONAL, IKEV1_FLAG_ENCRYPTION, msgid, &h);
	msg_build_init(&b, e->out, sizeof(e->out), &h);
	v1pl_add_data(&b, IKEV1_PL_HASH, &room);
	add(&b, arg);
	off = MSG_HDR_LEN + MSG_GENERIC_LEN + hlen;
	if (!b.err && b.len >= off &&
	    keymat_v1_hash1(sa->v1.prf, sa->v1.km.skeyid_a, msgid,
			    b.buf + off, b.len - off,
			    b.buf + MSG_HDR_LEN + MSG_GENERIC_LEN))
		msg_build_fail(&b, MSG_E_CRYPTO);
	if (v1_seal(e, sa, &iv, &b, &len))
		return -EINVAL;
	if (request)
		return v1_send_request(e, sa, e->out, len, task);
	return v1_send_raw(e, sa, e->out, len);
}

static void v1_add_delete_child(struct msg_builder *b, void *arg)
{
	const struct child_sa *c = arg;
	uint8_t spi[4];
	struct v1pl_delete d = {
		.doi = IKEV1_DOI_IPSEC, .proto = IKEV1_PROTO_IPSEC_ESP,
		.spi_size = 4, .n_spi = 1, .spis = spi,
	};

	/* Our inbound SPI: the one we chose, as the peer knows it. */
	msg_set32(spi, c->spi_in);
	v1pl_add_delete(b, &d);
}

int v1_delete_child_start(struct ike_engine *e, struct ike_sa *sa,
			  struct child_sa *c)
{
	sa_log(e, LOG_INFO, "%s: deleting IPsec SA in 0x%08x out 0x%08x",
	       sa->tunnel, c->spi_in, c->spi_out);
	return v1_info_send(e, sa, v1_add_delete_child, c, false, 0);
}

/*
 * DELETE of every IPsec SA left, in one payload; then of the ISAKMP SA in
 * a message of its own, as IOS sends them (strongSwan reads one Delete
 * payload per message).
 */
static void v1_add_delete_children(struct msg_builder *b, void *arg)
{
	const struct ike_sa *sa = arg;
	uint8_t spis[4 * 64];
	struct v1pl_delete d = {
		.doi = IKEV1_DOI_IPSEC, .proto = IKEV1_PROTO_IPSEC_ESP,
		.spi_size = 4, .spis = spis,
	};

	for (const struct child_sa *c = sa->children; c && d.n_spi < 64;
	     c = c->next)
		msg_set32(spis + 4 * d.n_spi++, c->spi_in);
	v1pl_add_delete(b, &d);
}

static void v1_add_delete_ike(struct msg_builder *b, void *arg)
{
	const struct ike_sa *sa = arg;
	uint8_t cookies[16];
	struct v1pl_delete d = {
		.doi = IKEV1_DOI_IPSEC, .proto = IKEV1_PROTO_ISAKMP,
		.spi_size = 16, .n_spi = 1, .spis = cookies,
	};

	memcpy(cookies, sa->spi_i, 8);
	memcpy(cookies + 8, sa->spi_r, 8);
	v1pl_add_delete(b, &d);
}

int v1_delete_ike_start(struct ike_engine *e, struct ike_sa *sa)
{
	int err = 0;

	sa_log(e, LOG_INFO, "%s: deleting the ISAKMP SA%s", sa->tunnel,
	       sa->children ? " and its IPsec SAs" : "");
	if (sa->children)
		err = v1_info_send(e, sa, v1_add_delete_children, sa, false, 0);
	if (!err)
		err = v1_info_send(e, sa, v1_add_delete_ike, sa, false, 0);
	while (sa->children)
		sa_child_free(e, sa, sa->children);
	return err;
}

struct v1_dpd {
	const struct ike_sa *sa;
	uint16_t type;
	uint32_t seq;
};

static void v1_add_dpd(struct msg_builder *b, void *arg)
{
	const struct v1_dpd *d = arg;
	uint8_t spi[16], seq[4];
	struct v1pl_notify n = {
		.doi = IKEV1_DOI_IPSEC, .proto = IKEV1_PROTO_ISAKMP,
		.spi_size = 16, .type = d->type, .spi = spi, .data = seq,
		.len = 4,
	};

	memcpy(spi, d->sa->spi_i, 8);
	memcpy(spi + 8, d->sa->spi_r, 8);
	msg_set32(seq, d->seq);
	v1pl_add_notify(b, &n);
}

int v1_dpd_start(struct ike_engine *e, struct ike_sa *sa)
{
	struct v1_dpd d = { .sa = sa, .type = IKEV1_N_R_U_THERE };
	unsigned int tries = sa->req.task == TASK_DPD ? sa->req.tries : 0;
	int err;

	/* RFC 3706 5.3: a random start, then one more each time. */
	if (!sa->v1.dpd_seq && crypto_random(&sa->v1.dpd_seq,
					     sizeof(sa->v1.dpd_seq)))
		return -EIO;
	sa->v1.dpd_seq = (sa->v1.dpd_seq + 1) & 0x7fffffff;
	if (!sa->v1.dpd_seq)
		sa->v1.dpd_seq = 1;
	d.seq = sa->v1.dpd_seq;
	err = v1_info_send(e, sa, v1_add_dpd, &d, true, TASK_DPD);
	/* A retry keeps counting: it is the same liveness check. */
	sa->req.tries = tries;
	return err;
}

/* The Child SA whose outbound SPI the peer names (its inbound one). */
static struct child_sa *v1_child_by_peer_spi(struct ike_sa *sa, uint32_t spi)
{
	return sa_child_by_out(sa, spi);
}

static void v1_info_delete(struct ike_engine *e, struct ike_sa *sa,
			   const struct v1pl_delete *d)
{
	if (d->proto == IKEV1_PROTO_ISAKMP) {
		if (d->spi_size != 16 || memcmp(d->spis, sa->spi_i, 8) ||
		    memcmp(d->spis + 8, sa->spi_r, 8)) {
			sa_log(e, LOG_INFO, "%s: DELETE of another ISAKMP SA: ignored",
			       sa->tunnel);
			return;
		}
		sa_log(e, LOG_INFO, "%s: the peer deleted the ISAKMP SA",
		       sa->tunnel);
		/*
		 * Its IPsec SAs stay (RFC 2409 does not tie them to it): a
		 * newer ISAKMP SA takes them, else they live out their
		 * lifetime and DPD or the next exchange finds out.
		 */
		for (struct ike_sa *o = e->sas; o; o = o->next) {
			if (o != sa && o->ops == &ikev1_ops &&
			    o->state == IKE_S_ESTABLISHED &&
			    !strcmp(o->tunnel, sa->tunnel)) {
				sa_move_children(sa, o);
				break;
			}
		}
		if (sa->children) {
			/* None to take them: they go with it, as IOS does. */
			while (sa->children)
				sa_child_free(e, sa, sa->children);
		}
		sa->state = IKE_S_DELETING;
		sa_ike_kill(e, sa);
		return;
	}
	if (d->proto != IKEV1_PROTO_IPSEC_ESP || d->spi_size != 4) {
		/* We make none but ESP SAs: none of these is ours. */
		sa_log(e, LOG_INFO, "%s: DELETE of %u SAs of protocol %u: ignored",
		       sa->tunnel, d->n_spi, d->proto);
		return;
	}
	for (unsigned int i = 0; i < d->n_spi; i++) {
		uint32_t spi = msg_get32(d->spis + 4 * i);
		struct child_sa *c = v1_child_by_peer_spi(sa, spi);

		if (!c) {
			/*
			 * Gone already (our own DELETE crossed it), or never
			 * ours: nothing to do, nothing to answer (RFC 2408
			 * 5.15).
			 */
			sa_log(e, LOG_INFO, "%s: DELETE of unknown IPsec SA 0x%08x: ignored",
			       sa->tunnel, spi);
			continue;
		}
		sa_log(e, LOG_INFO, "%s: the peer deleted IPsec SA in 0x%08x out 0x%08x",
		       sa->tunnel, c->spi_in, c->spi_out);
		sa_child_free(e, sa, c);
	}
	/*
	 * A VTI is always up: without IPsec SAs it gets new ones from the
	 * tunnel check in ike.c (the peer, which deleted them, may well be
	 * making new ones already).
	 */
}

static void v1_info_notify(struct ike_engine *e, struct ike_sa *sa,
			   const struct v1pl_notify *n)
{
	struct v1_dpd ack = { .sa = sa, .type = IKEV1_N_R_U_THERE_ACK };

	switch (n->type) {
	case IKEV1_N_R_U_THERE:
		if (n->len != 4)
			return;
		ack.seq = msg_get32(n->data);
		sa->v1.peer_dpd_seq = ack.seq;
		v1_info_send(e, sa, v1_add_dpd, &ack, false, 0);
		return;
	case IKEV1_N_R_U_THERE_ACK:
		if (n->len == 4 && sa->req.task == TASK_DPD &&
		    msg_get32(n->data) == sa->v1.dpd_seq)
			sa_ike_reset_req(sa);
		return;
	case IKEV1_N_INITIAL_CONTACT:
		v1_initial_contact(e, sa);
		return;
	case IKEV1_N_CONNECTED:
		for (struct child_sa *c = sa->children; c; c = c->next)
			if (c->state == CHILD_S_HALF && c->initiated)
				sa_child_complete(e, sa, c);
		return;
	}
	if (n->type < 16384) {
		/* An error: the exchange we have in flight failed. */
		sa_log(e, LOG_NOTICE, "%s: the peer says %s", sa->tunnel,
		       names_get(NAMES_V1_NOTIFY, n->type) ?
		       names_get(NAMES_V1_NOTIFY, n->type) : "an unknown error");
		if (sa->req.task == TASK_CHILD_CREATE ||
		    sa->req.task == TASK_CHILD_REKEY) {
			for (unsigned int i = 0; i < V1_QM_MAX; i++) {
				struct v1_qm *qm = sa->v1.qm[i];

				if (qm && qm->initiator && !qm->done) {
					if (qm->rekeys &&
					    qm->rekeys->state == CHILD_S_REKEYING)
						qm->rekeys->state = CHILD_S_INSTALLED;
					sa->v1.qm[i] = NULL;
					v1_qm_free(qm);
				}
			}
			sa_ike_reset_req(sa);
		}
	}
}

/* Nothing but R-U-THERE and R-U-THERE-ACK after HASH(1). */
static bool v1_info_dpd_only(const struct msg *inner)
{
	for (unsigned int i = 1; i < inner->n; i++) {
		struct v1pl_notify n;

		if (inner->pl[i].type != IKEV1_PL_N ||
		    v1pl_notify_parse(&inner->pl[i], &n) ||
		    (n.type != IKEV1_N_R_U_THERE &&
		     n.type != IKEV1_N_R_U_THERE_ACK))
			return false;
	}
	return true;
}

void v1_info_input(struct ike_engine *e, struct ike_sa *sa,
		   const struct msg *m)
{
	struct msg *inner = malloc(sizeof(*inner));
	uint8_t want[CRYPTO_PRF_MAX];
	struct v1pl_data hash;
	struct v1crypt_iv iv;
	const uint8_t *rest;
	enum v1_err verr;
	size_t pad, rest_len;

	if (!inner)
		return;
	/*
	 * Nothing here is answered: not a replay, not a message that is not
	 * authentic, and not a bad one that is (two peers would answer each
	 * other's notifies forever).
	 */
	if (v1_mid_seen(sa, m->hdr.msgid)) {
		e->stats.invalid_msgid++;
		v1_log_bad(e, sa, &sa->remote, &m->hdr, 0,
			   "its Message ID was used before: a replay");
		goto out;
	}
	verr = v1crypt_iv_phase2(&iv, &sa->v1.key, &sa->v1.iv, m->hdr.msgid) ?
	       V1_E_CRYPTO :
	       v1crypt_decrypt(&sa->v1.key, &iv, m, e->plain, sizeof(e->plain),
			       inner, &pad);
	if (verr) {
		e->stats.decrypt_failed++;
		v1_log_bad(e, sa, &sa->remote, &m->hdr, 0,
			   "does not decrypt: %s", v1err_str(verr));
		goto out;
	}
	verr = v1rules_check(IKEV1_EXCH_INFORMATIONAL, 1, true, inner);
	if (!verr)
		verr = v1pl_hash_parse(&inner->pl[0], &hash);
	if (verr) {
		e->stats.malformed++;
		v1_log_bad(e, sa, &sa->remote, &m->hdr, 0, "%s",
			   v1err_str(verr));
		goto out;
	}
	v1pl_after(inner, &inner->pl[0], &rest, &rest_len);
	if (keymat_v1_hash1(sa->v1.prf, sa->v1.km.skeyid_a, m->hdr.msgid,
			    rest, rest_len, want) ||
	    keymat_v1_hash_equal(sa->v1.prf, want, hash.data, hash.len)) {
		/* Not authentic: ignored (RFC 2409 5.7), as a bad ICV is. */
		e->stats.decrypt_failed++;
		v1_log_bad(e, sa, &sa->remote, &m->hdr, 0,
			   "HASH(1) does not verify");
		goto out;
	}
	if (v1_info_dpd_only(inner))
		v1_mid_add(sa, m->hdr.msgid);
	else
		v1_mid_keep(e, sa, m->hdr.msgid);
	sa->last_rx_ms = e->now_ms;
	for (unsigned int i = 1; i < inner->n && sa->state != IKE_S_DEAD; i++) {
		union {
			struct v1pl_delete d;
			struct v1pl_notify n;
		} u;

		verr = inner->pl[i].type == IKEV1_PL_D ?
		       v1pl_delete_parse(&inner->pl[i], &u.d) :
		       v1pl_notify_parse(&inner->pl[i], &u.n);
		if (verr) {
			/* Authentic, but this payload says nothing we can use. */
			e->stats.malformed++;
			v1_log_bad(e, sa, &sa->remote, &m->hdr, 0,
				   "payload %u: %s", i + 1, v1err_str(verr));
		} else if (inner->pl[i].type == IKEV1_PL_D) {
			v1_info_delete(e, sa, &u.d);
		} else {
			v1_info_notify(e, sa, &u.n);
		}
	}
	if (sa->state != IKE_S_DEAD)
		sa->ops->kick(e, sa);
out:
	free(inner);
}

void v1_initial_contact(struct ike_engine *e, struct ike_sa *sa)
{
	/*
	 * What the peer had before it started this one: not an ISAKMP SA
	 * negotiated alongside (two VTIs that come up at once, each
	 * initiating, must not drop each other's).
	 */
	for (struct ike_sa *o = e->sas; o; o = o->next) {
		if (o == sa || o->ops != &ikev1_ops || o->state == IKE_S_DEAD ||
		    !o->was_up || o->created_ms >= sa->started_ms ||
		    !sa_addr_equal(&o->remote, &sa->remote))
			continue;
		sa_log(e, LOG_INFO, "%s: INITIAL-CONTACT: dropping the old SAs with the peer",
		       o->tunnel);
		while (o->children)
			sa_child_free(e, o, o->children);
		sa_ike_kill(e, o);
	}
}
