// SPDX-License-Identifier: GPL-2.0
/*
 * The IKEv2 engine end to end, host-native: two engines in one process,
 * A (10.0.0.1) and B (10.0.0.2), joined by an in-memory datagram queue,
 * driven by a fake clock, each installing its Child SAs into an
 * in-memory backend that records every sa_add and sa_del.
 *
 * What must hold after every scenario: the tunnel's SAs are mirrored
 * (A's outbound SA is B's inbound SA, same SPI, same keys, and the other
 * way round), and while packets flow, every outbound SA a side sends on
 * is already installed inbound at the other side (make-before-break).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <malloc.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "crypto.h"
#include "ike.h"
#include "msg.h"
#include "payload.h"
#include "tap.h"
/* White box: the engine's SA database, to forge messages as A would. */
#include "ikev2/ikev2.h"
#include "ikev2_harness.h"

/* ---- scenarios ---------------------------------------------------------- */

static unsigned int cleared = 99;

static void clear_done(void *arg, unsigned int n)
{
	(void)arg;
	cleared = n;
}

static void test_basic(void)
{
	const struct kernel_sa *ks;
	struct ike_view va, vb;

	ok(world_new(NULL, NULL, NULL, NULL), "configs load");
	ok(bring_up(), "default policy: IKE SA and Child SA up, SAs mirrored");
	va = view_ike(0);
	vb = view_ike(1);
	ok(!va.last.natt && !vb.last.natt, "no NAT between A and B: port 500");
	ok(va.last.initiator && !vb.last.initiator &&
	   va.last.spi_i == vb.last.spi_i && va.last.spi_r == vb.last.spi_r,
	   "both ends agree on the IKE SPIs");
	/* The most secure of everything: AES-GCM-256 and ECP-384. */
	is_str(va.last.enc, "AES-GCM-256", "IKE SA cipher is the most secure");
	is_str(va.last.dh, "ECP-384", "IKE SA group is the most secure");
	is_str(va.last.prf, "HMAC-SHA2-512", "IKE SA PRF is the most secure");
	is_str(va.last.remote_id, "keyid siteB", "A sees B's ID");
	is_str(vb.last.remote_id, "keyid siteA", "B sees A's ID");
	ks = fb_find(&W.s[0].fb, IKEVTI_DIR_OUT, out_spi(0));
	ok(ks && ks->enc == IKEVTI_ENC_AES_GCM_16 && ks->enc_key_len == 36 &&
	   ks->auth == IKEVTI_AUTH_NONE && ks->auth_key_len == 0,
	   "Child SA: AES-GCM-256, key and salt in enc_key");
	ok(ks && ks->has_lifetime && ks->lifetime.hard_secs == 28800 &&
	   !ks->has_replay_window && ks->n_ts_local == 0 &&
	   ks->n_ts_remote == 0, "Child SA: 8 h lifetime, link replay window, any selectors");
	is_str(W.s[0].fb.tunnel, "ikevti0", "SAs go to the tunnel's device");
	is_int(stats(0).ike_sa_created, 1, "A counts one IKE SA");
	is_int(stats(1).child_sa_created, 1, "B counts one Child SA");
	is_int(ike_engine_initiate(W.s[0].e, "ikevti0", W.now), -EALREADY,
	       "initiate again: -EALREADY");
	is_int(ike_engine_initiate(W.s[0].e, "ikevti9", W.now), -ENOENT,
	       "initiate an unknown tunnel: -ENOENT");
}

/* A restarts and comes back: INITIAL_CONTACT clears B's stale SAs. */
static void test_initial_contact(void)
{
	struct side *a = &W.s[0];
	struct ike_env env = { .send = w_send, .log = w_log };

	ok(world_new(NULL, NULL, NULL, NULL) && bring_up(),
	   "INITIAL_CONTACT: up");
	ike_engine_free(a->e);
	memset(&a->fb, 0, sizeof(a->fb));
	a->fb.be.ops = &fb_ops;
	env.ctx = a;
	env.be = &a->fb.be;
	a->e = ike_engine_new(&env, a->cfg, W.now);
	ok(a->e && !ike_engine_initiate(a->e, "ikevti0", W.now),
	   "A restarted, initiates again");
	deliver();
	ok(view_ike(1).n == 1 && up() && one_pair(),
	   "INITIAL_CONTACT: B dropped the old IKE SA and its Child SA");
}

/* Selectors: B narrows A's offer; disjoint ones make no Child SA. */
static void test_selectors(void)
{
	const struct kernel_sa *a, *b;
	uint8_t lo[4] = { 10, 2, 0, 0 }, hi[4] = { 10, 2, 0, 255 };
	uint8_t alo[4] = { 10, 1, 0, 0 }, ahi[4] = { 10, 1, 255, 255 };

	ok(world_new("  local-ts 10.1.0.0/16\n  remote-ts 10.2.0.0/16\n",
		     "  local-ts 10.2.0.0/24 protocol tcp\n  remote-ts 10.0.0.0/8\n",
		     NULL, NULL) && bring_up(), "selectors: up");
	a = fb_find(&W.s[0].fb, IKEVTI_DIR_OUT, out_spi(0));
	b = fb_find(&W.s[1].fb, IKEVTI_DIR_OUT, out_spi(1));
	ok(a && a->n_ts_local == 1 && a->n_ts_remote == 1 &&
	   a->ts_remote[0].family == AF_INET && a->ts_remote[0].proto == 6 &&
	   !memcmp(a->ts_remote[0].start, lo, 4) &&
	   !memcmp(a->ts_remote[0].end, hi, 4) &&
	   !memcmp(a->ts_local[0].start, alo, 4) &&
	   !memcmp(a->ts_local[0].end, ahi, 4) && a->ts_local[0].proto == 0,
	   "B narrowed: A sends 10.1.0.0/16 (any) -> 10.2.0.0/24 (TCP)");
	ok(b && b->n_ts_local == 1 && b->n_ts_remote == 1 &&
	   !memcmp(b->ts_local[0].start, lo, 4) &&
	   !memcmp(b->ts_remote[0].end, ahi, 4),
	   "B's SAs carry the same selectors, mirrored");

	ok(world_new("  local-ts 10.1.0.0/16\n  remote-ts 10.2.0.0/16\n",
		     "  local-ts 10.9.0.0/24\n", NULL, NULL),
	   "disjoint selectors: configs load");
	ike_engine_initiate(W.s[0].e, "ikevti0", W.now);
	deliver();
	ok(up() && !W.s[0].fb.n && !W.s[1].fb.n && !view_ike(0).last.n_child,
	   "TS_UNACCEPTABLE: IKE SA up, no Child SA");
}

