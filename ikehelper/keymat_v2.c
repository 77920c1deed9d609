// SPDX-License-Identifier: GPL-2.0
/*
 * IKEv2 keying material: SKEYSEED, the IKE SA keys, Child SA keys and the
 * PSK AUTH value.  The prf+ streams live in secbufs too, since every byte
 * of them is key material.
 */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>

#include "crypto.h"
#include "keymat_v2.h"

int keymat_v2_key_lengths(const struct keymat_v2_algs *algs,
			  size_t *encr_len, size_t *integ_len)
{
	struct crypto_encr e;
	int ret;

	ret = crypto_encr_lookup(algs->encr, algs->encr_bits, &e);
	if (ret)
		return ret;
	if (e.aead) {
		/* RFC 5282 8: no integrity transform with an AEAD */
		if (algs->integ != IKEV2_INTEG_NONE)
			return -ENOTSUP;
		*integ_len = 0;
	} else {
		*integ_len = crypto_integ_keylen(algs->integ);
		if (!*integ_len)
			return -ENOTSUP;
	}
	*encr_len = e.keymat_len;
	return 0;
}

int keymat_v2_skeyseed(unsigned int prf, const uint8_t *ni, size_t nilen,
		       const uint8_t *nr, size_t nrlen,
		       const struct secbuf *gir, struct secbuf **skeyseed)
{
	struct crypto_iov iov = { gir->data, gir->len };
	size_t plen = crypto_prf_len(prf);
	uint8_t key[2 * 256];
	struct secbuf *sb;
	int ret;

	*skeyseed = NULL;
	if (!plen)
		return -ENOTSUP;
	/* RFC 7296 3.9: each nonce is 16 to 256 bytes. */
	if (nilen > 256 || nrlen > 256)
		return -EINVAL;
	memcpy(key, ni, nilen);
	memcpy(key + nilen, nr, nrlen);
	sb = secbuf_new(plen);
	if (!sb)
		return -ENOMEM;
	ret = crypto_prf(prf, key, nilen + nrlen, &iov, 1, sb->data);
	if (ret) {
		secbuf_free(sb);
		return ret;
	}
	*skeyseed = sb;
	return 0;
}

int keymat_v2_skeyseed_rekey(unsigned int old_prf,
			     const struct secbuf *sk_d_old,
			     const struct secbuf *gir_new,
			     const uint8_t *ni, size_t nilen,
			     const uint8_t *nr, size_t nrlen,
			     struct secbuf **skeyseed)
{
	struct crypto_iov iov[3] = {
		{ gir_new->data, gir_new->len }, { ni, nilen }, { nr, nrlen },
	};
	size_t plen = crypto_prf_len(old_prf);
	struct secbuf *sb;
	int ret;

	*skeyseed = NULL;
	if (!plen)
		return -ENOTSUP;
	sb = secbuf_new(plen);
	if (!sb)
		return -ENOMEM;
	ret = crypto_prf(old_prf, sk_d_old->data, sk_d_old->len, iov, 3,
			 sb->data);
	if (ret) {
		secbuf_free(sb);
		return ret;
	}
	*skeyseed = sb;
	return 0;
}

int keymat_v2_ike_stream(unsigned int prf, const struct secbuf *skeyseed,
			 const uint8_t *ni, size_t nilen,
			 const uint8_t *nr, size_t nrlen,
			 const uint8_t spi_i[8], const uint8_t spi_r[8],
			 uint8_t *out, size_t len)
{
	struct crypto_iov seed[4] = {
		{ ni, nilen }, { nr, nrlen }, { spi_i, 8 }, { spi_r, 8 },
	};

	return crypto_prf_plus(prf, skeyseed->data, skeyseed->len, seed, 4,
			       out, len);
}

/* Cut the next n bytes of the stream into a new secbuf. */
static struct secbuf *take(const struct secbuf *stream, size_t *off,
			   size_t n)
{
	struct secbuf *sb = secbuf_dup(stream->data + *off, n);

	*off += n;
	return sb;
}

int keymat_v2_ike_derive(const struct keymat_v2_algs *algs,
			 const struct secbuf *skeyseed,
			 const uint8_t *ni, size_t nilen,
			 const uint8_t *nr, size_t nrlen,
			 const uint8_t spi_i[8], const uint8_t spi_r[8],
			 struct keymat_v2_ike *out)
{
	size_t plen = crypto_prf_len(algs->prf), elen, alen, off = 0;
	struct secbuf *stream;
	int ret;

	memset(out, 0, sizeof(*out));
	if (!plen)
		return -ENOTSUP;
	ret = keymat_v2_key_lengths(algs, &elen, &alen);
	if (ret)
		return ret;
	stream = secbuf_new(3 * plen + 2 * alen + 2 * elen);
	if (!stream)
		return -ENOMEM;
	ret = keymat_v2_ike_stream(algs->prf, skeyseed, ni, nilen, nr, nrlen,
				   spi_i, spi_r, stream->data, stream->len);
	if (ret)
		goto out;
	out->prf = algs->prf;
	out->sk_d = take(stream, &off, plen);
	out->sk_ai = take(stream, &off, alen);
	out->sk_ar = take(stream, &off, alen);
	out->sk_ei = take(stream, &off, elen);
	out->sk_er = take(stream, &off, elen);
	out->sk_pi = take(stream, &off, plen);
	out->sk_pr = take(stream, &off, plen);
	if (!out->sk_d || !out->sk_ai || !out->sk_ar || !out->sk_ei ||
	    !out->sk_er || !out->sk_pi || !out->sk_pr) {
		keymat_v2_ike_free(out);
		ret = -ENOMEM;
	}
out:
	secbuf_free(stream);
	return ret;
}

