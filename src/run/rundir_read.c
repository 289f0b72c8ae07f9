/* rundir_read.c - the strict reader of a run directory (rundir.h); the names
 * and the writer are in rundir.c. */
#include "rundir.h"

#include "err.h"
#include "fileio.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- small helpers ------------------------------------------------------ */

static int join_path(char *out, size_t size, const char *dir, const char *name, char *err)
{
    int n = snprintf(out, size, "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= size)
        return err_set(err, "results: '%s/%s': path too long", dir, name);
    return 0;
}

static int copy_text(char *dst, size_t size, const char *src)
{
    size_t n = strlen(src);
    if (n >= size)
        return -1;
    memcpy(dst, src, n + 1);
    return 0;
}

/* Reads a whole file (less than RESULTS_FILE_MAX bytes) into a NUL-terminated
 * heap buffer. */
static char *read_all(const char *path, size_t *len, char *err)
{
    char *text;
    switch (file_read_all(path, (size_t)RESULTS_FILE_MAX - 1, &text, len)) {
    case FILE_READ_OK:
        return text;
    case FILE_READ_OPEN:
        err_set(err, "'%s': %s", path, strerror(errno));
        return NULL;
    case FILE_READ_MEMORY:
        err_set(err, "'%s': out of memory", path);
        return NULL;
    case FILE_READ_ERROR:
        err_set(err, "'%s': read error", path);
        return NULL;
    default:
        err_set(err, "'%s': larger than %ld bytes", path, RESULTS_FILE_MAX);
        return NULL;
    }
}

/* ---- summary.json ------------------------------------------------------- */

/* obj's member key, or NULL when obj is no object or has none. */
static json_t *get(json_t *obj, const char *key)
{
    return json_is_object(obj) ? json_object_get(obj, key) : NULL;
}

static int want_string(json_t *obj, const char *key, char *dst, size_t size,
                       const char *path, char *err)
{
    json_t *v = get(obj, key);
    if (!json_is_string(v))
        return err_set(err, "'%s': key '%s': expected a string", path, key);
    if (copy_text(dst, size, json_string_value(v)) != 0)
        return err_set(err, "'%s': key '%s': longer than %zu bytes", path, key, size - 1);
    return 0;
}

static int want_number(json_t *obj, const char *key, double *dst, const char *path, char *err)
{
    json_t *v = get(obj, key);
    if (!json_is_number(v))
        return err_set(err, "'%s': key '%s': expected a number", path, key);
    *dst = json_number_value(v);
    if (!isfinite(*dst))
        return err_set(err, "'%s': key '%s': not finite", path, key);
    return 0;
}

/* An integer in [lo, hi]. */
static int want_int(json_t *obj, const char *key, long long lo, long long hi, long long *dst,
                    const char *path, char *err)
{
    json_t *v = get(obj, key);
    if (!json_is_integer(v))
        return err_set(err, "'%s': key '%s': expected an integer", path, key);
    *dst = json_integer_value(v);
    if (*dst < lo || *dst > hi)
        return err_set(err, "'%s': key '%s': %lld out of range [%lld, %lld]", path, key, *dst,
                       lo, hi);
    return 0;
}

/* A number, or null which reads as NAN. */
static int want_number_or_null(json_t *obj, const char *key, double *dst, const char *path,
                               char *err)
{
    json_t *v = get(obj, key);
    if (json_is_null(v)) {
        *dst = NAN;
        return 0;
    }
    if (!json_is_number(v))
        return err_set(err, "'%s': key '%s': expected a number or null", path, key);
    *dst = json_number_value(v);
    return 0;
}

/* summary.json's "config": the fields by their names in runconfig.h. */
#define KEY(f) config_field_name(f)
static int parse_config(json_t *cfg, RunConfig *c, const char *path, char *err)
{
    char text[RESULTS_TEXT_MAX];
    long long i = 0;
    memset(c, 0, sizeof *c);
    if (!json_is_object(cfg))
        return err_set(err, "'%s': key 'config': expected an object", path);
    if (want_string(cfg, KEY(CFG_MODEL), text, sizeof text, path, err) != 0)
        return -1;
    if (model_from_name(text, &c->model) != 0)
        return err_set(err, "'%s': key 'config.%s': unknown model '%s'", path, KEY(CFG_MODEL), text);
    if (want_number(cfg, KEY(CFG_LEARNING_RATE), &c->learning_rate, path, err) != 0 ||
        want_int(cfg, KEY(CFG_BATCH_SIZE), 1, 1 << 24, &i, path, err) != 0)
        return -1;
    c->batch_size = (int)i;
    if (want_int(cfg, KEY(CFG_MAX_EPOCH), 1, 1 << 20, &i, path, err) != 0)
        return -1;
    c->max_epoch = (int)i;
    if (want_int(cfg, KEY(CFG_SEED), 0, INT64_MAX, &i, path, err) != 0)
        return -1;
    c->seed = (uint64_t)i;
    /* absent: the default, the homework's protocol */
    json_t *proto = get(cfg, KEY(CFG_PROTOCOL));
    if (proto) {
        const char *t = json_is_string(proto) ? json_string_value(proto) : "";
        if (protocol_from_name(t, &c->protocol) != 0)
            return err_set(err, "'%s': key 'config.%s': expected %s or %s", path,
                           KEY(CFG_PROTOCOL), protocol_name(PROTOCOL_HOMEWORK),
                           protocol_name(PROTOCOL_EVERY_IMAGE));
    }
    if (c->model == MODEL_SOFTMAX) {
        if (want_number(cfg, KEY(CFG_LAMBDA), &c->lambda, path, err) != 0)
            return -1;
        json_t *ar = get(cfg, KEY(CFG_AS_REPORTED));
        if (!json_is_boolean(ar))
            return err_set(err, "'%s': key 'config.%s': expected true or false", path, KEY(CFG_AS_REPORTED));
        c->as_reported = json_is_true(ar);
        json_t *ho = get(cfg, KEY(CFG_HOLDOUT)); /* absent: false */
        if (ho && !json_is_boolean(ho))
            return err_set(err, "'%s': key 'config.%s': expected true or false", path, KEY(CFG_HOLDOUT));
        c->holdout = ho && json_is_true(ho);
        return 0;
    }
    if (want_number(cfg, KEY(CFG_WEIGHT_DECAY), &c->weight_decay, path, err) != 0)
        return -1;
    json_t *hidden = get(cfg, KEY(CFG_HIDDEN));
    if (!json_is_array(hidden) || json_array_size(hidden) < 1 ||
        json_array_size(hidden) > MAX_HIDDEN)
        return err_set(err, "'%s': key 'config.%s': expected 1 to %d layer sizes", path, KEY(CFG_HIDDEN),
                       MAX_HIDDEN);
    c->n_hidden = (int)json_array_size(hidden);
    for (size_t k = 0; k < json_array_size(hidden); k++) {
        json_t *h = json_array_get(hidden, k);
        if (!json_is_integer(h) || json_integer_value(h) < 1 || json_integer_value(h) > 1 << 20)
            return err_set(err, "'%s': key 'config.%s': bad layer size at index %zu", path, KEY(CFG_HIDDEN),
                           k);
        c->hidden[k] = (int)json_integer_value(h);
    }
    if (want_string(cfg, KEY(CFG_ACTIVATION), text, sizeof text, path, err) != 0)
        return -1;
    if (activation_from_name(text, &c->activation) != 0)
        return err_set(err, "'%s': key 'config.%s': unknown '%s'", path, KEY(CFG_ACTIVATION), text);
    if (want_string(cfg, KEY(CFG_LOSS), text, sizeof text, path, err) != 0)
        return -1;
    if (loss_from_name(text, &c->loss) != 0)
        return err_set(err, "'%s': key 'config.%s': unknown '%s'", path, KEY(CFG_LOSS), text);
    return 0;
}
#undef KEY

static int json_error(const char *path, const json_error_t *je, char *err)
{
    if (je->line < 0)
        return err_set(err, "'%s': %s", path, je->text);
    return err_set(err, "'%s':%d:%d: %s (byte %d)", path, je->line, je->column, je->text,
                   je->position);
}

/* "sweep": the swept keys and their value texts. */
static int parse_sweep(json_t *sweep, RunResult *r, const char *path, char *err)
{
    if (!json_is_object(sweep))
        return err_set(err, "'%s': key 'sweep': expected an object", path);
    const char *key;
    json_t *val;
    json_object_foreach(sweep, key, val)
    {
        if (r->n_sweep == RESULTS_SWEEP_MAX)
            return err_set(err, "'%s': key 'sweep': more than %d keys", path, RESULTS_SWEEP_MAX);
        if (!json_is_string(val) ||
            copy_text(r->sweep_key[r->n_sweep], RESULTS_TEXT_MAX, key) != 0 ||
            copy_text(r->sweep_value[r->n_sweep], RESULTS_TEXT_MAX, json_string_value(val)) != 0)
            return err_set(err, "'%s': key 'sweep.%s': expected a short string", path, key);
        r->n_sweep++;
    }
    return 0;
}

/* "final": every metric, a number in range or null where the model or the run
 * has none. */
static int parse_final(json_t *final, RunResult *r, const char *path, char *err)
{
    if (!json_is_object(final))
        return err_set(err, "'%s': key 'final': expected an object", path);
    for (int m = 0; m < METRIC_COUNT; m++) {
        char k[64];
        snprintf(k, sizeof k, "final.%s", metric_name((Metric)m));
        if (!get(final, metric_name((Metric)m)))
            return err_set(err, "'%s': key '%s': missing", path, k);
        if (want_number_or_null(final, metric_name((Metric)m), &r->final[m], path, err) != 0)
            return err_set(err, "'%s': key '%s': expected a number or null", path, k);
        double v = r->final[m];
        if (!isnan(v) && metric_is_acc((Metric)m) && !(v >= 0.0 && v <= 1.0))
            return err_set(err, "'%s': key '%s': accuracy %g outside [0, 1]", path, k, v);
        if (isnan(v) && metric_recorded(&r->config, (Metric)m) && r->epochs_completed > 0)
            return err_set(err, "'%s': key '%s': null in a run with completed epochs", path, k);
    }
    return 0;
}

static int parse_summary(RunResult *r, const char *path, char *err)
{
    json_error_t je;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!root)
        return json_error(path, &je, err);
    int rc = -1;
    long long i = 0;
    double d = 0.0;
    if (!json_is_object(root)) {
        err_set(err, "'%s': expected a JSON object", path);
        goto out;
    }
    if (want_int(root, "format", 1, 1, &i, path, err) != 0 ||
        want_string(root, "dataset", r->dataset, sizeof r->dataset, path, err) != 0 ||
        want_string(root, "study", r->study, sizeof r->study, path, err) != 0 ||
        want_string(root, "run", r->run, sizeof r->run, path, err) != 0 ||
        want_string(root, "data_sha256", r->data_sha256, sizeof r->data_sha256, path, err) != 0)
        goto out;

    if (parse_sweep(get(root, "sweep"), r, path, err) != 0)
        goto out;
    if (parse_config(get(root, "config"), &r->config, path, err) != 0)
        goto out;

    char status[RESULTS_TEXT_MAX];
    if (want_string(root, "status", status, sizeof status, path, err) != 0)
        goto out;
    if (strcmp(status, run_status_name(RUN_OK)) == 0) {
        r->status = RUN_OK;
    } else if (strcmp(status, run_status_name(RUN_DIVERGED)) == 0) {
        r->status = RUN_DIVERGED;
    } else {
        err_set(err, "'%s': key 'status': expected \"%s\" or \"%s\", found \"%s\"", path,
                run_status_name(RUN_OK), run_status_name(RUN_DIVERGED), status);
        goto out;
    }
    if (want_int(root, "epochs_completed", 0, r->config.max_epoch, &i, path, err) != 0)
        goto out;
    r->epochs_completed = (int)i;
    if (r->status == RUN_OK && r->epochs_completed != r->config.max_epoch) {
        err_set(err, "'%s': status ok but epochs_completed %d != max_epoch %d", path,
                r->epochs_completed, r->config.max_epoch);
        goto out;
    }
    if (r->status == RUN_DIVERGED) {
        if (want_int(root, "diverged_epoch", 1, r->config.max_epoch, &i, path, err) != 0)
            goto out;
        r->diverged_epoch = (int)i;
        json_t *it = get(root, "diverged_iteration");
        if (!json_is_null(it) &&
            want_int(root, "diverged_iteration", 1, INT64_MAX, &i, path, err) != 0)
            goto out;
        r->diverged_iteration = json_is_null(it) ? 0 : (long)i;
    } else if (!json_is_null(get(root, "diverged_epoch"))) {
        err_set(err, "'%s': key 'diverged_epoch': expected null for status ok", path);
        goto out;
    }
    if (want_int(root, "iterations", 0, INT64_MAX, &i, path, err) != 0)
        goto out;
    r->iterations = (long)i;
    if (want_number(root, "train_flops", &d, path, err) != 0)
        goto out;
    r->train_flops = d;
    static const char *const COUNTS[3] = {"train_images", "val_images", "test_images"};
    for (int k = 0; k < 3; k++) {
        r->images[k] = -1;
        if (get(root, COUNTS[k])) {
            if (want_int(root, COUNTS[k], 0, INT32_MAX, &i, path, err) != 0)
                goto out;
            r->images[k] = (long)i;
        }
    }

    if (parse_final(get(root, "final"), r, path, err) != 0)
        goto out;
    rc = 0;
out:
    json_decref(root);
    return rc;
}

