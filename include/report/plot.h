/* plot.h - a study's figures, drawn by gnuplot through a pipe.
 *
 * Every figure is written twice with the same base name: SVG (for the HTML
 * report) and PDF (pdfcairo, for the PDF report), e.g.
 * figures/mnist/softmax-lambda-iter-loss.svg and .pdf. One process per study:
 * popen("gnuplot") with that fixed command, never a command line built from
 * data; the data go in as inline blocks ($e0 << EOD ... EOD) and every text
 * from a file (titles, legend labels, paths) as an escaped string literal.
 * gnuplot writes temporary names; only when it exits with status 0 are they
 * renamed into place, so a failure leaves the previous figures untouched.
 *
 * The figures (plot_figures lists them):
 *   <study>-iter-loss, -iter-acc   softmax only: each minibatch's loss and
 *                                  accuracy against the iteration, raw
 *   <study>-epoch-loss, -epoch-acc per epoch: training (solid) and test
 *                                  (softmax) or validation (mlp, dashed)
 *   <study>-sweep                  when something is swept: final accuracy
 *                                  per setting, mean and std over seeds
 * Curves are one seed per setting (study_plot_seed); a study without a sweep
 * draws every seed instead. A diverged run is drawn up to where it stopped
 * and marked in the legend. Output is byte-stable: the same results give the
 * same SVG bytes (the PDF's creation date is set from SOURCE_DATE_EPOCH when
 * that is set). */
#ifndef PLOT_H
#define PLOT_H

#include "report/results.h"

#include <stddef.h>
#include <stdio.h>

#define PLOT_FIGURES_MAX 5
#define PLOT_NAME_MAX (STUDY_NAME_MAX + 16)

typedef struct {
    size_t n;
    char name[PLOT_FIGURES_MAX][PLOT_NAME_MAX]; /* base names, no directory or extension */
} FigureSet;

/* The figures drawn for s, in drawing order. */
void plot_figures(const StudyResults *s, FigureSet *figs);

/* Writes the gnuplot program for every figure of s into f, SVGs then PDFs,
 * each to the temporary name plot_tmp_name gives for tag. Returns 0, or -1
 * with err on a write error. */
int plot_script(FILE *f, const StudyResults *s, const char *out_dir, long tag, char *err);

/* "<out_dir>/.<name>.<ext>.tmp.<tag>" into buf; -1 if it does not fit. */
int plot_tmp_name(char *buf, size_t size, const char *out_dir, const char *name,
                  const char *ext, long tag);

/* Draws every figure of s into out_dir (created if missing). Returns 0, or -1
 * with one line in err: "plot: gnuplot not found: run 'apt-get install
 * gnuplot-nox' (or make deps)" when no gnuplot is on PATH, or naming the
 * study when gnuplot fails (gnuplot's own message is on stderr). */
int plot_study(const StudyResults *s, const char *out_dir, char *err);

/* Writes text as a gnuplot double-quoted string literal (quotes included),
 * escaping backslash and double quote and turning control characters into
 * spaces, so no file can inject commands. Returns the length, or -1 if it
 * does not fit in size bytes. */
int plot_quote(char *dst, size_t size, const char *text);

#endif
