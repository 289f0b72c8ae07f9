/* reference.h - the original write-up's figures (report/original-report.csv),
 * and which of them a study's settings correspond to. Read by the tables
 * (tabulate.h) and drawn as marks in the figures (plot.h). */
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

typedef struct {
    RefRow *rows;
    size_t n;
} Reference;

/* Reads the CSV ('#' comment lines, a header of the 14 columns above, maybe
 * followed by more, which fidelity.h reads; every row as wide as the header). Returns 0, or
 * -1 with "'path':line: message" in err. */
int reference_load(Reference *ref, const char *path, char *err);
void reference_release(Reference *ref);

/* The reference table a study compares with: its name without "-reported",
 * with "-defaults" read as "-base" ("softmax-reported-defaults" ->
 * "softmax-base"), if the reference has rows of that table; else NULL.
 * Writes into buf (size bytes). */
const char *reference_table(const Reference *ref, const char *study, char *buf, size_t size);

/* The first row of table whose given settings all equal cfg's, or NULL. */
const RefRow *reference_match(const Reference *ref, const char *table, const RunConfig *cfg);

#endif
