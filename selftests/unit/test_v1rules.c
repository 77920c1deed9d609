// SPDX-License-Identifier: GPL-2.0
/*
 * ikehelper/ikev1/rules.h: the table is consistent, real messages meet
 * the rule of their step, and each kind of breach gets its answer.
 */
#include <stdarg.h>
#include <string.h>

#include "ikev1/rules.h"
#include "tap.h"
#include "v1_vectors.h"

/* A chain of the payload types given (0-terminated), bodies of 4 bytes. */
static const struct msg *chain(uint8_t first, ...)
{
	static uint8_t buf[1024];
	static struct msg m;
	struct msg_builder b;
	va_list ap;
	int t;

	msg_build_chain(&b, buf, sizeof(buf));
	va_start(ap, first);
	for (t = first; t; t = va_arg(ap, int)) {
		size_t s = msg_build_begin(&b, (uint8_t)t, false);

		msg_build_u32(&b, 0);
		msg_build_end(&b, s);
	}
	va_end(ap);
	if (b.err || msg_validate_chain(buf, b.len, b.first, 1, &m))
		memset(&m, 0, sizeof(m));
	return &m;
}

enum { SA = IKEV1_PL_SA, KE = IKEV1_PL_KE, ID = IKEV1_PL_ID,
       CERT = IKEV1_PL_CERT, CR = IKEV1_PL_CR, HASH = IKEV1_PL_HASH,
       SIG = IKEV1_PL_SIG, NONCE = IKEV1_PL_NONCE, N = IKEV1_PL_N,
       D = IKEV1_PL_D, VID = IKEV1_PL_VID, ATTR = IKEV1_PL_ATTR,
       NATD = IKEV1_PL_NAT_D, NATOA = IKEV1_PL_NAT_OA };

#define MM	IKEV1_EXCH_MAIN
#define AM	IKEV1_EXCH_AGGRESSIVE
#define QM	IKEV1_EXCH_QUICK
#define INFO	IKEV1_EXCH_INFORMATIONAL
#define TRANS	IKEV1_EXCH_TRANSACTION

static void test_table(void)
{
	unsigned int n, i, j, bad = 0;
	const struct v1rules_step *t = v1rules_table(&n);

	for (i = 0; i < n; i++) {
		const struct v1rules_step *r = &t[i];
		bool first = !r->first, second = !r->second;
		bool one0 = !r->one_of[0], one1 = !r->one_of[1];

		if (!names_get(NAMES_EXCHANGE_V1, r->exchange) || !r->step ||
		    !r->what || !r->pl[0].type)
			bad++;
		for (j = 0; j < V1RULES_MAX_PL && r->pl[j].type; j++) {
			const struct v1rules_pl *p = &r->pl[j];

			if (!names_get(NAMES_PAYLOAD_V1, p->type) ||
			    p->min > p->max || (p->not_one && p->max < 2))
				bad++;
			first |= p->type == r->first && p->min;
			second |= p->type == r->second && p->min;
			one0 |= p->type == r->one_of[0];
			one1 |= p->type == r->one_of[1];
		}
		if (!first || !second || !one0 || !one1)
			bad++;
		for (j = 0; j < i; j++)
			if (t[j].exchange == r->exchange &&
			    t[j].step == r->step &&
			    (t[j].enc == r->enc || t[j].enc == V1R_EITHER ||
			     r->enc == V1R_EITHER))
				bad++;
	}
	ok(!bad && n == 16, "%u rules: known types, required first/second, "
	   "one rule per step and E flag", n);
	ok(v1rules_find(MM, 5, true) && !v1rules_find(MM, 5, false) &&
	   v1rules_find(AM, 3, true) && v1rules_find(AM, 3, false) &&
	   !v1rules_find(MM, 7, false) && !v1rules_find(33, 1, false),
	   "v1rules_find() by step and E flag");
}

