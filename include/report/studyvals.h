/* studyvals.h - the values of one study (tabulate.h lists the keys): per
 * group (P:*), per study (<study>:*), and over its sweep (best, worst, range
 * and trend sentences); and the per-group facts the table and the comparisons
 * share. */
#ifndef STUDYVALS_H
#define STUDYVALS_H

#include "report/reference.h"
#include "report/results.h"
#include "report/studies.h"
#include "report/values.h"

#include <math.h>
#include <stddef.h>

/* "<study>:<group>" or "<study>": the prefix P of a group's keys. */
#define PREFIX_MAX (RUN_NAME_MAX + STUDY_NAME_MAX + 2)
void group_prefix(const StudyResults *s, size_t g, char *p, size_t size);

/* A run's metric m after its first epoch, NAN without one (for
 * study_group_mean, like run_final). */
double run_first_epoch(const RunResult *r, Metric m);


/* The original's comparison for one group. */
typedef struct {
    const RefRow *row; /* NULL: no matching setting */
    double diff;       /* our mean test accuracy minus the original's, points */
    int within;        /* the original agrees with our runs (fidelity.h's rule) */
} RefCmp;

/* Group g against its row of the reference (ref may be NULL: no row), in
 * the table the study compares with (studies_table). */
RefCmp group_ref(const StudyResults *s, size_t g, const Reference *ref, const StudiesConf *conf);

/* The groups the original has a figure for, over one study or several:
 * how many, how many lie within our spread, and our differences from them
 * (points). Start from REF_TALLY_INIT; ref_tally adds study s's groups. */
typedef struct {
    size_t rows, within;
    double lo, hi, sum_abs; /* smallest and largest difference, sum of |difference| */
} RefTally;
#define REF_TALLY_INIT {0, 0, INFINITY, -INFINITY, 0.0}
void ref_tally(const StudyResults *s, const Reference *ref, const StudiesConf *conf,
               RefTally *t);

/* Every value of study s into v, its wall times into t. */
void study_values(const StudyResults *s, const Reference *ref, const StudiesConf *conf,
                  Values *v, Values *t);

#endif
