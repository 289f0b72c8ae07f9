/* plot_pipe.h - running gnuplot: popen("gnuplot") with that fixed command,
 * the program written into the pipe; gnuplot writes temporary names, and
 * only when it exits with status 0 are they renamed into place (a PDF's
 * creation date set from SOURCE_DATE_EPOCH first), so a failure leaves the
 * previous figures untouched. */
#ifndef REPORT_PLOT_PIPE_H
#define REPORT_PLOT_PIPE_H

#include "report/plot.h"

#include <stddef.h>
#include <stdio.h>

typedef int (*PlotScriptFn)(FILE *f, const void *ctx, const char *out_dir, long tag, char *err);

/* "<out_dir>/.<name>.<ext>.tmp.<tag>" into buf; -1 if it does not fit. */
int plot_tmp_name(char *buf, size_t size, const char *out_dir, const char *name, const char *ext,
                  long tag);

/* Runs gnuplot on what write(ctx) writes (tag: this process's id), the
 * figures figs into out_dir (created if missing); what names them in
 * errors. Returns 0, or -1 with one line in err. */
int plot_run_gnuplot(PlotScriptFn write, const void *ctx, const FigureSet *figs, const char *what,
                     const char *out_dir, char *err);

#endif
