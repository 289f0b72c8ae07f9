#include "report/tabulate.h"

#include "atomic.h"
#include "report/answers.h"
#include "report/buf.h"
#include "report/cli.h"
#include "report/fidelity.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEXT_MAX 2048
#define NBSP "\xc2\xa0"
#define PM NBSP "\xc2\xb1" NBSP /* " ± " that never breaks */

/* ---- values --------------------------------------------------------------- */

static int values_fail(Values *v, const char *fmt, const char *what)
{
    if (!v->err[0])
        snprintf(v->err, sizeof v->err, fmt, what);
    return -1;
}

int values_set(Values *v, const char *key, const char *fmt, ...)
{
    if (v->err[0])
        return -1;
    char text[TEXT_MAX];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof text)
        return values_fail(v, "tabulate: value of '%s' too long", key);
    if (strpbrk(key, "\t\n\r") || strpbrk(text, "\t\n\r") || !*key)
        return values_fail(v, "tabulate: key '%s' or its text holds a tab or newline", key);
    if (values_get(v, key))
        return values_fail(v, "tabulate: key '%s' set twice", key);
    if (v->n == v->cap) {
        size_t cap = v->cap ? 2 * v->cap : 256;
        char **k = realloc(v->key, cap * sizeof *k);
        if (k)
            v->key = k;
        char **t = k ? realloc(v->text, cap * sizeof *t) : NULL;
        if (t)
            v->text = t;
        if (!k || !t)
            return values_fail(v, "tabulate: out of memory at '%s'", key);
        v->cap = cap;
    }
    v->key[v->n] = strdup(key);
    v->text[v->n] = strdup(text);
    if (!v->key[v->n] || !v->text[v->n]) {
        free(v->key[v->n]);
        free(v->text[v->n]);
        return values_fail(v, "tabulate: out of memory at '%s'", key);
    }
    v->n++;
    return 0;
}

const char *values_get(const Values *v, const char *key)
{
    for (size_t i = 0; i < v->n; i++)
        if (strcmp(v->key[i], key) == 0)
            return v->text[i];
    return NULL;
}

void values_release(Values *v)
{
    for (size_t i = 0; i < v->n; i++) {
        free(v->key[i]);
        free(v->text[i]);
    }
    free(v->key);
    free(v->text);
    memset(v, 0, sizeof *v);
}

/* Indices of v sorted by key (heap; caller frees). */
static size_t *sorted_order(const Values *v)
{
    size_t *idx = malloc((v->n ? v->n : 1) * sizeof *idx);
    if (!idx)
        return NULL;
    for (size_t i = 0; i < v->n; i++)
        idx[i] = i;
    /* insertion sort: a few thousand keys, and stable */
    for (size_t i = 1; i < v->n; i++)
        for (size_t j = i; j > 0 && strcmp(v->key[idx[j - 1]], v->key[idx[j]]) > 0; j--) {
            size_t t = idx[j];
            idx[j] = idx[j - 1];
            idx[j - 1] = t;
        }
    return idx;
}

int values_write_tsv(const Values *v, FILE *f)
{
    size_t *idx = sorted_order(v);
    if (!idx)
        return -1;
    for (size_t i = 0; i < v->n; i++)
        fprintf(f, "%s\t%s\n", v->key[idx[i]], v->text[idx[i]]);
    free(idx);
    return ferror(f) ? -1 : 0;
}

/* ---- a growing text buffer with a sticky failure ------------------------ */




/* ---- number formats ------------------------------------------------------- */

/* Percent of a fraction, two decimals; "-0.00" never appears. */
static void fmt_pct(char *out, size_t size, double frac)
{
    double x = 100.0 * frac;
    snprintf(out, size, "%.2f", fabs(x) < 0.005 ? 0.0 : x);
}

static void fmt_metric(char *out, size_t size, Metric m, double v)
{
    if (metric_is_acc(m))
        fmt_pct(out, size, v);
    else
        snprintf(out, size, "%.4f", fabs(v) < 0.00005 ? 0.0 : v);
}

/* A signed difference in points: "+0.12", "-7.31", "0.00". */
static void fmt_diff(char *out, size_t size, double points)
{
    if (fabs(points) < 0.005)
        snprintf(out, size, "0.00");
    else
        snprintf(out, size, "%+.2f", points);
}

/* An integer with thousands separators: 60000 -> "60,000". */
static void fmt_count(char *out, size_t size, long v)
{
    char digits[32];
    int n = snprintf(digits, sizeof digits, "%ld", v < 0 ? -v : v);
    size_t k = 0;
    if (v < 0 && k + 1 < size)
        out[k++] = '-';
    for (int i = 0; i < n && k + 2 < size; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            out[k++] = ',';
        out[k++] = digits[i];
    }
    out[k] = '\0';
}

static void fmt_duration(char *out, size_t size, double seconds)
{
    if (isnan(seconds))
        snprintf(out, size, "not recorded");
    else if (seconds < 120.0)
        snprintf(out, size, "%.1f s", seconds);
    else if (seconds < 7200.0)
        snprintf(out, size, "%.0f min", seconds / 60.0);
    else
        snprintf(out, size, "%.1f h", seconds / 3600.0);
}


/* ---- sentences ------------------------------------------------------------ */

static void range_text(char *out, size_t size, double lo, double hi)
{
    if (fabs(hi - lo) < 0.005)
        snprintf(out, size, "%.2f points", lo);
    else
        snprintf(out, size, "%.2f to %.2f points", lo, hi);
}

void compare_sentence(char *out, size_t size, const char *a, const char *b, const double *diff,
                      const double *spread, size_t n)
{
    size_t wins[2] = {0, 0}, ties = 0, total = 0;
    double lo[2] = {INFINITY, INFINITY}, hi[2] = {0, 0}, tie_max = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(diff[i]))
            continue;
        total++;
        double d = fabs(diff[i]);
        if (d <= spread[i]) {
            ties++;
            tie_max = fmax(tie_max, d);
            continue;
        }
        int w = diff[i] > 0 ? 0 : 1;
        wins[w]++;
        lo[w] = fmin(lo[w], d);
        hi[w] = fmax(hi[w], d);
    }
    if (total == 0) {
        snprintf(out, size, "%s and %s could not be compared: no pairing has results", a, b);
        return;
    }
    char range[64];
    const char *pairings = total == 1 ? "pairing" : "pairings";
    if (ties == total) {
        if (total == 1)
            snprintf(out, size,
                     "the difference between %s and %s (%.2f points) is within the "
                     "seed-to-seed spread, so neither is ahead",
                     a, b, tie_max);
        else
            snprintf(out, size,
                     "in all %zu pairings the difference between %s and %s (at most %.2f "
                     "points) is within the seed-to-seed spread, so neither is ahead",
                     total, a, b, tie_max);
        return;
    }
    size_t len = 0;
    for (int w = 0; w < 2; w++) {
        if (!wins[w])
            continue;
        range_text(range, sizeof range, lo[w], hi[w]);
        const char *x = w ? b : a, *y = w ? a : b;
        int k;
        if (len == 0 && wins[w] == total)
            k = total == 1 ? snprintf(out, size, "%s beat %s, by %s", x, y, range)
                           : snprintf(out, size, "%s beat %s in all %zu %s, by %s", x, y, total,
                                      pairings, range);
        else if (len == 0)
            k = snprintf(out, size, "%s beat %s in %zu of %zu %s, by %s", x, y, wins[w], total,
                         pairings, range);
        else
            k = snprintf(out + len, size - len, "; %s beat %s in %zu, by %s", x, y, wins[w],
                         range);
        if (k > 0)
            len += (size_t)k;
        if (len >= size)
            len = size - 1;
    }
    if (ties == 1)
        snprintf(out + len, size - len,
                 "; in the remaining pairing the difference (%.2f points) is within the "
                 "seed-to-seed spread",
                 tie_max);
    else if (ties)
        snprintf(out + len, size - len,
                 "; in the remaining %zu the difference (at most %.2f points) is within the "
                 "seed-to-seed spread",
                 ties, tie_max);
}

