// SPDX-License-Identifier: GPL-2.0
/*
 * ikehelper/keymat_v1.c against the NIST CAVP SP 800-135 IKEv1 vectors
 * (../shared/vectors/ike-kdf/nist_cavp_ikev1_psk.fax and _dsa.fax,
 * parsed at run time): every case of every section (SHA-1, SHA-256,
 * SHA-384, SHA-512) checks
 *	SKEYID = prf(pre-shared-key, Ni_b | Nr_b)	(psk)
 *	SKEYID = prf(Ni_b | Nr_b, g^xy)			(dsa: signatures)
 *	SKEYID_d, SKEYID_a, SKEYID_e			(RFC 2409 5)
 * the children from the published SKEYID, not ours.
 *
 * Then what NIST does not cover, against values computed once with
 * Python's hmac module from the inputs below (RFC 2409 formulas, written
 * out independently of this code): the Appendix B encryption key, HASH_I
 * and HASH_R, Quick Mode HASH(1), (2), (3), and KEYMAT with and without
 * PFS; and crypto_hash() against the FIPS 180 / RFC 1321 test strings.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "keymat_v1.h"
#include "tap.h"
#include "v1_vectors.h"

/* ---- the CAVP files ----------------------------------------------------- */

#define F_MAX 1100

struct field {
	uint8_t d[F_MAX];
	size_t len;
};

struct kdf_case {
	int count;
	struct field cky_i, cky_r, ni, nr, gxy, psk;
	struct field skeyid, skeyid_d, skeyid_a, skeyid_e;
};

enum { C_SKEYID, C_D, C_A, C_E, C_NCHECKS };
static const char *const check_names[C_NCHECKS] = {
	"SKEYID", "SKEYID_d", "SKEYID_a", "SKEYID_e",
};

struct tally {
	char name[96];
	unsigned int prf;
	int cases;
	int fail[C_NCHECKS];
};

static int total_cases, total_fail;

static bool same(const struct secbuf *got, const struct field *want)
{
	return got && got->len == want->len &&
	       !memcmp(got->data, want->d, want->len);
}

static void check(struct tally *t, int which, bool pass, int count)
{
	if (pass)
		return;
	if (!t->fail[which])
		printf("# %s COUNT = %d: %s differs\n", t->name, count,
		       check_names[which]);
	t->fail[which]++;
	total_fail++;
}

static void run_case(struct tally *t, const struct kdf_case *c, bool psk)
{
	struct secbuf *gxy = secbuf_dup(c->gxy.d, c->gxy.len);
	struct secbuf *skeyid = NULL, *published;
	struct keymat_v1 k;
	int r;

	t->cases++;
	total_cases++;
	if (psk)
		r = keymat_v1_skeyid_psk(t->prf, c->psk.d, c->psk.len, c->ni.d,
					 c->ni.len, c->nr.d, c->nr.len, &skeyid);
	else
		r = keymat_v1_skeyid_sig(t->prf, c->ni.d, c->ni.len, c->nr.d,
					 c->nr.len, gxy, &skeyid);
	check(t, C_SKEYID, !r && same(skeyid, &c->skeyid), c->count);
	published = secbuf_dup(c->skeyid.d, c->skeyid.len);
	r = keymat_v1_derive(t->prf, published, gxy, c->cky_i.d, c->cky_r.d,
			     &k);
	check(t, C_D, !r && same(k.skeyid_d, &c->skeyid_d), c->count);
	check(t, C_A, !r && same(k.skeyid_a, &c->skeyid_a), c->count);
	check(t, C_E, !r && same(k.skeyid_e, &c->skeyid_e) &&
	      same(k.skeyid, &c->skeyid), c->count);
	keymat_v1_free(&k);
	secbuf_free(published);
	secbuf_free(skeyid);
	secbuf_free(gxy);
}

static void end_section(struct tally *t)
{
	if (!t->cases)
		return;
	for (int i = 0; i < C_NCHECKS; i++)
		ok(!t->fail[i], "%s: %s, %d cases (%d wrong)", t->name,
		   check_names[i], t->cases, t->fail[i]);
	memset(t, 0, sizeof(*t));
}

