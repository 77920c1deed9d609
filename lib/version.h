/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LIB_VERSION_H
#define LIB_VERSION_H

/* One version for the whole tree: the module's. */
#include "../kmod/version.h"

#define IKEVTI_USER_VERSION	IKEVTI_VERSION

#endif /* LIB_VERSION_H */
