// SPDX-License-Identifier: GPL-2.0
/*
 * IKEv1 behind the engine's version table (struct ike_ops): every
 * message goes through the checks RFC 2408 asks for before an exchange
 * sees it -- the cookies name an ISAKMP SA we have (or a new one may
 * start), a retransmission gets our last answer again, an encrypted
 * message decrypts, a Message ID is not replayed -- and the queued work
 * of each ISAKMP SA runs one exchange at a time (v1_kick).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "ikev1.h"

static const uint8_t v1_zero[8];

bool v1_mid_seen(struct ike_sa *sa, uint32_t msgid)
{
	for (unsigned int i = 0; i < V1_MIDS; i++)
		if (sa->v1.mids[i] == msgid)
			return true;
	return false;
}

void v1_mid_add(struct ike_sa *sa, uint32_t msgid)
{
	sa->v1.mids[sa->v1.mid_head++ % V1_MIDS] = msgid;
}

static void v1_start_failed(struct ike_engine *e, struct ike_sa *sa, int err,
			    const char *what)
{
	sa_log(e, LOG_ERR, "%s: cannot send %s: %s", sa->tunnel, what,
	       strerror(-err));
}

/*
 * The next task of an established ISAKMP SA, when nothing is in flight:
 * DELETEs first, then rekeys, a first IPsec SA, and DPD.
 */
void v1_kick(struct ike_engine *e, struct ike_sa *sa)
{
	struct child_sa *c;
	int err;

	if (sa->req.task || sa->state == IKE_S_DEAD ||
	    sa->state < IKE_S_ESTABLISHED)
		return;
	if (sa->want_delete) {
		err = v1_delete_ike_start(e, sa);
		if (err)
			v1_start_failed(e, sa, err, "DELETE");
		/* IKEv1 DELETE is not answered: the ISAKMP SA goes now. */
		sa_ike_kill(e, sa);
		return;
	}
	if (sa->state == IKE_S_DELETING)
		return;
	for (c = sa->children; c; c = c->next) {
		if (c->want_delete) {
			c->want_delete = false;
			err = v1_delete_child_start(e, sa, c);
			if (err)
				v1_start_failed(e, sa, err, "DELETE");
			sa_child_free(e, sa, c);
			/* The next one on the next kick: the list changed. */
			sa->ops->kick(e, sa);
			return;
		}
	}
	if (sa->state != IKE_S_ESTABLISHED)
		return;
	if (sa->want_rekey) {
		/* A new ISAKMP SA by Main Mode; this one goes once it is up. */
		sa->want_rekey = false;
		err = v1_rekey_start(e, sa);
		if (err)
			v1_start_failed(e, sa, err, "ISAKMP SA rekey");
	}
	for (c = sa->children; c; c = c->next) {
		if (c->want_rekey && c->state == CHILD_S_INSTALLED) {
			c->want_rekey = false;
			err = v1_qm_start(e, sa, c);
			if (!err)
				return;
			v1_start_failed(e, sa, err, "Quick Mode rekey");
		}
	}
	if (sa->want_child) {
		sa->want_child = false;
		if (!sa->children) {
			err = v1_qm_start(e, sa, NULL);
			if (!err)
				return;
			v1_start_failed(e, sa, err, "Quick Mode");
		}
	}
	if (sa->want_dpd) {
		sa->want_dpd = false;
		err = v1_dpd_start(e, sa);
		if (err)
			v1_start_failed(e, sa, err, "R-U-THERE");
	}
}

/* The ISAKMP SA a message is for, by its cookies. */
static struct ike_sa *v1_lookup(struct ike_engine *e,
				const struct sockaddr_storage *remote,
				const struct msg_hdr *h)
{
	struct ike_sa *sa = sa_ike_find(e, h->spi_i, h->spi_r);

	if (!sa) {
		/* The responder's first answer names its cookie first. */
		sa = sa_ike_find_half(e, h->spi_i, remote, true);
		if (sa && sa->ops == &ikev1_ops &&
		    (v1_at(sa, V1_MM_I1) || v1_at(sa, V1_AM_I1)))
			memcpy(sa->spi_r, h->spi_r, 8);
		else
			sa = NULL;
	}
	if (sa && sa->ops != &ikev1_ops)
		return NULL;
	return sa;
}

