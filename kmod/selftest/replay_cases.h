/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Cases for the anti-replay window, and the code that runs one.  Included
 * by replay.c under IKEVTI_SELFTEST, for ikevti_replay_selftest() at module
 * load, and by selftests/unit/test_replay.c, which builds replay.c for user
 * space and reports each case as a TAP line.
 *
 * A case is a window size, whether it uses ESN, and operations on a fresh
 * window, each with the result it must give:
 *
 *	R_CHK(seq, err)	ikevti_replay_check(seq)
 *	R_ADV(seq, err)	ikevti_replay_advance(seq)
 *	R_RCV(lo, err)	the receive path of a packet carrying lo: infer,
 *			check, advance (as if the ICV verified)
 *	R_INF(lo, seq)	ikevti_replay_infer_seq(lo) gives seq
 *	R_TOP(seq)	ikevti_replay_top() gives seq
 *	R_RUN(n, depth)	n packets numbered from top + 1 on, shuffled by a
 *			reorder buffer of depth packets (1: in order), with
 *			a replay of a recent number after about one in
 *			eight; each result is compared with a model (below)
 */
#ifndef _IKEVTI_SELFTEST_REPLAY_CASES_H
#define _IKEVTI_SELFTEST_REPLAY_CASES_H

enum replay_op_type {
	REPLAY_OP_END,
	REPLAY_OP_CHECK,
	REPLAY_OP_ADVANCE,
	REPLAY_OP_RECV,
	REPLAY_OP_INFER,
	REPLAY_OP_TOP,
	REPLAY_OP_RUN,
};

struct replay_op {
	enum replay_op_type type;
	int err;		/* CHECK, ADVANCE, RECV */
	u64 seq;		/* the number, its low half, or RUN's count */
	u64 want;		/* INFER, TOP; RUN: the reorder depth */
};

struct replay_case {
	const char *name;
	u32 window;
	bool esn;
	const struct replay_op *ops;
};

#define R_CHK(s, e)  { .type = REPLAY_OP_CHECK, .seq = (s), .err = (e) }
#define R_ADV(s, e)  { .type = REPLAY_OP_ADVANCE, .seq = (s), .err = (e) }
#define R_RCV(lo, e) { .type = REPLAY_OP_RECV, .seq = (lo), .err = (e) }
#define R_INF(lo, s) { .type = REPLAY_OP_INFER, .seq = (lo), .want = (s) }
#define R_TOP(s)     { .type = REPLAY_OP_TOP, .want = (s) }
#define R_RUN(n, d)  { .type = REPLAY_OP_RUN, .seq = (n), .want = (d) }
#define R_END        { .type = REPLAY_OP_END }

#define REPLAY_RUN_DEPTH_MAX	32

static const struct replay_op replay_ops_in_order[] __initconst = {
	R_ADV(1, 0), R_ADV(2, 0), R_ADV(3, 0), R_TOP(3),
	R_CHK(4, 0), R_CHK(3, -EALREADY), R_ADV(3, -EALREADY),
	R_CHK(1, -EALREADY), R_ADV(4, 0), R_ADV(5, 0), R_TOP(5),
	R_RCV(6, 0), R_RCV(6, -EALREADY), R_TOP(6),
	R_END
};

static const struct replay_op replay_ops_edge[] __initconst = {
	R_ADV(1000, 0),
	/* The window is (1000 - 64, 1000]. */
	R_CHK(936, -ERANGE), R_ADV(936, -ERANGE),
	R_CHK(937, 0), R_ADV(937, 0), R_CHK(937, -EALREADY),
	R_ADV(937, -EALREADY), R_CHK(999, 0), R_CHK(1000, -EALREADY),
	R_ADV(1001, 0),
	R_CHK(937, -ERANGE), R_CHK(938, 0), R_CHK(1000, -EALREADY),
	R_CHK(1001, -EALREADY), R_TOP(1001),
	R_END
};

