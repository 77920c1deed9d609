/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The configuration file parser: the NEC IX IKEv2 dialect (seed 003)
 * with Linux device names, into the policy model of policy.h.
 *
 * Every problem is reported as "FILE:LINE:COL: what is wrong; expected
 * what" (warnings as "FILE:LINE:COL: warning: ..."), and an unknown
 * command is always an error.  A setting that is read but cannot act yet
 * gets a notice, "FILE:LINE:COL: notice: ...", which says what cannot
 * work until which feature lands.  No message ever contains a key.
 *
 * The grammar is a table of commands per mode (cfg_ix.c, driven by
 * config.c); a mode's commands are looked up first, then the global
 * ones, which leave the mode, as IOS does.  A '!' line at column 1 also
 * leaves it.
 */
#ifndef IKEHELPER_CONFIG_H
#define IKEHELPER_CONFIG_H

#include <stddef.h>
#include <stdio.h>

#include "policy.h"

#define CFG_FILE_MAX	(4u << 20)	/* bytes we read of one file */
#define CFG_DIAGS_MAX	100		/* messages kept; then we stop */

struct cfg_diag {
	unsigned int line;		/* 0: about the whole file */
	unsigned int col;
	bool warning;
	bool notice;			/* a setting that cannot act yet */
	char *msg;			/* formatted, with file:line:col */
};

struct cfg_diags {
	unsigned int errors;
	unsigned int warnings;
	unsigned int notices;
	size_t n;
	struct cfg_diag *d;
};

/*
 * Parse and check a file.  Returns the configuration, or NULL when there
 * was an error; either way d lists the messages in line order (free them
 * with cfg_diags_free()).  The file's text is wiped once parsed.
 */
struct policy_config *cfg_load_file(const char *path, struct cfg_diags *d);
/* The same for text in memory; name stands for the file in messages. */
struct policy_config *cfg_load_text(const char *name, const char *text,
				    size_t len, struct cfg_diags *d);

void cfg_diags_print(const struct cfg_diags *d, FILE *f);
void cfg_diags_free(struct cfg_diags *d);

#endif /* IKEHELPER_CONFIG_H */
