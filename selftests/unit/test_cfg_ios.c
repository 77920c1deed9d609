// SPDX-License-Identifier: GPL-2.0
/*
 * Tests for the Cisco IOS dialect (cfg_ios.c, cfg_ios_ipsec.c) and its
 * policy model (policy_ios*.c, policy_v1.c):
 *
 *	- the configurations of seeds 000, 001, 002 and 004, in config/,
 *	  load as "ikehelper -t" loads them, with exactly the notices and
 *	  warnings expected, or are refused with exactly the messages
 *	  expected when they need a feature of another issue;
 *	- what they mean, IOS defaults included;
 *	- every command (ios-every-command.conf), and a dump that reads
 *	  back as the same configuration;
 *	- malformed lines, each with its exact "file:line:col" message;
 *	- the dialect of a file, and the lines skipped;
 *	- transform sets as the module's transforms; call admission;
 *	- keys never shown, and wiped (-Wl,--wrap=OPENSSL_cleanse).
 */
#include <arpa/inet.h>
#include <sys/socket.h>

#include <linux/ikevti.h>

#include "cfg_test.h"

void __real_OPENSSL_cleanse(void *ptr, size_t len);
void __wrap_OPENSSL_cleanse(void *ptr, size_t len);

static const char *watch;	/* a key whose wiping we count */
static int wiped_exact;

void __wrap_OPENSSL_cleanse(void *ptr, size_t len)
{
	if (watch && len == strlen(watch) && !memcmp(ptr, watch, len))
		wiped_exact++;
	__real_OPENSSL_cleanse(ptr, len);
}

#define SEAL "esp-seal is not implemented by the ikevti module yet; "
#define NATKA "crypto isakmp nat keepalive 20 cannot act until NAT traversal (UDP-encapsulated ESP) is implemented; no NAT keepalives are sent"
#define GRE(l) ":" #l ":2: warning: interface ikevti1 has no 'tunnel mode ipsec ipv4': IOS runs GRE over IPsec here, ikevti an IPsec VTI; an IOS peer needs 'tunnel mode ipsec ipv4' too"
#define NOKEYRING(l, p) ":" #l ":3: warning: keyring keyring is not configured; profile " p " finds no key in it until it is"

/* What "ikehelper -t" says of each seed that loads, after "FILE". */
static const struct {
	const char *file;
	unsigned int devices;		/* ikevti devices */
	const char *msg[4];		/* every notice and warning */
} seeds[] = {
	{ "seed000-aes.conf", 0, { NULL } },
	{ "seed000-keyring-profile-interface.conf", 0, { NULL } },
	{ "seed000-keyring-address.conf", 0, { NULL } },
	{ "seed000-cac-sa.conf", 0, { NULL } },
	{ "seed000-dpd-on-demand.conf", 0, { NULL } },
	{ "seed000-dpd-periodic.conf", 0, { NULL } },
	{ "seed000-no-nat-transparency.conf", 0, { NULL } },
	{ "seed000-nat-keepalive.conf", 1, {
		":8:1: notice: " NATKA,
		":13:1: warning: crypto map test2 is not applied to an interface ('crypto map test2' there); its entries stay down, as on IOS",
		":16:2: warning: access-list 101 is not configured; crypto map test2 10 stays down until it is, as on IOS" } },
	{ "seed001-3640.conf", 1, { NULL } },
	{ "seed001-2611-site-to-site.conf", 1, { NULL } },
	{ "seed002-r1.conf", 1, { GRE(39) } },
	{ "seed002-r2.conf", 1, { GRE(36) } },
	{ "seed002-initiator-keyrings.conf", 1, { GRE(16) } },
	{ "seed002-responder-different.conf", 0, { NULL } },
	{ "seed002-responder-same.conf", 0, { NULL } },
	{ "seed002-default-keyring.conf", 0, { NULL } },
	{ "seed002-profile-initiator.conf", 1, {
		NOKEYRING(6, "profile1"), NOKEYRING(9, "profile2"), GRE(19) } },
	{ "seed002-profile-responder.conf", 0, {
		NOKEYRING(5, "profile1"), NOKEYRING(8, "profile2") } },
	{ "seed004-r1.conf", 1, {
		":47:34: notice: " SEAL "crypto map cisco 10 cannot come up" } },
	{ "seed004-r2.conf", 1, {
		":48:34: notice: " SEAL "crypto map cisco 10 cannot come up" } },
	{ "ios-every-command.conf", 4, {
		":7:1: notice: " NATKA,
		":92:36: notice: " SEAL "crypto map vpnmap 20 proposes only its other transform sets",
		":121:1: warning: access-list 101 protects only some traffic to 10.3.0.0/24, but ikevti routes all of it into vpnmap-10: the rest is dropped there, where IOS sends it in clear",
		":122:1: warning: access-list 101 protects only some traffic to 10.4.0.1/32, but ikevti routes all of it into vpnmap-10: the rest is dropped there, where IOS sends it in clear" } },
};

