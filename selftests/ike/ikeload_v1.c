// SPDX-License-Identifier: GPL-2.0
/*
 * ikeload's IKEv1 engine (--ikev1): Main Mode with a pre-shared key, then
 * Quick Mode without PFS, then DELETE (RFC 2409 5.4, 5.5, 5.7):
 *
 *	MM1  HDR, SA, VID(RFC 3947)	  ->	AES-CBC-256, SHA2-256, PSK,
 *	MM2  HDR, SA, VID		  <-	group 14 or 19
 *	MM3  HDR, KE, Ni, NAT-D, NAT-D	  ->
 *	MM4  HDR, KE, Nr, NAT-D, NAT-D	  <-
 *	MM5  HDR*, IDii, HASH_I		  ->	no INITIAL-CONTACT
 *	MM6  HDR*, IDir, HASH_R		  <-	checked
 *	QM1  HDR*, HASH(1), SA, Ni, IDci, IDcr	->  ESP AES-CBC-128 +
 *	QM2  HDR*, HASH(2), SA, Nr [, IDs]	<-  HMAC-SHA2-256-128
 *	QM3  HDR*, HASH(3)		  ->	one handshake completed
 *	     ... --linger ms ...
 *	     HDR*, HASH(1), D(ESP, our SPI)	->  two Informational
 *	     HDR*, HASH(1), D(ISAKMP, cookies)	->  messages
 *
 * A handshake counts once QM2 has verified (its HASH(2), the transform we
 * offered) and QM3 is sent.  Without INITIAL-CONTACT a responder keeps
 * what it has of other ISAKMP SAs; NAT-D goes only to a responder that
 * answered the NAT-T Vendor ID, and a NAT it reports floats us to port
 * 4500 from MM5 on (RFC 3947 4), which is what charon with
 * kernel-libipsec does.
 *
 * Each slot is its own peer: slot i always sends from --bind + i.  An
 * IKEv1 site-to-site peer has one ISAKMP SA with a responder at a time (a
 * new phase 1 from the same peer is a rekey that takes over its IPsec
 * SAs), so the load is many peers with one handshake each under way, as a
 * concentrator with crypto map peers sees it, not many ISAKMP SAs from
 * one address.  The responder needs a crypto map entry per address.
 *
 * Nothing answers QM3 or a DELETE.  Sent back to back, they reach a
 * multi-threaded responder together, and charon's worker threads often
 * take the ISAKMP SA's DELETE first: it never installs the IPsec SA and
 * drops QM3, a cheaper handshake than the one we counted.  So a peer
 * lingers --linger ms after QM3 before its DELETEs, no longer counted as
 * a handshake in flight (the driver starts another peer meanwhile), and
 * is free again once they are sent.
 *
 * As in the IKEv2 engine, every handshake uses the same initiator DH key
 * pair (a bench shortcut, see ikeload_v2.c) and ikehelper's codec and key
 * derivation: ikev1/payload.c, xform.c, crypt.c, keymat_v1.c.
 */
#include <arpa/inet.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "crypto.h"
#include "ikeload.h"
#include "ikev1/crypt.h"
#include "ikev1/payload.h"
#include "ikev1/rules.h"
#include "ikev1/vid.h"
#include "ikev1/xform.h"
#include "keymat_v1.h"
#include "msg.h"
#include "names.h"
#include "secbuf.h"

#define NONCE_LEN	32
#define REQ_MAX		2048	/* MM3 with MODP-2048's KE: the longest */
#define PRF		IKEV2_PRF_HMAC_SHA2_256
#define HASH_LEN	32	/* its output */
#define P1_KEY_BYTES	32	/* AES-256 */

enum v1_state { V1_FREE, V1_MM1, V1_MM3, V1_MM5, V1_QM1, V1_LINGER };

/* One handshake in flight; the state names our last request. */
struct v1hs {
	uint8_t state;
	uint8_t tries;
	bool peer_natt;			/* it answered the NAT-T VID */
	bool natt;			/* floated: port 4500, marker */
	uint8_t cky_i[8], cky_r[8];
	uint8_t ni[NONCE_LEN];		/* phase 1, then Quick Mode */
	uint8_t nr[V1PL_NONCE_MAX];	/* the same, the responder's */
	size_t nr_len;
	uint8_t gxr[CRYPTO_DH_PUB_MAX];
	size_t gxr_len;
	uint32_t msgid;			/* Quick Mode's */
	uint8_t spi[4];			/* our inbound ESP SPI */
	struct keymat_v1 km;
	struct v1crypt_key key;
	struct v1crypt_iv iv;		/* phase 1 */
	struct v1crypt_iv qiv;		/* Quick Mode */
	uint8_t req[REQ_MAX];		/* what a retransmit sends */
	size_t req_len;
	uint64_t next_ms;
};

