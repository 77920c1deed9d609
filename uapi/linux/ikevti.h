/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * ikevti: a route-based IPsec tunnel device with its own ESP datapath.
 *
 * This header is the single source of truth for the user-space API:
 *   - the rtnetlink link kind "ikevti" and its IFLA_IKEVTI_* attributes;
 *   - the generic netlink family "ikevti".
 *
 * It is append-only: values are never renumbered or reused.
 *
 * Link
 * ----
 *
 *   ip link add NAME type ikevti local A remote B [dev UNDERLAY]
 *       [nexthop N] [fwmark M] [ttl N|inherit] [tos N|inherit]
 *       [replay-window N] [mode always-on|on-demand]
 *
 * IFLA_INFO_DATA of an ikevti link:
 *   IFLA_IKEVTI_LOCAL          4 or 16 bytes  source address of the outer
 *                                             header; absent: chosen by
 *                                             routing (NEC IX: no
 *                                             source-address)
 *   IFLA_IKEVTI_REMOTE         4 or 16 bytes  the peer; absent or all-zero
 *                                             for a peer whose address is
 *                                             learnt from its packets
 *   IFLA_IKEVTI_LINK           u32  ifindex of the outgoing interface (NEC
 *                                   IX outgoing-interface); 0: any
 *   IFLA_IKEVTI_NEXTHOP        4 or 16 bytes  a fixed next hop on LINK
 *                                   (required with it): packets go to it
 *                                   through LINK without a route lookup,
 *                                   from LOCAL or else LINK's address (NEC
 *                                   IX "outgoing-interface IF ADDR"); the
 *                                   all-zero address removes it.  LINK
 *                                   alone means: look the route up and
 *                                   require it to use LINK (NEC IX
 *                                   "outgoing-interface ... auto")
 *   IFLA_IKEVTI_FWMARK         u32  mark of the outer packets
 *   IFLA_IKEVTI_TTL            u8   outer TTL / hop limit; 0: inherit
 *   IFLA_IKEVTI_TOS            u8   outer DSCP (upper 6 bits);
 *                                   IKEVTI_TOS_INHERIT: copy the inner DSCP.
 *                                   ECN always follows RFC 6040.
 *   IFLA_IKEVTI_REPLAY_WINDOW  u32  default anti-replay window of the SAs
 *                                   added without one; 0 turns it off
 *   IFLA_IKEVTI_MODE           u8   IKEVTI_MODE_ALWAYS_ON (default): the
 *                                   carrier is down while no outbound SA
 *                                   exists, so routes through the tunnel
 *                                   are not used (NEC IX connect-type
 *                                   auto).  IKEVTI_MODE_ON_DEMAND: the
 *                                   carrier stays up, and a packet with no
 *                                   outbound SA is dropped and raises
 *                                   IKEVTI_CMD_EV_ACQUIRE (trigger mode).
 *
 * Both address attributes of one link must have the same family; the
 * underlay (sockets, routes, LINK) is the network namespace the link was
 * created in, even after the device moves to another one.  Inner traffic
 * may be IPv4 and IPv6 at once.
 *
 * Generic netlink family IKEVTI_GENL_NAME, version IKEVTI_GENL_VERSION
 * --------------------------------------------------------------------
 *
 * Every command requires CAP_NET_ADMIN over the network namespace of the
 * socket that sends it, and names a device in that namespace.  Attribute
 * policies are strict: unknown attributes and trailing data are rejected
 * with an extack message.  Keys are write-only: no reply carries them.
 *
 * IKEVTI_CMD_GET_VERSION
 *   Request:  (no attributes)
 *   Reply:
 *     IKEVTI_A_VERSION_MODULE  NLA_NUL_STRING  module version, "X.Y.Z"
 *     IKEVTI_A_VERSION_API     NLA_U32         IKEVTI_API_VERSION
 *
 * IKEVTI_CMD_SA_NEW     add an SA; fails with EEXIST for a known SPI of
 *                       the same direction on the device
 * IKEVTI_CMD_SA_SET     change lifetimes, selectors or the replay window
 *                       of an existing SA (keys and algorithms never change)
 *   Request:
 *     IKEVTI_A_IFINDEX | IKEVTI_A_IFNAME
 *     IKEVTI_A_SA                                   nest
 *       IKEVTI_SA_A_DIR            u8   IKEVTI_DIR_IN / IKEVTI_DIR_OUT
 *       IKEVTI_SA_A_SPI            u32  (network byte order), not 0..255
 *       IKEVTI_SA_A_ENC            u16  enum ikevti_enc
 *       IKEVTI_SA_A_ENC_KEY        binary: key, plus the 4-byte salt for
 *                                  AES-GCM and ChaCha20-Poly1305 (RFC
 *                                  4106 / 7634 layout)
 *       IKEVTI_SA_A_AUTH           u16  enum ikevti_auth; must be NONE with
 *                                  an AEAD, must not be NONE otherwise
 *       IKEVTI_SA_A_AUTH_KEY       binary
 *       IKEVTI_SA_A_FLAGS          u32  IKEVTI_SA_F_*
 *       IKEVTI_SA_A_REPLAY_WINDOW  u32  packets, 0..IKEVTI_REPLAY_WINDOW_MAX;
 *                                  absent: the link's default
 *       IKEVTI_SA_A_LIFETIME       nest  IKEVTI_LT_A_*, each u64, 0 = none
 *         SOFT_SECS HARD_SECS SOFT_BYTES HARD_BYTES SOFT_PACKETS HARD_PACKETS
 *                                  any value is valid: seconds count on the
 *                                  boot clock from the add, and a limit
 *                                  beyond any uptime simply never comes
 *       IKEVTI_SA_A_TS_LOCAL       nest of IKEVTI_TS_A_ENTRY nests
 *       IKEVTI_SA_A_TS_REMOTE      nest of IKEVTI_TS_A_ENTRY nests
 *         IKEVTI_TS_A_ENTRY        nest
 *           IKEVTI_TS_A_ADDR_START 4 or 16 bytes
 *           IKEVTI_TS_A_ADDR_END   same length as START
 *           IKEVTI_TS_A_PROTO      u8   0: any
 *           IKEVTI_TS_A_PORT_START u16  host byte order
 *           IKEVTI_TS_A_PORT_END   u16
 *         No list means "everything" on that side; a packet matches when
 *         its inner source is in a local entry and its destination in a
 *         remote one (outbound), or the other way round (inbound).
 *       IKEVTI_SA_A_ENCAP_SPORT    u16  UDP encapsulation (NAT-T) ports:
 *       IKEVTI_SA_A_ENCAP_DPORT    u16  reserved; refused with EOPNOTSUPP
 *                                  until the module encapsulates
 *       IKEVTI_SA_A_SEQ            u64  SA_NEW of an outbound SA only: the
 *                                  last sequence number sent, so the first
 *                                  packet carries SEQ + 1 (default 0); at
 *                                  most 2^32 - 1 without ESN.  When the
 *                                  numbers run out the SA expires hard
 *       IKEVTI_SA_A_ORIGIN         u8   IKEVTI_ORIGIN_*
 *       IKEVTI_SA_A_COOKIE         u32  opaque to the kernel; echoed in
 *                                  every event about the SA
 *   Reply: ACK
 *
 *   The newest outbound SA whose selectors match a packet protects it, so
 *   adding a new outbound SA switches traffic to it atomically; any number
 *   of inbound SAs can be live at once (make-before-break).
 *
 * IKEVTI_CMD_SA_DEL
 *   Request: IKEVTI_A_IFINDEX | IKEVTI_A_IFNAME,
 *            IKEVTI_A_SA { IKEVTI_SA_A_DIR, IKEVTI_SA_A_SPI }
 *
 * IKEVTI_CMD_SA_GET   doit: one SA (DIR + SPI); dumpit: every SA of the
 *                     device
 *   Reply: IKEVTI_A_IFINDEX, IKEVTI_A_SA with everything above except the
 *          keys, plus
 *       IKEVTI_SA_A_STATS          nest  IKEVTI_STATS_A_*, each u64
 *       IKEVTI_SA_A_CUR            nest  IKEVTI_CUR_A_*, each u64: ADD_TIME,
 *                                  USE_TIME (seconds, CLOCK_REALTIME),
 *                                  BYTES, PACKETS, SEQ (last sent / highest
 *                                  received), EXPIRED (0, 1 soft, 2 hard)
 *
 * IKEVTI_CMD_SA_FLUSH
 *   Request: IKEVTI_A_IFINDEX | IKEVTI_A_IFNAME [, IKEVTI_A_SA
 *            { IKEVTI_SA_A_ORIGIN }] (only the SAs of that origin)
 *
 * Events, multicast group IKEVTI_MCGRP_EVENTS (joining it takes
 * CAP_NET_ADMIN over the namespace), all carrying IKEVTI_A_IFINDEX:
 *
 * IKEVTI_CMD_EV_EXPIRE     IKEVTI_A_SA { DIR, SPI, COOKIE, CUR }
 *                          IKEVTI_A_EXPIRE_HARD flag for the hard limit
 *                          or an outbound SA out of sequence numbers;
 *                          after a hard expiry the SA is gone
 * IKEVTI_CMD_EV_ACQUIRE    traffic needs an outbound SA that does not
 *                          exist; at most one per device and second
 *                          IKEVTI_A_PKT_SRC, IKEVTI_A_PKT_DST  4 or 16 bytes
 *                          IKEVTI_A_PKT_PROTO u8,
 *                          IKEVTI_A_PKT_SPORT, IKEVTI_A_PKT_DPORT u16
 * IKEVTI_CMD_EV_SEQ_WRAP   an outbound SA used IKEVTI_SEQ_WRAP_WARN of
 *                          its sequence space: IKEVTI_A_SA { DIR, SPI,
 *                          COOKIE, CUR }; at the end it stops sending
 *
 * IKEVTI_CMD_DEV_GET      doit: one device; dumpit: every ikevti device
 *                          of the caller's namespace
 *   Reply: IKEVTI_A_IFINDEX, IKEVTI_A_IFNAME,
 *          IKEVTI_A_DEV_STATS  nest  IKEVTI_DEV_STATS_A_*, each u64
 *
 * A user-space client checks IKEVTI_A_VERSION_API first; it is raised
 * whenever a command or attribute is added, never when one changes
 * meaning (which it does not).
 */

