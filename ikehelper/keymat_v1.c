// SPDX-License-Identifier: GPL-2.0
/*
 * IKEv1 keying material: SKEYID and its three children, the phase 1
 * encryption key, the authenticating hashes and phase 2 KEYMAT.  The
 * inputs are passed to the PRF as scattered pieces, so no secret is
 * copied into a buffer that would need wiping, except the Kn blocks.
 */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>

#include "crypto.h"
#include "keymat_v1.h"

/* A Message ID as it is on the wire. */
static void put_msgid(uint8_t out[4], uint32_t msgid)
{
	out[0] = (uint8_t)(msgid >> 24);
	out[1] = (uint8_t)(msgid >> 16);
	out[2] = (uint8_t)(msgid >> 8);
	out[3] = (uint8_t)msgid;
}

/* prf(key, iov...) into a new secbuf of the PRF's length. */
static int prf_new(unsigned int prf, const void *key, size_t keylen,
		   const struct crypto_iov *iov, size_t n, struct secbuf **out)
{
	size_t plen = crypto_prf_len(prf);
	struct secbuf *sb;
	int ret;

	*out = NULL;
	if (!plen)
		return -ENOTSUP;
	sb = secbuf_new(plen);
	if (!sb)
		return -ENOMEM;
	ret = crypto_prf(prf, key, keylen, iov, n, sb->data);
	if (ret) {
		secbuf_free(sb);
		return ret;
	}
	*out = sb;
	return 0;
}

int keymat_v1_skeyid_psk(unsigned int prf, const uint8_t *psk, size_t psklen,
			 const uint8_t *ni, size_t nilen,
			 const uint8_t *nr, size_t nrlen,
			 struct secbuf **skeyid)
{
	struct crypto_iov iov[2] = { { ni, nilen }, { nr, nrlen } };

	return prf_new(prf, psk, psklen, iov, 2, skeyid);
}

int keymat_v1_skeyid_sig(unsigned int prf, const uint8_t *ni, size_t nilen,
			 const uint8_t *nr, size_t nrlen,
			 const struct secbuf *gxy, struct secbuf **skeyid)
{
	struct crypto_iov iov = { gxy->data, gxy->len };
	struct secbuf *key;
	int ret;

	/* The key is Ni_b | Nr_b: public, but kept the same way as keys. */
	*skeyid = NULL;
	if (nilen > SIZE_MAX - nrlen)
		return -EINVAL;
	key = secbuf_new(nilen + nrlen);
	if (!key)
		return -ENOMEM;
	if (nilen)
		memcpy(key->data, ni, nilen);
	if (nrlen)
		memcpy(key->data + nilen, nr, nrlen);
	ret = prf_new(prf, key->data, key->len, &iov, 1, skeyid);
	secbuf_free(key);
	return ret;
}

int keymat_v1_derive(unsigned int prf, const struct secbuf *skeyid,
		     const struct secbuf *gxy, const uint8_t cky_i[8],
		     const uint8_t cky_r[8], struct keymat_v1 *out)
{
	static const uint8_t n0 = 0, n1 = 1, n2 = 2;
	struct crypto_iov iov[5];
	int ret;

	memset(out, 0, sizeof(*out));
	out->prf = (uint16_t)prf;
	iov[1] = (struct crypto_iov){ gxy->data, gxy->len };
	iov[2] = (struct crypto_iov){ cky_i, 8 };
	iov[3] = (struct crypto_iov){ cky_r, 8 };
	/* SKEYID_d has no previous key in front. */
	iov[4] = (struct crypto_iov){ &n0, 1 };
	ret = prf_new(prf, skeyid->data, skeyid->len, iov + 1, 4,
		      &out->skeyid_d);
	if (!ret) {
		iov[0] = (struct crypto_iov){ out->skeyid_d->data,
					      out->skeyid_d->len };
		iov[4].base = &n1;
		ret = prf_new(prf, skeyid->data, skeyid->len, iov, 5,
			      &out->skeyid_a);
	}
	if (!ret) {
		iov[0] = (struct crypto_iov){ out->skeyid_a->data,
					      out->skeyid_a->len };
		iov[4].base = &n2;
		ret = prf_new(prf, skeyid->data, skeyid->len, iov, 5,
			      &out->skeyid_e);
	}
	if (!ret) {
		out->skeyid = secbuf_dup(skeyid->data, skeyid->len);
		if (!out->skeyid)
			ret = -ENOMEM;
	}
	if (ret)
		keymat_v1_free(out);
	return ret;
}

