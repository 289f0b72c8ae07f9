/* plot_stats.h - the numbers behind the curves: the runs of a setting
 * (group g of a study: runs g * n_seeds .. + n_seeds), their mean and sd per
 * epoch, the swept values as numbers, and the original's value of a
 * setting. No drawing here. */
#ifndef REPORT_PLOT_STATS_H
#define REPORT_PLOT_STATS_H

#include "report/plot.h"
#include "report/reference.h"
#include "report/results.h"

#include <stddef.h>

/* Whether a swept key's values may span decades: learning_rate,
 * weight_decay, batch_size (whether a figure's axis is log depends on the
 * values swept: plot_axes.h). */
int plot_key_is_log(const char *key);

/* Whether a swept key's values are numbers (the log keys, lambda, max_epoch). */
int plot_key_is_numeric(const char *key);

/* out[i] = mean of v[i - half .. i + half], the window cut at both ends (a
 * centred moving average of 2 * half + 1 values). v and out may not overlap. */
void plot_moving_average(const double *v, size_t n, size_t half, double *out);



/* Mean and sample sd (0 for one run) of metric m at epoch (1-based) over the
 * runs of group g that completed that epoch with a finite value; returns
 * their number (mean and sd NAN when 0). Accuracies stay fractions. */
size_t plot_epoch_stat(const StudyResults *s, size_t g, Metric m, size_t epoch, double *mean,
                       double *sd);

/* The most epochs any run of group g has. */
size_t plot_group_epochs(const StudyResults *s, size_t g);


int plot_is_softmax(const StudyResults *s);

/* 100 for an accuracy (drawn in percent), 1 for a loss. */
double plot_scale_of(Metric m);

/* Run run's value of swept key j as a number (NAN if it is not one). */
double plot_sweep_number(const StudyResults *s, size_t run, size_t j);

/* The index of group g's value among swept key j's values. */
size_t plot_value_index(const StudyResults *s, size_t g, size_t j);

/* The first swept key with numbers for values, or -1. */
int plot_numeric_key(const StudyResults *s);

/* The original's row for group g of s (in->ref), or NULL. */
const RefRow *plot_group_ref(const PlotInput *in, const StudyResults *s, size_t g);

/* The original's value of metric m (percent), NAN if it has none: the
 * softmax tables' training accuracy is a last minibatch's, not comparable
 * with the whole training set's. */
double plot_ref_value(const RefRow *r, Metric m, int softmax);

#endif
