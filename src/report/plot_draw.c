/* plot_draw.c - writing the gnuplot program (plot_draw.h). */
#include "report/plot_draw.h"

#include "report/plot_layout.h"
#include "report/plot_pipe.h"
#include "report/plot_style.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const CORNER_SET[] = {"top right", "bottom right", "top left", "bottom left"};

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

/* A plot's box: l, t, w, h in SVG pixels from the top left of a figure
 * height pixels high. */
static void margins(FILE *f, double l, double t, double w, double h, double height)
{
    fprintf(f, "set lmargin at screen %.5f\nset rmargin at screen %.5f\n", l / WIDTH_PX,
            (l + w) / WIDTH_PX);
    fprintf(f, "set tmargin at screen %.5f\nset bmargin at screen %.5f\n", 1.0 - t / height,
            1.0 - (t + h) / height);
}

/* A legend of its own, in an empty cell of the grid or a strip above the
 * panels: an empty plot whose elements are the legend samples of panel 0's
 * (a data element becomes a keyentry of the same style). */
static void draw_key_only(FILE *f, const Figure *fg, double height)
{
    double l, t, w, h;
    if (fg->key_mode == KEY_SLOT) {
        plot_panel_box(fg, fg->n, &l, &t, &w, &h);
        w = WIDTH_PX - l;
    } else {
        l = 0.0;
        w = WIDTH_PX;
        t = 0.0;
        h = fg->key_strip_px;
    }
    margins(f, l, t, w, h, height);
    fprintf(f, "unset border\nunset tics\nunset grid\nunset title\nunset xlabel\n"
               "unset ylabel\nunset label\nunset arrow\nunset logscale x\n"
               "set xrange [0:1]\nset yrange [0:1]\n");
    if (fg->key_mode == KEY_SLOT)
        fprintf(f, "set key inside left top vertical Left reverse samplen 2 spacing 1.05\n");
    else
        fprintf(f,
                "set key inside center center horizontal maxcols %zu Left reverse samplen 2 "
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

/* Panel i's box, title, ranges, tics and axis labels. */
static void draw_axes(FILE *f, const Figure *fg, size_t i, double height)
{
    const Panel *p = &fg->panel[i];
    double l, tp, w, h;
    plot_panel_box(fg, i, &l, &tp, &w, &h);
    size_t c = i % fg->cols;
    /* (panels with y ranges of their own show all their tic labels) */
    int bottom = i + fg->cols >= fg->n || fg->y_per_panel, left = c == 0 || fg->y_per_panel;
    margins(f, l, tp, w, h, height);
    char q[TEXT_MAX + 8];
    if (p->title[0] && plot_quote(q, sizeof q, p->title) > 0)
        fprintf(f, "set title %s offset 0, -0.7\n", q);
    else
        fprintf(f, "unset title\n");
    fprintf(f, "%s\n", fg->xlog ? "set logscale x" : "unset logscale x");
    fprintf(f, "set xrange [%.6g:%.6g]\nset yrange [%.6g:%.6g]\n", fg->x_split ? p->x0 : fg->x0,
            fg->x_split ? p->x1 : fg->x1, p->y0, p->y1);
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
    fprintf(f, "set format x%s\nset format y%s\n", bottom ? "" : " \"\"", left ? "" : " \"\"");
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
}

/* Panel i's legend (when it draws the figure's), labels and plot command. */
static void draw_plot(FILE *f, const Figure *fg, size_t i)
{
    const Panel *p = &fg->panel[i];
    int key_here = fg->key_on && fg->key_mode == KEY_CORNER && i == fg->key_panel;
    if (key_here)
        fprintf(f,
                "set key inside %s vertical Left reverse samplen 2 spacing 1.05 "
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

static void draw(FILE *f, const Figure *fg, size_t t)
{
    double height = plot_fig_height(fg);
    plot_terminal(f, t, height);
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
        draw_axes(f, fg, i, height);
        draw_plot(f, fg, i);
    }
    if (fg->key_on && fg->key_mode != KEY_CORNER)
        draw_key_only(f, fg, height);
    if (multi)
        fprintf(f, "unset multiplot\n");
}

int plot_job_script(FILE *f, Job *j, const char *what, const char *out_dir, long tag, char *err)
{
    if (j->failed || j->data.failed)
        return err_set(err, "%s", j->err[0] ? j->err : "plot: out of memory");
    for (size_t i = 0; i < j->n_figs; i++) {
        plot_compute_ranges(j->fig[i]);
        plot_place_key(j->fig[i]);
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
            if (plot_tmp_name(tmp, sizeof tmp, out_dir, j->fig[i]->name, PLOT_EXTS[t], tag) ||
                plot_quote(q, sizeof q, tmp) < 0)
                return err_set(err, "plot: '%s': path too long", out_dir);
            fprintf(f, "set output %s\n", q);
            draw(f, j->fig[i], t);
        }
    fprintf(f, "unset output\n");
    return ferror(f) ? err_set(err, "plot: write error") : 0;
}