#ifndef _UAPI_LINUX_IKEVTI_H
#define _UAPI_LINUX_IKEVTI_H

#define IKEVTI_LINK_KIND	"ikevti"

#define IKEVTI_GENL_NAME	"ikevti"
#define IKEVTI_GENL_VERSION	1
#define IKEVTI_MCGRP_EVENTS	"events"

/* Bumped whenever this header gains a command or an attribute. */
#define IKEVTI_API_VERSION	3

/* Largest anti-replay window, in packets. */
#define IKEVTI_REPLAY_WINDOW_MAX	1048576
/* The default window of a link created without one. */
#define IKEVTI_REPLAY_WINDOW_DEFAULT	1024
/* IFLA_IKEVTI_MODE */
enum ikevti_mode {
	IKEVTI_MODE_ALWAYS_ON,
	IKEVTI_MODE_ON_DEMAND
};

/* IFLA_IKEVTI_TOS value that copies the inner DSCP. */
#define IKEVTI_TOS_INHERIT		1
/* Fraction of the sequence space after which EV_SEQ_WRAP fires: 7/8. */
#define IKEVTI_SEQ_WRAP_WARN_SHIFT	3

enum ikevti_cmd {
	IKEVTI_CMD_UNSPEC,
	IKEVTI_CMD_GET_VERSION,
	IKEVTI_CMD_SA_NEW,
	IKEVTI_CMD_SA_SET,
	IKEVTI_CMD_SA_DEL,
	IKEVTI_CMD_SA_GET,
	IKEVTI_CMD_SA_FLUSH,
	IKEVTI_CMD_EV_EXPIRE,
	IKEVTI_CMD_EV_ACQUIRE,
	IKEVTI_CMD_EV_SEQ_WRAP,
	IKEVTI_CMD_DEV_GET,

