/* tabulate.h - the report's numbers: one table per study and every value the
 * prose cites, computed from the results (never typed by hand).
 *
 * `repro tabulate --out DIR/values.json` writes, each by atomic rename:
 *   DIR/values.json         {"key": "text", ...}: every cited value (sorted keys)
 *   DIR/values.tsv          the same, one "key<TAB>text" per line, for the filter
 *   DIR/values-timing.tsv   wall-time values: they change from run to run, so
 *                           they are kept out of the files compared bit for bit
 *   DIR/tables/<study>.md   a Markdown pipe table with its caption
 *
 * Conventions of the texts: accuracies in percent with two decimals, losses
 * with four, "mean ± std" over the seeds (sample std), differences signed
 * ("+0.12", "-7.31"). A difference is "resolved" when it exceeds twice the
 * larger of the two standard deviations over seeds; otherwise the generated
 * sentences say it is within the seed-to-seed spread and name no winner.
 *
 * Keys (P is "<study>:<group>", or "<study>" when nothing is swept; a group
 * is a run name without its seed, e.g. "softmax-lambda:lambda-0.2"):
 *   P:label                       "λ = 0.2"
 *   P:<metric>, P:<metric>_pm, P:<metric>_std, and for accuracies _min, _max
 *                                 final values over the seeds (metric_name)
 *   P:diverged, P:iterations
 *   P:first_epoch_acc             mean accuracy after epoch 1 (validation
 *                                 for mlp, test for softmax)
 *   P:epochs_to_final             mean first epoch within 1 point of the
 *                                 last epoch's accuracy (same set)
 *   P:orig_test_acc, P:orig_train_acc, P:orig_train_loss, P:orig_val_acc,
 *   P:orig_train_acc_images ("14 of 16": the original's training accuracy
 *   as a whole number of images of one minibatch, when it is one),
 *   P:test_diff, P:orig_within ("within"/"outside"), P:orig_check (sentence)
 *                                 when the reference has the setting
 *   <study>:title, :runs, :seeds, :groups, :cfg:<key> (settings shared by
 *   all runs), :sweep:<key> (the values, "0.1, 0.2 and 0.5"), :train_images,
 *   :val_images, :test_images, :iterations_per_epoch
 *   <study>:best, :best_test_acc, :worst, :worst_test_acc, :best_sentence,
 *   :range_sentence, :trend_sentence (one swept key), :diverged_sentence,
 *   :orig_within_count, :orig_sentence (always: says when there is nothing
 *   to compare), :orig_loss_ratio (softmax: our last-batch loss over the
 *   original's loss, "1.0 to 6.1")
 *   cmp:<name>:test, cmp:<name>:first_epoch, cmp:<name>:n   pairings (below)
 *   cmp:reported-correct:<x>      as-reported against correct softmax, study x
 *   orig:<family>:within, orig:<family>:rows, orig:<family>:mean_abs_diff
 *   runs:total, runs:diverged, runs:diverged_sentence, seeds:count,
 *   dataset:name, dataset:sha256, reference:note
 * Timing keys (values-timing.tsv): time:P:wall, time:<study>:total,
 * time:all:total, time:cmp:<name>. */
#ifndef TABULATE_H
#define TABULATE_H

#include "err.h"
#include "report/results.h"

#include <stddef.h>
#include <stdio.h>

/* ---- values: an ordered key -> text map with a sticky error ------------- */

typedef struct {
    char **key;
    char **text;
    size_t n, cap;
    char err[ERR_MAX]; /* the first failure; "" while none */
} Values;

/* Sets key to the formatted text. A duplicate key, a tab or newline in key or
 * text, or no memory records an error in v->err and returns -1; later calls
 * keep the first error. */
int values_set(Values *v, const char *key, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
const char *values_get(const Values *v, const char *key); /* NULL if absent */
void values_release(Values *v);
/* "key<TAB>text\n" per value, sorted by key. Returns 0 or -1 (write error). */
int values_write_tsv(const Values *v, FILE *f);

/* ---- the original's figures (report/original-report.csv) --------------- */

typedef struct {
    char table[32];      /* "softmax-lambda", "mlp-arch", ... */
    char model[16];      /* "softmax", "mlp" */
    int hidden_layers;   /* 0 when not given */
    char loss[32];       /* "euclidean", "softmax-cross-entropy", "cross-entropy" */
    char activation[16]; /* "" when not given */
    double lambda, learning_rate, batch_size, max_epoch, weight_decay; /* NAN if empty */
    double train_loss, train_acc, val_acc, test_acc; /* percent as printed; NAN if empty */
    int line;
} RefRow;

typedef struct {
    RefRow *rows;
    size_t n;
} Reference;

/* Reads the CSV ('#' comment lines, a header of the 14 columns above, maybe
 * followed by more, which fidelity.h reads; every row as wide as the header).
 * Returns 0, or -1 with "'path':line: message" in err. */
int reference_load(Reference *ref, const char *path, char *err);
void reference_release(Reference *ref);

/* The reference table a study compares with: its name without "-reported",
 * with "-defaults" read as "-base" ("softmax-reported-defaults" ->
 * "softmax-base"), if the reference has rows of that table; else NULL.
 * Writes into buf (size bytes). */
const char *reference_table(const Reference *ref, const char *study, char *buf, size_t size);

/* The first row of table whose given settings all equal cfg's, or NULL. */
const RefRow *reference_match(const Reference *ref, const char *table, const RunConfig *cfg);

/* ---- sentences ---------------------------------------------------------- */

/* Compares a and b over n pairings: diff[i] = a - b (points), spread[i] the
 * pairing's threshold (twice the larger std). Writes e.g. "ReLU beat Sigmoid
 * in all 4 pairings, by 2.10 to 18.40 points" or, where differences are not
 * resolved, says they are within the seed-to-seed spread. Pairings with a NaN
 * difference are skipped; with none left it says so. */
void compare_sentence(char *out, size_t size, const char *a, const char *b, const double *diff,
                      const double *spread, size_t n);

/* ---- the whole computation ---------------------------------------------- */

/* Tables and values for studies[0..n) (ref may be NULL: no comparison with
 * the original). tables[i] receives study i's Markdown table (heap; the
 * caller frees). Returns 0, or -1 with err. */
int tabulate(const StudyResults *studies, size_t n, const Reference *ref, Values *vals,
             Values *timing, char **tables, char *err);

#endif
