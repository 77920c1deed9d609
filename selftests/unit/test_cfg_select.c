// SPDX-License-Identifier: GPL-2.0
/*
 * Keyring and ISAKMP profile selection (policy_v1_select.c), case by
 * case as seed 002 walks through them.  Each case says what IOS does
 * and what ikevti does:
 *
 *	IOS picks one key at MM3 by the peer's address and, once MM5 names
 *	the peer, takes the closest "match identity" profile and aborts
 *	when the key's keyring is not that profile's.
 *
 *	ikevti keeps every key that fits, IOS's first; the exchange tries
 *	them on MM5 (mm5() below plays that part: the key that decrypts
 *	is the one whose secret the peer used) and then takes the profile
 *	that holds the key that worked.
 */
#include <arpa/inet.h>
#include <sys/socket.h>

#include "cfg_test.h"

void __real_OPENSSL_cleanse(void *ptr, size_t len);
void __wrap_OPENSSL_cleanse(void *ptr, size_t len);

void __wrap_OPENSSL_cleanse(void *ptr, size_t len)
{
	__real_OPENSSL_cleanse(ptr, len);
}

static struct policy_addr addr(const char *s)
{
	struct policy_addr a = { AF_INET, { 0 } };

	inet_pton(AF_INET, s, a.a);
	return a;
}

static struct policy_id id4(const char *s)
{
	struct policy_id id = { POLICY_ID_IPV4, 4, { 0 } };

	inet_pton(AF_INET, s, id.data);
	return id;
}

/* "keyring2 /32": a candidate, as the tests name them. */
static bool key_is(const struct policy_v1_psk *k, const char *ring,
		   unsigned int plen)
{
	return k && !strcmp(k->ring->name, ring) && k->plen == plen;
}

/*
 * MM5 as the exchange runs it: each candidate in turn, until the one
 * whose secret the peer used decrypts MM5 and verifies HASH_I.
 */
static const struct policy_v1_psk *mm5(const struct policy_v1_keys *k,
				       const char *peer_secret, size_t *tries)
{
	for (*tries = 0; *tries < k->n;) {
		const struct policy_v1_psk *c = k->psk[(*tries)++];

		if (c->key_len == strlen(peer_secret) &&
		    !memcmp(c->key, peer_secret, c->key_len))
			return c;
	}
	return NULL;
}

static struct policy_config *load(const char *file)
{
	struct policy_config *cfg = load_file(file);

	if (!ok(cfg, "%s loads", file))
		show_diags();
	return cfg;
}

/* Seed 002, scenario 1: R1 initiates, R2 answers: it works. */
static void test_r1_initiates(void)
{
	struct policy_config *r1 = load("seed002-r1.conf");
	struct policy_config *r2 = load("seed002-r2.conf");
	struct policy_v1_where at_r1 = { addr("192.168.0.1"), "eth0" };
	struct policy_v1_where at_r2 = { addr("192.168.0.2"), "eth0" };
	struct policy_addr a_r1 = addr("192.168.0.1"), a_r2 = addr("192.168.0.2");
	struct policy_id id_r1 = id4("192.168.0.1");
	struct policy_v1_effective e;
	struct policy_v1_keys k;
	struct policy_v1_pick ios, vti;
	const struct policy_v1_psk *used;
	size_t tries;

	if (!r1 || !r2)
		goto out;
	/* R1 knows its profile from the tunnel: profile2, keyring2. */
	policy_v1_effective(r1, 0, &e);
	policy_v1_keys_by_addr(r1, &a_r2, &at_r1, e.profile, &k);
	ok(k.n == 1 && key_is(k.psk[0], "keyring2", 32),
	   "R1 initiates with profile2: IOS and ikevti take keyring2's key ('Found ADDRESS key in keyring keyring2')");
	is_str(k.reason, "the key for 192.168.0.2: keyring2 192.168.0.2/32 (line 10)",
	       "  the reason names it");
	/* R2 answers MM3 without knowing the profile: all keyrings. */
	policy_v1_keys_by_addr(r2, &a_r1, &at_r2, NULL, &k);
	ok(k.n == 2 && key_is(k.psk[0], "keyring1", 32) && key_is(k.psk[1], "keyring2", 32),
	   "R2 at MM3: IOS takes keyring1's key, the first configured; ikevti keeps keyring2's as the second");
	is_str(k.reason, "2 keys fit 192.168.0.1: keyring1 192.168.0.1/32 (line 6) (IOS's choice), keyring2 192.168.0.1/32 (line 8); tried in this order until one authenticates",
	       "  the reason lists both");
	used = mm5(&k, "cisco", &tries);
	ok(used == k.psk[0] && tries == 1, "R2 at MM5: keyring1's key decrypts at once");
	ok(policy_v1_profile_by_id(r2, &id_r1, &a_r1, &at_r2, k.psk[0], POLICY_V1_RULES_IOS, &ios) &&
	   ios.profile && !strcmp(ios.profile->name, "profile1"),
	   "IOS: the ID matches profile1, whose keyring1 holds the key: authenticated");
	ok(policy_v1_profile_by_id(r2, &id_r1, &a_r1, &at_r2, used, POLICY_V1_RULES_IKEVTI, &vti) &&
	   vti.profile && !strcmp(vti.profile->name, "profile1"),
	   "ikevti: the same");
	is_str(vti.reason, "peer ipv4 192.168.0.1 authenticated with the key of keyring1 192.168.0.1/32 (line 6); profile profile1 (match identity address 192.168.0.1/32, line 17) holds that key",
	       "  the reason");
out:
	policy_config_free(r1);
	policy_config_free(r2);
}

