#include "report/results.h"

#include "err.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const METRIC_NAMES[METRIC_COUNT] = {
    "train_loss", "train_acc", "full_train_loss", "full_train_acc", "val_loss",
    "val_acc",    "test_loss", "test_acc",        "last_batch_loss", "last_batch_acc",
};

const char *metric_name(Metric m)
{
    return METRIC_NAMES[m];
}

int metric_is_acc(Metric m)
{
    switch (m) {
    case METRIC_TRAIN_ACC:
    case METRIC_FULL_TRAIN_ACC:
    case METRIC_VAL_ACC:
    case METRIC_TEST_ACC:
    case METRIC_LAST_BATCH_ACC:
        return 1;
    case METRIC_TRAIN_LOSS:
    case METRIC_FULL_TRAIN_LOSS:
    case METRIC_VAL_LOSS:
    case METRIC_TEST_LOSS:
    case METRIC_LAST_BATCH_LOSS:
    case METRIC_COUNT:
        return 0;
    }
    return 0;
}

int metric_absent(ModelKind model, Metric m)
{
    switch (m) {
    case METRIC_VAL_LOSS:
    case METRIC_VAL_ACC:
        return model == MODEL_SOFTMAX;
    case METRIC_FULL_TRAIN_LOSS:
    case METRIC_FULL_TRAIN_ACC:
        return model == MODEL_MLP;
    case METRIC_TRAIN_LOSS:
    case METRIC_TRAIN_ACC:
    case METRIC_TEST_LOSS:
    case METRIC_TEST_ACC:
    case METRIC_LAST_BATCH_LOSS:
    case METRIC_LAST_BATCH_ACC:
    case METRIC_COUNT:
        return 0;
    }
    return 0;
}

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

/* Reads a whole file (at most RESULTS_FILE_MAX bytes) into a NUL-terminated
 * heap buffer. A missing file sets *missing (when given) instead of an error
 * message, so optional files can be told apart from unreadable ones. */
static char *read_all(const char *path, size_t *len, int *missing, char *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (missing && errno == ENOENT) {
            *missing = 1;
            return NULL;
        }
        err_set(err, "'%s': %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    for (;;) {
        if (!buf) {
            err_set(err, "'%s': out of memory", path);
            break;
        }
        size_t r = fread(buf + n, 1, cap - n, f);
        n += r;
        if (n < cap) {
            if (ferror(f)) {
                err_set(err, "'%s': read error", path);
                free(buf);
                buf = NULL;
            }
            break;
        }
        if (cap >= (size_t)RESULTS_FILE_MAX) {
            err_set(err, "'%s': larger than %ld bytes", path, RESULTS_FILE_MAX);
            free(buf);
            buf = NULL;
            break;
        }
        cap *= 2;
        char *nb = realloc(buf, cap + 1);
        if (!nb)
            free(buf);
        buf = nb;
    }
    fclose(f);
    if (buf) {
        buf[n] = '\0';
        *len = n;
    }
    return buf;
}

/* ---- summary.json ------------------------------------------------------- */

/* Looks up a dotted key ("final.test_acc") for messages and values. */
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

