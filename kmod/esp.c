// SPDX-License-Identifier: GPL-2.0
/*
 * ESP (RFC 4303) on top of the Crypto API.
 *
 * Every transform is one AEAD: rfc4106(gcm(aes)) and
 * rfc7539esp(chacha20,poly1305) as they are, the others composed as
 * authenc(hmac(H),cbc(C)), or authencesn() with extended sequence numbers.
 *
 * The scatterlist handed to the cipher is always
 *	[ AAD: SPI | (seq_hi) | seq_lo ][ IV ][ payload, padding, trailer ][ ICV ]
 * where the AAD lives in the request, not in the packet: with ESN the
 * authenticated data differs from what is on the wire (RFC 4303 §2.2.1),
 * and authencesn rewrites it in place.  The IV is authenticated too, as
 * ESP requires for the composed transforms; the AEADs skip it themselves.
 */

#include <crypto/aead.h>
#include <crypto/authenc.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/random.h>
#include <linux/rtnetlink.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <net/netlink.h>

#include "compat/compat.h"
#include "esp.h"
#include "sa.h"

struct ikevti_enc_alg {
	const char *cipher;	/* for authenc() */
	const char *aead;	/* a complete ESP AEAD */
	u8 ivlen;
	u8 blksize;
	u8 icvlen;		/* AEAD only */
	u8 saltlen;
	u8 keylens[3];		/* without the salt; 0 ends the list */
	bool legacy;
	const char *keymsg;
};

static const struct ikevti_enc_alg ikevti_enc_algs[IKEVTI_ENC_MAX + 1] = {
	[IKEVTI_ENC_NULL] = {
		.cipher = "ecb(cipher_null)", .blksize = 1,
		.keymsg = "ikevti: null encryption takes an empty key",
	},
	[IKEVTI_ENC_DES_CBC] = {
		.cipher = "cbc(des)", .ivlen = 8, .blksize = 8,
		.keylens = { 8 }, .legacy = true,
		.keymsg = "ikevti: des-cbc key must be 8 bytes",
	},
	[IKEVTI_ENC_3DES_CBC] = {
		.cipher = "cbc(des3_ede)", .ivlen = 8, .blksize = 8,
		.keylens = { 24 },
		.keymsg = "ikevti: 3des-cbc key must be 24 bytes",
	},
	[IKEVTI_ENC_AES_CBC] = {
		.cipher = "cbc(aes)", .ivlen = 16, .blksize = 16,
		.keylens = { 16, 24, 32 },
		.keymsg = "ikevti: aes-cbc key must be 16, 24 or 32 bytes",
	},
	[IKEVTI_ENC_AES_GCM_16] = {
		.aead = "rfc4106(gcm(aes))", .ivlen = 8, .blksize = 1,
		.icvlen = 16, .saltlen = 4, .keylens = { 16, 24, 32 },
		.keymsg = "ikevti: aes-gcm key must be 16, 24 or 32 bytes plus a 4-byte salt",
	},
	[IKEVTI_ENC_CHACHA20_POLY1305] = {
		.aead = "rfc7539esp(chacha20,poly1305)", .ivlen = 8,
		.blksize = 1, .icvlen = 16, .saltlen = 4, .keylens = { 32 },
		.keymsg = "ikevti: chacha20-poly1305 key must be 32 bytes plus a 4-byte salt",
	},
};

struct ikevti_auth_alg {
	const char *name;
	u8 icvlen;
	u8 keylen;
	const char *keymsg;
};

static const struct ikevti_auth_alg ikevti_auth_algs[IKEVTI_AUTH_MAX + 1] = {
	[IKEVTI_AUTH_HMAC_MD5_96] = { "hmac(md5)", 12, 16,
		"ikevti: hmac-md5-96 key must be 16 bytes" },
	[IKEVTI_AUTH_HMAC_SHA1_96] = { "hmac(sha1)", 12, 20,
		"ikevti: hmac-sha1-96 key must be 20 bytes" },
	[IKEVTI_AUTH_HMAC_SHA256_128] = { "hmac(sha256)", 16, 32,
		"ikevti: hmac-sha256-128 key must be 32 bytes" },
	[IKEVTI_AUTH_HMAC_SHA384_192] = { "hmac(sha384)", 24, 48,
		"ikevti: hmac-sha384-192 key must be 48 bytes" },
	[IKEVTI_AUTH_HMAC_SHA512_256] = { "hmac(sha512)", 32, 64,
		"ikevti: hmac-sha512-256 key must be 64 bytes" },
};

