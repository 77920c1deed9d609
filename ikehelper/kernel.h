/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The seam between user space and the ikevti module: the only code that
 * speaks the generic netlink API of <linux/ikevti.h>.
 *
 * Functions return 0 or a negative errno.  When the kernel attached an
 * extended ACK message to a failure, kernel_strerror() returns it.
 */
#ifndef IKEHELPER_KERNEL_H
#define IKEHELPER_KERNEL_H

#include <stddef.h>
#include <stdint.h>

struct kernel_conn;

/*
 * Connect to the "ikevti" genl family.  On failure, returns NULL, sets
 * errno (ENOENT when the module is not loaded) and writes a message to err.
 */
struct kernel_conn *kernel_open(char *err, size_t errlen);
void kernel_close(struct kernel_conn *kc);

/*
 * Describe the error that the last request on kc returned: the kernel's
 * extack message if it sent one, else a library message, else strerror().
 */
const char *kernel_strerror(const struct kernel_conn *kc, int err);

/* IKEVTI_CMD_GET_VERSION: module version string and API version. */
int kernel_get_version(struct kernel_conn *kc, char *modver, size_t len,
		       uint32_t *api);

#endif /* IKEHELPER_KERNEL_H */