	__IKEVTI_CMD_MAX
};

#define IKEVTI_CMD_MAX (__IKEVTI_CMD_MAX - 1)

enum ikevti_attr {
	IKEVTI_A_UNSPEC,
	IKEVTI_A_VERSION_MODULE,
	IKEVTI_A_VERSION_API,
	IKEVTI_A_IFINDEX,		/* u32 */
	IKEVTI_A_IFNAME,		/* string */
	IKEVTI_A_SA,			/* nest, IKEVTI_SA_A_* */
	IKEVTI_A_EXPIRE_HARD,		/* flag */
	IKEVTI_A_PKT_SRC,		/* 4 or 16 bytes */
	IKEVTI_A_PKT_DST,
	IKEVTI_A_PKT_PROTO,		/* u8 */
	IKEVTI_A_PKT_SPORT,		/* u16 */
	IKEVTI_A_PKT_DPORT,		/* u16 */
	IKEVTI_A_DEV_STATS,		/* nest, IKEVTI_DEV_STATS_A_* */
	IKEVTI_A_PAD,

	__IKEVTI_A_MAX
};

#define IKEVTI_A_MAX (__IKEVTI_A_MAX - 1)

enum ikevti_sa_attr {
	IKEVTI_SA_A_UNSPEC,
	IKEVTI_SA_A_DIR,
	IKEVTI_SA_A_SPI,
	IKEVTI_SA_A_ENC,
	IKEVTI_SA_A_ENC_KEY,
	IKEVTI_SA_A_AUTH,
	IKEVTI_SA_A_AUTH_KEY,
	IKEVTI_SA_A_FLAGS,
	IKEVTI_SA_A_REPLAY_WINDOW,
	IKEVTI_SA_A_LIFETIME,
	IKEVTI_SA_A_TS_LOCAL,
	IKEVTI_SA_A_TS_REMOTE,
	IKEVTI_SA_A_ENCAP_SPORT,
	IKEVTI_SA_A_ENCAP_DPORT,
	IKEVTI_SA_A_ORIGIN,
	IKEVTI_SA_A_COOKIE,
	IKEVTI_SA_A_STATS,		/* reply only */
	IKEVTI_SA_A_CUR,		/* reply only */
	IKEVTI_SA_A_PAD,
	IKEVTI_SA_A_SEQ,		/* u64, API 3 */

