/* plot_model.c - the figure model (plot_model.h). */
#include "report/plot_model.h"

#include "report/plot_style.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
size_t plot_text_chars(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        n += (*p & 0xc0) != 0x80;
    return n;
}

/* An array of n elements of size bytes with room for *cap: itself when it
 * has room for one more, else moved to twice the room (first when empty);
 * NULL (the array and *cap unchanged) when out of memory. */
static void *grow(void *items, size_t *cap, size_t n, size_t size, size_t first)
{
    if (n < *cap)
        return items;
    size_t want = *cap ? 2 * *cap : first;
    void *p = realloc(items, want * size);
    if (p)
        *cap = want;
    return p;
}

void plot_pts_add(Pts *ps, Job *j, double x, double y)
{
    if (!isfinite(x) || !isfinite(y))
        return;
    Pt *p = grow(ps->p, &ps->cap, ps->n, sizeof *p, 256);
    if (!p) {
        j->failed = 1;
        return;
    }
    ps->p = p;
    ps->p[ps->n++] = (Pt){x, y};
}

void plot_job_fail(Job *j, const char *fmt, const char *what)
{
    if (!j->err[0])
        snprintf(j->err, sizeof j->err, fmt, what);
    j->failed = 1;
}

Figure *plot_fig_new(Job *j, const StudyResults *s, const char *name_or_suffix, size_t n_panels,
                     size_t rows, size_t cols)
{
    if (j->n_figs == PLOT_FIGURES_MAX || n_panels > PANELS_MAX || n_panels == 0) {
        plot_job_fail(j, "plot: '%s': too many figures or panels", name_or_suffix);
        return NULL;
    }
    Figure *fg = calloc(1, sizeof *fg);
    if (!fg) {
        plot_job_fail(j, "plot: '%s': out of memory", name_or_suffix);
        return NULL;
    }
    snprintf(fg->name, sizeof fg->name, "%s%s", s ? experiment_study(s->exp) : "", name_or_suffix);
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

void plot_job_release(Job *j)
{
    for (size_t i = 0; i < j->n_figs; i++)
        fig_free(j->fig[i]);
    free(j->data.p);
    memset(j, 0, sizeof *j);
}

/* Adds a plot element: title (unquoted) NULL for notitle. */
void plot_item_add(Job *j, Panel *p, int keyonly, const char *title, const char *fmt, ...)
{
    Item *items = grow(p->items, &p->cap_items, p->n_items, sizeof *items, 16);
    if (!items) {
        j->failed = 1;
        return;
    }
    p->items = items;
    Item *it = &p->items[p->n_items];
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(it->spec, sizeof it->spec, fmt, ap);
    va_end(ap);
    it->title[0] = '\0';
    it->keyonly = keyonly;
    if (w < 0 || (size_t)w >= sizeof it->spec ||
        (title && plot_quote(it->title, sizeof it->title, title) < 0)) {
        plot_job_fail(j, "plot: a plot element of '%s' is too long", title ? title : "?");
        return;
    }
    p->n_items++;
}

/* The data points of a series, for the ranges and the legend placement; a
 * line's segments are sampled too, so that a legend cannot sit across one. */
void plot_track_line(Job *j, Panel *p, const double *x, const double *y, size_t n, int xlog,
                     int extent)
{
    size_t stride = n > COVER_CAP ? n / COVER_CAP + 1 : 1;
    for (size_t i = 0; i < n; i++) {
        if (extent)
            plot_pts_add(&p->extent, j, x[i], y[i]);
        if (i % stride == 0)
            plot_pts_add(&p->cover, j, x[i], y[i]);
        if (n <= 200 && i + 1 < n && isfinite(y[i]) && isfinite(y[i + 1]))
            for (int t = 1; t < 8; t++) {
                double f = t / 8.0, xi;
                if (xlog && x[i] > 0 && x[i + 1] > 0)
                    xi = x[i] * pow(x[i + 1] / x[i], f);
                else
                    xi = x[i] + f * (x[i + 1] - x[i]);
                plot_pts_add(&p->cover, j, xi, y[i] + f * (y[i + 1] - y[i]));
            }
    }
}

/* A band's edges and its inside. */
void plot_track_band(Job *j, Panel *p, const double *x, const double *lo, const double *hi,
                     size_t n, int xlog)
{
    plot_track_line(j, p, x, lo, n, xlog, 1);
    plot_track_line(j, p, x, hi, n, xlog, 1);
    size_t stride = n > COVER_CAP / 4 ? n / (COVER_CAP / 4) + 1 : 1;
    for (size_t i = 0; i < n; i += stride)
        for (int t = 1; t < 4; t++)
            plot_pts_add(&p->cover, j, x[i], lo[i] + t / 4.0 * (hi[i] - lo[i]));
}

void plot_track_point(Job *j, Panel *p, double x, double y)
{
    plot_pts_add(&p->extent, j, x, y);
    plot_pts_add(&p->cover, j, x, y);
}

/* ---- data blocks ----------------------------------------------------------- */

size_t plot_block_begin(Job *j)
{
    buf_printf(&j->data, "$d%zu << EOD\n", j->n_blocks);
    return j->n_blocks++;
}

void plot_block_end(Job *j)
{
    buf_printf(&j->data, "EOD\n");
}

size_t plot_block_from(Job *j, Buf *rows)
{
    size_t id = PLOT_NO_BLOCK;
    if (rows->p && !rows->failed) {
        id = plot_block_begin(j);
        buf_printf(&j->data, "%s", rows->p);
        plot_block_end(j);
    }
    j->failed |= rows->failed;
    free(rows->p);
    *rows = (Buf){0};
    return id;
}
