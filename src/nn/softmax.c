/* The softmax classifier of Part 1; the contract is in include/softmax.h. */
#include "softmax.h"
#include "checked.h"

#include "err.h"
#include "gemm.h"
#include "layers.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

/* Labels are bytes, so more classes could never be predicted correctly. */
#define SOFTMAX_MAX_CLASSES 256

struct SoftmaxModel {
    size_t n_in, n_out, max_batch;
    size_t n;       /* rows of the last successful forward, 0 if none */
    float *w;       /* (n_in x n_out) */
    float *g;       /* (n_in x n_out) gradient */
    float *scores;  /* (max_batch x n_out) x W */
    float *p;       /* (max_batch x n_out) softmax of the scores */
    float *d;       /* (max_batch x n_out) (P - T) / N */
    float *storage; /* the one allocation the five arrays live in */
};

SoftmaxModel *softmax_model_new(size_t n_in, size_t n_out, size_t max_batch, Rng *init,
                                char *err)
{
    if (n_in == 0 || n_out == 0 || max_batch == 0) {
        err_set(err, "softmax: sizes must be positive (inputs %zu, classes %zu, max batch %zu)",
                n_in, n_out, max_batch);
        return NULL;
    }
    if (n_out > SOFTMAX_MAX_CLASSES) {
        err_set(err, "softmax: %zu classes is more than byte labels allow (%d)", n_out,
                SOFTMAX_MAX_CLASSES);
        return NULL;
    }
    /* storage: w and g (nw each), then scores, p and d (nb each) */
    size_t nw, nb, w2, b3, total, bytes;
    if (!mul_ok(n_in, n_out, &nw) || !mul_ok(max_batch, n_out, &nb) || !mul_ok(nw, 2, &w2) ||
        !mul_ok(nb, 3, &b3) || !add_ok(w2, b3, &total) ||
        !mul_ok(total, sizeof(float), &bytes)) {
        err_set(err, "softmax: sizes overflow (inputs %zu, classes %zu, max batch %zu)", n_in,
                n_out, max_batch);
        return NULL;
    }
    SoftmaxModel *m = malloc(sizeof *m);
    float *storage = malloc(bytes);
    if (!m || !storage) {
        free(m);
        free(storage);
        err_set(err, "softmax: out of memory for %zu bytes of weights and buffers", bytes);
        return NULL;
    }
    *m = (SoftmaxModel){
        .n_in = n_in, .n_out = n_out, .max_batch = max_batch, .n = 0,
        .w = storage, .g = storage + nw, .scores = storage + w2,
        .p = storage + w2 + nb, .d = storage + w2 + 2 * nb, .storage = storage,
    };
    for (size_t i = 0; i < nw; i++) {
        m->w[i] = rng_normal(init) * 0.001f;
        m->g[i] = 0.0f;
    }
    return m;
}

void softmax_model_free(SoftmaxModel *m)
{
    if (!m)
        return;
    free(m->storage);
    free(m);
}

size_t softmax_model_inputs(const SoftmaxModel *m) { return m->n_in; }
size_t softmax_model_classes(const SoftmaxModel *m) { return m->n_out; }
size_t softmax_model_max_batch(const SoftmaxModel *m) { return m->max_batch; }
float *softmax_model_weights(SoftmaxModel *m) { return m->w; }
float *softmax_model_grad(SoftmaxModel *m) { return m->g; }

double softmax_model_penalty(const SoftmaxModel *m, double lambda, int as_reported)
{
    double sq = weights_sum_squares(m->w, m->n_in * m->n_out);
    /* sqrt is correctly rounded (IEEE 754), so the same bits everywhere */
    return lambda / 2.0 * (as_reported ? sqrt(sq) : sq);
}

static int labels_ok(const uint8_t *labels, size_t n, size_t n_out)
{
    for (size_t i = 0; i < n; i++)
        if (labels[i] >= n_out)
            return 0;
    return 1;
}

double softmax_model_forward(SoftmaxModel *m, const float *x, const uint8_t *labels, size_t n,
                             double lambda, int as_reported, size_t *correct)
{
    m->n = 0;
    *correct = 0;
    if (n == 0 || n > m->max_batch || !labels_ok(labels, n, m->n_out))
        return NAN;
    gemm_nn(n, m->n_out, m->n_in, x, m->n_in, m->w, m->n_out, m->scores, m->n_out, 0);
    double ce = 0.0;
    softmax_ce_loss(m->d, m->p, &ce, m->scores, labels, n, m->n_out);
    *correct = argmax_correct(m->scores, labels, n, m->n_out);
    m->n = n;
    return ce / (double)n + softmax_model_penalty(m, lambda, as_reported);
}

void softmax_model_backward(SoftmaxModel *m, const float *x, double lambda, int as_reported)
{
    if (m->n == 0)
        return;
    gemm_tn(m->n_in, m->n_out, m->n, x, m->n_in, m->d, m->n_out, m->g, m->n_out, 0);
    if (as_reported)
        return;
    float lam = (float)lambda;
    size_t nw = m->n_in * m->n_out;
    for (size_t i = 0; i < nw; i++) {
        float decay = lam * m->w[i];
        m->g[i] = m->g[i] + decay;
    }
}

void softmax_model_sgd(SoftmaxModel *m, float lr)
{
    size_t nw = m->n_in * m->n_out;
    for (size_t i = 0; i < nw; i++) {
        float step = lr * m->g[i];
        m->w[i] = m->w[i] - step;
    }
}

int softmax_model_evaluate(SoftmaxModel *m, const float *x, const uint8_t *labels, size_t n,
                           double *loss_sum, size_t *correct, char *err)
{
    m->n = 0;
    for (size_t i = 0; i < n; i++)
        if (labels[i] >= m->n_out)
            return err_set(err, "softmax: label %u of row %zu is not below %zu classes",
                           (unsigned)labels[i], i, m->n_out);
    size_t good = 0;
    for (size_t start = 0; start < n; start += m->max_batch) {
        size_t rows = n - start < m->max_batch ? n - start : m->max_batch;
        const float *xb = x + start * m->n_in;
        gemm_nn(rows, m->n_out, m->n_in, xb, m->n_in, m->w, m->n_out, m->scores, m->n_out, 0);
        softmax_ce_loss(NULL, m->p, loss_sum, m->scores, labels + start, rows, m->n_out);
        good += argmax_correct(m->scores, labels + start, rows, m->n_out);
    }
    *correct += good;
    return 0;
}
