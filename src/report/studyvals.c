/* studyvals.c - the values of one study, its groups and its sweep
 * (studyvals.h; the keys are listed in tabulate.h). */
#include "report/studyvals.h"

#include "cfgfile.h"
#include "display.h"
#include "report/buf.h"
#include "report/facts.h"
#include "report/fidelity.h"
#include "report/prose.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- per group: shared facts --------------------------------------------- */

/* The metric logged per epoch for "how fast": validation (mlp) or test. */
static Metric progress_metric(const StudyResults *s)
{
    return experiment_model(s->exp) == MODEL_SOFTMAX ? METRIC_TEST_ACC : METRIC_VAL_ACC;
}

double run_first_epoch(const RunResult *r, Metric m)
{
    return r->n_epochs ? r->epochs[0].m[m] : NAN;
}

/* The first epoch within 1 point of the last epoch's value of m. */
static double epochs_to_final(const RunResult *r, Metric m)
{
    if (!r->n_epochs)
        return NAN;
    double last = r->epochs[r->n_epochs - 1].m[m];
    for (size_t k = 0; k < r->n_epochs; k++)
        if (r->epochs[k].m[m] >= last - 0.01)
            return (double)(k + 1);
    return NAN;
}

void group_prefix(const StudyResults *s, size_t g, char *p, size_t size)
{
    char name[RUN_NAME_MAX];
    study_group_name(s, g, name);
    if (*name)
        snprintf(p, size, "%s:%s", experiment_study(s->exp), name);
    else
        snprintf(p, size, "%s", experiment_study(s->exp));
}

RefCmp group_ref(const StudyResults *s, size_t g, const Reference *ref, const StudiesConf *conf)
{
    RefCmp c = {NULL, NAN, 0};
    char buf[STUDY_NAME_MAX + 16];
    const char *table = studies_table(conf, ref, experiment_study(s->exp), buf, sizeof buf);
    c.row = reference_match(ref, table, &study_run(s, g, 0)->config);
    if (!c.row || isnan(c.row->test_acc))
        return c;
    double mean, sd, lo, hi;
    size_t n;
    int open;
    fidelity_interval(s, g, METRIC_TEST_ACC, &mean, &sd, &n, &lo, &hi, &open);
    if (!n)
        return c;
    c.diff = mean - c.row->test_acc;
    /* the one agreement rule, on the figure as the original printed it */
    const char *const *cells = reference_cells(ref, (size_t)(c.row - ref->rows));
    for (int k = 0; k < ref->ncols; k++)
        if (strcmp(ref->names[k], "test_acc") == 0)
            c.within = fidelity_agrees(lo, hi, cells[k]);
    return c;
}

void ref_tally(const StudyResults *s, const Reference *ref, const StudiesConf *conf,
               RefTally *t)
{
    for (size_t g = 0; g < s->n_groups; g++) {
        RefCmp c = group_ref(s, g, ref, conf);
        if (!c.row || isnan(c.diff))
            continue;
        t->rows++;
        t->within += (size_t)c.within;
        t->lo = fmin(t->lo, c.diff);
        t->hi = fmax(t->hi, c.diff);
        t->sum_abs += fabs(c.diff);
    }
}

/* ---- per group: values ----------------------------------------------------- */

/* P:label and the final values over the seeds, P:<metric>[_std|_pm|_min|_max]. */
static void group_metric_values(const StudyResults *s, size_t g, const char *p, Values *v)
{
    char label[RUN_NAME_MAX], a[64], b[64];
    study_group_label(s, g, label);
    values_set(v, key_of("%s:label", p).s, "%s", label);
    ModelKind model = experiment_model(s->exp);
    for (int m = 0; m < METRIC_COUNT; m++) {
        if (metric_absent(model, (Metric)m))
            continue;
        double mean, std;
        size_t n;
        study_group_stats(s, g, (Metric)m, &mean, &std, &n);
        if (!n)
            continue;
        const char *name = metric_name((Metric)m);
        fmt_metric(a, sizeof a, (Metric)m, mean);
        fmt_metric(b, sizeof b, (Metric)m, std);
        values_set(v, key_of("%s:%s", p, name).s, "%s", a);
        values_set(v, key_of("%s:%s_std", p, name).s, "%s", b);
        char pm[96];
        fmt_pm(pm, sizeof pm, (Metric)m, mean, std, n);
        values_set(v, key_of("%s:%s_pm", p, name).s, "%s", pm);
        if (!metric_is_acc((Metric)m))
            continue;
        double lo = INFINITY, hi = -INFINITY;
        for (size_t i = 0; i < s->n_seeds; i++) {
            double x = study_run(s, g, i)->final[m];
            if (!isnan(x)) {
                lo = fmin(lo, x);
                hi = fmax(hi, x);
            }
        }
        fmt_pct(a, sizeof a, lo);
        fmt_pct(b, sizeof b, hi);
        values_set(v, key_of("%s:%s_min", p, name).s, "%s", a);
        values_set(v, key_of("%s:%s_max", p, name).s, "%s", b);
    }
}