void compare_by_pairing(char *out, size_t size, const char *a, const char *b,
                        const char *const *label, const double *diff, const double *spread,
                        size_t n)
{
    size_t len = 0, total = 0;
    out[0] = '\0';
#define PUT(...)                                                                       \
    do {                                                                               \
        int k_ = snprintf(out + len, size - len, __VA_ARGS__);                         \
        len = k_ < 0 ? len : len + (size_t)k_ >= size ? size - 1 : len + (size_t)k_; \
    } while (0)
    for (size_t i = 0; i < n; i++)
        total += !isnan(diff[i]);
    if (total == 0) {
        PUT("%s and %s could not be compared: no pairing has results", a, b);
        return;
    }
    /* the winners first (a, then b), each with the pairings it won in order;
     * then the pairings within the seed-to-seed spread */
    for (int w = 0; w < 3; w++) {
        size_t k = 0, count = 0;
        for (size_t i = 0; i < n; i++)
            count += !isnan(diff[i]) && (w == 2 ? fabs(diff[i]) <= spread[i]
                                                : fabs(diff[i]) > spread[i] &&
                                                      (diff[i] > 0) == (w == 0));
        if (!count)
            continue;
        if (len)
            PUT("; ");
        if (w < 2)
            PUT("%s is ahead", w ? b : a);
        else
            PUT("the two are within the seed-to-seed spread");
        for (size_t i = 0; i < n; i++) {
            int in = !isnan(diff[i]) && (w == 2 ? fabs(diff[i]) <= spread[i]
                                                : fabs(diff[i]) > spread[i] &&
                                                      (diff[i] > 0) == (w == 0));
            if (!in)
                continue;
            const char *sep = k == 0 ? " " : k + 1 == count ? " and " : ", ";
            double d = fabs(diff[i]);
            int dec = d < 1.0 ? 2 : 1; /* small differences keep their second decimal */
            if (total == 1)
                PUT(" by %.*f points", dec, d);
            else
                PUT("%swith %s (%s%.*f%s)", sep, label[i], k == 0 && w < 2 ? "by " : "", dec, d,
                    k == 0 ? " points" : "");
            k++;
        }
    }
#undef PUT
}

/* ---- per group ------------------------------------------------------------ */

/* The metric logged per epoch for "how fast": validation (mlp) or test. */
static Metric progress_metric(const StudyResults *s)
{
    return experiment_model(s->exp) == MODEL_SOFTMAX ? METRIC_TEST_ACC : METRIC_VAL_ACC;
}

/* Mean over group g's runs of f(run); NAN when no run gives a number. */
static double first_epoch(const RunResult *r, Metric m)
{
    return r->n_epochs ? r->epochs[0].m[m] : NAN;
}

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

static size_t group_diverged(const StudyResults *s, size_t g)
{
    size_t n = 0;
    for (size_t i = 0; i < s->n_seeds; i++)
        n += s->runs[g * s->n_seeds + i].status == RUN_DIVERGED;
    return n;
}

/* "<study>:<group>" or "<study>" into p (RUN_NAME_MAX + STUDY_NAME_MAX). */
static void group_prefix(const StudyResults *s, size_t g, char *p, size_t size)
{
    char name[RUN_NAME_MAX];
    study_group_name(s, g, name);
    if (*name)
        snprintf(p, size, "%s:%s", experiment_study(s->exp), name);
    else
        snprintf(p, size, "%s", experiment_study(s->exp));
}

#define PREFIX_MAX (RUN_NAME_MAX + STUDY_NAME_MAX + 2)

/* The original's comparison for one group. */
typedef struct {
    const RefRow *row; /* NULL: no matching setting */
    double diff;       /* our mean test accuracy minus the original's, points */
    int within;        /* the original lies within our mean ± 2 std */
} RefCmp;

static RefCmp group_ref(const StudyResults *s, size_t g, const Reference *ref)
{
    RefCmp c = {NULL, NAN, 0};
    char buf[STUDY_NAME_MAX + 16];
    const char *table = reference_table(ref, experiment_study(s->exp), buf, sizeof buf);
    c.row = reference_match(ref, table, &s->runs[g * s->n_seeds].config);
    if (!c.row || isnan(c.row->test_acc))
        return c;
    double mean, std;
    size_t n;
    study_group_stats(s, g, METRIC_TEST_ACC, &mean, &std, &n);
    if (!n)
        return c;
    c.diff = 100.0 * mean - c.row->test_acc;
    c.within = fabs(c.diff) <= 2.0 * 100.0 * std + 1e-9;
    return c;
}