static void test_real(void)
{
	static struct capture cap;
	static struct msg m;
	unsigned int i, bad = 0;

	if (read_pcap("tcpdump/isakmp4500.pcap", &cap) || cap.n < 4) {
		skip("isakmp4500.pcap not found");
	} else {
		for (i = 0; i < 4; i++)
			if (msg_validate(cap.msg[i], cap.len[i], &m) ||
			    v1rules_check(MM, (uint8_t)(i + 1), false, &m))
				bad++;
		is_int(bad, 0, "isakmp4500: Main Mode messages 1-4 meet their rules");
	}
	if (read_pcap("openswan-unit/libpluto-ikev1-natt-lp109/v1rwnatM2.pcap",
		      &cap) || cap.n != 1) {
		skip("lp109 v1rwnatM2.pcap not found");
	} else {
		ok(!msg_validate(cap.msg[0], cap.len[0], &m) &&
		   !v1rules_check(MM, 3, false, &m) &&
		   v1rules_check(MM, 1, false, &m) == V1_E_PAYLOAD_TYPE,
		   "lp109 M2 is Main Mode message 3, not 1");
	}
	if (read_pcap("tcpdump/ISAKMP_sa_setup.pcap", &cap) || cap.n != 9) {
		skip("ISAKMP_sa_setup.pcap not found");
	} else {
		ok(!msg_validate(cap.msg[0], cap.len[0], &m) &&
		   !v1rules_check(MM, 1, false, &m) &&
		   !msg_validate(cap.msg[2], cap.len[2], &m) &&
		   v1rules_check(MM, 3, false, &m) == V1_E_PAYLOAD_TYPE,
		   "Cisco: message 1 passes; message 3's payload 15 NAT-D does not");
	}
}

