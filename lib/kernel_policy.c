// SPDX-License-Identifier: GPL-2.0
/*
 * What the ikevti module's replies and events must look like, attribute by
 * attribute (kernel_parse_msg() and the nests of kernel_reply.c check
 * them), and where each u64 attribute of a nest lives in our structs.
 */
#include <stddef.h>

#include "kernel_priv.h"

/* Reply policies: every fixed-size attribute has its exact length. */
#define KERNEL_POL_U8	{ .type = NLA_U8, .minlen = 1, .maxlen = 1 }
#define KERNEL_POL_U16	{ .type = NLA_U16, .minlen = 2, .maxlen = 2 }
#define KERNEL_POL_U32	{ .type = NLA_U32, .minlen = 4, .maxlen = 4 }
#define KERNEL_POL_U64	{ .type = NLA_U64, .minlen = 8, .maxlen = 8 }
#define KERNEL_POL_ADDR	{ .type = NLA_UNSPEC, .minlen = 4, .maxlen = 16 }
#define KERNEL_POL_NEST	{ .type = NLA_NESTED }

/* IKEVTI_CMD_GET_VERSION */
const struct nla_policy kernel_version_policy[IKEVTI_A_MAX + 1] = {
	[IKEVTI_A_VERSION_MODULE] = { .type = NLA_STRING, .minlen = 2,
				      .maxlen = KERNEL_VERSION_MAX },
	[IKEVTI_A_VERSION_API] = { .type = NLA_U32, .minlen = sizeof(uint32_t),
				   .maxlen = sizeof(uint32_t) },
};

/* The top level of SA, device and event messages. */
const struct nla_policy kernel_policy[IKEVTI_A_MAX + 1] = {
	[IKEVTI_A_IFINDEX] = KERNEL_POL_U32,
	[IKEVTI_A_IFNAME] = { .type = NLA_STRING, .minlen = 2,
			      .maxlen = KERNEL_IFNAMSIZ },
	[IKEVTI_A_SA] = KERNEL_POL_NEST,
	[IKEVTI_A_EXPIRE_HARD] = { .type = NLA_FLAG },
	[IKEVTI_A_PKT_SRC] = KERNEL_POL_ADDR,
	[IKEVTI_A_PKT_DST] = KERNEL_POL_ADDR,
	[IKEVTI_A_PKT_PROTO] = KERNEL_POL_U8,
	[IKEVTI_A_PKT_SPORT] = KERNEL_POL_U16,
	[IKEVTI_A_PKT_DPORT] = KERNEL_POL_U16,
	[IKEVTI_A_DEV_STATS] = KERNEL_POL_NEST,
};

/* Keys are write-only: if a reply carried one, it would not be read. */
const struct nla_policy kernel_sa_policy[IKEVTI_SA_A_MAX + 1] = {
	[IKEVTI_SA_A_DIR] = KERNEL_POL_U8,
	[IKEVTI_SA_A_SPI] = KERNEL_POL_U32,
	[IKEVTI_SA_A_ENC] = KERNEL_POL_U16,
	[IKEVTI_SA_A_AUTH] = KERNEL_POL_U16,
	[IKEVTI_SA_A_FLAGS] = KERNEL_POL_U32,
	[IKEVTI_SA_A_REPLAY_WINDOW] = KERNEL_POL_U32,
	[IKEVTI_SA_A_LIFETIME] = KERNEL_POL_NEST,
	[IKEVTI_SA_A_TS_LOCAL] = KERNEL_POL_NEST,
	[IKEVTI_SA_A_TS_REMOTE] = KERNEL_POL_NEST,
	[IKEVTI_SA_A_ORIGIN] = KERNEL_POL_U8,
	[IKEVTI_SA_A_COOKIE] = KERNEL_POL_U32,
	[IKEVTI_SA_A_STATS] = KERNEL_POL_NEST,
	[IKEVTI_SA_A_CUR] = KERNEL_POL_NEST,
};

const struct nla_policy kernel_ts_policy[IKEVTI_TS_A_MAX + 1] = {
	[IKEVTI_TS_A_ADDR_START] = KERNEL_POL_ADDR,
	[IKEVTI_TS_A_ADDR_END] = KERNEL_POL_ADDR,
	[IKEVTI_TS_A_PROTO] = KERNEL_POL_U8,
	[IKEVTI_TS_A_PORT_START] = KERNEL_POL_U16,
	[IKEVTI_TS_A_PORT_END] = KERNEL_POL_U16,
};

const struct nla_policy kernel_lt_policy[IKEVTI_LT_A_MAX + 1] = {
	[IKEVTI_LT_A_SOFT_SECS] = KERNEL_POL_U64,
	[IKEVTI_LT_A_HARD_SECS] = KERNEL_POL_U64,
	[IKEVTI_LT_A_SOFT_BYTES] = KERNEL_POL_U64,
	[IKEVTI_LT_A_HARD_BYTES] = KERNEL_POL_U64,
	[IKEVTI_LT_A_SOFT_PACKETS] = KERNEL_POL_U64,
	[IKEVTI_LT_A_HARD_PACKETS] = KERNEL_POL_U64,
};

