#include "trainer.h"

#include "batch.h"
#include "err.h"
#include "layers.h"
#include "mlp.h"
#include "rng.h"
#include "softmax.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The model behind a run: a tagged union so the loop is written once. */
typedef struct {
    ModelKind kind;
    SoftmaxModel *softmax;
    Mlp *mlp;
    const RunConfig *cfg;
} Model;

static double model_forward(Model *m, const float *x, const uint8_t *y, size_t n, size_t *correct)
{
    switch (m->kind) {
    case MODEL_SOFTMAX:
        return softmax_model_forward(m->softmax, x, y, n, m->cfg->lambda, m->cfg->as_reported,
                                     correct);
    case MODEL_MLP:
        return mlp_forward(m->mlp, x, y, n, correct);
    }
    return NAN;
}

static void model_step(Model *m, const float *x)
{
    switch (m->kind) {
    case MODEL_SOFTMAX:
        softmax_model_backward(m->softmax, x, m->cfg->lambda, m->cfg->as_reported);
        softmax_model_sgd(m->softmax, (float)m->cfg->learning_rate);
        return;
    case MODEL_MLP:
        mlp_step(m->mlp, x, (float)m->cfg->learning_rate, (float)m->cfg->weight_decay);
        return;
    }
}

static int model_evaluate(Model *m, const float *x, const uint8_t *y, size_t n, double *loss_sum,
                          size_t *correct, char *err)
{
    switch (m->kind) {
    case MODEL_SOFTMAX:
        return softmax_model_evaluate(m->softmax, x, y, n, loss_sum, correct, err);
    case MODEL_MLP:
        return mlp_evaluate(m->mlp, x, y, n, loss_sum, correct, err);
    }
    return -1;
}

/* Scores `batches` minibatches drawn from b on set, whole minibatches gathered
 * into blocks of up to block rows (each row's loss does not depend on the rows
 * scored beside it, so the blocking changes no number). Adds each row's loss to
 * *loss_sum in row order, and counts the correct rows and the rows scored. */
static int evaluate_batches(Model *m, const IdxSet *set, Batcher *b, size_t batches,
                            size_t block, Prep prep, float *x, uint8_t *labels, uint32_t *rows,
                            double *loss_sum, size_t *correct, size_t *scored, char *err)
{
    *loss_sum = 0.0;
    *correct = 0;
    *scored = 0;
    size_t done = 0;
    while (done < batches) {
        size_t k = 0;
        do {
            k += batcher_next(b, rows + k);
            done++;
        } while (done < batches && k + b->batch <= block);
        data_batch(x, labels, set, rows, k, prep);
        if (model_evaluate(m, x, labels, k, loss_sum, correct, err) < 0)
            return -1;
        *scored += k;
    }
    return 0;
}

/* Every image of rows first..first+n of set, in file order. */
static int evaluate_all(Model *m, const IdxSet *set, size_t first, size_t n, Prep prep, float *x,
                        uint8_t *labels, uint32_t *rows, double *loss, double *acc, char *err)
{
    Batcher b;
    double sum;
    size_t correct, scored;
    if (batcher_init(&b, BATCH_EPOCH, n, first, EVAL_BLOCK, NULL, err) < 0 ||
        evaluate_batches(m, set, &b, batch_per_epoch(BATCH_EPOCH, n, EVAL_BLOCK), EVAL_BLOCK,
                         prep, x, labels, rows, &sum, &correct, &scored, err) < 0)
        return -1;
    *loss = sum / (double)n;
    *acc = (double)correct / (double)n;
    return 0;
}

/* The test set after an epoch. Homework: the first test_count / batch
 * minibatches in file order (a fresh pass, as the notebook's and the solver's
 * test loops read it); the softmax notebook divides the correct count by the
 * whole set's size, the solver averages the per-minibatch accuracies (all
 * full, so that is the correct count over the images scored). The loss is the
 * mean over the images scored. */
