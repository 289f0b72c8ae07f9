/* rundir.h - a run's results directory (results/<dataset>/<study>/<run>/):
 * the one owner of its file names, field names and schema, with the writer
 * the trainer uses and the reader the report, the manifest and the tests use.
 *
 *   summary.json    written last: its presence means the run ended.
 *                   {"format": 1, "dataset", "study", "run", "sweep": {key:
 *                   value text}, "config": {the runconfig.h fields the model
 *                   uses, by config_field_name; "protocol" only when not the
 *                   homework's}, "data_sha256", "status": "ok" | "diverged",
 *                   "diverged_epoch", "diverged_iteration" (null unless
 *                   diverged), "epochs_completed", "iterations",
 *                   "train_images", "val_images", "test_images",
 *                   "train_flops", "final": {every Metric by metric_name,
 *                   null where not recorded}}
 *   epochs.csv      RUNDIR_EPOCHS_HEADER, then one row per completed epoch:
 *                   the epoch and the first RESULTS_EPOCH_METRICS metrics
 *                   (cells the model does not record are empty)
 *   iterations.csv  RUNDIR_ITERS_HEADER (softmax runs): one row per minibatch
 *   timing.json     {"wall_seconds", "cpu_seconds", "epoch_cpu_seconds" (each
 *                   completed epoch's minibatch steps), "isa" (the kernel path,
 *                   gemm.h), "machine" (isa_machine()), "node", "cpu_model"
 *                   (host.h), and "trained_with" ("study/run") when the run
 *                   shares the training of another run of the same
 *                   configuration (train --out DIR --out DIR2: its times are
 *                   that training's, not spent again)}: the only file that
 *                   differs between two identical runs, so kept apart and
 *                   never compared
 *
 * Accuracies are fractions, numbers print so that a float round-trips (%.9g),
 * in the C locale. Every file is written atomically. Reading is strict: a
 * summary.json that does not parse, lacks a key, has a value of the wrong type
 * or out of range, or an epochs.csv / iterations.csv whose header, cells, row
 * numbering or row count disagree with summary.json is an error naming the
 * file and the line (or line:column for JSON), never a row silently accepted.
 * Only timing.json may be absent, since it is not part of a result.
 *
 * On the run's floor (src/run), below the trainer and the report: the writer
 * is rundir.c (what the trainer links), the reader rundir_read.c (the report
 * side's alone, so an edit there never changes the trainer's key); the paths
 * of a run's files are runpath.h's. */
#ifndef RUNDIR_H
#define RUNDIR_H

#include "experiment.h"
#include "runconfig.h"

#include <stddef.h>

/* The files of a run directory. */
typedef enum { RUN_SUMMARY, RUN_EPOCHS, RUN_ITERATIONS, RUN_TIMING, RUN_FILE_COUNT } RunFile;
/* The result files, hashed and compared (everything but timing.json). */
#define RUN_RESULT_FILES RUN_TIMING

/* "summary.json", "epochs.csv", "iterations.csv", "timing.json". */
const char *rundir_file_name(RunFile f);

#define RUNDIR_EPOCHS_HEADER                                                                       \
    "epoch,train_loss,train_acc,full_train_loss,full_train_acc,val_loss,val_acc,test_loss,"     \
    "test_acc,weight_norm_1,weight_norm_2,weight_norm_3"
#define RUNDIR_ITERS_HEADER "iteration,epoch,loss,acc"

#define RESULTS_SWEEP_MAX 8  /* swept keys per run */
#define RESULTS_TEXT_MAX 64  /* bytes of a swept key or value text, NUL included */
#define RESULTS_FILE_MAX (1L << 30) /* bytes of one CSV file; more is an error */

/* The metrics of one evaluation. The first RESULTS_EPOCH_METRICS are the
 * columns of epochs.csv after "epoch", in this order; the last-batch ones only
 * exist in summary.json's "final". Accuracies are fractions in [0, 1]. */
typedef enum {
    METRIC_TRAIN_LOSS,      /* mean over the epoch's minibatches */
    METRIC_TRAIN_ACC,
    METRIC_FULL_TRAIN_LOSS, /* the whole training set (split) after the epoch */
    METRIC_FULL_TRAIN_ACC,
    METRIC_VAL_LOSS, /* mlp, and softmax with holdout: the validation set */
    METRIC_VAL_ACC,
    METRIC_TEST_LOSS,
    METRIC_TEST_ACC,
    METRIC_WEIGHT_NORM_1, /* Frobenius norm of the k-th weight matrix (input side first) */
    METRIC_WEIGHT_NORM_2, /* after the epoch; mlp only past the first, and only */
    METRIC_WEIGHT_NORM_3, /* for the layers the network has */
    METRIC_LAST_BATCH_LOSS, /* the epoch's last minibatch (what the original printed) */
    METRIC_LAST_BATCH_ACC,
    METRIC_COUNT
} Metric;

