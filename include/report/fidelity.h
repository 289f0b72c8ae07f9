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
 *   reproduced      the original agrees with our runs (the agreement rule
 *                   below: in our 95 % prediction interval for a single run,
 *                   widened by half a unit of its last printed digit, since
 *                   the printed figure stands for any value that rounds to it)
 *   not testable    it lies in an interval that cannot fail (FIDELITY_OPEN,
 *                   with the interval)
 *   explained       not reproduced, for a reason of this fixed list:
 *                   FIDELITY_REPEATS   the same text as the same quantity of a
 *                                      row of another configuration (a copy, not
 *                                      a measurement)
 *                   FIDELITY_QUANTITY  reproduced by the other training figure
 *                                      (the last minibatch instead of the
 *                                      epoch's mean, or the reverse)
 *   not reproduced  otherwise; the reason says why there is nothing to
 *                   compare (FIDELITY_NO_RUN, FIDELITY_NOT_RECORDED,
 *                   FIDELITY_ONE_RUN), or what was ruled out (FIDELITY_UNKNOWN),
 *                   followed by the studies file's note for the number when it
 *                   has one (studies.h)
 *
 * fidelity_write (called by `repro tabulate --reference`) writes beside the
 * values:
 *   DIR/fidelity.csv         table,setting,quantity,original,mean,sd,n,verdict,reason
 *   DIR/tables/fidelity.md   the same as the report's table (the appendix)
 *   DIR/tables/fidelity-open.md   its rows explained or not reproduced (the body)
 * and these values:
 *   fidelity:rows, :reproduced, :explained, :not_reproduced, :not_testable
 *   (counts),
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

typedef enum {
    FIDELITY_REPRODUCED,
    FIDELITY_EXPLAINED,
    FIDELITY_NOT_REPRODUCED,
    FIDELITY_NOT_TESTABLE,
    FIDELITY_VERDICTS
} Verdict;

/* The one agreement rule (the tables' marks and the account alike): a printed
 * figure agrees with our runs when it lies in our 95 % prediction interval for
 * a single run, mean +- t(0.975, n - 1) sd sqrt(1 + 1/n), widened by half a
 * unit of its last printed digit. An interval that reaches the end of the
 * quantity's range (0 or 100 % for an accuracy, 0 for a loss) or is wider than
 * FIDELITY_MAX_WIDTH points (an accuracy) accepts any figure near it: a figure
 * inside it is "not testable", never "reproduced". */
#define FIDELITY_LEVEL 0.975
#define FIDELITY_MAX_WIDTH 20.0

/* Group g's final values of m in the original's units (accuracies in
 * percent): mean, sd, n and the prediction interval (lo, hi clipped to the
 * range; NAN with fewer than two runs); *open set when the interval cannot
 * fail (above). */
void fidelity_interval(const StudyResults *s, size_t g, Metric m, double *mean, double *sd,
                       size_t *n, double *lo, double *hi, int *open);

/* Whether printed (the figure as printed, e.g. "90.22") lies in [lo, hi]
 * widened by half a unit of its last digit. */
int fidelity_agrees(double lo, double hi, const char *printed);

#define FIDELITY_REPEATS "repeats another row verbatim"
#define FIDELITY_QUANTITY "a different quantity"
#define FIDELITY_NO_RUN "no run with this setting"
#define FIDELITY_NOT_RECORDED "a quantity our runs do not record"
#define FIDELITY_ONE_RUN "fewer than two runs"
#define FIDELITY_OPEN "the interval accepts any figure near it"
#define FIDELITY_UNKNOWN \
    "no cause found; ruled out: a copy of another row's figure, the other training figure"

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

/* The values above into v (errors stick in v->err, see tabulate.h). */
void fidelity_values(const Fidelity *f, Values *v);

/* The CSV text and the Markdown table (heap; NULL when out of memory). */
char *fidelity_csv(const Fidelity *f);
char *fidelity_markdown(const Fidelity *f);

/* The rows that are neither reproduced nor not testable, for the body of
 * the report (heap; NULL when out of memory). */
char *fidelity_markdown_open(const Fidelity *f);

/* fidelity:count:<verdict> ("not reproduced" as not_reproduced, ...) and
 * fidelity:count:all, as facts (facts.h). */
void fidelity_facts(const Fidelity *f, Values *facts);

/* DIR/fidelity.csv, DIR/tables/fidelity.md and fidelity-open.md (atomic).
 * Returns 0, or -1 with err. */
int fidelity_save(const char *dir, const Fidelity *f, char *err);

/* fidelity_compute, fidelity_save and the values into v. Returns 0, or -1
 * with err. */
int fidelity_write(const char *dir, const Reference *ref, const StudiesConf *conf,
                   const StudyResults *studies, size_t n, Values *v, char *err);

#endif