static struct v1hs *slots;
static unsigned int n_active;		/* slots from MM1 to QM1 */
static struct crypto_dh *our_dh;	/* shared: see the top */
static uint8_t our_pub[CRYPTO_DH_PUB_MAX];
static size_t pub_len;
static struct v1xf_ike p1_xf;
/* SAi_b: our MM1 SA payload's body, the same for every handshake. */
static uint8_t sai_b[512];
static size_t sai_len;
/* IDci, IDcr: lib.sh's networks, 10.1.0.0/24 ours, 10.2.0.0/24 theirs. */
static struct v1pl_id qm_id[2];
static uint8_t qm_id_buf[2][32];

/* Scratch: the decrypted body of the message in hand. */
static uint8_t plain[MSG_MAX_LEN];
static struct msg rx_msg, rx_inner;
static struct v1pl_sa sa_scratch;

/* ---- sending ---------------------------------------------------------- */

static void hs_send(struct v1hs *h, unsigned int slot)
{
	load_send(slot, h->natt, h->req, h->req_len);
}

static void hs_arm(struct v1hs *h)
{
	h->tries = 0;
	h->next_ms = now_ms() + o.rto_ms;
}

static void hs_free(struct v1hs *h)
{
	if (h->state != V1_FREE && h->state != V1_LINGER)
		n_active--;
	keymat_v1_free(&h->km);
	v1crypt_key_free(&h->key);
	secbuf_wipe(&h->iv, sizeof(h->iv));
	secbuf_wipe(&h->qiv, sizeof(h->qiv));
	h->state = V1_FREE;
}

static void hs_fail(struct v1hs *h)
{
	cnt.failed++;
	hs_free(h);
}

static void hs_hdr(const struct v1hs *h, struct msg_hdr *hdr, uint8_t exch,
		   uint8_t flags, uint32_t msgid)
{
	memset(hdr, 0, sizeof(*hdr));
	memcpy(hdr->spi_i, h->cky_i, 8);
	memcpy(hdr->spi_r, h->cky_r, 8);
	hdr->major = 1;
	hdr->exchange = exch;
	hdr->flags = flags;
	hdr->msgid = msgid;
}

/* The SA payload of MM1, or of QM1 with esp and our SPI. */
static void make_offer(struct v1pl_sa *sa, const struct v1xf_esp *esp,
		       const uint8_t spi[4])
{
	struct v1pl_proposal *p = &sa->prop[0];

	memset(sa, 0, sizeof(*sa));
	sa->doi = IKEV1_DOI_IPSEC;
	sa->situation = IKEV1_SIT_IDENTITY_ONLY;
	sa->n_prop = 1;
	sa->n_xf = 1;
	p->num = 1;
	p->n_xf = 1;
	if (esp) {
		p->proto = IKEV1_PROTO_IPSEC_ESP;
		p->spi_size = 4;
		memcpy(p->spi, spi, 4);
		if (!v1xf_esp_encode(esp, 1, &sa->xf[0]))
			die("cannot encode the ESP transform");
	} else {
		p->proto = IKEV1_PROTO_ISAKMP;
		if (!v1xf_ike_encode(&p1_xf, 1, &sa->xf[0]))
			die("cannot encode the phase 1 transform");
	}
}

static void add_vid(struct msg_builder *b, enum v1vid vid)
{
	const struct v1vid_info *i = v1vid_get(vid);
	struct v1pl_data d = { .data = i->data, .len = i->len };

	v1pl_add_data(b, IKEV1_PL_VID, &d);
}

static int hs_finish(struct v1hs *h, struct msg_builder *b)
{
	return msg_build_finish(b, &h->req_len) ? -1 : 0;
}

/* Seal what b holds with iv (confirmed: we sent it) into h->req. */
static int hs_seal(struct v1hs *h, struct v1crypt_iv *iv,
		   struct msg_builder *b)
{
	if (v1crypt_encrypt(&h->key, iv, b, &h->req_len))
		return -1;
	v1crypt_iv_confirm(iv);
	return 0;
}

/* NAT-D of (addr, port) for h: HASH(CKY-I | CKY-R | IP | port). */
static int natd_of(const struct v1hs *h, const struct sockaddr_in *sin,
		   uint8_t out[HASH_LEN])
{
	return keymat_v1_natd(PRF, h->cky_i, h->cky_r,
			      (const uint8_t *)&sin->sin_addr, 4,
			      ntohs(sin->sin_port), out);
}

