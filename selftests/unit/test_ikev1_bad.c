// SPDX-License-Identifier: GPL-2.0
/*
 * IKEv1 bad input (issue 9, item 5): each fault gets the answer RFC 2408
 * section 5 gives it, moves its counter by one and no other, is named in
 * one log line, and leaves the established ISAKMP SA and its IPsec SA
 * pair alone.
 *
 * Two engines, A and B, in ikev2_harness.h's world, configured as IOS
 * routers; A is the peer, B the engine under test.  Messages in the clear
 * are A's genuine ones with one thing changed.  Encrypted ones are made
 * with A's keys (B's too: it is one ISAKMP SA), taken from A's engine:
 * the test drives A's state as a peer with a bug, or an attacker with the
 * keys, would.
 *
 * What B answers, and why (RFC 2408 5 says "MAY" to every notify; where
 * it leaves the choice open we do as IOS and strongSwan do):
 *   - a fault in a message in the clear that starts a phase 1: the
 *     notify of 5.1-5.6 in the clear, as nothing is established with the
 *     sender;
 *   - unknown cookies (5.2 INVALID-COOKIE), an encrypted message that
 *     does not decrypt or whose HASH does not verify (5.11), a replayed
 *     Message ID (5.2 INVALID-MESSAGE-ID): nothing.  An unauthenticated
 *     answer would tell an eavesdropper what failed, and make B a
 *     reflector for whoever forges a source address;
 *   - an authentic Quick Mode we cannot accept: its notify, protected;
 *   - a bad Informational: never a notify back (two peers would answer
 *     each other's notifies forever).
 * The helpers (configuration, snapshots, counters, messages made with
 * A's keys) are in ikev1_harness.h.
 */
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
#include "ikev1_harness.h"

/* ---- phase 1 in the clear ------------------------------------------------ */

static uint8_t buf[MSG_MAX_LEN + 8192];

/* A's genuine MM1 with a new initiator cookie: a new phase 1 from A. */
static size_t mm1(const struct dgram *g)
{
	memcpy(buf, g->buf, g->len);
	crypto_random(buf, 8);
	return g->len;
}

static void set_len(size_t len)
{
	msg_set32(buf + 24, (uint32_t)len);
}

/*
 * An MM1 whose SA payload has n_prop proposals of n_xf transforms, each
 * the transform of A's genuine MM1.
 */
static size_t mm1_big(const struct dgram *g, unsigned int n_prop,
		      unsigned int n_xf)
{
	const uint8_t *sa = g->buf + MSG_HDR_LEN;
	const uint8_t *xf = sa + MSG_GENERIC_LEN + 8 + 8;
	size_t xf_len = msg_get16(xf + 2), off = MSG_HDR_LEN + MSG_GENERIC_LEN;

	memcpy(buf, g->buf, MSG_HDR_LEN);
	crypto_random(buf, 8);
	buf[16] = IKEV1_PL_SA;
	memcpy(buf + off, sa + MSG_GENERIC_LEN, 8);	/* DOI, situation */
	off += 8;
	for (unsigned int p = 0; p < n_prop; p++) {
		size_t start = off;

		buf[off] = p + 1 < n_prop ? IKEV1_PL_P : 0;
		buf[off + 1] = 0;
		buf[off + 4] = (uint8_t)(p + 1);
		buf[off + 5] = IKEV1_PROTO_ISAKMP;
		buf[off + 6] = 0;
		buf[off + 7] = (uint8_t)n_xf;
		off += 8;
		for (unsigned int x = 0; x < n_xf; x++) {
			memcpy(buf + off, xf, xf_len);
			buf[off] = x + 1 < n_xf ? IKEV1_PL_T : 0;
			buf[off + 4] = (uint8_t)(x + 1);
			off += xf_len;
		}
		msg_set16(buf + start + 2, (uint16_t)(off - start));
	}
	buf[MSG_HDR_LEN] = 0;
	msg_set16(buf + MSG_HDR_LEN + 2, (uint16_t)(off - MSG_HDR_LEN));
	set_len(off);
	return off;
}

