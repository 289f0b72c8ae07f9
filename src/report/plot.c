#include "report/plot.h"

#include "atomic.h"
#include "err.h"
#include "report/buf.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define GNUPLOT_MISSING "plot: gnuplot not found: run 'apt-get install gnuplot-nox' (or make deps)"
#define TEXT_MAX 256
#define PATH_TEXT_MAX 4096
#define CURVES_MAX 64 /* seeds of a setting, settings of a study */
#define PANELS_MAX 16
#define COVER_CAP 4000 /* points of one series the legend placement looks at */
#define CHANCE 10.0    /* percent: ten classes */
#define RAW_PER_PX 2.0 /* raw minibatch values drawn per pixel of a panel's width */

/* ---- the look: one definition for every figure ---------------------------- */

/* Colour-blind safe colours (Okabe and Ito), one per setting in sweep order;
 * the series of a dot plot (training, validation, test) use the first three
 * in the same roles everywhere. */
static const char *const COLOURS[] = {"0072B2", "D55E00", "009E73", "CC79A7",
                                      "E69F00", "56B4E9", "000000"};
#define N_COLOURS (sizeof COLOURS / sizeof COLOURS[0])
#define INK "404040"              /* axes, legend samples that stand for no one colour */
#define CHANCE_INK "8c8c8c"
#define BAND "fs transparent solid 0.17 noborder" /* a ±1 sd band */
#define FAINT "b0"                /* ARGB alpha of faint lines: about 70 % transparent */
#define LW "1.8"                  /* a mean curve */
#define LW_FAINT "0.7"            /* raw minibatch values, single seeds */
#define PT_MEAN "pt 7 ps 0.75"    /* filled circle */
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

static const char *const EXTS[] = {"svg", "pdf"};
#define N_TERMINALS 2

static void terminal(FILE *f, size_t t, double height_px)
{
    if (t == 1)
        fprintf(f,
                "set terminal pdfcairo size 6in,%.4fin noenhanced font \"Helvetica,9\" "
                "linewidth 1.2\n",
                height_px / PX_PER_IN);
    else
        fprintf(f,
                "set terminal svg size %d,%d fixed noenhanced font \"Helvetica,17\" "
                "linewidth 1.2 background rgb \"white\"\n",
                (int)WIDTH_PX, (int)height_px);
}

/* ---- small text helpers ------------------------------------------------------ */

int plot_quote(char *dst, size_t size, const char *text)
{
    size_t n = 0;
    if (size < 3)
        return -1;
    dst[n++] = '"';
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        int esc = *p == '"' || *p == '\\';
        if (n + (size_t)esc + 2 >= size)
            return -1;
        if (esc)
            dst[n++] = '\\';
        dst[n++] = *p < 0x20 || *p == 0x7f ? ' ' : (char)*p;
    }
    dst[n++] = '"';
    dst[n] = '\0';
    return (int)n;
}

/* Characters (not bytes) of UTF-8 text, for estimating its width. */
static size_t text_chars(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        n += (*p & 0xc0) != 0x80;
    return n;
}

/* A growing text buffer; a failed allocation sticks and is reported once. */


/* ---- the numbers behind the curves ----------------------------------------- */

int plot_twin_name(const char *study, char *buf, size_t size)
{
    static const char PREFIX[] = "softmax-";
    size_t k = sizeof PREFIX - 1;
    if (strncmp(study, PREFIX, k) != 0 || strncmp(study + k, "reported-", 9) == 0 ||
        !study[k])
        return -1;
    int n = snprintf(buf, size, "softmax-reported-%s", study + k);
    return n < 0 || (size_t)n >= size ? -1 : 0;
}

int plot_key_is_log(const char *key)
{
    return strcmp(key, "learning_rate") == 0 || strcmp(key, "weight_decay") == 0 ||
           strcmp(key, "batch_size") == 0;
}

static int key_is_numeric(const char *key)
{
    return plot_key_is_log(key) || strcmp(key, "lambda") == 0 || strcmp(key, "max_epoch") == 0;
}

void plot_moving_average(const double *v, size_t n, size_t half, double *out)
{
    /* a running sum over the window [lo, hi), moved one value at a time */
    double sum = 0.0;
    size_t lo = 0, hi = 0;
    for (size_t i = 0; i < n; i++) {
        size_t want_lo = i > half ? i - half : 0;
        size_t want_hi = i + half + 1 < n ? i + half + 1 : n;
        while (hi < want_hi)
            sum += v[hi++];
        while (lo < want_lo)
            sum -= v[lo++];
        out[i] = sum / (double)(hi - lo);
    }
}

/* Mean and sample sd of v[0..n); NAN when n is 0, sd 0 when n is 1. */
static void mean_sd(const double *v, size_t n, double *mean, double *sd)
{
    if (n == 0) {
        *mean = *sd = NAN;
        return;
    }
    double sum = 0.0, sq = 0.0;
    for (size_t i = 0; i < n; i++)
        sum += v[i];
    *mean = sum / (double)n;
    for (size_t i = 0; i < n; i++)
        sq += (v[i] - *mean) * (v[i] - *mean);
    *sd = n > 1 ? sqrt(sq / (double)(n - 1)) : 0.0;
}

static const RunResult *group_run(const StudyResults *s, size_t g, size_t k)
{
    return &s->runs[g * s->n_seeds + k];
}

size_t plot_epoch_stat(const StudyResults *s, size_t g, Metric m, size_t epoch, double *mean,
                       double *sd)
{
    double v[CURVES_MAX];
    size_t n = 0;
    for (size_t k = 0; k < s->n_seeds && k < CURVES_MAX; k++) {
        const RunResult *r = group_run(s, g, k);
        if (epoch >= 1 && epoch <= r->n_epochs && isfinite(r->epochs[epoch - 1].m[m]))
            v[n++] = r->epochs[epoch - 1].m[m];
    }
    mean_sd(v, n, mean, sd);
    return n;
}

static size_t group_epochs(const StudyResults *s, size_t g)
{
    size_t n = 0;
    for (size_t k = 0; k < s->n_seeds; k++)
        if (group_run(s, g, k)->n_epochs > n)
            n = group_run(s, g, k)->n_epochs;
    return n;
}

static size_t group_diverged(const StudyResults *s, size_t g)
{
    size_t n = 0;
    for (size_t k = 0; k < s->n_seeds; k++)
        n += group_run(s, g, k)->status == RUN_DIVERGED;
    return n;
}

static int is_softmax(const StudyResults *s)
{
    return experiment_model(s->exp) == MODEL_SOFTMAX;
}

static double scale_of(Metric m)
{
    return metric_is_acc(m) ? 100.0 : 1.0;
}

/* ---- labels ------------------------------------------------------------------ */

/* A swept value as the figures show it: short names for losses and
 * activations, hidden sizes joined by '-' ("512-128"). */
static void value_text(const char *key, const char *value, int in_legend, char *out, size_t size)
{
    if (strcmp(key, "loss") == 0)
        snprintf(out, size, "%s", strcmp(value, "euclidean") == 0 ? "Euclid" : "CE");
    else if (strcmp(key, "activation") == 0)
        snprintf(out, size, "%s", strcmp(value, "relu") == 0 ? "ReLU" : value);
    else if (strcmp(key, "hidden") == 0) {
        char sizes[TEXT_MAX];
        size_t n = 0, layers = 1;
        for (const char *p = value; *p && n + 1 < sizeof sizes; p++) {
            layers += *p == 'x';
            sizes[n++] = *p == 'x' ? '-' : *p;
        }
        sizes[n] = '\0';
        if (in_legend)
            snprintf(out, size, "%zu hidden layer%s (%s)", layers, layers > 1 ? "s" : "", sizes);
        else
            snprintf(out, size, "%s", sizes);
    } else if (key_is_numeric(key))
        snprintf(out, size, "%s = %s", sweep_key_label(key), value);
    else
        snprintf(out, size, "%s %s", sweep_key_label(key), value);
}

/* Group g described by the swept keys whose bit is set in keys (all: ~0u). */
static void group_text(const StudyResults *s, size_t g, unsigned keys, int in_legend, char *out,
                       size_t size)
{
    size_t nk = experiment_sweep_count(s->exp), n = 0;
    out[0] = '\0';
    for (size_t j = 0; j < nk && n < size; j++) {
        if (!(keys >> j & 1u))
            continue;
        char v[TEXT_MAX];
        value_text(experiment_sweep_key(s->exp, j),
                   experiment_run_sweep(s->exp, g * s->n_seeds, j), in_legend, v, sizeof v);
        int w = snprintf(out + n, size - n, "%s%s", n ? ", " : "", v);
        n += w > 0 ? (size_t)w : 0;
    }
}

static void diverged_note(const StudyResults *s, size_t g, char *out, size_t size)
{
    size_t d = group_diverged(s, g), n = strlen(out);
    if (d && n < size)
        snprintf(out + n, size - n, " (%zu of %zu diverged)", d, s->n_seeds);
}

/* ---- the figure model ---------------------------------------------------------- */

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
    Pts extent;           /* what the axis ranges must hold */
    Pts cover;            /* what the legend must not cover */
    Pts cover_graph;      /* the same with y as a fraction of the panel (labels) */
    Buf labels;           /* "set label" / "set arrow" commands */
    double y0, y1;        /* its y range, once computed */
} Panel;

typedef enum { KEY_TOP_RIGHT, KEY_BOTTOM_RIGHT, KEY_TOP_LEFT, KEY_BOTTOM_LEFT } Corner;
static const char *const CORNER_SET[] = {"top right", "bottom right", "top left",
                                         "bottom left"};

typedef struct {
    char name[PLOT_NAME_MAX];
    size_t rows, cols, n;
    Panel panel[PANELS_MAX];
    char xlabel[TEXT_MAX], ylabel[TEXT_MAX];
    int xlog;
    double x0, x1;        /* NAN: from the data */
    int x_auto, y_fixed;  /* x range from the data; y range given (categories) */
    double fy0, fy1;      /* the given y range */
    int y_per_row;        /* each row its own y range (losses of different kinds) */
    int y_per_panel;      /* each panel its own y range (and tic labels) */
    double y_cap;         /* the largest value y can take (100 for accuracies), or INFINITY */
    char xtics[2048];     /* "(...)" list, or "" for automatic */
    char ytics[4096];
    size_t xtic_epochs;   /* > 0: tics at whole epochs up to this, as many as fit */
    double left_px;       /* left margin */
    size_t key_panel;     /* the panel whose plot command draws the legend */
    int key_on;
    enum { KEY_CORNER, KEY_SLOT, KEY_STRIP } key_mode;
    Corner key;           /* KEY_CORNER: where */
    size_t key_cols;      /* KEY_STRIP: entries side by side */
    double key_strip_px;  /* KEY_STRIP: its height */
} Figure;

typedef struct {
    Buf data;             /* the inline data blocks of every figure */
    size_t n_blocks;
    Figure *fig[PLOT_FIGURES_MAX];
    size_t n_figs;
    int failed;           /* out of memory or a too-long text */
    char err[ERR_MAX];
} Job;

static void pts_add(Pts *ps, Job *j, double x, double y)
{
    if (!isfinite(x) || !isfinite(y))
        return;
    if (ps->n == ps->cap) {
        size_t cap = ps->cap ? 2 * ps->cap : 256;
        Pt *p = realloc(ps->p, cap * sizeof *p);
        if (!p) {
            j->failed = 1;
            return;
        }
        ps->p = p;
        ps->cap = cap;
    }
    ps->p[ps->n++] = (Pt){x, y};
}

static void job_fail(Job *j, const char *fmt, const char *what)
{
    if (!j->err[0])
        snprintf(j->err, sizeof j->err, fmt, what);
    j->failed = 1;
}

static void grid_for(size_t n, size_t *rows, size_t *cols)
{
    *cols = n <= 3 ? n : n == 4 ? 2 : n <= 9 ? 3 : 4;
    *cols = *cols ? *cols : 1;
    *rows = (n + *cols - 1) / *cols;
    *rows = *rows ? *rows : 1;
}

static Figure *fig_new(Job *j, const StudyResults *s, const char *name_or_suffix, size_t n_panels,
                       size_t rows, size_t cols)
{
    if (j->n_figs == PLOT_FIGURES_MAX || n_panels > PANELS_MAX || n_panels == 0) {
        job_fail(j, "plot: '%s': too many figures or panels", name_or_suffix);
        return NULL;
    }
    Figure *fg = calloc(1, sizeof *fg);
    if (!fg) {
        job_fail(j, "plot: '%s': out of memory", name_or_suffix);
        return NULL;
    }
    snprintf(fg->name, sizeof fg->name, "%s%s", s ? experiment_study(s->exp) : "",
             name_or_suffix);
    fg->n = n_panels;
    fg->rows = rows;
    fg->cols = cols;
    fg->x0 = fg->x1 = NAN;
    fg->y_cap = INFINITY;
    fg->left_px = MARGIN_L;
    for (size_t i = 0; i < PANELS_MAX; i++)
        fg->panel[i].y0 = fg->panel[i].y1 = NAN;
    j->fig[j->n_figs++] = fg;
    return fg;
}

