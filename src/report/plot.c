#include "report/plot.h"

#include "atomic.h"
#include "report/cli.h"
#include "err.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define GNUPLOT_MISSING "plot: gnuplot not found: run 'apt-get install gnuplot-nox' (or make deps)"
#define TEXT_MAX 1024
#define PATH_TEXT_MAX 4096
#define CURVES_MAX 64

/* One consistent look: colour-blind safe colours (Okabe and Ito), the same
 * size ratio for both terminals, legends outside on the right. */
static const char *const COLOURS[] = {"0072B2", "D55E00", "009E73", "CC79A7",
                                      "E69F00", "56B4E9", "000000", "999999"};
#define N_COLOURS (sizeof COLOURS / sizeof COLOURS[0])

static const struct {
    const char *ext;
    const char *terminal;
} TERMINALS[] = {
    {"svg", "set terminal svg size 800,480 fixed noenhanced font \"Helvetica,13\" "
            "linewidth 1.2 background rgb \"white\""},
    {"pdf", "set terminal pdfcairo size 6in,3.6in noenhanced font \"Helvetica,10\" "
            "linewidth 1.2"},
};
#define N_TERMINALS (sizeof TERMINALS / sizeof TERMINALS[0])

enum { FIG_ITER_LOSS, FIG_ITER_ACC, FIG_EPOCH_LOSS, FIG_EPOCH_ACC, FIG_SWEEP };
static const char *const FIG_SUFFIX[] = {"-iter-loss", "-iter-acc", "-epoch-loss", "-epoch-acc",
                                         "-sweep"};

/* Double-quoted gnuplot string; with keep_newlines a newline becomes the
 * escape \n (a line break in a tic label), otherwise a space. */
static int quote(char *dst, size_t size, const char *text, int keep_newlines)
{
    size_t n = 0;
    if (size < 3)
        return -1;
    dst[n++] = '"';
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        int nl = *p == '\n' && keep_newlines;
        int esc = *p == '"' || *p == '\\' || nl;
        if (n + (size_t)esc + 2 >= size)
            return -1;
        if (esc)
            dst[n++] = '\\';
        dst[n++] = nl ? 'n' : *p < 0x20 || *p == 0x7f ? ' ' : (char)*p;
    }
    dst[n++] = '"';
    dst[n] = '\0';
    return (int)n;
}

int plot_quote(char *dst, size_t size, const char *text)
{
    return quote(dst, size, text, 0);
}

int plot_tmp_name(char *buf, size_t size, const char *out_dir, const char *name,
                  const char *ext, long tag)
{
    int n = snprintf(buf, size, "%s/.%s.%s.tmp.%ld", out_dir, name, ext, tag);
    return n < 0 || (size_t)n >= size ? -1 : 0;
}

static int is_softmax(const StudyResults *s)
{
    return experiment_model(s->exp) == MODEL_SOFTMAX;
}

static int has_sweep(const StudyResults *s)
{
    return s->n_groups > 1;
}

/* Which kinds of figure s gets, in order; returns their number. */
static size_t figure_kinds(const StudyResults *s, int *kinds)
{
    size_t n = 0;
    if (is_softmax(s)) {
        kinds[n++] = FIG_ITER_LOSS;
        kinds[n++] = FIG_ITER_ACC;
    }
    kinds[n++] = FIG_EPOCH_LOSS;
    kinds[n++] = FIG_EPOCH_ACC;
    if (has_sweep(s))
        kinds[n++] = FIG_SWEEP;
    return n;
}

void plot_figures(const StudyResults *s, FigureSet *figs)
{
    int kinds[PLOT_FIGURES_MAX];
    figs->n = figure_kinds(s, kinds);
    for (size_t i = 0; i < figs->n; i++)
        snprintf(figs->name[i], PLOT_NAME_MAX, "%s%s", experiment_study(s->exp),
                 FIG_SUFFIX[kinds[i]]);
}

/* The runs drawn as curves: seed study_plot_seed of every group, or every
 * seed when nothing is swept. Fills runs (n_groups or n_seeds entries). */
