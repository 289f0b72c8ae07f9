/* manifest.h - the provenance manifest and the comparison behind `make verify`.
 *
 * A manifest (JSON) records what a report was built from and what it found:
 *   "data"         SHA-256 of each data file
 *   "experiments"  SHA-256 of each experiment file
 *   "runs"         per run "study/run": the SHA-256 of summary.json,
 *                  epochs.csv and iterations.csv (never timing.json) and its
 *                  headline metrics, so a difference can be shown as a delta
 *   "environment"  git commit and whether the tree was dirty, compiler and
 *                  flags, CPU model, the kernel paths and the architectures
 *                  the runs used (from their timing.json), versions of zlib,
 *                  Check, jansson, OpenSSL, gnuplot and pandoc
 * Only "data", "experiments" and "runs" are compared: the environment says
 * where a result came from and is expected to differ between machines. */
#ifndef MANIFEST_H
#define MANIFEST_H

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
} ManifestOptions;

/* Hashes everything and writes the manifest to out atomically. Every run the
 * experiments list must have finished (summary.json present). Returns 0, or -1
 * with err (ERR_MAX bytes). */
int manifest_write(const ManifestOptions *o, const char *out, char *err);

/* Compares actual against expected, restricted to the studies listed (all when
 * n_studies is 0). Writes one line per difference to report, then a closing
 * line "verify: N runs identical, N differ, N missing". Stores the number of
 * differences in *n_diff. Returns 0, or -1 with err if a manifest cannot be
 * read (naming the file, line and column). */
int manifest_compare(const char *expected, const char *actual, const char *const *studies,
                     size_t n_studies, FILE *report, size_t *n_diff, char *err);

#endif