#define CERT "is not supported yet (certificates)"

/* The snippets that need another issue's feature, and what they get. */
static const struct {
	const char *file;
	const char *msg[12];
} refused[] = {
	{ "seed000-cert-map.conf", {
		":4:1: 'crypto pki certificate' " CERT,
		":7:1: 'crypto isakmp identity dn' " CERT,
		":9:3: 'ca trust-point' " CERT } },
	{ "seed000-cert-responder.conf", {
		":4:1: 'crypto pki certificate' " CERT,
		":12:3: 'ca trust-point' " CERT } },
	{ "seed000-cert-initiator.conf", { ":4:1: 'crypto ca trustpoint' " CERT } },
	{ "seed000-group-name.conf", { ":5:3: 'ca trust-point' " CERT } },
	{ "seed000-group-name-domain.conf", { ":5:3: 'ca trust-point' " CERT } },
	{ "seed000-type6.conf", {
		":5:1: 'password encryption aes' is not supported yet (type-6 encrypted keys)",
		":6:1: 'key config-key password-encrypt' is not supported yet (type-6 encrypted keys)" } },
	{ "seed000-cac-resource.conf", {
		":4:1: 'call admission limit' is not supported (ikehelper has no system resource charge); expected 'crypto call admission limit ike sa N'" } },
	{ "seed001-2611.conf", {
		":16:1: 'aaa new-model' is not supported yet (XAUTH and mode-config, which use AAA)",
		":21:1: 'aaa authentication' is not supported yet (XAUTH and mode-config, which use AAA)",
		":24:1: 'aaa authorization' is not supported yet (XAUTH and mode-config, which use AAA)",
		":25:1: 'aaa session-id' is not supported yet (XAUTH and mode-config, which use AAA)",
		":29:1: 'username cisco' is not supported yet (XAUTH)",
		":59:1: 'crypto isakmp client configuration group' is not supported yet (mode-config)",
		":72:1: 'crypto dynamic-map dynmap' is not supported yet (dynamic crypto maps)",
		":82:22: 'crypto map clientmap client authentication' is not supported yet (XAUTH)",
		":83:22: 'crypto map clientmap isakmp authorization' is not supported yet (mode-config)",
		":84:22: 'crypto map clientmap client configuration' is not supported yet (mode-config)",
		":89:38: 'crypto map clientmap 10 ipsec-isakmp dynamic' is not supported yet (dynamic crypto maps)",
		":114:1: 'ip local pool ippool' is not supported yet (mode-config)" } },
};

static void test_seeds(void)
{
	char want[sizeof(datadir) + 512];

	for (size_t i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
		struct policy_config *cfg = load_file(seeds[i].file);
		unsigned int n = 0;

		if (!ok(cfg && !d.errors, "%s passes 'ikehelper -t'", seeds[i].file)) {
			show_diags();
			policy_config_free(cfg);
			continue;
		}
		for (; n < 4 && seeds[i].msg[n]; n++) {
			snprintf(want, sizeof(want), "%s/%s%s", datadir,
				 seeds[i].file, seeds[i].msg[n]);
			if (!ok(find_diag(want), "  %.70s", seeds[i].msg[n]))
				show_diags();
		}
		is_int(count_diags(true, false) + count_diags(false, true), n,
		       "  %u notices and warnings, no more", n);
		is_int(policy_v1_count(cfg), seeds[i].devices, "  %u ikevti devices",
		       seeds[i].devices);
		is_int(cfg->n_tunnel, 0, "  no IKEv2 tunnel");
		round_trip(cfg, seeds[i].file);
		policy_config_free(cfg);
	}
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		struct policy_config *cfg = load_file(refused[i].file);
		unsigned int n = 0;

		while (n < 12 && refused[i].msg[n])
			n++;
		if (!ok(!cfg && d.errors == n && d.n == n, "%s is refused with %u errors",
			refused[i].file, n)) {
			show_diags();
			policy_config_free(cfg);
			continue;
		}
		for (unsigned int k = 0; k < n; k++) {
			snprintf(want, sizeof(want), "%s/%s%s", datadir,
				 refused[i].file, refused[i].msg[k]);
			is_str(d.d[k].msg, want, "  %.70s", refused[i].msg[k]);
		}
	}
}