static int evaluate_test(Model *m, const RunConfig *cfg, const IdxSet *set, size_t block,
                         Prep prep, float *x, uint8_t *labels, uint32_t *rows, double *loss,
                         double *acc, char *err)
{
    if (cfg->protocol == PROTOCOL_EVERY_IMAGE)
        return evaluate_all(m, set, 0, set->count, prep, x, labels, rows, loss, acc, err);
    size_t batch = (size_t)cfg->batch_size;
    Batcher b;
    double sum;
    size_t correct, scored;
    if (batcher_init(&b, BATCH_NEXT_BATCH, set->count, 0, batch, NULL, err) < 0 ||
        evaluate_batches(m, set, &b, batch_per_epoch(BATCH_NEXT_BATCH, set->count, batch), block,
                         prep, x, labels, rows, &sum, &correct, &scored, err) < 0)
        return -1;
    *loss = sum / (double)scored;
    *acc = (double)correct / (double)(cfg->model == MODEL_SOFTMAX ? set->count : scored);
    return 0;
}

/* One run's state while it trains. */
typedef struct {
    const RunConfig *cfg;
    const Data *data;
    size_t pixels, n_train, n_val, batch, epochs, ipe, val_batches, max_batch;
    int is_softmax, homework;
    Prep prep;
    BatchRule rule;
    Model model;
    Rng init, shuffle;
    Batcher train, val;
    float *x;         /* max_batch x pixels: a prepared minibatch or evaluation block */
    uint8_t *labels;  /* max_batch */
    uint32_t *rows;   /* max_batch: the rows of that batch */
} Run;

/* The run's sizes and batching rule; 0, or -1 with err when there is nothing
 * to train or the homework's protocol cannot take the batch. */
static int run_plan(Run *r, const RunConfig *cfg, const Data *data, char *err)
{
    const IdxSet *tr = &data->train;
    memset(r, 0, sizeof *r);
    r->cfg = cfg;
    r->data = data;
    r->pixels = tr->rows * tr->cols;
    r->is_softmax = cfg->model == MODEL_SOFTMAX;
    r->homework = cfg->protocol == PROTOCOL_HOMEWORK;
    r->prep = r->is_softmax ? PREP_SCALE : PREP_SCALE_CENTER;
    /* the MLP's split, and the softmax's when it holds out a validation set */
    r->n_val = r->is_softmax && !cfg->holdout ? 0 : tr->count / 12;
    r->n_train = tr->count - r->n_val;
    r->batch = (size_t)cfg->batch_size;
    r->epochs = (size_t)cfg->max_epoch;
    if (r->n_train == 0 || r->batch == 0 || r->epochs == 0)
        return err_set(err, "train: nothing to train (%zu images, batch %zu, %zu epochs)",
                       r->n_train, r->batch, r->epochs);
    /* the softmax notebook's next_batch, the solver's stream, or every image */
    r->rule = !r->homework ? BATCH_EPOCH : r->is_softmax ? BATCH_NEXT_BATCH : BATCH_STREAM;
    r->ipe = batch_per_epoch(r->rule, r->n_train, r->batch);
    /* validation minibatches after each epoch (the solver's own loop; a
     * softmax with holdout scores every validation image) */
    r->val_batches = r->homework && !r->is_softmax
                         ? batch_per_epoch(BATCH_STREAM, r->n_val, r->batch)
                         : 0;
    r->max_batch = r->batch > EVAL_BLOCK ? r->batch : EVAL_BLOCK;
    if (!r->homework)
        return 0;
    /* the homework's loops take full minibatches only */
    int no_val = !r->is_softmax && r->val_batches == 0;
    const char *set = r->ipe == 0                   ? "training"
                      : no_val                      ? "validation"
                      : data->test.count < r->batch ? "test"
                                                    : NULL;
    size_t have = r->ipe == 0 ? r->n_train : no_val ? r->n_val : data->test.count;
    if (set)
        return err_set(err,
                       "train: batch %zu is more than the %zu %s images (the homework's "
                       "protocol takes full batches only)",
                       r->batch, have, set);
    return 0;
}

/* The buffers, the batchers and the model (its initial weights drawn from
 * the seed's init stream); 0, or -1 with err. */
