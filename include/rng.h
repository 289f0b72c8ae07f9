/* rng.h - seeded random numbers of the project's own (PCG32, XSH-RR 64/32).
 *
 * Never rand(): results must not depend on the C library. A generator is a
 * (seed, stream) pair; initialisation and shuffling use separate streams of the
 * same seed so that changing one never moves the other. */
#ifndef RNG_H
#define RNG_H

#include <stdint.h>

typedef struct {
    uint64_t state;
    uint64_t inc;
} Rng;

enum { RNG_STREAM_INIT = 1, RNG_STREAM_SHUFFLE = 2 };

void rng_seed(Rng *r, uint64_t seed, uint64_t stream);
uint32_t rng_next(Rng *r);

/* Uniform integer in [0, bound), bound > 0, without modulo bias. */
uint32_t rng_below(Rng *r, uint32_t bound);

/* Uniform float in [0, 1) with 24 random bits. */
float rng_uniform(Rng *r);

/* Standard normal deviate (Marsaglia's polar method with fm_logf). */
float rng_normal(Rng *r);

/* Fisher-Yates shuffle of perm[0..n). */
void rng_shuffle(Rng *r, uint32_t *perm, uint32_t n);

#endif
