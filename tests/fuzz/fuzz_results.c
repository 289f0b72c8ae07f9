/* fuzz_results.c - the results reader (results.h) on arbitrary run directories.
 *
 * Input framing: the first byte's low bit asks for RESULTS_ITERATIONS; the
 * rest is cut at each SEPARATOR into, in order, summary.json, epochs.csv,
 * iterations.csv and timing.json. A file whose part the input does not reach
 * is absent from the directory (so "absent" and "empty" both get tried); a
 * separator is a byte sequence that valid files never hold, and it keeps the
 * parts apart under mutations that change their lengths.
 *
 * A failure must leave the result released and say, in one line, which file
 * of the directory is wrong. A success must hold what the header promises:
 * row counts and numbering as in summary.json, accuracies in [0, 1], fields the
 * model does not use zero, timing NAN exactly when timing.json is absent. */
#include "fuzz.h"

#include "err.h"
#include "report/results.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define NAME "results"
#define SEPARATOR "\n----\n"

static const char *const FILES[4] = {"summary.json", "epochs.csv", "iterations.csv",
                                     "timing.json"};

/* First occurrence of SEPARATOR in p[0..n), or NULL. */
static const uint8_t *find_separator(const uint8_t *p, size_t n)
{
    size_t k = sizeof SEPARATOR - 1;
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(p + i, SEPARATOR, k) == 0)
            return p + i;
    return NULL;
}

static int acc_ok(double v)
{
    return isnan(v) || (v >= 0.0 && v <= 1.0);
}

static void check_text(const char *what, const char *s, size_t size)
{
    if (strnlen(s, size) == size)
        fuzz_fail(NAME, "%s not terminated", what);
}

static void check_config(const RunConfig *c)
{
    if (c->batch_size < 1 || c->max_epoch < 1)
        fuzz_fail(NAME, "batch %d, max_epoch %d", c->batch_size, c->max_epoch);
    switch (c->model) {
    case MODEL_SOFTMAX:
        if (c->weight_decay != 0 || c->n_hidden != 0 || c->activation != 0 || c->loss != 0)
            fuzz_fail(NAME, "softmax config with mlp fields set");
        for (int k = 0; k < MAX_HIDDEN; k++)
            if (c->hidden[k] != 0)
                fuzz_fail(NAME, "softmax config with hidden[%d] = %d", k, c->hidden[k]);
        return;
    case MODEL_MLP:
        if (c->lambda != 0 || c->as_reported != 0)
            fuzz_fail(NAME, "mlp config with softmax fields set");
        if (c->n_hidden < 1 || c->n_hidden > MAX_HIDDEN)
            fuzz_fail(NAME, "mlp config with %d hidden layers", c->n_hidden);
        for (int k = 0; k < MAX_HIDDEN; k++)
            if ((k < c->n_hidden) != (c->hidden[k] > 0))
                fuzz_fail(NAME, "mlp config with hidden[%d] = %d of %d layers", k, c->hidden[k],
                          c->n_hidden);
        return;
    }
    fuzz_fail(NAME, "model %d", (int)c->model);
}