/* NL_SET_ERR_MSG() takes literals only; these come from the tables. */
static void ikevti_set_msg(struct netlink_ext_ack *extack, const char *msg)
{
	if (extack)
		extack->_msg = msg;
}

static bool ikevti_keylen_ok(const struct ikevti_enc_alg *e, unsigned int len)
{
	unsigned int i;

	if (len < e->saltlen)
		return false;
	len -= e->saltlen;
	if (!e->keylens[0])
		return len == 0;
	for (i = 0; i < ARRAY_SIZE(e->keylens) && e->keylens[i]; i++)
		if (e->keylens[i] == len)
			return true;
	return false;
}

/* authenc() wants its keys as an rtattr with the encryption key length. */
static int ikevti_authenc_setkey(struct crypto_aead *aead,
				 const struct ikevti_sa_config *c)
{
	struct crypto_authenc_key_param *param;
	unsigned int len;
	struct rtattr *rta;
	u8 *key, *p;
	int err;

	len = RTA_SPACE(sizeof(*param)) + c->auth_keylen + c->enc_keylen;
	key = kmalloc(len, GFP_KERNEL);
	if (!key)
		return -ENOMEM;

	rta = (struct rtattr *)key;
	rta->rta_type = CRYPTO_AUTHENC_KEYA_PARAM;
	rta->rta_len = RTA_LENGTH(sizeof(*param));
	param = RTA_DATA(rta);
	param->enckeylen = cpu_to_be32(c->enc_keylen);
	p = key + RTA_SPACE(sizeof(*param));
	memcpy(p, c->auth_key, c->auth_keylen);
	memcpy(p + c->auth_keylen, c->enc_key, c->enc_keylen);

	err = crypto_aead_setkey(aead, key, len);
	kfree_sensitive(key);
	return err;
}

int ikevti_esp_init_sa(struct ikevti_sa *sa, const struct ikevti_sa_config *c,
		       struct netlink_ext_ack *extack)
{
	const struct ikevti_enc_alg *e;
	const struct ikevti_auth_alg *a = NULL;
	bool esn = c->flags & IKEVTI_SA_F_ESN;
	char name[CRYPTO_MAX_ALG_NAME];
	struct crypto_aead *aead;
	unsigned int icvlen;
	int err;

	if (c->enc == IKEVTI_ENC_UNSPEC || c->enc > IKEVTI_ENC_MAX) {
		NL_SET_ERR_MSG(extack, "ikevti: unknown encryption algorithm");
		return -EINVAL;
	}
	e = &ikevti_enc_algs[c->enc];
	if (e->legacy && !(c->flags & IKEVTI_SA_F_LEGACY)) {
		NL_SET_ERR_MSG(extack, "ikevti: single DES is broken; it needs IKEVTI_SA_F_LEGACY");
		return -EINVAL;
	}
	if (!ikevti_keylen_ok(e, c->enc_keylen)) {
		ikevti_set_msg(extack, e->keymsg);
		return -EINVAL;
	}

	if (e->aead) {
		if (c->auth != IKEVTI_AUTH_NONE) {
			NL_SET_ERR_MSG(extack,
				       "ikevti: an AEAD transform takes no integrity algorithm");
			return -EINVAL;
		}
		strscpy(name, e->aead, sizeof(name));
		icvlen = e->icvlen;
	} else {
		if (c->auth == IKEVTI_AUTH_NONE || c->auth > IKEVTI_AUTH_MAX) {
			NL_SET_ERR_MSG(extack,
				       "ikevti: this encryption algorithm needs an integrity algorithm");
			return -EINVAL;
		}
		a = &ikevti_auth_algs[c->auth];
		if (c->auth_keylen != a->keylen) {
			ikevti_set_msg(extack, a->keymsg);
			return -EINVAL;
		}
		if (snprintf(name, sizeof(name), "%s(%s,%s)",
			     esn ? "authencesn" : "authenc", a->name,
			     e->cipher) >= sizeof(name))
			return -ENAMETOOLONG;
		icvlen = a->icvlen;
	}

	aead = crypto_alloc_aead(name, 0, 0);
	if (IS_ERR(aead)) {
		NL_SET_ERR_MSG(extack,
			       "ikevti: the kernel has no implementation of this transform");
		return PTR_ERR(aead);
	}