static void test_phase1_clear(void)
{
	const char *from = "10.0.0.1: Main Mode message dropped: ";
	struct delta mal = { .malformed = 1 };
	struct dgram *g, *g3;
	struct snap s;
	char line[256];
	size_t len;

	if (!ok(v1_world("cisco123") && bring_up(), "phase 1, clear: up"))
		return;
	s = snap();
	g = sent_nth(0, IKEV1_EXCH_MAIN, 0);
	g3 = sent_nth(0, IKEV1_EXCH_MAIN, 1);
	if (!ok(g && g3 && g->buf[MSG_HDR_LEN + MSG_GENERIC_LEN + 8 + 7] == 1,
		"A's MM1 and MM3 captured; MM1 offers one transform"))
		return;

	/* RFC 2408 5.1: no header, no one to answer. */
	mm1(g);
	expect("MM1 cut in its header", buf, 20, 0, true, mal,
	       "10.0.0.1: message dropped: 20 bytes, shorter than the IKE header",
	       &s);
	/* 5.1: the header's length against the datagram's. */
	len = mm1(g);
	expect("MM1 cut short, its header length not", buf, len - 10,
	       IKEV1_N_UNEQUAL_PAYLOAD_LENGTHS, true, mal,
	       "10.0.0.1: Main Mode message dropped: header length does not match the datagram; answered UNEQUAL-PAYLOAD-LENGTHS",
	       &s);
	/* 5.3: payload lengths that do not tile the message. */
	mm1(g);
	set_len(MSG_HDR_LEN + 2);
	snprintf(line, sizeof(line), "%spayload runs past the end of the message; answered PAYLOAD-MALFORMED",
		 from);
	expect("MM1 cut in a payload header", buf, MSG_HDR_LEN + 2,
	       IKEV1_N_PAYLOAD_MALFORMED, true, mal, line, &s);
	mm1(g);
	set_len(MSG_HDR_LEN + MSG_GENERIC_LEN + 6);
	expect("MM1 cut in its SA payload's body", buf,
	       MSG_HDR_LEN + MSG_GENERIC_LEN + 6, IKEV1_N_PAYLOAD_MALFORMED,
	       true, mal, line, &s);
	len = mm1(g);
	msg_set16(buf + MSG_HDR_LEN + 2, 0xffff);
	expect("a payload length past the message", buf, len,
	       IKEV1_N_PAYLOAD_MALFORMED, true, mal, line, &s);
	len = mm1(g);
	msg_set16(buf + MSG_HDR_LEN + 2, 2);
	snprintf(line, sizeof(line), "%spayload length below the minimum for its type; answered PAYLOAD-MALFORMED",
		 from);
	expect("a payload length below its header", buf, len,
	       IKEV1_N_PAYLOAD_MALFORMED, true, mal, line, &s);
	/* 5.4: an SA payload too short for its DOI and situation. */
	mm1(g);
	buf[MSG_HDR_LEN] = 0;
	msg_set16(buf + MSG_HDR_LEN + 2, MSG_GENERIC_LEN + 6);
	set_len(MSG_HDR_LEN + MSG_GENERIC_LEN + 6);
	expect("an SA payload of 6 bytes", buf,
	       MSG_HDR_LEN + MSG_GENERIC_LEN + 6, IKEV1_N_PAYLOAD_MALFORMED,
	       true, mal,
	       "ikevti0: Main Mode message dropped: SA payload: malformed payload; answered PAYLOAD-MALFORMED",
	       &s);
	/* 5.5: the proposal's transform count lies, either way. */
	len = mm1(g);
	buf[MSG_HDR_LEN + MSG_GENERIC_LEN + 8 + 7] = 2;
	expect("a proposal with one transform that says two", buf, len,
	       IKEV1_N_BAD_PROPOSAL_SYNTAX, true, mal,
	       "ikevti0: Main Mode message dropped: SA payload: malformed proposal or transform; answered BAD-PROPOSAL-SYNTAX",
	       &s);
	len = mm1(g);
	buf[MSG_HDR_LEN + MSG_GENERIC_LEN + 8 + 7] = 0;
	expect("a proposal with one transform that says none", buf, len,
	       IKEV1_N_BAD_PROPOSAL_SYNTAX, true, mal,
	       "ikevti0: Main Mode message dropped: SA payload: malformed proposal or transform; answered BAD-PROPOSAL-SYNTAX",
	       &s);
	/* 5.2, 5.3: a Next Payload we do not know; no critical bit in v1. */
	len = mm1(g);
	buf[MSG_HDR_LEN] = 99;
	snprintf(line, sizeof(line), "%sunknown payload type 99; answered INVALID-PAYLOAD-TYPE",
		 from);
	expect("an unknown payload type", buf, len,
	       IKEV1_N_INVALID_PAYLOAD_TYPE, true, mal, line, &s);
	/* 5.2: the exchange type. */
	len = mm1(g);
	buf[18] = 99;
	expect("an unknown exchange type", buf, len,
	       IKEV1_N_INVALID_EXCHANGE_TYPE, true, mal,
	       "10.0.0.1: UNKNOWN(99) message dropped: unknown exchange type; answered INVALID-EXCHANGE-TYPE",
	       &s);
	len = mm1(g);
	buf[18] = IKEV1_EXCH_BASE;
	expect("a Base exchange", buf, len,
	       IKEV1_N_UNSUPPORTED_EXCHANGE_TYPE, true, mal,
	       "10.0.0.1: Base message dropped: exchange not supported; answered UNSUPPORTED-EXCHANGE-TYPE",
	       &s);
	/* 5.2, RFC 2408 3.1: never a minor version above ours. */
	len = mm1(g);
	buf[17] = 0x11;
	snprintf(line, sizeof(line), "%sminor version is not 0; answered INVALID-MINOR-VERSION",
		 from);
	expect("major version 1, minor version 1", buf, len,
	       IKEV1_N_INVALID_MINOR_VERSION, true, mal, line, &s);
	/* 5.2: a phase 1 Message ID is 0. */
	len = mm1(g);
	msg_set32(buf + 20, 0x12345678);
	snprintf(line, sizeof(line), "10.0.0.1: Main Mode message 12345678 dropped: Message ID 12345678 in phase 1; answered INVALID-MESSAGE-ID");
	expect("MM1 with a Message ID", buf, len, IKEV1_N_INVALID_MESSAGE_ID,
	       true, (struct delta){ .invalid_msgid = 1 }, line, &s);

	/*
	 * 5.2: cookies no ISAKMP SA has (INVALID-COOKIE): dropped, not
	 * answered (RFC 2408 lets us; libreswan and strongSwan drop too).
	 */
	memcpy(buf, g3->buf, g3->len);
	crypto_random(buf, 16);
	expect("MM3 before any MM1 (unknown cookies)", buf, g3->len, 0, true,
	       (struct delta){ .invalid_spi = 1 },
	       "10.0.0.1: Main Mode message dropped: no ISAKMP SA has these cookies",
	       &s);
	len = mm1(g);
	crypto_random(buf + 8, 8);
	expect("MM1 with a responder cookie", buf, len, 0, true,
	       (struct delta){ .invalid_spi = 1 },
	       "10.0.0.1: Main Mode message dropped: no ISAKMP SA has these cookies",
	       &s);
	/* The genuine MM3 of the ISAKMP SA that is up: out of order. */
	expect("MM3 of the established ISAKMP SA", g3->buf, g3->len, 0, true,
	       (struct delta){ .invalid_msgid = 1 },
	       "ikevti0: Main Mode message dropped: phase 1 is over", &s);
	/* Quick Mode with no responder cookie: no ISAKMP SA. */
	len = mm1(g);
	buf[18] = IKEV1_EXCH_QUICK;
	expect("Quick Mode without a responder cookie", buf, len, 0, true,
	       (struct delta){ .invalid_spi = 1 },
	       "10.0.0.1: Quick Mode message dropped: no responder cookie, so no ISAKMP SA",
	       &s);
	/* An Informational in the clear is never answered. */
	len = mm1(g);
	buf[18] = IKEV1_EXCH_INFORMATIONAL;
	buf[MSG_HDR_LEN] = 99;
	expect("an unprotected Informational with an unknown payload", buf,
	       len, 0, true, mal,
	       "10.0.0.1: Informational message dropped: unknown payload type 99",
	       &s);

	/* 4: more than the codec holds: none chosen. */
	len = mm1_big(g, V1PL_MAX_PROPOSALS + 1, 1);
	expect("an SA payload of 17 proposals", buf, len,
	       IKEV1_N_NO_PROPOSAL_CHOSEN, true,
	       (struct delta){ .no_proposal = 1 },
	       "ikevti0: Main Mode message dropped: SA payload: more proposals or transforms than we evaluate; answered NO-PROPOSAL-CHOSEN",
	       &s);
	len = mm1_big(g, 1, V1PL_MAX_TRANSFORMS + 1);
	expect("an SA payload of 65 transforms", buf, len,
	       IKEV1_N_NO_PROPOSAL_CHOSEN, true,
	       (struct delta){ .no_proposal = 1 },
	       "ikevti0: Main Mode message dropped: SA payload: more proposals or transforms than we evaluate; answered NO-PROPOSAL-CHOSEN",
	       &s);
	len = mm1_big(g, V1PL_MAX_PROPOSALS, 4);
	W.nq = 0;
	inject(1, buf, len);
	ok(W.nq == 1 && !clear_notify(W.q[0]),
	   "16 proposals of 4 transforms (%zu bytes): evaluated, MM2 sent", len);
	W.nq = 0;
	mm1(g);
	set_len(MSG_MAX_LEN + 1000);
	expect("a datagram longer than any UDP datagram", buf,
	       MSG_MAX_LEN + 1000, 0, true, mal,
	       "10.0.0.1: Main Mode message dropped: 66535 bytes, longer than any IKE message",
	       &s);

	/* A new phase 1 from A, and its MM1 again: the same MM2 again. */
	len = mm1(g);
	W.nq = 0;
	inject(1, buf, len);
	if (!ok(W.nq == 1 && !clear_notify(W.q[0]),
		"a new MM1: B answers MM2, a second ISAKMP SA half open"))
		return;
	{
		struct dgram *mm2 = W.q[0];

		struct ike_stats before = stats(1);
		unsigned int lines = W.n_line[1];

		W.nq = 0;
		inject(1, buf, len);
		ok(W.nq == 1 && W.q[0]->len == mm2->len &&
		   !memcmp(W.q[0]->buf, mm2->buf, mm2->len),
		   "the same MM1 again: the same MM2 again");
		ok(counted(&before, (struct delta){ .retransmits = 1 }),
		   "the same MM1 again: counted as a retransmission");
		is_int(W.n_line[1] - lines, 0, "the same MM1 again: nothing logged");
		ok(untouched(&s), "the same MM1 again: the tunnel is untouched");
		W.nq = 0;
		buf[len - 1] ^= 0x01;
		expect("another MM1 with that cookie", buf, len, 0, true,
		       (struct delta){ .dropped = 1 },
		       "ikevti0: Main Mode message dropped: its initiator cookie belongs to another exchange",
		       &s);
	}
	ok(view_ike(1).n == 3 && view_ike(1).established == 1,
	   "B: the ISAKMP SA up, and two half-open ones (A's new MM1s)");
	/* The half-open ones time out; the tunnel stays. */
	run_until(W.now + 120000);
	ok(untouched(&s) && view_ike(1).n == 1,
	   "two minutes on: the half-open ISAKMP SAs are gone, the tunnel is not");
}

