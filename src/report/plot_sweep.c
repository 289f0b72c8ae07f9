/* plot_sweep.c - the dot plot of final accuracies (plot_sweep.h). */
#include "report/plot_sweep.h"

#include "report/plot_axes.h"
#include "report/plot_labels.h"
#include "report/plot_panels.h"
#include "report/plot_stats.h"
#include "report/plot_style.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHANCE 10.0 /* percent: ten classes */

typedef struct {
    const char *title;
    Metric metric;
    LookId look;
} Series;

/* Whether any run of s has a final validation accuracy (mlp; softmax with
 * a held-out split). */
static int has_validation(const StudyResults *s)
{
    for (size_t r = 0; r < s->n_runs; r++)
        if (isfinite(s->runs[r].final[METRIC_VAL_ACC]))
            return 1;
    return 0;
}

static size_t final_series(const StudyResults *s, Series *out)
{
    size_t n = 0;
    if (plot_is_softmax(s)) {
        out[n++] = (Series){"training set", METRIC_FULL_TRAIN_ACC, LOOK_TRAINING};
        if (has_validation(s))
            out[n++] = (Series){"validation", METRIC_VAL_ACC, LOOK_VALIDATION};
    } else {
        out[n++] = (Series){"training (epoch mean)", METRIC_TRAIN_ACC, LOOK_TRAINING};
        out[n++] = (Series){"validation", METRIC_VAL_ACC, LOOK_VALIDATION};
    }
    out[n++] = (Series){"test set", METRIC_TEST_ACC, LOOK_TEST};
    return n;
}


/* Draws the chance level when the data come within 30 points of it. */
static void chance_line(Job *j, Figure *fg, Panel *p, int horizontal)
{
    double lo = INFINITY;
    for (size_t i = 0; i < p->extent.n; i++)
        lo = fmin(lo, horizontal ? p->extent.p[i].y : p->extent.p[i].x);
    if (!(lo < CHANCE + 30.0))
        return;
    const Look *lk = plot_look(LOOK_CHANCE);
    if (horizontal) {
        plot_item_add(j, p, 0, "chance (10 %)", "%g with lines lw 1.2 %s lc rgb \"#%s\"", CHANCE,
                      lk->dash, lk->colour);
        double x[2] = {fg->x0, fg->x1}, y[2] = {CHANCE, CHANCE};
        plot_track_line(j, p, x, y, 2, fg->xlog, 1);
    } else {
        buf_printf(&p->labels,
                   "set arrow from first %g, graph 0 to first %g, graph 1 nohead lw 1.2 %s "
                   "lc rgb \"#%s\"\n",
                   CHANCE, CHANCE, lk->dash, lk->colour);
        plot_item_add(j, p, 1, "chance (10 %)", "keyentry with lines lw 1.2 %s lc rgb \"#%s\"",
                      lk->dash, lk->colour);
        plot_track_point(j, p, CHANCE, fg->fy0 + 0.5);
        for (int t = 0; t <= 16; t++)
            plot_pts_add(&p->cover, j, CHANCE, fg->fy0 + (fg->fy1 - fg->fy0) * t / 16.0);
    }
}

/* Settings where runs diverged: "3 of 5 runs" above the points of a mean of
 * fewer runs, "diverged" near the axis where no run has a value. */
static void sweep_notes(Job *j, Figure *fg, Panel *p, const StudyResults *s, int key, Metric m)
{
    double lo = INFINITY, hi = -INFINITY;
    for (size_t k = 0; k < p->extent.n; k++) {
        lo = fmin(lo, p->extent.p[k].y);
        hi = fmax(hi, p->extent.p[k].y);
    }
    double span = hi > lo ? hi - lo : 1.0;
    for (size_t g = 0; g < s->n_groups; g++) {
        double x = plot_sweep_number(s, g * s->n_seeds, (size_t)key), mean, sd, top = -INFINITY;
        size_t n;
        study_group_stats(s, g, m, &mean, &sd, &n);
        if (n == s->n_seeds)
            continue;
        char note[64];
        snprintf(note, sizeof note, n ? "%zu of %zu runs" : "diverged", n, s->n_seeds);
        double half = 0.5 * (double)strlen(note) * CHAR_PX / (WIDTH_PX - MARGIN_L - MARGIN_R);
        if (n == 0) {
            buf_printf(&p->labels,
                       "set label \"%s\" at first %.6g, graph 0.05 center tc rgb \"#" INK "\"\n",
                       note, x);
            for (int t = -4; t <= 4; t++)
                plot_pts_add(&p->cover_graph, j, plot_shift_x(fg, x, half * t / 4.0), 0.05);
            continue;
        }
        Series series[3];
        size_t ns = final_series(s, series);
        for (size_t k = 0; k < ns; k++) {
            double mk, sk;
            size_t nk;
            study_group_stats(s, g, series[k].metric, &mk, &sk, &nk);
            if (nk)
                top = fmax(top, 100.0 * (mk + sk));
        }
        double y = top + 0.07 * span;
        buf_printf(&p->labels,
                   "set label \"%s\" at first %.6g, first %.6g center tc rgb \"#" INK "\"\n", note,
                   x, y);
        plot_pts_add(&p->extent, j, x, y + 0.04 * span);
        for (int t = -4; t <= 4; t++)
            for (int u = -1; u <= 1; u++)
                plot_pts_add(&p->cover, j, plot_shift_x(fg, x, half * t / 4.0),
                             y + 0.035 * span * u);
    }
}

