/* PCG32 (XSH-RR 64/32 output, O'Neill 2014): small, fast, seedable, and with
 * independent streams, which keeps initialisation and shuffling apart. Written
 * here because results must not depend on the C library's rand(). */
#include "rng.h"

#include "fmath.h"

#include <math.h>

static const uint64_t PCG_MULT = 6364136223846793005ULL;

uint32_t rng_next(Rng *r)
{
    uint64_t old = r->state;
    r->state = old * PCG_MULT + r->inc;
    uint32_t xorshifted = (uint32_t)(((old >> 18u) ^ old) >> 27u);
    uint32_t rot = (uint32_t)(old >> 59u);
    return (xorshifted >> rot) | (xorshifted << ((-rot) & 31u));
}

void rng_seed(Rng *r, uint64_t seed, uint64_t stream)
{
    r->state = 0;
    r->inc = (stream << 1u) | 1u;
    rng_next(r);
    r->state += seed;
    rng_next(r);
}

uint32_t rng_below(Rng *r, uint32_t bound)
{
    /* reject the lowest 2^32 mod bound values so every residue is equally likely */
    uint32_t threshold = (uint32_t)(-bound) % bound;
    for (;;) {
        uint32_t x = rng_next(r);
        if (x >= threshold)
            return x % bound;
    }
}

float rng_uniform(Rng *r)
{
    return (float)(rng_next(r) >> 8) * (1.0f / 16777216.0f);
}

float rng_normal(Rng *r)
{
    /* polar method: only + - * / sqrt (correctly rounded) and fm_logf, so the
     * same bits everywhere; the second deviate is dropped to keep no hidden state */
    for (;;) {
        float u = 2.0f * rng_uniform(r) - 1.0f;
        float v = 2.0f * rng_uniform(r) - 1.0f;
        float s = u * u + v * v;
        if (s >= 1.0f || s == 0.0f)
            continue;
        return u * sqrtf(-2.0f * fm_logf(s) / s);
    }
}

void rng_shuffle(Rng *r, uint32_t *perm, uint32_t n)
{
    for (uint32_t i = n; i > 1; i--) {
        uint32_t j = rng_below(r, i);
        uint32_t t = perm[i - 1];
        perm[i - 1] = perm[j];
        perm[j] = t;
    }
}
