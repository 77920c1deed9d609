// SPDX-License-Identifier: GPL-2.0
/*
 * ikehelper/ikev1/crypt.h: IKEv1 encryption and IV chaining.
 *
 * A known-answer test against libreswan's ancestor: Openswan's unit test
 * lp109 (xelerance/Openswan tests/unit/libpluto/lp109-v1rwnatQR1 @
 * 86dff2b44667566f5cfbdca9de987aab8ef60b36), a pluto responder fed the
 * captures in ../shared/vectors/openswan-unit/libpluto-ikev1-natt-lp109.
 * Its key material is fixed by the test (seam_gi_3des_md5.c, test case
 * 102): the 3DES key 564c62b352d93345 564c62b352d93345 0ad1df324ea57d69,
 * the first phase 1 IV bcd589680c422ecd, SKEYID_a
 * f4c101c72118cf31d4682f68b9a29c07, HMAC-MD5.  Its recorded output
 * (output1.txt) gives what pluto decrypted, and the bytes it sent; those
 * are pasted below.  With them:
 *   1. Main Mode message 5 from v1rwnatM3.pcap decrypts to what pluto
 *      decrypted, ID "alice" and a signature, 5 zero bytes of padding;
 *   2. our message 6 (ID "sun", pluto's signature) encrypts, chained on
 *      message 5's last block, to the 324 bytes pluto sent;
 *   3. the Quick Mode IV from the last phase 1 block and M-ID 80010203 is
 *      53faf10229d37015, and v1rwnatQI1.pcap decrypts with it; its
 *      HASH(1) verifies; its payloads meet the Quick Mode rules, its
 *      empty KE is refused with INVALID-KEY-INFORMATION (pluto's answer);
 *   4. that answer, an Informational with HASH(1) and the notify, is
 *      byte for byte the 60 bytes pluto sent.
 * Then NAT-D against the same capture, round trips with every phase 1
 * cipher over several messages, the padding peers send, and what is
 * refused.
 */
#include <errno.h>
#include <string.h>

#include "ikev1/crypt.h"
#include "ikev1/payload.h"
#include "ikev1/rules.h"
#include "ikev1/xform.h"
#include "keymat_v1.h"
#include "tap.h"
#include "v1_vectors.h"

#define LP109 "openswan-unit/libpluto-ikev1-natt-lp109/"

static const char os_key[] = "564c62b352d93345564c62b352d933450ad1df324ea57d69";
static const char os_skeyid_a[] = "f4c101c72118cf31d4682f68b9a29c07";

/* What pluto decrypted of Main Mode message 5 (output1.txt). */
static const char os_m3_plain[] =
	"0900000d02000000616c696365000001162589f75b65324b6a19adfccc1cdcfd"
	"8b9db570c82617009e99b92f2a2f1e25009766530d19f8d8c40ec7d6748293b4"
	"2414911d2c269b3a680d51baba957a7f287858c3cf2df39b1d99de4dcae5ffc8"
	"b6181c0d4fab696125b0c73f034961b2006d1c0cca7ef2510bc3911465450558"
	"7f0cb6ea42302673c896732e0370fa9b981b7eff8d5f01085e60e0298d8438a5"
	"5069ad297437d1ba74bb91ae3ae5ad0424e73adae41ba86ac8d9afdb6987c595"
	"c8f7a66d5bab20b274547d2aba9ef0646c0786e2cc9dd067249d801f73a93d62"
	"fe10e8d241d7fd9e70f91d24185d7957b51364a6a4757a7f336e0eb59a8e4ce7"
	"3c83c36a55767fe261f02d60f71119fd762071a74c454661a9e7b768ac7e759b"
	"be9d7f0000000000";

/* pluto's SIG_R, and the message 6 it sent with it. */
static const char os_sig_r[] =
	"a7e5fc90a18aa05edc381db351b8f06a2ed49f5e695c92fcc8f1b8c457d8a36d"
	"97da7c50b92fee216cb79008732214d4a968f4d993360aee95ce216de38244d5"
	"d46109796362ed4b535bbb04522091b24ec12c2af9a327e31b316d3648090831"
	"cfa4beb6c705bb1b48f3669530e609c04551a4c71d90d9b8c34c463a13b416f4"
	"6875efa23e6a5cb2fd4af2fa239ef1073791d4df64472b6a0cb19485913fd2d6"
	"f84016e3f3e312f66e7d3a5e477659a77e35d18bcbc45a296cc164a1562aecb7"
	"0d2f7d2894181259190123275644417eb50394aee8e885c79b78d37c5bab5261"
	"51121c87af6a365fbf0e2263fbf4329628a27bb1bc20aadee00c8393a44197b4"
	"be614a28e964e39b05980fae24ae50599701";