static struct field *case_field(struct kdf_case *c, const char *key)
{
	static const struct { const char *k; size_t off; } map[] = {
		{ "CKY_I", offsetof(struct kdf_case, cky_i) },
		{ "CKY_R", offsetof(struct kdf_case, cky_r) },
		{ "Ni", offsetof(struct kdf_case, ni) },
		{ "Nr", offsetof(struct kdf_case, nr) },
		{ "g^xy", offsetof(struct kdf_case, gxy) },
		{ "pre-shared-key", offsetof(struct kdf_case, psk) },
		{ "SKEYID", offsetof(struct kdf_case, skeyid) },
		{ "SKEYID_d", offsetof(struct kdf_case, skeyid_d) },
		{ "SKEYID_a", offsetof(struct kdf_case, skeyid_a) },
		{ "SKEYID_e", offsetof(struct kdf_case, skeyid_e) },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(key, map[i].k))
			return (struct field *)(void *)((char *)c + map[i].off);
	return NULL;
}

static unsigned int section_prf(const char *line)
{
	if (!strncmp(line, "[SHA-1]", 7))
		return IKEV2_PRF_HMAC_SHA1;
	if (!strncmp(line, "[SHA-256]", 9))
		return IKEV2_PRF_HMAC_SHA2_256;
	if (!strncmp(line, "[SHA-384]", 9))
		return IKEV2_PRF_HMAC_SHA2_384;
	if (!strncmp(line, "[SHA-512]", 9))
		return IKEV2_PRF_HMAC_SHA2_512;
	return 0;
}

/* One .fax file; the number of cases it had. */
static int run_file(const char *file, bool psk)
{
	static struct kdf_case c;
	static struct tally t;
	char path[4096], line[8192], gxy_len[32] = "";
	int fields = 0, want = psk ? 10 : 9, before = total_cases;
	int unsupported = 0;
	bool in_case = false;
	FILE *f;

	snprintf(path, sizeof(path), "%s/ike-kdf/%s", vectors_dir(), file);
	f = fopen(path, "r");
	if (!f) {
		printf("# %s not found\n", path);
		skip("NIST CAVP IKEv1 vectors not found");
		return 0;
	}
	memset(&t, 0, sizeof(t));
	for (;;) {
		bool eof = !fgets(line, sizeof(line), f);
		char *eq;

		if (in_case && (eof || line[0] == '[' ||
				!strncmp(line, "COUNT", 5))) {
			if (fields == want && t.prf)
				run_case(&t, &c, psk);
			else
				ok(0, "%s COUNT = %d: %d of %d fields", t.name,
				   c.count, fields, want);
			in_case = false;
		}
		if (eof)
			break;
		if (line[0] == '[') {
			if (!strncmp(line, "[g^xy length", 12)) {
				end_section(&t);
				snprintf(gxy_len, sizeof(gxy_len), "%.*s",
					 (int)strcspn(line + 15, "]"), line + 15);
			} else if (!strncmp(line, "[SHA", 4)) {
				end_section(&t);
				t.prf = section_prf(line);
				if (!t.prf)
					unsupported++;
				snprintf(t.name, sizeof(t.name),
					 "%s %.*s g^xy %s bits", psk ? "PSK" : "DSA",
					 (int)strcspn(line + 1, "]"), line + 1,
					 gxy_len);
			} else if (!strncmp(line, "[Ni length", 10) ||
				   !strncmp(line, "[pre-shared-key length", 22)) {
				size_t n = strlen(t.name);
				const char *v = strchr(line, '=');

				snprintf(t.name + n, sizeof(t.name) - n, ", %s %.*s",
					 line[1] == 'N' ? "Ni" : "PSK",
					 v ? (int)strcspn(v + 2, "]") : 0,
					 v ? v + 2 : "");
			}
			continue;
		}
		if (!strncmp(line, "COUNT", 5)) {
			memset(&c, 0, sizeof(c));
			c.count = atoi(strchr(line, '=') + 1);
			in_case = true;
			fields = 0;
			continue;
		}
		eq = strchr(line, '=');
		if (in_case && eq && line[0] != '#') {
			char *k = line, *val = eq + 1;
			struct field *fl;

			*eq = '\0';
			while (eq > k && eq[-1] == ' ')
				*--eq = '\0';
			fl = case_field(&c, k);
			if (fl) {
				fl->len = unhex(val, fl->d, F_MAX);
				if (fl->len == SIZE_MAX || !fl->len)
					ok(0, "COUNT = %d: %s is not hex",
					   c.count, k);
				else
					fields++;
			}
		}
	}
	end_section(&t);
	fclose(f);
	ok(!unsupported && total_cases > before,
	   "%s: %d cases, no section with an unsupported hash", file,
	   total_cases - before);
	return total_cases - before;
}