static void hs_start(struct v1hs *h, unsigned int slot)
{
	struct msg_builder b;
	struct msg_hdr hdr;

	/* CKY-I: 4 random bytes, then the slot (a response finds it). */
	memset(h, 0, offsetof(struct v1hs, req));
	if (crypto_random(h->cky_i, 4) || crypto_random(h->ni, NONCE_LEN))
		die("no random bytes");
	msg_set32(h->cky_i + 4, slot);
	make_offer(&sa_scratch, NULL, NULL);
	hs_hdr(h, &hdr, IKEV1_EXCH_MAIN, 0, 0);
	msg_build_init(&b, h->req, sizeof(h->req), &hdr);
	v1pl_add_sa(&b, &sa_scratch);
	add_vid(&b, V1VID_NATT_RFC3947);
	if (hs_finish(h, &b))
		die("cannot build MM1");
	h->state = V1_MM1;
	n_active++;
	cnt.started++;
	hs_arm(h);
	hs_send(h, slot);
}

/* ---- phase 1 ---------------------------------------------------------- */

/* The answer is one proposal with the one transform we offered. */
static bool p1_answer_ok(const struct v1pl_sa *ans)
{
	const struct v1pl_proposal *p = &ans->prop[0];
	struct v1xf_ike x;

	return ans->n_prop == 1 && p->n_xf == 1 &&
	       p->proto == IKEV1_PROTO_ISAKMP &&
	       !v1xf_ike_decode(&ans->xf[p->first_xf], &x) &&
	       x.encr == p1_xf.encr && x.encr_bits == p1_xf.encr_bits &&
	       x.hash == p1_xf.hash && x.auth == p1_xf.auth &&
	       x.group == p1_xf.group;
}

/* MM2: the responder's cookie and choice; send MM3. */
static void on_mm2(struct v1hs *h, unsigned int slot, const struct msg *m)
{
	uint8_t natd[2][HASH_LEN];
	struct v1pl_data ke = { .data = our_pub, .len = pub_len };
	struct v1pl_data nonce = { .data = h->ni, .len = NONCE_LEN };
	struct v1pl_data d = { .len = HASH_LEN };
	struct msg_builder b;
	struct msg_hdr hdr;

	if (v1rules_check(IKEV1_EXCH_MAIN, 2, false, m) ||
	    v1pl_sa_parse(msg_find(m, IKEV1_PL_SA, 0), &sa_scratch) ||
	    !p1_answer_ok(&sa_scratch) ||
	    !memcmp(m->hdr.spi_r, "\0\0\0\0\0\0\0\0", 8)) {
		cnt.bad_msgs++;
		hs_fail(h);
		return;
	}
	memcpy(h->cky_r, m->hdr.spi_r, 8);
	for (unsigned int i = 0; i < m->n; i++) {
		struct v1pl_data v;

		if (m->pl[i].type == IKEV1_PL_VID &&
		    !v1pl_vid_parse(&m->pl[i], &v) &&
		    v1vid_lookup(v.data, v.len) == V1VID_NATT_RFC3947)
			h->peer_natt = true;
	}
	hs_hdr(h, &hdr, IKEV1_EXCH_MAIN, 0, 0);
	msg_build_init(&b, h->req, sizeof(h->req), &hdr);
	v1pl_add_data(&b, IKEV1_PL_KE, &ke);
	v1pl_add_data(&b, IKEV1_PL_NONCE, &nonce);
	if (h->peer_natt) {
		/* RFC 3947 3.2: the peer's address first, then ours. */
		if (natd_of(h, &o.target, natd[0]) ||
		    natd_of(h, &sock_addr[slot], natd[1])) {
			hs_fail(h);
			return;
		}
		d.data = natd[0];
		v1pl_add_data(&b, IKEV1_PL_NAT_D, &d);
		d.data = natd[1];
		v1pl_add_data(&b, IKEV1_PL_NAT_D, &d);
	}
	if (hs_finish(h, &b)) {
		hs_fail(h);
		return;
	}
	h->state = V1_MM3;
	hs_arm(h);
	hs_send(h, slot);
}

/*
 * The responder's NAT-D: the first is what it sees of us, the others
 * what it is.  Either one off: a NAT between us (or a responder that
 * claims one to get ESP in UDP), and we float.
 */
