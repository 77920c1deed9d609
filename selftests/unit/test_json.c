// SPDX-License-Identifier: GPL-2.0
/*
 * Tests for lib/json.c.  Each document is compared byte for byte with
 * what we expect, and every document is also handed to Python's json
 * module, which must parse it (a second opinion on validity) and, for a
 * top-level string, must decode it back to the bytes we put in.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json.h"
#include "tap.h"

static struct json j;
static FILE *mem;
static char *out;
static size_t outlen;

#define MAX_DOCS	128

/* Documents for Python: want is the decoded string in hex, or NULL. */
static struct {
	char *text;
	char *want;
	char desc[80];
} docs[MAX_DOCS];
static int ndocs;

static char *hex(const char *s, size_t n)
{
	char *h = malloc(2 * n + 1);

	for (size_t i = 0; i < n; i++)
		sprintf(h + 2 * i, "%02x", (unsigned char)s[i]);
	h[2 * n] = '\0';
	return h;
}

static void begin(unsigned int flags)
{
	mem = open_memstream(&out, &outlen);
	if (!mem) {
		perror("open_memstream");
		exit(1);
	}
	json_init(&j, mem, flags);
}

static int end(void)
{
	int ret = json_end(&j);

	fclose(mem);
	return ret;
}

static void keep_doc(const char *want_hex, const char *desc)
{
	if (ndocs == MAX_DOCS) {
		ok(0, "too many documents for python");
		free(out);
		return;
	}
	docs[ndocs].text = out;
	docs[ndocs].want = want_hex ? strdup(want_hex) : NULL;
	snprintf(docs[ndocs].desc, sizeof(docs[ndocs].desc), "%s", desc);
	ndocs++;
}

/* End the document; it must be complete and equal want. */
static void expect(const char *want, const char *desc)
{
	is_int(end(), 0, "%s: json_end() succeeds", desc);
	is_str(out, want, "%s", desc);
	keep_doc(NULL, desc);
}

/* Write s (n bytes) as a top-level string; compare output and decoding. */
static void expect_str(const char *s, size_t n, const char *want,
		       const char *decoded, size_t dn, const char *desc)
{
	char *h = hex(decoded, dn);

	begin(0);
	json_strn(&j, s, n);
	expect(want, desc);
	free(docs[ndocs - 1].want);
	docs[ndocs - 1].want = h;
}

/* A misuse must fail, poison the writer, and write nothing more. */
static void expect_misuse(int ret, const char *prefix, const char *desc)
{
	size_t len;
	int err;

	ok(ret < 0, "%s: refused (%d)", desc, ret);
	fflush(mem);
	len = outlen;
	ok(json_int(&j, 1) == ret && json_key(&j, "k") == ret,
	   "%s: later calls return the same error", desc);
	err = end();
	is_int(err, ret, "%s: json_end() reports it", desc);
	ok(outlen == len && !strcmp(out, prefix),
	   "%s: nothing written after the error", desc);
	free(out);
}

static void test_scalars(void)
{
	begin(0);
	json_int(&j, 0);
	expect("0\n", "top-level 0");
	begin(0);
	json_null(&j);
	expect("null\n", "top-level null");
	begin(0);
	json_bool(&j, true);
	expect("true\n", "top-level true");
	begin(0);
	json_array_begin(&j);
	json_bool(&j, false);
	json_str(&j, "");
	json_array_end(&j);
	expect("[false,\"\"]\n", "false and empty string");
}

static void test_integers(void)
{
	begin(0);
	json_array_begin(&j);
	json_int(&j, INT64_MIN);
	json_int(&j, INT64_MAX);
	json_int(&j, -1);
	json_uint(&j, 0);
	json_uint(&j, UINT64_MAX);
	json_array_end(&j);
	expect("[-9223372036854775808,9223372036854775807,-1,0,18446744073709551615]\n",
	       "int64 and uint64 limits");
}

static void test_nesting(void)
{
	begin(0);
	json_object_begin(&j);
	json_object_end(&j);
	expect("{}\n", "empty object");
	begin(0);
	json_array_begin(&j);
	json_array_end(&j);
	expect("[]\n", "empty array");

	begin(0);
	json_array_begin(&j);
	json_array_begin(&j);
	json_array_end(&j);
	json_object_begin(&j);
	json_object_end(&j);
	json_array_begin(&j);
	json_array_begin(&j);
	json_array_end(&j);
	json_array_end(&j);
	json_array_end(&j);
	expect("[[],{},[[]]]\n", "empty containers in an array");

	begin(0);
	json_object_begin(&j);
	json_kv_int(&j, "a", 1);
	json_key(&j, "b");
	json_array_begin(&j);
	json_int(&j, 1);
	json_int(&j, 2);
	json_object_begin(&j);
	json_key(&j, "c");
	json_null(&j);
	json_object_end(&j);
	json_array_end(&j);
	json_kv_bool(&j, "d", true);
	json_kv_str(&j, "e", "f");
	json_key(&j, "g");
	json_object_begin(&j);
	json_object_end(&j);
	json_kv_uint(&j, "h", 7);
	json_object_end(&j);
	expect("{\"a\":1,\"b\":[1,2,{\"c\":null}],\"d\":true,\"e\":\"f\",\"g\":{},\"h\":7}\n",
	       "commas between members at every level");
}

