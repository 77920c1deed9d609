// SPDX-License-Identifier: GPL-2.0
/*
 * The configuration parser's driver, the same for every dialect: the
 * words of a command, the walk of a line through its mode's table, and
 * the files.  The commands themselves are in one file per dialect
 * (cfg_ix.c); cfg_parse.h is what they share.
 *
 * A line is looked up in its mode's table first and then in the global
 * table, which leaves the mode (IOS behaviour, so unindented configs
 * work); a '!' line at column 1 leaves it too.  After an error on a line
 * that opens a mode, the lines of that mode are skipped, so one mistake
 * gives one message.
 *
 * Values are parsed into temporaries and stored only when the whole line
 * is right.  A field may be set once per scope; a second line is an
 * error that points at the first.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <openssl/crypto.h>

#include "cfg_parse.h"

void cfg_err(struct cfg_parser *p, unsigned int col, const char *fmt, ...)
{
	char msg[640];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!p->stop && !cfg_diag_add(p->d, p->file, p->line->no, col, false, msg))
		p->stop = true;
}

/* Words */

struct cfg_tok *cfg_peek(struct cfg_parser *p)
{
	if (p->pos >= p->line->ntok)
		return NULL;
	return &p->line->tok[p->pos];
}

struct cfg_tok *cfg_next(struct cfg_parser *p)
{
	struct cfg_tok *t = cfg_peek(p);

	if (t)
		p->pos++;
	return t;
}

/* The words of the command read so far, for messages. */
const char *cfg_said(struct cfg_parser *p)
{
	size_t o = 0;

	p->said[0] = '\0';
	for (unsigned int i = p->path_start; i < p->pos; i++) {
		const struct cfg_tok *t = &p->line->tok[i];
		int n;

		if (p->secret_col && t->col >= p->secret_col)
			break;	/* never a key */
		n = snprintf(p->said + o, sizeof(p->said) - o, "%s%s",
			     o ? " " : "", t->s);
		if (n < 0 || (size_t)n >= sizeof(p->said) - o)
			break;
		o += (size_t)n;
	}
	return p->said;
}

/* The next word; when there is none, says which was expected. */
struct cfg_tok *cfg_want(struct cfg_parser *p, const char *what,
				const char *expected)
{
	struct cfg_tok *t = cfg_next(p);

	if (!t)
		cfg_err(p, p->line->end_col, "missing %s after '%s'; expected %s",
			what, cfg_said(p), expected);
	return t;
}

/* The next word must be the keyword kw. */
bool cfg_want_kw(struct cfg_parser *p, const char *kw,
			const char *expected)
{
	struct cfg_tok *t = cfg_peek(p);

	if (!t) {
		cfg_err(p, p->line->end_col, "missing '%s' after '%s'; expected %s",
			kw, cfg_said(p), expected);
		return false;
	}
	if (strcasecmp(t->s, kw)) {
		cfg_err(p, t->col, "unexpected '%s' after '%s'; expected %s",
			t->s, cfg_said(p), expected);
		return false;
	}
	p->pos++;
	return true;
}

bool cfg_end(struct cfg_parser *p)
{
	struct cfg_tok *t = cfg_peek(p);

	if (!t)
		return true;
	if (p->secret_col && t->col >= p->secret_col)
		cfg_err(p, t->col,
			"unexpected word after the key (not shown); expected end of line (quote a key that holds blanks)");
	else
		cfg_err(p, t->col, "unexpected '%s' after '%s'; expected end of line",
			t->s, cfg_said(p));
	return false;
}

/* A field may be set once per scope. */
bool cfg_once(struct cfg_parser *p, const struct policy_loc *loc)
{
	static const char *const scope[] = {
		[CFG_DEFAULT_PROFILE] = "ikev2 default-profile",
		[CFG_PROFILE] = "ikev2 profile",
		[CFG_INTERFACE] = "interface",
	};

	/* Handlers check this first: what was said is the keywords. */
	if (!loc->line)
		return true;
	cfg_err(p, p->line->tok[0].col,
		"'%s' is already set at line %u of this %s; expected it once",
		cfg_said(p), loc->line, scope[p->mode]);
	return false;
}

