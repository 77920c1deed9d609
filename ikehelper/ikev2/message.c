// SPDX-License-Identifier: GPL-2.0
/*
 * IKEv2 messages of an IKE SA: the payload rules of each exchange, the
 * SK payload keys of each direction, sending requests and responses,
 * keeping the last response for a resend, and retransmission at the
 * policy's intervals (seed 003: 2, 4 and 8 s, then 16 s to time out).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "ikev2.h"

#define B(t)	(1u << ((t) - 32))

struct v2_rule {
	uint8_t exchange;
	bool response;
	uint32_t required;
	uint32_t allowed;
};

/*
 * RFC 7296 1.2-1.5.  A response may always be a lone error notify, so
 * responses require nothing here; their exchange checks what it needs.
 */
static const struct v2_rule v2_rules[] = {
	{ IKEV2_EXCH_IKE_SA_INIT, false,
	  B(IKEV2_PL_SA) | B(IKEV2_PL_KE) | B(IKEV2_PL_NONCE),
	  B(IKEV2_PL_SA) | B(IKEV2_PL_KE) | B(IKEV2_PL_NONCE) |
	  B(IKEV2_PL_NOTIFY) | B(IKEV2_PL_VENDOR) | B(IKEV2_PL_CERTREQ) },
	{ IKEV2_EXCH_IKE_SA_INIT, true, 0,
	  B(IKEV2_PL_SA) | B(IKEV2_PL_KE) | B(IKEV2_PL_NONCE) |
	  B(IKEV2_PL_NOTIFY) | B(IKEV2_PL_VENDOR) | B(IKEV2_PL_CERTREQ) },
	{ IKEV2_EXCH_IKE_AUTH, false,
	  B(IKEV2_PL_IDI) | B(IKEV2_PL_AUTH),
	  B(IKEV2_PL_IDI) | B(IKEV2_PL_IDR) | B(IKEV2_PL_AUTH) |
	  B(IKEV2_PL_CERT) | B(IKEV2_PL_CERTREQ) | B(IKEV2_PL_SA) |
	  B(IKEV2_PL_TSI) | B(IKEV2_PL_TSR) | B(IKEV2_PL_NOTIFY) |
	  B(IKEV2_PL_VENDOR) | B(IKEV2_PL_CP) },
	{ IKEV2_EXCH_IKE_AUTH, true, 0,
	  B(IKEV2_PL_IDR) | B(IKEV2_PL_AUTH) | B(IKEV2_PL_CERT) |
	  B(IKEV2_PL_SA) | B(IKEV2_PL_TSI) | B(IKEV2_PL_TSR) |
	  B(IKEV2_PL_NOTIFY) | B(IKEV2_PL_VENDOR) | B(IKEV2_PL_CP) },
	{ IKEV2_EXCH_CREATE_CHILD_SA, false,
	  B(IKEV2_PL_SA) | B(IKEV2_PL_NONCE),
	  B(IKEV2_PL_SA) | B(IKEV2_PL_NONCE) | B(IKEV2_PL_KE) |
	  B(IKEV2_PL_TSI) | B(IKEV2_PL_TSR) | B(IKEV2_PL_NOTIFY) |
	  B(IKEV2_PL_VENDOR) },
	{ IKEV2_EXCH_CREATE_CHILD_SA, true, 0,
	  B(IKEV2_PL_SA) | B(IKEV2_PL_NONCE) | B(IKEV2_PL_KE) |
	  B(IKEV2_PL_TSI) | B(IKEV2_PL_TSR) | B(IKEV2_PL_NOTIFY) |
	  B(IKEV2_PL_VENDOR) },
	{ IKEV2_EXCH_INFORMATIONAL, false, 0,
	  B(IKEV2_PL_NOTIFY) | B(IKEV2_PL_DELETE) | B(IKEV2_PL_CP) |
	  B(IKEV2_PL_VENDOR) },
	{ IKEV2_EXCH_INFORMATIONAL, true, 0,
	  B(IKEV2_PL_NOTIFY) | B(IKEV2_PL_DELETE) | B(IKEV2_PL_CP) |
	  B(IKEV2_PL_VENDOR) },
};

