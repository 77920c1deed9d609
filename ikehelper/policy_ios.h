/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Cisco IOS part of the policy model: IKEv1 (ISAKMP policies,
 * keyrings, ISAKMP profiles) and IPsec (transform sets, IPsec profiles,
 * crypto maps, access lists) as a file in the IOS dialect says them
 * (cfg_ios*.c), and what the IKEv1 engine calls:
 *
 *	policy_v1_count(), policy_v1_effective()
 *		one ikevti device each: a "tunnel protection" interface, or
 *		a crypto map entry (policy-based in IOS, route-based here:
 *		its access list becomes the device's traffic selectors and
 *		routes, see below), with every setting resolved;
 *	policy_v1_keys_by_addr(), policy_v1_keys_by_id()
 *		the pre-shared keys that may serve a peer, in the order IOS
 *		would choose them (policy_v1_select.c);
 *	policy_v1_profile_by_id()
 *		the ISAKMP profile of a peer once a key authenticated it;
 *	policy_v1_profile_by_addr()
 *		the initiator's profile when the tunnel names none;
 *	policy_esp_kernel()
 *		a transform set as the ikevti module's transforms;
 *	policy_cac_admit() (policy.h)
 *		"crypto call admission limit", for IKEv1 and IKEv2 alike.
 *
 * Interface names are Linux device names, as in the IX dialect: the
 * seeds' "interface Tunnel1" is written "interface ikevti1", their
 * "tunnel source Ethernet0/0" is "tunnel source eth0".  An interface
 * with "tunnel" lines is an ikevti device; any other interface is an
 * underlay interface, whose address and "crypto map" line matter.
 *
 * A crypto map entry "crypto map NAME SEQ" becomes the ikevti device
 * "NAME-SEQ" (at most 15 bytes; ikehelper creates it), whose underlay is
 * the interface the map is applied to, whose traffic selectors are the
 * permit lines of its access list, and into which ikehelper routes each
 * remote network of that list (struct policy_v1_effective.routes).
 */
#ifndef IKEHELPER_POLICY_IOS_H
#define IKEHELPER_POLICY_IOS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "policy.h"

/* IOS defaults and ranges (Cisco IOS Security Command Reference). */
#define POLICY_V1_PRIO_MIN		1
#define POLICY_V1_PRIO_MAX		10000
#define POLICY_V1_LIFETIME		86400	/* ISAKMP SA, seconds */
#define POLICY_V1_LIFETIME_MIN		60
#define POLICY_V1_LIFETIME_MAX		86400
#define POLICY_V1_SA_SECONDS		3600	/* IPsec SA */
#define POLICY_V1_SA_SECONDS_MIN	120
#define POLICY_V1_SA_SECONDS_MAX	86400
#define POLICY_V1_SA_KB			4608000
#define POLICY_V1_SA_KB_MIN		2560
#define POLICY_V1_SA_KB_MAX		4294967295u
#define POLICY_V1_DPD_MIN		10	/* crypto isakmp keepalive */
#define POLICY_V1_DPD_MAX		3600
#define POLICY_V1_DPD_RETRY		2
#define POLICY_V1_DPD_RETRY_MIN		2
#define POLICY_V1_DPD_RETRY_MAX		60
#define POLICY_V1_NATKA_MIN		5	/* crypto isakmp nat keepalive */
#define POLICY_V1_NATKA_MAX		3600
#define POLICY_CAC_SA_MAX		99999	/* crypto call admission limit */
#define POLICY_CAC_NEG_MIN		10
#define POLICY_CAC_NEG_MAX		99999

#define POLICY_V1_TSETS_MAX		6	/* transform sets per profile/map */
#define POLICY_V1_KEYRINGS_MAX		8	/* keyrings of one profile */
#define POLICY_V1_MATCH_MAX		16	/* "match identity" lines */
#define POLICY_V1_ACL_MAX		POLICY_TS_MAX	/* permit lines used */
#define POLICY_V1_KEYS_MAX		16	/* key candidates */
#define POLICY_V1_REASON_MAX		512

/*
 * ISAKMP (phase 1) algorithms; columns: enum suffix, IOS name, shown as,
 * IKEv1 attribute value (RFC 2409 appendix A), key or group bits.
 */
