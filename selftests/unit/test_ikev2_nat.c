// SPDX-License-Identifier: GPL-2.0
/*
 * The IKEv2 engine with a NAT between the peers, in ikev2_harness.h's
 * world: A sits behind a NAT (192.0.2.99) when W.nat_a is set.
 *
 * The module cannot put ESP in UDP (RFC 3948) yet, so no Child SA may
 * reach a kernel on an IKE SA that detected a NAT, and no encapsulation
 * port either; each end logs one line that says why, and the peer is
 * told in the protocol's terms.
 */
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "ike.h"
#include "msg.h"
#include "payload.h"
#include "tap.h"
/* White box: the engine's SA database and keys, to read its answers. */
#include "ikev2/ikev2.h"
#include "ikev2_harness.h"

/*
 * The IKE_AUTH response that side from sent last, decrypted with the keys
 * of the other side's IKE SA (still there: it has not read it yet):
 * whether it carries an SA payload, and its error notify (0: none).
 */
static bool auth_answer(int from, bool *has_sa, uint16_t *error)
{
	struct dgram *d = last_sent(from, IKEV2_EXCH_IKE_AUTH, true);
	const struct ike_sa *sa = W.s[1 - from].e->sas;
	struct msg *m = calloc(2, sizeof(*m));
	uint8_t plain[2048];
	struct msg_sk_keys k;
	bool good;

	*error = 0;
	if (!m || !d || !sa) {
		free(m);
		return false;
	}
	v2_sk_keys(sa, false, &k);
	good = !msg_validate(d->buf, d->len, &m[0]) &&
	       !msg_sk_decrypt(&m[0], &k, plain, sizeof(plain), &m[1]);
	if (good) {
		*has_sa = msg_find(&m[1], IKEV2_PL_SA, 0) != NULL;
		for (unsigned int i = 0; i < m[1].n; i++) {
			struct pl_notify n;

			if (m[1].pl[i].type == IKEV2_PL_NOTIFY &&
			    !pl_notify_parse(&m[1].pl[i], &n) && n.type < 16384)
				*error = n.type;
		}
	}
	free(m);
	return good;
}

#define NAT_LINE(l, r) "ikevti0: NAT detected between " l " and " r \
	": UDP-encapsulated ESP (NAT-T) is not implemented yet; the Child SA is not installed"

/*
 * A behind a NAT (192.0.2.99): both ends detect it and IKE moves to port
 * 4500, but the module cannot put ESP in UDP.  The responder refuses the
 * Child SA in IKE_AUTH with NO_PROPOSAL_CHOSEN (RFC 7296 1.2: the IKE SA
 * stays); the initiator deletes the IKE SA, which would also remove a
 * Child SA that a peer able to do NAT-T had made.  Neither kernel sees
 * an SA, so no encapsulation port either; both ends say why.  Either
 * end may initiate.
 */
static void test_nat(void)
{
	static const char *const line[2] = {
		NAT_LINE("10.0.0.1", "10.0.0.2"), NAT_LINE("10.0.0.2", "192.0.2.99"),
	};

	for (int i = 0; i < 2; i++) {
		const char *who = i ? "B initiates" : "A initiates";
		struct dgram *req;
		uint16_t error;
		bool has_sa = true;
		unsigned int nq;

		b_peer = "192.0.2.99";
		ok(world_new(NULL, NULL, NULL, NULL), "NAT, %s: configs load", who);
		b_peer = NULL;
		W.nat_a = true;
		ok(!ike_engine_initiate(W.s[i].e, "ikevti0", W.now),
		   "NAT, %s: initiated", who);
		while (W.nq && !last_sent(1 - i, IKEV2_EXCH_IKE_AUTH, true))
			deliver_one();
		req = last_sent(i, IKEV2_EXCH_IKE_AUTH, false);
		ok(req && req->natt && W.s[i].e->sas && W.s[i].e->sas->natt,
		   "NAT, %s: IKE_AUTH on port 4500", who);
		ok(auth_answer(1 - i, &has_sa, &error) && !has_sa &&
		   error == IKEV2_N_NO_PROPOSAL_CHOSEN,
		   "NAT, %s: the responder answers NO_PROPOSAL_CHOSEN, no SA payload",
		   who);
		ok(view_ike(1 - i).established == 1,
		   "NAT, %s: the responder's IKE SA is up", who);
		/* Traffic at the responder: no CREATE_CHILD_SA on this IKE SA. */
		nq = W.nq;
		acquire(1 - i, "ikevti0");
		is_int(W.nq, nq, "NAT, %s: an ACQUIRE at the responder sends nothing",
		       who);
		deliver();
		ok(!view_ike(0).n && !view_ike(1).n,
		   "NAT, %s: the initiator deleted the IKE SA, at both ends", who);
		ok(!W.s[0].fb.n_log && !W.s[1].fb.n_log,
		   "NAT, %s: no SA reached either kernel (so no encapsulation port)",
		   who);
		is_int(logged(i, line[i]), 1, "NAT, %s: the initiator says why",
		       who);
		is_int(logged(1 - i, line[1 - i]), 2,
		       "NAT, %s: the responder says why, in IKE_AUTH and at the ACQUIRE",
		       who);
		W.nat_a = false;
	}
}

/*
 * A peer that keeps such an IKE SA (not one of ours) may ask for a Child
 * SA in CREATE_CHILD_SA: refused too.  The IKE SA is made without a NAT
 * here, and the NAT is added afterwards (white box), as NAT detection
 * only runs in IKE_SA_INIT.
 */
static void test_nat_create_child(void)
{
	struct ike_sa *sa;

	ok(world_new(NULL, NULL, NULL, NULL) && bring_up(), "NAT, CREATE_CHILD_SA: up");
	expire(1, "ikevti0", IKEVTI_DIR_OUT, out_spi(1), true);
	deliver();
	ok(up() && !W.s[0].fb.n && !W.s[1].fb.n, "NAT, CREATE_CHILD_SA: no Child SA left");
	sa = W.s[1].e->sas;
	if (!ok(sa, "NAT, CREATE_CHILD_SA: B's IKE SA"))
		return;
	sa->nat_detected = true;
	W.s[0].fb.n_log = W.s[1].fb.n_log = 0;
	acquire(0, "ikevti0");
	deliver();
	ok(up() && !W.s[0].fb.n_log && !W.s[1].fb.n_log,
	   "NAT, CREATE_CHILD_SA: B refuses the Child SA, IKE SA up, no SA installed");
	is_int(logged(1, NAT_LINE("10.0.0.2", "10.0.0.1")), 1,
	       "NAT, CREATE_CHILD_SA: B says why");
	is_int(logged(0, "ikevti0: CREATE_CHILD_SA refused: NO_PROPOSAL_CHOSEN"), 1,
	       "NAT, CREATE_CHILD_SA: A hears NO_PROPOSAL_CHOSEN");
}

int main(void)
{
	test_nat();
	test_nat_create_child();
	world_free();
	crypto_cleanup();
	return done_testing();
}
