// SPDX-License-Identifier: GPL-2.0
/*
 * The Vendor ID table, expanded from V1VID_LIST.
 */
#include <string.h>

#include "vid.h"

#define V1VID_INFO(id, nm, bytes, n, src, md5n) \
	[id] = { nm, (const uint8_t *)(bytes), n, src, md5n },
static const struct v1vid_info v1vid_tab[V1VID_COUNT] = {
	V1VID_LIST(V1VID_INFO)
};
#undef V1VID_INFO

const struct v1vid_info *v1vid_get(enum v1vid vid)
{
	if (vid <= V1VID_UNKNOWN || vid >= V1VID_COUNT)
		return NULL;
	return &v1vid_tab[vid];
}

const char *v1vid_name(enum v1vid vid)
{
	const struct v1vid_info *v = v1vid_get(vid);

	return v ? v->name : "unknown";
}

enum v1vid v1vid_lookup(const uint8_t *data, size_t len)
{
	unsigned int i;

	for (i = V1VID_UNKNOWN + 1; i < V1VID_COUNT; i++)
		if (v1vid_tab[i].len == len &&
		    !memcmp(v1vid_tab[i].data, data, len))
			return (enum v1vid)i;
	return V1VID_UNKNOWN;
}
