/* plot_style.c - the palette and the terminals (plot_style.h). */
#include "report/plot_style.h"

/* Colour-blind safe colours (Okabe and Ito), one per setting in sweep order;
 * the series of a dot plot (training, validation, test) use the first three
 * in the same roles everywhere. */
static const char *const COLOURS[] = {"0072B2", "D55E00", "009E73", "CC79A7",
                                      "E69F00", "56B4E9", "000000"};
#define N_COLOURS (sizeof COLOURS / sizeof COLOURS[0])

const char *const PLOT_EXTS[N_TERMINALS] = {"svg", "pdf"};

/* The terminal for SVG (t 0) or PDF (t 1): the same layout in both. */
void plot_terminal(FILE *f, size_t t, double height_px)
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

const char *plot_colour(size_t c)
{
    return COLOURS[c % N_COLOURS];
}
