// SPDX-License-Identifier: GPL-2.0
/*
 * ikeload's IKEv2 engine: PSK handshakes against one responder (make
 * bench-ike, selftests/ike/bench.sh).
 *
 * Each handshake is IKE_SA_INIT then IKE_AUTH with one Child SA (RFC 7296
 * 1.2), ID_KEY_ID, AES-CBC-128 + HMAC-SHA2-256 or AES-GCM-128, PRF
 * HMAC-SHA2-256, DH group 19 or 31.  A handshake counts as completed once
 * the responder's AUTH verifies and it created the Child SA.  Optionally
 * (--delete) each IKE SA is then deleted with an INFORMATIONAL exchange,
 * so the responder's SA count stays flat; without it the responder keeps
 * every IKE SA, which is how bench.sh measures memory per IKE SA.
 *
 * Messages are built and parsed with ikehelper's own codec and crypto
 * (msg.c, payload.c, crypto.c, keymat_v2.c): there is no second IKE codec
 * here.  Each handshake slot sends from one of --sockets UDP sockets
 * (distinct source ports), and its SPIi carries the slot number, so a
 * response finds its slot at once.
 *
 * So that the generator is not the bottleneck, every handshake uses the
 * same initiator DH key pair (made once at start); the responder still
 * generates a fresh key pair and derives g^ir for each one, and this side
 * still derives g^ir per handshake.  Never use this shortcut in a real
 * initiator: it gives up forward secrecy between the IKE SAs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "crypto.h"
#include "ikeload.h"
#include "keymat_v2.h"
#include "msg.h"
#include "names.h"
#include "payload.h"
#include "secbuf.h"

#define NONCE_LEN	32
#define INIT_MAX	1024	/* an IKE_SA_INIT message, ours or theirs */
#define REQ_MAX		1024	/* our IKE_AUTH or INFORMATIONAL request */
#define COOKIE_MAX	64
#define NONCE_MAX	256
#define NATD_LEN	20	/* SHA-1 */

enum hs_state { HS_FREE, HS_INIT, HS_AUTH, HS_DELETE };

/* One handshake in flight. */
struct hs {
	uint8_t state;
	uint8_t tries;
	bool natt;			/* port 4500, non-ESP marker */
	int sock;
	uint8_t spi_i[8], spi_r[8];
	uint8_t ni[NONCE_LEN];
	uint8_t nr[NONCE_MAX];
	size_t nr_len;
	uint8_t cookie[COOKIE_MAX];
	size_t cookie_len;
	uint8_t init_i[INIT_MAX], init_r[INIT_MAX];
	size_t init_i_len, init_r_len;
	uint8_t req[REQ_MAX];		/* what a retransmit sends */
	size_t req_len;
	uint64_t next_ms;		/* retransmit or give up */
	struct crypto_encr encr;
	struct keymat_v2_ike km;
};

static struct hs *slots;
static struct crypto_dh *our_dh;	/* shared by all handshakes: see top */
static uint8_t our_pub[CRYPTO_DH_PUB_MAX];
static struct keymat_v2_algs algs;
static uint8_t id_body[4 + 64];
static size_t id_body_len;

/* Scratch: one message in, its plaintext, one out. */
static uint8_t plain[MSG_MAX_LEN];
static uint8_t inner_buf[4096];
static struct msg rx_msg, rx_inner;
static struct pl_sa sa_scratch;

/* ---- the proposals ---------------------------------------------------- */

static void xf(struct pl_proposal *p, uint8_t type, uint16_t id,
	       uint16_t bits)
{
	struct pl_transform *t = &p->xf[p->n_xf++];

	memset(t, 0, sizeof(*t));
	t->type = type;
	t->id = id;
	t->key_bits = bits;
	t->has_key_bits = bits != 0;
}

static uint16_t enc_id(void)
{
	return o.gcm ? IKEV2_ENCR_AES_GCM_16 : IKEV2_ENCR_AES_CBC;
}

