/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IKEVTI_VERSION_H
#define _IKEVTI_VERSION_H

#define IKEVTI_VERSION "0.1.0"

#endif /* _IKEVTI_VERSION_H */