static int parse_config(json_t *cfg, RunConfig *c, const char *path, char *err)
{
    char text[RESULTS_TEXT_MAX];
    long long i = 0;
    memset(c, 0, sizeof *c);
    if (!json_is_object(cfg))
        return err_set(err, "'%s': key 'config': expected an object", path);
    if (want_string(cfg, "model", text, sizeof text, path, err) != 0)
        return -1;
    if (model_from_name(text, &c->model) != 0)
        return err_set(err, "'%s': key 'config.model': unknown model '%s'", path, text);
    if (want_number(cfg, "learning_rate", &c->learning_rate, path, err) != 0 ||
        want_int(cfg, "batch_size", 1, 1 << 24, &i, path, err) != 0)
        return -1;
    c->batch_size = (int)i;
    if (want_int(cfg, "max_epoch", 1, 1 << 20, &i, path, err) != 0)
        return -1;
    c->max_epoch = (int)i;
    if (want_int(cfg, "seed", 0, INT64_MAX, &i, path, err) != 0)
        return -1;
    c->seed = (uint64_t)i;
    /* absent: the default, the homework's protocol */
    json_t *proto = get(cfg, "protocol");
    if (proto) {
        const char *t = json_is_string(proto) ? json_string_value(proto) : "";
        if (protocol_from_name(t, &c->protocol) != 0)
            return err_set(err, "'%s': key 'config.protocol': expected homework or every-image",
                           path);
    }
    if (c->model == MODEL_SOFTMAX) {
        if (want_number(cfg, "lambda", &c->lambda, path, err) != 0)
            return -1;
        json_t *ar = get(cfg, "as_reported");
        if (!json_is_boolean(ar))
            return err_set(err, "'%s': key 'config.as_reported': expected true or false", path);
        c->as_reported = json_is_true(ar);
        return 0;
    }
    if (want_number(cfg, "weight_decay", &c->weight_decay, path, err) != 0)
        return -1;
    json_t *hidden = get(cfg, "hidden");
    if (!json_is_array(hidden) || json_array_size(hidden) < 1 ||
        json_array_size(hidden) > MAX_HIDDEN)
        return err_set(err, "'%s': key 'config.hidden': expected 1 to %d layer sizes", path,
                       MAX_HIDDEN);
    c->n_hidden = (int)json_array_size(hidden);
    for (size_t k = 0; k < json_array_size(hidden); k++) {
        json_t *h = json_array_get(hidden, k);
        if (!json_is_integer(h) || json_integer_value(h) < 1 || json_integer_value(h) > 1 << 20)
            return err_set(err, "'%s': key 'config.hidden': bad layer size at index %zu", path,
                           k);
        c->hidden[k] = (int)json_integer_value(h);
    }
    if (want_string(cfg, "activation", text, sizeof text, path, err) != 0)
        return -1;
    if (activation_from_name(text, &c->activation) != 0)
        return err_set(err, "'%s': key 'config.activation': unknown '%s'", path, text);
    if (want_string(cfg, "loss", text, sizeof text, path, err) != 0)
        return -1;
    if (loss_from_name(text, &c->loss) != 0)
        return err_set(err, "'%s': key 'config.loss': unknown '%s'", path, text);
    return 0;
}

