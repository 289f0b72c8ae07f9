/* `repro manifest write|compare|sample`: the provenance manifest (manifest.h). */
#include "err.h"
#include "experiment.h"
#include "opts.h"
#include "report/cli.h"
#include "report/manifest.h"
#include "rundir.h"
#include "runpath.h"

#include <stdio.h>
#include <stdlib.h>

#define PATH_CAP 4096

/* --sample N and --seeds N: the first N seeds of every configuration */
#define SAMPLE_OPT(opt, dest, req)                                                                 \
    {.name = (opt), .meta = "N", .num = (dest), .min = 1, .max = 1000000, .required = (req),     \
     .help = "take only the first N seeds of every configuration"}

static const char ABOUT_WRITE[] =
    "Hashes the data, the experiment files EXP and every run's results files\n"
    "and records the environment, in FILE.\n";

static const char ABOUT_COMPARE[] =
    "Prints each difference between two manifests (with metric deltas) and a\n"
    "closing count that says how many of the expected runs were checked. Exit\n"
    "status 1 if anything differs.\n";

static const char ABOUT_SAMPLE[] =
    "Prints, on one line, DIR/<study>/<run>/summary.json for the runs of that\n"
    "sample (the make targets of make verify QUICK=1).\n";

static int cmd_write(int argc, char **argv)
{
    ManifestOptions o = {"mnist", NULL, NULL, "build/release", NULL, 0, NULL, 0};
    const char *out = NULL;
    long sample = 0;
    const Opt opts[] = {
        {.name = "out", .meta = "FILE", .str = &out, .required = 1, .help = "the manifest"},
        {.name = "dataset", .meta = "NAME", .str = &o.dataset, .help = "the dataset"},
        {.name = "results", .meta = "DIR", .str = &o.results_dir,
         .help = "the runs' results (default results/DATASET)"},
        {.name = "data", .meta = "DIR", .str = &o.data_dir,
         .help = "the dataset's files (default data/DATASET)"},
        {.name = "build", .meta = "DIR", .str = &o.build_dir,
         .help = "the build (its flags file names the compiler)"},
        {.name = "values", .meta = "FILE", .str = &o.values,
         .help = "also write the report appendix's summary (label<TAB>text lines)"},
        SAMPLE_OPT("sample", &sample, 0),
        {0}};
    const OptsSpec spec = {
        .prog = "repro manifest write", .args = "EXP...", .about = ABOUT_WRITE, .opts = opts};
    int status, i = opts_get(&spec, argc, argv, &status);
    if (i < 0)
        return status;
    o.exps = (const char *const *)(argv + i);
    o.n_exps = (size_t)(argc - i);
    o.sample = (size_t)sample;
    char results[PATH_CAP], data[PATH_CAP], err[ERR_MAX];
    if (!o.results_dir) {
        snprintf(results, sizeof results, "results/%s", o.dataset);
        o.results_dir = results;
    }
    if (!o.data_dir) {
        snprintf(data, sizeof data, "data/%s", o.dataset);
        o.data_dir = data;
    }
    if (manifest_write(&o, out, err) < 0) {
        fprintf(stderr, "repro %s\n", err);
        return 1;
    }
    return 0;
}

static int cmd_compare(int argc, char **argv)
{
    OptList studies = {NULL, 0};
    long sample = 0;
    const Opt opts[] = {
        {.name = "study", .meta = "NAME", .list = &studies,
         .help = "compare only this study (again for more)"},
        SAMPLE_OPT("sample", &sample, 0),
        {0}};
    const OptsSpec spec = {.prog = "repro manifest compare",
                           .args = "EXPECTED ACTUAL",
                           .about = ABOUT_COMPARE,
                           .opts = opts};
    int status, i = opts_get(&spec, argc, argv, &status);
    if (i < 0) {
        free(studies.items);
        return status;
    }
    char err[ERR_MAX];
    size_t diff = 0;
    int rc = manifest_compare(argv[i], argv[i + 1], studies.items, studies.n, (size_t)sample,
                              stdout, &diff, err);
    free(studies.items);
    if (rc < 0) {
        fprintf(stderr, "repro %s\n", err);
        return 2;
    }
    return diff ? 1 : 0;
}

static const char ABOUT_CHECK[] =
    "Reads FILE and checks that it is a manifest repro manifest compare can\n"
    "read, types included; make verify runs it before rerunning anything.\n";

static int cmd_check(int argc, char **argv)
{
    const Opt opts[] = {{0}};
    const OptsSpec spec = {
        .prog = "repro manifest check", .args = "FILE", .about = ABOUT_CHECK, .opts = opts};
    int status, i = opts_get(&spec, argc, argv, &status);
    if (i < 0)
        return status;
    char err[ERR_MAX];
    if (manifest_check(argv[i], err) < 0) {
        fprintf(stderr, "repro %s\n", err);
        return 2;
    }
    return 0;
}

static int cmd_sample(int argc, char **argv)
{
    long seeds = 0;
    const char *results = NULL;
    const Opt opts[] = {
        SAMPLE_OPT("seeds", &seeds, 1),
        {.name = "results", .meta = "DIR", .str = &results, .required = 1,
         .help = "the results directory the paths start with"},
        {0}};
    const OptsSpec spec = {
        .prog = "repro manifest sample", .args = "EXP...", .about = ABOUT_SAMPLE, .opts = opts};
    int status, i = opts_get(&spec, argc, argv, &status);
    if (i < 0)
        return status;
    char err[ERR_MAX];
    const char *sep = "";
    for (; i < argc; i++) {
        Experiment *e = experiment_load(argv[i], err);
        if (!e) {
            fprintf(stderr, "repro manifest sample: %s\n", err);
            return 1;
        }
        for (size_t r = 0; r < experiment_run_count(e); r++) {
            RunConfig cfg;
            char name[RUN_NAME_MAX];
            if (!manifest_in_sample(e, r, (size_t)seeds))
                continue;
            char path[PATH_CAP];
            experiment_run(e, r, &cfg, name);
            if (run_path(path, sizeof path, results, NULL, experiment_study(e), name,
                         rundir_file_name(RUN_SUMMARY)) < 0) {
                fprintf(stderr, "repro manifest sample: '%s': path too long\n", path);
                experiment_free(e);
                return 1;
            }
            printf("%s%s", sep, path);
            sep = " ";
        }
        experiment_free(e);
    }
    printf("\n");
    return 0;
}

int cmd_manifest(int argc, char **argv)
{
    static const OptsVerb verbs[] = {
        {"write", cmd_write, "write the manifest of the data, experiments and results"},
        {"compare", cmd_compare, "compare two manifests; exit status 1 if they differ"},
        {"check", cmd_check, "check that a file is a readable manifest, types included"},
        {"sample", cmd_sample, "list the summary.json files of a sample of the runs"},
        {0}};
    return opts_dispatch("repro manifest", verbs, argc, argv);
}
