/* repro plot: draws each study's figures (or, with --overview, the figures
 * across studies) from the results on disk; the figures themselves are
 * src/report/plot.c's. */
#include "err.h"
#include "experiment.h"
#include "opts.h"
#include "report/cli.h"
#include "report/plot.h"
#include "report/reference.h"
#include "report/results.h"
#include "report/studies.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PATH_TEXT_MAX 4096

static const char ABOUT[] =
    "Draws every figure of each study (experiments/*.exp, or only --study) from\n"
    "the results under DIR (results/<dataset>) into --out (figures/<dataset>),\n"
    "as SVG and PDF, through a pipe to gnuplot. A softmax study whose\n"
    "as-reported twin (--studies: report/studies.conf's twin lines) is in the\n"
    "experiments directory also gets <study>-glance, which needs the twin's\n"
    "results too. --overview: instead, the figures across studies (" PLOT_UNLEARN ": the\n"
    "mlp settings whose validation accuracy peaks and then falls).";

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
                    const Reference *ref, const StudiesConf *studies, const char *out, char *err)
{
    Experiment *e = NULL, *te = NULL;
    StudyResults s, twin;
    if (load_study(path, results, RESULTS_ITERATIONS, &e, &s, err) != 0)
        return -1;
    PlotInput in = {&s, NULL, ref, studies, NULL};
    char name[STUDY_NAME_MAX + 16], tpath[PATH_TEXT_MAX];
    int rc = 0;
    /* a softmax study and its as-reported twin: the correct one draws both
     * in its glance figure, and the figures of each share the other's axes */
    int is_correct = studies_twin(studies, experiment_study(e), name, sizeof name) == 0;
    if ((is_correct || studies_correct(studies, experiment_study(e), name, sizeof name)) &&
        (size_t)snprintf(tpath, sizeof tpath, "%s/%s.exp", exps, name) < sizeof tpath &&
        access(tpath, F_OK) == 0) {
        rc = load_study(tpath, results, RESULTS_ITERATIONS, &te, &twin, err);
        if (rc == 0) {
            in.twin = is_correct ? &twin : NULL;
            in.compare = &twin;
        }
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
               *refpath = NULL, *conf = "report/studies.conf";
    int overview = 0;
    const Opt opts[] = {
        {.name = "results", .meta = "DIR", .str = &results, .required = 1,
         .help = "the dataset's results, results/<dataset>"},
        {.name = "out", .meta = "DIR", .str = &out, .required = 1,
         .help = "where the figures go, figures/<dataset>"},
        {.name = "study", .meta = "NAME", .str = &study, .help = "only this study"},
        {.name = "overview", .flag = &overview, .help = "the figures across studies instead"},
        {.name = "experiments", .meta = "DIR", .str = &exps, .help = "the experiment files"},
        {.name = "reference", .meta = "CSV", .str = &refpath,
         .help = "the original's figures (report/original-report.csv), drawn as x"},
        {.name = "studies", .meta = "FILE", .str = &conf,
         .help = "twins and reference tables of the studies"},
        {0}};
    const OptsSpec spec = {.prog = "repro plot", .args = NULL, .about = ABOUT, .opts = opts};
    int status;
    if (opts_get(&spec, argc, argv, &status) < 0)
        return status;
    if (overview && study) {
        fprintf(stderr, "repro plot: --study and --overview exclude each other (see repro plot "
                        "--help)\n");
        return 2;
    }
    char err[ERR_MAX];
    Reference ref;
    StudiesConf studies;
    if (studies_load(&studies, conf, err) != 0) {
        fprintf(stderr, "repro plot: %s\n", err);
        return 1;
    }
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
        rc = plot_one(paths[i], results, exps, refpath ? &ref : NULL, &studies, out, err) != 0;
    if (rc != 0)
        fprintf(stderr, "repro plot: %s\n", err);
    results_free_list(paths, n);
    if (refpath)
        reference_release(&ref);
    return rc;
}