static const char os_m6[] =
	"8001020304050607640a06435c7c4b310510020100000000000001444a95280f"
	"4b1ccd91206200607d4dad4aa785fdab44f451974f061f3cc7a97be49e81ec78"
	"b9ec2484231b3490a7ba4eebc89a7c2348c976df33841d323152dc90cae44112"
	"ba11ad9bf460981c69be6882f46401ab6006909dc1b29ab7f7d24f9384afb9f9"
	"34273ad1bf77f8fe89d2c8909169891d930677a2d017970ac1daec8c0296be2a"
	"1275c8c478ed8d83134cb9f55dc6298fc948d6f1c1a2121f5cc09141fef35d9e"
	"9379f42b298f0fea47e8bf2152a58abd69faef574a48c06ff1bfa92a2f1cd227"
	"5050b315ea9420ce71547c05855ddebde01157640a219b67cde41bf908e7dd01"
	"4a653a926419fa5812e1adf801d57de69672876ffefb80e2c33526e0ce83d496"
	"5e3766cc67037e08b88b2a0593549721af9a8a43fa97a9eacb2c5620b19b24c7"
	"4dc81688";

/* pluto's INVALID-KEY-INFORMATION, HASH(1) 27db01b0... */
static const char os_info[] =
	"8001020304050607640a06435c7c4b3108100501800102030000003c289aaf26"
	"4114e177f156e864345cad8bbccfc997623e6dcdfee8a68a54cdf8d9";

static struct capture cap;
static uint8_t buf[MSG_MAX_LEN], plain[MSG_MAX_LEN], want[MSG_MAX_LEN];
static struct msg m, inner;

static bool hexeq(const uint8_t *got, size_t len, const char *hex)
{
	uint8_t w[64];

	return unhex(hex, w, sizeof(w)) == len && !memcmp(got, w, len);
}

static bool ivis(const struct v1crypt_iv *iv, const char *hex)
{
	uint8_t w[16];

	return unhex(hex, w, sizeof(w)) == iv->len && !memcmp(iv->iv, w, iv->len);
}

static void os_key_init(struct v1crypt_key *k)
{
	uint8_t kb[24];
	struct secbuf *key;

	unhex(os_key, kb, sizeof(kb));
	key = secbuf_dup(kb, sizeof(kb));
	ok(!v1crypt_key_init(k, IKEV2_ENCR_3DES, 0, IKEV2_PRF_HMAC_MD5, key),
	   "the lp109 key: 3DES, its IVs from MD5");
	secbuf_free(key);
}