/* ---- phase 1, encrypted -------------------------------------------------- */

/*
 * Deliver one datagram at a time until the next one is MM5 for B; it is
 * taken off the queue.
 */
static struct dgram *until_mm5(void)
{
	while (W.nq) {
		struct dgram *d = W.q[0];
		struct msg_hdr h;

		if (d->to == 1 && !msg_hdr_parse(d->buf, d->len, &h) &&
		    h.exchange == IKEV1_EXCH_MAIN &&
		    (h.flags & IKEV1_FLAG_ENCRYPTION)) {
			W.nq--;
			memmove(W.q, W.q + 1, W.nq * sizeof(W.q[0]));
			return d;
		}
		deliver_one();
	}
	return NULL;
}

/* The ISAKMP SA of side i that is on its way up, or NULL. */
static struct ike_sa *connecting_sa(int i)
{
	for (struct ike_sa *sa = W.s[i].e->sas; sa; sa = sa->next)
		if (sa->ops == &ikev1_ops && sa->state == IKE_S_CONNECTING)
			return sa;
	return NULL;
}

/* B has sent MM4 and waits for MM5 (IOS: MM_KEY_EXCH). */
static bool b_waits_mm5(void)
{
	const struct ike_sa *sa = connecting_sa(1);

	return sa && sa->v1.step == V1_MM_R2;
}