/* The original's marks from rows (freed); whether any. */
static int original_marks(Job *j, Panel *p, Buf *rows)
{
    size_t id = plot_block_from(j, rows);
    if (id == PLOT_NO_BLOCK)
        return 0;
    const Look *o = plot_look(LOOK_ORIGINAL);
    plot_item_add(j, p, 0, NULL, "$d%zu using 1:2 with points %s lc rgb \"#%s\"", id, o->mark,
                  o->colour);
    return 1;
}

static void original_key(Job *j, Panel *p)
{
    const Look *o = plot_look(LOOK_ORIGINAL);
    plot_item_add(j, p, 1, o->name, "keyentry with points %s lc rgb \"#%s\"", o->mark, o->colour);
}

/* Series si of n_series against numeric key key: one (nk 1) is a metric's,
 * else (one NULL) the test accuracy of the si-th setting of the other keys.
 * Returns whether it drew the original's marks. */
static int numeric_series(Job *j, const PlotInput *in, Figure *fg, int key, size_t si,
                          size_t n_series, const Series *one)
{
    const StudyResults *s = in->s;
    Panel *p = &fg->panel[0];
    size_t nk = experiment_sweep_count(s->exp);
    /* several keys: the accuracy a setting is chosen on, validation where there is one */
    int val = has_validation(s);
    Metric m = one ? one->metric : val ? METRIC_VAL_ACC : METRIC_TEST_ACC;
    const Look *lk = plot_look(one ? one->look : val ? LOOK_VALIDATION : LOOK_TEST);
    char col[PLOT_COLOUR_MAX];
    snprintf(col, sizeof col, "%s", lk->colour);
    char label[TEXT_MAX];
    size_t id = plot_block_begin(j), rows = 0, first = 0;
    double xs[CURVES_MAX], ys[CURVES_MAX], lo[CURVES_MAX], hi[CURVES_MAX];
    Buf refs = {0};
    for (size_t g = 0, seen = 0; g < s->n_groups; g++) {
        /* groups of this series: one key (all), else the si-th setting of the others */
        if (nk > 1) {
            size_t idx = 0;
            for (size_t k = 0; k < nk; k++)
                if (k != (size_t)key)
                    idx = idx * experiment_sweep_value_count(s->exp, k) + plot_value_index(s, g, k);
            if (idx != si)
                continue;
            if (seen++ == 0) {
                first = g;
                plot_group_colour(s, g, ~0u & ~(1u << key), col);
            }
        }
        double x =
            plot_offset_x(fg, plot_sweep_number(s, g * s->n_seeds, (size_t)key), si, n_series);
        double mean, sd;
        size_t n;
        study_group_stats(s, g, m, &mean, &sd, &n);
        if (n) {
            buf_printf(&j->data, "%.6g %.6g %.6g\n", x, 100.0 * mean, 100.0 * sd);
            xs[rows] = x;
            ys[rows] = 100.0 * mean;
            lo[rows] = 100.0 * (mean - sd);
            hi[rows] = 100.0 * (mean + sd);
            rows++;
        }
        double rv = plot_ref_value(plot_group_ref(in, s, g), m, plot_is_softmax(s));
        if (!isnan(rv)) {
            double xo = plot_shift_x(fg, x, PLOT_ORIGINAL_OFFSET);
            buf_printf(&refs, "%.6g %.6g\n", xo, rv);
            plot_track_point(j, p, xo, rv);
        }
    }
    plot_block_end(j);
    if (one)
        snprintf(label, sizeof label, "%s", one->title);
    else
        plot_group_text(s, first, ~0u & ~(1u << key), 1, label, sizeof label);
    plot_item_add(j, p, 0, NULL, "$d%zu using 1:2 with lines lw 1 lc rgb \"#" FAINT "%s\"", id,
                  col);
    plot_item_add(j, p, 0, label, "$d%zu using 1:2:3 with yerrorbars %s lw 1.4 lc rgb \"#%s\"", id,
                  one ? lk->mark : PT_MEAN, col);
    plot_track_band(j, p, xs, lo, hi, rows, fg->xlog);
    plot_track_line(j, p, xs, ys, rows, fg->xlog, 1);
    return original_marks(j, p, &refs);
}

