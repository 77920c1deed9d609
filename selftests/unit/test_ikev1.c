// SPDX-License-Identifier: GPL-2.0
/*
 * The IKEv1 engine (RFC 2409), two of them in ikev2_harness.h's world,
 * each configured in the Cisco IOS dialect as seeds 000 to 002 are: Main
 * and Aggressive Mode with pre-shared keys, Quick Mode with and without
 * PFS, phase 2 and phase 1 rekeys without loss, DPD (RFC 3706), DELETE,
 * what a wrong key or no common proposal does, retransmission, and what
 * garbage, truncated and replayed messages do to a tunnel that is up
 * (nothing).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "crypto.h"
#include "ike.h"
#include "names.h"
#include "tap.h"
#include "ikev2_harness.h"

/*
 * One side: an ISAKMP policy, its key for the peer, a transform set and
 * a VTI.  PFS is "" or " group14" style; MODE "" or "initiate mode
 * aggressive" in a profile.
 */
struct v1_side {
	const char *policy;		/* the lines of "crypto isakmp policy 10" */
	const char *key;		/* the pre-shared key for the peer */
	const char *tset;		/* "esp-aes 256 esp-sha256-hmac" */
	const char *pfs;		/* NULL: none, "": "set pfs", "group14" */
	const char *extra;		/* more global lines */
	const char *profile;		/* lines of "crypto ipsec profile P" */
	const char *peer;		/* NULL: the other side's address */
};

static const char *POLICY_AES =
	" encryption aes 256\n hash sha256\n authentication pre-share\n group 14\n";

static char *ios_conf(int idx, const struct v1_side *s)
{
	static char text[2][4096];
	const char *me = idx ? addr_b : addr_a, *peer = idx ? addr_a : addr_b;

	if (s->peer)
		peer = s->peer;

	snprintf(text[idx], sizeof(text[idx]),
		 "hostname r%d\n"
		 "%s"
		 "crypto isakmp policy 10\n%s"
		 "crypto isakmp key %s address %s\n"
		 "crypto ipsec transform-set TS %s\n"
		 " mode tunnel\n"
		 "crypto ipsec profile P\n"
		 " set transform-set TS\n"
		 "%s%s%s"
		 "%s"
		 "interface ikevti0\n"
		 " tunnel source %s\n"
		 " tunnel destination %s\n"
		 " tunnel mode ipsec ipv4\n"
		 " tunnel protection ipsec profile P\n",
		 idx + 1, s->extra ? s->extra : "",
		 s->policy ? s->policy : POLICY_AES, s->key, peer,
		 s->tset ? s->tset : "esp-aes 256 esp-sha256-hmac",
		 s->pfs ? " set pfs " : "", s->pfs ? s->pfs : "",
		 s->pfs ? "\n" : "", s->profile ? s->profile : "", me, peer);
	return text[idx];
}

static bool v1_world(const struct v1_side *a, const struct v1_side *b)
{
	return world_new_text(ios_conf(0, a), ios_conf(1, b));
}

static const struct v1_side plain = { .key = "cisco123" };

/* The newest datagram from side "from" of exchange type exch. */
static struct dgram *v1_sent(int from, uint8_t exch)
{
	for (unsigned int i = W.n_log; i-- > 0;) {
		struct dgram *d = W.log[i];
		struct msg_hdr h;

		if (d->to == 1 - from && !msg_hdr_parse(d->buf, d->len, &h) &&
		    h.exchange == exch)
			return d;
	}
	return NULL;
}

static unsigned int v1_count(int from, uint8_t exch)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < W.n_log; i++) {
		struct dgram *d = W.log[i];
		struct msg_hdr h;

		n += d->to == 1 - from && !msg_hdr_parse(d->buf, d->len, &h) &&
		     h.exchange == exch;
	}
	return n;
}

static bool key_len(int side, unsigned int enc_len, unsigned int auth_len)
{
	const struct fake_be *f = &W.s[side].fb;

	for (unsigned int i = 0; i < f->n; i++)
		if (f->sa[i].enc_key_len != enc_len ||
		    f->sa[i].auth_key_len != auth_len)
			return false;
	return f->n > 0;
}

