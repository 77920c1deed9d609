// SPDX-License-Identifier: GPL-2.0
/*
 * ikehelper/keymat_v2.c against NIST CAVP SP 800-135 IKEv2 vectors
 * (../shared/vectors/ike-kdf/nist_cavp_ikev2.fax, parsed at run time):
 * every case of every section (SHA-1, SHA-256, SHA-384, SHA-512) checks
 *	SKEYSEED = prf(Ni | Nr, g^ir)
 *	DKM = prf+(SKEYSEED, Ni | Nr | SPIi | SPIr)
 *	DKM(Child SA) = prf+(SK_d, Ni | Nr)
 *	DKM(Child SA D-H) = prf+(SK_d, g^ir (new) | Ni | Nr)
 *	SKEYSEED(Rekey) = prf(SK_d, g^ir (new) | Ni | Nr)
 * where SK_d is the first PRF-length bytes of DKM, and that the IKE and
 * Child SA keys are cut from those streams in RFC 7296 order.  Then the
 * PSK AUTH value (RFC 7296 2.15) against values computed independently
 * with Python's hmac module.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "keymat_v2.h"
#include "tap.h"

#ifndef IKEVTI_VECTORS
#define IKEVTI_VECTORS "../../../shared/vectors"
#endif

static size_t unhex(const char *s, uint8_t *out, size_t max)
{
	size_t n = 0;
	int hi = -1;

	for (; *s; s++) {
		int v;

		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
			continue;
		if (*s >= '0' && *s <= '9')
			v = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			v = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			v = *s - 'A' + 10;
		else
			return SIZE_MAX;
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (n >= max)
			return SIZE_MAX;
		out[n++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	return hi < 0 ? n : SIZE_MAX;
}

/* ---- the CAVP file ----------------------------------------------------- */

#define F_MAX 1024

struct field {
	uint8_t d[F_MAX];
	size_t len;
};

struct kdf_case {
	int count;
	struct field ni, nr, gir, gir_new, spii, spir;
	struct field skeyseed, dkm, child, child_dh, rekey;
};

/* Per-section tallies: one TAP line per section and check. */
struct tally {
	char name[80];
	unsigned int prf;
	unsigned int dkm_bits, child_bits;	/* from the section header */
	int cases;
	int fail[16];
};

enum { C_LENGTHS, C_SKEYSEED, C_DKM, C_IKE_SPLIT, C_CHILD, C_CHILD_DH, C_CHILD_SPLIT,
       C_REKEY, C_NCHECKS };

static const char *const check_names[C_NCHECKS] = {
	"field lengths match the header", "SKEYSEED", "DKM", "IKE SA keys cut from DKM", "DKM(Child SA)",
	"DKM(Child SA D-H)", "Child SA keys cut from the DKM",
	"SKEYSEED(Rekey)",
};

static int total_cases, total_checks, total_fail;

static void check(struct tally *t, int which, bool pass, int count)
{
	total_checks++;
	if (pass)
		return;
	if (!t->fail[which])
		printf("# %s COUNT = %d: %s differs\n", t->name, count,
		       check_names[which]);
	t->fail[which]++;
	total_fail++;
}

static bool same(const uint8_t *got, const struct field *want)
{
	return !memcmp(got, want->d, want->len);
}

/* Transform sets the cut checks rotate through. */
static const struct keymat_v2_algs algs_set[] = {
	{ 0, IKEV2_ENCR_AES_CBC, 128, IKEV2_INTEG_HMAC_SHA1_96 },
	{ 0, IKEV2_ENCR_AES_CBC, 256, IKEV2_INTEG_HMAC_SHA2_256_128 },
	{ 0, IKEV2_ENCR_AES_GCM_16, 256, IKEV2_INTEG_NONE },
	{ 0, IKEV2_ENCR_3DES, 0, IKEV2_INTEG_HMAC_SHA2_512_256 },
	{ 0, IKEV2_ENCR_CHACHA20_POLY1305, 0, IKEV2_INTEG_NONE },
	{ 0, IKEV2_ENCR_AES_CBC, 192, IKEV2_INTEG_HMAC_SHA2_384_192 },
	{ 0, IKEV2_ENCR_AES_GCM_16, 128, IKEV2_INTEG_NONE },
};

/* Each key must equal its slice of the stream, where the stream has one. */
static bool cut_ok(const struct secbuf *const *keys, size_t n,
		   const struct field *stream)
{
	size_t i, off = 0;

	for (i = 0; i < n; i++) {
		if (!keys[i])
			return false;
		if (off + keys[i]->len <= stream->len &&
		    memcmp(keys[i]->data, stream->d + off, keys[i]->len))
			return false;
		off += keys[i]->len;
	}
	return true;
}

