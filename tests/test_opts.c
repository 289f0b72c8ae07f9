#include "opts.h"

#include "err.h"

#include <check.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The destinations of the test command's table, reset for every parse. */
typedef struct {
    const char *out, *mode;
    int verbose, json;
    long count;
    OptList tags;
} Dest;

/* A command with every kind: --out/-o FILE (required), --mode NAME (default
 * "fast"), -v/--verbose, --json, --count N in [1, 100], --tag T repeated;
 * the positional arguments args. */
typedef struct {
    Dest d;
    Opt opts[7];
    OptsSpec spec;
} Cmd;

static void cmd_init(Cmd *c, const char *args)
{
    memset(c, 0, sizeof *c);
    c->d.mode = "fast";
    const Opt opts[] = {
        {.name = "out", .short_name = 'o', .meta = "FILE", .str = &c->d.out, .required = 1,
         .help = "where to write"},
        {.name = "mode", .meta = "NAME", .str = &c->d.mode, .help = "how\nand why"},
        {.name = "verbose", .short_name = 'v', .flag = &c->d.verbose, .help = "say more"},
        {.name = "json", .flag = &c->d.json, .help = "as JSON"},
        {.name = "count", .meta = "N", .num = &c->d.count, .min = 1, .max = 100,
         .help = "how many"},
        {.name = "tag", .meta = "T", .list = &c->d.tags, .help = "a tag (again for more)"},
        {0}};
    memcpy(c->opts, opts, sizeof opts);
    c->spec = (OptsSpec){
        .prog = "repro test", .args = args, .about = "Tests the parser.", .opts = c->opts};
}

static void cmd_release(Cmd *c)
{
    free(c->d.tags.items);
}

#define ARGC(a) ((int)(sizeof(a) / sizeof((a)[0])) - 1)

/* Parses argv (NULL-ended) with a fresh command; returns opts_parse's value. */
static int parse(Cmd *c, const char *args, char **argv, int argc, char *err)
{
    cmd_init(c, args);
    err[0] = '\0';
    return opts_parse(&c->spec, argc, argv, err);
}

START_TEST(test_values_and_flags)
{
    Cmd c;
    char err[ERR_MAX];
    char *a[] = {"test", "--out", "x", "--mode=slow", "-v", "--count", "7", "--tag", "a",
                 "--tag=b", NULL};
    ck_assert_int_eq(parse(&c, "[ARG...]", a, ARGC(a), err), ARGC(a));
    ck_assert_str_eq(c.d.out, "x");
    ck_assert_str_eq(c.d.mode, "slow");
    ck_assert_int_eq(c.d.verbose, 1);
    ck_assert_int_eq(c.d.json, 0);
    ck_assert_int_eq(c.d.count, 7);
    ck_assert_uint_eq(c.d.tags.n, 2);
    ck_assert_str_eq(c.d.tags.items[0], "a");
    ck_assert_str_eq(c.d.tags.items[1], "b");
    cmd_release(&c);

    /* short forms: -o FILE, -oFILE, a cluster; the last value wins; a prefix */
    char *b[] = {"test", "-o", "first", "-vofinal", "--js", "--count=+3", NULL};
    ck_assert_int_eq(parse(&c, "[ARG...]", b, ARGC(b), err), ARGC(b));
    ck_assert_str_eq(c.d.out, "final");
    ck_assert_int_eq(c.d.verbose, 1);
    ck_assert_int_eq(c.d.json, 1);
    ck_assert_int_eq(c.d.count, 3);
    ck_assert_str_eq(c.d.mode, "fast");
    cmd_release(&c);
}
END_TEST

