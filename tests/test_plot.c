#include "err.h"
#include "experiment.h"
#include "fake_results.h"
#include "report/plot.h"
#include "report/results.h"
#include "testutil.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Accuracy rises with lambda; lambda 1 diverges in epoch 2. */
static FakeOutcome outcome(const RunConfig *cfg, void *ctx)
{
    (void)ctx;
    FakeOutcome o = {0.8 + 0.1 * cfg->lambda, cfg->lambda == 1.0 ? 2 : 0, 1.0};
    if (cfg->model == MODEL_MLP)
        o.test_acc = cfg->activation == ACT_RELU ? 0.9 : 0.8;
    return o;
}

typedef struct {
    char *dir;
    char *results;
    Experiment *e;
    StudyResults s;
} Fixture;

static void fixture_load(Fixture *fx, const char *name, const char *text)
{
    char err[ERR_MAX] = "";
    fx->e = fake_experiment(name, text, &fx->dir);
    fx->results = fake_join(fx->dir, "results", NULL, NULL);
    ck_assert_int_eq(mkdir(fx->results, 0777), 0);
    fake_study_write(fx->results, fx->e, outcome, NULL, 3);
    ck_assert_msg(study_results_load(&fx->s, fx->results, fx->e, RESULTS_ITERATIONS, err) == 0,
                  "%s", err);
}

static void fixture_release(Fixture *fx)
{
    study_results_release(&fx->s);
    experiment_free(fx->e);
    tu_rmtree(fx->dir);
    free(fx->dir);
    free(fx->results);
}

static const char SOFTMAX[] = "title = Lambda \"quoted\" \\ study\n"
                              "model = softmax\nlambda = 0, 0.5, 1.0\nmax_epoch = 3\n"
                              "seeds = 1, 2\n";

/* The script plot_script writes for fx, as a heap string. */
static char *script_of(Fixture *fx, const char *out_dir)
{
    char *buf = NULL, err[ERR_MAX] = "";
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    ck_assert_ptr_nonnull(f);
    ck_assert_msg(plot_script(f, &fx->s, out_dir, 42, err) == 0, "%s", err);
    ck_assert_int_eq(fclose(f), 0);
    return buf;
}

static size_t count(const char *text, const char *what)
{
    size_t n = 0;
    for (const char *p = strstr(text, what); p; p = strstr(p + 1, what))
        n++;
    return n;
}

/* Whether the n bytes at p (binary, NULs allowed) contain the text s. */
static int mem_has(const char *p, size_t n, const char *s)
{
    size_t k = strlen(s);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(p + i, s, k) == 0)
            return 1;
    return 0;
}

START_TEST(test_quote)
{
    char q[64];
    ck_assert_int_eq(plot_quote(q, sizeof q, "a \"b\" \\c"), 13);
    ck_assert_str_eq(q, "\"a \\\"b\\\" \\\\c\"");
    plot_quote(q, sizeof q, "line\nbreak\t; system(\"rm\")");
    ck_assert_str_eq(q, "\"line break ; system(\\\"rm\\\")\"");
    ck_assert_int_eq(plot_quote(q, 6, "abc"), 5);
    ck_assert_str_eq(q, "\"abc\"");
    ck_assert_int_eq(plot_quote(q, 5, "abc"), -1);
    ck_assert_int_eq(plot_quote(q, 2, ""), -1);
}
END_TEST

START_TEST(test_figure_names)
{
    Fixture fx;
    FigureSet figs;
    fixture_load(&fx, "softmax-lambda.exp", SOFTMAX);
    plot_figures(&fx.s, &figs);
    ck_assert_uint_eq(figs.n, 5);
    ck_assert_str_eq(figs.name[0], "softmax-lambda-iter-loss");
    ck_assert_str_eq(figs.name[1], "softmax-lambda-iter-acc");
    ck_assert_str_eq(figs.name[2], "softmax-lambda-epoch-loss");
    ck_assert_str_eq(figs.name[3], "softmax-lambda-epoch-acc");
    ck_assert_str_eq(figs.name[4], "softmax-lambda-sweep");
    fixture_release(&fx);

    fixture_load(&fx, "mlp-defaults.exp", "model = mlp\nmax_epoch = 2\nseeds = 1, 2\n");
    plot_figures(&fx.s, &figs);
    ck_assert_uint_eq(figs.n, 2);
    ck_assert_str_eq(figs.name[0], "mlp-defaults-epoch-loss");
    ck_assert_str_eq(figs.name[1], "mlp-defaults-epoch-acc");
    fixture_release(&fx);
}
END_TEST

