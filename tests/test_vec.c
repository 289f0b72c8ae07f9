/* Tests of the elementwise loops: every path the CPU has against the scalar
 * reference, bit for bit, over lengths that exercise whole vectors and every
 * tail, in place and out of place, on values that make rounding matter and on
 * special values (NaN, infinities, signed zeros, subnormals); the pixel sum's
 * exactness; and that nothing past n is written. */
#include "vec.h"

#include "fmath.h"
#include "gemm.h"
#include "rng.h"
#include "vec_paths.h"

#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { GUARD = 19, MAXN = 1100 };

static float from_bits(uint32_t u)
{
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

/* Random sign and 24-bit mantissa, exponent in [-12, 12]: products and sums
 * round at almost every step. Every 17th value is special instead. */
static float rand_value(Rng *r, size_t i)
{
    static const uint32_t SPECIAL[] = {
        0x7fc00000u, 0xffc12345u, 0x7f800000u, 0xff800000u, 0x00000000u, 0x80000000u,
        0x00000001u, 0x807fffffu, 0x7f7fffffu, 0xff7fffffu, 0x42b17218u, 0xc2cff1b5u,
        0xc2aeac50u, 0xc2b00000u, 0x42b20000u, 0xc2d00000u, 0x3f800000u};
    if (i % 17 == 16)
        return from_bits(SPECIAL[rng_below(r, sizeof SPECIAL / sizeof SPECIAL[0])]);
    float x = ldexpf(1.0f + rng_uniform(r), (int)rng_below(r, 25) - 12);
    return rng_below(r, 2) ? -x : x;
}

/* Inputs a, b, c of MAXN + GUARD values each. */
typedef struct {
    float a[MAXN + GUARD], b[MAXN + GUARD], c[MAXN + GUARD];
} Inputs;

static void fill(Inputs *in, uint64_t seed)
{
    Rng r;
    rng_seed(&r, seed, 5);
    for (size_t i = 0; i < MAXN + GUARD; i++) {
        in->a[i] = rand_value(&r, i);
        in->b[i] = rand_value(&r, i + 5);
        in->c[i] = rand_value(&r, i + 11);
    }
}

typedef enum {
    OP_RELU, OP_RELU_GRAD, OP_SIGMOID, OP_SIGMOID_GRAD, OP_EXP_SHIFTED, OP_DIV_DOUBLE, OP_ADD,
    OP_SGD, OP_SGD_DECAY, OP_SUB_SCALAR, N_OPS
} Op;

static const char *const OP_NAMES[N_OPS] = {
    "relu", "relu_grad", "sigmoid", "sigmoid_grad", "exp_shifted", "div_double", "add", "sgd",
    "sgd_decay", "sub_scalar"};

/* Runs op through the public dispatch (in place when in_place: the output is
 * the first input) on out, which holds a copy of in->a on entry. */
static void run_op(Op op, float *out, const Inputs *in, size_t n, int in_place)
{
    const float *x = in_place ? out : in->a;
    switch (op) {
    case OP_RELU:
        vec_relu(out, x, n);
        return;
    case OP_RELU_GRAD:
        vec_relu_grad(out, x, in->b, n);
        return;
    case OP_SIGMOID:
        vec_sigmoid(out, x, n);
        return;
    case OP_SIGMOID_GRAD:
        vec_sigmoid_grad(out, x, in->b, n);
        return;
    case OP_EXP_SHIFTED:
        vec_exp_shifted(out, x, n, in->c[3]);
        return;
    case OP_DIV_DOUBLE:
        vec_div_double(out, x, n, 7.123456789);
        return;
    case OP_ADD:
        vec_add(out, in->b, n);
        return;
    case OP_SGD:
        vec_sgd(out, in->b, n, 0.0371f);
        return;
    case OP_SGD_DECAY:
        vec_sgd_decay(out, in->b, n, 0.0371f, 0.1f);
        return;
    case OP_SUB_SCALAR:
        vec_sub_scalar(out, n, in->c[3]);
        return;
    case N_OPS:
        break;
    }
    ck_abort_msg("unknown op %d", (int)op);
}

/* Every op, every length 0..80 and some longer ones, both ways, on every path,
 * against the reference; the values past n must stay as they were. */
static void check_all_ops(uint64_t seed)
{
    static const size_t LONG[] = {127, 128, 129, 255, 257, 784, 1000, MAXN};
    static Inputs in;
    static float want[MAXN + GUARD], got[MAXN + GUARD];
    fill(&in, seed);
    for (int op = 0; op < N_OPS; op++)
        for (size_t t = 0; t < 81 + sizeof LONG / sizeof LONG[0]; t++) {
            size_t n = t < 81 ? t : LONG[t - 81];
            for (int in_place = 0; in_place < 2; in_place++) {
                ck_assert_int_eq(gemm_force(ISA_SCALAR), 0);
                memcpy(want, in.a, sizeof want);
                run_op((Op)op, want, &in, n, in_place);
                ck_assert_int_eq(memcmp(want + n, in.a + n, GUARD * sizeof(float)), 0);
                for (int isa = ISA_AVX2; isa < ISA_COUNT; isa++) {
                    if (!isa_supported((Isa)isa))
                        continue;
                    ck_assert_int_eq(gemm_force((Isa)isa), 0);
                    memcpy(got, in.a, sizeof got);
                    run_op((Op)op, got, &in, n, in_place);
                    ck_assert_msg(memcmp(got, want, sizeof got) == 0,
                                  "%s, %s, n %zu, in place %d: differs from scalar",
                                  OP_NAMES[op], isa_name((Isa)isa), n, in_place);
                }
            }
        }
    ck_assert_int_eq(gemm_select(NULL), 0);
}

START_TEST(test_paths_match_reference)
{
    check_all_ops(1);
    check_all_ops(2);
}
END_TEST

/* The inputs do make rounding matter: the decayed step differs from an
 * unrounded (double) evaluation on many elements, so a fused or reordered path
 * could not pass by luck. */
START_TEST(test_inputs_make_rounding_matter)
{
    static Inputs in;
    fill(&in, 3);
    float w[MAXN];
    memcpy(w, in.a, sizeof w);
    vec_sgd_decay_ref(w, in.b, MAXN, 0.0371f, 0.1f);
    size_t differ = 0;
    for (size_t i = 0; i < MAXN; i++) {
        double exact = (double)in.a[i] -
                       (double)0.0371f * ((double)in.b[i] + (double)0.1f * (double)in.a[i]);
        differ += isfinite(exact) && (float)exact != w[i];
    }
    ck_assert_uint_gt(differ, MAXN / 20);
}
END_TEST

/* e^(x - 0): the subtraction quiets a signalling NaN, in both (volatile, so
 * that the compiler does not drop it). */
static volatile float zero = 0.0f;

static void exp_of_x(float *y, const float *x, size_t n)
{
    vec_exp_shifted(y, x, n, zero);
}

static float fm_exp_of_x(float x)
{
    return fm_expf(x - zero);
}

/* f (through the public dispatch) against the scalar g on every path: on one
 * float in every 4001 over all 2^32 patterns and on every float of the ranges
 * where e^x needs two scaling steps (the result 2^k is not a normal float). */
static void check_against_fmath(void (*f)(float *, const float *, size_t), float (*g)(float),
                                const char *name)
{
    enum { BLOCK = 4096 };
    static const uint32_t EDGES[2][2] = {{0x42b00000u, 0x42b20000u},  /* 88 .. 89 */
                                         {0xc2ae0000u, 0xc2d00000u}}; /* -87 .. -104 */
    static float x[BLOCK], want[BLOCK], got[BLOCK];
    uint64_t u = 0;
    size_t e = 0;
    uint32_t edge = EDGES[0][0];
    int done = 0;
    while (!done) {
        size_t n = 0;
        for (; n < BLOCK && u <= 0xffffffffu; n++, u += 4001)
            x[n] = from_bits((uint32_t)u);
        for (; n < BLOCK && e < 2; n++) {
            x[n] = from_bits(edge);
            if (edge++ == EDGES[e][1] && ++e < 2)
                edge = EDGES[e][0];
        }
        done = n < BLOCK;
        for (size_t i = 0; i < n; i++)
            want[i] = g(x[i]);
        for (int isa = ISA_SCALAR; isa < ISA_COUNT; isa++) {
            if (!isa_supported((Isa)isa))
                continue;
            ck_assert_int_eq(gemm_force((Isa)isa), 0);
            f(got, x, n);
            for (size_t i = 0; i < n; i++)
                if (memcmp(&got[i], &want[i], sizeof got[i]) != 0)
                    ck_abort_msg("%s: %s(%a) = %a, fmath gives %a", isa_name((Isa)isa), name,
                                 (double)x[i], (double)got[i], (double)want[i]);
        }
    }
    ck_assert_int_eq(gemm_select(NULL), 0);
}

START_TEST(test_sigmoid_matches_fmath)
{
    check_against_fmath(vec_sigmoid, fm_sigmoidf, "sigmoid");
}
END_TEST

START_TEST(test_exp_matches_fmath)
{
    check_against_fmath(exp_of_x, fm_exp_of_x, "exp");
}
END_TEST

/* Every byte value at every lane position, then random images of several
 * lengths: the same floats and the same sum on every path, and the sum is the
 * same left to right and right to left (the exactness vec.h relies on). */
START_TEST(test_pixels_match_reference)
{
    enum { LEN = 4099 };
    static uint8_t px[LEN];
    static float want[LEN + GUARD], got[LEN + GUARD];
    Rng r;
    rng_seed(&r, 9, 9);
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < LEN; i++)
            px[i] = pass == 0 ? (uint8_t)(i * 7 + i / 256) : (uint8_t)rng_below(&r, 256);
        static const size_t LENS[] = {0, 1, 7, 8, 15, 16, 17, 31, 33, 784, LEN};
        for (size_t t = 0; t < sizeof LENS / sizeof LENS[0]; t++) {
            size_t n = LENS[t];
            memset(want, 0, sizeof want);
            double ref = vec_unit_pixels_ref(want, px, n);
            double back = 0.0;
            for (size_t i = n; i-- > 0;)
                back += want[i];
            ck_assert_msg(back == ref, "n %zu: the sum depends on the order", n);
            for (int isa = ISA_SCALAR; isa < ISA_COUNT; isa++) {
                if (!isa_supported((Isa)isa))
                    continue;
                ck_assert_int_eq(gemm_force((Isa)isa), 0);
                memset(got, 0, sizeof got);
                double sum = vec_unit_pixels(got, px, n);
                ck_assert_msg(memcmp(got, want, sizeof got) == 0, "%s, n %zu: pixels differ",
                              isa_name((Isa)isa), n);
                ck_assert_msg(memcmp(&sum, &ref, sizeof sum) == 0, "%s, n %zu: sum %a, not %a",
                              isa_name((Isa)isa), n, sum, ref);
            }
        }
    }
    ck_assert_int_eq(gemm_select(NULL), 0);
}
END_TEST