static void group_values(const StudyResults *s, size_t g, const Reference *ref, Values *v,
                         Values *t)
{
    char p[PREFIX_MAX], key[PREFIX_MAX + 64], label[RUN_NAME_MAX], a[64], b[64];
    group_prefix(s, g, p, sizeof p);
    study_group_label(s, g, label);
    values_set(v, (snprintf(key, sizeof key, "%s:label", p), key), "%s", label);
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
        values_set(v, (snprintf(key, sizeof key, "%s:%s", p, name), key), "%s", a);
        values_set(v, (snprintf(key, sizeof key, "%s:%s_std", p, name), key), "%s", b);
        values_set(v, (snprintf(key, sizeof key, "%s:%s_pm", p, name), key), "%s" PM "%s", a, b);
        if (metric_is_acc((Metric)m)) {
            double lo = INFINITY, hi = -INFINITY;
            for (size_t i = 0; i < s->n_seeds; i++) {
                double x = s->runs[g * s->n_seeds + i].final[m];
                if (!isnan(x)) {
                    lo = fmin(lo, x);
                    hi = fmax(hi, x);
                }
            }
            fmt_pct(a, sizeof a, lo);
            fmt_pct(b, sizeof b, hi);
            values_set(v, (snprintf(key, sizeof key, "%s:%s_min", p, name), key), "%s", a);
            values_set(v, (snprintf(key, sizeof key, "%s:%s_max", p, name), key), "%s", b);
        }
    }
    values_set(v, (snprintf(key, sizeof key, "%s:diverged", p), key), "%zu",
               group_diverged(s, g));
    values_set(v, (snprintf(key, sizeof key, "%s:iterations", p), key), "%s",
               (fmt_count(a, sizeof a, s->runs[g * s->n_seeds].iterations), a));
    Metric pm = progress_metric(s);
    double x = study_group_mean(s, g, first_epoch, pm, NULL);
    if (!isnan(x)) {
        fmt_pct(a, sizeof a, x);
        values_set(v, (snprintf(key, sizeof key, "%s:first_epoch_acc", p), key), "%s", a);
    }
    x = study_group_mean(s, g, first_epoch, METRIC_TRAIN_LOSS, NULL);
    if (!isnan(x)) {
        fmt_metric(a, sizeof a, METRIC_TRAIN_LOSS, x);
        values_set(v, (snprintf(key, sizeof key, "%s:first_epoch_loss", p), key), "%s", a);
    }
    /* epochs are whole numbers: the range over the seeds, "3" or "2 to 4" */
    double elo = INFINITY, ehi = -INFINITY, plo = INFINITY, phi = -INFINITY;
    double peak = 0, drop = 0;
    size_t np = 0;
    for (size_t i = 0; i < s->n_seeds; i++) {
        const RunResult *r = &s->runs[g * s->n_seeds + i];
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
        values_set(v, (snprintf(key, sizeof key, "%s:epochs_to_final", p), key),
                   elo == ehi ? "%.0f" : "%.0f to %.0f", elo, ehi);
    /* the best epoch's accuracy (validation for mlp, test for softmax) and how
     * much of it the last epoch has lost: a network that learns, then unlearns */
    if (np) {
        fmt_pct(a, sizeof a, peak / (double)np);
        values_set(v, (snprintf(key, sizeof key, "%s:peak_acc", p), key), "%s", a);
        values_set(v, (snprintf(key, sizeof key, "%s:peak_epoch", p), key),
                   plo == phi ? "%.0f" : "%.0f to %.0f", plo, phi);
        fmt_pct(a, sizeof a, drop / (double)np);
        values_set(v, (snprintf(key, sizeof key, "%s:peak_drop", p), key), "%s", a);
    }

    x = study_group_mean(s, g, run_wall, METRIC_TEST_ACC, NULL);
    fmt_duration(a, sizeof a, x);
    values_set(t, (snprintf(key, sizeof key, "time:%s:wall", p), key), "%s", a);

    RefCmp c = group_ref(s, g, ref);
    if (!c.row)
        return;
    const RefRow *r = c.row;
    if (!isnan(r->test_acc))
        values_set(v, (snprintf(key, sizeof key, "%s:orig_test_acc", p), key), "%.2f",
                   r->test_acc);
    if (!isnan(r->train_acc)) {
        values_set(v, (snprintf(key, sizeof key, "%s:orig_train_acc", p), key), "%.2f",
                   r->train_acc);
        /* a whole number of images of one minibatch gives the printed figure */
        int batch = s->runs[g * s->n_seeds].config.batch_size;
        double images = floor(r->train_acc * batch / 100.0 + 0.5);
        if (fabs(100.0 * images / batch - r->train_acc) < 0.005 + 1e-9)
            values_set(v, (snprintf(key, sizeof key, "%s:orig_train_acc_images", p), key),
                       "%.0f of %d", images, batch);
    }
    if (!isnan(r->val_acc))
        values_set(v, (snprintf(key, sizeof key, "%s:orig_val_acc", p), key), "%.2f",
                   r->val_acc);
    if (!isnan(r->train_loss))
        values_set(v, (snprintf(key, sizeof key, "%s:orig_train_loss", p), key), "%.4f",
                   r->train_loss);
    if (isnan(c.diff))
        return;
    fmt_diff(a, sizeof a, c.diff);
    values_set(v, (snprintf(key, sizeof key, "%s:test_diff", p), key), "%s", a);
    values_set(v, (snprintf(key, sizeof key, "%s:orig_within", p), key), "%s",
               c.within ? "within" : "outside");
    double mean, std;
    size_t n;
    study_group_stats(s, g, METRIC_TEST_ACC, &mean, &std, &n);
    fmt_pct(a, sizeof a, mean - 2 * std);
    fmt_pct(b, sizeof b, mean + 2 * std);
    values_set(v, (snprintf(key, sizeof key, "%s:orig_check", p), key),
               "The original's %.2f %% lies %s our mean " "\xc2\xb1" " 2 std (%s to %s %%)",
               r->test_acc, c.within ? "within" : "outside", a, b);
}

/* ---- per study ------------------------------------------------------------ */

static void config_values(const StudyResults *s, Values *v)
{
    const char *study = experiment_study(s->exp);
    const RunConfig *c0 = &s->runs[0].config;
    int lr = 1, bs = 1, me = 1, lam = 1, ar = 1, wd = 1, hid = 1, act = 1, loss = 1;
    for (size_t i = 1; i < s->n_runs; i++) {
        const RunConfig *c = &s->runs[i].config;
        lr &= c->learning_rate == c0->learning_rate;
        bs &= c->batch_size == c0->batch_size;
        me &= c->max_epoch == c0->max_epoch;
        lam &= c->lambda == c0->lambda;
        ar &= c->as_reported == c0->as_reported;
        wd &= c->weight_decay == c0->weight_decay;
        hid &= c->n_hidden == c0->n_hidden &&
               memcmp(c->hidden, c0->hidden, sizeof c->hidden) == 0;
        act &= c->activation == c0->activation;
        loss &= c->loss == c0->loss;
    }
    char key[STUDY_NAME_MAX + 64];
#define CFG(name) (snprintf(key, sizeof key, "%s:cfg:%s", study, name), key)
    if (lr)
        values_set(v, CFG("learning_rate"), "%g", c0->learning_rate);
    if (bs)
        values_set(v, CFG("batch_size"), "%d", c0->batch_size);
    if (me)
        values_set(v, CFG("max_epoch"), "%d", c0->max_epoch);
    if (c0->model == MODEL_SOFTMAX) {
        if (lam)
            values_set(v, CFG("lambda"), "%g", c0->lambda);
        if (ar)
            values_set(v, CFG("as_reported"), "%s", c0->as_reported ? "yes" : "no");
    } else {
        if (wd)
            values_set(v, CFG("weight_decay"), "%g", c0->weight_decay);
        if (hid) {
            char h[64] = "";
            size_t n = 0;
            for (int k = 0; k < c0->n_hidden && n < sizeof h; k++)
                n += (size_t)snprintf(h + n, sizeof h - n, "%s%d", k ? "x" : "", c0->hidden[k]);
            values_set(v, CFG("hidden"), "%s", h);
        }
        if (act)
            values_set(v, CFG("activation"), "%s", activation_name(c0->activation));
        if (loss)
            values_set(v, CFG("loss"), "%s", loss_name(c0->loss));
    }
#undef CFG
}