/* How the group learned: P:first_epoch_*, P:epochs_to_final and P:peak_*. */
static void group_epoch_values(const StudyResults *s, size_t g, const char *p, Values *v)
{
    char a[64];
    Metric pm = progress_metric(s);
    double x = study_group_mean(s, g, run_first_epoch, pm, NULL);
    if (!isnan(x)) {
        fmt_pct(a, sizeof a, x);
        values_set(v, key_of("%s:first_epoch_acc", p).s, "%s", a);
    }
    x = study_group_mean(s, g, run_first_epoch, METRIC_TRAIN_LOSS, NULL);
    if (!isnan(x)) {
        fmt_metric(a, sizeof a, METRIC_TRAIN_LOSS, x);
        values_set(v, key_of("%s:first_epoch_loss", p).s, "%s", a);
    }
    /* epochs are whole numbers: the range over the seeds, "3" or "2 to 4" */
    double elo = INFINITY, ehi = -INFINITY, plo = INFINITY, phi = -INFINITY;
    double peak = 0, drop = 0;
    size_t np = 0;
    for (size_t i = 0; i < s->n_seeds; i++) {
        const RunResult *r = study_run(s, g, i);
        double e = epochs_to_final(r, pm);
        if (!isnan(e)) {
            elo = fmin(elo, e);
            ehi = fmax(ehi, e);
        }
        size_t best = 0;
        for (size_t k = 1; k < r->n_epochs; k++)
            if (r->epochs[k].m[pm] > r->epochs[best].m[pm])
                best = k;
        if (r->n_epochs && !isnan(r->epochs[best].m[pm])) {
            peak += r->epochs[best].m[pm];
            drop += r->epochs[best].m[pm] - r->epochs[r->n_epochs - 1].m[pm];
            plo = fmin(plo, (double)(best + 1));
            phi = fmax(phi, (double)(best + 1));
            np++;
        }
    }
    if (!isinf(elo))
        values_set(v, key_of("%s:epochs_to_final", p).s, elo == ehi ? "%.0f" : "%.0f to %.0f",
                   elo, ehi);
    /* the best epoch's accuracy (validation for mlp, test for softmax) and how
     * much of it the last epoch has lost: a network that learns, then unlearns */
    if (np) {
        fmt_pct(a, sizeof a, peak / (double)np);
        values_set(v, key_of("%s:peak_acc", p).s, "%s", a);
        values_set(v, key_of("%s:peak_epoch", p).s, plo == phi ? "%.0f" : "%.0f to %.0f", plo,
                   phi);
        fmt_pct(a, sizeof a, drop / (double)np);
        values_set(v, key_of("%s:peak_drop", p).s, "%s", a);
    }
}

