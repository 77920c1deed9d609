// SPDX-License-Identifier: GPL-2.0
/*
 * Name tables for the protocol constants, expanded from the lists in
 * names.h: the same X-macro produces the enum there and the table here.
 */
#include <stdio.h>
#include <strings.h>

#include "names.h"

struct names_entry {
	unsigned int value;
	const char *name;
};

struct names_tab {
	const struct names_entry *entries;
	size_t count;
};

#define NAMES_ENTRY(id, val, str) { (val), (str) },
#define NAMES_ARRAY(id, list) \
	static const struct names_entry id##_entries[] = { list(NAMES_ENTRY) };
NAMES_TABLES(NAMES_ARRAY)
#undef NAMES_ARRAY

#define NAMES_TAB(id, list) \
	[id] = { id##_entries, sizeof(id##_entries) / sizeof(id##_entries[0]) },
static const struct names_tab names_tabs[NAMES_TABLE_COUNT] = {
	NAMES_TABLES(NAMES_TAB)
};
#undef NAMES_TAB

const char *names_get(enum names_table t, unsigned int v)
{
	const struct names_tab *tab;
	size_t i;

	if ((unsigned int)t >= NAMES_TABLE_COUNT)
		return NULL;
	tab = &names_tabs[t];
	for (i = 0; i < tab->count; i++)
		if (tab->entries[i].value == v)
			return tab->entries[i].name;
	return NULL;
}

const char *names_fmt(enum names_table t, unsigned int v, char *buf,
		      size_t len)
{
	const char *name = names_get(t, v);

	if (name)
		return name;
	snprintf(buf, len, "UNKNOWN(%u)", v);
	return buf;
}

long names_value(enum names_table t, const char *name)
{
	const struct names_tab *tab;
	size_t i;

	if ((unsigned int)t >= NAMES_TABLE_COUNT || !name)
		return -1;
	tab = &names_tabs[t];
	for (i = 0; i < tab->count; i++)
		if (!strcasecmp(tab->entries[i].name, name))
			return tab->entries[i].value;
	return -1;
}