START_TEST(test_script_contents)
{
    Fixture fx;
    fixture_load(&fx, "softmax-lambda.exp", SOFTMAX);
    char *text = script_of(&fx, "out dir");
    /* one curve per lambda (seed 1): epoch and iteration blocks, then the sweep */
    /* 3 blocks, each used twice (training, test) in 2 figures, 2 terminals */
    ck_assert_uint_eq(count(text, "$e"), 3 + 3 * 2 * 2 * 2);
    ck_assert_ptr_nonnull(strstr(text, "$e2 << EOD\n1 "));
    ck_assert_ptr_nonnull(strstr(text, "$i0 << EOD\n1 "));
    ck_assert_ptr_nonnull(strstr(text, "$sweep << EOD\n1 "));
    ck_assert_uint_eq(count(text, "\nEOD\n"), 3 + 3 + 1);
    /* the diverged run (lambda 1, epoch 2) stops before its NaN */
    const char *i2 = strstr(text, "$i2 << EOD\n");
    ck_assert_ptr_nonnull(i2);
    ck_assert_ptr_nonnull(strstr(i2, "\n3 "));
    ck_assert_ptr_null(strstr(i2, "nan"));
    ck_assert_ptr_nonnull(strstr(text, "(diverged in epoch 2)"));
    /* titles are escaped; outputs go to temporary names, SVG then PDF */
    ck_assert_ptr_nonnull(strstr(text, "set title \"Lambda \\\"quoted\\\" \\\\ study: "));
    ck_assert_uint_eq(count(text, "set terminal svg"), 1);
    ck_assert_uint_eq(count(text, "set terminal pdfcairo"), 1);
    ck_assert(strstr(text, "set terminal svg") < strstr(text, "set terminal pdfcairo"));
    ck_assert_ptr_nonnull(strstr(text, "set output \"out dir/.softmax-lambda-sweep.svg.tmp.42\""));
    ck_assert_ptr_nonnull(strstr(text, "set output \"out dir/.softmax-lambda-iter-loss.pdf.tmp.42\""));
    ck_assert_uint_eq(count(text, "\nset output"), 10);
    ck_assert_ptr_nonnull(strstr(text, "\"\xce\xbb = 0.5\""));
    ck_assert_ptr_null(strstr(text, "system"));
    free(text);
    fixture_release(&fx);
}
END_TEST

START_TEST(test_script_seeds_without_sweep_and_mlp_labels)
{
    Fixture fx;
    fixture_load(&fx, "mlp-arch.exp",
                 "model = mlp\nhidden = 8, 8x4\nactivation = relu, sigmoid\nmax_epoch = 2\n");
    char *text = script_of(&fx, "o");
    ck_assert_ptr_nonnull(strstr(text, "title \"hidden 8x4, sigmoid\""));
    ck_assert_ptr_nonnull(strstr(text, "title \"validation\""));
    ck_assert_ptr_nonnull(strstr(text, "(\"8\\nrelu\" 1, \"8\\nsigmoid\" 2"));
    ck_assert_ptr_null(strstr(text, "$i0"));
    free(text);
    fixture_release(&fx);

    fixture_load(&fx, "softmax-defaults.exp", "model = softmax\nmax_epoch = 2\nseeds = 1, 2, 7\n");
    text = script_of(&fx, "o");
    ck_assert_ptr_nonnull(strstr(text, "title \"seed 7\""));
    ck_assert_ptr_null(strstr(text, "$sweep"));
    free(text);
    fixture_release(&fx);
}
END_TEST

/* The real gnuplot: files in place, nothing temporary left, same bytes twice. */
START_TEST(test_gnuplot_draws_byte_stable)
{
    Fixture fx;
    char err[ERR_MAX] = "";
    fixture_load(&fx, "softmax-lambda.exp", SOFTMAX);
    char *out = fake_join(fx.dir, "figures", "mnist", NULL);
    setenv("SOURCE_DATE_EPOCH", "86400", 1);
    ck_assert_msg(plot_study(&fx.s, out, err) == 0, "%s", err);
    FigureSet figs;
    plot_figures(&fx.s, &figs);
    char *first[PLOT_FIGURES_MAX];
    size_t first_n[PLOT_FIGURES_MAX];
    for (size_t i = 0; i < figs.n; i++) {
        char name[PLOT_NAME_MAX + 8];
        snprintf(name, sizeof name, "%s.svg", figs.name[i]);
        char *path = tu_path(out, name);
        first[i] = tu_read(path, &first_n[i]);
        ck_assert_ptr_nonnull(first[i]);
        ck_assert_ptr_nonnull(strstr(first[i], "<svg"));
        ck_assert_ptr_nonnull(strstr(first[i], "</svg>"));
        free(path);
        snprintf(name, sizeof name, "%s.pdf", figs.name[i]);
        path = tu_path(out, name);
        size_t n;
        char *pdf = tu_read(path, &n);
        ck_assert_ptr_nonnull(pdf);
        ck_assert_int_eq(memcmp(pdf, "%PDF", 4), 0);
        ck_assert(mem_has(pdf, n, "/CreationDate (D:19700102000000"));
        free(pdf);
        free(path);
    }
    ck_assert_msg(plot_study(&fx.s, out, err) == 0, "%s", err);
    for (size_t i = 0; i < figs.n; i++) {
        char name[PLOT_NAME_MAX + 8];
        snprintf(name, sizeof name, "%s.svg", figs.name[i]);
        char *path = tu_path(out, name);
        size_t n;
        char *again = tu_read(path, &n);
        ck_assert_uint_eq(n, first_n[i]);
        ck_assert_msg(memcmp(again, first[i], n) == 0, "%s differs on a second run", name);
        free(again);
        free(first[i]);
        free(path);
    }
    char *listing = NULL;
    size_t ln = 0;
    FILE *l = open_memstream(&listing, &ln);
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "ls -A '%s'", out);
    FILE *p = popen(cmd, "r");
    int c;
    while ((c = fgetc(p)) != EOF)
        fputc(c, l);
    pclose(p);
    fclose(l);
    ck_assert_msg(strstr(listing, ".tmp") == NULL, "temporary files left: %s", listing);
    ck_assert_uint_eq(count(listing, "\n"), 10);
    free(listing);
    free(out);
    fixture_release(&fx);
}
END_TEST