uint16_t v2_rules_check(uint8_t exchange, bool response, const struct msg *m)
{
	uint32_t seen = 0;

	for (size_t i = 0; i < sizeof(v2_rules) / sizeof(v2_rules[0]); i++) {
		const struct v2_rule *r = &v2_rules[i];

		if (r->exchange != exchange || r->response != response)
			continue;
		for (unsigned int j = 0; j < m->n; j++) {
			uint8_t t = m->pl[j].type;

			if (t < 33 || t > 53 || !(r->allowed & B(t)))
				return IKEV2_N_INVALID_SYNTAX;
			seen |= B(t);
		}
		if ((seen & r->required) != r->required)
			return IKEV2_N_INVALID_SYNTAX;
		/* One of each, except notifies, vendor IDs, CERT(REQ)s, D. */
		for (unsigned int t = 33; t <= 53; t++) {
			if (t == IKEV2_PL_NOTIFY || t == IKEV2_PL_VENDOR ||
			    t == IKEV2_PL_DELETE || t == IKEV2_PL_CERT ||
			    t == IKEV2_PL_CERTREQ)
				continue;
			if (msg_count(m, (uint8_t)t) > 1)
				return IKEV2_N_INVALID_SYNTAX;
		}
		return 0;
	}
	return IKEV2_N_INVALID_SYNTAX;
}

void v2_sk_keys(const struct ike_sa *sa, bool outbound, struct msg_sk_keys *k)
{
	/* The original initiator sends with SK_ei/SK_ai. */
	bool i_keys = sa->initiator == outbound;
	const struct secbuf *ek = i_keys ? sa->v2.km.sk_ei : sa->v2.km.sk_er;
	const struct secbuf *ak = i_keys ? sa->v2.km.sk_ai : sa->v2.km.sk_ar;

	memset(k, 0, sizeof(*k));
	k->encr = &sa->encr;
	k->ekey = ek ? ek->data : NULL;
	k->integ = sa->sel.integ;
	k->akey = ak && ak->len ? ak->data : NULL;
	k->akey_len = ak ? ak->len : 0;
}

void v2_hdr(const struct ike_sa *sa, uint8_t exchange, bool response,
	    uint32_t msgid, struct msg_hdr *h)
{
	memset(h, 0, sizeof(*h));
	memcpy(h->spi_i, sa->spi_i, 8);
	memcpy(h->spi_r, sa->spi_r, 8);
	h->major = 2;
	h->exchange = exchange;
	h->flags = (sa->initiator ? IKEV2_FLAG_INITIATOR : 0) |
		   (response ? IKEV2_FLAG_RESPONSE : 0);
	h->msgid = msgid;
}

void v2_inner_init(struct ike_engine *e, struct msg_builder *b)
{
	msg_build_chain(b, e->inner, sizeof(e->inner));
}

int v2_send_raw(struct ike_engine *e, struct ike_sa *sa, const uint8_t *buf,
		size_t len)
{
	return sa_send(e, sa, buf, len);
}

int v2_send_request_raw(struct ike_engine *e, struct ike_sa *sa,
			const uint8_t *buf, size_t len, uint8_t task)
{
	int err;

	err = sa_req_keep(sa, buf, len, task,
			  e->now_ms + sa->pol.retransmit[0] * 1000ull);
	if (err)
		return err;
	if (sa->req.msgid == sa->msgid_out)
		sa->msgid_out++;
	/* A lost datagram is what retransmission is for. */
	v2_send_raw(e, sa, buf, len);
	return 0;
}

int v2_send_request(struct ike_engine *e, struct ike_sa *sa, uint8_t exchange,
		    struct msg_builder *inner, uint8_t task)
{
	struct msg_sk_keys k;
	struct msg_builder b;
	struct msg_hdr h;
	size_t len;

