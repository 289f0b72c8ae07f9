/* testutil.h - helpers shared by the Check suites: fresh temporary directories
 * and small files written raw or gzip-compressed. Tests never write into the
 * current directory. */
#ifndef TESTUTIL_H
#define TESTUTIL_H

#include "rng.h"

#include <stddef.h>
#include <stdint.h>

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

/* v[i] = N(0, scale^2) draws; labels uniform below classes. */
void tu_fill_normal(float *v, size_t count, float scale, Rng *r);
void tu_fill_labels(uint8_t *labels, size_t n, uint32_t classes, Rng *r);

/* A scalar function of some float parameters, evaluated in double. */
typedef double (*ScalarFn)(void *ctx);

/* The gradient checker of every model test: central differences on the float
 * parameters p[0..count) against the analytic gradient g. The step actually
 * taken is the difference of the two rounded float values. Passes when, per
 * element, |num - g| <= tol * (|num| + |g|) + floor_abs and, over the whole
 * vector, ||num - g|| <= tol * ||g||, and when ||g|| is not tiny, so an
 * all-zero (or missing) gradient cannot pass. Returns 1 on a pass, else 0 with
 * the reason in why (256 bytes). */
int tu_gradient_matches(float *p, const float *g, size_t count, ScalarFn f, void *ctx, double eps,
                        double tol, double floor_abs, char *why);

#endif
