#include "fmath.h"

#include <check.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

/* Distance in units in the last place between two finite floats of one sign. */
static int64_t ulp_diff(float a, float b)
{
    int32_t ia, ib;
    memcpy(&ia, &a, sizeof ia);
    memcpy(&ib, &b, sizeof ib);
    if (ia < 0)
        ia = INT32_MIN - ia;
    if (ib < 0)
        ib = INT32_MIN - ib;
    int64_t d = (int64_t)ia - (int64_t)ib;
    return d < 0 ? -d : d;
}

START_TEST(test_exp_matches_libm_within_a_few_ulp)
{
    /* the range training sees: shifted logits (<= 0) and sigmoid arguments */
    int64_t worst = 0;
    for (float x = -87.0f; x <= 88.0f; x += 0.0013f) {
        float want = (float)exp((double)x);
        int64_t d = ulp_diff(fm_expf(x), want);
        if (d > worst)
            worst = d;
    }
    ck_assert_int_le(worst, 3);
    ck_assert_float_eq(fm_expf(0.0f), 1.0f);
}
END_TEST

START_TEST(test_exp_edges)
{
    ck_assert(isinf(fm_expf(89.0f)) && fm_expf(89.0f) > 0);
    ck_assert_float_eq(fm_expf(-104.0f), 0.0f);
    ck_assert(isnan(fm_expf(NAN)));
    ck_assert(isinf(fm_expf(INFINITY)));
    ck_assert_float_eq(fm_expf(-INFINITY), 0.0f);
    /* subnormal results are rounded once, close to the true value */
    float s = fm_expf(-100.0f);
    double want = exp(-100.0);
    ck_assert(s > 0.0f && fabs((double)s - want) <= 1.5e-45);
}
END_TEST

START_TEST(test_log_matches_libm_within_a_few_ulp)
{
    int64_t worst = 0;
    /* probabilities down to the smallest normal, and values above 1 */
    for (float x = 1.1754944e-38f; x < 1e30f; x *= 1.0007f) {
        float want = (float)log((double)x);
        int64_t d = ulp_diff(fm_logf(x), want);
        if (d > worst && fabsf(want) > 1e-6f)
            worst = d;
    }
    ck_assert_int_le(worst, 3);
    ck_assert_float_eq(fm_logf(1.0f), 0.0f);
    for (float x = 0.5f; x < 2.0f; x += 1e-5f)
        ck_assert(fabs((double)fm_logf(x) - log((double)x)) <= 2e-7 * fmax(1.0, fabs(log((double)x))));
}
END_TEST

START_TEST(test_log_edges)
{
    ck_assert(isinf(fm_logf(0.0f)) && fm_logf(0.0f) < 0);
    ck_assert(isnan(fm_logf(-1.0f)));
    ck_assert(isnan(fm_logf(NAN)));
    ck_assert(isinf(fm_logf(INFINITY)));
    float sub = 1e-40f; /* subnormal input */
    ck_assert(fabs((double)fm_logf(sub) - log((double)sub)) < 1e-5);
}
END_TEST

START_TEST(test_sigmoid_is_stable_at_extremes)
{
    ck_assert_float_eq(fm_sigmoidf(0.0f), 0.5f);
    ck_assert_float_eq(fm_sigmoidf(200.0f), 1.0f);
    ck_assert_float_eq(fm_sigmoidf(-200.0f), 0.0f);
    for (float x = -20.0f; x <= 20.0f; x += 0.01f)
        ck_assert(fabs((double)fm_sigmoidf(x) - 1.0 / (1.0 + exp(-(double)x))) < 2e-7);
}
END_TEST

Suite *fmath_suite(void);
Suite *fmath_suite(void)
{
    Suite *s = suite_create("fmath");
    TCase *core = tcase_create("core");
    tcase_add_test(core, test_exp_matches_libm_within_a_few_ulp);
    tcase_add_test(core, test_log_matches_libm_within_a_few_ulp);
    tcase_add_test(core, test_sigmoid_is_stable_at_extremes);
    suite_add_tcase(s, core);
    TCase *edges = tcase_create("errors");
    tcase_add_test(edges, test_exp_edges);
    tcase_add_test(edges, test_log_edges);
    suite_add_tcase(s, edges);
    return s;
}
