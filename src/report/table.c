/* table.c - a study's Markdown table (table.h). */
#include "report/table.h"

#include "display.h"
#include "report/facts.h"
#include "report/prose.h"
#include "report/studyvals.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAGGER " \xe2\x80\xa0"  /* the original agrees with our runs (fidelity.h) */
#define DDAGGER " \xe2\x80\xa1" /* some runs diverged */

/* A table of text cells before it is written. */
typedef struct {
    size_t rows, cols;
    char **cell; /* rows x cols, row 0 the header */
    int *right;  /* per column: right-aligned (numbers) */
} Grid;

/* The columns of a model's table: our metrics, then the original's. */
typedef struct {
    int softmax, has_ref;
    int time; /* a timed study (alone): its CPU time per epoch, after the metrics */
    size_t nkey, nm, nref; /* key columns (the swept keys, or "runs"), metrics, the original's */
    const Metric *metric;
    const char *const *head;
} Columns;

static Columns table_columns(const StudyResults *s, const Reference *ref,
                             const StudiesConf *conf)
{
    static const Metric SM_COLS[] = {METRIC_LAST_BATCH_LOSS, METRIC_FULL_TRAIN_ACC,
                                     METRIC_TEST_ACC};
    static const Metric MLP_COLS[] = {METRIC_TRAIN_LOSS, METRIC_TRAIN_ACC, METRIC_VAL_ACC,
                                      METRIC_TEST_ACC};
    static const char *const SM_HEADS[] = {"last-batch loss", "training acc. (%)",
                                           "test acc. (%)"};
    static const char *const MLP_HEADS[] = {"training loss", "training acc. (%)",
                                            "validation acc. (%)", "test acc. (%)"};
    /* a softmax study with a validation split (holdout): its three sets */
    static const Metric SMV_COLS[] = {METRIC_FULL_TRAIN_ACC, METRIC_VAL_ACC, METRIC_TEST_ACC};
    static const char *const SMV_HEADS[] = {"training acc. (%)", "validation acc. (%)",
                                            "test acc. (%)"};
    Columns c;
    c.softmax = experiment_model(s->exp) == MODEL_SOFTMAX;
    c.has_ref = 0;
    for (size_t g = 0; g < s->n_groups; g++)
        c.has_ref |= group_ref(s, g, ref, conf).row != NULL;
    size_t nk = experiment_sweep_count(s->exp);
    c.nkey = nk ? nk : 1;
    c.nm = c.softmax ? 3 : 4;
    c.nref = c.has_ref ? (c.softmax ? 3 : 2) : 0;
    c.metric = c.softmax ? SM_COLS : MLP_COLS;
    c.head = c.softmax ? SM_HEADS : MLP_HEADS;
    if (c.softmax && selection_metric(s) == METRIC_VAL_ACC) {
        c.metric = SMV_COLS;
        c.head = SMV_HEADS;
    }
    /* a timed study: what it was run for, and that its runs learnt */
    static const Metric TIME_COLS[] = {METRIC_TEST_ACC};
    static const char *const TIME_HEADS[] = {"test acc. (%)"};
    c.time = experiment_alone(s->exp);
    if (c.time) {
        c.metric = TIME_COLS;
        c.head = TIME_HEADS;
        c.nm = 1;
    }
    return c;
}

static void table_header(const StudyResults *s, const Columns *c, Grid *gr)
{
    size_t nk = experiment_sweep_count(s->exp);
    for (size_t j = 0; j < c->nkey; j++)
        gr->cell[j] = strdup(nk ? display_key(experiment_sweep_key(s->exp, j)) : "runs");
    for (size_t j = 0; j < c->nm; j++) {
        gr->cell[c->nkey + j] = strdup(c->head[j]);
        gr->right[c->nkey + j] = 1;
    }
    if (c->time) {
        gr->cell[c->nkey + c->nm] = strdup("CPU time per epoch (s)");
        gr->right[c->nkey + c->nm] = 1;
    }
    if (!c->has_ref)
        return;
    static const char *const HEADS[] = {"original loss", "original test (%)", "difference"};
    size_t k = c->nkey + c->nm + (size_t)c->time;
    for (int j = c->softmax ? 0 : 1; j < 3; j++, k++) {
        gr->cell[k] = strdup(HEADS[j]);
        gr->right[k] = 1;
    }
}