static void test_cavp(void)
{
	int psk = run_file("nist_cavp_ikev1_psk.fax", true);
	int dsa = run_file("nist_cavp_ikev1_dsa.fax", false);

	ok(psk + dsa == 3400 && !total_fail,
	   "NIST CAVP IKEv1: %d PSK + %d DSA cases, 4 keys each, %d wrong",
	   psk, dsa, total_fail);
	printf("# NIST CAVP IKEv1 KDF: %d cases passed of %d\n",
	       total_cases - total_fail, total_cases);
}

/* ---- beyond NIST: values computed once with Python's hmac --------------- */

static bool hexeq(const uint8_t *got, size_t len, const char *want)
{
	uint8_t w[256];

	return unhex(want, w, sizeof(w)) == len && !memcmp(got, w, len);
}

static struct secbuf *range(uint8_t from, size_t n)
{
	struct secbuf *sb = secbuf_new(n);

	for (size_t i = 0; sb && i < n; i++)
		sb->data[i] = (uint8_t)(from + i);
	return sb;
}

static void test_enc_key(void)
{
	static const struct {
		unsigned int prf;
		uint8_t from;
		size_t elen, klen;
		const char *want;
	} v[] = {
		/* MD5's 16 bytes are short of AES-256's key: K1 | K2 */
		{ IKEV2_PRF_HMAC_MD5, 0xe0, 16, 32,
		  "d2d99d0aaed6973942aaf6db6cc18939971f3e829614d882357278697a7bfc12" },
		/* SHA-1's 20 of 3DES's 24 */
		{ IKEV2_PRF_HMAC_SHA1, 0xe0, 20, 24,
		  "e73a4b932377c2d2e71a1ad293b736c16e6b1e41f724bc1d" },
		/* long enough: SKEYID_e itself */
		{ IKEV2_PRF_HMAC_SHA2_256, 0xe0, 32, 32,
		  "e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff" },
		{ IKEV2_PRF_HMAC_MD5, 0xe0, 16, 24,
		  "d2d99d0aaed6973942aaf6db6cc18939971f3e829614d882" },
	};

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct secbuf *e = range(v[i].from, v[i].elen), *key = NULL;
		int r = keymat_v1_enc_key(v[i].prf, e, v[i].klen, &key);

		ok(!r && key && key->len == v[i].klen &&
		   hexeq(key->data, key->len, v[i].want),
		   "Appendix B: a %zu-byte key from a %zu-byte SKEYID_e",
		   v[i].klen, v[i].elen);
		secbuf_free(key);
		secbuf_free(e);
	}
	{
		struct secbuf *e = range(0, 16), *key = NULL;

		ok(keymat_v1_enc_key(IKEV2_PRF_HMAC_MD5, e, 0, &key) == -EINVAL &&
		   keymat_v1_enc_key(IKEV2_PRF_HMAC_MD5, e, 37, &key) == -EINVAL &&
		   keymat_v1_enc_key(IKEV2_PRF_AES128_XCBC, e, 16, &key) ==
		   -ENOTSUP && !key, "no key of 0 or 37 bytes, or from XCBC");
		secbuf_free(e);
	}
}

