/* layers.h - the layer and loss kernels both models are built from.
 *
 * Plain function pairs in the style of llm.c: outputs first, raw float arrays
 * with explicit sizes, shapes in the first comment. Everything is row-major; a
 * batch of n samples with k features is an (n x k) array. Matrix products go
 * through gemm.h only, so every path (scalar, AVX2, AVX-512) gives the same
 * bits; every other sum has one fixed order, written down at the function.
 *
 * Labels are class indices (one byte each, as in the IDX files); the target t
 * of a sample is the one-hot row of its label. Callers guarantee every label is
 * below the number of classes k. None of these functions allocates, prints or
 * fails: sizes are the caller's (the models check them once, at creation). */
#ifndef LAYERS_H
#define LAYERS_H

#include <stddef.h>
#include <stdint.h>

/* ---- fully connected: y = x W + b ---------------------------------------- */

/* y is (n x out), x is (n x in), w is (in x out), b is (out).
 * Each row of y is first set to b, then gemm_nn accumulates x W onto it, so the
 * chain of each output element starts at b[j] and adds x[i][p] * w[p][j] for
 * p = 0..in-1 with fused multiply-adds. */
void fc_forward(float *y, const float *x, const float *w, const float *b,
                size_t n, size_t in, size_t out);

/* dx is (n x in) or NULL, dw is (in x out), db is (out), dy is (n x out),
 * x is (n x in), w is (in x out). Overwrites (does not accumulate):
 *   dw = x^T dy                 (gemm_tn, chain over the batch from 0)
 *   db = column sums of dy      (float, rows added in order 0..n-1 from 0)
 *   dx = dy w^T                 (gemm_nt; skipped when dx is NULL, as for the
 *                                first layer, whose input needs no gradient) */
void fc_backward(float *dx, float *dw, float *db, const float *dy, const float *x,
                 const float *w, size_t n, size_t in, size_t out);

/* fc_backward followed by the SGD step of mlp.h on this layer, the same bits:
 *   w = w - lr * (dw + wd * w)  and  b = b - lr * db   (vec_sgd_decay, vec_sgd)
 * but faster: dx comes first (it needs the old w), then dw is computed a block
 * of rows at a time (the chain of each element is unchanged) and each block of
 * w is updated while its gradient is still in cache. dw and db are left holding
 * the gradients, as fc_backward leaves them. */
void fc_backward_sgd(float *dx, float *w, float *dw, float *b, float *db, const float *dy,
                     const float *x, size_t n, size_t in, size_t out, float lr, float wd);

/* ---- activations, elementwise over count = rows * columns values ---------- */

/* y = max(x, 0); a NaN passes through so a diverging run stays visible.
 * y may alias x. */
void relu_forward(float *y, const float *x, size_t count);

/* dx = dy where x > 0, else 0 (x is the forward input). dx may alias dy. */
void relu_backward(float *dx, const float *dy, const float *x, size_t count);

/* y = 1 / (1 + e^-x) with fm_sigmoidf. y may alias x. */
void sigmoid_forward(float *y, const float *x, size_t count);

/* dx = dy * (y * (1 - y)), y being the forward output. dx may alias dy. */
void sigmoid_backward(float *dx, const float *dy, const float *y, size_t count);

/* ---- softmax and the losses --------------------------------------------- */

/* p and y are (n x k), k >= 1. Each row: subtract the row maximum, fm_expf,
 * sum the exponentials left to right in double, p = e / sum (rounded to float).
 * p may alias y. */
void softmax_rows(float *p, const float *y, size_t n, size_t k);

/* Euclidean loss on raw outputs. y is (n x k), labels is (n), dy is (n x k)
 * or NULL. Adds each sample's 1/2 ||y_n - t_n||^2 to *loss_sum (double; the
 * squares 0.5 * d * d added one by one in row-major order), so the mean over the
 * batch is *loss_sum / n when it starts at 0, and a long evaluation can feed
 * block after block into one running sum with the same result as a single block.
 * dy, if given, is the gradient of the MEAN loss: (y - t) / n. */
void euclidean_loss(float *dy, double *loss_sum, const float *y,
                    const uint8_t *labels, size_t n, size_t k);

/* Softmax cross-entropy on raw outputs (logits). y is (n x k), labels is (n),
 * p is (n x k) and receives softmax_rows(y), dy is (n x k) or NULL. Adds each
 * sample's -ln softmax(y_n)[label] to *loss_sum in row order, computed as
 * ln(sum_j e^(y_j - max)) - (y_label - max) in double from fm_logf of the float
 * sum, which stays finite when a probability underflows to 0. dy, if given, is
 * the gradient of the MEAN loss: (p - t) / n. p must not alias y. */
void softmax_ce_loss(float *dy, float *p, double *loss_sum, const float *y,
                     const uint8_t *labels, size_t n, size_t k);

/* The sum of the squares of w[0..count), each square in double, added left to
 * right: ||W||^2 for the softmax penalty and the weight norms a run records. */
double weights_sum_squares(const float *w, size_t count);

/* Number of rows of y (n x k) whose argmax equals the label; the first maximum
 * wins a tie, and a NaN never counts as a maximum past column 0. */
size_t argmax_correct(const float *y, const uint8_t *labels, size_t n, size_t k);

#endif
