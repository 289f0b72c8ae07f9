/* plot_axes.h - a figure's x axis: over a swept key (a tic at every value,
 * log where the values are: all positive, spanning a factor of 5 or more,
 * more evenly spaced on a log scale than on a linear one) or over the epochs,
 * and positions along it. */
#ifndef REPORT_PLOT_AXES_H
#define REPORT_PLOT_AXES_H

#include "report/plot_model.h"

#include <stddef.h>

/* Whether swept key j of s is drawn on a log axis (above). */
int plot_sweep_is_log(const StudyResults *s, size_t j);

/* x axis over swept key key of s: range with a margin, a tic at every value
 * (labelled as in the experiment file), log or linear, and its label. */
void plot_sweep_axis(Job *j, Figure *fg, const StudyResults *s, size_t key);

/* x offset of series i of n at x (a fraction of the axis width), so that
 * error bars at the same setting do not overlap. */
double plot_offset_x(const Figure *fg, double x, size_t i, size_t n);

/* x moved by frac of the axis width. */
double plot_shift_x(const Figure *fg, double x, double frac);

/* x axis over epochs 1..epochs, with whole-epoch tics. */
void plot_epoch_axis(Figure *fg, size_t epochs);

#endif
