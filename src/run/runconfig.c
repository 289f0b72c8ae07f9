/* runconfig.c - the fields of a run's configuration, their names, defaults,
 * value texts and comparison (runconfig.h). */
#include "runconfig.h"

#include "err.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *const MODEL_NAMES[] = {[MODEL_SOFTMAX] = "softmax", [MODEL_MLP] = "mlp"};
static const char *const ACTIVATION_NAMES[] = {[ACT_RELU] = "relu", [ACT_SIGMOID] = "sigmoid"};
static const char *const LOSS_NAMES[] = {[LOSS_EUCLIDEAN] = "euclidean",
                                         [LOSS_CROSS_ENTROPY] = "cross-entropy"};
static const char *const PROTOCOL_NAMES[] = {[PROTOCOL_HOMEWORK] = "homework",
                                             [PROTOCOL_EVERY_IMAGE] = "every-image"};
static const char *const FIELD_NAMES[CFG_FIELD_COUNT] = {
    "model",        "learning_rate", "batch_size", "max_epoch", "lambda",   "as_reported",
    "holdout",      "weight_decay",  "hidden",     "activation", "loss",   "protocol",
    "seed",
};

static const char *name_of(const char *const *names, size_t n, unsigned v)
{
    return v < n ? names[v] : "?";
}

static int index_of(const char *const *names, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], s) == 0)
            return (int)i;
    return -1;
}

/* The name and from-name functions of one enum, both over its one table. */
#define ENUM_NAMES(Type, TABLE, name_fn, from_fn)                                                  \
    const char *name_fn(Type v)                                                                    \
    {                                                                                              \
        return name_of(TABLE, COUNT(TABLE), (unsigned)v);                                          \
    }                                                                                              \
    int from_fn(const char *s, Type *out)                                                          \
    {                                                                                              \
        int i = index_of(TABLE, COUNT(TABLE), s);                                                  \
        if (i < 0)                                                                                 \
            return -1;                                                                             \
        *out = (Type)i;                                                                            \
        return 0;                                                                                  \
    }

ENUM_NAMES(ModelKind, MODEL_NAMES, model_name, model_from_name)
ENUM_NAMES(Activation, ACTIVATION_NAMES, activation_name, activation_from_name)
ENUM_NAMES(LossKind, LOSS_NAMES, loss_name, loss_from_name)
ENUM_NAMES(Protocol, PROTOCOL_NAMES, protocol_name, protocol_from_name)

const char *config_field_name(ConfigField f)
{
    return name_of(FIELD_NAMES, COUNT(FIELD_NAMES), (unsigned)f);
}

int config_field_applies(ConfigField f, ModelKind m)
{
    switch (f) {
    case CFG_MODEL:
    case CFG_LEARNING_RATE:
    case CFG_BATCH_SIZE:
    case CFG_MAX_EPOCH:
    case CFG_PROTOCOL:
    case CFG_SEED:
        return 1;
    case CFG_LAMBDA:
    case CFG_AS_REPORTED:
    case CFG_HOLDOUT:
        return m == MODEL_SOFTMAX;
    case CFG_WEIGHT_DECAY:
    case CFG_HIDDEN:
    case CFG_ACTIVATION:
    case CFG_LOSS:
        return m == MODEL_MLP;
    case CFG_FIELD_COUNT:
        break;
    }
    return 0;
}

void runconfig_defaults(RunConfig *cfg, ModelKind m)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->model = m;
    cfg->batch_size = 100;
    cfg->seed = 1;
    switch (m) {
    case MODEL_SOFTMAX:
        cfg->learning_rate = 0.01;
        cfg->max_epoch = 10;
        cfg->lambda = 0.5;
        break;
    case MODEL_MLP:
        cfg->learning_rate = 0.001;
        cfg->max_epoch = 20;
        cfg->weight_decay = 0.1;
        cfg->n_hidden = 1;
        cfg->hidden[0] = 128;
        cfg->activation = ACT_RELU;
        cfg->loss = LOSS_CROSS_ENTROPY;
        break;
    }
}

