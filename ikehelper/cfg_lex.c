// SPDX-License-Identifier: GPL-2.0
/*
 * Reads a configuration file and splits its lines into words; see
 * cfg_lex.h for the rules.  Words stay in the caller's buffer (a
 * pre-shared key is never copied here), so wiping that buffer wipes them.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include <openssl/crypto.h>

#include "cfg_lex.h"
#include "config.h"

static bool cfg_blank(char c)
{
	return c == ' ' || c == '\t';
}

static int cfg_lex_fail(struct cfg_lex_err *err, unsigned int col,
			const char *msg)
{
	err->col = col;
	snprintf(err->msg, sizeof(err->msg), "%s", msg);
	return -1;
}

int cfg_lex_line(char *s, unsigned int no, struct cfg_line *line,
		 struct cfg_lex_err *err)
{
	size_t len = strlen(s);
	size_t i = 0;

	memset(line, 0, sizeof(*line));
	line->no = no;
	if (len > CFG_LINE_MAX)
		return cfg_lex_fail(err, CFG_LINE_MAX + 1,
				    "line too long; expected at most 4096 bytes");
	for (size_t k = 0; k < len; k++) {
		unsigned char c = (unsigned char)s[k];

		if ((c < 0x20 && c != '\t') || c == 0x7f) {
			snprintf(err->msg, sizeof(err->msg),
				 "control character 0x%02x; expected printable text",
				 c);
			err->col = (unsigned int)k + 1;
			return -1;
		}
	}
	while (cfg_blank(s[i]))
		i++;
	line->indent = (unsigned int)i;
	line->bang = s[i] == '!';
	if (line->bang) {
		for (size_t k = i + 1; s[k] && !line->bang_text; k++)
			line->bang_text = !cfg_blank(s[k]);
	}

	while (s[i]) {
		struct cfg_tok *t;
		unsigned int col = (unsigned int)i + 1;

		if (cfg_blank(s[i])) {
			i++;
			continue;
		}
		if (s[i] == '!')
			break;	/* a comment, to the end of the line */
		if (line->ntok == CFG_TOKENS_MAX)
			return cfg_lex_fail(err, col,
					    "too many words; expected at most 64 on a line");
		t = &line->tok[line->ntok++];
		t->col = col;
		if (s[i] == '"') {
			char *out = &s[i];	/* unescape in place */

			t->s = out;
			t->quoted = true;
			for (i++;; i++) {
				if (!s[i])
					return cfg_lex_fail(err, col,
							    "unterminated quoted word; expected a closing '\"'");
				if (s[i] == '"')
					break;
				if (s[i] == '\\' && (s[i + 1] == '"' || s[i + 1] == '\\'))
					i++;
				*out++ = s[i];
			}
			i++;
			if (s[i] && !cfg_blank(s[i]))
				return cfg_lex_fail(err, (unsigned int)i + 1,
						    "text right after a closing '\"'; expected a blank");
			line->end_col = (unsigned int)i + 1;
			t->len = (unsigned int)(out - t->s);
			/* Wipe what unescaping left behind the word. */
			memset(out, 0, (size_t)(&s[i] - out));
			if (s[i])
				i++;
			continue;
		}
		t->s = &s[i];
		while (s[i] && !cfg_blank(s[i]))
			i++;
		t->len = (unsigned int)(&s[i] - t->s);
		line->end_col = (unsigned int)i + 1;
		if (s[i])
			s[i++] = '\0';
	}
	return 0;
}

bool cfg_is_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++) {
		if (!isdigit((unsigned char)*s))
			return false;
	}
	return true;
}

bool cfg_is_name(const char *s)
{
	size_t len = strlen(s);

	if (!len || len > POLICY_NAME_MAX)
		return false;
	for (; *s; s++) {
		if (!isalnum((unsigned char)*s) && !strchr("._-", *s))
			return false;
	}
	return true;
}

bool cfg_is_ifname(const char *s)
{
	size_t len = strlen(s);

	if (!len || len >= POLICY_IFNAMSIZ || !strcmp(s, ".") || !strcmp(s, ".."))
		return false;
	for (; *s; s++) {
		if (*s == '/' || *s == ':' || *s <= ' ' || *s >= 0x7f)
			return false;
	}
	return true;
}

bool cfg_is_fqdn(const char *s)
{
	size_t len = strlen(s), label = 0;

	if (!len || len > POLICY_FQDN_MAX)
		return false;
	for (; *s; s++) {
		if (*s == '.') {
			if (!label)
				return false;
			label = 0;
		} else if (isalnum((unsigned char)*s) || *s == '-' || *s == '_') {
			if (++label > 63)
				return false;
		} else {
			return false;
		}
	}
	return label > 0;
}

bool cfg_is_email(const char *s)
{
	const char *at = strchr(s, '@');

	if (!at || at == s || at - s > 64 || strchr(at + 1, '@'))
		return false;
	for (const char *c = s; c < at; c++) {
		if (*c <= ' ' || *c >= 0x7f)
			return false;
	}
	return cfg_is_fqdn(at + 1);
}