static void v1_input(struct ike_engine *e, const struct sockaddr_storage *local,
		     const struct sockaddr_storage *remote, bool natt,
		     const uint8_t *buf, size_t len, const struct msg_hdr *h)
{
	struct msg *m = malloc(sizeof(*m));
	enum msg_err err;
	struct ike_sa *sa;
	uint8_t hash[32];

	if (!m)
		return;
	err = msg_validate(buf, len, m);
	if (err) {
		e->stats.malformed++;
		sa_log(e, LOG_INFO, "IKEv1 message dropped: %s",
		       v1err_str(v1err_from_msg(err)));
		if (!(h->flags & IKEV1_FLAG_ENCRYPTION) &&
		    v1err_notify(v1err_from_msg(err)))
			v1_notify_clear(e, local, remote, natt, h,
					v1err_notify(v1err_from_msg(err)));
		goto out;
	}
	if (!memcmp(h->spi_r, v1_zero, 8)) {
		/* A first message: Main or Aggressive Mode, in the clear. */
		if (h->msgid || (h->flags & IKEV1_FLAG_ENCRYPTION)) {
			e->stats.invalid_spi++;
			goto out;
		}
		sa = sa_ike_find_half(e, h->spi_i, remote, false);
		if (sa) {
			/* The peer did not get our answer: the same again. */
			if (sa->ops == &ikev1_ops && sa->has_resp &&
			    v1_dgram_hash(buf, len, hash) &&
			    !memcmp(hash, sa->v1.last_hash, 32)) {
				e->stats.retransmits++;
				v1_send_raw(e, sa, sa->resp, sa->resp_len);
			}
			goto out;
		}
		if (h->exchange == IKEV1_EXCH_MAIN)
			v1_mm_request1(e, local, remote, natt, m);
		else if (h->exchange == IKEV1_EXCH_AGGRESSIVE)
			v1_am_request1(e, local, remote, natt, m);
		else
			e->stats.invalid_spi++;
		goto out;
	}
	sa = v1_lookup(e, remote, h);
	if (!sa) {
		e->stats.invalid_spi++;
		goto out;
	}
	if (natt && !sa->natt && v1_natt_on(e, sa) &&
	    (sa->state != IKE_S_CONNECTING || v1_at(sa, V1_MM_R2) ||
	     v1_at(sa, V1_AM_R1))) {
		/* RFC 3947 4: the peer floated to port 4500; follow it. */
		sa->natt = true;
		sa->local = *local;
		sa->remote = *remote;
	}
	/*
	 * A phase 1 or Quick Mode message is told from a retransmission by
	 * its hash, made here once; an Informational needs none.
	 */
	if (h->exchange != IKEV1_EXCH_INFORMATIONAL &&
	    !v1_dgram_hash(buf, len, hash))
		goto out;
	if (h->exchange == IKEV1_EXCH_MAIN ||
	    h->exchange == IKEV1_EXCH_AGGRESSIVE) {
		if (h->msgid) {
			e->stats.invalid_msgid++;
			goto out;
		}
		if (sa->v1.has_last_hash && !memcmp(hash, sa->v1.last_hash, 32)) {
			/* A retransmission: our answer to it, if we gave one. */
			e->stats.retransmits++;
			if (sa->has_resp)
				v1_send_raw(e, sa, sa->resp, sa->resp_len);
			goto out;
		}
		if (sa->state != IKE_S_CONNECTING) {
			e->stats.invalid_msgid++;
			goto out;
		}
		memcpy(sa->v1.last_hash, hash, 32);
		sa->v1.has_last_hash = true;
		if (sa->local.ss_family == AF_UNSPEC) {
			sa->local = *local;
			sa->natt = natt;
		}
		if (sa->v1.exch == IKEV1_EXCH_MAIN &&
		    h->exchange == IKEV1_EXCH_MAIN)
			v1_mm_input(e, sa, m);
		else if (sa->v1.exch == IKEV1_EXCH_AGGRESSIVE &&
			 h->exchange == IKEV1_EXCH_AGGRESSIVE)
			v1_am_input(e, sa, m);
		else
			e->stats.malformed++;
		goto out;
	}
	if (sa->state < IKE_S_ESTABLISHED || !sa->v1.keys ||
	    !(h->flags & IKEV1_FLAG_ENCRYPTION) || !h->msgid) {
		/* Nothing but phase 1 before the keys, and all encrypted. */
		e->stats.malformed++;
		goto out;
	}
	switch (h->exchange) {
	case IKEV1_EXCH_QUICK:
		v1_qm_input(e, sa, m, hash);
		break;
	case IKEV1_EXCH_INFORMATIONAL:
		v1_info_input(e, sa, m);
		break;
	default:
		/* Transaction (mode config) comes with remote access. */
		sa_log(e, LOG_INFO, "%s: IKEv1 exchange %u is not supported",
		       sa->tunnel, h->exchange);
		e->stats.malformed++;
		break;
	}
out:
	free(m);
}

/* A new ISAKMP SA for tunnel, as initiator; old: the one it replaces. */
static int v1_new_p1(struct ike_engine *e, const char *tunnel,
		     struct ike_sa *old)
{
	struct policy_v1_effective *eff = malloc(sizeof(*eff));
	struct policy_effective pol;
	struct ike_sa *sa;
	int err;