START_TEST(test_positional_arguments)
{
    Cmd c;
    char err[ERR_MAX];
    /* options between and after the arguments; the arguments keep their order */
    char *a[] = {"test", "one", "--out", "x", "two", "-v", NULL};
    int i = parse(&c, "ARG...", a, ARGC(a), err);
    ck_assert_int_eq(i, 4);
    ck_assert_str_eq(a[i], "one");
    ck_assert_str_eq(a[i + 1], "two");
    ck_assert_str_eq(c.d.out, "x");
    ck_assert_int_eq(c.d.verbose, 1);
    cmd_release(&c);

    /* the same when POSIXLY_CORRECT asks getopt to stop at the first argument */
    setenv("POSIXLY_CORRECT", "1", 1);
    char *p[] = {"test", "one", "--out", "x", "two", "-v", NULL};
    i = parse(&c, "ARG...", p, ARGC(p), err);
    unsetenv("POSIXLY_CORRECT");
    ck_assert_int_eq(i, 4);
    ck_assert_str_eq(p[i], "one");
    ck_assert_str_eq(p[i + 1], "two");
    ck_assert_int_eq(c.d.verbose, 1);
    cmd_release(&c);

    /* `--` ends the options: what follows is an argument, even "--json" */
    char *b[] = {"test", "a", "-o", "x", "--", "--json", "-v", NULL};
    i = parse(&c, "ARG...", b, ARGC(b), err);
    ck_assert_int_eq(i, 4);
    ck_assert_str_eq(b[i], "a");
    ck_assert_str_eq(b[i + 1], "--json");
    ck_assert_str_eq(b[i + 2], "-v");
    ck_assert_int_eq(c.d.json, 0);
    ck_assert_int_eq(c.d.verbose, 0);
    cmd_release(&c);

    /* the usage words set the count: brackets may be left out, "..." repeats */
    char *many[] = {"test", "-o", "x", "a", "b", "c", "d", NULL};
    ck_assert_int_eq(parse(&c, "A [B] [C]", many, ARGC(many), err), OPTS_ERROR);
    ck_assert_str_eq(err, "repro test: unexpected argument 'd' (see repro test --help)");
    cmd_release(&c);
    ck_assert_int_eq(parse(&c, "A [B...]", many, ARGC(many), err), 3);
    cmd_release(&c);
    ck_assert_int_eq(parse(&c, NULL, many, ARGC(many), err), OPTS_ERROR);
    ck_assert_str_eq(err, "repro test: unexpected argument 'a' (see repro test --help)");
    cmd_release(&c);
    char *none[] = {"test", "-o", "x", NULL};
    ck_assert_int_eq(parse(&c, "[ARG...]", none, ARGC(none), err), 3);
    cmd_release(&c);
    ck_assert_int_eq(parse(&c, "A [B]", none, ARGC(none), err), OPTS_ERROR);
    ck_assert_str_eq(err, "repro test: A is required (see repro test --help)");
    cmd_release(&c);
}
END_TEST

START_TEST(test_missing_value)
{
    Cmd c;
    char err[ERR_MAX];
    char *a[] = {"test", "a", "--out", NULL};
    ck_assert_int_eq(parse(&c, "[ARG...]", a, ARGC(a), err), OPTS_ERROR);
    ck_assert_str_eq(err, "repro test: option '--out' needs a value (see repro test --help)");
    cmd_release(&c);
    char *b[] = {"test", "-o", NULL};
    ck_assert_int_eq(parse(&c, "[ARG...]", b, ARGC(b), err), OPTS_ERROR);
    ck_assert_str_eq(err, "repro test: option '-o' needs a value (see repro test --help)");
    cmd_release(&c);
    char *d[] = {"test", "-o", "x", "--tag", NULL};
    ck_assert_int_eq(parse(&c, "[ARG...]", d, ARGC(d), err), OPTS_ERROR);
    ck_assert_str_eq(err, "repro test: option '--tag' needs a value (see repro test --help)");
    ck_assert_ptr_null(c.d.out); /* nothing stored on an error */
    cmd_release(&c);
}
END_TEST

START_TEST(test_unknown_option)
{
    Cmd c;
    char err[ERR_MAX];
    char *a[] = {"test", "-o", "x", "--bogus=3", NULL};
    ck_assert_int_eq(parse(&c, "[ARG...]", a, ARGC(a), err), OPTS_ERROR);
    ck_assert_str_eq(err, "repro test: unknown option '--bogus' (see repro test --help)");
    ck_assert_ptr_null(c.d.out);
    cmd_release(&c);
    char *b[] = {"test", "-vq", NULL};
    ck_assert_int_eq(parse(&c, "[ARG...]", b, ARGC(b), err), OPTS_ERROR);
    ck_assert_str_eq(err, "repro test: unknown option '-q' (see repro test --help)");
    ck_assert_int_eq(c.d.verbose, 0);
    cmd_release(&c);
    char *d[] = {"test", "-o", "x", "--json=yes", NULL};
    ck_assert_int_eq(parse(&c, "[ARG...]", d, ARGC(d), err), OPTS_ERROR);
    ck_assert_str_eq(err, "repro test: option '--json' takes no value (see repro test --help)");
    cmd_release(&c);
}
END_TEST

