/* plot_axes.c - x axes over a sweep or the epochs (plot_axes.h). */
#include "report/plot_axes.h"

#include "display.h"
#include "report/plot_stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The coefficient of variation of the gaps between sorted values v[0..n). */
static double gap_spread(const double *v, size_t n)
{
    double sum = 0.0, sq = 0.0;
    for (size_t i = 1; i < n; i++)
        sum += v[i] - v[i - 1];
    double mean = sum / (double)(n - 1);
    for (size_t i = 1; i < n; i++)
        sq += (v[i] - v[i - 1] - mean) * (v[i] - v[i - 1] - mean);
    return mean > 0.0 ? sqrt(sq / (double)(n - 1)) / mean : INFINITY;
}

static int cmp_num(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Whether swept key j is drawn on a log axis: where its values are, that
 * is when all are positive, span a factor of 5 or more, and lie more evenly
 * on a log scale than on a linear one (the learning rates 0.001 to 1, the
 * numbers of epochs 2, 5, 20; never a sweep with a zero, such as λ). */
int plot_sweep_is_log(const StudyResults *s, size_t j)
{
    size_t n = experiment_sweep_value_count(s->exp, j);
    double v[CURVES_MAX], lv[CURVES_MAX];
    if (n < 2 || n > CURVES_MAX || !plot_key_is_numeric(experiment_sweep_key(s->exp, j)))
        return 0;
    for (size_t i = 0; i < n; i++) {
        v[i] = strtod(experiment_sweep_value(s->exp, j, i), NULL);
        if (!(v[i] > 0.0))
            return 0;
    }
    qsort(v, n, sizeof *v, cmp_num);
    if (v[n - 1] < 5.0 * v[0])
        return 0;
    for (size_t i = 0; i < n; i++)
        lv[i] = log(v[i]);
    return n == 2 || gap_spread(lv, n) <= gap_spread(v, n);
}

/* x axis over swept key j: range with a margin, a tic at every value
 * (labelled as in the experiment file). */
void plot_sweep_axis(Job *j, Figure *fg, const StudyResults *s, size_t key)
{
    size_t nv = experiment_sweep_value_count(s->exp, key);
    double lo = INFINITY, hi = -INFINITY;
    size_t n = 0;
    fg->xlog = plot_sweep_is_log(s, key);
    n += (size_t)snprintf(fg->xtics, sizeof fg->xtics, "(");
    for (size_t v = 0; v < nv; v++) {
        const char *t = experiment_sweep_value(s->exp, key, v);
        double x = strtod(t, NULL);
        char q[TEXT_MAX];
        if (plot_quote(q, sizeof q, t) < 0 || n >= sizeof fg->xtics) {
            plot_job_fail(j, "plot: '%s': tic labels too long", experiment_study(s->exp));
            return;
        }
        n +=
            (size_t)snprintf(fg->xtics + n, sizeof fg->xtics - n, "%s%s %.9g", v ? ", " : "", q, x);
        lo = fmin(lo, x);
        hi = fmax(hi, x);
    }
    if (n + 2 >= sizeof fg->xtics) {
        plot_job_fail(j, "plot: '%s': tic labels too long", experiment_study(s->exp));
        return;
    }
    strcat(fg->xtics, ")");
    if (fg->xlog) {
        double f = pow(hi / lo, 0.07);
        fg->x0 = lo / f;
        fg->x1 = hi * f;
    } else {
        double pad = 0.07 * (hi - lo);
        fg->x0 = lo - pad;
        fg->x1 = hi + pad;
    }
    const char *k = experiment_sweep_key(s->exp, key);
    snprintf(fg->xlabel, sizeof fg->xlabel, "%s",
             strcmp(k, "max_epoch") == 0 ? "number of epochs" : display_key(k));
}

/* x offset of series i of n at x (a fraction of the axis width), so that
 * error bars at the same setting do not overlap. */
double plot_offset_x(const Figure *fg, double x, size_t i, size_t n)
{
    /* 0.03 apart (room for the original's mark beside each), all of them
     * within 0.08 of the axis around x */
    double step = n > 1 ? fmin(0.03, 0.08 / (double)(n - 1)) : 0.0;
    double d = ((double)i - (double)(n - 1) / 2.0) * step;
    if (fg->xlog)
        return x * pow(fg->x1 / fg->x0, d);
    return x + d * (fg->x1 - fg->x0);
}

void plot_epoch_axis(Figure *fg, size_t epochs)
{
    double pad = epochs > 1 ? 0.03 * (double)(epochs - 1) : 0.5;
    fg->x0 = 1.0 - pad;
    fg->x1 = (double)epochs + pad;
    fg->xtic_epochs = epochs;
    snprintf(fg->xlabel, sizeof fg->xlabel, "epoch");
}

/* x moved by frac of the axis width. */
double plot_shift_x(const Figure *fg, double x, double frac)
{
    return fg->xlog ? x * pow(fg->x1 / fg->x0, frac) : x + frac * (fg->x1 - fg->x0);
}
