/* progress.h - the progress of the runs one make command trains: `repro progress`.
 *
 * Before the first run starts, `repro progress start` (the Makefile's
 * progress-start, an order-only prerequisite of every run) finds the runs of
 * the goal that are not up to date (status.h: what make will run) and writes a
 * state file: the time, the number of jobs (-jN from MAKEFLAGS) and each run's
 * estimated cost (plan_run_cost: FLOPs of its matrix products) and model.
 * After each run, `repro progress done` appends the run and its measured CPU
 * time to that file, under a lock (runs end side by side), and prints:
 *   - on a terminal, one status line redrawn in place: runs done / total, CPU
 *     time done and estimated still to do, and the time left;
 *   - in a pipe or in CI (CI set), one plain line per run:
 *       [ 57/320] mlp-lr/learning_rate-0.1,seed-3: test accuracy 97.12% (12.3 s); about 10m15s left
 * and, after the last run, a line with the totals. The estimate of the CPU
 * time to do is each remaining run's cost times the measured CPU seconds per
 * FLOP of the finished runs of its model (softmax runs spend far more time
 * outside their products than MLP runs do), or a prior rate until a run of
 * that model has finished; the time left spreads it over the jobs.
 * Progress never fails a build: a state it cannot read or write costs the
 * count, not the run. */
#ifndef PROGRESS_H
#define PROGRESS_H

#include <stddef.h>

/* CPU seconds per FLOP before any run of the model has finished (measured on
 * a 2-core AMD EPYC with AVX-512: a softmax run at the defaults, 3.0e10
 * FLOPs, takes 0.5 s; a 784-128-10 network for 20 epochs, 7.3e11, 2.5 s). */
#define PROGRESS_PRIOR_SOFTMAX (1.0 / 6e10)
#define PROGRESS_PRIOR_MLP (1.0 / 2.9e11)

#define PROGRESS_NAME_MAX 320

typedef struct {
    char name[PROGRESS_NAME_MAX]; /* "study/run" */
    int model;      /* ModelKind */
    double cost;    /* plan_run_cost */
    int done;
    double cpu;     /* measured CPU seconds once done; NAN if unknown */
} ProgressRun;

typedef struct {
    double start; /* seconds since the epoch */
    int jobs;     /* runs side by side */
    ProgressRun *runs;
    size_t n_runs;
    size_t n_done;    /* runs of the list done */
    size_t n_extra;   /* runs done that the list did not have */
    double extra_cpu; /* their CPU seconds */
} Progress;

typedef struct {
    size_t done, total;
    double cpu_done;  /* measured CPU seconds of the finished runs */
    double cpu_left;  /* estimated CPU seconds of the others */
    double wall_left; /* estimated seconds until the last one ends */
    double elapsed;   /* seconds since start */
} ProgressEstimate;

/* The estimate at time now (seconds since the epoch). */
void progress_estimate(const Progress *p, double now, ProgressEstimate *e);

/* "3h05m", "12m30s", "42s", "0.5s" into buf (at least 16 bytes). */
void progress_duration(double seconds, char *buf, size_t size);

/* The jobs a MAKEFLAGS value asks for: N for -jN, 0 for -j (no limit), 1 when
 * it has none. */
int progress_jobs(const char *makeflags);

/* Parses the state file text (NUL-terminated) into p. Returns 0, or -1 with
 * err (ERR_MAX bytes) naming the line. */
int progress_parse(const char *text, Progress *p, char *err);
void progress_release(Progress *p);

#endif