/* Seed 004: a SEAL crypto map becomes a device that cannot come up. */
static void test_seed004(void)
{
	struct policy_config *cfg = load_file("seed004-r1.conf");
	struct policy_v1_effective e;
	char *text;

	if (!ok(cfg, "seed 004 R1 loads")) {
		show_diags();
		return;
	}
	ok(policy_v1_find(cfg, "cisco-10", &e), "crypto map cisco 10 is device cisco-10");
	is_int(e.kind, POLICY_V1_CRYPTO_MAP, "  a crypto map entry");
	ok(e.create, "  ikehelper creates it");
	ok(addr_is(&e.peer, "10.10.10.2"), "  peer 10.10.10.2");
	ok(addr_is(&e.local.addr, "10.10.10.1"), "  local 10.10.10.1, eth1's address");
	is_str(e.underlay, "eth1", "  over eth1, which has 'crypto map cisco'");
	is_int(e.n_ts, 1, "  one selector pair, access-list 100");
	ok(e.ts[0].local.start[0] == 172 && e.ts[0].local.end[3] == 255 &&
	   e.ts[0].remote.start[0] == 20 && e.ts[0].remote.end[3] == 255,
	   "  172.18.124.0/24 to 20.20.20.0/24");
	is_int(e.n_routes, 1, "  one route");
	ok(addr_is(&e.routes[0].prefix, "20.20.20.0") && e.routes[0].plen == 24,
	   "  20.20.20.0/24 into the device");
	ok(!e.can_come_up, "  it cannot come up");
	is_str(e.why_not, "esp-seal is not implemented by the ikevti module yet", "  because of esp-seal");
	is_int(e.n_policy, 1, "ISAKMP policy 1");
	ok(e.policy[0]->enc == POLICY_V1_ENC_AES_256 && e.policy[0]->hash == POLICY_V1_HASH_MD5 &&
	   e.policy[0]->group == POLICY_V1_GROUP_2 && e.policy[0]->auth == POLICY_V1_AUTH_PSK,
	   "  aes 256, md5, pre-share, group 2");
	is_int(e.policy[0]->lifetime, 86400, "  lifetime: IOS's 86400 s");
	ok(!e.profile, "no ISAKMP profile");
	is_int(e.seconds, 3600, "IPsec SA: IOS's 3600 s");
	is_int(e.kb, 4608000, "  and 4608000 KB (seed 004's show crypto map)");
	is_int(e.pfs, 0, "  PFS (Y/N): N");
	is_int(cfg->ios->default_ring.n_psk, 1, "one global key");
	is_int(cfg->ios->default_ring.psk[0].plen, 32, "  for 10.10.10.2/32");
	text = dump_v1(cfg, &e);
	ok(strstr(text, "  transform set cisco: esp-seal esp-sha-hmac (not in the module)  [crypto map, line 52]\n") &&
	   strstr(text, "  cannot come up: esp-seal is not implemented by the ikevti module yet\n"),
	   "the effective dump says so");
	free(text);
	policy_config_free(cfg);
}

/* Seed 001's 3640: IOS defaults fill what the policy leaves out. */
static void test_seed001(void)
{
	struct policy_config *cfg = load_file("seed001-3640.conf");
	struct policy_v1_effective e;
	const struct policy_isakmp_policy *p;

	if (!ok(cfg, "seed 001 3640 loads")) {
		show_diags();
		return;
	}
	ok(policy_v1_find(cfg, "mymap-10", &e), "crypto map mymap 10 is device mymap-10");
	p = e.policy[0];
	is_int(p->enc, POLICY_V1_ENC_DES, "policy 10: des, IOS's default");
	is_int(p->hash, POLICY_V1_HASH_MD5, "  hash md5, as written");
	is_int(p->group, POLICY_V1_GROUP_1, "  group 1, IOS's default");
	is_int(p->lifetime, 86400, "  86400 s, IOS's default");
	is_str(cfg->ios->hostname, "vpn3640", "hostname kept (for identity hostname)");
	ok(e.tset[0]->enc == POLICY_ESP_ENC_3DES && e.tset[0]->auth == POLICY_ESP_AUTH_MD5,
	   "transform set myset: esp-3des esp-md5-hmac");
	ok(addr_is(&e.local.addr, "172.18.124.199") && !strcmp(e.underlay, "eth0"),
	   "local: eth0's 172.18.124.199");
	ok(e.can_come_up, "it can come up");
	is_int(cfg->ios->n_route, 1, "the default route is kept");
	ok(!cfg->ios->route[0].tunnel, "  it leads into no tunnel: the system's");
	is_int(e.n_routes, 1, "the device routes 10.10.10.0/24 only");
	policy_config_free(cfg);
}