/* Decrypt an MM5 of A's phase 1 in place, or encrypt it back. */
static bool mm5_crypt(uint8_t *b, size_t len, bool decrypt)
{
	struct ike_sa *sa = connecting_sa(0);
	const struct v1crypt_key *k = &sa->v1.key;
	struct v1crypt_iv iv;
	uint8_t *body = b + MSG_HDR_LEN;
	size_t n = len - MSG_HDR_LEN;

	if (v1crypt_iv_phase1(&iv, k, sa->v1.gxi, sa->v1.gxi_len, sa->v1.gxr,
			      sa->v1.gxr_len))
		return false;
	return !(decrypt ? crypto_decrypt(&k->encr, k->key->data, iv.iv, NULL,
					  0, body, n, body, NULL) :
		 crypto_encrypt(&k->encr, k->key->data, iv.iv, NULL, 0, body, n,
				body, NULL));
}

/*
 * A new phase 1 beside the ISAKMP SA that is up (A rekeys it), and bad
 * MM5s for B: each is discarded, B keeps waiting for the genuine one,
 * and the ISAKMP SA that is up and its IPsec SAs do not notice.
 */
static void test_phase1_encrypted(void)
{
	struct dgram *mm5;
	struct snap s;
	size_t len;

	if (!ok(v1_world("cisco123") && bring_up(), "phase 1, encrypted: up"))
		return;
	s = snap();
	ike_engine_rekey(W.s[0].e, "ikevti0", true, W.now);
	mm5 = until_mm5();
	if (!ok(mm5 && b_waits_mm5(),
		"A rekeys the ISAKMP SA: MM5 on its way, B waits in MM_KEY_EXCH"))
		return;
	len = mm5->len;

	/*
	 * A damaged MM5: it does not decrypt.  Discarded, not answered (a
	 * notify in the clear would say the keys differ), and B waits for
	 * the genuine one.
	 */
	memcpy(buf, mm5->buf, len);
	buf[MSG_HDR_LEN + 3] ^= 0x40;
	expect("MM5 with a flipped ciphertext byte", buf, len, 0, true,
	       (struct delta){ .decrypt_failed = 1 },
	       "ikevti0: Main Mode message dropped: MM5 does not decrypt: the pre-shared keys differ with the key default 10.0.0.1/32 (line 7)",
	       &s);
	ok(b_waits_mm5(), "... B still waits in MM_KEY_EXCH");
	/* The same bytes again are not a retransmission of anything. */
	expect("the same damaged MM5 again", buf, len, 0, true,
	       (struct delta){ .decrypt_failed = 1 },
	       "ikevti0: Main Mode message dropped: MM5 does not decrypt: the pre-shared keys differ with the key default 10.0.0.1/32 (line 7)",
	       &s);
	/* Whole blocks missing. */
	memcpy(buf, mm5->buf, len);
	set_len(len - 16);
	expect("MM5 a cipher block short", buf, len - 16, 0, true,
	       (struct delta){ .decrypt_failed = 1 },
	       "ikevti0: Main Mode message dropped: MM5 does not decrypt: the pre-shared keys differ with the key default 10.0.0.1/32 (line 7)",
	       &s);
	/* It decrypts, but HASH_I is wrong: 5.11, not answered either. */
	memcpy(buf, mm5->buf, len);
	if (ok(mm5_crypt(buf, len, true), "MM5 decrypted with A's keys")) {
		size_t id_len = msg_get16(buf + MSG_HDR_LEN + 2);

		buf[MSG_HDR_LEN + id_len + MSG_GENERIC_LEN] ^= 0x01;
		mm5_crypt(buf, len, false);
		expect("MM5 with a wrong HASH_I", buf, len, 0, true,
		       (struct delta){ .auth_failed = 1 },
		       "ikevti0: Main Mode message dropped: MM5: HASH_I does not verify (AUTHENTICATION-FAILED) with the key default 10.0.0.1/32 (line 7)",
		       &s);
		/* The plaintext in the clear: flags say what RFC 2409 says. */
		memcpy(buf, mm5->buf, len);
		mm5_crypt(buf, len, true);
		buf[19] &= (uint8_t)~IKEV1_FLAG_ENCRYPTION;
		len = MSG_HDR_LEN;
		for (uint8_t t = buf[16], next; t; t = next) {
			next = buf[len];
			len += msg_get16(buf + len + 2);
		}
		set_len(len);
		expect("MM5 in the clear", buf, len, 0, true,
		       (struct delta){ .malformed = 1 },
		       "ikevti0: Main Mode message dropped: MM5: message should have been encrypted",
		       &s);
	}
	ok(b_waits_mm5() && view_ike(1).n == 2,
	   "B still waits for MM5 beside the ISAKMP SA that is up");
	/* The genuine MM5 now: the rekey completes. */
	inject(1, mm5->buf, mm5->len);
	deliver();
	run_until(W.now + 15000);
	ok(up() && one_pair() && view_ike(1).n == 1 &&
	   memcmp(snap().spi_i, s.spi_i, 8),
	   "the genuine MM5 after them: the new ISAKMP SA takes over, one pair");

	/*
	 * Different keys: every MM5 fails, is counted, and the half-open
	 * ISAKMP SA ends when it times out, saying why.
	 */
	if (!ok(v1_world("not-cisco123"), "wrong key: configs load"))
		return;
	ike_engine_initiate(W.s[0].e, "ikevti0", W.now);
	deliver();
	run_until(W.now + 120000);
	ok(!view_ike(0).established && !view_ike(1).established &&
	   !W.s[0].fb.n_log && !W.s[1].fb.n_log,
	   "wrong key: nothing comes up");
	ok(stats(1).decrypt_failed >= 2 && !stats(1).auth_failed,
	   "wrong key: each MM5 counted as not decrypting (%llu)",
	   (unsigned long long)stats(1).decrypt_failed);
	ok(logged(1, "ikevti0: IKE SA negotiation failed: MM5 does not decrypt: the pre-shared keys differ with the key default 10.0.0.1/32 (line 7)") >= 1,
	   "wrong key: B says why when it gives up, naming the key, not its secret");
}

