/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IKEVTI_NETLINK_H
#define _IKEVTI_NETLINK_H

int ikevti_genetlink_init(void);
void ikevti_genetlink_uninit(void);

#endif /* _IKEVTI_NETLINK_H */