/* strtod, fully consumed, finite; -0 becomes 0 so that it prints as "0".
 * Underflow (ERANGE with a tiny or zero result) is accepted: subnormal values
 * must read back for the planner's per-run files (cfgfile.h). */
static int parse_double(const char *s, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end != '\0' || !isfinite(v))
        return -1;
    *out = v == 0 ? 0.0 : v;
    return 0;
}

static int parse_int(const char *s, long lo, long hi, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || *end != '\0' || errno == ERANGE || v < lo || v > hi)
        return -1;
    *out = (int)v;
    return 0;
}

/* "512x128": decimal sizes in 1..CFG_LAYER_MAX joined with 'x'. Returns 0, -1
 * for a malformed size, -2 for more than MAX_HIDDEN layers. */
static int parse_hidden(const char *s, RunConfig *cfg)
{
    int sizes[MAX_HIDDEN];
    int n = 0;
    const char *p = s;
    for (;;) {
        const char *start = p;
        long v = 0;
        while (*p >= '0' && *p <= '9') {
            if (v <= CFG_LAYER_MAX)
                v = v * 10 + (*p - '0');
            p++;
        }
        if (p == start || v < 1 || v > CFG_LAYER_MAX)
            return -1;
        sizes[n++] = (int)v;
        if (*p == '\0')
            break;
        if (*p != 'x')
            return -1;
        if (n == MAX_HIDDEN)
            return -2;
        p++;
    }
    memset(cfg->hidden, 0, sizeof cfg->hidden);
    memcpy(cfg->hidden, sizes, (size_t)n * sizeof sizes[0]);
    cfg->n_hidden = n;
    return 0;
}

static const char *const BOOL_NAMES[] = {"false", "true"};

/* The fields written as a name: "'activation' must be relu or sigmoid, got 'x'". */
static int set_named(RunConfig *cfg, ConfigField f, const char *s, char *msg)
{
    const char *const *names = BOOL_NAMES;
    int i = -1;
    switch (f) {
    case CFG_MODEL:
        names = MODEL_NAMES;
        i = model_from_name(s, &cfg->model);
        break;
    case CFG_ACTIVATION:
        names = ACTIVATION_NAMES;
        i = activation_from_name(s, &cfg->activation);
        break;
    case CFG_LOSS:
        names = LOSS_NAMES;
        i = loss_from_name(s, &cfg->loss);
        break;
    case CFG_PROTOCOL:
        names = PROTOCOL_NAMES;
        i = protocol_from_name(s, &cfg->protocol);
        break;
    case CFG_AS_REPORTED:
    case CFG_HOLDOUT:
        i = index_of(BOOL_NAMES, COUNT(BOOL_NAMES), s);
        if (i >= 0)
            *(f == CFG_HOLDOUT ? &cfg->holdout : &cfg->as_reported) = i;
        break;
    case CFG_LEARNING_RATE:
    case CFG_BATCH_SIZE:
    case CFG_MAX_EPOCH:
    case CFG_LAMBDA:
    case CFG_WEIGHT_DECAY:
    case CFG_HIDDEN:
    case CFG_SEED:
    case CFG_FIELD_COUNT:
        break;
    }
    if (i < 0) /* every such table has two names; true before false, as it always read */
        return err_set(msg, "'%s' must be %s or %s, got '%s'", FIELD_NAMES[f],
                       names == BOOL_NAMES ? "true" : names[0],
                       names == BOOL_NAMES ? "false" : names[1], s);
    return 0;
}