START_TEST(test_gnuplot_missing)
{
    Fixture fx;
    char err[ERR_MAX] = "";
    fixture_load(&fx, "softmax-lambda.exp", SOFTMAX);
    char *out = fake_join(fx.dir, "figures", NULL, NULL);
    char *old = strdup(getenv("PATH") ? getenv("PATH") : "");
    setenv("PATH", fx.dir, 1);
    int rc = plot_study(&fx.s, out, err);
    setenv("PATH", old, 1);
    ck_assert_int_eq(rc, -1);
    ck_assert_str_eq(err, "plot: gnuplot not found: run 'apt-get install gnuplot-nox' (or make deps)");
    struct stat st;
    ck_assert_int_ne(stat(out, &st), 0);
    free(old);
    free(out);
    fixture_release(&fx);
}
END_TEST

/* A gnuplot that fails: no figure replaced, nothing temporary left. */
START_TEST(test_gnuplot_fails)
{
    Fixture fx;
    char err[ERR_MAX] = "";
    fixture_load(&fx, "softmax-lambda.exp", SOFTMAX);
    char *bin = fake_join(fx.dir, "bin", NULL, NULL);
    ck_assert_int_eq(mkdir(bin, 0777), 0);
    char *fake = tu_path(bin, "gnuplot");
    /* creates every output it is asked for, then fails */
    static const char SCRIPT[] = "#!/bin/sh\n"
                                 "sed -n 's/^set output \"\\(.*\\)\"$/\\1/p' | "
                                 "while read -r f; do : > \"$f\"; done\n"
                                 "exit 3\n";
    ck_assert_int_eq(tu_write(fake, SCRIPT, sizeof SCRIPT - 1), 0);
    ck_assert_int_eq(chmod(fake, 0755), 0);
    char *out = fake_join(fx.dir, "figures", NULL, NULL);
    ck_assert_int_eq(mkdir(out, 0777), 0);
    char *kept = tu_path(out, "softmax-lambda-sweep.svg");
    ck_assert_int_eq(tu_write(kept, "old", 3), 0);
    char *old = strdup(getenv("PATH") ? getenv("PATH") : "");
    char path[4096];
    snprintf(path, sizeof path, "%s:%s", bin, old);
    setenv("PATH", path, 1);
    int rc = plot_study(&fx.s, out, err);
    setenv("PATH", old, 1);
    ck_assert_int_eq(rc, -1);
    ck_assert_str_eq(err, "plot: gnuplot failed drawing 'softmax-lambda' (exit status 3)");
    size_t n;
    char *text = tu_read(kept, &n);
    ck_assert_str_eq(text, "old");
    free(text);
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "ls -A '%s'", out);
    FILE *p = popen(cmd, "r");
    char line[512] = "";
    ck_assert_ptr_nonnull(fgets(line, sizeof line, p));
    ck_assert_str_eq(line, "softmax-lambda-sweep.svg\n");
    ck_assert_ptr_null(fgets(line, sizeof line, p));
    pclose(p);
    free(old);
    free(kept);
    free(out);
    free(fake);
    free(bin);
    fixture_release(&fx);
}
END_TEST

Suite *plot_suite(void);
Suite *plot_suite(void)
{
    Suite *s = suite_create("plot");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_quote);
    tcase_add_test(tc, test_figure_names);
    tcase_add_test(tc, test_script_contents);
    tcase_add_test(tc, test_script_seeds_without_sweep_and_mlp_labels);
    tcase_add_test(tc, test_gnuplot_draws_byte_stable);
    suite_add_tcase(s, tc);
    tc = tcase_create("errors");
    tcase_add_test(tc, test_gnuplot_missing);
    tcase_add_test(tc, test_gnuplot_fails);
    suite_add_tcase(s, tc);
    return s;
}
