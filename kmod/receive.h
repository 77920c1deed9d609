/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IKEVTI_RECEIVE_H
#define _IKEVTI_RECEIVE_H

int ikevti_receive_init(void);
void ikevti_receive_uninit(void);

#endif /* _IKEVTI_RECEIVE_H */
