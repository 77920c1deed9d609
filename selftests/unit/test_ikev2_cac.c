// SPDX-License-Identifier: GPL-2.0
/*
 * Call admission control (IOS "crypto call admission limit ike sa N |
 * in-negotiation-sa N", seed 000), in ikev2_harness.h's world: past the
 * limit a new IKE SA is refused, incoming (no answer) or outgoing (the
 * initiate fails), and counted; the IKE SAs already there are left alone
 * and may still be rekeyed.
 */
#include <errno.h>
#include <string.h>

#include "crypto.h"
#include "ike.h"
#include "tap.h"
#include "ikev2_harness.h"

/* As "crypto call admission limit ike sa N" on line 1 would set it. */
static void cac_sa(struct policy_config *cfg, uint32_t max)
{
	cfg->cac.sa_loc.line = max ? 1 : 0;
	cfg->cac.sa_max = max;
}

/* "crypto call admission limit ike in-negotiation-sa N", line 2. */
static void cac_neg(struct policy_config *cfg, uint32_t max)
{
	cfg->cac.neg_loc.line = max ? 2 : 0;
	cfg->cac.neg_max = max;
}

/* B answers one IKE SA, A starts three: the second and third go unanswered. */
static void test_incoming(void)
{
	struct ike_stats sb;

	if (!ok(many_world(3), "incoming: three tunnels"))
		return;
	cac_sa(W.s[1].cfg, 1);
	is_int(ike_engine_initiate(W.s[0].e, "ikevti0", W.now), 0,
	       "incoming: the first tunnel initiates");
	deliver();
	ok(view_ike(0).established == 1 && view_ike(1).established == 1,
	   "incoming: under the limit the IKE SA comes up");
	ike_engine_initiate(W.s[0].e, "ikevti1", W.now);
	ike_engine_initiate(W.s[0].e, "ikevti2", W.now);
	deliver();
	sb = stats(1);
	ok(view_ike(1).n == 1 && view_ike(0).established == 1,
	   "incoming: at the limit of 1 IKE SA, B makes no second one");
	is_int(sb.cac_in_rejected, 2, "incoming: B counts 2 refused");
	is_int(sb.cac_in_accepted, 1, "incoming: and 1 accepted");
	ok(logged(1, "IKE_SA_INIT from 10.0.0.1 refused: call admission: 1 IKE SAs (active and negotiating) reach the limit of 1 (crypto call admission limit ike sa, line 1)") == 2,
	   "incoming: B says why");
	ok(ike_engine_rekey(W.s[0].e, "ikevti0", true, W.now) == 0,
	   "incoming: A rekeys the IKE SA that is up");
	deliver();
	run_until(W.now + 30000);
	ok(view_ike(1).established == 1 && stats(1).cac_in_rejected >= 2 &&
	   stats(1).ike_sa_created == 2,
	   "incoming: a rekey is not a new IKE SA: B takes it");
	cac_sa(W.s[1].cfg, 0);
	run_until(W.now + 60000);
	ike_engine_initiate(W.s[0].e, "ikevti1", W.now);
	deliver();
	ok(view_ike(1).established == 2, "incoming: without the limit, the next one comes up");
}

/* A itself may start no IKE SA past its limits. */
static void test_outgoing(void)
{
	if (!ok(many_world(3), "outgoing: three tunnels"))
		return;
	cac_sa(W.s[0].cfg, 2);
	cac_neg(W.s[0].cfg, 1);
	is_int(ike_engine_initiate(W.s[0].e, "ikevti0", W.now), 0,
	       "outgoing: the first negotiation starts");
	is_int(ike_engine_initiate(W.s[0].e, "ikevti1", W.now), -EBUSY,
	       "outgoing: a second one at once: 1 in negotiation is the limit");
	deliver();
	is_int(ike_engine_initiate(W.s[0].e, "ikevti1", W.now), 0,
	       "outgoing: once it is up, the second starts");
	deliver();
	is_int(ike_engine_initiate(W.s[0].e, "ikevti2", W.now), -EBUSY,
	       "outgoing: 2 IKE SAs is the limit");
	ok(view_ike(0).established == 2, "outgoing: two are up");
	is_int(stats(0).cac_out_rejected, 2, "outgoing: A counts 2 refused");
	is_int(stats(0).cac_out_accepted, 2, "outgoing: and 2 accepted");
	ok(logged(0, "ikevti2: a new IKE SA refused: call admission: 2 IKE SAs (active and negotiating) reach the limit of 2 (crypto call admission limit ike sa, line 1)") == 1,
	   "outgoing: A says why");
}

int main(void)
{
	test_incoming();
	test_outgoing();
	world_free();
	crypto_cleanup();
	return done_testing();
}
