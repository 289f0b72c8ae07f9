/* compare.c - comparisons across groups and studies (compare.h). */
#include "report/compare.h"

#include "report/prose.h"
#include "report/studyvals.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- comparisons across groups and studies -------------------------------- */

/* Whether a and b differ in field and in nothing else but the seed; the
 * networks of a pairing on the hidden layers differ in their number of layers
 * (runconfig.h's one comparison decides the rest). */
static int differ_only_in(const RunConfig *a, const RunConfig *b, ConfigField field)
{
    int differ = field == CFG_HIDDEN ? a->n_hidden != b->n_hidden
                                     : !runconfig_field_equal(field, a, b);
    return differ && !runconfig_diff(a, b, CFG_BIT(field) | CFG_BIT(CFG_SEED));
}

static int is_relu(const RunConfig *c)
{
    return c->activation == ACT_RELU;
}
static int is_sigmoid(const RunConfig *c)
{
    return c->activation == ACT_SIGMOID;
}
static int is_ce(const RunConfig *c)
{
    return c->loss == LOSS_CROSS_ENTROPY;
}
static int is_euclid(const RunConfig *c)
{
    return c->loss == LOSS_EUCLIDEAN;
}
static int is_two(const RunConfig *c)
{
    return c->n_hidden == 2;
}
static int is_one(const RunConfig *c)
{
    return c->n_hidden == 1;
}

/* What the homework compares: networks alike in everything but one field,
 * within any MLP study that has such pairs. */
static const struct {
    const char *name, *a, *b;
    int (*is_a)(const RunConfig *);
    int (*is_b)(const RunConfig *);
    ConfigField field;
} PAIRINGS[] = {
    {"relu-sigmoid", "ReLU", "sigmoid", is_relu, is_sigmoid, CFG_ACTIVATION},
    {"ce-euclidean", "cross-entropy", "the Euclidean loss", is_ce, is_euclid, CFG_LOSS},
    {"two-one", "the two-layer network", "the one-layer network", is_two, is_one, CFG_HIDDEN},
};

/* What a pair shares, in words, leaving out the compared field: "one hidden
 * layer and cross-entropy", "two hidden layers, ReLU and weight decay 0.01"
 * (the other settings only where they are not the study's first group's). */
static void pair_label(const RunConfig *c, const RunConfig *c0, ConfigField field, char *out,
                       size_t size)
{
    const char *part[6];
    char extra[3][48];
    size_t np = 0, ne = 0;
    if (field != CFG_HIDDEN)
        part[np++] = c->n_hidden == 1 ? "one hidden layer" : "two hidden layers";
    if (field != CFG_ACTIVATION)
        part[np++] = c->activation == ACT_RELU ? "ReLU" : "sigmoid";
    if (field != CFG_LOSS)
        part[np++] = c->loss == LOSS_CROSS_ENTROPY ? "cross-entropy" : "the Euclidean loss";
    if (c->weight_decay != c0->weight_decay) {
        snprintf(extra[ne], sizeof extra[ne], "weight decay %g", c->weight_decay);
        part[np++] = extra[ne++];
    }
    if (c->learning_rate != c0->learning_rate) {
        snprintf(extra[ne], sizeof extra[ne], "learning rate %g", c->learning_rate);
        part[np++] = extra[ne++];
    }
    if (c->batch_size != c0->batch_size) {
        snprintf(extra[ne], sizeof extra[ne], "batch %d", c->batch_size);
        part[np++] = extra[ne++];
    }
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < np && len < size; i++) {
        int k = snprintf(out + len, size - len, "%s%s", list_sep(i, np), part[i]);
        len = k < 0 ? len : len + (size_t)k;
    }
}

/* Differences a - b (points) and thresholds for group pairs (ga[i], gb[i]) of
 * metric f. */
static void pair_stats(const StudyResults *sa, const size_t *ga, const StudyResults *sb,
                       const size_t *gb, size_t n, double (*f)(const RunResult *, Metric),
                       Metric m, double *diff, double *spread)
{
    for (size_t i = 0; i < n; i++) {
        double s1, s2;
        double m1 = study_group_mean(sa, ga[i], f, m, &s1), m2 = study_group_mean(sb, gb[i], f, m, &s2);
        diff[i] = 100.0 * (m1 - m2);
        spread[i] = 2.0 * 100.0 * fmax(s1, s2);
    }
}

/* Wall time per run, b against a over the pairings, oriented so that the
 * ratio reads "N× as long": "sigmoid took 1.1× as long as ReLU (2.8 s against
 * 2.5 s per run)", with the pairings' extremes when they differ. */