static void test_hashes(void)
{
	static const uint8_t sai[] = {
		0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
		0x00, 0x28, 0x01, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x20,
		0x01, 0x01, 0x00, 0x00, 0x80, 0x01, 0x00, 0x07, 0x80, 0x02,
		0x00, 0x02, 0x80, 0x03, 0x00, 0x01, 0x80, 0x04, 0x00, 0x02,
		0x80, 0x01, 0x00, 0x0e, 0x00, 0x80 };
	static const uint8_t idii[] = { 1, 0, 0, 0, 192, 0, 2, 1 };
	static const uint8_t idir[] = { 1, 0, 0, 0, 192, 0, 2, 2 };
	static const uint8_t rest[] = {
		0x01, 0x00, 0x00, 0x34, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
		0x00, 0x01, 0x00, 0x00, 0x00, 0x28, 0x00, 0x03, 0x04, 0x01,
		0xca, 0xfe, 0xf0, 0x0d, 0x00, 0x00, 0x00, 0x1c, 0x03, 0x0c,
		0x00, 0x00, 0x80, 0x04, 0x00, 0x01, 0x80, 0x05, 0x00, 0x02,
		0x80, 0x06, 0x00, 0x80 };
	struct secbuf *skeyid = range(0x40, 20), *a = range(0xa0, 32);
	struct secbuf *gxi = range(1, 32), *gxr = range(101, 32);
	struct secbuf *ni = range(0x10, 16), *nr = range(0x20, 16);
	struct keymat_v1_p1 p1 = {
		gxi->data, gxi->len, gxr->data, gxr->len,
		{ 1, 2, 3, 4, 5, 6, 7, 8 },
		{ 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18 },
		sai, sizeof(sai),
	};
	uint8_t out[CRYPTO_PRF_MAX], want[CRYPTO_PRF_MAX];
	const unsigned int sha1 = IKEV2_PRF_HMAC_SHA1,
			   sha256 = IKEV2_PRF_HMAC_SHA2_256;

	ok(!keymat_v1_hash_p1(sha1, skeyid, &p1, false, idii, sizeof(idii),
			      out) &&
	   hexeq(out, 20, "b8e86fcaca647896399670ab93222546e9afa221"),
	   "HASH_I = prf(SKEYID, g^xi | g^xr | CKY-I | CKY-R | SAi_b | IDii_b)");
	ok(!keymat_v1_hash_p1(sha1, skeyid, &p1, true, idir, sizeof(idir),
			      out) &&
	   hexeq(out, 20, "dd440636884848fcd010d6392ca920e9250b977b"),
	   "HASH_R = prf(SKEYID, g^xr | g^xi | CKY-R | CKY-I | SAi_b | IDir_b)");
	memcpy(want, out, 20);
	ok(!keymat_v1_hash_equal(sha1, out, want, 20), "a HASH equals itself");
	want[19] ^= 1;
	ok(keymat_v1_hash_equal(sha1, out, want, 20) == -EBADMSG,
	   "one bit off: -EBADMSG");
	want[19] ^= 1;
	ok(keymat_v1_hash_equal(sha1, out, want, 19) == -EBADMSG &&
	   keymat_v1_hash_equal(sha1, out, want, 0) == -EBADMSG,
	   "a HASH of another length: -EBADMSG, not a prefix compare");
	ok(!keymat_v1_hash1(sha256, a, 0x80010203, rest, sizeof(rest), out) &&
	   hexeq(out, 32, "fd19821665dabb4475feb2f9ee33e1b9a720ad09c45335ff3f362f6f4baa5dd9"),
	   "HASH(1) = prf(SKEYID_a, M-ID | SA | Ni [...])");
	ok(!keymat_v1_hash2(sha256, a, 0x80010203, ni->data, ni->len, rest,
			    sizeof(rest), out) &&
	   hexeq(out, 32, "e9ad11aef1df55f6746b420d08c1b499504b9ace94b9d93017cc52b0a493228c"),
	   "HASH(2) = prf(SKEYID_a, M-ID | Ni_b | SA | Nr [...])");
	ok(!keymat_v1_hash3(sha256, a, 0x80010203, ni->data, ni->len,
			    nr->data, nr->len, out) &&
	   hexeq(out, 32, "f07c7ec912e70d2bb349c962a55b59c3fc81f446a231d0e6ab657a656fb9ac66"),
	   "HASH(3) = prf(SKEYID_a, 0 | M-ID | Ni_b | Nr_b)");
	secbuf_free(skeyid);
	secbuf_free(a);
	secbuf_free(gxi);
	secbuf_free(gxr);
	secbuf_free(ni);
	secbuf_free(nr);
}

