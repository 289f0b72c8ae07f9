/* manifest.h - the provenance manifest and the comparison behind `make verify`.
 *
 * A manifest (JSON) records what a report was built from and what it found:
 *   "data"         SHA-256 of each data file
 *   "experiments"  SHA-256 of each experiment file
 *   "runs"         per run "study/run": the SHA-256 of summary.json,
 *                  epochs.csv and iterations.csv (never timing.json) and its
 *                  headline metrics, so a difference can be shown as a delta,
 *                  and "ran_on": the node, CPU model and kernel path it ran
 *                  with (from timing.json; never compared)
 *   "environment"  git commit and whether the tree was dirty, compiler and
 *                  flags, CPU model, the kernel paths and the architectures
 *                  the runs used (from their timing.json), versions of zlib,
 *                  Check, jansson, OpenSSL, gnuplot and pandoc
 * Only "data", "experiments" and "runs" are compared: the environment says
 * where a result came from and is expected to differ between machines. */
#ifndef MANIFEST_H
#define MANIFEST_H

#include "experiment.h"

#include <stddef.h>
#include <stdio.h>

typedef struct {
    const char *dataset;     /* "mnist" */
    const char *results_dir; /* results/<dataset> */
    const char *data_dir;    /* data/<dataset> */
    const char *build_dir;   /* build/release: its "flags" file names the compiler and flags */
    const char *const *exps; /* experiment files: they list the runs */
    size_t n_exps;
    const char *values;      /* if not NULL: also write the appendix summary here (TSV) */
    size_t sample;           /* 0: every run; N: a sample, the first N seeds of each
                                configuration (manifest_in_sample) */
} ManifestOptions;

/* Whether run i of e is in the sample of the first n seeds of every
 * configuration (runs i and j share a configuration exactly when
 * i / seeds == j / seeds: experiment.h); every run when n is 0. */
int manifest_in_sample(const Experiment *e, size_t i, size_t n);

/* Hashes everything and writes the manifest to out atomically. Every run the
 * experiments list must have finished (summary.json present). Returns 0, or -1
 * with err (ERR_MAX bytes). */
int manifest_write(const ManifestOptions *o, const char *out, char *err);

/* Reads the manifest at path and checks what manifest_compare relies on, the
 * types included ("format" the number 1, metrics numbers, hashes strings).
 * Returns 0, or -1 with err naming the file and the line and column of a
 * syntax error or the member that is wrong. */
int manifest_check(const char *path, char *err);

/* Compares actual against expected, restricted to the studies listed (all when
 * n_studies is 0) and, when sample is N > 0, to the sample of the first N
 * seeds of every configuration: in each manifest, the runs whose names differ
 * only in their seed part ("seed-K", last) form a configuration, and its first
 * N in manifest order (the experiment file's seed order) are the sample.
 * Writes one line per difference to report, then lines saying where the runs
 * of each manifest ran ("expected ran on NODE (CPU, KERNEL PATH): N runs",
 * then "actual ..."), then a closing line "verify: N runs identical, N differ,
 * N missing, N unexpected; checked N of the N expected runs (P%...)". Stores
 * the number of differences in *n_diff. Returns 0, or -1 with err if a
 * manifest cannot be read (naming the file, line and column) or is not a
 * manifest. */
int manifest_compare(const char *expected, const char *actual, const char *const *studies,
                     size_t n_studies, size_t sample, FILE *report, size_t *n_diff, char *err);

#endif
