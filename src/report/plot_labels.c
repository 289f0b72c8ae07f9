/* plot_labels.c - names of settings in the figures (plot_labels.h). */
#include "report/plot_labels.h"

#include "report/plot_model.h"
#include "report/plot_stats.h"

#include <stdio.h>
#include <string.h>

/* A swept value as the figures show it: short names for losses and
 * activations, hidden sizes joined by '-' ("512-128"). */
static void value_text(const char *key, const char *value, int in_legend, char *out, size_t size)
{
    if (strcmp(key, "loss") == 0)
        snprintf(out, size, "%s", strcmp(value, "euclidean") == 0 ? "Euclidean" : "CE");
    else if (strcmp(key, "activation") == 0)
        snprintf(out, size, "%s", strcmp(value, "relu") == 0 ? "ReLU" : value);
    else if (strcmp(key, "hidden") == 0) {
        char sizes[TEXT_MAX];
        size_t n = 0, layers = 1;
        for (const char *p = value; *p && n + 1 < sizeof sizes; p++) {
            layers += *p == 'x';
            sizes[n++] = *p == 'x' ? '-' : *p;
        }
        sizes[n] = '\0';
        if (in_legend)
            snprintf(out, size, "%zu hidden layer%s (%s)", layers, layers > 1 ? "s" : "", sizes);
        else
            snprintf(out, size, "%s", sizes);
    } else if (plot_key_is_numeric(key))
        snprintf(out, size, "%s = %s", sweep_key_label(key), value);
    else
        snprintf(out, size, "%s %s", sweep_key_label(key), value);
}

/* Group g described by the swept keys whose bit is set in keys (all: ~0u). */
void plot_group_text(const StudyResults *s, size_t g, unsigned keys, int in_legend, char *out,
                     size_t size)
{
    size_t nk = experiment_sweep_count(s->exp), n = 0;
    out[0] = '\0';
    for (size_t j = 0; j < nk && n < size; j++) {
        if (!(keys >> j & 1u))
            continue;
        char v[TEXT_MAX];
        value_text(experiment_sweep_key(s->exp, j), experiment_run_sweep(s->exp, g * s->n_seeds, j),
                   in_legend, v, sizeof v);
        int w = snprintf(out + n, size - n, "%s%s", n ? ", " : "", v);
        n += w > 0 ? (size_t)w : 0;
    }
}

void plot_diverged_note(const StudyResults *s, size_t g, char *out, size_t size)
{
    size_t d = study_group_diverged(s, g), n = strlen(out);
    if (d && n < size)
        snprintf(out + n, size - n, " (%zu of %zu diverged)", d, s->n_seeds);
}