static int parse_summary(RunResult *r, const char *path, char *err)
{
    json_error_t je;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        if (je.line < 0)
            return err_set(err, "'%s': %s", path, je.text);
        return err_set(err, "'%s':%d:%d: %s (byte %d)", path, je.line, je.column, je.text,
                       je.position);
    }
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

    json_t *sweep = get(root, "sweep");
    if (!json_is_object(sweep)) {
        err_set(err, "'%s': key 'sweep': expected an object", path);
        goto out;
    }
    const char *key;
    json_t *val;
    json_object_foreach(sweep, key, val)
    {
        if (r->n_sweep == RESULTS_SWEEP_MAX) {
            err_set(err, "'%s': key 'sweep': more than %d keys", path, RESULTS_SWEEP_MAX);
            goto out;
        }
        if (!json_is_string(val) ||
            copy_text(r->sweep_key[r->n_sweep], RESULTS_TEXT_MAX, key) != 0 ||
            copy_text(r->sweep_value[r->n_sweep], RESULTS_TEXT_MAX, json_string_value(val)) != 0) {
            err_set(err, "'%s': key 'sweep.%s': expected a short string", path, key);
            goto out;
        }
        r->n_sweep++;
    }
    if (parse_config(get(root, "config"), &r->config, path, err) != 0)
        goto out;

    char status[RESULTS_TEXT_MAX];
    if (want_string(root, "status", status, sizeof status, path, err) != 0)
        goto out;
    if (strcmp(status, "ok") == 0) {
        r->status = RUN_OK;
    } else if (strcmp(status, "diverged") == 0) {
        r->status = RUN_DIVERGED;
    } else {
        err_set(err, "'%s': key 'status': expected \"ok\" or \"diverged\", found \"%s\"", path,
                status);
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

    json_t *final = get(root, "final");
    if (!json_is_object(final)) {
        err_set(err, "'%s': key 'final': expected an object", path);
        goto out;
    }
    for (int m = 0; m < METRIC_COUNT; m++) {
        char k[64];
        snprintf(k, sizeof k, "final.%s", METRIC_NAMES[m]);
        if (!get(final, METRIC_NAMES[m])) {
            err_set(err, "'%s': key '%s': missing", path, k);
            goto out;
        }
        if (want_number_or_null(final, METRIC_NAMES[m], &r->final[m], path, err) != 0) {
            err_set(err, "'%s': key '%s': expected a number or null", path, k);
            goto out;
        }
        double v = r->final[m];
        if (!isnan(v) && metric_is_acc((Metric)m) && !(v >= 0.0 && v <= 1.0)) {
            err_set(err, "'%s': key '%s': accuracy %g outside [0, 1]", path, k, v);
            goto out;
        }
        if (isnan(v) && !metric_absent(r->config.model, (Metric)m) && r->epochs_completed > 0) {
            err_set(err, "'%s': key '%s': null in a run with completed epochs", path, k);
            goto out;
        }
    }
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

static const char EPOCHS_HEADER[] = "epoch,train_loss,train_acc,full_train_loss,full_train_acc,"
                                    "val_loss,val_acc,test_loss,test_acc";
static const char ITERS_HEADER[] = "iteration,epoch,loss,acc";

static int parse_epochs(RunResult *r, const char *path, char *err)
{
    size_t len;
    char *text = read_all(path, &len, NULL, err);
    if (!text)
        return -1;
    int rc = -1, line = 1, truncated = 0;
    char *p = text;
    if (strlen(text) != len) {
        err_set(err, "'%s': NUL byte in text", path);
        goto out;
    }
    char *l = next_line(&p, &truncated);
    if (!l || strcmp(l, EPOCHS_HEADER) != 0) {
        err_set(err, "'%s':1: expected the header '%s'", path, EPOCHS_HEADER);
        goto out;
    }
    r->epochs = calloc(r->epochs_completed ? (size_t)r->epochs_completed : 1, sizeof *r->epochs);
    if (!r->epochs) {
        err_set(err, "'%s': out of memory", path);
        goto out;
    }
    while ((l = (line++, next_line(&p, &truncated))) != NULL) {
        char *cells[RESULTS_EPOCH_METRICS + 1];
        int n = split_cells(l, cells, RESULTS_EPOCH_METRICS + 1);
        if (n != RESULTS_EPOCH_METRICS + 1) {
            err_set(err, "'%s':%d: expected %d cells, found %s%d", path, line,
                    RESULTS_EPOCH_METRICS + 1, n > RESULTS_EPOCH_METRICS + 1 ? "more than " : "",
                    n > RESULTS_EPOCH_METRICS + 1 ? RESULTS_EPOCH_METRICS + 1 : n);
            goto out;
        }
        if (r->n_epochs == (size_t)r->epochs_completed) {
            err_set(err, "'%s':%d: more rows than the %d epochs completed in summary.json",
                    path, line, r->epochs_completed);
            goto out;
        }
        EpochRow *row = &r->epochs[r->n_epochs];
        long e;
        if (cell_long(cells[0], &e) != 0 || e != (long)r->n_epochs + 1) {
            err_set(err, "'%s':%d: expected epoch %zu, found '%s'", path, line,
                    r->n_epochs + 1, cells[0]);
            goto out;
        }
        row->epoch = (int)e;
        for (int m = 0; m < RESULTS_EPOCH_METRICS; m++) {
            int absent = metric_absent(r->config.model, (Metric)m);
            if (cell_number(cells[m + 1], &row->m[m], absent) != 0 || (absent && *cells[m + 1])) {
                err_set(err, "'%s':%d: column '%s': bad value '%s'", path, line,
                        METRIC_NAMES[m], cells[m + 1]);
                goto out;
            }
            double v = row->m[m];
            if (!isnan(v) && metric_is_acc((Metric)m) && !(v >= 0.0 && v <= 1.0)) {
                err_set(err, "'%s':%d: column '%s': accuracy %s outside [0, 1]", path, line,
                        METRIC_NAMES[m], cells[m + 1]);
                goto out;
            }
        }
        r->n_epochs++;
    }
    if (truncated) {
        err_set(err, "'%s':%d: truncated (no newline at the end of the file)", path, line);
        goto out;
    }
    if (r->n_epochs != (size_t)r->epochs_completed) {
        err_set(err, "'%s':%d: %zu epoch rows, but summary.json says %d epochs completed", path,
                line, r->n_epochs, r->epochs_completed);
        goto out;
    }
    rc = 0;
out:
    free(text);
    return rc;
}

static int parse_iterations(RunResult *r, const char *path, char *err)
{
    size_t len;
    char *text = read_all(path, &len, NULL, err);
    if (!text)
        return -1;
    int rc = -1, line = 1, truncated = 0;
    char *p = text;
    if (strlen(text) != len) {
        err_set(err, "'%s': NUL byte in text", path);
        goto out;
    }
    char *l = next_line(&p, &truncated);
    if (!l || strcmp(l, ITERS_HEADER) != 0) {
        err_set(err, "'%s':1: expected the header '%s'", path, ITERS_HEADER);
        goto out;
    }
    if (r->iterations > (long)(len / 8)) {
        err_set(err, "'%s': %zu bytes cannot hold the %ld iterations in summary.json", path,
                len, r->iterations);
        goto out;
    }
    r->iters = calloc(r->iterations ? (size_t)r->iterations : 1, sizeof *r->iters);
    if (!r->iters) {
        err_set(err, "'%s': out of memory", path);
        goto out;
    }
    while ((l = (line++, next_line(&p, &truncated))) != NULL) {
        char *cells[4];
        int n = split_cells(l, cells, 4);
        if (n != 4) {
            err_set(err, "'%s':%d: expected 4 cells, found %s%d", path, line,
                    n > 4 ? "more than " : "", n > 4 ? 4 : n);
            goto out;
        }
        if (r->n_iters == (size_t)r->iterations) {
            err_set(err, "'%s':%d: more rows than the %ld iterations in summary.json", path,
                    line, r->iterations);
            goto out;
        }
        IterRow *row = &r->iters[r->n_iters];
        long it, ep;
        if (cell_long(cells[0], &it) != 0 || it != (long)r->n_iters + 1) {
            err_set(err, "'%s':%d: expected iteration %zu, found '%s'", path, line,
                    r->n_iters + 1, cells[0]);
            goto out;
        }
        int prev = r->n_iters ? r->iters[r->n_iters - 1].epoch : 1;
        if (cell_long(cells[1], &ep) != 0 || ep < prev || ep > prev + 1 ||
            ep > r->config.max_epoch) {
            err_set(err, "'%s':%d: bad epoch '%s' after epoch %d", path, line, cells[1], prev);
            goto out;
        }
        if (cell_number(cells[2], &row->loss, 0) != 0 || cell_number(cells[3], &row->acc, 0) != 0) {
            err_set(err, "'%s':%d: bad number", path, line);
            goto out;
        }
        if (!isnan(row->acc) && !(row->acc >= 0.0 && row->acc <= 1.0)) {
            err_set(err, "'%s':%d: accuracy %s outside [0, 1]", path, line, cells[3]);
            goto out;
        }
        row->iteration = it;
        row->epoch = (int)ep;
        r->n_iters++;
    }
    if (truncated) {
        err_set(err, "'%s':%d: truncated (no newline at the end of the file)", path, line);
        goto out;
    }
    if (r->n_iters != (size_t)r->iterations) {
        err_set(err, "'%s':%d: %zu iteration rows, but summary.json says %ld iterations", path,
                line, r->n_iters, r->iterations);
        goto out;
    }
    rc = 0;
out:
    free(text);
    return rc;
}

static int parse_timing(RunResult *r, const char *path, char *err)
{
    r->wall_seconds = r->cpu_seconds = NAN;
    FILE *f = fopen(path, "rb");
    if (!f)
        return errno == ENOENT ? 0 : err_set(err, "'%s': %s", path, strerror(errno));
    fclose(f);
    json_error_t je;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!root)
        return err_set(err, "'%s':%d:%d: %s (byte %d)", path, je.line, je.column, je.text,
                       je.position);
    int rc = want_number(root, "wall_seconds", &r->wall_seconds, path, err) != 0 ||
                     want_number(root, "cpu_seconds", &r->cpu_seconds, path, err) != 0
                 ? -1
                 : 0;
    json_decref(root);
    return rc;
}