#define POLICY_V1_ENCS(X) \
	X(DES, "des", "DES", 1, 56) \
	X(3DES, "3des", "3DES", 5, 168) \
	X(AES_128, "aes", "AES-128", 7, 128) \
	X(AES_192, "aes 192", "AES-192", 7, 192) \
	X(AES_256, "aes 256", "AES-256", 7, 256)

#define POLICY_V1_HASHES(X) \
	X(MD5, "md5", "MD5", 1, 128) \
	X(SHA1, "sha", "SHA1", 2, 160) \
	X(SHA256, "sha256", "SHA256", 4, 256) \
	X(SHA384, "sha384", "SHA384", 5, 384) \
	X(SHA512, "sha512", "SHA512", 6, 512)

#define POLICY_V1_GROUPS(X) \
	X(1, "1", "MODP-768", 1, 768) \
	X(2, "2", "MODP-1024", 2, 1024) \
	X(5, "5", "MODP-1536", 5, 1536) \
	X(14, "14", "MODP-2048", 14, 2048) \
	X(15, "15", "MODP-3072", 15, 3072) \
	X(16, "16", "MODP-4096", 16, 4096) \
	X(19, "19", "ECP-256", 19, 256) \
	X(20, "20", "ECP-384", 20, 384) \
	X(24, "24", "MODP-2048-256", 24, 2048)

#define POLICY_X_V1_ENC(n, ...)		POLICY_V1_ENC_##n,
#define POLICY_X_V1_HASH(n, ...)	POLICY_V1_HASH_##n,
#define POLICY_X_V1_GROUP(n, ...)	POLICY_V1_GROUP_##n,

enum policy_v1_enc { POLICY_V1_ENCS(POLICY_X_V1_ENC) POLICY_V1_ENC_COUNT };
enum policy_v1_hash { POLICY_V1_HASHES(POLICY_X_V1_HASH) POLICY_V1_HASH_COUNT };
enum policy_v1_group { POLICY_V1_GROUPS(POLICY_X_V1_GROUP) POLICY_V1_GROUP_COUNT };

enum policy_v1_alg_kind {
	POLICY_V1_KIND_ENC,
	POLICY_V1_KIND_HASH,
	POLICY_V1_KIND_GROUP,
};

struct policy_v1_alg {
	const char *name;		/* as IOS writes it */
	const char *display;
	uint16_t value;			/* IKEv1 attribute value */
	uint16_t bits;
};

const struct policy_v1_alg *policy_v1_alg(enum policy_v1_alg_kind kind,
					  unsigned int idx);

/* Authentication of an ISAKMP policy; only pre-share is accepted. */
enum policy_v1_auth {
	POLICY_V1_AUTH_PSK = 1,		/* attribute value 1 */
	POLICY_V1_AUTH_RSA_SIG = 3,	/* the IOS default, refused */
};

enum policy_isakmp_field {
	POLICY_IP_ENC,
	POLICY_IP_HASH,
	POLICY_IP_AUTH,
	POLICY_IP_GROUP,
	POLICY_IP_LIFETIME,
	POLICY_IP_COUNT
};

/* "crypto isakmp policy N"; a field without a line has the IOS default. */
struct policy_isakmp_policy {
	uint16_t prio;
	struct policy_loc loc;
	struct policy_loc floc[POLICY_IP_COUNT];
	uint8_t enc;			/* enum policy_v1_enc: des */
	uint8_t hash;			/* enum policy_v1_hash: sha */
	uint8_t auth;			/* enum policy_v1_auth: rsa-sig */
	uint8_t group;			/* enum policy_v1_group: 1 */
	uint32_t lifetime;		/* 86400 */
};

/* Where a keyring or profile applies: "local-address IF|ADDR". */
struct policy_v1_local {
	char ifname[POLICY_IFNAMSIZ];	/* "" and family 0: anywhere */
	struct policy_addr addr;
};

/* What the engine knows of the local end of an exchange. */
struct policy_v1_where {
	struct policy_addr addr;	/* the address the peer talks to */
	const char *ifname;		/* the device it came in on, or NULL */
};

struct policy_keyring;

/* One pre-shared key of a keyring: for an address (prefix) or a host. */
struct policy_v1_psk {
	const struct policy_keyring *ring;	/* set when the file is loaded */
	bool host;			/* "hostname H", else an address */
	struct policy_addr addr;
	uint8_t plen;			/* prefix length of the mask */
	char hostname[POLICY_FQDN_MAX + 1];
	uint8_t *key;			/* secret: wiped on free */
	size_t key_len;
	bool no_xauth;
	struct policy_loc loc;
};