static int run_open(Run *r, TrainResult *res, char *err)
{
    const RunConfig *cfg = r->cfg;
    r->model = (Model){cfg->model, NULL, NULL, cfg};
    rng_seed(&r->init, cfg->seed, RNG_STREAM_INIT);
    rng_seed(&r->shuffle, cfg->seed, RNG_STREAM_SHUFFLE);
    r->x = malloc(r->max_batch * r->pixels * sizeof *r->x);
    r->labels = malloc(r->max_batch);
    r->rows = malloc(r->max_batch * sizeof *r->rows);
    res->epochs = calloc(r->epochs, sizeof *res->epochs);
    res->iters = r->is_softmax ? calloc(r->ipe * r->epochs, sizeof *res->iters) : NULL;
    if (!r->x || !r->labels || !r->rows || (r->is_softmax && !res->iters) || !res->epochs)
        return err_set(err, "train: out of memory");
    /* the softmax reshuffles (from epoch 2 on); the MLP keeps the file's order */
    if (batcher_init(&r->train, r->rule, r->n_train, 0, r->batch,
                     r->is_softmax ? &r->shuffle : NULL, err) < 0 ||
        (r->val_batches &&
         batcher_init(&r->val, BATCH_STREAM, r->n_val, r->n_train, r->batch, NULL, err) < 0))
        return -1;
    if (r->is_softmax) {
        r->model.softmax = softmax_model_new(r->pixels, IDX_CLASSES, r->max_batch, &r->init, err);
        return r->model.softmax ? 0 : -1;
    }
    size_t hidden[MAX_HIDDEN];
    for (int l = 0; l < cfg->n_hidden; l++)
        hidden[l] = (size_t)cfg->hidden[l];
    r->model.mlp = mlp_new(r->pixels, hidden, (size_t)cfg->n_hidden, IDX_CLASSES, cfg->activation,
                           cfg->loss, r->max_batch, &r->init, err);
    return r->model.mlp ? 0 : -1;
}

static void run_close(Run *r)
{
    softmax_model_free(r->model.softmax);
    mlp_free(r->model.mlp);
    batcher_release(&r->train);
    batcher_release(&r->val);
    free(r->x);
    free(r->labels);
    free(r->rows);
}

/* CPU time of this process, in seconds: the epochs' timings. */
static double cpu_now(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) != 0)
        return NAN;
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* ||W_k||_F of each weight matrix of the model, input side first. */
static void weight_norms(Model *m, EpochStats *e)
{
    switch (m->kind) {
    case MODEL_SOFTMAX: {
        SoftmaxModel *s = m->softmax;
        size_t count = softmax_model_inputs(s) * softmax_model_classes(s);
        e->n_weight_norms = 1;
        e->weight_norm[0] = sqrt(weights_sum_squares(softmax_model_weights(s), count));
        return;
    }
    case MODEL_MLP: {
        const float *p = mlp_params(m->mlp);
        e->n_weight_norms = mlp_layer_count(m->mlp);
        for (size_t l = 0; l < e->n_weight_norms; l++) {
            MlpLayer at = mlp_layer(m->mlp, l);
            /* sqrt is correctly rounded (IEEE 754): the same bits everywhere */
            e->weight_norm[l] = sqrt(weights_sum_squares(p + at.w, at.in * at.out));
        }
        return;
    }
    }
}

/* One epoch of minibatch steps; marks res diverged at a non-finite loss. */
static void train_epoch(Run *r, TrainResult *res, size_t epoch, size_t *iteration,
                        TrainProgress progress, void *ctx)
{
    const IdxSet *tr = &r->data->train;
    double loss_sum = 0.0, acc_sum = 0.0;
    for (size_t it = 0; it < r->ipe; it++) {
        size_t n = batcher_next(&r->train, r->rows);
        size_t correct = 0;
        data_batch(r->x, r->labels, tr, r->rows, n, r->prep);
        double loss = model_forward(&r->model, r->x, r->labels, n, &correct);
        (*iteration)++;
        if (!isfinite(loss)) {
            res->diverged = 1;
            res->diverged_epoch = epoch;
            res->diverged_iteration = *iteration;
            return;
        }
        double acc = (double)correct / (double)n;
        if (res->iters) {
            res->iters[res->n_iters].loss = (float)loss;
            res->iters[res->n_iters].acc = (float)acc;
            res->n_iters++;
        }
        loss_sum += loss;
        acc_sum += acc;
        res->last_batch_loss = loss;
        res->last_batch_acc = acc;
        model_step(&r->model, r->x);
        res->train_flops += runconfig_flops(r->cfg, r->pixels, IDX_CLASSES, n, 1);
        if (progress)
            progress(ctx, epoch, *iteration, r->ipe * r->epochs, loss);
    }
    res->epochs[res->n_epochs].train_loss = loss_sum / (double)r->ipe;
    res->epochs[res->n_epochs].train_acc = acc_sum / (double)r->ipe;
}

