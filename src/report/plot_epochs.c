/* plot_epochs.c - the curves per epoch (plot_epochs.h). */
#include "report/plot_epochs.h"

#include "report/plot_axes.h"
#include "report/plot_labels.h"
#include "report/plot_panels.h"
#include "report/plot_stats.h"
#include "report/plot_style.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void training_names(const StudyResults *s, const char **train, const char **other,
                           LookId *other_look)
{
    *train = plot_is_softmax(s) ? "training set" : "training (epoch mean)";
    *other = plot_is_softmax(s) ? "test set" : "validation";
    *other_look = plot_is_softmax(s) ? LOOK_TEST : LOOK_VALIDATION;
}

/* Block columns: epoch, then mean, mean - sd, mean + sd of each metric in
 * ms[0..nm) (percent for accuracies); rows where no run has a value of the
 * first metric are left out. Tracks the bands in p. */
size_t plot_epoch_band(Job *j, Panel *p, const StudyResults *s, size_t g, const Metric *ms,
                       size_t nm)
{
    size_t ne = plot_group_epochs(s, g);
    double *x = calloc(ne + 1, sizeof *x), *buf = calloc(3 * nm * (ne + 1), sizeof *buf);
    if (!x || !buf) {
        free(x);
        free(buf);
        j->failed = 1;
        return 0;
    }
    size_t id = plot_block_begin(j), rows = 0;
    for (size_t e = 1; e <= ne; e++) {
        double mean[8], sd[8];
        if (plot_epoch_stat(s, g, ms[0], e, &mean[0], &sd[0]) == 0)
            continue;
        for (size_t k = 1; k < nm; k++)
            plot_epoch_stat(s, g, ms[k], e, &mean[k], &sd[k]);
        buf_printf(&j->data, "%zu", e);
        x[rows] = (double)e;
        for (size_t k = 0; k < nm; k++) {
            double sc = plot_scale_of(ms[k]), m = sc * mean[k], d = sc * sd[k];
            buf_printf(&j->data, " %.6g %.6g %.6g", m, m - d, m + d);
            buf[(3 * k + 0) * (ne + 1) + rows] = m;
            buf[(3 * k + 1) * (ne + 1) + rows] = m - d;
            buf[(3 * k + 2) * (ne + 1) + rows] = m + d;
        }
        buf_printf(&j->data, "\n");
        rows++;
    }
    plot_block_end(j);
    for (size_t k = 0; k < nm; k++) {
        const double *m = &buf[(3 * k) * (ne + 1)];
        plot_track_band(j, p, x, m + (ne + 1), m + 2 * (ne + 1), rows, 0);
        plot_track_line(j, p, x, m, rows, 0, 1);
    }
    free(x);
    free(buf);
    return id;
}

/* One run's metrics ms[0..nm) per epoch (percent for accuracies). */
static size_t write_epoch_run(Job *j, Panel *p, const RunResult *r, const Metric *ms, size_t nm)
{
    size_t id = plot_block_begin(j);
    for (size_t e = 0; e < r->n_epochs; e++) {
        buf_printf(&j->data, "%zu", e + 1);
        for (size_t k = 0; k < nm; k++) {
            double v = plot_scale_of(ms[k]) * r->epochs[e].m[ms[k]];
            buf_printf(&j->data, isfinite(v) ? " %.6g" : " NaN", v);
            plot_pts_add(&p->cover, j, (double)(e + 1), v);
        }
        buf_printf(&j->data, "\n");
    }
    plot_block_end(j);
    return id;
}

/* Group g's curves in its panel: every seed faint (nothing swept), the
 * band and the mean of ms[0] (solid) and ms[1] (dashed). */
static void epoch_group(Job *j, const StudyResults *s, Figure *fg, const Split *sp, size_t g,
                        const Metric *ms, const char *train, const char *other, LookId ol,
                        double lw)
{
    int nk = (int)experiment_sweep_count(s->exp);
    Panel *p = &fg->panel[sp->panel_of[g]];
    /* colour: the setting's, or with nothing that tells settings apart by
     * colour, each split its own */
    const Look *tl = plot_look(LOOK_TRAINING), *vl = plot_look(ol);
    char c[PLOT_COLOUR_MAX], c2[PLOT_COLOUR_MAX];
    if (plot_group_colour(s, g, sp->colour_keys, c) == 0)
        snprintf(c2, sizeof c2, "%s", c);
    else {
        snprintf(c, sizeof c, "%s", tl->colour);
        snprintf(c2, sizeof c2, "%s", vl->colour);
    }
    if (sp->panel_keys) {
        plot_group_text(s, g, sp->panel_keys, 0, p->title, sizeof p->title);
        if (!sp->colour_keys)
            plot_diverged_note(s, g, p->title, sizeof p->title);
    }
    if (nk == 0) { /* the spread is the point: every seed, faint */
        for (size_t k = 0; k < s->n_seeds; k++) {
            size_t id = write_epoch_run(j, p, study_run(s, g, k), ms, 2);
            plot_item_add(j, p, 0, NULL,
                          "$d%zu using 1:2 with lines lw " LW_FAINT " lc rgb \"#" FAINT "%s\"", id,
                          c);
            plot_item_add(j, p, 0, NULL,
                          "$d%zu using 1:3 with lines lw " LW_FAINT " lc rgb \"#" FAINT "%s\" %s",
                          id, c2, vl->dash);
        }
    }
    size_t id = plot_epoch_band(j, p, s, g, ms, 2);
    plot_item_add(j, p, 0, NULL, "$d%zu using 1:3:4 with filledcurves " BAND " lc rgb \"#%s\"", id,
                  c);
    plot_item_add(j, p, 0, NULL, "$d%zu using 1:6:7 with filledcurves " BAND " lc rgb \"#%s\"", id,
                  c2);
    if (!sp->colour_keys) {
        plot_item_add(j, p, 0, train, "$d%zu using 1:2 with lines lw " LW " lc rgb \"#%s\" %s", id,
                      c, tl->dash);
        plot_item_add(j, p, 0, other, "$d%zu using 1:5 with lines lw " LW " lc rgb \"#%s\" %s", id,
                      c2, vl->dash);
    } else {
        /* (the legend lists the settings in sweep order: plot_epoch_figure) */
        plot_item_add(j, p, 0, NULL, "$d%zu using 1:2 with lines lw %.3g lc rgb \"#%s\" %s", id,
                      lw, c, tl->dash);
        plot_item_add(j, p, 0, NULL, "$d%zu using 1:5 with lines lw %.3g lc rgb \"#%s\" %s", id,
                      lw, c2, vl->dash);
    }
}