const struct nla_policy kernel_stats_policy[IKEVTI_STATS_A_MAX + 1] = {
	[IKEVTI_STATS_A_PACKETS] = KERNEL_POL_U64,
	[IKEVTI_STATS_A_OCTETS] = KERNEL_POL_U64,
	[IKEVTI_STATS_A_INVALID_SA] = KERNEL_POL_U64,
	[IKEVTI_STATS_A_REPLAY] = KERNEL_POL_U64,
	[IKEVTI_STATS_A_INTEGRITY_FAILED] = KERNEL_POL_U64,
	[IKEVTI_STATS_A_CIPHER_FAILED] = KERNEL_POL_U64,
	[IKEVTI_STATS_A_TRUNCATED] = KERNEL_POL_U64,
	[IKEVTI_STATS_A_INVALID_PADDING] = KERNEL_POL_U64,
	[IKEVTI_STATS_A_UNKNOWN_PROTO] = KERNEL_POL_U64,
	[IKEVTI_STATS_A_NOMEM] = KERNEL_POL_U64,
	[IKEVTI_STATS_A_TS_UNACCEPTABLE] = KERNEL_POL_U64,
	[IKEVTI_STATS_A_MISC] = KERNEL_POL_U64,
	[IKEVTI_STATS_A_CRYPTO_BUSY] = KERNEL_POL_U64,
};

const struct nla_policy kernel_cur_policy[IKEVTI_CUR_A_MAX + 1] = {
	[IKEVTI_CUR_A_ADD_TIME] = KERNEL_POL_U64,
	[IKEVTI_CUR_A_USE_TIME] = KERNEL_POL_U64,
	[IKEVTI_CUR_A_BYTES] = KERNEL_POL_U64,
	[IKEVTI_CUR_A_PACKETS] = KERNEL_POL_U64,
	[IKEVTI_CUR_A_SEQ] = KERNEL_POL_U64,
	[IKEVTI_CUR_A_EXPIRED] = KERNEL_POL_U64,
};

const struct nla_policy
kernel_dev_stats_policy[IKEVTI_DEV_STATS_A_MAX + 1] = {
	[IKEVTI_DEV_STATS_A_ENCAPS] = KERNEL_POL_U64,
	[IKEVTI_DEV_STATS_A_ENCRYPT] = KERNEL_POL_U64,
	[IKEVTI_DEV_STATS_A_DIGEST] = KERNEL_POL_U64,
	[IKEVTI_DEV_STATS_A_DECAPS] = KERNEL_POL_U64,
	[IKEVTI_DEV_STATS_A_DECRYPT] = KERNEL_POL_U64,
	[IKEVTI_DEV_STATS_A_VERIFY] = KERNEL_POL_U64,
	[IKEVTI_DEV_STATS_A_SEND_ERRORS] = KERNEL_POL_U64,
	[IKEVTI_DEV_STATS_A_RECV_ERRORS] = KERNEL_POL_U64,
	[IKEVTI_DEV_STATS_A_NO_SA_OUT] = KERNEL_POL_U64,
	[IKEVTI_DEV_STATS_A_TS_OUT] = KERNEL_POL_U64,
	[IKEVTI_DEV_STATS_A_NO_ROUTE] = KERNEL_POL_U64,
	[IKEVTI_DEV_STATS_A_SEQ_EXHAUSTED] = KERNEL_POL_U64,
	[IKEVTI_DEV_STATS_A_INVALID_SA] = KERNEL_POL_U64,
};

#define KERNEL_U64(attr, type, field)	{ attr, offsetof(type, field) }
#define KERNEL_NFIELDS(a)		(sizeof(a) / sizeof((a)[0]))

const struct kernel_u64_field kernel_lt_fields[] = {
	KERNEL_U64(IKEVTI_LT_A_SOFT_SECS, struct kernel_lifetime, soft_secs),
	KERNEL_U64(IKEVTI_LT_A_HARD_SECS, struct kernel_lifetime, hard_secs),
	KERNEL_U64(IKEVTI_LT_A_SOFT_BYTES, struct kernel_lifetime, soft_bytes),
	KERNEL_U64(IKEVTI_LT_A_HARD_BYTES, struct kernel_lifetime, hard_bytes),
	KERNEL_U64(IKEVTI_LT_A_SOFT_PACKETS, struct kernel_lifetime,
		   soft_packets),
	KERNEL_U64(IKEVTI_LT_A_HARD_PACKETS, struct kernel_lifetime,
		   hard_packets),
};
const size_t kernel_lt_nfields = KERNEL_NFIELDS(kernel_lt_fields);

