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

/* Is t (part of) the key of the line? */
static bool cfg_secret(const struct cfg_parser *p, const struct cfg_tok *t)
{
	return p->secret_col && t->col >= p->secret_col &&
	       (!p->secret_end || t->col < p->secret_end);
}

/* The words of the command read so far, for messages. */
const char *cfg_said(struct cfg_parser *p)
{
	size_t o = 0;

	p->said[0] = '\0';
	for (unsigned int i = p->path_start; i < p->pos; i++) {
		const struct cfg_tok *t = &p->line->tok[i];
		int n;

		if (cfg_secret(p, t) && !p->secret_end)
			break;	/* never a key */
		n = snprintf(p->said + o, sizeof(p->said) - o, "%s%s",
			     o ? " " : "", cfg_secret(p, t) ? "<key>" : t->s);
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
	if (cfg_secret(p, t))
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
	static const char *const scope[CFG_MODE_COUNT] = {
		[CFG_GLOBAL] = "file",
		[CFG_DEFAULT_PROFILE] = "ikev2 default-profile",
		[CFG_PROFILE] = "ikev2 profile",
		[CFG_INTERFACE] = "interface",
		[CFG_SKIP] = "file",
		[CFG_IOS_ISAKMP_POLICY] = "crypto isakmp policy",
		[CFG_IOS_KEYRING] = "crypto keyring",
		[CFG_IOS_ISAKMP_PROFILE] = "crypto isakmp profile",
		[CFG_IOS_TSET] = "transform set",
		[CFG_IOS_IPSEC_PROFILE] = "crypto ipsec profile",
		[CFG_IOS_MAP] = "crypto map entry",
		[CFG_IOS_LINE] = "line",
		[CFG_IOS_BLOCK] = "file",
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

static void cfg_iface_close(struct cfg_parser *p);

void cfg_run_exit(struct cfg_parser *p, const struct cfg_cmd *c)
{
	(void)c;
	if (!cfg_end(p))
		return;
	cfg_iface_close(p);
	p->mode = CFG_GLOBAL;
}

/* Dialects and interfaces */

static const char *const cfg_dialect_names[] = {
	[CFG_ANY] = "either dialect",
	[CFG_IX] = "NEC IX",
	[CFG_IOS] = "Cisco IOS",
};

bool cfg_dialect(struct cfg_parser *p, enum cfg_dialect d)
{
	if (d == CFG_ANY || p->dialect == d)
		return true;
	if (p->dialect == CFG_ANY) {
		p->dialect = d;
		p->dialect_line = p->line->no;
		snprintf(p->dialect_cmd, sizeof(p->dialect_cmd), "%s", cfg_said(p));
		return true;
	}
	cfg_err(p, p->line->tok[p->path_start].col,
		"'%s' is %s, but line %u ('%s') made this file %s; expected one dialect per file",
		cfg_said(p), cfg_dialect_names[d], p->dialect_line,
		p->dialect_cmd, cfg_dialect_names[p->dialect]);
	return false;
}

static bool cfg_make_ix(struct cfg_parser *p, struct cfg_iface *f)
{
	struct policy_tunnel *t = policy_tunnel_get(p->cfg, f->name, &f->loc);

	if (!t)
		return false;
	if (f->has_shutdown) {
		t->shutdown = f->shutdown;
		t->tloc[POLICY_T_SHUTDOWN] = f->shutdown_loc;
	}
	f->made = true;
	p->tunnel = t;
	p->opts = &t->opts;
	return true;
}

static bool cfg_make_ios(struct cfg_parser *p, struct cfg_iface *f)
{
	struct policy_ios *ios = policy_ios_get(p->cfg);
	struct policy_ios_if *i = ios ? policy_ios_if_get(ios, f->name, &f->loc) : NULL;

	if (!i)
		return false;
	if (f->has_shutdown) {
		i->shutdown = f->shutdown;
		i->floc[POLICY_IFF_SHUTDOWN] = f->shutdown_loc;
	}
	f->made = true;
	p->ios = ios;
	p->ios_if = i;
	return true;
}

static bool cfg_iface_made(struct cfg_parser *p, bool ok)
{
	if (!ok)
		cfg_err(p, p->line->tok[0].col, "out of memory");
	return ok;
}

bool cfg_iface_ix(struct cfg_parser *p)
{
	return cfg_iface_made(p, cfg_make_ix(p, &p->iface));
}

bool cfg_iface_ios(struct cfg_parser *p)
{
	return cfg_iface_made(p, cfg_make_ios(p, &p->iface));
}

/* Leaving an interface that no command of a dialect made: later. */
static void cfg_iface_close(struct cfg_parser *p)
{
	struct cfg_iface *f = &p->iface, *nd;

	if (p->mode != CFG_INTERFACE || f->made || !f->name[0])
		return;
	f->made = true;
	nd = realloc(p->deferred, (p->n_deferred + 1) * sizeof(*nd));
	if (!nd) {
		cfg_err(p, f->loc.col, "out of memory");
		return;
	}
	p->deferred = nd;
	p->deferred[p->n_deferred++] = *f;
}

static void cfg_run_interface(struct cfg_parser *p, const struct cfg_cmd *c)
{
	struct policy_loc loc = { p->line->no, p->line->tok[0].col };
	struct cfg_tok *n;

	(void)c;
	p->mode = CFG_SKIP;
	n = cfg_want_ifname(p);
	if (!n || !cfg_end(p))
		return;
	memset(&p->iface, 0, sizeof(p->iface));
	strcpy(p->iface.name, n->s);
	p->iface.loc = loc;
	p->tunnel = NULL;
	p->ios_if = NULL;
	if ((p->dialect == CFG_IX && !cfg_iface_ix(p)) ||
	    (p->dialect == CFG_IOS && !cfg_iface_ios(p)))
		return;
	p->mode = CFG_INTERFACE;
}

/* "[no] shutdown": for both dialects; kept for later before either. */
static void cfg_run_shutdown(struct cfg_parser *p, const struct cfg_cmd *c)
{
	struct cfg_iface *f = &p->iface;

	(void)c;
	if (p->dialect == CFG_IX) {
		if (cfg_iface_ix(p))
			cfg_ix_shutdown(p);
		return;
	}
	if (p->dialect == CFG_IOS) {
		if (cfg_iface_ios(p))
			cfg_ios_shutdown(p);
		return;
	}
	if (f->has_shutdown) {
		cfg_err(p, p->line->tok[0].col,
			"'%s' is already set at line %u of this interface; expected it once",
			cfg_said(p), f->shutdown_loc.line);
		return;
	}
	if (!cfg_end(p))
		return;
	f->has_shutdown = true;
	f->shutdown = !p->negate;
	cfg_mark(p, &f->shutdown_loc);
}

/* "tunnel mode ipsec-ikev2" (NEC IX) or "tunnel mode ipsec ipv4" (IOS). */
static void cfg_run_tunnel_mode(struct cfg_parser *p, const struct cfg_cmd *c)
{
	static const char *const expected[] = {
		[CFG_ANY] = "ipsec-ikev2 (NEC IX) or ipsec ipv4 (Cisco IOS)",
		[CFG_IX] = "ipsec-ikev2",
		[CFG_IOS] = "ipsec ipv4",
	};
	struct cfg_tok *t = cfg_peek(p);

	(void)c;
	if (t && (!strcasecmp(t->s, "ipsec-ikev2") || !strcasecmp(t->s, "ipsec"))) {
		bool ix = !strcasecmp(t->s, "ipsec-ikev2"), ok;

		p->pos++;	/* messages name the mode */
		ok = cfg_dialect(p, ix ? CFG_IX : CFG_IOS);
		p->pos--;
		if (!ok)
			return;
		if (ix && cfg_iface_ix(p))
			cfg_ix_tunnel_mode(p);
		else if (!ix && cfg_iface_ios(p))
			cfg_ios_tunnel_mode(p);
		return;
	}
	if (!t) {
		cfg_want(p, "tunnel mode", expected[p->dialect]);
		return;
	}
	if (!strcasecmp(t->s, "gre") && p->dialect != CFG_IX)
		cfg_err(p, t->col,
			"'tunnel mode gre' is not supported (an ikevti device is an IPsec VTI, it does not do GRE); expected 'tunnel mode ipsec ipv4'");
	else
		cfg_err(p, t->col, "unsupported tunnel mode '%s'; expected %s",
			t->s, expected[p->dialect]);
}

/* The modes and their tables */

static const struct cfg_cmd cfg_any_global[] = {
	{ "interface", NULL, cfg_run_interface, 0, 0, 0 },
	{ NULL, NULL, NULL, 0, 0, 0 },
};

static const struct cfg_cmd cfg_any_tunnel[] = {
	{ "destination", NULL, cfg_ios_run_tunnel_dest, 0, 0, CFG_IOS },
	{ "mode", NULL, cfg_run_tunnel_mode, 0, 0, 0 },
	{ "protection", cfg_ios_tunnel_protection, NULL, 0, 0, CFG_IOS },
	{ "source", NULL, cfg_ios_run_tunnel_source, 0, 0, CFG_IOS },
	{ NULL, NULL, NULL, 0, 0, 0 },
};

static const struct cfg_cmd cfg_any_interface[] = {
	{ "exit", NULL, cfg_run_exit, 0, 0, 0 },
	{ "shutdown", NULL, cfg_run_shutdown, CFG_NO, 0, 0 },
	{ "tunnel", cfg_any_tunnel, NULL, 0, 0, 0 },
	{ NULL, NULL, NULL, 0, 0, 0 },
};

#define CFG_TABLES_MAX	4

static const struct {
	const char *name;
	struct cfg_table t[CFG_TABLES_MAX];
} cfg_modes[CFG_MODE_COUNT] = {
	[CFG_GLOBAL] = { "global", {
		{ cfg_any_global, CFG_ANY }, { cfg_ix_global, CFG_IX },
		{ cfg_ios_global, CFG_IOS }, { cfg_ios_skipped, CFG_IOS } } },
	[CFG_DEFAULT_PROFILE] = { "ikev2 default-profile",
				  { { cfg_ix_profile, CFG_IX } } },
	[CFG_PROFILE] = { "ikev2 profile", { { cfg_ix_profile, CFG_IX } } },
	[CFG_INTERFACE] = { "interface", {
		{ cfg_any_interface, CFG_ANY }, { cfg_ix_interface, CFG_IX },
		{ cfg_ios_interface, CFG_IOS } } },
	[CFG_SKIP] = { "global", { { NULL, 0 } } },
	[CFG_IOS_ISAKMP_POLICY] = { "crypto isakmp policy",
				    { { cfg_ios_isakmp_policy, CFG_IOS } } },
	[CFG_IOS_KEYRING] = { "crypto keyring", { { cfg_ios_keyring, CFG_IOS } } },
	[CFG_IOS_ISAKMP_PROFILE] = { "crypto isakmp profile",
				     { { cfg_ios_isakmp_profile, CFG_IOS } } },
	[CFG_IOS_TSET] = { "crypto ipsec transform-set",
			   { { cfg_ios_tset, CFG_IOS } } },
	[CFG_IOS_IPSEC_PROFILE] = { "crypto ipsec profile",
				    { { cfg_ios_ipsec_profile, CFG_IOS } } },
	[CFG_IOS_MAP] = { "crypto map", { { cfg_ios_map, CFG_IOS } } },
	[CFG_IOS_LINE] = { "line", { { cfg_ios_line, CFG_IOS } } },
	[CFG_IOS_BLOCK] = { "global", { { cfg_ios_block, CFG_IOS } } },
};

/* Dispatch */

struct cfg_walk {
	const struct cfg_cmd *leaf;
	const struct cfg_cmd *table;	/* where the walk stopped */
	uint8_t table_dialect;
	unsigned int depth;		/* keywords matched */
	unsigned int pos;		/* the word after them */
	uint8_t dialect;		/* of the command, as far as walked */
};

static bool cfg_visible(uint8_t dialect, enum cfg_dialect filter)
{
	return !dialect || !filter || dialect == filter;
}

/* Walk one table; entries of a dialect other than filter do not exist. */
static void cfg_walk1(const struct cfg_line *l, unsigned int pos,
		      const struct cfg_table *tab, enum cfg_dialect filter,
		      struct cfg_walk *w)
{
	const struct cfg_cmd *t = tab->cmds;

	memset(w, 0, sizeof(*w));
	w->table = t;
	w->table_dialect = tab->dialect;
	w->dialect = tab->dialect;
	while (pos < l->ntok) {
		const struct cfg_cmd *c;

		for (c = t; c->name; c++) {
			if (cfg_visible(c->dialect, filter) &&
			    !strcasecmp(c->name, l->tok[pos].s))
				break;
		}
		if (!c->name)
			break;
		pos++;
		w->depth++;
		if (c->dialect)
			w->dialect = c->dialect;
		if (!c->sub) {
			w->leaf = c;
			break;
		}
		t = w->table = c->sub;
	}
	w->pos = pos;
}

/* Walk a mode's tables: the one that reaches a leaf, else the deepest. */
static void cfg_walk(const struct cfg_line *l, unsigned int pos,
		     enum cfg_mode mode, enum cfg_dialect filter,
		     struct cfg_walk *w)
{
	memset(w, 0, sizeof(*w));
	w->pos = pos;
	for (int i = 0; i < CFG_TABLES_MAX && cfg_modes[mode].t[i].cmds; i++) {
		const struct cfg_table *tab = &cfg_modes[mode].t[i];
		struct cfg_walk x;

		if (!cfg_visible(tab->dialect, filter))
			continue;
		cfg_walk1(l, pos, tab, filter, &x);
		if (x.leaf) {
			*w = x;
			return;
		}
		if (x.depth > w->depth)
			*w = x;
	}
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

/* Add the visible keywords of t to names[]. */
static void cfg_names_of(const struct cfg_cmd *t, enum cfg_dialect filter,
			 const char **names, size_t *n, size_t max, bool *no)
{
	for (; t->name && *n < max; t++) {
		if (!cfg_visible(t->dialect, filter) || (t->flags & CFG_HIDDEN))
			continue;
		*no |= (t->flags & CFG_NO) || (t->sub && cfg_has_no(t->sub));
		names[(*n)++] = t->name;
	}
}

/*
 * "a, b, c": the keywords after a walk, sorted, each once; at a mode's
 * top those of all its tables, and "no" when one of them takes it.
 */
static void cfg_names(const struct cfg_walk *w, enum cfg_mode mode,
		      enum cfg_dialect filter, char *buf, size_t size)
{
	const char *names[96];
	size_t n = 0, o = 0;
	bool no = false;

	if (w->depth) {
		cfg_names_of(w->table, filter, names, &n, CFG_N(names), &no);
	} else {
		for (int i = 0; i < CFG_TABLES_MAX && cfg_modes[mode].t[i].cmds; i++) {
			if (cfg_visible(cfg_modes[mode].t[i].dialect, filter))
				cfg_names_of(cfg_modes[mode].t[i].cmds, filter,
					     names, &n, CFG_N(names), &no);
		}
		if (no && n < CFG_N(names))
			names[n++] = "no";
	}
	qsort(names, n, sizeof(names[0]), cfg_strcmp);
	buf[0] = '\0';
	for (size_t i = 0; i < n && o < size; i++) {
		if (i && !strcmp(names[i], names[i - 1]))
			continue;
		o += (size_t)snprintf(buf + o, size - o, "%s%s", o ? ", " : "",
				      names[i]);
	}
}

static void cfg_walk_error(struct cfg_parser *p, const struct cfg_walk *w,
			   enum cfg_mode mode, unsigned int start)
{
	const struct cfg_line *l = p->line;
	const char *mname = cfg_modes[mode].name;
	char names[1200];

	cfg_names(w, mode, p->dialect, names, sizeof(names));
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
	p->secret_col = p->secret_end = 0;
	if (!cfg_dialect(p, w->dialect)) {
		p->mode = CFG_SKIP;
		return;
	}
	if (p->negate && !(w->leaf->flags & CFG_NO)) {
		cfg_err(p, p->line->tok[0].col,
			"'no' cannot be used with '%s'; expected the command without 'no'",
			cfg_said(p));
		return;
	}
	/* The first command of a dialect in an interface makes its object. */
	if (p->mode == CFG_INTERFACE &&
	    ((w->dialect == CFG_IX && !p->tunnel && !cfg_iface_ix(p)) ||
	     (w->dialect == CFG_IOS && !p->ios_if && !cfg_iface_ios(p))))
		return;
	w->leaf->run(p, w->leaf);
}

/* Leave the mode for global mode. */
static void cfg_leave(struct cfg_parser *p)
{
	cfg_iface_close(p);
	p->mode = CFG_GLOBAL;
}

static void cfg_dispatch(struct cfg_parser *p)
{
	const struct cfg_line *l = p->line;
	bool sub = p->mode != CFG_GLOBAL && p->mode != CFG_SKIP;
	struct cfg_walk wm = { 0 }, wg, wo;
	unsigned int start = 0;

	if (l->bang && !l->indent && !l->bang_text) {
		cfg_leave(p);	/* "!" between blocks ends a mode */
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
		cfg_walk(l, start, p->mode, p->dialect, &wm);
		if (wm.leaf) {
			cfg_run(p, &wm, start);
			return;
		}
	}
	cfg_walk(l, start, CFG_GLOBAL, p->dialect, &wg);
	if (wg.leaf) {
		cfg_leave(p);
		cfg_run(p, &wg, start);
		return;
	}
	if (p->mode == CFG_SKIP)
		return;
	/* A command of the other dialect: say so. */
	if (p->dialect) {
		if (sub) {
			cfg_walk(l, start, p->mode, CFG_ANY, &wo);
			if (wo.leaf) {
				cfg_run(p, &wo, start);
				return;
			}
		}
		cfg_walk(l, start, CFG_GLOBAL, CFG_ANY, &wo);
		if (wo.leaf) {
			cfg_leave(p);
			cfg_run(p, &wo, start);
			return;
		}
	}
	/* Report against the mode, unless only the global table knew the word. */
	if (sub && (wm.depth || !wg.depth))
		cfg_walk_error(p, &wm, p->mode, start);
	else
		cfg_walk_error(p, &wg, CFG_GLOBAL, start);
}

/* The interfaces no command of a dialect made: the file's dialect. */
static void cfg_deferred(struct cfg_parser *p)
{
	for (size_t i = 0; i < p->n_deferred && !p->stop; i++) {
		struct cfg_iface *f = &p->deferred[i];
		bool ok = p->dialect == CFG_IOS ? cfg_make_ios(p, f) :
			  cfg_make_ix(p, f);

		if (!ok && !cfg_diag_add(p->d, p->file, f->loc.line, f->loc.col,
					 false, "out of memory"))
			p->stop = true;
	}
	free(p->deferred);
	p->deferred = NULL;
	p->n_deferred = 0;
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
	if (p.line)
		cfg_iface_close(&p);
	cfg_deferred(&p);
	if (!d->errors && !p.stop)
		policy_ios_resolve(p.cfg, cfg_report, &p);
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
	if (cfg && policy_has_keys(cfg) && (st.st_mode & S_IROTH))
		cfg_diag_add(d, path, 0, 0, true,
			     "readable by every user, but holds pre-shared keys; expected mode 0600 or 0640");
	return cfg;
}
