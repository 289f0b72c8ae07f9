/* runstable.c - `repro runs`: every run in one CSV table. */
#include "report/runstable.h"

#include "atomic.h"
#include "cfgfile.h"
#include "err.h"
#include "experiment.h"
#include "report/buf.h"
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

/* A text cell (buf_csv_field), after a comma unless it is the row's first. */
static void text_cell(Buf *t, const char *s, int first)
{
    if (!first)
        buf_printf(t, ",");
    buf_csv_field(t, s);
}

/* A number, or an empty cell for NAN. */
static void num_cell(Buf *t, double v)
{
    if (isnan(v))
        buf_printf(t, ",");
    else
        buf_printf(t, ",%.9g", v);
}

static void row(Buf *t, const RunResult *r)
{
    const RunConfig *c = &r->config;
    int mlp = c->model == MODEL_MLP;
    text_cell(t, r->study, 1);
    text_cell(t, r->run, 0);
    text_cell(t, model_name(c->model), 0);
    num_cell(t, c->learning_rate);
    buf_printf(t, ",%d,%d", c->batch_size, c->max_epoch);
    num_cell(t, mlp ? NAN : c->lambda);
    buf_printf(t, ",%s", mlp ? "" : c->as_reported ? "true" : "false");
    buf_printf(t, ",%s", mlp ? "" : c->holdout ? "true" : "false");
    num_cell(t, mlp ? c->weight_decay : NAN);
    char hidden[MAX_HIDDEN * 12 + 1];
    runconfig_hidden_text(c, 'x', hidden, sizeof hidden);
    buf_printf(t, ",%s", mlp ? hidden : "");
    buf_printf(t, ",%s,%s", mlp ? activation_name(c->activation) : "", mlp ? loss_name(c->loss) : "");
    buf_printf(t, ",%llu", (unsigned long long)c->seed);
    buf_printf(t, ",%s", r->status == RUN_DIVERGED ? "diverged" : "ok");
    if (r->status == RUN_DIVERGED)
        buf_printf(t, ",%d", r->diverged_epoch);
    else
        buf_printf(t, ",");
    buf_printf(t, ",%d", r->epochs_completed);
    for (size_t m = 0; m < sizeof FINAL / sizeof FINAL[0]; m++)
        num_cell(t, r->final[FINAL[m]]);
    num_cell(t, r->wall_seconds);
    num_cell(t, r->cpu_seconds);
    num_cell(t, run_result_epoch_cpu(r));
    text_cell(t, r->trained_with, 0);
    buf_printf(t, "\n");
}

int runs_table_write(const char *results_dir, const char *const *exps, size_t n, const char *out,
                     char *err)
{
    Buf t = {0};
    for (int k = 0; k < RUNS_COLUMNS; k++)
        buf_printf(&t, "%s%s", k ? "," : "", RUNS_COLUMN_NAMES[k]);
    buf_printf(&t, "\n");
    for (size_t i = 0; i < n; i++) {
        Experiment *e = experiment_load(exps[i], err);
        StudyResults s;
        if (!e || study_results_load(&s, results_dir, e, 0, err) < 0) {
            experiment_free(e);
            free(t.p);
            return -1;
        }
        for (size_t r = 0; r < s.n_runs; r++)
            row(&t, &s.runs[r]);
        study_results_release(&s);
        experiment_free(e);
    }
    int rc = t.failed ? err_set(err, "runs: out of memory") : atomic_write(out, t.p, t.n, err);
    free(t.p);
    return rc;
}
