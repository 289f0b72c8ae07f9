/* runstable.h - one table of every run: results/<dataset>/runs.csv
 * (`repro runs`, written with the report).
 *
 * One row per run, in experiment-file and run order, under a header row; C
 * locale, ',' between cells, a cell quoted ("...") when it holds a comma or a
 * quote (run names do: "lambda-0.2,seed-1"), empty where a value does not
 * apply or was not recorded. The columns, each documented in README.md:
 *   study, run,
 *   model, learning_rate, batch_size, max_epoch, lambda, as_reported, holdout,
 *   weight_decay, hidden, activation, loss, seed   (the run's configuration:
 *     every key of experiments/README.md; hidden as written there, "512x128")
 *   status, diverged_epoch, epochs_completed,
 *   train_loss, train_acc, full_train_loss, full_train_acc, val_loss, val_acc,
 *   test_loss, test_acc, weight_norm_1, weight_norm_2, weight_norm_3,
 *   last_batch_loss, last_batch_acc   (summary.json's final metrics;
 *     accuracies are fractions)
 *   wall_seconds, cpu_seconds, epoch_cpu_seconds (the mean over the epochs),
 *   trained_with   (timing.json)
 * Numbers print so that they round-trip (%.9g). */
#ifndef RUNSTABLE_H
#define RUNSTABLE_H

#include <stddef.h>

#define RUNS_COLUMNS 34

/* The header's names, in column order. */
extern const char *const RUNS_COLUMN_NAMES[RUNS_COLUMNS];

/* Reads every run of the experiment files exps[0..n) from results_dir (results/
 * <dataset>, as results.h reads it: a missing or stale run is an error) and
 * writes the table to out atomically. Returns 0, or -1 with err (ERR_MAX
 * bytes) naming the file. */
int runs_table_write(const char *results_dir, const char *const *exps, size_t n, const char *out,
                     char *err);

#endif