static bool nat_seen(const struct v1hs *h, unsigned int slot,
		     const struct msg *m)
{
	uint8_t me[HASH_LEN], it[HASH_LEN];
	bool first = true, any = false, me_ok = false, it_ok = false;

	if (natd_of(h, &sock_addr[slot], me) || natd_of(h, &o.target, it))
		return false;
	for (unsigned int i = 0; i < m->n; i++) {
		struct v1pl_data d;

		if (m->pl[i].type != IKEV1_PL_NAT_D ||
		    v1pl_natd_parse(&m->pl[i], &d))
			continue;
		any = true;
		if (first)
			me_ok = d.len == HASH_LEN &&
				!memcmp(d.data, me, HASH_LEN);
		else
			it_ok |= d.len == HASH_LEN &&
				 !memcmp(d.data, it, HASH_LEN);
		first = false;
	}
	return any && !(me_ok && it_ok);
}

/* Our phase 1 ID: the address we send from (as IOS has it). */
static void our_id(unsigned int slot, struct v1pl_id *id, uint8_t body[8])
{
	memset(id, 0, sizeof(*id));
	id->type = IKEV1_ID_IPV4_ADDR;
	id->data = (const uint8_t *)&sock_addr[slot].sin_addr;
	id->len = 4;
	/* IDii_b: type, protocol, port, the address. */
	body[0] = IKEV1_ID_IPV4_ADDR;
	body[1] = 0;
	msg_set16(body + 2, 0);
	memcpy(body + 4, id->data, 4);
}

static int p1_hash(const struct v1hs *h, bool responder, const uint8_t *id_b,
		   size_t id_len, uint8_t out[HASH_LEN])
{
	struct keymat_v1_p1 p1 = {
		.gxi = our_pub, .gxi_len = pub_len,
		.gxr = h->gxr, .gxr_len = h->gxr_len,
		.sai_b = sai_b, .sai_len = sai_len,
	};

	memcpy(p1.cky_i, h->cky_i, 8);
	memcpy(p1.cky_r, h->cky_r, 8);
	return keymat_v1_hash_p1(PRF, h->km.skeyid, &p1, responder, id_b,
				 id_len, out);
}

/* SKEYID and its keys, the phase 1 cipher and IV (RFC 2409 5, App. B). */
static int p1_keys(struct v1hs *h, const struct v1pl_data *nr)
{
	struct secbuf *gxy = NULL, *skeyid = NULL, *enc = NULL;
	int err;

	err = crypto_dh_derive(our_dh, h->gxr, h->gxr_len, &gxy);
	if (!err)
		err = keymat_v1_skeyid_psk(PRF, (const uint8_t *)o.psk,
					   strlen(o.psk), h->ni, NONCE_LEN,
					   nr->data, nr->len, &skeyid);
	if (!err)
		err = keymat_v1_derive(PRF, skeyid, gxy, h->cky_i, h->cky_r,
				       &h->km);
	if (!err)
		err = keymat_v1_enc_key(PRF, h->km.skeyid_e, P1_KEY_BYTES,
					&enc);
	if (!err)
		err = v1crypt_key_init(&h->key, p1_xf.encr, p1_xf.encr_bits,
				       PRF, enc);
	if (!err)
		err = v1crypt_iv_phase1(&h->iv, &h->key, our_pub, pub_len,
					h->gxr, h->gxr_len);
	secbuf_free(gxy);
	secbuf_free(skeyid);
	secbuf_free(enc);
	return err;
}

/* MM4: the keys; send MM5. */
static void on_mm4(struct v1hs *h, unsigned int slot, const struct msg *m)
{
	uint8_t idb[8], hash[HASH_LEN];
	struct v1pl_data ke, nr, hd = { .data = hash, .len = HASH_LEN };
	struct msg_builder b;
	struct msg_hdr hdr;
	struct v1pl_id id;

	if (v1rules_check(IKEV1_EXCH_MAIN, 4, false, m) ||
	    v1pl_ke_parse(msg_find(m, IKEV1_PL_KE, 0), &ke) ||
	    ke.len != pub_len ||
	    v1pl_nonce_parse(msg_find(m, IKEV1_PL_NONCE, 0), &nr)) {
		cnt.bad_msgs++;
		hs_fail(h);
		return;
	}
	memcpy(h->gxr, ke.data, ke.len);
	h->gxr_len = ke.len;
	if (h->peer_natt && nat_seen(h, slot, m)) {
		h->natt = true;
		cnt.natt++;
	}
	our_id(slot, &id, idb);
	if (p1_keys(h, &nr) || p1_hash(h, false, idb, sizeof(idb), hash)) {
		cnt.bad_msgs++;
		hs_fail(h);
		return;
	}
	hs_hdr(h, &hdr, IKEV1_EXCH_MAIN, IKEV1_FLAG_ENCRYPTION, 0);
	msg_build_init(&b, h->req, sizeof(h->req), &hdr);
	v1pl_add_id(&b, &id);
	v1pl_add_data(&b, IKEV1_PL_HASH, &hd);
	if (hs_seal(h, &h->iv, &b)) {
		hs_fail(h);
		return;
	}
	h->state = V1_MM5;
	hs_arm(h);
	hs_send(h, slot);
}

