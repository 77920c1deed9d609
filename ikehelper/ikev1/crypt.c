// SPDX-License-Identifier: GPL-2.0
/*
 * IKEv1 encryption and IV chains (RFC 2409 Appendix B).  The chain is
 * found in the decrypted body before it is validated, so that padding
 * after it is told apart from a chain that does not fit.
 */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>

#include "crypt.h"

int v1crypt_key_init(struct v1crypt_key *k, unsigned int encr,
		     unsigned int encr_bits, unsigned int prf,
		     const struct secbuf *key)
{
	int ret;

	memset(k, 0, sizeof(*k));
	ret = crypto_encr_lookup(encr, encr_bits, &k->encr);
	if (ret)
		return ret;
	if (k->encr.aead || k->encr.iv_len != k->encr.block_len ||
	    !crypto_prf_len(prf))
		return -ENOTSUP;
	if (!key || key->len != k->encr.key_len)
		return -EINVAL;
	k->key = secbuf_dup(key->data, key->len);
	if (!k->key)
		return -ENOMEM;
	k->prf = prf;
	return 0;
}

void v1crypt_key_free(struct v1crypt_key *k)
{
	secbuf_clear(&k->key);
}

/* iv = hash(iov...) cut to the block size. */
static int iv_hash(struct v1crypt_iv *iv, const struct v1crypt_key *k,
		   const struct crypto_iov *in, size_t n)
{
	uint8_t h[CRYPTO_PRF_MAX];
	int ret;

	if (crypto_prf_len(k->prf) < k->encr.block_len ||
	    k->encr.block_len > sizeof(iv->iv))
		return -EINVAL;
	ret = crypto_hash(k->prf, in, n, h);
	if (ret)
		return ret;
	iv->len = k->encr.block_len;
	iv->pending_set = false;
	memcpy(iv->iv, h, iv->len);
	return 0;
}

int v1crypt_iv_phase1(struct v1crypt_iv *iv, const struct v1crypt_key *k,
		      const uint8_t *gxi, size_t gxi_len,
		      const uint8_t *gxr, size_t gxr_len)
{
	struct crypto_iov in[2] = { { gxi, gxi_len }, { gxr, gxr_len } };

	memset(iv, 0, sizeof(*iv));
	return iv_hash(iv, k, in, 2);
}

int v1crypt_iv_phase2(struct v1crypt_iv *iv, const struct v1crypt_key *k,
		      const struct v1crypt_iv *p1, uint32_t msgid)
{
	uint8_t mid[4];
	struct crypto_iov in[2] = { { p1->iv, p1->len }, { mid, 4 } };

	if (p1->len != k->encr.block_len)
		return -EINVAL;
	memset(iv, 0, sizeof(*iv));
	msg_set32(mid, msgid);
	iv->msgid = msgid;
	return iv_hash(iv, k, in, 2);
}

void v1crypt_iv_confirm(struct v1crypt_iv *iv)
{
	if (!iv->pending_set)
		return;
	memcpy(iv->iv, iv->pending, iv->len);
	iv->pending_set = false;
}

/* Where the chain starting with first ends in buf; false if it overruns. */
static bool chain_end(const uint8_t *buf, size_t len, uint8_t first,
		      size_t *end)
{
	uint8_t type = first;
	size_t off = 0;

	while (type != 0) {
		uint16_t plen;

		if (len - off < MSG_GENERIC_LEN)
			return false;
		plen = msg_get16(buf + off + 2);
		if (plen < MSG_GENERIC_LEN || plen > len - off)
			return false;
		type = buf[off];
		off += plen;
	}
	*end = off;
	return true;
}

enum v1_err v1crypt_decrypt(const struct v1crypt_key *k, struct v1crypt_iv *iv,
			    const struct msg *m, uint8_t *plain,
			    size_t plainsz, struct msg *inner,
			    size_t *pad_len)
{
	size_t bs = k->encr.block_len, len, end = 0;
	const uint8_t *ct;
	enum msg_err merr;

	*pad_len = 0;
	if (!m->v1_encrypted || m->raw_len < MSG_HDR_LEN || !k->key ||
	    iv->len != bs)
		return V1_E_INVALID;
	ct = m->raw + MSG_HDR_LEN;
	len = m->raw_len - MSG_HDR_LEN;
	if (!len || len % bs)
		return V1_E_ENC_LENGTH;
	if (plainsz < len)
		return V1_E_NOSPACE;
	if (crypto_decrypt(&k->encr, k->key->data, iv->iv, NULL, 0, ct, len,
			   plain, NULL))
		return V1_E_CRYPTO;
	if (!chain_end(plain, len, m->hdr.next, &end)) {
		OPENSSL_cleanse(plain, len);
		return V1_E_MALFORMED;
	}
	if (len - end > V1CRYPT_PAD_MAX) {
		OPENSSL_cleanse(plain, len);
		return V1_E_PADDING;
	}
	inner->hdr = m->hdr;
	merr = msg_validate_chain(plain, end, m->hdr.next, 1, inner);
	if (merr) {
		OPENSSL_cleanse(plain, len);
		return v1err_from_msg(merr);
	}
	*pad_len = len - end;
	memcpy(iv->pending, ct + len - bs, bs);
	iv->pending_set = true;
	return V1_OK;
}

enum v1_err v1crypt_encrypt(const struct v1crypt_key *k, struct v1crypt_iv *iv,
			    struct msg_builder *b, size_t *len)
{
	size_t bs = k->encr.block_len, body, pad;
	uint8_t *p;

	*len = 0;
	if (b->err)
		return v1err_from_msg(b->err);
	if (!b->has_hdr || b->len <= MSG_HDR_LEN || !k->key ||
	    iv->len != bs || !(b->buf[19] & IKEV1_FLAG_ENCRYPTION) ||
	    b->buf[17] >> 4 != 1)
		return V1_E_INVALID;
	body = b->len - MSG_HDR_LEN;
	pad = (bs - body % bs) % bs;
	if (pad) {
		p = msg_build_reserve(b, pad);
		if (!p)
			return v1err_from_msg(b->err);
		memset(p, 0, pad);
	}
	if (msg_build_finish(b, len))
		return v1err_from_msg(b->err);
	body += pad;
	p = b->buf + MSG_HDR_LEN;
	if (crypto_encrypt(&k->encr, k->key->data, iv->iv, NULL, 0, p, body, p,
			   NULL)) {
		*len = 0;
		return V1_E_CRYPTO;
	}
	memcpy(iv->pending, p + body - bs, bs);
	iv->pending_set = true;
	return V1_OK;
}