static void test_main_mode(void)
{
	struct ike_stats sa, sb;

	if (!ok(v1_world(&plain, &plain), "main mode: configs load"))
		return;
	ok(bring_up(), "main mode: A initiates, both have one IPsec SA pair, mirrored");
	ok(key_len(0, 32, 32), "main mode: AES-256 and HMAC-SHA-256 keys (32 + 32 bytes)");
	is_int(v1_count(0, IKEV1_EXCH_MAIN), 3, "main mode: A sent MM1, MM3, MM5");
	is_int(v1_count(1, IKEV1_EXCH_MAIN), 3, "main mode: B sent MM2, MM4, MM6");
	is_int(v1_count(0, IKEV1_EXCH_QUICK), 2, "main mode: A sent QM1 and QM3");
	ok(!strcmp(view_ike(0).last.state, "QM_IDLE") &&
	   view_ike(0).last.version == 1,
	   "main mode: A lists an IKEv1 SA in QM_IDLE");
	sa = stats(0);
	sb = stats(1);
	is_int(sa.ike_sa_created, 1, "main mode: A counts one ISAKMP SA");
	is_int(sb.child_sa_created, 1, "main mode: B counts one IPsec SA");
	/* Once up, both engines' auto timers find the tunnel up: no more. */
	run_until(W.now + 30000);
	ok(one_pair() && view_ike(0).n == 1 && view_ike(1).n == 1,
	   "main mode: 30 s later still one ISAKMP SA and one pair each side");
}

static void test_aggressive(void)
{
	struct v1_side a = plain;

	a.extra = "crypto isakmp profile AG\n"
		  " match identity address 10.0.0.2 255.255.255.255\n"
		  " initiate mode aggressive\n";
	a.profile = " set isakmp-profile AG\n";
	if (!ok(v1_world(&a, &plain), "aggressive: configs load"))
		return;
	ok(bring_up(), "aggressive: A initiates in Aggressive Mode, one pair mirrored");
	is_int(v1_count(0, IKEV1_EXCH_AGGRESSIVE), 2, "aggressive: A sent AM1 and AM3");
	is_int(v1_count(1, IKEV1_EXCH_AGGRESSIVE), 1, "aggressive: B sent AM2");
	is_int(v1_count(0, IKEV1_EXCH_MAIN), 0, "aggressive: no Main Mode");
}

static void test_pfs(void)
{
	struct v1_side a = plain, b = plain;

	a.pfs = b.pfs = "group14";
	if (!ok(v1_world(&a, &b), "pfs: configs load"))
		return;
	ok(bring_up(), "pfs: group 14 Quick Mode, one pair mirrored");
	ok(v1_sent(0, IKEV1_EXCH_QUICK) != NULL, "pfs: Quick Mode sent");
	/* IOS: without "set pfs" a responder takes the PFS it is offered. */
	b.pfs = NULL;
	if (!ok(v1_world(&a, &b), "pfs: B without PFS"))
		return;
	ok(bring_up(), "pfs: A offers group 14, B without 'set pfs' accepts it");
	/* With "set pfs", the initiator must do PFS with that group. */
	if (!ok(v1_world(&b, &a), "pfs: A without PFS, B with group 14"))
		return;
	ike_engine_initiate(W.s[0].e, "ikevti0", W.now);
	deliver();
	ok(up() && W.s[0].fb.n == 0 && W.s[1].fb.n == 0,
	   "pfs: B demands PFS, A offers none: phase 1 up, no IPsec SA");
	a.pfs = "group2";
	b.pfs = "group14";
	if (!ok(v1_world(&a, &b), "pfs: A group 2, B group 14"))
		return;
	ike_engine_initiate(W.s[0].e, "ikevti0", W.now);
	deliver();
	ok(up() && W.s[0].fb.n == 0 && W.s[1].fb.n == 0,
	   "pfs: B demands group 14, A offers group 2: no IPsec SA");
}

