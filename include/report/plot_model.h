/* plot_model.h - what a figure is before it is drawn: the figure kinds
 * (plot_epochs.h, plot_iters.h, plot_sweep.h, plot_glance.h, plot_unlearn.h)
 * fill it, the layout (plot_layout.h) sizes it, the script writer
 * (plot_draw.h) turns it into gnuplot commands.
 *
 * A Job is one gnuplot program: its figures and the inline data blocks
 * ($d0 << EOD ... EOD) they plot. A Figure is a rows x cols grid of panels
 * with shared axes; a Panel holds its plot elements (Items) and the points
 * its axis ranges must hold (extent) and its legend must not cover (cover).
 * The first failure of a job (out of memory, a text too long) sticks: the
 * calls after it are harmless and the script writer reports it. */
#ifndef REPORT_PLOT_MODEL_H
#define REPORT_PLOT_MODEL_H

#include "err.h"
#include "report/buf.h"
#include "report/plot.h"

#include <stddef.h>

#define TEXT_MAX 256 /* a label, legend entry or title */
#define PATH_TEXT_MAX 4096
#define CURVES_MAX 64 /* seeds of a setting, settings of a study */
#define PANELS_MAX 16
#define COVER_CAP 4000 /* points of one series the legend placement looks at */

typedef struct {
    double x, y;
} Pt;

typedef struct {
    Pt *p;
    size_t n, cap;
} Pts;

typedef struct {
    char spec[512];       /* "$d3 using 1:2 with lines ..." or "keyentry with ..." */
    char title[TEXT_MAX]; /* quoted; "" for notitle */
    int keyonly;          /* a legend sample without data */
} Item;

typedef struct {
    char title[TEXT_MAX]; /* a small multiple's header; "" for none */
    Item *items;
    size_t n_items, cap_items;
    Pts extent;      /* what the axis ranges must hold */
    Pts cover;       /* what the legend must not cover */
    Pts cover_graph; /* the same with y as a fraction of the panel (labels) */
    Buf labels;      /* "set label" / "set arrow" commands */
    double y0, y1;   /* its y range, once computed */
    double x0, x1;   /* its own x range (Figure.x_split), once computed */
} Panel;

typedef enum { KEY_TOP_RIGHT, KEY_BOTTOM_RIGHT, KEY_TOP_LEFT, KEY_BOTTOM_LEFT } Corner;

typedef struct {
    char name[PLOT_NAME_MAX];
    size_t rows, cols, n;
    Panel panel[PANELS_MAX];
    char xlabel[TEXT_MAX], ylabel[TEXT_MAX];
    int xlog;
    double x0, x1;       /* NAN: from the data */
    int x_auto, y_fixed; /* x range from the data; y range given (categories) */
    int x_split;         /* a broken x axis: each panel (one row) its own x range
                            and a width in proportion to it, col_frac */
    double col_frac[PANELS_MAX];
    double fy0, fy1;     /* the given y range */
    int y_per_row;       /* each row its own y range (losses of different kinds) */
    int y_per_panel;     /* each panel its own y range (and tic labels) */
    double y_cap;        /* the largest value y can take (100 for accuracies), or INFINITY */
    char xtics[2048];    /* "(...)" list, or "" for automatic */
    char ytics[4096];
    size_t xtic_epochs; /* > 0: tics at whole epochs up to this, as many as fit */
    double left_px;     /* left margin */
    size_t key_panel;   /* the panel whose plot command draws the legend */
    int key_on;
    enum { KEY_CORNER, KEY_SLOT, KEY_STRIP } key_mode;
    Corner key;          /* KEY_CORNER: where */
    int key_outside;     /* the legend goes in a strip above the panels, whatever is free */
    size_t key_cols;     /* KEY_STRIP: entries side by side */
    double key_strip_px; /* KEY_STRIP: its height */
} Figure;

typedef struct {
    Buf data; /* the inline data blocks of every figure */
    size_t n_blocks;
    Figure *fig[PLOT_FIGURES_MAX];
    size_t n_figs;
    int failed; /* out of memory or a too-long text */
    char err[ERR_MAX];
} Job;

/* Writes text as a gnuplot double-quoted string literal (quotes included),
 * escaping backslash and double quote and turning control characters into
 * spaces, so no file can inject commands. Returns the length, or -1 if it
 * does not fit in size bytes. */
int plot_quote(char *dst, size_t size, const char *text);

/* Characters (not bytes) of UTF-8 text, for estimating its width. */
size_t plot_text_chars(const char *s);

/* Appends (x, y) to ps unless either is not finite. */
void plot_pts_add(Pts *ps, Job *j, double x, double y);

/* Marks j failed; the first message (fmt with one %s, what) is the one kept. */
void plot_job_fail(Job *j, const char *fmt, const char *what);

/* A new figure of j named "<study><name_or_suffix>" (s NULL: the name alone)
 * with n_panels panels in rows x cols; NULL (j failed) when j has
 * PLOT_FIGURES_MAX already or n_panels is 0 or over PANELS_MAX. */
Figure *plot_fig_new(Job *j, const StudyResults *s, const char *name_or_suffix, size_t n_panels,
                     size_t rows, size_t cols);

/* Frees everything j holds and clears it. */
void plot_job_release(Job *j);

/* Adds a plot element to p: spec from fmt ("$d3 using 1:2 with lines ...",
 * or "keyentry ..." with keyonly), its legend title (unquoted) or NULL for
 * notitle. */
void plot_item_add(Job *j, Panel *p, int keyonly, const char *title, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

/* The points of a line of n points (x[i], y[i]) for the ranges (when extent)
 * and the legend placement; its segments are sampled too, so that a legend
 * cannot sit across one. */
void plot_track_line(Job *j, Panel *p, const double *x, const double *y, size_t n, int xlog,
                     int extent);

/* A band between lo and hi: its edges and its inside. */
void plot_track_band(Job *j, Panel *p, const double *x, const double *lo, const double *hi,
                     size_t n, int xlog);

/* One point, for the ranges and the legend. */
void plot_track_point(Job *j, Panel *p, double x, double y);

/* Opens the next inline data block of j ("$d<id> << EOD") and returns its id;
 * plot_block_end closes it. */
size_t plot_block_begin(Job *j);
void plot_block_end(Job *j);

#define PLOT_NO_BLOCK ((size_t)-1)

/* A data block of the rows collected in rows (the original's marks), which
 * is freed; returns its id, or PLOT_NO_BLOCK when rows is empty or failed
 * (j failed then). */
size_t plot_block_from(Job *j, Buf *rows);

#endif
