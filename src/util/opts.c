/* opts.c - the table-driven option parser (opts.h).
 *
 * The scanning is glibc's getopt_long, not a loop of strcmp: it already does,
 * as every GNU tool users know does, `--name=value` and `--name value`,
 * unique prefixes of long names, clusters of short options, `--` ending the
 * options and options between positional arguments, and it is well kept. What
 * it does not do is here: a table that also prints the help, the values' kinds
 * and ranges, required options and argument counts, and one wording of every
 * mistake (getopt's own messages are turned off, opterr = 0). */
#include "opts.h"

#include "err.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* getopt_long's value for option k when it has no short name: above every char. */
#define LONG_ONLY 256
#define OPTS_MANY SIZE_MAX /* arguments: no limit */

static size_t opt_count(const Opt *opts)
{
    size_t n = 0;
    while (opts && opts[n].name)
        n++;
    return n;
}

static int takes_value(const Opt *o)
{
    return o->flag == NULL;
}

/* The option getopt_long reported as c (its val), or -1. */
static int find(const Opt *opts, size_t n, int c)
{
    for (size_t k = 0; k < n; k++)
        if (c == (opts[k].short_name ? (unsigned char)opts[k].short_name : LONG_ONLY + (int)k))
            return (int)k;
    return -1;
}

/* A table mistake is the programmer's: said as plainly, never a crash. */
static int check_table(const OptsSpec *s, size_t n, char *err)
{
    if (n > OPTS_MAX)
        return err_set(err, "%s: more than %d options", s->prog, OPTS_MAX);
    for (size_t k = 0; k < n; k++) {
        const Opt *o = &s->opts[k];
        int dests = !!o->str + !!o->flag + !!o->num + !!o->list;
        if (dests != 1)
            return err_set(err, "%s: option '--%s' needs exactly one destination", s->prog,
                           o->name);
        if (o->short_name == 'h' || strcmp(o->name, "help") == 0)
            return err_set(err, "%s: option '--%s' takes the name of --help", s->prog, o->name);
    }
    return 0;
}

/* err = "PROG: WHAT (see PROG --help)" */
static int usage_error(const OptsSpec *s, char *err, const char *what)
{
    return err_set(err, "%s: %s (see %s --help)", s->prog, what, s->prog);
}

/* The option word as typed, for a message: "--out" or "-o". */
static void typed_name(const Opt *o, const char *word, char *buf, size_t size)
{
    if (o->short_name && !(word && strncmp(word, "--", 2) == 0))
        snprintf(buf, size, "-%c", o->short_name);
    else
        snprintf(buf, size, "--%s", o->name);
}

static int number_error(const OptsSpec *s, const char *name, const Opt *o, const char *text,
                        char *err)
{
    char what[ERR_MAX];
    if (o->min == 0 && o->max == 0)
        snprintf(what, sizeof what, "option '%s' needs an integer, not '%s'", name, text);
    else if (o->min == 1 && o->max == LONG_MAX)
        snprintf(what, sizeof what, "option '%s' needs a positive integer, not '%s'", name, text);
    else if (o->max == LONG_MAX)
        snprintf(what, sizeof what, "option '%s' needs an integer of at least %ld, not '%s'", name,
                 o->min, text);
    else
        snprintf(what, sizeof what, "option '%s' needs an integer from %ld to %ld, not '%s'", name,
                 o->min, o->max, text);
    return usage_error(s, err, what);
}

static int parse_long(const char *text, const Opt *o, long *v)
{
    if (!(isdigit((unsigned char)text[0]) || text[0] == '-' || text[0] == '+'))
        return -1;
    char *end;
    errno = 0;
    long x = strtol(text, &end, 10);
    if (*end != '\0' || errno == ERANGE)
        return -1;
    if (!(o->min == 0 && o->max == 0) && (x < o->min || x > o->max))
        return -1;
    *v = x;
    return 0;
}

