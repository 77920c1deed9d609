/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Dropping privileges once the sockets are bound.
 *
 * The daemon keeps exactly one capability, CAP_NET_ADMIN, which the
 * ikevti generic-netlink commands require; everything else goes from
 * the effective, permitted, inheritable, ambient and bounding sets, and
 * PR_SET_NO_NEW_PRIVS is set, so no exec can give anything back.
 *
 * The user stays root unless --user NAME is given.  That is deliberate:
 * SIGHUP re-reads the configuration, which holds the pre-shared keys and
 * is normally readable by root only; root without CAP_DAC_OVERRIDE still
 * reads its own 0600 files but nothing else it does not own.  With
 * --user, the daemon switches to NAME's uid and gid (no supplementary
 * groups) and the configuration must be readable by that user for a
 * reload to work.
 */
#ifndef IKEHELPER_PRIVDROP_H
#define IKEHELPER_PRIVDROP_H

#include <stddef.h>

/*
 * user: NULL to stay the same user.  0, or a negative errno with a
 * message in err.  Run it before anything reads untrusted input.
 */
int privdrop_apply(const char *user, char *err, size_t errlen);

#endif /* IKEHELPER_PRIVDROP_H */
