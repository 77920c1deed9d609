/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The SA database of the IKE engine: IKE SAs, their Child SAs, the
 * exchange each IKE SA has in flight (window size 1, RFC 7296 2.3), the
 * last response it sent, and the event log "show" prints.
 *
 * Private to the engine (ike.c, sa.c, ikev2/); the daemon sees ike.h.
 * Every key lives in a secbuf or a struct kernel_sa that is wiped when
 * it is freed.
 */
#ifndef IKEHELPER_SA_H
#define IKEHELPER_SA_H

#include <stdbool.h>
#include <stdint.h>

#include "ike.h"
#include "ikev1/state.h"
#include "ikev2/state.h"
#include "msg.h"
#include "payload.h"
#include "proposal.h"

#define IKE_NONCE_LEN		32	/* ours: RFC 7296 2.10, >= PRF key */
#define IKE_EVENTS_PER_TUNNEL	10

/*
 * The life of an IKE SA, whatever the version.  While CONNECTING, the
 * version's own state says how far the negotiation is (v2_ike.step).
 */
enum ike_state {
	IKE_S_CONNECTING,	/* being negotiated */
	IKE_S_ESTABLISHED,
	IKE_S_REKEYED,		/* replaced by a rekey; waits for DELETE */
	IKE_S_DELETING,		/* our DELETE is in flight */
	IKE_S_DEAD,		/* to be freed */
};

enum child_state {
	CHILD_S_INSTALLED,
	CHILD_S_REKEYING,	/* our CREATE_CHILD_SA rekey is in flight */
	CHILD_S_REKEYED,	/* replaced; waits for its DELETE */
	CHILD_S_HALF,		/* rekey responder: inbound only so far */
	CHILD_S_DELETING,	/* our DELETE is in flight */
};

/* What our request in flight is for (strongSwan's "tasks"). */
enum ike_task {
	TASK_NONE,
	TASK_IKE_INIT,
	TASK_IKE_AUTH,
	TASK_CHILD_REKEY,
	TASK_CHILD_CREATE,
	TASK_IKE_REKEY,
	TASK_CHILD_DELETE,
	TASK_IKE_DELETE,
	TASK_DPD,
};

struct ike_sa;
struct ike_engine;

/*
 * What differs between IKE versions, behind one table per version, so
 * that the engine (ike.c: the API, timers, kernel events, reload, show)
 * never names an exchange.  Each version's files implement it; an IKE SA
 * points at the table of the version it speaks.
 */
struct ike_ops {
	uint8_t version;		/* 1 or 2: the header's major version */
	const char *name;		/* "IKEv2" */
	/*
	 * A datagram of this version (its header parsed into h): checks,
	 * lookup, decryption and the exchanges are the version's.
	 */
	void (*input)(struct ike_engine *e,
		      const struct sockaddr_storage *local,
		      const struct sockaddr_storage *remote, bool natt,
		      const uint8_t *buf, size_t len, const struct msg_hdr *h);
	/*
	 * Start an IKE SA for the tunnel, as initiator: 0, -ENOENT when the
	 * configuration cannot bring it up (shut down, or said why).
	 */
	int (*initiate)(struct ike_engine *e, const char *tunnel);
	/* Start the next queued task of sa when nothing is in flight. */
	void (*kick)(struct ike_engine *e, struct ike_sa *sa);
	/* The retransmit timer of sa fired: resend, or give up (-ETIMEDOUT). */
	int (*retransmit)(struct ike_engine *e, struct ike_sa *sa);
	/* What "show ike-sa" says of sa's state. */
	const char *(*state_name)(const struct ike_sa *sa);
	/* What "show crypto isakmp sa detail" says of the peer's abilities. */
	bool (*dpd_on)(const struct ike_sa *sa);
	/* Wipe and free the version's part of sa (sa itself is not freed). */
	void (*free)(struct ike_sa *sa);
	/* Timers of the version's own; NULL: none. */
	uint64_t (*next_timer)(const struct ike_sa *sa);
	void (*timers)(struct ike_engine *e, struct ike_sa *sa);
	/*
	 * On reload: may sa stay under the new configuration cfg?  When
	 * it may, its policy is refreshed from cfg.
	 */
	bool (*keep)(struct ike_engine *e, struct ike_sa *sa,
		     const struct policy_config *cfg);
	/*
	 * Deleting the IKE SA deletes its Child SAs at the peer too (IKEv2),
	 * so on shutdown they just go; else (IKEv1) the version's DELETE
	 * names them.
	 */
	bool children_die_with_ike;
};