/* "crypto keyring NAME", or the default keyring ("crypto isakmp key"). */
struct policy_keyring {
	char name[POLICY_NAME_MAX + 1];	/* "default" for the global keys */
	bool is_default;
	struct policy_loc loc;
	struct policy_v1_local local;
	struct policy_loc local_loc;
	struct policy_v1_psk *psk;
	size_t n_psk;
};

enum policy_v1_match_kind {
	POLICY_V1_MATCH_ADDR,		/* match identity address A [MASK] */
	POLICY_V1_MATCH_HOST,		/* match identity host FQDN */
	POLICY_V1_MATCH_DOMAIN,		/* match identity host domain D */
};

struct policy_v1_match {
	uint8_t kind;
	struct policy_addr addr;
	uint8_t plen;
	char name[POLICY_FQDN_MAX + 1];
	struct policy_loc loc;
};

enum policy_v1_id_kind {
	POLICY_V1_ID_ADDRESS,		/* the local address (IOS default) */
	POLICY_V1_ID_HOSTNAME,		/* hostname[.domain] as ID_FQDN */
	POLICY_V1_ID_USER_FQDN,		/* self-identity user-fqdn X */
};

struct policy_v1_dpd {
	uint32_t interval;		/* seconds; 0: off */
	uint32_t retry;			/* seconds between retries */
	bool periodic;			/* else on demand (the IOS default) */
};

enum policy_ipf {
	POLICY_IPF_SELF_ID,
	POLICY_IPF_KEEPALIVE,
	POLICY_IPF_AGGRESSIVE,
	POLICY_IPF_LOCAL,
	POLICY_IPF_COUNT
};

/* "crypto isakmp profile NAME" */
struct policy_isakmp_profile {
	char name[POLICY_NAME_MAX + 1];
	struct policy_loc loc;
	struct policy_loc floc[POLICY_IPF_COUNT];
	char keyring_name[POLICY_V1_KEYRINGS_MAX][POLICY_NAME_MAX + 1];
	struct policy_loc keyring_loc[POLICY_V1_KEYRINGS_MAX];
	const struct policy_keyring *keyring[POLICY_V1_KEYRINGS_MAX];
	uint8_t n_keyring;		/* 0: the default keyring */
	struct policy_v1_match match[POLICY_V1_MATCH_MAX];
	uint8_t n_match;
	uint8_t self_id;		/* enum policy_v1_id_kind */
	char self_user[POLICY_ID_MAX + 1];
	struct policy_v1_dpd dpd;	/* "keepalive S retry R" */
	bool aggressive;		/* "initiate mode aggressive" */
	struct policy_v1_local local;
};

/* ESP as a transform set has it. */
enum policy_esp_enc {
	POLICY_ESP_ENC_NONE,		/* authentication only */
	POLICY_ESP_ENC_DES,
	POLICY_ESP_ENC_3DES,
	POLICY_ESP_ENC_AES,
	POLICY_ESP_ENC_GCM,
	POLICY_ESP_ENC_NULL,
	POLICY_ESP_ENC_SEAL,		/* parsed; the module has no SEAL */
	POLICY_ESP_ENC_COUNT
};

enum policy_esp_auth {
	POLICY_ESP_AUTH_NONE,
	POLICY_ESP_AUTH_MD5,
	POLICY_ESP_AUTH_SHA1,
	POLICY_ESP_AUTH_SHA256,
	POLICY_ESP_AUTH_SHA384,
	POLICY_ESP_AUTH_SHA512,
	POLICY_ESP_AUTH_COUNT
};

/* "crypto ipsec transform-set NAME T..." */
struct policy_transform_set {
	char name[POLICY_NAME_MAX + 1];
	struct policy_loc loc;
	uint8_t enc;			/* enum policy_esp_enc */
	uint16_t enc_bits;		/* AES and GCM: 128, 192 or 256 */
	uint8_t auth;			/* enum policy_esp_auth */
	unsigned int enc_col, auth_col;	/* of the words on the line */
	struct policy_loc mode_loc;	/* "mode tunnel" (the only mode) */
};

/* IOS names: "esp-aes 256", "esp-sha-hmac". */
const char *policy_esp_enc_name(uint8_t enc);
const char *policy_esp_auth_name(uint8_t auth);

