/* rundir.c - a run directory's names and its writer (rundir.h); the reader
 * is rundir_read.c. */
#include "rundir.h"

#include "atomic.h"
#include "err.h"
#include "host.h"
#include "runrecord.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PATH_CAP 4096

static const char *const RUN_FILES[RUN_FILE_COUNT] = {"summary.json", "epochs.csv",
                                                       "iterations.csv", "timing.json"};
static const char *const METRIC_NAMES[METRIC_COUNT] = {
    "train_loss", "train_acc", "full_train_loss", "full_train_acc", "val_loss",
    "val_acc",    "test_loss", "test_acc",        "weight_norm_1",   "weight_norm_2",
    "weight_norm_3", "last_batch_loss", "last_batch_acc",
};
static const char *const STATUS_NAMES[] = {[RUN_OK] = "ok", [RUN_DIVERGED] = "diverged"};

const char *rundir_file_name(RunFile f)
{
    return (unsigned)f < RUN_FILE_COUNT ? RUN_FILES[f] : "?";
}

const char *metric_name(Metric m)
{
    return (unsigned)m < METRIC_COUNT ? METRIC_NAMES[m] : "?";
}

const char *run_status_name(RunStatus s)
{
    return (unsigned)s < sizeof STATUS_NAMES / sizeof STATUS_NAMES[0] ? STATUS_NAMES[s] : "?";
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
    case METRIC_WEIGHT_NORM_1:
    case METRIC_WEIGHT_NORM_2:
    case METRIC_WEIGHT_NORM_3:
    case METRIC_COUNT:
        return 0;
    }
    return 0;
}

int metric_absent(ModelKind model, Metric m)
{
    switch (m) {
    case METRIC_WEIGHT_NORM_2:
    case METRIC_WEIGHT_NORM_3:
        return model == MODEL_SOFTMAX;
    case METRIC_VAL_LOSS:
    case METRIC_VAL_ACC:
    case METRIC_FULL_TRAIN_LOSS:
    case METRIC_FULL_TRAIN_ACC:
    case METRIC_WEIGHT_NORM_1:
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

int metric_recorded(const RunConfig *cfg, Metric m)
{
    if (metric_absent(cfg->model, m))
        return 0;
    switch (m) {
    case METRIC_VAL_LOSS:
    case METRIC_VAL_ACC:
        return cfg->model == MODEL_MLP || cfg->holdout;
    case METRIC_WEIGHT_NORM_1:
    case METRIC_WEIGHT_NORM_2:
    case METRIC_WEIGHT_NORM_3: {
        int layers = cfg->model == MODEL_MLP ? cfg->n_hidden + 1 : 1;
        return (int)(m - METRIC_WEIGHT_NORM_1) < layers;
    }
    case METRIC_TRAIN_LOSS:
    case METRIC_TRAIN_ACC:
    case METRIC_FULL_TRAIN_LOSS:
    case METRIC_FULL_TRAIN_ACC:
    case METRIC_TEST_LOSS:
    case METRIC_TEST_ACC:
    case METRIC_LAST_BATCH_LOSS:
    case METRIC_LAST_BATCH_ACC:
        return 1;
    case METRIC_COUNT:
        break;
    }
    return 0;
}

static int join(char *out, const char *dir, const char *name, char *err)
{
    int n = snprintf(out, PATH_CAP, "%s/%s", dir, name);
    if (n < 0 || n >= PATH_CAP)
        return err_set(err, "write: '%s': path too long", dir);
    return 0;
}

int rundir_clear(const char *dir, char *err)
{
    char path[PATH_CAP];
    for (size_t i = 0; i < RUN_FILE_COUNT; i++) {
        if (join(path, dir, RUN_FILES[i], err) < 0)
            return -1;
        if (unlink(path) != 0 && errno != ENOENT)
            return err_set(err, "write: '%s': %s", path, strerror(errno));
    }
    /* temporary files a killed run left behind (atomic.h names them .NAME.tmp.PID) */
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] == '.' && strstr(e->d_name, ".tmp.") && join(path, dir, e->d_name, NULL) == 0)
            unlink(path);
    closedir(d);
    return 0;
}

/* Epoch e's value of metric m < RESULTS_EPOCH_METRICS; *present is 0 where
 * the model does not record it (its cell is empty, its final value null). */