void cfg_mark(struct cfg_parser *p, struct policy_loc *loc)
{
	loc->line = p->line->no;
	loc->col = p->line->tok[0].col;
}

/* A decimal number in [min, max]. */
bool cfg_number(struct cfg_parser *p, const char *unit, uint32_t min,
		       uint32_t max, uint32_t *out)
{
	char expected[96];
	struct cfg_tok *t;
	unsigned long v;

	snprintf(expected, sizeof(expected), "%s from %u to %u", unit, min, max);
	t = cfg_want(p, "value", expected);
	if (!t)
		return false;
	p->pos--;
	if (!cfg_is_digits(t->s) || t->len > 10) {
		cfg_err(p, t->col, "invalid value '%s' for '%s'; expected %s",
			t->s, cfg_said(p), expected);
		return false;
	}
	v = strtoul(t->s, NULL, 10);
	if (v < min || v > max) {
		cfg_err(p, t->col, "'%s %s' is out of range; expected %s",
			cfg_said(p), t->s, expected);
		return false;
	}
	p->pos++;
	*out = (uint32_t)v;
	return true;
}

/* An address, or an error that names what. */
bool cfg_want_addr(struct cfg_parser *p, const char *what,
			  struct policy_addr *a)
{
	struct cfg_tok *t = cfg_want(p, what, "an IPv4 or IPv6 address");

	if (!t)
		return false;
	if (!cfg_is_addr(t->s, a)) {
		cfg_err(p, t->col, "invalid %s '%s'; expected an IPv4 or IPv6 address",
			what, t->s);
		return false;
	}
	return true;
}

struct cfg_tok *cfg_want_name(struct cfg_parser *p, const char *what)
{
	struct cfg_tok *t = cfg_want(p, what, CFG_NAME_RULE);

	if (t && !cfg_is_name(t->s)) {
		cfg_err(p, t->col, "invalid %s '%s'; expected " CFG_NAME_RULE,
			what, t->s);
		return NULL;
	}
	return t;
}

struct cfg_tok *cfg_want_ifname(struct cfg_parser *p)
{
	struct cfg_tok *t = cfg_want(p, "interface name", CFG_IFNAME_RULE);

	if (t && !cfg_is_ifname(t->s)) {
		cfg_err(p, t->col,
			"invalid interface name '%s'; expected " CFG_IFNAME_RULE,
			t->s);
		return NULL;
	}
	return t;
}


void cfg_run_exit(struct cfg_parser *p, const struct cfg_cmd *c)
{
	(void)c;
	if (cfg_end(p))
		p->mode = CFG_GLOBAL;
}

/* The modes and their tables */

static const struct {
	const char *name;
	const struct cfg_cmd *table;
} cfg_modes[CFG_MODE_COUNT] = {
	[CFG_GLOBAL] = { "global", cfg_ix_global },
	[CFG_DEFAULT_PROFILE] = { "ikev2 default-profile", cfg_ix_profile },
	[CFG_PROFILE] = { "ikev2 profile", cfg_ix_profile },
	[CFG_INTERFACE] = { "interface", cfg_ix_interface },
	[CFG_SKIP] = { "global", cfg_ix_global },
};

/* Dispatch */

struct cfg_walk {
	const struct cfg_cmd *leaf;
	const struct cfg_cmd *table;	/* where the walk stopped */
	unsigned int depth;		/* keywords matched */
	unsigned int pos;		/* the word after them */
};