static size_t curve_runs(const StudyResults *s, size_t *runs)
{
    if (!has_sweep(s)) {
        for (size_t k = 0; k < s->n_seeds; k++)
            runs[k] = k;
        return s->n_seeds;
    }
    size_t k = study_plot_seed(s);
    for (size_t g = 0; g < s->n_groups; g++)
        runs[g] = g * s->n_seeds + k;
    return s->n_groups;
}

/* Legend text of curve c (run index i), quoted for gnuplot. */
static void curve_title(const StudyResults *s, size_t i, char *quoted, size_t size)
{
    char label[RUN_NAME_MAX + 64];
    const RunResult *r = &s->runs[i];
    if (has_sweep(s))
        study_group_label(s, i / s->n_seeds, label);
    else
        snprintf(label, RUN_NAME_MAX, "seed %llu", (unsigned long long)r->config.seed);
    if (r->status == RUN_DIVERGED) {
        size_t n = strlen(label);
        snprintf(label + n, sizeof label - n, " (diverged in epoch %d)", r->diverged_epoch);
    }
    if (plot_quote(quoted, size, label) < 0)
        plot_quote(quoted, size, "?");
}

static const char *colour(size_t c)
{
    return COLOURS[c % N_COLOURS];
}

static int dash(size_t c)
{
    return (int)(c / N_COLOURS) + 1;
}

/* ---- data blocks -------------------------------------------------------- */

/* Columns: epoch, training loss and accuracy (%), other loss and accuracy (%);
 * "training" is the whole training set for softmax and the epoch's minibatch
 * mean for mlp (what each logs), "other" the test set or the validation set. */
static void write_epoch_block(FILE *f, const StudyResults *s, size_t c, const RunResult *r)
{
    int sm = is_softmax(s);
    Metric tl = sm ? METRIC_FULL_TRAIN_LOSS : METRIC_TRAIN_LOSS;
    Metric ta = sm ? METRIC_FULL_TRAIN_ACC : METRIC_TRAIN_ACC;
    Metric ol = sm ? METRIC_TEST_LOSS : METRIC_VAL_LOSS;
    Metric oa = sm ? METRIC_TEST_ACC : METRIC_VAL_ACC;
    fprintf(f, "$e%zu << EOD\n", c);
    for (size_t k = 0; k < r->n_epochs; k++) {
        const double *m = r->epochs[k].m;
        fprintf(f, "%d %.9g %.9g %.9g %.9g\n", r->epochs[k].epoch, m[tl], 100.0 * m[ta], m[ol],
                100.0 * m[oa]);
    }
    fprintf(f, "EOD\n");
}

/* Columns: iteration, minibatch loss, minibatch accuracy (%); up to the first
 * non-finite loss. */
static void write_iter_block(FILE *f, size_t c, const RunResult *r)
{
    size_t n = run_result_finite_iters(r);
    fprintf(f, "$i%zu << EOD\n", c);
    for (size_t k = 0; k < n; k++)
        fprintf(f, "%ld %.9g %.9g\n", r->iters[k].iteration, r->iters[k].loss,
                100.0 * r->iters[k].acc);
    fprintf(f, "EOD\n");
}

/* The sweep figure's series: label in the legend, metric. */
typedef struct {
    const char *title;
    Metric metric;
    const char *colour;
} Series;

static size_t sweep_series(const StudyResults *s, Series *out)
{
    size_t n = 0;
    if (is_softmax(s)) {
        out[n++] = (Series){"training set", METRIC_FULL_TRAIN_ACC, "0072B2"};
    } else {
        out[n++] = (Series){"training (epoch mean)", METRIC_TRAIN_ACC, "0072B2"};
        out[n++] = (Series){"validation", METRIC_VAL_ACC, "009E73"};
    }
    out[n++] = (Series){"test", METRIC_TEST_ACC, "D55E00"};
    return n;
}

