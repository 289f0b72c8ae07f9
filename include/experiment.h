/* experiment.h - declarative experiment files (experiments/NAME.exp).
 *
 * A file describes one study: `key = value` lines, `#` comments, and a value list
 * `a, b, c` that makes a sweep (the runs are the cartesian product of all lists,
 * in file order, the last key varying fastest, seeds last). The format and every
 * key are documented in experiments/README.md. The study's name is the file's
 * base name without ".exp".
 *
 * Each run has a name built from its swept keys and seed, such as
 * "lambda-0.2,seed-1" (keys in file order, seed last); it names the run's results
 * directory and is how `train` picks a run. */
#ifndef EXPERIMENT_H
#define EXPERIMENT_H

#include "runconfig.h"

#include <stddef.h>
#include <stdint.h>

#define RUN_NAME_MAX 256
#define STUDY_NAME_MAX 64
#define EXPERIMENT_LINE_MAX 1024      /* bytes per line, without the newline */
#define EXPERIMENT_FILE_MAX (1 << 20) /* bytes per file */
#define EXPERIMENT_RUNS_MAX 100000    /* runs per file, seeds included */
/* values of one key: a list fills one line, so at most half as many values */
#define EXPERIMENT_VALUES_MAX (EXPERIMENT_LINE_MAX / 2 + 1)

typedef struct Experiment Experiment;

/* Parses an experiment file. Returns NULL with "path:line: message" in err
 * (ERR_MAX bytes) on unknown, duplicate or malformed keys and bad values, or
 * "path: message" for what has no line (unreadable, too large, no 'model'). */
Experiment *experiment_load(const char *path, char *err);
void experiment_free(Experiment *e);

/* The file's base name without ".exp" (or ".cfg", for a per-run config
 * written by the planner, whose "study" is then the run's name). */
const char *experiment_study(const Experiment *e);
const char *experiment_path(const Experiment *e);
/* The `title` value, or the study name when the file has none. */
const char *experiment_title(const Experiment *e);
/* The `description` value, or "" when the file has none. */
const char *experiment_description(const Experiment *e);
ModelKind experiment_model(const Experiment *e);
/* `alone = true`: the study's runs are timed, so they train one at a time
 * after every other run, and never share a training with another study. */
int experiment_alone(const Experiment *e);

/* Runs are numbered 0..experiment_run_count(e)-1 in run order. The seed varies
 * fastest: runs i and j share every setting but the seed exactly when
 * i / experiment_seed_count(e) == j / experiment_seed_count(e). */
size_t experiment_run_count(const Experiment *e);

/* Fills cfg and name (RUN_NAME_MAX bytes) for run i < experiment_run_count(e). */
void experiment_run(const Experiment *e, size_t i, RunConfig *cfg, char *name);

/* The seeds, in file order (one seed, 1, when the file has no `seeds`). */
size_t experiment_seed_count(const Experiment *e);
uint64_t experiment_seed(const Experiment *e, size_t k);

/* The swept keys: those given more than one value, in file order, `seeds`
 * not included. For j < experiment_sweep_count(e): the key ("lambda"), its
 * number of values and value v's text as written in the file (trimmed). */
size_t experiment_sweep_count(const Experiment *e);
const char *experiment_sweep_key(const Experiment *e, size_t j);
size_t experiment_sweep_value_count(const Experiment *e, size_t j);
const char *experiment_sweep_value(const Experiment *e, size_t j, size_t v);
/* Run i's value text for swept key j, e.g. "0.2" for "lambda-0.2,seed-1". */
const char *experiment_run_sweep(const Experiment *e, size_t i, size_t j);

/* Finds the run called name. Returns 0, or -1 with a message naming the file. */
int experiment_find_run(const Experiment *e, const char *name, RunConfig *cfg, char *err);

#endif