int run_result_load(RunResult *r, const char *dir, unsigned flags, char *err)
{
    char path[sizeof r->path + 32];
    memset(r, 0, sizeof *r);
    r->wall_seconds = r->cpu_seconds = NAN;
    if (copy_text(r->path, sizeof r->path, dir) != 0)
        return err_set(err, "results: '%.64s...': path too long", dir);
    if (join_path(path, sizeof path, dir, "summary.json", err) != 0 ||
        parse_summary(r, path, err) != 0)
        goto fail;
    if (join_path(path, sizeof path, dir, "epochs.csv", err) != 0 ||
        parse_epochs(r, path, err) != 0)
        goto fail;
    if ((flags & RESULTS_ITERATIONS) && r->config.model == MODEL_SOFTMAX &&
        (join_path(path, sizeof path, dir, "iterations.csv", err) != 0 ||
         parse_iterations(r, path, err) != 0))
        goto fail;
    if (join_path(path, sizeof path, dir, "timing.json", err) != 0 ||
        parse_timing(r, path, err) != 0)
        goto fail;
    return 0;
fail:
    run_result_release(r);
    return -1;
}

void run_result_release(RunResult *r)
{
    free(r->epochs);
    free(r->iters);
    r->epochs = NULL;
    r->iters = NULL;
    r->n_epochs = r->n_iters = 0;
}