START_TEST(test_numbers)
{
    Cmd c;
    char err[ERR_MAX];
    const char *bad[] = {"0", "101", "7x", "", " 5", "99999999999999999999999"};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        char *a[] = {"test", "-o", "x", "--count", (char *)bad[k], NULL};
        ck_assert_int_eq(parse(&c, "[ARG...]", a, ARGC(a), err), OPTS_ERROR);
        char want[ERR_MAX];
        snprintf(want, sizeof want,
                 "repro test: option '--count' needs an integer from 1 to 100, not '%s' "
                 "(see repro test --help)",
                 bad[k]);
        ck_assert_str_eq(err, want);
        ck_assert_int_eq(c.d.count, 0);
        cmd_release(&c);
    }
    char *a[] = {"test", "-o", "x", "--count", "100", NULL};
    ck_assert_int_eq(parse(&c, "[ARG...]", a, ARGC(a), err), 5);
    ck_assert_int_eq(c.d.count, 100);
    cmd_release(&c);
    /* the wording follows the range */
    cmd_init(&c, "[ARG...]");
    c.opts[4].max = LONG_MAX;
    char *p[] = {"test", "-o", "x", "--count", "-2", NULL};
    ck_assert_int_eq(opts_parse(&c.spec, ARGC(p), p, err), OPTS_ERROR);
    ck_assert_str_eq(err, "repro test: option '--count' needs a positive integer, not '-2' "
                          "(see repro test --help)");
    cmd_release(&c);
}
END_TEST

START_TEST(test_required)
{
    Cmd c;
    char err[ERR_MAX];
    char *a[] = {"test", "one", NULL};
    ck_assert_int_eq(parse(&c, "[ARG...]", a, ARGC(a), err), OPTS_ERROR);
    ck_assert_str_eq(err, "repro test: --out is required (see repro test --help)");
    cmd_release(&c);
    /* a missing argument is named as a missing option is */
    char *b[] = {"test", "-o", "x", NULL};
    ck_assert_int_eq(parse(&c, "ARG...", b, ARGC(b), err), OPTS_ERROR);
    ck_assert_str_eq(err, "repro test: ARG... is required (see repro test --help)");
    cmd_release(&c);
    cmd_init(&c, "FROM TO [MORE]");
    c.opts[1].required = 1;
    char *d[] = {"test", NULL};
    ck_assert_int_eq(opts_parse(&c.spec, ARGC(d), d, err), OPTS_ERROR);
    ck_assert_str_eq(err, "repro test: --out, --mode, FROM and TO are required "
                          "(see repro test --help)");
    /* only what is missing is named */
    char *e[] = {"test", "--mode", "m", "a", NULL};
    ck_assert_int_eq(opts_parse(&c.spec, ARGC(e), e, err), OPTS_ERROR);
    ck_assert_str_eq(err, "repro test: --out and TO are required (see repro test --help)");
    cmd_release(&c);
}
END_TEST

START_TEST(test_help)
{
    Cmd c;
    char err[ERR_MAX];
    /* --help ends the parse (what follows is not read) and stores nothing */
    char *a[] = {"test", "--mode", "slow", "--help", "--bogus", NULL};
    ck_assert_int_eq(parse(&c, "ARG...", a, ARGC(a), err), OPTS_HELP);
    ck_assert_str_eq(c.d.mode, "fast");
    cmd_release(&c);
    char *b[] = {"test", "-vh", NULL};
    ck_assert_int_eq(parse(&c, "ARG...", b, ARGC(b), err), OPTS_HELP);
    ck_assert_int_eq(c.d.verbose, 0);
    cmd_release(&c);
    /* ... but not as a value, nor after `--` */
    char *d[] = {"test", "--out", "--help", "--", "-h", NULL};
    ck_assert_int_eq(parse(&c, "ARG...", d, ARGC(d), err), 4);
    ck_assert_str_eq(c.d.out, "--help");
    cmd_release(&c);
}
END_TEST

START_TEST(test_usage_text)
{
    Cmd c;
    cmd_init(&c, "ARG...");
    c.d.count = 5;
    char *text = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&text, &n);
    ck_assert_ptr_nonnull(f);
    opts_usage(&c.spec, f);
    fclose(f);
    ck_assert_str_eq(text, "usage: repro test --out FILE [options] ARG...\n"
                           "\n"
                           "Tests the parser.\n"
                           "\n"
                           "  -o, --out FILE    where to write\n"
                           "      --mode NAME   how\n"
                           "                    and why (default fast)\n"
                           "  -v, --verbose     say more\n"
                           "      --json        as JSON\n"
                           "      --count N     how many (default 5)\n"
                           "      --tag T       a tag (again for more)\n"
                           "  -h, --help        print this help\n");
    free(text);
    cmd_release(&c);
}
END_TEST

