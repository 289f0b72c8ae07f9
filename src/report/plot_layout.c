/* plot_layout.c - ranges and the legend (plot_layout.h). */
#include "report/plot_layout.h"

#include "report/plot_style.h"

#include <math.h>

static double frac(double v, double lo, double hi, int log_axis)
{
    if (log_axis)
        return log(v / lo) / log(hi / lo);
    return (v - lo) / (hi - lo);
}

double plot_fig_height(const Figure *fg)
{
    int titles = fg->panel[0].title[0] != '\0';
    if (fg->rows == 1)
        return ONE_ROW_PX + (titles ? TITLE_PX : 0.0) + fg->key_strip_px;
    return 70.0 + ROW_PX * (double)fg->rows + fg->key_strip_px;
}

/* Panel i's box in SVG pixels from the top left: left, top, width, height. */
void plot_panel_box(const Figure *fg, size_t i, double *l, double *t, double *w, double *h)
{
    int titles = fg->panel[0].title[0] != '\0';
    double height = plot_fig_height(fg), tp = titles ? TITLE_PX : 0.0;
    /* tic labels on every panel need room between the columns */
    double gx = fg->cols > 1 ? GAP_X + (fg->y_per_panel ? 4.0 * KEY_CHAR_PX : 0.0) : 0.0;
    *w = (WIDTH_PX - fg->left_px - MARGIN_R - gx * (double)(fg->cols - 1)) / (double)fg->cols;
    if (fg->x_split && i < fg->n) { /* widths in proportion to the ranges */
        double all = *w * (double)fg->cols, left = fg->left_px;
        for (size_t k = 0; k < i; k++)
            left += all * fg->col_frac[k] + gx;
        *w = all * fg->col_frac[i];
        *h = plot_fig_height(fg) - MARGIN_T - fg->key_strip_px - MARGIN_B -
             (titles ? TITLE_PX : 0.0);
        *l = left;
        *t = MARGIN_T + fg->key_strip_px + (titles ? TITLE_PX : 0.0);
        return;
    }
    double gy = GAP_Y + (fg->y_per_panel ? 1.6 * FONT_PX : 0.0);
    *h = (height - MARGIN_T - fg->key_strip_px - MARGIN_B - tp * (double)fg->rows -
          gy * (double)(fg->rows - 1)) /
         (double)fg->rows;
    size_t r = i / fg->cols, c = i % fg->cols;
    *l = fg->left_px + (double)c * (*w + gx);
    *t = MARGIN_T + fg->key_strip_px + tp + (double)r * (*h + gy + tp);
}

void plot_compute_ranges(Figure *fg)
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
    if (fg->x_split) /* each panel its own x range (its extent, padded) */
        for (size_t i = 0; i < fg->n; i++) {
            Panel *p = &fg->panel[i];
            double lo = INFINITY, hi = -INFINITY;
            for (size_t k = 0; k < p->extent.n; k++) {
                lo = fmin(lo, p->extent.p[k].x);
                hi = fmax(hi, p->extent.p[k].x);
            }
            double pad = hi > lo ? 0.08 * (hi - lo) : 1.0;
            p->x0 = lo - pad;
            p->x1 = hi + pad;
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
            size_t c = plot_text_chars(p0->items[k].title) - 2;
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
void plot_place_key(Figure *fg)
{
    size_t lines;
    double kw_px, kh_px, l, t, w, h;
    key_size(fg, &lines, &kw_px, &kh_px);
    fg->key_on = lines > 0;
    if (!fg->key_on)
        return;
    plot_panel_box(fg, 0, &l, &t, &w, &h);
    double kw = kw_px / w, kh = kh_px / h;
    fg->key_panel = 0;
    if (fg->key_outside) {
    } else if (kw <= 0.92 && kh <= 0.6) {
        size_t best = best_corner(fg, kw, kh, 0);
        if (best == 0)
            return;
        if (fg->y_fixed) { /* categories: a strip above, not empty lines on top */
            fg->key_mode = KEY_STRIP;
            goto strip;
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
        plot_panel_box(fg, fg->n, &sl, &st, &sw, &sh);
        if (fg->n < fg->rows * fg->cols && kw_px + 20.0 <= sw) {
            fg->key_mode = KEY_SLOT;
            return;
        }
    }
    fg->key_mode = KEY_STRIP;
strip:;
    size_t per_row = (size_t)((WIDTH_PX - 10.0) / kw_px);
    per_row = per_row ? per_row : 1;
    fg->key_cols = per_row < lines ? per_row : lines;
    double strip_rows = (double)((lines + fg->key_cols - 1) / fg->key_cols);
    fg->key_strip_px = strip_rows * KEY_LINE_PX + 0.6 * FONT_PX;
}
