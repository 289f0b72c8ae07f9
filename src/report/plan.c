/* plan.c - `repro plan`: experiment files -> per-run configs and make rules. */
#include "report/plan.h"
#include "atomic.h"
#include "report/buf.h"
#include "cfgfile.h"
#include "err.h"
#include "experiment.h"
#include "rundir.h"
#include "runpath.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PATH_CAP 4096

/* Data sizes that set a run's cost (README.md, "The homework"): MNIST's and
 * Fashion-MNIST's layout. Not read from the IDX headers: the plan is made
 * before the data is fetched (its rule does not depend on the data). */
#define IMAGE_SIZE 784
#define CLASSES 10
#define SOFTMAX_TRAIN 60000
#define SOFTMAX_EVAL (60000 + 10000)    /* full training set, test */
#define MLP_TRAIN 55000
#define MLP_EVAL (55000 + 5000 + 10000) /* training, validation, test */

typedef struct {
    const Experiment *exp;
    size_t seq; /* position in file and run order: ties keep it */
    char name[RUN_NAME_MAX];
    RunConfig cfg;
    double cost;
    char *summary; /* <results>/<dataset>/<study>/<run>/summary.json */
    char *cfg_path;
    size_t owner; /* the first run of the same configuration: its training is this one's */
} PlanRun;



double plan_run_cost(const RunConfig *cfg)
{
    /* the trainer's own FLOP model (runconfig.h), over an epoch's rows */
    int mlp = cfg->model == MODEL_MLP;
    double train = runconfig_flops(cfg, IMAGE_SIZE, CLASSES, mlp ? MLP_TRAIN : SOFTMAX_TRAIN, 1);
    double eval = runconfig_flops(cfg, IMAGE_SIZE, CLASSES, mlp ? MLP_EVAL : SOFTMAX_EVAL, 0);
    return cfg->max_epoch * (train + eval);
}

/* The runs of `alone` studies last (they train one at a time: first, they
 * would leave make's other job slots waiting), then longest first; equal costs
 * keep file and run order. */
static int run_cmp(const void *a, const void *b)
{
    const PlanRun *x = *(const PlanRun *const *)a;
    const PlanRun *y = *(const PlanRun *const *)b;
    int xa = experiment_alone(x->exp), ya = experiment_alone(y->exp);
    if (xa != ya)
        return xa - ya;
    if (x->cost != y->cost)
        return x->cost > y->cost ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int name_ok(const char *s)
{
    if (*s == '\0' || *s == '.' || *s == '-')
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '.' || *s == '_' || *s == '+' || *s == '-'))
            return 0;
    return 1;
}

/* A path written into a make rule: no spaces, ':', '%', '$', '#' or quotes. */
static int path_ok(const char *s)
{
    if (*s == '\0')
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '.' || *s == '_' || *s == '+' || *s == '-' || *s == '/'))
            return 0;
    return 1;
}

/* The run's summary.json and its .cfg (runpath.h), allocated into r. */
static int plan_run_paths(PlanRun *r, const PlanOptions *opt, const char *study, char *err)
{
    char path[PATH_CAP];
    if (run_path(path, sizeof path, opt->results_dir, opt->dataset, study, r->name,
                 rundir_file_name(RUN_SUMMARY)) < 0)
        return err_set(err, "plan: '%s': path too long", path);
    if (!(r->summary = strdup(path)))
        return err_set(err, "out of memory");
    if (run_config_path(path, sizeof path, opt->runs_dir, opt->dataset, study, r->name) < 0)
        return err_set(err, "plan: '%s': path too long", path);
    if (!(r->cfg_path = strdup(path)))
        return err_set(err, "out of memory");
    return 0;
}

/* Writes data to path whole or not at all (atomic.h), creating the
 * directories leading to it. */
static int write_file(const char *path, const char *data, size_t len, char *err)
{
    const char *slash = strrchr(path, '/');
    if (slash && slash != path) {
        char dir[4096];
        if ((size_t)(slash - path) >= sizeof dir)
            return err_set(err, "'%s': path too long", path);
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
        if (make_dirs(dir, err) != 0)
            return -1;
    }
    return atomic_write(path, data, len, err);
}