/* Group order by mean test accuracy, best first (ties keep file order). */
static void rank_groups(const StudyResults *s, Metric m, size_t *order, double *mean, double *std)
{
    for (size_t g = 0; g < s->n_groups; g++) {
        size_t n;
        study_group_stats(s, g, m, &mean[g], &std[g], &n);
        order[g] = g;
    }
    for (size_t i = 1; i < s->n_groups; i++)
        for (size_t j = i; j > 0; j--) {
            double x = mean[order[j - 1]], y = mean[order[j]];
            int swap = (isnan(x) && !isnan(y)) || (!isnan(x) && !isnan(y) && y > x);
            if (!swap)
                break;
            size_t t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
}

static void sweep_values(const StudyResults *s, Values *v)
{
    const char *study = experiment_study(s->exp);
    size_t ng = s->n_groups;
    size_t *order = malloc(ng * sizeof *order);
    double *mean = malloc(ng * sizeof *mean), *std = malloc(ng * sizeof *std);
    if (!order || !mean || !std) {
        values_fail(v, "tabulate: out of memory in '%s'", study);
        goto out;
    }
    rank_groups(s, METRIC_TEST_ACC, order, mean, std);
    char key[STUDY_NAME_MAX + 64], best[RUN_NAME_MAX], worst[RUN_NAME_MAX], a[64], b[64];
    size_t gb = order[0], gw = order[ng - 1];
    while (gw != gb && isnan(mean[gw]))
        gw = order[--ng - 1];
    ng = s->n_groups;
    study_group_label(s, gb, best);
    study_group_label(s, gw, worst);
    fmt_pct(a, sizeof a, mean[gb]);
    fmt_pct(b, sizeof b, mean[gw]);
#define K(name) (snprintf(key, sizeof key, "%s:%s", study, name), key)
    values_set(v, K("worst"), "%s", worst);
    values_set(v, K("worst_test_acc"), "%s", b);
    if (strcmp(a, b) == 0) /* equal as printed: no range to speak of */
        values_set(v, K("range_sentence"), "mean test accuracy is %s %% for every setting", a);
    else
        values_set(v, K("range_sentence"),
                   "mean test accuracy ranged from %s %% (%s) to %s %% (%s)", b, worst, a, best);

    /* The best setting is chosen on validation accuracy where there is a
     * validation split (mlp), else on test accuracy (softmax). */
    Metric sel = experiment_model(s->exp) == MODEL_MLP ? METRIC_VAL_ACC : METRIC_TEST_ACC;
    const char *sel_name = sel == METRIC_VAL_ACC ? "validation" : "test";
    size_t *sorder = malloc(ng * sizeof *sorder);
    double *smean = malloc(ng * sizeof *smean), *sstd = malloc(ng * sizeof *sstd);
    if (!sorder || !smean || !sstd) {
        values_fail(v, "tabulate: out of memory in '%s'", study);
        free(sorder);
        free(smean);
        free(sstd);
        goto out;
    }
    rank_groups(s, sel, sorder, smean, sstd);
    size_t gs = sorder[0];
    char sbest[RUN_NAME_MAX], sa[64], ta[64];
    study_group_label(s, gs, sbest);
    fmt_pct(sa, sizeof sa, smean[gs]);
    fmt_pct(ta, sizeof ta, mean[gs]);
    values_set(v, K("best"), "%s", sbest);
    values_set(v, K("best_test_acc"), "%s", ta);
    char also[96] = "";
    if (sel != METRIC_TEST_ACC)
        snprintf(also, sizeof also, " (test accuracy %s %%)", ta);

    /* which settings are within the seed-to-seed spread of the best */
    Buf tied = {0};
    size_t nt = 0, total_tied = 0;
    /* listed in the experiment file's order (2, 5, 20), not by rank */
    for (size_t g = 0; g < ng; g++)
        total_tied += g != gs && !isnan(smean[g]) &&
                      smean[gs] - smean[g] <= 2.0 * fmax(sstd[gs], sstd[g]);
    for (size_t g = 0; g < ng; g++) {
        if (g == gs || isnan(smean[g]) || smean[gs] - smean[g] > 2.0 * fmax(sstd[gs], sstd[g]))
            continue;
        char label[RUN_NAME_MAX];
        study_group_label(s, g, label);
        nt++;
        buf_printf(&tied, "%s%s", nt == 1 ? "" : nt == total_tied ? " and " : ", ", label);
    }
    if (nt == 0) {
        char next[RUN_NAME_MAX], next_pct[64];
        study_group_label(s, sorder[1], next);
        fmt_pct(next_pct, sizeof next_pct, smean[sorder[1]]);
        values_set(v, K("best_sentence"),
                   "the highest mean %s accuracy, %s %%, came with %s%s, ahead of the next best "
                   "(%s, %s %%) by more than the seed-to-seed spread",
                   sel_name, sa, sbest, also, next, next_pct);
    } else {
        values_set(v, K("best_sentence"),
                   "the highest mean %s accuracy, %s %%, came with %s%s, but %s %s within the "
                   "seed-to-seed spread of it",
                   sel_name, sa, sbest, also, tied.failed ? "others" : tied.p,
                   nt == 1 ? "is" : "are");
    }
    free(tied.p);
    free(sorder);
    free(smean);
    free(sstd);

    if (experiment_sweep_count(s->exp) == 1 && ng >= 3) {
        int up = 1, down = 1;
        for (size_t g = 1; g < ng; g++) {
            up &= mean[g] > mean[g - 1];
            down &= mean[g] < mean[g - 1];
        }
        const char *k = sweep_key_label(experiment_sweep_key(s->exp, 0));
        char first[64], last[64];
        fmt_pct(first, sizeof first, mean[0]);
        fmt_pct(last, sizeof last, mean[ng - 1]);
        double lo = INFINITY, hi = -INFINITY;
        for (size_t g = 0; g < ng; g++) {
            lo = fmin(lo, mean[g]);
            hi = fmax(hi, mean[g]);
        }
        if (hi - lo < 0.00005) /* equal to two decimals of a percent */
            values_set(v, K("trend_sentence"), "mean test accuracy is %s %% at every %s", first,
                       k);
        else if (up || down)
            values_set(v, K("trend_sentence"),
                       "mean test accuracy %s with every step of %s, from %s %% to %s %%",
                       up ? "rises" : "falls", k, first, last);
        else
            values_set(v, K("trend_sentence"),
                       "mean test accuracy does not move monotonically with %s: it is highest "
                       "at %s (%s %%) and lowest at %s (%s %%)",
                       k, best, a, worst, b);
    }
#undef K
out:
    free(order);
    free(mean);
    free(std);
}

static void study_values(const StudyResults *s, const Reference *ref, Values *v, Values *t)
{
    const char *study = experiment_study(s->exp);
    char key[STUDY_NAME_MAX + 64], a[64];
#define K(name) (snprintf(key, sizeof key, "%s:%s", study, name), key)
    values_set(v, K("title"), "%s", experiment_title(s->exp));
    values_set(v, K("runs"), "%zu", s->n_runs);
    values_set(v, K("seeds"), "%zu", s->n_seeds);
    values_set(v, K("groups"), "%zu", s->n_groups);
    static const char *const IMAGES[3] = {"train_images", "val_images", "test_images"};
    for (int k = 0; k < 3; k++)
        if (s->runs[0].images[k] >= 0)
            values_set(v, K(IMAGES[k]), "%s", (fmt_count(a, sizeof a, s->runs[0].images[k]), a));
    if (s->runs[0].epochs_completed > 0)
        values_set(v, K("iterations_per_epoch"), "%s",
                   (fmt_count(a, sizeof a,
                              s->runs[0].iterations / s->runs[0].epochs_completed),
                    a));
    config_values(s, v);
    for (size_t j = 0; j < experiment_sweep_count(s->exp); j++) {
        Buf list = {0};
        size_t nv = experiment_sweep_value_count(s->exp, j);
        for (size_t k = 0; k < nv; k++)
            buf_printf(&list, "%s%s", k == 0 ? "" : k + 1 == nv ? " and " : ", ",
                       experiment_sweep_value(s->exp, j, k));
        char name[STUDY_NAME_MAX + 16];
        snprintf(name, sizeof name, "sweep:%s", experiment_sweep_key(s->exp, j));
        values_set(v, K(name), "%s", list.failed ? "" : list.p);
        free(list.p);
    }
    for (size_t g = 0; g < s->n_groups; g++)
        group_values(s, g, ref, v, t);
    if (s->n_groups > 1)
        sweep_values(s, v);

    /* divergence */
    Buf d = {0};
    size_t nd = 0;
    for (size_t i = 0; i < s->n_runs; i++)
        if (s->runs[i].status == RUN_DIVERGED) {
            char label[RUN_NAME_MAX];
            study_group_label(s, i / s->n_seeds, label);
            buf_printf(&d, "%s%s%s seed %llu (epoch %d)", nd ? ", " : "",
                       s->n_groups > 1 ? label : "", s->n_groups > 1 ? "," : "",
                       (unsigned long long)s->runs[i].config.seed, s->runs[i].diverged_epoch);
            nd++;
        }
    if (nd == 0)
        values_set(v, K("diverged_sentence"), "no run diverged");
    else
        values_set(v, K("diverged_sentence"), "%zu of %zu runs diverged: %s", nd, s->n_runs,
                   d.failed ? "" : d.p);
    free(d.p);

    /* the original */
    size_t rows = 0, within = 0;
    double lo = INFINITY, hi = -INFINITY;
    for (size_t g = 0; g < s->n_groups; g++) {
        RefCmp c = group_ref(s, g, ref);
        if (!c.row || isnan(c.diff))
            continue;
        rows++;
        within += (size_t)c.within;
        lo = fmin(lo, c.diff);
        hi = fmax(hi, c.diff);
    }
    if (!rows)
        values_set(v, K("orig_sentence"), "%s",
                   ref ? "The original write-up has no figures for this study"
                       : "No figures of the original were given to compare with");
    if (rows) {
        char l[32], h[32];
        fmt_diff(l, sizeof l, lo);
        fmt_diff(h, sizeof h, hi);
        values_set(v, K("orig_within_count"), "%zu of %zu", within, rows);
        if (rows == 1)
            values_set(v, K("orig_sentence"),
                       "The original's test accuracy lies %s our mean " "\xc2\xb1"
                       " 2 std; our mean differs from it by %s points",
                       within ? "within" : "outside", l);
        else
            values_set(v, K("orig_sentence"),
                       "The original's test accuracy lies within our mean " "\xc2\xb1"
                       " 2 std in %zu of %zu settings; our means differ from it by %s to %s "
                       "points",
                       within, rows, l, h);
    }

    /* our last-batch loss against the original's loss (softmax) */
    double rlo = INFINITY, rhi = -INFINITY;
    for (size_t g = 0; g < s->n_groups && experiment_model(s->exp) == MODEL_SOFTMAX; g++) {
        RefCmp c = group_ref(s, g, ref);
        double mean, std;
        size_t n;
        study_group_stats(s, g, METRIC_LAST_BATCH_LOSS, &mean, &std, &n);
        if (!c.row || isnan(c.row->train_loss) || !n || c.row->train_loss <= 0)
            continue;
        rlo = fmin(rlo, mean / c.row->train_loss);
        rhi = fmax(rhi, mean / c.row->train_loss);
    }
    if (!isinf(rlo)) {
        if (rhi - rlo < 0.05)
            values_set(v, K("orig_loss_ratio"), "%.1f", rlo);
        else
            values_set(v, K("orig_loss_ratio"), "%.1f to %.1f", rlo, rhi);
    }

    double total = 0;
    int timed = 1;
    for (size_t i = 0; i < s->n_runs; i++) {
        timed &= !isnan(s->runs[i].wall_seconds);
        total += s->runs[i].wall_seconds;
    }
    fmt_duration(a, sizeof a, timed ? total : NAN);
    values_set(t, (snprintf(key, sizeof key, "time:%s:total", study), key), "%s", a);
#undef K
}

/* ---- the table ------------------------------------------------------------ */

typedef struct {
    size_t rows, cols;
    char **cell; /* rows x cols, row 0 the header */
    int *right;  /* per column: right-aligned (numbers) */
} Grid;

static char *cell_dup(const char *s)
{
    char *p = strdup(s);
    return p;
}

/* A swept value as the tables show it: short, and not wrapped ("CE",
 * "512-128"); anything else as written in the experiment file. */
static const char *value_display(const char *key, const char *value, char *buf, size_t size)
{
    static const struct {
        const char *key, *value, *shown;
    } SHORT[] = {
        {"loss", "cross-entropy", "CE"}, {"loss", "euclidean", "Euclid"},
        {"activation", "relu", "ReLU"},
    };
    for (size_t i = 0; i < sizeof SHORT / sizeof SHORT[0]; i++)
        if (!strcmp(SHORT[i].key, key) && !strcmp(SHORT[i].value, value))
            return SHORT[i].shown;
    if (strcmp(key, "hidden") != 0)
        return value;
    snprintf(buf, size, "%s", value); /* layer sizes joined by "-", as networks are written */
    for (char *p = buf; *p; p++)
        if (*p == 'x')
            *p = '-';
    return buf;
}

static void table_markdown(const StudyResults *s, const Reference *ref, Buf *md)
{
    ModelKind model = experiment_model(s->exp);
    int sm = model == MODEL_SOFTMAX;
    size_t nk = experiment_sweep_count(s->exp);
    int has_ref = 0;
    for (size_t g = 0; g < s->n_groups; g++)
        has_ref |= group_ref(s, g, ref).row != NULL;
    /* our columns: the swept keys (or "runs"), then metrics */
    const Metric sm_cols[] = {METRIC_LAST_BATCH_LOSS, METRIC_FULL_TRAIN_ACC, METRIC_TEST_ACC};
    const Metric mlp_cols[] = {METRIC_TRAIN_LOSS, METRIC_TRAIN_ACC, METRIC_VAL_ACC,
                               METRIC_TEST_ACC};
    const char *sm_heads[] = {"last-batch loss", "training acc. (%)", "test acc. (%)"};
    const char *mlp_heads[] = {"training loss", "training acc. (%)", "validation acc. (%)",
                               "test acc. (%)"};
    const Metric *mcols = sm ? sm_cols : mlp_cols;
    const char *const *mheads = sm ? sm_heads : mlp_heads;
    size_t nm = sm ? 3 : 4;
    size_t nkey = nk ? nk : 1;
    size_t nref = has_ref ? (sm ? 3 : 2) : 0;
    Grid gr = {s->n_groups + 1, nkey + nm + nref, NULL, NULL};
    gr.cell = calloc(gr.rows * gr.cols, sizeof *gr.cell);
    gr.right = calloc(gr.cols, sizeof *gr.right);
    if (!gr.cell || !gr.right) {
        md->failed = 1;
        goto out;
    }
    for (size_t j = 0; j < nkey; j++)
        gr.cell[j] = cell_dup(nk ? sweep_key_label(experiment_sweep_key(s->exp, j)) : "runs");
    for (size_t j = 0; j < nm; j++) {
        gr.cell[nkey + j] = cell_dup(mheads[j]);
        gr.right[nkey + j] = 1;
    }
    if (has_ref) {
        const char *heads[] = {"original loss", "original test (%)", "difference"};
        size_t k = 0;
        for (int j = sm ? 0 : 1; j < 3; j++, k++) {
            gr.cell[nkey + nm + k] = cell_dup(heads[j]);
            gr.right[nkey + nm + k] = 1;
        }
    }
    int any_within = 0, any_diverged = 0;
    for (size_t g = 0; g < s->n_groups; g++) {
        char **row = &gr.cell[(g + 1) * gr.cols];
        char text[256], shown[RESULTS_TEXT_MAX];
        size_t dv = group_diverged(s, g);
        any_diverged |= dv > 0;
        for (size_t j = 0; j < nkey; j++) {
            if (nk)
                snprintf(text, sizeof text, "%s%s",
                         value_display(experiment_sweep_key(s->exp, j),
                                       experiment_run_sweep(s->exp, g * s->n_seeds, j), shown,
                                       sizeof shown),
                         dv && j == nkey - 1 ? " \xe2\x80\xa1" : "");
            else
                snprintf(text, sizeof text, "%zu seeds%s", s->n_seeds, dv ? " \xe2\x80\xa1" : "");
            row[j] = cell_dup(text);
        }
        for (size_t j = 0; j < nm; j++) {
            double mean, std;
            size_t n;
            char a[32], b[32];
            study_group_stats(s, g, mcols[j], &mean, &std, &n);
            /* accuracy to one decimal, its sd to one significant digit;
             * losses to three significant digits */
            if (metric_is_acc(mcols[j]))
                answers_acc_pm(a, sizeof a, mean, std);
            else
                snprintf(a, sizeof a, "%.3g" PM "%.1g", mean, std);
            b[0] = '\0';
            if (n && n < s->n_seeds) /* a diverged run left the mean */
                snprintf(b, sizeof b, " (%zu runs)", n);
            if (n)
                snprintf(text, sizeof text, "%s%s", a, b);
            else
                snprintf(text, sizeof text, "\xe2\x80\x93"); /* en dash: no run finished an epoch */
            row[nkey + j] = cell_dup(text);
        }
        if (has_ref) {
            RefCmp c = group_ref(s, g, ref);
            size_t k = nkey + nm;
            if (sm) {
                if (c.row && !isnan(c.row->train_loss))
                    snprintf(text, sizeof text, "%.4f", c.row->train_loss);
                else
                    snprintf(text, sizeof text, "\xe2\x80\x93");
                row[k++] = cell_dup(text);
            }
            if (c.row && !isnan(c.row->test_acc))
                snprintf(text, sizeof text, "%.2f", c.row->test_acc);
            else
                snprintf(text, sizeof text, "\xe2\x80\x93");
            row[k++] = cell_dup(text);
            if (!isnan(c.diff)) {
                char d[32];
                fmt_diff(d, sizeof d, c.diff);
                snprintf(text, sizeof text, "%s%s", d, c.within ? " \xe2\x80\xa0" : "");
                any_within |= c.within;
            } else {
                snprintf(text, sizeof text, "\xe2\x80\x93");
            }
            row[k++] = cell_dup(text);
        }
    }
    for (size_t i = 0; i < gr.rows * gr.cols; i++)
        if (!gr.cell[i]) {
            md->failed = 1;
            goto out;
        }

    /* caption first; pandoc takes "Table: ..." before the table as its caption */
    buf_printf(md, "Table: %s. Final %s, mean " "\xc2\xb1" " std over %zu seed%s%s.",
               experiment_title(s->exp),
               sm ? "values (training accuracy over the whole training set)"
                  : "values (training: mean over the last epoch's minibatches)",
               s->n_seeds, s->n_seeds == 1 ? "" : "s",
               sm ? "; the loss is the last minibatch's, regularisation term included" : "");
    if (has_ref)
        buf_printf(md, " Original: the figure the original write-up reports; difference: our "
                       "mean minus it, in points%s.",
                   any_within ? "; \xe2\x80\xa0 the original lies within our mean "
                                "\xc2\xb1 2 std"
                              : "");
    if (any_diverged)
        buf_printf(md, " \xe2\x80\xa1 some runs diverged; their last completed epoch counts.");
    buf_printf(md, "\n\n");
    /* widths: the dashes set the relative widths when pandoc wraps */
    size_t *w = calloc(gr.cols, sizeof *w);
    if (!w) {
        md->failed = 1;
        goto out;
    }
    /* from the body's cells, in characters (not bytes: "±" is two), and from
     * the header's longest word, since pandoc wraps headers between words */
    for (size_t r = 0; r < gr.rows; r++)
        for (size_t c = 0; c < gr.cols; c++) {
            size_t n = 0, word = 0;
            for (const unsigned char *p = (const unsigned char *)gr.cell[r * gr.cols + c]; *p;
                 p++) {
                if ((*p & 0xc0) == 0x80)
                    continue;
                word = (r == 0 && *p == ' ') ? 0 : word + 1;
                n = r == 0 ? (word > n ? word : n) : n + 1;
            }
            w[c] = n > w[c] ? n : w[c];
        }
    for (size_t r = 0; r < gr.rows; r++) {
        for (size_t c = 0; c < gr.cols; c++)
            buf_printf(md, "| %s ", gr.cell[r * gr.cols + c]);
        buf_printf(md, "|\n");
        if (r == 0) {
            for (size_t c = 0; c < gr.cols; c++) {
                buf_printf(md, "|%s", gr.right[c] ? "" : ":");
                for (size_t k = 0; k < w[c] + 1; k++)
                    buf_printf(md, "-");
                buf_printf(md, "%s", gr.right[c] ? ":" : "");
            }
            buf_printf(md, "|\n");
        }
    }
    free(w);
out:
    if (gr.cell)
        for (size_t i = 0; i < gr.rows * gr.cols; i++)
            free(gr.cell[i]);
    free(gr.cell);
    free(gr.right);
}

/* ---- comparisons across groups and studies -------------------------------- */

typedef enum { FIELD_ACTIVATION, FIELD_LOSS, FIELD_HIDDEN } Field;

/* Whether a and b differ in nothing but field (and the seed). */
static int differ_only_in(const RunConfig *a, const RunConfig *b, Field field)
{
    /* memcpy, not assignment: assignment need not copy the padding, which the
     * memcmp below compares (the configs themselves are cleared first) */
    RunConfig x, y;
    memcpy(&x, a, sizeof x);
    memcpy(&y, b, sizeof y);
    x.seed = y.seed = 0;
    switch (field) {
    case FIELD_ACTIVATION:
        if (x.activation == y.activation)
            return 0;
        x.activation = y.activation;
        break;
    case FIELD_LOSS:
        if (x.loss == y.loss)
            return 0;
        x.loss = y.loss;
        break;
    case FIELD_HIDDEN:
        if (x.n_hidden == y.n_hidden)
            return 0;
        x.n_hidden = y.n_hidden;
        memcpy(x.hidden, y.hidden, sizeof x.hidden);
        break;
    }
    return memcmp(&x, &y, sizeof x) == 0;
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
    Field field;
} PAIRINGS[] = {
    {"relu-sigmoid", "ReLU", "sigmoid", is_relu, is_sigmoid, FIELD_ACTIVATION},
    {"ce-euclidean", "cross-entropy", "the Euclidean loss", is_ce, is_euclid, FIELD_LOSS},
    {"two-one", "the two-layer network", "the one-layer network", is_two, is_one, FIELD_HIDDEN},
};

/* What a pair shares, in words, leaving out the compared field: "one hidden
 * layer and cross-entropy", "two hidden layers, ReLU and weight decay 0.01"
 * (the other settings only where they are not the study's first group's). */
static void pair_label(const RunConfig *c, const RunConfig *c0, Field field, char *out,
                       size_t size)
{
    const char *part[6];
    char extra[3][48];
    size_t np = 0, ne = 0;
    if (field != FIELD_HIDDEN)
        part[np++] = c->n_hidden == 1 ? "one hidden layer" : "two hidden layers";
    if (field != FIELD_ACTIVATION)
        part[np++] = c->activation == ACT_RELU ? "ReLU" : "sigmoid";
    if (field != FIELD_LOSS)
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
        int k = snprintf(out + len, size - len, "%s%s", i == 0 ? "" : i + 1 == np ? " and " : ", ",
                         part[i]);
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
static void pairing_values(const StudyResults *studies, size_t ns, Values *v, Values *t)
{
    char key[STUDY_NAME_MAX + 128], text[TEXT_MAX];
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
#define KK(x) (snprintf(key, sizeof key, "%s:%s", pre, x), key)
                values_set(v, KK("n"), "%zu", n);
                if (!pass)
                    values_set(v, KK("study"), "%s", experiment_study(s->exp));
                pair_stats(s, ga, s, gb, n, run_final, METRIC_TEST_ACC, diff, spread);
                compare_by_pairing(text, sizeof text, PAIRINGS[p].a, PAIRINGS[p].b, label, diff,
                                   spread, n);
                values_set(v, KK("test"), "%s", text);
                pair_stats(s, ga, s, gb, n, first_epoch, progress_metric(s), diff, spread);
                compare_by_pairing(text, sizeof text, PAIRINGS[p].a, PAIRINGS[p].b, label, diff,
                                   spread, n);
                values_set(v, KK("first_epoch"), "%s", text);
                time_sentence(text, sizeof text, s, ga, s, gb, n, PAIRINGS[p].a, PAIRINGS[p].b,
                              label);
                values_set(t, (snprintf(key, sizeof key, "time:%s", pre), key), "%s", text);
#undef KK
            }
            first = 0;
        }
    }
}

