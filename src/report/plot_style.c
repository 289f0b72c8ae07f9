/* plot_style.c - the visual language and the terminals (plot_style.h). */
#include "report/plot_style.h"

#include <stdio.h>
#include <string.h>

/* Colour-blind safe colours where it matters most (Okabe and Ito for the
 * splits and the gradient variants, Tol's muted scheme for the networks),
 * each used for one quantity only; the sequential palette of the swept
 * values is viridis. */
static const Look LOOKS[N_LOOKS] = {
    [LOOK_TRAINING] = {"training", "0072B2", "dt 1", "pt 7 ps 0.75"},
    [LOOK_VALIDATION] = {"validation", "E69F00", "dt 2", "pt 5 ps 0.7"},
    [LOOK_TEST] = {"test", "009E73", "dt 4", "pt 9 ps 0.85"},
    [LOOK_CORRECT] = {"correct gradient", "D55E00", "dt 1", "pt 7 ps 0.75"},
    [LOOK_REPORTED] = {"as reported", "CC79A7", "dt 1", "pt 5 ps 0.7"},
    [LOOK_ORIGINAL] = {"original write-up", "000000", "dt 1", "pt 6 ps 1.1 lw 1.3"},
    [LOOK_RELU] = {"ReLU", "882255", "dt 1", "pt 7 ps 0.75"},
    [LOOK_SIGMOID] = {"sigmoid", "999933", "dt 1", "pt 7 ps 0.75"},
    [LOOK_CROSS_ENTROPY] = {"CE", "332288", "dt 1", "pt 7 ps 0.75"},
    [LOOK_EUCLIDEAN] = {"Euclidean", "44AA99", "dt 1", "pt 7 ps 0.75"},
    [LOOK_ONE_HIDDEN] = {"1 hidden layer", "AA4499", "dt 1", "pt 7 ps 0.75"},
    [LOOK_TWO_HIDDEN] = {"2 hidden layers", "8C510A", "dt 1", "pt 7 ps 0.75"},
    [LOOK_CHANCE] = {"chance", "8C8C8C", "dt 3", "pt 0"},
};

const Look *plot_look(LookId id)
{
    return &LOOKS[id < N_LOOKS ? id : LOOK_CHANCE];
}

int plot_value_look(const char *key, const char *value)
{
    if (strcmp(key, "activation") == 0)
        return strcmp(value, "relu") == 0      ? LOOK_RELU
               : strcmp(value, "sigmoid") == 0 ? LOOK_SIGMOID
                                               : -1;
    if (strcmp(key, "loss") == 0)
        return strcmp(value, "cross-entropy") == 0 ? LOOK_CROSS_ENTROPY
               : strcmp(value, "euclidean") == 0   ? LOOK_EUCLIDEAN
                                                   : -1;
    if (strcmp(key, "hidden") == 0) {
        size_t layers = 1;
        for (const char *p = value; *p; p++)
            layers += *p == 'x';
        return layers == 1 ? LOOK_ONE_HIDDEN : layers == 2 ? LOOK_TWO_HIDDEN : -1;
    }
    return -1;
}

/* viridis at 0, 1/8, ..., 1 */
static const unsigned char VIRIDIS[9][3] = {
    {0x44, 0x01, 0x54}, {0x47, 0x2c, 0x7a}, {0x3b, 0x51, 0x8b}, {0x2c, 0x71, 0x8e}, {0x21, 0x90, 0x8d},
    {0x27, 0xad, 0x81}, {0x5c, 0xc8, 0x63}, {0xaa, 0xdc, 0x32}, {0xfd, 0xe7, 0x25}};
#define LIGHTEST 0.82 /* of the palette: lighter would not show on white */

void plot_sweep_colour(size_t rank, size_t n, char out[PLOT_COLOUR_MAX])
{
    /* largest value darkest; one value in the middle */
    double t = n > 1 ? LIGHTEST * (1.0 - (double)rank / (double)(n - 1)) : 0.5 * LIGHTEST;
    if (t < 0.0)
        t = 0.0;
    double pos = t * 8.0;
    size_t i = (size_t)pos;
    if (i >= 8)
        i = 7;
    double f = pos - (double)i;
    unsigned char c[3];
    for (int k = 0; k < 3; k++)
        c[k] = (unsigned char)(VIRIDIS[i][k] + f * (VIRIDIS[i + 1][k] - VIRIDIS[i][k]) + 0.5);
    snprintf(out, PLOT_COLOUR_MAX, "%02X%02X%02X", c[0], c[1], c[2]);
}

const char *const PLOT_EXTS[N_TERMINALS] = {"svg", "pdf"};

/* The terminal for SVG (t 0) or PDF (t 1): the same layout in both. */
void plot_terminal(FILE *f, size_t t, double height_px)
{
    if (t == 1)
        fprintf(f,
                "set terminal pdfcairo size 6in,%.4fin noenhanced font \"Helvetica,9\" "
                "fontscale 1 linewidth 1.2\n",
                height_px / PX_PER_IN);
    else
        fprintf(f,
                "set terminal svg size %d,%d fixed noenhanced font \"Helvetica,17\" "
                "linewidth 1.2 background rgb \"white\"\n",
                (int)WIDTH_PX, (int)height_px);
}