/* ---- CSV ---------------------------------------------------------------- */

/* Cuts the next line off *p (which it advances). Returns NULL at the end of
 * the text; a last line without its newline is reported as truncated. */
static char *next_line(char **p, int *truncated)
{
    char *s = *p;
    if (!*s)
        return NULL;
    char *nl = strchr(s, '\n');
    if (!nl) {
        *truncated = 1;
        return NULL;
    }
    *nl = '\0';
    *p = nl + 1;
    return s;
}

/* Splits line at commas into at most max cells; returns the count (max + 1
 * when there are more). */
static int split_cells(char *line, char **cells, int max)
{
    int n = 0;
    for (char *s = line;; n++) {
        if (n == max)
            return max + 1;
        cells[n] = s;
        char *c = strchr(s, ',');
        if (!c)
            return n + 1;
        *c = '\0';
        s = c + 1;
    }
}

/* A decimal number taking the whole cell; "" gives NAN when empty_ok. */
static int cell_number(const char *cell, double *v, int empty_ok)
{
    if (!*cell) {
        *v = NAN;
        return empty_ok ? 0 : -1;
    }
    char *end;
    errno = 0;
    *v = strtod(cell, &end);
    return (*end || end == cell) ? -1 : 0;
}

static int cell_long(const char *cell, long *v)
{
    if (!*cell)
        return -1;
    char *end;
    errno = 0;
    long x = strtol(cell, &end, 10);
    if (*end || errno)
        return -1;
    *v = x;
    return 0;
}

