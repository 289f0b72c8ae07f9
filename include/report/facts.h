/* facts.h - the typed facts of the results: numbers, not sentences.
 *
 * A fact is a key and a number (a double printed "%.17g" in facts.tsv), the
 * vocabulary the claims (claims.h) are checked against. Accuracies are in
 * percent, differences in points; a key is set once (a Values map holds
 * them). P is a group's prefix, "<study>:<group>" or "<study>" (studyvals.h).
 *
 *   P:<metric>:mean, :sd, :n, :min, :max   final values over the seeds, and
 *   P:<metric>:se                          the mean's standard error sd/sqrt(n)
 *   P:val_minus_test                       mean validation minus mean test
 *                                          accuracy (points)
 *   P:diverged                             runs of the group that diverged
 *   P:epochs                               epochs completed by its first run
 *   P:first:<metric>                       mean after the first epoch
 *   P:peak, P:peak_epoch, P:peak_drop      the best epoch of the selection
 *                                          metric (below): its mean value, the
 *                                          mean epoch, how far the last epoch
 *                                          fell from it (points, mean)
 *   P:peak_weight_norm_k                   the k-th weight matrix's norm at that
 *                                          best epoch (mean; weight_norm_k:mean
 *                                          is the last epoch's)
 *   P:rising                               1 when the selection metric still
 *                                          rose over the last epoch in every
 *                                          seed (undertrained), else 0
 *   <study>:best:<key>                     the best group's value of a numeric
 *                                          swept key, under the selection rule
 *   <study>:best:<metric>:mean, :sd         the best group's figures
 *   <study>:best:margin, :margin_se         its selection metric minus the
 *                                          runner-up's, and that difference's
 *                                          standard error
 *   <study>:best:edge                      1 when the best lies on an edge of a
 *                                          numeric swept key's grid, else 0
 *   <study>:trend:<metric>                 one swept key: +1 when the mean
 *                                          rises at every step, -1 when it
 *                                          falls at every step, 0 otherwise
 *   <study>:range:<metric>                 largest group mean minus smallest
 *   orig:<family>:rows, :within, :mean_abs_diff, :max_abs_diff
 *                                          the original's test accuracies
 *                                          against our means over a family of
 *                                          studies (studies.h): how many, how
 *                                          many within our mean +- 2 sd, the
 *                                          mean and largest distance (points)
 *   <study>:cmp:<pairing>:<metric>:n, :min, :max, :min_z, :max_z
 *                                          networks alike in all but one field
 *                                          (pairings: relu-sigmoid,
 *                                          ce-euclidean, two-one): over the
 *                                          pairs, the difference a - b of the
 *                                          means and that difference in units
 *                                          of its standard error
 *                                          sqrt(sa^2/na + sb^2/nb)
 *   rule:z                                 FACT_Z, the number of standard
 *                                          errors a difference must exceed to
 *                                          count
 * The selection metric is validation accuracy where the runs record one
 * (the MLP; a softmax study with held-out data), else test accuracy.
 * Timing facts (they differ between builds; kept in their own map):
 *   P:cpu:mean, :sd, :n; <study>:cmp:<pairing>:cpu:ratio_min, :ratio_max,
 *   :min_z, :max_z (b over a, and a - b in standard errors). */
#ifndef FACTS_H
#define FACTS_H

#include "report/reference.h"
#include "report/results.h"
#include "report/studies.h"
#include "report/values.h"

#include <stddef.h>

#define FACT_Z 2.0 /* a difference counts when it exceeds this many standard errors */

/* key := x printed "%.17g"; a NAN x is not set (the fact is absent).
 * Returns 0 or -1 as values_set. */
int fact_set(Values *f, const char *key, double x);

/* The number of a fact; NAN when absent or not a number. */
double fact_get(const Values *f, const char *key);

/* The metric a study's best setting is chosen on. */
Metric selection_metric(const StudyResults *s);

/* Every fact of studies[0..n) into f, timing facts into t (ref may be NULL:
 * no facts on the original). */
void facts_compute(const StudyResults *studies, size_t n, const Reference *ref,
                   const StudiesConf *conf, Values *f, Values *t);

#endif