/* What the ikevti module does for a transform set (uapi/linux/ikevti.h). */
struct policy_esp_kernel {
	uint16_t enc;			/* enum ikevti_enc */
	uint16_t enc_key_len;		/* bytes, without a GCM salt */
	uint16_t salt_len;		/* GCM: 4 */
	uint16_t auth;			/* enum ikevti_auth */
	uint32_t flags;			/* IKEVTI_SA_F_LEGACY for DES */
};

/* false when the module cannot do it (esp-seal); k is then zeroed. */
bool policy_esp_kernel(const struct policy_transform_set *ts,
		       struct policy_esp_kernel *k);

enum policy_v1_sf {
	POLICY_V1_SF_TSET,
	POLICY_V1_SF_PFS,
	POLICY_V1_SF_SECONDS,
	POLICY_V1_SF_KB,
	POLICY_V1_SF_PROFILE,
	POLICY_V1_SF_PEER,		/* crypto map only */
	POLICY_V1_SF_ACL,		/* crypto map only */
	POLICY_V1_SF_COUNT
};

/* The "set ..." lines an IPsec profile and a crypto map entry share. */
struct policy_v1_sa {
	struct policy_loc loc[POLICY_V1_SF_COUNT];
	char tset_name[POLICY_V1_TSETS_MAX][POLICY_NAME_MAX + 1];
	const struct policy_transform_set *tset[POLICY_V1_TSETS_MAX];
	uint8_t n_tset;
	uint8_t pfs;			/* enum policy_v1_group + 1; 0: no PFS */
	uint32_t seconds;
	uint32_t kb;
	char profile_name[POLICY_NAME_MAX + 1];
	const struct policy_isakmp_profile *profile;
};

/* "crypto ipsec profile NAME" */
struct policy_ipsec_profile {
	char name[POLICY_NAME_MAX + 1];
	struct policy_loc loc;
	struct policy_v1_sa sa;
};

/* One line of a numbered access list. */
struct policy_acl_entry {
	bool permit;
	uint8_t proto;			/* 0: ip */
	struct policy_ts src, dst;	/* one address range and port each */
	struct policy_loc loc;
};

/* "access-list N ..." lines with the same N */
struct policy_acl {
	uint32_t number;		/* 1-199, 1300-2699 */
	bool extended;
	struct policy_loc loc;		/* the first line */
	struct policy_acl_entry *e;
	size_t n;
};

/* "crypto map NAME SEQ [ipsec-isakmp]" */
struct policy_crypto_map {
	char map[POLICY_NAME_MAX + 1];
	uint32_t seq;
	struct policy_loc loc;
	char ifname[POLICY_IFNAMSIZ];	/* the device: "NAME-SEQ" */
	struct policy_addr peer;	/* set peer */
	uint32_t acl_number;		/* match address */
	const struct policy_acl *acl;
	struct policy_v1_sa sa;
	const struct policy_ios_if *applied;	/* "crypto map NAME" there */
};

enum policy_iff {
	POLICY_IFF_ADDR,
	POLICY_IFF_SHUTDOWN,
	POLICY_IFF_CRYPTO_MAP,
	POLICY_IFF_SOURCE,
	POLICY_IFF_DEST,
	POLICY_IFF_MODE,
	POLICY_IFF_PROTECTION,
	POLICY_IFF_COUNT
};

/* "interface NAME" in an IOS file: an ikevti device or an underlay. */
struct policy_ios_if {
	char name[POLICY_IFNAMSIZ];
	struct policy_loc loc;
	struct policy_loc floc[POLICY_IFF_COUNT];
	bool tunnel;			/* has "tunnel" lines */
	struct policy_addr addr;	/* ip address A MASK */
	uint8_t plen;
	bool shutdown;
	char crypto_map[POLICY_NAME_MAX + 1];
	struct policy_v1_local source;	/* tunnel source IF|ADDR */
	struct policy_addr dest;	/* tunnel destination */
	char protection[POLICY_NAME_MAX + 1];
	const struct policy_ipsec_profile *profile;
};

/* "ip route PREFIX MASK NEXTHOP|IF" */
struct policy_route {
	struct policy_addr prefix;
	uint8_t plen;
	struct policy_addr via;		/* family 0: by interface */
	char ifname[POLICY_IFNAMSIZ];
	struct policy_loc loc;
	const struct policy_ios_if *tunnel;	/* when it leads into one */
};