/* One CSV file of a run: its header, the cells per row, and the rows that
 * summary.json announces (what names them in messages: "epoch" rows of the
 * "epochs completed"). row() checks and stores row n (0-based) from its cells,
 * the first of which the driver has checked to be n + 1. */
typedef struct {
    RunFile file;
    const char *header;
    int cells;
    long rows;
    const char *row_name, *count_name;
    /* after the header: allocates the rows for a file of len bytes */
    int (*start)(RunResult *r, size_t len, const char *path, char *err);
    int (*row)(RunResult *r, size_t n, char **cells, const char *path, int line, char *err);
} CsvSchema;

static int epochs_start(RunResult *r, size_t len, const char *path, char *err)
{
    (void)len;
    r->epochs = calloc(r->epochs_completed ? (size_t)r->epochs_completed : 1, sizeof *r->epochs);
    return r->epochs ? 0 : err_set(err, "'%s': out of memory", path);
}

static int iters_start(RunResult *r, size_t len, const char *path, char *err)
{
    if (r->iterations > (long)(len / 8)) /* a row takes 8 bytes at least: "1,1,0,0\n" */
        return err_set(err, "'%s': %zu bytes cannot hold the %ld iterations in summary.json",
                       path, len, r->iterations);
    r->iters = calloc(r->iterations ? (size_t)r->iterations : 1, sizeof *r->iters);
    return r->iters ? 0 : err_set(err, "'%s': out of memory", path);
}