/* Columns: group number (1-based), then mean and std (%) of each series. */
static void write_sweep_block(FILE *f, const StudyResults *s)
{
    Series series[3];
    size_t ns = sweep_series(s, series);
    fprintf(f, "$sweep << EOD\n");
    for (size_t g = 0; g < s->n_groups; g++) {
        fprintf(f, "%zu", g + 1);
        for (size_t j = 0; j < ns; j++) {
            double mean, std;
            size_t n;
            study_group_stats(s, g, series[j].metric, &mean, &std, &n);
            if (n == 0)
                fprintf(f, " NaN NaN");
            else
                fprintf(f, " %.9g %.9g", 100.0 * mean, 100.0 * std);
        }
        fprintf(f, "\n");
    }
    fprintf(f, "EOD\n");
}

/* ---- figures ------------------------------------------------------------ */

static void style(FILE *f, const char *title, const char *xlabel, const char *ylabel)
{
    char q[TEXT_MAX];
    fprintf(f, "reset\n"
               "set border 3 lc rgb \"#404040\"\n"
               "set tics nomirror out\n"
               "set grid back lc rgb \"#e0e0e0\" lw 1 dt 1\n"
               "set key outside right top vertical Left reverse samplen 2\n"
               "set offsets 0, 0, graph 0.02, graph 0.02\n");
    if (plot_quote(q, sizeof q, title) > 0)
        fprintf(f, "set title %s\n", q);
    if (plot_quote(q, sizeof q, xlabel) > 0)
        fprintf(f, "set xlabel %s\n", q);
    if (plot_quote(q, sizeof q, ylabel) > 0)
        fprintf(f, "set ylabel %s\n", q);
}

static void figure_title(const StudyResults *s, const char *what, char *out, size_t size)
{
    snprintf(out, size, "%s: %s", experiment_title(s->exp), what);
}

static void curves_figure(FILE *f, const StudyResults *s, int kind)
{
    size_t runs[CURVES_MAX];
    size_t nc = curve_runs(s, runs);
    int iter = kind == FIG_ITER_LOSS || kind == FIG_ITER_ACC;
    int acc = kind == FIG_ITER_ACC || kind == FIG_EPOCH_ACC;
    const char *other = is_softmax(s) ? "test" : "validation";
    char title[TEXT_MAX], q[TEXT_MAX];
    if (iter)
        figure_title(s, acc ? "minibatch accuracy" : "minibatch loss", title, sizeof title);
    else
        figure_title(s, acc ? "accuracy per epoch" : "loss per epoch", title, sizeof title);
    style(f, title, iter ? "iteration" : "epoch", acc ? "accuracy (%)" : "loss");
    if (acc)
        fprintf(f, "set yrange [*:100]\n");
    fprintf(f, "plot");
    const char *sep = " ";
    for (size_t c = 0; c < nc; c++) {
        const RunResult *r = &s->runs[runs[c]];
        curve_title(s, runs[c], q, sizeof q);
        size_t rows = iter ? run_result_finite_iters(r) : r->n_epochs;
        if (rows == 0) {
            /* nothing to draw (diverged at once): keep the legend entry */
            fprintf(f, "%skeyentry with lines lw 1.5 lc rgb \"#%s\" dt %d title %s", sep,
                    colour(c), dash(c), q);
        } else if (iter) {
            /* raw minibatch values, thin and slightly transparent so that
             * overlaid runs stay visible */
            fprintf(f, "%s$i%zu using 1:%d with lines lw 0.6 lc rgb \"#70%s\" dt %d title %s",
                    sep, c, acc ? 3 : 2, colour(c), dash(c), q);
        } else {
            fprintf(f,
                    "%s$e%zu using 1:%d with linespoints pt 7 ps 0.35 lw 1.5 lc rgb \"#%s\" "
                    "dt %d title %s, "
                    "$e%zu using 1:%d with linespoints pt 6 ps 0.35 lw 1.5 lc rgb \"#%s\" dt 2 "
                    "notitle",
                    sep, c, acc ? 3 : 2, colour(c), dash(c), q, c, acc ? 5 : 4, colour(c));
        }
        sep = ", \\\n     ";
    }
    if (!iter) {
        fprintf(f, "%skeyentry with lines lw 1.5 lc rgb \"#404040\" dt 1 title \"training\"",
                sep);
        fprintf(f, "%skeyentry with lines lw 1.5 lc rgb \"#404040\" dt 2 title \"%s\"", sep,
                other);
    }
    fprintf(f, "\n");
}