enum policy_iosf {
	POLICY_IOSF_HOSTNAME,
	POLICY_IOSF_DOMAIN,
	POLICY_IOSF_IDENTITY,
	POLICY_IOSF_KEEPALIVE,
	POLICY_IOSF_NAT_KEEPALIVE,
	POLICY_IOSF_NAT_TRANSPARENCY,
	POLICY_IOSF_SA_SECONDS,
	POLICY_IOSF_SA_KB,
	POLICY_IOSF_COUNT
};

/* Everything an IOS file says (policy_config.ios). */
struct policy_ios {
	struct policy_loc floc[POLICY_IOSF_COUNT];
	char hostname[64];
	char domain[POLICY_FQDN_MAX + 1];
	uint8_t identity;		/* enum policy_v1_id_kind */
	struct policy_v1_dpd dpd;	/* crypto isakmp keepalive */
	uint32_t nat_keepalive;		/* parsed, cannot act: a notice */
	bool natt_off;			/* no crypto ipsec nat-transparency ... */
	uint32_t sa_seconds;		/* crypto ipsec security-association */
	uint32_t sa_kb;
	struct policy_isakmp_policy **policy;	/* by priority, once loaded */
	size_t n_policy;
	struct policy_keyring default_ring;
	struct policy_keyring **keyring;	/* in the order of the file */
	size_t n_keyring;
	struct policy_isakmp_profile **profile;
	size_t n_profile;
	struct policy_transform_set **tset;
	size_t n_tset;
	struct policy_ipsec_profile **ipsec_profile;
	size_t n_ipsec_profile;
	struct policy_crypto_map **map;	/* by name, then sequence */
	size_t n_map;
	struct policy_acl **acl;
	size_t n_acl;
	struct policy_ios_if **iface;	/* in the order of the file */
	size_t n_iface;
	struct policy_route *route;
	size_t n_route;
};

/* Find or create (NULL when out of memory); find returns NULL if absent. */
struct policy_ios *policy_ios_get(struct policy_config *cfg);
struct policy_isakmp_policy *policy_isakmp_policy_get(struct policy_ios *ios,
						      uint16_t prio,
						      const struct policy_loc *loc);
struct policy_keyring *policy_keyring_get(struct policy_ios *ios,
					  const char *name,
					  const struct policy_loc *loc);
const struct policy_keyring *policy_keyring_find(const struct policy_ios *ios,
						 const char *name);
/* Takes key (malloc'd) in all cases; -ENOMEM or 0. */
int policy_keyring_add(struct policy_keyring *r,
		       const struct policy_v1_psk *entry, uint8_t *key,
		       size_t key_len);
/* The entry for the same address/mask or host, or NULL. */
const struct policy_v1_psk *policy_keyring_same(const struct policy_keyring *r,
						const struct policy_v1_psk *e);
struct policy_isakmp_profile *policy_isakmp_profile_get(struct policy_ios *ios,
							const char *name,
							const struct policy_loc *loc);
const struct policy_isakmp_profile *
policy_isakmp_profile_find(const struct policy_ios *ios, const char *name);
struct policy_transform_set *policy_tset_get(struct policy_ios *ios,
					     const char *name,
					     const struct policy_loc *loc);
const struct policy_transform_set *policy_tset_find(const struct policy_ios *ios,
						    const char *name);
struct policy_ipsec_profile *policy_ipsec_profile_get(struct policy_ios *ios,
						      const char *name,
						      const struct policy_loc *loc);
const struct policy_ipsec_profile *
policy_ipsec_profile_find(const struct policy_ios *ios, const char *name);
struct policy_crypto_map *policy_crypto_map_get(struct policy_ios *ios,
						const char *map, uint32_t seq,
						const struct policy_loc *loc);
bool policy_crypto_map_exists(const struct policy_ios *ios, const char *map);
struct policy_acl *policy_acl_get(struct policy_ios *ios, uint32_t number,
				  const struct policy_loc *loc);
const struct policy_acl *policy_acl_find(const struct policy_ios *ios,
					 uint32_t number);
/* Adds a line; -ENOMEM or 0. */
int policy_acl_add(struct policy_acl *acl, const struct policy_acl_entry *e);
struct policy_ios_if *policy_ios_if_get(struct policy_ios *ios,
					const char *name,
					const struct policy_loc *loc);