static void test_openswan(void)
{
	static const struct msg_hdr hdr6 = {
		.spi_i = { 0x80, 1, 2, 3, 4, 5, 6, 7 },
		.spi_r = { 0x64, 0x0a, 0x06, 0x43, 0x5c, 0x7c, 0x4b, 0x31 },
		.major = 1, .exchange = IKEV1_EXCH_MAIN,
		.flags = IKEV1_FLAG_ENCRYPTION,
	};
	struct v1crypt_key k;
	struct v1crypt_iv p1, qm, info;
	struct msg_builder b;
	struct v1pl_id id;
	struct v1pl_data sig, d;
	struct secbuf *a;
	uint8_t ab[16], sigb[274], h[CRYPTO_PRF_MAX];
	const uint8_t *rest;
	size_t pad = 99, len, restlen;
	enum v1_err e;

	if (read_pcap(LP109 "v1rwnatM3.pcap", &cap) || cap.n != 1) {
		skip("lp109 v1rwnatM3.pcap not found");
		return;
	}
	os_key_init(&k);
	/* 1. Main Mode message 5 */
	memset(&p1, 0, sizeof(p1));
	p1.len = 8;
	unhex("bcd589680c422ecd", p1.iv, sizeof(p1.iv));
	ok(!msg_validate(cap.msg[0], cap.len[0], &m) && m.v1_encrypted,
	   "lp109 M3 (Main Mode 5) validates, encrypted");
	e = v1crypt_decrypt(&k, &p1, &m, plain, sizeof(plain), &inner, &pad);
	unhex(os_m3_plain, want, sizeof(want));
	ok(!e && pad == 5 && inner.raw_len == 291 && inner.n == 2 &&
	   !memcmp(plain, want, 296),
	   "it decrypts to what pluto decrypted: ID and SIG, 5 bytes of padding");
	ok(!v1pl_id_parse(&inner.pl[0], &id) && id.type == IKEV1_ID_FQDN &&
	   id.len == 5 && !memcmp(id.data, "alice", 5) &&
	   !v1pl_sig_parse(&inner.pl[1], &sig) && sig.len == 274 &&
	   !v1rules_check(IKEV1_EXCH_MAIN, 5, true, &inner),
	   "ID_FQDN alice and a 274-byte signature, as Main Mode 5 may carry");
	ok(ivis(&p1, "bcd589680c422ecd") && p1.pending_set,
	   "the IV is not advanced before the message is accepted");
	v1crypt_iv_confirm(&p1);
	ok(ivis(&p1, "441239bc97531fd0") && !p1.pending_set,
	   "then it is its last block (pluto's \"next IV\")");

	/* 2. Main Mode message 6, as pluto sent it */
	msg_build_init(&b, buf, sizeof(buf), &hdr6);
	memset(&id, 0, sizeof(id));
	id.type = IKEV1_ID_FQDN;
	id.data = (const uint8_t *)"sun";
	id.len = 3;
	v1pl_add_id(&b, &id);
	unhex(os_sig_r, sigb, sizeof(sigb));
	d = (struct v1pl_data){ sigb, sizeof(sigb) };
	v1pl_add_data(&b, IKEV1_PL_SIG, &d);
	e = v1crypt_encrypt(&k, &p1, &b, &len);
	unhex(os_m6, want, sizeof(want));
	ok(!e && len == 324 && !memcmp(buf, want, 324),
	   "our Main Mode 6 is the 324 bytes pluto sent (289 + 7 zeros)");
	v1crypt_iv_confirm(&p1);
	ok(ivis(&p1, "b19b24c74dc81688"),
	   "the last phase 1 block is pluto's, b19b24c74dc81688");

	/* 3. Quick Mode message 1 */
	ok(!v1crypt_iv_phase2(&qm, &k, &p1, 0x80010203) && qm.msgid == 0x80010203 &&
	   ivis(&qm, "53faf10229d37015"),
	   "phase 2 IV = MD5(last phase 1 block | M-ID): pluto's 53faf10229d37015");
	if (read_pcap(LP109 "v1rwnatQI1.pcap", &cap) || cap.n != 1) {
		skip("lp109 v1rwnatQI1.pcap not found");
		v1crypt_key_free(&k);
		return;
	}
	ok(!msg_validate(cap.msg[0], cap.len[0], &m) &&
	   !v1crypt_decrypt(&k, &qm, &m, plain, sizeof(plain), &inner, &pad) &&
	   pad == 4 && inner.n == 6 &&
	   !v1rules_check(IKEV1_EXCH_QUICK, 1, true, &inner),
	   "lp109 QI1 decrypts: HASH, SA, NONCE, KE, IDci, IDcr and 4 bytes of padding");
	unhex(os_skeyid_a, ab, sizeof(ab));
	a = secbuf_dup(ab, sizeof(ab));
	v1pl_after(&inner, &inner.pl[0], &rest, &restlen);
	ok(restlen == 112 &&
	   !v1pl_hash_parse(&inner.pl[0], &d) &&
	   !keymat_v1_hash1(IKEV2_PRF_HMAC_MD5, a, m.hdr.msgid, rest, restlen, h) &&
	   !keymat_v1_hash_equal(IKEV2_PRF_HMAC_MD5, h, d.data, d.len),
	   "its HASH(1) = prf(SKEYID_a, M-ID | the rest but the padding) verifies");
	{
		static struct v1pl_sa sa;
		struct v1xf_esp esp;
		struct v1pl_id ci, cr;

		ok(!v1pl_sa_parse(&inner.pl[1], &sa) &&
		   sa.prop[0].proto == IKEV1_PROTO_IPSEC_ESP &&
		   !memcmp(sa.prop[0].spi, "\x12\x34\x56\x78", 4) &&
		   !v1xf_esp_decode(&sa.xf[0], &esp) &&
		   esp.encr == IKEV2_ENCR_3DES && esp.integ == IKEV2_INTEG_HMAC_MD5_96 &&
		   esp.group == IKEV1_GROUP_MODP1536 &&
		   esp.encap == IKEV1_ENCAP_UDP_TUNNEL && esp.life_secs == 1200,
		   "its SA: ESP_3DES, HMAC-MD5, PFS MODP 1536, UDP tunnel, 1200 s, SPI 12345678");
		ok(!v1pl_id_parse(&inner.pl[4], &ci) && ci.prefix == 32 &&
		   !v1pl_id_parse(&inner.pl[5], &cr) && cr.prefix == 16,
		   "its client IDs: 10.1.0.10/32 and 10.2.0.0/16");
		is_int(v1pl_ke_parse(&inner.pl[3], &d), V1_E_KEY_INFO,
		       "its KE is empty: INVALID-KEY-INFORMATION, pluto's answer");
	}
	v1crypt_iv_confirm(&qm);
	ok(ivis(&qm, "6392b93cbc2f6d32"), "QI1's last block chains on");

	/* 4. pluto's answer */
	{
		struct msg_hdr hi = hdr6;
		struct v1pl_notify n = { IKEV1_DOI_IPSEC, IKEV1_PROTO_ISAKMP, 0,
			IKEV1_N_INVALID_KEY_INFORMATION, NULL, NULL, 0 };
		size_t hstart;

		hi.exchange = IKEV1_EXCH_INFORMATIONAL;
		hi.msgid = 0x80010203;
		msg_build_init(&b, buf, sizeof(buf), &hi);
		d = (struct v1pl_data){ h, 16 };
		hstart = b.len;
		v1pl_add_data(&b, IKEV1_PL_HASH, &d);
		v1pl_add_notify(&b, &n);
		/* HASH(1) over what follows the HASH payload */
		ok(!keymat_v1_hash1(IKEV2_PRF_HMAC_MD5, a, hi.msgid,
				    buf + hstart + 20, b.len - hstart - 20,
				    buf + hstart + 4) &&
		   !memcmp(buf + hstart + 4, "\x27\xdb\x01\xb0\xde\xe0\x08\x3b"
			   "\x4c\x53\x83\x51\xdd\xd5\xa9\xcf", 16),
		   "the Informational's HASH(1) is pluto's 27db01b0...");
		ok(!v1crypt_iv_phase2(&info, &k, &p1, hi.msgid) &&
		   !v1crypt_encrypt(&k, &info, &b, &len), "it encrypts");
		unhex(os_info, want, sizeof(want));
		ok(len == 60 && !memcmp(buf, want, 60),
		   "and is the 60 bytes pluto sent (32 bytes: no padding)");
	}
	secbuf_free(a);
	v1crypt_key_free(&k);
	ok(!k.key, "v1crypt_key_free() drops the key");
}