size_t run_result_finite_iters(const RunResult *r)
{
    size_t n = 0;
    while (n < r->n_iters && isfinite(r->iters[n].loss))
        n++;
    return n;
}

/* ---- studies ------------------------------------------------------------ */

int study_results_load(StudyResults *s, const char *results_dir, const Experiment *e,
                       unsigned flags, char *err)
{
    memset(s, 0, sizeof *s);
    s->exp = e;
    size_t n = experiment_run_count(e);
    s->n_seeds = experiment_seed_count(e);
    if (n == 0 || s->n_seeds == 0 || n % s->n_seeds != 0)
        return err_set(err, "'%s': %zu runs do not split into groups of %zu seeds",
                       experiment_path(e), n, s->n_seeds);
    s->n_groups = n / s->n_seeds;
    s->runs = calloc(n, sizeof *s->runs);
    if (!s->runs)
        return err_set(err, "results: out of memory");
    const char *study = experiment_study(e);
    for (size_t i = 0; i < n; i++) {
        RunConfig want;
        char name[RUN_NAME_MAX], dir[sizeof s->runs[i].path];
        experiment_run(e, i, &want, name);
        int len = snprintf(dir, sizeof dir, "%s/%s/%s", results_dir, study, name);
        if (len < 0 || (size_t)len >= sizeof dir) {
            err_set(err, "results: '%s/%s/%s': path too long", results_dir, study, name);
            goto fail;
        }
        char summary[sizeof dir + 16];
        snprintf(summary, sizeof summary, "%s/summary.json", dir);
        FILE *f = fopen(summary, "rb");
        if (!f) {
            err_set(err, "'%s': %s (run '%s' of '%s' not finished?)", summary, strerror(errno),
                    name, experiment_path(e));
            goto fail;
        }
        fclose(f);
        RunResult *r = &s->runs[i];
        if (run_result_load(r, dir, flags, err) != 0)
            goto fail;
        s->n_runs = i + 1;
        const char *field = runconfig_diff(&r->config, &want, 0);
        if (strcmp(r->study, study) != 0 || strcmp(r->run, name) != 0) {
            err_set(err, "'%s': names study '%s' run '%s', expected '%s' run '%s'", summary,
                    r->study, r->run, study, name);
            goto fail;
        }
        if (field) {
            err_set(err, "'%s': config '%s' differs from '%s' (stale results?)", summary, field,
                    experiment_path(e));
            goto fail;
        }
    }
    return 0;
fail:
    study_results_release(s);
    return -1;
}

