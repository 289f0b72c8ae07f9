/* tabulate.h - the report's numbers: one table per study and every value the
 * write-up cites, computed from the results (never typed by hand). Values are
 * numbers and labels as printed; no value is a sentence (the words are the
 * write-up's own). The facts behind the claims are facts.h's.
 *
 * `repro tabulate --out DIR/values.json` (src/cmd/tabulate.c) writes, each by
 * atomic rename, and lists in its --help:
 *   DIR/values.json         {"key": "text", ...}: every cited value (sorted keys)
 *   DIR/values.tsv          the same, one "key<TAB>text" per line, for the filter
 *   DIR/values-timing.tsv   wall-time values: they change from run to run, so
 *                           they are kept out of the files compared bit for bit
 *   DIR/facts.tsv, DIR/facts-timing.tsv   the facts (facts.h), full precision
 *   DIR/tables/<study>.md   a Markdown pipe table with its caption (table.h);
 *                           a softmax study with an as-reported twin: one table
 *                           of both, beside the original
 *   DIR/fidelity.csv, DIR/tables/fidelity.md, fidelity-open.md   with
 *                           --reference (fidelity.h)
 *   DIR/claims.tsv, DIR/tables/claims.md, verdicts.md   with --claims (claims.h)
 *
 * Formats (prose.h): accuracies in percent with two decimals, losses with
 * four, "mean ± sd" over the seeds (sample sd, the mean's decimals; the mean
 * alone for a single run), differences signed with a true minus sign.
 *
 * Keys (P is "<study>:<group>", or "<study>" when nothing is swept; a group
 * is a run name without its seed, e.g. "softmax-lambda:lambda-0.2"):
 *   P:label                       "λ = 0.2"
 *   P:<metric>, P:<metric>_pm, P:<metric>_std, and for accuracies _min, _max
 *                                 final values over the seeds (metric_name)
 *   P:diverged, P:iterations
 *   P:first_epoch_acc             mean accuracy after epoch 1 (validation
 *                                 for mlp, test for softmax)
 *   P:first_epoch_loss            mean training loss of epoch 1
 *   P:epochs_to_final             first epoch within 1 point of the last
 *                                 epoch's accuracy (same set), its range over
 *                                 the seeds ("3", "2 to 4")
 *   P:peak_acc, P:peak_epoch, P:peak_drop   the best epoch's accuracy (same
 *                                 set; mean over seeds), its epoch (range over
 *                                 seeds) and how many points of it the last
 *                                 epoch lost (mean)
 *   P:orig_test_acc, P:orig_train_acc, P:orig_train_loss, P:orig_val_acc,
 *   P:orig_train_acc_images ("14 of 16": the original's training accuracy
 *   as a whole number of images of one minibatch, when it is one),
 *   P:test_diff, P:orig_within ("within"/"outside": fidelity.h's agreement
 *   rule)                         when the reference has the setting
 *   <study>:title, :runs, :seeds, :groups, :cfg:<key> (settings shared by
 *   all runs), :sweep:<key> (the values, "0.1, 0.2 and 0.5"), :train_images,
 *   :val_images, :test_images, :iterations_per_epoch
 *   <study>:best, :best_test_acc, :best:<key>, :best:<metric>_pm (the best
 *   setting under the selection rule of facts.h, its test accuracy, each
 *   swept key's value as displayed, its final values),
 *   :worst, :worst_test_acc (on test accuracy), :orig_within_count ("3 of 5"),
 *   :orig_loss_ratio (softmax: our last-batch loss over the original's loss,
 *   "1.0 to 6.1")
 *   orig:<family>:within, orig:<family>:rows, orig:<family>:mean_abs_diff
 *   runs:total, runs:trainings, runs:diverged, seeds:count, dataset:name,
 *   dataset:id, dataset:sha256, reference:given ("yes" when --reference was
 *   given: the filter keeps the text about the original only then)
 * Timing keys (values-timing.tsv): time:P:wall, time:<study>:total,
 * time:all:total. */
#ifndef TABULATE_H
#define TABULATE_H

#include "err.h"
#include "report/prose.h"
#include "report/reference.h"
#include "report/results.h"
#include "report/studies.h"
#include "report/values.h"

#include <stddef.h>

/* ---- the whole computation ---------------------------------------------- */

/* Tables and values for studies[0..n) (ref may be NULL: no comparison with
 * the original; conf: what the report knows of the studies, studies.h).
 * tables[i] receives study i's Markdown table (heap; the caller frees).
 * Returns 0, or -1 with err. */
int tabulate(const StudyResults *studies, size_t n, const Reference *ref,
             const StudiesConf *conf, Values *vals, Values *timing, char **tables, char *err);

#endif