static int epoch_row(RunResult *r, size_t n, char **cells, const char *path, int line, char *err)
{
    EpochRow *row = &r->epochs[n];
    row->epoch = (int)n + 1;
    for (int m = 0; m < RESULTS_EPOCH_METRICS; m++) {
        int absent = !metric_recorded(&r->config, (Metric)m);
        if (cell_number(cells[m + 1], &row->m[m], absent) != 0 || (absent && *cells[m + 1]))
            return err_set(err, "'%s':%d: column '%s': bad value '%s'", path, line,
                           metric_name((Metric)m), cells[m + 1]);
        double v = row->m[m];
        if (!isnan(v) && metric_is_acc((Metric)m) && !(v >= 0.0 && v <= 1.0))
            return err_set(err, "'%s':%d: column '%s': accuracy %s outside [0, 1]", path, line,
                           metric_name((Metric)m), cells[m + 1]);
    }
    r->n_epochs = n + 1;
    return 0;
}

static int iter_row(RunResult *r, size_t n, char **cells, const char *path, int line, char *err)
{
    IterRow *row = &r->iters[n];
    long ep;
    int prev = n ? r->iters[n - 1].epoch : 1;
    if (cell_long(cells[1], &ep) != 0 || ep < prev || ep > prev + 1 || ep > r->config.max_epoch)
        return err_set(err, "'%s':%d: bad epoch '%s' after epoch %d", path, line, cells[1], prev);
    if (cell_number(cells[2], &row->loss, 0) != 0 || cell_number(cells[3], &row->acc, 0) != 0)
        return err_set(err, "'%s':%d: bad number", path, line);
    if (!isnan(row->acc) && !(row->acc >= 0.0 && row->acc <= 1.0))
        return err_set(err, "'%s':%d: accuracy %s outside [0, 1]", path, line, cells[3]);
    row->iteration = (long)n + 1;
    row->epoch = (int)ep;
    r->n_iters = n + 1;
    return 0;
}

