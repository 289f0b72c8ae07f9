/* plot_iters.c - the minibatch curves (plot_iters.h). */
#include "report/plot_iters.h"

#include "report/plot_axes.h"
#include "report/plot_labels.h"
#include "report/plot_panels.h"
#include "report/plot_stats.h"
#include "report/plot_style.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Minibatches per epoch: the rows of epoch 1 of the run that has the most. */
static size_t iters_per_epoch(const StudyResults *s, size_t g)
{
    size_t best = 0;
    for (size_t k = 0; k < s->n_seeds; k++) {
        const RunResult *r = study_run(s, g, k);
        size_t n = 0;
        while (n < r->n_iters && r->iters[n].epoch == 1)
            n++;
        best = n > best ? n : best;
    }
    return best ? best : 1;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

void plot_iter_curves_free(IterCurves *c)
{
    free(c->x);
    free(c->rx);
    free(c->ex);
    for (int k = 0; k < 2; k++) {
        free(c->rv[k]);
        for (int t = 0; t < 3; t++) {
            free(c->m[k][t]);
            free(c->em[k][t]);
        }
    }
    memset(c, 0, sizeof *c);
}

/* Room for n minibatch rows and ne epoch rows in c; 0 when out of memory. */
static int iter_alloc(IterCurves *c, size_t n, size_t ne)
{
    c->x = calloc(n + 1, sizeof *c->x);
    c->rx = calloc(n + 1, sizeof *c->rx);
    c->ex = calloc(ne + 1, sizeof *c->ex);
    int ok = c->x && c->rx && c->ex;
    for (int k = 0; k < 2 && ok; k++) {
        c->rv[k] = calloc(n + 1, sizeof *c->rv[k]);
        ok = ok && c->rv[k];
        for (int t = 0; t < 3 && ok; t++) {
            c->m[k][t] = calloc(n + 1, sizeof *c->m[k][t]);
            c->em[k][t] = calloc(ne + 1, sizeof *c->em[k][t]);
            ok = c->m[k][t] && c->em[k][t];
        }
    }
    return ok;
}

/* The moving averages' block from ma[(k * 2 + metric) * (n + 1) + i] (seed
 * k's average over its first fin[k] minibatches): mean and sd over the seeds
 * that reached each minibatch, written every stride-th row (the average
 * changes little within a quarter window). */
static void write_averages(Job *j, const StudyResults *s, const size_t *fin, size_t n, size_t per,
                           size_t half, const double *ma, IterCurves *c)
{
    size_t stride = half / 4 ? half / 4 : 1;
    c->ma_block = plot_block_begin(j);
    for (size_t i = 0; i < n; i++) {
        if (i % stride != 0 && i + 1 != n)
            continue;
        double x = (double)(i + 1) / (double)per, v[CURVES_MAX];
        buf_printf(&j->data, "%.6g", x);
        c->x[c->n_ma] = x;
        for (int mk = 0; mk < 2; mk++) {
            size_t m = 0;
            double mean, sd;
            for (size_t k = 0; k < s->n_seeds; k++)
                if (i < fin[k])
                    v[m++] = ma[(k * 2 + (size_t)mk) * (n + 1) + i];
            mean_sd(v, m, &mean, &sd);
            buf_printf(&j->data, " %.6g %.6g %.6g", mean, mean - sd, mean + sd);
            c->m[mk][0][c->n_ma] = mean;
            c->m[mk][1][c->n_ma] = mean - sd;
            c->m[mk][2][c->n_ma] = mean + sd;
        }
        buf_printf(&j->data, "\n");
        c->n_ma++;
    }
    plot_block_end(j);
}

/* The raw values' block of the drawn seed, and their 1st and 99th
 * percentiles; tmp has room for them. */
static void write_raw(Job *j, const StudyResults *s, size_t g, const size_t *fin, size_t per,
                      size_t max_raw, double *tmp, IterCurves *c)
{
    size_t seed = study_plot_seed(s);
    const RunResult *r = study_run(s, g, seed);
    /* every k-th value, k such that a panel gets at most max_raw: more lines
     * than pixels would merge into a block of colour */
    size_t k = fin[seed] > max_raw ? (fin[seed] + max_raw - 1) / max_raw : 1;
    c->n_raw = 0;
    c->raw_block = plot_block_begin(j);
    for (size_t i = 0; i < fin[seed]; i += k) {
        size_t q = c->n_raw++;
        c->rx[q] = (double)r->iters[i].iteration / (double)per;
        c->rv[0][q] = r->iters[i].loss;
        c->rv[1][q] = 100.0 * r->iters[i].acc;
        buf_printf(&j->data, "%.6g %.6g %.6g\n", c->rx[q], c->rv[0][q], c->rv[1][q]);
    }
    plot_block_end(j);
    for (int mk = 0; mk < 2; mk++) {
        memcpy(tmp, c->rv[mk], c->n_raw * sizeof *tmp);
        qsort(tmp, c->n_raw, sizeof *tmp, cmp_double);
        c->lo_q[mk] = c->n_raw ? tmp[(size_t)(0.01 * (double)(c->n_raw - 1))] : NAN;
        c->hi_q[mk] = c->n_raw ? tmp[(size_t)(0.99 * (double)(c->n_raw - 1))] : NAN;
    }
}

/* The whole training set after each of ne epochs: mean and sd of loss and
 * accuracy. */
static void write_epoch_points(Job *j, const StudyResults *s, size_t g, size_t ne, IterCurves *c)
{
    Metric em[2] = {METRIC_FULL_TRAIN_LOSS, METRIC_FULL_TRAIN_ACC};
    c->ep_block = plot_block_begin(j);
    for (size_t e = 1; e <= ne; e++) {
        double mean[2], sd[2];
        if (plot_epoch_stat(s, g, em[0], e, &mean[0], &sd[0]) == 0)
            continue;
        plot_epoch_stat(s, g, em[1], e, &mean[1], &sd[1]);
        mean[1] *= 100.0;
        sd[1] *= 100.0;
        buf_printf(&j->data, "%zu %.6g %.6g %.6g %.6g\n", e, mean[0], sd[0], mean[1], sd[1]);
        c->ex[c->n_ep] = (double)e;
        for (int mk = 0; mk < 2; mk++) {
            c->em[mk][0][c->n_ep] = mean[mk];
            c->em[mk][1][c->n_ep] = mean[mk] - sd[mk];
            c->em[mk][2][c->n_ep] = mean[mk] + sd[mk];
        }
        c->n_ep++;
    }
    plot_block_end(j);
}

int plot_iter_curves(Job *j, const StudyResults *s, size_t g, size_t max_raw, IterCurves *c)
{
    memset(c, 0, sizeof *c);
    size_t per = iters_per_epoch(s, g), n = 0;
    size_t half = (size_t)floor(0.5 * PLOT_SMOOTH_EPOCHS * (double)per + 0.5);
    c->window = 2 * half + 1;
    size_t fin[CURVES_MAX];
    for (size_t k = 0; k < s->n_seeds; k++) {
        fin[k] = run_result_finite_iters(study_run(s, g, k));
        n = fin[k] > n ? fin[k] : n;
    }
    size_t ne = plot_group_epochs(s, g);
    /* ma[k][metric][i]: seed k's moving average */
    double *ma = calloc(s->n_seeds * 2 * (n + 1), sizeof *ma), *tmp = calloc(n + 1, sizeof *tmp);
    if (!(ma && tmp && iter_alloc(c, n, ne))) {
        free(ma);
        free(tmp);
        plot_iter_curves_free(c);
        j->failed = 1;
        return -1;
    }
    for (size_t k = 0; k < s->n_seeds; k++) {
        const RunResult *r = study_run(s, g, k);
        for (int mk = 0; mk < 2; mk++) {
            for (size_t i = 0; i < fin[k]; i++)
                tmp[i] = mk ? 100.0 * r->iters[i].acc : r->iters[i].loss;
            plot_moving_average(tmp, fin[k], half, &ma[(k * 2 + (size_t)mk) * (n + 1)]);
        }
    }
    write_averages(j, s, fin, n, per, half, ma, c);
    write_raw(j, s, g, fin, per, max_raw, tmp, c);
    write_epoch_points(j, s, g, ne, c);
    free(ma);
    free(tmp);
    return 0;
}

void plot_iter_figure(Job *j, const PlotInput *in, int acc, const IterCurves *cs)
{
    const StudyResults *s = in->s;
    size_t rows, cols, ng = s->n_groups;
    plot_grid_for(ng, &rows, &cols);
    Figure *fg = plot_fig_new(j, s, acc ? "-iter-acc" : "-iter-loss", ng, rows, cols);
    if (!fg)
        return;
    size_t ne = 0;
    for (size_t g = 0; g < ng; g++)
        ne = plot_group_epochs(s, g) > ne ? plot_group_epochs(s, g) : ne;
    ne = ne ? ne : 1;
    plot_epoch_axis(fg, ne);
    fg->x0 = 0.0; /* the minibatches start at 0 epochs */
    fg->x1 = (double)ne + 0.02 * (double)ne;
    snprintf(fg->ylabel, sizeof fg->ylabel, "%s",
             acc ? "minibatch accuracy (%)" : "minibatch loss");
    fg->y_cap = acc ? 100.0 : INFINITY;
    int mk = acc ? 1 : 0;
    /* the raw traces fill the panels: with several, the legend goes above */
    fg->key_outside = ng > 1;
    char raw_label[TEXT_MAX];
    snprintf(raw_label, sizeof raw_label, "minibatches (seed %llu)",
             (unsigned long long)experiment_seed(s->exp, study_plot_seed(s)));
    static const char MA_LABEL[] = "moving average", EPOCH_LABEL[] = "whole training set";
    /* one panel: the legend shows its colour; several: neutral samples */
    int solo = ng == 1;
    for (size_t g = 0; g < ng; g++) {
        Panel *p = &fg->panel[g];
        const IterCurves *c = &cs[g];
        /* the setting's colour; the defaults (nothing swept): training's */
        char col[PLOT_COLOUR_MAX];
        if (plot_group_colour(s, g, ~0u, col) != 0)
            snprintf(col, sizeof col, "%s", plot_look(LOOK_TRAINING)->colour);
        if (!solo) {
            plot_group_text(s, g, ~0u, 0, p->title, sizeof p->title);
            plot_diverged_note(s, g, p->title, sizeof p->title);
        }
        plot_item_add(j, p, 0, solo ? raw_label : NULL,
                      "$d%zu using 1:%d with lines lw " LW_FAINT " lc rgb \"#" FAINT "%s\"",
                      c->raw_block, 2 + mk, col);
        plot_track_line(j, p, c->rx, c->rv[mk], c->n_raw, 0, 0);
        if (c->n_raw) {
            plot_track_point(j, p, c->rx[0], c->lo_q[mk]);
            plot_track_point(j, p, c->rx[0], c->hi_q[mk]);
        }
        plot_item_add(j, p, 0, NULL,
                      "$d%zu using 1:%d:%d with filledcurves " BAND " lc rgb \"#%s\"", c->ma_block,
                      3 + 3 * mk, 4 + 3 * mk, col);
        plot_item_add(j, p, 0, solo ? MA_LABEL : NULL,
                      "$d%zu using 1:%d with lines lw " LW " lc rgb \"#%s\"", c->ma_block,
                      2 + 3 * mk, col);
        plot_track_band(j, p, c->x, c->m[mk][1], c->m[mk][2], c->n_ma, 0);
        plot_item_add(j, p, 0, solo ? EPOCH_LABEL : NULL,
                      "$d%zu using 1:%d:%d with yerrorbars " PT_MEAN " lw 1.2 lc rgb \"#" INK "\"",
                      c->ep_block, 2 + 2 * mk, 3 + 2 * mk);
        plot_track_band(j, p, c->ex, c->em[mk][1], c->em[mk][2], c->n_ep, 0);
        if (solo)
            continue;
        plot_item_add(j, p, 1, raw_label,
                      "keyentry with lines lw " LW_FAINT " lc rgb \"#" FAINT INK "\"");
        plot_item_add(j, p, 1, MA_LABEL, "keyentry with lines lw " LW " lc rgb \"#" INK "\"");
        plot_item_add(j, p, 1, EPOCH_LABEL,
                      "keyentry with yerrorbars " PT_MEAN " lw 1.2 lc rgb \"#" INK "\"");
    }
}
