// SPDX-License-Identifier: GPL-2.0
/*
 * IKE header, payload chain validation, the SK payload and the message
 * builder.  Nothing here trusts a length from the wire: every read is
 * preceded by a check against what is left of the buffer.
 */
#include <errno.h>
#include <string.h>

#include "msg.h"

#define MSG_ERR_STR(id, str) [id] = str,
static const char *const msg_errstr[MSG_ERR_COUNT] = {
	MSG_ERRORS(MSG_ERR_STR)
};
#undef MSG_ERR_STR

const char *msg_strerror(enum msg_err err)
{
	if ((unsigned int)err >= MSG_ERR_COUNT)
		return "unknown error";
	return msg_errstr[err];
}

uint16_t msg_err_notify(enum msg_err err)
{
	switch (err) {
	case MSG_OK:
	case MSG_E_SHORT:	/* no header: nobody to answer */
	case MSG_E_INTEGRITY:	/* RFC 7296 2.21.2: discard silently */
	case MSG_E_NOSPACE:
	case MSG_E_INVALID:
	case MSG_E_CRYPTO:
		return 0;
	case MSG_E_MAJOR:
		return IKEV2_N_INVALID_MAJOR_VERSION;
	case MSG_E_CRITICAL:
		return IKEV2_N_UNSUPPORTED_CRITICAL_PAYLOAD;
	default:
		return IKEV2_N_INVALID_SYNTAX;
	}
}

enum msg_err msg_hdr_parse(const uint8_t *buf, size_t len, struct msg_hdr *h)
{
	if (len < MSG_HDR_LEN)
		return MSG_E_SHORT;
	memcpy(h->spi_i, buf, 8);
	memcpy(h->spi_r, buf + 8, 8);
	h->next = buf[16];
	h->major = buf[17] >> 4;
	h->minor = buf[17] & 0x0f;
	h->exchange = buf[18];
	h->flags = buf[19];
	h->msgid = msg_get32(buf + 20);
	h->length = msg_get32(buf + 24);
	return MSG_OK;
}

static bool v1_known(uint8_t type)
{
	return names_get(NAMES_PAYLOAD_V1, type) != NULL;
}

static bool v2_known(uint8_t type)
{
	return names_get(NAMES_PAYLOAD, type) != NULL;
}

/* The least body an IKEv2 payload can have (RFC 7296 3.3-3.16). */
static size_t v2_min_body(uint8_t type)
{
	switch (type) {
	case IKEV2_PL_SA:
		return 8;	/* one proposal header */
	case IKEV2_PL_KE:
	case IKEV2_PL_IDI:
	case IKEV2_PL_IDR:
	case IKEV2_PL_AUTH:
	case IKEV2_PL_NOTIFY:
	case IKEV2_PL_DELETE:
	case IKEV2_PL_TSI:
	case IKEV2_PL_TSR:
	case IKEV2_PL_CP:
	case IKEV2_PL_EAP:
	case IKEV2_PL_SKF:
		return 4;
	case IKEV2_PL_CERT:
	case IKEV2_PL_CERTREQ:
		return 1;	/* the encoding octet */
	default:
		return 0;
	}
}