static void test_legacy(void)
{
	struct v1_side a = plain;

	/* Seed 001: IOS's default policy (des, sha, group 1) with md5. */
	a.policy = " encryption 3des\n hash md5\n authentication pre-share\n group 2\n";
	a.tset = "esp-3des esp-md5-hmac";
	if (!ok(v1_world(&a, &a), "3des/md5/group 2: configs load"))
		return;
	ok(bring_up(), "3des/md5/group 2: up, one pair mirrored");
	ok(key_len(0, 24, 16), "3des/md5: 24-byte 3DES and 16-byte HMAC-MD5 keys");
	/* IOS's defaults: des, sha, group 1, and a DES transform set. */
	a.policy = " authentication pre-share\n";
	a.tset = "esp-des esp-sha-hmac";
	if (!ok(v1_world(&a, &a), "IOS defaults: configs load"))
		return;
	ok(bring_up(), "IOS defaults (des/sha/group 1): up, one pair mirrored");
	ok(key_len(0, 8, 20), "esp-des esp-sha-hmac: 8-byte DES and 20-byte HMAC-SHA1 keys");
	ok(W.s[0].fb.sa[0].flags & IKEVTI_SA_F_LEGACY,
	   "esp-des: the kernel SA carries the legacy flag");
	a.tset = "esp-gcm 256";
	if (!ok(v1_world(&a, &a), "esp-gcm 256: configs load"))
		return;
	ok(bring_up(), "esp-gcm 256: up, one pair mirrored");
	ok(key_len(0, 36, 0), "esp-gcm 256: 32-byte key and 4-byte salt, no HMAC");
}

static void test_rekey(void)
{
	uint32_t out0;
	unsigned int qm;

	if (!ok(v1_world(&plain, &plain), "rekey: configs load") ||
	    !ok(bring_up(), "rekey: up"))
		return;
	out0 = out_spi(0);
	qm = v1_count(0, IKEV1_EXCH_QUICK);
	is_int(ike_engine_rekey(W.s[0].e, "ikevti0", false, W.now), 0,
	       "rekey: ikevtictl rekey child-sa");
	deliver();
	ok(W.s[0].fb.n == 3 && W.s[1].fb.n == 4 && out_spi(0) == out0 && !W.loss,
	   "rekey: after QM3, A still sends on the old pair, B has both");
	run_until(W.now + 2000);
	ok(W.s[0].fb.n == 4 && W.s[1].fb.n == 4 && mirrored() && !W.loss,
	   "rekey: 1.5 s on, A's new outbound SA: two pairs while the old one drains");
	ok(out_spi(0) != out0, "rekey: A sends on the new SA");
	is_int(v1_count(0, IKEV1_EXCH_QUICK) - qm, 2, "rekey: QM1 and QM3 again");
	run_until(W.now + 10000);
	ok(one_pair() && out_spi(0) != out0,
	   "rekey: 10 s later the old pair is deleted on both sides, nothing lost");
	/* From the lifetime: the default 3600 s, rekeyed before it ends. */
	out0 = out_spi(0);
	run_until(W.now + 3600 * 1000);
	ok(one_pair() && out_spi(0) != out0 && !W.loss,
	   "rekey: an hour later the lifetime rekeyed the pair, nothing lost");
	/* Phase 1. */
	is_int(ike_engine_rekey(W.s[0].e, "ikevti0", true, W.now), 0,
	       "rekey: ikevtictl rekey ike-sa");
	deliver();
	run_until(W.now + 10000);
	ok(view_ike(0).established == 1 && view_ike(1).established == 1 &&
	   one_pair(), "rekey: a new ISAKMP SA, the old one deleted, the pair kept");
	is_int(ike_engine_rekey(W.s[0].e, "ikevti0", false, W.now), 0,
	       "rekey: a phase 2 rekey over the new ISAKMP SA");
	deliver();
	run_until(W.now + 10000);
	ok(one_pair() && !W.loss, "rekey: ... works");
}

/* "lifetime 300" in the ISAKMP policy: a new phase 1 before it ends. */
static void test_p1_lifetime(void)
{
	struct v1_side s = plain;
	struct ike_stats st;

	s.policy = " encryption aes 256\n hash sha256\n authentication pre-share\n"
		   " group 14\n lifetime 300\n";
	if (!ok(v1_world(&s, &s), "phase 1 lifetime: configs load") ||
	    !ok(bring_up(), "phase 1 lifetime: up"))
		return;
	run_until(W.now + 300 * 1000);
	st = stats(0);
	ok(st.ike_sa_created + stats(1).ike_sa_created >= 3,
	   "phase 1 lifetime: a new ISAKMP SA before 300 s (%llu + %llu made)",
	   (unsigned long long)st.ike_sa_created,
	   (unsigned long long)stats(1).ike_sa_created);
	run_until(W.now + 20000);
	ok(view_ike(0).established == 1 && view_ike(1).established == 1 &&
	   one_pair() && !W.loss,
	   "phase 1 lifetime: one ISAKMP SA and one pair after it, nothing lost");
}

