/* runpath.h - where a run's files are: <results>/<dataset>/<study>/<run>/<file>
 * (README.md, "A run's own files"). Built in one place, for the planner, the
 * status, the results reader and the manifest; split in one place, for the
 * trainer's output names and the progress lines. The file names themselves
 * are rundir.h's. */
#ifndef RUNPATH_H
#define RUNPATH_H

#include "experiment.h"

#include <stddef.h>

/* A run's names, as its directory files it. */
typedef struct {
    char dataset[RUN_NAME_MAX];
    char study[RUN_NAME_MAX];
    char run[RUN_NAME_MAX];
} RunName;

/* "<root>/<dataset>/<study>/<run>" into out (size bytes), then "/<file>"
 * unless file is NULL (the run's directory). dataset NULL: root is already
 * the dataset's results directory ("results/mnist"). Returns 0, or -1 when the
 * path does not fit (out then holds a cut path; the caller names the error). */
int run_path(char *out, size_t size, const char *root, const char *dataset, const char *study,
             const char *run, const char *file);

/* The planner's single-run experiment file of the run (cfgfile.h):
 * "<runs_root>/<dataset>/<study>/<run>.cfg" into out. 0, or -1 when it does
 * not fit. */
int run_config_path(char *out, size_t size, const char *runs_root, const char *dataset,
                    const char *study, const char *run);

/* The names in a run's path ".../<dataset>/<study>/<run>", or in the path of
 * one of its files (a name rundir_file_name gives), trailing slashes ignored.
 * Returns how many of the three components the path has (0..3); a name the
 * path lacks is its first component ("seed-1" alone: all three "seed-1"). */
int run_path_split(const char *path, RunName *out);

/* "DATASET/STUDY/RUN" (train --name) into out. Returns 0, or -1 with
 * "'NAME' is not DATASET/STUDY/RUN" in err (ERR_MAX bytes). */
int run_name_parse(const char *name, RunName *out, char *err);

#endif
