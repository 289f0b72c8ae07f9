#include "trainer.h"

#include "batch.h"
#include "err.h"
#include "mlp.h"
#include "rng.h"
#include "softmax.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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
        data_batch(x, labels, set, rows, 0, k, prep);
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

int train_run(const RunConfig *cfg, const Data *data, TrainResult *res, TrainProgress progress,
              void *ctx, char *err)
{
    memset(res, 0, sizeof *res);
    const IdxSet *tr = &data->train;
    const size_t pixels = tr->rows * tr->cols;
    const size_t classes = IDX_CLASSES;
    const int is_softmax = cfg->model == MODEL_SOFTMAX;
    const int homework = cfg->protocol == PROTOCOL_HOMEWORK;
    const Prep prep = is_softmax ? PREP_SCALE : PREP_SCALE_CENTER;
    size_t n_val = is_softmax ? 0 : tr->count / 12;
    size_t n_train = tr->count - n_val;
    size_t batch = (size_t)cfg->batch_size;
    size_t epochs = (size_t)cfg->max_epoch;
    if (n_train == 0 || batch == 0 || epochs == 0)
        return err_set(err, "train: nothing to train (%zu images, batch %zu, %zu epochs)", n_train,
                       batch, epochs);
    /* the softmax notebook's next_batch, the solver's stream, or every image */
    BatchRule rule = !homework ? BATCH_EPOCH : is_softmax ? BATCH_NEXT_BATCH : BATCH_STREAM;
    size_t ipe = batch_per_epoch(rule, n_train, batch);
    /* validation minibatches after each epoch (the solver's own loop) */
    size_t val_batches = homework ? batch_per_epoch(BATCH_STREAM, n_val, batch) : 0;
    if (homework) {
        /* the homework's loops take full minibatches only */
        const char *set = ipe == 0                       ? "training"
                          : !is_softmax && val_batches == 0 ? "validation"
                          : data->test.count < batch        ? "test"
                                                            : NULL;
        size_t have = ipe == 0 ? n_train : !is_softmax && val_batches == 0 ? n_val
                                                                          : data->test.count;
        if (set)
            return err_set(err,
                           "train: batch %zu is more than the %zu %s images (the homework's "
                           "protocol takes full batches only)",
                           batch, have, set);
    }
    res->iters_per_epoch = ipe;
    res->train_count = n_train;
    res->val_count = n_val;
    res->test_count = data->test.count;

    size_t max_batch = batch > EVAL_BLOCK ? batch : EVAL_BLOCK;
    Model model = {cfg->model, NULL, NULL, cfg};
    Rng init, shuffle;
    rng_seed(&init, cfg->seed, RNG_STREAM_INIT);
    rng_seed(&shuffle, cfg->seed, RNG_STREAM_SHUFFLE);
    Batcher train = {0}, val = {0};
    float *x = malloc(max_batch * pixels * sizeof *x);
    uint8_t *labels = malloc(max_batch);
    uint32_t *rows = malloc(max_batch * sizeof *rows);
    res->epochs = calloc(epochs, sizeof *res->epochs);
    res->iters = is_softmax ? calloc(ipe * epochs, sizeof *res->iters) : NULL;
    int rc = -1;
    if (!x || !labels || !rows || (is_softmax && !res->iters) || !res->epochs) {
        err_set(err, "train: out of memory");
        goto done;
    }
    /* the softmax reshuffles (from epoch 2 on); the MLP keeps the file's order */
    if (batcher_init(&train, rule, n_train, 0, batch, is_softmax ? &shuffle : NULL, err) < 0 ||
        (val_batches && batcher_init(&val, BATCH_STREAM, n_val, n_train, batch, NULL, err) < 0))
        goto done;
    if (is_softmax) {
        model.softmax = softmax_model_new(pixels, classes, max_batch, &init, err);
        if (!model.softmax)
            goto done;
    } else {
        size_t hidden[MAX_HIDDEN];
        for (int l = 0; l < cfg->n_hidden; l++)
            hidden[l] = (size_t)cfg->hidden[l];
        model.mlp = mlp_new(pixels, hidden, (size_t)cfg->n_hidden, classes, cfg->activation,
                            cfg->loss, max_batch, &init, err);
        if (!model.mlp)
            goto done;
    }

    size_t iteration = 0;
    for (size_t epoch = 1; epoch <= epochs; epoch++) {
        double loss_sum = 0.0, acc_sum = 0.0;
        for (size_t it = 0; it < ipe; it++) {
            size_t n = batcher_next(&train, rows);
            size_t correct = 0;
            data_batch(x, labels, tr, rows, 0, n, prep);
            double loss = model_forward(&model, x, labels, n, &correct);
            iteration++;
            if (!isfinite(loss)) {
                res->diverged = 1;
                res->diverged_epoch = epoch;
                res->diverged_iteration = iteration;
                break;
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
            model_step(&model, x);
            res->train_flops += runconfig_flops(cfg, pixels, classes, n, 1);
            if (progress)
                progress(ctx, epoch, iteration, ipe * epochs, loss);
        }
        if (res->diverged)
            break;
        EpochStats *e = &res->epochs[res->n_epochs];
        e->epoch = epoch;
        e->train_loss = loss_sum / (double)ipe;
        e->train_acc = acc_sum / (double)ipe;
        if (is_softmax) {
            /* the whole training set's objective, penalty included, like the minibatch loss */
            e->has_full = 1;
            if (evaluate_all(&model, tr, 0, n_train, prep, x, labels, rows, &e->full_train_loss,
                             &e->full_train_acc, err) < 0)
                goto done;
            e->full_train_loss += softmax_model_penalty(model.softmax, cfg->lambda,
                                                        cfg->as_reported);
        } else if (homework) {
            /* the next val_batches minibatches of the validation stream: the
             * window drifts when the batch does not divide the set */
            double sum;
            size_t correct, scored;
            e->has_val = 1;
            if (evaluate_batches(&model, tr, &val, val_batches, max_batch, prep, x, labels, rows,
                                 &sum, &correct, &scored, err) < 0)
                goto done;
            e->val_loss = sum / (double)scored;
            e->val_acc = (double)correct / (double)scored;
        } else {
            e->has_val = 1;
            if (evaluate_all(&model, tr, n_train, n_val, prep, x, labels, rows, &e->val_loss,
                             &e->val_acc, err) < 0)
                goto done;
        }
        if (evaluate_test(&model, cfg, &data->test, max_batch, prep, x, labels, rows,
                          &e->test_loss, &e->test_acc, err) < 0)
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
    softmax_model_free(model.softmax);
    mlp_free(model.mlp);
    batcher_release(&train);
    batcher_release(&val);
    free(x);
    free(labels);
    free(rows);
    return rc;
}

void trainresult_release(TrainResult *res)
{
    free(res->epochs);
    free(res->iters);
    memset(res, 0, sizeof *res);
}