static void fig_free(Figure *fg)
{
    if (!fg)
        return;
    for (size_t i = 0; i < PANELS_MAX; i++) {
        Panel *p = &fg->panel[i];
        free(p->items);
        free(p->extent.p);
        free(p->cover.p);
        free(p->cover_graph.p);
        free(p->labels.p);
    }
    free(fg);
}

static void job_release(Job *j)
{
    for (size_t i = 0; i < j->n_figs; i++)
        fig_free(j->fig[i]);
    free(j->data.p);
    memset(j, 0, sizeof *j);
}

/* Adds a plot element: title (unquoted) NULL for notitle. */
#if defined(__GNUC__)
__attribute__((format(printf, 5, 6)))
#endif
static void item_add(Job *j, Panel *p, int keyonly, const char *title, const char *fmt, ...)
{
    if (p->n_items == p->cap_items) {
        size_t cap = p->cap_items ? 2 * p->cap_items : 16;
        Item *it = realloc(p->items, cap * sizeof *it);
        if (!it) {
            j->failed = 1;
            return;
        }
        p->items = it;
        p->cap_items = cap;
    }
    Item *it = &p->items[p->n_items];
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(it->spec, sizeof it->spec, fmt, ap);
    va_end(ap);
    it->title[0] = '\0';
    it->keyonly = keyonly;
    if (w < 0 || (size_t)w >= sizeof it->spec ||
        (title && plot_quote(it->title, sizeof it->title, title) < 0)) {
        job_fail(j, "plot: a plot element of '%s' is too long", title ? title : "?");
        return;
    }
    p->n_items++;
}

/* The data points of a series, for the ranges and the legend placement; a
 * line's segments are sampled too, so that a legend cannot sit across one. */
static void track_line(Job *j, Panel *p, const double *x, const double *y, size_t n, int xlog,
                       int extent)
{
    size_t stride = n > COVER_CAP ? n / COVER_CAP + 1 : 1;
    for (size_t i = 0; i < n; i++) {
        if (extent)
            pts_add(&p->extent, j, x[i], y[i]);
        if (i % stride == 0)
            pts_add(&p->cover, j, x[i], y[i]);
        if (n <= 200 && i + 1 < n && isfinite(y[i]) && isfinite(y[i + 1]))
            for (int t = 1; t < 8; t++) {
                double f = t / 8.0, xi;
                if (xlog && x[i] > 0 && x[i + 1] > 0)
                    xi = x[i] * pow(x[i + 1] / x[i], f);
                else
                    xi = x[i] + f * (x[i + 1] - x[i]);
                pts_add(&p->cover, j, xi, y[i] + f * (y[i + 1] - y[i]));
            }
    }
}

/* A band's edges and its inside. */
static void track_band(Job *j, Panel *p, const double *x, const double *lo, const double *hi,
                       size_t n, int xlog)
{
    track_line(j, p, x, lo, n, xlog, 1);
    track_line(j, p, x, hi, n, xlog, 1);
    size_t stride = n > COVER_CAP / 4 ? n / (COVER_CAP / 4) + 1 : 1;
    for (size_t i = 0; i < n; i += stride)
        for (int t = 1; t < 4; t++)
            pts_add(&p->cover, j, x[i], lo[i] + t / 4.0 * (hi[i] - lo[i]));
}

static void track_point(Job *j, Panel *p, double x, double y)
{
    pts_add(&p->extent, j, x, y);
    pts_add(&p->cover, j, x, y);
}

/* ---- data blocks ----------------------------------------------------------- */

static size_t block_begin(Job *j)
{
    buf_printf(&j->data, "$d%zu << EOD\n", j->n_blocks);
    return j->n_blocks++;
}

static void block_end(Job *j)
{
    buf_printf(&j->data, "EOD\n");
}

/* ---- axes ------------------------------------------------------------------ */

/* Run run's value of swept key j as a number (NAN if it is not one). */
static double sweep_number(const StudyResults *s, size_t run, size_t j)
{
    const char *t = experiment_run_sweep(s->exp, run, j);
    char *end;
    double v = strtod(t, &end);
    return end == t || *end ? NAN : v;
}

/* Whether swept key j is drawn on a log axis: a log key whose values are all
 * positive. */
static int sweep_log(const StudyResults *s, size_t j)
{
    if (!plot_key_is_log(experiment_sweep_key(s->exp, j)))
        return 0;
    for (size_t v = 0; v < experiment_sweep_value_count(s->exp, j); v++) {
        const char *t = experiment_sweep_value(s->exp, j, v);
        if (!(strtod(t, NULL) > 0.0))
            return 0;
    }
    return 1;
}

/* x axis over swept key j: range with a margin, a tic at every value
 * (labelled as in the experiment file). */
static void sweep_axis(Job *j, Figure *fg, const StudyResults *s, size_t key)
{
    size_t nv = experiment_sweep_value_count(s->exp, key);
    double lo = INFINITY, hi = -INFINITY;
    size_t n = 0;
    fg->xlog = sweep_log(s, key);
    n += (size_t)snprintf(fg->xtics, sizeof fg->xtics, "(");
    for (size_t v = 0; v < nv; v++) {
        const char *t = experiment_sweep_value(s->exp, key, v);
        double x = strtod(t, NULL);
        char q[TEXT_MAX];
        if (plot_quote(q, sizeof q, t) < 0 || n >= sizeof fg->xtics) {
            job_fail(j, "plot: '%s': tic labels too long", experiment_study(s->exp));
            return;
        }
        n += (size_t)snprintf(fg->xtics + n, sizeof fg->xtics - n, "%s%s %.9g", v ? ", " : "",
                              q, x);
        lo = fmin(lo, x);
        hi = fmax(hi, x);
    }
    if (n + 2 >= sizeof fg->xtics) {
        job_fail(j, "plot: '%s': tic labels too long", experiment_study(s->exp));
        return;
    }
    strcat(fg->xtics, ")");
    if (fg->xlog) {
        double f = pow(hi / lo, 0.07);
        fg->x0 = lo / f;
        fg->x1 = hi * f;
    } else {
        double pad = 0.07 * (hi - lo);
        fg->x0 = lo - pad;
        fg->x1 = hi + pad;
    }
    const char *k = experiment_sweep_key(s->exp, key);
    snprintf(fg->xlabel, sizeof fg->xlabel, "%s",
             strcmp(k, "max_epoch") == 0 ? "number of epochs" : sweep_key_label(k));
}

/* x offset of series i of n at x (a fraction of the axis width), so that
 * error bars at the same setting do not overlap. */
static double offset_x(const Figure *fg, double x, size_t i, size_t n)
{
    double d = ((double)i - (double)(n - 1) / 2.0) * 0.014;
    if (fg->xlog)
        return x * pow(fg->x1 / fg->x0, d);
    return x + d * (fg->x1 - fg->x0);
}

static void epoch_axis(Figure *fg, size_t epochs)
{
    double pad = epochs > 1 ? 0.03 * (double)(epochs - 1) : 0.5;
    fg->x0 = 1.0 - pad;
    fg->x1 = (double)epochs + pad;
    fg->xtic_epochs = epochs;
    snprintf(fg->xlabel, sizeof fg->xlabel, "epoch");
}

/* ---- which panel and colour each setting gets ---------------------------- */

typedef struct {
    size_t n_panels, rows, cols;
    size_t panel_of[CURVES_MAX], colour_of[CURVES_MAX];
    size_t n_colours;
    unsigned panel_keys, colour_keys; /* bit masks over the swept keys */
    int row_key;                      /* swept key that picks the row, -1 none */
} Split;

static size_t value_index(const StudyResults *s, size_t g, size_t j)
{
    const char *v = experiment_run_sweep(s->exp, g * s->n_seeds, j);
    for (size_t i = 0; i < experiment_sweep_value_count(s->exp, j); i++)
        if (strcmp(experiment_sweep_value(s->exp, j, i), v) == 0)
            return i;
    return 0;
}

/* Up to max_overlay settings of one key share a panel; more are one panel
 * each; with several keys the last one or two pick the panel (rows and
 * columns) and the others the colour. */
static void split_groups(const StudyResults *s, size_t max_overlay, Split *sp)
{
    size_t nk = experiment_sweep_count(s->exp), ng = s->n_groups;
    memset(sp, 0, sizeof *sp);
    sp->row_key = -1;
    if (nk <= 1 && ng <= max_overlay) {
        sp->n_panels = sp->rows = sp->cols = 1;
        for (size_t g = 0; g < ng; g++)
            sp->colour_of[g] = g;
        sp->n_colours = ng;
        sp->colour_keys = nk ? 1u : 0u;
        return;
    }
    if (nk <= 1) {
        sp->n_panels = ng;
        grid_for(ng, &sp->rows, &sp->cols);
        for (size_t g = 0; g < ng; g++)
            sp->panel_of[g] = sp->colour_of[g] = g;
        sp->n_colours = ng;
        sp->panel_keys = 1u;
        return;
    }
    size_t first_panel_key = nk >= 3 ? nk - 2 : nk - 1;
    if (nk >= 3) {
        sp->row_key = (int)(nk - 2);
        sp->rows = experiment_sweep_value_count(s->exp, nk - 2);
        sp->cols = experiment_sweep_value_count(s->exp, nk - 1);
        sp->n_panels = sp->rows * sp->cols;
    } else {
        sp->n_panels = experiment_sweep_value_count(s->exp, nk - 1);
        grid_for(sp->n_panels, &sp->rows, &sp->cols);
    }
    if (sp->n_panels > PANELS_MAX) { /* too many for small multiples: one crowded panel */
        sp->n_panels = sp->rows = sp->cols = 1;
        sp->row_key = -1;
        for (size_t g = 0; g < ng; g++)
            sp->colour_of[g] = g;
        sp->n_colours = ng;
        sp->colour_keys = ~0u;
        return;
    }
    for (size_t j = 0; j < nk; j++)
        if (j >= first_panel_key)
            sp->panel_keys |= 1u << j;
        else
            sp->colour_keys |= 1u << j;
    sp->n_colours = 1;
    for (size_t j = 0; j < first_panel_key; j++)
        sp->n_colours *= experiment_sweep_value_count(s->exp, j);
    for (size_t g = 0; g < ng; g++) {
        size_t c = 0, p = 0;
        for (size_t j = 0; j < first_panel_key; j++)
            c = c * experiment_sweep_value_count(s->exp, j) + value_index(s, g, j);
        for (size_t j = first_panel_key; j < nk; j++)
            p = p * experiment_sweep_value_count(s->exp, j) + value_index(s, g, j);
        sp->colour_of[g] = c;
        sp->panel_of[g] = p;
    }
}

static const char *colour(size_t c)
{
    return COLOURS[c % N_COLOURS];
}

/* ---- curves per epoch ------------------------------------------------------- */

static void training_names(const StudyResults *s, const char **train, const char **other)
{
    *train = is_softmax(s) ? "training set" : "training (epoch mean)";
    *other = is_softmax(s) ? "test set" : "validation";
}

/* Block columns: epoch, then mean, mean - sd, mean + sd of each metric in
 * ms[0..nm) (percent for accuracies); rows where no run has a value of the
 * first metric are left out. Tracks the bands in p. */
static size_t write_epoch_band(Job *j, Panel *p, const StudyResults *s, size_t g,
                               const Metric *ms, size_t nm)
{
    size_t ne = group_epochs(s, g);
    double *x = calloc(ne + 1, sizeof *x), *buf = calloc(3 * nm * (ne + 1), sizeof *buf);
    if (!x || !buf) {
        free(x);
        free(buf);
        j->failed = 1;
        return 0;
    }
    size_t id = block_begin(j), rows = 0;
    for (size_t e = 1; e <= ne; e++) {
        double mean[8], sd[8];
        if (plot_epoch_stat(s, g, ms[0], e, &mean[0], &sd[0]) == 0)
            continue;
        for (size_t k = 1; k < nm; k++)
            plot_epoch_stat(s, g, ms[k], e, &mean[k], &sd[k]);
        buf_printf(&j->data, "%zu", e);
        x[rows] = (double)e;
        for (size_t k = 0; k < nm; k++) {
            double sc = scale_of(ms[k]), m = sc * mean[k], d = sc * sd[k];
            buf_printf(&j->data, " %.6g %.6g %.6g", m, m - d, m + d);
            buf[(3 * k + 0) * (ne + 1) + rows] = m;
            buf[(3 * k + 1) * (ne + 1) + rows] = m - d;
            buf[(3 * k + 2) * (ne + 1) + rows] = m + d;
        }
        buf_printf(&j->data, "\n");
        rows++;
    }
    block_end(j);
    for (size_t k = 0; k < nm; k++) {
        const double *m = &buf[(3 * k) * (ne + 1)];
        track_band(j, p, x, m + (ne + 1), m + 2 * (ne + 1), rows, 0);
        track_line(j, p, x, m, rows, 0, 1);
    }
    free(x);
    free(buf);
    return id;
}