	__IKEVTI_SA_A_MAX
};

#define IKEVTI_SA_A_MAX (__IKEVTI_SA_A_MAX - 1)

enum ikevti_dir {
	IKEVTI_DIR_IN = 1,
	IKEVTI_DIR_OUT = 2
};

enum ikevti_origin {
	IKEVTI_ORIGIN_MANUAL = 1,
	IKEVTI_ORIGIN_NEGOTIATED = 2
};

/* Encryption transforms; the key length picks the AES variant. */
enum ikevti_enc {
	IKEVTI_ENC_UNSPEC,
	IKEVTI_ENC_NULL,		/* RFC 2410 */
	IKEVTI_ENC_DES_CBC,		/* needs IKEVTI_SA_F_LEGACY */
	IKEVTI_ENC_3DES_CBC,		/* 24-byte key */
	IKEVTI_ENC_AES_CBC,		/* 16, 24 or 32-byte key */
	IKEVTI_ENC_AES_GCM_16,		/* AEAD, 16/32 + 4 salt, RFC 4106 */
	IKEVTI_ENC_CHACHA20_POLY1305,	/* AEAD, 32 + 4 salt, RFC 7634 */

	__IKEVTI_ENC_MAX
};

#define IKEVTI_ENC_MAX (__IKEVTI_ENC_MAX - 1)

enum ikevti_auth {
	IKEVTI_AUTH_NONE,		/* only with an AEAD */
	IKEVTI_AUTH_HMAC_MD5_96,	/* RFC 2403, 16-byte key */
	IKEVTI_AUTH_HMAC_SHA1_96,	/* RFC 2404, 20-byte key */
	IKEVTI_AUTH_HMAC_SHA256_128,	/* RFC 4868, 32-byte key */
	IKEVTI_AUTH_HMAC_SHA384_192,	/* RFC 4868, 48-byte key */
	IKEVTI_AUTH_HMAC_SHA512_256,	/* RFC 4868, 64-byte key */

	__IKEVTI_AUTH_MAX
};

#define IKEVTI_AUTH_MAX (__IKEVTI_AUTH_MAX - 1)

/* IKEVTI_SA_A_FLAGS */
#define IKEVTI_SA_F_ESN		0x1	/* 64-bit sequence numbers */
#define IKEVTI_SA_F_LEGACY	0x2	/* allow single DES */

enum ikevti_lifetime_attr {
	IKEVTI_LT_A_UNSPEC,
	IKEVTI_LT_A_SOFT_SECS,
	IKEVTI_LT_A_HARD_SECS,
	IKEVTI_LT_A_SOFT_BYTES,
	IKEVTI_LT_A_HARD_BYTES,
	IKEVTI_LT_A_SOFT_PACKETS,
	IKEVTI_LT_A_HARD_PACKETS,
	IKEVTI_LT_A_PAD,

	__IKEVTI_LT_A_MAX
};

#define IKEVTI_LT_A_MAX (__IKEVTI_LT_A_MAX - 1)

enum ikevti_ts_list_attr {
	IKEVTI_TS_A_UNSPEC_LIST,
	IKEVTI_TS_A_ENTRY,

	__IKEVTI_TS_LIST_A_MAX
};

#define IKEVTI_TS_LIST_A_MAX (__IKEVTI_TS_LIST_A_MAX - 1)

enum ikevti_ts_attr {
	IKEVTI_TS_A_UNSPEC,
	IKEVTI_TS_A_ADDR_START,
	IKEVTI_TS_A_ADDR_END,
	IKEVTI_TS_A_PROTO,
	IKEVTI_TS_A_PORT_START,
	IKEVTI_TS_A_PORT_END,

	__IKEVTI_TS_A_MAX
};

