/* facts.c - the typed facts of the results (facts.h). */
#include "report/facts.h"

#include "report/studyvals.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int fact_set(Values *f, const char *key, double x)
{
    if (isnan(x))
        return 0;
    return values_set(f, key, "%.17g", x);
}

double fact_get(const Values *f, const char *key)
{
    const char *t = values_get(f, key);
    if (!t)
        return NAN;
    char *end;
    double x = strtod(t, &end);
    return end == t || *end ? NAN : x;
}

Metric selection_metric(const StudyResults *s)
{
    for (size_t r = 0; r < s->n_runs; r++)
        if (!isnan(s->runs[r].final[METRIC_VAL_ACC]))
            return METRIC_VAL_ACC;
    return METRIC_TEST_ACC;
}

/* Accuracies in percent. */
static double scale(Metric m)
{
    return metric_is_acc(m) ? 100.0 : 1.0;
}

/* ---- per group ------------------------------------------------------------ */

static void group_facts(const StudyResults *s, size_t g, Values *f, Values *t)
{
    char p[PREFIX_MAX];
    group_prefix(s, g, p, sizeof p);
    for (int m = 0; m < METRIC_COUNT; m++) {
        double mean, sd;
        size_t n;
        study_group_stats(s, g, (Metric)m, &mean, &sd, &n);
        if (!n)
            continue;
        const char *name = metric_name((Metric)m);
        double k = scale((Metric)m), lo = INFINITY, hi = -INFINITY;
        for (size_t i = 0; i < s->n_seeds; i++) {
            double x = study_run(s, g, i)->final[m];
            if (!isnan(x)) {
                lo = fmin(lo, x);
                hi = fmax(hi, x);
            }
        }
        fact_set(f, key_of("%s:%s:mean", p, name).s, k * mean);
        fact_set(f, key_of("%s:%s:sd", p, name).s, k * sd);
        fact_set(f, key_of("%s:%s:n", p, name).s, (double)n);
        fact_set(f, key_of("%s:%s:se", p, name).s, k * sd / sqrt((double)n));
        fact_set(f, key_of("%s:%s:min", p, name).s, k * lo);
        fact_set(f, key_of("%s:%s:max", p, name).s, k * hi);
        double first = study_group_mean(s, g, run_first_epoch, (Metric)m, NULL);
        if (m < RESULTS_EPOCH_METRICS)
            fact_set(f, key_of("%s:first:%s", p, name).s, k * first);
    }
    double va, vs, ta, ts;
    size_t vn, tn;
    study_group_stats(s, g, METRIC_VAL_ACC, &va, &vs, &vn);
    study_group_stats(s, g, METRIC_TEST_ACC, &ta, &ts, &tn);
    if (vn && tn)
        fact_set(f, key_of("%s:val_minus_test", p).s, 100.0 * (va - ta));
    fact_set(f, key_of("%s:diverged", p).s, (double)study_group_diverged(s, g));
    fact_set(f, key_of("%s:epochs", p).s, (double)study_run(s, g, 0)->n_epochs);

    /* the best epoch of the selection metric, and whether it still rose */
    Metric sm = selection_metric(s);
    double peak = 0, epoch = 0, drop = 0, pnorm[RESULTS_WEIGHT_NORMS] = {0};
    size_t np = 0, nnorm[RESULTS_WEIGHT_NORMS] = {0};
    int rising = 1;
    for (size_t i = 0; i < s->n_seeds; i++) {
        const RunResult *r = study_run(s, g, i);
        if (!r->n_epochs || isnan(r->epochs[0].m[sm]))
            continue;
        size_t best = 0;
        for (size_t k = 1; k < r->n_epochs; k++)
            if (r->epochs[k].m[sm] > r->epochs[best].m[sm])
                best = k;
        double last = r->epochs[r->n_epochs - 1].m[sm];
        peak += r->epochs[best].m[sm];
        epoch += (double)(best + 1);
        drop += r->epochs[best].m[sm] - last;
        rising &= r->n_epochs >= 2 && last > r->epochs[r->n_epochs - 2].m[sm];
        np++;
        for (int k = 0; k < RESULTS_WEIGHT_NORMS; k++) {
            double w = r->epochs[best].m[METRIC_WEIGHT_NORM_1 + k];
            if (!isnan(w)) {
                pnorm[k] += w;
                nnorm[k]++;
            }
        }
    }
    for (int k = 0; k < RESULTS_WEIGHT_NORMS; k++)
        if (nnorm[k])
            fact_set(f, key_of("%s:peak_weight_norm_%d", p, k + 1).s, pnorm[k] / (double)nnorm[k]);
    if (np) {
        fact_set(f, key_of("%s:peak", p).s, 100.0 * peak / (double)np);
        fact_set(f, key_of("%s:peak_epoch", p).s, epoch / (double)np);
        fact_set(f, key_of("%s:peak_drop", p).s, 100.0 * drop / (double)np);
        fact_set(f, key_of("%s:rising", p).s, rising ? 1.0 : 0.0);
    }
    double cs;
    double cm = study_group_mean(s, g, run_epoch_cpu, METRIC_TEST_ACC, &cs);
    if (!isnan(cm)) {
        fact_set(t, key_of("time:%s:cpu:mean", p).s, cm);
        fact_set(t, key_of("time:%s:cpu:sd", p).s, cs);
    }
}

