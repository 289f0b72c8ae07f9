/* plot_panels.h - which panel and colour each setting of a study gets:
 * up to a few settings of one key share a panel; more, or several swept
 * keys, become small multiples (the last one or two keys pick the panel's
 * row and column, the others the colour). */
#ifndef REPORT_PLOT_PANELS_H
#define REPORT_PLOT_PANELS_H

#include "report/plot_model.h"
#include "report/plot_style.h"

#include <stddef.h>

typedef struct {
    size_t n_panels, rows, cols;
    size_t panel_of[CURVES_MAX], colour_of[CURVES_MAX];
    size_t n_colours;
    unsigned panel_keys, colour_keys; /* bit masks over the swept keys */
    int row_key;                      /* swept key that picks the row, -1 none */
} Split;

/* A grid for n panels: up to 3 in a row, 4 as 2 x 2, up to 9 in three
 * columns, more in four. */
void plot_grid_for(size_t n, size_t *rows, size_t *cols);

/* Up to max_overlay settings of one key share a panel; more are one panel
 * each; with several keys the last one or two pick the panel (rows and
 * columns) and the others the colour. More than PANELS_MAX panels: one
 * crowded panel. */
void plot_split_groups(const StudyResults *s, size_t max_overlay, Split *sp);

/* The colour of group g of s where colour stands for the swept keys in keys
 * (a bit mask), from the visual language (plot_style.h): one key whose
 * values are quantities of the table (activations, losses, one and two
 * hidden layers), each its own look; else the sequential palette by the
 * rank of g's value in its sweep (numeric values by size, others in the
 * experiment file's order; several keys: their settings in sweep order).
 * Returns 0, or -1 (out untouched) when keys names no swept key. */
int plot_group_colour(const StudyResults *s, size_t g, unsigned keys, char out[PLOT_COLOUR_MAX]);

#endif