/* The rows of one CSV file: header, then sc->rows rows of sc->cells cells
 * numbered from 1, each ending in a newline. */
static int parse_rows(RunResult *r, const CsvSchema *sc, char *text, size_t len,
                      const char *path, char *err)
{
    enum { CELLS_MAX = RESULTS_EPOCH_METRICS + 1 };
    int line = 1, truncated = 0;
    char *p = text, *l = next_line(&p, &truncated);
    size_t n = 0;
    if (!l || strcmp(l, sc->header) != 0)
        return err_set(err, "'%s':1: expected the header '%s'", path, sc->header);
    if (sc->start(r, len, path, err) != 0)
        return -1;
    while ((l = (line++, next_line(&p, &truncated))) != NULL) {
        char *cells[CELLS_MAX];
        int k = split_cells(l, cells, sc->cells);
        if (k != sc->cells)
            return err_set(err, "'%s':%d: expected %d cells, found %s%d", path, line, sc->cells,
                           k > sc->cells ? "more than " : "", k > sc->cells ? sc->cells : k);
        if (n == (size_t)sc->rows)
            return err_set(err, "'%s':%d: more rows than the %ld %s in summary.json", path, line,
                           sc->rows, sc->count_name);
        long i;
        if (cell_long(cells[0], &i) != 0 || i != (long)n + 1)
            return err_set(err, "'%s':%d: expected %s %zu, found '%s'", path, line, sc->row_name,
                           n + 1, cells[0]);
        if (sc->row(r, n, cells, path, line, err) != 0)
            return -1;
        n++;
    }
    if (truncated)
        return err_set(err, "'%s':%d: truncated (no newline at the end of the file)", path, line);
    if (n != (size_t)sc->rows)
        return err_set(err, "'%s':%d: %zu %s rows, but summary.json says %ld %s", path, line, n,
                       sc->row_name, sc->rows, sc->count_name);
    return 0;
}

/* Reads dir's file of schema sc into r. */
static int parse_csv(RunResult *r, const char *dir, const CsvSchema *sc, char *err)
{
    char path[sizeof r->path + 32];
    size_t len;
    if (join_path(path, sizeof path, dir, rundir_file_name(sc->file), err) != 0)
        return -1;
    char *text = read_all(path, &len, err);
    if (!text)
        return -1;
    int rc = strlen(text) != len ? err_set(err, "'%s': NUL byte in text", path)
                                 : parse_rows(r, sc, text, len, path, err);
    free(text);
    return rc;
}

static void timing_text(json_t *root, const char *key, char *dst, size_t size)
{
    const char *v = json_string_value(get(root, key));
    if (!v || copy_text(dst, size, v) != 0)
        dst[0] = '\0';
}

/* timing.json's "epoch_cpu_seconds" into a new array (*out NULL when the key
 * is absent); 0, or -1 with err for a value that is not an array of numbers. */
static int read_epoch_cpu(json_t *root, double **out, size_t *n, const char *path, char *err)
{
    *out = NULL;
    *n = 0;
    json_t *a = get(root, "epoch_cpu_seconds");
    if (!a)
        return 0;
    if (!json_is_array(a))
        return err_set(err, "'%s': key 'epoch_cpu_seconds': expected an array", path);
    size_t len = json_array_size(a);
    *out = calloc(len ? len : 1, sizeof **out);
    if (!*out)
        return err_set(err, "'%s': out of memory", path);
    for (size_t i = 0; i < len; i++) {
        json_t *v = json_array_get(a, i);
        if (!json_is_number(v)) {
            free(*out);
            *out = NULL;
            return err_set(err, "'%s': key 'epoch_cpu_seconds': item %zu is not a number", path, i);
        }
        (*out)[i] = json_number_value(v);
    }
    *n = len;
    return 0;
}