/* Our cells of group g into row: its settings, then mean ± std per metric
 * (and a timed study's CPU time per epoch). */
static void table_our_cells(const StudyResults *s, size_t g, const Columns *c, char **row)
{
    char text[256], shown[RESULTS_TEXT_MAX];
    size_t nk = experiment_sweep_count(s->exp), dv = study_group_diverged(s, g);
    for (size_t j = 0; j < c->nkey; j++) {
        if (nk)
            snprintf(text, sizeof text, "%s%s",
                     display_value(experiment_sweep_key(s->exp, j),
                                   experiment_run_sweep(s->exp, g * s->n_seeds, j), shown,
                                   sizeof shown),
                     dv && j == c->nkey - 1 ? DDAGGER : "");
        else
            snprintf(text, sizeof text, "%zu seeds%s", s->n_seeds, dv ? DDAGGER : "");
        row[j] = strdup(text);
    }
    for (size_t j = 0; j < c->nm; j++) {
        double mean, std;
        size_t n;
        char a[64], b[64];
        study_group_stats(s, g, c->metric[j], &mean, &std, &n);
        /* per column one format: fmt_metric's decimals, the sd alike */
        fmt_pm(a, sizeof a, c->metric[j], mean, std, n);
        b[0] = '\0';
        if (n && n < s->n_seeds) /* a diverged run left the mean */
            snprintf(b, sizeof b, " (%zu of %zu runs)", n, s->n_seeds);
        if (n)
            snprintf(text, sizeof text, "%s%s", a, b);
        else
            snprintf(text, sizeof text, EN_DASH); /* no run finished an epoch */
        row[c->nkey + j] = strdup(text);
    }
    if (c->time) {
        double sd, mean = study_group_mean(s, g, run_epoch_cpu, METRIC_TEST_ACC, &sd);
        if (isnan(mean))
            snprintf(text, sizeof text, EN_DASH);
        else
            snprintf(text, sizeof text, "%.3f" PM "%.3f", mean, sd);
        row[c->nkey + c->nm] = strdup(text);
    }
}

/* The original's cells of group g into row; returns whether the original
 * lies within our spread. */
static int table_ref_cells(const StudyResults *s, size_t g, const Reference *ref,
                           const StudiesConf *conf, const Columns *c, char **row)
{
    RefCmp rc = group_ref(s, g, ref, conf);
    char text[64];
    size_t k = c->nkey + c->nm + (size_t)c->time;
    if (c->softmax) {
        if (rc.row && !isnan(rc.row->train_loss))
            snprintf(text, sizeof text, "%.4f", rc.row->train_loss);
        else
            snprintf(text, sizeof text, EN_DASH);
        row[k++] = strdup(text);
    }
    if (rc.row && !isnan(rc.row->test_acc))
        snprintf(text, sizeof text, "%.2f", rc.row->test_acc);
    else
        snprintf(text, sizeof text, EN_DASH);
    row[k++] = strdup(text);
    if (!isnan(rc.diff)) {
        char d[32];
        fmt_diff(d, sizeof d, rc.diff);
        snprintf(text, sizeof text, "%s%s", d, rc.within ? DAGGER : "");
    } else {
        snprintf(text, sizeof text, EN_DASH);
    }
    row[k++] = strdup(text);
    return !isnan(rc.diff) && rc.within;
}

/* Caption first; pandoc takes "Table: ..." before the table as its caption. */
static void table_caption(const StudyResults *s, int has_ref, int any_within, int any_diverged,
                          Buf *md)
{
    int sm = experiment_model(s->exp) == MODEL_SOFTMAX;
    /* what every table shares (mean ± sd over the seeds, which training
     * figure) is said once, in the text: the caption gives what is its own */
    (void)sm;
    buf_printf(md, "Table: %s (%zu seed%s).", experiment_title(s->exp), s->n_seeds,
               s->n_seeds == 1 ? "" : "s");
    if (has_ref)
        buf_printf(md, " Difference: our test accuracy minus the original's, in points%s.",
                   any_within ? ";" DAGGER " the original lies in our 95 % prediction interval"
                              : "");
    if (any_diverged)
        buf_printf(md, DDAGGER " some runs diverged; their last completed epoch counts.");
    buf_printf(md, "\n\n");
}

