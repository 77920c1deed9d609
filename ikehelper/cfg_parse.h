/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the configuration parser: what config.c (the dialect-neutral
 * driver: words, dispatch, files) shares with the files that hold one
 * dialect's commands (cfg_ix.c for NEC IX; cfg_ios.c and cfg_ios_ipsec.c
 * for Cisco IOS).
 *
 * Each mode has tables of commands, one per dialect; a command is a path
 * of keywords through nested tables down to a handler, which reads the
 * values that follow with the cfg_want*() helpers and reports with
 * cfg_err().
 *
 * The dialect of a file is the dialect of its first command that only
 * one dialect has (a table's, or an entry's, dialect): "ikev2 ..." makes
 * it NEC IX, "crypto ...", "access-list ..." or "hostname ..." Cisco IOS.
 * Commands of the other dialect are then refused, naming that first line;
 * "interface", "shutdown", "exit" and "tunnel mode" belong to both.
 */
#ifndef IKEHELPER_CFG_PARSE_H
#define IKEHELPER_CFG_PARSE_H

#include <stdbool.h>
#include <stdint.h>

#include "cfg_lex.h"
#include "config.h"
#include "policy.h"
#include "policy_ios.h"

#define CFG_N(a)	(sizeof(a) / sizeof((a)[0]))

enum cfg_dialect {
	CFG_ANY,
	CFG_IX,			/* NEC IX: IKEv2 */
	CFG_IOS,		/* Cisco IOS: IKEv1 */
};

enum cfg_mode {
	CFG_GLOBAL,
	CFG_DEFAULT_PROFILE,
	CFG_PROFILE,
	CFG_INTERFACE,
	CFG_SKIP,		/* after a bad mode line: skip its lines */
	CFG_IOS_ISAKMP_POLICY,	/* crypto isakmp policy N */
	CFG_IOS_KEYRING,	/* crypto keyring NAME */
	CFG_IOS_ISAKMP_PROFILE,	/* crypto isakmp profile NAME */
	CFG_IOS_TSET,		/* crypto ipsec transform-set NAME ... */
	CFG_IOS_IPSEC_PROFILE,	/* crypto ipsec profile NAME */
	CFG_IOS_MAP,		/* crypto map NAME SEQ ipsec-isakmp */
	CFG_IOS_LINE,		/* line con|aux|vty: skipped */
	CFG_IOS_BLOCK,		/* control-plane and the like: no lines */
	CFG_MODE_COUNT
};

struct cfg_parser;

struct cfg_cmd {
	const char *name;
	const struct cfg_cmd *sub;	/* the next keyword, or NULL: a leaf */
	void (*run)(struct cfg_parser *p, const struct cfg_cmd *c);
	unsigned int flags;
	int arg;
	uint8_t dialect;		/* enum cfg_dialect; CFG_ANY: the table's */
};

#define CFG_NO		0x1		/* "no COMMAND" is allowed */
#define CFG_HIDDEN	0x2		/* accepted, never suggested */

/* One dialect's commands of a mode. */
struct cfg_table {
	const struct cfg_cmd *cmds;
	uint8_t dialect;
};

/* The "interface NAME" being read: its object is made by its first
 * command of a dialect, or at the end of the file (cfg_iface_*()). */
struct cfg_iface {
	char name[POLICY_IFNAMSIZ];
	struct policy_loc loc;
	bool has_shutdown;		/* "[no] shutdown" before the dialect */
	bool shutdown;
	struct policy_loc shutdown_loc;
	bool made;
};