/* Seed 002's R1: the IPsec profile names the ISAKMP profile. */
static void test_seed002(void)
{
	struct policy_config *cfg = load_file("seed002-r1.conf");
	struct policy_v1_effective e;
	char *text;

	if (!ok(cfg, "seed 002 R1 loads")) {
		show_diags();
		return;
	}
	ok(policy_v1_find(cfg, "ikevti1", &e), "interface ikevti1 is a device");
	is_int(e.kind, POLICY_V1_VTI, "  a VTI");
	ok(e.profile && !strcmp(e.profile->name, "profile2") && !e.profile_by_addr,
	   "  ISAKMP profile2, from IPsec profile profile1");
	ok(addr_is(&e.local.addr, "192.168.0.1") && !strcmp(e.local.ifname, "eth0"),
	   "  tunnel source eth0 (192.168.0.1)");
	ok(addr_is(&e.peer, "192.168.0.2"), "  tunnel destination 192.168.0.2");
	is_int(e.n_ts, 1, "  one selector pair");
	ok(e.ts[0].local.start[0] == 0 && e.ts[0].remote.end[0] == 255,
	   "  any to any, as an IOS VTI");
	is_int(e.tset[0]->enc_bits, 128, "  esp-aes alone is 128 bits");
	is_int(e.n_routes, 1, "  one route: ip route ... 10.0.0.2");
	ok(addr_is(&e.routes[0].prefix, "192.168.200.0") && e.routes[0].plen == 24 &&
	   addr_is(&e.routes[0].via, "10.0.0.2"),
	   "  192.168.200.0/24 via 10.0.0.2 (on ikevti1's 10.0.0.0/24)");
	text = dump_v1(cfg, &e);
	ok(strstr(text, "  isakmp profile profile2  [ipsec profile, line 29]\n") &&
	   strstr(text, "  route 192.168.200.0/24 via 10.0.0.2 dev ikevti1  [line 43]\n"),
	   "the effective dump says where each came from");
	if (tap_failed)
		printf("%s", text);
	free(text);
	policy_config_free(cfg);
}

/* What IOS does where no line says: seed 000's default protection suite. */
static void test_defaults(void)
{
	struct policy_config *cfg = load_text(
		"crypto isakmp policy 10\n authentication pre-share\n"
		"crypto isakmp key k address 192.0.2.1\n"
		"crypto isakmp key k2 address 0.0.0.0\n"
		"crypto isakmp keepalive 10\n"
		"crypto ipsec transform-set t esp-aes\n"
		"crypto ipsec transform-set g esp-gcm\n"
		"crypto ipsec profile p\n set transform-set t g\n set pfs\n"
		"interface ikevti0\n tunnel destination 192.0.2.1\n"
		" tunnel mode ipsec ipv4\n tunnel protection ipsec profile p\n");
	struct policy_isakmp_policy dp;
	struct policy_v1_effective e;

	policy_isakmp_policy_defaults(&dp);
	ok(dp.enc == POLICY_V1_ENC_DES && dp.hash == POLICY_V1_HASH_SHA1 &&
	   dp.auth == POLICY_V1_AUTH_RSA_SIG && dp.group == POLICY_V1_GROUP_1 &&
	   dp.lifetime == 86400, "ISAKMP policy default: des, sha, rsa-sig, group 1, 86400 s");
	if (!ok(cfg, "a minimal IOS tunnel loads")) {
		show_diags();
		return;
	}
	policy_v1_effective(cfg, 0, &e);
	ok(e.policy[0]->enc == POLICY_V1_ENC_DES && e.policy[0]->hash == POLICY_V1_HASH_SHA1 &&
	   e.policy[0]->group == POLICY_V1_GROUP_1, "  a policy with only authentication: des, sha, group 1");
	is_int(e.local_id, POLICY_V1_ID_ADDRESS, "identity: the address");
	is_int(e.origin[POLICY_V1_EF_LOCAL_ID], POLICY_V1_FROM_DEFAULT, "  by default");
	ok(e.dpd.interval == 10 && e.dpd.retry == 2 && !e.dpd.periodic,
	   "keepalive 10: retry every 2 s, on demand");
	ok(!e.aggressive, "main mode");
	ok(e.seconds == 3600 && e.kb == 4608000, "IPsec SA: 3600 s, 4608000 KB");
	is_int(e.pfs, POLICY_V1_GROUP_1 + 1, "'set pfs' alone is group 1");
	is_int(e.tset[0]->enc_bits, 128, "esp-aes alone: 128 bits");
	is_int(e.tset[1]->enc_bits, 128, "esp-gcm alone: 128 bits");
	ok(!e.profile, "no ISAKMP profile");
	ok(!e.underlay[0] && !e.local.addr.family, "no tunnel source: the route decides");
	is_int(cfg->ios->default_ring.psk[1].plen, 0,
	       "'address 0.0.0.0' alone is every peer (seed 002: [0.0.0.0])");
	ok(!cfg->cac.sa_loc.line && !cfg->cac.neg_loc.line, "no call admission limit");
	policy_config_free(cfg);
}

