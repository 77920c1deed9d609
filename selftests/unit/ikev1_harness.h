/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IKEv1 in ikev2_harness.h's world, for the bad-input tests: A and B
 * configured as IOS routers, what B must leave alone (its ISAKMP SA and
 * the IPsec SA pair), what B says (its answer, in the clear or
 * protected, its counters, its last log line), and messages of the
 * ISAKMP SA made with A's keys (B's too: it is one ISAKMP SA), taken from
 * A's engine.  Included by one test program; the helpers are static
 * inline, as the harness's are.
 */
#ifndef SELFTESTS_UNIT_IKEV1_HARNESS_H
#define SELFTESTS_UNIT_IKEV1_HARNESS_H

#include <stdio.h>
#include <string.h>

#include "crypto.h"
#include "ike.h"
#include "ikev1/ikev1.h"
#include "keymat_v1.h"
#include "names.h"
#include "sa.h"
#include "tap.h"
#include "ikev2_harness.h"

static inline char *ios_conf(int idx, const char *key)
{
	static char text[2][2048];

	snprintf(text[idx], sizeof(text[idx]),
		 "hostname r%d\n"
		 "crypto isakmp policy 10\n"
		 " encryption aes 256\n hash sha256\n"
		 " authentication pre-share\n group 14\n"
		 "crypto isakmp key %s address %s\n"
		 "crypto ipsec transform-set TS esp-aes 256 esp-sha256-hmac\n"
		 " mode tunnel\n"
		 "crypto ipsec profile P\n"
		 " set transform-set TS\n"
		 "interface ikevti0\n"
		 " tunnel source %s\n"
		 " tunnel destination %s\n"
		 " tunnel mode ipsec ipv4\n"
		 " tunnel protection ipsec profile P\n",
		 idx + 1, key, idx ? addr_a : addr_b, idx ? addr_b : addr_a,
		 idx ? addr_a : addr_b);
	return text[idx];
}

static inline bool v1_world(const char *key_b)
{
	return world_new_text(ios_conf(0, "cisco123"), ios_conf(1, key_b));
}

/* ---- the state B must leave alone ---------------------------------------- */

/* The ISAKMP SA of side i: the established one, else one on its way. */
static inline struct ike_sa *isakmp_sa(int i)
{
	struct ike_sa *any = NULL;

	for (struct ike_sa *sa = W.s[i].e->sas; sa; sa = sa->next) {
		if (sa->ops != &ikev1_ops || sa->state == IKE_S_DEAD)
			continue;
		if (sa->state == IKE_S_ESTABLISHED)
			return sa;
		any = sa;
	}
	return any;
}

struct snap {
	uint8_t spi_i[8], spi_r[8];
	uint32_t in[2], out[2];
};

static inline struct snap snap(void)
{
	struct snap s;
	struct ike_sa *sa = isakmp_sa(1);

	memset(&s, 0, sizeof(s));
	if (sa) {
		memcpy(s.spi_i, sa->spi_i, 8);
		memcpy(s.spi_r, sa->spi_r, 8);
	}
	for (int i = 0; i < 2; i++) {
		s.in[i] = fb_spi_on(&W.s[i].fb, "ikevti0", IKEVTI_DIR_IN);
		s.out[i] = fb_spi_on(&W.s[i].fb, "ikevti0", IKEVTI_DIR_OUT);
	}
	return s;
}

/* The same ISAKMP SA at B, up, and the same one IPsec SA pair each side. */
static inline bool untouched(const struct snap *s)
{
	struct snap now = snap();

	return up() && one_pair() && !memcmp(&now, s, sizeof(now)) &&
	       s->in[0] && s->in[1] && s->in[0] == s->out[1] &&
	       s->in[1] == s->out[0];
}

/* ---- what B says --------------------------------------------------------- */

/* How far each counter of side 1 moved: exactly these, the others not. */
struct delta {
	int malformed, invalid_spi, invalid_msgid, decrypt_failed;
	int auth_failed, no_proposal, dropped, retransmits;
};

static inline bool counted(const struct ike_stats *b, struct delta d)
{
	struct ike_stats a = stats(1);
	struct delta got = {
		.malformed = (int)(a.malformed - b->malformed),
		.invalid_spi = (int)(a.invalid_spi - b->invalid_spi),
		.invalid_msgid = (int)(a.invalid_msgid - b->invalid_msgid),
		.decrypt_failed = (int)(a.decrypt_failed - b->decrypt_failed),
		.auth_failed = (int)(a.auth_failed - b->auth_failed),
		.no_proposal = (int)(a.no_proposal - b->no_proposal),
		.dropped = (int)(a.dropped - b->dropped),
		.retransmits = (int)(a.retransmits - b->retransmits),
	};

	if (!memcmp(&got, &d, sizeof(d)))
		return true;
	printf("# moved: malformed %d invalid_spi %d invalid_msgid %d decrypt_failed %d auth_failed %d no_proposal %d dropped %d retransmits %d\n",
	       got.malformed, got.invalid_spi, got.invalid_msgid,
	       got.decrypt_failed, got.auth_failed, got.no_proposal,
	       got.dropped, got.retransmits);
	return false;
}