/* softmax-reported-X against softmax-X, setting by setting (same group name). */
static void reported_values(const StudyResults *studies, size_t ns, Values *v)
{
    static const char PREFIX[] = "softmax-reported-";
    for (size_t i = 0; i < ns; i++) {
        const char *name = experiment_study(studies[i].exp);
        if (strncmp(name, PREFIX, sizeof PREFIX - 1) != 0)
            continue;
        char correct[STUDY_NAME_MAX + 16], key[STUDY_NAME_MAX + 64], text[TEXT_MAX];
        snprintf(correct, sizeof correct, "softmax-%s", name + sizeof PREFIX - 1);
        const StudyResults *a = &studies[i], *b = find_study(studies, ns, correct);
        if (!b)
            continue;
        size_t ga[64], gb[64], n = 0;
        for (size_t g = 0; g < a->n_groups && n < 64; g++)
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
        double diff[64], spread[64];
        pair_stats(a, ga, b, gb, n, run_final, METRIC_TEST_ACC, diff, spread);
        compare_sentence(text, sizeof text, "the as-reported variant", "the correct model", diff,
                         spread, n);
        values_set(v,
                   (snprintf(key, sizeof key, "cmp:reported-correct:%s",
                             name + sizeof PREFIX - 1),
                    key),
                   "%s", text);
    }
}

