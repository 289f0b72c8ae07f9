/* exp and log written here rather than taken from libm: libm's results differ
 * between versions and CPUs, and training results must be the same bits on every
 * machine. Only IEEE + - * / on floats in a fixed order (no fma, so that a
 * compiler auto-vectorising a caller's loop still produces the same bits).
 * Accuracy: a few ulp over the ranges training sees (tests/test_fmath.c). */
#include "fmath.h"

#include <stdint.h>
#include <string.h>

static float from_bits(uint32_t u)
{
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

static uint32_t to_bits(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}

/* 2^k for -126 <= k <= 127, built from the exponent field. */
static float pow2i(int k)
{
    return from_bits((uint32_t)(k + 127) << 23);
}

/* ln 2 split so that k * LN2_HI is exact for |k| < 2^11 (LN2_HI has 12
 * significant bits): Cody-Waite range reduction. */
static const float LN2_HI = 0.693145751953125f;
static const float LN2_LO = 1.428606765330187e-06f;
static const float LOG2E = 1.44269504088896341f;

float fm_expf(float x)
{
    if (x != x)
        return x;
    if (x > 88.72283935546875f)
        return from_bits(0x7f800000u);
    if (x < -103.97208404541015625f)
        return 0.0f;
    /* x = k ln2 + r with |r| <= ln2/2; floorf is exact, so k is the same everywhere */
    float kf = __builtin_floorf(x * LOG2E + 0.5f);
    int k = (int)kf;
    float r = (x - kf * LN2_HI) - kf * LN2_LO;
    /* e^r by its Taylor series to degree 7: truncation below 6e-9 relative on |r| <= 0.347 */
    float p = 1.0f / 5040.0f;
    p = p * r + 1.0f / 720.0f;
    p = p * r + 1.0f / 120.0f;
    p = p * r + 1.0f / 24.0f;
    p = p * r + 1.0f / 6.0f;
    p = p * r + 0.5f;
    p = p * r + 1.0f;
    p = p * r + 1.0f;
    /* scale in two steps where 2^k alone is not a normal float, so the only
     * rounding is the final one (into a subnormal, or to infinity) */
    if (k > 127)
        return p * pow2i(127) * pow2i(k - 127);
    if (k < -126)
        return p * pow2i(k + 126) * pow2i(-126);
    return p * pow2i(k);
}

float fm_logf(float x)
{
    uint32_t u = to_bits(x);
    if (x != x)
        return x;
    if (x < 0.0f)
        return from_bits(0x7fc00000u);
    if (x == 0.0f)
        return from_bits(0xff800000u);
    if (u == 0x7f800000u)
        return x;
    int e = 0;
    if (u < 0x00800000u) { /* subnormal: make it normal first */
        x *= 8388608.0f;   /* 2^23, exact */
        u = to_bits(x);
        e = -23;
    }
    e += (int)(u >> 23) - 127;
    float m = from_bits((u & 0x007fffffu) | 0x3f800000u); /* [1, 2) */
    if (m > 1.41421356f) {                                 /* to [sqrt(1/2), sqrt(2)) */
        m *= 0.5f;
        e += 1;
    }
    /* log m = 2 atanh(s), s = (m - 1)/(m + 1), |s| <= 0.1716; series to s^9 */
    float f = m - 1.0f;
    float s = f / (2.0f + f);
    float s2 = s * s;
    float q = 1.0f / 9.0f;
    q = q * s2 + 1.0f / 7.0f;
    q = q * s2 + 1.0f / 5.0f;
    q = q * s2 + 1.0f / 3.0f;
    float two_s = s + s;
    float logm = two_s + two_s * (s2 * q);
    float ef = (float)e;
    return ef * LN2_HI + (ef * LN2_LO + logm);
}

float fm_sigmoidf(float x)
{
    if (x >= 0.0f)
        return 1.0f / (1.0f + fm_expf(-x));
    float e = fm_expf(x);
    return e / (1.0f + e);
}
