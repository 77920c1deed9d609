/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The control socket that ikevtictl talks to: a unix stream socket
 * (default CONTROL_PATH, mode 0600), one request per connection.
 *
 * The client sends one line of at most CONTROL_LINE_MAX bytes:
 *
 *	show ike-sa|child-sa|stats [json]
 *	show crypto isakmp sa [detail] [json]
 *	show crypto ipsec sa [peer ADDR] [json]
 *	show crypto session [json]
 *	clear sa [PEER]
 *	clear crypto isakmp [CONN-ID]
 *	clear crypto sa [peer ADDR]
 *	initiate TUNNEL
 *
 * The daemon answers with a status line, "ok" or "error: MESSAGE", then
 * the output, and closes the connection.  "clear sa" answers only once
 * every DELETE it sent was answered or timed out.  Only root and the
 * daemon's own user may connect (SO_PEERCRED).  No key is ever written.
 */
#ifndef IKEHELPER_CONTROL_H
#define IKEHELPER_CONTROL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "ike.h"
#include "loop.h"

#define CONTROL_PATH		"/run/ikehelper.sock"
#define CONTROL_LINE_MAX	256
#define CONTROL_CLIENTS_MAX	16

struct control;

enum control_show {
	CONTROL_SHOW_IKE_SA,
	CONTROL_SHOW_CHILD_SA,
	CONTROL_SHOW_STATS,
};

/*
 * Bind path (replacing a stale socket, refusing one that a live daemon
 * answers on) and watch it in l.  NULL with a message in err.
 */
struct control *control_open(const char *path, struct loop *l,
			     struct ike_engine *e, char *err, size_t errlen);
/* Closes every client and removes the socket file. */
void control_close(struct control *c);

/*
 * The output of a show command, as text in the terms of NEC IX "show
 * ikev2 sa" / "show ikev2 child-sa", or as one JSON document.  0 or a
 * negative errno.
 */
int control_show(const struct ike_engine *e, enum control_show what,
		 bool json, FILE *out, uint64_t now_ms);

/* The Cisco IOS show commands (control_ios.c). */
enum control_ios {
	CONTROL_IOS_ISAKMP_SA,		/* show crypto isakmp sa [detail] */
	CONTROL_IOS_IPSEC_SA,		/* show crypto ipsec sa [peer ADDR] */
	CONTROL_IOS_SESSION,		/* show crypto session */
};

struct control_ios_req {
	enum control_ios what;
	bool detail;
	bool json;
	const char *peer;		/* NULL: every peer */
};

int control_show_ios(const struct ike_engine *e,
		     const struct control_ios_req *req, FILE *out,
		     uint64_t now_ms);

#endif /* IKEHELPER_CONTROL_H */