static void test_pretty(void)
{
	begin(JSON_PRETTY);
	json_object_begin(&j);
	json_object_end(&j);
	expect("{}\n", "pretty: empty object stays on one line");

	begin(JSON_PRETTY);
	json_object_begin(&j);
	json_kv_str(&j, "name", "t0");
	json_key(&j, "sa");
	json_array_begin(&j);
	json_object_begin(&j);
	json_kv_uint(&j, "spi", 256);
	json_object_end(&j);
	json_int(&j, -2);
	json_array_end(&j);
	json_key(&j, "none");
	json_array_begin(&j);
	json_array_end(&j);
	json_object_end(&j);
	expect("{\n"
	       "  \"name\": \"t0\",\n"
	       "  \"sa\": [\n"
	       "    {\n"
	       "      \"spi\": 256\n"
	       "    },\n"
	       "    -2\n"
	       "  ],\n"
	       "  \"none\": []\n"
	       "}\n", "pretty: nested document");
}

static void test_escapes(void)
{
	static const char *const shorts[] = {
		['\b'] = "\\b", ['\t'] = "\\t", ['\n'] = "\\n",
		['\f'] = "\\f", ['\r'] = "\\r",
	};
	char in[1], want[16], all[0x80];
	int c;

	for (c = 0; c < 0x20; c++) {
		in[0] = (char)c;
		if (c < (int)(sizeof(shorts) / sizeof(shorts[0])) && shorts[c])
			snprintf(want, sizeof(want), "\"%s\"\n", shorts[c]);
		else
			snprintf(want, sizeof(want), "\"\\u%04x\"\n", c);
		begin(0);
		json_strn(&j, in, 1);
		is_str(end() ? "json_end() failed" : out, want,
		       "control 0x%02x escaped", c);
		free(out);
	}
	expect_str("\x7f", 1, "\"\\u007f\"\n", "\x7f", 1, "DEL escaped");
	expect_str("a\"b\\c/d", 7, "\"a\\\"b\\\\c/d\"\n", "a\"b\\c/d", 7,
		   "quote and backslash escaped, slash not");
	expect_str("a\0b", 3, "\"a\\u0000b\"\n", "a\0b", 3,
		   "embedded NUL through json_strn");

	for (c = 0; c < 0x80; c++)
		all[c] = (char)c;
	begin(0);
	json_strn(&j, all, sizeof(all));
	end();
	keep_doc(NULL, "all ASCII");
	free(docs[ndocs - 1].want);
	docs[ndocs - 1].want = hex(all, sizeof(all));

	begin(0);
	json_object_begin(&j);
	json_kv_str(&j, "k\"\n", "v");
	json_object_end(&j);
	expect("{\"k\\\"\\n\":\"v\"}\n", "keys are escaped too");
}

static void test_utf8(void)
{
	static const char text[] = "\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf";
	static const char fffd[] = "\xef\xbf\xbd";
	static const struct {
		const char *in, *desc;
	} bad[] = {
		{ "\x80", "lone continuation byte" },
		{ "\xff", "byte 0xff" },
		{ "\xc0\xaf", "overlong 2-byte" },
		{ "\xe0\x80\xaf", "overlong 3-byte" },
		{ "\xf0\x80\x80\xaf", "overlong 4-byte" },
		{ "\xed\xa0\x80", "UTF-16 surrogate" },
		{ "\xf4\x90\x80\x80", "beyond U+10FFFF" },
		{ "\xe2\x82", "truncated sequence" },
	};
	char want[64], dec[64], in[16];
	size_t i, n, k;

	snprintf(want, sizeof(want), "\"%s\"\n", text);
	expect_str(text, strlen(text), want, text, strlen(text),
		   "valid UTF-8 passes through");

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		n = strlen(bad[i].in);
		/* Each byte of an invalid sequence becomes one U+FFFD. */
		strcpy(want, "\"x");
		dec[0] = 'x';
		for (k = 0; k < n; k++) {
			strcat(want, "\\ufffd");
			memcpy(dec + 1 + 3 * k, fffd, 3);
		}
		strcat(want, "y\"\n");
		dec[1 + 3 * n] = 'y';
		snprintf(in, sizeof(in), "x%sy", bad[i].in);
		expect_str(in, n + 2, want, dec, 3 * n + 2, bad[i].desc);
	}
}