/* The IKE SA proposal (proto IKE) or the Child SA one (ESP, spi). */
static void make_offer(struct pl_sa *sa, bool child, const uint8_t spi[4])
{
	struct pl_proposal *p = &sa->prop[0];

	sa->n_prop = 1;
	memset(p, 0, sizeof(*p));
	p->num = 1;
	p->proto = child ? IKEV2_PROTO_ESP : IKEV2_PROTO_IKE;
	xf(p, IKEV2_TRANS_ENCR, enc_id(), 128);
	if (!child)
		xf(p, IKEV2_TRANS_PRF, IKEV2_PRF_HMAC_SHA2_256, 0);
	if (!o.gcm)
		xf(p, IKEV2_TRANS_INTEG, IKEV2_INTEG_HMAC_SHA2_256_128, 0);
	if (child) {
		p->spi_size = 4;
		memcpy(p->spi, spi, 4);
		xf(p, IKEV2_TRANS_ESN, IKEV2_ESN_NONE, 0);
	} else {
		xf(p, IKEV2_TRANS_DH, (uint16_t)o.group, 0);
	}
}

/* The answer holds one proposal whose transforms are all ones we offered. */
static bool answer_ok(const struct pl_sa *ans, bool child)
{
	const struct pl_proposal *p = &ans->prop[0];
	uint8_t spi[4] = { 0 };
	const struct pl_proposal *want;

	if (ans->n_prop != 1)
		return false;
	make_offer(&sa_scratch, child, spi);
	want = &sa_scratch.prop[0];
	if (p->proto != want->proto || p->n_xf != want->n_xf ||
	    p->spi_size != (child ? 4 : 0))
		return false;
	for (unsigned int i = 0; i < p->n_xf; i++) {
		const struct pl_transform *t = &p->xf[i];
		bool found = false;

		for (unsigned int j = 0; j < want->n_xf; j++)
			found |= t->type == want->xf[j].type &&
				 t->id == want->xf[j].id &&
				 t->key_bits == want->xf[j].key_bits &&
				 !t->unknown_attr;
		if (!found)
			return false;
	}
	return true;
}

/* ---- sending ---------------------------------------------------------- */

static void hs_send(struct hs *h)
{
	load_send((unsigned int)h->sock, h->natt, h->req, h->req_len);
}

/* SHA1(SPIi | SPIr | IP | Port), RFC 7296 2.23. */
static bool natd_hash(const uint8_t spi_i[8], const uint8_t spi_r[8],
		      const struct sockaddr_in *sin, uint8_t out[NATD_LEN])
{
	uint8_t buf[8 + 8 + 4 + 2];
	unsigned int n = 0;

	memcpy(buf, spi_i, 8);
	memcpy(buf + 8, spi_r, 8);
	memcpy(buf + 16, &sin->sin_addr, 4);
	memcpy(buf + 20, &sin->sin_port, 2);
	return EVP_Digest(buf, sizeof(buf), out, &n, EVP_sha1(), NULL) == 1 &&
	       n == NATD_LEN;
}

static void hs_arm(struct hs *h)
{
	h->tries = 0;
	h->next_ms = now_ms() + o.rto_ms;
}

static void hs_free(struct hs *h)
{
	keymat_v2_ike_free(&h->km);
	h->state = HS_FREE;
}

static void hs_hdr(const struct hs *h, struct msg_hdr *hdr, uint8_t exch,
		   uint32_t msgid)
{
	memset(hdr, 0, sizeof(*hdr));
	memcpy(hdr->spi_i, h->spi_i, 8);
	memcpy(hdr->spi_r, h->spi_r, 8);
	hdr->major = 2;
	hdr->exchange = exch;
	hdr->flags = IKEV2_FLAG_INITIATOR;
	hdr->msgid = msgid;
}