	if (!eff)
		return -ENOMEM;
	if (!policy_v1_find(e->cfg, tunnel, eff) || eff->shutdown) {
		free(eff);
		return -ENOENT;
	}
	if (!eff->can_come_up) {
		sa_log(e, LOG_NOTICE, "%s: cannot come up: %s", tunnel,
		       eff->why_not);
		free(eff);
		return -ENOENT;
	}
	memset(&pol, 0, sizeof(pol));
	sa = sa_ike_new(e, &ikev1_ops, &pol, true);
	if (!sa) {
		free(eff);
		return -ENOMEM;
	}
	snprintf(sa->tunnel, sizeof(sa->tunnel), "%s", tunnel);
	err = v1_set_policy(sa, eff);
	free(eff);
	if (old) {
		/* Toward the address the old one talks to, from the same. */
		sa->remote = old->remote;
		sa->local = old->local;
		sa->v1.rekeys = true;
	}
	if (!err)
		err = sa->v1.eff->aggressive ? v1_am_start(e, sa) :
					       v1_mm_start(e, sa);
	if (err) {
		sa_log(e, LOG_ERR, "%s: cannot start phase 1: %s", tunnel,
		       strerror(-err));
		sa_ike_free(e, sa);
	}
	return err;
}

static int v1_initiate(struct ike_engine *e, const char *tunnel)
{
	return v1_new_p1(e, tunnel, NULL);
}

/*
 * Rekey an ISAKMP SA: IKEv1 has no exchange for it, so a new phase 1
 * makes another one; once it is up it takes the IPsec SAs over and the
 * old one is deleted (v1_p1_done).
 */
int v1_rekey_start(struct ike_engine *e, struct ike_sa *old)
{
	sa_log(e, LOG_INFO, "%s: rekeying the ISAKMP SA by a new phase 1",
	       old->tunnel);
	return v1_new_p1(e, old->tunnel, old);
}

static const char *v1_state_name(const struct ike_sa *sa)
{
	static const char *const steps[] = {
		[V1_MM_I1] = "MM_NO_STATE",
		[V1_MM_R1] = "MM_SA_SETUP",
		[V1_MM_I2] = "MM_SA_SETUP",
		[V1_MM_R2] = "MM_KEY_EXCH",
		[V1_MM_I3] = "MM_KEY_EXCH",
		[V1_AM_I1] = "AG_NO_STATE",
		[V1_AM_R1] = "AG_INIT_EXCH",
	};

	switch (sa->state) {
	case IKE_S_CONNECTING:
		return sa->v1.step < sizeof(steps) / sizeof(steps[0]) ?
		       steps[sa->v1.step] : "?";
	case IKE_S_ESTABLISHED:
		return "QM_IDLE";
	case IKE_S_REKEYED:
		return "QM_IDLE (rekeyed)";
	case IKE_S_DELETING:
		return "MM_NO_STATE (deleting)";
	}
	return "DEAD";
}

static bool v1_dpd_on(const struct ike_sa *sa)
{
	return sa->pol.v.dpd_interval && sa->v1.peer_dpd;
}

static void v1_free(struct ike_sa *sa)
{
	struct v1_ike *v = &sa->v1;

	keymat_v1_free(&v->km);
	v1crypt_key_free(&v->key);
	free(v->eff);
	free(v->gxi);
	free(v->gxr);
	secbuf_free(v->gxy);
	secbuf_free(v->ni);
	secbuf_free(v->nr);
	free(v->sai_b);
	free(v->idi_b);
	for (unsigned int i = 0; i < V1_QM_MAX; i++)
		v1_qm_free(v->qm[i]);
}

static uint64_t v1_next_timer(const struct ike_sa *sa)
{
	return v1_qm_next_timer(sa);
}

static bool v1_keep(struct ike_engine *e, struct ike_sa *sa,
		    const struct policy_config *cfg)
{
	struct policy_v1_effective *eff = malloc(sizeof(*eff));
	bool keep;

	(void)e;
	if (!eff)
		return false;
	keep = sa->v1.eff && policy_v1_find(cfg, sa->tunnel, eff) &&
	       !eff->shutdown && eff->can_come_up &&
	       policy_addr_equal(&eff->peer, &sa->v1.eff->peer) &&
	       eff->n_policy == sa->v1.eff->n_policy &&
	       eff->n_tset == sa->v1.eff->n_tset;
	if (keep)
		keep = !v1_set_policy(sa, eff);
	free(eff);
	return keep;
}

const struct ike_ops ikev1_ops = {
	.version = 1,
	.name = "IKEv1",
	.input = v1_input,
	.initiate = v1_initiate,
	.kick = v1_kick,
	.retransmit = v1_retransmit,
	.state_name = v1_state_name,
	.dpd_on = v1_dpd_on,
	.free = v1_free,
	.next_timer = v1_next_timer,
	.timers = v1_qm_timers,
	.keep = v1_keep,
};