/* ---- per study: the best setting and the trends --------------------------- */

/* The numeric value of swept key j for group g, NAN when not a number. */
static double sweep_number(const StudyResults *s, size_t g, size_t j)
{
    const char *v = experiment_run_sweep(s->exp, g * s->n_seeds, j);
    char *end;
    double x = v ? strtod(v, &end) : NAN;
    return v && end != v && !*end ? x : NAN;
}

static void best_facts(const StudyResults *s, Values *f)
{
    const char *study = experiment_study(s->exp);
    Metric sm = selection_metric(s);
    size_t best = SIZE_MAX, second = SIZE_MAX;
    double bm = -INFINITY, sec = -INFINITY;
    for (size_t g = 0; g < s->n_groups; g++) {
        double mean, sd;
        size_t n;
        study_group_stats(s, g, sm, &mean, &sd, &n);
        if (!n || isnan(mean))
            continue;
        if (mean > bm) {
            second = best;
            sec = bm;
            best = g;
            bm = mean;
        } else if (mean > sec) {
            second = g;
            sec = mean;
        }
    }
    if (best == SIZE_MAX)
        return;
    int edge = 0;
    for (size_t j = 0; j < experiment_sweep_count(s->exp); j++) {
        double x = sweep_number(s, best, j);
        if (isnan(x))
            continue;
        fact_set(f, key_of("%s:best:%s", study, experiment_sweep_key(s->exp, j)).s, x);
        double lo = INFINITY, hi = -INFINITY;
        for (size_t g = 0; g < s->n_groups; g++) {
            lo = fmin(lo, sweep_number(s, g, j));
            hi = fmax(hi, sweep_number(s, g, j));
        }
        edge |= lo < hi && (x == lo || x == hi);
    }
    fact_set(f, key_of("%s:best:edge", study).s, edge);
    for (int m = 0; m < METRIC_COUNT; m++) {
        double mean, sd;
        size_t n;
        study_group_stats(s, best, (Metric)m, &mean, &sd, &n);
        if (!n)
            continue;
        fact_set(f, key_of("%s:best:%s:mean", study, metric_name((Metric)m)).s,
                 scale((Metric)m) * mean);
        fact_set(f, key_of("%s:best:%s:sd", study, metric_name((Metric)m)).s,
                 scale((Metric)m) * sd);
    }
    if (second == SIZE_MAX)
        return;
    double m1, s1, m2, s2;
    size_t n1, n2;
    study_group_stats(s, best, sm, &m1, &s1, &n1);
    study_group_stats(s, second, sm, &m2, &s2, &n2);
    fact_set(f, key_of("%s:best:margin", study).s, 100.0 * (m1 - m2));
    fact_set(f, key_of("%s:best:margin_se", study).s,
             100.0 * sqrt(s1 * s1 / (double)n1 + s2 * s2 / (double)n2));
}

static void trend_facts(const StudyResults *s, Values *f)
{
    if (experiment_sweep_count(s->exp) != 1 || s->n_groups < 3)
        return;
    for (int m = 0; m < METRIC_COUNT; m++) {
        int up = 1, down = 1, any = 0;
        double prev = NAN;
        for (size_t g = 0; g < s->n_groups; g++) {
            double mean, sd;
            size_t n;
            study_group_stats(s, g, (Metric)m, &mean, &sd, &n);
            if (!n || isnan(mean)) {
                any = 0;
                break;
            }
            if (g) {
                up &= mean > prev;
                down &= mean < prev;
            }
            prev = mean;
            any = 1;
        }
        if (any)
            fact_set(f, key_of("%s:trend:%s", experiment_study(s->exp), metric_name((Metric)m)).s,
                     up ? 1.0 : down ? -1.0 : 0.0);
    }
}

