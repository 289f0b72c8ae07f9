/* repro plot: draws each study's figures (or, with --overview, the figures
 * across studies) from the results on disk; the figures themselves are
 * src/report/plot.c's. */
#include "err.h"
#include "experiment.h"
#include "report/cli.h"
#include "report/plot.h"
#include "report/reference.h"
#include "report/results.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PATH_TEXT_MAX 4096

static void plot_usage(FILE *f)
{
    fprintf(f,
            "usage: repro plot --results DIR --out DIR [--study NAME | --overview]\n"
            "                  [--experiments DIR] [--reference CSV]\n"
            "\n"
            "Draws every figure of each study (experiments/*.exp, or only --study) from\n"
            "the results under DIR (results/<dataset>) into --out (figures/<dataset>),\n"
            "as SVG and PDF, through a pipe to gnuplot. A softmax study whose\n"
            "as-reported twin (softmax-reported-<x>.exp) is in the experiments directory\n"
            "also gets <study>-glance, which needs the twin's results too.\n"
            "--overview: instead, the figures across studies (" PLOT_UNLEARN
            ": the mlp\n"
            "settings whose validation accuracy peaks and then falls).\n"
            "--reference: the original's figures (report/original-report.csv), drawn as x.\n");
}

/* Loads the study of the experiment file at path (e receives it). */
static int load_study(const char *path, const char *results, unsigned flags, Experiment **e,
                      StudyResults *s, char *err)
{
    *e = experiment_load(path, err);
    if (!*e)
        return -1;
    if (study_results_load(s, results, *e, flags, err) != 0) {
        experiment_free(*e);
        *e = NULL;
        return -1;
    }
    return 0;
}

static int plot_one(const char *path, const char *results, const char *exps,
                    const Reference *ref, const char *out, char *err)
{
    Experiment *e = NULL, *te = NULL;
    StudyResults s, twin;
    if (load_study(path, results, RESULTS_ITERATIONS, &e, &s, err) != 0)
        return -1;
    PlotInput in = {&s, NULL, ref};
    char name[STUDY_NAME_MAX + 16], tpath[PATH_TEXT_MAX];
    int rc = 0;
    if (plot_twin_name(experiment_study(e), name, sizeof name) == 0 &&
        (size_t)snprintf(tpath, sizeof tpath, "%s/%s.exp", exps, name) < sizeof tpath &&
        access(tpath, F_OK) == 0) {
        rc = load_study(tpath, results, 0, &te, &twin, err);
        if (rc == 0)
            in.twin = &twin;
    }
    if (rc == 0)
        rc = plot_study(&in, out, err);
    if (te) {
        study_results_release(&twin);
        experiment_free(te);
    }
    study_results_release(&s);
    experiment_free(e);
    return rc;
}

static int plot_all(char **paths, size_t n, const char *results, const char *out, char *err)
{
    Experiment **es = calloc(n, sizeof *es);
    StudyResults *ss = calloc(n, sizeof *ss);
    size_t loaded = 0;
    int rc = es && ss ? 0 : err_set(err, "plot: out of memory");
    for (size_t i = 0; i < n && rc == 0; i++) {
        Experiment *e = experiment_load(paths[i], err);
        if (!e) {
            rc = -1;
            break;
        }
        if (experiment_model(e) != MODEL_MLP) { /* the overview draws mlp studies only */
            experiment_free(e);
            continue;
        }
        if (study_results_load(&ss[loaded], results, e, 0, err) != 0) {
            experiment_free(e);
            rc = -1;
            break;
        }
        es[loaded++] = e;
    }
    if (rc == 0)
        rc = plot_overview(ss, loaded, out, err);
    for (size_t i = 0; i < loaded; i++) {
        study_results_release(&ss[i]);
        experiment_free(es[i]);
    }
    free(es);
    free(ss);
    return rc;
}

int cmd_plot(int argc, char **argv)
{
    const char *results = NULL, *out = NULL, *study = NULL, *exps = "experiments",
               *refpath = NULL;
    int overview = 0;
    for (int i = 1; i < argc; i++) {
        const char **slot = NULL;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            plot_usage(stdout);
            return 0;
        } else if (strcmp(argv[i], "--overview") == 0) {
            overview = 1;
            continue;
        } else if (strcmp(argv[i], "--results") == 0) {
            slot = &results;
        } else if (strcmp(argv[i], "--out") == 0) {
            slot = &out;
        } else if (strcmp(argv[i], "--study") == 0) {
            slot = &study;
        } else if (strcmp(argv[i], "--experiments") == 0) {
            slot = &exps;
        } else if (strcmp(argv[i], "--reference") == 0) {
            slot = &refpath;
        } else {
            fprintf(stderr, "repro plot: unknown option '%s' (see repro plot --help)\n", argv[i]);
            return 2;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "repro plot: '%s' needs a value\n", argv[i]);
            return 2;
        }
        *slot = argv[++i];
    }
    if (!results || !out) {
        fprintf(stderr, "repro plot: --results and --out are required (see repro plot --help)\n");
        return 2;
    }
    if (overview && study) {
        fprintf(stderr, "repro plot: --study and --overview exclude each other\n");
        return 2;
    }
    char err[ERR_MAX];
    Reference ref;
    if (refpath && reference_load(&ref, refpath, err) != 0) {
        fprintf(stderr, "repro plot: %s\n", err);
        return 1;
    }
    char **paths = NULL;
    size_t n = 0;
    int rc = results_list_experiments(exps, study, &paths, &n, err) != 0;
    if (rc == 0 && overview)
        rc = plot_all(paths, n, results, out, err) != 0;
    for (size_t i = 0; i < n && rc == 0 && !overview; i++)
        rc = plot_one(paths[i], results, exps, refpath ? &ref : NULL, out, err) != 0;
    if (rc != 0)
        fprintf(stderr, "repro plot: %s\n", err);
    results_free_list(paths, n);
    if (refpath)
        reference_release(&ref);
    return rc;
}
