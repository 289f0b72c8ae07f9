/* plot_unlearn.h - PLOT_UNLEARN, across the mlp studies: the validation
 * accuracy per epoch of the settings that learn and then unlearn (their mean
 * peaks before the last epoch and ends at least PLOT_UNLEARN_DROP points
 * lower), one panel per network with the same network at other weight
 * decays. */
#ifndef REPORT_PLOT_UNLEARN_H
#define REPORT_PLOT_UNLEARN_H

#include "report/plot_model.h"

/* The figure from studies[0..n); fails j when none is an mlp study. */
void plot_unlearn_figure(Job *j, const StudyResults *studies, size_t n);

#endif
