/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The daemon: binds the IKE sockets, opens the kernel backend and the
 * control socket, drops privileges, then runs the engine in the event
 * loop until SIGTERM or SIGINT.  SIGHUP re-reads the configuration.
 */
#ifndef IKEHELPER_DAEMON_H
#define IKEHELPER_DAEMON_H

#include <stdbool.h>

#include "net.h"

#define DAEMON_STOP_WAIT_MS	3000	/* for the peers' DELETE answers */

struct daemon_opts {
	const char *config;		/* -f */
	const char *backend;		/* "ikevti" or "record:FILE" */
	const char *control;		/* the control socket's path */
	const char *user;		/* NULL: stay root (privdrop.h) */
	struct net_opts net;
	bool syslog;
	bool debug;
};

/* Runs until told to stop; the exit status of the process. */
int daemon_run(const struct daemon_opts *o);

#endif /* IKEHELPER_DAEMON_H */
