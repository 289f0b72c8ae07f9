/* answers.c - the homework's questions answered in numbers (answers.h). */
#include "report/answers.h"

#include "err.h"
#include "report/prose.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEXT 512

void answers_acc_pm(char *out, size_t size, double mean, double sd)
{
    double m = 100.0 * mean, d = 100.0 * sd;
    if (isnan(m)) {
        snprintf(out, size, "n/a");
        return;
    }
    if (isnan(d) || d <= 0) {
        snprintf(out, size, "%.1f" PM "0", m);
        return;
    }
    /* one significant digit: 0.04 -> "0.04", 0.3 -> "0.3", 2.4 -> "2", 13 -> "10" */
    int digits = (int)floor(log10(d));
    double r = round(d / pow(10.0, digits)) * pow(10.0, digits);
    if (r >= 10.0 * pow(10.0, digits)) /* 0.96 rounds to 1 */
        digits++;
    int decimals = digits < 0 ? -digits : 0;
    snprintf(out, size, "%.1f" PM "%.*f", m, decimals, r);
}

static const char *activation_label(Activation a)
{
    switch (a) {
    case ACT_RELU:
        return "ReLU";
    case ACT_SIGMOID:
        return "sigmoid";
    }
    return "?";
}

static const char *loss_label(LossKind l)
{
    switch (l) {
    case LOSS_EUCLIDEAN:
        return "Euclidean";
    case LOSS_CROSS_ENTROPY:
        return "CE";
    }
    return "?";
}

void answers_setting(const StudyResults *s, size_t g, char *out, size_t size)
{
    const RunConfig *c = &s->runs[g * s->n_seeds].config;
    switch (c->model) {
    case MODEL_SOFTMAX:
        snprintf(out, size, "\xce\xbb = %g, learning rate %g, batch %d, %d epochs%s", c->lambda,
                 c->learning_rate, c->batch_size, c->max_epoch,
                 c->as_reported ? ", as reported" : "");
        return;
    case MODEL_MLP: {
        char layers[64] = "";
        size_t len = 0;
        for (int i = 0; i < c->n_hidden && len < sizeof layers; i++)
            len += (size_t)snprintf(layers + len, sizeof layers - len, "%s%d", i ? "-" : "",
                                    c->hidden[i]);
        snprintf(out, size,
                 "%s hidden layer%s (%s), %s, %s, learning rate %g, weight decay %g, batch %d, "
                 "%d epochs",
                 c->n_hidden == 1 ? "one" : c->n_hidden == 2 ? "two" : "several",
                 c->n_hidden == 1 ? "" : "s", layers, loss_label(c->loss),
                 activation_label(c->activation), c->learning_rate, c->weight_decay,
                 c->batch_size, c->max_epoch);
        return;
    }
    }
}

/* A group across the studies. */
typedef struct {
    const StudyResults *s;
    size_t g;
} Pick;

static int is_architecture_study(const StudyResults *s)
{
    if (experiment_model(s->exp) != MODEL_MLP)
        return 0;
    for (size_t j = 0; j < experiment_sweep_count(s->exp); j++) {
        const char *k = experiment_sweep_key(s->exp, j);
        if (!strcmp(k, "hidden") || !strcmp(k, "loss") || !strcmp(k, "activation"))
            return 1;
    }
    return 0;
}

/* The group of highest mean metric m among the studies that pass keep. */
static Pick best_group(const StudyResults *studies, size_t n, ModelKind model, Metric m)
{
    Pick best = {NULL, 0};
    double top = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        const StudyResults *s = &studies[i];
        if (experiment_model(s->exp) != model || s->runs[0].config.as_reported)
            continue;
        for (size_t g = 0; g < s->n_groups; g++) {
            double v = study_group_mean(s, g, run_final, m, NULL);
            if (!isnan(v) && v > top) {
                top = v;
                best = (Pick){s, g};
            }
        }
    }
    return best;
}