/* rundir_read_timing, and the epochs' CPU times when epoch_cpu is not NULL. */
static int read_timing(const char *dir, RunTiming *t, double **epoch_cpu, size_t *n_epoch_cpu,
                       char *err)
{
    char path[1024 + 32];
    memset(t, 0, sizeof *t);
    t->wall_seconds = t->cpu_seconds = NAN;
    if (join_path(path, sizeof path, dir, rundir_file_name(RUN_TIMING), err) != 0)
        return -1;
    FILE *f = fopen(path, "rb");
    if (!f)
        return errno == ENOENT ? 0 : err_set(err, "'%s': %s", path, strerror(errno));
    fclose(f);
    json_error_t je;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!root)
        return json_error(path, &je, err);
    int rc = want_number(root, "wall_seconds", &t->wall_seconds, path, err) != 0 ||
                     want_number(root, "cpu_seconds", &t->cpu_seconds, path, err) != 0
                 ? -1
                 : 0;
    timing_text(root, "isa", t->isa, sizeof t->isa);
    timing_text(root, "machine", t->machine, sizeof t->machine);
    timing_text(root, "node", t->node, sizeof t->node);
    timing_text(root, "cpu_model", t->cpu_model, sizeof t->cpu_model);
    timing_text(root, "trained_with", t->trained_with, sizeof t->trained_with);
    if (rc == 0 && epoch_cpu)
        rc = read_epoch_cpu(root, epoch_cpu, n_epoch_cpu, path, err);
    t->present = rc == 0;
    json_decref(root);
    return rc;
}

int rundir_read_timing(const char *dir, RunTiming *t, char *err)
{
    return read_timing(dir, t, NULL, NULL, err);
}

int run_result_load(RunResult *r, const char *dir, unsigned flags, char *err)
{
    char path[sizeof r->path + 32];
    memset(r, 0, sizeof *r);
    r->wall_seconds = r->cpu_seconds = NAN;
    if (copy_text(r->path, sizeof r->path, dir) != 0)
        return err_set(err, "results: '%.64s...': path too long", dir);
    if (join_path(path, sizeof path, dir, rundir_file_name(RUN_SUMMARY), err) != 0 ||
        parse_summary(r, path, err) != 0)
        goto fail;
    if (flags & RESULTS_SUMMARY_ONLY)
        return 0;
    const CsvSchema epochs = {RUN_EPOCHS,   RUNDIR_EPOCHS_HEADER, RESULTS_EPOCH_METRICS + 1,
                              r->epochs_completed, "epoch", "epochs completed",
                              epochs_start, epoch_row};
    const CsvSchema iters = {RUN_ITERATIONS, RUNDIR_ITERS_HEADER, 4, r->iterations,
                             "iteration",    "iterations",        iters_start, iter_row};
    if (parse_csv(r, dir, &epochs, err) != 0)
        goto fail;
    if ((flags & RESULTS_ITERATIONS) && r->config.model == MODEL_SOFTMAX &&
        parse_csv(r, dir, &iters, err) != 0)
        goto fail;
    RunTiming t;
    if (read_timing(dir, &t, &r->epoch_cpu, &r->n_epoch_cpu, err) != 0)
        goto fail;
    r->wall_seconds = t.wall_seconds;
    r->cpu_seconds = t.cpu_seconds;
    memcpy(r->trained_with, t.trained_with, sizeof r->trained_with);
    return 0;
fail:
    run_result_release(r);
    return -1;
}

double run_result_epoch_cpu(const RunResult *r)
{
    if (!r->n_epoch_cpu)
        return NAN;
    double sum = 0.0;
    for (size_t i = 0; i < r->n_epoch_cpu; i++)
        sum += r->epoch_cpu[i];
    return sum / (double)r->n_epoch_cpu;
}

void run_result_release(RunResult *r)
{
    free(r->epochs);
    free(r->iters);
    free(r->epoch_cpu);
    r->epochs = NULL;
    r->iters = NULL;
    r->epoch_cpu = NULL;
    r->n_epoch_cpu = 0;
    r->n_epochs = r->n_iters = 0;
}

size_t run_result_finite_iters(const RunResult *r)
{
    size_t n = 0;
    while (n < r->n_iters && isfinite(r->iters[n].loss))
        n++;
    return n;
}