static double epoch_metric(const EpochStats *e, Metric m, int *present)
{
    *present = 1;
    switch (m) {
    case METRIC_TRAIN_LOSS:
        return e->train_loss;
    case METRIC_TRAIN_ACC:
        return e->train_acc;
    case METRIC_FULL_TRAIN_LOSS:
    case METRIC_FULL_TRAIN_ACC:
        *present = e->has_full;
        return m == METRIC_FULL_TRAIN_LOSS ? e->full_train_loss : e->full_train_acc;
    case METRIC_VAL_LOSS:
    case METRIC_VAL_ACC:
        *present = e->has_val;
        return m == METRIC_VAL_LOSS ? e->val_loss : e->val_acc;
    case METRIC_TEST_LOSS:
        return e->test_loss;
    case METRIC_TEST_ACC:
        return e->test_acc;
    case METRIC_WEIGHT_NORM_1:
    case METRIC_WEIGHT_NORM_2:
    case METRIC_WEIGHT_NORM_3: {
        size_t k = (size_t)(m - METRIC_WEIGHT_NORM_1);
        *present = k < e->n_weight_norms;
        return *present ? e->weight_norm[k] : 0.0;
    }
    case METRIC_LAST_BATCH_LOSS:
    case METRIC_LAST_BATCH_ACC:
    case METRIC_COUNT:
        break;
    }
    *present = 0;
    return 0.0;
}

static int write_epochs(const char *dir, const TrainResult *res, char *err)
{
    char path[PATH_CAP];
    AtomicFile a;
    if (join(path, dir, RUN_FILES[RUN_EPOCHS], err) < 0 || atomic_open(&a, path, err) < 0)
        return -1;
    fputs(RUNDIR_EPOCHS_HEADER "\n", a.f);
    for (size_t i = 0; i < res->n_epochs; i++) {
        fprintf(a.f, "%zu", res->epochs[i].epoch);
        for (int m = 0; m < RESULTS_EPOCH_METRICS; m++) {
            int present;
            double v = epoch_metric(&res->epochs[i], (Metric)m, &present);
            /* %.9g: enough to round-trip the float the value was computed from */
            if (present)
                fprintf(a.f, ",%.9g", v);
            else
                fputc(',', a.f);
        }
        fputc('\n', a.f);
    }
    return atomic_commit(&a, err);
}

static int write_iterations(const char *dir, const TrainResult *res, char *err)
{
    char path[PATH_CAP];
    AtomicFile a;
    if (join(path, dir, RUN_FILES[RUN_ITERATIONS], err) < 0 || atomic_open(&a, path, err) < 0)
        return -1;
    fputs(RUNDIR_ITERS_HEADER "\n", a.f);
    for (size_t i = 0; i < res->n_iters; i++)
        fprintf(a.f, "%zu,%zu,%.9g,%.9g\n", i + 1, i / res->iters_per_epoch + 1,
                (double)res->iters[i].loss, (double)res->iters[i].acc);
    return atomic_commit(&a, err);
}

/* {"lambda": "0.2"} from "lambda-0.2,seed-1": the swept keys and their values as
 * written in the experiment file (keys never contain '-'). */
static json_t *sweep_of(const char *run)
{
    json_t *o = json_object();
    const char *p = run;
    while (*p) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        const char *dash = memchr(p, '-', len);
        if (dash) {
            char key[RUN_NAME_MAX], val[RUN_NAME_MAX];
            snprintf(key, sizeof key, "%.*s", (int)(dash - p), p);
            snprintf(val, sizeof val, "%.*s", (int)(len - (size_t)(dash - p) - 1), dash + 1);
            if (strcmp(key, "seed") != 0)
                json_object_set_new(o, key, json_string(val));
        }
        p += len;
        if (*p == ',')
            p++;
    }
    return o;
}

/* summary.json's "config": the fields by their names in runconfig.h. */
#define KEY(f) config_field_name(f)
static json_t *config_of(const RunConfig *c)
{
    json_t *o = json_object();
    json_object_set_new(o, KEY(CFG_MODEL), json_string(model_name(c->model)));
    json_object_set_new(o, KEY(CFG_LEARNING_RATE), json_real(c->learning_rate));
    json_object_set_new(o, KEY(CFG_BATCH_SIZE), json_integer(c->batch_size));
    json_object_set_new(o, KEY(CFG_MAX_EPOCH), json_integer(c->max_epoch));
    switch (c->model) {
    case MODEL_SOFTMAX:
        json_object_set_new(o, KEY(CFG_LAMBDA), json_real(c->lambda));
        json_object_set_new(o, KEY(CFG_AS_REPORTED), json_boolean(c->as_reported));
        /* only when set: the runs without it keep the summary they had */
        if (c->holdout)
            json_object_set_new(o, KEY(CFG_HOLDOUT), json_true());
        break;
    case MODEL_MLP: {
        json_object_set_new(o, KEY(CFG_WEIGHT_DECAY), json_real(c->weight_decay));
        json_t *h = json_array();
        for (int i = 0; i < c->n_hidden; i++)
            json_array_append_new(h, json_integer(c->hidden[i]));
        json_object_set_new(o, KEY(CFG_HIDDEN), h);
        json_object_set_new(o, KEY(CFG_ACTIVATION), json_string(activation_name(c->activation)));
        json_object_set_new(o, KEY(CFG_LOSS), json_string(loss_name(c->loss)));
        break;
    }
    }
    /* only when it is not the default: the key came after the results at
     * batch 100, which the homework's protocol leaves exactly as they were */
    if (c->protocol != PROTOCOL_HOMEWORK)
        json_object_set_new(o, KEY(CFG_PROTOCOL), json_string(protocol_name(c->protocol)));
    json_object_set_new(o, KEY(CFG_SEED), json_integer((json_int_t)c->seed));
    return o;
}
#undef KEY