void study_results_release(StudyResults *s)
{
    for (size_t i = 0; i < s->n_runs; i++)
        run_result_release(&s->runs[i]);
    free(s->runs);
    s->runs = NULL;
    s->n_runs = 0;
}

void study_group_stats(const StudyResults *s, size_t g, Metric m, double *mean, double *std,
                       size_t *n)
{
    double sum = 0.0, sq = 0.0;
    size_t k = 0;
    const RunResult *runs = &s->runs[g * s->n_seeds];
    for (size_t i = 0; i < s->n_seeds; i++)
        if (!isnan(runs[i].final[m])) {
            sum += runs[i].final[m];
            k++;
        }
    *n = k;
    if (k == 0) {
        *mean = *std = NAN;
        return;
    }
    *mean = sum / (double)k;
    for (size_t i = 0; i < s->n_seeds; i++)
        if (!isnan(runs[i].final[m])) {
            double d = runs[i].final[m] - *mean;
            sq += d * d;
        }
    *std = k > 1 ? sqrt(sq / (double)(k - 1)) : 0.0;
}

double run_final(const RunResult *r, Metric m)
{
    return r->final[m];
}

double run_wall(const RunResult *r, Metric m)
{
    (void)m;
    return r->wall_seconds;
}

double study_group_mean(const StudyResults *s, size_t g, double (*f)(const RunResult *, Metric),
                         Metric m, double *std)
{
    double sum = 0, sq = 0;
    size_t k = 0;
    for (size_t i = 0; i < s->n_seeds; i++) {
        double v = f(&s->runs[g * s->n_seeds + i], m);
        if (!isnan(v)) {
            sum += v;
            k++;
        }
    }
    if (!k) {
        if (std)
            *std = NAN;
        return NAN;
    }
    double mean = sum / (double)k;
    for (size_t i = 0; i < s->n_seeds; i++) {
        double v = f(&s->runs[g * s->n_seeds + i], m);
        if (!isnan(v))
            sq += (v - mean) * (v - mean);
    }
    if (std)
        *std = k > 1 ? sqrt(sq / (double)(k - 1)) : 0.0;
    return mean;
}

size_t study_plot_seed(const StudyResults *s)
{
    for (size_t k = 0; k < s->n_seeds; k++)
        if (experiment_seed(s->exp, k) == 1)
            return k;
    return 0;
}

void study_group_name(const StudyResults *s, size_t g, char *name)
{
    RunConfig cfg;
    experiment_run(s->exp, g * s->n_seeds, &cfg, name);
    /* the seed is the last part: "...,seed-N" or the whole "seed-N" */
    char *p = strstr(name, "seed-");
    char *last = NULL;
    while (p) {
        if (p == name || p[-1] == ',')
            last = p;
        p = strstr(p + 1, "seed-");
    }
    if (last)
        last[last == name ? 0 : -1] = '\0';
}

static const struct {
    const char *key, *label;
    int value_alone; /* the value names itself ("relu"), so multi-key labels omit the key */
} KEY_LABELS[] = {
    {"lambda", "\xce\xbb", 0},           /* λ */
    {"learning_rate", "learning rate", 0},
    {"batch_size", "batch size", 0},
    {"max_epoch", "max epoch", 0},
    {"weight_decay", "weight decay", 0},
    {"hidden", "hidden", 0},
    {"activation", "activation", 1},
    {"loss", "loss", 1},
    {"as_reported", "as reported", 0},
    {"protocol", "protocol", 0},
};