/* ---- Quick Mode --------------------------------------------------------- */

static void qm_esp(const struct v1hs *h, struct v1xf_esp *x)
{
	memset(x, 0, sizeof(*x));
	x->encr = IKEV2_ENCR_AES_CBC;
	x->encr_bits = 128;
	x->integ = IKEV2_INTEG_HMAC_SHA2_256_128;
	/* Across a NAT, ESP in UDP (RFC 3947 5.1). */
	x->encap = h->natt ? IKEV1_ENCAP_UDP_TUNNEL : IKEV1_ENCAP_TUNNEL;
	x->life_secs = 3600;	/* IOS's default: no RESPONDER-LIFETIME */
}

/*
 * HASH(1) of the message b holds, whose first payload is a HASH of
 * HASH_LEN bytes: prf(SKEYID_a, M-ID | what follows it).
 */
static void fill_hash1(const struct v1hs *h, struct msg_builder *b,
		       uint32_t msgid)
{
	size_t off = MSG_HDR_LEN + MSG_GENERIC_LEN + HASH_LEN;

	if (!b->err && b->len >= off &&
	    keymat_v1_hash1(PRF, h->km.skeyid_a, msgid, b->buf + off,
			    b->len - off,
			    b->buf + MSG_HDR_LEN + MSG_GENERIC_LEN))
		msg_build_fail(b, MSG_E_CRYPTO);
}

static uint32_t new_msgid(void)
{
	uint32_t id = 0;

	while (!id)
		if (crypto_random(&id, sizeof(id)))
			die("no random bytes");
	return id;
}

/* MM6: the responder's HASH_R over its ID; send QM1. */
static void on_mm6(struct v1hs *h, unsigned int slot, const struct msg *m)
{
	static const uint8_t zero[HASH_LEN];
	struct v1pl_data room = { .data = zero, .len = HASH_LEN };
	struct v1pl_data nonce = { .data = h->ni, .len = NONCE_LEN };
	struct v1crypt_iv iv = h->iv;
	uint8_t want[HASH_LEN];
	struct v1xf_esp esp;
	struct msg_builder b;
	struct msg_hdr hdr;
	struct v1pl_data hd;
	struct v1pl_id id;
	size_t pad;

	if (!m->v1_encrypted ||
	    v1crypt_decrypt(&h->key, &iv, m, plain, sizeof(plain), &rx_inner,
			    &pad)) {
		/* Not ours to read (a stray): wait for the real one. */
		cnt.bad_msgs++;
		return;
	}
	if (v1rules_check(IKEV1_EXCH_MAIN, 6, true, &rx_inner) ||
	    v1pl_id_parse(msg_find(&rx_inner, IKEV1_PL_ID, 0), &id) ||
	    v1pl_hash_parse(msg_find(&rx_inner, IKEV1_PL_HASH, 0), &hd) ||
	    p1_hash(h, true, id.body, id.body_len, want) ||
	    keymat_v1_hash_equal(PRF, want, hd.data, hd.len) ||
	    id.type != IKEV1_ID_IPV4_ADDR || id.len != 4 ||
	    memcmp(id.data, &o.target.sin_addr, 4)) {
		cnt.auth_failed++;
		hs_fail(h);
		return;
	}
	h->iv = iv;
	v1crypt_iv_confirm(&h->iv);
	/* Quick Mode: a Message ID and its IV, a nonce, our SPI. */
	h->msgid = new_msgid();
	if (v1crypt_iv_phase2(&h->qiv, &h->key, &h->iv, h->msgid) ||
	    crypto_random(h->ni, NONCE_LEN) || crypto_random(h->spi, 4))
		die("cannot start Quick Mode");
	h->spi[0] |= 0x10;	/* not one of the reserved SPIs 0 .. 255 */
	qm_esp(h, &esp);
	make_offer(&sa_scratch, &esp, h->spi);
	hs_hdr(h, &hdr, IKEV1_EXCH_QUICK, IKEV1_FLAG_ENCRYPTION, h->msgid);
	msg_build_init(&b, h->req, sizeof(h->req), &hdr);
	v1pl_add_data(&b, IKEV1_PL_HASH, &room);
	v1pl_add_sa(&b, &sa_scratch);
	v1pl_add_data(&b, IKEV1_PL_NONCE, &nonce);
	v1pl_add_id(&b, &qm_id[0]);
	v1pl_add_id(&b, &qm_id[1]);
	fill_hash1(h, &b, h->msgid);
	if (hs_seal(h, &h->qiv, &b)) {
		hs_fail(h);
		return;
	}
	h->state = V1_QM1;
	hs_arm(h);
	hs_send(h, slot);
}