	v2_hdr(sa, exchange, false, sa->msgid_out, &h);
	v2_sk_keys(sa, true, &k);
	msg_build_init(&b, e->out, sizeof(e->out), &h);
	if (msg_build_seal(&b, inner, &k, NULL, &len))
		return -EINVAL;
	return v2_send_request_raw(e, sa, e->out, len, task);
}

int v2_send_response(struct ike_engine *e, struct ike_sa *sa, uint8_t exchange,
		     uint32_t msgid, struct msg_builder *inner)
{
	struct msg_sk_keys k;
	struct msg_builder b;
	struct msg_hdr h;
	uint8_t *copy;
	size_t len;

	v2_hdr(sa, exchange, true, msgid, &h);
	v2_sk_keys(sa, true, &k);
	msg_build_init(&b, e->out, sizeof(e->out), &h);
	if (msg_build_seal(&b, inner, &k, NULL, &len))
		return -EINVAL;
	copy = malloc(len);
	if (copy) {
		memcpy(copy, e->out, len);
		free(sa->resp);
		sa->resp = copy;
		sa->resp_len = len;
		sa->has_resp = true;
	}
	return v2_send_raw(e, sa, e->out, len);
}

int v2_send_response_notify(struct ike_engine *e, struct ike_sa *sa,
			    uint8_t exchange, uint32_t msgid, uint16_t type)
{
	struct pl_notify n = { .type = type };
	struct msg_builder in;

	v2_inner_init(e, &in);
	pl_add_notify(&in, &n);
	return v2_send_response(e, sa, exchange, msgid, &in);
}

void v2_send_init_notify(struct ike_engine *e,
			 const struct sockaddr_storage *local,
			 const struct sockaddr_storage *remote, bool natt,
			 const struct msg_hdr *req, uint16_t type,
			 const uint8_t *data, size_t len)
{
	struct pl_notify n = { .type = type, .data = data, .len = len };
	struct msg_builder b;
	struct msg_hdr h;
	size_t mlen;

	memset(&h, 0, sizeof(h));
	memcpy(h.spi_i, req->spi_i, 8);
	h.major = 2;
	h.exchange = req->exchange;
	h.flags = IKEV2_FLAG_RESPONSE;
	h.msgid = req->msgid;
	msg_build_init(&b, e->out, sizeof(e->out), &h);
	pl_add_notify(&b, &n);
	if (msg_build_finish(&b, &mlen))
		return;
	if (!e->env.send(e->env.ctx, local, remote, natt, e->out, mlen))
		e->stats.tx++;
}

int v2_retransmit(struct ike_engine *e, struct ike_sa *sa)
{
	struct ike_req *r = &sa->req;

	if (r->tries >= POLICY_RETRANSMITS || !r->buf) {
		r->next_ms = IKE_NO_TIMER;
		return -ETIMEDOUT;
	}
	r->tries++;
	e->stats.retransmits++;
	r->next_ms = e->now_ms + 1000ull * (r->tries < POLICY_RETRANSMITS ?
					    sa->pol.retransmit[r->tries] :
					    sa->pol.retransmit_timeout);
	sa_log(e, LOG_DEBUG, "%s: retransmit %u of message %u", sa->tunnel,
	       r->tries, r->msgid);
	v2_send_raw(e, sa, r->buf, r->len);
	return 0;
}

const struct msg_payload *v2_get(const struct msg *m, uint8_t type)
{
	static const struct msg_payload none;
	const struct msg_payload *p = msg_find(m, type, 0);

	return p ? p : &none;
}

bool v2_find_notify(const struct msg *m, uint16_t type, struct pl_notify *n)
{
	for (unsigned int i = 0; i < m->n; i++) {
		if (m->pl[i].type != IKEV2_PL_NOTIFY ||
		    pl_notify_parse(&m->pl[i], n))
			continue;
		if (n->type == type)
			return true;
	}
	return false;
}

size_t v2_id_body(const struct policy_id *id, uint8_t *buf, size_t len)
{
	if (len < 4u + id->len)
		return 0;
	buf[0] = id->type;
	buf[1] = buf[2] = buf[3] = 0;
	memcpy(buf + 4, id->data, id->len);
	return 4u + id->len;
}
