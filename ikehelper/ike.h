/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The IKE engine as the daemon sees it: a passive object driven by the
 * event loop.  It owns the IKE SA and Child SA database and the exchanges
 * (ikev2/ today, ikev1/ later); it never blocks, never reads a clock of
 * its own and never touches a socket.  The daemon (main.c, loop.c,
 * net.c) feeds it datagrams, kernel events and the time, and asks it when
 * its next timer is due.  Two engines can therefore talk to each other in
 * one process, as the unit tests do.
 */
#ifndef IKEHELPER_IKE_H
#define IKEHELPER_IKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "backend.h"
#include "kernel.h"
#include "policy.h"

#define IKE_NO_TIMER	UINT64_MAX

/* What the daemon provides. */
struct ike_env {
	void *ctx;
	/*
	 * Send one datagram.  local and remote carry the ports (500, or
	 * 4500 with the non-ESP marker added by the sender when natt).
	 */
	int (*send)(void *ctx, const struct sockaddr_storage *local,
		    const struct sockaddr_storage *remote, bool natt,
		    const uint8_t *buf, size_t len);
	struct backend *be;
	/*
	 * Optional (NULL: not provided).  log: one line, no newline,
	 * level as syslog(3).  wallclock_ms: CLOCK_REALTIME for the event
	 * log.  local_addr: the source address routing picks towards
	 * remote (without it, an initiator with no "source-address" sends
	 * no NAT detection payloads, as it does not know its address).
	 */
	void (*log)(void *ctx, int level, const char *msg);
	uint64_t (*wallclock_ms)(void *ctx);
	int (*local_addr)(void *ctx, const struct sockaddr_storage *remote,
			  struct sockaddr_storage *local);
};

struct ike_engine;

/* cfg stays owned by the caller and must outlive the engine (or reload). */
struct ike_engine *ike_engine_new(const struct ike_env *env,
				  const struct policy_config *cfg,
				  uint64_t now_ms);
/* Frees everything without a word to the peers (see ike_engine_shutdown). */
void ike_engine_free(struct ike_engine *e);

/*
 * SIGHUP: switch to cfg.  Established SAs of tunnels whose effective
 * settings did not change are kept; the others are deleted (DELETE sent).
 */
int ike_engine_reload(struct ike_engine *e, const struct policy_config *cfg,
		      uint64_t now_ms);

/* One received datagram, non-ESP marker already stripped. */
void ike_engine_input(struct ike_engine *e,
		      const struct sockaddr_storage *local,
		      const struct sockaddr_storage *remote, bool natt,
		      const uint8_t *buf, size_t len, uint64_t now_ms);

/* A kernel event: ACQUIRE starts a negotiation, EXPIRE a rekey/delete. */
void ike_engine_kernel_event(struct ike_engine *e,
			     const struct kernel_event *ev, uint64_t now_ms);

/* The earliest due timer (CLOCK_MONOTONIC ms), or IKE_NO_TIMER. */
uint64_t ike_engine_next_timer(const struct ike_engine *e);
void ike_engine_run_timers(struct ike_engine *e, uint64_t now_ms);

/* ikevtictl initiate TUNNEL: 0, or -ENOENT / -EALREADY. */
int ike_engine_initiate(struct ike_engine *e, const char *tunnel,
			uint64_t now_ms);

/*
 * ikevtictl rekey ike-sa|child-sa TUNNEL: rekey the tunnel's IKE SA, or
 * its Child SAs, now, as if their rekey time had come.  0; -ENOENT when
 * the tunnel has no IKE SA (or no Child SA to rekey); -EAGAIN while the
 * IKE SA is not established yet or is busy rekeying or deleting.
 */
int ike_engine_rekey(struct ike_engine *e, const char *tunnel, bool ike,
		     uint64_t now_ms);

/*
 * ikevtictl clear sa [PEER]: send DELETE for the IKE SAs (all, or those
 * with that peer address); done(arg, n) runs once every one of them is
 * answered or timed out, with the number deleted (at once, from inside
 * this call, when there is none).  0, -EINVAL for a bad address, or
 * -ENOMEM.
 */
int ike_engine_clear(struct ike_engine *e, const char *peer,
		     void (*done)(void *arg, unsigned int n), void *arg,
		     uint64_t now_ms);

/*
 * Which IKE SAs a clear is for: the peer address (NULL: any), the
 * connection id of "show crypto isakmp sa" (0: any), the IKE version (0:
 * any).  "clear crypto isakmp [CONN-ID]" is version 1 with a conn_id.
 */
struct ike_clear_filter {
	const char *peer;
	uint32_t conn_id;
	uint8_t version;
};

/* ike_engine_clear() for the IKE SAs f selects; -ENOENT if none. */
int ike_engine_clear_filter(struct ike_engine *e,
			    const struct ike_clear_filter *f,
			    void (*done)(void *arg, unsigned int n), void *arg,
			    uint64_t now_ms);

