/* cfgfile.c - a configuration as the text of a single-run experiment file
 * (cfgfile.h). Only the planner writes it, so the trainer, which reads it
 * back through experiment.c, does not link this file: a change here never
 * changes the trainer's key. */
#include "cfgfile.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

/* The shortest %g text that reads back as exactly v (at most 17 digits). */
static void format_double(double v, char *out, size_t size)
{
    for (int prec = 1; prec <= 17; prec++) {
        if (snprintf(out, size, "%.*g", prec, v) < 0)
            break;
        if (strtod(out, NULL) == v)
            return;
    }
    snprintf(out, size, "%.17g", v);
}

void runconfig_hidden_text(const RunConfig *cfg, char sep, char *out, size_t size)
{
    const char between[2] = {sep, '\0'};
    size_t n = 0;
    if (size)
        out[0] = '\0';
    for (int l = 0; l < cfg->n_hidden && l < MAX_HIDDEN && n < size; l++) {
        int w = snprintf(out + n, size - n, "%s%d", l ? between : "", cfg->hidden[l]);
        n += w > 0 ? (size_t)w : 0;
    }
}

int runconfig_format(const RunConfig *cfg, char *buf, size_t size)
{
    char lr[32], extra[32], hidden[MAX_HIDDEN * 12 + 1]; /* 12: "x" and any int */
    size_t pos = 0;
    int n;
    format_double(cfg->learning_rate, lr, sizeof lr);
    n = snprintf(buf, size, "model = %s\nlearning_rate = %s\nbatch_size = %d\nmax_epoch = %d\n",
                 model_name(cfg->model), lr, cfg->batch_size, cfg->max_epoch);
    if (n < 0 || (size_t)n >= size)
        return -1;
    pos = (size_t)n;
    switch (cfg->model) {
    case MODEL_SOFTMAX:
        format_double(cfg->lambda, extra, sizeof extra);
        n = snprintf(buf + pos, size - pos, "lambda = %s\nas_reported = %s\n%s", extra,
                     cfg->as_reported ? "true" : "false", cfg->holdout ? "holdout = true\n" : "");
        break;
    case MODEL_MLP: {
        runconfig_hidden_text(cfg, 'x', hidden, sizeof hidden);
        format_double(cfg->weight_decay, extra, sizeof extra);
        n = snprintf(buf + pos, size - pos,
                     "weight_decay = %s\nhidden = %s\nactivation = %s\nloss = %s\n", extra, hidden,
                     activation_name(cfg->activation), loss_name(cfg->loss));
        break;
    }
    }
    if (n < 0 || (size_t)n >= size - pos)
        return -1;
    pos += (size_t)n;
    n = snprintf(buf + pos, size - pos, "protocol = %s\nseeds = %" PRIu64 "\n",
                 protocol_name(cfg->protocol), cfg->seed);
    if (n < 0 || (size_t)n >= size - pos)
        return -1;
    return (int)(pos + (size_t)n);
}