/* summary.json's "final": the last minibatch's figures first (the order of
 * format 1), then the last epoch's by metric name, in Metric order. */
static json_t *final_of(const TrainResult *res)
{
    json_t *o = json_object();
    const EpochStats *e = res->n_epochs ? &res->epochs[res->n_epochs - 1] : NULL;
    int any = res->n_iters > 0 || res->n_epochs > 0;
    json_object_set_new(o, METRIC_NAMES[METRIC_LAST_BATCH_LOSS],
                        any ? json_real(res->last_batch_loss) : json_null());
    json_object_set_new(o, METRIC_NAMES[METRIC_LAST_BATCH_ACC],
                        any ? json_real(res->last_batch_acc) : json_null());
    for (int m = 0; m < RESULTS_EPOCH_METRICS; m++) {
        int present = 0;
        double v = e ? epoch_metric(e, (Metric)m, &present) : 0.0;
        json_object_set_new(o, METRIC_NAMES[m], present ? json_real(v) : json_null());
    }
    return o;
}

static int write_json(const char *dir, const char *name, json_t *root, char *err)
{
    char path[PATH_CAP];
    int rc = join(path, dir, name, err);
    if (rc == 0)
        rc = atomic_write_json(path, root,
                               JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(9), err);
    json_decref(root);
    return rc;
}

int rundir_write(const char *dir, const RunMeta *meta, const RunConfig *cfg, const TrainResult *res,
                 char *err)
{
    if (write_epochs(dir, res, err) < 0)
        return -1;
    if (res->iters && write_iterations(dir, res, err) < 0)
        return -1;
    json_t *s = json_object();
    json_object_set_new(s, "format", json_integer(1));
    json_object_set_new(s, "dataset", json_string(meta->dataset));
    json_object_set_new(s, "study", json_string(meta->study));
    json_object_set_new(s, "run", json_string(meta->run));
    json_object_set_new(s, "sweep", sweep_of(meta->run));
    json_object_set_new(s, "config", config_of(cfg));
    json_object_set_new(s, "data_sha256", json_string(meta->data_sha256));
    json_object_set_new(s, "status", json_string(run_status_name(res->diverged ? RUN_DIVERGED : RUN_OK)));
    json_object_set_new(s, "diverged_epoch",
                        res->diverged ? json_integer((json_int_t)res->diverged_epoch) : json_null());
    json_object_set_new(s, "diverged_iteration", res->diverged
                                                     ? json_integer((json_int_t)res->diverged_iteration)
                                                     : json_null());
    json_object_set_new(s, "epochs_completed", json_integer((json_int_t)res->n_epochs));
    /* the rows of iterations.csv where there is one (a softmax run that diverged
     * inside an epoch ran more minibatches than its completed epochs hold) */
    size_t iterations = res->iters ? res->n_iters : res->n_epochs * res->iters_per_epoch;
    json_object_set_new(s, "iterations", json_integer((json_int_t)iterations));
    json_object_set_new(s, "train_images", json_integer((json_int_t)res->train_count));
    json_object_set_new(s, "val_images", json_integer((json_int_t)res->val_count));
    json_object_set_new(s, "test_images", json_integer((json_int_t)res->test_count));
    json_object_set_new(s, "train_flops", json_real(res->train_flops));
    json_object_set_new(s, "final", final_of(res));
    return write_json(dir, RUN_FILES[RUN_SUMMARY], s, err);
}

int rundir_write_timing(const char *dir, double wall_seconds, double cpu_seconds,
                        const TrainResult *res, const char *isa, const char *machine,
                        const char *trained_with, char *err)
{
    json_t *t = json_object();
    json_object_set_new(t, "wall_seconds", json_real(wall_seconds));
    json_object_set_new(t, "cpu_seconds", json_real(cpu_seconds));
    if (res) {
        json_t *epochs = json_array();
        for (size_t i = 0; i < res->n_epochs; i++)
            json_array_append_new(epochs, json_real(res->epochs[i].cpu_seconds));
        json_object_set_new(t, "epoch_cpu_seconds", epochs);
    }
    json_object_set_new(t, "isa", json_string(isa));
    json_object_set_new(t, "machine", json_string(machine));
    char node[256], model[256];
    host_node(node, sizeof node);
    host_cpu_model(model, sizeof model);
    json_object_set_new(t, "node", json_string(node));
    json_object_set_new(t, "cpu_model", json_string(model));
    if (trained_with)
        json_object_set_new(t, "trained_with", json_string(trained_with));
    return write_json(dir, RUN_FILES[RUN_TIMING], t, err);
}