int plan_config_text(const char *study, const char *run, const RunConfig *cfg, char *buf,
                     size_t size)
{
    char body[1024];
    if (runconfig_format(cfg, body, sizeof body) < 0)
        return -1;
    int n = snprintf(buf, size, "# run '%s' of study '%s', written by repro plan\n%s", run, study,
                     body);
    return n < 0 || (size_t)n >= size ? -1 : n;
}

/* The per-run config: only its bytes decide whether make reruns the run. */
static int write_run_config(const PlanRun *r, char *err)
{
    char text[PLAN_CONFIG_MAX];
    int n = plan_config_text(experiment_study(r->exp), r->name, &r->cfg, text, sizeof text);
    if (n < 0)
        return err_set(err, "'%s': run config does not fit", r->cfg_path);
    if (buf_file_holds(r->cfg_path, text, (size_t)n))
        return 0;
    return write_file(r->cfg_path, text, (size_t)n, err);
}

/* "NAME := \" then one run per line, longest first. */
static void text_run_list(Buf *t, const char *var, PlanRun **runs, size_t n)
{
    buf_printf(t, "%s :=", var);
    for (size_t i = 0; i < n; i++)
        buf_printf(t, " \\\n  %s", runs[i]->summary);
    buf_printf(t, "\n");
}

/* Picks the runs of one kind (model, or any when kind < 0) or one study (exp)
 * from sorted, in order; returns the count. */
static size_t select_runs(PlanRun **sorted, size_t n, int kind, const Experiment *exp,
                          PlanRun **out)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (exp && sorted[i]->exp != exp)
            continue;
        if (kind >= 0 && (int)sorted[i]->cfg.model != kind)
            continue;
        out[k++] = sorted[i];
    }
    return k;
}

static void text_studies(Buf *t, const char *var, Experiment **exps, size_t n, int kind)
{
    buf_printf(t, "%s :=", var);
    for (size_t i = 0; i < n; i++)
        if (kind < 0 || (int)experiment_model(exps[i]) == kind)
            buf_printf(t, " %s", experiment_study(exps[i]));
    buf_printf(t, "\n");
}

/* The directory of a run's summary.json path: "r/mnist/s/run/summary.json" -> "r/mnist/s/run". */
static int dir_len(const char *summary)
{
    return (int)(strrchr(summary, '/') - summary);
}

/* One rule per training, for the runs it writes: the first run of its
 * configuration and every later one of the same (another study at the same
 * settings and seed). More than one is a grouped rule (&:): train writes each
 * directory under its own name (every --out with its --name: train never
 * reads names from a path), so a shared run's files are the bytes a training
 * of its own would write (timing.json aside: it says "trained_with").
 * The training holds the Makefile's training lock: shared ($(TRAIN_CROWD))
 * or, for a run of an `alone` study, exclusive ($(TRAIN_ALONE)), so that a
 * timed run never trains beside another whatever make's order or goals. */
static void text_rule(Buf *t, const PlanOptions *opt, PlanRun *const *g, size_t n)
{
    for (size_t k = 0; k < n; k++)
        buf_printf(t, "%s%s", k ? " " : "", g[k]->summary);
    buf_printf(t, "%s", n > 1 ? " &:" : ":");
    for (size_t k = 0; k < n; k++)
        buf_printf(t, " %s", g[k]->cfg_path);
    buf_printf(t, " $(TRAIN_KEY) $(DATA_STAMP)");
    buf_printf(t, "\n\t$(Q)$(%s) $(LAUNCHER) $(TRAIN) --config %s --data %s/%s",
               experiment_alone(g[0]->exp) ? "TRAIN_ALONE" : "TRAIN_CROWD", g[0]->cfg_path,
               opt->data_dir, opt->dataset);
    for (size_t k = 0; k < n; k++)
        buf_printf(t, " --out %.*s --name %s/%s/%s", dir_len(g[k]->summary), g[k]->summary,
                   opt->dataset, experiment_study(g[k]->exp), g[k]->name);
    buf_printf(t, " $(TRAIN_FLAGS)\n");
    for (size_t k = 0; k < n; k++)
        buf_printf(t, "\t$(RUN_DONE) %s\n", g[k]->summary);
}

