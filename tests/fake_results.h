/* fake_results.h - small, valid results trees for the report-side suites
 * (results, tabulate, plot), written in the trainer's format without training.
 * Defined in tests/test_results.c. */
#ifndef FAKE_RESULTS_H
#define FAKE_RESULTS_H

#include "experiment.h"

#include <stddef.h>

/* How one fake run turns out: final test accuracy (fraction), the epoch it
 * diverges in (0: it does not), and its wall time in seconds (< 0: no
 * timing.json). */
typedef struct {
    double test_acc;
    int diverged_epoch;
    double wall_seconds;
} FakeOutcome;

typedef FakeOutcome (*FakeFn)(const RunConfig *cfg, void *ctx);

/* Writes <fresh tmpdir>/name and loads it as an experiment; *dir receives the
 * directory (the caller removes it). Fails the test on a parse error. */
Experiment *fake_experiment(const char *name, const char *text, char **dir);

/* Writes every run of e into results_dir/<study>/<run>/: summary.json,
 * epochs.csv, iterations.csv (softmax: iters_per_epoch rows per epoch) and
 * timing.json. Metrics rise over the epochs towards fn's final test
 * accuracy; train, validation and last-batch figures are offsets of it. */
void fake_study_write(const char *results_dir, const Experiment *e, FakeFn fn, void *ctx,
                      int iters_per_epoch);

/* Builds "dir/a/b/c" (heap) from parts; the caller frees it. */
char *fake_join(const char *dir, const char *a, const char *b, const char *c);

/* Replaces the first occurrence of from by to in the file at path. */
void fake_edit(const char *path, const char *from, const char *to);

/* What the report knows of the fake studies, as report/studies.conf says it
 * of the real ones (studies.h). */
#define FAKE_STUDIES_CONF                                                                  \
    "twin softmax-* softmax-reported-*\n"                                                  \
    "table softmax-defaults softmax-base\n"                                                \
    "family softmax-correct softmax correct\n"                                             \
    "family softmax-reported softmax reported\n"                                           \
    "family mlp mlp any\n"                                                                 \
    "dataset mnist MNIST\n"

#endif