/* Not a power of two: the ring has 128 bits but the window stays 100. */
static const struct replay_op replay_ops_window_100[] __initconst = {
	R_ADV(1000, 0),
	R_CHK(900, -ERANGE), R_CHK(901, 0), R_ADV(901, 0),
	/* 1029 shares its bit with 901, which leaves the window. */
	R_ADV(1029, 0),
	R_CHK(901, -ERANGE), R_CHK(929, -ERANGE), R_CHK(930, 0),
	R_CHK(1000, -EALREADY), R_CHK(1029, -EALREADY), R_CHK(1028, 0),
	/* A gap of 127 (all but one bit of the ring), then of 128. */
	R_ADV(1157, 0),
	R_CHK(1057, -ERANGE), R_CHK(1058, 0), R_CHK(1157, -EALREADY),
	R_CHK(1156, 0), R_ADV(1286, 0),
	R_CHK(1186, -ERANGE), R_CHK(1187, 0), R_ADV(1187, 0),
	R_ADV(1187, -EALREADY), R_CHK(1157, -ERANGE),
	R_END
};

/* Marks left in the ring by numbers that slid out must not come back. */
static const struct replay_op replay_ops_ring_reuse[] __initconst = {
	R_RUN(64, 1), R_TOP(64),
	R_ADV(100, 0),
	R_CHK(36, -ERANGE), R_CHK(37, -EALREADY), R_CHK(64, -EALREADY),
	R_CHK(65, 0), R_CHK(99, 0), R_CHK(100, -EALREADY),
	R_ADV(65, 0), R_ADV(65, -EALREADY),
	/* Gaps of 63 (mask), then 64 (the whole ring). */
	R_ADV(164, 0),
	R_CHK(100, -ERANGE), R_CHK(101, 0), R_CHK(164, -EALREADY),
	/* The clearing wrapped around the end of the ring: 64 and 65. */
	R_CHK(128, 0), R_CHK(129, 0),
	R_ADV(228, 0), R_CHK(164, -ERANGE), R_CHK(165, 0),
	R_CHK(228, -EALREADY),
	R_ADV(293, 0),
	R_CHK(228, -ERANGE), R_CHK(229, -ERANGE), R_CHK(230, 0),
	R_CHK(293, -EALREADY), R_CHK(292, 0),
	R_END
};

static const struct replay_op replay_ops_jump[] __initconst = {
	R_ADV(1, 0), R_ADV(2, 0), R_ADV(4000000000ULL, 0),
	R_CHK(2, -ERANGE), R_CHK(3999999936ULL, -ERANGE),
	R_CHK(3999999937ULL, 0), R_ADV(3999999999ULL, 0),
	R_ADV(3999999999ULL, -EALREADY), R_TOP(4000000000ULL),
	R_ADV(0xffffffff, 0), R_INF(5, 5), R_RCV(5, -ERANGE),
	R_TOP(0xffffffff),
	R_END
};

static const struct replay_op replay_ops_jump_esn[] __initconst = {
	R_ADV(5, 0), R_ADV(0x300000010ULL, 0), R_TOP(0x300000010ULL),
	R_CHK(5, -ERANGE),
	R_CHK(0x2ffffffd1ULL, 0), R_CHK(0x2ffffffd0ULL, -ERANGE),
	R_INF(0x10, 0x300000010ULL), R_RCV(0x10, -EALREADY),
	R_INF(0x11, 0x300000011ULL),
	R_INF(0xffffffd1, 0x2ffffffd1ULL),
	R_RCV(0xffffffd1, 0), R_RCV(0xffffffd1, -EALREADY),
	R_INF(0xffffffd0, 0x3ffffffd0ULL),
	R_END
};

static const struct replay_op replay_ops_seq0[] __initconst = {
	R_CHK(0, -EBADMSG), R_ADV(0, -EBADMSG), R_TOP(0),
	R_INF(0, 0), R_RCV(0, -EBADMSG),
	R_CHK(1, 0), R_ADV(1, 0), R_CHK(0, -EBADMSG), R_ADV(0, -EBADMSG),
	R_TOP(1),
	R_END
};

static const struct replay_op replay_ops_seq0_esn[] __initconst = {
	R_TOP(0), R_INF(0, 0), R_RCV(0, -EBADMSG),
	/* Case B with Th = 0: the block before the first one. */
	R_INF(0xffffffc1, 0), R_RCV(0xffffffc1, -EBADMSG),
	R_INF(0xffffffff, 0),
	R_INF(0xffffffc0, 0xffffffc0), R_INF(1, 1), R_RCV(1, 0),
	/* Low half 0 is fine in any block but the first. */
	R_ADV(0x100000005ULL, 0),
	R_INF(0, 0x100000000ULL), R_RCV(0, 0), R_CHK(0, -EBADMSG),
	R_TOP(0x100000005ULL),
	R_END
};

