/* values.h - the report's cited values: an ordered key -> text map with a
 * sticky error, the keys' builder, and the two files it is written to.
 *
 * A key names one value the prose cites ("softmax-lambda:lambda-0.2:test_acc",
 * tabulate.h lists them); its text is what the report prints ("90.15"). Keys
 * and texts hold no tab or newline (the TSV is read line by line by the
 * report's filter), and a key is set once. */
#ifndef VALUES_H
#define VALUES_H

#include "err.h"

#include <stddef.h>
#include <stdio.h>

#define VALUES_TEXT_MAX 2048 /* bytes of one value's text, NUL included */
#define VALUES_KEY_MAX 512   /* bytes of one key, NUL included */

typedef struct {
    char **key;
    char **text;
    size_t n, cap;
    char err[ERR_MAX]; /* the first failure; "" while none */
} Values;

/* Sets key to the formatted text. A duplicate key, a tab or newline in key or
 * text, or no memory records an error in v->err and returns -1; later calls
 * keep the first error. */
int values_set(Values *v, const char *key, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
const char *values_get(const Values *v, const char *key); /* NULL if absent */
void values_release(Values *v);

/* Records an error in v->err as values_set does (fmt has one %s: what);
 * returns -1. */
int values_fail(Values *v, const char *fmt, const char *what);

/* A key built from parts, used as values_set(v, key_of("%s:label", p).s, ...):
 * the struct lives until the end of the full expression (C11 6.2.4p8). A key
 * too long for VALUES_KEY_MAX comes out as a text with a tab, which values_set
 * rejects, so it never truncates silently. */
typedef struct {
    char s[VALUES_KEY_MAX];
} ValueKey;
ValueKey key_of(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* "key<TAB>text\n" per value, sorted by key. Returns 0 or -1 (write error). */
int values_write_tsv(const Values *v, FILE *f);

/* The values into path, atomically: as TSV (above), or as one JSON object
 * {"key": "text", ...} with sorted keys. Return 0, or -1 with err. */
int values_save_tsv(const Values *v, const char *path, char *err);
int values_save_json(const Values *v, const char *path, char *err);

#endif