static void run_case(struct tally *t, const struct kdf_case *c)
{
	static uint8_t out[F_MAX];
	const struct keymat_v2_algs *a =
		&algs_set[(size_t)c->count % (sizeof(algs_set) / sizeof(algs_set[0]))];
	struct keymat_v2_algs algs = *a;
	size_t plen = crypto_prf_len(t->prf);
	struct secbuf *gir = secbuf_dup(c->gir.d, c->gir.len);
	struct secbuf *gir_new = secbuf_dup(c->gir_new.d, c->gir_new.len);
	struct secbuf *skeyseed = NULL, *sk_d, *rekey = NULL;
	struct keymat_v2_ike ike;
	struct keymat_v2_child child;
	int r;

	t->cases++;
	total_cases++;
	check(t, C_LENGTHS, c->dkm.len * 8 == t->dkm_bits &&
	      c->child.len * 8 == t->child_bits &&
	      c->child_dh.len == c->child.len &&
	      c->skeyseed.len == plen && c->rekey.len == plen &&
	      c->spii.len == 8 && c->spir.len == 8, c->count);
	r = keymat_v2_skeyseed(t->prf, c->ni.d, c->ni.len, c->nr.d, c->nr.len,
			       gir, &skeyseed);
	check(t, C_SKEYSEED, !r && skeyseed->len == c->skeyseed.len &&
	      same(skeyseed->data, &c->skeyseed), c->count);
	/* The rest starts from the published values, not ours. */
	secbuf_free(skeyseed);
	skeyseed = secbuf_dup(c->skeyseed.d, c->skeyseed.len);
	r = keymat_v2_ike_stream(t->prf, skeyseed, c->ni.d, c->ni.len,
				 c->nr.d, c->nr.len, c->spii.d, c->spir.d,
				 out, c->dkm.len);
	check(t, C_DKM, !r && same(out, &c->dkm), c->count);

	algs.prf = (uint16_t)t->prf;
	r = keymat_v2_ike_derive(&algs, skeyseed, c->ni.d, c->ni.len,
				 c->nr.d, c->nr.len, c->spii.d, c->spir.d,
				 &ike);
	{
		const struct secbuf *keys[] = { ike.sk_d, ike.sk_ai, ike.sk_ar,
			ike.sk_ei, ike.sk_er, ike.sk_pi, ike.sk_pr };

		check(t, C_IKE_SPLIT, !r && ike.sk_d->len == plen &&
		      ike.sk_pr->len == plen && cut_ok(keys, 7, &c->dkm),
		      c->count);
	}
	keymat_v2_ike_free(&ike);

	sk_d = secbuf_dup(c->dkm.d, plen);
	r = keymat_v2_child_stream(t->prf, sk_d, NULL, c->ni.d, c->ni.len,
				   c->nr.d, c->nr.len, out, c->child.len);
	check(t, C_CHILD, !r && same(out, &c->child), c->count);
	r = keymat_v2_child_stream(t->prf, sk_d, gir_new, c->ni.d, c->ni.len,
				   c->nr.d, c->nr.len, out, c->child_dh.len);
	check(t, C_CHILD_DH, !r && same(out, &c->child_dh), c->count);

	/* Alternate PFS and no PFS for the cut. */
	r = keymat_v2_child_derive(t->prf, sk_d, c->count & 1 ? gir_new : NULL,
				   c->ni.d, c->ni.len, c->nr.d, c->nr.len,
				   &algs, &child);
	{
		const struct secbuf *keys[] = { child.encr_i, child.integ_i,
			child.encr_r, child.integ_r };

		check(t, C_CHILD_SPLIT, !r && cut_ok(keys, 4,
			c->count & 1 ? &c->child_dh : &c->child), c->count);
	}
	keymat_v2_child_free(&child);

	r = keymat_v2_skeyseed_rekey(t->prf, sk_d, gir_new, c->ni.d,
				     c->ni.len, c->nr.d, c->nr.len, &rekey);
	check(t, C_REKEY, !r && rekey->len == c->rekey.len &&
	      same(rekey->data, &c->rekey), c->count);

	secbuf_free(rekey);
	secbuf_free(sk_d);
	secbuf_free(skeyseed);
	secbuf_free(gir);
	secbuf_free(gir_new);
}

static void end_section(struct tally *t)
{
	int i;

	if (!t->cases)
		return;
	for (i = 0; i < C_NCHECKS; i++)
		ok(!t->fail[i], "%s: %s, %d cases (%d wrong)", t->name,
		   check_names[i], t->cases, t->fail[i]);
	memset(t, 0, sizeof(*t));
}