/* Seed 002, scenario 2: R2 initiates, R1 answers: IOS fails, ikevti not. */
static void test_r2_initiates(void)
{
	struct policy_config *r1 = load("seed002-r1.conf");
	struct policy_config *r2 = load("seed002-r2.conf");
	struct policy_v1_where at_r1 = { addr("192.168.0.1"), "eth0" };
	struct policy_v1_where at_r2 = { addr("192.168.0.2"), "eth0" };
	struct policy_addr a_r1 = addr("192.168.0.1"), a_r2 = addr("192.168.0.2");
	struct policy_id id_r2 = id4("192.168.0.2");
	struct policy_v1_effective e;
	struct policy_v1_keys k;
	struct policy_v1_pick ios, vti;
	const struct policy_v1_psk *used;
	size_t tries;

	if (!r1 || !r2)
		goto out;
	policy_v1_effective(r2, 0, &e);
	policy_v1_keys_by_addr(r2, &a_r1, &at_r2, e.profile, &k);
	ok(k.n == 1 && key_is(k.psk[0], "keyring1", 32),
	   "R2 initiates with profile1: keyring1's key, for IOS and ikevti");
	/* R1 answers MM3: keyring1 first, as configured. */
	policy_v1_keys_by_addr(r1, &a_r2, &at_r1, NULL, &k);
	ok(k.n == 2 && key_is(k.psk[0], "keyring1", 32) && key_is(k.psk[1], "keyring2", 32),
	   "R1 at MM3: IOS takes keyring1's key; ikevti keeps keyring2's too");
	used = mm5(&k, "cisco", &tries);
	ok(used == k.psk[0], "R1 at MM5: keyring1's key decrypts (the same 'cisco')");
	ok(!policy_v1_profile_by_id(r1, &id_r2, &a_r2, &at_r1, k.psk[0], POLICY_V1_RULES_IOS, &ios) &&
	   ios.profile && !strcmp(ios.profile->name, "profile2"),
	   "IOS: the ID matches profile2, whose keyring2 is not keyring1: 'Key not found in keyrings of profile, aborting exchange'");
	is_str(ios.reason, "peer ipv4 192.168.0.2 matches profile profile2 (match identity address 192.168.0.2/32, line 22); the key of keyring1 192.168.0.2/32 (line 8) is not in its keyrings: aborting",
	       "  the reason");
	ok(policy_v1_profile_by_id(r1, &id_r2, &a_r2, &at_r1, used, POLICY_V1_RULES_IKEVTI, &vti) &&
	   vti.profile && !strcmp(vti.profile->name, "profile2"),
	   "ikevti: profile2 holds the same secret for 192.168.0.2 in keyring2: authenticated");
	is_str(vti.reason, "peer ipv4 192.168.0.2 authenticated with the key of keyring1 192.168.0.2/32 (line 8); profile profile2 (match identity address 192.168.0.2/32, line 22) holds the same key in keyring keyring2 (IOS would abort: the key's keyring is not the profile's)",
	       "  the reason");
out:
	policy_config_free(r1);
	policy_config_free(r2);
}