/* Checks (and when store is set, stores) one option's value. */
static int take(const OptsSpec *s, const Opt *o, const char *word, const char *value, int store,
                char *err)
{
    if (o->flag) {
        if (store)
            *o->flag = 1;
        return 0;
    }
    if (o->num) {
        long v;
        char name[64];
        if (parse_long(value, o, &v) < 0) {
            typed_name(o, word, name, sizeof name);
            return number_error(s, name, o, value, err);
        }
        if (store)
            *o->num = v;
        return 0;
    }
    if (!store)
        return 0;
    if (o->str) {
        *o->str = value;
        return 0;
    }
    const char **grown = realloc(o->list->items, (o->list->n + 1) * sizeof *grown);
    if (!grown)
        return err_set(err, "%s: out of memory", s->prog);
    grown[o->list->n++] = value;
    o->list->items = grown;
    return 0;
}

/* What is missing, "--a", "--a and B" or "--a, --b and C": the required
 * options not given, then the required words of args beyond the n_args
 * arguments given, into buf; returns how many. */
static size_t missing_list(const OptsSpec *s, size_t n, const int *seen, size_t n_args, char *buf,
                           size_t size)
{
    const char *items[OPTS_MAX + 16];
    char names[OPTS_MAX][64], words[512];
    size_t m = 0, given = 0;
    for (size_t k = 0; k < n; k++)
        if (s->opts[k].required && !seen[k]) {
            snprintf(names[k], sizeof names[k], "--%s", s->opts[k].name);
            items[m++] = names[k];
        }
    snprintf(words, sizeof words, "%s", s->args ? s->args : "");
    for (char *w = strtok(words, " "); w && m < sizeof items / sizeof items[0];
         w = strtok(NULL, " "))
        if (w[0] != '[' && given++ >= n_args)
            items[m++] = w;
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < m && len < size; i++)
        len += (size_t)snprintf(buf + len, size - len, "%s%s",
                                i == 0       ? ""
                                : i + 1 == m ? " and "
                                             : ", ",
                                items[i]);
    return m;
}

/* How many positional arguments the usage words of args allow at most: one
 * ending in "..." (or "...]") may repeat (missing_list counts the fewest). */
static size_t arg_max(const char *args)
{
    size_t max = 0;
    for (const char *w = args ? args : ""; *w && max != OPTS_MANY;) {
        size_t len = strcspn(w, " ");
        int many = (len >= 3 && strncmp(w + len - 3, "...", 3) == 0) ||
                   (len >= 4 && strncmp(w + len - 4, "...]", 4) == 0);
        max = many ? OPTS_MANY : max + 1;
        w += len;
        w += strspn(w, " ");
    }
    return max;
}

/* The positional arguments (is_arg marks them in argv) against args, and the
 * required options against seen. */
static int check_counts(const OptsSpec *s, size_t n, const int *seen, int argc, char **argv,
                        const unsigned char *is_arg, char *err)
{
    char what[ERR_MAX];
    size_t n_args = 0, max = arg_max(s->args);
    for (int j = 1; j < argc; j++)
        if (is_arg[j] && n_args++ == max) {
            snprintf(what, sizeof what, "unexpected argument '%s'", argv[j]);
            return usage_error(s, err, what);
        }
    char list[400];
    size_t m = missing_list(s, n, seen, n_args, list, sizeof list);
    if (m == 0)
        return 0;
    snprintf(what, sizeof what, "%s %s required", list, m == 1 ? "is" : "are");
    return usage_error(s, err, what);
}

/* One pass of getopt_long over argv: checks everything, marks the positional
 * arguments in is_arg (argc bytes, zero), stores only when store is set
 * (parse runs it twice, so that nothing is stored unless all is right).
 * Returns 0, OPTS_HELP or -1. */