static enum msg_err walk_chain(struct msg *m, const uint8_t *buf, size_t len,
			       size_t off, uint8_t first, uint8_t major,
			       bool inner)
{
	uint8_t type = first;

	m->raw = buf;
	m->raw_len = len;
	m->n = 0;
	m->skipped = 0;
	m->bad_type = 0;
	m->sk = -1;
	m->v1_encrypted = false;
	if (len > MSG_MAX_LEN || off > len)
		return MSG_E_LENGTH;
	while (type != 0) {
		struct msg_payload *p;
		uint16_t plen;
		uint8_t next;
		bool critical;

		if (len - off < MSG_GENERIC_LEN)
			return MSG_E_TRUNCATED;
		next = buf[off];
		critical = major == 2 && (buf[off + 1] & IKEV2_CRITICAL);
		plen = msg_get16(buf + off + 2);
		if (plen < MSG_GENERIC_LEN)
			return MSG_E_PAYLOAD_LENGTH;
		if (plen > len - off)
			return MSG_E_TRUNCATED;
		if (major == 1 ? !v1_known(type) : !v2_known(type)) {
			m->bad_type = type;
			if (major == 1)
				return MSG_E_UNKNOWN_V1;
			/* RFC 7296 2.5 */
			if (critical)
				return MSG_E_CRITICAL;
			m->skipped++;
			off += plen;
			type = next;
			continue;
		}
		if (m->n >= MSG_MAX_PAYLOADS)
			return MSG_E_TOO_MANY;
		if (major == 2 &&
		    (size_t)plen - MSG_GENERIC_LEN < v2_min_body(type))
			return MSG_E_PAYLOAD_LENGTH;
		p = &m->pl[m->n++];
		p->type = type;
		p->next = next;
		p->critical = critical;
		p->off = (uint16_t)off;
		p->len = plen - MSG_GENERIC_LEN;
		p->body = buf + off + MSG_GENERIC_LEN;
		if (major == 2 &&
		    (type == IKEV2_PL_SK || type == IKEV2_PL_SKF)) {
			if (inner)
				return MSG_E_NESTED_SK;
			/* RFC 7296 3.14: its Next Payload is the first inner one */
			if (off + plen != len)
				return MSG_E_SK_NOT_LAST;
			m->sk = (int8_t)(m->n - 1);
			return MSG_OK;
		}
		off += plen;
		type = next;
	}
	return off == len ? MSG_OK : MSG_E_TRAILING;
}

enum msg_err msg_validate(const uint8_t *buf, size_t len, struct msg *m)
{
	enum msg_err err;

	m->n = 0;
	m->sk = -1;
	m->raw = buf;
	m->raw_len = len;
	err = msg_hdr_parse(buf, len, &m->hdr);
	if (err)
		return err;
	if (m->hdr.length != len || len > MSG_MAX_LEN)
		return MSG_E_LENGTH;
	if (m->hdr.major != 1 && m->hdr.major != 2)
		return MSG_E_MAJOR;
	if (m->hdr.major == 1 && (m->hdr.flags & IKEV1_FLAG_ENCRYPTION)) {
		m->skipped = 0;
		m->v1_encrypted = true;
		return MSG_OK;
	}
	return walk_chain(m, buf, len, MSG_HDR_LEN, m->hdr.next, m->hdr.major,
			  false);
}

enum msg_err msg_validate_chain(const uint8_t *buf, size_t len,
				uint8_t first, uint8_t major, struct msg *m)
{
	return walk_chain(m, buf, len, 0, first, major, true);
}

const struct msg_payload *msg_find(const struct msg *m, uint8_t type,
				   unsigned int from)
{
	unsigned int i;

	for (i = from; i < m->n; i++)
		if (m->pl[i].type == type)
			return &m->pl[i];
	return NULL;
}

unsigned int msg_count(const struct msg *m, uint8_t type)
{
	unsigned int i, n = 0;

	for (i = 0; i < m->n; i++)
		n += m->pl[i].type == type;
	return n;
}

/* ---- SK payload -------------------------------------------------------- */

static size_t sk_icv_len(const struct msg_sk_keys *k)
{
	return k->encr->aead ? k->encr->icv_len : crypto_integ_icvlen(k->integ);
}

enum msg_err msg_sk_decrypt(const struct msg *m, const struct msg_sk_keys *k,
			    uint8_t *plain, size_t plainsz,
			    struct msg *inner)
{
	const struct crypto_encr *e = k->encr;
	const struct msg_payload *sk;
	size_t icv_len, ct_len, min_ct, pad;
	const uint8_t *iv, *ct, *icv;
	int ret;

