// SPDX-License-Identifier: GPL-2.0
/*
 * ikehelper's SA payload proposals (proposal.c) and traffic selectors
 * (ts.c) on their own: what we offer on the wire, what a responder
 * chooses ("the most secure"), what an initiator accepts back, and how
 * selectors narrow.
 */
#include <arpa/inet.h>
#include <string.h>

#include "config.h"
#include "proposal.h"
#include "tap.h"
#include "ts.h"

static struct policy_config *load(const char *profile)
{
	char text[2048];
	struct cfg_diags d;
	struct policy_config *cfg;

	snprintf(text, sizeof(text),
		 "ikev2 authentication psk id keyid a key char k\n"
		 "ikev2 default-profile\n"
		 "  local-authentication psk id keyid a\n%s"
		 "interface ikevti0\n"
		 "  ikev2 peer 192.0.2.2 authentication psk id keyid a\n",
		 profile);
	memset(&d, 0, sizeof(d));
	cfg = cfg_load_text("p.conf", text, strlen(text), &d);
	if (!cfg)
		cfg_diags_print(&d, stdout);
	cfg_diags_free(&d);
	return cfg;
}

static bool opts_of(const char *profile, struct policy_effective *e,
		    struct policy_config **cfg)
{
	*cfg = load(profile);
	if (!*cfg)
		return false;
	policy_effective(*cfg, (*cfg)->tunnel[0], e);
	return true;
}

static unsigned int count(const struct pl_proposal *p, uint8_t type)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < p->n_xf; i++)
		n += p->xf[i].type == type;
	return n;
}

static const struct pl_transform *find(const struct pl_proposal *p,
				       uint8_t type, uint16_t id)
{
	for (unsigned int i = 0; i < p->n_xf; i++)
		if (p->xf[i].type == type && p->xf[i].id == id)
			return &p->xf[i];
	return NULL;
}

static void test_offer(void)
{
	struct policy_config *cfg;
	struct policy_effective e;
	const struct pl_transform *x;
	struct pl_sa sa;
	uint8_t spi[4] = { 1, 2, 3, 4 };

	if (!ok(opts_of("", &e, &cfg), "defaults load"))
		return;
	prop_offer(&e.v, PROP_IKE, IKEV2_DH_CURVE25519, NULL, 0, &sa);
	ok(sa.n_prop == 2 && sa.prop[0].num == 1 && sa.prop[1].num == 2,
	   "IKE offer: two proposals numbered 1 and 2");
	ok(!count(&sa.prop[0], IKEV2_TRANS_INTEG) &&
	   count(&sa.prop[1], IKEV2_TRANS_INTEG) == 4,
	   "AEAD proposal without integrity, the other with all four");
	x = find(&sa.prop[0], IKEV2_TRANS_ENCR, IKEV2_ENCR_AES_GCM_16);
	ok(x && x->has_key_bits && x->key_bits == 256 &&
	   sa.prop[0].xf[0].id == IKEV2_ENCR_AES_GCM_16,
	   "AES-GCM-256 first, with its Key Length attribute");
	x = find(&sa.prop[0], IKEV2_TRANS_ENCR, IKEV2_ENCR_CHACHA20_POLY1305);
	ok(x && !x->has_key_bits, "ChaCha20-Poly1305 without Key Length");
	x = find(&sa.prop[1], IKEV2_TRANS_ENCR, IKEV2_ENCR_3DES);
	ok(x && !x->has_key_bits, "3DES without Key Length");
	ok(find(&sa.prop[1], IKEV2_TRANS_DH, IKEV2_DH_CURVE25519) ==
	   &sa.prop[1].xf[count(&sa.prop[1], IKEV2_TRANS_ENCR) + 4 + 4],
	   "the KE group leads the DH transforms");
	ok(!find(&sa.prop[1], IKEV2_TRANS_DH, IKEV2_DH_MODP768),
	   "MODP-768 is not proposed unless configured");

	prop_offer(&e.v, PROP_CHILD, 0, spi, 4, &sa);
	ok(sa.n_prop == 2 && sa.prop[0].proto == IKEV2_PROTO_ESP &&
	   sa.prop[0].spi_size == 4 && !memcmp(sa.prop[0].spi, spi, 4) &&
	   !count(&sa.prop[0], IKEV2_TRANS_DH) &&
	   find(&sa.prop[0], IKEV2_TRANS_ESN, IKEV2_ESN_NONE),
	   "IKE_AUTH Child SA offer: ESP, our SPI, no DH, ESN transform");
	prop_offer(&e.v, PROP_CHILD_PFS, IKEV2_DH_ECP256, spi, 4, &sa);
	ok(find(&sa.prop[1], IKEV2_TRANS_DH, IKEV2_DH_ECP256) &&
	   find(&sa.prop[1], IKEV2_TRANS_DH, IKEV2_DH_NONE),
	   "CREATE_CHILD_SA offer: PFS groups, and none");
	policy_config_free(cfg);
}

