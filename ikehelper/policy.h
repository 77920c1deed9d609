/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The IKE policy model: what the configuration says, before any
 * negotiation.  config.c fills it from a file; the IKE code reads it
 * through policy_effective(), which resolves one tunnel's settings.
 *
 * Settings live in scopes, in the order NEC IX looks them up (seed 003,
 * 2.25.6.3):
 *
 *	interface ikevti0		"ikev2 sa-proposal ..." lines: the tunnel
 *	ikev2 profile NAME		bound with "ikev2 binding NAME"
 *	ikev2 default-profile		applies to every tunnel
 *	built-in defaults		policy_builtin()
 *
 * Each scope is a struct policy_opts; a field is set in a scope when its
 * loc[] entry has a line number.  A scope replaces a field as a whole
 * (a tunnel's sa-proposal enc list replaces the profile's list, it does
 * not add to it).
 *
 * Pre-shared keys are held in buffers of their own, wiped with
 * OPENSSL_cleanse() when the configuration is freed, and never printed:
 * the dump functions show "key <hidden>".
 */
#ifndef IKEHELPER_POLICY_H
#define IKEHELPER_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/ikevti.h>

/* Built-in defaults: the table in seed 003, 2.25.2.1. */
#define POLICY_IKE_LIFETIME		86400	/* IKE SA, seconds (1 day) */
#define POLICY_CHILD_LIFETIME		28800	/* Child SA, seconds (8 h) */
#define POLICY_IKE_REKEY_MARGIN		30	/* rekey this long before expiry */
#define POLICY_CHILD_REKEY_MARGIN	60
#define POLICY_RETRANSMITS		3	/* at 2, 4 and 8 s ... */
#define POLICY_RETRANSMIT_TIMEOUT	16	/* ... then give up 16 s later */
#define POLICY_AUTO_CHECK_INTERVAL	10	/* connect-type auto: every 10 s */

/* Accepted ranges. */
#define POLICY_LIFETIME_MIN		120
#define POLICY_LIFETIME_MAX		604800	/* a week */
#define POLICY_DPD_MIN			10	/* as Cisco's keepalive (seed 000) */
#define POLICY_DPD_MAX			3600
#define POLICY_NATT_KEEPALIVE_MIN	1
#define POLICY_NATT_KEEPALIVE_MAX	3600
#define POLICY_PSK_MAX			256	/* bytes of one pre-shared key */

#define POLICY_IFNAMSIZ		16	/* IFNAMSIZ, with the NUL */
#define POLICY_NAME_MAX		63	/* profile and certificate names */
#define POLICY_FQDN_MAX		253
#define POLICY_ID_MAX		255	/* bytes of ID payload data */
#define POLICY_ALGS_MAX		16
#define POLICY_TS_MAX		IKEVTI_TS_MAX

/*
 * The algorithms, one list per kind, each in the order of preference:
 * most secure first, as the defaults propose them and as a responder
 * chooses.  The columns are: enum suffix, configuration name, name in
 * "show" output, IKEv2 transform ID (RFC 7296 / IANA), key bits, flags.
 */
#define POLICY_ALG_AEAD		0x1	/* encryption with its own ICV */
#define POLICY_ALG_EXPLICIT	0x2	/* not proposed unless configured */
#define POLICY_ALG_PFS_ONLY	0x4	/* only in child-pfs ("none") */

#define POLICY_ENC_ALGS(X) \
	X(AES_GCM_256, "aes-gcm-256", "AES-GCM-256", 20, 256, POLICY_ALG_AEAD) \
	X(CHACHA20_POLY1305, "chacha20-poly1305", "CHACHA20-POLY1305", 28, \
	  256, POLICY_ALG_AEAD) \
	X(AES_GCM_128, "aes-gcm-128", "AES-GCM-128", 20, 128, POLICY_ALG_AEAD) \
	X(AES_CBC_256, "aes-cbc-256", "AES-CBC-256", 12, 256, 0) \
	X(AES_CBC_192, "aes-cbc-192", "AES-CBC-192", 12, 192, 0) \
	X(AES_CBC_128, "aes-cbc-128", "AES-CBC-128", 12, 128, 0) \
	X(3DES, "3des", "3DES", 3, 192, 0)

#define POLICY_INTEG_ALGS(X) \
	X(SHA2_512, "sha2-512", "HMAC-SHA2-512-256", 14, 512, 0) \
	X(SHA2_384, "sha2-384", "HMAC-SHA2-384-192", 13, 384, 0) \
	X(SHA2_256, "sha2-256", "HMAC-SHA2-256-128", 12, 256, 0) \
	X(SHA1, "sha1", "HMAC-SHA1-96", 2, 160, 0)

