/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the tests of the Cisco IOS dialect share (test_cfg_ios.c,
 * test_cfg_select.c): loading text and fixture files, the diagnostics,
 * and the dumps.
 */
#ifndef SELFTESTS_UNIT_CFG_TEST_H
#define SELFTESTS_UNIT_CFG_TEST_H

#include <libgen.h>
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "policy.h"
#include "policy_ios.h"
#include "tap.h"

static char datadir[4096];
static struct cfg_diags d;

static inline void cfg_test_init(const char *argv0)
{
	char *self = strdup(argv0);

	snprintf(datadir, sizeof(datadir), "%s/../config", dirname(self));
	free(self);
}

static inline void show_diags(void)
{
	for (size_t i = 0; i < d.n; i++)
		printf("#   %s\n", d.d[i].msg);
}

static inline struct policy_config *load_text(const char *text)
{
	cfg_diags_free(&d);
	return cfg_load_text("ios.conf", text, strlen(text), &d);
}

static inline struct policy_config *load_file(const char *name)
{
	char path[4200];

	snprintf(path, sizeof(path), "%s/%s", datadir, name);
	cfg_diags_free(&d);
	return cfg_load_file(path, &d);
}

/* The messages of one severity with a place (not the file mode one). */
static inline unsigned int count_diags(bool warning, bool notice)
{
	unsigned int n = 0;

	for (size_t i = 0; i < d.n; i++) {
		if (d.d[i].line && d.d[i].warning == warning &&
		    d.d[i].notice == notice)
			n++;
	}
	return n;
}

/* The first message with this text after "FILE:", or NULL. */
static inline const char *find_diag(const char *tail)
{
	for (size_t i = 0; i < d.n; i++) {
		const char *m = strstr(d.d[i].msg, tail);

		if (m && !strcmp(m, tail))
			return d.d[i].msg;
	}
	return NULL;
}

/* Everything the dump wrote, as a string to free(). */
static inline char *dump_config(const struct policy_config *cfg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return strdup("");
	policy_dump(cfg, f);
	fclose(f);
	return buf;
}

static inline char *dump_v1(const struct policy_config *cfg,
		     const struct policy_v1_effective *e)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return strdup("");
	policy_v1_effective_dump(cfg, e, f);
	fclose(f);
	return buf;
}

/* The dump with every "<hidden>" key as "x", so that it reads back. */
static inline char *unhide_keys(const char *s)
{
	const char *from = "<hidden>";
	char *out = malloc(strlen(s) + 1), *o = out;

	while (*s) {
		if (!strncmp(s, from, strlen(from))) {
			*o++ = 'x';
			s += strlen(from);
		} else {
			*o++ = *s++;
		}
	}
	*o = '\0';
	return out;
}

/* dump -> parse -> dump gives the same text. */
static inline void round_trip(const struct policy_config *cfg, const char *name)
{
	char *d1 = dump_config(cfg), *text = unhide_keys(d1), *d2;
	struct policy_config *again = load_text(text);

	if (!ok(again, "%s: the dump reads back", name)) {
		show_diags();
		printf("# dump:\n%s", text);
	} else {
		d2 = dump_config(again);
		if (!is_str(d2, d1, "%s: and dumps the same", name))
			printf("# first dump:\n%s", d1);
		free(d2);
	}
	policy_config_free(again);
	free(text);
	free(d1);
}

static inline bool addr_is(const struct policy_addr *a, const char *text)
{
	char buf[64];

	return a->family && inet_ntop(a->family, a->a, buf, sizeof(buf)) &&
	       !strcmp(buf, text);
}

#endif /* SELFTESTS_UNIT_CFG_TEST_H */
