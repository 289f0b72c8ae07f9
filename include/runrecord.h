/* runrecord.h - what a training run records: each epoch's figures, each
 * minibatch's (softmax), and how the run ended. The trainer fills a record
 * (trainer.h), the run directory's writer puts it into files (rundir.h): the
 * types live here, on the run's floor, so that the writer does not depend on
 * the trainer. */
#ifndef RUNRECORD_H
#define RUNRECORD_H

#include "runconfig.h"

#include <stddef.h>

#define TRAIN_WEIGHT_NORMS (MAX_HIDDEN + 1) /* weight matrices a model can have */

typedef struct {
    size_t epoch;                  /* 1-based */
    double train_loss, train_acc;  /* mean over the epoch's minibatches */
    int has_full;                  /* the whole training set (split) after the epoch */
    double full_train_loss, full_train_acc;
    int has_val;                   /* mlp, softmax with holdout: validation after the epoch */
    double val_loss, val_acc;
    double test_loss, test_acc;
    size_t n_weight_norms;         /* the model's weight matrices, input side first */
    double weight_norm[TRAIN_WEIGHT_NORMS]; /* ||W_k||_F after the epoch */
    double cpu_seconds;            /* CPU time of the epoch's minibatch steps (not its
                                    * evaluations); a timing, never part of a result */
} EpochStats;

typedef struct {
    float loss, acc; /* one minibatch, before its update */
} IterStats;

typedef struct TrainResult { /* tagged: rundir.h declares it without this header */
    EpochStats *epochs; /* n_epochs completed epochs */
    size_t n_epochs;
    IterStats *iters;   /* softmax: every minibatch run (n_iters); mlp: NULL */
    size_t n_iters;
    size_t iters_per_epoch;
    size_t train_count, val_count, test_count;
    int diverged;
    size_t diverged_epoch, diverged_iteration; /* 1-based, when diverged */
    double last_batch_loss, last_batch_acc;   /* the last finite minibatch */
    double train_flops;                       /* matrix-product FLOPs of training */
} TrainResult;

/* Frees the epochs and iterations a training allocated and clears res. */
void trainresult_release(TrainResult *res);

#endif
