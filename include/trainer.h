/* trainer.h - one training run, start to finish, and what it records.
 *
 * Softmax (README.md, "The homework"): all training images, inputs pixel/255; a record per
 * minibatch and per epoch (whole training set and test set after each epoch).
 * MLP (Part 2): inputs pixel/255 minus the image's mean; the first 11/12 of the
 * training file train (55,000 for MNIST), the last 1/12 validate (5,000), never
 * shuffled; a record per epoch (mean of the minibatch figures, validation and
 * test after the epoch).
 *
 * Which images each minibatch, validation and test take is the run's protocol
 * (RunConfig.protocol; the rules are in batch.h, and the report's section
 * "Protocol" states them for users). The homework's, the default:
 *   softmax  n / bs full minibatches per epoch by next_batch (first pass in
 *            file order, the whole set reshuffled when a pass is exhausted);
 *            test: the first test_count / bs minibatches, correct / test_count
 *   mlp      the training split repeated and cut into minibatches across epoch
 *            boundaries, n / bs per epoch; validation: the next n_val / bs
 *            minibatches of the validation split repeated (a window that
 *            drifts when bs does not divide it); test: the first
 *            test_count / bs minibatches, the mean of their accuracies
 * Every image: each epoch every image once, in file order (softmax: reshuffled
 * from epoch 2), the last minibatch short when bs does not divide n; every
 * validation and test image scored. At a batch size that divides every set
 * (100 for MNIST) the two are the same run, bit for bit. Losses of an
 * evaluation are the mean over the images it scored; the softmax's whole
 * training set is scored every epoch under both.
 *
 * Nothing is allocated or written inside the loop: records (runrecord.h) go
 * to arrays sized before it, and rundir.h writes them afterwards. A NaN or infinite minibatch
 * loss stops the run, which is then recorded as diverged, not failed. */
#ifndef TRAINER_H
#define TRAINER_H

#include "data.h"
#include "experiment.h"
#include "runrecord.h"

#include <stddef.h>

#define EVAL_BLOCK 1000 /* rows scored at a time when evaluating whole sets */
/* Called after every minibatch; may be NULL. iteration is 1-based overall. */
typedef void (*TrainProgress)(void *ctx, size_t epoch, size_t iteration, size_t total_iterations,
                              double loss);

/* Runs cfg on data. Returns 0 (also for a diverged run: see res->diverged), or
 * -1 with err (ERR_MAX bytes) if the run cannot start (sizes, memory). res is
 * filled in either case and must be released. */
int train_run(const RunConfig *cfg, const Data *data, TrainResult *res, TrainProgress progress,
              void *ctx, char *err);

#endif
