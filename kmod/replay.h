/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ESP anti-replay window (RFC 4303 section 3.4.3), with the inference of
 * the high half of extended sequence numbers (ESN) from Appendix A.
 *
 * The receive path of an inbound SA, per packet:
 *
 *	seq = ikevti_replay_infer_seq(r, ntohl(esph->seq_no), esn);
 *	err = ikevti_replay_check(r, seq);	(no lock: drops replays early)
 *	... decrypt and verify the ICV, maybe asynchronously ...
 *	spin_lock_bh(&sa->replay_lock);
 *	err = ikevti_replay_advance(r, seq);	(checks again, marks seq)
 *	spin_unlock_bh(&sa->replay_lock);
 *
 * Only advance() after a verified ICV may move the window: an inferred
 * high half is proven by the ICV alone (it is not sent), and an attacker
 * must not be able to push the window forward with forged packets.
 *
 * Errors of check() and advance():
 *	-EBADMSG	seq 0: never sent (the first packet of an SA is 1, and
 *			with ESN the 64-bit number 0 is never valid either);
 *			infer_seq() also returns 0 for a number that would
 *			lie before the start of the SA
 *	-EALREADY	a duplicate: seq is in the window and already marked
 *	-ERANGE		too old: seq <= top - window
 *
 * A window of 0 turns replay protection off: every number but 0 passes
 * check() and advance(), and advance() still moves top, which ESN
 * inference needs.  Windows go up to IKEVTI_REPLAY_WINDOW_MAX packets.
 *
 * Locking: the caller serialises advance() on one window, with a per-SA
 * spinlock.  check(), infer_seq(), top() and window() take no lock and may
 * run concurrently with advance() on other CPUs; their answer then
 * reflects the window a moment ago, and it errs in one direction only:
 * a racing check() may pass a packet that advance() will then refuse, but
 * it never refuses a packet that advance() would still accept.  That is
 * why advance() checks again under the lock.  free() must wait until no
 * lockless reader can still see the window (an RCU grace period).
 */
#ifndef _IKEVTI_REPLAY_H
#define _IKEVTI_REPLAY_H

#include <linux/types.h>

struct ikevti_replay;

/*
 * A window of window packets, at most IKEVTI_REPLAY_WINDOW_MAX (NULL
 * above it), with nothing received yet (top 0).  Large windows come from
 * vmalloc, so gfp must allow it (GFP_KERNEL) unless the window is small.
 */
struct ikevti_replay *ikevti_replay_alloc(u32 window, gfp_t gfp);
void ikevti_replay_free(struct ikevti_replay *r);

/*
 * The full sequence number of a packet whose ESP header carries seq_lo:
 * seq_lo itself without ESN; with ESN, the number nearest to the window
 * (RFC 4303 Appendix A).  Only a verified ICV proves the guess.
 */
u64 ikevti_replay_infer_seq(const struct ikevti_replay *r, u32 seq_lo,
			    bool esn);

/* Before decryption: 0 if seq may be new, else the errors above. */
int ikevti_replay_check(const struct ikevti_replay *r, u64 seq);

/* After the ICV verified, under the caller's lock: check again and mark. */
int ikevti_replay_advance(struct ikevti_replay *r, u64 seq);

/* The highest number marked so far, 0 before the first packet. */
u64 ikevti_replay_top(const struct ikevti_replay *r);
u32 ikevti_replay_window(const struct ikevti_replay *r);

#ifdef IKEVTI_SELFTEST
/* Runs the cases of selftest/replay_cases.h; from module init only. */
int ikevti_replay_selftest(void);
#else
static inline int ikevti_replay_selftest(void)
{
	return 0;
}
#endif

#endif /* _IKEVTI_REPLAY_H */