/* The original's figures for the group, P:orig_* and P:test_diff. */
static void group_orig_values(const StudyResults *s, size_t g, const char *p,
                              const Reference *ref, const StudiesConf *conf, Values *v)
{
    RefCmp c = group_ref(s, g, ref, conf);
    if (!c.row)
        return;
    const RefRow *r = c.row;
    if (!isnan(r->test_acc))
        values_set(v, key_of("%s:orig_test_acc", p).s, "%.2f", r->test_acc);
    if (!isnan(r->train_acc)) {
        values_set(v, key_of("%s:orig_train_acc", p).s, "%.2f", r->train_acc);
        /* a whole number of images of one minibatch gives the printed figure */
        int batch = study_run(s, g, 0)->config.batch_size;
        double images = floor(r->train_acc * batch / 100.0 + 0.5);
        if (fabs(100.0 * images / batch - r->train_acc) < 0.005 + 1e-9)
            values_set(v, key_of("%s:orig_train_acc_images", p).s, "%.0f of %d", images, batch);
    }
    if (!isnan(r->val_acc))
        values_set(v, key_of("%s:orig_val_acc", p).s, "%.2f", r->val_acc);
    if (!isnan(r->train_loss))
        values_set(v, key_of("%s:orig_train_loss", p).s, "%.4f", r->train_loss);
    if (isnan(c.diff))
        return;
    char a[64];
    fmt_diff(a, sizeof a, c.diff);
    values_set(v, key_of("%s:test_diff", p).s, "%s", a);
    values_set(v, key_of("%s:orig_within", p).s, "%s", c.within ? "within" : "outside");
}

static void group_values(const StudyResults *s, size_t g, const Reference *ref,
                         const StudiesConf *conf, Values *v, Values *t)
{
    char p[PREFIX_MAX], a[64];
    group_prefix(s, g, p, sizeof p);
    group_metric_values(s, g, p, v);
    values_set(v, key_of("%s:diverged", p).s, "%zu", study_group_diverged(s, g));
    fmt_count(a, sizeof a, study_run(s, g, 0)->iterations);
    values_set(v, key_of("%s:iterations", p).s, "%s", a);
    group_epoch_values(s, g, p, v);
    fmt_duration(a, sizeof a, study_group_mean(s, g, run_wall, METRIC_TEST_ACC, NULL));
    values_set(t, key_of("time:%s:wall", p).s, "%s", a);
    group_orig_values(s, g, p, ref, conf, v);
}

/* ---- per study --------------------------------------------------------------- */

/* <study>:cfg:<key> for the settings every run of the study shares. */
static void config_values(const StudyResults *s, Values *v)
{
    const char *study = experiment_study(s->exp);
    const RunConfig *c0 = &s->runs[0].config;
    int same[CFG_FIELD_COUNT]; /* whether every run has c0's value of the field */
    for (int f = 0; f < CFG_FIELD_COUNT; f++) {
        same[f] = 1;
        for (size_t i = 1; i < s->n_runs && same[f]; i++)
            same[f] = runconfig_field_equal((ConfigField)f, &s->runs[i].config, c0);
    }
#define CFG(name) key_of("%s:cfg:%s", study, name).s
    if (same[CFG_LEARNING_RATE])
        values_set(v, CFG("learning_rate"), "%g", c0->learning_rate);
    if (same[CFG_BATCH_SIZE])
        values_set(v, CFG("batch_size"), "%d", c0->batch_size);
    if (same[CFG_MAX_EPOCH])
        values_set(v, CFG("max_epoch"), "%d", c0->max_epoch);
    if (c0->model == MODEL_SOFTMAX) {
        if (same[CFG_LAMBDA])
            values_set(v, CFG("lambda"), "%g", c0->lambda);
        if (same[CFG_AS_REPORTED])
            values_set(v, CFG("as_reported"), "%s", c0->as_reported ? "yes" : "no");
    } else {
        if (same[CFG_WEIGHT_DECAY])
            values_set(v, CFG("weight_decay"), "%g", c0->weight_decay);
        if (same[CFG_HIDDEN]) {
            char h[64];
            runconfig_hidden_text(c0, 'x', h, sizeof h);
            values_set(v, CFG("hidden"), "%s", h);
        }
        if (same[CFG_ACTIVATION])
            values_set(v, CFG("activation"), "%s", activation_name(c0->activation));
        if (same[CFG_LOSS])
            values_set(v, CFG("loss"), "%s", loss_name(c0->loss));
    }
#undef CFG
}

/* The groups of a study ranked on one metric, best first. */
typedef struct {
    size_t *order; /* group indices, best first (ties keep file order) */
    double *mean, *std; /* per group, by index */
} Ranking;

static void ranking_free(Ranking *r)
{
    free(r->order);
    free(r->mean);
    free(r->std);
}