static int hs_build_init(struct hs *h)
{
	struct pl_nonce nonce = { .data = h->ni, .len = NONCE_LEN };
	struct pl_ke ke = {
		.group = (uint16_t)o.group,
		.data = our_pub,
		.len = crypto_dh_pub_len(o.group),
	};
	struct msg_builder b;
	struct msg_hdr hdr;

	hs_hdr(h, &hdr, IKEV2_EXCH_IKE_SA_INIT, 0);
	msg_build_init(&b, h->init_i, sizeof(h->init_i), &hdr);
	if (h->cookie_len) {
		struct pl_notify n = {
			.type = IKEV2_N_COOKIE,
			.data = h->cookie,
			.len = h->cookie_len,
		};

		pl_add_notify(&b, &n);
	}
	make_offer(&sa_scratch, false, NULL);
	pl_add_sa(&b, &sa_scratch);
	pl_add_ke(&b, &ke);
	pl_add_nonce(&b, &nonce);
	/*
	 * NAT detection: charon with kernel-libipsec does ESP only in UDP,
	 * so it claims a NAT whenever the initiator offers NAT-T, and the
	 * handshake floats to port 4500 (RFC 7296 2.23); without these it
	 * can set up no Child SA.
	 */
	{
		static const uint8_t zero[8];
		uint8_t src[NATD_LEN], dst[NATD_LEN];
		struct pl_notify n = { .len = NATD_LEN };

		if (!natd_hash(h->spi_i, zero, &sock_addr[h->sock], src) ||
		    !natd_hash(h->spi_i, zero, &o.target, dst))
			return -1;
		n.type = IKEV2_N_NAT_DETECTION_SOURCE_IP;
		n.data = src;
		pl_add_notify(&b, &n);
		n.type = IKEV2_N_NAT_DETECTION_DESTINATION_IP;
		n.data = dst;
		pl_add_notify(&b, &n);
	}
	if (msg_build_finish(&b, &h->init_i_len))
		return -1;
	memcpy(h->req, h->init_i, h->init_i_len);
	h->req_len = h->init_i_len;
	return 0;
}

static void hs_start(struct hs *h, unsigned int idx)
{
	memset(h->spi_r, 0, 8);
	/* SPIi: 4 random bytes, then the slot (a response finds it). */
	if (crypto_random(h->spi_i, 4) || crypto_random(h->ni, NONCE_LEN))
		die("no random bytes");
	msg_set32(h->spi_i + 4, idx);
	h->sock = (int)(idx % o.nsock);
	h->natt = false;
	h->cookie_len = 0;
	h->nr_len = 0;
	memset(&h->km, 0, sizeof(h->km));
	if (hs_build_init(h))
		die("cannot build IKE_SA_INIT");
	h->state = HS_INIT;
	cnt.started++;
	hs_arm(h);
	hs_send(h);
}

static void keys_of(const struct hs *h, bool outbound, struct msg_sk_keys *k)
{
	const struct secbuf *ek = outbound ? h->km.sk_ei : h->km.sk_er;
	const struct secbuf *ak = outbound ? h->km.sk_ai : h->km.sk_ar;

	memset(k, 0, sizeof(*k));
	k->encr = &h->encr;
	k->ekey = ek->data;
	k->integ = algs.integ;
	k->akey = ak && ak->len ? ak->data : NULL;
	k->akey_len = ak ? ak->len : 0;
}

/* Seal the chain in inner as our request msgid of exch and send it. */
static int hs_send_sk(struct hs *h, uint8_t exch, uint32_t msgid,
		      const struct msg_builder *inner)
{
	struct msg_sk_keys k;
	struct msg_builder b;
	struct msg_hdr hdr;

	hs_hdr(h, &hdr, exch, msgid);
	keys_of(h, true, &k);
	msg_build_init(&b, h->req, sizeof(h->req), &hdr);
	if (msg_build_seal(&b, inner, &k, NULL, &h->req_len))
		return -1;
	hs_arm(h);
	hs_send(h);
	return 0;
}