struct cfg_parser {
	const char *file;
	struct policy_config *cfg;
	struct cfg_diags *d;
	struct cfg_line *line;
	unsigned int pos;		/* the next word */
	unsigned int path_start;	/* the command's first word, after "no" */
	enum cfg_mode mode;
	struct policy_opts *opts;	/* the scope of profile commands */
	struct policy_tunnel *tunnel;	/* in interface mode */
	bool negate;
	unsigned int secret_col;	/* words from here on are never shown, */
	unsigned int secret_end;	/* up to here when set: "<key>" */
	bool stop;			/* too many messages */
	char said[256];
	enum cfg_dialect dialect;	/* of the file, once known */
	unsigned int dialect_line;	/* the command that made it so */
	char dialect_cmd[64];
	struct cfg_iface iface;		/* in interface mode */
	struct cfg_iface *deferred;	/* without a dialect at their end */
	size_t n_deferred;
	/* The objects of the IOS modes. */
	struct policy_ios *ios;
	struct policy_ios_if *ios_if;	/* in interface mode */
	struct policy_isakmp_policy *isakmp_policy;
	struct policy_keyring *keyring;
	struct policy_isakmp_profile *isakmp_profile;
	struct policy_transform_set *tset;
	struct policy_v1_sa *sa;	/* of an IPsec profile or a map entry */
	struct policy_crypto_map *map;
};

/* The tables of the NEC IX dialect (cfg_ix.c). */
extern const struct cfg_cmd cfg_ix_global[];
extern const struct cfg_cmd cfg_ix_profile[];
extern const struct cfg_cmd cfg_ix_interface[];
/* "tunnel mode ipsec-ikev2" and "[no] shutdown" of an IX interface. */
void cfg_ix_tunnel_mode(struct cfg_parser *p);
void cfg_ix_shutdown(struct cfg_parser *p);

/* The tables of the Cisco IOS dialect (cfg_ios.c, cfg_ios_ipsec.c). */
extern const struct cfg_cmd cfg_ios_global[];
extern const struct cfg_cmd cfg_ios_skipped[];
extern const struct cfg_cmd cfg_ios_interface[];
extern const struct cfg_cmd cfg_ios_isakmp_policy[];
extern const struct cfg_cmd cfg_ios_keyring[];
extern const struct cfg_cmd cfg_ios_isakmp_profile[];
extern const struct cfg_cmd cfg_ios_tset[];
extern const struct cfg_cmd cfg_ios_ipsec_profile[];
extern const struct cfg_cmd cfg_ios_map[];
extern const struct cfg_cmd cfg_ios_line[];
extern const struct cfg_cmd cfg_ios_block[];
extern const struct cfg_cmd cfg_ios_crypto_ipsec[];
extern const struct cfg_cmd cfg_ios_tunnel_protection[];
void cfg_ios_run_crypto_map(struct cfg_parser *p, const struct cfg_cmd *c);
void cfg_ios_run_acl(struct cfg_parser *p, const struct cfg_cmd *c);
void cfg_ios_run_route(struct cfg_parser *p, const struct cfg_cmd *c);
void cfg_ios_refuse_named_acl(struct cfg_parser *p, const struct cfg_cmd *c);
/* IOS interface commands reached through "tunnel" (shared with IX). */
void cfg_ios_run_tunnel_source(struct cfg_parser *p, const struct cfg_cmd *c);
void cfg_ios_run_tunnel_dest(struct cfg_parser *p, const struct cfg_cmd *c);
void cfg_ios_tunnel_mode(struct cfg_parser *p);
void cfg_ios_shutdown(struct cfg_parser *p);
/* Features of other issues: their lines are refused, naming them. */
enum cfg_ios_feature {
	CFG_F_CERT,
	CFG_F_XAUTH,
	CFG_F_MODECFG,
	CFG_F_DYNMAP,
	CFG_F_VRF,
	CFG_F_TYPE6,
	CFG_F_IKEV2,
	CFG_F_RSA_ENCR,
	CFG_F_IPV6,
	CFG_F_AH,
	CFG_F_IPCOMP,
	CFG_F_MANUAL,
	CFG_F_FAILOVER,
	CFG_F_DMVPN,
	CFG_F_NAMED_ACL,
	CFG_F_NATT,
	CFG_F_COUNT
};

