/* plot_iters.h - <study>-iter-loss and <study>-iter-acc (softmax): each
 * minibatch's loss and accuracy against the epoch (fractional); a centred
 * moving average over PLOT_SMOOTH_EPOCHS of an epoch (mean ± sd over seeds)
 * over the raw values of one seed (faint, thinned to max_raw a panel), and
 * the whole training set after each epoch as markers (mean ± sd). */
#ifndef REPORT_PLOT_ITERS_H
#define REPORT_PLOT_ITERS_H

#include "report/plot_model.h"

/* The blocks of one setting's minibatch curves, shared by the loss and the
 * accuracy figure: the moving averages (mean, -sd, +sd of loss, then of
 * accuracy), the raw values of the drawn seed, and the whole training set
 * after each epoch. Keeps the numbers for the ranges and the legend. */
typedef struct {
    size_t ma_block, raw_block, ep_block;
    size_t n_ma;         /* rows written of the moving averages */
    double *x, *m[2][3]; /* [loss, acc][mean, lo, hi] at those rows */
    size_t n_raw;
    double *rx, *rv[2];      /* the raw values of the drawn seed */
    double lo_q[2], hi_q[2]; /* 1st and 99th percentile of the raw values */
    size_t n_ep;
    double *ex, *em[2][3];
    size_t window; /* minibatches averaged */
} IterCurves;

/* Writes the blocks of group g's curves into j and keeps their numbers in c
 * (free with plot_iter_curves_free); -1 (j failed) when out of memory. */
int plot_iter_curves(Job *j, const StudyResults *s, size_t g, size_t max_raw, IterCurves *c);
void plot_iter_curves_free(IterCurves *c);

/* The loss (acc 0) or accuracy (acc 1) figure of in->s from cs[g], one per
 * group. */
void plot_iter_figure(Job *j, const PlotInput *in, int acc, const IterCurves *cs);

#endif
