/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * ikevti: a route-based IPsec tunnel device with its own ESP datapath.
 *
 * This header is the single source of truth for the user-space API:
 *   - the rtnetlink link kind "ikevti" and its IFLA_IKEVTI_* attributes;
 *   - the generic netlink family "ikevti".
 *
 * It is append-only: values are never renumbered or reused.
 *
 * Link
 * ----
 *
 *   ip link add NAME type ikevti
 *
 * The IFLA_INFO_DATA nest of an ikevti link carries IFLA_IKEVTI_*
 * attributes.  None are defined yet.
 *
 * Generic netlink family IKEVTI_GENL_NAME, version IKEVTI_GENL_VERSION
 * --------------------------------------------------------------------
 *
 * Every command requires CAP_NET_ADMIN in the network namespace of the
 * socket that sends it.  Attribute policies are strict: unknown attributes
 * and trailing data are rejected with an extack message.
 *
 * IKEVTI_CMD_GET_VERSION
 *   Request:  (no attributes)
 *   Reply:
 *     IKEVTI_A_VERSION_MODULE  NLA_NUL_STRING  module version, "X.Y.Z"
 *     IKEVTI_A_VERSION_API     NLA_U32         IKEVTI_API_VERSION
 *
 * A user-space client checks IKEVTI_A_VERSION_API first; it is raised
 * whenever a command or attribute is added, never when one changes
 * meaning (which it does not).
 */

#ifndef _UAPI_LINUX_IKEVTI_H
#define _UAPI_LINUX_IKEVTI_H

#define IKEVTI_LINK_KIND	"ikevti"

#define IKEVTI_GENL_NAME	"ikevti"
#define IKEVTI_GENL_VERSION	1

/* Bumped whenever this header gains a command or an attribute. */
#define IKEVTI_API_VERSION	1

enum ikevti_cmd {
	IKEVTI_CMD_UNSPEC,
	IKEVTI_CMD_GET_VERSION,

	__IKEVTI_CMD_MAX
};

#define IKEVTI_CMD_MAX (__IKEVTI_CMD_MAX - 1)

enum ikevti_attr {
	IKEVTI_A_UNSPEC,
	IKEVTI_A_VERSION_MODULE,
	IKEVTI_A_VERSION_API,

	__IKEVTI_A_MAX
};

#define IKEVTI_A_MAX (__IKEVTI_A_MAX - 1)

/* Link attributes, nested in IFLA_INFO_DATA. */
enum {
	IFLA_IKEVTI_UNSPEC,

	__IFLA_IKEVTI_MAX
};

#define IFLA_IKEVTI_MAX (__IFLA_IKEVTI_MAX - 1)

#endif /* _UAPI_LINUX_IKEVTI_H */
