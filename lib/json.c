// SPDX-License-Identifier: GPL-2.0
/*
 * Streaming JSON writer.  The nesting stack is two bitmaps, one bit per
 * level: whether the level is an object, and whether it already holds a
 * member (so the next one needs a comma).
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "json.h"

#define JSON_BIT(n)	(UINT64_C(1) << (n))

void json_init(struct json *j, FILE *out, unsigned int flags)
{
	memset(j, 0, sizeof(*j));
	j->out = out;
	j->flags = flags;
}

int json_end(struct json *j)
{
	if (!j->err && !j->done)
		j->err = -EINVAL;
	if ((fflush(j->out) || ferror(j->out)) && !j->err)
		j->err = -EIO;
	return j->err;
}

static int json_fail(struct json *j, int err)
{
	if (!j->err)
		j->err = err;
	return j->err;
}

static bool json_in_object(const struct json *j)
{
	return j->depth && (j->is_obj & JSON_BIT(j->depth - 1));
}

static void json_newline(struct json *j, unsigned int depth)
{
	if (!(j->flags & JSON_PRETTY))
		return;
	putc('\n', j->out);
	while (depth--)
		fputs("  ", j->out);
}

/* Start a member of the innermost container: comma, then indent. */
static void json_member(struct json *j)
{
	uint64_t bit = JSON_BIT(j->depth - 1);

	if (j->nonempty & bit)
		putc(',', j->out);
	j->nonempty |= bit;
	json_newline(j, j->depth);
}

/* Check that a value may come next, and write what must precede it. */
static int json_value_begin(struct json *j)
{
	if (j->err)
		return j->err;
	if (j->done)
		return json_fail(j, -EINVAL);
	if (json_in_object(j)) {
		if (!j->key)
			return json_fail(j, -EINVAL);
		j->key = false;
	} else if (j->depth) {
		json_member(j);
	}
	return 0;
}

/* A complete value at the top level completes the document. */
static int json_value_end(struct json *j)
{
	if (!j->depth) {
		j->done = true;
		putc('\n', j->out);
	}
	return 0;
}

/* Length of the valid UTF-8 sequence at s, or 0 if it is not one. */
static size_t json_utf8_len(const unsigned char *s, size_t n)
{
	uint32_t cp;
	size_t len, i;

	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms, UTF-16 surrogates, beyond U+10FFFF. */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

static void json_write_str(struct json *j, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, n;

	putc('"', j->out);
	while (i < len) {
		unsigned char c = s[i];
		const char *esc = NULL;

		switch (c) {
		case '"':  esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\b': esc = "\\b"; break;
		case '\f': esc = "\\f"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\t': esc = "\\t"; break;
		}
		if (esc) {
			fputs(esc, j->out);
		} else if (c < 0x20 || c == 0x7f) {
			fprintf(j->out, "\\u%04x", c);
		} else if (c < 0x80) {
			putc(c, j->out);
		} else if ((n = json_utf8_len(s + i, len - i))) {
			fwrite(s + i, 1, n, j->out);
			i += n;
			continue;
		} else {
			fputs("\\ufffd", j->out);
		}
		i++;
	}
	putc('"', j->out);
}

static int json_open(struct json *j, bool obj)
{
	uint64_t bit;
	int err;

	if (!j->err && j->depth == JSON_MAX_DEPTH)
		return json_fail(j, -E2BIG);
	err = json_value_begin(j);
	if (err)
		return err;
	bit = JSON_BIT(j->depth);
	putc(obj ? '{' : '[', j->out);
	j->is_obj = obj ? j->is_obj | bit : j->is_obj & ~bit;
	j->nonempty &= ~bit;
	j->depth++;
	return 0;
}

static int json_close(struct json *j, bool obj)
{
	if (j->err)
		return j->err;
	if (!j->depth || json_in_object(j) != obj || j->key)
		return json_fail(j, -EINVAL);
	j->depth--;
	if (j->nonempty & JSON_BIT(j->depth))
		json_newline(j, j->depth);
	putc(obj ? '}' : ']', j->out);
	return json_value_end(j);
}

int json_object_begin(struct json *j)
{
	return json_open(j, true);
}

int json_object_end(struct json *j)
{
	return json_close(j, true);
}

int json_array_begin(struct json *j)
{
	return json_open(j, false);
}

int json_array_end(struct json *j)
{
	return json_close(j, false);
}

int json_key(struct json *j, const char *key)
{
	if (j->err)
		return j->err;
	if (!key || !json_in_object(j) || j->key)
		return json_fail(j, -EINVAL);
	json_member(j);
	json_write_str(j, key, strlen(key));
	fputs(j->flags & JSON_PRETTY ? ": " : ":", j->out);
	j->key = true;
	return 0;
}

int json_strn(struct json *j, const char *s, size_t len)
{
	int err;

	if (!s)
		return json_fail(j, -EINVAL);
	err = json_value_begin(j);
	if (err)
		return err;
	json_write_str(j, s, len);
	return json_value_end(j);
}

int json_str(struct json *j, const char *s)
{
	return json_strn(j, s, s ? strlen(s) : 0);
}

int json_int(struct json *j, int64_t v)
{
	int err = json_value_begin(j);

	if (err)
		return err;
	fprintf(j->out, "%" PRId64, v);
	return json_value_end(j);
}

int json_uint(struct json *j, uint64_t v)
{
	int err = json_value_begin(j);

	if (err)
		return err;
	fprintf(j->out, "%" PRIu64, v);
	return json_value_end(j);
}

int json_bool(struct json *j, bool v)
{
	int err = json_value_begin(j);

	if (err)
		return err;
	fputs(v ? "true" : "false", j->out);
	return json_value_end(j);
}

int json_null(struct json *j)
{
	int err = json_value_begin(j);

	if (err)
		return err;
	fputs("null", j->out);
	return json_value_end(j);
}

int json_kv_str(struct json *j, const char *key, const char *s)
{
	int err = json_key(j, key);

	return err ? err : json_str(j, s);
}

int json_kv_int(struct json *j, const char *key, int64_t v)
{
	int err = json_key(j, key);

	return err ? err : json_int(j, v);
}

int json_kv_uint(struct json *j, const char *key, uint64_t v)
{
	int err = json_key(j, key);

	return err ? err : json_uint(j, v);
}

int json_kv_bool(struct json *j, const char *key, bool v)
{
	int err = json_key(j, key);

	return err ? err : json_bool(j, v);
}
