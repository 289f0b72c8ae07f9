/* testutil.h - helpers shared by the Check suites: fresh temporary directories
 * and small files written raw or gzip-compressed. Tests never write into the
 * current directory. */
#ifndef TESTUTIL_H
#define TESTUTIL_H

#include <stddef.h>

/* Creates a fresh directory under $TMPDIR (or /tmp); returns a heap path. */
char *tu_tmpdir(void);

/* Joins dir and name into a heap path. */
char *tu_path(const char *dir, const char *name);

/* Writes n bytes to path, raw or gzip-compressed; 0 on success. */
int tu_write(const char *path, const void *data, size_t n);
int tu_write_gz(const char *path, const void *data, size_t n);

/* Reads a whole file into a NUL-terminated heap buffer (length in *n). */
char *tu_read(const char *path, size_t *n);

/* Removes dir and everything below it. */
void tu_rmtree(const char *dir);

#endif