/* The answer: the transform we offered, with the responder's SPI. */
static bool qm_answer_ok(const struct v1hs *h, const struct v1pl_sa *ans)
{
	const struct v1pl_proposal *p = &ans->prop[0];
	struct v1xf_esp x, want;

	qm_esp(h, &want);
	return ans->n_prop == 1 && p->n_xf == 1 &&
	       p->proto == IKEV1_PROTO_IPSEC_ESP && p->spi_size == 4 &&
	       !v1xf_esp_decode(&ans->xf[p->first_xf], &x) &&
	       x.encr == want.encr && x.encr_bits == want.encr_bits &&
	       x.integ == want.integ && !x.group &&
	       (!x.encap || x.encap == want.encap);
}

/* The IDs of QM2, if any, are the two we sent. */
static bool qm_ids_ok(const struct msg *m)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < m->n && n < 2; i++) {
		struct v1pl_id id;

		if (m->pl[i].type != IKEV1_PL_ID)
			continue;
		if (v1pl_id_parse(&m->pl[i], &id) ||
		    id.type != qm_id[n].type || id.proto || id.port ||
		    id.len != qm_id[n].len ||
		    memcmp(id.data, qm_id[n].data, id.len))
			return false;
		n++;
	}
	return n == 0 || n == 2;
}

/* One Informational with payload d after its HASH(1), sent at once. */
static void send_delete(struct v1hs *h, unsigned int slot,
			const struct v1pl_delete *d)
{
	static const uint8_t zero[HASH_LEN];
	struct v1pl_data room = { .data = zero, .len = HASH_LEN };
	uint32_t msgid = new_msgid();
	struct v1crypt_iv iv;
	struct msg_builder b;
	struct msg_hdr hdr;

	if (v1crypt_iv_phase2(&iv, &h->key, &h->iv, msgid))
		return;
	hs_hdr(h, &hdr, IKEV1_EXCH_INFORMATIONAL, IKEV1_FLAG_ENCRYPTION, msgid);
	msg_build_init(&b, h->req, sizeof(h->req), &hdr);
	v1pl_add_data(&b, IKEV1_PL_HASH, &room);
	v1pl_add_delete(&b, d);
	fill_hash1(h, &b, msgid);
	if (!hs_seal(h, &iv, &b))
		hs_send(h, slot);
}

/* Our inbound IPsec SA (the SPI we chose), then the ISAKMP SA. */
static void send_deletes(struct v1hs *h, unsigned int slot)
{
	struct v1pl_delete d = { .doi = IKEV1_DOI_IPSEC, .n_spi = 1 };
	uint8_t cookies[16];

	d.proto = IKEV1_PROTO_IPSEC_ESP;
	d.spi_size = 4;
	d.spis = h->spi;
	send_delete(h, slot, &d);
	memcpy(cookies, h->cky_i, 8);
	memcpy(cookies + 8, h->cky_r, 8);
	d.proto = IKEV1_PROTO_ISAKMP;
	d.spi_size = 16;
	d.spis = cookies;
	send_delete(h, slot, &d);
	cnt.deleted++;
	hs_free(h);
}

