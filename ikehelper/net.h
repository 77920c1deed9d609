/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The IKE sockets: non-blocking UDP on port 500 (plain IKE) and 4500
 * (NAT-T), IPv4 and IPv6, each bound to a wildcard or a given address.
 *
 * Every socket asks for IP_PKTINFO / IPV6_RECVPKTINFO, so a datagram
 * received on a wildcard socket tells which local address it was sent
 * to, and the answer leaves from that address.
 *
 * On the NAT-T port, IKE messages start with the 4-byte non-ESP marker
 * (RFC 3948, 2.2): net_recv() strips it and net_send() adds it.  A
 * one-byte 0xff datagram is a NAT-T keepalive and is dropped, as is
 * anything else that does not carry the marker (ESP in UDP is the
 * kernel's business, not ours).
 */
#ifndef IKEHELPER_NET_H
#define IKEHELPER_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#define NET_PORT		500
#define NET_NATT_PORT		4500
#define NET_LISTEN_MAX		4	/* --listen given this often at most */
#define NET_SOCKS_MAX		(2 * NET_LISTEN_MAX + 4)
#define NET_NON_ESP_MARKER	4
#define NET_DGRAM_MAX		65535

struct net_opts {
	/* Addresses to bind; none: the IPv4 and the IPv6 wildcard. */
	const char *listen[NET_LISTEN_MAX];
	unsigned int n_listen;
	uint16_t port;			/* 0: NET_PORT */
	uint16_t natt_port;		/* 0: NET_NATT_PORT */
};

struct net_sock {
	int fd;
	bool natt;
	struct sockaddr_storage bound;	/* address and port */
};

struct net {
	struct net_sock s[NET_SOCKS_MAX];
	unsigned int n;
};

/*
 * Parse "--listen ADDR" into o (at most NET_LISTEN_MAX); 0 or -EINVAL,
 * -E2BIG with a message in err.
 */
int net_opts_add_listen(struct net_opts *o, const char *addr, char *err,
			size_t errlen);

/*
 * Open and bind every socket.  Without --listen the IPv6 wildcard is
 * skipped (with a note in err, return 0) when the host has no IPv6.
 * On failure returns a negative errno, closes what it opened and writes
 * a message to err.
 */
int net_open(struct net *n, const struct net_opts *o, char *err,
	     size_t errlen);
void net_close(struct net *n);

/*
 * Read one datagram from s.  Returns its IKE length (the marker
 * stripped), 0 for a datagram that is not IKE (keepalive, ESP, too
 * short: drop it silently), or -EAGAIN when there is none.  local gets
 * the address it was sent to, with the socket's port.
 */
ssize_t net_recv(const struct net_sock *s, uint8_t *buf, size_t len,
		 struct sockaddr_storage *local,
		 struct sockaddr_storage *remote);

/*
 * Send buf from local (the address only; AF_UNSPEC: let routing choose)
 * to remote, through the NAT-T socket with the marker when natt.
 * 0 or a negative errno (-EAFNOSUPPORT when no socket fits).
 */
int net_send(const struct net *n, const struct sockaddr_storage *local,
	     const struct sockaddr_storage *remote, bool natt,
	     const uint8_t *buf, size_t len);

/*
 * The source address routing picks towards remote (port 0), learnt from
 * a connected UDP socket; nothing is sent.  0 or a negative errno.
 */
int net_local_addr(const struct sockaddr_storage *remote,
		   struct sockaddr_storage *local);

/* "192.0.2.1:500", "[2001:db8::1]:4500"; buf of at least NET_ADDRSTRLEN. */
#define NET_ADDRSTRLEN	56
const char *net_addr_str(const struct sockaddr_storage *ss, char *buf,
			 size_t len);

/* Equal family and address; ports not compared. */
bool net_addr_equal(const struct sockaddr_storage *a,
		    const struct sockaddr_storage *b);

#endif /* IKEHELPER_NET_H */
