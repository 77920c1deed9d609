/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tiny TAP producer for host unit tests.
 *
 *	plan(3);			(or no plan, then done_testing())
 *	ok(x == 1, "x is %d", 1);
 *	is_int(got, 42, "answer");
 *	is_str(buf, "{}\n", "empty object");
 *	skip("python3 not found");
 *	return done_testing();
 *
 * done_testing() returns the exit status: 0 only if every test passed and
 * the count matches the plan.
 */
#ifndef SELFTESTS_UNIT_TAP_H
#define SELFTESTS_UNIT_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static int tap_planned = -1;
static int tap_run;
static int tap_failed;

static inline void tap_header(void)
{
	static bool printed;

	if (!printed)
		printf("TAP version 13\n");
	printed = true;
}

static inline void plan(int n)
{
	tap_header();
	tap_planned = n;
	printf("1..%d\n", n);
}

__attribute__((format(printf, 4, 0)))
static inline bool tap_vok(bool pass, const char *file, int line,
			   const char *fmt, va_list ap)
{
	tap_header();
	printf("%sok %d - ", pass ? "" : "not ", ++tap_run);
	vprintf(fmt, ap);
	putchar('\n');
	if (!pass) {
		tap_failed++;
		printf("#   Failed test at %s line %d.\n", file, line);
	}
	fflush(stdout);
	return pass;
}

__attribute__((format(printf, 4, 5)))
static inline bool tap_ok(bool pass, const char *file, int line,
			  const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_vok(pass, file, line, fmt, ap);
	va_end(ap);
	return pass;
}

__attribute__((format(printf, 5, 6)))
static inline bool tap_is_int(long long got, long long want, const char *file,
			      int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_vok(got == want, file, line, fmt, ap);
	va_end(ap);
	if (got != want)
		printf("#          got: %lld\n#     expected: %lld\n", got, want);
	return got == want;
}

/* Diagnostics print strings with C escapes so that bytes are visible. */
static inline void tap_diag_str(const char *label, const char *s)
{
	printf("# %12s: ", label);
	if (!s) {
		printf("NULL\n");
		return;
	}
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\n')
			printf("\\n");
		else if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			printf("\\x%02x", c);
		else
			putchar(c);
	}
	printf("\"\n");
}

__attribute__((format(printf, 5, 6)))
static inline bool tap_is_str(const char *got, const char *want,
			      const char *file, int line, const char *fmt, ...)
{
	bool pass = got && want && !strcmp(got, want);
	va_list ap;

	va_start(ap, fmt);
	tap_vok(pass, file, line, fmt, ap);
	va_end(ap);
	if (!pass) {
		tap_diag_str("got", got);
		tap_diag_str("expected", want);
	}
	return pass;
}

static inline void skip(const char *why)
{
	tap_header();
	printf("ok %d # SKIP %s\n", ++tap_run, why);
}

static inline int done_testing(void)
{
	if (tap_planned < 0)
		printf("1..%d\n", tap_run);
	else if (tap_run != tap_planned)
		printf("# planned %d tests but ran %d\n", tap_planned, tap_run);
	if (tap_failed)
		printf("# failed %d of %d tests\n", tap_failed, tap_run);
	fflush(stdout);
	return tap_failed || (tap_planned >= 0 && tap_run != tap_planned);
}

#define ok(cond, ...) \
	tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define is_int(got, want, ...) \
	tap_is_int((long long)(got), (long long)(want), __FILE__, __LINE__, \
		   __VA_ARGS__)
#define is_str(got, want, ...) \
	tap_is_str((got), (want), __FILE__, __LINE__, __VA_ARGS__)

#endif /* SELFTESTS_UNIT_TAP_H */
