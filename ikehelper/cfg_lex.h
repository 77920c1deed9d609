/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The text layer of the configuration: reading a file, the words of a
 * line, and what a word may be.
 *
 * The words of one configuration line, IOS style:
 *
 *	- words are separated by blanks (spaces, tabs); leading blanks are
 *	  only for the eye and do not change meaning;
 *	- a word that starts with '!' starts a comment that runs to the end
 *	  of the line (a line that starts with '!' is all comment);
 *	- "a quoted word" may hold blanks and '!'; inside it, \" and \\
 *	  stand for " and \, any other backslash for itself;
 *	- control characters other than tab are refused.
 *
 * Columns count bytes from 1.
 */
#ifndef IKEHELPER_CFG_LEX_H
#define IKEHELPER_CFG_LEX_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "policy.h"

#define CFG_TOKENS_MAX	64	/* words on one line */
#define CFG_LINE_MAX	4096	/* bytes on one line */

struct cfg_tok {
	char *s;			/* NUL-terminated, inside the line */
	unsigned int col;
	unsigned int len;
	bool quoted;
};

struct cfg_line {
	unsigned int no;
	unsigned int ntok;
	unsigned int indent;		/* leading blanks */
	unsigned int end_col;		/* just past the last word */
	bool bang;			/* the line starts with '!' */
	bool bang_text;			/* ... and has more than the '!' */
	struct cfg_tok tok[CFG_TOKENS_MAX];
};

struct cfg_lex_err {
	unsigned int col;
	char msg[160];
};

/*
 * Split the NUL-terminated text s, which it modifies in place, into
 * words.  Returns 0, or -1 with err filled.
 */
int cfg_lex_line(char *s, unsigned int no, struct cfg_line *line,
		 struct cfg_lex_err *err);

/*
 * Read all of path into *buf (NUL-terminated, *len bytes of text in *cap
 * bytes), with read(2) rather than stdio so that we wipe every copy of
 * the keys: the caller wipes all *cap bytes and frees them.  A file larger
 * than max fails.  Returns 0, or -1 with a message in err.
 */
int cfg_read_file(const char *path, size_t max, char **buf, size_t *len,
		  size_t *cap, struct stat *st, char *err, size_t errlen);

/* What a word may be. */
bool cfg_is_digits(const char *s);
/* Profile and certificate names: [A-Za-z0-9._-], 1 to 63 bytes. */
bool cfg_is_name(const char *s);
/* As the kernel's dev_valid_name(), and printable ASCII. */
bool cfg_is_ifname(const char *s);
/* Labels of [A-Za-z0-9_-], 1 to 63 bytes, dot-separated, at most 253. */
bool cfg_is_fqdn(const char *s);
bool cfg_is_email(const char *s);
/* An IPv4 or IPv6 address into a; false when it is neither. */
bool cfg_is_addr(const char *s, struct policy_addr *a);

struct cfg_diags;

/*
 * Add "FILE:LINE:COL: [warning: ]msg" (line 0: "FILE: msg") unless the
 * same message is already there for that place.  Past CFG_DIAGS_MAX
 * messages it adds "too many errors" instead; returns false from then on,
 * and when out of memory.
 */
bool cfg_diag_add(struct cfg_diags *d, const char *file, unsigned int line,
		  unsigned int col, bool warning, const char *msg);
/* The same with any severity: a notice reads "FILE:LINE:COL: notice: msg". */
bool cfg_diag_add_sev(struct cfg_diags *d, const char *file,
		      unsigned int line, unsigned int col,
		      enum policy_severity sev, const char *msg);
/* Sort the messages from index first on by place, stably. */
void cfg_diags_sort(struct cfg_diags *d, size_t first);

#endif /* IKEHELPER_CFG_LEX_H */
