/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ikevtictl's commands that ask the ikehelper daemon, over its control
 * socket (ikehelper/control.h has the protocol):
 *
 *	show ike-sa | child-sa | stats
 *	clear sa [PEER]
 *	initiate TUNNEL
 */
#ifndef TOOLS_IKE_CMDS_H
#define TOOLS_IKE_CMDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define IKE_CMD_SOCKET		"/run/ikehelper.sock"
#define IKE_CMD_LINE_MAX	256
#define IKE_CMD_TIMEOUT_MS	60000	/* clear sa waits for DELETEs */

/*
 * The request line (with its newline) for argv, whose argv[0] is
 * "show", "clear" or "initiate".  0, or -EINVAL with a message in err.
 */
int ike_cmd_request(int argc, char **argv, bool json, char *req,
		    size_t len, char *err, size_t errlen);

/*
 * Send req to the daemon at path and copy its output to out.  0 when
 * the daemon said "ok"; 1 when it refused (its message in err); a
 * negative errno when it could not be asked (message in err).
 */
int ike_cmd_run(const char *path, const char *req, FILE *out, char *err,
		size_t errlen);

#endif /* TOOLS_IKE_CMDS_H */
