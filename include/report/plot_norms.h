/* plot_norms.h - <study>-norms: what weight decay does to the weights. For
 * an mlp study that sweeps the weight decay alone and whose runs recorded
 * their weight norms: one panel per weight matrix (input side first), its
 * Frobenius norm ||W_k|| after each epoch, and one panel of the validation
 * accuracy per epoch, each setting in its weight decay's colour (mean ± sd
 * over the seeds), so that the weights shrinking under a strong decay can be
 * read beside the accuracy rising and falling. */
#ifndef REPORT_PLOT_NORMS_H
#define REPORT_PLOT_NORMS_H

#include "report/plot_model.h"

#include <stddef.h>

/* The weight matrices whose norms every run of s recorded after its first
 * epoch (0: none, or s is not an mlp study sweeping the weight decay alone):
 * whether s gets the figure. */
size_t plot_norm_layers(const StudyResults *s);

/* The figure, when plot_norm_layers(in->s) > 0. */
void plot_norms_figure(Job *j, const PlotInput *in);

#endif
