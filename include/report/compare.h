/* compare.h - how close the original is over each family of studies
 * (studies.h), as the values orig:<family>:within ("3 of 5"), :rows and
 * :mean_abs_diff (the keys are listed in tabulate.h). The comparisons of
 * settings and networks are facts (facts.h). */
#ifndef COMPARE_H
#define COMPARE_H

#include "report/reference.h"
#include "report/results.h"
#include "report/studies.h"
#include "report/values.h"

#include <stddef.h>

void compare_families(const StudyResults *studies, size_t n, const Reference *ref,
                      const StudiesConf *conf, Values *v);

#endif
