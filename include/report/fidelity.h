/* fidelity.h - every number of the original write-up held against our runs.
 *
 * The reference (report/original-report.csv, as reference_load reads it) is
 * taken by its header: the
 * setting columns are table, model, hidden_layers, loss, activation, lambda,
 * learning_rate, batch_size, max_epoch and weight_decay; every other column is
 * a quantity, and every non-empty quantity cell is one number of the original,
 * taken in file order (row by row, columns left to right). A new row or a new
 * quantity column needs no code: it becomes more numbers.
 *
 * Each number is compared with our runs under the matching protocol and
 * variant: a study whose reference table is the row's (studies_table), run
 * with the homework's protocol, as reported for the softmax (the original's
 * code), and the study's first group whose settings match the row
 * (reference_match). The quantity is the one the original printed:
 *   softmax train_loss, train_acc    the last minibatch's loss and accuracy
 *   mlp train_loss, train_acc        the means over the last epoch's minibatches
 *   any other column                 the metric of that name (results.h), e.g.
 *                                    test_acc, val_acc, test_loss
 * Ours is the mean, sample sd and number n of the group's final values,
 * accuracies in percent like the original's.
 *
 * Verdicts:
 *   reproduced      the original lies in our 95 % prediction interval for a
 *                   single run, mean +- t(0.975, n - 1) sd sqrt(1 + 1/n)
 *                   (an accuracy's clipped to 0..100 %), widened by half a
 *                   unit of the original's last printed digit
 *                   (the printed figure stands for any value that rounds to it)
 *   explained       not reproduced, for a reason of this fixed list:
 *                   FIDELITY_REPEATS   the same text as the same quantity of a
 *                                      row of another configuration (a copy, not
 *                                      a measurement)
 *                   FIDELITY_QUANTITY  reproduced by the other training figure
 *                                      (the last minibatch instead of the
 *                                      epoch's mean, or the reverse)
 *   not reproduced  otherwise; the reason is empty, or says why there is
 *                   nothing to compare (FIDELITY_NO_RUN, FIDELITY_NOT_RECORDED,
 *                   FIDELITY_ONE_RUN)
 *
 * fidelity_write (called by `repro tabulate --reference`) writes beside the
 * values:
 *   DIR/fidelity.csv         table,setting,quantity,original,mean,sd,n,verdict,reason
 *   DIR/tables/fidelity.md   the same as the report's table
 * and these values:
 *   fidelity:rows, :reproduced, :explained, :not_reproduced (counts),
 *   fidelity:summary ("N of 100 reproduced, M explained, K not reproduced"),
 *   fidelity:not_reproduced_list, fidelity:explained_list (sentences),
 *   and per number, with R = "fidelity:<table>:<settings>:<quantity>" where
 *   <settings> is the row's non-empty setting cells but table, model and a
 *   softmax row's loss (it has only the one), as key-value joined with ","
 *   ("defaults" when there are none), e.g.
 *   "fidelity:softmax-lambda:lambda-1.0:test_acc":
 *   R:original, R:mean, R:sd, R:n, R:lo, R:hi (the interval), R:diff (ours
 *   minus the original's, signed), R:sds (|diff| in our sds), R:verdict. */
#ifndef FIDELITY_H
#define FIDELITY_H

#include "err.h"
#include "report/results.h"
#include "report/studies.h"
#include "report/reference.h"
#include "report/values.h"

#include <stddef.h>

typedef enum { FIDELITY_REPRODUCED, FIDELITY_EXPLAINED, FIDELITY_NOT_REPRODUCED } Verdict;

#define FIDELITY_REPEATS "repeats another row verbatim"
#define FIDELITY_QUANTITY "a different quantity"
#define FIDELITY_NO_RUN "no run with this setting"
#define FIDELITY_NOT_RECORDED "a quantity our runs do not record"
#define FIDELITY_ONE_RUN "fewer than two runs"

#define FIDELITY_TEXT 160

typedef struct {
    char table[32];
    char setting[FIDELITY_TEXT];  /* "lambda=0.2 learning_rate=0.1", "defaults" */
    char setkey[FIDELITY_TEXT];   /* "lambda-0.2,learning_rate-0.1", "defaults" */
    char quantity[32];            /* the reference's column */
    char original[32];            /* the cell as printed */
    double orig;
    double mean, sd, lo, hi;      /* ours, in the original's units; NAN without runs */
    size_t n;
    Verdict verdict;
    char reason[256];             /* a phrase of the fixed list, maybe with detail */
    int line;                     /* of the reference */
} FidelityRow;

typedef struct {
    FidelityRow *rows;
    size_t n;
} Fidelity;

/* Compares each number of the loaded reference (reference_load has checked
 * its cells) with studies. Returns 0, or -1 with "fidelity: out of memory"
 * in err. */
int fidelity_compute(Fidelity *f, const Reference *ref, const StudiesConf *conf,
                     const StudyResults *studies, size_t n, char *err);
void fidelity_release(Fidelity *f);

const char *verdict_name(Verdict v); /* "reproduced", "explained", "not reproduced" */

/* The values above into v (errors stick in v->err, see tabulate.h). */
void fidelity_values(const Fidelity *f, Values *v);

/* The CSV text and the Markdown table (heap; NULL when out of memory). */
char *fidelity_csv(const Fidelity *f);
char *fidelity_markdown(const Fidelity *f);

/* fidelity_compute, then DIR/fidelity.csv, DIR/tables/fidelity.md (atomic)
 * and the values into v. Returns 0, or -1 with err. */
int fidelity_write(const char *dir, const Reference *ref, const StudiesConf *conf,
                   const StudyResults *studies, size_t n, Values *v, char *err);

#endif