static void test_keymat(void)
{
	static const uint8_t spi[4] = { 0xca, 0xfe, 0xf0, 0x0d };
	struct secbuf *d = range(0xd0, 20), *d64 = secbuf_new(64);
	struct secbuf *gqm = range(0x60, 32);
	struct secbuf *ni = range(0x10, 16), *nr = range(0x20, 16);
	const char *nopfs = "25a7cbdf01bee4487287c160ba5e919c74ad6dbe"
			    "73c8cd56532c9bde8fe3a9f559450a51";
	const char *pfs = "818236c0f75f7ebbe287ef9a5e0e27c7e9082866"
			  "bf6bd3d2ba186f00c5c51d2f28b69b59";
	uint8_t out[96], w[96];
	struct keymat_v1_sa sa;
	size_t i;

	for (i = 0; i < 64; i++)
		d64->data[i] = (uint8_t)(0xd0 + i % 32);
	ok(!keymat_v1_keymat(IKEV2_PRF_HMAC_SHA1, d, NULL, IKEV1_PROTO_IPSEC_ESP,
			     spi, ni->data, 16, nr->data, 16, out, 36) &&
	   hexeq(out, 36, nopfs),
	   "KEYMAT = K1 | K2, K1 = prf(SKEYID_d, protocol | SPI | Ni_b | Nr_b)");
	ok(!keymat_v1_keymat(IKEV2_PRF_HMAC_SHA1, d, gqm, IKEV1_PROTO_IPSEC_ESP,
			     spi, ni->data, 16, nr->data, 16, out, 36) &&
	   hexeq(out, 36, pfs), "KEYMAT with PFS: g(qm)^xy first");
	ok(!keymat_v1_keymat(IKEV2_PRF_HMAC_SHA2_512, d64, NULL,
			     IKEV1_PROTO_IPSEC_ESP, spi, ni->data, 16, nr->data,
			     16, out, 96) &&
	   hexeq(out, 96, "aa95a332a2a859bd19ac8031bb7ea5093d386ac900a6c5dbf96dcf944994a5292610928d44a47e7688c0a8283d9063e160753442fa36b93a5452a4f161b5a4e0526d21e2d251f5098f49247f908f903775ca36035106cd6734bfa2e54a97e529"),
	   "KEYMAT of 96 bytes with HMAC-SHA2-512 (AES-256 + SHA2-512)");

	/* The cut: encryption key first, then integrity. */
	unhex(nopfs, w, sizeof(w));
	ok(!keymat_v1_esp_sa(IKEV2_PRF_HMAC_SHA1, d, NULL, spi, ni->data, 16,
			     nr->data, 16, IKEV2_ENCR_AES_CBC, 128,
			     IKEV2_INTEG_HMAC_SHA1_96, &sa) &&
	   sa.encr->len == 16 && sa.integ->len == 20 &&
	   !memcmp(sa.encr->data, w, 16) && !memcmp(sa.integ->data, w + 16, 20),
	   "ESP AES-128 + HMAC-SHA1: 16 bytes of key, then 20 of integrity key");
	keymat_v1_sa_free(&sa);
	ok(!keymat_v1_esp_sa(IKEV2_PRF_HMAC_SHA1, d, gqm, spi, ni->data, 16,
			     nr->data, 16, IKEV2_ENCR_AES_GCM_16, 256,
			     IKEV2_INTEG_NONE, &sa) &&
	   sa.encr->len == 36 && sa.integ->len == 0 &&
	   hexeq(sa.encr->data, 36, pfs),
	   "ESP AES-GCM-16-256: 32 bytes of key and the 4-byte salt (RFC 4106 8.1)");
	keymat_v1_sa_free(&sa);
	ok(!sa.encr && !sa.integ, "keymat_v1_sa_free() leaves no pointer");

	static const struct {
		unsigned int encr, bits, integ;
		int ret;
		size_t elen, alen;
		const char *what;
	} len[] = {
		{ IKEV2_ENCR_3DES, 0, IKEV2_INTEG_HMAC_MD5_96, 0, 24, 16, "3DES + MD5" },
		{ IKEV2_ENCR_DES, 0, IKEV2_INTEG_HMAC_SHA1_96, 0, 8, 20, "DES + SHA1" },
		{ IKEV2_ENCR_NULL, 0, IKEV2_INTEG_HMAC_SHA2_256_128, 0, 0, 32, "NULL + SHA2-256" },
		{ IKEV2_ENCR_AES_CBC, 192, IKEV2_INTEG_HMAC_SHA2_384_192, 0, 24, 48, "AES-192 + SHA2-384" },
		{ IKEV2_ENCR_AES_GCM_16, 128, IKEV2_INTEG_NONE, 0, 20, 0, "AES-GCM-16-128" },
		{ IKEV2_ENCR_AES_GCM_16, 128, IKEV2_INTEG_HMAC_SHA1_96, -ENOTSUP, 0, 0, "AES-GCM with integrity" },
		{ IKEV2_ENCR_AES_CBC, 128, IKEV2_INTEG_NONE, -ENOTSUP, 0, 0, "AES-CBC without" },
		{ IKEV2_ENCR_AES_CBC, 100, IKEV2_INTEG_HMAC_SHA1_96, -ENOTSUP, 0, 0, "AES-100" },
		{ IKEV2_ENCR_DES, 56, IKEV2_INTEG_HMAC_SHA1_96, -ENOTSUP, 0, 0, "DES-56" },
	};
	for (i = 0; i < sizeof(len) / sizeof(len[0]); i++) {
		size_t elen = 99, alen = 99;
		int r = keymat_v1_esp_lengths(len[i].encr, len[i].bits,
					      len[i].integ, &elen, &alen);

		ok(r == len[i].ret && (r || (elen == len[i].elen &&
					     alen == len[i].alen)),
		   "ESP key lengths: %s", len[i].what);
	}
	ok(keymat_v1_esp_sa(IKEV2_PRF_HMAC_SHA1, d, NULL, spi, ni->data, 16,
			    nr->data, 16, IKEV2_ENCR_AES_CBC, 128,
			    IKEV2_INTEG_NONE, &sa) == -ENOTSUP &&
	   !sa.encr && !sa.integ, "no keys for an inconsistent SA");
	secbuf_free(d);
	secbuf_free(d64);
	secbuf_free(gqm);
	secbuf_free(ni);
	secbuf_free(nr);
}