/* Whether every cell was made (a strdup that failed leaves NULL). */
static int grid_filled(const Grid *gr)
{
    for (size_t i = 0; i < gr->rows * gr->cols; i++)
        if (!gr->cell[i])
            return 0;
    return 1;
}

static void grid_release(Grid *gr)
{
    if (gr->cell)
        for (size_t i = 0; i < gr->rows * gr->cols; i++)
            free(gr->cell[i]);
    free(gr->cell);
    free(gr->right);
}

/* The pipe table. The dashes set the relative widths when pandoc wraps:
 * each column's widest body cell, in characters (not bytes: "±" is two), or
 * its header's longest word, since pandoc wraps headers between words. */
static void grid_markdown(const Grid *gr, Buf *md)
{
    size_t *w = calloc(gr->cols, sizeof *w);
    if (!w) {
        md->failed = 1;
        return;
    }
    for (size_t r = 0; r < gr->rows; r++)
        for (size_t c = 0; c < gr->cols; c++) {
            size_t n = 0, word = 0;
            for (const unsigned char *p = (const unsigned char *)gr->cell[r * gr->cols + c]; *p;
                 p++) {
                if ((*p & 0xc0) == 0x80)
                    continue;
                word = (r == 0 && *p == ' ') ? 0 : word + 1;
                n = r == 0 ? (word > n ? word : n) : n + 1;
            }
            w[c] = n > w[c] ? n : w[c];
        }
    for (size_t r = 0; r < gr->rows; r++) {
        for (size_t c = 0; c < gr->cols; c++)
            buf_printf(md, "| %s ", gr->cell[r * gr->cols + c]);
        buf_printf(md, "|\n");
        if (r != 0)
            continue;
        for (size_t c = 0; c < gr->cols; c++) {
            buf_printf(md, "|%s", gr->right[c] ? "" : ":");
            for (size_t k = 0; k < w[c] + 1; k++)
                buf_printf(md, "-");
            buf_printf(md, "%s", gr->right[c] ? ":" : "");
        }
        buf_printf(md, "|\n");
    }
    free(w);
}

void table_markdown(const StudyResults *s, const Reference *ref, const StudiesConf *conf, Buf *md)
{
    Columns c = table_columns(s, ref, conf);
    Grid gr = {s->n_groups + 1, c.nkey + c.nm + (size_t)c.time + c.nref, NULL, NULL};
    gr.cell = calloc(gr.rows * gr.cols, sizeof *gr.cell);
    gr.right = calloc(gr.cols, sizeof *gr.right);
    if (!gr.cell || !gr.right) {
        md->failed = 1;
        goto out;
    }
    table_header(s, &c, &gr);
    int any_within = 0, any_diverged = 0;
    for (size_t g = 0; g < s->n_groups; g++) {
        char **row = &gr.cell[(g + 1) * gr.cols];
        any_diverged |= study_group_diverged(s, g) > 0;
        table_our_cells(s, g, &c, row);
        if (c.has_ref)
            any_within |= table_ref_cells(s, g, ref, conf, &c, row);
    }
    if (!grid_filled(&gr)) {
        md->failed = 1;
        goto out;
    }
    table_caption(s, c.has_ref, any_within, any_diverged, md);
    grid_markdown(&gr, md);
out:
    grid_release(&gr);
}

/* ---- a softmax study beside its as-reported twin -------------------------------- */