/* Past VEC_EXACT_PIXELS every path adds left to right: the sum of this many
 * bytes is no longer exact, and still the same bits. */
START_TEST(test_pixels_past_the_exact_size)
{
    size_t n = VEC_EXACT_PIXELS + 37;
    uint8_t *px = malloc(n);
    float *x = malloc(n * sizeof *x);
    ck_assert(px && x);
    Rng r;
    rng_seed(&r, 4, 4);
    for (size_t i = 0; i < n; i++)
        px[i] = (uint8_t)rng_below(&r, 256);
    double ref = vec_unit_pixels_ref(x, px, n);
    for (int isa = ISA_SCALAR; isa < ISA_COUNT; isa++) {
        if (!isa_supported((Isa)isa))
            continue;
        ck_assert_int_eq(gemm_force((Isa)isa), 0);
        double sum = vec_unit_pixels(x, px, n);
        ck_assert_msg(memcmp(&sum, &ref, sizeof sum) == 0, "%s: sum %a, not %a",
                      isa_name((Isa)isa), sum, ref);
    }
    ck_assert_int_eq(gemm_select(NULL), 0);
    free(px);
    free(x);
}
END_TEST

/* ---- special values --------------------------------------------------------- */

START_TEST(test_relu_special_values)
{
    const float x[8] = {-0.0f, 0.0f, NAN, -NAN, INFINITY, -INFINITY, 1e-45f, -1e-45f};
    const float dy[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    for (int isa = ISA_SCALAR; isa < ISA_COUNT; isa++) {
        if (!isa_supported((Isa)isa))
            continue;
        ck_assert_int_eq(gemm_force((Isa)isa), 0);
        float y[8], dx[8];
        vec_relu(y, x, 8);
        /* -0 becomes +0; a NaN keeps its bits */
        ck_assert_int_eq(signbit(y[0]), 0);
        ck_assert_int_eq(memcmp(&y[2], &x[2], 2 * sizeof(float)), 0);
        ck_assert(y[4] == INFINITY && y[5] == 0.0f && y[6] == 1e-45f && y[7] == 0.0f);
        vec_relu_grad(dx, dy, x, 8);
        const float want[8] = {0, 0, 0, 0, 5, 0, 7, 0};
        ck_assert_int_eq(memcmp(dx, want, sizeof want), 0);
    }
    ck_assert_int_eq(gemm_select(NULL), 0);
}
END_TEST

START_TEST(test_sigmoid_special_values)
{
    const float x[5] = {NAN, INFINITY, -INFINITY, 200.0f, -200.0f};
    for (int isa = ISA_SCALAR; isa < ISA_COUNT; isa++) {
        if (!isa_supported((Isa)isa))
            continue;
        ck_assert_int_eq(gemm_force((Isa)isa), 0);
        float y[5];
        vec_sigmoid(y, x, 5);
        ck_assert(isnan(y[0]));
        ck_assert(y[1] == 1.0f && y[2] == 0.0f && y[3] == 1.0f && y[4] == 0.0f);
    }
    ck_assert_int_eq(gemm_select(NULL), 0);
}
END_TEST

Suite *vec_suite(void);
Suite *vec_suite(void)
{
    Suite *s = suite_create("vec");
    TCase *core = tcase_create("core");
    tcase_set_timeout(core, 120);
    tcase_add_test(core, test_paths_match_reference);
    tcase_add_test(core, test_inputs_make_rounding_matter);
    tcase_add_test(core, test_sigmoid_matches_fmath);
    tcase_add_test(core, test_exp_matches_fmath);
    tcase_add_test(core, test_pixels_match_reference);
    tcase_add_test(core, test_pixels_past_the_exact_size);
    suite_add_tcase(s, core);
    TCase *errors = tcase_create("errors");
    tcase_add_test(errors, test_relu_special_values);
    tcase_add_test(errors, test_sigmoid_special_values);
    suite_add_tcase(s, errors);
    return s;
}