static int scan(const OptsSpec *s, size_t n, int argc, char **argv, int store,
                unsigned char *is_arg, char *err)
{
    struct option longs[OPTS_MAX + 2];
    char shorts[2 * OPTS_MAX + 4], *p = shorts, what[ERR_MAX];
    int seen[OPTS_MAX] = {0};
    /* '-': the positional arguments come back in their place, as 1 (getopt's
     * permuting would stop at the first one when POSIXLY_CORRECT is set);
     * ':': a missing value is ':', not '?' */
    *p++ = '-';
    *p++ = ':';
    *p++ = 'h';
    for (size_t k = 0; k < n; k++) {
        const Opt *o = &s->opts[k];
        longs[k] =
            (struct option){o->name, takes_value(o) ? required_argument : no_argument, NULL,
                            o->short_name ? (unsigned char)o->short_name : LONG_ONLY + (int)k};
        if (o->short_name) {
            *p++ = o->short_name;
            if (takes_value(o))
                *p++ = ':';
        }
    }
    *p = '\0';
    longs[n] = (struct option){"help", no_argument, NULL, 'h'};
    longs[n + 1] = (struct option){NULL, 0, NULL, 0};
    opterr = 0;
    optind = 0; /* glibc: start over, also inside a cluster of short options */
    int c;
    while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
        /* the option's word as typed, for its spelling: "--out", "--out=x", "-o" */
        const char *word = argv[optind - 1];
        if (optarg && word == optarg && optind >= 2)
            word = argv[optind - 2];
        char name[64];
        if (c == 1) {
            is_arg[optind - 1] = 1;
            continue;
        }
        if (c == 'h')
            return OPTS_HELP;
        int k = find(s->opts, n, c == ':' || c == '?' ? optopt : c);
        if (c == ':' || (c == '?' && k >= 0)) {
            typed_name(&s->opts[k], word, name, sizeof name);
            snprintf(what, sizeof what, "option '%s' %s", name,
                     c == ':' ? "needs a value" : "takes no value");
            return usage_error(s, err, what);
        }
        if (c == '?') {
            if (optopt)
                snprintf(what, sizeof what, "unknown option '-%c'", optopt);
            else
                snprintf(what, sizeof what, "unknown option '%.*s'", (int)strcspn(word, "="), word);
            return usage_error(s, err, what);
        }
        if (take(s, &s->opts[k], word, optarg, store, err) < 0)
            return -1;
        seen[k] = 1;
    }
    for (int j = optind; j < argc; j++) /* those after `--` */
        is_arg[j] = 1;
    return check_counts(s, n, seen, argc, argv, is_arg, err);
}

/* Moves the positional arguments, in their order, after the rest of argv;
 * returns the index of the first. */
static int args_last(int argc, char **argv, const unsigned char *is_arg, char **tmp)
{
    int k = 1;
    memcpy(tmp, argv, (size_t)argc * sizeof *tmp);
    for (int j = 1; j < argc; j++)
        if (!is_arg[j])
            argv[k++] = tmp[j];
    int first = k;
    for (int j = 1; j < argc; j++)
        if (is_arg[j])
            argv[k++] = tmp[j];
    return first;
}

int opts_parse(const OptsSpec *s, int argc, char **argv, char *err)
{
    size_t n = opt_count(s->opts);
    if (check_table(s, n, err) < 0)
        return OPTS_ERROR;
    size_t cells = argc > 0 ? (size_t)argc : 1;
    unsigned char *is_arg = calloc(cells, 1);
    char **tmp = malloc(cells * sizeof *tmp);
    int rc = is_arg && tmp ? 0 : err_set(err, "%s: out of memory", s->prog);
    if (rc == 0)
        rc = scan(s, n, argc, argv, 0, is_arg, err);
    if (rc == 0) {
        memset(is_arg, 0, cells);
        rc = scan(s, n, argc, argv, 1, is_arg, err);
    }
    if (rc == 0)
        rc = args_last(argc, argv, is_arg, tmp);
    free(is_arg);
    free(tmp);
    return rc == -1 ? OPTS_ERROR : rc;
}

