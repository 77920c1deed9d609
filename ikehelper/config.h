/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The configuration file parser: the NEC IX IKEv2 dialect (seed 003) or
 * the Cisco IOS IKEv1 dialect (seeds 000, 001, 002, 004), with Linux
 * device names, into the policy model of policy.h and policy_ios.h.  A
 * file is in one dialect, the one of its first command that only one
 * dialect has (cfg_parse.h).
 *
 * Every problem is reported as "FILE:LINE:COL: what is wrong; expected
 * what" (warnings as "FILE:LINE:COL: warning: ..."), and an unknown
 * command is always an error.  A setting that is read but cannot act yet
 * gets a notice, "FILE:LINE:COL: notice: ...", which says what cannot
 * work until which feature lands.  No message ever contains a key.
 *
 * The grammar is a table of commands per mode and dialect (cfg_ix.c,
 * cfg_ios.c, cfg_ios_ipsec.c, driven by config.c); a mode's commands are
 * looked up first, then the global ones, which leave the mode, as IOS
 * does.  A line that is only '!' at column 1 also leaves it; a '!'
 * comment with text does not (seed 000 comments inside a block).
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
