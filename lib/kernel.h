/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The seam between user space and the ikevti module: the only code that
 * speaks the generic netlink API of <linux/ikevti.h>.  It is built from
 * lib/kernel_*.c, one concern each (kernel_priv.h lists them).
 *
 * Functions return 0 or a negative errno.  When the kernel attached an
 * extended ACK message to a failure, kernel_strerror() returns it.
 *
 * Replies are checked before use: every known attribute must have its
 * exact length, addresses are 4 or 16 bytes, selector lists hold at most
 * IKEVTI_TS_MAX entries; attribute types newer than this file are ignored.
 * A reply that breaks these rules fails the request with -EPROTO.
 */
#ifndef LIB_KERNEL_H
#define LIB_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/ikevti.h>

#define KERNEL_KEY_MAX		64	/* longest key we hold, in bytes */
#define KERNEL_IFNAMSIZ		16	/* IFNAMSIZ, with the NUL */

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

/* One traffic selector: an address range, a protocol and a port range. */
struct kernel_ts {
	uint8_t family;			/* AF_INET or AF_INET6 */
	uint8_t proto;			/* 0: any */
	uint16_t port_start;		/* host byte order */
	uint16_t port_end;
	uint8_t start[16];		/* network byte order; 4 bytes for */
	uint8_t end[16];		/* AF_INET, the rest zero */
};

/* IKEVTI_LT_A_*: 0 means no limit. */
struct kernel_lifetime {
	uint64_t soft_secs;
	uint64_t hard_secs;
	uint64_t soft_bytes;
	uint64_t hard_bytes;
	uint64_t soft_packets;
	uint64_t hard_packets;
};

/* IKEVTI_STATS_A_*, in the terms of NEC IX "show ikev2 child-sa". */
struct kernel_sa_stats {
	uint64_t packets;
	uint64_t octets;
	uint64_t invalid_sa;
	uint64_t replay;
	uint64_t integrity_failed;
	uint64_t cipher_failed;
	uint64_t truncated;
	uint64_t invalid_padding;
	uint64_t unknown_proto;
	uint64_t nomem;
	uint64_t ts_unacceptable;
	uint64_t misc;
	uint64_t crypto_busy;		/* the cipher's queue was full */
};

/* IKEVTI_CUR_A_*: the SA's current use. */
struct kernel_sa_cur {
	uint64_t add_time;		/* seconds, CLOCK_REALTIME */
	uint64_t use_time;		/* 0: never used */
	uint64_t bytes;
	uint64_t packets;
	uint64_t seq;			/* last sent / highest received */
	uint64_t expired;		/* 0, 1 soft, 2 hard */
};

/*
 * An SA as IKEVTI_SA_A_* describes it.  Requests read the fields the
 * command takes (see the functions below); replies fill everything but
 * the keys, which the kernel never returns.  The keys live in the struct,
 * so wipe it with kernel_sa_wipe() when done.
 */
struct kernel_sa {
	uint8_t dir;			/* IKEVTI_DIR_IN / IKEVTI_DIR_OUT */
	uint32_t spi;			/* host byte order here */
	uint16_t enc;			/* enum ikevti_enc */
	uint16_t auth;			/* enum ikevti_auth */
	uint8_t enc_key[KERNEL_KEY_MAX];	/* with the salt of an AEAD */
	size_t enc_key_len;
	uint8_t auth_key[KERNEL_KEY_MAX];
	size_t auth_key_len;
	uint32_t flags;			/* IKEVTI_SA_F_* */
	bool has_replay_window;		/* else the link's default */
	uint32_t replay_window;
	bool has_lifetime;		/* send all six limits */
	struct kernel_lifetime lifetime;
	unsigned int n_ts_local;	/* 0: everything (no list) */
	unsigned int n_ts_remote;
	struct kernel_ts ts_local[IKEVTI_TS_MAX];
	struct kernel_ts ts_remote[IKEVTI_TS_MAX];
	uint8_t origin;			/* IKEVTI_ORIGIN_*, 0: not sent */
	uint32_t cookie;
	bool has_seq;			/* outbound: numbers start after seq */
	uint64_t seq;

	/* Filled from replies only. */
	uint32_t ifindex;
	bool has_stats;
	struct kernel_sa_stats stats;
	bool has_cur;
	struct kernel_sa_cur cur;
};

/* Zero the whole struct, keys included, in a way the compiler keeps. */
void kernel_sa_wipe(struct kernel_sa *sa);