/*
 * The commit bit (RFC 2408 3.1, RFC 2409 5.5): B's QM2 arrives with it
 * set, so A's outbound SA waits for B's CONNECTED.  The flag is in the
 * header, which no HASH covers: set here on the way, B never sends the
 * notify, and A's outbound SA goes in after V1_COMMIT_WAIT all the same.
 */
static void test_commit(void)
{
	bool flagged = false;

	if (!ok(v1_world(&plain, &plain), "commit bit: configs load"))
		return;
	ike_engine_initiate(W.s[0].e, "ikevti0", W.now);
	while (W.nq) {
		struct dgram *d = W.q[0];
		struct msg_hdr h;

		if (d->to == 0 && !msg_hdr_parse(d->buf, d->len, &h) &&
		    h.exchange == IKEV1_EXCH_QUICK) {
			d->buf[19] |= IKEV1_FLAG_COMMIT;
			flagged = true;
		}
		deliver_one();
	}
	ok(flagged && up(), "commit bit: B's QM2 carries it, phase 1 up");
	ok(W.s[0].fb.n == 1 && fb_count(&W.s[0].fb, IKEVTI_DIR_IN) == 1 &&
	   W.s[1].fb.n == 2,
	   "commit bit: A has its inbound SA only, waiting for CONNECTED");
	run_until(W.now + 11000);
	ok(one_pair(), "commit bit: no CONNECTED in 10 s: A's outbound SA goes in");
}

static void test_delete(void)
{
	if (!ok(v1_world(&plain, &plain), "delete: configs load") ||
	    !ok(bring_up(), "delete: up"))
		return;
	is_int(ike_engine_clear(W.s[0].e, NULL, NULL, NULL, W.now), 0,
	       "delete: clear crypto isakmp on A");
	deliver();
	ok(W.s[0].fb.n == 0 && W.s[1].fb.n == 0,
	   "delete: DELETE removed the IPsec SAs on both sides");
	ok(view_ike(1).established == 0, "delete: B has no ISAKMP SA left");
	ok(!W.s[0].fb.errors && !W.s[1].fb.errors, "delete: no backend error");
}

static void test_dpd(void)
{
	struct v1_side s = plain;
	unsigned int info;
	uint64_t t0;

	s.extra = "crypto isakmp keepalive 10 2 periodic\n";
	if (!ok(v1_world(&s, &s), "dpd: configs load") ||
	    !ok(bring_up(), "dpd: up"))
		return;
	info = v1_count(0, IKEV1_EXCH_INFORMATIONAL);
	run_until(W.now + 25000);
	ok(v1_count(0, IKEV1_EXCH_INFORMATIONAL) > info && one_pair(),
	   "dpd: R-U-THERE every 10 s, answered: the tunnel stays");
	W.down[1] = true;
	t0 = W.now;
	while (W.s[0].fb.n && W.now < t0 + 120000)
		run_until(W.now + 500);
	ok(W.s[0].fb.n == 0 && view_ike(0).established == 0,
	   "dpd: B gone, A declares it dead and removes the SAs");
	/* IOS: the interval, then 5 R-U-THEREs 2 s apart (the retry). */
	ok(W.now - t0 <= (10 + 5 * 2 + 2) * 1000,
	   "dpd: within keepalive + 5 x retry (%llu ms)",
	   (unsigned long long)(W.now - t0));
	ok(logged(0, "ikevti0: no R-U-THERE-ACK to 6 R-U-THEREs: the peer is dead") == 1,
	   "dpd: A says why");
	/* The peer returns: the VTI comes back on its own. */
	W.down[1] = false;
	run_until(W.now + 15000);
	/* Both VTIs initiate at the same moment (one fake clock). */
	ok(up() && one_pair(),
	   "dpd: B answers again, the tunnel comes back: one ISAKMP SA, one pair");
}

