/* reference.h - the original write-up's figures (report/original-report.csv),
 * and which of them a study's settings correspond to. Read by the tables
 * (tabulate.h) and the fidelity account (fidelity.h), and drawn as marks in
 * the figures (plot.h). */
#ifndef REFERENCE_H
#define REFERENCE_H

#include "experiment.h"

#include <stddef.h>

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

/* The setting columns, in the order of RefRow's fields; every other column of
 * the header is a quantity (a figure of the original). */
#define REF_SETTINGS 10
extern const char *const REF_SETTING_NAMES[REF_SETTINGS]; /* "table", "model", ... */
#define REF_MAX_COLS 64
#define REF_CELL_MAX 32 /* bytes of a quantity cell, NUL included */

typedef struct {
    RefRow *rows;
    size_t n;
    /* the file as read, for the fidelity account (fidelity.h), which takes
     * every quantity column, not only RefRow's four */
    int ncols;                      /* columns of the header */
    char **names;                   /* [ncols] the header's names */
    char **cells;                   /* [n * ncols] each row's cells as printed */
    int setting_col[REF_SETTINGS];  /* the column of each setting, or -1 */
    char *text;                     /* the file, split in place: owns the strings */
} Reference;

/* Reads the CSV by its header: '#' comment lines and empty lines are
 * skipped; the header names each column once, needs "table" and "model", and
 * may hold any of the other settings and any quantity columns, in any order
 * (at most REF_MAX_COLS); every row is as wide as the header, with no quoted
 * cells. A row needs a table name, a model ("softmax" or "mlp"), a whole
 * number of hidden layers (0 to MAX_HIDDEN) and numbers (or empty cells) for
 * the other settings and every quantity. train_loss, train_acc, val_acc and
 * test_acc fill RefRow's fields (NAN when empty or absent). Returns 0, or -1
 * with "'path':line: message" in err. */
int reference_load(Reference *ref, const char *path, char *err);
const char *const *reference_cells(const Reference *ref, size_t row); /* [ncols] */
void reference_release(Reference *ref);

/* The first row of table whose given settings all equal cfg's, or NULL. */
const RefRow *reference_match(const Reference *ref, const char *table, const RunConfig *cfg);

#endif