/* ---- established: phase 2 and Informational ------------------------------ */

static void test_established(void)
{
	static struct tmsg qm1, t;
	struct dgram *g1, *g3;
	struct tpl *sa = NULL, *id;
	uint32_t mid, info_mid;
	struct snap s;
	char line[256];
	size_t len;

	if (!ok(v1_world("cisco123") && bring_up(), "established: up"))
		return;
	s = snap();
	g1 = sent_nth(0, IKEV1_EXCH_QUICK, 0);
	g3 = sent_nth(0, IKEV1_EXCH_QUICK, 1);
	if (!ok(g1 && g3 && open_first(g1, &qm1) && qm1.authentic &&
		(sa = find_pl(&qm1, IKEV1_PL_SA)) && find_pl(&qm1, IKEV1_PL_ID),
		"A's QM1 decrypted with A's keys, its HASH(1) verified"))
		return;
	ok(sa->body[8 + 5] == IKEV1_PROTO_IPSEC_ESP && sa->body[8 + 6] == 4 &&
	   sa->body[8 + 8 + 4 + 5] == IKEV1_ESP_AES,
	   "its SA: one ESP proposal, an AES transform");

	/* RFC 2408 5.11, RFC 2409 5.5: not authentic, not answered. */
	t = qm1;
	t.msgid = mid = fresh_msgid();
	len = seal(&t, HASH_BAD, buf, sizeof(buf));
	snprintf(line, sizeof(line), "ikevti0: Quick Mode message %08x dropped: HASH(1) does not verify",
		 mid);
	expect("QM1 with a wrong HASH(1)", buf, len, 0, false,
	       (struct delta){ .decrypt_failed = 1 }, line, &s);
	/* Not authentic: its Message ID is not spent, the genuine may come. */
	ok(!v1_mid_seen(isakmp_sa(1), mid), "... its Message ID is not taken");

	/* 5.8: an ID payload too short for its type (a subnet in 6 bytes). */
	t = qm1;
	t.msgid = mid = fresh_msgid();
	id = find_pl(&t, IKEV1_PL_ID);
	id->len = 6;
	len = seal(&t, HASH_GOOD, buf, sizeof(buf));
	snprintf(line, sizeof(line), "ikevti0: Quick Mode %08x refused: its IDs are not valid addresses; answered INVALID-ID-INFORMATION",
		 mid);
	expect("QM1 with an ID payload cut short", buf, len,
	       IKEV1_N_INVALID_ID_INFORMATION, false,
	       (struct delta){ .malformed = 1 }, line, &s);
	t = qm1;
	t.msgid = mid = fresh_msgid();
	id = find_pl(&t, IKEV1_PL_ID);
	id->len = 2;
	len = seal(&t, HASH_GOOD, buf, sizeof(buf));
	snprintf(line, sizeof(line), "ikevti0: Quick Mode %08x refused: an ID payload is too short; answered PAYLOAD-MALFORMED",
		 mid);
	expect("QM1 with an ID payload of 2 bytes", buf, len,
	       IKEV1_N_PAYLOAD_MALFORMED, false,
	       (struct delta){ .malformed = 1 }, line, &s);

	/* 5.5, 5.6: nothing we accept, protected NO-PROPOSAL-CHOSEN. */
	t = qm1;
	t.msgid = mid = fresh_msgid();
	find_pl(&t, IKEV1_PL_SA)->body[8 + 8 + 4 + 5] = IKEV1_ESP_BLOWFISH;
	len = seal(&t, HASH_GOOD, buf, sizeof(buf));
	snprintf(line, sizeof(line), "ikevti0: Quick Mode %08x refused: none of the peer's ESP transforms matches a transform set; answered NO-PROPOSAL-CHOSEN",
		 mid);
	expect("QM1 offering ESP_BLOWFISH", buf, len,
	       IKEV1_N_NO_PROPOSAL_CHOSEN, false,
	       (struct delta){ .no_proposal = 1 }, line, &s);

	/* 4: an SA payload of 65 transforms: more than we evaluate. */
	t = qm1;
	t.msgid = mid = fresh_msgid();
	{
		struct tpl *p = find_pl(&t, IKEV1_PL_SA);
		const struct tpl *o = find_pl(&qm1, IKEV1_PL_SA);
		size_t xf = 8 + 8 + 4, xf_len = msg_get16(o->body + xf + 2);
		size_t n = 0, off = xf;

		while (off + xf_len <= sizeof(p->body) && n < 65) {
			memcpy(p->body + off, o->body + xf, xf_len);
			p->body[off] = IKEV1_PL_T;
			p->body[off + 4] = (uint8_t)++n;
			off += xf_len;
		}
		p->body[off - xf_len] = 0;
		p->body[8 + 7] = (uint8_t)n;
		msg_set16(p->body + 8 + 2, (uint16_t)(off - 8));
		p->len = (uint16_t)off;
		ok(n == 65, "QM1 with %zu transforms built", n);
	}
	len = seal(&t, HASH_GOOD, buf, sizeof(buf));
	snprintf(line, sizeof(line), "ikevti0: Quick Mode %08x refused: more proposals or transforms than we evaluate; answered NO-PROPOSAL-CHOSEN",
		 mid);
	expect("QM1 offering 65 transforms", buf, len,
	       IKEV1_N_NO_PROPOSAL_CHOSEN, false,
	       (struct delta){ .no_proposal = 1 }, line, &s);

	/* 5.2: a replayed Message ID; its exchange is over. */
	snprintf(line, sizeof(line), "ikevti0: Quick Mode message %08x dropped: its Message ID was used before: a replay",
		 qm1.msgid);
	expect("QM3 replayed", g3->buf, g3->len, 0, false,
	       (struct delta){ .invalid_msgid = 1 }, line, &s);
	expect("QM1 replayed", g1->buf, g1->len, 0, false,
	       (struct delta){ .invalid_msgid = 1 }, line, &s);

	/* An Informational whose HASH(1) is wrong deletes nothing. */
	memset(&t, 0, sizeof(t));
	t.exch = IKEV1_EXCH_INFORMATIONAL;
	t.msgid = mid = fresh_msgid();
	add_delete(&t, s.out[1]);
	len = seal(&t, HASH_BAD, buf, sizeof(buf));
	snprintf(line, sizeof(line), "ikevti0: Informational message %08x dropped: HASH(1) does not verify",
		 mid);
	expect("a DELETE of the IPsec SA with a wrong HASH(1)", buf, len, 0,
	       false, (struct delta){ .decrypt_failed = 1 }, line, &s);
	/* One cipher block short: it does not decrypt. */
	set_len(len - 16);
	snprintf(line, sizeof(line), "ikevti0: Informational message %08x dropped: does not decrypt: malformed payload",
		 mid);
	expect("an Informational a cipher block short", buf, len - 16, 0,
	       false, (struct delta){ .decrypt_failed = 1 }, line, &s);

	/* 5.15: a DELETE of an SPI we do not have: logged, nothing else. */
	memset(&t, 0, sizeof(t));
	t.exch = IKEV1_EXCH_INFORMATIONAL;
	t.msgid = info_mid = fresh_msgid();
	add_delete(&t, 0xdeadbeef);
	len = seal(&t, HASH_GOOD, buf, sizeof(buf));
	expect("a DELETE of SPI 0xdeadbeef", buf, len, 0, false,
	       (struct delta){ 0 },
	       "ikevti0: DELETE of unknown IPsec SA 0xdeadbeef: ignored", &s);
	snprintf(line, sizeof(line), "ikevti0: Informational message %08x dropped: its Message ID was used before: a replay",
		 info_mid);
	expect("that DELETE replayed", buf, len, 0, false,
	       (struct delta){ .invalid_msgid = 1 }, line, &s);

	/* 5.2: Message ID 0 is phase 1's. */
	memset(&t, 0, sizeof(t));
	t.exch = IKEV1_EXCH_INFORMATIONAL;
	t.msgid = 0;
	add_delete(&t, s.out[1]);
	len = seal(&t, HASH_GOOD, buf, sizeof(buf));
	expect("an Informational with Message ID 0", buf, len, 0, false,
	       (struct delta){ .invalid_msgid = 1 },
	       "ikevti0: Informational message dropped: Message ID 0 after phase 1",
	       &s);

	/* A Quick Mode with the Message ID of that Informational. */
	t = qm1;
	t.msgid = info_mid;
	len = seal(&t, HASH_GOOD, buf, sizeof(buf));
	snprintf(line, sizeof(line), "ikevti0: Quick Mode message %08x dropped: its Message ID was used before: a replay",
		 info_mid);
	expect("QM1 with an Informational's Message ID", buf, len, 0, false,
	       (struct delta){ .invalid_msgid = 1 }, line, &s);

	/*
	 * Replays older than the last few exchanges: 40 R-U-THEREs (each
	 * answered) pass between QM1 and its replay.  Accepted, it would
	 * make an IPsec SA pair A never agreed to, and B would send on it
	 * once its Quick Mode timed out.
	 */
	{
		unsigned int acks = 0;

		for (uint32_t i = 0; i < 40; i++) {
			memset(&t, 0, sizeof(t));
			t.exch = IKEV1_EXCH_INFORMATIONAL;
			t.msgid = fresh_msgid();
			add_r_u_there(&t, 1000 + i);
			len = seal(&t, HASH_GOOD, buf, sizeof(buf));
			W.nq = 0;
			inject(1, buf, len);
			acks += W.nq == 1;
		}
		W.nq = 0;
		is_int(acks, 40, "40 R-U-THEREs, 40 R-U-THERE-ACKs");
	}
	snprintf(line, sizeof(line), "ikevti0: Quick Mode message %08x dropped: its Message ID was used before: a replay",
		 qm1.msgid);
	expect("QM1 replayed after 40 other exchanges", g1->buf, g1->len, 0,
	       false, (struct delta){ .invalid_msgid = 1 }, line, &s);
	snprintf(line, sizeof(line), "ikevti0: Informational message %08x dropped: its Message ID was used before: a replay",
		 info_mid);
	memset(&t, 0, sizeof(t));
	t.exch = IKEV1_EXCH_INFORMATIONAL;
	t.msgid = info_mid;
	add_delete(&t, 0xdeadbeef);
	len = seal(&t, HASH_GOOD, buf, sizeof(buf));
	expect("the DELETE replayed after 40 other exchanges", buf, len, 0,
	       false, (struct delta){ .invalid_msgid = 1 }, line, &s);
	run_until(W.now + 60000);
	ok(untouched(&s), "a minute later: still the same ISAKMP SA and IPsec SAs");

	/* Still usable: a phase 2 rekey, and its DELETE replayed after. */
	is_int(ike_engine_rekey(W.s[0].e, "ikevti0", false, W.now), 0,
	       "established: A rekeys the IPsec SAs");
	deliver();
	run_until(W.now + 10000);
	ok(one_pair() && !W.loss && out_spi(0) != s.out[0] &&
	   out_spi(1) != s.out[1], "established: ... a new pair, the old one deleted");
	{
		struct dgram *del = NULL;
		struct snap s2 = snap();
		unsigned int n;

		for (n = 0; sent_nth(0, IKEV1_EXCH_INFORMATIONAL, n); n++)
			del = sent_nth(0, IKEV1_EXCH_INFORMATIONAL, n);
		if (ok(del && open_first(del, &t) && t.authentic &&
		       t.pl[0].type == IKEV1_PL_D &&
		       msg_get32(t.pl[0].body + 8) == s.in[0],
		       "A's DELETE of the old pair captured")) {
			snprintf(line, sizeof(line), "ikevti0: Informational message %08x dropped: its Message ID was used before: a replay",
				 t.msgid);
			expect("A's DELETE replayed", del->buf, del->len, 0,
			       false, (struct delta){ .invalid_msgid = 1 },
			       line, &s2);
		}
	}
}

