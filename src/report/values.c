/* values.c - the cited values' map and its files (values.h). */
#include "report/values.h"

#include "atomic.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

int values_fail(Values *v, const char *fmt, const char *what)
{
    if (!v->err[0])
        snprintf(v->err, sizeof v->err, fmt, what);
    return -1;
}

/* Room for one more value; -1 when out of memory. */
static int values_grow(Values *v)
{
    if (v->n < v->cap)
        return 0;
    size_t cap = v->cap ? 2 * v->cap : 256;
    char **k = realloc(v->key, cap * sizeof *k);
    if (k)
        v->key = k;
    char **t = k ? realloc(v->text, cap * sizeof *t) : NULL;
    if (t)
        v->text = t;
    if (!k || !t)
        return -1;
    v->cap = cap;
    return 0;
}

int values_set(Values *v, const char *key, const char *fmt, ...)
{
    if (v->err[0])
        return -1;
    char text[VALUES_TEXT_MAX];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof text)
        return values_fail(v, "tabulate: value of '%s' too long", key);
    if (strpbrk(key, "\t\n\r") || strpbrk(text, "\t\n\r") || !*key)
        return values_fail(v, "tabulate: key '%s' or its text holds a tab or newline", key);
    if (values_get(v, key))
        return values_fail(v, "tabulate: key '%s' set twice", key);
    if (values_grow(v) != 0)
        return values_fail(v, "tabulate: out of memory at '%s'", key);
    v->key[v->n] = strdup(key);
    v->text[v->n] = strdup(text);
    if (!v->key[v->n] || !v->text[v->n]) {
        free(v->key[v->n]);
        free(v->text[v->n]);
        return values_fail(v, "tabulate: out of memory at '%s'", key);
    }
    v->n++;
    return 0;
}

const char *values_get(const Values *v, const char *key)
{
    for (size_t i = 0; i < v->n; i++)
        if (strcmp(v->key[i], key) == 0)
            return v->text[i];
    return NULL;
}

void values_release(Values *v)
{
    for (size_t i = 0; i < v->n; i++) {
        free(v->key[i]);
        free(v->text[i]);
    }
    free(v->key);
    free(v->text);
    memset(v, 0, sizeof *v);
}

ValueKey key_of(const char *fmt, ...)
{
    ValueKey k;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(k.s, sizeof k.s, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof k.s)
        k.s[sizeof k.s - 2] = '\t'; /* too long: values_set rejects it */
    return k;
}

/* Indices of v sorted by key (heap; caller frees). */
static size_t *sorted_order(const Values *v)
{
    size_t *idx = malloc((v->n ? v->n : 1) * sizeof *idx);
    if (!idx)
        return NULL;
    for (size_t i = 0; i < v->n; i++)
        idx[i] = i;
    /* insertion sort: a few thousand keys, and stable */
    for (size_t i = 1; i < v->n; i++)
        for (size_t j = i; j > 0 && strcmp(v->key[idx[j - 1]], v->key[idx[j]]) > 0; j--) {
            size_t t = idx[j];
            idx[j] = idx[j - 1];
            idx[j - 1] = t;
        }
    return idx;
}

int values_write_tsv(const Values *v, FILE *f)
{
    size_t *idx = sorted_order(v);
    if (!idx)
        return -1;
    for (size_t i = 0; i < v->n; i++)
        fprintf(f, "%s\t%s\n", v->key[idx[i]], v->text[idx[i]]);
    free(idx);
    return ferror(f) ? -1 : 0;
}

int values_save_tsv(const Values *v, const char *path, char *err)
{
    AtomicFile a;
    if (atomic_open(&a, path, err) != 0)
        return -1;
    if (values_write_tsv(v, a.f) != 0) {
        atomic_abort(&a);
        return err_set(err, "'%s': write error", path);
    }
    return atomic_commit(&a, err);
}

int values_save_json(const Values *v, const char *path, char *err)
{
    json_t *obj = json_object();
    int rc = obj ? 0 : -1;
    for (size_t i = 0; i < v->n && rc == 0; i++)
        rc = json_object_set_new(obj, v->key[i], json_string(v->text[i]));
    if (rc == 0)
        rc = atomic_write_json(path, obj, JSON_SORT_KEYS | JSON_INDENT(1), err);
    else
        err_set(err, "'%s': cannot encode the values", path);
    json_decref(obj);
    return rc;
}
