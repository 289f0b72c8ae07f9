/* runstable.c - `repro runs`: every run in one CSV table. */
#include "report/runstable.h"

#include "atomic.h"
#include "cfgfile.h"
#include "err.h"
#include "experiment.h"
#include "report/results.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const RUNS_COLUMN_NAMES[RUNS_COLUMNS] = {
    "study", "run", "model", "learning_rate", "batch_size", "max_epoch", "lambda", "as_reported",
    "holdout", "weight_decay", "hidden", "activation", "loss", "seed", "status",
    "diverged_epoch", "epochs_completed", "train_loss", "train_acc", "full_train_loss",
    "full_train_acc", "val_loss", "val_acc", "test_loss", "test_acc", "weight_norm_1",
    "weight_norm_2", "weight_norm_3", "last_batch_loss", "last_batch_acc", "wall_seconds",
    "cpu_seconds", "epoch_cpu_seconds", "trained_with"};

/* The final metrics in column order (they follow epochs_completed). */
static const Metric FINAL[] = {METRIC_TRAIN_LOSS,      METRIC_TRAIN_ACC,     METRIC_FULL_TRAIN_LOSS,
                               METRIC_FULL_TRAIN_ACC,  METRIC_VAL_LOSS,      METRIC_VAL_ACC,
                               METRIC_TEST_LOSS,       METRIC_TEST_ACC,      METRIC_WEIGHT_NORM_1,
                               METRIC_WEIGHT_NORM_2,   METRIC_WEIGHT_NORM_3, METRIC_LAST_BATCH_LOSS,
                               METRIC_LAST_BATCH_ACC};

/* A text cell, quoted when it holds a comma, a quote or a line break. */
static void text_cell(FILE *f, const char *s, int first)
{
    if (!first)
        fputc(',', f);
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* A number, or an empty cell for NAN. */
static void num_cell(FILE *f, double v)
{
    if (isnan(v))
        fputc(',', f);
    else
        fprintf(f, ",%.9g", v);
}

static void row(FILE *f, const RunResult *r)
{
    const RunConfig *c = &r->config;
    int mlp = c->model == MODEL_MLP;
    text_cell(f, r->study, 1);
    text_cell(f, r->run, 0);
    text_cell(f, model_name(c->model), 0);
    num_cell(f, c->learning_rate);
    fprintf(f, ",%d,%d", c->batch_size, c->max_epoch);
    num_cell(f, mlp ? NAN : c->lambda);
    fprintf(f, ",%s", mlp ? "" : c->as_reported ? "true" : "false");
    fprintf(f, ",%s", mlp ? "" : c->holdout ? "true" : "false");
    num_cell(f, mlp ? c->weight_decay : NAN);
    char hidden[MAX_HIDDEN * 12 + 1];
    runconfig_hidden_text(c, 'x', hidden, sizeof hidden);
    fprintf(f, ",%s", mlp ? hidden : "");
    fprintf(f, ",%s,%s", mlp ? activation_name(c->activation) : "", mlp ? loss_name(c->loss) : "");
    fprintf(f, ",%llu", (unsigned long long)c->seed);
    fprintf(f, ",%s", r->status == RUN_DIVERGED ? "diverged" : "ok");
    if (r->status == RUN_DIVERGED)
        fprintf(f, ",%d", r->diverged_epoch);
    else
        fputc(',', f);
    fprintf(f, ",%d", r->epochs_completed);
    for (size_t m = 0; m < sizeof FINAL / sizeof FINAL[0]; m++)
        num_cell(f, r->final[FINAL[m]]);
    num_cell(f, r->wall_seconds);
    num_cell(f, r->cpu_seconds);
    num_cell(f, run_result_epoch_cpu(r));
    text_cell(f, r->trained_with, 0);
    fputc('\n', f);
}

int runs_table_write(const char *results_dir, const char *const *exps, size_t n, const char *out,
                     char *err)
{
    AtomicFile a;
    if (atomic_open(&a, out, err) < 0)
        return -1;
    for (int k = 0; k < RUNS_COLUMNS; k++)
        fprintf(a.f, "%s%s", k ? "," : "", RUNS_COLUMN_NAMES[k]);
    fputc('\n', a.f);
    for (size_t i = 0; i < n; i++) {
        Experiment *e = experiment_load(exps[i], err);
        if (!e) {
            atomic_abort(&a);
            return -1;
        }
        StudyResults s;
        if (study_results_load(&s, results_dir, e, 0, err) < 0) {
            experiment_free(e);
            atomic_abort(&a);
            return -1;
        }
        for (size_t r = 0; r < s.n_runs; r++)
            row(a.f, &s.runs[r]);
        study_results_release(&s);
        experiment_free(e);
    }
    return atomic_commit(&a, err);
}