static const struct replay_op replay_ops_window_0[] __initconst = {
	R_ADV(5, 0), R_ADV(5, 0), R_ADV(3, 0), R_CHK(3, 0), R_CHK(1, 0),
	R_TOP(5), R_CHK(0, -EBADMSG), R_ADV(0, -EBADMSG),
	R_ADV(0xffffffff, 0), R_CHK(1, 0), R_RCV(2, 0), R_TOP(0xffffffff),
	R_END
};

/* ESN inference still works, as with a window of 1. */
static const struct replay_op replay_ops_window_0_esn[] __initconst = {
	R_ADV(10, 0),
	R_INF(11, 11), R_INF(10, 10), R_RCV(10, 0), R_INF(9, 0x100000009ULL),
	R_ADV(0xfffffff0, 0),
	R_INF(5, 0x100000005ULL), R_RCV(5, 0), R_TOP(0x100000005ULL),
	R_INF(0xfffffff0, 0x1fffffff0ULL), R_INF(4, 0x200000004ULL),
	R_INF(5, 0x100000005ULL), R_RCV(5, 0), R_INF(0, 0x200000000ULL),
	R_TOP(0x100000005ULL),
	R_END
};

static const struct replay_op replay_ops_window_1[] __initconst = {
	R_ADV(5, 0), R_CHK(5, -EALREADY), R_CHK(4, -ERANGE), R_CHK(6, 0),
	R_ADV(7, 0), R_ADV(6, -ERANGE), R_ADV(7, -EALREADY), R_ADV(8, 0),
	R_TOP(8),
	R_END
};

static const struct replay_op replay_ops_window_1_esn[] __initconst = {
	R_ADV(0x100000005ULL, 0),
	R_INF(5, 0x100000005ULL), R_RCV(5, -EALREADY),
	R_INF(6, 0x100000006ULL), R_INF(4, 0x200000004ULL),
	R_CHK(0x100000004ULL, -ERANGE),
	R_END
};

static const struct replay_op replay_ops_window_64k[] __initconst = {
	R_ADV(1, 0), R_ADV(65536, 0), R_CHK(1, -EALREADY),
	R_ADV(65537, 0), R_CHK(1, -ERANGE), R_CHK(2, 0), R_ADV(2, 0),
	R_ADV(2, -EALREADY),
	R_ADV(200000, 0),
	R_CHK(134464, -ERANGE), R_CHK(134465, 0), R_ADV(134465, 0),
	R_ADV(134465, -EALREADY),
	/* Gaps of 65535 (mask), then 65536 (the whole ring). */
	R_ADV(265536, 0),
	R_CHK(200000, -ERANGE), R_CHK(200001, 0), R_CHK(265536, -EALREADY),
	R_CHK(134465, -ERANGE),
	/* The clearing wrapped: the bits of 65536, 65537 and 2. */
	R_CHK(262144, 0), R_CHK(262145, 0), R_CHK(262146, 0),
	R_ADV(331073, 0),
	R_CHK(265537, -ERANGE), R_CHK(265538, 0), R_CHK(331073, -EALREADY),
	R_END
};

static const struct replay_op replay_ops_window_max[] __initconst = {
	R_ADV(1, 0), R_ADV(1048576, 0), R_CHK(1, -EALREADY),
	R_ADV(1048577, 0), R_CHK(1, -ERANGE), R_CHK(2, 0),
	R_ADV(5000000, 0),
	R_CHK(3951424, -ERANGE), R_CHK(3951425, 0), R_ADV(3951425, 0),
	R_ADV(3951425, -EALREADY), R_TOP(5000000),
	R_ADV(7000000, 0),
	R_CHK(5951424, -ERANGE), R_CHK(5951425, 0), R_CHK(5000000, -ERANGE),
	R_END
};