void plot_epoch_figure(Job *j, const PlotInput *in, int acc)
{
    const StudyResults *s = in->s;
    int sm = plot_is_softmax(s);
    Metric ms[2] = {sm ? (acc ? METRIC_FULL_TRAIN_ACC : METRIC_FULL_TRAIN_LOSS)
                       : (acc ? METRIC_TRAIN_ACC : METRIC_TRAIN_LOSS),
                    sm ? (acc ? METRIC_TEST_ACC : METRIC_TEST_LOSS)
                       : (acc ? METRIC_VAL_ACC : METRIC_VAL_LOSS)};
    const char *train, *other;
    LookId ol;
    training_names(s, &train, &other, &ol);
    Split sp;
    plot_split_groups(s, 4, &sp);
    Figure *fg =
        plot_fig_new(j, s, acc ? "-epoch-acc" : "-epoch-loss", sp.n_panels, sp.rows, sp.cols);
    if (!fg)
        return;
    size_t ne = 0;
    for (size_t g = 0; g < s->n_groups; g++)
        ne = plot_group_epochs(s, g) > ne ? plot_group_epochs(s, g) : ne;
    plot_epoch_axis(fg, ne ? ne : 1);
    snprintf(fg->ylabel, sizeof fg->ylabel, "%s", acc ? "accuracy (%)" : "loss");
    fg->y_cap = acc ? 100.0 : INFINITY;
    fg->y_per_row = !acc && sp.row_key >= 0 &&
                    strcmp(experiment_sweep_key(s->exp, (size_t)sp.row_key), "loss") == 0;
    /* the longer curves first, so that a shorter one that follows the same
     * path (a number-of-epochs sweep) stays visible on top */
    size_t order[CURVES_MAX];
    for (size_t g = 0; g < s->n_groups; g++)
        order[g] = g;
    for (size_t a = 1; a < s->n_groups; a++)
        for (size_t b = a;
             b > 0 && plot_group_epochs(s, order[b]) > plot_group_epochs(s, order[b - 1]); b--) {
            size_t t = order[b];
            order[b] = order[b - 1];
            order[b - 1] = t;
        }
    /* where lengths differ, a longer curve is also wider, so that it shows on
     * both sides of a shorter one drawn over it along the same path */
    size_t widths = 0;
    double lw[CURVES_MAX];
    for (size_t o = s->n_groups; o-- > 0;) {
        if (o + 1 < s->n_groups &&
            plot_group_epochs(s, order[o]) != plot_group_epochs(s, order[o + 1]))
            widths++;
        lw[o] = atof(LW) * (1.0 + 0.6 * (double)widths);
    }
    for (size_t o = 0; o < s->n_groups; o++)
        epoch_group(j, s, fg, &sp, order[o], ms, train, other, ol, lw[o]);
    int by_colour = sp.colour_keys != 0;
    for (size_t i = 0; i < fg->n; i++) {
        Panel *p = &fg->panel[i];
        if (experiment_sweep_count(s->exp) == 0) {
            plot_item_add(j, p, 1, "single seeds",
                          "keyentry with lines lw " LW_FAINT " lc rgb \"#" FAINT INK "\"");
            continue;
        }
        if (!by_colour) /* each split in its own colour: its curves are its legend */
            continue;
        for (size_t g = 0; g < s->n_groups; g++) { /* the settings, in sweep order */
            if (sp.panel_of[g] != i)
                continue;
            char label[TEXT_MAX], c[PLOT_COLOUR_MAX];
            plot_group_text(s, g, sp.colour_keys, 1, label, sizeof label);
            plot_diverged_note(s, g, label, sizeof label);
            plot_group_colour(s, g, sp.colour_keys, c);
            plot_item_add(j, p, 1, label, "keyentry with lines lw " LW " lc rgb \"#%s\"", c);
        }
        plot_item_add(j, p, 1, train, "keyentry with lines lw " LW " lc rgb \"#" INK "\" %s",
                      plot_look(LOOK_TRAINING)->dash);
        plot_item_add(j, p, 1, other, "keyentry with lines lw " LW " lc rgb \"#" INK "\" %s",
                      plot_look(ol)->dash);
    }
}