static struct field *case_field(struct kdf_case *c, const char *key)
{
	static const struct { const char *k; size_t off; } map[] = {
		{ "Ni", offsetof(struct kdf_case, ni) },
		{ "Nr", offsetof(struct kdf_case, nr) },
		{ "g^ir", offsetof(struct kdf_case, gir) },
		{ "g^ir (new)", offsetof(struct kdf_case, gir_new) },
		{ "SPIi", offsetof(struct kdf_case, spii) },
		{ "SPIr", offsetof(struct kdf_case, spir) },
		{ "SKEYSEED", offsetof(struct kdf_case, skeyseed) },
		{ "DKM", offsetof(struct kdf_case, dkm) },
		{ "DKM(Child SA)", offsetof(struct kdf_case, child) },
		{ "DKM(Child SA D-H)", offsetof(struct kdf_case, child_dh) },
		{ "SKEYSEED(Rekey)", offsetof(struct kdf_case, rekey) },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
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

static void test_cavp(void)
{
	static struct kdf_case c;
	static struct tally t;
	char path[4096], line[8192], gir_len[32] = "";
	const char *dir = getenv("IKEVTI_VECTORS");
	int unsupported = 0, fields = 0;
	bool in_case = false;
	FILE *f;

	if (!dir || !*dir)
		dir = IKEVTI_VECTORS;
	snprintf(path, sizeof(path), "%s/ike-kdf/nist_cavp_ikev2.fax", dir);
	f = fopen(path, "r");
	if (!f) {
		printf("# %s not found\n", path);
		skip("NIST CAVP IKEv2 vectors not found");
		return;
	}
	for (;;) {
		bool eof = !fgets(line, sizeof(line), f);
		char *eq;

		/* A case ends at its last field or at the next header. */
		if (in_case && (eof || line[0] == '[' ||
				!strncmp(line, "COUNT", 5))) {
			if (fields == 11 && t.prf)
				run_case(&t, &c);
			else
				ok(0, "%s COUNT = %d: %d of 11 fields", t.name,
				   c.count, fields);
			in_case = false;
		}
		if (eof)
			break;
		if (line[0] == '[') {
			if (!strncmp(line, "[g^ir length", 12)) {
				end_section(&t);
				snprintf(gir_len, sizeof(gir_len), "%.*s",
					 (int)strcspn(line + 15, "]"),
					 line + 15);
			} else if (!strncmp(line, "[SHA", 4)) {
				end_section(&t);
				t.prf = section_prf(line);
				if (!t.prf)
					unsupported++;
				snprintf(t.name, sizeof(t.name),
					 "%.*s g^ir %s bits",
					 (int)strcspn(line + 1, "]"), line + 1,
					 gir_len);
			} else if (!strncmp(line, "[DKM length = ", 14)) {
				t.dkm_bits = (unsigned int)atoi(line + 14);
			} else if (!strncmp(line, "[Child SA DKM length = ",
					    23)) {
				t.child_bits = (unsigned int)atoi(line + 23);
			} else if (!strncmp(line, "[Ni length", 10)) {
				size_t n = strlen(t.name);

				snprintf(t.name + n, sizeof(t.name) - n,
					 ", Ni %.*s bits",
					 (int)strcspn(line + 13, "]"),
					 line + 13);
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
	ok(total_cases > 0 && !unsupported,
	   "NIST CAVP IKEv2: %d cases, %d checks, %d wrong; %d sections "
	   "with an unsupported PRF", total_cases, total_checks, total_fail,
	   unsupported);
	printf("# NIST CAVP IKEv2 KDF: %d cases run (%d checks)\n",
	       total_cases, total_checks);
}

/* ---- key lengths and errors -------------------------------------------- */

static void test_lengths(void)
{
	struct keymat_v2_algs a = { IKEV2_PRF_HMAC_SHA2_256,
				    IKEV2_ENCR_AES_GCM_16, 256,
				    IKEV2_INTEG_NONE };
	uint8_t ni[32] = { 1 }, nr[32] = { 2 }, spi_i[8] = { 3 }, spi_r[8] = { 4 };
	struct secbuf *seed = secbuf_new(32);
	struct keymat_v2_ike ike;
	struct keymat_v2_child child;
	size_t e, i;

	ok(!keymat_v2_key_lengths(&a, &e, &i) && e == 36 && i == 0,
	   "AES-GCM-16-256: 36 bytes of key + salt, no integrity key");
	a.integ = IKEV2_INTEG_HMAC_SHA2_256_128;
	ok(keymat_v2_key_lengths(&a, &e, &i) == -ENOTSUP,
	   "an AEAD with an integrity transform is refused");
	a.encr = IKEV2_ENCR_AES_CBC;
	a.integ = IKEV2_INTEG_NONE;
	ok(keymat_v2_key_lengths(&a, &e, &i) == -ENOTSUP,
	   "AES-CBC without an integrity transform is refused");
	a.integ = IKEV2_INTEG_HMAC_SHA2_512_256;
	ok(!keymat_v2_key_lengths(&a, &e, &i) && e == 32 && i == 64,
	   "AES-CBC-256 + HMAC-SHA2-512-256: 32 + 64 bytes");
	a.encr = IKEV2_ENCR_AES_GCM_16;
	a.integ = IKEV2_INTEG_NONE;
	ok(!keymat_v2_ike_derive(&a, seed, ni, 32, nr, 32, spi_i, spi_r, &ike) &&
	   ike.sk_d->len == 32 && ike.sk_ai->len == 0 && ike.sk_ei->len == 36 &&
	   ike.sk_pr->len == 32, "IKE SA with AES-GCM: empty SK_a, SK_e with salt");
	ok(!keymat_v2_child_derive(IKEV2_PRF_HMAC_SHA2_256, ike.sk_d, NULL, ni,
				   32, nr, 32, &a, &child) &&
	   child.encr_i->len == 36 && child.integ_i->len == 0 &&
	   !secbuf_equal(child.encr_i, child.encr_r),
	   "Child SA with AES-GCM: key || salt per direction, distinct");
	keymat_v2_child_free(&child);
	keymat_v2_ike_free(&ike);
	a.prf = IKEV2_PRF_AES128_XCBC;
	ok(keymat_v2_ike_derive(&a, seed, ni, 32, nr, 32, spi_i, spi_r,
				&ike) == -ENOTSUP && !ike.sk_d,
	   "an unsupported PRF derives nothing");
	secbuf_free(seed);
}

/* ---- PSK AUTH ---------------------------------------------------------- */

static void test_psk_auth(void)
{
	static const struct {
		const char *what;
		unsigned int prf;
		const char *psk, *id_hex, *want_hex;
	} t[] = {
		{ "HMAC-SHA2-256, ID_IPV4_ADDR", IKEV2_PRF_HMAC_SHA2_256,
		  "secret1", "010000000a000001",
		  "f478f99916669132d59204417bf6cf1ff6cdfab444b51d0c729ec4620d2e5d08" },
		{ "HMAC-SHA1, ID_KEY_ID", IKEV2_PRF_HMAC_SHA1,
		  "secret2", "0b0000007369746531",
		  "5307aa4dfad2ebe918ace52f03de35b8cae18048" },
	};
	uint8_t msg[64], nonce[32], id[16], want[64], got[64];
	size_t i, k, idlen, plen;

	for (k = 0; k < sizeof(msg); k++)
		msg[k] = (uint8_t)k;
	for (k = 0; k < sizeof(nonce); k++)
		nonce[k] = (uint8_t)(0xa0 + k);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct secbuf *skp;

		plen = crypto_prf_len(t[i].prf);
		skp = secbuf_new(plen);
		memset(skp->data, 0x11, plen);
		idlen = unhex(t[i].id_hex, id, sizeof(id));
		unhex(t[i].want_hex, want, sizeof(want));
		ok(!keymat_v2_psk_auth(t[i].prf, (const uint8_t *)t[i].psk,
				       strlen(t[i].psk), msg, sizeof(msg),
				       nonce, sizeof(nonce), skp, id, idlen,
				       got) && !memcmp(got, want, plen),
		   "PSK AUTH, %s", t[i].what);
		ok(!keymat_v2_psk_verify(t[i].prf, (const uint8_t *)t[i].psk,
					 strlen(t[i].psk), msg, sizeof(msg),
					 nonce, sizeof(nonce), skp, id, idlen,
					 want, plen), "PSK AUTH verifies, %s",
		   t[i].what);
		want[plen - 1] ^= 1;
		ok(keymat_v2_psk_verify(t[i].prf, (const uint8_t *)t[i].psk,
					strlen(t[i].psk), msg, sizeof(msg),
					nonce, sizeof(nonce), skp, id, idlen,
					want, plen) == -EBADMSG &&
		   keymat_v2_psk_verify(t[i].prf, (const uint8_t *)t[i].psk,
					strlen(t[i].psk), msg, sizeof(msg),
					nonce, sizeof(nonce), skp, id, idlen,
					want, plen - 1) == -EBADMSG,
		   "a wrong or short AUTH is refused, %s", t[i].what);
		secbuf_free(skp);
	}
}

int main(void)
{
	test_cavp();
	test_lengths();
	test_psk_auth();
	crypto_cleanup();
	return done_testing();
}