/* One key, or a numeric key among others: accuracy against that key, one
 * series per metric (one key) or per setting of the other keys (test
 * accuracy). */
static void sweep_numeric(Job *j, const PlotInput *in, Figure *fg, int key)
{
    const StudyResults *s = in->s;
    Panel *p = &fg->panel[0];
    size_t nk = experiment_sweep_count(s->exp);
    plot_sweep_axis(j, fg, s, (size_t)key);
    snprintf(fg->ylabel, sizeof fg->ylabel, "%s",
             nk == 1                ? "final accuracy (%)"
             : has_validation(s) ? "validation accuracy (%)"
                                 : "test accuracy (%)");
    fg->y_cap = 100.0;
    Series series[3];
    size_t ns = nk == 1 ? final_series(s, series) : 0;
    /* the other keys' settings: one series each */
    size_t nv = experiment_sweep_value_count(s->exp, (size_t)key);
    size_t n_series = nk == 1 ? ns : s->n_groups / nv;
    int any_ref = 0;
    for (size_t si = 0; si < n_series; si++)
        any_ref |= numeric_series(j, in, fg, key, si, n_series, nk == 1 ? &series[si] : NULL);
    if (any_ref)
        original_key(j, p);
    chance_line(j, fg, p, 1);
    sweep_notes(j, fg, p, s, key,
                nk == 1 ? series[0].metric : has_validation(s) ? METRIC_VAL_ACC : METRIC_TEST_ACC);
}