void table_twin_markdown(const StudyResults *c, const StudyResults *r, const Reference *ref,
                         const StudiesConf *conf, Buf *md)
{
    size_t nk = experiment_sweep_count(c->exp), nkey = nk ? nk : 1;
    static const char *const HEADS[] = {"correct: training (%)", "correct: test (%)",
                                        "as reported: test (%)", "as reported: loss",
                                        "original: loss", "original: test (%)"};
    static const Metric MC[] = {METRIC_FULL_TRAIN_ACC, METRIC_TEST_ACC};
    static const Metric MR[] = {METRIC_TEST_ACC, METRIC_LAST_BATCH_LOSS};
    int has_ref = 0;
    for (size_t g = 0; g < c->n_groups; g++)
        has_ref |= group_ref(c, g, ref, conf).row != NULL;
    size_t cols = nkey + (has_ref ? 6 : 4);
    Grid gr = {c->n_groups + 1, cols, NULL, NULL};
    gr.cell = calloc(gr.rows * gr.cols, sizeof *gr.cell);
    gr.right = calloc(gr.cols, sizeof *gr.right);
    if (!gr.cell || !gr.right) {
        md->failed = 1;
        goto out;
    }
    for (size_t j = 0; j < nkey; j++)
        gr.cell[j] = strdup(nk ? display_key(experiment_sweep_key(c->exp, j)) : "runs");
    for (size_t j = nkey; j < cols; j++) {
        gr.cell[j] = strdup(HEADS[j - nkey]);
        gr.right[j] = 1;
    }
    int any_within = 0;
    for (size_t g = 0; g < c->n_groups; g++) {
        char **row = &gr.cell[(g + 1) * gr.cols];
        char name[RUN_NAME_MAX], other[RUN_NAME_MAX], text[160], shown[RESULTS_TEXT_MAX];
        study_group_name(c, g, name);
        size_t h = r->n_groups;
        for (size_t k = 0; k < r->n_groups && h == r->n_groups; k++) {
            study_group_name(r, k, other);
            if (strcmp(name, other) == 0)
                h = k;
        }
        for (size_t j = 0; j < nkey; j++) {
            if (nk)
                snprintf(text, sizeof text, "%s",
                         display_value(experiment_sweep_key(c->exp, j),
                                       experiment_run_sweep(c->exp, g * c->n_seeds, j), shown,
                                       sizeof shown));
            else
                snprintf(text, sizeof text, "%zu seeds", c->n_seeds);
            row[j] = strdup(text);
        }
        for (size_t j = 0; j < 4; j++) {
            const StudyResults *s = j < 2 ? c : r;
            size_t gg = j < 2 ? g : h;
            double mean = NAN, sd = NAN;
            size_t n = 0;
            if (gg < s->n_groups)
                study_group_stats(s, gg, j < 2 ? MC[j] : MR[j - 2], &mean, &sd, &n);
            char a[64];
            fmt_pm(a, sizeof a, j < 2 ? MC[j] : MR[j - 2], mean, sd, n);
            int mark = 0;
            if (j == 2 && has_ref && gg < s->n_groups) {
                RefCmp rc = group_ref(s, gg, ref, conf);
                mark = rc.row && rc.within;
                any_within |= mark;
            }
            snprintf(text, sizeof text, "%s%s", n ? a : EN_DASH, mark ? DAGGER : "");
            row[nkey + j] = strdup(text);
        }
        if (has_ref) {
            RefCmp rc = group_ref(c, g, ref, conf);
            if (rc.row && !isnan(rc.row->train_loss))
                snprintf(text, sizeof text, "%.4f", rc.row->train_loss);
            else
                snprintf(text, sizeof text, EN_DASH);
            row[nkey + 4] = strdup(text);
            if (rc.row && !isnan(rc.row->test_acc))
                snprintf(text, sizeof text, "%.2f", rc.row->test_acc);
            else
                snprintf(text, sizeof text, EN_DASH);
            row[nkey + 5] = strdup(text);
        }
    }
    if (!grid_filled(&gr)) {
        md->failed = 1;
        goto out;
    }
    buf_printf(md, "Table: %s, with the correct gradient and as reported%s (%zu seeds)%s.\n\n",
               experiment_title(c->exp), has_ref ? ", beside the original" : "", c->n_seeds,
               any_within ? ";" DAGGER " the original lies in our 95 % prediction interval" : "");
    grid_markdown(&gr, md);
out:
    grid_release(&gr);
}