static void cfg_walk(const struct cfg_line *l, unsigned int pos,
		     const struct cfg_cmd *t, struct cfg_walk *w)
{
	memset(w, 0, sizeof(*w));
	w->table = t;
	while (pos < l->ntok) {
		const struct cfg_cmd *c;

		for (c = t; c->name; c++) {
			if (!strcasecmp(c->name, l->tok[pos].s))
				break;
		}
		if (!c->name)
			break;
		pos++;
		w->depth++;
		if (!c->sub) {
			w->leaf = c;
			break;
		}
		t = w->table = c->sub;
	}
	w->pos = pos;
}

static bool cfg_has_no(const struct cfg_cmd *t)
{
	for (; t->name; t++) {
		if ((t->flags & CFG_NO) || (t->sub && cfg_has_no(t->sub)))
			return true;
	}
	return false;
}

static int cfg_strcmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* "a, b, c": the table's keywords, sorted; "no" too at a mode's top. */
static void cfg_names(const struct cfg_cmd *t, bool top, char *buf,
		      size_t size)
{
	const char *names[48];
	size_t n = 0, o = 0;

	if (top && cfg_has_no(t))
		names[n++] = "no";
	for (; t->name && n < CFG_N(names); t++)
		names[n++] = t->name;
	qsort(names, n, sizeof(names[0]), cfg_strcmp);
	buf[0] = '\0';
	for (size_t i = 0; i < n && o < size; i++)
		o += (size_t)snprintf(buf + o, size - o, "%s%s", i ? ", " : "",
				      names[i]);
}

static void cfg_walk_error(struct cfg_parser *p, const struct cfg_walk *w,
			   enum cfg_mode mode, unsigned int start)
{
	const struct cfg_line *l = p->line;
	const char *mname = cfg_modes[mode].name;
	char names[400];

	cfg_names(w->table, !w->depth, names, sizeof(names));
	p->path_start = start;
	p->pos = w->pos;
	if (w->pos >= l->ntok)
		cfg_err(p, l->end_col,
			"incomplete command '%s' in %s mode; expected one of: %s",
			cfg_said(p), mname, names);
	else if (!w->depth)
		cfg_err(p, l->tok[w->pos].col,
			"unknown command '%s' in %s mode; expected one of: %s",
			l->tok[w->pos].s, mname, names);
	else
		cfg_err(p, l->tok[w->pos].col,
			"unknown word '%s' after '%s' in %s mode; expected one of: %s",
			l->tok[w->pos].s, cfg_said(p), mname, names);
}

static void cfg_run(struct cfg_parser *p, const struct cfg_walk *w,
		    unsigned int start)
{
	p->path_start = start;
	p->pos = w->pos;
	p->secret_col = 0;
	if (p->negate && !(w->leaf->flags & CFG_NO)) {
		cfg_err(p, p->line->tok[0].col,
			"'no' cannot be used with '%s'; expected the command without 'no'",
			cfg_said(p));
		return;
	}
	w->leaf->run(p, w->leaf);
}

static void cfg_dispatch(struct cfg_parser *p)
{
	const struct cfg_line *l = p->line;
	bool sub = p->mode != CFG_GLOBAL && p->mode != CFG_SKIP;
	struct cfg_walk wm = { 0 }, wg;
	unsigned int start = 0;

	if (l->bang && !l->indent) {
		p->mode = CFG_GLOBAL;	/* "!" between blocks ends a mode */
		return;
	}
	if (!l->ntok)
		return;
	p->negate = !strcasecmp(l->tok[0].s, "no");
	if (p->negate) {
		start = 1;
		if (l->ntok == 1) {
			p->path_start = p->pos = 0;
			cfg_err(p, l->end_col,
				"incomplete command 'no'; expected a command after it");
			return;
		}
	}
	if (sub) {
		cfg_walk(l, start, cfg_modes[p->mode].table, &wm);
		if (wm.leaf) {
			cfg_run(p, &wm, start);
			return;
		}
	}
	cfg_walk(l, start, cfg_modes[CFG_GLOBAL].table, &wg);
	if (wg.leaf) {
		p->mode = CFG_GLOBAL;
		cfg_run(p, &wg, start);
		return;
	}
	if (p->mode == CFG_SKIP)
		return;
	/* Report against the mode, unless only the global table knew the word. */
	if (sub && (wm.depth || !wg.depth))
		cfg_walk_error(p, &wm, p->mode, start);
	else
		cfg_walk_error(p, &wg, CFG_GLOBAL, start);
}