#define POLICY_PRF_ALGS(X) \
	X(SHA2_512, "sha2-512", "HMAC-SHA2-512", 7, 512, 0) \
	X(SHA2_384, "sha2-384", "HMAC-SHA2-384", 6, 384, 0) \
	X(SHA2_256, "sha2-256", "HMAC-SHA2-256", 5, 256, 0) \
	X(SHA1, "sha1", "HMAC-SHA1", 2, 160, 0)

/*
 * Ordered by estimated strength, ties by speed.  MODP-768 (group 1) is
 * accepted when configured but never proposed by default: it is broken.
 */
#define POLICY_DH_GROUPS(X) \
	X(ECP384, "ecp384", "ECP-384", 20, 384, 0) \
	X(MODP4096, "4096-bit", "MODP-4096", 16, 4096, 0) \
	X(CURVE25519, "curve25519", "Curve25519", 31, 256, 0) \
	X(ECP256, "ecp256", "ECP-256", 19, 256, 0) \
	X(MODP3072, "3072-bit", "MODP-3072", 15, 3072, 0) \
	X(MODP2048, "2048-bit", "MODP-2048", 14, 2048, 0) \
	X(MODP1536, "1536-bit", "MODP-1536", 5, 1536, 0) \
	X(MODP1024, "1024-bit", "MODP-1024", 2, 1024, 0) \
	X(MODP768, "768-bit", "MODP-768", 1, 768, POLICY_ALG_EXPLICIT) \
	X(NONE, "none", "none", 0, 0, POLICY_ALG_PFS_ONLY)

#define POLICY_X_ENC(n, ...)	POLICY_ENC_##n,
#define POLICY_X_INTEG(n, ...)	POLICY_INTEG_##n,
#define POLICY_X_PRF(n, ...)	POLICY_PRF_##n,
#define POLICY_X_DH(n, ...)	POLICY_DH_##n,

enum policy_enc { POLICY_ENC_ALGS(POLICY_X_ENC) POLICY_ENC_COUNT };
enum policy_integ { POLICY_INTEG_ALGS(POLICY_X_INTEG) POLICY_INTEG_COUNT };
enum policy_prf { POLICY_PRF_ALGS(POLICY_X_PRF) POLICY_PRF_COUNT };
enum policy_dh { POLICY_DH_GROUPS(POLICY_X_DH) POLICY_DH_COUNT };

enum policy_alg_kind {
	POLICY_KIND_ENC,
	POLICY_KIND_INTEG,
	POLICY_KIND_PRF,
	POLICY_KIND_DH,
	POLICY_KIND_COUNT
};

struct policy_alg {
	const char *name;		/* as configured */
	const char *display;		/* as shown */
	uint16_t ikev2_id;		/* transform ID */
	uint16_t bits;			/* key length, or group size */
	unsigned int flags;		/* POLICY_ALG_* */
};

/* The table of one kind; *n gets its length.  Indexes are the enums. */
const struct policy_alg *policy_algs(enum policy_alg_kind kind, size_t *n);
/* An index by name or alias ("sha256" for "sha2-256"), or -1. */
int policy_alg_lookup(enum policy_alg_kind kind, const char *name);
const char *policy_kind_name(enum policy_alg_kind kind);

/* Algorithms in order of preference: indexes into the kind's table. */
struct policy_alg_list {
	uint8_t n;
	uint8_t idx[POLICY_ALGS_MAX];
};

/* IKEv2 ID types (RFC 7296, 3.5); the values are the wire values. */
enum policy_id_type {
	POLICY_ID_NONE = 0,
	POLICY_ID_IPV4 = 1,
	POLICY_ID_FQDN = 2,
	POLICY_ID_EMAIL = 3,		/* ID_RFC822_ADDR */
	POLICY_ID_IPV6 = 5,
	POLICY_ID_KEYID = 11,
};

/* An ID as the ID payload carries it: 4 or 16 address bytes, or text. */
struct policy_id {
	uint8_t type;			/* enum policy_id_type */
	uint8_t len;
	uint8_t data[POLICY_ID_MAX];
};

const char *policy_id_type_name(uint8_t type);	/* "keyid", ... */
bool policy_id_equal(const struct policy_id *a, const struct policy_id *b);
/* "keyid site1", "ipv4 192.0.2.1": type and value, quoted when needed. */
void policy_id_format(const struct policy_id *id, char *buf, size_t len);

struct policy_addr {
	uint8_t family;			/* AF_INET, AF_INET6, 0: not set */
	uint8_t a[16];			/* network byte order */
};