/* RFC 4303 A.2.2 case A: the window lies within the block of top. */
static const struct replay_op replay_ops_esn_case_a[] __initconst = {
	R_ADV(0x180000000ULL, 0),
	R_INF(0x80000000, 0x180000000ULL), R_RCV(0x80000000, -EALREADY),
	/* The bottom of the window, Tl - 63, and one below it. */
	R_INF(0x7fffffc1, 0x17fffffc1ULL), R_RCV(0x7fffffc1, 0),
	R_INF(0x7fffffc0, 0x27fffffc0ULL), R_CHK(0x17fffffc0ULL, -ERANGE),
	R_INF(0xffffffff, 0x1ffffffffULL), R_INF(0, 0x200000000ULL),
	R_INF(1, 0x200000001ULL),
	/* Near the end of the block, then across it. */
	R_ADV(0x1fffffff0ULL, 0),
	R_INF(0xffffffb1, 0x1ffffffb1ULL), R_INF(0xffffffb0, 0x2ffffffb0ULL),
	R_INF(5, 0x200000005ULL), R_RCV(5, 0), R_TOP(0x200000005ULL),
	R_END
};

/* RFC 4303 A.2.2 case B: the window reaches into the block before. */
static const struct replay_op replay_ops_esn_case_b[] __initconst = {
	R_ADV(0x1ffffffc6ULL, 0), R_ADV(0x1fffffff0ULL, 0),
	R_ADV(0x200000005ULL, 0),
	/* Tl = 5: the bottom of the window is 5 - 63 = 0xffffffc6. */
	R_INF(0xfffffff0, 0x1fffffff0ULL), R_RCV(0xfffffff0, -EALREADY),
	R_INF(0xffffffc6, 0x1ffffffc6ULL), R_RCV(0xffffffc6, -EALREADY),
	R_INF(0xffffffc7, 0x1ffffffc7ULL), R_RCV(0xffffffc7, 0),
	R_INF(0xffffffc5, 0x2ffffffc5ULL), R_CHK(0x1ffffffc5ULL, -ERANGE),
	R_INF(4, 0x200000004ULL), R_RCV(4, 0), R_INF(6, 0x200000006ULL),
	R_INF(0x7fffffff, 0x27fffffffULL), R_TOP(0x200000005ULL),
	R_END
};

/* The 64-bit counter does not wrap: the block after the last is block 0. */
static const struct replay_op replay_ops_esn_end[] __initconst = {
	R_ADV(0xfffffffffffffff0ULL, 0),
	R_INF(0xfffffff1, 0xfffffffffffffff1ULL), R_RCV(0xffffffff, 0),
	R_TOP(0xffffffffffffffffULL),
	R_INF(5, 5), R_RCV(5, -ERANGE), R_INF(0, 0), R_RCV(0, -EBADMSG),
	R_CHK(0xffffffffffffffffULL, -EALREADY),
	R_END
};

/*
 * Asynchronous decryption: packets pass check(), and while they are being
 * decrypted others move the window; advance() must catch up.
 */
static const struct replay_op replay_ops_recheck[] __initconst = {
	R_ADV(100, 0),
	R_CHK(40, 0), R_ADV(104, 0), R_ADV(40, -ERANGE),
	R_CHK(50, 0), R_CHK(50, 0), R_ADV(50, 0), R_ADV(50, -EALREADY),
	R_CHK(110, 0), R_CHK(110, 0), R_ADV(110, 0), R_ADV(110, -EALREADY),
	R_END
};

static const struct replay_op replay_ops_run_in_order[] __initconst = {
	R_RUN(200000, 1), R_TOP(200000),
	R_CHK(200000, -EALREADY), R_CHK(199936, -ERANGE),
	R_CHK(199937, -EALREADY),
	R_END
};

static const struct replay_op replay_ops_run_reorder[] __initconst = {
	R_RUN(200000, 16), R_TOP(200000),
	R_END
};

/* 100000 packets below 2^32 and 100000 above. */
static const struct replay_op replay_ops_run_wrap[] __initconst = {
	R_ADV(0xfffe795f, 0), R_RUN(200000, 16), R_TOP(0x10001869fULL),
	R_END
};

static const struct replay_op replay_ops_run_wrap_deep[] __initconst = {
	R_ADV(0xfffe795f, 0), R_RUN(200000, 32), R_TOP(0x10001869fULL),
	R_END
};

static const struct replay_op replay_ops_run_wrap_0[] __initconst = {
	R_ADV(0xffff0000, 0), R_RUN(131072, 4), R_TOP(0x100010000ULL),
	R_END
};

