/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-CPU counter arrays: one for each SA (IKEVTI_STATS_A_*) and one for
 * each device (IKEVTI_DEV_STATS_A_*).  Writers never share a cache line.
 */
#ifndef _IKEVTI_STATS_H
#define _IKEVTI_STATS_H

#include <linux/build_bug.h>
#include <linux/percpu.h>
#include <linux/u64_stats_sync.h>
#include <uapi/linux/ikevti.h>

/* Large enough for either kind of counter set. */
#define IKEVTI_NSTATS ((int)__IKEVTI_DEV_STATS_A_MAX > (int)__IKEVTI_STATS_A_MAX ? \
		       (int)__IKEVTI_DEV_STATS_A_MAX : (int)__IKEVTI_STATS_A_MAX)

struct ikevti_stats {
	u64_stats_t c[IKEVTI_NSTATS];
	struct u64_stats_sync syncp;
};

static inline struct ikevti_stats __percpu *ikevti_stats_alloc(gfp_t gfp)
{
	struct ikevti_stats __percpu *s;
	int cpu;

	s = alloc_percpu_gfp(struct ikevti_stats, gfp);
	if (!s)
		return NULL;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(s, cpu)->syncp);
	return s;
}

static inline void ikevti_stats_add(struct ikevti_stats __percpu *s,
				    unsigned int idx, u64 n)
{
	struct ikevti_stats *p = get_cpu_ptr(s);

	u64_stats_update_begin(&p->syncp);
	u64_stats_add(&p->c[idx], n);
	u64_stats_update_end(&p->syncp);
	put_cpu_ptr(s);
}

static inline void ikevti_stats_inc(struct ikevti_stats __percpu *s,
				    unsigned int idx)
{
	ikevti_stats_add(s, idx, 1);
}

static inline void ikevti_stats_sum(struct ikevti_stats __percpu *s,
				    u64 *out, unsigned int n)
{
	unsigned int i, start;
	int cpu;

	memset(out, 0, n * sizeof(*out));
	for_each_possible_cpu(cpu) {
		const struct ikevti_stats *p = per_cpu_ptr(s, cpu);
		u64 v[IKEVTI_NSTATS];

		do {
			start = u64_stats_fetch_begin(&p->syncp);
			for (i = 0; i < n; i++)
				v[i] = u64_stats_read(&p->c[i]);
		} while (u64_stats_fetch_retry(&p->syncp, start));
		for (i = 0; i < n; i++)
			out[i] += v[i];
	}
}

#endif /* _IKEVTI_STATS_H */
