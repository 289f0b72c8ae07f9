/* results.h - reading what the trainer wrote (results/<dataset>/<study>/<run>/).
 *
 * A run's directory holds summary.json (written last: its presence means the
 * run finished; configuration, status, final metrics), epochs.csv (a header
 * row, then one row per completed epoch: epoch and the RESULTS_EPOCH_METRICS
 * columns below), iterations.csv (softmax only: iteration,epoch,loss,acc, one
 * row per minibatch) and timing.json (wall and CPU seconds). Reading is strict: a
 * summary.json that does not parse, lacks a key, has a value of the wrong type
 * or out of range, or an epochs.csv / iterations.csv whose header, cells, row
 * numbering or row count disagree with summary.json is an error naming the file
 * and the line (or line:column for JSON), never a row silently tabulated. Only
 * timing.json may be absent (wall/cpu seconds are then NAN), since it is the one
 * file that is not part of a result. */
#ifndef RESULTS_H
#define RESULTS_H

#include "experiment.h"

#include <stddef.h>

#define RESULTS_SWEEP_MAX 8  /* swept keys per run */
#define RESULTS_TEXT_MAX 64  /* bytes of a swept key or value text, NUL included */
#define RESULTS_FILE_MAX (1L << 30) /* bytes of one CSV file; more is an error */

/* The metrics of one evaluation. The first RESULTS_EPOCH_METRICS are the
 * columns of epochs.csv after "epoch", in this order; the last-batch ones only
 * exist in summary.json's "final". Accuracies are fractions in [0, 1]. */
typedef enum {
    METRIC_TRAIN_LOSS,      /* mean over the epoch's minibatches */
    METRIC_TRAIN_ACC,
    METRIC_FULL_TRAIN_LOSS, /* softmax only: whole training set after the epoch */
    METRIC_FULL_TRAIN_ACC,
    METRIC_VAL_LOSS, /* mlp only: NAN for softmax */
    METRIC_VAL_ACC,
    METRIC_TEST_LOSS,
    METRIC_TEST_ACC,
    METRIC_LAST_BATCH_LOSS, /* the epoch's last minibatch (what the original printed) */
    METRIC_LAST_BATCH_ACC,
    METRIC_COUNT
} Metric;

#define RESULTS_EPOCH_METRICS 8

/* "train_loss", "test_acc", ...: the name used in the files. */
const char *metric_name(Metric m);
/* Whether the metric is an accuracy (a fraction) rather than a loss. */
int metric_is_acc(Metric m);
/* Whether the model never records the metric (its cells are empty, its final
 * value null): validation for softmax, whole-training-set figures for mlp. */
int metric_absent(ModelKind model, Metric m);

typedef struct {
    int epoch;                          /* 1-based */
    double m[RESULTS_EPOCH_METRICS];    /* indexed by Metric; NAN for an empty cell */
} EpochRow;

typedef struct {
    long iteration; /* 1-based, over the whole run */
    int epoch;      /* 1-based */
    double loss;    /* may be non-finite where the run diverged */
    double acc;
} IterRow;

typedef enum { RUN_OK, RUN_DIVERGED } RunStatus;

/* One finished run. Owned by the caller; run_result_release frees the rows. */
typedef struct {
    char path[1024];  /* the run's directory, as given */
    char dataset[RESULTS_TEXT_MAX];
    char study[STUDY_NAME_MAX];
    char run[RUN_NAME_MAX];
    size_t n_sweep;   /* "sweep": key -> value text as in the .exp file */
    char sweep_key[RESULTS_SWEEP_MAX][RESULTS_TEXT_MAX];
    char sweep_value[RESULTS_SWEEP_MAX][RESULTS_TEXT_MAX];
    RunConfig config; /* cleared first; fields the model does not use are zero */
    char data_sha256[65];
    RunStatus status;
    int diverged_epoch;     /* 1-based; 0 when the run did not diverge */
    long diverged_iteration; /* 1-based; 0 when not diverged or not recorded */
    int epochs_completed;
    long iterations;
    double train_flops;
    long images[3];             /* train, validation, test images used; -1 if not recorded */
    double final[METRIC_COUNT]; /* NAN where summary.json has null */
    EpochRow *epochs;           /* epochs_completed rows */
    size_t n_epochs;
    IterRow *iters;             /* softmax with RESULTS_ITERATIONS; else NULL */
    size_t n_iters;
    double wall_seconds;        /* timing.json; NAN when absent */
    double cpu_seconds;
    char trained_with[RUN_NAME_MAX * 2]; /* timing.json: "study/run" whose training this
                                          * run shares (the same configuration), or "" */
} RunResult;