/* ios-every-command.conf, field by field. */
static void test_every_command(void)
{
	struct policy_config *cfg = load_file("ios-every-command.conf");
	const struct policy_ios *ios;
	const struct policy_isakmp_profile *pr;
	struct policy_v1_effective e;

	if (!ok(cfg, "ios-every-command.conf loads")) {
		show_diags();
		return;
	}
	ios = cfg->ios;
	ok(!strcmp(ios->hostname, "vpn1") && !strcmp(ios->domain, "example.com"),
	   "hostname and ip domain name");
	is_int(ios->n_policy, 8, "eight ISAKMP policies");
	ok(ios->policy[0]->prio == 5 && ios->policy[1]->prio == 20 &&
	   ios->policy[7]->prio == 80, "  in priority order, not file order");
	ok(ios->policy[1]->enc == POLICY_V1_ENC_AES_192 && ios->policy[1]->hash == POLICY_V1_HASH_SHA256 &&
	   ios->policy[1]->group == POLICY_V1_GROUP_14 && ios->policy[1]->lifetime == 3600,
	   "  20: aes 192, sha256, group 14, 3600 s");
	ok(ios->policy[0]->enc == POLICY_V1_ENC_3DES && ios->policy[0]->group == POLICY_V1_GROUP_19,
	   "  5: encr 3des, group 19");
	ok(ios->policy[2]->enc == POLICY_V1_ENC_AES_128 && ios->policy[2]->group == POLICY_V1_GROUP_24,
	   "  30: aes (128), group 24");
	ok(ios->policy[5]->enc == POLICY_V1_ENC_AES_128, "  60: aes 128");
	is_int(cfg->cac.sa_max, 100, "call admission: ike sa 100");
	is_int(cfg->cac.neg_max, 20, "  in-negotiation-sa 20");
	ok(ios->dpd.interval == 30 && ios->dpd.retry == 5 && ios->dpd.periodic,
	   "keepalive 30 5 periodic");
	ok(ios->natt_off && ios->nat_keepalive == 20, "NAT lines read");
	ok(ios->sa_seconds == 7200 && ios->sa_kb == 100000, "global IPsec SA lifetimes");
	is_int(ios->default_ring.n_psk, 3, "three global keys");
	ok(ios->default_ring.psk[1].no_xauth && ios->default_ring.psk[1].plen == 24,
	   "  one with a mask and no-xauth");
	ok(ios->default_ring.psk[2].host && !strcmp(ios->default_ring.psk[2].hostname, "peer.example.com"),
	   "  one by hostname");
	is_int(ios->n_keyring, 2, "two keyrings");
	ok(!strcmp(ios->keyring[0]->local.ifname, "eth0") &&
	   addr_is(&ios->keyring[1]->local.addr, "192.0.2.100"), "  local-address: an interface, an address");
	ok(ios->keyring[0]->n_psk == 3 && ios->keyring[0]->psk[0].key_len == 7 &&
	   !memcmp(ios->keyring[0]->psk[1].key, "secret5", 7), "  keys, 'key 0' too");
	pr = policy_isakmp_profile_find(ios, "prof1");
	ok(pr && pr->n_keyring == 2 && pr->keyring[1] == ios->keyring[1], "profile prof1: two keyrings");
	ok(pr && pr->n_match == 3 && pr->match[1].kind == POLICY_V1_MATCH_HOST &&
	   pr->match[2].kind == POLICY_V1_MATCH_DOMAIN, "  match identity address, host, host domain");
	ok(pr && pr->self_id == POLICY_V1_ID_HOSTNAME && pr->aggressive &&
	   pr->dpd.interval == 20 && pr->dpd.retry == 3, "  self-identity fqdn, aggressive, keepalive 20 retry 3");

	ok(policy_v1_find(cfg, "ikevti1", &e), "ikevti1");
	ok(e.profile == pr && e.aggressive && e.dpd.interval == 20, "  prof1's mode and keepalive");
	is_int(e.origin[POLICY_V1_EF_DPD], POLICY_V1_FROM_ISAKMP_PROFILE, "  keepalive from the profile");
	is_int(e.local_id, POLICY_V1_ID_HOSTNAME, "  identity from the profile");
	ok(e.local_fqdn.type == POLICY_ID_FQDN && e.local_fqdn.len == 16 &&
	   !memcmp(e.local_fqdn.data, "vpn1.example.com", 16), "  vpn1.example.com");
	ok(e.n_tset == 2 && e.pfs == POLICY_V1_GROUP_14 + 1 && e.seconds == 1800 && e.kb == 50000,
	   "  two sets, group 14, 1800 s, 50000 KB");
	ok(e.n_routes == 1 && addr_is(&e.routes[0].prefix, "10.20.0.0"), "  the route via 10.255.0.2");
	ok(policy_v1_find(cfg, "ikevti2", &e), "ikevti2");
	ok(!e.profile, "  no profile: 203.0.113.9 matches none");
	ok(e.seconds == 7200 && e.kb == 100000 && e.origin[POLICY_V1_EF_SECONDS] == POLICY_V1_FROM_GLOBAL,
	   "  the global lifetimes");
	ok(e.dpd.interval == 30 && e.dpd.periodic, "  the global keepalive");
	ok(e.n_routes == 1 && addr_is(&e.routes[0].prefix, "10.30.0.0") && !e.routes[0].via.family,
	   "  the route by interface name");
	ok(addr_is(&e.local.addr, "192.0.2.100"), "  tunnel source by address");
	ok(policy_v1_find(cfg, "vpnmap-10", &e), "crypto map vpnmap 10");
	ok(e.profile && !strcmp(e.profile->name, "prof2") && e.local_id == POLICY_V1_ID_USER_FQDN,
	   "  prof2, self-identity user-fqdn");
	is_int(e.n_ts, 3, "  three permit lines");
	ok(e.ts[1].local.proto == 6 && e.ts[1].local.port_start == 80 &&
	   e.ts[1].remote.port_start == 0 && e.ts[1].remote.port_end == 65535,
	   "  tcp from port www (80)");
	ok(e.ts[2].remote.proto == 17 && e.ts[2].remote.port_start == 53,
	   "  udp to port 53");
	is_int(e.n_routes, 3, "  three routes");
	ok(e.can_come_up, "  it can come up");
	ok(policy_v1_find(cfg, "vpnmap-20", &e), "crypto map vpnmap 20");
	ok(e.can_come_up && e.n_tset == 2, "  it can come up: ts-auth is not SEAL");
	is_int(e.pfs, POLICY_V1_GROUP_20 + 1, "  set pfs group20");
	ok(policy_acl_find(ios, 1) && !policy_acl_find(ios, 1)->extended, "access-list 1 is standard");
	ok(policy_acl_find(ios, 2) && !policy_acl_find(ios, 2)->e[0].permit, "access-list 2 denies");
	ok(policy_acl_find(ios, 199) && policy_acl_find(ios, 199)->e[0].proto == 47, "access-list 199: protocol 47");
	ok(policy_ios_if_find(ios, "eth1") && policy_ios_if_find(ios, "eth1")->shutdown,
	   "eth1 is shut down");
	round_trip(cfg, "ios-every-command.conf");
	policy_config_free(cfg);
}

