/* fmath.h - the project's own exp and log for training.
 *
 * libm's expf/logf differ between glibc versions and dispatch per CPU, which
 * would break bit-identical results across machines, so training uses these:
 * plain IEEE float operations (+ - * / and explicit fmaf) in a fixed order, so
 * the same input gives the same bits everywhere, scalar or auto-vectorised.
 * Accuracy against libm is tested (a few ulp). */
#ifndef FMATH_H
#define FMATH_H

/* e^x; 0 below about -103.9, +inf above about 88.72, NaN for NaN. */
float fm_expf(float x);

/* natural log; -inf at 0, NaN below 0 or for NaN, +inf at +inf. */
float fm_logf(float x);

/* 1 / (1 + e^-x), computed so that large |x| does not overflow. */
float fm_sigmoidf(float x);

#endif