/* Ranks s's groups by mean m; -1 when out of memory. */
static int rank_groups(const StudyResults *s, Metric m, Ranking *r)
{
    r->order = malloc(s->n_groups * sizeof *r->order);
    r->mean = malloc(s->n_groups * sizeof *r->mean);
    r->std = malloc(s->n_groups * sizeof *r->std);
    if (!r->order || !r->mean || !r->std)
        return -1;
    size_t *order = r->order;
    for (size_t g = 0; g < s->n_groups; g++) {
        size_t n;
        study_group_stats(s, g, m, &r->mean[g], &r->std[g], &n);
        order[g] = g;
    }
    for (size_t i = 1; i < s->n_groups; i++)
        for (size_t j = i; j > 0; j--) {
            double x = r->mean[order[j - 1]], y = r->mean[order[j]];
            int swap = (isnan(x) && !isnan(y)) || (!isnan(x) && !isnan(y) && y > x);
            if (!swap)
                break;
            size_t t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    return 0;
}

/* The best and worst settings on test accuracy, as the sentences name them. */
typedef struct {
    size_t best, worst;
    char best_label[RUN_NAME_MAX], worst_label[RUN_NAME_MAX];
    char best_pct[64], worst_pct[64];
} Extremes;

/* <study>:worst, :worst_test_acc, :range_sentence. */
static Extremes sweep_range(const StudyResults *s, const Ranking *test, Values *v)
{
    const char *study = experiment_study(s->exp);
    Extremes x;
    size_t ng = s->n_groups;
    x.best = test->order[0];
    x.worst = test->order[ng - 1];
    while (x.worst != x.best && isnan(test->mean[x.worst]))
        x.worst = test->order[--ng - 1];
    study_group_label(s, x.best, x.best_label);
    study_group_label(s, x.worst, x.worst_label);
    fmt_pct(x.best_pct, sizeof x.best_pct, test->mean[x.best]);
    fmt_pct(x.worst_pct, sizeof x.worst_pct, test->mean[x.worst]);
    values_set(v, key_of("%s:worst", study).s, "%s", x.worst_label);
    values_set(v, key_of("%s:worst_test_acc", study).s, "%s", x.worst_pct);
    return x;
}

/* <study>:best, :best_test_acc, :best:<key>: the best setting under the
 * selection rule (facts.h: validation accuracy where the runs record it, else
 * test accuracy), its test accuracy and each swept key's value of it. */
static void sweep_best(const StudyResults *s, const Ranking *test, Values *v)
{
    const char *study = experiment_study(s->exp);
    Ranking r = {NULL, NULL, NULL};
    if (rank_groups(s, selection_metric(s), &r) != 0) {
        values_fail(v, "tabulate: out of memory in '%s'", study);
        ranking_free(&r);
        return;
    }
    size_t gs = r.order[0];
    char sbest[RUN_NAME_MAX], ta[64];
    study_group_label(s, gs, sbest);
    fmt_pct(ta, sizeof ta, test->mean[gs]);
    values_set(v, key_of("%s:best", study).s, "%s", sbest);
    values_set(v, key_of("%s:best_test_acc", study).s, "%s", ta);
    for (int m = 0; m < METRIC_COUNT; m++) {
        double mean, sd;
        size_t n;
        char pm[96];
        study_group_stats(s, gs, (Metric)m, &mean, &sd, &n);
        if (!n || metric_absent(experiment_model(s->exp), (Metric)m))
            continue;
        fmt_pm(pm, sizeof pm, (Metric)m, mean, sd, n);
        values_set(v, key_of("%s:best:%s_pm", study, metric_name((Metric)m)).s, "%s", pm);
    }
    for (size_t j = 0; j < experiment_sweep_count(s->exp); j++) {
        char shown[RESULTS_TEXT_MAX];
        const char *key = experiment_sweep_key(s->exp, j);
        values_set(v, key_of("%s:best:%s", study, key).s, "%s",
                   display_value(key, experiment_run_sweep(s->exp, gs * s->n_seeds, j), shown,
                                 sizeof shown));
    }
    ranking_free(&r);
}

static void sweep_values(const StudyResults *s, Values *v)
{
    Ranking test = {NULL, NULL, NULL};
    if (rank_groups(s, METRIC_TEST_ACC, &test) != 0) {
        values_fail(v, "tabulate: out of memory in '%s'", experiment_study(s->exp));
    } else {
        sweep_range(s, &test, v);
        sweep_best(s, &test, v);
    }
    ranking_free(&test);
}

/* <study>:title, :runs, :seeds, :groups, image counts, :cfg:*, :sweep:*. */
static void study_facts(const StudyResults *s, Values *v)
{
    const char *study = experiment_study(s->exp);
    char a[64];
    values_set(v, key_of("%s:title", study).s, "%s", experiment_title(s->exp));
    values_set(v, key_of("%s:runs", study).s, "%zu", s->n_runs);
    values_set(v, key_of("%s:seeds", study).s, "%zu", s->n_seeds);
    values_set(v, key_of("%s:groups", study).s, "%zu", s->n_groups);
    static const char *const IMAGES[3] = {"train_images", "val_images", "test_images"};
    for (int k = 0; k < 3; k++)
        if (s->runs[0].images[k] >= 0) {
            fmt_count(a, sizeof a, s->runs[0].images[k]);
            values_set(v, key_of("%s:%s", study, IMAGES[k]).s, "%s", a);
        }
    if (s->runs[0].epochs_completed > 0) {
        fmt_count(a, sizeof a, s->runs[0].iterations / s->runs[0].epochs_completed);
        values_set(v, key_of("%s:iterations_per_epoch", study).s, "%s", a);
    }
    config_values(s, v);
    for (size_t j = 0; j < experiment_sweep_count(s->exp); j++) {
        Buf list = {0};
        size_t nv = experiment_sweep_value_count(s->exp, j);
        for (size_t k = 0; k < nv; k++)
            buf_printf(&list, "%s%s", list_sep(k, nv), experiment_sweep_value(s->exp, j, k));
        values_set(v, key_of("%s:sweep:%s", study, experiment_sweep_key(s->exp, j)).s, "%s",
                   list.failed ? "" : list.p);
        free(list.p);
    }
}

/* <study>:orig_within_count: how many of the original's test accuracies
 * agree with our runs ("3 of 5"). */
static void study_orig(const StudyResults *s, const Reference *ref, const StudiesConf *conf,
                       Values *v)
{
    RefTally tally = REF_TALLY_INIT;
    ref_tally(s, ref, conf, &tally);
    if (tally.rows)
        values_set(v, key_of("%s:orig_within_count", experiment_study(s->exp)).s, "%zu of %zu",
                   tally.within, tally.rows);
}

/* <study>:orig_loss_ratio: our last-batch loss over the original's (softmax). */
static void study_loss_ratio(const StudyResults *s, const Reference *ref,
                             const StudiesConf *conf, Values *v)
{
    double rlo = INFINITY, rhi = -INFINITY;
    for (size_t g = 0; g < s->n_groups && experiment_model(s->exp) == MODEL_SOFTMAX; g++) {
        RefCmp c = group_ref(s, g, ref, conf);
        double mean, std;
        size_t n;
        study_group_stats(s, g, METRIC_LAST_BATCH_LOSS, &mean, &std, &n);
        if (!c.row || isnan(c.row->train_loss) || !n || c.row->train_loss <= 0)
            continue;
        rlo = fmin(rlo, mean / c.row->train_loss);
        rhi = fmax(rhi, mean / c.row->train_loss);
    }
    if (isinf(rlo))
        return;
    ValueKey key = key_of("%s:orig_loss_ratio", experiment_study(s->exp));
    if (rhi - rlo < 0.05)
        values_set(v, key.s, "%.1f", rlo);
    else
        values_set(v, key.s, "%.1f to %.1f", rlo, rhi);
}

void study_values(const StudyResults *s, const Reference *ref, const StudiesConf *conf,
                  Values *v, Values *t)
{
    study_facts(s, v);
    for (size_t g = 0; g < s->n_groups; g++)
        group_values(s, g, ref, conf, v, t);
    if (s->n_groups > 1)
        sweep_values(s, v);
    study_orig(s, ref, conf, v);
    study_loss_ratio(s, ref, conf, v);

    double total = 0;
    int timed = 1;
    for (size_t i = 0; i < s->n_runs; i++) {
        timed &= !isnan(s->runs[i].wall_seconds);
        total += s->runs[i].wall_seconds;
    }
    char a[64];
    fmt_duration(a, sizeof a, timed ? total : NAN);
    values_set(t, key_of("time:%s:total", experiment_study(s->exp)).s, "%s", a);
}
