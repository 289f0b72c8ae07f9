/* plot_labels.h - how a setting is named in a legend, a panel's header or
 * a tic label: short names for losses and activations, hidden sizes joined
 * by '-', and how many of its runs diverged. */
#ifndef REPORT_PLOT_LABELS_H
#define REPORT_PLOT_LABELS_H

#include "report/results.h"

#include <stddef.h>

/* Group g described by the swept keys whose bit is set in keys (all: ~0u),
 * "key = value" for numbers, joined by ", "; in_legend: the long form of a
 * hidden-layer shape ("2 hidden layers (512-128)"). */
void plot_group_text(const StudyResults *s, size_t g, unsigned keys, int in_legend, char *out,
                     size_t size);

/* Appends " (d of n diverged)" to out when runs of group g diverged. */
void plot_diverged_note(const StudyResults *s, size_t g, char *out, size_t size);

#endif