int runconfig_set(RunConfig *cfg, ConfigField f, const char *s, char *msg)
{
    const char *name = config_field_name(f);
    double d;
    int rc;
    switch (f) {
    case CFG_MODEL:
    case CFG_AS_REPORTED:
    case CFG_HOLDOUT:
    case CFG_ACTIVATION:
    case CFG_LOSS:
    case CFG_PROTOCOL:
        return set_named(cfg, f, s, msg);
    case CFG_LEARNING_RATE:
        if (parse_double(s, &d) != 0)
            return err_set(msg, "'%s': '%s' is not a finite number", name, s);
        if (!(d > 0))
            return err_set(msg, "'%s' must be > 0, got '%s'", name, s);
        cfg->learning_rate = d;
        return 0;
    case CFG_LAMBDA:
    case CFG_WEIGHT_DECAY:
        if (parse_double(s, &d) != 0)
            return err_set(msg, "'%s': '%s' is not a finite number", name, s);
        if (!(d >= 0))
            return err_set(msg, "'%s' must be >= 0, got '%s'", name, s);
        *(f == CFG_LAMBDA ? &cfg->lambda : &cfg->weight_decay) = d;
        return 0;
    case CFG_BATCH_SIZE:
    case CFG_MAX_EPOCH: {
        int hi = f == CFG_BATCH_SIZE ? CFG_BATCH_MAX : CFG_EPOCH_MAX;
        if (parse_int(s, 1, hi, f == CFG_BATCH_SIZE ? &cfg->batch_size : &cfg->max_epoch) != 0)
            return err_set(msg, "'%s' must be an integer in 1..%d, got '%s'", name, hi, s);
        return 0;
    }
    case CFG_HIDDEN:
        rc = parse_hidden(s, cfg);
        if (rc == -2)
            return err_set(msg, "'%s' has more than %d layers: '%s'", name, MAX_HIDDEN, s);
        if (rc != 0)
            return err_set(msg, "'%s' must be layer sizes in 1..%d joined with 'x', got '%s'", name,
                           CFG_LAYER_MAX, s);
        return 0;
    case CFG_SEED:
    case CFG_FIELD_COUNT:
        break;
    }
    return err_set(msg, "'%s' is not read by runconfig_set", name);
}

int runconfig_field_equal(ConfigField f, const RunConfig *a, const RunConfig *b)
{
    switch (f) {
    case CFG_MODEL:
        return a->model == b->model;
    case CFG_LEARNING_RATE:
        return a->learning_rate == b->learning_rate;
    case CFG_BATCH_SIZE:
        return a->batch_size == b->batch_size;
    case CFG_MAX_EPOCH:
        return a->max_epoch == b->max_epoch;
    case CFG_LAMBDA:
        return a->lambda == b->lambda;
    case CFG_AS_REPORTED:
        return a->as_reported == b->as_reported;
    case CFG_HOLDOUT:
        return a->holdout == b->holdout;
    case CFG_WEIGHT_DECAY:
        return a->weight_decay == b->weight_decay;
    case CFG_HIDDEN:
        if (a->n_hidden != b->n_hidden)
            return 0;
        for (int k = 0; k < a->n_hidden; k++)
            if (a->hidden[k] != b->hidden[k])
                return 0;
        return 1;
    case CFG_ACTIVATION:
        return a->activation == b->activation;
    case CFG_LOSS:
        return a->loss == b->loss;
    case CFG_PROTOCOL:
        return a->protocol == b->protocol;
    case CFG_SEED:
        return a->seed == b->seed;
    case CFG_FIELD_COUNT:
        break;
    }
    return 0;
}

const char *runconfig_diff(const RunConfig *a, const RunConfig *b, unsigned ignore)
{
    for (int f = 0; f < CFG_FIELD_COUNT; f++)
        if (!(ignore & CFG_BIT(f)) && !runconfig_field_equal((ConfigField)f, a, b))
            return FIELD_NAMES[f];
    return NULL;
}

double runconfig_flops(const RunConfig *cfg, size_t inputs, size_t classes, size_t n, int train)
{
    int hidden = cfg->model == MODEL_MLP ? cfg->n_hidden : 0;
    double f = 0.0;
    size_t in = inputs;
    for (int l = 0; l <= hidden; l++) {
        size_t out = l < hidden ? (size_t)cfg->hidden[l] : classes;
        double per = train ? (l == 0 ? 4.0 : 6.0) : 2.0;
        f += per * (double)n * (double)in * (double)out;
        in = out;
    }
    return f;
}