	if (e->aead)
		err = crypto_aead_setkey(aead, c->enc_key, c->enc_keylen);
	else
		err = ikevti_authenc_setkey(aead, c);
	if (err) {
		NL_SET_ERR_MSG(extack, "ikevti: the cipher refused the key");
		goto err;
	}
	err = crypto_aead_setauthsize(aead, icvlen);
	if (err) {
		NL_SET_ERR_MSG(extack, "ikevti: the cipher refused the ICV length");
		goto err;
	}

	sa->aead = aead;
	sa->ivlen = e->ivlen;
	sa->icvlen = icvlen;
	/* Payload + trailer align to the cipher block and to 4 bytes. */
	sa->blksize = ALIGN(e->blksize, 4);
	sa->aadlen = esn ? 12 : 8;
	sa->iv_from_seq = !!e->aead;
	return 0;

err:
	crypto_free_aead(aead);
	return err;
}

void ikevti_esp_free_sa(struct ikevti_sa *sa)
{
	crypto_free_aead(sa->aead);
}

/* What one packet carries through the cipher, synchronous or not. */
struct ikevti_esp_req {
	struct ikevti_sa *sa;
	struct sk_buff *skb;
	u64 seq;
	u8 aad[12];
	u8 iv[16];
};

static struct ikevti_esp_req *ikevti_req_alloc(struct ikevti_sa *sa, int nsg,
					       struct aead_request **req,
					       struct scatterlist **sg)
{
	size_t off_req, off_sg, len;
	struct ikevti_esp_req *r;

	off_req = ALIGN(sizeof(*r), crypto_tfm_ctx_alignment());
	off_sg = ALIGN(off_req + sizeof(**req) + crypto_aead_reqsize(sa->aead),
		       __alignof__(struct scatterlist));
	len = off_sg + nsg * sizeof(**sg);

	r = kmalloc(len, GFP_ATOMIC);
	if (!r)
		return NULL;
	*req = (void *)((u8 *)r + off_req);
	*sg = (void *)((u8 *)r + off_sg);
	return r;
}

static void ikevti_fill_aad(struct ikevti_sa *sa, u8 *aad, u64 seq)
{
	memcpy(aad, &sa->spi, 4);
	if (sa->aadlen == 12) {
		put_unaligned_be32(upper_32_bits(seq), aad + 4);
		put_unaligned_be32(lower_32_bits(seq), aad + 8);
	} else {
		put_unaligned_be32(lower_32_bits(seq), aad + 4);
	}
}

static void ikevti_output_done_data(void *data, int err)
{
	struct ikevti_esp_req *r = data;
	struct ikevti_sa *sa = r->sa;
	struct sk_buff *skb = r->skb;

	kfree(r);
	ikevti_send_finish(sa, skb, err);
}

IKEVTI_CRYPTO_DONE(ikevti_output_done, ikevti_output_done_data)