static int cmp_x(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Moves the points of from with x above cut into to. */
static void split_pts(Job *j, Pts *from, Pts *to, double cut)
{
    size_t keep = 0;
    for (size_t k = 0; k < from->n; k++) {
        Pt q = from->p[k];
        if (q.x > cut)
            plot_pts_add(to, j, q.x, q.y);
        else
            from->p[keep++] = q;
    }
    from->n = keep;
}

/* Categories far apart (a network near chance, the others near 90 %): a
 * broken x axis, two panels side by side, each with a range of its own and a
 * width in proportion to it, so that neither group is squeezed into a few
 * millimetres. The second panel draws the same elements (gnuplot clips
 * each panel to its range); the chance line stays in the first. */
static void break_axis(Job *j, Figure *fg)
{
    Panel *p = &fg->panel[0], *q = &fg->panel[1];
    size_t n = p->extent.n, at = 0;
    if (n < 2)
        return;
    double *x = malloc(n * sizeof *x), gap = -1.0;
    if (!x) {
        j->failed = 1;
        return;
    }
    for (size_t k = 0; k < n; k++)
        x[k] = p->extent.p[k].x;
    qsort(x, n, sizeof *x, cmp_x);
    for (size_t k = 0; k + 1 < n; k++)
        if (x[k + 1] - x[k] > gap) {
            gap = x[k + 1] - x[k];
            at = k;
        }
    double span = x[n - 1] - x[0], lo_span = x[at] - x[0], hi_span = x[n - 1] - x[at + 1];
    double cut = 0.5 * (x[at] + x[at + 1]);
    free(x);
    /* only when one axis would squeeze both groups into a small part of it */
    if (!(gap > 0.7 * span && fmax(lo_span, hi_span) < 0.25 * span))
        return;
    q->items = malloc(p->n_items * sizeof *q->items);
    if (!q->items) {
        j->failed = 1;
        return;
    }
    memcpy(q->items, p->items, p->n_items * sizeof *q->items);
    q->n_items = q->cap_items = p->n_items;
    split_pts(j, &p->extent, &q->extent, cut);
    split_pts(j, &p->cover, &q->cover, cut);
    fg->n = 2;
    fg->cols = 2;
    fg->x_split = 1;
    /* widths: in proportion to the ranges, each at least a quarter */
    double f = lo_span + hi_span > 0.0 ? (lo_span + 2.0) / (lo_span + hi_span + 4.0) : 0.5;
    fg->col_frac[0] = fmin(0.6, fmax(0.25, f));
    fg->col_frac[1] = 1.0 - fg->col_frac[0];
    /* the break: short slanted strokes where the two x axes end */
    buf_printf(&p->labels, "set arrow from graph 0.985, graph -0.035 to graph 1.015, graph 0.035 "
                           "nohead lw 1.2 lc rgb \"#" INK "\"\n");
    buf_printf(&q->labels, "set arrow from graph -0.015, graph -0.035 to graph 0.015, graph 0.035 "
                           "nohead lw 1.2 lc rgb \"#" INK "\"\n");
}

/* No numeric key (the architectures): one line per setting, accuracy across. */
static void sweep_categories(Job *j, const PlotInput *in, Figure *fg)
{
    const StudyResults *s = in->s;
    Panel *p = &fg->panel[0];
    Series series[3];
    size_t ns = final_series(s, series), ng = s->n_groups;
    fg->x_auto = 1;
    fg->y_fixed = 1;
    fg->fy0 = 0.4;
    fg->fy1 = (double)ng + 0.6;
    snprintf(fg->xlabel, sizeof fg->xlabel, "final accuracy (%%)");
    size_t n = (size_t)snprintf(fg->ytics, sizeof fg->ytics, "(");
    size_t widest = 0;
    for (size_t g = 0; g < ng; g++) {
        char label[TEXT_MAX], q[TEXT_MAX + 8];
        plot_group_text(s, g, ~0u, 0, label, sizeof label);
        plot_diverged_note(s, g, label, sizeof label);
        widest = plot_text_chars(label) > widest ? plot_text_chars(label) : widest;
        if (plot_quote(q, sizeof q, label) < 0 || n + strlen(q) + 16 >= sizeof fg->ytics) {
            plot_job_fail(j, "plot: '%s': tic labels too long", experiment_study(s->exp));
            return;
        }
        n += (size_t)snprintf(fg->ytics + n, sizeof fg->ytics - n, "%s%s %zu", g ? ", " : "", q,
                              ng - g);
    }
    snprintf(fg->ytics + n, sizeof fg->ytics - n, ")");
    fg->left_px = 30.0 + 0.58 * FONT_PX * (double)widest; /* (Helvetica: wider than CHAR_PX) */
    int any_ref = 0;
    for (size_t si = 0; si < ns; si++) {
        size_t id = plot_block_begin(j);
        Buf refs = {0};
        for (size_t g = 0; g < ng; g++) {
            double y = (double)(ng - g) - ((double)si - (double)(ns - 1) / 2.0) * 0.2;
            double mean, sd;
            size_t k;
            study_group_stats(s, g, series[si].metric, &mean, &sd, &k);
            if (k) {
                buf_printf(&j->data, "%.6g %.6g %.6g\n", 100.0 * mean, y, 100.0 * sd);
                double xs[2] = {100.0 * (mean - sd), 100.0 * (mean + sd)}, ys[2] = {y, y};
                plot_track_line(j, p, xs, ys, 2, 0, 1);
            }
            double rv =
                plot_ref_value(plot_group_ref(in, s, g), series[si].metric, plot_is_softmax(s));
            if (!isnan(rv)) { /* just below its mean's line */
                buf_printf(&refs, "%.6g %.6g\n", rv, y - 0.09);
                plot_track_point(j, p, rv, y - 0.09);
            }
        }
        plot_block_end(j);
        const Look *lk = plot_look(series[si].look);
        plot_item_add(j, p, 0, series[si].title,
                      "$d%zu using 1:2:3 with xerrorbars %s lw 1.4 lc rgb \"#%s\"", id, lk->mark,
                      lk->colour);
        any_ref |= original_marks(j, p, &refs);
    }
    if (any_ref)
        original_key(j, p);
    chance_line(j, fg, p, 0);
    break_axis(j, fg);
}

void plot_sweep_figure(Job *j, const PlotInput *in)
{
    Figure *fg = plot_fig_new(j, in->s, "-sweep", 1, 1, 1);
    if (!fg)
        return;
    /* across: a key whose values spread over decades (a log axis: the
     * learning rate of softmax-tune rather than its λ from 0 to 0.1, which a
     * linear axis would crowd at 0), else the first numeric one; the other
     * keys' settings are the series */
    int key = plot_numeric_key(in->s);
    for (size_t k = 0; k < experiment_sweep_count(in->s->exp) && key >= 0; k++)
        if (plot_sweep_is_log(in->s, k)) {
            key = (int)k;
            break;
        }
    if (key >= 0)
        sweep_numeric(j, in, fg, key);
    else
        sweep_categories(j, in, fg);
}