/*
 * Two VTIs that come up at the same moment both initiate: the end with
 * the lower address gives way, so there is one ISAKMP SA and one pair.
 */
static void test_crossed(void)
{
	if (!ok(v1_world(&plain, &plain), "crossed: configs load"))
		return;
	is_int(ike_engine_initiate(W.s[0].e, "ikevti0", W.now), 0,
	       "crossed: A initiates");
	is_int(ike_engine_initiate(W.s[1].e, "ikevti0", W.now), 0,
	       "crossed: B initiates before A's MM1 arrives");
	deliver();
	run_until(W.now + 10000);
	ok(up() && view_ike(0).n == 1 && view_ike(1).n == 1 && one_pair(),
	   "crossed: one ISAKMP SA and one IPsec SA pair");
	ok(view_ike(1).last.initiator && !view_ike(0).last.initiator,
	   "crossed: B (10.0.0.2, the higher address) kept its own phase 1");
	ok(logged(0, "ikevti0: the peer started a phase 1 while ours runs: ours gives way (the lower address)") == 1,
	   "crossed: A says it gave way");
}

static void test_wrong_key(void)
{
	struct v1_side b = plain;

	b.key = "not-cisco123";
	if (!ok(v1_world(&plain, &b), "wrong key: configs load"))
		return;
	ike_engine_initiate(W.s[0].e, "ikevti0", W.now);
	deliver();
	run_until(W.now + 60000);
	ok(view_ike(0).established == 0 && view_ike(1).established == 0 &&
	   W.s[0].fb.n == 0 && W.s[1].fb.n == 0,
	   "wrong key: nothing comes up");
	ok(logged(1, "ikevti0: IKE SA negotiation failed: MM5 does not decrypt: the pre-shared keys differ with the key default 10.0.0.1/32 (line 7)") >= 1,
	   "wrong key: B's one line names the key it tried, never the secret");
}

static void test_no_proposal(void)
{
	struct v1_side b = plain;

	b.policy = " encryption 3des\n hash sha\n authentication pre-share\n group 2\n";
	if (!ok(v1_world(&plain, &b), "no proposal: configs load"))
		return;
	ike_engine_initiate(W.s[0].e, "ikevti0", W.now);
	deliver();
	ok(view_ike(1).established == 0 && view_ike(0).established == 0,
	   "no proposal: no ISAKMP SA");
	b = plain;
	b.tset = "esp-3des esp-sha-hmac";
	if (!ok(v1_world(&plain, &b), "no proposal (phase 2): configs load"))
		return;
	ike_engine_initiate(W.s[0].e, "ikevti0", W.now);
	deliver();
	ok(up() && W.s[0].fb.n == 0 && W.s[1].fb.n == 0,
	   "no proposal (phase 2): phase 1 up, no IPsec SA");
}

static void test_lost(void)
{
	if (!ok(v1_world(&plain, &plain), "loss: configs load"))
		return;
	W.drop_from = 1;
	W.drop_exchange = IKEV1_EXCH_MAIN;
	W.drop_response = false;
	W.drop_count = 1;
	ike_engine_initiate(W.s[0].e, "ikevti0", W.now);
	deliver();
	ok(!up(), "loss: MM2 lost");
	run_until(W.now + 5000);
	ok(up() && one_pair(), "loss: A retransmits MM1 and the tunnel comes up");
}

/* Seed 001's site-to-site shape: a crypto map, its access list the selectors. */
static char *cmap_conf(int idx, const char *acl)
{
	static char text[2][2048];

	snprintf(text[idx], sizeof(text[idx]),
		 "crypto isakmp policy 10\n authentication pre-share\n"
		 " encryption aes 256\n hash sha256\n group 14\n"
		 "crypto isakmp key k1 address %s\n"
		 "crypto ipsec transform-set TS esp-aes 256 esp-sha256-hmac\n"
		 "access-list 101 permit %s\n"
		 "crypto map cmap 10 ipsec-isakmp\n"
		 " set peer %s\n set transform-set TS\n match address 101\n"
		 "interface eth0\n ip address %s 255.255.255.0\n crypto map cmap\n",
		 idx ? addr_a : addr_b, acl, idx ? addr_a : addr_b,
		 idx ? addr_b : addr_a);
	return text[idx];
}

