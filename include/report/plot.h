/* plot.h - a study's figures, drawn by gnuplot through a pipe.
 *
 * Every figure is written twice with the same base name: SVG (for the HTML
 * report) and PDF (pdfcairo, for the PDF report), e.g.
 * figures/mnist/softmax-lambda-glance.svg and .pdf. One process per call:
 * popen("gnuplot") with that fixed command, never a command line built from
 * data; the data go in as inline blocks ($d0 << EOD ... EOD) and every text
 * from a file (labels, legend entries, paths) as an escaped string literal.
 * gnuplot writes temporary names; only when it exits with status 0 are they
 * renamed into place, so a failure leaves the previous figures untouched.
 *
 * What is drawn. Every curve is the mean over a setting's seeds with a ±1 sd
 * band (over the runs that reached that point: a diverged run drops out,
 * and the legend says how many did); per-seed traces appear, faint, only in
 * a study without a sweep, where the spread is the point. Per study
 * (plot_figures lists them):
 *   <study>-glance      softmax with an as-reported twin: the reproduction at
 *                       a glance, test accuracy of the correct gradient (band)
 *                       and of the twin (band) against the swept setting (or
 *                       per epoch when nothing is swept), the original's
 *                       figures as ×
 *   <study>-iter-loss,  softmax: each minibatch's loss and accuracy against
 *   <study>-iter-acc    the epoch (fractional); a centred moving average over
 *                       PLOT_SMOOTH_EPOCHS of an epoch (mean ± sd over seeds)
 *                       over the raw values of one seed (faint, thinned to
 *                       two per pixel column); the whole training set after
 *                       each epoch as markers (mean ± sd)
 *   <study>-epoch-loss, per epoch: training (solid) and test (softmax) or
 *   <study>-epoch-acc   validation (mlp, dashed)
 *   <study>-sweep       when something is swept: final accuracies as a dot
 *                       plot, mean ± sd over seeds, the original's hollow
 *                       beside the means, chance level (10 %) when the data
 *                       come near it; categories far apart on a broken axis
 *   <study>-norms       an mlp study sweeping the weight decay alone: each
 *                       weight matrix's norm per epoch beside the validation
 *                       accuracy (plot_norms.h)
 * Layout. Learning rate, weight decay and batch size are on log axes (when
 * all their values are positive), everything else linear. Curves of up to
 * four settings share one panel; more, or a sweep of several keys, become
 * small multiples with shared axes: the last one or two keys choose the
 * panel (rows, columns), the others the colour (mlp-arch: rows loss, columns
 * activation, one colour per hidden-layer shape). A sweep with no numeric
 * key is a horizontal dot plot, one line per setting. A legend sits inside
 * the plot area in the corner (of any panel) that covers no data; when none
 * is free the y range grows to make room above the data, unless that would
 * squash the data or run past 100 %, and a legend too large for a panel (or
 * with no room) goes into an empty cell of the grid or a strip above the
 * panels, never beside them. There are no titles: the caption is the title.
 * Colours, line widths, marks, fonts and sizes are defined once, in
 * plot_style.h, for every figure.
 *
 * Across studies (plot_overview): PLOT_UNLEARN, the validation accuracy per
 * epoch of the MLP settings that learn and then unlearn: whose mean
 * validation accuracy peaks before the last epoch and ends at least
 * PLOT_UNLEARN_DROP points lower (the largest drops first, at most four;
 * when none does, the one with the largest drop).
 *
 * Output is byte-stable: the same results give the same SVG bytes (the PDF's
 * creation date is set from SOURCE_DATE_EPOCH when that is set). */
#ifndef PLOT_H
#define PLOT_H

#include "report/reference.h"
#include "report/studies.h"
#include "report/results.h"

#include <stddef.h>
#include <stdio.h>

#define PLOT_FIGURES_MAX 6
#define PLOT_NAME_MAX (STUDY_NAME_MAX + 16)
#define PLOT_SMOOTH_EPOCHS 0.1 /* width of the minibatch curves' moving average */
#define PLOT_UNLEARN "mlp-unlearn"
#define PLOT_UNLEARN_DROP 2.0 /* points of validation accuracy lost after the peak */

typedef struct {
    size_t n;
    char name[PLOT_FIGURES_MAX][PLOT_NAME_MAX]; /* base names, no directory or extension */
} FigureSet;

/* What one study's figures are drawn from. */
typedef struct {
    const StudyResults *s;    /* the study */
    const StudyResults *twin; /* softmax: its as-reported twin (studies_twin), which must
                                 sweep the same settings; NULL: no glance figure */
    const Reference *ref;     /* the original's figures (× marks), or NULL */
    const StudiesConf *studies; /* which table of ref a study matches (studies.h) */
    const StudyResults *compare; /* the study whose figures this one's are read against
                                    (a softmax study and its twin, either way), which
                                    must sweep the same settings: every figure of both
                                    gets axis ranges that hold both; NULL: none */
} PlotInput;

/* The figures drawn for in, in drawing order. */
void plot_figures(const PlotInput *in, FigureSet *figs);

/* Writes the gnuplot program for every figure of in into f, SVGs then PDFs,
 * each to the temporary name plot_tmp_name (plot_pipe.h) gives for tag. Returns 0, or -1
 * with err on a write error or results it cannot draw (too many seeds or
 * settings, a twin that sweeps other settings). */
int plot_script(FILE *f, const PlotInput *in, const char *out_dir, long tag, char *err);

/* Draws every figure of in into out_dir (created if missing). Returns 0, or -1
 * with one line in err: "plot: gnuplot not found: run 'apt-get install
 * gnuplot-nox' (or make deps)" when no gnuplot is on PATH, or naming the
 * study when gnuplot fails (gnuplot's own message is on stderr). */
int plot_study(const PlotInput *in, const char *out_dir, char *err);

/* The same for the figures across studies (PLOT_UNLEARN) from studies[0..n);
 * an error if none of them is an mlp study. */
int plot_overview_script(FILE *f, const StudyResults *studies, size_t n, const char *out_dir,
                         long tag, char *err);
int plot_overview(const StudyResults *studies, size_t n, const char *out_dir, char *err);

/* ---- the as-reported twin ------------------------------------------------- */


#endif