const struct policy_ios_if *policy_ios_if_find(const struct policy_ios *ios,
					       const char *name);
int policy_route_add(struct policy_ios *ios, const struct policy_route *r);

/*
 * Once the whole file is read: sorts the ISAKMP policies and the crypto
 * maps, and turns names into pointers.  Calls report() for a name that
 * names nothing; returns the number of such errors.
 */
unsigned int policy_ios_resolve(struct policy_config *cfg,
				policy_report_fn *report, void *ctx);
/* The whole-file checks and notices of an IOS file (policy_ios_check.c). */
unsigned int policy_ios_check(const struct policy_config *cfg,
			      policy_report_fn *report, void *ctx);
void policy_ios_free(struct policy_ios *ios);

/* The device a crypto map entry becomes; false if it is too long. */
bool policy_crypto_map_ifname(const char *map, uint32_t seq, char *buf,
			      size_t len);

/* The IOS defaults of an ISAKMP policy with no lines. */
void policy_isakmp_policy_defaults(struct policy_isakmp_policy *p);

enum policy_v1_origin {
	POLICY_V1_FROM_DEFAULT,		/* IOS's built-in value */
	POLICY_V1_FROM_GLOBAL,		/* a global "crypto ..." line */
	POLICY_V1_FROM_ISAKMP_PROFILE,
	POLICY_V1_FROM_IPSEC_PROFILE,
	POLICY_V1_FROM_CRYPTO_MAP,
	POLICY_V1_FROM_TUNNEL,
};

enum policy_v1_kind {
	POLICY_V1_VTI,			/* interface with tunnel protection */
	POLICY_V1_CRYPTO_MAP,
};

enum policy_v1_ef {
	POLICY_V1_EF_PROFILE,
	POLICY_V1_EF_LOCAL_ID,
	POLICY_V1_EF_DPD,
	POLICY_V1_EF_MODE,
	POLICY_V1_EF_TSET,
	POLICY_V1_EF_PFS,
	POLICY_V1_EF_SECONDS,
	POLICY_V1_EF_KB,
	POLICY_V1_EF_COUNT
};

/* A pair of traffic selectors: one Quick Mode each (IDci, IDcr). */
struct policy_v1_ts_pair {
	struct policy_ts local, remote;
	struct policy_loc loc;		/* the access list line */
};

/* A route the daemon installs into the device. */
struct policy_v1_route {
	struct policy_addr prefix;
	uint8_t plen;
	struct policy_addr via;		/* family 0: on link */
	struct policy_loc loc;
};

/* One ikevti device of an IOS file, every setting resolved. */
struct policy_v1_effective {
	uint8_t kind;			/* enum policy_v1_kind */
	char ifname[POLICY_IFNAMSIZ];
	const struct policy_ios_if *iface;	/* VTI */
	const struct policy_crypto_map *map;	/* crypto map entry */
	bool create;			/* ikehelper creates the device */
	bool shutdown;
	bool can_come_up;		/* false: why_not says why */
	char why_not[160];
	struct policy_addr peer;
	struct policy_v1_local local;	/* not fixed: the route decides */
	char underlay[POLICY_IFNAMSIZ];	/* "": the route decides */
	uint8_t origin[POLICY_V1_EF_COUNT];	/* enum policy_v1_origin */
	struct policy_loc loc[POLICY_V1_EF_COUNT];
	const struct policy_isakmp_profile *profile;	/* NULL: none */
	bool profile_by_addr;		/* chosen by the peer address */
	/* Phase 1: every ISAKMP policy, in priority order (global in IOS). */
	const struct policy_isakmp_policy *const *policy;
	size_t n_policy;
	uint8_t local_id;		/* enum policy_v1_id_kind */
	struct policy_id local_fqdn;	/* HOSTNAME, USER_FQDN: the ID */
	struct policy_v1_dpd dpd;
	bool aggressive;
	uint32_t natt_keepalive;	/* parsed; not sent (a notice) */
	/* Phase 2 */
	const struct policy_transform_set *tset[POLICY_V1_TSETS_MAX];
	uint8_t n_tset;
	uint8_t pfs;			/* enum policy_v1_group + 1; 0: none */
	uint32_t seconds;
	uint32_t kb;
	struct policy_v1_ts_pair ts[POLICY_V1_ACL_MAX];
	uint8_t n_ts;			/* VTI: one pair, any to any */
	struct policy_v1_route routes[POLICY_V1_ACL_MAX];
	uint8_t n_routes;
};

