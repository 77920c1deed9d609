// SPDX-License-Identifier: GPL-2.0
/*
 * ESP anti-replay window: a ring of bits indexed by sequence number.
 *
 * The ring has nbits = roundup_pow_of_two(max(window, BITS_PER_LONG))
 * bits, and number s owns bit s & (nbits - 1).  The bits of the numbers in
 * the window, (top - window, top], are exact: a set bit means that number
 * was received.  Whether s is too old is decided from top and the
 * configured window alone, so the rounding never widens the window.
 *
 * When top moves from t to s, the numbers in (t, s) were not received, but
 * their bits may still hold marks of numbers nbits lower, which are now at
 * least nbits >= window below s: out of the window.  Clearing exactly those
 * bits, and setting the bit of s, keeps every bit of the window exact.
 *
 * Cost per packet:
 *  - check(), a duplicate or late packet: O(1), one word read.
 *  - advance() in order (s = t + 1): nothing to clear, one word written:
 *    O(1) whatever the window.
 *  - advance() past g numbers never received clears their g bits, whole
 *    words where it can: O(g / BITS_PER_LONG + 1), and never more than the
 *    ring, which is cleared whole once g >= nbits.  Clearing is paid for
 *    by the numbers skipped, so lost packets cost about what received ones
 *    do.  The worst single packet, an authenticated jump past a 2^20
 *    window, clears 16384 words (128 KiB), a few microseconds; it cannot
 *    be forged, since the window only moves once the ICV verified.
 *
 * Lockless readers: advance() writes the bits with WRITE_ONCE() and then
 * publishes top with release semantics; check() reads top with acquire
 * semantics and the bits with READ_ONCE().  A reader that sees the new
 * top so sees the bits cleared and marked for it.  A reader with an older
 * top may see newer bits, but a bit of a number in its window only
 * changes under it when that number was marked meanwhile (the reader then
 * sees a duplicate, rightly) or the window has moved past it (the bit now
 * belongs to a number nbits higher): the reader errs only on packets that
 * advance() refuses anyway.
 *
 * top is an atomic64_t because a 64-bit load is only single-copy atomic on
 * 64-bit kernels; on x86-64 and arm64 the accessors are plain loads and
 * stores with the ordering above.
 */

#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/types.h>

#include <uapi/linux/ikevti.h>

#include "replay.h"

struct ikevti_replay {
	atomic64_t top;		/* highest number marked, 0 before any */
	u32 window;		/* as configured, in packets */
	u32 mask;		/* nbits - 1; 0 without a ring (window 0) */
	unsigned long bitmap[];
};

struct ikevti_replay *ikevti_replay_alloc(u32 window, gfp_t gfp)
{
	struct ikevti_replay *r;
	unsigned long nbits = 0;

	if (window > IKEVTI_REPLAY_WINDOW_MAX)
		return NULL;
	if (window)
		nbits = roundup_pow_of_two(max_t(u32, window, BITS_PER_LONG));
	r = kvzalloc(struct_size(r, bitmap, BITS_TO_LONGS(nbits)), gfp);
	if (!r)
		return NULL;
	r->window = window;
	r->mask = nbits ? nbits - 1 : 0;
	return r;
}

void ikevti_replay_free(struct ikevti_replay *r)
{
	kvfree(r);
}

u64 ikevti_replay_top(const struct ikevti_replay *r)
{
	return (u64)atomic64_read(&r->top);
}

u32 ikevti_replay_window(const struct ikevti_replay *r)
{
	return r->window;
}

/*
 * RFC 4303 Appendix A.2.2, with Tl/Th the halves of top and W the window:
 * a number at or above the bottom of the window, Tl - W + 1 (mod 2^32),
 * is in or ahead of the window; one below it is taken to have wrapped
 * into the next block of 2^32.  Case A: the window lies within the block
 * of top.  Case B: it reaches back into the block before.
 *
 * A window of 0 infers as a window of 1, that is from top alone: Appendix
 * A needs some window, and 1 is what a receiver that keeps only top has.
 * It maps every number behind top into the next block, so with ESN and no
 * window a reordered packet fails its ICV; in exchange a sender may run up
 * to 2^32 - 1 numbers ahead.  A larger pretend window would let reordered
 * packets through but shrink that margin, with no bitmap to back it.
 *
 * Two results are impossible numbers: the block before the first one
 * (Th = 0 in case B, a packet from before the SA began) returns 0, which
 * check() refuses; the block after the last one (Th = 2^32 - 1 in case A)
 * wraps to block 0, far below the window: the 64-bit counter never wraps.
 */