extern const struct ike_ops ikev2_ops;
extern const struct ike_ops ikev1_ops;

struct child_sa {
	struct child_sa *next;
	uint32_t spi_in, spi_out;	/* host byte order */
	uint8_t state;			/* enum child_state */
	bool in_installed, out_installed;
	bool initiated;			/* we started the exchange creating it */
	bool want_rekey, want_delete;	/* queued tasks */
	struct prop_sel sel;
	uint8_t n_ts_l, n_ts_r;
	struct pl_ts *ts_l, *ts_r;	/* as negotiated, ours first */
	/* The Child SA this one replaces (its spi_in), 0: none. */
	uint32_t rekeys_spi;
	/* CHILD_S_HALF: our outbound SA, added once the old one is gone. */
	struct kernel_sa *pending_out;
	/* The lower nonce of the exchange that made it (RFC 7296 2.8.1). */
	uint8_t *min_nonce;
	size_t min_nonce_len;
	uint64_t created_ms, rekey_ms, expire_ms, half_deadline_ms;
	uint32_t conn_id;		/* IOS conn id of the inbound SA; +1 out */
};

/* The request in flight and what its response needs. */
struct ike_req {
	uint8_t task;			/* enum ike_task */
	uint32_t msgid;
	uint8_t *buf;
	size_t len;
	unsigned int tries;
	uint64_t next_ms;		/* retransmit, or give up */
	struct child_sa *child;		/* rekeyed, deleted or being made */
	struct crypto_dh *dh;
	struct secbuf *nonce;
	uint32_t spi;			/* new inbound SPI (Child rekey) */
	uint8_t ike_spi[8];		/* new SPI (IKE rekey) */
	struct pl_sa *offer;
	struct pl_ts_list *tsi, *tsr;	/* offered */
};

struct ike_sa {
	struct ike_sa *next;
	struct ike_sa *hnext;		/* in the engine's SPIi hash */
	bool hashed;
	unsigned int hbucket;		/* where: SPIi may change since */
	char tunnel[POLICY_IFNAMSIZ];
	const struct ike_ops *ops;	/* the version it speaks */
	uint32_t conn_id;		/* "show crypto isakmp sa" C-id */
	struct policy_effective pol;	/* refreshed on reload */
	bool initiator;			/* of this IKE SA (its SPIs) */
	uint8_t spi_i[8], spi_r[8];
	struct sockaddr_storage local, remote;
	bool natt;
	bool nat_detected;
	uint8_t state;			/* enum ike_state */
	bool has_sel;			/* sel holds the chosen proposal */
	struct prop_sel sel;
	struct crypto_encr encr;
	struct crypto_dh *dh;		/* the key exchange, until done */
	struct policy_id local_id, remote_id;
	bool initial_contact;		/* the peer sent INITIAL_CONTACT */
	/* Message IDs: our next request, the peer's next request. */
	uint32_t msgid_out, msgid_in;
	struct ike_req req;
	uint8_t *resp;			/* our last response, for resends */
	size_t resp_len;
	bool has_resp;
	uint8_t req_hash[32];		/* SHA-256 of the request it answers */
	bool was_up;			/* reached ESTABLISHED once */
	bool half_open;			/* counted in ike_engine.n_half */
	bool want_rekey, want_delete, want_dpd;
	bool want_child;		/* no Child SA: make one */
	bool peer_deleted;		/* DELETEd while our rekey is in flight */
	/*
	 * Why a negotiation has not come up yet, when a message was
	 * discarded on the way (static text): the reason given if it
	 * times out, rather than just "timed out".
	 */
	const char *fault;
	struct ike_clear *clear;	/* an ikevtictl clear waits for it */
	struct child_sa *children;
	uint64_t created_ms, rekey_ms, expire_ms, last_rx_ms;
	uint64_t started_ms;		/* its negotiation began */
	/* The version's own state: ops says which. */
	union {
		struct v1_ike v1;
		struct v2_ike v2;
	};
};