/* Seed 002, "複数の事前共有キー": different secrets; IOS cannot read MM5. */
static void test_different_secrets(void)
{
	struct policy_config *cfg = load_text(
		"crypto keyring keyring1\n pre-shared-key address 192.168.0.2 key cisco\n"
		"crypto keyring keyring2\n pre-shared-key address 192.168.0.2 key cisco2\n"
		"crypto isakmp profile profile1\n keyring keyring1\n"
		" match identity address 192.168.0.102 255.255.255.255\n"
		"crypto isakmp profile profile2\n keyring keyring2\n"
		" match identity address 192.168.0.2 255.255.255.255\n");
	struct policy_v1_where at = { addr("192.168.0.1"), NULL };
	struct policy_addr peer = addr("192.168.0.2");
	struct policy_id id = id4("192.168.0.2");
	const struct policy_v1_psk *used;
	struct policy_v1_keys k;
	struct policy_v1_pick pick;
	size_t tries;

	if (!ok(cfg, "R1 with a second secret loads")) {
		show_diags();
		return;
	}
	policy_v1_keys_by_addr(cfg, &peer, &at, NULL, &k);
	ok(k.n == 2 && key_is(k.psk[0], "keyring1", 32), "MM3: IOS uses keyring1's 'cisco'");
	used = mm5(&k, "cisco2", &tries);
	ok(tries == 2 && used == k.psk[1],
	   "MM5, the peer used 'cisco2': IOS fails ('reserved not zero on ID payload'); ikevti's second try decrypts");
	ok(policy_v1_profile_by_id(cfg, &id, &peer, &at, used, POLICY_V1_RULES_IKEVTI, &pick) &&
	   pick.profile && !strcmp(pick.profile->name, "profile2"),
	   "  and profile2, whose keyring2 it is, takes the peer");
	policy_config_free(cfg);
}

/* Seed 002: an initiator without a profile takes the closest key. */
static void test_initiator_no_profile(void)
{
	struct policy_config *cfg = load("seed002-initiator-keyrings.conf");
	struct policy_v1_where at = { addr("192.168.0.1"), "eth0" };
	struct policy_v1_effective e;
	struct policy_v1_keys k;
	struct policy_v1_pick pick;
	struct policy_id id = id4("192.168.0.2");

	if (!cfg)
		return;
	policy_v1_effective(cfg, 0, &e);
	ok(!e.profile, "no ISAKMP profile at all");
	policy_v1_keys_by_addr(cfg, &e.peer, &at, e.profile, &k);
	ok(k.n == 2 && key_is(k.psk[0], "keyring2", 32) && key_is(k.psk[1], "keyring1", 24),
	   "IOS and ikevti: keyring2's /32 before keyring1's /24 ('Selecting 192.168.0.2,255.255.255.255 as final key')");
	ok(policy_v1_profile_by_id(cfg, &id, &e.peer, &at, k.psk[0], POLICY_V1_RULES_IOS, &pick) &&
	   !pick.profile, "MM6: 'peer matches *none* of the profiles', authenticated (IOS and ikevti)");
	policy_config_free(cfg);
}

/* Seed 002: a responder takes the closest key, in any order. */
static void test_responder_keys(void)
{
	struct policy_config *cfg = load("seed002-responder-different.conf");
	struct policy_v1_where at = { addr("192.168.0.1"), NULL };
	struct policy_addr peer = addr("192.168.0.2"), other = addr("192.168.7.7");
	struct policy_v1_keys k;

	if (cfg) {
		policy_v1_keys_by_addr(cfg, &peer, &at, NULL, &k);
		ok(k.n == 2 && key_is(k.psk[0], "keyring2", 32) && key_is(k.psk[1], "keyring1", 16),
		   "different addresses: IOS takes keyring2's /32 over keyring1's /16, though second in the file; ikevti keeps both");
		policy_v1_keys_by_addr(cfg, &other, &at, NULL, &k);
		ok(k.n == 1 && key_is(k.psk[0], "keyring1", 16), "  192.168.7.7: only keyring1's /16");
		peer = addr("10.0.0.1");
		policy_v1_keys_by_addr(cfg, &peer, &at, NULL, &k);
		ok(!k.n, "  10.0.0.1: no key, for IOS or ikevti");
		is_str(k.reason, "no pre-shared key for 10.0.0.1 in the default keyring or any keyring", "  the reason");
	}
	policy_config_free(cfg);
	cfg = load("seed002-responder-same.conf");
	if (cfg) {
		peer = addr("192.168.0.2");
		policy_v1_keys_by_addr(cfg, &peer, &at, NULL, &k);
		ok(k.n == 2 && key_is(k.psk[0], "keyring1", 32) && key_is(k.psk[1], "keyring2", 32),
		   "the same address twice: 'unpredictable and unsupported' on IOS (it takes the first); ikevti tries both");
	}
	policy_config_free(cfg);
}