/* QM2: HASH(2) and the answer; send QM3, then linger. */
static void on_qm2(struct v1hs *h, unsigned int slot, const struct msg *m)
{
	struct v1crypt_iv iv = h->qiv;
	uint8_t want[HASH_LEN];
	struct v1pl_data hd, nr, h3 = { .data = want, .len = HASH_LEN };
	struct msg_builder b;
	struct msg_hdr hdr;
	const uint8_t *rest;
	size_t pad, rest_len;

	if (!m->v1_encrypted ||
	    v1crypt_decrypt(&h->key, &iv, m, plain, sizeof(plain), &rx_inner,
			    &pad) ||
	    v1rules_check(IKEV1_EXCH_QUICK, 2, true, &rx_inner) ||
	    v1pl_hash_parse(&rx_inner.pl[0], &hd)) {
		cnt.bad_msgs++;
		return;		/* RFC 2409 5.5: not authentic, wait */
	}
	v1pl_after(&rx_inner, &rx_inner.pl[0], &rest, &rest_len);
	if (keymat_v1_hash2(PRF, h->km.skeyid_a, h->msgid, h->ni, NONCE_LEN,
			    rest, rest_len, want) ||
	    keymat_v1_hash_equal(PRF, want, hd.data, hd.len)) {
		cnt.bad_msgs++;
		return;
	}
	h->qiv = iv;
	v1crypt_iv_confirm(&h->qiv);
	if (v1pl_sa_parse(msg_find(&rx_inner, IKEV1_PL_SA, 0), &sa_scratch) ||
	    !qm_answer_ok(h, &sa_scratch) || !qm_ids_ok(&rx_inner) ||
	    v1pl_nonce_parse(msg_find(&rx_inner, IKEV1_PL_NONCE, 0), &nr)) {
		cnt.no_child++;
		hs_fail(h);
		return;
	}
	if (keymat_v1_hash3(PRF, h->km.skeyid_a, h->msgid, h->ni, NONCE_LEN,
			    nr.data, nr.len, want)) {
		hs_fail(h);
		return;
	}
	hs_hdr(h, &hdr, IKEV1_EXCH_QUICK, IKEV1_FLAG_ENCRYPTION, h->msgid);
	msg_build_init(&b, h->req, sizeof(h->req), &hdr);
	v1pl_add_data(&b, IKEV1_PL_HASH, &h3);
	if (hs_seal(h, &h->qiv, &b)) {
		hs_fail(h);
		return;
	}
	hs_send(h, slot);
	cnt.completed++;
	/* No longer active: the next handshake may start elsewhere. */
	n_active--;
	h->state = V1_LINGER;
	h->next_ms = now_ms() + o.linger_ms;
}

/* ---- receiving -------------------------------------------------------- */

/* An error notify (type < 16384) or a DELETE among m's payloads. */
static bool refusal(const struct msg *m)
{
	for (unsigned int i = 0; i < m->n; i++) {
		struct v1pl_notify n;

		if (m->pl[i].type == IKEV1_PL_D)
			return true;
		if (m->pl[i].type == IKEV1_PL_N &&
		    !v1pl_notify_parse(&m->pl[i], &n) && n.type < 16384)
			return true;
	}
	return false;
}

/*
 * An Informational from the responder about h: in the clear before the
 * keys (NO-PROPOSAL-CHOSEN to MM1, ...), else protected by its HASH(1).
 * A refusal or a DELETE fails the handshake.
 */
static void on_info(struct v1hs *h, const struct msg *m)
{
	const struct msg *body = m;
	struct v1crypt_iv iv;
	uint8_t want[HASH_LEN];
	struct v1pl_data hd;
	const uint8_t *rest;
	size_t pad, rest_len;

	if (m->v1_encrypted) {
		if (h->state < V1_QM1 ||
		    v1crypt_iv_phase2(&iv, &h->key, &h->iv, m->hdr.msgid) ||
		    v1crypt_decrypt(&h->key, &iv, m, plain, sizeof(plain),
				    &rx_inner, &pad) ||
		    v1rules_check(IKEV1_EXCH_INFORMATIONAL, 1, true,
				  &rx_inner) ||
		    v1pl_hash_parse(&rx_inner.pl[0], &hd)) {
			cnt.bad_msgs++;
			return;
		}
		v1pl_after(&rx_inner, &rx_inner.pl[0], &rest, &rest_len);
		if (keymat_v1_hash1(PRF, h->km.skeyid_a, m->hdr.msgid, rest,
				    rest_len, want) ||
		    keymat_v1_hash_equal(PRF, want, hd.data, hd.len)) {
			cnt.bad_msgs++;
			return;
		}
		body = &rx_inner;
	} else if (h->state > V1_MM3) {
		/* Unprotected once we have keys: anyone could send it. */
		cnt.bad_msgs++;
		return;
	}
	if (!refusal(body))
		return;
	cnt.refused++;
	if (h->state == V1_QM1)
		cnt.no_child++;
	hs_fail(h);
}

