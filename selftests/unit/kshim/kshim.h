/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Just enough of the kernel's internal API for kernel files with no
 * hardware or networking in them (kmod/replay.c) to build and run in user
 * space.  The headers in linux/ stand in for the kernel's of the same
 * name; they all land here.  Where user space has a header of that name
 * too (linux/types.h, linux/kernel.h) it is included first, for the system
 * headers that rely on it.
 */
#ifndef SELFTESTS_UNIT_KSHIM_H
#define SELFTESTS_UNIT_KSHIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef int32_t s32;
/* As in the kernel, so that "%llu" fits u64 everywhere. */
typedef unsigned long long u64;
typedef long long s64;
typedef unsigned int gfp_t;

#define GFP_KERNEL	0x1u
#define GFP_ATOMIC	0x2u

#define __init
#define __initconst

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)

#define READ_ONCE(x)	(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, val) \
	do { *(volatile __typeof__(x) *)&(x) = (val); } while (0)

#define BITS_PER_LONG	(__SIZEOF_LONG__ * 8)
#define BIT_WORD(nr)	((nr) / BITS_PER_LONG)
#define BIT_MASK(nr)	(1UL << ((nr) % BITS_PER_LONG))
#define BITS_TO_LONGS(nr) (((nr) + BITS_PER_LONG - 1) / BITS_PER_LONG)

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define min_t(type, a, b) \
	((type)(a) < (type)(b) ? (type)(a) : (type)(b))
#define max_t(type, a, b) \
	((type)(a) > (type)(b) ? (type)(a) : (type)(b))

/* Like the kernel's: undefined for 0. */
static inline unsigned long roundup_pow_of_two(unsigned long n)
{
	return n == 1 ? 1 : 1UL << (BITS_PER_LONG - __builtin_clzl(n - 1));
}

/* The kernel's saturates on overflow; the sizes here are small. */
#define struct_size(p, member, n) \
	(sizeof(*(p)) + sizeof(*(p)->member) * (size_t)(n))

static inline void *kvzalloc(size_t size, gfp_t gfp)
{
	(void)gfp;
	return calloc(1, size);
}

static inline void kvfree(void *p)
{
	free(p);
}

typedef struct {
	s64 counter;
} atomic64_t;

static inline s64 atomic64_read(const atomic64_t *v)
{
	return __atomic_load_n(&v->counter, __ATOMIC_RELAXED);
}

static inline s64 atomic64_read_acquire(const atomic64_t *v)
{
	return __atomic_load_n(&v->counter, __ATOMIC_ACQUIRE);
}

static inline void atomic64_set(atomic64_t *v, s64 i)
{
	__atomic_store_n(&v->counter, i, __ATOMIC_RELAXED);
}

static inline void atomic64_set_release(atomic64_t *v, s64 i)
{
	__atomic_store_n(&v->counter, i, __ATOMIC_RELEASE);
}

/* Kernel messages become TAP comments. */
#define pr_err(fmt, ...)	printf("# " fmt, ##__VA_ARGS__)
#define pr_info(fmt, ...)	printf("# " fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...)	printf("# " fmt, ##__VA_ARGS__)

#endif /* SELFTESTS_UNIT_KSHIM_H */