/*
 * IKEVTI_CMD_SA_NEW: sends dir, spi, enc, auth, the keys (when their
 * length is not 0), flags, cookie, and when set: replay_window,
 * lifetime (has_lifetime or any limit), selectors, origin, seq (has_seq).
 * Never UDP encapsulation ports: the module has no UDP encapsulation yet.
 * The request's copy of the keys is wiped once it is sent.
 */
int kernel_sa_add(struct kernel_conn *kc, uint32_t ifindex,
		  const struct kernel_sa *sa);
/*
 * IKEVTI_CMD_SA_SET: sends dir and spi, plus the replay window if
 * has_replay_window, all six limits if has_lifetime, and each selector
 * list that has entries.  Nothing else of sa is read.  The module
 * replaces both selector lists when either is sent (a list not sent
 * becomes "everything"), so to change one side, send the other as it is.
 */
int kernel_sa_set(struct kernel_conn *kc, uint32_t ifindex,
		  const struct kernel_sa *sa);
int kernel_sa_del(struct kernel_conn *kc, uint32_t ifindex, uint8_t dir,
		  uint32_t spi);
/* IKEVTI_CMD_SA_GET for one SA; out is overwritten. */
int kernel_sa_get(struct kernel_conn *kc, uint32_t ifindex, uint8_t dir,
		  uint32_t spi, struct kernel_sa *out);

/*
 * Called once per SA of a dump; sa is only valid during the call.  A
 * negative return stops the dump and becomes its result.
 */
typedef int (*kernel_sa_fn)(const struct kernel_sa *sa, void *arg);

int kernel_sa_dump(struct kernel_conn *kc, uint32_t ifindex,
		   kernel_sa_fn fn, void *arg);
/* IKEVTI_CMD_SA_FLUSH: every SA, or with origin != 0 only those. */
int kernel_sa_flush(struct kernel_conn *kc, uint32_t ifindex, uint8_t origin);

/* IKEVTI_DEV_STATS_A_*, Cisco "show crypto ipsec sa" terms. */
struct kernel_dev_stats {
	uint32_t ifindex;
	char ifname[KERNEL_IFNAMSIZ];
	uint64_t encaps;
	uint64_t encrypt;
	uint64_t digest;
	uint64_t decaps;
	uint64_t decrypt;
	uint64_t verify;
	uint64_t send_errors;
	uint64_t recv_errors;
	uint64_t no_sa_out;
	uint64_t ts_out;
	uint64_t no_route;
	uint64_t seq_exhausted;
	uint64_t invalid_sa;
};

typedef int (*kernel_dev_fn)(const struct kernel_dev_stats *dev, void *arg);

/* IKEVTI_CMD_DEV_GET for one device, and its dump over every device. */
int kernel_dev_get(struct kernel_conn *kc, uint32_t ifindex,
		   struct kernel_dev_stats *out);
int kernel_dev_dump(struct kernel_conn *kc, kernel_dev_fn fn, void *arg);

/* One message of the "events" multicast group. */
struct kernel_event {
	uint8_t cmd;			/* IKEVTI_CMD_EV_* */
	uint32_t ifindex;
	/* EV_EXPIRE, EV_SEQ_WRAP */
	uint8_t dir;
	uint32_t spi;			/* host byte order */
	uint32_t cookie;
	bool has_cur;
	struct kernel_sa_cur cur;
	bool hard;			/* EV_EXPIRE: the hard limit; SA gone */
	/* EV_ACQUIRE */
	uint8_t family;			/* AF_INET or AF_INET6 */
	uint8_t src[16];
	uint8_t dst[16];
	uint8_t proto;
	uint16_t sport;
	uint16_t dport;
};

typedef int (*kernel_event_fn)(const struct kernel_event *ev, void *arg);

/*
 * Join the events group on a second, non-blocking socket of kc.  Poll
 * kernel_event_fd() for input, then call kernel_event_read(): it runs fn
 * on each event of one datagram and returns 0, -EAGAIN when nothing was
 * waiting, -ENOBUFS when the socket overran and events were lost (the
 * socket stays usable), or another negative errno.  Unknown event
 * commands are skipped.
 */
int kernel_events_subscribe(struct kernel_conn *kc);
int kernel_event_fd(const struct kernel_conn *kc);
int kernel_event_read(struct kernel_conn *kc, kernel_event_fn fn, void *arg);

#endif /* LIB_KERNEL_H */