static void time_sentence(char *out, size_t size, const StudyResults *sa, const size_t *ga,
                          const StudyResults *sb, const size_t *gb, size_t n, const char *a,
                          const char *b, const char *const *label)
{
    double lo = INFINITY, hi = -INFINITY, t[2][2] = {{0, 0}, {0, 0}};
    size_t ilo = 0, ihi = 0;
    for (size_t i = 0; i < n; i++) {
        double ta = study_group_mean(sa, ga[i], run_wall, METRIC_TEST_ACC, NULL);
        double tb = study_group_mean(sb, gb[i], run_wall, METRIC_TEST_ACC, NULL);
        if (isnan(ta) || isnan(tb) || ta <= 0 || tb <= 0)
            continue;
        if (tb / ta < lo) {
            lo = tb / ta;
            ilo = i;
            t[0][0] = ta;
            t[0][1] = tb;
        }
        if (tb / ta > hi) {
            hi = tb / ta;
            ihi = i;
            t[1][0] = ta;
            t[1][1] = tb;
        }
    }
    if (isinf(lo)) {
        snprintf(out, size, "wall times of %s and %s were not recorded", a, b);
        return;
    }
    if (lo < 1.0 && hi > 1.0) {
        snprintf(out, size,
                 "%s and %s took about as long, %.2f\xc3\x97 to %.2f\xc3\x97 (%.1f s against "
                 "%.1f s per run with %s, %.1f s against %.1f s with %s)",
                 b, a, lo, hi, t[0][1], t[0][0], label[ilo], t[1][1], t[1][0], label[ihi]);
        return;
    }
    int flip = hi <= 1.0; /* b is the faster: say how much longer a took */
    const char *slow = flip ? a : b, *fast = flip ? b : a;
    double r1 = flip ? 1.0 / hi : lo, r2 = flip ? 1.0 / lo : hi;
    size_t i1 = flip ? ihi : ilo, i2 = flip ? ilo : ihi;
    double s1 = t[flip ? 1 : 0][flip ? 0 : 1], f1 = t[flip ? 1 : 0][flip ? 1 : 0];
    double s2 = t[flip ? 0 : 1][flip ? 0 : 1], f2 = t[flip ? 0 : 1][flip ? 1 : 0];
    if (n == 1 || r2 - r1 < 0.05)
        snprintf(out, size, "%s took %.1f\xc3\x97 as long as %s (%.1f s against %.1f s per run)",
                 slow, r1, fast, s1, f1);
    else
        snprintf(out, size,
                 "%s took %.1f\xc3\x97 to %.1f\xc3\x97 as long as %s (per run, %.1f s against "
                 "%.1f s with %s, up to %.1f s against %.1f s with %s)",
                 slow, r1, r2, fast, s1, f1, label[i1], s2, f2, label[i2]);
}

static const StudyResults *find_study(const StudyResults *studies, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(experiment_study(studies[i].exp), name) == 0)
            return &studies[i];
    return NULL;
}

#define PAIRS_MAX 64
/* The pairs of pairing p within study s: groups ga[i] and gb[i]. */
static size_t find_pairs(const StudyResults *s, size_t p, size_t *ga, size_t *gb)
{
    size_t n = 0;
    if (experiment_model(s->exp) != MODEL_MLP)
        return 0;
    for (size_t i = 0; i < s->n_groups && n < PAIRS_MAX; i++)
        for (size_t j = 0; j < s->n_groups && n < PAIRS_MAX; j++) {
            const RunConfig *ci = &s->runs[i * s->n_seeds].config;
            const RunConfig *cj = &s->runs[j * s->n_seeds].config;
            if (PAIRINGS[p].is_a(ci) && PAIRINGS[p].is_b(cj) &&
                differ_only_in(ci, cj, PAIRINGS[p].field)) {
                ga[n] = i;
                gb[n] = j;
                n++;
            }
        }
    return n;
}

/* cmp:<name>:* for the first MLP study that has pairs of pairing <name>, and
 * <study>:cmp:<name>:* for every study that has them. */
