/* plot_glance.h - <study>-glance, a softmax study with an as-reported twin:
 * test accuracy of the correct gradient (band) and of the twin (band)
 * against the swept setting (or per epoch when nothing is swept), the
 * original's figures as ×. */
#ifndef REPORT_PLOT_GLANCE_H
#define REPORT_PLOT_GLANCE_H

#include "report/plot_model.h"

/* The glance figure of in->s and in->twin; fails j when the twin sweeps
 * other settings or the study sweeps more than one numeric key. */
void plot_glance_figure(Job *j, const PlotInput *in);

#endif