static void acc_of(const Pick *p, Metric m, char *out, size_t size)
{
    double sd, mean = study_group_mean(p->s, p->g, run_final, m, &sd);
    answers_acc_pm(out, size, mean, sd);
}

static void seconds_of(const Pick *p, char *out, size_t size)
{
    double t = study_group_mean(p->s, p->g, run_wall, METRIC_TEST_ACC, NULL);
    if (isnan(t))
        snprintf(out, size, "n/a");
    else
        snprintf(out, size, "%.1f", t);
}

/* The runs that entered a group's means: "5", or "3 of 5" when some diverged
 * before recording the metric. */
static void runs_of(const Pick *p, Metric m, char *out, size_t size)
{
    size_t k = 0;
    for (size_t i = 0; i < p->s->n_seeds; i++)
        k += !isnan(p->s->runs[p->g * p->s->n_seeds + i].final[m]);
    if (k == p->s->n_seeds)
        snprintf(out, size, "%zu", k);
    else
        snprintf(out, size, "%zu of %zu", k, p->s->n_seeds);
}

/* A setting as the table shows it: only what differs from ref, the
 * configuration the text gives as the defaults ("CE, ReLU, 512-128, learning
 * rate 0.01"); "defaults" when nothing does. */
static void short_setting(const RunConfig *c, const RunConfig *ref, char *out, size_t size)
{
    size_t len = 0;
    out[0] = '\0';
#define ADD(...)                                                                        \
    do {                                                                                \
        int k_ = snprintf(out + len, size - len, "%s", len ? ", " : "");               \
        len = k_ < 0 || (size_t)k_ >= size - len ? size - 1 : len + (size_t)k_;        \
        k_ = snprintf(out + len, size - len, __VA_ARGS__);                              \
        len = k_ < 0 || (size_t)k_ >= size - len ? size - 1 : len + (size_t)k_;        \
    } while (0)
    if (c->model == MODEL_MLP) {
        char layers[64] = "";
        size_t n = 0;
        for (int i = 0; i < c->n_hidden && n < sizeof layers; i++)
            n += (size_t)snprintf(layers + n, sizeof layers - n, "%s%d", i ? "-" : "",
                                  c->hidden[i]);
        ADD("%s, %s, %s", layers, loss_label(c->loss), activation_label(c->activation));
        if (c->weight_decay != ref->weight_decay)
            ADD("weight decay %g", c->weight_decay);
    } else {
        if (c->lambda != ref->lambda)
            ADD("\xce\xbb = %g", c->lambda);
    }
    if (c->learning_rate != ref->learning_rate)
        ADD("learning rate %g", c->learning_rate);
    if (c->batch_size != ref->batch_size)
        ADD("batch %d", c->batch_size);
    if (c->max_epoch != ref->max_epoch)
        ADD("%d epochs", c->max_epoch);
    if (!len)
        snprintf(out, size, "defaults");
#undef ADD
}

#define COLS 7
#define ROWS_MAX 64
typedef struct {
    size_t n;
    char cell[ROWS_MAX][COLS][TEXT];
} Rows;

/* One headline row: model | setting | train | validation | test | seconds | runs. */
static void row(Rows *t, const Pick *p, const RunConfig *ref, const char *what, int bold)
{
    if (t->n >= ROWS_MAX)
        return;
    char(*c)[TEXT] = t->cell[t->n++];
    char setting[TEXT], tr[64], va[64], te[64];
    short_setting(&p->s->runs[p->g * p->s->n_seeds].config, ref, setting, sizeof setting);
    ModelKind model = experiment_model(p->s->exp);
    acc_of(p, model == MODEL_SOFTMAX ? METRIC_FULL_TRAIN_ACC : METRIC_TRAIN_ACC, tr, sizeof tr);
    if (model == MODEL_SOFTMAX)
        snprintf(va, sizeof va, "\xe2\x80\x94"); /* — */
    else
        acc_of(p, METRIC_VAL_ACC, va, sizeof va);
    acc_of(p, METRIC_TEST_ACC, te, sizeof te);
    const char *b = bold ? "**" : "";
    snprintf(c[0], TEXT, "%s%s%s", b, what, b);
    snprintf(c[1], TEXT, "%s", setting);
    snprintf(c[2], TEXT, "%s%s%s", b, tr, b);
    snprintf(c[3], TEXT, "%s%s%s", b, va, b);
    snprintf(c[4], TEXT, "%s%s%s", b, te, b);
    seconds_of(p, c[5], TEXT);
    runs_of(p, METRIC_TEST_ACC, c[6], TEXT);
}