void keymat_v2_ike_free(struct keymat_v2_ike *ike)
{
	secbuf_clear(&ike->sk_d);
	secbuf_clear(&ike->sk_ai);
	secbuf_clear(&ike->sk_ar);
	secbuf_clear(&ike->sk_ei);
	secbuf_clear(&ike->sk_er);
	secbuf_clear(&ike->sk_pi);
	secbuf_clear(&ike->sk_pr);
}

int keymat_v2_child_stream(unsigned int prf, const struct secbuf *sk_d,
			   const struct secbuf *gir_new,
			   const uint8_t *ni, size_t nilen,
			   const uint8_t *nr, size_t nrlen,
			   uint8_t *out, size_t len)
{
	struct crypto_iov seed[3];
	size_t n = 0;

	if (gir_new) {
		seed[n].base = gir_new->data;
		seed[n++].len = gir_new->len;
	}
	seed[n].base = ni;
	seed[n++].len = nilen;
	seed[n].base = nr;
	seed[n++].len = nrlen;
	return crypto_prf_plus(prf, sk_d->data, sk_d->len, seed, n, out, len);
}

int keymat_v2_child_derive(unsigned int prf, const struct secbuf *sk_d,
			   const struct secbuf *gir_new,
			   const uint8_t *ni, size_t nilen,
			   const uint8_t *nr, size_t nrlen,
			   const struct keymat_v2_algs *child,
			   struct keymat_v2_child *out)
{
	size_t elen, alen, off = 0;
	struct secbuf *stream;
	int ret;

	memset(out, 0, sizeof(*out));
	ret = keymat_v2_key_lengths(child, &elen, &alen);
	if (ret)
		return ret;
	stream = secbuf_new(2 * (elen + alen));
	if (!stream)
		return -ENOMEM;
	ret = keymat_v2_child_stream(prf, sk_d, gir_new, ni, nilen, nr, nrlen,
				     stream->data, stream->len);
	if (ret)
		goto out;
	out->encr_i = take(stream, &off, elen);
	out->integ_i = take(stream, &off, alen);
	out->encr_r = take(stream, &off, elen);
	out->integ_r = take(stream, &off, alen);
	if (!out->encr_i || !out->integ_i || !out->encr_r || !out->integ_r) {
		keymat_v2_child_free(out);
		ret = -ENOMEM;
	}
out:
	secbuf_free(stream);
	return ret;
}

void keymat_v2_child_free(struct keymat_v2_child *child)
{
	secbuf_clear(&child->encr_i);
	secbuf_clear(&child->integ_i);
	secbuf_clear(&child->encr_r);
	secbuf_clear(&child->integ_r);
}

int keymat_v2_psk_auth(unsigned int prf, const uint8_t *psk, size_t psklen,
		       const uint8_t *real_msg, size_t msglen,
		       const uint8_t *nonce, size_t noncelen,
		       const struct secbuf *sk_p,
		       const uint8_t *id_body, size_t idlen, uint8_t *out)
{
	static const char key_pad[] = "Key Pad for IKEv2";
	struct crypto_iov pad = { key_pad, sizeof(key_pad) - 1 };
	uint8_t padded[CRYPTO_PRF_MAX], macid[CRYPTO_PRF_MAX];
	size_t plen = crypto_prf_len(prf);
	struct crypto_iov id = { id_body, idlen };
	struct crypto_iov octets[3] = {
		{ real_msg, msglen }, { nonce, noncelen }, { macid, plen },
	};
	int ret;

	if (!plen)
		return -ENOTSUP;
	ret = crypto_prf(prf, sk_p->data, sk_p->len, &id, 1, macid);
	if (!ret)
		ret = crypto_prf(prf, psk, psklen, &pad, 1, padded);
	if (!ret)
		ret = crypto_prf(prf, padded, plen, octets, 3, out);
	OPENSSL_cleanse(padded, sizeof(padded));
	OPENSSL_cleanse(macid, sizeof(macid));
	return ret;
}

int keymat_v2_psk_verify(unsigned int prf, const uint8_t *psk, size_t psklen,
			 const uint8_t *real_msg, size_t msglen,
			 const uint8_t *nonce, size_t noncelen,
			 const struct secbuf *sk_p,
			 const uint8_t *id_body, size_t idlen,
			 const uint8_t *auth, size_t authlen)
{
	uint8_t want[CRYPTO_PRF_MAX];
	int ret;

	ret = keymat_v2_psk_auth(prf, psk, psklen, real_msg, msglen, nonce,
				 noncelen, sk_p, id_body, idlen, want);
	if (!ret && (authlen != crypto_prf_len(prf) ||
		     CRYPTO_memcmp(want, auth, authlen) != 0))
		ret = -EBADMSG;
	OPENSSL_cleanse(want, sizeof(want));
	return ret;
}