static const struct replay_op replay_ops_run_max[] __initconst = {
	R_RUN(200000, 32), R_TOP(200000),
	R_END
};

static const struct replay_op replay_ops_none[] __initconst = {
	R_END
};

static const struct replay_case replay_cases[] __initconst = {
	{ "in order", 64, false, replay_ops_in_order },
	{ "window edge", 64, false, replay_ops_edge },
	{ "window of 100", 100, false, replay_ops_window_100 },
	{ "ring reuse", 64, false, replay_ops_ring_reuse },
	{ "jump", 64, false, replay_ops_jump },
	{ "jump past 2^32, ESN", 64, true, replay_ops_jump_esn },
	{ "sequence number 0", 64, false, replay_ops_seq0 },
	{ "sequence number 0, ESN", 64, true, replay_ops_seq0_esn },
	{ "window 0", 0, false, replay_ops_window_0 },
	{ "window 0, ESN", 0, true, replay_ops_window_0_esn },
	{ "window 1", 1, false, replay_ops_window_1 },
	{ "window 1, ESN", 1, true, replay_ops_window_1_esn },
	{ "window 65536", 65536, false, replay_ops_window_64k },
	{ "window 2^20", 1 << 20, false, replay_ops_window_max },
	{ "window above the maximum", IKEVTI_REPLAY_WINDOW_MAX + 1, false,
	  replay_ops_none },
	{ "ESN case A", 64, true, replay_ops_esn_case_a },
	{ "ESN case B", 64, true, replay_ops_esn_case_b },
	{ "ESN end of the 64-bit space", 64, true, replay_ops_esn_end },
	{ "check, then the window moves", 64, false, replay_ops_recheck },
	{ "200000 in order", 64, false, replay_ops_run_in_order },
	{ "200000 reordered", 64, false, replay_ops_run_reorder },
	{ "200000 reordered across 2^32, ESN", 64, true, replay_ops_run_wrap },
	{ "200000 reordered across 2^32, ESN, window 1024", 1024, true,
	  replay_ops_run_wrap_deep },
	{ "131072 reordered across 2^32, ESN, window 0", 0, true,
	  replay_ops_run_wrap_0 },
	{ "200000 reordered, window 2^20, ESN", 1 << 20, true,
	  replay_ops_run_max },
};

/* xorshift64*: the same sequence in the kernel and on the host. */
static u32 __init replay_prng(u64 *state)
{
	u64 x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return (u32)((x * 0x2545f4914f6cdd1dULL) >> 32);
}

/*
 * The model of a RUN: the numbers received, from base on, and the highest
 * of them.  With it the expected result of every packet follows from the
 * RFC's definitions, independently of the ring.
 */
struct replay_run {
	struct ikevti_replay *r;
	const struct replay_case *c;
	unsigned int idx;
	unsigned long *seen;
	u64 base;
	u64 top;
	u64 prng;
	unsigned int accepted, duplicate, old, icv;
};

static int __init replay_run_fail(const struct replay_run *run, u64 s,
				  const char *what, long long got,
				  long long want)
{
	pr_err("replay case %u (%s): packet %llu: %s gave %lld, want %lld\n",
	       run->idx, run->c->name, s, what, got, want);
	return -EINVAL;
}

static int __init replay_run_one(struct replay_run *run, u64 s)
{
	u32 w = run->c->window;
	bool esn = run->c->esn;
	u64 i = s - run->base;
	unsigned long *word = &run->seen[BIT_WORD(i)];
	/* Behind the window that inference uses (a window of 0 infers as 1). */
	bool behind = s + max_t(u32, w, 1) <= run->top;
	u64 seq = ikevti_replay_infer_seq(run->r, (u32)s, esn);
	int want = 0, err;

	if (esn && behind) {
		/* Mapped into the next block: the ICV would fail. */
		if (seq == s)
			return replay_run_fail(run, s, "infer", seq,
					       s + (1ULL << 32));
		run->icv++;
		return 0;
	}
	if (seq != s)
		return replay_run_fail(run, s, "infer", seq, s);

	if (w && s + w <= run->top)
		want = -ERANGE;
	else if (w && (*word & BIT_MASK(i)))
		want = -EALREADY;

	err = ikevti_replay_check(run->r, s);
	if (err != want)
		return replay_run_fail(run, s, "check", err, want);
	if (err) {
		if (err == -ERANGE)
			run->old++;
		else
			run->duplicate++;
		return 0;
	}
	err = ikevti_replay_advance(run->r, s);
	if (err)
		return replay_run_fail(run, s, "advance", err, 0);
	*word |= BIT_MASK(i);
	if (s > run->top)
		run->top = s;
	run->accepted++;
	return 0;
}

