/* status.h - which runs are done, missing or stale, and why: `repro status`
 * and `make status`, and the count of runs to do behind the progress line.
 *
 * make reruns a run when its summary.json (written last by the trainer) is
 * absent, or older than one of the three files the planner's rule makes it
 * depend on. The same test here, file by file, gives the reason:
 *   <runs>/<dataset>/<study>/<run>.cfg   "configuration changed": the per-run
 *       config is newer, absent, or no longer the text the experiment file
 *       gives (the file was edited and make has not planned again yet);
 *   the trainer's key (build/release/train.key)   "trainer changed": newer or
 *       absent (make status builds the trainer and its key first);
 *   the data stamp (data/<dataset>/.verified)   "data changed": newer or
 *       absent (make data writes it again).
 * Times compare to the nanosecond, as make compares them. Nothing is written. */
#ifndef STATUS_H
#define STATUS_H

#include "experiment.h"

#include <stddef.h>
#include <stdio.h>

typedef enum { STATE_DONE, STATE_MISSING, STATE_STALE } RunState;

/* Why a run is stale: a set of these bits. */
enum { STALE_CONFIG = 1u, STALE_TRAINER = 2u, STALE_DATA = 4u };

typedef struct {
    const char *dataset;     /* "mnist" */
    const char *results_dir; /* root of the results: "results" */
    const char *runs_dir;    /* root of the per-run configs: "build/runs" */
    const char *train_key;   /* "build/release/train.key" */
    const char *data_stamp;  /* "data/mnist/.verified" */
} StatusOptions;

typedef struct {
    char study[STUDY_NAME_MAX];
    char run[RUN_NAME_MAX];
    RunState state;
    unsigned why;   /* STALE_* bits; 0 unless stale */
    RunConfig cfg;  /* the run's configuration */
    double cost;    /* plan_run_cost(&cfg) */
} RunFreshness;

/* The state of one run. want is the configuration the experiment file gives
 * the run; NULL takes it from the per-run config, which must then exist (after
 * planning, as for the progress line). Fills out. Returns 0, or -1 with err
 * (ERR_MAX bytes) when want is NULL and the config cannot be read. */
int status_run(const StatusOptions *o, const char *study, const char *run, const RunConfig *want,
               RunFreshness *out, char *err);

typedef struct {
    char study[STUDY_NAME_MAX];
    size_t first, n_runs; /* its runs: report->runs[first .. first + n_runs) */
    size_t done, missing, stale;
} StudyFreshness;

typedef struct {
    RunFreshness *runs; /* every run of every study, in experiment and run order */
    size_t n_runs;
    StudyFreshness *studies;
    size_t n_studies;
    size_t done, missing, stale;
} StatusReport;

/* The state of every run the experiment files exps[0..n) list. Returns 0, or
 * -1 with err naming the file (an experiment that does not load). */
int status_collect(const StatusOptions *o, const char *const *exps, size_t n, StatusReport *r,
                   char *err);
void status_report_release(StatusReport *r);

/* For people: one line per study (runs done, missing, stale), then each stale
 * run with its reasons (one line for a study whose runs are all stale for the
 * same reasons) and the missing runs of a study that has some done, and a
 * closing line. */
void status_print(const StatusReport *r, const StatusOptions *o, FILE *f);

/* For tools: {"dataset", "up_to_date", "runs", "done", "missing", "stale",
 * "studies": [{"study", "runs", "done", "missing", "stale",
 *              "not_done": [{"run", "state", "reasons": [...]}]}]}. */
int status_print_json(const StatusReport *r, const StatusOptions *o, FILE *f, char *err);

#endif