bool cfg_is_addr(const char *s, struct policy_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, a->a) == 1)
		a->family = AF_INET;
	else if (inet_pton(AF_INET6, s, a->a) == 1)
		a->family = AF_INET6;
	return a->family != 0;
}

int cfg_read_file(const char *path, size_t max, char **bufp, size_t *lenp,
		  size_t *capp, struct stat *st, char *err, size_t errlen)
{
	size_t len = 0, cap = 0;
	char *buf = NULL;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, st)) {
		snprintf(err, errlen, "cannot read: %s", strerror(errno));
		goto fail;
	}
	if (S_ISDIR(st->st_mode)) {
		snprintf(err, errlen, "is a directory; expected a file");
		goto fail;
	}
	for (;;) {
		ssize_t r;

		if (len + 1 >= cap) {	/* grow, wiping the old buffer */
			size_t ncap = cap ? 2 * cap : 8192;
			char *nbuf;

			if (cap > max) {
				snprintf(err, errlen,
					 "file too large; expected at most %zu bytes",
					 max);
				goto fail;
			}
			nbuf = malloc(ncap);
			if (!nbuf) {
				snprintf(err, errlen, "out of memory");
				goto fail;
			}
			if (buf) {
				memcpy(nbuf, buf, len);
				OPENSSL_cleanse(buf, cap);
				free(buf);
			}
			buf = nbuf;
			cap = ncap;
		}
		r = read(fd, buf + len, cap - len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			snprintf(err, errlen, "cannot read: %s", strerror(errno));
			goto fail;
		}
		if (!r)
			break;
		len += (size_t)r;
	}
	close(fd);
	buf[len] = '\0';
	*bufp = buf;
	*lenp = len;
	*capp = cap;
	return 0;

fail:
	if (fd >= 0)
		close(fd);
	if (buf) {
		OPENSSL_cleanse(buf, cap);
		free(buf);
	}
	return -1;
}

/* Messages */

bool cfg_diag_add(struct cfg_diags *d, const char *file, unsigned int line,
		  unsigned int col, bool warning, const char *msg)
{
	return cfg_diag_add_sev(d, file, line, col,
				warning ? POLICY_WARNING : POLICY_ERROR, msg);
}

bool cfg_diag_add_sev(struct cfg_diags *d, const char *file,
		      unsigned int line, unsigned int col,
		      enum policy_severity sev, const char *msg)
{
	static const char *const tag[] = {
		[POLICY_ERROR] = "",
		[POLICY_WARNING] = "warning: ",
		[POLICY_NOTICE] = "notice: ",
	};
	struct cfg_diag *nd;
	size_t size;
	char *s;

	if (d->n > CFG_DIAGS_MAX)
		return false;
	for (size_t i = 0; i < d->n; i++) {
		if (d->d[i].line == line && d->d[i].col == col &&
		    strstr(d->d[i].msg, msg))
			return true;	/* inherited by many tunnels: say it once */
	}
	if (d->n >= CFG_DIAGS_MAX) {
		line = 0;
		sev = POLICY_ERROR;
		msg = "too many errors; stopping";
	}
	size = strlen(file) + strlen(msg) + 48;
	s = malloc(size);
	nd = s ? realloc(d->d, (d->n + 1) * sizeof(*d->d)) : NULL;
	if (!nd) {
		free(s);
		return false;
	}
	if (line)
		snprintf(s, size, "%s:%u:%u: %s%s", file, line, col, tag[sev],
			 msg);
	else
		snprintf(s, size, "%s: %s%s", file, tag[sev], msg);
	d->d = nd;
	d->d[d->n++] = (struct cfg_diag){ line, col, sev == POLICY_WARNING,
					  sev == POLICY_NOTICE, s };
	if (sev == POLICY_WARNING)
		d->warnings++;
	else if (sev == POLICY_NOTICE)
		d->notices++;
	else
		d->errors++;
	return d->n <= CFG_DIAGS_MAX;
}

static bool cfg_diag_before(const struct cfg_diag *x,
			    const struct cfg_diag *y)
{
	return x->line < y->line || (x->line == y->line && x->col < y->col);
}

void cfg_diags_sort(struct cfg_diags *d, size_t first)
{
	/* Insertion sort: stable, and there are at most a hundred. */
	for (size_t i = first + 1; i < d->n; i++) {
		struct cfg_diag x = d->d[i];
		size_t k = i;

		for (; k > first && cfg_diag_before(&x, &d->d[k - 1]); k--)
			d->d[k] = d->d[k - 1];
		d->d[k] = x;
	}
}

void cfg_diags_print(const struct cfg_diags *d, FILE *f)
{
	for (size_t i = 0; i < d->n; i++)
		fprintf(f, "%s\n", d->d[i].msg);
}

void cfg_diags_free(struct cfg_diags *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->d[i].msg);
	free(d->d);
	memset(d, 0, sizeof(*d));
}
