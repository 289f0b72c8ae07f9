/* runlog.h - a finished run's files in its results directory.
 *
 *   epochs.csv      epoch,train_loss,train_acc,full_train_loss,full_train_acc,
 *                   val_loss,val_acc,test_loss,test_acc  (cells that do not apply are empty)
 *   iterations.csv  iteration,epoch,loss,acc             (softmax runs)
 *   summary.json    configuration, seed, status, final metrics, data checksum
 *   timing.json     wall and CPU seconds, the kernel path ("avx512"), the
 *                   machine ("x86_64") and where it ran (the node name and CPU
 *                   model, host.h), and "trained_with" when the training was
 *                   shared: the only file that differs between two identical
 *                   runs, so kept apart and never compared
 *
 * Accuracies are fractions, numbers print so that a float round-trips (%.9g),
 * in the C locale. Nothing but timing.json depends on the time, host or path.
 * Every file is written atomically and summary.json last: its presence means
 * the run ended. */
#ifndef RUNLOG_H
#define RUNLOG_H

#include "experiment.h"
#include "trainer.h"

typedef struct {
    const char *dataset; /* "mnist" */
    const char *study;   /* "softmax-lambda" */
    const char *run;     /* "lambda-0.2,seed-1": swept keys, then the seed */
    const char *data_sha256;
} RunMeta;

/* Removes the run's files from dir (before a rerun, so that an interrupted
 * rerun can never leave an old summary.json beside new curves). */
int runlog_clear(const char *dir, char *err);

/* Writes epochs.csv, iterations.csv (softmax) and finally summary.json. */
int runlog_write(const char *dir, const RunMeta *meta, const RunConfig *cfg, const TrainResult *res,
                 char *err);

/* Writes timing.json: {"wall_seconds", "cpu_seconds", "isa", "machine", "node",
 * "cpu_model"}: isa is the kernel path's name (gemm.h), machine the
 * architecture the run ran on (isa_machine()), the last two name the machine
 * this runs on (host.h). A run that shares its training with another (the
 * same configuration in two studies: train --out DIR --out DIR2) names the
 * directory that training was first written for, "study/run", as
 * "trained_with": its times are that training's, not spent again. */
int runlog_write_timing(const char *dir, double wall_seconds, double cpu_seconds, const char *isa,
                        const char *machine, const char *trained_with, char *err);

#endif