/* One run's metrics ms[0..nm) per epoch (percent for accuracies). */
static size_t write_epoch_run(Job *j, Panel *p, const RunResult *r, const Metric *ms, size_t nm)
{
    size_t id = block_begin(j);
    for (size_t e = 0; e < r->n_epochs; e++) {
        buf_printf(&j->data, "%zu", e + 1);
        for (size_t k = 0; k < nm; k++) {
            double v = scale_of(ms[k]) * r->epochs[e].m[ms[k]];
            buf_printf(&j->data, isfinite(v) ? " %.6g" : " NaN", v);
            pts_add(&p->cover, j, (double)(e + 1), v);
        }
        buf_printf(&j->data, "\n");
    }
    block_end(j);
    return id;
}

static void epoch_figure(Job *j, const PlotInput *in, int acc)
{
    const StudyResults *s = in->s;
    int sm = is_softmax(s);
    Metric ms[2] = {sm ? (acc ? METRIC_FULL_TRAIN_ACC : METRIC_FULL_TRAIN_LOSS)
                       : (acc ? METRIC_TRAIN_ACC : METRIC_TRAIN_LOSS),
                    sm ? (acc ? METRIC_TEST_ACC : METRIC_TEST_LOSS)
                       : (acc ? METRIC_VAL_ACC : METRIC_VAL_LOSS)};
    const char *train, *other;
    training_names(s, &train, &other);
    Split sp;
    split_groups(s, 4, &sp);
    Figure *fg = fig_new(j, s, acc ? "-epoch-acc" : "-epoch-loss", sp.n_panels, sp.rows, sp.cols);
    if (!fg)
        return;
    size_t ne = 0;
    for (size_t g = 0; g < s->n_groups; g++)
        ne = group_epochs(s, g) > ne ? group_epochs(s, g) : ne;
    epoch_axis(fg, ne ? ne : 1);
    snprintf(fg->ylabel, sizeof fg->ylabel, "%s", acc ? "accuracy (%)" : "loss");
    fg->y_cap = acc ? 100.0 : INFINITY;
    fg->y_per_row = !acc && sp.row_key >= 0 &&
                    strcmp(experiment_sweep_key(s->exp, (size_t)sp.row_key), "loss") == 0;
    int nk = (int)experiment_sweep_count(s->exp);
    /* the longer curves first, so that a shorter one that follows the same
     * path (a number-of-epochs sweep) stays visible on top */
    size_t order[CURVES_MAX];
    for (size_t g = 0; g < s->n_groups; g++)
        order[g] = g;
    for (size_t a = 1; a < s->n_groups; a++)
        for (size_t b = a; b > 0 && group_epochs(s, order[b]) > group_epochs(s, order[b - 1]);
             b--) {
            size_t t = order[b];
            order[b] = order[b - 1];
            order[b - 1] = t;
        }
    for (size_t o = 0; o < s->n_groups; o++) {
        size_t g = order[o];
        Panel *p = &fg->panel[sp.panel_of[g]];
        const char *c = colour(sp.colour_of[g]);
        char label[TEXT_MAX] = "";
        if (sp.panel_keys) {
            group_text(s, g, sp.panel_keys, 0, p->title, sizeof p->title);
            if (!sp.colour_keys)
                diverged_note(s, g, p->title, sizeof p->title);
        }
        if (nk == 0) { /* the spread is the point: every seed, faint */
            for (size_t k = 0; k < s->n_seeds; k++) {
                size_t id = write_epoch_run(j, p, group_run(s, g, k), ms, 2);
                item_add(j, p, 0, NULL,
                         "$d%zu using 1:2 with lines lw " LW_FAINT " lc rgb \"#" FAINT "%s\"",
                         id, c);
                item_add(j, p, 0, NULL,
                         "$d%zu using 1:3 with lines lw " LW_FAINT " lc rgb \"#" FAINT
                         "%s\" dt 2",
                         id, c);
            }
        }
        size_t id = write_epoch_band(j, p, s, g, ms, 2);
        item_add(j, p, 0, NULL, "$d%zu using 1:3:4 with filledcurves " BAND " lc rgb \"#%s\"",
                 id, c);
        item_add(j, p, 0, NULL, "$d%zu using 1:6:7 with filledcurves " BAND " lc rgb \"#%s\"",
                 id, c);
        if (sp.colour_keys) {
            group_text(s, g, sp.colour_keys, 1, label, sizeof label);
            diverged_note(s, g, label, sizeof label);
        }
        if (nk == 0) {
            item_add(j, p, 0, train, "$d%zu using 1:2 with lines lw " LW " lc rgb \"#%s\"", id, c);
            item_add(j, p, 0, other, "$d%zu using 1:5 with lines lw " LW " lc rgb \"#%s\" dt 2",
                     id, c);
        } else {
            item_add(j, p, 0, sp.colour_keys ? label : NULL,
                     "$d%zu using 1:2 with lines lw " LW " lc rgb \"#%s\"", id, c);
            item_add(j, p, 0, NULL, "$d%zu using 1:5 with lines lw " LW " lc rgb \"#%s\" dt 2",
                     id, c);
        }
    }
    for (size_t i = 0; i < fg->n; i++) {
        Panel *p = &fg->panel[i];
        if (nk == 0) {
            item_add(j, p, 1, "single seeds",
                     "keyentry with lines lw " LW_FAINT " lc rgb \"#" FAINT "%s\"", colour(0));
            continue;
        }
        item_add(j, p, 1, train, "keyentry with lines lw " LW " lc rgb \"#" INK "\"");
        item_add(j, p, 1, other, "keyentry with lines lw " LW " lc rgb \"#" INK "\" dt 2");
    }
}

/* ---- minibatch curves (softmax) ------------------------------------------- */

