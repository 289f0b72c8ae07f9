/* compare.c - comparisons across groups and studies (compare.h). */
#include "report/compare.h"

#include "report/studyvals.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* How close the original is, over each family of studies. */
void compare_families(const StudyResults *studies, size_t ns, const Reference *ref,
                      const StudiesConf *conf, Values *v)
{
    for (size_t fam = 0; fam < conf->n_family; fam++) {
        RefTally t = REF_TALLY_INIT;
        for (size_t i = 0; i < ns; i++)
            if (studies_in_family(conf, fam, &studies[i].runs[0].config))
                ref_tally(&studies[i], ref, conf, &t);
        if (!t.rows)
            continue;
        const char *name = conf->family[fam].name;
        values_set(v, key_of("orig:%s:within", name).s, "%zu of %zu", t.within, t.rows);
        values_set(v, key_of("orig:%s:rows", name).s, "%zu", t.rows);
        values_set(v, key_of("orig:%s:mean_abs_diff", name).s, "%.2f", t.sum_abs / (double)t.rows);
    }
}