/* Seed 002: the default keyring comes first, however loose its key. */
static void test_default_keyring(void)
{
	struct policy_config *cfg = load("seed002-default-keyring.conf");
	struct policy_v1_where at = { addr("192.168.0.1"), NULL };
	struct policy_addr peer = addr("192.168.0.2");
	const struct policy_v1_psk *used;
	struct policy_v1_keys k;
	size_t tries;

	if (!cfg)
		return;
	policy_v1_keys_by_addr(cfg, &peer, &at, NULL, &k);
	ok(k.n == 3 && key_is(k.psk[0], "default", 0) && key_is(k.psk[1], "keyring2", 32) &&
	   key_is(k.psk[2], "keyring1", 16),
	   "IOS takes the default keyring's 0.0.0.0 key first, though keyring2 has a /32 ('very dangerous'); ikevti keeps all three");
	used = mm5(&k, "cisco2", &tries);
	ok(used == k.psk[1] && tries == 2,
	   "a peer that uses keyring2's 'cisco2': IOS fails on MM5; ikevti's second try works");
	policy_config_free(cfg);
}

/* Seed 002: IKE profile selection, initiator and responder. */
static void test_profiles(void)
{
	struct policy_config *cfg = load("seed002-profile-initiator.conf");
	struct policy_v1_where at = { addr("192.168.0.2"), NULL };
	struct policy_addr r1 = addr("192.168.0.1");
	struct policy_id id = id4("192.168.0.1");
	struct policy_v1_effective e;
	struct policy_v1_keys k;
	struct policy_v1_pick ios, vti;

	if (cfg) {
		policy_v1_effective(cfg, 0, &e);
		ok(e.profile && !strcmp(e.profile->name, "profile2") && e.profile_by_addr,
		   "initiator without 'set isakmp-profile': the closest match, profile2 ('SA request profile is profile2'), for IOS and ikevti");
	}
	policy_config_free(cfg);
	cfg = load("seed002-profile-responder.conf");
	if (cfg) {
		const struct policy_isakmp_profile *p = policy_v1_profile_by_addr(cfg, &r1, &at);

		ok(p && !strcmp(p->name, "profile2"),
		   "responder: 192.168.0.1 matches profile2, the /32, though profile1's /24 comes first (IOS and ikevti)");
	}
	policy_config_free(cfg);
	/* The same, with the keyring and a tunnel to R1 that names profile1. */
	cfg = load_text(
		"crypto keyring keyring\n pre-shared-key address 192.168.0.0 255.255.255.0 key cisco\n"
		"crypto isakmp profile profile1\n keyring keyring\n"
		" match identity address 192.168.0.0 255.255.255.0\n"
		"crypto isakmp profile profile2\n keyring keyring\n"
		" match identity address 192.168.0.1 255.255.255.255\n"
		"crypto ipsec transform-set TS esp-aes esp-sha256-hmac\n"
		"crypto ipsec profile to-r1\n set transform-set TS\n set isakmp-profile profile1\n"
		"interface ikevti1\n tunnel destination 192.168.0.1\n tunnel mode ipsec ipv4\n"
		" tunnel protection ipsec profile to-r1\n");
	if (!ok(cfg, "R2 with profile1 and profile2 on one keyring loads")) {
		show_diags();
		return;
	}
	policy_v1_keys_by_addr(cfg, &r1, &at, NULL, &k);
	ok(k.n == 1 && key_is(k.psk[0], "keyring", 24), "one key fits R1");
	ok(policy_v1_profile_by_id(cfg, &id, &r1, &at, k.psk[0], POLICY_V1_RULES_IOS, &ios) &&
	   !strcmp(ios.profile->name, "profile2"),
	   "IOS: R1 matches profile2 (/32 over /24, order does not matter); Quick Mode then fails: 'map_db_check_isakmp_profile profile did not match', PROPOSAL_NOT_CHOSEN");
	ok(policy_v1_profile_by_id(cfg, &id, &r1, &at, k.psk[0], POLICY_V1_RULES_IKEVTI, &vti) &&
	   !strcmp(vti.profile->name, "profile1"),
	   "ikevti: profile1, which the tunnel to R1 names and which matches R1 too");
	ok(strstr(vti.reason, "the tunnel to this peer names it (IOS would take the closer match and fail Quick Mode with PROPOSAL_NOT_CHOSEN)") != NULL,
	   "  the reason says why");
	policy_config_free(cfg);
}