/* Minibatches per epoch: the rows of epoch 1 of the run that has the most. */
static size_t iters_per_epoch(const StudyResults *s, size_t g)
{
    size_t best = 0;
    for (size_t k = 0; k < s->n_seeds; k++) {
        const RunResult *r = group_run(s, g, k);
        size_t n = 0;
        while (n < r->n_iters && r->iters[n].epoch == 1)
            n++;
        best = n > best ? n : best;
    }
    return best ? best : 1;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The blocks of one setting's minibatch curves, shared by the loss and the
 * accuracy figure: the moving averages (mean, -sd, +sd of loss, then of
 * accuracy), the raw values of the drawn seed, and the whole training set
 * after each epoch. Keeps the numbers for the ranges and the legend. */
typedef struct {
    size_t ma_block, raw_block, ep_block;
    size_t n_ma;               /* rows written of the moving averages */
    double *x, *m[2][3];       /* [loss, acc][mean, lo, hi] at those rows */
    size_t n_raw;
    double *rx, *rv[2];        /* the raw values of the drawn seed */
    double lo_q[2], hi_q[2];   /* 1st and 99th percentile of the raw values */
    size_t n_ep;
    double *ex, *em[2][3];
    size_t window;             /* minibatches averaged */
} IterCurves;

static void iter_curves_free(IterCurves *c)
{
    free(c->x);
    free(c->rx);
    free(c->ex);
    for (int k = 0; k < 2; k++) {
        free(c->rv[k]);
        for (int t = 0; t < 3; t++) {
            free(c->m[k][t]);
            free(c->em[k][t]);
        }
    }
    memset(c, 0, sizeof *c);
}

static int iter_curves(Job *j, const StudyResults *s, size_t g, size_t max_raw, IterCurves *c)
{
    memset(c, 0, sizeof *c);
    size_t per = iters_per_epoch(s, g), n = 0;
    size_t half = (size_t)floor(0.5 * PLOT_SMOOTH_EPOCHS * (double)per + 0.5);
    c->window = 2 * half + 1;
    size_t fin[CURVES_MAX];
    for (size_t k = 0; k < s->n_seeds; k++) {
        fin[k] = run_result_finite_iters(group_run(s, g, k));
        n = fin[k] > n ? fin[k] : n;
    }
    size_t ne = group_epochs(s, g);
    /* ma[k][metric][i]: seed k's moving average */
    double *ma = calloc(s->n_seeds * 2 * (n + 1), sizeof *ma), *tmp = calloc(n + 1, sizeof *tmp);
    c->x = calloc(n + 1, sizeof *c->x);
    c->rx = calloc(n + 1, sizeof *c->rx);
    c->ex = calloc(ne + 1, sizeof *c->ex);
    int ok = ma && tmp && c->x && c->rx && c->ex;
    for (int k = 0; k < 2 && ok; k++) {
        c->rv[k] = calloc(n + 1, sizeof *c->rv[k]);
        ok = ok && c->rv[k];
        for (int t = 0; t < 3 && ok; t++) {
            c->m[k][t] = calloc(n + 1, sizeof *c->m[k][t]);
            c->em[k][t] = calloc(ne + 1, sizeof *c->em[k][t]);
            ok = c->m[k][t] && c->em[k][t];
        }
    }
    if (!ok) {
        free(ma);
        free(tmp);
        iter_curves_free(c);
        j->failed = 1;
        return -1;
    }
    for (size_t k = 0; k < s->n_seeds; k++) {
        const RunResult *r = group_run(s, g, k);
        for (int mk = 0; mk < 2; mk++) {
            for (size_t i = 0; i < fin[k]; i++)
                tmp[i] = mk ? 100.0 * r->iters[i].acc : r->iters[i].loss;
            plot_moving_average(tmp, fin[k], half, &ma[(k * 2 + (size_t)mk) * (n + 1)]);
        }
    }
    /* mean and sd over the seeds that reached each minibatch; written every
     * stride-th row (the average changes little within a quarter window) */
    size_t stride = half / 4 ? half / 4 : 1;
    c->ma_block = block_begin(j);
    for (size_t i = 0; i < n; i++) {
        if (i % stride != 0 && i + 1 != n)
            continue;
        double x = (double)(i + 1) / (double)per, v[CURVES_MAX];
        buf_printf(&j->data, "%.6g", x);
        c->x[c->n_ma] = x;
        for (int mk = 0; mk < 2; mk++) {
            size_t m = 0;
            double mean, sd;
            for (size_t k = 0; k < s->n_seeds; k++)
                if (i < fin[k])
                    v[m++] = ma[(k * 2 + (size_t)mk) * (n + 1) + i];
            mean_sd(v, m, &mean, &sd);
            buf_printf(&j->data, " %.6g %.6g %.6g", mean, mean - sd, mean + sd);
            c->m[mk][0][c->n_ma] = mean;
            c->m[mk][1][c->n_ma] = mean - sd;
            c->m[mk][2][c->n_ma] = mean + sd;
        }
        buf_printf(&j->data, "\n");
        c->n_ma++;
    }
    block_end(j);

    size_t seed = study_plot_seed(s);
    const RunResult *r = group_run(s, g, seed);
    /* every k-th value, k such that a panel gets at most max_raw: more lines
     * than pixels would merge into a block of colour */
    size_t k = fin[seed] > max_raw ? (fin[seed] + max_raw - 1) / max_raw : 1;
    c->n_raw = 0;
    c->raw_block = block_begin(j);
    for (size_t i = 0; i < fin[seed]; i += k) {
        size_t q = c->n_raw++;
        c->rx[q] = (double)r->iters[i].iteration / (double)per;
        c->rv[0][q] = r->iters[i].loss;
        c->rv[1][q] = 100.0 * r->iters[i].acc;
        buf_printf(&j->data, "%.6g %.6g %.6g\n", c->rx[q], c->rv[0][q], c->rv[1][q]);
    }
    block_end(j);
    for (int mk = 0; mk < 2; mk++) {
        memcpy(tmp, c->rv[mk], c->n_raw * sizeof *tmp);
        qsort(tmp, c->n_raw, sizeof *tmp, cmp_double);
        c->lo_q[mk] = c->n_raw ? tmp[(size_t)(0.01 * (double)(c->n_raw - 1))] : NAN;
        c->hi_q[mk] = c->n_raw ? tmp[(size_t)(0.99 * (double)(c->n_raw - 1))] : NAN;
    }

    Metric em[2] = {METRIC_FULL_TRAIN_LOSS, METRIC_FULL_TRAIN_ACC};
    c->ep_block = block_begin(j);
    for (size_t e = 1; e <= ne; e++) {
        double mean[2], sd[2];
        if (plot_epoch_stat(s, g, em[0], e, &mean[0], &sd[0]) == 0)
            continue;
        plot_epoch_stat(s, g, em[1], e, &mean[1], &sd[1]);
        mean[1] *= 100.0;
        sd[1] *= 100.0;
        buf_printf(&j->data, "%zu %.6g %.6g %.6g %.6g\n", e, mean[0], sd[0], mean[1], sd[1]);
        c->ex[c->n_ep] = (double)e;
        for (int mk = 0; mk < 2; mk++) {
            c->em[mk][0][c->n_ep] = mean[mk];
            c->em[mk][1][c->n_ep] = mean[mk] - sd[mk];
            c->em[mk][2][c->n_ep] = mean[mk] + sd[mk];
        }
        c->n_ep++;
    }
    block_end(j);
    free(ma);
    free(tmp);
    return 0;
}

static void iter_figure(Job *j, const PlotInput *in, int acc, const IterCurves *cs)
{
    const StudyResults *s = in->s;
    size_t rows, cols, ng = s->n_groups;
    grid_for(ng, &rows, &cols);
    Figure *fg = fig_new(j, s, acc ? "-iter-acc" : "-iter-loss", ng, rows, cols);
    if (!fg)
        return;
    size_t ne = 0;
    for (size_t g = 0; g < ng; g++)
        ne = group_epochs(s, g) > ne ? group_epochs(s, g) : ne;
    ne = ne ? ne : 1;
    epoch_axis(fg, ne);
    fg->x0 = 0.0; /* the minibatches start at 0 epochs */
    fg->x1 = (double)ne + 0.02 * (double)ne;
    snprintf(fg->ylabel, sizeof fg->ylabel, "%s",
             acc ? "minibatch accuracy (%)" : "minibatch loss");
    fg->y_cap = acc ? 100.0 : INFINITY;
    int mk = acc ? 1 : 0;
    char raw_label[TEXT_MAX];
    snprintf(raw_label, sizeof raw_label, "minibatches (seed %llu)",
             (unsigned long long)experiment_seed(s->exp, study_plot_seed(s)));
    static const char MA_LABEL[] = "moving average", EPOCH_LABEL[] = "whole training set";
    /* one panel: the legend shows its colour; several: neutral samples */
    int solo = ng == 1;
    for (size_t g = 0; g < ng; g++) {
        Panel *p = &fg->panel[g];
        const IterCurves *c = &cs[g];
        const char *col = colour(g);
        if (!solo) {
            group_text(s, g, ~0u, 0, p->title, sizeof p->title);
            diverged_note(s, g, p->title, sizeof p->title);
        }
        item_add(j, p, 0, solo ? raw_label : NULL,
                 "$d%zu using 1:%d with lines lw " LW_FAINT " lc rgb \"#" FAINT "%s\"",
                 c->raw_block, 2 + mk, col);
        track_line(j, p, c->rx, c->rv[mk], c->n_raw, 0, 0);
        if (c->n_raw) {
            track_point(j, p, c->rx[0], c->lo_q[mk]);
            track_point(j, p, c->rx[0], c->hi_q[mk]);
        }
        item_add(j, p, 0, NULL, "$d%zu using 1:%d:%d with filledcurves " BAND " lc rgb \"#%s\"",
                 c->ma_block, 3 + 3 * mk, 4 + 3 * mk, col);
        item_add(j, p, 0, solo ? MA_LABEL : NULL,
                 "$d%zu using 1:%d with lines lw " LW " lc rgb \"#%s\"", c->ma_block, 2 + 3 * mk,
                 col);
        track_band(j, p, c->x, c->m[mk][1], c->m[mk][2], c->n_ma, 0);
        item_add(j, p, 0, solo ? EPOCH_LABEL : NULL,
                 "$d%zu using 1:%d:%d with yerrorbars " PT_MEAN " lw 1.2 lc rgb \"#" INK "\"",
                 c->ep_block, 2 + 2 * mk, 3 + 2 * mk);
        track_band(j, p, c->ex, c->em[mk][1], c->em[mk][2], c->n_ep, 0);
        if (solo)
            continue;
        item_add(j, p, 1, raw_label,
                 "keyentry with lines lw " LW_FAINT " lc rgb \"#" FAINT INK "\"");
        item_add(j, p, 1, MA_LABEL, "keyentry with lines lw " LW " lc rgb \"#" INK "\"");
        item_add(j, p, 1, EPOCH_LABEL,
                 "keyentry with yerrorbars " PT_MEAN " lw 1.2 lc rgb \"#" INK "\"");
    }
}

/* ---- the original's figures --------------------------------------------------- */

static const RefRow *group_ref(const PlotInput *in, const StudyResults *s, size_t g)
{
    char buf[STUDY_NAME_MAX + 16];
    const char *table = reference_table(in->ref, experiment_study(s->exp), buf, sizeof buf);
    return reference_match(in->ref, table, &group_run(s, g, 0)->config);
}

/* The original's value of metric m (percent), NAN if it has none: the
 * softmax tables' training accuracy is a last minibatch's, not comparable
 * with the whole training set's. */
static double ref_value(const RefRow *r, Metric m, int softmax)
{
    if (!r)
        return NAN;
    switch (m) {
    case METRIC_TEST_ACC:
        return r->test_acc;
    case METRIC_VAL_ACC:
        return r->val_acc;
    case METRIC_TRAIN_ACC:
        return softmax ? NAN : r->train_acc;
    case METRIC_TRAIN_LOSS:
    case METRIC_FULL_TRAIN_LOSS:
    case METRIC_FULL_TRAIN_ACC:
    case METRIC_VAL_LOSS:
    case METRIC_TEST_LOSS:
    case METRIC_LAST_BATCH_LOSS:
    case METRIC_LAST_BATCH_ACC:
    case METRIC_COUNT:
        return NAN;
    }
    return NAN;
}

/* ---- final accuracies: the dot plot ----------------------------------------- */

typedef struct {
    const char *title;
    Metric metric;
    const char *colour;
} Series;

static size_t final_series(const StudyResults *s, Series *out)
{
    size_t n = 0;
    if (is_softmax(s)) {
        out[n++] = (Series){"training set", METRIC_FULL_TRAIN_ACC, COLOURS[0]};
    } else {
        out[n++] = (Series){"training (epoch mean)", METRIC_TRAIN_ACC, COLOURS[0]};
        out[n++] = (Series){"validation", METRIC_VAL_ACC, COLOURS[2]};
    }
    out[n++] = (Series){"test set", METRIC_TEST_ACC, COLOURS[1]};
    return n;
}

/* Draws the chance level when the data come within 30 points of it. */
static void chance_line(Job *j, Figure *fg, Panel *p, int horizontal)
{
    double lo = INFINITY;
    for (size_t i = 0; i < p->extent.n; i++)
        lo = fmin(lo, horizontal ? p->extent.p[i].y : p->extent.p[i].x);
    if (!(lo < CHANCE + 30.0))
        return;
    if (horizontal) {
        item_add(j, p, 0, "chance (10 %)", "%g with lines lw 1.2 dt 3 lc rgb \"#" CHANCE_INK "\"",
                 CHANCE);
        double x[2] = {fg->x0, fg->x1}, y[2] = {CHANCE, CHANCE};
        track_line(j, p, x, y, 2, fg->xlog, 1);
    } else {
        buf_printf(&p->labels,
                "set arrow from first %g, graph 0 to first %g, graph 1 nohead lw 1.2 dt 3 "
                "lc rgb \"#" CHANCE_INK "\"\n",
                CHANCE, CHANCE);
        item_add(j, p, 1, "chance (10 %)",
                 "keyentry with lines lw 1.2 dt 3 lc rgb \"#" CHANCE_INK "\"");
        track_point(j, p, CHANCE, fg->fy0 + 0.5);
        for (int t = 0; t <= 16; t++)
            pts_add(&p->cover, j, CHANCE, fg->fy0 + (fg->fy1 - fg->fy0) * t / 16.0);
    }
}

/* The first swept key with numbers for values, or -1. */
static int numeric_key(const StudyResults *s)
{
    for (size_t k = 0; k < experiment_sweep_count(s->exp); k++)
        if (key_is_numeric(experiment_sweep_key(s->exp, k)))
            return (int)k;
    return -1;
}

/* x moved by frac of the axis width. */
static double shift_x(const Figure *fg, double x, double frac)
{
    return fg->xlog ? x * pow(fg->x1 / fg->x0, frac) : x + frac * (fg->x1 - fg->x0);
}

/* Settings where runs diverged: "3 of 5 runs" above the points of a mean of
 * fewer runs, "diverged" near the axis where no run has a value. */
static void sweep_notes(Job *j, Figure *fg, Panel *p, const StudyResults *s, int key, Metric m)
{
    double lo = INFINITY, hi = -INFINITY;
    for (size_t k = 0; k < p->extent.n; k++) {
        lo = fmin(lo, p->extent.p[k].y);
        hi = fmax(hi, p->extent.p[k].y);
    }
    double span = hi > lo ? hi - lo : 1.0;
    for (size_t g = 0; g < s->n_groups; g++) {
        double x = sweep_number(s, g * s->n_seeds, (size_t)key), mean, sd, top = -INFINITY;
        size_t n;
        study_group_stats(s, g, m, &mean, &sd, &n);
        if (n == s->n_seeds)
            continue;
        char note[64];
        snprintf(note, sizeof note, n ? "%zu of %zu runs" : "diverged", n, s->n_seeds);
        double half = 0.5 * (double)strlen(note) * CHAR_PX / (WIDTH_PX - MARGIN_L - MARGIN_R);
        if (n == 0) {
            buf_printf(&p->labels, "set label \"%s\" at first %.6g, graph 0.05 center tc rgb \"#" INK
                                "\"\n", note, x);
            for (int t = -4; t <= 4; t++)
                pts_add(&p->cover_graph, j, shift_x(fg, x, half * t / 4.0), 0.05);
            continue;
        }
        Series series[3];
        size_t ns = final_series(s, series);
        for (size_t k = 0; k < ns; k++) {
            double mk, sk;
            size_t nk;
            study_group_stats(s, g, series[k].metric, &mk, &sk, &nk);
            if (nk)
                top = fmax(top, 100.0 * (mk + sk));
        }
        double y = top + 0.07 * span;
        buf_printf(&p->labels, "set label \"%s\" at first %.6g, first %.6g center tc rgb \"#" INK
                            "\"\n", note, x, y);
        pts_add(&p->extent, j, x, y + 0.04 * span);
        for (int t = -4; t <= 4; t++)
            for (int u = -1; u <= 1; u++)
                pts_add(&p->cover, j, shift_x(fg, x, half * t / 4.0), y + 0.035 * span * u);
    }
}

/* One key, or a numeric key among others: accuracy against that key, one
 * series per metric (one key) or per setting of the other keys (test
 * accuracy). */
static void sweep_numeric(Job *j, const PlotInput *in, Figure *fg, int key)
{
    const StudyResults *s = in->s;
    Panel *p = &fg->panel[0];
    size_t nk = experiment_sweep_count(s->exp);
    sweep_axis(j, fg, s, (size_t)key);
    snprintf(fg->ylabel, sizeof fg->ylabel, "%s", nk == 1 ? "final accuracy (%)"
                                                          : "final test accuracy (%)");
    fg->y_cap = 100.0;
    Series series[3];
    size_t ns = nk == 1 ? final_series(s, series) : 0;
    /* the other keys' settings: one series each */
    unsigned others = ~0u & ~(1u << key);
    size_t nv = experiment_sweep_value_count(s->exp, (size_t)key);
    size_t n_series = nk == 1 ? ns : s->n_groups / nv;
    int any_ref = 0;
    for (size_t si = 0; si < n_series; si++) {
        const char *col = nk == 1 ? series[si].colour : colour(si);
        Metric m = nk == 1 ? series[si].metric : METRIC_TEST_ACC;
        char label[TEXT_MAX];
        size_t id = block_begin(j), rows = 0, first = 0;
        double xs[CURVES_MAX], ys[CURVES_MAX], lo[CURVES_MAX], hi[CURVES_MAX];
        Buf refs = {0};
        size_t n_refs = 0;
        for (size_t g = 0, seen = 0; g < s->n_groups; g++) {
            /* groups of this series: one key (all), else the si-th setting of the others */
            if (nk > 1) {
                size_t idx = 0;
                for (size_t k = 0; k < nk; k++)
                    if (k != (size_t)key)
                        idx = idx * experiment_sweep_value_count(s->exp, k) + value_index(s, g, k);
                if (idx != si)
                    continue;
                if (seen++ == 0)
                    first = g;
            }
            double x = offset_x(fg, sweep_number(s, g * s->n_seeds, (size_t)key), si, n_series);
            double mean, sd;
            size_t n;
            study_group_stats(s, g, m, &mean, &sd, &n);
            if (n) {
                buf_printf(&j->data, "%.6g %.6g %.6g\n", x, 100.0 * mean, 100.0 * sd);
                xs[rows] = x;
                ys[rows] = 100.0 * mean;
                lo[rows] = 100.0 * (mean - sd);
                hi[rows] = 100.0 * (mean + sd);
                rows++;
            }
            double rv = ref_value(group_ref(in, s, g), m, is_softmax(s));
            if (!isnan(rv)) {
                buf_printf(&refs, "%.6g %.6g\n", x, rv);
                track_point(j, p, x, rv);
                n_refs++;
            }
        }
        block_end(j);
        if (nk == 1)
            snprintf(label, sizeof label, "%s", series[si].title);
        else
            group_text(s, first, others, 1, label, sizeof label);
        item_add(j, p, 0, NULL, "$d%zu using 1:2 with lines lw 1 lc rgb \"#" FAINT "%s\"", id,
                 col);
        item_add(j, p, 0, label,
                 "$d%zu using 1:2:3 with yerrorbars " PT_MEAN " lw 1.4 lc rgb \"#%s\"", id, col);
        track_band(j, p, xs, lo, hi, rows, fg->xlog);
        track_line(j, p, xs, ys, rows, fg->xlog, 1);
        if (n_refs && !refs.failed) {
            size_t rid = block_begin(j);
            buf_printf(&j->data, "%s", refs.p);
            block_end(j);
            item_add(j, p, 0, NULL, "$d%zu using 1:2 with points " PT_ORIGINAL " lc rgb \"#%s\"",
                     rid, col);
            any_ref = 1;
        }
        j->failed |= refs.failed;
        free(refs.p);
    }
    if (any_ref)
        item_add(j, p, 1, "original write-up",
                 "keyentry with points " PT_ORIGINAL " lc rgb \"#" INK "\"");
    chance_line(j, fg, p, 1);
    sweep_notes(j, fg, p, s, key, nk == 1 ? series[0].metric : METRIC_TEST_ACC);
}

/* No numeric key (the architectures): one line per setting, accuracy across. */
static void sweep_categories(Job *j, const PlotInput *in, Figure *fg)
{
    const StudyResults *s = in->s;
    Panel *p = &fg->panel[0];
    Series series[3];
    size_t ns = final_series(s, series), ng = s->n_groups;
    fg->x_auto = 1;
    fg->y_fixed = 1;
    fg->fy0 = 0.4;
    fg->fy1 = (double)ng + 0.6;
    snprintf(fg->xlabel, sizeof fg->xlabel, "final accuracy (%%)");
    size_t n = (size_t)snprintf(fg->ytics, sizeof fg->ytics, "(");
    size_t widest = 0;
    for (size_t g = 0; g < ng; g++) {
        char label[TEXT_MAX], q[TEXT_MAX + 8];
        group_text(s, g, ~0u, 0, label, sizeof label);
        diverged_note(s, g, label, sizeof label);
        widest = text_chars(label) > widest ? text_chars(label) : widest;
        if (plot_quote(q, sizeof q, label) < 0 || n + strlen(q) + 16 >= sizeof fg->ytics) {
            job_fail(j, "plot: '%s': tic labels too long", experiment_study(s->exp));
            return;
        }
        n += (size_t)snprintf(fg->ytics + n, sizeof fg->ytics - n, "%s%s %zu", g ? ", " : "", q,
                              ng - g);
    }
    snprintf(fg->ytics + n, sizeof fg->ytics - n, ")");
    fg->left_px = 24.0 + CHAR_PX * (double)widest;
    int any_ref = 0;
    for (size_t si = 0; si < ns; si++) {
        size_t id = block_begin(j);
        Buf refs = {0};
        for (size_t g = 0; g < ng; g++) {
            double y = (double)(ng - g) - ((double)si - (double)(ns - 1) / 2.0) * 0.2;
            double mean, sd;
            size_t k;
            study_group_stats(s, g, series[si].metric, &mean, &sd, &k);
            if (k) {
                buf_printf(&j->data, "%.6g %.6g %.6g\n", 100.0 * mean, y, 100.0 * sd);
                double xs[2] = {100.0 * (mean - sd), 100.0 * (mean + sd)}, ys[2] = {y, y};
                track_line(j, p, xs, ys, 2, 0, 1);
            }
            double rv = ref_value(group_ref(in, s, g), series[si].metric, is_softmax(s));
            if (!isnan(rv)) {
                buf_printf(&refs, "%.6g %.6g\n", rv, y);
                track_point(j, p, rv, y);
            }
        }
        block_end(j);
        item_add(j, p, 0, series[si].title,
                 "$d%zu using 1:2:3 with xerrorbars " PT_MEAN " lw 1.4 lc rgb \"#%s\"", id,
                 series[si].colour);
        if (refs.p && !refs.failed) {
            size_t rid = block_begin(j);
            buf_printf(&j->data, "%s", refs.p);
            block_end(j);
            item_add(j, p, 0, NULL, "$d%zu using 1:2 with points " PT_ORIGINAL " lc rgb \"#%s\"",
                     rid, series[si].colour);
            any_ref = 1;
        }
        j->failed |= refs.failed;
        free(refs.p);
    }
    if (any_ref)
        item_add(j, p, 1, "original write-up",
                 "keyentry with points " PT_ORIGINAL " lc rgb \"#" INK "\"");
    chance_line(j, fg, p, 0);
}

static void sweep_figure(Job *j, const PlotInput *in)
{
    Figure *fg = fig_new(j, in->s, "-sweep", 1, 1, 1);
    if (!fg)
        return;
    int key = numeric_key(in->s);
    if (key >= 0)
        sweep_numeric(j, in, fg, key);
    else
        sweep_categories(j, in, fg);
}

/* ---- the reproduction at a glance (softmax) ------------------------------- */

static int same_sweep(const StudyResults *a, const StudyResults *b)
{
    size_t nk = experiment_sweep_count(a->exp);
    if (nk != experiment_sweep_count(b->exp) || a->n_groups != b->n_groups)
        return 0;
    for (size_t g = 0; g < a->n_groups; g++)
        for (size_t k = 0; k < nk; k++)
            if (strcmp(experiment_sweep_key(a->exp, k), experiment_sweep_key(b->exp, k)) != 0 ||
                strcmp(experiment_run_sweep(a->exp, g * a->n_seeds, k),
                       experiment_run_sweep(b->exp, g * b->n_seeds, k)) != 0)
                return 0;
    return 1;
}

static void glance_figure(Job *j, const PlotInput *in)
{
    const StudyResults *s = in->s, *both[2] = {in->s, in->twin};
    static const char *const NAMES[2] = {"correct gradient",
                                         "as reported (no \xce\xbbW in the gradient)"};
    if (!same_sweep(s, in->twin)) {
        job_fail(j, "plot: '%s': its as-reported twin sweeps other settings",
                 experiment_study(s->exp));
        return;
    }
    Figure *fg = fig_new(j, s, "-glance", 1, 1, 1);
    if (!fg)
        return;
    Panel *p = &fg->panel[0];
    size_t nk = experiment_sweep_count(s->exp);
    snprintf(fg->ylabel, sizeof fg->ylabel, "test accuracy (%%)");
    fg->y_cap = 100.0;
    if (nk == 0) {
        size_t ne = group_epochs(s, 0) > group_epochs(in->twin, 0) ? group_epochs(s, 0)
                                                                    : group_epochs(in->twin, 0);
        epoch_axis(fg, ne ? ne : 1);
        for (int t = 0; t < 2; t++) {
            Metric m = METRIC_TEST_ACC;
            size_t id = write_epoch_band(j, p, both[t], 0, &m, 1);
            item_add(j, p, 0, NULL, "$d%zu using 1:3:4 with filledcurves " BAND " lc rgb \"#%s\"",
                     id, COLOURS[t]);
            item_add(j, p, 0, NAMES[t],
                     "$d%zu using 1:2 with linespoints " PT_MEAN " lw " LW " lc rgb \"#%s\"", id,
                     COLOURS[t]);
        }
        double rv = ref_value(group_ref(in, s, 0), METRIC_TEST_ACC, 1);
        if (!isnan(rv)) {
            size_t id = block_begin(j);
            buf_printf(&j->data, "%d %.6g\n", group_run(s, 0, 0)->config.max_epoch, rv);
            block_end(j);
            track_point(j, p, (double)group_run(s, 0, 0)->config.max_epoch, rv);
            item_add(j, p, 0, "original write-up (final)",
                     "$d%zu using 1:2 with points " PT_ORIGINAL " lc rgb \"#" INK "\"", id);
        }
        return;
    }
    int key = numeric_key(s);
    if (nk != 1 || key < 0) {
        job_fail(j, "plot: '%s': a glance figure needs one numeric swept key",
                 experiment_study(s->exp));
        return;
    }
    sweep_axis(j, fg, s, (size_t)key);
    snprintf(fg->ylabel, sizeof fg->ylabel, "final test accuracy (%%)");
    fg->y_cap = 100.0;
    /* settings in the order of their values, for the bands */
    size_t order[CURVES_MAX];
    for (size_t g = 0; g < s->n_groups; g++)
        order[g] = g;
    for (size_t a = 1; a < s->n_groups; a++)
        for (size_t b = a; b > 0 && sweep_number(s, order[b - 1] * s->n_seeds, (size_t)key) >
                                        sweep_number(s, order[b] * s->n_seeds, (size_t)key);
             b--) {
            size_t t = order[b];
            order[b] = order[b - 1];
            order[b - 1] = t;
        }
    for (int t = 0; t < 2; t++) {
        const StudyResults *st = both[t];
        double xs[CURVES_MAX], ys[CURVES_MAX], lo[CURVES_MAX], hi[CURVES_MAX];
        size_t rows = 0, id = block_begin(j);
        for (size_t i = 0; i < st->n_groups; i++) {
            size_t g = order[i];
            double mean, sd;
            size_t n;
            study_group_stats(st, g, METRIC_TEST_ACC, &mean, &sd, &n);
            if (!n)
                continue;
            xs[rows] = sweep_number(st, g * st->n_seeds, (size_t)key);
            ys[rows] = 100.0 * mean;
            lo[rows] = 100.0 * (mean - sd);
            hi[rows] = 100.0 * (mean + sd);
            buf_printf(&j->data, "%.6g %.6g %.6g %.6g\n", xs[rows], ys[rows], lo[rows], hi[rows]);
            rows++;
        }
        block_end(j);
        track_band(j, p, xs, lo, hi, rows, fg->xlog);
        track_line(j, p, xs, ys, rows, fg->xlog, 1);
        item_add(j, p, 0, NULL, "$d%zu using 1:3:4 with filledcurves " BAND " lc rgb \"#%s\"", id,
                 COLOURS[t]);
        item_add(j, p, 0, NAMES[t],
                 "$d%zu using 1:2 with linespoints " PT_MEAN " lw " LW " lc rgb \"#%s\"", id,
                 COLOURS[t]);
    }
    Buf refs = {0};
    for (size_t g = 0; g < s->n_groups; g++) {
        double rv = ref_value(group_ref(in, s, g), METRIC_TEST_ACC, 1);
        if (isnan(rv))
            continue;
        double x = sweep_number(s, g * s->n_seeds, (size_t)key);
        buf_printf(&refs, "%.6g %.6g\n", x, rv);
        track_point(j, p, x, rv);
    }
    if (refs.p && !refs.failed) {
        size_t id = block_begin(j);
        buf_printf(&j->data, "%s", refs.p);
        block_end(j);
        item_add(j, p, 0, "original write-up",
                 "$d%zu using 1:2 with points " PT_ORIGINAL " lc rgb \"#" INK "\"", id);
    }
    j->failed |= refs.failed;
    free(refs.p);
}

/* ---- learn, then unlearn (across mlp studies) ------------------------------ */

typedef struct {
    const StudyResults *s;
    size_t g;
    double peak, last, drop; /* mean validation accuracy (percent) */
    size_t peak_epoch, epochs;
} Unlearn;

static Unlearn unlearn_of(const StudyResults *s, size_t g)
{
    Unlearn u = {s, g, -INFINITY, NAN, NAN, 0, 0};
    size_t ne = group_epochs(s, g);
    for (size_t e = 1; e <= ne; e++) {
        double mean, sd;
        if (plot_epoch_stat(s, g, METRIC_VAL_ACC, e, &mean, &sd) == 0)
            continue;
        if (100.0 * mean > u.peak) {
            u.peak = 100.0 * mean;
            u.peak_epoch = e;
        }
        u.last = 100.0 * mean;
        u.epochs = e;
    }
    u.drop = u.epochs ? u.peak - u.last : NAN;
    return u;
}

/* Same network and training but for the seed and the number of epochs. */
static int same_training(const RunConfig *a, const RunConfig *b)
{
    /* memcpy, not assignment: the padding (cleared by experiment_run) must
     * come along for memcmp */
    RunConfig x, y;
    memcpy(&x, a, sizeof x);
    memcpy(&y, b, sizeof y);
    x.seed = y.seed = 0;
    x.max_epoch = y.max_epoch = 0;
    return memcmp(&x, &y, sizeof x) == 0;
}

/* The same network and training but for the weight decay (and the seed and
 * the number of epochs). */
static int same_but_decay(const RunConfig *a, const RunConfig *b)
{
    RunConfig x, y;
    memcpy(&x, a, sizeof x);
    memcpy(&y, b, sizeof y);
    x.weight_decay = y.weight_decay = 0.0;
    return same_training(&x, &y);
}

/* A network's description where studies mix: its layers, loss and
 * activation, and whatever else but the weight decay differs from the mlp
 * defaults. */
static void network_text(const RunConfig *c, char *out, size_t size)
{
    size_t n = 0;
    for (int i = 0; i < c->n_hidden && n < size; i++) {
        int w = snprintf(out + n, size - n, "%s%d", i ? "-" : "", c->hidden[i]);
        n += w > 0 ? (size_t)w : 0;
    }
    if (n < size)
        n += (size_t)snprintf(out + n, size - n, " %s %s",
                              c->loss == LOSS_EUCLIDEAN ? "Euclid" : "CE",
                              c->activation == ACT_RELU ? "ReLU" : "sigmoid");
    /* η as in the report's update rule, to keep the header short */
    if (n < size && c->learning_rate != 0.001)
        n += (size_t)snprintf(out + n, size - n, ", \xce\xb7 = %g", c->learning_rate);
    if (n < size && c->batch_size != 100)
        n += (size_t)snprintf(out + n, size - n, ", batch %d", c->batch_size);
}

/* Whether some mlp study ran the network of u at another weight decay. */
static int has_other_decay(const Unlearn *u, const StudyResults *studies, size_t n)
{
    const RunConfig *c = &group_run(u->s, u->g, 0)->config;
    for (size_t k = 0; k < n; k++)
        for (size_t g = 0; g < studies[k].n_groups && !is_softmax(&studies[k]); g++) {
            const RunConfig *o = &group_run(&studies[k], g, 0)->config;
            if (same_but_decay(o, c) && o->weight_decay != c->weight_decay)
                return 1;
        }
    return 0;
}

static void unlearn_figure(Job *j, const StudyResults *studies, size_t n)
{
    enum { PICK = 5, CANDIDATES = 64 };
    Unlearn cand[CANDIDATES], best[PICK], top = {0};
    int other[CANDIDATES];
    size_t nc = 0, nb = 0;
    top.drop = -INFINITY;
    int any_mlp = 0;
    for (size_t i = 0; i < n; i++) {
        const StudyResults *s = &studies[i];
        if (is_softmax(s))
            continue;
        any_mlp = 1;
        for (size_t g = 0; g < s->n_groups; g++) {
            Unlearn u = unlearn_of(s, g);
            if (isnan(u.drop))
                continue;
            if (u.drop > top.drop)
                top = u;
            if (!(u.drop >= PLOT_UNLEARN_DROP && u.peak_epoch < u.epochs))
                continue;
            /* one panel per network (whatever its decay): the largest drop */
            const RunConfig *c = &group_run(s, g, 0)->config;
            size_t k = 0;
            while (k < nc && !same_but_decay(&group_run(cand[k].s, cand[k].g, 0)->config, c))
                k++;
            if (k < nc && u.drop > cand[k].drop)
                cand[k] = u;
            else if (k == nc && nc < CANDIDATES)
                cand[nc++] = u;
        }
    }
    if (!any_mlp) {
        job_fail(j, "plot: no mlp study to draw '%s' from", PLOT_UNLEARN);
        return;
    }
    /* the networks that some study also ran at another decay first (they show
     * what the decay does), then by drop, largest first */
    for (size_t k = 0; k < nc; k++)
        other[k] = has_other_decay(&cand[k], studies, n);
    for (size_t a = 1; a < nc; a++)
        for (size_t b = a; b > 0 && (other[b] > other[b - 1] ||
                                     (other[b] == other[b - 1] && cand[b].drop > cand[b - 1].drop));
             b--) {
            Unlearn t = cand[b];
            cand[b] = cand[b - 1];
            cand[b - 1] = t;
            int o = other[b];
            other[b] = other[b - 1];
            other[b - 1] = o;
        }
    for (size_t k = 0; k < nc && nb < PICK; k++)
        best[nb++] = cand[k];
    if (nb == 0 && isfinite(top.drop))
        best[nb++] = top;
    /* one panel per network: it (its peak marked) and, where some study ran
     * it, the same network at other weight decays, one colour per decay */
    enum { DECAYS = 8 };
    Unlearn with[PICK][DECAYS];
    size_t n_with[PICK] = {0}, n_decays = 0;
    double decays[DECAYS];
    for (size_t i = 0; i < nb; i++) {
        const RunConfig *ci = &group_run(best[i].s, best[i].g, 0)->config;
        for (size_t k = 0; k < n; k++) {
            const StudyResults *s = &studies[k];
            if (is_softmax(s))
                continue;
            for (size_t g = 0; g < s->n_groups; g++) {
                const RunConfig *c = &group_run(s, g, 0)->config;
                if (!same_but_decay(c, ci))
                    continue;
                Unlearn u = c->weight_decay == ci->weight_decay ? best[i] : unlearn_of(s, g);
                if (isnan(u.drop))
                    continue;
                /* one run at each decay: as long as the falling one, or else the
                 * longest */
                size_t q = 0;
                while (q < n_with[i] &&
                       group_run(with[i][q].s, with[i][q].g, 0)->config.weight_decay !=
                           c->weight_decay)
                    q++;
                int fits = u.epochs == best[i].epochs;
                if (q == n_with[i] && q < DECAYS)
                    with[i][n_with[i]++] = u;
                else if (q < n_with[i] && with[i][q].epochs != best[i].epochs &&
                         (fits || u.epochs > with[i][q].epochs))
                    with[i][q] = u;
                size_t d = 0;
                while (d < n_decays && decays[d] != c->weight_decay)
                    d++;
                if (d == n_decays && d < DECAYS)
                    decays[n_decays++] = c->weight_decay;
            }
        }
    }
    for (size_t a = 1; a < n_decays; a++) /* largest decay first: colours in that order */
        for (size_t b = a; b > 0 && decays[b] > decays[b - 1]; b--) {
            double t = decays[b];
            decays[b] = decays[b - 1];
            decays[b - 1] = t;
        }
    /* two columns, for the networks' names */
    size_t cols = nb >= 2 ? 2 : 1, rows = nb ? (nb + cols - 1) / cols : 1;
    Figure *fg = fig_new(j, NULL, PLOT_UNLEARN, nb ? nb : 1, rows, cols);
    if (!fg)
        return;
    fg->y_per_panel = 1; /* networks far apart (a sigmoid one near chance) */
    size_t ne = 1;
    for (size_t i = 0; i < nb; i++)
        for (size_t q = 0; q < n_with[i]; q++)
            ne = with[i][q].epochs > ne ? with[i][q].epochs : ne;
    epoch_axis(fg, ne);
    snprintf(fg->ylabel, sizeof fg->ylabel, "validation accuracy (%%)");
    fg->y_cap = 100.0;
    for (size_t i = 0; i < nb; i++) {
        Panel *p = &fg->panel[i];
        network_text(&group_run(best[i].s, best[i].g, 0)->config, p->title, sizeof p->title);
        diverged_note(best[i].s, best[i].g, p->title, sizeof p->title);
        for (size_t q = 0; q < n_with[i]; q++) {
            const Unlearn *u = &with[i][q];
            double wd = group_run(u->s, u->g, 0)->config.weight_decay;
            size_t d = 0;
            while (d + 1 < n_decays && decays[d] != wd)
                d++;
            Metric m = METRIC_VAL_ACC;
            size_t id = write_epoch_band(j, p, u->s, u->g, &m, 1);
            item_add(j, p, 0, NULL,
                     "$d%zu using 1:3:4 with filledcurves " BAND " lc rgb \"#%s\"", id,
                     colour(d));
            item_add(j, p, 0, NULL, "$d%zu using 1:2 with lines lw " LW " lc rgb \"#%s\"", id,
                     colour(d));
            if (u->s != best[i].s || u->g != best[i].g)
                continue;
            size_t pid = block_begin(j);
            buf_printf(&j->data, "%zu %.6g\n", u->peak_epoch, u->peak);
            block_end(j);
            track_point(j, p, (double)u->peak_epoch, u->peak);
            item_add(j, p, 0, NULL, "$d%zu using 1:2 with points " PT_PEAK " lc rgb \"#%s\"",
                     pid, colour(d));
        }
        for (size_t d = 0; d < n_decays; d++) {
            char label[TEXT_MAX];
            snprintf(label, sizeof label, "weight decay %g", decays[d]);
            item_add(j, p, 1, label, "keyentry with lines lw " LW " lc rgb \"#%s\"", colour(d));
        }
        item_add(j, p, 1, "peak",
                 "keyentry with points " PT_PEAK " lc rgb \"#" INK "\"");
    }
}

/* ---- layout: ranges and the legend ----------------------------------------- */

static double frac(double v, double lo, double hi, int log_axis)
{
    if (log_axis)
        return log(v / lo) / log(hi / lo);
    return (v - lo) / (hi - lo);
}

static double fig_height(const Figure *fg)
{
    int titles = fg->panel[0].title[0] != '\0';
    if (fg->rows == 1)
        return ONE_ROW_PX + (titles ? TITLE_PX : 0.0) + fg->key_strip_px;
    return 70.0 + ROW_PX * (double)fg->rows + fg->key_strip_px;
}

/* Panel i's box in SVG pixels from the top left: left, top, width, height. */
static void panel_box(const Figure *fg, size_t i, double *l, double *t, double *w, double *h)
{
    int titles = fg->panel[0].title[0] != '\0';
    double height = fig_height(fg), tp = titles ? TITLE_PX : 0.0;
    /* tic labels on every panel need room between the columns */
    double gx = fg->cols > 1 ? GAP_X + (fg->y_per_panel ? 4.0 * KEY_CHAR_PX : 0.0) : 0.0;
    *w = (WIDTH_PX - fg->left_px - MARGIN_R - gx * (double)(fg->cols - 1)) / (double)fg->cols;
    *h = (height - MARGIN_T - fg->key_strip_px - MARGIN_B - tp * (double)fg->rows -
          GAP_Y * (double)(fg->rows - 1)) /
         (double)fg->rows;
    size_t r = i / fg->cols, c = i % fg->cols;
    *l = fg->left_px + (double)c * (*w + gx);
    *t = MARGIN_T + fg->key_strip_px + tp + (double)r * (*h + GAP_Y + tp);
}

static void compute_ranges(Figure *fg)
{
    if (fg->x_auto) {
        double lo = INFINITY, hi = -INFINITY;
        for (size_t i = 0; i < fg->n; i++)
            for (size_t k = 0; k < fg->panel[i].extent.n; k++) {
                lo = fmin(lo, fg->panel[i].extent.p[k].x);
                hi = fmax(hi, fg->panel[i].extent.p[k].x);
            }
        if (!isfinite(lo)) {
            lo = 0;
            hi = 100;
        }
        double pad = hi > lo ? 0.05 * (hi - lo) : 1.0;
        fg->x0 = lo - pad;
        fg->x1 = hi + pad;
    }
    for (size_t i = 0; i < fg->n; i++) {
        Panel *p = &fg->panel[i];
        if (fg->y_fixed) {
            p->y0 = fg->fy0;
            p->y1 = fg->fy1;
            continue;
        }
        double lo = INFINITY, hi = -INFINITY;
        for (size_t k = 0; k < fg->n; k++) {
            if ((fg->y_per_row && k / fg->cols != i / fg->cols) || (fg->y_per_panel && k != i))
                continue;
            const Pts *e = &fg->panel[k].extent;
            for (size_t q = 0; q < e->n; q++) {
                double x = e->p[q].x;
                if (x < fg->x0 || x > fg->x1) /* only what is in view */
                    continue;
                lo = fmin(lo, e->p[q].y);
                hi = fmax(hi, e->p[q].y);
            }
        }
        if (!isfinite(lo)) {
            lo = 0;
            hi = 1;
        }
        double pad = hi > lo ? 0.05 * (hi - lo) : fmax(0.05 * fabs(hi), 0.5);
        p->y0 = lo - pad;
        p->y1 = hi + pad;
    }
}

/* How many of panel p's points fall under a legend of w x h (fractions of
 * the panel) in corner c. */
static size_t covered(const Figure *fg, const Panel *p, Corner c, double w, double h)
{
    const double inset = 0.015;
    double x0 = c == KEY_TOP_RIGHT || c == KEY_BOTTOM_RIGHT ? 1.0 - inset - w : inset;
    double y0 = c == KEY_TOP_RIGHT || c == KEY_TOP_LEFT ? 1.0 - inset - h : inset;
    size_t n = 0;
    for (size_t k = 0; k < p->cover.n; k++) {
        double fx = frac(p->cover.p[k].x, fg->x0, fg->x1, fg->xlog);
        double fy = frac(p->cover.p[k].y, p->y0, p->y1, 0);
        n += fx >= x0 && fx <= x0 + w && fy >= y0 && fy <= y0 + h;
    }
    for (size_t k = 0; k < p->cover_graph.n; k++) {
        double fx = frac(p->cover_graph.p[k].x, fg->x0, fg->x1, fg->xlog);
        double fy = p->cover_graph.p[k].y;
        n += fx >= x0 && fx <= x0 + w && fy >= y0 && fy <= y0 + h;
    }
    return n;
}

/* The legend's size in pixels: its lines and their widest text. */
static void key_size(const Figure *fg, size_t *lines, double *w, double *h)
{
    const Panel *p0 = &fg->panel[0];
    size_t chars = 0;
    *lines = 0;
    for (size_t k = 0; k < p0->n_items; k++)
        if (p0->items[k].title[0]) {
            (*lines)++;
            size_t c = text_chars(p0->items[k].title) - 2;
            chars = c > chars ? c : chars;
        }
    /* as gnuplot sizes it (its SVG estimate, the wider of the two terminals'):
     * 0.7 of the font size a character, a sample and gaps of 3.6, a line of 1.6 */
    *w = (double)chars * KEY_CHAR_PX + 3.6 * FONT_PX;
    *h = (double)*lines * KEY_LINE_PX + 0.5 * FONT_PX;
}

/* The best corner of any panel for a legend of kw x kh (fractions). */
static size_t best_corner(Figure *fg, double kw, double kh, int top_only)
{
    size_t best = (size_t)-1;
    for (size_t i = 0; i < fg->n; i++)
        for (int c = 0; c < 4; c += top_only ? 2 : 1) {
            size_t n = covered(fg, &fg->panel[i], (Corner)c, kw, kh);
            if (n < best) {
                best = n;
                fg->key_panel = i;
                fg->key = (Corner)c;
            }
        }
    return best;
}

/* The legend goes where it covers nothing: the corner (of any panel) over
 * the fewest points, and when every corner covers some, above the data in
 * room made by raising the top of every y range. A legend too large for a
 * panel goes into an empty cell of the grid, or else into a strip above the
 * panels. */
static void place_key(Figure *fg)
{
    size_t lines;
    double kw_px, kh_px, l, t, w, h;
    key_size(fg, &lines, &kw_px, &kh_px);
    fg->key_on = lines > 0;
    if (!fg->key_on)
        return;
    panel_box(fg, 0, &l, &t, &w, &h);
    double kw = kw_px / w, kh = kh_px / h;
    fg->key_panel = 0;
    if (kw <= 0.92 && kh <= 0.6) {
        size_t best = best_corner(fg, kw, kh, 0);
        if (best == 0)
            return;
        if (fg->y_fixed) { /* categories: empty lines on top */
            double extra = ceil(kh / (1.0 - kh) * (fg->fy1 - fg->fy0));
            for (size_t i = 0; i < fg->n; i++)
                fg->panel[i].y1 += extra;
            best_corner(fg, kw, kh, 1);
            return;
        }
        /* room above the data: the top kh (and a little) of every panel, unless
         * that squashes the data or runs past what y can be (100 %) */
        int room = kh <= 0.25;
        for (size_t i = 0; i < fg->n; i++) {
            const Panel *p = &fg->panel[i];
            double top = p->y0 + (p->y1 - p->y0) / (1.0 - kh - 0.03);
            room = room && top <= fmax(p->y1, fg->y_cap);
        }
        if (room) {
            for (size_t i = 0; i < fg->n; i++) {
                Panel *p = &fg->panel[i];
                p->y1 = p->y0 + (p->y1 - p->y0) / (1.0 - kh - 0.03);
            }
            best_corner(fg, kw, kh, 1);
            return;
        }
    } else {
        double sl, st, sw, sh;
        panel_box(fg, fg->n, &sl, &st, &sw, &sh);
        if (fg->n < fg->rows * fg->cols && kw_px + 20.0 <= sw) {
            fg->key_mode = KEY_SLOT;
            return;
        }
    }
    fg->key_mode = KEY_STRIP;
    size_t per_row = (size_t)((WIDTH_PX - 10.0) / kw_px);
    per_row = per_row ? per_row : 1;
    fg->key_cols = per_row < lines ? per_row : lines;
    double strip_rows = (double)((lines + fg->key_cols - 1) / fg->key_cols);
    fg->key_strip_px = strip_rows * KEY_LINE_PX + 0.6 * FONT_PX;
}

/* ---- the script ---------------------------------------------------------------- */

/* Whole-epoch tic spacing: 1, 2, 5, 10, ... with a tic at least every 45 px
 * (room for a two-digit label and a gap) of a panel w px wide. */
static double epoch_step(size_t epochs, double w)
{
    static const double STEPS[] = {1, 2, 5, 10, 20, 50, 100, 200, 500};
    double fit = floor(w / 45.0);
    for (size_t i = 0; i < sizeof STEPS / sizeof STEPS[0]; i++)
        if ((double)epochs / STEPS[i] <= fit)
            return STEPS[i];
    return 1000;
}

/* A legend of its own, in an empty cell of the grid or a strip above the
 * panels: an empty plot whose elements are the legend samples of panel 0's
 * (a data element becomes a keyentry of the same style). */
static void draw_key_only(FILE *f, const Figure *fg, double height)
{
    double l, t, w, h;
    if (fg->key_mode == KEY_SLOT) {
        panel_box(fg, fg->n, &l, &t, &w, &h);
        w = WIDTH_PX - l;
    } else {
        l = 0.0;
        w = WIDTH_PX;
        t = 0.0;
        h = fg->key_strip_px;
    }
    fprintf(f, "set lmargin at screen %.5f\nset rmargin at screen %.5f\n", l / WIDTH_PX,
            (l + w) / WIDTH_PX);
    fprintf(f, "set tmargin at screen %.5f\nset bmargin at screen %.5f\n", 1.0 - t / height,
            1.0 - (t + h) / height);
    fprintf(f, "unset border\nunset tics\nunset grid\nunset title\nunset xlabel\n"
               "unset ylabel\nunset label\nunset arrow\nunset logscale x\n"
               "set xrange [0:1]\nset yrange [0:1]\n");
    if (fg->key_mode == KEY_SLOT)
        fprintf(f, "set key inside left top vertical Left reverse samplen 2 spacing 1.05\n");
    else
        fprintf(f, "set key inside center center horizontal maxcols %zu Left reverse samplen 2 "
                   "spacing 1.05\n",
                fg->key_cols);
    /* (a plot of keyentries alone upsets gnuplot: an invisible function first) */
    fprintf(f, "plot NaN notitle");
    const char *sep = ", \\\n     ";
    const Panel *p = &fg->panel[0];
    for (size_t k = 0; k < p->n_items; k++) {
        const Item *it = &p->items[k];
        const char *style = strstr(it->spec, " with ");
        if (!it->title[0] || !style)
            continue;
        fprintf(f, "%skeyentry%s title %s", sep, style, it->title);
        sep = ", \\\n     ";
    }
    fprintf(f, "\n");
}

static void draw(FILE *f, const Figure *fg, size_t t)
{
    double height = fig_height(fg);
    terminal(f, t, height);
    fprintf(f, "reset\n"
               "set encoding utf8\n"
               "set border 3 lc rgb \"#" INK "\"\n"
               "set tics nomirror out scale 0.6\n"
               "set grid back lc rgb \"#e4e4e4\" lw 1 dt 1\n"
               "set style fill transparent solid 0.17 noborder\n");
    int multi = fg->n > 1 || fg->panel[0].title[0] || (fg->key_on && fg->key_mode != KEY_CORNER);
    if (multi)
        fprintf(f, "set multiplot\n");
    for (size_t i = 0; i < fg->n; i++) {
        const Panel *p = &fg->panel[i];
        double l, tp, w, h;
        panel_box(fg, i, &l, &tp, &w, &h);
        size_t c = i % fg->cols;
        int bottom = i + fg->cols >= fg->n, left = c == 0 || fg->y_per_panel;
        fprintf(f, "set lmargin at screen %.5f\nset rmargin at screen %.5f\n",
                l / WIDTH_PX, (l + w) / WIDTH_PX);
        fprintf(f, "set tmargin at screen %.5f\nset bmargin at screen %.5f\n",
                1.0 - tp / height, 1.0 - (tp + h) / height);
        char q[TEXT_MAX + 8];
        if (p->title[0] && plot_quote(q, sizeof q, p->title) > 0)
            fprintf(f, "set title %s offset 0, -0.7\n", q);
        else
            fprintf(f, "unset title\n");
        fprintf(f, "%s\n", fg->xlog ? "set logscale x" : "unset logscale x");
        fprintf(f, "set xrange [%.6g:%.6g]\nset yrange [%.6g:%.6g]\n", fg->x0, fg->x1, p->y0,
                p->y1);
        if (fg->xtics[0])
            fprintf(f, "set xtics %s\n", fg->xtics);
        else if (fg->xtic_epochs > 0)
            fprintf(f, "set xtics %g\n", epoch_step(fg->xtic_epochs, w));
        else
            fprintf(f, "set xtics autofreq\n");
        if (fg->ytics[0])
            fprintf(f, "set ytics %s\n", fg->ytics);
        else
            fprintf(f, "set ytics autofreq\n");
        /* shared axes: tic labels on the outer panels only */
        fprintf(f, "set format x%s\nset format y%s\n", bottom ? "" : " \"\"",
                left ? "" : " \"\"");
        fprintf(f, "unset label\nunset arrow\n");
        /* axis labels: once per figure (across the panels when there are several),
         * or per row when every row has a y range of its own */
        int one_x = fg->cols == 1 && bottom, one_y = (fg->rows == 1 || fg->y_per_row) && c == 0;
        if (one_x && plot_quote(q, sizeof q, fg->xlabel) > 0)
            fprintf(f, "set xlabel %s\n", q);
        else
            fprintf(f, "unset xlabel\n");
        if (one_y && plot_quote(q, sizeof q, fg->ylabel) > 0)
            fprintf(f, "set ylabel %s\n", q);
        else
            fprintf(f, "unset ylabel\n");
        if (i == 0 && fg->cols > 1 && plot_quote(q, sizeof q, fg->xlabel) > 0)
            fprintf(f, "set label %s at screen %.5f, screen %.5f center\n", q,
                    (fg->left_px + (WIDTH_PX - MARGIN_R - fg->left_px) / 2.0) / WIDTH_PX,
                    0.45 * FONT_PX / height);
        if (i == 0 && fg->rows > 1 && !fg->y_per_row && plot_quote(q, sizeof q, fg->ylabel) > 0)
            fprintf(f, "set label %s at screen %.5f, screen %.5f center rotate by 90\n", q,
                    0.75 * FONT_PX / WIDTH_PX,
                    1.0 - (MARGIN_T + (height - MARGIN_T - MARGIN_B) / 2.0) / height);
        int key_here = fg->key_on && fg->key_mode == KEY_CORNER && i == fg->key_panel;
        if (key_here)
            fprintf(f, "set key inside %s vertical Left reverse samplen 2 spacing 1.05 "
                       "noopaque\n",
                    CORNER_SET[fg->key]);
        else
            fprintf(f, "unset key\n");
        if (p->labels.p)
            fputs(p->labels.p, f);
        /* a panel without data keeps its axes (and gnuplot refuses a plot of
         * legend samples alone): an invisible function first */
        size_t data = 0;
        for (size_t k = 0; k < p->n_items; k++)
            data += !p->items[k].keyonly;
        fprintf(f, "plot%s", data ? "" : " NaN notitle");
        const char *sep = data ? " " : ", \\\n     ";
        for (size_t k = 0; k < p->n_items; k++) {
            const Item *it = &p->items[k];
            if (it->keyonly && !key_here)
                continue;
            fprintf(f, "%s%s %s%s", sep, it->spec, key_here && it->title[0] ? "title " : "notitle",
                    key_here && it->title[0] ? it->title : "");
            sep = ", \\\n     ";
        }
        fprintf(f, "\n");
    }
    if (fg->key_on && fg->key_mode != KEY_CORNER)
        draw_key_only(f, fg, height);
    if (multi)
        fprintf(f, "unset multiplot\n");
}

static int job_script(FILE *f, Job *j, const char *what, const char *out_dir, long tag, char *err)
{
    if (j->failed || j->data.failed)
        return err_set(err, "%s", j->err[0] ? j->err : "plot: out of memory");
    for (size_t i = 0; i < j->n_figs; i++) {
        compute_ranges(j->fig[i]);
        place_key(j->fig[i]);
    }
    char qw[TEXT_MAX];
    if (plot_quote(qw, sizeof qw, what) < 0)
        snprintf(qw, sizeof qw, "?");
    fprintf(f, "# repro plot: figures of %s\nreset session\nset encoding utf8\n", qw);
    if (j->data.p)
        fputs(j->data.p, f);
    for (size_t t = 0; t < N_TERMINALS; t++)
        for (size_t i = 0; i < j->n_figs; i++) {
            char tmp[PATH_TEXT_MAX], q[PATH_TEXT_MAX + 8];
            if (plot_tmp_name(tmp, sizeof tmp, out_dir, j->fig[i]->name, EXTS[t], tag) ||
                plot_quote(q, sizeof q, tmp) < 0)
                return err_set(err, "plot: '%s': path too long", out_dir);
            fprintf(f, "set output %s\n", q);
            draw(f, j->fig[i], t);
        }
    fprintf(f, "unset output\n");
    return ferror(f) ? err_set(err, "plot: write error") : 0;
}

/* ---- which figures ----------------------------------------------------------- */

enum { FIG_GLANCE, FIG_ITER_LOSS, FIG_ITER_ACC, FIG_EPOCH_LOSS, FIG_EPOCH_ACC, FIG_SWEEP };
static const char *const FIG_SUFFIX[] = {"-glance",     "-iter-loss",  "-iter-acc",
                                         "-epoch-loss", "-epoch-acc", "-sweep"};

static size_t figure_kinds(const PlotInput *in, int *kinds)
{
    size_t n = 0;
    if (is_softmax(in->s)) {
        if (in->twin)
            kinds[n++] = FIG_GLANCE;
        kinds[n++] = FIG_ITER_LOSS;
        kinds[n++] = FIG_ITER_ACC;
    }
    kinds[n++] = FIG_EPOCH_LOSS;
    kinds[n++] = FIG_EPOCH_ACC;
    if (in->s->n_groups > 1)
        kinds[n++] = FIG_SWEEP;
    return n;
}

void plot_figures(const PlotInput *in, FigureSet *figs)
{
    int kinds[PLOT_FIGURES_MAX];
    figs->n = figure_kinds(in, kinds);
    for (size_t i = 0; i < figs->n; i++)
        snprintf(figs->name[i], PLOT_NAME_MAX, "%s%s", experiment_study(in->s->exp),
                 FIG_SUFFIX[kinds[i]]);
}

static int check_sizes(const StudyResults *s, char *err)
{
    if (s->n_groups > CURVES_MAX || s->n_seeds > CURVES_MAX)
        return err_set(err, "plot: '%s': more than %d settings or seeds", experiment_study(s->exp),
                       CURVES_MAX);
    return 0;
}

static int build_study(Job *j, const PlotInput *in, char *err)
{
    memset(j, 0, sizeof *j);
    if (check_sizes(in->s, err) || (in->twin && check_sizes(in->twin, err)))
        return -1;
    int kinds[PLOT_FIGURES_MAX];
    size_t nk = figure_kinds(in, kinds);
    IterCurves *cs = NULL;
    if (is_softmax(in->s)) {
        cs = calloc(in->s->n_groups, sizeof *cs);
        if (!cs)
            return err_set(err, "plot: out of memory");
        /* at most two raw values per pixel of a panel's width */
        size_t rows, cols;
        grid_for(in->s->n_groups, &rows, &cols);
        double w = (WIDTH_PX - MARGIN_L - MARGIN_R - GAP_X * (double)(cols - 1)) / (double)cols;
        for (size_t g = 0; g < in->s->n_groups; g++)
            iter_curves(j, in->s, g, (size_t)(RAW_PER_PX * w), &cs[g]);
    }
    for (size_t i = 0; i < nk && !j->failed; i++)
        switch (kinds[i]) {
        case FIG_GLANCE:
            glance_figure(j, in);
            break;
        case FIG_ITER_LOSS:
        case FIG_ITER_ACC:
            iter_figure(j, in, kinds[i] == FIG_ITER_ACC, cs);
            break;
        case FIG_EPOCH_LOSS:
        case FIG_EPOCH_ACC:
            epoch_figure(j, in, kinds[i] == FIG_EPOCH_ACC);
            break;
        case FIG_SWEEP:
            sweep_figure(j, in);
            break;
        }
    if (cs)
        for (size_t g = 0; g < in->s->n_groups; g++)
            iter_curves_free(&cs[g]);
    free(cs);
    return 0;
}

int plot_script(FILE *f, const PlotInput *in, const char *out_dir, long tag, char *err)
{
    Job j;
    if (build_study(&j, in, err) != 0)
        return -1;
    char what[STUDY_NAME_MAX + 16];
    snprintf(what, sizeof what, "study '%s'", experiment_study(in->s->exp));
    int rc = job_script(f, &j, what, out_dir, tag, err);
    job_release(&j);
    return rc;
}

int plot_overview_script(FILE *f, const StudyResults *studies, size_t n, const char *out_dir,
                         long tag, char *err)
{
    Job j;
    memset(&j, 0, sizeof j);
    for (size_t i = 0; i < n; i++)
        if (check_sizes(&studies[i], err))
            return -1;
    unlearn_figure(&j, studies, n);
    int rc = job_script(f, &j, "several studies", out_dir, tag, err);
    job_release(&j);
    return rc;
}

/* ---- running gnuplot ---------------------------------------------------- */

int plot_tmp_name(char *buf, size_t size, const char *out_dir, const char *name,
                  const char *ext, long tag)
{
    int n = snprintf(buf, size, "%s/.%s.%s.tmp.%ld", out_dir, name, ext, tag);
    return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* Whether an executable named prog is in a directory of $PATH. */
static int on_path(const char *prog)
{
    const char *path = getenv("PATH");
    if (!path || !*path)
        return 0;
    char *copy = strdup(path), *save = NULL;
    int found = 0;
    for (char *dir = copy ? strtok_r(copy, ":", &save) : NULL; dir && !found;
         dir = strtok_r(NULL, ":", &save)) {
        char full[PATH_TEXT_MAX];
        int n = snprintf(full, sizeof full, "%s/%s", *dir ? dir : ".", prog);
        struct stat st;
        found = n > 0 && (size_t)n < sizeof full && stat(full, &st) == 0 &&
                S_ISREG(st.st_mode) && access(full, X_OK) == 0;
    }
    free(copy);
    return found;
}

/* pdfcairo stamps the time of drawing into the PDF; with SOURCE_DATE_EPOCH
 * set, that date is rewritten (same length, so the cross-reference offsets
 * hold) to make the figure reproducible. */
static int pdf_fix_date(const char *path, char *err)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (!sde || !*sde)
        return 0;
    char *end;
    errno = 0;
    long long t = strtoll(sde, &end, 10);
    if (*end || errno || t < 0)
        return err_set(err, "plot: SOURCE_DATE_EPOCH='%s': not a number of seconds", sde);
    time_t tt = (time_t)t;
    struct tm tm;
    char stamp[32];
    if (!gmtime_r(&tt, &tm) || strftime(stamp, sizeof stamp, "%Y%m%d%H%M%S", &tm) != 14)
        return err_set(err, "plot: SOURCE_DATE_EPOCH='%s': out of range", sde);
    FILE *f = fopen(path, "r+b");
    if (!f)
        return err_set(err, "plot: '%s': %s", path, strerror(errno));
    static const char KEY[] = "/CreationDate (D:";
    char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    /* the info dictionary sits at the end of a cairo PDF: search the tail */
    long size = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    long base = 0;
    if (size > (long)sizeof buf - 1) {
        base = size - (long)(sizeof buf - 1);
        if (fseek(f, base, SEEK_SET) != 0) {
            fclose(f);
            return err_set(err, "plot: '%s': seek failed", path);
        }
        n = fread(buf, 1, sizeof buf - 1, f);
        buf[n] = '\0';
    }
    int rc = 0;
    char *at = NULL;
    for (size_t i = 0; i + sizeof KEY - 1 + 14 <= n && !at; i++)
        if (memcmp(buf + i, KEY, sizeof KEY - 1) == 0)
            at = buf + i + sizeof KEY - 1;
    if (at) {
        if (fseek(f, base + (long)(at - buf), SEEK_SET) != 0 || fwrite(stamp, 1, 14, f) != 14)
            rc = err_set(err, "plot: '%s': write failed", path);
    }
    if (fclose(f) != 0 && rc == 0)
        rc = err_set(err, "plot: '%s': write failed", path);
    return rc;
}

static void remove_tmps(const FigureSet *figs, const char *out_dir, long tag)
{
    for (size_t i = 0; i < figs->n; i++)
        for (size_t t = 0; t < N_TERMINALS; t++) {
            char tmp[PATH_TEXT_MAX];
            if (plot_tmp_name(tmp, sizeof tmp, out_dir, figs->name[i], EXTS[t], tag) == 0)
                unlink(tmp);
        }
}

typedef int (*ScriptFn)(FILE *f, const void *ctx, const char *out_dir, long tag, char *err);

/* Runs gnuplot on what write produces; renames figs into place when it
 * succeeds, removes them when anything fails. */
static int run_gnuplot(ScriptFn write, const void *ctx, const FigureSet *figs, const char *what,
                       const char *out_dir, char *err)
{
    if (!on_path("gnuplot"))
        return err_set(err, GNUPLOT_MISSING);
    if (make_dirs(out_dir, err) != 0)
        return -1;
    long tag = (long)getpid();
    fflush(NULL);
    /* gnuplot dying early must give an error here, not kill us */
    void (*old)(int) = signal(SIGPIPE, SIG_IGN);
    FILE *p = popen("gnuplot", "w");
    if (!p) {
        signal(SIGPIPE, old);
        return err_set(err, "plot: cannot start gnuplot: %s", strerror(errno));
    }
    char msg[ERR_MAX] = "";
    int wrc = write(p, ctx, out_dir, tag, msg);
    int st = pclose(p);
    signal(SIGPIPE, old);
    if (st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 127) {
        remove_tmps(figs, out_dir, tag);
        return err_set(err, GNUPLOT_MISSING);
    }
    if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        remove_tmps(figs, out_dir, tag);
        if (st != -1 && WIFEXITED(st))
            return err_set(err, "plot: gnuplot failed drawing '%s' (exit status %d)", what,
                           WEXITSTATUS(st));
        return err_set(err, "plot: gnuplot failed drawing '%s'", what);
    }
    if (wrc != 0) {
        remove_tmps(figs, out_dir, tag);
        return err_set(err, "%s", msg);
    }
    for (size_t t = 0; t < N_TERMINALS; t++)
        for (size_t i = 0; i < figs->n; i++) {
            char tmp[PATH_TEXT_MAX], final[PATH_TEXT_MAX];
            plot_tmp_name(tmp, sizeof tmp, out_dir, figs->name[i], EXTS[t], tag);
            snprintf(final, sizeof final, "%s/%s.%s", out_dir, figs->name[i], EXTS[t]);
            if (strcmp(EXTS[t], "pdf") == 0 && pdf_fix_date(tmp, err) != 0) {
                remove_tmps(figs, out_dir, tag);
                return -1;
            }
            if (rename(tmp, final) != 0) {
                int e = errno;
                remove_tmps(figs, out_dir, tag);
                return err_set(err, "plot: '%s': %s", final, strerror(e));
            }
        }
    return 0;
}

static int study_script(FILE *f, const void *ctx, const char *out_dir, long tag, char *err)
{
    return plot_script(f, ctx, out_dir, tag, err);
}

int plot_study(const PlotInput *in, const char *out_dir, char *err)
{
    FigureSet figs;
    plot_figures(in, &figs);
    return run_gnuplot(study_script, in, &figs, experiment_study(in->s->exp), out_dir, err);
}

typedef struct {
    const StudyResults *studies;
    size_t n;
} Overview;

static int overview_script(FILE *f, const void *ctx, const char *out_dir, long tag, char *err)
{
    const Overview *o = ctx;
    return plot_overview_script(f, o->studies, o->n, out_dir, tag, err);
}

int plot_overview(const StudyResults *studies, size_t n, const char *out_dir, char *err)
{
    FigureSet figs = {1, {PLOT_UNLEARN}};
    Overview o = {studies, n};
    return run_gnuplot(overview_script, &o, &figs, PLOT_UNLEARN, out_dir, err);
}