/* ---- round trips -------------------------------------------------------- */

static const struct msg_hdr hdr = {
	.spi_i = { 1, 2, 3, 4, 5, 6, 7, 8 },
	.spi_r = { 9, 10, 11, 12, 13, 14, 15, 16 },
	.major = 1, .exchange = IKEV1_EXCH_QUICK,
	.flags = IKEV1_FLAG_ENCRYPTION, .msgid = 0x01020304,
};

/* A message of n VIDs of vlen bytes each, encrypted with k and iv. */
static enum v1_err seal(const struct v1crypt_key *k, struct v1crypt_iv *iv,
			unsigned int n, size_t vlen, size_t *len)
{
	static uint8_t v[512];
	struct v1pl_data d = { v, vlen };
	struct msg_builder b;

	for (size_t i = 0; i < sizeof(v); i++)
		v[i] = (uint8_t)(i * 7 + n);
	msg_build_init(&b, buf, sizeof(buf), &hdr);
	for (unsigned int i = 0; i < n; i++)
		v1pl_add_data(&b, IKEV1_PL_VID, &d);
	return v1crypt_encrypt(k, iv, &b, len);
}

static void test_roundtrips(void)
{
	static const struct { unsigned int encr, bits; } ciphers[] = {
		{ IKEV2_ENCR_DES, 0 }, { IKEV2_ENCR_3DES, 0 },
		{ IKEV2_ENCR_AES_CBC, 128 },
		{ IKEV2_ENCR_AES_CBC, 192 }, { IKEV2_ENCR_AES_CBC, 256 },
	};
	static const uint8_t gxi[64] = { 1 }, gxr[64] = { 2 };

	for (size_t c = 0; c < sizeof(ciphers) / sizeof(ciphers[0]); c++) {
		struct v1crypt_key k;
		struct v1crypt_iv ivi, ivr, p2i, p2r;
		struct secbuf *key = secbuf_new(ciphers[c].bits ? ciphers[c].bits / 8 :
						ciphers[c].encr == IKEV2_ENCR_DES ? 8 : 24);
		unsigned int bad = 0, msgs = 0;
		size_t len, pad, bs;

		for (size_t i = 0; i < key->len; i++)
			key->data[i] = (uint8_t)(0x30 + i);
		if (v1crypt_key_init(&k, ciphers[c].encr, ciphers[c].bits,
				     IKEV2_PRF_HMAC_SHA2_256, key)) {
			ok(0, "key init");
			secbuf_free(key);
			continue;
		}
		bs = k.encr.block_len;
		v1crypt_iv_phase1(&ivi, &k, gxi, sizeof(gxi), gxr, sizeof(gxr));
		v1crypt_iv_phase1(&ivr, &k, gxi, sizeof(gxi), gxr, sizeof(gxr));
		/* Six messages each way, of lengths around the block size. */
		for (unsigned int i = 0; i < 12; i++) {
			struct v1crypt_iv *tx = i & 1 ? &ivr : &ivi;
			struct v1crypt_iv *rx = i & 1 ? &ivi : &ivr;
			size_t vlen = 1 + i * 5;

			msgs++;
			if (seal(&k, tx, 1 + i % 3, vlen, &len) ||
			    (len - MSG_HDR_LEN) % bs || msg_validate(buf, len, &m) ||
			    v1crypt_decrypt(&k, rx, &m, plain, sizeof(plain), &inner,
					    &pad) ||
			    inner.n != 1 + i % 3 || pad >= bs ||
			    inner.raw_len + pad != len - MSG_HDR_LEN ||
			    memcmp(tx->pending, rx->pending, bs)) {
				bad++;
				continue;
			}
			v1crypt_iv_confirm(tx);
			v1crypt_iv_confirm(rx);
		}
		ok(!bad && !memcmp(ivi.iv, ivr.iv, bs),
		   "%s-%u: %u phase 1 messages, the IV chains of both ends agree",
		   ciphers[c].encr == IKEV2_ENCR_3DES ? "3DES" :
		   ciphers[c].encr == IKEV2_ENCR_DES ? "DES" : "AES",
		   ciphers[c].bits ? ciphers[c].bits :
		   ciphers[c].encr == IKEV2_ENCR_DES ? 64 : 192, msgs);
		/* Two Message IDs at once: separate chains off phase 1. */
		v1crypt_iv_phase2(&p2i, &k, &ivi, 1);
		v1crypt_iv_phase2(&p2r, &k, &ivi, 2);
		ok(memcmp(p2i.iv, p2r.iv, bs) && memcmp(p2i.iv, ivi.iv, bs),
		   "phase 2 IVs differ by Message ID");
		v1crypt_key_free(&k);
		secbuf_free(key);
	}
}