static void test_kernel_transforms(void)
{
	static const struct {
		const char *line;
		uint16_t enc, key, salt, auth;
		uint32_t flags;
	} t[] = {
		{ "esp-aes esp-sha-hmac", IKEVTI_ENC_AES_CBC, 16, 0, IKEVTI_AUTH_HMAC_SHA1_96, 0 },
		{ "esp-aes 192 esp-md5-hmac", IKEVTI_ENC_AES_CBC, 24, 0, IKEVTI_AUTH_HMAC_MD5_96, 0 },
		{ "esp-aes 256 esp-sha256-hmac", IKEVTI_ENC_AES_CBC, 32, 0, IKEVTI_AUTH_HMAC_SHA256_128, 0 },
		{ "esp-3des esp-sha384-hmac", IKEVTI_ENC_3DES_CBC, 24, 0, IKEVTI_AUTH_HMAC_SHA384_192, 0 },
		{ "esp-des esp-sha512-hmac", IKEVTI_ENC_DES_CBC, 8, 0, IKEVTI_AUTH_HMAC_SHA512_256, IKEVTI_SA_F_LEGACY },
		{ "esp-null esp-sha-hmac", IKEVTI_ENC_NULL, 0, 0, IKEVTI_AUTH_HMAC_SHA1_96, 0 },
		{ "esp-sha-hmac", IKEVTI_ENC_NULL, 0, 0, IKEVTI_AUTH_HMAC_SHA1_96, 0 },
		{ "esp-gcm", IKEVTI_ENC_AES_GCM_16, 16, 4, IKEVTI_AUTH_NONE, 0 },
		{ "esp-gcm 192", IKEVTI_ENC_AES_GCM_16, 24, 4, IKEVTI_AUTH_NONE, 0 },
		{ "esp-gcm 256", IKEVTI_ENC_AES_GCM_16, 32, 4, IKEVTI_AUTH_NONE, 0 },
	};
	char text[256];

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct policy_esp_kernel k;
		struct policy_config *cfg;

		snprintf(text, sizeof(text), "crypto ipsec transform-set t %s\n", t[i].line);
		cfg = load_text(text);
		if (!ok(cfg && cfg->ios && cfg->ios->n_tset == 1, "%s loads", t[i].line)) {
			show_diags();
			policy_config_free(cfg);
			continue;
		}
		ok(policy_esp_kernel(cfg->ios->tset[0], &k) && k.enc == t[i].enc &&
		   k.enc_key_len == t[i].key && k.salt_len == t[i].salt &&
		   k.auth == t[i].auth && k.flags == t[i].flags,
		   "  the module's transforms");
		policy_config_free(cfg);
	}
	{
		struct policy_config *cfg = load_text("crypto ipsec transform-set s esp-seal esp-md5-hmac\n");
		struct policy_esp_kernel k;

		ok(cfg && !policy_esp_kernel(cfg->ios->tset[0], &k) && !k.enc,
		   "esp-seal: not in the module");
		ok(find_diag("ios.conf:1:30: notice: " SEAL "transform set s is not used"),
		   "  a notice says so");
		policy_config_free(cfg);
	}
}

