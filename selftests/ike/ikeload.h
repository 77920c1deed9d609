/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ikeload's parts: the driver (ikeload.c: options, sockets, the event
 * loop, the measurement window, the output), one handshake engine per IKE
 * version behind struct load_ops (ikeload_v2.c, ikeload_v1.c), and the
 * DH-only ceiling (ikeload_dh.c).
 *
 * An engine keeps o.nslots slots, slot i always sending from socket
 * i % o.nsock; the driver starts a handshake in free slots while fewer
 * than o.inflight are active, hands the engine every datagram that
 * arrives, and calls its timers.  Engines count into cnt; the driver
 * reports the counts of the measurement window and of the whole run.
 * IKEv2 has a slot per handshake in flight.  IKEv1 has a slot per peer,
 * each with its own socket and address (o.addr_per_sock), and more peers
 * than handshakes in flight: a peer that is done waits --linger before
 * its DELETEs (ikeload_v1.c says why), and counts as busy, not active.
 */
#ifndef IKELOAD_H
#define IKELOAD_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MAX_SOCKETS	256
#define MAX_INFLIGHT	4096

struct counters {
	uint64_t started, completed, failed, timeouts, auth_failed;
	uint64_t no_child, refused, retransmits, cookies, deleted;
	uint64_t bad_msgs, natt;
};

struct opts {
	struct sockaddr_in target;
	struct sockaddr_in bind;
	unsigned int version;		/* 2, or 1 with --ikev1 */
	unsigned int group;
	bool gcm;
	unsigned int inflight;		/* active handshakes */
	unsigned int nslots;
	unsigned int linger_ms;		/* IKEv1: QM3 to DELETE */
	unsigned int nsock;
	bool addr_per_sock;		/* socket i from bind + i */
	double warmup_s, seconds;
	uint64_t count;			/* 0: run for the time */
	bool del;
	const char *psk;
	const char *id, *peer_id;
	unsigned int rto_ms, tries;
	int watch_pid;
	bool dh_only;
};

extern struct opts o;
extern struct counters cnt;
/* Per socket: to the responder's port 500 and its port 4500; our end. */
extern int socks[MAX_SOCKETS], socks_natt[MAX_SOCKETS];
extern struct sockaddr_in sock_addr[MAX_SOCKETS];

uint64_t now_ms(void);
double now_s(void);
void die(const char *what) __attribute__((noreturn));

/* Send buf from socket sock, to port 4500 with the non-ESP marker if natt. */
void load_send(unsigned int sock, bool natt, const uint8_t *buf, size_t len);

struct load_ops {
	void (*setup)(void);		/* after the sockets are made */
	void (*start)(unsigned int slot);
	bool (*busy)(unsigned int slot);
	unsigned int (*active)(void);	/* handshakes under way */
	void (*input)(const uint8_t *buf, size_t len);
	void (*timers)(uint64_t now_ms);
	void (*cleanup)(void);
};

extern const struct load_ops load_v2, load_v1;

/* --dh-only: a responder's DH work alone on this core, per second. */
int dh_only(void);

#endif /* IKELOAD_H */