/* The same over an IPv6 underlay, with IPv6 selectors. */
static void test_ipv6(void)
{
	const struct kernel_sa *a;

	addr_a = "2001:db8::1";
	addr_b = "2001:db8::2";
	ok(world_new("  local-ts 2001:db8:1::/48\n  remote-ts 2001:db8:2::/48\n",
		     "  local-ts 2001:db8:2::/48\n  remote-ts 2001:db8:1::/48\n",
		     NULL, NULL) && bring_up(), "IPv6: up");
	a = fb_find(&W.s[0].fb, IKEVTI_DIR_OUT, out_spi(0));
	ok(a && a->n_ts_local == 1 && a->ts_local[0].family == AF_INET6 &&
	   a->ts_remote[0].family == AF_INET6, "IPv6: IPv6 selectors");
	ok(!view_ike(0).last.natt && view_ike(1).last.remote.ss_family == AF_INET6,
	   "IPv6: no NAT seen, peer address IPv6");
	is_int(ike_engine_clear(W.s[1].e, addr_a, clear_done, NULL, W.now), 0,
	       "IPv6: clear sa 2001:db8::1");
	deliver();
	ok(!view_ike(0).n && !view_ike(1).n, "IPv6: deleted");
	addr_a = "10.0.0.1";
	addr_b = "10.0.0.2";
}

#define MANY 64

