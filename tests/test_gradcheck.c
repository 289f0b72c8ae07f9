/* Tests of the gradient checks make report runs (gradcheck.h): every check
 * passes on the built layers, and the measure rejects a wrong or zero
 * gradient, so a passing table means something. */
#include "gradcheck.h"

#include "err.h"

#include <check.h>
#include <math.h>
#include <string.h>

START_TEST(test_every_check_passes)
{
    GradCheck rows[GRADCHECK_COUNT];
    char err[ERR_MAX];
    ck_assert_int_eq(gradcheck_run(rows, err), 0);
    const char *names[GRADCHECK_COUNT] = {"fc-weights", "fc-bias",   "fc-input",
                                          "relu",       "sigmoid",   "euclidean",
                                          "softmax-ce", "softmax-classifier"};
    for (int k = 0; k < GRADCHECK_COUNT; k++) {
        ck_assert_str_eq(rows[k].check, names[k]);
        ck_assert(rows[k].ok);
        ck_assert(rows[k].rel_error <= GRADCHECK_BOUND);
        ck_assert(rows[k].grad_norm > 1e-3);
        ck_assert_uint_gt(rows[k].params, 0);
    }
}
END_TEST

/* f(p) = sum p_i^2 / 2: the gradient is p itself. */
static double half_square(void *ctx)
{
    const float *p = ctx;
    double s = 0.0;
    for (int i = 0; i < 6; i++)
        s += 0.5 * (double)p[i] * p[i];
    return s;
}

START_TEST(test_the_measure_rejects_wrong_gradients)
{
    float p[6] = {0.5f, -1.0f, 2.0f, 0.25f, -0.75f, 1.5f}, g[6];
    double norm;
    memcpy(g, p, sizeof g);
    ck_assert(gradcheck_error(p, g, 6, half_square, p, &norm) <= GRADCHECK_BOUND);
    ck_assert(fabs(norm - sqrt(8.125)) < 1e-6);
    /* 5 % too large: the error is about 0.05, above the bound */
    for (int i = 0; i < 6; i++)
        g[i] = 1.05f * p[i];
    ck_assert(gradcheck_error(p, g, 6, half_square, p, &norm) > GRADCHECK_BOUND);
    /* a missing gradient: never a pass */
    memset(g, 0, sizeof g);
    ck_assert(!(gradcheck_error(p, g, 6, half_square, p, &norm) <= GRADCHECK_BOUND));
    /* the parameters are restored */
    ck_assert(p[2] == 2.0f);
}
END_TEST

Suite *gradcheck_suite(void);
Suite *gradcheck_suite(void)
{
    Suite *s = suite_create("gradcheck");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_every_check_passes);
    tcase_add_test(tc, test_the_measure_rejects_wrong_gradients);
    suite_add_tcase(s, tc);
    return s;
}