#define RESULTS_EPOCH_METRICS 11
#define RESULTS_WEIGHT_NORMS 3 /* weight matrices whose norm epochs.csv has room for */

/* "train_loss", "test_acc", ...: the name used in the files. */
const char *metric_name(Metric m);
/* Whether the metric is an accuracy (a fraction) rather than a loss. */
int metric_is_acc(Metric m);
/* Whether the model never records the metric (its cells are empty, its final
 * value null): the second and third weight norms for softmax. */
int metric_absent(ModelKind model, Metric m);
/* Whether a run of configuration cfg records the metric: not absent for its
 * model, validation only for mlp and a softmax with holdout, weight norms only
 * for the weight matrices the model has. */
int metric_recorded(const RunConfig *cfg, Metric m);

typedef enum { RUN_OK, RUN_DIVERGED } RunStatus;
/* "ok", "diverged": summary.json's "status". */
const char *run_status_name(RunStatus s);

/* ---- writing (the trainer) ---------------------------------------------- */

/* runrecord.h's; declared here by its tag so that the report side, which
 * reads run directories, does not include the record's header. */
typedef struct TrainResult TrainResult;

typedef struct {
    const char *dataset; /* "mnist" */
    const char *study;   /* "softmax-lambda" */
    const char *run;     /* "lambda-0.2,seed-1": swept keys, then the seed */
    const char *data_sha256;
} RunMeta;

/* Removes the run's files from dir (before a rerun, so that an interrupted
 * rerun can never leave an old summary.json beside new curves), and the
 * temporary files a killed run left. */
int rundir_clear(const char *dir, char *err);

/* Writes epochs.csv, iterations.csv (when res has iterations) and finally
 * summary.json into dir. Returns 0, or -1 with err (ERR_MAX bytes). */
int rundir_write(const char *dir, const RunMeta *meta, const RunConfig *cfg,
                 const TrainResult *res, char *err);

/* Writes timing.json: res, when not NULL, gives each completed epoch's CPU
 * time ("epoch_cpu_seconds"); isa is the kernel path's name (gemm.h), machine the
 * architecture the run ran on (isa_machine()); node and CPU model are this
 * machine's (host.h); trained_with, when not NULL, is the "study/run" whose
 * training this run shares. */
int rundir_write_timing(const char *dir, double wall_seconds, double cpu_seconds,
                        const TrainResult *res, const char *isa, const char *machine,
                        const char *trained_with, char *err);

/* ---- reading (the report, the manifest) --------------------------------- */

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

/* timing.json as read; strings are "" where the file has none. */
typedef struct {
    int present;  /* 0: no timing.json (seconds NAN, strings "") */
    double wall_seconds, cpu_seconds;
    char isa[32], machine[32], node[256], cpu_model[256];
    char trained_with[STUDY_NAME_MAX + RUN_NAME_MAX]; /* "study/run", or "" */
} RunTiming;

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
    double *epoch_cpu;          /* timing.json's epoch_cpu_seconds (NULL when it has none) */
    size_t n_epoch_cpu;
    char trained_with[STUDY_NAME_MAX + RUN_NAME_MAX]; /* timing.json: "study/run" whose
                                                      * training this run shares, or "" */
} RunResult;

enum {
    RESULTS_ITERATIONS = 1, /* also read iterations.csv (softmax runs) */
    RESULTS_SUMMARY_ONLY = 2 /* read summary.json alone (no rows, no timing) */
};

/* Reads summary.json, epochs.csv, iterations.csv (softmax, with
 * RESULTS_ITERATIONS) and timing.json (optional) from dir. On error returns -1
 * with a message such as "'dir/epochs.csv':7: expected 9 cells, found 5" in err
 * (ERR_MAX bytes) and leaves r released (nothing to free). */
int run_result_load(RunResult *r, const char *dir, unsigned flags, char *err);
void run_result_release(RunResult *r);

/* Reads dir/timing.json into t; a missing file is not an error (t->present
 * 0). Returns 0, or -1 with err for a file that does not parse or lacks the
 * seconds. */
int rundir_read_timing(const char *dir, RunTiming *t, char *err);

/* The mean of the epochs' CPU times (timing.json's epoch_cpu_seconds, summed
 * left to right), NAN when the run has none. */
double run_result_epoch_cpu(const RunResult *r);

/* Number of iterations.csv rows before the first non-finite loss: the part of a
 * diverged run that can be drawn. */
size_t run_result_finite_iters(const RunResult *r);

#endif