static int hs_send_auth(struct hs *h)
{
	uint8_t auth[CRYPTO_PRF_MAX], spi[4];
	struct pl_ts_list *ts = calloc(2, sizeof(*ts));
	struct pl_id id = {
		.type = IKEV2_ID_KEY_ID,
		.data = id_body + 4,
		.len = id_body_len - 4,
	};
	struct pl_auth pa = {
		.method = IKEV2_AUTH_PSK,
		.data = auth,
		.len = crypto_prf_len(algs.prf),
	};
	struct msg_builder in;
	int err = -1;

	if (!ts)
		return -1;
	if (keymat_v2_psk_auth(algs.prf, (const uint8_t *)o.psk,
			       strlen(o.psk), h->init_i, h->init_i_len,
			       h->nr, h->nr_len, h->km.sk_pi, id_body,
			       id_body_len, auth))
		goto out;
	if (crypto_random(spi, 4))
		goto out;
	/* TSi 10.1.0.0/24 (ours), TSr 10.2.0.0/24: lib.sh's networks. */
	for (int i = 0; i < 2; i++) {
		struct pl_ts *t = &ts[i].ts[0];

		ts[i].n = 1;
		t->type = IKEV2_TS_IPV4_ADDR_RANGE;
		t->end_port = 65535;
		t->start[0] = t->end[0] = 10;
		t->start[1] = t->end[1] = (uint8_t)(1 + i);
		t->end[3] = 255;
	}
	make_offer(&sa_scratch, true, spi);
	msg_build_chain(&in, inner_buf, sizeof(inner_buf));
	pl_add_id(&in, IKEV2_PL_IDI, &id);
	pl_add_auth(&in, &pa);
	pl_add_sa(&in, &sa_scratch);
	pl_add_ts(&in, IKEV2_PL_TSI, &ts[0]);
	pl_add_ts(&in, IKEV2_PL_TSR, &ts[1]);
	err = hs_send_sk(h, IKEV2_EXCH_IKE_AUTH, 1, &in);
	h->state = HS_AUTH;
out:
	secbuf_wipe(auth, sizeof(auth));
	secbuf_wipe(inner_buf, sizeof(inner_buf));
	free(ts);
	return err;
}

static void hs_send_delete(struct hs *h)
{
	struct pl_delete d = { .proto = IKEV2_PROTO_IKE };
	struct msg_builder in;

	msg_build_chain(&in, inner_buf, sizeof(inner_buf));
	pl_add_delete(&in, &d);
	h->state = HS_DELETE;
	if (hs_send_sk(h, IKEV2_EXCH_INFORMATIONAL, 2, &in))
		hs_free(h);
}

/* ---- receiving -------------------------------------------------------- */

static void hs_fail(struct hs *h)
{
	cnt.failed++;
	hs_free(h);
}

/* An error notify (type < 16384) in m, or 0. */
static uint16_t error_notify(const struct msg *m)
{
	for (unsigned int i = 0; i < m->n; i++) {
		struct pl_notify n;

		if (m->pl[i].type == IKEV2_PL_NOTIFY &&
		    !pl_notify_parse(&m->pl[i], &n) && n.type < 16384)
			return n.type;
	}
	return 0;
}

/* Does m's NAT detection show a NAT between us (the peer may claim one)? */
static bool nat_seen(const struct hs *h, const struct msg *m)
{
	uint8_t want_src[NATD_LEN], want_dst[NATD_LEN];
	bool any = false, src_ok = false, dst_ok = true;

	if (!natd_hash(h->spi_i, m->hdr.spi_r, &o.target, want_src) ||
	    !natd_hash(h->spi_i, m->hdr.spi_r, &sock_addr[h->sock], want_dst))
		return false;
	for (unsigned int i = 0; i < m->n; i++) {
		struct pl_notify n;

		if (m->pl[i].type != IKEV2_PL_NOTIFY ||
		    pl_notify_parse(&m->pl[i], &n))
			continue;
		if (n.type == IKEV2_N_NAT_DETECTION_SOURCE_IP) {
			any = true;
			src_ok |= n.len == NATD_LEN &&
				  !memcmp(n.data, want_src, NATD_LEN);
		} else if (n.type == IKEV2_N_NAT_DETECTION_DESTINATION_IP) {
			any = true;
			dst_ok &= n.len == NATD_LEN &&
				  !memcmp(n.data, want_dst, NATD_LEN);
		}
	}
	return any && !(src_ok && dst_ok);
}

