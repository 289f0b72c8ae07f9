/* plot_style.h - the look of every figure, defined once: colours, line
 * widths, marks, fonts and sizes, and the two terminals every figure is
 * drawn on (SVG for the HTML report, PDF for the PDF report). The layout
 * (plot_layout.h) works in SVG pixels of these sizes. */
#ifndef REPORT_PLOT_STYLE_H
#define REPORT_PLOT_STYLE_H

#include <stddef.h>
#include <stdio.h>

#define INK "404040" /* axes, text, legend samples that stand for a dash or mark, not a colour */
#define BAND "fs transparent solid 0.17 noborder" /* a ±1 sd band */
#define FAINT "b0"                       /* ARGB alpha of faint lines: about 70 % transparent */
#define LW "1.8"                         /* a mean curve */
#define LW_FAINT "0.7"                   /* raw minibatch values, single seeds */
#define PT_MEAN "pt 7 ps 0.75"           /* filled circle: a mean */
#define PT_PEAK "pt 6 ps 1.3 lw 1.5"     /* open circle */
/* the original's figures: hollow and beside the mean they compare with
 * (PLOT_ORIGINAL_OFFSET of the axis width to its right), never over it */
#define PLOT_ORIGINAL_OFFSET 0.012

/* ---- the visual language ----------------------------------------------------
 * One table owns what each quantity looks like in every figure: its colour,
 * its dash (for lines) and its mark (for points). A figure asks the table and
 * never picks a colour itself. Where colour stands for a swept setting (one
 * colour per setting), the splits (training, validation, test) are told by
 * their dash alone, and their legend samples are drawn in INK. A swept value
 * that is no quantity of the table takes its place in one sequential palette
 * by its rank in its sweep (plot_sweep_colour): the smallest value light, the
 * largest dark, the same order in every figure of that parameter. */
typedef enum {
    LOOK_TRAINING,
    LOOK_VALIDATION,
    LOOK_TEST,
    LOOK_CORRECT,  /* the softmax gradient as prescribed */
    LOOK_REPORTED, /* ... as the original's code has it (no λW) */
    LOOK_ORIGINAL, /* the original write-up's figures */
    LOOK_RELU,
    LOOK_SIGMOID,
    LOOK_CROSS_ENTROPY,
    LOOK_EUCLIDEAN,
    LOOK_ONE_HIDDEN,
    LOOK_TWO_HIDDEN,
    LOOK_CHANCE,
    N_LOOKS
} LookId;

typedef struct {
    const char *name;   /* how every legend entry of it begins */
    const char *colour; /* hex RGB without '#' */
    const char *dash;   /* gnuplot dash type, "dt 1" solid */
    const char *mark;   /* gnuplot point type and size */
} Look;

/* The look of quantity id. */
const Look *plot_look(LookId id);

/* The look of value of swept key (activation relu / sigmoid, loss
 * cross-entropy / euclidean, hidden: one or two hidden layers by the count of
 * 'x'-joined sizes), or -1 when the table has none. */
int plot_value_look(const char *key, const char *value);

#define PLOT_COLOUR_MAX 8 /* "RRGGBB" and its terminator, with room */

/* The colour of rank (0: smallest) of n ordered values: the sequential
 * palette (viridis, from light yellow-green to dark purple, the lightest end
 * left out to stay visible on white), as hex RGB into out. */
void plot_sweep_colour(size_t rank, size_t n, char out[PLOT_COLOUR_MAX]);

/* Sizes. SVG 800 px wide, PDF 6 in (about the PDF report's text width), and
 * the font the same fraction of the width in both (17 px, 9 pt), so that one
 * layout, computed here in SVG pixels, fits both (the PDF terminal at
 * fontscale 1, so that its text prints at 9 pt: the figures are included at
 * their own width). A figure of one row of panels is 400 px (3 in) high, so
 * that two of them and their captions share a page; more rows get ROW_PX
 * each. */
#define WIDTH_PX 800.0
#define PX_PER_IN (WIDTH_PX / 6.0)
#define FONT_PX 17.0
#define CHAR_PX (0.5 * FONT_PX)     /* a typical character's advance, as drawn */
#define KEY_CHAR_PX (0.7 * FONT_PX) /* ... as gnuplot reckons it when it sizes a legend */
#define KEY_LINE_PX (1.6 * FONT_PX) /* a legend's line pitch */
#define ONE_ROW_PX 400.0
#define ROW_PX 290.0
#define MARGIN_L 122.0
#define MARGIN_R 14.0
#define MARGIN_T 12.0
#define MARGIN_B 80.0
#define GAP_X 20.0
#define GAP_Y 22.0
#define TITLE_PX 30.0 /* a small multiple's header */

#define N_TERMINALS 2

/* The terminals' file extensions, in drawing order: "svg", "pdf". */
extern const char *const PLOT_EXTS[N_TERMINALS];

/* Writes "set terminal ..." for terminal t (0: SVG, 1: PDF) of a figure
 * height_px SVG pixels high. */
void plot_terminal(FILE *f, size_t t, double height_px);

#endif