static void test_cac(void)
{
	struct policy_config *cfg = load_text(
		"crypto call admission limit ike sa 25\n"
		"crypto call admission limit ike in-negotiation-sa 10\n");
	char why[256];

	if (!ok(cfg, "call admission limits load")) {
		show_diags();
		return;
	}
	ok(policy_cac_admit(cfg, 24, 0, why, sizeof(why)), "24 IKE SAs: one more is admitted");
	ok(!policy_cac_admit(cfg, 25, 0, why, sizeof(why)), "25: refused (seed 000: at the limit)");
	is_str(why, "call admission: 25 IKE SAs (active and negotiating) reach the limit of 25 (crypto call admission limit ike sa, line 1)",
	       "  with the reason");
	ok(!policy_cac_admit(cfg, 12, 10, why, sizeof(why)), "10 in negotiation: refused");
	is_str(why, "call admission: 10 IKE SAs in negotiation reach the limit of 10 (crypto call admission limit ike in-negotiation-sa, line 2)",
	       "  with the reason");
	policy_config_free(cfg);
	cfg = load_text("interface ikevti0\n ikev2 peer any authentication psk id keyid b\n");
	ok(!cfg || policy_cac_admit(cfg, 100000, 100000, why, sizeof(why)),
	   "no limit configured: always admitted (IKEv2 asks the same)");
	policy_config_free(cfg);
}