static void v1_input(const uint8_t *buf, size_t len)
{
	const struct msg *m = &rx_msg;
	unsigned int slot;
	struct v1hs *h;

	if (msg_validate(buf, len, &rx_msg) || m->hdr.major != 1) {
		cnt.bad_msgs++;
		return;
	}
	slot = msg_get32(m->hdr.spi_i + 4);
	if (slot >= o.nslots)
		return;
	h = &slots[slot];
	if (h->state == V1_FREE || memcmp(h->cky_i, m->hdr.spi_i, 8))
		return;		/* late: a slot given up on */
	if (h->state != V1_MM1 && memcmp(h->cky_r, m->hdr.spi_r, 8))
		return;
	if (h->state == V1_LINGER)
		return;		/* counted: nothing can undo it now */
	if (m->hdr.exchange == IKEV1_EXCH_INFORMATIONAL) {
		on_info(h, m);
		return;
	}
	switch (h->state) {
	case V1_MM1:
		if (m->hdr.exchange == IKEV1_EXCH_MAIN && !m->hdr.msgid &&
		    !m->v1_encrypted)
			on_mm2(h, slot, m);
		return;
	case V1_MM3:
		/* A resent MM2 has an SA payload: not this step's. */
		if (m->hdr.exchange == IKEV1_EXCH_MAIN && !m->hdr.msgid &&
		    !m->v1_encrypted && !msg_find(m, IKEV1_PL_SA, 0))
			on_mm4(h, slot, m);
		return;
	case V1_MM5:
		if (m->hdr.exchange == IKEV1_EXCH_MAIN && !m->hdr.msgid &&
		    m->v1_encrypted)
			on_mm6(h, slot, m);
		return;
	case V1_QM1:
		if (m->hdr.exchange == IKEV1_EXCH_QUICK &&
		    m->hdr.msgid == h->msgid && m->v1_encrypted)
			on_qm2(h, slot, m);
		return;
	default:
		return;
	}
}

static void v1_timers(uint64_t now)
{
	for (unsigned int i = 0; i < o.nslots; i++) {
		struct v1hs *h = &slots[i];

		if (h->state == V1_FREE || now < h->next_ms)
			continue;
		if (h->state == V1_LINGER) {
			send_deletes(h, i);
			continue;
		}
		if (h->tries + 1u >= o.tries) {
			cnt.timeouts++;
			hs_fail(h);
			continue;
		}
		h->tries++;
		h->next_ms = now + ((uint64_t)o.rto_ms << h->tries);
		cnt.retransmits++;
		hs_send(h, i);
	}
}

/* ---- setup -------------------------------------------------------------- */

static void v1_start(unsigned int slot)
{
	hs_start(&slots[slot], slot);
}

static bool v1_busy(unsigned int slot)
{
	return slots[slot].state != V1_FREE;
}

static unsigned int v1_active(void)
{
	return n_active;
}

static void v1_setup(void)
{
	static const uint8_t nets[2][2][4] = {
		{ { 10, 1, 0, 0 }, { 10, 1, 0, 255 } },
		{ { 10, 2, 0, 0 }, { 10, 2, 0, 255 } },
	};
	uint8_t buf[sizeof(sai_b) + 64];
	struct msg_builder b;
	size_t len;

	p1_xf.encr = IKEV2_ENCR_AES_CBC;
	p1_xf.encr_bits = 256;
	p1_xf.hash = IKEV1_HASH_SHA2_256;
	p1_xf.prf = PRF;
	p1_xf.auth = IKEV1_AUTH_PSK;
	p1_xf.group = (uint16_t)o.group;
	p1_xf.life_secs = 86400;
	our_dh = crypto_dh_new(o.group);
	pub_len = crypto_dh_pub_len(o.group);
	if (!our_dh || crypto_dh_public(our_dh, our_pub, pub_len))
		die("no DH key pair");
	/* SAi_b, which HASH_I and HASH_R cover, once for all. */
	make_offer(&sa_scratch, NULL, NULL);
	msg_build_chain(&b, buf, sizeof(buf));
	v1pl_add_sa(&b, &sa_scratch);
	if (msg_build_finish(&b, &len) || len - MSG_GENERIC_LEN > sizeof(sai_b))
		die("cannot build the SA payload");
	sai_len = len - MSG_GENERIC_LEN;
	memcpy(sai_b, buf + MSG_GENERIC_LEN, sai_len);
	for (int i = 0; i < 2; i++) {
		if (v1pl_id_from_range(&qm_id[i], qm_id_buf[i], AF_INET,
				       nets[i][0], nets[i][1], 0, 0))
			die("cannot make the Quick Mode IDs");
	}
	slots = calloc(o.nslots, sizeof(*slots));
	if (!slots)
		die("out of memory");
}

static void v1_cleanup(void)
{
	for (unsigned int i = 0; i < o.nslots; i++)
		hs_free(&slots[i]);
	free(slots);
	crypto_dh_free(our_dh);
}

const struct load_ops load_v1 = {
	.setup = v1_setup,
	.start = v1_start,
	.busy = v1_busy,
	.active = v1_active,
	.input = v1_input,
	.timers = v1_timers,
	.cleanup = v1_cleanup,
};