static void sweep_figure(FILE *f, const StudyResults *s)
{
    size_t nk = experiment_sweep_count(s->exp);
    char title[TEXT_MAX], xlabel[TEXT_MAX] = "", q[TEXT_MAX];
    figure_title(s, "final accuracy (mean and std over seeds)", title, sizeof title);
    for (size_t j = 0, n = 0; j < nk && n < sizeof xlabel; j++) {
        int w = snprintf(xlabel + n, sizeof xlabel - n, "%s%s", j ? " / " : "",
                         sweep_key_label(experiment_sweep_key(s->exp, j)));
        n += w > 0 ? (size_t)w : 0;
    }
    style(f, title, xlabel, "accuracy (%)");
    if (nk > 1) /* room for the tic labels' extra lines */
        fprintf(f, "set xlabel offset 0, -%zu\n", nk - 1);
    fprintf(f, "set xrange [0.5:%zu.5]\n", s->n_groups);
    fprintf(f, "set xtics (");
    for (size_t g = 0; g < s->n_groups; g++) {
        char tic[TEXT_MAX] = "";
        size_t run = g * s->n_seeds, n = 0;
        for (size_t j = 0; j < nk && n < sizeof tic; j++) {
            int w = snprintf(tic + n, sizeof tic - n, "%s%s", j ? "\n" : "",
                             experiment_run_sweep(s->exp, run, j));
            n += w > 0 ? (size_t)w : 0;
        }
        quote(q, sizeof q, tic, 1);
        fprintf(f, "%s%s", g ? ", " : "", q);
        fprintf(f, " %zu", g + 1);
    }
    fprintf(f, ")\n");
    Series series[3];
    size_t ns = sweep_series(s, series);
    fprintf(f, "plot");
    for (size_t j = 0; j < ns; j++) {
        double dx = ((double)j - (double)(ns - 1) / 2.0) * 0.08;
        plot_quote(q, sizeof q, series[j].title);
        fprintf(f,
                "%s$sweep using ($1%+.2f):%zu:%zu with %s pt 7 ps 0.6 lw 1.5 lc rgb \"#%s\" "
                "title %s",
                j ? ", \\\n     " : " ", dx, 2 + 2 * j, 3 + 2 * j,
                nk == 1 ? "yerrorlines" : "yerrorbars", series[j].colour, q);
    }
    fprintf(f, "\n");
}

int plot_script(FILE *f, const StudyResults *s, const char *out_dir, long tag, char *err)
{
    size_t runs[CURVES_MAX];
    if (s->n_groups > CURVES_MAX || s->n_seeds > CURVES_MAX)
        return err_set(err, "plot: '%s': more than %d curves in a figure",
                       experiment_study(s->exp), CURVES_MAX);
    size_t nc = curve_runs(s, runs);
    fprintf(f, "# %s: figures of study '%s'\nreset session\nset encoding utf8\n",
            "repro plot", experiment_study(s->exp));
    for (size_t c = 0; c < nc; c++) {
        const RunResult *r = &s->runs[runs[c]];
        write_epoch_block(f, s, c, r);
        if (is_softmax(s))
            write_iter_block(f, c, r);
    }
    if (has_sweep(s))
        write_sweep_block(f, s);

    FigureSet figs;
    int kinds[PLOT_FIGURES_MAX];
    plot_figures(s, &figs);
    figure_kinds(s, kinds);
    for (size_t t = 0; t < N_TERMINALS; t++) {
        fprintf(f, "%s\n", TERMINALS[t].terminal);
        for (size_t i = 0; i < figs.n; i++) {
            char tmp[PATH_TEXT_MAX], q[PATH_TEXT_MAX + 8];
            if (plot_tmp_name(tmp, sizeof tmp, out_dir, figs.name[i], TERMINALS[t].ext, tag) ||
                plot_quote(q, sizeof q, tmp) < 0)
                return err_set(err, "plot: '%s': path too long", out_dir);
            /* reset (in each figure) keeps the terminal and the output */
            fprintf(f, "set output %s\n", q);
            if (kinds[i] == FIG_SWEEP)
                sweep_figure(f, s);
            else
                curves_figure(f, s, kinds[i]);
        }
    }
    fprintf(f, "unset output\n");
    return ferror(f) ? err_set(err, "plot: write error") : 0;
}

