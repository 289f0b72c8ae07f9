/* plot_axes.c - x axes over a sweep or the epochs (plot_axes.h). */
#include "report/plot_axes.h"

#include "report/plot_stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Whether swept key j is drawn on a log axis: a log key whose values are all
 * positive. */
static int sweep_log(const StudyResults *s, size_t j)
{
    if (!plot_key_is_log(experiment_sweep_key(s->exp, j)))
        return 0;
    for (size_t v = 0; v < experiment_sweep_value_count(s->exp, j); v++) {
        const char *t = experiment_sweep_value(s->exp, j, v);
        if (!(strtod(t, NULL) > 0.0))
            return 0;
    }
    return 1;
}

/* x axis over swept key j: range with a margin, a tic at every value
 * (labelled as in the experiment file). */
void plot_sweep_axis(Job *j, Figure *fg, const StudyResults *s, size_t key)
{
    size_t nv = experiment_sweep_value_count(s->exp, key);
    double lo = INFINITY, hi = -INFINITY;
    size_t n = 0;
    fg->xlog = sweep_log(s, key);
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
             strcmp(k, "max_epoch") == 0 ? "number of epochs" : sweep_key_label(k));
}

/* x offset of series i of n at x (a fraction of the axis width), so that
 * error bars at the same setting do not overlap. */
double plot_offset_x(const Figure *fg, double x, size_t i, size_t n)
{
    double d = ((double)i - (double)(n - 1) / 2.0) * 0.03;
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