static void test_misuse(void)
{
	int i, ret;

	begin(0);
	json_object_begin(&j);
	expect_misuse(json_int(&j, 1), "{", "value without a key");

	begin(0);
	json_array_begin(&j);
	expect_misuse(json_key(&j, "k"), "[", "key in an array");

	begin(0);
	expect_misuse(json_key(&j, "k"), "", "key at the top level");

	begin(0);
	json_object_begin(&j);
	json_key(&j, "a");
	expect_misuse(json_key(&j, "b"), "{\"a\":", "key after a key");

	begin(0);
	json_object_begin(&j);
	json_key(&j, "a");
	expect_misuse(json_object_end(&j), "{\"a\":", "object closed after a key");

	begin(0);
	json_array_begin(&j);
	expect_misuse(json_object_end(&j), "[", "array closed as an object");

	begin(0);
	expect_misuse(json_array_end(&j), "", "close at the top level");

	begin(0);
	json_int(&j, 1);
	expect_misuse(json_int(&j, 2), "1\n", "second top-level value");

	begin(0);
	json_array_begin(&j);
	expect_misuse(json_str(&j, NULL), "[", "NULL string");

	begin(0);
	json_object_begin(&j);
	expect_misuse(json_key(&j, NULL), "{", "NULL key");

	begin(0);
	json_array_begin(&j);
	is_int(end(), -EINVAL, "unclosed array: json_end() fails");
	free(out);
	begin(0);
	is_int(end(), -EINVAL, "empty document: json_end() fails");
	free(out);

	begin(0);
	for (i = 0, ret = 0; i < JSON_MAX_DEPTH && !ret; i++)
		ret = json_array_begin(&j);
	is_int(ret, 0, "%d nested arrays are allowed", JSON_MAX_DEPTH);
	is_int(json_array_begin(&j), -E2BIG, "one more is refused");
	is_int(end(), -E2BIG, "json_end() reports the depth error");
	free(out);
}

static void test_write_error(void)
{
	FILE *f = fopen("/dev/full", "w");

	if (!f) {
		skip("no /dev/full");
		return;
	}
	json_init(&j, f, 0);
	json_str(&j, "lost");
	is_int(json_end(&j), -EIO, "write error: json_end() fails");
	fclose(f);
}

/* Python prints, per document, "ok" and the decoded string in hex. */
static const char py[] =
	"import json, sys\n"
	"for d in sys.stdin.buffer.read().split(b'\\x1e')[:-1]:\n"
	"    try:\n"
	"        v = json.loads(d.decode('utf-8'))\n"
	"        print('ok', v.encode('utf-8').hex() if isinstance(v, str) else '-')\n"
	"    except Exception as e:\n"
	"        print('bad', str(e).replace('\\n', ' '))\n";

static void test_python(void)
{
	char path[] = "/tmp/test_json.XXXXXX", cmd[256], line[4096];
	FILE *f, *p;
	int fd, i;

	if (system("python3 -c '' 2>/dev/null") != 0) {
		skip("python3 not found; documents not re-parsed");
		return;
	}
	fd = mkstemp(path);
	f = fd < 0 ? NULL : fdopen(fd, "w");
	if (!f) {
		ok(0, "temporary file: %s", strerror(errno));
		return;
	}
	for (i = 0; i < ndocs; i++)
		fprintf(f, "%s\x1e", docs[i].text);
	fclose(f);

	snprintf(cmd, sizeof(cmd), "python3 -c \"$PY\" < %s", path);
	setenv("PY", py, 1);
	p = popen(cmd, "r");
	for (i = 0; i < ndocs; i++) {
		char *nl;

		if (!p || !fgets(line, sizeof(line), p))
			line[0] = '\0';
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		if (!ok(!strncmp(line, "ok ", 3), "python parses: %s",
			docs[i].desc))
			printf("# python: %s\n", line);
		else if (docs[i].want)
			is_str(line + 3, docs[i].want,
			       "python decodes: %s", docs[i].desc);
	}
	if (p)
		pclose(p);
	unlink(path);
}

int main(void)
{
	test_scalars();
	test_integers();
	test_nesting();
	test_pretty();
	test_escapes();
	test_utf8();
	test_misuse();
	test_write_error();
	test_python();
	for (int i = 0; i < ndocs; i++) {
		free(docs[i].text);
		free(docs[i].want);
	}
	return done_testing();
}
