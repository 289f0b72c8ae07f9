/* plan.h - the planner: experiment files -> make rules, one target per run.
 *
 * For a dataset and a list of experiment files it writes
 *   - one canonical config per run, <runs_dir>/<dataset>/<study>/<run>.cfg
 *     (runconfig_format plus a comment naming the study and run), rewritten
 *     only when its bytes change: make compares timestamps, so an edited
 *     experiment reruns exactly the runs whose configuration changed;
 *   - a makefile fragment (written to a temporary name, then renamed) with
 *       <results_dir>/<dataset>/<study>/<run>/summary.json: <cfg> $(TRAIN_KEY) $(DATA_STAMP)
 *       	$(Q)$(LAUNCHER) $(TRAIN) --config $< --data <data_dir>/<dataset> --out $(@D) $(TRAIN_FLAGS)
 *       	$(RUN_DONE)
 *     for every run, the variables STUDY_<study>_EXP, STUDY_<study>_RUNS,
 *     SOFTMAX_STUDIES, MLP_STUDIES, ALL_STUDIES, SOFTMAX_RUNS, MLP_RUNS,
 *     ALL_RUNS, PLAN_DATASET, and the phony targets <study>, softmax and mlp.
 * LAUNCHER is the including Makefile's: empty, or a prefix such as
 * src/scripts/launch-slurm.sh that runs the command elsewhere.
 * Every list of runs is ordered by estimated cost, longest first, so that
 * `make -j` starts the long runs first. The fragment depends on nothing but
 * its inputs (no time, no paths other than those given). Configs of runs that
 * an edit removed are left in place, unused. Q, TRAIN, TRAIN_KEY, DATA_STAMP,
 * TRAIN_FLAGS and RUN_DONE are the including Makefile's: the echo switch
 * (V=1), the trainer, its key, the file that marks the dataset verified, the
 * trainer's extra options and the command run after each run. */
#ifndef PLAN_H
#define PLAN_H

#include "experiment.h"

#include <stddef.h>

typedef struct {
    const char *dataset;     /* "mnist" or "fashion" */
    const char *out;         /* the fragment's path */
    const char *runs_dir;    /* root of the per-run configs: "build/runs" */
    const char *results_dir; /* root of the results: "results" */
    const char *data_dir;    /* root of the verified data: "data" */
} PlanOptions;

/* Loads exps[0..n-1], writes the per-run configs and the fragment. Returns 0,
 * or -1 with one line naming the file in err (ERR_MAX). Nothing is written
 * unless every experiment file is valid, the study names are unique and every
 * name and path is usable in a make rule ([A-Za-z0-9._+-] and '/' in paths). */
int plan_write(const PlanOptions *opt, const char *const *exps, size_t n, char *err);

/* The text of a run's per-run config (a comment naming the run and study,
 * then runconfig_format's), as plan_write writes it into
 * <runs_dir>/<dataset>/<study>/<run>.cfg. Returns its length, or -1 when it
 * does not fit in size bytes (PLAN_CONFIG_MAX always suffices). */
#define PLAN_CONFIG_MAX (1024 + 2 * RUN_NAME_MAX)
int plan_config_text(const char *study, const char *run, const RunConfig *cfg, char *buf,
                     size_t size);

/* Estimated floating-point operations of a run's matrix products: per epoch,
 * forward and backward over the training images plus a forward pass over
 * the evaluated images (training set, validation, test). Only the order
 * matters: it ranks runs longest first. */
double plan_run_cost(const RunConfig *cfg);

#endif