static void test_choose(void)
{
	struct policy_config *mine, *theirs;
	struct policy_effective me, peer;
	struct pl_sa offer, answer;
	struct prop_sel sel, back;

	if (!ok(opts_of("  sa-proposal enc aes-cbc-128 aes-gcm-128\n"
			"  sa-proposal dh 2048-bit ecp256\n", &peer, &theirs) &&
		opts_of("", &me, &mine), "configs load"))
		return;
	prop_offer(&peer.v, PROP_IKE, IKEV2_DH_MODP2048, NULL, 0, &offer);
	ok(!prop_choose(&offer, &me.v, PROP_IKE, IKEV2_DH_MODP2048, &sel),
	   "responder finds a proposal");
	ok(sel.encr == IKEV2_ENCR_AES_GCM_16 && sel.encr_bits == 128 &&
	   sel.integ == IKEV2_INTEG_NONE && sel.num == 1,
	   "the most secure cipher wins, whatever the peer's order");
	ok(sel.prf == IKEV2_PRF_HMAC_SHA2_512, "the strongest PRF offered");
	is_int(sel.dh, IKEV2_DH_MODP2048, "the KE's group, to save a round trip");
	ok(!prop_choose(&offer, &me.v, PROP_IKE, IKEV2_DH_CURVE25519, &sel) &&
	   sel.dh == IKEV2_DH_ECP256,
	   "a KE group not offered: the best offered group (INVALID_KE)");
	prop_answer(&sel, NULL, 0, &answer);
	ok(!prop_check_answer(&answer, &offer, PROP_IKE, &back) &&
	   back.encr == sel.encr && back.prf == sel.prf && back.dh == sel.dh,
	   "the initiator accepts the answer");
	answer.prop[0].num = 2;
	ok(prop_check_answer(&answer, &offer, PROP_IKE, &back),
	   "an answer naming a proposal without that transform is refused");
	answer.prop[0].num = 1;
	answer.prop[0].xf[0].key_bits = 192;
	ok(prop_check_answer(&answer, &offer, PROP_IKE, &back),
	   "an answer with a Key Length we did not offer is refused");

	policy_config_free(mine);
	if (!ok(opts_of("  sa-proposal enc aes-cbc-256\n", &me, &mine),
		"cbc-only config loads"))
		return;
	ok(prop_choose(&offer, &me.v, PROP_IKE, IKEV2_DH_MODP2048, &sel),
	   "nothing in common: NO_PROPOSAL_CHOSEN");
	policy_config_free(mine);
	policy_config_free(theirs);
}

static void ts4(struct pl_ts *t, const char *lo, const char *hi, uint8_t proto)
{
	memset(t, 0, sizeof(*t));
	t->type = IKEV2_TS_IPV4_ADDR_RANGE;
	t->proto = proto;
	t->end_port = 0xffff;
	inet_pton(AF_INET, lo, t->start);
	inet_pton(AF_INET, hi, t->end);
}

static void test_ts(void)
{
	struct policy_config *cfg;
	struct policy_effective e;
	struct pl_ts_list offered, out, any;
	struct kernel_ts k[IKEVTI_TS_MAX];
	unsigned int n;
	uint8_t a[4];

	if (!ok(opts_of("  local-ts 10.1.0.0/24\n  local-ts 10.3.0.0/16 protocol udp\n",
			&e, &cfg), "selector config loads"))
		return;
	memset(&offered, 0, sizeof(offered));
	ts4(&offered.ts[0], "10.0.0.0", "10.1.255.255", 0);
	offered.n = 1;
	ok(!ts_narrow(&offered, &e.v.local_ts, &out) && out.n == 1 &&
	   !memcmp(out.ts[0].start, (inet_pton(AF_INET, "10.1.0.0", a), a), 4) &&
	   !memcmp(out.ts[0].end, (inet_pton(AF_INET, "10.1.0.255", a), a), 4),
	   "10.0.0.0-10.1.255.255 narrowed to 10.1.0.0/24");
	ts4(&offered.ts[0], "0.0.0.0", "255.255.255.255", 0);
	ok(!ts_narrow(&offered, &e.v.local_ts, &out) && out.n == 2 &&
	   out.ts[1].proto == 17, "any narrowed to both of ours, UDP kept");
	ok(ts_subset(&out, &offered) && !ts_subset(&offered, &out),
	   "the narrowed list is a subset of the offer, not the reverse");
	ts4(&offered.ts[0], "192.168.0.0", "192.168.0.255", 0);
	ok(ts_narrow(&offered, &e.v.local_ts, &out),
	   "disjoint: TS_UNACCEPTABLE");
	ts4(&offered.ts[0], "10.1.0.0", "10.1.0.255", 6);
	ok(!ts_narrow(&offered, &e.v.local_ts, &out) && out.n == 1 &&
	   out.ts[0].proto == 6, "TCP within an any-protocol selector");
	ts_to_kernel(&out, k, &n);
	ok(n == 1 && k[0].family == AF_INET && k[0].proto == 6 &&
	   k[0].port_end == 0xffff, "kernel form of one selector");
	policy_config_free(cfg);

	memset(&any, 0, sizeof(any));
	{
		struct policy_ts_list none = { 0 };

		ts_from_policy(&none, &any);
	}
	ok(any.n == 2 && any.ts[0].type == IKEV2_TS_IPV4_ADDR_RANGE &&
	   any.ts[1].type == IKEV2_TS_IPV6_ADDR_RANGE,
	   "no selectors configured: all of IPv4 and all of IPv6");
	ts_to_kernel(&any, k, &n);
	is_int(n, 0, "everything: no selector list for the kernel");
}

int main(void)
{
	test_offer();
	test_choose();
	test_ts();
	return done_testing();
}