static inline const char *last_line(int side)
{
	return W.n_line[side] ?
	       W.line[side][(W.n_line[side] - 1) % MAX_LINES] : "";
}

/* The notify of a message in the clear: one N payload, or 0. */
static inline uint16_t clear_notify(const struct dgram *d)
{
	struct msg m;
	struct v1pl_notify n;

	if (msg_validate(d->buf, d->len, &m) || m.v1_encrypted ||
	    m.hdr.exchange != IKEV1_EXCH_INFORMATIONAL || m.n != 1 ||
	    m.pl[0].type != IKEV1_PL_N || v1pl_notify_parse(&m.pl[0], &n))
		return 0;
	return n.type;
}

/*
 * A message of the ISAKMP SA, decrypted: its payloads after HASH(1),
 * when it is the first of its Message ID (QM1, an Informational).
 */
struct tpl {
	uint8_t type;
	uint16_t len;
	uint8_t body[4096];
};

struct tmsg {
	uint8_t exch;
	uint32_t msgid;
	bool authentic;			/* its HASH(1) verifies */
	unsigned int n;
	struct tpl pl[12];
};

static inline bool open_first(const struct dgram *d, struct tmsg *t)
{
	static uint8_t plain[MSG_MAX_LEN];
	static struct msg m, inner;
	uint8_t want[CRYPTO_PRF_MAX];
	struct ike_sa *sa = isakmp_sa(0);
	struct v1crypt_iv iv;
	const uint8_t *rest;
	size_t pad, rest_len;

	memset(t, 0, sizeof(*t));
	if (!sa || msg_validate(d->buf, d->len, &m) || !m.v1_encrypted ||
	    v1crypt_iv_phase2(&iv, &sa->v1.key, &sa->v1.iv, m.hdr.msgid) ||
	    v1crypt_decrypt(&sa->v1.key, &iv, &m, plain, sizeof(plain),
			    &inner, &pad) ||
	    !inner.n || inner.pl[0].type != IKEV1_PL_HASH ||
	    inner.n > 12)
		return false;
	t->exch = m.hdr.exchange;
	t->msgid = m.hdr.msgid;
	v1pl_after(&inner, &inner.pl[0], &rest, &rest_len);
	t->authentic = !keymat_v1_hash1(sa->v1.prf, sa->v1.km.skeyid_a,
					t->msgid, rest, rest_len, want) &&
		       inner.pl[0].len == crypto_prf_len(sa->v1.prf) &&
		       !memcmp(want, inner.pl[0].body, inner.pl[0].len);
	for (unsigned int i = 1; i < inner.n; i++) {
		struct tpl *p = &t->pl[t->n++];

		if (inner.pl[i].len > sizeof(p->body))
			return false;
		p->type = inner.pl[i].type;
		p->len = inner.pl[i].len;
		memcpy(p->body, inner.pl[i].body, p->len);
	}
	return true;
}

/* The notify of a protected Informational with a HASH(1) that verifies. */
static inline uint16_t protected_notify(const struct dgram *d)
{
	static struct tmsg t;
	struct msg_payload p;
	struct v1pl_notify n;

	if (!open_first(d, &t) || !t.authentic ||
	    t.exch != IKEV1_EXCH_INFORMATIONAL || t.n != 1 ||
	    t.pl[0].type != IKEV1_PL_N)
		return 0;
	memset(&p, 0, sizeof(p));
	p.type = IKEV1_PL_N;
	p.len = t.pl[0].len;
	p.body = t.pl[0].body;
	return v1pl_notify_parse(&p, &n) ? 0 : n.type;
}

enum { HASH_GOOD, HASH_BAD };

/*
 * t as A would send it on the ISAKMP SA: HASH(1), its payloads, encrypted
 * with the IV of its Message ID; HASH_BAD flips a bit of HASH(1).
 */