static void test_crypto_map(void)
{
	if (!ok(world_new_text(cmap_conf(0, "ip 10.1.0.0 0.0.0.255 10.2.0.0 0.0.0.255"),
			       cmap_conf(1, "ip 10.2.0.0 0.0.0.255 10.1.0.0 0.0.0.255")),
		"crypto map: configs load"))
		return;
	is_int(ike_engine_initiate(W.s[0].e, "cmap-10", W.now), 0,
	       "crypto map: device cmap-10 initiates");
	deliver();
	ok(up() && one_pair(), "crypto map: up, one pair mirrored");
	is_int(ike_engine_rekey(W.s[1].e, "cmap-10", false, W.now), 0,
	       "crypto map: the phase 1 responder rekeys phase 2");
	deliver();
	run_until(W.now + 2000);
	ok(W.s[0].fb.n == 4 && W.s[1].fb.n == 4 && mirrored() && !W.loss,
	   "crypto map: its Quick Mode IDs are the access list, mirrored");
	run_until(W.now + 10000);
	ok(one_pair(), "crypto map: the old pair goes");
	/*
	 * A protocol and a port ("permit tcp host A eq www ..."): ID
	 * payloads with both, and the kernel SAs carry exactly those
	 * selectors.
	 */
	if (!ok(world_new_text(cmap_conf(0, "tcp host 10.1.0.5 eq www 10.2.0.0 0.0.0.255"),
			       cmap_conf(1, "tcp 10.2.0.0 0.0.0.255 host 10.1.0.5 eq www")),
		"crypto map, tcp port 80: configs load"))
		return;
	ike_engine_initiate(W.s[0].e, "cmap-10", W.now);
	deliver();
	{
		const struct kernel_sa *k = W.s[0].fb.n ? &W.s[0].fb.sa[0] : NULL;
		const uint8_t host[4] = { 10, 1, 0, 5 };

		ok(up() && one_pair(), "crypto map, tcp port 80: up, one pair mirrored");
		ok(k && k->n_ts_local == 1 && k->n_ts_remote == 1 &&
		   k->ts_local[0].proto == 6 && k->ts_local[0].port_start == 80 &&
		   k->ts_local[0].port_end == 80 &&
		   !memcmp(k->ts_local[0].start, host, 4) &&
		   !memcmp(k->ts_local[0].end, host, 4) &&
		   k->ts_remote[0].proto == 6 && k->ts_remote[0].port_start == 0 &&
		   k->ts_remote[0].port_end == 65535,
		   "crypto map, tcp port 80: A's kernel SA selectors are tcp 10.1.0.5:80 <-> 10.2.0.0/24");
	}
	/* A wider access list than B's: B refuses A's IDs. */
	if (!ok(world_new_text(cmap_conf(0, "ip 10.1.0.0 0.0.255.255 10.2.0.0 0.0.0.255"),
			       cmap_conf(1, "ip 10.2.0.0 0.0.0.255 10.1.0.0 0.0.0.255")),
		"crypto map, wider ACL at A: configs load"))
		return;
	ike_engine_initiate(W.s[0].e, "cmap-10", W.now);
	deliver();
	ok(up() && !W.s[0].fb.n && !W.s[1].fb.n,
	   "crypto map, wider ACL at A: B answers INVALID-ID-INFORMATION, no IPsec SA");
	ok(logged(0, "cmap-10: the peer says INVALID-ID-INFORMATION") == 1,
	   "crypto map, wider ACL at A: A logs B's answer");
}

/* The exchanges on port 4500 from A, and in QM, B's encapsulation mode. */
static unsigned int sent_natt(int from)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < W.n_log; i++)
		n += W.log[i]->to == 1 - from && W.log[i]->natt;
	return n;
}

/*
 * A behind a NAT (RFC 3947): NAT-D finds it, A floats to port 4500 for
 * MM5, and the IPsec SAs need ESP in UDP, which the fake backend may or
 * may not offer (as the recording backend and the module differ).
 */