/* Characters, not bytes ("±" is two bytes). */
static size_t width(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xc0) != 0x80;
    return n;
}

/* The table, with separator dashes in proportion to each column's widest
 * cell, since pandoc sets the widths of a table that wraps from them. */
static int emit(FILE *md, const Rows *t)
{
    static const char *const HEAD[COLS] = {"model", "setting", "training acc. (%)",
                                           "validation acc. (%)", "test acc. (%)",
                                           "time per run (s)", "runs"};
    size_t w[COLS];
    int bad = 0;
    for (int c = 0; c < COLS; c++) {
        w[c] = 6;
        for (size_t r = 0; r < t->n; r++)
            w[c] = width(t->cell[r][c]) > w[c] ? width(t->cell[r][c]) : w[c];
        bad |= fprintf(md, "| %s ", HEAD[c]) < 0;
    }
    bad |= fprintf(md, "|\n") < 0;
    for (int c = 0; c < COLS; c++) {
        bad |= fprintf(md, "|%s", c < 2 ? ":" : "") < 0;
        for (size_t k = 0; k < w[c]; k++)
            bad |= fputc('-', md) == EOF;
        bad |= fprintf(md, "%s", c < 2 ? "" : ":") < 0;
    }
    bad |= fprintf(md, "|\n") < 0;
    for (size_t r = 0; r < t->n; r++) {
        for (int c = 0; c < COLS; c++)
            bad |= fprintf(md, "| %s ", t->cell[r][c]) < 0;
        bad |= fprintf(md, "|\n") < 0;
    }
    return bad;
}

static void set_pick(Values *v, Values *t, const char *name, const Pick *p)
{
    char key[64], text[TEXT];
    ModelKind model = experiment_model(p->s->exp);
#define K(k) (snprintf(key, sizeof key, "answer:%s:%s", name, k), key)
    answers_setting(p->s, p->g, text, sizeof text);
    values_set(v, K("label"), "%s", text);
    values_set(v, K("study"), "%s", experiment_title(p->s->exp));
    acc_of(p, METRIC_TEST_ACC, text, sizeof text);
    values_set(v, K("test_pm"), "%s", text);
    acc_of(p, model == MODEL_SOFTMAX ? METRIC_FULL_TRAIN_ACC : METRIC_TRAIN_ACC, text,
           sizeof text);
    values_set(v, K("train_pm"), "%s", text);
    if (model == MODEL_MLP) {
        acc_of(p, METRIC_VAL_ACC, text, sizeof text);
        values_set(v, K("val_pm"), "%s", text);
    }
    runs_of(p, METRIC_TEST_ACC, text, sizeof text);
    values_set(v, K("runs"), "%s", text);
    seconds_of(p, text, sizeof text);
    values_set(t, K("time"), "%s s", text);
#undef K
}