void keymat_v1_free(struct keymat_v1 *k)
{
	secbuf_clear(&k->skeyid);
	secbuf_clear(&k->skeyid_d);
	secbuf_clear(&k->skeyid_a);
	secbuf_clear(&k->skeyid_e);
}

int keymat_v1_enc_key(unsigned int prf, const struct secbuf *skeyid_e,
		      size_t len, struct secbuf **key)
{
	static const uint8_t zero;
	size_t plen = crypto_prf_len(prf), done = 0;
	uint8_t k[CRYPTO_PRF_MAX];
	struct crypto_iov iov = { &zero, 1 };
	struct secbuf *sb;
	int ret = 0;

	*key = NULL;
	if (!plen)
		return -ENOTSUP;
	if (!len || len > CRYPTO_KEYMAT_MAX)
		return -EINVAL;
	sb = secbuf_new(len);
	if (!sb)
		return -ENOMEM;
	if (skeyid_e->len >= len) {
		memcpy(sb->data, skeyid_e->data, len);
		*key = sb;
		return 0;
	}
	/* Appendix B: K1 = prf(SKEYID_e, 0), Kn = prf(SKEYID_e, Kn-1) */
	while (done < len) {
		size_t take = len - done < plen ? len - done : plen;

		ret = crypto_prf(prf, skeyid_e->data, skeyid_e->len, &iov, 1,
				 k);
		if (ret)
			break;
		memcpy(sb->data + done, k, take);
		done += take;
		iov.base = k;
		iov.len = plen;
	}
	OPENSSL_cleanse(k, sizeof(k));
	if (ret) {
		secbuf_free(sb);
		return ret;
	}
	*key = sb;
	return 0;
}

int keymat_v1_hash_p1(unsigned int prf, const struct secbuf *skeyid,
		      const struct keymat_v1_p1 *p1, bool responder,
		      const uint8_t *id_b, size_t idlen, uint8_t *out)
{
	struct crypto_iov iov[6] = {
		{ p1->gxi, p1->gxi_len }, { p1->gxr, p1->gxr_len },
		{ p1->cky_i, 8 }, { p1->cky_r, 8 },
		{ p1->sai_b, p1->sai_len }, { id_b, idlen },
	};

	if (responder) {
		/* HASH_R swaps the KE data and the cookies. */
		iov[0] = (struct crypto_iov){ p1->gxr, p1->gxr_len };
		iov[1] = (struct crypto_iov){ p1->gxi, p1->gxi_len };
		iov[2] = (struct crypto_iov){ p1->cky_r, 8 };
		iov[3] = (struct crypto_iov){ p1->cky_i, 8 };
	}
	if (!crypto_prf_len(prf))
		return -ENOTSUP;
	return crypto_prf(prf, skeyid->data, skeyid->len, iov, 6, out);
}

int keymat_v1_hash1(unsigned int prf, const struct secbuf *skeyid_a,
		    uint32_t msgid, const uint8_t *rest, size_t restlen,
		    uint8_t *out)
{
	uint8_t mid[4];
	struct crypto_iov iov[2] = { { mid, 4 }, { rest, restlen } };

	put_msgid(mid, msgid);
	return crypto_prf(prf, skeyid_a->data, skeyid_a->len, iov, 2, out);
}

int keymat_v1_hash2(unsigned int prf, const struct secbuf *skeyid_a,
		    uint32_t msgid, const uint8_t *ni, size_t nilen,
		    const uint8_t *rest, size_t restlen, uint8_t *out)
{
	uint8_t mid[4];
	struct crypto_iov iov[3] = {
		{ mid, 4 }, { ni, nilen }, { rest, restlen },
	};

	put_msgid(mid, msgid);
	return crypto_prf(prf, skeyid_a->data, skeyid_a->len, iov, 3, out);
}

int keymat_v1_hash3(unsigned int prf, const struct secbuf *skeyid_a,
		    uint32_t msgid, const uint8_t *ni, size_t nilen,
		    const uint8_t *nr, size_t nrlen, uint8_t *out)
{
	static const uint8_t zero;
	uint8_t mid[4];
	struct crypto_iov iov[4] = {
		{ &zero, 1 }, { mid, 4 }, { ni, nilen }, { nr, nrlen },
	};

	put_msgid(mid, msgid);
	return crypto_prf(prf, skeyid_a->data, skeyid_a->len, iov, 4, out);
}

int keymat_v1_hash_equal(unsigned int prf, const uint8_t *computed,
			 const uint8_t *received, size_t received_len)
{
	size_t plen = crypto_prf_len(prf);

	if (!plen)
		return -ENOTSUP;
	if (received_len != plen ||
	    CRYPTO_memcmp(computed, received, plen) != 0)
		return -EBADMSG;
	return 0;
}

