// SPDX-License-Identifier: GPL-2.0
/*
 * The anti-replay window, kmod/replay.c itself built for user space against
 * the shims in kshim/, run through the cases of kmod/selftest/replay_cases.h
 * that the module runs at load: one TAP line per case.  Then a benchmark,
 * as TAP comments, to show that the cost per packet does not grow with the
 * window.
 */
#define IKEVTI_SELFTEST
#include "../../kmod/replay.c"

#include <time.h>

#include "tap.h"

#define BENCH_PACKETS	(4u << 20)

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* ns per packet of check() and advance() of n packets, stride apart. */
static double bench(u32 window, u64 n, u64 stride)
{
	struct ikevti_replay *r = ikevti_replay_alloc(window, GFP_KERNEL);
	double start, end;
	int errs = 0;
	u64 seq;

	if (!r)
		return -1;
	start = now_ns();
	for (seq = stride; seq <= n * stride; seq += stride) {
		errs |= ikevti_replay_check(r, seq);
		errs |= ikevti_replay_advance(r, seq);
	}
	end = now_ns();
	ikevti_replay_free(r);
	return errs ? -1 : (end - start) / (double)n;
}

int main(void)
{
	struct ikevti_replay *r;
	double w64, wmax, jump;
	unsigned int i;

	plan(ARRAY_SIZE(replay_cases) + 3);

	for (i = 0; i < ARRAY_SIZE(replay_cases); i++)
		ok(!replay_run_case(i, &replay_cases[i]), "case %u: %s", i,
		   replay_cases[i].name);

	r = ikevti_replay_alloc(IKEVTI_REPLAY_WINDOW_MAX, GFP_KERNEL);
	ok(r && ikevti_replay_window(r) == IKEVTI_REPLAY_WINDOW_MAX &&
	   ikevti_replay_top(r) == 0,
	   "a new window is empty and as large as asked");
	ikevti_replay_free(r);
	ikevti_replay_free(NULL);

	is_int(ikevti_replay_selftest(), 0,
	       "ikevti_replay_selftest(), as the module runs it");

	w64 = bench(64, BENCH_PACKETS, 1);
	wmax = bench(IKEVTI_REPLAY_WINDOW_MAX, BENCH_PACKETS, 1);
	/* The worst case: every packet skips a whole 2^20 window. */
	jump = bench(IKEVTI_REPLAY_WINDOW_MAX, 4096,
		     IKEVTI_REPLAY_WINDOW_MAX + 1);
	ok(w64 >= 0 && wmax >= 0 && jump >= 0,
	   "benchmark: every packet was accepted");
	printf("# in order, check + advance: window 64: %.2f ns/packet, window %u: %.2f ns/packet\n",
	       w64, IKEVTI_REPLAY_WINDOW_MAX, wmax);
	printf("# jumps past a window of %u: %.0f ns/packet\n",
	       IKEVTI_REPLAY_WINDOW_MAX, jump);

	return done_testing();
}