extern const char *const cfg_ios_features[CFG_F_COUNT];
/* The IOS part of the model, made on first use; NULL when out of memory. */
struct policy_ios *cfg_ios_model(struct cfg_parser *p);
/* "crypto ..." (cfg_ios.c), for the global table (cfg_ios_router.c). */
extern const struct cfg_cmd cfg_ios_crypto[];
/* An access list number: 1-199 or 1300-2699 (cfg_ios_if.c). */
#define CFG_ACL_RULE "an access list number: 1-199 or 1300-2699"
bool cfg_ios_acl_number(const char *s, uint32_t *n);
/* Take one more word for a message, unless it is a number. */
void cfg_ios_one_more(struct cfg_parser *p);
/* A line on the skip list (cfg_ios.c): read and dropped. */
void cfg_ios_skip(struct cfg_parser *p, const struct cfg_cmd *c);
/* "'WORDS' is not supported yet (FEATURE)"; a block it opens is skipped. */
void cfg_ios_refuse(struct cfg_parser *p, const struct cfg_cmd *c);
/*
 * "A [MASK]": an IPv4 address and an optional netmask (default /32);
 * with zero_is_any, "0.0.0.0" alone is every address (seed 002).
 */
bool cfg_ios_prefix(struct cfg_parser *p, const char *what,
		    struct policy_addr *a, uint8_t *plen, bool zero_is_any);
/* "key ..." and the like: a secret word into a malloc'd buffer. */
bool cfg_ios_key(struct cfg_parser *p, struct cfg_tok *k, uint8_t **key,
		 size_t *len);

/*
 * The file is of dialect d from now on; false, with an error naming the
 * line that made it the other one, when it is not.
 */
bool cfg_dialect(struct cfg_parser *p, enum cfg_dialect d);
/* The object of the interface being read; false when out of memory. */
bool cfg_iface_ix(struct cfg_parser *p);
bool cfg_iface_ios(struct cfg_parser *p);

/* Messages: "FILE:LINE:COL: msg" about the current line. */
__attribute__((format(printf, 3, 4)))
void cfg_err(struct cfg_parser *p, unsigned int col, const char *fmt, ...);

/* Words */
struct cfg_tok *cfg_peek(struct cfg_parser *p);
struct cfg_tok *cfg_next(struct cfg_parser *p);
/* The words of the command read so far, for messages; never a key. */
const char *cfg_said(struct cfg_parser *p);
/* The next word; when there is none, says which was expected. */
struct cfg_tok *cfg_want(struct cfg_parser *p, const char *what,
			 const char *expected);
/* The next word must be the keyword kw. */
bool cfg_want_kw(struct cfg_parser *p, const char *kw, const char *expected);
/* No word is left; else an error. */
bool cfg_end(struct cfg_parser *p);
/* A field may be set once per scope: false (and an error) if loc is set. */
bool cfg_once(struct cfg_parser *p, const struct policy_loc *loc);
/* Where the current line starts. */
void cfg_mark(struct cfg_parser *p, struct policy_loc *loc);
/* A decimal number in [min, max]. */
bool cfg_number(struct cfg_parser *p, const char *unit, uint32_t min,
		uint32_t max, uint32_t *out);
/* An address, or an error that names what. */
bool cfg_want_addr(struct cfg_parser *p, const char *what,
		   struct policy_addr *a);

#define CFG_NAME_RULE "a name of letters, digits, '.', '_' and '-', at most 63"
struct cfg_tok *cfg_want_name(struct cfg_parser *p, const char *what);

#define CFG_IFNAME_RULE \
	"a Linux interface name: 1 to 15 bytes, no '/', ':' or blank"
struct cfg_tok *cfg_want_ifname(struct cfg_parser *p);

/* "exit": back to global mode. */
void cfg_run_exit(struct cfg_parser *p, const struct cfg_cmd *c);

#endif /* IKEHELPER_CFG_PARSE_H */
