/* atomic.h - files that appear whole or not at all.
 *
 * Every output of the project is written to a temporary name in the same
 * directory and renamed into place only after every write, the flush and the
 * close have succeeded, so a killed or failed run never leaves a file that make
 * (or a reader) could take for a finished one. */
#ifndef ATOMIC_H
#define ATOMIC_H

#include <stddef.h>
#include <stdio.h>

typedef struct {
    FILE *f;
    char *path; /* final name */
    char *tmp;  /* "<dir>/.<name>.tmp.<pid>" */
} AtomicFile;

/* Opens a temporary file beside path for writing. Returns 0, or -1 with err. */
int atomic_open(AtomicFile *a, const char *path, char *err);

/* Flushes, syncs, closes and renames into place. On any failure (a full disk,
 * say) the temporary file is removed, nothing is renamed, and -1 is returned
 * with err naming the final path. Either way a is released. */
int atomic_commit(AtomicFile *a, char *err);

/* Closes and removes the temporary file; a is released. */
void atomic_abort(AtomicFile *a);

/* Writes n bytes to path atomically. */
int atomic_write(const char *path, const void *data, size_t n, char *err);

/* Writes root as JSON text (json_dumps with flags) and a final newline to path
 * atomically. root is not consumed. (jansson's json_t, declared here as the
 * struct it is, so that the users of atomic files need not include jansson.) */
struct json_t;
int atomic_write_json(const char *path, const struct json_t *root, size_t flags, char *err);

/* mkdir -p: creates path and its missing parents (mode 0777 & ~umask). */
int make_dirs(const char *path, char *err);

#endif
