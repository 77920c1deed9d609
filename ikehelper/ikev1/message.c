// SPDX-License-Identifier: GPL-2.0
/*
 * IKEv1 messages of an ISAKMP SA: the header, sending, keeping our last
 * answer for a retransmitted message, retransmitting our own at the
 * policy's intervals (R-U-THERE at the keepalive's retry interval), and
 * the unprotected notify that answers a bad phase 1 message.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <openssl/evp.h>

#include "ikev1.h"

size_t v1_id_body(const struct v1pl_id *id, uint8_t *buf, size_t cap)
{
	if (cap < 4 + id->len)
		return 0;
	buf[0] = id->type;
	buf[1] = id->proto;
	msg_set16(buf + 2, id->port);
	memcpy(buf + 4, id->data, id->len);
	return 4 + id->len;
}

void v1_hdr(const struct ike_sa *sa, uint8_t exchange, uint8_t flags,
	    uint32_t msgid, struct msg_hdr *h)
{
	memset(h, 0, sizeof(*h));
	memcpy(h->spi_i, sa->spi_i, 8);
	memcpy(h->spi_r, sa->spi_r, 8);
	h->major = 1;
	h->minor = 0;
	h->exchange = exchange;
	h->flags = flags;
	h->msgid = msgid;
}

int v1_send_raw(struct ike_engine *e, struct ike_sa *sa, const uint8_t *buf,
		size_t len)
{
	return sa_send(e, sa, buf, len);
}

int v1_send_request(struct ike_engine *e, struct ike_sa *sa,
		    const uint8_t *buf, size_t len, uint8_t task)
{
	int err;

	err = sa_req_keep(sa, buf, len, task, e->now_ms + 1000ull *
			  (task == TASK_DPD ? sa->v1.eff->dpd.retry :
					      sa->pol.retransmit[0]));
	if (err)
		return err;
	/* A lost datagram is what retransmission is for. */
	v1_send_raw(e, sa, buf, len);
	return 0;
}

int v1_send_reply(struct ike_engine *e, struct ike_sa *sa, const uint8_t *buf,
		  size_t len)
{
	uint8_t *copy = malloc(len);

	if (copy) {
		memcpy(copy, buf, len);
		free(sa->resp);
		sa->resp = copy;
		sa->resp_len = len;
		sa->has_resp = true;
	}
	return v1_send_raw(e, sa, buf, len);
}

int v1_retransmit(struct ike_engine *e, struct ike_sa *sa)
{
	struct ike_req *r = &sa->req;
	unsigned int max = r->task == TASK_DPD ? V1_DPD_RETRIES :
			   POLICY_RETRANSMITS;

	if (r->tries >= max || !r->buf) {
		r->next_ms = IKE_NO_TIMER;
		if (r->task == TASK_DPD)
			sa_log(e, LOG_NOTICE, "%s: no R-U-THERE-ACK to %u R-U-THEREs: the peer is dead",
			       sa->tunnel, r->tries + 1);
		return -ETIMEDOUT;
	}
	r->tries++;
	e->stats.retransmits++;
	if (r->task == TASK_DPD)
		r->next_ms = e->now_ms + 1000ull * sa->v1.eff->dpd.retry;
	else
		r->next_ms = e->now_ms + 1000ull * (r->tries < POLICY_RETRANSMITS ?
					sa->pol.retransmit[r->tries] :
					sa->pol.retransmit_timeout);
	sa_log(e, LOG_DEBUG, "%s: retransmit %u of %s message", sa->tunnel,
	       r->tries, r->task == TASK_DPD ? "an R-U-THERE" : "our");
	if (r->task == TASK_DPD)
		/* A new R-U-THERE: a new Message ID and sequence number. */
		return v1_dpd_start(e, sa) ? -ETIMEDOUT : 0;
	v1_send_raw(e, sa, r->buf, r->len);
	return 0;
}

uint32_t v1_new_msgid(struct ike_engine *e, struct ike_sa *sa, bool keep)
{
	uint32_t id;

	do {
		if (crypto_random(&id, sizeof(id)))
			id = 0;
	} while (!id || v1_mid_seen(sa, id));
	/* Ours too: the peer's keys are ours, so it could come back. */
	if (keep)
		v1_mid_keep(e, sa, id);
	else
		v1_mid_add(sa, id);
	return id;
}

int v1_seal(struct ike_engine *e, struct ike_sa *sa, struct v1crypt_iv *iv,
	    struct msg_builder *b, size_t *len)
{
	(void)e;
	if (v1crypt_encrypt(&sa->v1.key, iv, b, len))
		return -EINVAL;
	v1crypt_iv_confirm(iv);
	return 0;
}

bool v1_dgram_hash(const uint8_t *buf, size_t len, uint8_t out[32])
{
	unsigned int n = 0;

	return EVP_Digest(buf, len, out, &n, EVP_sha256(), NULL) == 1 &&
	       n == 32;
}

void v1_notify_clear(struct ike_engine *e, const struct sockaddr_storage *local,
		     const struct sockaddr_storage *remote, bool natt,
		     const struct msg_hdr *req, uint16_t type)
{
	uint8_t spi[16];
	struct v1pl_notify n = {
		.doi = IKEV1_DOI_IPSEC, .proto = IKEV1_PROTO_ISAKMP,
		.spi_size = 16, .type = type, .spi = spi,
	};
	struct msg_builder b;
	struct msg_hdr h;
	size_t len;

	memcpy(spi, req->spi_i, 8);
	memcpy(spi + 8, req->spi_r, 8);
	memset(&h, 0, sizeof(h));
	memcpy(h.spi_i, req->spi_i, 8);
	memcpy(h.spi_r, req->spi_r, 8);
	h.major = 1;
	h.exchange = IKEV1_EXCH_INFORMATIONAL;
	/* Unprotected: only before any key exists (RFC 2408 5). */
	if (crypto_random(&h.msgid, sizeof(h.msgid)))
		return;
	msg_build_init(&b, e->out, sizeof(e->out), &h);
	v1pl_add_notify(&b, &n);
	if (msg_build_finish(&b, &len))
		return;
	if (!e->env.send(e->env.ctx, local, remote, natt, e->out, len))
		e->stats.tx++;
}