/* ---- running gnuplot ---------------------------------------------------- */

/* Whether an executable named prog is in a directory of $PATH. */
static int on_path(const char *prog)
{
    const char *path = getenv("PATH");
    if (!path || !*path)
        return 0;
    char *copy = strdup(path), *save = NULL;
    int found = 0;
    for (char *dir = copy ? strtok_r(copy, ":", &save) : NULL; dir && !found;
         dir = strtok_r(NULL, ":", &save)) {
        char full[PATH_TEXT_MAX];
        int n = snprintf(full, sizeof full, "%s/%s", *dir ? dir : ".", prog);
        struct stat st;
        found = n > 0 && (size_t)n < sizeof full && stat(full, &st) == 0 &&
                S_ISREG(st.st_mode) && access(full, X_OK) == 0;
    }
    free(copy);
    return found;
}

/* pdfcairo stamps the time of drawing into the PDF; with SOURCE_DATE_EPOCH
 * set, that date is rewritten (same length, so the cross-reference offsets
 * hold) to make the figure reproducible. */
static int pdf_fix_date(const char *path, char *err)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (!sde || !*sde)
        return 0;
    char *end;
    errno = 0;
    long long t = strtoll(sde, &end, 10);
    if (*end || errno || t < 0)
        return err_set(err, "plot: SOURCE_DATE_EPOCH='%s': not a number of seconds", sde);
    time_t tt = (time_t)t;
    struct tm tm;
    char stamp[32];
    if (!gmtime_r(&tt, &tm) || strftime(stamp, sizeof stamp, "%Y%m%d%H%M%S", &tm) != 14)
        return err_set(err, "plot: SOURCE_DATE_EPOCH='%s': out of range", sde);
    FILE *f = fopen(path, "r+b");
    if (!f)
        return err_set(err, "plot: '%s': %s", path, strerror(errno));
    static const char KEY[] = "/CreationDate (D:";
    char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    /* the info dictionary sits at the end of a cairo PDF: search the tail */
    long size = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    long base = 0;
    if (size > (long)sizeof buf - 1) {
        base = size - (long)(sizeof buf - 1);
        if (fseek(f, base, SEEK_SET) != 0) {
            fclose(f);
            return err_set(err, "plot: '%s': seek failed", path);
        }
        n = fread(buf, 1, sizeof buf - 1, f);
        buf[n] = '\0';
    }
    int rc = 0;
    char *at = NULL;
    for (size_t i = 0; i + sizeof KEY - 1 + 14 <= n && !at; i++)
        if (memcmp(buf + i, KEY, sizeof KEY - 1) == 0)
            at = buf + i + sizeof KEY - 1;
    if (at) {
        if (fseek(f, base + (long)(at - buf), SEEK_SET) != 0 || fwrite(stamp, 1, 14, f) != 14)
            rc = err_set(err, "plot: '%s': write failed", path);
    }
    if (fclose(f) != 0 && rc == 0)
        rc = err_set(err, "plot: '%s': write failed", path);
    return rc;
}

static void remove_tmps(const FigureSet *figs, const char *out_dir, long tag)
{
    for (size_t i = 0; i < figs->n; i++)
        for (size_t t = 0; t < N_TERMINALS; t++) {
            char tmp[PATH_TEXT_MAX];
            if (plot_tmp_name(tmp, sizeof tmp, out_dir, figs->name[i], TERMINALS[t].ext, tag) ==
                0)
                unlink(tmp);
        }
}