static void on_init(struct hs *h, const struct msg *m)
{
	const struct msg_payload *p;
	struct secbuf *gir = NULL, *seed = NULL;
	struct pl_nonce nr;
	struct pl_ke ke;
	int err;

	for (unsigned int i = 0; i < m->n; i++) {
		struct pl_notify n;

		if (m->pl[i].type != IKEV2_PL_NOTIFY ||
		    pl_notify_parse(&m->pl[i], &n) ||
		    n.type != IKEV2_N_COOKIE)
			continue;
		/* RFC 7296 2.6: the same request again, with the COOKIE. */
		if (n.len < 1 || n.len > COOKIE_MAX || h->cookie_len) {
			hs_fail(h);
			return;
		}
		memcpy(h->cookie, n.data, n.len);
		h->cookie_len = n.len;
		cnt.cookies++;
		if (hs_build_init(h)) {
			hs_fail(h);
			return;
		}
		hs_arm(h);
		hs_send(h);
		return;
	}
	if (error_notify(m)) {
		cnt.refused++;
		hs_fail(h);
		return;
	}
	if (!(p = msg_find(m, IKEV2_PL_SA, 0)) || pl_sa_parse(p, &sa_scratch) ||
	    !answer_ok(&sa_scratch, false) ||
	    !(p = msg_find(m, IKEV2_PL_KE, 0)) || pl_ke_parse(p, &ke) ||
	    ke.group != o.group ||
	    !(p = msg_find(m, IKEV2_PL_NONCE, 0)) || pl_nonce_parse(p, &nr) ||
	    nr.len > NONCE_MAX || m->raw_len > INIT_MAX ||
	    !memcmp(m->hdr.spi_r, "\0\0\0\0\0\0\0\0", 8)) {
		cnt.bad_msgs++;
		hs_fail(h);
		return;
	}
	memcpy(h->spi_r, m->hdr.spi_r, 8);
	memcpy(h->nr, nr.data, nr.len);
	h->nr_len = nr.len;
	memcpy(h->init_r, m->raw, m->raw_len);
	h->init_r_len = m->raw_len;
	if (nat_seen(h, m)) {
		h->natt = true;
		cnt.natt++;
	}
	err = crypto_dh_derive(our_dh, ke.data, ke.len, &gir);
	if (!err)
		err = keymat_v2_skeyseed(algs.prf, h->ni, NONCE_LEN, h->nr,
					 h->nr_len, gir, &seed);
	if (!err)
		err = keymat_v2_ike_derive(&algs, seed, h->ni, NONCE_LEN,
					   h->nr, h->nr_len, h->spi_i,
					   h->spi_r, &h->km);
	secbuf_free(gir);
	secbuf_free(seed);
	if (err || hs_send_auth(h)) {
		cnt.bad_msgs++;
		hs_fail(h);
	}
}

static void on_auth(struct hs *h, const struct msg *m)
{
	const struct msg_payload *p;
	struct pl_auth auth;
	struct pl_id id;

	if (error_notify(m) == IKEV2_N_AUTHENTICATION_FAILED) {
		cnt.auth_failed++;
		hs_fail(h);
		return;
	}
	if (!(p = msg_find(m, IKEV2_PL_IDR, 0)) || pl_id_parse(p, &id) ||
	    !(p = msg_find(m, IKEV2_PL_AUTH, 0)) || pl_auth_parse(p, &auth) ||
	    auth.method != IKEV2_AUTH_PSK ||
	    keymat_v2_psk_verify(algs.prf, (const uint8_t *)o.psk,
				 strlen(o.psk), h->init_r, h->init_r_len,
				 h->ni, NONCE_LEN, h->km.sk_pr, id.body,
				 id.body_len, auth.data, auth.len)) {
		cnt.auth_failed++;
		hs_fail(h);
		return;
	}
	if (id.type != IKEV2_ID_KEY_ID || id.len != strlen(o.peer_id) ||
	    memcmp(id.data, o.peer_id, id.len)) {
		cnt.auth_failed++;
		hs_fail(h);
		return;
	}
	if (!(p = msg_find(m, IKEV2_PL_SA, 0)) || pl_sa_parse(p, &sa_scratch) ||
	    !answer_ok(&sa_scratch, true) ||
	    !msg_find(m, IKEV2_PL_TSI, 0) || !msg_find(m, IKEV2_PL_TSR, 0)) {
		cnt.no_child++;
		hs_fail(h);
		return;
	}
	cnt.completed++;
	if (o.del)
		hs_send_delete(h);
	else
		hs_free(h);
}