/*
 * "clear crypto sa [peer ADDR]": DELETE every Child SA (IPsec SA), of
 * every IKE SA or of those with that peer; the IKE SAs stay.  Returns the
 * number of Child SAs to be deleted, or -EINVAL for a bad address.
 */
int ike_engine_clear_children(struct ike_engine *e, const char *peer,
			      uint64_t now_ms);

/* The device counters of a tunnel (the backend's), for "show crypto". */
int ike_engine_dev_stats(const struct ike_engine *e, const char *tunnel,
			 struct kernel_dev_stats *out);

/* SIGTERM: DELETE to every peer, Child SAs removed from the kernel. */
void ike_engine_shutdown(struct ike_engine *e, uint64_t now_ms);
/* True once shutdown has nothing left to wait for. */
bool ike_engine_idle(const struct ike_engine *e);

/*
 * What "show ike-sa", "show child-sa" and "show stats" print.  The
 * engine fills these structs; control.c formats them (human and JSON).
 * No key ever appears here.
 */
#define IKE_NAME_MAX	64

struct ike_sa_info {
	char tunnel[POLICY_IFNAMSIZ];
	uint8_t version;			/* 1 or 2 */
	uint32_t conn_id;			/* IOS "conn-id", "C-id" */
	bool initiator;
	uint64_t spi_i, spi_r;			/* host byte order */
	struct sockaddr_storage local, remote;
	bool natt;
	char state[24];				/* "ESTABLISHED", ... */
	char local_id[IKE_NAME_MAX], remote_id[IKE_NAME_MAX];
	char enc[24], integ[24], prf[24], dh[24];	/* policy show names */
	/* The chosen proposal in IKEv2 numbers (IOS names them its way). */
	uint16_t encr_id, encr_bits, prf_id, dh_group;
	char auth[8];				/* "psk", "rsig" */
	bool cap_dpd, cap_natt;			/* "Cap.": D, N */
	uint64_t expire_in_s;			/* until its lifetime ends */
	uint64_t established_s;			/* seconds since */
	uint64_t lifetime_s, rekey_in_s;	/* configured; time left */
	uint32_t dpd_interval_s;		/* 0: off */
	uint64_t last_seen_s;			/* seconds since a valid message */
	unsigned int n_child;
};

struct ike_child_info {
	char tunnel[POLICY_IFNAMSIZ];
	uint64_t ike_spi_i, ike_spi_r;		/* its IKE SA */
	uint8_t version;			/* of its IKE SA */
	uint32_t conn_id_in, conn_id_out;	/* IOS "conn id" of each SA */
	struct sockaddr_storage local, remote;	/* the tunnel's ends */
	bool udp_encap;
	/* The transform in IKEv2 numbers (IOS names them its way). */
	uint16_t encr_id, encr_bits, integ_id, pfs_group;
	uint32_t replay_window;			/* 0: off */
	uint64_t lifetime_kb;			/* 0: none */
	uint32_t spi_in, spi_out;		/* host byte order */
	char state[24];				/* "INSTALLED", "REKEYED", ... */
	char enc[24], integ[24], pfs[24];
	struct policy_ts_list ts_local, ts_remote;
	uint64_t established_s, lifetime_s, rekey_in_s;
	uint64_t bytes_in, bytes_out, packets_in, packets_out;
};

struct ike_event_info {				/* the last 10 per tunnel */
	uint64_t when_ms;			/* CLOCK_REALTIME */
	char tunnel[POLICY_IFNAMSIZ];
	char what[96];				/* "Child SA created, in 0x..." */
};

struct ike_stats {
	uint64_t rx, tx, retransmits, dropped;
	uint64_t ike_sa_created, ike_sa_deleted;
	uint64_t child_sa_created, child_sa_deleted;
	uint64_t auth_failed, no_proposal, invalid_spi, invalid_msgid;
	uint64_t decrypt_failed, malformed;
	/* Call admission control: new IKE SAs accepted or refused. */
	uint64_t cac_in_accepted, cac_in_rejected;
	uint64_t cac_out_accepted, cac_out_rejected;
};

int ike_engine_foreach_ike_sa(const struct ike_engine *e,
			      int (*fn)(const struct ike_sa_info *, void *),
			      void *arg, uint64_t now_ms);
int ike_engine_foreach_child_sa(const struct ike_engine *e,
				int (*fn)(const struct ike_child_info *,
					  void *),
				void *arg, uint64_t now_ms);
int ike_engine_foreach_event(const struct ike_engine *e,
			     int (*fn)(const struct ike_event_info *, void *),
			     void *arg);
void ike_engine_stats(const struct ike_engine *e, struct ike_stats *out);

#endif /* IKEHELPER_IKE_H */