static void test_breaches(void)
{
	/* Main Mode */
	is_int(v1rules_check(MM, 1, false, chain(SA, VID, VID, 0)), V1_OK,
	       "MM1: SA and Vendor IDs");
	is_int(v1rules_check(MM, 1, true, chain(SA, 0)), V1_E_FLAGS,
	       "MM1 encrypted: INVALID-FLAGS");
	is_int(v1rules_check(MM, 1, false, chain(VID, SA, 0)), V1_E_ORDER,
	       "MM1 with the SA second (RFC 2409 5)");
	is_int(v1rules_check(MM, 1, false, chain(SA, KE, 0)), V1_E_PAYLOAD_TYPE,
	       "MM1 with a KE");
	is_int(v1rules_check(MM, 1, false, chain(SA, SA, 0)), V1_E_REPEATED,
	       "MM1 with two SAs");
	is_int(v1rules_check(MM, 1, false, chain(VID, 0)), V1_E_MISSING,
	       "MM1 without an SA");
	is_int(v1rules_check(MM, 3, false, chain(KE, NONCE, NATD, NATD, 0)),
	       V1_OK, "MM3 with two NAT-D");
	is_int(v1rules_check(MM, 3, false, chain(KE, NONCE, NATD, 0)),
	       V1_E_MISSING, "MM3 with one NAT-D (RFC 3947 3.2: two or more)");
	is_int(v1rules_check(MM, 5, true, chain(ID, HASH, N, 0)), V1_OK,
	       "MM5: ID, HASH_I, INITIAL-CONTACT");
	is_int(v1rules_check(MM, 5, true, chain(ID, CERT, SIG, 0)), V1_OK,
	       "MM5: ID, CERT, SIG_I");
	is_int(v1rules_check(MM, 5, true, chain(ID, HASH, SIG, 0)),
	       V1_E_REPEATED, "MM5 with HASH and SIG");
	is_int(v1rules_check(MM, 5, true, chain(ID, 0)), V1_E_MISSING,
	       "MM5 with neither");
	is_int(v1rules_check(MM, 5, false, chain(ID, HASH, 0)),
	       V1_E_NOT_ENCRYPTED, "MM5 in the clear: INVALID-FLAGS");
	is_int(v1rules_check(MM, 6, true, chain(ID, HASH, CR, 0)),
	       V1_E_PAYLOAD_TYPE, "MM6 with a CR");
	/* Aggressive Mode */
	is_int(v1rules_check(AM, 1, false, chain(SA, KE, NONCE, ID, VID, 0)),
	       V1_OK, "AM1");
	is_int(v1rules_check(AM, 1, false, chain(SA, KE, NONCE, 0)),
	       V1_E_MISSING, "AM1 without an ID");
	is_int(v1rules_check(AM, 3, false, chain(HASH, 0)), V1_OK,
	       "AM3 in the clear");
	is_int(v1rules_check(AM, 3, true, chain(HASH, N, 0)), V1_OK,
	       "AM3 encrypted");
	/* Quick Mode */
	is_int(v1rules_check(QM, 1, true, chain(HASH, SA, NONCE, KE, ID, ID,
						NATOA, NATOA, 0)), V1_OK,
	       "QM1 with PFS, client IDs and NAT-OA");
	is_int(v1rules_check(QM, 1, true, chain(HASH, SA, NONCE, ID, 0)),
	       V1_E_MISSING, "QM1 with one client ID");
	is_int(v1rules_check(QM, 1, true, chain(HASH, SA, NONCE, ID, ID, ID,
						0)),
	       V1_E_REPEATED, "QM1 with three");
	is_int(v1rules_check(QM, 1, true, chain(SA, HASH, NONCE, 0)),
	       V1_E_ORDER, "QM1 with HASH second (RFC 2409 5.5)");
	is_int(v1rules_check(QM, 1, true, chain(HASH, NONCE, SA, 0)),
	       V1_E_ORDER, "QM1 with SA third");
	is_int(v1rules_check(QM, 2, true, chain(HASH, SA, NONCE, N, 0)), V1_OK,
	       "QM2 with RESPONDER-LIFETIME");
	is_int(v1rules_check(QM, 3, true, chain(HASH, 0)), V1_OK, "QM3");
	is_int(v1rules_check(QM, 3, true, chain(HASH, N, 0)),
	       V1_E_PAYLOAD_TYPE, "QM3 with a notify");
	is_int(v1rules_check(QM, 4, true, chain(HASH, 0)), V1_E_EXCHANGE,
	       "no QM4");
	/* Informational, DPD */
	is_int(v1rules_check(INFO, 1, true, chain(HASH, N, 0)), V1_OK,
	       "Informational: HASH(1), N (R-U-THERE)");
	is_int(v1rules_check(INFO, 1, true, chain(HASH, D, D, 0)), V1_OK,
	       "Informational: HASH(1), two deletes");
	is_int(v1rules_check(INFO, 1, true, chain(HASH, N, D, 0)),
	       V1_E_REPEATED, "Informational: N and D together");
	is_int(v1rules_check(INFO, 1, true, chain(HASH, 0)), V1_E_MISSING,
	       "Informational: HASH alone");
	is_int(v1rules_check(INFO, 1, true, chain(N, HASH, 0)), V1_E_ORDER,
	       "Informational: HASH second");
	is_int(v1rules_check(INFO, 1, false, chain(N, 0)), V1_OK,
	       "a clear notify, before phase 1 has keys");
	is_int(v1rules_check(INFO, 1, false, chain(D, 0)), V1_E_PAYLOAD_TYPE,
	       "a clear delete is refused");
	/* Transaction */
	is_int(v1rules_check(TRANS, 1, true, chain(HASH, ATTR, 0)), V1_OK,
	       "Transaction: HASH, ATTR");
	is_int(v1rules_check(TRANS, 2, false, chain(HASH, ATTR, 0)),
	       V1_E_NOT_ENCRYPTED, "a clear Transaction");
	is_int(v1rules_check(77, 1, false, chain(N, 0)), V1_E_EXCHANGE,
	       "exchange 77");
}

int main(void)
{
	test_table();
	test_real();
	test_breaches();
	return done_testing();
}
