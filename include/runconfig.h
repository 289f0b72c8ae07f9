/* runconfig.h - one run's configuration: its fields, their names and
 * defaults, the text of each value, and how two configurations compare.
 *
 * On the run's floor (src/run), which both sides use: the experiment parser
 * (experiment.h) reads values through runconfig_set, the single-run file's
 * writer (cfgfile.h) writes them back, the run directory (rundir.h) writes and
 * reads the names, the report compares configurations with runconfig_diff.
 * Each enum has one name table here, the names in files; nothing else spells
 * "relu" or "every-image" (their names on the page are display.h's). */
#ifndef RUNCONFIG_H
#define RUNCONFIG_H

#include "kinds.h"

#include <stddef.h>
#include <stdint.h>

#define MAX_HIDDEN 4

typedef enum { MODEL_SOFTMAX, MODEL_MLP } ModelKind;
/* How minibatches, validation and test take their images (include/batch.h):
 * the homework's own code (the default), or every image once per epoch with a
 * short last batch and every validation and test image scored. */
typedef enum { PROTOCOL_HOMEWORK, PROTOCOL_EVERY_IMAGE } Protocol;

/* One fully specified run. Defaults (README.md, "The homework") depend on the
 * model: softmax batch 100, 10 epochs, lr 0.01, lambda 0.5; mlp batch 100, 20
 * epochs, lr 0.001, weight decay 0.1, hidden 128, relu, cross-entropy; both
 * the homework's protocol. Fields that do not apply to the model are zero
 * (runconfig_defaults clears the whole struct). Compare with runconfig_diff. */
typedef struct {
    ModelKind model;
    double learning_rate;
    int batch_size;
    int max_epoch;
    double lambda;       /* softmax: L2 coefficient in loss and gradient */
    int as_reported;     /* softmax: keep lambda in the loss, drop it from the gradient */
    int holdout;         /* softmax: train on the first 11/12 of the training file and
                          * validate on the last 1/12 (the MLP's split) */
    double weight_decay; /* mlp: SGD decay on weights, not biases, not in the loss */
    int n_hidden;        /* mlp: number of hidden layers, 1..MAX_HIDDEN */
    int hidden[MAX_HIDDEN];
    Activation activation;
    LossKind loss;
    Protocol protocol;   /* both models */
    uint64_t seed;
} RunConfig;

/* The fields of a RunConfig, in the order of experiment files, summary.json's
 * "config" and every comparison. */
typedef enum {
    CFG_MODEL,
    CFG_LEARNING_RATE,
    CFG_BATCH_SIZE,
    CFG_MAX_EPOCH,
    CFG_LAMBDA,
    CFG_AS_REPORTED,
    CFG_HOLDOUT,
    CFG_WEIGHT_DECAY,
    CFG_HIDDEN,
    CFG_ACTIVATION,
    CFG_LOSS,
    CFG_PROTOCOL,
    CFG_SEED,
    CFG_FIELD_COUNT
} ConfigField;

#define CFG_BIT(f) (1u << (f)) /* a set of fields, for runconfig_diff's ignore */

/* Names of the enums' values, as files write them; "?" for a value out of range. */
const char *model_name(ModelKind m);       /* "softmax", "mlp" */
const char *activation_name(Activation a); /* "relu", "sigmoid" */
const char *loss_name(LossKind l);         /* "euclidean", "cross-entropy" */
const char *protocol_name(Protocol p);     /* "homework", "every-image" */
/* The value called s: 0, or -1 (*out untouched) when no value has that name. */
int model_from_name(const char *s, ModelKind *out);
int activation_from_name(const char *s, Activation *out);
int loss_from_name(const char *s, LossKind *out);
int protocol_from_name(const char *s, Protocol *out);

/* "model", "learning_rate", ..., "protocol", "seed": the key in files. */
const char *config_field_name(ConfigField f);
/* Whether the field means anything for the model (lambda: softmax only, ...). */
int config_field_applies(ConfigField f, ModelKind m);

/* Clears cfg (padding included) and sets the model's defaults, seed 1. */
void runconfig_defaults(RunConfig *cfg, ModelKind m);

#define CFG_BATCH_MAX 65536
#define CFG_EPOCH_MAX 10000
#define CFG_LAYER_MAX 65536

/* Parses the text of field f (any but CFG_SEED, whose list is the experiment
 * file's business) as an experiment file writes it ("0.01", "512x128",
 * "relu", "true") into cfg. Returns 0, or -1 with a message naming the key and
 * the text, such as "'batch_size' must be an integer in 1..65536, got '0'", in
 * msg (ERR_MAX bytes). */
int runconfig_set(RunConfig *cfg, ConfigField f, const char *s, char *msg);

/* Whether a and b hold the same value of field f. */
int runconfig_field_equal(ConfigField f, const RunConfig *a, const RunConfig *b);

/* The name of the first field (in ConfigField order) outside the set ignore
 * (CFG_BIT(f) | ...) where a and b differ, or NULL when they agree on all. */
const char *runconfig_diff(const RunConfig *a, const RunConfig *b, unsigned ignore);

/* Matrix-product FLOPs of the network cfg describes (inputs -> hidden... ->
 * classes; the softmax has no hidden layer) on n rows: 2 in out per row and
 * layer for the forward product x W, and when train is set a training step's
 * too, the weight gradient x^T dy (2 in out) for every layer and the input
 * gradient dy W^T (2 in out) for every layer but the first. The trainer sums
 * it over its minibatches (summary.json's "train_flops"); the planner
 * estimates a run's cost with it. */
double runconfig_flops(const RunConfig *cfg, size_t inputs, size_t classes, size_t n, int train);

#endif
