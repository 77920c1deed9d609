/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the configuration parser: what config.c (the dialect-neutral
 * driver: words, dispatch, files) shares with the files that hold one
 * dialect's commands (cfg_ix.c for NEC IX).
 *
 * Each mode has a table of commands; a command is a path of keywords
 * through nested tables down to a handler, which reads the values that
 * follow with the cfg_want*() helpers and reports with cfg_err().
 */
#ifndef IKEHELPER_CFG_PARSE_H
#define IKEHELPER_CFG_PARSE_H

#include <stdbool.h>
#include <stdint.h>

#include "cfg_lex.h"
#include "config.h"
#include "policy.h"

#define CFG_N(a)	(sizeof(a) / sizeof((a)[0]))

enum cfg_mode {
	CFG_GLOBAL,
	CFG_DEFAULT_PROFILE,
	CFG_PROFILE,
	CFG_INTERFACE,
	CFG_SKIP,		/* after a bad mode line: skip its lines */
	CFG_MODE_COUNT
};

struct cfg_parser;

struct cfg_cmd {
	const char *name;
	const struct cfg_cmd *sub;	/* the next keyword, or NULL: a leaf */
	void (*run)(struct cfg_parser *p, const struct cfg_cmd *c);
	unsigned int flags;
	int arg;
};

#define CFG_NO	0x1			/* "no COMMAND" is allowed */

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
	unsigned int secret_col;	/* words from here on are never shown */
	bool stop;			/* too many messages */
	char said[256];
};

/* The tables of the NEC IX dialect (cfg_ix.c). */
extern const struct cfg_cmd cfg_ix_global[];
extern const struct cfg_cmd cfg_ix_profile[];
extern const struct cfg_cmd cfg_ix_interface[];

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