struct ike_clear {
	struct ike_clear *next;
	void (*done)(void *arg, unsigned int n);
	void *arg;
	unsigned int pending, deleted;
};

struct ike_evlog {
	char tunnel[POLICY_IFNAMSIZ];
	unsigned int head, n;
	struct ike_event_info ev[IKE_EVENTS_PER_TUNNEL];
};

#define IKE_HASH_SIZE	1024		/* buckets of IKE SAs by SPIi */
#define IKE_COOKIE_THRESHOLD	500	/* half-open IKE SAs */

struct ike_engine {
	struct ike_env env;
	struct ike_sa *hash[IKE_HASH_SIZE];
	uint32_t hash_key;		/* random: peers choose SPIi */
	/* RFC 7296 2.6: past this many half-open IKE SAs, ask for COOKIEs. */
	unsigned int n_half, cookie_threshold;
	/* IKE SAs marked DEAD (sa_ike_kill) and not yet freed. */
	unsigned int n_dead;
	uint8_t cookie_secret[32];
	const struct policy_config *cfg;
	struct ike_sa *sas;
	struct ike_clear *clears;
	struct ike_evlog *evlog;
	size_t n_evlog;
	struct ike_stats stats;
	uint64_t now_ms;
	uint64_t auto_ms;		/* next connect-type auto check */
	uint32_t next_conn_id;		/* IOS conn-ids, from 1001 */
	bool shutting_down;
	/* Scratch space: one message in, its plaintext, one out. */
	uint8_t plain[MSG_MAX_LEN];
	uint8_t inner[MSG_MAX_LEN];
	uint8_t out[MSG_MAX_LEN];
};

/* ike.c: what the versions call back in the engine */

/* sa failed or its peer is gone: log why, and remove it and its Child SAs. */
void ike_sa_dead(struct ike_engine *e, struct ike_sa *sa, const char *why);
/* sa reached ESTABLISHED: timers, counters, the event log. */
void ike_sa_established(struct ike_engine *e, struct ike_sa *sa);
/*
 * Call admission control (policy_cac_admit()): may a new IKE SA start,
 * incoming (a peer's first message) or not (ours)?  Counts the answer and
 * logs a refusal with what (e.g. "ikevti0: a new IKE SA"); an IKE SA
 * rekey is not a new IKE SA and is never refused.
 */
bool ike_cac_admit(struct ike_engine *e, bool incoming, const char *what);
/* The same for a peer's first message, exch ("IKE_SA_INIT") from remote. */
bool ike_cac_admit_from(struct ike_engine *e,
			const struct sockaddr_storage *remote,
			const char *exch);
/* The settings of a tunnel, by name, in the current configuration. */
bool ike_policy(struct ike_engine *e, const char *tunnel,
		struct policy_effective *pol);
/* The same in another configuration (reload). */
bool ike_policy_from(const struct policy_config *cfg, const char *tunnel,
		     struct policy_effective *pol);

/* sa.c */
struct ike_sa *sa_ike_new(struct ike_engine *e, const struct ike_ops *ops,
			  const struct policy_effective *pol, bool initiator);
/* Unlink and free; Child SAs are removed from the kernel first. */
void sa_ike_free(struct ike_engine *e, struct ike_sa *sa);
/*
 * Mark sa DEAD: it is freed once the engine call that killed it is done
 * (ike_reap), so that no caller up the stack holds a freed SA.
 */
