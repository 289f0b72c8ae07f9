/* softmax.h - Part 1: the softmax classifier (README.md, "The homework").
 *
 * Scores are x W with W (n_in x n_out), no bias; the prediction is the argmax
 * of the scores. On a minibatch of N samples
 *
 *     loss = mean_n -ln softmax(x_n W)[label_n] + (lambda/2) ||W||^2
 *     grad = X^T (P - T) / N + lambda W
 *
 * and SGD is W -= lr * grad. The "as reported" variant is the original's own
 * code: its loss adds (lambda/2) ||W|| (the Frobenius norm, not squared) and
 * its gradient has no lambda term at all, so lambda never reaches the weights
 * and only shifts the logged loss.
 *
 * Buffers are sized once, at creation, for the largest batch; forward,
 * backward, sgd and evaluate never allocate. A training step reads
 *
 *     loss = softmax_model_forward(m, x, labels, n, lambda, as_reported, &correct);
 *     softmax_model_backward(m, x, lambda, as_reported);
 *     softmax_model_sgd(m, lr);
 */
#ifndef SOFTMAX_H
#define SOFTMAX_H

#include "rng.h"

#include <stddef.h>
#include <stdint.h>

typedef struct SoftmaxModel SoftmaxModel;

/* A model for n_in inputs and n_out classes (1..256, since labels are bytes)
 * whose forward pass takes up to max_batch rows. W is drawn row-major as
 * rng_normal(init) * 0.001f, i.e. N(0, 0.001^2). Returns NULL with a message in
 * err (ERR_MAX bytes) for a zero size, n_out > 256, sizes whose product
 * overflows, or no memory. */
SoftmaxModel *softmax_model_new(size_t n_in, size_t n_out, size_t max_batch, Rng *init,
                                char *err);
void softmax_model_free(SoftmaxModel *m);

size_t softmax_model_inputs(const SoftmaxModel *m);
size_t softmax_model_classes(const SoftmaxModel *m);
size_t softmax_model_max_batch(const SoftmaxModel *m);

/* W (n_in x n_out, row-major) and its gradient (same shape), writable so tests
 * and checkpoints can set them. */
float *softmax_model_weights(SoftmaxModel *m);
float *softmax_model_grad(SoftmaxModel *m);

/* (lambda/2) ||W||^2, or (lambda/2) ||W|| as_reported, the squares summed in
 * double in row-major order; the exact term forward adds to the loss. */
double softmax_model_penalty(const SoftmaxModel *m, double lambda, int as_reported);

/* x is (n x n_in), labels is (n). Returns the mean cross-entropy over the n
 * rows plus softmax_model_penalty(m, lambda, as_reported), and stores in
 * *correct the number of rows whose argmax score (first maximum wins) equals
 * the label. Keeps what
 * backward needs (P - T, n). Returns NaN with *correct = 0 and forgets the batch
 * when n is 0 or above max_batch or a label is >= n_out (a caller bug; the
 * trainer's own data checks keep this from happening). */
double softmax_model_forward(SoftmaxModel *m, const float *x, const uint8_t *labels, size_t n,
                             double lambda, int as_reported, size_t *correct);

/* Overwrites the gradient with X^T (P - T) / N + lambda W for the batch of the
 * last forward call (x must be that batch's x), as float: gemm_tn over the
 * batch, then g = g + (float)lambda * w. With as_reported the lambda W term is
 * left out. Does nothing if the last forward failed. */
void softmax_model_backward(SoftmaxModel *m, const float *x, double lambda, int as_reported);

/* W = W - lr * grad, elementwise in float. */
void softmax_model_sgd(SoftmaxModel *m, float lr);

/* Scores any number of rows, max_batch at a time: adds each row's cross-entropy
 * (no penalty) to *loss_sum in row order, starting from the value passed in, so
 * the result does not depend on max_batch, and adds the correct predictions to
 * *correct. Returns 0, or -1 with a message in err (ERR_MAX bytes) and nothing
 * added if a label is >= n_out. Overwrites the state forward kept for backward. */
int softmax_model_evaluate(SoftmaxModel *m, const float *x, const uint8_t *labels, size_t n,
                           double *loss_sum, size_t *correct, char *err);

#endif
