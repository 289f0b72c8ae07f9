/* plot_glance.c - the reproduction at a glance (plot_glance.h). */
#include "report/plot_glance.h"

#include "report/plot_axes.h"
#include "report/plot_epochs.h"
#include "report/plot_stats.h"
#include "report/plot_style.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int same_sweep(const StudyResults *a, const StudyResults *b)
{
    size_t nk = experiment_sweep_count(a->exp);
    if (nk != experiment_sweep_count(b->exp) || a->n_groups != b->n_groups)
        return 0;
    for (size_t g = 0; g < a->n_groups; g++)
        for (size_t k = 0; k < nk; k++)
            if (strcmp(experiment_sweep_key(a->exp, k), experiment_sweep_key(b->exp, k)) != 0 ||
                strcmp(experiment_run_sweep(a->exp, g * a->n_seeds, k),
                       experiment_run_sweep(b->exp, g * b->n_seeds, k)) != 0)
                return 0;
    return 1;
}

static const char *const NAMES[2] = {"correct gradient",
                                     "as reported (no \xce\xbbW in the gradient)"};
static const LookId LOOKS_OF[2] = {LOOK_CORRECT, LOOK_REPORTED};

/* The bands and mean lines of both (blocks ids[0..2)). */
static void both_curves(Job *j, Panel *p, const size_t *ids)
{
    for (int t = 0; t < 2; t++) {
        const Look *lk = plot_look(LOOKS_OF[t]);
        plot_item_add(j, p, 0, NULL, "$d%zu using 1:3:4 with filledcurves " BAND " lc rgb \"#%s\"",
                      ids[t], lk->colour);
        plot_item_add(j, p, 0, NAMES[t],
                      "$d%zu using 1:2 with linespoints %s lw " LW " lc rgb \"#%s\" %s", ids[t],
                      lk->mark, lk->colour, lk->dash);
    }
}

/* The original's figures from rows (freed), hollow. */
static void original_points(Job *j, Panel *p, Buf *rows, const char *title)
{
    size_t id = plot_block_from(j, rows);
    if (id == PLOT_NO_BLOCK)
        return;
    const Look *o = plot_look(LOOK_ORIGINAL);
    plot_item_add(j, p, 0, title, "$d%zu using 1:2 with points %s lc rgb \"#%s\"", id, o->mark,
                  o->colour);
}

/* Nothing swept: test accuracy per epoch of both, the original's final. */
static void glance_epochs(Job *j, const PlotInput *in, Figure *fg)
{
    const StudyResults *s = in->s, *both[2] = {in->s, in->twin};
    Panel *p = &fg->panel[0];
    size_t ne = plot_group_epochs(s, 0) > plot_group_epochs(in->twin, 0)
                    ? plot_group_epochs(s, 0)
                    : plot_group_epochs(in->twin, 0);
    plot_epoch_axis(fg, ne ? ne : 1);
    size_t ids[2];
    for (int t = 0; t < 2; t++) {
        Metric m = METRIC_TEST_ACC;
        ids[t] = plot_epoch_band(j, p, both[t], 0, &m, 1);
    }
    both_curves(j, p, ids);
    double rv = plot_ref_value(plot_group_ref(in, s, 0), METRIC_TEST_ACC, 1);
    if (!isnan(rv)) { /* beside the last epoch's means */
        Buf refs = {0};
        double x = plot_shift_x(fg, (double)study_run(s, 0, 0)->config.max_epoch,
                                PLOT_ORIGINAL_OFFSET);
        buf_printf(&refs, "%.6g %.6g\n", x, rv);
        plot_track_point(j, p, x, rv);
        original_points(j, p, &refs, "original write-up (final)");
    }
}

/* One block of st: swept value, mean, mean - sd, mean + sd of the final test
 * accuracy, the settings in order[]; tracked as a band in p. */