	if (m->sk < 0)
		return MSG_E_NO_SK;
	sk = &m->pl[m->sk];
	if (sk->type == IKEV2_PL_SKF)
		return MSG_E_FRAGMENT;
	icv_len = sk_icv_len(k);
	if (!icv_len)
		return MSG_E_CRYPTO;
	/* CBC: at least one block; AEAD: at least the Pad Length octet */
	min_ct = e->aead ? 1 : e->block_len;
	if (sk->len < (size_t)e->iv_len + icv_len + min_ct)
		return MSG_E_SK_LENGTH;
	ct_len = sk->len - e->iv_len - icv_len;
	if (ct_len % e->block_len)
		return MSG_E_SK_LENGTH;
	if (plainsz < ct_len)
		return MSG_E_NOSPACE;
	iv = sk->body;
	ct = iv + e->iv_len;
	icv = ct + ct_len;
	if (e->aead) {
		/* RFC 5282 5.1: AAD runs from the IKE header to the IV */
		ret = crypto_decrypt(e, k->ekey, iv, m->raw,
				     (size_t)sk->off + MSG_GENERIC_LEN, ct,
				     ct_len, plain, icv);
	} else {
		/* RFC 7296 3.14: the ICV covers the message up to itself */
		struct crypto_iov iov = { m->raw, m->raw_len - icv_len };

		ret = crypto_integ_verify(k->integ, k->akey, k->akey_len, &iov,
					  1, icv);
		if (!ret)
			ret = crypto_decrypt(e, k->ekey, iv, NULL, 0, ct, ct_len,
					     plain, NULL);
	}
	if (ret == -EBADMSG)
		return MSG_E_INTEGRITY;
	if (ret)
		return MSG_E_CRYPTO;
	pad = plain[ct_len - 1];
	if (pad + 1 > ct_len)
		return MSG_E_PADDING;
	inner->hdr = m->hdr;
	return msg_validate_chain(plain, ct_len - pad - 1, sk->next, 2, inner);
}

/* ---- Builder ----------------------------------------------------------- */

void msg_build_fail(struct msg_builder *b, enum msg_err err)
{
	if (!b->err)
		b->err = err;
}

uint8_t *msg_build_reserve(struct msg_builder *b, size_t n)
{
	uint8_t *p;

	if (b->err)
		return NULL;
	if (n > b->cap - b->len || b->len + n > MSG_MAX_LEN) {
		msg_build_fail(b, MSG_E_NOSPACE);
		return NULL;
	}
	p = b->buf + b->len;
	b->len += n;
	return p;
}

void msg_build_put(struct msg_builder *b, const void *p, size_t n)
{
	uint8_t *d = msg_build_reserve(b, n);

	if (d && n)
		memcpy(d, p, n);
}

void msg_build_u8(struct msg_builder *b, uint8_t v)
{
	msg_build_put(b, &v, 1);
}

void msg_build_u16(struct msg_builder *b, uint16_t v)
{
	uint8_t *d = msg_build_reserve(b, 2);

	if (d)
		msg_set16(d, v);
}

void msg_build_u32(struct msg_builder *b, uint32_t v)
{
	uint8_t *d = msg_build_reserve(b, 4);

	if (d)
		msg_set32(d, v);
}

void msg_build_init(struct msg_builder *b, uint8_t *buf, size_t cap,
		    const struct msg_hdr *hdr)
{
	uint8_t *p;

	memset(b, 0, sizeof(*b));
	b->buf = buf;
	b->cap = cap;
	b->has_hdr = true;
	b->np = 16;
	p = msg_build_reserve(b, MSG_HDR_LEN);
	if (!p)
		return;
	memcpy(p, hdr->spi_i, 8);
	memcpy(p + 8, hdr->spi_r, 8);
	p[16] = 0;
	p[17] = (uint8_t)(hdr->major << 4 | (hdr->minor & 0x0f));
	p[18] = hdr->exchange;
	p[19] = hdr->flags;
	msg_set32(p + 20, hdr->msgid);
	msg_set32(p + 24, 0);
}

