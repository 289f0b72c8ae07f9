/* plot_layout.h - where a figure's parts go, in SVG pixels: the panels'
 * boxes, the axis ranges (what the data need, with a margin), and the legend
 * (a corner of any panel that covers no data; else room above the data,
 * an empty cell of the grid, or a strip above the panels). */
#ifndef REPORT_PLOT_LAYOUT_H
#define REPORT_PLOT_LAYOUT_H

#include "report/plot_model.h"

#include <stddef.h>

/* The figure's height in SVG pixels. */
double plot_fig_height(const Figure *fg);

/* Panel i's box in SVG pixels from the top left: left, top, width, height
 * (i == fg->n: the first empty cell of the grid). */
void plot_panel_box(const Figure *fg, size_t i, double *l, double *t, double *w, double *h);

/* Sets the x range (x_auto) and every panel's y range from their extents. */
void plot_compute_ranges(Figure *fg);

/* Places the legend (key_on, key_mode, key_panel, key, key_cols,
 * key_strip_px), raising the y ranges when it needs room above the data;
 * after plot_compute_ranges. */
void plot_place_key(Figure *fg);

#endif
