/* fuzz_experiment.c - the experiment-file parser (experiment.h) on arbitrary
 * bytes, and the round trip of every run's configuration through
 * runconfig_format.
 *
 * The input is written to "fuzz.exp" and loaded. A failure must come with a
 * one-line message naming the file. A success must describe a consistent set
 * of runs (count = seeds x product of the sweep sizes, names built from the
 * swept values as the header says), and each checked run's configuration,
 * formatted and parsed back, must give a RunConfig identical byte for byte
 * (the header promises cleared padding and unused fields).
 *
 * Which runs are checked: all of them when there are at most RUNS_ALL; else
 * the first RUNS_ALL and, for v = 0, 1, ..., the run that takes value
 * v mod n of every sweep and seed v mod n_seeds, so every value of every key
 * goes through the round trip. (A file may have 100000 runs, and each round
 * trip writes and parses a file, so checking every run would make single
 * inputs take seconds; the formatter prints each field on its own, so the
 * values, not their combinations, are what it can get wrong.) */
#include "fuzz.h"

#include "err.h"
#include "experiment.h"
#include "cfgfile.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME "experiment"
#define RUNS_ALL 64

/* The run name built from the accessors, in a buffer too large to truncate:
 * "key-value," for each sweep in order, then "seed-<text as written>"; the
 * seed's text is not exposed, so the part after "seed-" is compared apart. */
static void check_name(const Experiment *e, size_t i, const char *name)
{
    char want[64 * 1024];
    size_t len = 0;
    for (size_t j = 0; j < experiment_sweep_count(e); j++)
        len += (size_t)snprintf(want + len, sizeof want - len, "%s-%s,",
                                experiment_sweep_key(e, j), experiment_run_sweep(e, i, j));
    snprintf(want + len, sizeof want - len, "seed-");
    len += 5;
    if (strlen(name) >= RUN_NAME_MAX)
        fuzz_fail(NAME, "run %zu: name of %zu bytes", i, strlen(name));
    if (strncmp(name, want, len) != 0)
        fuzz_fail(NAME, "run %zu is named '%s', expected it to start with '%s'", i, name, want);
    char *end;
    uint64_t seed = strtoull(name + len, &end, 10);
    if (*end != '\0' || end == name + len ||
        seed != experiment_seed(e, i % experiment_seed_count(e)))
        fuzz_fail(NAME, "run %zu is named '%s': wrong seed part", i, name);
}

/* Formats cfg, parses it back from its own file and compares. */
static void check_round_trip(const RunConfig *cfg, const char *run)
{
    char text[4096], err[ERR_MAX], name[RUN_NAME_MAX];
    int n = runconfig_format(cfg, text, sizeof text);
    if (n < 0 || (size_t)n >= sizeof text)
        fuzz_fail(NAME, "run '%s': runconfig_format returned %d", run, n);
    if (strlen(text) != (size_t)n)
        fuzz_fail(NAME, "run '%s': runconfig_format length %d, text of %zu", run, n,
                  strlen(text));
    const char *path = fuzz_path("round-trip.cfg");
    fuzz_write(path, text, (size_t)n);
    memset(err, 0, sizeof err);
    Experiment *back = experiment_load(path, err);
    if (!back)
        fuzz_fail(NAME, "run '%s': formatted config does not parse: %s\n%s", run, err, text);
    if (experiment_run_count(back) != 1 || experiment_sweep_count(back) != 0)
        fuzz_fail(NAME, "run '%s': formatted config has %zu runs", run,
                  experiment_run_count(back));
    RunConfig got;
    memset(&got, 0xa5, sizeof got); /* a field experiment_run leaves alone shows up */
    experiment_run(back, 0, &got, name);
    if (memcmp(&got, cfg, sizeof got) != 0)
        fuzz_fail(NAME, "run '%s': config differs after the round trip through\n%s", run, text);
    char want[64];
    snprintf(want, sizeof want, "seed-%" PRIu64, cfg->seed);
    if (strcmp(name, want) != 0)
        fuzz_fail(NAME, "run '%s': round-trip run named '%s', expected '%s'", run, name, want);
    experiment_free(back);
}

static void check_run(const Experiment *e, size_t i)
{
    RunConfig cfg;
    char name[RUN_NAME_MAX];
    memset(&cfg, 0x5a, sizeof cfg);
    experiment_run(e, i, &cfg, name);
    check_name(e, i, name);
    check_round_trip(&cfg, name);
}

static void check_experiment(const Experiment *e)
{
    size_t n_runs = experiment_run_count(e), n_seeds = experiment_seed_count(e);
    size_t n_sweeps = experiment_sweep_count(e), product = n_seeds, widest = n_seeds;
    if (n_runs == 0 || n_runs > EXPERIMENT_RUNS_MAX || n_seeds == 0)
        fuzz_fail(NAME, "%zu runs, %zu seeds", n_runs, n_seeds);
    if (strcmp(experiment_study(e), "fuzz") != 0)
        fuzz_fail(NAME, "study '%s' for 'fuzz.exp'", experiment_study(e));
    for (size_t j = 0; j < n_sweeps; j++) {
        size_t nv = experiment_sweep_value_count(e, j);
        if (nv < 2)
            fuzz_fail(NAME, "sweep '%s' of %zu values", experiment_sweep_key(e, j), nv);
        for (size_t v = 0; v < nv; v++)
            if (!*experiment_sweep_value(e, j, v))
                fuzz_fail(NAME, "sweep '%s': empty value", experiment_sweep_key(e, j));
        product *= nv;
        if (nv > widest)
            widest = nv;
    }
    if (product != n_runs)
        fuzz_fail(NAME, "%zu runs, but the sweeps and seeds make %zu", n_runs, product);
    (void)experiment_title(e);
    (void)experiment_description(e);

    if (n_runs <= RUNS_ALL) {
        for (size_t i = 0; i < n_runs; i++)
            check_run(e, i);
    } else {
        for (size_t i = 0; i < RUNS_ALL; i++)
            check_run(e, i);
        for (size_t v = 0; v < widest; v++) {
            size_t i = 0;
            for (size_t j = 0; j < n_sweeps; j++)
                i = i * experiment_sweep_value_count(e, j) +
                    v % experiment_sweep_value_count(e, j);
            i = i * n_seeds + v % n_seeds;
            check_run(e, i);
        }
    }

    /* finding a run by name gives that run (first and last: names are unique) */
    size_t probe[2] = {0, n_runs - 1};
    for (int k = 0; k < 2; k++) {
        RunConfig want, got;
        char name[RUN_NAME_MAX], err[ERR_MAX];
        memset(&want, 0, sizeof want);
        memset(&got, 0, sizeof got);
        experiment_run(e, probe[k], &want, name);
        if (experiment_find_run(e, name, &got, err) != 0)
            fuzz_fail(NAME, "run '%s' not found by name: %s", name, err);
        if (memcmp(&want, &got, sizeof got) != 0)
            fuzz_fail(NAME, "run '%s' found by name has another config", name);
    }
}

int fuzz_experiment(const uint8_t *data, size_t size)
{
    const char *path = fuzz_path("fuzz.exp");
    char saved[600], err[ERR_MAX];
    snprintf(saved, sizeof saved, "%s", path);
    fuzz_write(saved, data, size);
    memset(err, 0, sizeof err);
    Experiment *e = experiment_load(saved, err);
    if (!e) {
        fuzz_check_err(NAME, err, saved);
        return 0;
    }
    check_experiment(e);
    experiment_free(e);
    return 0;
}

#ifdef FUZZ_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_experiment(data, size);
}
#endif