/* "-o, --out FILE", "    --out FILE" or "--out FILE" (no short names at all). */
static int left_column(const Opt *o, int shorts, char *buf, size_t size)
{
    const char *meta = takes_value(o) ? (o->meta ? o->meta : "VALUE") : NULL;
    char start[8] = "";
    if (shorts)
        snprintf(start, sizeof start, o->short_name ? "-%c, " : "    ", o->short_name);
    return snprintf(buf, size, "%s--%s%s%s", start, o->name, meta ? " " : "", meta ? meta : "");
}

static void print_help_text(FILE *f, const char *help, int indent)
{
    for (const char *line = help ? help : ""; *line;) {
        size_t len = strcspn(line, "\n");
        fprintf(f, "%.*s", (int)len, line);
        line += len;
        if (*line == '\n' && line[1])
            fprintf(f, "\n%*s", indent, "");
        line += *line == '\n';
    }
}

void opts_usage(const OptsSpec *s, FILE *f)
{
    size_t n = opt_count(s->opts);
    int shorts = 0, width = (int)strlen("-h, --help"), optional = 0;
    char left[128];
    for (size_t k = 0; k < n; k++)
        shorts |= s->opts[k].short_name != 0;
    for (size_t k = 0; k < n; k++) {
        int w = left_column(&s->opts[k], shorts, left, sizeof left);
        width = w > width ? w : width;
    }
    fprintf(f, "usage: %s", s->prog);
    for (size_t k = 0; k < n; k++) {
        const Opt *o = &s->opts[k];
        if (o->required)
            fprintf(f, " --%s%s%s", o->name, takes_value(o) ? " " : "",
                    takes_value(o) ? (o->meta ? o->meta : "VALUE") : "");
        optional |= !o->required;
    }
    fprintf(f, "%s%s%s\n", optional ? " [options]" : "", s->args ? " " : "",
            s->args ? s->args : "");
    if (s->about)
        fprintf(f, "\n%s%s", s->about, s->about[strlen(s->about) - 1] == '\n' ? "" : "\n");
    fprintf(f, "\n");
    for (size_t k = 0; k < n; k++) {
        const Opt *o = &s->opts[k];
        left_column(o, shorts, left, sizeof left);
        fprintf(f, "  %-*s   ", width, left);
        print_help_text(f, o->help, width + 5);
        if (o->str && *o->str)
            fprintf(f, " (default %s)", *o->str);
        else if (o->num && *o->num)
            fprintf(f, " (default %ld)", *o->num);
        fprintf(f, "\n");
    }
    fprintf(f, "  %-*s   print this help\n", width, "-h, --help");
}

int opts_get(const OptsSpec *s, int argc, char **argv, int *status)
{
    char err[ERR_MAX];
    int i = opts_parse(s, argc, argv, err);
    *status = i == OPTS_ERROR ? 2 : 0;
    if (i == OPTS_HELP)
        opts_usage(s, stdout);
    else if (i == OPTS_ERROR)
        fprintf(stderr, "%s\n", err);
    return i < 0 ? -1 : i;
}

static void verbs_usage(const char *prog, const OptsVerb *verbs, FILE *f)
{
    fprintf(f, "usage: %s <command> [options]   (%s <command> --help)\n\ncommands:\n", prog, prog);
    for (const OptsVerb *v = verbs; v->name; v++)
        fprintf(f, "  %-10s %s\n", v->name, v->summary);
}

int opts_dispatch(const char *prog, const OptsVerb *verbs, int argc, char **argv)
{
    if (argc < 2) {
        verbs_usage(prog, verbs, stderr);
        return 2;
    }
    if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        verbs_usage(prog, verbs, stdout);
        return 0;
    }
    for (const OptsVerb *v = verbs; v->name; v++)
        if (strcmp(argv[1], v->name) == 0)
            return v->run(argc - 1, argv + 1);
    fprintf(stderr, "%s: '%s' is not a command (see %s --help)\n", prog, argv[1], prog);
    return 2;
}
