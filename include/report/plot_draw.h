/* plot_draw.h - the gnuplot program of a job: its data blocks once, then
 * every figure on every terminal (SVG then PDF) to its temporary name. */
#ifndef REPORT_PLOT_DRAW_H
#define REPORT_PLOT_DRAW_H

#include "report/plot_model.h"

#include <stdio.h>

/* Lays out j's figures and writes the program into f; what names them in
 * the program's first comment. Returns 0, or -1 with err when j failed or
 * on a write error. */
int plot_job_script(FILE *f, Job *j, const char *what, const char *out_dir, long tag, char *err);

#endif