static void test_many(void)
{
	struct timespec t0, t1;
	unsigned int good = 0;
	size_t heap0, heap1, per_sa, log0;
	char name[24];

	if (!ok(many_world(MANY), "many: worlds"))
		return;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	heap0 = mallinfo2().uordblks;
	log0 = W.n_log;
	for (int i = 0; i < MANY; i++) {
		snprintf(name, sizeof(name), "ikevti%d", i);
		good += !ike_engine_initiate(W.s[i % 2].e, name, W.now);
	}
	deliver();
	clock_gettime(CLOCK_MONOTONIC, &t1);
	/*
	 * Heap in use per IKE SA with its Child SA, both ends averaged,
	 * without the test's own copies of every datagram.
	 */
	heap1 = mallinfo2().uordblks;
	log0 = (W.n_log - log0) * sizeof(struct dgram);
	if (heap1 <= heap0 + log0) {
		/* valgrind and ASan bring their own malloc. */
		skip("heap figures from another malloc");
	} else {
		per_sa = (heap1 - heap0 - log0) / (2 * MANY);
		ok(per_sa < 8192, "many: %zu bytes of heap per IKE SA (< 8 KiB)",
		   per_sa);
	}
	is_int(good, MANY, "many: %d tunnels initiated, from both ends", MANY);
	ok(view_ike(0).established == MANY && view_ike(1).established == MANY,
	   "many: %d IKE SAs up at each end", MANY);
	ok(W.s[0].fb.n == 2 * MANY && W.s[1].fb.n == 2 * MANY && mirrored() &&
	   !W.s[0].fb.errors && !W.s[1].fb.errors,
	   "many: %d Child SAs at each end, mirrored", MANY);
	printf("# %d IKE SAs (ECP-256) in %.1f ms in one process\n", MANY,
	       (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
}

/*
 * Peers pick the SPIs we send with, so two of them may pick the same
 * one.  A has two tunnels, and B, standing in for both peers, gives both
 * the same inbound SPI.  A kernel EXPIRE of that outbound SPI on one
 * device is about that tunnel's Child SA only: a soft one rekeys it, a
 * hard one deletes it, and the other tunnel's Child SA stays as it was.
 */
static void test_shared_spi(void)
{
	static const char *const tun[2] = { "ikevti0", "ikevti1" };
	const uint32_t spi = 0x5eed0001;
	const struct fake_be *a = &W.s[0].fb, *b = &W.s[1].fb;

	for (int round = 0; round < 4; round++) {
		const char *hit = tun[round % 2], *other = tun[1 - round % 2];
		bool hard = round >= 2;
		uint32_t hit_in, other_in, other_b_out;

		if (!ok(many_world(2), "shared SPI %d: two tunnels", round))
			return;
		spi_engine = W.s[1].e;
		spi_next = spi;
		ike_engine_initiate(W.s[0].e, tun[0], W.now);
		ike_engine_initiate(W.s[0].e, tun[1], W.now);
		deliver();
		spi_next = 0;
		if (!ok(view_ike(0).established == 2 &&
			fb_spi_on(a, tun[0], IKEVTI_DIR_OUT) == spi &&
			fb_spi_on(a, tun[1], IKEVTI_DIR_OUT) == spi && mirrored(),
			"shared SPI %d: A sends with 0x%08x on both tunnels",
			round, spi))
			continue;
		hit_in = fb_spi_on(a, hit, IKEVTI_DIR_IN);
		other_in = fb_spi_on(a, other, IKEVTI_DIR_IN);
		other_b_out = fb_spi_on(b, other, IKEVTI_DIR_OUT);
		expire(0, hit, IKEVTI_DIR_OUT, spi, hard);
		deliver();
		if (hard)
			ok(!fb_spi_on(a, hit, IKEVTI_DIR_OUT) &&
			   !fb_spi_on(a, hit, IKEVTI_DIR_IN) &&
			   !fb_spi_on(b, hit, IKEVTI_DIR_IN) &&
			   !fb_spi_on(b, hit, IKEVTI_DIR_OUT),
			   "hard EXPIRE of 0x%08x on %s: its Child SA is deleted at both ends",
			   spi, hit);
		else
			ok(fb_spi_on(a, hit, IKEVTI_DIR_OUT) &&
			   fb_spi_on(a, hit, IKEVTI_DIR_OUT) != spi &&
			   fb_spi_on(a, hit, IKEVTI_DIR_IN) &&
			   fb_spi_on(a, hit, IKEVTI_DIR_IN) != hit_in,
			   "soft EXPIRE of 0x%08x on %s: its Child SA is rekeyed",
			   spi, hit);
		ok(fb_spi_on(a, other, IKEVTI_DIR_OUT) == spi &&
		   fb_spi_on(a, other, IKEVTI_DIR_IN) == other_in &&
		   fb_spi_on(b, other, IKEVTI_DIR_IN) == spi &&
		   fb_spi_on(b, other, IKEVTI_DIR_OUT) == other_b_out,
		   "%s EXPIRE on %s: the Child SA of %s is untouched",
		   hard ? "hard" : "soft", hit, other);
		ok(view_ike(0).established == 2 && mirrored() && !a->errors &&
		   !b->errors, "shared SPI %d: both IKE SAs up, SAs mirrored",
		   round);
	}
}

struct suite {
	const char *name;
	const char *ike, *child;
};

static const struct suite suites[] = {
	{ "AES-CBC-256/SHA2-256/MODP-2048 (14)",
	  "  sa-proposal enc aes-cbc-256\n  sa-proposal integrity sha2-256\n"
	  "  sa-proposal prf sha2-256\n  sa-proposal dh 2048-bit\n",
	  "  child-proposal enc aes-cbc-256\n  child-proposal integrity sha2-256\n" },
	{ "AES-GCM-128/ECP-256 (19)",
	  "  sa-proposal enc aes-gcm-128\n  sa-proposal prf sha2-384\n"
	  "  sa-proposal dh ecp256\n",
	  "  child-proposal enc aes-gcm-128\n" },
	{ "ChaCha20-Poly1305/Curve25519 (31)",
	  "  sa-proposal enc chacha20-poly1305\n  sa-proposal prf sha2-512\n"
	  "  sa-proposal dh curve25519\n",
	  "  child-proposal enc chacha20-poly1305\n" },
	{ "3DES/SHA1/MODP-1024 (2)",
	  "  sa-proposal enc 3des\n  sa-proposal integrity sha1\n"
	  "  sa-proposal prf sha1\n  sa-proposal dh 1024-bit\n",
	  "  child-proposal enc 3des\n  child-proposal integrity sha1\n" },
	{ "AES-CBC-128/SHA2-384/MODP-1536 (5)",
	  "  sa-proposal enc aes-cbc-128\n  sa-proposal integrity sha2-384\n"
	  "  sa-proposal prf sha2-384\n  sa-proposal dh 1536-bit\n",
	  "  child-proposal enc aes-cbc-128\n  child-proposal integrity sha2-384\n" },
	{ "AES-CBC-192/SHA2-512/MODP-3072 (15)",
	  "  sa-proposal enc aes-cbc-192\n  sa-proposal integrity sha2-512\n"
	  "  sa-proposal prf sha2-512\n  sa-proposal dh 3072-bit\n",
	  "  child-proposal enc aes-cbc-192\n  child-proposal integrity sha2-512\n" },
	{ "AES-GCM-256/MODP-4096 (16)",
	  "  sa-proposal enc aes-gcm-256\n  sa-proposal prf sha1\n"
	  "  sa-proposal dh 4096-bit\n",
	  "  child-proposal enc aes-gcm-256\n" },
	{ "AES-CBC-256/SHA1/ECP-384 (20)",
	  "  sa-proposal enc aes-cbc-256\n  sa-proposal integrity sha1\n"
	  "  sa-proposal prf sha2-256\n  sa-proposal dh ecp384\n",
	  "  child-proposal enc aes-cbc-256\n  child-proposal integrity sha1\n" },
	{ "AES-CBC-128/SHA2-256/MODP-768 (1)",
	  "  sa-proposal enc aes-cbc-128\n  sa-proposal integrity sha2-256\n"
	  "  sa-proposal prf sha2-256\n  sa-proposal dh 768-bit\n",
	  "  child-proposal enc aes-cbc-128\n  child-proposal integrity sha2-256\n" },
};

static void test_suites(void)
{
	for (size_t i = 0; i < sizeof(suites) / sizeof(suites[0]); i++) {
		const struct suite *s = &suites[i];
		char prof[512];

		snprintf(prof, sizeof(prof), "%s%s", s->ike, s->child);
		if (!ok(world_new(prof, prof, NULL, NULL), "%s: configs load",
			s->name))
			continue;
		ok(bring_up(), "%s: up, SAs mirrored with equal keys", s->name);
	}
}

/* B under load asks for a COOKIE (RFC 7296 2.6); A echoes it. */
static void test_cookie(void)
{
	unsigned int inits = 0;

	ok(world_new(NULL, NULL, NULL, NULL), "COOKIE: configs load");
	W.s[1].e->cookie_threshold = 0;	/* white box: always under load */
	ok(bring_up(), "COOKIE: up after one more round trip");
	for (unsigned int i = 0; i < W.n_log; i++) {
		struct msg_hdr h;

		inits += W.log[i]->to == 1 &&
			 !msg_hdr_parse(W.log[i]->buf, W.log[i]->len, &h) &&
			 h.exchange == IKEV2_EXCH_IKE_SA_INIT;
	}
	is_int(inits, 2, "COOKIE: A sent IKE_SA_INIT twice");
	is_int(W.s[1].e->n_half, 0, "COOKIE: no half-open IKE SA left at B");

	/* A forged COOKIE gets a fresh one back, and no state. */
	{
		struct dgram *init = NULL;
		uint8_t buf[MSG_MAX_LEN];

		for (unsigned int i = W.n_log; i-- > 0 && !init;) {
			struct msg_hdr h;

			if (W.log[i]->to == 1 &&
			    !msg_hdr_parse(W.log[i]->buf, W.log[i]->len, &h) &&
			    h.exchange == IKEV2_EXCH_IKE_SA_INIT)
				init = W.log[i];
		}
		if (!ok(init != NULL, "COOKIE: the second IKE_SA_INIT captured"))
			return;
		memcpy(buf, init->buf, init->len);
		buf[0] ^= 1;		/* another SPIi: the COOKIE no longer fits */
		inject(1, buf, init->len);
		ok(W.nq == 1 && view_ike(1).n == 1,
		   "COOKIE: a stale COOKIE is answered with a new one, no SA");
		W.nq = 0;
	}
}

/* A prefers MODP-2048 but B only takes Curve25519: one retry. */
static void test_invalid_ke(void)
{
	ok(world_new("  sa-proposal dh 2048-bit curve25519\n",
		     "  sa-proposal dh curve25519\n", NULL, NULL),
	   "INVALID_KE: configs load");
	ok(bring_up(), "INVALID_KE_PAYLOAD: A retries with the group B names");
	is_str(view_ike(0).last.dh, "Curve25519", "INVALID_KE: group 31 in use");
}

static void test_no_proposal(void)
{
	ok(world_new("  sa-proposal enc aes-cbc-128\n",
		     "  sa-proposal enc aes-gcm-256\n", NULL, NULL),
	   "NO_PROPOSAL_CHOSEN: configs load");
	ike_engine_initiate(W.s[0].e, "ikevti0", W.now);
	deliver();
	ok(view_ike(0).n == 0 && view_ike(1).n == 0 && !W.s[0].fb.n &&
	   !W.s[1].fb.n, "no common cipher: no SA on either side");
	ok(stats(0).no_proposal == 1 && stats(1).no_proposal == 1,
	   "both count the proposal failure");
}

static void test_bad_psk(void)
{
	const char *good = psk_b;

	/* A holds the wrong key for B's ID: B's AUTH does not verify at A. */
	ok(world_new(NULL, NULL, NULL, NULL), "bad PSK: configs load");
	policy_config_free(W.s[1].cfg);
	psk_a = "notsecretA";
	W.s[1].cfg = make_cfg(1, NULL, NULL);
	psk_a = "secretA";
	ike_engine_reload(W.s[1].e, W.s[1].cfg, W.now);
	ike_engine_initiate(W.s[0].e, "ikevti0", W.now);
	deliver();
	ok(view_ike(0).n == 0 && view_ike(1).n == 0,
	   "B refuses A's AUTH with AUTHENTICATION_FAILED: no IKE SA");
	ok(!W.s[0].fb.n_log && !W.s[1].fb.n_log, "bad PSK: no SA installed");
	ok(stats(0).auth_failed == 1 && stats(1).auth_failed == 1,
	   "bad PSK: both count the failure");
	(void)good;
}

static void test_child_rekey(void)
{
	uint32_t a_out, b_out, new_a, new_b;
	const struct fake_be *fb = &W.s[1].fb;

	ok(world_new("  child-lifetime 300\n  child-pfs none\n", "  child-lifetime 300\n",
		     NULL, NULL) && bring_up(), "rekey: up");
	a_out = out_spi(0);
	b_out = out_spi(1);
	/* A made the Child SA: it rekeys 60 s before the end (no PFS). */
	run_until(W.now + 241 * 1000);
	new_a = out_spi(0);
	new_b = out_spi(1);
	ok(new_a != a_out && new_b != b_out && one_pair(),
	   "Child SA rekey from A without PFS: new pair, old one gone, no loss");
	ok(fb_index(fb, 'a', IKEVTI_DIR_OUT, new_b) <
	   fb_index(fb, 'd', IKEVTI_DIR_OUT, b_out) &&
	   fb_index(fb, 'a', IKEVTI_DIR_IN, new_a) <
	   fb_index(fb, 'a', IKEVTI_DIR_OUT, new_b),
	   "responder: new inbound, then new outbound, then old deleted");
	is_str(view_ike(0).last.state, "ESTABLISHED", "rekey: IKE SA still up");

	/* B rekeys on a soft expire from its kernel, with PFS. */
	expire(1, "ikevti0", IKEVTI_DIR_OUT, out_spi(1), false);
	deliver();
	ok(out_spi(1) != new_b && out_spi(0) != new_a && one_pair(),
	   "Child SA rekey from B with PFS: new pair, no loss");
	is_int(stats(1).child_sa_created, 3, "B created three Child SAs");
	is_int(stats(1).child_sa_deleted, 2, "B deleted two Child SAs");
}

/* ikevtictl rekey child-sa|ike-sa: at once, from either side. */
static void test_rekey_command(void)
{
	uint32_t a_out = 0, b_out;
	uint64_t spi_i;
	struct ike_view v0;

	ok(world_new("", "", NULL, NULL), "rekey command: two engines");
	is_int(ike_engine_rekey(W.s[0].e, "ikevti0", false, W.now), -ENOENT,
	       "rekey command: no IKE SA yet");
	ok(bring_up(), "rekey command: up");
	a_out = out_spi(0);
	b_out = out_spi(1);
	is_int(ike_engine_rekey(W.s[1].e, "ikevti0", false, W.now), 0,
	       "rekey child-sa on B");
	is_int(ike_engine_rekey(W.s[1].e, "ikevti0", false, W.now), -EAGAIN,
	       "a second one while the first is in flight: busy");
	deliver();
	ok(out_spi(0) != a_out && out_spi(1) != b_out && one_pair(),
	   "B's Child SA rekey: a new pair, the old one gone");
	spi_i = view_ike(0).last.spi_i;
	is_int(ike_engine_rekey(W.s[0].e, "ikevti0", true, W.now), 0,
	       "rekey ike-sa on A");
	deliver();
	v0 = view_ike(0);
	ok(v0.n == 1 && v0.last.spi_i != spi_i && v0.last.n_child == 1 &&
	   one_pair(), "A's IKE SA rekey: one new IKE SA, the Child SA kept");
	is_int(ike_engine_rekey(W.s[0].e, "ikevti9", true, W.now), -ENOENT,
	       "rekey an unknown tunnel");
}

static void test_pfs_group(void)
{
	ok(world_new("  child-pfs ecp256\n", "  child-pfs ecp256 none\n", NULL,
		     NULL) && bring_up(), "PFS: up");
	expire(0, "ikevti0", IKEVTI_DIR_IN, out_spi(1), false);
	deliver();
	ok(one_pair() && stats(0).child_sa_created == 2,
	   "Child SA rekey with PFS group 19 from A");
}

static void test_ike_rekey(void)
{
	struct ike_view v0, v1;
	uint64_t spi_i;
	uint32_t a_out;

	/* A never rekeys, so B does, half a margin (15 s) before the end. */
	ok(world_new("  sa-lifetime 300\n  suppress send-rekey\n",
		     "  sa-lifetime 300\n", NULL, NULL) && bring_up(),
	   "IKE rekey: up");
	spi_i = view_ike(0).last.spi_i;
	a_out = out_spi(0);
	run_until(W.now + 286 * 1000);
	v0 = view_ike(0);
	v1 = view_ike(1);
	ok(v0.n == 1 && v1.n == 1 && v0.established == 1 &&
	   v0.last.spi_i != spi_i && v0.last.spi_i == v1.last.spi_i &&
	   v0.last.spi_r == v1.last.spi_r && !v0.last.initiator &&
	   v1.last.initiator, "IKE SA rekey from B: one new IKE SA, B its initiator");
	ok(v0.last.n_child == 1 && v1.last.n_child == 1 && out_spi(0) == a_out &&
	   one_pair(), "the Child SA moved to the new IKE SA untouched");
	is_int(stats(0).ike_sa_deleted, 1, "A deleted the old IKE SA");
	/* The new IKE SA's keys work: rekey the Child SA through it. */
	expire(0, "ikevti0", IKEVTI_DIR_OUT, out_spi(0), false);
	deliver();
	ok(out_spi(0) != a_out && one_pair(),
	   "a Child SA rekey over the new IKE SA: SK_d agrees");

	ok(world_new("  sa-lifetime 300\n", "  sa-lifetime 300\n", NULL, NULL) &&
	   bring_up(), "IKE rekey from A: up");
	spi_i = view_ike(0).last.spi_i;
	run_until(W.now + 271 * 1000);
	v0 = view_ike(0);
	v1 = view_ike(1);
	ok(v0.n == 1 && v1.n == 1 && v0.last.spi_i != spi_i &&
	   v0.last.spi_i == v1.last.spi_i && v0.last.initiator && one_pair(),
	   "IKE SA rekey from A: new IKE SA, Child SA kept");
}

static void test_collision(void)
{
	uint32_t a_out, b_out;

	ok(world_new(NULL, NULL, NULL, NULL) && bring_up(), "collision: up");
	a_out = out_spi(0);
	b_out = out_spi(1);
	expire(0, "ikevti0", IKEVTI_DIR_OUT, a_out, false);
	expire(1, "ikevti0", IKEVTI_DIR_OUT, b_out, false);
	is_int(W.nq, 2, "both ends send CREATE_CHILD_SA at once");
	deliver();
	ok(one_pair() && out_spi(0) != a_out && out_spi(1) != b_out,
	   "rekey collision: one new pair survives, mirrored, no loss");
	ok(!fb_find(&W.s[0].fb, IKEVTI_DIR_OUT, a_out) &&
	   !fb_find(&W.s[1].fb, IKEVTI_DIR_OUT, b_out),
	   "rekey collision: the old pair is gone");
	ok(stats(0).child_sa_created == 3 && stats(1).child_sa_created == 3 &&
	   stats(0).child_sa_deleted == 2 && stats(1).child_sa_deleted == 2,
	   "rekey collision: the redundant Child SA was made and deleted");
	up();
	ok(up(), "rekey collision: IKE SA up");

	/* IKE SA rekey collision: the original initiator's rekey wins. */
	{
		uint64_t spi_i = view_ike(0).last.spi_i;

		ok(world_new("  sa-lifetime 300\n", "  sa-lifetime 300\n", NULL,
			     NULL) && bring_up(), "IKE collision: up");
		spi_i = view_ike(0).last.spi_i;
		/* B's fallback timer fires too: make both due at once. */
		W.now += 286 * 1000;
		ike_engine_run_timers(W.s[0].e, W.now);
		ike_engine_run_timers(W.s[1].e, W.now);
		is_int(W.nq, 2, "both ends rekey the IKE SA at once");
		deliver();
		ok(view_ike(0).n == 1 && view_ike(1).n == 1 && up() &&
		   view_ike(0).last.spi_i != spi_i &&
		   view_ike(0).last.spi_i == view_ike(1).last.spi_i &&
		   view_ike(0).last.n_child == 1 &&
		   view_ike(1).last.n_child == 1 && one_pair(),
		   "IKE rekey collision: one new IKE SA left, Child SA on it");
		is_int(stats(0).ike_sa_created + stats(1).ike_sa_created, 6,
		       "IKE rekey collision: both rekeys made an IKE SA");
		{
			/* The survivor's keys work: rekey the Child SA on it. */
			uint32_t old = out_spi(1);

			expire(1, "ikevti0", IKEVTI_DIR_OUT, old, false);
			deliver();
			ok(out_spi(1) != old && one_pair(),
			   "IKE rekey collision: the survivor rekeys a Child SA");
		}
	}
}

/*
 * IKE SA rekey collision where B's verdict overtakes B's answer to A:
 * after both requests crossed, B gets its answer first, and whatever B
 * sends then (a DELETE of the redundant or of the old IKE SA) reaches A
 * before B's answer to A's request.  Four rounds, as the nonces decide
 * who wins.
 */
static void test_ike_collision_reordered(void)
{
	for (int round = 0; round < 4; round++) {
		struct dgram *d;

		ok(world_new("  sa-lifetime 300\n", "  sa-lifetime 300\n",
			     NULL, NULL) && bring_up(), "reordered: up");
		W.now += 286 * 1000;
		ike_engine_run_timers(W.s[0].e, W.now);
		ike_engine_run_timers(W.s[1].e, W.now);
		/* The two requests cross; two answers wait in the queue. */
		while (W.nq == 2 && W.q[0]->to != W.q[1]->to) {
			struct dgram *a = W.q[0], *b = W.q[1];

			W.nq = 0;
			ike_engine_input(W.s[a->to].e, &a->dst, &a->src, a->natt,
					 a->buf, a->len, W.now);
			ike_engine_input(W.s[b->to].e, &b->dst, &b->src, b->natt,
					 b->buf, b->len, W.now);
			break;
		}
		if (!ok(W.nq == 2, "reordered: both answers queued"))
			continue;
		/* B's answer to A's request waits; A's answer goes to B. */
		d = W.q[0]->to == 1 ? W.q[0] : W.q[1];
		W.q[0] = d == W.q[0] ? W.q[1] : W.q[0];
		W.nq = 1;
		ike_engine_input(W.s[1].e, &d->dst, &d->src, d->natt, d->buf,
				 d->len, W.now);
		/* What B sent now overtakes the waiting answer. */
		if (W.nq == 2) {
			struct dgram *t = W.q[0];

			W.q[0] = W.q[1];
			W.q[1] = t;
		}
		deliver();
		run_until(W.now + 31 * 1000);
		ok(view_ike(0).n == 1 && view_ike(1).n == 1 && up() &&
		   view_ike(0).last.spi_i == view_ike(1).last.spi_i &&
		   view_ike(0).last.n_child == 1 && view_ike(1).last.n_child == 1 &&
		   one_pair(), "reordered IKE rekey collision %d: one IKE SA, Child SA kept",
		   round);
	}
}

static void test_delete(void)
{
	ok(world_new(NULL, NULL, NULL, NULL) && bring_up(), "delete: up");
	is_int(ike_engine_clear(W.s[0].e, addr_b, clear_done, NULL, W.now),
	       0, "clear sa 10.0.0.2 on A");
	deliver();
	is_int(cleared, 1, "clear: done with one IKE SA deleted");
	ok(!view_ike(0).n && !view_ike(1).n && !W.s[0].fb.n && !W.s[1].fb.n,
	   "DELETE from A: no IKE SA, no kernel SA on either side");

	ok(world_new(NULL, NULL, NULL, NULL) && bring_up(), "delete from B: up");
	cleared = 99;
	ike_engine_clear(W.s[1].e, NULL, clear_done, NULL, W.now);
	deliver();
	ok(cleared == 1 && !view_ike(0).n && !view_ike(1).n && !W.s[0].fb.n &&
	   !W.s[1].fb.n, "DELETE from B: everything gone");

	/* A Child SA alone: its hard expiry deletes it at both ends. */
	ok(world_new(NULL, NULL, NULL, NULL) && bring_up(), "child delete: up");
	expire(1, "ikevti0", IKEVTI_DIR_IN, out_spi(0), true);
	deliver();
	ok(up() && !W.s[0].fb.n && !W.s[1].fb.n && !W.s[1].fb.errors &&
	   view_ike(0).last.n_child == 0 && view_ike(1).last.n_child == 0,
	   "Child SA DELETE from B: gone at both ends, IKE SA stays");

	/* SIGTERM. */
	ok(world_new(NULL, NULL, NULL, NULL) && bring_up(), "shutdown: up");
	ike_engine_shutdown(W.s[0].e, W.now);
	ok(!W.s[0].fb.n, "shutdown: A's kernel SAs removed at once");
	deliver();
	ok(ike_engine_idle(W.s[0].e) && !view_ike(1).n && !W.s[1].fb.n,
	   "shutdown: DELETE answered, both idle");
}

static void test_dpd(void)
{
	struct ike_stats st;

	ok(world_new("  dpd interval 10\n", NULL, NULL, NULL) && bring_up(),
	   "DPD: up");
	run_until(W.now + 11 * 1000);
	st = stats(0);
	ok(up() && st.tx >= 3 && stats(1).rx >= 3,
	   "DPD: idle 10 s, A checks liveness and B answers");
	/*
	 * The last answer came at +10 s, so a check is due at +20 s; but
	 * ESP came in at +19 s: the check moves to +29 s.
	 */
	fb_use_time = w_wallclock(NULL) / 1000 + 8;
	run_until(W.now + 9 * 1000);
	ok(stats(0).tx == st.tx, "DPD: ESP traffic 1 s ago: no check yet");
	fb_use_time = 0;
	W.down[1] = true;
	run_until(W.now + 9 * 1000 - 1);
	ok(stats(0).tx == st.tx, "DPD: nothing before +29 s");
	run_until(W.now + 1);
	ok(up() && stats(0).tx == st.tx + 1, "DPD: check sent to a dead peer");
	run_until(W.now + 29999);
	ok(view_ike(0).n == 1, "DPD: still waiting at 29.999 s");
	run_until(W.now + 1);
	ok(view_ike(0).n == 0 && !W.s[0].fb.n,
	   "DPD: dead peer after 2+4+8+16 s: A's SAs deleted");
	is_int(stats(0).retransmits - st.retransmits, 3,
	       "DPD: retransmitted at 2, 4 and 8 s");
}

static void test_retransmit(void)
{
	ok(world_new(NULL, NULL, NULL, NULL), "retransmit: configs load");
	/* B's IKE_AUTH answer is lost once. */
	W.drop_from = 1;
	W.drop_exchange = IKEV2_EXCH_IKE_AUTH;
	W.drop_response = true;
	W.drop_count = 1;
	ike_engine_initiate(W.s[0].e, "ikevti0", W.now);
	deliver();
	ok(!up() && view_ike(1).established == 1, "IKE_AUTH answer lost");
	run_until(W.now + 2000);
	ok(up() && one_pair(), "A retransmits after 2 s; B resends its answer");
	ok(stats(0).retransmits == 1 && stats(1).retransmits == 1,
	   "one retransmit at A, one resend at B");
	is_int(W.s[1].fb.n_log, 2, "B installed its Child SA only once");

	/* The peer never answers IKE_SA_INIT: give up after 30 s. */
	ok(world_new(NULL, NULL, NULL, NULL), "timeout: configs load");
	W.down[1] = true;
	ike_engine_initiate(W.s[0].e, "ikevti0", W.now);
	run_until(W.now + 29999);
	ok(view_ike(0).n == 1, "IKE_SA_INIT still retried at 29.999 s");
	run_until(W.now + 1);
	ok(view_ike(0).n == 0 && stats(0).retransmits == 3,
	   "IKE_SA_INIT: three retransmits, then given up at 30 s");
}

/* A copy of d with a change, delivered to d's receiver. */
static void inject_mod(const struct dgram *d, size_t len, size_t off,
		       uint8_t xor)
{
	uint8_t buf[MSG_MAX_LEN];

	memcpy(buf, d->buf, d->len);
	if (off < len)
		buf[off] ^= xor;
	inject(d->to, buf, len);
}

static bool still_up(const char *what)
{
	bool good = up() && one_pair();

	return ok(good, "%s: the SAs stay up", what);
}

/*
 * An authenticated request from A with a bad inner chain: B must answer
 * it (encrypted) with want, and keep the IKE SA.  type/body make the
 * one inner payload; critical sets its critical bit.
 */
static void forged_request(uint8_t type, bool critical, const uint8_t *body,
			   size_t blen, uint16_t want, const char *what)
{
	struct ike_sa *a = W.s[0].e->sas;
	uint8_t inner[256], out[1024], plain[1024];
	struct msg_builder in, b;
	struct msg_sk_keys k;
	struct msg *m = calloc(2, sizeof(*m));
	struct pl_notify n;
	struct msg_hdr h;
	size_t len, off;

	if (!m)
		return;
	msg_build_chain(&in, inner, sizeof(inner));
	off = msg_build_begin(&in, type, critical);
	msg_build_put(&in, body, blen);
	msg_build_end(&in, off);
	v2_hdr(a, IKEV2_EXCH_INFORMATIONAL, false, a->msgid_out, &h);
	v2_sk_keys(a, true, &k);
	msg_build_init(&b, out, sizeof(out), &h);
	ok(!msg_build_seal(&b, &in, &k, NULL, &len), "%s: forged as A", what);
	a->msgid_out++;		/* B counts it: so must A */
	inject(1, out, len);
	v2_sk_keys(a, false, &k);
	ok(W.nq == 1 && !msg_validate(W.q[0]->buf, W.q[0]->len, &m[0]) &&
	   (m[0].hdr.flags & IKEV2_FLAG_RESPONSE) &&
	   !msg_sk_decrypt(&m[0], &k, plain, sizeof(plain), &m[1]) &&
	   m[1].n == 1 && !pl_notify_parse(&m[1].pl[0], &n) && n.type == want,
	   "%s: B answers %s", what, names_get(NAMES_NOTIFY, want));
	W.nq = 0;
	free(m);
	still_up(what);
}

static void test_bad_input(void)
{
	struct dgram *req, *resp, *init;
	struct ike_stats before;
	uint8_t buf[MSG_MAX_LEN];
	size_t len;

	ok(world_new("  dpd interval 10\n", NULL, NULL, NULL) && bring_up(),
	   "bad input: up");
	run_until(W.now + 11 * 1000);	/* a liveness check to replay */
	req = last_sent(0, IKEV2_EXCH_INFORMATIONAL, false);
	resp = last_sent(1, IKEV2_EXCH_INFORMATIONAL, true);
	init = last_sent(0, IKEV2_EXCH_IKE_SA_INIT, false);
	if (!ok(req && resp && init, "captured messages to mangle"))
		return;

	before = stats(1);
	inject_mod(req, req->len - 7, 0, 0);
	ok(stats(1).malformed == before.malformed + 1, "truncated datagram: counted as malformed");
	still_up("truncated");

	before = stats(1);
	memcpy(buf, req->buf, req->len);
	memset(buf + req->len, 0, 16);
	inject(1, buf, req->len + 16);
	ok(stats(1).malformed == before.malformed + 1,
	   "oversized datagram (trailing bytes): malformed");
	still_up("oversized");

	before = stats(1);
	inject_mod(req, req->len, 28 + 3, 0x40);	/* SK payload length */
	ok(stats(1).malformed == before.malformed + 1,
	   "bad payload length: malformed, dropped");
	still_up("bad payload length");

	before = stats(1);
	inject_mod(req, req->len, 8, 0x01);		/* SPIr */
	ok(stats(1).invalid_spi == before.invalid_spi + 1,
	   "wrong IKE SPI: counted, dropped");
	still_up("wrong SPI");

	before = stats(1);
	inject_mod(req, req->len, req->len - 1, 0x01);	/* ICV */
	ok(stats(1).decrypt_failed == before.decrypt_failed + 1,
	   "bad ICV: counted, dropped");
	still_up("bad ICV");

	/* The last request again: answered again; an older one: dropped. */
	before = stats(1);
	inject(1, req->buf, req->len);
	ok(stats(1).retransmits == before.retransmits + 1 && W.nq == 1,
	   "the last request replayed: the stored answer goes out again");
	W.nq = 0;
	run_until(W.now + 11 * 1000);			/* the next check */
	before = stats(1);
	inject(1, req->buf, req->len);
	ok(stats(1).invalid_msgid == before.invalid_msgid + 1 && !W.nq,
	   "an old Message ID replayed: dropped and counted");
	before = stats(0);
	inject(0, resp->buf, resp->len);
	ok(stats(0).invalid_msgid == before.invalid_msgid + 1,
	   "a replayed response: dropped and counted");
	still_up("replayed message IDs");

	/* An unknown critical payload in IKE_SA_INIT. */
	before = stats(1);
	{
		struct msg_hdr h;
		size_t n = init->len;

		msg_hdr_parse(init->buf, n, &h);
		/* Prepend payload type 99, critical, empty. */
		memcpy(buf, init->buf, 28);
		memcpy(buf + 32, init->buf + 28, n - 28);
		buf[28] = h.next;
		buf[29] = IKEV2_CRITICAL;
		msg_set16(buf + 30, 4);
		buf[16] = 99;
		buf[0] ^= 0x55;			/* another SPIi: a new SA */
		len = n + 4;
		msg_set32(buf + 24, (uint32_t)len);
	}
	inject(1, buf, len);
	{
		struct msg m;
		struct pl_notify n;

		ok(W.nq == 1 && !msg_validate(W.q[0]->buf, W.q[0]->len, &m) &&
		   m.n == 1 && !pl_notify_parse(&m.pl[0], &n) &&
		   n.type == IKEV2_N_UNSUPPORTED_CRITICAL_PAYLOAD && n.len == 1 &&
		   n.data[0] == 99,
		   "unknown critical payload: UNSUPPORTED_CRITICAL_PAYLOAD naming type 99");
	}
	W.nq = 0;
	ok(stats(1).malformed == before.malformed + 1 && view_ike(1).n == 1,
	   "unknown critical payload: no state kept");
	still_up("critical payload");

	/* A major version from the future: INVALID_MAJOR_VERSION. */
	memcpy(buf, init->buf, init->len);
	buf[17] = 0x30;
	buf[1] ^= 0x5a;
	inject(1, buf, init->len);
	{
		struct msg m;
		struct pl_notify n;

		ok(W.nq == 1 && !msg_validate(W.q[0]->buf, W.q[0]->len, &m) &&
		   m.hdr.major == 2 && m.n == 1 && !pl_notify_parse(&m.pl[0], &n) &&
		   n.type == IKEV2_N_INVALID_MAJOR_VERSION,
		   "IKE version 3: INVALID_MAJOR_VERSION, from version 2");
	}
	W.nq = 0;
	still_up("major version 3");

	/* Inside the SK payload, after the ICV verified. */
	forged_request(99, true, (const uint8_t *)"x", 1,
		       IKEV2_N_UNSUPPORTED_CRITICAL_PAYLOAD,
		       "unknown critical payload inside SK");
	forged_request(IKEV2_PL_DELETE, false,
		       (const uint8_t *)"\x03\x04\x00\x02\x00\x00\x01\x00", 8,
		       IKEV2_N_INVALID_SYNTAX, "DELETE with a bad SPI count");
	forged_request(IKEV2_PL_SA, false, (const uint8_t *)"\0\0\0\0", 4,
		       IKEV2_N_INVALID_SYNTAX, "SA payload in INFORMATIONAL");
	/* And the tunnel still works: a Child SA rekey. */
	{
		uint32_t old = out_spi(0);

		expire(0, "ikevti0", IKEVTI_DIR_OUT, old, false);
		deliver();
		ok(out_spi(0) != old && one_pair(),
		   "after all the bad input, a Child SA rekey still works");
	}

	/* Garbage of every length up to 64 bytes. */
	before = stats(1);
	for (size_t n = 0; n < 64; n++) {
		memset(buf, (int)n, n);
		inject(1, buf, n);
	}
	deliver();
	still_up("64 garbage datagrams");
}

static int count_events(const struct ike_event_info *ev, void *arg)
{
	(void)ev;
	++*(unsigned int *)arg;
	return 0;
}

static void test_reload(void)
{
	struct policy_config *cfg;
	unsigned int n = 0;

	ok(world_new(NULL, NULL, NULL, NULL) && bring_up(), "reload: up");
	cfg = make_cfg(0, NULL, NULL);
	ike_engine_reload(W.s[0].e, cfg, W.now);
	policy_config_free(W.s[0].cfg);
	W.s[0].cfg = cfg;
	deliver();
	ok(up() && one_pair(), "reload with the same settings keeps the SAs");
	cfg = make_cfg(0, "  child-lifetime 3600\n", NULL);
	ike_engine_reload(W.s[0].e, cfg, W.now);
	policy_config_free(W.s[0].cfg);
	W.s[0].cfg = cfg;
	deliver();
	ok(!view_ike(0).n && !view_ike(1).n && !W.s[1].fb.n,
	   "reload with a changed setting deletes the IKE SA");
	ike_engine_foreach_event(W.s[0].e, count_events, &n);
	ok(n >= 4, "events logged: IKE SA and Child SA created and deleted");
}

/* Trigger mode: the kernel's ACQUIRE starts the IKE SA, or a Child SA. */
static void test_acquire(void)
{
	ok(world_new(NULL, NULL, NULL, NULL), "ACQUIRE: configs load");
	acquire(0, "ikevti1");
	ok(!W.nq && !view_ike(0).n, "ACQUIRE on a device without a tunnel: nothing");
	acquire(0, "ikevti0");
	deliver();
	ok(up() && one_pair(), "ACQUIRE on ikevti0 brings up its tunnel");
	acquire(0, "ikevti0");
	ok(!W.nq && view_ike(0).n == 1, "another ACQUIRE while up: nothing");
	expire(0, "ikevti0", IKEVTI_DIR_OUT, out_spi(0), true);
	deliver();
	ok(up() && !W.s[0].fb.n && !W.s[1].fb.n, "Child SA expired and deleted");
	acquire(0, "ikevti0");
	deliver();
	ok(up() && one_pair() && view_ike(0).n == 1,
	   "ACQUIRE with the IKE SA up: a new Child SA on it");
}

static void test_auto(void)
{
	ok(world_new(NULL, NULL, "  ikev2 connect-type auto\n", NULL),
	   "connect-type auto: configs load");
	run_until(W.now + 1);
	ok(up() && one_pair(), "connect-type auto brings the tunnel up");
	ike_engine_clear(W.s[1].e, NULL, clear_done, NULL, W.now);
	deliver();
	ok(!view_ike(0).n, "cleared");
	run_until(W.now + 10 * 1000);
	ok(up() && one_pair(), "and up again within 10 s");

	/* The Child SA alone goes: CREATE_CHILD_SA makes a new one. */
	{
		uint64_t spi_i = view_ike(0).last.spi_i;

		expire(1, "ikevti0", IKEVTI_DIR_OUT, out_spi(1), true);
		deliver();
		ok(up() && !W.s[0].fb.n && !W.s[1].fb.n &&
		   !view_ike(1).last.n_child,
		   "Child SA deleted by B, IKE SA kept");
		run_until(W.now + 10 * 1000);
		ok(up() && one_pair() && view_ike(0).last.spi_i == spi_i &&
		   view_ike(0).last.n_child == 1,
		   "connect-type auto: a new Child SA on the same IKE SA");
	}
}

int main(void)
{
	test_basic();
	test_initial_contact();
	test_selectors();
	test_ipv6();
	test_many();
	test_shared_spi();
	test_suites();
	test_invalid_ke();
	test_cookie();
	test_no_proposal();
	test_bad_psk();
	test_child_rekey();
	test_rekey_command();
	test_pfs_group();
	test_ike_rekey();
	test_collision();
	test_ike_collision_reordered();
	test_delete();
	test_dpd();
	test_retransmit();
	test_bad_input();
	test_reload();
	test_acquire();
	test_auto();
	world_free();
	crypto_cleanup();
	return done_testing();
}
