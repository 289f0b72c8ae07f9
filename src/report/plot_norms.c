/* plot_norms.c - weight norms beside validation accuracy (plot_norms.h). */
#include "report/plot_norms.h"

#include "report/plot_axes.h"
#include "report/plot_epochs.h"
#include "report/plot_labels.h"
#include "report/plot_panels.h"
#include "report/plot_stats.h"
#include "report/plot_style.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const Metric NORMS[] = {METRIC_WEIGHT_NORM_1, METRIC_WEIGHT_NORM_2, METRIC_WEIGHT_NORM_3};
#define N_NORMS (sizeof NORMS / sizeof NORMS[0])

size_t plot_norm_layers(const StudyResults *s)
{
    if (plot_is_softmax(s) || experiment_sweep_count(s->exp) != 1 ||
        strcmp(experiment_sweep_key(s->exp, 0), "weight_decay") != 0 || s->n_runs == 0)
        return 0;
    size_t layers = N_NORMS;
    for (size_t r = 0; r < s->n_runs; r++) {
        const RunResult *run = &s->runs[r];
        size_t k = 0;
        while (k < layers && run->n_epochs > 0 && isfinite(run->epochs[0].m[NORMS[k]]))
            k++;
        layers = k;
    }
    return layers;
}

void plot_norms_figure(Job *j, const PlotInput *in)
{
    const StudyResults *s = in->s;
    size_t layers = plot_norm_layers(s);
    if (layers == 0)
        return;
    size_t n = layers + 1, rows, cols;
    plot_grid_for(n, &rows, &cols);
    Figure *fg = plot_fig_new(j, s, "-norms", n, rows, cols);
    if (!fg)
        return;
    size_t ne = 0;
    for (size_t g = 0; g < s->n_groups; g++)
        ne = plot_group_epochs(s, g) > ne ? plot_group_epochs(s, g) : ne;
    plot_epoch_axis(fg, ne ? ne : 1);
    fg->y_per_panel = 1; /* norms and accuracies: each panel its own scale */
    fg->key_outside = 1;
    fg->ylabel[0] = '\0'; /* the panels' headers say what each shows */
    for (size_t i = 0; i < n; i++) {
        Panel *p = &fg->panel[i];
        Metric m = i < layers ? NORMS[i] : METRIC_VAL_ACC;
        if (i < layers)
            snprintf(p->title, sizeof p->title, "||W%zu||%s", i + 1,
                     i == 0 ? " (first layer)" : i + 1 == layers ? " (output layer)" : "");
        else
            snprintf(p->title, sizeof p->title, "validation accuracy (%%)");
        for (size_t g = 0; g < s->n_groups; g++) {
            char c[PLOT_COLOUR_MAX];
            plot_group_colour(s, g, 1u, c);
            size_t id = plot_epoch_band(j, p, s, g, &m, 1);
            plot_item_add(j, p, 0, NULL,
                          "$d%zu using 1:3:4 with filledcurves " BAND " lc rgb \"#%s\"", id, c);
            plot_item_add(j, p, 0, NULL, "$d%zu using 1:2 with lines lw " LW " lc rgb \"#%s\" %s",
                          id, c, i < layers ? "dt 1" : plot_look(LOOK_VALIDATION)->dash);
        }
        if (i > 0)
            continue;
        for (size_t g = 0; g < s->n_groups; g++) { /* the legend: the settings in sweep order */
            char label[TEXT_MAX], c[PLOT_COLOUR_MAX];
            plot_group_text(s, g, 1u, 1, label, sizeof label);
            plot_diverged_note(s, g, label, sizeof label);
            plot_group_colour(s, g, 1u, c);
            plot_item_add(j, p, 1, label, "keyentry with lines lw " LW " lc rgb \"#%s\"", c);
        }
    }
}
