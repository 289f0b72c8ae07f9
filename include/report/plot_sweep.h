/* plot_sweep.h - <study>-sweep, when something is swept: final accuracies
 * as a dot plot, mean ± sd over seeds, the original's as ×, chance level
 * (10 %) when the data come near it; against the first numeric swept key,
 * or (no numeric key) one line per setting. */
#ifndef REPORT_PLOT_SWEEP_H
#define REPORT_PLOT_SWEEP_H

#include "report/plot_model.h"

/* The sweep figure of in->s. */
void plot_sweep_figure(Job *j, const PlotInput *in);

#endif
