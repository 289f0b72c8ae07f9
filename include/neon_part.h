/* neon_part.h - private to the NEON paths (gemm_neon.c, vec_neon.c; aarch64
 * only): a vector of 4 floats from the first n < 4 floats at p, and back.
 *
 * NEON has no masked loads or stores, so where a block ends inside a vector
 * the paths go through a small buffer instead: the lanes past n read as 0 and
 * are never written back, so no access passes the n floats at p. */
#ifndef NEON_PART_H
#define NEON_PART_H

#include <arm_neon.h>
#include <stddef.h>
#include <string.h>

static inline __attribute__((always_inline)) float32x4_t load_part(const float *p, size_t n)
{
    float t[4] = {0.0f, 0.0f, 0.0f, 0.0f};
    memcpy(t, p, n * sizeof *t);
    return vld1q_f32(t);
}

static inline __attribute__((always_inline)) void store_part(float *p, size_t n, float32x4_t v)
{
    float t[4];
    vst1q_f32(t, v);
    memcpy(p, t, n * sizeof *t);
}

#endif
