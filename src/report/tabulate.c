/* tabulate.c - the report's numbers: every study's table and values, then the
 * comparisons across studies and the totals (tabulate.h). */
#include "report/tabulate.h"

#include "report/buf.h"
#include "report/compare.h"
#include "report/studyvals.h"
#include "report/table.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* runs:*, seeds:count, dataset:*, time:all:total. */
static void overall_values(const StudyResults *studies, size_t ns, const StudiesConf *conf,
                           Values *v, Values *t)
{
    size_t runs = 0, diverged = 0, shared = 0, smin = SIZE_MAX, smax = 0;
    double total = 0;
    int timed = 1;
    for (size_t i = 0; i < ns; i++) {
        const StudyResults *s = &studies[i];
        smin = s->n_seeds < smin ? s->n_seeds : smin;
        smax = s->n_seeds > smax ? s->n_seeds : smax;
        for (size_t r = 0; r < s->n_runs; r++) {
            runs++;
            timed &= !isnan(s->runs[r].wall_seconds);
            /* a shared training is counted once, with the run it was trained for */
            if (s->runs[r].trained_with[0])
                shared++;
            else
                total += s->runs[r].wall_seconds;
            diverged += s->runs[r].status == RUN_DIVERGED;
        }
    }
    values_set(v, "runs:total", "%zu", runs);
    values_set(v, "runs:trainings", "%zu", runs - shared);
    values_set(v, "runs:diverged", "%zu", diverged);
    if (smin == smax)
        values_set(v, "seeds:count", "%zu", smin);
    else
        values_set(v, "seeds:count", "%zu to %zu", smin, smax);
    char a[64];
    fmt_duration(a, sizeof a, timed ? total : NAN);
    values_set(t, "time:all:total", "%s", a);
    const char *ds = studies[0].runs[0].dataset;
    values_set(v, "dataset:name", "%s", studies_dataset_name(conf, ds));
    values_set(v, "dataset:id", "%s", ds);
    values_set(v, "dataset:sha256", "%.16s", studies[0].runs[0].data_sha256);
}

int tabulate(const StudyResults *studies, size_t n, const Reference *ref,
             const StudiesConf *conf, Values *vals, Values *timing, char **tables, char *err)
{
    if (n == 0)
        return err_set(err, "tabulate: no studies");
    /* every run must come from the same data */
    const RunResult *first = &studies[0].runs[0];
    for (size_t i = 0; i < n; i++)
        for (size_t r = 0; r < studies[i].n_runs; r++) {
            const RunResult *x = &studies[i].runs[r];
            if (strcmp(x->data_sha256, first->data_sha256) != 0 ||
                strcmp(x->dataset, first->dataset) != 0)
                return err_set(err, "'%s/summary.json': dataset or data_sha256 differs from '%s'",
                               x->path, first->path);
        }
    for (size_t i = 0; i < n; i++) {
        tables[i] = NULL;
        study_values(&studies[i], ref, conf, vals, timing);
        Buf md = {0};
        /* a softmax study with an as-reported twin: one table for both */
        char twin[STUDY_NAME_MAX];
        const StudyResults *r = NULL;
        if (studies_twin(conf, experiment_study(studies[i].exp), twin, sizeof twin) == 0)
            for (size_t k = 0; k < n; k++)
                if (strcmp(experiment_study(studies[k].exp), twin) == 0)
                    r = &studies[k];
        if (r)
            table_twin_markdown(&studies[i], r, ref, conf, &md);
        else
            table_markdown(&studies[i], ref, conf, &md);
        if (md.failed) {
            free(md.p);
            for (size_t k = 0; k < i; k++)
                free(tables[k]);
            return err_set(err, "tabulate: out of memory");
        }
        tables[i] = md.p;
    }
    if (ref)
        compare_families(studies, n, ref, conf, vals);
    overall_values(studies, n, conf, vals, timing);
    if (vals->err[0] || timing->err[0]) {
        for (size_t k = 0; k < n; k++) {
            free(tables[k]);
            tables[k] = NULL;
        }
        return err_set(err, "%s", vals->err[0] ? vals->err : timing->err);
    }
    return 0;
}