/*
 * Every Message ID of an exchange that changes state is kept while the
 * keys live; when V1_MIDS_KEPT are, the ISAKMP SA is rekeyed rather than
 * the memory grown without end.
 */
static void test_mids_kept(void)
{
	static struct tmsg t;
	unsigned int n = 0;
	const char *why = "ikevti0: 1024 Message IDs used: rekeying the ISAKMP SA";
	struct snap s;
	size_t len;

	if (!ok(v1_world("cisco123") && bring_up(), "Message IDs: up"))
		return;
	s = snap();
	while (n < V1_MIDS_KEPT + 8 && !logged(1, why)) {
		memset(&t, 0, sizeof(t));
		t.exch = IKEV1_EXCH_INFORMATIONAL;
		t.msgid = fresh_msgid();
		add_delete(&t, 0xdeadbeef);
		len = seal(&t, HASH_GOOD, buf, sizeof(buf));
		inject(1, buf, len);
		n++;
	}
	ok(n > V1_MIDS_KEPT - 16 && n <= V1_MIDS_KEPT,
	   "Message IDs: B rekeys the ISAKMP SA after %u DELETEs", n);
	ok(logged(1, why) == 1, "Message IDs: B says why, once");
	ok(isakmp_sa(1)->v1.n_kept == V1_MIDS_KEPT,
	   "Message IDs: B keeps no more than %u", V1_MIDS_KEPT);
	deliver();
	run_until(W.now + 15000);
	ok(up() && one_pair() && memcmp(snap().spi_i, s.spi_i, 8) &&
	   isakmp_sa(1)->v1.n_kept < 16,
	   "Message IDs: a new ISAKMP SA with its own Message IDs, one pair");
}

int main(void)
{
	test_phase1_clear();
	test_phase1_encrypted();
	test_established();
	test_mids_kept();
	world_free();
	crypto_cleanup();
	return done_testing();
}