#define IKEVTI_TS_A_MAX (__IKEVTI_TS_A_MAX - 1)

/* Most selector entries per side of one SA. */
#define IKEVTI_TS_MAX		16

/*
 * Per-SA counters, in the terms of NEC IX "show ikev2 child-sa".  The
 * outbound ones count for an outbound SA, the inbound ones for an inbound.
 */
enum ikevti_stats_attr {
	IKEVTI_STATS_A_UNSPEC,
	IKEVTI_STATS_A_PACKETS,
	IKEVTI_STATS_A_OCTETS,
	IKEVTI_STATS_A_INVALID_SA,
	IKEVTI_STATS_A_REPLAY,
	IKEVTI_STATS_A_INTEGRITY_FAILED,
	IKEVTI_STATS_A_CIPHER_FAILED,
	IKEVTI_STATS_A_TRUNCATED,
	IKEVTI_STATS_A_INVALID_PADDING,
	IKEVTI_STATS_A_UNKNOWN_PROTO,
	IKEVTI_STATS_A_NOMEM,
	IKEVTI_STATS_A_TS_UNACCEPTABLE,
	IKEVTI_STATS_A_MISC,
	IKEVTI_STATS_A_PAD,
	IKEVTI_STATS_A_CRYPTO_BUSY,	/* the cipher's queue was full; API 3 */

	__IKEVTI_STATS_A_MAX
};

#define IKEVTI_STATS_A_MAX (__IKEVTI_STATS_A_MAX - 1)

enum ikevti_cur_attr {
	IKEVTI_CUR_A_UNSPEC,
	IKEVTI_CUR_A_ADD_TIME,
	IKEVTI_CUR_A_USE_TIME,
	IKEVTI_CUR_A_BYTES,
	IKEVTI_CUR_A_PACKETS,
	IKEVTI_CUR_A_SEQ,
	IKEVTI_CUR_A_EXPIRED,
	IKEVTI_CUR_A_PAD,

	__IKEVTI_CUR_A_MAX
};

#define IKEVTI_CUR_A_MAX (__IKEVTI_CUR_A_MAX - 1)

/* Link attributes, nested in IFLA_INFO_DATA. */
enum {
	IFLA_IKEVTI_UNSPEC,
	IFLA_IKEVTI_LOCAL,
	IFLA_IKEVTI_REMOTE,
	IFLA_IKEVTI_LINK,
	IFLA_IKEVTI_NEXTHOP,
	IFLA_IKEVTI_FWMARK,
	IFLA_IKEVTI_TTL,
	IFLA_IKEVTI_TOS,
	IFLA_IKEVTI_REPLAY_WINDOW,
	IFLA_IKEVTI_MODE,

	__IFLA_IKEVTI_MAX
};

#define IFLA_IKEVTI_MAX (__IFLA_IKEVTI_MAX - 1)

/*
 * Per-device counters (IKEVTI_CMD_DEV_GET), in the terms of Cisco "show
 * crypto ipsec sa" (#pkts encaps/encrypt/digest, decaps/decrypt/verify,
 * send/recv errors), plus one counter per reason a packet was dropped.
 */
enum ikevti_dev_stats_attr {
	IKEVTI_DEV_STATS_A_UNSPEC,
	IKEVTI_DEV_STATS_A_ENCAPS,
	IKEVTI_DEV_STATS_A_ENCRYPT,
	IKEVTI_DEV_STATS_A_DIGEST,
	IKEVTI_DEV_STATS_A_DECAPS,
	IKEVTI_DEV_STATS_A_DECRYPT,
	IKEVTI_DEV_STATS_A_VERIFY,
	IKEVTI_DEV_STATS_A_SEND_ERRORS,
	IKEVTI_DEV_STATS_A_RECV_ERRORS,
	IKEVTI_DEV_STATS_A_NO_SA_OUT,		/* no outbound SA (ACQUIRE) */
	IKEVTI_DEV_STATS_A_TS_OUT,		/* outside every SA's selectors */
	IKEVTI_DEV_STATS_A_NO_ROUTE,		/* underlay unreachable */
	IKEVTI_DEV_STATS_A_SEQ_EXHAUSTED,	/* outbound SA out of numbers */
	IKEVTI_DEV_STATS_A_INVALID_SA,		/* ESP to the tunnel, SPI unknown */
	IKEVTI_DEV_STATS_A_PAD,

	__IKEVTI_DEV_STATS_A_MAX
};

#define IKEVTI_DEV_STATS_A_MAX (__IKEVTI_DEV_STATS_A_MAX - 1)

#endif /* _UAPI_LINUX_IKEVTI_H */
