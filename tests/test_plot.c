#include "err.h"
#include "experiment.h"
#include "fake_results.h"
#include "report/plot.h"
#include "report/plot_model.h"
#include "report/plot_norms.h"
#include "report/plot_pipe.h"
#include "report/plot_stats.h"
#include "report/plot_style.h"
#include "report/reference.h"
#include "report/results.h"
#include "testutil.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Accuracy rises with lambda and a little with the seed; lambda 1 diverges in
 * epoch 2 (every seed; with ctx pointing to 1, only seed 2). With ctx pointing
 * to 2, runs diverge in their first epoch, so that they have no final values:
 * seed 2 at lambda 1, every seed at lambda 0.5. */

/* The studies' data the report uses (report/studies.conf's twin and table lines). */
static const StudiesConf *conf(void)
{
    static StudiesConf c;
    static int loaded;
    char err[ERR_MAX];
    if (!loaded)
        ck_assert_msg(studies_parse(&c, "twin softmax-* softmax-reported-*\n"
                                        "table softmax-defaults softmax-base\n",
                                    "studies", err) == 0,
                      "%s", err);
    loaded = 1;
    return &c;
}

static FakeOutcome outcome(const RunConfig *cfg, void *ctx)
{
    int mode = ctx ? *(const int *)ctx : 0;
    FakeOutcome o = {0.8 + 0.1 * cfg->lambda + 0.01 * (double)cfg->seed, 0, 1.0};
    if (mode < 2 && cfg->lambda == 1.0 && (mode == 0 || cfg->seed == 2))
        o.diverged_epoch = 2;
    if (mode == 2 && ((cfg->lambda == 1.0 && cfg->seed == 2) || cfg->lambda == 0.5))
        o.diverged_epoch = 1;
    if (cfg->model == MODEL_MLP)
        o.test_acc = (cfg->activation == ACT_RELU ? 0.9 : 0.8) + 0.01 * (double)cfg->seed;
    return o;
}

typedef struct {
    char *dir;
    char *results;
    Experiment *e;
    StudyResults s;
    char *twin_dir;
    Experiment *twin_e;
    StudyResults twin;
} Fixture;

static void fixture_load_ctx(Fixture *fx, const char *name, const char *text, int iters,
                             void *ctx)
{
    char err[ERR_MAX] = "";
    memset(fx, 0, sizeof *fx);
    fx->e = fake_experiment(name, text, &fx->dir);
    fx->results = fake_join(fx->dir, "results", NULL, NULL);
    ck_assert_int_eq(mkdir(fx->results, 0777), 0);
    fake_study_write(fx->results, fx->e, outcome, ctx, iters);
    ck_assert_msg(study_results_load(&fx->s, fx->results, fx->e, RESULTS_ITERATIONS, err) == 0,
                  "%s", err);
}

static void fixture_load(Fixture *fx, const char *name, const char *text)
{
    fixture_load_ctx(fx, name, text, 3, NULL);
}

/* Adds a second study (the as-reported twin) with its results beside the first. */
static void fixture_twin(Fixture *fx, const char *name, const char *text)
{
    char err[ERR_MAX] = "";
    fx->twin_e = fake_experiment(name, text, &fx->twin_dir);
    fake_study_write(fx->results, fx->twin_e, outcome, NULL, 3);
    ck_assert_msg(study_results_load(&fx->twin, fx->results, fx->twin_e, 0, err) == 0, "%s", err);
}

static void fixture_release(Fixture *fx)
{
    study_results_release(&fx->s);
    experiment_free(fx->e);
    if (fx->twin_e) {
        study_results_release(&fx->twin);
        experiment_free(fx->twin_e);
        tu_rmtree(fx->twin_dir);
        free(fx->twin_dir);
    }
    tu_rmtree(fx->dir);
    free(fx->dir);
    free(fx->results);
}

static const char SOFTMAX[] = "title = Lambda\n"
                              "model = softmax\nlambda = 0, 0.5, 1.0\nmax_epoch = 3\n"
                              "seeds = 1, 2\n";
static const char TWIN[] = "model = softmax\nas_reported = true\nlambda = 0, 0.5, 1.0\n"
                           "max_epoch = 3\nseeds = 1, 2\n";

static const char REFERENCE[] =
    "table,model,hidden_layers,loss,activation,lambda,learning_rate,batch_size,max_epoch,"
    "weight_decay,train_loss,train_acc,val_acc,test_acc\n"
    "softmax-lambda,softmax,,cross-entropy,,0.0,,,,,0.4123,90,,90.26\n"
    "softmax-lambda,softmax,,cross-entropy,,0.5,,,,,1.9028,89,,90.22\n"
    "mlp-arch,mlp,1,euclidean,relu,,,,,,,84.38,88.70,85.75\n";

/* The script plot_script writes for in, as a heap string. */
static char *script_for(const PlotInput *in, const char *out_dir)
{
    char *buf = NULL, err[ERR_MAX] = "";
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    ck_assert_ptr_nonnull(f);
    ck_assert_msg(plot_script(f, in, out_dir, 42, err) == 0, "%s", err);
    ck_assert_int_eq(fclose(f), 0);
    return buf;
}

static char *script_of(Fixture *fx, const char *out_dir)
{
    PlotInput in = {&fx->s, NULL, NULL, conf(), NULL};
    return script_for(&in, out_dir);
}

static size_t count(const char *text, const char *what)
{
    size_t n = 0;
    for (const char *p = strstr(text, what); p; p = strstr(p + 1, what))
        n++;
    return n;
}

/* The part of the script that draws figure name (its SVG), up to the next
 * figure. */
static char *figure_part(const char *text, const char *name)
{
    char key[256];
    snprintf(key, sizeof key, "/.%s.svg.tmp.42\"\n", name);
    const char *at = strstr(text, key);
    ck_assert_msg(at != NULL, "no figure %s", name);
    const char *end = strstr(at + 1, "\nset output");
    size_t n = end ? (size_t)(end - at) : strlen(at);
    char *part = malloc(n + 1);
    ck_assert_ptr_nonnull(part);
    memcpy(part, at, n);
    part[n] = '\0';
    return part;
}

/* The rows of the data block that the first plot element in part containing
 * marker draws (the "$dN" before the marker), as a heap string. */
static char *block_of(const char *text, const char *part, const char *marker)
{
    const char *at = strstr(part, marker);
    ck_assert_msg(at != NULL, "'%s' not in the figure", marker);
    while (at > part && !(at[0] == '$' && at[1] == 'd'))
        at--;
    ck_assert(at[0] == '$');
    unsigned id;
    ck_assert_int_eq(sscanf(at, "$d%u", &id), 1);
    char head[64];
    snprintf(head, sizeof head, "$d%u << EOD\n", id);
    const char *b = strstr(text, head);
    ck_assert_ptr_nonnull(b);
    b += strlen(head);
    const char *e = strstr(b, "EOD\n");
    ck_assert_ptr_nonnull(e);
    char *rows = malloc((size_t)(e - b) + 1);
    ck_assert_ptr_nonnull(rows);
    memcpy(rows, b, (size_t)(e - b));
    rows[e - b] = '\0';
    return rows;
}

