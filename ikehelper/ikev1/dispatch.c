// SPDX-License-Identifier: GPL-2.0
/*
 * IKEv1 behind the engine's version table (struct ike_ops): every
 * message goes through the checks RFC 2408 asks for before an exchange
 * sees it -- the cookies name an ISAKMP SA we have (or a new one may
 * start), a retransmission gets our last answer again, an encrypted
 * message decrypts, a Message ID is not replayed -- and the queued work
 * of each ISAKMP SA runs one exchange at a time (v1_kick).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "ikev1.h"

static const uint8_t v1_zero[8];

/* Where msgid is in the sorted kept[], or would go. */
static unsigned int v1_mid_find(const struct v1_ike *v, uint32_t msgid)
{
	unsigned int lo = 0, hi = v->n_kept;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (v->kept[mid] < msgid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

bool v1_mid_seen(const struct ike_sa *sa, uint32_t msgid)
{
	const struct v1_ike *v = &sa->v1;
	unsigned int at;

	for (unsigned int i = 0; i < V1_MIDS; i++)
		if (v->mids[i] == msgid)
			return true;
	at = v1_mid_find(v, msgid);
	return at < v->n_kept && v->kept[at] == msgid;
}

void v1_mid_add(struct ike_sa *sa, uint32_t msgid)
{
	sa->v1.mids[sa->v1.mid_head++ % V1_MIDS] = msgid;
}

void v1_mid_keep(struct ike_engine *e, struct ike_sa *sa, uint32_t msgid)
{
	/* Both ends keep about the same: the one that made it goes first. */
	unsigned int limit = V1_MIDS_KEPT - (sa->initiator ? V1_MIDS : 0);
	struct v1_ike *v = &sa->v1;
	unsigned int at;

	v1_mid_add(sa, msgid);
	if (v->n_kept >= limit && sa->state == IKE_S_ESTABLISHED &&
	    !sa->want_rekey && sa->rekey_ms != IKE_NO_TIMER) {
		/*
		 * New keys, into which none of the old messages can be
		 * replayed, rather than memory without end.  Until the new
		 * ISAKMP SA takes over, the last V1_MIDS still guard this one.
		 */
		sa_log(e, LOG_NOTICE, "%s: %u Message IDs used: rekeying the ISAKMP SA",
		       sa->tunnel, v->n_kept);
		sa->rekey_ms = IKE_NO_TIMER;
		sa->want_rekey = true;
	}
	if (v->n_kept >= V1_MIDS_KEPT)
		return;
	at = v1_mid_find(v, msgid);
	if (at < v->n_kept && v->kept[at] == msgid)
		return;
	if (v->n_kept == v->cap_kept) {
		unsigned int cap = v->cap_kept ? 2 * v->cap_kept : 16;
		uint32_t *k = realloc(v->kept, cap * sizeof(*k));

		if (!k)
			return;
		v->kept = k;
		v->cap_kept = cap;
	}
	memmove(v->kept + at + 1, v->kept + at,
		(v->n_kept - at) * sizeof(*v->kept));
	v->kept[at] = msgid;
	v->n_kept++;
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
			sa_start_failed(e, sa, err, "DELETE");
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
				sa_start_failed(e, sa, err, "DELETE");
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
			sa_start_failed(e, sa, err, "ISAKMP SA rekey");
	}
	for (c = sa->children; c; c = c->next) {
		if (c->want_rekey && c->state == CHILD_S_INSTALLED) {
			c->want_rekey = false;
			err = v1_qm_start(e, sa, c);
			if (!err)
				return;
			sa_start_failed(e, sa, err, "Quick Mode rekey");
		}
	}
	if (sa->want_child) {
		sa->want_child = false;
		if (!sa->children) {
			err = v1_qm_start(e, sa, NULL);
			if (!err)
				return;
			sa_start_failed(e, sa, err, "Quick Mode");
		}
	}
	if (sa->want_dpd) {
		sa->want_dpd = false;
		err = v1_dpd_start(e, sa);
		if (err)
			sa_start_failed(e, sa, err, "R-U-THERE");
	}
}

void v1_log_bad(struct ike_engine *e, const struct ike_sa *sa,
		const struct sockaddr_storage *remote, const struct msg_hdr *h,
		uint16_t answer, const char *fmt, ...)
{
	char why[160], who[INET6_ADDRSTRLEN], xb[24], nb[24], mid[16] = "";
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (sa && sa->tunnel[0])
		snprintf(who, sizeof(who), "%s", sa->tunnel);
	else
		sa_addr_str(remote, who, sizeof(who));
	if (h->msgid)
		snprintf(mid, sizeof(mid), " %08x", h->msgid);
	sa_log(e, LOG_INFO, "%s: %s message%s dropped: %s%s%s", who,
	       names_fmt(NAMES_EXCHANGE_V1, h->exchange, xb, sizeof(xb)), mid,
	       why, answer ? "; answered " : "",
	       answer ? names_fmt(NAMES_V1_NOTIFY, answer, nb, sizeof(nb)) : "");
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

/*
 * Refuse a message in the clear that no exchange takes (RFC 2408 5.1,
 * 5.2): count it, say why, and answer with the notify err calls for --
 * unprotected, as nothing is established with whoever sent it -- unless
 * it was encrypted or is itself an Informational (two peers would answer
 * each other's notifies forever).
 */
static void v1_refuse_clear(struct ike_engine *e,
			    const struct sockaddr_storage *local,
			    const struct sockaddr_storage *remote, bool natt,
			    const struct msg_hdr *h, enum v1_err err,
			    const char *why)
{
	uint16_t n = v1err_notify(err);

	if ((h->flags & IKEV1_FLAG_ENCRYPTION) ||
	    h->exchange == IKEV1_EXCH_INFORMATIONAL)
		n = 0;
	e->stats.malformed++;
	v1_log_bad(e, NULL, remote, h, n, "%s", why);
	if (n)
		v1_notify_clear(e, local, remote, natt, h, n);
}

/*
 * A message whose responder cookie is zero: the first of a Main or an
 * Aggressive Mode, or a retransmission of one; nothing else can have it.
 */
static void v1_input_first(struct ike_engine *e,
			   const struct sockaddr_storage *local,
			   const struct sockaddr_storage *remote, bool natt,
			   const uint8_t *buf, size_t len, const struct msg *m)
{
	const struct msg_hdr *h = &m->hdr;
	uint8_t hash[32];
	struct ike_sa *sa;

	switch (h->exchange) {
	case IKEV1_EXCH_MAIN:
	case IKEV1_EXCH_AGGRESSIVE:
		break;
	case IKEV1_EXCH_BASE:
	case IKEV1_EXCH_AUTH_ONLY:
		/* ISAKMP exchanges RFC 2409 does not use. */
		e->stats.malformed++;
		v1_log_bad(e, NULL, remote, h, IKEV1_N_UNSUPPORTED_EXCHANGE_TYPE,
			   "exchange not supported");
		v1_notify_clear(e, local, remote, natt, h,
				IKEV1_N_UNSUPPORTED_EXCHANGE_TYPE);
		return;
	case IKEV1_EXCH_INFORMATIONAL:
	case IKEV1_EXCH_TRANSACTION:
	case IKEV1_EXCH_QUICK:
	case IKEV1_EXCH_NEW_GROUP:
		/*
		 * These need an ISAKMP SA, and no responder cookie names one
		 * (RFC 2408 5.2: INVALID-COOKIE).  Not answered: whoever lost
		 * its state learns it from DPD, and an answer to any address
		 * that asks is a reflector.
		 */
		e->stats.invalid_spi++;
		v1_log_bad(e, NULL, remote, h, 0,
			   "no responder cookie, so no ISAKMP SA");
		return;
	default:
		v1_refuse_clear(e, local, remote, natt, h, V1_E_EXCHANGE,
				"unknown exchange type");
		return;
	}
	if (h->flags & IKEV1_FLAG_ENCRYPTION) {
		e->stats.invalid_spi++;
		v1_log_bad(e, NULL, remote, h, 0,
			   "encrypted, but no responder cookie names its keys");
		return;
	}
	if (h->msgid) {
		/* RFC 2408 3.1: 0 throughout phase 1. */
		e->stats.invalid_msgid++;
		v1_log_bad(e, NULL, remote, h, IKEV1_N_INVALID_MESSAGE_ID,
			   "Message ID %08x in phase 1", h->msgid);
		v1_notify_clear(e, local, remote, natt, h,
				IKEV1_N_INVALID_MESSAGE_ID);
		return;
	}
	sa = sa_ike_find_half(e, h->spi_i, remote, false);
	if (sa) {
		if (sa->ops != &ikev1_ops || !sa->has_resp ||
		    !v1_dgram_hash(buf, len, hash) ||
		    memcmp(hash, sa->v1.last_hash, 32)) {
			/* Not the message we answered: the cookie is taken. */
			e->stats.dropped++;
			v1_log_bad(e, sa, remote, h, 0,
				   "its initiator cookie belongs to another exchange");
			return;
		}
		/* The peer did not get our answer: the same again. */
		e->stats.retransmits++;
		v1_send_raw(e, sa, sa->resp, sa->resp_len);
		return;
	}
	if (h->exchange == IKEV1_EXCH_MAIN)
		v1_mm_request1(e, local, remote, natt, m);
	else
		v1_am_request1(e, local, remote, natt, m);
}

/* Main or Aggressive Mode for sa, after its first message. */
static void v1_input_p1(struct ike_engine *e, struct ike_sa *sa,
			const struct sockaddr_storage *local,
			const struct sockaddr_storage *remote, bool natt,
			const struct msg *m, const uint8_t hash[32])
{
	const struct msg_hdr *h = &m->hdr;
	bool taken;

	if (h->msgid) {
		e->stats.invalid_msgid++;
		v1_log_bad(e, sa, remote, h, 0, "Message ID %08x in phase 1",
			   h->msgid);
		return;
	}
	if (sa->v1.has_last_hash && !memcmp(hash, sa->v1.last_hash, 32)) {
		/* A retransmission: our answer to it, if we gave one. */
		e->stats.retransmits++;
		if (sa->has_resp)
			v1_send_raw(e, sa, sa->resp, sa->resp_len);
		return;
	}
	if (sa->state != IKE_S_CONNECTING) {
		/* RFC 2408 5.2: not an exchange this ISAKMP SA has now. */
		e->stats.invalid_msgid++;
		v1_log_bad(e, sa, remote, h, 0, "phase 1 is over");
		return;
	}
	if (sa->v1.exch != h->exchange) {
		e->stats.malformed++;
		v1_log_bad(e, sa, remote, h, 0, "the ISAKMP SA is in %s",
			   sa->v1.exch == IKEV1_EXCH_MAIN ? "Main Mode" :
							    "Aggressive Mode");
		return;
	}
	if (sa->local.ss_family == AF_UNSPEC) {
		sa->local = *local;
		sa->natt = natt;
	}
	taken = h->exchange == IKEV1_EXCH_MAIN ? v1_mm_input(e, sa, m) :
						 v1_am_input(e, sa, m);
	/*
	 * Only a message the exchange took is the one a retransmission
	 * repeats: one it discarded (it does not decrypt, its HASH is
	 * wrong) leaves the exchange where it was, for the genuine one.
	 */
	if (taken) {
		memcpy(sa->v1.last_hash, hash, 32);
		sa->v1.has_last_hash = true;
	}
}

static void v1_input(struct ike_engine *e, const struct sockaddr_storage *local,
		     const struct sockaddr_storage *remote, bool natt,
		     const uint8_t *buf, size_t len, const struct msg_hdr *h)
{
	struct msg *m;
	enum msg_err err;
	struct ike_sa *sa;
	uint8_t hash[32];

	if (len > MSG_MAX_LEN) {
		/* No UDP datagram is this long: not from any IKE peer. */
		e->stats.malformed++;
		v1_log_bad(e, NULL, remote, h, 0,
			   "%zu bytes, longer than any IKE message", len);
		return;
	}
	m = malloc(sizeof(*m));
	if (!m)
		return;
	err = msg_validate(buf, len, m);
	if (err == MSG_E_LENGTH) {
		v1_refuse_clear(e, local, remote, natt, h, V1_E_LENGTH,
				"header length does not match the datagram");
		goto out;
	}
	if (err == MSG_E_UNKNOWN_V1) {
		char why[48];

		snprintf(why, sizeof(why), "unknown payload type %u",
			 m->bad_type);
		v1_refuse_clear(e, local, remote, natt, h, V1_E_PAYLOAD_TYPE,
				why);
		goto out;
	}
	if (err) {
		v1_refuse_clear(e, local, remote, natt, h, v1err_from_msg(err),
				msg_strerror(err));
		goto out;
	}
	if (h->minor) {
		/* RFC 2408 3.1: never accept a minor version above ours. */
		v1_refuse_clear(e, local, remote, natt, h, V1_E_MINOR,
				"minor version is not 0");
		goto out;
	}
	if (!memcmp(h->spi_r, v1_zero, 8)) {
		v1_input_first(e, local, remote, natt, buf, len, m);
		goto out;
	}
	sa = v1_lookup(e, remote, h);
	if (!sa) {
		/* RFC 2408 5.2: INVALID-COOKIE, not answered as above. */
		e->stats.invalid_spi++;
		v1_log_bad(e, NULL, remote, h, 0,
			   "no ISAKMP SA has these cookies");
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
	switch (h->exchange) {
	case IKEV1_EXCH_MAIN:
	case IKEV1_EXCH_AGGRESSIVE:
		v1_input_p1(e, sa, local, remote, natt, m, hash);
		goto out;
	case IKEV1_EXCH_QUICK:
	case IKEV1_EXCH_INFORMATIONAL:
		break;
	default:
		/*
		 * Transaction (mode config) comes with remote access.  Not
		 * answered: nothing of it is authenticated (RFC 2408 5.2).
		 */
		e->stats.malformed++;
		v1_log_bad(e, sa, remote, h, 0, "exchange not supported");
		goto out;
	}
	if (sa->state < IKE_S_ESTABLISHED || !sa->v1.keys) {
		e->stats.malformed++;
		v1_log_bad(e, sa, remote, h, 0, "phase 1 is not done");
	} else if (!(h->flags & IKEV1_FLAG_ENCRYPTION)) {
		/* After phase 1 everything is encrypted (RFC 2409 5.5, 5.7). */
		e->stats.malformed++;
		v1_log_bad(e, sa, remote, h, 0, "not encrypted");
	} else if (!h->msgid) {
		/* RFC 2408 5.2: 0 is phase 1's; not answered, not authentic. */
		e->stats.invalid_msgid++;
		v1_log_bad(e, sa, remote, h, 0, "Message ID 0 after phase 1");
	} else if (h->exchange == IKEV1_EXCH_QUICK) {
		v1_qm_input(e, sa, m, hash);
	} else {
		v1_info_input(e, sa, m);
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
	free(v->kept);
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
