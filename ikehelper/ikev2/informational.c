// SPDX-License-Identifier: GPL-2.0
/*
 * INFORMATIONAL (RFC 7296 1.4): DELETE of Child SAs and of the IKE SA,
 * and liveness checks (2.4): an empty request that the peer must answer.
 *
 * A DELETE of a Child SA that a rekey has replaced is also the moment the
 * rekey responder installs its new outbound SA (see create_child_sa.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "ikev2.h"

#define V2_MAX_DEL	64	/* Child SA SPIs answered per DELETE */

int v2_delete_child_start(struct ike_engine *e, struct ike_sa *sa,
			  struct child_sa *c)
{
	struct msg_builder in;
	uint8_t spi[4];
	struct pl_delete d = {
		.proto = IKEV2_PROTO_ESP,
		.spi_size = 4,
		.n_spi = 1,
		.spis = spi,
	};
	int err;

	sa_ike_reset_req(sa);
	msg_set32(spi, c->spi_in);
	v2_inner_init(e, &in);
	pl_add_delete(&in, &d);
	err = v2_send_request(e, sa, IKEV2_EXCH_INFORMATIONAL, &in,
			      TASK_CHILD_DELETE);
	if (!err) {
		sa->req.child = c;
		c->state = CHILD_S_DELETING;
		c->want_delete = false;
	}
	return err;
}

int v2_delete_ike_start(struct ike_engine *e, struct ike_sa *sa)
{
	struct pl_delete d = { .proto = IKEV2_PROTO_IKE };
	struct msg_builder in;
	int err;

	sa_ike_reset_req(sa);
	v2_inner_init(e, &in);
	pl_add_delete(&in, &d);
	err = v2_send_request(e, sa, IKEV2_EXCH_INFORMATIONAL, &in,
			      TASK_IKE_DELETE);
	if (!err) {
		sa->state = IKE_S_DELETING;
		sa->want_delete = false;
	}
	return err;
}

int v2_dpd_start(struct ike_engine *e, struct ike_sa *sa)
{
	struct msg_builder in;

	sa_ike_reset_req(sa);
	sa->want_dpd = false;
	v2_inner_init(e, &in);
	return v2_send_request(e, sa, IKEV2_EXCH_INFORMATIONAL, &in, TASK_DPD);
}

/* The peer deletes the Child SA whose outbound SPI (ours: in) is spi. */
static bool v2_delete_child(struct ike_engine *e, struct ike_sa *sa,
			    uint32_t spi, uint32_t *ours)
{
	struct child_sa *c = sa_child_by_out(sa, spi);

	if (!c)
		return false;
	/* Make before break: the successor's outbound SA goes in first. */
	for (struct child_sa *h = sa->children; h; h = h->next) {
		if (h != c && h->state == CHILD_S_HALF &&
		    h->rekeys_spi == c->spi_in && !h->initiated)
			sa_child_complete(e, sa, h);
	}
	*ours = c->spi_in;
	sa_log(e, LOG_INFO, "%s: peer deleted Child SA 0x%08x", sa->tunnel,
	       c->spi_in);
	sa_child_free(e, sa, c);
	return true;
}

/*
 * The peer deletes sa, an IKE SA from a rekey collision, before we saw
 * the answer to our own rekey (datagrams can overtake each other): its
 * Child SAs go back to the old IKE SA, where that answer will find them.
 */
static void v2_ike_deleted(struct ike_engine *e, struct ike_sa *sa)
{
	struct ike_sa *old;

	if (!sa->v2.successor || !sa->children)
		return;
	old = sa_ike_find(e, sa->v2.rekey_of_i, sa->v2.rekey_of_r);
	if (old && old->req.task == TASK_IKE_REKEY)
		sa_move_children(sa, old);
}

void v2_info_request(struct ike_engine *e, struct ike_sa *sa,
		     const struct msg *m)
{
	uint8_t spis[4 * V2_MAX_DEL];
	struct pl_delete out = {
		.proto = IKEV2_PROTO_ESP,
		.spi_size = 4,
		.spis = spis,
	};
	uint32_t msgid = m->hdr.msgid;
	bool ike = false;
	struct msg_builder b;

	for (unsigned int i = 0; i < m->n; i++) {
		struct pl_delete d;

		if (m->pl[i].type != IKEV2_PL_DELETE)
			continue;
		if (pl_delete_parse(&m->pl[i], &d)) {
			e->stats.malformed++;
			v2_send_response_notify(e, sa, IKEV2_EXCH_INFORMATIONAL,
						msgid, IKEV2_N_INVALID_SYNTAX);
			return;
		}
		if (d.proto == IKEV2_PROTO_IKE) {
			ike = true;
			continue;
		}
		if (d.proto != IKEV2_PROTO_ESP)
			continue;
		for (unsigned int j = 0; j < d.n_spi; j++) {
			uint32_t ours;

			if (out.n_spi < V2_MAX_DEL &&
			    v2_delete_child(e, sa, msg_get32(d.spis + 4 * j),
					    &ours))
				msg_set32(spis + 4 * out.n_spi++, ours);
		}
	}
	v2_inner_init(e, &b);
	if (!ike && out.n_spi)
		pl_add_delete(&b, &out);
	v2_send_response(e, sa, IKEV2_EXCH_INFORMATIONAL, msgid, &b);
	if (ike) {
		sa_log(e, LOG_INFO, "%s: peer deleted the IKE SA", sa->tunnel);
		v2_ike_deleted(e, sa);
		/*
		 * Our rekey of it is in flight: its answer makes an IKE SA
		 * the peer has (and that we may have to delete), so the old
		 * one goes only once that answer is in (ike.c).
		 */
		if (sa->req.task == TASK_IKE_REKEY)
			sa->peer_deleted = true;
		else
			sa_ike_kill(e, sa);
	}
}

void v2_info_response(struct ike_engine *e, struct ike_sa *sa,
		      const struct msg *m)
{
	(void)m;
	switch (sa->req.task) {
	case TASK_CHILD_DELETE:
		if (sa->req.child)
			sa_child_free(e, sa, sa->req.child);
		break;
	case TASK_IKE_DELETE:
		sa_ike_kill(e, sa);
		break;
	default:
		break;
	}
	sa_ike_reset_req(sa);
	if (sa->state != IKE_S_DEAD)
		v2_kick(e, sa);
}
