/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How ikevtictl shows SAs, device counters and events, as text in the
 * terms of Cisco "show crypto ipsec sa" and NEC IX "show ikev2 child-sa",
 * or as JSON.  Keys are never shown: replies do not carry them, and
 * these functions never read the key fields of a struct kernel_sa.
 */
#ifndef TOOLS_SA_SHOW_H
#define TOOLS_SA_SHOW_H

#include <stdio.h>
#include <time.h>

#include "json.h"
#include "kernel.h"

/* "10.0.0.0/24 proto tcp port 80" */
void show_ts(char *buf, size_t len, const struct kernel_ts *ts);

/* One SA, indented under an "interface:" line; now is for "remaining". */
void show_sa_text(FILE *f, const struct kernel_sa *sa, time_t now);
/* One SA as a JSON object; ifname may be NULL. */
int show_sa_json(struct json *j, const struct kernel_sa *sa,
		 const char *ifname);

void show_dev_text(FILE *f, const struct kernel_dev_stats *d);
int show_dev_json(struct json *j, const struct kernel_dev_stats *d);

/* One line per event; ifname is the device's name, or NULL if gone. */
void show_event_text(FILE *f, const struct kernel_event *ev,
		     const char *ifname);
int show_event_json(struct json *j, const struct kernel_event *ev,
		    const char *ifname);

#endif /* TOOLS_SA_SHOW_H */
