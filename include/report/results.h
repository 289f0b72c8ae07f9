/* results.h - the runs of a study, read from results/<dataset>/<study>/<run>/
 * (one run's files and their reader: rundir.h), grouped by configuration,
 * with their means over seeds and their labels. */
#ifndef RESULTS_H
#define RESULTS_H

#include "experiment.h"
#include "rundir.h"

#include <stddef.h>

/* All runs of one study, grouped as the experiment file orders them: runs
 * g * n_seeds + s for s < n_seeds share every setting but the seed (group g). */
typedef struct {
    const Experiment *exp; /* borrowed */
    RunResult *runs;       /* experiment_run_count(exp) runs, in run order */
    size_t n_runs;
    size_t n_groups;
    size_t n_seeds;
} StudyResults;

/* Loads every run of e from results_dir/<study>/<run>/ (results_dir is
 * results/<dataset>). A missing run directory or summary.json is an error (the
 * study is not finished), and so is a summary.json whose study, run name or
 * configuration disagree with the experiment file (stale results). Returns 0,
 * or -1 with a message in err and s released. */
int study_results_load(StudyResults *s, const char *results_dir, const Experiment *e,
                       unsigned flags, char *err);
void study_results_release(StudyResults *s);

/* Seed i's run of group g: the one place a group's runs are indexed. */
const RunResult *study_run(const StudyResults *s, size_t g, size_t i);

/* Mean and sample sd (divisor n - 1) of v[0..n): the one mean over seeds of
 * the report; NAN for both when n is 0, sd 0 when n is 1. */
void mean_sd(const double *v, size_t n, double *mean, double *sd);

/* Mean and sample standard deviation (divisor n - 1; 0 for a single run) of
 * metric m's final value over group g's runs that recorded it (a run that
 * diverged before its first epoch has none); *n receives their number, and
 * mean and std are NAN when it is 0. */
void study_group_stats(const StudyResults *s, size_t g, Metric m, double *mean, double *std,
                       size_t *n);

/* How many of group g's runs diverged. */
size_t study_group_diverged(const StudyResults *s, size_t g);

/* Mean and sample standard deviation (into *std unless NULL) over group g's
 * runs of f(run, m), skipping runs for which f gives NAN; NAN when none has a
 * value. f reads any per-run figure: a final metric, the first epoch's, the
 * wall time. */
double study_group_mean(const StudyResults *s, size_t g, double (*f)(const RunResult *, Metric),
                        Metric m, double *std);
/* Readers for study_group_mean: a run's final value of m, its wall time, its
 * CPU time per epoch of training (m unused by both): timing.json's
 * epoch_cpu_seconds, their mean (not the process's, which adds reading and
 * checking the data and the final test), or the whole run's CPU time where a
 * run has no epoch times; NAN when it has neither. */
double run_final(const RunResult *r, Metric m);
double run_wall(const RunResult *r, Metric m);
double run_epoch_cpu(const RunResult *r, Metric m);

/* The seed index (< n_seeds) whose runs the figures draw: seed 1's, or the
 * first seed when the study has no seed 1. */
size_t study_plot_seed(const StudyResults *s);

/* Group g's name: its first run's name without the seed part, e.g.
 * "lambda-0.2" for "lambda-0.2,seed-1"; "" when nothing is swept. Writes
 * RUN_NAME_MAX bytes into name. */
void study_group_name(const StudyResults *s, size_t g, char *name);

/* Group g's label for legends and tables, e.g. "λ = 0.2" or
 * "hidden 128, euclidean, relu" (RUN_NAME_MAX bytes); "all runs" when nothing
 * is swept. */
void study_group_label(const StudyResults *s, size_t g, char *label);

/* The experiment files of a directory: dir/<study>.exp for every study in
 * name order, or only dir/<only>.exp when only is not NULL (an error if it
 * does not exist). *paths is a heap array of heap strings (results_free_list).
 * Returns 0, or -1 with err; a directory without any is an error. */
int results_list_experiments(const char *dir, const char *only, char ***paths, size_t *n,
                             char *err);
void results_free_list(char **paths, size_t n);

#endif