enum {
    RESULTS_ITERATIONS = 1 /* also read iterations.csv (softmax runs) */
};

/* Reads summary.json, epochs.csv, iterations.csv (softmax, with
 * RESULTS_ITERATIONS) and timing.json (optional) from dir. On error returns -1
 * with a message such as "'dir/epochs.csv':7: expected 9 cells, found 5" in err
 * (ERR_MAX bytes) and leaves r released (nothing to free). */
int run_result_load(RunResult *r, const char *dir, unsigned flags, char *err);
void run_result_release(RunResult *r);

/* Number of iterations.csv rows before the first non-finite loss: the part of a
 * diverged run that can be drawn. */
size_t run_result_finite_iters(const RunResult *r);

/* All runs of one study, grouped as the experiment file orders them: runs
 * g * n_seeds + s for s < n_seeds share every setting but the seed (group g). */
typedef struct {
    const Experiment *exp; /* borrowed */
    RunResult *runs;       /* experiment_run_count(exp) runs, in run order */
    size_t n_runs;
    size_t n_groups;
    size_t n_seeds;
} StudyResults;

/* Loads every run of e from results_dir/<study>/<run>/ (results_dir is
 * results/<dataset>). A missing run directory or summary.json is an error (the
 * study is not finished), and so is a summary.json whose study, run name or
 * configuration disagree with the experiment file (stale results). Returns 0,
 * or -1 with a message in err and s released. */
int study_results_load(StudyResults *s, const char *results_dir, const Experiment *e,
                       unsigned flags, char *err);
void study_results_release(StudyResults *s);

/* Mean and sample standard deviation (divisor n - 1; 0 for a single run) of
 * metric m's final value over group g's runs that recorded it (a run that
 * diverged before its first epoch has none); *n receives their number, and
 * mean and std are NAN when it is 0. */
void study_group_stats(const StudyResults *s, size_t g, Metric m, double *mean, double *std,
                       size_t *n);

/* Mean and sample standard deviation (into *std unless NULL) over group g's
 * runs of f(run, m), skipping runs for which f gives NAN; NAN when none has a
 * value. f reads any per-run figure: a final metric, the first epoch's, the
 * wall time. */
double study_group_mean(const StudyResults *s, size_t g, double (*f)(const RunResult *, Metric),
                        Metric m, double *std);
/* Readers for study_group_mean: a run's final value of m, its wall time (m
 * unused). */
double run_final(const RunResult *r, Metric m);
double run_wall(const RunResult *r, Metric m);

/* The seed index (< n_seeds) whose runs the figures draw: seed 1's, or the
 * first seed when the study has no seed 1. */
size_t study_plot_seed(const StudyResults *s);

/* Group g's name: its first run's name without the seed part, e.g.
 * "lambda-0.2" for "lambda-0.2,seed-1"; "" when nothing is swept. Writes
 * RUN_NAME_MAX bytes into name. */
void study_group_name(const StudyResults *s, size_t g, char *name);

/* Group g's label for legends and tables, e.g. "λ = 0.2" or
 * "hidden 128, euclidean, relu" (RUN_NAME_MAX bytes); "all runs" when nothing
 * is swept. */
void study_group_label(const StudyResults *s, size_t g, char *label);

/* The experiment files of a directory: dir/<study>.exp for every study in
 * name order, or only dir/<only>.exp when only is not NULL (an error if it
 * does not exist). *paths is a heap array of heap strings (results_free_list).
 * Returns 0, or -1 with err; a directory without any is an error. */
int results_list_experiments(const char *dir, const char *only, char ***paths, size_t *n,
                             char *err);
void results_free_list(char **paths, size_t n);

/* Display name of a swept key: "λ" for lambda, "learning rate", ... */
const char *sweep_key_label(const char *key);

#endif
