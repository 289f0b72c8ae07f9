#include "rng.h"

#include <check.h>
#include <math.h>
#include <stdlib.h>

START_TEST(test_pcg32_known_answers)
{
    /* the reference PCG32 demo's first outputs for seed 42, stream 54 */
    static const uint32_t want[] = {0xa15c02b7u, 0x7b47f409u, 0xba1d3330u,
                                    0x83d2f293u, 0xbfa4784bu, 0xcbed606eu};
    Rng r;
    rng_seed(&r, 42u, 54u);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        ck_assert_uint_eq(rng_next(&r), want[i]);
}
END_TEST

START_TEST(test_streams_differ_and_repeat)
{
    Rng a, b, c;
    rng_seed(&a, 7, RNG_STREAM_INIT);
    rng_seed(&b, 7, RNG_STREAM_SHUFFLE);
    rng_seed(&c, 7, RNG_STREAM_INIT);
    int same = 0;
    for (int i = 0; i < 100; i++) {
        uint32_t x = rng_next(&a);
        same += x == rng_next(&b);
        ck_assert_uint_eq(x, rng_next(&c));
    }
    ck_assert_int_lt(same, 3);
}
END_TEST

START_TEST(test_below_in_range_and_uniformish)
{
    Rng r;
    rng_seed(&r, 1, 1);
    int counts[10] = {0};
    for (int i = 0; i < 100000; i++) {
        uint32_t x = rng_below(&r, 10);
        ck_assert_uint_lt(x, 10);
        counts[x]++;
    }
    for (int i = 0; i < 10; i++)
        ck_assert(counts[i] > 9500 && counts[i] < 10500);
}
END_TEST

START_TEST(test_normal_moments)
{
    Rng r;
    rng_seed(&r, 3, RNG_STREAM_INIT);
    double sum = 0, sq = 0;
    const int n = 200000;
    for (int i = 0; i < n; i++) {
        double x = rng_normal(&r);
        sum += x;
        sq += x * x;
    }
    double mean = sum / n, var = sq / n - mean * mean;
    ck_assert(fabs(mean) < 0.01);
    ck_assert(fabs(var - 1.0) < 0.02);
}
END_TEST

START_TEST(test_shuffle_is_a_permutation)
{
    Rng r;
    rng_seed(&r, 5, RNG_STREAM_SHUFFLE);
    uint32_t p[1000];
    for (uint32_t i = 0; i < 1000; i++)
        p[i] = i;
    rng_shuffle(&r, p, 1000);
    int seen[1000] = {0}, moved = 0;
    for (uint32_t i = 0; i < 1000; i++) {
        ck_assert_uint_lt(p[i], 1000);
        seen[p[i]]++;
        moved += p[i] != i;
    }
    for (int i = 0; i < 1000; i++)
        ck_assert_int_eq(seen[i], 1);
    ck_assert_int_gt(moved, 900);
    rng_shuffle(&r, p, 0); /* empty and single-element inputs are no-ops */
    rng_shuffle(&r, p, 1);
}
END_TEST

Suite *rng_suite(void);
Suite *rng_suite(void)
{
    Suite *s = suite_create("rng");
    TCase *core = tcase_create("core");
    tcase_add_test(core, test_pcg32_known_answers);
    tcase_add_test(core, test_streams_differ_and_repeat);
    tcase_add_test(core, test_below_in_range_and_uniformish);
    tcase_add_test(core, test_normal_moments);
    tcase_add_test(core, test_shuffle_is_a_permutation);
    suite_add_tcase(s, core);
    return s;
}
