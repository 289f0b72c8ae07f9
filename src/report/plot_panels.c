/* plot_panels.c - small multiples and colours per setting (plot_panels.h). */
#include "report/plot_panels.h"

#include "report/plot_stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void plot_grid_for(size_t n, size_t *rows, size_t *cols)
{
    *cols = n <= 3 ? n : n == 4 ? 2 : n <= 9 ? 3 : 4;
    *cols = *cols ? *cols : 1;
    *rows = (n + *cols - 1) / *cols;
    *rows = *rows ? *rows : 1;
}

/* Up to max_overlay settings of one key share a panel; more are one panel
 * each; with several keys the last one or two pick the panel (rows and
 * columns) and the others the colour. */
void plot_split_groups(const StudyResults *s, size_t max_overlay, Split *sp)
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
        plot_grid_for(ng, &sp->rows, &sp->cols);
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
        plot_grid_for(sp->n_panels, &sp->rows, &sp->cols);
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
            c = c * experiment_sweep_value_count(s->exp, j) + plot_value_index(s, g, j);
        for (size_t j = first_panel_key; j < nk; j++)
            p = p * experiment_sweep_value_count(s->exp, j) + plot_value_index(s, g, j);
        sp->colour_of[g] = c;
        sp->panel_of[g] = p;
    }
}

/* Whether every value of swept key j has a look of its own, no two alike. */
static int values_have_looks(const StudyResults *s, size_t j)
{
    const char *key = experiment_sweep_key(s->exp, j);
    size_t nv = experiment_sweep_value_count(s->exp, j);
    int seen[N_LOOKS] = {0};
    for (size_t v = 0; v < nv; v++) {
        int l = plot_value_look(key, experiment_sweep_value(s->exp, j, v));
        if (l < 0 || seen[l])
            return 0;
        seen[l] = 1;
    }
    return 1;
}

/* The rank of value index v among swept key j's values: by size when all
 * are numbers, else their order in the experiment file. */
static size_t value_rank(const StudyResults *s, size_t j, size_t v)
{
    size_t nv = experiment_sweep_value_count(s->exp, j), rank = 0;
    char *end;
    double x = strtod(experiment_sweep_value(s->exp, j, v), &end);
    for (size_t w = 0; w < nv; w++) {
        const char *t = experiment_sweep_value(s->exp, j, w);
        double y = strtod(t, &end);
        if (end == t || *end)
            return v;
        rank += y < x;
    }
    return rank;
}

int plot_group_colour(const StudyResults *s, size_t g, unsigned keys, char out[PLOT_COLOUR_MAX])
{
    size_t nk = experiment_sweep_count(s->exp), count = 0, one = 0, c = 0, n = 1;
    for (size_t j = 0; j < nk; j++)
        if (keys >> j & 1u) {
            count++;
            one = j;
            size_t nv = experiment_sweep_value_count(s->exp, j);
            c = c * nv + value_rank(s, j, plot_value_index(s, g, j));
            n *= nv;
        }
    if (count == 0)
        return -1;
    if (count == 1 && values_have_looks(s, one)) {
        int l = plot_value_look(experiment_sweep_key(s->exp, one),
                                experiment_run_sweep(s->exp, g * s->n_seeds, one));
        snprintf(out, PLOT_COLOUR_MAX, "%s", plot_look((LookId)l)->colour);
        return 0;
    }
    plot_sweep_colour(c, n, out);
    return 0;
}