static inline size_t seal(const struct tmsg *t, int hash, uint8_t *out,
			  size_t cap)
{
	static const uint8_t zero[CRYPTO_PRF_MAX];
	struct ike_sa *sa = isakmp_sa(0);
	size_t hlen = crypto_prf_len(sa->v1.prf), off, len = 0, st;
	struct msg_builder b;
	struct v1crypt_iv iv;
	struct msg_hdr h;

	v1_hdr(sa, t->exch, IKEV1_FLAG_ENCRYPTION, t->msgid, &h);
	msg_build_init(&b, out, cap, &h);
	st = msg_build_begin(&b, IKEV1_PL_HASH, false);
	msg_build_put(&b, zero, hlen);
	msg_build_end(&b, st);
	for (unsigned int i = 0; i < t->n; i++) {
		st = msg_build_begin(&b, t->pl[i].type, false);
		msg_build_put(&b, t->pl[i].body, t->pl[i].len);
		msg_build_end(&b, st);
	}
	off = MSG_HDR_LEN + MSG_GENERIC_LEN + hlen;
	if (b.err || keymat_v1_hash1(sa->v1.prf, sa->v1.km.skeyid_a, t->msgid,
				     b.buf + off, b.len - off,
				     b.buf + MSG_HDR_LEN + MSG_GENERIC_LEN))
		return 0;
	if (hash == HASH_BAD)
		b.buf[MSG_HDR_LEN + MSG_GENERIC_LEN] ^= 0x01;
	if (v1crypt_iv_phase2(&iv, &sa->v1.key, &sa->v1.iv, t->msgid) ||
	    v1crypt_encrypt(&sa->v1.key, &iv, &b, &len))
		return 0;
	return len;
}

static inline uint32_t fresh_msgid(void)
{
	uint32_t id = 0;

	while (!id)
		crypto_random(&id, sizeof(id));
	return id;
}

/*
 * Inject buf into B; what it must do: answer with notify want (0:
 * nothing), in the clear or protected; move the counters by d and no
 * others; log line and nothing else; leave the tunnel as s says.
 */
static inline void expect(const char *what, const uint8_t *buf, size_t len,
			  uint16_t want, bool clear, struct delta d,
			  const char *line, const struct snap *s)
{
	struct ike_stats before = stats(1);
	unsigned int lines = W.n_line[1];
	char nb[24];

	W.nq = 0;
	inject(1, buf, len);
	if (!want)
		ok(W.nq == 0, "%s: not answered", what);
	else if (clear)
		ok(W.nq == 1 && W.q[0]->to == 0 && clear_notify(W.q[0]) == want,
		   "%s: answered %s in the clear", what,
		   names_fmt(NAMES_V1_NOTIFY, want, nb, sizeof(nb)));
	else
		ok(W.nq == 1 && W.q[0]->to == 0 &&
		   protected_notify(W.q[0]) == want,
		   "%s: answered %s, protected", what,
		   names_fmt(NAMES_V1_NOTIFY, want, nb, sizeof(nb)));
	W.nq = 0;
	ok(counted(&before, d), "%s: counted", what);
	is_int(W.n_line[1] - lines, line ? 1 : 0, "%s: %s", what,
	       line ? "one log line" : "nothing logged");
	if (line)
		is_str(last_line(1), line, "%s: the line says what was wrong",
		       what);
	if (s)
		ok(untouched(s), "%s: the ISAKMP SA and IPsec SAs are untouched",
		   what);
}

/* The first datagram side from sent of exchange exch (n: the n-th). */
static inline struct dgram *sent_nth(int from, uint8_t exch, unsigned int n)
{
	for (unsigned int i = 0; i < W.n_log; i++) {
		struct dgram *d = W.log[i];
		struct msg_hdr h;

		if (d->to == 1 - from && !msg_hdr_parse(d->buf, d->len, &h) &&
		    h.exchange == exch && !n--)
			return d;
	}
	return NULL;
}

static inline void add_pl(struct tmsg *t, uint8_t type, const void *body,
			  size_t len)
{
	struct tpl *p = &t->pl[t->n++];

	p->type = type;
	p->len = (uint16_t)len;
	memcpy(p->body, body, len);
}

static inline void add_delete(struct tmsg *t, uint32_t spi)
{
	uint8_t d[12];

	msg_set32(d, IKEV1_DOI_IPSEC);
	d[4] = IKEV1_PROTO_IPSEC_ESP;
	d[5] = 4;
	msg_set16(d + 6, 1);
	msg_set32(d + 8, spi);
	add_pl(t, IKEV1_PL_D, d, sizeof(d));
}

/* RFC 3706 R-U-THERE of sequence number seq, for the ISAKMP SA. */
static inline void add_r_u_there(struct tmsg *t, uint32_t seq)
{
	struct ike_sa *sa = isakmp_sa(0);
	uint8_t n[28];

	msg_set32(n, IKEV1_DOI_IPSEC);
	n[4] = IKEV1_PROTO_ISAKMP;
	n[5] = 16;
	msg_set16(n + 6, IKEV1_N_R_U_THERE);
	memcpy(n + 8, sa->spi_i, 8);
	memcpy(n + 16, sa->spi_r, 8);
	msg_set32(n + 24, seq);
	add_pl(t, IKEV1_PL_N, n, sizeof(n));
}

static inline struct tpl *find_pl(struct tmsg *t, uint8_t type)
{
	for (unsigned int i = 0; i < t->n; i++)
		if (t->pl[i].type == type)
			return &t->pl[i];
	return NULL;
}

#endif /* SELFTESTS_UNIT_IKEV1_HARNESS_H */