/* Long (98 lines): the headline table is built row by row in the order it is read. */
int answers(const StudyResults *studies, size_t n, Values *vals, Values *timing,
            char **headline, char *err)
{
    *headline = NULL;
    char *buf = NULL;
    size_t len = 0;
    FILE *md = open_memstream(&buf, &len);
    if (!md)
        return err_set(err, "answers: out of memory");
    int bad = 0;
    Rows *t = calloc(1, sizeof *t);
    if (!t) {
        fclose(md);
        free(buf);
        return err_set(err, "answers: out of memory");
    }

    /* the softmax model: its defaults, then its best setting */
    Pick def = {NULL, 0};
    for (size_t i = 0; i < n && !def.s; i++)
        if (experiment_model(studies[i].exp) == MODEL_SOFTMAX &&
            experiment_sweep_count(studies[i].exp) == 0 && !studies[i].runs[0].config.as_reported)
            def = (Pick){&studies[i], 0};
    Pick sbest = best_group(studies, n, MODEL_SOFTMAX, METRIC_TEST_ACC);
    const RunConfig *sref = def.s ? &def.s->runs[0].config : NULL;
    if (def.s) {
        row(t, &def, sref, "softmax, defaults", 0);
        char sec[32];
        seconds_of(&def, sec, sizeof sec);
        values_set(timing, key_of("answer:%s-defaults:time", model_name(MODEL_SOFTMAX)).s, "%s s",
                   sec);
    }
    if (sbest.s) {
        row(t, &sbest, sref ? sref : &sbest.s->runs[0].config, "softmax, best (on test)", 1);
        set_pick(vals, timing, key_of("%s-best", model_name(MODEL_SOFTMAX)).s, &sbest);
    }

    /* every network of the architecture studies, then the recommended one */
    double lo = INFINITY, hi = -INFINITY;
    char lo_label[TEXT] = "", hi_label[TEXT] = "";
    size_t nets = 0;
    const RunConfig *mref = NULL; /* the first network study's shared settings */
    for (size_t i = 0; i < n; i++) {
        const StudyResults *s = &studies[i];
        if (!is_architecture_study(s))
            continue;
        if (mref) /* the first such study only: the others test one idea each */
            break;
        mref = &s->runs[0].config;
        for (size_t g = 0; g < s->n_groups; g++) {
            Pick p = {s, g};
            row(t, &p, mref, "MLP", 0);
            nets++;
            double acc = study_group_mean(s, g, run_final, METRIC_TEST_ACC, NULL);
            if (isnan(acc))
                continue;
            const RunConfig *c = &s->runs[g * s->n_seeds].config;
            if (acc < lo) {
                lo = acc;
                short_setting(c, mref, lo_label, sizeof lo_label);
            }
            if (acc > hi) {
                hi = acc;
                short_setting(c, mref, hi_label, sizeof hi_label);
            }
        }
    }
    if (nets) {
        values_set(vals, key_of("answer:%s-nets:count", model_name(MODEL_MLP)).s, "%zu", nets);
        values_set(vals, key_of("answer:%s-nets:test_range", model_name(MODEL_MLP)).s,
                   "from %.1f %% (%s) to %.1f %% (%s)", 100.0 * lo, lo_label, 100.0 * hi,
                   hi_label);
    }
    Pick mbest = best_group(studies, n, MODEL_MLP, METRIC_VAL_ACC);
    if (mbest.s) {
        row(t, &mbest, mref ? mref : &mbest.s->runs[0].config, "MLP, best (on validation)", 1);
        set_pick(vals, timing, key_of("%s-best", model_name(MODEL_MLP)).s, &mbest);
    }
    bad |= emit(md, t);
    free(t);
    bad |= fprintf(md,
                   "\nTable: The answers in one table. Final accuracies, mean " "\xc2\xb1"
                   " sd over the seeds (runs: how many entered the means). Setting: the "
                   "hidden layers, loss and activation, and whatever differs from the defaults "
                   "(softmax: those of the first row; MLP: those of the architecture study). "
                   "The softmax training accuracy is over the whole training set, the MLP's "
                   "the mean over the last epoch's minibatches. The softmax part has "
                   "no validation split, so its best setting is chosen on test accuracy; the "
                   "MLP's is chosen on validation accuracy. Time: wall time of one training "
                   "run on one core, mean over seeds.\n") < 0;
    bad |= fclose(md) != 0;
    if (bad || !buf) {
        free(buf);
        return err_set(err, "answers: out of memory");
    }
    *headline = buf;
    return 0;
}