void msg_build_chain(struct msg_builder *b, uint8_t *buf, size_t cap)
{
	memset(b, 0, sizeof(*b));
	b->buf = buf;
	b->cap = cap;
	b->np = SIZE_MAX;
}

size_t msg_build_begin(struct msg_builder *b, uint8_t type, bool critical)
{
	size_t start = b->len;
	uint8_t *p = msg_build_reserve(b, MSG_GENERIC_LEN);

	if (!p)
		return start;
	if (b->np == SIZE_MAX)
		b->first = type;
	else
		b->buf[b->np] = type;
	b->np = start;
	p[0] = 0;
	p[1] = critical ? IKEV2_CRITICAL : 0;
	msg_set16(p + 2, MSG_GENERIC_LEN);
	return start;
}

void msg_build_end(struct msg_builder *b, size_t start)
{
	size_t plen;

	if (b->err)
		return;
	plen = b->len - start;
	if (plen > 0xffff || plen < MSG_GENERIC_LEN) {
		msg_build_fail(b, MSG_E_NOSPACE);
		return;
	}
	msg_set16(b->buf + start + 2, (uint16_t)plen);
}

enum msg_err msg_build_finish(struct msg_builder *b, size_t *len)
{
	*len = 0;
	if (b->err)
		return b->err;
	if (b->has_hdr)
		msg_set32(b->buf + 24, (uint32_t)b->len);
	*len = b->len;
	return MSG_OK;
}

enum msg_err msg_build_seal(struct msg_builder *b,
			    const struct msg_builder *inner,
			    const struct msg_sk_keys *k, const uint8_t *iv,
			    size_t *len)
{
	const struct crypto_encr *e = k->encr;
	size_t icv_len = sk_icv_len(k), start, ct_len, pad;
	uint8_t *piv, *ct, *icv;
	int ret;

	*len = 0;
	if (inner->err)
		msg_build_fail(b, inner->err);
	if (!b->has_hdr || !icv_len)
		msg_build_fail(b, MSG_E_INVALID);
	if (b->err)
		return b->err;
	/* RFC 7296 3.14: plaintext | padding | Pad Length, block-aligned */
	pad = e->block_len - (inner->len + 1) % e->block_len;
	if (pad == e->block_len)
		pad = 0;
	ct_len = inner->len + pad + 1;
	start = msg_build_begin(b, IKEV2_PL_SK, false);
	piv = msg_build_reserve(b, e->iv_len);
	ct = msg_build_reserve(b, ct_len);
	icv = msg_build_reserve(b, icv_len);
	msg_build_end(b, start);
	if (b->err)
		return b->err;
	b->buf[start] = inner->len ? inner->first : 0;
	if (iv)
		memcpy(piv, iv, e->iv_len);
	else if (crypto_random(piv, e->iv_len))
		return b->err = MSG_E_CRYPTO;
	if (inner->len)
		memcpy(ct, inner->buf, inner->len);
	memset(ct + inner->len, 0, pad);
	ct[ct_len - 1] = (uint8_t)pad;
	msg_set32(b->buf + 24, (uint32_t)b->len);
	if (e->aead) {
		ret = crypto_encrypt(e, k->ekey, piv, b->buf,
				     start + MSG_GENERIC_LEN, ct, ct_len, ct,
				     icv);
	} else {
		struct crypto_iov iov = { b->buf, b->len - icv_len };

		ret = crypto_encrypt(e, k->ekey, piv, NULL, 0, ct, ct_len, ct,
				     NULL);
		if (!ret)
			ret = crypto_integ_sign(k->integ, k->akey, k->akey_len,
						&iov, 1, icv);
	}
	if (ret)
		return b->err = MSG_E_CRYPTO;
	*len = b->len;
	return MSG_OK;
}
