/* vec.h - the elementwise loops of training, with vector paths that give the
 * same bits as the scalar loops.
 *
 * The work of a training step besides the matrix products: activations and
 * their gradients, softmax rows' exponentials and divisions, bias gradients,
 * SGD, pixel conversion. Each contract is the scalar loop written at the
 * function (in vec.c); every path does, per element, the same IEEE operations
 * in the same order, nothing fused (-ffp-contract=off), no sum reordered, so
 * running elements side by side changes no bits (README.md, "Reproducibility").
 *
 * The path follows gemm_isa() (gemm.h): the scalar loops of vec.c under
 * MNIST_ISA=scalar (or gemm_force(ISA_SCALAR), or a CPU without AVX2 or NEON),
 * otherwise vec_avx2.c, vec_avx512.c or vec_neon.c. An output may be the same
 * array as an input (in place) but must not partly overlap one. n == 0 does
 * nothing. */
#ifndef VEC_H
#define VEC_H

#include <stddef.h>
#include <stdint.h>

/* y[i] = (x[i] > 0 || x[i] != x[i]) ? x[i] : +0.0f: a NaN passes through,
 * -0.0f becomes +0.0f. */
void vec_relu(float *y, const float *x, size_t n);

/* dx[i] = x[i] > 0 ? dy[i] : +0.0f (0 at x = 0 and for a NaN x). */
void vec_relu_grad(float *dx, const float *dy, const float *x, size_t n);

/* y[i] = fm_sigmoidf(x[i]) (fmath.h), NaN in, NaN out. */
void vec_sigmoid(float *y, const float *x, size_t n);

/* dx[i] = dy[i] * (y[i] * (1 - y[i])), rounded after each operation. */
void vec_sigmoid_grad(float *dx, const float *dy, const float *y, size_t n);

/* e[i] = fm_expf(x[i] - c), the difference rounded to float first (a softmax
 * row shifted by its maximum). */
void vec_exp_shifted(float *e, const float *x, size_t n, float c);

/* y[i] = (float)((double)x[i] / d): divided in double, then rounded to float. */
void vec_div_double(float *y, const float *x, size_t n, double d);

/* y[i] = y[i] + x[i]. */
void vec_add(float *y, const float *x, size_t n);

/* SGD step without decay: w[i] = w[i] - lr * g[i] (product rounded first). */
void vec_sgd(float *w, const float *g, size_t n, float lr);

/* SGD step with weight decay, as four rounded operations in this order:
 * decay = wd * w[i]; s = g[i] + decay; step = lr * s; w[i] = w[i] - step. */
void vec_sgd_decay(float *w, const float *g, size_t n, float lr, float wd);

/* x[i] = (float)px[i] / 255.0f; returns the sum of the x[i] in double.
 * Every x[i] is 0 or in [2^-8, 1] with 24 significant bits, so a multiple of
 * 2^-31; while n <= VEC_EXACT_PIXELS every partial sum is a multiple of 2^-31
 * no larger than 2^21, which a double's 53 bits hold: the sum is exact, the
 * same number in any order. Up to that size the vector paths add in lanes;
 * above it every path adds left to right. */
#define VEC_EXACT_PIXELS ((size_t)1 << 21)
double vec_unit_pixels(float *x, const uint8_t *px, size_t n);

/* x[i] = x[i] - c. */
void vec_sub_scalar(float *x, size_t n, float c);

#endif