/* How close the original is, over a family of studies. */
static void original_values(const StudyResults *studies, size_t ns, const Reference *ref,
                            Values *v)
{
    static const char *const FAMILIES[] = {"softmax-correct", "softmax-reported", "mlp"};
    for (int fam = 0; fam < 3; fam++) {
        size_t rows = 0, within = 0;
        double sum = 0;
        for (size_t i = 0; i < ns; i++) {
            const StudyResults *s = &studies[i];
            const RunConfig *c = &s->runs[0].config;
            int f = c->model == MODEL_MLP ? 2 : c->as_reported ? 1 : 0;
            if (f != fam)
                continue;
            for (size_t g = 0; g < s->n_groups; g++) {
                RefCmp r = group_ref(s, g, ref);
                if (!r.row || isnan(r.diff))
                    continue;
                rows++;
                within += (size_t)r.within;
                sum += fabs(r.diff);
            }
        }
        if (!rows)
            continue;
        char key[64];
        values_set(v, (snprintf(key, sizeof key, "orig:%s:within", FAMILIES[fam]), key),
                   "%zu of %zu", within, rows);
        values_set(v, (snprintf(key, sizeof key, "orig:%s:rows", FAMILIES[fam]), key), "%zu",
                   rows);
        values_set(v, (snprintf(key, sizeof key, "orig:%s:mean_abs_diff", FAMILIES[fam]), key),
                   "%.2f", sum / (double)rows);
    }
}

