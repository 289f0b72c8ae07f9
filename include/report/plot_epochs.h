/* plot_epochs.h - <study>-epoch-loss and <study>-epoch-acc: per epoch,
 * training (solid) and test (softmax) or validation (mlp, dashed), the mean
 * over a setting's seeds with a ±1 sd band; every seed, faint, in a study
 * without a sweep. */
#ifndef REPORT_PLOT_EPOCHS_H
#define REPORT_PLOT_EPOCHS_H

#include "report/plot_model.h"

/* Block columns: epoch, then mean, mean - sd, mean + sd of each metric in
 * ms[0..nm) (percent for accuracies); rows where no run has a value of the
 * first metric are left out. Tracks the bands in p; returns the block. */
size_t plot_epoch_band(Job *j, Panel *p, const StudyResults *s, size_t g, const Metric *ms,
                       size_t nm);

/* The loss (acc 0) or accuracy (acc 1) figure of in->s. */
void plot_epoch_figure(Job *j, const PlotInput *in, int acc);

#endif