/* <study>:range:<metric>: the largest group mean minus the smallest. */
static void range_facts(const StudyResults *s, Values *f)
{
    for (int m = 0; m < METRIC_COUNT; m++) {
        double lo = INFINITY, hi = -INFINITY;
        for (size_t g = 0; g < s->n_groups; g++) {
            double mean, sd;
            size_t n;
            study_group_stats(s, g, (Metric)m, &mean, &sd, &n);
            if (n && !isnan(mean)) {
                lo = fmin(lo, mean);
                hi = fmax(hi, mean);
            }
        }
        if (!isinf(lo))
            fact_set(f, key_of("%s:range:%s", experiment_study(s->exp), metric_name((Metric)m)).s,
                     scale((Metric)m) * (hi - lo));
    }
}

/* orig:<family>:rows, :within, :mean_abs_diff, :max_abs_diff: the original's
 * test accuracies against our means, over each family of studies. */
static void family_facts(const StudyResults *studies, size_t n, const Reference *ref,
                         const StudiesConf *conf, Values *f)
{
    for (size_t fam = 0; fam < conf->n_family; fam++) {
        RefTally t = REF_TALLY_INIT;
        for (size_t i = 0; i < n; i++)
            if (studies_in_family(conf, fam, &studies[i].runs[0].config))
                ref_tally(&studies[i], ref, conf, &t);
        if (!t.rows)
            continue;
        const char *name = conf->family[fam].name;
        fact_set(f, key_of("orig:%s:rows", name).s, (double)t.rows);
        fact_set(f, key_of("orig:%s:within", name).s, (double)t.within);
        fact_set(f, key_of("orig:%s:mean_abs_diff", name).s, t.sum_abs / (double)t.rows);
        fact_set(f, key_of("orig:%s:max_abs_diff", name).s, fmax(fabs(t.lo), fabs(t.hi)));
    }
}

/* ---- pairings --------------------------------------------------------------- */

static int is_relu(const RunConfig *c) { return c->activation == ACT_RELU; }
static int is_sigmoid(const RunConfig *c) { return c->activation == ACT_SIGMOID; }
static int is_ce(const RunConfig *c) { return c->loss == LOSS_CROSS_ENTROPY; }
static int is_euclid(const RunConfig *c) { return c->loss == LOSS_EUCLIDEAN; }
static int is_two(const RunConfig *c) { return c->n_hidden == 2; }
static int is_one(const RunConfig *c) { return c->n_hidden == 1; }

static const struct {
    const char *name;
    int (*is_a)(const RunConfig *);
    int (*is_b)(const RunConfig *);
    ConfigField field;
} PAIRINGS[] = {
    {"relu-sigmoid", is_relu, is_sigmoid, CFG_ACTIVATION},
    {"ce-euclidean", is_ce, is_euclid, CFG_LOSS},
    {"two-one", is_two, is_one, CFG_HIDDEN},
};

/* Whether a and b differ in field and in nothing else but the seed (the
 * networks of the layers' pairing differ in their number of layers). */
static int differ_only_in(const RunConfig *a, const RunConfig *b, ConfigField field)
{
    int differ = field == CFG_HIDDEN ? a->n_hidden != b->n_hidden
                                     : !runconfig_field_equal(field, a, b);
    return differ && !runconfig_diff(a, b, CFG_BIT(field) | CFG_BIT(CFG_SEED));
}