static void overall_values(const StudyResults *studies, size_t ns, Values *v, Values *t)
{
    size_t runs = 0, diverged = 0, shared = 0, smin = SIZE_MAX, smax = 0;
    double total = 0;
    int timed = 1;
    Buf d = {0};
    for (size_t i = 0; i < ns; i++) {
        const StudyResults *s = &studies[i];
        smin = s->n_seeds < smin ? s->n_seeds : smin;
        smax = s->n_seeds > smax ? s->n_seeds : smax;
        for (size_t r = 0; r < s->n_runs; r++) {
            runs++;
            timed &= !isnan(s->runs[r].wall_seconds);
            /* a shared training is counted once, with the run it was trained for */
            if (s->runs[r].trained_with[0])
                shared++;
            else
                total += s->runs[r].wall_seconds;
            diverged += s->runs[r].status == RUN_DIVERGED;
        }
        /* by setting, in words: "the learning-rate study ... at learning rate
         * = 0.1 (seeds 2, 3 and 5)" */
        for (size_t g = 0; g < s->n_groups; g++) {
            size_t k = group_diverged(s, g), j = 0;
            if (!k)
                continue;
            char label[RUN_NAME_MAX];
            study_group_label(s, g, label);
            buf_printf(&d, "%s%s%s%s (seed%s ", d.p && d.p[0] ? "; " : "",
                       experiment_title(s->exp), s->n_groups > 1 ? ", " : "",
                       s->n_groups > 1 ? label : "", k > 1 ? "s" : "");
            for (size_t q = 0; q < s->n_seeds; q++) {
                const RunResult *x = &s->runs[g * s->n_seeds + q];
                if (x->status != RUN_DIVERGED)
                    continue;
                j++;
                buf_printf(&d, "%s%llu", j == 1 ? "" : j == k ? " and " : ", ",
                           (unsigned long long)x->config.seed);
            }
            buf_printf(&d, ")");
        }
    }
    values_set(v, "runs:total", "%zu", runs);
    values_set(v, "runs:trainings", "%zu", runs - shared);
    values_set(v, "runs:diverged", "%zu", diverged);
    if (diverged == 0)
        values_set(v, "runs:diverged_sentence", "no run diverged");
    else
        values_set(v, "runs:diverged_sentence", "%zu of %zu runs diverged: %s", diverged, runs,
                   d.failed ? "" : d.p);
    free(d.p);
    if (smin == smax)
        values_set(v, "seeds:count", "%zu", smin);
    else
        values_set(v, "seeds:count", "%zu to %zu", smin, smax);
    char a[64];
    fmt_duration(a, sizeof a, timed ? total : NAN);
    values_set(t, "time:all:total", "%s", a);
    const char *ds = studies[0].runs[0].dataset;
    values_set(v, "dataset:name", "%s",
               strcmp(ds, "mnist") == 0     ? "MNIST"
               : strcmp(ds, "fashion") == 0 ? "Fashion-MNIST"
                                            : ds);
    values_set(v, "dataset:id", "%s", ds);
    values_set(v, "dataset:sha256", "%.16s", studies[0].runs[0].data_sha256);
}