static void cfg_report(void *ctx, const struct policy_loc *loc,
		       enum policy_severity sev, const char *msg)
{
	struct cfg_parser *p = ctx;

	if (!p->stop &&
	    !cfg_diag_add_sev(p->d, p->file, loc->line, loc->col, sev, msg))
		p->stop = true;
}

/* Parse buf (len bytes, modified) and wipe it. */
static struct policy_config *cfg_parse(const char *name, char *buf,
				       size_t len, struct cfg_diags *d)
{
	struct cfg_parser p = { .file = name, .d = d, .mode = CFG_GLOBAL };
	struct cfg_line *line = malloc(sizeof(*line));
	unsigned int no = 0;
	size_t off = 0, first = d->n;

	p.cfg = policy_config_new(name);
	if (!p.cfg || !line) {
		cfg_diag_add(d, name, 0, 0, false, "out of memory");
		goto out;
	}
	while (off < len && !p.stop) {
		char *s = buf + off, *nl = memchr(s, '\n', len - off);
		size_t n = nl ? (size_t)(nl - s) : len - off;
		struct cfg_lex_err err;
		char *nul;

		off += n + 1;
		no++;
		if (n && s[n - 1] == '\r')
			n--;
		s[n] = '\0';	/* buf has room: cfg_load_*() add a byte */
		nul = memchr(s, '\0', n);
		if (nul) {
			cfg_diag_add(d, name, no, (unsigned int)(nul - s) + 1, false,
				     "NUL byte; expected text");
			p.mode = CFG_SKIP;
			continue;
		}
		if (cfg_lex_line(s, no, line, &err)) {
			if (!cfg_diag_add(d, name, no, err.col, false, err.msg))
				p.stop = true;
			continue;
		}
		p.line = line;
		cfg_dispatch(&p);
	}
	if (!d->errors && !p.stop)
		policy_check(p.cfg, cfg_report, &p);
	cfg_diags_sort(d, first);
out:
	if (line) {
		OPENSSL_cleanse(line, sizeof(*line));
		free(line);
	}
	OPENSSL_cleanse(buf, len);
	if (d->errors) {
		policy_config_free(p.cfg);
		return NULL;
	}
	return p.cfg;
}

struct policy_config *cfg_load_text(const char *name, const char *text,
				    size_t len, struct cfg_diags *d)
{
	char *buf = malloc(len + 1);

	if (!buf) {
		cfg_diag_add(d, name, 0, 0, false, "out of memory");
		return NULL;
	}
	struct policy_config *cfg;

	memcpy(buf, text, len);
	buf[len] = '\0';
	cfg = cfg_parse(name, buf, len, d);	/* wipes buf */
	free(buf);
	return cfg;
}

struct policy_config *cfg_load_file(const char *path, struct cfg_diags *d)
{
	struct policy_config *cfg;
	size_t len, cap;
	char *buf, err[160];
	struct stat st;

	if (cfg_read_file(path, CFG_FILE_MAX, &buf, &len, &cap, &st, err,
			  sizeof(err))) {
		cfg_diag_add(d, path, 0, 0, false, err);
		return NULL;
	}
	cfg = cfg_parse(path, buf, len, d);
	OPENSSL_cleanse(buf, cap);
	free(buf);
	if (cfg && cfg->n_psk && (st.st_mode & S_IROTH))
		cfg_diag_add(d, path, 0, 0, true,
			     "readable by every user, but holds pre-shared keys; expected mode 0600 or 0640");
	return cfg;
}
