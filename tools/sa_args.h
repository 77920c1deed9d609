/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The arguments of "ikevtictl sa ...": a table of keywords, each with its
 * parser, filling a struct kernel_sa.  It needs no kernel, so the unit
 * tests drive it directly.  The names of algorithms, directions, origins
 * and protocols live here too, once, for parsing and printing alike.
 */
#ifndef TOOLS_SA_ARGS_H
#define TOOLS_SA_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "kernel.h"

enum sa_op {
	SA_OP_ADD,
	SA_OP_SET,
	SA_OP_DEL,
	SA_OP_SHOW,
	SA_OP_FLUSH,
};

struct sa_args {
	char ifname[KERNEL_IFNAMSIZ];	/* "": every device (sa show) */
	uint32_t ifindex;
	bool has_id;			/* dir and spi given */
	uint8_t flush_origin;		/* sa flush: 0 for every SA */
	struct kernel_sa sa;		/* holds the keys: sa_args_wipe() */
};

/*
 * Parse argv (argv[0] is DEV, the word after "sa add" and so on) into a,
 * which is zeroed first.  Returns 0; -EINVAL for a usage error; another
 * negative errno for a failure of the system (a device that does not
 * exist, a key file that cannot be read).  err gets the message, which
 * names the bad word but never shows a key.
 */
int sa_args_parse(enum sa_op op, int argc, char **argv, struct sa_args *a,
		  char *err, size_t errlen);
void sa_args_wipe(struct sa_args *a);

/* Print the syntax of the sa commands. */
void sa_args_usage(FILE *f);

struct sa_alg {
	uint16_t id;			/* enum ikevti_enc / ikevti_auth */
	const char *name;		/* command line and JSON */
	const char *transform;		/* Cisco-style transform name */
	bool aead;
	uint8_t keylen[3];		/* allowed key lengths, 0 ends */
	bool salt;			/* keylen includes a 4-byte salt */
};

/* NULL for an id this ikevtictl does not know. */
const struct sa_alg *sa_enc_by_id(uint16_t id);
const struct sa_alg *sa_auth_by_id(uint16_t id);
const char *sa_dir_name(uint8_t dir);		/* "in", "out" or NULL */
const char *sa_origin_name(uint8_t origin);	/* "manual", ... or NULL */
const char *sa_proto_name(uint8_t proto);	/* "tcp", ... or NULL */

#endif /* TOOLS_SA_ARGS_H */