/* The file's dialect: its first command of one dialect decides. */
static void test_dialects(void)
{
	struct policy_config *cfg;

	cfg = load_text("interface ikevti0\n shutdown\ninterface ikevti1\n"
			" tunnel destination 192.0.2.1\n tunnel mode ipsec ipv4\n"
			" tunnel protection ipsec profile p\n"
			"crypto ipsec transform-set t esp-aes esp-sha-hmac\n"
			"crypto ipsec profile p\n set transform-set t\n");
	if (ok(cfg && cfg->ios, "an IOS file may start with a neutral interface")) {
		ok(policy_ios_if_find(cfg->ios, "ikevti0") &&
		   policy_ios_if_find(cfg->ios, "ikevti0")->shutdown,
		   "  whose shutdown waited for the dialect");
		is_int(cfg->n_tunnel, 0, "  and made no IKEv2 tunnel");
	} else {
		show_diags();
	}
	policy_config_free(cfg);
	cfg = load_text("crypto isakmp policy 1\n authentication pre-share\n"
			"ikev2 authentication psk id keyid a key char x\n");
	ok(!cfg && d.errors == 1, "IX after IOS: refused");
	is_str(d.n ? d.d[0].msg : "", "ios.conf:3:1: 'ikev2 authentication psk' is NEC IX, but line 1 ('crypto isakmp policy') made this file Cisco IOS; expected one dialect per file",
	       "  naming the line that decided");
	policy_config_free(cfg);
	cfg = load_text("hostname r1\ninterface ikevti0\n tunnel mode ipsec-ikev2\n");
	is_str(d.n ? d.d[0].msg : "", "ios.conf:3:2: 'tunnel mode ipsec-ikev2' is NEC IX, but line 1 ('hostname') made this file Cisco IOS; expected one dialect per file",
	       "'tunnel mode ipsec-ikev2' in an IOS file");
	policy_config_free(cfg);
	cfg = load_text("version 12.3\nservice timestamps debug datetime msec\n"
			"no service password-encryption\nboot-start-marker\nboot-end-marker\n"
			"clock timezone EST -5\nno aaa new-model\nip subnet-zero\nno ip domain lookup\n"
			"no ip domain-lookup\nip cef\nip audit po max-events 100\nno ftp-server write-enable\n"
			"ip classless\nno ip http server\nno ip http secure-server\nip http server\n"
			"ip pim bidir-enable\nsnmp-server community foobar RO\ncall rsvp-sync\n"
			"fax interface-type fax-mail\nmta receive maximum-recipients 0\n"
			"control-plane\n!\nmgcp profile default\n!\ndial-peer cor custom\n!\n"
			"line con 0\n exec-timeout 0 0\nline vty 0 4\n password ww\n login\n transport input ssh\n"
			"interface eth0\n description uplink\n half-duplex\n full-duplex\n duplex auto\n"
			" speed 100\n no keepalive\n!\nend\n");
	if (!ok(cfg && !d.n, "the skipped router lines: read without a word"))
		show_diags();
	ok(cfg && cfg->ios && !cfg->ios->n_policy && cfg->ios->n_iface == 1,
	   "  and nothing in the model but the interface");
	policy_config_free(cfg);
}

#include "test_cfg_ios_bad.h"

static void test_secrets(void)
{
	static const char key[] = "Sup3r-S3cret-ios";
	struct policy_config *cfg;
	char text[512], *out;

	snprintf(text, sizeof(text),
		 "crypto isakmp key %s address 192.0.2.1\n"
		 "crypto keyring r\n pre-shared-key address 192.0.2.2 key %s\n",
		 key, key);
	cfg = load_text(text);
	if (!ok(cfg, "keys load")) {
		show_diags();
		return;
	}
	out = dump_config(cfg);
	ok(!strstr(out, "Sup3r") && strstr(out, "crypto isakmp key <hidden> address 192.0.2.1\n") &&
	   strstr(out, " pre-shared-key address 192.0.2.2 key <hidden>\n"), "the dump shows <hidden>");
	free(out);
	watch = key;
	wiped_exact = 0;
	policy_config_free(cfg);
	is_int(wiped_exact, 2, "both key buffers are wiped on free");
	watch = NULL;
	cfg = load_text("crypto isakmp key Sup3r-S3cret address 10.0.0.300\n"
			"crypto isakmp key Sup3r-S3cret address 10.0.0.1 junk\n"
			"crypto keyring r\n pre-shared-key address 192.0.2.2 key Sup3r-S3cret more\n"
			"crypto isakmp key 6 Sup3r-S3cret address 10.0.0.1\n");
	ok(!cfg && d.errors == 4, "four bad key lines");
	for (size_t i = 0; i < d.n; i++)
		ok(!strstr(d.d[i].msg, "Sup3r"), "  message %zu shows no key", i);
	policy_config_free(cfg);
}

int main(int argc, char **argv)
{
	(void)argc;
	cfg_test_init(argv[0]);
	test_seeds();
	test_seed004();
	test_seed001();
	test_seed002();
	test_defaults();
	test_every_command();
	test_kernel_transforms();
	test_cac();
	test_dialects();
	test_bad();
	test_secrets();
	cfg_diags_free(&d);
	return done_testing();
}