int keymat_v1_natd(unsigned int prf, const uint8_t cky_i[8],
		   const uint8_t cky_r[8], const uint8_t *addr, size_t alen,
		   uint16_t port, uint8_t *out)
{
	uint8_t p[2] = { (uint8_t)(port >> 8), (uint8_t)port };
	struct crypto_iov iov[4] = {
		{ cky_i, 8 }, { cky_r, 8 }, { addr, alen }, { p, 2 },
	};

	if (alen != 4 && alen != 16)
		return -EINVAL;
	return crypto_hash(prf, iov, 4, out);
}

int keymat_v1_keymat(unsigned int prf, const struct secbuf *skeyid_d,
		     const struct secbuf *gqm, uint8_t protocol,
		     const uint8_t spi[4], const uint8_t *ni, size_t nilen,
		     const uint8_t *nr, size_t nrlen, uint8_t *out,
		     size_t len)
{
	size_t plen = crypto_prf_len(prf), done = 0, n = 0;
	uint8_t k[CRYPTO_PRF_MAX];
	struct crypto_iov iov[6];
	int ret = 0;

	if (!plen)
		return -ENOTSUP;
	/* iov[0] is Kn-1, empty for K1 */
	iov[n++] = (struct crypto_iov){ k, 0 };
	if (gqm)
		iov[n++] = (struct crypto_iov){ gqm->data, gqm->len };
	iov[n++] = (struct crypto_iov){ &protocol, 1 };
	iov[n++] = (struct crypto_iov){ spi, 4 };
	iov[n++] = (struct crypto_iov){ ni, nilen };
	iov[n++] = (struct crypto_iov){ nr, nrlen };
	while (done < len) {
		size_t take = len - done < plen ? len - done : plen;

		ret = crypto_prf(prf, skeyid_d->data, skeyid_d->len, iov, n,
				 k);
		if (ret)
			break;
		memcpy(out + done, k, take);
		done += take;
		iov[0].len = plen;
	}
	OPENSSL_cleanse(k, sizeof(k));
	if (ret && len)
		OPENSSL_cleanse(out, len);
	return ret;
}

int keymat_v1_esp_lengths(unsigned int encr, unsigned int encr_bits,
			  unsigned int integ, size_t *encr_len,
			  size_t *integ_len)
{
	struct crypto_encr e;
	bool aead = false;

	switch (encr) {
	case IKEV2_ENCR_NULL:
		*encr_len = 0;
		break;
	case IKEV2_ENCR_DES:
		/* crypto.c refuses DES; the kernel has it behind a flag */
		*encr_len = encr_bits && encr_bits != 64 ? 0 : 8;
		if (!*encr_len)
			return -ENOTSUP;
		break;
	default:
		if (crypto_encr_lookup(encr, encr_bits, &e))
			return -ENOTSUP;
		*encr_len = e.keymat_len;
		aead = e.aead;
		break;
	}
	if (aead) {
		if (integ != IKEV2_INTEG_NONE)
			return -ENOTSUP;
		*integ_len = 0;
		return 0;
	}
	*integ_len = crypto_integ_keylen(integ);
	return *integ_len ? 0 : -ENOTSUP;
}

int keymat_v1_esp_sa(unsigned int prf, const struct secbuf *skeyid_d,
		     const struct secbuf *gqm, const uint8_t spi[4],
		     const uint8_t *ni, size_t nilen,
		     const uint8_t *nr, size_t nrlen,
		     unsigned int encr, unsigned int encr_bits,
		     unsigned int integ, struct keymat_v1_sa *out)
{
	size_t elen, alen;
	struct secbuf *km;
	int ret;

	memset(out, 0, sizeof(*out));
	ret = keymat_v1_esp_lengths(encr, encr_bits, integ, &elen, &alen);
	if (ret)
		return ret;
	km = secbuf_new(elen + alen);
	if (!km)
		return -ENOMEM;
	ret = keymat_v1_keymat(prf, skeyid_d, gqm, IKEV1_PROTO_IPSEC_ESP, spi,
			       ni, nilen, nr, nrlen, km->data, km->len);
	if (!ret) {
		out->encr = secbuf_dup(km->data, elen);
		out->integ = secbuf_dup(km->data + elen, alen);
		if (!out->encr || !out->integ) {
			keymat_v1_sa_free(out);
			ret = -ENOMEM;
		}
	}
	secbuf_free(km);
	return ret;
}

void keymat_v1_sa_free(struct keymat_v1_sa *sa)
{
	secbuf_clear(&sa->encr);
	secbuf_clear(&sa->integ);
}
