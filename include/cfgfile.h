/* cfgfile.h - a run's configuration as a single-run experiment file, the
 * per-run .cfg the planner writes (plan.h) and `train --config` reads back:
 * the writer of the one text format whose parser is experiment.h, on the
 * run's floor beside it. */
#ifndef CFGFILE_H
#define CFGFILE_H

#include "runconfig.h"

#include <stddef.h>

/* Writes cfg as a canonical single-run experiment file text (every key, one
 * value each, fixed order, numbers in round-trip form) into buf; returns the
 * length, or -1 if it does not fit. Parsing that text gives cfg back. */
int runconfig_format(const RunConfig *cfg, char *buf, size_t size);

/* The hidden layers' sizes joined by sep into out (size bytes): with 'x' the
 * text of experiment files and runs.csv ("512x128"), with '-' a figure's
 * ("512-128"); "" for none. A text too long for out is cut. */
void runconfig_hidden_text(const RunConfig *cfg, char sep, char *out, size_t size);

#endif