/* Over the pairs (ga[i], gb[i]) of s: a - b of f(m) and its z. */
static void pair_metric(const StudyResults *s, const size_t *ga, const size_t *gb, size_t n,
                        double (*fn)(const RunResult *, Metric), Metric m, double k,
                        const char *pre, const char *name, Values *f)
{
    double lo = INFINITY, hi = -INFINITY, zlo = INFINITY, zhi = -INFINITY;
    size_t used = 0;
    for (size_t i = 0; i < n; i++) {
        double sa, sb;
        double ma = study_group_mean(s, ga[i], fn, m, &sa);
        double mb = study_group_mean(s, gb[i], fn, m, &sb);
        if (isnan(ma) || isnan(mb))
            continue;
        double d = k * (ma - mb);
        double se = k * sqrt(sa * sa / (double)s->n_seeds + sb * sb / (double)s->n_seeds);
        double z = se > 0 ? d / se : (d > 0 ? INFINITY : d < 0 ? -INFINITY : 0.0);
        lo = fmin(lo, d);
        hi = fmax(hi, d);
        zlo = fmin(zlo, z);
        zhi = fmax(zhi, z);
        used++;
    }
    if (!used)
        return;
    fact_set(f, key_of("%s:%s:n", pre, name).s, (double)used);
    fact_set(f, key_of("%s:%s:min", pre, name).s, lo);
    fact_set(f, key_of("%s:%s:max", pre, name).s, hi);
    /* an infinite z (no spread at all) is written as a large finite one */
    fact_set(f, key_of("%s:%s:min_z", pre, name).s, fmax(fmin(zlo, 1e9), -1e9));
    fact_set(f, key_of("%s:%s:max_z", pre, name).s, fmax(fmin(zhi, 1e9), -1e9));
}

#define PAIRS_MAX 64
static void pairing_facts(const StudyResults *s, Values *f, Values *t)
{
    if (experiment_model(s->exp) != MODEL_MLP)
        return;
    for (size_t p = 0; p < sizeof PAIRINGS / sizeof PAIRINGS[0]; p++) {
        size_t ga[PAIRS_MAX], gb[PAIRS_MAX], n = 0;
        for (size_t i = 0; i < s->n_groups && n < PAIRS_MAX; i++)
            for (size_t j = 0; j < s->n_groups && n < PAIRS_MAX; j++) {
                const RunConfig *ci = &study_run(s, i, 0)->config;
                const RunConfig *cj = &study_run(s, j, 0)->config;
                if (PAIRINGS[p].is_a(ci) && PAIRINGS[p].is_b(cj) &&
                    differ_only_in(ci, cj, PAIRINGS[p].field)) {
                    ga[n] = i;
                    gb[n++] = j;
                }
            }
        if (!n)
            continue;
        char pre[STUDY_NAME_MAX + 64];
        snprintf(pre, sizeof pre, "%s:cmp:%s", experiment_study(s->exp), PAIRINGS[p].name);
        for (int m = 0; m < METRIC_COUNT; m++)
            pair_metric(s, ga, gb, n, run_final, (Metric)m, scale((Metric)m), pre,
                        metric_name((Metric)m), f);
        for (int m = 0; m < RESULTS_EPOCH_METRICS; m++) {
            char name[64];
            snprintf(name, sizeof name, "first:%s", metric_name((Metric)m));
            pair_metric(s, ga, gb, n, run_first_epoch, (Metric)m, scale((Metric)m), pre, name, f);
        }
        /* CPU time: b over a, and a - b in standard errors */
        char tpre[STUDY_NAME_MAX + 80];
        snprintf(tpre, sizeof tpre, "time:%s", pre);
        pair_metric(s, ga, gb, n, run_epoch_cpu, METRIC_TEST_ACC, 1.0, tpre, "cpu", t);
        double lo = INFINITY, hi = -INFINITY;
        for (size_t i = 0; i < n; i++) {
            double ta = study_group_mean(s, ga[i], run_epoch_cpu, METRIC_TEST_ACC, NULL);
            double tb = study_group_mean(s, gb[i], run_epoch_cpu, METRIC_TEST_ACC, NULL);
            if (ta > 0 && tb > 0) {
                lo = fmin(lo, tb / ta);
                hi = fmax(hi, tb / ta);
            }
        }
        if (!isinf(lo)) {
            fact_set(t, key_of("%s:cpu:ratio_min", tpre).s, lo);
            fact_set(t, key_of("%s:cpu:ratio_max", tpre).s, hi);
        }
    }
}

void facts_compute(const StudyResults *studies, size_t n, const Reference *ref,
                   const StudiesConf *conf, Values *f, Values *t)
{
    if (ref)
        family_facts(studies, n, ref, conf, f);
    fact_set(f, "rule:z", FACT_Z);
    for (size_t i = 0; i < n; i++) {
        const StudyResults *s = &studies[i];
        for (size_t g = 0; g < s->n_groups; g++)
            group_facts(s, g, f, t);
        if (s->n_groups > 1) {
            best_facts(s, f);
            trend_facts(s, f);
            range_facts(s, f);
        }
        pairing_facts(s, f, t);
    }
}
