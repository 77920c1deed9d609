/* SPDX-License-Identifier: GPL-2.0 */
/* The engine's tables, copied for one show command (control_snap.c). */
#ifndef IKEHELPER_CONTROL_SNAP_H
#define IKEHELPER_CONTROL_SNAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ike.h"

/* A copy of the engine's tables, taken before anything is printed. */
struct snap {
	struct ike_sa_info *ike;
	size_t n_ike, cap_ike;
	struct ike_child_info *child;
	size_t n_child, cap_child;
	struct ike_event_info *ev;
	size_t n_ev, cap_ev;
};

/* The IKE SAs and Child SAs, into s (zeroed by the caller). */
int snap_take(const struct ike_engine *e, struct snap *s, uint64_t now_ms);
/* ike_engine_foreach_*() callbacks that append to the snap in arg. */
int snap_ike(const struct ike_sa_info *i, void *arg);
int snap_child(const struct ike_child_info *c, void *arg);
int snap_event(const struct ike_event_info *ev, void *arg);
void snap_free(struct snap *s);

/* The address without its port, or "-". */
const char *snap_addr(const struct sockaddr_storage *ss, char *buf,
		      size_t len);
/* What is left of a lifetime after age, 0 when past. */
uint64_t snap_remain(uint64_t lifetime, uint64_t age);
/* c belongs to the IKE SA i; the IKE SA c belongs to, or NULL. */
bool snap_child_of(const struct ike_child_info *c, const struct ike_sa_info *i);
const struct ike_sa_info *snap_ike_of(const struct snap *s,
				      const struct ike_child_info *c);

#endif /* IKEHELPER_CONTROL_SNAP_H */
