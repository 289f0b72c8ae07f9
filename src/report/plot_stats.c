/* plot_stats.c - the numbers behind the curves (plot_stats.h). */
#include "report/plot_stats.h"

#include "report/plot_model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int plot_key_is_log(const char *key)
{
    return strcmp(key, "learning_rate") == 0 || strcmp(key, "weight_decay") == 0 ||
           strcmp(key, "batch_size") == 0;
}

int plot_key_is_numeric(const char *key)
{
    return plot_key_is_log(key) || strcmp(key, "lambda") == 0 || strcmp(key, "max_epoch") == 0;
}

void plot_moving_average(const double *v, size_t n, size_t half, double *out)
{
    /* a running sum over the window [lo, hi), moved one value at a time */
    double sum = 0.0;
    size_t lo = 0, hi = 0;
    for (size_t i = 0; i < n; i++) {
        size_t want_lo = i > half ? i - half : 0;
        size_t want_hi = i + half + 1 < n ? i + half + 1 : n;
        while (hi < want_hi)
            sum += v[hi++];
        while (lo < want_lo)
            sum -= v[lo++];
        out[i] = sum / (double)(hi - lo);
    }
}

size_t plot_epoch_stat(const StudyResults *s, size_t g, Metric m, size_t epoch, double *mean,
                       double *sd)
{
    double v[CURVES_MAX];
    size_t n = 0;
    for (size_t k = 0; k < s->n_seeds && k < CURVES_MAX; k++) {
        const RunResult *r = study_run(s, g, k);
        if (epoch >= 1 && epoch <= r->n_epochs && isfinite(r->epochs[epoch - 1].m[m]))
            v[n++] = r->epochs[epoch - 1].m[m];
    }
    mean_sd(v, n, mean, sd);
    return n;
}

size_t plot_group_epochs(const StudyResults *s, size_t g)
{
    size_t n = 0;
    for (size_t k = 0; k < s->n_seeds; k++)
        if (study_run(s, g, k)->n_epochs > n)
            n = study_run(s, g, k)->n_epochs;
    return n;
}

int plot_is_softmax(const StudyResults *s)
{
    return experiment_model(s->exp) == MODEL_SOFTMAX;
}

double plot_scale_of(Metric m)
{
    return metric_is_acc(m) ? 100.0 : 1.0;
}

/* Run run's value of swept key j as a number (NAN if it is not one). */
double plot_sweep_number(const StudyResults *s, size_t run, size_t j)
{
    const char *t = experiment_run_sweep(s->exp, run, j);
    char *end;
    double v = strtod(t, &end);
    return end == t || *end ? NAN : v;
}

size_t plot_value_index(const StudyResults *s, size_t g, size_t j)
{
    const char *v = experiment_run_sweep(s->exp, g * s->n_seeds, j);
    for (size_t i = 0; i < experiment_sweep_value_count(s->exp, j); i++)
        if (strcmp(experiment_sweep_value(s->exp, j, i), v) == 0)
            return i;
    return 0;
}

const RefRow *plot_group_ref(const PlotInput *in, const StudyResults *s, size_t g)
{
    char buf[STUDY_NAME_MAX + 16];
    const char *table =
        studies_table(in->studies, in->ref, experiment_study(s->exp), buf, sizeof buf);
    return reference_match(in->ref, table, &study_run(s, g, 0)->config);
}

/* The original's value of metric m (percent), NAN if it has none: the
 * softmax tables' training accuracy is a last minibatch's, not comparable
 * with the whole training set's. */
double plot_ref_value(const RefRow *r, Metric m, int softmax)
{
    if (!r)
        return NAN;
    switch (m) {
    case METRIC_TEST_ACC:
        return r->test_acc;
    case METRIC_VAL_ACC:
        return r->val_acc;
    case METRIC_TRAIN_ACC:
        return softmax ? NAN : r->train_acc;
    case METRIC_TRAIN_LOSS:
    case METRIC_FULL_TRAIN_LOSS:
    case METRIC_FULL_TRAIN_ACC:
    case METRIC_VAL_LOSS:
    case METRIC_TEST_LOSS:
    case METRIC_LAST_BATCH_LOSS:
    case METRIC_LAST_BATCH_ACC:
    case METRIC_WEIGHT_NORM_1:
    case METRIC_WEIGHT_NORM_2:
    case METRIC_WEIGHT_NORM_3:
    case METRIC_COUNT:
        return NAN;
    }
    return NAN;
}

/* The first swept key with numbers for values, or -1. */
int plot_numeric_key(const StudyResults *s)
{
    for (size_t k = 0; k < experiment_sweep_count(s->exp); k++)
        if (plot_key_is_numeric(experiment_sweep_key(s->exp, k)))
            return (int)k;
    return -1;
}