static void test_errors(void)
{
	struct secbuf *k = range(1, 20), *out = NULL;
	struct keymat_v1 km;

	ok(keymat_v1_skeyid_psk(IKEV2_PRF_AES128_XCBC, (const uint8_t *)"x", 1, NULL, 0, NULL, 0,
				&out) == -ENOTSUP && !out,
	   "SKEYID with an unsupported PRF: -ENOTSUP, nothing out");
	ok(keymat_v1_derive(77, k, k, (const uint8_t *)"12345678",
			    (const uint8_t *)"12345678", &km) == -ENOTSUP &&
	   !km.skeyid && !km.skeyid_d && !km.skeyid_a && !km.skeyid_e,
	   "a derivation that fails leaves no key");
	ok(!keymat_v1_skeyid_psk(IKEV2_PRF_HMAC_MD5, (const uint8_t *)"x", 1, NULL, 0, NULL, 0,
				 &out) && out && out->len == 16,
	   "SKEYID with HMAC-MD5 is 16 bytes");
	secbuf_free(out);
	secbuf_free(k);
}

static void test_crypto_hash(void)
{
	static const struct {
		unsigned int prf;
		const char *want;
	} v[] = {
		/* RFC 1321 A.5, FIPS 180-2 B.1, B.1 (SHA-384/512: C.1, D.1) */
		{ IKEV2_PRF_HMAC_MD5, "900150983cd24fb0d6963f7d28e17f72" },
		{ IKEV2_PRF_HMAC_SHA1, "a9993e364706816aba3e25717850c26c9cd0d89d" },
		{ IKEV2_PRF_HMAC_SHA2_256,
		  "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
		{ IKEV2_PRF_HMAC_SHA2_384,
		  "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
		  "8086072ba1e7cc2358baeca134c825a7" },
		{ IKEV2_PRF_HMAC_SHA2_512,
		  "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
		  "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f" },
	};
	struct crypto_iov iov[2] = { { "a", 1 }, { "bc", 2 } };
	uint8_t out[CRYPTO_PRF_MAX];

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		ok(!crypto_hash(v[i].prf, iov, 2, out) &&
		   hexeq(out, crypto_prf_len(v[i].prf), v[i].want),
		   "crypto_hash(\"abc\") with the hash of PRF %u", v[i].prf);
	ok(crypto_hash(IKEV2_PRF_AES128_XCBC, iov, 2, out) == -ENOTSUP,
	   "no hash under AES-XCBC");
}

int main(void)
{
	test_cavp();
	test_enc_key();
	test_hashes();
	test_keymat();
	test_errors();
	test_crypto_hash();
	crypto_cleanup();
	return done_testing();
}