int tabulate(const StudyResults *studies, size_t n, const Reference *ref, Values *vals,
             Values *timing, char **tables, char *err)
{
    if (n == 0)
        return err_set(err, "tabulate: no studies");
    /* every run must come from the same data */
    const RunResult *first = &studies[0].runs[0];
    for (size_t i = 0; i < n; i++)
        for (size_t r = 0; r < studies[i].n_runs; r++) {
            const RunResult *x = &studies[i].runs[r];
            if (strcmp(x->data_sha256, first->data_sha256) != 0 ||
                strcmp(x->dataset, first->dataset) != 0)
                return err_set(err, "'%s/summary.json': dataset or data_sha256 differs from '%s'",
                               x->path, first->path);
        }
    for (size_t i = 0; i < n; i++) {
        tables[i] = NULL;
        study_values(&studies[i], ref, vals, timing);
        Buf md = {0};
        table_markdown(&studies[i], ref, &md);
        if (md.failed) {
            free(md.p);
            for (size_t k = 0; k < i; k++)
                free(tables[k]);
            return err_set(err, "tabulate: out of memory");
        }
        tables[i] = md.p;
    }
    pairing_values(studies, n, vals, timing);
    reported_values(studies, n, vals);
    if (ref)
        original_values(studies, n, ref, vals);
    overall_values(studies, n, vals, timing);
    if (vals->err[0] || timing->err[0]) {
        for (size_t k = 0; k < n; k++) {
            free(tables[k]);
            tables[k] = NULL;
        }
        return err_set(err, "%s", vals->err[0] ? vals->err : timing->err);
    }
    return 0;
}

/* ---- the command ---------------------------------------------------------- */

static int write_text(const char *path, const char *text, char *err)
{
    return atomic_write(path, text, strlen(text), err);
}

static int write_tsv(const char *path, const Values *v, char *err)
{
    AtomicFile a;
    if (atomic_open(&a, path, err) != 0)
        return -1;
    if (values_write_tsv(v, a.f) != 0) {
        atomic_abort(&a);
        return err_set(err, "'%s': write error", path);
    }
    return atomic_commit(&a, err);
}

static int write_json(const char *path, const Values *v, char *err)
{
    json_t *obj = json_object();
    int rc = obj ? 0 : -1;
    for (size_t i = 0; i < v->n && rc == 0; i++)
        rc = json_object_set_new(obj, v->key[i], json_string(v->text[i]));
    if (rc == 0)
        rc = atomic_write_json(path, obj, JSON_SORT_KEYS | JSON_INDENT(1), err);
    else
        err_set(err, "'%s': cannot encode the values", path);
    json_decref(obj);
    return rc;
}

static void tabulate_usage(FILE *f)
{
    fprintf(f, "usage: repro tabulate --results DIR --out DIR/values.json [--experiments DIR]\n"
               "                      [--reference CSV]\n"
               "\n"
               "Writes the report's tables and cited values from the results under DIR\n"
               "(results/<dataset>) for every study of --experiments (default experiments):\n"
               "values.json, values.tsv, values-timing.tsv, tables/<study>.md and\n"
               "tables/headline.md (the answers' table) beside --out.\n"
               "--reference: the original's figures (report/original-report.csv), compared\n"
               "where a study has the same setting.\n");
}

int cmd_tabulate(int argc, char **argv)
{
    const char *results = NULL, *out = NULL, *exps = "experiments", *refpath = NULL;
    for (int i = 1; i < argc; i++) {
        const char **slot = NULL;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            tabulate_usage(stdout);
            return 0;
        } else if (strcmp(argv[i], "--results") == 0) {
            slot = &results;
        } else if (strcmp(argv[i], "--out") == 0) {
            slot = &out;
        } else if (strcmp(argv[i], "--experiments") == 0) {
            slot = &exps;
        } else if (strcmp(argv[i], "--reference") == 0) {
            slot = &refpath;
        } else {
            fprintf(stderr, "repro tabulate: unknown option '%s' (see repro tabulate --help)\n",
                    argv[i]);
            return 2;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "repro tabulate: '%s' needs a value\n", argv[i]);
            return 2;
        }
        *slot = argv[++i];
    }
    if (!results || !out) {
        fprintf(stderr,
                "repro tabulate: --results and --out are required (see repro tabulate --help)\n");
        return 2;
    }
    char err[ERR_MAX] = "", dir[4096];
    const char *slash = strrchr(out, '/');
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - out) : 1, slash ? out : ".");

    Reference ref;
    int have_ref = 0, rc = 1;
    char **paths = NULL;
    size_t n = 0, loaded = 0;
    Experiment **exp = NULL;
    StudyResults *studies = NULL;
    char **tables = NULL, *headline = NULL;
    Values vals = {0}, timing = {0};
    if (refpath) {
        if (reference_load(&ref, refpath, err) != 0)
            goto out;
        have_ref = 1;
    }
    if (results_list_experiments(exps, NULL, &paths, &n, err) != 0)
        goto out;
    exp = calloc(n, sizeof *exp);
    studies = calloc(n, sizeof *studies);
    tables = calloc(n, sizeof *tables);
    if (!exp || !studies || !tables) {
        err_set(err, "out of memory");
        goto out;
    }
    for (; loaded < n; loaded++) {
        if (!(exp[loaded] = experiment_load(paths[loaded], err)))
            goto out;
        if (study_results_load(&studies[loaded], results, exp[loaded], 0, err) != 0) {
            experiment_free(exp[loaded]);
            goto out;
        }
    }
    if (tabulate(studies, n, have_ref ? &ref : NULL, &vals, &timing, tables, err) != 0)
        goto out;
    if (answers(studies, n, &vals, &timing, &headline, err) != 0)
        goto out;
    /* every number of the original against our runs: DIR/fidelity.csv */
    if (have_ref && fidelity_write(dir, refpath, studies, n, &vals, err) != 0)
        goto out;
    if (have_ref)
        values_set(&vals, "reference:note", "The original's figures are read from %s", refpath);
    else
        values_set(&vals, "reference:note",
                   "The original's figures were not given to this build, so the tables have no "
                   "comparison columns");
    char tdir[4200], path[4400];
    snprintf(tdir, sizeof tdir, "%s/tables", dir);
    if (vals.err[0]) {
        err_set(err, "%s", vals.err);
        goto out;
    }
    if (make_dirs(tdir, err) != 0)
        goto out;
    for (size_t i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/%s.md", tdir, experiment_study(exp[i]));
        if (write_text(path, tables[i], err) != 0)
            goto out;
    }
    snprintf(path, sizeof path, "%s/headline.md", tdir);
    if (write_text(path, headline, err) != 0)
        goto out;
    snprintf(path, sizeof path, "%s/values-timing.tsv", dir);
    if (write_tsv(path, &timing, err) != 0)
        goto out;
    snprintf(path, sizeof path, "%s/values.tsv", dir);
    if (write_tsv(path, &vals, err) != 0)
        goto out;
    if (write_json(out, &vals, err) != 0)
        goto out;
    rc = 0;
out:
    if (rc != 0)
        fprintf(stderr, "repro tabulate: %s\n", err);
    for (size_t i = 0; i < loaded; i++) {
        study_results_release(&studies[i]);
        experiment_free(exp[i]);
    }
    for (size_t i = 0; tables && i < n; i++)
        free(tables[i]);
    free(tables);
    free(headline);
    free(studies);
    free(exp);
    results_free_list(paths, n);
    values_release(&vals);
    values_release(&timing);
    if (have_ref)
        reference_release(&ref);
    return rc;
}