bool policy_addr_equal(const struct policy_addr *a,
		       const struct policy_addr *b);

/* One traffic selector: an address range, a protocol, a port range. */
struct policy_ts {
	uint8_t family;
	uint8_t proto;			/* 0: any */
	uint16_t port_start;		/* host byte order */
	uint16_t port_end;
	uint8_t start[16];
	uint8_t end[16];
};

struct policy_ts_list {
	uint8_t n;			/* 0: any IPv4 and any IPv6 */
	struct policy_ts ts[POLICY_TS_MAX];
};

enum policy_auth {
	POLICY_AUTH_NONE,
	POLICY_AUTH_PSK,
};

/* Where a setting was made; line 0: nowhere (a built-in default). */
struct policy_loc {
	uint32_t line;
	uint32_t col;
};

/* The settings a profile and a tunnel share, one loc[] entry each. */
enum policy_field {
	POLICY_F_SA_ENC,
	POLICY_F_SA_INTEG,
	POLICY_F_SA_PRF,
	POLICY_F_SA_DH,
	POLICY_F_CHILD_ENC,
	POLICY_F_CHILD_INTEG,
	POLICY_F_CHILD_PFS,
	POLICY_F_SA_LIFETIME,
	POLICY_F_CHILD_LIFETIME,
	POLICY_F_DPD,
	POLICY_F_LOCAL_AUTH,
	POLICY_F_ANTI_REPLAY,
	POLICY_F_OUTGOING,
	POLICY_F_SOURCE,
	POLICY_F_LOCAL_TS,
	POLICY_F_REMOTE_TS,
	POLICY_F_NATT,
	POLICY_F_SUPPRESS_DELETE,
	POLICY_F_SUPPRESS_REKEY,
	POLICY_F_COUNT
};

/* The command that sets a field, as a profile spells it. */
const char *policy_field_name(enum policy_field f);

struct policy_opts {
	struct policy_loc loc[POLICY_F_COUNT];
	struct policy_alg_list sa_enc, sa_integ, sa_prf, sa_dh;
	struct policy_alg_list child_enc, child_integ, child_pfs;
	uint32_t sa_lifetime;		/* seconds */
	uint32_t child_lifetime;
	uint32_t dpd_interval;		/* seconds, 0: off */
	uint8_t local_auth;		/* enum policy_auth */
	struct policy_id local_id;
	bool anti_replay;
	struct {
		char ifname[POLICY_IFNAMSIZ];	/* "": not fixed */
		bool nexthop_auto;		/* else nexthop */
		struct policy_addr nexthop;
	} outgoing;
	struct policy_addr source;	/* family 0: not fixed */
	struct policy_ts_list local_ts, remote_ts;
	bool suppress_delete;
	bool suppress_rekey;
};

/* One entry of the "ikev2 authentication psk" database. */
struct policy_psk {
	struct policy_id id;
	uint8_t *key;			/* secret: wiped on free */
	size_t key_len;
	bool hex;			/* configured as "key hex" */
	struct policy_loc loc;
};

struct policy_profile {
	char name[POLICY_NAME_MAX + 1];
	struct policy_loc loc;		/* first "ikev2 profile" line */
	struct policy_opts opts;
};

enum policy_peer_kind {
	POLICY_PEER_NONE,
	POLICY_PEER_ADDR,
	POLICY_PEER_FQDN,
	POLICY_PEER_ANY,		/* dynamic address: matched by ID */
};

struct policy_peer {
	uint8_t kind;			/* enum policy_peer_kind */
	struct policy_addr addr;
	char fqdn[POLICY_FQDN_MAX + 1];
	uint8_t auth;			/* enum policy_auth */
	struct policy_id id;		/* type 0: the address or FQDN */
};

/* The settings only an interface has. */
enum policy_tfield {
	POLICY_T_MODE,
	POLICY_T_SHUTDOWN,
	POLICY_T_BINDING,
	POLICY_T_PEER,
	POLICY_T_CONNECT,
	POLICY_T_MTU_IGNORE,
	POLICY_T_PRE_FRAGMENT,
	POLICY_T_COUNT
};

struct policy_tunnel {
	char ifname[POLICY_IFNAMSIZ];
	struct policy_loc loc;		/* first "interface" line */
	struct policy_loc tloc[POLICY_T_COUNT];
	bool shutdown;
	char binding[POLICY_NAME_MAX + 1];
	struct policy_peer peer;
	bool connect_auto;		/* else trigger: ACQUIRE starts it */
	struct policy_opts opts;
};

struct policy_ios;

