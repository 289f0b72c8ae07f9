#include "runlog.h"

#include "atomic.h"
#include "err.h"
#include "host.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PATH_CAP 4096

static const char *const RUN_FILES[] = {"summary.json", "epochs.csv", "iterations.csv",
                                        "timing.json"};

static int join(char *out, const char *dir, const char *name, char *err)
{
    int n = snprintf(out, PATH_CAP, "%s/%s", dir, name);
    if (n < 0 || n >= PATH_CAP)
        return err_set(err, "write: '%s': path too long", dir);
    return 0;
}

int runlog_clear(const char *dir, char *err)
{
    char path[PATH_CAP];
    for (size_t i = 0; i < sizeof RUN_FILES / sizeof RUN_FILES[0]; i++) {
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

/* A cell: %.9g, enough to round-trip the float the value was computed from. */
static void cell(FILE *f, double v)
{
    fprintf(f, ",%.9g", v);
}

static int write_epochs(const char *dir, const TrainResult *res, char *err)
{
    char path[PATH_CAP];
    AtomicFile a;
    if (join(path, dir, "epochs.csv", err) < 0 || atomic_open(&a, path, err) < 0)
        return -1;
    fputs("epoch,train_loss,train_acc,full_train_loss,full_train_acc,val_loss,val_acc,"
          "test_loss,test_acc\n",
          a.f);
    for (size_t i = 0; i < res->n_epochs; i++) {
        const EpochStats *e = &res->epochs[i];
        fprintf(a.f, "%zu", e->epoch);
        cell(a.f, e->train_loss);
        cell(a.f, e->train_acc);
        if (e->has_full) {
            cell(a.f, e->full_train_loss);
            cell(a.f, e->full_train_acc);
        } else {
            fputs(",,", a.f);
        }
        if (e->has_val) {
            cell(a.f, e->val_loss);
            cell(a.f, e->val_acc);
        } else {
            fputs(",,", a.f);
        }
        cell(a.f, e->test_loss);
        cell(a.f, e->test_acc);
        fputc('\n', a.f);
    }
    return atomic_commit(&a, err);
}

static int write_iterations(const char *dir, const TrainResult *res, char *err)
{
    char path[PATH_CAP];
    AtomicFile a;
    if (join(path, dir, "iterations.csv", err) < 0 || atomic_open(&a, path, err) < 0)
        return -1;
    fputs("iteration,epoch,loss,acc\n", a.f);
    for (size_t i = 0; i < res->n_iters; i++)
        fprintf(a.f, "%zu,%zu,%.9g,%.9g\n", i + 1, i / res->iters_per_epoch + 1,
                (double)res->iters[i].loss, (double)res->iters[i].acc);
    return atomic_commit(&a, err);
}

static json_t *real(double v)
{
    return json_real(v);
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

static json_t *config_of(const RunConfig *c)
{
    json_t *o = json_object();
    json_object_set_new(o, "model", json_string(model_name(c->model)));
    json_object_set_new(o, "learning_rate", json_real(c->learning_rate));
    json_object_set_new(o, "batch_size", json_integer(c->batch_size));
    json_object_set_new(o, "max_epoch", json_integer(c->max_epoch));
    switch (c->model) {
    case MODEL_SOFTMAX:
        json_object_set_new(o, "lambda", json_real(c->lambda));
        json_object_set_new(o, "as_reported", json_boolean(c->as_reported));
        break;
    case MODEL_MLP: {
        json_object_set_new(o, "weight_decay", json_real(c->weight_decay));
        json_t *h = json_array();
        for (int i = 0; i < c->n_hidden; i++)
            json_array_append_new(h, json_integer(c->hidden[i]));
        json_object_set_new(o, "hidden", h);
        json_object_set_new(o, "activation", json_string(activation_name(c->activation)));
        json_object_set_new(o, "loss", json_string(loss_name(c->loss)));
        break;
    }
    }
    /* only when it is not the default: the key came after the results at
     * batch 100, which the homework's protocol leaves exactly as they were */
    if (c->protocol != PROTOCOL_HOMEWORK)
        json_object_set_new(o, "protocol", json_string(protocol_name(c->protocol)));
    json_object_set_new(o, "seed", json_integer((json_int_t)c->seed));
    return o;
}

static json_t *final_of(const TrainResult *res)
{
    json_t *o = json_object();
    const EpochStats *e = res->n_epochs ? &res->epochs[res->n_epochs - 1] : NULL;
    int any = res->n_iters > 0 || res->n_epochs > 0;
    json_object_set_new(o, "last_batch_loss", any ? real(res->last_batch_loss) : json_null());
    json_object_set_new(o, "last_batch_acc", any ? real(res->last_batch_acc) : json_null());
#define FIELD(name, present) \
    json_object_set_new(o, #name, (e && (present)) ? real(e->name) : json_null())
    FIELD(train_loss, 1);
    FIELD(train_acc, 1);
    FIELD(full_train_loss, e->has_full);
    FIELD(full_train_acc, e->has_full);
    FIELD(val_loss, e->has_val);
    FIELD(val_acc, e->has_val);
    FIELD(test_loss, 1);
    FIELD(test_acc, 1);
#undef FIELD
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

int runlog_write(const char *dir, const RunMeta *meta, const RunConfig *cfg, const TrainResult *res,
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
    json_object_set_new(s, "status", json_string(res->diverged ? "diverged" : "ok"));
    json_object_set_new(s, "diverged_epoch",
                        res->diverged ? json_integer((json_int_t)res->diverged_epoch) : json_null());
    json_object_set_new(s, "diverged_iteration", res->diverged
                                                     ? json_integer((json_int_t)res->diverged_iteration)
                                                     : json_null());
    json_object_set_new(s, "epochs_completed", json_integer((json_int_t)res->n_epochs));
    json_object_set_new(s, "iterations", json_integer((json_int_t)(res->n_epochs * res->iters_per_epoch)));
    json_object_set_new(s, "train_images", json_integer((json_int_t)res->train_count));
    json_object_set_new(s, "val_images", json_integer((json_int_t)res->val_count));
    json_object_set_new(s, "test_images", json_integer((json_int_t)res->test_count));
    json_object_set_new(s, "train_flops", json_real(res->train_flops));
    json_object_set_new(s, "final", final_of(res));
    return write_json(dir, "summary.json", s, err);
}

int runlog_write_timing(const char *dir, double wall_seconds, double cpu_seconds, const char *isa,
                        const char *machine, const char *trained_with, char *err)
{
    json_t *t = json_object();
    json_object_set_new(t, "wall_seconds", json_real(wall_seconds));
    json_object_set_new(t, "cpu_seconds", json_real(cpu_seconds));
    json_object_set_new(t, "isa", json_string(isa));
    json_object_set_new(t, "machine", json_string(machine));
    char node[256], model[256];
    host_node(node, sizeof node);
    host_cpu_model(model, sizeof model);
    json_object_set_new(t, "node", json_string(node));
    json_object_set_new(t, "cpu_model", json_string(model));
    if (trained_with)
        json_object_set_new(t, "trained_with", json_string(trained_with));
    return write_json(dir, "timing.json", t, err);
}