static size_t key_index(const char *key)
{
    for (size_t i = 0; i < sizeof KEY_LABELS / sizeof KEY_LABELS[0]; i++)
        if (strcmp(KEY_LABELS[i].key, key) == 0)
            return i;
    return (size_t)-1;
}

const char *sweep_key_label(const char *key)
{
    size_t i = key_index(key);
    return i == (size_t)-1 ? key : KEY_LABELS[i].label;
}

void study_group_label(const StudyResults *s, size_t g, char *label)
{
    size_t nk = experiment_sweep_count(s->exp);
    size_t run = g * s->n_seeds, len = 0;
    label[0] = '\0';
    if (nk == 0) {
        snprintf(label, RUN_NAME_MAX, "all runs");
        return;
    }
    for (size_t j = 0; j < nk && len < RUN_NAME_MAX; j++) {
        const char *key = experiment_sweep_key(s->exp, j);
        const char *val = experiment_run_sweep(s->exp, run, j);
        size_t k = key_index(key);
        int n;
        if (nk == 1)
            n = snprintf(label + len, RUN_NAME_MAX - len, "%s = %s", sweep_key_label(key), val);
        else if (k != (size_t)-1 && KEY_LABELS[k].value_alone)
            n = snprintf(label + len, RUN_NAME_MAX - len, "%s%s", j ? ", " : "", val);
        else
            n = snprintf(label + len, RUN_NAME_MAX - len, "%s%s %s", j ? ", " : "",
                         sweep_key_label(key), val);
        if (n < 0)
            break;
        len += (size_t)n;
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void results_free_list(char **paths, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(paths[i]);
    free(paths);
}

static char *path_join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", dir, name);
    return p;
}

int results_list_experiments(const char *dir, const char *only, char ***paths, size_t *n,
                             char *err)
{
    *paths = NULL;
    *n = 0;
    if (only) {
        char name[STUDY_NAME_MAX + 8];
        if (strlen(only) >= STUDY_NAME_MAX || strchr(only, '/'))
            return err_set(err, "'%s': not a study name", only);
        snprintf(name, sizeof name, "%s.exp", only);
        char *p = path_join(dir, name);
        FILE *f = p ? fopen(p, "rb") : NULL;
        if (!f) {
            err_set(err, "'%s': %s", p ? p : name, p ? strerror(errno) : "out of memory");
            free(p);
            return -1;
        }
        fclose(f);
        *paths = malloc(sizeof **paths);
        if (!*paths) {
            free(p);
            return err_set(err, "out of memory");
        }
        (*paths)[0] = p;
        *n = 1;
        return 0;
    }
    DIR *d = opendir(dir);
    if (!d)
        return err_set(err, "'%s': %s", dir, strerror(errno));
    size_t cap = 0;
    struct dirent *ent;
    int rc = 0;
    while ((ent = readdir(d)) != NULL) {
        size_t len = strlen(ent->d_name);
        if (len <= 4 || strcmp(ent->d_name + len - 4, ".exp") != 0 || ent->d_name[0] == '.')
            continue;
        if (*n == cap) {
            cap = cap ? 2 * cap : 16;
            char **np = realloc(*paths, cap * sizeof *np);
            if (!np) {
                rc = err_set(err, "out of memory");
                break;
            }
            *paths = np;
        }
        if (!((*paths)[*n] = path_join(dir, ent->d_name))) {
            rc = err_set(err, "out of memory");
            break;
        }
        (*n)++;
    }
    closedir(d);
    if (rc == 0 && *n == 0)
        rc = err_set(err, "'%s': no experiment files (*.exp)", dir);
    if (rc != 0) {
        results_free_list(*paths, *n);
        *paths = NULL;
        *n = 0;
        return -1;
    }
    qsort(*paths, *n, sizeof **paths, cmp_str);
    return 0;
}