static void on_datagram(const uint8_t *buf, size_t len)
{
	struct msg_sk_keys k;
	struct hs *h;
	uint32_t idx;

	if (msg_validate(buf, len, &rx_msg) || rx_msg.hdr.major != 2 ||
	    !(rx_msg.hdr.flags & IKEV2_FLAG_RESPONSE)) {
		cnt.bad_msgs++;
		return;
	}
	idx = msg_get32(rx_msg.hdr.spi_i + 4);
	if (idx >= o.nslots)
		return;
	h = &slots[idx];
	if (h->state == HS_FREE || memcmp(h->spi_i, rx_msg.hdr.spi_i, 8))
		return;		/* late: a slot given up on */
	switch (h->state) {
	case HS_INIT:
		if (rx_msg.hdr.exchange == IKEV2_EXCH_IKE_SA_INIT &&
		    rx_msg.hdr.msgid == 0)
			on_init(h, &rx_msg);
		return;
	case HS_AUTH:
	case HS_DELETE:
		if (memcmp(h->spi_r, rx_msg.hdr.spi_r, 8) ||
		    rx_msg.hdr.msgid != (h->state == HS_AUTH ? 1u : 2u))
			return;
		keys_of(h, false, &k);
		if (msg_sk_decrypt(&rx_msg, &k, plain, sizeof(plain),
				   &rx_inner)) {
			cnt.bad_msgs++;
			return;	/* RFC 7296 2.21: drop, wait for another */
		}
		if (h->state == HS_AUTH) {
			on_auth(h, &rx_inner);
		} else {
			cnt.deleted++;
			hs_free(h);
		}
		return;
	default:
		return;
	}
}

static void timers(uint64_t now)
{
	for (unsigned int i = 0; i < o.nslots; i++) {
		struct hs *h = &slots[i];

		if (h->state == HS_FREE || now < h->next_ms)
			continue;
		if (h->tries + 1u >= o.tries) {
			if (h->state == HS_DELETE) {
				hs_free(h);	/* the IKE SA was counted */
			} else {
				cnt.timeouts++;
				hs_fail(h);
			}
			continue;
		}
		h->tries++;
		h->next_ms = now + ((uint64_t)o.rto_ms << h->tries);
		cnt.retransmits++;
		hs_send(h);
	}
}

static void v2_start(unsigned int slot)
{
	hs_start(&slots[slot], slot);
}

static bool v2_busy(unsigned int slot)
{
	return slots[slot].state != HS_FREE;
}

static unsigned int v2_active(void)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < o.nslots; i++)
		n += slots[i].state != HS_FREE;
	return n;
}

static void v2_setup(void)
{
	algs.prf = IKEV2_PRF_HMAC_SHA2_256;
	algs.encr = enc_id();
	algs.encr_bits = 128;
	algs.integ = o.gcm ? IKEV2_INTEG_NONE : IKEV2_INTEG_HMAC_SHA2_256_128;
	our_dh = crypto_dh_new(o.group);
	if (!our_dh ||
	    crypto_dh_public(our_dh, our_pub, crypto_dh_pub_len(o.group)))
		die("no DH key pair");
	/* ID' (RFC 7296 2.15): ID Type, three reserved bytes, the data. */
	memset(id_body, 0, 4);
	id_body[0] = IKEV2_ID_KEY_ID;
	id_body_len = 4 + strlen(o.id);
	memcpy(id_body + 4, o.id, strlen(o.id));
	slots = calloc(o.nslots, sizeof(*slots));
	if (!slots)
		die("out of memory");
	for (unsigned int i = 0; i < o.nslots; i++) {
		if (crypto_encr_lookup(algs.encr, 128, &slots[i].encr))
			die("cipher not supported");
	}
}

static void v2_cleanup(void)
{
	for (unsigned int i = 0; i < o.nslots; i++)
		keymat_v2_ike_free(&slots[i].km);
	free(slots);
	crypto_dh_free(our_dh);
}

const struct load_ops load_v2 = {
	.setup = v2_setup,
	.start = v2_start,
	.busy = v2_busy,
	.active = v2_active,
	.input = on_datagram,
	.timers = timers,
	.cleanup = v2_cleanup,
};
