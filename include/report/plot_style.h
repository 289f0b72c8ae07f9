/* plot_style.h - the look of every figure, defined once: colours, line
 * widths, marks, fonts and sizes, and the two terminals every figure is
 * drawn on (SVG for the HTML report, PDF for the PDF report). The layout
 * (plot_layout.h) works in SVG pixels of these sizes. */
#ifndef REPORT_PLOT_STYLE_H
#define REPORT_PLOT_STYLE_H

#include <stddef.h>
#include <stdio.h>

#define INK "404040" /* axes, legend samples that stand for no one colour */
#define CHANCE_INK "8c8c8c"
#define BAND "fs transparent solid 0.17 noborder" /* a ±1 sd band */
#define FAINT "b0"                       /* ARGB alpha of faint lines: about 70 % transparent */
#define LW "1.8"                         /* a mean curve */
#define LW_FAINT "0.7"                   /* raw minibatch values, single seeds */
#define PT_MEAN "pt 7 ps 0.75"           /* filled circle */
#define PT_ORIGINAL "pt 2 ps 1.5 lw 2.2" /* × */
#define PT_PEAK "pt 6 ps 1.3 lw 1.5"     /* open circle */

/* Sizes. SVG 800 px wide, PDF 6 in (about the PDF report's text width), and
 * the font the same fraction of the width in both (17 px, 9 pt), so that one
 * layout, computed here in SVG pixels, fits both. A figure of one row of
 * panels is 480 px (3.6 in) high; more rows get ROW_PX each. */
#define WIDTH_PX 800.0
#define PX_PER_IN (WIDTH_PX / 6.0)
#define FONT_PX 17.0
#define CHAR_PX (0.5 * FONT_PX)     /* a typical character's advance, as drawn */
#define KEY_CHAR_PX (0.7 * FONT_PX) /* ... as gnuplot reckons it when it sizes a legend */
#define KEY_LINE_PX (1.6 * FONT_PX) /* a legend's line pitch */
#define ONE_ROW_PX 480.0
#define ROW_PX 290.0
#define MARGIN_L 104.0
#define MARGIN_R 14.0
#define MARGIN_T 12.0
#define MARGIN_B 80.0
#define GAP_X 20.0
#define GAP_Y 22.0
#define TITLE_PX 30.0 /* a small multiple's header */

#define N_TERMINALS 2

/* The terminals' file extensions, in drawing order: "svg", "pdf". */
extern const char *const PLOT_EXTS[N_TERMINALS];

/* Colour c of the colour-blind safe palette (Okabe and Ito), as hex RGB
 * without '#', cycling after seven: one per setting in sweep order. */
const char *plot_colour(size_t c);

/* Writes "set terminal ..." for terminal t (0: SVG, 1: PDF) of a figure
 * height_px SVG pixels high. */
void plot_terminal(FILE *f, size_t t, double height_px);

#endif
