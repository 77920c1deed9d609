// SPDX-License-Identifier: GPL-2.0
/*
 * Bugs on purpose, one per checker of the debug guest kernel, so the VM
 * runner's own test (selftests/vm/selftest --kernel debug) can show that
 * each report fails a run.  Loading never succeeds: the module does the
 * one thing "what=" names and returns -EAGAIN.  Not for any other kernel.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

static char *what = "";
module_param(what, charp, 0444);
MODULE_PARM_DESC(what, "uaf, leak, lockdep, sleep, ubsan or list");

static DEFINE_MUTEX(fault_a);
static DEFINE_MUTEX(fault_b);
static DEFINE_SPINLOCK(fault_lock);

/* Kept out of the compiler's sight, so it cannot see the bugs coming. */
static void *fault_keep;
static int fault_shift = 40;
static int fault_one = 1;

static noinline void fault_uaf(void)
{
	char *p = kmalloc(64, GFP_KERNEL);

	if (!p)
		return;
	kfree(p);
	WRITE_ONCE(fault_keep, p);
	pr_info("read after free: %d\n", READ_ONCE(((char *)fault_keep)[8]));
}

static noinline void fault_leak(void)
{
	/* The only reference is overwritten: kmemleak finds it orphaned. */
	WRITE_ONCE(fault_keep, kmalloc(128, GFP_KERNEL));
	WRITE_ONCE(fault_keep, NULL);
}

static noinline void fault_lockdep(void)
{
	/* A then B, later B then A: one thread, no deadlock, an AB-BA cycle. */
	mutex_lock(&fault_a);
	mutex_lock(&fault_b);
	mutex_unlock(&fault_b);
	mutex_unlock(&fault_a);

	mutex_lock(&fault_b);
	mutex_lock(&fault_a);
	mutex_unlock(&fault_a);
	mutex_unlock(&fault_b);
}

static noinline void fault_sleep(void)
{
	spin_lock(&fault_lock);
	/* GFP_KERNEL may sleep: might_sleep() speaks up even when it does not. */
	kfree(kmalloc(32, GFP_KERNEL));
	spin_unlock(&fault_lock);
}

static noinline void fault_ubsan(void)
{
	pr_info("1 << %d = %d\n", READ_ONCE(fault_shift),
		READ_ONCE(fault_one) << READ_ONCE(fault_shift));
}

static noinline void fault_list(void)
{
	LIST_HEAD(head);
	struct list_head node;

	list_add(&node, &head);
	list_add(&node, &head);
}

static int __init fault_init(void)
{
	if (!strcmp(what, "uaf"))
		fault_uaf();
	else if (!strcmp(what, "leak"))
		fault_leak();
	else if (!strcmp(what, "lockdep"))
		fault_lockdep();
	else if (!strcmp(what, "sleep"))
		fault_sleep();
	else if (!strcmp(what, "ubsan"))
		fault_ubsan();
	else if (!strcmp(what, "list"))
		fault_list();
	else
		return -EINVAL;
	return -EAGAIN;
}
module_init(fault_init);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ikevti test guest: bugs on purpose for the debug kernel's checkers");
