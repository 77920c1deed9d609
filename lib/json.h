/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A streaming JSON writer.  It tracks nesting and commas itself and
 * refuses any call that would make the document invalid: the call returns
 * -EINVAL, the writer stops writing, and json_end() reports the error.
 * Strings are escaped; valid UTF-8 passes through and each byte of an
 * invalid sequence becomes U+FFFD.  One writer writes one document and
 * ends it with a newline.
 */
#ifndef LIB_JSON_H
#define LIB_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_PRETTY	0x1	/* newlines and two-space indents */

#define JSON_MAX_DEPTH	64

/* The fields are private; the struct is public so it can live on the stack. */
struct json {
	FILE *out;
	unsigned int flags;
	int err;		/* first error, negative errno, sticky */
	bool done;		/* the top-level value is complete */
	bool key;		/* a key was written, its value is due */
	unsigned int depth;
	uint64_t is_obj;	/* bit n: level n is an object, not an array */
	uint64_t nonempty;	/* bit n: level n holds a member already */
};

void json_init(struct json *j, FILE *out, unsigned int flags);
/* 0 if one complete document was written and flushed, else -errno. */
int json_end(struct json *j);

int json_object_begin(struct json *j);
int json_object_end(struct json *j);
int json_array_begin(struct json *j);
int json_array_end(struct json *j);
int json_key(struct json *j, const char *key);

int json_str(struct json *j, const char *s);
int json_strn(struct json *j, const char *s, size_t len);
int json_int(struct json *j, int64_t v);
int json_uint(struct json *j, uint64_t v);
int json_bool(struct json *j, bool v);
int json_null(struct json *j);

/* Shorthands for a key and its value inside an object. */
int json_kv_str(struct json *j, const char *key, const char *s);
int json_kv_int(struct json *j, const char *key, int64_t v);
int json_kv_uint(struct json *j, const char *key, uint64_t v);
int json_kv_bool(struct json *j, const char *key, bool v);

#endif /* LIB_JSON_H */