/* The evaluations after an epoch into e: the whole training set (split),
 * the validation stream or set (mlp, softmax with holdout), the test set, and
 * the weight norms. 0, or -1 with err. */
static int evaluate_epoch(Run *r, EpochStats *e, char *err)
{
    const IdxSet *tr = &r->data->train;
    Model *m = &r->model;
    weight_norms(m, e);
    /* every training image once, in file order, as validation and test are
     * scored: so the three accuracies are measured the same way */
    e->has_full = 1;
    if (evaluate_all(m, tr, 0, r->n_train, r->prep, r->x, r->labels, r->rows,
                     &e->full_train_loss, &e->full_train_acc, err) < 0)
        return -1;
    if (r->is_softmax) /* the objective, penalty included, like the minibatch loss */
        e->full_train_loss +=
            softmax_model_penalty(m->softmax, r->cfg->lambda, r->cfg->as_reported);
    if (r->val_batches) {
        /* the next val_batches minibatches of the validation stream: the
         * window drifts when the batch does not divide the set */
        double sum;
        size_t correct, scored;
        e->has_val = 1;
        if (evaluate_batches(m, tr, &r->val, r->val_batches, r->max_batch, r->prep, r->x,
                             r->labels, r->rows, &sum, &correct, &scored, err) < 0)
            return -1;
        e->val_loss = sum / (double)scored;
        e->val_acc = (double)correct / (double)scored;
    } else if (r->n_val) { /* every validation image (the softmax has none without holdout) */
        e->has_val = 1;
        if (evaluate_all(m, tr, r->n_train, r->n_val, r->prep, r->x, r->labels, r->rows,
                         &e->val_loss, &e->val_acc, err) < 0)
            return -1;
    }
    return evaluate_test(m, r->cfg, &r->data->test, r->max_batch, r->prep, r->x, r->labels,
                         r->rows, &e->test_loss, &e->test_acc, err);
}

int train_run(const RunConfig *cfg, const Data *data, TrainResult *res, TrainProgress progress,
              void *ctx, char *err)
{
    memset(res, 0, sizeof *res);
    Run r;
    if (run_plan(&r, cfg, data, err) < 0)
        return -1;
    res->iters_per_epoch = r.ipe;
    res->train_count = r.n_train;
    res->val_count = r.n_val;
    res->test_count = data->test.count;
    int rc = -1;
    if (run_open(&r, res, err) < 0)
        goto done;
    size_t iteration = 0;
    for (size_t epoch = 1; epoch <= r.epochs; epoch++) {
        double c0 = cpu_now();
        train_epoch(&r, res, epoch, &iteration, progress, ctx);
        if (res->diverged)
            break;
        EpochStats *e = &res->epochs[res->n_epochs];
        e->cpu_seconds = cpu_now() - c0;
        e->epoch = epoch;
        if (evaluate_epoch(&r, e, err) < 0)
            goto done;
        if (!isfinite(e->test_loss) || !isfinite(e->full_train_loss) || !isfinite(e->val_loss)) {
            /* the last update of the epoch blew up: no finite record for it */
            res->diverged = 1;
            res->diverged_epoch = epoch;
            res->diverged_iteration = iteration;
            break;
        }
        res->n_epochs++;
    }
    rc = 0;
done:
    run_close(&r);
    return rc;
}