static void test_nat(void)
{
	static struct backend_ops encap_ops;
	struct v1_side b = plain;

	b.peer = "192.0.2.99";
	if (!ok(v1_world(&plain, &b), "nat: configs load"))
		return;
	W.nat_a = true;
	ike_engine_initiate(W.s[0].e, "ikevti0", W.now);
	deliver();
	ok(sent_natt(0) >= 1 && sent_natt(1) >= 1,
	   "nat: NAT detected, both sides moved to port 4500");
	ok(W.s[0].fb.n_log == 0 && W.s[1].fb.n_log == 0,
	   "nat: without ESP in UDP no IPsec SA reaches either kernel");
	ok(view_ike(0).n == 0 && view_ike(1).n == 0,
	   "nat: and the ISAKMP SA is deleted, as IKEv2 does");
	ok(logged(0, "ikevti0: NAT detected between 10.0.0.1 and 10.0.0.2: UDP-encapsulated ESP (NAT-T) is not implemented yet; the Child SA is not installed") == 1,
	   "nat: A says why");
	/* A backend that can put ESP in UDP (the recording one, say). */
	if (!ok(v1_world(&plain, &b), "nat, UDP encapsulation: configs load"))
		return;
	encap_ops = fb_ops;
	encap_ops.udp_encap = true;
	W.s[0].fb.be.ops = W.s[1].fb.be.ops = &encap_ops;
	W.nat_a = true;
	ok(bring_up(), "nat, UDP encapsulation: up, one pair mirrored");
	ok(v1_count(0, IKEV1_EXCH_QUICK) == 2 && sent_natt(0) == 3,
	   "nat, UDP encapsulation: MM5 on, and Quick Mode over port 4500");
	W.nat_a = false;
	/* "no crypto ipsec nat-transparency udp-encapsulation": no NAT-T. */
	b.extra = "no crypto ipsec nat-transparency udp-encapsulation\n";
	b.peer = NULL;
	if (!ok(v1_world(&plain, &b), "nat-transparency off: configs load"))
		return;
	ok(bring_up() && sent_natt(0) == 0 && sent_natt(1) == 0,
	   "nat-transparency off at B: up, nothing on port 4500");
}

/* Bytes of every message sent, mangled and truncated: nothing changes. */
static void test_garbage(void)
{
	uint8_t buf[MSG_MAX_LEN];
	unsigned int n_log, garbage = 0;
	uint32_t out0, out1;

	if (!ok(v1_world(&plain, &plain), "garbage: configs load") ||
	    !ok(bring_up(), "garbage: up"))
		return;
	out0 = out_spi(0);
	out1 = out_spi(1);
	n_log = W.n_log;
	for (unsigned int i = 0; i < n_log; i++) {
		struct dgram *d = W.log[i];
		size_t len = d->len;

		/* Replays. */
		inject(d->to, d->buf, len);
		/* Every truncation of the first 64 bytes, and some beyond. */
		for (size_t cut = 0; cut < len; cut += cut < 64 ? 1 : 37) {
			inject(d->to, d->buf, cut);
			garbage++;
		}
		/* Flipped bits, one byte at a time. */
		for (size_t at = 0; at < len; at += 3) {
			memcpy(buf, d->buf, len);
			buf[at] ^= 0x5a;
			inject(d->to, buf, len);
			garbage++;
		}
		/* A length field that lies. */
		memcpy(buf, d->buf, len);
		if (len >= 28) {
			buf[24] = 0xff;
			inject(d->to, buf, len);
		}
		deliver();
	}
	ok(up() && one_pair() && out_spi(0) == out0 && out_spi(1) == out1,
	   "garbage: replays, truncations and flipped bits leave the tunnel alone");
	ok(stats(0).malformed + stats(0).dropped + stats(1).malformed +
	   stats(1).dropped > 0, "garbage: and are counted");
	printf("# %u mangled messages\n", garbage);
}

int main(void)
{
	test_main_mode();
	test_aggressive();
	test_pfs();
	test_legacy();
	test_rekey();
	test_p1_lifetime();
	test_commit();
	test_delete();
	test_dpd();
	test_crossed();
	test_wrong_key();
	test_no_proposal();
	test_lost();
	test_crypto_map();
	test_nat();
	test_garbage();
	world_free();
	crypto_cleanup();
	return done_testing();
}