/* The ikevti devices of an IOS file: VTIs in file order, then maps. */
size_t policy_v1_count(const struct policy_config *cfg);
void policy_v1_effective(const struct policy_config *cfg, size_t i,
			 struct policy_v1_effective *e);
/* The device named ifname, or false; e may be NULL (does it exist?). */
bool policy_v1_find(const struct policy_config *cfg, const char *ifname,
		    struct policy_v1_effective *e);

/*
 * Key selection (policy_v1_select.c).
 *
 * IKEv1 Main Mode with pre-shared keys needs the key at MM3 (SKEYID =
 * prf(key, Ni | Nr)), before the peer's ID arrives in MM5 (seed 002).
 * IOS then picks one key by the peer's address: the default keyring's
 * (the global "crypto isakmp key" lines) most specific match first, else
 * the most specific match of all other keyrings together, ties in file
 * order, skipping keyrings whose local-address is not where the packet
 * came in; only address keys count.  When that key's keyring is not the
 * keyring of the profile the ID then selects, IOS aborts.
 *
 * ikevti returns every key that fits, IOS's pick first: the exchange
 * tries each on MM5 until one decrypts it and its HASH_I verifies, then
 * asks policy_v1_profile_by_id() with the key that worked.
 */
/* A key as the log names it ("default 10.0.0.1/32 (line 7)"), never its secret. */
void policy_v1_psk_str(const struct policy_v1_psk *k, char *buf, size_t len);

struct policy_v1_keys {
	size_t n;
	const struct policy_v1_psk *psk[POLICY_V1_KEYS_MAX];	/* [0]: IOS's */
	char reason[POLICY_V1_REASON_MAX];	/* one log line */
};

/*
 * The keys for a peer address.  profile: the initiator's ISAKMP profile,
 * whose keyrings alone then count (NULL: the responder, or an initiator
 * without a profile).  Returns the number of keys.
 */
size_t policy_v1_keys_by_addr(const struct policy_config *cfg,
			      const struct policy_addr *peer,
			      const struct policy_v1_where *local,
			      const struct policy_isakmp_profile *profile,
			      struct policy_v1_keys *out);
/* Aggressive Mode: the peer's ID comes first; FQDN IDs use hostname keys. */
size_t policy_v1_keys_by_id(const struct policy_config *cfg,
			    const struct policy_id *peer_id,
			    const struct policy_addr *peer,
			    const struct policy_v1_where *local,
			    struct policy_v1_keys *out);

enum policy_v1_rules {
	POLICY_V1_RULES_IOS,		/* what IOS does, for comparison */
	POLICY_V1_RULES_IKEVTI,		/* what the engine does */
};

struct policy_v1_pick {
	bool ok;			/* false: abort the exchange */
	const struct policy_isakmp_profile *profile;	/* NULL: none matched */
	char reason[POLICY_V1_REASON_MAX];
};

/*
 * After key authenticated the peer whose ID is peer_id: its ISAKMP
 * profile.  IOS takes the most specific "match identity" and aborts when
 * the key's keyring is not one of that profile's (a profile without a
 * keyring uses the default keyring).  ikevti takes, from the most
 * specific down, the first matching profile whose keyrings hold the same
 * secret for this peer.  No matching profile at all is fine for both:
 * the global settings apply.
 */
bool policy_v1_profile_by_id(const struct policy_config *cfg,
			     const struct policy_id *peer_id,
			     const struct policy_addr *peer,
			     const struct policy_v1_where *local,
			     const struct policy_v1_psk *key,
			     enum policy_v1_rules rules,
			     struct policy_v1_pick *out);

/* The initiator without a configured profile: the most specific match of
 * the peer's address (seed 002), or NULL. */
const struct policy_isakmp_profile *
policy_v1_profile_by_addr(const struct policy_config *cfg,
			  const struct policy_addr *peer,
			  const struct policy_v1_where *local);

/* Dumps (policy_ios_dump.c); keys show as <hidden>. */
void policy_ios_dump(const struct policy_config *cfg, FILE *f);
void policy_v1_effective_dump(const struct policy_config *cfg,
			      const struct policy_v1_effective *e, FILE *f);

#endif /* IKEHELPER_POLICY_IOS_H */