static void check_result(const RunResult *r, unsigned flags, int has_timing)
{
    check_text("dataset", r->dataset, sizeof r->dataset);
    check_text("study", r->study, sizeof r->study);
    check_text("run", r->run, sizeof r->run);
    check_text("data_sha256", r->data_sha256, sizeof r->data_sha256);
    if (r->n_sweep > RESULTS_SWEEP_MAX)
        fuzz_fail(NAME, "%zu sweep keys", r->n_sweep);
    for (size_t j = 0; j < r->n_sweep; j++) {
        check_text("sweep key", r->sweep_key[j], RESULTS_TEXT_MAX);
        check_text("sweep value", r->sweep_value[j], RESULTS_TEXT_MAX);
    }
    check_config(&r->config);
    const RunConfig *c = &r->config;

    if (r->epochs_completed < 0 || r->epochs_completed > c->max_epoch)
        fuzz_fail(NAME, "%d epochs completed of %d", r->epochs_completed, c->max_epoch);
    if (r->status == RUN_OK && (r->diverged_epoch != 0 || r->epochs_completed != c->max_epoch))
        fuzz_fail(NAME, "status ok, diverged in epoch %d, %d of %d epochs", r->diverged_epoch,
                  r->epochs_completed, c->max_epoch);
    if (r->status == RUN_DIVERGED && (r->diverged_epoch < 1 || r->diverged_epoch > c->max_epoch))
        fuzz_fail(NAME, "diverged in epoch %d of %d", r->diverged_epoch, c->max_epoch);
    if (r->status != RUN_OK && r->status != RUN_DIVERGED)
        fuzz_fail(NAME, "status %d", (int)r->status);
    if (r->iterations < 0)
        fuzz_fail(NAME, "%ld iterations", r->iterations);
    for (int m = 0; m < METRIC_COUNT; m++)
        if (metric_is_acc((Metric)m) && !acc_ok(r->final[m]))
            fuzz_fail(NAME, "final %s = %g", metric_name((Metric)m), r->final[m]);

    if (!r->epochs || r->n_epochs != (size_t)r->epochs_completed)
        fuzz_fail(NAME, "%zu epoch rows for %d epochs", r->n_epochs, r->epochs_completed);
    for (size_t k = 0; k < r->n_epochs; k++) {
        if (r->epochs[k].epoch != (int)k + 1)
            fuzz_fail(NAME, "row %zu is epoch %d", k, r->epochs[k].epoch);
        for (int m = 0; m < RESULTS_EPOCH_METRICS; m++)
            if (metric_is_acc((Metric)m) && !acc_ok(r->epochs[k].m[m]))
                fuzz_fail(NAME, "epoch %zu: %s = %g", k + 1, metric_name((Metric)m),
                          r->epochs[k].m[m]);
    }

    if ((flags & RESULTS_ITERATIONS) && c->model == MODEL_SOFTMAX) {
        if (!r->iters || r->n_iters != (size_t)r->iterations)
            fuzz_fail(NAME, "%zu iteration rows for %ld iterations", r->n_iters, r->iterations);
        for (size_t k = 0; k < r->n_iters; k++) {
            const IterRow *it = &r->iters[k];
            int prev = k ? r->iters[k - 1].epoch : 1;
            if (it->iteration != (long)k + 1 || it->epoch < prev || it->epoch > prev + 1 ||
                it->epoch > c->max_epoch || !acc_ok(it->acc))
                fuzz_fail(NAME, "bad iteration row %zu", k + 1);
        }
    } else if (r->iters || r->n_iters) {
        fuzz_fail(NAME, "iterations read without being asked for");
    }
    if (run_result_finite_iters(r) > r->n_iters)
        fuzz_fail(NAME, "more finite iterations than iterations");

    if (has_timing ? !(isfinite(r->wall_seconds) && isfinite(r->cpu_seconds))
                   : !(isnan(r->wall_seconds) && isnan(r->cpu_seconds)))
        fuzz_fail(NAME, "timing %g/%g with timing.json %s", r->wall_seconds, r->cpu_seconds,
                  has_timing ? "present" : "absent");
}

int fuzz_results(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    unsigned flags = (data[0] & 1) ? RESULTS_ITERATIONS : 0;
    const uint8_t *p = data + 1, *end = data + size;
    int present[4] = {0, 0, 0, 0};
    for (int f = 0; f < 4; f++) {
        const char *path = fuzz_path(FILES[f]);
        if (!p) {
            fuzz_remove(path);
            continue;
        }
        const uint8_t *sep = find_separator(p, (size_t)(end - p));
        size_t n = sep ? (size_t)(sep - p) : (size_t)(end - p);
        fuzz_write(path, p, n);
        present[f] = 1;
        p = sep ? sep + sizeof SEPARATOR - 1 : NULL;
    }

    const char *dir = fuzz_dir();
    RunResult r;
    char err[ERR_MAX];
    memset(err, 0, sizeof err);
    int rc = run_result_load(&r, dir, flags, err);
    if (rc == 0) {
        check_result(&r, flags, present[3]);
    } else {
        char prefix[600];
        snprintf(prefix, sizeof prefix, "'%s/", dir);
        fuzz_check_err(NAME, err, prefix);
        if (rc != -1)
            fuzz_fail(NAME, "run_result_load returned %d", rc);
        if (r.epochs || r.iters || r.n_epochs || r.n_iters)
            fuzz_fail(NAME, "failed load left rows behind");
    }
    run_result_release(&r);
    if (r.epochs || r.iters || r.n_epochs || r.n_iters)
        fuzz_fail(NAME, "run_result_release left rows behind");
    return 0;
}

#ifdef FUZZ_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_results(data, size);
}
#endif