/* Not from seed 002: what else the rules say. */
static void test_more_rules(void)
{
	struct policy_config *cfg = load_text(
		"crypto isakmp key global address 192.0.2.0 255.255.255.0\n"
		"crypto isakmp key host1 hostname peer.example.com\n"
		"crypto keyring only-eth1\n local-address eth1\n"
		" pre-shared-key address 192.0.2.9 key ring1\n"
		"crypto keyring only-addr\n local-address 198.51.100.1\n"
		" pre-shared-key address 192.0.2.9 key ring2\n"
		"crypto keyring r3\n pre-shared-key address 192.0.2.9 key other\n"
		"crypto isakmp profile p1\n keyring r3\n match identity address 192.0.2.0 255.255.255.0\n"
		"crypto isakmp profile p2\n keyring only-eth1\n match identity address 192.0.2.9 255.255.255.255\n"
		"crypto isakmp profile p3\n match identity host domain example.com\n");
	struct policy_v1_where eth0 = { addr("203.0.113.1"), "eth0" };
	struct policy_v1_where eth1 = { addr("203.0.113.2"), "eth1" };
	struct policy_v1_where on = { addr("198.51.100.1"), "eth2" };
	struct policy_addr peer = addr("192.0.2.9");
	struct policy_id fqdn = { POLICY_ID_FQDN, 16, "peer.example.com" };
	struct policy_id id = id4("192.0.2.9");
	struct policy_v1_keys k;
	struct policy_v1_pick pick;

	if (!ok(cfg, "local-address and hostname keys load")) {
		show_diags();
		return;
	}
	policy_v1_keys_by_addr(cfg, &peer, &eth0, NULL, &k);
	ok(k.n == 2 && key_is(k.psk[0], "default", 24) && key_is(k.psk[1], "r3", 32),
	   "on eth0: a keyring bound to eth1 or 198.51.100.1 does not count (seed 000, local-address)");
	policy_v1_keys_by_addr(cfg, &peer, &eth1, NULL, &k);
	ok(k.n == 3 && key_is(k.psk[1], "only-eth1", 32), "on eth1: only-eth1 counts");
	policy_v1_keys_by_addr(cfg, &peer, &on, NULL, &k);
	ok(k.n == 3 && key_is(k.psk[1], "only-addr", 32), "on 198.51.100.1: only-addr counts");
	policy_v1_keys_by_id(cfg, &fqdn, &peer, &eth0, &k);
	ok(k.n == 1 && k.psk[0]->host, "Aggressive Mode, ID peer.example.com: the hostname key");
	policy_v1_keys_by_id(cfg, &id, &peer, &eth0, &k);
	ok(k.n == 2 && key_is(k.psk[0], "default", 24), "Aggressive Mode, an address ID: by address");
	policy_v1_keys_by_addr(cfg, &peer, &eth1, NULL, &k);
	ok(policy_v1_profile_by_id(cfg, &id, &peer, &eth1, k.psk[2], POLICY_V1_RULES_IKEVTI, &pick) &&
	   !strcmp(pick.profile->name, "p1"),
	   "ikevti: p2 (closer) does not hold r3's key, p1 does: p1 (IOS would abort on p2)");
	ok(!policy_v1_profile_by_id(cfg, &id, &peer, &eth1, k.psk[0], POLICY_V1_RULES_IKEVTI, &pick),
	   "a key that no matching profile holds: refused by ikevti too");
	ok(strstr(pick.reason, "but none of the 2 matching profiles (closest: p2,") != NULL,
	   "  saying so");
	ok(policy_v1_profile_by_id(cfg, &fqdn, &peer, &eth0, k.psk[0], POLICY_V1_RULES_IKEVTI, &pick) &&
	   !strcmp(pick.profile->name, "p3"),
	   "match identity host domain example.com takes peer.example.com (p3 has no keyring: the default one)");
	policy_config_free(cfg);
}

int main(int argc, char **argv)
{
	(void)argc;
	cfg_test_init(argv[0]);
	test_r1_initiates();
	test_r2_initiates();
	test_different_secrets();
	test_initiator_no_profile();
	test_responder_keys();
	test_default_keyring();
	test_profiles();
	test_more_rules();
	cfg_diags_free(&d);
	return done_testing();
}