const struct kernel_u64_field kernel_stats_fields[] = {
	KERNEL_U64(IKEVTI_STATS_A_PACKETS, struct kernel_sa_stats, packets),
	KERNEL_U64(IKEVTI_STATS_A_OCTETS, struct kernel_sa_stats, octets),
	KERNEL_U64(IKEVTI_STATS_A_INVALID_SA, struct kernel_sa_stats,
		   invalid_sa),
	KERNEL_U64(IKEVTI_STATS_A_REPLAY, struct kernel_sa_stats, replay),
	KERNEL_U64(IKEVTI_STATS_A_INTEGRITY_FAILED, struct kernel_sa_stats,
		   integrity_failed),
	KERNEL_U64(IKEVTI_STATS_A_CIPHER_FAILED, struct kernel_sa_stats,
		   cipher_failed),
	KERNEL_U64(IKEVTI_STATS_A_TRUNCATED, struct kernel_sa_stats,
		   truncated),
	KERNEL_U64(IKEVTI_STATS_A_INVALID_PADDING, struct kernel_sa_stats,
		   invalid_padding),
	KERNEL_U64(IKEVTI_STATS_A_UNKNOWN_PROTO, struct kernel_sa_stats,
		   unknown_proto),
	KERNEL_U64(IKEVTI_STATS_A_NOMEM, struct kernel_sa_stats, nomem),
	KERNEL_U64(IKEVTI_STATS_A_TS_UNACCEPTABLE, struct kernel_sa_stats,
		   ts_unacceptable),
	KERNEL_U64(IKEVTI_STATS_A_MISC, struct kernel_sa_stats, misc),
	KERNEL_U64(IKEVTI_STATS_A_CRYPTO_BUSY, struct kernel_sa_stats,
		   crypto_busy),
};
const size_t kernel_stats_nfields = KERNEL_NFIELDS(kernel_stats_fields);

const struct kernel_u64_field kernel_cur_fields[] = {
	KERNEL_U64(IKEVTI_CUR_A_ADD_TIME, struct kernel_sa_cur, add_time),
	KERNEL_U64(IKEVTI_CUR_A_USE_TIME, struct kernel_sa_cur, use_time),
	KERNEL_U64(IKEVTI_CUR_A_BYTES, struct kernel_sa_cur, bytes),
	KERNEL_U64(IKEVTI_CUR_A_PACKETS, struct kernel_sa_cur, packets),
	KERNEL_U64(IKEVTI_CUR_A_SEQ, struct kernel_sa_cur, seq),
	KERNEL_U64(IKEVTI_CUR_A_EXPIRED, struct kernel_sa_cur, expired),
};
const size_t kernel_cur_nfields = KERNEL_NFIELDS(kernel_cur_fields);

const struct kernel_u64_field kernel_dev_fields[] = {
	KERNEL_U64(IKEVTI_DEV_STATS_A_ENCAPS, struct kernel_dev_stats, encaps),
	KERNEL_U64(IKEVTI_DEV_STATS_A_ENCRYPT, struct kernel_dev_stats,
		   encrypt),
	KERNEL_U64(IKEVTI_DEV_STATS_A_DIGEST, struct kernel_dev_stats, digest),
	KERNEL_U64(IKEVTI_DEV_STATS_A_DECAPS, struct kernel_dev_stats, decaps),
	KERNEL_U64(IKEVTI_DEV_STATS_A_DECRYPT, struct kernel_dev_stats,
		   decrypt),
	KERNEL_U64(IKEVTI_DEV_STATS_A_VERIFY, struct kernel_dev_stats, verify),
	KERNEL_U64(IKEVTI_DEV_STATS_A_SEND_ERRORS, struct kernel_dev_stats,
		   send_errors),
	KERNEL_U64(IKEVTI_DEV_STATS_A_RECV_ERRORS, struct kernel_dev_stats,
		   recv_errors),
	KERNEL_U64(IKEVTI_DEV_STATS_A_NO_SA_OUT, struct kernel_dev_stats,
		   no_sa_out),
	KERNEL_U64(IKEVTI_DEV_STATS_A_TS_OUT, struct kernel_dev_stats, ts_out),
	KERNEL_U64(IKEVTI_DEV_STATS_A_NO_ROUTE, struct kernel_dev_stats,
		   no_route),
	KERNEL_U64(IKEVTI_DEV_STATS_A_SEQ_EXHAUSTED, struct kernel_dev_stats,
		   seq_exhausted),
	KERNEL_U64(IKEVTI_DEV_STATS_A_INVALID_SA, struct kernel_dev_stats,
		   invalid_sa),
};
const size_t kernel_dev_nfields = KERNEL_NFIELDS(kernel_dev_fields);