void sa_ike_kill(struct ike_engine *e, struct ike_sa *sa);
struct ike_sa *sa_ike_find(struct ike_engine *e, const uint8_t spi_i[8],
			   const uint8_t spi_r[8]);
/*
 * An IKE SA whose responder SPI is not known yet: as initiator, ours
 * waiting for the first response; as responder, the one this remote
 * started with spi_i.
 */
struct ike_sa *sa_ike_find_half(struct ike_engine *e, const uint8_t spi_i[8],
				const struct sockaddr_storage *remote,
				bool initiator);
void sa_ike_reset_req(struct ike_sa *sa);
/* A responder's half-open IKE SA is done (up or gone). */
void sa_half_done(struct ike_engine *e, struct ike_sa *sa);
/* sa's SPIi is set or changed: file it under the new one. */
void sa_ike_rehash(struct ike_engine *e, struct ike_sa *sa);

/* Move every Child SA of from to to. */
void sa_move_children(struct ike_sa *from, struct ike_sa *to);

struct child_sa *sa_child_new(struct ike_engine *e, struct ike_sa *sa);
/* The next IOS-style connection id (1001, 1002, ...). */
uint32_t sa_conn_id(struct ike_engine *e);
struct child_sa *sa_child_by_in(struct ike_sa *sa, uint32_t spi_in);
struct child_sa *sa_child_by_out(struct ike_sa *sa, uint32_t spi_out);
/* Remove c's installed SAs from the kernel, unlink and free it. */
void sa_child_free(struct ike_engine *e, struct ike_sa *sa,
		   struct child_sa *c);
/* Install pending_out of a half Child SA: it becomes INSTALLED. */
int sa_child_complete(struct ike_engine *e, struct ike_sa *sa,
		      struct child_sa *c);

/*
 * The kernel SA of one direction of c: its transform (c->sel), keys,
 * selectors (ours first), hard lifetime of life seconds, anti-replay as
 * the policy says.  -ENOTSUP for a transform the module lacks.
 */
int sa_child_kernel(const struct ike_sa *sa, const struct child_sa *c,
		    uint32_t life, uint8_t dir, const struct secbuf *ek,
		    const struct secbuf *ak, struct kernel_sa *ks);

/* A fresh, unused inbound ESP SPI (>= 256, host byte order). */
uint32_t sa_new_spi(struct ike_engine *e);

__attribute__((format(printf, 3, 4)))
void sa_event(struct ike_engine *e, const char *tunnel, const char *fmt, ...);
__attribute__((format(printf, 3, 4)))
void sa_log(struct ike_engine *e, int level, const char *fmt, ...);

/*
 * True, after logging why, when sa can carry no Child SA: a NAT between
 * the peers needs ESP in UDP (RFC 3948), which the module cannot do yet
 * (the backend says whether it can).
 */
bool sa_child_nat_refused(struct ike_engine *e, const struct ike_sa *sa);
/* A task of sa could not start: the log says which and why. */
void sa_start_failed(struct ike_engine *e, const struct ike_sa *sa, int err,
		     const char *what);
/* Send buf to sa's peer, from its local address and port; counted. */
int sa_send(struct ike_engine *e, const struct ike_sa *sa, const uint8_t *buf,
	    size_t len);
/*
 * Keep buf (a request, its Message ID at byte 20) as sa's request in
 * flight of task, to be resent from next_ms on; 0 or -ENOMEM.
 */
int sa_req_keep(struct ike_sa *sa, const uint8_t *buf, size_t len,
		uint8_t task, uint64_t next_ms);
/* The address of ss without its port, into buf; "?" if none. */
const char *sa_addr_str(const struct sockaddr_storage *ss, char *buf,
			size_t len);
/* Equal family and address; ports not compared. */
bool sa_addr_equal(const struct sockaddr_storage *a,
		   const struct sockaddr_storage *b);
/* ss holds the address a (port ignored). */
bool sa_addr_is(const struct sockaddr_storage *ss, const struct policy_addr *a);

#endif /* IKEHELPER_SA_H */