u64 ikevti_replay_infer_seq(const struct ikevti_replay *r, u32 seq_lo,
			    bool esn)
{
	u64 top;
	u32 top_lo, top_hi, win, bottom;

	if (!esn)
		return seq_lo;

	top = ikevti_replay_top(r);
	top_lo = (u32)top;
	top_hi = (u32)(top >> 32);
	win = max_t(u32, r->window, 1);
	bottom = top_lo - (win - 1);

	if (top_lo >= win - 1) {
		if (seq_lo < bottom)
			top_hi++;
	} else if (seq_lo >= bottom) {
		if (!top_hi)
			return 0;
		top_hi--;
	}
	return (u64)top_hi << 32 | seq_lo;
}

int ikevti_replay_check(const struct ikevti_replay *r, u64 seq)
{
	u64 top;
	u32 bit;

	if (unlikely(!seq))
		return -EBADMSG;
	if (!r->window)
		return 0;

	/* Pairs with the release in ikevti_replay_advance(). */
	top = (u64)atomic64_read_acquire(&r->top);
	if (likely(seq > top))
		return 0;
	if (top - seq >= r->window)
		return -ERANGE;

	bit = seq & r->mask;
	if (READ_ONCE(r->bitmap[BIT_WORD(bit)]) & BIT_MASK(bit))
		return -EALREADY;
	return 0;
}

/* Clear the bits of n numbers from first on; n < nbits. */
static void replay_clear(struct ikevti_replay *r, u64 first, u64 n)
{
	u32 bit = first & r->mask;

	while (n) {
		u32 off = bit % BITS_PER_LONG;
		u32 len = min_t(u64, n, BITS_PER_LONG - off);
		unsigned long *word = &r->bitmap[BIT_WORD(bit)];
		unsigned long mask = (~0UL >> (BITS_PER_LONG - len)) << off;

		WRITE_ONCE(*word, *word & ~mask);
		n -= len;
		bit = (bit + len) & r->mask;
	}
}

static void replay_clear_all(struct ikevti_replay *r)
{
	u32 i;

	/* Not memset(): lockless readers may load these words. */
	for (i = 0; i < BITS_TO_LONGS(r->mask + 1); i++)
		WRITE_ONCE(r->bitmap[i], 0);
}

static void replay_mark(struct ikevti_replay *r, u64 seq)
{
	u32 bit = seq & r->mask;
	unsigned long *word = &r->bitmap[BIT_WORD(bit)];

	WRITE_ONCE(*word, *word | BIT_MASK(bit));
}

int ikevti_replay_advance(struct ikevti_replay *r, u64 seq)
{
	/* The only writer (the caller's lock), so a relaxed load will do. */
	u64 top = ikevti_replay_top(r);
	u32 bit;

	if (unlikely(!seq))
		return -EBADMSG;

	if (likely(seq > top)) {
		if (r->window) {
			u64 gap = seq - top - 1;

			if (gap > r->mask)
				replay_clear_all(r);
			else if (gap)
				replay_clear(r, top + 1, gap);
			replay_mark(r, seq);
		}
		/* Publish the bits before the top they belong to. */
		atomic64_set_release(&r->top, (s64)seq);
		return 0;
	}

	if (!r->window)
		return 0;
	if (top - seq >= r->window)
		return -ERANGE;
	bit = seq & r->mask;
	if (r->bitmap[BIT_WORD(bit)] & BIT_MASK(bit))
		return -EALREADY;
	replay_mark(r, seq);
	return 0;
}

#ifdef IKEVTI_SELFTEST
#include <linux/init.h>
#include <linux/printk.h>

#include "selftest/replay_cases.h"

int __init ikevti_replay_selftest(void)
{
	unsigned int i, failed = 0;

	for (i = 0; i < ARRAY_SIZE(replay_cases); i++) {
		if (replay_run_case(i, &replay_cases[i]))
			failed++;
	}
	if (failed) {
		pr_err("replay self-tests: %u of %u cases failed\n", failed,
		       (unsigned int)ARRAY_SIZE(replay_cases));
		return -EINVAL;
	}
	pr_info("replay self-tests: pass\n");
	return 0;
}
#endif