/*
 * "crypto call admission limit ike sa N | in-negotiation-sa N" (seed
 * 000): new IKE SAs, and rekeys, are refused at the limit.  For IKEv1
 * and IKEv2 alike; a limit is set when its loc has a line.
 */
struct policy_cac {
	struct policy_loc sa_loc, neg_loc;
	uint32_t sa_max;		/* active plus negotiating */
	uint32_t neg_max;		/* negotiating */
};

struct policy_config {
	char *file;			/* as given, for messages */
	struct policy_psk *psk;
	size_t n_psk;
	bool has_default_profile;
	struct policy_profile default_profile;
	struct policy_profile **profile;
	size_t n_profile;
	struct policy_tunnel **tunnel;	/* in the order of the file */
	size_t n_tunnel;
	struct policy_ios *ios;		/* a Cisco IOS file (policy_ios.h) */
	struct policy_cac cac;
};

struct policy_config *policy_config_new(const char *file);
/* Frees everything and wipes the keys; NULL is fine. */
void policy_config_free(struct policy_config *cfg);

/* Does the file hold a pre-shared key (of either dialect)? */
bool policy_has_keys(const struct policy_config *cfg);

/* Takes the key buffer (malloc'd) in all cases; -ENOMEM or 0. */
int policy_psk_add(struct policy_config *cfg, const struct policy_id *id,
		   uint8_t *key, size_t key_len, bool hex,
		   const struct policy_loc *loc);
const struct policy_psk *policy_psk_find(const struct policy_config *cfg,
					 const struct policy_id *id);
struct policy_profile *policy_profile_find(const struct policy_config *cfg,
					   const char *name);
struct policy_tunnel *policy_tunnel_find(const struct policy_config *cfg,
					 const char *ifname);
/* Find or create; NULL when out of memory. */
struct policy_profile *policy_profile_get(struct policy_config *cfg,
					  const char *name,
					  const struct policy_loc *loc);
struct policy_tunnel *policy_tunnel_get(struct policy_config *cfg,
					const char *ifname,
					const struct policy_loc *loc);

/* The built-in defaults, every loc[] line 0. */
void policy_builtin(struct policy_opts *o);

enum policy_origin {
	POLICY_FROM_BUILTIN,
	POLICY_FROM_DEFAULT_PROFILE,
	POLICY_FROM_PROFILE,
	POLICY_FROM_TUNNEL,
};

/* One tunnel's policy with every scope applied. */
struct policy_effective {
	const struct policy_tunnel *tunnel;
	const struct policy_profile *profile;	/* bound, or NULL */
	struct policy_opts v;		/* v.loc[f]: where field f was set */
	uint8_t origin[POLICY_F_COUNT];	/* enum policy_origin */
	struct policy_id peer_id;	/* configured, or from the address */
	const struct policy_psk *local_psk;	/* NULL unless found */
	const struct policy_psk *peer_psk;
	bool initiate_rekey;		/* not for "peer any" (seed 003) */
	bool initial_contact;		/* always */
	uint32_t ike_rekey_margin;
	uint32_t child_rekey_margin;
	uint32_t retransmit[POLICY_RETRANSMITS];
	uint32_t retransmit_timeout;
	uint32_t auto_check_interval;
};

void policy_effective(const struct policy_config *cfg,
		      const struct policy_tunnel *t,
		      struct policy_effective *e);

/*
 * Cross-checks that need the whole file: bindings, keys for every ID
 * used, peers, address families, tunnels that cannot be told apart.
 * Calls report() once per problem, in file order; returns the number of
 * errors.
 */
enum policy_severity {
	POLICY_ERROR,
	POLICY_WARNING,
	POLICY_NOTICE,			/* a setting that cannot act yet */
};

typedef void policy_report_fn(void *ctx, const struct policy_loc *loc,
			      enum policy_severity sev, const char *msg);
unsigned int policy_check(const struct policy_config *cfg,
			  policy_report_fn *report, void *ctx);

/*
 * May one more IKE SA start, with ike_sas of them up or negotiating, and
 * negotiating of those still negotiating?  false with the reason (one
 * log line) when a "crypto call admission limit" says no.
 */
bool policy_cac_admit(const struct policy_config *cfg, unsigned int ike_sas,
		      unsigned int negotiating, char *reason, size_t len);

/* The configuration in canonical form, keys shown as "<hidden>". */
void policy_dump(const struct policy_config *cfg, FILE *f);
/* One tunnel's effective policy, each line with where it came from. */
void policy_effective_dump(const struct policy_effective *e, FILE *f);

#endif /* IKEHELPER_POLICY_H */