void ikevti_esp_output(struct ikevti_sa *sa, struct sk_buff *skb, u8 nexthdr)
{
	unsigned int hlen = IKEVTI_ESP_HLEN + sa->ivlen;
	unsigned int plen, padlen, tailen, i;
	struct ip_esp_hdr *esph;
	struct aead_request *req;
	struct ikevti_esp_req *r;
	struct scatterlist *sg;
	struct sk_buff *trailer;
	u8 *tail, *iv;
	int nfrags, err;
	u64 seq;

	/*
	 * Numbers are never reused (RFC 4303 §3.3.3): past the end the SA
	 * expires hard, which takes it off the device and tells the daemon.
	 */
	seq = atomic64_fetch_add_unless(&sa->seq_out, 1,
					ikevti_sa_seq_max(sa));
	if (unlikely(seq == ikevti_sa_seq_max(sa))) {
		ikevti_sa_expire_now(sa);
		err = -EOVERFLOW;
		goto out;
	}
	seq++;

	plen = ALIGN(skb->len + 2, sa->blksize);
	padlen = plen - skb->len - 2;
	tailen = padlen + 2 + sa->icvlen;

	err = skb_cow_head(skb, hlen + LL_MAX_HEADER + sizeof(struct ipv6hdr));
	if (err)
		goto out;
	nfrags = skb_cow_data(skb, tailen, &trailer);
	if (nfrags < 0) {
		err = nfrags;
		goto out;
	}

	/* RFC 4303 §2.4: monotonically increasing pad bytes 1, 2, 3... */
	tail = pskb_put(skb, trailer, tailen);
	for (i = 0; i < padlen; i++)
		tail[i] = i + 1;
	tail[padlen] = padlen;
	tail[padlen + 1] = nexthdr;

	esph = skb_push(skb, hlen);
	skb_reset_transport_header(skb);
	esph->spi = sa->spi;
	esph->seq_no = htonl(lower_32_bits(seq));
	iv = (u8 *)(esph + 1);
	/*
	 * Counter modes need a unique IV, and the sequence number is one;
	 * CBC needs an unpredictable one.
	 */
	if (sa->iv_from_seq)
		put_unaligned_be64(seq, iv);
	else
		get_random_bytes(iv, sa->ivlen);

	r = ikevti_req_alloc(sa, nfrags + 1, &req, &sg);
	if (!r) {
		err = -ENOMEM;
		goto out;
	}
	r->sa = sa;
	r->skb = skb;
	r->seq = seq;
	ikevti_fill_aad(sa, r->aad, seq);
	memcpy(r->iv, iv, sa->ivlen);

	sg_init_table(sg, nfrags + 1);
	sg_set_buf(sg, r->aad, sa->aadlen);
	err = skb_to_sgvec(skb, sg + 1, IKEVTI_ESP_HLEN,
			   skb->len - IKEVTI_ESP_HLEN);
	if (unlikely(err < 0)) {
		kfree(r);
		goto out;
	}

	/*
	 * No CRYPTO_TFM_REQ_MAY_BACKLOG: an asynchronous cipher whose queue
	 * is full refuses the request (-ENOSPC, or -EBUSY from some), and
	 * the packet is dropped and counted, as esp4 does, rather than
	 * queued without limit under a flood.
	 */
	aead_request_set_tfm(req, sa->aead);
	aead_request_set_callback(req, 0, ikevti_output_done, r);
	aead_request_set_crypt(req, sg, sg, plen, r->iv);
	aead_request_set_ad(req, sa->aadlen + sa->ivlen);

	err = crypto_aead_encrypt(req);
	if (err == -EINPROGRESS)
		return;
	kfree(r);
out:
	ikevti_send_finish(sa, skb, err);
}

static void ikevti_input_done_data(void *data, int err)
{
	struct ikevti_esp_req *r = data;
	struct ikevti_sa *sa = r->sa;
	struct sk_buff *skb = r->skb;
	u64 seq = r->seq;

	kfree(r);
	ikevti_receive_finish(sa, skb, seq, err);
}

IKEVTI_CRYPTO_DONE(ikevti_input_done, ikevti_input_done_data)

void ikevti_esp_input(struct ikevti_sa *sa, struct sk_buff *skb, u64 seq)
{
	struct aead_request *req;
	struct ikevti_esp_req *r;
	struct scatterlist *sg;
	struct sk_buff *trailer;
	unsigned int cryptlen;
	int nfrags, err;

	/* Caller checked skb->len >= ESP header + IV + ICV + trailer. */
	cryptlen = skb->len - IKEVTI_ESP_HLEN - sa->ivlen;

	nfrags = skb_cow_data(skb, 0, &trailer);
	if (nfrags < 0) {
		err = nfrags;
		goto out;
	}

	r = ikevti_req_alloc(sa, nfrags + 1, &req, &sg);
	if (!r) {
		err = -ENOMEM;
		goto out;
	}
	r->sa = sa;
	r->skb = skb;
	r->seq = seq;
	ikevti_fill_aad(sa, r->aad, seq);
	skb_copy_bits(skb, IKEVTI_ESP_HLEN, r->iv, sa->ivlen);

	sg_init_table(sg, nfrags + 1);
	sg_set_buf(sg, r->aad, sa->aadlen);
	err = skb_to_sgvec(skb, sg + 1, IKEVTI_ESP_HLEN,
			   skb->len - IKEVTI_ESP_HLEN);
	if (unlikely(err < 0)) {
		kfree(r);
		goto out;
	}

	/* As for output: a full queue drops, it does not backlog. */
	aead_request_set_tfm(req, sa->aead);
	aead_request_set_callback(req, 0, ikevti_input_done, r);
	aead_request_set_crypt(req, sg, sg, cryptlen, r->iv);
	aead_request_set_ad(req, sa->aadlen + sa->ivlen);

	err = crypto_aead_decrypt(req);
	if (err == -EINPROGRESS)
		return;
	kfree(r);
out:
	ikevti_receive_finish(sa, skb, seq, err);
}
