/* vec_paths.h - private to the vec module and its tests: the per-path entry
 * points behind vec.h.
 *
 * Each function has the signature and the contract of the vec.h function of
 * the same name without the suffix: the scalar reference (suffix _ref, always
 * available) is the contract written as a loop, and the fast paths must match
 * it bit for bit. The _avx2 and _avx512 functions exist on x86-64 only and are
 * compiled with their own instruction-set flags (vec_avx2.c, vec_avx512.c), so
 * calling one on a CPU without isa_supported() for its path is an illegal
 * instruction; the _neon functions (vec_neon.c) exist on aarch64 only. The pixel
 * functions of the fast paths sum in lanes, so they may only be called with
 * n <= VEC_EXACT_PIXELS (vec.h says why that is exact). */
#ifndef VEC_PATHS_H
#define VEC_PATHS_H

#include <stddef.h>
#include <stdint.h>

void vec_relu_ref(float *y, const float *x, size_t n);
void vec_relu_grad_ref(float *dx, const float *dy, const float *x, size_t n);
void vec_sigmoid_ref(float *y, const float *x, size_t n);
void vec_sigmoid_grad_ref(float *dx, const float *dy, const float *y, size_t n);
void vec_exp_shifted_ref(float *e, const float *x, size_t n, float c);
void vec_div_double_ref(float *y, const float *x, size_t n, double d);
void vec_add_ref(float *y, const float *x, size_t n);
void vec_sgd_ref(float *w, const float *g, size_t n, float lr);
void vec_sgd_decay_ref(float *w, const float *g, size_t n, float lr, float wd);
double vec_unit_pixels_ref(float *x, const uint8_t *px, size_t n);
void vec_sub_scalar_ref(float *x, size_t n, float c);

void vec_relu_avx2(float *y, const float *x, size_t n);
void vec_relu_grad_avx2(float *dx, const float *dy, const float *x, size_t n);
void vec_sigmoid_avx2(float *y, const float *x, size_t n);
void vec_sigmoid_grad_avx2(float *dx, const float *dy, const float *y, size_t n);
void vec_exp_shifted_avx2(float *e, const float *x, size_t n, float c);
void vec_div_double_avx2(float *y, const float *x, size_t n, double d);
void vec_add_avx2(float *y, const float *x, size_t n);
void vec_sgd_avx2(float *w, const float *g, size_t n, float lr);
void vec_sgd_decay_avx2(float *w, const float *g, size_t n, float lr, float wd);
double vec_unit_pixels_avx2(float *x, const uint8_t *px, size_t n);
void vec_sub_scalar_avx2(float *x, size_t n, float c);

void vec_relu_avx512(float *y, const float *x, size_t n);
void vec_relu_grad_avx512(float *dx, const float *dy, const float *x, size_t n);
void vec_sigmoid_avx512(float *y, const float *x, size_t n);
void vec_sigmoid_grad_avx512(float *dx, const float *dy, const float *y, size_t n);
void vec_exp_shifted_avx512(float *e, const float *x, size_t n, float c);
void vec_div_double_avx512(float *y, const float *x, size_t n, double d);
void vec_add_avx512(float *y, const float *x, size_t n);
void vec_sgd_avx512(float *w, const float *g, size_t n, float lr);
void vec_sgd_decay_avx512(float *w, const float *g, size_t n, float lr, float wd);
double vec_unit_pixels_avx512(float *x, const uint8_t *px, size_t n);
void vec_sub_scalar_avx512(float *x, size_t n, float c);

void vec_relu_neon(float *y, const float *x, size_t n);
void vec_relu_grad_neon(float *dx, const float *dy, const float *x, size_t n);
void vec_sigmoid_neon(float *y, const float *x, size_t n);
void vec_sigmoid_grad_neon(float *dx, const float *dy, const float *y, size_t n);
void vec_exp_shifted_neon(float *e, const float *x, size_t n, float c);
void vec_div_double_neon(float *y, const float *x, size_t n, double d);
void vec_add_neon(float *y, const float *x, size_t n);
void vec_sgd_neon(float *w, const float *g, size_t n, float lr);
void vec_sgd_decay_neon(float *w, const float *g, size_t n, float lr, float wd);
double vec_unit_pixels_neon(float *x, const uint8_t *px, size_t n);
void vec_sub_scalar_neon(float *x, size_t n, float c);

#endif