int plot_study(const StudyResults *s, const char *out_dir, char *err)
{
    if (!on_path("gnuplot"))
        return err_set(err, GNUPLOT_MISSING);
    if (make_dirs(out_dir, err) != 0)
        return -1;
    long tag = (long)getpid();
    FigureSet figs;
    plot_figures(s, &figs);

    fflush(NULL);
    /* gnuplot dying early must give an error here, not kill us */
    void (*old)(int) = signal(SIGPIPE, SIG_IGN);
    FILE *p = popen("gnuplot", "w");
    if (!p) {
        signal(SIGPIPE, old);
        return err_set(err, "plot: cannot start gnuplot: %s", strerror(errno));
    }
    char msg[ERR_MAX] = "";
    int wrc = plot_script(p, s, out_dir, tag, msg);
    int st = pclose(p);
    signal(SIGPIPE, old);
    if (st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 127) {
        remove_tmps(&figs, out_dir, tag);
        return err_set(err, GNUPLOT_MISSING);
    }
    if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        remove_tmps(&figs, out_dir, tag);
        if (st != -1 && WIFEXITED(st))
            return err_set(err, "plot: gnuplot failed drawing '%s' (exit status %d)",
                           experiment_study(s->exp), WEXITSTATUS(st));
        return err_set(err, "plot: gnuplot failed drawing '%s'", experiment_study(s->exp));
    }
    if (wrc != 0) {
        remove_tmps(&figs, out_dir, tag);
        return err_set(err, "%s", msg);
    }
    for (size_t t = 0; t < N_TERMINALS; t++)
        for (size_t i = 0; i < figs.n; i++) {
            char tmp[PATH_TEXT_MAX], final[PATH_TEXT_MAX];
            plot_tmp_name(tmp, sizeof tmp, out_dir, figs.name[i], TERMINALS[t].ext, tag);
            snprintf(final, sizeof final, "%s/%s.%s", out_dir, figs.name[i], TERMINALS[t].ext);
            if (strcmp(TERMINALS[t].ext, "pdf") == 0 && pdf_fix_date(tmp, err) != 0) {
                remove_tmps(&figs, out_dir, tag);
                return -1;
            }
            if (rename(tmp, final) != 0) {
                int e = errno;
                remove_tmps(&figs, out_dir, tag);
                return err_set(err, "plot: '%s': %s", final, strerror(e));
            }
        }
    return 0;
}

/* ---- the command -------------------------------------------------------- */

static void plot_usage(FILE *f)
{
    fprintf(f, "usage: repro plot --results DIR --out DIR [--study NAME] [--experiments DIR]\n"
               "\n"
               "Draws every figure of each study (experiments/*.exp, or only --study) from\n"
               "the results under DIR (results/<dataset>) into --out (figures/<dataset>),\n"
               "as SVG and PDF, through a pipe to gnuplot.\n");
}

int cmd_plot(int argc, char **argv)
{
    const char *results = NULL, *out = NULL, *study = NULL, *exps = "experiments";
    for (int i = 1; i < argc; i++) {
        const char **slot = NULL;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            plot_usage(stdout);
            return 0;
        } else if (strcmp(argv[i], "--results") == 0) {
            slot = &results;
        } else if (strcmp(argv[i], "--out") == 0) {
            slot = &out;
        } else if (strcmp(argv[i], "--study") == 0) {
            slot = &study;
        } else if (strcmp(argv[i], "--experiments") == 0) {
            slot = &exps;
        } else {
            fprintf(stderr, "repro plot: unknown option '%s' (see repro plot --help)\n", argv[i]);
            return 2;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "repro plot: '%s' needs a value\n", argv[i]);
            return 2;
        }
        *slot = argv[++i];
    }
    if (!results || !out) {
        fprintf(stderr, "repro plot: --results and --out are required (see repro plot --help)\n");
        return 2;
    }
    char err[ERR_MAX];
    char **paths = NULL;
    size_t n = 0;
    if (results_list_experiments(exps, study, &paths, &n, err) != 0) {
        fprintf(stderr, "repro plot: %s\n", err);
        return 1;
    }
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        Experiment *e = experiment_load(paths[i], err);
        StudyResults s;
        if (!e || study_results_load(&s, results, e, RESULTS_ITERATIONS, err) != 0) {
            rc = 1;
        } else {
            rc = plot_study(&s, out, err) == 0 ? 0 : 1;
            study_results_release(&s);
        }
        experiment_free(e);
    }
    if (rc != 0)
        fprintf(stderr, "repro plot: %s\n", err);
    results_free_list(paths, n);
    return rc;
}