/* Numbers of row r (0-based) of a block into v; returns their count. */
static size_t row_values(const char *rows, size_t r, double *v, size_t max)
{
    const char *p = rows;
    for (size_t i = 0; i < r && p; i++) {
        p = strchr(p, '\n');
        p = p ? p + 1 : NULL;
    }
    ck_assert_ptr_nonnull(p);
    size_t n = 0;
    char *end;
    while (n < max && *p && *p != '\n') {
        v[n] = strtod(p, &end);
        if (end == p)
            break;
        n++;
        p = end;
    }
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

static int close_to(double a, double b)
{
    return fabs(a - b) <= 1e-4 * fmax(1.0, fabs(b));
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

START_TEST(test_moving_average)
{
    double v[6] = {1, 2, 3, 4, 6, 8}, out[6];
    plot_moving_average(v, 6, 1, out);
    double want[6] = {1.5, 2, 3, 13.0 / 3.0, 6, 7};
    for (int i = 0; i < 6; i++)
        ck_assert_msg(fabs(out[i] - want[i]) < 1e-12, "out[%d] = %g, want %g", i, out[i], want[i]);
    plot_moving_average(v, 6, 0, out);
    for (int i = 0; i < 6; i++)
        ck_assert(out[i] == v[i]);
    plot_moving_average(v, 6, 10, out); /* a window wider than the data: the mean */
    for (int i = 0; i < 6; i++)
        ck_assert(fabs(out[i] - 4.0) < 1e-12);
    plot_moving_average(v, 1, 3, out);
    ck_assert(out[0] == 1.0);
}
END_TEST

START_TEST(test_names_and_axes)
{
    ck_assert(plot_key_is_log("learning_rate"));
    ck_assert(plot_key_is_log("weight_decay"));
    ck_assert(plot_key_is_log("batch_size"));
    ck_assert(!plot_key_is_log("lambda"));
    ck_assert(!plot_key_is_log("max_epoch"));
    ck_assert(!plot_key_is_log("hidden"));
}
END_TEST

START_TEST(test_figure_names)
{
    Fixture fx;
    FigureSet figs;
    fixture_load(&fx, "softmax-lambda.exp", SOFTMAX);
    PlotInput in = {&fx.s, NULL, NULL, conf(), NULL};
    plot_figures(&in, &figs);
    ck_assert_uint_eq(figs.n, 5);
    ck_assert_str_eq(figs.name[0], "softmax-lambda-iter-loss");
    ck_assert_str_eq(figs.name[1], "softmax-lambda-iter-acc");
    ck_assert_str_eq(figs.name[2], "softmax-lambda-epoch-loss");
    ck_assert_str_eq(figs.name[3], "softmax-lambda-epoch-acc");
    ck_assert_str_eq(figs.name[4], "softmax-lambda-sweep");
    fixture_twin(&fx, "softmax-reported-lambda.exp", TWIN);
    in.twin = &fx.twin;
    plot_figures(&in, &figs);
    ck_assert_uint_eq(figs.n, 6);
    ck_assert_str_eq(figs.name[0], "softmax-lambda-glance");
    fixture_release(&fx);

    fixture_load(&fx, "mlp-defaults.exp", "model = mlp\nmax_epoch = 2\nseeds = 1, 2\n");
    in = (PlotInput){&fx.s, NULL, NULL, conf(), NULL};
    plot_figures(&in, &figs);
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
    char *text = script_of(&fx, "out \"dir");
    /* data inline, each block once; outputs to temporary names, SVG then PDF */
    ck_assert_uint_eq(count(text, " << EOD\n"), count(text, "\nEOD\n"));
    ck_assert_uint_eq(count(text, "set terminal svg"), 5);
    ck_assert_uint_eq(count(text, "set terminal pdfcairo"), 5);
    ck_assert(strstr(text, "set terminal svg") < strstr(text, "set terminal pdfcairo"));
    ck_assert_ptr_nonnull(
        strstr(text, "set output \"out \\\"dir/.softmax-lambda-sweep.svg.tmp.42\""));
    ck_assert_ptr_nonnull(
        strstr(text, "set output \"out \\\"dir/.softmax-lambda-iter-loss.pdf.tmp.42\""));
    ck_assert_uint_eq(count(text, "\nset output"), 10);
    /* no in-plot titles: the caption is the title; legends inside */
    ck_assert_ptr_null(strstr(text, "Lambda"));
    ck_assert_ptr_null(strstr(text, "outside"));
    /* the diverged setting (lambda 1, epoch 2) stops before its NaN and says so */
    ck_assert_ptr_null(strstr(text, "nan"));
    ck_assert_ptr_nonnull(strstr(text, "\"\xce\xbb = 1.0 (2 of 2 diverged)\""));
    ck_assert_ptr_nonnull(strstr(text, "\"\xce\xbb = 0.5\""));
    ck_assert_ptr_null(strstr(text, "system"));
    free(text);
    fixture_release(&fx);
}
END_TEST

/* Per epoch: the mean over the seeds that reached the epoch, ±1 sd. */
START_TEST(test_band_data)
{
    Fixture fx;
    int only_seed_2 = 1;
    fixture_load_ctx(&fx, "softmax-lambda.exp",
                     "model = softmax\nlambda = 0, 1.0\nmax_epoch = 3\nseeds = 1, 2, 3\n", 3,
                     &only_seed_2);
    /* finals 0.81, 0.82, 0.83 at lambda 0; the fake curve after epoch 1 of 3 is
     * final * (1 - 0.1 * 2 / 3) */
    double mean, sd, f = 1.0 - 0.1 * 2.0 / 3.0;
    ck_assert_uint_eq(plot_epoch_stat(&fx.s, 0, METRIC_TEST_ACC, 1, &mean, &sd), 3);
    ck_assert(close_to(mean, 0.82 * f));
    ck_assert(close_to(sd, 0.01 * f));
    /* lambda 1: seed 2 diverged in epoch 2, so epoch 2 has seeds 1 and 3 */
    ck_assert_uint_eq(plot_epoch_stat(&fx.s, 1, METRIC_TEST_ACC, 1, &mean, &sd), 3);
    ck_assert_uint_eq(plot_epoch_stat(&fx.s, 1, METRIC_TEST_ACC, 2, &mean, &sd), 2);
    ck_assert(close_to(mean, (0.91 + 0.93) / 2.0 * (1.0 - 0.1 / 3.0)));
    ck_assert(close_to(sd, sqrt(2.0) * 0.01 * (1.0 - 0.1 / 3.0)));
    ck_assert_uint_eq(plot_epoch_stat(&fx.s, 1, METRIC_TEST_ACC, 4, &mean, &sd), 0);
    ck_assert(isnan(mean));

    /* the same numbers, in percent, are the band the figure fills */
    char *text = script_of(&fx, "o");
    char *part = figure_part(text, "softmax-lambda-epoch-acc");
    ck_assert_ptr_nonnull(strstr(part, "with filledcurves fs transparent solid"));
    char *rows = block_of(text, part, "using 1:6:7 with filledcurves");
    double v[8];
    ck_assert_uint_eq(row_values(rows, 0, v, 8), 7);
    ck_assert(v[0] == 1.0);
    ck_assert(close_to(v[4], 100.0 * 0.82 * f));
    ck_assert(close_to(v[5], 100.0 * (0.82 - 0.01) * f));
    ck_assert(close_to(v[6], 100.0 * (0.82 + 0.01) * f));
    free(rows);
    free(part);
    /* the diverged setting's legend names it */
    ck_assert_ptr_nonnull(strstr(text, "\xce\xbb = 1.0 (1 of 3 diverged)"));
    free(text);
    fixture_release(&fx);
}
END_TEST

/* A mean of fewer runs says how many; a setting without any says so. */
START_TEST(test_divergence_notes)
{
    Fixture fx;
    int first_epoch = 2;
    fixture_load_ctx(&fx, "softmax-lambda.exp",
                     "model = softmax\nlambda = 0, 0.5, 1.0\nmax_epoch = 2\nseeds = 1, 2, 3\n",
                     3, &first_epoch);
    char *text = script_of(&fx, "o");
    char *part = figure_part(text, "softmax-lambda-sweep");
    ck_assert_uint_eq(count(part, "set label \"diverged\" at first 0.5, graph 0.05"), 1);
    ck_assert_uint_eq(count(part, "set label \"2 of 3 runs\" at first 1, first "), 1);
    ck_assert_uint_eq(count(part, "\nset label"), 2);
    free(part);
    /* per epoch, the legend counts the diverged runs */
    part = figure_part(text, "softmax-lambda-epoch-acc");
    ck_assert_ptr_nonnull(strstr(part, "title \"\xce\xbb = 0.5 (3 of 3 diverged)\""));
    ck_assert_ptr_nonnull(strstr(part, "title \"\xce\xbb = 1.0 (1 of 3 diverged)\""));
    free(part);
    free(text);
    fixture_release(&fx);
}
END_TEST

/* Minibatch curves: x in epochs, a centred moving average over a tenth of an
 * epoch (here 40 minibatches per epoch: 2 on each side), mean over seeds. */
START_TEST(test_minibatch_smoothing)
{
    Fixture fx;
    fixture_load_ctx(&fx, "softmax-defaults.exp", "model = softmax\nmax_epoch = 2\nseeds = 1, 2\n",
                     40, NULL);
    char *text = script_of(&fx, "o");
    char *part = figure_part(text, "softmax-defaults-iter-loss");
    char *ma = block_of(text, part, "title \"moving average\"");
    double v[8];
    for (size_t i = 0; i < 80; i += 13) {
        ck_assert_uint_eq(row_values(ma, i, v, 8), 7);
        ck_assert(close_to(v[0], (double)(i + 1) / 40.0));
        double m[2];
        for (size_t k = 0; k < 2; k++) {
            const RunResult *r = &fx.s.runs[k];
            size_t lo = i >= 2 ? i - 2 : 0, hi = i + 2 < 79 ? i + 2 : 79;
            double sum = 0.0;
            for (size_t t = lo; t <= hi; t++)
                sum += r->iters[t].loss;
            m[k] = sum / (double)(hi - lo + 1);
        }
        double mean = (m[0] + m[1]) / 2.0, sd = fabs(m[0] - m[1]) / sqrt(2.0);
        ck_assert_msg(close_to(v[1], mean), "row %zu: %g, want %g", i, v[1], mean);
        ck_assert(close_to(v[2], mean - sd));
        ck_assert(close_to(v[3], mean + sd));
    }
    free(ma);
    /* the raw values stay, faint, one seed's; the whole training set per epoch as markers */
    char *raw = block_of(text, part, "title \"minibatches (seed 1)\"");
    ck_assert_uint_eq(count(raw, "\n"), 80);
    ck_assert_uint_eq(row_values(raw, 39, v, 8), 3);
    ck_assert(v[0] == 1.0);
    ck_assert(close_to(v[1], fx.s.runs[0].iters[39].loss));
    free(raw);
    ck_assert_ptr_nonnull(strstr(part, "lc rgb \"#b0"));
    char *ep = block_of(text, part, "title \"whole training set\"");
    ck_assert_uint_eq(count(ep, "\n"), 2);
    free(ep);
    ck_assert_ptr_nonnull(strstr(part, "with yerrorbars"));
    free(part);
    free(text);
    fixture_release(&fx);

    /* more raw values than two per pixel column (one panel: 694 px): every
     * second one is drawn, the average still over all of them */
    fixture_load_ctx(&fx, "softmax-defaults.exp", "model = softmax\nmax_epoch = 2\nseeds = 1, 2\n",
                     1000, NULL);
    text = script_of(&fx, "o");
    part = figure_part(text, "softmax-defaults-iter-acc");
    raw = block_of(text, part, "title \"minibatches (seed 1)\"");
    ck_assert_uint_eq(count(raw, "\n"), 1000);
    ck_assert_uint_eq(row_values(raw, 1, v, 8), 3);
    ck_assert(close_to(v[0], 3.0 / 1000.0));
    ck_assert(close_to(v[2], 100.0 * fx.s.runs[0].iters[2].acc));
    free(raw);
    ma = block_of(text, part, "title \"moving average\"");
    /* 50 each side: every 12th row from the first, and the last */
    ck_assert_uint_eq(count(ma, "\n"), (2000 + 11) / 12 + 1);
    free(ma);
    free(part);
    free(text);
    fixture_release(&fx);
}
END_TEST

/* A sweep's x axis is log where its values are (learning rates, weight
 * decays, batch sizes, numbers of epochs spread over decades), else linear. */
START_TEST(test_log_axes_per_key)
{
    static const struct {
        const char *text;
        int log;
    } CASES[] = {
        {"model = mlp\nhidden = 8\nweight_decay = 0.001, 0.01, 0.1\nmax_epoch = 2\n", 1},
        {"model = mlp\nhidden = 8\nlearning_rate = 0.0001, 0.01\nmax_epoch = 2\n", 1},
        {"model = mlp\nhidden = 8\nbatch_size = 16, 100\nmax_epoch = 2\n", 1},
        {"model = mlp\nhidden = 8\nweight_decay = 0, 0.1\nmax_epoch = 2\n", 0}, /* a zero */
        {"model = mlp\nhidden = 8\nmax_epoch = 2, 3\n", 0},
        {"model = mlp\nhidden = 8\nmax_epoch = 2, 5, 20\n", 1}, /* where the values are */
        {"model = mlp\nhidden = 8\nmax_epoch = 10, 20, 30, 40\n", 0},
        {"model = mlp\nhidden = 8\nlearning_rate = 0.1, 0.2, 0.3, 0.4, 0.5\n", 0},
        {"model = softmax\nlambda = 0, 0.5\nmax_epoch = 2\n", 0},
    };
    for (size_t c = 0; c < sizeof CASES / sizeof CASES[0]; c++) {
        Fixture fx;
        fixture_load(&fx, strstr(CASES[c].text, "softmax") ? "softmax-x.exp" : "mlp-x.exp",
                     CASES[c].text);
        char *text = script_of(&fx, "o");
        char *part = figure_part(text, strstr(CASES[c].text, "softmax") ? "softmax-x-sweep"
                                                                        : "mlp-x-sweep");
        ck_assert_msg(!!strstr(part, "\nset logscale x\n") == CASES[c].log, "case %zu", c);
        /* the per-epoch curves are linear in every case */
        char *ep = figure_part(text, strstr(CASES[c].text, "softmax") ? "softmax-x-epoch-acc"
                                                                      : "mlp-x-epoch-acc");
        ck_assert_ptr_null(strstr(ep, "\nset logscale"));
        free(ep);
        free(part);
        free(text);
        fixture_release(&fx);
    }
    /* two keys: across, the one whose values spread over decades (not λ from 0) */
    Fixture two;
    fixture_load(&two, "softmax-x.exp",
                 "model = softmax\nlambda = 0, 0.001, 0.1\nlearning_rate = 0.01, 0.1, 1.0\n"
                 "max_epoch = 2\n");
    char *t2 = script_of(&two, "o");
    char *sw = figure_part(t2, "softmax-x-sweep");
    ck_assert_ptr_nonnull(strstr(sw, "set xlabel \"learning rate\""));
    ck_assert_ptr_nonnull(strstr(sw, "\nset logscale x\n"));
    ck_assert_ptr_nonnull(strstr(sw, "title \"\xce\xbb = 0.001\""));
    free(sw);
    free(t2);
    fixture_release(&two);
    Fixture fx;
    fixture_load(&fx, "mlp-x.exp",
                 "model = mlp\nhidden = 8\nweight_decay = 0.001, 0.01, 0.1\nmax_epoch = 2\n");
    char *text = script_of(&fx, "o");
    ck_assert_ptr_nonnull(strstr(text, "set xtics (\"0.001\" 0.001, \"0.01\" 0.01, \"0.1\" 0.1)"));
    ck_assert_ptr_nonnull(strstr(text, "set xlabel \"weight decay\""));
    free(text);
    fixture_release(&fx);
}
END_TEST

/* The original's figures as × marks: where the reference has the setting,
 * in the sweep and (with the twin) in the glance figure. */
START_TEST(test_reference_marks)
{
    char err[ERR_MAX] = "";
    Fixture fx;
    fixture_load(&fx, "softmax-lambda.exp", SOFTMAX);
    char *path = tu_path(fx.dir, "ref.csv");
    ck_assert_int_eq(tu_write(path, REFERENCE, sizeof REFERENCE - 1), 0);
    Reference ref;
    ck_assert_msg(reference_load(&ref, path, err) == 0, "%s", err);

    char *text = script_of(&fx, "o");
    ck_assert_ptr_null(strstr(text, "original write-up"));
    ck_assert_ptr_null(strstr(text, "pt 6 ps 1.1"));
    free(text);

    PlotInput in = {&fx.s, NULL, &ref, conf(), NULL};
    text = script_for(&in, "o");
    char *part = figure_part(text, "softmax-lambda-sweep");
    ck_assert_ptr_nonnull(strstr(part, "title \"original write-up\""));
    char *marks = block_of(text, part, "with points pt 6 ps 1.1");
    double v[4];
    ck_assert_uint_eq(count(marks, "\n"), 2); /* lambda 0 and 0.5; none for 1.0 */
    ck_assert_uint_eq(row_values(marks, 0, v, 4), 2);
    ck_assert(v[1] == 90.26);
    /* at lambda 0, beside (right of) the test-set point, not on it */
    ck_assert(v[0] > 0.01 && v[0] < 0.07);
    ck_assert_uint_eq(row_values(marks, 1, v, 4), 2);
    ck_assert(v[1] == 90.22);
    free(marks);
    free(part);
    free(text);

    fixture_twin(&fx, "softmax-reported-lambda.exp", TWIN);
    in.twin = &fx.twin;
    text = script_for(&in, "o");
    part = figure_part(text, "softmax-lambda-glance");
    ck_assert_ptr_nonnull(strstr(part, "title \"correct gradient\""));
    ck_assert_ptr_nonnull(strstr(part, "title \"as reported"));
    marks = block_of(text, part, "with points pt 6 ps 1.1"); /* the original's, hollow */
    ck_assert_uint_eq(row_values(marks, 0, v, 4), 2);
    ck_assert(v[0] > 0.01 && v[0] < 0.02 && v[1] == 90.26); /* beside lambda 0's means */
    ck_assert_uint_eq(row_values(marks, 1, v, 4), 2);
    ck_assert(v[0] > 0.51 && v[0] < 0.52 && v[1] == 90.22);
    free(marks);
    /* the twin's band: its final test accuracy, mean ± sd over the seeds */
    char *band = block_of(text, part, "with linespoints pt 5 ps 0.7"); /* as reported */
    ck_assert_uint_eq(row_values(band, 1, v, 4), 4);
    ck_assert(v[0] == 0.5);
    ck_assert(close_to(v[1], 100.0 * (0.85 + 0.015)));
    ck_assert(close_to(v[2], 100.0 * (0.85 + 0.015) - 100.0 * 0.01 / sqrt(2.0)));
    free(band);
    free(part);
    free(text);
    reference_release(&ref);
    free(path);
    fixture_release(&fx);
}
END_TEST

/* The y range of the first panel of a figure's SVG program. */
static void yrange_of(const char *text, const char *name, double *lo, double *hi)
{
    char *part = figure_part(text, name);
    const char *at = strstr(part, "\nset yrange [");
    ck_assert_msg(at != NULL, "%s: no y range", name);
    ck_assert_int_eq(sscanf(at, "\nset yrange [%lf:%lf]", lo, hi), 2);
    free(part);
}

/* A softmax study and its as-reported twin, read against each other: the
 * figures of both get axis ranges that hold both (here the twin logs losses
 * five times as large). */
START_TEST(test_twins_share_axes)
{
    Fixture fx;
    fixture_load(&fx, "softmax-lambda.exp", SOFTMAX);
    fixture_twin(&fx, "softmax-reported-lambda.exp", TWIN);
    char err[ERR_MAX] = "";
    StudyResults twin_it;
    ck_assert_msg(study_results_load(&twin_it, fx.results, fx.twin_e, RESULTS_ITERATIONS, err) == 0,
                  "%s", err);
    double max_loss = 0.0;
    for (size_t r = 0; r < twin_it.n_runs; r++) {
        RunResult *run = &twin_it.runs[r];
        for (size_t e = 0; e < run->n_epochs; e++) {
            run->epochs[e].m[METRIC_FULL_TRAIN_LOSS] *= 5.0;
            if (isfinite(run->epochs[e].m[METRIC_FULL_TRAIN_LOSS]))
                max_loss = fmax(max_loss, run->epochs[e].m[METRIC_FULL_TRAIN_LOSS]);
        }
        for (size_t i = 0; i < run->n_iters; i++)
            run->iters[i].loss *= 5.0;
    }
    PlotInput alone = {&fx.s, NULL, NULL, conf(), NULL};
    PlotInput with = {&fx.s, NULL, NULL, conf(), &twin_it};
    PlotInput back = {&twin_it, NULL, NULL, conf(), &fx.s};
    char *a = script_for(&alone, "o"), *b = script_for(&with, "o"), *c = script_for(&back, "o");
    double lo_a, hi_a, lo_b, hi_b, lo_c, hi_c;
    yrange_of(a, "softmax-lambda-epoch-loss", &lo_a, &hi_a);
    yrange_of(b, "softmax-lambda-epoch-loss", &lo_b, &hi_b);
    yrange_of(c, "softmax-reported-lambda-epoch-loss", &lo_c, &hi_c);
    ck_assert_msg(hi_a < max_loss, "alone, %g already holds the twin's %g", hi_a, max_loss);
    ck_assert_msg(hi_b >= max_loss, "with its twin, %g does not hold the twin's %g", hi_b, max_loss);
    ck_assert(lo_b == lo_c && hi_b == hi_c); /* the same axes both ways */
    yrange_of(b, "softmax-lambda-iter-loss", &lo_b, &hi_b);
    yrange_of(c, "softmax-reported-lambda-iter-loss", &lo_c, &hi_c);
    ck_assert(lo_b == lo_c && hi_b == hi_c);
    free(a);
    free(b);
    free(c);
    study_results_release(&twin_it);
    fixture_release(&fx);
}
END_TEST

/* Networks far apart (one near chance): the dot plot of categories breaks
 * its x axis into two panels, each range holding its own group of means, the
 * wider group the wider panel; close together: one panel. */
START_TEST(test_broken_axis)
{
    Fixture fx;
    fixture_load(&fx, "mlp-arch.exp",
                 "model = mlp\nhidden = 8\nactivation = relu, sigmoid\nmax_epoch = 2\n"
                 "seeds = 1, 2\n");
    char *text = script_of(&fx, "o");
    char *part = figure_part(text, "mlp-arch-sweep");
    /* one panel: no break, the categories named once */
    ck_assert_uint_eq(count(part, "nohead lw 1.2 lc rgb \"#404040\""), 0);
    ck_assert_uint_eq(count(part, "set format y \"\""), 0);
    free(part);
    free(text);
    static const Metric M[] = {METRIC_TRAIN_ACC, METRIC_VAL_ACC, METRIC_TEST_ACC};
    for (size_t k = 0; k < fx.s.n_seeds; k++)
        for (size_t m = 0; m < 3; m++)
            fx.s.runs[1 * fx.s.n_seeds + k].final[M[m]] = 0.11 + 0.004 * (double)(k + m);
    text = script_of(&fx, "o");
    part = figure_part(text, "mlp-arch-sweep");
    double x[2][2];
    const char *at = part;
    for (int i = 0; i < 2; i++) {
        at = strstr(at, "\nset xrange [");
        ck_assert_ptr_nonnull(at);
        ck_assert_int_eq(sscanf(at, "\nset xrange [%lf:%lf]", &x[i][0], &x[i][1]), 2);
        at++;
    }
    /* the first holds chance (10 %) and the sigmoid network, the second the ReLU one */
    ck_assert_msg(x[0][0] < 10.0 && x[0][1] > 12.0 && x[0][1] < 30.0, "%g:%g", x[0][0], x[0][1]);
    ck_assert_msg(x[1][0] > 50.0 && x[1][1] < 100.0, "%g:%g", x[1][0], x[1][1]);
    ck_assert_uint_eq(count(part, "set format y \"\""), 1); /* categories named once */
    ck_assert_uint_eq(count(part, "nohead lw 1.2 lc rgb \"#404040\""), 2); /* the break */
    free(part);
    free(text);
    fixture_release(&fx);
}
END_TEST

/* Weight decay's effect: each weight matrix's norm per epoch beside the
 * validation accuracy, for a study that sweeps the weight decay alone and
 * whose runs recorded their norms. */
START_TEST(test_norms_figure)
{
    Fixture fx;
    FigureSet figs;
    fixture_load(&fx, "mlp-wd.exp",
                 "model = mlp\nhidden = 8x4\nweight_decay = 0.1, 0.001, 0.01\nmax_epoch = 4\n"
                 "seeds = 1, 2\n");
    PlotInput in = {&fx.s, NULL, NULL, conf(), NULL};
    for (size_t r = 0; r < fx.s.n_runs; r++) /* runs that recorded no norms: no figure */
        for (size_t e = 0; e < fx.s.runs[r].n_epochs; e++)
            for (int k = 0; k < 3; k++)
                fx.s.runs[r].epochs[e].m[METRIC_WEIGHT_NORM_1 + k] = NAN;
    ck_assert_uint_eq(plot_norm_layers(&fx.s), 0);
    plot_figures(&in, &figs);
    ck_assert_str_eq(figs.name[figs.n - 1], "mlp-wd-sweep");
    /* the norms shrink with the decay and the epochs */
    for (size_t r = 0; r < fx.s.n_runs; r++) {
        RunResult *run = &fx.s.runs[r];
        double wd = run->config.weight_decay;
        for (size_t e = 0; e < run->n_epochs; e++)
            for (int k = 0; k < 3; k++)
                run->epochs[e].m[METRIC_WEIGHT_NORM_1 + k] =
                    (10.0 + (double)k) / (1.0 + 100.0 * wd * (double)(e + 1)) + 0.01 * (double)r;
    }
    ck_assert_uint_eq(plot_norm_layers(&fx.s), 3);
    plot_figures(&in, &figs);
    ck_assert_str_eq(figs.name[figs.n - 1], "mlp-wd-norms");
    char *text = script_for(&in, "o");
    char *part = figure_part(text, "mlp-wd-norms");
    /* four panels (three matrices, validation accuracy), the legend above */
    ck_assert_uint_eq(count(part, "\nplot "), 5);
    const char *t1 = strstr(part, "set title \"||W1|| (first layer)\"");
    const char *t2 = strstr(part, "set title \"||W2||\"");
    const char *t3 = strstr(part, "set title \"||W3|| (output layer)\"");
    const char *t4 = strstr(part, "set title \"validation accuracy (%)\"");
    ck_assert(t1 && t2 && t3 && t4 && t1 < t2 && t2 < t3 && t3 < t4);
    /* legend in sweep order, each decay its palette colour by rank */
    const char *w1 = strstr(part, "title \"weight decay = 0.1\"");
    const char *w2 = strstr(part, "title \"weight decay = 0.001\"");
    ck_assert(w1 && w2 && w1 < w2);
    char col[PLOT_COLOUR_MAX], want[128];
    plot_sweep_colour(2, 3, col);
    snprintf(want, sizeof want, "keyentry with lines lw 1.8 lc rgb \"#%s\" title \"weight decay = 0.1\"",
             col);
    ck_assert_msg(strstr(part, want) != NULL, "no '%s'", want);
    /* the first matrix's mean norm per epoch at weight decay 0.1 (group 0) */
    char *band = block_of(text, t1, "with filledcurves");
    double v[4];
    ck_assert_uint_eq(row_values(band, 0, v, 4), 4);
    ck_assert(v[0] == 1.0);
    ck_assert(close_to(v[1], 10.0 / 11.0 + 0.005));
    free(band);
    /* each panel its own y range: the first matrix's norms, 0.24 to 9.1 */
    double lo, hi;
    yrange_of(text, "mlp-wd-norms", &lo, &hi);
    ck_assert_msg(lo < 0.24 && lo > -1.0 && hi > 9.1 && hi < 10.0, "%g:%g", lo, hi);
    free(part);
    free(text);
    fixture_release(&fx);
}
END_TEST

START_TEST(test_twin_must_match)
{
    char err[ERR_MAX] = "";
    Fixture fx;
    fixture_load(&fx, "softmax-lambda.exp", SOFTMAX);
    fixture_twin(&fx, "softmax-reported-lambda.exp",
                 "model = softmax\nas_reported = true\nlambda = 0, 0.2, 1.0\nmax_epoch = 3\n"
                 "seeds = 1, 2\n");
    PlotInput in = {&fx.s, &fx.twin, NULL, conf(), NULL};
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    ck_assert_int_eq(plot_script(f, &in, "o", 42, err), -1);
    fclose(f);
    free(buf);
    ck_assert_str_eq(err, "plot: 'softmax-lambda': its as-reported twin sweeps other settings");
    fixture_release(&fx);
}
END_TEST

/* Legends inside, in a corner free of data (accuracy rises: bottom right is
 * free), or above the plot when there is none. Small multiples for the
 * architectures. */
START_TEST(test_layout)
{
    Fixture fx;
    fixture_load(&fx, "mlp-lr.exp",
                 "model = mlp\nhidden = 8\nlearning_rate = 0.001, 0.01\nmax_epoch = 8\n");
    char *text = script_of(&fx, "o");
    char *part = figure_part(text, "mlp-lr-epoch-acc");
    ck_assert_ptr_nonnull(strstr(part, "set key inside bottom right"));
    ck_assert_ptr_null(strstr(part, "set multiplot"));
    ck_assert_ptr_nonnull(strstr(part, "title \"learning rate = 0.01\""));
    ck_assert_ptr_nonnull(strstr(part, "keyentry with lines lw 1.8 lc rgb \"#404040\" dt 2 "
                                       "title \"validation\""));
    free(part);
    /* the fake losses fall in straight lines across every corner: the legend
     * goes into a strip above the plot, which makes the figure taller */
    part = figure_part(text, "mlp-lr-epoch-loss");
    ck_assert_ptr_null(strstr(part, "set key inside bottom"));
    ck_assert_ptr_null(strstr(part, "set key inside top"));
    ck_assert_ptr_nonnull(strstr(part, "set key inside center center horizontal maxcols 2"));
    ck_assert_ptr_nonnull(strstr(part, "set terminal svg size 800,4"));
    ck_assert_uint_eq(count(part, "\nplot "), 2);
    free(part);
    ck_assert_ptr_null(strstr(text, "\nset title"));
    free(text);
    fixture_release(&fx);

    fixture_load(&fx, "mlp-arch.exp",
                 "model = mlp\nhidden = 8, 8x4\nloss = euclidean, cross-entropy\n"
                 "activation = relu, sigmoid\nmax_epoch = 2\n");
    text = script_of(&fx, "o");
    part = figure_part(text, "mlp-arch-epoch-acc");
    /* rows: loss, columns: activation, colours: the hidden layers */
    ck_assert_ptr_nonnull(strstr(part, "set multiplot"));
    /* four panels, and the legend on its own above them (too wide for a panel) */
    ck_assert_uint_eq(count(part, "\nplot "), 5);
    ck_assert_ptr_nonnull(strstr(part, "set key inside center center horizontal maxcols 2"));
    const char *p1 = strstr(part, "set title \"Euclidean, ReLU\"");
    const char *p2 = strstr(part, "set title \"Euclidean, sigmoid\"");
    const char *p3 = strstr(part, "set title \"CE, ReLU\"");
    ck_assert(p1 && p2 && p3 && p1 < p2 && p2 < p3);
    ck_assert_ptr_nonnull(strstr(part, "title \"1 hidden layer (8)\""));
    ck_assert_ptr_nonnull(strstr(part, "title \"2 hidden layers (8-4)\""));
    /* shared axes: one y range for all four, tic labels on the outer panels */
    ck_assert_uint_eq(count(part, "set format y \"\""), 2);
    ck_assert_uint_eq(count(part, "set format x \"\""), 2);
    free(part);
    /* final accuracies with no numeric key: one line per network */
    part = figure_part(text, "mlp-arch-sweep");
    ck_assert_ptr_nonnull(strstr(part, "set ytics (\"8, Euclidean, ReLU\" 8, "));
    ck_assert_ptr_nonnull(strstr(part, "with xerrorbars"));
    free(part);
    free(text);
    fixture_release(&fx);
}
END_TEST

/* Learn then unlearn: the settings whose validation accuracy falls after an
 * early peak, across studies. */
static char *overview_script(const StudyResults *studies, size_t n)
{
    char err[ERR_MAX] = "", *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(f);
    ck_assert_msg(plot_overview_script(f, studies, n, "o", 42, err) == 0, "%s", err);
    ck_assert_int_eq(fclose(f), 0);
    return buf;
}

START_TEST(test_unlearn)
{
    char err[ERR_MAX] = "";
    Fixture fx, wd;
    fixture_load(&fx, "mlp-lr.exp",
                 "model = mlp\nhidden = 8\nlearning_rate = 0.001, 0.01\nmax_epoch = 6\n"
                 "seeds = 1, 2\n");
    /* learning rate 0.01: the validation accuracy peaks after epoch 2, then falls */
    static const double FALLS[6] = {0.80, 0.90, 0.88, 0.86, 0.85, 0.84};
    for (size_t k = 0; k < 2; k++) {
        RunResult *r = &fx.s.runs[1 * fx.s.n_seeds + k];
        for (size_t e = 0; e < 6; e++)
            r->epochs[e].m[METRIC_VAL_ACC] = FALLS[e];
    }
    char *buf = overview_script(&fx.s, 1);
    char *part = figure_part(buf, PLOT_UNLEARN);
    /* one panel, for the network that falls (learning rate 0.001 rises) */
    ck_assert_ptr_nonnull(strstr(part, "set title \"8 CE ReLU, \xce\xb7 = 0.01\""));
    ck_assert_uint_eq(count(part, "\nset title"), 1);
    ck_assert_ptr_nonnull(strstr(part, "title \"weight decay = 0.1\""));
    char *peak = block_of(buf, part, "with points pt 6");
    ck_assert_str_eq(peak, "2 90\n");
    free(peak);
    free(part);
    free(buf);

    /* the same network at other weight decays joins it, a colour each */
    fixture_load(&wd, "mlp-wd.exp",
                 "model = mlp\nhidden = 8\nlearning_rate = 0.01\nweight_decay = 0.001, 0.01\n"
                 "max_epoch = 6\nseeds = 1, 2\n");
    StudyResults both[2] = {fx.s, wd.s};
    buf = overview_script(both, 2);
    part = figure_part(buf, PLOT_UNLEARN);
    ck_assert_uint_eq(count(part, "\nset title"), 1);
    ck_assert_uint_eq(count(part, "with filledcurves"), 3);
    const char *w1 = strstr(part, "title \"weight decay = 0.1\"");
    const char *w2 = strstr(part, "title \"weight decay = 0.01\"");
    const char *w3 = strstr(part, "title \"weight decay = 0.001\"");
    ck_assert(w1 && w2 && w3 && w1 < w2 && w2 < w3);
    /* the peak in its decay's colour: the largest of three, the darkest */
    char dark[PLOT_COLOUR_MAX], want[64];
    plot_sweep_colour(2, 3, dark);
    snprintf(want, sizeof want, "with points pt 6 ps 1.3 lw 1.5 lc rgb \"#%s\"", dark);
    ck_assert_uint_eq(count(part, want), 1);
    free(part);
    free(buf);
    fixture_release(&wd);

    /* two networks that fall: one y range for both panels, the tic labels
     * on the outer ones; one of them near chance: each panel its own range,
     * every panel with its x and y tic labels */
    static const double LOW[6] = {0.10, 0.14, 0.13, 0.12, 0.11, 0.105};
    for (int near_chance = 0; near_chance <= 1; near_chance++) {
        for (size_t k = 0; k < 2; k++)
            for (size_t e = 0; e < 6; e++) {
                fx.s.runs[0 * fx.s.n_seeds + k].epochs[e].m[METRIC_VAL_ACC] =
                    near_chance ? LOW[e] : FALLS[e] - 0.01;
                fx.s.runs[1 * fx.s.n_seeds + k].epochs[e].m[METRIC_VAL_ACC] = FALLS[e];
            }
        buf = overview_script(&fx.s, 1);
        part = figure_part(buf, PLOT_UNLEARN);
        ck_assert_uint_eq(count(part, "\nset title"), 2);
        double y[2][2];
        const char *at = part;
        for (int i = 0; i < 2; i++) {
            at = strstr(at, "\nset yrange [");
            ck_assert_ptr_nonnull(at);
            ck_assert_int_eq(sscanf(at, "\nset yrange [%lf:%lf]", &y[i][0], &y[i][1]), 2);
            at++;
        }
        ck_assert_msg((y[0][0] == y[1][0] && y[0][1] == y[1][1]) == !near_chance,
                      "near chance %d: y ranges %g:%g and %g:%g", near_chance, y[0][0], y[0][1],
                      y[1][0], y[1][1]);
        ck_assert_uint_eq(count(part, "set format y \"\""), near_chance ? 0 : 1);
        free(part);
        free(buf);
    }

    /* nothing falls: the largest drop is drawn all the same */
    for (size_t k = 0; k < 2; k++) {
        RunResult *r = &fx.s.runs[1 * fx.s.n_seeds + k];
        for (size_t e = 0; e < 6; e++)
            r->epochs[e].m[METRIC_VAL_ACC] = 0.80 + 0.01 * (double)e;
    }
    buf = overview_script(&fx.s, 1);
    part = figure_part(buf, PLOT_UNLEARN);
    ck_assert_uint_eq(count(part, "\nset title"), 1);
    ck_assert_ptr_nonnull(strstr(part, "set title \"8 CE ReLU\""));
    free(part);
    free(buf);
    fixture_release(&fx);

    fixture_load(&fx, "softmax-lambda.exp", SOFTMAX);
    char *none = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&none, &n);
    ck_assert_int_eq(plot_overview_script(f, &fx.s, 1, "o", 42, err), -1);
    fclose(f);
    free(none);
    ck_assert_str_eq(err, "plot: no mlp study to draw 'mlp-unlearn' from");
    fixture_release(&fx);
}
END_TEST

/* ---- one visual language ---------------------------------------------------
 * The figures' programs read back: each plot element's legend title, colour
 * and dash, each panel's title. */
typedef struct {
    char title[256]; /* "" for none */
    char colour[8];  /* RRGGBB (an ARGB colour's alpha dropped), "" for none */
    char dash[16];   /* "dt N", "" for solid */
} Elem;

#define ELEMS_MAX 512

static void field(const char *el, size_t n, const char *key, char *out, size_t size)
{
    out[0] = '\0';
    const char *at = NULL;
    for (const char *p = el; p + strlen(key) <= el + n; p++)
        if (strncmp(p, key, strlen(key)) == 0) {
            at = p + strlen(key);
            break;
        }
    if (!at)
        return;
    size_t k = 0;
    while (at + k < el + n && at[k] != '"' && !(at[k] == ' ' && key[strlen(key) - 1] == ' ') &&
           k + 1 < size)
        k++;
    memcpy(out, at, k);
    out[k] = '\0';
}

/* The elements of every plot command in part, and the panel titles and
 * labels' colours (as elements with an empty title, a '@' before a panel's). */
static size_t elements(const char *part, Elem *out, size_t max)
{
    size_t n = 0;
    int in_plot = 0;
    for (const char *line = part; line && *line && n < max;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        const char *el = NULL;
        size_t el_len = 0;
        if (strncmp(line, "plot ", 5) == 0) {
            el = line + 5;
            in_plot = 1;
        } else if (in_plot && strncmp(line, "     ", 5) == 0) {
            el = line + 5;
        } else if (strncmp(line, "set title \"", 11) == 0) {
            Elem *e = &out[n++];
            memset(e, 0, sizeof *e);
            e->title[0] = '@';
            field(line, len, "set title \"", e->title + 1, sizeof e->title - 1);
        } else if (strncmp(line, "set arrow", 9) == 0) {
            Elem *e = &out[n++];
            memset(e, 0, sizeof *e);
            field(line, len, "lc rgb \"#", e->colour, sizeof e->colour);
        }
        if (el) {
            el_len = len - (size_t)(el - line);
            in_plot = el_len >= 3 && strncmp(el + el_len - 3, ", \\", 3) == 0;
            Elem *e = &out[n++];
            memset(e, 0, sizeof *e);
            field(el, el_len, " title \"", e->title, sizeof e->title);
            char c[16];
            field(el, el_len, "lc rgb \"#", c, sizeof c);
            snprintf(e->colour, sizeof e->colour, "%.6s", strlen(c) == 8 ? c + 2 : c);
            field(el, el_len, " dt ", c, sizeof c);
            if (c[0])
                snprintf(e->dash, sizeof e->dash, "dt %s", c);
        }
        line = end ? end + 1 : NULL;
    }
    ck_assert_uint_lt(n, max);
    return n;
}

/* "key = value" legends and panel titles seen, with the colours of their
 * elements, across figures. */
typedef struct {
    char label[64];
    double value;
    char colour[8];
    char figure[64];
} SweepSeen;

typedef struct {
    size_t looks[N_LOOKS]; /* legend entries checked per quantity */
    SweepSeen sweep[256];
    size_t n_sweep;
} Seen;

static int is_dash_of(const Elem *e, const Look *lk)
{
    return strcmp(e->dash[0] ? e->dash : "dt 1", lk->dash) == 0;
}

/* Every legend entry of figure name in text that names a quantity of the
 * table has its colour (or, a sample standing for a dash, INK and the
 * quantity's dash); every "key = value" legend its one colour across the
 * figures; every colour drawn is the table's, the palette's or INK. */
static void check_figure(const char *text, const char *name, Seen *seen)
{
    char *part = figure_part(text, name);
    static Elem el[ELEMS_MAX];
    size_t n = elements(part, el, ELEMS_MAX);
    for (size_t i = 0; i < n; i++) {
        const Elem *e = &el[i];
        if (e->title[0] && e->title[0] != '@') {
            for (int l = 0; l < N_LOOKS; l++) {
                const Look *lk = plot_look((LookId)l);
                if (strncmp(e->title, lk->name, strlen(lk->name)) != 0)
                    continue;
                int own = strcmp(e->colour, lk->colour) == 0;
                int dash_sample = strcmp(e->colour, INK) == 0 && is_dash_of(e, lk);
                ck_assert_msg(own || dash_sample, "%s: '%s' drawn in #%s %s, the table says #%s",
                              name, e->title, e->colour, e->dash, lk->colour);
                seen->looks[l]++;
            }
            const char *eq = strstr(e->title, " = ");
            if (eq && seen->n_sweep < 256 && e->colour[0]) {
                SweepSeen *w = &seen->sweep[seen->n_sweep++];
                snprintf(w->label, sizeof w->label, "%.*s", (int)(eq - e->title), e->title);
                w->value = strtod(eq + 3, NULL);
                snprintf(w->colour, sizeof w->colour, "%s", e->colour);
                snprintf(w->figure, sizeof w->figure, "%s", name);
            }
        }
        /* every colour is the table's, the sequential palette's (checked by
         * value above) or INK */
        if (!e->colour[0] || strcmp(e->colour, INK) == 0)
            continue;
        int known = 0;
        for (int l = 0; l < N_LOOKS; l++)
            known |= strcmp(e->colour, plot_look((LookId)l)->colour) == 0;
        for (size_t r = 0; r < 16 && !known; r++)
            for (size_t m = r + 1; m <= 16 && !known; m++) {
                char c[PLOT_COLOUR_MAX];
                plot_sweep_colour(r, m, c);
                known = strcmp(c, e->colour) == 0;
            }
        ck_assert_msg(known, "%s: colour #%s is neither the table's nor the palette's", name,
                      e->colour);
    }
    free(part);
}

/* Each "key = value" seen in one colour in every figure, the palette's by
 * the value's rank among that key's values. */
static void check_sweeps(const Seen *seen)
{
    for (size_t i = 0; i < seen->n_sweep; i++) {
        const SweepSeen *w = &seen->sweep[i];
        double vals[64];
        size_t nv = 0, rank = 0;
        for (size_t k = 0; k < seen->n_sweep; k++) {
            const SweepSeen *o = &seen->sweep[k];
            if (strcmp(o->label, w->label) != 0)
                continue;
            if (o->value == w->value)
                ck_assert_msg(strcmp(o->colour, w->colour) == 0,
                              "%s = %g is #%s in %s but #%s in %s", w->label, w->value, w->colour,
                              w->figure, o->colour, o->figure);
            size_t d = 0;
            while (d < nv && vals[d] != o->value)
                d++;
            if (d == nv && nv < 64)
                vals[nv++] = o->value;
        }
        for (size_t d = 0; d < nv; d++)
            rank += vals[d] < w->value;
        char want[PLOT_COLOUR_MAX];
        plot_sweep_colour(rank, nv, want);
        ck_assert_msg(strcmp(want, w->colour) == 0, "%s = %g (rank %zu of %zu) in %s: #%s, want #%s",
                      w->label, w->value, rank, nv, w->figure, w->colour, want);
    }
}

static void check_study(Fixture *fx, const Reference *ref, Seen *seen)
{
    PlotInput in = {&fx->s, fx->twin_e ? &fx->twin : NULL, ref, conf(), NULL};
    FigureSet figs;
    plot_figures(&in, &figs);
    char *text = script_for(&in, "o");
    for (size_t i = 0; i < figs.n; i++)
        check_figure(text, figs.name[i], seen);
    free(text);
}

START_TEST(test_one_visual_language)
{
    char err[ERR_MAX] = "";
    /* the table: one colour per quantity, none twice */
    for (int a = 0; a < N_LOOKS; a++) {
        ck_assert_uint_eq(strlen(plot_look((LookId)a)->colour), 6);
        ck_assert_str_ne(plot_look((LookId)a)->colour, INK);
        for (int b = a + 1; b < N_LOOKS; b++)
            ck_assert_msg(strcmp(plot_look((LookId)a)->colour, plot_look((LookId)b)->colour) != 0,
                          "'%s' and '%s' share a colour", plot_look((LookId)a)->name,
                          plot_look((LookId)b)->name);
    }
    Seen seen;
    memset(&seen, 0, sizeof seen);
    Fixture fx;
    fixture_load(&fx, "softmax-lambda.exp", SOFTMAX);
    char *path = tu_path(fx.dir, "ref.csv");
    ck_assert_int_eq(tu_write(path, REFERENCE, sizeof REFERENCE - 1), 0);
    Reference ref;
    ck_assert_msg(reference_load(&ref, path, err) == 0, "%s", err);
    fixture_twin(&fx, "softmax-reported-lambda.exp", TWIN);
    check_study(&fx, &ref, &seen);
    fixture_release(&fx);

    fixture_load(&fx, "softmax-defaults.exp", "model = softmax\nmax_epoch = 3\nseeds = 1, 2\n");
    fixture_twin(&fx, "softmax-reported-defaults.exp",
                 "model = softmax\nas_reported = true\nmax_epoch = 3\nseeds = 1, 2\n");
    check_study(&fx, &ref, &seen);
    fixture_release(&fx);

    static const char *const MLP[] = {
        "mlp-arch.exp", ("model = mlp\nhidden = 8, 8x4\nloss = euclidean, cross-entropy\n"
                         "activation = relu, sigmoid\nmax_epoch = 2\n"),
        "mlp-act.exp", "model = mlp\nhidden = 8\nactivation = relu, sigmoid\nmax_epoch = 2\n",
        "mlp-loss.exp", "model = mlp\nhidden = 8\nloss = cross-entropy, euclidean\nmax_epoch = 2\n",
        "mlp-defaults.exp", "model = mlp\nhidden = 8\nmax_epoch = 2\nseeds = 1, 2\n",
    };
    for (size_t i = 0; i < sizeof MLP / sizeof MLP[0]; i += 2) {
        fixture_load(&fx, MLP[i], MLP[i + 1]);
        check_study(&fx, &ref, &seen);
        fixture_release(&fx);
    }
    /* a weight decay sweep, listed largest first, and the learn-then-unlearn
     * figure drawn from it: each decay one colour in both */
    Fixture wd;
    fixture_load(&wd, "mlp-wd.exp",
                 "model = mlp\nhidden = 8\nlearning_rate = 0.01\nweight_decay = 0.1, 0.001, 0.01\n"
                 "max_epoch = 6\nseeds = 1, 2\n");
    for (size_t r = 0; r < wd.s.n_runs; r++) /* with weight norms: the norms figure too */
        for (size_t e = 0; e < wd.s.runs[r].n_epochs; e++)
            wd.s.runs[r].epochs[e].m[METRIC_WEIGHT_NORM_1] = 5.0 / (double)(e + 1);
    ck_assert_uint_gt(plot_norm_layers(&wd.s), 0);
    check_study(&wd, &ref, &seen);
    char *buf = overview_script(&wd.s, 1);
    check_figure(buf, PLOT_UNLEARN, &seen);
    free(buf);
    fixture_release(&wd);
    check_sweeps(&seen);

    /* every quantity was met where it appears */
    static const LookId MET[] = {LOOK_TRAINING,  LOOK_VALIDATION,    LOOK_TEST,
                                 LOOK_CORRECT,   LOOK_REPORTED,      LOOK_ORIGINAL,
                                 LOOK_RELU,      LOOK_SIGMOID,       LOOK_CROSS_ENTROPY,
                                 LOOK_EUCLIDEAN, LOOK_ONE_HIDDEN,    LOOK_TWO_HIDDEN};
    for (size_t i = 0; i < sizeof MET / sizeof MET[0]; i++)
        ck_assert_msg(seen.looks[MET[i]] > 0, "no figure showed '%s'", plot_look(MET[i])->name);
    size_t wd_seen = 0;
    for (size_t i = 0; i < seen.n_sweep; i++)
        wd_seen += strcmp(seen.sweep[i].label, "weight decay") == 0;
    ck_assert_uint_ge(wd_seen, 12); /* three decays in the epoch, norms and overview figures */
    reference_release(&ref);
    free(path);
}
END_TEST

/* The real gnuplot: files in place, nothing temporary left, same bytes twice. */
START_TEST(test_gnuplot_draws_byte_stable)
{
    Fixture fx;
    char err[ERR_MAX] = "";
    fixture_load(&fx, "softmax-lambda.exp", SOFTMAX);
    fixture_twin(&fx, "softmax-reported-lambda.exp", TWIN);
    char *out = fake_join(fx.dir, "figures", "mnist", NULL);
    setenv("SOURCE_DATE_EPOCH", "86400", 1);
    PlotInput in = {&fx.s, &fx.twin, NULL, conf(), NULL};
    ck_assert_msg(plot_study(&in, out, err) == 0, "%s", err);
    FigureSet figs;
    plot_figures(&in, &figs);
    ck_assert_uint_eq(figs.n, 6);
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
    ck_assert_msg(plot_study(&in, out, err) == 0, "%s", err);
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
    /* the overview, through gnuplot too */
    Fixture mlp;
    fixture_load(&mlp, "mlp-lr.exp",
                 "model = mlp\nhidden = 8\nlearning_rate = 0.001, 0.01\nmax_epoch = 3\n");
    ck_assert_msg(plot_overview(&mlp.s, 1, out, err) == 0, "%s", err);
    fixture_release(&mlp);
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
    ck_assert_uint_eq(count(listing, "\n"), 14);
    ck_assert_ptr_nonnull(strstr(listing, "mlp-unlearn.svg\n"));
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
    PlotInput in = {&fx.s, NULL, NULL, conf(), NULL};
    int rc = plot_study(&in, out, err);
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
    PlotInput in = {&fx.s, NULL, NULL, conf(), NULL};
    int rc = plot_study(&in, out, err);
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
    tcase_add_test(tc, test_moving_average);
    tcase_add_test(tc, test_names_and_axes);
    tcase_add_test(tc, test_figure_names);
    tcase_add_test(tc, test_script_contents);
    tcase_add_test(tc, test_band_data);
    tcase_add_test(tc, test_divergence_notes);
    tcase_add_test(tc, test_minibatch_smoothing);
    tcase_add_test(tc, test_log_axes_per_key);
    tcase_add_test(tc, test_reference_marks);
    tcase_add_test(tc, test_layout);
    tcase_add_test(tc, test_unlearn);
    tcase_add_test(tc, test_one_visual_language);
    tcase_add_test(tc, test_twins_share_axes);
    tcase_add_test(tc, test_broken_axis);
    tcase_add_test(tc, test_norms_figure);
    tcase_add_test(tc, test_gnuplot_draws_byte_stable);
    suite_add_tcase(s, tc);
    tc = tcase_create("errors");
    tcase_add_test(tc, test_twin_must_match);
    tcase_add_test(tc, test_gnuplot_missing);
    tcase_add_test(tc, test_gnuplot_fails);
    suite_add_tcase(s, tc);
    return s;
}