static int __init replay_run(struct ikevti_replay *r,
			     const struct replay_case *c, unsigned int idx,
			     u64 n, u64 depth)
{
	struct replay_run run = {
		.r = r,
		.c = c,
		.idx = idx,
		.top = ikevti_replay_top(r),
		.prng = 0x9e3779b97f4a7c15ULL + idx,
	};
	u32 span = 2 * max_t(u32, c->window, 64) + 1;
	u64 pool[REPLAY_RUN_DEPTH_MAX];
	u64 next, end;
	unsigned int fill = 0;
	int err = 0;

	if (!depth || depth > REPLAY_RUN_DEPTH_MAX || !n) {
		pr_err("replay case %u (%s): bad RUN\n", idx, c->name);
		return -EINVAL;
	}
	run.seen = kvzalloc(BITS_TO_LONGS(n) * sizeof(long), GFP_KERNEL);
	if (!run.seen)
		return -ENOMEM;

	run.base = run.top + 1;
	next = run.base;
	end = run.base + n;
	while (fill < depth && next < end)
		pool[fill++] = next++;

	while (fill && !err) {
		unsigned int j = replay_prng(&run.prng) % fill;
		u64 s = pool[j];

		if (next < end)
			pool[j] = next++;
		else
			pool[j] = pool[--fill];
		err = replay_run_one(&run, s);

		if (!err && replay_prng(&run.prng) % 8 == 0) {
			u32 back = replay_prng(&run.prng) % span;

			s = s - run.base > back ? s - back : run.base;
			err = replay_run_one(&run, s);
		}
	}
	pr_debug("replay case %u: %u accepted, %u duplicates, %u too old, %u failed the ICV\n",
		 idx, run.accepted, run.duplicate, run.old, run.icv);
	kvfree(run.seen);
	return err;
}

static int __init replay_run_case(unsigned int idx, const struct replay_case *c)
{
	struct ikevti_replay *r = ikevti_replay_alloc(c->window, GFP_KERNEL);
	const struct replay_op *op;
	unsigned int step;
	long long got = 0, want = 0;
	int err = 0;

	if (c->window > IKEVTI_REPLAY_WINDOW_MAX) {
		if (!r)
			return 0;
		ikevti_replay_free(r);
		pr_err("replay case %u (%s): allocated\n", idx, c->name);
		return -EINVAL;
	}
	if (!r)
		return -ENOMEM;

	for (step = 0, op = c->ops; op->type != REPLAY_OP_END; step++, op++) {
		u64 seq;

		switch (op->type) {
		case REPLAY_OP_CHECK:
			got = ikevti_replay_check(r, op->seq);
			want = op->err;
			break;
		case REPLAY_OP_ADVANCE:
			got = ikevti_replay_advance(r, op->seq);
			want = op->err;
			break;
		case REPLAY_OP_RECV:
			seq = ikevti_replay_infer_seq(r, (u32)op->seq, c->esn);
			got = ikevti_replay_check(r, seq);
			if (!got)
				got = ikevti_replay_advance(r, seq);
			want = op->err;
			break;
		case REPLAY_OP_INFER:
			got = ikevti_replay_infer_seq(r, (u32)op->seq, c->esn);
			want = op->want;
			break;
		case REPLAY_OP_TOP:
			got = ikevti_replay_top(r);
			want = op->want;
			break;
		case REPLAY_OP_RUN:
			err = replay_run(r, c, idx, op->seq, op->want);
			break;
		default:
			err = -EINVAL;
			break;
		}
		if (err || got != want)
			break;
	}
	if (!err && got != want) {
		pr_err("replay case %u (%s): step %u (op %d, %llu) gave %lld, want %lld\n",
		       idx, c->name, step, op->type, op->seq, got, want);
		err = -EINVAL;
	}
	ikevti_replay_free(r);
	return err;
}

#endif /* _IKEVTI_SELFTEST_REPLAY_CASES_H */