static void text_rules(Buf *t, const PlanOptions *opt, PlanRun *runs, size_t n,
                       PlanRun **group)
{
    buf_printf(t, "\n# The trainer writes summary.json last, atomically: it marks a run done.\n"
                  "# Runs of the same configuration in several studies share one training:\n"
                  "# one grouped rule (&:) writes them all (train --out DIR --out DIR...).\n"
                  "# A training holds the training lock, shared (TRAIN_CROWD) or, for a run\n"
                  "# of an `alone` study (timed), exclusive (TRAIN_ALONE): no other training\n"
                  "# runs beside it. TRAIN_FLAGS (the data checksums, --quiet) and RUN_DONE\n"
                  "# (the progress line after each run) are the Makefile's.\n");
    for (size_t i = 0; i < n; i++) {
        size_t m = 0;
        for (size_t k = i; k < n && runs[i].owner == i; k++)
            if (runs[k].owner == i)
                group[m++] = &runs[k];
        if (m)
            text_rule(t, opt, group, m);
    }
}

/* Finds, for every run, the first run of the same configuration (every
 * setting and the seed: runconfig_diff finds no difference); a run of an
 * `alone` study owns its training. */
static void find_owners(PlanRun *runs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        runs[i].owner = i;
        if (experiment_alone(runs[i].exp)) /* timed: its training is its own */
            continue;
        for (size_t j = 0; j < i; j++)
            if (runs[j].owner == j && !experiment_alone(runs[j].exp) &&
                !runconfig_diff(&runs[j].cfg, &runs[i].cfg, 0)) {
                runs[i].owner = j;
                break;
            }
    }
}

static int fragment_build(Buf *t, const PlanOptions *opt, Experiment **exps, size_t n_exps,
                          PlanRun *runs, size_t n_runs, char *err)
{
    PlanRun **sorted = malloc((n_runs + 1) * sizeof *sorted);
    PlanRun **pick = malloc((n_runs + 1) * sizeof *pick);
    if (!sorted || !pick) {
        free(sorted);
        free(pick);
        return err_set(err, "'%s': out of memory", opt->out);
    }
    for (size_t i = 0; i < n_runs; i++)
        sorted[i] = &runs[i];
    qsort(sorted, n_runs, sizeof *sorted, run_cmp);

    buf_printf(t,
                "# Written by `repro plan --dataset %s` from %zu experiment files: do not edit.\n"
                "# One rule per run; every list of runs is ordered longest first (estimated\n"
                "# FLOPs), so that make -j starts the long runs first.\n\n",
                opt->dataset, n_exps);
    buf_printf(t, "PLAN_DATASET := %s\n", opt->dataset);
    text_studies(t, "ALL_STUDIES", exps, n_exps, -1);
    text_studies(t, "SOFTMAX_STUDIES", exps, n_exps, MODEL_SOFTMAX);
    text_studies(t, "MLP_STUDIES", exps, n_exps, MODEL_MLP);
    buf_printf(t, "\n");
    for (size_t e = 0; e < n_exps; e++) {
        const char *study = experiment_study(exps[e]);
        char var[STUDY_NAME_MAX + 16];
        buf_printf(t, "STUDY_%s_EXP := %s\n", study, experiment_path(exps[e]));
        snprintf(var, sizeof var, "STUDY_%s_RUNS", study);
        text_run_list(t, var, pick, select_runs(sorted, n_runs, -1, exps[e], pick));
        buf_printf(t, "\n");
    }
    text_run_list(t, "SOFTMAX_RUNS", pick, select_runs(sorted, n_runs, MODEL_SOFTMAX, NULL, pick));
    text_run_list(t, "MLP_RUNS", pick, select_runs(sorted, n_runs, MODEL_MLP, NULL, pick));
    text_run_list(t, "ALL_RUNS", sorted, n_runs);

    buf_printf(t, "\n.PHONY: softmax mlp $(ALL_STUDIES)\n");
    buf_printf(t, "softmax: $(SOFTMAX_RUNS)\nmlp: $(MLP_RUNS)\n");
    for (size_t e = 0; e < n_exps; e++)
        buf_printf(t, "%s: $(STUDY_%s_RUNS)\n", experiment_study(exps[e]),
                    experiment_study(exps[e]));

    buf_printf(t,
                "\n# A run config deleted since planning (rm -r %s) makes this file out of\n"
                "# date, so that make replans, which writes the config again.\n"
                "PLAN_CFGS := $(patsubst %s/%s/%%/summary.json,%s/%s/%%.cfg,$(ALL_RUNS))\n"
                "ifneq ($(filter-out $(wildcard $(PLAN_CFGS)),$(PLAN_CFGS)),)\n"
                "%s: plan-cfg-missing\n"
                "endif\n"
                ".PHONY: plan-cfg-missing\n"
                "plan-cfg-missing:\n",
                opt->runs_dir, opt->results_dir, opt->dataset, opt->runs_dir, opt->dataset,
                opt->out);

    text_rules(t, opt, runs, n_runs, pick);
    free(sorted);
    free(pick);
    if (t->failed)
        return err_set(err, "'%s': out of memory", opt->out);
    return 0;
}

