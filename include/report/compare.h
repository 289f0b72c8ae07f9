/* compare.h - comparisons across groups and studies (the keys are listed in
 * tabulate.h):
 *   - pairings: networks alike in everything but one field (activation,
 *     loss, hidden layers), within any MLP study that has such pairs,
 *     cmp:<name>:* and <study>:cmp:<name>:*;
 *   - twins (studies.h): an as-reported study against its correct study,
 *     setting by setting, cmp:reported-correct:<x>;
 *   - families (studies.h): how close the original is over a family of
 *     studies, orig:<family>:*. */
#ifndef COMPARE_H
#define COMPARE_H

#include "report/reference.h"
#include "report/results.h"
#include "report/studies.h"
#include "report/values.h"

#include <stddef.h>

void compare_pairings(const StudyResults *studies, size_t n, Values *v, Values *timing);
void compare_twins(const StudyResults *studies, size_t n, const StudiesConf *conf, Values *v);
void compare_families(const StudyResults *studies, size_t n, const Reference *ref,
                      const StudiesConf *conf, Values *v);

#endif