static size_t glance_band(Job *j, Figure *fg, Panel *p, const StudyResults *st, const size_t *order,
                          int key)
{
    double xs[CURVES_MAX], ys[CURVES_MAX], lo[CURVES_MAX], hi[CURVES_MAX];
    size_t rows = 0, id = plot_block_begin(j);
    for (size_t i = 0; i < st->n_groups; i++) {
        size_t g = order[i];
        double mean, sd;
        size_t n;
        study_group_stats(st, g, METRIC_TEST_ACC, &mean, &sd, &n);
        if (!n)
            continue;
        xs[rows] = plot_sweep_number(st, g * st->n_seeds, (size_t)key);
        ys[rows] = 100.0 * mean;
        lo[rows] = 100.0 * (mean - sd);
        hi[rows] = 100.0 * (mean + sd);
        buf_printf(&j->data, "%.6g %.6g %.6g %.6g\n", xs[rows], ys[rows], lo[rows], hi[rows]);
        rows++;
    }
    plot_block_end(j);
    plot_track_band(j, p, xs, lo, hi, rows, fg->xlog);
    plot_track_line(j, p, xs, ys, rows, fg->xlog, 1);
    return id;
}

/* One numeric key swept: final test accuracy of both against it. */
static void glance_sweep(Job *j, const PlotInput *in, Figure *fg, int key)
{
    const StudyResults *s = in->s, *both[2] = {in->s, in->twin};
    Panel *p = &fg->panel[0];
    plot_sweep_axis(j, fg, s, (size_t)key);
    snprintf(fg->ylabel, sizeof fg->ylabel, "test accuracy (%%)");
    fg->y_cap = 100.0;
    /* settings in the order of their values, for the bands */
    size_t order[CURVES_MAX];
    for (size_t g = 0; g < s->n_groups; g++)
        order[g] = g;
    for (size_t a = 1; a < s->n_groups; a++)
        for (size_t b = a; b > 0 && plot_sweep_number(s, order[b - 1] * s->n_seeds, (size_t)key) >
                                        plot_sweep_number(s, order[b] * s->n_seeds, (size_t)key);
             b--) {
            size_t t = order[b];
            order[b] = order[b - 1];
            order[b - 1] = t;
        }
    size_t ids[2];
    for (int t = 0; t < 2; t++)
        ids[t] = glance_band(j, fg, p, both[t], order, key);
    both_curves(j, p, ids);
    Buf refs = {0};
    for (size_t g = 0; g < s->n_groups; g++) {
        double rv = plot_ref_value(plot_group_ref(in, s, g), METRIC_TEST_ACC, 1);
        if (isnan(rv))
            continue;
        double x = plot_shift_x(fg, plot_sweep_number(s, g * s->n_seeds, (size_t)key),
                                PLOT_ORIGINAL_OFFSET);
        buf_printf(&refs, "%.6g %.6g\n", x, rv);
        plot_track_point(j, p, x, rv);
    }
    original_points(j, p, &refs, plot_look(LOOK_ORIGINAL)->name);
}

void plot_glance_figure(Job *j, const PlotInput *in)
{
    const StudyResults *s = in->s;
    if (!same_sweep(s, in->twin)) {
        plot_job_fail(j, "plot: '%s': its as-reported twin sweeps other settings",
                      experiment_study(s->exp));
        return;
    }
    Figure *fg = plot_fig_new(j, s, "-glance", 1, 1, 1);
    if (!fg)
        return;
    size_t nk = experiment_sweep_count(s->exp);
    snprintf(fg->ylabel, sizeof fg->ylabel, "test accuracy (%%)");
    fg->y_cap = 100.0;
    if (nk == 0) {
        glance_epochs(j, in, fg);
        return;
    }
    int key = plot_numeric_key(s);
    if (nk != 1 || key < 0) {
        plot_job_fail(j, "plot: '%s': a glance figure needs one numeric swept key",
                      experiment_study(s->exp));
        return;
    }
    glance_sweep(j, in, fg, key);
}