static int check_options(const PlanOptions *opt, char *err)
{
    if (!opt->dataset || !name_ok(opt->dataset))
        return err_set(err, "dataset name '%s' must be letters, digits, '.', '_', '+' or '-'",
                       opt->dataset ? opt->dataset : "");
    const struct {
        const char *what, *path;
    } paths[] = {
        {"output", opt->out},
        {"runs directory", opt->runs_dir},
        {"results directory", opt->results_dir},
        {"data directory", opt->data_dir},
    };
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
        if (!paths[i].path || !path_ok(paths[i].path))
            return err_set(err, "%s path '%s' must be letters, digits, '.', '_', '+', '-' or '/'",
                           paths[i].what, paths[i].path ? paths[i].path : "");
    return 0;
}

/* Loads and checks every experiment; fills exps (n entries). */
static int load_all(const char *const *paths, size_t n, Experiment **exps, char *err)
{
    for (size_t i = 0; i < n; i++) {
        if (!(exps[i] = experiment_load(paths[i], err)))
            return -1;
        const char *study = experiment_study(exps[i]);
        if (!name_ok(study) || strlen(study) >= STUDY_NAME_MAX)
            return err_set(err,
                           "%s: study name '%s' must be at most %d letters, digits, '.', '_', "
                           "'+' or '-'",
                           paths[i], study, STUDY_NAME_MAX - 1);
        for (size_t j = 0; j < i; j++)
            if (strcmp(study, experiment_study(exps[j])) == 0)
                return err_set(err, "%s: study '%s' is already defined by '%s'", paths[i], study,
                               paths[j]);
    }
    return 0;
}

int plan_write(const PlanOptions *opt, const char *const *paths, size_t n, char *err)
{
    if (check_options(opt, err) != 0)
        return -1;
    if (n == 0)
        return err_set(err, "no experiment files");
    int rc = -1;
    size_t n_runs = 0, filled = 0;
    PlanRun *runs = NULL;
    Buf text = {0};
    Experiment **exps = calloc(n, sizeof *exps);
    if (!exps) {
        err_set(err, "out of memory");
        goto done;
    }
    if (load_all(paths, n, exps, err) != 0)
        goto done;
    for (size_t i = 0; i < n; i++)
        n_runs += experiment_run_count(exps[i]);
    runs = calloc(n_runs, sizeof *runs);
    if (!runs) {
        err_set(err, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        const char *study = experiment_study(exps[i]);
        for (size_t k = 0; k < experiment_run_count(exps[i]); k++, filled++) {
            PlanRun *r = &runs[filled];
            r->exp = exps[i];
            r->seq = filled;
            experiment_run(exps[i], k, &r->cfg, r->name);
            r->cost = plan_run_cost(&r->cfg);
            if (plan_run_paths(r, opt, study, err) < 0) {
                filled++;
                goto done;
            }
        }
    }
    find_owners(runs, n_runs);
    if (fragment_build(&text, opt, exps, n, runs, n_runs, err) != 0)
        goto done;
    for (size_t i = 0; i < n_runs; i++)
        if (write_run_config(&runs[i], err) != 0)
            goto done;
    if (write_file(opt->out, text.p, text.n, err) != 0)
        goto done;
    rc = 0;
done:
    for (size_t i = 0; i < filled; i++) {
        free(runs[i].summary);
        free(runs[i].cfg_path);
    }
    free(runs);
    for (size_t i = 0; exps && i < n; i++)
        experiment_free(exps[i]);
    free(exps);
    free(text.p);
    return rc;
}