void compare_pairings(const StudyResults *studies, size_t ns, Values *v, Values *t)
{
    char text[VALUES_TEXT_MAX];
    for (size_t p = 0; p < sizeof PAIRINGS / sizeof PAIRINGS[0]; p++) {
        int first = 1;
        for (size_t k = 0; k < ns; k++) {
            const StudyResults *s = &studies[k];
            size_t ga[PAIRS_MAX], gb[PAIRS_MAX], n = find_pairs(s, p, ga, gb);
            if (!n)
                continue;
            char labels[PAIRS_MAX][160];
            const char *label[PAIRS_MAX];
            for (size_t i = 0; i < n; i++) {
                pair_label(&s->runs[ga[i] * s->n_seeds].config, &s->runs[0].config,
                           PAIRINGS[p].field, labels[i], sizeof labels[i]);
                label[i] = labels[i];
            }
            double diff[PAIRS_MAX], spread[PAIRS_MAX];
            for (int pass = first ? 0 : 1; pass < 2; pass++) {
                /* pass 0: the global keys; pass 1: the study's own */
                char pre[STUDY_NAME_MAX + 64];
                snprintf(pre, sizeof pre, "%s%scmp:%s", pass ? experiment_study(s->exp) : "",
                         pass ? ":" : "", PAIRINGS[p].name);
                values_set(v, key_of("%s:n", pre).s, "%zu", n);
                if (!pass)
                    values_set(v, key_of("%s:study", pre).s, "%s", experiment_study(s->exp));
                pair_stats(s, ga, s, gb, n, run_final, METRIC_TEST_ACC, diff, spread);
                compare_by_pairing(text, sizeof text, PAIRINGS[p].a, PAIRINGS[p].b, label, diff,
                                   spread, n);
                values_set(v, key_of("%s:test", pre).s, "%s", text);
                pair_stats(s, ga, s, gb, n, run_first_epoch, progress_metric(s), diff, spread);
                compare_by_pairing(text, sizeof text, PAIRINGS[p].a, PAIRINGS[p].b, label, diff,
                                   spread, n);
                values_set(v, key_of("%s:first_epoch", pre).s, "%s", text);
                time_sentence(text, sizeof text, s, ga, s, gb, n, PAIRINGS[p].a, PAIRINGS[p].b,
                              label);
                values_set(t, key_of("time:%s", pre).s, "%s", text);
            }
            first = 0;
        }
    }
}

/* An as-reported twin against its correct study, setting by setting (same
 * group name). */
void compare_twins(const StudyResults *studies, size_t ns, const StudiesConf *conf, Values *v)
{
    for (size_t i = 0; i < ns; i++) {
        const char *name = experiment_study(studies[i].exp);
        char correct[STUDY_NAME_MAX], text[VALUES_TEXT_MAX];
        const char *part = studies_correct(conf, name, correct, sizeof correct);
        const StudyResults *a = &studies[i], *b = part ? find_study(studies, ns, correct) : NULL;
        if (!b)
            continue;
        size_t ga[PAIRS_MAX], gb[PAIRS_MAX], n = 0;
        for (size_t g = 0; g < a->n_groups && n < PAIRS_MAX; g++)
            for (size_t h = 0; h < b->n_groups; h++) {
                char x[RUN_NAME_MAX], y[RUN_NAME_MAX];
                study_group_name(a, g, x);
                study_group_name(b, h, y);
                if (strcmp(x, y) == 0) {
                    ga[n] = g;
                    gb[n++] = h;
                    break;
                }
            }
        if (!n)
            continue;
        double diff[PAIRS_MAX], spread[PAIRS_MAX];
        pair_stats(a, ga, b, gb, n, run_final, METRIC_TEST_ACC, diff, spread);
        compare_sentence(text, sizeof text, "the as-reported variant", "the correct model", diff,
                         spread, n);
        values_set(v, key_of("cmp:reported-correct:%s", part).s, "%s", text);
    }
}

/* How close the original is, over each family of studies. */
void compare_families(const StudyResults *studies, size_t ns, const Reference *ref,
                      const StudiesConf *conf, Values *v)
{
    for (size_t fam = 0; fam < conf->n_family; fam++) {
        RefTally t = REF_TALLY_INIT;
        for (size_t i = 0; i < ns; i++)
            if (studies_in_family(conf, fam, &studies[i].runs[0].config))
                ref_tally(&studies[i], ref, conf, &t);
        if (!t.rows)
            continue;
        const char *name = conf->family[fam].name;
        values_set(v, key_of("orig:%s:within", name).s, "%zu of %zu", t.within, t.rows);
        values_set(v, key_of("orig:%s:rows", name).s, "%zu", t.rows);
        values_set(v, key_of("orig:%s:mean_abs_diff", name).s, "%.2f", t.sum_abs / (double)t.rows);
    }
}
