/* answers.h - the report's opening: the homework's questions answered in
 * numbers, the headline table and the recommended configuration of each model,
 * all computed from the results.
 *
 * Which groups count (no study is named here; the choice follows the results):
 *   - the softmax model's defaults: the softmax study without a sweep that is
 *     not the as-reported variant;
 *   - the softmax model's best setting: the group of highest mean test
 *     accuracy over every softmax study that is not as reported. The softmax
 *     part of the homework trains on all 60,000 images and has no validation
 *     split, so test accuracy is the only choice; the text says so;
 *   - the networks: every group of the first MLP study (in name order) that
 *     sweeps the hidden layers, the loss or the activation;
 *   - the MLP's recommended configuration: the group of highest mean
 *     validation accuracy over every MLP study (ties by study order).
 *
 * Keys written to vals (accuracies "mean ± sd", percent, one decimal):
 *   answer:softmax-best:label, :study, :test_pm, :train_pm, :runs
 *   answer:mlp-best:label, :study, :val_pm, :test_pm, :train_pm, :runs
 *   answer:mlp-nets:count, answer:mlp-nets:test_range ("from 10.1 % (512-128, CE,
 *   sigmoid) to 88.2 % (512-128, CE, ReLU)": short settings, as in the table)
 * and to timing (per-run wall times, mean over seeds):
 *   answer:softmax-defaults:time, answer:mlp-best:time
 * The headline table (Markdown, with caption) goes to *headline (heap). */
#ifndef ANSWERS_H
#define ANSWERS_H

#include "report/results.h"
#include "report/values.h"

#include <stddef.h>

/* Describes group g of s in words, every setting that matters for its model,
 * e.g. "two hidden layers (512-128), CE, ReLU, learning rate 0.001, weight
 * decay 0.1, batch 100, 20 epochs" or "λ = 0.2, learning rate 0.1, batch 16,
 * 10 epochs" (at most size bytes). */
void answers_setting(const StudyResults *s, size_t g, char *out, size_t size);

/* Accuracy as "mean ± sd": the mean to one decimal, the sd to one significant
 * digit ("90.2 ± 0.3", "82.1 ± 0.04", "10.0 ± 0"); fractions in, percent out. */
void answers_acc_pm(char *out, size_t size, double mean, double sd);

/* Fills the keys above and *headline. Returns 0, or -1 with err (no memory,
 * or no softmax or MLP study to answer from: the keys of a missing model are
 * left out and the table has no rows for it, which is not an error). */
int answers(const StudyResults *studies, size_t n, Values *vals, Values *timing,
            char **headline, char *err);

#endif