/* ---- padding and refusals ---------------------------------------------- */

/* Header + body of blen bytes (a chain and what follows it), encrypted. */
static size_t raw_message(const struct v1crypt_key *k,
			  const struct v1crypt_iv *iv, const uint8_t *body,
			  size_t blen, uint8_t first)
{
	struct msg_builder b;
	size_t len;

	msg_build_init(&b, buf, sizeof(buf), &hdr);
	b.buf[16] = first;
	msg_build_put(&b, body, blen);
	msg_build_finish(&b, &len);
	if (blen % k->encr.block_len == 0)
		crypto_encrypt(&k->encr, k->key->data, iv->iv, NULL, 0,
			       buf + MSG_HDR_LEN, blen, buf + MSG_HDR_LEN, NULL);
	return len;
}

static void test_padding(void)
{
	struct v1crypt_key k;
	struct v1crypt_iv iv;
	struct secbuf *key = secbuf_new(16);
	uint8_t body[600];
	size_t pad, len, l;
	enum v1_err e;

	v1crypt_key_init(&k, IKEV2_ENCR_AES_CBC, 128, IKEV2_PRF_HMAC_SHA1, key);
	memset(&iv, 0, sizeof(iv));
	iv.len = 16;
	memset(body, 0, sizeof(body));
	/* One VID of 8 bytes (12 with its header), then padding. */
	msg_set16(body + 2, 12);
	static const struct {
		size_t blen;
		uint8_t last;
		enum v1_err want;
		const char *what;
	} v[] = {
		{ 16, 0, V1_OK, "4 zero bytes to the block (libreswan, Cisco)" },
		{ 16, 3, V1_OK, "a final pad-length byte (racoon)" },
		{ 256, 0xee, V1_OK, "244 bytes of padding" },
		{ 272, 0, V1_E_PADDING, "260 bytes after the chain" },
		{ 8, 0, V1_E_ENC_LENGTH, "half a block" },
		{ 0, 0, V1_E_ENC_LENGTH, "no body" },
	};

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		if (v[i].blen)
			body[v[i].blen - 1] = v[i].last;
		len = raw_message(&k, &iv, body, v[i].blen, IKEV1_PL_VID);
		iv.pending_set = false;
		e = msg_validate(buf, len, &m) ? V1_E_INVALID :
		    v1crypt_decrypt(&k, &iv, &m, plain, sizeof(plain), &inner, &pad);
		ok(e == v[i].want && (e || pad == v[i].blen - 12) &&
		   iv.pending_set == !e, "padding: %s", v[i].what);
		if (v[i].blen)
			body[v[i].blen - 1] = 0;
	}
	/* A chain that runs past the body: a wrong key looks like this. */
	msg_set16(body + 2, 40);
	len = raw_message(&k, &iv, body, 32, IKEV1_PL_VID);
	ok(!msg_validate(buf, len, &m) &&
	   v1crypt_decrypt(&k, &iv, &m, plain, sizeof(plain), &inner, &pad) ==
	   V1_E_MALFORMED, "a payload longer than the body: malformed");
	for (l = 0; l < 32; l++)
		if (plain[l])
			break;
	ok(l == 32, "and the plaintext is wiped");
	msg_set16(body + 2, 12);
	len = raw_message(&k, &iv, body, 16, 99);
	ok(!msg_validate(buf, len, &m) &&
	   v1crypt_decrypt(&k, &iv, &m, plain, sizeof(plain), &inner, &pad) ==
	   V1_E_PAYLOAD_TYPE, "an unknown first payload: INVALID-PAYLOAD-TYPE");
	len = raw_message(&k, &iv, body, 16, IKEV1_PL_VID);
	ok(!msg_validate(buf, len, &m) &&
	   v1crypt_decrypt(&k, &iv, &m, plain, 15, &inner, &pad) == V1_E_NOSPACE,
	   "a plaintext buffer short of the body");
	m.v1_encrypted = false;
	ok(v1crypt_decrypt(&k, &iv, &m, plain, sizeof(plain), &inner, &pad) ==
	   V1_E_INVALID, "a message without the E flag is not decrypted");

	/* What the encoder refuses. */
	{
		struct msg_builder b;
		struct msg_hdr h = hdr;
		struct v1pl_data d = { body, 8 };

		h.flags = 0;
		msg_build_init(&b, buf, sizeof(buf), &h);
		v1pl_add_data(&b, IKEV1_PL_VID, &d);
		is_int(v1crypt_encrypt(&k, &iv, &b, &len), V1_E_INVALID,
		       "encrypt: a header without the E flag");
		h = hdr;
		msg_build_init(&b, buf, sizeof(buf), &h);
		is_int(v1crypt_encrypt(&k, &iv, &b, &len), V1_E_INVALID,
		       "encrypt: no payload");
		h.major = 2;
		msg_build_init(&b, buf, sizeof(buf), &h);
		v1pl_add_data(&b, IKEV1_PL_VID, &d);
		is_int(v1crypt_encrypt(&k, &iv, &b, &len), V1_E_INVALID,
		       "encrypt: an IKEv2 header");
		msg_build_init(&b, buf, 40, &hdr);
		v1pl_add_data(&b, IKEV1_PL_VID, &d);
		is_int(v1crypt_encrypt(&k, &iv, &b, &len), V1_E_NOSPACE,
		       "encrypt: no room for the padding");
	}
	v1crypt_key_free(&k);

	/* Keys */
	is_int(v1crypt_key_init(&k, IKEV2_ENCR_AES_GCM_16, 128,
				IKEV2_PRF_HMAC_SHA1, key), -ENOTSUP,
	       "no AEAD for IKEv1");
	is_int(v1crypt_key_init(&k, IKEV2_ENCR_DES, 0, IKEV2_PRF_HMAC_SHA1, key),
	       -EINVAL, "a 16-byte key for single DES (IOS's default policy)");
	is_int(v1crypt_key_init(&k, IKEV2_ENCR_AES_CBC, 256,
				IKEV2_PRF_HMAC_SHA1, key), -EINVAL,
	       "a 16-byte key for AES-256");
	is_int(v1crypt_key_init(&k, IKEV2_ENCR_AES_CBC, 128,
				IKEV2_PRF_AES128_XCBC, key), -ENOTSUP,
	       "no IVs without a hash");
	ok(!k.key, "nothing kept when refused");
	/* An MD5 IV is long enough for AES's 16 bytes; check the phase 1 IV. */
	{
		static const uint8_t gi[] = "abc";
		uint8_t md5[16];

		ok(!v1crypt_key_init(&k, IKEV2_ENCR_AES_CBC, 128,
				     IKEV2_PRF_HMAC_MD5, key) &&
		   !v1crypt_iv_phase1(&iv, &k, gi, 1, gi + 1, 2) &&
		   unhex("900150983cd24fb0d6963f7d28e17f72", md5, 16) == 16 &&
		   iv.len == 16 && !memcmp(iv.iv, md5, 16),
		   "phase 1 IV = MD5(g^xi | g^xr), all 16 bytes for AES");
		v1crypt_key_free(&k);
	}
	secbuf_free(key);
}