START_TEST(test_table_mistakes)
{
    Cmd c;
    char err[ERR_MAX];
    char *a[] = {"test", "-o", "x", NULL};
    cmd_init(&c, "[ARG...]");
    c.opts[2].str = &c.d.mode; /* a flag with a second destination */
    ck_assert_int_eq(opts_parse(&c.spec, ARGC(a), a, err), OPTS_ERROR);
    ck_assert_str_eq(err, "repro test: option '--verbose' needs exactly one destination");
    cmd_init(&c, "[ARG...]");
    c.opts[3].short_name = 'h';
    ck_assert_int_eq(opts_parse(&c.spec, ARGC(a), a, err), OPTS_ERROR);
    ck_assert_str_eq(err, "repro test: option '--json' takes the name of --help");
}
END_TEST

static int verb_seen;
static int verb_run(int argc, char **argv)
{
    verb_seen = argc * 10 + (strcmp(argv[0], "go") == 0);
    return 7;
}

/* opts_get and opts_dispatch print; the output goes to /dev/null here. */
static int quiet_fd[2];
static void quiet(void)
{
    fflush(stdout);
    fflush(stderr);
    quiet_fd[0] = dup(STDOUT_FILENO);
    quiet_fd[1] = dup(STDERR_FILENO);
    int null = open("/dev/null", O_WRONLY);
    dup2(null, STDOUT_FILENO);
    dup2(null, STDERR_FILENO);
    close(null);
}
static void loud(void)
{
    fflush(stdout);
    fflush(stderr);
    dup2(quiet_fd[0], STDOUT_FILENO);
    dup2(quiet_fd[1], STDERR_FILENO);
    close(quiet_fd[0]);
    close(quiet_fd[1]);
}

START_TEST(test_get_and_dispatch)
{
    Cmd c;
    int status = -1;
    char *ok[] = {"test", "-o", "x", "arg", NULL};
    char *help[] = {"test", "--help", NULL};
    char *bad[] = {"test", "--out", NULL};
    cmd_init(&c, "ARG...");
    quiet();
    int i_ok = opts_get(&c.spec, ARGC(ok), ok, &status);
    int s_ok = status;
    int i_help = opts_get(&c.spec, ARGC(help), help, &status);
    int s_help = status;
    int i_bad = opts_get(&c.spec, ARGC(bad), bad, &status);
    int s_bad = status;

    static const OptsVerb verbs[] = {{"go", verb_run, "go"}, {0}};
    char *go[] = {"cmd", "go", "a", NULL};
    char *what[] = {"cmd", "stop", NULL};
    char *list[] = {"cmd", "-h", NULL};
    char *bare[] = {"cmd", NULL};
    int d_go = opts_dispatch("repro cmd", verbs, ARGC(go), go);
    int d_what = opts_dispatch("repro cmd", verbs, ARGC(what), what);
    int d_list = opts_dispatch("repro cmd", verbs, ARGC(list), list);
    int d_bare = opts_dispatch("repro cmd", verbs, ARGC(bare), bare);
    loud();
    ck_assert_int_eq(i_ok, 3);
    ck_assert_int_eq(s_ok, 0);
    ck_assert_int_eq(i_help, -1);
    ck_assert_int_eq(s_help, 0);
    ck_assert_int_eq(i_bad, -1);
    ck_assert_int_eq(s_bad, 2);
    ck_assert_int_eq(d_go, 7);
    ck_assert_int_eq(verb_seen, 21); /* argc 2, argv[0] "go" */
    ck_assert_int_eq(d_what, 2);
    ck_assert_int_eq(d_list, 0);
    ck_assert_int_eq(d_bare, 2);
    cmd_release(&c);
}
END_TEST

Suite *opts_suite(void);
Suite *opts_suite(void)
{
    Suite *s = suite_create("opts");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_values_and_flags);
    tcase_add_test(tc, test_positional_arguments);
    tcase_add_test(tc, test_missing_value);
    tcase_add_test(tc, test_unknown_option);
    tcase_add_test(tc, test_numbers);
    tcase_add_test(tc, test_required);
    tcase_add_test(tc, test_help);
    tcase_add_test(tc, test_usage_text);
    tcase_add_test(tc, test_table_mistakes);
    tcase_add_test(tc, test_get_and_dispatch);
    suite_add_tcase(s, tc);
    return s;
}
