/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel backend seam: the IKE code installs and removes Child SAs
 * through these operations only, never through kernel.h directly.
 *
 *	ikevti		the real one: kernel.h, the "ikevti" genl family
 *	record:FILE	tests only: appends one line per operation to FILE,
 *			keys included, so that a test can compare them with
 *			what the peer derived.  It stands for a kernel that
 *			could carry ESP in UDP (udp_encap): strongSwan's
 *			kernel-libipsec, the host tests' peer, does ESP only
 *			in UDP and fakes a NAT to get it, and the keys are
 *			what such a test compares
 *
 * Recording format, one line per call, fields separated by one space:
 *
 *	add TUNNEL dir=in|out spi=0x%08x enc=NAME ekey=HEX integ=NAME
 *	    akey=HEX|- origin=negotiated|manual ts_local=LIST
 *	    ts_remote=LIST
 *	del TUNNEL dir=in|out spi=0x%08x
 *
 * (one line each; the add line is wrapped here).  NAME is the name
 * ikevtictl takes (aes-cbc, aes-gcm, chacha20-poly1305, 3des-cbc, null;
 * hmac-sha1-96, hmac-sha256-128, ..., or "none"); ekey includes the salt
 * of an AEAD as the kernel takes it.  A LIST is comma-separated
 * "START-END:PROTO:PSTART-PEND" items, or "any".
 */
#ifndef IKEHELPER_BACKEND_H
#define IKEHELPER_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel.h"

struct backend;

struct backend_ops {
	/* Install sa on the ikevti device named tunnel. */
	int (*sa_add)(struct backend *be, const char *tunnel,
		      const struct kernel_sa *sa);
	int (*sa_del)(struct backend *be, const char *tunnel, uint8_t dir,
		      uint32_t spi);
	/* Current use of one SA (bytes, packets, last use); may be NULL. */
	int (*sa_get)(struct backend *be, const char *tunnel, uint8_t dir,
		      uint32_t spi, struct kernel_sa *out);
	/* Kernel events (ACQUIRE, EXPIRE): fd to poll, or -1 if none. */
	int (*event_fd)(struct backend *be);
	int (*event_read)(struct backend *be, kernel_event_fn fn, void *arg);
	/*
	 * The tunnel an event is about: the name of the device whose
	 * ifindex the event carries (sa_add's lookup the other way round).
	 * 0, or -ENODEV.  May be NULL when event_fd is always -1.
	 */
	int (*tunnel_name)(struct backend *be, uint32_t ifindex, char *name,
			   size_t len);
	/* The device's counters (IKEVTI_CMD_DEV_GET); may be NULL. */
	int (*dev_stats)(struct backend *be, const char *tunnel,
			 struct kernel_dev_stats *out);
	void (*close)(struct backend *be);
	/*
	 * It can carry ESP across a NAT (RFC 3948).  Without it, an IKE SA
	 * that detected a NAT gets no Child SA, since its ESP would be lost.
	 */
	bool udp_encap;
};

struct backend {
	const struct backend_ops *ops;
};

/*
 * "ikevti" or "record:FILE".  On failure, returns NULL and writes a
 * message to err.
 */
struct backend *backend_open(const char *spec, char *err, size_t errlen);

#endif /* IKEHELPER_BACKEND_H */