/*
 * NAT-D (RFC 3947 3.2) against lp109's Main Mode 3, as the responder saw
 * it arrive from 93.184.216.34:55044 at 192.168.0.2:500: the initiator's
 * first NAT-D hashes the responder's address, its second one its own
 * address before the NAT, so it differs from what arrived; pluto's own
 * NAT-D for the initiator (output1.txt) hashes what arrived.
 */
static void test_natd(void)
{
	static const uint8_t resp[4] = { 192, 168, 0, 2 };
	static const uint8_t init[4] = { 93, 184, 216, 34 };
	const struct msg_payload *p;
	uint8_t h[CRYPTO_PRF_MAX];
	struct v1pl_data d1 = { NULL, 0 }, d2 = { NULL, 0 };

	if (read_pcap(LP109 "v1rwnatM2.pcap", &cap) || cap.n != 1 ||
	    msg_validate(cap.msg[0], cap.len[0], &m)) {
		skip("lp109 v1rwnatM2.pcap not found");
		return;
	}
	p = msg_find(&m, IKEV1_PL_NAT_D, 0);
	ok(p && !v1pl_natd_parse(p, &d1) &&
	   !v1pl_natd_parse(msg_find(&m, IKEV1_PL_NAT_D, (unsigned int)(p - m.pl) + 1), &d2) &&
	   !keymat_v1_natd(IKEV2_PRF_HMAC_MD5, m.hdr.spi_i, m.hdr.spi_r, resp, 4,
			   500, h) && d1.len == 16 && !memcmp(h, d1.data, 16),
	   "NAT-D = MD5(CKY-I | CKY-R | 192.168.0.2 | 500): lp109's first NAT-D");
	ok(!keymat_v1_natd(IKEV2_PRF_HMAC_MD5, m.hdr.spi_i, m.hdr.spi_r, init, 4,
			   55044, h) && d2.len == 16 && memcmp(h, d2.data, 16) &&
	   hexeq(h, 16, "1c611296eb162d56d498f1a01bb04390"),
	   "the initiator is behind a NAT; pluto's NAT-D of it is ours");
	ok(keymat_v1_natd(IKEV2_PRF_HMAC_MD5, m.hdr.spi_i, m.hdr.spi_r, init, 5,
			  1, h) == -EINVAL, "NAT-D of a 5-byte address");
}

int main(void)
{
	test_openswan();
	test_natd();
	test_roundtrips();
	test_padding();
	crypto_cleanup();
	return done_testing();
}
